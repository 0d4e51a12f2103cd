//===- HashTypes.cpp - Hashing types --------------------------------------===//
//
// Without debug info a type is hashed in canonical form (typedefs, `int const`
// vs `const int` and elaboration disappear); with -g the sugar reaches the
// object's DWARF, so typedefs are kept and hashed by reference.
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/NestedNameSpecifier.h"
#include "clang/AST/TemplateBase.h"
#include "clang/AST/TemplateName.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hotast {

void StructuralHasher::addType(QualType T) {
  if (T.isNull()) {
    add(TagNull);
    return;
  }
  if (!Debug) {
    T = T.getCanonicalType();
  } else {
    // Keep the sugar that debug info shows (typedefs); look through the rest.
    while (!isa<TypedefType>(T.getTypePtr())) {
      QualType Desugared = T.getSingleStepDesugaredType(Ctx);
      if (Desugared == T)
        break;
      T = Desugared;
    }
  }
  SplitQualType Split = T.split();
  add(Split.Quals.getAsOpaqueValue());
  const Type *Ty = Split.Ty;
  add(Ty->getTypeClass());

  switch (Ty->getTypeClass()) {
  case Type::Typedef:
    addDeclRef(cast<TypedefType>(Ty)->getDecl());
    return;
  case Type::Builtin:
    add(cast<BuiltinType>(Ty)->getKind());
    return;
  case Type::Complex:
    addType(cast<ComplexType>(Ty)->getElementType());
    return;
  case Type::Pointer:
    addType(cast<PointerType>(Ty)->getPointeeType());
    return;
  case Type::BlockPointer:
    addType(cast<BlockPointerType>(Ty)->getPointeeType());
    return;
  case Type::LValueReference:
  case Type::RValueReference:
    addType(cast<ReferenceType>(Ty)->getPointeeTypeAsWritten());
    return;
  case Type::MemberPointer:
    addType(cast<MemberPointerType>(Ty)->getPointeeType());
    addType(QualType(cast<MemberPointerType>(Ty)->getClass(), 0));
    return;
  case Type::ConstantArray: {
    const auto *AT = cast<ConstantArrayType>(Ty);
    addInt(AT->getSize());
    add(static_cast<uint64_t>(AT->getSizeModifier()));
    addType(AT->getElementType());
    return;
  }
  case Type::IncompleteArray:
    addType(cast<ArrayType>(Ty)->getElementType());
    return;
  case Type::VariableArray:
    addStmt(cast<VariableArrayType>(Ty)->getSizeExpr());
    addType(cast<ArrayType>(Ty)->getElementType());
    return;
  case Type::DependentSizedArray:
    addStmt(cast<DependentSizedArrayType>(Ty)->getSizeExpr());
    addType(cast<ArrayType>(Ty)->getElementType());
    return;
  case Type::Vector:
  case Type::ExtVector: {
    const auto *VT = cast<VectorType>(Ty);
    add(VT->getNumElements());
    add(static_cast<uint64_t>(VT->getVectorKind()));
    addType(VT->getElementType());
    return;
  }
  case Type::DependentSizedExtVector:
    addStmt(cast<DependentSizedExtVectorType>(Ty)->getSizeExpr());
    addType(cast<DependentSizedExtVectorType>(Ty)->getElementType());
    return;
  case Type::DependentVector:
    addStmt(cast<DependentVectorType>(Ty)->getSizeExpr());
    addType(cast<DependentVectorType>(Ty)->getElementType());
    return;
  case Type::ConstantMatrix: {
    const auto *MT = cast<ConstantMatrixType>(Ty);
    add(MT->getNumRows());
    add(MT->getNumColumns());
    addType(MT->getElementType());
    return;
  }
  case Type::FunctionNoProto: {
    const auto *FT = cast<FunctionType>(Ty);
    addType(FT->getReturnType());
    add(FT->getExtInfo().getRegParm());
    add(FT->getCallConv());
    addBool(FT->getNoReturnAttr());
    return;
  }
  case Type::FunctionProto: {
    const auto *FT = cast<FunctionProtoType>(Ty);
    addType(FT->getReturnType());
    add(FT->getNumParams());
    for (QualType P : FT->param_types())
      addType(P);
    addBool(FT->isVariadic());
    add(FT->getMethodQuals().getAsOpaqueValue());
    add(FT->getRefQualifier());
    add(FT->getCallConv());
    addBool(FT->getNoReturnAttr());
    add(FT->getExtInfo().getRegParm());
    addBool(FT->getExtInfo().getNoCallerSavedRegs());
    addBool(FT->getExtInfo().getNoCfCheck());
    add(FT->getAArch64SMEAttributes());
    add(FT->getExceptionSpecType());
    if (FT->getExceptionSpecType() == EST_Dynamic)
      for (QualType E : FT->exceptions())
        addType(E);
    if (isComputedNoexcept(FT->getExceptionSpecType()))
      addStmt(FT->getNoexceptExpr());
    if (FT->hasExtParameterInfos())
      for (const auto &Info : FT->getExtParameterInfos())
        add(Info.getOpaqueValue());
    return;
  }
  case Type::UnresolvedUsing:
    addDeclRef(cast<UnresolvedUsingType>(Ty)->getDecl());
    return;
  case Type::Record:
  case Type::Enum:
    addDeclRef(cast<TagType>(Ty)->getDecl());
    return;
  case Type::InjectedClassName:
    addDeclRef(cast<InjectedClassNameType>(Ty)->getDecl());
    return;
  case Type::TemplateTypeParm: {
    const auto *TT = cast<TemplateTypeParmType>(Ty);
    add(TT->getDepth());
    add(TT->getIndex());
    addBool(TT->isParameterPack());
    return;
  }
  case Type::SubstTemplateTypeParmPack:
    addTemplateArg(cast<SubstTemplateTypeParmPackType>(Ty)->getArgumentPack());
    return;
  case Type::TemplateSpecialization: {
    const auto *TS = cast<TemplateSpecializationType>(Ty);
    addTemplateName(TS->getTemplateName());
    addTemplateArgs(TS->template_arguments());
    return;
  }
  case Type::DependentName: {
    const auto *DN = cast<DependentNameType>(Ty);
    addNNS(DN->getQualifier());
    add(DN->getIdentifier()->getName());
    return;
  }
  case Type::DependentTemplateSpecialization: {
    const auto *DT = cast<DependentTemplateSpecializationType>(Ty);
    addNNS(DT->getQualifier());
    add(DT->getIdentifier()->getName());
    addTemplateArgs(DT->template_arguments());
    return;
  }
  case Type::PackExpansion: {
    const auto *PE = cast<PackExpansionType>(Ty);
    addType(PE->getPattern());
    add(PE->getNumExpansions().value_or(~0u));
    return;
  }
  case Type::Atomic:
    addType(cast<AtomicType>(Ty)->getValueType());
    return;
  case Type::Pipe:
    addType(cast<PipeType>(Ty)->getElementType());
    addBool(cast<PipeType>(Ty)->isReadOnly());
    return;
  case Type::BitInt:
    addBool(cast<BitIntType>(Ty)->isUnsigned());
    add(cast<BitIntType>(Ty)->getNumBits());
    return;
  case Type::DependentBitInt:
    addBool(cast<DependentBitIntType>(Ty)->isUnsigned());
    addStmt(cast<DependentBitIntType>(Ty)->getNumBitsExpr());
    return;
  case Type::Decltype: {
    // decltype((x)) and decltype(x) differ: here the parentheses count.
    const Expr *E = cast<DecltypeType>(Ty)->getUnderlyingExpr();
    addBool(isa<ParenExpr>(E));
    addStmt(E);
    return;
  }
  case Type::TypeOfExpr:
    addStmt(cast<TypeOfExprType>(Ty)->getUnderlyingExpr());
    return;
  case Type::UnaryTransform:
    add(cast<UnaryTransformType>(Ty)->getUTTKind());
    addType(cast<UnaryTransformType>(Ty)->getBaseType());
    return;
  case Type::Auto: {
    const auto *AT = cast<AutoType>(Ty);
    add(static_cast<uint64_t>(AT->getKeyword()));
    addType(AT->getDeducedType());
    if (AT->isConstrained()) {
      addDeclRef(AT->getTypeConstraintConcept());
      addTemplateArgs(AT->getTypeConstraintArguments());
    }
    return;
  }
  case Type::DeducedTemplateSpecialization: {
    const auto *DT = cast<DeducedTemplateSpecializationType>(Ty);
    addTemplateName(DT->getTemplateName());
    addType(DT->getDeducedType());
    return;
  }
  case Type::DependentAddressSpace:
    addStmt(cast<DependentAddressSpaceType>(Ty)->getAddrSpaceExpr());
    addType(cast<DependentAddressSpaceType>(Ty)->getPointeeType());
    return;
  case Type::PackIndexing:
    addType(cast<PackIndexingType>(Ty)->getPattern());
    addStmt(cast<PackIndexingType>(Ty)->getIndexExpr());
    return;
  default: {
    // Types C and C++ code rarely meets (Objective-C, OpenCL, ...): the
    // printed canonical form, without source locations, identifies them.
    PrintingPolicy Policy = Ctx.getPrintingPolicy();
    Policy.AnonymousTagLocations = false;
    add(TagFallback);
    add(QualType(Ty, 0).getAsString(Policy));
    return;
  }
  }
}

} // namespace hotast
