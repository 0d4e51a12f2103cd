//===- DebugFiles.h - Results keyed by the files debug info names -*- C++ -*-===//
//
// With DWARF 5 debug info in a native object, the line tables may hold the
// MD5 of each file they name, so every file's bytes are in the fingerprint
// (LocationUse::LineFiles). Which files an object really names, and whether
// it holds any MD5 at all, only code generation knows: LLVM writes MD5s only
// when every file named has one, and clang computes none for some of
// libstdc++'s headers, so most C++ objects hold none.
//
// So a compile's result is kept under a second key as well: the fingerprint
// without file bytes (TUFingerprint::WithoutFileBytes) with the names and
// bytes of exactly the files whose MD5 its object holds (none, often). The
// names are kept under the fingerprint without file bytes (the last
// compile's); a later compile with that fingerprint hashes those files as
// it read them and finds the result when they are the same.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_WRAPPER_DEBUGFILES_H
#define HOTAST_LIB_WRAPPER_DEBUGFILES_H

#include "hotast/Analysis/Fingerprint.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Store/Store.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <optional>

namespace hotast {
namespace semantic {

struct Job;

/// The hash of the bytes of the file Name as FP's unit read it
/// (TUFingerprint::FileContents), if it read one of that name.
std::optional<Hash128> contentRead(const TUFingerprint &FP, llvm::StringRef Name);

/// The key of a result for FP's declarations whose object's debug info
/// holds the MD5s of Names (sorted), with those files' bytes as FP's unit
/// read them; none when it read no file of one of these names.
std::optional<Hash128> debugFilesKey(const TUFingerprint &FP, llvm::ArrayRef<std::string> Names);

/// The names the last object for FP's declarations held the MD5s of, kept
/// under FP's fingerprint without file bytes: Result looks a result up (the
/// local cache, or the remote one too), Blob reads a blob. None when FP has
/// no WithoutFileBytes or nothing is known.
std::optional<std::vector<std::string>>
lastDebugFiles(const TUFingerprint &FP,
               llvm::function_ref<std::optional<CachedResult>(const Hash128 &)> Result,
               llvm::function_ref<std::optional<std::string>(const Hash128 &)> Blob);

/// Why a compile missed when its declarations did not change: the files of
/// Names whose bytes differ between Before (the last snapshot's stamps) and
/// Now (each file's content hash as the compile read it), or empty when
/// none did.
std::string debugFilesReason(llvm::ArrayRef<std::string> Names,
                             const std::vector<FileStamp> &Before,
                             llvm::function_ref<std::optional<Hash128>(llvm::StringRef)> Now);

/// The key under which an object for FP's declarations and its files'
/// bytes may be: debugFilesKey of lastDebugFiles, through the job's caches.
std::optional<Hash128> findDebugFilesKey(Job &J, const TUFingerprint &FP);

/// After a compile (Out.ChecksummedFiles): R, whose Object is stored, under
/// its debug-files key too, and the names under the fingerprint.
void keepDebugFiles(Job &J, const CompileOutcome &Out, const CachedResult &R);

} // namespace semantic
} // namespace hotast

#endif
