//===- Hash128.cpp - XXH3-128 streaming hasher ----------------------------===//
//
// The only file that includes xxhash.h.
//
//===----------------------------------------------------------------------===//

#include "hotast/Support/Hash128.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace hotast {

Hash128 Hasher::final() const { return hashBytes(llvm::StringRef(Buf.data(), Buf.size())); }

Hash128 hashBytes(llvm::StringRef Bytes) {
  XXH128_hash_t D = XXH3_128bits(Bytes.data(), Bytes.size());
  return Hash128{D.low64, D.high64};
}

std::string Hash128::toHex() const {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format_hex_no_prefix(High, 16) << llvm::format_hex_no_prefix(Low, 16);
  return Out;
}

bool Hash128::fromHex(llvm::StringRef Hex, Hash128 &Out) {
  if (Hex.size() != 32)
    return false;
  uint64_t Hi, Lo;
  if (Hex.substr(0, 16).getAsInteger(16, Hi) || Hex.substr(16).getAsInteger(16, Lo))
    return false;
  Out = Hash128{Lo, Hi};
  return true;
}

} // namespace hotast
