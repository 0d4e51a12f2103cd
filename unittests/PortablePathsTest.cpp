//===- PortablePathsTest.cpp - Paths that read the same in every checkout -===//
//
// Two checkouts under one base directory give their paths the same
// portable form, and the form reads back exactly as each checkout spells
// them; paths outside the base directory, or a base directory the working
// directory is not under, are left alone.
//
//===----------------------------------------------------------------------===//

#include "hotast/Support/PortablePaths.h"
#include "gtest/gtest.h"

using namespace hotast;

namespace {

TEST(PortablePathsTest, TwoCheckoutsShareTheirPortableForm) {
  PortablePaths A("/home/u", "/home/u/a/build"), B("/home/u/", "/home/u/bb/build");
  for (const char *Text : {"-I/home/u/%s/include", "/home/u/%s/src/x.cpp",
                           "-fprofile-use=/home/u/%s/p.prof", "x.o: /home/u/%s/x.h \\\n /usr/include/a.h",
                           "/home/u/%s/build/../gen.h", "/home/u/%s"}) {
    char InA[128], InB[128];
    snprintf(InA, sizeof InA, Text, "a");
    snprintf(InB, sizeof InB, Text, "bb");
    EXPECT_EQ(A.portable(InA), B.portable(InB)) << Text;
    EXPECT_NE(A.portable(InA), InA) << Text;
    EXPECT_EQ(A.local(A.portable(InA)), InA) << Text;
    EXPECT_EQ(B.local(A.portable(InA)), InB) << Text;
  }
}

TEST(PortablePathsTest, LeavesOtherPathsAlone) {
  PortablePaths P("/home/u", "/home/u/a/build");
  for (const char *Text : {"/usr/include/stdio.h", "-I/home/user/x", "../src/a.cpp",
                           "-DPATH=\"/home/uu/x\"", "a/home/u/x", "-O2"})
    EXPECT_EQ(P.portable(Text), Text) << Text;
  // Components are compared whole: /home/u/a/buildx is not under the
  // working directory /home/u/a/build, only under /home/u/a.
  std::string Sibling = P.portable("/home/u/a/buildx/y.h");
  EXPECT_EQ(Sibling, std::string("\0" "1\0/buildx/y.h", 14));
  EXPECT_EQ(P.local(Sibling), "/home/u/a/buildx/y.h");
}

TEST(PortablePathsTest, InactiveOutsideTheBaseDirectory) {
  PortablePaths NotUnder("/home/u", "/tmp/build"), NoBase("", "/home/u/a"), Root("/", "/home/u");
  for (const PortablePaths *P : {&NotUnder, &NoBase, &Root}) {
    EXPECT_FALSE(P->active());
    EXPECT_EQ(P->portable("/home/u/a/x.h"), "/home/u/a/x.h");
  }
  // A portable text from elsewhere cannot be read without a base directory.
  PortablePaths A("/home/u", "/home/u/a/build");
  EXPECT_FALSE(NoBase.local(A.portable("/home/u/a/x.h")).has_value());
}

TEST(PortablePathsTest, AMarkerThatDropsTooMuchIsRejected) {
  PortablePaths Deep("/h", "/h/a/b/c"), Shallow("/h", "/h/a");
  std::string FromDeep = Deep.portable("/h/x.h"); // drops three components
  EXPECT_EQ(Deep.local(FromDeep), "/h/x.h");
  EXPECT_EQ(Shallow.local(FromDeep), std::nullopt);
}

} // namespace
