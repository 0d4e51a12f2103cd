//===- OtherCompiler.cpp - Parsing a command meant for another compiler ---===//
//
// For gcc, g++ and compilers other than the linked Clang, hotast parses the
// same command with its Clang, in that compiler's driver mode, quietly, for
// the fingerprint; the real compiler runs only on a miss.
//
//===----------------------------------------------------------------------===//

#include "hotast/Compile/InProcess.h"

#include "ClangJob.h"
#include "MissedLookups.h"
#include "Recording.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticIDs.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "hotast/Compile/Parse.h"

using namespace clang;

namespace hotast {
namespace {

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

} // namespace

llvm::Expected<ForeignParse>
parseForOtherCompiler(llvm::ArrayRef<std::string> Argv, const Hash128 &Salt,
                      const OptionPolicy &Policy,
                      llvm::ArrayRef<std::pair<std::string, std::string>> Contents,
                      llvm::ArrayRef<LiteralEdit> Literals) {
  if (Argv.empty())
    return failure("empty command line");
  ForeignParse Out;
  // The same command, parsed by the linked Clang in the compiler's driver
  // mode (g++ means C++).
  std::vector<std::string> Line = foreignParseLine(Argv);
  SilentDiagnostics Silent;
  ClangJobOptions Opts;
  Opts.Diagnostics = &Silent;
  Opts.ModeFrom = Argv[0];
  auto Job = buildClangJob(Line, Opts);
  if (!Job)
    return Job.takeError();
  if (Job->Failed || !Job->NotOneJob.empty() || Silent.getNumErrors())
    return Out; // Clang cannot take this command; no fingerprint
  // A file that is there is remapped (the file manager knows it by its
  // identity, under any name); one removed since is put back, in memory,
  // where include lookup finds it.
  llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> Removed;
  for (const auto &[Path, Text] : Contents) {
    if (llvm::sys::fs::exists(Path)) {
      Job->Invocation->getPreprocessorOpts().addRemappedFile(
          Path, llvm::MemoryBuffer::getMemBufferCopy(Text, Path).release());
      continue;
    }
    llvm::SmallString<256> Abs(Path);
    llvm::sys::fs::make_absolute(Abs);
    if (!Removed)
      Removed = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    Removed->addFile(Abs, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Abs));
  }
  Job->Invocation->getPreprocessorOpts().RetainRemappedFileBuffers = false;
  Out.ResourceDir = Job->Invocation->getHeaderSearchOpts().ResourceDir;
  auto CI = std::make_unique<CompilerInstance>();
  CI->setInvocation(Job->Invocation);
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Files = llvm::vfs::getRealFileSystem();
  if (Removed) {
    auto Overlay =
        llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(llvm::vfs::getRealFileSystem());
    if (auto Cwd = llvm::vfs::getRealFileSystem()->getCurrentWorkingDirectory())
      Removed->setCurrentWorkingDirectory(*Cwd);
    Overlay->pushOverlay(Removed);
    Files = Overlay;
  }
  // The lookups that found nothing recorded (MissedLookups.h).
  CI->createFileManager(llvm::makeIntrusiveRefCnt<MissRecordingFS>(Files));
  CI->createDiagnostics(&Silent, /*ShouldOwnClient=*/false);
  CI->setVerboseOutputStream(llvm::nulls()); // the compiler speaks for itself
  FingerprintOnlyAction Action(Salt, Out.Outcome, /*RecordSkipped=*/true, Policy.Locations);
  Action.recorder().withCodeLines();
  if (Policy.KeepsUnreferencedStatics)
    Action.recorder().everyInternalDefinition();
  Action.recorder().checkLiterals(Literals);
  CI->ExecuteAction(Action);
  Out.Outcome.ExitCode = Silent.getNumErrors() ? 1 : 0;
  if (Silent.getNumErrors())
    Out.Outcome.Fingerprint.reset();
  Out.DroppedConstructs = Silent.SawIgnoredConstruct;
  Out.SkippedInclude = Action.skippedInclude();
  Out.SkippedAsmFile = Action.skippedAsmFile();
  Out.ProbedFiles = Action.probedFiles();
  return Out;
}

} // namespace hotast
