//===- PreprocessorRecorder.cpp - What the preprocessor records -----------===//
//
// The callbacks of PreprocessorRecorder.h: pragma text, the clock and file
// macros, and for another compiler skipped regions, macro definitions,
// comments GCC's warnings read and the tokens the parser reads.
//
//===----------------------------------------------------------------------===//

#include "PreprocessorRecorder.h"

#include "hotast/Compile/AsmScan.h"
#include "hotast/Compile/LineWords.h"

#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"

#include <cstring>

using namespace clang;

namespace hotast {

void PreprocessorRecorder::MacroExpands(const Token &Name, const MacroDefinition &, SourceRange,
                                        const MacroArgs *) {
  // The literal they expand to is in the AST (and so in the fingerprint),
  // but the same bytes compiled later give another object.
  if (const IdentifierInfo *II = Name.getIdentifierInfo())
    if (II->isStr("__DATE__") || II->isStr("__TIME__") || II->isStr("__TIMESTAMP__"))
      UsesClock = true;
    else if (II->isStr("__FILE__") || II->isStr("__BASE_FILE__"))
      UsesFilePath = true;
    else if (II->isStr("__LINE__"))
      // The line of the place it expands at (Preprocessor::ExpandBuiltinMacro).
      LineExpansions.push_back(
          {Name.getLocation(), SM.getFileID(SM.getExpansionRange(Name.getLocation()).getEnd()),
           PP.isParsingIfOrElifDirective()});
    else if (RecordSkipped)
      noteUse(*II, Name.getLocation());
}

void PreprocessorRecorder::noteUse(const IdentifierInfo &II, SourceLocation Loc) {
  if (!Skipped.definedWhenSkipped(II.getName()))
    return;
  SourceLocation At = SM.getExpansionLoc(Loc);
  if (!inSystemFile(At))
    Skipped.used(II.getName(), SM.getFileID(At), SM.getPresumedLineNumber(At));
}

bool PreprocessorRecorder::HandleComment(Preprocessor &, SourceRange Comment) {
  if (!RecordSkipped)
    return false;
  bool Invalid = false;
  llvm::StringRef Text = Lexer::getSourceText(CharSourceRange::getCharRange(Comment), SM,
                                              LangOptions(), &Invalid);
  if (Invalid)
    Text = llvm::StringRef();
  const char *After = SM.getCharacterData(Comment.getEnd(), &Invalid);
  if (Invalid || beforeLabel(After))
    H.add("comment before a label").add(Text);
  else if (!plainComment(Text))
    H.add("comment GCC's warnings may read").add(Text);
  return false;
}

void PreprocessorRecorder::PragmaDirective(SourceLocation Loc, PragmaIntroducerKind) {
  const char *Text = SM.getCharacterData(SM.getSpellingLoc(Loc));
  llvm::StringRef Line = llvm::StringRef(Text, strcspn(Text, "\n")).take_front(4096);
  H.add(Line);
  // A pragma acts on the tokens after it (#pragma GCC diagnostic).
  if (RecordSkipped)
    Tokens.add("#pragma").add(Line);
}

void PreprocessorRecorder::token(const Token &T) {
  if (T.isAnnotation())
    return;
  Tokens.add(uint64_t(T.getKind()) << 1 | uint64_t(T.getLocation().isMacroID()));
  if (const IdentifierInfo *II = T.getIdentifierInfo())
    Tokens.add(II->getName());
  else if (T.isLiteral() && T.getLiteralData())
    Tokens.add(llvm::StringRef(T.getLiteralData(), T.getLength()));
}

void PreprocessorRecorder::MacroDefined(const Token &Name, const MacroDirective *MD) {
  const MacroInfo *MI = MD ? MD->getMacroInfo() : nullptr;
  if (!RecordSkipped || !MI || !Name.getIdentifierInfo())
    return;
  H.add("#define").add(Name.getIdentifierInfo()->getName());
  H.addBool(MI->isFunctionLike()).addBool(MI->isVariadic());
  for (const IdentifierInfo *Param : MI->params())
    H.add(Param->getName());
  H.add(uint64_t(MI->getNumTokens()));
  std::vector<llvm::StringRef> Words;
  std::vector<BodyToken> Tokens;
  bool Pastes = false;
  for (const Token &T : MI->tokens()) {
    H.add(uint64_t(T.getKind())).addBool(T.hasLeadingSpace());
    BodyToken B;
    B.Pastes = T.is(tok::hashhash);
    Pastes |= B.Pastes;
    if (const IdentifierInfo *II = T.getIdentifierInfo()) {
      H.add(II->getName());
      Words.push_back(II->getName());
      B.Spelling = II->getName();
      B.Identifier = true;
      B.Parameter = MI->getParameterNum(II) >= 0;
    } else if (T.isLiteral() && T.getLiteralData()) {
      H.add(llvm::StringRef(T.getLiteralData(), T.getLength()));
    }
    Tokens.push_back(B);
  }
  Skipped.defined(Name.getIdentifierInfo()->getName(), Words,
                  Pastes ? pastesOf(Tokens) : std::vector<Paste>());
}

void PreprocessorRecorder::MacroUndefined(const Token &Name, const MacroDefinition &,
                                          const MacroDirective *) {
  if (RecordSkipped && Name.getIdentifierInfo())
    H.add("#undef").add(Name.getIdentifierInfo()->getName());
}

void PreprocessorRecorder::FileChanged(SourceLocation Loc, FileChangeReason Reason,
                                       SrcMgr::CharacteristicKind, FileID) {
  // A file entered under a name, or renamed by #line: a file's presumed
  // name is the one it was last entered under, so every name counts.
  if (Reason != EnterFile && Reason != RenameFile)
    return;
  PresumedLoc P = SM.getPresumedLoc(Loc);
  if (P.isValid())
    FileNames.insert(P.getFilename());
  // GCC's -Wmisleading-indentation stays silent after any #line or line
  // marker (GuardIndentation.h).
  if (RecordSkipped && Reason == RenameFile)
    H.add("#line");
}

void PreprocessorRecorder::SourceRangeSkipped(SourceRange Range, SourceLocation EndifLoc) {
  if (!RecordSkipped)
    return;
  bool Invalid = false;
  llvm::StringRef Text = Lexer::getSourceText(CharSourceRange::getCharRange(Range), SM,
                                              LangOptions(), &Invalid);
  H.add("skipped").add(Invalid ? llvm::StringRef() : Text);
  if (!Invalid)
    Skipped.skipped(Text, SM.getFileID(Range.getBegin()),
                    SM.getPresumedLineNumber(Range.getBegin()), inSystemFile(Range.getBegin()));
  // A file only the other compiler includes is neither parsed nor hashed
  // here. (System headers' branches include files of the same
  // installation, which changes only with the compiler.)
  // The other compiler may also assemble a directive that reads a file
  // no depfile names (AsmScan.h); system headers' branches as above.
  if (!SM.isInSystemHeader(Range.getBegin())) {
    SkippedInclude |= hasIncludeDirective(Text);
    SkippedAsmFile |= sourceMayHoldAsmFileDirective(Text);
  }
}

void PreprocessorRecorder::HasInclude(SourceLocation, llvm::StringRef, bool IsAngled,
                                      OptionalFileEntryRef File, SrcMgr::CharacteristicKind) {
  QuotedProbe |= !IsAngled;
  if (RecordSkipped && File)
    ProbedFiles.push_back(File->getName().str());
}

void PreprocessorRecorder::HasEmbed(SourceLocation, llvm::StringRef, bool IsAngled,
                                    OptionalFileEntryRef File) {
  QuotedProbe |= !IsAngled;
  if (RecordSkipped && File)
    ProbedFiles.push_back(File->getName().str());
}

bool PreprocessorRecorder::inSystemFile(SourceLocation Loc) const {
  OptionalFileEntryRef E = SM.getFileEntryRefForID(SM.getFileID(Loc));
  return E && E->getName().starts_with("/usr/");
}

bool PreprocessorRecorder::plainComment(llvm::StringRef Text) {
  if (Text.size() < 2 || Text.drop_front(2).contains("/*") || Text.contains('\\') ||
      Text.contains("??"))
    return false;
  return llvm::all_of(Text, [](char C) {
    return (C >= 0x20 && C <= 0x7e) || C == '\t' || C == '\n' || C == '\r';
  });
}

bool PreprocessorRecorder::hasIncludeDirective(llvm::StringRef Text) {
  for (size_t Hash = Text.find('#'); Hash != llvm::StringRef::npos;
       Hash = Text.find('#', Hash + 1)) {
    llvm::StringRef Rest = Text.substr(Hash + 1).ltrim(" \t");
    if (Rest.starts_with("include") || Rest.starts_with("import"))
      return true;
  }
  return false;
}

bool PreprocessorRecorder::beforeLabel(const char *P) {
  for (;;) {
    while (*P == ' ' || *P == '\t' || *P == '\n' || *P == '\r' || *P == '\f' || *P == '\v')
      ++P;
    if (P[0] == '/' && P[1] == '/') {
      const char *End = std::strchr(P, '\n');
      llvm::StringRef Line(P, End ? End - P : std::strlen(P));
      Line = Line.rtrim(" \t\r");
      if (!End || Line.ends_with("\\") || Line.ends_with("?\?/"))
        return true;
      P = End;
    } else if (P[0] == '/' && P[1] == '*') {
      const char *End = std::strstr(P + 2, "*/");
      if (!End)
        return true;
      P = End + 2;
    } else {
      break;
    }
  }
  const char *Begin = P;
  while (isAsciiIdentifierContinue(*P))
    ++P;
  llvm::StringRef Word(Begin, P - Begin);
  if (Word.empty() || isDigit(Word[0]))
    return false;
  if (Word == "case" || Word == "default")
    return true;
  while (*P == ' ' || *P == '\t')
    ++P;
  return P[0] == ':' && P[1] != ':';
}

} // namespace hotast
