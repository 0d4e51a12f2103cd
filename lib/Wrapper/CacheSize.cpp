//===- CacheSize.cpp - Keeping the local cache under its size limit -------===//

#include "hotast/Wrapper/CacheSize.h"

#include "hotast/Wrapper/Config.h"

namespace hotast {

/// Moves the counter, at Counted, to what Objects holds now (other
/// processes add and evict meanwhile).
static llvm::Error setToMeasured(Store &S, const ObjectCache &Objects, int64_t Counted) {
  return S.bump(counter::StoredBytes, int64_t(Objects.totalSize()) - Counted);
}

llvm::Error recountStoredBytes(Store &S, const ObjectCache &Objects) {
  auto Counters = S.counters();
  if (!Counters)
    return Counters.takeError();
  return setToMeasured(S, Objects, (*Counters)[counter::StoredBytes]);
}

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
  llvm::Error Set = setToMeasured(S, Objects, Counted);
  if (!Removed)
    return llvm::joinErrors(Removed.takeError(), std::move(Set));
  return Set;
}

} // namespace hotast
