//===- ClosureWalk.h - What code of a unit can reach its object -*- C++ -*-===//
//
// The walk behind the fingerprint (Fingerprint.cpp): from the roots, every
// entity and every instantiation or implicit member their code reaches, and
// the entities whose default arguments that code uses.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_ANALYSIS_CLOSUREWALK_H
#define HOTAST_LIB_ANALYSIS_CLOSUREWALK_H

#include "Entities.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

namespace hotast {

/// The closure: the roots, then everything their code reaches. Entities
/// contribute their hashes. Code that is no entity (instantiations, implicit
/// members) contributes no hash of its own, since its template's pattern and
/// the arguments at the places that name it are hashed, but it is walked for
/// what it reaches: a pattern's dependent code (`new T`, `S::template
/// Bind<T>::type`) names nothing until it is instantiated.
class ClosureWalk {
public:
  ClosureWalk(EntityTable &Table)
      : Table(Table), InClosure(Table.entities().size()),
        DefaultArgsUsed(Table.entities().size()) {}

  void addEntity(int I) {
    if (InClosure.test(I))
      return;
    InClosure.set(I);
    Entities.push_back(I);
  }

  void run() {
    while (!Entities.empty() || !Concrete.empty()) {
      if (!Entities.empty()) {
        int I = Entities.pop_back_val();
        const DeclHashes &H = Table.hashes(I);
        for (const clang::Decl *R : H.RefDecls)
          reach(R);
        useDefaultArgs(H.DefaultArgUses);
        lookUp(H);
        classMembers(Table.entities()[I].Shown, /*Concrete=*/false);
        continue;
      }
      const clang::Decl *D = Concrete.pop_back_val();
      DeclHashes Refs = Table.refsOf(D);
      for (const clang::Decl *R : Refs.RefDecls)
        reach(R);
      useDefaultArgs(Refs.DefaultArgUses);
      lookUp(Refs);
      for (std::string &Name : Refs.PrintedNames)
        PrintedNames.push_back(std::move(Name));
      if (const auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(D))
        reach(MD->getParent());
      classMembers(D, /*Concrete=*/true);
    }
  }

  const llvm::BitVector &closure() const { return InClosure; }
  /// The names Sema printed into the code the walk reached that is no
  /// entity (DeclHashes::PrintedNames), in the order met.
  const std::vector<std::string> &printedNames() const { return PrintedNames; }
  /// Whether code the walk reached uses a default argument entity I's hash
  /// holds: the fingerprint then takes its DefaultArgsCode.
  bool defaultArgsUsed(int I) const { return AllDefaultArgsUsed || DefaultArgsUsed.test(I); }
  /// Whether code the walk reached may look up a member named so when it is
  /// instantiated: the fingerprint then takes the optional members of that
  /// name.
  bool nameLookedUp(const clang::IdentifierInfo *Name) const { return NamesLookedUp.contains(Name); }
  /// Whether the walk reached D, code that is no entity (an instantiation,
  /// an implicit member).
  bool reachedCode(const clang::Decl *D) const { return SeenConcrete.contains(D->getCanonicalDecl()); }

  /// A reference: the entities whose code it brings in, and the referenced
  /// code itself when it is no entity.
  void reach(const clang::Decl *R) {
    if (!R)
      return;
    for (int J : Table.resolve(R))
      addEntity(J);
    if (Table.indexOf(R) >= 0 || !hasCode(R))
      return;
    if (SeenConcrete.insert(R->getCanonicalDecl()).second)
      Concrete.push_back(R);
  }

private:
  /// The names H's code may look up, and its optional members: what each
  /// refers to is reached once its name may be looked up.
  void lookUp(const DeclHashes &H) {
    for (const OptionalMember &M : H.OptionalMembers) {
      if (NamesLookedUp.contains(M.Name)) {
        for (const clang::Decl *R : M.Refs)
          reach(R);
        continue;
      }
      auto &Waiting = RefsAwaitingName[M.Name];
      Waiting.insert(Waiting.end(), M.Refs.begin(), M.Refs.end());
    }
    for (const clang::IdentifierInfo *Name : H.NamesLookedUp) {
      if (!NamesLookedUp.insert(Name).second)
        continue;
      auto It = RefsAwaitingName.find(Name);
      if (It == RefsAwaitingName.end())
        continue;
      std::vector<const clang::Decl *> Refs = std::move(It->second);
      RefsAwaitingName.erase(It);
      for (const clang::Decl *R : Refs)
        reach(R);
    }
  }

  /// Marks the entity whose hash holds each parameter's default argument:
  /// its function's, or for an instantiation its pattern's, or for a
  /// function that is no entity (a lambda's call operator) the nearest
  /// enclosing entity's, which hashes it with its own code. An inheriting
  /// constructor's come from the constructor it inherits. A parameter no
  /// entity can be found for marks every entity.
  void useDefaultArgs(llvm::ArrayRef<const clang::ParmVarDecl *> Params) {
    for (const clang::ParmVarDecl *P : Params) {
      const clang::Decl *D = llvm::dyn_cast<clang::Decl>(P->getDeclContext());
      int I = -1;
      while (D && I < 0) {
        if (const auto *CD = llvm::dyn_cast<clang::CXXConstructorDecl>(D); CD && CD->isInheritingConstructor())
          D = CD->getInheritedConstructor().getConstructor();
        if (const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D))
          if (const clang::FunctionDecl *Pattern = FD->getTemplateInstantiationPattern())
            D = Pattern;
        if (const auto *RD = llvm::dyn_cast<clang::CXXRecordDecl>(D))
          if (const clang::CXXRecordDecl *Pattern = RD->getTemplateInstantiationPattern())
            D = Pattern;
        if (D->isImplicit() && !llvm::isa<clang::CXXRecordDecl>(D))
          break; // an implicit function: its defaults are hashed nowhere
        I = Table.indexOf(D);
        if (I < 0)
          if (const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(D))
            if (const clang::FunctionTemplateDecl *FTD = FD->getDescribedFunctionTemplate())
              I = Table.indexOf(FTD);
        if (I < 0)
          if (const auto *RD = llvm::dyn_cast<clang::CXXRecordDecl>(D))
            if (const clang::ClassTemplateDecl *CTD = RD->getDescribedClassTemplate())
              I = Table.indexOf(CTD);
        D = llvm::dyn_cast_or_null<clang::Decl>(D->getDeclContext());
      }
      if (I < 0)
        AllDefaultArgsUsed = true;
      else
        DefaultArgsUsed.set(I);
    }
  }

  static bool hasCode(const clang::Decl *D) {
    return llvm::isa<clang::FunctionDecl>(D) || llvm::isa<clang::VarDecl>(D) || llvm::isa<clang::CXXRecordDecl>(D);
  }

  /// A class brings its fields (layout, default member initializers used by
  /// implicit constructors), its destructor (run without being named), and
  /// when dynamic its virtual functions (vtables); an instantiated class also
  /// its bases and the classes of its fields, whose members its implicit
  /// members call.
  void classMembers(const clang::Decl *D, bool IsConcrete) {
    const auto *RD = llvm::dyn_cast<clang::RecordDecl>(D);
    if (const auto *CTD = llvm::dyn_cast<clang::ClassTemplateDecl>(D))
      RD = CTD->getTemplatedDecl();
    if (!RD || !(RD = RD->getDefinition()))
      return;
    for (const clang::FieldDecl *F : RD->fields()) {
      if (int I = Table.indexOf(F); I >= 0)
        addEntity(I);
      if (IsConcrete)
        if (const clang::CXXRecordDecl *FR = F->getType()->getBaseElementTypeUnsafe()->getAsCXXRecordDecl())
          reach(FR);
    }
    const auto *CXX = llvm::dyn_cast<clang::CXXRecordDecl>(RD);
    if (!CXX)
      return;
    if (IsConcrete)
      for (const clang::CXXBaseSpecifier &B : CXX->bases())
        if (const clang::CXXRecordDecl *BR = B.getType()->getAsCXXRecordDecl())
          reach(BR);
    if (const clang::CXXDestructorDecl *Dtor = CXX->getDestructor())
      reach(Dtor);
    if (!CXX->isDynamicClass())
      return;
    for (const clang::CXXMethodDecl *M : CXX->methods())
      if (M->isVirtual())
        reach(M);
  }

  EntityTable &Table;
  llvm::BitVector InClosure;
  llvm::BitVector DefaultArgsUsed;
  bool AllDefaultArgsUsed = false;
  llvm::SmallVector<int, 64> Entities;
  llvm::SmallVector<const clang::Decl *, 64> Concrete;
  std::vector<std::string> PrintedNames;
  llvm::DenseSet<const clang::Decl *> SeenConcrete;
  llvm::DenseSet<const clang::IdentifierInfo *> NamesLookedUp;
  llvm::DenseMap<const clang::IdentifierInfo *, std::vector<const clang::Decl *>> RefsAwaitingName;
};

} // namespace hotast

#endif
