//===- InProcess.cpp - Compiling with the linked Clang in-process ---------===//

#include "hotast/Compile/InProcess.h"

#include "DeferredConsumer.h"

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
#include "clang/Lex/Lexer.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "hotast/Compile/Parse.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
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

/// What the fingerprint needs from the preprocessor: pragma text (pragmas
/// act on code in ways the AST does not always show, #pragma weak aliases),
/// and, when another compiler will compile the code, the text of every
/// region skipped by #if (that compiler may take a branch Clang skipped).
class PreprocessorRecorder : public PPCallbacks {
public:
  PreprocessorRecorder(const SourceManager &SM, Hasher &H, bool RecordSkipped)
      : SM(SM), H(H), RecordSkipped(RecordSkipped) {}
  void PragmaDirective(SourceLocation Loc, PragmaIntroducerKind) override {
    const char *Text = SM.getCharacterData(SM.getSpellingLoc(Loc));
    H.add(llvm::StringRef(Text, strcspn(Text, "\n")).take_front(4096));
  }
  void SourceRangeSkipped(SourceRange Range, SourceLocation EndifLoc) override {
    if (!RecordSkipped)
      return;
    bool Invalid = false;
    llvm::StringRef Text = Lexer::getSourceText(CharSourceRange::getCharRange(Range), SM,
                                                LangOptions(), &Invalid);
    H.add("skipped").add(Invalid ? llvm::StringRef() : Text);
    // A file only the other compiler includes is neither parsed nor hashed
    // here. (System headers' branches include files of the same
    // installation, which changes only with the compiler.)
    if (!SM.isInSystemHeader(Range.getBegin()) && hasIncludeDirective(Text))
      SkippedInclude = true;
  }

  bool SkippedInclude = false;

private:
  static bool hasIncludeDirective(llvm::StringRef Text) {
    for (size_t Hash = Text.find('#'); Hash != llvm::StringRef::npos;
         Hash = Text.find('#', Hash + 1)) {
      llvm::StringRef Rest = Text.substr(Hash + 1).ltrim(" \t");
      if (Rest.starts_with("include") || Rest.starts_with("import"))
        return true;
    }
    return false;
  }

  const SourceManager &SM;
  Hasher &H;
  bool RecordSkipped;
};

/// The shared part of compiling and of parsing for another compiler:
/// preprocessor recording, the inputs, the fingerprint.
class FingerprintRecorder {
public:
  FingerprintRecorder(const Hash128 &Salt, CompileOutcome &Out, bool RecordSkipped)
      : Salt(Salt), Out(Out), RecordSkipped(RecordSkipped) {}

  void attach(CompilerInstance &CI) {
    auto Callbacks =
        std::make_unique<PreprocessorRecorder>(CI.getSourceManager(), Preprocessed, RecordSkipped);
    Recorder = Callbacks.get();
    CI.getPreprocessor().addPPCallbacks(std::move(Callbacks));
  }

  /// A region Clang skipped includes a file (see PreprocessorRecorder).
  bool skippedInclude() const { return Recorder && Recorder->SkippedInclude; }

  /// Computes Out.Fingerprint unless the parse had errors.
  bool fingerprint(ASTContext &Ctx, CompilerInstance &CI) {
    collectInputs(Ctx.getSourceManager());
    if (CI.getDiagnostics().hasErrorOccurred())
      return false;
    FingerprintOptions Opts;
    Opts.DebugInfo = CI.getCodeGenOpts().getDebugInfo() != llvm::codegenoptions::NoDebugInfo;
    Hasher SaltH;
    SaltH.add(Salt).add(Preprocessed.final());
    // DWARF 5 line tables carry an MD5 of each source file they name, and
    // -gembed-source the whole text: then any byte of any file may reach the
    // object, comments included.
    const CodeGenOptions &CG = CI.getCodeGenOpts();
    if (Opts.DebugInfo && (CG.DwarfVersion >= 5 || CG.EmbedSource)) {
      const SourceManager &SM = Ctx.getSourceManager();
      for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It) {
        std::optional<llvm::MemoryBufferRef> Buf = It->second->getBufferIfLoaded();
        SaltH.add(It->first.getName()).add(Buf ? hashBytes(Buf->getBuffer()) : Hash128());
      }
    }
    Opts.Salt = SaltH.final();
    Out.Fingerprint = computeFingerprint(Ctx, Opts);
    return true;
  }

private:
  void collectInputs(const SourceManager &SM) {
    std::string Main;
    if (OptionalFileEntryRef M = SM.getFileEntryRefForID(SM.getMainFileID()))
      Main = std::string(M->getName());
    std::vector<std::string> Others;
    for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It)
      if (It->first.getName() != Main)
        Others.push_back(std::string(It->first.getName()));
    llvm::sort(Others);
    Others.erase(std::unique(Others.begin(), Others.end()), Others.end());
    Out.InputFiles.clear();
    if (!Main.empty())
      Out.InputFiles.push_back(Main);
    Out.InputFiles.insert(Out.InputFiles.end(), Others.begin(), Others.end());
  }

  Hash128 Salt;
  CompileOutcome &Out;
  bool RecordSkipped;
  Hasher Preprocessed;
  PreprocessorRecorder *Recorder = nullptr; // owned by the preprocessor
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
    return std::make_unique<DeferredConsumer>(std::move(Inner),
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

/// Parses for another compiler: syntax only, fingerprint at the end.
class ForeignParseAction : public ASTFrontendAction {
public:
  ForeignParseAction(const Hash128 &Salt, CompileOutcome &Out)
      : Recorder(Salt, Out, /*RecordSkipped=*/true) {}

  bool skippedInclude() const { return Recorder.skippedInclude(); }

protected:
  bool BeginSourceFileAction(CompilerInstance &CI) override {
    Recorder.attach(CI);
    return true;
  }
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    struct Consumer : ASTConsumer {
      Consumer(FingerprintRecorder &R, CompilerInstance &CI) : R(R), CI(CI) {}
      void HandleTranslationUnit(ASTContext &Ctx) override { R.fingerprint(Ctx, CI); }
      FingerprintRecorder &R;
      CompilerInstance &CI;
    };
    return std::make_unique<Consumer>(Recorder, CI);
  }

private:
  FingerprintRecorder Recorder;
};

/// Counts diagnostics without printing them, and notes those that mean Clang
/// dropped something another compiler would act on.
class SilentDiagnostics : public DiagnosticConsumer {
public:
  bool SawIgnoredConstruct = false;
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    llvm::StringRef Group = DiagnosticIDs::getWarningOptionForDiag(Info.getID());
    if (Group == "unknown-attributes" || Group == "ignored-attributes" ||
        Group == "unknown-pragmas" || Group == "ignored-pragmas")
      SawIgnoredConstruct = true;
  }
};

std::string resolveProgram(llvm::StringRef Compiler) {
  std::string Path(Compiler);
  if (!Compiler.contains('/'))
    if (llvm::ErrorOr<std::string> Found = llvm::sys::findProgramByName(Compiler))
      Path = *Found;
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return Path;
  return std::string(Real);
}

void initializeTargets() {
  static bool Done = [] {
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)Done;
}

llvm::Error failure(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

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

llvm::Expected<ForeignParse> parseForOtherCompiler(llvm::ArrayRef<std::string> Argv,
                                                   const Hash128 &Salt) {
  if (Argv.empty())
    return failure("empty command line");
  ForeignParse Out;
  // The same command, parsed by the linked Clang in the compiler's driver
  // mode (g++ means C++), syntax only, quiet about flags it does not know,
  // loud (to us) about attributes and pragmas it would drop.
  std::vector<std::string> Line = {std::string(linkedClangPath())};
  Line.insert(Line.end(), Argv.begin() + 1, Argv.end());
  for (const char *Extra : {"-fsyntax-only", "-Qunused-arguments", "-Wno-unknown-warning-option",
                            "-Wno-ignored-optimization-argument", "-Wunknown-attributes",
                            "-Wignored-attributes", "-Wunknown-pragmas", "-fno-color-diagnostics"})
    Line.push_back(Extra);
  std::vector<const char *> Args;
  for (const std::string &A : Line)
    Args.push_back(A.c_str());

  SilentDiagnostics Silent;
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts = new DiagnosticOptions();
  DiagnosticsEngine DriverDiags(new DiagnosticIDs, &*DiagOpts, &Silent, /*ShouldOwnClient=*/false);
  driver::Driver TheDriver(resolveProgram(linkedClangPath()), llvm::sys::getDefaultTargetTriple(),
                           DriverDiags);
  TheDriver.setTargetAndMode(driver::ToolChain::getTargetAndModeFromProgramName(Argv[0]));
  std::unique_ptr<driver::Compilation> C(TheDriver.BuildCompilation(Args));
  if (!C || C->containsError() || Silent.getNumErrors())
    return Out; // Clang cannot take this command; no fingerprint
  const driver::JobList &Jobs = C->getJobs();
  if (Jobs.size() != 1 || !isa<driver::Command>(*Jobs.begin()))
    return Out;
  const llvm::opt::ArgStringList &CC1 = cast<driver::Command>(*Jobs.begin()).getArguments();
  auto CI = std::make_unique<CompilerInstance>();
  if (!CompilerInvocation::CreateFromArgs(CI->getInvocation(), CC1, DriverDiags))
    return Out;
  CI->createDiagnostics(&Silent, /*ShouldOwnClient=*/false);
  CI->setVerboseOutputStream(llvm::nulls()); // the compiler speaks for itself
  ForeignParseAction Action(Salt, Out.Outcome);
  CI->ExecuteAction(Action);
  Out.Outcome.ExitCode = Silent.getNumErrors() ? 1 : 0;
  if (Silent.getNumErrors())
    Out.Outcome.Fingerprint.reset();
  Out.DroppedConstructs = Silent.SawIgnoredConstruct;
  Out.SkippedInclude = Action.skippedInclude();
  return Out;
}

} // namespace hotast
