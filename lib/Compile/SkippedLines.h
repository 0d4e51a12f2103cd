//===- SkippedLines.h - Lines only another compiler may see -*- C++ -*-===//
//
// For gcc, g++ and other compilers, a region Clang's preprocessor skipped
// (#if) is in the fingerprint by its text, which holds no line number. If
// the compiler takes that region, a __LINE__ there takes the line of the
// region's place, and a comment line added above it changes the object while
// the text stays: a stale hit (test/wrapper/gcc-skipped-line.test). The same
// holds for a macro such a region defines with a __LINE__ in it, used where
// Clang uses its own definition, and for a declaration such a region makes
// with a __builtin_LINE() default argument, whose every call takes a line.
//
// So, by allow-list, the place of a region of the project's code (not under
// /usr/, whose lines change with the installation only) is hashed unless
// the identifiers that expand there (outside comments, literals and the
// bodies of #define and #undef, which expand where they are used) are known
// to reach no line: none of them is __LINE__, a line builtin, or a macro whose
// definition (any definition Clang read or a skipped region spells,
// followed through other macros) reaches one, and Clang's own view spelled
// no line builtin (a default argument a call in the region may use). A use,
// in Clang's view, of a name a skipped region defines so that it reaches a
// line hashes the use's line. A skipped region of the project's that spells
// a line builtin or source_location (it may declare a default argument), or
// one of the installation's that calls a line builtin, makes every project
// file's bytes count.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_SKIPPEDLINES_H
#define HOTAST_LIB_COMPILE_SKIPPEDLINES_H

#include "hotast/Compile/LineWords.h"
#include "hotast/Support/Hash128.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"

#include <string>
#include <vector>

namespace hotast {

class SkippedLines {
public:
  /// A macro definition Clang read, by the words of its body, and what it
  /// pastes (##).
  void defined(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> BodyWords,
               llvm::ArrayRef<Paste> Pastes = {});
  /// A region Clang skipped: its text, and the presumed line it begins at
  /// in File, of the project (System false) or of the installation.
  void skipped(llvm::StringRef Text, clang::FileID File, unsigned Line, bool System);
  /// Whether some skipped region so far defines Name (its uses then count:
  /// used()).
  bool definedWhenSkipped(llvm::StringRef Name) const { return SkippedDefines.count(Name); }
  /// A use, in Clang's view and in project file File, at presumed line
  /// Line, of a name some skipped region defines.
  void used(llvm::StringRef Name, clang::FileID File, unsigned Line) {
    Uses.push_back({Name.str(), File, Line});
  }
  /// Clang's view spelled __builtin_LINE, __builtin_source_location or the
  /// like: a default argument may take the line of any call.
  void lineBuiltinRead() { LineBuiltinSeen = true; }

  struct Verdict {
    /// Every project file's bytes must count.
    bool AllLines = false;
    /// The words that reach a line (the line words and the macros that
    /// reach one), sorted: a file only the compiler read that spells one
    /// makes the lines count (OtherView).
    std::vector<std::string> LineNames;
    /// The files whose lines count (a region's place or a use's line is
    /// hashed): no comment line there is free (CodeLines.h).
    std::vector<clang::FileID> LineFiles;
  };
  /// Adds to H the places and lines that count (see above).
  Verdict finish(Hasher &H) const;

private:
  /// A region of the project's code: its place and words.
  struct Region {
    clang::FileID File;
    unsigned Line;
    std::vector<std::string> Words;
  };
  struct Use {
    std::string Name;
    clang::FileID File;
    unsigned Line;
  };
  MacroReach Macros;
  llvm::StringSet<> SkippedDefines;
  std::vector<Region> Regions;
  std::vector<Use> Uses;
  bool LineBuiltinSeen = false;
  /// A skipped region may declare a default argument that takes a line.
  bool SkippedLineBuiltin = false;
};

} // namespace hotast

#endif
