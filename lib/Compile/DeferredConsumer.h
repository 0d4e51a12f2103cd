//===- DeferredConsumer.h - Holding code generation back --------*- C++ -*-===//
//
// Wraps code generation's ASTConsumer and records every callback the parser
// makes instead of passing it on. At the end of the translation unit a
// decision function runs first; then the recorded callbacks are replayed in
// their original order (code generation runs on the finished AST, as when
// clang compiles from an AST file), or dropped when the object is reused.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_DEFERREDCONSUMER_H
#define HOTAST_LIB_COMPILE_DEFERREDCONSUMER_H

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/DeclGroup.h"
#include <functional>
#include <memory>
#include <vector>

namespace hotast {

class DeferredConsumer : public clang::ASTConsumer {
public:
  /// Decide returns true to drop code generation (the object is reused).
  DeferredConsumer(std::unique_ptr<clang::ASTConsumer> Inner,
                   std::function<bool(clang::ASTContext &)> Decide)
      : Inner(std::move(Inner)), Decide(std::move(Decide)) {}

  void Initialize(clang::ASTContext &Ctx) override { Inner->Initialize(Ctx); }
  bool HandleTopLevelDecl(clang::DeclGroupRef D) override {
    defer([=] { Inner->HandleTopLevelDecl(D); });
    return true;
  }
  void HandleInlineFunctionDefinition(clang::FunctionDecl *D) override {
    defer([=] { Inner->HandleInlineFunctionDefinition(D); });
  }
  void HandleInterestingDecl(clang::DeclGroupRef D) override {
    defer([=] { Inner->HandleInterestingDecl(D); });
  }
  void HandleTagDeclDefinition(clang::TagDecl *D) override {
    defer([=] { Inner->HandleTagDeclDefinition(D); });
  }
  void HandleTagDeclRequiredDefinition(const clang::TagDecl *D) override {
    defer([=] { Inner->HandleTagDeclRequiredDefinition(D); });
  }
  void HandleCXXImplicitFunctionInstantiation(clang::FunctionDecl *D) override {
    defer([=] { Inner->HandleCXXImplicitFunctionInstantiation(D); });
  }
  void HandleTopLevelDeclInObjCContainer(clang::DeclGroupRef D) override {
    defer([=] { Inner->HandleTopLevelDeclInObjCContainer(D); });
  }
  void HandleImplicitImportDecl(clang::ImportDecl *D) override {
    defer([=] { Inner->HandleImplicitImportDecl(D); });
  }
  void CompleteTentativeDefinition(clang::VarDecl *D) override {
    defer([=] { Inner->CompleteTentativeDefinition(D); });
  }
  void CompleteExternalDeclaration(clang::DeclaratorDecl *D) override {
    defer([=] { Inner->CompleteExternalDeclaration(D); });
  }
  void AssignInheritanceModel(clang::CXXRecordDecl *D) override {
    defer([=] { Inner->AssignInheritanceModel(D); });
  }
  void HandleCXXStaticMemberVarInstantiation(clang::VarDecl *D) override {
    defer([=] { Inner->HandleCXXStaticMemberVarInstantiation(D); });
  }
  void HandleVTable(clang::CXXRecordDecl *D) override {
    defer([=] { Inner->HandleVTable(D); });
  }
  clang::ASTMutationListener *GetASTMutationListener() override {
    return Inner->GetASTMutationListener();
  }
  clang::ASTDeserializationListener *GetASTDeserializationListener() override {
    return Inner->GetASTDeserializationListener();
  }
  void PrintStats() override { Inner->PrintStats(); }
  bool shouldSkipFunctionBody(clang::Decl *D) override {
    return Inner->shouldSkipFunctionBody(D);
  }

  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    if (Decide(Ctx))
      return;
    for (auto &Event : Events)
      Event();
    Events.clear();
    Inner->HandleTranslationUnit(Ctx);
  }

private:
  void defer(std::function<void()> Event) { Events.push_back(std::move(Event)); }

  std::unique_ptr<clang::ASTConsumer> Inner;
  std::function<bool(clang::ASTContext &)> Decide;
  std::vector<std::function<void()>> Events;
};

} // namespace hotast

#endif
