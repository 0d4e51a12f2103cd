//===- LineWords.cpp - Words in raw source text that take a line ---------===//

#include "hotast/Compile/LineWords.h"

#include "clang/Basic/CharInfo.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <vector>

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

std::vector<Paste> pastesOf(llvm::ArrayRef<BodyToken> Body) {
  std::vector<Paste> Out;
  auto Plain = [](const BodyToken &T) { return T.Identifier && !T.Parameter; };
  for (size_t I = 0; I != Body.size(); ++I) {
    if (!Body[I].Pastes)
      continue;
    // The chain: First ## ... ## Last.
    size_t First = I == 0 ? 0 : I - 1, Last = I + 1;
    while (Last + 1 < Body.size() && Body[Last + 1].Pastes)
      Last += 2;
    Paste P;
    if (I != 0 && Plain(Body[First])) {
      P.K = Paste::Prefix;
      P.Affix = Body[First].Spelling.str();
    } else if (Last < Body.size() && Plain(Body[Last])) {
      P.K = Paste::Suffix;
      P.Affix = Body[Last].Spelling.str();
    }
    Out.push_back(std::move(P));
    I = Last;
  }
  return Out;
}

void MacroReach::define(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> BodyWords,
                        llvm::ArrayRef<Paste> Pastes) {
  llvm::StringSet<> &Body = Bodies[Name];
  for (llvm::StringRef W : BodyWords)
    Body.insert(W);
  if (!Pastes.empty()) {
    std::vector<Paste> &P = Pasting[Name];
    P.insert(P.end(), Pastes.begin(), Pastes.end());
  }
}

llvm::StringSet<> MacroReach::reach() const {
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
    // A macro that can paste a name already in.
    for (const auto &Macro : Pasting) {
      if (Reach.contains(Macro.getKey()))
        continue;
      bool Makes = llvm::any_of(Macro.getValue(), [&](const Paste &P) {
        return llvm::any_of(Reach, [&](const auto &R) { return P.canMake(R.getKey()); });
      });
      if (Makes && Reach.insert(Macro.getKey()).second)
        Work.push_back(Macro.getKey());
    }
  }
  return Reach;
}

RawFacts lexRaw(llvm::StringRef Text, MacroReach &Macros,
                llvm::function_ref<void(llvm::StringRef, size_t)> InPlace,
                llvm::function_ref<void(llvm::StringRef)> Defined) {
  RawFacts Facts;
  // The newest C++ (digit separators: 1'000 is no character literal that
  // would hide the rest of its line).
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.CPlusPlus14 = LO.CPlusPlus17 = LO.CPlusPlus20 = 1;
  LO.CPlusPlus23 = LO.CPlusPlus26 = LO.LineComment = 1;
  clang::Lexer L(clang::SourceLocation::getFromRawEncoding(1), LO, Text.begin(), Text.begin(),
                 Text.end());
  auto Offset = [](const clang::Token &T) { return T.getLocation().getRawEncoding() - 1; };
  enum { Code, AfterHash, DefineName, DefineParams, DefineBody, Undef } State = Code;
  llvm::StringRef Name;
  llvm::SmallVector<llvm::StringRef, 16> Body;
  llvm::SmallVector<llvm::StringRef, 4> Params;
  std::vector<BodyToken> Tokens;
  bool Pastes = false;
  auto EndDefine = [&] {
    if (State == DefineBody || State == DefineParams)
      Macros.define(Name, Body, Pastes ? pastesOf(Tokens) : std::vector<Paste>());
  };
  // Spans of what expands in place (see InPlace): one for a directive's
  // line, another for the code around it.
  struct Span {
    llvm::SmallVector<llvm::StringRef, 8> Words;
    size_t End = 0;
    int Depth = 0;
    void flush(llvm::function_ref<void(llvm::StringRef, size_t)> Each) {
      for (llvm::StringRef W : Words)
        Each(W, End);
      Words.clear();
    }
  } CodeSpan, DirectiveSpan;
  bool InDirective = false;
  llvm::StringRef Previous; // the identifier just before
  enum { NoProbe, ProbeName, ProbeOpen } Probe = NoProbe;
  clang::Token T;
  for (L.LexFromRawLexer(T); T.isNot(clang::tok::eof); L.LexFromRawLexer(T)) {
    if (T.isAtStartOfLine()) {
      EndDefine();
      DirectiveSpan.flush(InPlace);
      State = T.is(clang::tok::hash) ? AfterHash : Code;
      InDirective = State == AfterHash;
      if (State == AfterHash)
        continue;
    }
    if (T.is(clang::tok::l_paren) && isLineWord(Previous) && Previous != "__LINE__" &&
        Previous != "source_location")
      Facts.CallsLineBuiltin = true;
    if (Probe == ProbeOpen && T.isNot(clang::tok::less))
      Facts.ProbesQuoted = true;
    Probe = Probe == ProbeName && T.is(clang::tok::l_paren) ? ProbeOpen : NoProbe;
    if (T.is(clang::tok::raw_identifier) &&
        llvm::is_contained({"__has_include", "__has_include_next", "__has_embed"},
                           T.getRawIdentifier()))
      Probe = ProbeName;
    Previous = "";
    if (State == DefineParams) {
      // The parameters, up to the `)`.
      if (T.is(clang::tok::raw_identifier))
        Params.push_back(T.getRawIdentifier());
      else if (T.is(clang::tok::ellipsis))
        Params.push_back("__VA_ARGS__");
      else if (T.is(clang::tok::r_paren))
        State = DefineBody;
      continue;
    }
    if (State == DefineBody) {
      BodyToken B;
      B.Spelling = T.is(clang::tok::raw_identifier) ? T.getRawIdentifier() : llvm::StringRef();
      B.Identifier = T.is(clang::tok::raw_identifier);
      B.Parameter = B.Identifier && llvm::is_contained(Params, B.Spelling);
      B.Pastes = T.is(clang::tok::hashhash);
      Pastes |= B.Pastes;
      Tokens.push_back(B);
    }
    if (T.isNot(clang::tok::raw_identifier) && (State == AfterHash || State == DefineName))
      State = Code;
    llvm::StringRef W = T.is(clang::tok::raw_identifier) ? T.getRawIdentifier() : "";
    if (!W.empty()) {
      Previous = W;
      if (W != "__LINE__" && isLineWord(W))
        Facts.SpellsLineBuiltin = true;
    }
    switch (State) {
    case AfterHash:
      State = W == "define" ? DefineName : W == "undef" ? Undef : Code;
      if (State != Code)
        continue;
      break;
    case DefineName: {
      Name = W;
      Body.clear();
      Params.clear();
      Tokens.clear();
      Pastes = false;
      if (Defined)
        Defined(W);
      // A function-like macro: `(` right after the name.
      const char *After = Text.begin() + Offset(T) + W.size();
      State = After < Text.end() && *After == '(' ? DefineParams : DefineBody;
      continue;
    }
    case DefineParams:
    case DefineBody:
      if (!W.empty() && State == DefineBody)
        Body.push_back(W);
      continue;
    case Undef:
      continue;
    case Code:
      break;
    }
    // In place. A code span is a token at depth 0 and the parenthesized
    // groups right after it: a macro's invocation with its arguments.
    Span &S = InDirective ? DirectiveSpan : CodeSpan;
    if (!InDirective && S.Depth == 0 && T.isNot(clang::tok::l_paren))
      S.flush(InPlace);
    if (T.is(clang::tok::l_paren))
      ++S.Depth;
    else if (T.is(clang::tok::r_paren) && S.Depth > 0)
      --S.Depth;
    S.End = Offset(T) + T.getLength();
    if (!W.empty())
      S.Words.push_back(W);
  }
  EndDefine();
  DirectiveSpan.flush(InPlace);
  CodeSpan.flush(InPlace);
  return Facts;
}

} // namespace hotast
