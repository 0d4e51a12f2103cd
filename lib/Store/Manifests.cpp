//===- Manifests.cpp - Direct-mode entries in the store -------------------===//
//
// The manifests table: each direct-mode entry with the files its compile
// read, looked up by direct key or by code key, the newest ManifestsPerKey
// of a key kept. `hotast plan` asks for the entries of a whole build at
// once (prefetchManifests), and one lookup a unit otherwise, through
// statements prepared once.
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace llvm;

namespace hotast {

constexpr int ManifestsPerKey = 16;

/// The columns of a manifests query after the key (when asked for), as
/// readManifestRows reads them.
constexpr const char *ManifestColumns =
    "id, fingerprint, stderr, depfile, working_dir, code_key, files";

/// Reads the rows of a manifests query, an entry each with its files
/// (DirectKey first when WithKey), into Add(key, id).
static Error readManifestRows(Statement &S, bool WithKey, StampPool *Pool,
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
    if (Error E = readManifestRows(S, /*WithKey=*/true, &P->Stamps,
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
                                              llvm::StringRef KeyColumn,
                                              const Hash128 &Key) {
  if (!Slot)
    Slot = std::make_unique<Statement>(DB, newestManifestsSQL(KeyColumn).c_str());
  Statement &S = *Slot;
  S.reset();
  S.bind(1, Key).bind(2, int64_t(ManifestsPerKey));
  ManifestList Entries;
  if (Error E = readManifestRows(S, /*WithKey=*/false, /*Pool=*/nullptr,
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
  return newestManifests(P->DB, P->Manifests, "direct_key", DirectKey);
}

Expected<ManifestList> Store::manifestsByCode(const Hash128 &CodeKey) {
  if (auto It = P->PrefetchedByCode.find(CodeKey); It != P->PrefetchedByCode.end())
    return It->second;
  return newestManifests(P->DB, P->ManifestsByCode, "code_key", CodeKey);
}

Error Store::addManifest(const Hash128 &DirectKey, const ManifestEntry &Entry,
                         function_ref<bool(const FileStamp &)> Kept) {
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
    if (Error E = writeFileStamps(P->DB, Entry.Files, Kept))
      return E;
    Statement Prune(P->DB, "DELETE FROM manifests WHERE id IN (SELECT id FROM manifests"
                           " WHERE direct_key = ?1 ORDER BY id DESC LIMIT -1 OFFSET ?2)");
    Prune.bind(1, DirectKey).bind(2, int64_t(ManifestsPerKey)).step();
    return Prune.check("pruning manifests");
  });
}

} // namespace hotast
