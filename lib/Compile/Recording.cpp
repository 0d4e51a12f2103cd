//===- Recording.cpp - What a compile records for its fingerprint ---------===//

#include "Recording.h"

#include "LeftOut.h"
#include "NewDefines.h"

#include "ColumnReads.h"
#include "DebugChecksums.h"
#include "GuardIndentation.h"
#include "LineUses.h"
#include "LiteralSites.h"
#include "SkippedLines.h"
#include "MissedLookups.h"
#include "PreprocessorRecorder.h"
#include "UnitEvents.h"

#include "hotast/Compile/CodeLines.h"
#include "hotast/Support/Elapsed.h"
#include "hotast/Support/NameFilter.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/DiagnosticLex.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"

#include <cstring>

using namespace clang;

namespace hotast {

const char MissRecordingFS::ID = 0;

/// What the summary files do besides declaring (`hotast plan --predict`):
/// their directives in order, each with the hash of its text, and with
/// locations in the outputs, of its place. Installed only when a parse
/// summarizes files.
class DirectiveRecorder : public PPCallbacks {
public:
  DirectiveRecorder(const SourceManager &SM, const std::vector<std::string> &SummaryFiles,
                    std::vector<std::pair<std::string, Hash128>> &Directives, bool Locations)
      : SM(SM), InSummary(SM, SummaryFiles), Directives(Directives), Locations(Locations) {}
  void PragmaDirective(SourceLocation Loc, PragmaIntroducerKind) override {
    const char *Text = SM.getCharacterData(SM.getSpellingLoc(Loc));
    directive(Loc, "#pragma", llvm::StringRef(Text, strcspn(Text, "\n")).take_front(4096));
  }
  void MacroDefined(const Token &Name, const MacroDirective *MD) override {
    const MacroInfo *MI = MD ? MD->getMacroInfo() : nullptr;
    if (!MI || !Name.getIdentifierInfo())
      return;
    directive(MI->getDefinitionLoc(), "#define " + Name.getIdentifierInfo()->getName().str(),
              text(SourceRange(MI->getDefinitionLoc(), MI->getDefinitionEndLoc()), true));
  }
  void MacroUndefined(const Token &Name, const MacroDefinition &,
                      const MacroDirective *) override {
    if (Name.getIdentifierInfo())
      directive(Name.getLocation(), "#undef " + Name.getIdentifierInfo()->getName().str(), "");
  }
  void If(SourceLocation Loc, SourceRange Condition, ConditionValueKind) override {
    directive(Loc, "#if", text(Condition, true));
  }
  void Elif(SourceLocation Loc, SourceRange Condition, ConditionValueKind,
            SourceLocation) override {
    directive(Loc, "#elif", text(Condition, true));
  }
  void Ifdef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    if (Name.getIdentifierInfo())
      directive(Loc, "#ifdef " + Name.getIdentifierInfo()->getName().str(), "");
  }
  void Ifndef(SourceLocation Loc, const Token &Name, const MacroDefinition &) override {
    if (Name.getIdentifierInfo())
      directive(Loc, "#ifndef " + Name.getIdentifierInfo()->getName().str(), "");
  }
  void InclusionDirective(SourceLocation HashLoc, const Token &, llvm::StringRef FileName,
                          bool IsAngled, CharSourceRange, OptionalFileEntryRef File,
                          llvm::StringRef, llvm::StringRef, const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    directive(HashLoc, "#include " + std::string(IsAngled ? "<" : "\"") + FileName.str() +
                           (IsAngled ? ">" : "\""),
              File ? File->getName() : "(not found)");
  }
  void SourceRangeSkipped(SourceRange Range, SourceLocation) override {
    directive(Range.getBegin(), "skipped region", text(Range, false));
  }

private:
  llvm::StringRef text(SourceRange R, bool TokenRange) const {
    bool Invalid = false;
    CharSourceRange Range = TokenRange ? CharSourceRange::getTokenRange(R)
                                       : CharSourceRange::getCharRange(R);
    llvm::StringRef Text = Lexer::getSourceText(Range, SM, LangOptions(), &Invalid);
    return Invalid ? llvm::StringRef() : Text;
  }

  void directive(SourceLocation Loc, const std::string &What, llvm::StringRef Text) {
    const std::string *File = InSummary.find(Loc);
    if (!File)
      return;
    Hasher D;
    D.add(What).add(Text);
    if (Locations) {
      SourceLocation At = SM.getExpansionLoc(Loc);
      D.add(uint64_t(SM.getFileOffset(At))).add(uint64_t(SM.getSpellingLineNumber(At)));
    }
    Directives.push_back({*File + ": " + What, D.final()});
  }

  const SourceManager &SM;
  SummaryFileSet InSummary;
  std::vector<std::pair<std::string, Hash128>> &Directives;
  bool Locations;
};

void FingerprintRecorder::attach(CompilerInstance &CI) {
  auto Callbacks =
      std::make_unique<PreprocessorRecorder>(CI.getPreprocessor(), Preprocessed, RecordSkipped,
                                             Out.UsesClock, Out.UsesFilePath);
  Recorder = Callbacks.get();
  Preprocessor &PP = CI.getPreprocessor();
  PP.addPPCallbacks(std::move(Callbacks));
  if (CodeLinesWanted && !RecordSkipped) {
    auto Left = std::make_unique<LeftOutRecorder>(CI.getSourceManager());
    LeftOut = Left.get();
    PP.addPPCallbacks(std::move(Left));
    // __builtin_LINE() and source_location take a line where Sema meets
    // them, in code that may reach no object and still decide what clang
    // says (a static_assert), or at the use site of a default argument: any
    // of them in the unit makes every file's lines count (recordCodeLines).
    PP.setTokenWatcher([&Seen = LineBuiltinSeen](const Token &T) {
      if (T.isOneOf(tok::kw___builtin_LINE, tok::kw___builtin_COLUMN,
                    tok::kw___builtin_source_location))
        Seen = true;
    });
  }
  if (RecordSkipped) {
    PP.addCommentHandler(Recorder);
    // What GCC's -Wmisleading-indentation reads is hashed from the AST and
    // the files' lines (GuardIndentation.h).
    PP.setTokenWatcher([R = Recorder, &Seen = LineBuiltinSeen](const Token &T) {
      if (T.isOneOf(tok::kw___builtin_LINE, tok::kw___builtin_COLUMN,
                    tok::kw___builtin_source_location)) {
        R->Skipped.lineBuiltinRead();
        Seen = true;
      } else if (T.is(tok::identifier) && T.getIdentifierInfo()) {
        R->noteUse(*T.getIdentifierInfo(), T.getLocation());
      }
      R->token(T);
    });
  }
  if (!SummaryFiles.empty())
    CI.getPreprocessor().addPPCallbacks(std::make_unique<DirectiveRecorder>(
        CI.getSourceManager(), SummaryFiles, Out.SummaryDirectives,
        Locations != LocationUse::None || IRMetadata));
}

std::unique_ptr<ASTConsumer> FingerprintRecorder::eventRecorder() {
  return std::make_unique<UnitEventRecorder>(Events);
}

bool FingerprintRecorder::skippedInclude() const { return Recorder && Recorder->SkippedInclude; }
bool FingerprintRecorder::skippedAsmFile() const { return Recorder && Recorder->SkippedAsmFile; }
std::vector<std::string> FingerprintRecorder::probedFiles() const {
  return Recorder ? Recorder->ProbedFiles : std::vector<std::string>();
}

/// Each literal lies in a function outside the closure, and on no line
/// whose text GCC's -Wmisleading-indentation reads.
static bool literalsOutsideCode(const SourceManager &SM, llvm::ArrayRef<LiteralSite> Sites,
                                const std::vector<bool> &InClosure,
                                llvm::ArrayRef<LineSpan> GuardLines) {
  for (size_t I = 0; I != Sites.size(); ++I) {
    if (!Sites[I].Function || I >= InClosure.size() || InClosure[I])
      return false;
    auto [File, Offset] = SM.getDecomposedLoc(Sites[I].Loc);
    for (const LineSpan &L : GuardLines)
      if (L.File == File && L.Begin <= Offset && Offset <= L.End)
        return false;
  }
  return true;
}

/// Every file's name and the hash of its bytes, by name (SourceManager's
/// map of files has no stable order).
static std::vector<std::pair<std::string, Hash128>> everyFile(const SourceManager &SM) {
  std::vector<std::pair<std::string, Hash128>> Files;
  for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It) {
    std::optional<llvm::MemoryBufferRef> Buf = It->second->getBufferIfLoaded();
    Files.emplace_back(It->first.getName().str(), Buf ? hashBytes(Buf->getBuffer()) : Hash128());
  }
  llvm::sort(Files);
  return Files;
}

bool FingerprintRecorder::fingerprint(ASTContext &Ctx, CompilerInstance &CI) {
  collectInputs(Ctx.getSourceManager());
  if (CI.getDiagnostics().hasErrorOccurred())
    return false;
  if (RecordsOnly) {
    FingerprintOptions Plain;
    Plain.LoadedOnly = LoadedOnly;
    Out.ReloadRecords = std::move(computeFingerprint(Ctx, Plain).Closure);
    return true;
  }
  FingerprintOptions Opts;
  Opts.DebugInfo = Locations != LocationUse::None;
  Opts.IRMetadata = IRMetadata;
  Opts.EnumRanges = RecordSkipped || CI.getCodeGenOpts().StrictEnums ||
                    CI.getLangOpts().Sanitize.has(clang::SanitizerKind::Enum);
  bool AllLines = false;
  std::vector<FileID> SkippedLineFiles;
  std::vector<LineSpan> GuardLines;
  if (RecordSkipped && Recorder) {
    SkippedLines::Verdict V = Recorder->Skipped.finish(Preprocessed);
    AllLines = V.AllLines;
    Out.LineNames = std::move(V.LineNames);
    SkippedLineFiles = std::move(V.LineFiles);
    hashGuardIndentation(Ctx, Preprocessed, Literals.empty() ? nullptr : &GuardLines);
  }
  Hasher SaltH;
  SaltH.add(Salt).add(Preprocessed.final());
  // Every file's bytes count: they join the fingerprint after the closure.
  bool EveryFile = Locations >= LocationUse::LineFiles || AllLines;
  Opts.Salt = SaltH.final();
  Opts.SummaryFiles = SummaryFiles;
  Opts.Events = Events;
  Opts.EveryDynamicClass = RecordSkipped;
  Opts.EveryInternalDefinition = InternalDefinitions;
  Opts.InternalUses = RecordSkipped;
  if (RecordSkipped && Recorder)
    Out.Tokens = Recorder->Tokens.final();
  std::vector<LiteralSite> Sites;
  std::vector<const Decl *> Functions;
  if (!Literals.empty()) {
    Sites = findLiterals(Ctx, Literals);
    const SourceManager &SM = Ctx.getSourceManager();
    for (const LiteralSite &S : Sites) {
      Functions.push_back(S.Function);
      if (S.Loc.isValid()) {
        Out.LiteralLines.push_back(SM.getPresumedLineNumber(S.Loc));
        Out.LiteralLines.push_back(SM.getSpellingLineNumber(S.Loc));
      }
    }
    Opts.Probes = Functions;
  }
  auto Began = std::chrono::steady_clock::now();
  Out.Fingerprint = computeFingerprint(Ctx, Opts);
  Out.FingerprintMs += msSince(Began);
  if (EveryFile) {
    TUFingerprint &FP = *Out.Fingerprint;
    std::vector<std::pair<std::string, Hash128>> Files = everyFile(Ctx.getSourceManager());
    Hasher H;
    H.add("every file's bytes").add(FP.Value);
    for (const auto &[Name, Bytes] : Files)
      H.add(Name).add(Bytes);
    if (Locations == LocationUse::LineFiles && !AllLines) {
      FP.WithoutFileBytes = FP.Value;
      FP.FileContents = std::move(Files);
    }
    FP.Value = H.final();
  }
  // Every file's bytes count (AllLines), or a column may reach the object
  // and a literal moved the tokens after it on its line: the files as they
  // were may not have had this fingerprint.
  bool ColumnsKept = llvm::all_of(Literals, [](const LiteralEdit &E) { return E.ColumnsKept; });
  if (!Sites.empty() && !AllLines &&
      (ColumnsKept || (!LineBuiltinSeen && !Out.Fingerprint->AllLinesReached)))
    Out.LiteralsOutsideCode = literalsOutsideCode(Ctx.getSourceManager(), Sites,
                                                  Out.Fingerprint->ProbesInClosure, GuardLines);
  // A quoted __has_include may find a file created later: the linked
  // Clang's lookups that found nothing are in the entry (MissedDirs), which
  // a comment edit must match too; another compiler searches its own way.
  if (CodeLinesWanted && Locations == LocationUse::None && !Out.Fingerprint->AllLinesReached &&
      !LineBuiltinSeen && !AllLines && !(Recorder && Recorder->QuotedProbe && RecordSkipped)) {
    auto Recording = std::chrono::steady_clock::now();
    recordCodeLines(Ctx, CI.getLangOpts(), SkippedLineFiles,
                    CI.getCodeGenOpts().MacroDebugInfo);
    Out.CodeLinesMs += msSince(Recording);
  }
  if (CI.getCodeGenOpts().PatchableFunctionEntryCount != 0) {
    if (!Opts.DebugInfo && !Opts.IRMetadata) {
      Out.ReloadRecords = Out.Fingerprint->Closure;
    } else {
      FingerprintOptions Plain;
      Out.ReloadRecords = computeFingerprint(Ctx, Plain).Closure;
    }
  }
  return true;
}

void FingerprintRecorder::recordCodeLines(ASTContext &Ctx, const LangOptions &LO,
                                          llvm::ArrayRef<FileID> SkippedLineFiles,
                                          bool MacroDebugInfo) {
  Out.SourceKeyLines = Hash128();
  Out.UnitNames.clear();
  // Where the linked Clang reads documentation comments (-Wdocumentation,
  // -fparse-all-comments), a comment between one and its declaration, or
  // their columns, change what it documents and what it warns: no file's
  // comments are free.
  if (!RecordSkipped &&
      (LO.CommentOpts.ParseAllComments || (LeftOut && LeftOut->DocumentationPragma) ||
       llvm::any_of(Ctx.getDiagnostics().getDiagnosticOptions().Warnings,
                    [](llvm::StringRef W) {
                      return W.contains("documentation") || W.contains("everything");
                    })))
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseSet<FileID> Lines(Out.Fingerprint->LinesReached.begin(),
                               Out.Fingerprint->LinesReached.end());
  Lines.insert(SkippedLineFiles.begin(), SkippedLineFiles.end());
  // The system's files (under /usr/, changed by package, not by comment)
  // get no code lines: their __LINE__ uses need no look.
  auto SystemName = [](llvm::StringRef Name) { return Name.starts_with("/usr/"); };
  auto System = [&](FileID F) {
    OptionalFileEntryRef E = SM.getFileEntryRefForID(F);
    return E && SystemName(E->getName());
  };
  if (Recorder) {
    std::vector<LineExpansion> Ours;
    for (const LineExpansion &E : Recorder->LineExpansions)
      if (!System(E.File))
        Ours.push_back(E);
    for (FileID F : filesWhoseLinesMatter(Ctx, Ours))
      Lines.insert(F);
  }
  llvm::DenseSet<const FileEntry *> Reached;
  for (FileID F : Lines)
    if (OptionalFileEntryRef E = SM.getFileEntryRefForID(F))
      Reached.insert(&E->getFileEntry());
  // A name poisoned (but the two Clang poisons itself): a body that spells
  // it is an error, so no body is free, nor a new definition.
  bool Poisoned = llvm::any_of(Ctx.Idents, [](const auto &Entry) {
    const IdentifierInfo *II = Entry.getValue();
    return II->isPoisoned() && !II->isStr("__VA_ARGS__") && !II->isStr("__VA_OPT__");
  });
  // What the unit never reads, by file (LeftOut.h).
  llvm::DenseMap<const FileEntry *, LeftOutRecorder::Found> Unread;
  if (LeftOut && !RecordSkipped && !Poisoned)
    Unread = LeftOut->found();
  // The names the unit read, for a lookup that frees a new definition of
  // another (NewDefines.h), with every name a project file may define.
  std::optional<NameFilter> Names;
  if (LeftOut && !RecordSkipped && !Poisoned && !MacroDebugInfo && !LeftOut->ExtensionPragma &&
      !Ctx.Idents.getExternalIdentifierLookup() &&
      Ctx.getDiagnostics().isIgnored(diag::ext_embedded_directive, SourceLocation())) {
    Names.emplace(Ctx.Idents.size() + 1024);
    for (const auto &Entry : Ctx.Idents)
      Names->add(Entry.getKey());
  }
  // Spacing between tokens, left out for the linked Clang (no column
  // reaches the object here: no locations, no __builtin_COLUMN, no place
  // in a name), but on the lines whose columns a warning reads.
  llvm::DenseMap<const FileEntry *, std::vector<unsigned>> ColumnLines;
  if (!RecordSkipped)
    for (auto &[F, Lines] : columnReadLines(Ctx, !LeftOut || LeftOut->PragmaFromMacro))
      if (OptionalFileEntryRef E = SM.getFileEntryRefForID(F)) {
        std::vector<unsigned> &To = ColumnLines[&E->getFileEntry()];
        To.insert(To.end(), Lines.begin(), Lines.end());
      }
  const FileEntry *MainEntry = nullptr;
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    MainEntry = &Main->getFileEntry();
  for (auto &[F, Lines] : ColumnLines) {
    llvm::sort(Lines);
    Lines.erase(std::unique(Lines.begin(), Lines.end()), Lines.end());
  }
  // A file whose lines reach: for the linked Clang, its lines fixed in
  // place (what ends a line of code may still change: AllLinesFixed).
  struct Code {
    Hash128 Hash;
    uint32_t Fixed = 0;
    std::string LeftOut;
  };
  llvm::StringMap<Code> ByName;
  for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It) {
    llvm::StringRef Name = It->first.getName();
    std::optional<llvm::MemoryBufferRef> Buf = It->second->getBufferIfLoaded();
    if (!Buf || SystemName(Name))
      continue;
    uint32_t Fixed = Reached.contains(&It->first.getFileEntry()) ? AllLinesFixed : 0;
    if (Names)
      definedNames(Buf->getBuffer(), [&](llvm::StringRef Name) { Names->add(Name); });
    if (RecordSkipped) {
      if (Fixed == 0)
        ByName[Name] = {codeLines(Buf->getBuffer(), LO, CommentRule::OtherCompiler), 0, ""};
      continue;
    }
    // What the unit never reads there (the source has none: LeftOut.h), and
    // the spacing but on the lines whose columns a warning reads.
    const FileEntry *Entry = &It->first.getFileEntry();
    auto Found = Unread.find(Entry);
    LeftOutRecorder::Found None;
    const LeftOutRecorder::Found &Left = Found == Unread.end() ? None : Found->second;
    auto Columns = ColumnLines.find(Entry);
    Code &C = ByName[Name];
    C.Fixed = Fixed;
    C.Hash = codeLinesLeavingOut(Buf->getBuffer(), LO, Fixed, Left.Macros, Left.Lines, C.LeftOut,
                                 /*Spacing=*/true,
                                 Columns == ColumnLines.end() ? llvm::ArrayRef<unsigned>()
                                                              : llvm::ArrayRef(Columns->second));
    // The unit's source: its code lines find the entry before its list is
    // known, so the entry's key leaves its spacing out on every line.
    if (Entry == MainEntry)
      Out.SourceKeyLines = codeLines(Buf->getBuffer(), LO, CommentRule::Clang, Fixed,
                                     sourceKeyList());
  }
  if (Names)
    Out.UnitNames = Names->bytes();
  Out.CodeLines.clear();
  Out.CodeFixedLines.clear();
  Out.CodeLeftOut.clear();
  for (const std::string &F : Out.InputFiles) {
    auto It = ByName.find(F);
    bool Known = It != ByName.end();
    Out.CodeLines.push_back(Known ? It->second.Hash : Hash128());
    Out.CodeFixedLines.push_back(Known ? It->second.Fixed : 0);
    Out.CodeLeftOut.push_back(Known ? It->second.LeftOut : "");
  }
}

void FingerprintRecorder::collectInputs(const SourceManager &SM) {
  std::string Main;
  if (OptionalFileEntryRef M = SM.getFileEntryRefForID(SM.getMainFileID()))
    Main = std::string(M->getName());
  std::vector<std::string> Others;
  for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It)
    if (It->first.getName() != Main)
      Others.push_back(std::string(It->first.getName()));
  llvm::sort(Others);
  Others.erase(std::unique(Others.begin(), Others.end()), Others.end());
  Out.InputFiles.clear();
  if (!Main.empty())
    Out.InputFiles.push_back(Main);
  Out.InputFiles.insert(Out.InputFiles.end(), Others.begin(), Others.end());
  Out.MissedDirs.clear();
  if (auto *FS = llvm::dyn_cast<MissRecordingFS>(&SM.getFileManager().getVirtualFileSystem()))
    Out.MissedDirs = FS->missedDirs();
  Out.FileNames.clear();
  if (Recorder)
    for (const auto &Name : Recorder->FileNames)
      Out.FileNames.push_back(Name.getKey().str());
  llvm::sort(Out.FileNames);
}

bool FingerprintOnlyAction::BeginSourceFileAction(CompilerInstance &CI) {
  Recorder.attach(CI);
  return true;
}

std::unique_ptr<ASTConsumer> FingerprintOnlyAction::CreateASTConsumer(CompilerInstance &CI,
                                                                      llvm::StringRef) {
  struct Consumer : ASTConsumer {
    Consumer(FingerprintRecorder &R, CompilerInstance &CI) : R(R), CI(CI) {}
    void HandleTranslationUnit(ASTContext &Ctx) override { R.fingerprint(Ctx, CI); }
    FingerprintRecorder &R;
    CompilerInstance &CI;
  };
  std::vector<std::unique_ptr<ASTConsumer>> Both;
  Both.push_back(Recorder.eventRecorder());
  Both.push_back(std::make_unique<Consumer>(Recorder, CI));
  return std::make_unique<MultiplexConsumer>(std::move(Both));
}

std::string resolveProgram(llvm::StringRef Compiler) {
  std::string Path(Compiler);
  if (!Compiler.contains('/'))
    if (llvm::ErrorOr<std::string> Found = llvm::sys::findProgramByName(Compiler))
      Path = *Found;
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return Path;
  return std::string(Real);
}

void initializeTargets() {
  static bool Done = [] {
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
    return true;
  }();
  (void)Done;
}

llvm::Error failure(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

} // namespace hotast
