//===- EditGuessTest.cpp - The lines an edit changed, against declarations ===//

#include "../lib/Wrapper/EditGuess.h"

#include "gtest/gtest.h"

using namespace hotast;

namespace {

SnapshotDecl decl(unsigned Line, unsigned EndLine, std::string File = "h.h") {
  SnapshotDecl D;
  D.File = std::move(File);
  D.Line = Line;
  D.EndLine = EndLine;
  return D;
}

TEST(EditGuessTest, ChangedLinesAreWhereTheTokensDiffer) {
  EXPECT_FALSE(changedLines("int a;\nint b;\n", "int a;\nint b;\n"));
  // Comments and spaces are no change.
  EXPECT_FALSE(changedLines("int a;\nint b;\n", "// A.\nint  a; /* x */\nint b;\n"));
  auto Changed = changedLines("int a;\nint b;\nint c;\n", "int a;\nlong b;\nint c;\n");
  ASSERT_TRUE(Changed);
  EXPECT_FALSE(Changed->Insertion);
  EXPECT_EQ(Changed->First, 2u);
  EXPECT_EQ(Changed->Last, 2u);
  EXPECT_FALSE(Changed->Directive);
  // Tokens inserted between the old lines 1 and 2, and at the end.
  auto Inserted = changedLines("int a;\nint b;\n", "int a;\nlong x;\nint b;\n");
  ASSERT_TRUE(Inserted);
  EXPECT_TRUE(Inserted->Insertion);
  EXPECT_EQ(Inserted->First, 1u);
  EXPECT_EQ(Inserted->Last, 2u);
  auto Appended = changedLines("int a;\n", "int a;\nint b;\n");
  ASSERT_TRUE(Appended);
  EXPECT_TRUE(Appended->Insertion);
  EXPECT_EQ(Appended->First, 1u);
  EXPECT_EQ(Appended->Last, 0u);
  // A directive changed, old or new.
  EXPECT_TRUE(changedLines("int a;\n#define X 1\n", "int a;\n#define X 2\n")->Directive);
  EXPECT_TRUE(changedLines("int a;\nint b;\n", "int a;\n  # include <x>\nint b;\n")->Directive);
}

TEST(EditGuessTest, AnEditInsideADeclarationOnly) {
  std::vector<SnapshotDecl> Decls = {decl(3, 6), decl(10, 10), decl(1, 20, "other.h")};
  EXPECT_TRUE(editInside(ChangedLines{5, 5}, "h.h", Decls));
  EXPECT_FALSE(editInside(ChangedLines{7, 9}, "h.h", Decls));
  EXPECT_TRUE(editInside(ChangedLines{6, 8}, "h.h", Decls));
  // Tokens inserted between two of a declaration's lines, before it (after
  // line 2's token), after it (before line 7's), at the end of the file.
  EXPECT_TRUE(editInside(ChangedLines{4, 5, true}, "h.h", Decls));
  EXPECT_TRUE(editInside(ChangedLines{3, 3, true}, "h.h", Decls));
  EXPECT_FALSE(editInside(ChangedLines{2, 3, true}, "h.h", Decls));
  EXPECT_FALSE(editInside(ChangedLines{6, 7, true}, "h.h", Decls));
  EXPECT_FALSE(editInside(ChangedLines{10, 0, true}, "h.h", Decls));
  // Another file's declarations, and one whose end is not known.
  EXPECT_FALSE(editInside(ChangedLines{7, 9}, "h.h", {decl(1, 20, "other.h"), decl(8, 0)}));
}

} // namespace

// An edit of a source that often leaves the code as it was: parsed first.
TEST(EditGuessTest, CodeLooksAlikeAfterRenamesRespellingsAndEmptyStatements) {
  const char *Old = "int f(int n) {\n  int sum = 16;\n  sum += n;\n  return sum;\n}\n"
                    "int g(int sum) { return sum; }\n";
  // A local renamed from its declaration to its block's end (g keeps its
  // own `sum`), a literal respelled, an empty statement added.
  EXPECT_TRUE(codeLooksAlike(Old, "int f(int n) {\n  int total = 16;\n  total += n;\n"
                                  "  return total;\n}\nint g(int sum) { return sum; }\n"));
  EXPECT_TRUE(codeLooksAlike(Old, "int f(int n) {\n  int sum = 0x10;\n  sum += n;\n"
                                  "  return sum;\n}\nint g(int sum) { return sum; }\n"));
  EXPECT_TRUE(codeLooksAlike(Old, "int f(int n) {;\n  int sum = 16;\n  sum += n;\n"
                                  "  return sum;\n}\nint g(int sum) { return sum; }\n"));
  EXPECT_TRUE(codeLooksAlike(Old, "int f(int n) { {}\n  int sum = 16;\n  sum += n;\n"
                                  "  return sum;\n}\nint g(int sum) { return sum; }\n"));
  // What changes code: another value, a name renamed into one already
  // there, a token moved to another line, nothing changed. (One use renamed
  // alone looks alike: scopes are the parse's to tell.)
  EXPECT_FALSE(codeLooksAlike(Old, "int f(int n) {\n  int sum = 17;\n  sum += n;\n"
                                   "  return sum;\n}\nint g(int sum) { return sum; }\n"));
  EXPECT_FALSE(codeLooksAlike(Old, "int f(int n) {\n  int n = 16;\n  n += n;\n"
                                   "  return n;\n}\nint g(int sum) { return sum; }\n"));
  EXPECT_FALSE(codeLooksAlike(Old, "int f(int n) {\n  int sum =\n 16;\n  sum += n;\n"
                                   "  return sum;\n}\nint g(int sum) { return sum; }\n"));
  EXPECT_FALSE(codeLooksAlike(Old, "int f(int n) { {\n  int sum = 16;\n  sum += n;\n"
                                   "  return sum;\n}}\nint g(int sum) { return sum; }\n"));
  EXPECT_FALSE(codeLooksAlike(Old, Old));
  // A keyword is no name a rename chose (`true` for `false`); a name or a
  // literal among a macro's arguments may be spelled as a string there.
  EXPECT_FALSE(codeLooksAlike("void f(bool b = true);\n", "void f(bool b = false);\n"));
  const char *Test = "void t() {\n  int n = g();\n  EXPECT_EQ(0, h(n));\n}\n";
  EXPECT_FALSE(codeLooksAlike(Test, "void t() {\n  int m = g();\n  EXPECT_EQ(0, h(m));\n}\n"));
  EXPECT_FALSE(codeLooksAlike(Test, "void t() {\n  int n = g();\n  EXPECT_EQ(0x0, h(n));\n}\n"));
  EXPECT_TRUE(codeLooksAlike("void t() {\n  int n = g();\n  k(0, h(n));\n}\n",
                             "void t() {\n  int m = g();\n  k(0, h(m));\n}\n"));
}

TEST(EditGuessTest, AnEnumeratorAppendedOnly) {
  const char *Old = "enum Color { kRed, kGreen };\nenum class E : int { A = 1, B, };\n"
                    "int f(int n) { return g(n, 2); }\n";
  // Appended after the last, after a trailing comma, with a value.
  EXPECT_TRUE(enumeratorAppended(Old, "enum Color { kRed, kGreen, kBlue };\n"
                                      "enum class E : int { A = 1, B, };\n"
                                      "int f(int n) { return g(n, 2); }\n"));
  EXPECT_TRUE(enumeratorAppended(Old, "enum Color { kRed, kGreen };\n"
                                      "enum class E : int { A = 1, B, C = -4 };\n"
                                      "int f(int n) { return g(n, 2); }\n"));
  // Put first (the values move), a name already there, no enum's list (a
  // call's arguments, a function body), another value.
  EXPECT_FALSE(enumeratorAppended(Old, "enum Color { kBlue, kRed, kGreen };\n"
                                       "enum class E : int { A = 1, B, };\n"
                                       "int f(int n) { return g(n, 2); }\n"));
  EXPECT_FALSE(enumeratorAppended(Old, "enum Color { kRed, kGreen, B };\n"
                                       "enum class E : int { A = 1, B, };\n"
                                       "int f(int n) { return g(n, 2); }\n"));
  EXPECT_FALSE(enumeratorAppended(Old, "enum Color { kRed, kGreen };\n"
                                       "enum class E : int { A = 1, B, };\n"
                                       "int f(int n) { return g(n, 2), m; }\n"));
  EXPECT_FALSE(enumeratorAppended(Old, "enum Color { kRed, kGreen = 3 };\n"
                                       "enum class E : int { A = 1, B, };\n"
                                       "int f(int n) { return g(n, 2); }\n"));
}
