//===- PortablePaths.cpp - Paths that read the same in every checkout -----===//

#include "hotast/Support/PortablePaths.h"

#include "llvm/ADT/StringExtras.h"

namespace hotast {

static std::vector<std::string> components(llvm::StringRef Path) {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  Path.split(Parts, '/', -1, /*KeepEmpty=*/false);
  return std::vector<std::string>(Parts.begin(), Parts.end());
}

static std::string normalized(llvm::StringRef Dir) {
  std::string Out;
  for (const std::string &C : components(Dir))
    Out += "/" + C;
  return Out;
}

PortablePaths::PortablePaths(llvm::StringRef BaseDir, llvm::StringRef Cwd) {
  if (!BaseDir.starts_with("/") || !Cwd.starts_with("/"))
    return;
  std::string B = normalized(BaseDir), C = normalized(Cwd);
  if (B.empty() || !(C == B || llvm::StringRef(C).starts_with(B + "/")))
    return;
  // Paths with . or .. components are compared as written; a working
  // directory with them is not normalized by anyone, so leave it alone.
  CwdComponents = components(C);
  for (const std::string &Part : CwdComponents)
    if (Part == "." || Part == "..") {
      CwdComponents.clear();
      return;
    }
  Base = std::move(B);
}

static bool endsToken(char C) {
  return C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '=' || C == ',' || C == ':';
}

/// True when an absolute path may begin at Text[I] (Text[I] is '/').
static bool beginsToken(llvm::StringRef Text, size_t I) {
  if (I == 0 || endsToken(Text[I - 1]))
    return true;
  // `-I/path`, `-isystem/path`: an option's name, then the path.
  if (Text[0] != '-')
    return false;
  for (size_t J = 1; J != I; ++J)
    if (!llvm::isAlpha(Text[J]))
      return false;
  return I > 1;
}

std::string PortablePaths::portable(llvm::StringRef Text) const {
  if (!active() || !Text.contains(Base))
    return Text.str();
  std::string Out;
  size_t I = 0;
  while (I < Text.size()) {
    size_t Slash = Text.find('/', I);
    if (Slash == llvm::StringRef::npos)
      break;
    llvm::StringRef Rest = Text.substr(Slash);
    bool UnderBase = beginsToken(Text, Slash) && Rest.starts_with(Base) &&
                     (Rest.size() == Base.size() || Rest[Base.size()] == '/' ||
                      endsToken(Rest[Base.size()]));
    if (!UnderBase) {
      Out.append(Text.data() + I, Slash + 1 - I);
      I = Slash + 1;
      continue;
    }
    Out.append(Text.data() + I, Slash - I);
    // Match the path's components against the working directory's.
    size_t Pos = 0, Matched = 0, MatchedEnd = 0;
    while (Matched < CwdComponents.size() && Pos < Rest.size() && Rest[Pos] == '/') {
      const std::string &Want = CwdComponents[Matched];
      size_t End = Pos + 1 + Want.size();
      if (Rest.substr(Pos + 1, Want.size()) != Want ||
          (End < Rest.size() && Rest[End] != '/' && !endsToken(Rest[End])))
        break;
      Pos = End;
      MatchedEnd = End;
      ++Matched;
    }
    Out += '\0';
    Out += std::to_string(CwdComponents.size() - Matched);
    Out += '\0';
    I = Slash + MatchedEnd;
  }
  Out.append(Text.data() + I, Text.size() - I);
  return Out;
}

std::optional<std::string> PortablePaths::local(llvm::StringRef Text) const {
  if (!Text.contains('\0'))
    return Text.str();
  if (!active())
    return std::nullopt;
  std::string Out;
  while (!Text.empty()) {
    size_t Marker = Text.find('\0');
    Out += Text.substr(0, Marker);
    if (Marker == llvm::StringRef::npos)
      break;
    size_t End = Text.find('\0', Marker + 1);
    unsigned Drop = 0;
    if (End == llvm::StringRef::npos ||
        Text.slice(Marker + 1, End).getAsInteger(10, Drop) || Drop > CwdComponents.size())
      return std::nullopt;
    for (size_t C = 0; C != CwdComponents.size() - Drop; ++C)
      Out += "/" + CwdComponents[C];
    Text = Text.substr(End + 1);
  }
  return Out;
}

std::optional<std::pair<unsigned, std::string>>
PortablePaths::split(llvm::StringRef Path) const {
  if (!Path.starts_with("/"))
    return std::nullopt;
  std::string P = portable(Path);
  llvm::StringRef Text(P);
  if (!Text.consume_front(llvm::StringRef("\0", 1)))
    return std::nullopt;
  size_t End = Text.find('\0');
  unsigned Drop = 0;
  if (End == llvm::StringRef::npos || Text.take_front(End).getAsInteger(10, Drop) ||
      Text.substr(End + 1).contains('\0'))
    return std::nullopt;
  return std::make_pair(Drop, Text.substr(End + 1).str());
}

llvm::StringRef PortablePaths::cwdComponent(unsigned Drop) const {
  if (Drop == 0 || Drop > CwdComponents.size())
    return "";
  return CwdComponents[CwdComponents.size() - Drop];
}

} // namespace hotast
