//===- DebugChecksums.cpp - Which files an object's debug info names ------===//

#include "DebugChecksums.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/DebugInfo/DWARF/DWARFContext.h"
#include "llvm/DebugInfo/DWARF/DWARFDebugLine.h"
#include "llvm/Object/ObjectFile.h"

using namespace clang;

namespace hotast {

/// The MD5 of each file the line tables of the object at Path name (none
/// before DWARF 5). An error when the object or its debug info cannot be
/// read.
static llvm::Expected<std::vector<llvm::MD5::MD5Result>> debugFileChecksums(llvm::StringRef Path) {
  auto Bin = llvm::object::ObjectFile::createObjectFile(Path);
  if (!Bin)
    return Bin.takeError();
  std::string Problem;
  auto Keep = [&](llvm::Error E) {
    if (Problem.empty())
      Problem = llvm::toString(std::move(E));
    else
      llvm::consumeError(std::move(E));
  };
  std::unique_ptr<llvm::DWARFContext> Ctx = llvm::DWARFContext::create(
      *Bin->getBinary(), llvm::DWARFContext::ProcessDebugRelocations::Process, nullptr, "", Keep,
      Keep);
  std::vector<llvm::MD5::MD5Result> Sums;
  for (const auto &CU : Ctx->compile_units()) {
    auto Table = Ctx->getLineTableForUnit(CU.get(), Keep);
    if (!Table) {
      Keep(Table.takeError());
      continue;
    }
    if (!*Table)
      continue; // a unit without a line table names no file
    if ((*Table)->Prologue.ContentTypes.HasMD5)
      for (const llvm::DWARFDebugLine::FileNameEntry &F : (*Table)->Prologue.FileNames)
        Sums.push_back(F.Checksum);
  }
  if (!Problem.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s", Path.str().c_str(),
                                   Problem.c_str());
  return Sums;
}

llvm::Expected<std::vector<std::string>> checksummedFiles(const SourceManager &SM,
                                                          llvm::StringRef Path) {
  auto InObject = debugFileChecksums(Path);
  if (!InObject)
    return InObject.takeError();
  std::vector<std::string> Names;
  if (InObject->empty())
    return Names;
  // Code generation computes each checksum from the buffer of the file the
  // location lies in (CGDebugInfo::computeChecksum): the same bytes here.
  std::vector<bool> Found(InObject->size());
  for (auto It = SM.fileinfo_begin(), End = SM.fileinfo_end(); It != End; ++It) {
    std::optional<llvm::MemoryBufferRef> Buf = It->second->getBufferIfLoaded();
    if (!Buf)
      continue;
    llvm::MD5::MD5Result Sum = llvm::MD5::hash(llvm::arrayRefFromStringRef(Buf->getBuffer()));
    bool Named = false;
    for (size_t I = 0; I != InObject->size(); ++I)
      if ((*InObject)[I] == Sum)
        Found[I] = Named = true;
    if (Named)
      Names.push_back(It->first.getName().str());
  }
  for (size_t I = 0; I != InObject->size(); ++I)
    if (!Found[I])
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "%s: debug info holds the MD5 %s of no file the compile read",
                                     Path.str().c_str(), (*InObject)[I].digest().c_str());
  llvm::sort(Names);
  Names.erase(std::unique(Names.begin(), Names.end()), Names.end());
  return Names;
}

} // namespace hotast
