//===- Analyzer.cpp - Declaration records for a parsed TU -----------------===//

#include "hotast/Analysis/Analyzer.h"

#include "Entities.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace hotast {

TUAnalysis analyzeTranslationUnit(ASTContext &Ctx, const AnalysisOptions &Opts) {
  EntityTable Table(Ctx, Opts.DebugInfo);
  TUAnalysis Out;
  Out.DebugInfo = Opts.DebugInfo;
  const SourceManager &SM = Ctx.getSourceManager();
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    Out.MainFile = std::string(Main->getName());
  const std::vector<Entity> &Entities = Table.entities();
  for (size_t I = 0; I != Entities.size(); ++I)
    if (Entities[I].InMainFile || !Opts.MainFileOnly)
      Out.Decls.push_back(Table.record(I));
  return Out;
}

} // namespace hotast
