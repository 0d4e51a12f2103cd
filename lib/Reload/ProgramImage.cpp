//===- ProgramImage.cpp - Where a running program's symbols are -----------===//

#include "hotast/Reload/ProgramImage.h"

#include "ElfSymbols.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"

namespace hotast {


llvm::Error ProgramImage::addFile(llvm::StringRef Path, uint64_t Base, bool Executable) {
  using namespace llvm::object;
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return llvm::createFileError(Path, Buf.getError());
  auto File = ObjectFile::createObjectFile((*Buf)->getMemBufferRef());
  if (!File)
    return llvm::createFileError(Path, File.takeError());
  auto *Elf = llvm::dyn_cast<ELF64LEObjectFile>(File->get());
  if (!Elf || Elf->getELFFile().getHeader().e_machine != llvm::ELF::EM_X86_64)
    return llvm::createFileError(Path, llvm::createStringError(llvm::inconvertibleErrorCode(),
                                                               "not an x86-64 ELF file"));
  // A position-independent file's values are offsets from its load base; a
  // fixed-address executable's are addresses.
  uint64_t Bias = Elf->getELFFile().getHeader().e_type == llvm::ELF::ET_DYN ? Base : 0;
  bool HaveSymtab = false;
  for (const SectionRef &S : Elf->sections())
    if (ELFSectionRef(S).getType() == llvm::ELF::SHT_SYMTAB)
      HaveSymtab = true;
  auto Symbols = HaveSymtab ? Elf->symbols() : Elf->getDynamicSymbolIterators();
  std::string FileName;
  // An earlier file's symbols win: the executable's over a patch's, a first
  // patch's new variable over a copy a later one might hold.
  llvm::StringMap<llvm::StringMap<std::vector<ImageSymbol>>> FileLocals;
  for (const ELFSymbolRef &Sym : Symbols) {
    auto Name = Sym.getName();
    if (!Name) {
      llvm::consumeError(Name.takeError());
      continue;
    }
    uint8_t Type = Sym.getELFType();
    if (Type == llvm::ELF::STT_FILE) {
      FileName = Name->str();
      continue;
    }
    if ((Type != llvm::ELF::STT_FUNC && Type != llvm::ELF::STT_OBJECT &&
         Type != llvm::ELF::STT_TLS) ||
        Name->empty())
      continue;
    auto Sec = Sym.getSection();
    if (!Sec) {
      llvm::consumeError(Sec.takeError());
      continue;
    }
    if (*Sec == Elf->section_end())
      continue; // undefined here
    ImageSymbol S;
    S.Function = Type == llvm::ELF::STT_FUNC;
    S.ThreadLocal = Type == llvm::ELF::STT_TLS;
    S.Size = Sym.getSize();
    S.InExecutable = Executable;
    S.Offset = symbolValue(Sym) + Bias - Base;
    // A thread-local's value is its offset in the TLS block: not an address.
    S.Address = S.ThreadLocal ? 0 : symbolValue(Sym) + Bias;
    if (Sym.getBinding() == llvm::ELF::STB_LOCAL)
      FileLocals[FileName][*Name].push_back(S);
    else
      Globals.try_emplace(*Name, S);
  }
  for (auto &File : FileLocals)
    for (auto &Sym : File.second)
      Locals[File.getKey()].try_emplace(Sym.getKey(), std::move(Sym.second));
  return llvm::Error::success();
}

ProgramImage::Found ProgramImage::lookup(llvm::StringRef Name, llvm::StringRef FileName,
                                         ImageSymbol &Out) const {
  if (FileName.empty()) {
    auto It = Globals.find(Name);
    if (It == Globals.end())
      return Found::No;
    Out = It->second;
    return Found::Yes;
  }
  auto File = Locals.find(FileName);
  if (File == Locals.end())
    return Found::No;
  auto It = File->second.find(Name);
  if (It == File->second.end())
    return Found::No;
  if (It->second.size() != 1)
    return Found::Ambiguous;
  Out = It->second.front();
  return Found::Yes;
}

bool ProgramImage::hasLocalWithPrefix(llvm::StringRef Prefix, llvm::StringRef FileName) const {
  auto File = Locals.find(FileName);
  if (File == Locals.end())
    return false;
  for (const auto &E : File->second)
    if (E.getKey().starts_with(Prefix))
      return true;
  return false;
}

} // namespace hotast
