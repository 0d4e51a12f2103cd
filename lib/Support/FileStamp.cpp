//===- FileStamp.cpp - A file as it was when read -------------------------===//

#include "hotast/Support/FileStamp.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <chrono>

namespace hotast {

int64_t stampClockNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

static int64_t mtimeNs(const llvm::sys::fs::file_status &Status) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             Status.getLastModificationTime().time_since_epoch())
      .count();
}

namespace {
/// A directory stamp's parts: the directory, and the names a lookup missed
/// in it.
struct DirectoryStampPath {
  llvm::StringRef Dir;
  llvm::SmallVector<llvm::StringRef, 4> Names;
  explicit DirectoryStampPath(llvm::StringRef Path) {
    auto [Head, Tail] = Path.split("/\1");
    Dir = Head.empty() ? "/" : Head;
    Tail.split(Names, '\1', -1, /*KeepEmpty=*/false);
  }
};
} // namespace

/// The state of Dir now, as a directory stamp's Content says it: nothing
/// there (zero), a directory, or something else; MTime: a directory's.
static Hash128 directoryState(llvm::StringRef Dir, int64_t &MTime) {
  MTime = 0;
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Dir, Status))
    return Hash128();
  if (Status.type() != llvm::sys::fs::file_type::directory_file)
    return hashBytes("not a directory");
  MTime = mtimeNs(Status);
  return hashBytes("directory");
}

std::string directoryStampPath(llvm::StringRef Dir, llvm::ArrayRef<std::string> Names) {
  std::string Path = (Dir == "/" ? "" : Dir.str()) + "/";
  for (const std::string &N : Names)
    Path += "\1" + N;
  return Path;
}

/// A directory stamp of Path now: the directory's state and time (trusted
/// as a file's; MTime: as it is), and a stamp that never matches when one
/// of the names is there.
static FileStamp directoryNow(llvm::StringRef Path, int64_t &MTime) {
  DirectoryStampPath P(Path);
  FileStamp S;
  S.Path = Path.str();
  S.Content = directoryState(P.Dir, MTime);
  S.MTimeNs = MTime < stampClockNs() - 2'000'000'000 ? MTime : 0;
  for (llvm::StringRef Name : P.Names)
    if (llvm::sys::fs::exists(P.Dir + "/" + Name))
      S.Size = UINT64_MAX; // savedWhileRead
  return S;
}

FileStamp stampDirectory(llvm::StringRef Dir, llvm::StringRef FirstName, int64_t &TimeNs) {
  return directoryNow(directoryStampPath(Dir, {FirstName.str()}), TimeNs);
}

int64_t directoryTimeNs(llvm::StringRef Dir) {
  int64_t MTime;
  directoryState(Dir, MTime);
  return MTime;
}

llvm::Expected<std::vector<FileStamp>> stampFiles(llvm::ArrayRef<std::string> Paths,
                                                  std::optional<int64_t> ReadSinceNs) {
  const int64_t TooNew = stampClockNs() - 2'000'000'000;
  std::vector<FileStamp> Out;
  Out.reserve(Paths.size());
  for (const std::string &P : Paths) {
    if (isDirectoryStamp(P)) {
      int64_t MTime;
      FileStamp S = directoryNow(P, MTime);
      // Changed while (or just before) the compile looked: its names are
      // checked one by one.
      if (ReadSinceNs && S.MTimeNs >= *ReadSinceNs - 10'000'000)
        S.MTimeNs = 0;
      Out.push_back(std::move(S));
      continue;
    }
    // Read, not mapped: a compile reads hundreds of headers, and unmapping
    // each costs more than copying it.
    auto Buf = llvm::MemoryBuffer::getFile(P, /*IsText=*/false, /*RequiresNullTerminator=*/false,
                                           /*IsVolatile=*/true);
    if (!Buf)
      return llvm::createFileError(P, Buf.getError());
    llvm::sys::fs::file_status Status;
    if (std::error_code EC = llvm::sys::fs::status(P, Status))
      return llvm::createFileError(P, EC);
    FileStamp S;
    S.Path = P;
    S.Size = (*Buf)->getBufferSize();
    int64_t MTime = mtimeNs(Status);
    S.MTimeNs = MTime < TooNew ? MTime : 0;
    S.Content = hashBytes((*Buf)->getBuffer());
    // Modified while (or just before) the compile read it: never matches.
    if (ReadSinceNs && MTime >= *ReadSinceNs - 10'000'000) {
      S.Size = UINT64_MAX; // savedWhileRead
      S.MTimeNs = 0;
    }
    Out.push_back(std::move(S));
  }
  return Out;
}

namespace {
enum class ByStatus { Differs, Same, Unknown };
}

/// What the file's status says of Stamp: another file (gone, not regular,
/// another size), the same contents (the stamp's trusted time), or not
/// known without reading it.
static ByStatus byStatus(const FileStamp &Stamp) {
  // Only a regular file is read: a stamp may come from another machine
  // (the remote cache), and a FIFO or a device under its path would block
  // or never end.
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Stamp.Path, Status) ||
      Status.type() != llvm::sys::fs::file_type::regular_file || Status.getSize() != Stamp.Size)
    return ByStatus::Differs;
  int64_t MTime = mtimeNs(Status);
  return Stamp.MTimeNs != 0 && MTime == Stamp.MTimeNs ? ByStatus::Same : ByStatus::Unknown;
}

bool stampMatches(const FileStamp &Stamp) {
  if (isDirectoryStamp(Stamp.Path)) {
    if (savedWhileRead(Stamp))
      return false;
    DirectoryStampPath P(Stamp.Path);
    int64_t MTime;
    if (directoryState(P.Dir, MTime) != Stamp.Content)
      return false;
    // The directory's time first (a name added or removed changes it),
    // then each name a lookup missed there.
    if (Stamp.MTimeNs != 0 && MTime == Stamp.MTimeNs)
      return true;
    return llvm::none_of(P.Names, [&](llvm::StringRef Name) {
      return llvm::sys::fs::exists(P.Dir + "/" + Name);
    });
  }
  switch (byStatus(Stamp)) {
  case ByStatus::Differs:
    return false;
  case ByStatus::Same:
    return true;
  case ByStatus::Unknown:
    break;
  }
  auto Buf = llvm::MemoryBuffer::getFile(Stamp.Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false, /*IsVolatile=*/true);
  return Buf && hashBytes((*Buf)->getBuffer()) == Stamp.Content;
}

bool stampMatchesByTime(const FileStamp &Stamp) { return byStatus(Stamp) == ByStatus::Same; }

std::string stampLines(llvm::ArrayRef<FileStamp> Stamps) {
  std::string Out;
  for (const FileStamp &S : Stamps)
    Out += std::to_string(S.Size) + " " + std::to_string(S.MTimeNs) + " " + S.Content.toHex() +
           " " + S.Path + "\n";
  return Out;
}

bool parseStampLines(llvm::StringRef Text, std::vector<FileStamp> &Out) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Line : Lines) {
    FileStamp S;
    auto [Size, R1] = Line.split(' ');
    auto [MTime, R2] = R1.split(' ');
    auto [Content, Path] = R2.split(' ');
    if (Size.getAsInteger(10, S.Size) || MTime.getAsInteger(10, S.MTimeNs) ||
        !Hash128::fromHex(Content, S.Content) || Path.empty())
      return false;
    S.Path = Path.str();
    Out.push_back(std::move(S));
  }
  return true;
}

} // namespace hotast
