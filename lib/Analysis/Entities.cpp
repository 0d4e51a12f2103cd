//===- Entities.cpp - The declarations of a TU, one per entity ------------===//

#include "Entities.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hotast {

DeclClass classifyDecl(const Decl *D) {
  if (const auto *TD = dyn_cast<TemplateDecl>(D))
    D = TD->getTemplatedDecl() ? TD->getTemplatedDecl() : D;
  if (isa<FunctionDecl>(D))
    return DeclClass::Function;
  if (isa<VarDecl>(D))
    return DeclClass::Variable;
  if (isa<FieldDecl>(D))
    return DeclClass::Field;
  if (isa<RecordDecl>(D))
    return DeclClass::Record;
  if (isa<EnumDecl>(D))
    return DeclClass::Enum;
  if (isa<EnumConstantDecl>(D))
    return DeclClass::Enumerator;
  if (isa<TypedefNameDecl>(D))
    return DeclClass::Type;
  return DeclClass::Other;
}

EntityTable::EntityTable(ASTContext &Ctx, bool DebugInfo, bool IRMetadata, bool LoadedOnly,
                         bool EnumRanges)
    : Ctx(Ctx), LoadedOnly(LoadedOnly && Ctx.getExternalSource()), SM(Ctx.getSourceManager()), NamePolicy(Ctx.getPrintingPolicy()), Keys(Ctx),
      Hasher(Ctx, Keys, DebugInfo, IRMetadata, EnumRanges) {
  NamePolicy.AnonymousTagLocations = false;
  walkContext(Ctx.getTranslationUnitDecl());
}

static bool isDefinition(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return FD->doesThisDeclarationHaveABody() || FD->isThisDeclarationADefinition();
  if (const auto *TD = dyn_cast<TagDecl>(D))
    return TD->isThisDeclarationADefinition();
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return VD->isThisDeclarationADefinition() == VarDecl::Definition;
  if (const auto *TD = dyn_cast<TemplateDecl>(D))
    return TD->getTemplatedDecl() && isDefinition(TD->getTemplatedDecl());
  return false;
}

void EntityTable::add(const Decl *D) {
  const Decl *Canonical = D->getCanonicalDecl();
  bool Main = SM.isInMainFile(SM.getExpansionLoc(D->getLocation()));
  auto [It, Inserted] = Index.try_emplace(Canonical, int(List.size()));
  if (Inserted) {
    List.push_back({Canonical, D, Main, D});
    return;
  }
  Entity &E = List[It->second];
  E.InMainFile |= Main;
  if (isDefinition(D) && !isDefinition(E.Shown))
    E.Shown = D;
}

void EntityTable::walkContext(const DeclContext *DC) {
  if (LoadedOnly) {
    for (const Decl *D : DC->noload_decls())
      walk(D);
    return;
  }
  for (const Decl *D : DC->decls())
    walk(D);
}

void EntityTable::walk(const Decl *D) {
  if (D->isImplicit())
    return;
  if (isa<LinkageSpecDecl>(D) || isa<ExportDecl>(D) || isa<NamespaceDecl>(D)) {
    walkContext(cast<DeclContext>(D));
    return;
  }
  if (isa<AccessSpecDecl>(D) || isa<EmptyDecl>(D) || isa<UsingShadowDecl>(D) ||
      isa<IndirectFieldDecl>(D))
    return;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(D))
    if (Spec->getSpecializationKind() == TSK_ImplicitInstantiation)
      return;
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D); RD && RD->isLambda())
    return;
  if (const auto *FD = dyn_cast<FriendDecl>(D)) {
    // A friend function is its own entity (found by ADL); a friend class
    // declaration is part of the befriending class.
    if (const NamedDecl *Friend = FD->getFriendDecl())
      walk(Friend);
    return;
  }
  if (const auto *TD = dyn_cast<TemplateDecl>(D)) {
    add(TD);
    if (const auto *CTD = dyn_cast<ClassTemplateDecl>(TD))
      walkContext(CTD->getTemplatedDecl());
    return;
  }
  add(D);
  if (const auto *RD = dyn_cast<RecordDecl>(D))
    walkContext(RD);
  else if (const auto *ED = dyn_cast<EnumDecl>(D))
    walkContext(ED);
}

int EntityTable::indexOf(const Decl *D) const {
  D = D->getCanonicalDecl();
  auto It = Index.find(D);
  if (It != Index.end())
    return It->second;
  // A template's pattern is recorded as the template.
  const Decl *Described = nullptr;
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    Described = FD->getDescribedFunctionTemplate();
  else if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
    Described = RD->getDescribedClassTemplate();
  else if (const auto *VD = dyn_cast<VarDecl>(D))
    Described = VD->getDescribedVarTemplate();
  else if (const auto *TA = dyn_cast<TypeAliasDecl>(D))
    Described = TA->getDescribedAliasTemplate();
  if (Described) {
    It = Index.find(Described->getCanonicalDecl());
    if (It != Index.end())
      return It->second;
  }
  return -1;
}

llvm::SmallVector<int, 2> EntityTable::resolve(const Decl *D) const {
  llvm::SmallVector<int, 2> Out;
  for (int Depth = 0; D && Depth < 16; ++Depth) {
    if (int I = indexOf(D); I >= 0) {
      Out.push_back(I);
      return Out;
    }
    const Decl *Next = nullptr;
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
        if (Pattern != FD)
          Next = Pattern;
    } else if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
      auto From = CTS->getSpecializedTemplateOrPartial();
      if (auto *Partial = From.dyn_cast<ClassTemplatePartialSpecializationDecl *>())
        Next = Partial;
      else
        Next = From.get<ClassTemplateDecl *>();
    } else if (const auto *RD = dyn_cast<CXXRecordDecl>(D)) {
      if (const CXXRecordDecl *Pattern = RD->getTemplateInstantiationPattern())
        if (Pattern != RD)
          Next = Pattern;
    } else if (const auto *VTS = dyn_cast<VarTemplateSpecializationDecl>(D)) {
      auto From = VTS->getSpecializedTemplateOrPartial();
      if (auto *Partial = From.dyn_cast<VarTemplatePartialSpecializationDecl *>())
        Next = Partial;
      else
        Next = From.get<VarTemplateDecl *>();
    } else if (const auto *VD = dyn_cast<VarDecl>(D)) {
      if (const VarDecl *Pattern = VD->getTemplateInstantiationPattern())
        if (Pattern != VD)
          Next = Pattern;
    }
    // Implicit members, members of instantiated classes and the like: the
    // entity that contains them.
    if (!Next)
      Next = dyn_cast_or_null<Decl>(D->getDeclContext());
    if (Next && isa<TranslationUnitDecl>(Next))
      break;
    D = Next;
  }
  return Out;
}

const DeclHashes &EntityTable::hashes(size_t I) {
  if (Hashed.size() != List.size())
    Hashed.resize(List.size());
  if (!Hashed[I])
    Hashed[I] = Hasher.hashEntity(List[I].Shown);
  return *Hashed[I];
}

DeclRecord EntityTable::record(size_t I, bool WithRefs) {
  const Entity &E = List[I];
  const DeclHashes &H = hashes(I);
  const Decl *D = E.Shown;
  DeclRecord R;
  R.Key = Keys.get(E.Canonical).Text;
  R.Kind = std::string(readableKind(D));
  R.Class = classifyDecl(D);
  if (const auto *ND = dyn_cast<NamedDecl>(D)) {
    llvm::raw_string_ostream OS(R.Name);
    ND->printQualifiedName(OS, NamePolicy);
  }
  if (R.Name.empty() || isa<UsingDirectiveDecl>(D))
    R.Name = describeUnnamed(D);
  PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(D->getLocation()));
  if (P.isValid()) {
    R.File = P.getFilename();
    R.Line = P.getLine();
    PresumedLoc End = SM.getPresumedLoc(SM.getExpansionLoc(D->getEndLoc()));
    if (End.isValid() && End.getFileID() == P.getFileID() && End.getLine() >= R.Line)
      R.EndLine = End.getLine();
  }
  R.InMainFile = E.InMainFile;
  R.Sig = H.Sig;
  R.Full = H.Full;
  R.Layout = H.Layout;
  // Key strings only for reports: hashing and the closure use declarations.
  if (!WithRefs)
    return R;
  for (const Decl *Ref : H.RefDecls)
    R.Refs.push_back(Keys.get(Ref).Text);
  llvm::sort(R.Refs);
  R.Refs.erase(std::unique(R.Refs.begin(), R.Refs.end()), R.Refs.end());
  return R;
}

std::string EntityTable::describeUnnamed(const Decl *D) const {
  std::string Parent;
  if (const auto *ND = dyn_cast<NamedDecl>(D->getDeclContext()))
    Parent = ND->getQualifiedNameAsString() + "::";
  if (const auto *UD = dyn_cast<UsingDirectiveDecl>(D))
    return Parent + "using namespace " +
           (UD->getNominatedNamespace() ? UD->getNominatedNamespace()->getQualifiedNameAsString()
                                        : std::string());
  if (isa<StaticAssertDecl>(D))
    return Parent + "static_assert";
  if (isa<FileScopeAsmDecl>(D))
    return Parent + "asm";
  return Parent + "(anonymous " + std::string(readableKind(D)) + ")";
}

} // namespace hotast
