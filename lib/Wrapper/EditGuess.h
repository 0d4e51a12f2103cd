//===- EditGuess.h - Whether a header edit reaches a unit's closure -*- C++ -*-===//
//
// After an edit to the files a unit includes (its source unchanged, or
// changed in spaces and comments only, every token on its line), the
// wrapper guesses, before it parses, whether the compile will miss: then it
// compiles at once (one parse), otherwise it parses without code generation
// first, which a hit ends (docs/wrapper.md, "Parse first"). A wrong guess
// costs a second parse (a miss) or code generation (a hit); it never changes
// the decision. The guess: the lines the edit changed, against the lines
// each declaration of the unit's last closure spans (its snapshot); an
// edit of comments or spaces alone is no edit there, and one that looks
// cosmetic there (a rename, a literal respelled) or appends an enumerator
// likely leaves the object as it was.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_EDITGUESS_H
#define HOTAST_LIB_WRAPPER_EDITGUESS_H

#include "hotast/Cache/ObjectCache.h"
#include "hotast/Store/Store.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace hotast {

class NameFilter;

/// Where an edit changed a file's tokens (comments and spaces do not
/// count), by lines of the old text (1-based): the old tokens from line
/// First to line Last were replaced; or, when tokens were only inserted
/// (Insertion), they went between the old token on line First and the one
/// on line Last (0: none there). Directive: a changed or inserted token is
/// in a preprocessor directive (what a macro change reaches, no line shows).
struct ChangedLines {
  unsigned First = 0, Last = 0;
  bool Insertion = false;
  bool Directive = false;
};

/// Where Old's tokens and New's differ, between their common first and
/// last tokens; none when the tokens are the same.
std::optional<ChangedLines> changedLines(llvm::StringRef Old, llvm::StringRef New);

/// Whether Edit in the file File falls inside a declaration of Decls: it
/// replaces a token on a line one spans, or inserts tokens between two on
/// its lines.
bool editInside(const ChangedLines &Edit, llvm::StringRef File,
                llvm::ArrayRef<SnapshotDecl> Decls);

/// Where an edit of the files a unit includes stands to the unit's last
/// closure (editInsideClosure).
enum class EditReach {
  /// Outside every declaration of that closure (or comments and spaces).
  Outside,
  /// Inside one, but it likely leaves the code as it was (codeLooksAlike,
  /// enumeratorAppended): a hit is likely where the locations and names of
  /// tokens do not reach the object (no debug info).
  LikelySame,
  /// Inside one, or it moves lines that reach the object.
  Inside,
};

/// For a unit whose last compile Last read files that changed since, the
/// source not among them: Inside when an edit of one falls inside a
/// declaration of that compile's closure and does not look as if it left
/// the code as it was, or moves lines where they reach the object: a file
/// whose lines that compile's direct-mode entry (Entry) keeps in place
/// (CodeFixedLines: a __LINE__ there reached the object, as gtest's TEST
/// registers each test's line) has another number of lines, and a
/// declaration of the closure ends at or below the first line changed.
/// With Read (the names that entry's compile read, asked only when a
/// directive changed), a line of a file
/// that defines, alone, a name Read does not hold is no edit: a lookup
/// serves such a definition without a parse (lib/Compile/NewDefines.h),
/// which leaves the snapshot as it was.
/// LikelySame when every edit inside one likely leaves the code as it was,
/// Outside when none is inside; nothing when that cannot be told (a file's
/// earlier text is not kept, a directive changed, nothing changed).
std::optional<EditReach> editInsideClosure(const UnitSnapshot &Last, ObjectCache &Objects,
                                           const StampList *Entry = nullptr,
                                           llvm::function_ref<const NameFilter *()> Read = {});

/// Whether New's tokens are Old's but for what often leaves the code as it
/// was: names renamed one for one (a local variable's; no keyword), integer
/// literals respelled with the same value and suffix (`16`, `0x10`),
/// neither among the arguments of what looks like a macro (a name in
/// capitals: it may spell them as a string), empty statements `;` or `{}`
/// added or taken out; every other token on the line it was on. Only a
/// guess (a renamed name may be another's, `3000000000` and `0xB2D05E00`
/// have other types): the fingerprint decides.
bool codeLooksAlike(llvm::StringRef Old, llvm::StringRef New);

/// Whether New is Old with an enumerator appended to an enum's list (`,
/// NAME`, `= NUMBER` optionally), named so nowhere in Old: the values of the
/// others stay, and code that existed cannot name it. Only a guess (a
/// `switch` without `default` may now warn): the fingerprint decides.
bool enumeratorAppended(llvm::StringRef Old, llvm::StringRef New);

/// For a unit whose source changed since its last compile Last: whether
/// the source's tokens all stayed on their lines (spaces in a line, a
/// comment between tokens or ending a line) or the edit looks cosmetic
/// (codeLooksAlike): at `-O0` most of a recompile's cost is the parse,
/// which such an edit leaves to decide. False when that cannot be told
/// (the earlier text is not kept).
bool sourceEditLooksCosmetic(const UnitSnapshot &Last, ObjectCache &Objects);

} // namespace hotast

#endif
