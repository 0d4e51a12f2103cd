//===- Links.cpp - What programs were built from --------------------------===//
//
// The base of a hot-reload delta: each link's inputs by the program's build
// id (links, link_inputs), and each reload-profile object's compile by its
// content hash (reload_units).
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

using namespace llvm;

namespace hotast {

Error Store::putLink(const LinkRecord &L) {
  return transaction(P->DB, [&]() -> Error {
    Statement Del(P->DB, "DELETE FROM link_inputs WHERE build_id = ?1");
    Del.bind(1, L.BuildId).step();
    Statement Link(P->DB, "INSERT OR REPLACE INTO links VALUES(?1, ?2, ?3, ?4)");
    Link.bind(1, L.BuildId).bind(2, L.Output).bind(3, L.WorkingDir).bind(4, L.LinkedAt).step();
    if (Error E = joinErrors(Del.check("replacing a link"), Link.check("adding a link")))
      return E;
    Statement In(P->DB, "INSERT INTO link_inputs VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    for (size_t I = 0; I != L.Inputs.size(); ++I) {
      const FileStamp &F = L.Inputs[I];
      In.bind(1, L.BuildId).bind(2, int64_t(I)).bind(3, F.Path).bind(4, int64_t(F.Size));
      In.bind(5, F.MTimeNs).bind(6, F.Content).step();
      In.reset();
    }
    return In.check("adding link inputs");
  });
}

Expected<std::optional<LinkRecord>> Store::link(StringRef BuildId) {
  Statement S(P->DB, "SELECT l.output, l.cwd, l.linked_at, i.path, i.size, i.mtime_ns, i.content"
                     " FROM links l LEFT JOIN link_inputs i ON i.build_id = l.build_id"
                     " WHERE l.build_id = ?1 ORDER BY i.ordinal");
  S.bind(1, BuildId);
  std::optional<LinkRecord> L;
  while (S.step()) {
    if (!L) {
      L.emplace();
      L->BuildId = BuildId.str();
      L->Output = S.text(0);
      L->WorkingDir = S.text(1);
      L->LinkedAt = S.integer(2);
    }
    if (!S.isNull(3))
      L->Inputs.push_back({S.text(3), uint64_t(S.integer(4)), S.integer(5), S.hash(6)});
  }
  if (Error E = S.check("reading a link"))
    return std::move(E);
  return L;
}

Error Store::putReloadUnit(const ReloadUnit &U) {
  std::string Argv, Files = stampLines(U.Files);
  for (const std::string &A : U.Argv)
    (Argv += A) += '\0';
  Statement S(P->DB, "INSERT OR REPLACE INTO reload_units VALUES(?1, ?2, ?3, ?4, ?5)");
  S.bind(1, U.Object).bind(2, U.WorkingDir).bind(3, Argv).bind(4, Files).bind(5, U.Decls).step();
  return S.check("recording a reload unit");
}

Expected<std::optional<ReloadUnit>> Store::reloadUnit(const Hash128 &Object) {
  Statement S(P->DB, "SELECT working_dir, argv, files, decls FROM reload_units WHERE object = ?1");
  S.bind(1, Object);
  std::optional<ReloadUnit> U;
  if (S.step()) {
    U.emplace();
    U->Object = Object;
    U->WorkingDir = S.text(0);
    SmallVector<StringRef, 0> Parts;
    std::string Argv = S.text(1);
    StringRef(Argv).split(Parts, '\0', -1, /*KeepEmpty=*/true);
    for (size_t I = 0; I + 1 < Parts.size(); ++I)
      U->Argv.push_back(Parts[I].str());
    if (!parseStampLines(S.text(2), U->Files))
      return createStringError(inconvertibleErrorCode(),
                               "reload unit " + Object.toHex() + ": malformed file line");
    U->Decls = S.text(3);
  }
  if (Error E = S.check("reading a reload unit"))
    return std::move(E);
  return U;
}

} // namespace hotast
