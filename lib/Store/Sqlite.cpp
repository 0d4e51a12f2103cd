//===- Sqlite.cpp - The store's SQLite layer ------------------------------===//
//
// The out-of-line half of Sqlite.h: errors that name the database's file,
// statements run once, and transactions.
//
//===----------------------------------------------------------------------===//

#include "Sqlite.h"

#include "llvm/Support/FileSystem.h"

using namespace llvm;
namespace fs = llvm::sys::fs;

namespace hotast {

std::string markerPath(StringRef DBPath) { return (DBPath + ".checked").str(); }

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

Error exec(sqlite3 *DB, const char *SQL, const char *What) {
  char *Msg = nullptr;
  int RC = sqlite3_exec(DB, SQL, nullptr, nullptr, &Msg);
  std::string Text = Msg ? Msg : sqlite3_errstr(RC);
  sqlite3_free(Msg);
  return RC == SQLITE_OK ? Error::success() : sqliteError(DB, RC, What ? What : SQL, Text);
}

Error transaction(sqlite3 *DB, function_ref<Error()> Body) {
  if (!sqlite3_get_autocommit(DB))
    return Body(); // the caller's transaction commits or rolls back
  if (Error E = exec(DB, "BEGIN IMMEDIATE"))
    return E;
  Error E = Body();
  if (!E)
    E = exec(DB, "COMMIT");
  if (E)
    consumeError(exec(DB, "ROLLBACK"));
  return E;
}

Error readTransaction(sqlite3 *DB, function_ref<Error()> Body) {
  if (!sqlite3_get_autocommit(DB))
    return Body();
  if (Error E = exec(DB, "BEGIN"))
    return E;
  Error E = Body();
  consumeError(exec(DB, E ? "ROLLBACK" : "COMMIT"));
  return E;
}

Expected<std::string> queryText(sqlite3 *DB, const char *SQL) {
  Statement S(DB, SQL);
  std::string Value = S.step() ? S.text(0) : "";
  if (Error E = S.check(SQL))
    return std::move(E);
  return Value;
}

} // namespace hotast
