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

/// Calls Each with the name and body of every #define in Text (lines joined
/// at their splices).
void forEachDefine(llvm::StringRef Text,
                   llvm::function_ref<void(llvm::StringRef, llvm::StringRef)> Each) {
  std::string Logical;
  auto Flush = [&] {
    llvm::StringRef L = llvm::StringRef(Logical).ltrim(" \t\f\v");
    if (L.consume_front("#")) {
      L = L.ltrim(" \t\f\v");
      if (L.consume_front("define") && !L.empty() && !clang::isAsciiIdentifierContinue(L[0])) {
        L = L.ltrim(" \t\f\v");
        size_t End = 0;
        while (End != L.size() && clang::isAsciiIdentifierContinue(L[End]))
          ++End;
        if (End)
          Each(L.take_front(End), L.drop_front(End));
      }
    }
    Logical.clear();
  };
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    llvm::StringRef Trimmed = Line.rtrim(" \t\r");
    if (Trimmed.ends_with("\\")) {
      Logical += Trimmed.drop_back();
      Logical += ' ';
      continue;
    }
    Logical += Line;
    Flush();
  }
  Flush();
}

} // namespace

void SkippedLines::defined(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> BodyWords) {
  llvm::StringSet<> &Body = Bodies[Name];
  for (llvm::StringRef W : BodyWords)
    Body.insert(W);
}

void SkippedLines::skipped(llvm::StringRef Text, clang::FileID File, unsigned Line,
                           bool System) {
  forEachDefine(Text, [&](llvm::StringRef Name, llvm::StringRef Body) {
    SkippedDefines.insert(Name);
    llvm::StringSet<> &Words = Bodies[Name];
    forEachWord(Body, [&](llvm::StringRef W) { Words.insert(W); });
  });
  if (System) {
    // The installation's lines do not move; a declaration there whose
    // default argument calls a line builtin would make every call count.
    forEachWord(Text, [&](llvm::StringRef W) {
      if (isDefaultArgumentWord(W) && W != "source_location" &&
          Text.substr(W.end() - Text.begin()).ltrim(" \t\r\n").starts_with("("))
        SkippedLineBuiltin = true;
    });
    return;
  }
  forEachWord(Text, [&](llvm::StringRef W) { SkippedLineBuiltin |= isDefaultArgumentWord(W); });
  // What expands at the region's place: its identifiers outside comments,
  // string literals and the bodies of #define (they expand where they are
  // used: used()) and #undef.
  Region R{File, Line, {}};
  llvm::StringSet<> Seen;
  std::string Copy(Text); // the lexer reads up to a NUL
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.LineComment = 1;
  clang::Lexer L(clang::SourceLocation::getFromRawEncoding(1), LO, Copy.data(), Copy.data(),
                 Copy.data() + Copy.size());
  bool InDefine = false, AfterHash = false;
  clang::Token T;
  for (L.LexFromRawLexer(T); T.isNot(clang::tok::eof); L.LexFromRawLexer(T)) {
    if (T.isAtStartOfLine()) {
      InDefine = false;
      AfterHash = T.is(clang::tok::hash);
      if (AfterHash)
        continue;
    }
    if (InDefine || T.isNot(clang::tok::raw_identifier)) {
      AfterHash = false;
      continue;
    }
    llvm::StringRef W = T.getRawIdentifier();
    if (AfterHash && (W == "define" || W == "undef")) {
      InDefine = true;
      continue;
    }
    AfterHash = false;
    if (Seen.insert(W).second)
      R.Words.push_back(W.str());
  }
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
