//===- CacheTiers.cpp - The local cache, then the remote one --------------===//

#include "hotast/Wrapper/CacheTiers.h"
#include "hotast/Wrapper/Config.h"
#include "hotast/Wrapper/DirectMode.h"

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
  auto Checked = KeepLocally
                     ? Objects.putVerified(Key, Blob.size(), [&] { return Read.next(); })
                     : contentHashes(Key, Blob.size(), [&] { return Read.next(); });
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

void CacheTiers::keep(const Hash128 &Fingerprint, const CachedResult &R) {
  FromRemote = true;
  if (KeepLocally)
    if (llvm::Error E = S.putResult(Fingerprint, R))
      llvm::consumeError(std::move(E));
}

std::optional<CachedResult>
CacheTiers::result(const Hash128 &Fingerprint,
                   llvm::function_ref<bool(const CachedResult &)> Usable) {
  auto Local = S.result(Fingerprint);
  if (!Local)
    llvm::consumeError(Local.takeError());
  else if (*Local && (!Usable || Usable(**Local)) && have((*Local)->Object) &&
           have((*Local)->Stderr))
    return **Local;
  return adopt(Fingerprint, fetchRemote(Fingerprint, Usable));
}

CacheTiers::RemoteResult
CacheTiers::fetchRemote(const Hash128 &Fingerprint,
                        llvm::function_ref<bool(const CachedResult &)> Usable) {
  RemoteResult Out;
  if (!Remote)
    return Out;
  Out.Result = Remote->result(Fingerprint);
  if (!Out.Result || (Usable && !Usable(*Out.Result)))
    return RemoteResult();
  for (const Hash128 &Key : {Out.Result->Object, Out.Result->Stderr}) {
    if (haveHere(Key) || Out.Blobs.count(Key))
      continue;
    std::optional<RemoteBlob> Blob = Remote->blob(Key);
    if (!Blob)
      return RemoteResult();
    Out.Blobs.emplace(Key, std::move(*Blob));
  }
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

std::optional<CachedResult> CacheTiers::adopt(const Hash128 &Fingerprint, RemoteResult Got) {
  if (!Got.Result)
    return std::nullopt;
  for (auto &[Key, Blob] : Got.Blobs)
    if (!keep(Key, std::move(Blob)))
      return std::nullopt;
  keep(Fingerprint, *Got.Result);
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
    Remote->addManifest(DirectKey, Shared);
  }
  if (!KeepLocally)
    return llvm::Error::success();
  if (!Paths.active())
    return S.addManifest(DirectKey, E);
  ManifestEntry Here = E;
  Here.WorkingDir = WorkingDir.str();
  return S.addManifest(DirectKey, Here);
}

void CacheTiers::countRemote(llvm::ArrayRef<std::pair<llvm::StringRef, int64_t>> Also) {
  std::vector<std::pair<llvm::StringRef, int64_t>> Deltas(Also.begin(), Also.end());
  if (Remote) {
    if (Remote->errors())
      Deltas.push_back({counter::RemoteError, Remote->errors()});
    Deltas.push_back({counter::RemoteMs, Remote->millisecondsSpent()});
  }
  if (!Deltas.empty())
    llvm::consumeError(S.bump(Deltas));
}

void CacheTiers::keepManifest(const Hash128 &DirectKey, const ManifestEntry &E) {
  if (!KeepLocally)
    return;
  if (llvm::Error Err = S.addManifest(DirectKey, E))
    llvm::consumeError(std::move(Err));
}

} // namespace hotast
