//===- OptionPolicy.h - What a compile's options allow hotast to do -*- C++ -*-===//
//
// Decides, from the compiler invocation itself and by allow-list, what hotast
// may do with one compile: whether its outputs are ones hotast reproduces
// exactly (else the real compiler runs and nothing is cached), how far source
// locations reach the outputs (which decides what the fingerprint hashes),
// and which files named by options are inputs whose bytes are part of the
// keys. For the linked Clang the invocation is the driver's cc1 job, so
// -Xclang, -mllvm, configuration files and what the driver adds implicitly
// are all seen; for another compiler it is that compiler's command line.
//
// Every option is looked up in a table of options known to be handled
// exactly. An option the tables do not know (a future Clang option, a GCC
// option Clang has never heard of) makes the fingerprint hold every input
// file's bytes, or, when its value looks like a file, makes the compile
// uncacheable: it can only cost hits, never correctness. docs/wrapper.md
// lists the option families with the tests that show each treatment.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_OPTIONPOLICY_H
#define HOTAST_COMPILE_OPTIONPOLICY_H

#include "hotast/Support/Hash128.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang {
class CompilerInvocation;
}

namespace hotast {

/// How far source locations reach a compile's outputs, in increasing order.
enum class LocationUse {
  /// Locations reach no output: the fingerprint ignores them.
  None,
  /// Line and column of the code reach the object (debug info, sanitizer
  /// check data): the fingerprint hashes every node's presumed location and
  /// local names, and the working directory is part of the key.
  Lines,
  /// As Lines, and each file the object's debug info names holds its MD5
  /// (DWARF 5 line tables): the fingerprint also holds the bytes of the
  /// main file and of every file whose lines reached it
  /// (TUFingerprint::LinesReached), or every file's when a location that
  /// moves with any file reached it. The compile checks the object it wrote
  /// names no other file (lib/Compile/DebugChecksums.h).
  LineFiles,
  /// Any byte of any file read may reach the object (DWARF 5 checksums,
  /// embedded sources, coverage mapping's comment regions, options hotast
  /// does not know): the fingerprint also holds every file's bytes.
  Bytes,
};

struct OptionPolicy {
  /// Empty when hotast may cache the compile; otherwise why not, for the log
  /// ("extra output file: -split-dwarf-file").
  std::string Refusal;
  LocationUse Locations = LocationUse::None;
  /// The output is LLVM bitcode (LTO), which keeps IR metadata a native
  /// object drops; the fingerprint hashes what of it depends on locations
  /// (FingerprintOptions::IRMetadata).
  bool IRMetadata = false;
  /// With IRMetadata: the source as the job names it, which the bitcode
  /// holds as its source_filename (and which no prefix map rewrites).
  std::string BitcodeSourceName;
  /// Files named by options whose bytes decide the output (sanitizer ignore
  /// lists, profiles, configuration files), as the command names them.
  std::vector<std::string> InputFiles;
  /// Locations reach the outputs other than through debug info (sanitizers,
  /// profiles, coverage, an option the tables do not know): paths reach
  /// them where no debug prefix map rewrites them.
  bool BeyondDebugInfo = false;
  /// Options the tables do not know, for the log.
  std::vector<std::string> Unknown;
  /// Another compiler that outputs definitions with internal linkage nothing
  /// refers to (GCC at -O0, where it does not reorder top-level
  /// definitions): each is in the object (FingerprintOptions).
  bool KeepsUnreferencedStatics = false;
  /// Another compiler's command enables a warning hotast does not know to
  /// read no value of an integer literal where a literal edit is served
  /// without a second parse (LiteralEdit.h): such an edit then takes it.
  bool WarningsMayReadLiterals = false;
  /// Another compiler's command lays its diagnostics out otherwise than
  /// GCC's defaults, where each location and each line of source shown
  /// carries its line number (an option of -fdiagnostics-*, -fmessage-length
  /// or -f[no-]show-column other than those of colors, URLs and option
  /// names): what its warnings say of a line is then not found by number.
  bool DiagnosticsUnusual = false;

  void raise(LocationUse L) {
    if (L > Locations)
      Locations = L;
  }
  void refuse(llvm::StringRef Why) {
    if (Refusal.empty())
      Refusal = Why.str();
  }
};

/// The policy for the cc1 job of the linked Clang. CC1Args are the job's
/// arguments (without "-cc1"); Invocation was built from them; ConfigFiles
/// are the configuration files the driver read.
OptionPolicy classifyClangJob(llvm::ArrayRef<const char *> CC1Args,
                              const clang::CompilerInvocation &Invocation,
                              llvm::ArrayRef<std::string> ConfigFiles);

/// The policy for a command meant for GCC or another compiler, from its own
/// arguments (CompileCommand::HashedArgs: without the source, -c, -o and the
/// depfile flags, which the wrapper handles). Any use of locations counts as
/// Bytes: that compiler's columns need not be Clang's.
OptionPolicy classifyForeignCommand(llvm::ArrayRef<std::string> HashedArgs);

/// Salt extended with what the policy adds to a compile's identity: its
/// location level, the working directory when locations are used, and the
/// bytes of the files its options name.
Hash128 saltWithPolicy(const Hash128 &Salt, const OptionPolicy &Policy, llvm::StringRef Cwd);

} // namespace hotast

#endif
