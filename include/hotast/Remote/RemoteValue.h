//===- RemoteValue.h - A value as the remote cache holds it ----*- C++ -*-===//
//
// Every value hotast writes to Redis is framed: checked against a hash of
// its key and payload, with a team key signed (HMAC-SHA256) over the same,
// and a large payload compressed with zstd. RemoteValue.cpp has the format.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_REMOTE_REMOTEVALUE_H
#define HOTAST_REMOTE_REMOTEVALUE_H

#include "hotast/Support/Zstd.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace hotast {

/// A value as the remote cache holds it, its frame verified (checksum,
/// signature): the stored payload, compressed or not. A blob's content is
/// checked against its key by whoever streams it (Reader, into
/// writeVerifiedAtomically), so a decompressed object is never held whole
/// in memory (each fresh page costs a page fault).
class RemoteBlob {
public:
  RemoteBlob(std::string Stored, bool Compressed, uint64_t Size)
      : Stored(std::move(Stored)), Compressed(Compressed), Size(Size) {}
  /// The payload's size (uncompressed).
  uint64_t size() const { return Size; }
  /// The payload's zstd frames, when it is stored compressed (empty when
  /// not).
  llvm::StringRef frames() const {
    return Compressed ? llvm::StringRef(Stored).drop_front(8) : llvm::StringRef();
  }
  /// The whole payload, or why it cannot be had.
  llvm::Expected<std::string> bytes() &&;

  /// The payload in pieces (ChunkReader).
  class Reader {
  public:
    explicit Reader(const RemoteBlob &B);
    ~Reader();
    Reader(const Reader &) = delete;
    Reader &operator=(const Reader &) = delete;
    /// The next piece (in a buffer of the reader's when it decompresses);
    /// empty at the end.
    llvm::Expected<llvm::StringRef> next();

  private:
    llvm::StringRef In; // not compressed: all of it, in one piece
    std::optional<ZstdReader> Unzip;
  };

private:
  std::string Stored;
  bool Compressed;
  uint64_t Size;
};

/// The framed value of Payload under RedisKey, signed with TeamKey when it
/// is not empty; and the payload of a framed value when it verifies (with
/// TeamKey: only a value signed with it), else an error saying why.
std::string frameValue(llvm::StringRef RedisKey, llvm::StringRef Payload,
                       llvm::StringRef TeamKey);
/// Large payloads are compressed (zstd) when that makes them smaller.
/// openValue checks the frame and keeps the payload as stored;
/// unframeValue also expands it.
llvm::Expected<RemoteBlob> openValue(llvm::StringRef RedisKey, std::string Value,
                                     llvm::StringRef TeamKey);
llvm::Expected<std::string> unframeValue(llvm::StringRef RedisKey, std::string Value,
                                         llvm::StringRef TeamKey);

} // namespace hotast

#endif
