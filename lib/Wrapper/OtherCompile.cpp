//===- OtherCompile.cpp - A compile with gcc, g++ or another clang --------===//
//
// compileOther: a compile with a compiler other than the linked Clang,
// served by Clang's parse of the same command where that parse stands for
// what the compiler reads; running the compiler and keeping its results
// under the key the compiler's own view gives them. Its compiles without a
// parse are in OtherUnparsed.cpp, and its unit's first compile, given a
// fingerprint later, in OtherFirstCompile.cpp.
//
//===----------------------------------------------------------------------===//

#include "OtherCompileInternal.h"

#include "CommentEdit.h"
#include "OtherView.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

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

} // namespace

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
    J.decided(LogEvent::CompileFailed, "status " + std::to_string(Status));
  }
  return Status;
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
    J.note("result not stored: " + llvm::toString(std::move(E)));
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

llvm::Expected<int> compileOther(Job &J) {
  OptionPolicy Policy = classifyForeignCommand(J.Cmd.HashedArgs);
  if (!Policy.Refusal.empty())
    return notCached(J, Policy.Refusal);
  auto U = J.S->unparsed(J.UnitKey);
  if (!U) {
    J.note("unparsed record not read: " + llvm::toString(U.takeError()));
    U = std::optional<UnparsedUnit>();
  }
  if (!*U && firstCompile(J))
    return compileUnparsed(J, Policy);
  // The unit's first compile ran without a parse: its fingerprint first,
  // so that this compile can hit it and say what changed since.
  // A warning may become an error: only a compile with the same bytes
  // replays a result (see below).
  bool MayReuse = !J.Cmd.WarningsAsErrors;
  // What qualifies the decision, for the log.
  std::vector<std::string> Notes;
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
      Notes.push_back("against the unit's first compile: only integer literals changed since, "
                      "where the object has no code");
    } else if (Why.empty()) {
      Notes.push_back("against the unit's first compile, parsed as it was");
      if (MayReuse)
        if (std::optional<int> Served = serveFirstCompileComments(J, **U, *Then))
          return *Served;
    } else {
      Notes.push_back("the unit's first compile, not parsed, has no fingerprint: " + Why);
      if (llvm::Error E = J.S->dropUnparsed(J.UnitKey))
        J.note("cannot forget the unparsed compile: " + llvm::toString(std::move(E)));
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
    return compileUnparsed(J, Policy, Unusable, std::move(Notes));
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
          J.note("result not updated: " + llvm::toString(std::move(E)));
        Notes.push_back("the code the object does not hold changed: the compiler, run with "
                        "-fsyntax-only, printed nothing");
      } else if (Says) {
        Warnings = std::move(*Says);
        Notes.push_back("the code the object does not hold changed: the compiler, run with "
                        "-fsyntax-only, printed warnings, which this compile prints");
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
      finishHit(J, Out, R->Object, keepViewed(J, Out.Fingerprint->Value, *R), "",
                std::move(Notes));
      return 0;
    }
  }
  std::string Stderr;
  auto Status = runCompiler(J, Stderr);
  if (!Status || *Status != 0)
    return Status;
  if (!Usable) {
    J.bump(counter::Uncacheable);
    J.decided(LogEvent::NotCached, Unusable, std::move(Notes));
    return 0;
  }
  std::string Written = readDepfile(J);
  std::optional<OtherView::Seen> Seen = View.of(Written);
  if (!Seen) {
    J.bump(counter::Uncacheable);
    J.decided(LogEvent::NotCached, "a file the compiler read cannot be read now");
    return 0;
  }
  View.addOtherFiles(Written, Out);
  if (Seen->LinesCount)
    Out.CodeLines.clear();
  announceMiss(J, Out, NotReused, std::move(Notes));
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
