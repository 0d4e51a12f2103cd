//===- AsmScan.h - Source text that may hold a file-reading asm -*- C++ -*-===//
//
// For source text that no parse sees as asm: a region the preprocessor
// skipped (another compiler may take it) and the files of a compile that
// ran without a parse. The text is raw-lexed, comments left out; it may
// hold an assembler directive that reads a file (include/hotast/Support/
// AsmFiles.h) when a literal's spelling holds "incbin" or "include", or an
// identifier is "incbin", "include" or "include_next" (a macro can
// stringize it), outside directive lines other than #define (an
// #include's header name, an #error's message) and __has_include's
// parentheses. Not seen: a directive name built by token pasting
// (`inc ## bin`), which only a preprocessor can show.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_ASMSCAN_H
#define HOTAST_COMPILE_ASMSCAN_H

#include "llvm/ADT/StringRef.h"

namespace hotast {

/// True when Text (C or C++ source) may hold, as described above, an asm
/// directive that makes the assembler read a file.
bool sourceMayHoldAsmFileDirective(llvm::StringRef Text);

} // namespace hotast

#endif
