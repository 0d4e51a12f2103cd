//===- CompileCommand.cpp - Classifying a compiler command line -----------===//
//
// One pass over the arguments, in order, as the driver reads them: options
// with separate values consume them, -x applies to the inputs after it, the
// last -o / -MF / -MD|-MMD wins. The first refusal found is kept as the
// reason, but the walk goes on so that the command is fully described in
// the log. What the flags mean lives in Flags.cpp; this file only walks.
//
//===----------------------------------------------------------------------===//

#include "hotast/Args/CompileCommand.h"

#include "hotast/Support/Depfile.h"

#include "Flags.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Path.h"

#include <cstdlib>
#include <optional>

using llvm::StringRef;

namespace hotast {

namespace {

/// The state of one walk over a command line.
class Walker {
public:
  explicit Walker(llvm::ArrayRef<std::string> Argv) {
    if (!Argv.empty()) {
      Cmd.Compiler = Argv.front();
      Cmd.Args.assign(Argv.begin() + 1, Argv.end());
    }
    Cmd.Family = compilerFamily(Cmd.Compiler);
  }

  Classification run() {
    for (size_t I = 0; I < Cmd.Args.size(); ++I)
      visit(I);
    finish();
    Classification Result;
    Result.Cacheable = Reason.empty();
    Result.Reason = Reason;
    Result.Link = IsLink;
    Result.Command = std::move(Cmd);
    return Result;
  }

private:
  void refuse(StringRef Why) {
    if (Reason.empty())
      Reason = Why.str();
  }

  void hash(StringRef Arg) { Cmd.HashedArgs.push_back(Arg.str()); }

  /// The value of the option at I, consuming it; nullopt (and a refusal)
  /// when the command line ends first.
  std::optional<StringRef> takeValue(size_t &I) {
    if (I + 1 >= Cmd.Args.size()) {
      refuse("missing argument");
      return std::nullopt;
    }
    return StringRef(Cmd.Args[++I]);
  }

  void addInput(StringRef Input) {
    Inputs.push_back(Input.str());
    // -x applies to the inputs after it; "-x none" goes back to extensions.
    InputKinds.push_back(Language.empty() ? flags::inputKindFromExtension(Input)
                                          : flags::inputKindFromLanguage(Language));
  }

  void visit(size_t &I);
  bool visitDepfileFlag(StringRef Arg, size_t &I);
  void applyDepfileFlag(StringRef Flag, StringRef Value);
  bool visitPreprocessorPassThrough(StringRef Arg);
  void visitWarningFlag(StringRef Arg);
  void finish();

  CompileCommand Cmd;
  std::string Reason;
  std::vector<std::string> Inputs;
  std::vector<flags::InputKind> InputKinds;
  std::string Language; // the current -x, "" for none
  bool SawCompile = false;
  bool IsLink = false;
  bool EndOfOptions = false;
  unsigned ArchCount = 0;
  std::optional<std::string> ExplicitOutput;
  std::optional<std::string> DepPathFromMF, DepPathFromWp;
  bool AllWarningsAreErrors = false, SomeWarningsAreErrors = false;
};

void Walker::visit(size_t &I) {
  StringRef Arg = Cmd.Args[I];
  if (EndOfOptions || Arg == "-" || !Arg.starts_with("-")) {
    if (!EndOfOptions && Arg.starts_with("@"))
      refuse("response file"); // its contents would be unhashed arguments
    else
      addInput(Arg);
    return;
  }
  if (Arg == "--") {
    EndOfOptions = true;
    hash(Arg);
    return;
  }
  if (Arg == "-c" || Arg == "--compile") {
    SawCompile = true;
    return;
  }
  if (Arg == "-o") {
    if (std::optional<StringRef> Value = takeValue(I))
      ExplicitOutput = Value->str();
    return;
  }
  // -ofile; -objcmt-*, -object and -object-file-name= are other flags.
  if (Arg.starts_with("-o") && !Arg.starts_with("-obj")) {
    ExplicitOutput = Arg.drop_front(2).str();
    return;
  }
  if (visitDepfileFlag(Arg, I))
    return;
  if (Arg.starts_with("-Wp,") && visitPreprocessorPassThrough(Arg))
    return;

  hash(Arg);
  refuse(flags::refusalReason(Arg));
  visitWarningFlag(Arg);

  // -x<lang> joined; an upper-case letter after -x is Intel's -xHost family.
  if (Arg.starts_with("-x") && Arg.size() > 2 && llvm::isLower(Arg[2]))
    Language = Arg.drop_front(2) == "none" ? "" : Arg.drop_front(2).str();

  if (!flags::takesSeparateValue(Arg))
    return;
  std::optional<StringRef> Value = takeValue(I);
  if (!Value)
    return;
  hash(*Value);
  if (Arg == "-x")
    Language = *Value == "none" ? "" : Value->str();
  else if (Arg == "-arch")
    ++ArchCount;
  else if (Arg == "-Xclang")
    refuse(flags::xclangRefusalReason(*Value));
}

/// Handles -MD -MMD -MP and -MF/-MT/-MQ, separate or joined. None of them is
/// hashed: they shape only the depfile, which hotast writes itself.
bool Walker::visitDepfileFlag(StringRef Arg, size_t &I) {
  if (Arg == "-MD" || Arg == "-MMD" || Arg == "-MP") {
    applyDepfileFlag(Arg, "");
    return true;
  }
  for (StringRef Flag : {"-MF", "-MT", "-MQ"}) {
    if (!Arg.starts_with(Flag))
      continue;
    if (Arg.size() > Flag.size()) {
      applyDepfileFlag(Flag, Arg.drop_front(Flag.size()));
    } else if (std::optional<StringRef> Value = takeValue(I)) {
      applyDepfileFlag(Flag, *Value);
    }
    return true;
  }
  return false;
}

void Walker::applyDepfileFlag(StringRef Flag, StringRef Value) {
  DepfileRequest &Dep = Cmd.Depfile;
  if (Flag == "-MD" || Flag == "-MMD") {
    // The last of the two decides, in both drivers.
    Dep.Enabled = true;
    Dep.SystemHeaders = Flag == "-MD";
  } else if (Flag == "-MP") {
    Dep.PhonyTargets = true;
  } else if (Flag == "-MF") {
    DepPathFromMF = Value.str();
  } else if (Flag == "-MT") {
    Dep.Targets.push_back(Value.str());
  } else if (Flag == "-MQ") {
    Dep.Targets.push_back(quoteForMake(Value));
  }
}

/// Handles -Wp,<flags>, which GCC passes to its preprocessor verbatim; build
/// systems (Linux's Kbuild, autotools) spell depfiles -Wp,-MD,<path>.
/// Returns true when the argument held only depfile flags, so is not hashed.
bool Walker::visitPreprocessorPassThrough(StringRef Arg) {
  llvm::SmallVector<StringRef, 4> Parts;
  Arg.drop_front(4).split(Parts, ',');
  bool OnlyDepfileFlags = true;
  for (size_t J = 0; J < Parts.size(); ++J) {
    StringRef Part = Parts[J];
    bool HasValue = J + 1 < Parts.size();
    if ((Part == "-MD" || Part == "-MMD") && HasValue) {
      // The preprocessor's -MD takes the depfile path; ccache, too, lets it
      // win over -MF.
      applyDepfileFlag(Part, "");
      DepPathFromWp = Parts[++J].str();
    } else if ((Part == "-MF" || Part == "-MT" || Part == "-MQ") && HasValue) {
      applyDepfileFlag(Part, Parts[++J]);
    } else if (Part == "-MP") {
      applyDepfileFlag(Part, "");
    } else {
      if (Part == "-M" || Part == "-MM")
        refuse("-M");
      OnlyDepfileFlags = false;
    }
  }
  return OnlyDepfileFlags;
}

/// Tracks whether some warning can become an error. A bare -Wno-error undoes
/// only -Werror: -Werror=<group> and -pedantic-errors survive it.
void Walker::visitWarningFlag(StringRef Arg) {
  if (Arg == "-Werror")
    AllWarningsAreErrors = true;
  else if (Arg == "-Wno-error")
    AllWarningsAreErrors = false;
  else if (Arg.starts_with("-Werror=") || Arg == "-pedantic-errors" ||
           Arg == "--pedantic-errors")
    SomeWarningsAreErrors = true;
}

void Walker::finish() {
  Cmd.WarningsAsErrors = AllWarningsAreErrors || SomeWarningsAreErrors;
  if (ArchCount > 1)
    refuse("several architectures");
  // GCC then writes a depfile the command line does not name, which a hit
  // would not write (clang 19 ignores them; refusing costs it little).
  if (std::getenv("DEPENDENCIES_OUTPUT") || std::getenv("SUNPRO_DEPENDENCIES"))
    refuse("depfile named by the environment");
  if (!SawCompile) {
    IsLink = Reason.empty();
    refuse("linking");
  }
  else if (Inputs.empty())
    refuse("no source");
  else if (Inputs.size() > 1)
    refuse("several sources");

  Cmd.Inputs = Inputs;
  if (!Inputs.empty()) {
    Cmd.Source = Inputs.front();
    if (Cmd.Source == "-")
      refuse("stdin/stdout");
    refuse(flags::refusalReason(InputKinds.front()));
    Cmd.Language = InputKinds.front() == flags::InputKind::C ? SourceLanguage::C
                                                             : SourceLanguage::CXX;
  }

  if (ExplicitOutput) {
    Cmd.Output = *ExplicitOutput;
  } else {
    // Both drivers put the object in the cwd, named after the source.
    llvm::SmallString<64> Name(llvm::sys::path::filename(Cmd.Source));
    llvm::sys::path::replace_extension(Name, "o");
    Cmd.Output = std::string(Name);
  }
  if (Cmd.Output == "-")
    refuse("stdin/stdout");
  // Materializing an object renames a file over the output path; over
  // /dev/null that would replace the device node.
  if (Cmd.Output == "/dev/null")
    refuse("output is /dev/null");

  if (Cmd.Depfile.Enabled) {
    if (DepPathFromWp) {
      Cmd.Depfile.Path = *DepPathFromWp;
    } else if (DepPathFromMF) {
      Cmd.Depfile.Path = *DepPathFromMF;
    } else {
      llvm::SmallString<128> Path(Cmd.Output);
      llvm::sys::path::replace_extension(Path, "d");
      Cmd.Depfile.Path = std::string(Path);
    }
  }
}

} // namespace

Classification classifyCommandLine(llvm::ArrayRef<std::string> Argv) {
  return Walker(Argv).run();
}

std::vector<std::string> expandResponseFiles(llvm::ArrayRef<std::string> Argv) {
  if (llvm::none_of(Argv.drop_front(),
                    [](const std::string &A) { return llvm::StringRef(A).starts_with("@"); }))
    return Argv.vec();
  llvm::BumpPtrAllocator Alloc;
  llvm::SmallVector<const char *, 64> Args;
  for (const std::string &A : Argv)
    Args.push_back(A.c_str());
  llvm::cl::ExpansionContext Expansion(Alloc, llvm::cl::TokenizeGNUCommandLine);
  if (llvm::Error E = Expansion.expandResponseFiles(Args)) {
    llvm::consumeError(std::move(E));
    return Argv.vec();
  }
  return std::vector<std::string>(Args.begin(), Args.end());
}

bool takesSeparateValue(StringRef Flag) { return flags::takesSeparateValue(Flag); }

CompilerFamily compilerFamily(StringRef Compiler) {
  StringRef Name = llvm::sys::path::filename(Compiler);
  Name.consume_back(".exe");
  if (Name.contains("clang"))
    return CompilerFamily::Clang;
  // gcc, g++, gcc-12, x86_64-linux-gnu-g++-12; cc and c++ are GCC on Debian.
  if (Name == "cc" || Name == "c++" || Name == "gcc" || Name == "g++" ||
      Name.starts_with("gcc-") || Name.starts_with("g++-") || Name.contains("-gcc") ||
      Name.contains("-g++"))
    return CompilerFamily::GCC;
  return CompilerFamily::Other;
}

} // namespace hotast
