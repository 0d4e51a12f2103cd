//===- CommentEdit.cpp - Files that changed by comment lines only ---------===//

#include "CommentEdit.h"

#include "hotast/Compile/CodeLines.h"

#include "llvm/ADT/StringMap.h"

namespace hotast {

llvm::Expected<std::optional<CommentEdit>> findCommentEdit(Store &S, ObjectCache &Objects,
                                                           const Hash128 &Key,
                                                           llvm::StringRef Cwd,
                                                           llvm::ArrayRef<std::string> Argv,
                       llvm::function_ref<bool(const FileStamp &)> Matches) {
  // The language options come from the driver: asked only when a file
  // with code lines changed.
  std::optional<std::optional<CodeLinesReader>> Reader;
  llvm::StringMap<std::optional<Hash128>> Now; // each file read once
  auto CodeNow = [&](const FileStamp &F) -> std::optional<Hash128> {
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
    auto [It, New] = Now.try_emplace(F.Path);
    if (New)
      It->second = (**Reader).ofFile(F.Path);
    return It->second;
  };
  auto Found = findDirect(S, Objects, Key, Cwd, [&](const FileStamp &F) {
    return Matches(F) || (!F.Code.isZero() && CodeNow(F) == F.Code);
  });
  if (!Found)
    return Found.takeError();
  if (!*Found)
    return std::nullopt;
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
