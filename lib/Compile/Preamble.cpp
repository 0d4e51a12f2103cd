//===- Preamble.cpp - A unit's preamble, precompiled and kept -------------===//

#include "Preamble.h"

#include "hotast/Support/AtomicFile.h"
#include "hotast/Support/FileStamp.h"

#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Serialization/PCHContainerOperations.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace clang;

namespace hotast {
namespace {

/// Collects the files the preamble read.
class FileCollector : public PreambleCallbacks {
public:
  explicit FileCollector(llvm::StringRef WorkingDir) : WorkingDir(WorkingDir) {}
  void AfterExecute(CompilerInstance &CI) override {
    const SourceManager &SM = CI.getSourceManager();
    // The main file is checked by the preamble's bytes, not its stamp: the
    // body after the preamble is what changes.
    OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
    for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It) {
      if (Main && It->first == *Main)
        continue;
      llvm::SmallString<256> P(It->first.getName());
      if (!llvm::sys::path::is_absolute(P)) {
        llvm::SmallString<256> Abs(WorkingDir);
        llvm::sys::path::append(Abs, P);
        P = Abs;
      }
      Files.push_back(std::string(P));
    }
  }
  std::string WorkingDir;
  std::vector<std::string> Files;
};

void configure(CompilerInvocation &Inv, llvm::StringRef PCH, const PreambleBounds &B) {
  PreprocessorOptions &PP = Inv.getPreprocessorOpts();
  PP.PrecompiledPreambleBytes = {B.Size, B.PreambleEndsAtStartOfLine};
  PP.ImplicitPCHInclude = PCH.str();
  PP.DisablePCHOrModuleValidation = DisableValidationForModuleKind::PCH;
  // The preamble holds the predefines.
  PP.UsePredefines = false;
}

/// The kept file, DIR/KEY.meta: the preamble's hash, then one stamp a line.
std::string metaText(const Hash128 &PreambleHash, llvm::ArrayRef<FileStamp> Stamps) {
  return PreambleHash.toHex() + "\n" + stampLines(Stamps);
}

bool parseMeta(llvm::StringRef Text, Hash128 &PreambleHash, std::vector<FileStamp> &Stamps) {
  auto [First, Rest] = Text.split('\n');
  return Hash128::fromHex(First, PreambleHash) && parseStampLines(Rest, Stamps);
}

} // namespace

PreambleUse usePreamble(CompilerInvocation &Inv, llvm::ArrayRef<std::string> CC1,
                        llvm::StringRef WorkingDir, llvm::StringRef Dir, bool Build) {
  PreambleUse Use;
  if (Inv.getFrontendOpts().Inputs.size() != 1) {
    Use.State = "not one input";
    return Use;
  }
  std::string Main(Inv.getFrontendOpts().Inputs[0].getFile());
  auto Buf = llvm::MemoryBuffer::getFile(Main);
  if (!Buf) {
    Use.State = "cannot read " + Main;
    return Use;
  }
  PreambleBounds Bounds = ComputePreambleBounds(Inv.getLangOpts(), **Buf, 0);
  if (Bounds.Size == 0) {
    Use.State = "no preamble";
    return Use;
  }
  Hasher UnitKey;
  UnitKey.add(llvm::StringRef("preamble 2")).add(WorkingDir);
  for (const std::string &A : CC1)
    UnitKey.add(llvm::StringRef(A));
  Hasher PreambleKey;
  PreambleKey.add((*Buf)->getBuffer().take_front(Bounds.Size))
      .addBool(Bounds.PreambleEndsAtStartOfLine);
  const Hash128 PreambleHash = PreambleKey.final();
  llvm::SmallString<256> Base(Dir);
  llvm::sys::path::append(Base, UnitKey.final().toHex());
  const std::string PCH = (Base + ".pch").str(), Meta = (Base + ".meta").str();

  // Kept and still true?
  if (auto MetaBuf = llvm::MemoryBuffer::getFile(Meta)) {
    Hash128 Kept;
    std::vector<FileStamp> Stamps;
    if (parseMeta((*MetaBuf)->getBuffer(), Kept, Stamps) && Kept == PreambleHash &&
        llvm::sys::fs::exists(PCH) && llvm::all_of(Stamps, stampMatches)) {
      configure(Inv, PCH, Bounds);
      for (FileStamp &S : Stamps)
        Use.Files.push_back(std::move(S.Path));
      Use.State = "reused";
      return Use;
    }
  }

  if (!Build) {
    Use.State = "missing";
    return Use;
  }
  // Build it, keep it, use it.
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir)) {
    Use.State = "cannot create " + Dir.str() + ": " + EC.message();
    return Use;
  }
  std::string Diagnostics;
  llvm::raw_string_ostream DiagOS(Diagnostics);
  IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts = new DiagnosticOptions();
  // Reference-counted: the preamble's compiler instance holds it too.
  IntrusiveRefCntPtr<DiagnosticsEngine> Diags =
      new DiagnosticsEngine(new DiagnosticIDs, DiagOpts, new TextDiagnosticPrinter(DiagOS, &*DiagOpts));
  FileCollector Files(WorkingDir);
  // The template instances the headers' own code needs are made once, in
  // the preamble (clang's -fpch-instantiate-templates), not at the end of
  // every parse against it.
  const int64_t StartNs = stampClockNs();
  CompilerInvocation BuildInv(Inv);
  BuildInv.getLangOpts().PCHInstantiateTemplates = true;
  BuildInv.getFrontendOpts().DisableFree = false; // built again and again under watch
  auto Built = PrecompiledPreamble::Build(BuildInv, Buf->get(), Bounds, *Diags,
                                          llvm::vfs::getRealFileSystem(),
                                          std::make_shared<PCHContainerOperations>(),
                                          /*StoreInMemory=*/false, Dir, Files);
  if (!Built || Diags->hasErrorOccurred()) {
    Use.State = "the preamble does not compile";
    return Use;
  }
  // Where clang wrote it (a temporary it removes): copied to the kept name.
  CompilerInvocation Probe(Inv);
  IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS = llvm::vfs::getRealFileSystem();
  Built->AddImplicitPreamble(Probe, VFS, Buf->get());
  std::string Temp = Probe.getPreprocessorOpts().ImplicitPCHInclude;
  std::string Copy = PCH + ".tmp" + std::to_string(::getpid());
  auto Stamps = stampFiles(Files.Files, StartNs);
  if (Temp.empty() || !Stamps || llvm::sys::fs::copy_file(Temp, Copy) ||
      llvm::sys::fs::rename(Copy, PCH) ||
      llvm::errorToBool(writeFileAtomically(Meta, metaText(PreambleHash, *Stamps)))) {
    if (!Stamps)
      llvm::consumeError(Stamps.takeError());
    llvm::sys::fs::remove(Copy);
    Use.State = "cannot keep the preamble";
    return Use;
  }
  configure(Inv, PCH, Bounds);
  Use.Files = std::move(Files.Files);
  Use.State = "built";
  return Use;
}

} // namespace hotast
