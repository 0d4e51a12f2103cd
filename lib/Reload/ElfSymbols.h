//===- ElfSymbols.h - Small helpers over LLVM's ELF symbols -----*- C++ -*-===//

#ifndef HOTAST_LIB_RELOAD_ELFSYMBOLS_H
#define HOTAST_LIB_RELOAD_ELFSYMBOLS_H

#include "llvm/Object/ELFObjectFile.h"

namespace hotast {

/// The symbol's st_value (0 when LLVM cannot read it).
inline uint64_t symbolValue(const llvm::object::ELFSymbolRef &S) {
  auto V = S.getValue();
  if (!V) {
    llvm::consumeError(V.takeError());
    return 0;
  }
  return *V;
}

} // namespace hotast

#endif
