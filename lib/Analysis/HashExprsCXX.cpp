//===- HashExprsCXX.cpp - Hashing C++ expressions -------------------------===//
//
// What C++ expressions hold besides their children: the implicit parts code
// generation acts on (the constructor chosen and its flags, `new` and
// `delete` operators, temporaries, their destructors and cleanups, default
// arguments expanded at the call site), lambdas with their captures, and
// the nodes of templates, hashed by name where nothing is resolved yet.
//
//===----------------------------------------------------------------------===//

#include "StmtHasher.h"

#include "clang/AST/DeclCXX.h"
#include "llvm/Support/SaveAndRestore.h"

using namespace clang;

namespace hotast {

bool StmtHasher::VisitCXXBoolLiteralExpr(const CXXBoolLiteralExpr *E) {
  SH.addBool(E->getValue());
  return true;
}

bool StmtHasher::VisitCXXOperatorCallExpr(const CXXOperatorCallExpr *E) {
  VisitCallExpr(E);
  SH.add(E->getOperator());
  return true;
}

bool StmtHasher::VisitUserDefinedLiteral(const UserDefinedLiteral *E) {
  VisitCallExpr(E);
  SH.add(E->getLiteralOperatorKind());
  return true;
}

// --- Construction, allocation, temporaries.

bool StmtHasher::VisitCXXConstructExpr(const CXXConstructExpr *E) {
  SH.addDeclRef(E->getConstructor());
  SH.addBool(E->isElidable());
  SH.addBool(E->isListInitialization());
  SH.addBool(E->isStdInitListInitialization());
  SH.addBool(E->requiresZeroInitialization());
  SH.add(static_cast<uint64_t>(E->getConstructionKind()));
  if (SH.IRMetadata) {
    SH.addDiagnosedCall(E->getConstructor(), E->getExprLoc());
    SH.addDiagnosedCall(E->getConstructor(), E->getBeginLoc());
  }
  return true;
}

bool StmtHasher::VisitCXXInheritedCtorInitExpr(const CXXInheritedCtorInitExpr *E) {
  SH.addDeclRef(E->getConstructor());
  SH.addBool(E->constructsVBase());
  SH.addBool(E->inheritedFromVBase());
  return true;
}

bool StmtHasher::VisitCXXNewExpr(const CXXNewExpr *E) {
  SH.addDeclRef(E->getOperatorNew());
  SH.addDeclRef(E->getOperatorDelete());
  SH.addType(E->getAllocatedType());
  SH.addBool(E->isArray());
  SH.addBool(E->isGlobalNew());
  SH.addBool(E->passAlignment());
  SH.addBool(E->doesUsualArrayDeleteWantSize());
  SH.add(static_cast<uint64_t>(E->getInitializationStyle()));
  SH.add(E->getNumPlacementArgs());
  return true;
}

bool StmtHasher::VisitCXXDeleteExpr(const CXXDeleteExpr *E) {
  SH.addDeclRef(E->getOperatorDelete());
  SH.addType(E->getDestroyedType());
  SH.addBool(E->isGlobalDelete());
  SH.addBool(E->isArrayForm());
  SH.addBool(E->isArrayFormAsWritten());
  SH.addBool(E->doesUsualArrayDeleteWantSize());
  return true;
}

bool StmtHasher::VisitCXXPseudoDestructorExpr(const CXXPseudoDestructorExpr *E) {
  SH.addBool(E->isArrow());
  SH.addType(E->getDestroyedType());
  return true;
}

bool StmtHasher::VisitCXXDefaultArgExpr(const CXXDefaultArgExpr *E) {
  // The default argument is code at the call site; the unit uses it (the
  // fingerprint then takes its function's Full).
  SH.DefaultArgUses.insert(E->getParam());
  SH.add(E->getParam()->getFunctionScopeIndex());
  llvm::SaveAndRestore Guard(SH.DefaultExprContext,
                             SH.DefaultExprContext ? SH.DefaultExprContext : E);
  SH.addStmt(E->getExpr());
  return false;
}

bool StmtHasher::VisitCXXDefaultInitExpr(const CXXDefaultInitExpr *E) {
  SH.addDeclRef(E->getField());
  llvm::SaveAndRestore Guard(SH.DefaultExprContext,
                             SH.DefaultExprContext ? SH.DefaultExprContext : E);
  SH.addStmt(E->getExpr());
  return false;
}

bool StmtHasher::VisitCXXBindTemporaryExpr(const CXXBindTemporaryExpr *E) {
  SH.addDeclRef(E->getTemporary()->getDestructor());
  return true;
}

bool StmtHasher::VisitExprWithCleanups(const ExprWithCleanups *E) {
  SH.addBool(E->cleanupsHaveSideEffects());
  SH.add(E->getNumObjects());
  return true;
}

bool StmtHasher::VisitMaterializeTemporaryExpr(const MaterializeTemporaryExpr *E) {
  SH.add(E->getStorageDuration());
  SH.addBool(E->isBoundToLvalueReference());
  if (const ValueDecl *Ext = E->getExtendingDecl()) {
    SH.addDeclRef(Ext);
    SH.add(E->getManglingNumber());
  }
  return true;
}

bool StmtHasher::VisitCXXParenListInitExpr(const CXXParenListInitExpr *E) {
  SH.addDeclRef(E->getInitializedFieldInUnion());
  SH.addStmt(E->getArrayFiller());
  return true;
}

// --- Types as operands, traits.

bool StmtHasher::VisitCXXTypeidExpr(const CXXTypeidExpr *E) {
  if (E->isTypeOperand())
    SH.addType(E->getTypeOperandSourceInfo()->getType());
  return true;
}

bool StmtHasher::VisitCXXNoexceptExpr(const CXXNoexceptExpr *E) {
  SH.addBool(E->getValue());
  return true;
}

bool StmtHasher::VisitTypeTraitExpr(const TypeTraitExpr *E) {
  SH.add(E->getTrait());
  for (const TypeSourceInfo *Arg : E->getArgs())
    SH.addType(Arg->getType());
  if (!E->isValueDependent())
    SH.addBool(E->getValue());
  return true;
}

bool StmtHasher::VisitArrayTypeTraitExpr(const ArrayTypeTraitExpr *E) {
  SH.add(E->getTrait());
  SH.addType(E->getQueriedType());
  return true;
}

bool StmtHasher::VisitExpressionTraitExpr(const ExpressionTraitExpr *E) {
  SH.add(E->getTrait());
  return true;
}

bool StmtHasher::VisitLambdaExpr(const LambdaExpr *E) {
  SH.add(E->getCaptureDefault());
  for (const LambdaCapture &C : E->captures()) {
    SH.add(StructuralHasher::TagCapture);
    SH.add(C.getCaptureKind());
    if (C.capturesVariable())
      SH.addDeclRef(C.getCapturedVar());
    SH.addBool(C.isPackExpansion());
  }
  for (const Expr *Init : E->capture_inits())
    SH.addStmt(Init);
  const CXXMethodDecl *Call = E->getCallOperator();
  SH.addTemplateParams(E->getTemplateParameterList());
  SH.addType(Call->getType());
  SH.add(static_cast<uint64_t>(Call->getConstexprKind()));
  for (const ParmVarDecl *P : Call->parameters())
    SH.addLocalDecl(P);
  SH.addAttrs(Call);
  SH.addStmt(Call->getTrailingRequiresClause());
  SH.addStmt(E->getBody());
  return false;
}

// --- Nodes of templates (dependent code).

bool StmtHasher::VisitDependentScopeDeclRefExpr(const DependentScopeDeclRefExpr *E) {
  SH.addNNS(E->getQualifier());
  SH.addName(E->getDeclName());
  SH.noteNameLookedUp(E->getDeclName());
  if (E->hasExplicitTemplateArgs())
    SH.addTemplateArgLocs(E->template_arguments());
  return true;
}

bool StmtHasher::VisitCXXDependentScopeMemberExpr(const CXXDependentScopeMemberExpr *E) {
  SH.addBool(E->isArrow());
  SH.addBool(E->isImplicitAccess());
  SH.addNNS(E->getQualifier());
  SH.addName(E->getMember());
  SH.noteNameLookedUp(E->getMember());
  if (E->hasExplicitTemplateArgs())
    SH.addTemplateArgLocs(E->template_arguments());
  return true;
}

bool StmtHasher::VisitOverloadExpr(const OverloadExpr *E) {
  SH.addNNS(E->getQualifier());
  SH.addName(E->getName());
  SH.noteNameLookedUp(E->getName());
  for (const NamedDecl *D : E->decls())
    SH.addDeclRef(D);
  SH.add(StructuralHasher::TagEnd);
  if (E->hasExplicitTemplateArgs())
    SH.addTemplateArgLocs(E->template_arguments());
  return true;
}

bool StmtHasher::VisitUnresolvedLookupExpr(const UnresolvedLookupExpr *E) {
  VisitOverloadExpr(E);
  SH.addBool(E->requiresADL());
  return true;
}

bool StmtHasher::VisitUnresolvedMemberExpr(const UnresolvedMemberExpr *E) {
  VisitOverloadExpr(E);
  SH.addBool(E->isArrow());
  return true;
}

bool StmtHasher::VisitSubstNonTypeTemplateParmPackExpr(
    const SubstNonTypeTemplateParmPackExpr *E) {
  SH.addTemplateArg(E->getArgumentPack());
  return true;
}

bool StmtHasher::VisitFunctionParmPackExpr(const FunctionParmPackExpr *E) {
  SH.addDeclRef(E->getParameterPack());
  for (const VarDecl *V : *E)
    SH.addDeclRef(V);
  return true;
}

bool StmtHasher::VisitPackExpansionExpr(const PackExpansionExpr *E) {
  SH.add(E->getNumExpansions().value_or(~0u));
  return true;
}

bool StmtHasher::VisitSizeOfPackExpr(const SizeOfPackExpr *E) {
  SH.addDeclRef(E->getPack());
  if (E->isPartiallySubstituted())
    SH.addTemplateArgs(E->getPartialArguments());
  else if (!E->isValueDependent())
    SH.add(E->getPackLength());
  return true;
}

bool StmtHasher::VisitCXXFoldExpr(const CXXFoldExpr *E) {
  SH.add(E->getOperator());
  SH.add(E->getNumExpansions().value_or(~0u));
  return true;
}

bool StmtHasher::VisitConceptSpecializationExpr(const ConceptSpecializationExpr *E) {
  SH.addDeclRef(E->getNamedConcept());
  SH.addTemplateArgs(E->getTemplateArguments());
  if (!E->isValueDependent())
    SH.addBool(E->isSatisfied());
  return true;
}

bool StmtHasher::VisitRequiresExpr(const RequiresExpr *E) {
  for (const ParmVarDecl *P : E->getLocalParameters())
    SH.addLocalDecl(P);
  if (!E->isValueDependent())
    SH.addBool(E->isSatisfied());
  for (const concepts::Requirement *R : E->getRequirements()) {
    SH.add(R->getKind());
    SH.addBool(R->isDependent());
    if (const auto *TR = dyn_cast<concepts::TypeRequirement>(R)) {
      if (!TR->isSubstitutionFailure())
        SH.addType(TR->getType()->getType());
    } else if (const auto *ER = dyn_cast<concepts::ExprRequirement>(R)) {
      if (!ER->isExprSubstitutionFailure())
        SH.addStmt(ER->getExpr());
      SH.addBool(ER->hasNoexceptRequirement());
      const auto &Ret = ER->getReturnTypeRequirement();
      SH.addBool(Ret.isTypeConstraint());
      if (Ret.isTypeConstraint())
        SH.addStmt(Ret.getTypeConstraint()->getImmediatelyDeclaredConstraint());
    } else if (const auto *NR = dyn_cast<concepts::NestedRequirement>(R)) {
      if (!NR->hasInvalidConstraint())
        SH.addStmt(NR->getConstraintExpr());
    }
  }
  SH.add(StructuralHasher::TagEnd);
  return false;
}

} // namespace hotast
