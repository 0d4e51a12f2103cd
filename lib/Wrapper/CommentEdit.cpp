//===- CommentEdit.cpp - Files that changed by comment lines only ---------===//

#include "CommentEdit.h"

#include "hotast/Compile/CodeLines.h"
#include "hotast/Compile/InProcess.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace hotast {

Hash128 CodeLinesNow::commandShape(const CompileCommand &Cmd, llvm::StringRef Cwd,
                                   llvm::ArrayRef<std::string> Argv) {
  Hasher H;
  H.add("command shape 1").add(Argv.empty() ? "" : Argv[0]).add(Cwd);
  H.add(llvm::sys::path::extension(Cmd.Source)).add(uint64_t(Cmd.HashedArgs.size()));
  for (const std::string &Arg : Cmd.HashedArgs)
    H.add(Arg);
  return H.final();
}

std::optional<Hash128> CodeLinesNow::of(const Hash128 &Shape, llvm::ArrayRef<std::string> Argv,
                                        llvm::StringRef Path, unsigned FixedLines,
                                        llvm::StringRef LeftOut) {
  auto [Reader, NewReader] = Readers.try_emplace(Shape);
  if (NewReader) {
    // The linked Clang's comment lines, or another compiler's (GCC's
    // warnings read more: CodeLines.h).
    CommentRule Rule = !Argv.empty() && isLinkedClang(Argv[0]) ? CommentRule::Clang
                                                                : CommentRule::OtherCompiler;
    auto R = CodeLinesReader::forCommand(Argv, Rule);
    if (!R)
      llvm::consumeError(R.takeError());
    else if (*R)
      Reader->second.emplace(std::move(**R));
  }
  if (!Reader->second)
    return std::nullopt;
  FileKey.reset();
  FileKey.add(Shape).add(Path).add(uint64_t(FixedLines)).add(LeftOut);
  auto [It, New] = Files.try_emplace(FileKey.final());
  if (New)
    It->second = Reader->second->ofFile(Path, FixedLines, LeftOut);
  return It->second;
}

std::string CommentEdit::whatChanged() const {
  LeftOutKinds Any;
  for (const FileStamp &F : Match.Entry.Files)
    if (!F.CodeLeftOut.empty() && llvm::is_contained(Edited, F.Path)) {
      LeftOutKinds K = leftOutKinds(F.CodeLeftOut);
      Any.Spacing |= K.Spacing;
      Any.Unread |= K.Unread;
    }
  if (Any.Spacing && Any.Unread)
    return "comment or blank lines, spacing between tokens, or text the unit never reads,";
  if (Any.Spacing)
    return "comment or blank lines, or spacing between tokens,";
  if (Any.Unread)
    return "comment or blank lines, or text the unit never reads,";
  return "comment or blank lines";
}

namespace {

/// Whether Text has a #line directive or a line marker (`# 12 "a.h"`): the
/// lines after it are named after another file, or counted from it.
bool hasLineDirective(llvm::StringRef Text) {
  for (size_t At = Text.find('#'); At != llvm::StringRef::npos; At = Text.find('#', At + 1)) {
    llvm::StringRef Before = Text.take_front(At);
    Before = Before.drop_front(std::min(Before.size(), Before.rfind('\n') + 1));
    if (!Before.ltrim(" \t").empty())
      continue;
    llvm::StringRef After = Text.drop_front(At + 1).ltrim(" \t");
    if (After.starts_with("line") || (!After.empty() && llvm::isDigit(After[0])))
      return true;
  }
  return false;
}

/// The edit Found describes, when its compile printed nothing (a message
/// holds line numbers and columns), or, for the linked Clang (Messages),
/// when what it printed names none of the edited files (no message stands
/// in one, none expands a macro of one or was included from one) and none
/// of them has a #line directive (whose lines messages name after another
/// file): no edit the code lines let through adds or removes a message
/// (docs/wrapper.md), so the messages are those of the edited files too.
std::optional<CommentEdit> asCommentEdit(std::optional<DirectMatch> Found,
                                         llvm::function_ref<bool(const FileStamp &)> Matches,
                                         ObjectCache &Objects, bool Messages) {
  if (!Found)
    return std::nullopt;
  const ManifestEntry &E = Found->Entry;
  const CachedResult &R = Found->Result;
  if (R.BackendDiagnostics)
    return std::nullopt;
  CommentEdit Out{std::move(*Found), {}, {}};
  for (const FileStamp &F : Out.Match.Entry.Files)
    if (!Matches(F))
      Out.Edited.push_back(F.Path);
  if (E.Stderr.isZero() && R.Silent)
    return Out;
  if (!Messages || E.Stderr.isZero())
    return std::nullopt;
  auto Text = Objects.get(E.Stderr);
  if (!Text) {
    llvm::consumeError(Text.takeError());
    return std::nullopt;
  }
  for (const std::string &Path : Out.Edited) {
    if (Text->find(llvm::sys::path::filename(Path).str()) != std::string::npos)
      return std::nullopt;
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    if (!Buf || hasLineDirective((*Buf)->getBuffer()))
      return std::nullopt;
  }
  Out.Stderr = std::move(*Text);
  return Out;
}

} // namespace

llvm::Expected<std::optional<CommentEdit>>
findCommentEdit(Store &S, ObjectCache &Objects, const Hash128 &DirectKey, const Hash128 &Salt,
                const CompileCommand &Cmd, llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv,
                CodeLinesNow &Code, llvm::function_ref<bool(const FileStamp &)> Matches,
                bool ByDirectKey) {
  Hash128 Shape = CodeLinesNow::commandShape(Cmd, Cwd, Argv);
  auto AsItWas = [&](const FileStamp &F) {
    return Matches(F) ||
           (!F.Code.isZero() &&
            Code.of(Shape, Argv, F.Path, F.CodeFixedLines, F.CodeLeftOut) == F.Code);
  };
  llvm::Expected<std::optional<DirectMatch>> Found = std::nullopt;
  std::optional<Hash128> SourceCodeKey;
  if (ByDirectKey) {
    auto Entries = S.manifests(DirectKey);
    if (!Entries)
      return Entries.takeError();
    // The direct key holds the source's bytes: an entry's code key, made
    // from its first file's (the source's) code lines with no line fixed,
    // is the source's now, without reading and lexing it again.
    for (const auto &E : *Entries)
      if (E->hasSourceCodeKey()) {
        SourceCodeKey = E->CodeKey;
        break;
      }
    Found = findAmong(S, Objects, *Entries, Cwd, AsItWas);
  }
  if (!Found)
    return Found.takeError();
  // The source changed: its code lines find an entry, free (its lines
  // reach nothing) or fixed in place (they do; only what ends a line of
  // code may have changed).
  // (Another compiler's entries never fix every line: one lookup.)
  for (unsigned Fixed : {0u, AllLinesFixed}) {
    if (*Found || (Fixed != 0 && (Argv.empty() || !isLinkedClang(Argv[0]))))
      break;
    if (!SourceCodeKey || Fixed != 0) {
      std::optional<Hash128> Source = Code.of(Shape, Argv, Cmd.Source, Fixed, sourceKeyList());
      if (!Source)
        return std::nullopt;
      SourceCodeKey = codeKey(Salt, Cmd, *Source);
    }
    auto Entries = S.manifestsByCode(*SourceCodeKey);
    if (!Entries)
      return Entries.takeError();
    Found = findAmong(S, Objects, *Entries, Cwd, AsItWas);
    if (!Found)
      return Found.takeError();
  }
  return asCommentEdit(std::move(*Found), Matches, Objects,
                       !Argv.empty() && isLinkedClang(Argv[0]));
}

llvm::Expected<std::optional<CommentEdit>>
findCommentEditAmong(Store &S, ObjectCache &Objects, const ManifestList &Entries,
                     llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv) {
  // One command: its shape needs no name.
  CodeLinesNow Code;
  auto AsItWas = [&](const FileStamp &F) {
    return stampMatches(F) ||
           (!F.Code.isZero() &&
            Code.of(Hash128(), Argv, F.Path, F.CodeFixedLines, F.CodeLeftOut) == F.Code);
  };
  auto Found = findAmong(S, Objects, Entries, Cwd, AsItWas);
  if (!Found)
    return Found.takeError();
  return asCommentEdit(std::move(*Found), stampMatches, Objects,
                       !Argv.empty() && isLinkedClang(Argv[0]));
}

} // namespace hotast
