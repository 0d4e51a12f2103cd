//===- WorkingDir.h - The working directory for a scope ---------*- C++ -*-===//

#ifndef HOTAST_SUPPORT_WORKINGDIR_H
#define HOTAST_SUPPORT_WORKINGDIR_H

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <optional>
#include <string>

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

/// The working directories of compiles taken in turn (a build's share
/// one): the directory changes only when the next compile's differs, and
/// the first is restored at the end.
class WorkingDirs {
public:
  std::error_code enter(llvm::StringRef Dir) {
    if (Scope && Dir == Current)
      return Scope->EC;
    Scope.reset();
    Scope.emplace(Dir);
    Current = Dir.str();
    Path.clear();
    if (!Scope->EC)
      llvm::sys::fs::current_path(Path);
    return Scope->EC;
  }
  /// Back to the directory of before the first.
  void leave() { Scope.reset(); }
  /// The directory entered, as the system names it (symbolic links
  /// resolved, as a compile's own working directory is): asked once per
  /// change, not once per compile.
  llvm::StringRef path() const { return Path; }

private:
  std::optional<WorkingDirScope> Scope;
  std::string Current;
  llvm::SmallString<256> Path;
};

} // namespace hotast

#endif
