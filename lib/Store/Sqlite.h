//===- Sqlite.h - The store's SQLite layer ----------------------*- C++ -*-===//
//
// What the store's files share to talk to SQLite: prepared statements whose
// first failure sticks, errors that tell a damaged file from a passing
// condition, and the two kinds of transaction. The only file that includes
// sqlite3.h. Internal to the store.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_STORE_SQLITE_H
#define HOTAST_LIB_STORE_SQLITE_H

#include "hotast/Support/Hash128.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <sqlite3.h>
#include <string>

namespace hotast {

/// The file whose time says when PRAGMA quick_check last passed (Store.cpp).
std::string markerPath(llvm::StringRef DBPath);

/// An SQLite failure; the code tells a damaged file (set it aside) from a
/// passing condition such as a lock held too long (just fall back).
class SqliteError : public llvm::ErrorInfo<SqliteError> {
public:
  static char ID;
  SqliteError(std::string Message, int Code) : Message(std::move(Message)), Code(Code) {}
  bool isDamage() const {
    return (Code & 0xff) == SQLITE_CORRUPT || (Code & 0xff) == SQLITE_NOTADB;
  }
  void log(llvm::raw_ostream &OS) const override { OS << Message; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::string Message;
  int Code;
};

/// An SqliteError for the database DB, naming its file; a damaged file's
/// check marker is removed.
llvm::Error sqliteError(sqlite3 *DB, int RC, const llvm::Twine &What, llvm::StringRef Message);

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

  Statement &bind(int I, llvm::StringRef V) {
    return note(S ? sqlite3_bind_text(S, I, V.data(), int(V.size()), SQLITE_TRANSIENT) : RC);
  }
  Statement &bind(int I, int64_t V) { return note(S ? sqlite3_bind_int64(S, I, V) : RC); }
  Statement &bind(int I, const Hash128 &H) { return bind(I, llvm::StringRef(H.toHex())); }
  Statement &bindBlob(int I, llvm::StringRef V) {
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
  llvm::StringRef textRef(int I) {
    const char *T = reinterpret_cast<const char *>(sqlite3_column_text(S, I));
    return T ? llvm::StringRef(T, sqlite3_column_bytes(S, I)) : llvm::StringRef();
  }
  /// The column's bytes, valid until the next step or column call.
  llvm::StringRef blobRef(int I) {
    const char *B = reinterpret_cast<const char *>(sqlite3_column_blob(S, I));
    return B ? llvm::StringRef(B, sqlite3_column_bytes(S, I)) : llvm::StringRef();
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
  llvm::Error check(const llvm::Twine &What) {
    return failed() ? sqliteError(DB, RC, What, Message) : llvm::Error::success();
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

/// Runs SQL, statements without results; What names it in an error.
llvm::Error exec(sqlite3 *DB, const char *SQL, const char *What = nullptr);

/// Runs Body in a write transaction, taking the write lock up front.
/// Within a transaction already open (Store::together), Body joins it.
llvm::Error transaction(sqlite3 *DB, llvm::function_ref<llvm::Error()> Body);

/// Body's reads as one snapshot of the database (a deferred transaction
/// takes no lock a writer waits for); within a transaction, part of it.
llvm::Error readTransaction(sqlite3 *DB, llvm::function_ref<llvm::Error()> Body);

/// The first column of the first row of a one-row query, as text.
llvm::Expected<std::string> queryText(sqlite3 *DB, const char *SQL);

} // namespace hotast

#endif
