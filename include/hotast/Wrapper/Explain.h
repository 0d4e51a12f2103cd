//===- Explain.h - Why did this rebuild? ------------------------*- C++ -*-===//
//
// A translation unit's snapshot is the list of declarations its fingerprint
// covered, each with its hash. Comparing the last snapshot with the new one
// names the declarations whose change caused a miss.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_EXPLAIN_H
#define HOTAST_WRAPPER_EXPLAIN_H

#include "hotast/Analysis/Fingerprint.h"
#include "hotast/Store/Store.h"

namespace hotast {

/// The snapshot of a fingerprint's closure.
std::vector<SnapshotDecl> snapshotOf(const TUFingerprint &FP);

/// The declarations that were added, removed or changed ("changed function
/// f (a.h:3)"), up to Max of them, in the order of the new closure.
struct MissReasons {
  std::vector<std::string> Shown;
  size_t Total = 0;
  /// Every one of them: "added", "changed" or "removed", and the record
  /// (of After, or of Before for a removed one).
  std::vector<std::pair<std::string, const SnapshotDecl *>> All;
};
MissReasons missReasons(const std::vector<SnapshotDecl> &Before,
                        const std::vector<SnapshotDecl> &After, unsigned Max);

/// What else can have changed when no declaration did.
inline constexpr const char *NoDeclarationChanged =
    "no declaration changed: the command, the compiler, a file an option names, a "
    "pragma, the order of the unit's first uses of instantiations, a name an instantiation "
    "prints (__PRETTY_FUNCTION__), for another compiler a "
    "macro, a region Clang skips, a file only it read or whether a function or variable with "
    "internal linkage is used, "
    "or (where every file's bytes count: embedded sources, coverage mapping, options hotast "
    "does not know, DWARF 5 checksums of files not known) a file's bytes did";

/// Up to Max declarations that were added, removed or changed, as one line
/// ("changed function f (a.h:3); added variable v (a.cpp:9)"). When no
/// declaration differs, says what else can have (the command, pragmas, with
/// DWARF 5 debug info a file's bytes).
std::string explainMiss(const std::vector<SnapshotDecl> &Before,
                        const std::vector<SnapshotDecl> &After, unsigned Max = 5);

} // namespace hotast

#endif
