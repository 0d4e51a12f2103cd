//===- ObjectCode.cpp - The code and data of a relocatable object ---------===//

#include "hotast/Reload/ObjectCode.h"

#include "llvm/ADT/DenseMap.h"
#include "ElfSymbols.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"

namespace hotast {

namespace {

using namespace llvm::object;

llvm::Error bad(llvm::StringRef What, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), What + ": " + Why);
}

} // namespace

llvm::Expected<ObjectCode> readObjectCode(llvm::StringRef Bytes, llvm::StringRef What) {
  auto File = ObjectFile::createObjectFile(llvm::MemoryBufferRef(Bytes, What));
  if (!File)
    return bad(What, llvm::toString(File.takeError()));
  auto *Elf = llvm::dyn_cast<ELF64LEObjectFile>(File->get());
  if (!Elf || Elf->getELFFile().getHeader().e_machine != llvm::ELF::EM_X86_64 ||
      Elf->getELFFile().getHeader().e_type != llvm::ELF::ET_REL)
    return bad(What, "not an x86-64 ELF relocatable object");

  ObjectCode Out;
  // Defined symbols by section, and the hash of each section's bytes.
  struct Defined {
    std::string Name;
    uint64_t Value, Size;
  };
  llvm::DenseMap<uint64_t, std::vector<Defined>> BySection;
  llvm::DenseMap<uint64_t, llvm::StringRef> SectionContents;
  for (const SectionRef &S : Elf->sections()) {
    auto Contents = S.getContents();
    if (!Contents)
      return bad(What, llvm::toString(Contents.takeError()));
    SectionContents[S.getIndex()] = *Contents;
  }
  for (const ELFSymbolRef &Sym : Elf->symbols()) {
    uint8_t Type = Sym.getELFType();
    auto Name = Sym.getName();
    if (!Name)
      return bad(What, llvm::toString(Name.takeError()));
    if (Type == llvm::ELF::STT_FILE) {
      if (Out.FileName.empty())
        Out.FileName = Name->str();
      continue;
    }
    if (Type != llvm::ELF::STT_FUNC && Type != llvm::ELF::STT_OBJECT &&
        Type != llvm::ELF::STT_TLS)
      continue;
    auto Sec = Sym.getSection();
    if (!Sec)
      return bad(What, llvm::toString(Sec.takeError()));
    if (*Sec == Elf->section_end() || Name->starts_with(".L"))
      continue; // undefined, common, or private (a string literal)
    SymbolCode &C = Out.Symbols[*Name];
    C.Function = Type == llvm::ELF::STT_FUNC;
    C.Local = Sym.getBinding() == llvm::ELF::STB_LOCAL;
    C.Writable = !C.Function && (ELFSectionRef(**Sec).getFlags() & llvm::ELF::SHF_WRITE);
    C.Size = Sym.getSize();
    BySection[(*Sec)->getIndex()].push_back({Name->str(), symbolValue(Sym), Sym.getSize()});
  }

  // Relocations by the section they apply to. Each target is named so
  // that moving it (another variable or string added before it) does not
  // count as a change: a symbol by its name; a section holding one symbol
  // (-fdata-sections) by that symbol; a string in a string section by its
  // text; any other section by its name. Data of this object also brings
  // its bytes and relocations (Range), so that a changed string, constant
  // or initial value changes the code that reads it.
  struct Range {
    uint64_t Section = 0, Begin = 0, End = 0;
  };
  struct Reloc {
    uint64_t Offset;
    uint64_t Type;
    int64_t Addend;
    std::string Name;
    bool IsSymbol = false; // Name is a symbol's (a reference)
    std::optional<Range> Data;
  };
  auto IsPCRelative = [](uint64_t Type) {
    using namespace llvm::ELF;
    return Type == R_X86_64_PC32 || Type == R_X86_64_PLT32 || Type == R_X86_64_GOTPCREL ||
           Type == R_X86_64_GOTPCRELX || Type == R_X86_64_REX_GOTPCRELX || Type == R_X86_64_PC64;
  };
  llvm::DenseMap<uint64_t, std::vector<Reloc>> Relocs;
  for (const SectionRef &S : Elf->sections()) {
    auto Target = S.getRelocatedSection();
    if (!Target)
      return bad(What, llvm::toString(Target.takeError()));
    if (*Target == Elf->section_end())
      continue;
    for (const RelocationRef &R : S.relocations()) {
      ELFRelocationRef ER(R);
      Reloc Out{ER.getOffset(), ER.getType(), 0, "", false, std::nullopt};
      auto Addend = ER.getAddend();
      if (Addend)
        Out.Addend = *Addend;
      else
        llvm::consumeError(Addend.takeError());
      symbol_iterator Sym = ER.getSymbol();
      if (Sym == Elf->symbol_end()) {
        Relocs[(*Target)->getIndex()].push_back(std::move(Out));
        continue;
      }
      ELFSymbolRef T(*Sym);
      auto Sec = T.getSection();
      if (!Sec)
        return bad(What, llvm::toString(Sec.takeError()));
      bool Defined = *Sec != Elf->section_end();
      uint64_t Index = Defined ? (*Sec)->getIndex() : 0;
      uint64_t Flags = Defined ? ELFSectionRef(**Sec).getFlags() : 0;
      bool IsData = Defined && !(Flags & llvm::ELF::SHF_EXECINSTR);
      // A place in a section with no name of its own: a section symbol,
      // or a private symbol (.L.str.3, numbered in the order of the unit).
      bool Anonymous = T.getELFType() == llvm::ELF::STT_SECTION;
      if (!Anonymous && IsData && T.getBinding() == llvm::ELF::STB_LOCAL) {
        auto N = T.getName();
        Anonymous = N && N->starts_with(".L");
        if (!N)
          llvm::consumeError(N.takeError());
      }
      if (!Anonymous) {
        auto N = T.getName();
        if (!N)
          return bad(What, llvm::toString(N.takeError()));
        Out.Name = N->str();
        Out.IsSymbol = true;
        if (IsData && T.getBinding() == llvm::ELF::STB_LOCAL) {
          uint64_t V = symbolValue(T);
          Out.Data = Range{Index, V, V + T.getSize()};
        }
      } else if (!Defined) {
        Out.Name = "section ?";
      } else if (auto One = BySection.find(Index);
                 T.getELFType() == llvm::ELF::STT_SECTION && One != BySection.end() &&
                 One->second.size() == 1 && One->second[0].Value == 0) {
        Out.Name = One->second[0].Name;
        Out.IsSymbol = true;
        if (IsData)
          Out.Data = Range{Index, 0, One->second[0].Size};
      } else {
        auto SecName = (*Sec)->getName();
        Out.Name = "section " + (SecName ? SecName->str() : std::string("?"));
        if (!SecName)
          llvm::consumeError(SecName.takeError());
        llvm::StringRef Contents = SectionContents[Index];
        int64_t Base = int64_t(symbolValue(T));
        int64_t At = Base + Out.Addend + (IsPCRelative(Out.Type) ? 4 : 0);
        uint64_t EntSize = 0;
        if (auto Shdr = Elf->getELFFile().getSection((*Sec)->getIndex()))
          EntSize = (*Shdr)->sh_entsize;
        else
          llvm::consumeError(Shdr.takeError());
        if ((Flags & llvm::ELF::SHF_STRINGS) && At >= 0 && uint64_t(At) < Contents.size() &&
            (At == 0 || Contents[At - 1] == '\0')) {
          llvm::StringRef Str = Contents.drop_front(At);
          Str = Str.take_until([](char C) { return C == '\0'; });
          Out.Name += " string " + llvm::toHex(Str);
          Out.Addend -= At - Base;
        } else if ((Flags & llvm::ELF::SHF_MERGE) && EntSize > 0 && At >= 0 &&
                   uint64_t(At) % EntSize == 0 && uint64_t(At) + EntSize <= Contents.size()) {
          // A constant of a merged constant pool (.rodata.cst4, ...): its
          // value, not its place among the unit's other constants.
          Out.Name += " constant " + llvm::toHex(Contents.substr(At, EntSize));
          Out.Addend -= At - Base;
        } else {
          Out.Addend += Base;
          if (IsData)
            Out.Data = Range{Index, 0, std::max<uint64_t>(Contents.size(), (*Sec)->getSize())};
        }
      }
      Relocs[(*Target)->getIndex()].push_back(std::move(Out));
    }
  }
  for (auto &E : Relocs)
    llvm::sort(E.second, [](const Reloc &A, const Reloc &B) { return A.Offset < B.Offset; });

  // The bytes of [Begin, End) of a section and its relocations there.
  auto Shallow = [&](uint64_t Index, uint64_t Begin, uint64_t End) {
    llvm::StringRef Contents = SectionContents[Index];
    Hasher H;
    if (Begin <= End && End <= Contents.size())
      H.add(Contents.slice(Begin, End));
    else
      H.add(End - Begin); // .bss: no bytes, only a size
    for (const Reloc &R : Relocs[Index])
      if (R.Offset >= Begin && R.Offset < End)
        H.add(R.Offset - Begin).add(R.Type).add(uint64_t(R.Addend)).add(llvm::StringRef(R.Name));
    return H.final();
  };

  for (auto &[Index, Syms] : BySection) {
    llvm::StringRef Contents = SectionContents[Index];
    for (const Defined &D : Syms) {
      SymbolCode &C = Out.Symbols[D.Name];
      // With one symbol in the section, all of it (alignment padding and
      // all); otherwise the symbol's own bytes.
      uint64_t Begin = Syms.size() == 1 ? 0 : D.Value;
      uint64_t End = Syms.size() == 1 ? std::max<uint64_t>(Contents.size(), D.Size) : D.Value + D.Size;
      Hasher H;
      H.add(llvm::StringRef(C.Function ? "function" : "data")).add(Shallow(Index, Begin, End));
      for (const Reloc &R : Relocs[Index]) {
        if (R.Offset < Begin || R.Offset >= End)
          continue;
        if (R.Data)
          H.add(Shallow(R.Data->Section, R.Data->Begin, R.Data->End));
        if (R.IsSymbol)
          C.Refs.push_back(R.Name);
      }
      C.Code = H.final();
      llvm::sort(C.Refs);
      C.Refs.erase(std::unique(C.Refs.begin(), C.Refs.end()), C.Refs.end());
    }
  }
  return Out;
}

} // namespace hotast
