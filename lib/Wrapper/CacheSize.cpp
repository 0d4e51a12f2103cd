//===- CacheSize.cpp - Keeping the local cache under its size limit -------===//

#include "hotast/Wrapper/CacheSize.h"

#include "hotast/Wrapper/Config.h"

namespace hotast {

llvm::Error keepInSize(Store &S, ObjectCache &Objects, uint64_t MaxSize) {
  uint64_t Added = Objects.takeAddedBytes();
  if (Added == 0)
    return llvm::Error::success();
  if (llvm::Error E = S.bump(counter::StoredBytes, int64_t(Added)))
    return E;
  auto Counters = S.counters();
  if (!Counters)
    return Counters.takeError();
  int64_t Counted = (*Counters)[counter::StoredBytes];
  if (uint64_t(Counted) <= MaxSize)
    return llvm::Error::success();
  auto Removed = Objects.evictTo(MaxSize / 10 * 9);
  // What is left, measured (other processes add and evict meanwhile).
  llvm::Error Set = S.bump(counter::StoredBytes, int64_t(Objects.totalSize()) - Counted);
  if (!Removed)
    return llvm::joinErrors(Removed.takeError(), std::move(Set));
  return Set;
}

} // namespace hotast
