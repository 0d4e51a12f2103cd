//===- BuiltFrom.cpp - hotast built-from ----------------------------------===//
//
// What a program linked through hotast was made from: its build id, and each
// input file as it was at the link, marked unchanged, changed or missing now.
//
//===----------------------------------------------------------------------===//

#include "FrontCommands.h"

#include "hotast/Store/Store.h"
#include "hotast/Wrapper/Config.h"
#include "hotast/Wrapper/DirectMode.h"
#include "hotast/Wrapper/LinkRecord.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

static int usage(llvm::raw_ostream &OS, int Status) {
  OS << "USAGE: hotast built-from [--json] FILE|BUILD_ID\n\n"
        "What an executable or library linked with hotast as the linker launcher\n"
        "(CMAKE_<LANG>_LINKER_LAUNCHER=hotast) was made from: its build id, and each input\n"
        "file as it was at the link, marked unchanged, changed or missing now.\n"
        "Exit status: 0 found, 1 no record for it, 2 error.\n";
  return Status;
}

static int fail(const llvm::Twine &Message) {
  llvm::WithColor::error(llvm::errs(), "hotast built-from") << Message << '\n';
  return 2;
}

int runBuiltFrom(CommandArgs Args) {
  bool Json = false;
  std::string What;
  for (llvm::StringRef A : Args) {
    if (A == "--json")
      Json = true;
    else if (A == "-h" || A == "--help")
      return usage(llvm::outs(), 0);
    else if (A.starts_with("-") || !What.empty())
      return fail("unexpected argument '" + A + "'"), usage(llvm::errs(), 2);
    else
      What = A.str();
  }
  if (What.empty())
    return fail("name a file or a build id"), usage(llvm::errs(), 2);
  std::string BuildId = What;
  if (llvm::sys::fs::exists(What)) {
    auto Id = readBuildId(What);
    if (!Id)
      return fail(llvm::toString(Id.takeError()));
    BuildId = *Id;
  } else if (What.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return fail("'" + What + "' is neither a file nor a build id");
  }
  Config C = Config::fromEnvironment();
  auto S = Store::open(C.CacheDir);
  if (!S)
    return fail(llvm::toString(S.takeError()));
  auto L = (*S)->link(BuildId);
  if (!L)
    return fail(llvm::toString(L.takeError()));
  if (!*L) {
    llvm::errs() << "hotast built-from: no link recorded with build id " << BuildId << '\n';
    return 1;
  }
  auto StateOf = [](const FileStamp &F) {
    if (!llvm::sys::fs::exists(F.Path))
      return "missing";
    return stampMatches(F) ? "unchanged" : "changed";
  };
  if (Json) {
    llvm::json::Array Inputs;
    for (const FileStamp &F : (*L)->Inputs)
      Inputs.push_back(llvm::json::Object{
          {"path", F.Path}, {"content", F.Content.toHex()}, {"state", StateOf(F)}});
    llvm::json::Object Doc{{"version", 1},          {"build_id", (*L)->BuildId},
                           {"output", (*L)->Output}, {"cwd", (*L)->WorkingDir},
                           {"linked_at", (*L)->LinkedAt}, {"inputs", std::move(Inputs)}};
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(Doc))) << '\n';
    return 0;
  }
  llvm::outs() << "build id " << (*L)->BuildId << "\noutput   " << (*L)->Output << " (in "
               << (*L)->WorkingDir << ")\n";
  for (const FileStamp &F : (*L)->Inputs)
    llvm::outs() << llvm::left_justify(StateOf(F), 10) << F.Path << '\n';
  return 0;
}

} // namespace hotast
