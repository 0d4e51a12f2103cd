//===- SemanticMode.cpp - A compile past a direct-mode miss ---------------===//

#include "hotast/Wrapper/SemanticMode.h"

#include "CheckoutIndependence.h"
#include "CommentEdit.h"
#include "OtherView.h"

#include "hotast/Analysis/DeclRecordIO.h"
#include "hotast/Args/CompileCommand.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Compile/OptionPolicy.h"
#include "hotast/Wrapper/CacheTiers.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Exec.h"
#include "hotast/Wrapper/Explain.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {
namespace {

/// One compile's state: the command, the cache, and the keys.
struct Job {
  const Config &C;
  /// The command as given (what the real compiler runs), and with its
  /// response files expanded (what hotast parses and compiles).
  llvm::ArrayRef<std::string> Argv;
  llvm::ArrayRef<std::string> Expanded;
  CompileCommand Cmd;
  std::unique_ptr<Store> S;
  std::optional<ObjectCache> Objects;
  /// The local cache, then the remote one (CacheTiers.h).
  std::optional<CacheTiers> Tiers;
  std::string Compiler; // resolved path
  std::string Cwd;
  PortablePaths Paths; // the base directory's, from Cwd
  Hash128 Salt, DirectKey, UnitKey;
  /// When the compile began reading files (stampFiles' ReadSinceNs).
  int64_t StartNs = 0;
  /// The files the compile read, stamped once (inputStamps).
  std::optional<std::vector<FileStamp>> Stamps;
  std::string StampError;

  std::string what() const { return Cmd.Source + " -> " + Cmd.Output; }
  void log(const llvm::Twine &Text) const { logLine(C, what() + ": " + Text); }
  void bump(const char *Counter, int64_t N = 1) {
    if (llvm::Error E = S->bump(Counter, N))
      log("cannot update statistics: " + llvm::toString(std::move(E)));
  }
};

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

std::string readDepfile(const Job &J) {
  if (!J.Cmd.Depfile.Enabled)
    return "";
  auto Buf = llvm::MemoryBuffer::getFile(J.Cmd.Depfile.Path);
  return Buf ? (*Buf)->getBuffer().str() : "";
}

/// The files the compile read as they are now, stamped once for the
/// snapshot and the direct-mode entry; null (StampError says why) when one
/// cannot be read.
const std::vector<FileStamp> *inputStamps(Job &J, const CompileOutcome &Out) {
  if (!J.Stamps && J.StampError.empty()) {
    auto Stamps = stampFiles(Out.InputFiles, J.StartNs);
    if (Stamps) {
      J.Stamps = std::move(*Stamps);
      for (size_t I = 0; I != J.Stamps->size() && I != Out.CodeLines.size(); ++I)
        (*J.Stamps)[I].Code = Out.CodeLines[I];
    } else {
      J.StampError = llvm::toString(Stamps.takeError());
    }
  }
  return J.Stamps ? &*J.Stamps : nullptr;
}

/// Keeps what hot reload needs of the object the compile left at the
/// output, whose content hash is Object (see ReloadUnit).
void recordReloadUnit(Job &J, const CompileOutcome &Out, const std::vector<FileStamp> &Stamps,
                      const Hash128 &Object) {
  ReloadUnit U;
  U.Object = Object;
  U.WorkingDir = J.Cwd;
  U.Argv.assign(J.Expanded.begin(), J.Expanded.end());
  U.Files = Stamps;
  U.Decls = serializeRecords(*Out.ReloadRecords);
  if (llvm::Error E = J.S->putReloadUnit(U))
    J.log("no reload unit: " + llvm::toString(std::move(E)));
}

/// The contents of the project's files the compile read (not the system's,
/// under /usr), content-addressed beside the objects: `hotast plan
/// --predict` parses a header as it was when the build read it.
void keepSources(Job &J, const std::vector<FileStamp> &Stamps) {
  if (J.C.Remote.Only)
    return;
  for (const FileStamp &F : Stamps) {
    if (llvm::StringRef(F.Path).starts_with("/usr/") || savedWhileRead(F) ||
        J.Objects->contains(F.Content))
      continue;
    auto Bytes = llvm::MemoryBuffer::getFile(F.Path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (Bytes && hashBytes((*Bytes)->getBuffer()) == F.Content)
      if (auto Key = J.Objects->put((*Bytes)->getBuffer()); !Key)
        J.log("source not kept: " + llvm::toString(Key.takeError()));
  }
}

/// Everything the next compile of these bytes or this fingerprint needs:
/// the direct-mode entry, and for a build with the reload profile (the
/// compile then has ReloadRecords) the reload unit of Object, the content
/// hash of the object at the output (none when it was not stored).
void record(Job &J, const CompileOutcome &Out, std::optional<Hash128> Object) {
  const std::vector<FileStamp> *Stamps = inputStamps(J, Out);
  if (!Stamps) {
    J.log("no direct-mode entry: " + J.StampError);
    return;
  }
  if (Out.ReloadRecords && Object)
    recordReloadUnit(J, Out, *Stamps, *Object);
  keepSources(J, *Stamps);
  if (Out.UsesClock) {
    J.log("no direct-mode entry: __DATE__, __TIME__ or __TIMESTAMP__ is used");
    return;
  }
  // An entry other checkouts can use (only the remote cache shares): no
  // path of this one reaches what the entry replays (the object, stderr), or
  // the prefix maps rewrite every such path alike in all of them; its files
  // are recorded portably.
  bool Portable = false;
  if (J.Tiers->remote()) {
    std::string Dependence = checkoutDependence(Out, J.Cmd, J.Paths);
    Portable = Dependence.empty();
    if (!Portable && J.Paths.active())
      J.log("not shared with other checkouts: " + Dependence);
  }
  ManifestEntry Entry;
  Entry.Files = *Stamps;
  Entry.Fingerprint = Out.Fingerprint->Value;
  if (!Stamps->empty() && !Stamps->front().Code.isZero())
    Entry.CodeKey = codeKey(J.Salt, J.Cmd, Stamps->front().Code);
  Entry.Depfile = readDepfile(J);
  if (Out.UsesWorkingDir)
    Entry.WorkingDir = J.Cwd;
  if (!Out.Stderr.empty()) {
    auto Key = J.Tiers->put(Out.Stderr);
    if (!Key) {
      J.log("no direct-mode entry: " + llvm::toString(Key.takeError()));
      return;
    }
    Entry.Stderr = *Key;
  }
  if (llvm::Error E = J.Tiers->addManifest(J.DirectKey, Entry, Portable, J.Cwd, J.Paths))
    J.log("no direct-mode entry: " + llvm::toString(std::move(E)));
}

/// Stores a fresh object under the fingerprint and keeps the cache in size.
/// Returns the object's blob key (its content hash) when it was stored.
std::optional<Hash128> storeResult(Job &J, const CompileOutcome &Out, bool Silent,
                                   std::string Depfile = "", Hash128 DepfileView = {}) {
  auto Object = J.Tiers->putFile(J.Cmd.Output);
  if (!Object) {
    J.log("object not stored: " + llvm::toString(Object.takeError()));
    return std::nullopt;
  }
  CachedResult R;
  R.Object = *Object;
  R.Silent = Silent;
  R.BackendDiagnostics = Out.BackendDiagnostics;
  R.Depfile = std::move(Depfile);
  R.DepfileView = DepfileView;
  if (llvm::Error E = J.Tiers->putResult(Out.Fingerprint->Value, R)) {
    J.log("result not stored: " + llvm::toString(std::move(E)));
    return *Object;
  }
  if (J.C.Remote.Only)
    return *Object;
  uint64_t Size = 0;
  llvm::sys::fs::file_size(J.Cmd.Output, Size);
  J.bump(counter::StoredBytes, int64_t(Size));
  auto Counters = J.S->counters();
  if (Counters && uint64_t((*Counters)[counter::StoredBytes]) > J.C.MaxSize) {
    auto Removed = J.Objects->evictTo(J.C.MaxSize / 10 * 9);
    if (!Removed)
      J.log("eviction failed: " + llvm::toString(Removed.takeError()));
    int64_t Now = int64_t(J.Objects->totalSize());
    J.bump(counter::StoredBytes, Now - (*Counters)[counter::StoredBytes]);
  }
  return *Object;
}

/// The snapshot, and on a miss after an earlier compile, why it missed.
/// The snapshot holds the files the compile read as well (`hotast plan`
/// finds a unit's changed files there).
std::string updateSnapshot(Job &J, const CompileOutcome &Out) {
  const TUFingerprint &FP = *Out.Fingerprint;
  UnitSnapshot Now{FP.Value, snapshotOf(FP), {}};
  std::string Why;
  auto Prev = J.S->snapshot(J.UnitKey);
  if (!Prev)
    llvm::consumeError(Prev.takeError());
  else if (*Prev)
    Why = explainMiss((*Prev)->Decls, Now.Decls);
  if (const std::vector<FileStamp> *Stamps = inputStamps(J, Out))
    Now.Files = *Stamps;
  if (llvm::Error E = J.S->putSnapshot(J.UnitKey, Now))
    J.log("snapshot not stored: " + llvm::toString(std::move(E)));
  return Why.empty() ? "first compile of this unit" : Why;
}

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

/// For the log: options the policy does not know make every file's bytes
/// count, which costs hits; the user may want to know which.
std::string unknownOptionsNote(const CompileOutcome &Out) {
  if (Out.UnknownOptions.empty())
    return "";
  return " (every file's bytes count: options hotast does not know: " +
         llvm::join(Out.UnknownOptions, " ") + ")";
}

/// A semantic hit, served from the remote cache or not.
void countHit(Job &J) {
  J.bump(counter::SemanticHit);
  if (J.Tiers->servedRemotely())
    J.bump(counter::RemoteHit);
}

/// A compile that ran: a remote miss too when the remote cache was asked.
void countMiss(Job &J) {
  J.bump(counter::Miss);
  if (J.Tiers->remote() && J.Tiers->remote()->asked())
    J.bump(counter::RemoteMiss);
}

std::string remoteNote(const Job &J) { return J.Tiers->servedRemotely() ? " (remote)" : ""; }

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
/// reads (include/hotast/Support/AsmFiles.h).
constexpr const char *NotCachedAsm =
    "not cached: assembly text may read a file (.incbin or .include)";

/// The invocation's options do not allow caching: the real compiler runs.
int notCached(Job &J, llvm::StringRef Why) {
  J.bump(counter::Uncacheable);
  J.log("uncacheable (" + Why + ")");
  return execCompiler(J.Argv);
}

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
    J.log(NotCachedAsm);
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

/// Runs the real compiler, with stderr passed through and kept.
llvm::Expected<int> runCompiler(const Job &J, std::string &Stderr) {
  llvm::SmallString<128> Temp;
  if (std::error_code EC = llvm::sys::fs::createTemporaryFile("hotast", "stderr", Temp))
    return llvm::createFileError(Temp, EC);
  std::vector<llvm::StringRef> Args(J.Argv.begin(), J.Argv.end());
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, std::nullopt, Temp.str()};
  std::string Error;
  int Status = llvm::sys::ExecuteAndWait(J.Compiler, Args, std::nullopt, Redirects, 0, 0, &Error);
  if (auto Buf = llvm::MemoryBuffer::getFile(Temp))
    Stderr = (*Buf)->getBuffer().str();
  llvm::sys::fs::remove(Temp);
  llvm::errs() << Stderr;
  if (Status < 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot run '" + J.Compiler + "': " + Error);
  return Status;
}

/// Another compiler: the linked Clang parses for the fingerprint; the real
/// compiler runs on a miss.
llvm::Expected<int> compileOther(Job &J) {
  OptionPolicy Policy = classifyForeignCommand(J.Cmd.HashedArgs);
  if (!Policy.Refusal.empty())
    return notCached(J, Policy.Refusal);
  auto Parse = parseForOtherCompiler(J.Expanded, saltWithPolicy(J.Salt, Policy, J.Cwd),
                                     Policy.Locations);
  if (!Parse)
    return Parse.takeError();
  CompileOutcome &Out = Parse->Outcome;
  Out.UsesWorkingDir = Policy.Locations != LocationUse::None;
  Out.UnknownOptions = Policy.Unknown;
  for (const std::string &F : Policy.InputFiles)
    Out.InputFiles.push_back(F);
  // A region Clang skipped includes a file: the compiler may read what the
  // parse never saw. Its depfile, with system headers, says what it read.
  bool SeesOtherFiles = J.Cmd.Depfile.Enabled && J.Cmd.Depfile.SystemHeaders;
  bool AsmFile = Parse->SkippedAsmFile || (Out.Fingerprint && Out.Fingerprint->AsmReadsFiles);
  bool Usable = Out.Fingerprint && !Parse->DroppedConstructs && !AsmFile &&
                (!Parse->SkippedInclude || SeesOtherFiles);
  // The compiler's depfile names what it read: Clang's files, and its own
  // (stdc-predef.h, its headers) or those a region Clang skips includes. A
  // hit replays the depfile it wrote when Clang's view of the files read
  // (the depfile the parse wrote) is the same as then, and each file only
  // the compiler read has the same bytes (OtherView).
  const OtherView View(readDepfile(J), Out);
  if (Usable && !J.Cmd.WarningsAsErrors) {
    // Only a silent result is reused: the compiler's own warnings would
    // otherwise be lost.
    std::optional<CachedResult> R =
        J.Tiers->result(Out.Fingerprint->Value, [&](const CachedResult &R) {
          return R.Silent && View.of(R.Depfile) == R.DepfileView;
        });
    if (R && !llvm::errorToBool(J.Tiers->materialize(R->Object, J.Cmd.Output))) {
      if (J.Cmd.Depfile.Enabled)
        if (llvm::Error E = writeFileAtomically(J.Cmd.Depfile.Path,
                                                retargetDepfile(R->Depfile, J.Cmd)))
          return std::move(E);
      View.addOtherFiles(R->Depfile, Out);
      countHit(J);
      J.log("semantic hit" + remoteNote(J));
      updateSnapshot(J, Out);
      record(J, Out, R->Object);
      return 0;
    }
  }
  std::string Stderr;
  auto Status = runCompiler(J, Stderr);
  if (!Status)
    return Status.takeError();
  if (*Status != 0) {
    J.bump(counter::CompileError);
    J.log("compile failed (status " + llvm::Twine(*Status) + ")");
    return *Status;
  }
  if (!Usable) {
    J.bump(counter::Uncacheable);
    J.log(!Out.Fingerprint            ? "not cached: Clang cannot parse this command"
          : AsmFile                   ? NotCachedAsm
          : Parse->DroppedConstructs  ? "not cached: Clang drops an attribute or pragma of this source"
                                      : "not cached: an #include in a region Clang skips");
    return 0;
  }
  std::string Written = readDepfile(J);
  std::optional<Hash128> Seen = View.of(Written);
  if (!Seen) {
    J.bump(counter::Uncacheable);
    J.log("not cached: a file the compiler read cannot be read now");
    return 0;
  }
  View.addOtherFiles(Written, Out);
  countMiss(J);
  J.log("miss: " + updateSnapshot(J, Out) + unknownOptionsNote(Out));
  Out.Stderr = Stderr;
  std::optional<Hash128> Object = storeResult(J, Out, Stderr.empty(), Written, *Seen);
  record(J, Out, Object);
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
