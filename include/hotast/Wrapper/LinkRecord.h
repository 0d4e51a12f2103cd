//===- LinkRecord.h - What a linked program was made from -------*- C++ -*-===//
//
// hotast as the build's linker launcher (CMAKE_<LANG>_LINKER_LAUNCHER): the
// link runs as it would, and when it succeeds hotast records, under the
// output's GNU build id, every input file the command named as it was then.
// A running program's build id then leads to the objects, and through them
// to the translation units, it was built from: the base a hot-reload delta
// applies to. This runs in the front program (no LLVM shared libraries).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_LINKRECORD_H
#define HOTAST_WRAPPER_LINKRECORD_H

#include "hotast/Args/CompileCommand.h"
#include "hotast/Wrapper/Config.h"
#include "llvm/Support/Error.h"

namespace hotast {

/// The GNU build id (NT_GNU_BUILD_ID note) of the 64-bit little-endian ELF
/// file at Path, as lowercase hex; an error when the file is no such ELF
/// file or has no build id.
llvm::Expected<std::string> readBuildId(llvm::StringRef Path);

/// Runs the link Argv (Argv[0] the compiler driver or linker) with the
/// terminal and the environment as they are, and when it succeeds records
/// what Cmd.Output was made from. Returns the link's exit status; recording
/// never changes it (a failure is logged).
int runAndRecordLink(const Config &C, llvm::ArrayRef<std::string> Argv,
                     const CompileCommand &Cmd);

} // namespace hotast

#endif
