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
#include "llvm/ADT/StringMap.h"
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

namespace {

/// The (path, contents) pairs of Files, each read from the file naming them.
llvm::Expected<std::vector<std::pair<std::string, std::string>>>
loadContents(llvm::ArrayRef<std::pair<std::string, std::string>> Files) {
  std::vector<std::pair<std::string, std::string>> Out;
  for (const auto &[Path, Holder] : Files) {
    auto Buf = llvm::MemoryBuffer::getFile(Holder, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf)
      return llvm::createFileError(Holder, Buf.getError());
    Out.emplace_back(Path, (*Buf)->getBuffer().str());
  }
  return Out;
}

FileSummary summaryOf(const CompileOutcome &Parsed) {
  FileSummary S;
  // A declaration may have two records: as this unit sees it, and as a unit
  // that does not see its definition does (TUFingerprint::FileDecls).
  for (const DeclRecord &R : Parsed.Fingerprint->FileDecls) {
    Hasher H;
    H.add(R.Full).add(R.Layout);
    S.Decls.push_back({R.Key, R.Kind, R.Name, R.File, R.Line, H.final()});
  }
  S.Directives = Parsed.SummaryDirectives;
  return S;
}

void addReasons(UnitPlan &P, const std::vector<SnapshotDecl> &Before,
                const std::vector<SnapshotDecl> &After) {
  MissReasons Why = missReasons(Before, After, 10);
  for (auto &[Change, D] : Why.All)
    P.Changes.push_back({Change, D->Key, D->Kind, D->Name, D->File, D->Line});
  P.Reasons = std::move(Why.Shown);
  if (Why.Total > P.Reasons.size())
    P.Reasons.push_back("and " + std::to_string(Why.Total - P.Reasons.size()) + " more");
  if (P.Reasons.empty())
    P.Reasons.push_back(NoDeclarationChanged);
}

/// The question is whether the object the build has changes: the object
/// the wrapper would hand out is compared with it by content.
std::optional<Hash128> contentOf(llvm::StringRef Output) {
  if (auto Bytes = llvm::MemoryBuffer::getFile(Output, /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false))
    return hashBytes((*Bytes)->getBuffer());
  return std::nullopt;
}

/// Direct mode's answer, when every file of an earlier compile of these
/// bytes is as it was: the build's object stays, or that compile's comes
/// back from the cache.
llvm::Expected<std::optional<UnitPlan>> directVerdict(Store &S, ObjectCache &Objects,
                                                      const Hash128 &Key,
                                                      const std::optional<Hash128> &Current,
                                                      llvm::StringRef Cwd) {
  auto Direct = findDirect(S, Objects, Key, Cwd);
  if (!Direct)
    return Direct.takeError();
  if (!*Direct)
    return std::nullopt;
  UnitPlan P;
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

} // namespace

llvm::Expected<UnitPlan> planUnit(const Config &C, llvm::ArrayRef<std::string> Argv,
                                  const UnitRequest &Request) {
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

  std::optional<Hash128> Current = contentOf(Cl.Command.Output);
  // Direct mode answers for the files on disk only, and a summary needs the
  // parse.
  if (Request.Contents.empty() && !Request.ParseBefore) {
    auto Direct = directVerdict(**S, *Objects, Keys->Direct, Current, Cwd);
    if (!Direct)
      return Direct.takeError();
    if (*Direct)
      return std::move(**Direct);
  }
  // The last compile of this unit through hotast: its fingerprint and
  // declarations, for the reasons.
  auto Last = (*S)->snapshot(Keys->Unit);
  if (!Last)
    return Last.takeError();
  if (!*Last && !Request.CompareBefore) {
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
  ParseOverrides Now;
  auto Contents = loadContents(Request.Contents);
  if (!Contents)
    return Contents.takeError();
  Now.Contents = std::move(*Contents);
  Now.SummaryFiles = Request.SummaryFiles;
  auto Parsed = fingerprintInProcess(Expanded, Keys->Salt, Now);
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
  if (!Request.SummaryFiles.empty())
    P.Summary = summaryOf(*Parsed);

  std::optional<CompileOutcome> Before;
  if (Request.ParseBefore) {
    ParseOverrides Then = Now;
    auto Old = loadContents(Request.Before);
    if (!Old)
      return Old.takeError();
    for (auto &Entry : *Old)
      Then.Contents.push_back(std::move(Entry));
    auto B = fingerprintInProcess(Expanded, Keys->Salt, Then);
    if (!B)
      return B.takeError();
    if (B->ExitCode == 0 && B->Fingerprint) {
      if (!Request.SummaryFiles.empty())
        P.BeforeSummary = summaryOf(*B);
      Before = std::move(*B);
    }
  }

  if (Request.CompareBefore) {
    if (!Before) {
      P.V = UnitPlan::Verdict::Recompile;
      P.How = "compile";
      P.Reasons.push_back("its sources did not compile before the edit");
      return P;
    }
    if (Before->Fingerprint->Value == FP.Value) {
      P.V = UnitPlan::Verdict::Unchanged;
      P.How = "same declarations";
      return P;
    }
    P.V = UnitPlan::Verdict::Recompile;
    P.How = "compile";
    addReasons(P, snapshotOf(*Before->Fingerprint), snapshotOf(FP));
    return P;
  }

  auto Stored = (*S)->result(FP.Value);
  if (!Stored)
    return Stored.takeError();
  // An object for these declarations decides by its bytes: the build's own
  // (the same declarations, or an edit that changed declarations but not
  // the code, then undone) or another. Without one (evicted), the same
  // fingerprint as the compile the build's object came from.
  if (*Stored ? Current == (*Stored)->Object : FP.Value == (*Last)->Fingerprint) {
    P.V = UnitPlan::Verdict::Unchanged;
    P.How = "same declarations";
    return P;
  }
  P.V = UnitPlan::Verdict::Recompile;
  addReasons(P, (*Last)->Decls, snapshotOf(FP));
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

namespace {

Hash128 hashFromHex(llvm::StringRef Hex) {
  Hash128 H;
  Hash128::fromHex(Hex, H);
  return H;
}

llvm::json::Value summaryToJson(const FileSummary &S) {
  llvm::json::Array Decls, Directives;
  for (const SnapshotDecl &D : S.Decls)
    Decls.push_back(llvm::json::Array{D.Key, D.Kind, D.Name, D.File, D.Line, D.Hash.toHex()});
  for (const auto &[What, Hash] : S.Directives)
    Directives.push_back(llvm::json::Array{What, Hash.toHex()});
  return llvm::json::Object{{"decls", std::move(Decls)}, {"directives", std::move(Directives)}};
}

std::optional<FileSummary> summaryFromJson(const llvm::json::Value *V) {
  const llvm::json::Object *O = V ? V->getAsObject() : nullptr;
  if (!O)
    return std::nullopt;
  FileSummary S;
  auto Str = [](const llvm::json::Array &A, size_t I) {
    return I < A.size() ? A[I].getAsString().value_or("").str() : std::string();
  };
  if (const llvm::json::Array *Decls = O->getArray("decls"))
    for (const llvm::json::Value &E : *Decls)
      if (const llvm::json::Array *A = E.getAsArray(); A && A->size() == 6)
        S.Decls.push_back({Str(*A, 0), Str(*A, 1), Str(*A, 2), Str(*A, 3),
                           unsigned((*A)[4].getAsInteger().value_or(0)),
                           hashFromHex(Str(*A, 5))});
  if (const llvm::json::Array *Dirs = O->getArray("directives"))
    for (const llvm::json::Value &E : *Dirs)
      if (const llvm::json::Array *A = E.getAsArray(); A && A->size() == 2)
        S.Directives.emplace_back(Str(*A, 0), hashFromHex(Str(*A, 1)));
  return S;
}

llvm::json::Array pairsToJson(const std::vector<std::pair<std::string, std::string>> &Pairs) {
  llvm::json::Array Out;
  for (const auto &[A, B] : Pairs)
    Out.push_back(llvm::json::Array{A, B});
  return Out;
}

std::vector<std::pair<std::string, std::string>> pairsFromJson(const llvm::json::Array *A) {
  std::vector<std::pair<std::string, std::string>> Out;
  if (A)
    for (const llvm::json::Value &E : *A)
      if (const llvm::json::Array *P = E.getAsArray(); P && P->size() == 2)
        Out.emplace_back((*P)[0].getAsString().value_or("").str(),
                         (*P)[1].getAsString().value_or("").str());
  return Out;
}

} // namespace

llvm::json::Value unitPlanToJson(const UnitPlan &P) {
  static const char *Names[] = {"unchanged", "recompile", "unknown", "failed"};
  llvm::json::Object O{{"verdict", Names[int(P.V)]},
                       {"how", P.How},
                       {"reasons", llvm::json::Array(P.Reasons)},
                       {"changes", changesToJson(P.Changes)},
                       {"diagnostics", P.Diagnostics}};
  if (P.Summary)
    O["summary"] = summaryToJson(*P.Summary);
  if (P.BeforeSummary)
    O["before_summary"] = summaryToJson(*P.BeforeSummary);
  return O;
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
  P.Summary = summaryFromJson(O->get("summary"));
  P.BeforeSummary = summaryFromJson(O->get("before_summary"));
  return P;
}

llvm::json::Value unitRequestToJson(const UnitRequest &R) {
  return llvm::json::Object{{"contents", pairsToJson(R.Contents)},
                            {"summarize", llvm::json::Array(R.SummaryFiles)},
                            {"before", pairsToJson(R.Before)},
                            {"parse_before", R.ParseBefore},
                            {"compare_before", R.CompareBefore}};
}

llvm::Expected<UnitRequest> unitRequestFromJson(llvm::StringRef Text) {
  auto Doc = llvm::json::parse(Text);
  if (!Doc)
    return Doc.takeError();
  const llvm::json::Object *O = Doc->getAsObject();
  if (!O)
    return planError("not a unit request: " + Text);
  UnitRequest R;
  R.Contents = pairsFromJson(O->getArray("contents"));
  R.Before = pairsFromJson(O->getArray("before"));
  if (const llvm::json::Array *S = O->getArray("summarize"))
    for (const llvm::json::Value &E : *S)
      if (auto Str = E.getAsString())
        R.SummaryFiles.push_back(Str->str());
  R.ParseBefore = O->getBoolean("parse_before").value_or(false);
  R.CompareBefore = O->getBoolean("compare_before").value_or(false);
  return R;
}

namespace {

/// One unit to plan: a compile of the build and what to parse besides the
/// files on disk.
struct UnitTask {
  size_t Index;
  UnitRequest Request;
};

/// Each task planned in a process of its own (`hotast-clang plan --unit`),
/// Jobs at a time: a compile is planned in its directory, and the working
/// directory belongs to the process. With Jobs 1, in this process.
llvm::Expected<std::vector<UnitPlan>> planTasks(const Config &C,
                                                const std::vector<BuildCompile> &Compiles,
                                                const std::vector<UnitTask> &Tasks,
                                                unsigned Jobs) {
  std::vector<UnitPlan> Out;
  if (Jobs <= 1 || Tasks.size() <= 1) {
    for (const UnitTask &T : Tasks) {
      const BuildCompile &BC = Compiles[T.Index];
      WorkingDirScope In(BC.Directory);
      if (In.EC)
        return planError(BC.Directory + ": " + In.EC.message());
      auto P = planUnit(C, BC.Argv, T.Request);
      if (!P)
        return planError(BC.Source + ": " + llvm::toString(P.takeError()));
      Out.push_back(std::move(*P));
    }
    return Out;
  }
  std::string Self = llvm::sys::fs::getMainExecutable(nullptr, (void *)&planBuild);
  struct Running {
    size_t Task;
    llvm::sys::ProcessInfo PI;
    std::string Out, Request;
  };
  std::vector<std::optional<UnitPlan>> Plans(Tasks.size());
  std::vector<Running> Active;
  size_t Next = 0;
  auto Finish = [&](Running &R, int Status) -> llvm::Error {
    auto Text = llvm::MemoryBuffer::getFile(R.Out);
    llvm::sys::fs::remove(R.Out);
    if (!R.Request.empty())
      llvm::sys::fs::remove(R.Request);
    if (!Text)
      return llvm::createFileError(R.Out, Text.getError());
    if (Status != 0)
      return planError(Compiles[Tasks[R.Task].Index].Source + ": " +
                       (*Text)->getBuffer().trim());
    auto P = unitPlanFromJson((*Text)->getBuffer());
    if (!P)
      return P.takeError();
    Plans[R.Task] = std::move(*P);
    return llvm::Error::success();
  };
  auto TempFile = [](llvm::StringRef Suffix) -> llvm::Expected<std::string> {
    llvm::SmallString<128> Path;
    int FD;
    if (std::error_code EC = llvm::sys::fs::createTemporaryFile("hotast-plan", Suffix, FD, Path))
      return llvm::createFileError(Path, EC);
    ::close(FD);
    return std::string(Path);
  };
  while (Next < Tasks.size() || !Active.empty()) {
    while (Next < Tasks.size() && Active.size() < Jobs) {
      const UnitTask &T = Tasks[Next];
      const BuildCompile &BC = Compiles[T.Index];
      auto Out = TempFile("json");
      if (!Out)
        return Out.takeError();
      std::string Request;
      std::vector<std::string> Argv = {Self, "plan", "--unit", BC.Directory};
      if (!T.Request.SummaryFiles.empty() || !T.Request.Contents.empty() ||
          T.Request.ParseBefore) {
        auto File = TempFile("request");
        if (!File)
          return File.takeError();
        Request = *File;
        std::error_code EC;
        llvm::raw_fd_ostream OS(Request, EC);
        if (EC)
          return llvm::createFileError(Request, EC);
        OS << unitRequestToJson(T.Request);
        Argv.push_back("--request");
        Argv.push_back(Request);
      }
      Argv.push_back("--");
      Argv.insert(Argv.end(), BC.Argv.begin(), BC.Argv.end());
      std::vector<llvm::StringRef> Args(Argv.begin(), Argv.end());
      std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(*Out),
                                                    llvm::StringRef(*Out)};
      std::string Error;
      bool Failed = false;
      llvm::sys::ProcessInfo PI = llvm::sys::ExecuteNoWait(Self, Args, std::nullopt, Redirects, 0,
                                                           &Error, &Failed);
      if (Failed) {
        llvm::sys::fs::remove(*Out);
        return planError("cannot run " + Self + ": " + Error);
      }
      Active.push_back({Next++, PI, *Out, Request});
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

namespace {

std::string realPath(llvm::StringRef Dir, llvm::StringRef Path) {
  std::string Abs = absoluteIn(Dir, Path);
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Abs, Real))
    return Abs;
  return std::string(Real);
}

/// What the plan compares the sources on disk with, and where the contents
/// of before the edit come from.
class Baseline {
public:
  enum class Kind { LastBuild, Files, Since } K = Kind::LastBuild;

  /// FILES: the edit is these files (real paths); any other file as the
  /// build read it.
  llvm::StringSet<> Named;
  /// --since: the files git says changed since REV (real paths), with the
  /// file holding their contents at REV (empty: the file is new since).
  std::map<std::string, std::string> SinceContents;

  llvm::Error setUp() {
    llvm::SmallString<128> Dir;
    if (std::error_code EC = llvm::sys::fs::createUniqueDirectory("hotast-plan", Dir))
      return llvm::createFileError(Dir, EC);
    TempDir = std::string(Dir);
    return llvm::Error::success();
  }
  ~Baseline() {
    if (!TempDir.empty())
      llvm::sys::fs::remove_directories(TempDir);
  }

  /// The files of Since at revision Rev of the git repository that holds
  /// Dir (the sources).
  llvm::Error fromGit(llvm::StringRef Dir, llvm::StringRef Rev) {
    K = Kind::Since;
    auto Top = capture({"git", "-C", Dir.str(), "rev-parse", "--show-toplevel"});
    if (!Top)
      return planError("--since needs a git repository: " + llvm::toString(Top.takeError()));
    std::string Root = llvm::StringRef(*Top).trim().str();
    auto Verified = capture({"git", "-C", Root, "rev-parse", "--verify", "--quiet",
                             Rev.str() + "^{commit}"});
    if (!Verified)
      return planError("--since " + Rev + ": not a revision of " + Root);
    auto Names = capture({"git", "-C", Root, "diff", "--name-only", "-z", Rev.str(), "--"});
    if (!Names)
      return Names.takeError();
    llvm::SmallVector<llvm::StringRef, 0> List;
    llvm::StringRef(*Names).split(List, '\0', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef Name : List) {
      std::string Holder;
      if (auto Text = capture({"git", "-C", Root, "show", Rev.str() + ":" + Name.str()})) {
        Holder = TempDir + "/since-" + std::to_string(SinceContents.size());
        if (llvm::Error E = writeFileAtomically(Holder, *Text))
          return E;
      } else {
        llvm::consumeError(Text.takeError()); // new since Rev
      }
      SinceContents[realPath(Root, Name)] = Holder;
    }
    return llvm::Error::success();
  }

  /// A file holding the contents Stamp had when the build read it (kept by
  /// the wrapper beside the objects), or an empty string when they are gone.
  std::string keptContents(ObjectCache &Objects, const FileStamp &Stamp) {
    std::string Hex = Stamp.Content.toHex();
    auto [It, New] = Kept.try_emplace(Hex);
    if (New) {
      auto Text = Objects.get(Stamp.Content);
      if (!Text) {
        llvm::consumeError(Text.takeError());
      } else {
        std::string Path = TempDir + "/kept-" + Hex;
        if (llvm::Error E = writeFileAtomically(Path, *Text))
          llvm::consumeError(std::move(E));
        else
          It->second = Path;
      }
    }
    return It->second;
  }

  /// realPath and stampMatches, once per file for all the units.
  const std::string &realPath(llvm::StringRef Dir, llvm::StringRef Path) {
    std::string Abs = absoluteIn(Dir, Path);
    auto [It, New] = RealPaths.try_emplace(Abs);
    if (New)
      It->second = hotast::realPath(".", Abs);
    return It->second;
  }
  bool matches(const FileStamp &F) {
    auto Key = std::make_tuple(F.Path, F.Size, F.MTimeNs, F.Content.toHex());
    auto [It, New] = Matches.try_emplace(Key, false);
    if (New)
      It->second = stampMatches(F);
    return It->second;
  }

private:
  std::string TempDir;
  std::map<std::string, std::string> Kept;
  llvm::StringMap<std::string> RealPaths;
  std::map<std::tuple<std::string, uint64_t, int64_t, std::string>, bool> Matches;
};

/// One compile as the plan sees it before parsing anything.
struct Inspection {
  std::optional<UnitPlan> Decided;
  CompileKeys Keys;
  std::optional<UnitSnapshot> Snap;
  /// The edit's files among those the unit read (real paths), with a file
  /// holding each one's contents before the edit.
  std::vector<std::pair<std::string, std::string>> Changed;
  /// Files that changed outside the edit (FILES): parsed as they were.
  std::vector<std::pair<std::string, std::string>> Others;
  /// The contents before the edit of a changed file are not known.
  std::string Unknowable;
  bool MainChanged = false;
  /// The build's object is not the one of the snapshot's compile: only a
  /// parse of this unit can tell.
  bool Stale = false;
  /// The compile's flags without its own files: units with the same view
  /// see a header the same way, short of macros their sources define first.
  Hash128 View;
  /// The edit's files and their contents before it, for grouping.
  Hash128 EditKey;
};

UnitPlan decided(UnitPlan::Verdict V, llvm::StringRef How, llvm::StringRef Reason = "") {
  UnitPlan P;
  P.V = V;
  P.How = How.str();
  if (!Reason.empty())
    P.Reasons.push_back(Reason.str());
  return P;
}

Hash128 viewOf(const BuildCompile &BC) {
  Hasher H;
  H.add(BC.Directory);
  static const llvm::StringSet<> WithValue = {"-o", "-MF", "-MT", "-MQ", "-MJ"};
  for (size_t I = 0; I < BC.Argv.size(); ++I) {
    llvm::StringRef A = BC.Argv[I];
    if (WithValue.contains(A)) {
      ++I;
      continue;
    }
    if (A == BC.Source || A == "-c" || A.starts_with("-MF") || A.starts_with("-MT") ||
        A.starts_with("-MQ") || (A.starts_with("-o") && A.size() > 2))
      continue;
    H.add(A);
  }
  return H.final();
}

/// The compile's keys, its last compile's snapshot, and which of the files
/// that compile read the edit changed; decided at once when direct mode
/// answers, when hotast has no record, or when nothing it read changed.
llvm::Expected<Inspection> inspect(const BuildCompile &BC, Store &S, ObjectCache &Objects,
                                   Baseline &B,
                                   const std::map<Hash128, Store::UnitHead> &Heads) {
  Inspection In;
  In.View = viewOf(BC);
  std::vector<std::string> Expanded = expandResponseFiles(BC.Argv);
  Classification Cl = classifyCommandLine(Expanded);
  if (!Cl.Cacheable) {
    In.Decided = decided(UnitPlan::Verdict::Recompile, "compile",
                         "not cached by hotast (" + Cl.Reason + "): the compiler runs");
    return In;
  }
  auto Keys = compileKeys(Cl.Command);
  if (!Keys)
    return Keys.takeError();
  In.Keys = *Keys;
  auto Head = Heads.find(Keys->Unit);
  if (Head == Heads.end() || Head->second.Snapshot.Files.empty()) {
    In.Decided = decided(UnitPlan::Verdict::Unknown, "compile",
                         "never compiled through hotast with this command: counted as "
                         "recompiled");
    return In;
  }
  In.Snap = Head->second.Snapshot;
  // The snapshot is of the unit's last compile through the wrapper's
  // parse; a direct hit since (an edit undone) leaves it behind. Only when
  // the build's object is that compile's are its files the build's.
  std::optional<Hash128> Current = contentOf(Cl.Command.Output);
  if (!Head->second.Object || Head->second.Object != Current)
    In.Stale = true;
  std::string Main = B.realPath(BC.Directory, BC.Source);
  Hasher Edit;
  for (const FileStamp &F : In.Snap->Files) {
    const std::string &Real = B.realPath(BC.Directory, F.Path);
    bool InEdit = false, Differs = false;
    std::string Holder;
    if (B.K == Baseline::Kind::Since) {
      auto It = B.SinceContents.find(Real);
      InEdit = Differs = It != B.SinceContents.end();
      if (InEdit)
        Holder = It->second;
    } else {
      Differs = !B.matches(F);
      InEdit = Differs && (B.K == Baseline::Kind::LastBuild || B.Named.contains(Real));
      // A file saved while the build read it has no known contents then
      // (stampFiles): what the build compiled from it is unknowable.
      if (Differs && F.Size != UINT64_MAX)
        Holder = B.keptContents(Objects, F);
    }
    if (!Differs)
      continue;
    if (Holder.empty()) {
      if (InEdit && In.Unknowable.empty())
        In.Unknowable = Real;
      if (!InEdit) // outside the edit and its old contents gone: parsed as it is
        continue;
    }
    (InEdit ? In.Changed : In.Others).emplace_back(Real, Holder);
    if (InEdit) {
      Edit.add(Real).add(F.Content);
      In.MainChanged |= Real == Main;
    }
  }
  In.EditKey = Edit.final();
  if (!In.Changed.empty())
    return In;
  if (B.K != Baseline::Kind::LastBuild) {
    In.Decided = decided(UnitPlan::Verdict::Unchanged, "untouched");
    return In;
  }
  // Nothing it read changed: direct mode answers without a parse.
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  auto Direct = directVerdict(S, Objects, Keys->Direct, Current, Cwd);
  if (!Direct)
    return Direct.takeError();
  In.Decided = std::move(*Direct);
  return In;
}

/// The key's records' hashes, in order: a key changed when they differ as a
/// whole (several records share a key: redeclarations, specializations).
std::map<std::string, std::vector<Hash128>> hashesByKey(const std::vector<SnapshotDecl> &Decls) {
  std::map<std::string, std::vector<Hash128>> Out;
  for (const SnapshotDecl &D : Decls)
    Out[D.Key].push_back(D.Hash);
  for (auto &[Key, Hashes] : Out)
    llvm::sort(Hashes, [](const Hash128 &A, const Hash128 &B) { return A.toHex() < B.toHex(); });
  return Out;
}

/// --predict: the other units of a group (the same flags, the same edited
/// files), answered from the parsed unit's view of the edit and the store's
/// records of which declarations each unit uses.
llvm::Error answerFromRecords(Store &S, const UnitPlan &Parsed,
                              const std::vector<size_t> &Members,
                              const std::vector<Inspection> &Units,
                              std::vector<std::optional<UnitPlan>> &Plans) {
  auto CannotTell = [&](const std::string &Why) {
    for (size_t I : Members)
      Plans[I] = decided(UnitPlan::Verdict::Recompile, "compile",
                         "the records cannot tell (" + Why + "): counted as recompiled");
  };
  if (!Parsed.Summary || !Parsed.BeforeSummary)
    return CannotTell("the unit parsed for this edit does not compile before or after it"),
           llvm::Error::success();
  const FileSummary &Now = *Parsed.Summary, &Then = *Parsed.BeforeSummary;
  // What a header does besides declaring (macros, conditions, includes)
  // reaches units through their own code: the records do not follow it.
  for (size_t I = 0; I != std::max(Now.Directives.size(), Then.Directives.size()); ++I) {
    if (I < Now.Directives.size() && I < Then.Directives.size() &&
        Now.Directives[I] == Then.Directives[I])
      continue;
    const auto &D = I < Now.Directives.size() ? Now.Directives[I] : Then.Directives[I];
    return CannotTell(D.first + " changed"), llvm::Error::success();
  }
  auto Before = hashesByKey(Then.Decls), After = hashesByKey(Now.Decls);
  std::map<std::string, const SnapshotDecl *> Describe;
  for (const SnapshotDecl &D : Then.Decls)
    Describe.try_emplace(D.Key, &D);
  // A declaration added to a class is found through that class only, and
  // the class changed with it: the units that use the class recompile. Any
  // other new declaration may be found by a lookup in any unit.
  static const llvm::StringSet<> Classes = {"struct", "class", "union", "class template",
                                            "partial specialization", "specialization"};
  auto InChangedClass = [&](llvm::StringRef Key) {
    for (size_t At = Key.rfind('@'); At != llvm::StringRef::npos && At > 0;
         At = Key.rfind('@', At - 1)) {
      auto D = Describe.find(Key.take_front(At).str());
      if (D != Describe.end() && Classes.contains(D->second->Kind)) {
        auto Now = After.find(D->first);
        return Now == After.end() || Now->second != Before[D->first];
      }
    }
    return false;
  };
  for (const SnapshotDecl &D : Now.Decls)
    if (!Before.count(D.Key) && !InChangedClass(D.Key))
      return CannotTell("added " + D.Kind + " " + D.Name + " (" + D.File + ":" +
                        std::to_string(D.Line) + "): lookups may find it"),
             llvm::Error::success();
  std::vector<std::string> Keys;
  for (auto &[Key, Hashes] : Before)
    Keys.push_back(Key);
  auto Uses = S.unitsUsing(Keys);
  if (!Uses)
    return Uses.takeError();
  std::map<std::string, std::vector<const DeclUse *>> ByUnit;
  for (const DeclUse &U : *Uses)
    ByUnit[U.TUKey.toHex()].push_back(&U);
  for (size_t I : Members) {
    UnitPlan P;
    std::set<std::string> Seen;
    std::string Differs;
    auto It = ByUnit.find(Units[I].Keys.Unit.toHex());
    if (It != ByUnit.end())
      for (const DeclUse *U : It->second) {
        const std::vector<Hash128> &Old = Before[U->Key];
        if (!llvm::is_contained(Old, U->Hash)) {
          Differs = U->Key;
          break;
        }
        // This unit's view of the declaration is among the new views.
        auto New = After.find(U->Key);
        if ((New != After.end() && llvm::is_contained(New->second, U->Hash)) ||
            !Seen.insert(U->Key).second)
          continue;
        const SnapshotDecl &D = *Describe[U->Key];
        std::string Change = New == After.end() ? "removed" : "changed";
        P.Changes.push_back({Change, D.Key, D.Kind, D.Name, D.File, D.Line});
        if (P.Reasons.size() < 10)
          P.Reasons.push_back(Change + " " + D.Kind + " " + D.Name + " (" + D.File + ":" +
                              std::to_string(D.Line) + ")");
      }
    if (!Differs.empty()) {
      const SnapshotDecl &D = *Describe[Differs];
      Plans[I] = decided(UnitPlan::Verdict::Recompile, "compile",
                         "the records cannot tell (" + D.Kind + " " + D.Name +
                             " is not what this unit saw when it was built): counted as "
                             "recompiled");
      continue;
    }
    if (P.Changes.size() > P.Reasons.size())
      P.Reasons.push_back("and " + std::to_string(P.Changes.size() - P.Reasons.size()) +
                          " more");
    P.V = P.Changes.empty() ? UnitPlan::Verdict::Unchanged : UnitPlan::Verdict::Recompile;
    P.How = P.Changes.empty() ? "predicted" : "compile";
    Plans[I] = std::move(P);
  }
  return llvm::Error::success();
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
  size_t Known = 0, Parsed = 0, Predicted = 0;
  // Where the time goes: reading the build's records and stamps, parsing
  // (the worker processes), answering from the records, the build's graph.
  using Clock = std::chrono::steady_clock;
  auto SecondsSince = [](Clock::time_point T) {
    return std::chrono::duration<double>(Clock::now() - T).count();
  };
  double InspectS = 0, ParseS = 0, RecordsS = 0, TargetsS = 0;
  std::string Text;
  std::vector<UnitPlan> Plans;
  Baseline B;
  bool Inspect = O.Predict || !O.Files.empty() || !O.Since.empty();
  if (!Inspect) {
    std::vector<UnitTask> Tasks;
    for (size_t I = 0; I != Compiles->size(); ++I)
      Tasks.push_back({I, {}});
    auto T0 = Clock::now();
    auto Done = planTasks(O.C, *Compiles, Tasks, O.Jobs);
    if (!Done)
      return Fail(llvm::toString(Done.takeError()));
    ParseS = SecondsSince(T0);
    Plans = std::move(*Done);
  } else {
    auto T0 = Clock::now();
    if (llvm::Error E = B.setUp())
      return Fail(llvm::toString(std::move(E)));
    if (!O.Since.empty()) {
      // The repository of the sources (the build directory may be
      // outside it).
      std::string Sources =
          Compiles->empty()
              ? std::string(BuildDir)
              : llvm::sys::path::parent_path(
                    absoluteIn(Compiles->front().Directory, Compiles->front().Source))
                    .str();
      if (llvm::Error E = B.fromGit(Sources, O.Since))
        return Fail(llvm::toString(std::move(E)));
    } else if (!O.Files.empty()) {
      B.K = Baseline::Kind::Files;
      for (const std::string &F : O.Files) {
        if (!llvm::sys::fs::exists(F))
          return Fail(F + ": no such file");
        B.Named.insert(realPath(".", F));
      }
    }
    auto S = Store::open(O.C.CacheDir);
    if (!S)
      return Fail(llvm::toString(S.takeError()));
    auto Objects = ObjectCache::open(O.C.CacheDir);
    if (!Objects)
      return Fail(llvm::toString(Objects.takeError()));
    auto Heads = (*S)->unitHeads();
    if (!Heads)
      return Fail(llvm::toString(Heads.takeError()));
    std::vector<Inspection> Units;
    std::vector<std::optional<UnitPlan>> Decided(Compiles->size());
    std::vector<UnitTask> Tasks;
    // Groups for --predict: one parsed unit, the others from the records.
    std::map<std::pair<std::string, std::string>, std::vector<size_t>> Groups;
    for (size_t I = 0; I != Compiles->size(); ++I) {
      const BuildCompile &BC = (*Compiles)[I];
      WorkingDirScope In(BC.Directory);
      if (In.EC)
        return Fail(BC.Directory + ": " + In.EC.message());
      auto U = inspect(BC, **S, *Objects, B, *Heads);
      if (!U)
        return Fail(BC.Source + ": " + llvm::toString(U.takeError()));
      Units.push_back(std::move(*U));
      Inspection &Unit = Units.back();
      if (Unit.Decided) {
        Decided[I] = std::move(Unit.Decided);
        continue;
      }
      if (!Unit.Unknowable.empty()) {
        Decided[I] = decided(UnitPlan::Verdict::Recompile, "compile",
                             "the contents of " + Unit.Unknowable +
                                 " when the build read it are not known (saved while it was "
                                 "read, or evicted from the cache): counted as recompiled");
        continue;
      }
      UnitTask T{I, {}};
      T.Request.Contents = Unit.Others;
      if (B.K == Baseline::Kind::Since) {
        T.Request.Before = Unit.Changed;
        T.Request.ParseBefore = T.Request.CompareBefore = true;
      }
      if (!O.Predict || Unit.MainChanged || Unit.Stale || Unit.Changed.empty()) {
        Tasks.push_back(std::move(T));
        continue;
      }
      Groups[{Unit.View.toHex(), Unit.EditKey.toHex()}].push_back(I);
    }
    // The first unit of each group is parsed before and after the edit,
    // with a summary of the edited files.
    std::vector<std::pair<size_t, std::vector<size_t>>> Representatives;
    for (auto &[Key, Members] : Groups) {
      size_t First = Members.front();
      UnitTask T{First, {}};
      T.Request.Contents = Units[First].Others;
      T.Request.Before = Units[First].Changed;
      T.Request.ParseBefore = true;
      T.Request.CompareBefore = B.K == Baseline::Kind::Since;
      for (const auto &[Path, Holder] : Units[First].Changed)
        T.Request.SummaryFiles.push_back(Path);
      Tasks.push_back(std::move(T));
      Representatives.push_back({First, std::vector<size_t>(Members.begin() + 1, Members.end())});
    }
    InspectS = SecondsSince(T0);
    T0 = Clock::now();
    auto Done = planTasks(O.C, *Compiles, Tasks, O.Jobs);
    if (!Done)
      return Fail(llvm::toString(Done.takeError()));
    ParseS = SecondsSince(T0);
    T0 = Clock::now();
    std::map<size_t, UnitPlan *> ByIndex;
    for (size_t T = 0; T != Tasks.size(); ++T)
      ByIndex[Tasks[T].Index] = &(*Done)[T];
    for (auto &[First, Others] : Representatives) {
      if (llvm::Error E = answerFromRecords(**S, *ByIndex[First], Others, Units, Decided))
        return Fail(llvm::toString(std::move(E)));
      for (size_t I : Others)
        Predicted += Decided[I]->How == "predicted";
    }
    RecordsS = SecondsSince(T0);
    for (size_t T = 0; T != Tasks.size(); ++T)
      Decided[Tasks[T].Index] = std::move((*Done)[T]);
    for (auto &P : Decided)
      Plans.push_back(std::move(*P));
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
      if (P->How == "same declarations")
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
          " read a changed file and were parsed" +
          (O.Predict ? "; " + std::to_string(Predicted) + " answered from the records" : "") +
          ")\n";

  // Targets and tests, from the build's own graph.
  auto TargetsStart = Clock::now();
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
  TargetsS = SecondsSince(TargetsStart);
  R.Exit = Errors.empty() ? 0 : 2;
  R.Json = llvm::json::Object{{"version", 1},
                              {"seconds", llvm::json::Object{{"inspect", InspectS},
                                                             {"parse", ParseS},
                                                             {"records", RecordsS},
                                                             {"targets", TargetsS}}},
                              {"mode", O.Predict ? "predict" : "exact"},
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
