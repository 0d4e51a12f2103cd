//===- WatchCommand.cpp - hotast watch ------------------------------------===//

#include "Commands.h"

#include "hotast/Reload/Watch.h"
#include "hotast/Wrapper/Config.h"

#include "llvm/Support/raw_ostream.h"

namespace hotast {

static const char WatchHelp[] = R"(USAGE: hotast watch [--json] [--restart] [--quiet-ms N] [--warm N]
                    [--rebuild CMD | -p BUILD_DIR] -- COMMAND ARGS...
       hotast watch [--json] [--quiet-ms N] [--warm N] --pid PID

Runs COMMAND (a program built with 'hotast reload-flags', compiled and linked
through hotast), or attaches to process PID, and patches it each time a
source or header it was built from is saved: a burst of saves (an editor's
temporary and rename, a formatter, 'git checkout') is one patch. A save that
does not compile prints clang's diagnostics and applies nothing; an edit that
cannot be patched says why. Clang stays loaded between saves, and each unit's
preamble stays precompiled: built while the watcher waits, for the units
whose sources changed last as soon as it watches, for any other unit after
its first save. Stops at Ctrl-C (the program started is stopped too).

OPTIONS:
  --json         One JSON object per event (started, watching, ready, patched,
                 unchanged, refused, error, exited, crashed, gone), one per line.
  --restart      When the program exits or crashes, start it again at once
                 (otherwise at the next save) and patch it to the sources.
  --quiet-ms N   A burst of saves ends after N ms without one (default 50).
  --warm N       Once watching, precompile the preambles of the N units whose
                 sources changed last (default 4; 0: none until a save).
  --rebuild CMD  When an edit cannot be patched (a struct's layout, say): take
                 the app's state snapshot (hotast_rt_on_snapshot), run CMD
                 (a shell command that rebuilds the program), and start the
                 new program with the snapshot (hotast_rt_restore). An app
                 without the hooks gets a plain restart, said so.
  -p BUILD_DIR   The same as --rebuild "cmake --build BUILD_DIR".
  -h, --help     Show this help.
)";

int runWatchCommand(CommandArgs Args) {
  WatchOptions O;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A == "-h" || A == "--help") {
      llvm::outs() << WatchHelp;
      return 0;
    }
    if (A == "--json")
      O.Json = true;
    else if (A == "--restart")
      O.Restart = true;
    else if (A == "--quiet-ms" && I + 1 < Args.size()) {
      if (Args[++I].getAsInteger(10, O.QuietMs))
        return reportError("watch", "--quiet-ms needs a number of milliseconds"), 2;
    } else if (A == "--warm" && I + 1 < Args.size()) {
      if (Args[++I].getAsInteger(10, O.WarmUnits))
        return reportError("watch", "--warm needs a number of units"), 2;
    } else if (A == "--rebuild" && I + 1 < Args.size()) {
      O.Rebuild = Args[++I].str();
    } else if (A == "-p" && I + 1 < Args.size()) {
      O.Rebuild = "cmake --build '" + Args[++I].str() + "'";
    } else if (A == "--pid" && I + 1 < Args.size()) {
      if (Args[++I].getAsInteger(10, O.Pid) || O.Pid <= 0)
        return reportError("watch", "--pid needs a process id"), 2;
    } else if (A == "--") {
      for (++I; I < Args.size(); ++I)
        O.Command.push_back(Args[I].str());
    } else
      return reportError("watch", "unknown argument '" + A + "' (see 'hotast watch --help')"), 2;
  }
  if (O.Command.empty() == (O.Pid == 0))
    return reportError("watch", "name the program: -- COMMAND ARGS... or --pid PID"), 2;
  O.CacheDir = Config::fromEnvironment().CacheDir;
  return runWatch(O);
}

} // namespace hotast
