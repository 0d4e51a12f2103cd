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

llvm::Expected<bool> writeVerifiedAtomically(llvm::ArrayRef<VerifiedFile> Files,
                                             const Hash128 &Key, uint64_t Size,
                                             ChunkReader Read) {
  struct Temporary {
    llvm::SmallString<256> Path;
    std::unique_ptr<llvm::raw_fd_ostream> OS;
  };
  std::vector<Temporary> Temps(Files.size());
  auto RemoveTemps = [&] {
    for (Temporary &T : Temps)
      if (!T.Path.empty())
        llvm::sys::fs::remove(T.Path);
  };
  for (size_t I = 0; I != Files.size(); ++I) {
    int FD;
    if (llvm::Error E = createTempBeside(Files[I].Path, FD, Temps[I].Path)) {
      RemoveTemps();
      return std::move(E);
    }
    Temps[I].OS = std::make_unique<llvm::raw_fd_ostream>(FD, /*shouldClose=*/true);
    *Temps[I].OS << Files[I].Header;
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
    for (Temporary &T : Temps)
      *T.OS << *Piece;
  }
  for (size_t I = 0; I != Files.size(); ++I) {
    Temps[I].OS->close();
    if (Temps[I].OS->has_error() && !Failure)
      Failure = llvm::createFileError(Files[I].Path, Temps[I].OS->error());
    Temps[I].OS->clear_error();
  }
  bool Verified = !Failure && Got == Size && H.final() == Key;
  if (!Verified) {
    RemoveTemps();
    if (Failure)
      return std::move(Failure);
    return false;
  }
  for (size_t I = 0; I != Files.size(); ++I) {
    if (std::error_code EC = llvm::sys::fs::rename(Temps[I].Path, Files[I].Path)) {
      RemoveTemps(); // those renamed already are gone from their temporary paths
      return llvm::createFileError(Files[I].Path, EC);
    }
    Temps[I].Path.clear();
  }
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
