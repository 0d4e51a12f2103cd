//===- LiteralEdit.cpp - An edit that changed integer literals only -------===//

#include "hotast/Compile/LiteralEdit.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hotast {

namespace {

struct RawToken {
  unsigned Offset, Length;
  tok::TokenKind Kind;
  bool Directive; // on a line that begins with `#`
};

/// Every raw token of Text (comments and spaces left between them).
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

/// A decimal literal of type int, 1 to 9999999 (seven digits), no suffix,
/// no separator: far from the limits of int, where a warning reads a value
/// (GCC's -Wtype-limits on `x <= 2147483647`).
bool isPlainInt(llvm::StringRef Spelling) {
  return !Spelling.empty() && Spelling.front() >= '1' && Spelling.front() <= '9' &&
         Spelling.size() <= 7 &&
         llvm::all_of(Spelling, [](char C) { return C >= '0' && C <= '9'; });
}

} // namespace

std::optional<LiteralEdit> changedIntegerLiterals(llvm::StringRef Old, llvm::StringRef New) {
  std::vector<RawToken> A = rawTokens(Old), B = rawTokens(New);
  if (A.size() != B.size())
    return std::nullopt;
  LiteralEdit Changed;
  unsigned EndA = 0, EndB = 0;
  for (size_t I = 0; I != A.size(); ++I) {
    // What lies between tokens (spaces, comments) is the same.
    if (Old.slice(EndA, A[I].Offset) != New.slice(EndB, B[I].Offset))
      return std::nullopt;
    llvm::StringRef SA = Old.substr(A[I].Offset, A[I].Length);
    llvm::StringRef SB = New.substr(B[I].Offset, B[I].Length);
    if (SA != SB) {
      if (A[I].Kind != tok::numeric_constant || B[I].Kind != tok::numeric_constant ||
          A[I].Directive || B[I].Directive || !isPlainInt(SA) || !isPlainInt(SB))
        return std::nullopt;
      Changed.Offsets.push_back(B[I].Offset);
      Changed.ColumnsKept &= SA.size() == SB.size();
    }
    EndA = A[I].Offset + A[I].Length;
    EndB = B[I].Offset + B[I].Length;
  }
  if (Old.substr(EndA) != New.substr(EndB))
    return std::nullopt;
  return Changed;
}

} // namespace hotast
