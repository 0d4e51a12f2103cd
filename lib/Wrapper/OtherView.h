//===- OtherView.h - What another compiler saw beyond the parse -*- C++ -*-===//
//
// For gcc, g++ and other compilers the fingerprint comes from the linked
// Clang's parse, and the compiler may read files the parse never opened:
// its own headers, stdc-predef.h, what a region Clang skips includes. Its
// depfile names them; a result is reused only when Clang's view of the files
// read is the same as then and each of those files has the same bytes
// (docs/wrapper.md, "With any other compiler"). Such a file may also expand
// a line where Clang's parse saw none (a macro with __LINE__ that a region
// only the compiler takes uses: lib/Compile/SkippedLines.h): when one spells
// a word that reaches a line (a line builtin or a macro that reaches one,
// CompileOutcome::LineNames), the bytes of every project file the parse
// read count as well, not only their declarations.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_OTHERVIEW_H
#define HOTAST_LIB_WRAPPER_OTHERVIEW_H

#include "hotast/Compile/InProcess.h"
#include "hotast/Support/Hash128.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hotast {

/// The parse's view of the files read (the depfile it wrote), and the files
/// the compiler's depfile names beyond the parse's, keyed by their bytes.
class OtherView {
public:
  /// ClangDepfile: the depfile the parse wrote; Out: the parse's outcome.
  OtherView(llvm::StringRef ClangDepfile, const CompileOutcome &Out);

  struct Seen {
    /// The view: Clang's files read, the others by their bytes.
    Hash128 Hash;
    /// A file only the compiler read spells a word that reaches a line (see
    /// above): then every project file's lines count (they are in Hash),
    /// and no comment line is free (CompileOutcome::CodeLines).
    bool LinesCount = false;
  };
  /// The view with the files CompilerDepfile names beyond the parse's, as
  /// they are now (or, with ContentOf, as it says they were: the content
  /// hash of a file by its path); none when one cannot be read. Each file
  /// is read once.
  using ContentLookup = llvm::function_ref<std::optional<Hash128>(llvm::StringRef Path)>;
  std::optional<Seen> of(llvm::StringRef CompilerDepfile, ContentLookup ContentOf = nullptr) const;

  /// Adds the files CompilerDepfile names beyond the parse's to Out's inputs
  /// (the direct-mode entry checks them too).
  void addOtherFiles(llvm::StringRef CompilerDepfile, CompileOutcome &Out) const;

private:
  std::vector<std::string> otherFiles(llvm::StringRef CompilerDepfile) const;
  /// Text spells a word that reaches a line.
  bool spellsALine(llvm::StringRef Text) const;

  Hash128 ClangView;
  std::set<llvm::sys::fs::UniqueID> Parsed;
  /// The parse's input files outside /usr/.
  std::vector<std::string> ProjectFiles;
  llvm::StringSet<> LineNames;
};

} // namespace hotast

#endif
