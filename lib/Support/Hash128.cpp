//===- Hash128.cpp - XXH3-128 streaming hasher ----------------------------===//
//
// The only file that includes xxhash.h.
//
//===----------------------------------------------------------------------===//

#include "hotast/Support/Hash128.h"

#include "llvm/ADT/StringExtras.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace hotast {

Hash128 Hasher::final() const { return hashBytes(llvm::StringRef(Buf.data(), Buf.size())); }

Hash128 hashBytes(llvm::StringRef Bytes) {
  XXH128_hash_t D = XXH3_128bits(Bytes.data(), Bytes.size());
  return Hash128{D.low64, D.high64};
}

ContentHasher::ContentHasher() : State(XXH3_createState()) {
  XXH3_128bits_reset(static_cast<XXH3_state_t *>(State));
}
ContentHasher::~ContentHasher() { XXH3_freeState(static_cast<XXH3_state_t *>(State)); }

void ContentHasher::add(llvm::StringRef S) {
  char Size[8];
  for (int I = 0; I != 8; ++I)
    Size[I] = char(uint64_t(S.size()) >> (8 * I)); // as Hasher::add(uint64_t)
  update(llvm::StringRef(Size, 8));
  update(S);
}

void ContentHasher::update(llvm::StringRef Piece) {
  XXH3_128bits_update(static_cast<XXH3_state_t *>(State), Piece.data(), Piece.size());
}

Hash128 ContentHasher::final() const {
  XXH128_hash_t D = XXH3_128bits_digest(static_cast<XXH3_state_t *>(State));
  return Hash128{D.low64, D.high64};
}

// By hand, digit by digit: the store reads and writes every hash as hex, and
// a plan of a thousand compiles reads tens of thousands of them
// (StringRef::getAsInteger took a fifth of reading the manifests).
std::string Hash128::toHex() const {
  std::string Out(32, '0');
  for (int I = 0; I != 16; ++I) {
    Out[15 - I] = llvm::hexdigit((High >> (4 * I)) & 0xf, /*LowerCase=*/true);
    Out[31 - I] = llvm::hexdigit((Low >> (4 * I)) & 0xf, /*LowerCase=*/true);
  }
  return Out;
}

bool Hash128::fromHex(llvm::StringRef Hex, Hash128 &Out) {
  if (Hex.size() != 32)
    return false;
  uint64_t Halves[2] = {0, 0};
  for (size_t I = 0; I != 32; ++I) {
    unsigned Digit = llvm::hexDigitValue(Hex[I]);
    if (Digit == ~0U)
      return false;
    Halves[I / 16] = Halves[I / 16] << 4 | Digit;
  }
  Out = Hash128{Halves[1], Halves[0]};
  return true;
}

} // namespace hotast
