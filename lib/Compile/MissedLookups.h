//===- MissedLookups.h - Where a compile looked and found nothing -*- C++ -*-===//
//
// A header created where the include search looks before the place it
// found one (-Ia -Ib: a new a/h.h in front of b/h.h) changes what the
// compile reads while every file it read stays as it was. Direct mode
// checks the directories of those misses as well (FileStamp's directory
// stamps): this file system records them, under the compile's file manager.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_MISSEDLOOKUPS_H
#define HOTAST_LIB_COMPILE_MISSEDLOOKUPS_H

#include "hotast/Support/FileStamp.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/ExtensibleRTTI.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <string>
#include <vector>

namespace hotast {

class MissRecordingFS : public llvm::RTTIExtends<MissRecordingFS, llvm::vfs::ProxyFileSystem> {
public:
  static const char ID;
  explicit MissRecordingFS(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
      : RTTIExtends(std::move(FS)) {}

  llvm::ErrorOr<llvm::vfs::Status> status(const llvm::Twine &Path) override {
    auto S = ProxyFileSystem::status(Path);
    note(Path, S.getError());
    return S;
  }
  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>>
  openFileForRead(const llvm::Twine &Path) override {
    auto F = ProxyFileSystem::openFileForRead(Path);
    note(Path, F.getError());
    return F;
  }

  /// A stamp of each directory where a lookup found nothing, as the
  /// compile spelled it, taken at its first miss (before the compile wrote
  /// anything there); sorted by path. A directory that holds a name a
  /// lookup missed (made since that lookup) gets a stamp that never
  /// matches.
  std::vector<FileStamp> missedDirs() const {
    std::vector<FileStamp> Out;
    for (const auto &Dir : Missed)
      Out.push_back(Dir.getValue().Stamp);
    llvm::sort(Out, [](const FileStamp &A, const FileStamp &B) { return A.Path < B.Path; });
    return Out;
  }

private:
  void note(const llvm::Twine &Path, std::error_code EC) {
    if (EC != std::errc::no_such_file_or_directory && EC != std::errc::not_a_directory)
      return;
    llvm::SmallString<256> P;
    Path.toVector(P);
    llvm::StringRef Dir = llvm::sys::path::parent_path(P);
    auto [It, New] = Missed.try_emplace(Dir.empty() ? "." : Dir);
    if (New)
      It->second.Stamp = stampDirectory(It->first(), It->second.Names);
    if (It->second.Names.contains(llvm::sys::path::filename(P)))
      It->second.Stamp.Size = UINT64_MAX; // savedWhileRead
  }
  struct Seen {
    FileStamp Stamp;
    llvm::StringSet<> Names;
  };
  llvm::StringMap<Seen> Missed;
};

} // namespace hotast

#endif
