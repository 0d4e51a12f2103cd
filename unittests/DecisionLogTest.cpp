//===- DecisionLogTest.cpp - A log record's text form ---------------------===//
//
// messageOf gives the text log's MESSAGE for each kind of record (the JSON
// form and the reader are checked against hotast's own log by
// test/wrapper/decision-log-reader.test): the decision's words, the reason
// after a colon or in parentheses, "(remote)" first, each note in
// parentheses, the compiler of a command hotast did not take apart.
//
//===----------------------------------------------------------------------===//

#include "hotast/Wrapper/DecisionLog.h"
#include "gtest/gtest.h"
#include <set>

using namespace hotast;

namespace {

LogRecord record(LogEvent E, std::string Reason = "", std::vector<std::string> Notes = {}) {
  LogRecord R;
  R.Event = E;
  R.Source = "a.cpp";
  R.Output = "a.o";
  R.Reason = std::move(Reason);
  R.Notes = std::move(Notes);
  return R;
}

TEST(DecisionLogTest, EachDecisionsWords) {
  EXPECT_EQ(messageOf(record(LogEvent::DirectHit)), "direct hit");
  EXPECT_EQ(messageOf(record(LogEvent::SemanticHit, "parsed without code generation")),
            "semantic hit (parsed without code generation)");
  EXPECT_EQ(messageOf(record(LogEvent::Miss, "changed function f (a.h:3)",
                             {"parsed twice: a hit was likely"})),
            "miss: changed function f (a.h:3) (parsed twice: a hit was likely)");
  EXPECT_EQ(messageOf(record(LogEvent::NotCached, "the depfile names no file")),
            "not cached: the depfile names no file");
  EXPECT_EQ(messageOf(record(LogEvent::Uncacheable, "-fprofile-arcs")),
            "uncacheable (-fprofile-arcs)");
  EXPECT_EQ(messageOf(record(LogEvent::CompileFailed, "status 1")), "compile failed (status 1)");
  EXPECT_EQ(messageOf(record(LogEvent::Fallback, "disk full")), "fallback: disk full");
  EXPECT_EQ(messageOf(record(LogEvent::Note, "object not stored: disk full")),
            "object not stored: disk full");
}

TEST(DecisionLogTest, RemoteComesFirstThenReasonThenNotes) {
  LogRecord R = record(LogEvent::SemanticHit, "", {"one", "two"});
  R.Remote = true;
  EXPECT_EQ(messageOf(R), "semantic hit (remote) (one) (two)");
  R.Reason = "why";
  EXPECT_EQ(messageOf(R), "semantic hit (remote) (why) (one) (two)");
  R.Remote = false;
  R.Notes.clear();
  EXPECT_NE(messageOf(R), "semantic hit (remote) (why)");
}

TEST(DecisionLogTest, ACommandNotTakenApartNamesItsCompiler) {
  LogRecord R;
  R.Event = LogEvent::Uncacheable;
  R.Reason = "preprocessing only";
  R.Compiler = "clang++";
  EXPECT_EQ(messageOf(R), "uncacheable (preprocessing only): clang++");
  // A compile taken apart is named by its source and output instead.
  R.Source = "a.cpp";
  EXPECT_EQ(messageOf(R), "uncacheable (preprocessing only)");
}

TEST(DecisionLogTest, EventsHaveDistinctNames) {
  std::set<std::string> Names;
  for (LogEvent E : {LogEvent::DirectHit, LogEvent::SemanticHit, LogEvent::Miss,
                     LogEvent::NotCached, LogEvent::Uncacheable, LogEvent::CompileFailed,
                     LogEvent::Fallback, LogEvent::Note, LogEvent::Link})
    EXPECT_TRUE(Names.insert(eventName(E).str()).second) << eventName(E).str();
  EXPECT_EQ(eventName(LogEvent::DirectHit), "direct_hit");
}

} // namespace
