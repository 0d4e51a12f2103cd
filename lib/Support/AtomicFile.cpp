//===- AtomicFile.cpp - Writing a file readers see whole or not at all ----===//

#include "hotast/Support/AtomicFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <vector>

namespace hotast {

/// A unique temporary beside Path, open for writing in FD.
static llvm::Error createTempBeside(llvm::StringRef Path, int &FD,
                                    llvm::SmallVectorImpl<char> &Temp) {
  llvm::SmallString<256> Model(Path);
  Model += ".tmp.%%%%%%%%";
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, FD, Temp))
    return llvm::createFileError(Path, EC);
  return llvm::Error::success();
}

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::ArrayRef<llvm::StringRef> Parts) {
  llvm::SmallString<256> Temp;
  int FD;
  if (llvm::Error E = createTempBeside(Path, FD, Temp))
    return E;
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    for (llvm::StringRef Part : Parts)
      OS << Part;
    OS.close();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return llvm::createFileError(Path, EC);
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createFileError(Path, EC);
  }
  return llvm::Error::success();
}

llvm::Expected<std::optional<VerifiedFiles>>
VerifiedFiles::write(llvm::ArrayRef<VerifiedFile> Files, const Hash128 &Key, uint64_t Size,
                     ChunkReader Read) {
  VerifiedFiles Out; // removes the temporaries unless they are kept
  std::vector<std::unique_ptr<llvm::raw_fd_ostream>> Streams;
  for (const VerifiedFile &F : Files) {
    llvm::SmallString<256> Temp;
    int FD;
    if (llvm::Error E = createTempBeside(F.Path, FD, Temp))
      return std::move(E);
    Out.Files.emplace_back(std::string(Temp), F.Path.str());
    Streams.push_back(std::make_unique<llvm::raw_fd_ostream>(FD, /*shouldClose=*/true));
    *Streams.back() << F.Header;
    *Streams.back() << F.Body;
  }
  ContentHasher H;
  uint64_t Got = 0;
  llvm::Error Failure = llvm::Error::success();
  for (;;) {
    auto Piece = Read();
    if (!Piece) {
      Failure = Piece.takeError();
      break;
    }
    if (Piece->empty() || (Got += Piece->size()) > Size)
      break; // the end, or more than it should be
    H.update(*Piece);
    for (size_t I = 0; I != Streams.size(); ++I)
      if (Files[I].Body.empty())
        *Streams[I] << *Piece;
  }
  for (size_t I = 0; I != Streams.size(); ++I) {
    Streams[I]->close();
    if (Streams[I]->has_error() && !Failure)
      Failure = llvm::createFileError(Files[I].Path, Streams[I]->error());
    Streams[I]->clear_error();
  }
  if (Failure)
    return std::move(Failure);
  if (Got != Size || H.final() != Key)
    return std::nullopt;
  return std::optional<VerifiedFiles>(std::move(Out));
}

llvm::Error VerifiedFiles::place() {
  for (auto &[Temp, Path] : Files) {
    if (Temp.empty())
      continue;
    if (std::error_code EC = llvm::sys::fs::rename(Temp, Path))
      return llvm::createFileError(Path, EC);
    Temp.clear();
  }
  return llvm::Error::success();
}

void VerifiedFiles::removeTemporaries() {
  for (auto &[Temp, Path] : Files)
    if (!Temp.empty())
      llvm::sys::fs::remove(Temp);
  Files.clear();
}

llvm::Expected<bool> writeVerifiedAtomically(llvm::ArrayRef<VerifiedFile> Files,
                                             const Hash128 &Key, uint64_t Size,
                                             ChunkReader Read) {
  auto Written = VerifiedFiles::write(Files, Key, Size, Read);
  if (!Written)
    return Written.takeError();
  if (!*Written)
    return false;
  if (llvm::Error E = (*Written)->place())
    return std::move(E);
  return true;
}

llvm::Expected<bool> contentHashes(const Hash128 &Key, uint64_t Size, ChunkReader Read) {
  ContentHasher H;
  uint64_t Got = 0;
  for (;;) {
    auto Piece = Read();
    if (!Piece)
      return Piece.takeError();
    if (Piece->empty())
      break;
    if ((Got += Piece->size()) > Size)
      return false;
    H.update(*Piece);
  }
  return Got == Size && H.final() == Key;
}

} // namespace hotast
