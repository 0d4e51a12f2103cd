//===- DeclRecord.h - What hotast remembers of one declaration --*- C++ -*-===//
//
// The result of analysing one translation unit: a record per declaration as
// written (implicit declarations and template instantiations are left out),
// each with a stable key and structural hashes (see docs/hashing.md).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_ANALYSIS_DECLRECORD_H
#define HOTAST_ANALYSIS_DECLRECORD_H

#include "hotast/Support/Hash128.h"
#include <string>
#include <vector>

namespace hotast {

/// Bumped whenever the hashed byte stream changes, so hashes from different
/// versions never compare equal by accident. It is the first value of every hash.
constexpr uint64_t HashFormatVersion = 6;

/// Broad class of a declaration; decides how a difference is reported.
enum class DeclClass { Function, Variable, Field, Record, Enum, Enumerator, Type, Other };

struct DeclRecord {
  /// Stable identity across edits: the USR, or a fallback for entities whose
  /// USR embeds file offsets or names (locals, lambdas, unnamed, internal).
  std::string Key;
  /// Readable kind ("function", "method", "struct", "variable", ...).
  std::string Kind;
  DeclClass Class = DeclClass::Other;
  /// Fully qualified name.
  std::string Name;
  /// Presumed file and line of the declaration.
  std::string File;
  unsigned Line = 0;
  /// Presumed line where the declaration's text ends (its body, a class's
  /// members) when that is in File; 0 otherwise.
  unsigned EndLine = 0;
  /// True when the declaration is spelled in the main file.
  bool InMainFile = false;
  /// What users of the declaration see without its body.
  Hash128 Sig;
  /// Sig plus the definition (function bodies, initializers, enumerator values).
  Hash128 Full;
  /// Records only: size, alignment and offsets of bases and fields.
  Hash128 Layout;
  /// A unit's fingerprint only (TUFingerprint::Closure): what it took of
  /// Full, without the default arguments' code no call used and the class
  /// members no lookup may find (docs/hashing.md). Not stored.
  Hash128 Fingerprinted;
  /// Keys of the declarations this one refers to, sorted and unique.
  std::vector<std::string> Refs;
};

struct TUAnalysis {
  /// Main file as given to the compiler.
  std::string MainFile;
  /// Whether debug info was requested (locations and local names are hashed).
  bool DebugInfo = false;
  /// In declaration order (the order of the source).
  std::vector<DeclRecord> Decls;
};

} // namespace hotast

#endif
