//===- Store.cpp - The SQLite snapshot store: schema and opening ----------===//
//
// The schema, and opening the database: creating the schema, checking it,
// setting a damaged file aside; and what applies to the whole database
// (clearing, checking, checkpointing). The tables are read and written in
// files named for what they hold (Manifests.cpp, Results.cpp, Units.cpp,
// FileStamps.cpp, Links.cpp, Counters.cpp), through the SQLite layer of
// Sqlite.h, the only file that includes sqlite3.h.
//
// Schema version StoreSchemaVersion = 18, kept in PRAGMA user_version; a
// database with any other version (or none of ours) is set aside, not
// migrated: everything in it can be recomputed by compiling again. Bump the
// version whenever a table or the meaning of a column changes.
//
// Every hash is TEXT of 32 lowercase hex digits (Hash128::toHex), the same
// spelling the decision log uses, so a hash from HOTAST_LOGFILE can be pasted
// into the sqlite3 shell as is (the hashes of manifests.files are that
// blob's bytes).
//
//   manifests(id INTEGER PRIMARY KEY, direct_key, fingerprint, stderr, depfile,
//             working_dir, code_key, others_key, files, names)
//     One row per direct-mode entry: compiles with this direct key (compiler,
//     hashed arguments, source bytes) that read the files listed in files
//     produced the result with this fingerprint, printed the
//     stderr blob (zero when nothing), and wrote this depfile text (empty
//     when none), both replayed on a direct hit. working_dir, when not
//     empty, is the only directory the entry applies in (locations reach
//     the object). code_key (zero when none; indexed) is the direct key with
//     the source's code lines in place of its bytes (ManifestEntry::CodeKey).
//     id grows with insertion,
//     so newest first is ORDER BY id DESC. Only the newest ManifestsPerKey
//     rows of a key are kept: enough for a header that flips between a few
//     states, and a key never grows without bound.
//     files (a BLOB, StampBlob.h) holds the files the compile read, in the
//     order given, each with its path, size, mtime_ns, content, code,
//     code_fixed and code_left_out. size and mtime_ns let the caller skip
//     rehashing a file whose stat is unchanged; content is what decides.
//     code (zero when none) is the hash of the text without its free comment
//     lines, when those lines alone may change without changing the object
//     (FileStamp::Code); code_fixed, how many of its first lines count as
//     they are (FileStamp::CodeFixedLines); code_left_out, what else code
//     leaves out (FileStamp::CodeLeftOut). One blob in the entry's row, not
//     a row per file: `hotast plan` reads the entries of a whole build, and
//     each row SQLite produces costs about a microsecond. The blob is zstd
//     compressed when that makes it smaller (StampBlob.h's packStamps: four
//     0xff bytes, the size, one frame), about a quarter of its size.
//     names (zero when none) is the blob key of the names the compile read
//     (ManifestEntry::Names).
//     others_key is the hash of the bytes of files after the first (the
//     source's; StampBlob.h's laterStamps): the same in the entries of
//     units that read the same headers in the same states. The index
//     manifests_by_key holds it with code_key, so that `hotast plan` reads
//     an entry's row only when no entry with the same others_key had a
//     stamp that can no longer match (Store::prefetchManifests): after an
//     edit, a key's older entries cost an index cell each, not a row.
//   results(fingerprint PRIMARY KEY, object, stderr, silent,
//           backend_diagnostics, last_used, depfile, depfile_view, tokens)
//     What a compile with this semantic fingerprint produced: blob keys of
//     the object and of its stderr (zero when empty), whether it printed
//     nothing, and whether code generation printed something (such a result
//     is only reused for byte-identical inputs). last_used (Unix seconds,
//     refreshed at most hourly so lookups rarely write) lets old results be
//     pruned. depfile and depfile_view, for compilers other than the linked
//     Clang: the depfile that compiler wrote and the hash of the one Clang's
//     parse wrote beside it (targets left out); a semantic hit writes the
//     stored depfile only when Clang's view is the same again. tokens, for
//     those compilers (zero when unknown): the hash of the tokens of the
//     code the result was compiled from, or checked silent with
//     -fsyntax-only (CachedResult::Tokens).
//   snapshots(tu_key PRIMARY KEY, fingerprint, files)
//   snapshot_decls(tu_key, ordinal, key, kind, name, file, line, hash, end_line)
//     The declarations behind a translation unit's last fingerprint, in the
//     order given, to tell the user which declaration made a compile miss
//     (and, with the lines each spans, the wrapper whether an edit of a
//     header falls inside one: EditGuess.h),
//     and the files that compile read (one "size mtime_ns content path" line
//     each, the main file first; `hotast plan` finds what changed there).
//     Only the last compile of each TU is kept. Indexed by key
//     (snapshot_decls_by_key): "which units use declaration K" is one
//     lookup (`hotast plan --predict`).
//   unparsed_units(tu_key PRIMARY KEY, result, files)
//     A translation unit whose last compile ran another compiler without
//     a parse (UnparsedUnit): the key of the result that compile stored
//     (its object, depfile and stderr) and the files it read (snapshots'
//     format). A snapshot of the unit replaces the row.
//   include_edits(tu_key PRIMARY KEY, missed)
//     Whether the unit's last compile after an edit to its included files
//     only missed (Store::includeEditMissed).
//   links(build_id PRIMARY KEY, output, cwd, linked_at)
//   link_inputs(build_id, ordinal, path, size, mtime_ns, content)
//     What each executable or library linked through hotast (as the build's
//     linker launcher) was made from, by its GNU build id: the output as
//     named, the working directory, the time (Unix seconds), and every input
//     file as it was then (objects, archives, shared libraries), so that a
//     running program's build id leads to the objects and so to the
//     translation units it was built from (the base of a hot-reload delta).
//     A relink with the same build id replaces the record.
//   reload_units(object PRIMARY KEY, working_dir, argv, files, decls)
//     For each object built with the reload profile (hot reload), by its
//     content hash (the blob key, and the hash a link record names): the
//     compile command (arguments joined by NUL), its working directory, the
//     files it read (one "size mtime_ns content path" line each, the main
//     file first) and its declaration records (DeclRecordIO's text). A
//     later compile that gives the same bytes replaces the row.
//   file_stamps(path PRIMARY KEY, size, mtime_ns, content)
//     Files as hotast last hashed them, by absolute path, each with a
//     trusted modification time (FileStamp): a file whose size and time are
//     its stamp's has its content without being read, by the rule a direct
//     hit already trusts (and a directory stamp's names are not looked for
//     while the directory's time is the one its stamp trusted). The files
//     of every manifest entry kept here (what a compile read; a direct hit
//     from the remote cache then reads only the files that changed since),
//     and the outputs `hotast plan` hashed (a later plan reads only the
//     objects whose size or time changed).
//   counters(name PRIMARY KEY, value)
//     Statistics (hits, misses, ...), bumped in place by concurrent compiles.
//
// Many compiles share the database: WAL journal (readers never block the
// writer), synchronous=NORMAL (a power loss may drop the last transactions,
// which is harmless for a cache), a 30 s busy timeout, and every write a
// single statement or a short BEGIN IMMEDIATE transaction, so no transaction
// ever has to upgrade a read lock (which fails with SQLITE_BUSY at once).
// The WAL stays when a process ends (no checkpoint on close), and a commit
// that leaves WalFramesKept frames or more in it copies them into the
// database and empties the file, without waiting for other compiles: the
// first process to open the database reads the whole WAL, so it is kept
// short (Store::Impl::openAndCheck says why SQLite's own checkpoints do not).
//
// PRAGMA quick_check reads the whole database, which a compile served in
// milliseconds cannot afford on every open. It runs when the file
// hotast.db.checked is missing or a day old; seeing SQLITE_CORRUPT removes
// that file, so the next open checks.
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <chrono>
#include <thread>

using namespace llvm;
namespace fs = llvm::sys::fs;

namespace hotast {
namespace {

constexpr int StoreSchemaVersion = 18;
constexpr int BusyTimeoutMs = 30000;
/// The WAL frames (pages) a commit may leave before it empties the WAL:
/// what every process reads on opening (about 1.5 us a frame) against the
/// three fsyncs each emptying costs (the checkpoint's two, the header of
/// the next frame written).
constexpr int WalFramesKept = 256;
constexpr std::chrono::hours QuickCheckInterval(24);

constexpr const char *SchemaSQL = R"sql(
CREATE TABLE manifests(id INTEGER PRIMARY KEY, direct_key TEXT NOT NULL,
                       fingerprint TEXT NOT NULL, stderr TEXT NOT NULL,
                       depfile TEXT NOT NULL, working_dir TEXT NOT NULL,
                       code_key TEXT NOT NULL, others_key TEXT NOT NULL,
                       files BLOB NOT NULL, names TEXT NOT NULL);
CREATE INDEX manifests_by_key ON manifests(direct_key, id, code_key, others_key);
CREATE INDEX manifests_by_code ON manifests(code_key, id);
CREATE TABLE results(fingerprint TEXT PRIMARY KEY, object TEXT NOT NULL,
                     stderr TEXT NOT NULL, silent INTEGER NOT NULL,
                     backend_diagnostics INTEGER NOT NULL,
                     last_used INTEGER NOT NULL, depfile TEXT NOT NULL,
                     depfile_view TEXT NOT NULL, tokens TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE snapshots(tu_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
                       files TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE snapshot_decls(tu_key TEXT NOT NULL, ordinal INTEGER NOT NULL,
                            key TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
                            file TEXT NOT NULL, line INTEGER NOT NULL, hash TEXT NOT NULL,
                            end_line INTEGER NOT NULL,
                            PRIMARY KEY(tu_key, ordinal)) WITHOUT ROWID;
CREATE INDEX snapshot_decls_by_key ON snapshot_decls(key, tu_key);
CREATE TABLE reload_units(object TEXT PRIMARY KEY, working_dir TEXT NOT NULL,
                          argv TEXT NOT NULL, files TEXT NOT NULL,
                          decls TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE file_stamps(path TEXT PRIMARY KEY, size INTEGER NOT NULL,
                         mtime_ns INTEGER NOT NULL, content TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE include_edits(tu_key TEXT PRIMARY KEY, missed INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE unparsed_units(tu_key TEXT PRIMARY KEY, result TEXT NOT NULL,
                            files TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE links(build_id TEXT PRIMARY KEY, output TEXT NOT NULL, cwd TEXT NOT NULL,
                   linked_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE link_inputs(build_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
                         path TEXT NOT NULL, size INTEGER NOT NULL,
                         mtime_ns INTEGER NOT NULL, content TEXT NOT NULL,
                         PRIMARY KEY(build_id, ordinal)) WITHOUT ROWID;
)sql";

/// SQLite's WAL hook, after every commit, in place of its automatic
/// checkpoint: once the WAL holds WalFramesKept frames, they are copied into
/// the database and the WAL file emptied, without waiting for anyone (a
/// compile that reads or writes then leaves it to a later commit).
int emptyLongWal(void *, sqlite3 *DB, const char *Name, int Frames) {
  if (Frames < WalFramesKept)
    return SQLITE_OK;
  sqlite3_busy_timeout(DB, 0);
  // PASSIVE first: copying the frames and its fsyncs hold no lock another
  // compile's commit waits for. TRUNCATE then takes the write lock only to
  // empty the file, which it does only when no reader still uses the WAL.
  sqlite3_wal_checkpoint_v2(DB, Name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  sqlite3_wal_checkpoint_v2(DB, Name, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_busy_timeout(DB, BusyTimeoutMs);
  return SQLITE_OK; // The commit stands; a checkpoint that failed is retried.
}

} // namespace

int64_t unixNow() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

Error Store::Impl::openAndCheck() {
  int Flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (int RC = sqlite3_open_v2(Path.c_str(), &DB, Flags, nullptr))
    return sqliteError(DB, RC, "open", sqlite3_errstr(RC));
  sqlite3_busy_timeout(DB, BusyTimeoutMs);
  // Every compile is a short-lived process. By default the last connection
  // to close checkpoints the WAL into the database and deletes it, with
  // fsyncs, and the next process creates it again: that alone cost a direct
  // hit ~20 ms here. Keep the WAL, so a process pays only for its own
  // commits.
  int One = 1;
  sqlite3_db_config(DB, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_file_control(DB, "main", SQLITE_FCNTL_PERSIST_WAL, &One);
  // But a process that opens the database while no other has it open
  // rebuilds the WAL's index by reading every frame since the WAL last
  // started over (recovery: an opener that finds no other user of the -shm
  // empties it), and counts none of them as copied into the database. So
  // SQLite's automatic checkpoint (at 1000 frames) copies them all again on
  // every commit past 1000, with fsyncs, and the WAL starts over only when
  // the process that copied them (or one that has the database open with
  // it) commits again, which a direct hit does not. Caches after builds
  // held 250 to 1100 such frames, and every open paid 0.8 to 2 ms of
  // processor time to read them. Empty the WAL file once it holds
  // WalFramesKept frames instead.
  sqlite3_wal_hook(DB, emptyLongWal, nullptr);
  // Reading the header is what exposes a file that is not a database.
  auto Version = queryText(DB, "PRAGMA user_version");
  if (!Version)
    return Version.takeError();
  if (Error E = useWal())
    return E;
  if (Error E = exec(DB, "PRAGMA synchronous=NORMAL"))
    return E;
  if (*Version == "0")
    return createSchema();
  if (*Version != std::to_string(StoreSchemaVersion))
    return sqliteError(DB, SQLITE_NOTADB, "schema version " + *Version,
                       "expected " + std::to_string(StoreSchemaVersion));

  fs::file_status St;
  if (!fs::status(markerPath(Path), St) &&
      std::chrono::system_clock::now() - St.getLastModificationTime() < QuickCheckInterval)
    return Error::success();
  auto Check = queryText(DB, "PRAGMA quick_check");
  if (!Check)
    return Check.takeError();
  if (*Check != "ok")
    return sqliteError(DB, SQLITE_CORRUPT, "PRAGMA quick_check", *Check);
  markChecked();
  return Error::success();
}

Error Store::Impl::useWal() {
  // Switching needs an exclusive lock, and SQLite returns SQLITE_BUSY for it
  // without waiting: processes that create the database together must retry.
  // Once the file is in WAL mode, this is a no-op that takes no lock. On a
  // filesystem without shared memory the mode stays as it was: slower, but
  // still correct.
  auto Deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(BusyTimeoutMs);
  for (;;) {
    Statement S(DB, "PRAGMA journal_mode=WAL");
    S.step();
    int Code = S.code() & 0xff;
    if ((Code != SQLITE_BUSY && Code != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() > Deadline)
      return S.check("switching to WAL");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

Error Store::Impl::createSchema() {
  bool Created = false;
  Error E = transaction(DB, [&]() -> Error {
    // Another process may have created the schema since we looked.
    Statement S(DB, "SELECT (SELECT user_version FROM pragma_user_version),"
                    " (SELECT count(*) FROM sqlite_master)");
    int64_t Version = -1, Objects = 0;
    if (S.step())
      Version = S.integer(0), Objects = S.integer(1);
    if (Error E = S.check("reading the schema"))
      return E;
    if (Version == StoreSchemaVersion)
      return Error::success();
    if (Version != 0 || Objects != 0)
      return sqliteError(DB, SQLITE_NOTADB, "schema", "not a hotast database");
    if (Error E = exec(DB, SchemaSQL, "creating the schema"))
      return E;
    Created = true;
    return exec(DB, ("PRAGMA user_version=" + std::to_string(StoreSchemaVersion)).c_str());
  });
  if (!E && Created)
    markChecked(); // A database we just created is sound.
  return E;
}

/// Renames a bad database (with its -wal and -shm) out of the way, unless
/// another process already replaced it since we opened it (Opened).
static Error setAside(const std::string &Path, std::optional<fs::UniqueID> Opened) {
  fs::UniqueID Now;
  if (fs::getUniqueID(Path, Now) || (Opened && Now != *Opened))
    return Error::success();
  std::string Aside = Path + ".corrupt." + std::to_string(unixNow()) + "." +
                      std::to_string(sys::Process::getProcessId());
  if (std::error_code EC = fs::rename(Path, Aside))
    return createFileError(Path, EC);
  for (const char *Suffix : {"-wal", "-shm"})
    fs::rename(Path + Suffix, Aside + Suffix); // May not exist.
  fs::remove(markerPath(Path));
  return Error::success();
}

Expected<std::unique_ptr<Store>> Store::open(StringRef Dir) {
  if (std::error_code EC = fs::create_directories(Dir))
    return createFileError(Dir, EC);
  SmallString<256> Path(Dir);
  sys::path::append(Path, "hotast.db");
  std::string Damage;
  // A damaged file is set aside and the next attempt creates a fresh one;
  // when even that is damaged, something is wrong with the directory.
  for (int Attempt = 0; Attempt != 3; ++Attempt) {
    Damage.clear();
    std::optional<fs::UniqueID> Opened;
    if (fs::UniqueID ID; !fs::getUniqueID(Path, ID))
      Opened = ID;
    auto I = std::make_unique<Impl>(std::string(Path));
    Error E = handleErrors(I->openAndCheck(), [&](std::unique_ptr<SqliteError> S) -> Error {
      if (!S->isDamage())
        return Error(std::move(S));
      Damage = S->message();
      return Error::success();
    });
    if (E) // Busy, full, unreadable: not the file's fault, so keep it.
      return std::move(E);
    if (Damage.empty())
      return std::unique_ptr<Store>(new Store(std::move(I)));
    I.reset(); // Close before renaming.
    if (Error E = setAside(std::string(Path), Opened))
      return std::move(E);
  }
  return createStringError(inconvertibleErrorCode(), "unusable database: " + Damage);
}

Store::Store(std::unique_ptr<Impl> I) : P(std::move(I)) {}
Store::~Store() = default;

Error Store::together(function_ref<Error()> Body) { return transaction(P->DB, Body); }

Error Store::clear() {
  return transaction(P->DB, [&] {
    return exec(P->DB, "DELETE FROM manifests;"
                       " DELETE FROM results; DELETE FROM snapshot_decls;"
                       " DELETE FROM snapshots; DELETE FROM include_edits;"
                       " DELETE FROM unparsed_units;"
                       " DELETE FROM link_inputs; DELETE FROM links;"
                       " DELETE FROM reload_units; DELETE FROM file_stamps;");
  });
}

Expected<std::string> Store::integrityCheck() {
  return queryText(P->DB, "PRAGMA integrity_check");
}

Error Store::checkpoint() {
  auto Row = queryText(P->DB, "PRAGMA wal_checkpoint(TRUNCATE)");
  if (!Row)
    return Row.takeError();
  if (*Row != "0")
    return sqliteError(P->DB, SQLITE_BUSY, "PRAGMA wal_checkpoint", "busy");
  return Error::success();
}

} // namespace hotast
