//===- Units.cpp - Each unit's last compile -------------------------------===//
//
// What the store keeps of a translation unit's last compile: its snapshot
// (fingerprint, declarations, files read), or, for a compile that ran
// another compiler without a parse, its unparsed record; which units use a
// declaration; whether its last compile after an include edit missed.
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

using namespace llvm;

namespace hotast {

/// Whether a row of the unit's declarations, as the statement read it
/// (ordinal, key, kind, name, file, line, hash, end line), holds Decl. A
/// row that does not read as the schema says differs (it is written again).
static bool sameRow(Statement &Row, const SnapshotDecl &Decl) {
  return Row.textRef(1) == Decl.Key && Row.textRef(2) == Decl.Kind &&
         Row.textRef(3) == Decl.Name && Row.textRef(4) == Decl.File &&
         Row.integer(5) == int64_t(Decl.Line) && Row.textRef(6) == Decl.Hash.toHex() &&
         Row.integer(7) == int64_t(Decl.EndLine);
}

Error Store::putSnapshot(const Hash128 &TUKey, const UnitSnapshot &Snapshot) {
  std::string Files = stampLines(Snapshot.Files);
  return transaction(P->DB, [&]() -> Error {
    Statement Snap(P->DB, "INSERT OR REPLACE INTO snapshots VALUES(?1, ?2, ?3)");
    Snap.bind(1, TUKey).bind(2, Snapshot.Fingerprint).bind(3, Files).step();
    Statement Unparsed(P->DB, "DELETE FROM unparsed_units WHERE tu_key = ?1");
    Unparsed.bind(1, TUKey).step();
    if (Error E = joinErrors(Snap.check("adding a snapshot"),
                             Unparsed.check("replacing an unparsed unit")))
      return E;
    // A unit's declarations change a few at a time between its compiles
    // (an edited body, the lines below an edit): only the rows that differ
    // are written, as the rows under the unit's key read now, inside this
    // transaction, say (each written row updates the by-key index too).
    std::vector<bool> Same(Snapshot.Decls.size(), false);
    Statement Old(P->DB, "SELECT ordinal, key, kind, name, file, line, hash, end_line"
                         " FROM snapshot_decls WHERE tu_key = ?1");
    Old.bind(1, TUKey);
    while (Old.step()) {
      int64_t I = Old.integer(0);
      if (I >= 0 && uint64_t(I) < Same.size())
        Same[size_t(I)] = sameRow(Old, Snapshot.Decls[size_t(I)]);
    }
    if (Error E = Old.check("reading a snapshot"))
      return E;
    Statement Del(P->DB, "DELETE FROM snapshot_decls WHERE tu_key = ?1 AND ordinal >= ?2");
    Del.bind(1, TUKey).bind(2, int64_t(Snapshot.Decls.size())).step();
    if (Error E = Del.check("replacing a snapshot"))
      return E;
    Statement D(P->DB,
                "INSERT OR REPLACE INTO snapshot_decls VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    for (size_t I = 0; I != Snapshot.Decls.size(); ++I) {
      if (Same[I])
        continue;
      const SnapshotDecl &Decl = Snapshot.Decls[I];
      D.bind(1, TUKey).bind(2, int64_t(I)).bind(3, Decl.Key).bind(4, Decl.Kind);
      D.bind(5, Decl.Name).bind(6, Decl.File).bind(7, int64_t(Decl.Line)).bind(8, Decl.Hash);
      D.bind(9, int64_t(Decl.EndLine));
      D.step();
      D.reset();
    }
    return D.check("adding snapshot declarations");
  });
}

Expected<std::optional<UnitSnapshot>> Store::snapshot(const Hash128 &TUKey) {
  Statement S(P->DB, "SELECT s.fingerprint, s.files, d.key, d.kind, d.name, d.file, d.line,"
                     " d.hash, d.end_line FROM snapshots s LEFT JOIN snapshot_decls d"
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
          {S.text(2), S.text(3), S.text(4), S.text(5), unsigned(S.integer(6)), S.hash(7),
           unsigned(S.integer(8))});
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

} // namespace hotast
