//===- PlanUnit.cpp - One compile's plan ----------------------------------===//
//
// The wrapper's decision for one compile, taken without compiling or writing
// anything (planUnit), and the JSON in which planBuild's worker processes
// pass requests and plans.
//
//===----------------------------------------------------------------------===//

#include "PlanInternal.h"

#include "CommentEdit.h"
#include "DebugFiles.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Compile/Parse.h"
#include "hotast/Wrapper/Explain.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace hotast {
namespace plan {

/// The (path, contents) pairs of Files, each read from the file naming them.
static llvm::Expected<std::vector<std::pair<std::string, std::string>>>
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

static FileSummary summaryOf(const CompileOutcome &Parsed) {
  FileSummary S;
  // A declaration may have two records: as this unit sees it, and as a unit
  // that does not see its definition does (TUFingerprint::FileDecls).
  for (const DeclRecord &R : Parsed.Fingerprint->FileDecls) {
    Hasher H;
    H.add(R.Full).add(R.Layout);
    S.Decls.push_back({R.Key, R.Kind, R.Name, R.File, R.Line, H.final()});
  }
  S.Directives = Parsed.SummaryDirectives;
  for (const auto &[Key, Text] : Parsed.Fingerprint->FileDeclTexts)
    S.Texts[Key] = Text;
  return S;
}

static void addReasons(UnitPlan &P, const std::vector<SnapshotDecl> &Before,
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

UnitPlan decided(UnitPlan::Verdict V, llvm::StringRef How, llvm::StringRef Reason) {
  UnitPlan P;
  P.V = V;
  P.How = How.str();
  if (!Reason.empty())
    P.Reasons.push_back(Reason.str());
  return P;
}

// The question is whether the object the build has changes: the object
// the wrapper would hand out is compared with it by content.
std::optional<Hash128> contentOf(llvm::StringRef Output) {
  if (auto Bytes = llvm::MemoryBuffer::getFile(Output, /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false))
    return hashBytes((*Bytes)->getBuffer());
  return std::nullopt;
}

/// Direct mode's answer, when every file of an earlier compile of these
/// bytes is as it was: the build's object stays, or that compile's comes
/// back from the cache.
llvm::Expected<std::optional<UnitPlan>>
directVerdict(Store &S, ObjectCache &Objects, const Hash128 &Key,
              const std::optional<Hash128> &Current, llvm::StringRef Cwd,
              llvm::function_ref<bool(const FileStamp &)> Matches) {
  auto Direct = findDirect(S, Objects, Key, Cwd, Matches);
  if (!Direct)
    return Direct.takeError();
  if (!*Direct)
    return std::nullopt;
  if (Current == (*Direct)->Result.Object)
    return decided(UnitPlan::Verdict::Unchanged, "same bytes");
  return decided(UnitPlan::Verdict::Recompile, "cache",
                 "its files are as they were for an earlier compile: that compile's object "
                 "comes back from the cache");
}

llvm::Expected<std::optional<UnitPlan>>
commentVerdict(Store &S, ObjectCache &Objects, const CompileKeys &Keys,
               const CompileCommand &Cmd, const std::optional<Hash128> &Current,
               llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv, CodeLinesNow &Code,
               llvm::function_ref<bool(const FileStamp &)> Matches) {
  auto Found = findCommentEdit(S, Objects, Keys.Direct, Keys.Salt, Cmd, Cwd, Argv, Code, Matches);
  if (!Found)
    return Found.takeError();
  if (!*Found)
    return std::nullopt;
  if (Current == (*Found)->Match.Result.Object)
    return decided(UnitPlan::Verdict::Unchanged, "comment lines");
  return decided(UnitPlan::Verdict::Recompile, "cache",
                 "only " + (*Found)->whatChanged() +
                     " changed since an earlier compile: that compile's object comes back "
                     "from the cache");
}

llvm::json::Array changesToJson(const std::vector<UnitPlan::ChangedDecl> &Changes) {
  llvm::json::Array Out;
  for (const UnitPlan::ChangedDecl &C : Changes)
    Out.push_back(llvm::json::Object{{"change", C.Change}, {"key", C.Key},   {"kind", C.Kind},
                                     {"name", C.Name},     {"file", C.File}, {"line", C.Line}});
  return Out;
}

} // namespace plan

using namespace plan;

llvm::Expected<UnitPlan> planUnit(const Config &C, llvm::ArrayRef<std::string> Argv,
                                  const UnitRequest &Request) {
  std::vector<std::string> Expanded = expandResponseFiles(Argv);
  Classification Cl = classifyCommandLine(Expanded);
  if (!Cl.Cacheable)
    return decided(UnitPlan::Verdict::Recompile, "compile",
                   "not cached by hotast (" + Cl.Reason + "): the compiler runs");
  auto Keys = compileKeys(Cl.Command, C.BaseDir);
  if (!Keys)
    return Keys.takeError();
  auto Cache = openCache(C.CacheDir);
  if (!Cache)
    return Cache.takeError();
  Store &S = *Cache->S;
  ObjectCache &Objects = Cache->Objects;
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);

  std::optional<Hash128> Current = contentOf(Cl.Command.Output);
  // Direct mode answers for the files on disk only, and a summary needs the
  // parse.
  if (Request.Contents.empty() && !Request.ParseBefore) {
    auto Direct = directVerdict(S, Objects, Keys->Direct, Current, Cwd);
    if (!Direct)
      return Direct.takeError();
    if (*Direct)
      return std::move(**Direct);
    CodeLinesNow Code;
    auto Comments = commentVerdict(S, Objects, *Keys, Cl.Command, Current, Cwd, Expanded, Code);
    if (!Comments)
      return Comments.takeError();
    if (*Comments)
      return std::move(**Comments);
  }
  // The last compile of this unit through hotast: its fingerprint and
  // declarations, for the reasons.
  auto Last = S.snapshot(Keys->Unit);
  if (!Last)
    return Last.takeError();
  if (!*Last && !Request.CompareBefore)
    return decided(UnitPlan::Verdict::Unknown, "compile", NoFingerprint);
  if (!isLinkedClang(Keys->Compiler))
    return decided(UnitPlan::Verdict::Recompile, "compile",
                   "a file it read changed (plan parses the compiles of " +
                       linkedClangPath().str() + " only)");
  ParseOverrides Now;
  auto Contents = loadContents(Request.Contents);
  if (!Contents)
    return Contents.takeError();
  Now.Contents = std::move(*Contents);
  Now.SummaryFiles = Request.SummaryFiles;
  auto Parsed = fingerprintInProcess(Expanded, Keys->Salt, Now);
  if (!Parsed)
    return Parsed.takeError();
  if (!Parsed->NotCached.empty())
    return decided(UnitPlan::Verdict::Recompile, "compile",
                   "not cached by hotast (" + Parsed->NotCached + "): the compiler runs");
  UnitPlan P;
  if (Parsed->ExitCode != 0 || !Parsed->Fingerprint) {
    P.V = UnitPlan::Verdict::Failed;
    P.Diagnostics = Parsed->Stderr;
    return P;
  }
  const TUFingerprint &FP = *Parsed->Fingerprint;
  // With DWARF 5, the wrapper also finds a result by the files whose MD5 the
  // last object for these declarations held (DebugFiles.h): so does the plan.
  auto LastDebugFiles = [&](const TUFingerprint &F) {
    return semantic::lastDebugFiles(
        F,
        [&](const Hash128 &K) -> std::optional<CachedResult> {
          auto R = S.result(K);
          if (!R) {
            llvm::consumeError(R.takeError());
            return std::nullopt;
          }
          return *R;
        },
        [&](const Hash128 &K) -> std::optional<std::string> {
          auto B = Objects.get(K);
          if (!B) {
            llvm::consumeError(B.takeError());
            return std::nullopt;
          }
          return std::move(*B);
        });
  };
  auto sameDebugFiles = [&](const TUFingerprint &A, const TUFingerprint &B) {
    if (!A.WithoutFileBytes || A.WithoutFileBytes != B.WithoutFileBytes)
      return false;
    auto Names = LastDebugFiles(B);
    std::optional<Hash128> KA = Names ? semantic::debugFilesKey(A, *Names) : std::nullopt;
    return KA && KA == semantic::debugFilesKey(B, *Names);
  };
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
    if (!Before)
      return decided(UnitPlan::Verdict::Recompile, "compile",
                     "its sources did not compile before the edit");
    if (Before->Fingerprint->Value == FP.Value || sameDebugFiles(*Before->Fingerprint, FP)) {
      P.V = UnitPlan::Verdict::Unchanged; // the summaries go with it
      P.How = "same declarations";
      return P;
    }
    P.V = UnitPlan::Verdict::Recompile;
    P.How = "compile";
    addReasons(P, snapshotOf(*Before->Fingerprint), snapshotOf(FP));
    return P;
  }

  auto Stored = S.result(FP.Value);
  if (!Stored)
    return Stored.takeError();
  if (!*Stored)
    if (auto Names = LastDebugFiles(FP))
      if (std::optional<Hash128> Key = semantic::debugFilesKey(FP, *Names))
        if (!(Stored = S.result(*Key)))
          return Stored.takeError();
  // An object for these declarations decides by its bytes: the build's own
  // (the same declarations, or an edit that changed declarations but not
  // the code, then undone) or another. Without one (evicted), the same
  // fingerprint as the compile the build's object came from.
  if (*Stored ? Current == (*Stored)->Object : FP.Value == (*Last)->Fingerprint) {
    P.V = UnitPlan::Verdict::Unchanged; // the summaries go with it
    P.How = "same declarations";
    return P;
  }
  P.V = UnitPlan::Verdict::Recompile;
  addReasons(P, (*Last)->Decls, snapshotOf(FP));
  if (P.Changes.empty())
    if (auto Names = LastDebugFiles(FP)) {
      std::string Why = semantic::debugFilesReason(
          *Names, (*Last)->Files,
          [&](llvm::StringRef Name) { return semantic::contentRead(FP, Name); });
      if (!Why.empty())
        P.Reasons = {Why};
    }
  // The wrapper reuses a stored object for these declarations when it has
  // one (an earlier version of the sources): the object still changes.
  P.How = *Stored && !(*Stored)->BackendDiagnostics && Objects.contains((*Stored)->Object)
              ? "cache"
              : "compile";
  return P;
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
  llvm::json::Array Texts;
  for (const auto &[Key, Hash] : S.Texts)
    Texts.push_back(llvm::json::Array{Key, Hash.toHex()});
  return llvm::json::Object{{"decls", std::move(Decls)},
                            {"directives", std::move(Directives)},
                            {"texts", std::move(Texts)}};
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
  if (const llvm::json::Array *Texts = O->getArray("texts"))
    for (const llvm::json::Value &E : *Texts)
      if (const llvm::json::Array *A = E.getAsArray(); A && A->size() == 2)
        S.Texts[Str(*A, 0)] = hashFromHex(Str(*A, 1));
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

/// Text as one JSON object, or an error naming What.
static llvm::Expected<llvm::json::Object> parseObject(llvm::StringRef Text,
                                                      llvm::StringRef What) {
  auto Doc = llvm::json::parse(Text);
  if (!Doc)
    return Doc.takeError();
  if (llvm::json::Object *O = Doc->getAsObject())
    return std::move(*O);
  return planError("not " + What + ": " + Text);
}

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
  auto O = parseObject(Text, "a unit plan");
  if (!O)
    return O.takeError();
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
  auto O = parseObject(Text, "a unit request");
  if (!O)
    return O.takeError();
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

} // namespace hotast
