//===- PlanPredict.cpp - What plan compares with, and --predict -----------===//
//
// The baselines (the last build, FILES, --since REV), the look at each
// compile before anything is parsed (inspect), and --predict's answers from
// the store's records (answerFromRecords). docs/plan.md.
//
//===----------------------------------------------------------------------===//

#include "PlanInternal.h"

#include "hotast/Args/CompileCommand.h"
#include "hotast/Support/FileStamp.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <set>

namespace hotast {
namespace plan {

llvm::Error Baseline::setUp() {
  llvm::SmallString<128> Dir;
  if (std::error_code EC = llvm::sys::fs::createUniqueDirectory("hotast-plan", Dir))
    return llvm::createFileError(Dir, EC);
  TempDir = std::string(Dir);
  return llvm::Error::success();
}

Baseline::~Baseline() {
  if (!TempDir.empty())
    llvm::sys::fs::remove_directories(TempDir);
}

/// The files of Since at revision Rev of the git repository that holds
/// Dir (the sources).
llvm::Error Baseline::fromGit(llvm::StringRef Dir, llvm::StringRef Rev) {
  K = Kind::Since;
  auto Top = capture({"git", "-C", Dir.str(), "rev-parse", "--show-toplevel"});
  if (!Top)
    return planError("--since needs a git repository: " + llvm::toString(Top.takeError()));
  std::string Root = llvm::StringRef(*Top).trim().str();
  auto Verified = capture({"git", "-C", Root, "rev-parse", "--verify", "--quiet",
                           Rev.str() + "^{commit}"});
  if (!Verified)
    return planError("--since " + Rev + ": not a revision of " + Root);
  auto Names = capture({"git", "-C", Root, "diff", "--name-only", "-z", Rev.str(), "--"});
  if (!Names)
    return Names.takeError();
  llvm::SmallVector<llvm::StringRef, 0> List;
  llvm::StringRef(*Names).split(List, '\0', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef Name : List) {
    std::string Holder;
    if (auto Text = capture({"git", "-C", Root, "show", Rev.str() + ":" + Name.str()})) {
      Holder = TempDir + "/since-" + std::to_string(SinceContents.size());
      if (llvm::Error E = writeFileAtomically(Holder, *Text))
        return E;
    } else {
      llvm::consumeError(Text.takeError()); // new since Rev
    }
    SinceContents[realPath(Root, Name)] = Holder;
  }
  return llvm::Error::success();
}

std::string Baseline::keptContents(ObjectCache &Objects, const FileStamp &Stamp) {
  std::string Hex = Stamp.Content.toHex();
  auto [It, New] = Kept.try_emplace(Hex);
  if (New) {
    auto Text = Objects.get(Stamp.Content);
    if (!Text) {
      llvm::consumeError(Text.takeError());
    } else {
      std::string Path = TempDir + "/kept-" + Hex;
      if (llvm::Error E = writeFileAtomically(Path, *Text))
        llvm::consumeError(std::move(E));
      else
        It->second = Path;
    }
  }
  return It->second;
}

const std::string &Baseline::realPath(llvm::StringRef Dir, llvm::StringRef Path) {
  // By (Dir, Path) as given: asked for every file of every compile, a
  // lookup builds no absolute path.
  llvm::SmallString<256> Key(Dir);
  Key.push_back('\0');
  Key += Path;
  auto [It, New] = RealPaths.try_emplace(Key);
  if (New) {
    It->second = resolve(absoluteIn(Dir, Path));
    Resolved.insert(It->second);
  }
  return It->second;
}

std::string Baseline::resolve(llvm::StringRef Abs) {
  // Most files of a build share a few directories: each directory is
  // resolved once, and only a file that is itself a symbolic link in full.
  llvm::StringRef Parent = llvm::sys::path::parent_path(Abs);
  llvm::StringRef Name = llvm::sys::path::filename(Abs);
  llvm::sys::fs::file_status Status;
  if (Parent.empty() || Name == "." || Name == ".." || Name == "/" ||
      llvm::sys::fs::status(Abs, Status, /*Follow=*/false) ||
      llvm::sys::fs::is_symlink_file(Status))
    return plan::realPath(".", Abs);
  auto [Dir, New] = RealDirs.try_emplace(Parent);
  if (New)
    Dir->second = plan::realPath(".", Parent);
  llvm::SmallString<256> Real(Dir->second);
  llvm::sys::path::append(Real, Name);
  return std::string(Real);
}

bool Baseline::matches(const FileStamp &F) {
  MatchKey.reset();
  MatchKey.add(F.Path).add(F.Size).addSigned(F.MTimeNs).add(F.Content);
  auto [It, New] = Matches.try_emplace(MatchKey.final(), false);
  if (New)
    It->second = stampMatches(F);
  return It->second;
}

llvm::Error Baseline::startOutputs(Store &S, std::vector<std::string> Paths) {
  auto Kept = S.fileStamps(Paths);
  if (!Kept)
    return Kept.takeError();
  for (const std::string &Path : Paths)
    Outputs[Path];
  // The thread touches Outputs' values, NewOutputStamps and OutputsRead
  // only, until outputContent waits for it; the paths are absolute (the
  // working directory changes meanwhile).
  OutputsDone = std::async(std::launch::async, [this, Kept = std::move(*Kept)] {
    llvm::StringMap<const FileStamp *> Stamps;
    for (const FileStamp &F : Kept)
      Stamps[F.Path] = &F;
    // (A structured binding of a StringMap entry copies its value.)
    for (auto &Entry : Outputs) {
      llvm::StringRef Path = Entry.getKey();
      std::optional<Hash128> &Content = Entry.getValue();
      if (auto It = Stamps.find(Path); It != Stamps.end() && stampMatchesByTime(*It->second)) {
        Content = It->second->Content;
        continue;
      }
      ++OutputsRead;
      auto Now = stampFiles({Path.str()});
      if (!Now) {
        llvm::consumeError(Now.takeError());
        continue;
      }
      const FileStamp &F = Now->front();
      Content = F.Content;
      if (F.MTimeNs != 0)
        NewOutputStamps.push_back(F);
    }
  });
  return llvm::Error::success();
}

std::optional<Hash128> Baseline::outputContent(const std::string &Abs) {
  waitOutputs();
  auto It = Outputs.find(Abs);
  return It == Outputs.end() ? std::nullopt : It->second;
}

llvm::Expected<UnitCommand> unitCommand(const Config &C, const BuildCompile &BC,
                                        llvm::StringRef Cwd, Baseline &B,
                                        const std::map<Hash128, Store::UnitHead> &Heads) {
  UnitCommand U;
  U.Expanded = expandResponseFiles(BC.Argv);
  U.Cl = classifyCommandLine(U.Expanded);
  if (!U.Cl.Cacheable)
    return U;
  auto FromSnapshot = [&](const Hash128 &Unit) -> std::optional<Hash128> {
    auto Head = Heads.find(Unit);
    if (Head == Heads.end())
      return std::nullopt;
    std::string Source = absoluteIn(BC.Directory, U.Cl.Command.Source);
    for (const FileStamp &F : Head->second.Snapshot.Files)
      if (absoluteIn(BC.Directory, F.Path) == Source)
        return B.matches(F) ? std::optional<Hash128>(F.Content) : std::nullopt;
    return std::nullopt;
  };
  B.Keys.Cwd = Cwd.str();
  auto Keys = compileKeys(U.Cl.Command, C.BaseDir, FromSnapshot, &B.Keys);
  if (!Keys)
    return Keys.takeError();
  U.Keys = std::move(*Keys);
  return U;
}

llvm::Expected<Inspection> inspect(const UnitCommand &U, const BuildCompile &BC, Store &S,
                                   ObjectCache &Objects, Baseline &B,
                                   const std::map<Hash128, Store::UnitHead> &Heads) {
  Inspection In;
  const Classification &Cl = U.Cl;
  if (!Cl.Cacheable) {
    In.Decided = decided(UnitPlan::Verdict::Recompile, "compile",
                         "not cached by hotast (" + Cl.Reason + "): the compiler runs");
    return In;
  }
  const CompileKeys *Keys = &*U.Keys;
  In.Unit = Keys->Unit;
  // Direct mode first, as the wrapper: when the files of an earlier compile
  // of these bytes are as they were (an edit undone, or a compile served
  // from another unit's), its object is the answer; so it is when they
  // changed by comment lines only.
  std::optional<Hash128> Current = B.outputContent(absoluteIn(BC.Directory, Cl.Command.Output));
  if (B.K != Baseline::Kind::Since) {
    llvm::StringRef Cwd = Keys->Cwd;
    auto Direct = directVerdict(S, Objects, Keys->Direct, Current, Cwd,
                                [&](const FileStamp &F) { return B.matches(F); });
    if (!Direct)
      return Direct.takeError();
    if (*Direct) {
      In.Decided = std::move(*Direct);
      return In;
    }
    auto Comments = commentVerdict(S, Objects, *Keys, Cl.Command, Current, Cwd, U.Expanded,
                                   B.Code, [&](const FileStamp &F) { return B.matches(F); });
    if (!Comments)
      return Comments.takeError();
    if (*Comments) {
      In.Decided = std::move(*Comments);
      return In;
    }
  }
  auto Head = Heads.find(Keys->Unit);
  if (Head == Heads.end() || Head->second.Snapshot.Files.empty()) {
    In.Decided = decided(UnitPlan::Verdict::Unknown, "compile", NoFingerprint);
    return In;
  }
  const UnitSnapshot &Snap = Head->second.Snapshot;
  // The snapshot is of the unit's last compile through the wrapper's
  // parse; a direct hit since (an edit undone) leaves it behind. Only when
  // the build's object is that compile's are its files the build's.
  if (!Head->second.Object || Head->second.Object != Current)
    In.Stale = true;
  std::string Main = B.realPath(BC.Directory, BC.Source);
  Hasher Edit;
  for (const FileStamp &F : Snap.Files) {
    const std::string &Real = B.realPath(BC.Directory, F.Path);
    bool InEdit = false, Differs = false;
    std::string Holder;
    if (B.K == Baseline::Kind::Since) {
      auto It = B.SinceContents.find(Real);
      InEdit = Differs = It != B.SinceContents.end();
      if (InEdit)
        Holder = It->second;
    } else {
      Differs = !B.matches(F);
      InEdit = Differs && (B.K == Baseline::Kind::LastBuild || B.Named.contains(Real));
      // A file saved while the build read it has no known contents then
      // (stampFiles): what the build compiled from it is unknowable.
      if (Differs && !savedWhileRead(F))
        Holder = B.keptContents(Objects, F);
    }
    if (!Differs)
      continue;
    if (Holder.empty()) {
      if (InEdit && In.Unknowable.empty())
        In.Unknowable = Real;
      if (!InEdit) // outside the edit and its old contents gone: parsed as it is
        continue;
    }
    (InEdit ? In.Changed : In.Others).emplace_back(Real, Holder);
    if (InEdit) {
      Edit.add(Real).add(F.Content);
      In.MainChanged |= Real == Main;
    }
  }
  In.EditKey = Edit.final();
  if (!In.Changed.empty())
    return In;
  if (B.K != Baseline::Kind::LastBuild) {
    In.Decided = decided(UnitPlan::Verdict::Unchanged, "untouched");
    return In;
  }
  // Nothing it read changed, yet direct mode did not answer (its result
  // left the cache): parsed exactly.
  return In;
}

/// The key's records' hashes, in order: a key changed when they differ as a
/// whole (several records share a key: redeclarations, specializations).
static std::map<std::string, std::vector<Hash128>> hashesByKey(const std::vector<SnapshotDecl> &Decls) {
  std::map<std::string, std::vector<Hash128>> Out;
  for (const SnapshotDecl &D : Decls)
    Out[D.Key].push_back(D.Hash);
  for (auto &[Key, Hashes] : Out)
    llvm::sort(Hashes, [](const Hash128 &A, const Hash128 &B) { return A.toHex() < B.toHex(); });
  return Out;
}

/// --predict: the other units of a group (the same flags, the same edited
/// files), answered from the parsed unit's view of the edit and the store's
/// records of which declarations each unit uses.
llvm::Error answerFromRecords(Store &S, const UnitPlan &Parsed,
                              const std::vector<size_t> &Members,
                              const std::vector<Inspection> &Units,
                              std::vector<std::optional<UnitPlan>> &Plans) {
  auto CannotTell = [&](const std::string &Why) {
    for (size_t I : Members)
      Plans[I] = decided(UnitPlan::Verdict::Recompile, "compile",
                         "the records cannot tell (" + Why + "): counted as recompiled");
  };
  if (!Parsed.Summary || !Parsed.BeforeSummary)
    return CannotTell("the unit parsed for this edit does not compile before or after it"),
           llvm::Error::success();
  const FileSummary &Now = *Parsed.Summary, &Then = *Parsed.BeforeSummary;
  // What a header does besides declaring (macros, conditions, includes)
  // reaches units through their own code: the records do not follow it.
  for (size_t I = 0; I != std::max(Now.Directives.size(), Then.Directives.size()); ++I) {
    if (I < Now.Directives.size() && I < Then.Directives.size() &&
        Now.Directives[I] == Then.Directives[I])
      continue;
    const auto &D = I < Now.Directives.size() ? Now.Directives[I] : Then.Directives[I];
    return CannotTell(D.first + " changed"), llvm::Error::success();
  }
  auto Before = hashesByKey(Then.Decls), After = hashesByKey(Now.Decls);
  std::map<std::string, const SnapshotDecl *> Describe;
  for (const SnapshotDecl &D : Then.Decls)
    Describe.try_emplace(D.Key, &D);
  // A declaration added to a class (or a scoped enumeration) is found
  // through it only, by name ("Shape::d"), and the class changed with it:
  // the units that use the class recompile. Any other new declaration, an
  // unscoped enumerator among them, may be found by a lookup in any unit.
  static const llvm::StringSet<> Scopes = {"struct", "class", "union", "class template",
                                           "partial specialization", "specialization",
                                           "enum"};
  // Each such declaration by the key of its scope: it is added in every unit
  // the scope changed in (as the wrapper's own parse of that unit says).
  std::map<std::string, std::vector<const SnapshotDecl *>> AddedIn;
  auto InChangedScope = [&](const SnapshotDecl &Added) {
    llvm::StringRef Key = Added.Key;
    for (size_t At = Key.rfind('@'); At != llvm::StringRef::npos && At > 0;
         At = Key.rfind('@', At - 1)) {
      auto D = Describe.find(Key.take_front(At).str());
      if (D != Describe.end() && Scopes.contains(D->second->Kind)) {
        if (!llvm::StringRef(Added.Name).starts_with(D->second->Name + "::"))
          return false;
        auto Now = After.find(D->first);
        if (Now != After.end() && Now->second == Before[D->first])
          return false;
        AddedIn[D->first].push_back(&Added);
        return true;
      }
    }
    return false;
  };
  for (const SnapshotDecl &D : Now.Decls)
    if (!Before.count(D.Key) && !InChangedScope(D))
      return CannotTell("added " + D.Kind + " " + D.Name + " (" + D.File + ":" +
                        std::to_string(D.Line) + "): lookups may find it"),
             llvm::Error::success();
  std::vector<std::string> Keys;
  for (auto &[Key, Hashes] : Before)
    Keys.push_back(Key);
  auto Uses = S.unitsUsing(Keys);
  if (!Uses)
    return Uses.takeError();
  std::map<Hash128, std::vector<const DeclUse *>> ByUnit;
  for (const DeclUse &U : *Uses)
    ByUnit[U.TUKey].push_back(&U);
  // A declaration whose tokens in the edited files are as they were means
  // what it meant in every unit: what it refers to is in the unit's records
  // too, and checked there. Where the unit saw it as the parsed unit did,
  // the hashes say more (a change of spelling only).
  auto TextChanged = [&](const std::string &Key) {
    auto Was = Then.Texts.find(Key), Is = Now.Texts.find(Key);
    return Was == Then.Texts.end() || Is == Now.Texts.end() || Was->second != Is->second;
  };
  for (size_t I : Members) {
    UnitPlan P;
    std::set<std::string> Seen;
    auto Note = [&P](const std::string &Change, const SnapshotDecl &D) {
      P.Changes.push_back({Change, D.Key, D.Kind, D.Name, D.File, D.Line});
      if (P.Reasons.size() < 10)
        P.Reasons.push_back(Change + " " + D.Kind + " " + D.Name + " (" + D.File + ":" +
                            std::to_string(D.Line) + ")");
    };
    auto It = ByUnit.find(Units[I].Unit);
    if (It != ByUnit.end())
      for (const DeclUse *U : It->second) {
        auto New = After.find(U->Key);
        bool Changed = llvm::is_contained(Before[U->Key], U->Hash)
                           ? New == After.end() || !llvm::is_contained(New->second, U->Hash)
                           : New == After.end() || TextChanged(U->Key);
        if (!Changed || !Seen.insert(U->Key).second)
          continue;
        Note(New == After.end() ? "removed" : "changed", *Describe[U->Key]);
        if (auto Added = AddedIn.find(U->Key); Added != AddedIn.end())
          for (const SnapshotDecl *A : Added->second)
            if (Seen.insert(A->Key).second)
              Note("added", *A);
      }
    if (P.Changes.size() > P.Reasons.size())
      P.Reasons.push_back("and " + std::to_string(P.Changes.size() - P.Reasons.size()) +
                          " more");
    P.V = P.Changes.empty() ? UnitPlan::Verdict::Unchanged : UnitPlan::Verdict::Recompile;
    P.How = P.Changes.empty() ? "predicted" : "compile";
    Plans[I] = std::move(P);
  }
  return llvm::Error::success();
}

} // namespace plan
} // namespace hotast
