//===- ReloadInternal.h - The phases of one reload --------------*- C++ -*-===//
//
// Shared by the files of `hotast reload` (lib/Reload/Reload*.cpp): the
// units of the running program and the Reloader, whose phases are a file
// each: the base (ReloadBase.cpp), the functions a patch must hold
// (ReloadDelta.cpp), the verdicts on changed declarations
// (ReloadVerdicts.cpp), the patch's compile, link and application
// (ReloadApply.cpp); their order and the report are in Reload.cpp. Not an
// interface of the library: Reload.h is.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_RELOAD_RELOADINTERNAL_H
#define HOTAST_LIB_RELOAD_RELOADINTERNAL_H

#include "hotast/Cache/ObjectCache.h"
#include "hotast/Compile/UnitCompile.h"
#include "hotast/Reload/ObjectCode.h"
#include "hotast/Reload/PatchModule.h"
#include "hotast/Reload/ProgramImage.h"
#include "hotast/Reload/Reload.h"
#include "hotast/Reload/RuntimeClient.h"
#include "hotast/Store/Store.h"
#include "hotast/Support/Elapsed.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hotast {
namespace reloader {

using Clock = std::chrono::steady_clock;

/// A unit of the running program: one object it was linked from.
struct Unit {
  std::string ObjectPath;
  /// The content hash of the code that runs for it now (the object it was
  /// linked from, or the object of the last patch that replaced it).
  Hash128 Code;
  ReloadUnit Record;
  /// Files that differ from what Code was compiled from.
  std::vector<std::string> ChangedFiles;
};

/// The base name of patch Id's files in the runtime's directory.
std::string patchBase(const RuntimeStatus &S, llvm::StringRef Id);
/// Path made absolute against Dir (when Dir is given).
std::string absolutePath(llvm::StringRef Path, llvm::StringRef Dir);
/// The SHA-256 of Bytes, in lowercase hex.
std::string sha256Hex(llvm::StringRef Bytes);

/// One reload, phase by phase.
class Reloader {
public:
  explicit Reloader(const ReloadRequest &R) : Req(R) {}

  /// The files of every unit of the program (for hotast watch).
  llvm::Expected<std::vector<std::string>> files();
  llvm::Expected<std::vector<UnitCommand>> units();
  ReloadReport run();

private:
  bool error(const llvm::Twine &Message) {
    Report.Exit = ReloadExit::Error;
    Report.Summary = "error: " + Message.str();
    return false;
  }
  bool error(llvm::Error E) { return error(llvm::toString(std::move(E))); }

  // --- base (ReloadBase.cpp) ---------------------------------------------

  bool loadBase();
  void findChanges();

  // --- delta (ReloadDelta.cpp, ReloadVerdicts.cpp) -----------------------

  struct Compiled {
    Unit *U;
    std::optional<UnitCompile> C;
    std::string NewObject;
    ObjectCode Old, New;
    PatchModuleOptions Opts;
    /// The functions whose code is not what runs now, and why.
    llvm::StringMap<std::string> Why;
    /// When its compile began reading files (stampFiles' ReadSinceNs).
    int64_t StartNs = 0;
  };

  bool compileUnits();
  bool refuseUnit(Unit &U, const std::string &Why);
  bool redirectable(const Compiled &C, llvm::StringRef Name, bool Local);
  bool decide();
  void declVerdicts(Compiled &C);
  std::vector<std::string> outsideCallers(const Compiled &C, llvm::ArrayRef<std::string> Symbols);

  // --- compile, link, apply (ReloadApply.cpp) ----------------------------

  bool buildAndApply();
  static void removeFiles(const std::vector<std::string> &Files);

  // --- the report (Reload.cpp) -------------------------------------------

  void finish(Clock::time_point Start);

  const ReloadRequest &Req;
  ReloadReport Report;
  RuntimeStatus Status;
  std::unique_ptr<Store> DB;
  std::optional<ObjectCache> Cache;
  LinkRecord LinkRec;
  ProgramImage Image;
  std::map<uint64_t, std::string> EntryState;
  std::vector<Unit> Units;
  std::vector<Unit *> Changed;
  std::vector<Compiled> Units2;
  std::vector<std::string> Refusals, Warnings, NewVariables;
  llvm::json::Array DeclsJson, FunctionsJson;
  std::map<std::string, double> Times;
  std::string PatchId, Verdict;
  std::vector<std::string> PreambleStates;
};

} // namespace reloader
} // namespace hotast

#endif
