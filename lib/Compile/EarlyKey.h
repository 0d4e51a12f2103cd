//===- EarlyKey.h - A unit known the same before its end-of-unit work -*- C++ -*-===//
//
// Most of a parse of a template-heavy unit at -O0 is Sema's work at the end
// of the unit: the pending implicit instantiations (about 60% of the
// frontend on googletest's gmock tests, -ftime-trace). A parse that finds
// the unit read exactly what an earlier compile read can stop before that
// work and reuse that compile's object: the early key.
//
// The key is the hash of the compile's salt and of every token the parser
// read, in order (kind, spelling, whether a macro expanded to it), with the
// text of each pragma and each entry to and exit from a file (with its
// kind: user, system) in their places among them, as they stand when Sema
// has parsed the whole unit and asks for the pending instantiations (an
// external Sema source is asked at that moment: EndOfParseHook). The same
// key means the same input to Sema in the same order; Sema's end-of-unit
// work (instantiating, defining used vtables, the end-of-unit warnings)
// reads only what Sema built from it, and code generation at -O0 without
// debug info reads no source location but through tokens (__LINE__ and
// __FILE__ expand to literals, which are in the key). So the compile that
// made the key produced the object this one would, and printed, after
// that moment, what this one would print then. A compile stores its key
// only when it printed nothing after that moment (then this one prints
// nothing there either; what it printed before, it printed as the parse
// went).
//
// No key (UnitTokens::refused, earlyKeyRefusal), by allow-list: C++ but not
// Objective-C, no modules, OpenMP, CUDA, HIP, SYCL or HLSL, no delayed
// template parsing, no AST file (a PCH), no location in the outputs (no
// debug info, no coverage, no sanitizer that records places: the policy's
// LocationUse::None), not for LLVM bitcode (IR metadata); a pragma whose
// line is joined to the next, or which names a macro outside a string (its
// text would not be what it does), or Microsoft's __pragma (a _Pragma's
// text is its string, destringized); an annotation token the preprocessor made
// other than a pragma's, an #embed; __builtin_LINE, __builtin_COLUMN, __builtin_FILE,
// __builtin_FILE_NAME, __builtin_FUNCTION, __builtin_FUNCSIG,
// __builtin_source_location (a place the tokens do not hold); a string
// in an asm's parentheses that may name a file the assembler reads
// (.incbin, .include: include/hotast/Support/AsmFiles.h), an asm without
// parentheses.
//
// A new declaration the earlier compile never named may be left out of
// the key (inertNewDeclarations), when by allow-list it changes nothing:
// see there.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_EARLYKEY_H
#define HOTAST_LIB_COMPILE_EARLYKEY_H

#include "hotast/Support/Hash128.h"

#include "clang/Basic/SourceLocation.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Sema/ExternalSemaSource.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class CompilerInstance;
class Preprocessor;
class Sema;
class Token;
} // namespace clang

namespace hotast {

class NameFilter;

/// The tokens the parser read, with the pragmas and the files' entries and
/// exits among them: what an early key hashes.
class UnitTokens {
public:
  explicit UnitTokens(const clang::Preprocessor &PP);
  /// A token the parser reads (the preprocessor's token watcher).
  void token(const clang::Token &T);
  void pragma(clang::SourceLocation Loc, clang::PragmaIntroducerKind Kind);
  void fileChanged(clang::PPCallbacks::FileChangeReason Reason,
                   clang::SrcMgr::CharacteristicKind Kind);
  /// An #embed: its tokens reach the parser unseen by the watcher (the
  /// preprocessor enters them as if read before), and its file's bytes
  /// are no token: no key.
  void embed() { refuse("#embed"); }
  /// Why the unit has no early key; empty when it may have one.
  const std::string &refused() const { return Refused; }
  /// The key with the tokens of Left (declarations' ranges: each from its
  /// first token to its last, in one file, with the `;` after it) left out;
  /// none when refused, or when a range is no run of the unit's tokens.
  std::optional<Hash128> key(const Hash128 &Salt, llvm::ArrayRef<clang::SourceRange> Left) const;

private:
  void refuse(llvm::StringRef Why);
  struct Item {
    uint32_t Loc;  ///< a token's raw location when it is in a file; else 0
    uint32_t Kind; ///< the token's kind
    uint64_t Hash;
  };
  const clang::Preprocessor &PP;
  std::vector<Item> Items;
  std::string Refused;
  /// After `asm`: -1 before its `(`, then the depth of its parentheses.
  int AsmDepth = 0;
};

/// What makes a unit's compile have no early key before any token is read
/// (the options, above); empty when none. LocationsReach: the policy's
/// locations reach an output, or IR metadata does.
std::string earlyKeyRefusal(const clang::CompilerInstance &CI, bool LocationsReach);

/// The declarations a key may leave out against an earlier compile that
/// read the names Read (the identifier table of that compile, with its
/// files' defined names: lib/Compile/NewDefines.h), by allow-list: at
/// namespace scope, a `static` function or variable defined once, named by
/// an identifier Read does not hold (so no token of that compile, which
/// are the rest of this unit's, named it, and no lookup Sema made up did),
/// referenced by nothing, no template; of built-in scalar types (arrays of
/// them for a variable), no default argument, no exception specification;
/// whose body or initializer is made of literals, built-in operators and
/// casts, its own parameters and locals, `return` and declarations only
/// (so nothing is instantiated or looked up, no lambda or class declared);
/// no attribute but `unused`; not to be emitted (ASTContext::
/// DeclMustBeEmitted) and nothing Sema warns about at the end of the unit
/// (Sema::ShouldWarnIfUnusedFileScopedDecl: a `static` function in a header
/// without `unused`); in one file, no token from a macro.
std::vector<clang::SourceRange> inertNewDeclarations(clang::Sema &S, const NameFilter &Read);

/// Runs At once, when Sema has parsed the whole unit and asks its external
/// source for pending instantiations (Sema::ActOnEndOfTranslationUnitFragment,
/// after used vtables are defined, before the pending instantiations).
/// Every other question Sema asks an external source gets the base class's
/// answer (none), as without one.
class EndOfParseHook : public clang::ExternalSemaSource {
public:
  explicit EndOfParseHook(std::function<void()> At) : At(std::move(At)) {}
  void ReadPendingInstantiations(
      llvm::SmallVectorImpl<std::pair<clang::ValueDecl *, clang::SourceLocation>> &) override;

private:
  std::function<void()> At;
};

} // namespace hotast

#endif
