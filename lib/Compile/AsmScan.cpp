//===- AsmScan.cpp - Source text that may hold a file-reading asm ---------===//

#include "hotast/Compile/AsmScan.h"

#include "hotast/Support/AsmFiles.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"

namespace hotast {
namespace {

/// A literal as asm text, or a piece of it (literals join): "incbin"
/// anywhere, "include" after a '.' or at the literal's start (the '.' may
/// end the literal before), not in a sentence ("should include").
bool literalMayHoldDirective(llvm::StringRef Spelling) {
  if (Spelling.contains_insensitive("incbin"))
    return true;
  llvm::StringRef Body = Spelling.drop_until([](char C) { return C == '"' || C == '\''; });
  if (!Body.empty())
    Body = Body.drop_front();
  for (size_t At = Body.find_insensitive("include"); At != llvm::StringRef::npos;
       At = Body.find_insensitive("include", At + 1))
    if (At == 0 || Body[At - 1] == '.')
      return true;
  return false;
}

} // namespace

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
  // A directive line other than #define (#include's header name, #error's
  // message) holds no asm; `__has_include(...)` holds a header name.
  bool AfterHash = false, SkipLine = false, InHasInclude = false;
  clang::Token T;
  do {
    L.LexFromRawLexer(T);
    if (T.isAtStartOfLine())
      SkipLine = false;
    if (SkipLine || (InHasInclude && T.isNot(clang::tok::r_paren)))
      continue;
    InHasInclude = false;
    if (T.is(clang::tok::raw_identifier)) {
      llvm::StringRef Id = T.getRawIdentifier();
      if (AfterHash) {
        SkipLine = Id != "define";
      } else if (Id.equals_insensitive("incbin") || Id.equals_insensitive("include") ||
                 Id.equals_insensitive("include_next")) {
        return true;
      } else {
        InHasInclude = Id == "__has_include" || Id == "__has_include_next";
      }
    } else if (T.isLiteral() && literalMayHoldDirective(
                                    llvm::StringRef(T.getLiteralData(), T.getLength()))) {
      return true;
    }
    AfterHash = T.is(clang::tok::hash) && T.isAtStartOfLine();
  } while (T.isNot(clang::tok::eof));
  return false;
}

} // namespace hotast
