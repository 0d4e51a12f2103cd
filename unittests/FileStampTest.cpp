//===- FileStampTest.cpp - Stamps of files read by a compile --------------===//
//
// A file modified after a compile began reading it must not be stamped with
// its new contents as if the compile had read them (the compile may have
// read the old ones): such a stamp never matches. One modified before the
// compile began is stamped as usual, and matches until it changes.
//
//===----------------------------------------------------------------------===//

#include "hotast/Support/FileStamp.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"
#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace hotast;

namespace {

class FileStampTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hotast-stamp", Dir));
    File = (Dir + "/a.h").str();
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }
  void write(const char *Text) { std::ofstream(File) << Text; }
  llvm::SmallString<128> Dir;
  std::string File;
};

TEST_F(FileStampTest, ModifiedBeforeTheCompileMatchesUntilItChanges) {
  write("int a;\n");
  // A compile that began half a second after the write.
  auto Stamps = stampFiles({File}, stampClockNs() + 500'000'000);
  ASSERT_TRUE(bool(Stamps));
  ASSERT_EQ(Stamps->size(), 1u);
  EXPECT_TRUE(stampMatches((*Stamps)[0]));
  write("int b;\n");
  EXPECT_FALSE(stampMatches((*Stamps)[0]));
}

TEST_F(FileStampTest, ModifiedAfterTheCompileBeganNeverMatches) {
  int64_t Began = stampClockNs();
  write("int a;\n"); // saved while the compile ran
  auto Stamps = stampFiles({File}, Began);
  ASSERT_TRUE(bool(Stamps));
  EXPECT_FALSE(stampMatches((*Stamps)[0]));
  // Without a start, the same file is stamped as it is, and matches.
  auto Plain = stampFiles({File});
  ASSERT_TRUE(bool(Plain));
  EXPECT_TRUE(stampMatches((*Plain)[0]));
}

TEST_F(FileStampTest, OnlyARegularFileMatches) {
  // A stamp of an empty file (as a remote entry may name any path): a FIFO
  // or a device there is never read.
  FileStamp S;
  S.Size = 0;
  S.Content = hashBytes("");
  // Reading either would block or never end: an alarm ends the test
  // process instead of hanging the suite.
  alarm(10);
  S.Path = (Dir + "/fifo").str();
  ASSERT_EQ(mkfifo(S.Path.c_str(), 0600), 0);
  EXPECT_FALSE(stampMatches(S)); // returns: the FIFO is not opened
  S.Path = "/dev/zero";
  EXPECT_FALSE(stampMatches(S));
  alarm(0);
  S.Path = File;
  write("");
  EXPECT_TRUE(stampMatches(S));
}

TEST_F(FileStampTest, StampingNeverReadsAFifoOrADevice) {
  // The paths of a remote entry are stamped before anything is known of
  // them: a FIFO or a device gets a stamp that never matches, at once.
  alarm(10);
  std::string Fifo = (Dir + "/fifo").str();
  ASSERT_EQ(mkfifo(Fifo.c_str(), 0600), 0);
  write("text");
  auto Stamps = stampFiles({Fifo, "/dev/zero", File});
  alarm(0);
  ASSERT_TRUE(bool(Stamps)) << llvm::toString(Stamps.takeError());
  EXPECT_TRUE(savedWhileRead((*Stamps)[0]));
  EXPECT_TRUE(savedWhileRead((*Stamps)[1]));
  EXPECT_EQ((*Stamps)[2].Content, hashBytes("text"));
}

TEST_F(FileStampTest, AKnownStampSparesTheReadOnlyWhileSizeAndTimeAreItsOwn) {
  write("old text");
  // A time well in the past, as a stamp kept earlier would trust.
  struct timespec Times[2] = {{1700000000, 5}, {1700000000, 5}};
  ASSERT_EQ(utimensat(AT_FDCWD, File.c_str(), Times, 0), 0);
  // What was kept says other content than the file has: taken on trust
  // only while the size and the time are the same.
  llvm::StringMap<FileStamp> Known;
  Known[File] = {File, 8, 1700000000000000005, hashBytes("kept one")};
  auto Trusted = stampFiles({File}, {}, &Known);
  ASSERT_TRUE(bool(Trusted));
  EXPECT_EQ((*Trusted)[0].Content, hashBytes("kept one"));
  Known[File].MTimeNs += 1;
  auto Read = stampFiles({File}, {}, &Known);
  ASSERT_TRUE(bool(Read));
  EXPECT_EQ((*Read)[0].Content, hashBytes("old text"));
  Known[File] = {File, 9, 1700000000000000005, hashBytes("kept one")};
  EXPECT_EQ((*stampFiles({File}, {}, &Known))[0].Content, hashBytes("old text"));
}

TEST_F(FileStampTest, AKnownDirectoryStampHoldsWhileTheDirectoryIsUntouched) {
  std::string Sub = (Dir + "/inc").str();
  ASSERT_FALSE(llvm::sys::fs::create_directory(Sub));
  struct timespec Times[2] = {{1700000000, 7}, {1700000000, 7}};
  ASSERT_EQ(utimensat(AT_FDCWD, Sub.c_str(), Times, 0), 0);
  std::string P = directoryStampPath(Sub, {"x.h"});
  auto First = stampFiles({P});
  ASSERT_TRUE(bool(First));
  ASSERT_EQ((*First)[0].MTimeNs, 1700000000000000007);
  llvm::StringMap<FileStamp> Known;
  Known[P] = (*First)[0];
  auto Again = stampFiles({P}, {}, &Known);
  ASSERT_TRUE(bool(Again));
  EXPECT_FALSE(savedWhileRead((*Again)[0]));
  // The name appears: the directory's time moves, and the names are looked
  // for again.
  std::ofstream(Sub + "/x.h") << "";
  auto After = stampFiles({P}, {}, &Known);
  ASSERT_TRUE(bool(After));
  EXPECT_TRUE(savedWhileRead((*After)[0]));
}

TEST_F(FileStampTest, ManyFilesAreStampedInOrder) {
  // Enough files for two threads: each stamp at its own path's place.
  std::vector<std::string> Paths;
  for (int I = 0; I != 300; ++I) {
    Paths.push_back((Dir + "/f" + llvm::Twine(I)).str());
    std::ofstream(Paths.back()) << "file " << I;
  }
  Paths.push_back((Dir + "/missing").str());
  auto Failed = stampFiles(Paths);
  ASSERT_FALSE(bool(Failed));
  EXPECT_NE(llvm::toString(Failed.takeError()).find("missing"), std::string::npos);
  Paths.pop_back();
  auto Stamps = stampFiles(Paths);
  ASSERT_TRUE(bool(Stamps));
  for (int I = 0; I != 300; ++I) {
    EXPECT_EQ((*Stamps)[I].Path, Paths[I]);
    EXPECT_EQ((*Stamps)[I].Content, hashBytes(("file " + llvm::Twine(I)).str()));
  }
}

} // namespace
