//===- CodeLines.cpp - A source file's text without its comment lines -----===//

#include "hotast/Compile/CodeLines.h"

#include "ClangJob.h"
#include "FreeMacroBodies.h"
#include "LeftOut.h"
#include "NewDefines.h"

#include "clang/Basic/CharInfo.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "hotast/Support/NameFilter.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cassert>

using namespace clang;

namespace hotast {
namespace {

struct Line {
  size_t Begin, End; // End: the '\n' (or the end of the text)
};

/// A comment's text that no diagnostic reads (see CodeLines.h): printable
/// ASCII with no `??`, no `/*` and, unless Backslash, no backslash.
bool isPlainText(llvm::StringRef Body, bool Backslash = false) {
  if ((!Backslash && Body.contains('\\')) || Body.contains("??") || Body.contains("/*"))
    return false;
  return llvm::all_of(Body, [](char C) { return C >= 0x20 && C <= 0x7e; });
}

/// The text after a `//` of a plain comment: not a documentation comment
/// (`///`, `//!`), plain text. For the linked Clang, a backslash inside it
/// is text (`'\n'`): only one that ends the line (blanks may follow)
/// splices the next line into the comment.
bool isPlainLineComment(llvm::StringRef Body, CommentRule Rule) {
  if (Body.starts_with("/") || Body.starts_with("!"))
    return false;
  bool Backslash = Rule == CommentRule::Clang && !Body.rtrim(" \t\f\v").ends_with("\\");
  return isPlainText(Body, Backslash);
}

/// Blanks and at most a `//` comment of plain text (see CodeLines.h), with
/// the '\r' of a CRLF line end. Where the language has no `//` comments
/// (C89), clang still reads one as a comment, with a warning under
/// -pedantic: there only blank lines are free.
bool isCommentOrBlank(llvm::StringRef L, const LangOptions &LO, CommentRule Rule) {
  if (L.ends_with("\r"))
    L = L.drop_back();
  L = L.ltrim(" \t");
  if (L.empty())
    return true;
  if (!LO.LineComment || !L.consume_front("//"))
    return false;
  return isPlainLineComment(L, Rule);
}

/// A line splice (backslash, or the ??/ trigraph, then blanks) ends L.
bool endsWithSplice(llvm::StringRef L) {
  L = L.rtrim(" \t\f\v\r");
  return L.ends_with("\\") || L.ends_with("?\?/");
}

/// Every language option: the lexer that found the free lines is the one
/// the compile used, or the hashes differ.
Hash128 languageOptions(const LangOptions &LO) {
  Hasher H;
#define LANGOPT(Name, Bits, Default, Description) H.add(uint64_t(LO.Name));
#define ENUM_LANGOPT(Name, Type, Bits, Default, Description) H.add(uint64_t(LO.get##Name()));
#include "clang/Basic/LangOptions.def"
  return H.final();
}

/// A block comment [Begin, End) that is alone on its lines (blanks before
/// it from LineBegin, blanks after it up to LineEnd), of plain text, not a
/// documentation comment: its lines are free, as a `//` comment's line is.
bool isWholeLineComment(llvm::StringRef Text, size_t LineBegin, size_t Begin, size_t End,
                        size_t LineEnd) {
  auto Blank = [](char C) { return C == ' ' || C == '\t'; };
  if (!llvm::all_of(Text.slice(LineBegin, Begin), Blank) ||
      !llvm::all_of(Text.slice(End, LineEnd), Blank))
    return false;
  llvm::StringRef Comment = Text.slice(Begin, End);
  if (!Comment.consume_front("/*") || !Comment.consume_back("*/"))
    return false;
  llvm::SmallVector<llvm::StringRef, 8> Lines;
  Comment.split(Lines, '\n');
  // Not a documentation comment (`/**`, `/*!`).
  if (Lines.front().starts_with("*") || Lines.front().starts_with("!"))
    return false;
  return llvm::all_of(Lines, [](llvm::StringRef L) { return isPlainText(L); });
}

/// The leading blanks of L.
llvm::StringRef indentOf(llvm::StringRef L) {
  return L.take_while([](char C) { return C == ' ' || C == '\t' || C == '\f' || C == '\v'; });
}

/// L (a line) begins with a label: `case`, `default`, or an identifier
/// and a colon (not `::`). GCC's -Wimplicit-fallthrough reads the comment
/// before one.
bool beginsWithLabel(llvm::StringRef L) {
  L = L.ltrim(" \t\f\v");
  llvm::StringRef Word = L.take_while([](char C) { return isAsciiIdentifierContinue(C); });
  if (Word.empty() || isDigit(Word[0]))
    return false;
  if (Word == "case" || Word == "default")
    return true;
  llvm::StringRef Rest = L.drop_front(Word.size()).ltrim(" \t");
  return Rest.starts_with(":") && !Rest.starts_with("::");
}

/// The file's lines, which are free, and where the kept text of each ends
/// (CodeLines.h: before a trailing plain comment and trailing blanks).
struct FreeLineMap {
  std::vector<Line> Lines;
  std::vector<bool> Free;
  std::vector<size_t> KeptEnd;
  /// A free line kept in its place (among the first FixedLines): its text
  /// still counts for nothing, its place does.
  std::vector<bool> FixedFree;
  /// Asked for (Spacing): each line's tokens as spacedLine gives them, or
  /// empty where the line's bytes count.
  std::vector<std::string> Spaced;
  /// For the linked Clang: a token spans the line's end.
  std::vector<bool> EndInToken;
};

/// A token of the raw lexer, comments included, and the line of its first
/// byte.
struct RawToken {
  size_t Begin, End, Line;
  tok::TokenKind Kind;
  /// A comment that reads as blanks: a `/* */` of plain text on one line
  /// (not a documentation comment), a plain `//` comment.
  bool Blank;
};

/// Where the spacing of a directive's line stops reading as blanks: the
/// line's end for a conditional one (`#if`, `#ifdef`, `#ifndef`, `#elif`,
/// `#elifdef`, `#elifndef`, `#else`, `#endif`: the preprocessor evaluates
/// tokens, and only the names `__has_include` and `__has_embed` read
/// spacing, in an `<angled>` name they join), the end of the parameter list
/// of a `#define` of a function-like macro (spacing there reads as
/// nothing; its body's leading spaces are kept with it, and a blank before
/// its `(` would make it object-like); nothing (npos) for other directives.
/// Tokens are the line's, comments but plain ones included.
size_t directiveSpacingEnd(llvm::StringRef Text, size_t LineEnd,
                           llvm::ArrayRef<RawToken> Tokens) {
  llvm::SmallVector<const RawToken *, 16> Code;
  for (const RawToken &T : Tokens)
    if (!T.Blank)
      Code.push_back(&T);
  auto Spelled = [&](size_t I) {
    return I < Code.size() ? Text.slice(Code[I]->Begin, Code[I]->End) : llvm::StringRef();
  };
  if (Code.size() < 2 || Code[0]->Kind != tok::hash || Code[1]->Kind != tok::raw_identifier)
    return llvm::StringRef::npos;
  llvm::StringRef Name = Spelled(1);
  if (llvm::is_contained({"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif"},
                         Name)) {
    for (size_t I = 2; I != Code.size(); ++I)
      if (Spelled(I).starts_with("__has_include") || Spelled(I) == "__has_embed")
        return llvm::StringRef::npos;
    return LineEnd;
  }
  // `#define NAME(` with nothing between the name and the parenthesis.
  if (Name != "define" || Code.size() < 4 || Code[2]->Kind != tok::raw_identifier ||
      Code[3]->Kind != tok::l_paren || Code[3]->Begin != Code[2]->End)
    return llvm::StringRef::npos;
  for (size_t I = 4; I != Code.size(); ++I)
    if (Code[I]->Kind == tok::r_paren)
      return Code[I]->End;
  return llvm::StringRef::npos;
}

/// Line I's tokens (Tokens, from First) with each run of blanks and plain
/// comments between them written as one space (and one before the first
/// when the line is indented): the same text means the same tokens with
/// the same start-of-line and leading-space flags, only in other columns.
/// Empty when that cannot be said by the line alone: a token or a splice
/// joins it to another, a byte but space or tab between tokens (a form
/// feed, a CR), a directive (`#`, `%:`, `??=`) or what may be one (`import`,
/// `module`, `export`, `@`) first; but for a conditional directive, or the
/// name and parameters of a function-like macro's `#define`, whose bytes
/// after those are kept (directiveSpacingEnd), up to KeptEnd (the line's
/// kept text: CodeLines.h).
std::string spacedLine(llvm::StringRef Text, size_t LineBegin, size_t LineEnd, size_t KeptEnd,
                       llvm::ArrayRef<RawToken> Tokens) {
  std::string Out;
  size_t Prev = LineBegin;
  bool Gap = false;
  size_t Directive = llvm::StringRef::npos;
  if (!Tokens.empty() && Tokens.front().Kind == tok::hash) {
    Directive = directiveSpacingEnd(Text, LineEnd, Tokens);
    if (Directive == llvm::StringRef::npos)
      return "";
  }
  for (const RawToken &T : Tokens) {
    if (T.Begin >= Directive) {
      // The rest of a definition, byte for byte (a newline marks where it
      // starts: no line's text holds one).
      Out += '\n';
      Out += Text.slice(Prev, std::max(Prev, KeptEnd));
      return Out;
    }
    if (!llvm::all_of(Text.slice(Prev, T.Begin), [](char C) { return C == ' ' || C == '\t'; }))
      return "";
    Gap |= T.Begin != Prev;
    Prev = T.End;
    if (T.Blank) {
      Gap = true;
      continue;
    }
    if (Out.empty()) { // the line's first token
      llvm::StringRef First = Text.slice(T.Begin, T.End);
      if ((T.Kind == tok::hash && Directive == llvm::StringRef::npos) || T.Kind == tok::hashhash || T.Kind == tok::at ||
          (T.Kind == tok::raw_identifier &&
           (First == "import" || First == "module" || First == "export")))
        return "";
    }
    if (Gap)
      Out += ' ';
    Gap = false;
    Out += Text.slice(T.Begin, T.End);
  }
  if (!llvm::all_of(Text.slice(Prev, LineEnd), [](char C) { return C == ' ' || C == '\t'; }))
    return "";
  return Out; // empty: no token but blank comments
}

FreeLineMap freeLines(llvm::StringRef Text, const LangOptions &LO, CommentRule Rule,
                      bool Spacing = false) {
  // The lexer reads up to a terminating NUL, as clang's buffers have.
  assert(Text.data()[Text.size()] == '\0' && "the text must be followed by a NUL byte");
  FreeLineMap M;
  std::vector<Line> &Lines = M.Lines;
  for (size_t Begin = 0; Begin < Text.size();) {
    size_t End = Text.find('\n', Begin);
    if (End == llvm::StringRef::npos)
      End = Text.size();
    Lines.push_back({Begin, End});
    Begin = End + 1;
  }
  std::vector<bool> &Free = M.Free;
  Free.resize(Lines.size());
  auto LineText = [&](size_t I) { return Text.slice(Lines[I].Begin, Lines[I].End); };
  for (size_t I = 0; I != Lines.size(); ++I)
    Free[I] = isCommentOrBlank(LineText(I), LO, Rule) &&
              (I == 0 || !endsWithSplice(LineText(I - 1)));

  // Where each line's kept text ends: for the linked Clang, a line whose
  // end no token spans loses its trailing blanks, and a plain `//` comment
  // that ends it goes too (the lexer loop below).
  std::vector<size_t> &KeptEnd = M.KeptEnd;
  for (const Line &Li : Lines)
    KeptEnd.push_back(Li.End);
  std::vector<bool> &EndInToken = M.EndInToken;
  EndInToken.resize(Lines.size());
  std::vector<size_t> TrailingComment(Lines.size(), llvm::StringRef::npos);

  // Every token the raw lexer finds, comments included: only a `//`
  // comment that begins and ends on one line leaves its line free.
  const char *Start = Text.data();
  SourceLocation Base = SourceLocation::getFromRawEncoding(1);
  Lexer L(Base, LO, Start, Start, Start + Text.size());
  L.SetCommentRetentionState(true);
  size_t LineOf = 0; // the line of the token's first byte
  std::vector<RawToken> Tokens;
  // Lines whose bytes count with Spacing (beyond those EndInToken, a splice
  // or spacedLine keep): a token reaches into it from the line above, or
  // it holds a compound token's second half (below).
  std::vector<bool> Exact(Lines.size());
  // The last token but comments: its kind, its end, the line of its end.
  tok::TokenKind PrevKind = tok::unknown;
  size_t PrevEnd = 0, PrevLine = 0;
  Token T;
  for (;;) {
    L.LexFromRawLexer(T);
    if (T.is(tok::eof))
      break;
    size_t Begin = T.getLocation().getRawEncoding() - Base.getRawEncoding();
    size_t End = Begin + T.getLength(); // one past the last byte
    while (LineOf + 1 < Lines.size() && Lines[LineOf].End < Begin)
      ++LineOf;
    size_t Last = LineOf;
    while (Last + 1 < Lines.size() && Lines[Last].End < End - (End > Begin ? 1 : 0))
      ++Last;
    bool LineComment = T.is(tok::comment) && Last == LineOf &&
                       Text.substr(Begin, 2) == "//";
    if (Spacing) {
      llvm::StringRef Spelled = Text.slice(Begin, End);
      bool Blank = T.is(tok::comment) && Last == LineOf &&
                   (Spelled.starts_with("//")
                        ? isPlainLineComment(Spelled.drop_front(2), Rule)
                        : Spelled.size() >= 4 && Spelled.ends_with("*/") &&
                              !Spelled.starts_with("/**") && !Spelled.starts_with("/*!") &&
                              isPlainText(Spelled.drop_front(2).drop_back(2)));
      Tokens.push_back({Begin, End, LineOf, T.getKind(), Blank});
      for (size_t I = LineOf + 1; I <= Last && I < Lines.size(); ++I)
        Exact[I] = true;
    }
    if (Rule == CommentRule::Clang) {
      for (size_t I = LineOf; I < Last; ++I)
        EndInToken[I] = true;
      if (LineComment && LineOf < Lines.size() && isPlainLineComment(Text.slice(Begin + 2, End), Rule))
        TrailingComment[LineOf] = Begin;
    }
    if (!LineComment)
      for (size_t I = LineOf; I <= Last && I < Free.size(); ++I)
        Free[I] = false;
    if (Rule == CommentRule::Clang && T.is(tok::comment) && Text.substr(Begin, 2) == "/*" &&
        Last < Lines.size() && isWholeLineComment(Text, Lines[LineOf].Begin, Begin, End, Lines[Last].End) &&
        (LineOf == 0 || !endsWithSplice(LineText(LineOf - 1))))
      for (size_t I = LineOf; I <= Last; ++I)
        Free[I] = true;
    if (Rule == CommentRule::Clang && T.isNot(tok::comment)) {
      // The halves of a compound token written apart (`( {`, `} )`, `:: *`):
      // in a macro argument, Clang warns when they are more than 50 bytes
      // apart (TokenLexer gives them separate source entries:
      // -Wcompound-token-split-by-macro, on by default), so every byte
      // between them counts: no free line, no trimmed end, no spacing.
      bool Pair = (PrevKind == tok::l_paren && T.is(tok::l_brace)) ||
                  (PrevKind == tok::r_brace && T.is(tok::r_paren)) ||
                  (PrevKind == tok::coloncolon && T.is(tok::star));
      if (Pair && PrevEnd != Begin) {
        for (size_t I = PrevLine; I < LineOf; ++I)
          EndInToken[I] = true;
        for (size_t I = PrevLine + 1; I < LineOf; ++I)
          Free[I] = false;
        if (LineOf < Exact.size())
          Exact[LineOf] = true;
      }
      PrevKind = T.getKind();
      PrevEnd = End;
      PrevLine = Last;
    }
  }
  if (Rule == CommentRule::Clang)
    for (size_t I = 0; I != Lines.size(); ++I) {
      if (Free[I] || EndInToken[I] || endsWithSplice(LineText(I)) ||
          (I != 0 && endsWithSplice(LineText(I - 1))))
        continue;
      size_t End = Lines[I].End;
      if (End > Lines[I].Begin && Text[End - 1] == '\r')
        continue; // a CRLF line: kept whole
      if (TrailingComment[I] != llvm::StringRef::npos)
        End = TrailingComment[I];
      while (End > Lines[I].Begin && (Text[End - 1] == ' ' || Text[End - 1] == '\t'))
        --End;
      KeptEnd[I] = End;
    }
  if (Spacing && Rule == CommentRule::Clang) {
    M.Spaced.resize(Lines.size());
    for (size_t I = 0, K = 0; I != Lines.size(); ++I) {
      size_t From = K;
      while (K != Tokens.size() && Tokens[K].Line == I)
        ++K;
      if (Free[I] || EndInToken[I] || Exact[I] || endsWithSplice(LineText(I)) ||
          (I != 0 && endsWithSplice(LineText(I - 1))))
        continue;
      M.Spaced[I] = spacedLine(Text, Lines[I].Begin, Lines[I].End, KeptEnd[I],
                               llvm::ArrayRef(Tokens).slice(From, K - From));
    }
  }
  if (Rule == CommentRule::OtherCompiler) {
    // From the last line up: a comment line stays only when GCC's warnings
    // cannot read it (CodeLines.h).
    llvm::StringRef NextIndent;
    bool NextIsLabel = false;
    for (size_t I = Lines.size(); I-- != 0;) {
      llvm::StringRef Text = LineText(I);
      if (Text.rtrim(" \t\f\v\r").empty())
        continue; // a blank line: no first column, no comment
      if (Free[I] && (NextIsLabel || !indentOf(Text).starts_with(NextIndent)))
        Free[I] = false;
      if (!Free[I]) {
        NextIndent = indentOf(Text);
        // Comments before a label, up to the first line of code, all count
        // (as for the fingerprint's comment before a label).
        llvm::StringRef Code = Text.ltrim(" \t\f\v");
        bool Comment = Code.starts_with("//") || Code.starts_with("/*");
        NextIsLabel = beginsWithLabel(Text) || (Comment && NextIsLabel);
      }
    }
  }
  return M;
}

/// Frees, in M, the lines after the first FixedLines that are new
/// definitions of names Defines.Read does not hold (NewDefines.h), each
/// name once, and adds those names to Defines.Freed.
void freeNewDefines(llvm::StringRef Text, const LangOptions &LO, FreeLineMap &M,
                    unsigned FixedLines, NewDefines &Defines) {
  auto LineText = [&](size_t I) { return Text.slice(M.Lines[I].Begin, M.Lines[I].End); };
  size_t From = Defines.Freed.size();
  // The text of the last line before I that holds a token.
  llvm::StringRef Before;
  for (size_t I = 0; I != M.Lines.size(); ++I) {
    if (M.Free[I] || M.FixedFree[I])
      continue;
    llvm::StringRef Line = LineText(I);
    bool Alone = I >= FixedLines && !M.EndInToken[I] && !endsWithSplice(Line) &&
                 (I == 0 || (!M.EndInToken[I - 1] && !endsWithSplice(LineText(I - 1))));
    // Not right after a conditional (`#if`, `#ifdef`, `#ifndef`; `%:` and
    // `??=` spell `#` too): a header's guard.
    llvm::StringRef Prev = Before.ltrim(" 	");
    bool AfterIf = Prev.starts_with("%:") || Prev.starts_with("?\?=") ||
                   (Prev.consume_front("#") && Prev.ltrim(" 	").starts_with("if"));
    std::optional<llvm::StringRef> Name;
    if (Alone && !AfterIf)
      Name = newDefineName(Line, LO);
    if (Name)
      Defines.Candidates.push_back(Name->str());
    if (Name && Defines.Read && !Defines.Read->mayHold(*Name) &&
        !llvm::is_contained(llvm::ArrayRef(Defines.Freed).drop_front(From), *Name)) {
      M.Free[I] = true;
      Defines.Freed.push_back(Name->str());
      continue;
    }
    Before = Line;
  }
}

/// The file's lines and which are free, with the first FixedLines kept;
/// with Defines, new definitions too.
FreeLineMap freeLines(llvm::StringRef Text, const LangOptions &LO, CommentRule Rule,
                      unsigned FixedLines, bool Spacing, NewDefines *Defines = nullptr) {
  FreeLineMap M = freeLines(Text, LO, Rule, Spacing);
  M.FixedFree.resize(M.Free.size());
  for (size_t I = 0; I != M.Free.size() && I < FixedLines; ++I) {
    M.FixedFree[I] = M.Free[I] && Rule == CommentRule::Clang;
    M.Free[I] = false;
  }
  if (Defines && Rule == CommentRule::Clang)
    freeNewDefines(Text, LO, M, FixedLines, *Defines);
  return M;
}

Hash128 hashCodeLines(llvm::StringRef Text, const LangOptions &LO, CommentRule Rule,
                      unsigned FixedLines, llvm::StringRef LeftOut, const FreeLineMap &M) {
  Hasher H;
  H.add(Rule == CommentRule::Clang ? "code lines 4" : "code lines, another compiler 1");
  if (FixedLines != 0)
    H.add("fixed lines").add(uint64_t(FixedLines));
  H.add(languageOptions(LO));
  H.addBool(Text.starts_with("\xEF\xBB\xBF"));
  H.addBool(Text.empty() || Text.ends_with("\n"));
  // What the unit never reads (LeftOut.h): left out, with a mark; the list
  // itself is hashed, so that the hash says what it left out.
  std::vector<std::pair<size_t, size_t>> Bodies;
  LeftOutList Leave;
  if (Rule == CommentRule::Clang && !LeftOut.empty()) {
    H.add("left out").add(LeftOut);
    Leave = readLeftOut(LeftOut);
    Bodies = freeMacroBodies(Text, LO, Leave.Macros, [&](size_t LineEnd) {
      auto It = llvm::partition_point(M.Lines, [&](const Line &L) { return L.End < LineEnd; });
      return It != M.Lines.end() && It->End == LineEnd ? M.KeptEnd[It - M.Lines.begin()]
                                                       : LineEnd;
    });
  }
  // A region where a raw string begins is kept whole: a line changed there
  // could end the string elsewhere, and with it change which lines the
  // skipping preprocessor reads as directives.
  const auto &Regions = Leave.SkippedLines;
  std::vector<bool> RawString(Regions.size());
  for (size_t I = 0, R = 0, Number = 0; I != M.Lines.size() && !Regions.empty(); ++I) {
    if (M.Free[I])
      continue;
    ++Number;
    while (R < Regions.size() && Regions[R].second < Number)
      ++R;
    for (size_t Q = R; Q < Regions.size() && Regions[Q].first <= Number; ++Q)
      if (Number <= Regions[Q].second &&
          Text.slice(M.Lines[I].Begin, M.Lines[I].End).contains("R\""))
        RawString[Q] = true;
  }
  auto Skipped = Regions.begin(); // the first that ends at or after this line
  uint64_t Kept = 0;
  std::string Piece;
  auto Body = Bodies.begin(); // the first that ends at or after this line
  auto Columns = Leave.ColumnLines.begin(); // the first that ends at or after this line
  for (size_t I = 0; I != M.Lines.size(); ++I) {
    if (M.Free[I])
      continue;
    ++Kept; // this line's number among the code lines
    if (M.FixedFree[I]) {
      H.add("\nfree line"); // no line's text holds a newline
      continue;
    }
    size_t Begin = M.Lines[I].Begin, End = M.KeptEnd[I];
    while (Skipped != Regions.end() && Skipped->second < Kept)
      ++Skipped;
    if (Skipped != Regions.end() && Skipped->first <= Kept && !RawString[Skipped - Regions.begin()] &&
        plainSkippedLine(Text.slice(Begin, M.Lines[I].End),
                         I != 0 && endsWithSplice(Text.slice(M.Lines[I - 1].Begin,
                                                             M.Lines[I - 1].End)))) {
      H.add("\nskipped"); // no line's text holds a newline
      continue;
    }
    while (Body != Bodies.end() && Body->second < Begin)
      ++Body;
    if (Body == Bodies.end() || Body->first > End) {
      while (Columns != Leave.ColumnLines.end() && Columns->second < Kept)
        ++Columns;
      bool ColumnsRead = Columns != Leave.ColumnLines.end() && Columns->first <= Kept;
      if (Leave.Spacing && !ColumnsRead && !M.Spaced[I].empty())
        H.add("\nspaced").add(M.Spaced[I]); // no line's text holds a newline
      else
        H.add(Text.slice(Begin, End));
      continue;
    }
    // The line without what of it a body holds; where a body begins, a
    // mark and the count of its lines. The mark begins with a newline,
    // which no line's text holds: no line hashed whole can read the same.
    Piece.clear();
    for (auto B = Body; B != Bodies.end() && B->first <= End; ++B) {
      if (B->first >= Begin) {
        Piece += Text.slice(Begin, B->first);
        Piece += "\nfree macro body " +
                 std::to_string(Text.slice(B->first, B->second).count('\n'));
      }
      Begin = std::max(Begin, std::min(B->second, End));
    }
    Piece += Text.slice(Begin, End);
    H.add(Piece);
  }
  H.add(Kept);
  Hash128 Out = H.final();
  return Out.isZero() ? Hash128{1, 0} : Out;
}

} // namespace

Hash128 codeLines(llvm::StringRef Text, const LangOptions &LO, CommentRule Rule,
                  unsigned FixedLines, llvm::StringRef LeftOut, NewDefines *Defines) {
  // Whether the list leaves spacing out ("~" is no macro name and no range).
  bool Spacing = Rule == CommentRule::Clang && leftOutKinds(LeftOut).Spacing;
  return hashCodeLines(Text, LO, Rule, FixedLines, LeftOut,
                       freeLines(Text, LO, Rule, FixedLines, Spacing, Defines));
}

Hash128 codeLinesLeavingOut(llvm::StringRef Text, const LangOptions &LO, unsigned FixedLines,
                            llvm::ArrayRef<llvm::StringRef> Macros,
                            llvm::ArrayRef<std::pair<unsigned, unsigned>> SkippedLines,
                            std::string &LeftOut, bool Spacing,
                            llvm::ArrayRef<unsigned> ColumnLines) {
  FreeLineMap M = freeLines(Text, LO, CommentRule::Clang, FixedLines, Spacing);
  // Each line's number among the code lines (free lines take none).
  std::vector<unsigned> Code(M.Lines.size() + 1);
  for (size_t I = 0; I != M.Lines.size(); ++I)
    Code[I + 1] = Code[I] + (M.Free[I] ? 0 : 1);
  std::vector<std::pair<unsigned, unsigned>> Regions;
  for (auto [First, Last] : SkippedLines) {
    if (First == 0 || Last > M.Lines.size() || First > Last)
      continue;
    // The code lines from the first at or after First to the last at or
    // before Last.
    unsigned A = Code[First - 1] + 1, B = Code[Last];
    if (A <= B)
      Regions.push_back({A, B});
  }
  // The lines whose columns count, in code lines, runs joined (a free
  // line's columns reach nothing: it has no token).
  std::vector<std::pair<unsigned, unsigned>> Columns;
  for (unsigned Line : ColumnLines) {
    if (Line == 0 || Line > M.Lines.size() || M.Free[Line - 1])
      continue;
    unsigned C = Code[Line];
    if (!Columns.empty() && Columns.back().second + 1 >= C)
      Columns.back().second = std::max(Columns.back().second, C);
    else
      Columns.push_back({C, C});
  }
  LeftOut = writeLeftOut(Macros, Regions, Spacing, Columns);
  return hashCodeLines(Text, LO, CommentRule::Clang, FixedLines, LeftOut, M);
}

llvm::StringRef sourceKeyList() { return "~"; }

LeftOutKinds leftOutKinds(llvm::StringRef LeftOut) {
  LeftOutList L = readLeftOut(LeftOut);
  return {L.Spacing, !L.Macros.empty() || !L.SkippedLines.empty()};
}

llvm::Expected<std::optional<CodeLinesReader>>
CodeLinesReader::forCommand(llvm::ArrayRef<std::string> Argv, CommentRule Rule) {
  // Another compiler's command: the language options of the parse that
  // recorded the code lines (OtherCompiler.cpp).
  IgnoringDiagConsumer Quiet;
  ClangJobOptions Opts;
  std::vector<std::string> Line;
  if (Rule == CommentRule::OtherCompiler && !Argv.empty()) {
    Line = foreignParseLine(Argv);
    Opts.ModeFrom = Argv[0];
    Opts.Diagnostics = &Quiet;
    Argv = Line;
  }
  auto Job = buildClangJob(Argv, Opts);
  if (!Job)
    return Job.takeError();
  if (Job->Failed || !Job->NotOneJob.empty() || !Job->Invocation)
    return std::nullopt;
  return CodeLinesReader(std::make_unique<LangOptions>(Job->Invocation->getLangOpts()), Rule);
}

CodeLinesReader::CodeLinesReader(std::unique_ptr<LangOptions> LO, CommentRule Rule)
    : LO(std::move(LO)), Rule(Rule) {}
CodeLinesReader::CodeLinesReader(CodeLinesReader &&) = default;
CodeLinesReader::~CodeLinesReader() = default;

std::optional<Hash128> CodeLinesReader::ofFile(llvm::StringRef Path, unsigned FixedLines,
                                               llvm::StringRef LeftOut,
                                               NewDefines *Defines) const {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/true);
  if (!Buf)
    return std::nullopt;
  return ofText((*Buf)->getBuffer(), FixedLines, LeftOut, Defines);
}

Hash128 CodeLinesReader::ofText(llvm::StringRef Text, unsigned FixedLines,
                                llvm::StringRef LeftOut, NewDefines *Defines) const {
  return codeLines(Text, *LO, Rule, FixedLines, LeftOut, Defines);
}

} // namespace hotast
