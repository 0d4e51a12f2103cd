//===- SemanticMode.cpp - A compile past a direct-mode miss ---------------===//

#include "hotast/Wrapper/SemanticMode.h"

#include "CommentEdit.h"
#include "CompileJob.h"
#include "DebugFiles.h"
#include "EditGuess.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Wrapper/CacheSize.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Exec.h"

#include "llvm/ADT/StringExtras.h"

namespace hotast {
using namespace semantic;
namespace {

/// After an edit to included files only, a semantic hit is likely (most TUs
/// that include a header use little of it), unless the edit falls inside a
/// declaration the unit's last compile used (and does not look as if it
/// left the code as it was: a rename, a literal respelled, an empty
/// statement, an enumerator appended; then a hit is likely unless
/// locations reach the object) or moves the lines of one in a
/// file whose lines reach the object (EditGuess.h), or, where that cannot
/// be told, the same situation missed last time for this TU. An
/// edited source is likely a miss, unless every token of it stayed on its
/// line or the edit looks cosmetic (a rename, a literal respelled, an empty
/// statement), and locations do not reach the object (then it is as its
/// includes' edits say).
ParseFirst hitLikely(Job &J, bool OnlyIncludesChanged) {
  if (!OnlyIncludesChanged) {
    const UnitSnapshot *Last = lastSnapshot(J);
    return Last && sourceEditLooksCosmetic(*Last, *J.Objects) &&
                   editInsideClosure(*Last, *J.Objects).value_or(EditReach::Outside) !=
                       EditReach::Inside
               ? ParseFirst::UnlessLocations
               : ParseFirst::Never;
  }
  if (const UnitSnapshot *Last = lastSnapshot(J)) {
    auto Entries = J.S->manifests(J.DirectKey); // the newest first
    if (!Entries)
      llvm::consumeError(Entries.takeError());
    const ManifestEntry *Newest = Entries && !Entries->empty() ? Entries->front().get() : nullptr;
    // The entry's names, read only when a directive changed.
    CodeLinesNow Code;
    auto Names = [&]() -> const NameFilter * {
      return Newest && !Newest->Names.isZero() ? Code.names(Newest->Names, *J.Objects) : nullptr;
    };
    if (std::optional<EditReach> Reach =
            editInsideClosure(*Last, *J.Objects, Newest ? &Newest->Files : nullptr, Names))
      switch (*Reach) {
      case EditReach::Outside:
        return ParseFirst::Likely;
      case EditReach::LikelySame:
        return ParseFirst::UnlessLocations;
      case EditReach::Inside:
        return ParseFirst::Never;
      }
  }
  auto Missed = J.S->includeEditMissed(J.UnitKey);
  if (!Missed) {
    llvm::consumeError(Missed.takeError());
    return ParseFirst::Likely;
  }
  return *Missed ? ParseFirst::Never : ParseFirst::Likely;
}

llvm::Error prepare(Job &J) {
  J.StartNs = stampClockNs();
  auto Keys = compileKeys(J.Cmd, J.C.BaseDir);
  if (!Keys)
    return Keys.takeError();
  J.Cwd = Keys->Cwd;
  J.Paths = Keys->Paths;
  J.Compiler = Keys->Compiler;
  J.Salt = Keys->Salt;
  J.DirectKey = Keys->Direct;
  J.UnitKey = Keys->Unit;
  auto Cache = openCache(J.C.CacheDir);
  if (!Cache)
    return Cache.takeError();
  J.S = std::move(Cache->S);
  J.Objects.emplace(std::move(Cache->Objects));
  J.Tiers.emplace(*J.S, *J.Objects,
                  RemoteCache::open(J.C.Remote, J.C.CacheDir, Keys->Paths,
                                    [&J](const llvm::Twine &T) { J.note(T); }),
                  !J.C.Remote.Only);
  return llvm::Error::success();
}

/// Compiles with the linked Clang in-process. When a hit is likely, a parse
/// without code generation comes first (a miss then parses twice).
llvm::Expected<int> compileLinked(Job &J) {
  std::optional<CachedResult> Found;
  // Found under the key of the files its object's debug info names
  // (DebugFiles.h), not under the fingerprint.
  std::optional<Hash128> FoundKey;
  auto Step = std::chrono::steady_clock::now();
  bool IncludesOnly = onlyIncludesChanged(J);
  if (std::optional<int> Served = serveCommentEdit(J, IncludesOnly))
    return *Served;
  Step = J.timed("lookup", Step);
  ParseFirst Guess = hitLikely(J, IncludesOnly);
  Step = J.timed("guess", Step);
  auto Outcome = compileInProcess(J.Expanded, J.Salt, [&](const TUFingerprint &FP) {
    // A compile whose code generation printed diagnostics is only replayed
    // for identical bytes: its messages carry line numbers.
    if (FP.AsmReadsFiles)
      return false;
    auto Quiet = [](const CachedResult &R) { return !R.BackendDiagnostics; };
    Found = J.Tiers->result(FP.Value, Quiet);
    if (!Found)
      if (std::optional<Hash128> Key = findDebugFilesKey(J, FP))
        if ((Found = J.Tiers->result(*Key, Quiet)))
          FoundKey = Key;
    return Found.has_value();
  }, Guess);
  if (!Outcome)
    return Outcome.takeError();
  // The compiler's own work, then hotast's at the parse's end.
  Step = J.timed("compile", Step);
  J.Times.back().second -= Outcome->FingerprintMs + Outcome->CodeLinesMs;
  J.Times.emplace_back("fingerprint", Outcome->FingerprintMs);
  J.Times.emplace_back("code lines", Outcome->CodeLinesMs);
  if (!Outcome->NotCached.empty())
    return notCached(J, Outcome->NotCached);
  if (IncludesOnly && Outcome->Fingerprint)
    if (llvm::Error E = J.S->setIncludeEditMissed(J.UnitKey, !Outcome->Reused))
      J.note("cannot record the outcome: " + llvm::toString(std::move(E)));
  if (Outcome->Reused) {
    if (llvm::Error E = J.Tiers->materialize(Found->Object, J.Cmd.Output))
      return std::move(E); // code generation was skipped: the caller runs the compiler
    J.timed("object", Step);
    finishHit(J, *Outcome, Found->Object, FoundKey,
              Outcome->ParsedFirst ? "parsed without code generation" : "",
              FoundKey ? std::vector<std::string>{"the files whose MD5 the debug info holds "
                                                  "are as they were"}
                       : std::vector<std::string>{});
    return 0;
  }
  if (Outcome->ExitCode != 0 || !Outcome->Fingerprint) {
    J.bump(counter::CompileError);
    J.decided(LogEvent::CompileFailed, "status " + std::to_string(Outcome->ExitCode));
    return Outcome->ExitCode ? Outcome->ExitCode : 1;
  }
  if (Outcome->Fingerprint->AsmReadsFiles) {
    J.bump(counter::Uncacheable);
    J.decided(LogEvent::NotCached, AsmReadsFile);
    return 0;
  }
  std::vector<std::string> Notes;
  if (Outcome->ParsedFirst)
    Notes.push_back("parsed twice: a hit was likely");
  if (!Outcome->DebugFilesUnknown.empty())
    Notes.push_back("every file's bytes count: " + Outcome->DebugFilesUnknown);
  announceMiss(J, *Outcome, "", std::move(Notes));
  std::optional<Hash128> Object = storeResult(J, *Outcome, Outcome->Stderr.empty());
  if (Object) {
    CachedResult R = resultOf(*Outcome, Outcome->Stderr.empty());
    R.Object = *Object;
    keepDebugFiles(J, *Outcome, R);
  }
  record(J, *Outcome, Object);
  return 0;
}

} // namespace

int runSemanticCompile(const Config &C, llvm::ArrayRef<std::string> Argv) {
  // The compile runs in-process from the arguments the response files hold
  // (clang's driver expands them before it builds the compilation); the real
  // compiler, when it runs, gets the command as it was.
  std::vector<std::string> Expanded = expandResponseFiles(Argv);
  Classification Cl = classifyCommandLine(Expanded);
  if (!Cl.Cacheable)
    return execCompiler(Argv);
  Job J{C, Argv, Expanded, std::move(Cl.Command), nullptr, std::nullopt, std::nullopt,
        "", "", {}, {}, {}, {}};
  if (llvm::Error E = prepare(J)) {
    J.decided(LogEvent::Fallback, llvm::toString(std::move(E)));
    if (J.S)
      J.bump(counter::Fallback);
    return execCompiler(Argv);
  }
  auto Status = isLinkedClang(J.Compiler) ? compileLinked(J) : compileOther(J);
  J.Tiers->countRemote();
  if (llvm::Error E = keepInSize(*J.S, *J.Objects, J.C.MaxSize))
    J.note("cache size not kept: " + llvm::toString(std::move(E)));
  if (!Status) {
    J.decided(LogEvent::Fallback, llvm::toString(Status.takeError()));
    J.bump(counter::Fallback);
    return execCompiler(Argv);
  }
  return *Status;
}

} // namespace hotast
