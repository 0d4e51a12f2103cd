//===- HashTypes.cpp - Hashing types --------------------------------------===//
//
// Without debug info a type is hashed in canonical form (typedefs, `int const`
// vs `const int` and elaboration disappear); with -g the sugar reaches the
// object's DWARF, so typedefs are kept and hashed by reference.
//
// After its qualifiers and class, a type adds what it holds (TypeHasher, one
// method per type class). A class without its own method reaches its base
// class's (every array type VisitArrayType, both references
// VisitReferenceType); a class no method covers is hashed by its printed
// canonical form (VisitType), which can make a hash differ but never hide a
// change.
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/TypeVisitor.h"

using namespace clang;

namespace hotast {

class TypeHasher : public TypeVisitor<TypeHasher> {
public:
  explicit TypeHasher(StructuralHasher &SH) : SH(SH) {}

  void VisitType(const Type *T) {
    // Types C and C++ code rarely meets (Objective-C, OpenCL, ...): the
    // printed canonical form, without source locations, identifies them.
    PrintingPolicy Policy = SH.Ctx.getPrintingPolicy();
    Policy.AnonymousTagLocations = false;
    SH.add(StructuralHasher::TagFallback);
    std::string Printed = QualType(T, 0).getAsString(Policy);
    SH.add(Printed);
    SH.noteNamesIn(Printed);
  }

  void VisitTypedefType(const TypedefType *T) { SH.addDeclRef(T->getDecl()); }
  void VisitBuiltinType(const BuiltinType *T) { SH.add(T->getKind()); }
  void VisitComplexType(const ComplexType *T) { SH.addType(T->getElementType()); }
  void VisitPointerType(const PointerType *T) { SH.addType(T->getPointeeType()); }
  void VisitBlockPointerType(const BlockPointerType *T) { SH.addType(T->getPointeeType()); }
  void VisitReferenceType(const ReferenceType *T) {
    SH.addType(T->getPointeeTypeAsWritten());
  }
  void VisitMemberPointerType(const MemberPointerType *T) {
    SH.addType(T->getPointeeType());
    SH.addType(QualType(T->getClass(), 0));
  }

  void VisitArrayType(const ArrayType *T) { SH.addType(T->getElementType()); }
  void VisitConstantArrayType(const ConstantArrayType *T) {
    SH.addInt(T->getSize());
    SH.add(static_cast<uint64_t>(T->getSizeModifier()));
    VisitArrayType(T);
  }
  void VisitVariableArrayType(const VariableArrayType *T) {
    SH.addStmt(T->getSizeExpr());
    VisitArrayType(T);
  }
  void VisitDependentSizedArrayType(const DependentSizedArrayType *T) {
    SH.addStmt(T->getSizeExpr());
    VisitArrayType(T);
  }

  void VisitVectorType(const VectorType *T) {
    SH.add(T->getNumElements());
    SH.add(static_cast<uint64_t>(T->getVectorKind()));
    SH.addType(T->getElementType());
  }
  void VisitDependentSizedExtVectorType(const DependentSizedExtVectorType *T) {
    SH.addStmt(T->getSizeExpr());
    SH.addType(T->getElementType());
  }
  void VisitDependentVectorType(const DependentVectorType *T) {
    SH.addStmt(T->getSizeExpr());
    SH.addType(T->getElementType());
  }
  void VisitConstantMatrixType(const ConstantMatrixType *T) {
    SH.add(T->getNumRows());
    SH.add(T->getNumColumns());
    SH.addType(T->getElementType());
  }

  void VisitFunctionType(const FunctionType *T) {
    SH.addType(T->getReturnType());
    SH.add(T->getExtInfo().getRegParm());
    SH.add(T->getCallConv());
    SH.addBool(T->getNoReturnAttr());
  }
  void VisitFunctionProtoType(const FunctionProtoType *T);

  void VisitUnresolvedUsingType(const UnresolvedUsingType *T) { SH.addDeclRef(T->getDecl()); }
  void VisitTagType(const TagType *T) { SH.addDeclRef(T->getDecl()); }
  void VisitInjectedClassNameType(const InjectedClassNameType *T) {
    SH.addDeclRef(T->getDecl());
  }

  void VisitTemplateTypeParmType(const TemplateTypeParmType *T) {
    SH.add(T->getDepth());
    SH.add(T->getIndex());
    SH.addBool(T->isParameterPack());
  }
  void VisitSubstTemplateTypeParmPackType(const SubstTemplateTypeParmPackType *T) {
    SH.addTemplateArg(T->getArgumentPack());
  }
  void VisitTemplateSpecializationType(const TemplateSpecializationType *T) {
    SH.addTemplateName(T->getTemplateName());
    SH.addTemplateArgs(T->template_arguments());
  }
  void VisitDependentNameType(const DependentNameType *T) {
    SH.addNNS(T->getQualifier());
    SH.add(T->getIdentifier()->getName());
    SH.noteNameLookedUp(T->getIdentifier());
  }
  void VisitDependentTemplateSpecializationType(const DependentTemplateSpecializationType *T) {
    SH.addNNS(T->getQualifier());
    SH.add(T->getIdentifier()->getName());
    SH.noteNameLookedUp(T->getIdentifier());
    SH.addTemplateArgs(T->template_arguments());
  }
  void VisitPackExpansionType(const PackExpansionType *T) {
    SH.addType(T->getPattern());
    SH.add(T->getNumExpansions().value_or(~0u));
  }
  void VisitPackIndexingType(const PackIndexingType *T) {
    SH.addType(T->getPattern());
    SH.addStmt(T->getIndexExpr());
  }

  void VisitAtomicType(const AtomicType *T) { SH.addType(T->getValueType()); }
  void VisitPipeType(const PipeType *T) {
    SH.addType(T->getElementType());
    SH.addBool(T->isReadOnly());
  }
  void VisitBitIntType(const BitIntType *T) {
    SH.addBool(T->isUnsigned());
    SH.add(T->getNumBits());
  }
  void VisitDependentBitIntType(const DependentBitIntType *T) {
    SH.addBool(T->isUnsigned());
    SH.addStmt(T->getNumBitsExpr());
  }
  void VisitDependentAddressSpaceType(const DependentAddressSpaceType *T) {
    SH.addStmt(T->getAddrSpaceExpr());
    SH.addType(T->getPointeeType());
  }

  void VisitDecltypeType(const DecltypeType *T) {
    // decltype((x)) and decltype(x) differ: here the parentheses count.
    const Expr *E = T->getUnderlyingExpr();
    SH.addBool(isa<ParenExpr>(E));
    SH.addStmt(E);
  }
  void VisitTypeOfExprType(const TypeOfExprType *T) { SH.addStmt(T->getUnderlyingExpr()); }
  void VisitUnaryTransformType(const UnaryTransformType *T) {
    SH.add(T->getUTTKind());
    SH.addType(T->getBaseType());
  }
  void VisitAutoType(const AutoType *T) {
    SH.add(static_cast<uint64_t>(T->getKeyword()));
    SH.addType(T->getDeducedType());
    if (T->isConstrained()) {
      SH.addDeclRef(T->getTypeConstraintConcept());
      SH.addTemplateArgs(T->getTypeConstraintArguments());
    }
  }
  void VisitDeducedTemplateSpecializationType(const DeducedTemplateSpecializationType *T) {
    SH.addTemplateName(T->getTemplateName());
    SH.addType(T->getDeducedType());
  }

private:
  StructuralHasher &SH;
};

void TypeHasher::VisitFunctionProtoType(const FunctionProtoType *T) {
  VisitFunctionType(T);
  SH.add(T->getNumParams());
  for (QualType P : T->param_types())
    SH.addType(P);
  SH.addBool(T->isVariadic());
  SH.add(T->getMethodQuals().getAsOpaqueValue());
  SH.add(T->getRefQualifier());
  SH.addBool(T->getExtInfo().getNoCallerSavedRegs());
  SH.addBool(T->getExtInfo().getNoCfCheck());
  SH.add(T->getAArch64SMEAttributes());
  SH.add(T->getExceptionSpecType());
  if (T->getExceptionSpecType() == EST_Dynamic)
    for (QualType E : T->exceptions())
      SH.addType(E);
  if (isComputedNoexcept(T->getExceptionSpecType()))
    SH.addStmt(T->getNoexceptExpr());
  if (T->hasExtParameterInfos())
    for (const auto &Info : T->getExtParameterInfos())
      SH.add(Info.getOpaqueValue());
}

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
  add(Split.Ty->getTypeClass());
  TypeHasher(*this).Visit(Split.Ty);
}

} // namespace hotast
