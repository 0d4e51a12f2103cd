//===- CommentEdit.h - Files that changed by comment lines only -*- C++ -*-===//
//
// The wrapper's answer without a parse when the files an earlier compile of
// these source bytes read changed only by free comment lines, none of which
// reach the object or what the compiler says (include/hotast/Compile/
// CodeLines.h; docs/wrapper.md, "Comment lines: a hit without a parse").
// The wrapper serves it; `hotast plan` predicts it. One place for both.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_COMMENTEDIT_H
#define HOTAST_LIB_WRAPPER_COMMENTEDIT_H

#include "hotast/Compile/CodeLines.h"
#include "hotast/Support/NameFilter.h"
#include "hotast/Wrapper/DirectMode.h"

#include <map>

namespace hotast {

/// codeLines of files as they are now, under the language options of the
/// commands that read them. A reader is asked of the driver (which looks
/// for a GCC installation: about a millisecond) only when a file with code
/// lines changed, once per command shape (commandShape), and each file is
/// read once per shape. One serves one compile in the wrapper, and every
/// compile of a build in `hotast plan`, whose files do not change while it
/// looks.
class CodeLinesNow {
public:
  /// What the language options of Cmd (run as Argv, in Cwd) are made from:
  /// the compiler, the working directory, every flag but the output and
  /// depfile ones, and the source's suffix (its language without -x).
  static Hash128 commandShape(const CompileCommand &Cmd, llvm::StringRef Cwd,
                              llvm::ArrayRef<std::string> Argv);
  /// The code lines of Path now, lexed for the command Argv of that Shape
  /// (codeLines' FixedLines and LeftOut); nothing when the driver gives
  /// no single job or the file is unreadable.
  std::optional<Hash128> of(const Hash128 &Shape, llvm::ArrayRef<std::string> Argv,
                            llvm::StringRef Path, unsigned FixedLines = 0,
                            llvm::StringRef LeftOut = {});
  /// As of for F's path and code lines, also freeing new definitions of
  /// names the entry's compile never read (Names: its ManifestEntry::Names,
  /// a blob of Objects; lib/Compile/NewDefines.h). The names freed are
  /// added to Freed.
  std::optional<Hash128> withNewDefines(const Hash128 &Shape, llvm::ArrayRef<std::string> Argv,
                                        const FileStamp &F, const Hash128 &Names,
                                        ObjectCache &Objects, std::vector<std::string> &Freed);
  /// The names an entry's compile read (its ManifestEntry::Names, a blob
  /// of Objects), read once; nothing when unreadable.
  const NameFilter *names(const Hash128 &Key, ObjectCache &Objects);

private:
  struct Lines {
    std::optional<Hash128> Hash;
    std::vector<std::string> Freed, Candidates;
  };
  const CodeLinesReader *reader(const Hash128 &Shape, llvm::ArrayRef<std::string> Argv);
  const Lines &lines(const Hash128 &Shape, llvm::ArrayRef<std::string> Argv,
                     llvm::StringRef Path, unsigned FixedLines, llvm::StringRef LeftOut,
                     const Hash128 &NamesKey, const NameFilter *Names);

  std::map<Hash128, std::optional<CodeLinesReader>> Readers;
  /// By the hash of (shape, path, fixed lines, left-out list, names):
  /// asked for every entry of every compile, a lookup copies no path.
  std::map<Hash128, Lines> Files;
  /// By blob key: nothing when unreadable.
  std::map<Hash128, std::optional<NameFilter>> Names;
  /// The key's bytes, in one buffer for every lookup (no allocation each).
  Hasher FileKey;
};

struct CommentEdit {
  DirectMatch Match;
  /// The files that matched by their code lines only (changed on disk).
  std::vector<std::string> Edited;
  /// What the compile printed, to print again (empty when nothing).
  std::string Stderr;
  /// The names of the new definitions the code lines of Edited freed
  /// (lib/Compile/NewDefines.h), and the files that hold them, whose
  /// stamps stay as the entry has them: a later lookup reads those files
  /// again, and sees a second definition of one of the names.
  std::vector<std::string> NewMacros, NewMacroFiles;

  /// What may have changed in Edited, for the log: "comment or blank
  /// lines", and text the unit never reads when the code lines of an
  /// edited file leave some out (lib/Compile/LeftOut.h).
  std::string whatChanged() const;

private:
  std::string linesChanged() const;
};

/// The manifest under DirectKey (in working directory Cwd; not looked up when
/// the caller knows there is none: ByDirectKey false), or failing that under
/// the code key of Cmd's source as it is now (codeKey with Salt: the source
/// changed by comment lines only), whose every file is as stamped (Matches) or
/// has the code lines it had, and whose compile printed nothing (a message
/// holds line numbers) or, for the linked Clang, nothing that names a line
/// an edit changed or moved (CommentEdit.cpp, messagesBesideEdits), with its result's object in the cache. Argv: the
/// command as the compile runs it (its language options lex the files; the
/// linked Clang's comment lines, or another compiler's: CommentRule; Code: the
/// code lines of files now, kept by the caller across compiles). Nothing when
/// there is none; errors are the store's.
llvm::Expected<std::optional<CommentEdit>>
findCommentEdit(Store &S, ObjectCache &Objects, const Hash128 &DirectKey, const Hash128 &Salt,
                const CompileCommand &Cmd, llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv,
                CodeLinesNow &Code,
                llvm::function_ref<bool(const FileStamp &)> Matches = stampMatches,
                bool ByDirectKey = true);

/// As findCommentEdit, among Entries (a record the store does not hold
/// yet: the unit's first compile, parsed as it was).
llvm::Expected<std::optional<CommentEdit>>
findCommentEditAmong(Store &S, ObjectCache &Objects, const ManifestList &Entries,
                     llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv);

} // namespace hotast

#endif
