//===- SemanticMode.h - A compile past a direct-mode miss -------*- C++ -*-===//
//
// Runs in the Clang-linked program. With the linked Clang as the compiler:
// compile in-process, reuse the object when the fingerprint is known
// (code generation skipped), else generate code from the same parse. With
// any other compiler: parse for the fingerprint, run the compiler only on a
// miss. Either way, record what the next compile needs: the object, the
// result by fingerprint, a direct-mode manifest, the TU's snapshot.
// hotast never fails a build: an internal error runs the real compiler.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_SEMANTICMODE_H
#define HOTAST_WRAPPER_SEMANTICMODE_H

#include "hotast/Wrapper/Config.h"
#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace hotast {

/// Compiles Argv (Argv[0] the compiler); returns the exit status to exit with.
int runSemanticCompile(const Config &C, llvm::ArrayRef<std::string> Argv);

} // namespace hotast

#endif
