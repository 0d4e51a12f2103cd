//===- ReloadVerdicts.cpp - What a changed declaration allows -------------===//
//
// The declarations of each changed unit compared with the base's records:
// a verdict on each change (patch, warn or refuse, with the reason), and
// for a function whose signature changed, the callers the patch would
// leave behind.
//
//===----------------------------------------------------------------------===//

#include "ReloadInternal.h"

#include "hotast/Analysis/DeclRecordIO.h"
#include "hotast/Diff/DeclDiff.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

namespace hotast {
namespace reloader {

void Reloader::declVerdicts(Compiled &C) {
  auto OldRecords = parseRecords(C.U->Record.Decls);
  if (!OldRecords) {
    Refusals.push_back(C.U->ObjectPath + ": " + llvm::toString(OldRecords.takeError()));
    return;
  }
  TUAnalysis Old, New;
  Old.Decls = std::move(*OldRecords);
  New.Decls = C.C->records();
  DiffResult D = diffAnalyses(Old, New, DiffOptions{/*IncludeHeaders=*/true});
  // Several records can share a key (the specializations of a template):
  // a key changed when its records differ as a whole, in whatever order.
  auto Whole = [](const std::vector<DeclRecord> &Records) {
    std::map<std::string, std::vector<std::string>> ByKey;
    for (const DeclRecord &R : Records)
      ByKey[R.Key].push_back(R.Sig.toHex() + R.Full.toHex() + R.Layout.toHex());
    for (auto &E : ByKey)
      llvm::sort(E.second);
    return ByKey;
  };
  auto OldWhole = Whole(Old.Decls), NewWhole = Whole(New.Decls);
  // System headers are not the user's edit; what changes there (a
  // template used for the first time) shows in the code compared below.
  // A declaration added or removed is reported only in a file that
  // changed: a parse with a preamble records only what the unit's code
  // uses of the preamble's headers, so elsewhere absence says nothing.
  llvm::StringSet<> Changed;
  for (const std::string &F : C.U->ChangedFiles)
    Changed.insert(F);
  llvm::erase_if(D.Changes, [&](const DeclChange &Ch) {
    if (C.C->isSystemFile(Ch.Decl.File))
      return true;
    if ((Ch.Kind == ChangeKind::Added || Ch.Kind == ChangeKind::Removed) &&
        !Changed.count(absolutePath(Ch.Decl.File, C.U->Record.WorkingDir)))
      return true;
    auto O = OldWhole.find(Ch.Decl.Key), N = NewWhole.find(Ch.Decl.Key);
    return O != OldWhole.end() && N != NewWhole.end() && O->second == N->second;
  });
  const auto &Symbols = C.C->symbols();
  for (const DeclChange &Ch : D.Changes) {
    const DeclRecord &R = Ch.Decl;
    llvm::json::Object J{{"key", R.Key},   {"kind", R.Kind},
                         {"name", R.Name}, {"file", R.File},
                         {"line", R.Line}, {"change", changeKindName(Ch.Kind)}};
    std::vector<std::string> Syms;
    if (auto It = Symbols.find(R.Key); It != Symbols.end())
      Syms = It->second;
    J["symbols"] = llvm::json::Array(Syms);
    std::string Verdict = "patch", Reason;
    switch (Ch.Kind) {
    case ChangeKind::Layout: {
      Verdict = "refuse";
      // What changed in it, when the fields say: "2 fields added".
      unsigned Added = 0, Removed = 0, Retyped = 0;
      std::string Prefix = R.Name + "::";
      for (const DeclChange &F : D.Changes)
        if (F.Decl.Class == DeclClass::Field && llvm::StringRef(F.Decl.Name).starts_with(Prefix))
          (F.Kind == ChangeKind::Added     ? Added
           : F.Kind == ChangeKind::Removed ? Removed
                                           : Retyped)++;
      std::vector<std::string> Parts;
      auto Count = [&](unsigned N, const char *What) {
        if (N)
          Parts.push_back(std::to_string(N) + (N == 1 ? " field " : " fields ") + What);
      };
      Count(Added, "added");
      Count(Removed, "removed");
      Count(Retyped, "changed");
      Reason = "layout of " + R.Kind + " " + R.Name + " changed" +
               (Parts.empty() ? std::string(" (size, alignment or member offsets)")
                              : ": " + llvm::join(Parts, ", ")) +
               "; objects that exist have the old layout";
      break;
    }
    case ChangeKind::Signature:
      if (R.Class == DeclClass::Variable || R.Class == DeclClass::Field) {
        Verdict = "refuse";
        Reason = "type of " + R.Kind + " " + R.Name + " changed";
      } else if (R.Class == DeclClass::Function) {
        std::vector<std::string> Outside = outsideCallers(C, Syms);
        if (!Outside.empty()) {
          Verdict = "refuse";
          Reason = "signature of " + R.Name + " changed and it has callers outside the patch (" +
                   llvm::join(Outside, ", ") + ")";
        }
      }
      break;
    case ChangeKind::Value:
      if (R.Class == DeclClass::Variable) {
        Verdict = "warn";
        Reason = "initial value of " + R.Name +
                 " changed: the running program keeps its current value";
      }
      break;
    default:
      break;
    }
    J["verdict"] = Verdict;
    if (!Reason.empty()) {
      J["reason"] = Reason;
      (Verdict == "refuse" ? Refusals : Warnings).push_back(Reason);
    }
    DeclsJson.push_back(std::move(J));
  }
}

/// Functions outside the patch that call one of Symbols: in this unit's
/// code that stays, or in the program's other objects.
std::vector<std::string> Reloader::outsideCallers(const Compiled &C, llvm::ArrayRef<std::string> Symbols) {
  std::vector<std::string> Out;
  auto Scan = [&](const ObjectCode &Code, llvm::function_ref<bool(llvm::StringRef)> Stays) {
    for (const auto &E : Code.Symbols) {
      if (!E.getValue().Function || !Stays(E.getKey()))
        continue;
      for (const std::string &S : Symbols)
        if (llvm::is_contained(E.getValue().Refs, S) && !llvm::is_contained(Out, E.getKey().str()))
          Out.push_back(E.getKey().str());
    }
  };
  Scan(C.Old, [&](llvm::StringRef F) { return !C.Opts.Changed.count(F) && !llvm::is_contained(Symbols, F.str()); });
  for (const Unit &U : Units) {
    if (&U == C.U || llvm::any_of(Changed, [&](const Unit *X) { return X == &U; }))
      continue;
    auto Bytes = Cache->get(U.Code);
    if (!Bytes) {
      llvm::consumeError(Bytes.takeError());
      continue;
    }
    auto Code = readObjectCode(*Bytes, U.ObjectPath);
    if (!Code) {
      llvm::consumeError(Code.takeError());
      continue;
    }
    Scan(*Code, [](llvm::StringRef) { return true; });
  }
  return Out;
}

} // namespace reloader
} // namespace hotast
