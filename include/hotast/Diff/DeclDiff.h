//===- DeclDiff.h - Declaration-level comparison ----------------*- C++ -*-===//
//
// Compares two analyses of one translation unit, declaration by declaration
// (matched by key), and says how each changed declaration changed.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_DIFF_DECLDIFF_H
#define HOTAST_DIFF_DECLDIFF_H

#include "hotast/Analysis/DeclRecord.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <vector>

namespace hotast {

enum class ChangeKind {
  Added,
  Removed,
  /// What users see changed: type, parameters, default arguments, attributes,
  /// a record's members or bases, an enum's enumerators.
  Signature,
  /// A function's definition changed, its signature did not.
  Body,
  /// A record's size, alignment or member offsets changed.
  Layout,
  /// A variable's initializer, a field's default initializer or an
  /// enumerator's value changed.
  Value,
};

/// The name used in reports: "added", "removed", "signature", ...
llvm::StringRef changeKindName(ChangeKind K);

struct DeclChange {
  ChangeKind Kind;
  /// NEW's record, or OLD's for a removed declaration.
  DeclRecord Decl;
};

struct DiffOptions {
  /// Report declarations from included files too, not just the main file's.
  bool IncludeHeaders = false;
};

struct DiffResult {
  /// Changed and added declarations in NEW's order, then removed ones in OLD's.
  std::vector<DeclChange> Changes;
  /// Reported declarations present in both and equal.
  unsigned Unchanged = 0;
};

/// How a declaration present in both analyses changed, if it did.
std::optional<ChangeKind> classifyChange(const DeclRecord &Old, const DeclRecord &New);

DiffResult diffAnalyses(const TUAnalysis &Old, const TUAnalysis &New, const DiffOptions &Opts);

} // namespace hotast

#endif
