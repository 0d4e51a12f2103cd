//===- PreambleWorker.cpp - Preambles built in the background -------------===//
//
// The queue of units whose preambles PreambleWorker.h's thread builds, and
// the thread itself, which yields to the watcher whenever it wants the
// process.
//
//===----------------------------------------------------------------------===//

#include "PreambleWorker.h"

#include "hotast/Support/Elapsed.h"

#include <fcntl.h>
#include <unistd.h>

namespace hotast {

PreambleWorker::PreambleWorker(ReloadRequest R, std::mutex &Busy, std::atomic<bool> &Wanted)
    : R(std::move(R)), Busy(Busy), Wanted(Wanted) {
  if (::pipe2(Done, O_CLOEXEC | O_NONBLOCK) != 0)
    Done[0] = Done[1] = -1;
  Thread = std::thread([this] { work(); });
}

PreambleWorker::~PreambleWorker() {
  {
    std::lock_guard<std::mutex> L(QueueLock);
    Stopping = true;
  }
  More.notify_one();
  Thread.join();
  for (int Fd : Done)
    if (Fd >= 0)
      ::close(Fd);
}

void PreambleWorker::add(std::vector<UnitCommand> Units, bool Announce) {
  {
    std::lock_guard<std::mutex> L(QueueLock);
    for (UnitCommand &U : Units)
      Queue.push_back({std::move(U), false});
    if (Announce && !Queue.empty()) {
      Queue.back().second = true;
      AnnounceCount = Units.size();
      AnnounceStart = Clock::now();
    }
  }
  More.notify_one();
}

std::pair<size_t, double> PreambleWorker::takeAnnounced() {
  char Buf[16];
  while (::read(Done[0], Buf, sizeof Buf) > 0) {
  }
  std::lock_guard<std::mutex> L(QueueLock);
  return {AnnounceCount, AnnounceMs};
}

void PreambleWorker::work() {
  for (;;) {
    std::pair<UnitCommand, bool> Next;
    {
      std::unique_lock<std::mutex> L(QueueLock);
      More.wait(L, [&] { return Stopping || !Queue.empty(); });
      if (Stopping)
        return;
      Next = std::move(Queue.front());
      Queue.pop_front();
    }
    // The watcher first: a save waits for at most the unit being built.
    while (Wanted && !Stopping)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    {
      std::lock_guard<std::mutex> L(Busy);
      precompilePreambles(R, Next.first);
    }
    if (Next.second) {
      {
        std::lock_guard<std::mutex> L(QueueLock);
        AnnounceMs = msSince(AnnounceStart);
      }
      if (Done[1] >= 0)
        (void)!::write(Done[1], "r", 1);
    }
  }
}

} // namespace hotast
