//===- OtherCompile.cpp - A compile with gcc, g++ or another clang --------===//

#include "CommentEdit.h"
#include "CompileJob.h"
#include "OtherView.h"

#include "hotast/Compile/AsmScan.h"
#include "hotast/Compile/CodeLines.h"
#include "hotast/Compile/LiteralEdit.h"
#include "hotast/Compile/UnparsedLines.h"
#include "hotast/Compile/OptionPolicy.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Explain.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <cstring>
#include <map>
#include <set>

namespace hotast {
namespace semantic {
namespace {

/// Runs the real compiler with Argv, its stderr kept; -1 when it cannot run
/// (Error says why).
int runQuietly(Job &J, llvm::ArrayRef<std::string> Argv, std::string &Stderr,
               std::string &Error) {
  llvm::SmallString<128> Temp;
  if (std::error_code EC = llvm::sys::fs::createTemporaryFile("hotast", "stderr", Temp)) {
    Error = Temp.str().str() + ": " + EC.message();
    return -1;
  }
  std::vector<llvm::StringRef> Args(Argv.begin(), Argv.end());
  std::optional<llvm::StringRef> Redirects[] = {std::nullopt, std::nullopt, Temp.str()};
  int Status = llvm::sys::ExecuteAndWait(J.Compiler, Args, std::nullopt, Redirects, 0, 0, &Error);
  if (auto Buf = llvm::MemoryBuffer::getFile(Temp))
    Stderr = (*Buf)->getBuffer().str();
  llvm::sys::fs::remove(Temp);
  return Status;
}

/// Runs the real compiler, with stderr passed through and kept; a compile
/// that fails is counted and logged.
llvm::Expected<int> runCompiler(Job &J, std::string &Stderr) {
  std::string Error;
  int Status = runQuietly(J, J.Argv, Stderr, Error);
  llvm::errs() << Stderr;
  if (Status < 0)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot run '" + J.Compiler + "': " + Error);
  if (Status != 0) {
    J.bump(counter::CompileError);
    J.log("compile failed (status " + llvm::Twine(Status) + ")");
  }
  return Status;
}

/// What the compiler's front end says about the sources as they are: the
/// command, its outputs left out, run with -fsyntax-only (which prints what
/// the parse and semantic analysis warn about, and nothing of what comes
/// after: docs/wrapper.md, "Warnings of another compiler"); nullopt when it
/// fails. Not printed here.
std::optional<std::string> frontEndSays(Job &J) {
  std::vector<std::string> Argv{J.Argv.front()};
  Argv.insert(Argv.end(), J.Cmd.HashedArgs.begin(), J.Cmd.HashedArgs.end());
  Argv.push_back("-fsyntax-only");
  Argv.push_back(J.Cmd.Source);
  std::string Stderr, Error;
  if (runQuietly(J, Argv, Stderr, Error) != 0)
    return std::nullopt;
  return Stderr;
}

/// The key a direct-mode entry names a result by: the fingerprint holds
/// Clang's view only, and the store keeps one result a fingerprint, the
/// last; a compile with the same fingerprint but other files only the
/// compiler read (View: OtherView::of) has another object, which would
/// replace the one an older entry's files stand for.
Hash128 viewedResultKey(const Hash128 &Fingerprint, const Hash128 &View) {
  return Hasher().add("result as the compiler saw it").add(Fingerprint).add(View).final();
}

/// Keeps R under its viewed key as well (see viewedResultKey); returns it.
Hash128 keepViewed(Job &J, const Hash128 &Fingerprint, const CachedResult &R) {
  Hash128 Key = viewedResultKey(Fingerprint, R.DepfileView);
  // A semantic hit of a result kept before writes nothing again.
  auto Kept = J.S->result(Key);
  if (Kept && *Kept && (*Kept)->Object == R.Object)
    return Key;
  if (!Kept)
    llvm::consumeError(Kept.takeError());
  if (llvm::Error E = J.Tiers->putResult(Key, R))
    J.log("result not stored: " + llvm::toString(std::move(E)));
  return Key;
}

/// Why a result of this parse cannot be cached ("" when it can), for
/// "not cached: ...".
std::string unusable(const Job &J, const ForeignParse &Parse) {
  const CompileOutcome &Out = Parse.Outcome;
  // A region Clang skipped includes a file: the compiler may read what the
  // parse never saw. Its depfile, with system headers, says what it read.
  bool SeesOtherFiles = J.Cmd.Depfile.Enabled && J.Cmd.Depfile.SystemHeaders;
  if (!Out.Fingerprint)
    return "Clang cannot parse this command";
  if (Parse.SkippedAsmFile || Out.Fingerprint->AsmReadsFiles)
    return AsmReadsFile;
  if (Parse.DroppedConstructs)
    return "Clang drops an attribute or pragma of this source";
  if (Parse.SkippedInclude && !SeesOtherFiles)
    return "an #include in a region Clang skips";
  return "";
}

/// A path as the comparisons below take it: absolute, without "." parts
/// (".." stays: a symbolic link makes it more than text).
std::string comparable(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/false);
  return std::string(P);
}

/// The unit's first compile through hotast when it may run without a parse
/// (docs/wrapper.md, "The first compile of a unit"): the command writes a
/// depfile with system headers, which names every file the compiler read,
/// and the unit has no snapshot (the caller knows it has no unparsed
/// record).
bool firstCompile(Job &J) {
  if (!J.Cmd.Depfile.Enabled || !J.Cmd.Depfile.SystemHeaders || J.C.Remote.Only)
    return false;
  auto Snapshot = J.S->hasSnapshot(J.UnitKey);
  if (!Snapshot) {
    llvm::consumeError(Snapshot.takeError());
    return false;
  }
  return !*Snapshot;
}

/// Whether Text spells __DATE__, __TIME__ or __TIMESTAMP__ (glibc's memmem:
/// hundreds of headers are searched for each first compile).
bool spellsClock(llvm::StringRef Text) {
  for (llvm::StringRef Word : {"__DATE__", "__TIME__", "__TIMESTAMP__"})
    if (::memmem(Text.data(), Text.size(), Word.data(), Word.size()))
      return true;
  return false;
}

/// What the parse would have said of the files a compile read without one:
/// "" when a result may be kept, else why not: a project file (not the
/// system's, under /usr, as for skipped regions) may hold an asm directive
/// that reads a file (AsmScan.h). Sets ClockFile to a file that spells
/// __DATE__, __TIME__ or __TIMESTAMP__ (the object then has no direct-mode
/// entry). Gives each project file whose lines may move (no location
/// option; UnparsedLines.h) its code lines, so that a comment line added
/// there is a hit without a parse (CodeLines.h).
std::string scanUnparsed(Job &J, const OptionPolicy &Policy, std::vector<FileStamp> &Files,
                         std::string &ClockFile) {
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> Buffers;
  std::vector<ReadFile> Read;
  for (const FileStamp &F : Files) {
    // Read, not mapped (as stampFiles).
    auto Bytes = llvm::MemoryBuffer::getFile(F.Path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/true, /*IsVolatile=*/true);
    if (!Bytes)
      return "not cached: " + F.Path + " cannot be read now";
    llvm::StringRef Text = (*Bytes)->getBuffer();
    if (!llvm::StringRef(F.Path).starts_with("/usr/") && sourceMayHoldAsmFileDirective(Text))
      return "not cached: " + std::string(AsmReadsFile) + " in " + F.Path;
    if (ClockFile.empty() && spellsClock(Text))
      ClockFile = F.Path;
    Read.push_back({F.Path, Text});
    Buffers.push_back(std::move(*Bytes));
  }
  if (Policy.Locations != LocationUse::None)
    return "";
  std::vector<std::optional<unsigned>> Fixed = fixedLines(Read, J.Cmd.HashedArgs);
  std::optional<CodeLinesReader> Reader;
  for (size_t I = 0; I != Files.size(); ++I) {
    // The bytes read here must be those the stamp names (the file may be
    // saved meanwhile).
    if (!Fixed[I] || hashBytes(Read[I].Text) != Files[I].Content)
      continue;
    if (!Reader) {
      auto R = CodeLinesReader::forCommand(J.Expanded, CommentRule::OtherCompiler);
      if (!R) {
        llvm::consumeError(R.takeError());
        return "";
      }
      if (!*R)
        return "";
      Reader.emplace(std::move(**R));
    }
    Files[I].CodeFixedLines = *Fixed[I];
    Files[I].Code = Reader->ofText(Read[I].Text, *Fixed[I]);
  }
  return "";
}

/// A compile without a fingerprint: the compiler runs; its object is kept
/// under a key only the direct-mode entry names, from the files its depfile
/// lists. For a unit's first compile (BytesOnlyWhy empty) the contents of
/// those files are kept (outside /usr) for the fingerprint the unit's next
/// change computes (fingerprintUnparsed); otherwise the compile cannot have
/// one (BytesOnlyWhy says why) and is kept for its bytes alone.
llvm::Expected<int> compileUnparsed(Job &J, const OptionPolicy &Policy,
                                    llvm::StringRef BytesOnlyWhy = "") {
  std::string Stderr;
  auto Status = runCompiler(J, Stderr);
  if (!Status || *Status != 0)
    return Status;
  auto NotKept = [&J](const llvm::Twine &Why) {
    J.bump(counter::Uncacheable);
    J.log(Why);
    return 0;
  };
  std::string Written = readDepfile(J);
  std::vector<std::string> Files = depfileInputs(Written);
  for (const std::string &F : Policy.InputFiles)
    if (!llvm::is_contained(Files, F))
      Files.push_back(F);
  if (Files.empty())
    return NotKept("not cached: the depfile names no file");
  auto Stamps = stampFiles(Files, J.StartNs);
  if (!Stamps)
    return NotKept("not cached: " + llvm::toString(Stamps.takeError()));
  std::string ClockFile;
  if (std::string Why = scanUnparsed(J, Policy, *Stamps, ClockFile); !Why.empty())
    return NotKept(Why);
  if (BytesOnlyWhy.empty())
    keepSources(J, *Stamps);
  Hasher Key;
  Key.add("unparsed result").add(J.DirectKey);
  for (const FileStamp &F : *Stamps)
    Key.add(F.Path).add(F.Content);
  const Hash128 ResultKey = Key.final();
  CachedResult R;
  R.Silent = Stderr.empty();
  // Its warnings may be replayed after a literal edit (parseLiteralEdit).
  if (!R.Silent) {
    if (auto Key = J.Tiers->put(Stderr))
      R.Stderr = *Key;
    else
      J.log("stderr not stored: " + llvm::toString(Key.takeError()));
  }
  R.Depfile = Written;
  std::optional<Hash128> Object = storeObject(J, ResultKey, R);
  countMiss(J);
  if (BytesOnlyWhy.empty())
    J.log("miss: first compile of this unit (not parsed: fingerprinted when it next changes)");
  else
    J.log("miss: kept for its bytes only: " + BytesOnlyWhy);
  if (!Object)
    return 0;
  if (BytesOnlyWhy.empty())
    if (llvm::Error E = J.S->putUnparsed(J.UnitKey, {ResultKey, *Stamps}))
      J.log("no record of the unit: " + llvm::toString(std::move(E)));
  if (!ClockFile.empty()) {
    J.log("no direct-mode entry: " + ClockFile + " spells __DATE__, __TIME__ or __TIMESTAMP__");
    return 0;
  }
  ManifestEntry Entry;
  Entry.Files = StampList(std::move(*Stamps));
  Entry.Fingerprint = ResultKey;
  // The source's code lines key the entry when they alone say it: a comment
  // edit of the source looks it up by them (findCommentEdit).
  if (!Entry.Files.front().Code.isZero() && Entry.Files.front().CodeFixedLines == 0)
    Entry.CodeKey = codeKey(J.Salt, J.Cmd, Entry.Files.front().Code);
  Entry.Depfile = Written;
  if (Policy.Locations != LocationUse::None)
    Entry.WorkingDir = J.Cwd;
  addEntry(J, std::move(Entry), Stderr, /*Portable=*/false);
  return 0;
}

/// The unit's first compile, parsed as it was (fingerprintUnparsed).
struct FirstCompile {
  ForeignParse Parse;
  CachedResult Result;
  /// The result's viewed key (viewedResultKey).
  Hash128 ResultKey;
  /// A file only the compiler read spells a word that reaches a line.
  bool LinesCount = false;
};

/// Stores the result of the unit's unparsed first compile under Parse's
/// fingerprint, with the snapshot, when Parse stands for that compile: it
/// read no file the compile did not, and the files only the compiler read
/// are as they were (with ViewNow, also as they are now). "" when done, else
/// why not; Key and LinesCount as in FirstCompile.
std::string adoptFirstCompile(Job &J, const UnparsedUnit &U, CachedResult &R,
                              const ForeignParse &Parse, bool ViewNow, Hash128 &Key,
                              bool &LinesCount) {
  std::map<std::string, Hash128> Then;
  for (const FileStamp &F : U.Files)
    Then[comparable(F.Path)] = F.Content;
  if (std::string Why = unusable(J, Parse); !Why.empty())
    return "as it was, " + Why;
  // The same file may have two names (the compiler's "/usr/include/x",
  // Clang's "/usr/lib/gcc/../../include/x"): files that exist are compared
  // as files.
  std::set<llvm::sys::fs::UniqueID> ThenIDs;
  for (const FileStamp &F : U.Files)
    if (llvm::sys::fs::UniqueID ID; !llvm::sys::fs::getUniqueID(F.Path, ID))
      ThenIDs.insert(ID);
  // A file read now that the compile did not read, or one __has_include
  // finds now that it need not have found then (a file created since):
  // what was parsed may not be what was compiled. Clang's own builtin
  // headers stand in for the compiler's; the system's (/usr) change with
  // the installation only.
  const CompileOutcome &Out = Parse.Outcome;
  auto ReadThen = [&](const std::string &F) {
    if (!Parse.ResourceDir.empty() && llvm::StringRef(F).starts_with(Parse.ResourceDir + "/"))
      return true;
    llvm::sys::fs::UniqueID ID;
    return llvm::sys::fs::getUniqueID(F, ID) ? Then.count(comparable(F)) != 0
                                             : ThenIDs.count(ID) != 0;
  };
  for (const std::string &F : Out.InputFiles)
    if (!ReadThen(F))
      return F + " is read now, not then";
  for (const std::string &F : Parse.ProbedFiles)
    if (!llvm::StringRef(F).starts_with("/usr/") && !ReadThen(F))
      return F + " is found by __has_include now, and was not read then";
  if (Out.UsesClock)
    return "__DATE__, __TIME__ or __TIMESTAMP__ expands to another time now";
  auto ContentThen = [&Then](llvm::StringRef F) -> std::optional<Hash128> {
    auto It = Then.find(comparable(F));
    return It == Then.end() ? std::nullopt : std::optional<Hash128>(It->second);
  };
  const OtherView View(readDepfile(J), Out);
  std::optional<OtherView::Seen> Seen = View.of(R.Depfile, ContentThen);
  if (!Seen)
    return "a file only the compiler read is not known";
  if (ViewNow) {
    std::optional<OtherView::Seen> Now = View.of(R.Depfile);
    if (!Now || Now->Hash != Seen->Hash || Seen->LinesCount)
      return "a file only the compiler read changed, or spells a line";
  }
  R.DepfileView = Seen->Hash;
  // What the compile printed is what the compiler prints for Parse's tokens.
  R.Tokens = Out.Tokens;
  if (llvm::Error E = J.Tiers->putResult(Out.Fingerprint->Value, R))
    return llvm::toString(std::move(E));
  const TUFingerprint &FP = *Out.Fingerprint;
  if (llvm::Error E = J.S->putSnapshot(J.UnitKey, {FP.Value, snapshotOf(FP), U.Files}))
    return llvm::toString(std::move(E));
  Key = keepViewed(J, FP.Value, R);
  LinesCount = Seen->LinesCount;
  return "";
}

/// Gives the unit's unparsed first compile its fingerprint: parses the
/// files as that compile read them (the kept contents of those changed
/// since; the system's must be as they were), checks that the parse read
/// no file the compiler did not, and stores the result under the
/// fingerprint, with the snapshot (First: that parse). "" when done, else
/// why not.
std::string fingerprintUnparsed(Job &J, const OptionPolicy &Policy, const UnparsedUnit &U,
                                std::optional<FirstCompile> &First) {
  std::optional<CachedResult> R = J.Tiers->result(U.Result);
  if (!R)
    return "its object is no longer cached";
  std::vector<std::pair<std::string, std::string>> Contents;
  for (const FileStamp &F : U.Files) {
    if (stampMatches(F))
      continue;
    if (llvm::StringRef(F.Path).starts_with("/usr/"))
      return F.Path + " changed";
    auto Text = J.Objects->get(F.Content);
    if (!Text) {
      llvm::consumeError(Text.takeError());
      return F.Path + " was not kept";
    }
    Contents.emplace_back(F.Path, std::move(*Text));
  }
  auto Parse = parseForOtherCompiler(J.Expanded, saltWithPolicy(J.Salt, Policy, J.Cwd), Policy,
                                     Contents);
  if (!Parse)
    return llvm::toString(Parse.takeError());
  Hash128 Key;
  bool LinesCount = false;
  if (std::string Why = adoptFirstCompile(J, U, *R, *Parse, /*ViewNow=*/false, Key, LinesCount);
      !Why.empty())
    return Why;
  First = FirstCompile{std::move(*Parse), std::move(*R), Key, LinesCount};
  return "";
}

/// When the files the unit's unparsed first compile read changed since in
/// integer literals only (LiteralEdit.h), the literals of each changed file;
/// else none.
std::vector<LiteralEdit> literalEditsSinceFirstCompile(Job &J, const UnparsedUnit &U) {
  std::vector<LiteralEdit> Edits;
  for (const FileStamp &F : U.Files) {
    if (stampMatches(F))
      continue;
    if (llvm::StringRef(F.Path).starts_with("/usr/"))
      return {};
    auto Then = J.Objects->get(F.Content);
    auto Now = llvm::MemoryBuffer::getFile(F.Path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false, /*IsVolatile=*/true);
    if (!Then || !Now) {
      if (!Then)
        llvm::consumeError(Then.takeError());
      return {};
    }
    std::optional<LiteralEdit> Changed = changedIntegerLiterals(*Then, (*Now)->getBuffer());
    if (!Changed)
      return {};
    Changed->Path = F.Path;
    if (!Changed->Offsets.empty())
      Edits.push_back(std::move(*Changed));
  }
  return Edits;
}

/// The first compile's warnings (R's) are what the compiler prints after a
/// literal edit LiteralEdit.h allows, unless one names a line of the edit
/// (Lines): no warning reads the literals' values, and the edit moves no
/// line. With GCC's default layout a warning shows each line it quotes or
/// points to by its number: no number in the text may be one of Lines
/// (numbers that are something else only make this refuse more).
bool warningsReplayable(Job &J, const CachedResult &R, llvm::ArrayRef<unsigned> Lines) {
  std::optional<std::string> Text = J.Tiers->blob(R.Stderr);
  if (!Text || Lines.empty())
    return false;
  llvm::StringRef Rest = *Text;
  while (!Rest.empty()) {
    size_t Begin = Rest.find_first_of("0123456789");
    if (Begin == llvm::StringRef::npos)
      break;
    Rest = Rest.drop_front(Begin);
    llvm::StringRef Digits = Rest.take_while([](char C) { return C >= '0' && C <= '9'; });
    Rest = Rest.drop_front(Digits.size());
    unsigned N = 0;
    if (Digits.getAsInteger(10, N) || llvm::is_contained(Lines, N))
      return false;
  }
  return true;
}

/// The files as they are, parsed once, when they differ from the unit's
/// unparsed first compile's in integer literals only, each where the
/// object has no code (LiteralEdit.h): the first compile's result is then
/// this parse's too, and is stored under its fingerprint (Adopted). Else
/// nullopt or, when an edit was parsed but does not qualify, that parse.
std::optional<ForeignParse> parseLiteralEdit(Job &J, const OptionPolicy &Policy,
                                             const UnparsedUnit &U, bool &Adopted) {
  Adopted = false;
  if (Policy.Locations != LocationUse::None || Policy.WarningsMayReadLiterals)
    return std::nullopt;
  std::vector<LiteralEdit> Edits = literalEditsSinceFirstCompile(J, U);
  if (Edits.empty())
    return std::nullopt;
  std::optional<CachedResult> R = J.Tiers->result(U.Result);
  if (!R)
    return std::nullopt;
  auto Parse = parseForOtherCompiler(J.Expanded, saltWithPolicy(J.Salt, Policy, J.Cwd), Policy,
                                     {}, Edits);
  if (!Parse) {
    llvm::consumeError(Parse.takeError());
    return std::nullopt;
  }
  const CompileOutcome &Out = Parse->Outcome;
  if (!R->Silent && (Policy.DiagnosticsUnusual || !warningsReplayable(J, *R, Out.LiteralLines)))
    return std::move(*Parse);
  Hash128 Key;
  bool LinesCount = false;
  Adopted = Out.Fingerprint && Out.LiteralsOutsideCode &&
            adoptFirstCompile(J, U, *R, *Parse, /*ViewNow=*/true, Key, LinesCount).empty();
  return std::move(*Parse);
}

/// After the unit's first compile got its fingerprint: when the files it
/// read changed by free comment lines only (CodeLines.h, as the parse as it
/// was found them), its object, without a parse of the files as they are.
std::optional<int> serveFirstCompileComments(Job &J, const UnparsedUnit &U,
                                             const FirstCompile &Then) {
  const CompileOutcome &Out = Then.Parse.Outcome;
  if (Out.CodeLines.empty() || Then.LinesCount)
    return std::nullopt;
  std::map<std::string, Hash128> Code;
  for (size_t I = 0; I != Out.CodeLines.size() && I != Out.InputFiles.size(); ++I)
    if (!Out.CodeLines[I].isZero())
      Code[comparable(Out.InputFiles[I])] = Out.CodeLines[I];
  ManifestEntry E;
  std::vector<FileStamp> Files = U.Files;
  for (FileStamp &F : Files) {
    auto It = Code.find(comparable(F.Path));
    F.Code = It == Code.end() ? Hash128() : It->second;
  }
  E.Files = StampList(std::move(Files));
  E.Fingerprint = Then.ResultKey;
  if (!E.Files.empty() && !E.Files.front().Code.isZero())
    E.CodeKey = codeKey(J.Salt, J.Cmd, E.Files.front().Code);
  E.Depfile = Then.Result.Depfile;
  return serveCommentEdit(
      J, findCommentEditAmong(*J.S, *J.Objects,
                                  {std::make_shared<const ManifestEntry>(std::move(E))}, J.Cwd,
                                  J.Expanded),
      "against the unit's first compile, parsed as it was");
}

} // namespace

llvm::Expected<int> compileOther(Job &J) {
  OptionPolicy Policy = classifyForeignCommand(J.Cmd.HashedArgs);
  if (!Policy.Refusal.empty())
    return notCached(J, Policy.Refusal);
  auto U = J.S->unparsed(J.UnitKey);
  if (!U) {
    J.log("unparsed record not read: " + llvm::toString(U.takeError()));
    U = std::optional<UnparsedUnit>();
  }
  if (!*U && firstCompile(J))
    return compileUnparsed(J, Policy);
  // The unit's first compile ran without a parse: its fingerprint first,
  // so that this compile can hit it and say what changed since.
  // A warning may become an error: only a compile with the same bytes
  // replays a result (see below).
  bool MayReuse = !J.Cmd.WarningsAsErrors;
  std::string Note;
  // The files as they are, when a literal edit parsed them already.
  std::optional<ForeignParse> Now;
  // The first compile's result stands for these files (a literal edit), its
  // warnings included.
  bool Adopted = false;
  if (*U) {
    // A comment edit in files whose lines the first compile's text shows
    // to reach nothing (scanUnparsed): a hit without a parse.
    if (MayReuse)
      if (std::optional<int> Served = serveCommentEdit(J, onlyIncludesChanged(J)))
        return *Served;
    if (MayReuse)
      Now = parseLiteralEdit(J, Policy, **U, Adopted);
    // The depfile a parse writes is Clang's view of the files read
    // (OtherView): the parse of the files as they were must not leave its
    // own in place of this one's.
    std::string NowDepfile = Now ? readDepfile(J) : "";
    std::optional<FirstCompile> Then;
    std::string Why;
    if (!Adopted) {
      Why = fingerprintUnparsed(J, Policy, **U, Then);
      if (Now && J.Cmd.Depfile.Enabled)
        if (llvm::Error E = writeFileAtomically(J.Cmd.Depfile.Path, NowDepfile))
          return std::move(E);
    }
    if (Adopted) {
      Note = " (against the unit's first compile: only integer literals changed since, where "
             "the object has no code)";
    } else if (Why.empty()) {
      Note = " (against the unit's first compile, parsed as it was)";
      if (MayReuse)
        if (std::optional<int> Served = serveFirstCompileComments(J, **U, *Then))
          return *Served;
    } else {
      Note = " (the unit's first compile, not parsed, has no fingerprint: " + Why + ")";
      if (llvm::Error E = J.S->dropUnparsed(J.UnitKey))
        J.log("cannot forget the unparsed compile: " + llvm::toString(std::move(E)));
    }
  } else if (MayReuse) {
    if (std::optional<int> Served = serveCommentEdit(J, onlyIncludesChanged(J)))
      return *Served;
  }
  llvm::Expected<ForeignParse> Parse =
      Now ? std::move(*Now)
          : parseForOtherCompiler(J.Expanded, saltWithPolicy(J.Salt, Policy, J.Cwd), Policy);
  if (!Parse)
    return Parse.takeError();
  CompileOutcome &Out = Parse->Outcome;
  Out.UsesWorkingDir = Policy.Locations != LocationUse::None;
  Out.UnknownOptions = Policy.Unknown;
  for (const std::string &F : Policy.InputFiles)
    Out.InputFiles.push_back(F);
  std::string Unusable = unusable(J, *Parse);
  bool Usable = Unusable.empty();
  // No fingerprint can vouch for the object, but its depfile names every
  // file the compiler read: the compile is kept for its bytes (direct mode),
  // as ccache's depend mode keeps it. Not an asm that reads a file, which
  // no depfile names.
  if (!Usable && Unusable != AsmReadsFile && J.Cmd.Depfile.Enabled &&
      J.Cmd.Depfile.SystemHeaders && !J.C.Remote.Only)
    return compileUnparsed(J, Policy, Unusable + Note);
  // The compiler's depfile names what it read: Clang's files, and its own
  // (stdc-predef.h, its headers) or those a region Clang skips includes. A
  // hit replays the depfile it wrote when Clang's view of the files read
  // (the depfile the parse wrote) is the same as then, and each file only
  // the compiler read has the same bytes (OtherView).
  const OtherView View(readDepfile(J), Out);
  // Why a result of the same fingerprint was not reused, for the log (the
  // declarations are the same then: "no declaration changed" would mislead).
  std::string NotReused;
  if (Usable && MayReuse) {
    // Only a silent result is reused (or, after a literal edit, the first
    // compile's): the compiler's own warnings would otherwise be lost.
    std::optional<OtherView::Seen> Then;
    std::optional<CachedResult> R =
        J.Tiers->result(Out.Fingerprint->Value, [&](const CachedResult &R) {
          if (!R.Silent && !Adopted) {
            NotReused = "the same code compiled before printed warnings, which are replayed "
                        "for the same bytes only";
            return false;
          }
          Then = View.of(R.Depfile);
          if (!Then || Then->Hash != R.DepfileView)
            NotReused = "the same declarations, but a file only the compiler read (or the "
                        "list of files Clang read) differs, or, where such a file spells a line, "
                        "a project file's bytes";
          else
            return true;
          return false;
        });
    // The object's code is the same; the code outside it may print a
    // warning now (a new unused variable in an inline function nothing
    // calls): past other tokens than the result's, the compiler's front
    // end is asked, and what it says is what the compile would print (the
    // result printed nothing, and what comes after the front end reads the
    // code the object holds, and the uses of internal declarations, which
    // the fingerprint covers).
    std::optional<std::string> Warnings;
    if (R && R->Tokens != Out.Tokens) {
      std::optional<std::string> Says;
      if (Out.UnknownOptions.empty())
        Says = frontEndSays(J);
      if (Says && Says->empty()) {
        R->Tokens = Out.Tokens;
        if (llvm::Error E = J.Tiers->putResult(Out.Fingerprint->Value, *R))
          J.log("result not updated: " + llvm::toString(std::move(E)));
        Note += " (the code the object does not hold changed: the compiler, run with "
                "-fsyntax-only, printed nothing)";
      } else if (Says) {
        Warnings = std::move(*Says);
        Note += " (the code the object does not hold changed: the compiler, run with "
                "-fsyntax-only, printed warnings, which this compile prints)";
      } else {
        NotReused = Out.UnknownOptions.empty()
                        ? "the same declarations, but the code the object does not hold "
                          "changed, and the compiler, run with -fsyntax-only, failed"
                        : "the same declarations, but the code the object does not hold "
                          "changed (with options hotast does not know, the compiler is not "
                          "asked what it says)";
        R.reset();
      }
    }
    if (R && !R->Silent)
      Warnings = J.Tiers->blob(R->Stderr);
    if (R && (R->Silent || Warnings) &&
        !llvm::errorToBool(J.Tiers->materialize(R->Object, J.Cmd.Output))) {
      if (Warnings) {
        llvm::errs() << *Warnings;
        Out.Stderr = *Warnings; // a direct hit of the same bytes prints it
      }
      if (J.Cmd.Depfile.Enabled)
        if (llvm::Error E = writeFileAtomically(J.Cmd.Depfile.Path,
                                                retargetDepfile(R->Depfile, J.Cmd)))
          return std::move(E);
      View.addOtherFiles(R->Depfile, Out);
      if (Then->LinesCount)
        Out.CodeLines.clear();
      countHit(J);
      J.log("semantic hit" + remoteNote(J) + Note);
      updateSnapshot(J, Out);
      record(J, Out, R->Object, keepViewed(J, Out.Fingerprint->Value, *R));
      return 0;
    }
  }
  std::string Stderr;
  auto Status = runCompiler(J, Stderr);
  if (!Status || *Status != 0)
    return Status;
  if (!Usable) {
    J.bump(counter::Uncacheable);
    J.log("not cached: " + Unusable + Note);
    return 0;
  }
  std::string Written = readDepfile(J);
  std::optional<OtherView::Seen> Seen = View.of(Written);
  if (!Seen) {
    J.bump(counter::Uncacheable);
    J.log("not cached: a file the compiler read cannot be read now");
    return 0;
  }
  View.addOtherFiles(Written, Out);
  if (Seen->LinesCount)
    Out.CodeLines.clear();
  countMiss(J);
  std::string Why = updateSnapshot(J, Out);
  J.log("miss: " + (NotReused.empty() ? Why : NotReused) + unknownOptionsNote(Out) + Note);
  Out.Stderr = Stderr;
  CachedResult R;
  R.Silent = Stderr.empty();
  R.Tokens = Out.Tokens;
  R.Depfile = Written;
  R.DepfileView = Seen->Hash;
  // A result that printed warnings does not take the place of a silent one
  // of the same fingerprint, which the edit that fixes the warning can hit
  // again; it is kept for the same bytes (the direct-mode entry names it by
  // its viewed key).
  Hash128 Semantic = Out.Fingerprint->Value;
  if (!R.Silent)
    if (std::optional<CachedResult> Old = J.Tiers->result(Semantic); Old && Old->Silent)
      Semantic = Hasher().add("a result that printed warnings").add(Semantic).final();
  std::optional<Hash128> Object = storeObject(J, Semantic, R);
  std::optional<Hash128> Key;
  if (Object) {
    R.Object = *Object;
    Key = keepViewed(J, Out.Fingerprint->Value, R);
  }
  record(J, Out, Object, Key);
  return 0;
}

} // namespace semantic
} // namespace hotast
