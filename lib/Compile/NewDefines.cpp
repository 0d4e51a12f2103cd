//===- NewDefines.cpp - A new #define of a name the unit never read -------===//

#include "NewDefines.h"

#include "FreeMacroBodies.h"

#include "hotast/Compile/CodeLines.h"
#include "hotast/Support/NameFilter.h"

#include "clang/Basic/CharInfo.h"
#include "clang/Basic/LangOptions.h"

namespace hotast {

static llvm::StringRef identifierAt(llvm::StringRef S) {
  if (S.empty() || !clang::isAsciiIdentifierStart(S[0]))
    return {};
  return S.take_while([](char C) { return clang::isAsciiIdentifierContinue(C); });
}

std::optional<llvm::StringRef> newDefineName(llvm::StringRef Line, const clang::LangOptions &LO) {
  if (LO.AsmPreprocessor)
    return std::nullopt;
  llvm::StringRef S = Line.ltrim(" \t");
  if (!S.consume_front("#"))
    return std::nullopt;
  S = S.ltrim(" \t");
  if (!S.consume_front("define") || S.empty() || (S[0] != ' ' && S[0] != '\t'))
    return std::nullopt;
  S = S.ltrim(" \t");
  llvm::StringRef Name = identifierAt(S);
  if (Name.empty() || Name[0] == '_' || Name.contains("__") || Name == "defined")
    return std::nullopt;
  llvm::StringRef Body = S.drop_front(Name.size());
  // Object-like: a blank or the end after the name (plainMacroBody says).
  if (!plainMacroBody(Body, /*ObjectLike=*/true, LO))
    return std::nullopt;
  return Name;
}

void definedNames(llvm::StringRef Text, llvm::function_ref<void(llvm::StringRef)> Add) {
  for (size_t At = Text.find("define"); At != llvm::StringRef::npos;
       At = Text.find("define", At + 1)) {
    llvm::StringRef After = Text.drop_front(At + 6).ltrim(" \t\\\r\n\f\v");
    if (llvm::StringRef Name = identifierAt(After); !Name.empty())
      Add(Name);
  }
}

/// How many times Text spells Name as a whole identifier.
static unsigned spellings(llvm::StringRef Text, llvm::StringRef Name) {
  unsigned N = 0;
  for (size_t At = Text.find(Name); At != llvm::StringRef::npos; At = Text.find(Name, At + 1))
    if ((At == 0 || !clang::isAsciiIdentifierContinue(Text[At - 1])) &&
        (At + Name.size() == Text.size() ||
         !clang::isAsciiIdentifierContinue(Text[At + Name.size()])))
      ++N;
  return N;
}

std::string withoutNewDefines(llvm::StringRef Text, const NameFilter &Read,
                              const clang::LangOptions &LO) {
  std::string Out;
  Out.reserve(Text.size());
  bool Joined = false; // the line above ends with a backslash
  for (llvm::StringRef Rest = Text; !Rest.empty();) {
    size_t End = Rest.find('\n');
    llvm::StringRef Whole = Rest.take_front(End == llvm::StringRef::npos ? Rest.size() : End + 1);
    llvm::StringRef Line = Whole.rtrim("\r\n");
    std::optional<llvm::StringRef> Name;
    if (!Joined)
      Name = newDefineName(Line, LO);
    // A name the text spells again may be read there: its line stays.
    if (!Name || Read.mayHold(*Name) || spellings(Text, *Name) != 1)
      Out += Whole;
    Joined = Line.ends_with("\\");
    Rest = Rest.drop_front(Whole.size());
  }
  return Out;
}

} // namespace hotast
