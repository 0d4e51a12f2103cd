//===- FileStamps.cpp - Files as hotast last hashed them ------------------===//
//
// The file_stamps table: a trusted stamp by absolute path, so that a file
// whose size and time are unchanged is not read again (keepsAsFileStamp in
// StoreImpl.h decides which stamps it keeps).
//
//===----------------------------------------------------------------------===//

#include "hotast/Store/Store.h"

#include "StoreImpl.h"

#include "llvm/ADT/STLExtras.h"

using namespace llvm;

namespace hotast {

Expected<std::vector<FileStamp>> Store::fileStamps(ArrayRef<std::string> Paths) {
  // One indexed lookup per path: a path is any bytes (no JSON list).
  std::vector<FileStamp> Out;
  if (Error E = readTransaction(P->DB, [&]() -> Error {
        Statement S(P->DB, "SELECT size, mtime_ns, content FROM file_stamps WHERE path = ?1");
        for (const std::string &Path : Paths) {
          S.bind(1, Path);
          if (S.step())
            Out.push_back({Path, uint64_t(S.integer(0)), S.integer(1), S.hash(2)});
          if (Error E = S.check("reading file stamps"))
            return E;
          S.reset();
        }
        return Error::success();
      }))
    return std::move(E);
  return Out;
}

Error Store::keepFileStamps(ArrayRef<FileStamp> Stamps) {
  if (llvm::none_of(Stamps, keepsAsFileStamp))
    return Error::success();
  return transaction(P->DB, [&] { return writeFileStamps(P->DB, Stamps); });
}

} // namespace hotast
