//===- LeftOut.cpp - What a file's code lines may leave out ---------------===//

#include "LeftOut.h"

#include "clang/Basic/IdentifierTable.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/MacroInfo.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace clang;

namespace hotast {

void LeftOutRecorder::MacroDefined(const Token &Name, const MacroDirective *MD) {
  if (const IdentifierInfo *II = Name.getIdentifierInfo()) {
    Use &U = Uses[II];
    ++U.Definitions;
    U.Info = MD ? MD->getMacroInfo() : nullptr;
  }
}

void LeftOutRecorder::MacroUndefined(const Token &Name, const MacroDefinition &,
                                     const MacroDirective *) {
  if (const IdentifierInfo *II = Name.getIdentifierInfo())
    Uses[II].Undefined = true;
}

void LeftOutRecorder::MacroExpands(const Token &Name, const MacroDefinition &, SourceRange,
                                   const MacroArgs *) {
  if (const IdentifierInfo *II = Name.getIdentifierInfo())
    Uses[II].Expanded = true;
}

void LeftOutRecorder::FileChanged(SourceLocation Loc, FileChangeReason Reason,
                                  SrcMgr::CharacteristicKind, FileID) {
  if (Reason != EnterFile)
    return;
  if (OptionalFileEntryRef E = SM.getFileEntryRefForID(SM.getFileID(Loc)))
    ++Entered[&E->getFileEntry()];
}

void LeftOutRecorder::SourceRangeSkipped(SourceRange Range, SourceLocation) {
  // From the directive that began the region to the one that ended it.
  SourceLocation Begin = Range.getBegin(), End = Range.getEnd();
  if (!Begin.isFileID() || !End.isFileID() || SM.getFileID(Begin) != SM.getFileID(End))
    return;
  if (OptionalFileEntryRef E = SM.getFileEntryRefForID(SM.getFileID(Begin)))
    Skipped[&E->getFileEntry()].push_back(
        {SM.getSpellingLineNumber(Begin), SM.getSpellingLineNumber(End)});
}

void LeftOutRecorder::PragmaDiagnostic(SourceLocation Loc, llvm::StringRef, diag::Severity,
                                       llvm::StringRef Str) {
  pragmaAt(Loc);
  if (Str.contains("documentation") || Str.contains("everything"))
    DocumentationPragma = true;
  if (Str.contains("embedded") || Str.contains("pedantic") || Str.contains("everything"))
    ExtensionPragma = true;
}

llvm::DenseMap<const FileEntry *, LeftOutRecorder::Found> LeftOutRecorder::found() const {
  llvm::DenseMap<const FileEntry *, Found> Out;
  for (const auto &[II, U] : Uses) {
    if (U.Definitions != 1 || U.Expanded || U.Undefined || !U.Info || U.Info->isUsed() ||
        U.Info->isBuiltinMacro())
      continue;
    SourceLocation At = U.Info->getDefinitionLoc();
    if (!At.isFileID())
      continue;
    if (OptionalFileEntryRef E = SM.getFileEntryRefForID(SM.getFileID(At)))
      Out[&E->getFileEntry()].Macros.push_back(II->getName());
  }
  for (auto &[File, F] : Out)
    llvm::sort(F.Macros);
  // A file entered more than once may skip other regions each time: none
  // of them is left out.
  for (const auto &[File, Lines] : Skipped) {
    if (Entered.lookup(File) != 1)
      continue;
    std::vector<std::pair<unsigned, unsigned>> &Sorted = Out[File].Lines;
    Sorted = Lines;
    llvm::sort(Sorted);
  }
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    Out.erase(&Main->getFileEntry());
  return Out;
}

std::string writeLeftOut(llvm::ArrayRef<llvm::StringRef> Macros,
                         llvm::ArrayRef<std::pair<unsigned, unsigned>> Regions, bool Spacing,
                         llvm::ArrayRef<std::pair<unsigned, unsigned>> ColumnLines) {
  std::string List = llvm::join(Macros, " ");
  auto Word = [&](const std::string &W) { List += (List.empty() ? "" : " ") + W; };
  for (auto [First, Last] : Regions)
    Word(std::to_string(First) + "-" + std::to_string(Last));
  if (Spacing) {
    Word("~");
    for (auto [First, Last] : ColumnLines)
      Word(std::to_string(First) + "-" + std::to_string(Last));
  }
  return List;
}

LeftOutList readLeftOut(llvm::StringRef List) {
  LeftOutList Out;
  llvm::SmallVector<llvm::StringRef, 16> Words;
  List.split(Words, ' ', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef W : Words) {
    if (W == "~") {
      Out.Spacing = true;
    } else if (!W.empty() && llvm::isDigit(W[0])) {
      auto [A, B] = W.split('-');
      unsigned First = 0, Last = 0;
      if (!A.getAsInteger(10, First) && !B.getAsInteger(10, Last) && First <= Last)
        (Out.Spacing ? Out.ColumnLines : Out.SkippedLines).push_back({First, Last});
    } else {
      Out.Macros.push_back(W);
    }
  }
  return Out;
}

bool plainSkippedLine(llvm::StringRef Line, bool After) {
  if (After)
    return false;
  if (!llvm::all_of(Line, [](char C) { return (C >= 0x20 && C <= 0x7e) || C == '\t'; }))
    return false;
  // A directive the skipping preprocessor passes over: `#`, then a name
  // not of a conditional (it reads those, and nothing of the others).
  llvm::StringRef Code = Line.ltrim(" \t");
  if (Code.starts_with("%:"))
    return false;
  if (Code.consume_front("#")) {
    llvm::StringRef Name =
        Code.ltrim(" \t").take_while([](char C) { return llvm::isAlnum(C) || C == '_'; });
    if (Name.empty() || llvm::is_contained({"if", "ifdef", "ifndef", "elif", "elifdef",
                                            "elifndef", "else", "endif"},
                                           Name))
      return false;
  }
  if (Line.contains("/*") || Line.contains("*/") || Line.contains("R\"") || Line.contains("??"))
    return false;
  return !Line.rtrim(" \t").ends_with("\\");
}

} // namespace hotast
