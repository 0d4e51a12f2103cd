//===- CompileJob.cpp - Steps both compile paths share --------------------===//

#include "CompileJob.h"

#include "CheckoutIndependence.h"
#include "CommentEdit.h"
#include "DebugFiles.h"

#include "hotast/Analysis/DeclRecordIO.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Exec.h"
#include "hotast/Wrapper/Explain.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace hotast {
namespace semantic {

std::string readDepfile(const Job &J) {
  if (!J.Cmd.Depfile.Enabled)
    return "";
  auto Buf = llvm::MemoryBuffer::getFile(J.Cmd.Depfile.Path);
  return Buf ? (*Buf)->getBuffer().str() : "";
}

const std::vector<FileStamp> *inputStamps(Job &J, const CompileOutcome &Out) {
  if (!J.Stamps && J.StampError.empty()) {
    auto Stamps = stampFiles(Out.InputFiles, J.StartNs);
    if (Stamps) {
      J.Stamps = std::move(*Stamps);
      for (size_t I = 0; I != J.Stamps->size() && I != Out.CodeLines.size(); ++I) {
        (*J.Stamps)[I].Code = Out.CodeLines[I];
        if (I < Out.CodeFixedLines.size())
          (*J.Stamps)[I].CodeFixedLines = Out.CodeFixedLines[I];
        if (I < Out.CodeLeftOut.size())
          (*J.Stamps)[I].CodeLeftOut = Out.CodeLeftOut[I];
      }
    } else {
      J.StampError = llvm::toString(Stamps.takeError());
    }
  }
  return J.Stamps ? &*J.Stamps : nullptr;
}

/// Keeps what hot reload needs of the object the compile left at the
/// output, whose content hash is Object (see ReloadUnit).
static void recordReloadUnit(Job &J, const CompileOutcome &Out, const std::vector<FileStamp> &Stamps,
                      const Hash128 &Object) {
  ReloadUnit U;
  U.Object = Object;
  U.WorkingDir = J.Cwd;
  U.Argv.assign(J.Expanded.begin(), J.Expanded.end());
  U.Files = Stamps;
  U.Decls = serializeRecords(*Out.ReloadRecords);
  if (llvm::Error E = J.S->putReloadUnit(U))
    J.note("no reload unit: " + llvm::toString(std::move(E)));
}

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
        J.note("source not kept: " + llvm::toString(Key.takeError()));
  }
}

void record(Job &J, const CompileOutcome &Out, std::optional<Hash128> Object,
            std::optional<Hash128> ResultKey) {
  const std::vector<FileStamp> *Stamps = inputStamps(J, Out);
  if (!Stamps) {
    J.note("no direct-mode entry: " + J.StampError);
    return;
  }
  if (Out.ReloadRecords && Object)
    recordReloadUnit(J, Out, *Stamps, *Object);
  keepSources(J, *Stamps);
  if (Out.UsesClock) {
    J.note("no direct-mode entry: __DATE__, __TIME__ or __TIMESTAMP__ is used");
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
      J.note("not shared with other checkouts: " + Dependence);
  }
  ManifestEntry Entry;
  std::vector<FileStamp> Files = *Stamps;
  // Where the include search found nothing: a header created there later
  // comes before the one read (MissedLookups.h).
  Files.insert(Files.end(), Out.MissedDirs.begin(), Out.MissedDirs.end());
  Entry.Files = StampList(std::move(Files));
  Entry.Fingerprint = ResultKey ? *ResultKey : Out.Fingerprint->Value;
  // The source's code lines key the entry: with its lines fixed (they
  // reach the object), a lookup makes its key so too (findCommentEdit).
  if (!Stamps->empty() && !Stamps->front().Code.isZero())
    Entry.CodeKey = codeKey(J.Salt, J.Cmd,
                            Out.SourceKeyLines.isZero() ? Stamps->front().Code : Out.SourceKeyLines);
  Entry.Depfile = readDepfile(J);
  if (Out.UsesWorkingDir)
    Entry.WorkingDir = J.Cwd;
  // The names the unit read: kept here only (a copy from the remote cache
  // frees no definition).
  if (!Out.UnitNames.empty() && !J.C.Remote.Only) {
    if (auto Key = J.Objects->put(Out.UnitNames))
      Entry.Names = *Key;
    else
      J.note("no names kept: " + llvm::toString(Key.takeError()));
  }
  addEntry(J, std::move(Entry), Out.Stderr, Portable);
}

void addEntry(Job &J, ManifestEntry Entry, llvm::StringRef Stderr, bool Portable) {
  if (!Stderr.empty()) {
    auto Key = J.Tiers->put(Stderr);
    if (!Key) {
      J.note("no direct-mode entry: " + llvm::toString(Key.takeError()));
      return;
    }
    Entry.Stderr = *Key;
  }
  if (llvm::Error E = J.Tiers->addManifest(J.DirectKey, Entry, Portable, J.Cwd, J.Paths))
    J.note("no direct-mode entry: " + llvm::toString(std::move(E)));
}

std::optional<Hash128> storeObject(Job &J, const Hash128 &Key, CachedResult R) {
  auto Object = J.Tiers->putFile(J.Cmd.Output);
  if (!Object) {
    J.note("object not stored: " + llvm::toString(Object.takeError()));
    return std::nullopt;
  }
  R.Object = *Object;
  if (llvm::Error E = J.Tiers->putResult(Key, R)) {
    J.note("result not stored: " + llvm::toString(std::move(E)));
    return *Object;
  }
  return *Object;
}

CachedResult resultOf(const CompileOutcome &Out, bool Silent) {
  CachedResult R;
  R.Silent = Silent;
  R.BackendDiagnostics = Out.BackendDiagnostics;
  return R;
}

std::optional<Hash128> storeResult(Job &J, const CompileOutcome &Out, bool Silent) {
  return storeObject(J, Out.Fingerprint->Value, resultOf(Out, Silent));
}

const UnitSnapshot *lastSnapshot(Job &J) {
  if (!J.Last) {
    auto Read = J.S->snapshot(J.UnitKey);
    if (!Read) {
      llvm::consumeError(Read.takeError());
      J.Last.emplace();
    } else {
      J.Last = std::move(*Read);
    }
  }
  return *J.Last ? &**J.Last : nullptr;
}

std::string updateSnapshot(Job &J, const CompileOutcome &Out) {
  const TUFingerprint &FP = *Out.Fingerprint;
  UnitSnapshot Now{FP.Value, snapshotOf(FP), {}};
  std::string Why;
  const UnitSnapshot *Prev = lastSnapshot(J);
  if (const std::vector<FileStamp> *Stamps = inputStamps(J, Out))
    Now.Files = *Stamps;
  if (Prev) {
    Why = explainMiss(Prev->Decls, Now.Decls);
    if (Why == NoDeclarationChanged && Out.ChecksummedFiles) {
      llvm::StringMap<Hash128> Read;
      for (const FileStamp &F : Now.Files)
        Read[F.Path] = F.Content;
      std::string Files = debugFilesReason(
          *Out.ChecksummedFiles, Prev->Files, [&](llvm::StringRef Name) -> std::optional<Hash128> {
            auto It = Read.find(Name);
            return It == Read.end() ? std::nullopt : std::optional<Hash128>(It->second);
          });
      if (!Files.empty())
        Why = std::move(Files);
    }
  }
  if (llvm::Error E = J.S->putSnapshot(J.UnitKey, Now))
    J.note("snapshot not stored: " + llvm::toString(std::move(E)));
  return Why.empty() ? "first compile of this unit" : Why;
}

/// For the log: options the policy does not know make every file's bytes
/// count, which costs hits; the user may want to know which.
static void addUnknownOptionsNote(const CompileOutcome &Out, std::vector<std::string> &Notes) {
  if (!Out.UnknownOptions.empty())
    Notes.push_back("every file's bytes count: options hotast does not know: " +
                    llvm::join(Out.UnknownOptions, " "));
}

void Job::decided(LogEvent Event, std::string Reason, std::vector<std::string> Notes) const {
  LogRecord R;
  R.Event = Event;
  R.Source = Cmd.Source;
  R.Output = Cmd.Output;
  R.Reason = std::move(Reason);
  R.Notes = std::move(Notes);
  R.Remote = Event == LogEvent::SemanticHit && Tiers && Tiers->servedRemotely();
  R.Times = Times;
  writeLog(C, R);
}

void countHit(Job &J) {
  J.bump(counter::SemanticHit);
  if (J.Tiers->servedRemotely())
    J.bump(counter::RemoteHit);
}

void countMiss(Job &J) {
  J.bump(counter::Miss);
  if (J.Tiers->remote() && J.Tiers->remote()->asked())
    J.bump(counter::RemoteMiss);
}

void finishHit(Job &J, const CompileOutcome &Out, const Hash128 &Object,
               std::optional<Hash128> ResultKey, std::string Reason,
               std::vector<std::string> Notes) {
  countHit(J);
  J.decided(LogEvent::SemanticHit, std::move(Reason), std::move(Notes));
  updateSnapshot(J, Out);
  record(J, Out, Object, ResultKey);
}

void announceMiss(Job &J, const CompileOutcome &Out, std::string Instead,
                  std::vector<std::string> Notes) {
  countMiss(J);
  auto Began = std::chrono::steady_clock::now();
  std::string Why = updateSnapshot(J, Out);
  J.timed("snapshot", Began);
  std::vector<std::string> All;
  addUnknownOptionsNote(Out, All);
  llvm::append_range(All, Notes);
  J.decided(LogEvent::Miss, Instead.empty() ? Why : Instead, std::move(All));
}


bool onlyIncludesChanged(Job &J) {
  auto Entries = J.S->manifests(J.DirectKey);
  if (!Entries) {
    llvm::consumeError(Entries.takeError());
    return false;
  }
  return !Entries->empty();
}

std::optional<int> serveCommentEdit(Job &J, bool IncludesOnly) {
  CodeLinesNow Code;
  return serveCommentEdit(J,
                          findCommentEdit(*J.S, *J.Objects, J.DirectKey, J.Salt, J.Cmd, J.Cwd,
                                          J.Expanded, Code, stampMatches,
                                          /*ByDirectKey=*/IncludesOnly),
                          "not parsed");
}

std::optional<int> serveCommentEdit(Job &J, llvm::Expected<std::optional<CommentEdit>> Found,
                                    llvm::StringRef How) {
  if (!Found) {
    J.note("comment lines not checked: " + llvm::toString(Found.takeError()));
    return std::nullopt;
  }
  if (!*Found)
    return std::nullopt;
  const ManifestEntry &E = (*Found)->Match.Entry;
  const CachedResult &R = (*Found)->Match.Result;
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
      J.note("depfile not written: " + llvm::toString(std::move(Err)));
      return std::nullopt;
    }
  }
  llvm::errs() << (*Found)->Stderr;
  countHit(J);
  // No file edited: another compile of these files stored the entry after
  // this one's direct lookup missed (parallel builds of one source).
  const std::vector<std::string> &Edited = (*Found)->Edited;
  J.decided(LogEvent::SemanticHit,
            (Edited.empty() ? "the files are as an earlier compile read them"
                            : "only " + (*Found)->whatChanged() + " changed: " +
                                  llvm::join(Edited, " ")) +
                "; " + How.str());
  if (llvm::Error Err = J.S->setIncludeEditMissed(J.UnitKey, false))
    J.note("cannot record the outcome: " + llvm::toString(std::move(Err)));
  // The next compile of these files is a direct hit. Each file's code
  // lines are those of the text that compile read, whatever it is now.
  auto Stamps = stampFiles(Paths, J.StartNs);
  if (!Stamps) {
    J.note("no direct-mode entry: " + llvm::toString(Stamps.takeError()));
    return 0;
  }
  ManifestEntry Next = E;
  std::vector<FileStamp> EditedStamps;
  for (size_t I = 0; I != Stamps->size(); ++I) {
    // A file with a new definition keeps the stamp the entry has: a later
    // lookup reads it again, with the names it frees (CommentEdit.h).
    if (llvm::is_contained((*Found)->NewMacroFiles, Paths[I]))
      continue;
    (*Stamps)[I].Code = E.Files[I].Code;
    (*Stamps)[I].CodeFixedLines = E.Files[I].CodeFixedLines;
    (*Stamps)[I].CodeLeftOut = E.Files[I].CodeLeftOut;
    if (llvm::is_contained(Edited, Paths[I]))
      EditedStamps.push_back((*Stamps)[I]);
    Next.Files.set(I, std::move((*Stamps)[I]));
  }
  // The edited files' text, which the stamps now name: the next edit's
  // lines are told against it (the messages' check).
  keepSources(J, EditedStamps);
  if (llvm::Error Err =
          J.Tiers->addManifest(J.DirectKey, Next, /*Portable=*/false, J.Cwd, J.Paths))
    J.note("no direct-mode entry: " + llvm::toString(std::move(Err)));
  return 0;
}

int notCached(Job &J, llvm::StringRef Why) {
  J.bump(counter::Uncacheable);
  J.decided(LogEvent::Uncacheable, Why.str());
  return execCompiler(J.Argv);
}

} // namespace semantic
} // namespace hotast
