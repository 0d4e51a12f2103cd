//===- ClangJob.cpp - A compile command as the linked Clang's cc1 job -----===//

#include "ClangJob.h"

#include "Recording.h"

#include "hotast/Compile/Parse.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Driver/Compilation.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/Job.h"
#include "clang/Driver/ToolChain.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Frontend/Utils.h"
#include "llvm/Support/Path.h"
#include "llvm/TargetParser/Host.h"

using namespace clang;

namespace hotast {

std::vector<std::string> foreignParseLine(llvm::ArrayRef<std::string> Argv) {
  std::vector<std::string> Line = {std::string(linkedClangPath())};
  if (!Argv.empty())
    Line.insert(Line.end(), Argv.begin() + 1, Argv.end());
  for (const char *Extra : {"-fsyntax-only", "-Qunused-arguments", "-Wno-unknown-warning-option",
                            "-Wno-ignored-optimization-argument", "-Wunknown-attributes",
                            "-Wignored-attributes", "-Wunknown-pragmas", "-fno-color-diagnostics"})
    Line.push_back(Extra);
  return Line;
}

llvm::Expected<ClangJob> buildClangJob(llvm::ArrayRef<std::string> Argv,
                                       const ClangJobOptions &Opts) {
  if (Argv.empty())
    return failure("empty command line");
  initializeTargets();
  ClangJob Out;
  std::vector<const char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(A.c_str());
  const bool Foreign = !Opts.ModeFrom.empty();
  std::string Real = resolveProgram(Foreign ? linkedClangPath() : llvm::StringRef(Argv[0]));
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts = CreateAndPopulateDiagOpts(Args);
  llvm::raw_string_ostream DriverText(Out.DriverText);
  DiagnosticConsumer *Client = Opts.Diagnostics;
  if (!Client) {
    auto *Printer = new TextDiagnosticPrinter(DriverText, &*DiagOpts);
    // clang's driver prefixes its own messages with the program name.
    Printer->setPrefix(std::string(llvm::sys::path::stem(Argv[0])));
    Client = Printer;
  }
  DiagnosticsEngine DriverDiags(new DiagnosticIDs, &*DiagOpts, Client,
                                /*ShouldOwnClient=*/!Opts.Diagnostics);
  driver::Driver TheDriver(Real, llvm::sys::getDefaultTargetTriple(), DriverDiags);
  TheDriver.setTargetAndMode(driver::ToolChain::getTargetAndModeFromProgramName(
      Foreign ? llvm::StringRef(Opts.ModeFrom) : llvm::StringRef(Argv[0])));
  std::unique_ptr<driver::Compilation> C(TheDriver.BuildCompilation(Args));
  if (!C || C->containsError() || (Opts.Diagnostics && Opts.Diagnostics->getNumErrors())) {
    Out.Failed = true;
    return Out;
  }
  const driver::JobList &Jobs = C->getJobs();
  if (Jobs.size() != 1 || !isa<driver::Command>(*Jobs.begin())) {
    Out.NotOneJob = "the driver plans several jobs";
    return Out;
  }
  const llvm::opt::ArgStringList &CC1 = cast<driver::Command>(*Jobs.begin()).getArguments();
  if (CC1.empty() || llvm::StringRef(CC1.front()) != "-cc1")
    return failure("the driver's job is not a cc1 compile");
  Out.CC1.assign(CC1.begin(), CC1.end());
  Out.Invocation = std::make_shared<CompilerInvocation>();
  if (!CompilerInvocation::CreateFromArgs(*Out.Invocation, CC1, DriverDiags, Real.c_str())) {
    Out.Failed = true;
    Out.Invocation.reset();
    return Out;
  }
  Out.ConfigFiles.assign(TheDriver.getConfigFiles().begin(), TheDriver.getConfigFiles().end());
  return Out;
}

} // namespace hotast
