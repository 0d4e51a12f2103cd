//===- StmtHasher.h - What a statement holds besides its children -*- C++ -*-===//
//
// StructuralHasher::addStmt hashes every statement's class, type and value
// kind; StmtHasher adds the data that is not a child (operators, literal
// values, referenced declarations, implicit-node details), one Visit method
// per node class. A class without its own method reaches its base class's
// (every cast VisitCastExpr, every call VisitCallExpr), so a class new in a
// Clang release is hashed by what it shares with its base. Only a class no
// method covers, up to Stmt, is hashed by its printed form (VisitStmt): it
// can make a hash differ, never hide a change.
//
// Each method returns whether addStmt should hash the node's children after
// it; one that hashes a selection of them itself returns false.
//
// The methods are defined by what they hash: HashStmts.cpp (statements),
// HashExprs.cpp (C expressions), HashExprsCXX.cpp (C++ and template ones).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_ANALYSIS_STMTHASHER_H
#define HOTAST_LIB_ANALYSIS_STMTHASHER_H

#include "StructuralHasher.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/ExprObjC.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/StmtVisitor.h"

namespace hotast {

class StmtHasher : public clang::ConstStmtVisitor<StmtHasher, bool> {
public:
  explicit StmtHasher(StructuralHasher &SH) : SH(SH) {}

  /// No method for S's class or any of its bases: the printed form.
  bool VisitStmt(const clang::Stmt *S);

  // --- HashStmts.cpp
  bool VisitCompoundStmt(const clang::CompoundStmt *S);
  bool VisitDeclStmt(const clang::DeclStmt *S);
  bool VisitIfStmt(const clang::IfStmt *S);
  bool VisitLabelStmt(const clang::LabelStmt *S);
  bool VisitGotoStmt(const clang::GotoStmt *S);
  bool VisitAttributedStmt(const clang::AttributedStmt *S);
  bool VisitGCCAsmStmt(const clang::GCCAsmStmt *S);
  bool VisitMSAsmStmt(const clang::MSAsmStmt *S);
  bool VisitCXXCatchStmt(const clang::CXXCatchStmt *S);
  // Their class and children say everything.
  bool VisitNullStmt(const clang::NullStmt *) { return true; }
  bool VisitSwitchStmt(const clang::SwitchStmt *) { return true; }
  bool VisitSwitchCase(const clang::SwitchCase *) { return true; }
  bool VisitWhileStmt(const clang::WhileStmt *) { return true; }
  bool VisitDoStmt(const clang::DoStmt *) { return true; }
  bool VisitForStmt(const clang::ForStmt *) { return true; }
  bool VisitBreakStmt(const clang::BreakStmt *) { return true; }
  bool VisitContinueStmt(const clang::ContinueStmt *) { return true; }
  bool VisitReturnStmt(const clang::ReturnStmt *) { return true; }
  bool VisitIndirectGotoStmt(const clang::IndirectGotoStmt *) { return true; }
  bool VisitCXXTryStmt(const clang::CXXTryStmt *) { return true; }
  bool VisitCXXForRangeStmt(const clang::CXXForRangeStmt *) { return true; }
  bool VisitCoroutineBodyStmt(const clang::CoroutineBodyStmt *) { return true; }
  bool VisitCoreturnStmt(const clang::CoreturnStmt *) { return true; }

  // --- HashExprs.cpp
  bool VisitIntegerLiteral(const clang::IntegerLiteral *E);
  bool VisitFixedPointLiteral(const clang::FixedPointLiteral *E);
  bool VisitCharacterLiteral(const clang::CharacterLiteral *E);
  bool VisitFloatingLiteral(const clang::FloatingLiteral *E);
  bool VisitStringLiteral(const clang::StringLiteral *E);
  bool VisitPredefinedExpr(const clang::PredefinedExpr *E);
  bool VisitSourceLocExpr(const clang::SourceLocExpr *E);
  bool VisitEmbedExpr(const clang::EmbedExpr *E);
  bool VisitUnaryOperator(const clang::UnaryOperator *E);
  bool VisitBinaryOperator(const clang::BinaryOperator *E);
  bool VisitCompoundAssignOperator(const clang::CompoundAssignOperator *E);
  bool VisitCastExpr(const clang::CastExpr *E);
  bool VisitExplicitCastExpr(const clang::ExplicitCastExpr *E);
  bool VisitObjCBridgedCastExpr(const clang::ObjCBridgedCastExpr *E);
  bool VisitDeclRefExpr(const clang::DeclRefExpr *E);
  bool VisitMemberExpr(const clang::MemberExpr *E);
  bool VisitCallExpr(const clang::CallExpr *E);
  bool VisitAddrLabelExpr(const clang::AddrLabelExpr *E);
  bool VisitConstantExpr(const clang::ConstantExpr *E);
  bool VisitOpaqueValueExpr(const clang::OpaqueValueExpr *E);
  bool VisitInitListExpr(const clang::InitListExpr *E);
  bool VisitDesignatedInitExpr(const clang::DesignatedInitExpr *E);
  bool VisitCompoundLiteralExpr(const clang::CompoundLiteralExpr *E);
  bool VisitUnaryExprOrTypeTraitExpr(const clang::UnaryExprOrTypeTraitExpr *E);
  bool VisitOffsetOfExpr(const clang::OffsetOfExpr *E);
  bool VisitGenericSelectionExpr(const clang::GenericSelectionExpr *E);
  bool VisitAtomicExpr(const clang::AtomicExpr *E);
  bool VisitExtVectorElementExpr(const clang::ExtVectorElementExpr *E);
  // Their class, type and children say everything.
  bool VisitArraySubscriptExpr(const clang::ArraySubscriptExpr *) { return true; }
  bool VisitMatrixSubscriptExpr(const clang::MatrixSubscriptExpr *) { return true; }
  bool VisitAbstractConditionalOperator(const clang::AbstractConditionalOperator *) {
    return true;
  }
  bool VisitImaginaryLiteral(const clang::ImaginaryLiteral *) { return true; }
  bool VisitGNUNullExpr(const clang::GNUNullExpr *) { return true; }
  bool VisitImplicitValueInitExpr(const clang::ImplicitValueInitExpr *) { return true; }
  bool VisitNoInitExpr(const clang::NoInitExpr *) { return true; }
  bool VisitParenListExpr(const clang::ParenListExpr *) { return true; }
  bool VisitStmtExpr(const clang::StmtExpr *) { return true; }
  bool VisitChooseExpr(const clang::ChooseExpr *) { return true; }
  bool VisitDesignatedInitUpdateExpr(const clang::DesignatedInitUpdateExpr *) { return true; }
  bool VisitShuffleVectorExpr(const clang::ShuffleVectorExpr *) { return true; }
  bool VisitConvertVectorExpr(const clang::ConvertVectorExpr *) { return true; }
  bool VisitPseudoObjectExpr(const clang::PseudoObjectExpr *) { return true; }
  bool VisitArrayInitLoopExpr(const clang::ArrayInitLoopExpr *) { return true; }
  bool VisitArrayInitIndexExpr(const clang::ArrayInitIndexExpr *) { return true; }
  bool VisitRecoveryExpr(const clang::RecoveryExpr *) { return true; }
  bool VisitVAArgExpr(const clang::VAArgExpr *) { return true; }

  // --- HashExprsCXX.cpp
  bool VisitCXXBoolLiteralExpr(const clang::CXXBoolLiteralExpr *E);
  bool VisitCXXOperatorCallExpr(const clang::CXXOperatorCallExpr *E);
  bool VisitUserDefinedLiteral(const clang::UserDefinedLiteral *E);
  bool VisitCXXConstructExpr(const clang::CXXConstructExpr *E);
  bool VisitCXXInheritedCtorInitExpr(const clang::CXXInheritedCtorInitExpr *E);
  bool VisitCXXNewExpr(const clang::CXXNewExpr *E);
  bool VisitCXXDeleteExpr(const clang::CXXDeleteExpr *E);
  bool VisitCXXPseudoDestructorExpr(const clang::CXXPseudoDestructorExpr *E);
  bool VisitCXXDefaultArgExpr(const clang::CXXDefaultArgExpr *E);
  bool VisitCXXDefaultInitExpr(const clang::CXXDefaultInitExpr *E);
  bool VisitCXXBindTemporaryExpr(const clang::CXXBindTemporaryExpr *E);
  bool VisitExprWithCleanups(const clang::ExprWithCleanups *E);
  bool VisitMaterializeTemporaryExpr(const clang::MaterializeTemporaryExpr *E);
  bool VisitCXXParenListInitExpr(const clang::CXXParenListInitExpr *E);
  bool VisitCXXTypeidExpr(const clang::CXXTypeidExpr *E);
  bool VisitCXXNoexceptExpr(const clang::CXXNoexceptExpr *E);
  bool VisitTypeTraitExpr(const clang::TypeTraitExpr *E);
  bool VisitArrayTypeTraitExpr(const clang::ArrayTypeTraitExpr *E);
  bool VisitExpressionTraitExpr(const clang::ExpressionTraitExpr *E);
  bool VisitLambdaExpr(const clang::LambdaExpr *E);
  bool VisitDependentScopeDeclRefExpr(const clang::DependentScopeDeclRefExpr *E);
  bool VisitCXXDependentScopeMemberExpr(const clang::CXXDependentScopeMemberExpr *E);
  bool VisitOverloadExpr(const clang::OverloadExpr *E);
  bool VisitUnresolvedLookupExpr(const clang::UnresolvedLookupExpr *E);
  bool VisitUnresolvedMemberExpr(const clang::UnresolvedMemberExpr *E);
  bool VisitSubstNonTypeTemplateParmPackExpr(const clang::SubstNonTypeTemplateParmPackExpr *E);
  bool VisitFunctionParmPackExpr(const clang::FunctionParmPackExpr *E);
  bool VisitPackExpansionExpr(const clang::PackExpansionExpr *E);
  bool VisitSizeOfPackExpr(const clang::SizeOfPackExpr *E);
  bool VisitCXXFoldExpr(const clang::CXXFoldExpr *E);
  bool VisitConceptSpecializationExpr(const clang::ConceptSpecializationExpr *E);
  bool VisitRequiresExpr(const clang::RequiresExpr *E);
  // Their class, type and children say everything.
  bool VisitCXXThisExpr(const clang::CXXThisExpr *) { return true; }
  bool VisitCXXThrowExpr(const clang::CXXThrowExpr *) { return true; }
  bool VisitCXXNullPtrLiteralExpr(const clang::CXXNullPtrLiteralExpr *) { return true; }
  bool VisitCXXScalarValueInitExpr(const clang::CXXScalarValueInitExpr *) { return true; }
  bool VisitCXXStdInitializerListExpr(const clang::CXXStdInitializerListExpr *) {
    return true;
  }
  bool VisitCXXRewrittenBinaryOperator(const clang::CXXRewrittenBinaryOperator *) {
    return true;
  }
  bool VisitCXXUnresolvedConstructExpr(const clang::CXXUnresolvedConstructExpr *) {
    return true;
  }
  bool VisitCoroutineSuspendExpr(const clang::CoroutineSuspendExpr *) { return true; }
  bool VisitDependentCoawaitExpr(const clang::DependentCoawaitExpr *) { return true; }
  bool VisitSubstNonTypeTemplateParmExpr(const clang::SubstNonTypeTemplateParmExpr *) {
    return true;
  }
  bool VisitPackIndexingExpr(const clang::PackIndexingExpr *) { return true; }

private:
  StructuralHasher &SH;
};

} // namespace hotast

#endif
