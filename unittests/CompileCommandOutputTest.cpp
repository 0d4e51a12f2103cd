//===- CompileCommandOutputTest.cpp - What a cacheable command describes --===//
//
// For command lines that can be cached: where the object and the depfile
// go, which arguments are hashed, and whether debug info and
// warnings-as-errors are on.
//
//===----------------------------------------------------------------------===//

#include "hotast/Args/CompileCommand.h"

#include "gtest/gtest.h"

using namespace hotast;

namespace {

using Strings = std::vector<std::string>;

/// The command for `c++ <Args>`, which must be cacheable.
CompileCommand command(Strings Args) {
  Strings Argv = {"c++"};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  Classification C = classifyCommandLine(Argv);
  EXPECT_TRUE(C.Cacheable) << C.Reason;
  return C.Command;
}

TEST(CompileCommandOutputTest, ObjectPath) {
  EXPECT_EQ(command({"-c", "a.cc", "-o", "out/a.o"}).Output, "out/a.o");
  EXPECT_EQ(command({"-c", "a.cc", "-oout/b.o"}).Output, "out/b.o");
  // Without -o: the source's basename with .o, in the cwd.
  EXPECT_EQ(command({"-c", "/src/dir/a.cc"}).Output, "a.o");
  EXPECT_EQ(command({"-c", "lib.x.cpp"}).Output, "lib.x.o");
  // The last -o wins; -objcmt-* is not -o.
  EXPECT_EQ(command({"-o", "x.o", "-c", "a.cc", "-o", "y.o"}).Output, "y.o");
  EXPECT_EQ(command({"-objcmt-migrate-literals", "-c", "a.cc"}).Output, "a.o");
}

TEST(CompileCommandOutputTest, DepfileFlags) {
  CompileCommand Cmd = command({"-MMD", "-MP", "-MFdeps/a.d", "-MTt1", "-MT", "t2", "-c", "a.cc"});
  EXPECT_TRUE(Cmd.Depfile.Enabled);
  EXPECT_FALSE(Cmd.Depfile.SystemHeaders);
  EXPECT_TRUE(Cmd.Depfile.PhonyTargets);
  EXPECT_EQ(Cmd.Depfile.Path, "deps/a.d");
  EXPECT_EQ(Cmd.Depfile.Targets, (Strings{"t1", "t2"}));

  // No depfile without -MD or -MMD.
  Cmd = command({"-c", "a.cc", "-o", "a.o"});
  EXPECT_FALSE(Cmd.Depfile.Enabled);
  EXPECT_TRUE(Cmd.Depfile.Targets.empty());
  // The last of -MD and -MMD decides.
  EXPECT_TRUE(command({"-MMD", "-MD", "-c", "a.cc"}).Depfile.SystemHeaders);
  EXPECT_FALSE(command({"-MD", "-MMD", "-c", "a.cc"}).Depfile.SystemHeaders);
}

TEST(CompileCommandOutputTest, DepfilePathDefaultsToObjectWithDotD) {
  EXPECT_EQ(command({"-MD", "-c", "a.cc", "-o", "obj/a.cc.o"}).Depfile.Path, "obj/a.cc.d");
  EXPECT_EQ(command({"-MD", "-c", "a.cc", "-o", "obj/noext"}).Depfile.Path, "obj/noext.d");
  EXPECT_EQ(command({"-MMD", "-c", "/src/a.cc"}).Depfile.Path, "a.d");
}

TEST(CompileCommandOutputTest, MQQuotesForMake) {
  CompileCommand Cmd = command({"-MD", "-MQ", "$(OBJ) a#b", "-MQc d\\ e", "-MT", "$raw",
                                "-c", "a.cc"});
  EXPECT_EQ(Cmd.Depfile.Targets, (Strings{"$$(OBJ)\\ a\\#b", "c\\ d\\\\\\ e", "$raw"}));
}

TEST(CompileCommandOutputTest, WpDepfileForms) {
  CompileCommand Cmd = command({"-Wp,-MD,deps/a.d", "-c", "a.cc", "-o", "a.o"});
  EXPECT_TRUE(Cmd.Depfile.Enabled);
  EXPECT_TRUE(Cmd.Depfile.SystemHeaders);
  EXPECT_EQ(Cmd.Depfile.Path, "deps/a.d");
  EXPECT_TRUE(Cmd.HashedArgs.empty());

  Cmd = command({"-Wp,-MMD,.a.o.d", "-Wp,-MP", "-c", "a.c"});
  EXPECT_FALSE(Cmd.Depfile.SystemHeaders);
  EXPECT_TRUE(Cmd.Depfile.PhonyTargets);
  EXPECT_EQ(Cmd.Depfile.Path, ".a.o.d");
  // The -Wp path wins over -MF, as in ccache.
  EXPECT_EQ(command({"-MF", "x.d", "-Wp,-MD,y.d", "-c", "a.c"}).Depfile.Path, "y.d");
  // Other -Wp flags are hashed.
  EXPECT_EQ(command({"-Wp,-DX=1", "-c", "a.c"}).HashedArgs, Strings{"-Wp,-DX=1"});
}

TEST(CompileCommandOutputTest, HashedArgsDropOutputAndDepfileFlags) {
  CompileCommand Cmd = command({"-O2", "-MD", "-MF", "a.d", "-MT", "t", "-MQ", "q", "-MP",
                                "-MFb.d", "-MTu", "-DX", "-o", "a.o", "-c", "a.cc", "-Wall",
                                "-oz.o", "-I", "inc"});
  EXPECT_EQ(Cmd.HashedArgs, (Strings{"-O2", "-DX", "-Wall", "-I", "inc"}));
  // -x stays: it changes how the source is compiled.
  EXPECT_EQ(command({"-x", "c++", "-c", "a.c"}).HashedArgs, (Strings{"-x", "c++"}));
  EXPECT_EQ(command({"-c", "a.cc", "-Xclang", "-fno-pch-timestamp"}).HashedArgs,
            (Strings{"-Xclang", "-fno-pch-timestamp"}));
}

TEST(CompileCommandOutputTest, WarningsAsErrors) {
  EXPECT_FALSE(command({"-Wall", "-c", "a.cc"}).WarningsAsErrors);
  EXPECT_TRUE(command({"-Werror", "-c", "a.cc"}).WarningsAsErrors);
  EXPECT_TRUE(command({"-Werror=return-type", "-c", "a.cc"}).WarningsAsErrors);
  EXPECT_TRUE(command({"-pedantic-errors", "-c", "a.cc"}).WarningsAsErrors);
  EXPECT_FALSE(command({"-Werror", "-Wno-error", "-c", "a.cc"}).WarningsAsErrors);
  EXPECT_TRUE(command({"-Wno-error", "-Werror", "-c", "a.cc"}).WarningsAsErrors);
  // A bare -Wno-error does not undo per-group errors (GCC and Clang alike).
  EXPECT_TRUE(command({"-Werror=vla", "-Wno-error", "-c", "a.cc"}).WarningsAsErrors);
  EXPECT_FALSE(command({"-Wno-error=vla", "-c", "a.cc"}).WarningsAsErrors);
}

} // namespace
