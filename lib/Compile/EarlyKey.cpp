//===- EarlyKey.cpp - A unit known the same before its end-of-unit work ---===//

#include "EarlyKey.h"

#include "hotast/Support/AsmFiles.h"
#include "hotast/Support/NameFilter.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Sema/Sema.h"
#include "llvm/Support/xxhash.h"

#include <cstring>

using namespace clang;

namespace hotast {

namespace {
/// What an item other than a token is, in its hash's seed.
enum : uint64_t { PragmaItem = 1ull << 40, FileItem = 2ull << 40, AnnotationItem = 3ull << 40 };

uint64_t hashOf(llvm::StringRef S, uint64_t Seed) {
  return llvm::xxh3_64bits(llvm::arrayRefFromStringRef(S)) ^ (Seed * 0x9E3779B97F4A7C15ull);
}
} // namespace

UnitTokens::UnitTokens(const Preprocessor &PP) : PP(PP) {}

void UnitTokens::refuse(llvm::StringRef Why) {
  if (Refused.empty())
    Refused = Why.str();
  Items.clear();
  Items.shrink_to_fit();
}

void UnitTokens::token(const Token &T) {
  if (!Refused.empty())
    return;
  if (T.isAnnotation()) {
    // A pragma the parser acts on: its text is in the pragma's item.
    if (!tok::isPragmaAnnotation(T.getKind()))
      return refuse("the preprocessor made a token that is no pragma's (#embed, a module)");
    Items.push_back({0, T.getKind(), AnnotationItem | T.getKind()});
    return;
  }
  if (T.isOneOf(tok::kw___builtin_LINE, tok::kw___builtin_COLUMN, tok::kw___builtin_FILE,
                tok::kw___builtin_FILE_NAME, tok::kw___builtin_FUNCTION) ||
      T.isOneOf(tok::kw___builtin_FUNCSIG, tok::kw___builtin_source_location))
    return refuse("a builtin that takes the place it is used at (__builtin_LINE and the like)");
  // Within the parentheses of an asm, each string is looked at as the
  // compile looks at an asm's text (AsmFiles.h).
  if (T.is(tok::kw_asm)) {
    AsmDepth = -1;
  } else if (AsmDepth < 0) {
    if (T.is(tok::l_paren))
      AsmDepth = 1;
    else if (!T.isOneOf(tok::kw_volatile, tok::kw_inline, tok::kw_goto))
      return refuse("an asm without parentheses");
  } else if (AsmDepth > 0) {
    if (T.is(tok::l_paren))
      ++AsmDepth;
    else if (T.is(tok::r_paren))
      --AsmDepth;
  }
  uint64_t Seed = uint64_t(T.getKind()) << 1 | uint64_t(T.getLocation().isMacroID());
  uint64_t Hash;
  if (const IdentifierInfo *II = T.getIdentifierInfo()) {
    Hash = hashOf(II->getName(), Seed);
  } else if (T.isLiteral()) {
    llvm::SmallString<64> Buffer;
    llvm::StringRef Spelling = T.getLiteralData()
                                   ? llvm::StringRef(T.getLiteralData(), T.getLength())
                                   : PP.getSpelling(T, Buffer);
    if (AsmDepth > 0 && tok::isStringLiteral(T.getKind()) && asmMayReadFiles(Spelling))
      return refuse("an asm string that may name a file the assembler reads");
    Hash = hashOf(Spelling, Seed);
  } else {
    Hash = hashOf({}, Seed);
  }
  SourceLocation Loc = T.getLocation();
  Items.push_back({Loc.isFileID() ? Loc.getRawEncoding() : 0, T.getKind(), Hash});
}

void UnitTokens::pragma(SourceLocation Loc, PragmaIntroducerKind Kind) {
  if (!Refused.empty())
    return;
  llvm::StringRef Line;
  if (Kind == PIK__Pragma) {
    // _Pragma("..."): the string, destringized, is what the lexer in
    // place reads (Clang 19's Preprocessor::Handle_Pragma enters a lexer
    // over it, NUL-terminated, then calls this).
    const auto *L = static_cast<const Lexer *>(PP.getCurrentLexer());
    if (!L)
      return refuse("a _Pragma whose text cannot be read");
    const char *Text = L->getBufferLocation();
    Line = llvm::StringRef(Text, std::strlen(Text));
  } else if (Kind == PIK_HashPragma && Loc.isFileID()) {
    bool Invalid = false;
    const char *Text = PP.getSourceManager().getCharacterData(Loc, &Invalid);
    if (Invalid)
      return refuse("a pragma whose text cannot be read");
    Line = llvm::StringRef(Text, std::strcspn(Text, "\n"));
    if (Line.rtrim("\r").ends_with("\\") || Line.contains("??/"))
      return refuse("a pragma that spans lines");
  } else {
    return refuse("a pragma of Microsoft's (__pragma)");
  }
  // The pragma's handler may expand a macro its text names (#pragma pack(N)),
  // but not in a string (push_macro("NAME")).
  const IdentifierTable &Table = PP.getIdentifierTable();
  for (size_t I = 0; I < Line.size();) {
    if (Line[I] == '"') { // a string's words expand nothing
      size_t End = Line.find('"', I + 1);
      while (End != llvm::StringRef::npos && Line[End - 1] == '\\')
        End = Line.find('"', End + 1);
      I = End == llvm::StringRef::npos ? Line.size() : End + 1;
      continue;
    }
    if (!isAsciiIdentifierStart(Line[I])) {
      ++I;
      continue;
    }
    size_t Begin = I;
    while (I < Line.size() && isAsciiIdentifierContinue(Line[I]))
      ++I;
    auto It = Table.find(Line.slice(Begin, I));
    if (It != Table.end() && It->getValue()->hasMacroDefinition())
      return refuse(("a pragma that names a macro (" + Line.slice(Begin, I) + ")").str());
  }
  Items.push_back({0, 0, hashOf(Line, PragmaItem | uint64_t(Kind))});
}

void UnitTokens::fileChanged(PPCallbacks::FileChangeReason Reason,
                             SrcMgr::CharacteristicKind Kind) {
  if (Refused.empty())
    Items.push_back({0, 0, hashOf({}, FileItem | uint64_t(Reason) << 8 | uint64_t(Kind))});
}

std::optional<Hash128> UnitTokens::key(const Hash128 &Salt,
                                       llvm::ArrayRef<SourceRange> Left) const {
  if (!Refused.empty())
    return std::nullopt;
  // Each range left out: the items from its first token to its last, all
  // file tokens within it, then a `;` that ends it.
  std::vector<std::pair<size_t, size_t>> Cut;
  for (SourceRange R : Left) {
    uint32_t Begin = R.getBegin().getRawEncoding(), End = R.getEnd().getRawEncoding();
    if (!R.getBegin().isFileID() || !R.getEnd().isFileID() || Begin == 0 || End < Begin)
      return std::nullopt;
    size_t From = 0;
    while (From != Items.size() && Items[From].Loc != Begin)
      ++From;
    if (From == Items.size())
      return std::nullopt;
    size_t To = From;
    while (To != Items.size() && Items[To].Loc >= Begin && Items[To].Loc <= End &&
           Items[To].Loc != 0 && Items[To].Loc != End)
      ++To;
    if (To == Items.size() || Items[To].Loc != End)
      return std::nullopt;
    ++To;
    if (To != Items.size() && Items[To].Kind == tok::semi && Items[To].Loc != 0)
      ++To;
    Cut.emplace_back(From, To);
  }
  llvm::sort(Cut);
  for (size_t I = 1; I < Cut.size(); ++I)
    if (Cut[I].first < Cut[I - 1].second)
      return std::nullopt;
  Hasher H;
  H.add("early key 1").add(Salt);
  size_t Next = 0;
  for (const auto &[From, To] : Cut) {
    for (size_t I = Next; I != From; ++I)
      H.add(Items[I].Hash);
    Next = To;
  }
  for (size_t I = Next; I != Items.size(); ++I)
    H.add(Items[I].Hash);
  return H.final();
}

std::string earlyKeyRefusal(const CompilerInstance &CI, bool LocationsReach) {
  const LangOptions &LO = CI.getLangOpts();
  if (!LO.CPlusPlus || LO.ObjC)
    return "not C++ (the early key is for C++)";
  if (LO.Modules || LO.CPlusPlusModules || LO.OpenMP || LO.CUDA || LO.HIP || LO.SYCLIsDevice ||
      LO.SYCLIsHost || LO.HLSL || LO.OpenCL || LO.DelayedTemplateParsing ||
      LO.IncrementalExtensions)
    return "modules, OpenMP, CUDA, HIP, SYCL, HLSL, OpenCL or delayed template parsing";
  if (!CI.getPreprocessorOpts().ImplicitPCHInclude.empty() ||
      CI.getASTContext().getExternalSource())
    return "an AST file (a precompiled header)";
  if (LocationsReach)
    return "source locations reach an output";
  return {};
}

namespace {

/// A built-in scalar type (const or not).
bool scalar(QualType T) {
  const auto *B = T->getAs<BuiltinType>();
  return B && !T.isVolatileQualified() &&
         (B->isInteger() || B->isFloatingPoint() || B->getKind() == BuiltinType::Bool);
}

/// What a body or an initializer may be made of (inertNewDeclarations):
/// every node on the allow-list, every name its own.
class InertCode {
public:
  explicit InertCode(const Decl *Owner) : Owner(Owner) {}

  bool stmt(const Stmt *S) {
    if (!S)
      return false;
    if (isa<NullStmt>(S))
      return true;
    if (const auto *CS = dyn_cast<CompoundStmt>(S))
      return llvm::all_of(CS->body(), [&](const Stmt *C) { return stmt(C); });
    if (const auto *RS = dyn_cast<ReturnStmt>(S))
      return !RS->getRetValue() || expr(RS->getRetValue());
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      return llvm::all_of(DS->decls(), [&](const Decl *D) {
        const auto *VD = dyn_cast<VarDecl>(D);
        if (!VD || !VD->hasLocalStorage() || VD->hasAttrs() || !scalar(VD->getType()))
          return false;
        Locals.push_back(VD);
        return !VD->getInit() || expr(VD->getInit());
      });
    if (const auto *E = dyn_cast<Expr>(S))
      return expr(E);
    return false;
  }

  bool expr(const Expr *E) {
    if (isa<IntegerLiteral>(E) || isa<FloatingLiteral>(E) || isa<CharacterLiteral>(E) ||
        isa<CXXBoolLiteralExpr>(E))
      return scalar(E->getType());
    if (const auto *IL = dyn_cast<InitListExpr>(E)) {
      const auto *AT = E->getType()->getAsArrayTypeUnsafe();
      return AT && scalar(AT->getElementType()) && !IL->hasArrayFiller() &&
             llvm::all_of(IL->inits(), [&](const Expr *I) { return expr(I); });
    }
    if (!scalar(E->getType()))
      return false;
    if (const auto *P = dyn_cast<ParenExpr>(E))
      return expr(P->getSubExpr());
    if (const auto *C = dyn_cast<ImplicitCastExpr>(E))
      return expr(C->getSubExpr());
    if (const auto *U = dyn_cast<UnaryOperator>(E))
      return U->getOpcode() != UO_AddrOf && U->getOpcode() != UO_Deref &&
             U->getOpcode() != UO_Coawait && U->getOpcode() != UO_Extension &&
             expr(U->getSubExpr());
    if (const auto *B = dyn_cast<BinaryOperator>(E))
      return B->getOpcode() != BO_PtrMemD && B->getOpcode() != BO_PtrMemI &&
             B->getOpcode() != BO_Cmp && expr(B->getLHS()) && expr(B->getRHS());
    if (const auto *C = dyn_cast<ConditionalOperator>(E))
      return expr(C->getCond()) && expr(C->getTrueExpr()) && expr(C->getFalseExpr());
    if (const auto *R = dyn_cast<DeclRefExpr>(E)) {
      const ValueDecl *D = R->getDecl();
      if (const auto *P = dyn_cast<ParmVarDecl>(D))
        return P->getDeclContext() == dyn_cast<DeclContext>(Owner);
      return llvm::is_contained(Locals, D);
    }
    return false;
  }

private:
  const Decl *Owner;
  std::vector<const ValueDecl *> Locals;
};

bool inertDeclaration(Sema &S, const DeclaratorDecl *D, const NameFilter &Read) {
  if (!D->getDeclName().isIdentifier() || Read.mayHold(D->getName()) || D->isInvalidDecl() ||
      D->isReferenced() || D->isUsed() || D->isTemplated() || D->getPreviousDecl() ||
      D->getMostRecentDecl() != D || D->isImplicit())
    return false;
  if (llvm::any_of(D->attrs(), [](const Attr *A) { return !isa<UnusedAttr>(A) || A->isImplicit(); }))
    return false;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    const auto *Proto = FD->getType()->getAs<FunctionProtoType>();
    if (FD->getStorageClass() != SC_Static || !FD->doesThisDeclarationHaveABody() ||
        isa<CXXMethodDecl>(FD) || FD->isConstexpr() || FD->isVariadic() || !Proto ||
        Proto->getExceptionSpecType() != EST_None || !scalar(FD->getReturnType()) ||
        FD->getTemplatedKind() != FunctionDecl::TK_NonTemplate)
      return false;
    for (const ParmVarDecl *P : FD->parameters())
      if (!scalar(P->getType()) || P->hasDefaultArg() || P->hasAttrs())
        return false;
    if (!InertCode(FD).stmt(FD->getBody()))
      return false;
  } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
    QualType T = VD->getType();
    if (const auto *AT = S.getASTContext().getAsConstantArrayType(T))
      T = AT->getElementType();
    if (VD->getStorageClass() != SC_Static || !VD->hasGlobalStorage() || VD->isStaticLocal() ||
        VD->isInline() || VD->getTLSKind() != VarDecl::TLS_None || !scalar(T) ||
        !VD->getInit() || isa<VarTemplateSpecializationDecl>(VD) ||
        !InertCode(VD).expr(VD->getInit()))
      return false;
  } else {
    return false;
  }
  if (S.getASTContext().DeclMustBeEmitted(D) || S.ShouldWarnIfUnusedFileScopedDecl(D))
    return false;
  SourceRange R = D->getSourceRange();
  const SourceManager &SM = S.getSourceManager();
  return R.getBegin().isFileID() && R.getEnd().isFileID() &&
         SM.getFileID(R.getBegin()) == SM.getFileID(R.getEnd());
}

void collectInert(Sema &S, const DeclContext *DC, const NameFilter &Read,
                  std::vector<SourceRange> &Out) {
  for (const Decl *D : DC->decls()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(D))
      collectInert(S, NS, Read, Out);
    else if (const auto *DD = dyn_cast<DeclaratorDecl>(D);
             DD && (isa<FunctionDecl>(DD) || isa<VarDecl>(DD)) && inertDeclaration(S, DD, Read))
      Out.push_back(DD->getSourceRange());
  }
}

} // namespace

std::vector<SourceRange> inertNewDeclarations(Sema &S, const NameFilter &Read) {
  std::vector<SourceRange> Out;
  collectInert(S, S.getASTContext().getTranslationUnitDecl(), Read, Out);
  return Out;
}

void EndOfParseHook::ReadPendingInstantiations(
    llvm::SmallVectorImpl<std::pair<ValueDecl *, SourceLocation>> &) {
  if (!At)
    return;
  std::function<void()> Run = std::move(At);
  At = nullptr;
  Run();
}

} // namespace hotast
