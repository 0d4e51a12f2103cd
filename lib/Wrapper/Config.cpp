//===- Config.cpp - The wrapper's configuration and decision log ----------===//

#include "hotast/Wrapper/Config.h"

#include "hotast/Cache/ObjectCache.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace hotast {

static std::string env(const char *Name) {
  if (std::optional<std::string> V = llvm::sys::Process::GetEnv(Name))
    return *V;
  return "";
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
  C.LogFile = env("HOTAST_LOGFILE");
  if (std::string Max = env("HOTAST_MAXSIZE"); !Max.empty())
    if (uint64_t Bytes = parseSize(Max))
      C.MaxSize = Bytes;
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
