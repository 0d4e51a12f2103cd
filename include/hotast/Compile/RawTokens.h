//===- RawTokens.h - A file's tokens without a preprocessor -----*- C++ -*-===//
//
// Clang's raw lexer over a text, as the newest C++ lexes it (digit
// separators, line comments): each token's place and kind, comments and
// spaces left between them. For decisions made on the text alone: an edit
// that changed integer literals only (LiteralEdit.h), the wrapper's guess of
// where a header edit falls (lib/Wrapper/EditGuess.h).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_RAWTOKENS_H
#define HOTAST_COMPILE_RAWTOKENS_H

#include "clang/Basic/TokenKinds.h"
#include "llvm/ADT/StringRef.h"

#include <vector>

namespace hotast {

struct RawToken {
  unsigned Offset, Length;
  clang::tok::TokenKind Kind;
  bool Directive; // on a line that begins with `#`
};

/// Every raw token of Text.
std::vector<RawToken> rawTokens(llvm::StringRef Text);

} // namespace hotast

#endif
