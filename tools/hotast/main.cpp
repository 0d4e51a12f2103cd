//===- main.cpp - hotast: the front program -------------------------------===//
//
// `hotast COMPILER ARGS...` (a compiler launcher) and the cache commands. This
// program does not load LLVM's or Clang's shared libraries (about 25 ms per
// process here): it serves direct hits itself and runs hotast-clang, beside
// it, for everything that needs Clang. One table of subcommands.
//
//===----------------------------------------------------------------------===//

#include "FrontCommands.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

using namespace hotast;

static std::string SelfPath;

/// Runs hotast-clang (next to this program) with Args.
static int execBack(llvm::StringRef Command, CommandArgs Args) {
  llvm::SmallString<256> Back(llvm::sys::path::parent_path(SelfPath));
  llvm::sys::path::append(Back, "hotast-clang");
  std::vector<std::string> Argv = {std::string(Back), Command.str()};
  for (llvm::StringRef A : Args)
    Argv.push_back(A.str());
  std::vector<char *> Raw;
  for (std::string &A : Argv)
    Raw.push_back(A.data());
  Raw.push_back(nullptr);
  ::execv(Raw[0], Raw.data());
  llvm::errs() << "hotast: error: cannot run '" << Back << "': " << std::strerror(errno) << '\n';
  return 2;
}

llvm::StringRef hotast::selfPath() { return SelfPath; }

static int runDiffBack(CommandArgs Args) { return execBack("diff", Args); }
static int runDeclsBack(CommandArgs Args) { return execBack("decls", Args); }
static int runReloadBack(CommandArgs Args) { return execBack("reload", Args); }
static int runDeltaBack(CommandArgs Args) { return execBack("delta", Args); }
static int runWatchBack(CommandArgs Args) { return execBack("watch", Args); }
static int runMcpBack(CommandArgs Args) { return execBack("mcp", Args); }
static int runPlanBack(CommandArgs Args) { return execBack("plan", Args); }
int hotast::runSemanticBack(CommandArgs Args) { return execBack("compile", Args); }

namespace {
struct Command {
  const char *Name;
  const char *Summary;
  int (*Run)(CommandArgs);
};
const Command Commands[] = {
    {"diff", "which declarations changed between two versions of a source, and how",
     runDiffBack},
    {"decls", "the key, hashes and references hotast records for each declaration",
     runDeclsBack},
    {"plan", "what the next build recompiles and why, and the targets and tests it reaches",
     runPlanBack},
    {"stats", "cache statistics (--json; --zero resets them)", runStats},
    {"cache", "cache maintenance: 'hotast cache clear' empties the cache", runCacheCommand},
    {"built-from", "what a program linked through hotast was made from (by its build id)",
     runBuiltFrom},
    {"reload", "patch a running program with the functions an edit changed, keeping its state",
     runReloadBack},
    {"delta", "what a patch of a running program would change, and whether it can (JSON)",
     runDeltaBack},
    {"watch", "run a program and patch it at each save of its sources", runWatchBack},
    {"mcp", "a Model Context Protocol server (stdio) for coding agents: launch, edit, patch",
     runMcpBack},
    {"reload-flags", "the flags that make a program patchable while it runs (--cflags, --ldflags)",
     runReloadFlags},
};
} // namespace

static void printHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: hotast COMPILER ARGS...     compile through hotast's semantic cache\n"
        "       hotast COMMAND [ARGS...]\n\n"
        "As a compiler launcher (CMAKE_<LANG>_COMPILER_LAUNCHER=hotast), hotast reuses the\n"
        "object file of an earlier compile when the declarations that reach the object are\n"
        "unchanged: comment, formatting and unrelated header edits cost a parse, not a compile.\n\n"
        "COMMANDS:\n";
  for (const Command &C : Commands)
    OS << "  " << llvm::left_justify(C.Name, 13) << C.Summary << '\n';
  OS << "\nALIASES (as in ccache): -s (stats), -z (stats --zero), -C (cache clear)\n\n"
        "ENVIRONMENT:\n"
        "  HOTAST_DIR      cache directory (default: ${XDG_CACHE_HOME:-~/.cache}/hotast)\n"
        "  HOTAST_DISABLE  set to 1 to run the compiler untouched\n"
        "  HOTAST_LOGFILE  log one line per decision (and why a compile missed)\n"
        "  HOTAST_LOG_FORMAT  json: the log as JSON lines, one object per record\n"
        "  HOTAST_MAXSIZE  cache size limit, e.g. 5G, 500M (default 5G)\n"
        "  HOTAST_BASEDIR  paths under it count relative to the working directory in keys,\n"
        "                  so checkouts at other paths share entries (with -g or __FILE__:\n"
        "                  where -ffile-prefix-map rewrites the checkout's paths)\n"
        "  HOTAST_REMOTE   redis://[[user]:password@]host[:port][/db]: share the cache\n"
        "                  (also HOTAST_REMOTE_READONLY, _ONLY, _KEY, _TIMEOUT, _RETRY)\n"
        "Each may also be set in the cache directory's hotast.conf (base_dir = ...).\n\n"
        "'hotast COMMAND --help' describes one command; docs/wrapper.md the wrapper.\n";
}

int main(int argc, char **argv) {
  SelfPath = llvm::sys::fs::getMainExecutable(argv[0], reinterpret_cast<void *>(&main));
  if (argc < 2) {
    printHelp(llvm::errs());
    return 2;
  }
  llvm::StringRef Name = argv[1];
  std::vector<llvm::StringRef> Args(argv + 2, argv + argc);
  if (Name == "-h" || Name == "--help" || Name == "help") {
    printHelp(llvm::outs());
    return 0;
  }
  if (Name == "--version") {
    llvm::outs() << "hotast " HOTAST_VERSION "\n";
    return 0;
  }
  if (Name == "-s" || Name == "--show-stats")
    return runStats(Args);
  if (Name == "-z" || Name == "--zero-stats")
    return runStats({"--zero"});
  if (Name == "-C" || Name == "--clear")
    return runCacheCommand({"clear"});
  for (const Command &C : Commands)
    if (Name == C.Name)
      return C.Run(Args);
  std::vector<std::string> Argv(argv + 1, argv + argc);
  return runWrapper(Argv);
}
