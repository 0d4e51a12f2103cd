//===- DeclRecordIO.h - Declaration records as text -------------*- C++ -*-===//
//
// Declaration records kept beside an object built with the reload profile
// (see docs/reload.md): one record per line, tab-separated fields with
// backslash escapes, so that a hot-reload delta can compare what a running
// program was built from with the sources now. The first line names the
// format and HashFormatVersion; text of another version does not parse.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_ANALYSIS_DECLRECORDIO_H
#define HOTAST_ANALYSIS_DECLRECORDIO_H

#include "hotast/Analysis/DeclRecord.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

namespace hotast {

std::string serializeRecords(llvm::ArrayRef<DeclRecord> Records);

/// The records serializeRecords wrote (Refs are not kept).
llvm::Expected<std::vector<DeclRecord>> parseRecords(llvm::StringRef Text);

} // namespace hotast

#endif
