//===- WorkingDir.h - The working directory for a scope ---------*- C++ -*-===//

#ifndef HOTAST_SUPPORT_WORKINGDIR_H
#define HOTAST_SUPPORT_WORKINGDIR_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

namespace hotast {

/// Changes the process's working directory to Dir (none when empty) and
/// restores it when it goes out of scope; EC says whether the change failed.
class WorkingDirScope {
public:
  explicit WorkingDirScope(llvm::StringRef Dir) {
    llvm::sys::fs::current_path(Saved);
    if (!Dir.empty())
      EC = llvm::sys::fs::set_current_path(Dir);
  }
  ~WorkingDirScope() { llvm::sys::fs::set_current_path(Saved); }
  WorkingDirScope(const WorkingDirScope &) = delete;
  WorkingDirScope &operator=(const WorkingDirScope &) = delete;
  std::error_code EC;

private:
  llvm::SmallString<256> Saved;
};

} // namespace hotast

#endif
