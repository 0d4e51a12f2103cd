//===- StructuralHasher.h - Normalized AST hashing --------------*- C++ -*-===//
//
// Writes a declaration's normalized AST into a Hasher stream: node kinds,
// operators, literal values, canonical types, referenced declarations by key,
// implicit nodes and attributes; never comments, spelling or parentheses. In
// debug-info mode it adds presumed locations, local names and type sugar,
// because those reach an object compiled with -g. docs/hashing.md lists every
// rule and the test that shows it.
//
// The implementation is split by what is hashed: HashDecls.cpp (declarations
// and the sig/full split), HashStmts.cpp, HashExprs.cpp and HashExprsCXX.cpp
// (statements and expressions, through StmtHasher.h's visitor),
// HashTypes.cpp (types, through a visitor), HashNames.cpp (references,
// names, template arguments, constant values), HashAttrs.cpp (attributes)
// and HashLocations.cpp (locations).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_ANALYSIS_STRUCTURALHASHER_H
#define HOTAST_LIB_ANALYSIS_STRUCTURALHASHER_H

#include "DeclKeys.h"
#include "hotast/Analysis/DeclRecord.h"
#include "hotast/Support/Hash128.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SetVector.h"

namespace clang {
class APValue;
class ASTContext;
class Attr;
class Decl;
class Expr;
class FunctionDecl;
class NamedDecl;
class NestedNameSpecifier;
class Stmt;
class StringLiteral;
class TemplateArgument;
class TemplateArgumentLoc;
class TemplateName;
class TemplateParameterList;
class DeclarationName;
class IdentifierInfo;
class SourceLocation;
} // namespace clang

namespace hotast {

/// A member of a class that code reaches only through a lookup of its name
/// (StructuralHasher::addRecordSig): its name (the unit's identifier) and
/// its signature's hash.
struct OptionalMember {
  const clang::IdentifierInfo *Name;
  Hash128 Sig;
  /// What the signature refers to: the closure follows it only when the
  /// member's name may be looked up.
  std::vector<const clang::Decl *> Refs;
};

/// An entity's hash from its parts: Core, then each optional member Take
/// accepts, then the default arguments' code (when DefaultArgs is given);
/// Core itself when there are neither members nor default arguments. Sig
/// and Full take every part; the fingerprint those the unit's code may
/// reach (Fingerprint.cpp).
Hash128 joinParts(const Hash128 &Core, llvm::ArrayRef<OptionalMember> Members,
                  llvm::function_ref<bool(const OptionalMember &)> Take,
                  const Hash128 *DefaultArgs);

struct DeclHashes {
  Hash128 Sig;
  Hash128 Full;
  Hash128 Layout;
  /// Full without the code of the default arguments it holds and without
  /// its OptionalMembers (Full itself when it holds neither). A default
  /// argument reaches the object only where a call uses it, and there it is
  /// hashed as well: the fingerprint adds DefaultArgsCode only for an entity
  /// whose default arguments the unit's code uses, and each optional member
  /// only when code of the unit may look its name up.
  Hash128 FullCore;
  bool HasDefaultArgs = false;
  Hash128 DefaultArgsCode;
  /// Records without debug info only, in declaration order.
  std::vector<OptionalMember> OptionalMembers;
  /// The names the entity's code leaves to be looked up when it is
  /// instantiated (dependent names: `t.get()`, `T::type`, `using
  /// Base<T>::f`), and every identifier of what is hashed by its printed
  /// form (the unit's identifiers, unique, in first-met order).
  std::vector<const clang::IdentifierInfo *> NamesLookedUp;
  /// The referenced declarations (canonical, without the entity itself), in
  /// first-use order.
  std::vector<const clang::Decl *> RefDecls;
  /// The parameters whose default argument the code uses (a call that
  /// leaves the argument out), in first-use order.
  std::vector<const clang::ParmVarDecl *> DefaultArgUses;
  /// refsOf: the names Sema printed into the code (__func__,
  /// __PRETTY_FUNCTION__, __builtin_FUNCTION). An instantiation's code is
  /// not hashed, and its printed name may hold what neither its pattern nor
  /// its arguments do: "[F = (lambda at h.h:3:40)]".
  std::vector<std::string> PrintedNames;
};

class StructuralHasher {
public:
  /// IRMetadata: the output is LLVM IR (bitcode for LTO), which keeps what a
  /// native object drops: raw source offsets of inline asm and of calls to
  /// functions with error or warning attributes, and annotate attributes'
  /// file and line. They are then hashed (FingerprintOptions::IRMetadata).
  /// EnumRanges: the compile reads the range of an enum's values
  /// (FingerprintOptions::EnumRanges): an enum's sig holds it.
  StructuralHasher(clang::ASTContext &Ctx, KeyTable &Keys, bool DebugInfo,
                   bool IRMetadata = false, bool EnumRanges = true);

  /// Hashes the entity of a non-local declaration, merging its
  /// redeclarations: the signature as all of them declare it and the
  /// definition, if there is one.
  DeclHashes hashEntity(const clang::Decl *D);
  /// As hashEntity hashes a function or variable in a unit that sees none of
  /// its definition (declared in a header, defined in one source file).
  /// Other declarations: as hashEntity.
  DeclHashes hashWithoutDefinition(const clang::Decl *D);
  /// Only the declarations D's code refers to and the default arguments it
  /// uses (as hashEntity's RefDecls and DefaultArgUses), without the cost of
  /// keys and layouts; the hashes are meaningless.
  DeclHashes refsOf(const clang::Decl *D);

  /// Markers that keep the stream unambiguous (values far above any kind
  /// or opcode they sit next to).
  enum Tag : uint64_t {
    TagNull = 1ull << 40,
    TagRef,
    TagLocal,
    TagTemplateParam,
    TagEnd,
    TagBody,
    TagParam,
    TagMember,
    TagBase,
    TagInit,
    TagCapture,
    TagAttr,
    TagLoc,
    TagRedecl,
    TagFallback,
    TagDefaultArg,
  };

  /// Whether a file name was hashed (a location's, or a source_location's):
  /// the outputs may then hold a path as the compile spelled it.
  bool pathsReached() const { return PathsReached; }
  bool sourceLocationFile() const { return SourceLocationFile; }
  /// The files whose line or column numbers reached a hash (a __LINE__
  /// literal, a location in the outputs), and whether something
  /// reached that depends on every file's size (raw offsets) or on a place
  /// the hasher does not track (an unnamed type's location in a function's
  /// name): TUFingerprint::LinesReached.
  const llvm::DenseSet<clang::FileID> &linesReached() const { return LinesReached; }
  bool allLinesReached() const { return AllLinesReached; }
  /// Whether an asm string hashed may make the assembler read a file
  /// (AsmFiles.h): TUFingerprint::AsmReadsFiles.
  bool asmReadsFiles() const { return AsmReadsFiles; }

private:
  // --- HashDecls.cpp
  DeclHashes hash(const clang::Decl *D);
  void addDeclSig(const clang::Decl *D);
  void addDeclBody(const clang::Decl *D);
  void addFunctionSig(const clang::FunctionDecl *FD);
  void addDefaultArg(const clang::ParmVarDecl *P);
  void addFunctionBody(const clang::FunctionDecl *FD);
  void addRecordSig(const clang::Decl *D);
  void addLocalDecl(const clang::Decl *D);
  void addTemplateParams(const clang::TemplateParameterList *TPL);
  Hash128 computeLayout(const clang::Decl *D);

  // The visitors that hash what each statement and type class holds; they
  // write through this class's members.
  friend class StmtHasher;
  friend class TypeHasher;

  // --- HashStmts.cpp
  /// Class, type, locations, what StmtHasher hashes of S, and its children.
  void addStmt(const clang::Stmt *S);
  /// A statement of a block that emits no code (and, with locations, no line).
  bool isNoCode(const clang::Stmt *S) const;

  // --- HashTypes.cpp
  /// Qualifiers, class, and what TypeHasher hashes of T.
  void addType(clang::QualType T);

  // --- HashNames.cpp
  void addDeclRef(const clang::Decl *D);
  /// A name a lookup will resolve later (NamesLookedUp).
  void noteNameLookedUp(const clang::DeclarationName &N);
  void noteNameLookedUp(const clang::IdentifierInfo *Name) { NamesLookedUp.insert(Name); }
  /// Every identifier of a printed form.
  void noteNamesIn(llvm::StringRef Printed);
  void addSpecializationOrigin(const clang::Decl *D);
  void addName(const clang::DeclarationName &N);
  void addNNS(const clang::NestedNameSpecifier *NNS);
  void addTemplateName(const clang::TemplateName &N);
  void addTemplateArg(const clang::TemplateArgument &A);
  void addTemplateArgs(llvm::ArrayRef<clang::TemplateArgument> Args);
  void addTemplateArgLocs(llvm::ArrayRef<clang::TemplateArgumentLoc> Args);
  void addAPValue(const clang::APValue &V);
  /// A local's name, only when it reaches the object (debug info).
  void addLocalName(const clang::NamedDecl *D);

  // --- HashAttrs.cpp
  void addAttrs(const clang::Decl *D);
  void addAttr(const clang::Attr *A);

  // --- HashLocations.cpp
  /// IR metadata only: what clang's code generation records of these
  /// locations in LLVM IR (see the constructor).
  void addRawOffset(clang::SourceLocation L);
  void addAsmOffsets(const clang::StringLiteral *Asm);
  void addDiagnosedCall(const clang::FunctionDecl *Callee, clang::SourceLocation ExprLoc);
  void addPresumedLine(clang::SourceLocation L);
  void addLoc(clang::SourceLocation L);
  void addDeclLoc(const clang::Decl *D);

  void add(uint64_t V) { H.add(V); }
  /// An integer value by its width and bits (no string formatting).
  void addInt(const llvm::APInt &V) {
    H.add(V.getBitWidth());
    for (unsigned I = 0, N = V.getNumWords(); I != N; ++I)
      H.add(V.getRawData()[I]);
  }
  void add(llvm::StringRef S) { H.add(S); }
  void addBool(bool B) { H.addBool(B); }

  clang::ASTContext &Ctx;
  KeyTable &Keys;
  const bool Debug;
  const bool IRMetadata;
  const bool EnumRanges;
  /// Collecting references only (refsOf): no keys, no layout.
  bool RefsOnly = false;
  /// hashWithoutDefinition: bodies and initializers are not visible.
  bool NoDefinition = false;

  // Per-entity state, reset by hashEntity.
  Hasher H;
  /// Locals (parameters, variables, local classes, labels) numbered in the
  /// order the hash first meets them, so renaming one changes nothing.
  llvm::DenseMap<const clang::Decl *, unsigned> LocalOrdinals;
  llvm::SetVector<const clang::Decl *> RefDecls;
  llvm::SetVector<const clang::ParmVarDecl *> DefaultArgUses;
  /// The code of the default arguments the entity declares (addDefaultArg),
  /// apart from H; InDefaultArg while it is written.
  Hasher DefaultArgs;
  bool InDefaultArg = false;
  /// The class whose optional members addRecordSig sets apart: the entity's
  /// own definition, without debug info (which describes every member).
  const clang::Decl *OptionalOwner = nullptr;
  std::vector<OptionalMember> OptionalMembers;
  llvm::SetVector<const clang::IdentifierInfo *> NamesLookedUp;
  std::vector<std::string> PrintedNames;
  /// The outermost default argument or default member initializer being
  /// expanded: source-location builtins inside it take its use site.
  const clang::Expr *DefaultExprContext = nullptr;
  /// Presumed file names already hashed (the source manager interns them), to
  /// keep -g hashing cheap.
  llvm::DenseMap<const char *, Hash128> FileNameHashes;
  bool PathsReached = false;
  bool SourceLocationFile = false;
  llvm::DenseSet<clang::FileID> LinesReached;
  bool AllLinesReached = false;
  bool AsmReadsFiles = false;
  /// Hashes an asm string, noting whether it may read a file.
  void addAsm(llvm::StringRef Text);
  /// Notes that the line of L (its expansion) reached a hash.
  void lineReached(clang::SourceLocation L);
  /// Notes a function name computed by Clang: an unnamed type or lambda in
  /// it is printed with its location.
  void nameReached(llvm::StringRef Name);
};

} // namespace hotast

#endif
