//===- ColumnReads.cpp - The lines whose columns Clang's warnings read ----===//

#include "ColumnReads.h"

#include "GuardWalker.h"

#include "clang/AST/ASTContext.h"

using namespace clang;

namespace hotast {
namespace {

class ColumnReadVisitor : public GuardWalker<ColumnReadVisitor> {
public:
  explicit ColumnReadVisitor(ASTContext &Ctx)
      : GuardWalker(Ctx.getSourceManager()), LO(Ctx.getLangOpts()) {}

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

  void guard(llvm::StringRef, SourceLocation Guard, const Stmt *Body) {
    // A braced body: the checker stops at once (its ShouldSkip), and an
    // empty loop body is a `;`, never braces.
    if (!Body || isa<CompoundStmt>(Body) || Guard.isInvalid() || inSystemFile(Guard))
      return;
    auto [N1, N2] = tokensAfter(Body, LO);
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

private:
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
