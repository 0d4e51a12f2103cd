//===- CodeLinesTest.cpp - Text without its free comment lines ------------===//

#include "hotast/Compile/CodeLines.h"

#include "clang/Basic/LangOptions.h"
#include "gtest/gtest.h"

#include <string>

using namespace hotast;

namespace {

clang::LangOptions cxx() {
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.CPlusPlus14 = LO.CPlusPlus17 = 1;
  LO.LineComment = 1;
  LO.RawStringLiterals = 1;
  LO.Digraphs = 1;
  return LO;
}

Hash128 code(const std::string &Text, const clang::LangOptions &LO = cxx()) {
  return codeLines(Text, LO); // std::string's buffer ends in a NUL
}

Hash128 gcc(const std::string &Text) { return codeLines(Text, cxx(), CommentRule::OtherCompiler); }

const std::string Base = "#pragma once\n"
                         "inline int twice(int x) {\n"
                         "  return 2 * x;\n"
                         "}\n";

TEST(CodeLinesTest, CommentAndBlankLinesAreLeftOut) {
  EXPECT_FALSE(code(Base).isZero());
  EXPECT_EQ(code(Base), code("// a new first line\n" + Base));
  EXPECT_EQ(code(Base), code(Base + "\n\n   // the end\n"));
  EXPECT_EQ(code(Base), code("#pragma once\n\n\t// tab, then comment\n" + Base.substr(13)));
  // Between the lines of a multi-line construct, still between tokens.
  EXPECT_EQ(code("int f(int a,\n      int b);\n"), code("int f(int a,\n// b next\n      int b);\n"));
}

TEST(CodeLinesTest, WhatMovesATokenOrChangesItCounts) {
  EXPECT_NE(code(Base), code(Base + "int x;\n"));
  // A line's own text: indentation (columns), a space between tokens.
  EXPECT_NE(code(Base), code("#pragma once\n inline int twice(int x) {\n  return 2 * x;\n}\n"));
  EXPECT_NE(code(Base), code("#pragma once\ninline int twice(int x) {\n  return 2 *x;\n}\n"));
  // Joining two lines keeps the tokens but not the lines.
  EXPECT_NE(code("int a;\nint b;\n"), code("int a; int b;\n"));
}

TEST(CodeLinesTest, LinesInsideTokensAreNotComments) {
  // Inside a raw string, a block comment, or after a line splice.
  EXPECT_NE(code("auto s = R\"(\none\n)\";\n"), code("auto s = R\"(\n// two\none\n)\";\n"));
  EXPECT_NE(code("/*\n x\n*/ int a;\n"), code("/*\n// y\n x\n*/ int a;\n"));
  EXPECT_NE(code("#define A 1 \\\n  + 2\n"), code("#define A 1 \\\n// c\n  + 2\n"));
  EXPECT_NE(code("#define A 1 \\\n\nint x;\n"), code("#define A 1 \\\nint x;\n"));
  // A // comment that ends in a splice continues on the next line.
  EXPECT_NE(code("int a;\nint b;\n"), code("int a;\n// c \\\nint b;\n"));
  // C89 has no // comments (clang reads one, with a warning under
  // -pedantic): only blank lines are free there.
  clang::LangOptions C89;
  EXPECT_NE(code("int a;\n", C89), code("// c\nint a;\n", C89));
  EXPECT_EQ(code("int a;\n", C89), code("\n  \nint a;\n", C89));
}

TEST(CodeLinesTest, OnlyPlainCommentsAreFree) {
  for (const char *Line : {"/// documented\n", "//! documented\n", "// a \\\n",
                           "// what??/\n", "// /* nested\n", "// caf\xc3\xa9\n", "/** doc */\n",
                           "/*! doc */\n", "/* a ?? b */\n", "/* a /* b */\n", "/* tab\t*/\n",
                           "/* caf\xc3\xa9 */\n", "/* a */ int x;\n", "\f\n", "// x\ry\n"})
    EXPECT_NE(code(Base), code(Line + Base)) << Line;
}

// What ends a line of code after its last token: a plain `//` comment and
// blanks, which move no token and change no flag of one.
TEST(CodeLinesTest, TrailingCommentsAndBlanksAreLeftOut) {
  const Hash128 Plain = code("int a;\nint b;\n");
  for (const char *Text : {"int a; // c\nint b;\n", "int a;   \nint b;\t\n",
                           "int a;// c\nint b; // other text  \n"})
    EXPECT_EQ(Plain, code(Text)) << Text;
  EXPECT_EQ(code(Base), code("#pragma once // guard\n" + Base.substr(13)));
  // Not plain, not a // comment, or inside a token or a spliced line.
  for (const char *Text : {"int a; /* c */\nint b;\n", "int a; /// doc\nint b;\n",
                           "int a; // a /* b\nint b;\n", "int a; // c\xc3\xa9\nint b;\n"})
    EXPECT_NE(Plain, code(Text)) << Text;
  EXPECT_NE(code("int a; // c \\\nint b;\n"), code("int a;\nint b;\n"));
  EXPECT_NE(code("auto s = R\"(one  \ntwo)\";\n"), code("auto s = R\"(one\ntwo)\";\n"));
  EXPECT_NE(code("#define A 1 \\\n  + 2\n"), code("#define A 1 \\\n  + 2 // c\n"));
  EXPECT_NE(code("int a; // c\r\nint b;\r\n"), code("int a;\r\nint b;\r\n"));
  // GCC's warnings read comments: another compiler keeps them.
  EXPECT_NE(gcc("int a; // c\nint b;\n"), gcc("int a;\nint b;\n"));
}

// A block comment alone on its lines, of plain text, is as free as the
// `//` comment lines it could be written as.
TEST(CodeLinesTest, WholeLineBlockCommentsAreLeftOut) {
  EXPECT_EQ(code(Base), code("/* a block\n   over lines */\n" + Base));
  EXPECT_EQ(code(Base), code("  /* one line */  \n" + Base));
  EXPECT_EQ(code(Base), code("#pragma once\n/*\n * starred\n */\n" + Base.substr(13)));
  EXPECT_NE(code(Base), code("/* a */\n/* b */ int x;\n" + Base));
  EXPECT_NE(gcc(Base), gcc("/* a block */\n" + Base));
}

TEST(CodeLinesTest, FileLevelBytesCount) {
  // A byte order mark is skipped only at the start of the file.
  std::string Bom = "\xEF\xBB\xBF";
  EXPECT_NE(code(Bom + Base), code("// c\n" + Bom + Base));
  EXPECT_EQ(code(Bom + Base), code(Bom + Base + "// c\n"));
  // The newline at the end of the file.
  EXPECT_NE(code("int a;\n"), code("int a;"));
  EXPECT_NE(code("int a;\n"), code("int a;\n// c"));
  // CRLF lines.
  EXPECT_EQ(code("int a;\r\nint b;\r\n"), code("int a;\r\n// c\r\n\r\nint b;\r\n"));
  // Another language: another lexer, another hash.
  clang::LangOptions C = cxx();
  C.CPlusPlus17 = 0;
  EXPECT_NE(code(Base), code(Base, C));
}

} // namespace

namespace {

const std::string Guarded = "void g(); void h();\n"
                            "void f(int x) {\n"
                            "  if (x)\n"
                            "    g();\n"
                            "    h();\n"
                            "}\n";

TEST(CodeLinesTest, ForAnotherCompilerAnUnindentCounts) {
  // GCC's -Wmisleading-indentation is silenced by a line between body and
  // next statement indented less than both: such a comment line counts.
  std::string Unindent = Guarded;
  Unindent.insert(Unindent.find("    h()"), "// unindent\n");
  EXPECT_EQ(code(Guarded), code(Unindent));
  EXPECT_NE(gcc(Guarded), gcc(Unindent));
  // Indented as deep as the next line, or more: free, under any tab width.
  std::string Deep = Guarded;
  Deep.insert(Deep.find("    h()"), "    // deep\n");
  EXPECT_EQ(gcc(Guarded), gcc(Deep));
  std::string Tab = Guarded;
  Tab.insert(Tab.find("    h()"), "\t// a tab is not four spaces\n");
  EXPECT_NE(gcc(Guarded), gcc(Tab));
  // A comment line at the top of a file whose code starts in column 1,
  // and blank lines anywhere: free.
  EXPECT_EQ(gcc(Guarded), gcc("// on top\n\n" + Guarded));
}

TEST(CodeLinesTest, ForAnotherCompilerCommentsBeforeALabelCount) {
  const std::string Switch = "void g(int);\n"
                             "void f(int x) {\n"
                             "  switch (x) {\n"
                             "  case 1:\n"
                             "    g(1);\n"
                             "    // fall through\n"
                             "    // and more\n"
                             "\n"
                             "  case 2:\n"
                             "    g(2);\n"
                             "  }\n"
                             "}\n";
  std::string Without = Switch;
  Without.erase(Without.find("    // fall through\n"), 20);
  EXPECT_EQ(code(Switch), code(Without));
  EXPECT_NE(gcc(Switch), gcc(Without));
  // Before a line of code that is no label: free.
  std::string Elsewhere = Switch;
  Elsewhere.insert(Elsewhere.find("    g(2)"), "    // not before a label\n");
  EXPECT_EQ(gcc(Switch), gcc(Elsewhere));
}

} // namespace

namespace {

Hash128 freeing(const std::string &Text, llvm::StringRef FreeMacros,
                unsigned FixedLines = 0) {
  return codeLines(Text, cxx(), CommentRule::Clang, FixedLines, FreeMacros);
}

const std::string Macros = "#pragma once\n"
                           "#define LIMIT 16\n"
                           "#define TWICE(x) ((x) * 2)\n"
                           "#define SCALE 3\n"
                           "inline int f(int v) { return v * SCALE; }\n";

std::string edited(std::string Text, llvm::StringRef From, llvm::StringRef To) {
  size_t At = Text.find(From.str());
  EXPECT_NE(At, std::string::npos) << From.str();
  return Text.replace(At, From.size(), To.str());
}

} // namespace

TEST(CodeLinesTest, BodiesOfFreeMacrosAreLeftOut) {
  const char *Free = "LIMIT TWICE";
  Hash128 Was = freeing(Macros, Free);
  EXPECT_EQ(Was, freeing(edited(Macros, "LIMIT 16", "LIMIT 0x10"), Free));
  EXPECT_EQ(Was, freeing(edited(Macros, "LIMIT 16", "LIMIT"), Free));
  EXPECT_EQ(Was, freeing(edited(Macros, "((x) * 2)", "(x) + (x) - \"s\"[0] + L'c'"), Free));
  // With comment lines too, and with every line fixed in place.
  EXPECT_EQ(Was, freeing("// new\n" + edited(Macros, "LIMIT 16", "LIMIT 17"), Free));
  EXPECT_EQ(freeing(Macros, Free, AllLinesFixed),
            freeing(edited(Macros, "LIMIT 16", "LIMIT 17"), Free, AllLinesFixed));
  // A trailing plain comment stays out, as for any line of code.
  EXPECT_EQ(Was, freeing(edited(Macros, "LIMIT 16", "LIMIT 17 // seventeen"), Free));
  // Without the list, or with another list, the body counts.
  EXPECT_NE(code(Macros), code(edited(Macros, "LIMIT 16", "LIMIT 17")));
  EXPECT_NE(freeing(Macros, "TWICE"), freeing(edited(Macros, "LIMIT 16", "LIMIT 17"), "TWICE"));
  EXPECT_NE(Was, freeing(Macros, "LIMIT"));
  EXPECT_NE(Was, code(Macros));
  // A macro the list does not name.
  EXPECT_NE(Was, freeing(edited(Macros, "SCALE 3", "SCALE 4"), Free));
}

TEST(CodeLinesTest, WhatAFreeMacroHeadHoldsCounts) {
  const char *Free = "LIMIT TWICE";
  Hash128 Was = freeing(Macros, Free);
  // Its name, its parameters, whether it is function-like, its place.
  EXPECT_NE(Was, freeing(edited(Macros, "LIMIT 16", "LIMITS 16"), Free));
  EXPECT_NE(Was, freeing(edited(Macros, "TWICE(x)", "TWICE(y)"), Free));
  EXPECT_NE(Was, freeing(edited(Macros, "TWICE(x) ((x) * 2)", "TWICE (x) * 2"), Free));
  EXPECT_NE(Was, freeing(edited(Macros, "#define LIMIT 16\n", ""), Free));
  EXPECT_NE(Was, freeing(edited(Macros, "#define LIMIT 16\n", "#define LIMIT 16\nint x;\n"), Free));
  // A body that spans another count of lines moves the lines below.
  EXPECT_NE(Was, freeing(edited(Macros, "LIMIT 16", "LIMIT \\\n 16"), Free));
  EXPECT_EQ(freeing(edited(Macros, "LIMIT 16", "LIMIT \\\n 16"), Free),
            freeing(edited(Macros, "LIMIT 16", "LIMIT \\\n 32"), Free));
}

TEST(CodeLinesTest, FreeMacroBodiesOnlyOfPlainTokens) {
  // What the preprocessor may say about a body when it stores it: such a
  // body is hashed as it is, so an edit to it (or into it) counts.
  const char *Free = "LIMIT TWICE";
  auto Same = [&](llvm::StringRef From, llvm::StringRef To) {
    return freeing(edited(Macros, From, To), Free) == freeing(Macros, Free);
  };
  EXPECT_FALSE(Same("((x) * 2)", "#x"));
  EXPECT_FALSE(Same("((x) * 2)", "x ## 2"));
  EXPECT_FALSE(Same("((x) * 2)", "__VA_ARGS__"));
  EXPECT_FALSE(Same("((x) * 2)", "__VA_OPT__(x)"));
  EXPECT_FALSE(Same("LIMIT 16", "LIMIT 16 /* c */"));
  EXPECT_FALSE(Same("LIMIT 16", "LIMIT 'x"));
  EXPECT_FALSE(Same("LIMIT 16", "LIMIT R\"(raw)\""));
  EXPECT_FALSE(Same("LIMIT 16", "LIMIT ??=16"));
  EXPECT_FALSE(Same("LIMIT 16", "LIMIT $16"));
  EXPECT_FALSE(Same("LIMIT 16", "LIMIT \xc3\xa9"));
  // An object-like macro's body begins with a blank (C99 asks for one).
  EXPECT_FALSE(Same("LIMIT 16", "LIMIT+16"));
  // A splice with a blank after the backslash (clang warns).
  EXPECT_NE(freeing(edited(Macros, "LIMIT 16", "LIMIT \\ \n 16"), Free),
            freeing(edited(Macros, "LIMIT 16", "LIMIT \\ \n 32"), Free));
  // One that was not plain and is now: the hashes differ too.
  EXPECT_NE(freeing(edited(Macros, "LIMIT 16", "LIMIT 16 /* c */"), Free),
            freeing(edited(Macros, "LIMIT 16", "LIMIT 16 /* d */"), Free));
}

TEST(CodeLinesTest, PlainLinesOfSkippedRegionsAreLeftOut) {
  const std::string Text = "#pragma once\n"
                           "#if 0\n"
                           "  not code, 16\n"
                           "#endif\n"
                           "int x;\n";
  std::string List;
  Hash128 Was = codeLinesLeavingOut(Text, cxx(), 0, {}, {{2, 4}}, List);
  EXPECT_EQ(List, "2-4");
  EXPECT_EQ(Was, freeing(Text, List));
  auto Now = [&](llvm::StringRef From, llvm::StringRef To) {
    return freeing(edited(Text, From, To), List);
  };
  EXPECT_EQ(Was, Now("not code, 16", "not code, 0x10 // a comment"));
  EXPECT_EQ(Was, Now("#pragma once\n", "#pragma once\n// a comment line\n\n"));
  // What may change which lines are directives or how they are lexed.
  EXPECT_NE(Was, Now("  not code, 16", "#ifdef X"));
  EXPECT_NE(Was, Now("  not code, 16", "%: ifdef X"));
  EXPECT_NE(Was, Now("not code, 16", "not code /* 16"));
  EXPECT_NE(Was, Now("not code, 16", "not code, R\"(16"));
  EXPECT_NE(Was, Now("not code, 16", "not code, 16 \\"));
  EXPECT_NE(Was, Now("not code, 16", "not code, ??/"));
  // The lines around the region, and lines moved into it.
  EXPECT_NE(Was, Now("int x;", "int y;"));
  EXPECT_NE(Was, Now("#if 0\n", "#if 1\n"));
  EXPECT_NE(Was, Now("#if 0\n", "#if 0\nint y;\n"));
  // Counted in code lines: a free comment line in the region, added or
  // removed, moves the region's code lines.
  std::string WithComment;
  Hash128 Commented = codeLinesLeavingOut("// c\n" + Text, cxx(), 0, {}, {{3, 5}}, WithComment);
  EXPECT_EQ(WithComment, "2-4");
  EXPECT_EQ(Commented, Was);
  // Without the list, the region's text counts.
  EXPECT_NE(code(Text), code(edited(Text, "not code, 16", "not code, 17")));
}

TEST(CodeLinesTest, FixedLinesKeepTheirPlaceNotTheirComments) {
  auto Fixed = [](const std::string &Text) {
    return codeLines(Text, cxx(), CommentRule::Clang, AllLinesFixed);
  };
  const std::string Text = "// about f\n"
                           "int f();\n"
                           "\n"
                           "int g(); // g\n";
  EXPECT_EQ(Fixed(Text), Fixed(edited(Text, "// about f", "// about f, changed  ")));
  EXPECT_EQ(Fixed(Text), Fixed(edited(Text, "\n\n", "\n  // new\n")));
  // Its place counts: a line added or removed moves the lines below.
  EXPECT_NE(Fixed(Text), Fixed("// more\n" + Text));
  EXPECT_NE(Fixed(Text), Fixed(edited(Text, "\n\n", "\n")));
  // A line that is not free still counts.
  EXPECT_NE(Fixed(Text), Fixed(edited(Text, "\n\n", "\nint h;\n")));
  EXPECT_NE(Fixed(Text), Fixed(edited(Text, "// about f", "/// about f")));
}

TEST(CodeLinesTest, SkippedDirectivesButConditionalsAreLeftOut) {
  const std::string Text = "#if 0\n"
                           "#define X 1\n"
                           "#include \"missing.h\"\n"
                           "#endif\n";
  std::string List;
  Hash128 Was = codeLinesLeavingOut(Text, cxx(), 0, {}, {{1, 4}}, List);
  EXPECT_EQ(Was, freeing(edited(Text, "X 1", "X 2"), List));
  EXPECT_EQ(Was, freeing(edited(Text, "missing.h", "other.h"), List));
  EXPECT_NE(Was, freeing(edited(Text, "#define X 1", "#if X"), List));
  EXPECT_NE(Was, freeing(edited(Text, "#define X 1", "#  endif"), List));
  EXPECT_NE(Was, freeing(edited(Text, "#define X 1", "#else"), List));
  EXPECT_NE(Was, freeing(edited(Text, "#define X 1", "#elifdef X"), List));
  EXPECT_NE(Was, freeing(edited(Text, "#define X 1", "%:define X 1"), List));
  EXPECT_NE(Was, freeing(edited(Text, "#define X 1", "#define X 1 \\"), List));
}

TEST(CodeLinesTest, SkippedRegionsWithARawStringAreKept) {
  // A plain line may end a raw string another line of the region began,
  // and so change which lines the skipping reads: such a region counts.
  const std::string Text = "#if 0\n"
                           "auto s = R\"(\n"
                           "  text\n"
                           ")\";\n"
                           "#endif\n";
  std::string List;
  Hash128 Was = codeLinesLeavingOut(Text, cxx(), 0, {}, {{1, 5}}, List);
  EXPECT_NE(Was, freeing(edited(Text, ")\";", "nothing;"), List));
  EXPECT_NE(Was, freeing(edited(Text, "  text", "  more"), List));
}

TEST(CodeLinesTest, ABackslashInsideALineCommentIsText) {
  // For the linked Clang: a comment that mentions an escape is plain; one
  // that ends in a backslash splices the next line into it.
  EXPECT_EQ(code(Base), code("// prints '\\n' and '\\t'\n" + Base));
  EXPECT_EQ(code(Base), code(edited(Base, "return 2 * x;", "return 2 * x; // not '\\0'")));
  EXPECT_NE(code(Base), code("// ends in a splice \\\n" + Base));
  EXPECT_NE(code(Base), code("// ends in a splice and blanks \\  \n" + Base));
  // Another compiler's rule keeps every backslash out.
  EXPECT_NE(gcc(Base), gcc("// prints '\\n'\n" + Base));
}

namespace {

/// codeLines with the spacing left out but on ColumnLines (as the compile
/// records them: code lines, "first-last").
Hash128 spaced(const std::string &Text, llvm::StringRef ColumnLines = "",
               unsigned FixedLines = 0) {
  std::string List = ("~ " + ColumnLines).str();
  return codeLines(Text, cxx(), CommentRule::Clang, FixedLines, List);
}

} // namespace

TEST(CodeLinesTest, SpacingBetweenTokensIsLeftOut) {
  Hash128 Was = spaced(Base);
  EXPECT_EQ(Was, spaced(edited(Base, "  return 2 * x;", "      return   2  *\tx;")));
  EXPECT_EQ(Was, spaced(edited(Base, "int x)", "int /* the value */ x)")));
  EXPECT_EQ(Was, spaced(edited(Base, "int x)", "int/* c */x)")));
  EXPECT_EQ(Was, spaced(edited(Base, "return 2", "return /* a */ /* b */ 2")));
  // With comment lines too, and with every line fixed in place.
  EXPECT_EQ(Was, spaced("// new\n" + edited(Base, "2 * x", "2  *  x")));
  EXPECT_EQ(spaced(Base, "", AllLinesFixed),
            spaced(edited(Base, "2 * x", "2  *  x"), "", AllLinesFixed));
  // Without the list the spacing counts.
  EXPECT_NE(code(Base), code(edited(Base, "2 * x", "2  *  x")));
  EXPECT_NE(Was, code(Base));
}

TEST(CodeLinesTest, WhetherTokensAreApartCounts) {
  Hash128 Was = spaced(Base);
  // Space where there was none, none where there was, an indent added or
  // removed: other tokens (or flags) for the preprocessor.
  EXPECT_NE(Was, spaced(edited(Base, "2 * x", "2 *x")));
  EXPECT_NE(Was, spaced(edited(Base, "int x)", "int x )")));
  EXPECT_NE(Was, spaced(edited(Base, "  return", "return")));
  EXPECT_NE(Was, spaced(edited(Base, "inline", " inline")));
  // Inside a literal, the spaces are the token.
  EXPECT_NE(spaced("const char *s = \"a b\";\n"), spaced("const char *s = \"a  b\";\n"));
  EXPECT_NE(spaced("char c = ' ';\n"), spaced("char c = '  ';\n"));
  // Lines joined or split.
  EXPECT_NE(spaced("int a,\n  b;\n"), spaced("int a, b;\n"));
}

TEST(CodeLinesTest, SpacingOnlyWhereTheLineAloneSaysSo) {
  // Directives (a header name keeps its spaces), what may be one, a form
  // feed, a CR line end, a line a token or a splice joins to another.
  EXPECT_NE(spaced("#include <a.h>\n"), spaced("#include  <a.h>\n"));
  EXPECT_NE(spaced("#define A 1 + 2\n"), spaced("#define A 1  + 2\n"));
  EXPECT_NE(spaced("  # define A 1\n"), spaced("    # define A 1\n"));
  EXPECT_NE(spaced("%:define A 1\n"), spaced("%:define  A 1\n"));
  EXPECT_NE(spaced("import a;\n"), spaced("import  a;\n"));
  EXPECT_NE(spaced("int a = 1 + 2;\n"), spaced("int a = 1 +\f2;\n"));
  EXPECT_NE(spaced("int a = 1 + 2;\r\n"), spaced("int a = 1  + 2;\r\n"));
  EXPECT_NE(spaced("int a = 1 + \\\n  2;\n"), spaced("int a = 1  + \\\n  2;\n"));
  EXPECT_NE(spaced("int a = 1 + \\\n  2;\n"), spaced("int a = 1 + \\\n    2;\n"));
  EXPECT_NE(spaced("auto s = R\"(\n a\n)\"; int b;\n"), spaced("auto s = R\"(\n a\n)\";  int b;\n"));
  EXPECT_NE(spaced("/* x\n */ int b;\n"), spaced("/* x\n */  int b;\n"));
  // A comment between tokens that is not plain: documentation, `/*` inside.
  EXPECT_NE(spaced("int a;\n"), spaced("int /** doc */ a;\n"));
  EXPECT_NE(spaced("int a;\n"), spaced("int /* a /* b */ a;\n"));
  // A documentation comment's text counts, the spacing around it does not
  // (no unit that may read one records code lines: Recording.cpp).
  EXPECT_NE(spaced("int a; /// doc\n"), spaced("int a; /// docs\n"));
  EXPECT_EQ(spaced("int a; /// doc\n"), spaced("int  a;  /// doc\n"));
}

TEST(CodeLinesTest, SpacingOfConditionalsAndMacroParameters) {
  // A conditional directive's tokens are evaluated: their spacing is none
  // of it, but in an `<angled>` name __has_include joins.
  EXPECT_EQ(spaced("#if A || B\n#endif\n"), spaced("#if A || /* c */ B\n#endif\n"));
  EXPECT_EQ(spaced("#if A || B\n#endif\n"), spaced("#if A  ||\tB\n#endif\n"));
  EXPECT_EQ(spaced("  # ifdef A\n#endif\n"), spaced("  #  ifdef  A\n#endif\n"));
  EXPECT_EQ(spaced("#if 1\n# else\n#endif\n"), spaced("#if 1\n#   else\n#endif  \n"));
  EXPECT_NE(spaced("#if A||B\n#endif\n"), spaced("#if A ||B\n#endif\n")); // apart or not
  EXPECT_NE(spaced("#if __has_include(<a.h>)\n#endif\n"),
            spaced("#if __has_include(<a.h> )\n#endif\n"));
  EXPECT_NE(spaced("#if __has_include_next(<a.h>)\n#endif\n"),
            spaced("#if  __has_include_next(<a.h>)\n#endif\n"));
  // A function-like macro's parameters, not its body, nor the blank that
  // would make it object-like; a trailing comment stays free.
  EXPECT_EQ(spaced("#define F(a, b) a + b\n"), spaced("#define F(a, /* c */ b) a + b\n"));
  EXPECT_EQ(spaced("# define F(a, b) a + b\n"), spaced("#  define  F(a,   b) a + b\n"));
  EXPECT_EQ(spaced("#define F(a, b) a + b\n"), spaced("#define F(a, b) a + b  // sum\n"));
  EXPECT_NE(spaced("#define F(a, b) a + b\n"), spaced("#define F(a, b)  a + b\n"));
  EXPECT_NE(spaced("#define F(a, b) a + b\n"), spaced("#define F(a, b) a  + b\n"));
  EXPECT_NE(spaced("#define F(a, b) a + b\n"), spaced("#define F (a, b) a + b\n"));
  EXPECT_NE(spaced("#define F (a, b) a\n"), spaced("#define F (a,  b) a\n")); // a body
  // Other directives keep their bytes.
  EXPECT_NE(spaced("#pragma once\n"), spaced("#pragma  once\n"));
  EXPECT_NE(spaced("#warning a b\n"), spaced("#warning a  b\n"));
  EXPECT_NE(spaced("#undef A\n"), spaced("#undef  A\n"));
}

TEST(CodeLinesTest, ColumnLinesKeepTheirBytes) {
  const std::string Guard = "int f(int a) {\n"
                            "  if (a)\n"
                            "    return 1;\n"
                            "  return 0;\n"
                            "}\n";
  // Lines 2 to 4 are read by -Wmisleading-indentation.
  Hash128 Was = spaced(Guard, "2-4");
  EXPECT_NE(Was, spaced(edited(Guard, "  return 0;", "    return 0;"), "2-4"));
  EXPECT_NE(Was, spaced(edited(Guard, "if (a)", "if  (a)"), "2-4"));
  EXPECT_EQ(Was, spaced(edited(Guard, "int f(int a)", "int f(int  a)"), "2-4"));
  // Counted in code lines: a comment line above moves no number.
  EXPECT_EQ(Was, spaced("// new\n" + Guard, "2-4"));
  // Another list, another hash.
  EXPECT_NE(Was, spaced(Guard, "2-3"));
}

TEST(CodeLinesTest, CompoundTokensWrittenApartKeepTheirBytes) {
  // In a macro argument, Clang warns when the halves of `({`, `})` or `::*`
  // are more than 50 bytes apart: every byte between them counts.
  const std::string Split = "int v = M(( {1;} ));\n";
  EXPECT_NE(spaced(Split), spaced("int v = M((   {1;}   ));\n"));
  EXPECT_NE(spaced("int A:: *p;\n"), spaced("int A::   *p;\n"));
  // Across lines: neither a free line, nor a trimmed end, nor an indent.
  const std::string Lines = "int v = M((\n  {1;}));\n";
  EXPECT_NE(code(Lines), code("int v = M((\n// a comment line\n  {1;}));\n"));
  EXPECT_NE(code(Lines), code("int v = M((   \n  {1;}));\n"));
  EXPECT_NE(spaced(Lines), spaced("int v = M((\n      {1;}));\n"));
  // Written together, or other tokens: spacing as anywhere.
  EXPECT_EQ(spaced("int v = M(({1;}));  int w;\n"), spaced("int v = M(({1;}));     int w;\n"));
  EXPECT_EQ(spaced("f( a, {1});\n"), spaced("f(  a,  {1});\n"));
}
