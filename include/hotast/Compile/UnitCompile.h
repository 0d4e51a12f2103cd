//===- UnitCompile.h - One translation unit as IR, for a patch --*- C++ -*-===//
//
// Hot reload compiles the translation units an edit reaches with the linked
// Clang, in-process, from the command that built them. One parse gives three
// things: the declaration records (the fingerprint's closure), the module
// as IR generation left it (before any optimisation), and from a copy of
// that module, through clang's own back end with the command's options, the
// object the build itself would write. The patch builder edits the module
// and has it compiled again as position-independent code.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_UNITCOMPILE_H
#define HOTAST_COMPILE_UNITCOMPILE_H

#include "hotast/Analysis/DeclRecord.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace hotast {

class UnitCompile {
public:
  ~UnitCompile();
  UnitCompile(UnitCompile &&);

  /// Parses and generates IR for Argv (Argv[0] the linked clang) in
  /// WorkingDir. With PreambleDir, the main file's preamble kept there
  /// precompiled (precompilePreamble) is used while it and the files it
  /// read are unchanged (lib/Compile/Preamble.h). Diagnostics are kept in
  /// stderrText(), not printed. An error means the command cannot be
  /// compiled in-process at all; a compile that fails is a UnitCompile with
  /// a non-zero exitCode().
  static llvm::Expected<UnitCompile> run(llvm::ArrayRef<std::string> Argv,
                                         llvm::StringRef WorkingDir,
                                         llvm::StringRef PreambleDir = "");

  int exitCode() const;
  const std::string &stderrText() const;
  /// The declaration records (the fingerprint's closure).
  const std::vector<DeclRecord> &records() const;
  /// Every file the compile read, the main file first.
  const std::vector<std::string> &inputFiles() const;
  /// The symbols of the project's functions and variables (outside system
  /// headers) by declaration key; constructors and destructors with every
  /// variant.
  const llvm::StringMap<std::vector<std::string>> &symbols() const;
  /// What became of the preamble: "reused", "missing", or why none was used.
  const std::string &preambleState() const;
  /// True when File (as records name it) is a system header.
  bool isSystemFile(llvm::StringRef File) const;
  /// The -O level of the command (0-3; -Os and -Oz count as 2).
  unsigned optLevel() const;
  /// The unoptimised module (null when the compile failed).
  llvm::Module *module();

  /// The object the build writes for this command (its options, its
  /// optimisation, its relocation model), from a copy of module(). run()
  /// has made it already, on a second thread beside the records; this
  /// hands it over (a second call builds it again).
  llvm::Expected<std::string> buildObject();
  /// How long the back end took for that object (on its own thread, inside
  /// run()'s time).
  double objectMilliseconds() const;

  /// Optimises M (a module of this unit's context, edited from module())
  /// with the command's options and compiles it as position-independent
  /// code for a shared library.
  llvm::Expected<std::string> patchObject(llvm::Module &M);

private:
  struct Impl;
  explicit UnitCompile(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> P;
};

/// Builds and keeps in PreambleDir the precompiled preamble of the unit
/// Argv compiles in WorkingDir, unless a valid one is kept already.
llvm::Error precompilePreamble(llvm::ArrayRef<std::string> Argv, llvm::StringRef WorkingDir,
                               llvm::StringRef PreambleDir);

} // namespace hotast

#endif
