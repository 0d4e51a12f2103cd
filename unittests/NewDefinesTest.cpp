//===- NewDefinesTest.cpp - New definitions of names a unit never read ----===//

#include "hotast/Compile/CodeLines.h"
#include "hotast/Support/NameFilter.h"

#include "clang/Basic/LangOptions.h"
#include "gtest/gtest.h"

#include <string>

using namespace hotast;

namespace {

TEST(NameFilterTest, HoldsEveryNameAddedAndFewOthers) {
  NameFilter F(2000);
  for (int I = 0; I != 2000; ++I)
    F.add("name_" + std::to_string(I));
  for (int I = 0; I != 2000; ++I)
    EXPECT_TRUE(F.mayHold("name_" + std::to_string(I)));
  int Wrong = 0;
  for (int I = 0; I != 10000; ++I)
    Wrong += F.mayHold("other_" + std::to_string(I));
  EXPECT_LT(Wrong, 300); // about 1%: a name kept, never one freed wrongly
  auto Back = NameFilter::fromBytes(F.bytes());
  ASSERT_TRUE(Back);
  for (int I = 0; I != 2000; ++I)
    EXPECT_TRUE(Back->mayHold("name_" + std::to_string(I)));
  EXPECT_EQ(Back->bytes(), F.bytes());
  EXPECT_FALSE(NameFilter::fromBytes("hotast names 1\n"));
  EXPECT_FALSE(NameFilter::fromBytes(F.bytes().substr(0, 30)));
  EXPECT_FALSE(NameFilter::fromBytes("not names"));
}

clang::LangOptions cxx() {
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = 1;
  LO.LineComment = 1;
  LO.Digraphs = 1;
  LO.RawStringLiterals = 1;
  return LO;
}

const std::string Header = "#pragma once\n"
                           "#define KNOWN 1\n"
                           "inline int f() { return KNOWN; }\n"
                           "#ifndef GUARDED\n"
                           "int g();\n"
                           "#endif\n";

/// Header with Line inserted before line Before (1-based), hashed with the
/// names Read frees; Freed gets what it freed.
Hash128 withLine(const std::string &Line, unsigned Before, const NameFilter &Read,
                 std::vector<std::string> *Freed = nullptr, unsigned FixedLines = 0) {
  std::string Text = Header;
  size_t At = 0;
  for (unsigned I = 1; I != Before; ++I)
    At = Text.find('\n', At) + 1;
  Text.insert(At, Line + "\n");
  NewDefines D{&Read, {}, {}};
  Hash128 H = codeLines(Text, cxx(), CommentRule::Clang, FixedLines, "", &D);
  if (Freed)
    *Freed = D.Freed;
  return H;
}

TEST(NewDefinesTest, FreesANewDefinitionOfAnAbsentName) {
  NameFilter Read(16);
  for (const char *N : {"KNOWN", "f", "g", "GUARDED", "once", "pragma", "define"})
    Read.add(N);
  NewDefines None{&Read, {}, {}};
  Hash128 Old = codeLines(Header, cxx(), CommentRule::Clang, 0, "", &None);
  EXPECT_TRUE(None.Freed.empty());
  std::vector<std::string> Freed;
  EXPECT_EQ(withLine("#define FRESH 2", 3, Read, &Freed), Old);
  EXPECT_EQ(Freed, std::vector<std::string>{"FRESH"});
  EXPECT_EQ(withLine("  #  define FRESH (1 + 2) * \"s\"", 3, Read), Old);
  EXPECT_EQ(withLine("#define FRESH", 7, Read), Old);
  // Without names, nothing is freed, and the candidates are named.
  std::string Text = Header;
  Text.insert(Text.find("inline"), "#define FRESH 2\n");
  NewDefines Unnamed;
  EXPECT_EQ(codeLines(Text, cxx(), CommentRule::Clang, 0, "", &Unnamed),
            codeLines(Text, cxx()));
  EXPECT_NE(codeLines(Text, cxx()), Old);
  EXPECT_TRUE(Unnamed.Freed.empty());
  EXPECT_EQ(Unnamed.Candidates, (std::vector<std::string>{"KNOWN", "FRESH"}));

  // What the rule keeps: a name read, a reserved one, `defined`, a
  // function-like macro, a body with `#`, `##`, a comment or a splice, no
  // blank after the name, a definition right after a conditional or among
  // the fixed lines, and a second one of a name.
  EXPECT_NE(withLine("#define KNOWN 1", 3, Read), Old);
  EXPECT_NE(withLine("#define _Fresh 2", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH__NAME 2", 3, Read), Old);
  EXPECT_NE(withLine("#define defined 2", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH(x) x", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH # x", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH a ## b", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH 1 // one", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH \\", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH+1", 3, Read), Old);
  EXPECT_NE(withLine("#define FRESH", 5, Read), Old); // after #ifndef GUARDED
  EXPECT_NE(withLine("#define FRESH 2", 3, Read, nullptr, /*FixedLines=*/4), Old);
  EXPECT_NE(withLine("#define FRESH 2\n#define FRESH 3", 3, Read), Old);
  // After a line splice: the body of the macro above.
  EXPECT_NE(withLine("#define OTHER 1 \\\n#define FRESH 2\n  + 2", 3, Read),
            withLine("#define OTHER 1 \\\n  + 2", 3, Read));
  // Inside a block comment or a raw string: no directive.
  EXPECT_NE(withLine("int h(); /*\n#define FRESH 2\n*/", 3, Read),
            withLine("int h(); /*\n*/", 3, Read));
  EXPECT_NE(withLine("auto s = R\"(\n#define FRESH 2\n)\";", 3, Read),
            withLine("auto s = R\"(\n)\";", 3, Read));
}

TEST(NewDefinesTest, WithoutNewDefinesLeavesTheRest) {
  NameFilter Read(10);
  Read.add("KNOWN");
  Read.add("used");
  // A new name alone on its line goes; one the filter holds, one spelled
  // again (a use beside it), a function-like one and a line joined to the
  // one above stay.
  EXPECT_EQ(withoutNewDefines("#define KNOWN 1\n#define FRESH 2\nint used;\n", Read, cxx()),
            "#define KNOWN 1\nint used;\n");
  EXPECT_EQ(withoutNewDefines("#define FRESH 2\nint x = FRESH;\n", Read, cxx()),
            "#define FRESH 2\nint x = FRESH;\n");
  EXPECT_EQ(withoutNewDefines("#define FN(a) a\n", Read, cxx()), "#define FN(a) a\n");
  EXPECT_EQ(withoutNewDefines("#define KNOWN \\\n#define FRESH 2\n", Read, cxx()),
            "#define KNOWN \\\n#define FRESH 2\n");
  // The last line without its newline, and a CRLF line.
  EXPECT_EQ(withoutNewDefines("int used;\r\n#define FRESH 2", Read, cxx()), "int used;\r\n");
  EXPECT_EQ(withoutNewDefines("#define FRESH 2\r\nint used;", Read, cxx()), "int used;");
  // FRESHER contains FRESH but is another name.
  EXPECT_EQ(withoutNewDefines("#define FRESH 2\nint FRESHER;\n", Read, cxx()), "int FRESHER;\n");
}

} // namespace
