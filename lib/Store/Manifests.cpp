//===- Manifests.cpp - Direct-mode entries in the store -------------------===//
//
// The manifests table: each direct-mode entry with the files its compile
// read, looked up by direct key or by code key, the newest ManifestsPerKey
// of a key kept. `hotast plan` asks for the entries of a whole build at
// once (prefetchManifests), decoding only those whose files can still
// match, and one lookup a unit otherwise, through statements prepared once.
// The prefetch walks the index alone (manifests_by_key holds each entry's
// code key and others_key) and reads an entry's row only when no entry
// with the same later files was refused at one of them: finding a row
// costs SQLite about a microsecond, and after an edit a build's keys hold
// up to fifteen older entries each that cannot match.
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace llvm;

namespace hotast {

constexpr int ManifestsPerKey = 16;

/// The columns of a manifests query after the key (when asked for): an
/// entry's id, its fields (readEntryFields) and its files.
constexpr const char *ManifestColumns =
    "id, fingerprint, stderr, depfile, working_dir, code_key, names, files";

/// The fields of the entry in the current row of a manifests query, whose
/// ManifestColumns start at C, but its files.
static void readEntryFields(Statement &S, int C, ManifestEntry &E) {
  E.Fingerprint = S.hash(C + 1);
  E.Stderr = S.hash(C + 2);
  E.Depfile = S.text(C + 3);
  E.WorkingDir = S.text(C + 4);
  E.CodeKey = S.hash(C + 5);
  E.Names = S.hash(C + 6);
}

/// The entries of the rows of a manifests query (ManifestColumns), each
/// with its files.
static Expected<ManifestList> readManifestRows(Statement &S) {
  ManifestList Entries;
  while (S.step()) {
    auto E = std::make_shared<ManifestEntry>();
    readEntryFields(S, 0, *E);
    std::string Buffer;
    std::optional<llvm::StringRef> Blob = unpackStamps(S.blobRef(7), Buffer);
    if (!Blob || decodeStamps(*Blob, /*Pool=*/nullptr, E->Files) != DecodedStamps::Whole)
      S.malformed(7); // an entry whose files are unknown must not match
    Entries.push_back(std::move(E));
  }
  if (Error E = S.check("reading manifests"))
    return std::move(E);
  return Entries;
}

/// The newest ManifestsPerKey (?2) entries whose KeyColumn is ?1, with
/// their files, as readManifestRows reads them.
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

namespace {

/// A hash column whose value repeats from row to row (a key's entries come
/// together, and most share their code key): parsed when it changes.
class RepeatedHash {
public:
  const Hash128 &read(Statement &S, int I) {
    llvm::StringRef Hex = S.textRef(I);
    if (!Read || Hex != Last) {
      Read = true;
      Last = Hex.str();
      Value = S.hash(I);
    }
    return Value;
  }

private:
  bool Read = false;
  std::string Last;
  Hash128 Value;
};

/// Entries by id, newest first; none for an entry the filter left out
/// (its id still counts towards the newest ManifestsPerKey).
using EntryRows = std::vector<std::pair<int64_t, std::shared_ptr<const ManifestEntry>>>;

/// The entries of the newest ManifestsPerKey of Rows.
ManifestList newestEntries(const EntryRows &Rows) {
  ManifestList Out;
  for (size_t I = 0; I != Rows.size() && I != ManifestsPerKey; ++I)
    if (Rows[I].second)
      Out.push_back(Rows[I].second);
  return Out;
}

/// The entry in the current row of S (ManifestColumns), its files decoded
/// through Pool; none when Keep refuses one of its files (only those before
/// it are decoded), unless KeepSourceCode and it hasSourceCodeKey().
std::shared_ptr<const ManifestEntry> readPrefetched(Statement &S, StampPool &Pool,
                                                    llvm::function_ref<bool(const FileStamp &)> Keep,
                                                    bool KeepSourceCode) {
  // An entry that may be kept for its code key is decoded whole, and only
  // then asked about.
  StampList Files;
  std::string Buffer;
  std::optional<llvm::StringRef> Blob = unpackStamps(S.blobRef(7), Buffer);
  if (!Blob) {
    S.malformed(7); // an entry whose files are unknown must not match
    return nullptr;
  }
  switch (decodeStamps(*Blob, &Pool, Files, KeepSourceCode ? nullptr : Keep)) {
  case DecodedStamps::Malformed:
    S.malformed(7); // an entry whose files are unknown must not match
    return nullptr;
  case DecodedStamps::Refused:
    return nullptr;
  case DecodedStamps::Whole:
    break;
  }
  auto E = std::make_shared<ManifestEntry>();
  E->Files = std::move(Files);
  readEntryFields(S, 0, *E);
  if (Keep && KeepSourceCode && !E->hasSourceCodeKey() && !llvm::all_of(E->Files, Keep))
    return nullptr;
  return E;
}

} // namespace

Error Store::prefetchManifests(const std::vector<Hash128> &Keys, StampFilter MayMatch) {
  // A whole build's entries, spread over the table by the order they were
  // stored in: read in place from a mapping rather than copied a page at a
  // time (half the query's time). Best effort: without it, the same rows.
  consumeError(exec(P->DB, "PRAGMA mmap_size=268435456"));
  // The entries and their count, read from one snapshot.
  return readTransaction(P->DB, [&]() -> Error {
    // Every entry of each key, newest first, from the index alone (read
    // backwards: no sort of every row); an entry's row is read only when
    // it may be kept (below).
    Statement S(P->DB, "SELECT direct_key, id, code_key, others_key FROM manifests"
                       " WHERE direct_key IN (SELECT value FROM json_each(?1))"
                       " ORDER BY direct_key DESC, id DESC");
    S.bind(1, jsonKeyList(Keys));
    Statement Row(P->DB, ("SELECT " + Twine(ManifestColumns) + " FROM manifests WHERE id = ?1")
                             .str()
                             .c_str());
    std::map<Hash128, EntryRows> Read, ByCode;
    for (const Hash128 &K : Keys)
      Read[K];
    RepeatedHash KeyColumn, CodeColumn;
    EntryRows *KeyRows = nullptr, *CodeRows = nullptr;
    Hash128 Key, Code;
    // The stamp MayMatch refused last, and at which of the entry's files.
    const FileStamp *Refused = nullptr;
    size_t Asked = 0;
    auto Keep = [&](const FileStamp &F) {
      ++Asked;
      if (MayMatch(Key, F))
        return true;
      Refused = &F;
      return false;
    };
    llvm::function_ref<bool(const FileStamp &)> Filter = nullptr;
    if (MayMatch)
      Filter = Keep;
    // By others_key, a stamp after the source that MayMatch refused in an
    // entry with those later files: every entry with them holds it. After
    // an edit of a header that a build's units read alike, each of their
    // keys' older entries is refused by it, without its row.
    std::map<Hash128, const FileStamp *> RefusedLater;
    // Whether the key's newest entry with its source's code key was read.
    bool SourceCodeKeyRead = false;
    while (S.step()) {
      if (const Hash128 &K = KeyColumn.read(S, 0); !KeyRows || K != Key) {
        Key = K;
        KeyRows = &Read[K];
        SourceCodeKeyRead = false;
      }
      int64_t Id = S.integer(1);
      if (const Hash128 &C = CodeColumn.read(S, 2); !CodeRows || C != Code) {
        Code = C;
        CodeRows = C.isZero() ? nullptr : &ByCode[C];
      }
      bool Whole = !SourceCodeKeyRead && !Code.isZero();
      Hash128 Others = S.hash(3);
      std::shared_ptr<const ManifestEntry> Entry;
      auto Known = Filter && !Whole ? RefusedLater.find(Others) : RefusedLater.end();
      if (Known == RefusedLater.end() || MayMatch(Key, *Known->second)) {
        Row.reset();
        Row.bind(1, Id);
        if (Row.step()) {
          Refused = nullptr;
          Asked = 0;
          Entry = readPrefetched(Row, P->Stamps, Filter, Whole);
          // The source is the first file, and not in others_key.
          if (!Entry && Refused && Asked > 1)
            RefusedLater.try_emplace(Others, Refused);
        }
        if (Error E = Row.check("reading a manifest"))
          return E;
      }
      SourceCodeKeyRead |= Entry && Entry->hasSourceCodeKey();
      KeyRows->emplace_back(Id, Entry);
      if (CodeRows)
        CodeRows->emplace_back(Id, Entry);
    }
    if (Error E = S.check("reading manifests"))
      return E;
    // A source as it was for one of its entries asks for the entries of
    // their code keys (manifestsByCode). Those whose every entry was read
    // above (the index counts them) are answered from here too: the same
    // entries, in both lists.
    std::vector<Hash128> CodeKeys;
    for (const auto &[C, Rows] : ByCode)
      CodeKeys.push_back(C);
    Statement Count(P->DB, "SELECT code_key, count(*) FROM manifests"
                           " WHERE code_key IN (SELECT value FROM json_each(?1))"
                           " GROUP BY code_key");
    Count.bind(1, jsonKeyList(CodeKeys));
    std::map<Hash128, ManifestList> Complete;
    while (Count.step()) {
      auto It = ByCode.find(Count.hash(0));
      if (It == ByCode.end() || int64_t(It->second.size()) != Count.integer(1))
        continue;
      EntryRows &Rows = It->second;
      llvm::sort(Rows, [](const auto &A, const auto &B) { return A.first > B.first; });
      Complete[It->first] = newestEntries(Rows);
    }
    if (Error E = Count.check("counting manifests"))
      return E;
    P->Prefetched.clear();
    for (const auto &[K, Rows] : Read)
      P->Prefetched[K] = newestEntries(Rows);
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
  auto Entries = readManifestRows(S);
  if (!Entries)
    Slot.reset(); // prepared afresh next time
  else
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
                       " working_dir, code_key, others_key, files, names)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    std::string Files = encodeStamps(Entry.Files);
    M.bind(1, DirectKey).bind(2, Entry.Fingerprint).bind(3, Entry.Stderr);
    M.bind(4, Entry.Depfile).bind(5, Entry.WorkingDir).bind(6, Entry.CodeKey);
    M.bind(7, hashBytes(laterStamps(Files))).bindBlob(8, packStamps(Files));
    M.bind(9, Entry.Names).step();
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
