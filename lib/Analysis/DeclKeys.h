//===- DeclKeys.h - Stable keys for declarations ----------------*- C++ -*-===//
//
// A declaration's key names the same entity across edits of its source. USRs
// do that for most declarations, but embed byte offsets for entities declared
// inside a declarator (`struct { int x; } g;`) and collide for siblings without
// names (two anonymous unions in one struct). Those, and everything nested in
// them, get a fallback key: the parent's key, the kind, the name and, for
// collisions, the ordinal among same-named siblings in source order.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_ANALYSIS_DECLKEYS_H
#define HOTAST_LIB_ANALYSIS_DECLKEYS_H

#include "hotast/Support/Hash128.h"
#include "clang/AST/DeclBase.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include <string>

namespace clang {
class ASTContext;
}

namespace hotast {

struct DeclKey {
  std::string Text;
  /// Hash of Text, fed into structural hashes wherever the declaration is referenced.
  Hash128 Hash;
};

class KeyTable {
public:
  explicit KeyTable(clang::ASTContext &Ctx) : Ctx(Ctx) {}

  /// The key of D's entity (all redeclarations share it).
  const DeclKey &get(const clang::Decl *D);

  /// True for declarations that live inside a function body or a
  /// requires-expression (locals, local classes, lambdas' members): they are
  /// hashed as part of their owner and referenced by ordinal, never by key.
  static bool isFunctionLocal(const clang::Decl *D);

private:
  std::string computeKey(const clang::Decl *D);
  std::string fallbackKey(const clang::Decl *D);
  bool needsFallback(const clang::Decl *D);
  std::vector<const clang::Decl *> fallbackArgs(const clang::Decl *D);
  unsigned siblingOrdinal(const clang::Decl *D, llvm::StringRef Base);

  clang::ASTContext &Ctx;
  llvm::DenseMap<const clang::Decl *, DeclKey> Keys;
  llvm::DenseMap<const clang::Decl *, bool> NeedsFallback;
  /// Per parent context: ordinal of each child among children with the same
  /// fallback base, filled for a whole context at once (linear, not quadratic).
  llvm::DenseMap<const clang::DeclContext *, llvm::DenseMap<const clang::Decl *, unsigned>>
      Ordinals;
};

/// The readable kind of a declaration ("function", "method", "struct", ...).
llvm::StringRef readableKind(const clang::Decl *D);

} // namespace hotast

#endif
