//===- LineWords.h - Words in raw source text that take a line -*- C++ -*-===//
//
// Raw text another compiler may expand where Clang's parse did not (a region
// Clang skipped, a file only that compiler read) is judged by its words:
// identifiers as the raw text spells them, comments and strings included (a
// word too many costs a hit, never an object). lib/Compile/SkippedLines.h
// says where they count.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_LINEWORDS_H
#define HOTAST_COMPILE_LINEWORDS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

namespace hotast {

/// Calls Each on every identifier-like word of Text (a pp-number's letters
/// are not words).
void forEachWord(llvm::StringRef Text, llvm::function_ref<void(llvm::StringRef)> Each);

/// The words that take a line where they expand or are called: __LINE__,
/// __builtin_LINE, __builtin_source_location, source_location.
bool isLineWord(llvm::StringRef Word);

} // namespace hotast

#endif
