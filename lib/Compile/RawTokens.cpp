//===- RawTokens.cpp - A file's tokens without a preprocessor -------------===//

#include "hotast/Compile/RawTokens.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hotast {

std::vector<RawToken> rawTokens(llvm::StringRef Text) {
  // The newest C++, as lexRaw (LineWords.cpp) lexes: digit separators.
  LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.CPlusPlus14 = LO.CPlusPlus17 = LO.CPlusPlus20 = 1;
  LO.CPlusPlus23 = LO.CPlusPlus26 = LO.LineComment = 1;
  Lexer L(SourceLocation::getFromRawEncoding(1), LO, Text.begin(), Text.begin(), Text.end());
  std::vector<RawToken> Out;
  bool InDirective = false;
  Token T;
  for (L.LexFromRawLexer(T); T.isNot(tok::eof); L.LexFromRawLexer(T)) {
    if (T.isAtStartOfLine())
      InDirective = T.is(tok::hash);
    unsigned Offset = T.getLocation().getRawEncoding() - 1;
    Out.push_back({Offset, T.getLength(), T.getKind(), InDirective});
  }
  return Out;
}

} // namespace hotast
