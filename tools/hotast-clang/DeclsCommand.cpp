//===- DeclsCommand.cpp - hotast decls ------------------------------------===//
//
// Prints what hotast records for each declaration of one source, one JSON
// object per line: key, kind, name, location, hashes and references. For
// looking under the hood, and for tests of individual hashing rules.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

static const char DeclsHelp[] = R"(USAGE: hotast decls [options] FILE [-- COMPILER FLAGS...]

Prints one JSON object per declaration of FILE: key, kind, name, file, line,
sig, full, layout (records) and refs (keys of referenced declarations).

OPTIONS:
  --include-headers   Declarations of included files too.
  --closure           Exactly the declarations the compiler wrapper's fingerprint
                      covers: the used-declaration closure, headers included
                      (without refs).
  --time              Print to stderr the time spent parsing and hashing.
  --time-scopes       Print to stderr the hashing time of each scope (main file,
                      closure, all declarations), each from scratch on one parse.
  --json              With --time or --time-scopes: the times as one JSON object
                      on stderr (milliseconds): {"declarations", "total_ms",
                      "analysis_ms", "parse_ms"} and, with --time-scopes,
                      "scopes": [{"scope", "ms", "declarations"}]. Parse is the
                      total less every analysis, the scopes' included.
  -p BUILD_DIR        Take FILE's compiler flags from BUILD_DIR/compile_commands.json.
  -h, --help          Show this help.
)";

int runDecls(CommandArgs Args) {
  SourceOptions Sources;
  std::vector<llvm::StringRef> Rest;
  if (std::string Err = parseSourceOptions(Args, Sources, Rest); !Err.empty())
    return reportError("decls", Err);
  bool IncludeHeaders = false, Time = false, Closure = false, TimeScopes = false, Json = false;
  std::vector<llvm::StringRef> Files;
  for (llvm::StringRef A : Rest) {
    if (A == "-h" || A == "--help") {
      llvm::outs() << DeclsHelp;
      return 0;
    }
    if (A == "--include-headers")
      IncludeHeaders = true;
    else if (A == "--time")
      Time = true;
    else if (A == "--closure")
      Closure = true;
    else if (A == "--time-scopes")
      TimeScopes = true;
    else if (A == "--json")
      Json = true;
    else if (A.starts_with("-"))
      return reportError("decls", "unknown option '" + A + "' (compiler flags go after '--')");
    else
      Files.push_back(A);
  }
  if (Files.size() != 1)
    return reportError("decls", "expected one FILE (see 'hotast decls --help')");
  if (Json && !Time && !TimeScopes)
    return reportError("decls", "--json formats the times: it needs --time or --time-scopes");

  auto Input = makeParseInput(Files[0], Sources);
  if (!Input)
    return reportError("decls", llvm::toString(Input.takeError()));
  Input->MainFileOnly = !IncludeHeaders;
  Input->Closure = Closure;
  ParseTimes Times;
  Input->Times = &Times;
  Input->TimeScopes = TimeScopes;
  auto TU = parseAndAnalyze(*Input);
  if (!TU)
    return reportError("decls", llvm::toString(TU.takeError()));

  for (const DeclRecord &R : TU->Decls) {
    if (!IncludeHeaders && !Closure && !R.InMainFile)
      continue;
    llvm::json::OStream J(llvm::outs());
    J.object([&] {
      J.attribute("key", R.Key);
      J.attribute("kind", R.Kind);
      J.attribute("name", R.Name);
      J.attribute("file", R.File);
      J.attribute("line", R.Line);
      J.attribute("sig", R.Sig.toHex());
      J.attribute("full", R.Full.toHex());
      if (!R.Layout.isZero())
        J.attribute("layout", R.Layout.toHex());
      if (!Closure) // the closure's records are the fingerprint's, without references
        J.attributeArray("refs", [&] {
          for (const std::string &Ref : R.Refs)
            J.value(Ref);
        });
    });
    llvm::outs() << '\n';
  }
  // AnalysisSeconds already includes the scopes' times.
  double Parse = Times.TotalSeconds - Times.AnalysisSeconds;
  if (Json) {
    llvm::json::OStream J(llvm::errs());
    J.object([&] {
      J.attribute("declarations", int64_t(TU->Decls.size()));
      J.attribute("total_ms", Times.TotalSeconds * 1e3);
      J.attribute("analysis_ms", Times.AnalysisSeconds * 1e3);
      J.attribute("parse_ms", Parse * 1e3);
      if (TimeScopes)
        J.attributeArray("scopes", [&] {
          for (const ParseTimes::Scope &S : Times.Scopes)
            J.object([&] {
              J.attribute("scope", S.Name);
              J.attribute("ms", S.Seconds * 1e3);
              J.attribute("declarations", int64_t(S.Decls));
            });
        });
    });
    llvm::errs() << '\n';
    return 0;
  }
  if (TimeScopes) {
    llvm::errs() << llvm::format("hotast decls: parse %.2f ms", Parse * 1e3);
    for (const ParseTimes::Scope &S : Times.Scopes)
      llvm::errs() << llvm::format("; %s %.2f ms (%zu declarations, %.2f%%)", S.Name.c_str(),
                                   S.Seconds * 1e3, S.Decls, 100.0 * S.Seconds / Parse);
    llvm::errs() << '\n';
  }
  if (Time)
    llvm::errs() << llvm::format("hotast decls: %zu declarations; total %.2f ms, analysis %.2f "
                                 "ms, parse %.2f ms, analysis/parse %.2f%%\n",
                                 TU->Decls.size(), Times.TotalSeconds * 1e3,
                                 Times.AnalysisSeconds * 1e3, Parse * 1e3,
                                 100.0 * Times.AnalysisSeconds / Parse);
  return 0;
}

} // namespace hotast
