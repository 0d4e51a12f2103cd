//===- EditGuess.cpp - Whether a header edit reaches a unit's closure -----===//

#include "EditGuess.h"

#include "hotast/Compile/CodeLines.h"
#include "hotast/Compile/RawTokens.h"
#include "hotast/Support/FileStamp.h"

#include "clang/Basic/LangOptions.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

namespace hotast {

/// Whether token X of Old and token Y of New are the same token.
static bool sameToken(llvm::StringRef Old, const RawToken &X, llvm::StringRef New,
                      const RawToken &Y) {
  return X.Kind == Y.Kind && Old.substr(X.Offset, X.Length) == New.substr(Y.Offset, Y.Length);
}

/// How many tokens Old's (A) and New's (B) have the same at their start,
/// and then at their end.
static std::pair<size_t, size_t> commonEnds(llvm::StringRef Old, llvm::ArrayRef<RawToken> A,
                                            llvm::StringRef New, llvm::ArrayRef<RawToken> B) {
  size_t Prefix = 0, Suffix = 0;
  while (Prefix < A.size() && Prefix < B.size() && sameToken(Old, A[Prefix], New, B[Prefix]))
    ++Prefix;
  while (Suffix < A.size() - Prefix && Suffix < B.size() - Prefix &&
         sameToken(Old, A[A.size() - 1 - Suffix], New, B[B.size() - 1 - Suffix]))
    ++Suffix;
  return {Prefix, Suffix};
}

/// Old's tokens A and New's B: what the functions below read, each file
/// lexed once.
static std::optional<ChangedLines> changedLines(llvm::StringRef Old, llvm::ArrayRef<RawToken> A,
                                                llvm::StringRef New, llvm::ArrayRef<RawToken> B) {
  auto [Prefix, Suffix] = commonEnds(Old, A, New, B);
  if (Prefix == A.size() && Prefix == B.size())
    return std::nullopt;
  // The old text's line of each offset.
  auto LineOf = [&](unsigned Offset) { return unsigned(Old.take_front(Offset).count('\n')) + 1; };
  ChangedLines Out;
  size_t EndA = A.size() - Suffix, EndB = B.size() - Suffix;
  if (EndA > Prefix) {
    Out.First = LineOf(A[Prefix].Offset);
    Out.Last = LineOf(A[EndA - 1].Offset);
  } else {
    Out.Insertion = true;
    Out.First = Prefix > 0 ? LineOf(A[Prefix - 1].Offset) : 0;
    Out.Last = EndA < A.size() ? LineOf(A[EndA].Offset) : 0;
  }
  for (size_t I = Prefix; I < EndA; ++I)
    Out.Directive |= A[I].Directive;
  for (size_t I = Prefix; I < EndB; ++I)
    Out.Directive |= B[I].Directive;
  return Out;
}

/// An integer literal's value and its suffix (lower case), as C and C++
/// spell them (decimal, hex, octal, binary, digit separators); nothing for
/// any other number.
static std::optional<std::pair<uint64_t, std::string>> integerOf(llvm::StringRef Spelling) {
  std::string Digits;
  for (char C : Spelling)
    if (C != '\'')
      Digits += char(std::tolower(static_cast<unsigned char>(C)));
  llvm::StringRef S = Digits;
  size_t SuffixAt = S.find_last_not_of("ulz") + 1;
  std::string Suffix = S.substr(SuffixAt).str();
  S = S.take_front(SuffixAt);
  unsigned Radix = 10;
  if (S.consume_front("0x"))
    Radix = 16;
  else if (S.consume_front("0b"))
    Radix = 2;
  else if (S.size() > 1 && S.front() == '0')
    Radix = 8;
  uint64_t Value = 0;
  if (S.empty() || S.getAsInteger(Radix, Value))
    return std::nullopt;
  return std::make_pair(Value, Suffix);
}

namespace {
/// What an edit did to a source's tokens (compareTokens).
enum class TokenEdit {
  Same,  ///< the same tokens (comments and spaces do not count), each on its line
  Alike, ///< what codeLooksAlike accepts, and something changed
  Other,
};
} // namespace

/// Whether S is a keyword of any language Clang reads (`true`, `nullptr`,
/// `and`): never a name a rename could have chosen.
static bool isKeyword(llvm::StringRef S) {
  static const llvm::StringSet<> Keywords = [] {
    llvm::StringSet<> Out;
#define KEYWORD(NAME, FLAGS) Out.insert(#NAME);
#define ALIAS(NAME, TOK, FLAGS) Out.insert(NAME);
#define CXX_KEYWORD_OPERATOR(NAME, ALIAS) Out.insert(#NAME);
#include "clang/Basic/TokenKinds.def"
    return Out;
  }();
  return Keywords.contains(S);
}

/// Whether token I of Text (tokens Ts) stands among the arguments of what
/// looks like a macro's invocation (a name in capitals and a `(`): a macro
/// may spell its argument as a string (gtest's `EXPECT_TRUE(n == 0)` puts
/// "n == 0" in the object), so a rename or a respelling there likely
/// changes the object. Looked for in the statement around it only.
static bool inMacroArguments(llvm::StringRef Text, llvm::ArrayRef<RawToken> Ts, size_t I) {
  auto MacroName = [](llvm::StringRef S) {
    return S.size() >= 2 && llvm::any_of(S, llvm::isUpper) &&
           llvm::all_of(S, [](char C) { return llvm::isUpper(C) || llvm::isDigit(C) || C == '_'; });
  };
  size_t Depth = 0;
  for (size_t Steps = 0; I-- > 0 && Steps != 1000; ++Steps) {
    clang::tok::TokenKind K = Ts[I].Kind;
    if (K == clang::tok::r_paren) {
      ++Depth;
    } else if (K == clang::tok::l_paren) {
      if (Depth != 0) {
        --Depth;
        continue;
      }
      if (I != 0 && Ts[I - 1].Kind == clang::tok::raw_identifier &&
          MacroName(Text.substr(Ts[I - 1].Offset, Ts[I - 1].Length)))
        return true;
    } else if (Depth == 0 && (K == clang::tok::semi || K == clang::tok::l_brace ||
                              K == clang::tok::r_brace)) {
      return false;
    }
  }
  return false;
}

/// One walk over both texts' tokens, lexed once.
static TokenEdit compareTokens(llvm::StringRef Old, llvm::ArrayRef<RawToken> A,
                               llvm::StringRef New, llvm::ArrayRef<RawToken> B) {
  // Between the first token that differs and the last (a rename of a local
  // variable reaches from its declaration to its block's end), each name of
  // Old and what stands for it in New, both ways.
  auto [Prefix, Suffix] = commonEnds(Old, A, New, B);
  llvm::StringMap<llvm::StringRef> Renamed, RenamedFrom;
  auto Alike = [&](const RawToken &X, const RawToken &Y, size_t I) {
    if (X.Kind != Y.Kind)
      return false;
    llvm::StringRef SX = Old.substr(X.Offset, X.Length), SY = New.substr(Y.Offset, Y.Length);
    if (I < Prefix || I >= A.size() - Suffix)
      return SX == SY;
    if (SX != SY && (isKeyword(SX) || isKeyword(SY) || inMacroArguments(Old, A, I)))
      return false;
    if (X.Kind == clang::tok::raw_identifier) {
      auto [To, NewName] = Renamed.try_emplace(SX, SY);
      auto [From, NewFrom] = RenamedFrom.try_emplace(SY, SX);
      return To->second == SY && From->second == SX;
    }
    if (SX == SY)
      return true;
    if (X.Kind != clang::tok::numeric_constant)
      return false;
    auto VX = integerOf(SX), VY = integerOf(SY);
    return VX && VY && *VX == *VY;
  };
  // An empty statement or declaration at I of Ts: its length in tokens
  // (`;`, `{}`), or 0.
  auto Empty = [](llvm::ArrayRef<RawToken> Ts, size_t I) -> size_t {
    if (I == Ts.size() || Ts[I].Directive)
      return 0;
    if (Ts[I].Kind == clang::tok::semi)
      return 1;
    bool Braces = Ts[I].Kind == clang::tok::l_brace && I + 1 != Ts.size() &&
                  Ts[I + 1].Kind == clang::tok::r_brace;
    return Braces ? 2 : 0;
  };
  size_t I = 0, J = 0, LineA = 0, LineB = 0, AtA = 0, AtB = 0; // newlines before AtA, AtB
  bool Changed = false;
  while (I != A.size() || J != B.size()) {
    if (I != A.size() && J != B.size() && Alike(A[I], B[J], I)) {
      Changed |= !sameToken(Old, A[I], New, B[J]);
      LineA += Old.slice(AtA, A[I].Offset).count('\n');
      LineB += New.slice(AtB, B[J].Offset).count('\n');
      AtA = A[I++].Offset, AtB = B[J++].Offset;
      if (LineA != LineB)
        return TokenEdit::Other;
    } else if (size_t N = Empty(B, J)) {
      J += N, Changed = true; // an empty statement or declaration added
    } else if (size_t N = Empty(A, I)) {
      I += N, Changed = true; // or taken out
    } else {
      return TokenEdit::Other;
    }
  }
  return Changed ? TokenEdit::Alike : TokenEdit::Same;
}

static bool enumeratorAppended(llvm::StringRef Old, llvm::ArrayRef<RawToken> A,
                               llvm::StringRef New, llvm::ArrayRef<RawToken> B) {
  auto [Prefix, Suffix] = commonEnds(Old, A, New, B);
  if (Prefix + Suffix != A.size() || Prefix == 0 || Suffix == 0 || B.size() <= A.size())
    return false; // not tokens inserted alone, between two
  auto Is = [](const RawToken &T, clang::tok::TokenKind K) { return T.Kind == K && !T.Directive; };
  if (!Is(A[Prefix], clang::tok::r_brace))
    return false;
  // What was inserted: [`,`] NAME [`=` [`-`] NUMBER] [`,`], a comma before
  // the name unless the list ended in one.
  llvm::ArrayRef<RawToken> In = B.slice(Prefix, B.size() - A.size());
  bool TrailingComma = Is(A[Prefix - 1], clang::tok::comma);
  if (!TrailingComma && !In.empty() && Is(In.front(), clang::tok::comma))
    In = In.drop_front();
  else if (!TrailingComma)
    return false;
  if (In.empty() || !Is(In.front(), clang::tok::raw_identifier))
    return false;
  llvm::StringRef Name = New.substr(In.front().Offset, In.front().Length);
  In = In.drop_front();
  if (!In.empty() && Is(In.front(), clang::tok::equal)) {
    In = In.drop_front();
    if (!In.empty() && Is(In.front(), clang::tok::minus))
      In = In.drop_front();
    if (In.empty() || !Is(In.front(), clang::tok::numeric_constant))
      return false;
    In = In.drop_front();
  }
  if (!In.empty() && Is(In.front(), clang::tok::comma))
    In = In.drop_front();
  if (!In.empty())
    return false;
  // A name the old text never spelled (not one code already uses).
  for (const RawToken &T : A)
    if (T.Kind == clang::tok::raw_identifier && Old.substr(T.Offset, T.Length) == Name)
      return false;
  // The list the `}` closes: an enum's (`enum [class|struct] [NAME] [: TYPE] {`).
  size_t Depth = 0, I = Prefix;
  while (I-- > 0) {
    clang::tok::TokenKind K = A[I].Kind;
    if (K == clang::tok::r_brace || K == clang::tok::r_paren)
      ++Depth;
    else if (K == clang::tok::l_brace || K == clang::tok::l_paren) {
      if (Depth == 0) {
        if (K == clang::tok::l_paren)
          return false;
        break;
      }
      --Depth;
    }
  }
  if (I == size_t(-1))
    return false;
  for (size_t Back = 1; Back <= 8 && Back <= I; ++Back) {
    const RawToken &T = A[I - Back];
    llvm::StringRef Word = Old.substr(T.Offset, T.Length);
    if (T.Kind == clang::tok::raw_identifier && Word == "enum")
      return true;
    if (T.Kind != clang::tok::raw_identifier && T.Kind != clang::tok::colon &&
        T.Kind != clang::tok::coloncolon)
      return false;
  }
  return false;
}

std::optional<ChangedLines> changedLines(llvm::StringRef Old, llvm::StringRef New) {
  return changedLines(Old, rawTokens(Old), New, rawTokens(New));
}

bool codeLooksAlike(llvm::StringRef Old, llvm::StringRef New) {
  return compareTokens(Old, rawTokens(Old), New, rawTokens(New)) == TokenEdit::Alike;
}

bool enumeratorAppended(llvm::StringRef Old, llvm::StringRef New) {
  return enumeratorAppended(Old, rawTokens(Old), New, rawTokens(New));
}

bool editInside(const ChangedLines &Edit, llvm::StringRef File,
                llvm::ArrayRef<SnapshotDecl> Decls) {
  for (const SnapshotDecl &D : Decls) {
    if (D.EndLine == 0 || D.File != File)
      continue;
    bool Inside = Edit.Insertion
                      ? Edit.First != 0 && Edit.Last != 0 && D.Line <= Edit.First &&
                            Edit.Last <= D.EndLine
                      : Edit.First <= D.EndLine && D.Line <= Edit.Last;
    if (Inside)
      return true;
  }
  return false;
}

/// Whether an edit that changed Was into Is moved lines kept in place
/// (the first Fixed of them) at or above the end of a declaration of Decls
/// in File.
static bool linesMoved(llvm::StringRef Was, llvm::StringRef Is, uint32_t Fixed,
                       llvm::StringRef File, llvm::ArrayRef<SnapshotDecl> Decls) {
  if (Was.count('\n') == Is.count('\n'))
    return false;
  size_t Common = 0;
  while (Common < Was.size() && Common < Is.size() && Was[Common] == Is[Common])
    ++Common;
  unsigned First = unsigned(Was.take_front(Common).count('\n')) + 1;
  if (Fixed != AllLinesFixed && First > Fixed)
    return false;
  for (const SnapshotDecl &D : Decls)
    if (D.File == File && D.EndLine >= First)
      return true;
  return false;
}

std::optional<EditReach> editInsideClosure(const UnitSnapshot &Last, ObjectCache &Objects,
                                           const StampList *Entry,
                                           llvm::function_ref<const NameFilter *()> Read) {
  llvm::StringMap<uint32_t> Fixed; // the entry's files whose lines stay in place
  if (Entry)
    for (const FileStamp &F : *Entry)
      if (F.CodeFixedLines != 0)
        Fixed[F.Path] = F.CodeFixedLines;
  bool Changed = false, Unknown = false;
  EditReach Reach = EditReach::Outside;
  for (size_t I = 1; I < Last.Files.size(); ++I) {
    const FileStamp &F = Last.Files[I];
    if (stampMatches(F))
      continue;
    Changed = true;
    // The text that compile read: kept for the project's files
    // (CompileJob.h, keepSources), not for the system's.
    auto Old = Objects.get(F.Content);
    if (!Old) {
      llvm::consumeError(Old.takeError());
      Unknown = true;
      continue;
    }
    auto New = llvm::MemoryBuffer::getFile(F.Path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!New) {
      Unknown = true;
      continue;
    }
    llvm::StringRef Is = (*New)->getBuffer();
    if (auto It = Fixed.find(F.Path);
        It != Fixed.end() && linesMoved(*Old, Is, It->second, F.Path, Last.Decls))
      return EditReach::Inside;
    std::vector<RawToken> A = rawTokens(*Old), B = rawTokens(Is);
    std::optional<ChangedLines> Edit = changedLines(*Old, A, Is, B);
    // New macros the unit never names, served without a parse (which
    // leaves the snapshot's text as it was): the edit is what is left.
    std::string WithoutNew;
    const NameFilter *Names = Edit && Edit->Directive && Read ? Read() : nullptr;
    if (Names) {
      clang::LangOptions LO;
      LO.CPlusPlus = true;
      WithoutNew = withoutNewDefines(Is, *Names, LO);
      if (WithoutNew.size() != Is.size()) {
        Is = WithoutNew;
        B = rawTokens(Is);
        Edit = changedLines(*Old, A, Is, B);
      }
    }
    if (!Edit || !(Edit->Directive || editInside(*Edit, F.Path, Last.Decls)))
      continue;
    // Inside (or what a directive reaches cannot be told), unless the
    // tokens are as they were but for a rename, a respelled literal, an
    // empty statement, or an enumerator was appended.
    if (compareTokens(*Old, A, Is, B) == TokenEdit::Alike || enumeratorAppended(*Old, A, Is, B))
      Reach = EditReach::LikelySame;
    else if (Edit->Directive)
      Unknown = true;
    else
      return EditReach::Inside;
  }
  if (!Changed || Unknown)
    return std::nullopt;
  return Reach;
}

bool sourceEditLooksCosmetic(const UnitSnapshot &Last, ObjectCache &Objects) {
  if (Last.Files.empty())
    return false;
  const FileStamp &Source = Last.Files.front();
  auto Old = Objects.get(Source.Content); // kept by the compile (keepSources)
  if (!Old) {
    llvm::consumeError(Old.takeError());
    return false;
  }
  auto New = llvm::MemoryBuffer::getFile(Source.Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!New)
    return false;
  llvm::StringRef Is = (*New)->getBuffer();
  return compareTokens(*Old, rawTokens(*Old), Is, rawTokens(Is)) != TokenEdit::Other;
}

} // namespace hotast
