//===- AtomicFile.h - Writing a file readers see whole or not at all -*- C++ -*-===//
//
// Every file hotast writes for others to read (objects, blobs, depfiles,
// preambles' records, the remote cache's rest mark) goes through a unique
// temporary beside it and a rename: a reader, or a compile running beside
// this one, sees the old file or the complete new one, never a part.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_ATOMICFILE_H
#define HOTAST_SUPPORT_ATOMICFILE_H

#include "hotast/Support/Hash128.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hotast {

/// Writes the concatenation of Parts to Path atomically; the temporary is
/// removed on failure.
llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::ArrayRef<llvm::StringRef> Parts);

inline llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Text) {
  return writeFileAtomically(Path, llvm::ArrayRef<llvm::StringRef>(Text));
}

/// The pieces of a content, in order, each valid until the next call; an
/// empty piece ends it, an error stops the write.
using ChunkReader = llvm::function_ref<llvm::Expected<llvm::StringRef>()>;

/// A file writeVerifiedAtomically writes: where, and what comes before
/// the content.
struct VerifiedFile {
  llvm::StringRef Path;
  llvm::StringRef Header = "";
  /// What the file holds after its header in place of the content (the
  /// content's zstd frames, for a blob kept compressed), when not empty:
  /// the content is still read and verified, and written to the other files.
  llvm::StringRef Body = "";
};

/// Files written whole beside their places and verified, not in place
/// yet: place() renames them there; those not placed are removed. A remote
/// hit's object is written while the files its entry names are checked,
/// and placed only when they match.
class VerifiedFiles {
public:
  /// Writes each file's header and then the pieces Read yields beside it,
  /// when they are Size bytes whose XXH3-128 (hashBytes) is Key. None when
  /// they are not (nothing is left behind); an error when reading or
  /// writing failed.
  static llvm::Expected<std::optional<VerifiedFiles>>
  write(llvm::ArrayRef<VerifiedFile> Files, const Hash128 &Key, uint64_t Size, ChunkReader Read);
  /// Renames every file into place (the first failure stops it).
  llvm::Error place();

  VerifiedFiles(VerifiedFiles &&Other) : Files(std::exchange(Other.Files, {})) {}
  VerifiedFiles &operator=(VerifiedFiles &&Other) {
    if (this != &Other) {
      removeTemporaries();
      Files = std::exchange(Other.Files, {});
    }
    return *this;
  }
  ~VerifiedFiles() { removeTemporaries(); }

private:
  VerifiedFiles() = default;
  void removeTemporaries();
  /// Each file's temporary and place; a placed one's temporary is empty.
  std::vector<std::pair<std::string, std::string>> Files;
};

/// Writes each file's header and then the pieces Read yields to each file
/// atomically, when they are Size bytes whose XXH3-128 (hashBytes) is Key:
/// true. False when they are not (the files are left as they were); an
/// error when reading or writing failed. For contents streamed through a
/// small buffer, verified as they are written (a blob from the remote
/// cache, or from the local one); several files from one pass (a remote
/// hit's object: the local cache's blob and the output).
llvm::Expected<bool> writeVerifiedAtomically(llvm::ArrayRef<VerifiedFile> Files,
                                             const Hash128 &Key, uint64_t Size,
                                             ChunkReader Read);
inline llvm::Expected<bool> writeVerifiedAtomically(llvm::StringRef Path,
                                                    llvm::StringRef Header,
                                                    const Hash128 &Key, uint64_t Size,
                                                    ChunkReader Read) {
  return writeVerifiedAtomically(VerifiedFile{Path, Header}, Key, Size, Read);
}

/// Whether the pieces Read yields are Size bytes that hash to Key, read to
/// their end and written nowhere; an error when reading failed.
llvm::Expected<bool> contentHashes(const Hash128 &Key, uint64_t Size, ChunkReader Read);

} // namespace hotast

#endif
