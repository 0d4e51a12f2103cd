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

#include "hotast/Support/Hash128.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace hotast {

/// Writes the concatenation of Parts to Path atomically; the temporary is
/// removed on failure.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::ArrayRef<llvm::StringRef> Parts);

inline llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Text) {
  return writeFileAtomically(Path, llvm::ArrayRef<llvm::StringRef>(Text));
}

/// The pieces of a content, in order, each valid until the next call; an
/// empty piece ends it, an error stops the write.
using ChunkReader = llvm::function_ref<llvm::Expected<llvm::StringRef>()>;

/// Writes Header and then the pieces Read yields to Path atomically, when
/// they are Size bytes whose XXH3-128 (hashBytes) is Key: true. False when
/// they are not (Path is left as it was); an error when reading or writing
/// failed. For contents streamed through a small buffer, verified as they
/// are written (a blob from the remote cache, or from the local one).
llvm::Expected<bool> writeVerifiedAtomically(llvm::StringRef Path, llvm::StringRef Header,
                                             const Hash128 &Key, uint64_t Size,
                                             ChunkReader Read);

/// Whether the pieces Read yields are Size bytes that hash to Key, read to
/// their end and written nowhere; an error when reading failed.
llvm::Expected<bool> contentHashes(const Hash128 &Key, uint64_t Size, ChunkReader Read);

} // namespace hotast

#endif
