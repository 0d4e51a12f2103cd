//===- HashStmts.cpp - Hashing statements and expressions -----------------===//
//
// Every statement contributes its class, its children in order, and the data
// that is not a child (operators, literal values, referenced declarations,
// implicit-node details). Each expression also contributes its canonical type
// and value kind, which covers implicit conversions chosen by overloading.
// Parentheses are skipped; literals are hashed by value, not spelling.
// Statement classes not listed here are hashed with their printed form as
// well, so an unknown node can make a hash differ but never hide a change.
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "hotast/Support/AsmFiles.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/SaveAndRestore.h"
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
  if (addStmtData(S))
    for (const Stmt *Child : S->children())
      addStmt(Child);
  add(TagEnd);
}

void StructuralHasher::addSourceLocExpr(const Expr *E) {
  // Evaluated the way code generation does: inside a default argument or
  // default member initializer, the location is the use site of the
  // outermost one.
  const auto *SLE = cast<SourceLocExpr>(E);
  SourceLocation Loc = SLE->getLocation();
  const DeclContext *Context = SLE->getParentContext();
  if (const auto *DAE = dyn_cast_or_null<CXXDefaultArgExpr>(DefaultExprContext)) {
    Loc = DAE->getUsedLocation();
    Context = DAE->getUsedContext();
  } else if (const auto *DIE = dyn_cast_or_null<CXXDefaultInitExpr>(DefaultExprContext)) {
    Loc = DIE->getUsedLocation();
    Context = DIE->getUsedContext();
  }
  const SourceManager &SM = Ctx.getSourceManager();
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionRange(Loc).getEnd());
  SourceLocIdentKind Kind = SLE->getIdentKind();
  add(static_cast<uint64_t>(Kind));
  bool All = Kind == SourceLocIdentKind::SourceLocStruct;
  if (All || Kind == SourceLocIdentKind::Line)
    add(P.isValid() ? P.getLine() : 0);
  if (All || Kind == SourceLocIdentKind::Column)
    add(P.isValid() ? P.getColumn() : 0);
  if (All || Kind == SourceLocIdentKind::File || Kind == SourceLocIdentKind::FileName) {
    add(P.isValid() ? P.getFilename() : "");
    PathsReached |= Kind != SourceLocIdentKind::FileName;
    SourceLocationFile |= Kind != SourceLocIdentKind::FileName;
  }
  if (All || Kind == SourceLocIdentKind::Function || Kind == SourceLocIdentKind::FuncSig) {
    const auto *D = dyn_cast_or_null<Decl>(Context);
    add(D ? PredefinedExpr::ComputeName(PredefinedIdentKind::PrettyFunction, D) : "");
  }
}

void StructuralHasher::addLambda(const Expr *E) {
  const auto *L = cast<LambdaExpr>(E);
  add(L->getCaptureDefault());
  for (const LambdaCapture &C : L->captures()) {
    add(TagCapture);
    add(C.getCaptureKind());
    if (C.capturesVariable())
      addDeclRef(C.getCapturedVar());
    addBool(C.isPackExpansion());
  }
  for (const Expr *Init : L->capture_inits())
    addStmt(Init);
  const CXXMethodDecl *Call = L->getCallOperator();
  addTemplateParams(L->getTemplateParameterList());
  addType(Call->getType());
  add(static_cast<uint64_t>(Call->getConstexprKind()));
  for (const ParmVarDecl *P : Call->parameters())
    addLocalDecl(P);
  addAttrs(Call);
  addStmt(Call->getTrailingRequiresClause());
  addStmt(L->getBody());
}

void StructuralHasher::addRequirements(const Expr *E) {
  const auto *RE = cast<RequiresExpr>(E);
  for (const ParmVarDecl *P : RE->getLocalParameters())
    addLocalDecl(P);
  if (!RE->isValueDependent())
    addBool(RE->isSatisfied());
  for (const concepts::Requirement *R : RE->getRequirements()) {
    add(R->getKind());
    addBool(R->isDependent());
    if (const auto *TR = dyn_cast<concepts::TypeRequirement>(R)) {
      if (!TR->isSubstitutionFailure())
        addType(TR->getType()->getType());
    } else if (const auto *ER = dyn_cast<concepts::ExprRequirement>(R)) {
      if (!ER->isExprSubstitutionFailure())
        addStmt(ER->getExpr());
      addBool(ER->hasNoexceptRequirement());
      const auto &Ret = ER->getReturnTypeRequirement();
      addBool(Ret.isTypeConstraint());
      if (Ret.isTypeConstraint())
        addStmt(Ret.getTypeConstraint()->getImmediatelyDeclaredConstraint());
    } else if (const auto *NR = dyn_cast<concepts::NestedRequirement>(R)) {
      if (!NR->hasInvalidConstraint())
        addStmt(NR->getConstraintExpr());
    }
  }
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

bool StructuralHasher::addStmtData(const Stmt *S) {
  switch (S->getStmtClass()) {
  // Statements whose children say everything.
  case Stmt::NullStmtClass:
  case Stmt::ForStmtClass:
  case Stmt::DoStmtClass:
  case Stmt::BreakStmtClass:
  case Stmt::ContinueStmtClass:
  case Stmt::ReturnStmtClass:
  case Stmt::CaseStmtClass:
  case Stmt::DefaultStmtClass:
  case Stmt::IndirectGotoStmtClass:
  case Stmt::CXXTryStmtClass:
  case Stmt::CXXForRangeStmtClass:
  case Stmt::CoroutineBodyStmtClass:
  case Stmt::CoreturnStmtClass:
  case Stmt::ArraySubscriptExprClass:
  case Stmt::MatrixSubscriptExprClass:
  case Stmt::ConditionalOperatorClass:
  case Stmt::BinaryConditionalOperatorClass:
  case Stmt::ImplicitValueInitExprClass:
  case Stmt::NoInitExprClass:
  case Stmt::ParenListExprClass:
  case Stmt::StmtExprClass:
  case Stmt::ChooseExprClass:
  case Stmt::DesignatedInitUpdateExprClass:
  case Stmt::ShuffleVectorExprClass:
  case Stmt::ConvertVectorExprClass:
  case Stmt::CXXThisExprClass:
  case Stmt::CXXThrowExprClass:
  case Stmt::CXXScalarValueInitExprClass:
  case Stmt::CXXStdInitializerListExprClass:
  case Stmt::CXXRewrittenBinaryOperatorClass:
  case Stmt::CXXNullPtrLiteralExprClass:
  case Stmt::GNUNullExprClass:
  case Stmt::ImaginaryLiteralClass:
  case Stmt::PseudoObjectExprClass:
  case Stmt::ArrayInitLoopExprClass:
  case Stmt::ArrayInitIndexExprClass:
  case Stmt::CoawaitExprClass:
  case Stmt::CoyieldExprClass:
  case Stmt::DependentCoawaitExprClass:
  case Stmt::CXXUnresolvedConstructExprClass:
  case Stmt::RecoveryExprClass:
  case Stmt::VAArgExprClass:
    return true;

  case Stmt::CompoundStmtClass: {
    const auto *CS = cast<CompoundStmt>(S);
    addBool(CS->hasStoredFPFeatures());
    if (CS->hasStoredFPFeatures())
      add(CS->getStoredFPFeatures().getAsOpaqueInt());
    // A statement of a block that is no code is left out: a null statement
    // (code generation emits nothing for it, not even a stop point), and
    // without locations an empty block or `(void)0;`. As the body of an if,
    // a loop or a label it is that statement's structure, and stays.
    for (const Stmt *Child : CS->body())
      if (!isNoCode(Child))
        addStmt(Child);
    return false;
  }
  case Stmt::DeclStmtClass:
    for (const Decl *D : cast<DeclStmt>(S)->decls())
      addLocalDecl(D);
    return false;
  case Stmt::IfStmtClass: {
    const auto *If = cast<IfStmt>(S);
    add(static_cast<uint64_t>(If->getStatementKind()));
    return true;
  }
  case Stmt::SwitchStmtClass:
  case Stmt::WhileStmtClass:
    return true;
  case Stmt::LabelStmtClass:
    addLocalDecl(cast<LabelStmt>(S)->getDecl());
    return true;
  case Stmt::GotoStmtClass:
    addDeclRef(cast<GotoStmt>(S)->getLabel());
    return true;
  case Stmt::AddrLabelExprClass:
    addDeclRef(cast<AddrLabelExpr>(S)->getLabel());
    return true;
  case Stmt::AttributedStmtClass:
    for (const Attr *A : cast<AttributedStmt>(S)->getAttrs()) {
      addAttr(A);
      if (const auto *LH = dyn_cast<LoopHintAttr>(A)) {
        add(LH->getOption());
        add(LH->getState());
        addStmt(LH->getValue());
      }
    }
    return true;
  case Stmt::GCCAsmStmtClass: {
    const auto *Asm = cast<GCCAsmStmt>(S);
    addBool(Asm->isVolatile());
    addBool(Asm->isSimple());
    addBool(Asm->isAsmGoto());
    addAsm(Asm->getAsmString()->getBytes());
    add(Asm->getNumOutputs());
    for (unsigned I = 0; I != Asm->getNumOutputs(); ++I) {
      add(Asm->getOutputConstraint(I));
      add(Asm->getOutputName(I));
    }
    add(Asm->getNumInputs());
    for (unsigned I = 0; I != Asm->getNumInputs(); ++I) {
      add(Asm->getInputConstraint(I));
      add(Asm->getInputName(I));
    }
    add(Asm->getNumClobbers());
    for (unsigned I = 0; I != Asm->getNumClobbers(); ++I)
      add(Asm->getClobber(I));
    for (unsigned I = 0; I != Asm->getNumLabels(); ++I)
      addDeclRef(Asm->getLabelExpr(I)->getLabel());
    if (IRMetadata)
      addAsmOffsets(Asm->getAsmString());
    return true;
  }
  case Stmt::MSAsmStmtClass:
    addAsm(cast<MSAsmStmt>(S)->getAsmString());
    if (IRMetadata)
      addRawOffset(cast<MSAsmStmt>(S)->getAsmLoc());
    return true;
  case Stmt::CXXCatchStmtClass: {
    const auto *Catch = cast<CXXCatchStmt>(S);
    addType(Catch->getCaughtType());
    if (const VarDecl *V = Catch->getExceptionDecl())
      addLocalDecl(V);
    else
      add(TagNull);
    addStmt(Catch->getHandlerBlock());
    return false;
  }

  // Literals: by value.
  case Stmt::IntegerLiteralClass: {
    // A literal a builtin macro made (__LINE__, __COUNTER__) or token
    // pasting spelled: its value may be the line it expanded at.
    const SourceManager &SM = Ctx.getSourceManager();
    SourceLocation L = S->getBeginLoc();
    if (L.isMacroID() && SM.isWrittenInScratchSpace(SM.getSpellingLoc(L)))
      lineReached(L);
    addInt(cast<IntegerLiteral>(S)->getValue());
    return true;
  }
  case Stmt::FixedPointLiteralClass:
    addInt(cast<FixedPointLiteral>(S)->getValue());
    return true;
  case Stmt::CharacterLiteralClass:
    add(cast<CharacterLiteral>(S)->getValue());
    add(static_cast<uint64_t>(cast<CharacterLiteral>(S)->getKind()));
    return true;
  case Stmt::FloatingLiteralClass:
    addInt(cast<FloatingLiteral>(S)->getValue().bitcastToAPInt());
    return true;
  case Stmt::StringLiteralClass: {
    const auto *SL = cast<StringLiteral>(S);
    add(static_cast<uint64_t>(SL->getKind()));
    add(SL->getCharByteWidth());
    add(SL->getBytes());
    return true;
  }
  case Stmt::CXXBoolLiteralExprClass:
    addBool(cast<CXXBoolLiteralExpr>(S)->getValue());
    return true;
  case Stmt::PredefinedExprClass: {
    const auto *PE = cast<PredefinedExpr>(S);
    add(static_cast<uint64_t>(PE->getIdentKind()));
    if (const StringLiteral *Name = PE->getFunctionName()) {
      nameReached(Name->getBytes());
      add(Name->getBytes());
    }
    return true;
  }
  case Stmt::SourceLocExprClass:
    addSourceLocExpr(cast<Expr>(S));
    return true;
  case Stmt::EmbedExprClass: {
    const auto *EE = cast<EmbedExpr>(S);
    add(EE->getDataStringLiteral()->getBytes());
    add(EE->getStartingElementPos());
    add(EE->getDataElementCount());
    return true;
  }

  // Operators.
  case Stmt::UnaryOperatorClass: {
    const auto *UO = cast<UnaryOperator>(S);
    add(UO->getOpcode());
    // &(C::m) is a pointer to a member object, &C::m a pointer to member.
    if (UO->getOpcode() == UO_AddrOf)
      addBool(isa<ParenExpr>(UO->getSubExpr()));
    if (UO->hasStoredFPFeatures())
      add(UO->getStoredFPFeatures().getAsOpaqueInt());
    return true;
  }
  case Stmt::BinaryOperatorClass:
  case Stmt::CompoundAssignOperatorClass: {
    const auto *BO = cast<BinaryOperator>(S);
    add(BO->getOpcode());
    if (BO->hasStoredFPFeatures())
      add(BO->getStoredFPFeatures().getAsOpaqueInt());
    if (const auto *CAO = dyn_cast<CompoundAssignOperator>(BO)) {
      addType(CAO->getComputationLHSType());
      addType(CAO->getComputationResultType());
    }
    return true;
  }
  case Stmt::ImplicitCastExprClass:
  case Stmt::CStyleCastExprClass:
  case Stmt::CXXFunctionalCastExprClass:
  case Stmt::CXXStaticCastExprClass:
  case Stmt::CXXDynamicCastExprClass:
  case Stmt::CXXReinterpretCastExprClass:
  case Stmt::CXXConstCastExprClass:
  case Stmt::CXXAddrspaceCastExprClass:
  case Stmt::BuiltinBitCastExprClass: {
    const auto *CE = cast<CastExpr>(S);
    add(CE->getCastKind());
    for (const CXXBaseSpecifier *Base : CE->path())
      addType(Base->getType());
    if (CE->hasStoredFPFeatures())
      add(CE->getStoredFPFeatures().getAsOpaqueInt());
    if (const auto *ECE = dyn_cast<ExplicitCastExpr>(CE))
      addType(ECE->getTypeAsWritten());
    return true;
  }

  // References to declarations.
  case Stmt::DeclRefExprClass: {
    const auto *DRE = cast<DeclRefExpr>(S);
    addDeclRef(DRE->getDecl());
    addBool(DRE->refersToEnclosingVariableOrCapture());
    add(DRE->isNonOdrUse());
    add(DRE->hasExplicitTemplateArgs());
    if (DRE->hasExplicitTemplateArgs())
      addTemplateArgLocs(DRE->template_arguments());
    return true;
  }
  case Stmt::MemberExprClass: {
    const auto *ME = cast<MemberExpr>(S);
    addDeclRef(ME->getMemberDecl());
    addBool(ME->isArrow());
    add(ME->isNonOdrUse());
    if (ME->hasExplicitTemplateArgs())
      addTemplateArgLocs(ME->template_arguments());
    return true;
  }
  case Stmt::CallExprClass:
  case Stmt::CXXMemberCallExprClass:
  case Stmt::CXXOperatorCallExprClass:
  case Stmt::UserDefinedLiteralClass:
  case Stmt::CUDAKernelCallExprClass: {
    const auto *CE = cast<CallExpr>(S);
    addBool(CE->usesADL());
    if (CE->hasStoredFPFeatures())
      add(CE->getStoredFPFeatures().getAsOpaqueInt());
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE))
      add(OC->getOperator());
    if (const auto *UDL = dyn_cast<UserDefinedLiteral>(CE))
      add(UDL->getLiteralOperatorKind());
    if (IRMetadata)
      addDiagnosedCall(CE->getDirectCallee(), CE->getExprLoc());
    return true;
  }
  case Stmt::CXXConstructExprClass:
  case Stmt::CXXTemporaryObjectExprClass: {
    const auto *CE = cast<CXXConstructExpr>(S);
    addDeclRef(CE->getConstructor());
    addBool(CE->isElidable());
    addBool(CE->isListInitialization());
    addBool(CE->isStdInitListInitialization());
    addBool(CE->requiresZeroInitialization());
    add(static_cast<uint64_t>(CE->getConstructionKind()));
    if (IRMetadata) {
      addDiagnosedCall(CE->getConstructor(), CE->getExprLoc());
      addDiagnosedCall(CE->getConstructor(), CE->getBeginLoc());
    }
    return true;
  }
  case Stmt::CXXInheritedCtorInitExprClass: {
    const auto *CE = cast<CXXInheritedCtorInitExpr>(S);
    addDeclRef(CE->getConstructor());
    addBool(CE->constructsVBase());
    addBool(CE->inheritedFromVBase());
    return true;
  }
  case Stmt::CXXNewExprClass: {
    const auto *NE = cast<CXXNewExpr>(S);
    addDeclRef(NE->getOperatorNew());
    addDeclRef(NE->getOperatorDelete());
    addType(NE->getAllocatedType());
    addBool(NE->isArray());
    addBool(NE->isGlobalNew());
    addBool(NE->passAlignment());
    addBool(NE->doesUsualArrayDeleteWantSize());
    add(static_cast<uint64_t>(NE->getInitializationStyle()));
    add(NE->getNumPlacementArgs());
    return true;
  }
  case Stmt::CXXDeleteExprClass: {
    const auto *DE = cast<CXXDeleteExpr>(S);
    addDeclRef(DE->getOperatorDelete());
    addType(DE->getDestroyedType());
    addBool(DE->isGlobalDelete());
    addBool(DE->isArrayForm());
    addBool(DE->isArrayFormAsWritten());
    addBool(DE->doesUsualArrayDeleteWantSize());
    return true;
  }
  case Stmt::CXXPseudoDestructorExprClass: {
    const auto *PD = cast<CXXPseudoDestructorExpr>(S);
    addBool(PD->isArrow());
    addType(PD->getDestroyedType());
    return true;
  }
  case Stmt::CXXDefaultArgExprClass: {
    // The default argument is code at the call site.
    const auto *DAE = cast<CXXDefaultArgExpr>(S);
    add(DAE->getParam()->getFunctionScopeIndex());
    llvm::SaveAndRestore Guard(DefaultExprContext,
                               DefaultExprContext ? DefaultExprContext : DAE);
    addStmt(DAE->getExpr());
    return false;
  }
  case Stmt::CXXDefaultInitExprClass: {
    const auto *DIE = cast<CXXDefaultInitExpr>(S);
    addDeclRef(DIE->getField());
    llvm::SaveAndRestore Guard(DefaultExprContext,
                               DefaultExprContext ? DefaultExprContext : DIE);
    addStmt(DIE->getExpr());
    return false;
  }
  case Stmt::CXXBindTemporaryExprClass:
    addDeclRef(cast<CXXBindTemporaryExpr>(S)->getTemporary()->getDestructor());
    return true;
  case Stmt::ExprWithCleanupsClass: {
    const auto *EWC = cast<ExprWithCleanups>(S);
    addBool(EWC->cleanupsHaveSideEffects());
    add(EWC->getNumObjects());
    return true;
  }
  case Stmt::MaterializeTemporaryExprClass: {
    const auto *MTE = cast<MaterializeTemporaryExpr>(S);
    add(MTE->getStorageDuration());
    addBool(MTE->isBoundToLvalueReference());
    if (const ValueDecl *Ext = MTE->getExtendingDecl()) {
      addDeclRef(Ext);
      add(MTE->getManglingNumber());
    }
    return true;
  }
  case Stmt::ConstantExprClass: {
    const auto *CE = cast<ConstantExpr>(S);
    add(static_cast<uint64_t>(CE->getResultStorageKind()));
    if (CE->hasAPValueResult())
      addAPValue(CE->getAPValueResult());
    return true;
  }
  case Stmt::OpaqueValueExprClass:
    // The source expression is not a child; it is evaluated once.
    addStmt(cast<OpaqueValueExpr>(S)->getSourceExpr());
    return false;
  case Stmt::InitListExprClass: {
    const auto *ILE = cast<InitListExpr>(S);
    addBool(ILE->isSemanticForm());
    addDeclRef(ILE->getInitializedFieldInUnion());
    addStmt(ILE->getArrayFiller());
    return true;
  }
  case Stmt::CXXParenListInitExprClass: {
    const auto *PLI = cast<CXXParenListInitExpr>(S);
    addDeclRef(PLI->getInitializedFieldInUnion());
    addStmt(PLI->getArrayFiller());
    return true;
  }
  case Stmt::DesignatedInitExprClass: {
    const auto *DIE = cast<DesignatedInitExpr>(S);
    for (const DesignatedInitExpr::Designator &D : DIE->designators()) {
      if (D.isFieldDesignator()) {
        if (const FieldDecl *F = D.getFieldDecl())
          addDeclRef(F);
        else
          add(D.getFieldName()->getName());
      } else {
        add(D.isArrayRangeDesignator());
        add(D.getArrayIndex());
      }
    }
    addBool(DIE->usesGNUSyntax());
    return true;
  }
  case Stmt::CompoundLiteralExprClass:
    addBool(cast<CompoundLiteralExpr>(S)->isFileScope());
    return true;
  case Stmt::UnaryExprOrTypeTraitExprClass: {
    const auto *UE = cast<UnaryExprOrTypeTraitExpr>(S);
    add(UE->getKind());
    if (UE->isArgumentType())
      addType(UE->getArgumentType());
    return true;
  }
  case Stmt::OffsetOfExprClass: {
    const auto *OE = cast<OffsetOfExpr>(S);
    addType(OE->getTypeSourceInfo()->getType());
    for (unsigned I = 0; I != OE->getNumComponents(); ++I) {
      const OffsetOfNode &N = OE->getComponent(I);
      add(N.getKind());
      switch (N.getKind()) {
      case OffsetOfNode::Array:
        add(N.getArrayExprIndex());
        break;
      case OffsetOfNode::Field:
        addDeclRef(N.getField());
        break;
      case OffsetOfNode::Identifier:
        add(N.getFieldName()->getName());
        break;
      case OffsetOfNode::Base:
        addType(N.getBase()->getType());
        break;
      }
    }
    return true;
  }
  case Stmt::GenericSelectionExprClass: {
    const auto *GS = cast<GenericSelectionExpr>(S);
    addBool(GS->isResultDependent());
    if (!GS->isResultDependent())
      add(GS->getResultIndex());
    for (const auto Assoc : GS->associations())
      addType(Assoc.getType());
    return true;
  }
  case Stmt::AtomicExprClass:
    add(cast<AtomicExpr>(S)->getOp());
    return true;
  case Stmt::CXXTypeidExprClass: {
    const auto *TE = cast<CXXTypeidExpr>(S);
    if (TE->isTypeOperand())
      addType(TE->getTypeOperandSourceInfo()->getType());
    return true;
  }
  case Stmt::CXXNoexceptExprClass:
    addBool(cast<CXXNoexceptExpr>(S)->getValue());
    return true;
  case Stmt::TypeTraitExprClass: {
    const auto *TT = cast<TypeTraitExpr>(S);
    add(TT->getTrait());
    for (const TypeSourceInfo *Arg : TT->getArgs())
      addType(Arg->getType());
    if (!TT->isValueDependent())
      addBool(TT->getValue());
    return true;
  }
  case Stmt::ArrayTypeTraitExprClass: {
    const auto *AT = cast<ArrayTypeTraitExpr>(S);
    add(AT->getTrait());
    addType(AT->getQueriedType());
    return true;
  }
  case Stmt::ExpressionTraitExprClass:
    add(cast<ExpressionTraitExpr>(S)->getTrait());
    return true;
  case Stmt::LambdaExprClass:
    addLambda(cast<Expr>(S));
    return false;

  // Nodes of templates (dependent code).
  case Stmt::DependentScopeDeclRefExprClass: {
    const auto *DE = cast<DependentScopeDeclRefExpr>(S);
    addNNS(DE->getQualifier());
    addName(DE->getDeclName());
    if (DE->hasExplicitTemplateArgs())
      addTemplateArgLocs(DE->template_arguments());
    return true;
  }
  case Stmt::CXXDependentScopeMemberExprClass: {
    const auto *DE = cast<CXXDependentScopeMemberExpr>(S);
    addBool(DE->isArrow());
    addBool(DE->isImplicitAccess());
    addNNS(DE->getQualifier());
    addName(DE->getMember());
    if (DE->hasExplicitTemplateArgs())
      addTemplateArgLocs(DE->template_arguments());
    return true;
  }
  case Stmt::UnresolvedLookupExprClass:
  case Stmt::UnresolvedMemberExprClass: {
    const auto *OE = cast<OverloadExpr>(S);
    addNNS(OE->getQualifier());
    addName(OE->getName());
    for (const NamedDecl *D : OE->decls())
      addDeclRef(D);
    add(TagEnd);
    if (const auto *ULE = dyn_cast<UnresolvedLookupExpr>(OE))
      addBool(ULE->requiresADL());
    if (const auto *UME = dyn_cast<UnresolvedMemberExpr>(OE))
      addBool(UME->isArrow());
    if (OE->hasExplicitTemplateArgs())
      addTemplateArgLocs(OE->template_arguments());
    return true;
  }
  case Stmt::SubstNonTypeTemplateParmExprClass:
    return true;
  case Stmt::SubstNonTypeTemplateParmPackExprClass:
    addTemplateArg(cast<SubstNonTypeTemplateParmPackExpr>(S)->getArgumentPack());
    return true;
  case Stmt::FunctionParmPackExprClass: {
    const auto *FP = cast<FunctionParmPackExpr>(S);
    addDeclRef(FP->getParameterPack());
    for (const VarDecl *V : *FP)
      addDeclRef(V);
    return true;
  }
  case Stmt::PackExpansionExprClass:
    add(cast<PackExpansionExpr>(S)->getNumExpansions().value_or(~0u));
    return true;
  case Stmt::SizeOfPackExprClass: {
    const auto *SP = cast<SizeOfPackExpr>(S);
    addDeclRef(SP->getPack());
    if (SP->isPartiallySubstituted())
      addTemplateArgs(SP->getPartialArguments());
    else if (!SP->isValueDependent())
      add(SP->getPackLength());
    return true;
  }
  case Stmt::PackIndexingExprClass:
    return true;
  case Stmt::CXXFoldExprClass: {
    const auto *FE = cast<CXXFoldExpr>(S);
    add(FE->getOperator());
    add(FE->getNumExpansions().value_or(~0u));
    return true;
  }
  case Stmt::ConceptSpecializationExprClass: {
    const auto *CS = cast<ConceptSpecializationExpr>(S);
    addDeclRef(CS->getNamedConcept());
    addTemplateArgs(CS->getTemplateArguments());
    if (!CS->isValueDependent())
      addBool(CS->isSatisfied());
    return true;
  }
  case Stmt::RequiresExprClass:
    addRequirements(cast<Expr>(S));
    return false;
  case Stmt::ExtVectorElementExprClass:
    add(cast<ExtVectorElementExpr>(S)->getAccessor().getName());
    return true;
  default:
    break;
  }

  // Unknown to this hasher: class, type and children are hashed by the
  // caller; the printed form covers data that is not a child.
  add(TagFallback);
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  Policy.AnonymousTagLocations = false;
  S->printPretty(OS, nullptr, Policy);
  add(Text);
  return true;
}

void StructuralHasher::addAsm(llvm::StringRef Text) {
  add(Text);
  AsmReadsFiles |= asmMayReadFiles(Text);
}

} // namespace hotast
