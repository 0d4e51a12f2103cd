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

#include "hotast/Wrapper/DirectMode.h"

namespace hotast {

struct CommentEdit {
  DirectMatch Match;
  /// The files that matched by their code lines only (changed on disk).
  std::vector<std::string> Edited;
};

/// The manifest under DirectKey (in working directory Cwd; not looked up
/// when the caller knows there is none: ByDirectKey false), or failing that
/// under the code key of Cmd's source as it is now (codeKey with Salt: the
/// source changed by comment lines only), whose every file is as stamped
/// (Matches) or has the code lines it had, and whose compile printed
/// nothing (a message holds line numbers), with its result's object in the
/// cache. Argv: the command as the compile runs it (its language options
/// lex the files; the linked Clang's comment lines, or another compiler's:
/// CommentRule). Nothing when there is none; errors are the store's.
llvm::Expected<std::optional<CommentEdit>>
findCommentEdit(Store &S, ObjectCache &Objects, const Hash128 &DirectKey, const Hash128 &Salt,
                const CompileCommand &Cmd, llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv,
                llvm::function_ref<bool(const FileStamp &)> Matches = stampMatches,
                bool ByDirectKey = true);

/// As findCommentEdit, among Entries (a record the store does not hold
/// yet: the unit's first compile, parsed as it was).
llvm::Expected<std::optional<CommentEdit>>
findCommentEditAmong(Store &S, ObjectCache &Objects, std::vector<ManifestEntry> Entries,
                     llvm::StringRef Cwd, llvm::ArrayRef<std::string> Argv);

} // namespace hotast

#endif
