//===- Size.cpp - Sizes as people write them ------------------------------===//

#include "hotast/Support/Size.h"

#include <string>

namespace hotast {

uint64_t parseSize(llvm::StringRef Text) {
  // Every suffix is binary (k = 1024) whether written G, GB or GiB: one rule
  // is easier to remember, and a cache limit needs no SI precision.
  Text = Text.trim();
  size_t DigitsEnd = Text.find_first_not_of("0123456789.");
  llvm::StringRef Number = Text.take_front(DigitsEnd), Suffix = Text.substr(Number.size()).trim();
  if (Number.empty() || Number.count('.') > 1 || Number == ".")
    return 0;
  std::string Unit = Suffix.lower();
  if (!Unit.empty() && Unit.back() == 'b')
    Unit.pop_back();
  if (Unit.size() == 2 && Unit.back() == 'i')
    Unit.pop_back();
  unsigned Shift;
  if (Unit.empty())
    Shift = 0;
  else if (Unit == "k")
    Shift = 10;
  else if (Unit == "m")
    Shift = 20;
  else if (Unit == "g")
    Shift = 30;
  else if (Unit == "t")
    Shift = 40;
  else
    return 0;
  auto [Whole, Fraction] = Number.split('.');
  uint64_t W = 0;
  if (!Whole.empty() && (Whole.getAsInteger(10, W) || W > (UINT64_MAX >> Shift)))
    return 0;
  uint64_t Bytes = W << Shift;
  // A fraction ("1.5G") only makes sense with a unit; digits beyond what
  // the unit can resolve are dropped.
  uint64_t Scale = 1;
  for (char C : Fraction.take_front(12)) {
    Scale *= 10;
    Bytes += ((uint64_t(C - '0') << Shift) / Scale);
  }
  return Bytes;
}

} // namespace hotast
