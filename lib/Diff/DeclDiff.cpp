//===- DeclDiff.cpp - Declaration-level comparison ------------------------===//

#include "hotast/Diff/DeclDiff.h"

#include "llvm/ADT/StringMap.h"

namespace hotast {

llvm::StringRef changeKindName(ChangeKind K) {
  switch (K) {
  case ChangeKind::Added:
    return "added";
  case ChangeKind::Removed:
    return "removed";
  case ChangeKind::Signature:
    return "signature";
  case ChangeKind::Body:
    return "body";
  case ChangeKind::Layout:
    return "layout";
  case ChangeKind::Value:
    return "value";
  }
  return "changed";
}

std::optional<ChangeKind> classifyChange(const DeclRecord &Old, const DeclRecord &New) {
  if (Old.Full == New.Full && Old.Layout == New.Layout)
    return std::nullopt;
  switch (New.Class) {
  case DeclClass::Record:
    return Old.Layout != New.Layout ? ChangeKind::Layout : ChangeKind::Signature;
  case DeclClass::Function:
    return Old.Sig != New.Sig ? ChangeKind::Signature : ChangeKind::Body;
  case DeclClass::Variable:
  case DeclClass::Field:
  case DeclClass::Enumerator:
    return Old.Sig != New.Sig ? ChangeKind::Signature : ChangeKind::Value;
  case DeclClass::Enum:
  case DeclClass::Type:
  case DeclClass::Other:
    return ChangeKind::Signature;
  }
  return ChangeKind::Signature;
}

DiffResult diffAnalyses(const TUAnalysis &Old, const TUAnalysis &New, const DiffOptions &Opts) {
  llvm::StringMap<const DeclRecord *> OldByKey, NewByKey;
  for (const DeclRecord &R : Old.Decls)
    OldByKey.try_emplace(R.Key, &R);
  for (const DeclRecord &R : New.Decls)
    NewByKey.try_emplace(R.Key, &R);

  auto Reported = [&](const DeclRecord &R) { return Opts.IncludeHeaders || R.InMainFile; };

  DiffResult Result;
  for (const DeclRecord &N : New.Decls) {
    auto It = OldByKey.find(N.Key);
    if (It == OldByKey.end()) {
      if (Reported(N))
        Result.Changes.push_back({ChangeKind::Added, N});
      continue;
    }
    const DeclRecord &O = *It->second;
    if (!Reported(N) && !Reported(O))
      continue;
    if (std::optional<ChangeKind> K = classifyChange(O, N))
      Result.Changes.push_back({*K, N});
    else
      ++Result.Unchanged;
  }
  for (const DeclRecord &O : Old.Decls)
    if (!NewByKey.count(O.Key) && Reported(O))
      Result.Changes.push_back({ChangeKind::Removed, O});
  return Result;
}

} // namespace hotast
