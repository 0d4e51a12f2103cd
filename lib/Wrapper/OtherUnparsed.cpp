//===- OtherUnparsed.cpp - A compile without a parse ----------------------===//
//
// A compile with another compiler that runs without Clang's parse: the
// unit's first compile, whose depfile names every file it read, or one
// that cannot have a fingerprint. What the parse would have said of those
// files is scanned for instead (asm directives that read files, the clock
// macros, code lines), and the object is kept under a key only the
// direct-mode entry names.
//
//===----------------------------------------------------------------------===//

#include "OtherCompileInternal.h"

#include "hotast/Compile/AsmScan.h"
#include "hotast/Compile/CodeLines.h"
#include "hotast/Compile/UnparsedLines.h"
#include "hotast/Wrapper/DirectMode.h"

#include "llvm/Support/MemoryBuffer.h"
#include <cstring>

namespace hotast {
namespace semantic {

/// The unit's first compile through hotast when it may run without a parse
/// (docs/wrapper.md, "The first compile of a unit"): the command writes a
/// depfile with system headers, which names every file the compiler read,
/// and the unit has no snapshot (the caller knows it has no unparsed
/// record).
bool firstCompile(Job &J) {
  if (!J.Cmd.Depfile.Enabled || !J.Cmd.Depfile.SystemHeaders || J.C.Remote.Only)
    return false;
  auto Snapshot = J.S->hasSnapshot(J.UnitKey);
  if (!Snapshot) {
    llvm::consumeError(Snapshot.takeError());
    return false;
  }
  return !*Snapshot;
}

/// Whether Text spells __DATE__, __TIME__ or __TIMESTAMP__ (glibc's memmem:
/// hundreds of headers are searched for each first compile).
static bool spellsClock(llvm::StringRef Text) {
  for (llvm::StringRef Word : {"__DATE__", "__TIME__", "__TIMESTAMP__"})
    if (::memmem(Text.data(), Text.size(), Word.data(), Word.size()))
      return true;
  return false;
}

/// What the parse would have said of the files a compile read without one:
/// "" when a result may be kept, else why not: a project file (not the
/// system's, under /usr, as for skipped regions) may hold an asm directive
/// that reads a file (AsmScan.h). Sets ClockFile to a file that spells
/// __DATE__, __TIME__ or __TIMESTAMP__ (the object then has no direct-mode
/// entry). Gives each project file whose lines may move (no location
/// option; UnparsedLines.h) its code lines, so that a comment line added
/// there is a hit without a parse (CodeLines.h).
std::string scanUnparsed(Job &J, const OptionPolicy &Policy, std::vector<FileStamp> &Files,
                         std::string &ClockFile) {
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> Buffers;
  std::vector<ReadFile> Read;
  for (const FileStamp &F : Files) {
    // Read, not mapped (as stampFiles).
    auto Bytes = llvm::MemoryBuffer::getFile(F.Path, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/true, /*IsVolatile=*/true);
    if (!Bytes)
      return F.Path + " cannot be read now";
    llvm::StringRef Text = (*Bytes)->getBuffer();
    if (!llvm::StringRef(F.Path).starts_with("/usr/") && sourceMayHoldAsmFileDirective(Text))
      return std::string(AsmReadsFile) + " in " + F.Path;
    if (ClockFile.empty() && spellsClock(Text))
      ClockFile = F.Path;
    Read.push_back({F.Path, Text});
    Buffers.push_back(std::move(*Bytes));
  }
  if (Policy.Locations != LocationUse::None)
    return "";
  std::vector<std::optional<unsigned>> Fixed = fixedLines(Read, J.Cmd.HashedArgs);
  std::optional<CodeLinesReader> Reader;
  for (size_t I = 0; I != Files.size(); ++I) {
    // The bytes read here must be those the stamp names (the file may be
    // saved meanwhile).
    if (!Fixed[I] || hashBytes(Read[I].Text) != Files[I].Content)
      continue;
    if (!Reader) {
      auto R = CodeLinesReader::forCommand(J.Expanded, CommentRule::OtherCompiler);
      if (!R) {
        llvm::consumeError(R.takeError());
        return "";
      }
      if (!*R)
        return "";
      Reader.emplace(std::move(**R));
    }
    Files[I].CodeFixedLines = *Fixed[I];
    Files[I].Code = Reader->ofText(Read[I].Text, *Fixed[I]);
  }
  return "";
}

/// A compile without a fingerprint: the compiler runs; its object is kept
/// under a key only the direct-mode entry names, from the files its depfile
/// lists. For a unit's first compile (BytesOnlyWhy empty) the contents of
/// those files are kept (outside /usr) for the fingerprint the unit's next
/// change computes (fingerprintUnparsed); otherwise the compile cannot have
/// one (BytesOnlyWhy says why) and is kept for its bytes alone.
llvm::Expected<int> compileUnparsed(Job &J, const OptionPolicy &Policy,
                                    llvm::StringRef BytesOnlyWhy,
                                    std::vector<std::string> Notes) {
  std::string Stderr;
  auto Status = runCompiler(J, Stderr);
  if (!Status || *Status != 0)
    return Status;
  auto NotKept = [&J](std::string Why) {
    J.bump(counter::Uncacheable);
    J.decided(LogEvent::NotCached, std::move(Why));
    return 0;
  };
  std::string Written = readDepfile(J);
  std::vector<std::string> Files = depfileInputs(Written);
  for (const std::string &F : Policy.InputFiles)
    if (!llvm::is_contained(Files, F))
      Files.push_back(F);
  if (Files.empty())
    return NotKept("the depfile names no file");
  auto Stamps = stampFiles(Files, J.StartNs);
  if (!Stamps)
    return NotKept(llvm::toString(Stamps.takeError()));
  std::string ClockFile;
  if (std::string Why = scanUnparsed(J, Policy, *Stamps, ClockFile); !Why.empty())
    return NotKept(Why);
  if (BytesOnlyWhy.empty())
    keepSources(J, *Stamps);
  Hasher Key;
  Key.add("unparsed result").add(J.DirectKey);
  for (const FileStamp &F : *Stamps)
    Key.add(F.Path).add(F.Content);
  const Hash128 ResultKey = Key.final();
  CachedResult R;
  R.Silent = Stderr.empty();
  // Its warnings may be replayed after a literal edit (parseLiteralEdit).
  if (!R.Silent) {
    if (auto Key = J.Tiers->put(Stderr))
      R.Stderr = *Key;
    else
      J.note("stderr not stored: " + llvm::toString(Key.takeError()));
  }
  R.Depfile = Written;
  std::optional<Hash128> Object = storeObject(J, ResultKey, R);
  countMiss(J);
  if (BytesOnlyWhy.empty())
    J.decided(LogEvent::Miss, "first compile of this unit",
              {"not parsed: fingerprinted when it next changes"});
  else
    J.decided(LogEvent::Miss, "kept for its bytes only: " + BytesOnlyWhy.str(), std::move(Notes));
  if (!Object)
    return 0;
  if (BytesOnlyWhy.empty())
    if (llvm::Error E = J.S->putUnparsed(J.UnitKey, {ResultKey, *Stamps}))
      J.note("no record of the unit: " + llvm::toString(std::move(E)));
  if (!ClockFile.empty()) {
    J.note("no direct-mode entry: " + ClockFile + " spells __DATE__, __TIME__ or __TIMESTAMP__");
    return 0;
  }
  ManifestEntry Entry;
  Entry.Files = StampList(std::move(*Stamps));
  Entry.Fingerprint = ResultKey;
  // The source's code lines key the entry when they alone say it: a comment
  // edit of the source looks it up by them (findCommentEdit).
  if (!Entry.Files.front().Code.isZero() && Entry.Files.front().CodeFixedLines == 0)
    Entry.CodeKey = codeKey(J.Salt, J.Cmd, Entry.Files.front().Code);
  Entry.Depfile = Written;
  if (Policy.Locations != LocationUse::None)
    Entry.WorkingDir = J.Cwd;
  addEntry(J, std::move(Entry), Stderr, /*Portable=*/false);
  return 0;
}

} // namespace semantic
} // namespace hotast
