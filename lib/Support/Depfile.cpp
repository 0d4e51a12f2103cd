//===- Depfile.cpp - The Make syntax of depfiles --------------------------===//

#include "hotast/Support/Depfile.h"

namespace hotast {

std::string quoteForMake(llvm::StringRef Target) {
  std::string Quoted;
  for (size_t I = 0; I < Target.size(); ++I) {
    char C = Target[I];
    if (C == ' ' || C == '\t') {
      for (size_t J = I; J > 0 && Target[J - 1] == '\\'; --J)
        Quoted += '\\';
      Quoted += '\\';
    } else if (C == '$') {
      Quoted += '$';
    } else if (C == '#') {
      Quoted += '\\';
    }
    Quoted += C;
  }
  return Quoted;
}

llvm::StringRef depfileBody(llvm::StringRef Text) {
  // The targets end at the first colon followed by a blank or line end.
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] != ':')
      continue;
    if (I + 1 == Text.size() || Text[I + 1] == ' ' || Text[I + 1] == '\n' ||
        Text[I + 1] == '\r' || Text[I + 1] == '\t')
      return Text.substr(I);
  }
  return Text;
}

std::vector<std::string> depfileInputs(llvm::StringRef Text) {
  std::vector<std::string> Out;
  llvm::StringRef Body = depfileBody(Text);
  if (Body.size() == Text.size() || Body.empty())
    return Out;
  Body = Body.drop_front(); // the colon
  std::string Word;
  auto Flush = [&] {
    if (!Word.empty())
      Out.push_back(std::move(Word));
    Word.clear();
  };
  for (size_t I = 0; I < Body.size(); ++I) {
    char C = Body[I];
    if (C == '\\' && I + 1 < Body.size()) {
      char Next = Body[I + 1];
      if (Next == '\n' || (Next == '\r' && I + 2 < Body.size() && Body[I + 2] == '\n')) {
        Flush();
        I += Next == '\r' ? 2 : 1;
        continue;
      }
      if (Next == ' ' || Next == '#' || Next == '\t') {
        Word += Next;
        ++I;
        continue;
      }
    }
    if (C == '$' && I + 1 < Body.size() && Body[I + 1] == '$') {
      Word += '$';
      ++I;
      continue;
    }
    if (C == '\n')
      break; // the end of the first rule
    if (C == ' ' || C == '\t' || C == '\r') {
      Flush();
      continue;
    }
    Word += C;
  }
  Flush();
  return Out;
}

} // namespace hotast
