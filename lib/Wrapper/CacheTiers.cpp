//===- CacheTiers.cpp - The local cache, then the remote one --------------===//

#include "hotast/Wrapper/CacheTiers.h"
#include "hotast/Wrapper/Config.h"
#include "hotast/Wrapper/DirectMode.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

namespace hotast {

CacheTiers::CacheTiers(Store &S, ObjectCache &Objects, std::unique_ptr<RemoteCache> Remote,
                       bool KeepLocally)
    : S(S), Objects(Objects), Remote(std::move(Remote)), KeepLocally(KeepLocally) {}

bool CacheTiers::haveHere(const Hash128 &Key) const {
  return Key.isZero() || Fetched.count(Key) || Objects.contains(Key);
}

bool CacheTiers::have(const Hash128 &Key) {
  if (haveHere(Key))
    return true;
  if (!Remote)
    return false;
  std::optional<RemoteBlob> Blob = Remote->blob(Key);
  return Blob && keep(Key, std::move(*Blob));
}

bool CacheTiers::keep(const Hash128 &Key, RemoteBlob Blob) {
  // Locally, streamed into the blob and checked as it is written; with
  // remote_only, checked now and held for this compile.
  RemoteBlob::Reader Read(Blob);
  auto Next = [&] { return Read.next(); };
  auto Checked = KeepLocally ? Objects.putVerified(Key, Blob.size(), Next)
                             : contentHashes(Key, Blob.size(), Next);
  if (!Checked) {
    llvm::consumeError(Checked.takeError()); // damaged, or not written: a miss
    return false;
  }
  if (!*Checked) {
    Remote->rejected(Key);
    return false;
  }
  FromRemote = true;
  if (!KeepLocally)
    Fetched.emplace(Key, std::move(Blob));
  return true;
}

std::optional<VerifiedFiles> CacheTiers::prepare(const Hash128 &Key, const RemoteBlob &Blob,
                                                 llvm::StringRef ObjectTo) {
  RemoteBlob::Reader Read(Blob);
  auto Next = [&] { return Read.next(); };
  // Kept locally as it came: the object is written once, to ObjectTo.
  auto Written = KeepLocally ? Objects.prepare(Key, Blob.size(), Next, ObjectTo, Blob.frames())
                             : VerifiedFiles::write(VerifiedFile{ObjectTo}, Key, Blob.size(), Next);
  if (!Written) {
    llvm::consumeError(Written.takeError()); // damaged, or not written: a miss
    return std::nullopt;
  }
  if (!*Written)
    Remote->rejected(Key);
  return std::move(*Written);
}

void CacheTiers::keep(const Hash128 &Fingerprint, const CachedResult &R) {
  FromRemote = true;
  Results[Fingerprint] = R;
  if (KeepLocally)
    if (llvm::Error E = S.putResult(Fingerprint, R))
      llvm::consumeError(std::move(E));
}

std::optional<CachedResult> CacheTiers::resultFor(const Hash128 &Fingerprint) {
  if (auto It = Results.find(Fingerprint); It != Results.end())
    return It->second;
  auto Local = S.result(Fingerprint);
  if (!Local) {
    llvm::consumeError(Local.takeError());
    return std::nullopt;
  }
  return *Local;
}

std::optional<CachedResult>
CacheTiers::result(const Hash128 &Fingerprint,
                   llvm::function_ref<bool(const CachedResult &)> Usable) {
  auto Local = S.result(Fingerprint);
  if (!Local)
    llvm::consumeError(Local.takeError());
  else if (*Local && (!Usable || Usable(**Local)) && have((*Local)->Object) &&
           have((*Local)->Stderr))
    return Results[Fingerprint] = **Local;
  std::optional<CachedResult> R = adopt(fetchRemote(Fingerprint, {}, Usable));
  if (R)
    keep(Fingerprint, *R);
  return R;
}

CacheTiers::RemoteResult
CacheTiers::fetchRemote(const Hash128 &Fingerprint, RemoteAsk Ask,
                        llvm::function_ref<bool(const CachedResult &)> Usable) {
  RemoteResult Out;
  if (!Remote)
    return Out;
  Out.Result = Ask.Known ? std::move(Ask.Known) : Remote->result(Fingerprint);
  if (!Out.Result || (Usable && !Usable(*Out.Result)))
    return RemoteResult();
  std::vector<Hash128> Missing;
  for (const Hash128 &Key : {Out.Result->Object, Out.Result->Stderr, Ask.Also})
    if (!haveHere(Key) && !llvm::is_contained(Missing, Key))
      Missing.push_back(Key);
  if (Missing.empty())
    return Out;
  std::vector<std::optional<RemoteBlob>> Blobs = Remote->blobs(Missing);
  for (size_t I = 0; I != Missing.size(); ++I) {
    if (!Blobs[I])
      return RemoteResult();
    Out.Blobs.emplace(Missing[I], std::move(*Blobs[I]));
  }
  // The object's decompression and writing overlap the caller's checks.
  auto Object = Out.Blobs.find(Out.Result->Object);
  if (Ask.ObjectTo.empty() || Object == Out.Blobs.end())
    return Out;
  Out.Object = prepare(Object->first, Object->second, Ask.ObjectTo);
  if (!Out.Object)
    return RemoteResult();
  Out.ObjectTo = std::move(Ask.ObjectTo);
  Out.Blobs.erase(Object);
  return Out;
}

llvm::StringMap<FileStamp> CacheTiers::knownStamps(llvm::ArrayRef<std::string> Paths) {
  llvm::StringMap<FileStamp> Known;
  auto Stamps = S.fileStamps(Paths);
  if (!Stamps) {
    llvm::consumeError(Stamps.takeError()); // every file is read then
    return Known;
  }
  for (FileStamp &F : *Stamps) {
    std::string Path = F.Path;
    Known.try_emplace(Path, std::move(F));
  }
  return Known;
}

bool CacheTiers::haveLocally(const Hash128 &Fingerprint) {
  auto Local = S.result(Fingerprint);
  if (!Local) {
    llvm::consumeError(Local.takeError());
    return false;
  }
  return *Local && haveHere((*Local)->Object) && haveHere((*Local)->Stderr);
}

std::optional<CachedResult> CacheTiers::adopt(RemoteResult Got) {
  if (!Got.Result)
    return std::nullopt;
  for (auto &[Key, Blob] : Got.Blobs)
    if (!keep(Key, std::move(Blob)))
      return std::nullopt;
  // The object last: nothing is put at ObjectTo unless all else came.
  if (Got.Object) {
    if (llvm::Error E = Got.Object->place()) {
      llvm::consumeError(std::move(E));
      return std::nullopt;
    }
    FromRemote = true;
    Written[Got.ObjectTo] = Got.Result->Object;
  }
  return Got.Result;
}

std::optional<std::string> CacheTiers::blob(const Hash128 &Key) {
  if (Key.isZero())
    return std::string();
  if (!have(Key))
    return std::nullopt;
  if (auto It = Fetched.find(Key); It != Fetched.end()) {
    auto Bytes = RemoteBlob(It->second).bytes(); // its content checked by keep
    if (!Bytes) {
      llvm::consumeError(Bytes.takeError());
      return std::nullopt;
    }
    return std::move(*Bytes);
  }
  auto Bytes = Objects.get(Key);
  if (!Bytes) {
    llvm::consumeError(Bytes.takeError());
    return std::nullopt;
  }
  return std::move(*Bytes);
}

llvm::Error CacheTiers::materialize(const Hash128 &Key, llvm::StringRef Dest) {
  if (auto It = Written.find(Dest.str()); It != Written.end() && It->second == Key)
    return llvm::Error::success();
  if (auto It = Fetched.find(Key); It != Fetched.end()) {
    RemoteBlob::Reader Read(It->second);
    auto Written = writeVerifiedAtomically(Dest, "", Key, It->second.size(),
                                           [&] { return Read.next(); });
    if (!Written)
      return Written.takeError();
    if (!*Written)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "blob " + Key.toHex() + " changed in memory");
    return llvm::Error::success();
  }
  return Objects.materialize(Key, Dest);
}

llvm::Expected<Hash128> CacheTiers::put(llvm::StringRef Bytes) {
  Hash128 Key = hashBytes(Bytes);
  if (KeepLocally) {
    auto Local = Objects.put(Bytes);
    if (!Local)
      return Local.takeError();
  }
  if (Remote)
    Remote->putBlob(Key, Bytes);
  return Key;
}

llvm::Expected<Hash128> CacheTiers::putFile(llvm::StringRef Path) {
  if (!Remote)
    return Objects.putFile(Path);
  auto Bytes = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
  if (!Bytes)
    return llvm::createFileError(Path, Bytes.getError());
  return put((*Bytes)->getBuffer());
}

llvm::Error CacheTiers::putResult(const Hash128 &Fingerprint, const CachedResult &R) {
  Results[Fingerprint] = R;
  if (Remote)
    Remote->putResult(Fingerprint, R);
  return KeepLocally ? S.putResult(Fingerprint, R) : llvm::Error::success();
}

llvm::Error CacheTiers::addManifest(const Hash128 &DirectKey, const ManifestEntry &E,
                                    bool Portable, llvm::StringRef WorkingDir,
                                    const PortablePaths &Paths) {
  if (Remote) {
    ManifestEntry Shared = E;
    Shared.WorkingDir = Portable ? "" : WorkingDir.str();
    Remote->addManifest(DirectKey, Shared, resultFor(E.Fingerprint));
  }
  if (!KeepLocally)
    return llvm::Error::success();
  if (!Paths.active())
    return S.addManifest(DirectKey, E);
  ManifestEntry Here = E;
  Here.WorkingDir = WorkingDir.str();
  return S.addManifest(DirectKey, Here);
}

std::vector<std::pair<llvm::StringRef, int64_t>>
CacheTiers::remoteCounters(llvm::ArrayRef<std::pair<llvm::StringRef, int64_t>> Also) {
  std::vector<std::pair<llvm::StringRef, int64_t>> Deltas(Also.begin(), Also.end());
  if (Remote) {
    if (Remote->errors())
      Deltas.push_back({counter::RemoteError, Remote->errors()});
    Deltas.push_back({counter::RemoteMs, Remote->millisecondsSpent()});
  }
  return Deltas;
}

void CacheTiers::countRemote() {
  auto Deltas = remoteCounters();
  if (!Deltas.empty())
    llvm::consumeError(S.bump(Deltas));
}

void CacheTiers::keepDirectHit(const Hash128 &DirectKey, const ManifestEntry &E,
                               const CachedResult &R, const llvm::StringMap<FileStamp> &Known) {
  auto Kept = [&](const FileStamp &F) {
    auto It = Known.find(F.Path);
    return It != Known.end() && It->second.Size == F.Size &&
           It->second.MTimeNs == F.MTimeNs && It->second.Content == F.Content;
  };
  auto Deltas = remoteCounters({{counter::DirectHit, 1}, {counter::RemoteHit, 1}});
  llvm::consumeError(S.together([&]() -> llvm::Error {
    if (KeepLocally) {
      if (llvm::Error Err = S.putResult(E.Fingerprint, R))
        return Err;
      if (llvm::Error Err = S.addManifest(DirectKey, E, Kept))
        return Err;
    }
    return S.bump(Deltas);
  }));
}

} // namespace hotast
