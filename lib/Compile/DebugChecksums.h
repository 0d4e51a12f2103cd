//===- DebugChecksums.h - Which files an object's debug info names -*- C++ -*-===//
//
// With DWARF 5 (clang's default for -g) every file a line table names comes
// with the MD5 of its bytes, so an edit anywhere in such a file changes the
// object. Which files those are is decided by code generation: the main
// file, and the files of the locations it emits (code, declarations of the
// types and variables it describes), and in practice a unit that includes
// one file for which clang computes no checksum (libstdc++'s headers do)
// gets none at all: LLVM writes MD5s only when every file has one. So the
// object itself is asked which files' bytes it holds (LocationUse::LineFiles,
// lib/Wrapper/DebugFiles.h).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_DEBUGCHECKSUMS_H
#define HOTAST_LIB_COMPILE_DEBUGCHECKSUMS_H

#include "llvm/Support/Error.h"
#include "llvm/Support/MD5.h"

#include <string>
#include <vector>

namespace clang {
class SourceManager;
} // namespace clang

namespace hotast {

/// The names (as SM holds them) of the files the compile read whose MD5
/// the line tables of the object at Path hold: every file with those bytes,
/// so that two files with the same bytes are both named. An error when the
/// object cannot be read or holds a checksum of no file the compile read.
llvm::Expected<std::vector<std::string>> checksummedFiles(const clang::SourceManager &SM,
                                                          llvm::StringRef Path);

} // namespace hotast

#endif
