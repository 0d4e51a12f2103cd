//===- PrefixMaps.cpp - Paths that prefix maps rewrite alike in every checkout ===//

#include "hotast/Support/PrefixMaps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include <algorithm>
#include <optional>

namespace hotast {

std::vector<std::string> prefixMapOldPrefixes(llvm::ArrayRef<std::string> Args) {
  std::vector<std::string> Old;
  for (llvm::StringRef A : Args) {
    size_t At = A.find("prefix-map=");
    // -ffile-prefix-map=, -fdebug-prefix-map=, -fmacro-prefix-map=, ...
    if (A.starts_with("-f") && At != llvm::StringRef::npos &&
        !A.take_front(At).contains('/') && !A.take_front(At).contains('='))
      Old.push_back(A.substr(At + 11).split('=').first.str());
  }
  return Old;
}

namespace {

/// The deepest ancestor of the working directory among old prefixes: how
/// many of its components the key holds. None when no old prefix is one.
std::optional<unsigned> ancestorDepth(const PortablePaths &Paths,
                                      llvm::ArrayRef<std::string> OldPrefixes) {
  std::optional<unsigned> Depth;
  for (const std::string &O : OldPrefixes)
    if (auto S = Paths.split(O); S && S->second.empty())
      Depth = std::max(Depth.value_or(0), S->first);
  return Depth;
}

} // namespace

std::string prefixMapKey(const PortablePaths &Paths, llvm::ArrayRef<std::string> OldPrefixes) {
  std::string Key;
  if (auto Depth = ancestorDepth(Paths, OldPrefixes))
    for (unsigned C = *Depth; C >= 1; --C)
      Key += "/" + Paths.cwdComponent(C).str();
  // For an old prefix under the base directory, j up, that is not an
  // ancestor: whether its first component begins the working directory's
  // component j (then it begins paths below that component).
  std::vector<std::string> Sorted(OldPrefixes.begin(), OldPrefixes.end());
  llvm::sort(Sorted);
  for (const std::string &O : Sorted)
    if (auto S = Paths.split(O); S && !S->second.empty() && S->first > 0) {
      llvm::StringRef First = llvm::StringRef(S->second).drop_front();
      bool Begins = !First.contains('/') && Paths.cwdComponent(S->first).starts_with(First);
      Key += std::string("\n") + (Begins ? "1" : "0");
    }
  return Key;
}

std::string unportableRewrite(const PortablePaths &Paths, llvm::StringRef Name,
                              const PrefixMap &Map) {
  auto P = Paths.split(Name);
  if (!P) {
    // Outside the base directory or relative: the same text everywhere,
    // unless a rule maps a path under the base directory into it.
    if (Paths.portable(Name) != Name)
      return Name.str() + " is not a plain path";
    return "";
  }
  std::vector<std::string> Old;
  for (const auto &R : Map)
    Old.push_back(R.first);
  std::optional<unsigned> Depth = ancestorDepth(Paths, Old);
  auto [K, Rest] = *P;
  if (Depth && K == *Depth + 1)
    return Name.str() + " lies next to the deepest directory a prefix map rewrites";
  for (const auto &[From, To] : Map) {
    if (!Name.starts_with(From))
      continue;
    auto O = Paths.split(From);
    if (!O)
      return Name.str() + " is rewritten by a prefix map of a directory above the base directory";
    if (Paths.portable(To) != To)
      return Name.str() + " is rewritten into a path under the base directory";
    auto [J, OldRest] = *O;
    if (J > K && !OldRest.empty())
      return Name.str() + " is rewritten by a prefix map that ends inside a directory name";
    return "";
  }
  return Name.str() + " is not rewritten by any prefix map";
}

} // namespace hotast
