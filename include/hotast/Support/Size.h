//===- Size.h - Sizes as people write them ----------------------*- C++ -*-===//
//
// "5G", "500M", "100k", "1.5G" or a number of bytes: the cache's size limit
// (HOTAST_MAXSIZE, max_size), as ccache spells it.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_SIZE_H
#define HOTAST_SUPPORT_SIZE_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace hotast {

/// The bytes Text names; 0 when it is malformed. Every suffix is binary.
uint64_t parseSize(llvm::StringRef Text);

} // namespace hotast

#endif
