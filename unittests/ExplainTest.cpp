//===- ExplainTest.cpp - Why did this rebuild? ----------------------------===//
//
// The log's reason for a miss: which declarations of the closure were added,
// removed or changed, each key judged by all of its records.
//
//===----------------------------------------------------------------------===//

#include "hotast/Wrapper/Explain.h"

#include "gtest/gtest.h"

using namespace hotast;

namespace {

SnapshotDecl decl(const char *Key, const char *Name, unsigned Line, const char *Body) {
  return {Key, "function", Name, "a.h", Line, hashBytes(Body)};
}

TEST(ExplainTest, NamesAddedRemovedAndChanged) {
  std::vector<SnapshotDecl> Before = {decl("k:f", "f", 1, "x"), decl("k:g", "g", 2, "y")};
  std::vector<SnapshotDecl> After = {decl("k:f", "f", 1, "x2"), decl("k:h", "h", 3, "z")};
  EXPECT_EQ(explainMiss(Before, After, 5),
            "changed function f (a.h:1); added function h (a.h:3); removed function g (a.h:2)");
}

TEST(ExplainTest, KeepsToTheLimit) {
  std::vector<SnapshotDecl> Before, After;
  for (const char *K : {"a", "b", "c"})
    After.push_back(decl(K, K, 1, K));
  EXPECT_EQ(explainMiss(Before, After, 2),
            "added function a (a.h:1); added function b (a.h:1); and 1 more");
}

// Records that share a key are compared as a whole: the same records in
// another order are no change; one changed record among them is one change,
// and it is the one named.
TEST(ExplainTest, RecordsSharingAKeyAreComparedTogether) {
  std::vector<SnapshotDecl> Before = {decl("k:t", "t<int>", 1, "one"),
                                      decl("k:t", "t<long>", 2, "two"),
                                      decl("k:u", "u", 3, "three")};
  std::vector<SnapshotDecl> Swapped = {Before[1], Before[0], Before[2], decl("k:v", "v", 4, "v")};
  EXPECT_EQ(explainMiss(Before, Swapped, 5), "added function v (a.h:4)");

  std::vector<SnapshotDecl> OneChanged = {Before[0], decl("k:t", "t<long>", 2, "TWO"), Before[2]};
  EXPECT_EQ(explainMiss(Before, OneChanged, 5), "changed function t<long> (a.h:2)");
}

TEST(ExplainTest, NoDeclarationChangedSaysWhatElseCan) {
  std::vector<SnapshotDecl> Same = {decl("k:f", "f", 1, "x")};
  EXPECT_NE(explainMiss(Same, Same, 5).find("no declaration changed"), std::string::npos);
}

} // namespace
