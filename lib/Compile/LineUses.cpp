//===- LineUses.cpp - Where a __LINE__ value can change the outcome -------===//

#include "LineUses.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace hotast {
namespace {

struct Uses {
  unsigned Literals = 0; // literals the expansion made, as the AST holds them
  unsigned AsArguments = 0; // of those, plain integer arguments of calls
};

/// A parameter that takes a literal as a runtime value and nothing else:
/// an ordinary function (not constexpr, not a builtin that Sema checks, no
/// attribute that acts on arguments), a plain integer of 32 bits or more.
bool plainIntegerParameter(const ASTContext &Ctx, const FunctionDecl *FD, unsigned I) {
  if (!FD || FD->getBuiltinID() != 0 || FD->isConstexpr() || I >= FD->getNumParams())
    return false;
  for (const FunctionDecl *R : FD->redecls())
    for (const Attr *A : R->attrs())
      if (!isa<VisibilityAttr, DLLImportAttr, DLLExportAttr>(A))
        return false;
  const ParmVarDecl *P = FD->getParamDecl(I);
  if (P->hasAttrs())
    return false;
  QualType T = P->getType().getCanonicalType();
  return T->isBuiltinType() && T->isIntegerType() && !T->isBooleanType() &&
         !T->isAnyCharacterType() && Ctx.getIntWidth(T) >= 32;
}

class LineLiteralVisitor : public RecursiveASTVisitor<LineLiteralVisitor> {
  using Base = RecursiveASTVisitor<LineLiteralVisitor>;

public:
  LineLiteralVisitor(ASTContext &Ctx, llvm::DenseMap<SourceLocation, Uses> &ByToken,
                     const llvm::DenseSet<FileID> &Files)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), ByToken(ByToken), Files(Files) {}

  /// Only declarations written in the files of the expansions: an
  /// expansion whose literals are not met counts as not known.
  bool TraverseDecl(Decl *D) {
    if (!D || isa<TranslationUnitDecl, NamespaceDecl, LinkageSpecDecl, ExportDecl>(D))
      return Base::TraverseDecl(D);
    SourceRange R = D->getSourceRange();
    if (R.isValid() && !Files.contains(SM.getFileID(SM.getExpansionLoc(R.getBegin()))) &&
        !Files.contains(SM.getFileID(SM.getExpansionLoc(R.getEnd()))))
      return true;
    return Base::TraverseDecl(D);
  }

  bool VisitIntegerLiteral(IntegerLiteral *IL) {
    if (Uses *U = usesOf(IL))
      ++U->Literals;
    return true;
  }
  bool VisitCallExpr(CallExpr *CE) {
    if (isa<CXXOperatorCallExpr>(CE)) // arguments do not line up with parameters
      return true;
    arguments(CE->getDirectCallee(), CE->arguments());
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr *CE) {
    arguments(CE->getConstructor(), CE->arguments());
    return true;
  }

private:
  /// The uses of the expansion that made IL, if a __LINE__ of interest did.
  Uses *usesOf(const Expr *E) {
    const auto *IL = dyn_cast<IntegerLiteral>(E);
    if (!IL)
      return nullptr;
    SourceLocation L = IL->getLocation();
    if (!L.isMacroID() || !SM.isWrittenInScratchSpace(SM.getSpellingLoc(L)))
      return nullptr;
    auto It = ByToken.find(SM.getImmediateExpansionRange(L).getBegin());
    return It == ByToken.end() ? nullptr : &It->second;
  }

  template <typename Range> void arguments(const FunctionDecl *FD, Range Args) {
    unsigned I = 0;
    for (const Expr *Arg : Args) {
      if (Uses *U = usesOf(Arg->IgnoreParenImpCasts()))
        if (plainIntegerParameter(Ctx, FD, I))
          ++U->AsArguments;
      ++I;
    }
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  llvm::DenseMap<SourceLocation, Uses> &ByToken;
  const llvm::DenseSet<FileID> &Files;
};

} // namespace

llvm::DenseSet<FileID> filesWhoseLinesMatter(ASTContext &Ctx,
                                             llvm::ArrayRef<LineExpansion> Expansions) {
  llvm::DenseSet<FileID> Matter, Files;
  llvm::DenseMap<SourceLocation, Uses> ByToken;
  for (const LineExpansion &E : Expansions) {
    if (E.InCondition || !E.File.isValid()) {
      Matter.insert(E.File);
      continue;
    }
    Files.insert(E.File);
    ByToken.try_emplace(E.Token);
  }
  if (!ByToken.empty())
    LineLiteralVisitor(Ctx, ByToken, Files).TraverseAST(Ctx);
  for (const LineExpansion &E : Expansions) {
    auto It = ByToken.find(E.Token);
    if (It != ByToken.end() &&
        (It->second.Literals == 0 || It->second.AsArguments != It->second.Literals))
      Matter.insert(E.File);
  }
  return Matter;
}

} // namespace hotast
