//===- BuildGraph.cpp - The build's compiles, targets and tests -----------===//
//
// What `hotast plan` reads of the build itself: its compiles (Ninja's own
// list, or compile_commands.json), the outputs they feed (ninja -t query)
// and the tests that run them (ctest --show-only=json-v1).
//
//===----------------------------------------------------------------------===//

#include "PlanInternal.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/StringSaver.h"

#include <set>
#include <unistd.h>

namespace hotast {
namespace plan {

llvm::Error planError(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::string absoluteIn(llvm::StringRef Dir, llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  if (!llvm::sys::path::is_absolute(P)) {
    P = Dir;
    llvm::sys::path::append(P, Path);
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// The output a command names with -o (empty when none).
static std::string outputOf(llvm::ArrayRef<std::string> Argv) {
  for (size_t I = 1; I < Argv.size(); ++I) {
    llvm::StringRef A = Argv[I];
    if (A == "-o" && I + 1 < Argv.size())
      return Argv[I + 1];
    if (A.starts_with("-o") && A.size() > 2)
      return A.drop_front(2).str();
  }
  return "";
}


/// Runs Argv, its standard output returned (stderr dropped); an error when
/// it cannot run or fails.
llvm::Expected<std::string> capture(llvm::ArrayRef<std::string> Argv) {
  auto Program = llvm::sys::findProgramByName(Argv.front());
  if (!Program)
    return planError(Argv.front() + " not found on PATH");
  llvm::SmallString<128> Out;
  int FD;
  if (std::error_code EC = llvm::sys::fs::createTemporaryFile("hotast-plan", "out", FD, Out))
    return llvm::createFileError(Out, EC);
  ::close(FD);
  std::vector<llvm::StringRef> Args(Argv.begin(), Argv.end());
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(Out),
                                                llvm::StringRef("")};
  std::string Error;
  int Status = llvm::sys::ExecuteAndWait(*Program, Args, std::nullopt, Redirects, 120, 0, &Error);
  auto Text = llvm::MemoryBuffer::getFile(Out);
  llvm::sys::fs::remove(Out);
  if (Status != 0)
    return planError(llvm::join(Argv, " ") + " failed" + (Error.empty() ? "" : ": " + Error));
  if (!Text)
    return llvm::createFileError(Out, Text.getError());
  return (*Text)->getBuffer().str();
}

/// What `ninja -t query` says of each target: its rule and what it feeds.
struct NinjaNode {
  std::string Rule;
  std::vector<std::string> Outputs;
};

static std::map<std::string, NinjaNode> parseNinjaQuery(llvm::StringRef Text) {
  std::map<std::string, NinjaNode> Nodes;
  NinjaNode *Current = nullptr;
  bool InOutputs = false;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    if (Line.trim().empty())
      continue;
    if (!Line.starts_with(" ") && Line.ends_with(":")) {
      Current = &Nodes[Line.drop_back().str()];
      InOutputs = false;
      continue;
    }
    if (!Current)
      continue;
    llvm::StringRef T = Line.trim();
    if (T.starts_with("input:")) {
      Current->Rule = T.drop_front(6).trim().str();
      InOutputs = false;
    } else if (T == "outputs:") {
      InOutputs = true;
    } else if (InOutputs && Line.starts_with("    ")) {
      Current->Outputs.push_back(T.str());
    }
  }
  return Nodes;
}

/// The build's outputs made from Objects (paths relative to BuildDir), that
/// is, what a build relinks or remakes after them: every non-phony output
/// they reach in the Ninja graph.
llvm::Expected<std::vector<std::string>> ninjaTargets(llvm::StringRef BuildDir,
                                                      const std::vector<std::string> &Objects) {
  std::set<std::string> Seen(Objects.begin(), Objects.end());
  std::vector<std::string> Frontier = Objects, Found;
  while (!Frontier.empty()) {
    std::vector<std::string> Argv = {"ninja", "-C", BuildDir.str(), "-t", "query"};
    Argv.insert(Argv.end(), Frontier.begin(), Frontier.end());
    auto Text = capture(Argv);
    if (!Text)
      return Text.takeError();
    std::vector<std::string> Next;
    for (auto &[Target, Node] : parseNinjaQuery(*Text)) {
      if (!Node.Rule.empty() && Node.Rule != "phony" && !llvm::is_contained(Objects, Target))
        Found.push_back(Target);
      for (const std::string &O : Node.Outputs)
        if (Seen.insert(O).second)
          Next.push_back(O);
    }
    Frontier = std::move(Next);
  }
  llvm::sort(Found);
  return Found;
}

/// The tests (CTest) whose command runs one of Targets (absolute paths).
llvm::Expected<std::vector<std::string>> ctestTests(llvm::StringRef BuildDir,
                                                    const llvm::StringSet<> &Targets) {
  auto Text = capture({"ctest", "--test-dir", BuildDir.str(), "--show-only=json-v1"});
  if (!Text)
    return Text.takeError();
  auto Doc = llvm::json::parse(*Text);
  if (!Doc)
    return Doc.takeError();
  std::vector<std::string> Out;
  const llvm::json::Object *Root = Doc->getAsObject();
  const llvm::json::Array *Tests = Root ? Root->getArray("tests") : nullptr;
  if (!Tests)
    return Out;
  for (const llvm::json::Value &T : *Tests) {
    const llvm::json::Object *O = T.getAsObject();
    if (!O)
      continue;
    auto Name = O->getString("name");
    const llvm::json::Array *Command = O->getArray("command");
    if (!Name || !Command)
      continue;
    for (const llvm::json::Value &A : *Command)
      if (auto S = A.getAsString(); S && Targets.contains(absoluteIn(BuildDir, *S))) {
        Out.push_back(Name->str());
        break;
      }
  }
  return Out;
}

std::string realPath(llvm::StringRef Dir, llvm::StringRef Path) {
  std::string Abs = absoluteIn(Dir, Path);
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Abs, Real))
    return Abs;
  return std::string(Real);
}


} // namespace plan

using namespace plan;

llvm::Expected<std::vector<BuildCompile>> readCompileCommands(llvm::StringRef BuildDir) {
  // Ninja's own list has the commands exactly as the build runs them (the
  // depfile options CMake leaves out of compile_commands.json are in the
  // keys); any other build, its compile_commands.json.
  llvm::SmallString<256> Path(BuildDir);
  llvm::sys::path::append(Path, "build.ninja");
  std::string Text;
  if (llvm::sys::fs::exists(Path)) {
    auto Listed = capture({"ninja", "-C", BuildDir.str(), "-t", "compdb"});
    if (!Listed)
      return Listed.takeError();
    Text = std::move(*Listed);
  } else {
    Path = BuildDir;
    llvm::sys::path::append(Path, "compile_commands.json");
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    if (!Buf)
      return planError(Path + ": " + Buf.getError().message() +
                       " (a Ninja build, or one configured with "
                       "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)");
    Text = (*Buf)->getBuffer().str();
  }
  auto Doc = llvm::json::parse(Text);
  if (!Doc)
    return planError(Path + ": not JSON: " + llvm::toString(Doc.takeError()));
  const llvm::json::Array *Entries = Doc->getAsArray();
  if (!Entries)
    return planError(Path + ": not a list of compile commands");
  std::vector<BuildCompile> Out;
  for (const llvm::json::Value &V : *Entries) {
    const llvm::json::Object *E = V.getAsObject();
    if (!E)
      return planError(Path + ": an entry is not an object");
    BuildCompile C;
    C.Directory = E->getString("directory").value_or("").str();
    C.Source = E->getString("file").value_or("").str();
    if (const llvm::json::Array *Args = E->getArray("arguments")) {
      for (const llvm::json::Value &A : *Args)
        if (auto S = A.getAsString())
          C.Argv.push_back(S->str());
    } else if (auto Command = E->getString("command")) {
      llvm::BumpPtrAllocator Alloc;
      llvm::StringSaver Saver(Alloc);
      llvm::SmallVector<const char *, 64> Tokens;
      llvm::cl::TokenizeGNUCommandLine(*Command, Saver, Tokens);
      for (const char *T : Tokens)
        C.Argv.push_back(T);
    }
    if (C.Argv.empty()) // a phony edge
      continue;
    if (C.Directory.empty() || C.Source.empty())
      return planError(Path + ": an entry lacks its directory or file");
    // A launcher in front of the compiler (hotast itself, ccache).
    llvm::StringRef First = llvm::sys::path::filename(C.Argv.front());
    if ((First == "hotast" || First == "ccache") && C.Argv.size() > 1)
      C.Argv.erase(C.Argv.begin());
    // Only compiles (Ninja lists links and custom commands too).
    if (!llvm::is_contained(C.Argv, "-c"))
      continue;
    C.Output = E->getString("output").value_or("").str();
    if (C.Output.empty())
      C.Output = outputOf(C.Argv);
    Out.push_back(std::move(C));
  }
  return Out;
}

} // namespace hotast
