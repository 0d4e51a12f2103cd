//===- Watch.cpp - From a saved file to a patched program -----------------===//

#include "hotast/Reload/Watch.h"

#include "PreambleWorker.h"

#include "hotast/Reload/RuntimeClient.h"
#include "hotast/Support/Elapsed.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <cmath>
#include <map>
#include <mutex>
#include <optional>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hotast {
namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t Stop = 0;
void onSignal(int) { Stop = 1; }

bool isSourceName(llvm::StringRef Name) {
  llvm::StringRef Ext = llvm::sys::path::extension(Name);
  for (llvm::StringRef E : {".c", ".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx",
                            ".inc", ".ipp", ".tpp", ".def"})
    if (Ext == E)
      return true;
  return false;
}

class Watcher {
public:
  explicit Watcher(const WatchOptions &O) : O(O), Held(Busy) {}

  int run() {
    struct sigaction SA {};
    SA.sa_handler = onSignal;
    sigaction(SIGINT, &SA, nullptr);
    sigaction(SIGTERM, &SA, nullptr);
    Inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (Inotify < 0)
      return fatal(llvm::Twine("inotify: ") + std::strerror(errno));
    if (!O.Command.empty()) {
      if (!start())
        return 2;
    } else {
      Pid = O.Pid;
      if (!runtimeAnswers(Pid))
        return fatal("process " + llvm::Twine(Pid) + " has no hotast runtime socket (" +
                     socketPathFor(Pid) + ")");
      event("attached", llvm::json::Object{{"pid", int64_t(Pid)}}, "attached to process " + std::to_string(Pid));
    }
    if (!refreshWatches())
      return 2;
    // Changes made while the program was being built or started.
    apply({}, "sources");
    event("watching",
          llvm::json::Object{{"pid", int64_t(Pid)},
                             {"files", int64_t(Watched.size())},
                             {"folders", int64_t(Dirs.size())}},
          "watching " + std::to_string(Watched.size()) + " files in " +
              std::to_string(Dirs.size()) + " folders");
    Worker.emplace(request(), Busy, Wanted);
    if (O.WarmUnits) {
      auto Units = programUnits(request());
      if (Units && !Units->empty()) {
        if (Units->size() > O.WarmUnits)
          Units->resize(O.WarmUnits);
        Worker->add(std::move(*Units), /*Announce=*/true);
      } else if (!Units)
        llvm::consumeError(Units.takeError());
    }
    int Status = loop();
    // The worker finishes the unit it builds; it needs Busy for that.
    Held.unlock();
    Worker.reset();
    return Status;
  }

private:
  int fatal(const llvm::Twine &Message) {
    event("error", llvm::json::Object(), Message.str());
    return 2;
  }

  /// One line for people, or one JSON object.
  void event(llvm::StringRef Kind, llvm::json::Object Fields, const std::string &Text) {
    if (O.Json) {
      Fields["event"] = Kind.str();
      Fields["message"] = Text;
      llvm::outs() << llvm::json::Value(std::move(Fields)) << "\n";
    } else {
      std::time_t T = std::time(nullptr);
      char Buf[16];
      std::strftime(Buf, sizeof Buf, "%H:%M:%S", std::localtime(&T));
      llvm::outs() << "[" << Buf << "] " << Text << "\n";
    }
    llvm::outs().flush();
  }

  bool start() {
    pid_t Child = ::fork();
    if (Child < 0) {
      fatal(llvm::Twine("fork: ") + std::strerror(errno));
      return false;
    }
    if (Child == 0) {
      // The program the watcher started ends with it, however it ends.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      std::vector<char *> Argv;
      for (const std::string &A : O.Command)
        Argv.push_back(const_cast<char *>(A.c_str()));
      Argv.push_back(nullptr);
      if (!Snapshot.empty())
        ::setenv("HOTAST_RT_SNAPSHOT", Snapshot.c_str(), 1);
      else
        ::unsetenv("HOTAST_RT_SNAPSHOT");
      ::execvp(Argv[0], Argv.data());
      llvm::errs() << "hotast watch: cannot run " << O.Command[0] << ": " << std::strerror(errno)
                   << "\n";
      ::_exit(127);
    }
    Pid = Child;
    Running = true;
    // The runtime's socket appears when its listener starts.
    auto Deadline = Clock::now() + std::chrono::seconds(10);
    while (!runtimeAnswers(Pid)) {
      if (reap() || Clock::now() > Deadline) {
        fatal("the program did not start its hotast runtime (built with hotast reload-flags?)");
        return false;
      }
      ::usleep(5000);
    }
    event("started", llvm::json::Object{{"pid", int64_t(Pid)}}, "started " + O.Command[0] + " (pid " +
                                                  std::to_string(Pid) + ")");
    return true;
  }

  /// True when the child has exited (reported).
  bool reap() {
    if (!Running || O.Command.empty())
      return false;
    int Status = 0;
    if (::waitpid(Pid, &Status, WNOHANG) != Pid)
      return false;
    Running = false;
    if (WIFSIGNALED(Status))
      event("crashed", llvm::json::Object{{"pid", int64_t(Pid)}, {"signal", WTERMSIG(Status)}},
            "the program crashed (signal " + std::to_string(WTERMSIG(Status)) + ": " +
                strsignal(WTERMSIG(Status)) + ")" +
                (O.Restart ? ": restarting" : ": it starts again at the next save"));
    else
      event("exited", llvm::json::Object{{"pid", int64_t(Pid)}, {"status", WEXITSTATUS(Status)}},
            "the program exited with status " + std::to_string(WEXITSTATUS(Status)) +
                (O.Restart ? ": restarting" : ": it starts again at the next save"));
    return true;
  }

  ReloadRequest request() const {
    ReloadRequest R;
    R.Socket = socketPathFor(Pid);
    R.CacheDir = O.CacheDir;
    return R;
  }

  /// Watches the folders of every file the program's units read.
  bool refreshWatches() {
    auto Files = programFiles(request());
    if (!Files) {
      fatal(llvm::toString(Files.takeError()));
      return false;
    }
    for (const std::string &F : *Files) {
      Watched.insert(F);
      std::string Dir(llvm::sys::path::parent_path(F));
      if (Dirs.count(Dir))
        continue;
      int Wd = inotify_add_watch(Inotify, Dir.c_str(),
                                 IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY |
                                     IN_ATTRIB);
      if (Wd < 0)
        continue; // a folder that went away: its files are missed until it returns
      Dirs[Dir] = Wd;
      ByWd[Wd] = Dir;
    }
    return true;
  }

  /// Reads inotify events and adds to Saved the watched or source files
  /// they name. True when there was one: events on other files (the
  /// program's own output, objects a build writes) do not prolong a burst.
  bool drain(llvm::StringSet<> &Saved) {
    alignas(inotify_event) char Buf[16384];
    bool Relevant = false;
    for (;;) {
      ssize_t N = ::read(Inotify, Buf, sizeof Buf);
      if (N <= 0)
        return Relevant;
      for (char *P = Buf; P < Buf + N;) {
        auto *E = reinterpret_cast<inotify_event *>(P);
        P += sizeof(inotify_event) + E->len;
        if (!E->len || !ByWd.count(E->wd))
          continue;
        llvm::SmallString<256> Path(ByWd[E->wd]);
        llvm::sys::path::append(Path, E->name);
        if (Watched.count(Path) || isSourceName(E->name)) {
          Saved.insert(Path);
          Relevant = true;
        }
      }
    }
  }

  int loop() {
    llvm::StringSet<> Saved;
    std::optional<Clock::time_point> Quiet, First;
    while (!Stop) {
      if (reap() && O.Restart)
        restart();
      if (O.Command.empty() && !llvm::sys::fs::exists("/proc/" + std::to_string(Pid))) {
        event("gone", llvm::json::Object{{"pid", int64_t(Pid)}},
              "process " + std::to_string(Pid) + " is gone");
        return 1;
      }
      int Timeout = 200;
      if (Quiet)
        Timeout = int(std::max<int64_t>(
            0, std::chrono::duration_cast<std::chrono::milliseconds>(*Quiet - Clock::now()).count()));
      pollfd P[2] = {{Inotify, POLLIN, 0}, {Worker ? Worker->readyFd() : -1, POLLIN, 0}};
      Held.unlock();
      int Ready = ::poll(P, 2, Timeout);
      Wanted = true;
      Held.lock();
      Wanted = false;
      if (Ready > 0 && (P[1].revents & POLLIN)) {
        auto [Units, Ms] = Worker->takeAnnounced();
        event("ready", llvm::json::Object{{"units", int64_t(Units)}, {"ms", std::round(Ms)}},
              "preambles ready for " + std::to_string(Units) + (Units == 1 ? " unit" : " units") +
                  " (" + llvm::formatv("{0:f1}", Ms / 1000).str() +
                  " s): their next saves parse only the edited code");
      }
      if (Ready > 0 && (P[0].revents & POLLIN) && drain(Saved)) {
        auto Now = Clock::now();
        if (!First)
          First = Now;
        // A burst ends when it has been quiet for QuietMs (at most one
        // second after its first save).
        Quiet = std::min(Now + std::chrono::milliseconds(O.QuietMs),
                         *First + std::chrono::milliseconds(1000));
      }
      if (Quiet && Clock::now() >= *Quiet) {
        std::vector<std::string> Files;
        for (const auto &F : Saved)
          Files.push_back(F.getKey().str());
        llvm::sort(Files);
        Saved.clear();
        Quiet.reset();
        First.reset();
        if (!Running && !O.Command.empty())
          restart();
        else
          apply(Files);
      }
    }
    if (Running && !O.Command.empty()) {
      ::kill(Pid, SIGTERM);
      ::waitpid(Pid, nullptr, 0);
    }
    if (!LastSnapshot.empty())
      llvm::sys::fs::remove(LastSnapshot);
    return 0;
  }

  /// Starts the program again and brings it to the sources as they are.
  void restart() {
    if (start()) {
      refreshWatches();
      apply({}, "restarted");
    }
  }

  /// Takes the app's snapshot, rebuilds, and starts the new program with
  /// it. A failed rebuild leaves the program running as it was.
  void restartWithState() {
    std::string Note;
    auto Reply = sendRequest(socketPathFor(Pid), "snapshot\n");
    if (!Reply)
      Note = llvm::toString(Reply.takeError());
    else if (Reply->getBoolean("ok") == true && Reply->getString("snapshot"))
      Snapshot = Reply->getString("snapshot")->str();
    else
      Note = Reply->getString("error").value_or("no snapshot").str();
    auto T = Clock::now();
    std::string Error;
    llvm::StringRef Args[] = {"/bin/sh", "-c", O.Rebuild};
    int Status = llvm::sys::ExecuteAndWait("/bin/sh", Args, std::nullopt, {}, 0, 0, &Error);
    double RebuildMs = msSince(T);
    if (Status != 0) {
      if (!Snapshot.empty())
        llvm::sys::fs::remove(Snapshot);
      Snapshot.clear();
      event("error", llvm::json::Object{{"pid", int64_t(Pid)}, {"status", Status}},
            "rebuild failed (status " + std::to_string(Status) + (Error.empty() ? "" : ": " + Error) +
                "): the program runs on unchanged");
      return;
    }
    ::kill(Pid, SIGTERM);
    for (int I = 0; I < 200 && !reapQuietly(); ++I)
      ::usleep(10000);
    if (Running) {
      ::kill(Pid, SIGKILL);
      ::waitpid(Pid, nullptr, 0);
      Running = false;
    }
    bool Kept = !Snapshot.empty();
    // The new program reads the snapshot in its main(), after its runtime
    // listens: the runtime removes it once restored; a snapshot left
    // unread goes at the next restart or when the watcher stops.
    if (!LastSnapshot.empty())
      llvm::sys::fs::remove(LastSnapshot);
    LastSnapshot = Snapshot;
    bool Started = start();
    Snapshot.clear();
    if (!Started)
      return;
    event("restarted",
          llvm::json::Object{{"pid", int64_t(Pid)},
                             {"state", Kept ? "kept" : "lost"},
                             {"rebuild_ms", RebuildMs}},
          Kept ? "rebuilt and restarted with the app's state (rebuild " +
                     llvm::formatv("{0:f0}", RebuildMs).str() + " ms)"
               : "rebuilt and restarted: a plain restart, the app's state is lost (" + Note + ")");
    refreshWatches();
  }

  /// True when the child has exited (not reported: it was stopped on purpose).
  bool reapQuietly() {
    if (::waitpid(Pid, nullptr, WNOHANG) == Pid) {
      Running = false;
      return true;
    }
    return false;
  }

  void apply(const std::vector<std::string> &Files, llvm::StringRef Label = "") {
    ReloadRequest R = request();
    ReloadReport Report = reload(R);
    llvm::json::Object Fields;
    Fields["files"] = llvm::json::Array(Files);
    Fields["pid"] = int64_t(Pid);
    const llvm::json::Object *Delta = Report.Json.getObject("delta");
    if (Delta) {
      if (const llvm::json::Array *Fns = Delta->getArray("functions"))
        Fields["functions"] = llvm::json::Array(*Fns);
      if (const llvm::json::Array *Ref = Delta->getArray("refusals"))
        Fields["refusals"] = llvm::json::Array(*Ref);
      if (const llvm::json::Array *W = Delta->getArray("warnings"))
        Fields["warnings"] = llvm::json::Array(*W);
    }
    if (const llvm::json::Object *T = Report.Json.getObject("times_ms"))
      Fields["times_ms"] = llvm::json::Object(*T);
    if (const llvm::json::Array *P = Report.Json.getArray("preambles"))
      Fields["preambles"] = llvm::json::Array(*P);
    std::string What = Files.empty() ? Label.str()
                                     : llvm::join(llvm::map_range(Files, [](const std::string &F) {
                                                    return llvm::sys::path::filename(F).str();
                                                  }),
                                                  ", ");
    std::string Result = Report.Json.getString("result").value_or("error").str();
    if (!Report.Diagnostics.empty()) {
      Fields["diagnostics"] = Report.Diagnostics;
      if (!O.Json)
        llvm::errs() << Report.Diagnostics;
    }
    std::string Times;
    if (const llvm::json::Object *T = Report.Json.getObject("times_ms")) {
      for (llvm::StringRef Phase : {"delta", "compile", "link", "apply"})
        if (auto Ms = T->getNumber(Phase))
          Times += (Times.empty() ? "" : ", ") + Phase.str() + " " +
                   llvm::formatv("{0:f0}", *Ms).str();
      if (auto Total = T->getNumber("total"))
        Times = llvm::formatv("{0:f0} ms", *Total).str() + (Times.empty() ? "" : " (" + Times + ")");
    }
    if (Result == "applied")
      event("patched", std::move(Fields), What + ": " + Report.Summary + " in " + Times);
    else if (Result == "nothing") {
      if (!Files.empty())
        event("unchanged", std::move(Fields), What + ": no code changed");
    } else if (Result == "refused") {
      bool Restart = !O.Rebuild.empty() && !O.Command.empty();
      event("refused", std::move(Fields),
            What + ": " + Report.Summary +
                (Restart ? "; rebuilding and restarting with the app's state" : ""));
      if (Restart) {
        restartWithState();
        return;
      }
    } else
      event("error", std::move(Fields), What + ": " + Report.Summary);
    if (Worker)
      Worker->add(Report.PreamblesToBuild, /*Announce=*/false);
    else
      prepareNextReload(R, Report);
    refreshWatches();
  }

  const WatchOptions &O;
  /// Held by the watcher except while it waits (PreambleWorker).
  std::mutex Busy;
  std::unique_lock<std::mutex> Held;
  std::atomic<bool> Wanted{false};
  std::optional<PreambleWorker> Worker;
  /// The snapshot the next start hands to the program, and the last one
  /// handed over.
  std::string Snapshot, LastSnapshot;
  int Inotify = -1;
  long Pid = 0;
  bool Running = false;
  llvm::StringSet<> Watched;
  std::map<std::string, int> Dirs;
  std::map<int, std::string> ByWd;
};

} // namespace

int runWatch(const WatchOptions &O) { return Watcher(O).run(); }

} // namespace hotast
