//===- UnitEvents.h - The order in which a parse defines code ---*- C++ -*-===//
//
// Records what the parse hands code generation, in its order (UnitEvent in
// hotast/Analysis/Fingerprint.h): both compilers emit instantiations and
// implicit members in the order the parse produced them, which follows each
// one's first use anywhere in the unit.
//
//===----------------------------------------------------------------------===//

#ifndef HOTAST_LIB_COMPILE_UNITEVENTS_H
#define HOTAST_LIB_COMPILE_UNITEVENTS_H

#include "hotast/Analysis/Fingerprint.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTMutationListener.h"
#include "clang/AST/DeclGroup.h"

#include <vector>

namespace hotast {

class UnitEventRecorder : public clang::ASTConsumer, public clang::ASTMutationListener {
public:
  explicit UnitEventRecorder(std::vector<UnitEvent> &Events) : Events(Events) {}

  bool HandleTopLevelDecl(clang::DeclGroupRef G) override {
    for (clang::Decl *D : G)
      Events.push_back({D, UnitEvent::Definition});
    return true;
  }
  void HandleInlineFunctionDefinition(clang::FunctionDecl *D) override {
    Events.push_back({D, UnitEvent::Definition});
  }
  void HandleCXXImplicitFunctionInstantiation(clang::FunctionDecl *D) override {
    Events.push_back({D, UnitEvent::Definition});
  }
  void HandleCXXStaticMemberVarInstantiation(clang::VarDecl *D) override {
    Events.push_back({D, UnitEvent::Definition});
  }
  void HandleTagDeclDefinition(clang::TagDecl *D) override {
    Events.push_back({D, UnitEvent::Class});
  }
  void HandleVTable(clang::CXXRecordDecl *RD) override {
    Events.push_back({RD, UnitEvent::VTable});
  }
  clang::ASTMutationListener *GetASTMutationListener() override { return this; }
  void CompletedImplicitDefinition(const clang::FunctionDecl *D) override {
    Events.push_back({D, UnitEvent::ImplicitMember});
  }

private:
  std::vector<UnitEvent> &Events;
};

} // namespace hotast

#endif
