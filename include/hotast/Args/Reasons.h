//===- Reasons.h - Why a compile is not cached, in words ------*- C++ -*-===//
//
// The words the decision log uses for a compile hotast does not cache, shared
// by the front program's quick refusals (lib/Args/Flags.cpp) and the option
// policy's allow-list (lib/Compile/OptionPolicy.cpp), so that one kind of
// refusal reads the same whichever of the two made it.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_ARGS_REASONS_H
#define HOTAST_ARGS_REASONS_H

#include "llvm/ADT/StringRef.h"

namespace hotast {
namespace reason {

constexpr llvm::StringLiteral Pch = "precompiled header";
constexpr llvm::StringLiteral Modules = "modules";
constexpr llvm::StringLiteral InputInFlags = "input file in flags";
constexpr llvm::StringLiteral Plugin = "compiler plugin";
constexpr llvm::StringLiteral ExtraOutput = "extra output file";
constexpr llvm::StringLiteral NotCompile = "not a compile";

} // namespace reason
} // namespace hotast

#endif
