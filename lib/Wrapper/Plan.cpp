//===- Plan.cpp - What an edit makes the build recompile ------------------===//

#include "hotast/Wrapper/Plan.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Cache/ObjectCache.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Compile/Parse.h"
#include "hotast/Store/Store.h"
#include "hotast/Support/WorkingDir.h"
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

#include <chrono>
#include <map>
#include <tuple>
#include <optional>
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

  // The question is whether the object the build has changes: the object
  // the wrapper would hand out is compared with it by content.
  std::optional<Hash128> Current;
  if (auto Bytes = llvm::MemoryBuffer::getFile(Cl.Command.Output, /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false))
    Current = hashBytes((*Bytes)->getBuffer());

  auto Direct = findDirect(**S, *Objects, Keys->Direct, Cwd);
  if (!Direct)
    return Direct.takeError();
  if (*Direct) {
    if (Current == (*Direct)->Result.Object) {
      P.V = UnitPlan::Verdict::Unchanged;
      P.How = "same bytes";
      return P;
    }
    P.V = UnitPlan::Verdict::Recompile;
    P.How = "cache";
    P.Reasons.push_back("its files are as they were for an earlier compile: that compile's "
                        "object comes back from the cache");
    return P;
  }
  // The last compile of this unit through hotast: its fingerprint and
  // declarations, for the reasons.
  auto Last = (*S)->snapshot(Keys->Unit);
  if (!Last)
    return Last.takeError();
  if (!*Last) {
    P.V = UnitPlan::Verdict::Unknown;
    P.How = "compile";
    P.Reasons.push_back("never compiled through hotast with this command: counted as recompiled");
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
  auto Stored = (*S)->result(FP.Value);
  if (!Stored)
    return Stored.takeError();
  // An object for these declarations decides by its bytes: the build's own
  // (the same declarations, or an edit that changed declarations but not
  // the code, then undone) or another. Without one (evicted), the same
  // fingerprint as the compile the build's object came from.
  if (*Stored ? Current == (*Stored)->Object : FP.Value == (*Last)->first) {
    P.V = UnitPlan::Verdict::Unchanged;
    P.How = "same declarations";
    return P;
  }
  P.V = UnitPlan::Verdict::Recompile;
  std::vector<SnapshotDecl> Now = snapshotOf(FP);
  MissReasons Why = missReasons((*Last)->second, Now, 10);
  for (auto &[Change, D] : Why.All)
    P.Changes.push_back({Change, D->Key, D->Kind, D->Name, D->File, D->Line});
  P.Reasons = std::move(Why.Shown);
  if (Why.Total > P.Reasons.size())
    P.Reasons.push_back("and " + std::to_string(Why.Total - P.Reasons.size()) + " more");
  if (P.Reasons.empty())
    P.Reasons.push_back(NoDeclarationChanged);
  // The wrapper reuses a stored object for these declarations when it has
  // one (an earlier version of the sources): the object still changes.
  P.How = *Stored && !(*Stored)->BackendDiagnostics && Objects->contains((*Stored)->Object)
              ? "cache"
              : "compile";
  return P;
}

static llvm::json::Array changesToJson(const std::vector<UnitPlan::ChangedDecl> &Changes) {
  llvm::json::Array Out;
  for (const UnitPlan::ChangedDecl &C : Changes)
    Out.push_back(llvm::json::Object{{"change", C.Change}, {"key", C.Key},   {"kind", C.Kind},
                                     {"name", C.Name},     {"file", C.File}, {"line", C.Line}});
  return Out;
}

llvm::json::Value unitPlanToJson(const UnitPlan &P) {
  static const char *Names[] = {"unchanged", "recompile", "unknown", "failed"};
  return llvm::json::Object{{"verdict", Names[int(P.V)]},
                            {"how", P.How},
                            {"reasons", llvm::json::Array(P.Reasons)},
                            {"changes", changesToJson(P.Changes)},
                            {"diagnostics", P.Diagnostics}};
}

llvm::Expected<UnitPlan> unitPlanFromJson(llvm::StringRef Text) {
  auto Doc = llvm::json::parse(Text);
  if (!Doc)
    return Doc.takeError();
  const llvm::json::Object *O = Doc->getAsObject();
  if (!O)
    return planError("not a unit plan: " + Text);
  UnitPlan P;
  llvm::StringRef V = O->getString("verdict").value_or("");
  if (V == "unchanged")
    P.V = UnitPlan::Verdict::Unchanged;
  else if (V == "recompile")
    P.V = UnitPlan::Verdict::Recompile;
  else if (V == "unknown")
    P.V = UnitPlan::Verdict::Unknown;
  else if (V == "failed")
    P.V = UnitPlan::Verdict::Failed;
  else
    return planError("not a unit plan: " + Text);
  P.How = O->getString("how").value_or("").str();
  P.Diagnostics = O->getString("diagnostics").value_or("").str();
  if (const llvm::json::Array *R = O->getArray("reasons"))
    for (const llvm::json::Value &E : *R)
      if (auto S = E.getAsString())
        P.Reasons.push_back(S->str());
  if (const llvm::json::Array *C = O->getArray("changes"))
    for (const llvm::json::Value &E : *C)
      if (const llvm::json::Object *D = E.getAsObject())
        P.Changes.push_back({D->getString("change").value_or("").str(),
                             D->getString("key").value_or("").str(),
                             D->getString("kind").value_or("").str(),
                             D->getString("name").value_or("").str(),
                             D->getString("file").value_or("").str(),
                             unsigned(D->getInteger("line").value_or(0))});
  return P;
}

namespace {

/// Each compile planned in a process of its own (`hotast-clang plan
/// --unit`), Jobs at a time: a compile is planned in its directory, and the
/// working directory belongs to the process.
llvm::Expected<std::vector<UnitPlan>> planInProcesses(const std::vector<BuildCompile> &Compiles,
                                                      unsigned Jobs) {
  std::string Self = llvm::sys::fs::getMainExecutable(nullptr, (void *)&planBuild);
  struct Running {
    size_t Index;
    llvm::sys::ProcessInfo PI;
    std::string Out;
  };
  std::vector<std::optional<UnitPlan>> Plans(Compiles.size());
  std::vector<Running> Active;
  size_t Next = 0;
  auto Finish = [&](Running &R, int Status) -> llvm::Error {
    auto Text = llvm::MemoryBuffer::getFile(R.Out);
    llvm::sys::fs::remove(R.Out);
    if (!Text)
      return llvm::createFileError(R.Out, Text.getError());
    if (Status != 0)
      return planError(Compiles[R.Index].Source + ": " + (*Text)->getBuffer().trim());
    auto P = unitPlanFromJson((*Text)->getBuffer());
    if (!P)
      return P.takeError();
    Plans[R.Index] = std::move(*P);
    return llvm::Error::success();
  };
  while (Next < Compiles.size() || !Active.empty()) {
    while (Next < Compiles.size() && Active.size() < Jobs) {
      const BuildCompile &BC = Compiles[Next];
      llvm::SmallString<128> Out;
      int FD;
      if (std::error_code EC = llvm::sys::fs::createTemporaryFile("hotast-plan", "json", FD, Out))
        return llvm::createFileError(Out, EC);
      ::close(FD);
      std::vector<llvm::StringRef> Args = {Self, "plan", "--unit", BC.Directory, "--"};
      for (const std::string &A : BC.Argv)
        Args.push_back(A);
      std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(Out),
                                                    llvm::StringRef(Out)};
      std::string Error;
      bool Failed = false;
      llvm::sys::ProcessInfo PI = llvm::sys::ExecuteNoWait(Self, Args, std::nullopt, Redirects, 0,
                                                           &Error, &Failed);
      if (Failed) {
        llvm::sys::fs::remove(Out);
        return planError("cannot run " + Self + ": " + Error);
      }
      Active.push_back({Next++, PI, std::string(Out)});
    }
    bool Reaped = false;
    for (size_t I = 0; I < Active.size();) {
      llvm::sys::ProcessInfo Done = llvm::sys::Wait(Active[I].PI, 0u);
      if (Done.Pid == 0) {
        ++I;
        continue;
      }
      if (llvm::Error E = Finish(Active[I], Done.ReturnCode))
        return std::move(E); // the others end with this process's group
      Active.erase(Active.begin() + I);
      Reaped = true;
    }
    if (!Reaped)
      ::usleep(2000);
  }
  std::vector<UnitPlan> Out;
  for (auto &P : Plans)
    Out.push_back(std::move(*P));
  return Out;
}

} // namespace

namespace {

std::string dotQuote(llvm::StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '\n') {
      Out += "\\n";
      continue;
    }
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

/// The changed declarations, each with the units it reaches (the units
/// whose object changes because of it), grouped by the file that declares
/// them; in text, JSON or Graphviz dot.
PlanReport renderGraph(const std::vector<BuildCompile> &Compiles,
                       const std::vector<UnitPlan> &Plans, PlanOptions::Graph Format) {
  struct Node {
    UnitPlan::ChangedDecl D;
    std::vector<std::string> Units;
  };
  std::map<std::tuple<std::string, unsigned, std::string, std::string>, Node> Nodes;
  PlanReport R;
  std::string Errors;
  for (size_t I = 0; I != Compiles.size(); ++I) {
    std::string Source = absoluteIn(Compiles[I].Directory, Compiles[I].Source);
    if (Plans[I].V == UnitPlan::Verdict::Failed) {
      R.Exit = 2;
      Errors += "error: " + Compiles[I].Source + " does not compile:\n" + Plans[I].Diagnostics;
    }
    for (const UnitPlan::ChangedDecl &D : Plans[I].Changes) {
      Node &N = Nodes[{D.File, D.Line, D.Key, D.Change}];
      N.D = D;
      if (!llvm::is_contained(N.Units, Source))
        N.Units.push_back(Source);
    }
  }
  llvm::json::Array Decls;
  std::string Text, Dot = "digraph plan {\n  rankdir=LR;\n  node [fontsize=10];\n";
  std::map<std::string, std::vector<std::string>> ByFile; // file -> node ids
  std::map<std::string, std::string> UnitIds;
  size_t Id = 0;
  for (auto &[Where, N] : Nodes) {
    const UnitPlan::ChangedDecl &D = N.D;
    std::string What = D.Change + " " + D.Kind + " " + D.Name;
    Text += What + " (" + D.File + ":" + std::to_string(D.Line) + "): " +
            std::to_string(N.Units.size()) + (N.Units.size() == 1 ? " unit\n" : " units\n");
    for (const std::string &U : N.Units)
      Text += "  " + U + "\n";
    Decls.push_back(llvm::json::Object{{"change", D.Change},
                                       {"key", D.Key},
                                       {"kind", D.Kind},
                                       {"name", D.Name},
                                       {"file", D.File},
                                       {"line", D.Line},
                                       {"units", llvm::json::Array(N.Units)}});
    std::string NodeId = "d" + std::to_string(Id++);
    ByFile[D.File].push_back(NodeId);
    Dot += "  " + NodeId + " [shape=box, label=" +
           dotQuote(What + "\n" + llvm::sys::path::filename(D.File).str() + ":" +
                    std::to_string(D.Line)) + "];\n";
    for (const std::string &U : N.Units) {
      auto [It, New] = UnitIds.try_emplace(U, "u" + std::to_string(UnitIds.size()));
      if (New)
        Dot += "  " + It->second + " [label=" + dotQuote(llvm::sys::path::filename(U)) +
               ", tooltip=" + dotQuote(U) + "];\n";
      Dot += "  " + NodeId + " -> " + It->second + ";\n";
    }
  }
  size_t Cluster = 0;
  for (auto &[File, Ids] : ByFile) {
    Dot += "  subgraph cluster_" + std::to_string(Cluster++) + " {\n    label=" +
           dotQuote(File) + ";\n";
    for (const std::string &NodeId : Ids)
      Dot += "    " + NodeId + ";\n";
    Dot += "  }\n";
  }
  Dot += "}\n";
  if (Nodes.empty())
    Text += "no declaration changed in what the build's units use\n";
  R.Json = llvm::json::Object{{"version", 1}, {"declarations", std::move(Decls)}};
  R.Text = Errors + (Format == PlanOptions::Graph::Dot ? Dot : Text);
  return R;
}

} // namespace

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
  std::vector<UnitPlan> Plans;
  if (O.Jobs > 1 && Compiles->size() > 1) {
    auto InProcesses = planInProcesses(*Compiles, O.Jobs);
    if (!InProcesses)
      return Fail(llvm::toString(InProcesses.takeError()));
    Plans = std::move(*InProcesses);
  } else {
    for (const BuildCompile &BC : *Compiles) {
      WorkingDirScope In(BC.Directory);
      if (In.EC)
        return Fail(BC.Directory + ": " + In.EC.message());
      auto P = planUnit(O.C, BC.Argv);
      if (!P)
        return Fail(BC.Source + ": " + llvm::toString(P.takeError()));
      Plans.push_back(std::move(*P));
    }
  }
  if (O.GraphFormat != PlanOptions::Graph::None)
    return renderGraph(*Compiles, Plans, O.GraphFormat);
  for (size_t I = 0; I != Compiles->size(); ++I) {
    const BuildCompile &BC = (*Compiles)[I];
    UnitPlan *P = &Plans[I];
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
      Entry["changes"] = changesToJson(P->Changes);
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
