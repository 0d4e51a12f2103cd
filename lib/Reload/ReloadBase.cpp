//===- ReloadBase.cpp - What the running program runs now -----------------===//
//
// The base of a reload: the runtime's status, the link record of the
// program's build id, the patches in its stack (their records and where
// they are mapped), and the reload unit of each object, with the files
// that changed since its code was compiled.
//
//===----------------------------------------------------------------------===//

#include "ReloadInternal.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace hotast {
namespace reloader {

/// What one patch in the stack recorded (D/<pid>-<id>.json).
struct PatchRecord {
  std::string Id;
  std::map<std::string, Hash128> Units; // object path -> code
  std::vector<uint64_t> Offsets;        // entries it redirects
};

std::string patchBase(const RuntimeStatus &S, llvm::StringRef Id) {
  return runtimeDir() + "/" + std::to_string(S.Pid) + "-" + Id.str();
}

static llvm::Expected<PatchRecord> readPatchRecord(const RuntimeStatus &S, llvm::StringRef Id) {
  std::string Path = patchBase(S, Id) + ".json";
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createFileError(Path, Buf.getError());
  auto V = llvm::json::parse((*Buf)->getBuffer());
  if (!V)
    return llvm::createFileError(Path, V.takeError());
  PatchRecord R;
  R.Id = Id.str();
  const llvm::json::Object *O = V->getAsObject();
  const llvm::json::Object *Units = O ? O->getObject("units") : nullptr;
  const llvm::json::Array *Offsets = O ? O->getArray("offsets") : nullptr;
  if (!Units || !Offsets)
    return llvm::createFileError(Path, llvm::createStringError(llvm::inconvertibleErrorCode(),
                                                               "not a patch record"));
  for (const auto &[Object, Code] : *Units) {
    Hash128 H;
    if (!Code.getAsString() || !Hash128::fromHex(*Code.getAsString(), H))
      return llvm::createFileError(Path, llvm::createStringError(llvm::inconvertibleErrorCode(),
                                                                 "bad unit hash"));
    R.Units[Object.str()] = H;
  }
  for (const llvm::json::Value &Off : *Offsets)
    if (auto I = Off.getAsInteger())
      R.Offsets.push_back(uint64_t(*I));
  return R;
}

/// Where the patch library of Path is mapped in process Pid (its lowest
/// address), from /proc/PID/maps.
static std::optional<uint64_t> mappedBase(long Pid, llvm::StringRef Path) {
  // A /proc file's size is 0: read it as a stream.
  auto Maps = llvm::MemoryBuffer::getFileAsStream("/proc/" + std::to_string(Pid) + "/maps");
  if (!Maps)
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  (*Maps)->getBuffer().split(Lines, '\n');
  std::optional<uint64_t> Base;
  for (llvm::StringRef Line : Lines) {
    if (!Line.ends_with(Path))
      continue;
    uint64_t Start = 0;
    if (Line.split('-').first.getAsInteger(16, Start))
      continue;
    if (!Base || Start < *Base)
      Base = Start;
  }
  return Base;
}

std::string absolutePath(llvm::StringRef Path, llvm::StringRef Dir) {
  if (llvm::sys::path::is_absolute(Path) || Dir.empty())
    return Path.str();
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Path);
  return std::string(P);
}

bool Reloader::loadBase() {
  auto T = Clock::now();
  auto S = queryStatus(Req.Socket);
  if (!S)
    return error(S.takeError());
  Status = *S;
  auto Opened = Store::open(Req.CacheDir);
  if (!Opened)
    return error(Opened.takeError());
  DB = std::move(*Opened);
  auto Objects = ObjectCache::open(Req.CacheDir);
  if (!Objects)
    return error(Objects.takeError());
  Cache.emplace(std::move(*Objects));
  auto Link = DB->link(Status.BuildId);
  if (!Link)
    return error(Link.takeError());
  if (!*Link)
    return error("the program (build id " + Status.BuildId +
                 ") was not linked through hotast: use hotast as the linker launcher "
                 "(CMAKE_<LANG>_LINKER_LAUNCHER) with HOTAST_DIR=" + Req.CacheDir);
  LinkRec = **Link;
  std::string Exe = "/proc/" + std::to_string(Status.Pid) + "/exe";
  if (llvm::Error E = Image.addFile(Exe, Status.Base, /*Executable=*/true))
    return error(std::move(E));
  // The patches in the stack: their code, and what each unit runs now.
  std::map<std::string, Hash128> Current;
  for (const std::string &Id : Status.Patches) {
    auto P = readPatchRecord(Status, Id);
    if (!P)
      return error("patch " + Id + " of the running program: " + llvm::toString(P.takeError()));
    for (auto &[Object, Code] : P->Units)
      Current[Object] = Code;
    for (uint64_t Off : P->Offsets)
      EntryState[Off] = "patched:" + Id;
    std::string So = patchBase(Status, Id) + ".so";
    std::optional<uint64_t> Base = mappedBase(Status.Pid, So);
    if (!Base)
      return error("patch " + Id + " is not mapped in process " + std::to_string(Status.Pid));
    if (llvm::Error E = Image.addFile(So, *Base, /*Executable=*/false))
      return error(std::move(E));
  }
  for (const FileStamp &In : LinkRec.Inputs) {
    std::string Path = absolutePath(In.Path, LinkRec.WorkingDir);
    auto It = Current.find(Path);
    Hash128 Code = It != Current.end() ? It->second : In.Content;
    auto U = DB->reloadUnit(Code);
    if (!U)
      return error(U.takeError());
    if (!*U)
      continue; // an archive, a library, or an object built without the profile
    Units.push_back({Path, Code, std::move(**U), {}});
  }
  if (Units.empty())
    return error("no object of " + LinkRec.Output +
                 " was compiled through hotast with the reload profile (hotast reload-flags)");
  Times["base"] = msSince(T);
  return true;
}

void Reloader::findChanges() {
  for (Unit &U : Units) {
    for (FileStamp F : U.Record.Files) {
      F.Path = absolutePath(F.Path, U.Record.WorkingDir);
      if (!stampMatches(F))
        U.ChangedFiles.push_back(F.Path);
    }
    if (!U.ChangedFiles.empty())
      Changed.push_back(&U);
  }
}

} // namespace reloader
} // namespace hotast
