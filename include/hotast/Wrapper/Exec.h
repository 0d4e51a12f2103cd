//===- Exec.h - Handing the command to the real compiler --------*- C++ -*-===//

#ifndef HOTAST_WRAPPER_EXEC_H
#define HOTAST_WRAPPER_EXEC_H

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace hotast {

/// Replaces this process with Argv (the real compiler, as given). Returns
/// only when it cannot run: 127 when not found, 126 otherwise (said on
/// stderr), as a shell does.
int execCompiler(llvm::ArrayRef<std::string> Argv);

} // namespace hotast

#endif
