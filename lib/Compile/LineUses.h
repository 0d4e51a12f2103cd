//===- LineUses.h - Where a __LINE__ value can change the outcome -*- C++ -*-===//
//
// A comment line added to a file moves the lines below it, and every
// __LINE__ expanded there takes another value. Whether that value reaches
// the object is the fingerprint's question (it hashes literals by value;
// TUFingerprint::LinesReached). But a value can also decide what the
// compiler says, in code that reaches no object: a static_assert, an array
// bound, a template argument, a narrowing or a fortify check, an overload
// chosen by enable_if. So, by allow-list, an expansion of __LINE__ is known
// not to change what the compiler says only when each literal it made is,
// as written, the argument of a call to an ordinary function whose
// parameter there is a plain integer of 32 bits or more: a runtime value,
// as gtest's and glibc's logging and assertion macros pass it. Anything
// else (an #if, a macro argument used twice, any other place in the AST)
// makes the file's lines matter (CompileOutcome::CodeLines).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_LINEUSES_H
#define HOTAST_LIB_COMPILE_LINEUSES_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
class ASTContext;
} // namespace clang

namespace hotast {

/// One expansion of __LINE__: the __LINE__ token, and the file whose line
/// it took (its expansion point's).
struct LineExpansion {
  clang::SourceLocation Token;
  clang::FileID File;
  /// Expanded in an #if or #elif condition.
  bool InCondition = false;
};

/// The files among those of Expansions where an expansion is not known to
/// leave what the compiler says alone (see above).
llvm::DenseSet<clang::FileID> filesWhoseLinesMatter(clang::ASTContext &Ctx,
                                                     llvm::ArrayRef<LineExpansion> Expansions);

} // namespace hotast

#endif
