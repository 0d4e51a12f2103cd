//===- PlanWorkers.cpp - Each unit's plan in a process of its own ---------===//
//
// planTasks: the units of a build planned in worker processes (`hotast-clang
// plan --unit`), Jobs at a time, each in its compile's directory; stopped
// when one runs too long or fails.
//
//===----------------------------------------------------------------------===//

#include "PlanInternal.h"

#include "hotast/Support/WorkingDir.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <chrono>
#include <csignal>
#include <unistd.h>

namespace hotast {
namespace plan {

/// How long one compile's plan may take in its worker process.
constexpr std::chrono::minutes WorkerTimeout(10);

llvm::Expected<std::vector<UnitPlan>> planTasks(const Config &C,
                                                const std::vector<BuildCompile> &Compiles,
                                                const std::vector<UnitTask> &Tasks,
                                                unsigned Jobs) {
  std::vector<UnitPlan> Out;
  if (Jobs <= 1 || Tasks.size() <= 1) {
    for (const UnitTask &T : Tasks) {
      const BuildCompile &BC = Compiles[T.Index];
      WorkingDirScope In(BC.Directory);
      if (In.EC)
        return planError(BC.Directory + ": " + In.EC.message());
      auto P = planUnit(C, BC.Argv, T.Request);
      if (!P)
        return planError(BC.Source + ": " + llvm::toString(P.takeError()));
      Out.push_back(std::move(*P));
    }
    return Out;
  }
  std::string Self = llvm::sys::fs::getMainExecutable(nullptr, (void *)&planBuild);
  struct Running {
    size_t Task;
    llvm::sys::ProcessInfo PI;
    std::string Out, Request;
    std::chrono::steady_clock::time_point Started;
  };
  std::vector<std::optional<UnitPlan>> Plans(Tasks.size());
  std::vector<Running> Active;
  size_t Next = 0;
  auto Forget = [](const Running &R) {
    llvm::sys::fs::remove(R.Out);
    if (!R.Request.empty())
      llvm::sys::fs::remove(R.Request);
  };
  // Stops every worker still running (they would outlive this process).
  auto Abort = [&](llvm::Error E) -> llvm::Error {
    for (Running &R : Active) {
      ::kill(R.PI.Pid, SIGKILL);
      llvm::sys::Wait(R.PI, std::nullopt);
      Forget(R);
    }
    Active.clear();
    return E;
  };
  auto Finish = [&](Running &R, int Status) -> llvm::Error {
    auto Text = llvm::MemoryBuffer::getFile(R.Out);
    Forget(R);
    if (!Text)
      return llvm::createFileError(R.Out, Text.getError());
    if (Status != 0)
      return planError(Compiles[Tasks[R.Task].Index].Source + ": " +
                       (*Text)->getBuffer().trim());
    auto P = unitPlanFromJson((*Text)->getBuffer());
    if (!P)
      return P.takeError();
    Plans[R.Task] = std::move(*P);
    return llvm::Error::success();
  };
  auto TempFile = [](llvm::StringRef Suffix) -> llvm::Expected<std::string> {
    llvm::SmallString<128> Path;
    int FD;
    if (std::error_code EC = llvm::sys::fs::createTemporaryFile("hotast-plan", Suffix, FD, Path))
      return llvm::createFileError(Path, EC);
    ::close(FD);
    return std::string(Path);
  };
  while (Next < Tasks.size() || !Active.empty()) {
    while (Next < Tasks.size() && Active.size() < Jobs) {
      const UnitTask &T = Tasks[Next];
      const BuildCompile &BC = Compiles[T.Index];
      auto Out = TempFile("json");
      if (!Out)
        return Abort(Out.takeError());
      std::string Request;
      std::vector<std::string> Argv = {Self, "plan", "--unit", BC.Directory};
      if (!T.Request.SummaryFiles.empty() || !T.Request.Contents.empty() ||
          T.Request.ParseBefore) {
        auto File = TempFile("request");
        if (!File)
          return Abort(File.takeError());
        Request = *File;
        std::error_code EC;
        llvm::raw_fd_ostream OS(Request, EC);
        if (EC)
          return Abort(llvm::createFileError(Request, EC));
        OS << unitRequestToJson(T.Request);
        Argv.push_back("--request");
        Argv.push_back(Request);
      }
      Argv.push_back("--");
      Argv.insert(Argv.end(), BC.Argv.begin(), BC.Argv.end());
      std::vector<llvm::StringRef> Args(Argv.begin(), Argv.end());
      std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(*Out),
                                                    llvm::StringRef(*Out)};
      std::string Error;
      bool Failed = false;
      llvm::sys::ProcessInfo PI = llvm::sys::ExecuteNoWait(Self, Args, std::nullopt, Redirects, 0,
                                                           &Error, &Failed);
      if (Failed) {
        Forget({Next, PI, *Out, Request, {}});
        return Abort(planError("cannot run " + Self + ": " + Error));
      }
      Active.push_back({Next++, PI, *Out, Request, std::chrono::steady_clock::now()});
    }
    bool Reaped = false;
    for (size_t I = 0; I < Active.size();) {
      llvm::sys::ProcessInfo Done = llvm::sys::Wait(Active[I].PI, 0u);
      if (Done.Pid == 0) {
        if (std::chrono::steady_clock::now() - Active[I].Started > WorkerTimeout)
          return Abort(planError(Compiles[Tasks[Active[I].Task].Index].Source +
                                 ": its plan took over 10 minutes; stopped"));
        ++I;
        continue;
      }
      Running R = std::move(Active[I]);
      Active.erase(Active.begin() + I);
      if (llvm::Error E = Finish(R, Done.ReturnCode))
        return Abort(std::move(E));
      Reaped = true;
    }
    if (!Reaped)
      ::usleep(2000);
  }
  for (auto &P : Plans)
    Out.push_back(std::move(*P));
  return Out;
}

} // namespace plan
} // namespace hotast
