//===- SkippedLines.cpp - Lines only another compiler may see -----------===//

#include "SkippedLines.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace hotast {

void SkippedLines::defined(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> BodyWords,
                           llvm::ArrayRef<Paste> Pastes) {
  Macros.define(Name, BodyWords, Pastes);
}

void SkippedLines::skipped(llvm::StringRef Text, clang::FileID File, unsigned Line,
                           bool System) {
  // One raw lexing of the region: the #define bodies (they expand where the
  // macro is used: used()), what expands at the region's place, and a line
  // builtin that a declaration's default argument may call. The
  // installation's lines do not move: there only a call of a line builtin
  // matters; in the project's code, a mention (a declaration may name one).
  Region R{File, Line, {}};
  llvm::StringSet<> Seen;
  std::string Copy(Text); // the lexer reads up to a NUL
  RawFacts Facts = lexRaw(
      Copy, Macros,
      [&](llvm::StringRef W, size_t) {
        if (!System && Seen.insert(W).second)
          R.Words.push_back(W.str());
      },
      [&](llvm::StringRef Name) { SkippedDefines.insert(Name); });
  if (Facts.CallsLineBuiltin || (!System && Facts.SpellsLineBuiltin))
    SkippedLineBuiltin = true;
  if (!System)
    Regions.push_back(std::move(R));
}

SkippedLines::Verdict SkippedLines::finish(Hasher &H) const {
  llvm::StringSet<> Reach = Macros.reach();
  Verdict V;
  V.AllLines = SkippedLineBuiltin;
  for (const auto &W : Reach)
    V.LineNames.push_back(W.getKey().str());
  llvm::sort(V.LineNames);
  if (V.AllLines)
    return V;
  H.add("skipped region places");
  for (size_t I = 0; I != Regions.size(); ++I) {
    const Region &R = Regions[I];
    if (LineBuiltinSeen ||
        llvm::any_of(R.Words, [&](const std::string &W) { return Reach.contains(W); })) {
      H.add(uint64_t(I)).add(uint64_t(R.Line));
      V.LineFiles.push_back(R.File);
    }
  }
  H.add("uses of skipped definitions");
  for (const Use &U : Uses)
    if (Reach.contains(U.Name)) {
      H.add(U.Name).add(uint64_t(U.Line));
      V.LineFiles.push_back(U.File);
    }
  return V;
}

} // namespace hotast
