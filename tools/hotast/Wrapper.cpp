//===- Wrapper.cpp - hotast COMPILER ARGS... (front half) -----------------===//
//
// Classify, then try direct mode; everything past a direct miss goes to
// hotast-clang. Any internal failure runs the real compiler untouched.
//
//===----------------------------------------------------------------------===//

#include "FrontCommands.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Wrapper/CacheSize.h"
#include "hotast/Wrapper/CacheTiers.h"
#include "hotast/Wrapper/Config.h"
#include "hotast/Wrapper/DecisionLog.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/LinkRecord.h"
#include "hotast/Wrapper/Exec.h"

#include "llvm/Support/FileSystem.h"

namespace hotast {

static void count(const Config &C, const char *Counter) {
  if (auto S = Store::open(C.CacheDir))
    llvm::consumeError((*S)->bump(Counter));
  else
    llvm::consumeError(S.takeError());
}

/// Direct mode, locally and then remotely; returns true when the compile
/// was served.
static llvm::Expected<bool> tryDirect(const Config &C, const CompileCommand &Cmd) {
  auto Keys = compileKeys(Cmd, C.BaseDir);
  if (!Keys)
    return Keys.takeError();
  auto Cache = openCache(C.CacheDir);
  if (!Cache)
    return Cache.takeError();
  Store &S = *Cache->S;
  auto Served = serveDirect(S, Cache->Objects, Cmd, Keys->Direct, Keys->Cwd);
  if (!Served || *Served) {
    if (Served) {
      llvm::consumeError(S.bump(counter::DirectHit));
      writeLog(C, {LogEvent::DirectHit, Cmd.Source, Cmd.Output});
    }
    return Served;
  }
  CacheTiers Tiers(S, Cache->Objects,
                   RemoteCache::open(C.Remote, C.CacheDir, Keys->Paths,
                                     [&](const llvm::Twine &T) {
                                       logNote(C, Cmd.Source, Cmd.Output, T.str());
                                     }),
                   !C.Remote.Only);
  if (!Tiers.remote())
    return false;
  // A hit counts itself, with what it keeps (one transaction).
  Served = serveDirectRemote(Tiers, Cmd, Keys->Direct, Keys->Cwd);
  bool Hit = Served && *Served;
  if (!Hit)
    Tiers.countRemote();
  // The compile's other half gets what is left of the budget.
  ::setenv("HOTAST_REMOTE_SPENT_MS", std::to_string(Tiers.remote()->millisecondsSpent()).c_str(), 1);
  if (Hit)
    writeLog(C, {LogEvent::DirectHit, Cmd.Source, Cmd.Output, {}, {}, /*Remote=*/true});
  // What the hit wrote to the local cache counts toward its size.
  if (llvm::Error E = keepInSize(S, Cache->Objects, C.MaxSize))
    logNote(C, Cmd.Source, Cmd.Output, "cache size not kept: " + llvm::toString(std::move(E)));
  return Served;
}

int runWrapper(const std::vector<std::string> &Argv) {
  Config C = Config::fromEnvironment();
  if (C.Disabled)
    return execCompiler(Argv);
  Classification Cl = classifyCommandLine(expandResponseFiles(Argv));
  if (!Cl.Cacheable) {
    LogRecord R;
    R.Event = LogEvent::Uncacheable;
    R.Reason = Cl.Reason;
    R.Compiler = Argv.front();
    writeLog(C, R);
    count(C, counter::Uncacheable);
    // A link: record what its output is made from (docs/reload.md).
    if (Cl.Link && !Cl.Command.Inputs.empty())
      return runAndRecordLink(C, Argv, Cl.Command);
    return execCompiler(Argv);
  }
  const CompileCommand &Cmd = Cl.Command;
  auto Served = tryDirect(C, Cmd);
  if (!Served) {
    writeLog(C, {LogEvent::Fallback, Cmd.Source, Cmd.Output, llvm::toString(Served.takeError())});
    count(C, counter::Fallback);
    return execCompiler(Argv);
  }
  if (*Served)
    return 0;
  std::vector<llvm::StringRef> Args(Argv.begin(), Argv.end());
  return runSemanticBack(Args);
}

} // namespace hotast
