//===- DebugFiles.cpp - Results keyed by the files debug info names -------===//

#include "DebugFiles.h"

#include "CompileJob.h"

#include "llvm/ADT/StringExtras.h"

namespace hotast {
namespace semantic {
namespace {

/// Where the names of the files whose MD5 the last object for these
/// declarations held are kept (as a result whose object is the list).
Hash128 namesKey(const Hash128 &WithoutFileBytes) {
  return Hasher().add("debug info's files").add(WithoutFileBytes).final();
}

} // namespace

std::optional<Hash128> contentRead(const TUFingerprint &FP, llvm::StringRef Name) {
  auto It = llvm::lower_bound(FP.FileContents, Name,
                              [](const auto &E, llvm::StringRef N) { return E.first < N; });
  if (It == FP.FileContents.end() || It->first != Name)
    return std::nullopt;
  return It->second;
}

std::optional<Hash128> debugFilesKey(const TUFingerprint &FP, llvm::ArrayRef<std::string> Names) {
  if (!FP.WithoutFileBytes)
    return std::nullopt;
  Hasher H;
  H.add("files the debug info names").add(*FP.WithoutFileBytes).add(uint64_t(Names.size()));
  for (const std::string &Name : Names) {
    std::optional<Hash128> Content = contentRead(FP, Name);
    if (!Content)
      return std::nullopt;
    H.add(Name).add(*Content);
  }
  return H.final();
}

std::optional<std::vector<std::string>>
lastDebugFiles(const TUFingerprint &FP,
               llvm::function_ref<std::optional<CachedResult>(const Hash128 &)> Result,
               llvm::function_ref<std::optional<std::string>(const Hash128 &)> Blob) {
  if (!FP.WithoutFileBytes)
    return std::nullopt;
  std::optional<CachedResult> Names = Result(namesKey(*FP.WithoutFileBytes));
  if (!Names)
    return std::nullopt;
  std::optional<std::string> Text = Blob(Names->Object);
  if (!Text)
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 8> Lines;
  llvm::StringRef(*Text).split(Lines, '\n', -1, /*KeepEmpty=*/false);
  std::vector<std::string> List(Lines.begin(), Lines.end());
  if (!llvm::is_sorted(List))
    return std::nullopt; // not a list keepDebugFiles wrote
  return List;
}

std::string debugFilesReason(llvm::ArrayRef<std::string> Names,
                             const std::vector<FileStamp> &Before,
                             llvm::function_ref<std::optional<Hash128>(llvm::StringRef)> Now) {
  std::vector<std::string> Changed;
  for (const FileStamp &F : Before)
    if (llvm::is_contained(Names, F.Path))
      if (std::optional<Hash128> Content = Now(F.Path); Content && *Content != F.Content)
        Changed.push_back(F.Path);
  if (Changed.empty())
    return "";
  return "no declaration changed; the bytes of " + llvm::join(Changed, " ") +
         " did, whose MD5 the debug info holds";
}

std::optional<Hash128> findDebugFilesKey(Job &J, const TUFingerprint &FP) {
  auto Names = lastDebugFiles(
      FP, [&](const Hash128 &K) { return J.Tiers->result(K); },
      [&](const Hash128 &K) { return J.Tiers->blob(K); });
  if (!Names)
    return std::nullopt;
  return debugFilesKey(FP, *Names);
}

void keepDebugFiles(Job &J, const CompileOutcome &Out, const CachedResult &R) {
  if (!Out.Fingerprint || !Out.ChecksummedFiles)
    return;
  const std::vector<std::string> &Names = *Out.ChecksummedFiles;
  if (llvm::any_of(Names, [](const std::string &N) { return N.find('\n') != std::string::npos; }))
    return;
  std::optional<Hash128> Key = debugFilesKey(*Out.Fingerprint, Names);
  if (!Key)
    return;
  auto List = J.Tiers->put(llvm::join(Names, "\n"));
  if (!List) {
    J.note("no result by the debug info's files: " + llvm::toString(List.takeError()));
    return;
  }
  CachedResult NamesResult;
  NamesResult.Object = *List;
  if (llvm::Error E = J.Tiers->putResult(*Key, R))
    J.note("no result by the debug info's files: " + llvm::toString(std::move(E)));
  else if (llvm::Error E = J.Tiers->putResult(namesKey(*Out.Fingerprint->WithoutFileBytes),
                                              NamesResult))
    J.note("no result by the debug info's files: " + llvm::toString(std::move(E)));
}

} // namespace semantic
} // namespace hotast
