//===- OtherFirstCompile.cpp - The unit's first compile, fingerprinted later ===//
//
// A unit's first compile ran without a parse (OtherUnparsed.cpp); its next
// compile parses the files as that compile read them and gives its result
// a fingerprint. After that, an edit of integer literals only, or of free
// comment lines only, is served from that result.
//
//===----------------------------------------------------------------------===//

#include "OtherCompileInternal.h"

#include "CommentEdit.h"
#include "OtherView.h"

#include "hotast/Compile/CodeLines.h"
#include "hotast/Compile/LiteralEdit.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Explain.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>
#include <set>

namespace hotast {
namespace semantic {

/// A path as the comparisons below take it: absolute, without "." parts
/// (".." stays: a symbolic link makes it more than text).
static std::string comparable(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/false);
  return std::string(P);
}

/// Stores the result of the unit's unparsed first compile under Parse's
/// fingerprint, with the snapshot, when Parse stands for that compile: it
/// read no file the compile did not, and the files only the compiler read
/// are as they were (with ViewNow, also as they are now). "" when done, else
/// why not; Key and LinesCount as in FirstCompile.
static std::string adoptFirstCompile(Job &J, const UnparsedUnit &U, CachedResult &R,
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
  J.Last.reset(); // the snapshot this compile's miss is explained against
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
static std::vector<LiteralEdit> literalEditsSinceFirstCompile(Job &J, const UnparsedUnit &U) {
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
static bool warningsReplayable(Job &J, const CachedResult &R, llvm::ArrayRef<unsigned> Lines) {
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

} // namespace semantic
} // namespace hotast
