//===- OtherView.cpp - What another compiler saw beyond the parse ---------===//

#include "OtherView.h"

#include "hotast/Compile/LineWords.h"
#include "hotast/Wrapper/DirectMode.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"

namespace hotast {

OtherView::OtherView(llvm::StringRef ClangDepfile, const CompileOutcome &Out)
    : ClangView(hashBytes(depfileBody(ClangDepfile))) {
  for (const std::string &F : Out.InputFiles) {
    if (llvm::sys::fs::UniqueID ID; !llvm::sys::fs::getUniqueID(F, ID))
      Parsed.insert(ID);
    if (!llvm::StringRef(F).starts_with("/usr/"))
      ProjectFiles.push_back(F);
  }
  for (const std::string &W : Out.LineNames)
    LineNames.insert(W);
}

bool OtherView::spellsALine(llvm::StringRef Text) const {
  bool Spells = false;
  forEachWord(Text, [&](llvm::StringRef W) { Spells |= isLineWord(W) || LineNames.contains(W); });
  return Spells;
}

std::optional<OtherView::Seen> OtherView::of(llvm::StringRef CompilerDepfile,
                                             ContentLookup ContentOf) const {
  Seen Out;
  Hasher H;
  H.add("other view").add(ClangView);
  for (const std::string &F : otherFiles(CompilerDepfile)) {
    // The bytes now: a word that reaches a line is looked for in them (a
    // file that cannot be read counts as one that spells one).
    auto Bytes = llvm::MemoryBuffer::getFile(F, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    Out.LinesCount |= !Bytes || spellsALine((*Bytes)->getBuffer());
    std::optional<Hash128> Content;
    if (ContentOf)
      Content = ContentOf(F);
    else if (Bytes)
      Content = hashBytes((*Bytes)->getBuffer());
    if (!Content)
      return std::nullopt;
    H.add(F).add(*Content);
  }
  if (Out.LinesCount) {
    H.add("project bytes");
    for (const std::string &F : ProjectFiles) {
      std::optional<Hash128> Content;
      if (ContentOf) {
        Content = ContentOf(F);
      } else if (auto Bytes = llvm::MemoryBuffer::getFile(F, /*IsText=*/false,
                                                           /*RequiresNullTerminator=*/false)) {
        Content = hashBytes((*Bytes)->getBuffer());
      }
      if (!Content)
        return std::nullopt;
      H.add(F).add(*Content);
    }
  }
  Out.Hash = H.final();
  return Out;
}

void OtherView::addOtherFiles(llvm::StringRef CompilerDepfile, CompileOutcome &Out) const {
  for (std::string &F : otherFiles(CompilerDepfile))
    if (!llvm::is_contained(Out.InputFiles, F))
      Out.InputFiles.push_back(std::move(F));
}

std::vector<std::string> OtherView::otherFiles(llvm::StringRef CompilerDepfile) const {
  std::vector<std::string> Other;
  for (std::string &F : depfileInputs(CompilerDepfile)) {
    llvm::sys::fs::UniqueID ID;
    if (llvm::sys::fs::getUniqueID(F, ID) || !Parsed.count(ID))
      Other.push_back(std::move(F));
  }
  return Other;
}

} // namespace hotast
