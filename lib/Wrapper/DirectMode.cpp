//===- DirectMode.cpp - Serving byte-identical compiles -------------------===//

#include "hotast/Wrapper/DirectMode.h"

#include "hotast/Support/PrefixMaps.h"
#include "hotast/Wrapper/CacheTiers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <cstdlib>
#include <thread>
#include <utility>
#include <unistd.h>

namespace hotast {

llvm::Expected<Hash128> compilerIdentity(llvm::StringRef Compiler, std::string &ResolvedPath) {
  ResolvedPath = Compiler.str();
  if (!Compiler.contains('/')) {
    llvm::ErrorOr<std::string> Found = llvm::sys::findProgramByName(Compiler);
    if (!Found)
      return llvm::createStringError(Found.getError(),
                                     "compiler '" + Compiler + "' not found in PATH");
    ResolvedPath = *Found;
  }
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(ResolvedPath, Status))
    return llvm::createFileError(ResolvedPath, EC);
  Hasher H;
  H.add("compiler").add(ResolvedPath).add(Status.getSize());
  H.add(uint64_t(Status.getLastModificationTime().time_since_epoch().count()));
  return H.final();
}

/// The CPU this machine is, when the command asks the compiler to tune or
/// build for "native": the same arguments mean other code on another CPU,
/// and caches are shared between machines.
static bool mentionsNativeCpu(const CompileCommand &Cmd) {
  return llvm::any_of(Cmd.HashedArgs, [](llvm::StringRef A) {
    return A.ends_with("=native") && (A.starts_with("-march=") || A.starts_with("-mtune=") ||
                                      A.starts_with("-mcpu="));
  });
}

Hash128 commandSalt(const CompileCommand &Cmd, const Hash128 &CompilerId,
                    const PortablePaths &Paths) {
  Hasher H;
  H.add("command").add(KeyFormatVersion).add(CompilerId);
  H.add(uint64_t(Cmd.Family)).add(uint64_t(Cmd.Language));
  H.add(Paths.portable(Cmd.Source));
  H.add(uint64_t(Cmd.HashedArgs.size()));
  for (const std::string &A : Cmd.HashedArgs)
    H.add(Paths.portable(A));
  // What the prefix maps make of paths can depend on the working
  // directory's names as well (PrefixMaps.h).
  H.add(prefixMapKey(Paths, prefixMapOldPrefixes(Cmd.HashedArgs)));
  if (mentionsNativeCpu(Cmd)) {
    H.add(llvm::sys::getHostCPUName());
    llvm::StringMap<bool> Features = llvm::sys::getHostCPUFeatures();
    std::vector<std::string> Sorted;
    for (const auto &Feature : Features)
      Sorted.push_back((Feature.getValue() ? "+" : "-") + Feature.getKey().str());
    llvm::sort(Sorted);
    for (const std::string &F : Sorted)
      H.add(F);
  }
  // The compilers read these: include search paths, extra driver options,
  // whether clang reads its default configuration files, the clock of
  // __DATE__, the language of diagnostics (replayed verbatim).
  for (const char *Name :
       {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH", "OBJC_INCLUDE_PATH",
        "OBJCPLUS_INCLUDE_PATH", "CCC_OVERRIDE_OPTIONS", "CLANG_NO_DEFAULT_CONFIG",
        "COMPILER_PATH", "GCC_EXEC_PREFIX",
        "SOURCE_DATE_EPOCH", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES"}) {
    const char *Value = std::getenv(Name);
    H.addBool(Value != nullptr).add(Value ? Paths.portable(Value) : std::string());
  }
  return H.final();
}

/// The salt, the depfile request and Source (the source's bytes or code
/// lines, as Kind says).
static Hash128 sourceKey(llvm::StringRef Kind, const Hash128 &Salt, const CompileCommand &Cmd,
                         const Hash128 &Source) {
  Hasher H;
  H.add(Kind).add(Salt).add(Source);
  H.addBool(Cmd.Depfile.Enabled).addBool(Cmd.Depfile.SystemHeaders);
  H.addBool(Cmd.Depfile.PhonyTargets);
  return H.final();
}

Hash128 directKey(const Hash128 &Salt, const CompileCommand &Cmd, const Hash128 &SourceContent) {
  return sourceKey("direct", Salt, Cmd, SourceContent);
}

Hash128 codeKey(const Hash128 &Salt, const CompileCommand &Cmd, const Hash128 &SourceCode) {
  return sourceKey("code", Salt, Cmd, SourceCode);
}

Hash128 unitKey(const CompileCommand &Cmd, llvm::StringRef ResolvedCompiler,
                llvm::StringRef Cwd) {
  llvm::SmallString<256> Source(Cmd.Source), Output(Cmd.Output);
  for (llvm::SmallString<256> *P : {&Source, &Output}) {
    if (Cwd.empty())
      llvm::sys::fs::make_absolute(*P);
    else if (!llvm::sys::path::is_absolute(*P))
      llvm::sys::fs::make_absolute(Cwd, *P); // the same path, without asking again
  }
  Hasher H;
  H.add("unit").add(ResolvedCompiler).add(Source.str()).add(Output.str());
  return H.final();
}


std::string retargetDepfile(llvm::StringRef Text, const CompileCommand &Cmd) {
  std::string Targets;
  if (Cmd.Depfile.Targets.empty())
    Targets = quoteForMake(Cmd.Output);
  for (const std::string &T : Cmd.Depfile.Targets)
    Targets += (Targets.empty() ? "" : " ") + T;
  llvm::StringRef Body = depfileBody(Text);
  return Body.size() == Text.size() ? Text.str() : Targets + Body.str();
}

/// compilerIdentity, remembered in Context when there is one.
static llvm::Expected<Hash128> identityOf(llvm::StringRef Compiler, llvm::StringRef Cwd,
                                          KeyContext *Context, std::string &ResolvedPath) {
  if (!Context)
    return compilerIdentity(Compiler, ResolvedPath);
  // A relative path names another compiler in another directory.
  std::string Name = Compiler.str();
  if (Compiler.contains('/') && !llvm::sys::path::is_absolute(Compiler))
    Name = (Cwd + "/" + Compiler).str();
  if (auto It = Context->Compilers.find(Name); It != Context->Compilers.end()) {
    ResolvedPath = It->second.first;
    return It->second.second;
  }
  auto Id = compilerIdentity(Compiler, ResolvedPath);
  if (Id)
    Context->Compilers[Name] = {ResolvedPath, *Id};
  return Id;
}

llvm::Expected<CompileKeys>
compileKeys(const CompileCommand &Cmd, llvm::StringRef BaseDir,
            llvm::function_ref<std::optional<Hash128>(const Hash128 &Unit)> KnownSource,
            KeyContext *Context) {
  CompileKeys K;
  if (Context && !Context->Cwd.empty()) {
    K.Cwd = Context->Cwd;
  } else {
    llvm::SmallString<256> Cwd;
    if (!llvm::sys::fs::current_path(Cwd))
      K.Cwd = std::string(Cwd);
  }
  K.Paths = PortablePaths(BaseDir, K.Cwd);
  auto Id = identityOf(Cmd.Compiler, K.Cwd, Context, K.Compiler);
  if (!Id)
    return Id.takeError();
  K.Unit = unitKey(Cmd, K.Compiler, K.Cwd);
  std::optional<Hash128> Content;
  if (KnownSource)
    Content = KnownSource(K.Unit);
  if (!Content) {
    auto Source = llvm::MemoryBuffer::getFile(Cmd.Source, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!Source)
      return llvm::createFileError(Cmd.Source, Source.getError());
    Content = hashBytes((*Source)->getBuffer());
  }
  K.Salt = commandSalt(Cmd, *Id, K.Paths);
  K.Direct = directKey(K.Salt, Cmd, *Content);
  return K;
}

llvm::Expected<CacheDir> openCache(llvm::StringRef Dir) {
  auto S = Store::open(Dir);
  if (!S)
    return S.takeError();
  auto Objects = ObjectCache::open(Dir);
  if (!Objects)
    return Objects.takeError();
  return CacheDir{std::move(*S), std::move(*Objects)};
}

llvm::Expected<std::optional<DirectMatch>>
findDirect(Store &S, ObjectCache &Objects, const Hash128 &Key, llvm::StringRef Cwd,
           llvm::function_ref<bool(const FileStamp &)> Matches) {
  auto Entries = S.manifests(Key);
  if (!Entries)
    return Entries.takeError();
  return findAmong(S, Objects, *Entries, Cwd, Matches);
}

llvm::Expected<std::optional<DirectMatch>>
findAmong(Store &S, ObjectCache &Objects, const ManifestList &Entries, llvm::StringRef Cwd,
          llvm::function_ref<bool(const FileStamp &)> Matches) {
  return findAmong(S, Objects, Entries, Cwd,
                   [&](const ManifestEntry &, const FileStamp &F) { return Matches(F); });
}

llvm::Expected<std::optional<DirectMatch>>
findAmong(Store &S, ObjectCache &Objects, const ManifestList &Entries, llvm::StringRef Cwd,
          llvm::function_ref<bool(const ManifestEntry &, const FileStamp &)> Matches) {
  for (const auto &Entry : Entries) {
    const ManifestEntry &E = *Entry;
    if (!E.WorkingDir.empty() && E.WorkingDir != Cwd)
      continue;
    if (!llvm::all_of(E.Files, [&](const FileStamp &F) { return Matches(E, F); }))
      continue;
    auto Result = S.result(E.Fingerprint);
    if (!Result)
      return Result.takeError();
    if (!*Result || !Objects.contains((*Result)->Object))
      continue;
    return DirectMatch{E, std::move(**Result)};
  }
  return std::nullopt;
}

llvm::Expected<bool> serveDirect(Store &S, ObjectCache &Objects, const CompileCommand &Cmd,
                                 const Hash128 &Key, llvm::StringRef Cwd) {
  auto Found = findDirect(S, Objects, Key, Cwd);
  if (!Found)
    return Found.takeError();
  if (!*Found)
    return false;
  const ManifestEntry &E = (*Found)->Entry;
  // Everything is read before anything is written: a corrupt blob is a
  // miss, not a half-served hit.
  std::string Stderr;
  if (!E.Stderr.isZero()) {
    auto Text = Objects.get(E.Stderr);
    if (!Text) {
      llvm::consumeError(Text.takeError());
      return false;
    }
    Stderr = std::move(*Text);
  }
  if (llvm::Error Err = Objects.materialize((*Found)->Result.Object, Cmd.Output)) {
    llvm::consumeError(std::move(Err));
    return false;
  }
  if (Cmd.Depfile.Enabled)
    if (llvm::Error Err =
            writeFileAtomically(Cmd.Depfile.Path, retargetDepfile(E.Depfile, Cmd)))
      return std::move(Err);
  llvm::errs() << Stderr;
  return true;
}

/// Writes what a direct hit hands out: the object, the depfile, stderr.
static llvm::Error replay(CacheTiers &Tiers, const CompileCommand &Cmd, const ManifestEntry &E,
                          const Hash128 &Object, llvm::StringRef Stderr) {
  if (llvm::Error Err = Tiers.materialize(Object, Cmd.Output))
    return Err;
  if (Cmd.Depfile.Enabled)
    if (llvm::Error Err = writeFileAtomically(Cmd.Depfile.Path, retargetDepfile(E.Depfile, Cmd)))
      return Err;
  llvm::errs() << Stderr;
  return llvm::Error::success();
}

/// Serves the compile from remote entry Got when the files here are those
/// it names and its blobs can be had: true; false when not.
static llvm::Expected<bool> serveFrom(CacheTiers &Tiers, const CompileCommand &Cmd,
                                      const Hash128 &Key, llvm::StringRef Cwd, RemoteEntry &Got,
                                      bool FetchAhead) {
  ManifestEntry &E = Got.Entry;
  if (!E.WorkingDir.empty() && E.WorkingDir != Cwd)
    return false;
  // The newest entry's blobs (and its result, when the entry does not
  // carry it) come from Redis on another thread, and its object is
  // decompressed there and written beside the output and its place in the
  // local cache, while its files are read here: the two overlap. They are
  // put in place only if the files match. Older entries are fetched after
  // their files matched, so an edit costs one object's transfer at most.
  std::optional<CacheTiers::RemoteResult> Ahead;
  std::thread Fetch;
  CacheTiers::RemoteAsk Ask{Got.Result, E.Stderr, Cmd.Output};
  if (FetchAhead && (Got.Result || !Tiers.haveLocally(E.Fingerprint)))
    Fetch = std::thread([&] { Ahead = Tiers.fetchRemote(E.Fingerprint, Ask); });
  // The output this compile replaces, removed here while the other thread
  // writes its successor beside it: freeing a file takes its pages from the
  // page cache and waits for those still being written out (milliseconds
  // for a large object written moments before), and a compile that follows
  // a miss writes it anew.
  if (llvm::sys::fs::is_regular_file(Cmd.Output))
    llvm::sys::fs::remove(Cmd.Output);
  // Another machine's times say nothing here: the files are stamped as
  // they are now, and those stamps are what the local cache keeps. A file
  // whose size and time are those this machine hashed it with before is
  // not read again (the rule a local direct hit trusts); one changed since
  // this check began never matches (stampFiles).
  std::vector<std::string> Paths;
  for (const FileStamp &F : E.Files)
    Paths.push_back(F.Path);
  llvm::StringMap<FileStamp> Known = Tiers.knownStamps(Paths);
  auto Here = stampFiles(Paths, stampClockNs(), &Known);
  if (Fetch.joinable())
    Fetch.join();
  if (!Here) {
    llvm::consumeError(Here.takeError());
    return false;
  }
  for (size_t I = 0; I != Paths.size(); ++I)
    if (savedWhileRead((*Here)[I]) || (*Here)[I].Content != E.Files[I].Content ||
        (*Here)[I].Size != E.Files[I].Size)
      return false;
  // The object was written to the local cache and the output in one pass
  // (beside their places: now it is put there).
  if (!Ahead && Got.Result)
    Ahead = Tiers.fetchRemote(E.Fingerprint, Ask);
  std::optional<CachedResult> Result =
      Ahead ? Tiers.adopt(std::move(*Ahead)) : Tiers.result(E.Fingerprint);
  if (!Result)
    return false;
  std::optional<std::string> Stderr = Tiers.blob(E.Stderr);
  if (!Stderr)
    return false;
  if (llvm::Error Err = replay(Tiers, Cmd, E, Result->Object, *Stderr))
    return std::move(Err);
  // Kept for this checkout: its paths name this checkout's files.
  E.Files = StampList(std::move(*Here));
  E.WorkingDir = Cwd.str();
  Tiers.keepDirectHit(Key, E, *Result, Known);
  return true;
}

llvm::Expected<bool> serveDirectRemote(CacheTiers &Tiers, const CompileCommand &Cmd,
                                       const Hash128 &Key, llvm::StringRef Cwd) {
  RemoteCache *Remote = Tiers.remote();
  if (!Remote)
    return false;
  // The newest entry alone first: the others are asked for only when there
  // is a list and it does not serve.
  for (auto Which : {RemoteCache::Entries::Newest, RemoteCache::Entries::Older}) {
    auto Entries = Remote->manifests(Key, Which);
    if (!Entries)
      return false;
    for (RemoteEntry &Got : *Entries) {
      auto Served =
          serveFrom(Tiers, Cmd, Key, Cwd, Got, Which == RemoteCache::Entries::Newest);
      if (!Served || *Served)
        return Served;
    }
  }
  return false;
}

} // namespace hotast
