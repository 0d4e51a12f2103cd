//===- Explain.cpp - Why did this rebuild? --------------------------------===//

#include "hotast/Wrapper/Explain.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

namespace hotast {

std::vector<SnapshotDecl> snapshotOf(const TUFingerprint &FP) {
  std::vector<SnapshotDecl> Out;
  Out.reserve(FP.Closure.size());
  for (const DeclRecord &R : FP.Closure) {
    Hasher H;
    // What the fingerprint took: a miss names what changed there.
    H.add(R.Fingerprinted).add(R.Layout);
    Out.push_back({R.Key, R.Kind, R.Name, R.File, R.Line, H.final(), R.EndLine});
  }
  return Out;
}

static std::string describe(llvm::StringRef What, const SnapshotDecl &D) {
  return (What + " " + D.Kind + " " + D.Name + " (" + D.File + ":" + llvm::Twine(D.Line) + ")")
      .str();
}

MissReasons missReasons(const std::vector<SnapshotDecl> &Before,
                        const std::vector<SnapshotDecl> &After, unsigned Max) {
  // Several records can share a key (an entity's redeclarations, the
  // specializations of one template): a key changed when its records' hashes
  // differ as a whole, whatever their order.
  using Records = std::vector<const SnapshotDecl *>;
  llvm::StringMap<Records> Old, New;
  for (const SnapshotDecl &D : Before)
    Old[D.Key].push_back(&D);
  for (const SnapshotDecl &D : After)
    New[D.Key].push_back(&D);
  auto Hashes = [](const Records &R) {
    std::vector<Hash128> H;
    for (const SnapshotDecl *D : R)
      H.push_back(D->Hash);
    llvm::sort(H);
    return H;
  };
  MissReasons Out;
  auto Note = [&](llvm::StringRef What, const SnapshotDecl &D) {
    if (Out.Shown.size() < Max)
      Out.Shown.push_back(describe(What, D));
    Out.All.push_back({What.str(), &D});
    ++Out.Total;
  };
  // In the order of the current closure, each key once.
  for (const SnapshotDecl &D : After) {
    auto Now = New.find(D.Key);
    if (Now->second.front() != &D)
      continue;
    auto Was = Old.find(D.Key);
    if (Was == Old.end()) {
      Note("added", D);
      continue;
    }
    if (Hashes(Was->second) == Hashes(Now->second))
      continue;
    // Name the record that has no equal among the old ones, if one stands out.
    const SnapshotDecl *Shown = &D;
    for (const SnapshotDecl *R : Now->second)
      if (llvm::none_of(Was->second, [&](const SnapshotDecl *O) { return O->Hash == R->Hash; })) {
        Shown = R;
        break;
      }
    Note("changed", *Shown);
  }
  for (const SnapshotDecl &D : Before)
    if (!New.count(D.Key) && Old.find(D.Key)->second.front() == &D)
      Note("removed", D);
  return Out;
}

std::string explainMiss(const std::vector<SnapshotDecl> &Before,
                        const std::vector<SnapshotDecl> &After, unsigned Max) {
  MissReasons R = missReasons(Before, After, Max);
  if (R.Shown.empty())
    return NoDeclarationChanged;
  std::string Out;
  for (const std::string &Text : R.Shown)
    Out += (Out.empty() ? "" : "; ") + Text;
  if (R.Total > R.Shown.size())
    Out += "; and " + std::to_string(R.Total - R.Shown.size()) + " more";
  return Out;
}

} // namespace hotast
