//===- OptionPolicy.cpp - What a compile's options allow hotast to do -----===//
//
// Two tables, one per kind of command line, and one rule for what neither
// knows. Lookups are linear: a job has a few dozen options and the tables a
// few hundred rows, far below the cost of parsing a translation unit.
//
//===----------------------------------------------------------------------===//

#include "hotast/Compile/OptionPolicy.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Args/Reasons.h"

#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/FrontendOptions.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

using llvm::StringRef;

namespace hotast {
namespace {

enum class Treatment {
  /// Known not to put locations, file bytes or paths into any output.
  Neutral,
  /// Puts line and column of code into the object.
  Lines,
  /// Can put any byte of any file read into the object.
  Bytes,
  /// Lines and Bytes through debug info only, where the debug prefix maps
  /// rewrite every path (OptionPolicy::BeyondDebugInfo).
  DebugLines,
  DebugBytes,
  /// Its value is a file whose bytes decide the output.
  Input,
  /// -mllvm: its value is looked up among LLVM's options.
  LLVMOption,
  /// Writes a file hotast does not reproduce, reads one it cannot hash, or
  /// changes what the compile is: not cached.
  Refuse,
};

/// An option: its canonical spelling, or (Prefix) the beginning of it.
struct Rule {
  StringRef Spelling;
  Treatment What;
  bool Prefix = false;
  StringRef Reason = "";
};

constexpr Treatment N = Treatment::Neutral, L = Treatment::Lines, B = Treatment::Bytes,
                    DL = Treatment::DebugLines, DB = Treatment::DebugBytes,
                    In = Treatment::Input, R = Treatment::Refuse;

using namespace reason;
constexpr StringRef Report = "prints a report that differs between runs";

// cc1 options of the linked Clang, by the canonical spelling of the option
// the job's argument parses as. Checked on the cc1 jobs the driver makes for
// the flag sets of test/wrapper/flag-matrix (clang++-19 -### shows them).
const Rule Cc1Rules[] = {
    // What the driver always passes: target, code model, language, search
    // paths (the files read are in every key), diagnostics.
    {"-triple", N}, {"-target-cpu", N}, {"-tune-cpu", N}, {"-target-feature", N},
    {"-target-abi", N}, {"-target-linker-version", N}, {"-aux-triple", N},
    {"-emit-obj", N}, {"-emit-llvm-bc", N}, {"-emit-llvm-uselists", N},
    {"-disable-free", N}, {"-clear-ast-before-backend", N}, {"-disable-llvm-verifier", N},
    {"-discard-value-names", N}, {"-main-file-name", N}, {"-dumpdir", N},
    {"-mrelocation-model", N}, {"-pic-level", N}, {"-pic-is-pie", N}, {"-mframe-pointer=", N},
    {"-fmath-errno", N}, {"-ffp-contract=", N}, {"-fno-rounding-math", N},
    {"-frounding-math", N}, {"-mconstructor-aliases", N}, {"-funwind-tables=", N},
    {"-fno-verbose-asm", N}, {"-debugger-tuning=", N}, {"-resource-dir", N},
    {"-internal-isystem", N}, {"-internal-externc-isystem", N}, {"-isystem", N},
    {"-iquote", N}, {"-idirafter", N}, {"-isysroot", N}, {"-I", N}, {"-D", N}, {"-U", N},
    {"-include", N}, {"-imacros", N}, {"-nostdsysteminc", N}, {"-nobuiltininc", N},
    {"-nostdinc++", N}, {"-x", N}, {"-O0", N}, {"-O", N}, {"-std=", N}, {"-fdeprecated-macro", N},
    {"-ferror-limit", N}, {"-fmessage-length=", N}, {"-fgnuc-version=", N},
    {"-fskip-odr-check-in-gmf", N}, {"-fcxx-exceptions", N}, {"-fexceptions", N},
    {"-fno-rtti", N}, {"-fno-implicit-modules", N}, {"-vectorize-loops", N},
    {"-vectorize-slp", N}, {"-faddrsig", N}, {"-W", N}, {"-Wall", N}, {"-w", N}, {"-pedantic", N},
    {"-pedantic-errors", N}, {"-fcolor-diagnostics", N}, {"-fdiagnostics-", N, true},
    {"-fno-diagnostics-", N, true}, {"-fcaret-diagnostics-max-lines=", N},
    {"-fno-caret-diagnostics", N}, {"-fno-show-column", N}, {"-fno-show-source-location", N},
    {"-fshow-overloads=", N}, {"-ftemplate-backtrace-limit", N},
    {"-fconstexpr-backtrace-limit", N}, {"-fspell-checking-limit", N},
    {"-fno-spell-checking", N}, {"-fmacro-backtrace-limit", N},
    // What warnings turn into at cc1: C's string literals made const (the
    // AST shows it), and the stack size warning code generation prints
    // (such a result is reused only for the same bytes).
    {"-fconst-strings", N}, {"-fno-const-strings", N}, {"-fwarn-stack-size=", N},
    // Outputs hotast writes itself or that are the object: -o and the
    // depfile (retargeted on a direct hit, regenerated on a semantic one).
    {"-o", N}, {"-dependency-file", N}, {"-MT", N}, {"-sys-header-deps", N}, {"-MP", N},
    {"-fdepfile-entry=", N},
    // The working directory reaches outputs only with locations, and then
    // it is part of the key (saltWithPolicy).
    {"-fdebug-compilation-dir=", N}, {"-fcoverage-compilation-dir=", N},
    {"-fdebug-prefix-map=", N}, {"-fmacro-prefix-map=", N}, {"-fcoverage-prefix-map=", N},
    // Optimisation, code generation, ABI and hardening.
    {"-flto=", N}, {"-flto-unit", N}, {"-fsplit-lto-unit", N}, {"-flto-visibility-public-std", N},
    {"-fwhole-program-vtables", N}, {"-fvisibility=", N}, {"-fvisibility-inlines-hidden", N},
    {"-ftype-visibility=", N}, {"-fhalf-no-semantic-interposition", N},
    {"-fno-semantic-interposition", N}, {"-fsemantic-interposition", N}, {"-mcmodel=", N},
    {"-mlarge-data-threshold=", N}, {"-fmv", N}, {"-fno-signed-char", N}, {"-fcf-protection=", N},
    {"-fstack-clash-protection", N}, {"-stack-protector", N}, {"-stack-protector-buffer-size", N},
    {"-fpatchable-function-entry=", N}, {"-fpatchable-function-entry-offset=", N},
    {"-function-alignment", N}, {"-fembed-bitcode=", N}, {"-disable-llvm-passes", N}, {"-ffunction-sections", N},
    {"-fdata-sections", N}, {"-fno-plt", N}, {"-fno-pch-timestamp", N}, {"-complex-range=", N},
    {"-fapprox-func", N}, {"-ffast-math", N}, {"-ffinite-math-only", N}, {"-fno-signed-zeros", N},
    {"-freciprocal-math", N}, {"-funsafe-math-optimizations", N}, {"-menable-no-infs", N},
    {"-menable-no-nans", N}, {"-mreassociate", N}, {"-fno-common", N}, {"-fcommon", N},
    {"-relaxed-aliasing", N}, {"-fwrapv", N}, {"-fno-delete-null-pointer-checks", N},
    {"-fsized-deallocation", N}, {"-fno-sized-deallocation", N}, {"-fno-threadsafe-statics", N},
    {"-fno-builtin", N}, {"-fno-builtin-", N, true}, {"-ffreestanding", N}, {"-fno-inline", N},
    {"-fno-inline-functions", N}, {"-finline-functions", N}, {"-finline-hint-functions", N},
    {"-fno-unroll-loops", N}, {"-funroll-loops", N}, {"-fno-use-cxa-atexit", N},
    {"-fno-use-init-array", N}, {"-ftrivial-auto-var-init=", N}, {"-mstack-alignment=", N},
    {"-disable-red-zone", N}, {"-mdisable-tail-calls", N}, {"-msoft-float", N},
    {"-mfloat-abi", N}, {"-fno-jump-tables", N}, {"-fno-zero-initialized-in-bss", N},
    {"-fdirect-access-external-data", N}, {"-fno-direct-access-external-data", N},
    {"-fno-elide-constructors", N}, {"-fgnu-keywords", N}, {"-fno-gnu-keywords", N},
    {"-fno-operator-names", N}, {"-fms-extensions", N}, {"-fgnu89-inline", N},
    {"-fno-strict-return", N}, {"-fstrict-enums", N}, {"-fno-strict-float-cast-overflow", N},
    {"-ffp-exception-behavior=", N}, {"-fno-assume-sane-operator-new", N},
    {"-fno-experimental-relative-c++-abi-vtables", N}, {"-fclang-abi-compat=", N},
    {"-fdenormal-fp-math=", N}, {"-ftls-model=", N}, {"-mtls-dialect=", N}, {"-fno-split-stack", N},
    {"-fexperimental-new-constant-interpreter", N}, {"-fopenmp-simd", N},
    {"-fmax-type-align=", N}, {"-fnew-alignment=", N}, {"-fpack-struct=", N},
    {"-fno-signed-wchar", N}, {"-fshort-enums", N}, {"-fshort-wchar", N},
    // -mllvm: each LLVM option by name (LLVMRules), parsed in-process as
    // clang's cc1 parses it.
    {"-mllvm", Treatment::LLVMOption},
    // Locations reach the object: debug info (DWARF 5 and embedded sources
    // hold file bytes, raised in classifyClangJob), sanitizers' check data
    // and global descriptors, profile instrumentation.
    {"-debug-info-kind=", DL}, {"-dwarf-version=", N}, {"-compress-debug-sections=", N},
    {"-ggnu-pubnames", DL}, {"-gpubnames", DL}, {"-gsimple-template-names=", DL},
    {"-fdebug-types-section", DL}, {"-gno-column-info", DL},
    {"-fno-eliminate-unused-debug-types", DL}, {"-fdebug-info-for-profiling", DL},
    {"-gcodeview", L}, {"-gembed-source", DB},
    {"-fsanitize=", L}, {"-fsanitize-recover=", L}, {"-fsanitize-trap=", L},
    {"-fsanitize-merge=", L}, {"-fno-sanitize-address-use-odr-indicator", L},
    {"-fsanitize-address-use-odr-indicator", L}, {"-fno-sanitize-memory-param-retval", L},
    {"-fsanitize-address-globals-dead-stripping", L}, {"-fsanitize-address-use-after-scope", L},
    {"-fsanitize-address-use-after-return=", L}, {"-fsanitize-memory-track-origins=", L},
    {"-fsanitize-cfi-cross-dso", L}, {"-fsanitize-minimal-runtime", L},
    {"-fsanitize-coverage-type=", L}, {"-fsanitize-coverage-", L, true},
    {"-fprofile-instrument=", L}, {"-fprofile-instrument-path=", L},
    {"-fprofile-update=", L}, {"-finstrument-functions", L},
    {"-fcoverage-mapping", B},
    // Files whose bytes decide the output.
    {"-fsanitize-ignorelist=", In}, {"-fsanitize-system-ignorelist=", In},
    {"-fprofile-instrument-use-path=", In}, {"-fprofile-sample-use=", In},
    {"-fprofile-remapping-file=", In}, {"-fprofile-list=", In},
    {"-fsanitize-coverage-allowlist=", In}, {"-fsanitize-coverage-ignorelist=", In},
    {"-fxray-always-instrument=", In}, {"-fxray-never-instrument=", In},
    {"-fxray-attr-list=", In}, {"-fmemory-profile-use=", In},
    // Not cached.
    {"-split-dwarf-file", R, false, ExtraOutput}, {"-split-dwarf-output", R, false, ExtraOutput},
    {"-coverage-notes-file=", R, false, ExtraOutput},
    {"-coverage-data-file=", R, false, ExtraOutput},
    {"-stack-usage-file", R, false, ExtraOutput}, {"-opt-record-file", R, false, ExtraOutput},
    {"-serialize-diagnostic-file", R, false, ExtraOutput},
    {"-header-include-file", R, false, ExtraOutput}, {"-stats-file=", R, false, ExtraOutput},
    {"-ftime-trace=", R, false, ExtraOutput}, {"-ftime-report", R, false, Report},
    {"-ftime-report=", R, false, Report}, {"-print-stats", R, false, Report},
    {"-include-pch", R, false, Pch}, {"-emit-pch", R, false, Pch}, {"-fmodules", R, false, Modules},
    {"-fmodule-file=", R, false, Modules}, {"-fmodule-map-file=", R, false, Modules},
    {"-ivfsoverlay", R, false, "file system overlay"}, {"-load", R, false, Plugin},
    {"-plugin", R, false, Plugin}, {"-add-plugin", R, false, Plugin},
    {"-fpass-plugin=", R, false, Plugin},
};

// LLVM options that -mllvm may set without putting locations, paths or file
// bytes into the output (tuning knobs of optimisation passes).
const Rule LLVMRules[] = {
    {"-inline-threshold", N},   {"-unroll-threshold", N},       {"-unroll-count", N},
    {"-enable-unroll-and-jam", N}, {"-vectorize-loops", N},     {"-enable-loop-distribute", N},
    {"-align-all-functions", N}, {"-align-all-nofallthru-blocks", N},
    {"-x86-asm-syntax", N},     {"-enable-machine-outliner", N},
};

// GCC's options (gcc, g++, cc, c++), by their spelling on the command line.
// The depfile flags, -c and -o never reach this table (the wrapper handles
// them); any use of locations counts as Bytes (classifyForeignCommand).
const Rule GccRules[] = {
    {"-O", N, true}, {"-std=", N, true}, {"-ansi", N}, {"-w", N}, {"-pedantic", N, true},
    {"-D", N, true}, {"-U", N, true}, {"-I", N, true}, {"-isystem", N, true},
    {"-iquote", N, true}, {"-idirafter", N, true}, {"-include", N, true},
    {"-imacros", N, true}, {"-nostdinc", N, true}, {"-x", N, true}, {"-pthread", N},
    {"-pipe", N}, {"-fPIC", N}, {"-fpic", N}, {"-fPIE", N}, {"-fpie", N}, {"-fno-pic", N},
    {"-fno-PIC", N}, {"-fno-pie", N}, {"-fno-PIE", N}, {"-fvisibility=", N, true},
    {"-fvisibility-inlines-hidden", N}, {"-fexceptions", N}, {"-fno-exceptions", N},
    {"-frtti", N}, {"-fno-rtti", N}, {"-ffunction-sections", N}, {"-fdata-sections", N},
    {"-fcommon", N}, {"-fno-common", N}, {"-fstack-protector", N, true},
    {"-fno-stack-protector", N}, {"-fcf-protection", N, true}, {"-fstack-clash-protection", N},
    {"-fomit-frame-pointer", N}, {"-fno-omit-frame-pointer", N}, {"-fstrict-aliasing", N},
    {"-fno-strict-aliasing", N}, {"-fwrapv", N}, {"-fno-plt", N},
    {"-fno-semantic-interposition", N}, {"-fpatchable-function-entry=", N, true},
    {"-falign-functions", N, true}, {"-ffast-math", N}, {"-fno-math-errno", N}, {"-funroll-loops", N}, {"-fno-inline", N},
    {"-finline-functions", N}, {"-fno-builtin", N, true}, {"-ffreestanding", N},
    {"-fsigned-char", N}, {"-funsigned-char", N}, {"-fno-threadsafe-statics", N},
    {"-fpermissive", N}, {"-fno-delete-null-pointer-checks", N},
    {"-ftrivial-auto-var-init=", N, true}, {"-fsized-deallocation", N},
    {"-fno-sized-deallocation", N}, {"-fdiagnostics-", N, true}, {"-fno-diagnostics-", N, true},
    {"-fmessage-length=", N, true}, {"-fmax-errors=", N, true}, {"-frandom-seed=", N, true},
    {"-fdebug-prefix-map=", N, true}, {"-ffile-prefix-map=", N, true},
    {"-fmacro-prefix-map=", N, true}, {"-fno-lto", N}, {"-fuse-ld=", N, true},
    {"-march=", N, true}, {"-mtune=", N, true}, {"-mcpu=", N, true}, {"-m64", N},
    {"-m32", N}, {"-mavx", N, true}, {"-msse", N, true}, {"-mfma", N}, {"-mbmi", N, true},
    {"-mpopcnt", N}, {"-mcmodel=", N, true}, {"-mno-red-zone", N},
    {"-g0", N}, {"-Qunused-arguments", N},
    // Locations (and for GCC that means bytes): debug info, sanitizers,
    // LTO's intermediate language (it keeps locations for diagnostics).
    {"-g", B, true}, {"-fsanitize", B, true}, {"-fno-sanitize", B, true}, {"-flto", B, true},
    {"-ffat-lto-objects", B}, {"-fno-fat-lto-objects", B},
    // Not cached: profile files found by the object's name, extra outputs,
    // plugins.
    {"-fprofile-", R, true, "profile files named after the object"},
    {"-fauto-profile", R, true, "profile input"}, {"-fbranch-probabilities", R, false, "profile input"},
    {"-ftest-coverage", R, false, ExtraOutput}, {"-fprofile-arcs", R, false, ExtraOutput},
    {"--coverage", R, false, ExtraOutput}, {"-fcallgraph-info", R, true, ExtraOutput},
    {"-fstack-usage", R, false, ExtraOutput}, {"-fdump-", R, true, ExtraOutput},
    {"-save-temps", R, true, ExtraOutput}, {"-gsplit-dwarf", R, false, ExtraOutput},
    {"-fplugin", R, true, Plugin}, {"-fopt-info", R, true, ExtraOutput},
};

const Rule *lookup(llvm::ArrayRef<Rule> Rules, StringRef Spelling) {
  const Rule *Best = nullptr;
  for (const Rule &Ru : Rules) {
    bool Hit = Ru.Prefix ? Spelling.starts_with(Ru.Spelling) : Spelling == Ru.Spelling;
    // An exact spelling wins over a prefix; a longer prefix over a shorter.
    if (Hit && (!Best || (!Ru.Prefix && Best->Prefix) ||
                (Ru.Prefix == Best->Prefix && Ru.Spelling.size() > Best->Spelling.size())))
      Best = &Ru;
  }
  return Best;
}

/// Whether a value could name a file: then an option that is not known
/// could read or write it, which no key would see.
bool looksLikePath(StringRef Value) {
  return Value.contains('/') || (!Value.empty() && llvm::sys::fs::exists(Value));
}

/// What neither table knows: the fingerprint holds every file's bytes;
/// when the option carries what could be a path, the compile is not cached.
void unknownOption(OptionPolicy &P, StringRef Spelling, llvm::ArrayRef<StringRef> Values) {
  P.Unknown.push_back(Spelling.str());
  P.raise(LocationUse::Bytes);
  P.BeyondDebugInfo = true;
  for (StringRef V : Values)
    if (looksLikePath(V))
      P.refuse(("unknown option with a file: " + Spelling).str());
}

void apply(OptionPolicy &P, const Rule &Ru, StringRef Spelling, llvm::ArrayRef<StringRef> Values) {
  switch (Ru.What) {
  case Treatment::Neutral:
    return;
  case Treatment::Lines:
    P.BeyondDebugInfo = true;
    return P.raise(LocationUse::Lines);
  case Treatment::Bytes:
    P.BeyondDebugInfo = true;
    return P.raise(LocationUse::Bytes);
  case Treatment::DebugLines:
    return P.raise(LocationUse::Lines);
  case Treatment::DebugBytes:
    return P.raise(LocationUse::Bytes);
  case Treatment::Input:
    for (StringRef V : Values)
      P.InputFiles.push_back(V.str());
    return;
  case Treatment::Refuse:
    return P.refuse((Ru.Reason + ": " + Spelling).str());
  case Treatment::LLVMOption:
    for (StringRef V : Values) {
      StringRef Name = V.split('=').first;
      if (const Rule *LR = lookup(LLVMRules, Name); LR && !LR->Prefix)
        apply(P, *LR, V, {});
      else
        unknownOption(P, ("-mllvm " + Name).str(), {V.split('=').second});
    }
    return;
  }
}

/// Options of clang's diagnostic groups (-W..., -R..., -pedantic): they
/// shape what is printed, which the parse prints afresh on every compile,
/// and what code generation prints makes a result reusable only for the
/// same bytes. Those that change the language (-Wwrite-strings makes C's
/// string literals const) change the AST, which the fingerprint hashes.
bool inDiagnosticGroup(const llvm::opt::Option &O) {
  for (llvm::opt::Option G = O.getGroup(); G.isValid(); G = G.getGroup())
    if (G.getID() == clang::driver::options::OPT_Diag_Group)
      return true;
  return false;
}

} // namespace

OptionPolicy classifyClangJob(llvm::ArrayRef<const char *> CC1Args,
                              const clang::CompilerInvocation &Invocation,
                              llvm::ArrayRef<std::string> ConfigFiles) {
  OptionPolicy P;
  // Only actions whose whole output is the one file hotast stores.
  switch (Invocation.getFrontendOpts().ProgramAction) {
  case clang::frontend::EmitObj:
  case clang::frontend::EmitBC:
    break;
  default:
    P.refuse("frontend action other than an object or LTO bitcode");
  }
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Args =
      Table.ParseArgs(CC1Args, MissingIndex, MissingCount,
                      llvm::opt::Visibility(clang::driver::options::CC1Option));
  if (MissingCount)
    P.refuse("option without its value");
  for (const llvm::opt::Arg *A : Args) {
    const llvm::opt::Option &O = A->getOption();
    if (O.getKind() == llvm::opt::Option::InputClass)
      continue; // the source
    llvm::SmallVector<StringRef, 2> Values(A->getValues().begin(), A->getValues().end());
    if (O.getKind() == llvm::opt::Option::UnknownClass) {
      unknownOption(P, A->getSpelling(), {StringRef(A->getAsString(Args))});
      continue;
    }
    StringRef Name = O.getUnaliasedOption().getPrefixedName();
    if (inDiagnosticGroup(O.getUnaliasedOption()))
      continue;
    if (const Rule *Ru = lookup(Cc1Rules, Name))
      apply(P, *Ru, Name, Values);
    else
      unknownOption(P, Name, Values);
  }
  // LLVM bitcode (LTO) keeps IR metadata that a native object drops: the
  // raw source offset of every inline asm statement and of every call to a
  // function with an error or warning attribute (!srcloc), and the file and
  // line of annotate attributes (test/wrapper/lto-bitcode-asm.test).
  P.IRMetadata = Invocation.getFrontendOpts().ProgramAction == clang::frontend::EmitBC;
  if (P.IRMetadata && !Invocation.getFrontendOpts().Inputs.empty() &&
      Invocation.getFrontendOpts().Inputs[0].isFile())
    P.BitcodeSourceName = Invocation.getFrontendOpts().Inputs[0].getFile().str();
  // DWARF 5 line tables hold an MD5 of each file they name (as CodeView's
  // do): in a native object, which the compile reads back to check which
  // files those are, only their bytes count. In bitcode the checksums are
  // IR metadata, not read back; -gembed-source holds the whole text: any
  // byte may reach the output.
  const clang::CodeGenOptions &CG = Invocation.getCodeGenOpts();
  if (CG.getDebugInfo() != llvm::codegenoptions::NoDebugInfo) {
    if (CG.EmbedSource || ((CG.DwarfVersion >= 5 || CG.EmitCodeView) && P.IRMetadata))
      P.raise(LocationUse::Bytes);
    else if (CG.DwarfVersion >= 5 || CG.EmitCodeView)
      P.raise(LocationUse::LineFiles);
  }
  // -fno-eliminate-unused-debug-types: every type any file declares is
  // described, used or not, and the closure holds what the unit's code
  // reaches; so any byte counts.
  if (CG.getDebugInfo() == llvm::codegenoptions::UnusedTypeInfo)
    P.raise(LocationUse::Bytes);
  for (const std::string &F : ConfigFiles)
    P.InputFiles.push_back(F);
  return P;
}

/// A warning option of GCC's that turns warnings off, or on for none that
/// reads the value of an int literal where LiteralSites.cpp lets one be
/// (an operand of `+ - * & | ^` or of a comparison with an int variable, an
/// int argument, a return value, a plain local's initializer). -Wall and
/// -Wextra (GCC 12) were read warning by warning for this; -Wlogical-op,
/// -Wduplicated-cond, -Wduplicated-branches and -Wstrict-overflow, which do
/// read such values, are not here, nor is any warning not read.
static bool literalBlindWarning(StringRef Arg) {
  if (Arg.starts_with("-Wno-") || Arg.starts_with("-Werror"))
    return true;
  StringRef Name = Arg.drop_front(2).split('=').first;
  static const llvm::StringSet<> Blind = {
      "", "all", "extra", "pedantic", "shadow", "shadow-local", "shadow-compatible-local",
      "undef", "conversion", "sign-conversion", "float-conversion", "old-style-cast",
      "non-virtual-dtor", "delete-non-virtual-dtor", "overloaded-virtual", "cast-qual",
      "cast-align", "format", "format-security", "format-nonliteral", "format-signedness",
      "missing-declarations", "missing-include-dirs", "redundant-decls", "unused",
      "unused-parameter", "unused-variable", "unused-function", "unused-but-set-variable",
      "unused-but-set-parameter", "unused-local-typedefs", "unused-macros", "unused-value",
      "unused-result", "unused-label", "pointer-arith", "write-strings", "switch-enum",
      "switch-default", "vla", "null-dereference", "double-promotion", "useless-cast",
      "deprecated", "deprecated-declarations", "deprecated-copy", "deprecated-copy-dtor",
      "suggest-override", "implicit-fallthrough", "effc++", "ctor-dtor-privacy", "sign-promo",
      "missing-noreturn", "float-equal", "zero-as-null-pointer-constant", "extra-semi",
      "noexcept", "init-self", "comment", "return-type", "uninitialized", "maybe-uninitialized",
      "parentheses", "sign-compare", "misleading-indentation", "dangling-else", "reorder",
      "strict-aliasing", "missing-field-initializers", "cast-function-type",
      "missing-prototypes", "strict-prototypes", "old-style-definition",
      "declaration-after-statement", "nested-externs", "bad-function-cast", "redundant-move",
      "pessimizing-move", "range-loop-construct", "class-memaccess", "catch-value",
      "non-template-friend", "invalid-pch", "disabled-optimization", "padded", "inline",
      "suggest-attribute", "stack-protector", "date-time"};
  return Blind.contains(Name);
}

/// A diagnostics option of GCC's that keeps its default layout (colors,
/// URLs, the option's name after a warning): OptionPolicy::DiagnosticsUnusual.
static bool usualDiagnostics(StringRef Arg) {
  StringRef Name = Arg.split('=').first;
  return Name == "-fdiagnostics-color" || Name == "-fno-diagnostics-color" ||
         Name == "-fdiagnostics-urls" || Name == "-fdiagnostics-show-option" ||
         Name == "-fno-diagnostics-show-option";
}

OptionPolicy classifyForeignCommand(llvm::ArrayRef<std::string> HashedArgs) {
  OptionPolicy P;
  for (size_t I = 0; I < HashedArgs.size(); ++I) {
    StringRef Arg = HashedArgs[I];
    StringRef Separate;
    if (takesSeparateValue(Arg) && I + 1 < HashedArgs.size())
      Separate = HashedArgs[++I];
    // Warnings shape only what the compiler prints, which a semantic hit
    // prints as the compiler says (docs/wrapper.md, "Warnings of another
    // compiler"); they decide only whether a literal edit needs no asking.
    if (Arg.starts_with("-W") && !Arg.starts_with("-Wa,") && !Arg.starts_with("-Wl,") &&
        !Arg.starts_with("-Wp,")) {
      if (!literalBlindWarning(Arg))
        P.WarningsMayReadLiterals = true;
      continue;
    }
    if ((Arg.starts_with("-fdiagnostics-") || Arg.starts_with("-fno-diagnostics-") ||
         Arg.starts_with("-fmessage-length") || Arg.ends_with("show-column")) &&
        !usualDiagnostics(Arg))
      P.DiagnosticsUnusual = true;
    if (const Rule *Ru = lookup(GccRules, Arg)) {
      apply(P, *Ru, Arg, {});
      continue;
    }
    StringRef Value = Arg.contains('=') ? Arg.split('=').second : StringRef();
    unknownOption(P, Arg.split('=').first, {Value, Separate});
  }
  // Any use of locations: the other compiler counts columns its own way.
  if (P.Locations != LocationUse::None)
    P.raise(LocationUse::Bytes);
  // GCC reorders top-level definitions (and drops unreferenced ones with
  // internal linkage) from -O1 (-Og, -Os...) on; at -O0 it keeps them.
  // -fno-toplevel-reorder is no known option: every file's bytes count.
  StringRef Level = "-O0";
  for (const std::string &Arg : HashedArgs)
    if (StringRef(Arg).starts_with("-O"))
      Level = Arg;
  P.KeepsUnreferencedStatics = Level == "-O0";
  return P;
}

Hash128 saltWithPolicy(const Hash128 &Salt, const OptionPolicy &Policy, StringRef Cwd) {
  Hasher H;
  H.add("policy").add(Salt).add(uint64_t(Policy.Locations)).addBool(Policy.IRMetadata);
  if (Policy.IRMetadata)
    H.add(Policy.BitcodeSourceName); // the bitcode's source_filename
  if (Policy.Locations != LocationUse::None)
    H.add(Cwd); // DW_AT_comp_dir, the coverage mapping's compilation directory
  for (const std::string &F : Policy.InputFiles) {
    auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    H.add(F).addBool(bool(Buf)).add(Buf ? hashBytes((*Buf)->getBuffer()) : Hash128());
  }
  return H.final();
}

} // namespace hotast
