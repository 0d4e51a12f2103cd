//===- Reload.h - From an edit to a patch in a running program --*- C++ -*-===//
//
// hotast reload: the delta between what a running program was built from
// and the sources now, the patch library that carries it, and its
// application by the program's runtime. See docs/reload.md and
// docs/delta.md.
//
//   base     the runtime's status (build id, load base, patch stack), the
//            link record of the build id, the reload unit of each object,
//            and for units an earlier patch replaced, that patch's record;
//   delta    each unit whose files changed is compiled (in-process, its own
//            command); declarations are compared with the base's records
//            (verdicts), functions with the base's object (what changed,
//            inlining included);
//   compile  the unit's IR cut down to the patch (PatchModule), optimised
//            and compiled as position-independent code;
//   link     one shared library, with a linker script binding each name to
//            the program's address;
//   apply    the runtime validates, loads and redirects.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_RELOAD_RELOAD_H
#define HOTAST_RELOAD_RELOAD_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <vector>

namespace hotast {

struct ReloadRequest {
  /// The process's socket.
  std::string Socket;
  /// The cache directory (where the link records and reload units are).
  std::string CacheDir;
  /// Stop after the delta: nothing is compiled into a patch or applied.
  bool DryRun = false;
};

enum class ReloadExit { Applied = 0, Refused = 1, Error = 2 };

/// A unit of the program as the build compiled it: its command and folder.
struct UnitCommand {
  std::vector<std::string> Argv;
  std::string WorkingDir;
};

struct ReloadReport {
  ReloadExit Exit = ReloadExit::Error;
  /// For people: what happened, in one line ("applied patch ...: 2
  /// functions", "refused: ...", "nothing changed").
  std::string Summary;
  /// The document `--json` prints: the delta, the outcome, phase times.
  llvm::json::Object Json;
  /// Clang's diagnostics when an edited unit does not compile.
  std::string Diagnostics;
  /// Units whose preamble is to be precompiled for the next reload, after
  /// this one has been reported (prepareNextReload).
  std::vector<UnitCommand> PreamblesToBuild;
};

ReloadReport reload(const ReloadRequest &R);

/// Precompiles the preambles the report asks for (errors are ignored: the
/// next reload then parses everything).
void prepareNextReload(const ReloadRequest &R, const ReloadReport &Report);

/// Precompiles each unit's preamble under R.CacheDir (kept ones that are
/// still true are left; errors are ignored). Changes the process's working
/// directory while it runs.
void precompilePreambles(const ReloadRequest &R, llvm::ArrayRef<UnitCommand> Units);

/// The program's units that hot reload can compile, the one whose source
/// was modified last first.
llvm::Expected<std::vector<UnitCommand>> programUnits(const ReloadRequest &R);

/// Pops the process's top patch.
ReloadReport undoPatch(const ReloadRequest &R);

} // namespace hotast

#endif
