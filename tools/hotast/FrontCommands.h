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
/// Hands a compile to hotast-clang (does not return on success).
int runSemanticBack(CommandArgs Args);

} // namespace hotast

#endif
