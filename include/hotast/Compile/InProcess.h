//===- InProcess.h - Compiling with the linked Clang in-process -*- C++ -*-===//
//
// When the compiler is the Clang hotast links (same binary, same version),
// hotast compiles in-process: the driver turns the command line into the
// one cc1 job, exactly as that clang would, and EmitObjAction runs with the
// analysis beside code generation. When the parse is complete the fingerprint
// is known; if the caller has an object for it, the backend (optimization and
// machine code) is skipped; otherwise the compile finishes as clang's would
// (a miss parses once). When a hit is likely, a parse without code generation
// can come first: a hit then costs the parse alone, a miss parses twice. The object is byte-identical to running that clang
// (docs/wrapper.md, "in-process"; the flag matrices test it).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_INPROCESS_H
#define HOTAST_COMPILE_INPROCESS_H

#include "hotast/Analysis/Fingerprint.h"
#include "hotast/Compile/LiteralEdit.h"
#include "hotast/Compile/OptionPolicy.h"
#include "hotast/Support/FileStamp.h"
#include "hotast/Support/PrefixMaps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace hotast {

/// What of a compile's paths can reach its object, and how the compile's
/// prefix maps rewrite them (for sharing an object between checkouts).
struct PathReach {
  bool Known = false;
  /// Locations reach the object other than through debug info
  /// (OptionPolicy::BeyondDebugInfo).
  bool BeyondDebugInfo = false;
  /// LLVM bitcode (LTO): its source_filename is the source as the command
  /// names it, which no prefix map rewrites.
  bool Bitcode = false;
  /// DW_AT_comp_dir before the debug prefix maps rewrite it.
  std::string CompilationDir;
  /// The rules of -fdebug-prefix-map and of -fmacro-prefix-map (both
  /// -ffile-prefix-map), in the order clang tries them.
  PrefixMap DebugMap, MacroMap;
};

struct CompileOutcome {
  /// The exit status clang would have returned.
  int ExitCode = 1;
  /// The backend was skipped: the caller must put the object in place.
  bool Reused = false;
  /// A parse without code generation came first (see compileInProcess).
  bool ParsedFirst = false;
  /// Absent when the parse had errors.
  std::optional<TUFingerprint> Fingerprint;
  /// The parse was given a literal edit (LiteralEdit.h) and found each of
  /// its literals where the object has no code for it, on no line GCC's
  /// warnings read as text, in a unit where no column reaches the object
  /// unless each literal kept its length.
  bool LiteralsOutsideCode = false;
  /// With a literal edit: the line of each of its literals as diagnostics
  /// name it (presumed), and in its file.
  std::vector<unsigned> LiteralLines;
  /// For another compiler: the hash of every token the parse read, in order
  /// (kind, spelling, whether a macro expanded to it), with the pragmas
  /// among them. What that compiler's front end warns about is decided by
  /// these, beside what the fingerprint holds (docs/wrapper.md, "Warnings
  /// of another compiler").
  Hash128 Tokens;
  /// Code generation itself printed diagnostics (then a parse without code
  /// generation does not print what this compile printed).
  bool BackendDiagnostics = false;
  /// Milliseconds the parses' ends spent computing the fingerprint, and
  /// recording the files' code lines (the decision log's times; both
  /// parses' when a parse without code generation came first).
  double FingerprintMs = 0, CodeLinesMs = 0;
  /// Everything the compile printed (it was also written to stderr).
  std::string Stderr;
  /// Every file the compile read, the main file first, as clang named them.
  std::vector<std::string> InputFiles;
  /// Stamps of the directories where a lookup (the include search,
  /// __has_include) found nothing, as clang named them: a file created
  /// there later may change what the compile reads (MissedLookups.h).
  std::vector<FileStamp> MissedDirs;
  /// For each of InputFiles (as far as it goes; zero: none), codeLines of
  /// the text the compile read, when a comment line added to or removed
  /// from that file cannot change the object (CodeLines.h; for another
  /// compiler, under CommentRule::OtherCompiler, and not for a file a
  /// skipped region may take a line in: SkippedLines.h): locations reach no
  /// output (OptionPolicy), no line
  /// of that file reached the fingerprint (TUFingerprint::LinesReached) or
  /// can decide what clang says (its __LINE__ expansions pass the allow-list
  /// of lib/Compile/LineUses.h), and the unit spells no __builtin_LINE,
  /// __builtin_COLUMN or __builtin_source_location. Not for files under
  /// /usr/ (the system's, which change by package, not by comment). Whether
  /// the compile printed anything is the reader's to check (a message holds
  /// line numbers).
  std::vector<Hash128> CodeLines;
  /// For each of CodeLines: 0, or AllLinesFixed for a file whose lines
  /// reach the object or can decide what clang says, where only what ends
  /// a line of code may change (CodeLines.h; the linked Clang's compiles).
  std::vector<uint32_t> CodeFixedLines;
  /// For each of CodeLines: what it left out beyond comment lines
  /// (codeLines' LeftOut, lib/Compile/LeftOut.h: the bodies of macros the
  /// unit never expands, the lines of regions it skipped, the spacing
  /// between tokens; the linked Clang's compiles; for the source, only the
  /// spacing).
  std::vector<std::string> CodeLeftOut;
  /// When the source's code lines leave its spacing out: those of the
  /// source with the spacing left out on every line (sourceKeyList), which
  /// key the entry (a lookup makes them before it knows the entry's list of
  /// the lines whose columns count; the entry's stamp of the source then
  /// checks those). Zero: CodeLines[0] keys the entry.
  Hash128 SourceKeyLines;
  /// With CodeLines, for the linked Clang: the names the unit read and
  /// every name its project files may define (a NameFilter's bytes), for a
  /// lookup that frees a new definition of another (lib/Compile/
  /// NewDefines.h); empty when that is not allowed here.
  std::string UnitNames;
  /// __DATE__, __TIME__ or __TIMESTAMP__ was expanded: the same bytes give
  /// another object later, so direct mode must not serve this compile.
  bool UsesClock = false;
  /// __FILE__ or __BASE_FILE__ was expanded: the object holds a path as
  /// this compile spelled it, rewritten by the macro prefix maps.
  bool UsesFilePath = false;
  /// For another compiler: the words that take a line where they expand or
  /// are called (__LINE__, the line builtins, and every macro that reaches
  /// one), sorted (lib/Compile/SkippedLines.h). A file only the compiler
  /// read that spells one makes every project file's bytes count (OtherView).
  std::vector<std::string> LineNames;
  /// Every name a file was entered under, or given by #line: the names
  /// debug info, __FILE__ and std::source_location can hold.
  std::vector<std::string> FileNames;
  /// How the linked Clang's invocation treats paths (PathReach::Known is
  /// false for another compiler).
  PathReach Reach;
  /// Not empty when the invocation's options do not allow caching
  /// (OptionPolicy): nothing was compiled, the real compiler is to run.
  std::string NotCached;
  /// Source locations reach the outputs, and with them the working
  /// directory: results apply only in this directory.
  bool UsesWorkingDir = false;
  /// With the reload profile (patchable function entries): the closure's
  /// records hashed without locations, whatever the policy, so that a
  /// hot-reload delta sees what an edit changed, not what it moved.
  std::optional<std::vector<DeclRecord>> ReloadRecords;
  /// Options the policy does not know (each made every file's bytes count).
  std::vector<std::string> UnknownOptions;
  /// After a compile whose object's debug info may hold files' MD5s
  /// (TUFingerprint::WithoutFileBytes): the files whose MD5 it holds, as
  /// InputFiles names them; or, unset, why that is not known
  /// (DebugFilesUnknown).
  std::optional<std::vector<std::string>> ChecksummedFiles;
  std::string DebugFilesUnknown;
  /// With ParseOverrides::SummaryFiles: the directives of those files, in
  /// order ("FILE: #define NAME", "FILE: skipped region", ...), each with
  /// the hash of its text (and place, when locations reach the outputs).
  std::vector<std::pair<std::string, Hash128>> SummaryDirectives;
};

/// Asked once, when the fingerprint is known: true means an object for it
/// exists and code generation is to be skipped.
using ReuseQuery = llvm::function_ref<bool(const TUFingerprint &)>;

/// True when Compiler (a name on PATH or a path) is the clang binary hotast
/// links against.
bool isLinkedClang(llvm::StringRef Compiler);

/// When compileInProcess parses without code generation first.
enum class ParseFirst {
  Never,
  /// A hit is likely: unless every file's bytes reach the object.
  Likely,
  /// A hit is likely unless locations reach the object at all, or raw
  /// source offsets its bitcode (an edited source whose tokens stayed on
  /// their lines: their columns moved).
  UnlessLocations,
};

/// Compiles Argv (Argv[0] the compiler) in-process. Salt identifies the
/// command (see FingerprintOptions); the driver's cc1 job decides, through
/// OptionPolicy, whether the compile may be cached at all (if not, nothing
/// runs and NotCached says why), how far locations reach the fingerprint,
/// and which files named by options join Salt and the inputs. -mllvm options
/// are parsed as clang's cc1 parses them. The action is clang's: an object,
/// or LLVM bitcode for LTO. An error means hotast could not run the
/// compile (the caller falls back to the real compiler); a compile that fails
/// is an outcome with a non-zero exit status. First (see ParseFirst): parse
/// without code generation and ask Reuse first; on a miss, compile (and
/// parse) again. What that first parse prints reaches stderr only when it
/// is a hit.
llvm::Expected<CompileOutcome> compileInProcess(llvm::ArrayRef<std::string> Argv,
                                                const Hash128 &Salt, ReuseQuery Reuse,
                                                ParseFirst First);

/// The fingerprint compileInProcess would compute for Argv, from a parse
/// without code generation that writes nothing (no object, no depfile) and
/// prints nothing (what clang would print is in Stderr). NotCached, an exit
/// status and the inputs as compileInProcess gives them.
/// What fingerprintInProcess may parse instead of the files on disk, and
/// what else it records (`hotast plan --predict`).
struct ParseOverrides {
  /// Files (real paths) parsed with these contents instead.
  std::vector<std::pair<std::string, std::string>> Contents;
  /// Files (real paths) whose every declaration and directive is recorded:
  /// TUFingerprint::FileDecls, CompileOutcome::SummaryDirectives.
  std::vector<std::string> SummaryFiles;
};
llvm::Expected<CompileOutcome> fingerprintInProcess(llvm::ArrayRef<std::string> Argv,
                                                    const Hash128 &Salt,
                                                    const ParseOverrides &Overrides = {});

struct ForeignParse {
  /// Fingerprint and inputs of the parse (ExitCode 0 when it parsed cleanly;
  /// no fingerprint when it did not).
  CompileOutcome Outcome;
  /// Clang dropped an attribute or pragma the other compiler may act on: the
  /// fingerprint cannot vouch for the object.
  bool DroppedConstructs = false;
  /// A region of the project's code that Clang skipped (#if) includes a
  /// file: the other compiler may read a file neither parsed nor recorded.
  bool SkippedInclude = false;
  /// A region of the project's code that Clang skipped may hold an asm
  /// directive that reads a file (include/hotast/Compile/AsmScan.h).
  bool SkippedAsmFile = false;
  /// The linked Clang's resource directory: the parse reads its builtin
  /// headers (stddef.h, stdarg.h) where the other compiler reads its own.
  std::string ResourceDir;
  /// The files __has_include and __has_embed found (a compile's depfile
  /// need not name them).
  std::vector<std::string> ProbedFiles;
};

/// Parses Argv, a command for another compiler (gcc, g++, another clang), with
/// the linked Clang in that compiler's driver mode, printing nothing, and
/// fingerprints it. Also writes the depfile the command asks for, from this
/// parse's includes. The fingerprint also covers the text of regions the
/// preprocessor skipped. Salt already holds what the command's OptionPolicy
/// (Policy) adds (saltWithPolicy). Contents: files
/// (paths as the compile names them) parsed with these contents instead of
/// what is on disk (a compile as it was: docs/wrapper.md, "The first compile
/// of a unit"). Literals: an edit to check (CompileOutcome::LiteralsOutsideCode).
llvm::Expected<ForeignParse>
parseForOtherCompiler(llvm::ArrayRef<std::string> Argv, const Hash128 &Salt,
                      const OptionPolicy &Policy,
                      llvm::ArrayRef<std::pair<std::string, std::string>> Contents = {},
                      llvm::ArrayRef<LiteralEdit> Literals = {});

} // namespace hotast

#endif
