//===- Flags.cpp - What GCC and Clang flags mean to hotast ----------------===//
//
// Tables of flag spellings. Lookups are linear: a command line has a few
// dozen arguments and the tables a few dozen rows, far below the cost of
// starting the process.
//
//===----------------------------------------------------------------------===//

#include "Flags.h"

#include "hotast/Args/Reasons.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"

using llvm::StringRef;

namespace hotast {
namespace flags {
namespace {

/// A flag spelling: the whole argument, or (Prefix) its beginning.
struct Rule {
  StringRef Spelling;
  bool Prefix;
  StringRef Reason;
};

bool matches(const Rule &R, StringRef Flag) {
  return R.Prefix ? Flag.starts_with(R.Spelling) : Flag == R.Spelling;
}

StringRef firstReason(llvm::ArrayRef<Rule> Rules, StringRef Flag) {
  for (const Rule &R : Rules)
    if (matches(R, Flag))
      return R.Reason;
  return "";
}

using namespace reason;

// Flags whose effect the cache cannot see or reproduce: another action than
// compile-to-object, files read that no key would show, or files written
// beside the object that a hit would not recreate. A fast path only: what is
// not here is decided by OptionPolicy's allow-list.
const Rule DriverRefusals[] = {
    {"-E", false, "preprocessing only"},
    {"--preprocess", false, "preprocessing only"},
    {"-S", false, "assembly output"},
    {"--assemble", false, "assembly output"},
    // -M and -MM imply -E in both drivers, whatever else is given.
    {"-M", false, "-M"},
    {"-MM", false, "-M"},
    {"-fsyntax-only", false, "syntax only"},
    {"--analyze", false, "static analysis"},
    {"--analyzer-output", false, "static analysis"},
    {"-emit-llvm", false, "LLVM IR output"},
    {"-emit-ast", false, "AST output"},
    {"-###", false, NotCompile},
    {"--version", false, NotCompile},
    {"--help", false, NotCompile},
    {"-dumpversion", false, NotCompile},
    {"-dumpfullversion", false, NotCompile},
    {"-dumpmachine", false, NotCompile},
    {"-dumpspecs", false, NotCompile},
    {"-print-", true, NotCompile},
    {"-save-temps", true, "save-temps"},
    {"--save-temps", true, "save-temps"},
    {"-include-pch", true, Pch},
    {"-emit-pch", false, Pch},
    {"-fpch-", true, Pch},
    // CMake adds -Winvalid-pch with its gcc PCH, which gcc then loads from
    // a .gch beside the -include'd header without naming it.
    {"-Winvalid-pch", false, Pch},
    {"-fmodule", true, Modules}, // -fmodules, -fmodules-ts, -fmodule-file=...
    {"-fcxx-modules", false, Modules},
    {"-fprebuilt-module-path", true, Modules},
    {"-fimplicit-module-maps", false, Modules},
    {"--precompile", false, Modules},
    {"-gsplit-dwarf", true, "split DWARF"},
    // Profiles and ignore lists named by options are inputs whose bytes the
    // keys hold (OptionPolicy); these name files by other rules.
    {"-fauto-profile", true, InputInFlags},
    {"-fbranch-probabilities", false, InputInFlags},
    {"-ivfsoverlay", true, InputInFlags},
    {"--config", true, InputInFlags}, // also --config-user-dir= and friends
    {"-specs", true, InputInFlags},
    {"--specs", true, InputInFlags},
    {"-fplugin", true, Plugin}, // -fplugin=, -fplugin-arg-...
    {"-fpass-plugin", true, Plugin},
    {"-ftime-trace", false, "time trace"},
    {"-ftime-trace=", true, "time trace"},
    {"-MJ", true, "compilation database"},
    {"-gen-cdb-fragment-path", false, "compilation database"},
    {"--coverage", false, ExtraOutput},
    {"-coverage", false, ExtraOutput},
    {"-ftest-coverage", false, ExtraOutput},
    {"-fstack-usage", false, ExtraOutput},
    {"-fcallgraph-info", true, ExtraOutput},
    {"-fdump-", true, ExtraOutput},
    {"-aux-info", false, ExtraOutput},
    {"--serialize-diagnostics", false, ExtraOutput},
    {"-fsave-optimization-record", true, ExtraOutput},
    {"-foptimization-record-file=", true, ExtraOutput},
    {"-save-stats", true, ExtraOutput},
    {"-fproc-stat-report", true, ExtraOutput},
    {"-fdiagnostics-format=sarif-file", false, ExtraOutput},
    {"-fdiagnostics-format=json-file", false, ExtraOutput},
    {"-fdiagnostics-add-output", true, ExtraOutput},
    {"-fdiagnostics-set-output", true, ExtraOutput},
};

// cc1 flags reached through -Xclang that the driver tables do not cover.
const Rule Cc1Refusals[] = {
    {"-load", false, Plugin},
    {"-plugin", true, Plugin}, // -plugin, -plugin-arg-<name>
    {"-add-plugin", false, Plugin},
    {"-ast-", true, "frontend action"},
    {"-dump-", true, "frontend action"},
    {"-emit-", true, "frontend action"},
    {"-analyze", false, "static analysis"},
};

// Driver flags that take the next argument as their value. A missing entry
// makes the value look like a second source (a refusal, never a wrong hit).
const StringRef SeparateValueFlags[] = {
    "-o", "-x", "-MF", "-MT", "-MQ", "-MJ", "-D", "-U", "-I", "-F", "-L", "-l", "-A", "-u",
    "-z", "-T", "-Xclang", "-Xlinker", "-Xassembler", "-Xpreprocessor", "-Xanalyzer",
    "-Xopenmp-target", "-Xcuda-fatbinary", "-Xcuda-ptxas", "-mllvm", "-include", "-imacros",
    "-isystem", "-idirafter", "-iquote", "-iprefix", "-iwithprefix", "-iwithprefixbefore",
    "-isysroot", "-imultilib", "-iframework", "-iwithsysroot", "-isystem-after",
    "-cxx-isystem", "-include-pch", "-ivfsoverlay", "-arch", "-target", "-aux-info", "--param",
    "-specs", "--sysroot", "-gcc-toolchain", "--serialize-diagnostics", "-dumpbase",
    "-dumpbase-ext", "-dumpdir", "-index-store-path", "-working-directory", "--config",
    "-framework", "-install_name", "-wrapper", "-gen-cdb-fragment-path",
};

} // namespace

bool takesSeparateValue(StringRef Flag) {
  for (StringRef S : SeparateValueFlags)
    if (Flag == S)
      return true;
  // -Xarch_<arch> <flag> passes one flag to one architecture's compile.
  return Flag.starts_with("-Xarch_");
}

StringRef refusalReason(StringRef Flag) { return firstReason(DriverRefusals, Flag); }

StringRef xclangRefusalReason(StringRef Cc1Flag) {
  // The driver's table first, so that -Xclang -emit-pch still reads
  // "precompiled header" rather than the generic "frontend action".
  StringRef Reason = refusalReason(Cc1Flag);
  return Reason.empty() ? firstReason(Cc1Refusals, Cc1Flag) : Reason;
}

InputKind inputKindFromExtension(StringRef Path) {
  StringRef Ext = llvm::sys::path::extension(Path);
  return llvm::StringSwitch<InputKind>(Ext)
      .Case(".c", InputKind::C)
      .Cases(".cc", ".cp", ".cpp", ".cxx", ".c++", InputKind::CXX)
      .Cases(".C", ".CPP", InputKind::CXX)
      .Cases(".h", ".hh", ".hpp", ".hxx", ".h++", InputKind::Header)
      .Cases(".H", ".HPP", ".tcc", InputKind::Header)
      .Cases(".cppm", ".ixx", ".cxxm", ".c++m", ".ccm", ".mpp", InputKind::Module)
      .Default(InputKind::Other);
}

InputKind inputKindFromLanguage(StringRef Language) {
  return llvm::StringSwitch<InputKind>(Language)
      .Case("c", InputKind::C)
      .Case("c++", InputKind::CXX)
      .Cases("c-header", "c++-header", InputKind::Header)
      .Cases("c++-module", "c++-header-unit", "c++-system-header", "c++-user-header",
             InputKind::Module)
      .Default(InputKind::Other);
}

StringRef refusalReason(InputKind Kind) {
  switch (Kind) {
  case InputKind::C:
  case InputKind::CXX:
    return "";
  case InputKind::Header:
    return Pch;
  case InputKind::Module:
    return Modules;
  case InputKind::Other:
    return "not C or C++";
  }
  return "not C or C++";
}

} // namespace flags
} // namespace hotast
