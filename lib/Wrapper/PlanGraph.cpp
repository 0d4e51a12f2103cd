//===- PlanGraph.cpp - The changed declarations as a graph ----------------===//
//
// `hotast plan --graph`: each changed declaration with the units whose
// object it changes, grouped by the file that declares it, as text, JSON
// or Graphviz dot.
//
//===----------------------------------------------------------------------===//

#include "PlanInternal.h"

#include "llvm/Support/Path.h"

#include <map>
#include <tuple>

namespace hotast {
namespace plan {

static std::string dotQuote(llvm::StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '\n') {
      Out += "\\n";
      continue;
    }
    if (C == '"' || C == '\\')
      Out += '\\';
    Out += C;
  }
  return Out + "\"";
}

PlanReport renderGraph(const std::vector<BuildCompile> &Compiles,
                       const std::vector<UnitPlan> &Plans, PlanOptions::Graph Format) {
  struct Node {
    UnitPlan::ChangedDecl D;
    std::vector<std::string> Units;
  };
  std::map<std::tuple<std::string, unsigned, std::string, std::string>, Node> Nodes;
  PlanReport R;
  std::string Errors;
  for (size_t I = 0; I != Compiles.size(); ++I) {
    std::string Source = absoluteIn(Compiles[I].Directory, Compiles[I].Source);
    if (Plans[I].V == UnitPlan::Verdict::Failed) {
      R.Exit = 2;
      Errors += "error: " + Compiles[I].Source + " does not compile:\n" + Plans[I].Diagnostics;
    }
    for (const UnitPlan::ChangedDecl &D : Plans[I].Changes) {
      Node &N = Nodes[{D.File, D.Line, D.Key, D.Change}];
      N.D = D;
      if (!llvm::is_contained(N.Units, Source))
        N.Units.push_back(Source);
    }
  }
  llvm::json::Array Decls;
  std::string Text, Dot = "digraph plan {\n  rankdir=LR;\n  node [fontsize=10];\n";
  std::map<std::string, std::vector<std::string>> ByFile; // file -> node ids
  std::map<std::string, std::string> UnitIds;
  size_t Id = 0;
  for (auto &[Where, N] : Nodes) {
    const UnitPlan::ChangedDecl &D = N.D;
    std::string What = D.Change + " " + D.Kind + " " + D.Name;
    Text += What + " (" + D.File + ":" + std::to_string(D.Line) + "): " +
            std::to_string(N.Units.size()) + (N.Units.size() == 1 ? " unit\n" : " units\n");
    for (const std::string &U : N.Units)
      Text += "  " + U + "\n";
    Decls.push_back(llvm::json::Object{{"change", D.Change},
                                       {"key", D.Key},
                                       {"kind", D.Kind},
                                       {"name", D.Name},
                                       {"file", D.File},
                                       {"line", D.Line},
                                       {"units", llvm::json::Array(N.Units)}});
    std::string NodeId = "d" + std::to_string(Id++);
    ByFile[D.File].push_back(NodeId);
    Dot += "  " + NodeId + " [shape=box, label=" +
           dotQuote(What + "\n" + llvm::sys::path::filename(D.File).str() + ":" +
                    std::to_string(D.Line)) + "];\n";
    for (const std::string &U : N.Units) {
      auto [It, New] = UnitIds.try_emplace(U, "u" + std::to_string(UnitIds.size()));
      if (New)
        Dot += "  " + It->second + " [label=" + dotQuote(llvm::sys::path::filename(U)) +
               ", tooltip=" + dotQuote(U) + "];\n";
      Dot += "  " + NodeId + " -> " + It->second + ";\n";
    }
  }
  size_t Cluster = 0;
  for (auto &[File, Ids] : ByFile) {
    Dot += "  subgraph cluster_" + std::to_string(Cluster++) + " {\n    label=" +
           dotQuote(File) + ";\n";
    for (const std::string &NodeId : Ids)
      Dot += "    " + NodeId + ";\n";
    Dot += "  }\n";
  }
  Dot += "}\n";
  if (Nodes.empty())
    Text += "no declaration changed in what the build's units use\n";
  R.Json = llvm::json::Object{{"version", 1}, {"declarations", std::move(Decls)}};
  R.Text = Errors + (Format == PlanOptions::Graph::Dot ? Dot : Text);
  return R;
}

} // namespace plan
} // namespace hotast
