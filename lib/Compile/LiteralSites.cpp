//===- LiteralSites.cpp - Where a parse finds an edit's literals ----------===//

#include "LiteralSites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTLambda.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace hotast {
namespace {

/// A function whose body may hold a qualifying literal: code the closure
/// hashes by its own declaration, whose value no constant expression and no
/// deduced type can read.
bool plainFunction(const FunctionDecl *F) {
  if (!F || F->isTemplated() || F->isConstexpr() || isLambdaCallOperator(F) ||
      F->getReturnType()->getContainedDeducedType())
    return false;
  const auto *RD = dyn_cast<CXXRecordDecl>(F->getDeclContext());
  return !(RD && RD->isLocalClass()) && !F->getDeclContext()->isFunctionOrMethod();
}

/// A local variable whose initializer no constant expression reads.
bool plainLocal(const Decl *D) {
  const auto *VD = dyn_cast<VarDecl>(D);
  return VD && VD->isLocalVarDecl() && !VD->isStaticLocal() && !VD->isConstexpr() &&
         !VD->getType().isConstQualified() && VD->getType()->isArithmeticType();
}

class Finder : public RecursiveASTVisitor<Finder> {
public:
  Finder(ASTContext &Ctx, llvm::ArrayRef<LiteralEdit> Edits) : SM(Ctx.getSourceManager()) {
    // Each file once in the unit: a file read twice (no include guard)
    // gives its literals two places.
    llvm::DenseMap<const FileEntry *, std::pair<FileID, unsigned>> Ids;
    for (unsigned I = 0, N = SM.local_sloc_entry_size(); I != N; ++I) {
      const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
      if (!E.isFile())
        continue;
      if (OptionalFileEntryRef F = E.getFile().getContentCache().OrigEntry) {
        auto &Slot = Ids[&F->getFileEntry()];
        Slot.first = SM.getFileID(SourceLocation::getFromRawEncoding(E.getOffset()));
        ++Slot.second;
      }
    }
    for (const LiteralEdit &Edit : Edits) {
      OptionalFileEntryRef F = SM.getFileManager().getOptionalFileRef(Edit.Path);
      auto It = F ? Ids.find(&F->getFileEntry()) : Ids.end();
      for (unsigned Offset : Edit.Offsets) {
        SourceLocation Loc;
        if (It != Ids.end() && It->second.second == 1)
          Loc = SM.getComposedLoc(It->second.first, Offset);
        Sites.push_back(Loc);
        if (Loc.isValid())
          Index[Loc.getRawEncoding()] = Sites.size() - 1;
      }
    }
    Found.assign(Sites.size(), nullptr);
    Seen.assign(Sites.size(), 0);
  }

  std::vector<LiteralSite> result() const {
    std::vector<LiteralSite> Out;
    for (size_t I = 0; I != Sites.size(); ++I)
      Out.push_back({Sites[I], Seen[I] == 1 ? Found[I] : nullptr});
    return Out;
  }

  bool TraverseDecl(Decl *D) {
    if (const auto *F = dyn_cast_or_null<FunctionDecl>(D); F && F->doesThisDeclarationHaveABody()) {
      if (!holdsSite(F->getSourceRange()))
        return true;
      const FunctionDecl *Outer = Current;
      Current = F;
      bool Continue = RecursiveASTVisitor::TraverseDecl(D);
      Current = Outer;
      return Continue;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool dataTraverseStmtPre(Stmt *S) {
    Stack.push_back(S);
    return true;
  }
  bool dataTraverseStmtPost(Stmt *) {
    Stack.pop_back();
    return true;
  }

  bool VisitIntegerLiteral(IntegerLiteral *L) {
    SourceLocation Loc = L->getLocation();
    if (!Loc.isFileID())
      return true;
    auto It = Index.find(Loc.getRawEncoding());
    if (It == Index.end())
      return true;
    ++Seen[It->second];
    if (L->getType()->isSpecificBuiltinType(BuiltinType::Int) && plainFunction(Current) &&
        valueOnly())
      Found[It->second] = Current;
    return true;
  }

private:
  /// The literal (the top of Stack) is an operand of arithmetic, a
  /// comparison, a plain call's argument, and so on up to a statement: a
  /// return, an expression statement, a condition, a plain local's
  /// initializer.
  bool valueOnly() const {
    // Nothing around it may read it as a constant or make it code of its
    // own: a constant expression (a lambda called in a template argument
    // holds statements too), a lambda, a statement expression, sizeof.
    for (const Stmt *S : Stack)
      if (isa<ConstantExpr, LambdaExpr, StmtExpr, BlockExpr, UnaryExprOrTypeTraitExpr,
              CXXNoexceptExpr, RequiresExpr>(S))
        return false;
    for (size_t I = Stack.size() - 1; I-- > 0;) {
      const Stmt *S = Stack[I];
      if (const auto *C = dyn_cast<ImplicitCastExpr>(S)) {
        switch (C->getCastKind()) {
        case CK_IntegralCast:
        case CK_IntegralToFloating:
        case CK_IntegralToBoolean:
          continue;
        default:
          return false;
        }
      }
      if (const auto *U = dyn_cast<UnaryOperator>(S)) {
        if (U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus ||
            U->getOpcode() == UO_Not || U->getOpcode() == UO_LNot)
          continue;
        return false;
      }
      switch (S->getStmtClass()) {
      case Stmt::ParenExprClass:
      case Stmt::BinaryOperatorClass:
      case Stmt::CompoundAssignOperatorClass:
      case Stmt::ConditionalOperatorClass:
      case Stmt::CallExprClass:
        continue;
      case Stmt::ReturnStmtClass:
      case Stmt::CompoundStmtClass:
      case Stmt::WhileStmtClass:
      case Stmt::DoStmtClass:
      case Stmt::ForStmtClass:
      case Stmt::SwitchStmtClass:
        return true;
      case Stmt::IfStmtClass:
        return !cast<IfStmt>(S)->isConstexpr() && !cast<IfStmt>(S)->isConsteval();
      case Stmt::DeclStmtClass:
        return llvm::all_of(cast<DeclStmt>(S)->decls(), plainLocal);
      default:
        return false;
      }
    }
    return false;
  }

  bool holdsSite(SourceRange R) const {
    SourceLocation B = SM.getExpansionLoc(R.getBegin()), E = SM.getExpansionLoc(R.getEnd());
    return llvm::any_of(Sites, [&](SourceLocation S) {
      return S.isValid() && !SM.isBeforeInTranslationUnit(S, B) &&
             !SM.isBeforeInTranslationUnit(E, S);
    });
  }

  const SourceManager &SM;
  std::vector<SourceLocation> Sites;
  llvm::DenseMap<unsigned, size_t> Index;
  std::vector<const FunctionDecl *> Found;
  std::vector<unsigned> Seen;
  const FunctionDecl *Current = nullptr;
  std::vector<const Stmt *> Stack;
};

} // namespace

std::vector<LiteralSite> findLiterals(ASTContext &Ctx, llvm::ArrayRef<LiteralEdit> Edits) {
  Finder F(Ctx, Edits);
  F.TraverseDecl(Ctx.getTranslationUnitDecl());
  return F.result();
}

} // namespace hotast
