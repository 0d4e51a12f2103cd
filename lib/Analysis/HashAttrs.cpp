//===- HashAttrs.cpp - Hashing attributes ---------------------------------===//
//
// Attributes whose value changes code or layout are hashed by value,
// including the implicit ones pragmas create (`#pragma pack`, sections,
// visibility); other spelled attributes by their printed form, which
// carries every argument.
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Expr.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hotast {

void StructuralHasher::addAttr(const Attr *A) {
  add(TagAttr);
  add(A->getKind());
  addBool(A->isImplicit());
  // Attributes whose value changes code or layout are hashed by value,
  // including the implicit ones that pragmas create.
  if (const auto *AA = dyn_cast<AlignedAttr>(A)) {
    if (!AA->isAlignmentDependent())
      add(AA->getAlignment(Ctx));
    else if (AA->isAlignmentExpr())
      addStmt(AA->getAlignmentExpr());
    return;
  }
  if (const auto *M = dyn_cast<MaxFieldAlignmentAttr>(A)) {
    add(M->getAlignment());
    return;
  }
  if (const auto *S = dyn_cast<SectionAttr>(A)) {
    add(S->getName());
    return;
  }
  if (const auto *V = dyn_cast<VisibilityAttr>(A)) {
    add(V->getVisibility());
    return;
  }
  if (const auto *V = dyn_cast<TypeVisibilityAttr>(A)) {
    add(V->getVisibility());
    return;
  }
  if (const auto *L = dyn_cast<AsmLabelAttr>(A)) {
    add(L->getLabel());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangBSSSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangDataSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangRodataSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangRelroSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangTextSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *I = dyn_cast<InitPriorityAttr>(A)) {
    add(I->getPriority());
    return;
  }
  // The function a variable's scope calls on exit: its code is the
  // object's as much as a call's (the closure follows the reference).
  if (const auto *C = dyn_cast<CleanupAttr>(A)) {
    addDeclRef(C->getFunctionDecl());
    return;
  }
  if (A->isImplicit())
    return;
  // Spelled attributes: their printed form carries every argument.
  std::string S;
  llvm::raw_string_ostream OS(S);
  A->printPretty(OS, Ctx.getPrintingPolicy());
  add(S);
  noteNamesIn(S);
}

void StructuralHasher::addAttrs(const Decl *D) {
  if (D->hasAttrs())
    for (const Attr *A : D->getAttrs())
      addAttr(A);
  // llvm.global.annotations and llvm.var.annotation carry the file and line
  // of the annotated declaration (CodeGenModule::EmitAnnotateAttr).
  if (IRMetadata && D->hasAttr<AnnotateAttr>())
    addPresumedLine(D->getLocation());
  add(TagEnd);
}

} // namespace hotast
