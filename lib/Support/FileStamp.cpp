//===- FileStamp.cpp - A file as it was when read -------------------------===//

#include "hotast/Support/FileStamp.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <atomic>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

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

static int64_t mtimeNs(const struct stat &St) {
  return int64_t(St.st_mtim.tv_sec) * 1'000'000'000 + St.st_mtim.tv_nsec;
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

/// Stamps one file into S: opened, its status taken from the open file,
/// read whole into Buf (reused from file to file), closed. Four system
/// calls, where MemoryBuffer::getFile and a status by path take seven (a
/// second status, and the signal mask set and restored around the close):
/// a direct hit from the remote cache stamps every header a unit read, and
/// this machine's system calls cost microseconds each. A path that is not a
/// regular file is not read (a remote entry may name a FIFO, which would
/// block, or a device, which would not end): its stamp never matches.
static std::error_code stampOne(const std::string &P, int64_t TooNew,
                                std::optional<int64_t> ReadSinceNs, std::string &Buf,
                                FileStamp &S) {
  S.Path = P;
  int FD = ::open(P.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (FD < 0)
    return std::error_code(errno, std::generic_category());
  struct stat St;
  if (::fstat(FD, &St) != 0) {
    std::error_code EC(errno, std::generic_category());
    ::close(FD);
    return EC;
  }
  if (!S_ISREG(St.st_mode)) {
    ::close(FD);
    S.Size = UINT64_MAX; // savedWhileRead: never matches
    return {};
  }
  Buf.resize(size_t(St.st_size));
  size_t Got = 0;
  for (;;) {
    if (Got == Buf.size())
      Buf.resize(Buf.size() + 4096); // grown since the status: read to its end
    ssize_t N = ::read(FD, Buf.data() + Got, Buf.size() - Got);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0) {
      std::error_code EC(errno, std::generic_category());
      ::close(FD);
      return EC;
    }
    if (N == 0)
      break;
    Got += size_t(N);
  }
  ::close(FD);
  S.Size = Got;
  int64_t MTime = mtimeNs(St);
  S.MTimeNs = MTime < TooNew && Got == uint64_t(St.st_size) ? MTime : 0;
  S.Content = hashBytes(llvm::StringRef(Buf.data(), Got));
  // Modified while (or just before) the compile read it: never matches.
  if (ReadSinceNs && MTime >= *ReadSinceNs - 10'000'000) {
    S.Size = UINT64_MAX; // savedWhileRead
    S.MTimeNs = 0;
  }
  return {};
}

/// The known stamp of P, when there is one whose time is trusted: older
/// than TooNew and than ReadSinceNs's margin.
static const FileStamp *trustedKnown(const std::string &P, int64_t TooNew,
                                     std::optional<int64_t> ReadSinceNs,
                                     const llvm::StringMap<FileStamp> *Known) {
  if (!Known)
    return nullptr;
  auto It = Known->find(P);
  if (It == Known->end() || It->second.MTimeNs == 0 || savedWhileRead(It->second) ||
      It->second.MTimeNs >= TooNew ||
      (ReadSinceNs && It->second.MTimeNs >= *ReadSinceNs - 10'000'000))
    return nullptr;
  return &It->second;
}

/// Whether file P's status now is K's size and time (one system call, and
/// no read).
static bool fileIsAsKnown(const std::string &P, const FileStamp &K) {
  struct stat St;
  return ::stat(P.c_str(), &St) == 0 && S_ISREG(St.st_mode) && uint64_t(St.st_size) == K.Size &&
         mtimeNs(St) == K.MTimeNs;
}

/// Whether directory stamp P's directory has K's state and time now: none
/// of the names, missing when K was taken, is there (one system call, where
/// each name would take one).
static bool directoryIsAsKnown(const std::string &P, const FileStamp &K) {
  int64_t MTime;
  return directoryState(DirectoryStampPath(P).Dir, MTime) == K.Content && MTime == K.MTimeNs;
}

/// Stamps Paths[Begin, End) into Out (sized for all).
static llvm::Error stampRange(llvm::ArrayRef<std::string> Paths, size_t Begin, size_t End,
                              int64_t TooNew, std::optional<int64_t> ReadSinceNs,
                              const llvm::StringMap<FileStamp> *Known,
                              std::vector<FileStamp> &Out) {
  std::string Buf;
  for (size_t I = Begin; I != End; ++I) {
    const std::string &P = Paths[I];
    const FileStamp *K = trustedKnown(P, TooNew, ReadSinceNs, Known);
    if (isDirectoryStamp(P)) {
      if (K && directoryIsAsKnown(P, *K)) {
        Out[I] = *K;
        continue;
      }
      int64_t MTime;
      Out[I] = directoryNow(P, MTime);
      // Changed while (or just before) the compile looked: its names are
      // checked one by one.
      if (ReadSinceNs && Out[I].MTimeNs >= *ReadSinceNs - 10'000'000)
        Out[I].MTimeNs = 0;
      continue;
    }
    if (K && fileIsAsKnown(P, *K)) {
      Out[I] = {P, K->Size, K->MTimeNs, K->Content};
      continue;
    }
    if (std::error_code EC = stampOne(P, TooNew, ReadSinceNs, Buf, Out[I]))
      return llvm::createFileError(P, EC);
  }
  return llvm::Error::success();
}

/// From this many files to read on, two threads stamp them (the machines
/// hotast runs on have at least two cores; the work is system calls and
/// hashing). A file known by its size and time costs one status: a thread
/// is not worth its start for those alone.
static constexpr size_t FilesPerThread = 64;
static constexpr size_t FilesPerTurn = 8;

llvm::Expected<std::vector<FileStamp>> stampFiles(llvm::ArrayRef<std::string> Paths,
                                                  std::optional<int64_t> ReadSinceNs,
                                                  const llvm::StringMap<FileStamp> *Known) {
  const int64_t TooNew = stampClockNs() - 2'000'000'000;
  std::vector<FileStamp> Out(Paths.size());
  size_t ToRead = Paths.size();
  if (Known)
    ToRead = llvm::count_if(Paths, [&](const std::string &P) {
      return !trustedKnown(P, TooNew, ReadSinceNs, Known);
    });
  if (ToRead < 2 * FilesPerThread) {
    if (llvm::Error E = stampRange(Paths, 0, Paths.size(), TooNew, ReadSinceNs, Known, Out))
      return std::move(E);
    return Out;
  }
  // Both threads take the next FilesPerTurn paths until none are left: the
  // paths cost unevenly (a large header; a directory stamp's missed names,
  // at the end, one system call each), and halves left one thread idle.
  std::atomic<size_t> Next(0);
  auto Turns = [&]() -> llvm::Error {
    for (;;) {
      size_t Begin = Next.fetch_add(FilesPerTurn);
      if (Begin >= Paths.size())
        return llvm::Error::success();
      size_t End = std::min(Begin + FilesPerTurn, Paths.size());
      if (llvm::Error E = stampRange(Paths, Begin, End, TooNew, ReadSinceNs, Known, Out))
        return E;
    }
  };
  std::optional<llvm::Error> Second;
  std::thread Other([&] { Second.emplace(Turns()); });
  llvm::Error First = Turns();
  Other.join();
  if (First) {
    llvm::consumeError(std::move(*Second));
    return std::move(First);
  }
  if (*Second)
    return std::move(*Second);
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

template <typename StampRange> static std::string linesOf(const StampRange &Stamps) {
  std::string Out;
  for (const FileStamp &S : Stamps)
    Out += std::to_string(S.Size) + " " + std::to_string(S.MTimeNs) + " " + S.Content.toHex() +
           " " + S.Path + "\n";
  return Out;
}

std::string stampLines(llvm::ArrayRef<FileStamp> Stamps) { return linesOf(Stamps); }
std::string stampLines(const StampList &Stamps) { return linesOf(Stamps); }

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
