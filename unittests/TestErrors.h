//===- TestErrors.h - llvm::Error checks for unit tests ---------*- C++ -*-===//
//
// LLVM's own matchers (llvm/Testing/Support/Error.h) need LLVMTestingSupport,
// which the Debian packages do not ship; these few helpers cover our use and
// print the error's message when a check fails.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_UNITTESTS_TESTERRORS_H
#define HOTAST_UNITTESTS_TESTERRORS_H

#include "llvm/Support/Error.h"
#include "gtest/gtest.h"

namespace hotast {

/// Fails the test with E's message when E is an error.
inline void expectOk(llvm::Error E) {
  if (E)
    ADD_FAILURE() << llvm::toString(std::move(E));
}

/// The value of V; on an error, fails the test and returns T().
template <typename T> T expectOk(llvm::Expected<T> V) {
  if (!V) {
    ADD_FAILURE() << llvm::toString(V.takeError());
    return T();
  }
  return std::move(*V);
}

/// True when E is an error (which is consumed).
inline bool isError(llvm::Error E) {
  bool Failed = bool(E);
  llvm::consumeError(std::move(E));
  return Failed;
}

template <typename T> bool isError(llvm::Expected<T> V) { return isError(V.takeError()); }

} // namespace hotast

#endif
