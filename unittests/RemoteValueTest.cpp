//===- RemoteValueTest.cpp - Values in the remote cache -------------------===//
//
// A framed value verifies only under its own key, whole and unchanged; with
// a team key only when signed with that key. Redis URLs parse as redis-cli
// takes them, and bad ones are errors that name what is wrong.
//
//===----------------------------------------------------------------------===//

#include "hotast/Remote/Redis.h"
#include "hotast/Remote/RemoteCache.h"
#include "gtest/gtest.h"

using namespace hotast;

namespace {

/// A value framed by hand as a writer could (the checksum as
/// RemoteValue.cpp takes it): Flags, then Stored.
std::string handFramed(llvm::StringRef Key, char Flags, llvm::StringRef Stored) {
  Hash128 Sum = Hasher().add("remote value").add(Key).add(Stored).final();
  std::string V = "hotast1";
  V += Flags;
  for (uint64_t W : {Sum.Low, Sum.High})
    for (int I = 0; I != 8; ++I)
      V += char(W >> (8 * I));
  return V + Stored.str();
}

std::string payloadOf(llvm::Expected<std::string> V) {
  if (!V)
    return "error: " + llvm::toString(V.takeError());
  return *V;
}

TEST(RemoteValueTest, VerifiesOnlyUnderItsKeyAndUnchanged) {
  std::string V = frameValue("k1", "object bytes", "");
  EXPECT_EQ(payloadOf(unframeValue("k1", V, "")), "object bytes");
  EXPECT_EQ(payloadOf(unframeValue("k2", V, "")), "error: a damaged value (checksum mismatch)");
  std::string Flipped = V;
  Flipped.back() ^= 1;
  EXPECT_EQ(payloadOf(unframeValue("k1", Flipped, "")),
            "error: a damaged value (checksum mismatch)");
  EXPECT_EQ(payloadOf(unframeValue("k1", V.substr(0, 12), "")), "error: a truncated value");
  EXPECT_EQ(payloadOf(unframeValue("k1", "something else", "")), "error: not a hotast value");
}

TEST(RemoteValueTest, LargePayloadsTravelCompressed) {
  // Like an object: repeated names, and numbers no pattern predicts.
  std::string Object;
  for (uint64_t I = 0, X = 1; Object.size() < 100000; ++I, X = X * 6364136223846793005 + 1)
    Object += "section .text." + std::to_string(I % 97) + " " + std::to_string(X >> 40) + "\n";
  for (llvm::StringRef Team : {"", "team"}) {
    std::string V = frameValue("k", Object, Team);
    EXPECT_LT(V.size(), Object.size() / 2); // the frame holds zstd's bytes
    EXPECT_EQ(payloadOf(unframeValue("k", V, Team)), Object);
    std::string Flipped = V;
    Flipped[V.size() / 2] ^= 1;
    EXPECT_EQ(payloadOf(unframeValue("k", Flipped, Team)),
              "error: a damaged value (checksum mismatch)");
  }
  // Streamed in pieces, the same bytes; cut short, an error.
  auto Blob = openValue("k", frameValue("k", Object, ""), "");
  ASSERT_TRUE(bool(Blob)) << llvm::toString(Blob.takeError());
  EXPECT_EQ(Blob->size(), Object.size());
  std::string Streamed;
  RemoteBlob::Reader Read(*Blob);
  for (int Pieces = 0;; ++Pieces) {
    auto Piece = Read.next();
    ASSERT_TRUE(bool(Piece)) << llvm::toString(Piece.takeError());
    if (Piece->empty())
      break;
    Streamed += *Piece;
  }
  EXPECT_EQ(Streamed, Object);
  // A compressed payload with its end cut off (frame rewritten to pass the
  // checksum, as a writer could): reading it fails, never a short object.
  std::string Framed = frameValue("k", Object, "");
  std::string Packed = Framed.substr(7 + 1 + 16);
  std::string Cut = Packed.substr(0, Packed.size() - 100);
  auto Truncated = openValue("k", handFramed("k", 2, Cut), "");
  ASSERT_TRUE(bool(Truncated)) << llvm::toString(Truncated.takeError());
  RemoteBlob::Reader ReadCut(*Truncated);
  std::string Got;
  bool Failed = false;
  for (;;) {
    auto Piece = ReadCut.next();
    if (!Piece) {
      llvm::consumeError(Piece.takeError());
      Failed = true;
      break;
    }
    if (Piece->empty())
      break;
    Got += *Piece;
  }
  EXPECT_TRUE(Failed);
  EXPECT_LT(Got.size(), Object.size());
  // What zstd cannot shrink, and what is small, is stored as it is.
  EXPECT_EQ(frameValue("k", "x", "").size(), 7 + 1 + 16 + 1u);
  // A value that verifies but claims a size beyond reason is not expanded.
  std::string Stored(8, '\0');
  Stored[5] = 1; // 2^40 bytes
  Stored += "tiny";
  EXPECT_EQ(payloadOf(unframeValue("k", handFramed("k", 2, Stored), "")),
            "error: a compressed value that claims 1099511627776 bytes");
}

TEST(RemoteValueTest, ATeamKeyAcceptsOnlyItsOwnSignature) {
  std::string Unsigned = frameValue("k", "x", ""), Mine = frameValue("k", "x", "team"),
              Theirs = frameValue("k", "x", "other team");
  EXPECT_EQ(payloadOf(unframeValue("k", Mine, "team")), "x");
  EXPECT_EQ(payloadOf(unframeValue("k", Unsigned, "team")),
            "error: an unsigned value (a team key is set)");
  EXPECT_EQ(payloadOf(unframeValue("k", Theirs, "team")),
            "error: a value signed with another key");
  // Re-signing needs the key: a changed payload with the old signature fails.
  std::string Forged = Mine;
  Forged.back() = 'y';
  EXPECT_NE(payloadOf(unframeValue("k", Forged, "team")), "y");
  // Without a team key, signed values are read (the signature unchecked).
  EXPECT_EQ(payloadOf(unframeValue("k", Mine, "")), "x");
}

TEST(RemoteValueTest, RedisURLs) {
  auto U = RedisURL::parse("redis://alice:s3cret@cache.example:6380/2");
  ASSERT_TRUE(bool(U)) << llvm::toString(U.takeError());
  EXPECT_EQ(U->Host, "cache.example");
  EXPECT_EQ(U->Port, 6380u);
  EXPECT_EQ(U->User, "alice");
  EXPECT_EQ(U->Password, "s3cret");
  EXPECT_EQ(U->Database, 2u);
  EXPECT_EQ(U->shown(), "redis://alice:***@cache.example:6380/2");
  auto P = RedisURL::parse("redis://:pw@localhost");
  ASSERT_TRUE(bool(P));
  EXPECT_EQ(P->Port, 6379u);
  EXPECT_EQ(P->User, "");
  EXPECT_EQ(P->Password, "pw");
  for (const char *Bad : {"http://x", "redis://", "redis://h:0", "redis://h:99999",
                          "redis://h:12/x"}) {
    auto B = RedisURL::parse(Bad);
    EXPECT_FALSE(bool(B)) << Bad;
    if (!B)
      llvm::consumeError(B.takeError());
  }
}

} // namespace
