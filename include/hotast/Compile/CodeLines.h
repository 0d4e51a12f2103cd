//===- CodeLines.h - A source file's text without its comment lines -*- C++ -*-===//
//
// A comment line added atop a header, or a blank line, changes the file's
// bytes and the line of everything below it, and nothing else: the tokens
// the preprocessor reads are the same, in the same lines relative to each
// other and in the same columns. When an object's fingerprint read no line
// of that file (no __LINE__, no source_location, no raw offset: the
// recording says which files), the object is the same, and hotast can say so
// without a parse (docs/wrapper.md, "Comment lines: a hit without a parse").
//
// codeLines hashes the file's lines, each byte for byte, leaving out only
// the *free comment lines*: a line that holds nothing but blanks (spaces,
// tabs) and, optionally (in languages with `//` comments: not C89), a `//`
// comment of printable ASCII that is not a
// documentation comment (`///`, `//!`) and holds no `??` (trigraphs), no
// `/*` and no backslash (for the linked Clang: none at its end, where it
// would splice the next line into the comment); that Clang's raw lexer,
// with the compile's language options, finds between tokens: no token, string, raw string or
// block comment begins before it and reaches into it, and the line before
// does not end in a line splice. Removing such a line leaves every token
// and the start-of-line and leading-space flags of each as they were. So
// does removing, for the linked Clang, a block comment of that plain text
// alone on its lines (not a documentation comment, `/**` or `/*!`), and,
// from a line of code whose end no token spans and that no splice joins to
// another, the blanks after its last token and a plain `//` comment that
// ends it (its tokens keep their columns). Two
// files with the same codeLines differ only by free comment lines, so they
// give the preprocessor the same tokens in the same columns; the file's
// UTF-8 byte order mark and whether it ends with a newline are hashed too
// (each changes what Clang reads or says), and every language option (the
// lexer that found the free lines must be the compile's).
//
// For a compile by another compiler (gcc, g++), GCC's warnings read more
// than the tokens (CommentRule::OtherCompiler: `//` comment lines only, and
// a line of code's end is kept): -Wmisleading-indentation
// reads the first non-blank column of each line between an unbraced body
// and the next statement (a comment line indented less than the next
// statement silences it), and -Wimplicit-fallthrough reads the comments
// before a label. There a comment line is free only when its leading blanks
// begin with those of the next line that is not (blank lines do not count):
// it is then indented at least as far as that line, whatever the tab width,
// and is no unindent; and when no label follows it, through comments only.
// The fingerprint hashes what the first rule reads where a guard is
// (lib/Compile/GuardIndentation.h).
//
// For the linked Clang, what the unit never reads is left out too (the
// bodies of macros it never expands, the plain lines of regions it
// skipped), and so is the spacing between tokens where no column reaches
// the object or a warning (lines whose tokens and whether blanks stand
// between them are the same: docs/wrapper.md, "Spacing between tokens"),
// when the compile that recorded the hash names it (lib/Compile/LeftOut.h).
// A lookup may leave out, besides, a new `#define` of a name the recording
// compile never read (NewDefines below, lib/Compile/NewDefines.h): the
// recording leaves out none, so equal hashes say the text differs from the
// recorded one by such lines, each a line moved as a comment line is.
// The halves of a compound token written apart (`( {`, `} )`, `:: *`)
// keep every byte between them: in a macro argument Clang warns when they
// are more than 50 bytes apart.
//
// The comment of a free line is plain text on purpose: what could make a
// diagnostic differ (documentation comments with -Wdocumentation, -Wcomment's
// nested comment and multi-line // comment, trigraphs, invalid UTF-8) is
// kept out by the allow-list of characters, not by a list of warnings.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_CODELINES_H
#define HOTAST_COMPILE_CODELINES_H

#include "hotast/Support/Hash128.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clang {
class LangOptions;
} // namespace clang

namespace hotast {

class NameFilter;

/// A lookup's leave to free more than comment lines: a new `#define` of a
/// name Read does not hold (the names the compile that recorded the hash
/// read: lib/Compile/NewDefines.h), in a file but the unit's source, under
/// the linked Clang's rule. The names freed are added to Freed, a name
/// once only; the names of every definition the rule would free were its
/// name absent, to Candidates (with no Read, nothing is freed: a text
/// whose Candidates Read all holds has the code lines it has without).
struct NewDefines {
  const NameFilter *Read = nullptr;
  std::vector<std::string> Freed, Candidates;
};

/// Text without each line that defines, alone, a name Read does not hold
/// and Text spells nowhere else (the rule above, but for the source's
/// exclusion):
/// what the edit guess compares, after a new macro served without a
/// parse left the text its snapshot holds behind (lib/Wrapper/EditGuess.h).
std::string withoutNewDefines(llvm::StringRef Text, const NameFilter &Read,
                              const clang::LangOptions &LO);

/// Which comment lines are free (see above): for the linked Clang, or for
/// another compiler (GCC's warnings read more).
enum class CommentRule { Clang, OtherCompiler };

/// FixedLines for a file whose lines reach the object (a __LINE__ in it
/// does): no line is free, and only what ends a line of code (CodeLines.h)
/// and the text of a free comment line (its place counts) may change,
/// which moves no line and no column.
constexpr unsigned AllLinesFixed = ~0u;

/// The hash of Text without its free comment lines (never zero). Text must be
/// followed by a NUL byte, as MemoryBuffer's and clang's buffers are. No
/// line among the first FixedLines is free: they keep their place, and
/// their text but a free comment line's (the linked Clang's rule).
/// With the linked Clang's rule, what LeftOut lists (what the recording
/// compile found the unit never reads: lib/Compile/LeftOut.h) is left out
/// too; and with Defines, new definitions of names the unit never read.
Hash128 codeLines(llvm::StringRef Text, const clang::LangOptions &LO,
                  CommentRule Rule = CommentRule::Clang, unsigned FixedLines = 0,
                  llvm::StringRef LeftOut = {}, NewDefines *Defines = nullptr);

/// codeLines of a file as the compile that read it records them (the linked
/// Clang's rule), leaving out what that compile found the unit never reads
/// there (lib/Compile/LeftOut.h): the bodies of Macros (sorted), the lines
/// of SkippedLines (the skipped regions, 1-based lines of Text), and with
/// Spacing the spacing between tokens on every line but ColumnLines (sorted,
/// 1-based: the lines whose columns a warning reads). LeftOut is set to the
/// list to give codeLines later.
Hash128 codeLinesLeavingOut(llvm::StringRef Text, const clang::LangOptions &LO,
                            unsigned FixedLines, llvm::ArrayRef<llvm::StringRef> Macros,
                            llvm::ArrayRef<std::pair<unsigned, unsigned>> SkippedLines,
                            std::string &LeftOut, bool Spacing = false,
                            llvm::ArrayRef<unsigned> ColumnLines = {});

/// The left-out list of a source's code lines as they key its entries (a
/// lookup makes them before it knows the entry): its spacing left out on
/// every line. Another compiler's rule reads no list.
llvm::StringRef sourceKeyList();

/// What a left-out list (lib/Compile/LeftOut.h) leaves out: the spacing
/// between tokens, text the unit never reads (macro bodies, skipped lines).
struct LeftOutKinds {
  bool Spacing = false, Unread = false;
};
LeftOutKinds leftOutKinds(llvm::StringRef LeftOut);

/// codeLines with the language options of one compile command.
class CodeLinesReader {
public:
  /// Argv as the compile runs it (Argv[0] the linked Clang, or with
  /// CommentRule::OtherCompiler the other compiler, whose command the linked
  /// Clang reads as for its parse). Nothing when the driver gives no single
  /// cc1 job for it.
  static llvm::Expected<std::optional<CodeLinesReader>>
  forCommand(llvm::ArrayRef<std::string> Argv, CommentRule Rule = CommentRule::Clang);
  CodeLinesReader(CodeLinesReader &&);
  ~CodeLinesReader();

  /// codeLines of the file at Path as it is now; nothing when it cannot be
  /// read.
  std::optional<Hash128> ofFile(llvm::StringRef Path, unsigned FixedLines = 0,
                                llvm::StringRef LeftOut = {},
                                NewDefines *Defines = nullptr) const;
  /// codeLines of Text (followed by a NUL byte).
  Hash128 ofText(llvm::StringRef Text, unsigned FixedLines = 0, llvm::StringRef LeftOut = {},
                 NewDefines *Defines = nullptr) const;

private:
  CodeLinesReader(std::unique_ptr<clang::LangOptions> LO, CommentRule Rule);
  std::unique_ptr<clang::LangOptions> LO;
  CommentRule Rule;
};

} // namespace hotast

#endif
