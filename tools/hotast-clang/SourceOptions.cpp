//===- SourceOptions.cpp - Where a command's compiler flags come from -----===//

#include "Commands.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

namespace hotast {

int reportError(llvm::StringRef Command, const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "hotast " + Command.str()) << Message << '\n';
  return 2;
}

std::string parseSourceOptions(CommandArgs Args, SourceOptions &Opts,
                               std::vector<llvm::StringRef> &Rest) {
  for (size_t I = 0; I < Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    if (A == "--") {
      for (++I; I < Args.size(); ++I)
        Opts.CompilerArgs.push_back(Args[I].str());
      break;
    }
    if (A == "-p") {
      if (I + 1 == Args.size())
        return "-p needs a build directory";
      Opts.BuildDir = Args[++I].str();
    } else if (A.consume_front("-p=")) {
      Opts.BuildDir = A.str();
    } else {
      Rest.push_back(A);
    }
  }
  return "";
}

/// Compiler flags of File's entry in BuildDir/compile_commands.json, without
/// the compiler, the input, the output and dependency-file flags.
static llvm::Expected<std::vector<std::string>>
flagsFromDatabase(llvm::StringRef File, llvm::StringRef BuildDir, std::string &WorkingDir) {
  std::string Error;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB =
      clang::tooling::CompilationDatabase::loadFromDirectory(BuildDir, Error);
  if (!DB)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot load a compilation database from '" + BuildDir +
                                       "': " + Error);
  llvm::SmallString<256> Abs(File);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, true);
  std::vector<clang::tooling::CompileCommand> Commands = DB->getCompileCommands(Abs);
  if (Commands.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + BuildDir + "/compile_commands.json' has no entry for '" +
                                       File + "'");
  const clang::tooling::CompileCommand &Cmd = Commands.front();
  WorkingDir = Cmd.Directory;
  clang::tooling::ArgumentsAdjuster Adjust = clang::tooling::combineAdjusters(
      clang::tooling::getClangStripOutputAdjuster(),
      clang::tooling::getClangStripDependencyFileAdjuster());
  std::vector<std::string> Line = Adjust(Cmd.CommandLine, Cmd.Filename);
  std::vector<std::string> Flags;
  for (size_t I = 1; I < Line.size(); ++I) {
    llvm::StringRef A = Line[I];
    if (A == "-c" || A == "--")
      continue;
    llvm::SmallString<256> ArgAbs(A);
    llvm::sys::fs::make_absolute(Cmd.Directory, ArgAbs);
    llvm::sys::path::remove_dots(ArgAbs, true);
    if (A == Cmd.Filename || ArgAbs == Abs)
      continue; // the input; parseAndAnalyze adds it
    Flags.push_back(Line[I]);
  }
  return Flags;
}

llvm::Expected<ParseInput> makeParseInput(llvm::StringRef File, const SourceOptions &Opts) {
  ParseInput In;
  In.Path = File.str();
  if (!Opts.BuildDir.empty()) {
    auto Flags = flagsFromDatabase(File, Opts.BuildDir, In.WorkingDir);
    if (!Flags)
      return Flags.takeError();
    In.Args = std::move(*Flags);
    // The database's relative paths are relative to its directory.
    llvm::SmallString<256> Abs(File);
    llvm::sys::fs::make_absolute(Abs);
    In.Path = std::string(Abs);
  }
  In.Args.insert(In.Args.end(), Opts.CompilerArgs.begin(), Opts.CompilerArgs.end());
  return In;
}

} // namespace hotast
