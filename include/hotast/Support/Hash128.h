//===- Hash128.h - 128-bit content hashes -----------------------*- C++ -*-===//
//
// Every hash hotast stores or compares is an XXH3-128 digest of a tagged byte
// stream. Hasher builds that stream: each add() writes a fixed-width value or a
// length-prefixed string, so two different sequences of calls never produce
// the same bytes. Hash128.cpp is the only file that includes xxhash.h.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_HASH128_H
#define HOTAST_SUPPORT_HASH128_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>

namespace hotast {

/// A 128-bit digest. The all-zero value means "no hash".
struct Hash128 {
  uint64_t Low = 0;
  uint64_t High = 0;

  bool isZero() const { return Low == 0 && High == 0; }
  /// 32 lowercase hex digits, high half first.
  std::string toHex() const;
  /// Parses toHex() output; returns false on malformed input.
  static bool fromHex(llvm::StringRef Hex, Hash128 &Out);

  friend bool operator==(const Hash128 &A, const Hash128 &B) {
    return A.Low == B.Low && A.High == B.High;
  }
  friend bool operator!=(const Hash128 &A, const Hash128 &B) { return !(A == B); }
  friend bool operator<(const Hash128 &A, const Hash128 &B) {
    return A.High != B.High ? A.High < B.High : A.Low < B.Low;
  }
};

/// XXH3-128 over a tagged byte stream. The stream is buffered and hashed in
/// one pass by final(): per-value streaming updates cost more than the
/// hashing itself. final() may be called at any point and adding continues
/// after it (a declaration's `sig` is a prefix of its `full`).
class Hasher {
public:
  /// Discards everything added so far (keeps the buffer's capacity).
  void reset() { Buf.clear(); }
  Hasher &add(uint64_t V) {
    char Bytes[8];
    for (int I = 0; I != 8; ++I)
      Bytes[I] = char(V >> (8 * I)); // little-endian on every host
    Buf.append(Bytes, Bytes + 8);
    return *this;
  }
  Hasher &addSigned(int64_t V) { return add(static_cast<uint64_t>(V)); }
  Hasher &addBool(bool V) { return add(uint64_t(V)); }
  /// Adds the length, then the bytes.
  Hasher &add(llvm::StringRef S) {
    add(uint64_t(S.size()));
    Buf.append(S.begin(), S.end());
    return *this;
  }
  Hasher &add(const Hash128 &H) { return add(H.Low).add(H.High); }
  Hash128 final() const;
  /// Nothing added since the last reset.
  bool empty() const { return Buf.empty(); }

private:
  llvm::SmallVector<char, 0> Buf;
};

/// One-shot XXH3-128 of raw bytes.
Hash128 hashBytes(llvm::StringRef Bytes);

/// XXH3-128 of raw bytes given in pieces: what hashBytes gives of their
/// concatenation, for contents streamed through a small buffer instead of
/// held whole (a blob written from the remote cache).
class ContentHasher {
public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher &) = delete;
  ContentHasher &operator=(const ContentHasher &) = delete;
  void update(llvm::StringRef Piece);
  /// Adds the length, then the bytes: the stream Hasher::add(StringRef)
  /// makes, for a value too large to copy into Hasher's buffer.
  void add(llvm::StringRef S);
  Hash128 final() const;

private:
  void *State; // XXH3_state_t, which only Hash128.cpp sees
};

} // namespace hotast

#endif
