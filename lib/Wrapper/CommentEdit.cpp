//===- CommentEdit.cpp - Files that changed by comment lines only ---------===//

#include "CommentEdit.h"

#include "hotast/Compile/CodeLines.h"
#include "hotast/Compile/InProcess.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <climits>

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

const CodeLinesReader *CodeLinesNow::reader(const Hash128 &Shape,
                                            llvm::ArrayRef<std::string> Argv) {
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
  return Reader->second ? &*Reader->second : nullptr;
}

const CodeLinesNow::Lines &CodeLinesNow::lines(const Hash128 &Shape,
                                               llvm::ArrayRef<std::string> Argv,
                                               llvm::StringRef Path, unsigned FixedLines,
                                               llvm::StringRef LeftOut, const Hash128 &NamesKey,
                                               const NameFilter *Read) {
  FileKey.reset();
  FileKey.add(Shape).add(Path).add(uint64_t(FixedLines)).add(LeftOut).add(NamesKey);
  auto [It, New] = Files.try_emplace(FileKey.final());
  if (!New)
    return It->second;
  const CodeLinesReader *Reader = reader(Shape, Argv);
  if (!Reader)
    return It->second;
  NewDefines Defines{Read, {}, {}};
  It->second.Hash = Reader->ofFile(Path, FixedLines, LeftOut, &Defines);
  It->second.Freed = std::move(Defines.Freed);
  It->second.Candidates = std::move(Defines.Candidates);
  return It->second;
}

std::optional<Hash128> CodeLinesNow::of(const Hash128 &Shape, llvm::ArrayRef<std::string> Argv,
                                        llvm::StringRef Path, unsigned FixedLines,
                                        llvm::StringRef LeftOut) {
  return lines(Shape, Argv, Path, FixedLines, LeftOut, Hash128(), nullptr).Hash;
}

const NameFilter *CodeLinesNow::names(const Hash128 &Key, ObjectCache &Objects) {
  auto [It, New] = Names.try_emplace(Key);
  if (New) {
    auto Bytes = Objects.get(Key);
    if (Bytes)
      It->second = NameFilter::fromBytes(*Bytes);
    else
      llvm::consumeError(Bytes.takeError());
  }
  return It->second ? &*It->second : nullptr;
}

std::optional<Hash128> CodeLinesNow::withNewDefines(const Hash128 &Shape,
                                                    llvm::ArrayRef<std::string> Argv,
                                                    const FileStamp &F, const Hash128 &NamesKey,
                                                    ObjectCache &Objects,
                                                    std::vector<std::string> &Freed) {
  // The lines as every entry sees them, unless a definition there is of a
  // name this one's compile never read.
  const Lines &Plain = lines(Shape, Argv, F.Path, F.CodeFixedLines, F.CodeLeftOut, Hash128(),
                             nullptr);
  if (Plain.Candidates.empty() || NamesKey.isZero())
    return Plain.Hash;
  const NameFilter *Read = names(NamesKey, Objects);
  if (!Read || llvm::all_of(Plain.Candidates,
                            [&](const std::string &Name) { return Read->mayHold(Name); }))
    return Plain.Hash;
  const Lines &L = lines(Shape, Argv, F.Path, F.CodeFixedLines, F.CodeLeftOut, NamesKey, Read);
  Freed.insert(Freed.end(), L.Freed.begin(), L.Freed.end());
  return L.Hash;
}

std::string CommentEdit::whatChanged() const {
  std::string Lines = linesChanged();
  if (NewMacros.empty())
    return Lines;
  if (llvm::StringRef(Lines).ends_with(","))
    Lines.pop_back();
  return Lines + ", and new definitions of " + llvm::join(NewMacros, ", ") +
         ", which nothing reads,";
}

std::string CommentEdit::linesChanged() const {
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

/// The lines (1-based) an edit of a file changed: every line above First
/// is the same in both texts, and, when the edit kept the count of lines,
/// every line below Last too, in its place; else Last is UINT_MAX (the
/// lines below may have moved).
struct EditedLines {
  unsigned First, Last;
  bool has(unsigned Line) const { return Line >= First && Line <= Last; }
};

EditedLines editedLines(llvm::StringRef Old, llvm::StringRef New) {
  llvm::SmallVector<llvm::StringRef, 256> A, B;
  Old.split(A, '\n');
  New.split(B, '\n');
  size_t Prefix = 0;
  while (Prefix != A.size() && Prefix != B.size() && A[Prefix] == B[Prefix])
    ++Prefix;
  if (A.size() != B.size())
    return {unsigned(Prefix) + 1, UINT_MAX};
  size_t Suffix = 0;
  while (Suffix != A.size() - Prefix && A[A.size() - 1 - Suffix] == B[B.size() - 1 - Suffix])
    ++Suffix;
  return {unsigned(Prefix) + 1, unsigned(A.size() - Suffix)};
}

/// Whether what Clang printed (Text) names the edited files (by their
/// names, with the lines each edit changed: Edited) only at lines the edit
/// left in place: every line of it is one of Clang's (a message's location
/// line, an include's, a snippet's source line with its number or its
/// caret line, the count of warnings), an edited file's name stands (but in
/// the source text a snippet shows) only as the path of a location or
/// include line whose line is above its edit, or below it when the edit
/// kept the count of lines, and a snippet under such a location shows such
/// lines too (Clang 19 prints up to several lines of a range; their
/// numbers name no file). Those lines keep their number, text and columns,
/// so the messages are the new text's too.
bool messagesBesideEdits(llvm::StringRef Text, const llvm::StringMap<EditedLines> &Edited) {
  static const llvm::Regex Location(
      "^([^:]+):([0-9]+):([0-9]+:)? (warning|error|note|remark|fatal error): (.*)$");
  static const llvm::Regex Included("^(In file included from |[ ]+from )([^:]+):([0-9]+)[:,]$");
  static const llvm::Regex Numbered("^ *([0-9]+) \\| ");
  static const llvm::Regex Caret("^ *\\|( |$)");
  static const llvm::Regex Count(
      "^[0-9]+ (warning|error)s? (and [0-9]+ (warning|error)s? )?generated\\.$");
  auto Names = [&](llvm::StringRef S) {
    return llvm::any_of(Edited, [&](const auto &E) { return S.contains(E.getKey()); });
  };
  // The lines changed of the edited file Path names, or none.
  auto Limit = [&](llvm::StringRef Path) -> std::optional<EditedLines> {
    auto It = Edited.find(llvm::sys::path::filename(Path));
    if (It != Edited.end())
      return It->second;
    if (Names(Path))
      return EditedLines{0, UINT_MAX}; // another file whose path holds an edited one's name
    return std::nullopt;
  };
  bool InSnippet = false;               // below a location line
  std::optional<EditedLines> Current; // that location's file's lines changed
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    unsigned N = 0;
    if (Line.empty() || Count.match(Line)) {
      InSnippet = false;
    } else if (Included.match(Line, &Parts)) {
      std::optional<EditedLines> L = Limit(Parts[2]);
      if (Parts[3].getAsInteger(10, N) || (L && L->has(N)))
        return false;
      InSnippet = false;
    } else if (Location.match(Line, &Parts)) {
      Current = Limit(Parts[1]);
      if (Parts[2].getAsInteger(10, N) || (Current && Current->has(N)) || Names(Parts[5]))
        return false;
      InSnippet = true;
    } else if (Numbered.match(Line, &Parts)) {
      if (!InSnippet || Parts[1].getAsInteger(10, N) || (Current && Current->has(N)))
        return false;
    } else if (!(InSnippet && Caret.match(Line))) {
      return false; // not a line this reading knows
    }
  }
  return true;
}

/// The edit Found describes, when its compile printed nothing (a message
/// holds line numbers and columns), or, for the linked Clang (Messages),
/// when what it printed names the edited files only at lines each edit
/// left in place (messagesBesideEdits: no message stands in a line it
/// changed or moved, expands a macro there, was included from there or
/// shows such a line) and none of them has a #line directive (whose lines messages
/// name after another file): no edit the code lines let through adds or
/// removes a message (docs/wrapper.md), so the messages are those of the
/// edited files too.
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
  // The edited files the messages name, by name, with the lines each edit
  // changed (the text its compile read is kept for a project's files).
  llvm::StringMap<EditedLines> Named;
  for (const FileStamp &F : Out.Match.Entry.Files) {
    if (!llvm::is_contained(Out.Edited, F.Path))
      continue;
    auto Buf = llvm::MemoryBuffer::getFile(F.Path);
    if (!Buf || hasLineDirective((*Buf)->getBuffer()))
      return std::nullopt;
    llvm::StringRef Name = llvm::sys::path::filename(F.Path);
    if (Text->find(Name.str()) == std::string::npos)
      continue;
    auto Old = Objects.get(F.Content);
    if (!Old) {
      llvm::consumeError(Old.takeError());
      return std::nullopt;
    }
    EditedLines Changed = editedLines(*Old, (*Buf)->getBuffer());
    auto [It, New] = Named.try_emplace(Name, Changed);
    if (!New) // two files of one name: the lines either changed
      It->second = {std::min(It->second.First, Changed.First),
                    std::max(It->second.Last, Changed.Last)};
  }
  if (!Named.empty() && !messagesBesideEdits(*Text, Named))
    return std::nullopt;
  Out.Stderr = std::move(*Text);
  return Out;
}

/// Whether each file of an entry is as stamped (Matches) or has the code
/// lines it had, new definitions of names the entry's compile never read
/// freed (but the source's: -Wunused-macros reads its definitions), and
/// no name freed twice (-Wmacro-redefined): the names and their files, of
/// the entry asked last (its files are asked in order, the source first).
struct AsItWas {
  CodeLinesNow &Code;
  ObjectCache &Objects;
  Hash128 Shape;
  llvm::ArrayRef<std::string> Argv;
  llvm::function_ref<bool(const FileStamp &)> Matches;
  std::vector<std::string> Freed, Files;

  bool operator()(const ManifestEntry &E, const FileStamp &F) {
    bool Source = &F == &E.Files.front();
    if (Source) {
      Freed.clear();
      Files.clear();
    }
    if (Matches(F))
      return true;
    if (F.Code.isZero())
      return false;
    if (Source)
      return Code.of(Shape, Argv, F.Path, F.CodeFixedLines, F.CodeLeftOut) == F.Code;
    std::vector<std::string> New;
    if (Code.withNewDefines(Shape, Argv, F, E.Names, Objects, New) != F.Code)
      return false;
    for (std::string &Name : New) {
      if (llvm::is_contained(Freed, Name))
        return false;
      Freed.push_back(std::move(Name));
    }
    if (!New.empty())
      Files.push_back(F.Path);
    return true;
  }

  /// Found's edit, with the new definitions freed in its entry.
  std::optional<CommentEdit> edit(std::optional<CommentEdit> Found) {
    if (Found) {
      Found->NewMacros = std::move(Freed);
      Found->NewMacroFiles = std::move(Files);
    }
    return Found;
  }
};

} // namespace

llvm::Expected<std::optional<CommentEdit>>
findCommentEdit(Store &S, ObjectCache &Objects, const Hash128 &DirectKey, const Hash128 &Salt,
                const CompileCommand &Cmd, llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv,
                CodeLinesNow &Code, llvm::function_ref<bool(const FileStamp &)> Matches,
                bool ByDirectKey) {
  AsItWas Check{Code, Objects, CodeLinesNow::commandShape(Cmd, Cwd, Argv), Argv, Matches, {}, {}};
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
    Found = findAmong(S, Objects, *Entries, Cwd, Check);
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
      std::optional<Hash128> Source = Code.of(Check.Shape, Argv, Cmd.Source, Fixed, sourceKeyList());
      if (!Source)
        return std::nullopt;
      SourceCodeKey = codeKey(Salt, Cmd, *Source);
    }
    auto Entries = S.manifestsByCode(*SourceCodeKey);
    if (!Entries)
      return Entries.takeError();
    Found = findAmong(S, Objects, *Entries, Cwd, Check);
    if (!Found)
      return Found.takeError();
  }
  return Check.edit(asCommentEdit(std::move(*Found), Matches, Objects,
                                  !Argv.empty() && isLinkedClang(Argv[0])));
}

llvm::Expected<std::optional<CommentEdit>>
findCommentEditAmong(Store &S, ObjectCache &Objects, const ManifestList &Entries,
                     llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv) {
  // One command: its shape needs no name.
  CodeLinesNow Code;
  AsItWas Check{Code, Objects, Hash128(), Argv, stampMatches, {}, {}};
  auto Found = findAmong(S, Objects, Entries, Cwd, Check);
  if (!Found)
    return Found.takeError();
  return Check.edit(asCommentEdit(std::move(*Found), stampMatches, Objects,
                                  !Argv.empty() && isLinkedClang(Argv[0])));
}

} // namespace hotast
