//===- Fingerprint.cpp - The semantic fingerprint of a TU -----------------===//
//
// Every closure member contributes its `full` hash (and layout): when a body
// is visible in this TU it may be emitted or inlined here, and when it is not,
// `full` equals `sig`. That is sound and simple; references that only need a
// signature are a possible refinement. The code of default arguments counts
// only for an entity whose default arguments the unit's code uses (a call
// that leaves an argument out, where the default is hashed as well), and a
// class's optional members only where code may look their name up.
//
//===----------------------------------------------------------------------===//

#include "hotast/Analysis/Fingerprint.h"

#include "ClosureWalk.h"
#include "Entities.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/GlobalDecl.h"
#include "clang/AST/Mangle.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Basic/FileManager.h"
#include "clang/AST/Attr.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace hotast {

/// A function the TU declares and never defines, which emits nothing unless
/// code refers to it (then the closure reaches it from there): a new
/// overload or declaration nothing uses leaves the object as it was. An
/// alias or ifunc is a definition of its own.
static bool isUnusedDeclarationOnly(const Decl *D) {
  const auto *FD = dyn_cast<FunctionDecl>(D);
  if (!FD || FD->isDefined())
    return false;
  return llvm::none_of(FD->redecls(), [](const FunctionDecl *R) {
    return R->hasAttr<AliasAttr>() || R->hasAttr<IFuncAttr>();
  });
}

/// A using-directive, using-declaration or namespace alias at namespace
/// scope: with debug info, code generation describes each one
/// (DW_TAG_imported_module, DW_TAG_imported_declaration) wherever it is
/// declared, whether or not anything uses it.
static bool isNamespaceScopeImport(const Decl *D) {
  return (isa<UsingDirectiveDecl>(D) || isa<UsingDecl>(D) || isa<UsingEnumDecl>(D) ||
          isa<NamespaceAliasDecl>(D)) &&
         D->getDeclContext()->isFileContext();
}

/// Declarations of the TU that reach the object whether or not anything
/// refers to them.
static bool isRoot(ASTContext &Ctx, const Entity &E, const FingerprintOptions &Opts) {
  const Decl *D = E.Shown;
  if (E.InMainFile)
    return !isUnusedDeclarationOnly(D);
  if (isa<FileScopeAsmDecl>(D) || isa<PragmaCommentDecl>(D) ||
      isa<PragmaDetectMismatchDecl>(D))
    return true;
  if (Opts.DebugInfo && isNamespaceScopeImport(D))
    return true;
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return !FD->isDependentContext() && FD->hasBody() && Ctx.DeclMustBeEmitted(FD);
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return !VD->isTemplated() && Ctx.DeclMustBeEmitted(VD);
  return false;
}

/// An explicit instantiation definition ("template int f<int>(int);"):
/// code generation emits it whether or not anything refers to it, and the
/// function's has no declaration of its own in the unit, only a
/// specialization of its template. Each member a class's explicit
/// instantiation defines is one too.
static bool isExplicitInstantiationDefinition(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return FD->getTemplateSpecializationKind() == TSK_ExplicitInstantiationDefinition;
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return VD->getTemplateSpecializationKind() == TSK_ExplicitInstantiationDefinition;
  return false;
}

/// The explicit instantiation definitions among the members of a class
/// template's specialization: its own members, those of its member classes
/// (`template struct B<int>::Inner;`) and the specializations of its member
/// templates (`template long B<int>::g<long>(long) const;`).
static void reachMembers(const DeclContext *DC, llvm::function_ref<void(const Decl *)> Reach) {
  for (const Decl *Member : DC->decls()) {
    Reach(Member);
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(Member))
      for (const FunctionDecl *Spec : FTD->specializations())
        Reach(Spec);
    else if (const auto *RD = dyn_cast<CXXRecordDecl>(Member); RD && !RD->isImplicit())
      reachMembers(RD, Reach);
  }
}

/// Reaches every explicit instantiation definition: those the parse handed
/// code generation (Events), and those found among the specializations of
/// the unit's templates (a parse without events): of a function or
/// variable template, and the members of each specialization of a class
/// template.
static void reachExplicitInstantiations(const std::vector<Entity> &Entities,
                                        llvm::ArrayRef<UnitEvent> Events, ClosureWalk &Walk) {
  auto Reach = [&](const Decl *D) {
    if (isExplicitInstantiationDefinition(D))
      Walk.reach(D);
  };
  for (const UnitEvent &E : Events)
    if (E.K == UnitEvent::Definition)
      Reach(E.D);
  for (const Entity &E : Entities) {
    if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(E.Canonical)) {
      for (const FunctionDecl *Spec : FTD->specializations())
        Reach(Spec);
    } else if (const auto *VTD = dyn_cast<VarTemplateDecl>(E.Canonical)) {
      for (const VarTemplateSpecializationDecl *Spec : VTD->specializations())
        Reach(Spec);
    } else if (const auto *CTD = dyn_cast<ClassTemplateDecl>(E.Canonical)) {
      for (const ClassTemplateSpecializationDecl *Spec : CTD->specializations())
        reachMembers(Spec, Reach);
    }
  }
}

/// A definition with internal linkage that is no inline function, for
/// FingerprintOptions::EveryInternalDefinition.
static bool isInternalDefinition(const Decl *D) {
  if (D->isTemplated())
    return false;
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return FD->doesThisDeclarationHaveABody() && !FD->isInlined() && !FD->isExternallyVisible();
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return VD->hasGlobalStorage() && !VD->isStaticLocal() && !VD->isInline() &&
           VD->isThisDeclarationADefinition() != VarDecl::DeclarationOnly &&
           !VD->isExternallyVisible();
  return false;
}

/// A function or variable with internal linkage that is no inline
/// function, for FingerprintOptions::InternalUses.
static bool isInternalDeclaration(const Decl *D) {
  if (D->isTemplated() || D->isInvalidDecl())
    return false;
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return !FD->isInlined() && !FD->isExternallyVisible();
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return VD->hasGlobalStorage() && !VD->isStaticLocal() && !VD->isInline() &&
           !VD->isExternallyVisible();
  return false;
}

/// Whether D is defined in the unit.
static bool isDefined(const Decl *D) {
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return FD->isDefined();
  return cast<VarDecl>(D)->hasDefinition() != VarDecl::DeclarationOnly;
}

/// A polymorphic class the unit defines (or instantiates), for
/// FingerprintOptions::EveryDynamicClass.
static bool isDynamicClassDefinition(const Decl *D) {
  const auto *RD = dyn_cast<CXXRecordDecl>(D);
  return RD && RD->isThisDeclarationADefinition() && !RD->isDependentContext() &&
         RD->isDynamicClass();
}

/// The name code generation gives code that is no entity: its mangled
/// name (a class's type-info name). Empty when it has none.
static std::string codeName(ASTContext &Ctx, MangleContext &Mangle, const Decl *D) {
  if (D->isTemplated() || D->getDeclContext()->isDependentContext())
    return {};
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  if (const auto *RD = dyn_cast<CXXRecordDecl>(D))
    Mangle.mangleCXXRTTIName(Ctx.getRecordType(RD), OS);
  else if (const auto *CD = dyn_cast<CXXConstructorDecl>(D))
    Mangle.mangleName(GlobalDecl(CD, Ctor_Complete), OS);
  else if (const auto *DD = dyn_cast<CXXDestructorDecl>(D))
    Mangle.mangleName(GlobalDecl(DD, Dtor_Complete), OS);
  else if (isa<FunctionDecl>(D) || isa<VarDecl>(D)) {
    const auto *ND = cast<NamedDecl>(D);
    if (Mangle.shouldMangleDeclName(ND))
      Mangle.mangleName(GlobalDecl(ND), OS);
    else
      OS << ND->getName();
  }
  return Name;
}

/// The order in which the parse produced what the closure reaches: both
/// compilers emit instantiations and implicit members in an order that
/// follows it, and the parse produces each at its first use anywhere,
/// in code that reaches no object too (an inline function nothing calls
/// that uses an instantiation first: `wrapper/emission-order.test`).
static void hashEmissionOrder(ASTContext &Ctx, EntityTable &Table, const ClosureWalk &Walk,
                              llvm::ArrayRef<UnitEvent> Events, Hasher &H) {
  std::unique_ptr<MangleContext> Mangle(Ctx.createMangleContext());
  llvm::DenseSet<std::pair<const Decl *, unsigned>> Seen;
  H.add("emission order");
  for (const UnitEvent &E : Events) {
    const Decl *C = E.D->getCanonicalDecl();
    if (!Seen.insert({C, unsigned(E.K)}).second)
      continue;
    if (int I = Table.indexOf(C); I >= 0) {
      if (Walk.closure().test(I))
        H.add(uint64_t(E.K)).add(Table.keys().get(Table.entities()[I].Canonical).Hash);
      continue;
    }
    if (!Walk.reachedCode(C))
      continue;
    std::string Name = codeName(Ctx, *Mangle, E.D);
    if (!Name.empty())
      H.add(uint64_t(E.K)).add(Name);
  }
}

/// The tokens a declaration spells, comments and spacing left out; with
/// locations in the outputs, where each one is.
static void addTokens(const SourceManager &SM, const LangOptions &LO, const Decl *D,
                      bool Locations, Hasher &H) {
  CharSourceRange Range = SM.getExpansionRange(D->getSourceRange());
  FileID F = SM.getFileID(Range.getBegin());
  if (F != SM.getFileID(Range.getEnd()))
    return H.add("range across files").add(uint64_t(D->getKind())), void();
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(F, &Invalid);
  if (Invalid)
    return H.add("no text"), void();
  unsigned Begin = SM.getFileOffset(Range.getBegin()), End = SM.getFileOffset(Range.getEnd());
  Lexer L(SM.getLocForStartOfFile(F), LO, Buffer.begin(), Buffer.begin() + Begin,
          Buffer.end());
  Token T;
  while (!L.LexFromRawLexer(T) && SM.getFileOffset(T.getLocation()) <= End) {
    H.add(Lexer::getSpelling(T, SM, LO));
    if (Locations)
      H.add(uint64_t(SM.getFileOffset(T.getLocation())));
  }
}

/// FingerprintOptions::SummaryFiles: every declaration of those files, and
/// the tokens of each entity's declarations there.
static void summarizeFiles(ASTContext &Ctx, EntityTable &Table, const FingerprintOptions &Opts,
                           TUFingerprint &Out) {
  const SourceManager &SM = Ctx.getSourceManager();
  const std::vector<Entity> &Entities = Table.entities();
  SummaryFileSet InSummary(SM, Opts.SummaryFiles);
  auto Summarized = [&](const Decl *D) { return InSummary.find(D->getLocation()) != nullptr; };
  for (size_t I = 0; I != Entities.size(); ++I) {
    const Entity &E = Entities[I];
    if (!Summarized(E.Shown) && !Summarized(E.Canonical) && !Summarized(E.First))
      continue;
    Out.FileDecls.push_back(Table.record(I, /*WithRefs=*/false));
    // A unit that does not see the definition (a function defined in its
    // own source file) hashes the declarations it sees.
    if (E.First != E.Shown && !Summarized(E.Shown) && Summarized(E.First) &&
        (isa<FunctionDecl>(E.First) || isa<VarDecl>(E.First))) {
      DeclRecord R = Out.FileDecls.back();
      DeclHashes H = Table.hashesWithoutDefinition(E.First);
      R.Sig = H.Sig;
      R.Full = H.Full;
      R.Layout = H.Layout;
      Out.FileDecls.push_back(std::move(R));
    }
    Hasher Text;
    for (const Decl *R : E.Canonical->redecls())
      if (Summarized(R))
        addTokens(SM, Ctx.getLangOpts(), R, Opts.DebugInfo || Opts.IRMetadata, Text);
    Out.FileDeclTexts.emplace_back(Out.FileDecls.back().Key, Text.final());
  }
}

const std::string *SummaryFileSet::find(SourceLocation Loc) {
  if (Loc.isInvalid())
    return nullptr;
  FileID F = SM.getFileID(SM.getExpansionLoc(Loc));
  auto [It, New] = Seen.try_emplace(F);
  if (New)
    if (OptionalFileEntryRef E = SM.getFileEntryRefForID(F)) {
      llvm::StringRef Real = SM.getFileManager().getCanonicalName(*E);
      if (llvm::is_contained(Files, Real))
        It->second = Real.str();
    }
  return It->second ? &*It->second : nullptr;
}

/// What the fingerprint takes of an entity's definition: FullCore, the code
/// of its default arguments when the unit's code uses one, and each optional
/// member whose name code the walk reached may look up. With all of them,
/// Full.
static Hash128 fingerprinted(const DeclHashes &Hashes, bool DefaultArgsUsed,
                             const ClosureWalk &Walk) {
  const bool DefaultArgs = DefaultArgsUsed && Hashes.HasDefaultArgs;
  return joinParts(
      Hashes.FullCore, Hashes.OptionalMembers,
      [&](const OptionalMember &M) { return Walk.nameLookedUp(M.Name); },
      DefaultArgs ? &Hashes.DefaultArgsCode : nullptr);
}

TUFingerprint computeFingerprint(ASTContext &Ctx, const FingerprintOptions &Opts) {
  EntityTable Table(Ctx, Opts.DebugInfo, Opts.IRMetadata, Opts.LoadedOnly, Opts.EnumRanges);
  const std::vector<Entity> &Entities = Table.entities();

  ClosureWalk Walk(Table);
  for (size_t I = 0; I != Entities.size(); ++I)
    if (isRoot(Ctx, Entities[I], Opts) ||
        (Opts.EveryDynamicClass && isDynamicClassDefinition(Entities[I].Shown)) ||
        (Opts.EveryInternalDefinition && isInternalDefinition(Entities[I].Shown)))
      Walk.addEntity(int(I));
  reachExplicitInstantiations(Entities, Opts.Events, Walk);
  if (Opts.EveryDynamicClass)
    for (const UnitEvent &E : Opts.Events)
      if (E.K == UnitEvent::Class && isDynamicClassDefinition(E.D))
        Walk.reach(E.D);
  Walk.run();
  const llvm::BitVector &InClosure = Walk.closure();

  // In the order of the definitions, which is the order code generation
  // emits them in: two definitions swapped below their declarations swap
  // their code in the object.
  std::vector<int> Order(InClosure.set_bits_begin(), InClosure.set_bits_end());
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::stable_sort(Order, [&](int A, int B) {
    SourceLocation LA = SM.getExpansionLoc(Entities[A].Shown->getLocation());
    SourceLocation LB = SM.getExpansionLoc(Entities[B].Shown->getLocation());
    return LA != LB && SM.isBeforeInTranslationUnit(LA, LB);
  });

  Hasher H;
  H.add(HashFormatVersion);
  H.add(Opts.Salt);
  H.addBool(Opts.DebugInfo);
  H.addBool(Opts.IRMetadata);
  H.addBool(Opts.EnumRanges);
  TUFingerprint Out;
  for (int I : Order) {
    const DeclHashes &Hashes = Table.hashes(I);
    Hash128 Taken = fingerprinted(Hashes, Walk.defaultArgsUsed(I), Walk);
    H.add(Table.keys().get(Entities[I].Canonical).Hash);
    H.add(Taken);
    H.add(Hashes.Layout);
    Out.Closure.push_back(Table.record(I, /*WithRefs=*/false));
    Out.Closure.back().Fingerprinted = Taken;
  }
  // What instantiations print of their own names (ClosureWalk::
  // printedNames), sorted: the walk's order is no order of the object's.
  if (!Walk.printedNames().empty()) {
    std::vector<std::string> Names = Walk.printedNames();
    llvm::sort(Names);
    H.add("printed names");
    for (const std::string &Name : Names)
      H.add(Name);
  }
  if (!Opts.Events.empty())
    hashEmissionOrder(Ctx, Table, Walk, Opts.Events, H);
  if (Opts.InternalUses)
    for (const Entity &E : Entities)
      if (isInternalDeclaration(E.Canonical))
        H.add("internal").add(Table.keys().get(E.Canonical).Hash)
            .addBool(E.Canonical->isReferenced())
            .addBool(E.Canonical->isUsed())
            .addBool(isDefined(E.Canonical));
  for (const Decl *D : Opts.Probes) {
    int I = D ? Table.indexOf(D) : -1;
    Out.ProbesInClosure.push_back(I < 0 || InClosure.test(I));
  }
  Out.Value = H.final();
  Out.PathsReached = Table.pathsReached();
  Out.SourceLocationFile = Table.sourceLocationFile();
  Out.LinesReached.assign(Table.linesReached().begin(), Table.linesReached().end());
  Out.AllLinesReached = Table.allLinesReached();
  Out.AsmReadsFiles = Table.asmReadsFiles();

  if (!Opts.SummaryFiles.empty())
    summarizeFiles(Ctx, Table, Opts, Out);
  return Out;
}

} // namespace hotast
