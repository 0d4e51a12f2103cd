//===- AtomicFile.h - Writing a file readers see whole or not at all -*- C++ -*-===//
//
// Every file hotast writes for others to read (objects, blobs, depfiles,
// preambles' records, the remote cache's rest mark) goes through a unique
// temporary beside it and a rename: a reader, or a compile running beside
// this one, sees the old file or the complete new one, never a part.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_ATOMICFILE_H
#define HOTAST_SUPPORT_ATOMICFILE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace hotast {

/// Writes the concatenation of Parts to Path atomically; the temporary is
/// removed on failure.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::ArrayRef<llvm::StringRef> Parts);

inline llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Text) {
  return writeFileAtomically(Path, llvm::ArrayRef<llvm::StringRef>(Text));
}

} // namespace hotast

#endif
