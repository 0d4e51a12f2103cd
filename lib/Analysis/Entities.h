//===- Entities.h - The declarations of a TU, one per entity ----*- C++ -*-===//
//
// Walks a parsed translation unit the way users wrote it (namespaces, linkage
// specifications, classes) and collects one entity per declared thing, with
// its redeclarations merged. Implicit declarations and implicit template
// instantiations are nobody's writing and are not entities; resolve() maps a
// reference to them onto the entity whose code they come from.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_ANALYSIS_ENTITIES_H
#define HOTAST_LIB_ANALYSIS_ENTITIES_H

#include "DeclKeys.h"
#include "StructuralHasher.h"
#include "hotast/Analysis/DeclRecord.h"

#include "clang/AST/PrettyPrinter.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class SourceManager;
} // namespace clang

namespace hotast {

struct Entity {
  const clang::Decl *Canonical;
  /// The declaration reports point at and hashing starts from: the
  /// definition when there is one.
  const clang::Decl *Shown;
  bool InMainFile;
  /// The first declaration met (what a unit without the definition shows).
  const clang::Decl *First;
};

class EntityTable {
public:
  /// LoadedOnly: with an AST file (a precompiled preamble), enumerate only
  /// the declarations already deserialized (everything the unit's code
  /// used), not every declaration of the AST file.
  EntityTable(clang::ASTContext &Ctx, bool DebugInfo, bool IRMetadata = false,
              bool LoadedOnly = false, bool EnumRanges = true);

  const std::vector<Entity> &entities() const { return List; }
  /// The index of the entity D (any redeclaration) belongs to, or -1.
  int indexOf(const clang::Decl *D) const;
  /// The entities whose code a reference to D brings in: D's own entity, or
  /// for an implicit instantiation the template it comes from, for an
  /// implicit member the class. Empty for builtins and the like.
  llvm::SmallVector<int, 2> resolve(const clang::Decl *D) const;

  /// Hashes entity I (once; later calls return the same result).
  const DeclHashes &hashes(size_t I);
  /// Hashes D, a function or variable, as a unit that sees none of its
  /// definition does (not kept).
  DeclHashes hashesWithoutDefinition(const clang::Decl *D) {
    return Hasher.hashWithoutDefinition(D);
  }
  /// The declarations the code of D refers to and the default arguments it
  /// uses (RefDecls, DefaultArgUses; no hashes), for D that is no entity (an
  /// instantiation, a member of one, an implicit member): its template's
  /// pattern is hashed, but only D's own code names the instantiations and
  /// implicit members that dependent code reaches.
  DeclHashes refsOf(const clang::Decl *D) { return Hasher.refsOf(D); }
  /// The record of entity I, hashing it if needed; Refs filled only when
  /// WithRefs (the strings are for reports).
  DeclRecord record(size_t I, bool WithRefs = true);

  KeyTable &keys() { return Keys; }

private:
  void walkContext(const clang::DeclContext *DC);
  void walk(const clang::Decl *D);
  void add(const clang::Decl *D);
  std::string describeUnnamed(const clang::Decl *D) const;
public:
  /// Whether hashing so far added a file name (StructuralHasher).
  bool pathsReached() const { return Hasher.pathsReached(); }
  bool sourceLocationFile() const { return Hasher.sourceLocationFile(); }
  const llvm::DenseSet<clang::FileID> &linesReached() const { return Hasher.linesReached(); }
  bool allLinesReached() const { return Hasher.allLinesReached(); }
  bool asmReadsFiles() const { return Hasher.asmReadsFiles(); }

private:

  clang::ASTContext &Ctx;
  bool LoadedOnly = false;
  clang::SourceManager &SM;
  clang::PrintingPolicy NamePolicy;
  KeyTable Keys;
  StructuralHasher Hasher;
  std::vector<Entity> List;
  llvm::DenseMap<const clang::Decl *, int> Index;
  /// Hashes by entity index, filled on demand.
  std::vector<std::optional<DeclHashes>> Hashed;
};

/// Broad class of a declaration (decides how a difference is reported).
DeclClass classifyDecl(const clang::Decl *D);

} // namespace hotast

#endif
