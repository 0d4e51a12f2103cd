//===- DirectMode.h - Serving byte-identical compiles -----------*- C++ -*-===//
//
// The keys that name a compile, and direct mode: when the compiler, the hashed
// arguments, the source and every file the last compile read are byte for
// byte what they were, the stored object, depfile and stderr are replayed
// without parsing. This runs in the front program (no LLVM shared libraries).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_WRAPPER_DIRECTMODE_H
#define HOTAST_WRAPPER_DIRECTMODE_H

#include "hotast/Args/CompileCommand.h"
#include "hotast/Cache/ObjectCache.h"
#include "hotast/Store/Store.h"
#include "hotast/Support/FileStamp.h"
#include "hotast/Support/AtomicFile.h"
#include "hotast/Support/Depfile.h"
#include "hotast/Support/PortablePaths.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <optional>

namespace hotast {

/// Bumped when what the keys cover changes.
constexpr uint64_t KeyFormatVersion = 3;

/// The compiler as a file: resolved path, size and modification time (a new
/// compiler binary is a new compiler). Sets ResolvedPath.
llvm::Expected<Hash128> compilerIdentity(llvm::StringRef Compiler, std::string &ResolvedPath);

/// Everything outside the sources that decides the object and that the
/// command line shows: compiler identity, the source path as given (it is in
/// the object's symbol table), the hashed arguments, the CPU that -march=native
/// and the like resolve to, and the environment variables compilers read
/// (CPATH and friends, CCC_OVERRIDE_OPTIONS, SOURCE_DATE_EPOCH, the locale).
/// What the options allow (OptionPolicy: the working directory when locations
/// reach the object, files named by options) is added past a direct miss.
/// Paths under the base directory count in their portable form (Paths).
Hash128 commandSalt(const CompileCommand &Cmd, const Hash128 &CompilerId,
                    const PortablePaths &Paths);

/// The direct-mode key: the salt, the depfile request and the source bytes.
Hash128 directKey(const Hash128 &Salt, const CompileCommand &Cmd, const Hash128 &SourceContent);

/// The direct key with SourceCode, the code lines of the source
/// (include/hotast/Compile/CodeLines.h), in place of its bytes.
Hash128 codeKey(const Hash128 &Salt, const CompileCommand &Cmd, const Hash128 &SourceCode);

/// Names one translation unit across compiles (for "why did this rebuild?").
/// Cwd: the working directory when the caller has it (empty: asked).
Hash128 unitKey(const CompileCommand &Cmd, llvm::StringRef ResolvedCompiler,
                llvm::StringRef Cwd = "");

/// The keys of one compile, in the current working directory, as the
/// wrapper derives them (both of its programs, and `hotast plan`, call this),
/// with the base directory of the configuration (Config::BaseDir).
struct CompileKeys {
  std::string Compiler; // resolved path
  std::string Cwd;
  PortablePaths Paths; // the base directory's, from Cwd
  Hash128 Salt, Direct, Unit;
};
/// What compileKeys asks the system, kept by a caller that derives the
/// keys of many compiles (`hotast plan`, for every compile of a build).
struct KeyContext {
  /// The working directory as the system names it (WorkingDirs::path()),
  /// else empty: asked.
  std::string Cwd;
  /// Each compiler's resolved path and identity, by its absolute path (or
  /// its name, searched in PATH).
  llvm::StringMap<std::pair<std::string, Hash128>> Compilers;
};
/// KnownSource, when given, may say the source's content hash for the unit
/// key (from a stamp that matches the file on disk), so that the source is
/// not read again; otherwise the source is read.
llvm::Expected<CompileKeys>
compileKeys(const CompileCommand &Cmd, llvm::StringRef BaseDir,
            llvm::function_ref<std::optional<Hash128>(const Hash128 &Unit)> KnownSource = nullptr,
            KeyContext *Context = nullptr);


/// Depfile text with its targets replaced by the command's (-MT/-MQ, else
/// the output), so a stored depfile serves any output path.
std::string retargetDepfile(llvm::StringRef Text, const CompileCommand &Cmd);


/// A cache directory's two halves: the store (hotast.db) and the blobs.
struct CacheDir {
  std::unique_ptr<Store> S;
  ObjectCache Objects;
};
llvm::Expected<CacheDir> openCache(llvm::StringRef Dir);

/// The manifest under Key whose files are all as they were (in working
/// directory Cwd) and whose object is still in the cache; nothing is written.
/// Matches says whether a file is as stamped (stampMatches; a caller that
/// asks for many compiles may remember its answers).
struct DirectMatch {
  ManifestEntry Entry;
  CachedResult Result; // the entry's fingerprint's result
};
llvm::Expected<std::optional<DirectMatch>>
findDirect(Store &S, ObjectCache &Objects, const Hash128 &Key, llvm::StringRef Cwd,
           llvm::function_ref<bool(const FileStamp &)> Matches = stampMatches);
/// As findDirect, among Entries.
llvm::Expected<std::optional<DirectMatch>>
findAmong(Store &S, ObjectCache &Objects, const ManifestList &Entries, llvm::StringRef Cwd,
          llvm::function_ref<bool(const FileStamp &)> Matches);
/// As findAmong, Matches told each file's entry.
llvm::Expected<std::optional<DirectMatch>>
findAmong(Store &S, ObjectCache &Objects, const ManifestList &Entries, llvm::StringRef Cwd,
          llvm::function_ref<bool(const ManifestEntry &, const FileStamp &)> Matches);

/// Tries to serve Cmd from a manifest under Key, in working directory Cwd
/// (entries that recorded one match only there). True when the object,
/// depfile and stderr are in place; false on a miss. Errors are internal.
llvm::Expected<bool> serveDirect(Store &S, ObjectCache &Objects, const CompileCommand &Cmd,
                                 const Hash128 &Key, llvm::StringRef Cwd);

class CacheTiers;

/// serveDirect from the remote cache's entries under Key (Tiers has one):
/// an entry whose files here are as they were, bound to no other working
/// directory, whose result and blobs the tiers can give. The entry and its
/// blobs are kept locally. False on a miss.
llvm::Expected<bool> serveDirectRemote(CacheTiers &Tiers, const CompileCommand &Cmd,
                                       const Hash128 &Key, llvm::StringRef Cwd);

} // namespace hotast

#endif
