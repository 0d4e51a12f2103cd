//===- FileStamp.cpp - A file as it was when read -------------------------===//

#include "hotast/Support/FileStamp.h"

#include "llvm/ADT/StringExtras.h"
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

/// A temporary file an atomic write makes beside its output (clang's
/// "a-1f2e3d4c.o.tmp", hotast's "a.o.tmp.1f2e3d4c"): a compile writing into
/// a directory, or one beside it in a parallel build, leaves none behind.
static bool isWriteTemporary(llvm::StringRef Name) {
  if (Name.ends_with(".tmp"))
    return true;
  auto [Stem, Suffix] = Name.rsplit('.');
  return Stem.ends_with(".tmp") && Suffix.size() == 8 &&
         llvm::all_of(Suffix, [](char C) { return llvm::isHexDigit(C); });
}

/// What a directory stamp records of Path (a directory and '/') now: Size 0
/// and a zero hash when nothing is there, Size 0 and another hash when
/// something else is, else the number of its names plus one and their
/// hash, write temporaries left out; its names into Names. MTime: the
/// directory's (0 when none).
static FileStamp directoryNow(llvm::StringRef Path, int64_t &MTime,
                              llvm::StringSet<> *Names = nullptr) {
  FileStamp S;
  S.Path = Path.str();
  MTime = 0;
  llvm::StringRef Dir = Path.drop_back();
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Dir, Status))
    return S;
  if (Status.type() != llvm::sys::fs::file_type::directory_file) {
    S.Content = hashBytes("not a directory");
    return S;
  }
  MTime = mtimeNs(Status);
  std::vector<std::string> List;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC; It.increment(EC))
    if (llvm::StringRef Name = llvm::sys::path::filename(It->path()); !isWriteTemporary(Name))
      List.push_back(Name.str());
  llvm::sort(List);
  Hasher H;
  H.add("directory").add(uint64_t(EC ? 1 : 0));
  for (const std::string &N : List) {
    H.add(N);
    if (Names)
      Names->insert(N);
  }
  S.Size = List.size() + 1;
  S.Content = H.final();
  return S;
}

FileStamp stampDirectory(llvm::StringRef Dir, llvm::StringSet<> &Names) {
  int64_t MTime;
  FileStamp S = directoryNow((Dir + "/").str(), MTime, &Names);
  S.MTimeNs = MTime < stampClockNs() - 2'000'000'000 ? MTime : 0;
  return S;
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
      S.MTimeNs = MTime < TooNew ? MTime : 0;
      // Changed while (or just before) the compile looked: never matches.
      if (ReadSinceNs && MTime >= *ReadSinceNs - 10'000'000) {
        S.Size = UINT64_MAX; // savedWhileRead
        S.MTimeNs = 0;
      }
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
    int64_t MTime = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        Status.getLastModificationTime().time_since_epoch())
                        .count();
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
  int64_t MTime = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      Status.getLastModificationTime().time_since_epoch())
                      .count();
  return Stamp.MTimeNs != 0 && MTime == Stamp.MTimeNs ? ByStatus::Same : ByStatus::Unknown;
}

bool stampMatches(const FileStamp &Stamp) {
  if (isDirectoryStamp(Stamp.Path)) {
    if (savedWhileRead(Stamp))
      return false;
    int64_t MTime;
    // The directory's time first (a name added or removed changes it),
    // then its names.
    llvm::sys::fs::file_status Status;
    if (Stamp.MTimeNs != 0 && Stamp.Size != 0 &&
        !llvm::sys::fs::status(llvm::StringRef(Stamp.Path).drop_back(), Status) &&
        Status.type() == llvm::sys::fs::file_type::directory_file &&
        mtimeNs(Status) == Stamp.MTimeNs)
      return true;
    FileStamp Now = directoryNow(Stamp.Path, MTime);
    return Now.Size == Stamp.Size && Now.Content == Stamp.Content;
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
