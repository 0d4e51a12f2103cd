//===- LinkRecord.cpp - What a linked program was made from ---------------===//

#include "hotast/Wrapper/LinkRecord.h"

#include "hotast/Wrapper/DecisionLog.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/Exec.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <chrono>

namespace hotast {

namespace {

llvm::Error noBuildId(llvm::StringRef Path, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 Path + ": no build id: " + Why);
}

uint64_t read64(const char *P) { return llvm::support::endian::read64le(P); }
uint32_t read32(const char *P) { return llvm::support::endian::read32le(P); }
uint16_t read16(const char *P) { return llvm::support::endian::read16le(P); }

/// The build id among the notes in [Begin, End), or "".
std::string buildIdInNotes(llvm::StringRef Notes) {
  while (Notes.size() >= 12) {
    uint32_t NameSize = read32(Notes.data()), DescSize = read32(Notes.data() + 4);
    uint32_t Type = read32(Notes.data() + 8);
    uint64_t NameEnd = 12 + llvm::alignTo(NameSize, 4);
    uint64_t DescEnd = NameEnd + llvm::alignTo(DescSize, 4);
    if (DescEnd > Notes.size())
      return "";
    if (Type == llvm::ELF::NT_GNU_BUILD_ID && NameSize == 4 &&
        Notes.substr(12, 4) == llvm::StringRef("GNU\0", 4) && DescSize > 0)
      return llvm::toHex(Notes.substr(NameEnd, DescSize), /*LowerCase=*/true);
    Notes = Notes.drop_front(DescEnd);
  }
  return "";
}

} // namespace

llvm::Expected<std::string> readBuildId(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return llvm::createFileError(Path, Buf.getError());
  llvm::StringRef F = (*Buf)->getBuffer();
  using namespace llvm::ELF;
  if (F.size() < sizeof(Elf64_Ehdr) || !F.starts_with(ElfMagic) ||
      F[EI_CLASS] != ELFCLASS64 || F[EI_DATA] != ELFDATA2LSB)
    return noBuildId(Path, "not a 64-bit little-endian ELF file");
  uint64_t PhOff = read64(F.data() + offsetof(Elf64_Ehdr, e_phoff));
  uint16_t PhEntSize = read16(F.data() + offsetof(Elf64_Ehdr, e_phentsize));
  uint16_t PhNum = read16(F.data() + offsetof(Elf64_Ehdr, e_phnum));
  for (uint16_t I = 0; I < PhNum; ++I) {
    uint64_t At = PhOff + uint64_t(I) * PhEntSize;
    if (PhEntSize < sizeof(Elf64_Phdr) || At + sizeof(Elf64_Phdr) > F.size())
      return noBuildId(Path, "truncated program headers");
    const char *Ph = F.data() + At;
    if (read32(Ph + offsetof(Elf64_Phdr, p_type)) != PT_NOTE)
      continue;
    uint64_t Off = read64(Ph + offsetof(Elf64_Phdr, p_offset));
    uint64_t Size = read64(Ph + offsetof(Elf64_Phdr, p_filesz));
    if (Off > F.size() || Size > F.size() - Off)
      return noBuildId(Path, "a note segment past the end of the file");
    std::string Id = buildIdInNotes(F.substr(Off, Size));
    if (!Id.empty())
      return Id;
  }
  return noBuildId(Path, "no NT_GNU_BUILD_ID note (link with -Wl,--build-id)");
}

static void logLink(const Config &C, const CompileCommand &Cmd, const llvm::Twine &What) {
  LogRecord R;
  R.Event = LogEvent::Link;
  R.Output = Cmd.Output;
  R.Reason = What.str();
  writeLog(C, R);
}

int runAndRecordLink(const Config &C, llvm::ArrayRef<std::string> Argv,
                     const CompileCommand &Cmd) {
  auto Program = llvm::sys::findProgramByName(Argv.front());
  if (!Program)
    return execCompiler(Argv); // it says why it cannot run
  std::vector<llvm::StringRef> Args(Argv.begin(), Argv.end());
  std::string Error;
  int Status = llvm::sys::ExecuteAndWait(*Program, Args, std::nullopt, {}, 0, 0, &Error);
  if (Status < 0) {
    logLink(C, Cmd, "cannot run '" + *Program + "': " + Error);
    return 127;
  }
  if (Status != 0)
    return Status;
  auto Record = [&]() -> llvm::Error {
    auto Id = readBuildId(Cmd.Output);
    if (!Id)
      return Id.takeError();
    std::vector<std::string> Files;
    for (const std::string &In : Cmd.Inputs)
      if (llvm::sys::fs::is_regular_file(In))
        Files.push_back(In);
    auto Stamps = stampFiles(Files);
    if (!Stamps)
      return Stamps.takeError();
    LinkRecord L;
    L.BuildId = *Id;
    L.Output = Cmd.Output;
    llvm::SmallString<256> Cwd;
    if (!llvm::sys::fs::current_path(Cwd))
      L.WorkingDir = std::string(Cwd);
    L.LinkedAt = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    L.Inputs = std::move(*Stamps);
    auto S = Store::open(C.CacheDir);
    if (!S)
      return S.takeError();
    if (llvm::Error E = (*S)->putLink(L))
      return E;
    logLink(C, Cmd, "recorded build id " + L.BuildId + ", " + llvm::Twine(L.Inputs.size()) +
                        " inputs");
    return llvm::Error::success();
  };
  if (llvm::Error E = Record())
    logLink(C, Cmd, "not recorded: " + llvm::toString(std::move(E)));
  return 0;
}

} // namespace hotast
