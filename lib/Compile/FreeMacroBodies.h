//===- FreeMacroBodies.h - Bodies of macros a unit never expands -*- C++ -*-===//
//
// A macro the unit defines once and never expands, tests or undefines: the
// preprocessor stores its body and reads it again nowhere, so the body can
// change without changing a token the parser sees (whether it is defined,
// which #ifdef and defined() read, stays). Code lines (CodeLines.h) leave
// such a body out of a file's hash when the compile that recorded the hash
// said which of the file's macros are so (LeftOut.h); a later compile with
// the same hash then differs by that body only.
//
// What the preprocessor may still say about a body when it stores it is
// kept out by an allow-list of what the body may hold, old and new: printable
// ASCII between tokens of the kinds listed below, no comment, no `??`, line
// splices only as a backslash right before a newline; identifiers but
// __VA_ARGS__ and __VA_OPT__ (misplaced, an error), numbers, character and
// string literals that are not raw, and every punctuator but `#` and `##`
// (misplaced, an error); an object-like macro's body begins with a blank
// (C99 asks for one). A body that holds anything else is hashed as it is,
// and so is every body in a unit that poisons a name (`#pragma GCC poison`:
// a body may not spell it; the recording says).
// Its count of lines is hashed too (a splice added moves the lines below).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_FREEMACROBODIES_H
#define HOTAST_LIB_COMPILE_FREEMACROBODIES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <utility>
#include <vector>

namespace clang {
class LangOptions;
} // namespace clang

namespace hotast {

/// Whether Body (from the end of the macro's name, or of its parameter
/// list, to the end of its directive), that of an object-like macro
/// (ObjectLike) or of a function-like one, is one the allow-list admits.
bool plainMacroBody(llvm::StringRef Body, bool ObjectLike, const clang::LangOptions &LO);

/// Where Text (followed by a NUL byte) holds the body of a `#define` of one
/// of Names (sorted) that the allow-list above admits: [first, second) byte
/// ranges, from the end of the macro's name
/// (or of its parameter list) to the end of its directive, or to LineEnd
/// of the directive's last line (where a plain comment or trailing blanks
/// that code lines leave out begin), in order.
std::vector<std::pair<size_t, size_t>>
freeMacroBodies(llvm::StringRef Text, const clang::LangOptions &LO,
                llvm::ArrayRef<llvm::StringRef> Names, llvm::function_ref<size_t(size_t)> LineEnd);

} // namespace hotast

#endif
