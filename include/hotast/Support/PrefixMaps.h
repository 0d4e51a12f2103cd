//===- PrefixMaps.h - Paths that prefix maps rewrite alike in every checkout -*- C++ -*-===//
//
// -ffile-prefix-map, -fdebug-prefix-map and -fmacro-prefix-map rewrite the
// paths that reach an object (debug info, __FILE__): with them an object
// built with -g, or one naming its files, can be the same in two checkouts
// at different paths. Whether it is depends on more than the portable form
// of the command (PortablePaths), because clang rewrites a path with the
// first rule, in its order, whose old prefix begins the path as a string
// (llvm::sys::path::replace_path_prefix), whole components or not.
//
// Write a path under the base directory as PortablePaths does: the working
// directory's ancestor k components up, then a rest. For a path P (k, p) and
// an old prefix O (j, o) of one checkout, another checkout whose key holds
// the same portable command sees P and O as (k, p) and (j, o) too; only the
// names of its working directory's components may differ. So:
//   - j == k: whether O begins P, and what is left, depend on o and p only;
//   - O an ancestor of the working directory (o empty, j > k): O begins P,
//     and what is left names the working directory's components j..k+1,
//     which the key then holds (prefixMapKey: the last j components);
//   - j > k, o not empty: O begins P only if o is a proper prefix of the
//     working directory's component j (the key holds whether it is), and
//     what is left would name the rest of that component: not portable;
//   - j < k: O begins P only when O is the ancestor k-1 up and p begins
//     with the name of the working directory's component k, which the key
//     holds when some ancestor rule reaches k; beyond it P is not portable.
// A path outside the base directory (or relative) reads the same in every
// checkout and no old prefix under the base directory begins it; a rule
// whose old prefix lies outside the base directory (an ancestor of it) would
// leave a checkout's own components, and a new prefix under the base
// directory is a checkout's own path: both make a path not portable.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_PREFIXMAPS_H
#define HOTAST_SUPPORT_PREFIXMAPS_H

#include "hotast/Support/PortablePaths.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>
#include <utility>
#include <vector>

namespace hotast {

/// old prefix → new prefix, in the order clang tries them.
using PrefixMap = std::vector<std::pair<std::string, std::string>>;

/// The old prefixes of the prefix-map options among a command's arguments
/// (-ffile-prefix-map=OLD=NEW and the like, also after -Xclang), as written.
std::vector<std::string> prefixMapOldPrefixes(llvm::ArrayRef<std::string> Args);

/// What a key must hold, beyond the portable form of the command, for
/// these old prefixes to rewrite paths alike in every checkout it matches
/// (see above). Empty without old prefixes under the base directory.
std::string prefixMapKey(const PortablePaths &Paths, llvm::ArrayRef<std::string> OldPrefixes);

/// Why Name, rewritten by Map, could read otherwise in another checkout
/// whose key (with prefixMapKey of Map's old prefixes) equals this one's;
/// empty when it cannot.
std::string unportableRewrite(const PortablePaths &Paths, llvm::StringRef Name,
                              const PrefixMap &Map);

} // namespace hotast

#endif
