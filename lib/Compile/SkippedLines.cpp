//===- SkippedLines.cpp - Lines only another compiler may see -----------===//

#include "SkippedLines.h"

#include "clang/Basic/CharInfo.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace hotast {

void forEachWord(llvm::StringRef Text, llvm::function_ref<void(llvm::StringRef)> Each) {
  for (size_t I = 0, N = Text.size(); I != N;) {
    char C = Text[I];
    if (clang::isDigit(C)) { // a pp-number: 0x1f, 1e5, 10ul
      while (I != N && (clang::isAsciiIdentifierContinue(Text[I]) || Text[I] == '.'))
        ++I;
    } else if (clang::isAsciiIdentifierStart(C)) {
      size_t Begin = I;
      while (I != N && clang::isAsciiIdentifierContinue(Text[I]))
        ++I;
      Each(Text.slice(Begin, I));
    } else {
      ++I;
    }
  }
}

bool isLineWord(llvm::StringRef Word) {
  return Word == "__LINE__" || Word == "__builtin_LINE" || Word == "__builtin_source_location" ||
         Word == "source_location";
}

namespace {

/// A word that may make a default argument take the line of each call.
bool isDefaultArgumentWord(llvm::StringRef Word) { return Word != "__LINE__" && isLineWord(Word); }

} // namespace

void SkippedLines::defined(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> BodyWords) {
  llvm::StringSet<> &Body = Bodies[Name];
  for (llvm::StringRef W : BodyWords)
    Body.insert(W);
}

void SkippedLines::skipped(llvm::StringRef Text, clang::FileID File, unsigned Line,
                           bool System) {
  // One raw lexing of the region: the #define bodies (they expand where the
  // macro is used: used()), what expands at the region's place (identifiers
  // outside comments, literals and the bodies of #define and #undef), and
  // a line builtin that a declaration's default argument may call.
  Region R{File, Line, {}};
  llvm::StringSet<> Seen;
  std::string Copy(Text); // the lexer reads up to a NUL
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.LineComment = 1;
  clang::Lexer L(clang::SourceLocation::getFromRawEncoding(1), LO, Copy.data(), Copy.data(),
                 Copy.data() + Copy.size());
  enum { Code, AfterHash, DefineName, DefineBody, Undef } State = Code;
  llvm::StringSet<> *Body = nullptr;
  llvm::StringRef Previous; // the identifier just before, outside directives
  clang::Token T;
  for (L.LexFromRawLexer(T); T.isNot(clang::tok::eof); L.LexFromRawLexer(T)) {
    if (T.isAtStartOfLine())
      State = T.is(clang::tok::hash) ? AfterHash : Code;
    if (State == AfterHash && T.is(clang::tok::hash))
      continue;
    // The installation's lines do not move: there only a call of a line
    // builtin (a default argument) matters; in the project's code, a
    // mention (a declaration may name one).
    if (T.is(clang::tok::l_paren) && !Previous.empty() && isDefaultArgumentWord(Previous) &&
        Previous != "source_location")
      SkippedLineBuiltin = true;
    Previous = "";
    if (T.isNot(clang::tok::raw_identifier)) {
      if (State == AfterHash || State == DefineName)
        State = Code;
      continue;
    }
    llvm::StringRef W = T.getRawIdentifier();
    Previous = W;
    if (!System && isDefaultArgumentWord(W))
      SkippedLineBuiltin = true;
    switch (State) {
    case AfterHash:
      State = W == "define" ? DefineName : W == "undef" ? Undef : Code;
      if (State != Code)
        continue;
      break;
    case DefineName:
      SkippedDefines.insert(W);
      Body = &Bodies[W];
      State = DefineBody;
      continue;
    case DefineBody:
      Body->insert(W);
      continue;
    case Undef:
      continue;
    case Code:
      break;
    }
    if (!System && Seen.insert(W).second)
      R.Words.push_back(W.str());
  }
  if (!System)
    Regions.push_back(std::move(R));
}

SkippedLines::Verdict SkippedLines::finish(Hasher &H) const {
  // The names that reach a line: the line words, then every macro whose
  // body names one of them, until none is added.
  llvm::StringMap<std::vector<llvm::StringRef>> UsedBy;
  for (const auto &Macro : Bodies)
    for (const auto &W : Macro.getValue())
      UsedBy[W.getKey()].push_back(Macro.getKey());
  llvm::StringSet<> Reach;
  std::vector<llvm::StringRef> Work = {"__LINE__", "__builtin_LINE", "__builtin_source_location",
                                       "source_location"};
  for (llvm::StringRef W : Work)
    Reach.insert(W);
  while (!Work.empty()) {
    llvm::StringRef W = Work.back();
    Work.pop_back();
    auto It = UsedBy.find(W);
    if (It == UsedBy.end())
      continue;
    for (llvm::StringRef Macro : It->getValue())
      if (Reach.insert(Macro).second)
        Work.push_back(Macro);
  }
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
