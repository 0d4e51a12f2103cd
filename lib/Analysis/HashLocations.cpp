//===- HashLocations.cpp - Hashing source locations -----------------------===//
//
// Locations reach an object only with debug info (presumed file, line and
// column) or in LLVM IR metadata (raw offsets, annotated declarations'
// lines); they are hashed only then. Each records which files' lines reached
// a hash, for the wrapper's fingerprint (TUFingerprint::LinesReached).
//
//===----------------------------------------------------------------------===//

#include "StructuralHasher.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace hotast {

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
