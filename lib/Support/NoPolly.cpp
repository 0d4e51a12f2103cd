//===- NoPolly.cpp - The Polly plugin entry LLVM's archives expect -------===//
//
// Debian builds LLVM with Polly linked in: clang's code generation and
// LLVM's LTO call getPollyPluginInfo() to register it. libLLVM.so holds
// Polly, the static archives do not. hotast-clang, linked against the
// archives (llvm.cmake), registers nothing in its place: Polly changes the
// pipeline only with `-mllvm -polly` (or another of its options), which the
// in-process compile then does not know: hotast runs clang-19 itself for
// such a command (a fallback, logged). Every other compile's object is
// clang-19's.
//
//===----------------------------------------------------------------------===//

#include "llvm/Passes/PassPlugin.h"

llvm::PassPluginLibraryInfo getPollyPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "Polly (not linked)", LLVM_VERSION_STRING,
          [](llvm::PassBuilder &) {}};
}
