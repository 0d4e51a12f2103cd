//===- HashFunctions.cpp - Hashing a function: signature and body ---------===//
//
// A function's sig: its type, specifiers, parameters (with whether each has
// a default argument; the default's code apart, in DefaultArgs), template
// arguments and constraints. Its body: the definition's parameters,
// constructor initializers and statements.
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace hotast {

/// The declaration of parameter Index that spells its default argument.
static const ParmVarDecl *defaultArgDecl(const FunctionDecl *FD, unsigned Index) {
  for (const FunctionDecl *R : FD->redecls()) {
    if (Index >= R->getNumParams())
      continue;
    const ParmVarDecl *P = R->getParamDecl(Index);
    if (P->hasDefaultArg() && !P->hasInheritedDefaultArg())
      return P;
  }
  return nullptr;
}

/// That a parameter has a default argument is part of the signature (which
/// calls compile); its code goes to DefaultArgs, which the entity's Sig and
/// Full take in and its FullWithoutDefaultArgs leaves out. The references
/// in it are kept (what it names stays in the closure either way).
void StructuralHasher::addDefaultArg(const ParmVarDecl *P) {
  add(TagDefaultArg);
  bool Outermost = !InDefaultArg;
  if (Outermost) {
    std::swap(H, DefaultArgs);
    InDefaultArg = true;
    add(TagDefaultArg);
  }
  if (P->hasUninstantiatedDefaultArg())
    addStmt(P->getUninstantiatedDefaultArg());
  else if (!P->hasUnparsedDefaultArg())
    addStmt(P->getDefaultArg());
  else
    add(TagNull);
  if (Outermost) {
    InDefaultArg = false;
    std::swap(H, DefaultArgs);
  }
}

void StructuralHasher::addFunctionSig(const FunctionDecl *FD) {
  addType(FD->getType());
  add(FD->getStorageClass());
  addBool(FD->isInlineSpecified());
  addBool(FD->isInlined());
  add(static_cast<uint64_t>(FD->getConstexprKind()));
  addBool(FD->isDeletedAsWritten());
  addBool(FD->isExplicitlyDefaulted());
  addBool(FD->isPureVirtual());
  add(FD->getAccess());
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD)) {
    addBool(MD->isVirtual());
    addBool(MD->isVirtualAsWritten());
  }
  ExplicitSpecifier ES = ExplicitSpecifier::getFromDecl(const_cast<FunctionDecl *>(FD));
  add(static_cast<uint64_t>(ES.getKind()));
  addStmt(ES.getExpr());
  add(FD->getNumParams());
  for (unsigned I = 0; I != FD->getNumParams(); ++I) {
    const ParmVarDecl *P = FD->getParamDecl(I);
    add(TagParam);
    LocalOrdinals.try_emplace(P, LocalOrdinals.size());
    addType(P->getOriginalType());
    addBool(P->isExplicitObjectParameter());
    addAttrs(P);
    if (const ParmVarDecl *DA = defaultArgDecl(FD, I))
      addDefaultArg(DA);
    else
      add(TagNull);
  }
  if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs()) {
    addDeclRef(FD->getPrimaryTemplate());
    addTemplateArgs(Args->asArray());
    add(FD->getTemplateSpecializationKind());
  }
  addStmt(FD->getTrailingRequiresClause());
}

void StructuralHasher::addFunctionBody(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (NoDefinition || !FD->hasBody(Def) || !Def) {
    add(TagNull);
    return;
  }
  add(TagBody);
  // The body refers to the definition's parameters (the signature's when it
  // is the definition). Their names reach the object only with debug info.
  for (const ParmVarDecl *P : Def->parameters()) {
    add(LocalOrdinals.try_emplace(P, LocalOrdinals.size()).first->second);
    addLocalName(P);
    addLoc(P->getLocation());
  }
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def)) {
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      add(TagInit);
      if (Init->isAnyMemberInitializer())
        addDeclRef(Init->getAnyMember());
      else if (Init->isBaseInitializer() || Init->isDelegatingInitializer())
        addType(QualType(Init->getBaseClass(), 0));
      addBool(Init->isBaseVirtual());
      addStmt(Init->getInit());
    }
  }
  addStmt(Def->getBody());
}

} // namespace hotast
