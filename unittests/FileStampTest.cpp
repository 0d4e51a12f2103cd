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

} // namespace
