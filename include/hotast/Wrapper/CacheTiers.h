//===- CacheTiers.h - The local cache, then the remote one ------*- C++ -*-===//
//
// What a compile looks up and stores goes to the local cache (the store and
// the blobs) and, when one is configured, to the remote cache: lookups ask
// locally first and then remotely, and what comes from the remote cache is
// kept locally (unless remote_only); stores go to both (the remote one unless
// read-only). Both of the wrapper's programs use this, so the rules are in
// one place.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_CACHETIERS_H
#define HOTAST_WRAPPER_CACHETIERS_H

#include "hotast/Cache/ObjectCache.h"
#include "hotast/Remote/RemoteCache.h"
#include "hotast/Store/Store.h"

#include "llvm/ADT/StringMap.h"

#include <map>
#include <memory>
#include <optional>

namespace hotast {

class CacheTiers {
public:
  /// Remote may be null (no remote cache). KeepLocally: false with
  /// remote_only, when nothing is stored locally.
  CacheTiers(Store &S, ObjectCache &Objects, std::unique_ptr<RemoteCache> Remote,
             bool KeepLocally);

  RemoteCache *remote() { return Remote.get(); }
  /// Whether something a lookup returned came from the remote cache.
  bool servedRemotely() const { return FromRemote; }

  /// The result stored for Fingerprint whose object (and stderr) can be had,
  /// if any; Usable filters results before their blobs are fetched.
  std::optional<CachedResult>
  result(const Hash128 &Fingerprint,
         llvm::function_ref<bool(const CachedResult &)> Usable = nullptr);
  /// What fetchRemote asks for, besides the result and its blobs.
  struct RemoteAsk {
    /// The result, when the caller has it (a remote entry's).
    std::optional<CachedResult> Known;
    /// A blob asked for with the result's (a direct-mode entry's stderr).
    Hash128 Also;
    /// Where the object goes too, when it comes: it is written there and
    /// to its place in the local cache, beside both, while the caller
    /// checks the entry's files (adopt puts it in place).
    std::string ObjectTo;
  };
  /// What the remote cache holds for Fingerprint (when Usable): the result
  /// and the blobs it names that are not here, fetched in one round trip,
  /// their frames checked, kept nowhere yet; the object written beside
  /// its places (Object; its content checked). adopt keeps them, and a
  /// RemoteResult dropped leaves nothing behind. Asks only the remote cache
  /// and whether blobs exist here, and writes only beside the places, so
  /// it may run on another thread while this one does anything but use the
  /// tiers (a remote direct hit stamps the entry's files meanwhile).
  struct RemoteResult {
    std::optional<CachedResult> Result;
    std::map<Hash128, RemoteBlob> Blobs;
    std::optional<VerifiedFiles> Object;
    std::string ObjectTo;
  };
  RemoteResult fetchRemote(const Hash128 &Fingerprint, RemoteAsk Ask = {},
                           llvm::function_ref<bool(const CachedResult &)> Usable = nullptr);
  /// The local store's stamps of the files among Paths (Store::fileStamps):
  /// what stampFiles need not read.
  llvm::StringMap<FileStamp> knownStamps(llvm::ArrayRef<std::string> Paths);
  /// Whether the local cache can answer for Fingerprint by itself.
  bool haveLocally(const Hash128 &Fingerprint);
  /// The result Got holds (none when it has none, or a blob of it does not
  /// hash to its key), its blobs kept as result() keeps what it fetches,
  /// the object put in place in the local cache and at Ask.ObjectTo
  /// (materialize to there then writes nothing). Its row is for
  /// keepDirectHit to keep.
  std::optional<CachedResult> adopt(RemoteResult Got);
  /// A blob's bytes (stderr), locally or remotely.
  std::optional<std::string> blob(const Hash128 &Key);
  /// Writes blob Key to Dest atomically.
  llvm::Error materialize(const Hash128 &Key, llvm::StringRef Dest);

  /// Stores the file at Path (the object a compile wrote) or Bytes; returns
  /// their key, or an error when neither tier took them.
  llvm::Expected<Hash128> putFile(llvm::StringRef Path);
  llvm::Expected<Hash128> put(llvm::StringRef Bytes);
  llvm::Error putResult(const Hash128 &Fingerprint, const CachedResult &R);
  /// Remote: Portable says the entry holds in every checkout (no path of
  /// this working directory reaches the object, the stderr or the files),
  /// else it is bound to WorkingDir there too. Locally, with Paths active,
  /// the entry is bound to WorkingDir: the direct key is the same in every
  /// checkout, and the entry's absolute paths name this checkout's files,
  /// which another checkout's compile does not read.
  llvm::Error addManifest(const Hash128 &DirectKey, const ManifestEntry &E, bool Portable,
                          llvm::StringRef WorkingDir, const PortablePaths &Paths);
  /// Adds the remote cache's errors and time to the statistics (one
  /// transaction for all).
  void countRemote();
  /// Keeps locally what a remote direct hit used, in one transaction: the
  /// result R (when it came from the remote cache), the entry E (its files
  /// stamped as they are here; those as Known has them are kept already),
  /// and the hit in the statistics with the remote cache's errors and time.
  void keepDirectHit(const Hash128 &DirectKey, const ManifestEntry &E, const CachedResult &R,
                     const llvm::StringMap<FileStamp> &Known);

private:
  /// Whether blob Key is here already (locally, or held for this compile).
  bool haveHere(const Hash128 &Key) const;
  /// Whether blob Key is here, fetching it from the remote cache if not.
  bool have(const Hash128 &Key);
  /// Keeps what came from the remote cache: locally, or with remote_only
  /// a blob in memory for this compile. False (a miss) when the blob's
  /// content is not Key's.
  bool keep(const Hash128 &Key, RemoteBlob Blob);
  /// The object blob Key written beside its places (the local cache's,
  /// unless remote_only, and ObjectTo) and checked; none (logged when its
  /// content is not Key's) when it cannot be.
  std::optional<VerifiedFiles> prepare(const Hash128 &Key, const RemoteBlob &Blob,
                                       llvm::StringRef ObjectTo);
  void keep(const Hash128 &Fingerprint, const CachedResult &R);
  /// The result named Fingerprint in this compile or kept locally, if any:
  /// what a direct-mode entry shared remotely carries (RemoteEntry).
  std::optional<CachedResult> resultFor(const Hash128 &Fingerprint);
  /// The remote cache's errors and time as counter deltas, after Also.
  std::vector<std::pair<llvm::StringRef, int64_t>>
  remoteCounters(llvm::ArrayRef<std::pair<llvm::StringRef, int64_t>> Also = {});

  Store &S;
  ObjectCache &Objects;
  std::unique_ptr<RemoteCache> Remote;
  bool KeepLocally;
  bool FromRemote = false;
  /// Blobs fetched remotely and not kept locally (remote_only), their
  /// content checked.
  std::map<Hash128, RemoteBlob> Fetched;
  /// Blobs adopt wrote to a destination already, by destination.
  std::map<std::string, Hash128> Written;
  /// Results stored or found in this compile, by fingerprint.
  std::map<Hash128, CachedResult> Results;
};

} // namespace hotast

#endif
