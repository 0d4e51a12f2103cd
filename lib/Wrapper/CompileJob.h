//===- CompileJob.h - One compile past a direct-mode miss ------*- C++ -*-===//
//
// The state of one compile in the back program (hotast-clang) and the steps
// both of its paths share, the linked Clang's (SemanticMode.cpp) and another
// compiler's (OtherCompile.cpp): store the object, record the direct-mode
// entry and the snapshot, count and log the decision.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_COMPILEJOB_H
#define HOTAST_LIB_WRAPPER_COMPILEJOB_H

#include "CommentEdit.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Cache/ObjectCache.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Store/Store.h"
#include "hotast/Support/Elapsed.h"
#include "hotast/Support/PortablePaths.h"
#include "hotast/Wrapper/CacheTiers.h"
#include "hotast/Wrapper/Config.h"
#include "hotast/Wrapper/DecisionLog.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hotast {
namespace semantic {

/// One compile's state: the command, the cache, and the keys.
struct Job {
  const Config &C;
  /// The command as given (what the real compiler runs), and with its
  /// response files expanded (what hotast parses and compiles).
  llvm::ArrayRef<std::string> Argv;
  llvm::ArrayRef<std::string> Expanded;
  CompileCommand Cmd;
  std::unique_ptr<Store> S;
  std::optional<ObjectCache> Objects;
  /// The local cache, then the remote one (CacheTiers.h).
  std::optional<CacheTiers> Tiers;
  std::string Compiler; // resolved path
  std::string Cwd;
  PortablePaths Paths; // the base directory's, from Cwd
  Hash128 Salt, DirectKey, UnitKey;
  /// When the compile began reading files (stampFiles' ReadSinceNs).
  int64_t StartNs = 0;
  /// The files the compile read, stamped once (inputStamps).
  std::optional<std::vector<FileStamp>> Stamps;
  std::string StampError;
  /// The unit's snapshot before this compile, read once (lastSnapshot).
  std::optional<std::optional<UnitSnapshot>> Last;
  /// How long each step took (LogRecord::Times), said with the decision.
  std::vector<std::pair<std::string, double>> Times;
  /// Adds the step that began at Since, and returns now (the next one's
  /// beginning).
  std::chrono::steady_clock::time_point timed(llvm::StringRef Step,
                                              std::chrono::steady_clock::time_point Since) {
    auto Now = std::chrono::steady_clock::now();
    Times.emplace_back(Step.str(), msBetween(Since, Now));
    return Now;
  }

  /// A note on this compile, on the way to its decision.
  void note(const llvm::Twine &Text) const { logNote(C, Cmd.Source, Cmd.Output, Text.str()); }
  /// What this compile ended in, and why; a hit says whether the remote
  /// cache served it.
  void decided(LogEvent Event, std::string Reason = {},
               std::vector<std::string> Notes = {}) const;
  void bump(const char *Counter, int64_t N = 1) {
    if (llvm::Error E = S->bump(Counter, N))
      note("cannot update statistics: " + llvm::toString(std::move(E)));
  }
};

/// The depfile the command wrote (empty when it asks for none).
std::string readDepfile(const Job &J);

/// The files the compile read as they are now, stamped once for the
/// snapshot and the direct-mode entry; null (StampError says why) when one
/// cannot be read.
const std::vector<FileStamp> *inputStamps(Job &J, const CompileOutcome &Out);

/// The contents of the project's files the compile read (not the system's,
/// under /usr), content-addressed beside the objects: `hotast plan
/// --predict` parses a header as it was when the build read it, and a unit
/// first compiled without a parse is parsed as it was
/// (OtherFirstCompile.cpp).
void keepSources(Job &J, const std::vector<FileStamp> &Stamps);

/// Everything the next compile of these bytes or this fingerprint needs:
/// the direct-mode entry, and for a build with the reload profile (the
/// compile then has ReloadRecords) the reload unit of Object, the content
/// hash of the object at the output (none when it was not stored). The
/// entry names the result under ResultKey (default: the fingerprint).
void record(Job &J, const CompileOutcome &Out, std::optional<Hash128> Object,
            std::optional<Hash128> ResultKey = std::nullopt);

/// Adds Entry under the direct key, with Stderr (what the compile printed)
/// stored as a blob; Portable: other checkouts may use it (record()).
void addEntry(Job &J, ManifestEntry Entry, llvm::StringRef Stderr, bool Portable);

/// Stores the object at the output and R (its Object set here) under Key.
/// Returns the object's blob key (its content hash) when it was stored.
std::optional<Hash128> storeObject(Job &J, const Hash128 &Key, CachedResult R);

/// The result of a compile that printed nothing (Silent) or something; its
/// Object is the caller's to set.
CachedResult resultOf(const CompileOutcome &Out, bool Silent);

/// storeObject under the compile's fingerprint.
std::optional<Hash128> storeResult(Job &J, const CompileOutcome &Out, bool Silent);

/// The unit's snapshot as this compile found it (none when there is none
/// or it cannot be read), read once: the parse-first guess and the
/// snapshot's update both need it.
const UnitSnapshot *lastSnapshot(Job &J);

/// The snapshot, and on a miss after an earlier compile, why it missed.
/// The snapshot holds the files the compile read as well (`hotast plan`
/// finds a unit's changed files there).
std::string updateSnapshot(Job &J, const CompileOutcome &Out);

/// The end of a semantic hit on either path: counted, logged (Reason and
/// Notes say what kind of hit), the unit's snapshot updated, the direct-mode
/// entry recorded for Object under ResultKey (record()).
void finishHit(Job &J, const CompileOutcome &Out, const Hash128 &Object,
               std::optional<Hash128> ResultKey = std::nullopt, std::string Reason = {},
               std::vector<std::string> Notes = {});

/// A miss on either path, before its object is stored: counted, the unit's
/// snapshot updated, logged with what changed since the last one (or
/// Instead, when the declarations are the same and something else is why),
/// the options hotast does not know and Notes.
void announceMiss(Job &J, const CompileOutcome &Out, std::string Instead = {},
                  std::vector<std::string> Notes = {});

/// A semantic hit, served from the remote cache or not.
void countHit(Job &J);

/// A compile that ran: a remote miss too when the remote cache was asked.
void countMiss(Job &J);

/// Neither the files read nor the fingerprint cover what such a directive
/// reads (include/hotast/Support/AsmFiles.h).
constexpr const char *AsmReadsFile = "assembly text may read a file (.incbin or .include)";

/// The invocation's options do not allow caching: the real compiler runs.
int notCached(Job &J, llvm::StringRef Why);

/// True when these source bytes were compiled before with this command
/// (entries exist under the direct key): only files they include changed.
bool onlyIncludesChanged(Job &J);

/// When the files an earlier compile of this command read (the source
/// included) have since changed only by free comment lines (CodeLines.h:
/// comments and blank lines, none of whose lines reached that object), and
/// that compile printed nothing: its object, without a parse. Nothing when
/// that is not known. IncludesOnly: entries exist under the direct key.
std::optional<int> serveCommentEdit(Job &J, bool IncludesOnly);

/// Serves what findCommentEdit or findCommentEditAmong found: its object,
/// its depfile, and a direct-mode entry for the files as they are now. How:
/// what the log says of the parse ("not parsed"). Nothing when nothing was
/// found (an error is logged) or the object cannot be put in place.
std::optional<int> serveCommentEdit(Job &J, llvm::Expected<std::optional<CommentEdit>> Found,
                                    llvm::StringRef How);

/// Another compiler: the linked Clang parses for the fingerprint; the real
/// compiler runs on a miss (OtherCompile.cpp).
llvm::Expected<int> compileOther(Job &J);

} // namespace semantic
} // namespace hotast

#endif
