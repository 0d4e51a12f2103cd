//===- HashTypes.cpp - Hashing types, names, attributes, locations --------===//
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

StructuralHasher::StructuralHasher(ASTContext &Ctx, KeyTable &Keys, bool DebugInfo,
                                   bool IRMetadata)
    : Ctx(Ctx), Keys(Keys), Debug(DebugInfo), IRMetadata(IRMetadata) {}

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
    if (DTN->isIdentifier())
      add(DTN->getIdentifier()->getName());
    else
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
    return;
  }
  }
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

void StructuralHasher::addAttr(const Attr *A) {
  add(TagAttr);
  add(A->getKind());
  addBool(A->isImplicit());
  // Attributes whose value changes code or layout are hashed by value,
  // including the implicit ones that pragmas create.
  if (const auto *AA = dyn_cast<AlignedAttr>(A)) {
    if (!AA->isAlignmentDependent())
      add(AA->getAlignment(Ctx));
    else if (AA->isAlignmentExpr())
      addStmt(AA->getAlignmentExpr());
    return;
  }
  if (const auto *M = dyn_cast<MaxFieldAlignmentAttr>(A)) {
    add(M->getAlignment());
    return;
  }
  if (const auto *S = dyn_cast<SectionAttr>(A)) {
    add(S->getName());
    return;
  }
  if (const auto *V = dyn_cast<VisibilityAttr>(A)) {
    add(V->getVisibility());
    return;
  }
  if (const auto *V = dyn_cast<TypeVisibilityAttr>(A)) {
    add(V->getVisibility());
    return;
  }
  if (const auto *L = dyn_cast<AsmLabelAttr>(A)) {
    add(L->getLabel());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangBSSSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangDataSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangRodataSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangRelroSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *P = dyn_cast<PragmaClangTextSectionAttr>(A)) {
    add(P->getName());
    return;
  }
  if (const auto *I = dyn_cast<InitPriorityAttr>(A)) {
    add(I->getPriority());
    return;
  }
  // The function a variable's scope calls on exit: its code is the
  // object's as much as a call's (the closure follows the reference).
  if (const auto *C = dyn_cast<CleanupAttr>(A)) {
    addDeclRef(C->getFunctionDecl());
    return;
  }
  if (A->isImplicit())
    return;
  // Spelled attributes: their printed form carries every argument.
  std::string S;
  llvm::raw_string_ostream OS(S);
  A->printPretty(OS, Ctx.getPrintingPolicy());
  add(S);
}

void StructuralHasher::addAttrs(const Decl *D) {
  if (D->hasAttrs())
    for (const Attr *A : D->getAttrs())
      addAttr(A);
  // llvm.global.annotations and llvm.var.annotation carry the file and line
  // of the annotated declaration (CodeGenModule::EmitAnnotateAttr).
  if (IRMetadata && D->hasAttr<AnnotateAttr>())
    addPresumedLine(D->getLocation());
  add(TagEnd);
}

void StructuralHasher::lineReached(SourceLocation L) {
  const SourceManager &SM = Ctx.getSourceManager();
  FileID F = L.isValid() ? SM.getFileID(SM.getExpansionLoc(L)) : FileID();
  if (F.isValid())
    LinesReached.insert(F);
  else
    AllLinesReached = true;
}

void StructuralHasher::nameReached(llvm::StringRef Name) {
  // TypePrinter: "(lambda at FILE:LINE:COL)", "(unnamed struct at ...)",
  // "@at" with MSVC formatting.
  if (Name.contains(" at ") || Name.contains("@at "))
    AllLinesReached = true;
}

void StructuralHasher::addRawOffset(SourceLocation L) {
  // A raw offset moves with every byte of every file entered before L.
  AllLinesReached = true;
  add(TagLoc);
  add(uint64_t(L.getRawEncoding()));
}

void StructuralHasher::addAsmOffsets(const StringLiteral *Asm) {
  // As clang's getAsmSrcLocInfo: the literal's start, then the location of
  // the first byte of every further line of the asm text (!srcloc).
  addRawOffset(Asm->getBeginLoc());
  StringRef Text = Asm->getString();
  unsigned StartToken = 0, ByteOffset = 0;
  for (unsigned I = 0; I + 1 < Text.size(); ++I)
    if (Text[I] == '\n')
      addRawOffset(Asm->getLocationOfByte(I + 1, Ctx.getSourceManager(), Ctx.getLangOpts(),
                                          Ctx.getTargetInfo(), &StartToken, &ByteOffset));
}

void StructuralHasher::addDiagnosedCall(const FunctionDecl *Callee, SourceLocation ExprLoc) {
  // A call to a function with an error or warning attribute carries its
  // location as !srcloc (CodeGenFunction::EmitCall).
  if (Callee && llvm::any_of(Callee->redecls(),
                             [](const FunctionDecl *R) { return R->hasAttr<ErrorAttr>(); }))
    addRawOffset(ExprLoc);
}

void StructuralHasher::addPresumedLine(SourceLocation L) {
  lineReached(L);
  PresumedLoc P = Ctx.getSourceManager().getPresumedLoc(L);
  add(TagLoc);
  add(P.isValid() ? StringRef(P.getFilename()) : StringRef());
  PathsReached = true;
  add(P.isValid() ? P.getLine() : Ctx.getSourceManager().getExpansionLineNumber(L));
}

void StructuralHasher::addLoc(SourceLocation L) {
  if (!Debug)
    return;
  add(TagLoc);
  if (L.isInvalid()) {
    add(TagNull);
    return;
  }
  lineReached(L);
  const SourceManager &SM = Ctx.getSourceManager();
  PresumedLoc P = SM.getPresumedLoc(L);
  if (P.isInvalid()) {
    add(TagNull);
    return;
  }
  PathsReached = true;
  auto [It, Inserted] = FileNameHashes.try_emplace(P.getFilename());
  if (Inserted)
    It->second = hashBytes(P.getFilename());
  H.add(It->second);
  add(P.getLine());
  add(P.getColumn());
}

void StructuralHasher::addDeclLoc(const Decl *D) { addLoc(D->getLocation()); }

} // namespace hotast
