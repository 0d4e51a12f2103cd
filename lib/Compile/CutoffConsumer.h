//===- CutoffConsumer.h - Skipping the backend on a hit ---------*- C++ -*-===//
//
// Wraps code generation's ASTConsumer and passes every callback through as the
// parser makes it, so IR generation sees the AST exactly when clang's does.
// At the end of the translation unit a decision function runs first; on a
// hit, the consumer's own end-of-TU work (finishing the module, optimization
// and machine code) is skipped.
//
// Why not hold IR generation back and replay it after the parse (which would
// make hits cheaper): code generation consults the AST as it stands at each
// callback. Replayed on the finished AST, it found template instantiations
// that a normal compile only meets later and emitted functions in another
// order: the object differed from clang's (wrapper/miss-emission-order.test).
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_CUTOFFCONSUMER_H
#define HOTAST_LIB_COMPILE_CUTOFFCONSUMER_H

#include "clang/Frontend/MultiplexConsumer.h"
#include <functional>
#include <memory>
#include <vector>

namespace hotast {

class CutoffConsumer : public clang::MultiplexConsumer {
public:
  /// Decide returns true to skip the backend (the object is reused).
  CutoffConsumer(std::unique_ptr<clang::ASTConsumer> Inner,
                 std::function<bool(clang::ASTContext &)> Decide)
      : MultiplexConsumer(single(std::move(Inner))), Decide(std::move(Decide)) {}

  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    if (!Decide(Ctx))
      MultiplexConsumer::HandleTranslationUnit(Ctx);
  }

private:
  static std::vector<std::unique_ptr<clang::ASTConsumer>>
  single(std::unique_ptr<clang::ASTConsumer> C) {
    std::vector<std::unique_ptr<clang::ASTConsumer>> V;
    V.push_back(std::move(C));
    return V;
  }

  std::function<bool(clang::ASTContext &)> Decide;
};

} // namespace hotast

#endif
