//===- Zstd.h - Payloads compressed with zstd -------------------*- C++ -*-===//
//
// The remote cache's large values, and the local copies of objects fetched
// from it, are zstd frames: compressed at level 1, read back in pieces so
// that a decompressed object is never held whole in memory.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_ZSTD_H
#define HOTAST_SUPPORT_ZSTD_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstddef>
#include <optional>
#include <string>

namespace hotast {

/// Bytes as one zstd frame (level 1), when zstd makes them smaller.
std::optional<std::string> zstdCompress(llvm::StringRef Bytes);

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

private:
  llvm::StringRef In;
  void *Stream; // ZSTD_DStream
  bool Ended = false;
};

} // namespace hotast

#endif
