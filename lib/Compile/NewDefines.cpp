//===- NewDefines.cpp - A new #define of a name the unit never read -------===//

#include "NewDefines.h"

#include "FreeMacroBodies.h"

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

} // namespace hotast
