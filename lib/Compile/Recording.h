//===- Recording.h - What a compile records for its fingerprint -*- C++ -*-===//
//
// Shared by the in-process compile and the parse for other compilers: the
// preprocessor callbacks (PreprocessorRecorder.h: pragma text; for other
// compilers the text of skipped #if regions), the files the compile read,
// and the fingerprint at the end of the translation unit; and the small
// helpers both need.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_RECORDING_H
#define HOTAST_LIB_COMPILE_RECORDING_H

#include "hotast/Compile/InProcess.h"
#include "hotast/Analysis/Fingerprint.h"
#include "hotast/Compile/OptionPolicy.h"

#include "clang/Frontend/FrontendAction.h"
#include "llvm/Support/Error.h"

namespace clang {
class ASTContext;
class CodeGenOptions;
class CompilerInstance;
class LangOptions;
class SourceManager;
} // namespace clang

namespace hotast {

class LeftOutRecorder;
class PreprocessorRecorder;

/// Records, during one compile or parse, what its fingerprint needs.
class FingerprintRecorder {
public:
  /// RecordSkipped: also hash the text of regions the preprocessor skips
  /// (when another compiler will compile the code). Locations: how far
  /// locations reach the outputs (OptionPolicy), which decides whether the
  /// fingerprint hashes them, and every file's bytes.
  FingerprintRecorder(const Hash128 &Salt, CompileOutcome &Out, bool RecordSkipped,
                      LocationUse Locations, bool IRMetadata = false)
      : Salt(Salt), Out(Out), RecordSkipped(RecordSkipped), Locations(Locations),
        IRMetadata(IRMetadata) {}

  /// Hot reload's compile: only the location-free records are computed (as
  /// Out.ReloadRecords; Out.Fingerprint stays unset), and
  /// with LoadedOnly only over what an AST file (the preamble) has loaded.
  void recordsOnly(bool LoadedOnly) {
    RecordsOnly = true;
    this->LoadedOnly = LoadedOnly;
  }
  /// Also records every declaration and directive of Files (real paths):
  /// Out.Fingerprint->FileDecls and Out.SummaryDirectives.
  void summarize(std::vector<std::string> Files) { SummaryFiles = std::move(Files); }
  /// Also records Out.CodeLines (a compile whose record direct mode keeps).
  void withCodeLines() { CodeLinesWanted = true; }
  /// The other compiler keeps unreferenced definitions with internal
  /// linkage (FingerprintOptions::EveryInternalDefinition).
  void everyInternalDefinition() { InternalDefinitions = true; }
  /// Where the literals of an edit lie (CompileOutcome::LiteralsOutsideCode).
  void checkLiterals(llvm::ArrayRef<LiteralEdit> Edits) { Literals = Edits; }
  /// Installs the preprocessor callbacks; call from BeginSourceFileAction.
  void attach(clang::CompilerInstance &CI);
  /// A consumer that records the order of the parse's definitions
  /// (UnitEvents.h); to run beside the action's own.
  std::unique_ptr<clang::ASTConsumer> eventRecorder();
  /// A region of the project's code that Clang skipped includes a file.
  bool skippedInclude() const;
  /// A skipped region of the project's code may hold an asm directive that
  /// reads a file (AsmScan.h).
  bool skippedAsmFile() const;
  /// With RecordSkipped: the files __has_include and __has_embed found.
  std::vector<std::string> probedFiles() const;
  /// Records the inputs and, unless the parse had errors, computes
  /// Out.Fingerprint. Returns whether it did.
  bool fingerprint(clang::ASTContext &Ctx, clang::CompilerInstance &CI);

private:
  void collectInputs(const clang::SourceManager &SM);
  /// Out.CodeLines, for the files no line of which reached the fingerprint
  /// (for another compiler, nor SkippedLineFiles: SkippedLines.h), and
  /// Out.UnitNames.
  void recordCodeLines(clang::ASTContext &Ctx, const clang::LangOptions &LO,
                       llvm::ArrayRef<clang::FileID> SkippedLineFiles, bool MacroDebugInfo);

  Hash128 Salt;
  CompileOutcome &Out;
  bool RecordSkipped;
  LocationUse Locations;
  bool IRMetadata;
  bool RecordsOnly = false, LoadedOnly = false, CodeLinesWanted = false;
  bool InternalDefinitions = false;
  llvm::ArrayRef<LiteralEdit> Literals;
  /// The unit spells __builtin_LINE, __builtin_COLUMN or
  /// __builtin_source_location (attach(); with CodeLinesWanted or
  /// RecordSkipped).
  bool LineBuiltinSeen = false;
  std::vector<std::string> SummaryFiles;
  std::vector<UnitEvent> Events;
  Hasher Preprocessed;
  PreprocessorRecorder *Recorder = nullptr; // owned by the preprocessor
  /// With CodeLinesWanted, for the linked Clang; owned by the preprocessor.
  LeftOutRecorder *LeftOut = nullptr;
};

/// Parses without code generation and fingerprints at the end: for another
/// compiler (RecordSkipped), or, with the linked Clang, to find a hit without
/// generating IR.
class FingerprintOnlyAction : public clang::ASTFrontendAction {
public:
  FingerprintOnlyAction(const Hash128 &Salt, CompileOutcome &Out, bool RecordSkipped,
                        LocationUse Locations, bool IRMetadata = false)
      : Recorder(Salt, Out, RecordSkipped, Locations, IRMetadata) {}

  bool skippedInclude() const { return Recorder.skippedInclude(); }
  bool skippedAsmFile() const { return Recorder.skippedAsmFile(); }
  std::vector<std::string> probedFiles() const { return Recorder.probedFiles(); }
  FingerprintRecorder &recorder() { return Recorder; }

protected:
  bool BeginSourceFileAction(clang::CompilerInstance &CI) override;
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance &CI,
                                                        llvm::StringRef InFile) override;

private:
  FingerprintRecorder Recorder;
};

/// Compiler, a name on PATH or a path, resolved to its real path.
std::string resolveProgram(llvm::StringRef Compiler);
/// Registers LLVM's targets, once.
void initializeTargets();
llvm::Error failure(const llvm::Twine &Message);

} // namespace hotast

#endif
