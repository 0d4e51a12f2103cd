//===- ObjectCacheTest.cpp - Blob store round trips, damage, eviction -----===//
//
// Each test works in its own temporary directory and damages blob files by
// hand, as a crash or a bad disk would, to check that a damaged blob is never
// served and that eviction follows last use.
//
//===----------------------------------------------------------------------===//

#include "hotast/Cache/ObjectCache.h"
#include "hotast/Support/Zstd.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "TestErrors.h"
#include "gtest/gtest.h"
#include <chrono>
#include <fstream>

using namespace hotast;
using namespace llvm;
namespace fs = llvm::sys::fs;

namespace {

std::string readFile(const Twine &Path) {
  auto Buf = MemoryBuffer::getFile(Path, false, false);
  return Buf ? (*Buf)->getBuffer().str() : "<missing>";
}

void writeFile(const Twine &Path, StringRef Bytes) {
  std::ofstream(Path.str(), std::ios::binary | std::ios::trunc) << Bytes.str();
}

void setMTime(const Twine &Path, sys::TimePoint<> Time) {
  int FD;
  ASSERT_FALSE(fs::openFileForRead(Path, FD));
  EXPECT_FALSE(fs::setLastAccessAndModificationTime(FD, Time));
  sys::Process::SafelyCloseFileDescriptor(FD);
}

sys::TimePoint<> mtimeOf(const Twine &Path) {
  fs::file_status St;
  EXPECT_FALSE(fs::status(Path, St));
  return St.getLastModificationTime();
}

/// Names of the regular files under Dir, recursively.
std::vector<std::string> filesUnder(StringRef Dir) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (fs::recursive_directory_iterator I(Dir, EC), E; !EC && I != E; I.increment(EC))
    if (I->type() == fs::file_type::regular_file)
      Files.push_back(sys::path::filename(I->path()).str());
  return Files;
}

class ObjectCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(fs::createUniqueDirectory("hotast-objectcache", Root));
    auto C = ObjectCache::open(Root);
    ASSERT_TRUE(bool(C)) << toString(C.takeError());
    Cache.emplace(std::move(*C));
  }
  void TearDown() override { fs::remove_directories(Root); }

  std::string blobPath(const Hash128 &Key) {
    std::string Hex = Key.toHex();
    return (Cache->directory() + "/" + Hex.substr(0, 2) + "/" + Hex.substr(2));
  }
  Hash128 put(StringRef Bytes) {
    return expectOk(Cache->put(Bytes));
  }

  SmallString<128> Root;
  std::optional<ObjectCache> Cache;
};

TEST_F(ObjectCacheTest, PutGetRoundTrip) {
  std::string Bytes("\x7f" "ELF\0\xff binary", 12);
  Hash128 Key = put(Bytes);
  EXPECT_EQ(Key, hashBytes(Bytes));
  EXPECT_TRUE(Cache->contains(Key));
  EXPECT_TRUE(fs::exists(blobPath(Key)));
  EXPECT_EQ(expectOk(Cache->get(Key)), Bytes);
  EXPECT_EQ(expectOk(Cache->get(put(""))), "");
}

TEST_F(ObjectCacheTest, SameContentIsStoredOnce) {
  Hash128 A = put("same bytes");
  uint64_t Size = Cache->totalSize();
  EXPECT_GT(Size, StringRef("same bytes").size());
  EXPECT_EQ(put("same bytes"), A);
  EXPECT_EQ(Cache->totalSize(), Size);
  EXPECT_EQ(filesUnder(Cache->directory()).size(), 1u);
  EXPECT_NE(put("other bytes"), A);
  EXPECT_EQ(filesUnder(Cache->directory()).size(), 2u);
}

// What the cache grew by is what its size accounting adds (CacheSize.h): a
// blob that was there already adds nothing, and each count is taken once.
TEST_F(ObjectCacheTest, AddedBytesCountNewBlobsOnly) {
  EXPECT_EQ(Cache->takeAddedBytes(), 0u);
  put("same bytes");
  uint64_t One = Cache->totalSize();
  EXPECT_EQ(Cache->takeAddedBytes(), One);
  EXPECT_EQ(Cache->takeAddedBytes(), 0u);
  put("same bytes");
  EXPECT_EQ(Cache->takeAddedBytes(), 0u);
  put("other bytes");
  std::string Big(10000, 'b');
  auto Whole = [Text = StringRef(Big)]() mutable -> llvm::Expected<StringRef> {
    return std::exchange(Text, StringRef());
  };
  EXPECT_TRUE(expectOk(Cache->putVerified(hashBytes(Big), Big.size(), Whole)));
  EXPECT_EQ(Cache->takeAddedBytes(), Cache->totalSize() - One);
}

TEST_F(ObjectCacheTest, PutFileStoresItsContent) {
  std::string Path = (Root + "/input.o").str();
  writeFile(Path, "object bytes");
  Hash128 Key = expectOk(Cache->putFile(Path));
  EXPECT_EQ(expectOk(Cache->get(Key)), "object bytes");
  EXPECT_TRUE(isError(Cache->putFile((Root + "/missing.o").str())));
}

TEST_F(ObjectCacheTest, MissingBlobIsAnError) {
  EXPECT_FALSE(Cache->contains(hashBytes("never stored")));
  EXPECT_TRUE(isError(Cache->get(hashBytes("never stored"))));
}

/// Damages the blob of Key with Damage, then checks it is refused and gone.
class DamagedBlobTest : public ObjectCacheTest {
protected:
  void expectRefusedAndRemoved(const Hash128 &Key) {
    EXPECT_TRUE(isError(Cache->get(Key)));
    EXPECT_FALSE(fs::exists(blobPath(Key)));
    EXPECT_FALSE(Cache->contains(Key));
  }
  void flipByte(const Hash128 &Key, size_t FromEnd) {
    std::string Blob = readFile(blobPath(Key));
    ASSERT_GT(Blob.size(), FromEnd);
    Blob[Blob.size() - 1 - FromEnd] ^= 0x01;
    writeFile(blobPath(Key), Blob);
  }
};

TEST_F(DamagedBlobTest, FlippedPayloadByte) {
  Hash128 Key = put("payload that will rot");
  flipByte(Key, 0);
  expectRefusedAndRemoved(Key);
}

TEST_F(DamagedBlobTest, FlippedMagic) {
  std::string Payload = "payload";
  Hash128 Key = put(Payload);
  flipByte(Key, readFile(blobPath(Key)).size() - 1); // The first byte.
  expectRefusedAndRemoved(Key);
}

TEST_F(DamagedBlobTest, Truncated) {
  Hash128 Key = put("payload cut short by a crash");
  std::string Blob = readFile(blobPath(Key));
  writeFile(blobPath(Key), StringRef(Blob).drop_back(3));
  expectRefusedAndRemoved(Key);

  Key = put("header only");
  writeFile(blobPath(Key), "HTOB");
  expectRefusedAndRemoved(Key);
}

TEST_F(DamagedBlobTest, WrongLengthField) {
  Hash128 Key = put("payload intact, header not");
  std::string Blob = readFile(blobPath(Key));
  Blob[8] ^= 0x01; // The low byte of the payload length.
  writeFile(blobPath(Key), Blob);
  expectRefusedAndRemoved(Key);
}

TEST_F(DamagedBlobTest, MaterializeRefusesAndRemoves) {
  Hash128 Key = put("object to materialize");
  flipByte(Key, 2);
  std::string Dest = (Root + "/out.o").str();
  EXPECT_TRUE(isError(Cache->materialize(Key, Dest)));
  EXPECT_FALSE(fs::exists(Dest));
  EXPECT_FALSE(fs::exists(blobPath(Key)));
}

TEST_F(DamagedBlobTest, PutRepairsATruncatedBlob) {
  Hash128 Key = put("will be repaired");
  writeFile(blobPath(Key), "HTOB");
  EXPECT_EQ(put("will be repaired"), Key);
  EXPECT_EQ(expectOk(Cache->get(Key)), "will be repaired");
}

TEST_F(ObjectCacheTest, MaterializeWritesExactBytesAtomically) {
  std::string Bytes("obj\0\r\n\xff", 8);
  Hash128 Key = put(Bytes);
  SmallString<128> OutDir(Root);
  sys::path::append(OutDir, "build");
  ASSERT_FALSE(fs::create_directories(OutDir));
  std::string Dest = (OutDir + "/a.o").str(), OldLink = (OutDir + "/old-link").str();
  writeFile(Dest, "previous, longer object file contents");
  // A hard link keeps the old inode: if Dest were rewritten in place instead
  // of replaced by rename, the link would see the new bytes.
  ASSERT_FALSE(fs::create_hard_link(Dest, OldLink));
  expectOk(Cache->materialize(Key, Dest));
  EXPECT_EQ(readFile(Dest), Bytes);
  EXPECT_EQ(readFile(OldLink), "previous, longer object file contents");
  std::vector<std::string> Left = filesUnder(OutDir);
  std::sort(Left.begin(), Left.end());
  EXPECT_EQ(Left, (std::vector<std::string>{"a.o", "old-link"})); // No temporaries.
  EXPECT_TRUE(isError(Cache->materialize(Key, (Root + "/no/such/dir/a.o").str())));
}

TEST_F(ObjectCacheTest, PutVerifiedStoresOnlyWhatHashesToItsKey) {
  std::string Bytes(200000, 'x');
  for (size_t I = 0; I < Bytes.size(); I += 97)
    Bytes[I] = char(I);
  Hash128 Key = hashBytes(Bytes);
  auto PiecesOf = [](llvm::StringRef Text) {
    return [Text]() mutable -> llvm::Expected<llvm::StringRef> {
      llvm::StringRef Piece = Text.take_front(4096);
      Text = Text.drop_front(Piece.size());
      return Piece;
    };
  };
  std::string Other = Bytes;
  Other[1000] ^= 1;
  auto Wrong = PiecesOf(Other);
  EXPECT_FALSE(expectOk(Cache->putVerified(Key, Bytes.size(), Wrong)));
  EXPECT_FALSE(Cache->contains(Key));
  auto Short = PiecesOf(llvm::StringRef(Bytes).drop_back(1));
  EXPECT_FALSE(expectOk(Cache->putVerified(Key, Bytes.size(), Short)));
  auto Right = PiecesOf(Bytes);
  EXPECT_TRUE(expectOk(Cache->putVerified(Key, Bytes.size(), Right)));
  EXPECT_EQ(expectOk(Cache->get(Key)), Bytes);
  // A reader's error stops the write and is returned.
  auto Failing = []() -> llvm::Expected<llvm::StringRef> {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "reader failed");
  };
  EXPECT_TRUE(isError(Cache->putVerified(hashBytes("other"), 5, Failing)));
  EXPECT_FALSE(Cache->contains(hashBytes("other")));
  // Materialized through pieces, every byte.
  SmallString<128> Dest(Root);
  sys::path::append(Dest, "out.o");
  expectOk(Cache->materialize(Key, Dest));
  EXPECT_EQ(readFile(std::string(Dest)), Bytes);
}

// A remote hit's object: the blob and the output from one pass, beside
// their places until placed; nothing left behind when dropped or wrong.
TEST_F(ObjectCacheTest, PrepareWritesBesideAndPlacesBoth) {
  std::string Bytes(100000, 'y');
  Bytes[5] = 'z';
  Hash128 Key = hashBytes(Bytes);
  SmallString<128> Out(Root);
  sys::path::append(Out, "out.o");
  auto Whole = [](llvm::StringRef Text) {
    return [Text]() mutable -> llvm::Expected<llvm::StringRef> {
      return std::exchange(Text, llvm::StringRef());
    };
  };
  auto Entries = [&](llvm::StringRef Dir) {
    std::vector<std::string> Names;
    std::error_code EC;
    for (fs::recursive_directory_iterator I(Dir, EC), End; !EC && I != End; I.increment(EC))
      if (I->type() != fs::file_type::directory_file)
        Names.push_back(std::string(sys::path::filename(I->path())));
    return Names;
  };
  std::string Other = Bytes;
  Other[6] = 'z';
  auto Wrong = Whole(Other);
  EXPECT_FALSE(expectOk(Cache->prepare(Key, Bytes.size(), Wrong, Out)));
  {
    auto Dropped = Whole(Bytes);
    auto Written = expectOk(Cache->prepare(Key, Bytes.size(), Dropped, Out));
    ASSERT_TRUE(Written);
    EXPECT_FALSE(Cache->contains(Key));
    EXPECT_FALSE(fs::exists(Out));
  }
  EXPECT_TRUE(Entries(Root).empty()); // no temporaries
  auto Right = Whole(Bytes);
  auto Written = expectOk(Cache->prepare(Key, Bytes.size(), Right, Out));
  ASSERT_TRUE(Written);
  expectOk(Written->place());
  EXPECT_EQ(expectOk(Cache->get(Key)), Bytes);
  EXPECT_EQ(readFile(std::string(Out)), Bytes);
}

/// Bytes a compressed blob keeps: an object's kind (repeated names,
/// numbers no pattern predicts), as zstd frames.
struct Compressible {
  std::string Bytes, Frames;
  Compressible() {
    for (uint64_t I = 0, X = 1; Bytes.size() < 200000; ++I, X = X * 6364136223846793005 + 1)
      Bytes += "section .text." + std::to_string(I % 97) + " " + std::to_string(X >> 40) + "\n";
    Frames = *zstdCompress(Bytes);
  }
  /// A remote hit's object: the frames decompressed in pieces.
  Expected<std::optional<VerifiedFiles>> prepare(ObjectCache &C, StringRef Out) {
    ZstdReader Unzip(Frames);
    std::vector<char> Buf(64 * 1024);
    auto Next = [&]() -> Expected<StringRef> {
      auto N = Unzip.read(Buf.data(), Buf.size());
      if (!N)
        return N.takeError();
      return StringRef(Buf.data(), *N);
    };
    return C.prepare(hashBytes(Bytes), Bytes.size(), Next, Out, Frames);
  }
};

TEST_F(ObjectCacheTest, CompressedBlobKeepsTheFramesAndServesTheBytes) {
  Compressible C;
  Hash128 Key = hashBytes(C.Bytes);
  std::string Out = (Root + "/out.o").str();
  auto Written = expectOk(C.prepare(*Cache, Out));
  ASSERT_TRUE(Written);
  expectOk(Written->place());
  EXPECT_EQ(readFile(Out), C.Bytes); // the output: the bytes
  uint64_t Size = 0;
  ASSERT_FALSE(fs::file_size(blobPath(Key), Size));
  EXPECT_EQ(Size, 32 + C.Frames.size()); // the blob: the frames
  EXPECT_LT(Size, C.Bytes.size() / 2);
  EXPECT_EQ(Cache->takeAddedBytes(), Size);
  EXPECT_EQ(expectOk(Cache->get(Key)), C.Bytes);
  std::string Again = (Root + "/again.o").str();
  expectOk(Cache->materialize(Key, Again));
  EXPECT_EQ(readFile(Again), C.Bytes);
}

TEST_F(DamagedBlobTest, CompressedBlobDamagedIsRefusedAndRemoved) {
  Compressible C;
  Hash128 Key = hashBytes(C.Bytes);
  std::string Blob;
  auto Keep = [&] {
    auto Written = expectOk(C.prepare(*Cache, ""));
    ASSERT_TRUE(Written);
    expectOk(Written->place());
    Blob = readFile(blobPath(Key));
  };
  // A flipped byte in the frames: get() and materialize() refuse it.
  Keep();
  flipByte(Key, C.Frames.size() / 2);
  expectRefusedAndRemoved(Key);
  Keep();
  flipByte(Key, C.Frames.size() / 2);
  std::string Dest = (Root + "/out.o").str();
  EXPECT_TRUE(isError(Cache->materialize(Key, Dest)));
  EXPECT_FALSE(fs::exists(Dest));
  EXPECT_FALSE(fs::exists(blobPath(Key)));
  // The frames cut short, and a length that says more than they hold.
  Keep();
  writeFile(blobPath(Key), StringRef(Blob).drop_back(10));
  expectRefusedAndRemoved(Key);
  Keep();
  std::string Longer = Blob;
  Longer[8] ^= 0x01;
  writeFile(blobPath(Key), Longer);
  EXPECT_TRUE(isError(Cache->materialize(Key, Dest)));
  EXPECT_FALSE(fs::exists(Dest));
  EXPECT_FALSE(fs::exists(blobPath(Key)));
}

TEST_F(ObjectCacheTest, UseRefreshesMTime) {
  auto LongAgo = std::chrono::system_clock::now() - std::chrono::hours(48);
  Hash128 Key = put("used again");
  setMTime(blobPath(Key), LongAgo);
  expectOk(Cache->materialize(Key, (Root + "/out.o").str()));
  EXPECT_GT(mtimeOf(blobPath(Key)), LongAgo + std::chrono::hours(47));

  setMTime(blobPath(Key), LongAgo);
  put("used again");
  EXPECT_GT(mtimeOf(blobPath(Key)), LongAgo + std::chrono::hours(47));
}

TEST_F(ObjectCacheTest, EvictsLeastRecentlyUsedFirst) {
  auto Now = std::chrono::system_clock::now();
  std::vector<Hash128> Keys;
  for (char C : {'a', 'b', 'c', 'd'})
    Keys.push_back(put(std::string(1000, C)));
  uint64_t BlobSize = Cache->totalSize() / 4;
  // Age order, oldest first: c, a, d, b.
  int AgeHours[] = {3, 1, 4, 2};
  for (int I = 0; I != 4; ++I)
    setMTime(blobPath(Keys[I]), Now - std::chrono::hours(AgeHours[I]));

  EXPECT_EQ(expectOk(Cache->evictTo(4 * BlobSize)), 0u);
  EXPECT_EQ(expectOk(Cache->evictTo(2 * BlobSize + BlobSize / 2)), 2u);
  EXPECT_LE(Cache->totalSize(), 2 * BlobSize + BlobSize / 2);
  EXPECT_FALSE(Cache->contains(Keys[2]));
  EXPECT_FALSE(Cache->contains(Keys[0]));
  EXPECT_TRUE(Cache->contains(Keys[3]));
  EXPECT_TRUE(Cache->contains(Keys[1]));

  EXPECT_EQ(expectOk(Cache->evictTo(BlobSize)), 1u);
  EXPECT_TRUE(Cache->contains(Keys[1]));
  EXPECT_EQ(expectOk(Cache->evictTo(0)), 1u);
  EXPECT_EQ(Cache->totalSize(), 0u);
}

TEST_F(ObjectCacheTest, EvictionRemovesOnlyStaleTemporaries) {
  Hash128 Key = put("blob");
  std::string Stale = blobPath(Key) + ".tmp.1.deadbeef";
  std::string Fresh = blobPath(Key) + ".tmp.2.cafebabe";
  writeFile(Stale, "half written");
  writeFile(Fresh, "being written");
  setMTime(Stale, std::chrono::system_clock::now() - std::chrono::hours(2));
  EXPECT_EQ(expectOk(Cache->evictTo(UINT64_MAX)), 0u);
  EXPECT_FALSE(fs::exists(Stale));
  EXPECT_TRUE(fs::exists(Fresh));
  EXPECT_TRUE(Cache->contains(Key));
}

TEST_F(ObjectCacheTest, ClearRemovesEverything) {
  put("one");
  put("two");
  expectOk(Cache->clear());
  EXPECT_EQ(Cache->totalSize(), 0u);
  EXPECT_TRUE(filesUnder(Cache->directory()).empty());
  EXPECT_EQ(expectOk(Cache->get(put("three"))), "three");
}

} // namespace
