//===- ClangJob.h - A compile command as the linked Clang's cc1 job -*- C++ -*-===//
//
// The driver turns a command line into its one cc1 job, exactly as the clang
// binary hotast links would (its real path decides the resource and GCC
// installation directories: docs/wrapper.md, "in-process"), and the job into a
// CompilerInvocation. What the driver prints is held: the caller decides
// whether it is the compile's answer or the real compiler will say it.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_CLANGJOB_H
#define HOTAST_LIB_COMPILE_CLANGJOB_H

#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace hotast {

struct ClangJob {
  /// What the driver printed (warnings about the command line, or why it
  /// failed).
  std::string DriverText;
  /// The driver or the cc1 arguments rejected the command: DriverText says
  /// why and clang would fail the same way. Nothing below is set.
  bool Failed = false;
  /// Not empty when the command is not one cc1 compile (say, several inputs).
  std::string NotOneJob;
  /// The cc1 arguments, "-cc1" first, and the invocation made from them.
  std::vector<std::string> CC1;
  std::shared_ptr<clang::CompilerInvocation> Invocation;
  /// The configuration files the driver read.
  std::vector<std::string> ConfigFiles;
};

struct ClangJobOptions {
  /// Where the driver's and the invocation's diagnostics go instead of
  /// DriverText (not owned).
  clang::DiagnosticConsumer *Diagnostics = nullptr;
  /// The driver mode comes from this program name (g++ means C++), and the
  /// driver itself is the linked clang, whatever Argv[0] names; empty: both
  /// from Argv[0].
  std::string ModeFrom;
};

/// Another compiler's command (Argv[0] gcc, g++, another clang) as the
/// linked Clang parses it for the fingerprint: the linked Clang, syntax
/// only, quiet about flags it does not know, loud about attributes and
/// pragmas it would drop. Built with ModeFrom = Argv[0].
std::vector<std::string> foreignParseLine(llvm::ArrayRef<std::string> Argv);

/// The cc1 job of Argv (Argv[0] the compiler). An error means hotast could
/// not ask the driver at all.
llvm::Expected<ClangJob> buildClangJob(llvm::ArrayRef<std::string> Argv,
                                       const ClangJobOptions &Opts = {});

} // namespace hotast

#endif
