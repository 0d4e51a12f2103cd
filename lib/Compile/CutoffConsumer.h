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
// Hits that are likely skip IR generation another way: a parse without code
// generation first (compileInProcess, ParseFirst).
//
// The consumer also notes whether code generation printed anything during
// the parse: a parse without code generation would not print it, so such a
// result must not be reused by one.
//
// Examined after code generation instead (CutoffConsumer::After, for hot
// reload, which needs both and runs the backend beside the examination):
// once the module is finished nothing more reaches code generation. An
// examination that reads declarations from an AST file (a preamble) makes
// the reader hand the ones with bodies to the consumer; a finished module
// must not grow, and the original order is what the build's object had.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_CUTOFFCONSUMER_H
#define HOTAST_LIB_COMPILE_CUTOFFCONSUMER_H

#include "clang/AST/DeclGroup.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include <functional>
#include <memory>
#include <vector>

namespace hotast {

class CutoffConsumer : public clang::MultiplexConsumer {
public:
  /// Decide returns true to skip the backend (the object is reused). Printed
  /// counts the diagnostics printed so far; CodeGenPrinted is set when code
  /// generation prints one during the parse.
  CutoffConsumer(std::unique_ptr<clang::ASTConsumer> Inner,
                 std::function<bool(clang::ASTContext &)> Decide,
                 std::function<unsigned()> Printed, bool &CodeGenPrinted)
      : MultiplexConsumer(single(std::move(Inner))), Decide(std::move(Decide)),
        Printed(std::move(Printed)), CodeGenPrinted(CodeGenPrinted) {}

  /// Code generation finishes first; then Examine runs (its result is not a
  /// decision: the backend is not skipped).
  struct After {};
  CutoffConsumer(After, std::unique_ptr<clang::ASTConsumer> Inner,
                 std::function<bool(clang::ASTContext &)> Examine, bool &CodeGenPrinted)
      : CutoffConsumer(std::move(Inner), std::move(Examine), [] { return 0u; },
                       CodeGenPrinted) {
    ExamineAfter = true;
  }

  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    if (ExamineAfter) {
      MultiplexConsumer::HandleTranslationUnit(Ctx);
      Finished = true;
      Decide(Ctx);
      return;
    }
    if (!Decide(Ctx))
      MultiplexConsumer::HandleTranslationUnit(Ctx);
  }

  bool HandleTopLevelDecl(clang::DeclGroupRef D) override {
    bool Continue = true;
    watch([&] { Continue = MultiplexConsumer::HandleTopLevelDecl(D); });
    return Continue;
  }
  void HandleCXXStaticMemberVarInstantiation(clang::VarDecl *D) override {
    watch([&] { MultiplexConsumer::HandleCXXStaticMemberVarInstantiation(D); });
  }
  void HandleInlineFunctionDefinition(clang::FunctionDecl *D) override {
    watch([&] { MultiplexConsumer::HandleInlineFunctionDefinition(D); });
  }
  void HandleInterestingDecl(clang::DeclGroupRef D) override {
    watch([&] { MultiplexConsumer::HandleInterestingDecl(D); });
  }
  void HandleTagDeclDefinition(clang::TagDecl *D) override {
    watch([&] { MultiplexConsumer::HandleTagDeclDefinition(D); });
  }
  void HandleTagDeclRequiredDefinition(const clang::TagDecl *D) override {
    watch([&] { MultiplexConsumer::HandleTagDeclRequiredDefinition(D); });
  }
  void HandleCXXImplicitFunctionInstantiation(clang::FunctionDecl *D) override {
    watch([&] { MultiplexConsumer::HandleCXXImplicitFunctionInstantiation(D); });
  }
  void HandleTopLevelDeclInObjCContainer(clang::DeclGroupRef D) override {
    watch([&] { MultiplexConsumer::HandleTopLevelDeclInObjCContainer(D); });
  }
  void HandleImplicitImportDecl(clang::ImportDecl *D) override {
    watch([&] { MultiplexConsumer::HandleImplicitImportDecl(D); });
  }
  void CompleteTentativeDefinition(clang::VarDecl *D) override {
    watch([&] { MultiplexConsumer::CompleteTentativeDefinition(D); });
  }
  void CompleteExternalDeclaration(clang::DeclaratorDecl *D) override {
    watch([&] { MultiplexConsumer::CompleteExternalDeclaration(D); });
  }
  void AssignInheritanceModel(clang::CXXRecordDecl *RD) override {
    watch([&] { MultiplexConsumer::AssignInheritanceModel(RD); });
  }
  void HandleVTable(clang::CXXRecordDecl *RD) override {
    watch([&] { MultiplexConsumer::HandleVTable(RD); });
  }

private:
  template <typename Fn> void watch(Fn &&PassThrough) {
    if (Finished)
      return;
    unsigned Before = Printed();
    PassThrough();
    if (Printed() != Before)
      CodeGenPrinted = true;
  }

  static std::vector<std::unique_ptr<clang::ASTConsumer>>
  single(std::unique_ptr<clang::ASTConsumer> C) {
    std::vector<std::unique_ptr<clang::ASTConsumer>> V;
    V.push_back(std::move(C));
    return V;
  }

  std::function<bool(clang::ASTContext &)> Decide;
  std::function<unsigned()> Printed;
  bool &CodeGenPrinted;
  bool ExamineAfter = false, Finished = false;
};

} // namespace hotast

#endif
