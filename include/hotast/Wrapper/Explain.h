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

/// Up to Max declarations that were added, removed or changed, as one line
/// ("changed function f (a.h:3); added variable v (a.cpp:9)"). When no
/// declaration differs, says what else can have (the command, pragmas, with
/// DWARF 5 debug info a file's bytes).
std::string explainMiss(const std::vector<SnapshotDecl> &Before,
                        const std::vector<SnapshotDecl> &After, unsigned Max = 5);

} // namespace hotast

#endif
