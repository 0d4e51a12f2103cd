//===- ObjectCode.h - The code and data of a relocatable object --*- C++ -*-===//
//
// Which functions an edit changed, from the objects themselves: an object
// built with -ffunction-sections holds each function in its own section, so
// two builds of one translation unit can be compared symbol by symbol, as
// kpatch's create-diff-object does. A symbol's code is its bytes and its
// relocations, each naming its target: a named symbol by name, a section
// (string literals, anonymous constants) or a local data symbol by its
// name and the hash of its bytes, so that a changed string or constant
// changes every function that reads it. Inlining at -O2 is thereby seen:
// the caller's bytes change.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_RELOAD_OBJECTCODE_H
#define HOTAST_RELOAD_OBJECTCODE_H

#include "hotast/Support/Hash128.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace hotast {

struct SymbolCode {
  bool Function = false;
  bool Local = false;
  /// Data in a writable section (a variable, not a constant).
  bool Writable = false;
  uint64_t Size = 0;
  /// Bytes and relocations (see above); equal hashes mean equal code.
  Hash128 Code;
  /// The symbols its relocations name (functions it calls, data it uses).
  std::vector<std::string> Refs;
};

struct ObjectCode {
  /// Every defined function and data symbol, by name.
  llvm::StringMap<SymbolCode> Symbols;
  /// The STT_FILE name (the source's base name), empty when none.
  std::string FileName;
};

/// Reads a relocatable x86-64 ELF object.
llvm::Expected<ObjectCode> readObjectCode(llvm::StringRef Bytes, llvm::StringRef What);

} // namespace hotast

#endif
