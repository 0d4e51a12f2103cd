//===- StampBlob.cpp - A manifest entry's files as one blob ---------------===//

#include "StampBlob.h"

#include "hotast/Support/Zstd.h"

#include "llvm/Support/Endian.h"

namespace hotast {

namespace endian = llvm::support::endian;

static void put32(std::string &Out, uint32_t V) {
  char B[4];
  endian::write32le(B, V);
  Out.append(B, 4);
}

static void put64(std::string &Out, uint64_t V) {
  char B[8];
  endian::write64le(B, V);
  Out.append(B, 8);
}

std::string encodeStamps(const StampList &Stamps) {
  std::string Out;
  put32(Out, uint32_t(Stamps.size()));
  for (const FileStamp &F : Stamps) {
    put32(Out, uint32_t(F.Path.size()));
    Out += F.Path;
    put64(Out, F.Size);
    put64(Out, uint64_t(F.MTimeNs));
    put64(Out, F.Content.Low);
    put64(Out, F.Content.High);
    put64(Out, F.Code.Low);
    put64(Out, F.Code.High);
    put32(Out, F.CodeFixedLines);
    put32(Out, uint32_t(F.CodeLeftOut.size()));
    Out += F.CodeLeftOut;
  }
  return Out;
}

namespace {

/// Reads fixed-size fields from the front of a blob; any read past its end
/// fails, and every later one with it.
class Reader {
public:
  explicit Reader(llvm::StringRef Blob) : Rest(Blob) {}
  bool ok() const { return Ok; }
  bool done() const { return Rest.empty(); }
  llvm::StringRef rest() const { return Ok ? Rest : llvm::StringRef(); }
  uint32_t u32() { return take(4) ? endian::read32le(Last) : 0; }
  uint64_t u64() { return take(8) ? endian::read64le(Last) : 0; }
  llvm::StringRef bytes(size_t N) {
    return take(N) ? llvm::StringRef(Last, N) : llvm::StringRef();
  }

private:
  bool take(size_t N) {
    if (!Ok || Rest.size() < N)
      return Ok = false;
    Last = Rest.data();
    Rest = Rest.drop_front(N);
    return true;
  }
  llvm::StringRef Rest;
  const char *Last = nullptr;
  bool Ok = true;
};

} // namespace

/// Bytes a stamp takes beyond its path and its left-out list.
constexpr size_t FixedBytes = 4 + 8 + 8 + 16 + 16 + 4 + 4;

/// One stamp's bytes, whole, from the front of R (its path through *Path):
/// empty when R runs out.
static llvm::StringRef takeStamp(Reader &R, llvm::StringRef *Path = nullptr) {
  Reader Whole = R;
  llvm::StringRef P = R.bytes(R.u32());
  (void)R.bytes(FixedBytes - 8);
  llvm::StringRef LeftOut = R.bytes(R.u32());
  if (Path)
    *Path = P;
  return R.ok() ? Whole.bytes(FixedBytes + P.size() + LeftOut.size()) : llvm::StringRef();
}

/// The stamp of Path whose bytes (length and path first) are Bytes.
static FileStamp decodeOne(llvm::StringRef Path, llvm::StringRef Bytes) {
  FileStamp F;
  F.Path = Path.str();
  Reader Fixed(Bytes.drop_front(4 + Path.size()));
  F.Size = Fixed.u64();
  F.MTimeNs = int64_t(Fixed.u64());
  F.Content.Low = Fixed.u64();
  F.Content.High = Fixed.u64();
  F.Code.Low = Fixed.u64();
  F.Code.High = Fixed.u64();
  F.CodeFixedLines = Fixed.u32();
  F.CodeLeftOut = Fixed.bytes(Fixed.u32()).str();
  return F;
}

DecodedStamps decodeStamps(llvm::StringRef Blob, StampPool *Pool, StampList &Out,
                           llvm::function_ref<bool(const FileStamp &)> Keep) {
  Reader R(Blob);
  uint32_t Count = R.u32();
  // Each stamp takes at least FixedBytes: a count beyond that is damage,
  // not a size to reserve.
  if (!R.ok() || Count > Blob.size() / FixedBytes)
    return DecodedStamps::Malformed;
  std::vector<FileStamp> Decoded;
  Decoded.reserve(Pool ? 0 : Count);
  StampList Shared;
  bool Refused = false;
  for (uint32_t I = 0; I != Count; ++I) {
    // A stamp's bytes, whole, are its key in the pool: only one not seen
    // before is decoded.
    llvm::StringRef Path;
    llvm::StringRef Bytes = takeStamp(R, &Path);
    if (!R.ok())
      return DecodedStamps::Malformed;
    if (Refused)
      continue;
    if (!Pool) {
      Decoded.push_back(decodeOne(Path, Bytes));
      Refused = Keep && !Keep(Decoded.back());
      continue;
    }
    auto [It, New] = Pool->try_emplace(Bytes);
    if (New)
      It->second = std::make_shared<const FileStamp>(decodeOne(Path, Bytes));
    Refused = Keep && !Keep(*It->second);
    Shared.pushShared(It->second);
  }
  if (!R.done())
    return DecodedStamps::Malformed;
  if (Refused)
    return DecodedStamps::Refused;
  Out = Pool ? std::move(Shared) : StampList(std::move(Decoded));
  return DecodedStamps::Whole;
}

llvm::StringRef laterStamps(llvm::StringRef Blob) {
  Reader R(Blob);
  if (R.u32() == 0)
    return {};
  (void)takeStamp(R);
  return R.rest();
}

static constexpr llvm::StringLiteral PackedMark("\xff\xff\xff\xff");

std::string packStamps(const std::string &Encoded) {
  std::optional<std::string> Frame = zstdCompress(Encoded);
  if (!Frame || Frame->size() + PackedMark.size() + 8 >= Encoded.size())
    return Encoded;
  std::string Out(PackedMark);
  put64(Out, Encoded.size());
  Out += *Frame;
  return Out;
}

std::optional<llvm::StringRef> unpackStamps(llvm::StringRef Blob, std::string &Buffer) {
  if (!Blob.starts_with(PackedMark))
    return Blob;
  if (Blob.size() < PackedMark.size() + 8)
    return std::nullopt;
  uint64_t Size = llvm::support::endian::read64le(Blob.data() + PackedMark.size());
  auto Bytes = zstdDecompress(Blob.drop_front(PackedMark.size() + 8), Size);
  if (!Bytes) {
    llvm::consumeError(Bytes.takeError());
    return std::nullopt;
  }
  Buffer = std::move(*Bytes);
  return llvm::StringRef(Buffer);
}

} // namespace hotast
