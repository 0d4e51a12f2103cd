//===- Parse.cpp - Parsing a source with the linked Clang -----------------===//

#include "hotast/Compile/Parse.h"

#include "hotast/Analysis/Analyzer.h"
#include "hotast/Analysis/Fingerprint.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Frontend/Utils.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <chrono>

using namespace clang;

namespace hotast {

llvm::StringRef linkedClangPath() { return HOTAST_CLANG_PATH; }

namespace {

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(std::optional<TUAnalysis> &Out, AnalysisOptions Opts, const ParseInput &In)
      : Out(Out), Opts(Opts), Closure(In.Closure), Times(In.Times),
        TimeScopes(In.Times && In.TimeScopes) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    // An AST with errors is incomplete; its hashes would mean nothing.
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
    auto Start = std::chrono::steady_clock::now();
    if (Closure) {
      FingerprintOptions FOpts;
      FOpts.DebugInfo = Opts.DebugInfo;
      TUFingerprint FP = computeFingerprint(Ctx, FOpts);
      Out.emplace();
      Out->DebugInfo = Opts.DebugInfo;
      Out->Decls = std::move(FP.Closure);
    } else {
      Out = analyzeTranslationUnit(Ctx, Opts);
    }
    if (TimeScopes)
      timeScopes(Ctx);
    if (Times)
      Times->AnalysisSeconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  }

private:
  /// Each scope from scratch (no shared caches), one after the other.
  void timeScopes(ASTContext &Ctx) {
    auto Time = [&](const char *Scope, auto &&Analyse) {
      auto Start = std::chrono::steady_clock::now();
      size_t N = Analyse();
      double S = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
      Times->Scopes.push_back({Scope, S, N});
    };
    AnalysisOptions Main = Opts, All = Opts;
    Main.MainFileOnly = true;
    All.MainFileOnly = false;
    Time("main", [&] { return analyzeTranslationUnit(Ctx, Main).Decls.size(); });
    Time("closure", [&] {
      FingerprintOptions FOpts;
      FOpts.DebugInfo = Opts.DebugInfo;
      return computeFingerprint(Ctx, FOpts).Closure.size();
    });
    Time("all", [&] { return analyzeTranslationUnit(Ctx, All).Decls.size(); });
  }

  std::optional<TUAnalysis> &Out;
  AnalysisOptions Opts;
  bool Closure;
  ParseTimes *Times;
  bool TimeScopes;
};

class AnalysisAction : public ASTFrontendAction {
public:
  AnalysisAction(std::optional<TUAnalysis> &Out, const ParseInput &In) : Out(Out), In(In) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    AnalysisOptions Opts;
    Opts.DebugInfo = CI.getCodeGenOpts().getDebugInfo() != llvm::codegenoptions::NoDebugInfo;
    Opts.MainFileOnly = In.MainFileOnly;
    return std::make_unique<AnalysisConsumer>(Out, Opts, In);
  }

private:
  std::optional<TUAnalysis> &Out;
  const ParseInput &In;
};

} // namespace

llvm::Expected<TUAnalysis> parseAndAnalyze(const ParseInput &Input) {
  auto Overlay =
      llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(llvm::vfs::getRealFileSystem());
  if (!Input.WorkingDir.empty())
    if (std::error_code EC = Overlay->setCurrentWorkingDirectory(Input.WorkingDir))
      return llvm::createFileError(Input.WorkingDir, EC);

  if (Input.Contents) {
    llvm::SmallString<256> Abs(Input.Path);
    if (std::error_code EC = Overlay->makeAbsolute(Abs))
      return llvm::createFileError(Input.Path, EC);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    Memory->addFile(Abs, 0, llvm::MemoryBuffer::getMemBufferCopy(*Input.Contents, Abs));
    Overlay->pushOverlay(Memory);
    if (!Input.WorkingDir.empty())
      Memory->setCurrentWorkingDirectory(Input.WorkingDir);
    else if (auto CWD = llvm::vfs::getRealFileSystem()->getCurrentWorkingDirectory())
      Memory->setCurrentWorkingDirectory(*CWD);
  }

  std::vector<std::string> CommandLine;
  CommandLine.push_back(std::string(linkedClangPath()));
  CommandLine.push_back("-fsyntax-only");
  CommandLine.insert(CommandLine.end(), Input.Args.begin(), Input.Args.end());
  CommandLine.push_back(Input.Path);

  llvm::IntrusiveRefCntPtr<FileManager> Files(new FileManager(FileSystemOptions(), Overlay));
  std::optional<TUAnalysis> Result;
  tooling::ToolInvocation Invocation(
      CommandLine, std::make_unique<AnalysisAction>(Result, Input), Files.get());
  // One consumer for the driver and the frontend, so that errors the driver
  // reports but does not stop at (an unknown argument) still fail the parse.
  std::vector<const char *> Argv;
  for (const std::string &A : CommandLine)
    Argv.push_back(A.c_str());
  // The printer owns the options (an intrusive reference count).
  TextDiagnosticPrinter Printer(llvm::errs(), CreateAndPopulateDiagOpts(Argv).release());
  Invocation.setDiagnosticConsumer(&Printer);
  auto Start = std::chrono::steady_clock::now();
  bool Ok = Invocation.run();
  if (!Ok || !Result || Printer.getNumErrors() != 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "clang could not compile '" + Input.Path +
                                       "' (its diagnostics are above)");
  if (Input.Times)
    Input.Times->TotalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  return std::move(*Result);
}

} // namespace hotast
