//===- DeclKeys.cpp - Stable keys for declarations ------------------------===//

#include "DeclKeys.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprConcepts.h"
#include "clang/Index/USRGeneration.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hotast {

bool KeyTable::isFunctionLocal(const Decl *D) {
  if (D->isLocalExternDecl())
    return false;
  // A requires-expression's parameters live in its body, which may sit in a
  // concept rather than a function.
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (DC->isFunctionOrMethod() || isa<RequiresExprBodyDecl>(DC))
      return true;
  return false;
}

const DeclKey &KeyTable::get(const Decl *D) {
  D = D->getCanonicalDecl();
  auto It = Keys.find(D);
  if (It != Keys.end())
    return It->second;
  std::string Text = computeKey(D);
  Hash128 H = hashBytes(Text);
  // computeKey may have added parents' keys; look the slot up again.
  DeclKey &Slot = Keys[D];
  Slot.Text = std::move(Text);
  Slot.Hash = H;
  return Slot;
}

static const DeclContext *keyParent(const DeclContext *DC) {
  while (DC && (isa<LinkageSpecDecl>(DC) || isa<ExportDecl>(DC)))
    DC = DC->getParent();
  return DC;
}

static bool isUnnamed(const Decl *D) {
  const auto *ND = dyn_cast<NamedDecl>(D);
  if (!ND)
    return true;
  if (isa<NamespaceDecl>(ND) || isa<UsingDirectiveDecl>(ND))
    return false; // "@aN" is stable; using-directives are handled by the USR check
  return ND->getDeclName().isEmpty();
}

/// A specialization's template and arguments (none for other declarations).
static std::pair<const Decl *, ArrayRef<TemplateArgument>> specializationOf(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs())
      return {FD->getPrimaryTemplate(), Args->asArray()};
  if (const auto *CS = dyn_cast<ClassTemplateSpecializationDecl>(D))
    return {CS->getSpecializedTemplate(), CS->getTemplateArgs().asArray()};
  if (const auto *VS = dyn_cast<VarTemplateSpecializationDecl>(D))
    return {VS->getSpecializedTemplate(), VS->getTemplateArgs().asArray()};
  return {nullptr, {}};
}

static void recordsInArg(const TemplateArgument &A, SmallVectorImpl<const CXXRecordDecl *> &Out,
                         unsigned Depth);

/// The classes a type names (through pointers, references, arrays, function
/// types and template arguments), in order.
static void recordsInType(QualType T, SmallVectorImpl<const CXXRecordDecl *> &Out,
                          unsigned Depth) {
  if (T.isNull() || Depth > 16)
    return;
  const Type *Ty = T.getCanonicalType().getTypePtr();
  if (const CXXRecordDecl *RD = Ty->getAsCXXRecordDecl()) {
    Out.push_back(RD);
    for (const TemplateArgument &A : specializationOf(RD).second)
      recordsInArg(A, Out, Depth + 1);
    return;
  }
  if (const auto *P = dyn_cast<PointerType>(Ty))
    return recordsInType(P->getPointeeType(), Out, Depth + 1);
  if (const auto *R = dyn_cast<ReferenceType>(Ty))
    return recordsInType(R->getPointeeType(), Out, Depth + 1);
  if (const auto *M = dyn_cast<MemberPointerType>(Ty)) {
    recordsInType(QualType(M->getClass(), 0), Out, Depth + 1);
    return recordsInType(M->getPointeeType(), Out, Depth + 1);
  }
  if (const auto *A = dyn_cast<ArrayType>(Ty))
    return recordsInType(A->getElementType(), Out, Depth + 1);
  if (const auto *F = dyn_cast<FunctionType>(Ty)) {
    recordsInType(F->getReturnType(), Out, Depth + 1);
    if (const auto *FP = dyn_cast<FunctionProtoType>(F))
      for (QualType P : FP->getParamTypes())
        recordsInType(P, Out, Depth + 1);
  }
}

static void recordsInArg(const TemplateArgument &A, SmallVectorImpl<const CXXRecordDecl *> &Out,
                         unsigned Depth) {
  switch (A.getKind()) {
  case TemplateArgument::Type:
    return recordsInType(A.getAsType(), Out, Depth);
  case TemplateArgument::Declaration:
    return recordsInType(A.getParamTypeForDecl(), Out, Depth);
  case TemplateArgument::Pack:
    for (const TemplateArgument &P : A.pack_elements())
      recordsInArg(P, Out, Depth);
    return;
  default:
    return;
  }
}

/// The classes a specialization's arguments name that take a fallback key
/// (lambdas, unnamed classes): their USRs hold file offsets, which any byte
/// before them moves, so the specialization's USR would too.
std::vector<const Decl *> KeyTable::fallbackArgs(const Decl *D) {
  SmallVector<const CXXRecordDecl *, 4> Records;
  for (const TemplateArgument &A : specializationOf(D).second)
    recordsInArg(A, Records, 0);
  std::vector<const Decl *> Out;
  for (const CXXRecordDecl *RD : Records)
    if (RD->isLambda() || needsFallback(RD))
      Out.push_back(RD);
  return Out;
}

bool KeyTable::needsFallback(const Decl *D) {
  if (!D || isa<TranslationUnitDecl>(D))
    return false;
  // Asked for every key and for every class a specialization's arguments
  // name (the same few, over and over): once per declaration, and its
  // parents' answers shared.
  if (auto It = NeedsFallback.find(D); It != NeedsFallback.end())
    return It->second;
  NeedsFallback[D] = false;
  const auto *RD = dyn_cast<CXXRecordDecl>(D);
  bool Needs = isUnnamed(D) || (RD && RD->isLambda()) || !fallbackArgs(D).empty();
  if (!Needs)
    if (const DeclContext *P = keyParent(D->getDeclContext()))
      Needs = needsFallback(cast<Decl>(P));
  NeedsFallback[D] = Needs;
  return Needs;
}

std::string KeyTable::computeKey(const Decl *D) {
  if (!needsFallback(D)) {
    llvm::SmallString<128> USR;
    if (!index::generateUSRForDecl(D, USR))
      return std::string(USR);
  }
  return fallbackKey(D);
}

static std::string fallbackBase(const Decl *D, const PrintingPolicy &Policy) {
  std::string Base = D->getDeclKindName();
  Base += ':';
  if (const auto *UD = dyn_cast<UsingDirectiveDecl>(D)) {
    if (const NamespaceDecl *NS = UD->getNominatedNamespace())
      Base += NS->getQualifiedNameAsString();
  } else if (const auto *ND = dyn_cast<NamedDecl>(D)) {
    // Constructor names of unnamed classes print as the class, which by
    // default includes its location.
    llvm::raw_string_ostream OS(Base);
    ND->getDeclName().print(OS, Policy);
  }
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    Base += '(';
    Base += FD->getType().getCanonicalType().getAsString(Policy);
    Base += ')';
  }
  return Base;
}

unsigned KeyTable::siblingOrdinal(const Decl *D, llvm::StringRef Base) {
  const DeclContext *DC = D->getLexicalDeclContext();
  auto [It, Inserted] = Ordinals.try_emplace(DC);
  if (Inserted) {
    // Number every canonical child that would take a fallback key, once per context.
    llvm::StringMap<unsigned> Seen;
    PrintingPolicy Policy = Ctx.getPrintingPolicy();
    Policy.AnonymousTagLocations = false;
    for (const Decl *Child : DC->decls()) {
      if (Child != Child->getCanonicalDecl() || !isUnnamed(Child))
        continue;
      It->second[Child] = Seen[fallbackBase(Child, Policy)]++;
    }
  }
  auto Found = It->second.find(D);
  return Found == It->second.end() ? 0 : Found->second;
}

std::string KeyTable::fallbackKey(const Decl *D) {
  PrintingPolicy Policy = Ctx.getPrintingPolicy();
  Policy.AnonymousTagLocations = false;

  std::string Key;
  const DeclContext *Parent = keyParent(D->getDeclContext());
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D); RD && RD->isLambda()) {
    // A lambda's class is numbered within its context declaration (the variable
    // or field it initializes), like its mangled name.
    if (const Decl *Context = RD->getLambdaContextDecl())
      Key = get(Context).Text;
    else if (Parent && !isa<TranslationUnitDecl>(Parent))
      Key = get(cast<Decl>(Parent)).Text;
    else
      Key = "h:";
    return Key + "@lambda#" + std::to_string(RD->getLambdaManglingNumber());
  }
  if (std::vector<const Decl *> Named = fallbackArgs(D); !Named.empty()) {
    // The template's key, the arguments as printed without locations, and
    // the key of each class among them that has no USR of its own.
    auto [Template, Args] = specializationOf(D);
    Key = get(Template).Text + "<";
    llvm::raw_string_ostream OS(Key);
    for (const TemplateArgument &A : Args) {
      A.print(Policy, OS, /*IncludeType=*/true);
      OS << ',';
    }
    OS << '>';
    for (const Decl *R : Named)
      OS << '{' << get(R).Text << '}';
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      OS << '(' << FD->getType().getCanonicalType().getAsString(Policy) << ')';
    return Key;
  }
  if (Parent && !isa<TranslationUnitDecl>(Parent))
    Key = get(cast<Decl>(Parent)).Text;
  else
    Key = "h:";
  std::string Base = fallbackBase(D, Policy);
  Key += '@';
  Key += Base;
  if (unsigned N = siblingOrdinal(D, Base))
    Key += "#" + std::to_string(N);
  return Key;
}

llvm::StringRef readableKind(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->getTemplateSpecializationKind() == TSK_ExplicitSpecialization)
      return "specialization";
    if (isa<CXXConstructorDecl>(FD))
      return "constructor";
    if (isa<CXXDestructorDecl>(FD))
      return "destructor";
    if (isa<CXXConversionDecl>(FD))
      return "conversion";
    if (isa<CXXMethodDecl>(FD))
      return "method";
    return "function";
  }
  if (const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
    if (isa<ClassTemplatePartialSpecializationDecl>(CTSD))
      return "partial specialization";
    return CTSD->getSpecializationKind() == TSK_ExplicitSpecialization
               ? "specialization"
               : "explicit instantiation";
  }
  if (const auto *TD = dyn_cast<TagDecl>(D)) {
    if (isa<EnumDecl>(TD))
      return "enum";
    return TD->getKindName();
  }
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return VD->isStaticDataMember() ? "static member" : "variable";
  switch (D->getKind()) {
  case Decl::FunctionTemplate:
    return "function template";
  case Decl::ClassTemplate:
    return "class template";
  case Decl::VarTemplate:
    return "variable template";
  case Decl::TypeAliasTemplate:
    return "alias template";
  case Decl::Concept:
    return "concept";
  case Decl::EnumConstant:
    return "enumerator";
  case Decl::Field:
    return "field";
  case Decl::Typedef:
    return "typedef";
  case Decl::TypeAlias:
    return "type alias";
  case Decl::Using:
    return "using";
  case Decl::UsingEnum:
    return "using enum";
  case Decl::UsingDirective:
    return "using namespace";
  case Decl::NamespaceAlias:
    return "namespace alias";
  case Decl::StaticAssert:
    return "static_assert";
  case Decl::FileScopeAsm:
    return "asm";
  case Decl::PragmaComment:
    return "pragma comment";
  default:
    return D->getDeclKindName();
  }
}

} // namespace hotast
