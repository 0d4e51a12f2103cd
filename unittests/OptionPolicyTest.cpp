//===- OptionPolicyTest.cpp - What a compile's options allow --------------===//
//
// The allow-list over cc1 jobs and GCC command lines: known options keep
// their treatment, unknown ones make every file's bytes count, and an
// unknown option with a file makes the compile uncacheable.
//
//===----------------------------------------------------------------------===//

#include "hotast/Compile/OptionPolicy.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "gtest/gtest.h"

using namespace hotast;

namespace {

/// The policy of a cc1 job: a target, Action, Extra, a source.
OptionPolicy job(std::vector<const char *> Extra, const char *Action = "-emit-obj") {
  std::vector<const char *> Args = {"-triple", "x86_64-pc-linux-gnu", Action};
  Args.insert(Args.end(), Extra.begin(), Extra.end());
  Args.push_back("a.cpp");
  clang::DiagnosticsEngine Diags(new clang::DiagnosticIDs, new clang::DiagnosticOptions,
                                 new clang::IgnoringDiagConsumer);
  clang::CompilerInvocation Invocation;
  EXPECT_TRUE(clang::CompilerInvocation::CreateFromArgs(Invocation, Args, Diags));
  return classifyClangJob(Args, Invocation, {});
}

TEST(OptionPolicyTest, KnownOptionsKeepLocationsOut) {
  OptionPolicy P = job({"-O2", "-std=c++17", "-flto=thin", "-mllvm", "-inline-threshold=0"});
  EXPECT_EQ(P.Refusal, "");
  EXPECT_EQ(P.Locations, LocationUse::None);
  EXPECT_TRUE(P.Unknown.empty());
}

TEST(OptionPolicyTest, LocationsReachTheObject) {
  EXPECT_EQ(job({"-fsanitize=null,alignment"}).Locations, LocationUse::Lines);
  EXPECT_EQ(job({"-fprofile-instrument=clang"}).Locations, LocationUse::Lines);
  EXPECT_EQ(job({"-debug-info-kind=constructor", "-dwarf-version=4"}).Locations,
            LocationUse::Lines);
  // DWARF 5 checksums: the bytes of the files the object names, which the
  // compile reads back from a native object; in bitcode, any byte.
  EXPECT_EQ(job({"-debug-info-kind=constructor", "-dwarf-version=5"}).Locations,
            LocationUse::LineFiles);
  EXPECT_EQ(job({"-debug-info-kind=constructor", "-dwarf-version=5"}, "-emit-llvm-bc").Locations,
            LocationUse::Bytes);
  // Embedded sources and coverage mapping: any byte.
  EXPECT_EQ(job({"-debug-info-kind=constructor", "-dwarf-version=5", "-gembed-source"}).Locations,
            LocationUse::Bytes);
  EXPECT_EQ(job({"-fprofile-instrument=clang", "-fcoverage-mapping"}).Locations,
            LocationUse::Bytes);
  // -dwarf-version alone asks for no debug info.
  EXPECT_EQ(job({"-dwarf-version=5"}).Locations, LocationUse::None);
}

TEST(OptionPolicyTest, FilesNamedByOptionsAreInputs) {
  OptionPolicy P = job({"-fsanitize=address", "-fsanitize-ignorelist=ignore.txt",
                        "-fprofile-sample-use=prof.txt"});
  EXPECT_EQ(P.Refusal, "");
  EXPECT_EQ(P.InputFiles, (std::vector<std::string>{"ignore.txt", "prof.txt"}));
}

TEST(OptionPolicyTest, ExtraOutputsAndOtherActionsAreNotCached) {
  EXPECT_EQ(job({"-split-dwarf-file", "a.dwo", "-split-dwarf-output", "a.dwo"}).Refusal,
            "extra output file: -split-dwarf-file");
  EXPECT_EQ(job({"-stack-usage-file", "a.su"}).Refusal, "extra output file: -stack-usage-file");
  EXPECT_EQ(job({"-load", "plugin.so"}).Refusal, "compiler plugin: -load");
  EXPECT_EQ(job({}, "-emit-llvm-bc").Refusal, "");
  // Bitcode keeps IR metadata with raw source offsets (!srcloc).
  EXPECT_TRUE(job({"-flto=thin"}, "-emit-llvm-bc").IRMetadata);
  EXPECT_EQ(job({"-flto=thin"}, "-emit-llvm-bc").Locations, LocationUse::None);
  EXPECT_FALSE(job({"-flto=thin"}).IRMetadata);
  EXPECT_EQ(job({}, "-emit-llvm").Refusal, "frontend action other than an object or LTO bitcode");
  EXPECT_EQ(job({}, "-S").Refusal, "frontend action other than an object or LTO bitcode");
}

TEST(OptionPolicyTest, UnknownOptionsCostHitsNeverCorrectness) {
  // A cc1 option the table does not list.
  OptionPolicy P = job({"-fno-unique-section-names"});
  EXPECT_EQ(P.Refusal, "");
  EXPECT_EQ(P.Locations, LocationUse::Bytes);
  EXPECT_EQ(P.Unknown, (std::vector<std::string>{"-fno-unique-section-names"}));
  // An unknown LLVM option through -mllvm.
  EXPECT_EQ(job({"-mllvm", "-some-new-knob=3"}).Locations, LocationUse::Bytes);
  // An unknown option whose value could be a file.
  EXPECT_EQ(job({"-foverride-record-layout=/tmp/layout.txt"}).Refusal,
            "unknown option with a file: -foverride-record-layout=");
}

TEST(OptionPolicyTest, GccCommandLines) {
  auto Foreign = [](std::vector<std::string> Args) { return classifyForeignCommand(Args); };
  OptionPolicy Plain = Foreign({"-O2", "-fPIC", "-Wall", "-I", "include", "-DX=1", "-march=native"});
  EXPECT_EQ(Plain.Refusal, "");
  EXPECT_EQ(Plain.Locations, LocationUse::None);
  // Any use of locations is every byte for another compiler.
  EXPECT_EQ(Foreign({"-g"}).Locations, LocationUse::Bytes);
  EXPECT_EQ(Foreign({"-fsanitize=address"}).Locations, LocationUse::Bytes);
  EXPECT_EQ(Foreign({"-flto", "-frandom-seed=x"}).Locations, LocationUse::Bytes);
  EXPECT_EQ(Foreign({"-g0"}).Locations, LocationUse::None);
  // GCC-only options the table does not know.
  EXPECT_EQ(Foreign({"-fno-gcse"}).Locations, LocationUse::Bytes);
  EXPECT_EQ(Foreign({"-fno-gcse"}).Refusal, "");
  EXPECT_EQ(Foreign({"-fsomething-new=/etc/file"}).Refusal,
            "unknown option with a file: -fsomething-new");
  EXPECT_EQ(Foreign({"-fprofile-use"}).Refusal,
            "profile files named after the object: -fprofile-use");
  EXPECT_EQ(Foreign({"--coverage"}).Refusal, "extra output file: --coverage");
}

TEST(OptionPolicyTest, SaltHoldsLocationsWorkingDirAndInputBytes) {
  Hash128 Salt = hashBytes("command");
  OptionPolicy None, Lines;
  Lines.Locations = LocationUse::Lines;
  EXPECT_EQ(saltWithPolicy(Salt, None, "/a"), saltWithPolicy(Salt, None, "/b"));
  EXPECT_NE(saltWithPolicy(Salt, Lines, "/a"), saltWithPolicy(Salt, Lines, "/b"));
  EXPECT_NE(saltWithPolicy(Salt, None, "/a"), saltWithPolicy(Salt, Lines, "/a"));
  OptionPolicy Missing;
  Missing.InputFiles = {"/nonexistent/hotast-ignore-list"};
  EXPECT_NE(saltWithPolicy(Salt, None, "/a"), saltWithPolicy(Salt, Missing, "/a"));
}

} // namespace
