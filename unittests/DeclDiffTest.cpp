#include "hotast/Diff/DeclDiff.h"

#include "gtest/gtest.h"

using namespace hotast;

namespace {

DeclRecord record(llvm::StringRef Key, DeclClass Class, llvm::StringRef Sig,
                  llvm::StringRef Full, llvm::StringRef Layout = "", bool Main = true) {
  DeclRecord R;
  R.Key = Key.str();
  R.Name = Key.str();
  R.Class = Class;
  R.Sig = hashBytes(Sig);
  R.Full = hashBytes(Full);
  if (!Layout.empty())
    R.Layout = hashBytes(Layout);
  R.InMainFile = Main;
  return R;
}

TEST(DeclDiffTest, EqualHashesAreNoChange) {
  auto A = record("f", DeclClass::Function, "s", "f");
  EXPECT_FALSE(classifyChange(A, A));
}

TEST(DeclDiffTest, FunctionSignatureBeatsBody) {
  auto Old = record("f", DeclClass::Function, "s1", "f1");
  EXPECT_EQ(classifyChange(Old, record("f", DeclClass::Function, "s1", "f2")), ChangeKind::Body);
  EXPECT_EQ(classifyChange(Old, record("f", DeclClass::Function, "s2", "f2")),
            ChangeKind::Signature);
}

TEST(DeclDiffTest, RecordLayoutBeatsSignature) {
  auto Old = record("S", DeclClass::Record, "s1", "s1", "l1");
  EXPECT_EQ(classifyChange(Old, record("S", DeclClass::Record, "s2", "s2", "l1")),
            ChangeKind::Signature);
  EXPECT_EQ(classifyChange(Old, record("S", DeclClass::Record, "s2", "s2", "l2")),
            ChangeKind::Layout);
}

TEST(DeclDiffTest, VariableInitializerIsValue) {
  auto Old = record("v", DeclClass::Variable, "int", "1");
  EXPECT_EQ(classifyChange(Old, record("v", DeclClass::Variable, "int", "2")), ChangeKind::Value);
  EXPECT_EQ(classifyChange(Old, record("v", DeclClass::Variable, "long", "2")),
            ChangeKind::Signature);
}

TEST(DeclDiffTest, AddedRemovedAndOrder) {
  TUAnalysis Old, New;
  Old.Decls = {record("a", DeclClass::Function, "s", "f"), record("gone", DeclClass::Function, "s", "f")};
  New.Decls = {record("new", DeclClass::Function, "s", "f"), record("a", DeclClass::Function, "s", "g")};
  DiffResult R = diffAnalyses(Old, New, {});
  ASSERT_EQ(R.Changes.size(), 3u);
  EXPECT_EQ(R.Changes[0].Kind, ChangeKind::Added);
  EXPECT_EQ(R.Changes[0].Decl.Key, "new");
  EXPECT_EQ(R.Changes[1].Kind, ChangeKind::Body);
  EXPECT_EQ(R.Changes[2].Kind, ChangeKind::Removed);
  EXPECT_EQ(R.Changes[2].Decl.Key, "gone");
  EXPECT_EQ(R.Unchanged, 0u);
}

TEST(DeclDiffTest, HeaderDeclarationsOnlyOnRequest) {
  TUAnalysis Old, New;
  Old.Decls = {record("h", DeclClass::Function, "s", "1", "", /*Main=*/false)};
  New.Decls = {record("h", DeclClass::Function, "s", "2", "", /*Main=*/false)};
  EXPECT_TRUE(diffAnalyses(Old, New, {}).Changes.empty());
  DiffOptions All;
  All.IncludeHeaders = true;
  EXPECT_EQ(diffAnalyses(Old, New, All).Changes.size(), 1u);
}

} // namespace
