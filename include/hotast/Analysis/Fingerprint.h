//===- Fingerprint.h - The semantic fingerprint of a TU ---------*- C++ -*-===//
//
// Two compiles with the same fingerprint produce the same object file. The
// fingerprint hashes what reaches the object: the command (compiler, the
// arguments that matter, the source path; the caller supplies it as a salt),
// and the ordered (key, hash) list of the declarations in the used-declaration
// closure: everything the main file declares, every declaration Clang must
// emit, and, to a fixed point, everything they refer to (through templates to
// their patterns, through implicit members to their class, a class's fields,
// and a dynamic class's virtual functions). Declarations outside the closure
// may change freely. See docs/hashing.md.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_ANALYSIS_FINGERPRINT_H
#define HOTAST_ANALYSIS_FINGERPRINT_H

#include "hotast/Analysis/DeclRecord.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
class SourceManager;
} // namespace clang

namespace hotast {

/// A definition the parse handed to code generation (or completed for it),
/// in the order it did. Code generation emits instantiations and implicit
/// members in an order that follows when the parse produced them, and the
/// parse produces each at its first use anywhere in the unit, code that
/// reaches no object included (docs/hashing.md, "The order of emission").
struct UnitEvent {
  enum Kind : uint8_t {
    Definition,     ///< a top-level or inline definition, an instantiation
    ImplicitMember, ///< an implicitly defined special member
    Class,          ///< a class definition completed (instantiations too)
    VTable,         ///< a vtable the unit must emit
  };
  const clang::Decl *D;
  Kind K;
};

struct FingerprintOptions {
  bool DebugInfo = false;
  /// The output is LLVM IR (bitcode for LTO): also hash the raw source
  /// offsets and lines that IR metadata keeps (inline asm, calls to
  /// functions with error or warning attributes, annotate attributes).
  bool IRMetadata = false;
  /// The compile reads the range of an enum's values for every load of the
  /// type (-fstrict-enums, -fsanitize=enum), or its compiler may (another
  /// compiler's): an enum's sig holds the range. True unless known not.
  bool EnumRanges = true;
  /// Enumerate only declarations already deserialized from an AST file (a
  /// precompiled preamble): the records of what the unit's code uses, not of
  /// every declaration the AST file holds (see EntityTable). Hot reload only.
  bool LoadedOnly = false;
  /// Everything outside the AST that decides the object: compiler identity,
  /// hashed arguments, source path, working directory with -g, pragma text.
  Hash128 Salt;
  /// Files (real paths) whose every declaration is to be recorded as well,
  /// used or not (TUFingerprint::FileDecls): `hotast plan --predict` compares
  /// a header's declarations before and after an edit.
  std::vector<std::string> SummaryFiles;
  /// The parse's definitions in order (UnitEvent): the order of those the
  /// closure reaches is hashed. Empty: order by definition only.
  llvm::ArrayRef<UnitEvent> Events;
  /// Another compiler compiles the unit: GCC's devirtualization reads every
  /// polymorphic class the unit defines or instantiates (a class nothing
  /// uses can stop a speculative devirtualization), so each is a root.
  bool EveryDynamicClass = false;
  /// Another compiler that outputs unreferenced definitions with internal
  /// linkage (GCC at -O0: a static function or variable of a header that
  /// nothing uses is in the object, unless the function is inline): each is
  /// a root.
  bool EveryInternalDefinition = false;
  /// Another compiler that warns about functions and variables with
  /// internal linkage that nothing uses or that are used and never defined
  /// (GCC's -Wunused-function, -Wunused-variable, "used but never
  /// defined"), after the parse, where its front end alone does not say
  /// (-fsyntax-only): each such declaration is hashed with whether the unit
  /// refers to it, uses it, and defines it.
  bool InternalUses = false;
  /// Declarations whose membership of the closure the caller asks for
  /// (TUFingerprint::ProbesInClosure); null ones count as held.
  llvm::ArrayRef<const clang::Decl *> Probes;
};

struct TUFingerprint {
  Hash128 Value;
  /// The closure, in the order of the definitions; each record's Full is
  /// what was hashed (records carry no Refs).
  std::vector<DeclRecord> Closure;
  /// Every declaration of FingerprintOptions::SummaryFiles, hashed as the
  /// closure's are (records carry no Refs); a function or variable declared
  /// there and defined elsewhere has a second record, hashed as a unit that
  /// does not see the definition hashes it.
  std::vector<DeclRecord> FileDecls;
  /// For each entity of FileDecls, by key: the hash of the tokens its
  /// declarations in the summary files spell (comments and spacing left
  /// out; with their offsets when locations reach the outputs).
  std::vector<std::pair<std::string, Hash128>> FileDeclTexts;
  /// A file name reached a hash (a source location's file, as
  /// std::source_location or a location in the outputs spells it): the
  /// object may hold a path as this compile spelled it.
  bool PathsReached = false;
  /// Of those, a std::source_location's (or __builtin_FILE's) file: a
  /// path the macro prefix maps rewrite.
  bool SourceLocationFile = false;
  /// The files whose line or column numbers reached a hash (a __LINE__
  /// literal, a location in the outputs, an annotate attribute's line in
  /// IR): only in them can a line moved by a comment change the object.
  /// AllLinesReached: something reached that moves with any file (a raw
  /// source offset in IR metadata, an unnamed type's location printed in a
  /// function's name). source_location and __builtin_LINE() are not
  /// tracked here: the compile's recording finds their tokens anywhere in
  /// the unit (CompileOutcome::CodeLines).
  std::vector<clang::FileID> LinesReached;
  bool AllLinesReached = false;
  /// An asm string that reaches the object may make the assembler read a
  /// file (`.incbin`, `.include`: include/hotast/Support/AsmFiles.h) that
  /// neither the fingerprint nor the files read cover: not cacheable.
  bool AsmReadsFiles = false;
  /// For each of FingerprintOptions::Probes, whether the closure holds it
  /// (one that is no entity counts as held).
  std::vector<bool> ProbesInClosure;
  /// Set by the compile's recording when every file's bytes count because
  /// the object's debug info may hold each file's MD5 (DWARF 5 in a native
  /// object: LocationUse::LineFiles). Value then holds every file's bytes;
  /// this is the fingerprint without them, and FileContents each file the
  /// unit read (by name, as the compile named it) with the hash of its
  /// bytes: a result keyed by the files whose MD5 its object holds is found
  /// from them (lib/Wrapper/DebugFiles.h).
  std::optional<Hash128> WithoutFileBytes;
  std::vector<std::pair<std::string, Hash128>> FileContents;
};

TUFingerprint computeFingerprint(clang::ASTContext &Ctx, const FingerprintOptions &Opts);

/// Which places of a parse lie in FingerprintOptions::SummaryFiles (real
/// paths, as the file manager's canonical names): each file looked up once.
class SummaryFileSet {
public:
  SummaryFileSet(const clang::SourceManager &SM, llvm::ArrayRef<std::string> Files)
      : SM(SM), Files(Files) {}
  /// The summary file Loc (its expansion) lies in, or null.
  const std::string *find(clang::SourceLocation Loc);

private:
  const clang::SourceManager &SM;
  llvm::ArrayRef<std::string> Files;
  llvm::DenseMap<clang::FileID, std::optional<std::string>> Seen;
};

} // namespace hotast

#endif
