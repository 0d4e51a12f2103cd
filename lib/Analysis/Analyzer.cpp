//===- Analyzer.cpp - Declaration records for a parsed TU -----------------===//
//
// The walk follows the lexical structure (namespaces, linkage specs, classes)
// and records declarations as users wrote them. Implicit declarations and
// implicit template instantiations are not written by anyone and are left
// out; their effect shows in the declarations that use them.
//
//===----------------------------------------------------------------------===//

#include "hotast/Analysis/Analyzer.h"

#include "DeclKeys.h"
#include "StructuralHasher.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hotast {
namespace {

class Walker {
public:
  Walker(ASTContext &Ctx, const AnalysisOptions &Opts)
      : Ctx(Ctx), Opts(Opts), SM(Ctx.getSourceManager()), NamePolicy(Ctx.getPrintingPolicy()), Keys(Ctx),
        Hasher(Ctx, Keys, Opts.DebugInfo) {
    NamePolicy.AnonymousTagLocations = false;
  }

  TUAnalysis run() {
    walkContext(Ctx.getTranslationUnitDecl());
    TUAnalysis Out;
    Out.DebugInfo = Opts.DebugInfo;
    if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
      Out.MainFile = std::string(Main->getName());
    Out.Decls.reserve(Entities.size());
    for (Entity &E : Entities)
      if (E.InMainFile || !Opts.MainFileOnly)
        Out.Decls.push_back(finish(E));
    return Out;
  }

private:
  struct Entity {
    const Decl *Canonical;
    const Decl *Shown; // where the report points: the definition when written
    bool InMainFile;
    size_t Index;
  };

  static DeclClass classify(const Decl *D) {
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

  void record(const Decl *D) {
    const Decl *Canonical = D->getCanonicalDecl();
    bool Main = SM.isInMainFile(SM.getExpansionLoc(D->getLocation()));
    auto [It, Inserted] = Index.try_emplace(Canonical, Entities.size());
    if (Inserted) {
      Entities.push_back({Canonical, D, Main, Entities.size()});
      return;
    }
    Entity &E = Entities[It->second];
    E.InMainFile |= Main;
    if (isDefinition(D) && !isDefinition(E.Shown))
      E.Shown = D;
  }

  void walkContext(const DeclContext *DC) {
    for (const Decl *D : DC->decls())
      walk(D);
  }

  void walk(const Decl *D) {
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
      record(TD);
      if (const auto *CTD = dyn_cast<ClassTemplateDecl>(TD))
        walkContext(CTD->getTemplatedDecl());
      return;
    }
    record(D);
    if (const auto *RD = dyn_cast<RecordDecl>(D))
      walkContext(RD);
    else if (const auto *ED = dyn_cast<EnumDecl>(D))
      walkContext(ED);
  }

  DeclRecord finish(const Entity &E) {
    // Hash the most complete redeclaration: the definition if there is one.
    const Decl *Hashed = E.Shown;
    DeclHashes Hashes = Hasher.hashEntity(Hashed);
    DeclRecord R;
    R.Key = Keys.get(E.Canonical).Text;
    R.Kind = std::string(readableKind(Hashed));
    R.Class = classify(Hashed);
    if (const auto *ND = dyn_cast<NamedDecl>(Hashed)) {
      llvm::raw_string_ostream OS(R.Name);
      ND->printQualifiedName(OS, NamePolicy);
    }
    if (R.Name.empty() || isa<UsingDirectiveDecl>(Hashed))
      R.Name = describeUnnamed(Hashed);
    PresumedLoc P = SM.getPresumedLoc(SM.getExpansionLoc(Hashed->getLocation()));
    if (P.isValid()) {
      R.File = P.getFilename();
      R.Line = P.getLine();
    }
    R.InMainFile = E.InMainFile;
    R.Sig = Hashes.Sig;
    R.Full = Hashes.Full;
    R.Layout = Hashes.Layout;
    R.Refs = std::move(Hashes.Refs);
    return R;
  }

  std::string describeUnnamed(const Decl *D) {
    std::string Parent;
    if (const auto *ND = dyn_cast<NamedDecl>(D->getDeclContext()))
      Parent = ND->getQualifiedNameAsString() + "::";
    if (const auto *UD = dyn_cast<UsingDirectiveDecl>(D))
      return Parent + "using namespace " +
             (UD->getNominatedNamespace()
                  ? UD->getNominatedNamespace()->getQualifiedNameAsString()
                  : std::string());
    if (isa<StaticAssertDecl>(D))
      return Parent + "static_assert";
    if (isa<FileScopeAsmDecl>(D))
      return Parent + "asm";
    return Parent + "(anonymous " + std::string(readableKind(D)) + ")";
  }

  ASTContext &Ctx;
  const AnalysisOptions &Opts;
  SourceManager &SM;
  PrintingPolicy NamePolicy;
  KeyTable Keys;
  StructuralHasher Hasher;
  std::vector<Entity> Entities;
  llvm::DenseMap<const Decl *, size_t> Index;
};

} // namespace

TUAnalysis analyzeTranslationUnit(ASTContext &Ctx, const AnalysisOptions &Opts) {
  return Walker(Ctx, Opts).run();
}

} // namespace hotast
