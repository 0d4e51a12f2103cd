//===- PlanInternal.h - The pieces of hotast plan ---------------*- C++ -*-===//
//
// Shared by the files of `hotast plan` (lib/Wrapper/Plan*.cpp, BuildGraph.cpp):
// the build's own graph (compiles, targets, tests), one unit's plan, what
// --predict, FILES and --since compare with, the worker processes that
// plan the units, and the graph of --graph. Not an interface of the
// library: Plan.h is.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_PLANINTERNAL_H
#define HOTAST_LIB_WRAPPER_PLANINTERNAL_H

#include "hotast/Cache/ObjectCache.h"
#include "hotast/Store/Store.h"
#include "hotast/Support/WorkingDir.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Plan.h"

#include "CommentEdit.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotast {
namespace plan {

/// Why a unit without a snapshot counts as recompiled: its last compile
/// through hotast left no fingerprint (there was none, or another
/// compiler's first compile ran without a parse: docs/wrapper.md).
constexpr const char *NoFingerprint =
    "no fingerprint of this command's compiles (never compiled through hotast, or only "
    "without a parse): counted as recompiled";

llvm::Error planError(const llvm::Twine &Message);
/// Path against Dir when relative, without . and .. components.
std::string absoluteIn(llvm::StringRef Dir, llvm::StringRef Path);
/// absoluteIn, then symbolic links resolved (as Clang's FileManager names a
/// file); absoluteIn's path when the file does not exist.
std::string realPath(llvm::StringRef Dir, llvm::StringRef Path);
/// Runs Argv, its standard output returned (stderr dropped); an error when
/// it cannot run or fails.
llvm::Expected<std::string> capture(llvm::ArrayRef<std::string> Argv);

// The build's graph (BuildGraph.cpp).

/// The build's outputs made from Objects (paths relative to BuildDir), that
/// is, what a build relinks or remakes after them: every non-phony output
/// they reach in the Ninja graph.
llvm::Expected<std::vector<std::string>> ninjaTargets(llvm::StringRef BuildDir,
                                                      const std::vector<std::string> &Objects);
/// The tests (CTest) whose command runs one of Targets (absolute paths).
llvm::Expected<std::vector<std::string>> ctestTests(llvm::StringRef BuildDir,
                                                    const llvm::StringSet<> &Targets);

// One unit (PlanUnit.cpp).

/// The content hash of the object at Output (the build's), if there is one.
std::optional<Hash128> contentOf(llvm::StringRef Output);
/// Direct mode's answer, when every file of an earlier compile of these
/// bytes is as it was: the build's object stays, or that compile's comes
/// back from the cache.
llvm::Expected<std::optional<UnitPlan>>
directVerdict(Store &S, ObjectCache &Objects, const Hash128 &Key,
              const std::optional<Hash128> &Current, llvm::StringRef Cwd,
              llvm::function_ref<bool(const FileStamp &)> Matches = stampMatches);
/// The wrapper's answer without a parse when the files of an earlier compile
/// of this command changed by comment lines only (CommentEdit.h), Argv the
/// command as the compile runs it.
llvm::Expected<std::optional<UnitPlan>>
commentVerdict(Store &S, ObjectCache &Objects, const CompileKeys &Keys,
               const CompileCommand &Cmd, const std::optional<Hash128> &Current,
               llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv, CodeLinesNow &Code,
               llvm::function_ref<bool(const FileStamp &)> Matches = stampMatches);
llvm::json::Array changesToJson(const std::vector<UnitPlan::ChangedDecl> &Changes);

// What the plan compares with, and --predict (PlanPredict.cpp).

/// What the plan compares the sources on disk with, and where the contents
/// of before the edit come from.
class Baseline {
public:
  enum class Kind { LastBuild, Files, Since } K = Kind::LastBuild;

  /// FILES: the edit is these files (real paths); any other file as the
  /// build read it.
  llvm::StringSet<> Named;
  /// --since: the files git says changed since REV (real paths), with the
  /// file holding their contents at REV (empty: the file is new since).
  std::map<std::string, std::string> SinceContents;

  /// Makes the directory that holds contents of before the edit.
  llvm::Error setUp();
  ~Baseline();
  /// The files of Since at revision Rev of the git repository that holds
  /// Dir (the sources).
  llvm::Error fromGit(llvm::StringRef Dir, llvm::StringRef Rev);
  /// A file holding the contents Stamp had when the build read it (kept by
  /// the wrapper beside the objects), or an empty string when they are gone.
  std::string keptContents(ObjectCache &Objects, const FileStamp &Stamp);
  /// realPath and stampMatches, once per file for all the units.
  const std::string &realPath(llvm::StringRef Dir, llvm::StringRef Path);
  bool matches(const FileStamp &F);
  /// The code lines of files now, for all the units.
  CodeLinesNow Code;
  /// The working directory and the compilers' identities, for all the
  /// units' keys (unitCommand).
  KeyContext Keys;
  /// Whether realPath has given Real for some file a unit read.
  bool wasRead(llvm::StringRef Real) const { return Resolved.contains(Real); }

  /// Starts finding the contents of the outputs (objects) at Paths
  /// (absolute), on another thread: an output whose size and time are those
  /// of the stamp an earlier plan kept has the stamp's, any other is read
  /// and hashed (and stamped again, in NewOutputStamps, when its time is
  /// trusted). Objects can be large, and a build has many.
  llvm::Error startOutputs(Store &S, std::vector<std::string> Paths);
  /// The content of the output at Abs (one of startOutputs' Paths), absent
  /// when it cannot be read; waits for startOutputs' thread.
  std::optional<Hash128> outputContent(const std::string &Abs);
  /// The outputs stamped again, and how many were read (both wait for the
  /// thread).
  const std::vector<FileStamp> &newOutputStamps() { return waitOutputs(), NewOutputStamps; }
  size_t outputsRead() { return waitOutputs(), OutputsRead; }

private:
  std::string TempDir;
  std::map<std::string, std::string> Kept;
  /// The real path of Abs (absolute), its directory's taken from RealDirs.
  std::string resolve(llvm::StringRef Abs);
  llvm::StringMap<std::string> RealPaths, RealDirs;
  llvm::StringSet<> Resolved;
  /// By the hash of the whole stamp (asked for every entry of every
  /// compile: a lookup copies no path).
  std::map<Hash128, bool> Matches;
  /// The key's bytes, in one buffer for every lookup (no allocation each).
  Hasher MatchKey;
  void waitOutputs() {
    if (OutputsDone.valid())
      OutputsDone.get();
  }
  llvm::StringMap<std::optional<Hash128>> Outputs;
  std::vector<FileStamp> NewOutputStamps;
  size_t OutputsRead = 0;
  /// startOutputs' thread, which fills Outputs (declared last: destroyed
  /// first, it waits for the thread).
  std::future<void> OutputsDone;
};

/// One compile as the plan sees it before parsing anything.
struct Inspection {
  std::optional<UnitPlan> Decided;
  /// The unit key (the store's records of its compiles are under it).
  Hash128 Unit;
  /// The edit's files among those the unit read (real paths), with a file
  /// holding each one's contents before the edit.
  std::vector<std::pair<std::string, std::string>> Changed;
  /// Files that changed outside the edit (FILES): parsed as they were.
  std::vector<std::pair<std::string, std::string>> Others;
  /// A changed file whose contents before the edit are not known (the
  /// wrapper did not keep them, or new since --since's revision).
  std::string Unknowable;
  bool MainChanged = false;
  /// The build's object is not the one of the snapshot's compile: only a
  /// parse of this unit can tell.
  bool Stale = false;
  /// The edit's files and their contents before it, for grouping.
  Hash128 EditKey;
};


/// A plan decided without a parse.
UnitPlan decided(UnitPlan::Verdict V, llvm::StringRef How, llvm::StringRef Reason = "");

/// A compile's command as the wrapper classifies it, and its keys when
/// hotast caches it. In the compile's directory.
struct UnitCommand {
  /// The command with its response files expanded, as the compile runs it.
  std::vector<std::string> Expanded;
  Classification Cl;
  std::optional<CompileKeys> Keys;
};
/// The source's content comes from the unit's snapshot (Heads) when its
/// stamp there matches the file (B.matches), without reading it. In the
/// compile's directory, Cwd as the system names it (WorkingDirs::path()).
llvm::Expected<UnitCommand> unitCommand(const Config &C, const BuildCompile &BC,
                                        llvm::StringRef Cwd, Baseline &B,
                                        const std::map<Hash128, Store::UnitHead> &Heads);

/// Which stamps of the build's direct-mode entries can still match, asked
/// by the store as it reads them (Store::prefetchManifests). inspect takes
/// an entry whose every stamp matches the file (Baseline::matches) or
/// has the code lines the file has now (findCommentEdit's rule, in the
/// compile's command shape and directory); a stamp that does neither rules
/// out the entries that hold it. A compile looks at the entries of its
/// direct key and of its source's code key, both made from its salt: an
/// entry is ruled out only where every compile of the salt has one command
/// shape (and so one directory).
class MatchFilter {
public:
  MatchFilter(Baseline &B, WorkingDirs &In) : B(B), In(In) {}
  /// A compile whose entries inspect looks at (U has keys), in directory Dir.
  void add(const UnitCommand &U, llvm::StringRef Dir);
  /// Whether F, a stamp of an entry under DirectKey, can still match; each
  /// stamp (as the store holds it) is looked at once per command shape.
  bool mayMatch(const Hash128 &DirectKey, const FileStamp &F);

private:
  /// A command shape, as the first compile of it.
  struct Shape {
    Hash128 Hash;
    const UnitCommand *U;
    std::string Dir;
  };
  bool asItWas(const Shape &S, const FileStamp &F);
  Baseline &B;
  WorkingDirs &In;
  std::map<Hash128, Shape> Shapes;
  /// Each salt's command shape; none when its compiles have several.
  std::map<Hash128, const Shape *> SaltShapes;
  /// Each direct key's salt.
  std::map<Hash128, Hash128> Salts;
  /// The store gives a key's entries together.
  std::optional<Hash128> LastKey;
  const Shape *Last = nullptr;
  llvm::DenseMap<std::pair<const Shape *, const FileStamp *>, bool> Verdicts;
};

/// The compile's last compile's snapshot (from Heads, every unit's), and
/// which of the files that compile read the edit changed; decided at once
/// when direct mode answers, when hotast has no record, or when nothing it
/// read changed. In the compile's directory.
llvm::Expected<Inspection> inspect(const UnitCommand &U, const BuildCompile &BC, Store &S,
                                   ObjectCache &Objects, Baseline &B,
                                   const std::map<Hash128, Store::UnitHead> &Heads);

/// --predict: the other units of a group (the same edited files, with the
/// same contents before the edit), answered from the parsed unit's view of
/// the edit (Parsed's summaries) and the store's records of which
/// declarations each uses, and how each saw them.
llvm::Error answerFromRecords(Store &S, const UnitPlan &Parsed,
                              const std::vector<size_t> &Members,
                              const std::vector<Inspection> &Units,
                              std::vector<std::optional<UnitPlan>> &Plans);

/// One unit to plan: a compile of the build and what to parse besides the
/// files on disk.
struct UnitTask {
  size_t Index;
  UnitRequest Request;
};

/// Each task planned in a process of its own (`hotast-clang plan --unit`),
/// Jobs at a time: a compile is planned in its directory, and the working
/// directory belongs to the process. With Jobs 1, in this process. A worker
/// that runs over WorkerTimeout is stopped and the plan fails; on any
/// failure the other workers are stopped too.
llvm::Expected<std::vector<UnitPlan>> planTasks(const Config &C,
                                                const std::vector<BuildCompile> &Compiles,
                                                const std::vector<UnitTask> &Tasks,
                                                unsigned Jobs);

/// The changed declarations, each with the units it reaches (the units
/// whose object changes because of it), grouped by the file that declares
/// them; in text, JSON or Graphviz dot.
PlanReport renderGraph(const std::vector<BuildCompile> &Compiles,
                       const std::vector<UnitPlan> &Plans, PlanOptions::Graph Format);

} // namespace plan
} // namespace hotast

#endif
