//===- InProcess.cpp - Compiling with the linked Clang in-process ---------===//

#include "hotast/Compile/InProcess.h"

#include "CutoffConsumer.h"
#include "Recording.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/CodeGen/CodeGenAction.h"
#include "clang/Driver/Compilation.h"
#include "clang/Driver/Driver.h"
#include "clang/Driver/Job.h"
#include "clang/Driver/ToolChain.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Frontend/Utils.h"
#include "hotast/Compile/Parse.h"
#include "llvm/Support/Path.h"
#include "llvm/TargetParser/Host.h"

using namespace clang;

namespace hotast {
namespace {

/// stderr, kept as well: a direct hit replays exactly what the compile printed.
class TeeStream : public llvm::raw_ostream {
public:
  explicit TeeStream(std::string &Copy) : Copy(Copy) { SetUnbuffered(); }
  bool has_colors() const override { return llvm::errs().has_colors(); }

private:
  void write_impl(const char *Ptr, size_t Size) override {
    llvm::errs().write(Ptr, Size);
    Copy.append(Ptr, Size);
  }
  uint64_t current_pos() const override { return Copy.size(); }
  std::string &Copy;
};

class CutoffAction : public EmitObjAction {
public:
  CutoffAction(const Hash128 &Salt, ReuseQuery Reuse, CompileOutcome &Out)
      : Recorder(Salt, Out, /*RecordSkipped=*/false), Reuse(Reuse), Out(Out) {}

  unsigned DiagsBefore = ~0u;

protected:
  bool BeginSourceFileAction(CompilerInstance &CI) override {
    Recorder.attach(CI);
    return EmitObjAction::BeginSourceFileAction(CI);
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef InFile) override {
    std::unique_ptr<ASTConsumer> Inner = EmitObjAction::CreateASTConsumer(CI, InFile);
    if (!Inner)
      return nullptr;
    return std::make_unique<CutoffConsumer>(std::move(Inner),
                                              [this, &CI](ASTContext &Ctx) { return decide(Ctx, CI); });
  }

private:
  bool decide(ASTContext &Ctx, CompilerInstance &CI) {
    if (!Recorder.fingerprint(Ctx, CI))
      return false; // code generation reports nothing more; clang fails as usual
    if (Reuse(*Out.Fingerprint)) {
      Out.Reused = true;
      return true;
    }
    DiagnosticsEngine &Diags = CI.getDiagnostics();
    DiagsBefore = Diags.getNumWarnings() + Diags.getClient()->getNumErrors();
    return false;
  }

  FingerprintRecorder Recorder;
  ReuseQuery Reuse;
  CompileOutcome &Out;
};

} // namespace

bool isLinkedClang(llvm::StringRef Compiler) {
  return resolveProgram(Compiler) == resolveProgram(linkedClangPath());
}

llvm::Expected<CompileOutcome> compileInProcess(llvm::ArrayRef<std::string> Argv,
                                                const Hash128 &Salt, ReuseQuery Reuse) {
  if (Argv.empty())
    return failure("empty command line");
  initializeTargets();
  CompileOutcome Out;
  TeeStream Errs(Out.Stderr);

  std::vector<const char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(A.c_str());
  // The driver as the real binary sees itself: its real path decides the
  // resource and GCC installation directories (CLANG-NOTES.md).
  std::string Real = resolveProgram(Argv[0]);
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts = CreateAndPopulateDiagOpts(Args);
  auto *DriverClient = new TextDiagnosticPrinter(Errs, &*DiagOpts);
  // clang's driver prefixes its own messages with the program name.
  DriverClient->setPrefix(std::string(llvm::sys::path::stem(Argv[0])));
  DiagnosticsEngine DriverDiags(new DiagnosticIDs, &*DiagOpts, DriverClient);
  driver::Driver TheDriver(Real, llvm::sys::getDefaultTargetTriple(), DriverDiags);
  TheDriver.setTargetAndMode(driver::ToolChain::getTargetAndModeFromProgramName(Argv[0]));
  std::unique_ptr<driver::Compilation> C(TheDriver.BuildCompilation(Args));
  if (!C || C->containsError()) {
    Out.ExitCode = 1;
    return Out; // the driver printed why; clang would fail the same way
  }
  const driver::JobList &Jobs = C->getJobs();
  if (Jobs.size() != 1 || !isa<driver::Command>(*Jobs.begin()))
    return failure("the driver planned more than one job");
  const driver::Command &Job = cast<driver::Command>(*Jobs.begin());
  const llvm::opt::ArgStringList &CC1 = Job.getArguments();
  if (CC1.empty() || llvm::StringRef(CC1.front()) != "-cc1")
    return failure("the driver's job is not a cc1 compile");

  auto CI = std::make_unique<CompilerInstance>();
  if (!CompilerInvocation::CreateFromArgs(CI->getInvocation(), CC1, DriverDiags, Real.c_str())) {
    Out.ExitCode = 1;
    return Out;
  }
  CI->createDiagnostics(new TextDiagnosticPrinter(Errs, &CI->getDiagnosticOpts()),
                        /*ShouldOwnClient=*/true);
  if (!CI->hasDiagnostics())
    return failure("cannot create diagnostics");
  // "N warnings generated." goes to the verbose stream: keep it with the rest.
  CI->setVerboseOutputStream(Errs);

  CutoffAction Action(Salt, Reuse, Out);
  bool Success = CI->ExecuteAction(Action);
  DiagnosticsEngine &Diags = CI->getDiagnostics();
  if (!Out.Reused && Action.DiagsBefore != ~0u)
    Out.BackendDiagnostics =
        Diags.getNumWarnings() + Diags.getClient()->getNumErrors() != Action.DiagsBefore;
  Out.ExitCode = Success && !Diags.hasErrorOccurred() ? 0 : 1;
  return Out;
}

} // namespace hotast
