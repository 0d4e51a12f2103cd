//===- DecisionLog.h - One record per decision, written one way -*- C++ -*-===//
//
// The decision log (HOTAST_LOGFILE): what each compile ended in and why, and
// notes on the way. Every writer builds a LogRecord; this file alone turns
// one into text (`TIME [PID] SOURCE -> OUTPUT: MESSAGE`, the default, for
// people) or into a JSON object on one line (HOTAST_LOG_FORMAT=json, for
// scripts). docs/wrapper.md documents both; utils/hotastlib/decisionlog.py
// reads both.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_DECISIONLOG_H
#define HOTAST_WRAPPER_DECISIONLOG_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <utility>
#include <vector>

namespace hotast {

struct Config;

/// What a record says (DecisionLog.cpp's table of words follows this order).
/// The first seven end a compile (one per compile);
/// Note is said on the way; Link is a link hotast ran and recorded.
enum class LogEvent {
  DirectHit,
  SemanticHit,
  Miss,
  NotCached,     // compiled, not kept: nothing would vouch for the object
  Uncacheable,   // the real compiler ran untouched
  CompileFailed, // the compiler failed: its messages were printed
  Fallback,      // hotast failed and ran the real compiler
  Note,
  Link,
};

struct LogRecord {
  LogEvent Event = LogEvent::Note;
  /// As the command spells them; empty for a command hotast did not take
  /// apart (the front program's uncacheable) and, Source, for a link.
  std::string Source, Output;
  /// Why: a miss's changed declarations, the kind of a hit, a note's text.
  std::string Reason;
  /// What qualifies the reason, each shown in parentheses in the text.
  std::vector<std::string> Notes;
  /// Served from the remote cache.
  bool Remote = false;
  /// The program the command names, when Source is unknown (uncacheable).
  std::string Compiler;
  /// How long each step of the compile took, in milliseconds, in order:
  /// what hotast spent beside the compiler's own work (JSON's "times"; the
  /// text log leaves them out). docs/wrapper.md names the steps.
  std::vector<std::pair<std::string, double>> Times;
};

/// What the record says, as the text log shows it after "SOURCE -> OUTPUT: ":
/// "miss: changed function f (a.h:3) (parsed twice: a hit was likely)".
std::string messageOf(const LogRecord &R);

/// The event's name in JSON ("direct_hit", "semantic_hit", "miss", ...).
llvm::StringRef eventName(LogEvent E);

/// Appends R to the log (no-op without HOTAST_LOGFILE), as one line in the
/// configured format. One write() with O_APPEND, so lines of concurrent
/// compiles do not interleave.
void writeLog(const Config &C, const LogRecord &R);

/// A note on the compile Source -> Output.
void logNote(const Config &C, llvm::StringRef Source, llvm::StringRef Output,
             llvm::StringRef Text);

} // namespace hotast

#endif
