//===- UnparsedLines.cpp - A first compile's free lines, without a parse --===//

#include "hotast/Compile/UnparsedLines.h"

#include "hotast/Compile/LineWords.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"

namespace hotast {

namespace {

bool systemFile(llvm::StringRef Path) { return Path.starts_with("/usr/"); }

/// The command line's -DNAME=BODY definitions, into Macros.
void defineFromArgs(llvm::ArrayRef<std::string> Args, MacroReach &Macros) {
  for (size_t I = 0; I != Args.size(); ++I) {
    llvm::StringRef A = Args[I];
    llvm::StringRef Def;
    if (A == "-D" && I + 1 != Args.size())
      Def = Args[++I];
    else if (A.starts_with("-D"))
      Def = A.drop_front(2);
    else
      continue;
    auto [Name, Body] = Def.split('=');
    llvm::SmallVector<llvm::StringRef, 8> Words;
    forEachWord(Body, [&](llvm::StringRef W) { Words.push_back(W); });
    std::vector<Paste> Pastes;
    if (Body.contains("##"))
      Pastes.emplace_back(); // any name
    Macros.define(Name.trim(), Words, Pastes);
  }
}

} // namespace

std::vector<std::optional<unsigned>> fixedLines(llvm::ArrayRef<ReadFile> Files,
                                                llvm::ArrayRef<std::string> Args) {
  MacroReach Macros;
  defineFromArgs(Args, Macros);
  // Per project file, each word that expands in place, with the end of the
  // last span it is in.
  std::vector<llvm::StringMap<size_t>> InPlace(Files.size());
  bool All = false;
  for (size_t I = 0; I != Files.size(); ++I) {
    bool System = systemFile(Files[I].Path);
    llvm::StringMap<size_t> &Words = InPlace[I];
    RawFacts Facts = lexRaw(Files[I].Text, Macros, [&](llvm::StringRef W, size_t SpanEnd) {
      if (System)
        return;
      size_t &End = Words[W];
      End = std::max(End, SpanEnd);
    });
    All |= Facts.CallsLineBuiltin || (!System && (Facts.SpellsLineBuiltin || Facts.ProbesQuoted));
  }
  std::vector<std::optional<unsigned>> Out(Files.size());
  if (All)
    return Out;
  llvm::StringSet<> Reach = Macros.reach();
  for (size_t I = 0; I != Files.size(); ++I) {
    if (systemFile(Files[I].Path))
      continue;
    size_t End = 0;
    for (const auto &W : InPlace[I])
      if (Reach.contains(W.getKey()))
        End = std::max(End, W.getValue());
    // The line of the span's last byte.
    llvm::StringRef Text = Files[I].Text;
    Out[I] = End == 0 ? 0 : unsigned(Text.take_front(End - 1).count('\n') + 1);
  }
  return Out;
}

} // namespace hotast
