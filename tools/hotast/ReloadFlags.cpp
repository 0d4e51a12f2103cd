//===- ReloadFlags.cpp - hotast reload-flags ------------------------------===//
//
// The reload build profile, printed as pkg-config and llvm-config print
// flags, so that any build system can make a program patchable:
//
//   --cflags   -fpatchable-function-entry=18,16  16 bytes of padding before
//                each function entry and a 2-byte NOP at it, which the
//                runtime turns into a jump with one atomic store while other
//                threads run the function (docs/reload.md)
//              -falign-functions=16  entries 16-byte aligned at every -O
//                level (clang aligns them less at -Os and -Oz), so that the
//                jump target in the padding is written with one aligned store
//              -fcf-protection=none  no endbr64 before the entry's NOP
//              -ffunction-sections  one section per function, so that old
//                and new objects can be compared function by function
//              -fdata-sections  one section per variable: code that uses a
//                variable compares equal when another is added before it
//              -I<include>  for hotast/rt.h, the runtime's API
//   --ldflags  -rdynamic  the program's functions and globals in its dynamic
//                symbol table, where a patch binds to them
//              -Wl,--build-id=sha1  the identity a patch is built for
//              the runtime, libhotast-rt, linked even when the program calls
//                none of its functions (it starts from a constructor)
//
//===----------------------------------------------------------------------===//

#include "FrontCommands.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

static void printUsage(llvm::raw_ostream &OS) {
  OS << "USAGE: hotast reload-flags [--cflags] [--ldflags]\n\n"
        "Prints the compiler (--cflags) and linker (--ldflags) flags that make a program\n"
        "patchable while it runs: patchable function entries, function sections, exported\n"
        "symbols, a build id, and the runtime libhotast-rt. For clang (GCC's entry NOPs\n"
        "cannot be replaced atomically). docs/reload.md explains each flag.\n";
}

int runReloadFlags(CommandArgs Args) {
  bool CFlags = false, LdFlags = false;
  for (llvm::StringRef A : Args) {
    if (A == "--cflags") {
      CFlags = true;
    } else if (A == "--ldflags" || A == "--libs") {
      LdFlags = true;
    } else if (A == "-h" || A == "--help") {
      printUsage(llvm::outs());
      return 0;
    } else {
      llvm::WithColor::error(llvm::errs(), "hotast reload-flags")
          << "unknown argument '" << A << "'\n";
      printUsage(llvm::errs());
      return 2;
    }
  }
  if (!CFlags && !LdFlags) {
    llvm::WithColor::error(llvm::errs(), "hotast reload-flags")
        << "say which flags: --cflags, --ldflags or both\n";
    printUsage(llvm::errs());
    return 2;
  }
  // The runtime sits in ../lib beside this program's folder.
  llvm::SmallString<256> LibDir(llvm::sys::path::parent_path(selfPath()));
  llvm::sys::path::remove_filename(LibDir);
  llvm::sys::path::append(LibDir, "lib");
  std::string Out;
  if (CFlags)
    Out += "-fpatchable-function-entry=18,16 -falign-functions=16 -fcf-protection=none "
           "-ffunction-sections -fdata-sections -I" HOTAST_INCLUDE_DIR;
  if (LdFlags) {
    Out += Out.empty() ? "" : " ";
    Out += "-rdynamic -Wl,--build-id=sha1 -L" + std::string(LibDir) + " -Wl,-rpath," +
           std::string(LibDir) + " -Wl,--push-state,--no-as-needed -lhotast-rt -Wl,--pop-state";
  }
  llvm::outs() << Out << '\n';
  return 0;
}

} // namespace hotast
