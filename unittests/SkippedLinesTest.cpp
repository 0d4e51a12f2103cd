//===- SkippedLinesTest.cpp - Lines only another compiler may see --------===//

#include "../lib/Compile/SkippedLines.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace hotast;

namespace {

std::vector<std::string> words(llvm::StringRef Text) {
  std::vector<std::string> Out;
  forEachWord(Text, [&](llvm::StringRef W) { Out.push_back(W.str()); });
  return Out;
}

TEST(LineWordsTest, WordsAreIdentifiersNotNumbers) {
  EXPECT_EQ(words("x = f(0x1f, 1e5ul) + __LINE__; // done"),
            (std::vector<std::string>{"x", "f", "__LINE__", "done"}));
  EXPECT_TRUE(isLineWord("__LINE__"));
  EXPECT_TRUE(isLineWord("__builtin_LINE"));
  EXPECT_TRUE(isLineWord("source_location"));
  EXPECT_FALSE(isLineWord("__FILE__"));
  EXPECT_FALSE(isLineWord("LINE"));
}

/// The hash SkippedLines adds, and its verdict.
struct Finished {
  Hash128 Hash;
  SkippedLines::Verdict V;
};

Finished finish(const SkippedLines &S) {
  Hasher H;
  SkippedLines::Verdict V = S.finish(H);
  return {H.final(), V};
}

TEST(SkippedLinesTest, ARegionsPlaceCountsOnlyWhereItMayTakeALine) {
  // A region that spells no line word: its place does not count.
  SkippedLines Plain1, Plain2;
  Plain1.skipped("int f() { return 7; }\n", clang::FileID(), 10, false);
  Plain2.skipped("int f() { return 7; }\n", clang::FileID(), 11, false);
  EXPECT_EQ(finish(Plain1).Hash, finish(Plain2).Hash);
  EXPECT_TRUE(finish(Plain1).V.LineFiles.empty());

  // Through two macros Clang read: it does.
  auto Through = [](unsigned Line) {
    SkippedLines S;
    S.defined("TAKE", {"take", "__LINE__"});
    S.defined("CHECK", {"TAKE"});
    S.skipped("int f() { return CHECK(); }\n", clang::FileID(), Line, false);
    return finish(S);
  };
  EXPECT_NE(Through(10).Hash, Through(11).Hash);
  EXPECT_EQ(Through(10).V.LineFiles.size(), 1u);

  // The installation's regions never move.
  auto System = [](unsigned Line) {
    SkippedLines S;
    S.skipped("int f() { return __LINE__; }\n", clang::FileID(), Line, true);
    return finish(S).Hash;
  };
  EXPECT_EQ(System(10), System(11));
}

TEST(SkippedLinesTest, DefinitionsAndCommentsExpandNothingInPlace) {
  // gtest.h's Windows-only macros: definitions that reach a line, and a
  // comment naming one; the region's place does not count (their uses do).
  auto Defines = [](unsigned Line) {
    SkippedLines S;
    S.defined("EXPECT_PRED_FORMAT1", {"GTEST_MESSAGE_AT_", "__LINE__"});
    S.skipped("// EXPECT_PRED_FORMAT1 in \"__LINE__\"\n"
              "#define EXPECT_HRESULT_SUCCEEDED(expr) \\\n"
              "  EXPECT_PRED_FORMAT1(IsHRESULTSuccess, (expr))\n",
              clang::FileID(), Line, false);
    return finish(S);
  };
  EXPECT_EQ(Defines(10).Hash, Defines(11).Hash);
  EXPECT_TRUE(Defines(10).V.LineFiles.empty());
  // A condition is evaluated in place.
  auto Condition = [](unsigned Line) {
    SkippedLines S;
    S.skipped("#if __LINE__ > 100\nint x;\n#endif\n", clang::FileID(), Line, false);
    return finish(S).Hash;
  };
  EXPECT_NE(Condition(10), Condition(11));
}

TEST(SkippedLinesTest, ADefinitionInASkippedRegionMakesItsUsesCount) {
  auto Use = [](unsigned Line) {
    SkippedLines S;
    S.skipped("#define WHERE \\\n  __LINE__\n", clang::FileID(), 1, false);
    EXPECT_TRUE(S.definedWhenSkipped("WHERE"));
    S.defined("WHERE", {}); // Clang's own: 0
    S.used("WHERE", clang::FileID(), Line);
    return finish(S);
  };
  EXPECT_NE(Use(20).Hash, Use(21).Hash);
  // A use of a skipped definition that reaches no line does not count.
  auto Quiet = [](unsigned Line) {
    SkippedLines S;
    S.skipped("#define TWICE(x) ((x) * 2)\n", clang::FileID(), 1, false);
    S.used("TWICE", clang::FileID(), Line);
    return finish(S).Hash;
  };
  EXPECT_EQ(Quiet(20), Quiet(21));
}

TEST(SkippedLinesTest, DefaultArgumentsThatTakeALine) {
  // A project region that may declare one: every file's bytes count.
  SkippedLines Project;
  Project.skipped("int where(int l = __builtin_LINE());\n", clang::FileID(), 3, false);
  EXPECT_TRUE(finish(Project).V.AllLines);
  // The installation's: only a call, not a test of the builtin.
  SkippedLines Test;
  Test.skipped("#if __has_builtin(__builtin_source_location)\n", clang::FileID(), 3, true);
  EXPECT_FALSE(finish(Test).V.AllLines);
  SkippedLines Call;
  Call.skipped("int where(int l = __builtin_LINE ());\n", clang::FileID(), 3, true);
  EXPECT_TRUE(finish(Call).V.AllLines);
  // Clang's view spelled one: every project region's place counts.
  auto Seen = [](unsigned Line) {
    SkippedLines S;
    S.lineBuiltinRead();
    S.skipped("int f() { return g(); }\n", clang::FileID(), Line, false);
    return finish(S).Hash;
  };
  EXPECT_NE(Seen(5), Seen(6));
}

} // namespace
