//===- GuardIndentation.cpp - What GCC's -Wmisleading-indentation reads ---===//

#include "GuardIndentation.h"

#include "GuardWalker.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hotast {
namespace {

class GuardVisitor : public GuardWalker<GuardVisitor> {
public:
  GuardVisitor(ASTContext &Ctx, Hasher &H, std::vector<LineSpan> *TextLines)
      : GuardWalker(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), H(H), TextLines(TextLines) {}

  void guard(llvm::StringRef Kind, SourceLocation Guard, const Stmt *Body) {
    // A braced body is never misleading (GCC returns early).
    if (!Body || isa<CompoundStmt>(Body) || Guard.isInvalid() || inSystemFile(Guard))
      return;
    SourceLocation G = SM.getExpansionLoc(Guard);
    SourceLocation B = SM.getExpansionLoc(Body->getBeginLoc());
    // The token after the body: both candidates count.
    auto [N1, N2] = tokensAfter(Body, LO);
    H.add("guard").add(Kind);
    // Guard and body from one macro expansion: GCC either gives up (the
    // next token is not from it too) or reads the three in the macro's
    // definition (it is): the expansion's line counts for nothing.
    if (Guard.isMacroID() && Body->getBeginLoc().isMacroID() && G == B) {
      H.add("in one expansion");
      hashMacroLines(Guard, Body);
      return;
    }
    H.addBool(sameLine(G, B)).addBool(N1.isValid() && sameLine(B, N1));
    H.addBool(N2.isValid() && sameLine(B, N2));
    for (SourceLocation L : {G, B, N1, N2})
      if (L.isValid() && !firstOnLine(L))
        H.add(lineText(L));
    // The first column of each line from the guard's to the next token's:
    // where a token is first on its line, and a line between body and next
    // token indented less (an unindent silences the warning).
    SourceLocation Last = N2.isValid() ? N2 : N1.isValid() ? N1 : B;
    FileID F = SM.getFileID(G);
    if (SM.getFileID(Last) == F) {
      unsigned From = SM.getSpellingLineNumber(G), To = SM.getSpellingLineNumber(Last);
      for (unsigned Line = From; Line <= To && Line < From + MaxLines; ++Line)
        H.add(indentOf(F, Line));
      if (To >= From + MaxLines)
        H.add(uint64_t(To - From));
    } else {
      for (SourceLocation L : {G, B, N1, N2})
        if (L.isValid())
          H.add(indentOf(SM.getFileID(L), SM.getSpellingLineNumber(L)));
    }
    hashMacroLines(Guard, Body);
  }

  /// From a macro: GCC may read the loci in its definition.
  void hashMacroLines(SourceLocation Guard, const Stmt *Body) {
    for (SourceLocation L : {Guard, Body->getBeginLoc(), Body->getEndLoc()})
      if (L.isMacroID())
        H.add(lineText(SM.getSpellingLoc(L)));
  }

  bool sameLine(SourceLocation A, SourceLocation B) const {
    return SM.getFileID(A) == SM.getFileID(B) &&
           SM.getSpellingLineNumber(A) == SM.getSpellingLineNumber(B);
  }

  /// Only blanks come before L on its line.
  bool firstOnLine(SourceLocation L) const {
    auto [File, Offset] = SM.getDecomposedLoc(L);
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
    if (Invalid || Offset > Buf.size())
      return false;
    llvm::StringRef Before = Buf.take_front(Offset);
    size_t Start = Before.rfind('\n');
    Before = Before.drop_front(Start == llvm::StringRef::npos ? 0 : Start + 1);
    return Before.ltrim(" \t\f\v").empty();
  }

  /// The leading blanks of line Line of File ("\n" for a blank line, which
  /// GCC skips).
  llvm::StringRef indentOf(FileID File, unsigned Line) const {
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
    SourceLocation Start = SM.translateLineCol(File, Line, 1);
    if (Invalid || Start.isInvalid())
      return "";
    llvm::StringRef Text = Buf.drop_front(SM.getFileOffset(Start));
    Text = Text.take_until([](char C) { return C == '\n'; });
    llvm::StringRef Rest = Text.ltrim(" \t\f\v");
    if (Rest.rtrim("\r").empty())
      return "\n";
    return Text.take_front(Text.size() - Rest.size());
  }

  /// Lines between a guard and the token after its body are hashed one by
  /// one up to this many (a longer span: its length).
  static constexpr unsigned MaxLines = 256;

  llvm::StringRef lineText(SourceLocation L) const {
    auto [File, Offset] = SM.getDecomposedLoc(L);
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
    if (Invalid || Offset > Buf.size())
      return "";
    size_t Start = Buf.take_front(Offset).rfind('\n');
    Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
    size_t End = Buf.find('\n', Offset);
    End = End == llvm::StringRef::npos ? Buf.size() : End;
    if (TextLines)
      TextLines->push_back({File, unsigned(Start), unsigned(End)});
    return Buf.slice(Start, End);
  }

private:
  const LangOptions &LO;
  Hasher &H;
  std::vector<LineSpan> *TextLines;
};

} // namespace

void hashGuardIndentation(ASTContext &Ctx, Hasher &H, std::vector<LineSpan> *TextLines) {
  GuardVisitor(Ctx, H, TextLines).TraverseDecl(Ctx.getTranslationUnitDecl());
}

} // namespace hotast
