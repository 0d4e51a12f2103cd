//===- Config.h - The wrapper's configuration --------------------*- C++ -*-===//
//
// What the environment and the cache directory's configuration file say
// (HOTAST_DIR, HOTAST_DISABLE, HOTAST_LOGFILE, HOTAST_LOG_FORMAT,
// HOTAST_MAXSIZE, HOTAST_BASEDIR, the remote cache's HOTAST_REMOTE*), and
// the statistics counters' names. Used by both the light front program and
// the Clang-linked one.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_CONFIG_H
#define HOTAST_WRAPPER_CONFIG_H

#include "hotast/Remote/RemoteConfig.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include <cstdint>
#include <string>

namespace hotast {

constexpr uint64_t DefaultMaxCacheSize = 5ull << 30;

struct Config {
  /// HOTAST_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/hotast.
  std::string CacheDir;
  /// HOTAST_DISABLE set to anything but "" or "0": pure pass-through.
  bool Disabled = false;
  /// HOTAST_LOGFILE: where decisions are logged; empty for none.
  std::string LogFile;
  /// HOTAST_LOG_FORMAT=json: the log's records as JSON lines (DecisionLog.h);
  /// any other value, or none: text.
  bool LogJson = false;
  /// HOTAST_MAXSIZE ("5G", "500M", bytes); DefaultMaxCacheSize when unset or invalid.
  uint64_t MaxSize = DefaultMaxCacheSize;
  /// HOTAST_BASEDIR / base_dir: paths under it count relative to the
  /// working directory in keys and records (see PortablePaths.h).
  std::string BaseDir;
  RemoteConfig Remote;

  /// The environment, over CacheDir/hotast.conf's `name = value` lines.
  static Config fromEnvironment();
};

/// Names of the statistics counters, shared by the writers and `hotast stats`.
namespace counter {
constexpr const char *DirectHit = "direct_hits";
constexpr const char *SemanticHit = "semantic_hits";
constexpr const char *Miss = "misses";
constexpr const char *Uncacheable = "uncacheable";
constexpr const char *Fallback = "fallbacks";
constexpr const char *CompileError = "compile_errors";
constexpr const char *StoredBytes = "stored_bytes";
constexpr const char *RemoteHit = "remote_hits";
constexpr const char *RemoteMiss = "remote_misses";
constexpr const char *RemoteError = "remote_errors";
constexpr const char *RemoteMs = "remote_ms";
} // namespace counter

} // namespace hotast

#endif
