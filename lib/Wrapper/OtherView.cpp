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

bool OtherView::linesMayCount(llvm::StringRef CompilerDepfile) const {
  return spellsALine(otherFiles(CompilerDepfile));
}

bool OtherView::spellsALine(llvm::ArrayRef<std::string> Other) const {
  for (const std::string &F : Other) {
    auto Bytes = llvm::MemoryBuffer::getFile(F, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!Bytes)
      return true;
    bool Spells = false;
    forEachWord((*Bytes)->getBuffer(), [&](llvm::StringRef W) {
      Spells |= isLineWord(W) || LineNames.contains(W);
    });
    if (Spells)
      return true;
  }
  return false;
}

std::optional<Hash128> OtherView::of(llvm::StringRef CompilerDepfile,
                                     ContentLookup ContentOf) const {
  auto Content = [&](const std::string &F) -> std::optional<Hash128> {
    if (ContentOf)
      return ContentOf(F);
    auto Bytes = llvm::MemoryBuffer::getFile(F, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!Bytes)
      return std::nullopt;
    return hashBytes((*Bytes)->getBuffer());
  };
  Hasher H;
  H.add("other view").add(ClangView);
  std::vector<std::string> Other = otherFiles(CompilerDepfile);
  for (const std::string &F : Other) {
    std::optional<Hash128> C = Content(F);
    if (!C)
      return std::nullopt;
    H.add(F).add(*C);
  }
  if (spellsALine(Other)) {
    H.add("project bytes");
    for (const std::string &F : ProjectFiles) {
      std::optional<Hash128> C = Content(F);
      if (!C)
        return std::nullopt;
      H.add(F).add(*C);
    }
  }
  return H.final();
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
