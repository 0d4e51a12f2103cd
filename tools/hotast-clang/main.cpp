//===- main.cpp - hotast-clang: the Clang-linked half of hotast -----------===//
//
// The front program `hotast` serves direct hits and statistics without
// loading LLVM's shared libraries; it runs this program for everything that
// needs Clang: `diff`, `decls`, and compiles past a direct-mode miss.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "hotast/Wrapper/Config.h"
#include "hotast/Wrapper/SemanticMode.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace hotast;

static int runCompile(CommandArgs Args) {
  std::vector<std::string> Argv(Args.begin(), Args.end());
  if (Argv.empty()) {
    llvm::errs() << "hotast-clang compile: expected COMPILER ARGS...\n";
    return 2;
  }
  Config C = Config::fromEnvironment();
  ::unsetenv("HOTAST_REMOTE_SPENT_MS"); // the front program's, for this half only
  return runSemanticCompile(C, Argv);
}

namespace {
struct Command {
  const char *Name;
  int (*Run)(CommandArgs);
};
const Command Commands[] = {
    {"diff", runDiff},
    {"decls", runDecls},
    {"compile", runCompile},
    {"reload", runReload},
    {"delta", runDelta},
    {"watch", runWatchCommand},
    {"mcp", runMcp},
    {"plan", runPlan},
};
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  if (argc >= 2) {
    std::vector<llvm::StringRef> Args(argv + 2, argv + argc);
    for (const Command &C : Commands)
      if (llvm::StringRef(argv[1]) == C.Name)
        return C.Run(Args);
  }
  llvm::errs() << "usage: hotast-clang {diff|decls|compile} ARGS... (run through 'hotast')\n";
  return 2;
}
