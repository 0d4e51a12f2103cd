//===- Fingerprint.cpp - The semantic fingerprint of a TU -----------------===//
//
// Every closure member contributes its `full` hash (and layout): when a body
// is visible in this TU it may be emitted or inlined here, and when it is not,
// `full` equals `sig`. That is sound and simple; references that only need a
// signature are a possible refinement.
//
//===----------------------------------------------------------------------===//

#include "hotast/Analysis/Fingerprint.h"

#include "Entities.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/BitVector.h"

using namespace clang;

namespace hotast {

/// Declarations of the TU that reach the object whether or not anything
/// refers to them.
static bool isRoot(ASTContext &Ctx, const Entity &E) {
  if (E.InMainFile)
    return true;
  const Decl *D = E.Shown;
  if (isa<FileScopeAsmDecl>(D) || isa<PragmaCommentDecl>(D) ||
      isa<PragmaDetectMismatchDecl>(D))
    return true;
  if (const auto *FD = dyn_cast<FunctionDecl>(D))
    return !FD->isDependentContext() && FD->hasBody() && Ctx.DeclMustBeEmitted(FD);
  if (const auto *VD = dyn_cast<VarDecl>(D))
    return !VD->isTemplated() && Ctx.DeclMustBeEmitted(VD);
  return false;
}

/// A class brings its fields (layout, default member initializers used by
/// implicit constructors) and, when dynamic, its virtual functions (vtables).
static void addClassMembers(const EntityTable &Table, const Decl *D,
                            llvm::SmallVectorImpl<int> &Out) {
  const auto *RD = dyn_cast<RecordDecl>(D);
  if (const auto *CTD = dyn_cast<ClassTemplateDecl>(D))
    RD = CTD->getTemplatedDecl();
  if (!RD || !(RD = RD->getDefinition()))
    return;
  for (const FieldDecl *F : RD->fields())
    if (int I = Table.indexOf(F); I >= 0)
      Out.push_back(I);
  const auto *CXX = dyn_cast<CXXRecordDecl>(RD);
  if (!CXX || !CXX->isDynamicClass())
    return;
  for (const CXXMethodDecl *M : CXX->methods())
    if (M->isVirtual() && !M->isImplicit())
      if (int I = Table.indexOf(M); I >= 0)
        Out.push_back(I);
}

TUFingerprint computeFingerprint(ASTContext &Ctx, const FingerprintOptions &Opts) {
  EntityTable Table(Ctx, Opts.DebugInfo);
  const std::vector<Entity> &Entities = Table.entities();

  llvm::BitVector InClosure(Entities.size());
  llvm::SmallVector<int, 64> Work;
  for (size_t I = 0; I != Entities.size(); ++I)
    if (isRoot(Ctx, Entities[I])) {
      InClosure.set(I);
      Work.push_back(int(I));
    }
  while (!Work.empty()) {
    int I = Work.pop_back_val();
    llvm::SmallVector<int, 8> Next;
    for (const Decl *R : Table.hashes(I).RefDecls)
      for (int J : Table.resolve(R))
        Next.push_back(J);
    addClassMembers(Table, Entities[I].Shown, Next);
    for (int J : Next)
      if (!InClosure.test(J)) {
        InClosure.set(J);
        Work.push_back(J);
      }
  }

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
  TUFingerprint Out;
  for (int I : Order) {
    const DeclHashes &Hashes = Table.hashes(I);
    H.add(Table.keys().get(Entities[I].Canonical).Hash);
    H.add(Hashes.Full);
    H.add(Hashes.Layout);
    Out.Closure.push_back(Table.record(I, /*WithRefs=*/false));
  }
  Out.Value = H.final();
  return Out;
}

} // namespace hotast
