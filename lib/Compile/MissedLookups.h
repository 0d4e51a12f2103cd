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
#include "llvm/Support/FileSystem.h"
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
  /// compile spelled it, with the names missed there (directoryStampPath);
  /// its state and time taken at its first miss, before the compile wrote
  /// anything there. Sorted by path.
  std::vector<FileStamp> missedDirs() const {
    std::vector<FileStamp> Out;
    for (const auto &Entry : Missed) {
      const Seen &D = Entry.getValue();
      std::vector<std::string> Names;
      for (const auto &N : D.Names)
        Names.push_back(N.getKey().str());
      llvm::sort(Names);
      FileStamp S = D.Stamp;
      S.Path = directoryStampPath(Entry.getKey(), Names);
      // Changed since its first miss (the compile's own output, a parallel
      // build's): no time to trust, and none of the names may be there now
      // (one made since a lookup missed it makes a stamp that never
      // matches).
      if (directoryTimeNs(Entry.getKey()) != D.FirstMTime) {
        S.MTimeNs = 0;
        for (const std::string &N : Names)
          if (llvm::sys::fs::exists(Entry.getKey() + "/" + N))
            S.Size = UINT64_MAX; // savedWhileRead
      }
      Out.push_back(std::move(S));
    }
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
    llvm::StringRef Name = llvm::sys::path::filename(P);
    auto [It, New] = Missed.try_emplace(Dir.empty() ? "." : Dir);
    if (New)
      It->second.Stamp = stampDirectory(It->first(), Name, It->second.FirstMTime);
    It->second.Names.insert(Name);
  }
  struct Seen {
    FileStamp Stamp;
    int64_t FirstMTime = 0;
    llvm::StringSet<> Names;
  };
  llvm::StringMap<Seen> Missed;
};

} // namespace hotast

#endif
