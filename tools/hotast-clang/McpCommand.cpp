//===- McpCommand.cpp - hotast mcp: hot reload for coding agents ----------===//
//
// A Model Context Protocol server on stdio (JSON-RPC 2.0, one message a
// line). Its tools run a program with libhotast-rt, apply an edit to a
// source and patch the program (the result is `hotast reload --json`'s
// document, compile errors included), show the program's recent output,
// and answer `hotast diff` and `hotast plan`. Each result is the CLI's JSON, as text content
// and as structuredContent.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "hotast/Reload/Reload.h"
#include "hotast/Reload/RuntimeClient.h"
#include "hotast/Wrapper/Config.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <deque>
#include <iostream>
#include <mutex>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace hotast {
namespace {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

Object schema(Object Properties, std::vector<std::string> Required) {
  return Object{{"type", "object"},
                {"properties", std::move(Properties)},
                {"required", Array(Required)}};
}

Object prop(llvm::StringRef Type, llvm::StringRef Description) {
  return Object{{"type", Type.str()}, {"description", Description.str()}};
}

/// The program the agent runs, and its recent output.
class Program {
public:
  ~Program() { stop(); }

  llvm::Expected<long> launch(const std::vector<std::string> &Argv, const std::string &Cwd) {
    stop();
    int Pipe[2];
    if (::pipe(Pipe) != 0)
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "pipe failed");
    pid_t Child = ::fork();
    if (Child == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM); // the program ends with the server
      ::dup2(Pipe[1], 1);
      ::dup2(Pipe[1], 2);
      ::close(Pipe[0]);
      ::close(Pipe[1]);
      if (!Cwd.empty() && ::chdir(Cwd.c_str()) != 0)
        ::_exit(127);
      std::vector<char *> Args;
      for (const std::string &A : Argv)
        Args.push_back(const_cast<char *>(A.c_str()));
      Args.push_back(nullptr);
      ::execvp(Args[0], Args.data());
      ::_exit(127);
    }
    ::close(Pipe[1]);
    if (Child < 0)
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "fork failed");
    Pid = Child;
    Exited.reset();
    Reader = std::thread([this, Fd = Pipe[0]] {
      char Buf[4096];
      std::string Partial;
      for (ssize_t N; (N = ::read(Fd, Buf, sizeof Buf)) > 0;) {
        std::lock_guard<std::mutex> L(M);
        Partial.append(Buf, size_t(N));
        for (size_t Nl; (Nl = Partial.find('\n')) != std::string::npos;) {
          Lines.push_back(Partial.substr(0, Nl));
          Partial.erase(0, Nl + 1);
          if (Lines.size() > 1000)
            Lines.pop_front();
        }
      }
      ::close(Fd);
    });
    bool Answers = false;
    for (int I = 0; I < 1000 && !(Answers = runtimeAnswers(Pid)); ++I) {
      if (!running())
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "the program exited at once: " + exitText());
      ::usleep(10000);
    }
    if (!Answers)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "the program runs no hotast runtime (built with hotast "
                                     "reload-flags and linked through hotast?)");
    return long(Pid);
  }

  bool running() {
    if (Pid <= 0 || Exited)
      return false;
    int Status = 0;
    if (::waitpid(Pid, &Status, WNOHANG) == Pid) {
      Exited = Status;
      return false;
    }
    return true;
  }

  std::string exitText() {
    if (!Exited)
      return "running";
    if (WIFSIGNALED(*Exited))
      return "crashed (signal " + std::to_string(WTERMSIG(*Exited)) + ")";
    return "exited with status " + std::to_string(WEXITSTATUS(*Exited));
  }

  Array output(size_t N) {
    std::lock_guard<std::mutex> L(M);
    Array Out;
    for (size_t I = Lines.size() > N ? Lines.size() - N : 0; I < Lines.size(); ++I)
      Out.push_back(Lines[I]);
    return Out;
  }

  void stop() {
    if (running()) {
      ::kill(Pid, SIGTERM);
      ::waitpid(Pid, nullptr, 0);
    }
    if (Reader.joinable())
      Reader.join();
    Pid = 0;
  }

  pid_t Pid = 0;

private:
  std::optional<int> Exited;
  std::thread Reader;
  std::mutex M;
  std::deque<std::string> Lines;
};

class Server {
public:
  Value handle(llvm::StringRef Method, const Object *Params) {
    if (Method == "initialize")
      return Object{{"protocolVersion", "2024-11-05"},
                    {"capabilities", Object{{"tools", Object{}}}},
                    {"serverInfo", Object{{"name", "hotast"}, {"version", "1"}}}};
    if (Method == "ping")
      return Object{};
    if (Method == "tools/list")
      return Object{{"tools", tools()}};
    if (Method == "tools/call") {
      auto Name = Params ? Params->getString("name") : std::nullopt;
      const Object *Args = Params ? Params->getObject("arguments") : nullptr;
      Object Empty;
      return call(Name.value_or(""), Args ? *Args : Empty);
    }
    return nullptr;
  }

private:
  Array tools() {
    return Array{
        Object{{"name", "launch"},
               {"description", "Run a program built with 'hotast reload-flags' (compiled and "
                               "linked through hotast) so that edits can patch it while it runs."},
               {"inputSchema",
                schema(Object{{"command", Object{{"type", "array"},
                                                 {"items", Object{{"type", "string"}}},
                                                 {"description", "program and arguments"}}},
                              {"cwd", prop("string", "working directory")}},
                       {"command"})}},
        Object{{"name", "apply_edit"},
               {"description", "Replace old_text by new_text in file (or write content), then "
                               "patch the running program. Returns what was patched, refused and "
                               "why, or clang's diagnostics; the program keeps running."},
               {"inputSchema",
                schema(Object{{"file", prop("string", "source file")},
                              {"old_text", prop("string", "text to replace (must occur once)")},
                              {"new_text", prop("string", "replacement")},
                              {"content", prop("string", "the whole new file, instead")}},
                       {"file"})}},
        Object{{"name", "reload"},
               {"description", "Patch the running program with the sources as they are now."},
               {"inputSchema", schema(Object{}, {})}},
        Object{{"name", "output"},
               {"description", "The program's recent output lines, and whether it runs."},
               {"inputSchema", schema(Object{{"lines", prop("integer", "how many (default 20)")}},
                                      {})}},
        Object{{"name", "diff"},
               {"description", "Which declarations differ between two versions of a source "
                               "(hotast diff --format=json)."},
               {"inputSchema",
                schema(Object{{"old", prop("string", "old version")},
                              {"new", prop("string", "new version")},
                              {"flags", Object{{"type", "array"},
                                               {"items", Object{{"type", "string"}}}}}},
                       {"old", "new"})}},
        Object{{"name", "plan"},
               {"description", "What the next build of a build directory recompiles and why, "
                               "the targets it relinks and the tests they run (hotast plan "
                               "--json; the build must have been built through hotast)."},
               {"inputSchema",
                schema(Object{{"build_dir", prop("string", "the build directory")},
                              {"predict", prop("boolean", "answer from the records, parsing "
                                                          "each edited header once")},
                              {"since", prop("string", "compare with this git revision")}},
                       {"build_dir"})}},
        Object{{"name", "stop"},
               {"description", "Stop the program."},
               {"inputSchema", schema(Object{}, {})}},
    };
  }

  static Object result(Value Doc, bool IsError) {
    std::string Text;
    llvm::raw_string_ostream(Text) << llvm::formatv("{0:2}", Doc);
    Object R{{"content", Array{Object{{"type", "text"}, {"text", Text}}}}, {"isError", IsError}};
    if (Doc.getAsObject())
      R["structuredContent"] = std::move(Doc);
    return R;
  }

  static Object failure(const llvm::Twine &Message) {
    return result(Object{{"error", Message.str()}}, true);
  }

  Object reloadNow() {
    if (!P.running())
      return failure("the program is not running (" + P.exitText() + "): launch it first");
    ReloadRequest R;
    R.Socket = socketPathFor(P.Pid);
    R.CacheDir = Config::fromEnvironment().CacheDir;
    ReloadReport Report = reload(R);
    Object Doc = std::move(Report.Json);
    if (!Report.Diagnostics.empty())
      Doc["diagnostics"] = Report.Diagnostics;
    prepareNextReload(R, Report);
    return result(std::move(Doc), Report.Exit == ReloadExit::Error);
  }

  Object call(llvm::StringRef Name, const Object &Args) {
    if (Name == "launch") {
      const Array *Cmd = Args.getArray("command");
      std::vector<std::string> Argv;
      if (Cmd)
        for (const Value &V : *Cmd)
          if (auto S = V.getAsString())
            Argv.push_back(S->str());
      if (Argv.empty())
        return failure("launch: 'command' must be a non-empty array of strings");
      auto Pid = P.launch(Argv, Args.getString("cwd").value_or("").str());
      if (!Pid)
        return failure("launch: " + llvm::toString(Pid.takeError()));
      return result(Object{{"pid", int64_t(*Pid)}, {"running", true}}, false);
    }
    if (Name == "apply_edit") {
      auto File = Args.getString("file");
      if (!File)
        return failure("apply_edit: 'file' is required");
      std::string Text;
      if (auto Content = Args.getString("content")) {
        Text = Content->str();
      } else {
        auto Old = Args.getString("old_text"), New = Args.getString("new_text");
        if (!Old || !New)
          return failure("apply_edit: give old_text and new_text, or content");
        auto Buf = llvm::MemoryBuffer::getFile(*File);
        if (!Buf)
          return failure("apply_edit: " + *File + ": " + Buf.getError().message());
        Text = (*Buf)->getBuffer().str();
        size_t At = Text.find(Old->str());
        if (At == std::string::npos || Text.find(Old->str(), At + 1) != std::string::npos)
          return failure("apply_edit: old_text must occur exactly once in " + *File);
        Text.replace(At, Old->size(), New->str());
      }
      std::error_code EC;
      llvm::raw_fd_ostream OS(*File, EC);
      if (EC)
        return failure("apply_edit: " + *File + ": " + EC.message());
      OS << Text;
      OS.close();
      return reloadNow();
    }
    if (Name == "reload")
      return reloadNow();
    if (Name == "output") {
      int64_t N = Args.getInteger("lines").value_or(20);
      return result(Object{{"running", P.running()},
                           {"state", P.exitText()},
                           {"lines", P.output(size_t(std::max<int64_t>(1, N)))}},
                    false);
    }
    if (Name == "diff") {
      auto Old = Args.getString("old"), New = Args.getString("new");
      if (!Old || !New)
        return failure("diff: 'old' and 'new' are required");
      std::vector<std::string> Argv = {"diff", "--format=json", Old->str(), New->str()};
      if (const Array *Flags = Args.getArray("flags")) {
        Argv.push_back("--");
        for (const Value &V : *Flags)
          if (auto S = V.getAsString())
            Argv.push_back(S->str());
      }
      return runSelf(Argv);
    }
    if (Name == "plan") {
      auto Dir = Args.getString("build_dir");
      if (!Dir)
        return failure("plan: 'build_dir' is required");
      std::vector<std::string> Argv = {"plan", "-p", Dir->str(), "--json"};
      if (Args.getBoolean("predict").value_or(false))
        Argv.push_back("--predict");
      if (auto Since = Args.getString("since"))
        Argv.insert(Argv.end(), {"--since", Since->str()});
      return runSelf(Argv);
    }
    if (Name == "stop") {
      P.stop();
      return result(Object{{"running", false}}, false);
    }
    return failure("unknown tool '" + Name + "'");
  }

  /// Runs this program's own subcommand; its JSON output is the result.
  Object runSelf(const std::vector<std::string> &Argv) {
    std::string Self = llvm::sys::fs::getMainExecutable(nullptr, (void *)&runMcp);
    llvm::SmallString<128> Out;
    llvm::sys::fs::createTemporaryFile("hotast-mcp", "json", Out);
    std::vector<llvm::StringRef> Args = {Self};
    for (const std::string &A : Argv)
      Args.push_back(A);
    std::optional<llvm::StringRef> Redirects[] = {std::nullopt, Out.str(), Out.str()};
    int Status = llvm::sys::ExecuteAndWait(Self, Args, std::nullopt, Redirects);
    auto Buf = llvm::MemoryBuffer::getFile(Out);
    llvm::sys::fs::remove(Out);
    std::string Text = Buf ? (*Buf)->getBuffer().str() : "";
    auto Parsed = llvm::json::parse(Text);
    if (Parsed && Parsed->getAsObject())
      return result(std::move(*Parsed), Status > 1);
    if (!Parsed)
      llvm::consumeError(Parsed.takeError());
    return result(Object{{"output", Text}, {"status", Status}}, Status > 1);
  }

  Program P;
};

} // namespace

int runMcp(CommandArgs Args) {
  if (!Args.empty()) {
    llvm::outs() << "USAGE: hotast mcp\n\nA Model Context Protocol server on stdio (JSON-RPC, "
                    "one message a line): tools launch, apply_edit, reload, output, diff, plan, stop.\n";
    return Args[0] == "-h" || Args[0] == "--help" ? 0 : 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  Server S;
  std::string Line;
  while (std::getline(std::cin, Line)) {
    if (llvm::StringRef(Line).trim().empty())
      continue;
    auto Msg = llvm::json::parse(Line);
    Value Reply = nullptr;
    if (!Msg || !Msg->getAsObject()) {
      if (!Msg)
        llvm::consumeError(Msg.takeError());
      Reply = Object{{"jsonrpc", "2.0"},
                     {"id", nullptr},
                     {"error", Object{{"code", -32700}, {"message", "parse error"}}}};
    } else {
      const Object &O = *Msg->getAsObject();
      const Value *Id = O.get("id");
      auto Method = O.getString("method");
      if (!Id) // a notification: no reply
        continue;
      Value R = S.handle(Method.value_or(""), O.getObject("params"));
      if (R.kind() == Value::Null)
        Reply = Object{{"jsonrpc", "2.0"},
                       {"id", *Id},
                       {"error", Object{{"code", -32601}, {"message", "method not found"}}}};
      else
        Reply = Object{{"jsonrpc", "2.0"}, {"id", *Id}, {"result", std::move(R)}};
    }
    llvm::outs() << Reply << "\n";
    llvm::outs().flush();
  }
  return 0;
}

} // namespace hotast
