//===- HashExprs.cpp - Hashing C expressions ------------------------------===//
//
// What the expressions C and C++ share hold besides their children:
// literals by value (never spelling), operators, casts with their kind and
// base path, referenced declarations by key, calls, initializer lists and
// designators, and the evaluated value of location builtins. Floating-point
// options stored on an expression are hashed with it.
//
//===----------------------------------------------------------------------===//

#include "StmtHasher.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace hotast {

// --- Literals: by value.

bool StmtHasher::VisitIntegerLiteral(const IntegerLiteral *E) {
  // A literal a builtin macro made (__LINE__, __COUNTER__) or token
  // pasting spelled: its value may be the line it expanded at.
  const SourceManager &SM = SH.Ctx.getSourceManager();
  SourceLocation L = E->getBeginLoc();
  if (L.isMacroID() && SM.isWrittenInScratchSpace(SM.getSpellingLoc(L)))
    SH.lineReached(L);
  SH.addInt(E->getValue());
  return true;
}

bool StmtHasher::VisitFixedPointLiteral(const FixedPointLiteral *E) {
  SH.addInt(E->getValue());
  return true;
}

bool StmtHasher::VisitCharacterLiteral(const CharacterLiteral *E) {
  SH.add(E->getValue());
  SH.add(static_cast<uint64_t>(E->getKind()));
  return true;
}

bool StmtHasher::VisitFloatingLiteral(const FloatingLiteral *E) {
  SH.addInt(E->getValue().bitcastToAPInt());
  return true;
}

bool StmtHasher::VisitStringLiteral(const StringLiteral *E) {
  SH.add(static_cast<uint64_t>(E->getKind()));
  SH.add(E->getCharByteWidth());
  SH.add(E->getBytes());
  return true;
}

bool StmtHasher::VisitPredefinedExpr(const PredefinedExpr *E) {
  SH.add(static_cast<uint64_t>(E->getIdentKind()));
  if (const StringLiteral *Name = E->getFunctionName()) {
    SH.nameReached(Name->getBytes());
    SH.add(Name->getBytes());
    if (SH.RefsOnly)
      SH.PrintedNames.push_back(Name->getBytes().str());
  }
  return true;
}

bool StmtHasher::VisitSourceLocExpr(const SourceLocExpr *E) {
  // Evaluated the way code generation does: inside a default argument or
  // default member initializer, the location is the use site of the
  // outermost one.
  SourceLocation Loc = E->getLocation();
  const DeclContext *Context = E->getParentContext();
  if (const auto *DAE = dyn_cast_or_null<CXXDefaultArgExpr>(SH.DefaultExprContext)) {
    Loc = DAE->getUsedLocation();
    Context = DAE->getUsedContext();
  } else if (const auto *DIE = dyn_cast_or_null<CXXDefaultInitExpr>(SH.DefaultExprContext)) {
    Loc = DIE->getUsedLocation();
    Context = DIE->getUsedContext();
  }
  const SourceManager &SM = SH.Ctx.getSourceManager();
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionRange(Loc).getEnd());
  SourceLocIdentKind Kind = E->getIdentKind();
  SH.add(static_cast<uint64_t>(Kind));
  bool All = Kind == SourceLocIdentKind::SourceLocStruct;
  if (All || Kind == SourceLocIdentKind::Line)
    SH.add(P.isValid() ? P.getLine() : 0);
  if (All || Kind == SourceLocIdentKind::Column)
    SH.add(P.isValid() ? P.getColumn() : 0);
  if (All || Kind == SourceLocIdentKind::File || Kind == SourceLocIdentKind::FileName) {
    SH.add(P.isValid() ? P.getFilename() : "");
    SH.PathsReached |= Kind != SourceLocIdentKind::FileName;
    SH.SourceLocationFile |= Kind != SourceLocIdentKind::FileName;
  }
  if (All || Kind == SourceLocIdentKind::Function || Kind == SourceLocIdentKind::FuncSig) {
    const auto *D = dyn_cast_or_null<Decl>(Context);
    std::string Name = D ? PredefinedExpr::ComputeName(PredefinedIdentKind::PrettyFunction, D) : "";
    SH.nameReached(Name);
    SH.add(Name);
    if (SH.RefsOnly)
      SH.PrintedNames.push_back(std::move(Name));
  }
  return true;
}

bool StmtHasher::VisitEmbedExpr(const EmbedExpr *E) {
  SH.add(E->getDataStringLiteral()->getBytes());
  SH.add(E->getStartingElementPos());
  SH.add(E->getDataElementCount());
  return true;
}

// --- Operators and casts.

bool StmtHasher::VisitUnaryOperator(const UnaryOperator *E) {
  SH.add(E->getOpcode());
  // &(C::m) is a pointer to a member object, &C::m a pointer to member.
  if (E->getOpcode() == UO_AddrOf)
    SH.addBool(isa<ParenExpr>(E->getSubExpr()));
  if (E->hasStoredFPFeatures())
    SH.add(E->getStoredFPFeatures().getAsOpaqueInt());
  return true;
}

bool StmtHasher::VisitBinaryOperator(const BinaryOperator *E) {
  SH.add(E->getOpcode());
  if (E->hasStoredFPFeatures())
    SH.add(E->getStoredFPFeatures().getAsOpaqueInt());
  return true;
}

bool StmtHasher::VisitCompoundAssignOperator(const CompoundAssignOperator *E) {
  VisitBinaryOperator(E);
  SH.addType(E->getComputationLHSType());
  SH.addType(E->getComputationResultType());
  return true;
}

bool StmtHasher::VisitCastExpr(const CastExpr *E) {
  SH.add(E->getCastKind());
  for (const CXXBaseSpecifier *Base : E->path())
    SH.addType(Base->getType());
  if (E->hasStoredFPFeatures())
    SH.add(E->getStoredFPFeatures().getAsOpaqueInt());
  return true;
}

bool StmtHasher::VisitExplicitCastExpr(const ExplicitCastExpr *E) {
  VisitCastExpr(E);
  SH.addType(E->getTypeAsWritten());
  return true;
}

bool StmtHasher::VisitObjCBridgedCastExpr(const ObjCBridgedCastExpr *E) {
  // __bridge, __bridge_transfer and __bridge_retained differ in ownership.
  VisitExplicitCastExpr(E);
  SH.add(E->getBridgeKind());
  return true;
}

// --- References and calls.

bool StmtHasher::VisitDeclRefExpr(const DeclRefExpr *E) {
  SH.addDeclRef(E->getDecl());
  SH.addBool(E->refersToEnclosingVariableOrCapture());
  SH.add(E->isNonOdrUse());
  SH.add(E->hasExplicitTemplateArgs());
  if (E->hasExplicitTemplateArgs())
    SH.addTemplateArgLocs(E->template_arguments());
  return true;
}

bool StmtHasher::VisitMemberExpr(const MemberExpr *E) {
  SH.addDeclRef(E->getMemberDecl());
  SH.addBool(E->isArrow());
  SH.add(E->isNonOdrUse());
  if (E->hasExplicitTemplateArgs())
    SH.addTemplateArgLocs(E->template_arguments());
  return true;
}

bool StmtHasher::VisitCallExpr(const CallExpr *E) {
  SH.addBool(E->usesADL());
  if (E->hasStoredFPFeatures())
    SH.add(E->getStoredFPFeatures().getAsOpaqueInt());
  if (SH.IRMetadata)
    SH.addDiagnosedCall(E->getDirectCallee(), E->getExprLoc());
  return true;
}

bool StmtHasher::VisitAddrLabelExpr(const AddrLabelExpr *E) {
  SH.addDeclRef(E->getLabel());
  return true;
}

bool StmtHasher::VisitConstantExpr(const ConstantExpr *E) {
  SH.add(static_cast<uint64_t>(E->getResultStorageKind()));
  if (E->hasAPValueResult())
    SH.addAPValue(E->getAPValueResult());
  return true;
}

bool StmtHasher::VisitOpaqueValueExpr(const OpaqueValueExpr *E) {
  // The source expression is not a child; it is evaluated once.
  SH.addStmt(E->getSourceExpr());
  return false;
}

// --- Initializers.

bool StmtHasher::VisitInitListExpr(const InitListExpr *E) {
  SH.addBool(E->isSemanticForm());
  SH.addDeclRef(E->getInitializedFieldInUnion());
  SH.addStmt(E->getArrayFiller());
  return true;
}

bool StmtHasher::VisitDesignatedInitExpr(const DesignatedInitExpr *E) {
  for (const DesignatedInitExpr::Designator &D : E->designators()) {
    if (D.isFieldDesignator()) {
      if (const FieldDecl *F = D.getFieldDecl())
        SH.addDeclRef(F);
      else
        SH.add(D.getFieldName()->getName());
    } else {
      SH.add(D.isArrayRangeDesignator());
      SH.add(D.getArrayIndex());
    }
  }
  SH.addBool(E->usesGNUSyntax());
  return true;
}

bool StmtHasher::VisitCompoundLiteralExpr(const CompoundLiteralExpr *E) {
  SH.addBool(E->isFileScope());
  return true;
}

// --- Types as operands, selections, builtins.

bool StmtHasher::VisitUnaryExprOrTypeTraitExpr(const UnaryExprOrTypeTraitExpr *E) {
  SH.add(E->getKind());
  if (E->isArgumentType())
    SH.addType(E->getArgumentType());
  return true;
}

bool StmtHasher::VisitOffsetOfExpr(const OffsetOfExpr *E) {
  SH.addType(E->getTypeSourceInfo()->getType());
  for (unsigned I = 0; I != E->getNumComponents(); ++I) {
    const OffsetOfNode &N = E->getComponent(I);
    SH.add(N.getKind());
    switch (N.getKind()) {
    case OffsetOfNode::Array:
      SH.add(N.getArrayExprIndex());
      break;
    case OffsetOfNode::Field:
      SH.addDeclRef(N.getField());
      break;
    case OffsetOfNode::Identifier:
      SH.add(N.getFieldName()->getName());
      break;
    case OffsetOfNode::Base:
      SH.addType(N.getBase()->getType());
      break;
    }
  }
  return true;
}

bool StmtHasher::VisitGenericSelectionExpr(const GenericSelectionExpr *E) {
  SH.addBool(E->isResultDependent());
  if (!E->isResultDependent())
    SH.add(E->getResultIndex());
  for (const auto Assoc : E->associations())
    SH.addType(Assoc.getType());
  return true;
}

bool StmtHasher::VisitAtomicExpr(const AtomicExpr *E) {
  SH.add(E->getOp());
  return true;
}

bool StmtHasher::VisitExtVectorElementExpr(const ExtVectorElementExpr *E) {
  SH.add(E->getAccessor().getName());
  return true;
}

} // namespace hotast
