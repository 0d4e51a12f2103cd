//===- Analyzer.h - Declaration records for a parsed TU ---------*- C++ -*-===//
//
// Turns a parsed translation unit into DeclRecords: walks the declarations as
// written, merges redeclarations of one entity, and hashes each entity once.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_ANALYSIS_ANALYZER_H
#define HOTAST_ANALYSIS_ANALYZER_H

#include "hotast/Analysis/DeclRecord.h"

namespace clang {
class ASTContext;
}

namespace hotast {

struct AnalysisOptions {
  /// Debug info is on: locations, local names and type sugar are hashed.
  bool DebugInfo = false;
  /// Hash only declarations spelled in the main file (references to others
  /// are still recorded by key). Header declarations are most of a TU and
  /// most callers do not need them.
  bool MainFileOnly = false;
};

/// Analyses every declaration of the translation unit in Ctx.
TUAnalysis analyzeTranslationUnit(clang::ASTContext &Ctx, const AnalysisOptions &Opts);

} // namespace hotast

#endif
