//===- Reload.cpp - From an edit to a patch in a running program ----------===//
//
// One reload, phase by phase (ReloadInternal.h says which file holds
// which): here their order, the delta report that records what they found,
// and the entry points of Reload.h.
//
//===----------------------------------------------------------------------===//

#include "ReloadInternal.h"

#include "hotast/Compile/InProcess.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <ctime>

namespace hotast {
namespace reloader {

static std::string isoNow() {
  std::time_t T = std::time(nullptr);
  char Buf[32];
  std::strftime(Buf, sizeof Buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&T));
  return Buf;
}

/// The files of every unit of the program (for hotast watch).
llvm::Expected<std::vector<std::string>> Reloader::files() {
  if (!loadBase())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Report.Summary);
  std::vector<std::string> Out;
  for (const Unit &U : Units)
    for (const FileStamp &F : U.Record.Files) {
      std::string P = absolutePath(F.Path, U.Record.WorkingDir);
      if (!llvm::is_contained(Out, P))
        Out.push_back(std::move(P));
    }
  return Out;
}

llvm::Expected<std::vector<UnitCommand>> Reloader::units() {
  if (!loadBase())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Report.Summary);
  std::vector<std::pair<llvm::sys::TimePoint<>, UnitCommand>> Found;
  for (const Unit &U : Units) {
    if (U.Record.Argv.empty() || !isLinkedClang(U.Record.Argv.front()) ||
        U.Record.Files.empty())
      continue;
    llvm::sys::fs::file_status St;
    llvm::sys::TimePoint<> Modified;
    if (!llvm::sys::fs::status(absolutePath(U.Record.Files.front().Path, U.Record.WorkingDir), St))
      Modified = St.getLastModificationTime();
    Found.push_back({Modified, UnitCommand{U.Record.Argv, U.Record.WorkingDir}});
  }
  llvm::stable_sort(Found, [](const auto &A, const auto &B) { return A.first > B.first; });
  std::vector<UnitCommand> Out;
  for (auto &F : Found)
    Out.push_back(std::move(F.second));
  return Out;
}

ReloadReport Reloader::run() {
  auto Start = Clock::now();
  if (!loadBase()) {
    finish(Start);
    return std::move(Report);
  }
  auto DeltaStart = Clock::now();
  findChanges();
  if (Changed.empty()) {
    Report.Exit = ReloadExit::Applied;
    Report.Summary = "nothing changed since the running code was built";
    Verdict = "nothing";
    finish(Start);
    return std::move(Report);
  }
  if (!compileUnits() || !decide()) {
    finish(Start);
    return std::move(Report);
  }
  Times["delta"] = msSince(DeltaStart);
  if (!Refusals.empty()) {
    Report.Exit = ReloadExit::Refused;
    Verdict = "refuse";
    Report.Summary = "refused: " + llvm::join(Refusals, "; ");
  } else if (Req.DryRun) {
    Report.Exit = ReloadExit::Applied;
    Verdict = "patch";
    size_t N = 0;
    for (const Compiled &C : Units2)
      N += C.Why.size();
    Report.Summary = "would patch " + std::to_string(N) + " function(s)";
  } else if (buildAndApply()) {
    Report.Exit = ReloadExit::Applied;
    Verdict = "patch";
  }
  finish(Start);
  return std::move(Report);
}

void Reloader::finish(Clock::time_point Start) {
  Times["total"] = msSince(Start);
  // Each unit's functions: two units may each have an internal function
  // of one name.
  for (Compiled &C : Units2)
    for (const auto &E : C.Why) {
      llvm::json::Object F{{"symbol", E.getKey().str()},
                           {"why", E.getValue()},
                           {"object", C.U->ObjectPath}};
      ImageSymbol S;
      bool Local = C.New.Symbols.count(E.getKey()) && C.New.Symbols.lookup(E.getKey()).Local;
      if (Image.lookup(E.getKey(), Local ? llvm::StringRef(C.Opts.FileName) : "", S) ==
              ProgramImage::Found::Yes &&
          S.InExecutable)
        F["offset"] = "0x" + llvm::utohexstr(S.Offset, true);
      else
        F["offset"] = nullptr;
      FunctionsJson.push_back(std::move(F));
    }
  llvm::json::Array UnitsJson;
  for (const Unit &U : Units)
    if (!U.ChangedFiles.empty())
      UnitsJson.push_back(llvm::json::Object{{"object", U.ObjectPath},
                                             {"code", U.Code.toHex()},
                                             {"changed_files", llvm::json::Array(U.ChangedFiles)}});
  llvm::json::Object Delta{
      {"format", "hotast-delta"},
      {"version", 1},
      {"id", PatchId.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(PatchId)},
      {"created", isoNow()},
      {"base", llvm::json::Object{{"build_id", Status.BuildId},
                                  {"pid", int64_t(Status.Pid)},
                                  {"patch", Status.Patches.empty()
                                                ? llvm::json::Value(nullptr)
                                                : llvm::json::Value(Status.Patches.back())}}},
      {"units", std::move(UnitsJson)},
      {"decls", std::move(DeclsJson)},
      {"functions", std::move(FunctionsJson)},
      {"new_variables", llvm::json::Array(NewVariables)},
      {"verdict", Verdict.empty() ? "error" : Verdict},
      {"refusals", llvm::json::Array(Refusals)},
      {"warnings", llvm::json::Array(Warnings)}};
  std::string Canonical;
  llvm::raw_string_ostream(Canonical) << llvm::json::Value(llvm::json::Object(Delta));
  Delta["hash"] = "sha256:" + sha256Hex(Canonical);
  llvm::json::Object Phases;
  for (auto &[Name, Ms] : Times)
    Phases[Name] = std::round(Ms * 100) / 100;
  Report.Json = llvm::json::Object{
      {"result", Report.Exit == ReloadExit::Applied  ? (Verdict == "nothing" ? "nothing" : Req.DryRun ? "dry-run" : "applied")
                 : Report.Exit == ReloadExit::Refused ? "refused"
                                                      : "error"},
      {"message", Report.Summary},
      {"delta", std::move(Delta)},
      {"times_ms", std::move(Phases)},
      {"preambles", llvm::json::Array(PreambleStates)}};
  if (!Report.Diagnostics.empty())
    Report.Json["diagnostics"] = Report.Diagnostics;
}

} // namespace reloader

using reloader::Reloader;

ReloadReport reload(const ReloadRequest &R) { return Reloader(R).run(); }

llvm::Expected<std::vector<std::string>> programFiles(const ReloadRequest &R) {
  return Reloader(R).files();
}

llvm::Expected<std::vector<UnitCommand>> programUnits(const ReloadRequest &R) {
  return Reloader(R).units();
}

void precompilePreambles(const ReloadRequest &R, llvm::ArrayRef<UnitCommand> Units) {
  llvm::SmallString<256> Preambles(R.CacheDir);
  llvm::sys::path::append(Preambles, "preambles");
  for (const UnitCommand &U : Units)
    llvm::consumeError(precompilePreamble(U.Argv, U.WorkingDir, Preambles));
}

void prepareNextReload(const ReloadRequest &R, const ReloadReport &Report) {
  precompilePreambles(R, Report.PreamblesToBuild);
}

ReloadReport undoPatch(const ReloadRequest &R) {
  ReloadReport Out;
  auto Reply = sendRequest(R.Socket, "undo\n");
  if (!Reply) {
    Out.Summary = "error: " + llvm::toString(Reply.takeError());
    Out.Json = llvm::json::Object{{"result", "error"}, {"message", Out.Summary}};
    return Out;
  }
  if (Reply->getBoolean("ok") == true) {
    Out.Exit = ReloadExit::Applied;
    auto Id = Reply->getString("undone");
    Out.Summary = "undid patch " + (Id ? Id->str() : std::string("?"));
    Out.Json = llvm::json::Object{{"result", "undone"}, {"message", Out.Summary},
                                  {"undone", Id ? Id->str() : ""}};
    return Out;
  }
  auto Msg = Reply->getString("error");
  Out.Exit = ReloadExit::Refused;
  Out.Summary = "refused: " + (Msg ? Msg->str() : std::string("?"));
  Out.Json = llvm::json::Object{{"result", "refused"}, {"message", Out.Summary}};
  return Out;
}

} // namespace hotast
