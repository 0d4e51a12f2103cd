//===- HashDecls.cpp - Hashing declarations: signature and definition -----===//
//
// `sig` is what a user of a declaration sees without its definition; `full`
// continues the same stream with the definition. An entity's redeclarations
// are merged: a forward declaration added or removed changes nothing, default
// arguments count wherever they are declared.
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/RecordLayout.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;

namespace hotast {

StructuralHasher::StructuralHasher(ASTContext &Ctx, KeyTable &Keys, bool DebugInfo,
                                   bool IRMetadata, bool EnumRanges)
    : Ctx(Ctx), Keys(Keys), Debug(DebugInfo), IRMetadata(IRMetadata), EnumRanges(EnumRanges) {}

Hash128 joinParts(const Hash128 &Core, llvm::ArrayRef<OptionalMember> Members,
                  llvm::function_ref<bool(const OptionalMember &)> Take,
                  const Hash128 *DefaultArgs) {
  if (Members.empty() && !DefaultArgs)
    return Core;
  Hasher W;
  W.add(Core);
  for (const OptionalMember &M : Members)
    if (Take(M))
      W.add(M.Name->getName()).add(M.Sig);
  if (DefaultArgs)
    W.add(*DefaultArgs);
  return W.final();
}

DeclHashes StructuralHasher::hashEntity(const Decl *D) { return hash(D); }

DeclHashes StructuralHasher::hashWithoutDefinition(const Decl *D) {
  NoDefinition = true;
  DeclHashes Out = hash(D);
  NoDefinition = false;
  return Out;
}

DeclHashes StructuralHasher::hash(const Decl *D) {
  H.reset();
  DefaultArgs.reset();
  LocalOrdinals.clear();
  RefDecls.clear();
  DefaultArgUses.clear();
  DefaultExprContext = nullptr;
  OptionalMembers.clear();
  NamesLookedUp.clear();
  PrintedNames.clear();
  OptionalOwner = nullptr;
  if (!Debug) {
    const Decl *Owner = D;
    if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
      Owner = CTD->getTemplatedDecl();
    if (const auto *RD = dyn_cast<CXXRecordDecl>(Owner))
      OptionalOwner = RD->getDefinition();
  }

  add(HashFormatVersion);
  addBool(Debug);
  if (Debug) {
    // Every declaration's position reaches the debug info.
    llvm::SmallVector<SourceLocation, 4> Locs;
    for (const Decl *R : D->redecls())
      Locs.push_back(R->getLocation());
    const SourceManager &SM = Ctx.getSourceManager();
    llvm::sort(Locs, [&](SourceLocation A, SourceLocation B) {
      return SM.isBeforeInTranslationUnit(A, B);
    });
    for (SourceLocation L : Locs)
      addLoc(L);
  }
  addDeclSig(D);
  DeclHashes Out;
  // The optional members' signatures and the default arguments' code join
  // Sig and Full; the fingerprint may leave them out (FullCore).
  auto Whole = [&](const Hash128 &Core) {
    Hash128 Code;
    if (!DefaultArgs.empty())
      Code = DefaultArgs.final();
    return joinParts(Core, OptionalMembers, [](const OptionalMember &) { return true; },
                     DefaultArgs.empty() ? nullptr : &Code);
  };
  Out.Sig = Whole(H.final());
  addDeclBody(D);
  Out.FullCore = H.final();
  Out.Full = Whole(Out.FullCore);
  Out.HasDefaultArgs = !DefaultArgs.empty();
  if (Out.HasDefaultArgs)
    Out.DefaultArgsCode = DefaultArgs.final();
  Out.OptionalMembers = std::move(OptionalMembers);
  Out.NamesLookedUp.assign(NamesLookedUp.begin(), NamesLookedUp.end());
  Out.PrintedNames = std::move(PrintedNames);
  if (!RefsOnly)
    Out.Layout = computeLayout(D);

  const Decl *Self = D->getCanonicalDecl();
  for (const Decl *R : RefDecls)
    if (R != Self)
      Out.RefDecls.push_back(R);
  Out.DefaultArgUses.assign(DefaultArgUses.begin(), DefaultArgUses.end());
  return Out;
}

DeclHashes StructuralHasher::refsOf(const Decl *D) {
  RefsOnly = true;
  DeclHashes Out = hashEntity(D);
  RefsOnly = false;
  return Out;
}

/// Names that reach the object (and so are hashed) even for locals: static
/// locals and local types appear in mangled names.
static bool localNameReachesObject(const Decl *D) {
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return VD->isStaticLocal();
  return isa<TagDecl>(D) || isa<FunctionDecl>(D);
}

void StructuralHasher::addTemplateParams(const TemplateParameterList *TPL) {
  if (!TPL) {
    add(TagNull);
    return;
  }
  add(TPL->size());
  for (const NamedDecl *P : *TPL) {
    add(P->getKind());
    addLocalName(P);
    if (const auto *TTP = dyn_cast<TemplateTypeParmDecl>(P)) {
      addBool(TTP->isParameterPack());
      if (TTP->hasDefaultArgument())
        addTemplateArg(TTP->getDefaultArgument().getArgument());
      if (const TypeConstraint *TC = TTP->getTypeConstraint())
        addStmt(TC->getImmediatelyDeclaredConstraint());
    } else if (const auto *NTTP = dyn_cast<NonTypeTemplateParmDecl>(P)) {
      addBool(NTTP->isParameterPack());
      addType(NTTP->getType());
      if (NTTP->hasDefaultArgument())
        addTemplateArg(NTTP->getDefaultArgument().getArgument());
    } else if (const auto *TTP = dyn_cast<TemplateTemplateParmDecl>(P)) {
      addBool(TTP->isParameterPack());
      addTemplateParams(TTP->getTemplateParameters());
      if (TTP->hasDefaultArgument())
        addTemplateArg(TTP->getDefaultArgument().getArgument());
    }
    add(TagEnd);
  }
  addStmt(TPL->getRequiresClause());
}

/// Names the compiler looks up in a class without code spelling them
/// (docs/hashing.md, "Optional members"): a member so named is never
/// optional.
static bool isLookedUpImplicitly(const IdentifierInfo *Name) {
  static const llvm::StringSet<> Names = {
      // range-based for; structured bindings
      "begin", "end", "get",
      // coroutines: the promise, its awaiters, the handle
      "promise_type", "get_return_object", "get_return_object_on_allocation_failure",
      "initial_suspend", "final_suspend", "unhandled_exception", "return_value",
      "return_void", "yield_value", "await_transform", "await_ready", "await_suspend",
      "await_resume", "from_address", "address",
      // __builtin_source_location; tuple_size and tuple_element; a C++26
      // static_assert message; comparison categories; a lambda's invoker;
      // a fix-it's suggestion; libstdc++'s member swap
      "__impl", "value", "type", "size", "data", "equal", "equivalent", "less",
      "greater", "unordered", "__invoke", "c_str", "swap"};
  return Names.contains(Name->getName());
}

/// Attributes that emit nothing for a function nothing calls, and change
/// no lookup: a member declared with these only may be optional.
static bool isInertAttr(const Attr *A) {
  return isa<WarnUnusedResultAttr, DeprecatedAttr, UnusedAttr, VisibilityAttr,
             AlwaysInlineAttr, NoInlineAttr, ColdAttr, HotAttr, PureAttr, ConstAttr,
             NoThrowAttr, FormatAttr, NonNullAttr, ReturnsNonNullAttr,
             ExcludeFromExplicitInstantiationAttr, AbiTagAttr>(A);
}

/// Whether a class's members may be optional at all: a C++ class whose
/// members all need a lookup to be used. With a dependent base a function
/// may turn out to override a virtual one (only the instantiation knows);
/// an exported class emits every member; a property names its accessors.
static bool mayHaveOptionalMembers(const RecordDecl *Def) {
  const auto *CXX = dyn_cast<CXXRecordDecl>(Def);
  if (!CXX || CXX->isLambda() || CXX->hasAnyDependentBases() || CXX->hasAttr<DLLExportAttr>())
    return false;
  return llvm::none_of(CXX->decls(), [](const Decl *M) { return isa<MSPropertyDecl>(M); });
}

/// A member nothing reaches but a lookup of its name, when M is one: a
/// function (or function template) that is neither virtual nor special (a
/// constructor, destructor, conversion or operator: calls no code spells
/// reach those), declared with inert attributes only; or a named member
/// class (or class template). Such a member changes the object only where
/// a lookup finds it: code the parse resolved names it (then it is in the
/// closure itself), and dependent code names it (NamesLookedUp).
static const IdentifierInfo *optionalMemberName(const Decl *M) {
  const Decl *Inner = M;
  if (const auto *FTD = dyn_cast<FunctionTemplateDecl>(M))
    Inner = FTD->getTemplatedDecl();
  else if (const auto *CTD = dyn_cast<ClassTemplateDecl>(M))
    Inner = CTD->getTemplatedDecl();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Inner)) {
    if (isa<CXXConstructorDecl, CXXDestructorDecl, CXXConversionDecl>(MD) || MD->isVirtual())
      return nullptr;
    for (const FunctionDecl *R : MD->redecls())
      if (R->hasAttrs() && !llvm::all_of(R->getAttrs(), isInertAttr))
        return nullptr;
  } else if (const auto *RD = dyn_cast<CXXRecordDecl>(Inner)) {
    if (RD->isLambda() || RD->isInjectedClassName() || RD->isAnonymousStructOrUnion() ||
        RD->hasAttrs())
      return nullptr;
  } else {
    return nullptr;
  }
  if (M->hasAttrs() && !llvm::all_of(M->getAttrs(), isInertAttr))
    return nullptr;
  const IdentifierInfo *Name = cast<NamedDecl>(M)->getIdentifier();
  if (!Name || isLookedUpImplicitly(Name))
    return nullptr;
  return Name;
}

void StructuralHasher::addRecordSig(const Decl *D) {
  const auto *RD = cast<RecordDecl>(D);
  const RecordDecl *Def = RD->getDefinition();
  add(static_cast<uint64_t>(RD->getTagKind()));
  if (!Def) {
    add(TagNull);
    return;
  }
  if (const auto *CXX = dyn_cast<CXXRecordDecl>(Def)) {
    for (const CXXBaseSpecifier &B : CXX->bases()) {
      add(TagBase);
      addType(B.getType());
      addBool(B.isVirtual());
      add(B.getAccessSpecifier());
      addBool(B.isPackExpansion());
    }
    if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(CXX)) {
      addDeclRef(Spec->getSpecializedTemplate());
      addTemplateArgs(Spec->getTemplateArgs().asArray());
      add(Spec->getSpecializationKind());
      if (const auto *Partial = dyn_cast<ClassTemplatePartialSpecializationDecl>(Spec))
        addTemplateParams(Partial->getTemplateParameters());
    }
  }
  // Members as declared: what users of the class can see. Bodies are the
  // members' own business, except in a local class, which is hashed whole.
  // The entity's own optional members go apart (OptionalMembers).
  const bool Local = KeyTable::isFunctionLocal(Def);
  const bool Optional = !Local && Def == OptionalOwner && mayHaveOptionalMembers(Def);
  for (const Decl *M : Def->decls()) {
    if (M->isImplicit())
      continue;
    if (const IdentifierInfo *Name = Optional ? optionalMemberName(M) : nullptr) {
      // Its own stream and the references it adds; its parameters take no
      // ordinal from the members that follow.
      Hasher Member;
      const size_t RefsBefore = RefDecls.size(), OrdinalsBefore = LocalOrdinals.size();
      std::swap(H, Member);
      add(TagMember);
      add(M->getKind());
      if (isa<TagDecl>(M))
        addDeclRef(M);
      else
        addDeclSig(M);
      std::swap(H, Member);
      OptionalMember Out{Name, Member.final(), {}};
      Out.Refs.assign(RefDecls.begin() + RefsBefore, RefDecls.end());
      while (RefDecls.size() != RefsBefore)
        RefDecls.pop_back();
      if (LocalOrdinals.size() != OrdinalsBefore)
        for (auto It = LocalOrdinals.begin(); It != LocalOrdinals.end();)
          if (It->second >= OrdinalsBefore)
            LocalOrdinals.erase(It++);
          else
            ++It;
      OptionalMembers.push_back(std::move(Out));
      continue;
    }
    add(TagMember);
    add(M->getKind());
    if (Local) {
      addLocalDecl(M);
    } else if (isa<TagDecl>(M)) {
      addDeclRef(M);
    } else {
      addDeclSig(M);
    }
  }
  add(TagEnd);
  H.add(computeLayout(Def));
}

Hash128 StructuralHasher::computeLayout(const Decl *D) {
  const auto *RD = dyn_cast<RecordDecl>(D);
  if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
    RD = CTD->getTemplatedDecl();
  if (!RD)
    return {};
  RD = RD->getDefinition();
  if (!RD || RD->isInvalidDecl() || RD->isDependentType())
    return {};
  const ASTRecordLayout &L = Ctx.getASTRecordLayout(RD);
  Hasher LH;
  LH.add(HashFormatVersion);
  LH.add(uint64_t(L.getSize().getQuantity()));
  LH.add(uint64_t(L.getAlignment().getQuantity()));
  LH.add(uint64_t(L.getDataSize().getQuantity()));
  LH.add(uint64_t(L.getFieldCount()));
  // Which field sits at which offset: swapping two fields of one type keeps
  // the list of offsets but moves the fields.
  for (const FieldDecl *F : RD->fields()) {
    LH.add(Keys.get(F).Hash);
    LH.add(L.getFieldOffset(F->getFieldIndex()));
  }
  if (const auto *CXX = dyn_cast<CXXRecordDecl>(RD)) {
    LH.addBool(L.hasOwnVFPtr());
    LH.addBool(L.hasOwnVBPtr());
    LH.add(uint64_t(L.getNonVirtualSize().getQuantity()));
    LH.add(uint64_t(L.getNonVirtualAlignment().getQuantity()));
    LH.addBool(CXX->isDynamicClass());
    for (const CXXBaseSpecifier &B : CXX->bases()) {
      const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
      if (!Base || B.isVirtual())
        continue;
      LH.add(Keys.get(Base).Hash);
      LH.add(uint64_t(L.getBaseClassOffset(Base).getQuantity()));
    }
    for (const CXXBaseSpecifier &B : CXX->vbases()) {
      const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl();
      if (!Base)
        continue;
      LH.add(Keys.get(Base).Hash);
      LH.add(uint64_t(L.getVBaseClassOffset(Base).getQuantity()));
    }
  }
  return LH.final();
}

void StructuralHasher::addDeclSig(const Decl *D) {
  add(D->getKind());
  if (const auto *ND = dyn_cast<NamedDecl>(D)) {
    if (KeyTable::isFunctionLocal(D) && !localNameReachesObject(D))
      addLocalName(ND);
    else
      addName(ND->getDeclName());
    // `using Base<T>::f;`: found in the base when instantiated.
    if (isa<UnresolvedUsingValueDecl, UnresolvedUsingTypenameDecl, UnresolvedUsingIfExistsDecl>(D))
      noteNameLookedUp(ND->getDeclName());
  }
  addAttrs(D);

  if (const auto *TD = dyn_cast<TemplateDecl>(D)) {
    addTemplateParams(TD->getTemplateParameters());
    if (const auto *CD = dyn_cast<ConceptDecl>(TD)) {
      addStmt(CD->getConstraintExpr());
      return;
    }
    if (const NamedDecl *Pattern = TD->getTemplatedDecl())
      addDeclSig(Pattern);
    return;
  }
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    addFunctionSig(FD);
    return;
  }
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    addType(VD->getType());
    add(VD->getStorageClass());
    add(VD->getTSCSpec());
    addBool(VD->isConstexpr());
    addBool(VD->isInline());
    add(VD->getAccess());
    if (const auto *Spec = dyn_cast<VarTemplateSpecializationDecl>(VD)) {
      addDeclRef(Spec->getSpecializedTemplate());
      addTemplateArgs(Spec->getTemplateArgs().asArray());
    }
    return;
  }
  if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    addType(FD->getType());
    addBool(FD->isMutable());
    add(FD->getAccess());
    addBool(FD->isBitField());
    if (FD->isBitField()) {
      if (FD->getBitWidth()->isValueDependent())
        addStmt(FD->getBitWidth());
      else
        add(FD->getBitWidthValue(Ctx));
    }
    return;
  }
  if (isa<RecordDecl>(D)) {
    addRecordSig(D);
    return;
  }
  if (const auto *ED = dyn_cast<EnumDecl>(D)) {
    addBool(ED->isScoped());
    addBool(ED->isFixed());
    addType(ED->getIntegerType());
    addType(ED->getPromotionType());
    // The range of its values, which -fstrict-enums and -fsanitize=enum
    // take from the enum for every load of the type (EnumRanges), and debug
    // info holds. (Without them it reaches no object; what Sema takes from
    // it, a constant out of range or a comparison always true, is in the
    // code that does it, or a warning the parse prints itself.)
    if (EnumRanges || Debug) {
      add(ED->getNumPositiveBits());
      add(ED->getNumNegativeBits());
    }
    // Each enumerator is a record of its own, on which the code that names
    // it depends (name lookup included: an enumerator that hides another
    // name changes what the code refers to). The whole list reaches the
    // object only through debug info.
    if (Debug)
      for (const EnumConstantDecl *E : ED->enumerators()) {
        add(E->getName());
        addInt(E->getInitVal());
      }
    add(TagEnd);
    return;
  }
  if (const auto *ECD = dyn_cast<EnumConstantDecl>(D)) {
    addType(ECD->getType());
    return;
  }
  if (const auto *TND = dyn_cast<TypedefNameDecl>(D)) {
    addType(TND->getUnderlyingType());
    return;
  }
  if (const auto *UD = dyn_cast<UsingDecl>(D)) {
    addNNS(UD->getQualifier());
    for (const UsingShadowDecl *Shadow : UD->shadows())
      addDeclRef(Shadow->getTargetDecl());
    add(TagEnd);
    return;
  }
  if (const auto *UD = dyn_cast<UsingDirectiveDecl>(D)) {
    addDeclRef(UD->getNominatedNamespace());
    return;
  }
  if (const auto *UED = dyn_cast<UsingEnumDecl>(D)) {
    addDeclRef(UED->getEnumDecl());
    return;
  }
  if (const auto *NAD = dyn_cast<NamespaceAliasDecl>(D)) {
    addDeclRef(NAD->getNamespace());
    return;
  }
  if (const auto *SA = dyn_cast<StaticAssertDecl>(D)) {
    addStmt(SA->getAssertExpr());
    addStmt(SA->getMessage());
    return;
  }
  if (const auto *Asm = dyn_cast<FileScopeAsmDecl>(D)) {
    addAsm(Asm->getAsmString()->getBytes());
    return;
  }
  if (const auto *FD = dyn_cast<FriendDecl>(D)) {
    if (const TypeSourceInfo *T = FD->getFriendType())
      addType(T->getType());
    else
      addDeclRef(FD->getFriendDecl());
    return;
  }
  if (const auto *PC = dyn_cast<PragmaCommentDecl>(D)) {
    add(PC->getCommentKind());
    add(PC->getArg());
    return;
  }
}

void StructuralHasher::addDeclBody(const Decl *D) {
  if (const auto *TD = dyn_cast<TemplateDecl>(D)) {
    if (const NamedDecl *Pattern = TD->getTemplatedDecl())
      addDeclBody(Pattern);
    return;
  }
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    addFunctionBody(FD);
    return;
  }
  if (const auto *VD = dyn_cast<VarDecl>(D)) {
    const VarDecl *InitDecl = nullptr;
    const Expr *Init = NoDefinition ? nullptr : VD->getAnyInitializer(InitDecl);
    add(TagInit);
    add(InitDecl ? InitDecl->getInitStyle() : 0);
    addStmt(Init);
    if (!KeyTable::isFunctionLocal(VD))
      add(NoDefinition ? VarDecl::DeclarationOnly : VD->hasDefinition());
    return;
  }
  if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    add(TagInit);
    addStmt(FD->getInClassInitializer());
    return;
  }
  if (const auto *ECD = dyn_cast<EnumConstantDecl>(D)) {
    addInt(ECD->getInitVal());
    return;
  }
}

void StructuralHasher::addLocalDecl(const Decl *D) {
  add(TagLocal);
  LocalOrdinals.try_emplace(D->getCanonicalDecl(), LocalOrdinals.size());
  addLoc(D->getLocation());
  if (isa<RecordDecl>(D)) {
    addDeclSig(D); // a local class's members are hashed whole by addRecordSig
    return;
  }
  if (const auto *ED = dyn_cast<EnumDecl>(D)) {
    addDeclSig(ED);
    for (const EnumConstantDecl *E : ED->enumerators()) {
      LocalOrdinals.try_emplace(E, LocalOrdinals.size());
      addDeclBody(E);
    }
    return;
  }
  addDeclSig(D);
  addDeclBody(D);
  if (const auto *DD = dyn_cast<DecompositionDecl>(D)) {
    // What each name is bound to: a member or an element of the
    // decomposed object, or for a tuple-like type the result of its get<I>
    // (held in a variable of its own), a call the unit's code makes.
    for (const BindingDecl *B : DD->bindings()) {
      LocalOrdinals.try_emplace(B, LocalOrdinals.size());
      addLocalName(B);
      addLoc(B->getLocation());
      if (const VarDecl *Holding = B->getHoldingVar()) {
        LocalOrdinals.try_emplace(Holding, LocalOrdinals.size());
        addType(Holding->getType());
        addStmt(Holding->getInit());
      } else {
        addStmt(B->getBinding());
      }
    }
  }
}

} // namespace hotast
