//===- StoreImpl.h - The store's shared state -------------------*- C++ -*-===//
//
// Shared by the store's files (lib/Store/*.cpp, a file per table or
// concept): the open database and what it keeps between calls
// (Store::Impl), and the writing of file stamps, which both adding a
// manifest entry and Store::keepFileStamps do. Not an interface of the
// library: Store.h is.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_STORE_STOREIMPL_H
#define HOTAST_LIB_STORE_STOREIMPL_H

#include "hotast/Store/Store.h"

#include "Sqlite.h"
#include "StampBlob.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <chrono>
#include <map>
#include <memory>
#include <vector>

namespace hotast {

/// Now, in Unix seconds.
int64_t unixNow();

struct Store::Impl {
  sqlite3 *DB = nullptr;
  std::string Path;
  /// The direct-mode and code-key lookups, prepared once: `hotast plan` asks
  /// them for every unit of a build, and preparing a statement cost more
  /// than running it.
  std::unique_ptr<Statement> Manifests, ManifestsByCode;
  /// The stamps of the entries prefetchManifests read: entries share those
  /// they have in common.
  StampPool Stamps;
  /// prefetchManifests: every asked key's entries (none for some).
  std::map<Hash128, ManifestList> Prefetched;
  /// The same, by code key: the code keys of those entries that no other
  /// entry holds (manifestsByCode asks the database for the rest).
  std::map<Hash128, ManifestList> PrefetchedByCode;

  explicit Impl(std::string Path) : Path(std::move(Path)) {}
  ~Impl() {
    Manifests.reset();
    ManifestsByCode.reset();
    sqlite3_close_v2(DB);
  }

  /// Opens the database, creating the schema or checking it as needed. A
  /// SqliteError that isDamage() means the file must be set aside.
  llvm::Error openAndCheck();
  llvm::Error useWal();
  llvm::Error createSchema();
  void markChecked() {
    int FD;
    if (llvm::sys::fs::openFileForWrite(markerPath(Path), FD, llvm::sys::fs::CD_CreateAlways))
      return; // Then the next open checks again; no harm done.
    (void)llvm::sys::fs::setLastAccessAndModificationTime(FD, std::chrono::system_clock::now());
    llvm::sys::Process::SafelyCloseFileDescriptor(FD);
  }
};

/// A stamp file_stamps can hold: by absolute path, with a trusted time (a
/// directory stamp's: that of a directory where none of its names was).
inline bool keepsAsFileStamp(const FileStamp &F) {
  return F.MTimeNs != 0 && !savedWhileRead(F) && llvm::sys::path::is_absolute(F.Path);
}

/// Writes Stamps that keepsAsFileStamp, within the caller's transaction,
/// but those Kept says the table holds already; an unchanged row is not
/// rewritten.
template <typename StampRange>
llvm::Error writeFileStamps(sqlite3 *DB, const StampRange &Stamps,
                            llvm::function_ref<bool(const FileStamp &)> Kept = nullptr) {
  Statement S(DB, "INSERT INTO file_stamps VALUES(?1, ?2, ?3, ?4) ON CONFLICT(path) DO UPDATE"
                  " SET size = excluded.size, mtime_ns = excluded.mtime_ns,"
                  " content = excluded.content WHERE size != excluded.size"
                  " OR mtime_ns != excluded.mtime_ns OR content != excluded.content");
  // In the table's order: a store that knows none of them (a remote hit in
  // a new cache, 400 headers) then appends to its pages.
  std::vector<const FileStamp *> Written;
  for (const FileStamp &F : Stamps)
    if (keepsAsFileStamp(F) && !(Kept && Kept(F)))
      Written.push_back(&F);
  llvm::sort(Written, [](const FileStamp *A, const FileStamp *B) { return A->Path < B->Path; });
  for (const FileStamp *P : Written) {
    const FileStamp &F = *P;
    S.bind(1, F.Path).bind(2, int64_t(F.Size)).bind(3, F.MTimeNs).bind(4, F.Content).step();
    if (llvm::Error E = S.check("keeping a file stamp"))
      return E;
    S.reset();
  }
  return llvm::Error::success();
}

} // namespace hotast

#endif
