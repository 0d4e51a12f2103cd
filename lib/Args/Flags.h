//===- Flags.h - What GCC and Clang flags mean to hotast --------*- C++ -*-===//
//
// The flag knowledge the classifier needs, kept apart from the walk over the
// command line: which flags take the next argument as their value, which
// make a compile uncacheable at once and why, and what kind of input a
// source is. These refusals spare a Clang-linked process for commands that
// are plainly not one cacheable compile; the allow-list that decides for
// every other option is hotast/Compile/OptionPolicy.h.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_ARGS_FLAGS_H
#define HOTAST_LIB_ARGS_FLAGS_H

#include "llvm/ADT/StringRef.h"

namespace hotast {
namespace flags {

/// True when Flag, written alone, takes the next argument as its value
/// ("-I dir", "-include f.h", "-Xclang -foo"). Knowing these keeps a value
/// from being mistaken for a source file.
bool takesSeparateValue(llvm::StringRef Flag);

/// Why a compile that passes Flag to the driver cannot be cached, or an
/// empty string when Flag alone is no obstacle (unknown flags included:
/// they are hashed, not refused).
llvm::StringRef refusalReason(llvm::StringRef Flag);

/// Like refusalReason, for the value of -Xclang: cc1 flags that change the
/// frontend action or load code, on top of the driver's list.
llvm::StringRef xclangRefusalReason(llvm::StringRef Cc1Flag);

/// What an input file is, from -x or from its extension.
enum class InputKind { C, CXX, Header, Module, Other };

/// The kind of Path by its extension (case matters: .C is C++, .c is C).
InputKind inputKindFromExtension(llvm::StringRef Path);

/// The kind named by the value of -x ("c", "c++", "c++-header", ...).
InputKind inputKindFromLanguage(llvm::StringRef Language);

/// The refusal reason for an input of Kind, or "" for C and C++.
llvm::StringRef refusalReason(InputKind Kind);

} // namespace flags
} // namespace hotast

#endif
