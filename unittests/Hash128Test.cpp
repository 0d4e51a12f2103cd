#include "hotast/Support/Hash128.h"

#include "gtest/gtest.h"

using namespace hotast;

namespace {

Hash128 hashOf(std::initializer_list<llvm::StringRef> Parts) {
  Hasher H;
  for (llvm::StringRef P : Parts)
    H.add(P);
  return H.final();
}

TEST(Hash128Test, SameStreamSameHash) {
  EXPECT_EQ(hashOf({"int", "f"}), hashOf({"int", "f"}));
}

TEST(Hash128Test, StringsAreLengthPrefixed) {
  // Without the length prefix both streams would be "abc".
  EXPECT_NE(hashOf({"ab", "c"}), hashOf({"a", "bc"}));
  EXPECT_NE(hashOf({"", "x"}), hashOf({"x", ""}));
}

TEST(Hash128Test, IntegersAreFixedWidth) {
  Hasher A, B;
  A.add(uint64_t(1)).add(uint64_t(256));
  B.add(uint64_t(256)).add(uint64_t(1));
  EXPECT_NE(A.final(), B.final());
}

TEST(Hash128Test, FinalDoesNotConsumeTheStream) {
  Hasher H;
  H.add("sig");
  Hash128 Sig = H.final();
  EXPECT_EQ(Sig, H.final());
  H.add("body");
  EXPECT_NE(Sig, H.final());
  EXPECT_EQ(H.final(), hashOf({"sig", "body"}));
}

TEST(Hash128Test, ResetStartsOver) {
  Hasher H;
  H.add("x");
  H.reset();
  EXPECT_EQ(H.final(), Hasher().final());
}

TEST(Hash128Test, HexRoundTrip) {
  Hash128 H = hashBytes("hotast");
  std::string Hex = H.toHex();
  EXPECT_EQ(Hex.size(), 32u);
  Hash128 Back;
  ASSERT_TRUE(Hash128::fromHex(Hex, Back));
  EXPECT_EQ(H, Back);
  EXPECT_FALSE(Hash128::fromHex("xyz", Back));
  EXPECT_FALSE(Hash128::fromHex(std::string(32, 'g'), Back));
  EXPECT_FALSE(Hash128::fromHex(Hex.substr(0, 31) + "-", Back));
  EXPECT_FALSE(Hash128::fromHex(Hex + "0", Back));
  // The spelling the store and the log have always used: High's digits,
  // then Low's, each 16 wide, lower case; upper case reads back too.
  Hash128 Known{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  EXPECT_EQ(Known.toHex(), "fedcba98765432100123456789abcdef");
  ASSERT_TRUE(Hash128::fromHex("FEDCBA98765432100123456789ABCDEF", Back));
  EXPECT_EQ(Back, Known);
  EXPECT_EQ((Hash128{1, 0}.toHex()), "00000000000000000000000000000001");
}

TEST(Hash128Test, PiecesHashAsTheWhole) {
  std::string Bytes;
  for (int I = 0; Bytes.size() < 300000; ++I)
    Bytes += std::to_string(I * 7919) + ",";
  for (size_t Piece : {size_t(1), size_t(17), size_t(240), size_t(4096), size_t(65536)}) {
    ContentHasher H;
    for (size_t At = 0; At < Bytes.size(); At += Piece)
      H.update(llvm::StringRef(Bytes).substr(At, Piece));
    EXPECT_EQ(H.final(), hashBytes(Bytes)) << Piece;
  }
  EXPECT_EQ(ContentHasher().final(), hashBytes(""));
}

TEST(Hash128Test, StreamedFieldsHashAsHasherAddsThem) {
  std::string Large(100000, 'x');
  ContentHasher C;
  C.add("remote value");
  C.add("key");
  C.add(Large);
  EXPECT_EQ(C.final(), Hasher().add("remote value").add("key").add(Large).final());
  // The lengths count: the same bytes split otherwise differ.
  ContentHasher Split;
  Split.add("remote valu");
  Split.add("ekey");
  Split.add(Large);
  EXPECT_NE(Split.final(), C.final());
}

TEST(Hash128Test, KnownValueIsStable) {
  // Stored hashes must mean the same thing on every host and in every
  // version with the same HashFormatVersion: pin one digest.
  EXPECT_EQ(hashBytes("").toHex(), "99aa06d3014798d86001c324468d497f");
}

} // namespace
