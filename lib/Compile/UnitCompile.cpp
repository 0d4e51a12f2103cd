//===- UnitCompile.cpp - One translation unit as IR, for a patch ----------===//

#include "hotast/Compile/UnitCompile.h"

#include "../Analysis/DeclKeys.h"
#include "ClangJob.h"
#include "Preamble.h"
#include "CutoffConsumer.h"
#include "Recording.h"
#include "hotast/Support/Elapsed.h"
#include "hotast/Support/WorkingDir.h"

#include "clang/AST/Mangle.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/TargetInfo.h"
#include "clang/CodeGen/BackendUtil.h"
#include "clang/CodeGen/CodeGenAction.h"
#include "clang/CodeGen/ModuleBuilder.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <chrono>
#include <optional>
#include <thread>

using namespace clang;

namespace hotast {
namespace {

/// The symbols of each function and variable of the project's code (not
/// system headers), by declaration key: every variant of a constructor or
/// destructor. With LoadedOnly (a parse against a preamble), the
/// translation unit and its namespaces are walked over what the parse itself
/// declared, as the records are (EntityTable): iterating them in full would
/// read every declaration of the preamble's headers from the AST file, which
/// cost more than the rest of the parse, for keys the delta never asks for.
class SymbolCollector : public RecursiveASTVisitor<SymbolCollector> {
public:
  SymbolCollector(ASTContext &Ctx, llvm::StringMap<std::vector<std::string>> &Out,
                  bool LoadedOnly)
      : Ctx(Ctx), Keys(Ctx), Names(Ctx), Out(Out),
        LoadedOnly(LoadedOnly && Ctx.getExternalSource()) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) &&
        Ctx.getSourceManager().isInSystemHeader(D->getLocation()))
      return true;
    if (LoadedOnly && D &&
        (isa<TranslationUnitDecl>(D) || isa<NamespaceDecl>(D) || isa<LinkageSpecDecl>(D) ||
         isa<ExportDecl>(D))) {
      for (Decl *Child : cast<DeclContext>(D)->noload_decls())
        if (!TraverseDecl(Child))
          return false;
      return true;
    }
    return RecursiveASTVisitor::TraverseDecl(D);
  }
  bool VisitFunctionDecl(FunctionDecl *D) {
    if (!D->isDependentContext() && D->doesThisDeclarationHaveABody())
      add(D);
    return true;
  }
  bool VisitVarDecl(VarDecl *D) {
    if (D->hasGlobalStorage() && !isa<ParmVarDecl>(D) &&
        !D->getDeclContext()->isDependentContext() && !D->getType()->isDependentType())
      add(D);
    return true;
  }

private:
  void add(const NamedDecl *D) {
    std::vector<std::string> Symbols = Names.getAllManglings(D);
    if (Symbols.empty())
      Symbols.push_back(Names.getName(D));
    std::vector<std::string> &Slot = Out[Keys.get(D).Text];
    for (std::string &S : Symbols)
      if (!S.empty() && !llvm::is_contained(Slot, S))
        Slot.push_back(std::move(S));
  }
  ASTContext &Ctx;
  KeyTable Keys;
  ASTNameGenerator Names;
  llvm::StringMap<std::vector<std::string>> &Out;
  bool LoadedOnly;
};

/// IR generation, then the records and symbols taken from the finished
/// AST while the module's copy goes through the back end on another thread
/// (OnModule starts it, Joined waits for it before the parse goes on; the
/// two share nothing but read-only options). The
/// action's own back end does nothing (the invocation disables LLVM's
/// passes). Its first two overrides have the shape of InProcess.cpp's
/// action (attach the recorder, wrap code generation in a cutoff) with
/// other consumers and another cutoff: the shape repeats, the decisions
/// around it do not.
class ModuleAction : public CodeGenAction {
public:
  ModuleAction(const OptionPolicy &Policy, CompileOutcome &Out, llvm::LLVMContext *Ctx,
               llvm::StringMap<std::vector<std::string>> &Symbols, llvm::StringSet<> &SystemFiles,
               bool WithPreamble, std::function<void(llvm::Module &)> OnModule,
               std::function<void()> Joined)
      : CodeGenAction(Backend_EmitNothing, Ctx), Symbols(Symbols), SystemFiles(SystemFiles),
        WithPreamble(WithPreamble), OnModule(std::move(OnModule)), Joined(std::move(Joined)),
        Recorder(Hash128(), Out, /*RecordSkipped=*/false, Policy.Locations, Policy.IRMetadata) {
    Recorder.recordsOnly(/*LoadedOnly=*/WithPreamble);
  }

protected:
  bool BeginSourceFileAction(CompilerInstance &CI) override {
    Recorder.attach(CI);
    return CodeGenAction::BeginSourceFileAction(CI);
  }
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef InFile) override {
    std::unique_ptr<ASTConsumer> Inner = CodeGenAction::CreateASTConsumer(CI, InFile);
    if (!Inner)
      return nullptr;
    return std::make_unique<CutoffConsumer>(
        CutoffConsumer::After(), std::move(Inner),
        [this, &CI](ASTContext &Ctx) {
          if (llvm::Module *M = getCodeGenerator() ? getCodeGenerator()->GetModule() : nullptr;
              M && !CI.getDiagnostics().hasErrorOccurred())
            OnModule(*M);
          if (Recorder.fingerprint(Ctx, CI)) {
            SymbolCollector(Ctx, Symbols, WithPreamble).TraverseDecl(Ctx.getTranslationUnitDecl());
            HeaderSearch &HS = CI.getPreprocessor().getHeaderSearchInfo();
            const SourceManager &SM = Ctx.getSourceManager();
            for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It)
              if (SrcMgr::isSystem(HS.getFileDirFlavor(It->first)))
                SystemFiles.insert(It->first.getName());
          }
          Joined();
          return false;
        },
        CodeGenPrinted);
  }

private:
  llvm::StringMap<std::vector<std::string>> &Symbols;
  llvm::StringSet<> &SystemFiles;
  bool WithPreamble;
  std::function<void(llvm::Module &)> OnModule;
  std::function<void()> Joined;
  FingerprintRecorder Recorder;
  bool CodeGenPrinted = false;
};


} // namespace

struct UnitCompile::Impl {
  std::string WorkingDir;
  CompileOutcome Out;
  ClangJob Job;
  std::unique_ptr<llvm::LLVMContext> Context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<CompilerInstance> CI;
  std::unique_ptr<llvm::Module> Module;
  std::vector<DeclRecord> NoRecords;
  llvm::StringMap<std::vector<std::string>> Symbols;
  llvm::StringSet<> SystemFiles;
  std::string PreambleState;
  /// The build's object, from the back end run beside the examination.
  std::thread ObjectThread;
  std::optional<llvm::Expected<std::string>> Object;
  double ObjectMs = 0;

  ~Impl() { joinObject(); }
  void joinObject() {
    if (ObjectThread.joinable())
      ObjectThread.join();
  }

  llvm::Expected<std::string> emit(llvm::Module &M, const CodeGenOptions &CGOpts) {
    WorkingDirScope Dir(WorkingDir);
    return emitHere(M, CGOpts);
  }
  /// Emits in the current working directory.
  llvm::Expected<std::string> emitHere(llvm::Module &M, const CodeGenOptions &BuildOpts) {
    // The build's options, but the back end frees its target machine (the
    // driver's -disable-free leaks it: a compiler process exits anyway).
    CodeGenOptions CGOpts = BuildOpts;
    CGOpts.DisableFree = false;
    llvm::SmallString<0> Bytes;
    auto OS = std::make_unique<llvm::raw_svector_ostream>(Bytes);
    DiagnosticsEngine &Diags = CI->getDiagnostics();
    unsigned ErrorsBefore = Diags.getClient()->getNumErrors();
    EmitBackendOutput(Diags, CI->getHeaderSearchOpts(), CGOpts, CI->getTargetOpts(),
                      CI->getLangOpts(), CI->getTarget().getDataLayoutString(), &M,
                      Backend_EmitObj, CI->getFileManager().getVirtualFileSystemPtr(), std::move(OS));
    if (Diags.getClient()->getNumErrors() != ErrorsBefore)
      return failure("code generation failed:\n" + Out.Stderr);
    return std::string(Bytes.str());
  }
};

UnitCompile::UnitCompile(std::unique_ptr<Impl> I) : P(std::move(I)) {}
UnitCompile::UnitCompile(UnitCompile &&) = default;
UnitCompile::~UnitCompile() {
  // The module belongs to the context the instance's action used.
  if (P)
    P->Module.reset();
}

llvm::Expected<UnitCompile> UnitCompile::run(llvm::ArrayRef<std::string> Argv,
                                             llvm::StringRef WorkingDir,
                                             llvm::StringRef PreambleDir) {
  auto I = std::make_unique<Impl>();
  I->WorkingDir = WorkingDir.str();
  WorkingDirScope Dir(WorkingDir);
  if (Dir.EC)
    return llvm::createFileError(WorkingDir, Dir.EC);
  auto Job = buildClangJob(Argv);
  if (!Job)
    return Job.takeError();
  I->Job = std::move(*Job);
  if (I->Job.Failed) {
    I->Out.Stderr = I->Job.DriverText;
    I->Out.ExitCode = 1;
    return UnitCompile(std::move(I));
  }
  if (!I->Job.NotOneJob.empty())
    return failure(I->Job.NotOneJob);
  CompilerInvocation &Inv = *I->Job.Invocation;
  if (Inv.getFrontendOpts().ProgramAction != frontend::EmitObj)
    return failure("the command does not compile to an object file");
  std::vector<const char *> CC1;
  for (const std::string &A : llvm::ArrayRef(I->Job.CC1).drop_front())
    CC1.push_back(A.c_str());
  OptionPolicy Policy = classifyClangJob(CC1, Inv, I->Job.ConfigFiles);
  if (!Inv.getFrontendOpts().LLVMArgs.empty())
    return failure("-mllvm options are not supported by hot reload");

  // IR generation only: the build object and the patch each run the
  // optimisation pipeline themselves, on their own copy.
  auto IRInv = std::make_shared<CompilerInvocation>(Inv);
  IRInv->getCodeGenOpts().DisableLLVMPasses = true;
  // The records are taken after code generation: the AST must outlive it
  // (the driver asks for it to be freed before the back end).
  IRInv->getCodeGenOpts().ClearASTBeforeBackend = false;
  // The driver's -disable-free leaks the AST and the target machine at the
  // end (a compiler process exits anyway); the watcher parses at every save.
  IRInv->getFrontendOpts().DisableFree = false;
  IRInv->getCodeGenOpts().DisableFree = false;
  PreambleUse Preamble;
  if (!PreambleDir.empty())
    Preamble = usePreamble(*IRInv, I->Job.CC1, WorkingDir, PreambleDir, /*Build=*/false);
  I->PreambleState = Preamble.State;
  I->CI = std::make_unique<CompilerInstance>();
  I->CI->setInvocation(IRInv);
  llvm::raw_string_ostream Errs(I->Out.Stderr);
  auto *Printer = new TextDiagnosticPrinter(Errs, &I->CI->getDiagnosticOpts());
  I->CI->createDiagnostics(Printer, /*ShouldOwnClient=*/true);
  I->CI->setVerboseOutputStream(Errs);
  // The build's object is the finished module through the back end with the
  // build's own options; the copy is made on this thread, the back end runs
  // beside the records and is waited for before the parse goes on (the
  // diagnostics engine and the LLVM context are used by one thread at a
  // time again from then on).
  Impl *Raw = I.get();
  auto StartObject = [Raw](llvm::Module &M) {
    std::shared_ptr<llvm::Module> Copy = llvm::CloneModule(M);
    Raw->ObjectThread = std::thread([Raw, Copy] {
      auto Start = std::chrono::steady_clock::now();
      Raw->Object.emplace(Raw->emitHere(*Copy, Raw->Job.Invocation->getCodeGenOpts()));
      Raw->ObjectMs = msSince(Start);
    });
  };
  ModuleAction Action(Policy, I->Out, I->Context.get(), I->Symbols, I->SystemFiles,
                      /*WithPreamble=*/Preamble.State == "reused", StartObject,
                      [Raw] { Raw->joinObject(); });
  bool Success = I->CI->ExecuteAction(Action);
  I->joinObject();
  I->Out.ExitCode = Success && !I->CI->getDiagnostics().hasErrorOccurred() ? 0 : 1;
  if (I->Out.ExitCode == 0) {
    I->Module = Action.takeModule();
    if (!I->Module || !I->Out.ReloadRecords)
      I->Out.ExitCode = 1;
  }
  // A parse with a preamble does not open the files the preamble read.
  for (std::string &F : Preamble.Files)
    if (!llvm::is_contained(I->Out.InputFiles, F))
      I->Out.InputFiles.push_back(std::move(F));
  return UnitCompile(std::move(I));
}

llvm::Error precompilePreamble(llvm::ArrayRef<std::string> Argv, llvm::StringRef WorkingDir,
                               llvm::StringRef PreambleDir) {
  WorkingDirScope Dir(WorkingDir);
  if (Dir.EC)
    return llvm::createFileError(WorkingDir, Dir.EC);
  auto Job = buildClangJob(Argv);
  if (!Job)
    return Job.takeError();
  if (Job->Failed || !Job->NotOneJob.empty())
    return failure("the command does not compile one unit");
  PreambleUse Use = usePreamble(*Job->Invocation, Job->CC1, WorkingDir, PreambleDir,
                                /*Build=*/true);
  if (Use.State != "built" && Use.State != "reused" && Use.State != "no preamble")
    return failure("preamble: " + Use.State);
  return llvm::Error::success();
}

int UnitCompile::exitCode() const { return P->Out.ExitCode; }
const std::string &UnitCompile::stderrText() const { return P->Out.Stderr; }
const std::vector<DeclRecord> &UnitCompile::records() const {
  return P->Out.ReloadRecords ? *P->Out.ReloadRecords : P->NoRecords;
}
const std::vector<std::string> &UnitCompile::inputFiles() const { return P->Out.InputFiles; }
unsigned UnitCompile::optLevel() const {
  return P->Job.Invocation ? P->Job.Invocation->getCodeGenOpts().OptimizationLevel : 0;
}
const llvm::StringMap<std::vector<std::string>> &UnitCompile::symbols() const {
  return P->Symbols;
}
const std::string &UnitCompile::preambleState() const { return P->PreambleState; }
bool UnitCompile::isSystemFile(llvm::StringRef File) const {
  return P->SystemFiles.contains(File);
}
llvm::Module *UnitCompile::module() { return P->Module.get(); }

llvm::Expected<std::string> UnitCompile::buildObject() {
  if (!P->Module)
    return failure("the compile failed");
  if (P->Object) {
    llvm::Expected<std::string> Built = std::move(*P->Object);
    P->Object.reset();
    return Built;
  }
  auto Start = std::chrono::steady_clock::now();
  std::unique_ptr<llvm::Module> Copy = llvm::CloneModule(*P->Module);
  llvm::Expected<std::string> Built = P->emit(*Copy, P->Job.Invocation->getCodeGenOpts());
  P->ObjectMs = msSince(Start);
  return Built;
}

double UnitCompile::objectMilliseconds() const { return P->ObjectMs; }

llvm::Expected<std::string> UnitCompile::patchObject(llvm::Module &M) {
  CodeGenOptions CGOpts = P->Job.Invocation->getCodeGenOpts();
  CGOpts.RelocationModel = llvm::Reloc::PIC_;
  return P->emit(M, CGOpts);
}

} // namespace hotast
