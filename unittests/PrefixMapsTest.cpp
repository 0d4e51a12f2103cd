//===- PrefixMapsTest.cpp - Paths prefix maps rewrite alike in every checkout -===//
//
// Each case of PrefixMaps.h on two checkouts whose working directories
// differ in the checkout's name (and, where the key must tell them apart,
// in the build directory's): a path is called portable only when the
// rewrite reads the same in both, and the key differs where the working
// directory's own names decide the rewrite.
//
//===----------------------------------------------------------------------===//

#include "hotast/Support/PrefixMaps.h"
#include "gtest/gtest.h"

using namespace hotast;

namespace {

/// Clang's rewrite: the first rule whose old prefix begins Name.
std::string rewrite(const std::string &Name, const PrefixMap &Map) {
  for (const auto &[From, To] : Map)
    if (llvm::StringRef(Name).starts_with(From))
      return To + Name.substr(From.size());
  return Name;
}

TEST(PrefixMapsTest, OldPrefixesFromTheCommandLine) {
  std::vector<std::string> Args = {"-O2", "-ffile-prefix-map=/w/a=.", "-Xclang",
                                   "-fdebug-prefix-map=/w/a/src=s=t", "-I/w/a/prefix-map=x"};
  EXPECT_EQ(prefixMapOldPrefixes(Args), (std::vector<std::string>{"/w/a", "/w/a/src"}));
}

TEST(PrefixMapsTest, CheckoutMappedAsAWhole) {
  PortablePaths A("/w", "/w/a/build"), B("/w", "/w/bb/build");
  PrefixMap MapA = {{"/w/a", "."}}, MapB = {{"/w/bb", "."}};
  for (const char *Rest : {"/src/x.c", "/build", "/build/gen.h", "/inc/h.h"}) {
    std::string InA = std::string("/w/a") + Rest, InB = std::string("/w/bb") + Rest;
    EXPECT_EQ(unportableRewrite(A, InA, MapA), "") << Rest;
    EXPECT_EQ(rewrite(InA, MapA), rewrite(InB, MapB)) << Rest;
  }
  // The rewrite of the build directory names it: the key holds its name.
  PortablePaths Out("/w", "/w/bb/out");
  EXPECT_EQ(prefixMapKey(A, {"/w/a"}), prefixMapKey(B, {"/w/bb"}));
  EXPECT_NE(prefixMapKey(A, {"/w/a"}), prefixMapKey(Out, {"/w/bb"}));
  // A sibling of the checkout whose name begins with the checkout's.
  EXPECT_NE(unportableRewrite(A, "/w/ax/h.h", MapA), "");
}

TEST(PrefixMapsTest, SourcesMapped) {
  PortablePaths A("/w", "/w/a/build");
  PrefixMap Map = {{"/w/a/src", "src"}};
  EXPECT_EQ(unportableRewrite(A, "/w/a/src/x.c", Map), "");
  EXPECT_EQ(unportableRewrite(A, "/usr/include/stdio.h", Map), "");
  EXPECT_EQ(unportableRewrite(A, "../src/x.c", Map), "");
  EXPECT_NE(unportableRewrite(A, "/w/a/build", Map), "");     // not rewritten
  EXPECT_NE(unportableRewrite(A, "/w/a/inc/h.h", Map), "");   // not rewritten
  EXPECT_EQ(prefixMapKey(A, {"/w/a/src"}), prefixMapKey(PortablePaths("/w", "/w/b/build"), {"/w/b/src"}));
}

TEST(PrefixMapsTest, OldPrefixEndingInsideADirectoryName) {
  // /w/a/bu begins /w/a/build/gen.h as a string: the rest ("ild/gen.h")
  // names the build directory, and another build directory's name need not
  // begin with "bu" at all. The key holds whether it does.
  PortablePaths A("/w", "/w/a/build"), B("/w", "/w/b/out");
  PrefixMap Map = {{"/w/a/bu", "X"}};
  EXPECT_NE(unportableRewrite(A, "/w/a/build/gen.h", Map), "");
  EXPECT_NE(prefixMapKey(A, {"/w/a/bu"}), prefixMapKey(B, {"/w/b/bu"}));
}

TEST(PrefixMapsTest, RulesOutsideTheBaseDirectoryOrIntoIt) {
  PortablePaths A("/w/p", "/w/p/a/build");
  EXPECT_NE(unportableRewrite(A, "/w/p/a/src/x.c", {{"/w", "."}}), "");
  EXPECT_NE(unportableRewrite(A, "/w/p/a/src/x.c", {{"/w/p/a/src", "/w/p/a/other"}}), "");
  EXPECT_EQ(unportableRewrite(A, "/w/p/a/src/x.c", {{"/w/p/a/src", "/srcroot"}}), "");
}

TEST(PrefixMapsTest, InactiveWithoutABaseDirectory) {
  PortablePaths None("", "/w/a/build");
  EXPECT_EQ(prefixMapKey(None, {"/w/a"}), "");
  EXPECT_EQ(unportableRewrite(None, "/w/a/x.c", {{"/w/a", "."}}), "");
}

} // namespace
