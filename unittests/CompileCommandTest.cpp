//===- CompileCommandTest.cpp - Which command lines are cacheable ---------===//
//
// Real command lines as CMake and Ninja write them for GCC and Clang, and
// one case per reason to refuse. The outputs, depfile and hashed arguments
// are tested in CompileCommandOutputTest.cpp.
//
//===----------------------------------------------------------------------===//

#include "hotast/Args/CompileCommand.h"

#include "gtest/gtest.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>
#include <fstream>

using namespace hotast;

namespace {

Classification classify(std::vector<std::string> Argv) { return classifyCommandLine(Argv); }

/// The reason `c++ <Args> -c a.cc -o a.o` is refused ("" if it is cacheable).
std::string reasonWith(std::vector<std::string> Args) {
  std::vector<std::string> Argv = {"c++"};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  for (const char *A : {"-c", "a.cc", "-o", "a.o"})
    Argv.push_back(A);
  Classification C = classifyCommandLine(Argv);
  EXPECT_EQ(C.Cacheable, C.Reason.empty());
  return C.Reason;
}

TEST(CompileCommandTest, CMakeGccCommandIsCacheable) {
  Classification C = classify({"/usr/bin/c++", "-DFOO", "-I/x/include", "-O2", "-g",
                               "-std=gnu++17", "-MD", "-MT", "dir/a.cc.o", "-MF",
                               "dir/a.cc.o.d", "-o", "dir/a.cc.o", "-c", "/src/a.cc"});
  ASSERT_TRUE(C.Cacheable) << C.Reason;
  const CompileCommand &Cmd = C.Command;
  EXPECT_EQ(Cmd.Compiler, "/usr/bin/c++");
  EXPECT_EQ(Cmd.Args.size(), 14u);
  EXPECT_EQ(Cmd.Family, CompilerFamily::GCC);
  EXPECT_EQ(Cmd.Source, "/src/a.cc");
  EXPECT_EQ(Cmd.Language, SourceLanguage::CXX);
  EXPECT_EQ(Cmd.Output, "dir/a.cc.o");
  EXPECT_TRUE(Cmd.Depfile.Enabled);
  EXPECT_TRUE(Cmd.Depfile.SystemHeaders);
  EXPECT_EQ(Cmd.Depfile.Path, "dir/a.cc.o.d");
  EXPECT_EQ(Cmd.Depfile.Targets, std::vector<std::string>{"dir/a.cc.o"});
  EXPECT_FALSE(Cmd.WarningsAsErrors);
  EXPECT_EQ(Cmd.HashedArgs,
            (std::vector<std::string>{"-DFOO", "-I/x/include", "-O2", "-g", "-std=gnu++17"}));
}

TEST(CompileCommandTest, CMakeClangCCommandIsCacheable) {
  Classification C = classify({"/usr/bin/clang-19", "-DNDEBUG", "-isystem", "/opt/inc", "-O3",
                               "-Werror", "-std=c11", "-MD", "-MT", "CMakeFiles/t.dir/m.c.o",
                               "-MF", "CMakeFiles/t.dir/m.c.o.d", "-o",
                               "CMakeFiles/t.dir/m.c.o", "-c", "/src/m.c"});
  ASSERT_TRUE(C.Cacheable) << C.Reason;
  EXPECT_EQ(C.Command.Family, CompilerFamily::Clang);
  EXPECT_EQ(C.Command.Language, SourceLanguage::C);
  EXPECT_TRUE(C.Command.WarningsAsErrors);
  // The -isystem value is not taken for a second source.
  EXPECT_EQ(C.Command.Source, "/src/m.c");
}

TEST(CompileCommandTest, SourceExtensions) {
  for (const char *Src : {"a.cc", "a.cp", "a.cpp", "a.cxx", "a.c++", "a.C", "a.CPP"}) {
    Classification C = classify({"g++", "-c", Src});
    EXPECT_TRUE(C.Cacheable) << Src << ": " << C.Reason;
    EXPECT_EQ(C.Command.Language, SourceLanguage::CXX) << Src;
  }
  EXPECT_EQ(classify({"gcc", "-c", "a.c"}).Command.Language, SourceLanguage::C);
  EXPECT_EQ(classify({"gcc", "-c", "a.s"}).Reason, "not C or C++");
  EXPECT_EQ(classify({"gcc", "-c", "a.m"}).Reason, "not C or C++");
}

TEST(CompileCommandTest, LanguageFromXBeforeTheSource) {
  Classification C = classify({"gcc", "-x", "c++", "-c", "a.c"});
  ASSERT_TRUE(C.Cacheable) << C.Reason;
  EXPECT_EQ(C.Command.Language, SourceLanguage::CXX);
  EXPECT_EQ(classify({"gcc", "-xc", "-c", "a.inc"}).Command.Language, SourceLanguage::C);
  // -x after the source does not apply to it; -x none goes back to extensions.
  EXPECT_EQ(classify({"gcc", "-c", "a.c", "-x", "c++"}).Command.Language, SourceLanguage::C);
  EXPECT_EQ(classify({"gcc", "-x", "c++", "-x", "none", "-c", "a.c"}).Command.Language,
            SourceLanguage::C);
  EXPECT_EQ(classify({"gcc", "-x", "assembler", "-c", "a.c"}).Reason, "not C or C++");
  // Intel's -xHost is not a language.
  EXPECT_TRUE(classify({"icpx", "-xHost", "-c", "a.cc"}).Cacheable);
}

TEST(CompileCommandTest, ActionsOtherThanCompileToObject) {
  EXPECT_EQ(classify({"c++", "a.cc", "-o", "a"}).Reason, "linking");
  EXPECT_EQ(classify({"c++", "a.o", "b.o", "-o", "app"}).Reason, "linking");
  EXPECT_EQ(classify({"c++", "-E", "a.cc"}).Reason, "preprocessing only");
  EXPECT_EQ(reasonWith({"-E"}), "preprocessing only");
  EXPECT_EQ(reasonWith({"-S"}), "assembly output");
  EXPECT_EQ(reasonWith({"-fsyntax-only"}), "syntax only");
  EXPECT_EQ(reasonWith({"--analyze"}), "static analysis");
  EXPECT_EQ(reasonWith({"-emit-llvm"}), "LLVM IR output");
  EXPECT_EQ(reasonWith({"-###"}), "not a compile");
}

TEST(CompileCommandTest, DependencyOnlyPreprocessing) {
  EXPECT_EQ(reasonWith({"-M"}), "-M");
  EXPECT_EQ(reasonWith({"-MM"}), "-M");
  // -M implies -E in both drivers even beside -MD, so that stays refused.
  EXPECT_EQ(reasonWith({"-MD", "-M"}), "-M");
  EXPECT_EQ(reasonWith({"-Wp,-M"}), "-M");
  EXPECT_EQ(reasonWith({"-MD"}), "");
  EXPECT_EQ(reasonWith({"-MMD", "-MG"}), "");
}

TEST(CompileCommandTest, SourceCount) {
  EXPECT_EQ(classify({"c++", "-c", "a.cc", "b.cc"}).Reason, "several sources");
  EXPECT_EQ(classify({"c++", "-c", "-O2"}).Reason, "no source");
  // A value of an unknown separate-value flag looks like a source: refused.
  EXPECT_EQ(classify({"c++", "-c", "a.cc", "-Xunknown", "v.cc"}).Reason, "several sources");
  // A known one is not.
  EXPECT_TRUE(classify({"c++", "-c", "a.cc", "-include", "p.h", "-Xlinker", "x"}).Cacheable);
  // After "--" everything is an input.
  EXPECT_EQ(classify({"c++", "-c", "--", "-a.cc", "b.cc"}).Reason, "several sources");
}

TEST(CompileCommandTest, PrecompiledHeaders) {
  EXPECT_EQ(classify({"c++", "-c", "pch.h"}).Reason, "precompiled header");
  EXPECT_EQ(classify({"c++", "-c", "pch.hpp"}).Reason, "precompiled header");
  EXPECT_EQ(classify({"c++", "-x", "c++-header", "-c", "pch.cc"}).Reason,
            "precompiled header");
  EXPECT_EQ(classify({"gcc", "-x", "c-header", "-c", "pch.c"}).Reason, "precompiled header");
  EXPECT_EQ(reasonWith({"-include-pch", "p.pch"}), "precompiled header");
  EXPECT_EQ(reasonWith({"-Xclang", "-include-pch", "-Xclang", "p.pch"}), "precompiled header");
  EXPECT_EQ(reasonWith({"-Xclang", "-emit-pch"}), "precompiled header");
  EXPECT_EQ(reasonWith({"-fpch-preprocess"}), "precompiled header");
  EXPECT_EQ(reasonWith({"-fpch-instantiate-templates"}), "precompiled header");
  EXPECT_EQ(reasonWith({"-Winvalid-pch", "-include", "cmake_pch.hxx"}), "precompiled header");
}

TEST(CompileCommandTest, Modules) {
  EXPECT_EQ(reasonWith({"-fmodules"}), "modules");
  EXPECT_EQ(reasonWith({"-fcxx-modules"}), "modules");
  EXPECT_EQ(reasonWith({"-fmodules-ts"}), "modules");
  EXPECT_EQ(reasonWith({"-fmodule-file=m=m.pcm"}), "modules");
  EXPECT_EQ(reasonWith({"-fmodule-map-file=m.modulemap"}), "modules");
  EXPECT_EQ(classify({"clang++", "-c", "m.cppm"}).Reason, "modules");
  EXPECT_EQ(reasonWith({"-fno-modules"}), "");
}

// GCC writes a depfile named by DEPENDENCIES_OUTPUT or SUNPRO_DEPENDENCIES,
// which no hit would write.
TEST(CompileCommandTest, DepfileNamedByTheEnvironment) {
  EXPECT_EQ(reasonWith({}), "");
  for (const char *Name : {"DEPENDENCIES_OUTPUT", "SUNPRO_DEPENDENCIES"}) {
    ::setenv(Name, "deps.d", 1);
    EXPECT_EQ(reasonWith({}), "depfile named by the environment") << Name;
    ::unsetenv(Name);
  }
  EXPECT_EQ(reasonWith({}), "");
}

TEST(CompileCommandTest, FilesTheCacheCannotSee) {
  EXPECT_EQ(reasonWith({"-gsplit-dwarf"}), "split DWARF");
  EXPECT_EQ(reasonWith({"@args.rsp"}), "response file");
  EXPECT_EQ(classify({"c++", "-x", "c++", "-c", "-", "-o", "a.o"}).Reason, "stdin/stdout");
  EXPECT_EQ(classify({"c++", "-c", "a.cc", "-o", "-"}).Reason, "stdin/stdout");
  EXPECT_EQ(classify({"c++", "-c", "a.cc", "-o", "/dev/null"}).Reason, "output is /dev/null");
  for (const char *F : {"-ivfsoverlay=o.yaml", "-fauto-profile", "-fbranch-probabilities"})
    EXPECT_EQ(reasonWith({F}), "input file in flags") << F;
  // Files named by profile and ignore-list options are inputs whose bytes
  // the keys hold: the invocation's policy decides (OptionPolicyTest).
  for (const char *F : {"-fprofile-use=x.profdata", "-fprofile-instr-use=p",
                        "-fprofile-sample-use=s.prof", "-fsanitize-ignorelist=i.txt",
                        "-fsanitize-coverage-allowlist=a.txt"})
    EXPECT_EQ(reasonWith({F}), "") << F;
  // Profile flags that read nothing at compile time stay cacheable.
  EXPECT_EQ(reasonWith({"-fprofile-update=atomic", "-fprofile-instr-generate"}), "");
  EXPECT_EQ(reasonWith({"-fsanitize=address"}), "");
  EXPECT_EQ(reasonWith({"-ftime-trace"}), "time trace");
  EXPECT_EQ(reasonWith({"-MJ", "cdb.json"}), "compilation database");
  EXPECT_EQ(reasonWith({"-save-temps"}), "save-temps");
  EXPECT_EQ(reasonWith({"-save-temps=obj"}), "save-temps");
  EXPECT_EQ(reasonWith({"--coverage"}), "extra output file");
}

TEST(CompileCommandTest, PluginsAndArchitectures) {
  EXPECT_EQ(reasonWith({"-fplugin=p.so"}), "compiler plugin");
  EXPECT_EQ(reasonWith({"-fplugin-arg-p-x=1"}), "compiler plugin");
  EXPECT_EQ(reasonWith({"-Xclang", "-load", "-Xclang", "p.so"}), "compiler plugin");
  EXPECT_EQ(reasonWith({"-Xclang", "-ast-dump"}), "frontend action");
  EXPECT_EQ(reasonWith({"-arch", "arm64"}), "");
  EXPECT_EQ(reasonWith({"-arch", "arm64", "-arch", "x86_64"}), "several architectures");
}

TEST(CompileCommandTest, UnknownFlagsAreHashedNotRefused) {
  Classification C = classify({"c++", "-fnew-thing=3", "-mfancy", "-c", "a.cc"});
  ASSERT_TRUE(C.Cacheable) << C.Reason;
  EXPECT_EQ(C.Command.HashedArgs, (std::vector<std::string>{"-fnew-thing=3", "-mfancy"}));
}

TEST(CompileCommandTest, MissingValueIsRefused) {
  EXPECT_EQ(classify({"c++", "-c", "a.cc", "-o"}).Reason, "missing argument");
  EXPECT_EQ(classify({"c++", "-c", "a.cc", "-I"}).Reason, "missing argument");
}

TEST(CompileCommandTest, CompilerFamily) {
  EXPECT_EQ(compilerFamily("clang"), CompilerFamily::Clang);
  EXPECT_EQ(compilerFamily("/usr/lib/llvm-19/bin/clang++"), CompilerFamily::Clang);
  EXPECT_EQ(compilerFamily("clang-19"), CompilerFamily::Clang);
  EXPECT_EQ(compilerFamily("/usr/bin/gcc"), CompilerFamily::GCC);
  EXPECT_EQ(compilerFamily("g++"), CompilerFamily::GCC);
  EXPECT_EQ(compilerFamily("g++-12"), CompilerFamily::GCC);
  EXPECT_EQ(compilerFamily("/usr/bin/cc"), CompilerFamily::GCC);
  EXPECT_EQ(compilerFamily("c++"), CompilerFamily::GCC);
  EXPECT_EQ(compilerFamily("x86_64-linux-gnu-g++-12"), CompilerFamily::GCC);
  EXPECT_EQ(compilerFamily("arm-none-eabi-gcc"), CompilerFamily::GCC);
  EXPECT_EQ(compilerFamily("icpx"), CompilerFamily::Other);
  EXPECT_EQ(compilerFamily("/opt/bin/tcc"), CompilerFamily::Other);
  EXPECT_EQ(classify({"clang++", "-c", "a.cc"}).Command.Family, CompilerFamily::Clang);
}

} // namespace

namespace {
// Response files are read as the drivers read them: GNU quoting, nested
// files; an unreadable one stays an @file argument.
TEST(CompileCommandTest, ResponseFilesExpand) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("hotast-rsp", Dir));
  std::string Outer = (Dir + "/outer.rsp").str(), Inner = (Dir + "/inner.rsp").str();
  {
    std::ofstream(Outer) << "-O2 \"-DNAME=a b\" @" << Inner << "\n";
    std::ofstream(Inner) << "-c a.cc\n";
  }
  std::vector<std::string> Argv = {"clang++-19", "@" + Outer, "-o", "a.o"};
  EXPECT_EQ(expandResponseFiles(Argv),
            (std::vector<std::string>{"clang++-19", "-O2", "-DNAME=a b", "-c", "a.cc", "-o",
                                      "a.o"}));
  std::vector<std::string> Plain = {"c++", "-c", "a.cc"};
  EXPECT_EQ(expandResponseFiles(Plain), Plain);
  std::vector<std::string> Missing = {"c++", "@" + (Dir + "/none.rsp").str(), "-c", "a.cc"};
  EXPECT_EQ(classifyCommandLine(expandResponseFiles(Missing)).Reason, "response file");
  llvm::sys::fs::remove_directories(Dir);
}
} // namespace

namespace {
// A link is told apart from other uncacheable commands: the wrapper records
// what its output is made from.
TEST(CompileCommandTest, LinksAreMarked) {
  Classification L = classify({"c++", "a.o", "b.o", "-o", "app"});
  EXPECT_FALSE(L.Cacheable);
  EXPECT_TRUE(L.Link);
  EXPECT_EQ(L.Command.Inputs, (std::vector<std::string>{"a.o", "b.o"}));
  EXPECT_FALSE(classify({"c++", "-E", "a.cc"}).Link);
  EXPECT_FALSE(classify({"c++", "-c", "a.cc"}).Link);
}
} // namespace
