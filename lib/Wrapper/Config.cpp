//===- Config.cpp - The wrapper's configuration and decision log ----------===//

#include "hotast/Wrapper/Config.h"

#include "hotast/Cache/ObjectCache.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <map>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace hotast {

static std::string env(const char *Name) {
  if (std::optional<std::string> V = llvm::sys::Process::GetEnv(Name))
    return *V;
  return "";
}

static bool isTrue(llvm::StringRef V) { return !V.empty() && V != "0" && V != "false"; }

/// The settings of CacheDir/hotast.conf (`name = value`, `#` comments), by
/// the name of the environment variable that overrides each.
static std::map<std::string, std::string> fileSettings(llvm::StringRef CacheDir) {
  static const std::pair<const char *, const char *> Names[] = {
      {"max_size", "HOTAST_MAXSIZE"},          {"base_dir", "HOTAST_BASEDIR"},
      {"remote", "HOTAST_REMOTE"},             {"remote_only", "HOTAST_REMOTE_ONLY"},
      {"remote_readonly", "HOTAST_REMOTE_READONLY"}, {"remote_key", "HOTAST_REMOTE_KEY"},
      {"remote_timeout", "HOTAST_REMOTE_TIMEOUT"},   {"remote_retry", "HOTAST_REMOTE_RETRY"},
      {"log_file", "HOTAST_LOGFILE"}};
  std::map<std::string, std::string> Out;
  auto Buf = llvm::MemoryBuffer::getFile(CacheDir + "/hotast.conf", /*IsText=*/true);
  if (!Buf)
    return Out;
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  (*Buf)->getBuffer().split(Lines, '\n');
  for (llvm::StringRef Line : Lines) {
    Line = Line.split('#').first;
    auto [Name, Value] = Line.split('=');
    for (const auto &[File, Env] : Names)
      if (Name.trim() == File)
        Out[Env] = Value.trim().str();
  }
  return Out;
}

Config Config::fromEnvironment() {
  Config C;
  C.CacheDir = env("HOTAST_DIR");
  if (C.CacheDir.empty()) {
    std::string Base = env("XDG_CACHE_HOME");
    if (Base.empty())
      Base = env("HOME") + "/.cache";
    C.CacheDir = Base + "/hotast";
  }
  std::string Disable = env("HOTAST_DISABLE");
  C.Disabled = !Disable.empty() && Disable != "0";
  std::map<std::string, std::string> File = fileSettings(C.CacheDir);
  auto setting = [&](const char *Name) {
    if (std::optional<std::string> V = llvm::sys::Process::GetEnv(Name))
      return *V;
    auto It = File.find(Name);
    return It == File.end() ? std::string() : It->second;
  };
  C.LogFile = setting("HOTAST_LOGFILE");
  if (std::string Max = setting("HOTAST_MAXSIZE"); !Max.empty())
    if (uint64_t Bytes = parseSize(Max))
      C.MaxSize = Bytes;
  C.BaseDir = setting("HOTAST_BASEDIR");
  C.Remote.URL = setting("HOTAST_REMOTE");
  C.Remote.Only = !C.Remote.URL.empty() && isTrue(setting("HOTAST_REMOTE_ONLY"));
  C.Remote.ReadOnly = isTrue(setting("HOTAST_REMOTE_READONLY"));
  C.Remote.Key = setting("HOTAST_REMOTE_KEY");
  unsigned N = 0;
  if (!llvm::StringRef(setting("HOTAST_REMOTE_TIMEOUT")).getAsInteger(10, N) && N)
    C.Remote.TimeoutMs = N;
  if (!llvm::StringRef(setting("HOTAST_REMOTE_RETRY")).getAsInteger(10, N))
    C.Remote.RetrySeconds = N;
  if (!llvm::StringRef(env("HOTAST_REMOTE_SPENT_MS")).getAsInteger(10, N))
    C.Remote.SpentMs = N;
  return C;
}

void logLine(const Config &C, const llvm::Twine &Line) {
  if (C.LogFile.empty())
    return;
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  std::time_t Now = std::time(nullptr);
  char Stamp[32];
  std::strftime(Stamp, sizeof(Stamp), "%Y-%m-%dT%H:%M:%S", std::localtime(&Now));
  OS << Stamp << " [" << ::getpid() << "] " << Line << '\n';
  int FD = ::open(C.LogFile.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (FD < 0)
    return;
  ssize_t Ignored = ::write(FD, Text.data(), Text.size());
  (void)Ignored;
  ::close(FD);
}

} // namespace hotast
