//===- Plan.h - What an edit makes the build recompile ----------*- C++ -*-===//
//
// hotast plan: for each compile of a build (its compile_commands.json), the
// wrapper's own decision taken without compiling or writing anything: the
// object is reused when every file it read has its bytes (direct mode) or
// when a parse finds the declarations that reach it unchanged (the semantic
// fingerprint, as the wrapper computes it); otherwise it is recompiled, and
// the declarations that changed say why. Then, from the build's own graph
// (Ninja) and its tests (CTest), what must be relinked and which tests can
// be affected. See docs/plan.md.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_PLAN_H
#define HOTAST_WRAPPER_PLAN_H

#include "hotast/Store/Store.h"
#include "hotast/Wrapper/Config.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hotast {

/// One compile of the build, as compile_commands.json names it.
struct BuildCompile {
  std::vector<std::string> Argv;
  std::string Directory, Source, Output;
};

/// The compiles of BUILD_DIR/compile_commands.json (a launcher in front of
/// the compiler is dropped); relative paths are the entries' own.
llvm::Expected<std::vector<BuildCompile>> readCompileCommands(llvm::StringRef BuildDir);

/// What a header declares and does, as one unit's parse sees it: every
/// declaration of the summarized files (hashed as snapshots hash them, and
/// the tokens it spells there), and their directives in order (macro
/// definitions, conditions, includes, skipped regions, pragmas), each with
/// the hash of its text.
struct FileSummary {
  std::vector<SnapshotDecl> Decls;
  std::vector<std::pair<std::string, Hash128>> Directives;
  /// By declaration key: the hash of the tokens its declarations in the
  /// summarized files spell (TUFingerprint::FileDeclTexts).
  std::map<std::string, Hash128> Texts;
};

/// What a unit's plan parses besides the files on disk.
struct UnitRequest {
  /// Files parsed with other contents: (real path, a file holding them).
  std::vector<std::pair<std::string, std::string>> Contents;
  /// Files (real paths) whose declarations and directives are summarized
  /// (UnitPlan::Summary, and BeforeSummary when Before is parsed).
  std::vector<std::string> SummaryFiles;
  /// The sources before the edit: Contents, then these (real path, a file
  /// holding the contents then). Parsed when ParseBefore.
  std::vector<std::pair<std::string, std::string>> Before;
  bool ParseBefore = false;
  /// Decide against the parse of Before (`--since REV`) instead of the
  /// unit's last compile through hotast.
  bool CompareBefore = false;
};

struct UnitPlan {
  enum class Verdict {
    Unchanged, // the object the build has stays (How: "same bytes", "same declarations")
    Recompile, // Reasons: why
    Unknown,   // hotast has no record of this compile: counted as recompiled
    Failed,    // the sources do not compile now: Diagnostics
  };
  Verdict V = Verdict::Unknown;
  std::string How;
  std::vector<std::string> Reasons;
  std::string Diagnostics;
  /// Every declaration whose hash changed against the build's last compile
  /// of this unit (Reasons shows the first ten).
  struct ChangedDecl {
    std::string Change; // "added", "changed", "removed"
    std::string Key, Kind, Name, File;
    unsigned Line = 0;
  };
  std::vector<ChangedDecl> Changes;
  /// With UnitRequest::SummaryFiles: the summary of those files after and
  /// before the edit (absent when that parse failed or did not run).
  std::optional<FileSummary> Summary, BeforeSummary;
};

/// The wrapper's decision for Argv in the current working directory
/// (plan changes to each compile's directory before it asks).
llvm::Expected<UnitPlan> planUnit(const Config &C, llvm::ArrayRef<std::string> Argv,
                                  const UnitRequest &Request = {});

/// A unit's plan and request as planBuild and its worker processes pass
/// them on.
llvm::json::Value unitPlanToJson(const UnitPlan &P);
llvm::Expected<UnitPlan> unitPlanFromJson(llvm::StringRef Text);
llvm::json::Value unitRequestToJson(const UnitRequest &R);
llvm::Expected<UnitRequest> unitRequestFromJson(llvm::StringRef Text);

struct PlanOptions {
  std::string BuildDir;
  Config C;
  /// Compiles planned at once, each in a process of its own (1: one after
  /// another, in this process).
  unsigned Jobs = 1;
  /// Instead of the plan, the graph of the changed declarations and the
  /// units each reaches.
  enum class Graph { None, Text, Json, Dot } GraphFormat = Graph::None;
  /// Parse the changed headers once, in one unit that reads them, before and
  /// after the edit, and answer for the other units from the store's records.
  bool Predict = false;
  /// Only these files' edits (as they are on disk); every other file as the
  /// build read it.
  std::vector<std::string> Files;
  /// Compare with this git revision instead of the last build.
  std::string Since;
};

struct PlanReport {
  /// 0: planned; 2: a source does not compile, or the build cannot be
  /// planned (Error says why).
  int Exit = 0;
  std::string Error;
  llvm::json::Object Json;
  std::string Text;
};

/// Plans every compile of the build, then its targets and tests.
PlanReport planBuild(const PlanOptions &O);

} // namespace hotast

#endif
