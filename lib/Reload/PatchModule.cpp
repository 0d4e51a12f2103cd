//===- PatchModule.cpp - A translation unit's IR cut down to a patch ------===//

#include "hotast/Reload/PatchModule.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

namespace hotast {

bool isUnitInitializer(llvm::StringRef Symbol) {
  for (llvm::StringRef Prefix : {"__cxx_global_var_init", "_GLOBAL__sub_I_", "_GLOBAL__I_",
                                 "__cxx_global_array_dtor", "__dtor_", "__tls_init",
                                 "__cxx_global_tls_init", "_GLOBAL__D_"})
    if (Symbol.starts_with(Prefix))
      return true;
  return false;
}

namespace {

using namespace llvm;

/// The global variables an initializer function writes: stores, and the
/// object a constructor (the first argument of a call) builds. Calls to
/// __cxa_atexit only register a destructor.
SmallPtrSet<GlobalVariable *, 4> writtenGlobals(Function &F) {
  SmallPtrSet<GlobalVariable *, 4> Out;
  auto Note = [&](Value *V) {
    if (auto *GV = dyn_cast<GlobalVariable>(V->stripPointerCasts()->stripInBoundsOffsets()))
      Out.insert(GV);
  };
  for (Instruction &I : instructions(F)) {
    if (auto *S = dyn_cast<StoreInst>(&I))
      Note(S->getPointerOperand());
    else if (auto *C = dyn_cast<CallBase>(&I)) {
      Function *Callee = C->getCalledFunction();
      if (Callee && Callee->getName() == "__cxa_atexit")
        continue;
      if (C->arg_size() > 0)
        Note(C->getArgOperand(0));
    } else if (auto *M = dyn_cast<MemIntrinsic>(&I))
      Note(M->getDest());
  }
  return Out;
}

class Cutter {
public:
  Cutter(Module &M, const ProgramImage &Image, const PatchModuleOptions &Opts, unsigned &Counter)
      : M(M), Image(Image), Opts(Opts), Counter(Counter) {}

  PatchEdit run() {
    // Which variables the program has decides which initializers run.
    for (GlobalVariable &GV : M.globals())
      if (!GV.isDeclaration() && !GV.getName().starts_with("llvm.") && find(GV))
        Existing.insert(&GV);
    rewriteConstructors();
    for (Function &F : M)
      if (!F.isDeclaration())
        cutFunction(F);
    for (GlobalVariable &GV : M.globals())
      if (!GV.isDeclaration() && !GV.getName().starts_with("llvm."))
        cutVariable(GV);
    pruneUsedLists();
    removeDead();
    bindDeclarations();
    for (auto &[GV, Why] : PendingRefusals)
      if (!GV->use_empty())
        Out.Refusals.push_back(Why);
    defineDsoHandle();
    setPIC();
    return std::move(Out);
  }

private:
  /// The program's symbol for GV, when it has exactly one.
  std::optional<ImageSymbol> find(const GlobalValue &GV) {
    ImageSymbol S;
    StringRef File = GV.hasLocalLinkage() ? StringRef(Opts.FileName) : StringRef();
    switch (Image.lookup(GV.getName(), File, S)) {
    case ProgramImage::Found::Yes:
      return S;
    case ProgramImage::Found::Ambiguous: {
      std::string Why = ("the program has several internal '" + GV.getName() + "' in " +
                         Opts.FileName + " files: cannot tell which one this unit's is")
                            .str();
      if (!llvm::is_contained(Out.Refusals, Why)) // asked once per use
        Out.Refusals.push_back(std::move(Why));
      return std::nullopt;
    }
    case ProgramImage::Found::No:
      return std::nullopt;
    }
    return std::nullopt;
  }

  std::string nextName(StringRef Kind) {
    return ("__hotast_" + Opts.Tag + "_" + Kind + Twine(Counter++)).str();
  }

  /// Makes GV a declaration of the program's definition at Address.
  void bindTo(GlobalValue &GV, uint64_t Address) {
    if (auto *F = dyn_cast<Function>(&GV))
      F->deleteBody();
    else if (auto *V = dyn_cast<GlobalVariable>(&GV)) {
      V->setInitializer(nullptr);
      V->setConstant(false);
    }
    cast<GlobalObject>(GV).setComdat(nullptr);
    GV.setLinkage(GlobalValue::ExternalLinkage);
    GV.setVisibility(GlobalValue::DefaultVisibility);
    GV.setDSOLocal(false);
    std::string Name = nextName("b");
    GV.setName(Name);
    Out.Bindings.push_back({Name, Address});
  }

  /// A definition the patch keeps as its own.
  void keepOwn(GlobalObject &GV) {
    GV.setComdat(nullptr);
    if (GV.hasLocalLinkage())
      return;
    if (GV.isDiscardableIfUnused() || GV.hasWeakLinkage()) {
      // An inline function or template instance the program lacks: a copy.
      GV.setLinkage(GlobalValue::InternalLinkage);
      GV.setVisibility(GlobalValue::DefaultVisibility);
      return;
    }
    GV.setVisibility(GlobalValue::ProtectedVisibility);
    GV.setDSOLocal(true);
  }

  /// Initializers run at load for the variables the patch adds only: every
  /// constructor list entry is replaced by one function that calls the
  /// kept initializers in their order.
  void rewriteConstructors() {
    GlobalVariable *Ctors = M.getGlobalVariable("llvm.global_ctors");
    if (!Ctors)
      return;
    std::vector<Function *> Kept;
    auto Consider = [&](Function *Init) {
      SmallPtrSet<GlobalVariable *, 4> W = writtenGlobals(*Init);
      bool WritesExisting = false, WritesNew = false;
      for (GlobalVariable *GV : W)
        (Existing.count(GV) ? WritesExisting : WritesNew) = true;
      if (WritesNew && !WritesExisting) {
        Kept.push_back(Init);
        for (GlobalVariable *GV : W)
          Out.NewVariables.push_back(GV->getName().str());
      } else if (WritesNew && WritesExisting) {
        Out.Refusals.push_back(("initializer " + Init->getName() +
                                " sets both new and existing variables")
                                   .str());
      }
    };
    if (auto *Array = dyn_cast_or_null<ConstantArray>(Ctors->getInitializer())) {
      for (Value *Op : Array->operands()) {
        auto *Entry = dyn_cast<ConstantStruct>(Op);
        auto *Fn = Entry ? dyn_cast<Function>(Entry->getOperand(1)->stripPointerCasts()) : nullptr;
        if (!Fn || Fn->isDeclaration())
          continue;
        // _GLOBAL__sub_I_<file> calls each variable's initializer in turn.
        bool CallsInits = false;
        for (Instruction &I : instructions(*Fn))
          if (auto *C = dyn_cast<CallBase>(&I))
            if (Function *Callee = C->getCalledFunction();
                Callee && !Callee->isDeclaration() && isUnitInitializer(Callee->getName())) {
              CallsInits = true;
              Consider(Callee);
            }
        if (!CallsInits)
          Consider(Fn);
      }
    }
    Ctors->eraseFromParent();
    if (Kept.empty())
      return;
    auto *Init = Function::Create(FunctionType::get(Type::getVoidTy(M.getContext()), false),
                                  GlobalValue::InternalLinkage, nextName("init"), M);
    IRBuilder<> B(BasicBlock::Create(M.getContext(), "", Init));
    for (Function *F : Kept)
      B.CreateCall(F);
    B.CreateRetVoid();
    appendToGlobalCtors(M, Init, 65535);
  }

  void cutFunction(Function &F) {
    StringRef Name = F.getName();
    if (isUnitInitializer(Name)) { // the patch's own, if still used
      F.setComdat(nullptr);
      F.setLinkage(GlobalValue::InternalLinkage);
      return;
    }
    if (Opts.Changed.count(Name)) {
      // Changed code: redirected when the executable has the function;
      // otherwise (new, or added by an earlier patch) the patch's own copy.
      std::optional<ImageSymbol> S = find(F);
      if (!S || !S->InExecutable || !S->Function)
        return keepOwn(F);
      std::string Old = Name.str();
      F.setComdat(nullptr);
      F.setLinkage(GlobalValue::ExternalLinkage);
      F.setVisibility(GlobalValue::ProtectedVisibility);
      F.setDSOLocal(true);
      std::string New = nextName("f");
      F.setName(New);
      Out.Functions.push_back({Old, S->Offset, New});
      return;
    }
    if (std::optional<ImageSymbol> S = find(F)) {
      if (S->Function)
        return bindTo(F, S->Address);
    }
    keepOwn(F);
  }

  void cutVariable(GlobalVariable &GV) {
    StringRef Name = GV.getName();
    bool Typeinfo = Name.starts_with("_ZTV") || Name.starts_with("_ZTI") ||
                    Name.starts_with("_ZTS") || Name.starts_with("_ZTT");
    // Constants of internal linkage (string literals, tables) hold no
    // state: the patch has its own, with the edit's values.
    if (GV.isConstant() && GV.hasLocalLinkage() && !Typeinfo)
      return keepOwn(GV);
    std::optional<ImageSymbol> S = find(GV);
    if (S && S->Function)
      S.reset();
    if (S && GV.isThreadLocal()) {
      if (GV.hasLocalLinkage()) {
        PendingRefusals.push_back(
            {&GV, ("thread-local " + Name + " has internal linkage: a patch cannot reach the "
                   "running program's copy")
                      .str()});
        return;
      }
      GV.setInitializer(nullptr);
      GV.setComdat(nullptr);
      GV.setLinkage(GlobalValue::ExternalLinkage);
      GV.setVisibility(GlobalValue::DefaultVisibility);
      GV.setDSOLocal(false);
      GV.setThreadLocalMode(GlobalValue::GeneralDynamicTLSModel);
      return;
    }
    if (S) {
      uint64_t Size = M.getDataLayout().getTypeAllocSize(GV.getValueType());
      if (S->Size != 0 && S->Size != Size) {
        PendingRefusals.push_back(
            {&GV, ("variable " + Name + " has " + Twine(S->Size) +
                   " bytes in the running program and " + Twine(Size) +
                   " in the edit (its type changed, or the optimiser reshaped it)")
                      .str()});
        return;
      }
      return bindTo(GV, S->Address);
    }
    if (Opts.OptLevel > 0 && GV.hasLocalLinkage() && !GV.isConstant() &&
        Image.hasLocalWithPrefix((Name + ".").str(), Opts.FileName)) {
      PendingRefusals.push_back(
          {&GV, ("variable " + Name + " was reshaped by the optimiser in the running program (" +
                 Name + ".* there): build with -O0 to patch code that uses it")
                    .str()});
      return;
    }
    if (GV.isThreadLocal())
      GV.setThreadLocalMode(GV.hasLocalLinkage() ? GlobalValue::LocalDynamicTLSModel
                                                 : GlobalValue::GeneralDynamicTLSModel);
    keepOwn(GV);
  }

  /// llvm.used and llvm.compiler.used keep definitions alive; entries that
  /// became declarations go.
  void pruneUsedLists() {
    for (StringRef ListName : {"llvm.used", "llvm.compiler.used"}) {
      GlobalVariable *List = M.getGlobalVariable(ListName);
      if (!List)
        continue;
      std::vector<GlobalValue *> Keep;
      if (auto *Array = dyn_cast_or_null<ConstantArray>(List->getInitializer()))
        for (Value *Op : Array->operands())
          if (auto *GV = dyn_cast<GlobalValue>(Op->stripPointerCasts()); GV && !GV->isDeclaration())
            Keep.push_back(GV);
      List->eraseFromParent();
      if (Keep.empty())
        continue;
      if (ListName == "llvm.used")
        appendToUsed(M, Keep);
      else
        appendToCompilerUsed(M, Keep);
    }
  }

  /// Drops what nothing uses any more: internal definitions and
  /// declarations, until nothing changes.
  void removeDead() {
    for (bool Changed = true; Changed;) {
      Changed = false;
      std::vector<GlobalValue *> Dead;
      for (GlobalValue &GV : M.global_values())
        if ((GV.hasLocalLinkage() || GV.isDeclaration()) && !GV.getName().starts_with("llvm.")) {
          GV.removeDeadConstantUsers();
          if (GV.use_empty())
            Dead.push_back(&GV);
        }
      for (GlobalValue *GV : Dead) {
        if (auto *F = dyn_cast<Function>(GV); F && F->isIntrinsic())
          continue;
        if (auto *F = dyn_cast<Function>(GV); F && !F->isDeclaration())
          F->deleteBody();
        if (auto *V = dyn_cast<GlobalVariable>(GV); V && V->hasInitializer())
          V->setInitializer(nullptr);
        Changed = true;
      }
      for (GlobalValue *GV : Dead)
        if (GV->use_empty() && !(isa<Function>(GV) && cast<Function>(GV)->isIntrinsic())) {
          auto It = llvm::find_if(Out.Bindings, [&](auto &B) { return B.first == GV->getName(); });
          if (It != Out.Bindings.end())
            Out.Bindings.erase(It);
          GV->eraseFromParent();
        }
    }
  }

  /// Declarations of the program's own functions and variables (defined in
  /// other units of the executable) bind by address too: hidden symbols
  /// are not in the dynamic symbol table.
  void bindDeclarations() {
    for (GlobalValue &GV : M.global_values()) {
      if (!GV.isDeclaration() || GV.getName().starts_with("llvm.") ||
          GV.getName().starts_with("__hotast_") || GV.hasLocalLinkage())
        continue;
      if (auto *F = dyn_cast<Function>(&GV); F && F->isIntrinsic())
        continue;
      if (auto *V = dyn_cast<GlobalVariable>(&GV); V && V->isThreadLocal())
        continue;
      ImageSymbol S;
      if (Image.lookup(GV.getName(), "", S) != ProgramImage::Found::Yes || S.ThreadLocal)
        continue;
      GV.setDSOLocal(false);
      std::string Name = nextName("b");
      GV.setName(Name);
      Out.Bindings.push_back({Name, S.Address});
    }
  }

  /// __cxa_atexit names the library a destructor belongs to by the address
  /// of its hidden __dso_handle, which the C runtime's start files define
  /// in a normal link. The patch links without them: it defines its own.
  void defineDsoHandle() {
    GlobalVariable *H = M.getGlobalVariable("__dso_handle");
    if (!H || !H->isDeclaration())
      return;
    auto *Own = new GlobalVariable(M, PointerType::getUnqual(M.getContext()), false,
                                   GlobalValue::ExternalLinkage, nullptr, "");
    Own->setInitializer(Own);
    Own->setVisibility(GlobalValue::HiddenVisibility);
    Own->setDSOLocal(true);
    H->replaceAllUsesWith(Own);
    Own->takeName(H);
    H->eraseFromParent();
  }

  /// The patch is a shared library: position-independent, not an
  /// executable's code (the thread-local model follows from this).
  void setPIC() {
    NamedMDNode *Flags = M.getModuleFlagsMetadata();
    if (Flags) {
      std::vector<MDNode *> Keep;
      for (MDNode *Flag : Flags->operands()) {
        auto *Key = Flag->getNumOperands() > 1 ? dyn_cast<MDString>(Flag->getOperand(1)) : nullptr;
        if (Key && (Key->getString() == "PIE Level" || Key->getString() == "PIC Level" ||
                    Key->getString() == "direct-access-external-data"))
          continue;
        Keep.push_back(Flag);
      }
      Flags->clearOperands();
      for (MDNode *Flag : Keep)
        Flags->addOperand(Flag);
    }
    M.setPICLevel(PICLevel::BigPIC);
    for (GlobalValue &GV : M.global_values())
      if (GV.isDeclaration() && !GV.hasLocalLinkage())
        GV.setDSOLocal(false);
      else if (!GV.hasLocalLinkage() && GV.getVisibility() == GlobalValue::DefaultVisibility &&
               !GV.getName().starts_with("llvm."))
        GV.setVisibility(GlobalValue::ProtectedVisibility), GV.setDSOLocal(true);
  }

  Module &M;
  const ProgramImage &Image;
  const PatchModuleOptions &Opts;
  unsigned &Counter;
  PatchEdit Out;
  SmallPtrSet<GlobalVariable *, 16> Existing;
  std::vector<std::pair<GlobalVariable *, std::string>> PendingRefusals;
};

} // namespace

PatchEdit cutPatchModule(llvm::Module &M, const ProgramImage &Image,
                         const PatchModuleOptions &Opts, unsigned &Counter) {
  return Cutter(M, Image, Opts, Counter).run();
}

} // namespace hotast
