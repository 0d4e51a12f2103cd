//===- NewDefines.h - A new #define of a name the unit never read -*- C++ -*-===//
//
// A `#define` added to a header, of a name the unit's last compile never
// looked up, changes nothing that compile's object or messages hold: every
// identifier Clang lexes outside a skipped region, makes by pasting
// (TokenLexer looks the result up) or reads from a pragma's string goes
// through the unit's identifier table (a skipped region is lexed raw and
// adds nothing), so a name absent from it was never expanded or tested, and
// the rest of the text is the same. What could still differ is what the
// preprocessor says when it stores the definition (Clang 19, PPDirectives.cpp,
// HandleDefineDirective and CheckMacroName), kept out by an allow-list:
//
// - the line is alone: `#define`, the name, a blank, an object-like body
//   that FreeMacroBodies.h's allow-list admits (no `#`, `##`, __VA_ARGS__,
//   comment or splice), or no body; one line, no token from the line above
//   reaching into it;
// - the name is no reserved identifier (-Wreserved-macro-identifier: a
//   `_` first, or `__` in it), not `defined` (an error), and absent from
//   the table (keywords, builtins, predefined and command-line macros, the
//   parser's contextual names are all in it: the table holds them from
//   its start), and no other line the lookup frees defines it
//   (-Wmacro-redefined);
// - not in the unit's source: -Wunused-macros reads the main file's
//   definitions only (isInMainFile);
// - not right after an `#if`, `#ifdef` or `#ifndef` (-Wheader-guard reads
//   the first definition after a header's guard);
// - and the recording allowed it: no -fdebug-macro (the object would hold
//   every definition), `-Wembedded-directive` off (a `#define` among a
//   macro's arguments), no poisoned name (a body may not spell one), no
//   AST file (its names are not all in the table).
//
// A new line moves the lines below it, as a comment line does: the
// code lines' rules for those apply to it alike (CodeLines.h).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_NEWDEFINES_H
#define HOTAST_LIB_COMPILE_NEWDEFINES_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace clang {
class LangOptions;
} // namespace clang

namespace hotast {

/// The name Line (without its newline) defines when it is such a
/// definition, alone on its line (the name and body rules above).
std::optional<llvm::StringRef> newDefineName(llvm::StringRef Line, const clang::LangOptions &LO);

/// Each name a `#define` in Text may define, and more (every name after
/// a word `define`): what the recording adds to the unit's names, so that
/// no definition it holds, live or skipped, reads as new.
void definedNames(llvm::StringRef Text, llvm::function_ref<void(llvm::StringRef)> Add);

} // namespace hotast

#endif
