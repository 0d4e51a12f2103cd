//===- OtherCompileInternal.h - A compile with another compiler -*- C++ -*-===//
//
// Shared by the files of a compile with gcc, g++ or another clang
// (compileOther, CompileJob.h): running the compiler and keeping its
// results (OtherCompile.cpp), a compile without a parse (OtherUnparsed.cpp),
// and the unit's first compile given its fingerprint later
// (OtherFirstCompile.cpp). Internal to the wrapper.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_OTHERCOMPILEINTERNAL_H
#define HOTAST_LIB_WRAPPER_OTHERCOMPILEINTERNAL_H

#include "CompileJob.h"

#include "hotast/Compile/InProcess.h"
#include "hotast/Compile/OptionPolicy.h"
#include "hotast/Store/Store.h"

#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace hotast {
namespace semantic {

// OtherCompile.cpp
llvm::Expected<int> runCompiler(Job &J, std::string &Stderr);
Hash128 keepViewed(Job &J, const Hash128 &Fingerprint, const CachedResult &R);
std::string unusable(const Job &J, const ForeignParse &Parse);

// OtherUnparsed.cpp
bool firstCompile(Job &J);
std::string scanUnparsed(Job &J, const OptionPolicy &Policy, std::vector<FileStamp> &Files,
                         std::string &ClockFile);
/// Notes qualify the log's "kept for its bytes only: BytesOnlyWhy".
llvm::Expected<int> compileUnparsed(Job &J, const OptionPolicy &Policy,
                                    llvm::StringRef BytesOnlyWhy = "",
                                    std::vector<std::string> Notes = {});

// OtherFirstCompile.cpp
/// The unit's first compile, parsed as it was (fingerprintUnparsed).
struct FirstCompile {
  ForeignParse Parse;
  CachedResult Result;
  /// The result's viewed key (viewedResultKey).
  Hash128 ResultKey;
  /// A file only the compiler read spells a word that reaches a line.
  bool LinesCount = false;
};

std::string fingerprintUnparsed(Job &J, const OptionPolicy &Policy, const UnparsedUnit &U,
                                std::optional<FirstCompile> &First);
std::optional<ForeignParse> parseLiteralEdit(Job &J, const OptionPolicy &Policy,
                                             const UnparsedUnit &U, bool &Adopted);
std::optional<int> serveFirstCompileComments(Job &J, const UnparsedUnit &U,
                                             const FirstCompile &Then);

} // namespace semantic
} // namespace hotast

#endif
