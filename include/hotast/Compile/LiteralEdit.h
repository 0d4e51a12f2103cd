//===- LiteralEdit.h - An edit that changed integer literals only -*- C++ -*-===//
//
// A unit whose first compile ran without a parse (docs/wrapper.md, "The first
// compile of a unit") has no fingerprint until it next changes, and then two
// parses find it: the files as they were, and as they are. When the files
// differ only in decimal integer literals (`return 1000;` made `return
// 1001;`), each inside the body of a function the object does not hold,
// the files as they were would have had the fingerprint they have now: the
// parse as they are is enough (parseLiteralEdit,
// lib/Wrapper/OtherFirstCompile.cpp).
//
// Where a literal's value can reach anything but its own expression's
// value, or a warning can read it, the edit does not qualify: each literal
// must be a plain `int` (decimal, no suffix, 1 to 9999999 on both sides: no
// null pointer constant, no change of type, far from the limits of int),
// outside every directive, at a place that is no macro expansion, and in
// the parse a value nothing converts and no other constant meets: an
// operand of `+ - * & | ^` or of a comparison whose other operand is an int
// variable or call, an int argument of a plain call, a return value, the
// initializer of a plain local, a condition; in a function that is no
// template, no lambda, not constexpr and not in the closure, in a unit
// where no column can reach the object (no __builtin_COLUMN, __builtin_LINE
// or source_location, no unnamed type's place in a name) unless each
// literal kept its length, and with no warning option enabled that hotast
// has not read for this (OptionPolicy::WarningsMayReadLiterals). A constant
// expression (a template argument, an array bound, `if constexpr`, a case
// label), a braced list, a type, a division, a shift, a conversion, or a
// line that GCC's -Wmisleading-indentation reads as text leaves the edit to
// the two parses (and the compiler's -fsyntax-only: docs/wrapper.md,
// "Warnings of another compiler").
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_LITERALEDIT_H
#define HOTAST_COMPILE_LITERALEDIT_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace hotast {

/// The integer literals an edit changed in one file: their offsets in the
/// file as it is now.
struct LiteralEdit {
  std::string Path;
  std::vector<unsigned> Offsets;
  /// Each literal kept its length: no token after it moved to another
  /// column.
  bool ColumnsKept = true;
};

/// Where New differs from Old only in decimal integer literals of type
/// `int` outside directives (the rest byte for byte, comments and spaces
/// included), those literals in New (Path left empty); otherwise nullopt.
std::optional<LiteralEdit> changedIntegerLiterals(llvm::StringRef Old, llvm::StringRef New);

} // namespace hotast

#endif
