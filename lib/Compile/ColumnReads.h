//===- ColumnReads.h - The lines whose columns Clang's warnings read -*- C++ -*-===//
//
// Without debug info, sanitizers or coverage, and in a unit that spells no
// __builtin_COLUMN or source_location, a token's column reaches no object
// (docs/wrapper.md, "Spacing between tokens"). Two of Clang 19's warnings
// read columns, both at an unbraced body:
//
// - -Wmisleading-indentation (Parser's MisleadingIndentationChecker, for
//   `if`, `else`, `for` and `while`): the visual column (tabs expanded, so
//   every byte before it on its line counts) of the guard keyword, of the
//   body's first token, and of the token after the body;
// - -Wempty-body (Sema::DiagnoseEmptyLoopBody, for `for` and `while` with
//   an empty body `;`, on by default): the columns of the keyword and of
//   the statement after the loop in the same braces.
//
// columnReadLines finds, in the AST, each guard whose body is not braced
// and gives the lines of those tokens: the keyword, the body's first token,
// and the two tokens after the body's last (the `;` the AST leaves out of
// an expression statement, and the token after it), and for an empty loop
// body the loop's first token and the next statement's; each at its
// expansion and, from a macro, at its spelling too. Every other line's
// columns reach no warning of the linked Clang (checked in Clang 19's
// Lex, Parse, Sema and AST: docs/wrapper.md, "Spacing between tokens").
//
// The first warning's checker reads nothing, and no line is given for its
// guard, when the body's first token comes from a macro, or when the
// warning is off at the token after the body (its state there, pragmas
// included, read after the parse: the same as the parse's unless a
// diagnostic pragma came from a macro, `_Pragma`, which may stand between
// that token and the next without a directive the checker counts).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_COLUMNREADS_H
#define HOTAST_LIB_COMPILE_COLUMNREADS_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"

#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace hotast {

/// By file: the lines (1-based, sorted, unique) whose columns a warning of
/// the linked Clang reads (see above). PragmaFromMacro: the unit has a
/// diagnostic pragma that came from a macro (LeftOutRecorder says).
llvm::DenseMap<clang::FileID, std::vector<unsigned>> columnReadLines(clang::ASTContext &Ctx,
                                                                     bool PragmaFromMacro);

} // namespace hotast

#endif
