//===- Render.h - Printing a declaration diff -------------------*- C++ -*-===//
//
// Two renderings of a DiffResult: one line per change for people, and the
// JSON document README's `hotast diff` describes, for programs:
//   {"version":1,"changes":[{"change":..,"kind":..,"name":..,"usr":..,
//    "file":..,"line":..}],"unchanged":N}
// The JSON version is bumped when a field changes meaning or disappears.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_DIFF_RENDER_H
#define HOTAST_DIFF_RENDER_H

#include "hotast/Diff/DeclDiff.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

constexpr int DiffJSONVersion = 1;

void renderDiffText(const DiffResult &R, llvm::raw_ostream &OS);
void renderDiffJSON(const DiffResult &R, llvm::raw_ostream &OS);

} // namespace hotast

#endif
