//===- Store.cpp - The SQLite snapshot store ------------------------------===//
//
// The only file that includes sqlite3.h.
//
// Schema version StoreSchemaVersion = 14, kept in PRAGMA user_version; a
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
//             working_dir, code_key, files)
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
//     order given, each with its path, size, mtime_ns, content, code and
//     code_fixed. size and mtime_ns let the caller skip rehashing a file
//     whose stat is unchanged; content is what decides. code (zero when
//     none) is the hash of the text without its free comment lines, when
//     those lines alone may change without changing the object
//     (FileStamp::Code); code_fixed, how many of its first lines count as
//     they are (FileStamp::CodeFixedLines). One blob in the entry's row, not
//     a row per file: `hotast plan` reads the entries of a whole build, and
//     each row SQLite produces costs about a microsecond.
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
//   snapshot_decls(tu_key, ordinal, key, kind, name, file, line, hash)
//     The declarations behind a translation unit's last fingerprint, in the
//     order given, to tell the user which declaration made a compile miss,
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
//
// PRAGMA quick_check reads the whole database, which a compile served in
// milliseconds cannot afford on every open. It runs when the file
// hotast.db.checked is missing or a day old; seeing SQLITE_CORRUPT removes
// that file, so the next open checks.
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StampBlob.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <algorithm>
#include <chrono>
#include <sqlite3.h>
#include <thread>

using namespace llvm;
namespace fs = llvm::sys::fs;

namespace hotast {
namespace {

constexpr int StoreSchemaVersion = 14;
constexpr int ManifestsPerKey = 16;
constexpr int BusyTimeoutMs = 30000;
constexpr std::chrono::hours QuickCheckInterval(24);
constexpr int64_t LastUsedResolution = 3600;

constexpr const char *SchemaSQL = R"sql(
CREATE TABLE manifests(id INTEGER PRIMARY KEY, direct_key TEXT NOT NULL,
                       fingerprint TEXT NOT NULL, stderr TEXT NOT NULL,
                       depfile TEXT NOT NULL, working_dir TEXT NOT NULL,
                       code_key TEXT NOT NULL, files BLOB NOT NULL);
CREATE INDEX manifests_by_key ON manifests(direct_key, id);
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

int64_t unixNow() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::string markerPath(StringRef DBPath) { return (DBPath + ".checked").str(); }

/// An SQLite failure; the code tells a damaged file (set it aside) from a
/// passing condition such as a lock held too long (just fall back).
class SqliteError : public ErrorInfo<SqliteError> {
public:
  static char ID;
  SqliteError(std::string Message, int Code) : Message(std::move(Message)), Code(Code) {}
  bool isDamage() const {
    return (Code & 0xff) == SQLITE_CORRUPT || (Code & 0xff) == SQLITE_NOTADB;
  }
  void log(raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override { return inconvertibleErrorCode(); }

private:
  std::string Message;
  int Code;
};
char SqliteError::ID;

Error sqliteError(sqlite3 *DB, int RC, const Twine &What, StringRef Message) {
  StringRef Path = DB ? sqlite3_db_filename(DB, "main") : "";
  if (Path.empty())
    Path = "hotast.db";
  auto E = std::make_unique<SqliteError>(("'" + Path + "': " + What + ": " + Message).str(), RC);
  if (E->isDamage())
    fs::remove(markerPath(Path)); // Check the whole file at the next open.
  return Error(std::move(E));
}

/// A prepared statement. The first failure sticks and check() reports it,
/// so callers test once after a run of bind/step/column calls.
class Statement {
public:
  Statement(sqlite3 *DB, const char *SQL) : DB(DB) {
    if ((RC = sqlite3_prepare_v2(DB, SQL, -1, &S, nullptr)) != SQLITE_OK)
      Message = sqlite3_errmsg(DB);
  }
  ~Statement() { sqlite3_finalize(S); }
  Statement(const Statement &) = delete;
  Statement &operator=(const Statement &) = delete;

  Statement &bind(int I, StringRef V) {
    return note(S ? sqlite3_bind_text(S, I, V.data(), int(V.size()), SQLITE_TRANSIENT) : RC);
  }
  Statement &bind(int I, int64_t V) { return note(S ? sqlite3_bind_int64(S, I, V) : RC); }
  Statement &bind(int I, const Hash128 &H) { return bind(I, StringRef(H.toHex())); }
  Statement &bindBlob(int I, StringRef V) {
    return note(S ? sqlite3_bind_blob(S, I, V.data(), int(V.size()), SQLITE_TRANSIENT) : RC);
  }

  /// Steps once; true while there is a row to read.
  bool step() {
    if (failed())
      return false;
    int R = sqlite3_step(S);
    if (R != SQLITE_ROW && R != SQLITE_DONE)
      note(R);
    return R == SQLITE_ROW;
  }
  /// Makes the statement ready to run again with new values.
  void reset() {
    if (!failed()) {
      sqlite3_reset(S);
      sqlite3_clear_bindings(S);
    }
  }

  bool isNull(int I) { return sqlite3_column_type(S, I) == SQLITE_NULL; }
  int64_t integer(int I) { return sqlite3_column_int64(S, I); }
  std::string text(int I) { return textRef(I).str(); }
  /// The column's text, valid until the next step or column call.
  StringRef textRef(int I) {
    const char *T = reinterpret_cast<const char *>(sqlite3_column_text(S, I));
    return T ? StringRef(T, sqlite3_column_bytes(S, I)) : StringRef();
  }
  /// The column's bytes, valid until the next step or column call.
  StringRef blobRef(int I) {
    const char *B = reinterpret_cast<const char *>(sqlite3_column_blob(S, I));
    return B ? StringRef(B, sqlite3_column_bytes(S, I)) : StringRef();
  }
  Hash128 hash(int I) {
    Hash128 H;
    // From the column's own buffer: `hotast plan` reads the hashes of a
    // whole build's manifests.
    if (!Hash128::fromHex(textRef(I), H))
      malformed(I);
    return H;
  }
  /// Makes the statement fail with SQLITE_CORRUPT: column I does not hold
  /// what the schema says.
  void malformed(int I) {
    if (!failed()) {
      RC = SQLITE_CORRUPT;
      Message = "malformed value in column " + std::string(sqlite3_column_name(S, I));
    }
  }

  int code() const { return RC; }
  Error check(const Twine &What) {
    return failed() ? sqliteError(DB, RC, What, Message) : Error::success();
  }

private:
  bool failed() const { return RC != SQLITE_OK; }
  Statement &note(int R) {
    if (R != SQLITE_OK && !failed()) {
      RC = R;
      Message = sqlite3_errmsg(DB);
    }
    return *this;
  }

  sqlite3 *DB;
  sqlite3_stmt *S = nullptr;
  int RC = SQLITE_OK;
  std::string Message;
};

Error exec(sqlite3 *DB, const char *SQL, const char *What = nullptr) {
  char *Msg = nullptr;
  int RC = sqlite3_exec(DB, SQL, nullptr, nullptr, &Msg);
  std::string Text = Msg ? Msg : sqlite3_errstr(RC);
  sqlite3_free(Msg);
  return RC == SQLITE_OK ? Error::success() : sqliteError(DB, RC, What ? What : SQL, Text);
}

/// Runs Body in a write transaction, taking the write lock up front.
Error transaction(sqlite3 *DB, function_ref<Error()> Body) {
  if (Error E = exec(DB, "BEGIN IMMEDIATE"))
    return E;
  Error E = Body();
  if (!E)
    E = exec(DB, "COMMIT");
  if (E)
    consumeError(exec(DB, "ROLLBACK"));
  return E;
}

/// Body's reads as one snapshot of the database (a deferred transaction
/// takes no lock a writer waits for).
Error readTransaction(sqlite3 *DB, function_ref<Error()> Body) {
  if (Error E = exec(DB, "BEGIN"))
    return E;
  Error E = Body();
  consumeError(exec(DB, E ? "ROLLBACK" : "COMMIT"));
  return E;
}

/// The first column of the first row of a one-row query, as text.
Expected<std::string> queryText(sqlite3 *DB, const char *SQL) {
  Statement S(DB, SQL);
  std::string Value = S.step() ? S.text(0) : "";
  if (Error E = S.check(SQL))
    return std::move(E);
  return Value;
}

} // namespace

struct Store::Impl {
  sqlite3 *DB = nullptr;
  std::string Path;
  /// The direct-mode and code-key lookups, prepared once: `hotast plan` asks
  /// them for every unit of a build, and preparing a statement cost more
  /// than running it.
  std::unique_ptr<Statement> Manifests, ManifestsByCode;
  /// The stamps of the entries read so far: entries share those they have
  /// in common.
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
  Error openAndCheck();
  Error useWal();
  Error createSchema();
  void markChecked() {
    int FD;
    if (fs::openFileForWrite(markerPath(Path), FD, fs::CD_CreateAlways))
      return; // Then the next open checks again; no harm done.
    (void)fs::setLastAccessAndModificationTime(FD, std::chrono::system_clock::now());
    sys::Process::SafelyCloseFileDescriptor(FD);
  }
};

Error Store::Impl::openAndCheck() {
  int Flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (int RC = sqlite3_open_v2(Path.c_str(), &DB, Flags, nullptr))
    return sqliteError(DB, RC, "open", sqlite3_errstr(RC));
  sqlite3_busy_timeout(DB, BusyTimeoutMs);
  // Every compile is a short-lived process. By default the last connection
  // to close checkpoints the WAL into the database and deletes it, with
  // fsyncs, and the next process creates it again: that alone cost a direct
  // hit ~20 ms here. Keep the WAL and leave checkpoints to SQLite's automatic
  // ones (every ~1000 pages), so a process pays only for its own commits.
  int One = 1;
  sqlite3_db_config(DB, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_file_control(DB, "main", SQLITE_FCNTL_PERSIST_WAL, &One);
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

/// The columns of a manifests query after the key (when asked for), as
/// readManifestRows reads them.
constexpr const char *ManifestColumns =
    "id, fingerprint, stderr, depfile, working_dir, code_key, files";

/// Reads the rows of a manifests query, an entry each with its files
/// (DirectKey first when WithKey), into Add(key, id).
static Error readManifestRows(Statement &S, bool WithKey, StampPool &Pool,
                              llvm::function_ref<ManifestEntry &(const Hash128 &, int64_t)> Add) {
  int C = WithKey ? 1 : 0;
  while (S.step()) {
    ManifestEntry &E = Add(WithKey ? S.hash(0) : Hash128(), S.integer(C));
    E.Fingerprint = S.hash(C + 1);
    E.Stderr = S.hash(C + 2);
    E.Depfile = S.text(C + 3);
    E.WorkingDir = S.text(C + 4);
    E.CodeKey = S.hash(C + 5);
    if (!decodeStamps(S.blobRef(C + 6), Pool, E.Files))
      S.malformed(C + 6); // an entry whose files are unknown must not match
  }
  return S.check("reading manifests");
}

/// The newest ManifestsPerKey (?2) entries whose KeyColumn is ?1, with
/// their files, as readManifestRows reads them (WithKey false).
static std::string newestManifestsSQL(llvm::StringRef KeyColumn) {
  return ("SELECT " + Twine(ManifestColumns) + " FROM manifests WHERE " + KeyColumn +
          " = ?1 ORDER BY id DESC LIMIT ?2")
      .str();
}

/// Keys as a JSON array of hex strings, for json_each.
static std::string jsonKeyList(const std::vector<Hash128> &Keys) {
  std::string List = "[";
  for (const Hash128 &K : Keys)
    List += (List.size() > 1 ? ",\"" : "\"") + K.toHex() + "\"";
  return List + "]";
}

Error Store::prefetchManifests(const std::vector<Hash128> &Keys) {
  // A whole build's entries, spread over the table by the order they were
  // stored in: read in place from a mapping rather than copied a page at a
  // time (half the query's time). Best effort: without it, the same rows.
  consumeError(exec(P->DB, "PRAGMA mmap_size=268435456"));
  // The entries and their count, read from one snapshot.
  return readTransaction(P->DB, [&]() -> Error {
    // Every entry of each key, in the index's order (oldest first per key:
    // newest first would cost a sort of every row).
    Statement S(P->DB, ("SELECT direct_key, " + Twine(ManifestColumns) +
                        " FROM manifests WHERE direct_key IN (SELECT value FROM json_each(?1))"
                        " ORDER BY direct_key, id")
                           .str()
                           .c_str());
    S.bind(1, jsonKeyList(Keys));
    std::map<Hash128, std::vector<std::pair<int64_t, std::shared_ptr<ManifestEntry>>>> Read;
    for (const Hash128 &K : Keys)
      Read[K];
    if (Error E = readManifestRows(S, /*WithKey=*/true, P->Stamps,
                                   [&](const Hash128 &K, int64_t Id) -> ManifestEntry & {
                                     return *Read[K]
                                                 .emplace_back(Id, std::make_shared<ManifestEntry>())
                                                 .second;
                                   }))
      return E;
    for (auto &[K, Entries] : Read)
      std::reverse(Entries.begin(), Entries.end());
    // A source as it was for one of its entries asks for the entries of
    // their code keys (manifestsByCode). Those whose every entry was read
    // above (the index counts them) are answered from here too: the same
    // entries, in both lists.
    std::map<Hash128, std::vector<std::pair<int64_t, std::shared_ptr<const ManifestEntry>>>>
        ByCode;
    for (const auto &[K, Entries] : Read)
      for (const auto &[Id, Entry] : Entries)
        if (!Entry->CodeKey.isZero())
          ByCode[Entry->CodeKey].emplace_back(Id, Entry);
    std::vector<Hash128> CodeKeys;
    for (const auto &[Code, Entries] : ByCode)
      CodeKeys.push_back(Code);
    Statement Count(P->DB, "SELECT code_key, count(*) FROM manifests"
                           " WHERE code_key IN (SELECT value FROM json_each(?1))"
                           " GROUP BY code_key");
    Count.bind(1, jsonKeyList(CodeKeys));
    std::map<Hash128, ManifestList> Complete;
    while (Count.step()) {
      auto It = ByCode.find(Count.hash(0));
      if (It == ByCode.end() || int64_t(It->second.size()) != Count.integer(1))
        continue;
      auto &Entries = It->second;
      llvm::sort(Entries, [](const auto &A, const auto &B) { return A.first > B.first; });
      ManifestList &Out = Complete[It->first];
      for (size_t I = 0; I != Entries.size() && I != ManifestsPerKey; ++I)
        Out.push_back(Entries[I].second);
    }
    if (Error E = Count.check("counting manifests"))
      return E;
    P->Prefetched.clear();
    for (auto &[K, Entries] : Read) {
      ManifestList &Out = P->Prefetched[K];
      for (size_t I = 0; I != Entries.size() && I != ManifestsPerKey; ++I)
        Out.push_back(std::move(Entries[I].second));
    }
    P->PrefetchedByCode = std::move(Complete);
    return Error::success();
  });
}

/// The newest entries under Key in KeyColumn, through the statement in
/// Slot (prepared on first use: `hotast plan` asks for every compile of a
/// build).
static Expected<ManifestList> newestManifests(sqlite3 *DB, std::unique_ptr<Statement> &Slot,
                                              StampPool &Pool, llvm::StringRef KeyColumn,
                                              const Hash128 &Key) {
  if (!Slot)
    Slot = std::make_unique<Statement>(DB, newestManifestsSQL(KeyColumn).c_str());
  Statement &S = *Slot;
  S.reset();
  S.bind(1, Key).bind(2, int64_t(ManifestsPerKey));
  ManifestList Entries;
  if (Error E = readManifestRows(S, /*WithKey=*/false, Pool,
                                 [&](const Hash128 &, int64_t) -> ManifestEntry & {
                                   auto Entry = std::make_shared<ManifestEntry>();
                                   ManifestEntry &Ref = *Entry;
                                   Entries.push_back(std::move(Entry));
                                   return Ref;
                                 })) {
    Slot.reset(); // prepared afresh next time
    return std::move(E);
  }
  S.reset(); // ends its read of the database
  return Entries;
}

Expected<ManifestList> Store::manifests(const Hash128 &DirectKey) {
  if (auto It = P->Prefetched.find(DirectKey); It != P->Prefetched.end())
    return It->second;
  return newestManifests(P->DB, P->Manifests, P->Stamps, "direct_key", DirectKey);
}

Expected<ManifestList> Store::manifestsByCode(const Hash128 &CodeKey) {
  if (auto It = P->PrefetchedByCode.find(CodeKey); It != P->PrefetchedByCode.end())
    return It->second;
  return newestManifests(P->DB, P->ManifestsByCode, P->Stamps, "code_key", CodeKey);
}

/// A stamp file_stamps can hold: by absolute path, with a trusted time (a
/// directory stamp's: that of a directory where none of its names was).
static bool keepsAsFileStamp(const FileStamp &F) {
  return F.MTimeNs != 0 && !savedWhileRead(F) && sys::path::is_absolute(F.Path);
}

/// Writes Stamps that keepsAsFileStamp, within the caller's transaction;
/// an unchanged row is not rewritten.
template <typename StampRange>
static Error writeFileStamps(sqlite3 *DB, const StampRange &Stamps) {
  Statement S(DB, "INSERT INTO file_stamps VALUES(?1, ?2, ?3, ?4) ON CONFLICT(path) DO UPDATE"
                  " SET size = excluded.size, mtime_ns = excluded.mtime_ns,"
                  " content = excluded.content WHERE size != excluded.size"
                  " OR mtime_ns != excluded.mtime_ns OR content != excluded.content");
  for (const FileStamp &F : Stamps) {
    if (!keepsAsFileStamp(F))
      continue;
    S.bind(1, F.Path).bind(2, int64_t(F.Size)).bind(3, F.MTimeNs).bind(4, F.Content).step();
    if (Error E = S.check("keeping a file stamp"))
      return E;
    S.reset();
  }
  return Error::success();
}

Error Store::addManifest(const Hash128 &DirectKey, const ManifestEntry &Entry) {
  P->Prefetched.erase(DirectKey); // read afresh from now on
  P->PrefetchedByCode.erase(Entry.CodeKey);
  return transaction(P->DB, [&]() -> Error {
    Statement M(P->DB, "INSERT INTO manifests(direct_key, fingerprint, stderr, depfile,"
                       " working_dir, code_key, files) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    M.bind(1, DirectKey).bind(2, Entry.Fingerprint).bind(3, Entry.Stderr);
    M.bind(4, Entry.Depfile).bind(5, Entry.WorkingDir).bind(6, Entry.CodeKey);
    M.bindBlob(7, encodeStamps(Entry.Files)).step();
    if (Error E = M.check("adding a manifest"))
      return E;
    if (Error E = writeFileStamps(P->DB, Entry.Files))
      return E;
    Statement Prune(P->DB, "DELETE FROM manifests WHERE id IN (SELECT id FROM manifests"
                           " WHERE direct_key = ?1 ORDER BY id DESC LIMIT -1 OFFSET ?2)");
    Prune.bind(1, DirectKey).bind(2, int64_t(ManifestsPerKey)).step();
    return Prune.check("pruning manifests");
  });
}

Expected<std::optional<CachedResult>> Store::result(const Hash128 &Fingerprint) {
  Statement S(P->DB, "SELECT object, stderr, silent, backend_diagnostics, last_used,"
                     " depfile, depfile_view, tokens FROM results WHERE fingerprint = ?1");
  S.bind(1, Fingerprint);
  std::optional<CachedResult> R;
  int64_t LastUsed = 0;
  if (S.step()) {
    R = CachedResult{S.hash(0), S.hash(1), S.integer(2) != 0, S.integer(3) != 0,
                     S.text(5), S.hash(6), S.hash(7)};
    LastUsed = S.integer(4);
  }
  if (Error E = S.check("reading a result"))
    return std::move(E);
  // Coarse on purpose: most lookups then stay read-only. Best effort, since
  // a failure here changes nothing about the answer.
  if (R && unixNow() - LastUsed > LastUsedResolution) {
    Statement U(P->DB, "UPDATE results SET last_used = ?2 WHERE fingerprint = ?1");
    U.bind(1, Fingerprint).bind(2, unixNow()).step();
    consumeError(U.check("touching a result"));
  }
  return R;
}

Error Store::putResult(const Hash128 &Fingerprint, const CachedResult &Result) {
  Statement S(P->DB, "INSERT OR REPLACE INTO results VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  S.bind(1, Fingerprint).bind(2, Result.Object).bind(3, Result.Stderr);
  S.bind(4, int64_t(Result.Silent)).bind(5, int64_t(Result.BackendDiagnostics));
  S.bind(6, unixNow()).bind(7, Result.Depfile).bind(8, Result.DepfileView);
  S.bind(9, Result.Tokens).step();
  return S.check("storing a result");
}

Error Store::putSnapshot(const Hash128 &TUKey, const UnitSnapshot &Snapshot) {
  std::string Files = stampLines(Snapshot.Files);
  return transaction(P->DB, [&]() -> Error {
    Statement Del(P->DB, "DELETE FROM snapshot_decls WHERE tu_key = ?1");
    Del.bind(1, TUKey).step();
    Statement Snap(P->DB, "INSERT OR REPLACE INTO snapshots VALUES(?1, ?2, ?3)");
    Snap.bind(1, TUKey).bind(2, Snapshot.Fingerprint).bind(3, Files).step();
    Statement Unparsed(P->DB, "DELETE FROM unparsed_units WHERE tu_key = ?1");
    Unparsed.bind(1, TUKey).step();
    if (Error E = joinErrors(joinErrors(Del.check("replacing a snapshot"),
                                        Snap.check("adding a snapshot")),
                             Unparsed.check("replacing an unparsed unit")))
      return E;
    Statement D(P->DB, "INSERT INTO snapshot_decls VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    for (size_t I = 0; I != Snapshot.Decls.size(); ++I) {
      const SnapshotDecl &Decl = Snapshot.Decls[I];
      D.bind(1, TUKey).bind(2, int64_t(I)).bind(3, Decl.Key).bind(4, Decl.Kind);
      D.bind(5, Decl.Name).bind(6, Decl.File).bind(7, int64_t(Decl.Line)).bind(8, Decl.Hash);
      D.step();
      D.reset();
    }
    return D.check("adding snapshot declarations");
  });
}

Expected<std::optional<UnitSnapshot>> Store::snapshot(const Hash128 &TUKey) {
  Statement S(P->DB, "SELECT s.fingerprint, s.files, d.key, d.kind, d.name, d.file, d.line,"
                     " d.hash FROM snapshots s LEFT JOIN snapshot_decls d"
                     " ON d.tu_key = s.tu_key WHERE s.tu_key = ?1 ORDER BY d.ordinal");
  S.bind(1, TUKey);
  std::optional<UnitSnapshot> Snap;
  while (S.step()) {
    if (!Snap) {
      Snap.emplace();
      Snap->Fingerprint = S.hash(0);
      if (!parseStampLines(S.text(1), Snap->Files))
        return sqliteError(P->DB, SQLITE_CORRUPT, "reading a snapshot", "bad file line");
    }
    if (!S.isNull(2))
      Snap->Decls.push_back(
          {S.text(2), S.text(3), S.text(4), S.text(5), unsigned(S.integer(6)), S.hash(7)});
  }
  if (Error E = S.check("reading a snapshot"))
    return std::move(E);
  return Snap;
}

Expected<bool> Store::hasSnapshot(const Hash128 &TUKey) {
  Statement S(P->DB, "SELECT 1 FROM snapshots WHERE tu_key = ?1");
  S.bind(1, TUKey);
  bool Found = S.step();
  if (Error E = S.check("reading a snapshot"))
    return std::move(E);
  return Found;
}

Error Store::putUnparsed(const Hash128 &TUKey, const UnparsedUnit &U) {
  Statement S(P->DB, "INSERT OR REPLACE INTO unparsed_units VALUES(?1, ?2, ?3)");
  S.bind(1, TUKey).bind(2, U.Result).bind(3, stampLines(U.Files)).step();
  return S.check("storing an unparsed unit");
}

Expected<std::optional<UnparsedUnit>> Store::unparsed(const Hash128 &TUKey) {
  Statement S(P->DB, "SELECT result, files FROM unparsed_units WHERE tu_key = ?1");
  S.bind(1, TUKey);
  std::optional<UnparsedUnit> U;
  if (S.step()) {
    U.emplace();
    U->Result = S.hash(0);
    if (!parseStampLines(S.text(1), U->Files))
      return sqliteError(P->DB, SQLITE_CORRUPT, "reading an unparsed unit", "bad file line");
  }
  if (Error E = S.check("reading an unparsed unit"))
    return std::move(E);
  return U;
}

Error Store::dropUnparsed(const Hash128 &TUKey) {
  Statement S(P->DB, "DELETE FROM unparsed_units WHERE tu_key = ?1");
  S.bind(1, TUKey).step();
  return S.check("forgetting an unparsed unit");
}

Expected<std::map<Hash128, Store::UnitHead>> Store::unitHeads() {
  Statement S(P->DB, "SELECT s.tu_key, s.fingerprint, s.files, r.object FROM snapshots s"
                     " LEFT JOIN results r ON r.fingerprint = s.fingerprint");
  std::map<Hash128, UnitHead> Out;
  while (S.step()) {
    UnitHead &H = Out[S.hash(0)];
    H.Snapshot.Fingerprint = S.hash(1);
    if (!parseStampLines(S.text(2), H.Snapshot.Files))
      return sqliteError(P->DB, SQLITE_CORRUPT, "reading a snapshot", "bad file line");
    if (!S.isNull(3))
      H.Object = S.hash(3);
  }
  if (Error E = S.check("reading the snapshots"))
    return std::move(E);
  return Out;
}

Expected<std::vector<FileStamp>> Store::fileStamps(ArrayRef<std::string> Paths) {
  // One indexed lookup per path: a path is any bytes (no JSON list).
  std::vector<FileStamp> Out;
  if (Error E = readTransaction(P->DB, [&]() -> Error {
        Statement S(P->DB, "SELECT size, mtime_ns, content FROM file_stamps WHERE path = ?1");
        for (const std::string &Path : Paths) {
          S.bind(1, Path);
          if (S.step())
            Out.push_back({Path, uint64_t(S.integer(0)), S.integer(1), S.hash(2)});
          if (Error E = S.check("reading file stamps"))
            return E;
          S.reset();
        }
        return Error::success();
      }))
    return std::move(E);
  return Out;
}

Error Store::keepFileStamps(ArrayRef<FileStamp> Stamps) {
  if (llvm::none_of(Stamps, keepsAsFileStamp))
    return Error::success();
  return transaction(P->DB, [&] { return writeFileStamps(P->DB, Stamps); });
}

Expected<std::vector<DeclUse>> Store::unitsUsing(const std::vector<std::string> &Keys) {
  std::vector<DeclUse> Out;
  Statement S(P->DB, "SELECT tu_key, hash FROM snapshot_decls WHERE key = ?1");
  for (const std::string &Key : Keys) {
    S.bind(1, Key);
    while (S.step())
      Out.push_back({S.hash(0), Key, S.hash(1)});
    if (Error E = S.check("finding the units that use a declaration"))
      return std::move(E);
    S.reset();
  }
  return Out;
}

Expected<bool> Store::includeEditMissed(const Hash128 &TUKey) {
  Statement S(P->DB, "SELECT missed FROM include_edits WHERE tu_key = ?1");
  S.bind(1, TUKey);
  bool Missed = S.step() && S.integer(0) != 0;
  if (Error E = S.check("reading an include-edit outcome"))
    return std::move(E);
  return Missed;
}

Error Store::setIncludeEditMissed(const Hash128 &TUKey, bool Missed) {
  Statement S(P->DB, "INSERT OR REPLACE INTO include_edits VALUES(?1, ?2)");
  S.bind(1, TUKey).bind(2, int64_t(Missed)).step();
  return S.check("recording an include-edit outcome");
}

Error Store::putLink(const LinkRecord &L) {
  return transaction(P->DB, [&]() -> Error {
    Statement Del(P->DB, "DELETE FROM link_inputs WHERE build_id = ?1");
    Del.bind(1, L.BuildId).step();
    Statement Link(P->DB, "INSERT OR REPLACE INTO links VALUES(?1, ?2, ?3, ?4)");
    Link.bind(1, L.BuildId).bind(2, L.Output).bind(3, L.WorkingDir).bind(4, L.LinkedAt).step();
    if (Error E = joinErrors(Del.check("replacing a link"), Link.check("adding a link")))
      return E;
    Statement In(P->DB, "INSERT INTO link_inputs VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    for (size_t I = 0; I != L.Inputs.size(); ++I) {
      const FileStamp &F = L.Inputs[I];
      In.bind(1, L.BuildId).bind(2, int64_t(I)).bind(3, F.Path).bind(4, int64_t(F.Size));
      In.bind(5, F.MTimeNs).bind(6, F.Content).step();
      In.reset();
    }
    return In.check("adding link inputs");
  });
}

Expected<std::optional<LinkRecord>> Store::link(StringRef BuildId) {
  Statement S(P->DB, "SELECT l.output, l.cwd, l.linked_at, i.path, i.size, i.mtime_ns, i.content"
                     " FROM links l LEFT JOIN link_inputs i ON i.build_id = l.build_id"
                     " WHERE l.build_id = ?1 ORDER BY i.ordinal");
  S.bind(1, BuildId);
  std::optional<LinkRecord> L;
  while (S.step()) {
    if (!L) {
      L.emplace();
      L->BuildId = BuildId.str();
      L->Output = S.text(0);
      L->WorkingDir = S.text(1);
      L->LinkedAt = S.integer(2);
    }
    if (!S.isNull(3))
      L->Inputs.push_back({S.text(3), uint64_t(S.integer(4)), S.integer(5), S.hash(6)});
  }
  if (Error E = S.check("reading a link"))
    return std::move(E);
  return L;
}

Error Store::putReloadUnit(const ReloadUnit &U) {
  std::string Argv, Files = stampLines(U.Files);
  for (const std::string &A : U.Argv)
    (Argv += A) += '\0';
  Statement S(P->DB, "INSERT OR REPLACE INTO reload_units VALUES(?1, ?2, ?3, ?4, ?5)");
  S.bind(1, U.Object).bind(2, U.WorkingDir).bind(3, Argv).bind(4, Files).bind(5, U.Decls).step();
  return S.check("recording a reload unit");
}

Expected<std::optional<ReloadUnit>> Store::reloadUnit(const Hash128 &Object) {
  Statement S(P->DB, "SELECT working_dir, argv, files, decls FROM reload_units WHERE object = ?1");
  S.bind(1, Object);
  std::optional<ReloadUnit> U;
  if (S.step()) {
    U.emplace();
    U->Object = Object;
    U->WorkingDir = S.text(0);
    SmallVector<StringRef, 0> Parts;
    std::string Argv = S.text(1);
    StringRef(Argv).split(Parts, '\0', -1, /*KeepEmpty=*/true);
    for (size_t I = 0; I + 1 < Parts.size(); ++I)
      U->Argv.push_back(Parts[I].str());
    if (!parseStampLines(S.text(2), U->Files))
      return createStringError(inconvertibleErrorCode(),
                               "reload unit " + Object.toHex() + ": malformed file line");
    U->Decls = S.text(3);
  }
  if (Error E = S.check("reading a reload unit"))
    return std::move(E);
  return U;
}

Error Store::bump(StringRef Counter, int64_t Delta) { return bump({{Counter, Delta}}); }

Error Store::bump(ArrayRef<std::pair<StringRef, int64_t>> Deltas) {
  auto Bump = [&]() -> Error {
    Statement S(P->DB, "INSERT INTO counters VALUES(?1, ?2)"
                       " ON CONFLICT(name) DO UPDATE SET value = value + excluded.value");
    for (const auto &[Counter, Delta] : Deltas) {
      S.bind(1, Counter).bind(2, Delta).step();
      if (Error E = S.check("bumping " + Counter))
        return E;
      S.reset();
    }
    return Error::success();
  };
  // One statement needs no transaction of its own.
  return Deltas.size() == 1 ? Bump() : transaction(P->DB, Bump);
}

Expected<std::map<std::string, int64_t>> Store::counters() {
  Statement S(P->DB, "SELECT name, value FROM counters");
  std::map<std::string, int64_t> Counters;
  while (S.step())
    Counters[S.text(0)] = S.integer(1);
  if (Error E = S.check("reading counters"))
    return std::move(E);
  return Counters;
}

Error Store::zeroCounters() { return exec(P->DB, "UPDATE counters SET value = 0"); }

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
