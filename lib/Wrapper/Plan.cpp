//===- Plan.cpp - What an edit makes the build recompile ------------------===//
//
// planBuild: the build's compiles, each one's plan (in worker processes,
// PlanWorkers.cpp, or for --predict partly from the records), then targets
// and tests, or the graph of --graph (PlanGraph.cpp).
//
//===----------------------------------------------------------------------===//

#include "PlanInternal.h"

#include "hotast/Support/WorkingDir.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <chrono>
#include <map>

namespace hotast {

using namespace plan;

namespace {

/// Where --since looks for the sources' git repository: a CMake build's
/// source directory (CMAKE_HOME_DIRECTORY in its CMakeCache.txt), else the
/// directory of the first compile whose source lies outside the build
/// directory (a generated source there is in no repository), else the
/// build directory.
std::string sourcesDir(llvm::StringRef BuildDir, const std::vector<BuildCompile> &Compiles) {
  llvm::SmallString<256> CachePath(BuildDir);
  llvm::sys::path::append(CachePath, "CMakeCache.txt");
  if (auto Cache = llvm::MemoryBuffer::getFile(CachePath, /*IsText=*/true)) {
    llvm::SmallVector<llvm::StringRef, 0> Lines;
    (*Cache)->getBuffer().split(Lines, '\n');
    for (llvm::StringRef Line : Lines)
      if (Line.consume_front("CMAKE_HOME_DIRECTORY:INTERNAL=") &&
          llvm::sys::fs::is_directory(Line.rtrim("\r")))
        return Line.rtrim("\r").str();
  }
  std::string Build = realPath(".", BuildDir);
  for (const BuildCompile &BC : Compiles) {
    std::string Source = realPath(BC.Directory, BC.Source);
    if (!llvm::StringRef(Source).starts_with(Build + "/"))
      return llvm::sys::path::parent_path(Source).str();
  }
  return std::string(BuildDir);
}

} // namespace

PlanReport planBuild(const PlanOptions &O) {
  PlanReport R;
  auto Fail = [&](const llvm::Twine &Why) {
    R.Exit = 2;
    R.Error = Why.str();
    return std::move(R);
  };
  llvm::SmallString<256> BuildDir(O.BuildDir);
  if (std::error_code EC = llvm::sys::fs::make_absolute(BuildDir))
    return Fail(O.BuildDir + ": " + EC.message());
  auto Compiles = readCompileCommands(BuildDir);
  if (!Compiles)
    return Fail(llvm::toString(Compiles.takeError()));

  llvm::json::Array Recompile, Unchanged, Errors;
  std::vector<std::string> ChangedObjects;
  size_t Known = 0, Parsed = 0, Predicted = 0, CommentLines = 0;
  // Where the time goes: reading the build's records and stamps, parsing
  // (the worker processes), answering from the records, the build's graph.
  using Clock = std::chrono::steady_clock;
  auto SecondsSince = [](Clock::time_point T) {
    return std::chrono::duration<double>(Clock::now() - T).count();
  };
  double InspectS = 0, ParseS = 0, RecordsS = 0, TargetsS = 0;
  std::string Text;
  std::vector<UnitPlan> Plans;
  std::vector<std::string> Unread;
  Baseline B;
  bool Inspect = O.Predict || !O.Files.empty() || !O.Since.empty();
  if (!Inspect) {
    std::vector<UnitTask> Tasks;
    for (size_t I = 0; I != Compiles->size(); ++I)
      Tasks.push_back({I, {}});
    auto T0 = Clock::now();
    auto Done = planTasks(O.C, *Compiles, Tasks, O.Jobs);
    if (!Done)
      return Fail(llvm::toString(Done.takeError()));
    ParseS = SecondsSince(T0);
    Plans = std::move(*Done);
  } else {
    auto T0 = Clock::now();
    if (llvm::Error E = B.setUp())
      return Fail(llvm::toString(std::move(E)));
    if (!O.Since.empty()) {
      if (llvm::Error E = B.fromGit(sourcesDir(BuildDir, *Compiles), O.Since))
        return Fail(llvm::toString(std::move(E)));
    } else if (!O.Files.empty()) {
      B.K = Baseline::Kind::Files;
      for (const std::string &F : O.Files) {
        if (!llvm::sys::fs::exists(F))
          return Fail(F + ": no such file");
        B.Named.insert(realPath(".", F));
      }
    }
    auto S = Store::open(O.C.CacheDir);
    if (!S)
      return Fail(llvm::toString(S.takeError()));
    auto Objects = ObjectCache::open(O.C.CacheDir);
    if (!Objects)
      return Fail(llvm::toString(Objects.takeError()));
    auto Heads = (*S)->unitHeads();
    if (!Heads)
      return Fail(llvm::toString(Heads.takeError()));
    std::vector<Inspection> Units;
    Units.reserve(Compiles->size());
    std::vector<std::optional<UnitPlan>> Decided(Compiles->size());
    std::vector<UnitTask> Tasks;
    // Groups for --predict: one parsed unit, the others from the records.
    std::map<std::string, std::vector<size_t>> Groups;
    // Every compile's keys first: the store reads all their direct-mode
    // entries in one query.
    std::vector<UnitCommand> Commands;
    std::vector<Hash128> DirectKeys;
    WorkingDirs In;
    for (const BuildCompile &BC : *Compiles) {
      if (std::error_code EC = In.enter(BC.Directory))
        return Fail(BC.Directory + ": " + EC.message());
      auto U = unitCommand(O.C, BC, In.path(), B, *Heads);
      if (!U)
        return Fail(BC.Source + ": " + llvm::toString(U.takeError()));
      if (U->Keys)
        DirectKeys.push_back(U->Keys->Direct);
      Commands.push_back(std::move(*U));
    }
    // The objects are hashed while the store reads the manifests.
    std::vector<std::string> Outputs;
    for (size_t I = 0; I != Compiles->size(); ++I)
      if (Commands[I].Keys)
        Outputs.push_back(absoluteIn((*Compiles)[I].Directory, Commands[I].Cl.Command.Output));
    if (llvm::Error E = B.startOutputs(**S, std::move(Outputs)))
      return Fail(llvm::toString(std::move(E)));
    // Of the entries, only those inspect may take are decoded.
    if (B.K != Baseline::Kind::Since) {
      MatchFilter Filter(B, In);
      for (size_t I = 0; I != Compiles->size(); ++I)
        if (Commands[I].Keys)
          Filter.add(Commands[I], (*Compiles)[I].Directory);
      if (llvm::Error E = (*S)->prefetchManifests(
              DirectKeys,
              [&](const Hash128 &Key, const FileStamp &F) { return Filter.mayMatch(Key, F); }))
        return Fail(llvm::toString(std::move(E)));
    }
    for (size_t I = 0; I != Compiles->size(); ++I) {
      const BuildCompile &BC = (*Compiles)[I];
      if (std::error_code EC = In.enter(BC.Directory))
        return Fail(BC.Directory + ": " + EC.message());
      auto U = inspect(Commands[I], BC, **S, *Objects, B, *Heads);
      if (!U)
        return Fail(BC.Source + ": " + llvm::toString(U.takeError()));
      Units.push_back(std::move(*U));
      Inspection &Unit = Units.back();
      if (Unit.Decided) {
        Decided[I] = std::move(Unit.Decided);
        continue;
      }
      // --since compares with the parse of the state at REV, which a file
      // new since cannot be part of.
      if (!Unit.Unknowable.empty() && B.K == Baseline::Kind::Since) {
        Decided[I] = decided(UnitPlan::Verdict::Recompile, "compile",
                             Unit.Unknowable + " is new since " + O.Since +
                                 ": counted as recompiled");
        continue;
      }
      UnitTask T{I, {}};
      T.Request.Contents = Unit.Others;
      if (B.K == Baseline::Kind::Since) {
        T.Request.Before = Unit.Changed;
        T.Request.ParseBefore = T.Request.CompareBefore = true;
      }
      // Parsed exactly, alone: without --predict; when its own source
      // changed, or its snapshot is not of the build's object; when the
      // contents before the edit that --predict parses are not known.
      if (!O.Predict || Unit.MainChanged || Unit.Stale || Unit.Changed.empty() ||
          !Unit.Unknowable.empty()) {
        Tasks.push_back(std::move(T));
        continue;
      }
      Groups[Unit.EditKey.toHex()].push_back(I);
    }
    In.leave();
    // Only a later plan is faster for them: a store that cannot take them
    // now (busy, read-only) costs nothing else.
    llvm::consumeError((*S)->keepFileStamps(B.newOutputStamps()));
    // The first unit of each group is parsed before and after the edit,
    // with a summary of the edited files.
    std::vector<std::pair<size_t, std::vector<size_t>>> Representatives;
    for (auto &[Key, Members] : Groups) {
      size_t First = Members.front();
      UnitTask T{First, {}};
      T.Request.Contents = Units[First].Others;
      T.Request.Before = Units[First].Changed;
      T.Request.ParseBefore = true;
      T.Request.CompareBefore = B.K == Baseline::Kind::Since;
      for (const auto &[Path, Holder] : Units[First].Changed)
        T.Request.SummaryFiles.push_back(Path);
      Tasks.push_back(std::move(T));
      Representatives.push_back({First, std::vector<size_t>(Members.begin() + 1, Members.end())});
    }
    InspectS = SecondsSince(T0);
    // A file named that no compile read: nothing of the build depends on it.
    for (const auto &F : B.Named)
      if (!B.wasRead(F.getKey())) {
        Unread.push_back(F.getKey().str());
        Text += "note: no compile of the build read " + F.getKey().str() + "\n";
      }
    T0 = Clock::now();
    auto Done = planTasks(O.C, *Compiles, Tasks, O.Jobs);
    if (!Done)
      return Fail(llvm::toString(Done.takeError()));
    ParseS = SecondsSince(T0);
    T0 = Clock::now();
    std::map<size_t, UnitPlan *> ByIndex;
    for (size_t T = 0; T != Tasks.size(); ++T)
      ByIndex[Tasks[T].Index] = &(*Done)[T];
    for (auto &[First, Others] : Representatives) {
      if (llvm::Error E = answerFromRecords(**S, *ByIndex[First], Others, Units, Decided))
        return Fail(llvm::toString(std::move(E)));
      for (size_t I : Others)
        Predicted += Decided[I]->How == "predicted";
    }
    RecordsS = SecondsSince(T0);
    for (size_t T = 0; T != Tasks.size(); ++T)
      Decided[Tasks[T].Index] = std::move((*Done)[T]);
    for (auto &P : Decided)
      Plans.push_back(std::move(*P));
  }
  if (O.GraphFormat != PlanOptions::Graph::None)
    return renderGraph(*Compiles, Plans, O.GraphFormat);
  for (size_t I = 0; I != Compiles->size(); ++I) {
    const BuildCompile &BC = (*Compiles)[I];
    UnitPlan *P = &Plans[I];
    std::string Output = absoluteIn(BC.Directory, BC.Output);
    llvm::json::Object Entry{{"source", absoluteIn(BC.Directory, BC.Source)}, {"output", Output}};
    if (P->V != UnitPlan::Verdict::Unknown)
      ++Known;
    switch (P->V) {
    case UnitPlan::Verdict::Unchanged:
      if (P->How == "same declarations")
        ++Parsed;
      CommentLines += P->How == "comment lines";
      Entry["how"] = P->How;
      Unchanged.push_back(std::move(Entry));
      break;
    case UnitPlan::Verdict::Failed:
      Entry["diagnostics"] = P->Diagnostics;
      Text += "error: " + BC.Source + " does not compile:\n" + P->Diagnostics;
      Errors.push_back(std::move(Entry));
      break;
    case UnitPlan::Verdict::Recompile:
    case UnitPlan::Verdict::Unknown:
      Entry["how"] = P->How;
      Entry["reasons"] = llvm::json::Array(P->Reasons);
      Entry["changes"] = changesToJson(P->Changes);
      Text += (P->How == "cache" ? "changes (from the cache): " : "recompile: ") + BC.Source +
              " -> " + BC.Output + "\n";
      for (const std::string &Why : P->Reasons)
        Text += "  " + Why + "\n";
      ChangedObjects.push_back(Output);
      Recompile.push_back(std::move(Entry));
      break;
    }
  }
  if (Known == 0 && !Compiles->empty())
    return Fail("no compile of " + BuildDir + " was ever built through hotast (its records are "
                "in " + O.C.CacheDir +
                "): build it once with CMAKE_C_COMPILER_LAUNCHER=hotast and "
                "CMAKE_CXX_COMPILER_LAUNCHER=hotast");
  Text += "unchanged: " + std::to_string(Unchanged.size()) + " of " +
          std::to_string(Compiles->size()) + " compiles (" + std::to_string(Parsed) +
          " read a changed file and were parsed" +
          (O.Predict ? "; " + std::to_string(Predicted) + " answered from the records" : "") +
          (CommentLines ? "; " + std::to_string(CommentLines) + " saw only comments, spacing or unread text change"
                        : "") +
          ")\n";

  // Targets and tests, from the build's own graph.
  auto TargetsStart = Clock::now();
  llvm::json::Array Targets, Tests;
  llvm::SmallString<256> Ninja(BuildDir);
  llvm::sys::path::append(Ninja, "build.ninja");
  if (!ChangedObjects.empty() && llvm::sys::fs::exists(Ninja)) {
    std::vector<std::string> Relative;
    for (const std::string &Obj : ChangedObjects) {
      llvm::StringRef Rel(Obj);
      if (Rel.consume_front(BuildDir) && Rel.consume_front("/"))
        Relative.push_back(Rel.str());
      else
        Relative.push_back(Obj);
    }
    auto Found = ninjaTargets(BuildDir, Relative);
    if (!Found)
      return Fail("the build's graph: " + llvm::toString(Found.takeError()));
    llvm::StringSet<> Absolute;
    for (const std::string &T : *Found) {
      Targets.push_back(T);
      Absolute.insert(absoluteIn(BuildDir, T));
      Text += "relink: " + T + "\n";
    }
    llvm::SmallString<256> CTest(BuildDir);
    llvm::sys::path::append(CTest, "CTestTestfile.cmake");
    if (llvm::sys::fs::exists(CTest)) {
      auto Affected = ctestTests(BuildDir, Absolute);
      if (!Affected)
        return Fail("the build's tests: " + llvm::toString(Affected.takeError()));
      for (const std::string &T : *Affected) {
        Tests.push_back(T);
        Text += "test: " + T + "\n";
      }
    }
  }
  TargetsS = SecondsSince(TargetsStart);
  R.Exit = Errors.empty() ? 0 : 2;
  R.Json = llvm::json::Object{{"version", 1},
                              {"unread", llvm::json::Array(Unread)},
                              {"objects_read", int64_t(B.outputsRead())},
                              {"seconds", llvm::json::Object{{"inspect", InspectS},
                                                             {"parse", ParseS},
                                                             {"records", RecordsS},
                                                             {"targets", TargetsS}}},
                              {"mode", O.Predict ? "predict" : "exact"},
                              {"build_dir", std::string(BuildDir)},
                              {"recompile", std::move(Recompile)},
                              {"unchanged", std::move(Unchanged)},
                              {"errors", std::move(Errors)},
                              {"targets", std::move(Targets)},
                              {"tests", std::move(Tests)}};
  R.Text = std::move(Text);
  return R;
}

} // namespace hotast
