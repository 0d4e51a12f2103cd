//===- SizeTest.cpp - parseSize ---------------------------------------------===//

#include "hotast/Support/Size.h"
#include "gtest/gtest.h"

using namespace hotast;
using llvm::StringRef;

namespace {

TEST(ParseSizeTest, UnitsAreBinary) {
  EXPECT_EQ(parseSize("1048576"), 1048576u);
  EXPECT_EQ(parseSize("100k"), 100u << 10);
  EXPECT_EQ(parseSize("100K"), 100u << 10);
  EXPECT_EQ(parseSize("500M"), 500ull << 20);
  EXPECT_EQ(parseSize("5G"), 5ull << 30);
  EXPECT_EQ(parseSize("5GB"), 5ull << 30);
  EXPECT_EQ(parseSize("5GiB"), 5ull << 30);
  EXPECT_EQ(parseSize("5Gi"), 5ull << 30);
  EXPECT_EQ(parseSize(" 2T "), 2ull << 40);
  EXPECT_EQ(parseSize("1.5G"), 3ull << 29);
}

TEST(ParseSizeTest, MalformedIsZero) {
  for (StringRef Bad : {"", "G", "-5G", "5X", "5GG", "1.2.3M", "five", "99999999999999999999",
                        "20000000T"})
    EXPECT_EQ(parseSize(Bad), 0u) << Bad.str();
}

} // namespace
