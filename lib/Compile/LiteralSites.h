//===- LiteralSites.h - Where a parse finds an edit's literals --*- C++ -*-===//
//
// The parse's side of include/hotast/Compile/LiteralEdit.h: for each
// changed literal, the function whose body holds it where its value reaches
// nothing but its own expression's value.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_LITERALSITES_H
#define HOTAST_LIB_COMPILE_LITERALSITES_H

#include "hotast/Compile/LiteralEdit.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace hotast {

/// A literal of an edit in the parse.
struct LiteralSite {
  /// Invalid when its file is not read exactly once.
  clang::SourceLocation Loc;
  /// The function whose body holds it as LiteralEdit.h allows, or null: not
  /// found, found more than once, or where its value can reach more than
  /// its expression.
  const clang::FunctionDecl *Function = nullptr;
};

/// The literals of Edits, in order, file by file.
std::vector<LiteralSite> findLiterals(clang::ASTContext &Ctx, llvm::ArrayRef<LiteralEdit> Edits);

} // namespace hotast

#endif
