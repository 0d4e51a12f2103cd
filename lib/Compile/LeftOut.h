//===- LeftOut.h - What a file's code lines may leave out -------*- C++ -*-===//
//
// Beyond comment and blank lines, a file's code lines (CodeLines.h) may
// leave out, for the linked Clang, what the compile that recorded them
// found the unit never reads, and a later compile of the same unit does
// not read either while the rest of the hash is the same:
//
// - the bodies of the macros the file defines that the unit defined once
//   and never expanded, tested or undefined (FreeMacroBodies.h);
// - the lines of the file inside the regions the preprocessor skipped (a
//   false #if, the #else of a true one), in every inclusion of the file:
//   only those that cannot change how the lines around them are lexed or
//   which lines are conditional directives (a skipped line of plain text:
//   below), and none of a region where a raw string begins (a line changed
//   there could end the string elsewhere).
//
// The hash keeps every other line, directives included, in order, with a
// mark for each line left out: two texts with the same hash have the same
// directives and conditions and the same lines between them, so the same
// regions are skipped, and differ only in what is left out.
//
// - the spacing between tokens (how many blanks, and plain block comments
//   where blanks were: docs/wrapper.md, "Spacing between tokens"), on every
//   line but those whose columns a warning reads (ColumnReads.h), when no
//   column reaches the unit's object (the recording decides).
//
// What the compile found is kept with the file's stamp as one string (its
// left-out list, FileStamp::CodeLeftOut): the macros' names, sorted, then
// the skipped regions as "first-last" (in order, separated by one space),
// then, when spacing is left out, "~" and the lines whose columns count,
// as "first-last" too; lines counted in the file's code lines: the lines
// the hash keeps, 1-based, free comment lines not counted, so that a
// comment line added above a region leaves the list true. For the unit's
// source, only the spacing: a compile finds its entry by the source's code
// lines before it knows the entry's list (its key leaves the spacing out
// on every line: sourceKeyList, CodeLines.h).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_LEFTOUT_H
#define HOTAST_LIB_COMPILE_LEFTOUT_H

#include "clang/Lex/PPCallbacks.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace clang {
class MacroInfo;
class SourceManager;
} // namespace clang

namespace hotast {

/// Records, during a compile, what its code lines may leave out: installed
/// with the compile's other preprocessor callbacks, read at the end of the
/// unit.
class LeftOutRecorder : public clang::PPCallbacks {
public:
  explicit LeftOutRecorder(const clang::SourceManager &SM) : SM(SM) {}

  void MacroDefined(const clang::Token &Name, const clang::MacroDirective *MD) override;
  void MacroUndefined(const clang::Token &Name, const clang::MacroDefinition &,
                      const clang::MacroDirective *) override;
  void MacroExpands(const clang::Token &Name, const clang::MacroDefinition &,
                    clang::SourceRange, const clang::MacroArgs *) override;
  void FileChanged(clang::SourceLocation Loc, FileChangeReason Reason,
                   clang::SrcMgr::CharacteristicKind, clang::FileID) override;
  void SourceRangeSkipped(clang::SourceRange Range, clang::SourceLocation) override;
  void PragmaDiagnostic(clang::SourceLocation Loc, llvm::StringRef, clang::diag::Severity,
                        llvm::StringRef Str) override;
  void PragmaDiagnosticPush(clang::SourceLocation Loc, llvm::StringRef) override {
    pragmaAt(Loc);
  }
  void PragmaDiagnosticPop(clang::SourceLocation Loc, llvm::StringRef) override {
    pragmaAt(Loc);
  }
  void PragmaWarning(clang::SourceLocation Loc, PragmaWarningSpecifier,
                     llvm::ArrayRef<int>) override {
    pragmaAt(Loc);
  }
  void PragmaWarningPush(clang::SourceLocation Loc, int) override { pragmaAt(Loc); }
  void PragmaWarningPop(clang::SourceLocation Loc) override { pragmaAt(Loc); }

  /// A `#pragma clang diagnostic` (or GCC's) that may turn on the warnings
  /// that read comments between declarations (-Wdocumentation, whose
  /// attachment of a documentation comment reads the text between it and
  /// its declaration, and the columns of comments): spacing counts.
  bool DocumentationPragma = false;
  /// A pragma that may turn on an extension's warning: -Wembedded-directive
  /// (a `#define` among a macro's arguments: NewDefines.h) by its name, by
  /// -Wpedantic's or by -Weverything.
  bool ExtensionPragma = false;
  /// A pragma that sets a warning's state came from a macro (`_Pragma`):
  /// no directive marks where the state changed (ColumnReads.h).
  bool PragmaFromMacro = false;

  /// What the compile found in a file: the macros (sorted) and the lines of
  /// the skipped regions (1-based, in the file's text).
  struct Found {
    std::vector<llvm::StringRef> Macros;
    std::vector<std::pair<unsigned, unsigned>> Lines;
  };
  /// By file, but for the main file.
  llvm::DenseMap<const clang::FileEntry *, Found> found() const;

private:
  void pragmaAt(clang::SourceLocation Loc) { PragmaFromMacro |= Loc.isMacroID(); }

  const clang::SourceManager &SM;
  struct Use {
    unsigned Definitions = 0;
    bool Expanded = false, Undefined = false;
    const clang::MacroInfo *Info = nullptr; // the last definition
  };
  llvm::DenseMap<const clang::IdentifierInfo *, Use> Uses;
  /// By file: how often the unit entered it, and the lines of the regions
  /// skipped there.
  llvm::DenseMap<const clang::FileEntry *, unsigned> Entered;
  llvm::DenseMap<const clang::FileEntry *, std::vector<std::pair<unsigned, unsigned>>> Skipped;
};

/// A left-out list, read: the macros' names (sorted), the skipped regions,
/// whether spacing is left out and the lines whose columns count, in code
/// lines.
struct LeftOutList {
  llvm::SmallVector<llvm::StringRef, 8> Macros;
  std::vector<std::pair<unsigned, unsigned>> SkippedLines;
  bool Spacing = false;
  std::vector<std::pair<unsigned, unsigned>> ColumnLines;
};
LeftOutList readLeftOut(llvm::StringRef List);
/// The list of Macros and of Regions (in code lines); with Spacing, of the
/// ColumnLines too.
std::string writeLeftOut(llvm::ArrayRef<llvm::StringRef> Macros,
                         llvm::ArrayRef<std::pair<unsigned, unsigned>> Regions,
                         bool Spacing = false,
                         llvm::ArrayRef<std::pair<unsigned, unsigned>> ColumnLines = {});

/// Whether Line (a line of a skipped region, without its newline; After: it
/// follows a line splice) is plain text, which a new text may change
/// there: printable ASCII and tabs; not a conditional directive (which the
/// skipping preprocessor reads: `#if`, `#ifdef`, `#ifndef`, `#elif`,
/// `#elifdef`, `#elifndef`, `#else`, `#endif`), nor `#` alone or before
/// anything but a name, nor `%:`; not the continuation of a line; nothing
/// that may span lines or change how another is lexed (no `/*`, `*/`, raw
/// string, `??`, and no splice at its end). A `#define` or `#include` there
/// is plain text: the skipping preprocessor reads only its name.
bool plainSkippedLine(llvm::StringRef Line, bool After);

} // namespace hotast

#endif
