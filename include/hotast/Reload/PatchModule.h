//===- PatchModule.h - A translation unit's IR cut down to a patch -*- C++ -*-===//
//
// Turns the unoptimised module of an edited translation unit into the
// module of a patch library that keeps the running program's state:
//   - functions whose code changed keep their definitions, under a name of the
//     patch's own (protected: calls inside the patch stay inside it);
//   - every other function and variable the program already has becomes a
//     declaration bound to the program's address (the linker script the
//     caller writes defines each bind name), so globals, file-scope statics,
//     static locals and their guards are the program's own, and no
//     initializer of an existing variable runs again;
//   - dynamic initializers run at load only for variables the patch adds;
//   - new functions and variables stay in the patch; constants of internal
//     linkage are copied (they hold no state);
//   - thread-locals bind by name through the dynamic symbol table.
// The rule that keeps this sound: a function is bound to the program's
// symbol of the same name only when the caller found its code unchanged
// (ObjectCode); everything else is either redirected or the patch's own.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_RELOAD_PATCHMODULE_H
#define HOTAST_RELOAD_PATCHMODULE_H

#include "hotast/Reload/ProgramImage.h"
#include "llvm/ADT/StringSet.h"
#include <string>
#include <vector>

namespace llvm {
class Module;
}

namespace hotast {

struct PatchEdit {
  struct Function {
    std::string Symbol;    // in the program
    uint64_t Offset = 0;   // of its entry from the executable's load base
    std::string NewSymbol; // in the patch
  };
  std::vector<Function> Functions;
  /// Bind name -> the program's address.
  std::vector<std::pair<std::string, uint64_t>> Bindings;
  /// Why the edit cannot be patched (empty when it can).
  std::vector<std::string> Refusals;
  /// Variables added by the edit whose initializers run when the patch loads.
  std::vector<std::string> NewVariables;
};

struct PatchModuleOptions {
  /// The object's STT_FILE name: where its internal symbols are.
  std::string FileName;
  /// Functions (by symbol) whose code is not the running program's: the
  /// executable's are redirected, others (new, or added by an earlier
  /// patch) are the patch's own. Every caller of one of the latter must be
  /// in the set too.
  llvm::StringSet<> Changed;
  unsigned OptLevel = 0;
  /// Distinguishes this patch's names.
  std::string Tag;
};

/// Edits M in place (see above). Bind and patch names are numbered from
/// Counter, which is advanced (one counter across the modules of a patch).
PatchEdit cutPatchModule(llvm::Module &M, const ProgramImage &Image,
                         const PatchModuleOptions &Opts, unsigned &Counter);

/// Compiler-made functions that belong to one compile (initializers of the
/// translation unit's globals): never bound or redirected by name.
bool isUnitInitializer(llvm::StringRef Symbol);

} // namespace hotast

#endif
