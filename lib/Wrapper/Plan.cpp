//===- Plan.cpp - What an edit makes the build recompile ------------------===//

#include "hotast/Wrapper/Plan.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Cache/ObjectCache.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Compile/Parse.h"
#include "hotast/Store/Store.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Explain.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/StringSaver.h"

#include <map>
#include <set>
#include <unistd.h>

namespace hotast {
namespace {

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
std::string outputOf(llvm::ArrayRef<std::string> Argv) {
  for (size_t I = 1; I < Argv.size(); ++I) {
    llvm::StringRef A = Argv[I];
    if (A == "-o" && I + 1 < Argv.size())
      return Argv[I + 1];
    if (A.starts_with("-o") && A.size() > 2)
      return A.drop_front(2).str();
  }
  return "";
}

/// Restores the working directory when it goes out of scope.
class InDirectory {
public:
  explicit InDirectory(llvm::StringRef Dir) {
    llvm::sys::fs::current_path(Saved);
    EC = llvm::sys::fs::set_current_path(Dir);
  }
  ~InDirectory() { llvm::sys::fs::set_current_path(Saved); }
  std::error_code EC;

private:
  llvm::SmallString<256> Saved;
};

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

std::map<std::string, NinjaNode> parseNinjaQuery(llvm::StringRef Text) {
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

} // namespace

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

llvm::Expected<UnitPlan> planUnit(const Config &C, llvm::ArrayRef<std::string> Argv) {
  UnitPlan P;
  std::vector<std::string> Expanded = expandResponseFiles(Argv);
  Classification Cl = classifyCommandLine(Expanded);
  if (!Cl.Cacheable) {
    P.V = UnitPlan::Verdict::Recompile;
    P.How = "compile";
    P.Reasons.push_back("not cached by hotast (" + Cl.Reason + "): the compiler runs");
    return P;
  }
  auto Keys = compileKeys(Cl.Command);
  if (!Keys)
    return Keys.takeError();
  auto S = Store::open(C.CacheDir);
  if (!S)
    return S.takeError();
  auto Objects = ObjectCache::open(C.CacheDir);
  if (!Objects)
    return Objects.takeError();
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);

  // What the build has now: the fingerprint of its last compile through
  // hotast (the object on disk is that compile's).
  auto Last = (*S)->snapshot(Keys->Unit);
  if (!Last)
    return Last.takeError();
  if (!*Last) {
    P.V = UnitPlan::Verdict::Unknown;
    P.How = "compile";
    P.Reasons.push_back("never compiled through hotast with this command: counted as recompiled");
    return P;
  }
  const Hash128 &Built = (*Last)->first;

  auto Direct = findDirect(**S, *Objects, Keys->Direct, Cwd);
  if (!Direct)
    return Direct.takeError();
  if (*Direct && (*Direct)->Fingerprint == Built) {
    P.V = UnitPlan::Verdict::Unchanged;
    P.How = "same bytes";
    return P;
  }
  if (!isLinkedClang(Keys->Compiler)) {
    P.V = UnitPlan::Verdict::Recompile;
    P.How = "compile";
    P.Reasons.push_back("a file it read changed (plan parses the compiles of " +
                        linkedClangPath().str() + " only)");
    return P;
  }
  auto Parsed = fingerprintInProcess(Expanded, Keys->Salt);
  if (!Parsed)
    return Parsed.takeError();
  if (!Parsed->NotCached.empty()) {
    P.V = UnitPlan::Verdict::Recompile;
    P.How = "compile";
    P.Reasons.push_back("not cached by hotast (" + Parsed->NotCached + "): the compiler runs");
    return P;
  }
  if (Parsed->ExitCode != 0 || !Parsed->Fingerprint) {
    P.V = UnitPlan::Verdict::Failed;
    P.Diagnostics = Parsed->Stderr;
    return P;
  }
  const TUFingerprint &FP = *Parsed->Fingerprint;
  if (FP.Value == Built) {
    P.V = UnitPlan::Verdict::Unchanged;
    P.How = "same declarations";
    return P;
  }
  P.V = UnitPlan::Verdict::Recompile;
  MissReasons Why = missReasons((*Last)->second, snapshotOf(FP), 10);
  P.Reasons = std::move(Why.Shown);
  if (Why.Total > P.Reasons.size())
    P.Reasons.push_back("and " + std::to_string(Why.Total - P.Reasons.size()) + " more");
  if (P.Reasons.empty())
    P.Reasons.push_back(NoDeclarationChanged);
  // The wrapper reuses a stored object for these declarations when it has
  // one (an earlier version of the sources): the object still changes.
  auto Stored = (*S)->result(FP.Value);
  if (!Stored)
    return Stored.takeError();
  P.How = *Stored && !(*Stored)->BackendDiagnostics && Objects->contains((*Stored)->Object)
              ? "cache"
              : "compile";
  return P;
}

PlanReport planBuild(const PlanOptions &O) {
  PlanReport R;
  auto Fail = [&](const llvm::Twine &Why) {
    R.Exit = 2;
    R.Error = Why.str();
    return std::move(R);
  };
  llvm::SmallString<256> BuildDir(O.BuildDir);
  if (std::error_code EC = llvm::sys::fs::make_absolute(BuildDir))
    return Fail(O.BuildDir + ": " + EC.message());
  auto Compiles = readCompileCommands(BuildDir);
  if (!Compiles)
    return Fail(llvm::toString(Compiles.takeError()));

  llvm::json::Array Recompile, Unchanged, Errors;
  std::vector<std::string> ChangedObjects;
  size_t Known = 0, Parsed = 0;
  std::string Text;
  for (const BuildCompile &BC : *Compiles) {
    InDirectory In(BC.Directory);
    if (In.EC)
      return Fail(BC.Directory + ": " + In.EC.message());
    auto P = planUnit(O.C, BC.Argv);
    if (!P)
      return Fail(BC.Source + ": " + llvm::toString(P.takeError()));
    std::string Output = absoluteIn(BC.Directory, BC.Output);
    llvm::json::Object Entry{{"source", absoluteIn(BC.Directory, BC.Source)}, {"output", Output}};
    if (P->V != UnitPlan::Verdict::Unknown)
      ++Known;
    switch (P->V) {
    case UnitPlan::Verdict::Unchanged:
      if (P->How != "same bytes")
        ++Parsed;
      Entry["how"] = P->How;
      Unchanged.push_back(std::move(Entry));
      break;
    case UnitPlan::Verdict::Failed:
      Entry["diagnostics"] = P->Diagnostics;
      Text += "error: " + BC.Source + " does not compile:\n" + P->Diagnostics;
      Errors.push_back(std::move(Entry));
      break;
    case UnitPlan::Verdict::Recompile:
    case UnitPlan::Verdict::Unknown:
      Entry["how"] = P->How;
      Entry["reasons"] = llvm::json::Array(P->Reasons);
      Text += (P->How == "cache" ? "changes (from the cache): " : "recompile: ") + BC.Source +
              " -> " + BC.Output + "\n";
      for (const std::string &Why : P->Reasons)
        Text += "  " + Why + "\n";
      ChangedObjects.push_back(Output);
      Recompile.push_back(std::move(Entry));
      break;
    }
  }
  if (Known == 0 && !Compiles->empty())
    return Fail("no compile of " + BuildDir + " was ever built through hotast (its records are "
                "in " + O.C.CacheDir +
                "): build it once with CMAKE_C_COMPILER_LAUNCHER=hotast and "
                "CMAKE_CXX_COMPILER_LAUNCHER=hotast");
  Text += "unchanged: " + std::to_string(Unchanged.size()) + " of " +
          std::to_string(Compiles->size()) + " compiles (" + std::to_string(Parsed) +
          " read a changed file and were parsed)\n";

  // Targets and tests, from the build's own graph.
  llvm::json::Array Targets, Tests;
  llvm::SmallString<256> Ninja(BuildDir);
  llvm::sys::path::append(Ninja, "build.ninja");
  if (!ChangedObjects.empty() && llvm::sys::fs::exists(Ninja)) {
    std::vector<std::string> Relative;
    for (const std::string &Obj : ChangedObjects) {
      llvm::StringRef Rel(Obj);
      if (Rel.consume_front(BuildDir) && Rel.consume_front("/"))
        Relative.push_back(Rel.str());
      else
        Relative.push_back(Obj);
    }
    auto Found = ninjaTargets(BuildDir, Relative);
    if (!Found)
      return Fail("the build's graph: " + llvm::toString(Found.takeError()));
    llvm::StringSet<> Absolute;
    for (const std::string &T : *Found) {
      Targets.push_back(T);
      Absolute.insert(absoluteIn(BuildDir, T));
      Text += "relink: " + T + "\n";
    }
    llvm::SmallString<256> CTest(BuildDir);
    llvm::sys::path::append(CTest, "CTestTestfile.cmake");
    if (llvm::sys::fs::exists(CTest)) {
      auto Affected = ctestTests(BuildDir, Absolute);
      if (!Affected)
        return Fail("the build's tests: " + llvm::toString(Affected.takeError()));
      for (const std::string &T : *Affected) {
        Tests.push_back(T);
        Text += "test: " + T + "\n";
      }
    }
  }
  R.Exit = Errors.empty() ? 0 : 2;
  R.Json = llvm::json::Object{{"version", 1},
                              {"build_dir", std::string(BuildDir)},
                              {"recompile", std::move(Recompile)},
                              {"unchanged", std::move(Unchanged)},
                              {"errors", std::move(Errors)},
                              {"targets", std::move(Targets)},
                              {"tests", std::move(Tests)}};
  R.Text = std::move(Text);
  return R;
}

} // namespace hotast
