//===- RemoteCache.h - The cache shared through Redis -----------*- C++ -*-===//
//
// Blobs (objects, stderr), semantic results and direct-mode manifests, kept
// in Redis beside the local cache so that a team's compiles serve each
// other's builds (docs/wrapper.md, "The remote cache"). Every value is
// framed (RemoteValue.h; the format is in RemoteValue.cpp): checked against a hash
// of its key and payload, and with a team key signed with HMAC-SHA256 over
// the same, so that a value moved to another key, damaged, truncated,
// foreign or unsigned is a miss, never an object. Values are only data.
//
// Redis can only cost time: each compile has a budget (remote_timeout); an
// error or a spent budget ends the remote cache's part in that compile, and
// compiles stop asking for remote_retry seconds (a file in the cache
// directory says until when). Lookups answer "nothing" then, writes are
// dropped, and the log says why.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_REMOTE_REMOTECACHE_H
#define HOTAST_REMOTE_REMOTECACHE_H

#include "hotast/Store/Store.h"
#include "hotast/Support/PortablePaths.h"
#include "hotast/Remote/RemoteConfig.h"
#include "hotast/Remote/RemoteValue.h"

#include "llvm/ADT/FunctionExtras.h"
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hotast {

class RedisClient;

/// A direct-mode entry as the remote cache holds it, with the result it
/// names when its writer had it: a hit then asks for the blobs at once,
/// without a round trip for the result.
struct RemoteEntry {
  ManifestEntry Entry;
  std::optional<CachedResult> Result;
};

class RemoteCache {
public:
  using Logger = llvm::unique_function<void(const llvm::Twine &)>;

  /// The remote cache R configures for the cache directory CacheDir, or
  /// null when none is configured or compiles are resting after an error.
  /// Log receives what went wrong. Paths makes manifests portable between
  /// checkouts.
  static std::unique_ptr<RemoteCache> open(const RemoteConfig &R, llvm::StringRef CacheDir,
                                           PortablePaths Paths, Logger Log);
  ~RemoteCache();

  bool readOnly() const { return R.ReadOnly; }

  // Lookups: none on a miss, on a value that does not verify (logged), or
  // after an error (logged).
  /// A blob whose frame verified; its content's hash is the caller's to
  /// check as it reads it (rejected() logs one that does not match).
  std::optional<RemoteBlob> blob(const Hash128 &Key);
  /// The blobs Keys name, asked in one round trip, in their order; none
  /// for each that is missing or does not verify.
  std::vector<std::optional<RemoteBlob>> blobs(llvm::ArrayRef<Hash128> Keys);
  void rejected(const Hash128 &Key);
  std::optional<CachedResult> result(const Hash128 &Fingerprint);
  /// The entries under a direct key, newest first, with their paths as
  /// this working directory reads them (entries that cannot be read so are
  /// left out): the newest alone, or the others. A list holds up to 16,
  /// each with hundreds of stamps to send and read, and a hit mostly needs
  /// the newest. None when there are none to read (no list, or an error).
  enum class Entries { Newest, Older };
  std::optional<std::vector<RemoteEntry>> manifests(const Hash128 &DirectKey, Entries Which);

  // Writes (nothing in read-only mode or after an error).
  void putBlob(const Hash128 &Key, llvm::StringRef Bytes);
  void putResult(const Hash128 &Fingerprint, const CachedResult &R);
  /// Result: the one E names, when known (RemoteEntry).
  void addManifest(const Hash128 &DirectKey, const ManifestEntry &E,
                   const std::optional<CachedResult> &Result);

  /// Whether a lookup was made (the compile consulted Redis).
  bool asked() const { return Asked; }
  /// Errors so far, and milliseconds spent talking to Redis.
  unsigned errors() const { return Errors; }
  int64_t millisecondsSpent() const;

private:
  RemoteCache(const RemoteConfig &R, llvm::StringRef CacheDir, PortablePaths Paths, Logger Log);
  /// The connection, made on first use; null after an error.
  RedisClient *client();
  /// Ends the remote cache's part in this compile and rests compiles.
  void failed(llvm::Error E);
  std::optional<RemoteBlob> fetch(llvm::StringRef Key);
  /// The frame of Value, fetched at Key, checked (none, logged, when it
  /// does not verify).
  std::optional<RemoteBlob> checked(llvm::StringRef Key, std::optional<std::string> Value);
  std::optional<std::string> fetchBytes(llvm::StringRef Key);

  const RemoteConfig &R;
  std::string RestingFile; // says until when compiles rest
  PortablePaths Paths;
  Logger Log;
  std::unique_ptr<RedisClient> Client;
  bool Broken = false, Asked = false;
  unsigned Errors = 0;
  std::chrono::steady_clock::duration Spent{};
};

} // namespace hotast

#endif
