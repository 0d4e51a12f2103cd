//===- HashStmts.cpp - Hashing statements ---------------------------------===//
//
// Every statement contributes its class, the data that is not a child
// (StmtHasher, one method per node class) and its children in order. Each
// expression also contributes its canonical type and value kind, which
// covers implicit conversions chosen by overloading. Parentheses are
// skipped. A statement class no method covers is hashed with its printed
// form as well, so an unknown node can make a hash differ but never hide a
// change.
//
//===----------------------------------------------------------------------===//

#include "StmtHasher.h"

#include "hotast/Support/AsmFiles.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hotast {

void StructuralHasher::addStmt(const Stmt *S) {
  // Redundant parentheses are spelling, not structure.
  while (const auto *P = dyn_cast_or_null<ParenExpr>(S))
    S = P->getSubExpr();
  if (!S) {
    add(TagNull);
    return;
  }
  add(S->getStmtClass());
  if (Debug) {
    addLoc(S->getBeginLoc());
    addLoc(S->getEndLoc());
  }
  if (const auto *E = dyn_cast<Expr>(S)) {
    addType(E->getType());
    add(E->getValueKind());
    add(E->getObjectKind());
    if (Debug)
      addLoc(E->getExprLoc());
  }
  if (StmtHasher(*this).Visit(S))
    for (const Stmt *Child : S->children())
      addStmt(Child);
  add(TagEnd);
}

bool StructuralHasher::isNoCode(const Stmt *S) const {
  if (isa<NullStmt>(S))
    return true;
  if (Debug)
    return false;
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return !CS->hasStoredFPFeatures() &&
           llvm::all_of(CS->body(), [&](const Stmt *C) { return isNoCode(C); });
  const auto *E = dyn_cast<Expr>(S);
  if (!E)
    return false;
  // `(void)0;`: a literal cast to void. A bare literal is not enough: the
  // last statement of a statement expression (`({ f(); 5; })`) is its value.
  bool Void = false;
  while (true) {
    E = E->IgnoreParens();
    const auto *Cast = dyn_cast<CastExpr>(E);
    if (!Cast || Cast->getCastKind() != CK_ToVoid)
      break;
    Void = true;
    E = Cast->getSubExpr();
  }
  return Void && isa<IntegerLiteral>(E);
}

void StructuralHasher::addAsm(llvm::StringRef Text) {
  add(Text);
  AsmReadsFiles |= asmMayReadFiles(Text);
}

bool StmtHasher::VisitStmt(const Stmt *S) {
  // Unknown to this hasher: class, type and children are hashed by the
  // caller; the printed form covers data that is not a child.
  SH.add(StructuralHasher::TagFallback);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  PrintingPolicy Policy = SH.Ctx.getPrintingPolicy();
  Policy.AnonymousTagLocations = false;
  S->printPretty(OS, nullptr, Policy);
  SH.add(Text);
  SH.noteNamesIn(Text);
  return true;
}

bool StmtHasher::VisitCompoundStmt(const CompoundStmt *S) {
  SH.addBool(S->hasStoredFPFeatures());
  if (S->hasStoredFPFeatures())
    SH.add(S->getStoredFPFeatures().getAsOpaqueInt());
  // A statement of a block that is no code is left out: a null statement
  // (code generation emits nothing for it, not even a stop point), and
  // without locations an empty block or `(void)0;`. As the body of an if,
  // a loop or a label it is that statement's structure, and stays.
  for (const Stmt *Child : S->body())
    if (!SH.isNoCode(Child))
      SH.addStmt(Child);
  return false;
}

bool StmtHasher::VisitDeclStmt(const DeclStmt *S) {
  for (const Decl *D : S->decls())
    SH.addLocalDecl(D);
  return false;
}

bool StmtHasher::VisitIfStmt(const IfStmt *S) {
  SH.add(static_cast<uint64_t>(S->getStatementKind()));
  return true;
}

bool StmtHasher::VisitLabelStmt(const LabelStmt *S) {
  SH.addLocalDecl(S->getDecl());
  return true;
}

bool StmtHasher::VisitGotoStmt(const GotoStmt *S) {
  SH.addDeclRef(S->getLabel());
  return true;
}

bool StmtHasher::VisitAttributedStmt(const AttributedStmt *S) {
  for (const Attr *A : S->getAttrs()) {
    SH.addAttr(A);
    if (const auto *LH = dyn_cast<LoopHintAttr>(A)) {
      SH.add(LH->getOption());
      SH.add(LH->getState());
      SH.addStmt(LH->getValue());
    }
  }
  return true;
}

bool StmtHasher::VisitGCCAsmStmt(const GCCAsmStmt *S) {
  SH.addBool(S->isVolatile());
  SH.addBool(S->isSimple());
  SH.addBool(S->isAsmGoto());
  SH.addAsm(S->getAsmString()->getBytes());
  SH.add(S->getNumOutputs());
  for (unsigned I = 0; I != S->getNumOutputs(); ++I) {
    SH.add(S->getOutputConstraint(I));
    SH.add(S->getOutputName(I));
  }
  SH.add(S->getNumInputs());
  for (unsigned I = 0; I != S->getNumInputs(); ++I) {
    SH.add(S->getInputConstraint(I));
    SH.add(S->getInputName(I));
  }
  SH.add(S->getNumClobbers());
  for (unsigned I = 0; I != S->getNumClobbers(); ++I)
    SH.add(S->getClobber(I));
  for (unsigned I = 0; I != S->getNumLabels(); ++I)
    SH.addDeclRef(S->getLabelExpr(I)->getLabel());
  if (SH.IRMetadata)
    SH.addAsmOffsets(S->getAsmString());
  return true;
}

bool StmtHasher::VisitMSAsmStmt(const MSAsmStmt *S) {
  SH.addAsm(S->getAsmString());
  if (SH.IRMetadata)
    SH.addRawOffset(S->getAsmLoc());
  return true;
}

bool StmtHasher::VisitCXXCatchStmt(const CXXCatchStmt *S) {
  SH.addType(S->getCaughtType());
  if (const VarDecl *V = S->getExceptionDecl())
    SH.addLocalDecl(V);
  else
    SH.add(StructuralHasher::TagNull);
  SH.addStmt(S->getHandlerBlock());
  return false;
}

} // namespace hotast
