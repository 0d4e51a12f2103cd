//===- ColumnReads.cpp - The lines whose columns Clang's warnings read ----===//

#include "ColumnReads.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hotast {
namespace {

class ColumnReadVisitor : public RecursiveASTVisitor<ColumnReadVisitor> {
public:
  explicit ColumnReadVisitor(ASTContext &Ctx)
      : SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()) {}

  bool TraverseDecl(Decl *D) {
    // The installation's files get no code lines (Recording.cpp).
    if (D && !isa<TranslationUnitDecl>(D) && inSystemFile(D->getLocation()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool VisitIfStmt(IfStmt *S) {
    guard(S->getIfLoc(), S->getThen());
    if (S->getElse())
      guard(S->getElseLoc(), S->getElse());
    return true;
  }
  bool VisitForStmt(ForStmt *S) {
    guard(S->getForLoc(), S->getBody());
    return true;
  }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) {
    guard(S->getForLoc(), S->getBody());
    return true;
  }
  bool VisitWhileStmt(WhileStmt *S) {
    guard(S->getWhileLoc(), S->getBody());
    return true;
  }
  /// -Wempty-body: a `for` or `while` whose body is `;`, and the statement
  /// after it in the same braces (Sema::DiagnoseEmptyLoopBody's pairs).
  bool VisitCompoundStmt(CompoundStmt *S) {
    const Stmt *Prev = nullptr;
    for (const Stmt *Next : S->body()) {
      const Stmt *Body = nullptr;
      if (const auto *F = dyn_cast_or_null<ForStmt>(Prev))
        Body = F->getBody();
      else if (const auto *W = dyn_cast_or_null<WhileStmt>(Prev))
        Body = W->getBody();
      if (Body && isa<NullStmt>(Body)) {
        markBoth(Prev->getBeginLoc());
        markBoth(Next->getBeginLoc());
      }
      Prev = Next;
    }
    return true;
  }

  llvm::DenseMap<FileID, std::vector<unsigned>> Lines;

private:
  bool inSystemFile(SourceLocation Loc) const {
    if (Loc.isInvalid())
      return false;
    OptionalFileEntryRef E = SM.getFileEntryRefForID(SM.getFileID(SM.getExpansionLoc(Loc)));
    return E && E->getName().starts_with("/usr/");
  }

  void guard(SourceLocation Guard, const Stmt *Body) {
    // A braced body: the checker stops at once (its ShouldSkip), and an
    // empty loop body is a `;`, never braces.
    if (!Body || isa<CompoundStmt>(Body) || Guard.isInvalid())
      return;
    SourceLocation End = SM.getExpansionRange(Body->getEndLoc()).getEnd();
    SourceLocation N1, N2;
    if (std::optional<Token> T = Lexer::findNextToken(End, SM, LO)) {
      N1 = T->getLocation();
      if (std::optional<Token> U = Lexer::findNextToken(N1, SM, LO))
        N2 = U->getLocation();
    }
    for (SourceLocation L : {Guard, Body->getBeginLoc(), Body->getEndLoc(), N1, N2})
      markBoth(L);
  }

  /// L's line at its expansion and, from a macro, at its spelling.
  void markBoth(SourceLocation L) {
    if (L.isInvalid())
      return;
    mark(SM.getExpansionLoc(L));
    if (L.isMacroID())
      mark(SM.getSpellingLoc(L));
  }

  void mark(SourceLocation L) {
    if (L.isInvalid() || !L.isFileID())
      return;
    auto [File, Offset] = SM.getDecomposedLoc(L);
    bool Invalid = false;
    unsigned Line = SM.getLineNumber(File, Offset, &Invalid);
    if (!Invalid)
      Lines[File].push_back(Line);
  }

  const SourceManager &SM;
  const LangOptions &LO;
};

} // namespace

llvm::DenseMap<FileID, std::vector<unsigned>> columnReadLines(ASTContext &Ctx) {
  ColumnReadVisitor V(Ctx);
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (auto &[File, Lines] : V.Lines) {
    llvm::sort(Lines);
    Lines.erase(std::unique(Lines.begin(), Lines.end()), Lines.end());
  }
  return std::move(V.Lines);
}

} // namespace hotast
