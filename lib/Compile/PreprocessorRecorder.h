//===- PreprocessorRecorder.h - What the preprocessor records ---*- C++ -*-===//
//
// The preprocessor callbacks behind a compile's fingerprint
// (FingerprintRecorder, Recording.h): what the AST does not show of the
// preprocessor's work, and, when another compiler will compile the code,
// what that compiler may read that Clang's parse does not.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_PREPROCESSORRECORDER_H
#define HOTAST_LIB_COMPILE_PREPROCESSORRECORDER_H

#include "LineUses.h"
#include "SkippedLines.h"

#include "hotast/Support/Hash128.h"

#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"

#include <string>
#include <vector>

namespace hotast {

/// What the fingerprint needs from the preprocessor: pragma text (pragmas
/// act on code in ways the AST does not always show, #pragma weak aliases),
/// and, when another compiler will compile the code, the text of every
/// region skipped by #if (that compiler may take a branch Clang skipped),
/// every macro definition, and what GCC's warnings read beyond the AST:
/// comments before labels, the columns of tokens (attach()).
class PreprocessorRecorder : public clang::PPCallbacks, public clang::CommentHandler {
public:
  PreprocessorRecorder(const clang::Preprocessor &PP, Hasher &H, bool RecordSkipped,
                       bool &UsesClock, bool &UsesFilePath)
      : PP(PP), SM(PP.getSourceManager()), H(H), RecordSkipped(RecordSkipped),
        UsesClock(UsesClock), UsesFilePath(UsesFilePath) {}
  void MacroExpands(const clang::Token &Name, const clang::MacroDefinition &, clang::SourceRange,
                    const clang::MacroArgs *) override;
  /// For another compiler: a use of a name a skipped region defines, which
  /// that compiler may expand as the region does (SkippedLines.h).
  void noteUse(const clang::IdentifierInfo &II, clang::SourceLocation Loc);
  /// For another compiler, the text of a comment a label follows: GCC's
  /// -Wimplicit-fallthrough takes "// fall through" there for the
  /// attribute, so the comment decides what GCC says.
  ///
  /// Other warnings of GCC's read a comment's text too: -Wcomment (a `/*`
  /// inside a comment, a line splice in a `//` one), -Wtrigraphs (`??/`),
  /// -Wbidi-chars (on by default: Unicode controls). Clang's parse prints
  /// nothing here, so, by allow-list, a comment counts by its text unless it
  /// is plain printable ASCII (tabs and line ends too) with no `/*` past its
  /// opening, no backslash and no `??`.
  bool HandleComment(clang::Preprocessor &, clang::SourceRange Comment) override;
  void PragmaDirective(clang::SourceLocation Loc, clang::PragmaIntroducerKind) override;
  /// For another compiler, a token the parser reads (clang::Preprocessor's token
  /// watcher): CompileOutcome::Tokens.
  void token(const clang::Token &T);
  // For another compiler, every macro definition and #undef in order: a
  // region Clang skips, which that compiler may take, can use a macro that
  // nothing Clang parses uses (the region's text alone does not say what
  // the macro expands to there).
  void MacroDefined(const clang::Token &Name, const clang::MacroDirective *MD) override;
  void MacroUndefined(const clang::Token &Name, const clang::MacroDefinition &,
                      const clang::MacroDirective *) override;
  void FileChanged(clang::SourceLocation Loc, FileChangeReason Reason,
                   clang::SrcMgr::CharacteristicKind, clang::FileID) override;
  void SourceRangeSkipped(clang::SourceRange Range, clang::SourceLocation EndifLoc) override;

  /// __has_include and __has_embed: the files they found.
  /// A quoted name ("opt.h") looks for the project's files, where one may
  /// be created later and change the answer; no manifest names a file that
  /// was not found, so no comment line of the unit is free (CodeLines.h).
  void HasInclude(clang::SourceLocation, llvm::StringRef, bool IsAngled,
                  clang::OptionalFileEntryRef File, clang::SrcMgr::CharacteristicKind) override;
  void HasEmbed(clang::SourceLocation, llvm::StringRef, bool IsAngled,
                clang::OptionalFileEntryRef File) override;

  bool SkippedInclude = false;
  bool SkippedAsmFile = false;
  bool QuotedProbe = false;
  std::vector<std::string> ProbedFiles;
  llvm::StringSet<> FileNames;
  std::vector<LineExpansion> LineExpansions;
  /// With RecordSkipped: where the lines of skipped regions may count.
  SkippedLines Skipped;
  /// With RecordSkipped: the tokens the parser read, in order, with the
  /// pragmas among them (CompileOutcome::Tokens).
  Hasher Tokens;

  /// Loc (a file location) is in a file of the installation (under /usr/,
  /// whose lines change with a package only).
  bool inSystemFile(clang::SourceLocation Loc) const;

private:
  /// Text (a whole comment) is one no warning of GCC's reads (see
  /// HandleComment).
  static bool plainComment(llvm::StringRef Text);

  static bool hasIncludeDirective(llvm::StringRef Text);

  /// P (NUL-terminated) begins, past blanks and other comments, with a
  /// label (case, default, an identifier and a colon). A comment that a
  /// line splice continues, or one that does not end, counts as before one.
  static bool beforeLabel(const char *P);

  const clang::Preprocessor &PP;
  const clang::SourceManager &SM;
  Hasher &H;
  bool RecordSkipped;
  bool &UsesClock;
  bool &UsesFilePath;
};

} // namespace hotast

#endif
