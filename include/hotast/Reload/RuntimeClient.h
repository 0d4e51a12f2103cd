//===- RuntimeClient.h - Talking to libhotast-rt in a process ---*- C++ -*-===//
//
// The client side of the protocol include/hotast/rt.h declares: one request
// per connection on the process's Unix socket, one JSON line in reply.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_RELOAD_RUNTIMECLIENT_H
#define HOTAST_RELOAD_RUNTIMECLIENT_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <vector>

namespace hotast {

/// The runtime's private directory, ${XDG_RUNTIME_DIR:-/tmp}/hotast-<euid>.
std::string runtimeDir();

/// The socket of process Pid.
std::string socketPathFor(long Pid);

/// Sends Request, returns the reply object (whatever its "ok"). Errors:
/// no such socket, no reply within TimeoutMs, a reply that is not JSON.
llvm::Expected<llvm::json::Object> sendRequest(llvm::StringRef Socket, llvm::StringRef Request,
                                               int TimeoutMs = 10000);

struct RuntimeStatus {
  long Pid = 0;
  std::string BuildId;
  uint64_t Base = 0;
  /// Bottom first.
  std::vector<std::string> Patches;
};

llvm::Expected<RuntimeStatus> queryStatus(llvm::StringRef Socket);

/// True when process Pid's runtime answers on its socket. The file alone
/// says nothing: one left by a killed process of the same pid stays.
bool runtimeAnswers(long Pid);

} // namespace hotast

#endif
