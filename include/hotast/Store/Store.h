//===- Store.h - The SQLite snapshot store ----------------------*- C++ -*-===//
//
// One SQLite database per cache directory (DIR/hotast.db) holds everything
// but the blobs: direct-mode manifests, semantic results by fingerprint, the
// declaration snapshot of each translation unit's last compile (to say why a
// compile missed), and the statistics counters. The schema and its version
// are documented in Store.cpp. An unknown or corrupt database is set aside
// and rebuilt, never trusted. WAL mode with a busy timeout and short
// transactions: many compiles share one database. lib/Store/Sqlite.h is the
// only file that includes sqlite3.h; the store knows nothing of Clang.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_STORE_STORE_H
#define HOTAST_STORE_STORE_H

#include "hotast/Support/FileStamp.h"
#include "hotast/Support/Hash128.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hotast {


/// What a compile produced, enough to replay it.
struct CachedResult {
  Hash128 Object;
  /// The compile's stderr (a blob key; zero when empty).
  Hash128 Stderr;
  /// True when the compile printed nothing at all (a semantic hit with a
  /// compiler other than the linked Clang is only taken then).
  bool Silent = true;
  /// True when code generation itself printed diagnostics; such a result is
  /// only reused for byte-identical inputs (direct mode).
  bool BackendDiagnostics = false;
  /// With a compiler other than the linked Clang: the depfile it wrote
  /// (empty when none was asked for), and the hash of the depfile Clang's
  /// parse wrote for the same compile, targets left out (depfileBody). A
  /// semantic hit replays Depfile only when Clang's view is the same.
  std::string Depfile;
  Hash128 DepfileView;
  /// With a compiler other than the linked Clang: the tokens
  /// (CompileOutcome::Tokens) of the code the result was compiled from, or,
  /// for a silent result, checked with -fsyntax-only without a word; zero
  /// when unknown. A semantic hit for other tokens asks the compiler what
  /// it says first.
  Hash128 Tokens;
};

/// A direct-mode manifest entry: when every file still matches, the result
/// with this fingerprint applies.
struct ManifestEntry {
  StampList Files;
  Hash128 Fingerprint;
  /// What this compile printed (a blob key; zero when nothing): replayed
  /// verbatim, since the sources are byte-identical.
  Hash128 Stderr;
  /// The depfile the compile wrote (empty when none was asked for); its
  /// targets are rewritten for the output at hand.
  std::string Depfile;
  /// The working directory when it reaches the object (source locations
  /// do: DW_AT_comp_dir, the coverage mapping); the entry then applies only
  /// there. Empty: anywhere.
  std::string WorkingDir;
  /// The direct key with the source's code lines in place of its bytes
  /// (codeKey; zero when the source's lines reach the object): a compile
  /// whose source changed by comment lines only finds the entry by it.
  Hash128 CodeKey;
  /// The names the compile read, with every name its project files may
  /// define (a blob key of a NameFilter's bytes; zero when none): a lookup
  /// frees a new `#define` of another (lib/Compile/NewDefines.h).
  Hash128 Names;

  /// Whether CodeKey is made from the source's code lines with no line
  /// fixed, as a compile of the same source bytes makes its own: that
  /// compile's code key, known without lexing the source again.
  bool hasSourceCodeKey() const {
    return !CodeKey.isZero() && !Files.empty() && Files.front().CodeFixedLines == 0;
  }
};

/// Direct-mode entries, newest first, each shared by every list that holds
/// it (`hotast plan` looks at a whole build's entries, by direct key and
/// by code key, without copying one).
using ManifestList = std::vector<std::shared_ptr<const ManifestEntry>>;

/// What one linked executable or library was made from (hotast as the
/// linker launcher), keyed by its GNU build id (lowercase hex).
struct LinkRecord {
  std::string BuildId;
  std::string Output;
  std::string WorkingDir;
  int64_t LinkedAt = 0;
  std::vector<FileStamp> Inputs;
};

/// What hot reload needs of an object built with the reload profile: how it
/// was compiled, from which files, and its declaration records.
struct ReloadUnit {
  /// The object's content hash (its blob key).
  Hash128 Object;
  std::string WorkingDir;
  std::vector<std::string> Argv;
  /// The files the compile read, the main file first, as they were then.
  std::vector<FileStamp> Files;
  /// DeclRecordIO text.
  std::string Decls;
};

/// One declaration of a snapshot (what the fingerprint covered).
struct SnapshotDecl {
  std::string Key;
  std::string Kind;
  std::string Name;
  std::string File;
  unsigned Line = 0;
  Hash128 Hash;
  /// Where the declaration's text ends in File (DeclRecord::EndLine).
  unsigned EndLine = 0;
};

/// A unit whose last snapshot has a declaration of this key, and the
/// declaration's hash there.
struct DeclUse {
  Hash128 TUKey;
  std::string Key;
  Hash128 Hash;
};

/// A translation unit's last compile: its fingerprint, the declarations
/// behind it, and the files it read as they were then.
struct UnitSnapshot {
  Hash128 Fingerprint;
  std::vector<SnapshotDecl> Decls;
  std::vector<FileStamp> Files;
};

/// A translation unit whose last compile ran another compiler without a
/// parse: its first compile through hotast (docs/wrapper.md, "The first
/// compile of a unit"). The fingerprint is computed, from the kept
/// contents of the files, when the unit next misses direct mode.
struct UnparsedUnit {
  /// The key of the result that compile stored (its object, the depfile
  /// and stderr); only its direct-mode entry names it.
  Hash128 Result;
  /// The files the compile read (its depfile's), as they were then.
  std::vector<FileStamp> Files;
};

class Store {
public:
  /// Opens DIR/hotast.db, creating or rebuilding it as needed.
  static llvm::Expected<std::unique_ptr<Store>> open(llvm::StringRef Dir);
  ~Store();

  // Direct mode.
  llvm::Expected<ManifestList> manifests(const Hash128 &DirectKey);
  /// Whether a stamp of an entry under DirectKey may still match: false
  /// only when no compile that looks at the entry (by its direct key or its
  /// code key) would take it. Each stamp is given as the store holds it: the
  /// same address for the same stamp, while the store is open.
  using StampFilter = llvm::function_ref<bool(const Hash128 &DirectKey, const FileStamp &)>;
  /// Reads the manifests of all Keys in one query; manifests() then answers
  /// for them from memory, and manifestsByCode() for the code keys of their
  /// entries that no other entry holds (the index counts them). `hotast
  /// plan` asks for every unit of a build, most of whose sources are as
  /// their entries' were.
  /// With MayMatch, the answers leave out each entry with a stamp MayMatch
  /// refuses, which is not decoded further: a key keeps an entry for each
  /// earlier state of the headers its source read, and those are read for
  /// the few that can still match. A key's newest entry that
  /// hasSourceCodeKey() is kept whatever MayMatch says: it names the code
  /// key of the source. An entry whose files after its source are those of
  /// an entry refused at one of them (others_key) is refused by asking
  /// about that stamp alone, without reading its row: after an edit, the
  /// older entries of units that read the same headers cost an index cell.
  llvm::Error prefetchManifests(const std::vector<Hash128> &Keys,
                                StampFilter MayMatch = nullptr);
  /// Adds Entry under DirectKey, the newest, and keeps its files' stamps
  /// (fileStamps) but those Kept says are kept already (each upsert costs:
  /// a remote direct hit keeps an entry whose stamps it mostly read here).
  llvm::Error addManifest(const Hash128 &DirectKey, const ManifestEntry &Entry,
                          llvm::function_ref<bool(const FileStamp &)> Kept = nullptr);
  /// The newest entries whose ManifestEntry::CodeKey is CodeKey (not zero).
  llvm::Expected<ManifestList> manifestsByCode(const Hash128 &CodeKey);

  // Semantic mode.
  llvm::Expected<std::optional<CachedResult>> result(const Hash128 &Fingerprint);
  llvm::Error putResult(const Hash128 &Fingerprint, const CachedResult &Result);

  // Snapshots: the declarations behind a translation unit's last fingerprint,
  // keyed by the TU (compiler, source path, output path).
  llvm::Error putSnapshot(const Hash128 &TUKey, const UnitSnapshot &Snapshot);
  llvm::Expected<std::optional<UnitSnapshot>> snapshot(const Hash128 &TUKey);
  /// Whether the unit has a snapshot (without reading it).
  llvm::Expected<bool> hasSnapshot(const Hash128 &TUKey);
  // Units compiled without a parse (putSnapshot replaces the record).
  llvm::Error putUnparsed(const Hash128 &TUKey, const UnparsedUnit &U);
  llvm::Expected<std::optional<UnparsedUnit>> unparsed(const Hash128 &TUKey);
  llvm::Error dropUnparsed(const Hash128 &TUKey);
  /// Every unit's snapshot without its declarations, with the object of its
  /// fingerprint's result (absent when none), by unit key: one query for a
  /// whole build (`hotast plan`).
  struct UnitHead {
    UnitSnapshot Snapshot;
    std::optional<Hash128> Object;
  };
  llvm::Expected<std::map<Hash128, UnitHead>> unitHeads();
  /// Every unit whose snapshot has a declaration of one of Keys (one
  /// indexed lookup per key).
  llvm::Expected<std::vector<DeclUse>> unitsUsing(const std::vector<std::string> &Keys);

  /// The stamps kept of the files among Paths (absolute), each with a
  /// trusted modification time: a file whose size and time are its stamp's
  /// has its content, without reading it. addManifest keeps the stamps of
  /// the files an entry names; `hotast plan` those of the objects it read.
  llvm::Expected<std::vector<FileStamp>> fileStamps(llvm::ArrayRef<std::string> Paths);
  /// Keeps Stamps (replacing those of the same paths); stamps of relative
  /// paths or without a trusted time are left out.
  llvm::Error keepFileStamps(llvm::ArrayRef<FileStamp> Stamps);

  // Whether the TU's last compile after an edit to its included files only
  // (its source unchanged) missed: the wrapper's guess for the next one.
  llvm::Expected<bool> includeEditMissed(const Hash128 &TUKey);
  llvm::Error setIncludeEditMissed(const Hash128 &TUKey, bool Missed);

  // Links: what an executable or library was made from, by build id.
  llvm::Error putLink(const LinkRecord &L);
  llvm::Expected<std::optional<LinkRecord>> link(llvm::StringRef BuildId);

  // Reload units: objects built with the reload profile, by content hash.
  llvm::Error putReloadUnit(const ReloadUnit &U);
  llvm::Expected<std::optional<ReloadUnit>> reloadUnit(const Hash128 &Object);
  // Statistics: named counters.
  llvm::Error bump(llvm::StringRef Counter, int64_t Delta = 1);
  /// Several counters in one transaction (each commit costs a compile
  /// served in milliseconds a noticeable part of them).
  llvm::Error bump(llvm::ArrayRef<std::pair<llvm::StringRef, int64_t>> Deltas);
  llvm::Expected<std::map<std::string, int64_t>> counters();
  llvm::Error zeroCounters();

  /// Runs Body as one write transaction: the writes of the methods it
  /// calls are committed together, or not at all when it fails. A commit
  /// costs a compile served in milliseconds a noticeable part of them (a
  /// remote direct hit keeps a result, an entry and counters).
  llvm::Error together(llvm::function_ref<llvm::Error()> Body);

  /// Forgets manifests, results, snapshots and links (counters stay).
  llvm::Error clear();
  /// Runs PRAGMA integrity_check; returns its first row ("ok" when sound).
  llvm::Expected<std::string> integrityCheck();
  /// Moves everything from the write-ahead log into the database file and
  /// empties the log (compiles do so once it is a few hundred pages long).
  llvm::Error checkpoint();

private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> P;
};

} // namespace hotast

#endif
