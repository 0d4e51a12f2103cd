//===- PlanEntries.cpp - The direct-mode entries plan reads ---------------===//
//
// A key keeps an entry for each state of the headers its source read, up
// to sixteen, and after an edit of a header every one of them has a stamp
// that no longer matches. `hotast plan` reads the entries of a whole build
// at once: MatchFilter tells the store which stamps can still match, so
// that it decodes only the entries inspect may take, whatever the number
// of the others.
//
//===----------------------------------------------------------------------===//

#include "PlanInternal.h"

namespace hotast {
namespace plan {

void MatchFilter::add(const UnitCommand &U, llvm::StringRef Dir) {
  Hash128 Hash = CodeLinesNow::commandShape(U.Cl.Command, U.Keys->Cwd, U.Expanded);
  const Shape *S = &Shapes.try_emplace(Hash, Shape{Hash, &U, Dir.str()}).first->second;
  const Shape *&Of = SaltShapes.try_emplace(U.Keys->Salt, S).first->second;
  if (Of != S)
    Of = nullptr;
  Salts[U.Keys->Direct] = U.Keys->Salt;
}

bool MatchFilter::mayMatch(const Hash128 &DirectKey, const FileStamp &F) {
  if (LastKey != DirectKey) {
    LastKey = DirectKey;
    auto It = Salts.find(DirectKey);
    Last = It == Salts.end() ? nullptr : SaltShapes[It->second];
  }
  if (!Last)
    return true;
  auto [It, New] = Verdicts.try_emplace({Last, &F}, true);
  if (New)
    It->second = asItWas(*Last, F);
  return It->second;
}

bool MatchFilter::asItWas(const Shape &S, const FileStamp &F) {
  // In the compile's directory, as inspect asks (a stamp's path may be
  // relative).
  if (In.enter(S.Dir))
    return true;
  return B.matches(F) ||
         (!F.Code.isZero() && B.Code.of(S.Hash, S.U->Expanded, F.Path, F.CodeFixedLines,
                                        F.CodeLeftOut) == F.Code);
}

} // namespace plan
} // namespace hotast
