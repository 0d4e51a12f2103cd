//===- StampBlob.cpp - A manifest entry's files as one blob ---------------===//

#include "StampBlob.h"

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

std::string encodeStamps(llvm::ArrayRef<FileStamp> Stamps) {
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

bool decodeStamps(llvm::StringRef Blob, std::vector<FileStamp> &Out) {
  Reader R(Blob);
  uint32_t Count = R.u32();
  // Each stamp takes at least 56 bytes: a count beyond that is damage, not
  // a size to reserve.
  if (!R.ok() || Count > Blob.size() / 56)
    return false;
  Out.reserve(Out.size() + Count);
  for (uint32_t I = 0; I != Count; ++I) {
    FileStamp F;
    F.Path = R.bytes(R.u32()).str();
    F.Size = R.u64();
    F.MTimeNs = int64_t(R.u64());
    F.Content.Low = R.u64();
    F.Content.High = R.u64();
    F.Code.Low = R.u64();
    F.Code.High = R.u64();
    F.CodeFixedLines = R.u32();
    if (!R.ok())
      return false;
    Out.push_back(std::move(F));
  }
  return R.done();
}

} // namespace hotast
