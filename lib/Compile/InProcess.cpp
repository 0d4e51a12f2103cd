//===- InProcess.cpp - Compiling with the linked Clang in-process ---------===//

#include "hotast/Compile/InProcess.h"

#include "ClangJob.h"
#include "CutoffConsumer.h"
#include "DebugChecksums.h"
#include "MissedLookups.h"
#include "Recording.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/CodeGen/BackendUtil.h"
#include "clang/CodeGen/CodeGenAction.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "hotast/Compile/Parse.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"

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

/// Prints diagnostics as clang does and counts every one (notes and remarks
/// included).
class CountingPrinter : public TextDiagnosticPrinter {
public:
  using TextDiagnosticPrinter::TextDiagnosticPrinter;
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    ++Printed;
    TextDiagnosticPrinter::HandleDiagnostic(Level, Info);
  }
  unsigned Printed = 0;
};

/// What a parse prints, held until it is known whether the parse is the
/// compile's answer (a hit) or is to be forgotten (a miss compiles again).
class HeldStream : public llvm::raw_ostream {
public:
  HeldStream() { SetUnbuffered(); }
  bool has_colors() const override { return llvm::errs().has_colors(); }
  std::string Text;

private:
  void write_impl(const char *Ptr, size_t Size) override { Text.append(Ptr, Size); }
  uint64_t current_pos() const override { return Text.size(); }
};

/// Clang's code generation action for the job (an object, or LLVM bitcode
/// for LTO), with the fingerprint decided at the end of the parse.
class CutoffAction : public CodeGenAction {
public:
  CutoffAction(BackendAction Act, const Hash128 &Salt, const OptionPolicy &Policy,
               ReuseQuery Reuse, CompileOutcome &Out, const CountingPrinter &Printer)
      : CodeGenAction(Act),
        Recorder(Salt, Out, /*RecordSkipped=*/false, Policy.Locations, Policy.IRMetadata),
        Reuse(Reuse), Out(Out), Printer(Printer) {
    Recorder.withCodeLines();
  }

  /// Code generation printed something (during the parse, or after it).
  bool codeGenPrinted() const {
    return CodeGenPrintedDuringParse ||
           (PrintedAtDecision && Printer.Printed != *PrintedAtDecision);
  }

protected:
  bool BeginSourceFileAction(CompilerInstance &CI) override {
    Recorder.attach(CI);
    return CodeGenAction::BeginSourceFileAction(CI);
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef InFile) override {
    std::unique_ptr<ASTConsumer> CodeGen = CodeGenAction::CreateASTConsumer(CI, InFile);
    if (!CodeGen)
      return nullptr;
    std::vector<std::unique_ptr<ASTConsumer>> Inner;
    Inner.push_back(Recorder.eventRecorder());
    Inner.push_back(std::move(CodeGen));
    return std::make_unique<CutoffConsumer>(
        std::make_unique<MultiplexConsumer>(std::move(Inner)), [this, &CI](ASTContext &Ctx) { return decide(Ctx, CI); },
        [this] { return Printer.Printed; }, CodeGenPrintedDuringParse);
  }

private:
  bool decide(ASTContext &Ctx, CompilerInstance &CI) {
    if (!Recorder.fingerprint(Ctx, CI))
      return false; // code generation reports nothing more; clang fails as usual
    if (Reuse(*Out.Fingerprint)) {
      Out.Reused = true;
      return true;
    }
    PrintedAtDecision = Printer.Printed;
    return false;
  }

  FingerprintRecorder Recorder;
  ReuseQuery Reuse;
  CompileOutcome &Out;
  const CountingPrinter &Printer;
  bool CodeGenPrintedDuringParse = false;
  std::optional<unsigned> PrintedAtDecision;
};

/// A compiler instance for the driver's cc1 job, printing to Stream.
std::unique_ptr<CompilerInstance> makeInstance(const CompilerInvocation &Invocation,
                                               llvm::raw_ostream &Stream,
                                               CountingPrinter *&Printer) {
  auto CI = std::make_unique<CompilerInstance>();
  CI->setInvocation(std::make_shared<CompilerInvocation>(Invocation));
  Printer = new CountingPrinter(Stream, &CI->getDiagnosticOpts());
  CI->createDiagnostics(Printer, /*ShouldOwnClient=*/true);
  if (!CI->hasDiagnostics())
    return nullptr;
  // The file system the invocation asks for, with the lookups that found
  // nothing recorded (MissedLookups.h).
  CI->createFileManager(llvm::makeIntrusiveRefCnt<MissRecordingFS>(
      createVFSFromCompilerInvocation(CI->getInvocation(), CI->getDiagnostics())));
  // "N warnings generated." goes to the verbose stream: keep it with the rest.
  CI->setVerboseOutputStream(Stream);
  return CI;
}

/// Parses without code generation. True, with Out filled and what the parse
/// printed passed on to Errs, when Reuse takes its fingerprint; false, having
/// printed nothing, otherwise.
bool parseFirst(const CompilerInvocation &Invocation, const Hash128 &Salt,
                const OptionPolicy &Policy, ReuseQuery Reuse, llvm::raw_ostream &Errs,
                CompileOutcome &Out) {
  Out.ParsedFirst = true;
  HeldStream Held;
  CountingPrinter *Printer = nullptr;
  std::unique_ptr<CompilerInstance> CI = makeInstance(Invocation, Held, Printer);
  if (!CI)
    return false;
  CompileOutcome Parsed;
  FingerprintOnlyAction Action(Salt, Parsed, /*RecordSkipped=*/false, Policy.Locations,
                               Policy.IRMetadata);
  Action.recorder().withCodeLines();
  bool Executed = CI->ExecuteAction(Action);
  Out.FingerprintMs += Parsed.FingerprintMs;
  Out.CodeLinesMs += Parsed.CodeLinesMs;
  if (!Executed || CI->getDiagnostics().hasErrorOccurred() || !Parsed.Fingerprint ||
      !Reuse(*Parsed.Fingerprint))
    return false;
  Errs << Held.Text;
  Out.ExitCode = 0;
  Out.Reused = true;
  Out.Fingerprint = std::move(Parsed.Fingerprint);
  Out.InputFiles = std::move(Parsed.InputFiles);
  Out.MissedDirs = std::move(Parsed.MissedDirs);
  Out.CodeLines = std::move(Parsed.CodeLines);
  Out.CodeFixedLines = std::move(Parsed.CodeFixedLines);
  Out.CodeLeftOut = std::move(Parsed.CodeLeftOut);
  Out.SourceKeyLines = Parsed.SourceKeyLines;
  Out.UnitNames = std::move(Parsed.UnitNames);
  Out.FileNames = std::move(Parsed.FileNames);
  Out.UsesClock = Parsed.UsesClock;
  Out.UsesFilePath = Parsed.UsesFilePath;
  Out.ReloadRecords = std::move(Parsed.ReloadRecords);
  return true;
}

/// The files the options name are inputs too: direct mode checks them.
void addPolicyInputs(const OptionPolicy &Policy, CompileOutcome &Out) {
  for (const std::string &F : Policy.InputFiles)
    if (!llvm::is_contained(Out.InputFiles, F))
      Out.InputFiles.push_back(F);
}

/// How Invocation treats the paths that reach its object. The debug prefix
/// maps are tried last first (CGDebugInfo::remapDIPath), the macro prefix
/// maps in their map's order (LangOptions::remapPathPrefix); the first that
/// begins a path rewrites it. test/remote/prefix-maps.test shows both.
PathReach pathReach(const CompilerInvocation &Invocation, const OptionPolicy &Policy,
                    llvm::StringRef Cwd) {
  PathReach R;
  R.Known = true;
  R.BeyondDebugInfo = Policy.BeyondDebugInfo;
  R.Bitcode = Invocation.getFrontendOpts().ProgramAction == clang::frontend::EmitBC;
  const clang::CodeGenOptions &CG = Invocation.getCodeGenOpts();
  R.CompilationDir = CG.DebugCompilationDir.empty() ? Cwd.str() : CG.DebugCompilationDir;
  for (const auto &Rule : llvm::reverse(CG.DebugPrefixMap))
    R.DebugMap.push_back(Rule);
  for (const auto &Rule : Invocation.getLangOpts().MacroPrefixMap)
    R.MacroMap.push_back(Rule);
  return R;
}

/// Applies the job's -mllvm options to LLVM's global options, as clang's
/// cc1 does before it runs the action. Once per process: both actions of a
/// compile carry the same options. False, with LLVM's message in Error,
/// when LLVM rejects them (the real compiler then says so itself).
bool applyLLVMArgs(const std::vector<std::string> &LLVMArgs, std::string &Error) {
  static std::optional<std::vector<std::string>> Applied;
  if (LLVMArgs.empty() || (Applied && *Applied == LLVMArgs))
    return true;
  if (Applied) {
    Error = "a second set of -mllvm options in one process";
    return false;
  }
  Applied = LLVMArgs;
  std::vector<const char *> Argv = {"clang (LLVM option parsing)"};
  for (const std::string &A : LLVMArgs)
    Argv.push_back(A.c_str());
  Argv.push_back(nullptr);
  llvm::raw_string_ostream Errs(Error);
  return llvm::cl::ParseCommandLineOptions(int(Argv.size() - 1), Argv.data(), "", &Errs);
}

} // namespace

bool isLinkedClang(llvm::StringRef Compiler) {
  return resolveProgram(Compiler) == resolveProgram(linkedClangPath());
}

namespace {

/// The driver's job for Argv and what the option policy makes of it, as
/// both entry points below need it. When the outcome is already decided
/// (the driver failed, more than one job, options that forbid caching),
/// Out holds it and Job is empty.
struct PreparedJob {
  std::optional<ClangJob> Job;
  OptionPolicy Policy;
  Hash128 FullSalt;
};

llvm::Expected<PreparedJob> prepareJob(llvm::ArrayRef<std::string> Argv, const Hash128 &Salt,
                                       CompileOutcome &Out, llvm::raw_ostream &Errs,
                                       bool ApplyLLVMArgs) {
  PreparedJob P;
  auto Job = buildClangJob(Argv);
  if (!Job)
    return Job.takeError();
  // What the driver says is held until hotast knows it compiles in-process:
  // otherwise the real compiler runs and says it itself.
  if (Job->Failed) {
    Errs << Job->DriverText;
    Out.ExitCode = 1;
    return P; // the driver printed why; clang would fail the same way
  }
  if (!Job->NotOneJob.empty()) {
    Out.NotCached = Job->NotOneJob;
    return P;
  }
  const CompilerInvocation &Invocation = *Job->Invocation;
  std::vector<const char *> CC1;
  for (const std::string &A : llvm::ArrayRef(Job->CC1).drop_front())
    CC1.push_back(A.c_str());
  P.Policy = classifyClangJob(CC1, Invocation, Job->ConfigFiles);
  Out.UnknownOptions = P.Policy.Unknown;
  if (!P.Policy.Refusal.empty()) {
    Out.NotCached = P.Policy.Refusal;
    return P;
  }
  std::string LLVMError;
  if (ApplyLLVMArgs && !applyLLVMArgs(Invocation.getFrontendOpts().LLVMArgs, LLVMError))
    return failure("-mllvm: " + LLVMError);
  Errs << Job->DriverText;
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  P.FullSalt = saltWithPolicy(Salt, P.Policy, Cwd);
  Out.UsesWorkingDir = P.Policy.Locations != LocationUse::None;
  Out.Reach = pathReach(Invocation, P.Policy, Cwd);
  P.Job = std::move(*Job);
  return P;
}

} // namespace

llvm::Expected<CompileOutcome> fingerprintInProcess(llvm::ArrayRef<std::string> Argv,
                                                    const Hash128 &Salt,
                                                    const ParseOverrides &Overrides) {
  CompileOutcome Out;
  llvm::raw_string_ostream Errs(Out.Stderr);
  auto P = prepareJob(Argv, Salt, Out, Errs, /*ApplyLLVMArgs=*/false);
  if (!P)
    return P.takeError();
  if (!P->Job)
    return Out;
  // The parse writes nothing: no depfile, no list of headers.
  CompilerInvocation Invocation(*P->Job->Invocation);
  Invocation.getDependencyOutputOpts().OutputFile.clear();
  Invocation.getDependencyOutputOpts().HeaderIncludeOutputFile.clear();
  Invocation.getDependencyOutputOpts().DOTOutputFile.clear();
  Invocation.getDependencyOutputOpts().ModuleDependencyOutputDir.clear();
  for (const auto &[Path, Text] : Overrides.Contents)
    Invocation.getPreprocessorOpts().addRemappedFile(
        Path, llvm::MemoryBuffer::getMemBufferCopy(Text, Path).release());
  Invocation.getPreprocessorOpts().RetainRemappedFileBuffers = false;
  CountingPrinter *Printer = nullptr;
  std::unique_ptr<CompilerInstance> CI = makeInstance(Invocation, Errs, Printer);
  if (!CI)
    return failure("cannot create diagnostics");
  CompileOutcome Parsed;
  FingerprintOnlyAction Action(P->FullSalt, Parsed, /*RecordSkipped=*/false,
                               P->Policy.Locations, P->Policy.IRMetadata);
  Action.recorder().summarize(Overrides.SummaryFiles);
  bool Success = CI->ExecuteAction(Action);
  Out.ExitCode = Success && !CI->getDiagnostics().hasErrorOccurred() ? 0 : 1;
  if (Out.ExitCode == 0)
    Out.Fingerprint = std::move(Parsed.Fingerprint);
  Out.SummaryDirectives = std::move(Parsed.SummaryDirectives);
  Out.InputFiles = std::move(Parsed.InputFiles);
  Out.MissedDirs = std::move(Parsed.MissedDirs);
  Out.UsesClock = Parsed.UsesClock;
  Out.UsesFilePath = Parsed.UsesFilePath;
  addPolicyInputs(P->Policy, Out);
  return Out;
}

llvm::Expected<CompileOutcome> compileInProcess(llvm::ArrayRef<std::string> Argv,
                                                const Hash128 &Salt, ReuseQuery Reuse,
                                                ParseFirst First) {
  CompileOutcome Out;
  TeeStream Errs(Out.Stderr);
  auto P = prepareJob(Argv, Salt, Out, Errs, /*ApplyLLVMArgs=*/true);
  if (!P)
    return P.takeError();
  if (!P->Job)
    return Out;
  const CompilerInvocation &Invocation = *P->Job->Invocation;
  const OptionPolicy &Policy = P->Policy;
  const Hash128 &FullSalt = P->FullSalt;

  // When every file's bytes are in the fingerprint, the changed file that
  // brought the compile here makes it a miss: no parse first; nor, when
  // locations reach the object (or raw offsets its bitcode: IRMetadata),
  // for tokens that moved in their lines.
  bool Alone = (First == ParseFirst::Likely && Policy.Locations != LocationUse::Bytes) ||
               (First == ParseFirst::UnlessLocations && Policy.Locations == LocationUse::None &&
                !Policy.IRMetadata);
  if (Alone && parseFirst(Invocation, FullSalt, Policy, Reuse, Errs, Out)) {
    addPolicyInputs(Policy, Out);
    return Out;
  }

  CountingPrinter *Printer = nullptr;
  std::unique_ptr<CompilerInstance> CI = makeInstance(Invocation, Errs, Printer);
  if (!CI)
    return failure("cannot create diagnostics");
  BackendAction Act = Invocation.getFrontendOpts().ProgramAction == frontend::EmitBC
                          ? Backend_EmitBC
                          : Backend_EmitObj;
  CutoffAction Action(Act, FullSalt, Policy, Reuse, Out, *Printer);
  bool Success = CI->ExecuteAction(Action);
  if (!Out.Reused)
    Out.BackendDiagnostics = Action.codeGenPrinted();
  Out.ExitCode = Success && !CI->getDiagnostics().hasErrorOccurred() ? 0 : 1;
  if (!Out.Reused && Out.ExitCode == 0 && Out.Fingerprint && Out.Fingerprint->WithoutFileBytes) {
    auto Files = checksummedFiles(CI->getSourceManager(), Invocation.getFrontendOpts().OutputFile);
    if (Files)
      Out.ChecksummedFiles = std::move(*Files);
    else
      Out.DebugFilesUnknown = llvm::toString(Files.takeError());
  }
  addPolicyInputs(Policy, Out);
  return Out;
}

} // namespace hotast
