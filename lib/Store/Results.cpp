//===- Results.cpp - Compile results by fingerprint -----------------------===//
//
// The results table: what a compile with a semantic fingerprint produced,
// and when it was last used (refreshed at most every LastUsedResolution
// seconds, so that lookups rarely write).
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

using namespace llvm;

namespace hotast {

namespace {
constexpr int64_t LastUsedResolution = 3600;
} // namespace

Expected<std::optional<CachedResult>> Store::result(const Hash128 &Fingerprint) {
  Statement S(P->DB, "SELECT object, stderr, silent, backend_diagnostics, last_used,"
                     " depfile, depfile_view, tokens FROM results WHERE fingerprint = ?1");
  S.bind(1, Fingerprint);
  std::optional<CachedResult> R;
  int64_t LastUsed = 0;
  if (S.step()) {
    R = CachedResult{S.hash(0), S.hash(1), S.integer(2) != 0, S.integer(3) != 0,
                     S.text(5), S.hash(6), S.hash(7)};
    LastUsed = S.integer(4);
  }
  if (Error E = S.check("reading a result"))
    return std::move(E);
  // Coarse on purpose: most lookups then stay read-only. Best effort, since
  // a failure here changes nothing about the answer.
  if (R && unixNow() - LastUsed > LastUsedResolution) {
    Statement U(P->DB, "UPDATE results SET last_used = ?2 WHERE fingerprint = ?1");
    U.bind(1, Fingerprint).bind(2, unixNow()).step();
    consumeError(U.check("touching a result"));
  }
  return R;
}

Error Store::putResult(const Hash128 &Fingerprint, const CachedResult &Result) {
  Statement S(P->DB, "INSERT OR REPLACE INTO results VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  S.bind(1, Fingerprint).bind(2, Result.Object).bind(3, Result.Stderr);
  S.bind(4, int64_t(Result.Silent)).bind(5, int64_t(Result.BackendDiagnostics));
  S.bind(6, unixNow()).bind(7, Result.Depfile).bind(8, Result.DepfileView);
  S.bind(9, Result.Tokens).step();
  return S.check("storing a result");
}

} // namespace hotast
