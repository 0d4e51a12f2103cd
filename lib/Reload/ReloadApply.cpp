//===- ReloadApply.cpp - Compile, link and apply a patch ------------------===//
//
// The patch: each unit's module cut down to what changed and compiled, one
// shared library linked with a script that binds each name to the
// program's address, the patch's record written beside it (the next
// reload's base), and the request that has the runtime apply it.
//
//===----------------------------------------------------------------------===//

#include "ReloadInternal.h"

#include "hotast/Analysis/DeclRecordIO.h"
#include "PatchLink.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <ctime>
#include <random>

namespace hotast {
namespace reloader {

std::string sha256Hex(llvm::StringRef Bytes) {
  llvm::SHA256 H;
  H.update(Bytes);
  return llvm::toHex(H.final(), /*LowerCase=*/true);
}

static std::string newPatchId() {
  auto Now = std::chrono::system_clock::now();
  std::time_t T = std::chrono::system_clock::to_time_t(Now);
  char Buf[32];
  std::strftime(Buf, sizeof Buf, "%Y%m%dT%H%M%S", std::gmtime(&T));
  std::random_device RD;
  return std::string(Buf) + "-" + llvm::utohexstr(RD() & 0xffffff, /*LowerCase=*/true);
}

static llvm::Error writePrivateFile(llvm::StringRef Path, llvm::StringRef Bytes) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC)
    return llvm::createFileError(Path, EC);
  OS << Bytes;
  OS.close();
  if (OS.has_error())
    return llvm::createFileError(Path, OS.error());
  if (std::error_code EC2 = llvm::sys::fs::setPermissions(
          Path, llvm::sys::fs::owner_read | llvm::sys::fs::owner_write))
    return llvm::createFileError(Path, EC2);
  return llvm::Error::success();
}

bool Reloader::buildAndApply() {
  PatchId = newPatchId();
  std::string Base = patchBase(Status, PatchId);
  auto T = Clock::now();
  // One module for the whole patch.
  std::vector<std::string> Objects;
  unsigned Counter = 0;
  std::vector<std::pair<std::string, uint64_t>> Bindings;
  std::vector<PatchEdit::Function> Functions;
  for (Compiled &C : Units2) {
    std::unique_ptr<llvm::Module> M = llvm::CloneModule(*C.C->module());
    C.Opts.Tag = "p" + std::to_string(Status.Patches.size() + 1);
    PatchEdit E = cutPatchModule(*M, Image, C.Opts, Counter);
    for (std::string &R : E.Refusals)
      Refusals.push_back(C.U->ObjectPath + ": " + R);
    for (std::string &V : E.NewVariables)
      NewVariables.push_back(V);
    if (!E.Refusals.empty())
      continue;
    auto Obj = C.C->patchObject(*M);
    if (!Obj)
      return error(Obj.takeError());
    std::string ObjPath = Base + "." + std::to_string(Objects.size()) + ".o";
    if (llvm::Error Err = writePrivateFile(ObjPath, *Obj))
      return error(std::move(Err));
    Objects.push_back(ObjPath);
    Bindings.insert(Bindings.end(), E.Bindings.begin(), E.Bindings.end());
    Functions.insert(Functions.end(), E.Functions.begin(), E.Functions.end());
  }
  if (!Refusals.empty()) {
    Report.Exit = ReloadExit::Refused;
    Report.Summary = "refused: " + llvm::join(Refusals, "; ");
    Verdict = "refuse";
    removeFiles(Objects);
    return false;
  }
  Times["compile"] = msSince(T);

  T = Clock::now();
  std::string Script = Base + ".ld";
  std::string ScriptText;
  for (auto &[Name, Address] : Bindings)
    ScriptText += Name + " = 0x" + llvm::utohexstr(Address, true) + ";\n";
  if (llvm::Error Err = writePrivateFile(Script, ScriptText)) {
    removeFiles(Objects);
    return error(std::move(Err));
  }
  std::string So = Base + ".so";
  Objects.push_back(Script);
  llvm::Error Linked = linkPatch(Objects, So);
  removeFiles(Objects);
  if (Linked)
    return error(std::move(Linked));
  llvm::sys::fs::setPermissions(So, llvm::sys::fs::owner_read | llvm::sys::fs::owner_write);
  Times["link"] = msSince(T);

  // Record the patch before it is applied: once it is in the stack, the
  // next reload needs it.
  llvm::json::Object Units;
  for (Compiled &C : Units2) {
    auto Key = Cache->put(C.NewObject);
    if (!Key)
      return error(Key.takeError());
    ReloadUnit R = C.U->Record;
    R.Object = *Key;
    std::vector<std::string> Inputs;
    for (const std::string &F : C.C->inputFiles())
      Inputs.push_back(absolutePath(F, R.WorkingDir));
    // A file saved while it compiled: the next reload compiles it again.
    auto Stamps = stampFiles(Inputs, C.StartNs);
    if (!Stamps)
      return error(Stamps.takeError());
    R.Files = std::move(*Stamps);
    R.Decls = serializeRecords(C.C->records());
    if (llvm::Error Err = DB->putReloadUnit(R))
      return error(std::move(Err));
    Units[C.U->ObjectPath] = Key->toHex();
  }
  llvm::json::Array Offsets;
  for (const PatchEdit::Function &F : Functions)
    Offsets.push_back(int64_t(F.Offset));
  llvm::json::Object Record{{"id", PatchId},
                            {"build_id", Status.BuildId},
                            {"parent", Status.Patches.empty() ? "none" : Status.Patches.back()},
                            {"units", std::move(Units)},
                            {"offsets", std::move(Offsets)}};
  std::string RecordText;
  llvm::raw_string_ostream(RecordText) << llvm::json::Value(std::move(Record));
  if (llvm::Error Err = writePrivateFile(Base + ".json", RecordText))
    return error(std::move(Err));

  T = Clock::now();
  auto Bytes = llvm::MemoryBuffer::getFile(So, false, false);
  if (!Bytes)
    return error(llvm::createFileError(So, Bytes.getError()));
  std::string Request = "apply\nid " + PatchId + "\nbuild-id " + Status.BuildId + "\nparent " +
                        (Status.Patches.empty() ? "none" : Status.Patches.back()) + "\nfile " +
                        So + "\nsha256 " + sha256Hex((*Bytes)->getBuffer()) + "\n";
  for (const PatchEdit::Function &F : Functions) {
    auto It = EntryState.find(F.Offset);
    Request += "func 0x" + llvm::utohexstr(F.Offset, true) + " " + F.NewSymbol + " " +
               (It == EntryState.end() ? std::string("original") : It->second) + "\n";
  }
  Request += "end\n";
  // Not in the process's stack: the next reload must not see it.
  auto Discard = [&] { removeFiles({So, Base + ".json"}); };
  if (Functions.empty()) {
    Discard();
    Report.Summary = "nothing to redirect: the edit changed no function the program runs";
    Verdict = "patch";
    return true;
  }
  auto Reply = sendRequest(Req.Socket, Request);
  Times["apply"] = msSince(T);
  if (!Reply) {
    Discard();
    return error(Reply.takeError());
  }
  if (Reply->getBoolean("ok") != true) {
    Discard();
    auto Msg = Reply->getString("error");
    return error("the process refused the patch: " + (Msg ? Msg->str() : std::string("?")));
  }
  Report.Summary = "applied patch " + PatchId + ": " + std::to_string(Functions.size()) +
                   " function(s) redirected";
  return true;
}

void Reloader::removeFiles(const std::vector<std::string> &Files) {
  for (const std::string &F : Files)
    llvm::sys::fs::remove(F);
}

} // namespace reloader
} // namespace hotast
