//===- StampBlob.h - A manifest entry's files as one blob -------*- C++ -*-===//
//
// The files a direct-mode entry lists, stored in the entry's own row
// (manifests.files) rather than a row each: `hotast plan` reads the entries
// of a whole build, most of whose files are the same few headers, and a
// row costs SQLite about a microsecond to produce. Internal to the store.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_STORE_STAMPBLOB_H
#define HOTAST_LIB_STORE_STAMPBLOB_H

#include "hotast/Support/FileStamp.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>

#include <string>
#include <vector>

namespace hotast {

/// Stamps as bytes: their count (4 bytes), then each one's path length
/// (4), path, size (8), mtime_ns (8), content (16), code (16), code_fixed
/// (4), and the length (4) and bytes of code_left_out, integers
/// little-endian, a hash's low half first.
std::string encodeStamps(const StampList &Stamps);

/// The stamps decoded so far, by their bytes: the lists decoded through one
/// pool share each stamp they have in common.
using StampPool = llvm::StringMap<std::shared_ptr<const FileStamp>>;

/// What decodeStamps made of a blob.
enum class DecodedStamps {
  Whole,     ///< every stamp, in Out
  Refused,   ///< Keep refused a stamp: Out is untouched
  Malformed, ///< not encodeStamps' bytes
};

/// encodeStamps' bytes back, into Out.
/// With a Pool, stamps it holds already are shared rather than decoded
/// (`hotast plan` reads a whole build's entries); without, the list is one
/// block (a compile reads one key's few entries).
/// With Keep, decoding stops at the first stamp Keep refuses (given as the
/// pool holds it): a list with that stamp is of no use to the caller (an
/// entry that can no longer match), and the stamps after it are only
/// checked to be stamps.
DecodedStamps decodeStamps(llvm::StringRef Blob, StampPool *Pool, StampList &Out,
                           llvm::function_ref<bool(const FileStamp &)> Keep = nullptr);

/// The files blob as the manifests table keeps it: encodeStamps' bytes,
/// or, when zstd (level 1) makes them smaller, a mark no count of stamps
/// is (four 0xff bytes), their size (8 bytes, little-endian) and one zstd
/// frame. A remote hit writes its entry (tens of kilobytes, each stamp's
/// left-out list included) into the local store; fewer pages bring the
/// write-ahead log's emptying, whose fsyncs a hit waits for, less often.
std::string packStamps(const std::string &Encoded);
/// packStamps' Blob as encodeStamps' bytes (in Buffer when they were
/// packed); none when Blob is packed and damaged.
std::optional<llvm::StringRef> unpackStamps(llvm::StringRef Blob, std::string &Buffer);

/// The bytes of the stamps of encodeStamps' Blob after its first (an
/// entry's source, whose bytes are in its direct key): the same for the
/// entries of units that read the same other files in the same states,
/// whatever their sources. Empty when Blob holds one stamp or none, or is
/// not encodeStamps' bytes.
llvm::StringRef laterStamps(llvm::StringRef Blob);

} // namespace hotast

#endif
