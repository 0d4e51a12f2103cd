//===- Counters.cpp - Statistics counters ---------------------------------===//
//
// The counters table: hits, misses and the like, bumped in place by
// concurrent compiles.
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

using namespace llvm;

namespace hotast {

Error Store::bump(StringRef Counter, int64_t Delta) { return bump({{Counter, Delta}}); }

Error Store::bump(ArrayRef<std::pair<StringRef, int64_t>> Deltas) {
  auto Bump = [&]() -> Error {
    Statement S(P->DB, "INSERT INTO counters VALUES(?1, ?2)"
                       " ON CONFLICT(name) DO UPDATE SET value = value + excluded.value");
    for (const auto &[Counter, Delta] : Deltas) {
      S.bind(1, Counter).bind(2, Delta).step();
      if (Error E = S.check("bumping " + Counter))
        return E;
      S.reset();
    }
    return Error::success();
  };
  // One statement needs no transaction of its own.
  return Deltas.size() == 1 ? Bump() : transaction(P->DB, Bump);
}

Expected<std::map<std::string, int64_t>> Store::counters() {
  Statement S(P->DB, "SELECT name, value FROM counters");
  std::map<std::string, int64_t> Counters;
  while (S.step())
    Counters[S.text(0)] = S.integer(1);
  if (Error E = S.check("reading counters"))
    return std::move(E);
  return Counters;
}

Error Store::zeroCounters() { return exec(P->DB, "UPDATE counters SET value = 0"); }

} // namespace hotast
