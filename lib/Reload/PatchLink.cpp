//===- PatchLink.cpp - The patch's objects to a shared library ------------===//
//
// lld as a library (lld::lldMain, re-entrant): a link costs about what its
// inputs do, where running ld.lld costs ~30 ms of loading libLLVM first.
// lld ends the process only on a corrupt input file (its fatal()); the
// inputs are objects LLVM has just written and a script of assignments.
//
//===----------------------------------------------------------------------===//

#include "PatchLink.h"

#include "lld/Common/Driver.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>
#include <vector>

LLD_HAS_DRIVER(elf)

namespace hotast {

llvm::Error linkPatch(llvm::ArrayRef<std::string> Inputs, llvm::StringRef Output) {
  // lld keeps its state in one global context: one link at a time.
  static std::mutex OneLink;
  static bool Unusable = false;
  std::lock_guard<std::mutex> Lock(OneLink);
  if (Unusable)
    return llvm::createStringError("the linker crashed earlier in this process; restart hotast");
  std::string OutputText(Output);
  std::vector<const char *> Args = {"ld.lld", "-shared", "--build-id=sha1", "-o",
                                    OutputText.c_str()};
  for (const std::string &I : Inputs)
    Args.push_back(I.c_str());
  std::string Log;
  llvm::raw_string_ostream LogOS(Log);
  lld::Result R = lld::lldMain(Args, LogOS, LogOS, {{lld::Gnu, &lld::elf::link}});
  if (!R.canRunAgain)
    Unusable = true;
  if (R.retCode != 0)
    return llvm::createStringError("linking the patch failed:\n" + Log);
  return llvm::Error::success();
}

} // namespace hotast
