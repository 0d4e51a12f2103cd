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
