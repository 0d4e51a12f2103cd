//===- Render.cpp - Printing a declaration diff ---------------------------===//

#include "hotast/Diff/Render.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

namespace hotast {

static char marker(ChangeKind K) {
  switch (K) {
  case ChangeKind::Added:
    return '+';
  case ChangeKind::Removed:
    return '-';
  default:
    return '~';
  }
}

void renderDiffText(const DiffResult &R, llvm::raw_ostream &OS) {
  for (const DeclChange &C : R.Changes) {
    OS << marker(C.Kind) << ' ' << llvm::left_justify(changeKindName(C.Kind), 9) << ' '
       << llvm::left_justify(C.Decl.Kind, 14) << ' ' << C.Decl.Name << "  " << C.Decl.File
       << ':' << C.Decl.Line << '\n';
  }
  size_t N = R.Changes.size();
  if (N == 0)
    OS << "no semantic changes; ";
  else
    OS << N << (N == 1 ? " change; " : " changes; ");
  OS << R.Unchanged << " unchanged declaration" << (R.Unchanged == 1 ? "" : "s") << '\n';
}

void renderDiffJSON(const DiffResult &R, llvm::raw_ostream &OS) {
  // json::OStream keeps the field order README's `hotast diff` shows (json::Object sorts).
  llvm::json::OStream J(OS);
  J.object([&] {
    J.attribute("version", DiffJSONVersion);
    J.attributeArray("changes", [&] {
      for (const DeclChange &C : R.Changes)
        J.object([&] {
          J.attribute("change", changeKindName(C.Kind));
          J.attribute("kind", C.Decl.Kind);
          J.attribute("name", C.Decl.Name);
          J.attribute("usr", C.Decl.Key);
          J.attribute("file", C.Decl.File);
          J.attribute("line", C.Decl.Line);
        });
    });
    J.attribute("unchanged", R.Unchanged);
  });
  OS << '\n';
}

} // namespace hotast
