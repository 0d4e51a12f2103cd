//===- Redis.cpp - A Redis connection with a time budget ------------------===//

#include "hotast/Remote/Redis.h"

#include "llvm/ADT/StringExtras.h"

#include <hiredis/hiredis.h>

namespace hotast {

static llvm::Error fail(const llvm::Twine &Message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
}

llvm::Expected<RedisURL> RedisURL::parse(llvm::StringRef URL) {
  RedisURL R;
  llvm::StringRef Rest = URL;
  if (!Rest.consume_front("redis://"))
    return fail("'" + URL + "' is not a redis:// URL");
  if (size_t At = Rest.rfind('@'); At != llvm::StringRef::npos) {
    auto [User, Password] = Rest.take_front(At).split(':');
    if (Rest.take_front(At).contains(':')) {
      R.User = User.str();
      R.Password = Password.str();
    } else {
      R.Password = User.str(); // redis://password@host, as redis-cli takes it
    }
    Rest = Rest.drop_front(At + 1);
  }
  auto [HostPort, Path] = Rest.split('/');
  auto [Host, Port] = HostPort.rsplit(':');
  if (!HostPort.contains(':'))
    Port = "";
  R.Host = Host.str();
  if (R.Host.empty())
    return fail("'" + R.shown() + "' names no host");
  if (!Port.empty() && (Port.getAsInteger(10, R.Port) || R.Port == 0 || R.Port > 65535))
    return fail("'" + R.shown() + "': bad port '" + Port + "'");
  if (!Path.empty() && Path.getAsInteger(10, R.Database))
    return fail("'" + R.shown() + "': bad database number '" + Path + "'");
  return R;
}

std::string RedisURL::shown() const {
  std::string S = "redis://";
  if (!User.empty() || !Password.empty())
    S += User + (Password.empty() ? "" : ":***") + "@";
  return S + Host + ":" + std::to_string(Port) + "/" + std::to_string(Database);
}

struct RedisClient::Impl {
  redisContext *C = nullptr;
  Deadline Until;
  ~Impl() {
    if (C)
      redisFree(C);
  }

  /// What is left of the budget; an error once it is spent.
  llvm::Expected<timeval> remaining() const {
    auto Left = std::chrono::duration_cast<std::chrono::microseconds>(
        Until - std::chrono::steady_clock::now());
    if (Left.count() <= 0)
      return fail("the remote cache's time budget is spent");
    return timeval{time_t(Left.count() / 1000000), suseconds_t(Left.count() % 1000000)};
  }

  /// Queues one command given as its arguments; it is sent with the
  /// others queued when the first reply is asked for.
  llvm::Error send(llvm::ArrayRef<llvm::StringRef> Args) {
    std::vector<const char *> Argv;
    std::vector<size_t> Lengths;
    for (llvm::StringRef A : Args) {
      Argv.push_back(A.data());
      Lengths.push_back(A.size());
    }
    if (redisAppendCommandArgv(C, int(Argv.size()), Argv.data(), Lengths.data()) != REDIS_OK)
      return fail(llvm::Twine("redis: ") + (C->errstr[0] ? C->errstr : "out of memory"));
    return llvm::Error::success();
  }

  /// The next reply, within what is left of the budget; an error for a
  /// connection error, a timeout, or the server's error reply.
  llvm::Expected<redisReply *> receive() {
    auto Left = remaining();
    if (!Left)
      return Left.takeError();
    if (redisSetTimeout(C, *Left) != REDIS_OK)
      return fail("cannot set the remote cache's timeout");
    void *Got = nullptr;
    if (redisGetReply(C, &Got) != REDIS_OK || !Got)
      return fail(llvm::Twine("redis: ") + (C->errstr[0] ? C->errstr : "no reply"));
    auto *Reply = static_cast<redisReply *>(Got);
    if (Reply->type == REDIS_REPLY_ERROR) {
      std::string Message(Reply->str, Reply->len);
      freeReplyObject(Reply);
      return fail("redis: " + Message);
    }
    return Reply;
  }

  /// Runs one command given as its arguments: its reply, or an error.
  llvm::Expected<redisReply *> run(std::initializer_list<llvm::StringRef> Args) {
    if (llvm::Error E = send(llvm::ArrayRef<llvm::StringRef>(Args.begin(), Args.end())))
      return std::move(E);
    return receive();
  }

  llvm::Error runChecked(std::initializer_list<llvm::StringRef> Args) {
    auto Reply = run(Args);
    if (!Reply)
      return Reply.takeError();
    freeReplyObject(*Reply);
    return llvm::Error::success();
  }
};

RedisClient::RedisClient(std::unique_ptr<Impl> I) : P(std::move(I)) {}
RedisClient::~RedisClient() = default;

void RedisClient::setDeadline(Deadline Until) { P->Until = Until; }

llvm::Expected<std::unique_ptr<RedisClient>> RedisClient::connect(const RedisURL &URL,
                                                                  Deadline Until) {
  auto I = std::make_unique<Impl>();
  I->Until = Until;
  auto Left = I->remaining();
  if (!Left)
    return Left.takeError();
  I->C = redisConnectWithTimeout(URL.Host.c_str(), int(URL.Port), *Left);
  if (!I->C)
    return fail("cannot reach " + URL.shown() + ": out of memory");
  if (I->C->err)
    return fail("cannot reach " + URL.shown() + ": " + I->C->errstr);
  if (!URL.Password.empty()) {
    llvm::Error E = URL.User.empty() ? I->runChecked({"AUTH", URL.Password})
                                     : I->runChecked({"AUTH", URL.User, URL.Password});
    if (E)
      return fail(URL.shown() + ": " + llvm::toString(std::move(E)));
  }
  if (URL.Database != 0)
    if (llvm::Error E = I->runChecked({"SELECT", std::to_string(URL.Database)}))
      return fail(URL.shown() + ": " + llvm::toString(std::move(E)));
  return std::unique_ptr<RedisClient>(new RedisClient(std::move(I)));
}

/// A GET's reply as its value (none when there is none), freed.
static std::optional<std::string> valueOf(redisReply *Reply) {
  std::optional<std::string> Value;
  if (Reply->type == REDIS_REPLY_STRING)
    Value = std::string(Reply->str, Reply->len);
  freeReplyObject(Reply);
  return Value;
}

llvm::Expected<std::optional<std::string>> RedisClient::get(llvm::StringRef Key) {
  auto Reply = P->run({"GET", Key});
  if (!Reply)
    return Reply.takeError();
  return valueOf(*Reply);
}

llvm::Expected<std::vector<std::optional<std::string>>>
RedisClient::getAll(llvm::ArrayRef<std::string> Keys) {
  for (const std::string &Key : Keys)
    if (llvm::Error E = P->send({"GET", Key}))
      return std::move(E);
  std::vector<std::optional<std::string>> Values;
  for (size_t I = 0; I != Keys.size(); ++I) {
    auto Reply = P->receive();
    if (!Reply)
      return Reply.takeError(); // the connection is dropped: no reply is left behind
    Values.push_back(valueOf(*Reply));
  }
  return Values;
}

llvm::Error RedisClient::set(llvm::StringRef Key, llvm::StringRef Value) {
  return P->runChecked({"SET", Key, Value});
}

llvm::Error RedisClient::append(llvm::StringRef Key, llvm::StringRef Value, unsigned Keep) {
  if (llvm::Error E = P->runChecked({"RPUSH", Key, Value}))
    return E;
  return P->runChecked({"LTRIM", Key, "-" + std::to_string(Keep), "-1"});
}

llvm::Expected<std::vector<std::string>> RedisClient::list(llvm::StringRef Key, int Start,
                                                           int Stop) {
  auto Reply = P->run({"LRANGE", Key, std::to_string(Start), std::to_string(Stop)});
  if (!Reply)
    return Reply.takeError();
  std::vector<std::string> Out;
  if ((*Reply)->type == REDIS_REPLY_ARRAY)
    for (size_t I = 0; I != (*Reply)->elements; ++I)
      if (const redisReply *E = (*Reply)->element[I]; E->type == REDIS_REPLY_STRING)
        Out.emplace_back(E->str, E->len);
  freeReplyObject(*Reply);
  return Out;
}

} // namespace hotast
