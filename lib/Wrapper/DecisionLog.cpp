//===- DecisionLog.cpp - A log record as text or as JSON ------------------===//

#include "hotast/Wrapper/DecisionLog.h"

#include "hotast/Wrapper/Config.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace hotast {

llvm::StringRef eventName(LogEvent E) {
  switch (E) {
  case LogEvent::DirectHit:
    return "direct_hit";
  case LogEvent::SemanticHit:
    return "semantic_hit";
  case LogEvent::Miss:
    return "miss";
  case LogEvent::NotCached:
    return "not_cached";
  case LogEvent::Uncacheable:
    return "uncacheable";
  case LogEvent::CompileFailed:
    return "compile_failed";
  case LogEvent::Fallback:
    return "fallback";
  case LogEvent::Note:
    return "note";
  case LogEvent::Link:
    return "link";
  }
  llvm_unreachable("every event is named");
}

/// The words a decision's message starts with ("" for a note or a link),
/// and whether its reason follows in parentheses ("compile failed (status
/// 1)", "semantic hit (parsed without code generation)") rather than after a
/// colon ("miss: changed function f").
static std::pair<llvm::StringRef, bool> phraseOf(LogEvent E) {
  switch (E) {
  case LogEvent::DirectHit:
    return {"direct hit", true};
  case LogEvent::SemanticHit:
    return {"semantic hit", true};
  case LogEvent::Miss:
    return {"miss", false};
  case LogEvent::NotCached:
    return {"not cached", false};
  case LogEvent::Uncacheable:
    return {"uncacheable", true};
  case LogEvent::CompileFailed:
    return {"compile failed", true};
  case LogEvent::Fallback:
    return {"fallback", false};
  case LogEvent::Note:
  case LogEvent::Link:
    return {"", false};
  }
  llvm_unreachable("every event has a phrase");
}

std::string messageOf(const LogRecord &R) {
  auto [Phrase, InParentheses] = phraseOf(R.Event);
  std::string Out = Phrase.str();
  if (R.Remote)
    Out += " (remote)";
  if (!R.Reason.empty()) {
    if (Phrase.empty())
      Out += R.Reason;
    else if (InParentheses)
      Out += " (" + R.Reason + ")";
    else
      Out += ": " + R.Reason;
  }
  for (const std::string &N : R.Notes)
    Out += " (" + N + ")";
  if (R.Source.empty() && !R.Compiler.empty())
    Out += ": " + R.Compiler;
  return Out;
}

/// "SOURCE -> OUTPUT: ", "link OUTPUT: ", or nothing for a command hotast
/// did not take apart.
static std::string subjectOf(const LogRecord &R) {
  if (R.Event == LogEvent::Link)
    return "link " + R.Output + ": ";
  if (R.Source.empty())
    return "";
  return R.Source + " -> " + R.Output + ": ";
}

/// JSON strings are UTF-8; a path need not be: its other bytes become
/// U+FFFD (the text log keeps them as they are).
static std::string utf8(llvm::StringRef S) {
  return llvm::json::isUTF8(S) ? S.str() : llvm::json::fixUTF8(S);
}

static std::string jsonLine(const LogRecord &R, llvm::StringRef Time) {
  llvm::json::Array Notes;
  for (const std::string &N : R.Notes)
    Notes.push_back(utf8(N));
  llvm::json::Object O{{"time", Time},
                       {"pid", int64_t(::getpid())},
                       {"event", eventName(R.Event)},
                       {"source", utf8(R.Source)},
                       {"output", utf8(R.Output)},
                       {"reason", utf8(R.Reason)},
                       {"notes", std::move(Notes)},
                       {"remote", R.Remote},
                       {"message", utf8(messageOf(R))}};
  if (!R.Compiler.empty())
    O["compiler"] = utf8(R.Compiler);
  std::string Line;
  llvm::raw_string_ostream OS(Line);
  OS << llvm::json::Value(std::move(O)) << '\n';
  return Line;
}

void writeLog(const Config &C, const LogRecord &R) {
  if (C.LogFile.empty())
    return;
  std::time_t Now = std::time(nullptr);
  char Time[32];
  std::strftime(Time, sizeof(Time), "%Y-%m-%dT%H:%M:%S", std::localtime(&Now));
  std::string Line =
      C.LogJson ? jsonLine(R, Time)
                : (llvm::Twine(Time) + " [" + llvm::Twine(::getpid()) + "] " + subjectOf(R) +
                   messageOf(R) + "\n")
                      .str();
  int FD = ::open(C.LogFile.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (FD < 0)
    return;
  ssize_t Ignored = ::write(FD, Line.data(), Line.size());
  (void)Ignored;
  ::close(FD);
}

void logNote(const Config &C, llvm::StringRef Source, llvm::StringRef Output,
             llvm::StringRef Text) {
  LogRecord R;
  R.Source = Source.str();
  R.Output = Output.str();
  R.Reason = Text.str();
  writeLog(C, R);
}

} // namespace hotast
