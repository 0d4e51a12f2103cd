//===- PatchLink.h - The patch's objects to a shared library ----*- C++ -*-===//

#ifndef HOTAST_LIB_RELOAD_PATCHLINK_H
#define HOTAST_LIB_RELOAD_PATCHLINK_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace hotast {

/// Links Inputs (the patch's PIC objects and its linker script of
/// bindings) into the shared library Output with lld's ELF linker, in this
/// process. The patch links by itself: its undefined symbols are the
/// program's (bound by the dynamic loader) and it defines its own
/// __dso_handle, so no start files or libraries are needed. The error
/// carries lld's diagnostics.
llvm::Error linkPatch(llvm::ArrayRef<std::string> Inputs, llvm::StringRef Output);

} // namespace hotast

#endif
