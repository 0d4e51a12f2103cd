//===- AsmFiles.h - Assembler text that reads files -------------*- C++ -*-===//
//
// The assembler reads a file named in the assembly text itself: `.incbin`
// puts its bytes in the object and `.include` assembles it (GNU as and
// LLVM's integrated assembler alike; directive names are case-insensitive
// in both). No depfile names such a file and no parse reads it, so neither
// direct mode (which checks the files the compile read) nor a fingerprint
// (which hashes the asm text, not the file) sees it change: a compile whose
// assembly text may hold either directive is not cached. The test is on the
// words, anywhere in the text (a comment in the asm counts too): a text
// without them is known to read nothing. Source text the parse does not
// see as asm (a skipped region, a file not parsed) is looked at token by
// token: include/hotast/Compile/AsmScan.h.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_ASMFILES_H
#define HOTAST_SUPPORT_ASMFILES_H

#include "llvm/ADT/StringRef.h"

namespace hotast {

/// True when Text (an asm statement's or file-scope asm's string) may hold
/// a directive that makes the assembler read a file.
inline bool asmMayReadFiles(llvm::StringRef Text) {
  return Text.contains_insensitive("incbin") || Text.contains_insensitive("include");
}

} // namespace hotast

#endif
