//===- Zstd.cpp - Payloads compressed with zstd ---------------------------===//

#include "hotast/Support/Zstd.h"

#include <zstd.h>

namespace hotast {

static llvm::Error fail(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

std::optional<std::string> zstdCompress(llvm::StringRef Bytes) {
  std::string Out(ZSTD_compressBound(Bytes.size()), '\0');
  size_t Packed = ZSTD_compress(Out.data(), Out.size(), Bytes.data(), Bytes.size(),
                                /*compressionLevel=*/1);
  if (ZSTD_isError(Packed) || Packed >= Bytes.size())
    return std::nullopt;
  Out.resize(Packed);
  return Out;
}

llvm::Expected<std::string> zstdDecompress(llvm::StringRef Frames, uint64_t Size) {
  if (Size / ZstdMaxRatio > Frames.size())
    return fail("a compressed value that claims " + llvm::Twine(Size) + " bytes");
  // Into the string itself, in one call: no buffer between. A payload that
  // says one size and holds more stops at the size it said.
  std::string Out(Size, '\0');
  ZstdReader Read(Frames);
  size_t Got = 0;
  for (;;) {
    char More;
    bool Full = Got == Out.size();
    auto N = Full ? Read.read(&More, 1) : Read.read(Out.data() + Got, Out.size() - Got);
    if (!N)
      return N.takeError();
    if (*N == 0)
      break;
    if (Full)
      return fail("a compressed value of another size than it says");
    Got += *N;
  }
  if (Got != Size)
    return fail("a compressed value of another size than it says");
  return Out;
}

ZstdReader::ZstdReader(llvm::StringRef Frames) : In(Frames), Stream(ZSTD_createDStream()) {}

ZstdReader::~ZstdReader() {
  if (Stream)
    ZSTD_freeDStream(static_cast<ZSTD_DStream *>(Stream));
}

llvm::Expected<size_t> ZstdReader::read(char *Out, size_t Space) {
  if (!Stream)
    return fail("a compressed value (zstd could not start)");
  if (Ended || Space == 0)
    return 0;
  ZSTD_outBuffer Output{Out, Space, 0};
  for (;;) {
    ZSTD_inBuffer Input{In.data(), In.size(), 0};
    size_t Before = Output.pos;
    size_t R = ZSTD_decompressStream(static_cast<ZSTD_DStream *>(Stream), &Output, &Input);
    if (ZSTD_isError(R))
      return fail(llvm::Twine("a damaged compressed value: ") + ZSTD_getErrorName(R));
    In = In.drop_front(Input.pos);
    if (R == 0 && In.empty()) { // the frame ended with the input
      Ended = true;
      return Output.pos;
    }
    if (Output.pos == Output.size)
      return Output.pos;
    if (In.empty()) { // the frame wants more than there is
      if (Output.pos)
        return Output.pos;
      return fail("a truncated compressed value");
    }
    if (Input.pos == 0 && Output.pos == Before)
      return fail("a damaged compressed value (no progress)");
  }
}

llvm::Expected<llvm::StringRef> ZstdReader::next() {
  constexpr size_t BufferSize = 64 * 1024;
  if (!Buffer)
    Buffer.reset(new char[BufferSize]);
  auto N = read(Buffer.get(), BufferSize);
  if (!N)
    return N.takeError();
  return llvm::StringRef(Buffer.get(), *N);
}

} // namespace hotast
