//===- CommentEdit.cpp - Files that changed by comment lines only ---------===//

#include "CommentEdit.h"

#include "hotast/Compile/CodeLines.h"
#include "hotast/Compile/InProcess.h"

#include "llvm/ADT/StringMap.h"

namespace hotast {

namespace {

/// codeLines of files as they are now, with the language options of one
/// command (asked of the driver only when a file with code lines changed),
/// each file read once.
class CodeNow {
public:
  explicit CodeNow(llvm::ArrayRef<std::string> Argv) : Argv(Argv) {}
  std::optional<Hash128> operator()(llvm::StringRef Path, unsigned FixedLines = 0) {
    if (!Reader) {
      // The linked Clang's comment lines, or another compiler's (GCC's
      // warnings read more: CodeLines.h).
      CommentRule Rule = !Argv.empty() && isLinkedClang(Argv[0]) ? CommentRule::Clang
                                                                  : CommentRule::OtherCompiler;
      auto R = CodeLinesReader::forCommand(Argv, Rule);
      if (R) {
        Reader.emplace(std::move(*R));
      } else {
        llvm::consumeError(R.takeError());
        Reader.emplace(std::nullopt);
      }
    }
    if (!*Reader)
      return std::nullopt;
    auto [It, New] = Now.try_emplace((Path + "\n" + llvm::Twine(FixedLines)).str());
    if (New)
      It->second = (**Reader).ofFile(Path, FixedLines);
    return It->second;
  }

private:
  llvm::ArrayRef<std::string> Argv;
  std::optional<std::optional<CodeLinesReader>> Reader;
  llvm::StringMap<std::optional<Hash128>> Now;
};

/// The edit Found describes, when its compile printed nothing (a message
/// holds line numbers).
std::optional<CommentEdit> asCommentEdit(std::optional<DirectMatch> Found,
                                         llvm::function_ref<bool(const FileStamp &)> Matches) {
  if (!Found)
    return std::nullopt;
  const ManifestEntry &E = Found->Entry;
  const CachedResult &R = Found->Result;
  if (!E.Stderr.isZero() || !R.Silent || R.BackendDiagnostics)
    return std::nullopt;
  CommentEdit Out{std::move(*Found), {}};
  for (const FileStamp &F : Out.Match.Entry.Files)
    if (!Matches(F))
      Out.Edited.push_back(F.Path);
  return Out;
}

} // namespace

llvm::Expected<std::optional<CommentEdit>>
findCommentEdit(Store &S, ObjectCache &Objects, const Hash128 &DirectKey, const Hash128 &Salt,
                const CompileCommand &Cmd, llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv,
                llvm::function_ref<bool(const FileStamp &)> Matches, bool ByDirectKey) {
  CodeNow Code(Argv);
  auto AsItWas = [&](const FileStamp &F) {
    return Matches(F) || (!F.Code.isZero() && Code(F.Path, F.CodeFixedLines) == F.Code);
  };
  llvm::Expected<std::optional<DirectMatch>> Found = std::nullopt;
  if (ByDirectKey)
    Found = findDirect(S, Objects, DirectKey, Cwd, AsItWas);
  if (!Found)
    return Found.takeError();
  if (!*Found) {
    std::optional<Hash128> Source = Code(Cmd.Source);
    if (!Source)
      return std::nullopt;
    auto Entries = S.manifestsByCode(codeKey(Salt, Cmd, *Source));
    if (!Entries)
      return Entries.takeError();
    Found = findAmong(S, Objects, std::move(*Entries), Cwd, AsItWas);
    if (!Found)
      return Found.takeError();
  }
  return asCommentEdit(std::move(*Found), Matches);
}

llvm::Expected<std::optional<CommentEdit>>
findCommentEditAmong(Store &S, ObjectCache &Objects, std::vector<ManifestEntry> Entries,
                     llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv) {
  CodeNow Code(Argv);
  auto AsItWas = [&](const FileStamp &F) {
    return stampMatches(F) || (!F.Code.isZero() && Code(F.Path, F.CodeFixedLines) == F.Code);
  };
  auto Found = findAmong(S, Objects, std::move(Entries), Cwd, AsItWas);
  if (!Found)
    return Found.takeError();
  return asCommentEdit(std::move(*Found), stampMatches);
}

} // namespace hotast
