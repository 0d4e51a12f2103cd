//===- Reload.cpp - From an edit to a patch in a running program ----------===//

#include "hotast/Reload/Reload.h"

#include "hotast/Analysis/DeclRecordIO.h"
#include "hotast/Cache/ObjectCache.h"
#include "hotast/Compile/InProcess.h"
#include "hotast/Compile/Parse.h"
#include "hotast/Compile/UnitCompile.h"
#include "hotast/Diff/DeclDiff.h"
#include "hotast/Reload/ObjectCode.h"
#include "hotast/Reload/PatchModule.h"
#include "hotast/Reload/ProgramImage.h"
#include "hotast/Reload/RuntimeClient.h"
#include "hotast/Reload/Watch.h"
#include "hotast/Store/Store.h"
#include "hotast/Wrapper/DirectMode.h"
#include "PatchLink.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <chrono>
#include <random>

namespace hotast {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point T) {
  return std::chrono::duration<double, std::milli>(Clock::now() - T).count();
}

std::string sha256Hex(llvm::StringRef Bytes) {
  llvm::SHA256 H;
  H.update(Bytes);
  return llvm::toHex(H.final(), /*LowerCase=*/true);
}

/// A unit of the running program: one object it was linked from.
struct Unit {
  std::string ObjectPath;
  /// The content hash of the code that runs for it now (the object it was
  /// linked from, or the object of the last patch that replaced it).
  Hash128 Code;
  ReloadUnit Record;
  /// Files that differ from what Code was compiled from.
  std::vector<std::string> ChangedFiles;
};

/// What one patch in the stack recorded (D/<pid>-<id>.json).
struct PatchRecord {
  std::string Id;
  std::map<std::string, Hash128> Units; // object path -> code
  std::vector<uint64_t> Offsets;        // entries it redirects
};

std::string patchBase(const RuntimeStatus &S, llvm::StringRef Id) {
  return runtimeDir() + "/" + std::to_string(S.Pid) + "-" + Id.str();
}

llvm::Expected<PatchRecord> readPatchRecord(const RuntimeStatus &S, llvm::StringRef Id) {
  std::string Path = patchBase(S, Id) + ".json";
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createFileError(Path, Buf.getError());
  auto V = llvm::json::parse((*Buf)->getBuffer());
  if (!V)
    return llvm::createFileError(Path, V.takeError());
  PatchRecord R;
  R.Id = Id.str();
  const llvm::json::Object *O = V->getAsObject();
  const llvm::json::Object *Units = O ? O->getObject("units") : nullptr;
  const llvm::json::Array *Offsets = O ? O->getArray("offsets") : nullptr;
  if (!Units || !Offsets)
    return llvm::createFileError(Path, llvm::createStringError(llvm::inconvertibleErrorCode(),
                                                               "not a patch record"));
  for (const auto &[Object, Code] : *Units) {
    Hash128 H;
    if (!Code.getAsString() || !Hash128::fromHex(*Code.getAsString(), H))
      return llvm::createFileError(Path, llvm::createStringError(llvm::inconvertibleErrorCode(),
                                                                 "bad unit hash"));
    R.Units[Object.str()] = H;
  }
  for (const llvm::json::Value &Off : *Offsets)
    if (auto I = Off.getAsInteger())
      R.Offsets.push_back(uint64_t(*I));
  return R;
}

/// Where the patch library of Path is mapped in process Pid (its lowest
/// address), from /proc/PID/maps.
std::optional<uint64_t> mappedBase(long Pid, llvm::StringRef Path) {
  // A /proc file's size is 0: read it as a stream.
  auto Maps = llvm::MemoryBuffer::getFileAsStream("/proc/" + std::to_string(Pid) + "/maps");
  if (!Maps)
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  (*Maps)->getBuffer().split(Lines, '\n');
  std::optional<uint64_t> Base;
  for (llvm::StringRef Line : Lines) {
    if (!Line.ends_with(Path))
      continue;
    uint64_t Start = 0;
    if (Line.split('-').first.getAsInteger(16, Start))
      continue;
    if (!Base || Start < *Base)
      Base = Start;
  }
  return Base;
}

std::string absolutePath(llvm::StringRef Path, llvm::StringRef Dir) {
  if (llvm::sys::path::is_absolute(Path) || Dir.empty())
    return Path.str();
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Path);
  return std::string(P);
}

std::string newPatchId() {
  auto Now = std::chrono::system_clock::now();
  std::time_t T = std::chrono::system_clock::to_time_t(Now);
  char Buf[32];
  std::strftime(Buf, sizeof Buf, "%Y%m%dT%H%M%S", std::gmtime(&T));
  std::random_device RD;
  return std::string(Buf) + "-" + llvm::utohexstr(RD() & 0xffffff, /*LowerCase=*/true);
}

std::string isoNow() {
  std::time_t T = std::time(nullptr);
  char Buf[32];
  std::strftime(Buf, sizeof Buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&T));
  return Buf;
}

llvm::Error writePrivateFile(llvm::StringRef Path, llvm::StringRef Bytes) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC, llvm::sys::fs::OF_None);
  if (EC)
    return llvm::createFileError(Path, EC);
  OS << Bytes;
  OS.close();
  if (OS.has_error())
    return llvm::createFileError(Path, OS.error());
  if (std::error_code EC2 = llvm::sys::fs::setPermissions(
          Path, llvm::sys::fs::owner_read | llvm::sys::fs::owner_write))
    return llvm::createFileError(Path, EC2);
  return llvm::Error::success();
}

/// One reload, phase by phase.
class Reloader {
public:
  explicit Reloader(const ReloadRequest &R) : Req(R) {}

  /// The files of every unit of the program (for hotast watch).
  llvm::Expected<std::vector<std::string>> files() {
    if (!loadBase())
      return llvm::createStringError(llvm::inconvertibleErrorCode(), Report.Summary);
    std::vector<std::string> Out;
    for (const Unit &U : Units)
      for (const FileStamp &F : U.Record.Files) {
        std::string P = absolutePath(F.Path, U.Record.WorkingDir);
        if (!llvm::is_contained(Out, P))
          Out.push_back(std::move(P));
      }
    return Out;
  }

  llvm::Expected<std::vector<UnitCommand>> units() {
    if (!loadBase())
      return llvm::createStringError(llvm::inconvertibleErrorCode(), Report.Summary);
    std::vector<std::pair<llvm::sys::TimePoint<>, UnitCommand>> Found;
    for (const Unit &U : Units) {
      if (U.Record.Argv.empty() || !isLinkedClang(U.Record.Argv.front()) ||
          U.Record.Files.empty())
        continue;
      llvm::sys::fs::file_status St;
      llvm::sys::TimePoint<> Modified;
      if (!llvm::sys::fs::status(absolutePath(U.Record.Files.front().Path, U.Record.WorkingDir), St))
        Modified = St.getLastModificationTime();
      Found.push_back({Modified, UnitCommand{U.Record.Argv, U.Record.WorkingDir}});
    }
    llvm::stable_sort(Found, [](const auto &A, const auto &B) { return A.first > B.first; });
    std::vector<UnitCommand> Out;
    for (auto &F : Found)
      Out.push_back(std::move(F.second));
    return Out;
  }

  ReloadReport run() {
    auto Start = Clock::now();
    if (!loadBase()) {
      finish(Start);
      return std::move(Report);
    }
    auto DeltaStart = Clock::now();
    findChanges();
    if (Changed.empty()) {
      Report.Exit = ReloadExit::Applied;
      Report.Summary = "nothing changed since the running code was built";
      Verdict = "nothing";
      finish(Start);
      return std::move(Report);
    }
    if (!compileUnits() || !decide()) {
      finish(Start);
      return std::move(Report);
    }
    Times["delta"] = msSince(DeltaStart);
    if (!Refusals.empty()) {
      Report.Exit = ReloadExit::Refused;
      Verdict = "refuse";
      Report.Summary = "refused: " + llvm::join(Refusals, "; ");
    } else if (Req.DryRun) {
      Report.Exit = ReloadExit::Applied;
      Verdict = "patch";
      size_t N = 0;
      for (const Compiled &C : Units2)
        N += C.Why.size();
      Report.Summary = "would patch " + std::to_string(N) + " function(s)";
    } else if (buildAndApply()) {
      Report.Exit = ReloadExit::Applied;
      Verdict = "patch";
    }
    finish(Start);
    return std::move(Report);
  }

private:
  bool error(const llvm::Twine &Message) {
    Report.Exit = ReloadExit::Error;
    Report.Summary = "error: " + Message.str();
    return false;
  }
  bool error(llvm::Error E) { return error(llvm::toString(std::move(E))); }

  // --- base -------------------------------------------------------------

  bool loadBase() {
    auto T = Clock::now();
    auto S = queryStatus(Req.Socket);
    if (!S)
      return error(S.takeError());
    Status = *S;
    auto Opened = Store::open(Req.CacheDir);
    if (!Opened)
      return error(Opened.takeError());
    DB = std::move(*Opened);
    auto Objects = ObjectCache::open(Req.CacheDir);
    if (!Objects)
      return error(Objects.takeError());
    Cache.emplace(std::move(*Objects));
    auto Link = DB->link(Status.BuildId);
    if (!Link)
      return error(Link.takeError());
    if (!*Link)
      return error("the program (build id " + Status.BuildId +
                   ") was not linked through hotast: use hotast as the linker launcher "
                   "(CMAKE_<LANG>_LINKER_LAUNCHER) with HOTAST_DIR=" + Req.CacheDir);
    LinkRec = **Link;
    std::string Exe = "/proc/" + std::to_string(Status.Pid) + "/exe";
    if (llvm::Error E = Image.addFile(Exe, Status.Base, /*Executable=*/true))
      return error(std::move(E));
    // The patches in the stack: their code, and what each unit runs now.
    std::map<std::string, Hash128> Current;
    for (const std::string &Id : Status.Patches) {
      auto P = readPatchRecord(Status, Id);
      if (!P)
        return error("patch " + Id + " of the running program: " + llvm::toString(P.takeError()));
      for (auto &[Object, Code] : P->Units)
        Current[Object] = Code;
      for (uint64_t Off : P->Offsets)
        EntryState[Off] = "patched:" + Id;
      std::string So = patchBase(Status, Id) + ".so";
      std::optional<uint64_t> Base = mappedBase(Status.Pid, So);
      if (!Base)
        return error("patch " + Id + " is not mapped in process " + std::to_string(Status.Pid));
      if (llvm::Error E = Image.addFile(So, *Base, /*Executable=*/false))
        return error(std::move(E));
    }
    for (const FileStamp &In : LinkRec.Inputs) {
      std::string Path = absolutePath(In.Path, LinkRec.WorkingDir);
      auto It = Current.find(Path);
      Hash128 Code = It != Current.end() ? It->second : In.Content;
      auto U = DB->reloadUnit(Code);
      if (!U)
        return error(U.takeError());
      if (!*U)
        continue; // an archive, a library, or an object built without the profile
      Units.push_back({Path, Code, std::move(**U), {}});
    }
    if (Units.empty())
      return error("no object of " + LinkRec.Output +
                   " was compiled through hotast with the reload profile (hotast reload-flags)");
    Times["base"] = msSince(T);
    return true;
  }

  void findChanges() {
    for (Unit &U : Units) {
      for (FileStamp F : U.Record.Files) {
        F.Path = absolutePath(F.Path, U.Record.WorkingDir);
        if (!stampMatches(F))
          U.ChangedFiles.push_back(F.Path);
      }
      if (!U.ChangedFiles.empty())
        Changed.push_back(&U);
    }
  }

  // --- delta ------------------------------------------------------------

  struct Compiled {
    Unit *U;
    std::optional<UnitCompile> C;
    std::string NewObject;
    ObjectCode Old, New;
    PatchModuleOptions Opts;
    /// The functions whose code is not what runs now, and why.
    llvm::StringMap<std::string> Why;
    /// When its compile began reading files (stampFiles' ReadSinceNs).
    int64_t StartNs = 0;
  };

  bool compileUnits() {
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

  bool refuseUnit(Unit &U, const std::string &Why) {
    Refusals.push_back(U.ObjectPath + ": " + Why);
    return true;
  }

  /// True when the executable has Name (of this unit) as a function that can
  /// be redirected.
  bool redirectable(const Compiled &C, llvm::StringRef Name, bool Local) {
    ImageSymbol S;
    return Image.lookup(Name, Local ? llvm::StringRef(C.Old.FileName) : "", S) ==
               ProgramImage::Found::Yes &&
           S.InExecutable && S.Function;
  }

  bool decide() {
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

  void declVerdicts(Compiled &C) {
    auto OldRecords = parseRecords(C.U->Record.Decls);
    if (!OldRecords) {
      Refusals.push_back(C.U->ObjectPath + ": " + llvm::toString(OldRecords.takeError()));
      return;
    }
    TUAnalysis Old, New;
    Old.Decls = std::move(*OldRecords);
    New.Decls = C.C->records();
    DiffResult D = diffAnalyses(Old, New, DiffOptions{/*IncludeHeaders=*/true});
    // Several records can share a key (the specializations of a template):
    // a key changed when its records differ as a whole, in whatever order.
    auto Whole = [](const std::vector<DeclRecord> &Records) {
      std::map<std::string, std::vector<std::string>> ByKey;
      for (const DeclRecord &R : Records)
        ByKey[R.Key].push_back(R.Sig.toHex() + R.Full.toHex() + R.Layout.toHex());
      for (auto &E : ByKey)
        llvm::sort(E.second);
      return ByKey;
    };
    auto OldWhole = Whole(Old.Decls), NewWhole = Whole(New.Decls);
    // System headers are not the user's edit; what changes there (a
    // template used for the first time) shows in the code compared below.
    // A declaration added or removed is reported only in a file that
    // changed: a parse with a preamble records only what the unit's code
    // uses of the preamble's headers, so elsewhere absence says nothing.
    llvm::StringSet<> Changed;
    for (const std::string &F : C.U->ChangedFiles)
      Changed.insert(F);
    llvm::erase_if(D.Changes, [&](const DeclChange &Ch) {
      if (C.C->isSystemFile(Ch.Decl.File))
        return true;
      if ((Ch.Kind == ChangeKind::Added || Ch.Kind == ChangeKind::Removed) &&
          !Changed.count(absolutePath(Ch.Decl.File, C.U->Record.WorkingDir)))
        return true;
      auto O = OldWhole.find(Ch.Decl.Key), N = NewWhole.find(Ch.Decl.Key);
      return O != OldWhole.end() && N != NewWhole.end() && O->second == N->second;
    });
    const auto &Symbols = C.C->symbols();
    for (const DeclChange &Ch : D.Changes) {
      const DeclRecord &R = Ch.Decl;
      llvm::json::Object J{{"key", R.Key},   {"kind", R.Kind},
                           {"name", R.Name}, {"file", R.File},
                           {"line", R.Line}, {"change", changeKindName(Ch.Kind)}};
      std::vector<std::string> Syms;
      if (auto It = Symbols.find(R.Key); It != Symbols.end())
        Syms = It->second;
      J["symbols"] = llvm::json::Array(Syms);
      std::string Verdict = "patch", Reason;
      switch (Ch.Kind) {
      case ChangeKind::Layout: {
        Verdict = "refuse";
        // What changed in it, when the fields say: "2 fields added".
        unsigned Added = 0, Removed = 0, Retyped = 0;
        std::string Prefix = R.Name + "::";
        for (const DeclChange &F : D.Changes)
          if (F.Decl.Class == DeclClass::Field && llvm::StringRef(F.Decl.Name).starts_with(Prefix))
            (F.Kind == ChangeKind::Added     ? Added
             : F.Kind == ChangeKind::Removed ? Removed
                                             : Retyped)++;
        std::vector<std::string> Parts;
        auto Count = [&](unsigned N, const char *What) {
          if (N)
            Parts.push_back(std::to_string(N) + (N == 1 ? " field " : " fields ") + What);
        };
        Count(Added, "added");
        Count(Removed, "removed");
        Count(Retyped, "changed");
        Reason = "layout of " + R.Kind + " " + R.Name + " changed" +
                 (Parts.empty() ? std::string(" (size, alignment or member offsets)")
                                : ": " + llvm::join(Parts, ", ")) +
                 "; objects that exist have the old layout";
        break;
      }
      case ChangeKind::Signature:
        if (R.Class == DeclClass::Variable || R.Class == DeclClass::Field) {
          Verdict = "refuse";
          Reason = "type of " + R.Kind + " " + R.Name + " changed";
        } else if (R.Class == DeclClass::Function) {
          std::vector<std::string> Outside = outsideCallers(C, Syms);
          if (!Outside.empty()) {
            Verdict = "refuse";
            Reason = "signature of " + R.Name + " changed and it has callers outside the patch (" +
                     llvm::join(Outside, ", ") + ")";
          }
        }
        break;
      case ChangeKind::Value:
        if (R.Class == DeclClass::Variable) {
          Verdict = "warn";
          Reason = "initial value of " + R.Name +
                   " changed: the running program keeps its current value";
        }
        break;
      default:
        break;
      }
      J["verdict"] = Verdict;
      if (!Reason.empty()) {
        J["reason"] = Reason;
        (Verdict == "refuse" ? Refusals : Warnings).push_back(Reason);
      }
      DeclsJson.push_back(std::move(J));
    }
  }

  /// Functions outside the patch that call one of Symbols: in this unit's
  /// code that stays, or in the program's other objects.
  std::vector<std::string> outsideCallers(const Compiled &C, llvm::ArrayRef<std::string> Symbols) {
    std::vector<std::string> Out;
    auto Scan = [&](const ObjectCode &Code, llvm::function_ref<bool(llvm::StringRef)> Stays) {
      for (const auto &E : Code.Symbols) {
        if (!E.getValue().Function || !Stays(E.getKey()))
          continue;
        for (const std::string &S : Symbols)
          if (llvm::is_contained(E.getValue().Refs, S) && !llvm::is_contained(Out, E.getKey().str()))
            Out.push_back(E.getKey().str());
      }
    };
    Scan(C.Old, [&](llvm::StringRef F) { return !C.Opts.Changed.count(F) && !llvm::is_contained(Symbols, F.str()); });
    for (const Unit &U : Units) {
      if (&U == C.U || llvm::any_of(Changed, [&](const Unit *X) { return X == &U; }))
        continue;
      auto Bytes = Cache->get(U.Code);
      if (!Bytes) {
        llvm::consumeError(Bytes.takeError());
        continue;
      }
      auto Code = readObjectCode(*Bytes, U.ObjectPath);
      if (!Code) {
        llvm::consumeError(Code.takeError());
        continue;
      }
      Scan(*Code, [](llvm::StringRef) { return true; });
    }
    return Out;
  }

  // --- compile, link, apply ----------------------------------------------

  bool buildAndApply() {
    PatchId = newPatchId();
    std::string Base = patchBase(Status, PatchId);
    auto T = Clock::now();
    // One module for the whole patch.
    std::vector<std::string> Objects;
    unsigned Counter = 0;
    std::vector<std::pair<std::string, uint64_t>> Bindings;
    std::vector<PatchEdit::Function> Functions;
    for (Compiled &C : Units2) {
      std::unique_ptr<llvm::Module> M = llvm::CloneModule(*C.C->module());
      C.Opts.Tag = "p" + std::to_string(Status.Patches.size() + 1);
      PatchEdit E = cutPatchModule(*M, Image, C.Opts, Counter);
      for (std::string &R : E.Refusals)
        Refusals.push_back(C.U->ObjectPath + ": " + R);
      for (std::string &V : E.NewVariables)
        NewVariables.push_back(V);
      if (!E.Refusals.empty())
        continue;
      auto Obj = C.C->patchObject(*M);
      if (!Obj)
        return error(Obj.takeError());
      std::string ObjPath = Base + "." + std::to_string(Objects.size()) + ".o";
      if (llvm::Error Err = writePrivateFile(ObjPath, *Obj))
        return error(std::move(Err));
      Objects.push_back(ObjPath);
      Bindings.insert(Bindings.end(), E.Bindings.begin(), E.Bindings.end());
      Functions.insert(Functions.end(), E.Functions.begin(), E.Functions.end());
    }
    if (!Refusals.empty()) {
      Report.Exit = ReloadExit::Refused;
      Report.Summary = "refused: " + llvm::join(Refusals, "; ");
      Verdict = "refuse";
      removeFiles(Objects);
      return false;
    }
    Times["compile"] = msSince(T);

    T = Clock::now();
    std::string Script = Base + ".ld";
    std::string ScriptText;
    for (auto &[Name, Address] : Bindings)
      ScriptText += Name + " = 0x" + llvm::utohexstr(Address, true) + ";\n";
    if (llvm::Error Err = writePrivateFile(Script, ScriptText)) {
      removeFiles(Objects);
      return error(std::move(Err));
    }
    std::string So = Base + ".so";
    Objects.push_back(Script);
    llvm::Error Linked = linkPatch(Objects, So);
    removeFiles(Objects);
    if (Linked)
      return error(std::move(Linked));
    llvm::sys::fs::setPermissions(So, llvm::sys::fs::owner_read | llvm::sys::fs::owner_write);
    Times["link"] = msSince(T);

    // Record the patch before it is applied: once it is in the stack, the
    // next reload needs it.
    llvm::json::Object Units;
    for (Compiled &C : Units2) {
      auto Key = Cache->put(C.NewObject);
      if (!Key)
        return error(Key.takeError());
      ReloadUnit R = C.U->Record;
      R.Object = *Key;
      std::vector<std::string> Inputs;
      for (const std::string &F : C.C->inputFiles())
        Inputs.push_back(absolutePath(F, R.WorkingDir));
      // A file saved while it compiled: the next reload compiles it again.
      auto Stamps = stampFiles(Inputs, C.StartNs);
      if (!Stamps)
        return error(Stamps.takeError());
      R.Files = std::move(*Stamps);
      R.Decls = serializeRecords(C.C->records());
      if (llvm::Error Err = DB->putReloadUnit(R))
        return error(std::move(Err));
      Units[C.U->ObjectPath] = Key->toHex();
    }
    llvm::json::Array Offsets;
    for (const PatchEdit::Function &F : Functions)
      Offsets.push_back(int64_t(F.Offset));
    llvm::json::Object Record{{"id", PatchId},
                              {"build_id", Status.BuildId},
                              {"parent", Status.Patches.empty() ? "none" : Status.Patches.back()},
                              {"units", std::move(Units)},
                              {"offsets", std::move(Offsets)}};
    std::string RecordText;
    llvm::raw_string_ostream(RecordText) << llvm::json::Value(std::move(Record));
    if (llvm::Error Err = writePrivateFile(Base + ".json", RecordText))
      return error(std::move(Err));

    T = Clock::now();
    auto Bytes = llvm::MemoryBuffer::getFile(So, false, false);
    if (!Bytes)
      return error(llvm::createFileError(So, Bytes.getError()));
    std::string Request = "apply\nid " + PatchId + "\nbuild-id " + Status.BuildId + "\nparent " +
                          (Status.Patches.empty() ? "none" : Status.Patches.back()) + "\nfile " +
                          So + "\nsha256 " + sha256Hex((*Bytes)->getBuffer()) + "\n";
    for (const PatchEdit::Function &F : Functions) {
      auto It = EntryState.find(F.Offset);
      Request += "func 0x" + llvm::utohexstr(F.Offset, true) + " " + F.NewSymbol + " " +
                 (It == EntryState.end() ? std::string("original") : It->second) + "\n";
    }
    Request += "end\n";
    // Not in the process's stack: the next reload must not see it.
    auto Discard = [&] { removeFiles({So, Base + ".json"}); };
    if (Functions.empty()) {
      Discard();
      Report.Summary = "nothing to redirect: the edit changed no function the program runs";
      Verdict = "patch";
      return true;
    }
    auto Reply = sendRequest(Req.Socket, Request);
    Times["apply"] = msSince(T);
    if (!Reply) {
      Discard();
      return error(Reply.takeError());
    }
    if (Reply->getBoolean("ok") != true) {
      Discard();
      auto Msg = Reply->getString("error");
      return error("the process refused the patch: " + (Msg ? Msg->str() : std::string("?")));
    }
    Report.Summary = "applied patch " + PatchId + ": " + std::to_string(Functions.size()) +
                     " function(s) redirected";
    return true;
  }

  static void removeFiles(const std::vector<std::string> &Files) {
    for (const std::string &F : Files)
      llvm::sys::fs::remove(F);
  }

  void finish(Clock::time_point Start) {
    Times["total"] = msSince(Start);
    // Each unit's functions: two units may each have an internal function
    // of one name.
    for (Compiled &C : Units2)
      for (const auto &E : C.Why) {
        llvm::json::Object F{{"symbol", E.getKey().str()},
                             {"why", E.getValue()},
                             {"object", C.U->ObjectPath}};
        ImageSymbol S;
        bool Local = C.New.Symbols.count(E.getKey()) && C.New.Symbols.lookup(E.getKey()).Local;
        if (Image.lookup(E.getKey(), Local ? llvm::StringRef(C.Opts.FileName) : "", S) ==
                ProgramImage::Found::Yes &&
            S.InExecutable)
          F["offset"] = "0x" + llvm::utohexstr(S.Offset, true);
        else
          F["offset"] = nullptr;
        FunctionsJson.push_back(std::move(F));
      }
    llvm::json::Array UnitsJson;
    for (const Unit &U : Units)
      if (!U.ChangedFiles.empty())
        UnitsJson.push_back(llvm::json::Object{{"object", U.ObjectPath},
                                               {"code", U.Code.toHex()},
                                               {"changed_files", llvm::json::Array(U.ChangedFiles)}});
    llvm::json::Object Delta{
        {"format", "hotast-delta"},
        {"version", 1},
        {"id", PatchId.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(PatchId)},
        {"created", isoNow()},
        {"base", llvm::json::Object{{"build_id", Status.BuildId},
                                    {"pid", int64_t(Status.Pid)},
                                    {"patch", Status.Patches.empty()
                                                  ? llvm::json::Value(nullptr)
                                                  : llvm::json::Value(Status.Patches.back())}}},
        {"units", std::move(UnitsJson)},
        {"decls", std::move(DeclsJson)},
        {"functions", std::move(FunctionsJson)},
        {"new_variables", llvm::json::Array(NewVariables)},
        {"verdict", Verdict.empty() ? "error" : Verdict},
        {"refusals", llvm::json::Array(Refusals)},
        {"warnings", llvm::json::Array(Warnings)}};
    std::string Canonical;
    llvm::raw_string_ostream(Canonical) << llvm::json::Value(llvm::json::Object(Delta));
    Delta["hash"] = "sha256:" + sha256Hex(Canonical);
    llvm::json::Object Phases;
    for (auto &[Name, Ms] : Times)
      Phases[Name] = std::round(Ms * 100) / 100;
    Report.Json = llvm::json::Object{
        {"result", Report.Exit == ReloadExit::Applied  ? (Verdict == "nothing" ? "nothing" : Req.DryRun ? "dry-run" : "applied")
                   : Report.Exit == ReloadExit::Refused ? "refused"
                                                        : "error"},
        {"message", Report.Summary},
        {"delta", std::move(Delta)},
        {"times_ms", std::move(Phases)},
        {"preambles", llvm::json::Array(PreambleStates)}};
    if (!Report.Diagnostics.empty())
      Report.Json["diagnostics"] = Report.Diagnostics;
  }

  const ReloadRequest &Req;
  ReloadReport Report;
  RuntimeStatus Status;
  std::unique_ptr<Store> DB;
  std::optional<ObjectCache> Cache;
  LinkRecord LinkRec;
  ProgramImage Image;
  std::map<uint64_t, std::string> EntryState;
  std::vector<Unit> Units;
  std::vector<Unit *> Changed;
  std::vector<Compiled> Units2;
  std::vector<std::string> Refusals, Warnings, NewVariables;
  llvm::json::Array DeclsJson, FunctionsJson;
  std::map<std::string, double> Times;
  std::string PatchId, Verdict;
  std::vector<std::string> PreambleStates;
};

} // namespace

ReloadReport reload(const ReloadRequest &R) { return Reloader(R).run(); }

llvm::Expected<std::vector<std::string>> programFiles(const ReloadRequest &R) {
  return Reloader(R).files();
}

llvm::Expected<std::vector<UnitCommand>> programUnits(const ReloadRequest &R) {
  return Reloader(R).units();
}

void precompilePreambles(const ReloadRequest &R, llvm::ArrayRef<UnitCommand> Units) {
  llvm::SmallString<256> Preambles(R.CacheDir);
  llvm::sys::path::append(Preambles, "preambles");
  for (const UnitCommand &U : Units)
    llvm::consumeError(precompilePreamble(U.Argv, U.WorkingDir, Preambles));
}

void prepareNextReload(const ReloadRequest &R, const ReloadReport &Report) {
  precompilePreambles(R, Report.PreamblesToBuild);
}

ReloadReport undoPatch(const ReloadRequest &R) {
  ReloadReport Out;
  auto Reply = sendRequest(R.Socket, "undo\n");
  if (!Reply) {
    Out.Summary = "error: " + llvm::toString(Reply.takeError());
    Out.Json = llvm::json::Object{{"result", "error"}, {"message", Out.Summary}};
    return Out;
  }
  if (Reply->getBoolean("ok") == true) {
    Out.Exit = ReloadExit::Applied;
    auto Id = Reply->getString("undone");
    Out.Summary = "undid patch " + (Id ? Id->str() : std::string("?"));
    Out.Json = llvm::json::Object{{"result", "undone"}, {"message", Out.Summary},
                                  {"undone", Id ? Id->str() : ""}};
    return Out;
  }
  auto Msg = Reply->getString("error");
  Out.Exit = ReloadExit::Refused;
  Out.Summary = "refused: " + (Msg ? Msg->str() : std::string("?"));
  Out.Json = llvm::json::Object{{"result", "refused"}, {"message", Out.Summary}};
  return Out;
}

} // namespace hotast
