//===- Redis.h - A Redis connection with a time budget ----------*- C++ -*-===//
//
// The few commands the remote cache needs (GET, SET, RPUSH, LTRIM, LRANGE),
// over hiredis, each bounded by what is left of one deadline: a slow, paused
// or unreachable server costs a compile at most its budget. Several GETs go
// in one round trip (pipelined). Redis.cpp is the
// only file that includes hiredis.h. Knows nothing of hotast's entries.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_REMOTE_REDIS_H
#define HOTAST_REMOTE_REDIS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hotast {

/// redis://[[user]:password@]host[:port][/db]
struct RedisURL {
  std::string Host;
  unsigned Port = 6379;
  std::string User, Password;
  unsigned Database = 0;

  static llvm::Expected<RedisURL> parse(llvm::StringRef URL);
  /// The URL without its password, for messages.
  std::string shown() const;
};

class RedisClient {
public:
  using Deadline = std::chrono::steady_clock::time_point;

  /// Connects, authenticates and selects the database before Until.
  static llvm::Expected<std::unique_ptr<RedisClient>> connect(const RedisURL &URL,
                                                              Deadline Until);
  ~RedisClient();

  /// The time by which the following commands must have their replies.
  void setDeadline(Deadline Until);

  /// The value at Key; none when there is none.
  llvm::Expected<std::optional<std::string>> get(llvm::StringRef Key);
  /// The values at Keys, in their order, asked all at once: one round trip.
  llvm::Expected<std::vector<std::optional<std::string>>>
  getAll(llvm::ArrayRef<std::string> Keys);
  llvm::Error set(llvm::StringRef Key, llvm::StringRef Value);
  /// Appends Value to the list at Key and keeps its last Keep elements.
  llvm::Error append(llvm::StringRef Key, llvm::StringRef Value, unsigned Keep);
  /// The elements Start to Stop of the list at Key, as LRANGE counts them
  /// (negative from the end; empty when there is none).
  llvm::Expected<std::vector<std::string>> list(llvm::StringRef Key, int Start = 0,
                                                int Stop = -1);

private:
  struct Impl;
  explicit RedisClient(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> P;
};

} // namespace hotast

#endif
