//===- ObjectCache.h - Content-addressed blobs on disk ----------*- C++ -*-===//
//
// Object files, stderr and other outputs, stored by the XXH3-128 of their
// content under DIR/objects/ab/cdef...; see ObjectCache.cpp for the file format.
// Writes are atomic (temporary file + rename), reads verify a checksum, and
// the total size is kept under a limit by evicting the least recently used
// blobs. Safe for many processes at once. Knows nothing of Clang or SQLite.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_CACHE_OBJECTCACHE_H
#define HOTAST_CACHE_OBJECTCACHE_H

#include "hotast/Support/AtomicFile.h"
#include "hotast/Support/Hash128.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace hotast {

class ObjectCache {
public:
  /// Opens (creating if needed) the blob store under Dir.
  static llvm::Expected<ObjectCache> open(llvm::StringRef Dir);

  /// Stores Bytes; returns their key. Storing an existing blob is cheap.
  llvm::Expected<Hash128> put(llvm::StringRef Bytes);
  /// Stores Bytes whose key the caller has just computed (hashBytes).
  llvm::Error put(llvm::StringRef Bytes, const Hash128 &Key);
  /// Stores as blob Key the Size bytes Read yields, when they hash to Key:
  /// true; false (nothing stored) when they do not.
  llvm::Expected<bool> putVerified(const Hash128 &Key, uint64_t Size, ChunkReader Read);
  /// Blob Key, and Copy when given, written from the Size bytes Read yields
  /// beside their places, when they hash to Key (one pass: a remote hit's
  /// object and its output); place() stores them. None when they do not.
  /// With Frames (the bytes as zstd frames, which Read decompresses), the
  /// blob keeps those instead: written once, a seventh of the size.
  llvm::Expected<std::optional<VerifiedFiles>> prepare(const Hash128 &Key, uint64_t Size,
                                                       ChunkReader Read, llvm::StringRef Copy = "",
                                                       llvm::StringRef Frames = "");
  /// Stores the file at Path.
  llvm::Expected<Hash128> putFile(llvm::StringRef Path);
  /// Reads a blob, verifying it; a missing or corrupt blob is an error (and a
  /// corrupt one is removed so it is never served).
  llvm::Expected<std::string> get(const Hash128 &Key);
  /// Writes blob Key to Dest atomically (a temporary in Dest's directory,
  /// then rename), verifying it first. Marks the blob as recently used.
  llvm::Error materialize(const Hash128 &Key, llvm::StringRef Dest);
  bool contains(const Hash128 &Key) const;

  /// Total bytes of all blobs.
  uint64_t totalSize() const;
  /// Bytes of the blobs this instance wrote since the last call (a blob
  /// that was there already costs nothing): what the cache grew by, for
  /// keepInSize (CacheSize.h).
  uint64_t takeAddedBytes() { return std::exchange(Added, 0); }
  /// Removes least recently used blobs until the total is at most MaxBytes.
  /// Returns the number of blobs removed.
  llvm::Expected<unsigned> evictTo(uint64_t MaxBytes);
  /// Removes every blob.
  llvm::Error clear();

  const std::string &directory() const { return Dir; }

private:
  explicit ObjectCache(std::string Dir) : Dir(std::move(Dir)) {}
  std::string pathFor(const Hash128 &Key) const;
  std::string Dir; // DIR/objects
  uint64_t Added = 0;
};

} // namespace hotast

#endif
