//===- Parse.h - Parsing a source with the linked Clang ---------*- C++ -*-===//
//
// Runs the Clang that hotast links against (driver, then the cc1 frontend) in
// syntax-only mode over one source and analyses the AST. The driver is the
// real clang binary of the same version, so include paths, the resource
// directory and language defaults are exactly those of that clang.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_PARSE_H
#define HOTAST_COMPILE_PARSE_H

#include "hotast/Analysis/DeclRecord.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace hotast {

/// How long a parse took, in seconds: `hotast decls --time` and the
/// benchmarks ask for it (ParseInput::Times).
struct ParseTimes {
  /// The whole parse, and the analysis (keys and hashes) within it.
  double TotalSeconds = 0;
  double AnalysisSeconds = 0;
  /// With ParseInput::TimeScopes: each scope's analysis time and
  /// declaration count, for "main", "closure" and "all", from one parse.
  struct Scope {
    std::string Name;
    double Seconds;
    size_t Decls;
  };
  std::vector<Scope> Scopes;
};

struct ParseInput {
  /// The source as the compiler sees it.
  std::string Path;
  /// When set, these bytes are parsed in Path's place (same name, same
  /// directory for relative includes) instead of the file on disk.
  std::optional<std::string> Contents;
  /// Compiler flags, without the input file and without -o.
  std::vector<std::string> Args;
  /// Directory relative paths are resolved against; empty for the current one.
  std::string WorkingDir;
  /// Analyse only the main file's declarations (see AnalysisOptions).
  bool MainFileOnly = false;
  /// Analyse exactly the used-declaration closure the wrapper's fingerprint
  /// covers (overrides MainFileOnly).
  bool Closure = false;
  /// When set, how long the parse took.
  ParseTimes *Times = nullptr;
  /// Also time each scope's analysis (main file, closure, all declarations)
  /// on the same parse, into Times->Scopes.
  bool TimeScopes = false;
};

/// The clang binary hotast parses as (the same version it links).
llvm::StringRef linkedClangPath();

/// Parses Input and analyses its declarations. Clang's diagnostics are
/// printed to stderr as clang prints them; any error diagnostic, or a
/// command line the driver rejects, is an error.
llvm::Expected<TUAnalysis> parseAndAnalyze(const ParseInput &Input);

} // namespace hotast

#endif
