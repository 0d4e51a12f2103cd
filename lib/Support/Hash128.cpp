//===- Hash128.cpp - XXH3-128 streaming hasher ----------------------------===//
//
// The only file that includes xxhash.h. Values are written little-endian so the
// stream, and with it every stored hash, is the same on every host.
//
//===----------------------------------------------------------------------===//

#include "hotast/Support/Hash128.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace hotast {

struct Hasher::State {
  XXH3_state_t X;
};

Hasher::Hasher() : S(std::make_unique<State>()) { reset(); }
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher &&) noexcept = default;
Hasher &Hasher::operator=(Hasher &&) noexcept = default;

void Hasher::reset() { XXH3_128bits_reset(&S->X); }

Hasher &Hasher::add(uint64_t V) {
  char Buf[8];
  llvm::support::endian::write64le(Buf, V);
  XXH3_128bits_update(&S->X, Buf, sizeof(Buf));
  return *this;
}

Hasher &Hasher::add(llvm::StringRef Str) {
  add(uint64_t(Str.size()));
  XXH3_128bits_update(&S->X, Str.data(), Str.size());
  return *this;
}

Hasher &Hasher::add(const Hash128 &H) {
  add(H.Low);
  return add(H.High);
}

Hash128 Hasher::final() const {
  XXH128_hash_t D = XXH3_128bits_digest(&S->X);
  return Hash128{D.low64, D.high64};
}

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
