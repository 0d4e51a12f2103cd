//===- LineWords.h - Words in raw source text that take a line -*- C++ -*-===//
//
// Raw text that no parse of Clang's expanded (a region Clang skipped, which
// another compiler may take; a file a compile read without a parse) is
// judged by its words: identifiers as the raw text spells them. A word too
// many costs a hit, never an object. Where the verdicts count:
// lib/Compile/SkippedLines.h (skipped regions), include/hotast/Compile/
// UnparsedLines.h (a first compile's files).
//
// A line reaches the text where __LINE__ expands there, directly or through
// a macro, or where a call takes a __builtin_LINE() or source_location
// default argument. MacroReach follows macros by the words of their
// bodies: a macro reaches a line when its body names a line word or a macro
// that reaches one, or pastes tokens into one (`##`: `LOG_##sev` makes
// LOG_ERROR, which its body does not name; only a name that begins with
// LOG_ can come of it).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_LINEWORDS_H
#define HOTAST_COMPILE_LINEWORDS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <string>
#include <vector>

namespace hotast {

/// Calls Each on every identifier-like word of Text (a pp-number's letters
/// are not words), comments and literals included.
void forEachWord(llvm::StringRef Text, llvm::function_ref<void(llvm::StringRef)> Each);

/// The words that take a line where they expand or are called: __LINE__,
/// __builtin_LINE, __builtin_source_location, source_location.
bool isLineWord(llvm::StringRef Word);

/// What a chain of operands joined by `##` in a macro body can make: a
/// name that begins with its first operand, when that is an identifier
/// other than a parameter; else one that ends with its last, when that is
/// one; else any name.
struct Paste {
  enum Kind { Any, Prefix, Suffix } K = Any;
  std::string Affix;
  bool canMake(llvm::StringRef Name) const {
    return K == Any || (K == Prefix ? Name.starts_with(Affix) : Name.ends_with(Affix));
  }
};

/// One token of a macro body, for pastesOf.
struct BodyToken {
  llvm::StringRef Spelling;
  bool Identifier = false;
  bool Parameter = false;
  bool Pastes = false; // `##`
};

/// The pastes of a macro body (see Paste).
std::vector<Paste> pastesOf(llvm::ArrayRef<BodyToken> Body);

/// Macro definitions by the words of their bodies (every definition of a
/// name counts, whichever is in force), and the names that reach a line.
class MacroReach {
public:
  /// A definition of Name: its body's words, and what it pastes.
  void define(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> BodyWords,
              llvm::ArrayRef<Paste> Pastes = {});
  /// The line words, then every macro whose body names a name already in,
  /// or pastes one it can make, until none is added.
  llvm::StringSet<> reach() const;

private:
  llvm::StringMap<llvm::StringSet<>> Bodies;
  llvm::StringMap<std::vector<Paste>> Pasting;
};

/// What lexRaw found besides words.
struct RawFacts {
  /// A line builtin followed by `(`: a call (a default argument, declared
  /// or used here, takes the line of each call).
  bool CallsLineBuiltin = false;
  /// __builtin_LINE, __builtin_source_location or source_location spelled
  /// anywhere but in comments and literals (a declaration may name one).
  bool SpellsLineBuiltin = false;
  /// __has_include, __has_include_next or __has_embed with anything but
  /// an <angled> name after its `(`: it may look for a project file.
  bool ProbesQuoted = false;
};

/// Lexes Text (followed by a NUL byte) raw, with C++'s comments: adds each
/// #define to Macros and calls Defined with its name; calls InPlace on each
/// identifier that expands where it stands (outside comments, literals and
/// the bodies of #define and #undef; directive names and #if conditions
/// included), with the offset just past the end of its span: its
/// directive's line, or in code the outermost parenthesized group around it
/// and the groups right after that (a macro invocation and its arguments:
/// a __LINE__ there takes a line of the span).
RawFacts lexRaw(llvm::StringRef Text, MacroReach &Macros,
                llvm::function_ref<void(llvm::StringRef Word, size_t SpanEnd)> InPlace,
                llvm::function_ref<void(llvm::StringRef)> Defined = nullptr);

} // namespace hotast

#endif
