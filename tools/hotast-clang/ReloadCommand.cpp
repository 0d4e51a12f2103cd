//===- ReloadCommand.cpp - hotast reload, hotast delta --------------------===//
//
// The command lines of hot reload; the work is in lib/Reload.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "hotast/Reload/Reload.h"
#include "hotast/Reload/RuntimeClient.h"
#include "hotast/Wrapper/Config.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

static const char ReloadHelp[] = R"(USAGE: hotast reload (--pid PID | --socket PATH) [--json] [--dry-run] [--undo]

Patches a running program (built with 'hotast reload-flags', compiled and
linked through hotast) with the functions the sources changed since it was
built, keeping its state. Prints what was patched, what was refused and why,
and the time of each phase. The link records and reload units are read from
the cache directory (HOTAST_DIR, as for the wrapper).

OPTIONS:
  --pid PID       The process (its runtime listens on
                  ${XDG_RUNTIME_DIR:-/tmp}/hotast-<uid>/PID.sock).
  --socket PATH   The runtime's socket, named directly.
  --json          One JSON document: result, message, delta, times_ms.
  --dry-run       Compute the delta and its verdicts; build and apply nothing.
  --undo          Pop the process's last patch (back to the one before it, or
                  to the original code).
  -h, --help      Show this help.

EXIT STATUS: 0 applied (or nothing to do), 1 refused, 2 error.
)";

static const char DeltaHelp[] = R"(USAGE: hotast delta (--pid PID | --socket PATH)

Prints the delta between what a running program was built from and the
sources now, as JSON (docs/delta.md): per declaration its change and verdict,
the functions a patch would redirect, refusals and warnings. Nothing is
built or applied.

EXIT STATUS: 0 patchable (or nothing changed), 1 refused, 2 error.
)";

namespace {

struct ReloadArgs {
  ReloadRequest Req;
  bool Json = false, Undo = false;
};

/// Parses the shared options; returns an error message or "".
std::string parseReloadArgs(CommandArgs Args, ReloadArgs &Out, bool &Help, bool Delta) {
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    auto Value = [&](llvm::StringRef &V) {
      if (I + 1 >= Args.size())
        return false;
      V = Args[++I];
      return true;
    };
    llvm::StringRef V;
    if (A == "-h" || A == "--help")
      Help = true;
    else if (A == "--pid") {
      long Pid = 0;
      if (!Value(V) || V.getAsInteger(10, Pid) || Pid <= 0)
        return "--pid needs a process id";
      Out.Req.Socket = socketPathFor(Pid);
    } else if (A == "--socket") {
      if (!Value(V))
        return "--socket needs a path";
      Out.Req.Socket = V.str();
    } else if (!Delta && A == "--json")
      Out.Json = true;
    else if (!Delta && A == "--dry-run")
      Out.Req.DryRun = true;
    else if (!Delta && A == "--undo")
      Out.Undo = true;
    else
      return ("unknown argument '" + A + "'").str();
  }
  if (!Help && Out.Req.Socket.empty())
    return "name the process with --pid PID or --socket PATH";
  Out.Req.CacheDir = Config::fromEnvironment().CacheDir;
  return "";
}

} // namespace

int runReload(CommandArgs Args) {
  ReloadArgs R;
  bool Help = false;
  if (std::string Err = parseReloadArgs(Args, R, Help, /*Delta=*/false); !Err.empty())
    return reportError("reload", Err), 2;
  if (Help) {
    llvm::outs() << ReloadHelp;
    return 0;
  }
  ReloadReport Report = R.Undo ? undoPatch(R.Req) : reload(R.Req);
  // Reported first, then the preambles for the next reload are built.
  auto Finish = [&] {
    llvm::outs().flush();
    llvm::errs().flush();
    prepareNextReload(R.Req, Report);
    return int(Report.Exit);
  };
  if (!Report.Diagnostics.empty())
    llvm::errs() << Report.Diagnostics;
  if (R.Json) {
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(llvm::json::Object(Report.Json)))
                 << "\n";
    return Finish();
  }
  llvm::raw_ostream &OS = Report.Exit == ReloadExit::Error ? llvm::errs() : llvm::outs();
  OS << "hotast reload: " << Report.Summary << "\n";
  if (const llvm::json::Object *Delta = Report.Json.getObject("delta")) {
    if (const llvm::json::Array *Units = Delta->getArray("units"); Units && !Units->empty()) {
      OS << "  compiled:";
      for (const llvm::json::Value &U : *Units)
        OS << " " << llvm::sys::path::filename(U.getAsObject()->getString("object").value_or(""));
      OS << "\n";
    }
    if (const llvm::json::Array *Decls = Delta->getArray("decls"))
      for (const llvm::json::Value &D : *Decls) {
        const llvm::json::Object &O = *D.getAsObject();
        OS << "  " << O.getString("change").value_or("") << " " << O.getString("kind").value_or("")
           << " " << O.getString("name").value_or("") << ": "
           << O.getString("verdict").value_or("");
        if (auto Reason = O.getString("reason"))
          OS << " (" << *Reason << ")";
        OS << "\n";
      }
    if (const llvm::json::Array *Fns = Delta->getArray("functions"))
      for (const llvm::json::Value &F : *Fns) {
        const llvm::json::Object &O = *F.getAsObject();
        OS << "  function " << O.getString("symbol").value_or("") << ": "
           << O.getString("why").value_or("") << "\n";
      }
  }
  if (const llvm::json::Object *Times = Report.Json.getObject("times_ms")) {
    OS << "  times (ms):";
    for (llvm::StringRef Phase : {"base", "delta", "compile", "link", "apply", "total"})
      if (auto Ms = Times->getNumber(Phase))
        OS << " " << Phase << " " << llvm::formatv("{0:f1}", *Ms);
    OS << "\n";
  }
  return Finish();
}

int runDelta(CommandArgs Args) {
  ReloadArgs R;
  bool Help = false;
  if (std::string Err = parseReloadArgs(Args, R, Help, /*Delta=*/true); !Err.empty())
    return reportError("delta", Err), 2;
  if (Help) {
    llvm::outs() << DeltaHelp;
    return 0;
  }
  R.Req.DryRun = true;
  ReloadReport Report = reload(R.Req);
  if (!Report.Diagnostics.empty())
    llvm::errs() << Report.Diagnostics;
  if (Report.Exit == ReloadExit::Error) {
    llvm::errs() << "hotast delta: " << Report.Summary << "\n";
    return 2;
  }
  llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(*Report.Json.getObject("delta"))))
               << "\n";
  llvm::outs().flush();
  prepareNextReload(R.Req, Report);
  return int(Report.Exit);
}

} // namespace hotast
