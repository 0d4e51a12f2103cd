//===- ProgramImage.h - Where a running program's symbols are ---*- C++ -*-===//
//
// A running program is its executable (and, once patched, the patch
// libraries it loaded). A patch binds to the program's own functions and
// variables by address: the load base plus the symbol's value in the file's
// .symtab. Internal (local) symbols are found through the STT_FILE symbol
// that precedes each object's locals, which holds only the source's base
// name: two sources of one base name that both define a local of one name
// cannot be told apart, and such a lookup fails rather than guess.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_RELOAD_PROGRAMIMAGE_H
#define HOTAST_RELOAD_PROGRAMIMAGE_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace hotast {

struct ImageSymbol {
  /// Run-time address.
  uint64_t Address = 0;
  uint64_t Size = 0;
  bool Function = false;
  bool ThreadLocal = false;
  /// In the executable (functions there can be redirected), not in a patch.
  bool InExecutable = true;
  /// Offset from the executable's load base (executable symbols only).
  uint64_t Offset = 0;
};

class ProgramImage {
public:
  /// Adds the symbols of the ELF file at Path loaded at Base. Executable:
  /// the program itself (its functions can be redirected).
  llvm::Error addFile(llvm::StringRef Path, uint64_t Base, bool Executable);

  enum class Found { Yes, No, Ambiguous };
  /// A global symbol, or (FileName not empty) a local one of the object
  /// whose STT_FILE is FileName.
  Found lookup(llvm::StringRef Name, llvm::StringRef FileName, ImageSymbol &Out) const;
  /// True when some local symbol of FileName's objects starts with Prefix.
  bool hasLocalWithPrefix(llvm::StringRef Prefix, llvm::StringRef FileName) const;

private:
  /// Global (and weak) symbols; a later file does not override an earlier one.
  llvm::StringMap<ImageSymbol> Globals;
  /// Locals: file name -> symbol name -> the definitions (one per object).
  llvm::StringMap<llvm::StringMap<std::vector<ImageSymbol>>> Locals;
};

} // namespace hotast

#endif
