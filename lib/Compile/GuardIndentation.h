//===- GuardIndentation.h - What GCC's -Wmisleading-indentation reads -*- C++ -*-===//
//
// GCC warns when a statement after an unbraced body (of if, else, for,
// while) is indented as if the guard covered it (c-family/c-indentation.cc).
// It reads the visual columns of three tokens, the guard, the body's first
// token and the next token after the body, whether they share lines, and
// the first non-blank column of their lines and of every line between body
// and next token. Clang's AST holds none of it, so for another compiler the
// fingerprint hashes it:
//
// for each such guard in the project's code (hashGuardIndentation): the
// guard's kind, whether guard and body share a line and body and next token
// do, the whole text of each line where one of the three tokens (or the
// token after the body's `;`) has something before it, so that its column
// is not its line's indent, and the indent of every line from the guard's
// to the next token's, comment lines included (blank ones as blank). An
// indent or comment line elsewhere reaches no warning. A guard whose body
// comes from the same macro expansion (gtest's assertions expand to
// `if (...) ; else ...`) counts by the macro's lines only: GCC resolves each
// token to its expansion point and then gives up when guard and body share
// it, unless the next token does too, when it reads the macro's definition. A guard, body or next token from a
//   macro expansion is taken at the expansion, and the macro's own lines
//   are hashed too (GCC reads them when all three come from one).
//
// GCC also stays silent once a #line or line marker was read: each one is
// hashed (PreprocessorRecorder.cpp). A token's column elsewhere reaches no
// warning: a longer name or literal that moves the tokens after it on its
// line leaves the fingerprint alone.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_GUARDINDENTATION_H
#define HOTAST_LIB_COMPILE_GUARDINDENTATION_H

#include "hotast/Support/Hash128.h"

#include "clang/Basic/SourceLocation.h"

#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace hotast {

/// A line of a file, as offsets [Begin, End).
struct LineSpan {
  clang::FileID File;
  unsigned Begin, End;
};

/// Adds to H what GCC's -Wmisleading-indentation reads of each unbraced
/// guard body in files outside /usr/ (see above), in the order of the AST.
/// TextLines, when given, gets the lines whose whole text was added.
void hashGuardIndentation(clang::ASTContext &Ctx, Hasher &H,
                          std::vector<LineSpan> *TextLines = nullptr);

} // namespace hotast

#endif
