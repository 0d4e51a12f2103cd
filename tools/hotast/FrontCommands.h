//===- FrontCommands.h - The front program's commands -----------*- C++ -*-===//

#ifndef HOTAST_TOOLS_FRONTCOMMANDS_H
#define HOTAST_TOOLS_FRONTCOMMANDS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace hotast {

using CommandArgs = llvm::ArrayRef<llvm::StringRef>;

/// `hotast COMPILER ARGS...`.
int runWrapper(const std::vector<std::string> &Argv);
/// `hotast stats [--json] [--zero]`.
int runStats(CommandArgs Args);
/// `hotast cache clear`.
int runCacheCommand(CommandArgs Args);
/// `hotast built-from [--json] FILE|BUILD_ID`.
int runBuiltFrom(CommandArgs Args);
/// `hotast reload-flags [--cflags] [--ldflags]`.
int runReloadFlags(CommandArgs Args);
/// This program's path (its folder holds hotast-clang; ../lib the runtime).
llvm::StringRef selfPath();
/// Hands a compile to hotast-clang (does not return on success).
int runSemanticBack(CommandArgs Args);

} // namespace hotast

#endif
