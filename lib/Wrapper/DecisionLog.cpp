//===- DecisionLog.cpp - A log record as text or as JSON ------------------===//

#include "hotast/Wrapper/DecisionLog.h"

#include "hotast/Wrapper/Config.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <ctime>
#include <iterator>
#include <fcntl.h>
#include <unistd.h>

namespace hotast {

namespace {
/// What each event is called in JSON, the words its text message starts
/// with ("" for a note or a link), and whether its reason follows them in
/// parentheses ("compile failed (status 1)", "semantic hit (parsed without
/// code generation)") rather than after a colon ("miss: changed function f").
struct EventWords {
  llvm::StringRef Name, Phrase;
  bool InParentheses;
};
} // namespace

/// In the order of LogEvent.
static constexpr EventWords Words[] = {
    {"direct_hit", "direct hit", true},         {"semantic_hit", "semantic hit", true},
    {"miss", "miss", false},                    {"not_cached", "not cached", false},
    {"uncacheable", "uncacheable", true},       {"compile_failed", "compile failed", true},
    {"fallback", "fallback", false},            {"note", "", false},
    {"link", "", false}};
static_assert(std::size(Words) == size_t(LogEvent::Link) + 1, "a row for every event");

llvm::StringRef eventName(LogEvent E) { return Words[size_t(E)].Name; }

std::string messageOf(const LogRecord &R) {
  auto [Name, Phrase, InParentheses] = Words[size_t(R.Event)];
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
  if (!R.Times.empty()) {
    llvm::json::Object Times;
    for (const auto &[Step, Ms] : R.Times)
      Times[Step] = std::round(Ms * 10) / 10;
    O["times"] = std::move(Times);
  }
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
  if (C.LogFile.empty())
    return;
  LogRecord R;
  R.Source = Source.str();
  R.Output = Output.str();
  R.Reason = Text.str();
  writeLog(C, R);
}

} // namespace hotast
