//===- LiteralEdit.cpp - An edit that changed integer literals only -------===//

#include "hotast/Compile/LiteralEdit.h"
#include "hotast/Compile/RawTokens.h"

#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace hotast {

namespace {

/// A decimal literal of type int, 1 to 9999999 (seven digits), no suffix,
/// no separator: far from the limits of int, where a warning reads a value
/// (GCC's -Wtype-limits on `x <= 2147483647`).
bool isPlainInt(llvm::StringRef Spelling) {
  return !Spelling.empty() && Spelling.front() >= '1' && Spelling.front() <= '9' &&
         Spelling.size() <= 7 &&
         llvm::all_of(Spelling, [](char C) { return C >= '0' && C <= '9'; });
}

} // namespace

std::optional<LiteralEdit> changedIntegerLiterals(llvm::StringRef Old, llvm::StringRef New) {
  std::vector<RawToken> A = rawTokens(Old), B = rawTokens(New);
  if (A.size() != B.size())
    return std::nullopt;
  LiteralEdit Changed;
  unsigned EndA = 0, EndB = 0;
  for (size_t I = 0; I != A.size(); ++I) {
    // What lies between tokens (spaces, comments) is the same.
    if (Old.slice(EndA, A[I].Offset) != New.slice(EndB, B[I].Offset))
      return std::nullopt;
    llvm::StringRef SA = Old.substr(A[I].Offset, A[I].Length);
    llvm::StringRef SB = New.substr(B[I].Offset, B[I].Length);
    if (SA != SB) {
      if (A[I].Kind != tok::numeric_constant || B[I].Kind != tok::numeric_constant ||
          A[I].Directive || B[I].Directive || !isPlainInt(SA) || !isPlainInt(SB))
        return std::nullopt;
      Changed.Offsets.push_back(B[I].Offset);
      Changed.ColumnsKept &= SA.size() == SB.size();
    }
    EndA = A[I].Offset + A[I].Length;
    EndB = B[I].Offset + B[I].Length;
  }
  if (Old.substr(EndA) != New.substr(EndB))
    return std::nullopt;
  return Changed;
}

} // namespace hotast
