//===- NameFilter.cpp - A set of names that may say yes wrongly -----------===//

#include "hotast/Support/NameFilter.h"

#include "hotast/Support/Hash128.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

namespace hotast {

static constexpr llvm::StringLiteral Magic = "hotast names 1\n";

NameFilter::NameFilter(size_t Expected) {
  // Ten bits a name and seven probes: about 1% of absent names look held.
  Words.resize(std::max<uint64_t>(1, llvm::PowerOf2Ceil((Expected * 10 + 63) / 64)));
}

std::optional<NameFilter> NameFilter::fromBytes(llvm::StringRef Bytes) {
  if (!Bytes.consume_front(Magic) || Bytes.size() < 1 + 8)
    return std::nullopt;
  NameFilter F;
  F.Probes = uint8_t(Bytes[0]);
  Bytes = Bytes.drop_front();
  if (F.Probes == 0 || Bytes.size() % 8 != 0 || !llvm::isPowerOf2_64(Bytes.size() / 8))
    return std::nullopt;
  for (size_t I = 0; I != Bytes.size(); I += 8)
    F.Words.push_back(llvm::support::endian::read64le(Bytes.data() + I));
  return F;
}

// Probe I of Name: Kirsch and Mitzenmacher's double hashing of one digest.
template <typename Fn> static void probes(llvm::StringRef Name, unsigned N, size_t Bits, Fn F) {
  Hash128 H = hashBytes(Name);
  for (unsigned I = 0; I != N; ++I)
    F((H.Low + I * (H.High | 1)) & (Bits - 1));
}

void NameFilter::add(llvm::StringRef Name) {
  probes(Name, Probes, Words.size() * 64,
         [&](uint64_t Bit) { Words[Bit / 64] |= uint64_t(1) << (Bit % 64); });
}

bool NameFilter::mayHold(llvm::StringRef Name) const {
  bool All = true;
  probes(Name, Probes, Words.size() * 64,
         [&](uint64_t Bit) { All &= (Words[Bit / 64] >> (Bit % 64)) & 1; });
  return All;
}

std::string NameFilter::bytes() const {
  std::string Out(Magic);
  Out += char(Probes);
  for (uint64_t W : Words) {
    char B[8];
    llvm::support::endian::write64le(B, W);
    Out.append(B, 8);
  }
  return Out;
}

} // namespace hotast
