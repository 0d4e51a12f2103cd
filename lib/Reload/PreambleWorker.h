//===- PreambleWorker.h - Preambles built in the background -----*- C++ -*-===//
//
// The second thread of `hotast watch` (Watch.cpp), which builds preambles
// while the watcher waits for saves. Internal to the reload library.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_RELOAD_PREAMBLEWORKER_H
#define HOTAST_LIB_RELOAD_PREAMBLEWORKER_H

#include "hotast/Reload/Reload.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace hotast {

/// Precompiles preambles on a second thread while the watcher waits for
/// saves: a unit's first save after the watcher started, and the saves after
/// one whose preamble was missing, need not wait for one. Clang changes the
/// process's working directory, and the watcher starts programs and reads
/// paths: the two never run at once. The watcher holds Busy except while it
/// waits in poll(); a build takes it for one unit and yields it whenever the
/// watcher wants it.
class PreambleWorker {
public:
  PreambleWorker(ReloadRequest R, std::mutex &Busy, std::atomic<bool> &Wanted);
  ~PreambleWorker();

  /// Queues Units; with Announce, readyFd() becomes readable once they are
  /// built and takeAnnounced() says how many and how long.
  void add(std::vector<UnitCommand> Units, bool Announce);

  int readyFd() const { return Done[0]; }

  /// The announced batch: units and milliseconds (after readyFd() fired).
  std::pair<size_t, double> takeAnnounced();

private:
  using Clock = std::chrono::steady_clock;

  void work();

  ReloadRequest R;
  std::mutex &Busy;
  std::atomic<bool> &Wanted;
  std::mutex QueueLock;
  std::condition_variable More;
  std::deque<std::pair<UnitCommand, bool>> Queue;
  bool Stopping = false;
  size_t AnnounceCount = 0;
  Clock::time_point AnnounceStart;
  double AnnounceMs = 0;
  int Done[2] = {-1, -1};
  std::thread Thread;
};

} // namespace hotast

#endif
