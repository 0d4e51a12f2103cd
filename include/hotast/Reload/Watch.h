//===- Watch.h - From a saved file to a patched program ---------*- C++ -*-===//
//
// hotast watch: starts a program (or attaches to one that runs
// libhotast-rt), watches every file its reload units read with inotify
// (the folders, so that editors that write a temporary and rename it, or
// delete and recreate the file, are seen as well as writes in place), and
// after each burst of saves (quiet for QuietMs) runs the reload in this
// process: Clang stays loaded and each unit's preamble stays precompiled
// between saves. One line per event for people, or one JSON object per line.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_RELOAD_WATCH_H
#define HOTAST_RELOAD_WATCH_H

#include "hotast/Reload/Reload.h"
#include <string>
#include <vector>

namespace hotast {

struct WatchOptions {
  /// Where the link records and reload units are (HOTAST_DIR).
  std::string CacheDir;
  /// The program to start, or empty to attach to Pid.
  std::vector<std::string> Command;
  long Pid = 0;
  bool Json = false;
  /// Start the program again at once when it exits (else at the next save).
  bool Restart = false;
  /// A shell command that rebuilds the program (empty: none). When an edit
  /// cannot be patched, the watcher takes the app's state snapshot (if it
  /// registered one), rebuilds, and starts the new program with it.
  std::string Rebuild;
  /// A burst of saves ends after this long without one.
  unsigned QuietMs = 50;
  /// Once watching, precompile the preambles of this many units (the ones
  /// whose source changed last) while waiting for the first save.
  unsigned WarmUnits = 4;
};

/// Runs until SIGINT or SIGTERM (status 0), or, when attached, until the
/// process is gone (status 1); 2 when it cannot start.
int runWatch(const WatchOptions &O);

/// The files the reload units of the running program read (absolute).
llvm::Expected<std::vector<std::string>> programFiles(const ReloadRequest &R);

} // namespace hotast

#endif
