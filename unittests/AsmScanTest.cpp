//===- AsmScanTest.cpp - Source text that may hold a file-reading asm -----===//

#include "hotast/Compile/AsmScan.h"
#include "hotast/Support/AsmFiles.h"

#include "gtest/gtest.h"

using namespace hotast;

namespace {

TEST(AsmFiles, AsmText) {
  EXPECT_TRUE(asmMayReadFiles(".incbin \"data.bin\""));
  EXPECT_TRUE(asmMayReadFiles("\t.INCBIN \"x\", 0, 4"));
  EXPECT_TRUE(asmMayReadFiles(".include \"macros.s\""));
  EXPECT_FALSE(asmMayReadFiles("nop"));
  EXPECT_FALSE(asmMayReadFiles("movl %1, %0"));
}

TEST(AsmScan, Source) {
  // The directive in a literal, stringized from a macro argument, or in
  // upper case.
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("asm(\".incbin \\\"f\\\"\");"));
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("asm(D(incbin) \"f\");"));
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("asm(D(include) \"f\");"));
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("asm(\".INCLUDE \\\"m.s\\\"\");"));
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("asm(R\"(.incbin \"f\")\");"));
  // The preprocessor's include, a header name, a comment: nothing read.
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("#include <include/x.h>\nint x;\n"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("  #  include \"include/x.h\"\n"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("#include_next <stdio.h>\n"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("#if __has_include(\"include/x.h\")\n#endif\n"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("// include the Windows parts\nint w;\n"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("/* .incbin is not used */ int w;"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("int includes; asm(\"nop\");"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("# error \"Never include <bits/x.h>\"\n"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("# error do not include this header\n"));
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("#ifndef PROJECT_INCLUDE_X_H_\nint includes(int);\n"));
  // A #define's body may hold asm.
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("#define BLOB asm(\".incbin \\\"f\\\"\")\n"));
  // A literal in a sentence; a piece of a joined literal.
  EXPECT_FALSE(sourceMayHoldAsmFileDirective("const char *m = \"should include frames\";"));
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("asm(\".\" \"include \\\"m.s\\\"\");"));
  // A word the lexer cannot place is counted.
  EXPECT_TRUE(sourceMayHoldAsmFileDirective("x # include y"));
}

} // namespace
