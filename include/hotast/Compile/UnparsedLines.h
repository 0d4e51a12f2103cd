//===- UnparsedLines.h - A first compile's free lines, without a parse -*- C++ -*-===//
//
// A unit's first compile by another compiler (gcc, g++) runs without a
// parse when its depfile names every file it read (docs/wrapper.md, "The
// first compile of a unit"). A comment line added to a header afterwards
// should cost no parse either: the object is the same when the edit moved
// no line that reaches it (CodeLines.h). Without a parse, the raw text of
// the files the compile read decides which lines those are.
//
// Without a location option (OptionPolicy: no debug info, sanitizer,
// coverage or LTO), the line of a token reaches a silent compile's object
// only where __LINE__ expands or a call takes a __builtin_LINE() or
// source_location default argument. So, by allow-list:
//
// - a project file's lines may move below the last line a span of it ends
//   in, where a span holds an identifier that expands in place (outside
//   comments, literals and #define bodies) and reaches a line through any
//   #define of any file the compile read or of its command line
//   (MacroReach); a span is a directive's line, or a macro invocation with
//   its arguments and the outermost parenthesized group around it (lexRaw):
//   a __LINE__ there takes one of its lines. The lines above stay as they
//   are (FileStamp::CodeFixedLines);
// - no line of any file may move when a file the compile read calls a line
//   builtin, or a project file spells one (a declaration may take one as a
//   default argument, and every call takes its line), or a project file may
//   look for a project file with __has_include ("opt.h", or a macro:
//   anything but <name>): the file may be created later and change the
//   answer, and no manifest names a file that was not found;
// - files of the installation (under /usr/) change with it only: no line
//   of theirs may move.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_COMPILE_UNPARSEDLINES_H
#define HOTAST_COMPILE_UNPARSEDLINES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace hotast {

/// One file a compile read.
struct ReadFile {
  llvm::StringRef Path;
  /// Its bytes, followed by a NUL byte (MemoryBuffer's).
  llvm::StringRef Text;
};

/// For each of Files, how many of its first lines must keep their text and
/// place (none when no line of it reaches the object, see above); nothing
/// when every line may matter: the installation's files and, when a line
/// builtin is called or a project file spells one or probes a quoted name,
/// every file. Args: the compile's arguments, whose -D definitions count as
/// the files' do.
std::vector<std::optional<unsigned>> fixedLines(llvm::ArrayRef<ReadFile> Files,
                                                llvm::ArrayRef<std::string> Args);

} // namespace hotast

#endif
