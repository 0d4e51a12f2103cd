//===- PortablePaths.h - Paths that read the same in every checkout -*- C++ -*-===//
//
// Two checkouts of one project at different absolute paths compile to the
// same objects wherever no path reaches them. For their keys and recorded
// files to be equal too, a path under the configured base directory (ccache's
// base_dir) is written relative to the working directory: the part it shares
// with the working directory becomes a marker that says how many of the
// working directory's trailing components to drop. `/home/a/p/src/x.h` from
// `/home/a/p/build` reads `<1>/src/x.h`, as does `/home/b/p/src/x.h` from
// `/home/b/p/build`. The marker holds NUL bytes, which no argument or path
// can contain, so the portable form of a text is unambiguous and local()
// gives back exactly the text this working directory would have.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_PORTABLEPATHS_H
#define HOTAST_SUPPORT_PORTABLEPATHS_H

#include "llvm/ADT/StringRef.h"
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace hotast {

class PortablePaths {
public:
  /// Inactive (portable() and local() return their input) unless BaseDir is
  /// an absolute directory other than "/" and Cwd lies under it.
  PortablePaths(llvm::StringRef BaseDir, llvm::StringRef Cwd);
  PortablePaths() = default;

  bool active() const { return !Base.empty(); }

  /// Text with every absolute path under the base directory that begins a
  /// token (at the start, after a blank, '=', ',' or ':', or after a short
  /// option's name as in `-I/path`) written relative to the working
  /// directory.
  std::string portable(llvm::StringRef Text) const;

  /// The text this working directory reads for a portable one; none when a
  /// marker drops more components than the working directory has.
  std::optional<std::string> local(llvm::StringRef Text) const;

  /// An absolute path under the base directory as its portable form reads
  /// it: how many trailing components of the working directory it drops,
  /// and the rest ("" or beginning with '/'). None for any other text.
  std::optional<std::pair<unsigned, std::string>> split(llvm::StringRef Path) const;

  /// The working directory's component Drop places from its end, counting
  /// from 1 (the last); "" past its first.
  llvm::StringRef cwdComponent(unsigned Drop) const;

private:
  std::string Base;                       // normalized, no trailing '/'
  std::vector<std::string> CwdComponents; // of the working directory
};

} // namespace hotast

#endif
