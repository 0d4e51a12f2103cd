//===- RemoteValue.cpp - A value as the remote cache holds it -------------===//
//
// Values: "hotast1" (7 bytes), a flags byte (1: signed, 2: compressed), the
// XXH3-128 of the key and the stored payload (16 bytes), when signed the
// HMAC-SHA256 of the key and the stored payload under the team key (32
// bytes), then the stored payload. A compressed payload is stored as its
// size (8 bytes, little-endian) and its zstd frame: every payload of at
// least CompressFrom bytes that zstd makes smaller (objects shrink to a
// third or less, which is what a remote hit waits for). The frame and the
// signature cover the stored bytes, so nothing is decompressed before it
// verifies.
//
//===----------------------------------------------------------------------===//

#include "hotast/Remote/RemoteValue.h"
#include "hotast/Support/Hash128.h"
#include "hotast/Support/Zstd.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/SHA256.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hotast {

static constexpr llvm::StringLiteral Magic = "hotast1";
static constexpr uint8_t SignedFlag = 1, CompressedFlag = 2;
static constexpr size_t CompressFrom = 4096;
/// A compressed payload may say it holds at most this much, and at most
/// ZstdMaxRatio times its stored size: a planted value cannot make a
/// compile allocate what it likes.
static constexpr uint64_t MaxRawSize = uint64_t(1) << 30;

static llvm::Error fail(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static std::array<uint8_t, 32> hmac(llvm::StringRef Key, llvm::StringRef A, llvm::StringRef B) {
  // RFC 2104 with SHA-256 (64-byte blocks).
  std::array<uint8_t, 64> Block{};
  if (Key.size() > Block.size()) {
    auto Short = llvm::SHA256::hash(llvm::arrayRefFromStringRef(Key));
    std::copy(Short.begin(), Short.end(), Block.begin());
  } else {
    std::copy(Key.begin(), Key.end(), Block.begin());
  }
  std::array<uint8_t, 64> Inner, Outer;
  for (size_t I = 0; I != Block.size(); ++I) {
    Inner[I] = Block[I] ^ 0x36;
    Outer[I] = Block[I] ^ 0x5c;
  }
  llvm::SHA256 H;
  H.update(Inner);
  H.update(A);
  H.update(B);
  std::array<uint8_t, 32> InnerHash = H.final();
  llvm::SHA256 O;
  O.update(Outer);
  O.update(InnerHash);
  return O.final();
}

/// Hasher().add("remote value").add(RedisKey).add(Payload), without
/// copying the payload (an object) into Hasher's buffer.
static Hash128 checksum(llvm::StringRef RedisKey, llvm::StringRef Payload) {
  ContentHasher H;
  H.add("remote value");
  H.add(RedisKey);
  H.add(Payload);
  return H.final();
}

static void appendHash(std::string &Out, const Hash128 &H) {
  for (uint64_t V : {H.Low, H.High})
    for (int I = 0; I != 8; ++I)
      Out += char(V >> (8 * I));
}

/// Payload as it is stored: compressed when that makes it smaller.
static std::string storedPayload(llvm::StringRef Payload, uint8_t &Flags) {
  if (Payload.size() < CompressFrom)
    return Payload.str();
  std::optional<std::string> Packed = zstdCompress(Payload);
  if (!Packed || 8 + Packed->size() >= Payload.size())
    return Payload.str();
  Flags |= CompressedFlag;
  std::string Out(8, '\0');
  llvm::support::endian::write64le(Out.data(), Payload.size());
  Out.reserve(8 + Packed->size());
  Out += *Packed;
  return Out;
}

std::string frameValue(llvm::StringRef RedisKey, llvm::StringRef Payload,
                       llvm::StringRef TeamKey) {
  uint8_t Flags = TeamKey.empty() ? 0 : SignedFlag;
  std::string Stored = storedPayload(Payload, Flags);
  std::string Out = Magic.str();
  Out += char(Flags);
  appendHash(Out, checksum(RedisKey, Stored));
  if (!TeamKey.empty()) {
    auto Mac = hmac(TeamKey, RedisKey, Stored);
    Out.append(Mac.begin(), Mac.end());
  }
  Out += Stored;
  return Out;
}

/// The size a compressed payload says it holds, when it is within reason.
static llvm::Expected<uint64_t> claimedSize(llvm::StringRef Stored) {
  if (Stored.size() < 8)
    return fail("a truncated value");
  uint64_t Size = llvm::support::endian::read64le(Stored.data());
  if (Size > MaxRawSize || Size / ZstdMaxRatio > Stored.size() - 8)
    return fail("a compressed value that claims " + llvm::Twine(Size) + " bytes");
  return Size;
}

llvm::Expected<RemoteBlob> openValue(llvm::StringRef RedisKey, std::string Value,
                                     llvm::StringRef TeamKey) {
  llvm::StringRef V = Value;
  if (!V.consume_front(Magic) || V.empty())
    return fail("not a hotast value");
  uint8_t Flags = V.front();
  if (Flags & ~(SignedFlag | CompressedFlag))
    return fail("a value of an unknown format");
  bool Signed = Flags & SignedFlag;
  V = V.drop_front();
  if (V.size() < 16 + (Signed ? 32 : 0))
    return fail("a truncated value");
  llvm::StringRef Sum = V.take_front(16);
  V = V.drop_front(16);
  llvm::StringRef Mac;
  if (Signed) {
    Mac = V.take_front(32);
    V = V.drop_front(32);
  }
  std::string Want;
  appendHash(Want, checksum(RedisKey, V));
  if (Sum != Want)
    return fail("a damaged value (checksum mismatch)");
  if (!TeamKey.empty()) {
    if (!Signed)
      return fail("an unsigned value (a team key is set)");
    auto Expected = hmac(TeamKey, RedisKey, V);
    uint8_t Diff = 0; // constant time
    for (size_t I = 0; I != Expected.size(); ++I)
      Diff |= uint8_t(Mac[I]) ^ Expected[I];
    if (Diff)
      return fail("a value signed with another key");
  }
  bool Compressed = Flags & CompressedFlag;
  uint64_t Size = V.size();
  if (Compressed) {
    auto Claimed = claimedSize(V);
    if (!Claimed)
      return Claimed.takeError();
    Size = *Claimed;
  }
  // In place: a large object is not copied to fresh memory once more.
  Value.erase(0, V.data() - Value.data());
  return RemoteBlob(std::move(Value), Compressed, Size);
}

llvm::Expected<std::string> unframeValue(llvm::StringRef RedisKey, std::string Value,
                                         llvm::StringRef TeamKey) {
  auto Blob = openValue(RedisKey, std::move(Value), TeamKey);
  if (!Blob)
    return Blob.takeError();
  return std::move(*Blob).bytes();
}

llvm::Expected<std::string> RemoteBlob::bytes() && {
  if (!Compressed)
    return std::move(Stored);
  return zstdDecompress(frames(), Size);
}

RemoteBlob::Reader::Reader(const RemoteBlob &B)
    : In(B.Compressed ? llvm::StringRef() : llvm::StringRef(B.Stored)) {
  if (B.Compressed)
    Unzip.emplace(B.frames());
}

RemoteBlob::Reader::~Reader() = default;

llvm::Expected<llvm::StringRef> RemoteBlob::Reader::next() {
  if (Unzip)
    return Unzip->next();
  return std::exchange(In, llvm::StringRef());
}

} // namespace hotast
