//===- Stats.cpp - hotast stats, hotast cache clear -----------------------===//

#include "FrontCommands.h"

#include "hotast/Cache/ObjectCache.h"
#include "hotast/Remote/Redis.h"
#include "hotast/Store/Store.h"
#include "hotast/Wrapper/CacheSize.h"
#include "hotast/Wrapper/Config.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

static int fail(llvm::StringRef Command, llvm::Error E) {
  llvm::WithColor::error(llvm::errs(), "hotast " + Command.str()) << llvm::toString(std::move(E))
                                                                   << '\n';
  return 2;
}

struct Row {
  const char *Counter;
  const char *Label;
};
static const Row Rows[] = {
    {counter::DirectHit, "direct hits"},   {counter::SemanticHit, "semantic hits"},
    {counter::Miss, "misses"},             {counter::Uncacheable, "uncacheable"},
    {counter::Fallback, "fallbacks"},      {counter::CompileError, "compile errors"},
};

/// Shown when a remote cache is configured (and in --json always).
static const Row RemoteRows[] = {
    {counter::RemoteHit, "remote hits"},
    {counter::RemoteMiss, "remote misses"},
    {counter::RemoteError, "remote errors"},
    {counter::RemoteMs, "remote time (ms)"},
};

static std::string humanSize(uint64_t Bytes) {
  const char *Units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double V = double(Bytes);
  int U = 0;
  while (V >= 1024 && U < 4) {
    V /= 1024;
    ++U;
  }
  std::string Out;
  llvm::raw_string_ostream(Out) << llvm::format(U ? "%.1f %s" : "%.0f %s", V, Units[U]);
  return Out;
}

int runStats(CommandArgs Args) {
  bool JSON = false, Zero = false;
  for (llvm::StringRef A : Args) {
    if (A == "--json")
      JSON = true;
    else if (A == "--zero" || A == "-z")
      Zero = true;
    else if (A == "-h" || A == "--help") {
      llvm::outs() << "USAGE: hotast stats [--json] [--zero]\n\n"
                      "Counts of direct hits, semantic hits, misses, uncacheable compiles,\n"
                      "fallbacks (hotast failed and ran the compiler) and compile errors,\n"
                      "the remote cache's hits, misses, errors and time when one is set,\n"
                      "and the cache size. --zero resets the counts (alias: hotast -z).\n";
      return 0;
    } else
      return fail("stats", llvm::createStringError(llvm::inconvertibleErrorCode(),
                                                   "unknown option '" + A + "'"));
  }
  Config C = Config::fromEnvironment();
  auto S = Store::open(C.CacheDir);
  if (!S)
    return fail("stats", S.takeError());
  auto Objects = ObjectCache::open(C.CacheDir);
  if (!Objects)
    return fail("stats", Objects.takeError());
  uint64_t Size = Objects->totalSize();
  if (Zero) {
    if (llvm::Error E = (*S)->zeroCounters())
      return fail("stats", std::move(E));
    if (llvm::Error E = recountStoredBytes(**S, *Objects))
      return fail("stats", std::move(E));
    llvm::outs() << "Statistics zeroed\n";
    return 0;
  }
  auto Counters = (*S)->counters();
  if (!Counters)
    return fail("stats", Counters.takeError());
  if (JSON) {
    llvm::json::OStream J(llvm::outs(), 2);
    J.object([&] {
      for (const Row &R : Rows)
        J.attribute(R.Counter, (*Counters)[R.Counter]);
      for (const Row &R : RemoteRows)
        J.attribute(R.Counter, (*Counters)[R.Counter]);
      J.attribute("cache_size_bytes", int64_t(Size));
      J.attribute("max_size_bytes", int64_t(C.MaxSize));
      J.attribute("cache_dir", C.CacheDir);
    });
    llvm::outs() << '\n';
    return 0;
  }
  llvm::outs() << "cache directory  " << C.CacheDir << '\n';
  for (const Row &R : Rows)
    llvm::outs() << llvm::left_justify(R.Label, 17) << (*Counters)[R.Counter] << '\n';
  if (!C.Remote.URL.empty()) {
    auto URL = RedisURL::parse(C.Remote.URL);
    llvm::outs() << llvm::left_justify("remote cache", 17)
                 << (URL ? URL->shown() : llvm::toString(URL.takeError())) << '\n';
    for (const Row &R : RemoteRows)
      llvm::outs() << llvm::left_justify(R.Label, 17) << (*Counters)[R.Counter] << '\n';
  }
  llvm::outs() << llvm::left_justify("cache size", 17) << humanSize(Size) << " of "
               << humanSize(C.MaxSize) << '\n';
  return 0;
}

int runCacheCommand(CommandArgs Args) {
  if (Args.size() != 1 || Args[0] != "clear") {
    llvm::errs() << "USAGE: hotast cache clear   (alias: hotast -C)\n";
    return Args.size() == 1 && (Args[0] == "--help" || Args[0] == "-h") ? 0 : 2;
  }
  Config C = Config::fromEnvironment();
  auto S = Store::open(C.CacheDir);
  if (!S)
    return fail("cache", S.takeError());
  auto Objects = ObjectCache::open(C.CacheDir);
  if (!Objects)
    return fail("cache", Objects.takeError());
  if (llvm::Error E = Objects->clear())
    return fail("cache", std::move(E));
  if (llvm::Error E = (*S)->clear())
    return fail("cache", std::move(E));
  // Hot reload's precompiled preambles (lib/Compile/Preamble.h).
  llvm::SmallString<256> Preambles(C.CacheDir);
  llvm::sys::path::append(Preambles, "preambles");
  if (std::error_code EC = llvm::sys::fs::remove_directories(Preambles))
    return fail("cache", llvm::createFileError(Preambles, EC));
  llvm::consumeError(recountStoredBytes(**S, *Objects));
  llvm::outs() << "Cache cleared\n";
  return 0;
}

} // namespace hotast
