//===- FileStamp.h - A file as it was when read ----------------*- C++ -*-===//
//
// What a compile read, as it was then: path, size, modification time and
// content hash. Direct mode, link records, reload units and preambles check
// files against their stamps: by size and time when the time is trusted,
// else by content.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_FILESTAMP_H
#define HOTAST_SUPPORT_FILESTAMP_H

#include "hotast/Support/Hash128.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/iterator.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include <optional>

namespace hotast {

/// A file a compile read, as it was then. A directory stamp
/// (directoryStampPath) stamps a directory where lookups found nothing
/// (CompileOutcome::MissedDirs): Content its state (a directory, nothing,
/// something else), MTimeNs its time; it matches while the state is the
/// same and either the time is or none of the names is there.
struct FileStamp {
  std::string Path;
  uint64_t Size = 0;
  int64_t MTimeNs = 0;
  Hash128 Content;
  /// Direct-mode manifests only: the file's text without its free comment
  /// lines (CodeLines.h) as the compile read it, when only such lines may
  /// change without changing the object; zero otherwise.
  Hash128 Code;
  /// With Code: its first this many lines count as they are, comment and
  /// blank lines included (a line taken there stays where it is:
  /// UnparsedLines.h).
  uint32_t CodeFixedLines = 0;
  /// With Code: what it left out beyond comment lines (codeLines' LeftOut,
  /// lib/Compile/LeftOut.h: the bodies of macros the unit never expands,
  /// the lines of regions it skipped; empty: none).
  std::string CodeLeftOut;
};

/// A direct-mode entry's files, in the order its compile read them: a
/// value, whose stamps other lists may share. The store reads a whole
/// build's entries for `hotast plan`, most of whose files are the same few
/// headers stamped the same way: each such stamp is held once (a fresh page
/// of memory costs more than reading the stamp did).
class StampList {
  using Shared = std::shared_ptr<const FileStamp>;

public:
  using const_iterator = llvm::pointee_iterator<std::vector<Shared>::const_iterator>;

  StampList() = default;
  StampList(std::initializer_list<FileStamp> Files) : StampList(std::vector<FileStamp>(Files)) {}
  /// One block for all of Files, which each stamp shares: no allocation a
  /// stamp (a direct hit reads hundreds).
  explicit StampList(std::vector<FileStamp> Files) {
    auto Block = std::make_shared<const std::vector<FileStamp>>(std::move(Files));
    Stamps.reserve(Block->size());
    for (const FileStamp &F : *Block)
      Stamps.push_back(Shared(Block, &F));
  }

  const_iterator begin() const { return const_iterator(Stamps.begin()); }
  const_iterator end() const { return const_iterator(Stamps.end()); }
  size_t size() const { return Stamps.size(); }
  bool empty() const { return Stamps.empty(); }
  const FileStamp &front() const { return *Stamps.front(); }
  const FileStamp &operator[](size_t I) const { return *Stamps[I]; }

  void push_back(FileStamp F) { Stamps.push_back(std::make_shared<const FileStamp>(std::move(F))); }
  /// Appends a stamp that other lists hold too.
  void pushShared(Shared F) { Stamps.push_back(std::move(F)); }
  /// Stamp I replaced (the other lists that hold the old one keep it).
  void set(size_t I, FileStamp F) { Stamps[I] = std::make_shared<const FileStamp>(std::move(F)); }

private:
  std::vector<Shared> Stamps;
};

/// The files as they are now. Files modified within the last two seconds get
/// no modification time, so that a later edit within the same clock tick is
/// still caught by comparing contents.
/// ReadSinceNs (system clock, ns): when the compile that read them started;
/// a file modified since (it may have been read before or after the change)
/// gets a stamp that never matches, so that what was compiled from it is
/// never taken for its new contents (ccache refuses such a direct-mode entry
/// for the same reason). A margin covers the file system's coarse clock.
/// Known: stamps with trusted times kept from before (Store::fileStamps),
/// by path; a file whose size and time are its known stamp's is not read,
/// and a directory stamp's names are not looked for while the directory's
/// time is its known stamp's.
/// A path that is not a regular file is not read either: its stamp never
/// matches.
llvm::Expected<std::vector<FileStamp>>
stampFiles(llvm::ArrayRef<std::string> Paths, std::optional<int64_t> ReadSinceNs = {},
           const llvm::StringMap<FileStamp> *Known = nullptr);

/// A directory stamp's path: Dir, '/', and each of Names after a '\1'.
std::string directoryStampPath(llvm::StringRef Dir, llvm::ArrayRef<std::string> Names);
/// A directory stamp of Dir, where a lookup just missed FirstName, as it is
/// now (its time trusted as a file's; one that never matches when
/// FirstName is there after all). TimeNs: the directory's time as it is.
FileStamp stampDirectory(llvm::StringRef Dir, llvm::StringRef FirstName, int64_t &TimeNs);
/// A directory's modification time in nanoseconds (0 when it is none).
int64_t directoryTimeNs(llvm::StringRef Dir);

/// The system clock in nanoseconds, as stampFiles' ReadSinceNs wants it.
int64_t stampClockNs();

/// True when the file still has the stamped contents (compared by size and
/// modification time, else by content hash).
bool stampMatches(const FileStamp &Stamp);
/// True when the file's size and modification time are the stamp's and the
/// stamp's time is trusted (not zero): the file has the stamped contents,
/// known without reading it. False says nothing.
bool stampMatchesByTime(const FileStamp &Stamp);

/// Whether Path names a directory stamp.
inline bool isDirectoryStamp(llvm::StringRef Path) { return Path.contains("/\1"); }

/// True for a stamp stampFiles gave a file saved while the compile read it:
/// what the compile read of it is not known, and the stamp never matches.
inline bool savedWhileRead(const FileStamp &Stamp) { return Stamp.Size == UINT64_MAX; }

/// Stamps as text, one "size mtime_ns content path" line each, and back
/// (appended to Out); false on a malformed line. Snapshots, reload units and
/// kept preambles store stamps this way.
std::string stampLines(llvm::ArrayRef<FileStamp> Stamps);
std::string stampLines(const StampList &Stamps);
bool parseStampLines(llvm::StringRef Text, std::vector<FileStamp> &Out);

} // namespace hotast

#endif
