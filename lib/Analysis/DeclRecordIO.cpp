//===- DeclRecordIO.cpp - Declaration records as text ---------------------===//

#include "hotast/Analysis/DeclRecordIO.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace hotast {
namespace {

constexpr llvm::StringLiteral Magic = "hotast-decls";

void escape(llvm::StringRef S, std::string &Out) {
  for (char C : S) {
    if (C == '\\')
      Out += "\\\\";
    else if (C == '\t')
      Out += "\\t";
    else if (C == '\n')
      Out += "\\n";
    else
      Out += C;
  }
}

bool unescape(llvm::StringRef S, std::string &Out) {
  Out.clear();
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] != '\\') {
      Out += S[I];
      continue;
    }
    if (++I == S.size())
      return false;
    switch (S[I]) {
    case '\\': Out += '\\'; break;
    case 't': Out += '\t'; break;
    case 'n': Out += '\n'; break;
    default: return false;
    }
  }
  return true;
}

llvm::Error malformed(size_t Line, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "declaration records, line " + llvm::Twine(Line) + ": " + Why);
}

} // namespace

std::string serializeRecords(llvm::ArrayRef<DeclRecord> Records) {
  std::string Out = (Magic + " " + llvm::Twine(HashFormatVersion) + "\n").str();
  for (const DeclRecord &R : Records) {
    for (llvm::StringRef Field : {llvm::StringRef(R.Key), llvm::StringRef(R.Kind),
                                  llvm::StringRef(R.Name), llvm::StringRef(R.File)}) {
      escape(Field, Out);
      Out += '\t';
    }
    Out += std::to_string(int(R.Class)) + '\t' + std::to_string(R.Line) + '\t' +
           (R.InMainFile ? "1" : "0") + '\t' + R.Sig.toHex() + '\t' + R.Full.toHex() + '\t' +
           R.Layout.toHex() + '\n';
  }
  return Out;
}

llvm::Expected<std::vector<DeclRecord>> parseRecords(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  if (Lines.empty() || Lines.front() != (Magic + " " + llvm::Twine(HashFormatVersion)).str())
    return malformed(1, "not hotast-decls " + llvm::Twine(HashFormatVersion));
  std::vector<DeclRecord> Out;
  for (size_t I = 1; I != Lines.size(); ++I) {
    llvm::SmallVector<llvm::StringRef, 10> F;
    Lines[I].split(F, '\t');
    if (F.size() != 10)
      return malformed(I + 1, "expected 10 fields");
    DeclRecord R;
    unsigned Class = 0;
    if (!unescape(F[0], R.Key) || !unescape(F[1], R.Kind) || !unescape(F[2], R.Name) ||
        !unescape(F[3], R.File) || F[4].getAsInteger(10, Class) ||
        Class > unsigned(DeclClass::Other) || F[5].getAsInteger(10, R.Line) ||
        (F[6] != "0" && F[6] != "1") || !Hash128::fromHex(F[7], R.Sig) ||
        !Hash128::fromHex(F[8], R.Full) || !Hash128::fromHex(F[9], R.Layout))
      return malformed(I + 1, "bad field");
    R.Class = DeclClass(Class);
    R.InMainFile = F[6] == "1";
    Out.push_back(std::move(R));
  }
  return Out;
}

} // namespace hotast
