//===- Preamble.h - A unit's preamble, precompiled and kept -----*- C++ -*-===//
//
// The preamble of a source is its leading run of #include and #define lines
// (clang's ComputePreambleBounds); in most sources it is most of what the
// compiler parses. Hot reload compiles the same unit again and again with
// only its body edited, so it keeps the preamble precompiled (clang's
// PrecompiledPreamble, as clangd does) in a directory, one per unit (its
// cc1 arguments and working directory), with the stamps of every file the
// preamble read. A kept preamble is used only when the preamble's bytes and
// every stamped file are unchanged (clang's own checks of the PCH are off,
// as for clangd's preambles); otherwise it is built again first.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_PREAMBLE_H
#define HOTAST_LIB_COMPILE_PREAMBLE_H

#include "clang/Frontend/CompilerInvocation.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>
#include <vector>

namespace hotast {

struct PreambleUse {
  /// How it went: "reused", "built", or why none is used.
  std::string State;
  /// The files the preamble read (absolute): inputs of the compile that a
  /// parse with the preamble does not open.
  std::vector<std::string> Files;
};

/// Sets Invocation up to parse its main file with the unit's kept preamble.
/// When there is none or it is stale: with Build, builds and keeps it first;
/// without, leaves the invocation as it was (State "missing"). On any
/// failure the invocation is left as it was (the compile parses everything).
PreambleUse usePreamble(clang::CompilerInvocation &Invocation, llvm::ArrayRef<std::string> CC1,
                        llvm::StringRef WorkingDir, llvm::StringRef Dir, bool Build);

} // namespace hotast

#endif
