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
  /// The literal (the top of Stack) is a value of type int that nothing
  /// converts and no other constant meets, up to a statement: an operand of
  /// `+ - * & | ^`, of a comparison or of a conditional whose other operand
  /// is a variable (or a call) of type int; the right side of an assignment
  /// to one; a plain call's argument for an int parameter; a return value;
  /// the initializer of a plain local; a loop's or an if's condition.
  /// Nothing there gives a warning of GCC's (-Wall, -Wextra) a value to read
  /// (a conversion's overflow, a division by zero, a shift's count, a
  /// comparison always true, a folded constant, a bit-field's width).
  bool valueOnly() const {
    // Nothing around it may read it as a constant or make it code of its
    // own: a constant expression (a lambda called in a template argument
    // holds statements too), a lambda, a statement expression, sizeof.
    for (const Stmt *S : Stack)
      if (isa<ConstantExpr, LambdaExpr, StmtExpr, BlockExpr, UnaryExprOrTypeTraitExpr,
              CXXNoexceptExpr, RequiresExpr>(S))
        return false;
    for (size_t I = Stack.size() - 1; I-- > 0;) {
      const Stmt *S = Stack[I], *Child = Stack[I + 1];
      if (const auto *U = dyn_cast<UnaryOperator>(S)) {
        if (U->getOpcode() == UO_Minus || U->getOpcode() == UO_Plus || U->getOpcode() == UO_Not)
          continue;
        return false;
      }
      if (const auto *B = dyn_cast<CompoundAssignOperator>(S)) {
        switch (B->getOpcode()) {
        case BO_AddAssign:
        case BO_SubAssign:
        case BO_MulAssign:
        case BO_AndAssign:
        case BO_OrAssign:
        case BO_XorAssign:
          if (B->getRHS() == Child && intObject(B->getLHS()))
            continue;
          return false;
        default:
          return false;
        }
      }
      if (const auto *B = dyn_cast<BinaryOperator>(S)) {
        const Expr *Other = B->getLHS() == Child ? B->getRHS() : B->getLHS();
        switch (B->getOpcode()) {
        case BO_Assign:
          if (B->getRHS() == Child && intObject(B->getLHS()))
            continue;
          return false;
        case BO_Add:
        case BO_Sub:
        case BO_Mul:
        case BO_And:
        case BO_Or:
        case BO_Xor:
        case BO_LT:
        case BO_GT:
        case BO_LE:
        case BO_GE:
        case BO_EQ:
        case BO_NE:
          if (variable(Other))
            continue;
          return false;
        default:
          return false;
        }
      }
      if (const auto *C = dyn_cast<ConditionalOperator>(S)) {
        if (C->getCond() == Child)
          return false;
        if (variable(C->getTrueExpr() == Child ? C->getFalseExpr() : C->getTrueExpr()))
          continue;
        return false;
      }
      switch (S->getStmtClass()) {
      case Stmt::ParenExprClass:
        continue;
      case Stmt::CallExprClass:
        if (plainArgument(cast<CallExpr>(S), Child))
          continue;
        return false;
      case Stmt::ReturnStmtClass:
      case Stmt::CompoundStmtClass:
      case Stmt::WhileStmtClass:
      case Stmt::DoStmtClass:
      case Stmt::ForStmtClass:
        return true;
      case Stmt::IfStmtClass:
        return !cast<IfStmt>(S)->isConstexpr() && !cast<IfStmt>(S)->isConsteval();
      case Stmt::DeclStmtClass:
        return llvm::all_of(cast<DeclStmt>(S)->decls(), plainLocal);
      default:
        // An implicit conversion among them.
        return false;
      }
    }
    return false;
  }

  /// E is of type int, no constant and no bit-field.
  static bool intValue(const Expr *E) {
    return E->getType()->isSpecificBuiltinType(BuiltinType::Int) &&
           !E->getType().isConstQualified() && !E->refersToBitField();
  }

  /// E, conversions aside, is a variable, a field or a call's value of type
  /// int that is no constant: what meets the literal there folds into no
  /// constant.
  static bool variable(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (!intValue(E))
      return false;
    if (const auto *R = dyn_cast<DeclRefExpr>(E)) {
      const auto *VD = dyn_cast<VarDecl>(R->getDecl());
      return VD && !VD->isConstexpr();
    }
    if (const auto *M = dyn_cast<MemberExpr>(E))
      return isa<FieldDecl>(M->getMemberDecl());
    if (const auto *C = dyn_cast<CallExpr>(E))
      return plainCallee(C->getDirectCallee());
    return false;
  }

  /// A function called directly that GCC neither checks as a builtin nor
  /// folds as a constant expression.
  static bool plainCallee(const FunctionDecl *F) {
    return F && !F->getBuiltinID() && !F->isConstexpr();
  }

  /// E is an object of type int (no bit-field) that can be assigned.
  static bool intObject(const Expr *E) { return E->isLValue() && intValue(E); }

  /// Arg is an argument of C (no builtin, not constexpr) for a parameter of
  /// type int.
  static bool plainArgument(const CallExpr *C, const Stmt *Arg) {
    const FunctionDecl *F = C->getDirectCallee();
    if (!plainCallee(F))
      return false;
    for (unsigned I = 0, N = C->getNumArgs(); I != N; ++I)
      if (C->getArg(I) == Arg)
        return I < F->getNumParams() &&
               F->getParamDecl(I)->getType()->isSpecificBuiltinType(BuiltinType::Int);
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
