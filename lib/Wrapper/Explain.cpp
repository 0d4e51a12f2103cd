//===- Explain.cpp - Why did this rebuild? --------------------------------===//

#include "hotast/Wrapper/Explain.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

namespace hotast {

std::vector<SnapshotDecl> snapshotOf(const TUFingerprint &FP) {
  std::vector<SnapshotDecl> Out;
  Out.reserve(FP.Closure.size());
  for (const DeclRecord &R : FP.Closure) {
    Hasher H;
    H.add(R.Full).add(R.Layout);
    Out.push_back({R.Key, R.Kind, R.Name, R.File, R.Line, H.final()});
  }
  return Out;
}

static std::string describe(llvm::StringRef What, const SnapshotDecl &D) {
  return (What + " " + D.Kind + " " + D.Name + " (" + D.File + ":" + llvm::Twine(D.Line) + ")")
      .str();
}

std::string explainMiss(const std::vector<SnapshotDecl> &Before,
                        const std::vector<SnapshotDecl> &After, unsigned Max) {
  llvm::StringMap<const SnapshotDecl *> Old, New;
  for (const SnapshotDecl &D : Before)
    Old[D.Key] = &D;
  for (const SnapshotDecl &D : After)
    New[D.Key] = &D;
  std::vector<std::string> Reasons;
  size_t Total = 0;
  auto Note = [&](std::string Text) {
    if (Reasons.size() < Max)
      Reasons.push_back(std::move(Text));
    ++Total;
  };
  for (const SnapshotDecl &D : After) {
    auto It = Old.find(D.Key);
    if (It == Old.end())
      Note(describe("added", D));
    else if (It->second->Hash != D.Hash)
      Note(describe("changed", D));
  }
  for (const SnapshotDecl &D : Before)
    if (!New.count(D.Key))
      Note(describe("removed", D));
  if (Reasons.empty())
    return "no declaration changed: the command, the compiler, a pragma or (with -g and "
           "DWARF 5, whose line tables hold files' checksums) a file's bytes did";
  std::string Out;
  for (const std::string &R : Reasons)
    Out += (Out.empty() ? "" : "; ") + R;
  if (Total > Reasons.size())
    Out += "; and " + std::to_string(Total - Reasons.size()) + " more";
  return Out;
}

} // namespace hotast
