//===- Config.cpp - The wrapper's configuration ---------------------------===//

#include "hotast/Wrapper/Config.h"

#include "hotast/Support/Size.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <map>

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
      {"log_file", "HOTAST_LOGFILE"},         {"log_format", "HOTAST_LOG_FORMAT"}};
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
  C.LogJson = setting("HOTAST_LOG_FORMAT") == "json";
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

} // namespace hotast
