//===- RemoteCache.cpp - The cache shared through Redis -------------------===//
//
// Keys: "hotast:1:<kind>:<hex>", kind b (a blob by content hash), r (a
// semantic result by fingerprint), m (a list of direct-mode manifest entries
// by direct key, the newest ManifestsKept).
//
// Values: "hotast1" (7 bytes), a flags byte (1: signed, 2: compressed), the
// XXH3-128 of the key and the stored payload (16 bytes), when signed the
// HMAC-SHA256 of the key and the stored payload under the team key (32
// bytes), then the stored payload. A compressed payload is stored as its
// size (8 bytes, little-endian) and its zstd frame: every payload of at
// least CompressFrom bytes that zstd makes smaller (objects shrink to a
// third or less, which is what a remote hit waits for). The frame and the
// signature cover the stored bytes, so nothing is decompressed before it
// verifies. Payloads of results and manifest entries are length-prefixed
// fields (Fields below); their paths are written by PortablePaths.
//
//===----------------------------------------------------------------------===//

#include "hotast/Remote/RemoteCache.h"

#include "hotast/Support/AtomicFile.h"
#include "hotast/Remote/Redis.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Compression.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <ctime>
#include <utility>
#include <zstd.h>
#include <unistd.h>

namespace hotast {

static constexpr llvm::StringLiteral Magic = "hotast1";
static constexpr unsigned ManifestsKept = 16;
static constexpr uint8_t SignedFlag = 1, CompressedFlag = 2;
static constexpr size_t CompressFrom = 4096;
/// A compressed payload may say it holds at most this much, and at most
/// MaxRatio times its stored size: a planted value cannot make a compile
/// allocate what it likes.
static constexpr uint64_t MaxRawSize = uint64_t(1) << 30, MaxRatio = 1024;

static llvm::Error fail(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

static std::array<uint8_t, 32> hmac(llvm::StringRef Key, llvm::StringRef A, llvm::StringRef B) {
  // RFC 2104 with SHA-256 (64-byte blocks).
  std::array<uint8_t, 64> Block{};
  if (Key.size() > Block.size()) {
    auto Short = llvm::SHA256::hash(llvm::arrayRefFromStringRef(Key));
    std::copy(Short.begin(), Short.end(), Block.begin());
  } else {
    std::copy(Key.begin(), Key.end(), Block.begin());
  }
  std::array<uint8_t, 64> Inner, Outer;
  for (size_t I = 0; I != Block.size(); ++I) {
    Inner[I] = Block[I] ^ 0x36;
    Outer[I] = Block[I] ^ 0x5c;
  }
  llvm::SHA256 H;
  H.update(Inner);
  H.update(A);
  H.update(B);
  std::array<uint8_t, 32> InnerHash = H.final();
  llvm::SHA256 O;
  O.update(Outer);
  O.update(InnerHash);
  return O.final();
}

static Hash128 checksum(llvm::StringRef RedisKey, llvm::StringRef Payload) {
  Hasher H;
  H.add("remote value").add(RedisKey).add(Payload);
  return H.final();
}

static void appendHash(std::string &Out, const Hash128 &H) {
  for (uint64_t V : {H.Low, H.High})
    for (int I = 0; I != 8; ++I)
      Out += char(V >> (8 * I));
}

/// Payload as it is stored: compressed when that makes it smaller.
static std::string storedPayload(llvm::StringRef Payload, uint8_t &Flags) {
  if (Payload.size() < CompressFrom || !llvm::compression::zstd::isAvailable())
    return Payload.str();
  llvm::SmallVector<uint8_t, 0> Packed;
  llvm::compression::zstd::compress(llvm::arrayRefFromStringRef(Payload), Packed,
                                    llvm::compression::zstd::BestSpeedCompression);
  if (Packed.size() + 8 >= Payload.size())
    return Payload.str();
  Flags |= CompressedFlag;
  std::string Out(8, '\0');
  llvm::support::endian::write64le(Out.data(), Payload.size());
  Out.append(reinterpret_cast<const char *>(Packed.data()), Packed.size());
  return Out;
}

std::string frameValue(llvm::StringRef RedisKey, llvm::StringRef Payload,
                       llvm::StringRef TeamKey) {
  uint8_t Flags = TeamKey.empty() ? 0 : SignedFlag;
  std::string Stored = storedPayload(Payload, Flags);
  std::string Out = Magic.str();
  Out += char(Flags);
  appendHash(Out, checksum(RedisKey, Stored));
  if (!TeamKey.empty()) {
    auto Mac = hmac(TeamKey, RedisKey, Stored);
    Out.append(Mac.begin(), Mac.end());
  }
  Out += Stored;
  return Out;
}

/// The size a compressed payload says it holds, when it is within reason.
static llvm::Expected<uint64_t> claimedSize(llvm::StringRef Stored) {
  if (Stored.size() < 8)
    return fail("a truncated value");
  uint64_t Size = llvm::support::endian::read64le(Stored.data());
  if (Size > MaxRawSize || Size / MaxRatio > Stored.size() - 8)
    return fail("a compressed value that claims " + llvm::Twine(Size) + " bytes");
  return Size;
}

llvm::Expected<RemoteBlob> openValue(llvm::StringRef RedisKey, std::string Value,
                                     llvm::StringRef TeamKey) {
  llvm::StringRef V = Value;
  if (!V.consume_front(Magic) || V.empty())
    return fail("not a hotast value");
  uint8_t Flags = V.front();
  if (Flags & ~(SignedFlag | CompressedFlag))
    return fail("a value of an unknown format");
  bool Signed = Flags & SignedFlag;
  V = V.drop_front();
  if (V.size() < 16 + (Signed ? 32 : 0))
    return fail("a truncated value");
  llvm::StringRef Sum = V.take_front(16);
  V = V.drop_front(16);
  llvm::StringRef Mac;
  if (Signed) {
    Mac = V.take_front(32);
    V = V.drop_front(32);
  }
  std::string Want;
  appendHash(Want, checksum(RedisKey, V));
  if (Sum != Want)
    return fail("a damaged value (checksum mismatch)");
  if (!TeamKey.empty()) {
    if (!Signed)
      return fail("an unsigned value (a team key is set)");
    auto Expected = hmac(TeamKey, RedisKey, V);
    uint8_t Diff = 0; // constant time
    for (size_t I = 0; I != Expected.size(); ++I)
      Diff |= uint8_t(Mac[I]) ^ Expected[I];
    if (Diff)
      return fail("a value signed with another key");
  }
  bool Compressed = Flags & CompressedFlag;
  uint64_t Size = V.size();
  if (Compressed) {
    auto Claimed = claimedSize(V);
    if (!Claimed)
      return Claimed.takeError();
    Size = *Claimed;
    if (!llvm::compression::zstd::isAvailable())
      return fail("a compressed value (this hotast was built without zstd)");
  }
  // In place: a large object is not copied to fresh memory once more.
  Value.erase(0, V.data() - Value.data());
  return RemoteBlob(std::move(Value), Compressed, Size);
}

llvm::Expected<std::string> unframeValue(llvm::StringRef RedisKey, std::string Value,
                                         llvm::StringRef TeamKey) {
  auto Blob = openValue(RedisKey, std::move(Value), TeamKey);
  if (!Blob)
    return Blob.takeError();
  return std::move(*Blob).bytes();
}

llvm::Expected<std::string> RemoteBlob::bytes() && {
  if (!Compressed)
    return std::move(Stored);
  std::string Out(Size, '\0');
  size_t Got = Size;
  if (llvm::Error E = llvm::compression::zstd::decompress(
          llvm::arrayRefFromStringRef(llvm::StringRef(Stored).drop_front(8)),
          reinterpret_cast<uint8_t *>(Out.data()), Got))
    return fail("a damaged compressed value: " + llvm::toString(std::move(E)));
  if (Got != Size)
    return fail("a compressed value of another size than it says");
  return Out;
}

RemoteBlob::Reader::Reader(const RemoteBlob &B) : B(B) {
  In = B.Compressed ? llvm::StringRef(B.Stored).drop_front(8) : llvm::StringRef(B.Stored);
  if (B.Compressed) {
    Stream = ZSTD_createDStream();
    Out.resize(ZSTD_DStreamOutSize());
  }
}

RemoteBlob::Reader::~Reader() {
  if (Stream)
    ZSTD_freeDStream(static_cast<ZSTD_DStream *>(Stream));
}

llvm::Expected<llvm::StringRef> RemoteBlob::Reader::next() {
  if (!B.Compressed)
    return std::exchange(In, llvm::StringRef());
  if (!Stream)
    return fail("a compressed value (zstd could not start)");
  if (Ended)
    return llvm::StringRef();
  ZSTD_outBuffer Output{Out.data(), Out.size(), 0};
  for (;;) {
    ZSTD_inBuffer Input{In.data(), In.size(), 0};
    size_t Before = Output.pos;
    size_t R = ZSTD_decompressStream(static_cast<ZSTD_DStream *>(Stream), &Output, &Input);
    if (ZSTD_isError(R))
      return fail(llvm::Twine("a damaged compressed value: ") + ZSTD_getErrorName(R));
    In = In.drop_front(Input.pos);
    if (R == 0 && In.empty()) { // the frame ended with the input
      Ended = true;
      return llvm::StringRef(Out.data(), Output.pos);
    }
    if (Output.pos == Output.size)
      return llvm::StringRef(Out.data(), Output.pos);
    if (In.empty()) { // the frame wants more than there is
      if (Output.pos)
        return llvm::StringRef(Out.data(), Output.pos);
      return fail("a truncated compressed value");
    }
    if (Input.pos == 0 && Output.pos == Before)
      return fail("a damaged compressed value (no progress)");
  }
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
std::string manifestKey(const Hash128 &H) { return "hotast:1:m:" + H.toHex(); }

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
  if (!*Value)
    return std::nullopt;
  auto Blob = openValue(Key, std::move(**Value), R.Key);
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

void RemoteCache::rejected(const Hash128 &Key) {
  Log("remote cache: blob " + Key.toHex() + " ignored: its content has another hash");
}

std::optional<CachedResult> RemoteCache::result(const Hash128 &Fingerprint) {
  std::optional<std::string> Payload = fetchBytes(resultKey(Fingerprint));
  if (!Payload)
    return std::nullopt;
  Fields F{"", *Payload};
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

std::vector<ManifestEntry> RemoteCache::manifests(const Hash128 &DirectKey) {
  Asked = true;
  std::vector<ManifestEntry> Out;
  RedisClient *Redis = client();
  if (!Redis)
    return Out;
  std::string Key = manifestKey(DirectKey);
  auto Values = timed(Spent, [&] { return Redis->list(Key); });
  if (!Values) {
    failed(Values.takeError());
    return Out;
  }
  // Newest first, as the local store answers.
  for (auto It = Values->rbegin(); It != Values->rend(); ++It) {
    auto Payload = unframeValue(Key, std::move(*It), R.Key);
    if (!Payload) {
      Log("remote cache: an entry of " + Key + " ignored: " + llvm::toString(Payload.takeError()));
      continue;
    }
    Fields F{"", *Payload};
    ManifestEntry E;
    std::vector<FileStamp> Files;
    std::optional<std::string> Stamps = Paths.local(F.text());
    E.Fingerprint = F.hash();
    E.Stderr = F.hash();
    std::optional<std::string> Depfile = Paths.local(F.text());
    E.WorkingDir = F.text().str();
    if (F.Bad || !F.In.empty() || !Stamps || !Depfile || !parseStampLines(*Stamps, E.Files))
      continue;
    E.Depfile = std::move(*Depfile);
    // Another machine's clock says nothing here.
    for (FileStamp &S : E.Files)
      S.MTimeNs = 0;
    Out.push_back(std::move(E));
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
  Fields F;
  F.put(Result.Object);
  F.put(Result.Stderr);
  F.putNumber(Result.Silent);
  F.putNumber(Result.BackendDiagnostics);
  F.put(Paths.portable(Result.Depfile));
  F.put(Result.DepfileView);
  F.put(Result.Tokens);
  std::string K = resultKey(Fingerprint);
  if (llvm::Error E = timed(Spent, [&] { return Redis->set(K, frameValue(K, F.Out, R.Key)); }))
    failed(std::move(E));
}

void RemoteCache::addManifest(const Hash128 &DirectKey, const ManifestEntry &Entry) {
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
  std::string K = manifestKey(DirectKey);
  if (llvm::Error E = timed(Spent, [&] {
        return Redis->append(K, frameValue(K, F.Out, R.Key), ManifestsKept);
      }))
    failed(std::move(E));
}

} // namespace hotast
