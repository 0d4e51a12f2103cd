//===- HashNames.cpp - Hashing references, names, template arguments ------===//
//
// A referenced declaration is hashed as its key (a local by the order the
// hash first meets it, a template parameter by depth and index), plus where
// a specialization's code comes from. Names, nested-name-specifiers and
// template names are what dependent code holds before anything resolves;
// template arguments and constant values are hashed by value.
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "llvm/ADT/StringExtras.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/NestedNameSpecifier.h"
#include "clang/AST/TemplateBase.h"
#include "clang/AST/TemplateName.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hotast {

void StructuralHasher::addDeclRef(const Decl *D) {
  if (!D) {
    add(TagNull);
    return;
  }
  if (const auto *TTP = dyn_cast<TemplateTypeParmDecl>(D)) {
    add(TagTemplateParam);
    add(TTP->getDepth());
    add(TTP->getIndex());
    return;
  }
  if (const auto *NTTP = dyn_cast<NonTypeTemplateParmDecl>(D)) {
    add(TagTemplateParam);
    add(NTTP->getDepth());
    add(NTTP->getIndex());
    return;
  }
  if (const auto *TTP = dyn_cast<TemplateTemplateParmDecl>(D)) {
    add(TagTemplateParam);
    add(TTP->getDepth());
    add(TTP->getIndex());
    return;
  }
  D = D->getCanonicalDecl();
  if (KeyTable::isFunctionLocal(D)) {
    auto [It, Inserted] = LocalOrdinals.try_emplace(D, LocalOrdinals.size());
    add(TagLocal);
    add(It->second);
    // A local of another function (a local class returned by `auto`) stands
    // for that function's definition.
    if (const auto *Owner = dyn_cast_or_null<Decl>(D->getParentFunctionOrMethod()))
      if (!LocalOrdinals.count(Owner->getCanonicalDecl()))
        RefDecls.insert(Owner->getCanonicalDecl());
    return;
  }
  RefDecls.insert(D);
  if (RefsOnly)
    return;
  add(TagRef);
  H.add(Keys.get(D).Hash);
  addSpecializationOrigin(D);
}

void StructuralHasher::addSpecializationOrigin(const Decl *D) {
  // A specialization's key names its template arguments, not where its code
  // comes from: an explicit specialization that replaces an implicit
  // instantiation, or a new partial specialization that now matches, changes
  // the code of every user.
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (FD->isTemplateInstantiation() || FD->getTemplateSpecializationKind() == TSK_ExplicitSpecialization)
      add(FD->getTemplateSpecializationKind());
    return;
  }
  if (const auto *CTS = dyn_cast<ClassTemplateSpecializationDecl>(D)) {
    add(CTS->getSpecializationKind());
    auto From = CTS->getSpecializedTemplateOrPartial();
    if (auto *Partial = From.dyn_cast<ClassTemplatePartialSpecializationDecl *>())
      H.add(Keys.get(Partial).Hash);
    return;
  }
  if (const auto *VTS = dyn_cast<VarTemplateSpecializationDecl>(D)) {
    add(VTS->getSpecializationKind());
    auto From = VTS->getSpecializedTemplateOrPartial();
    if (auto *Partial = From.dyn_cast<VarTemplatePartialSpecializationDecl *>())
      H.add(Keys.get(Partial).Hash);
    return;
  }
}

void StructuralHasher::addLocalName(const NamedDecl *D) {
  if (Debug)
    add(D->getDeclName().getAsString());
}

void StructuralHasher::noteNameLookedUp(const DeclarationName &N) {
  if (const IdentifierInfo *II = N.getAsIdentifierInfo())
    noteNameLookedUp(II);
}

void StructuralHasher::noteNamesIn(llvm::StringRef Printed) {
  auto IsStart = [](char C) { return llvm::isAlpha(C) || C == '_' || C == '$'; };
  for (size_t I = 0; I < Printed.size();) {
    if (!IsStart(Printed[I])) {
      ++I;
      continue;
    }
    size_t J = I + 1;
    while (J < Printed.size() && (IsStart(Printed[J]) || llvm::isDigit(Printed[J])))
      ++J;
    // A word that is no identifier of the unit names no member of it.
    auto It = Ctx.Idents.find(Printed.slice(I, J));
    if (It != Ctx.Idents.end())
      noteNameLookedUp(It->getValue());
    I = J;
  }
}

void StructuralHasher::addName(const DeclarationName &N) {
  add(N.getNameKind());
  switch (N.getNameKind()) {
  case DeclarationName::CXXConstructorName:
  case DeclarationName::CXXDestructorName:
  case DeclarationName::CXXConversionFunctionName:
    addType(N.getCXXNameType());
    return;
  case DeclarationName::CXXDeductionGuideName:
    addDeclRef(N.getCXXDeductionGuideTemplate());
    return;
  default:
    add(N.getAsString());
    return;
  }
}

void StructuralHasher::addNNS(const NestedNameSpecifier *NNS) {
  for (; NNS; NNS = NNS->getPrefix()) {
    add(NNS->getKind());
    switch (NNS->getKind()) {
    case NestedNameSpecifier::Identifier:
      add(NNS->getAsIdentifier()->getName());
      noteNameLookedUp(NNS->getAsIdentifier());
      break;
    case NestedNameSpecifier::Namespace:
      addDeclRef(NNS->getAsNamespace());
      break;
    case NestedNameSpecifier::NamespaceAlias:
      addDeclRef(NNS->getAsNamespaceAlias()->getNamespace());
      break;
    case NestedNameSpecifier::TypeSpec:
    case NestedNameSpecifier::TypeSpecWithTemplate:
      addType(QualType(NNS->getAsType(), 0));
      break;
    case NestedNameSpecifier::Global:
      break;
    case NestedNameSpecifier::Super:
      addDeclRef(NNS->getAsRecordDecl());
      break;
    }
  }
  add(TagEnd);
}

void StructuralHasher::addTemplateName(const TemplateName &N) {
  add(N.getKind());
  if (TemplateDecl *TD = N.getAsTemplateDecl()) {
    addDeclRef(TD);
    return;
  }
  if (const DependentTemplateName *DTN = N.getAsDependentTemplateName()) {
    addNNS(DTN->getQualifier());
    if (DTN->isIdentifier()) {
      add(DTN->getIdentifier()->getName());
      noteNameLookedUp(DTN->getIdentifier());
    } else
      add(DTN->getOperator());
    return;
  }
  if (const OverloadedTemplateStorage *OTS = N.getAsOverloadedTemplate()) {
    for (const NamedDecl *ND : *OTS)
      addDeclRef(ND);
    add(TagEnd);
    return;
  }
  if (const AssumedTemplateStorage *ATS = N.getAsAssumedTemplateName()) {
    addName(ATS->getDeclName());
    noteNameLookedUp(ATS->getDeclName());
    return;
  }
  if (const auto *Pack = N.getAsSubstTemplateTemplateParmPack()) {
    addTemplateArg(Pack->getArgumentPack());
    return;
  }
}

void StructuralHasher::addTemplateArg(const TemplateArgument &A) {
  add(A.getKind());
  switch (A.getKind()) {
  case TemplateArgument::Null:
    return;
  case TemplateArgument::Type:
    addType(A.getAsType());
    return;
  case TemplateArgument::Declaration:
    addDeclRef(A.getAsDecl());
    addType(A.getParamTypeForDecl());
    return;
  case TemplateArgument::NullPtr:
    addType(A.getNullPtrType());
    return;
  case TemplateArgument::Integral:
    addInt(A.getAsIntegral());
    addType(A.getIntegralType());
    return;
  case TemplateArgument::StructuralValue:
    addAPValue(A.getAsStructuralValue());
    addType(A.getStructuralValueType());
    return;
  case TemplateArgument::Template:
  case TemplateArgument::TemplateExpansion:
    addTemplateName(A.getAsTemplateOrTemplatePattern());
    return;
  case TemplateArgument::Expression:
    addStmt(A.getAsExpr());
    return;
  case TemplateArgument::Pack:
    addTemplateArgs(A.pack_elements());
    return;
  }
}

void StructuralHasher::addTemplateArgs(llvm::ArrayRef<TemplateArgument> Args) {
  add(Args.size());
  for (const TemplateArgument &A : Args)
    addTemplateArg(A);
}

void StructuralHasher::addTemplateArgLocs(llvm::ArrayRef<TemplateArgumentLoc> Args) {
  add(Args.size());
  for (const TemplateArgumentLoc &A : Args)
    addTemplateArg(A.getArgument());
}

void StructuralHasher::addAPValue(const APValue &V) {
  add(V.getKind());
  switch (V.getKind()) {
  case APValue::Int:
    addInt(V.getInt());
    return;
  case APValue::Float:
    addInt(V.getFloat().bitcastToAPInt());
    return;
  case APValue::FixedPoint:
    add(V.getFixedPoint().toString());
    return;
  case APValue::ComplexInt:
    addInt(V.getComplexIntReal());
    addInt(V.getComplexIntImag());
    return;
  case APValue::ComplexFloat:
    addInt(V.getComplexFloatReal().bitcastToAPInt());
    addInt(V.getComplexFloatImag().bitcastToAPInt());
    return;
  case APValue::Vector:
    add(V.getVectorLength());
    for (unsigned I = 0; I != V.getVectorLength(); ++I)
      addAPValue(V.getVectorElt(I));
    return;
  case APValue::Array:
    add(V.getArrayInitializedElts());
    add(V.getArraySize());
    for (unsigned I = 0; I != V.getArrayInitializedElts(); ++I)
      addAPValue(V.getArrayInitializedElt(I));
    if (V.hasArrayFiller())
      addAPValue(V.getArrayFiller());
    return;
  case APValue::Struct:
    add(V.getStructNumBases());
    for (unsigned I = 0; I != V.getStructNumBases(); ++I)
      addAPValue(V.getStructBase(I));
    add(V.getStructNumFields());
    for (unsigned I = 0; I != V.getStructNumFields(); ++I)
      addAPValue(V.getStructField(I));
    return;
  case APValue::Union:
    addDeclRef(V.getUnionField());
    if (V.getUnionField())
      addAPValue(V.getUnionValue());
    return;
  case APValue::None:
  case APValue::Indeterminate:
    return;
  case APValue::LValue:
  case APValue::MemberPointer:
  case APValue::AddrLabelDiff: {
    // Rare in hashed positions; the printed form names declarations and
    // offsets, which is stable for one AST.
    std::string S;
    llvm::raw_string_ostream OS(S);
    V.printPretty(OS, Ctx, Ctx.VoidTy);
    add(S);
    noteNamesIn(S);
    return;
  }
  }
}

} // namespace hotast
