//===- Exec.cpp - Handing the command to the real compiler ----------------===//

#include "hotast/Wrapper/Exec.h"

#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace hotast {

int execCompiler(llvm::ArrayRef<std::string> Argv) {
  if (Argv.empty())
    return 127;
  std::vector<char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(const_cast<char *>(A.c_str()));
  Args.push_back(nullptr);
  llvm::errs().flush();
  ::execvp(Args[0], Args.data());
  int Err = errno;
  llvm::errs() << "hotast: error: cannot run '" << Argv[0] << "': " << std::strerror(Err) << '\n';
  return Err == ENOENT ? 127 : 126;
}

} // namespace hotast
