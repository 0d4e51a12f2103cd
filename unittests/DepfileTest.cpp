//===- DepfileTest.cpp - Reading and retargeting depfiles -----------------===//
//
// depfileInputs reads a depfile's prerequisites as Make does (GCC's and
// Clang's quoting), and only the first rule's: -MP's phony rules are not
// inputs. retargetDepfile keeps the prerequisites and names the command's
// targets.
//
//===----------------------------------------------------------------------===//

#include "hotast/Wrapper/DirectMode.h"
#include "gtest/gtest.h"

using namespace hotast;

namespace {

TEST(DepfileTest, PrerequisitesOfTheFirstRule) {
  const char *Text = "out/a.o: a.cpp /usr/include/stdio.h \\\n"
                     "  my\\ dir/h.h cost$$.h \\#x.h\r\n"
                     "a.h:\n"
                     "/usr/include/stdio.h:\n";
  EXPECT_EQ(depfileInputs(Text), (std::vector<std::string>{"a.cpp", "/usr/include/stdio.h",
                                                           "my dir/h.h", "cost$.h", "#x.h"}));
}

TEST(DepfileTest, NoRuleNoInputs) {
  EXPECT_TRUE(depfileInputs("").empty());
  EXPECT_TRUE(depfileInputs("not a depfile").empty());
  EXPECT_TRUE(depfileInputs("a.o:\n").empty());
}

TEST(DepfileTest, RetargetKeepsThePrerequisites) {
  CompileCommand Cmd;
  Cmd.Output = "b.o";
  EXPECT_EQ(retargetDepfile("a.o: a.cpp h.h\n", Cmd), "b.o: a.cpp h.h\n");
  EXPECT_EQ(depfileInputs(retargetDepfile("a.o: a.cpp h.h\n", Cmd)),
            (std::vector<std::string>{"a.cpp", "h.h"}));
}

TEST(DepfileTest, TheDefaultTargetIsQuotedAsClangQuotesIt) {
  CompileCommand Cmd;
  Cmd.Output = "a b$.o";
  EXPECT_EQ(retargetDepfile("x.o: a.cpp\n", Cmd), "a\\ b$$.o: a.cpp\n");
  // A backslash before a blank doubles, so the blank's own is not eaten.
  Cmd.Output = "x\\ y.o";
  EXPECT_EQ(retargetDepfile("x.o: a.cpp\n", Cmd), "x\\\\\\ y.o: a.cpp\n");
}

} // namespace
