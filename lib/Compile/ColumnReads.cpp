//===- ColumnReads.cpp - The lines whose columns Clang's warnings read ----===//

#include "ColumnReads.h"

#include "GuardWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/DiagnosticParse.h"

using namespace clang;

namespace hotast {
namespace {

class ColumnReadVisitor : public GuardWalker<ColumnReadVisitor> {
public:
  ColumnReadVisitor(ASTContext &Ctx, bool WarningOffByPlace)
      : GuardWalker(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), Diags(Ctx.getDiagnostics()),
        WarningOffByPlace(WarningOffByPlace) {}

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

  void guard(llvm::StringRef Kind, SourceLocation Guard, const Stmt *Body) {
    // A braced body: the checker stops at once (its ShouldSkip), and an
    // empty loop body is a `;`, never braces.
    if (!Body || isa<CompoundStmt>(Body) || Guard.isInvalid() || inSystemFile(Guard))
      return;
    auto [N1, N2] = tokensAfter(Body, LO);
    if (readsNoColumn(Kind, Body, N1, N2))
      return;
    for (SourceLocation L : {Guard, Body->getBeginLoc(), Body->getEndLoc(), N1, N2})
      markBoth(L);
  }

  /// The checker reads no column when the body's first token comes from a
  /// macro (its PrevLoc: gtest's EXPECT_ and ASSERT_ macros expand to an
  /// `if` and an `else` whose bodies are the macro's), or where its warning
  /// is off at the token after the body (-Wmisleading-indentation is in
  /// -Wall, and off in a system header): that token is N1 or, after an
  /// expression's `;`, N2. An `else` whose body is a guard of its own
  /// lends that guard its place (the checker's MisleadingIndentationElseLoc):
  /// its lines count whatever its body's first token.
  bool readsNoColumn(llvm::StringRef Kind, const Stmt *Body, SourceLocation N1,
                     SourceLocation N2) const {
    bool LendsPlace = Kind == "else" && (isa<IfStmt>(Body) || isa<ForStmt>(Body) ||
                                         isa<WhileStmt>(Body) || isa<CXXForRangeStmt>(Body));
    if (!LendsPlace && Body->getBeginLoc().isMacroID())
      return true;
    auto Off = [&](SourceLocation L) {
      return L.isValid() && Diags.isIgnored(diag::warn_misleading_indentation, L);
    };
    return WarningOffByPlace && Off(N1) && Off(N2);
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
  const DiagnosticsEngine &Diags;
  /// Whether the warning's state at a token is the state the parse saw
  /// there (no diagnostic pragma came from a macro: see columnReadLines).
  bool WarningOffByPlace;
};

} // namespace

llvm::DenseMap<FileID, std::vector<unsigned>> columnReadLines(ASTContext &Ctx,
                                                               bool PragmaFromMacro) {
  ColumnReadVisitor V(Ctx, !PragmaFromMacro);
  V.TraverseDecl(Ctx.getTranslationUnitDecl());
  for (auto &[File, Lines] : V.Lines) {
    llvm::sort(Lines);
    Lines.erase(std::unique(Lines.begin(), Lines.end()), Lines.end());
  }
  return std::move(V.Lines);
}

} // namespace hotast
