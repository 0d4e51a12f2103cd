//===- GuardWalker.h - The guards of unbraced bodies in a unit's code -*- C++ -*-===//
//
// Both compilers' -Wmisleading-indentation look at each `if`, `else`, `for`
// and `while` (a range `for` too) and its body: GCC's reads their
// indentation (GuardIndentation.h), Clang's their columns (ColumnReads.h).
// GuardWalker visits them in the AST's order, in the unit's own code (not
// under /usr/, which no edit changes), templates as written (not their
// instantiations, which the parser never saw), and calls the derived
// class's guard(Kind, Keyword, Body) for each.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_GUARDWALKER_H
#define HOTAST_LIB_COMPILE_GUARDWALKER_H

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <optional>
#include <utility>

namespace hotast {

template <typename Derived> class GuardWalker : public clang::RecursiveASTVisitor<Derived> {
  using Base = clang::RecursiveASTVisitor<Derived>;

public:
  explicit GuardWalker(const clang::SourceManager &SM) : SM(SM) {}

  bool TraverseDecl(clang::Decl *D) {
    if (D && !llvm::isa<clang::TranslationUnitDecl>(D) && inSystemFile(D->getLocation()))
      return true;
    return Base::TraverseDecl(D);
  }
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool VisitIfStmt(clang::IfStmt *S) {
    derived().guard("if", S->getIfLoc(), S->getThen());
    if (S->getElse())
      derived().guard("else", S->getElseLoc(), S->getElse());
    return true;
  }
  bool VisitForStmt(clang::ForStmt *S) {
    derived().guard("for", S->getForLoc(), S->getBody());
    return true;
  }
  bool VisitCXXForRangeStmt(clang::CXXForRangeStmt *S) {
    derived().guard("for", S->getForLoc(), S->getBody());
    return true;
  }
  bool VisitWhileStmt(clang::WhileStmt *S) {
    derived().guard("while", S->getWhileLoc(), S->getBody());
    return true;
  }

protected:
  /// The two tokens after Body's last (at its expansion): after its `;`
  /// when its last token is not one (an expression, a return), the AST
  /// leaving the `;` out; invalid where the file ends.
  std::pair<clang::SourceLocation, clang::SourceLocation>
  tokensAfter(const clang::Stmt *Body, const clang::LangOptions &LO) const {
    clang::SourceLocation End = SM.getExpansionRange(Body->getEndLoc()).getEnd();
    clang::SourceLocation N1, N2;
    if (std::optional<clang::Token> T = clang::Lexer::findNextToken(End, SM, LO)) {
      N1 = T->getLocation();
      if (std::optional<clang::Token> U = clang::Lexer::findNextToken(N1, SM, LO))
        N2 = U->getLocation();
    }
    return {N1, N2};
  }

  bool inSystemFile(clang::SourceLocation Loc) const {
    if (Loc.isInvalid())
      return false;
    clang::OptionalFileEntryRef E = SM.getFileEntryRefForID(SM.getFileID(SM.getExpansionLoc(Loc)));
    return E && E->getName().starts_with("/usr/");
  }

  const clang::SourceManager &SM;

private:
  Derived &derived() { return *static_cast<Derived *>(this); }
};

} // namespace hotast

#endif
