//===- SemanticMode.cpp - A compile past a direct-mode miss ---------------===//

#include "hotast/Wrapper/SemanticMode.h"

#include "CommentEdit.h"
#include "CompileJob.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Exec.h"

#include "llvm/ADT/StringExtras.h"

namespace hotast {
using namespace semantic;
namespace {

/// True when these source bytes were compiled before with this command: only
/// files they include changed.
bool onlyIncludesChanged(Job &J) {
  auto Entries = J.S->manifests(J.DirectKey);
  if (!Entries) {
    llvm::consumeError(Entries.takeError());
    return false;
  }
  return !Entries->empty();
}

/// After an edit to included files only, a semantic hit is likely (most TUs
/// that include a header use little of it), unless the same situation
/// missed last time for this TU (it uses what is being edited).
bool hitLikely(Job &J, bool OnlyIncludesChanged) {
  if (!OnlyIncludesChanged)
    return false;
  auto Missed = J.S->includeEditMissed(J.UnitKey);
  if (!Missed) {
    llvm::consumeError(Missed.takeError());
    return true;
  }
  return !*Missed;
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
                                    [&J](const llvm::Twine &T) { J.log(T); }),
                  !J.C.Remote.Only);
  return llvm::Error::success();
}


/// When the files an earlier compile of this command read (the source
/// included) have since changed only by free comment lines (CodeLines.h:
/// comments and blank lines, none of whose lines reached that object), and
/// that compile printed nothing: its object, without a parse. Nothing when
/// that is not known. IncludesOnly: entries exist under the direct key.
std::optional<int> serveCommentEdit(Job &J, bool IncludesOnly) {
  auto Found = findCommentEdit(*J.S, *J.Objects, J.DirectKey, J.Salt, J.Cmd, J.Cwd, J.Expanded,
                               stampMatches, /*ByDirectKey=*/IncludesOnly);
  if (!Found) {
    J.log("comment lines not checked: " + llvm::toString(Found.takeError()));
    return std::nullopt;
  }
  if (!*Found)
    return std::nullopt;
  const ManifestEntry &E = (*Found)->Match.Entry;
  const CachedResult &R = (*Found)->Match.Result;
  const std::vector<std::string> &Edited = (*Found)->Edited;
  std::vector<std::string> Paths;
  for (const FileStamp &F : E.Files)
    Paths.push_back(F.Path);
  if (llvm::Error Err = J.Tiers->materialize(R.Object, J.Cmd.Output)) {
    llvm::consumeError(std::move(Err));
    return std::nullopt;
  }
  if (J.Cmd.Depfile.Enabled) {
    std::string Depfile = retargetDepfile(E.Depfile, J.Cmd);
    if (llvm::Error Err = writeFileAtomically(J.Cmd.Depfile.Path, Depfile)) {
      J.log("fallback: " + llvm::toString(std::move(Err)));
      return std::nullopt;
    }
  }
  countHit(J);
  J.log("semantic hit (only comment or blank lines changed: " + llvm::join(Edited, " ") +
        "; not parsed)");
  if (llvm::Error Err = J.S->setIncludeEditMissed(J.UnitKey, false))
    J.log("cannot record the outcome: " + llvm::toString(std::move(Err)));
  // The next compile of these files is a direct hit. Each file's code
  // lines are those of the text that compile read, whatever it is now.
  auto Stamps = stampFiles(Paths, J.StartNs);
  if (!Stamps) {
    J.log("no direct-mode entry: " + llvm::toString(Stamps.takeError()));
    return 0;
  }
  ManifestEntry Next = E;
  for (size_t I = 0; I != Stamps->size(); ++I) {
    (*Stamps)[I].Code = E.Files[I].Code;
    Next.Files[I] = std::move((*Stamps)[I]);
  }
  if (llvm::Error Err =
          J.Tiers->addManifest(J.DirectKey, Next, /*Portable=*/false, J.Cwd, J.Paths))
    J.log("no direct-mode entry: " + llvm::toString(std::move(Err)));
  return 0;
}

/// Neither the files read nor the fingerprint cover what such a directive
/// Compiles with the linked Clang in-process. When a hit is likely, a parse
/// without code generation comes first (a miss then parses twice).
llvm::Expected<int> compileLinked(Job &J) {
  std::optional<CachedResult> Found;
  bool IncludesOnly = onlyIncludesChanged(J);
  if (std::optional<int> Served = serveCommentEdit(J, IncludesOnly))
    return *Served;
  auto Outcome = compileInProcess(J.Expanded, J.Salt, [&](const TUFingerprint &FP) {
    // A compile whose code generation printed diagnostics is only replayed
    // for identical bytes: its messages carry line numbers.
    if (FP.AsmReadsFiles)
      return false;
    Found = J.Tiers->result(FP.Value, [](const CachedResult &R) { return !R.BackendDiagnostics; });
    return Found.has_value();
  }, /*ParseFirst=*/hitLikely(J, IncludesOnly));
  if (!Outcome)
    return Outcome.takeError();
  if (!Outcome->NotCached.empty())
    return notCached(J, Outcome->NotCached);
  if (IncludesOnly && Outcome->Fingerprint)
    if (llvm::Error E = J.S->setIncludeEditMissed(J.UnitKey, !Outcome->Reused))
      J.log("cannot record the outcome: " + llvm::toString(std::move(E)));
  if (Outcome->Reused) {
    if (llvm::Error E = J.Tiers->materialize(Found->Object, J.Cmd.Output))
      return std::move(E); // code generation was skipped: the caller runs the compiler
    countHit(J);
    J.log(llvm::Twine(Outcome->ParsedFirst ? "semantic hit (parsed without code generation)"
                                           : "semantic hit") +
          remoteNote(J));
    updateSnapshot(J, *Outcome);
    record(J, *Outcome, Found->Object);
    return 0;
  }
  if (Outcome->ExitCode != 0 || !Outcome->Fingerprint) {
    J.bump(counter::CompileError);
    J.log("compile failed (status " + llvm::Twine(Outcome->ExitCode) + ")");
    return Outcome->ExitCode ? Outcome->ExitCode : 1;
  }
  if (Outcome->Fingerprint->AsmReadsFiles) {
    J.bump(counter::Uncacheable);
    J.log(llvm::Twine("not cached: ") + AsmReadsFile);
    return 0;
  }
  countMiss(J);
  J.log("miss: " + updateSnapshot(J, *Outcome) +
        (Outcome->ParsedFirst ? " (parsed twice: a hit was likely)" : "") +
        unknownOptionsNote(*Outcome));
  std::optional<Hash128> Object = storeResult(J, *Outcome, Outcome->Stderr.empty());
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
    J.log("fallback: " + llvm::toString(std::move(E)));
    if (J.S)
      J.bump(counter::Fallback);
    return execCompiler(Argv);
  }
  auto Status = isLinkedClang(J.Compiler) ? compileLinked(J) : compileOther(J);
  J.Tiers->countRemote();
  if (!Status) {
    J.log("fallback: " + llvm::toString(Status.takeError()));
    J.bump(counter::Fallback);
    return execCompiler(Argv);
  }
  return *Status;
}

} // namespace hotast
