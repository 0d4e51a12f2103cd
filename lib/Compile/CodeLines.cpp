//===- CodeLines.cpp - A source file's text without its comment lines -----===//

#include "hotast/Compile/CodeLines.h"

#include "ClangJob.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cassert>

using namespace clang;

namespace hotast {
namespace {

struct Line {
  size_t Begin, End; // End: the '\n' (or the end of the text)
};

/// Blanks and at most a `//` comment of plain text (see CodeLines.h), with
/// the '\r' of a CRLF line end. Where the language has no `//` comments
/// (C89), clang still reads one as a comment, with a warning under
/// -pedantic: there only blank lines are free.
bool isCommentOrBlank(llvm::StringRef L, const LangOptions &LO) {
  if (L.ends_with("\r"))
    L = L.drop_back();
  L = L.ltrim(" \t");
  if (L.empty())
    return true;
  if (!LO.LineComment || !L.consume_front("//"))
    return false;
  if (L.starts_with("/") || L.starts_with("!")) // documentation comments
    return false;
  if (L.contains('\\') || L.contains("??") || L.contains("/*"))
    return false;
  return llvm::all_of(L, [](char C) { return C >= 0x20 && C <= 0x7e; });
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

} // namespace

Hash128 codeLines(llvm::StringRef Text, const LangOptions &LO) {
  // The lexer reads up to a terminating NUL, as clang's buffers have.
  assert(Text.data()[Text.size()] == '\0' && "the text must be followed by a NUL byte");
  std::vector<Line> Lines;
  for (size_t Begin = 0; Begin < Text.size();) {
    size_t End = Text.find('\n', Begin);
    if (End == llvm::StringRef::npos)
      End = Text.size();
    Lines.push_back({Begin, End});
    Begin = End + 1;
  }
  std::vector<bool> Free(Lines.size());
  for (size_t I = 0; I != Lines.size(); ++I)
    Free[I] = isCommentOrBlank(Text.slice(Lines[I].Begin, Lines[I].End), LO) &&
              (I == 0 || !endsWithSplice(Text.slice(Lines[I - 1].Begin, Lines[I - 1].End)));

  // Every token the raw lexer finds, comments included: only a `//`
  // comment that begins and ends on one line leaves its line free.
  const char *Start = Text.data();
  SourceLocation Base = SourceLocation::getFromRawEncoding(1);
  Lexer L(Base, LO, Start, Start, Start + Text.size());
  L.SetCommentRetentionState(true);
  size_t LineOf = 0; // the line of the token's first byte
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
    if (!LineComment)
      for (size_t I = LineOf; I <= Last && I < Free.size(); ++I)
        Free[I] = false;
  }

  Hasher H;
  H.add("code lines 1").add(languageOptions(LO));
  H.addBool(Text.starts_with("\xEF\xBB\xBF"));
  H.addBool(Text.empty() || Text.ends_with("\n"));
  uint64_t Kept = 0;
  for (size_t I = 0; I != Lines.size(); ++I)
    if (!Free[I]) {
      H.add(Text.slice(Lines[I].Begin, Lines[I].End));
      ++Kept;
    }
  H.add(Kept);
  Hash128 Out = H.final();
  return Out.isZero() ? Hash128{1, 0} : Out;
}

llvm::Expected<std::optional<CodeLinesReader>>
CodeLinesReader::forCommand(llvm::ArrayRef<std::string> Argv) {
  auto Job = buildClangJob(Argv);
  if (!Job)
    return Job.takeError();
  if (Job->Failed || !Job->NotOneJob.empty() || !Job->Invocation)
    return std::nullopt;
  return CodeLinesReader(std::make_unique<LangOptions>(Job->Invocation->getLangOpts()));
}

CodeLinesReader::CodeLinesReader(std::unique_ptr<LangOptions> LO) : LO(std::move(LO)) {}
CodeLinesReader::CodeLinesReader(CodeLinesReader &&) = default;
CodeLinesReader::~CodeLinesReader() = default;

std::optional<Hash128> CodeLinesReader::ofFile(llvm::StringRef Path) const {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/true);
  if (!Buf)
    return std::nullopt;
  return codeLines((*Buf)->getBuffer(), *LO);
}

} // namespace hotast
