//===- CommentEdit.cpp - Files that changed by comment lines only ---------===//

#include "CommentEdit.h"

#include "hotast/Compile/CodeLines.h"

#include "llvm/ADT/StringMap.h"

namespace hotast {

llvm::Expected<std::optional<CommentEdit>>
findCommentEdit(Store &S, ObjectCache &Objects, const Hash128 &DirectKey, const Hash128 &Salt,
                const CompileCommand &Cmd, llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv,
                llvm::function_ref<bool(const FileStamp &)> Matches, bool ByDirectKey) {
  // The language options come from the driver: asked only when a file
  // with code lines changed, or to find the source's code key.
  std::optional<std::optional<CodeLinesReader>> Reader;
  llvm::StringMap<std::optional<Hash128>> Now; // each file read once
  auto CodeNow = [&](llvm::StringRef Path) -> std::optional<Hash128> {
    if (!Reader) {
      auto R = CodeLinesReader::forCommand(Argv);
      if (R) {
        Reader.emplace(std::move(*R));
      } else {
        llvm::consumeError(R.takeError());
        Reader.emplace(std::nullopt);
      }
    }
    if (!*Reader)
      return std::nullopt;
    auto [It, New] = Now.try_emplace(Path);
    if (New)
      It->second = (**Reader).ofFile(Path);
    return It->second;
  };
  auto AsItWas = [&](const FileStamp &F) {
    return Matches(F) || (!F.Code.isZero() && CodeNow(F.Path) == F.Code);
  };
  llvm::Expected<std::optional<DirectMatch>> Found = std::nullopt;
  if (ByDirectKey)
    Found = findDirect(S, Objects, DirectKey, Cwd, AsItWas);
  if (!Found)
    return Found.takeError();
  if (!*Found) {
    std::optional<Hash128> Source = CodeNow(Cmd.Source);
    if (!Source)
      return std::nullopt;
    auto Entries = S.manifestsByCode(codeKey(Salt, Cmd, *Source));
    if (!Entries)
      return Entries.takeError();
    Found = findAmong(S, Objects, std::move(*Entries), Cwd, AsItWas);
    if (!Found)
      return Found.takeError();
    if (!*Found)
      return std::nullopt;
  }
  const ManifestEntry &E = (*Found)->Entry;
  const CachedResult &R = (*Found)->Result;
  if (!E.Stderr.isZero() || !R.Silent || R.BackendDiagnostics)
    return std::nullopt;
  CommentEdit Out{std::move(**Found), {}};
  for (const FileStamp &F : Out.Match.Entry.Files)
    if (!Matches(F))
      Out.Edited.push_back(F.Path);
  return Out;
}

} // namespace hotast
