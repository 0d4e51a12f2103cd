//===- CacheSize.h - Keeping the local cache under its size limit -*- C++ -*-===//
//
// The store's stored_bytes counter follows what the object cache wrote
// (ObjectCache::takeAddedBytes: new blobs only, of every kind); past the
// limit, least recently used blobs go until a tenth of it is free, and the
// counter is set to what is left. One call at the end of each compile that
// may have stored something (a miss, a remote hit), in either program. The
// counter is written here alone.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_CACHESIZE_H
#define HOTAST_WRAPPER_CACHESIZE_H

#include "hotast/Cache/ObjectCache.h"
#include "hotast/Store/Store.h"
#include "llvm/Support/Error.h"

namespace hotast {

/// Counts what Objects added and evicts when the total passes MaxSize.
llvm::Error keepInSize(Store &S, ObjectCache &Objects, uint64_t MaxSize);

/// Sets stored_bytes to what Objects holds, measured (after the statistics
/// are zeroed, which is no reason to forget the size, and after a clear).
llvm::Error recountStoredBytes(Store &S, const ObjectCache &Objects);

} // namespace hotast

#endif
