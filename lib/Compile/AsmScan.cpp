//===- AsmScan.cpp - Source text that may hold a file-reading asm ---------===//

#include "hotast/Compile/AsmScan.h"

#include "hotast/Support/AsmFiles.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"

namespace hotast {

bool sourceMayHoldAsmFileDirective(llvm::StringRef Text) {
  // Cheap first: most text holds neither word.
  if (!asmMayReadFiles(Text))
    return false;
  // C++ with raw strings and GNU extensions lexes every C literal too (a
  // C file's R"(...)" then lexes as one literal, whose text is looked at
  // all the same). The lexer wants a NUL after the text.
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.GNUMode = LO.LineComment = true;
  LO.Digraphs = LO.DollarIdents = true;
  std::string Buffer = Text.str();
  clang::Lexer L(clang::SourceLocation(), LO, Buffer.data(), Buffer.data(),
                 Buffer.data() + Buffer.size());
  // A header name, which no assembler reads, follows `#include` (and the
  // like: the rest of its line) and `__has_include` (up to its ')').
  bool AfterHash = false, InDirective = false, InHasInclude = false;
  clang::Token T;
  do {
    L.LexFromRawLexer(T);
    if (T.isAtStartOfLine())
      InDirective = false;
    if (InDirective || (InHasInclude && T.isNot(clang::tok::r_paren)))
      continue;
    InHasInclude = false;
    if (T.is(clang::tok::raw_identifier)) {
      llvm::StringRef Id = T.getRawIdentifier();
      bool Include = Id.equals_insensitive("include") || Id.equals_insensitive("include_next");
      if (Id.equals_insensitive("incbin") || (Include && !AfterHash))
        return true;
      InDirective = AfterHash && (Include || Id == "import");
      InHasInclude = Id == "__has_include" || Id == "__has_include_next";
    } else if (T.isLiteral() &&
               asmMayReadFiles(llvm::StringRef(T.getLiteralData(), T.getLength()))) {
      return true;
    }
    AfterHash = T.is(clang::tok::hash) && T.isAtStartOfLine();
  } while (T.isNot(clang::tok::eof));
  return false;
}

} // namespace hotast
