//===- FreeMacroBodies.cpp - Bodies of macros a unit never expands --------===//

#include "FreeMacroBodies.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/TokenKinds.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <string>

using namespace clang;

namespace hotast {
namespace {

/// The characters a body may hold (FreeMacroBodies.h): printable ASCII or
/// tabs, a backslash only right before a newline and a newline only right
/// after one; no `$`, `@` or backquote (extensions with warnings), no
/// `??`, no comment.
bool plainBody(llvm::StringRef Body) {
  if (Body.contains("??") || Body.contains("/*") || Body.contains("//"))
    return false;
  for (size_t I = 0; I != Body.size(); ++I) {
    char C = Body[I];
    if (C == '\\') {
      if (I + 1 == Body.size() || Body[I + 1] != '\n')
        return false;
    } else if (C == '\n') {
      if (I == 0 || Body[I - 1] != '\\')
        return false;
    } else if (C == '$' || C == '@' || C == '`' || ((C < 0x20 || C > 0x7e) && C != '\t')) {
      return false;
    }
  }
  return true;
}

/// A token kind a body may hold (FreeMacroBodies.h).
bool plainToken(const Token &T, llvm::StringRef Spelling) {
  tok::TokenKind K = T.getKind();
  if (K == tok::raw_identifier)
    return Spelling != "__VA_ARGS__" && Spelling != "__VA_OPT__";
  if (K == tok::numeric_constant)
    return true;
  if (tok::isStringLiteral(K) || K == tok::char_constant || K == tok::wide_char_constant ||
      K == tok::utf8_char_constant || K == tok::utf16_char_constant ||
      K == tok::utf32_char_constant) {
    // Not a raw string: its prefix ends in R.
    size_t Quote = Spelling.find_first_of("\"'");
    return Quote != llvm::StringRef::npos && !Spelling.take_front(Quote).ends_with("R");
  }
  if (K == tok::hash || K == tok::hashhash || K == tok::hashat)
    return false;
  return tok::getPunctuatorSpelling(K) != nullptr;
}

} // namespace

bool plainMacroBody(llvm::StringRef Body, bool ObjectLike, const LangOptions &LO) {
  if (ObjectLike && !Body.empty() && Body[0] != ' ' && Body[0] != '\t')
    return false;
  if (!plainBody(Body))
    return false;
  std::string Copy = Body.str(); // the lexer reads up to a NUL byte
  SourceLocation Base = SourceLocation::getFromRawEncoding(1);
  Lexer L(Base, LO, Copy.c_str(), Copy.c_str(), Copy.c_str() + Copy.size());
  L.SetCommentRetentionState(true);
  Token T;
  for (L.LexFromRawLexer(T); T.isNot(tok::eof); L.LexFromRawLexer(T)) {
    size_t At = T.getLocation().getRawEncoding() - Base.getRawEncoding();
    if (!plainToken(T, llvm::StringRef(Copy).substr(At, T.getLength())))
      return false;
  }
  return true;
}

std::vector<std::pair<size_t, size_t>>
freeMacroBodies(llvm::StringRef Text, const LangOptions &LO,
                llvm::ArrayRef<llvm::StringRef> Names, llvm::function_ref<size_t(size_t)> LineEnd) {
  std::vector<std::pair<size_t, size_t>> Out;
  if (Names.empty())
    return Out;
  auto IsFree = [&](llvm::StringRef Name) {
    return std::binary_search(Names.begin(), Names.end(), Name);
  };
  const char *Start = Text.data();
  SourceLocation Base = SourceLocation::getFromRawEncoding(1);
  Lexer L(Base, LO, Start, Start, Start + Text.size());
  auto OffsetOf = [&](const Token &T) {
    return size_t(T.getLocation().getRawEncoding() - Base.getRawEncoding());
  };
  auto Spelling = [&](const Token &T) { return Text.substr(OffsetOf(T), T.getLength()); };
  Token T;
  L.LexFromRawLexer(T);
  while (T.isNot(tok::eof)) {
    // `#` first on a line, `define`, a name of the list.
    if (!T.is(tok::hash) || !T.isAtStartOfLine()) {
      L.LexFromRawLexer(T);
      continue;
    }
    L.LexFromRawLexer(T);
    if (T.isAtStartOfLine() || !T.is(tok::raw_identifier) || Spelling(T) != "define")
      continue;
    L.LexFromRawLexer(T);
    if (T.isAtStartOfLine() || !T.is(tok::raw_identifier) || !IsFree(Spelling(T)))
      continue;
    size_t HeadEnd = OffsetOf(T) + T.getLength();
    bool ObjectLike = HeadEnd >= Text.size() || Text[HeadEnd] != '(';
    if (!ObjectLike) {
      // The parameter list, on the directive's line: up to its `)`.
      do
        L.LexFromRawLexer(T);
      while (T.isNot(tok::eof) && !T.isAtStartOfLine() && !T.is(tok::r_paren));
      if (!T.is(tok::r_paren) || T.isAtStartOfLine())
        continue;
      HeadEnd = OffsetOf(T) + T.getLength();
    }
    // The directive ends at the first newline no backslash splices.
    size_t End = HeadEnd;
    for (;;) {
      End = Text.find('\n', End);
      if (End == llvm::StringRef::npos) {
        End = Text.size();
        break;
      }
      if (Text[End - 1] != '\\')
        break;
      ++End;
    }
    End = std::max(HeadEnd, std::min(End, LineEnd(End)));
    if (plainMacroBody(Text.slice(HeadEnd, End), ObjectLike, LO))
      Out.push_back({HeadEnd, End});
    // On past the directive.
    while (T.isNot(tok::eof) && OffsetOf(T) < End)
      L.LexFromRawLexer(T);
  }
  return Out;
}

} // namespace hotast
