//===- Zstd.h - Payloads compressed with zstd -------------------*- C++ -*-===//
//
// The remote cache's large values, and the local copies of objects fetched
// from it, are zstd frames compressed at level 1. They are read back in
// pieces (an object is never held whole in memory decompressed: each fresh
// page costs a page fault) or, for a caller that wants the bytes, whole.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_ZSTD_H
#define HOTAST_SUPPORT_ZSTD_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace hotast {

/// A payload said to hold more than this many times its frames' size is
/// damaged or planted: a read never allocates what such a size says.
constexpr uint64_t ZstdMaxRatio = 1024;

/// Bytes as one zstd frame (level 1), when zstd makes them smaller.
std::optional<std::string> zstdCompress(llvm::StringRef Bytes);

/// The Size bytes Frames hold; an error when they hold another number, or
/// are damaged.
llvm::Expected<std::string> zstdDecompress(llvm::StringRef Frames, uint64_t Size);

/// Decompresses zstd frames (one after another, as zstd writes a stream) in
/// pieces. An error says what is wrong with them (damaged, truncated).
class ZstdReader {
public:
  explicit ZstdReader(llvm::StringRef Frames);
  ~ZstdReader();
  ZstdReader(const ZstdReader &) = delete;
  ZstdReader &operator=(const ZstdReader &) = delete;
  /// The next bytes written to Out (at most Space of them); zero at the end.
  llvm::Expected<size_t> read(char *Out, size_t Space);
  /// The next piece, in the reader's buffer (64 KiB, made on first use);
  /// empty at the end.
  llvm::Expected<llvm::StringRef> next();

private:
  llvm::StringRef In;
  void *Stream; // ZSTD_DStream
  bool Ended = false;
  /// next()'s buffer: not zero-filled, and below malloc's threshold for a
  /// mapping of its own, so the memory is reused from one reader to the
  /// next.
  std::unique_ptr<char[]> Buffer;
};

} // namespace hotast

#endif
