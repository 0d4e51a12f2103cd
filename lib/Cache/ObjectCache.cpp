//===- ObjectCache.cpp - Content-addressed blobs on disk ------------------===//
//
// A blob lives at DIR/objects/<first 2 hex digits of its key>/<other 30>,
// where the key is the XXH3-128 of the payload. The two-digit fan-out keeps
// directories small enough that a lookup never scans a huge directory.
//
// Blob file format (all integers little-endian), BlobFormatVersion = 1:
//   bytes  0..3   magic "HTOB"; anything else is not a hotast blob.
//   bytes  4..7   format version; a blob of another version is treated as
//                 corrupt (removed, and the compile runs again).
//   bytes  8..15  payload length; catches a truncated file (a crash after
//                 rename on a filesystem that reorders metadata and data).
//   bytes 16..31  XXH3-128 of the payload (low half, then high half); equals
//                 the key, so a blob can be verified without knowing its name.
//   bytes 32..    the payload.
// Format version 2 holds the payload as zstd frames: an object fetched from
// the remote cache, kept as it came (a seventh of its size, and the remote
// hit writes it once, to the output). Bytes 8..15 are then the payload's
// length once decompressed (at most ZstdMaxRatio times the frames' size).
// Reads verify all of it and recompute the hash of the payload: a flipped
// bit must make a miss, never a wrong object (the contract: docs/wrapper.md).
//
// Every file is written to a unique temporary in the destination directory
// (NAME.tmp.<pid>.<random>) and renamed into place, so a crash leaves at most
// a stray temporary, which evictTo() removes once it is an hour old. The
// mtime of a blob is its last use; eviction removes the oldest first.
//
//===----------------------------------------------------------------------===//

#include "hotast/Cache/ObjectCache.h"

#include "hotast/Support/AtomicFile.h"
#include "hotast/Support/Zstd.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <unistd.h>
#include <vector>

using namespace llvm;
namespace fs = llvm::sys::fs;

namespace hotast {
namespace {

constexpr char BlobMagic[4] = {'H', 'T', 'O', 'B'};
constexpr uint32_t BlobFormatVersion = 1, CompressedFormatVersion = 2;
constexpr size_t HeaderSize = 32;
/// A temporary older than this belongs to a process that died mid-write.
constexpr std::chrono::hours StaleTempAge(1);

std::string encodeHeader(uint64_t PayloadSize, const Hash128 &Key,
                         uint32_t Version = BlobFormatVersion) {
  std::string H(HeaderSize, '\0');
  std::copy(std::begin(BlobMagic), std::end(BlobMagic), H.begin());
  support::endian::write32le(&H[4], Version);
  support::endian::write64le(&H[8], PayloadSize);
  support::endian::write64le(&H[16], Key.Low);
  support::endian::write64le(&H[24], Key.High);
  return H;
}

/// What a blob's header says of its payload.
struct BlobHeader {
  uint64_t Length = 0; // once decompressed
  bool Compressed = false;
};

/// Why Header, the start of a blob file of FileSize bytes, does not begin
/// a valid blob for Key, or "" when it does (Out: what it says; the
/// payload's hash is checked apart).
std::string checkHeader(StringRef Header, uint64_t FileSize, const Hash128 &Key,
                        BlobHeader &Out) {
  if (Header.size() < HeaderSize || FileSize < HeaderSize)
    return "shorter than its header";
  if (!Header.starts_with(StringRef(BlobMagic, 4)))
    return "bad magic";
  uint32_t Version = support::endian::read32le(Header.data() + 4);
  if (Version != BlobFormatVersion && Version != CompressedFormatVersion)
    return "unknown format version";
  Out.Compressed = Version == CompressedFormatVersion;
  Out.Length = support::endian::read64le(Header.data() + 8);
  if (Out.Compressed ? Out.Length / ZstdMaxRatio > FileSize - HeaderSize
                     : Out.Length != FileSize - HeaderSize)
    return "length mismatch (truncated?)";
  Hash128 Stored{support::endian::read64le(Header.data() + 16),
                 support::endian::read64le(Header.data() + 24)};
  if (Stored != Key)
    return "checksum mismatch";
  return "";
}

/// The payload of the blob bytes for Key, or why they are not a valid blob.
Expected<std::string> payloadOf(StringRef Blob, const Hash128 &Key) {
  auto Fail = [](const Twine &Why) {
    return createStringError(inconvertibleErrorCode(), Why);
  };
  BlobHeader H;
  std::string Problem = checkHeader(Blob.take_front(HeaderSize), Blob.size(), Key, H);
  if (!Problem.empty())
    return Fail(Problem);
  std::string Payload;
  if (!H.Compressed) {
    Payload = Blob.drop_front(HeaderSize).str();
  } else {
    auto Bytes = zstdDecompress(Blob.drop_front(HeaderSize), H.Length);
    if (!Bytes)
      return Bytes.takeError();
    Payload = std::move(*Bytes);
  }
  if (hashBytes(Payload) != Key)
    return Fail("checksum mismatch");
  return Payload;
}

/// Removes the damaged blob at Path (blobs are only ever replaced by
/// rename, so this is real damage) and says so.
Error removeDamaged(const std::string &Path, const std::string &Problem) {
  fs::remove(Path);
  return createFileError(Path, createStringError(std::make_error_code(std::errc::illegal_byte_sequence),
                                                 "corrupt blob removed: " + Problem));
}

/// Reads from FD until Buf is full or the file ends; the bytes read.
Expected<StringRef> readSome(int FD, MutableArrayRef<char> Buf, StringRef Path) {
  size_t Got = 0;
  while (Got != Buf.size()) {
    ssize_t N = ::read(FD, Buf.data() + Got, Buf.size() - Got);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      return createFileError(Path, std::error_code(errno, std::generic_category()));
    if (N == 0)
      break;
    Got += size_t(N);
  }
  return StringRef(Buf.data(), Got);
}

/// Pieces of 64 KiB: a buffer the allocator reuses, where a blob read whole
/// is megabytes of fresh pages (each a page fault, which costs here).
constexpr size_t PieceSize = 64 * 1024;

/// Marks Path as just used; false when it no longer exists. Best effort: a
/// blob we may read but not touch (another user's) is still served.
bool touch(const Twine &Path) {
  int FD;
  if (fs::openFileForRead(Path, FD))
    return false;
  (void)fs::setLastAccessAndModificationTime(FD, std::chrono::system_clock::now());
  sys::Process::SafelyCloseFileDescriptor(FD);
  return true;
}

bool isBlobName(StringRef Name) {
  return Name.size() == 30 && Name.find_first_not_of("0123456789abcdef") == StringRef::npos;
}

struct BlobFile {
  std::string Path;
  uint64_t Size;
  sys::TimePoint<> MTime;
};

/// Lists blobs under Dir; temporaries go to Temps when it is non-null.
std::vector<BlobFile> listBlobs(StringRef Dir, std::vector<BlobFile> *Temps) {
  std::vector<BlobFile> Blobs;
  std::error_code EC;
  for (fs::directory_iterator Sub(Dir, EC), End; !EC && Sub != End; Sub.increment(EC)) {
    if (sys::path::filename(Sub->path()).size() != 2)
      continue;
    std::error_code SubEC;
    for (fs::directory_iterator F(Sub->path(), SubEC); !SubEC && F != End; F.increment(SubEC)) {
      StringRef Name = sys::path::filename(F->path());
      bool IsTemp = Name.contains(".tmp.");
      if (!isBlobName(Name) && !(IsTemp && Temps))
        continue;
      fs::file_status St;
      if (fs::status(F->path(), St) || St.type() != fs::file_type::regular_file)
        continue; // Removed by another process meanwhile.
      (IsTemp ? *Temps : Blobs)
          .push_back({F->path(), St.getSize(), St.getLastModificationTime()});
    }
  }
  return Blobs;
}

} // namespace

Expected<ObjectCache> ObjectCache::open(StringRef Dir) {
  SmallString<256> Objects(Dir);
  sys::path::append(Objects, "objects");
  if (std::error_code EC = fs::create_directories(Objects))
    return createFileError(Objects, EC);
  return ObjectCache(std::string(Objects));
}

std::string ObjectCache::pathFor(const Hash128 &Key) const {
  std::string Hex = Key.toHex();
  SmallString<256> Path(Dir);
  sys::path::append(Path, StringRef(Hex).take_front(2), StringRef(Hex).drop_front(2));
  return std::string(Path);
}

Expected<Hash128> ObjectCache::put(StringRef Bytes) {
  Hash128 Key = hashBytes(Bytes);
  if (Error E = put(Bytes, Key))
    return std::move(E);
  return Key;
}

Error ObjectCache::put(StringRef Bytes, const Hash128 &Key) {
  std::string Path = pathFor(Key);
  // An existing blob of the right size only needs its use recorded; a wrong
  // size means it is damaged, and the rename below replaces it.
  uint64_t Size;
  if (!fs::file_size(Path, Size) && Size == HeaderSize + Bytes.size() && touch(Path))
    return Error::success();
  if (std::error_code EC = fs::create_directories(sys::path::parent_path(Path)))
    return createFileError(sys::path::parent_path(Path), EC);
  if (Error E = writeFileAtomically(Path, {encodeHeader(Bytes.size(), Key), Bytes}))
    return E;
  Added += HeaderSize + Bytes.size();
  return Error::success();
}

Expected<bool> ObjectCache::putVerified(const Hash128 &Key, uint64_t Size, ChunkReader Read) {
  std::string Path = pathFor(Key);
  uint64_t Now;
  if (!fs::file_size(Path, Now) && Now == HeaderSize + Size && touch(Path))
    return true;
  auto Written = prepare(Key, Size, Read);
  if (!Written)
    return Written.takeError();
  if (!*Written)
    return false;
  if (Error E = (*Written)->place())
    return std::move(E);
  return true;
}

Expected<std::optional<VerifiedFiles>> ObjectCache::prepare(const Hash128 &Key, uint64_t Size,
                                                            ChunkReader Read, StringRef Copy,
                                                            StringRef Frames) {
  std::string Path = pathFor(Key);
  if (std::error_code EC = fs::create_directories(sys::path::parent_path(Path)))
    return createFileError(sys::path::parent_path(Path), EC);
  std::string Header =
      encodeHeader(Size, Key, Frames.empty() ? BlobFormatVersion : CompressedFormatVersion);
  VerifiedFile Blob{Path, Header, Frames};
  auto Written = Copy.empty() ? VerifiedFiles::write(Blob, Key, Size, Read)
                              : VerifiedFiles::write({Blob, {Copy}}, Key, Size, Read);
  // Counted once written (takeAddedBytes); a placement that fails after
  // leaves the count high until the next eviction measures the cache.
  if (Written && *Written)
    Added += HeaderSize + (Frames.empty() ? Size : Frames.size());
  return Written;
}

Expected<Hash128> ObjectCache::putFile(StringRef Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return createFileError(Path, Buf.getError());
  return put((*Buf)->getBuffer());
}

Expected<std::string> ObjectCache::get(const Hash128 &Key) {
  std::string Path = pathFor(Key);
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return createFileError(Path, Buf.getError());
  auto Payload = payloadOf((*Buf)->getBuffer(), Key);
  if (!Payload)
    return removeDamaged(Path, toString(Payload.takeError()));
  touch(Path);
  return std::move(*Payload);
}

Error ObjectCache::materialize(const Hash128 &Key, StringRef Dest) {
  // Through a small buffer, the payload hashed as it is copied.
  std::string Path = pathFor(Key);
  int FD;
  if (std::error_code EC = fs::openFileForRead(Path, FD))
    return createFileError(Path, EC);
  auto Close = llvm::make_scope_exit([&] { ::close(FD); });
  fs::file_status St;
  if (std::error_code EC = fs::status(FD, St))
    return createFileError(Path, EC);
  std::vector<char> Buf(PieceSize);
  auto Header = readSome(FD, MutableArrayRef<char>(Buf).take_front(HeaderSize), Path);
  if (!Header)
    return Header.takeError();
  BlobHeader H;
  std::string Problem = checkHeader(*Header, St.getSize(), Key, H);
  if (!Problem.empty())
    return removeDamaged(Path, Problem);
  std::string Frames; // a compressed payload's: a seventh of it, read whole
  std::optional<ZstdReader> Unzip;
  if (H.Compressed) {
    Frames.resize(St.getSize() - HeaderSize);
    auto Got = readSome(FD, MutableArrayRef<char>(Frames.data(), Frames.size()), Path);
    if (!Got)
      return Got.takeError();
    Frames.resize(Got->size());
    Unzip.emplace(Frames);
  }
  std::optional<std::string> Damage; // what the frames' decompression said
  auto Next = [&]() -> Expected<StringRef> {
    if (!Unzip)
      return readSome(FD, Buf, Path);
    auto Piece = Unzip->next();
    if (!Piece) {
      Damage = toString(Piece.takeError());
      return StringRef(); // the end: short of the length, so not verified
    }
    return *Piece;
  };
  auto Written = writeVerifiedAtomically(Dest, "", Key, H.Length, Next);
  if (!Written)
    return Written.takeError();
  if (!*Written)
    return removeDamaged(Path, Damage ? *Damage : "checksum mismatch");
  touch(Path);
  return Error::success();
}

bool ObjectCache::contains(const Hash128 &Key) const { return fs::exists(pathFor(Key)); }

uint64_t ObjectCache::totalSize() const {
  uint64_t Total = 0;
  for (const BlobFile &B : listBlobs(Dir, nullptr))
    Total += B.Size;
  return Total;
}

Expected<unsigned> ObjectCache::evictTo(uint64_t MaxBytes) {
  std::vector<BlobFile> Temps;
  std::vector<BlobFile> Blobs = listBlobs(Dir, &Temps);
  auto Now = std::chrono::system_clock::now();
  for (const BlobFile &T : Temps)
    if (Now - T.MTime > StaleTempAge)
      fs::remove(T.Path);

  uint64_t Total = 0;
  for (const BlobFile &B : Blobs)
    Total += B.Size;
  std::sort(Blobs.begin(), Blobs.end(), [](const BlobFile &A, const BlobFile &B) {
    return A.MTime != B.MTime ? A.MTime < B.MTime : A.Path < B.Path;
  });
  unsigned Removed = 0;
  for (const BlobFile &B : Blobs) {
    if (Total <= MaxBytes)
      break;
    std::error_code EC = fs::remove(B.Path);
    if (EC && EC != std::errc::no_such_file_or_directory)
      return createFileError(B.Path, EC);
    // Gone either way: another process may have evicted it first.
    Total -= B.Size;
    Removed += !EC;
  }
  return Removed;
}

Error ObjectCache::clear() {
  std::vector<BlobFile> Temps;
  std::vector<BlobFile> Blobs = listBlobs(Dir, &Temps);
  Blobs.insert(Blobs.end(), Temps.begin(), Temps.end());
  for (const BlobFile &B : Blobs) {
    std::error_code EC = fs::remove(B.Path);
    if (EC && EC != std::errc::no_such_file_or_directory)
      return createFileError(B.Path, EC);
  }
  return Error::success();
}

} // namespace hotast
