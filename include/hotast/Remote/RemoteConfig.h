//===- RemoteConfig.h - How the remote cache is used ------------*- C++ -*-===//
//
// The remote cache's settings, as Config reads them from the environment
// and the cache directory's configuration file.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_REMOTE_REMOTECONFIG_H
#define HOTAST_REMOTE_REMOTECONFIG_H

#include <string>

namespace hotast {

/// Where the remote cache is and how it is used (docs/wrapper.md).
struct RemoteConfig {
  /// HOTAST_REMOTE / remote: redis://[user:password@]host[:port][/db];
  /// empty for none.
  std::string URL;
  /// HOTAST_REMOTE_ONLY / remote_only: nothing is kept locally.
  bool Only = false;
  /// HOTAST_REMOTE_READONLY / remote_readonly: nothing is written remotely.
  bool ReadOnly = false;
  /// HOTAST_REMOTE_KEY / remote_key: entries are signed with it, and only
  /// entries signed with it are used.
  std::string Key;
  /// HOTAST_REMOTE_TIMEOUT / remote_timeout (milliseconds): what the remote
  /// cache may cost one compile before hotast carries on without it.
  unsigned TimeoutMs = 500;
  /// HOTAST_REMOTE_RETRY / remote_retry (seconds): how long compiles stop
  /// asking after an error.
  unsigned RetrySeconds = 60;
  /// What the front program already spent of this compile's budget: it
  /// passes the rest on to the compile's other half (HOTAST_REMOTE_SPENT_MS,
  /// which that half removes from its environment).
  unsigned SpentMs = 0;
};

} // namespace hotast

#endif
