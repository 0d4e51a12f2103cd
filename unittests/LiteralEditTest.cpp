#include "hotast/Compile/LiteralEdit.h"

#include <gtest/gtest.h>

using namespace hotast;

namespace {

TEST(LiteralEdit, DecimalIntLiteralsOnly) {
  auto D = changedIntegerLiterals("int f() { return 1000; }\nint g() { return 2; }\n",
                                  "int f() { return 10000; }\nint g() { return 3; }\n");
  ASSERT_TRUE(D);
  EXPECT_EQ(D->Offsets, (std::vector<unsigned>{17, 43}));
  EXPECT_FALSE(D->ColumnsKept);
  auto Same = changedIntegerLiterals("int x = 1000;\n", "int x = 1001;\n");
  ASSERT_TRUE(Same);
  EXPECT_TRUE(Same->ColumnsKept);
}

TEST(LiteralEdit, SameBytesChangeNothing) {
  auto D = changedIntegerLiterals("int x = 1; // c\n", "int x = 1; // c\n");
  ASSERT_TRUE(D);
  EXPECT_TRUE(D->Offsets.empty());
}

TEST(LiteralEdit, AnythingElseDoesNotQualify) {
  // A comment, a space, a name, a directive's literal, another spelling or
  // type, zero (a null pointer constant), a value past INT_MAX, one of
  // eight digits (near enough to the limits for a warning to read it, old
  // or new).
  EXPECT_FALSE(changedIntegerLiterals("int x = 1; // a\n", "int x = 2; // b\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 1;\n", "int x =  2;\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 1;\n", "int y = 2;\n"));
  EXPECT_FALSE(changedIntegerLiterals("#define N 1\n", "#define N 2\n"));
  EXPECT_FALSE(changedIntegerLiterals("#if 1\n#endif\n", "#if 2\n#endif\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 16;\n", "int x = 0x11;\n"));
  EXPECT_FALSE(changedIntegerLiterals("long x = 1;\n", "long x = 2L;\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 1;\n", "int x = 1'0;\n"));
  EXPECT_FALSE(changedIntegerLiterals("int *p = 1;\n", "int *p = 0;\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 1;\n", "int x = 2147483648;\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 1;\n", "int x = 10000000;\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 10000000;\n", "int x = 1;\n"));
  EXPECT_FALSE(changedIntegerLiterals("double d = 1.5;\n", "double d = 2.5;\n"));
  EXPECT_FALSE(changedIntegerLiterals("int x = 1;\n", "int x = 1;\nint y;\n"));
}

TEST(LiteralEdit, LineAfterDirectiveIsCode) {
  auto D = changedIntegerLiterals("#include \"a.h\"\nint x = 1;\n",
                                  "#include \"a.h\"\nint x = 22;\n");
  ASSERT_TRUE(D);
  EXPECT_EQ(D->Offsets, (std::vector<unsigned>{23}));
}

} // namespace
