//===- Commands.h - hotast subcommands --------------------------*- C++ -*-===//
//
// Each subcommand is a function from its arguments (without the subcommand
// name) to an exit status; main.cpp holds the table.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_TOOLS_COMMANDS_H
#define HOTAST_TOOLS_COMMANDS_H

#include "hotast/Compile/Parse.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace hotast {

using CommandArgs = llvm::ArrayRef<llvm::StringRef>;

int runDiff(CommandArgs Args);
int runDecls(CommandArgs Args);
int runReload(CommandArgs Args);
int runDelta(CommandArgs Args);
int runWatchCommand(CommandArgs Args);
int runMcp(CommandArgs Args);
int runPlan(CommandArgs Args);

/// Options shared by commands that parse sources: `-p BUILD_DIR`, and the
/// compiler flags after `--`.
struct SourceOptions {
  std::string BuildDir;
  std::vector<std::string> CompilerArgs;
};

/// Consumes `-p DIR`/`-p=DIR` and `-- ARGS...` from Args; leaves the rest in
/// Rest. Returns an error message, or empty on success.
std::string parseSourceOptions(CommandArgs Args, SourceOptions &Opts,
                               std::vector<llvm::StringRef> &Rest);

/// Builds the parse of File: flags from `-p`'s compile_commands.json (for
/// File), then the flags after `--`.
llvm::Expected<ParseInput> makeParseInput(llvm::StringRef File, const SourceOptions &Opts);

/// Prints "hotast CMD: error: MSG" to stderr; returns 2.
int reportError(llvm::StringRef Command, const llvm::Twine &Message);

} // namespace hotast

#endif
