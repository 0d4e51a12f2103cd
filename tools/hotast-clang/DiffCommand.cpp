//===- DiffCommand.cpp - hotast diff --------------------------------------===//
//
// OLD is parsed in NEW's place: same path, same directory for relative
// includes, same compiler flags. So `__FILE__`, include resolution and keys of
// internal-linkage entities agree, and only the edit shows. That also lets OLD
// be a temporary or standard input (`git show HEAD:a.cpp | hotast diff - a.cpp`).
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "hotast/Diff/DeclDiff.h"
#include "hotast/Diff/Render.h"

#include "clang/Driver/Types.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace hotast {

static const char DiffHelp[] = R"(USAGE: hotast diff [options] OLD NEW [-- COMPILER FLAGS...]

Parses OLD and NEW with the same compiler flags (OLD in NEW's place) and
reports which declarations were added, removed or changed, and how:
signature, body, layout or value. Comments, whitespace, formatting, literal
spelling and redundant parentheses are not changes. With -g among the flags,
locations and local names reach the object file and count as changes.

OLD may be '-' for standard input.

OPTIONS:
  --format=text|json  Output format (default: text).
  --include-headers   Report declarations of included files too.
  -p BUILD_DIR        Take NEW's compiler flags from BUILD_DIR/compile_commands.json
                      (a file without an entry takes the flags of the most similar
                      entry, as clangd does); flags after '--' are added to them.
  -h, --help          Show this help.

EXIT STATUS:
  0  no semantic change   1  changes   2  error
)";

namespace {
enum class Language { Unknown, C, CXX, ObjC, ObjCXX };
}

static Language languageOf(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  if (Ext.empty())
    return Language::Unknown;
  clang::driver::types::ID Ty = clang::driver::types::lookupTypeForExtension(Ext.drop_front());
  if (Ty == clang::driver::types::TY_INVALID)
    return Language::Unknown;
  if (clang::driver::types::isObjC(Ty))
    return clang::driver::types::isCXX(Ty) ? Language::ObjCXX : Language::ObjC;
  if (clang::driver::types::isCXX(Ty))
    return Language::CXX;
  if (clang::driver::types::isAcceptedByClang(Ty))
    return Language::C;
  return Language::Unknown;
}

static llvm::StringRef languageName(Language L) {
  switch (L) {
  case Language::C:
    return "C";
  case Language::CXX:
    return "C++";
  case Language::ObjC:
    return "Objective-C";
  case Language::ObjCXX:
    return "Objective-C++";
  case Language::Unknown:
    break;
  }
  return "unknown";
}

static bool hasExplicitLanguage(const std::vector<std::string> &Flags) {
  for (llvm::StringRef F : Flags)
    if (F == "-x" || F.starts_with("-x") || F.starts_with("--language"))
      return true;
  return false;
}

int runDiff(CommandArgs Args) {
  SourceOptions Sources;
  std::vector<llvm::StringRef> Rest;
  if (std::string Err = parseSourceOptions(Args, Sources, Rest); !Err.empty())
    return reportError("diff", Err);

  bool JSON = false, IncludeHeaders = false;
  std::vector<llvm::StringRef> Files;
  for (llvm::StringRef A : Rest) {
    if (A == "-h" || A == "--help") {
      llvm::outs() << DiffHelp;
      return 0;
    }
    if (A == "--include-headers")
      IncludeHeaders = true;
    else if (A == "--format=json")
      JSON = true;
    else if (A == "--format=text")
      JSON = false;
    else if (A.starts_with("--format="))
      return reportError("diff", "unknown format '" + A.drop_front(9) + "' (use text or json)");
    else if (A.starts_with("-") && A != "-")
      return reportError("diff", "unknown option '" + A +
                                     "' (compiler flags go after '--'; see 'hotast diff --help')");
    else
      Files.push_back(A);
  }
  if (Files.size() != 2)
    return reportError("diff", "expected OLD and NEW files (see 'hotast diff --help')");
  llvm::StringRef OldPath = Files[0], NewPath = Files[1];
  if (NewPath == "-")
    return reportError("diff", "NEW must be a file (only OLD may be '-')");

  auto OldBuf = llvm::MemoryBuffer::getFileOrSTDIN(OldPath, /*IsText=*/false);
  if (!OldBuf)
    return reportError("diff", "cannot read '" + OldPath + "': " + OldBuf.getError().message());
  if (auto NewBuf = llvm::MemoryBuffer::getFile(NewPath); !NewBuf)
    return reportError("diff", "cannot read '" + NewPath + "': " + NewBuf.getError().message());

  if (!hasExplicitLanguage(Sources.CompilerArgs)) {
    Language OldLang = languageOf(OldPath), NewLang = languageOf(NewPath);
    if (OldLang != Language::Unknown && NewLang != Language::Unknown && OldLang != NewLang)
      return reportError("diff", "OLD '" + OldPath + "' is " + languageName(OldLang) +
                                     " but NEW '" + NewPath + "' is " + languageName(NewLang));
  }

  auto NewInput = makeParseInput(NewPath, Sources);
  if (!NewInput)
    return reportError("diff", llvm::toString(NewInput.takeError()));
  ParseInput &NewParse = *NewInput;
  ParseInput OldInput = NewParse;
  OldInput.Contents = (*OldBuf)->getBuffer().str();

  NewParse.MainFileOnly = OldInput.MainFileOnly = !IncludeHeaders;
  // NEW first: a bad flag or a broken NEW is reported as such, not as OLD's fault.
  auto New = parseAndAnalyze(NewParse);
  if (!New)
    return reportError("diff", "NEW: " + llvm::toString(New.takeError()));
  auto Old = parseAndAnalyze(OldInput);
  if (!Old) {
    llvm::consumeError(Old.takeError());
    return reportError("diff", "OLD '" + OldPath +
                                   "' does not compile (it is parsed in NEW's place, so "
                                   "clang's diagnostics above name '" +
                                   NewParse.Path + "')");
  }

  // OLD was parsed under NEW's name; removed declarations point into OLD.
  for (DeclRecord &R : Old->Decls)
    if (R.File == NewParse.Path)
      R.File = OldPath.str();

  DiffOptions Opts;
  Opts.IncludeHeaders = IncludeHeaders;
  DiffResult Result = diffAnalyses(*Old, *New, Opts);
  if (JSON)
    renderDiffJSON(Result, llvm::outs());
  else
    renderDiffText(Result, llvm::outs());
  return Result.Changes.empty() ? 0 : 1;
}

} // namespace hotast
