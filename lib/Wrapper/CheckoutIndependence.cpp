//===- CheckoutIndependence.cpp - Objects other checkouts may use ---------===//

#include "CheckoutIndependence.h"

#include "hotast/Support/PrefixMaps.h"
#include "llvm/ADT/STLExtras.h"

namespace hotast {

namespace {

/// Why one of Names, rewritten by Map, could read otherwise in another
/// checkout. Map's rules must all come from the command line, whose prefix
/// maps the key describes (prefixMapKey); a configuration file's would not.
std::string unportableNames(const PortablePaths &Paths, llvm::ArrayRef<std::string> Names,
                            const PrefixMap &Map, const CompileCommand &Cmd) {
  std::vector<std::string> OnCommandLine = prefixMapOldPrefixes(Cmd.HashedArgs);
  for (const auto &Rule : Map)
    if (!llvm::is_contained(OnCommandLine, Rule.first))
      return "a prefix map the command line does not show: " + Rule.first;
  for (const std::string &Name : Names)
    if (std::string Why = unportableRewrite(Paths, Name, Map); !Why.empty())
      return Why;
  return "";
}

} // namespace

std::string checkoutDependence(const CompileOutcome &Out, const CompileCommand &Cmd,
                               const PortablePaths &Paths) {
  if (!Out.Stderr.empty())
    return "the compile printed diagnostics";
  const PathReach &R = Out.Reach;
  bool Debug = Out.UsesWorkingDir;
  bool Macro = Out.UsesFilePath || (Out.Fingerprint && Out.Fingerprint->SourceLocationFile);
  // LTO bitcode: the source as named, and annotations' file names.
  bool BitcodePaths = R.Bitcode && (Paths.portable(Cmd.Source) != Cmd.Source ||
                                    (Out.Fingerprint && Out.Fingerprint->PathsReached));
  if (!Debug && !Macro && !BitcodePaths)
    return "";
  if (!Paths.active() || !R.Known)
    return "paths reach the object";
  if (BitcodePaths)
    return "LTO bitcode holds the source's path";
  std::vector<std::string> Names = Out.FileNames;
  Names.push_back(Cmd.Source);
  if (Debug) {
    if (R.BeyondDebugInfo)
      return "locations reach the object other than through debug info";
    std::vector<std::string> DebugNames = Names;
    DebugNames.push_back(R.CompilationDir);
    if (std::string Why = unportableNames(Paths, DebugNames, R.DebugMap, Cmd); !Why.empty())
      return "debug info: " + Why;
  }
  if (Macro)
    if (std::string Why = unportableNames(Paths, Names, R.MacroMap, Cmd); !Why.empty())
      return "__FILE__ or std::source_location: " + Why;
  return "";
}

} // namespace hotast
