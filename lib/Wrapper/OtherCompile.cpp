//===- OtherCompile.cpp - A compile with gcc, g++ or another clang --------===//

#include "CompileJob.h"
#include "OtherView.h"

#include "hotast/Compile/OptionPolicy.h"
#include "hotast/Wrapper/DirectMode.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {
namespace semantic {
namespace {


/// Runs the real compiler, with stderr passed through and kept.
llvm::Expected<int> runCompiler(const Job &J, std::string &Stderr) {
  llvm::SmallString<128> Temp;
  if (std::error_code EC = llvm::sys::fs::createTemporaryFile("hotast", "stderr", Temp))
    return llvm::createFileError(Temp, EC);
  std::vector<llvm::StringRef> Args(J.Argv.begin(), J.Argv.end());
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, std::nullopt, Temp.str()};
  std::string Error;
  int Status = llvm::sys::ExecuteAndWait(J.Compiler, Args, std::nullopt, Redirects, 0, 0, &Error);
  if (auto Buf = llvm::MemoryBuffer::getFile(Temp))
    Stderr = (*Buf)->getBuffer().str();
  llvm::sys::fs::remove(Temp);
  llvm::errs() << Stderr;
  if (Status < 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot run '" + J.Compiler + "': " + Error);
  return Status;
}

} // namespace

llvm::Expected<int> compileOther(Job &J) {
  OptionPolicy Policy = classifyForeignCommand(J.Cmd.HashedArgs);
  if (!Policy.Refusal.empty())
    return notCached(J, Policy.Refusal);
  auto Parse = parseForOtherCompiler(J.Expanded, saltWithPolicy(J.Salt, Policy, J.Cwd),
                                     Policy.Locations);
  if (!Parse)
    return Parse.takeError();
  CompileOutcome &Out = Parse->Outcome;
  Out.UsesWorkingDir = Policy.Locations != LocationUse::None;
  Out.UnknownOptions = Policy.Unknown;
  for (const std::string &F : Policy.InputFiles)
    Out.InputFiles.push_back(F);
  // A region Clang skipped includes a file: the compiler may read what the
  // parse never saw. Its depfile, with system headers, says what it read.
  bool SeesOtherFiles = J.Cmd.Depfile.Enabled && J.Cmd.Depfile.SystemHeaders;
  bool AsmFile = Parse->SkippedAsmFile || (Out.Fingerprint && Out.Fingerprint->AsmReadsFiles);
  bool Usable = Out.Fingerprint && !Parse->DroppedConstructs && !AsmFile &&
                (!Parse->SkippedInclude || SeesOtherFiles);
  // The compiler's depfile names what it read: Clang's files, and its own
  // (stdc-predef.h, its headers) or those a region Clang skips includes. A
  // hit replays the depfile it wrote when Clang's view of the files read
  // (the depfile the parse wrote) is the same as then, and each file only
  // the compiler read has the same bytes (OtherView).
  const OtherView View(readDepfile(J), Out);
  if (Usable && !J.Cmd.WarningsAsErrors) {
    // Only a silent result is reused: the compiler's own warnings would
    // otherwise be lost.
    std::optional<CachedResult> R =
        J.Tiers->result(Out.Fingerprint->Value, [&](const CachedResult &R) {
          return R.Silent && View.of(R.Depfile) == R.DepfileView;
        });
    if (R && !llvm::errorToBool(J.Tiers->materialize(R->Object, J.Cmd.Output))) {
      if (J.Cmd.Depfile.Enabled)
        if (llvm::Error E = writeFileAtomically(J.Cmd.Depfile.Path,
                                                retargetDepfile(R->Depfile, J.Cmd)))
          return std::move(E);
      View.addOtherFiles(R->Depfile, Out);
      countHit(J);
      J.log("semantic hit" + remoteNote(J));
      updateSnapshot(J, Out);
      record(J, Out, R->Object);
      return 0;
    }
  }
  std::string Stderr;
  auto Status = runCompiler(J, Stderr);
  if (!Status)
    return Status.takeError();
  if (*Status != 0) {
    J.bump(counter::CompileError);
    J.log("compile failed (status " + llvm::Twine(*Status) + ")");
    return *Status;
  }
  if (!Usable) {
    J.bump(counter::Uncacheable);
    J.log(!Out.Fingerprint            ? "not cached: Clang cannot parse this command"
          : AsmFile                   ? NotCachedAsm
          : Parse->DroppedConstructs  ? "not cached: Clang drops an attribute or pragma of this source"
                                      : "not cached: an #include in a region Clang skips");
    return 0;
  }
  std::string Written = readDepfile(J);
  std::optional<Hash128> Seen = View.of(Written);
  if (!Seen) {
    J.bump(counter::Uncacheable);
    J.log("not cached: a file the compiler read cannot be read now");
    return 0;
  }
  View.addOtherFiles(Written, Out);
  countMiss(J);
  J.log("miss: " + updateSnapshot(J, Out) + unknownOptionsNote(Out));
  Out.Stderr = Stderr;
  std::optional<Hash128> Object = storeResult(J, Out, Stderr.empty(), Written, *Seen);
  record(J, Out, Object);
  return 0;
}

} // namespace semantic
} // namespace hotast
