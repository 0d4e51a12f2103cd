//===- PlanCommand.cpp - hotast plan --------------------------------------===//

#include "Commands.h"

#include "hotast/Wrapper/Plan.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <thread>

namespace hotast {

static const char PlanHelp[] = R"(USAGE: hotast plan -p BUILD_DIR [--since REV | FILES...] [--predict] [--json]
                   [-j N] [--graph[=text|json|dot]]

Says what the next build of BUILD_DIR recompiles and why, before it runs:
for each compile of the build (a Ninja build's own commands, otherwise
BUILD_DIR/compile_commands.json), the decision hotast's
wrapper would take, taken without compiling or writing anything. A compile
whose files all have their bytes is unchanged; otherwise its sources are
parsed (as the wrapper parses them) and it is unchanged when the
declarations that reach its object are. Each compile that changes is listed
with the declarations that changed. Then, from the build's Ninja graph, the
libraries and programs to relink, and from CTest, the tests that run one of
them. The build must have been built through hotast once (as a compiler
launcher), with the same cache (HOTAST_DIR).

OPTIONS:
  -p BUILD_DIR   The build directory (Ninja, or any build with a compile_commands.json).
  FILES...       Plan the edits of these files only: every other file as the
                 build read it.
  --since REV    Compare the sources with git revision REV (of the repository
                 that holds them) instead of with what the build read.
  --predict      Parse the edited headers once, in one unit that reads them,
                 before and after the edit; answer for the other units from
                 the declarations each uses (the store's records).
                 Where the records cannot tell (a macro, a new declaration), the
                 unit is counted as recompiled.
  --json         One JSON document (docs/plan.md).
  -j N           Plan N compiles at once (default: the number of cores).
  --graph[=FORMAT]  Instead of the plan: each declaration that changed, in the
                 file that declares it, with the units whose object it changes
                 (text; json, also with --json; dot, for Graphviz).
  -h, --help     Show this help.

EXIT STATUS: 0 planned; 2 a source does not compile now (clang's diagnostics)
or the build cannot be planned.
)";

/// plan --unit DIR [--request FILE] -- ARGV...: one compile's plan as JSON,
/// for planBuild's worker processes.
static int runPlanUnit(CommandArgs Args) {
  if (Args.size() < 3)
    return reportError("plan", "--unit DIR [--request FILE] -- COMPILER ARGS..."), 2;
  llvm::StringRef Dir = Args[0];
  UnitRequest Request;
  Args = Args.drop_front();
  if (Args.size() > 2 && Args[0] == "--request") {
    auto Text = llvm::MemoryBuffer::getFile(Args[1]);
    if (!Text)
      return reportError("plan", Args[1] + ": " + Text.getError().message()), 2;
    auto R = unitRequestFromJson((*Text)->getBuffer());
    if (!R)
      return reportError("plan", Args[1] + ": " + llvm::toString(R.takeError())), 2;
    Request = std::move(*R);
    Args = Args.drop_front(2);
  }
  if (Args.size() < 2 || Args[0] != "--")
    return reportError("plan", "--unit DIR [--request FILE] -- COMPILER ARGS..."), 2;
  if (std::error_code EC = llvm::sys::fs::set_current_path(Dir))
    return reportError("plan", Dir + ": " + EC.message()), 2;
  std::vector<std::string> Argv;
  for (llvm::StringRef A : Args.drop_front())
    Argv.push_back(A.str());
  auto P = planUnit(Config::fromEnvironment(), Argv, Request);
  if (!P)
    return reportError("plan", llvm::toString(P.takeError())), 2;
  llvm::outs() << unitPlanToJson(*P) << "\n";
  return 0;
}

int runPlan(CommandArgs Args) {
  if (!Args.empty() && Args[0] == "--unit")
    return runPlanUnit(Args.drop_front());
  PlanOptions O;
  O.Jobs = std::max(1u, std::thread::hardware_concurrency());
  bool Json = false;
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A == "-h" || A == "--help") {
      llvm::outs() << PlanHelp;
      return 0;
    }
    if (A == "--json")
      Json = true;
    else if (A == "-p" && I + 1 < Args.size())
      O.BuildDir = Args[++I].str();
    else if (A == "--graph" || A == "--graph=text")
      O.GraphFormat = PlanOptions::Graph::Text;
    else if (A == "--graph=json")
      O.GraphFormat = PlanOptions::Graph::Json;
    else if (A == "--graph=dot")
      O.GraphFormat = PlanOptions::Graph::Dot;
    else if (A == "-j" && I + 1 < Args.size()) {
      if (Args[++I].getAsInteger(10, O.Jobs) || O.Jobs == 0)
        return reportError("plan", "-j needs a number of compiles at once"), 2;
    }
    else if (A == "--predict")
      O.Predict = true;
    else if (A == "--since" && I + 1 < Args.size())
      O.Since = Args[++I].str();
    else if (A.starts_with("--since="))
      O.Since = A.drop_front(8).str();
    else if (A.starts_with("-"))
      return reportError("plan", "unknown argument '" + A + "' (see 'hotast plan --help')"), 2;
    else
      O.Files.push_back(A.str());
  }
  if (!O.Since.empty() && !O.Files.empty())
    return reportError("plan", "--since REV and FILES... exclude each other"), 2;
  if (O.BuildDir.empty())
    return reportError("plan", "name the build directory: -p BUILD_DIR"), 2;
  O.C = Config::fromEnvironment();
  if (Json && O.GraphFormat == PlanOptions::Graph::Text)
    O.GraphFormat = PlanOptions::Graph::Json;
  if (O.GraphFormat == PlanOptions::Graph::Json)
    Json = true;
  PlanReport R = planBuild(O);
  if (!R.Error.empty())
    return reportError("plan", R.Error), R.Exit;
  if (Json)
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(R.Json))) << "\n";
  else
    llvm::outs() << R.Text;
  return R.Exit;
}

} // namespace hotast
