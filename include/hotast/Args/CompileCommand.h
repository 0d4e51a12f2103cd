//===- CompileCommand.h - Classifying a compiler command line ---*- C++ -*-===//
//
// The wrapper's first step: is this command line one compile of one C or C++
// source to one object file, which hotast can cache? If so, which arguments
// can change the object (and so are hashed), and where do the object and the
// dependency file go? Anything else runs the real compiler untouched. What
// the options then allow (locations, inputs they name, outputs they add) is
// decided past a direct miss from the compiler invocation itself
// (hotast/Compile/OptionPolicy.h). This knows nothing of Clang's libraries: it runs in the
// front program, which must not load LLVM's shared libraries.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_ARGS_COMPILECOMMAND_H
#define HOTAST_ARGS_COMPILECOMMAND_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace hotast {

enum class SourceLanguage { C, CXX };

/// Which compiler family the command is for; decides flag spellings and
/// whether hotast can compile in-process (same Clang version only).
enum class CompilerFamily { Clang, GCC, Other };

/// The depfile flags of a command (-MD -MMD -MF -MT -MQ -MP).
struct DepfileRequest {
  bool Enabled = false;        // -MD or -MMD given
  bool SystemHeaders = true;   // false for -MMD
  bool PhonyTargets = false;   // -MP
  std::string Path;            // -MF, else Output with extension replaced by .d
  /// Targets in order; -MQ targets already quoted for Make. Empty: the output.
  std::vector<std::string> Targets;
};

struct CompileCommand {
  /// argv[0] as given, and the rest of the arguments exactly as given.
  std::string Compiler;
  std::vector<std::string> Args;
  CompilerFamily Family = CompilerFamily::Other;
  /// The one source, as written on the command line.
  std::string Source;
  /// Every input the command names (sources, and for a link its objects,
  /// archives and libraries), in order.
  std::vector<std::string> Inputs;
  SourceLanguage Language = SourceLanguage::CXX;
  /// The object file: -o, else the source's basename with ".o" in the cwd.
  std::string Output;
  DepfileRequest Depfile;
  /// Some warning can become an error (-Werror, -Werror=..., -pedantic-errors).
  bool WarningsAsErrors = false;
  /// Every argument that can change the object, normalized: without -o and
  /// its value, without the depfile flags, without -c and the source (the
  /// source path is hashed on its own). Order kept.
  std::vector<std::string> HashedArgs;
};

struct Classification {
  /// True when Command can be cached; otherwise Reason says why not, in a
  /// few words for the log ("linking", "-E", "several sources", ...).
  bool Cacheable = false;
  std::string Reason;
  /// The command links (no -c, nothing else refused): the wrapper records
  /// what its output is made from.
  bool Link = false;
  CompileCommand Command;
};

/// Classifies Argv (Argv[0] is the compiler). An `@file` argument left in it
/// (see expandResponseFiles) makes the command uncacheable.
Classification classifyCommandLine(llvm::ArrayRef<std::string> Argv);

/// Argv with every `@file` replaced by the arguments the file holds (GNU
/// quoting, nested files too), as clang's and GCC's drivers read them; the
/// same Argv when there is none. A file that cannot be read is left as its
/// `@file` argument (classifyCommandLine then refuses the command, and the
/// compiler reports it).
std::vector<std::string> expandResponseFiles(llvm::ArrayRef<std::string> Argv);

/// True when Flag, written alone, takes the next argument as its value
/// ("-I dir", "-include f.h", "-Xclang -foo").
bool takesSeparateValue(llvm::StringRef Flag);

/// The family of a compiler from its name (clang, clang++, clang-19, gcc,
/// g++, cc, c++, x86_64-linux-gnu-g++-12, ...). `cc`/`c++` are GCC on Debian.
CompilerFamily compilerFamily(llvm::StringRef Compiler);

} // namespace hotast

#endif
