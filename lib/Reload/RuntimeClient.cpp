//===- RuntimeClient.cpp - Talking to libhotast-rt in a process -----------===//

#include "hotast/Reload/RuntimeClient.h"

#include "llvm/ADT/ScopeExit.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace hotast {
namespace {

llvm::Error fail(llvm::StringRef Socket, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Socket + ": " + Why);
}

} // namespace

std::string runtimeDir() {
  const char *Xdg = std::getenv("XDG_RUNTIME_DIR");
  std::string Dir = Xdg && *Xdg ? Xdg : "/tmp";
  return Dir + "/hotast-" + std::to_string(::geteuid());
}

std::string socketPathFor(long Pid) { return runtimeDir() + "/" + std::to_string(Pid) + ".sock"; }

llvm::Expected<llvm::json::Object> sendRequest(llvm::StringRef Socket, llvm::StringRef Request,
                                               int TimeoutMs) {
  sockaddr_un Addr{};
  Addr.sun_family = AF_UNIX;
  if (Socket.size() >= sizeof(Addr.sun_path))
    return fail(Socket, "socket path too long");
  std::memcpy(Addr.sun_path, Socket.data(), Socket.size());
  int Fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (Fd < 0)
    return fail(Socket, std::strerror(errno));
  auto Close = llvm::make_scope_exit([&] { ::close(Fd); });
  if (::connect(Fd, reinterpret_cast<sockaddr *>(&Addr), sizeof Addr) != 0)
    return fail(Socket, llvm::Twine("cannot connect (") + std::strerror(errno) +
                            "): is the process running, with libhotast-rt?");
  for (size_t Done = 0; Done < Request.size();) {
    ssize_t N = ::send(Fd, Request.data() + Done, Request.size() - Done, MSG_NOSIGNAL);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return fail(Socket, llvm::Twine("cannot send: ") + std::strerror(errno));
    Done += size_t(N);
  }
  ::shutdown(Fd, SHUT_WR);
  std::string Reply;
  char Buf[4096];
  for (;;) {
    pollfd P{Fd, POLLIN, 0};
    int R = ::poll(&P, 1, TimeoutMs);
    if (R < 0 && errno == EINTR)
      continue;
    if (R == 0)
      return fail(Socket, "no reply within " + llvm::Twine(TimeoutMs) + " ms");
    ssize_t N = ::read(Fd, Buf, sizeof Buf);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0)
      return fail(Socket, llvm::Twine("cannot read: ") + std::strerror(errno));
    if (N == 0)
      break;
    Reply.append(Buf, size_t(N));
  }
  llvm::StringRef Line = llvm::StringRef(Reply).trim();
  if (Line.empty())
    return fail(Socket, "the process closed the connection without a reply (did it exit?)");
  auto Parsed = llvm::json::parse(Line);
  if (!Parsed)
    return fail(Socket, "reply is not JSON: " + llvm::toString(Parsed.takeError()));
  if (!Parsed->getAsObject())
    return fail(Socket, "reply is not a JSON object");
  return std::move(*Parsed->getAsObject());
}

llvm::Expected<RuntimeStatus> queryStatus(llvm::StringRef Socket) {
  auto Reply = sendRequest(Socket, "status\n");
  if (!Reply)
    return Reply.takeError();
  RuntimeStatus S;
  auto Id = Reply->getString("build_id");
  auto Base = Reply->getString("base");
  auto Pid = Reply->getInteger("pid");
  const llvm::json::Array *Patches = Reply->getArray("patches");
  if (Reply->getBoolean("ok") != true || !Id || !Base || !Pid || !Patches ||
      Base->drop_front(2).getAsInteger(16, S.Base))
    return fail(Socket, "unexpected status reply");
  S.BuildId = Id->str();
  S.Pid = long(*Pid);
  for (const llvm::json::Value &P : *Patches)
    if (auto Str = P.getAsString())
      S.Patches.push_back(Str->str());
  return S;
}

bool runtimeAnswers(long Pid) {
  auto S = queryStatus(socketPathFor(Pid));
  if (!S) {
    llvm::consumeError(S.takeError());
    return false;
  }
  return S->Pid == Pid;
}

} // namespace hotast
