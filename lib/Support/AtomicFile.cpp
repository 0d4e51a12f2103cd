//===- AtomicFile.cpp - Writing a file readers see whole or not at all ----===//

#include "hotast/Support/AtomicFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

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

llvm::Expected<bool> writeVerifiedAtomically(llvm::StringRef Path, llvm::StringRef Header,
                                             const Hash128 &Key, uint64_t Size,
                                             ChunkReader Read) {
  llvm::SmallString<256> Temp;
  int FD;
  if (llvm::Error E = createTempBeside(Path, FD, Temp))
    return std::move(E);
  ContentHasher H;
  uint64_t Got = 0;
  llvm::Error Failure = llvm::Error::success();
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Header;
    for (;;) {
      auto Piece = Read();
      if (!Piece) {
        Failure = Piece.takeError();
        break;
      }
      if (Piece->empty() || (Got += Piece->size()) > Size)
        break; // the end, or more than it should be
      H.update(*Piece);
      OS << *Piece;
    }
    OS.close();
    if (OS.has_error() && !Failure) {
      Failure = llvm::createFileError(Path, OS.error());
      OS.clear_error();
    }
  }
  bool Verified = !Failure && Got == Size && H.final() == Key;
  if (!Verified) {
    llvm::sys::fs::remove(Temp);
    if (Failure)
      return std::move(Failure);
    return false;
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createFileError(Path, EC);
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
