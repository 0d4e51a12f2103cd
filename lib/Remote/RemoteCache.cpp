//===- RemoteCache.cpp - The cache shared through Redis -------------------===//
//
// Keys: "hotast:<version>:<kind>:<hex>", kind b (a blob by content hash), r
// (a semantic result by fingerprint), m (a list of direct-mode manifest
// entries by direct key, the newest ManifestsKept). The version is that of
// the kind's payload: a format that changes moves its kind to new keys, so
// that hotasts of both formats share the rest (b and r are at 1; m is at 2
// since an entry carries its result).
//
// Values are framed (RemoteValue.cpp). Payloads of results and manifest
// entries are length-prefixed fields (Fields below); their paths are
// written by PortablePaths. A result: the object, stderr, silent, backend
// diagnostics, the depfile, its view, the tokens. A manifest entry: its
// files' stamp lines, the fingerprint, stderr, the depfile, the working
// directory, and the result's payload (empty when its writer had none).
//
//===----------------------------------------------------------------------===//

#include "hotast/Remote/RemoteCache.h"
#include "hotast/Remote/RemoteValue.h"

#include "hotast/Support/AtomicFile.h"
#include "hotast/Remote/Redis.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <ctime>
#include <utility>
#include <unistd.h>

namespace hotast {

static constexpr unsigned ManifestsKept = 16;

static llvm::Error fail(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

namespace {

/// Length-prefixed fields, read back with bounds checks.
struct Fields {
  std::string Out;
  llvm::StringRef In;
  bool Bad = false;

  void put(llvm::StringRef S) {
    putNumber(S.size());
    Out += S;
  }
  void putNumber(uint64_t V) {
    for (int I = 0; I != 8; ++I)
      Out += char(V >> (8 * I));
  }
  void put(const Hash128 &H) { put(H.toHex()); }

  uint64_t number() {
    if (Bad || In.size() < 8)
      return Bad = true, 0;
    uint64_t V = 0;
    for (int I = 0; I != 8; ++I)
      V |= uint64_t(uint8_t(In[I])) << (8 * I);
    In = In.drop_front(8);
    return V;
  }
  llvm::StringRef text() {
    uint64_t N = number();
    if (Bad || N > In.size())
      return Bad = true, llvm::StringRef();
    llvm::StringRef S = In.take_front(N);
    In = In.drop_front(N);
    return S;
  }
  Hash128 hash() {
    Hash128 H;
    if (!Hash128::fromHex(text(), H))
      Bad = true;
    return H;
  }
};

std::string blobKey(const Hash128 &H) { return "hotast:1:b:" + H.toHex(); }
std::string resultKey(const Hash128 &H) { return "hotast:1:r:" + H.toHex(); }
std::string manifestKey(const Hash128 &H) { return "hotast:2:m:" + H.toHex(); }

/// A result's payload.
std::string resultPayload(const CachedResult &Result, const PortablePaths &Paths) {
  Fields F;
  F.put(Result.Object);
  F.put(Result.Stderr);
  F.putNumber(Result.Silent);
  F.putNumber(Result.BackendDiagnostics);
  F.put(Paths.portable(Result.Depfile));
  F.put(Result.DepfileView);
  F.put(Result.Tokens);
  return std::move(F.Out);
}

/// The result a payload holds, when it is one.
std::optional<CachedResult> parseResult(llvm::StringRef Payload, const PortablePaths &Paths) {
  Fields F{"", Payload};
  CachedResult Result;
  Result.Object = F.hash();
  Result.Stderr = F.hash();
  Result.Silent = F.number();
  Result.BackendDiagnostics = F.number();
  std::optional<std::string> Depfile = Paths.local(F.text());
  Result.DepfileView = F.hash();
  Result.Tokens = F.hash();
  if (F.Bad || !F.In.empty() || !Depfile)
    return std::nullopt;
  Result.Depfile = std::move(*Depfile);
  return Result;
}

/// True while compiles rest after an error (the file holds until when).
bool resting(llvm::StringRef RestingFile) {
  auto Buf = llvm::MemoryBuffer::getFile(RestingFile);
  int64_t Until = 0;
  return Buf && !(*Buf)->getBuffer().trim().getAsInteger(10, Until) &&
         Until > int64_t(std::time(nullptr));
}

} // namespace

RemoteCache::RemoteCache(const RemoteConfig &R, llvm::StringRef CacheDir, PortablePaths Paths,
                         Logger Log)
    : R(R), RestingFile((CacheDir + "/remote-resting").str()), Paths(std::move(Paths)),
      Log(std::move(Log)) {}
RemoteCache::~RemoteCache() = default;

std::unique_ptr<RemoteCache> RemoteCache::open(const RemoteConfig &R, llvm::StringRef CacheDir,
                                               PortablePaths Paths, Logger Log) {
  if (R.URL.empty() || resting((CacheDir + "/remote-resting").str()))
    return nullptr;
  return std::unique_ptr<RemoteCache>(
      new RemoteCache(R, CacheDir, std::move(Paths), std::move(Log)));
}

int64_t RemoteCache::millisecondsSpent() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Spent).count();
}

void RemoteCache::failed(llvm::Error E) {
  ++Errors;
  Broken = true;
  Client.reset();
  Log("remote cache: " + llvm::toString(std::move(E)) + "; not asked again for " +
      llvm::Twine(R.RetrySeconds) + " s");
  if (R.RetrySeconds) {
    std::string Until = std::to_string(int64_t(std::time(nullptr)) + R.RetrySeconds);
    // Best effort: a compile that cannot write it only asks again.
    llvm::consumeError(writeFileAtomically(RestingFile, Until + "\n"));
  }
}

RedisClient *RemoteCache::client() {
  if (Broken)
    return nullptr;
  // The budget is time spent with Redis, not time since the first ask: a
  // compile between a lookup and a store does not count.
  auto Left = std::chrono::milliseconds(R.TimeoutMs - std::min(R.SpentMs, R.TimeoutMs)) -
              std::chrono::duration_cast<std::chrono::milliseconds>(Spent);
  auto Deadline = std::chrono::steady_clock::now() + Left;
  if (Client) {
    Client->setDeadline(Deadline);
    return Client.get();
  }
  auto URL = RedisURL::parse(R.URL);
  if (!URL) {
    failed(URL.takeError());
    return nullptr;
  }
  auto Start = std::chrono::steady_clock::now();
  auto Made = RedisClient::connect(*URL, Deadline);
  Spent += std::chrono::steady_clock::now() - Start;
  if (!Made) {
    failed(Made.takeError());
    return nullptr;
  }
  Client = std::move(*Made);
  return Client.get();
}

/// Times one exchange with Redis; an error ends the remote cache's part.
template <typename Fn> static auto timed(std::chrono::steady_clock::duration &Spent, Fn F) {
  auto Start = std::chrono::steady_clock::now();
  auto R = F();
  Spent += std::chrono::steady_clock::now() - Start;
  return R;
}

std::optional<RemoteBlob> RemoteCache::fetch(llvm::StringRef Key) {
  Asked = true;
  RedisClient *Redis = client();
  if (!Redis)
    return std::nullopt;
  auto Value = timed(Spent, [&] { return Redis->get(Key); });
  if (!Value) {
    failed(Value.takeError());
    return std::nullopt;
  }
  return checked(Key, std::move(*Value));
}

std::optional<RemoteBlob> RemoteCache::checked(llvm::StringRef Key,
                                               std::optional<std::string> Value) {
  if (!Value)
    return std::nullopt;
  auto Blob = openValue(Key, std::move(*Value), R.Key);
  if (!Blob) {
    Log("remote cache: " + Key + " ignored: " + llvm::toString(Blob.takeError()));
    return std::nullopt;
  }
  return std::move(*Blob);
}

/// The payload of a value fetched whole (results: small), or none (logged).
std::optional<std::string> RemoteCache::fetchBytes(llvm::StringRef Key) {
  std::optional<RemoteBlob> Blob = fetch(Key);
  if (!Blob)
    return std::nullopt;
  auto Bytes = std::move(*Blob).bytes();
  if (!Bytes) {
    Log("remote cache: " + Key + " ignored: " + llvm::toString(Bytes.takeError()));
    return std::nullopt;
  }
  return std::move(*Bytes);
}

std::optional<RemoteBlob> RemoteCache::blob(const Hash128 &Key) { return fetch(blobKey(Key)); }

std::vector<std::optional<RemoteBlob>> RemoteCache::blobs(llvm::ArrayRef<Hash128> Keys) {
  Asked = true;
  std::vector<std::optional<RemoteBlob>> Out(Keys.size());
  RedisClient *Redis = client();
  if (!Redis)
    return Out;
  std::vector<std::string> RedisKeys;
  for (const Hash128 &K : Keys)
    RedisKeys.push_back(blobKey(K));
  auto Values = timed(Spent, [&] { return Redis->getAll(RedisKeys); });
  if (!Values) {
    failed(Values.takeError());
    return Out;
  }
  for (size_t I = 0; I != Keys.size(); ++I)
    Out[I] = checked(RedisKeys[I], std::move((*Values)[I]));
  return Out;
}

void RemoteCache::rejected(const Hash128 &Key) {
  Log("remote cache: blob " + Key.toHex() + " ignored: its content has another hash");
}

std::optional<CachedResult> RemoteCache::result(const Hash128 &Fingerprint) {
  std::optional<std::string> Payload = fetchBytes(resultKey(Fingerprint));
  if (!Payload)
    return std::nullopt;
  return parseResult(*Payload, Paths);
}

std::optional<std::vector<RemoteEntry>> RemoteCache::manifests(const Hash128 &DirectKey,
                                                               Entries Which) {
  Asked = true;
  RedisClient *Redis = client();
  if (!Redis)
    return std::nullopt;
  std::string Key = manifestKey(DirectKey);
  bool Newest = Which == Entries::Newest;
  auto Values = timed(Spent, [&] { return Redis->list(Key, Newest ? -1 : 0, Newest ? -1 : -2); });
  if (!Values) {
    failed(Values.takeError());
    return std::nullopt;
  }
  if (Values->empty())
    return std::nullopt;
  std::vector<RemoteEntry> Out;
  // Newest first, as the local store answers.
  for (auto It = Values->rbegin(); It != Values->rend(); ++It) {
    auto Payload = unframeValue(Key, std::move(*It), R.Key);
    if (!Payload) {
      Log("remote cache: an entry of " + Key + " ignored: " + llvm::toString(Payload.takeError()));
      continue;
    }
    Fields F{"", *Payload};
    RemoteEntry Got;
    ManifestEntry &E = Got.Entry;
    std::vector<FileStamp> Files;
    std::optional<std::string> Stamps = Paths.local(F.text());
    E.Fingerprint = F.hash();
    E.Stderr = F.hash();
    std::optional<std::string> Depfile = Paths.local(F.text());
    E.WorkingDir = F.text().str();
    llvm::StringRef Result = F.text();
    if (F.Bad || !F.In.empty() || !Stamps || !Depfile || !parseStampLines(*Stamps, Files))
      continue;
    if (!Result.empty() && !(Got.Result = parseResult(Result, Paths)))
      continue;
    E.Depfile = std::move(*Depfile);
    // Another machine's clock says nothing here.
    for (FileStamp &S : Files)
      S.MTimeNs = 0;
    E.Files = StampList(std::move(Files));
    Out.push_back(std::move(Got));
  }
  return Out;
}

void RemoteCache::putBlob(const Hash128 &Key, llvm::StringRef Bytes) {
  if (readOnly())
    return;
  if (RedisClient *Redis = client()) {
    std::string K = blobKey(Key);
    if (llvm::Error E = timed(Spent, [&] { return Redis->set(K, frameValue(K, Bytes, R.Key)); }))
      failed(std::move(E));
  }
}

void RemoteCache::putResult(const Hash128 &Fingerprint, const CachedResult &Result) {
  if (readOnly())
    return;
  RedisClient *Redis = client();
  if (!Redis)
    return;
  std::string K = resultKey(Fingerprint);
  std::string Payload = resultPayload(Result, Paths);
  if (llvm::Error E = timed(Spent, [&] { return Redis->set(K, frameValue(K, Payload, R.Key)); }))
    failed(std::move(E));
}

void RemoteCache::addManifest(const Hash128 &DirectKey, const ManifestEntry &Entry,
                              const std::optional<CachedResult> &Result) {
  if (readOnly())
    return;
  RedisClient *Redis = client();
  if (!Redis)
    return;
  Fields F;
  F.put(Paths.portable(stampLines(Entry.Files)));
  F.put(Entry.Fingerprint);
  F.put(Entry.Stderr);
  F.put(Paths.portable(Entry.Depfile));
  F.put(Entry.WorkingDir);
  F.put(Result ? resultPayload(*Result, Paths) : std::string());
  std::string K = manifestKey(DirectKey);
  if (llvm::Error E = timed(Spent, [&] {
        return Redis->append(K, frameValue(K, F.Out, R.Key), ManifestsKept);
      }))
    failed(std::move(E));
}

} // namespace hotast
