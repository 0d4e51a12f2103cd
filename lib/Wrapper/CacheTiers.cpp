//===- CacheTiers.cpp - The local cache, then the remote one --------------===//

#include "hotast/Wrapper/CacheTiers.h"
#include "hotast/Wrapper/Config.h"
#include "hotast/Wrapper/DirectMode.h"

#include "llvm/Support/MemoryBuffer.h"

namespace hotast {

CacheTiers::CacheTiers(Store &S, ObjectCache &Objects, std::unique_ptr<RemoteCache> Remote,
                       bool KeepLocally)
    : S(S), Objects(Objects), Remote(std::move(Remote)), KeepLocally(KeepLocally) {}

bool CacheTiers::have(const Hash128 &Key) {
  if (Key.isZero() || Fetched.count(Key) || Objects.contains(Key))
    return true;
  if (!Remote)
    return false;
  std::optional<std::string> Bytes = Remote->blob(Key);
  if (!Bytes)
    return false;
  FromRemote = true;
  // Kept locally (RemoteCache::blob checked the content's hash), and held
  // for this compile: its output is written from memory.
  if (KeepLocally)
    llvm::consumeError(Objects.put(*Bytes, Key));
  Fetched.emplace(Key, std::move(*Bytes));
  return true;
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
  if (!Remote)
    return std::nullopt;
  std::optional<CachedResult> R = Remote->result(Fingerprint);
  if (!R || (Usable && !Usable(*R)) || !have(R->Object) || !have(R->Stderr))
    return std::nullopt;
  FromRemote = true;
  if (KeepLocally)
    if (llvm::Error E = S.putResult(Fingerprint, *R))
      llvm::consumeError(std::move(E));
  return R;
}

std::optional<std::string> CacheTiers::blob(const Hash128 &Key) {
  if (Key.isZero())
    return std::string();
  if (!have(Key))
    return std::nullopt;
  if (auto It = Fetched.find(Key); It != Fetched.end())
    return It->second;
  auto Bytes = Objects.get(Key);
  if (!Bytes) {
    llvm::consumeError(Bytes.takeError());
    return std::nullopt;
  }
  return std::move(*Bytes);
}

llvm::Error CacheTiers::materialize(const Hash128 &Key, llvm::StringRef Dest) {
  if (auto It = Fetched.find(Key); It != Fetched.end())
    return writeFileAtomically(Dest, It->second);
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

void CacheTiers::countRemote() {
  if (!Remote)
    return;
  if (Remote->errors())
    llvm::consumeError(S.bump(counter::RemoteError, Remote->errors()));
  llvm::consumeError(S.bump(counter::RemoteMs, Remote->millisecondsSpent()));
}

void CacheTiers::keepManifest(const Hash128 &DirectKey, const ManifestEntry &E) {
  if (!KeepLocally)
    return;
  if (llvm::Error Err = S.addManifest(DirectKey, E))
    llvm::consumeError(std::move(Err));
}

} // namespace hotast
