//===- Depfile.h - The Make syntax of depfiles ------------------*- C++ -*-===//
//
// Depfiles are Make rules (-MD, -MMD): targets quoted as GCC and Clang quote
// them, prerequisites read as Make reads them. Both directions in one place.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_SUPPORT_DEPFILE_H
#define HOTAST_SUPPORT_DEPFILE_H

#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace hotast {

/// Quotes a target for Make as GCC and Clang do for -MQ and the default
/// target: '$' doubles, '#' and blanks get a backslash, and backslashes
/// before a blank are doubled so the blank's backslash is not eaten by them.
std::string quoteForMake(llvm::StringRef Target);

/// Depfile text without its targets: what follows the targets' colon.
llvm::StringRef depfileBody(llvm::StringRef Text);

/// The prerequisites of a depfile's first rule, unquoted as Make reads them
/// (backslash-newline continues, "\ " and "\#" are the character, "$$" is
/// '$'); the phony rules -MP adds after it are left out.
std::vector<std::string> depfileInputs(llvm::StringRef Text);

} // namespace hotast

#endif
