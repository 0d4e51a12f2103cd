//===- PlanCommand.cpp - hotast plan --------------------------------------===//

#include "Commands.h"

#include "hotast/Wrapper/Plan.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

static const char PlanHelp[] = R"(USAGE: hotast plan -p BUILD_DIR [--json]

Says what the next build of BUILD_DIR recompiles and why, before it runs:
for each compile in BUILD_DIR/compile_commands.json, the decision hotast's
wrapper would take, taken without compiling or writing anything. A compile
whose files all have their bytes is unchanged; otherwise its sources are
parsed (as the wrapper parses them) and it is unchanged when the
declarations that reach its object are. Each compile that changes is listed
with the declarations that changed. Then, from the build's Ninja graph, the
libraries and programs to relink, and from CTest, the tests that run one of
them. The build must have been built through hotast once (as a compiler
launcher), with the same cache (HOTAST_DIR).

OPTIONS:
  -p BUILD_DIR   The build directory (CMake with CMAKE_EXPORT_COMPILE_COMMANDS=ON).
  --json         One JSON document (docs/plan.md).
  -h, --help     Show this help.

EXIT STATUS: 0 planned; 2 a source does not compile now (clang's diagnostics)
or the build cannot be planned.
)";

int runPlan(CommandArgs Args) {
  PlanOptions O;
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
    else
      return reportError("plan", "unknown argument '" + A + "' (see 'hotast plan --help')"), 2;
  }
  if (O.BuildDir.empty())
    return reportError("plan", "name the build directory: -p BUILD_DIR"), 2;
  O.C = Config::fromEnvironment();
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
