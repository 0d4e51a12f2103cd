//===- main.cpp - hotast command line -------------------------------------===//
//
// One table of subcommands; each handler lives in its own file.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace hotast;

namespace {
struct Command {
  const char *Name;
  const char *Summary;
  int (*Run)(CommandArgs);
};

const Command Commands[] = {
    {"diff", "which declarations changed between two versions of a source, and how", runDiff},
    {"decls", "the key, hashes and references hotast records for each declaration", runDecls},
};
} // namespace

static void printHelp(llvm::raw_ostream &OS) {
  OS << "USAGE: hotast COMMAND [ARGS...]\n\n"
        "hotast hashes each declaration's normalized Clang AST, so that edits which\n"
        "change nothing (comments, formatting, literal spelling) are told apart from\n"
        "edits that change code.\n\nCOMMANDS:\n";
  for (const Command &C : Commands)
    OS << "  " << llvm::left_justify(C.Name, 8) << C.Summary << '\n';
  OS << "\n'hotast COMMAND --help' describes one command.\n";
}

int main(int argc, char **argv) {
  llvm::InitLLVM X(argc, argv);
  if (argc < 2) {
    printHelp(llvm::errs());
    return 2;
  }
  llvm::StringRef Name = argv[1];
  if (Name == "-h" || Name == "--help" || Name == "help") {
    printHelp(llvm::outs());
    return 0;
  }
  if (Name == "--version") {
    llvm::outs() << "hotast " HOTAST_VERSION " (clang " << linkedClangPath() << ")\n";
    return 0;
  }
  std::vector<llvm::StringRef> Args(argv + 2, argv + argc);
  for (const Command &C : Commands)
    if (Name == C.Name)
      return C.Run(Args);
  llvm::errs() << "hotast: unknown command '" << Name << "'\n\n";
  printHelp(llvm::errs());
  return 2;
}
