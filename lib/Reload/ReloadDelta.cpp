//===- ReloadDelta.cpp - The functions a patch must hold ------------------===//
//
// Each changed unit compiled again with its own command, and its new object
// compared with the one the program runs: the functions whose code changed
// or is new, those that must follow them into the patch, and the vtables
// that must not change.
//
//===----------------------------------------------------------------------===//

#include "ReloadInternal.h"

#include "hotast/Compile/InProcess.h"
#include "hotast/Compile/Parse.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

namespace hotast {
namespace reloader {

bool Reloader::compileUnits() {
  for (Unit *U : Changed) {
    if (U->Record.Argv.empty() || !isLinkedClang(U->Record.Argv.front()))
      return refuseUnit(*U, "it was compiled by " +
                                (U->Record.Argv.empty() ? std::string("?")
                                                        : U->Record.Argv.front()) +
                                ", not by " + linkedClangPath().str());
    auto TParse = Clock::now();
    int64_t StartNs = stampClockNs();
    llvm::SmallString<256> Preambles(Req.CacheDir);
    llvm::sys::path::append(Preambles, "preambles");
    auto C = UnitCompile::run(U->Record.Argv, U->Record.WorkingDir, Preambles);
    Times["delta_parse"] += msSince(TParse);
    if (!C)
      return error(U->ObjectPath + ": " + llvm::toString(C.takeError()));
    if (C->exitCode() != 0) {
      Report.Diagnostics += C->stderrText();
      return error("the edit does not compile (" + U->Record.Files.front().Path +
                   "): nothing was applied");
    }
    Compiled Out;
    Out.U = U;
    Out.StartNs = StartNs;
    auto NewObject = C->buildObject();
    // Beside the parse, inside delta_parse's time.
    Times["delta_object"] += C->objectMilliseconds();
    if (!NewObject)
      return error(NewObject.takeError());
    Out.NewObject = std::move(*NewObject);
    auto OldObject = Cache->get(U->Code);
    if (!OldObject)
      return error("the object " + U->ObjectPath + " the program runs is no longer in the cache (" +
                   llvm::toString(OldObject.takeError()) + "): rebuild and restart");
    auto Old = readObjectCode(*OldObject, U->ObjectPath);
    auto New = readObjectCode(Out.NewObject, U->ObjectPath + " (edited)");
    if (!Old)
      return error(Old.takeError());
    if (!New)
      return error(New.takeError());
    Out.Old = std::move(*Old);
    Out.New = std::move(*New);
    PreambleStates.push_back(C->preambleState());
    if (C->preambleState() == "missing")
      Report.PreamblesToBuild.push_back(UnitCommand{U->Record.Argv, U->Record.WorkingDir});
    Out.C.emplace(std::move(*C));
    Units2.push_back(std::move(Out));
  }
  return true;
}

bool Reloader::refuseUnit(Unit &U, const std::string &Why) {
  Refusals.push_back(U.ObjectPath + ": " + Why);
  return true;
}

/// True when the executable has Name (of this unit) as a function that can
/// be redirected.
bool Reloader::redirectable(const Compiled &C, llvm::StringRef Name, bool Local) {
  ImageSymbol S;
  return Image.lookup(Name, Local ? llvm::StringRef(C.Old.FileName) : "", S) ==
             ProgramImage::Found::Yes &&
         S.InExecutable && S.Function;
}

bool Reloader::decide() {
  for (Compiled &C : Units2) {
    C.Opts.FileName = C.Old.FileName.empty() ? C.New.FileName : C.Old.FileName;
    C.Opts.OptLevel = C.C->optLevel();
    llvm::StringMap<std::string> Why;
    // Functions whose code is not what runs now.
    for (const auto &E : C.New.Symbols) {
      const SymbolCode &N = E.getValue();
      if (!N.Function || isUnitInitializer(E.getKey()))
        continue;
      auto It = C.Old.Symbols.find(E.getKey());
      if (It == C.Old.Symbols.end())
        Why[E.getKey()] = "new";
      else if (It->second.Code != N.Code)
        Why[E.getKey()] = "changed";
    }
    // A function the executable lacks (new, or an earlier patch's) lives
    // in the patch: its callers must call this copy.
    for (bool Grew = true; Grew;) {
      Grew = false;
      for (const auto &E : C.New.Symbols) {
        if (!E.getValue().Function || Why.count(E.getKey()) || isUnitInitializer(E.getKey()))
          continue;
        for (const std::string &R : E.getValue().Refs) {
          auto Callee = C.New.Symbols.find(R);
          if (Why.count(R) && Callee != C.New.Symbols.end() && Callee->second.Function &&
              !redirectable(C, R, Callee->second.Local)) {
            Why[E.getKey()] = "calls " + R + ", which the patch holds";
            Grew = true;
            break;
          }
        }
      }
    }
    // Above -O0 the optimiser may have changed the calling convention of
    // an internal function for its callers: redirect those too.
    if (C.Opts.OptLevel > 0) {
      for (bool Grew = true; Grew;) {
        Grew = false;
        for (const auto &E : C.Old.Symbols) {
          if (!E.getValue().Function || Why.count(E.getKey()))
            continue;
          for (const std::string &R : E.getValue().Refs) {
            auto Callee = C.Old.Symbols.find(R);
            if (Why.count(R) && Callee != C.Old.Symbols.end() && Callee->second.Local &&
                Callee->second.Function && C.New.Symbols.count(E.getKey())) {
              Why[E.getKey()] = "calls internal " + R + " (optimised calling convention)";
              Grew = true;
              break;
            }
          }
        }
      }
    }
    for (const auto &E : Why) {
      C.Opts.Changed.insert(E.getKey());
      C.Why[E.getKey()] = E.getValue();
    }
    // Vtables the program has must be the same, or objects that exist
    // would keep the old ones.
    for (const auto &E : C.New.Symbols) {
      if (!E.getKey().starts_with("_ZTV"))
        continue;
      auto It = C.Old.Symbols.find(E.getKey());
      if (It != C.Old.Symbols.end() && It->second.Code != E.getValue().Code)
        Refusals.push_back("the vtable " + E.getKey().str() +
                           " changed (a virtual function added, removed or overridden): "
                           "objects that exist would keep the old one");
    }
    declVerdicts(C);
  }
  return true;
}

} // namespace reloader
} // namespace hotast
