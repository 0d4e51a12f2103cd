//===- StoreTest.cpp - The SQLite store: round trips, recovery, sharing ---===//
//
// Each test opens a store in its own temporary directory. Damaged databases
// are made by hand (garbage, a patched header, overwritten pages) to check
// that open() sets them aside instead of failing or trusting them, and forked
// processes check that concurrent writers lose nothing.
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include <set>

#include "TestErrors.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace hotast;
using namespace llvm;
namespace fs = llvm::sys::fs;

// Found by argument-dependent lookup, so they live beside the types.
namespace hotast {
bool operator==(const FileStamp &A, const FileStamp &B) {
  return A.Path == B.Path && A.Size == B.Size && A.MTimeNs == B.MTimeNs &&
         A.Content == B.Content && A.Code == B.Code && A.CodeFixedLines == B.CodeFixedLines &&
         A.CodeLeftOut == B.CodeLeftOut;
}
bool operator==(const StampList &A, const StampList &B) {
  return std::equal(A.begin(), A.end(), B.begin(), B.end());
}
bool operator==(const SnapshotDecl &A, const SnapshotDecl &B) {
  return A.Key == B.Key && A.Kind == B.Kind && A.Name == B.Name && A.File == B.File &&
         A.Line == B.Line && A.Hash == B.Hash;
}
} // namespace hotast

namespace {

Hash128 h(StringRef S) { return hashBytes(S); }

/// The entries of a list, copied (to compare them).
std::vector<ManifestEntry> copies(const ManifestList &List) {
  std::vector<ManifestEntry> Out;
  for (const auto &E : List)
    Out.push_back(*E);
  return Out;
}

ManifestEntry entry(StringRef Fingerprint, int Files = 2) {
  ManifestEntry E;
  E.Fingerprint = h(Fingerprint);
  E.Stderr = h((Fingerprint + "stderr").str());
  E.Depfile = "out.o: /src/a.cpp \\\n /src/" + Fingerprint.str() + ".h\n";
  // Paths with the bytes a directory stamp and an odd name hold, code lines
  // (and macros they leave out) for some files: the stored files are the
  // same bytes.
  for (int I = 0; I != Files; ++I)
    E.Files.push_back({"/src/f" + std::to_string(I) + (I % 2 ? "\1x\n.h" : ".h"),
                       uint64_t(100 + I), int64_t(1700000000123456789 + I),
                       h((Fingerprint + Twine(I)).str()),
                       I % 2 ? h((Fingerprint + "code" + Twine(I)).str()) : Hash128(),
                       uint32_t(I % 2 ? I + 2 : 0),
                       I % 2 ? "LIMIT TWICE_" + std::to_string(I) : ""});
  return E;
}

class StoreTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(fs::createUniqueDirectory("hotast-store", Dir));
    DBPath = (Dir + "/hotast.db").str();
  }
  void TearDown() override { fs::remove_directories(Dir); }

  std::unique_ptr<Store> open() {
    auto S = Store::open(Dir);
    if (!S) {
      ADD_FAILURE() << toString(S.takeError());
      return nullptr;
    }
    return std::move(*S);
  }
  /// Files in Dir whose name starts with Prefix.
  std::vector<std::string> filesStartingWith(StringRef Prefix) {
    std::vector<std::string> Found;
    std::error_code EC;
    for (fs::directory_iterator I(Dir, EC), E; !EC && I != E; I.increment(EC))
      if (sys::path::filename(I->path()).starts_with(Prefix))
        Found.push_back(I->path());
    return Found;
  }

  /// Databases set aside (each may bring its -wal and -shm along).
  std::vector<std::string> setAsideDatabases() {
    std::vector<std::string> Found;
    for (const std::string &F : filesStartingWith("hotast.db.corrupt."))
      if (!StringRef(F).ends_with("-wal") && !StringRef(F).ends_with("-shm"))
        Found.push_back(F);
    return Found;
  }

  SmallString<128> Dir;
  std::string DBPath;
};

TEST_F(StoreTest, ManifestsRoundTripNewestFirst) {
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_TRUE(expectOk(S->manifests(h("key"))).empty());
  for (StringRef FP : {"fp1", "fp2", "fp3"})
    expectOk(S->addManifest(h("key"), entry(FP)));
  ManifestEntry Bare = entry("fp4", 0); // Read no files, printed nothing, no depfile.
  Bare.Stderr = Hash128();
  Bare.Depfile.clear();
  expectOk(S->addManifest(h("other key"), Bare));

  std::vector<ManifestEntry> Got = copies(expectOk(S->manifests(h("key"))));
  ASSERT_EQ(Got.size(), 3u);
  EXPECT_EQ(Got[0].Fingerprint, h("fp3"));
  EXPECT_EQ(Got[1].Fingerprint, h("fp2"));
  EXPECT_EQ(Got[2].Fingerprint, h("fp1"));
  EXPECT_EQ(Got[0].Files, entry("fp3").Files);
  EXPECT_EQ(Got[2].Files, entry("fp1").Files);
  EXPECT_EQ(Got[0].Stderr, h("fp3stderr"));
  EXPECT_EQ(Got[0].Depfile, entry("fp3").Depfile);
  EXPECT_EQ(Got[2].Depfile, entry("fp1").Depfile);

  Got = copies(expectOk(S->manifests(h("other key"))));
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(Got[0].Fingerprint, h("fp4"));
  EXPECT_TRUE(Got[0].Files.empty());
  EXPECT_TRUE(Got[0].Stderr.isZero());
  EXPECT_EQ(Got[0].Depfile, "");
}

TEST_F(StoreTest, LargeEntriesRoundTripCompressed) {
  // Hundreds of headers with long paths and left-out lists, the entries
  // whose blob the table keeps compressed (StampBlob.h's packStamps): both
  // ways of reading it (a compile's lookup, a plan's prefetch) give it back
  // whole. (Whether it was compressed is not visible here; a real entry's
  // blob was checked by hand: docs/benchmarks.md.)
  ManifestEntry Big = entry("big", 400);
  for (size_t I = 0; I != Big.Files.size(); ++I) {
    FileStamp F = Big.Files[I];
    F.CodeLeftOut = "LIMIT TWICE ~ 1-3 " + std::to_string(I) + "-" + std::to_string(I + 4);
    Big.Files.set(I, std::move(F));
  }
  {
    auto S = open();
    ASSERT_TRUE(S);
    expectOk(S->addManifest(h("big key"), Big));
    std::vector<ManifestEntry> Got = copies(expectOk(S->manifests(h("big key"))));
    ASSERT_EQ(Got.size(), 1u);
    EXPECT_EQ(Got[0].Files, Big.Files);
  }
  auto Prefetched = open();
  ASSERT_TRUE(Prefetched);
  expectOk(Prefetched->prefetchManifests({h("big key")}));
  std::vector<ManifestEntry> Got = copies(expectOk(Prefetched->manifests(h("big key"))));
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(Got[0].Files, Big.Files);
}

TEST_F(StoreTest, EntriesShareTheStampsTheyHaveInCommon) {
  auto S = open();
  ASSERT_TRUE(S);
  // Two entries of one unit before and after a header edit: the source's
  // stamp is the same, the header's is not.
  ManifestEntry Before = entry("before"), After = entry("after");
  After.Files = StampList{Before.Files[0], After.Files[1]};
  expectOk(S->addManifest(h("key"), Before));
  expectOk(S->addManifest(h("key"), After));
  expectOk(S->addManifest(h("other key"), Before));
  // Read together, as `hotast plan` reads a build's entries.
  expectOk(S->prefetchManifests({h("key"), h("other key")}));
  ManifestList Got = expectOk(S->manifests(h("key")));
  ManifestList Other = expectOk(S->manifests(h("other key")));
  ASSERT_EQ(Got.size(), 2u);
  ASSERT_EQ(Other.size(), 1u);
  EXPECT_EQ(Got[0]->Files, After.Files);
  EXPECT_EQ(Got[1]->Files, Before.Files);
  EXPECT_EQ(&Got[0]->Files[0], &Got[1]->Files[0]);
  EXPECT_NE(&Got[0]->Files[1], &Got[1]->Files[1]);
  EXPECT_EQ(&Other[0]->Files[1], &Got[1]->Files[1]); // across keys too
  // A list is a value: replacing a stamp leaves the lists that share it.
  ManifestEntry Copy = *Got[1];
  Copy.Files.set(0, entry("else").Files[0]);
  EXPECT_EQ(Got[1]->Files, Before.Files);
  EXPECT_FALSE(Copy.Files == Before.Files);
}

TEST_F(StoreTest, ManifestsKeepTheNewest16) {
  auto S = open();
  ASSERT_TRUE(S);
  for (int I = 0; I != 20; ++I)
    expectOk(S->addManifest(h("key"), entry("fp" + std::to_string(I), 3)));
  std::vector<ManifestEntry> Got = copies(expectOk(S->manifests(h("key"))));
  ASSERT_EQ(Got.size(), 16u);
  for (int I = 0; I != 16; ++I) {
    std::string FP = "fp" + std::to_string(19 - I);
    EXPECT_EQ(Got[I].Fingerprint, h(FP)) << I;
    EXPECT_EQ(Got[I].Files, entry(FP, 3).Files) << I; // Pruning kept their files.
  }
}

// `hotast plan` reads every unit's entries in one query; the answers must be
// the ones each lookup gives alone: the same entries, newest first, each
// with its files in order, the newest 16 of a key, every entry of a code key
// (some under keys not asked for), and a written entry seen at once.
TEST_F(StoreTest, PrefetchedManifestsAnswerAsTheLookups) {
  auto Writer = open();
  ASSERT_TRUE(Writer);
  auto WithCode = [](StringRef FP, StringRef Code) {
    ManifestEntry E = entry(FP, 3);
    E.CodeKey = Code.empty() ? Hash128() : h(Code);
    return E;
  };
  for (int I = 0; I != 20; ++I) // past the 16 kept of a code key
    expectOk(Writer->addManifest(h(I % 2 ? "a" : "c"), WithCode("a" + std::to_string(I), "code a")));
  expectOk(Writer->addManifest(h("b"), WithCode("b0", "")));
  expectOk(Writer->addManifest(h("b"), WithCode("b1", "code b")));
  expectOk(Writer->addManifest(h("d"), WithCode("d0", "code d"))); // not asked for

  auto Fingerprints = [](const std::vector<ManifestEntry> &Es) {
    std::vector<Hash128> Out;
    for (const ManifestEntry &E : Es)
      Out.push_back(E.Fingerprint);
    return Out;
  };
  auto Alone = open();
  auto Prefetched = open();
  ASSERT_TRUE(Alone && Prefetched);
  expectOk(Prefetched->prefetchManifests({h("a"), h("b"), h("none")}));
  for (const char *K : {"a", "b", "c", "d", "none"}) {
    auto Want = copies(expectOk(Alone->manifests(h(K))));
    auto Got = copies(expectOk(Prefetched->manifests(h(K))));
    EXPECT_EQ(Fingerprints(Got), Fingerprints(Want)) << K;
    for (size_t I = 0; I != std::min(Got.size(), Want.size()); ++I) {
      EXPECT_EQ(Got[I].Files, Want[I].Files) << K << " " << I;
      EXPECT_EQ(Got[I].CodeKey, Want[I].CodeKey) << K << " " << I;
    }
  }
  for (const char *Code : {"code a", "code b", "code d", "code none"}) {
    auto Want = copies(expectOk(Alone->manifestsByCode(h(Code))));
    auto Got = copies(expectOk(Prefetched->manifestsByCode(h(Code))));
    EXPECT_EQ(Fingerprints(Got), Fingerprints(Want)) << Code;
    for (size_t I = 0; I != std::min(Got.size(), Want.size()); ++I)
      EXPECT_EQ(Got[I].Files, Want[I].Files) << Code << " " << I;
  }
  // Both sides of the check: the lookups see entries of both keys.
  EXPECT_EQ(expectOk(Alone->manifestsByCode(h("code a"))).size(), 16u);
  EXPECT_EQ(expectOk(Alone->manifests(h("a"))).size(), 10u);

  expectOk(Prefetched->addManifest(h("a"), WithCode("a new", "code a")));
  EXPECT_EQ(expectOk(Prefetched->manifests(h("a")))[0]->Fingerprint, h("a new"));
  EXPECT_EQ(expectOk(Prefetched->manifestsByCode(h("code a")))[0]->Fingerprint, h("a new"));
}

// `hotast plan` reads a build's entries through a filter of the stamps that
// can still match: an entry with a stamp it refuses is left out of the
// lists by direct key and by code key, and the stamps after that one are
// not asked about; any other entry is there as the lookups give it. A key's
// newest entry whose code key is its source's is kept whatever the filter
// says (findCommentEdit takes the code key from it).
TEST_F(StoreTest, PrefetchLeavesOutEntriesWithAStampThatCannotMatch) {
  auto Writer = open();
  ASSERT_TRUE(Writer);
  // A unit's entries for states of its header, oldest first.
  auto Unit = [](StringRef State, StringRef Code, uint32_t SourceFixedLines = 0) {
    ManifestEntry E = entry(("fp " + State).str(), 0);
    E.Files = StampList{{"/src/a.cpp", 10, 1, h("a.cpp"), h("a.cpp code"), SourceFixedLines},
                        {"/src/h.h", 20, 2, h(State), h((State + " code").str()), 0},
                        {"/src/after " + State.str(), 30, 3, h("after"), Hash128(), 0}};
    E.CodeKey = Code.empty() ? Hash128() : h(Code);
    return E;
  };
  for (ManifestEntry E : {Unit("s1", "code"), Unit("s2", "code"), Unit("s3", ""),
                          Unit("s4", "code", /*SourceFixedLines=*/3)})
    expectOk(Writer->addManifest(h("key"), E));
  expectOk(Writer->addManifest(h("other"), Unit("o1", "")));
  expectOk(Writer->addManifest(h("other"), Unit("o2", "")));

  // Only the header's first states match, and only through the key asked.
  std::set<std::string> Asked;
  std::map<std::string, std::set<const FileStamp *>> Addresses;
  auto MayMatch = [&](const Hash128 &Key, const FileStamp &F) {
    std::string Name = F.Path + (F.Path == "/src/h.h" ? " " + F.Content.toHex() : "") +
                       (F.CodeFixedLines ? " fixed" : "");
    Asked.insert(Name);
    Addresses[Name].insert(&F);
    EXPECT_TRUE(Key == h("key") || Key == h("other"));
    return F.Path != "/src/h.h" || F.Content == h("s1") || F.Content == h("o1");
  };
  auto Filtered = open();
  ASSERT_TRUE(Filtered);
  expectOk(Filtered->prefetchManifests({h("key"), h("other")}, MayMatch));

  auto Fingerprints = [](const ManifestList &Es) {
    std::vector<Hash128> Out;
    for (const auto &E : Es)
      Out.push_back(E->Fingerprint);
    return Out;
  };
  // s2 names the source's code key (s4's source has fixed lines, s3 no code
  // key), s1 matches.
  ManifestList Key = expectOk(Filtered->manifests(h("key")));
  EXPECT_EQ(Fingerprints(Key), (std::vector<Hash128>{h("fp s2"), h("fp s1")}));
  EXPECT_EQ(Fingerprints(expectOk(Filtered->manifestsByCode(h("code")))),
            (std::vector<Hash128>{h("fp s2"), h("fp s1")}));
  EXPECT_EQ(Fingerprints(expectOk(Filtered->manifests(h("other")))),
            (std::vector<Hash128>{h("fp o1")}));
  // Those kept are whole, as a lookup reads them.
  auto Alone = open();
  ASSERT_TRUE(Alone);
  ManifestList Want = expectOk(Alone->manifests(h("key")));
  ASSERT_EQ(Want.size(), 4u);
  for (auto [Got, Wanted] : {std::pair{Key[0], Want[2]}, std::pair{Key[1], Want[3]}}) {
    EXPECT_EQ(Got->Files, Wanted->Files);
    EXPECT_EQ(Got->Stderr, Wanted->Stderr);
    EXPECT_EQ(Got->Depfile, Wanted->Depfile);
    EXPECT_EQ(Got->CodeKey, Wanted->CodeKey);
  }
  // Nothing after a refused stamp was asked about, and each stamp was given
  // at one address.
  EXPECT_FALSE(Asked.count("/src/after s3"));
  EXPECT_FALSE(Asked.count("/src/after o2"));
  EXPECT_TRUE(Asked.count("/src/after s1"));
  for (const auto &[Name, At] : Addresses)
    EXPECT_EQ(At.size(), 1u) << Name;
}

// Units that read the same headers in the same states have entries whose
// files after the source are the same (others_key): once one such entry is
// refused at a stamp after its source, another is refused by asking about
// that stamp alone, without its row (its source is not asked about). The
// lists are those the filter gives stamp by stamp: an entry is kept where
// the filter takes the stamp for its key, and a refusal at a source (not
// among the later files) refuses no other unit's entry.
TEST_F(StoreTest, PrefetchRefusesEntriesByTheLaterFilesTheyShare) {
  auto Writer = open();
  ASSERT_TRUE(Writer);
  auto Unit = [](StringRef Source, StringRef State) {
    ManifestEntry E = entry((Source + " " + State).str(), 0);
    E.Files = StampList{{("/src/" + Source).str(), 10, 1, h(Source), Hash128(), 0},
                        {"/src/h.h", 20, 2, h(State), Hash128(), 0},
                        {"/src", 0, 3, h("dir"), Hash128(), 0}};
    return E;
  };
  for (const char *Source : {"a.cpp", "b.cpp", "c.cpp"})
    for (const char *State : {"old", "new"}) // oldest first
      expectOk(Writer->addManifest(h(Source), Unit(Source, State)));
  // g.cpp changed since: its entry of the headers as they are now is
  // refused at its source. The store reads it first (keys in descending
  // order), before the entries with the same later files.
  expectOk(Writer->addManifest(h("g.cpp"), Unit("g.cpp", "new")));
  for (const char *Source : {"a.cpp", "b.cpp", "c.cpp"})
    ASSERT_GT(h("g.cpp").toHex(), h(Source).toHex());

  // The header is "new" now; c.cpp's compile takes "old" too (as if in
  // another command shape, where it has the code lines the file has).
  std::map<std::string, int> SourcesAsked;
  auto MayMatch = [&](const Hash128 &Key, const FileStamp &F) {
    if (F.Path.size() > 4 && StringRef(F.Path).ends_with(".cpp"))
      ++SourcesAsked[F.Path];
    if (F.Path == "/src/g.cpp")
      return false;
    return F.Path != "/src/h.h" || F.Content == h("new") || Key == h("c.cpp");
  };
  auto Filtered = open();
  ASSERT_TRUE(Filtered);
  expectOk(Filtered->prefetchManifests({h("a.cpp"), h("b.cpp"), h("c.cpp"), h("g.cpp")},
                                       MayMatch));
  auto Fingerprints = [](const ManifestList &Es) {
    std::vector<Hash128> Out;
    for (const auto &E : Es)
      Out.push_back(E->Fingerprint);
    return Out;
  };
  for (const char *Source : {"a.cpp", "b.cpp"})
    EXPECT_EQ(Fingerprints(expectOk(Filtered->manifests(h(Source)))),
              (std::vector<Hash128>{h(Source + std::string(" new"))}))
        << Source;
  EXPECT_EQ(Fingerprints(expectOk(Filtered->manifests(h("c.cpp")))),
            (std::vector<Hash128>{h("c.cpp new"), h("c.cpp old")}));
  EXPECT_TRUE(expectOk(Filtered->manifests(h("g.cpp"))).empty());
  // Of a.cpp's and b.cpp's "old" entries, the one read second was refused
  // by h.h's old stamp alone; c.cpp's were read, g.cpp's once.
  EXPECT_EQ(SourcesAsked["/src/a.cpp"] + SourcesAsked["/src/b.cpp"], 3);
  EXPECT_EQ(SourcesAsked["/src/c.cpp"], 2);
  EXPECT_EQ(SourcesAsked["/src/g.cpp"], 1);
}

TEST_F(StoreTest, ResultsRoundTrip) {
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_FALSE(expectOk(S->result(h("fp"))).has_value());
  CachedResult R{h("object"), h("stderr"), /*Silent=*/false, /*BackendDiagnostics=*/true};
  expectOk(S->putResult(h("fp"), R));
  std::optional<CachedResult> Got = expectOk(S->result(h("fp")));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(Got->Object, h("object"));
  EXPECT_EQ(Got->Stderr, h("stderr"));
  EXPECT_FALSE(Got->Silent);
  EXPECT_TRUE(Got->BackendDiagnostics);

  expectOk(S->putResult(h("fp"), CachedResult{h("object2"), Hash128(), true, false}));
  Got = expectOk(S->result(h("fp")));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(Got->Object, h("object2"));
  EXPECT_TRUE(Got->Stderr.isZero());
  EXPECT_TRUE(Got->Silent);
  EXPECT_FALSE(Got->BackendDiagnostics);
}

TEST_F(StoreTest, SnapshotsReplaceThePreviousOne) {
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_FALSE(expectOk(S->snapshot(h("tu"))).has_value());
  std::vector<SnapshotDecl> First = {
      {"c:@F@f#", "Function", "f", "/src/a.cpp", 3, h("f1")},
      {"c:@S@S", "CXXRecord", "S", "/src/a.h", 10, h("S1")},
      {"c:@F@g#", "Function", "g", "/src/a.cpp", 7, h("g1")}};
  std::vector<FileStamp> Files = {{"/src/a.cpp", 10, 123, h("a.cpp")},
                                  {"/src/a h.h", 20, 0, h("a.h")}};
  expectOk(S->putSnapshot(h("tu"), {h("fp1"), First, Files}));
  expectOk(S->putSnapshot(h("tu2"), {h("fp9"), {}, {}}));
  auto Got = expectOk(S->snapshot(h("tu")));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(Got->Fingerprint, h("fp1"));
  EXPECT_EQ(Got->Decls, First);
  ASSERT_EQ(Got->Files.size(), 2u);
  EXPECT_EQ(Got->Files[1].Path, "/src/a h.h");
  EXPECT_EQ(Got->Files[1].Content, h("a.h"));
  EXPECT_EQ(Got->Files[0].MTimeNs, 123);

  std::vector<SnapshotDecl> Second = {{"c:@F@f#", "Function", "f", "/src/a.cpp", 4, h("f2")}};
  expectOk(S->putSnapshot(h("tu"), {h("fp2"), Second, {}}));
  Got = expectOk(S->snapshot(h("tu")));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(Got->Fingerprint, h("fp2"));
  EXPECT_EQ(Got->Decls, Second);
  EXPECT_TRUE(Got->Files.empty());

  Got = expectOk(S->snapshot(h("tu2")));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(Got->Fingerprint, h("fp9"));
  EXPECT_TRUE(Got->Decls.empty());
}

TEST_F(StoreTest, UnparsedUnitsUntilASnapshot) {
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_FALSE(expectOk(S->unparsed(h("tu"))).has_value());
  EXPECT_FALSE(expectOk(S->hasSnapshot(h("tu"))));
  std::vector<FileStamp> Files = {{"/src/a.cpp", 10, 123, h("a.cpp")},
                                  {"/usr/include/stdc-predef.h", 20, 0, h("predef")}};
  expectOk(S->putUnparsed(h("tu"), {h("result"), Files}));
  expectOk(S->putUnparsed(h("tu2"), {h("result2"), {}}));
  auto Got = expectOk(S->unparsed(h("tu")));
  ASSERT_TRUE(Got.has_value());
  EXPECT_EQ(Got->Result, h("result"));
  EXPECT_EQ(Got->Files, Files);
  // A snapshot of the unit replaces the record; another unit keeps its own.
  expectOk(S->putSnapshot(h("tu"), {h("fp"), {}, Files}));
  EXPECT_TRUE(expectOk(S->hasSnapshot(h("tu"))));
  EXPECT_FALSE(expectOk(S->unparsed(h("tu"))).has_value());
  EXPECT_TRUE(expectOk(S->unparsed(h("tu2"))).has_value());
  expectOk(S->dropUnparsed(h("tu2")));
  EXPECT_FALSE(expectOk(S->unparsed(h("tu2"))).has_value());
  expectOk(S->putUnparsed(h("tu3"), {h("result3"), {}}));
  expectOk(S->clear());
  EXPECT_FALSE(expectOk(S->unparsed(h("tu3"))).has_value());
}

TEST_F(StoreTest, UnitsUsingADeclarationAreOneLookup) {
  auto S = open();
  ASSERT_TRUE(S);
  expectOk(S->putSnapshot(h("tu1"), {h("fp1"),
                                     {{"c:@F@f#", "function", "f", "/a.h", 1, h("f")},
                                      {"c:@S@S", "struct", "S", "/a.h", 2, h("S")}},
                                     {}}));
  expectOk(S->putSnapshot(h("tu2"), {h("fp2"), {{"c:@S@S", "struct", "S", "/a.h", 2, h("S'")}}, {}}));
  auto Uses = expectOk(S->unitsUsing({"c:@S@S", "c:@F@g#"}));
  ASSERT_EQ(Uses.size(), 2u);
  std::set<std::pair<std::string, std::string>> Got;
  for (const DeclUse &U : Uses)
    Got.insert({U.TUKey.toHex(), U.Hash.toHex()});
  EXPECT_EQ(Got, (std::set<std::pair<std::string, std::string>>{
                     {h("tu1").toHex(), h("S").toHex()}, {h("tu2").toHex(), h("S'").toHex()}}));
  EXPECT_EQ(expectOk(S->unitsUsing({"c:@F@f#"})).size(), 1u);
  EXPECT_TRUE(expectOk(S->unitsUsing({"c:@F@g#"})).empty());
  // A new snapshot of a unit replaces its uses.
  expectOk(S->putSnapshot(h("tu1"), {h("fp3"), {}, {}}));
  EXPECT_TRUE(expectOk(S->unitsUsing({"c:@F@f#"})).empty());
}

// A snapshot is written as the rows that differ from the unit's last one:
// each sequence below reads back whole, with every unit using a key as it
// says (a row changed, added, moved to another ordinal, or dropped).
TEST_F(StoreTest, SnapshotsReplacedRowByRow) {
  auto S = open();
  ASSERT_TRUE(S);
  auto Decl = [](const char *Key, const char *Hash, unsigned Line) {
    return SnapshotDecl{Key, "function", Key, "/a.h", Line, h(Hash), Line + 1};
  };
  std::vector<std::vector<SnapshotDecl>> States = {
      {Decl("f", "f1", 1), Decl("g", "g1", 3), Decl("k", "k1", 5)},
      {Decl("f", "f1", 1), Decl("g", "g2", 3), Decl("k", "k1", 5)},  // a body
      {Decl("f", "f1", 1), Decl("g", "g2", 4), Decl("k", "k1", 6), Decl("m", "m1", 8)},
      {Decl("n", "n1", 1), Decl("f", "f1", 2), Decl("g", "g2", 5)},  // shifted
      {Decl("f", "f1", 2)},
      {}};
  expectOk(S->putSnapshot(h("other"), {h("fpo"), {Decl("g", "go", 3)}, {}}));
  for (size_t N = 0; N != States.size(); ++N) {
    SCOPED_TRACE(N);
    expectOk(S->putSnapshot(h("tu"), {h("fp" + std::to_string(N)), States[N], {}}));
    auto Got = expectOk(S->snapshot(h("tu")));
    ASSERT_TRUE(Got.has_value());
    EXPECT_EQ(Got->Decls, States[N]);
    for (const char *Key : {"f", "g", "k", "m", "n"}) {
      std::set<std::string> Want, Uses;
      for (const SnapshotDecl &D : States[N])
        if (D.Key == Key)
          Want.insert(D.Hash.toHex());
      for (const DeclUse &U : expectOk(S->unitsUsing({Key})))
        if (U.TUKey == h("tu"))
          Uses.insert(U.Hash.toHex());
      EXPECT_EQ(Uses, Want) << Key;
    }
  }
  EXPECT_EQ(expectOk(S->unitsUsing({"g"})).size(), 1u); // the other unit's
}

TEST_F(StoreTest, FileStampsByPathReplacedAndCleared) {
  auto S = open();
  ASSERT_TRUE(S);
  FileStamp A{"/b/a.o", 10, 1700000000000000001, h("a")};
  FileStamp B{"/b/dir with space/b.o", 20, 1700000000000000002, h("b")};
  expectOk(S->keepFileStamps({A, B}));
  // Only the asked paths, each once; an unknown one has none.
  EXPECT_EQ(expectOk(S->fileStamps({"/b/a.o", "/b/none.o"})), std::vector<FileStamp>{A});
  EXPECT_EQ(expectOk(S->fileStamps({B.Path, A.Path})), (std::vector<FileStamp>{B, A}));
  FileStamp A2{"/b/a.o", 11, 1700000000000000003, h("a2")};
  expectOk(S->keepFileStamps({A2}));
  EXPECT_EQ(expectOk(S->fileStamps({"/b/a.o"})), std::vector<FileStamp>{A2});
  expectOk(S->clear());
  EXPECT_TRUE(expectOk(S->fileStamps({A.Path, B.Path})).empty());
}

TEST_F(StoreTest, AManifestKeepsTheStampsOfItsFilesWithTrustedTimes) {
  auto S = open();
  ASSERT_TRUE(S);
  ManifestEntry E;
  E.Fingerprint = h("fp");
  E.Files = {{"/src/a.h", 10, 1700000000000000001, h("a")},
             {"/src/new.h", 20, 0, h("new")},               // saved just now: no time
             {"rel/b.h", 30, 1700000000000000002, h("b")},  // relative
             {"/src/x.h", UINT64_MAX, 0, h("x")},           // saved while read
             {directoryStampPath("/src", {"c.h"}), 0, 1700000000000000003, h("dir")}};
  expectOk(S->addManifest(h("direct"), E));
  std::vector<std::string> All;
  for (const FileStamp &F : E.Files)
    All.push_back(F.Path);
  EXPECT_EQ(expectOk(S->fileStamps(All)), (std::vector<FileStamp>{E.Files[0], E.Files[4]}));
}

TEST_F(StoreTest, IncludeEditOutcomesPerUnitAndCleared) {
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_FALSE(expectOk(S->includeEditMissed(h("tu"))));
  expectOk(S->setIncludeEditMissed(h("tu"), true));
  EXPECT_TRUE(expectOk(S->includeEditMissed(h("tu"))));
  EXPECT_FALSE(expectOk(S->includeEditMissed(h("tu2"))));
  expectOk(S->setIncludeEditMissed(h("tu"), false));
  EXPECT_FALSE(expectOk(S->includeEditMissed(h("tu"))));
  expectOk(S->setIncludeEditMissed(h("tu"), true));
  expectOk(S->clear());
  EXPECT_FALSE(expectOk(S->includeEditMissed(h("tu"))));
}

TEST_F(StoreTest, CountersBumpAndZero) {
  auto S = open();
  ASSERT_TRUE(S);
  for (int I = 0; I != 3; ++I)
    expectOk(S->bump("direct_hit"));
  expectOk(S->bump("miss", 5));
  using Map = std::map<std::string, int64_t>;
  EXPECT_EQ(expectOk(S->counters()), (Map{{"direct_hit", 3}, {"miss", 5}}));
  expectOk(S->zeroCounters());
  EXPECT_EQ(expectOk(S->counters()), (Map{{"direct_hit", 0}, {"miss", 0}}));
  expectOk(S->bump("miss"));
  EXPECT_EQ(expectOk(S->counters())["miss"], 1);
}

TEST_F(StoreTest, ClearKeepsCountersAndDataSurvivesReopen) {
  {
    auto S = open();
    ASSERT_TRUE(S);
    expectOk(S->addManifest(h("key"), entry("fp")));
    expectOk(S->putResult(h("fp"), CachedResult{h("o"), Hash128(), true, false}));
    expectOk(S->putSnapshot(h("tu"), {h("fp"), {{"k", "Var", "v", "a.c", 1, h("v")}}, {}}));
    expectOk(S->bump("miss"));
  }
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_EQ(expectOk(S->manifests(h("key"))).size(), 1u);
  EXPECT_TRUE(expectOk(S->result(h("fp"))).has_value());
  expectOk(S->clear());
  EXPECT_TRUE(expectOk(S->manifests(h("key"))).empty());
  EXPECT_FALSE(expectOk(S->result(h("fp"))).has_value());
  EXPECT_FALSE(expectOk(S->snapshot(h("tu"))).has_value());
  EXPECT_EQ(expectOk(S->counters())["miss"], 1);
  EXPECT_EQ(expectOk(S->integrityCheck()), "ok");
}

TEST_F(StoreTest, GarbageDatabaseIsSetAside) {
  std::string Garbage(10000, 'x');
  std::ofstream(DBPath, std::ios::binary) << Garbage;
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_EQ(expectOk(S->integrityCheck()), "ok");
  expectOk(S->bump("miss"));
  EXPECT_EQ(expectOk(S->counters())["miss"], 1);
  std::vector<std::string> Aside = setAsideDatabases();
  ASSERT_EQ(Aside.size(), 1u);
  uint64_t Size = 0;
  EXPECT_FALSE(fs::file_size(Aside[0], Size));
  EXPECT_EQ(Size, Garbage.size());
}

TEST_F(StoreTest, OtherSchemaVersionIsSetAside) {
  {
    auto S = open();
    ASSERT_TRUE(S);
    expectOk(S->putResult(h("fp"), CachedResult{h("o"), Hash128(), true, false}));
    // Compiles keep the WAL; a checkpoint makes the file's header
    // authoritative. user_version is its big-endian word at 60.
    expectOk(S->checkpoint());
  }
  uint64_t WalSize = 0;
  fs::file_size(DBPath + "-wal", WalSize);
  ASSERT_EQ(WalSize, 0u);
  {
    std::fstream F(DBPath, std::ios::binary | std::ios::in | std::ios::out);
    F.seekp(60);
    F.write("\0\0\0\x63", 4); // 99
  }
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_FALSE(expectOk(S->result(h("fp"))).has_value());
  EXPECT_EQ(setAsideDatabases().size(), 1u);
  EXPECT_EQ(expectOk(S->integrityCheck()), "ok");
}

TEST_F(StoreTest, CorruptPagesAreFoundAndSetAside) {
  {
    auto S = open();
    ASSERT_TRUE(S);
    for (int I = 0; I != 500; ++I)
      expectOk(S->putResult(h("fp" + std::to_string(I)), CachedResult{h("o"), h("e"), true, false}));
    expectOk(S->checkpoint());
  }
  {
    // Overwrite everything after the first page (the header and schema).
    uint64_t Size = 0;
    ASSERT_FALSE(fs::file_size(DBPath, Size));
    ASSERT_GT(Size, 8192u);
    std::fstream F(DBPath, std::ios::binary | std::ios::in | std::ios::out);
    F.seekp(4096);
    F << std::string(Size - 4096, '\x5a');
  }
  {
    // The database was checked recently, so open() trusts it; the first read
    // of a bad page reports the damage and schedules a full check.
    auto S = open();
    ASSERT_TRUE(S);
    bool SawError = false;
    for (int I = 0; I != 500 && !SawError; ++I)
      SawError = isError(S->result(h("fp" + std::to_string(I))));
    EXPECT_TRUE(SawError);
  }
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_EQ(setAsideDatabases().size(), 1u);
  EXPECT_EQ(expectOk(S->integrityCheck()), "ok");
  EXPECT_FALSE(expectOk(S->result(h("fp1"))).has_value());
}

TEST_F(StoreTest, UnusableDirectoryIsAnError) {
  std::ofstream(std::string(Dir) + "/file") << "not a directory";
  EXPECT_TRUE(isError(Store::open((Dir + "/file/cache").str())));
}

TEST_F(StoreTest, WalStaysShortWhenCompilesRunOneAfterAnother) {
  // Each open here is alone, as a compile in its own process is: it
  // rebuilds the WAL's index from every frame since the WAL started over,
  // and counts none as copied, so SQLite's automatic checkpoint never
  // lets the WAL start over. 200 entries of 200 files, each written by an
  // open of its own (thousands of frames): the WAL is emptied on the way.
  uint64_t Longest = 0;
  for (int I = 0; I != 200; ++I) {
    {
      auto S = open();
      ASSERT_TRUE(S);
      expectOk(S->addManifest(h("key" + std::to_string(I)), entry("fp" + std::to_string(I), 200)));
    }
    uint64_t Size = 0;
    ASSERT_FALSE(fs::file_size(DBPath + "-wal", Size));
    Longest = std::max(Longest, Size);
  }
  EXPECT_LT(Longest, 2u << 20);
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_EQ(expectOk(S->manifests(h("key199"))).size(), 1u);
  EXPECT_EQ(expectOk(S->integrityCheck()), "ok");
}

TEST_F(StoreTest, ConcurrentProcessesLoseNothing) {
  // Sixteen processes create the database together, then bump one counter
  // and share one manifest key, as `ninja -j16` would.
  constexpr int Writers = 16, Bumps = 50;
  std::vector<pid_t> Children;
  for (int W = 0; W != Writers; ++W) {
    pid_t Pid = fork();
    ASSERT_GE(Pid, 0);
    if (Pid == 0) {
      auto S = Store::open(Dir);
      if (!S)
        _exit(2);
      for (int I = 0; I != Bumps; ++I) {
        if (isError((*S)->bump("miss")))
          _exit(3);
        if (I % 10 == 0) {
          if (isError((*S)->addManifest(h("key"), entry("fp" + std::to_string(W), 2))))
            _exit(4);
          auto M = (*S)->manifests(h("key"));
          if (!M)
            _exit(5);
          for (const auto &E : *M)
            if (E->Files.size() != 2) // An entry torn from its files.
              _exit(6);
        }
      }
      _exit(0);
    }
    Children.push_back(Pid);
  }
  for (pid_t Pid : Children) {
    int Status = 0;
    ASSERT_EQ(waitpid(Pid, &Status, 0), Pid);
    EXPECT_TRUE(WIFEXITED(Status) && WEXITSTATUS(Status) == 0) << "exit status " << Status;
  }
  auto S = open();
  ASSERT_TRUE(S);
  EXPECT_EQ(expectOk(S->counters())["miss"], Writers * Bumps);
  EXPECT_EQ(expectOk(S->manifests(h("key"))).size(), 16u);
  EXPECT_EQ(expectOk(S->integrityCheck()), "ok");
  EXPECT_TRUE(filesStartingWith("hotast.db.corrupt.").empty());
}

} // namespace
