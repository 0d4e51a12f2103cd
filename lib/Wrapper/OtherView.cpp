//===- OtherView.cpp - What another compiler saw beyond the parse ---------===//

#include "OtherView.h"

#include "hotast/Wrapper/DirectMode.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"

namespace hotast {

OtherView::OtherView(llvm::StringRef ClangDepfile, const CompileOutcome &Out)
    : ClangView(hashBytes(depfileBody(ClangDepfile))) {
  for (const std::string &F : Out.InputFiles)
    if (llvm::sys::fs::UniqueID ID; !llvm::sys::fs::getUniqueID(F, ID))
      Parsed.insert(ID);
}

std::optional<Hash128> OtherView::of(llvm::StringRef CompilerDepfile,
                                     ContentLookup ContentOf) const {
  Hasher H;
  H.add("other view").add(ClangView);
  for (const std::string &F : otherFiles(CompilerDepfile)) {
    if (ContentOf) {
      std::optional<Hash128> Content = ContentOf(F);
      if (!Content)
        return std::nullopt;
      H.add(F).add(*Content);
      continue;
    }
    auto Bytes = llvm::MemoryBuffer::getFile(F, /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
    if (!Bytes)
      return std::nullopt;
    H.add(F).add(hashBytes((*Bytes)->getBuffer()));
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
