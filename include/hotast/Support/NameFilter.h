//===- NameFilter.h - A set of names that may say yes wrongly ---*- C++ -*-===//
//
// The names a compile's preprocessor and parser looked up (its identifier
// table), kept small: a Bloom filter. mayHold answers yes for every name
// added, and for a few others (about one in a hundred at the sizes
// built here); no for a name never added. A caller that frees what a unit
// never read (CodeLines.h: a new `#define` of a name absent) is wrong only
// by keeping a line, never by leaving one out.
//
// Bytes: "hotast names 1\n", the count of hash functions (one byte), then
// the bits (a power of two of bytes, at least 8), little-endian words.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_NAMEFILTER_H
#define HOTAST_SUPPORT_NAMEFILTER_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hotast {

class NameFilter {
public:
  /// Room for about Expected names.
  explicit NameFilter(size_t Expected);
  /// What bytes() wrote; nothing when they are not that.
  static std::optional<NameFilter> fromBytes(llvm::StringRef Bytes);

  void add(llvm::StringRef Name);
  bool mayHold(llvm::StringRef Name) const;
  std::string bytes() const;

private:
  NameFilter() = default;
  std::vector<uint64_t> Words; // a power of two of them
  unsigned Probes = 7;
};

} // namespace hotast

#endif
