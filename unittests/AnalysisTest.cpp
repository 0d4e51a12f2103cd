// Hashing rules checked on in-memory sources, both sides: what must hash
// equal and what must differ.
#include "hotast/Analysis/Analyzer.h"
#include "hotast/Analysis/Fingerprint.h"

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <set>

using namespace hotast;

namespace {

TUAnalysis analyze(llvm::StringRef Code, std::vector<std::string> Args = {"-std=c++20"},
                   bool Debug = false) {
  std::unique_ptr<clang::ASTUnit> AST =
      clang::tooling::buildASTFromCodeWithArgs(Code, Args, "input.cpp");
  EXPECT_TRUE(AST);
  EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
  AnalysisOptions Opts;
  Opts.DebugInfo = Debug;
  return analyzeTranslationUnit(AST->getASTContext(), Opts);
}

const DeclRecord *find(const TUAnalysis &TU, llvm::StringRef Name) {
  for (const DeclRecord &R : TU.Decls)
    if (R.Name == Name)
      return &R;
  ADD_FAILURE() << "no declaration named " << Name.str();
  return nullptr;
}

TEST(AnalysisTest, RedeclarationsAreOneEntity) {
  TUAnalysis TU = analyze("int f(int); int f(int x) { return x; } int f(int);");
  ASSERT_EQ(TU.Decls.size(), 1u);
  EXPECT_EQ(TU.Decls[0].Kind, "function");
}

TEST(AnalysisTest, ForwardDeclarationChangesNothing) {
  auto A = analyze("int f(int x) { return x; }");
  auto B = analyze("int f(int); int f(int x) { return x; }");
  EXPECT_EQ(find(A, "f")->Full, find(B, "f")->Full);
}

TEST(AnalysisTest, KeysOfUnnamedEntitiesDoNotDependOnOffsets) {
  auto A = analyze("struct { int q; } v;");
  auto B = analyze("\n\n  struct { int q; } v;");
  ASSERT_EQ(A.Decls.size(), B.Decls.size());
  for (size_t I = 0; I != A.Decls.size(); ++I) {
    EXPECT_EQ(A.Decls[I].Key, B.Decls[I].Key);
    EXPECT_EQ(A.Decls[I].Full, B.Decls[I].Full) << A.Decls[I].Name;
  }
}

// static_assert and file-scope asm have no name: their keys are their
// parent's, their kind and their ordinal (docs/hashing.md), not the byte
// offsets a USR would embed. Two of a kind get two keys; a line above
// changes neither key nor hash; a changed message is a changed declaration.
TEST(AnalysisTest, KeysOfStaticAssertsAndAsmDoNotDependOnOffsets) {
  const char *Code = "static_assert(sizeof(int) == 4, \"int\");\n"
                     "static_assert(sizeof(char) == 1, \"char\");\n"
                     "asm(\".globl hotast_a\");\n"
                     "asm(\".globl hotast_b\");\n";
  auto A = analyze(Code);
  auto B = analyze(std::string("\n\n   ") + Code);
  std::set<std::string> Keys;
  size_t Asserts = 0, Asms = 0;
  ASSERT_EQ(A.Decls.size(), B.Decls.size());
  for (size_t I = 0; I != A.Decls.size(); ++I) {
    EXPECT_EQ(A.Decls[I].Key, B.Decls[I].Key);
    EXPECT_EQ(A.Decls[I].Full, B.Decls[I].Full) << A.Decls[I].Key;
    EXPECT_TRUE(Keys.insert(A.Decls[I].Key).second) << "duplicate key " << A.Decls[I].Key;
    Asserts += A.Decls[I].Kind == "static_assert";
    Asms += A.Decls[I].Kind == "asm";
  }
  EXPECT_EQ(Asserts, 2u);
  EXPECT_EQ(Asms, 2u);
  std::string Edited = Code;
  Edited.replace(Edited.find("\"int\""), 5, "\"INT\"");
  auto C = analyze(Edited);
  ASSERT_EQ(A.Decls.size(), C.Decls.size());
  EXPECT_NE(A.Decls[0].Full, C.Decls[0].Full);
  EXPECT_EQ(A.Decls[1].Full, C.Decls[1].Full);
}

TEST(AnalysisTest, SpecializationsForLambdasDoNotDependOnOffsets) {
  // std::any_of's specialization for a lambda names it by a USR that holds
  // its file offset: spaces added above g moved g's hash, which names the
  // specialization it calls (found by utils/difftest's whitespace mutator).
  const char *Before = "#include <algorithm>\n#include <string>\n"
                       "int f() {\n  return 1;\n}\n";
  const char *After = "#include <algorithm>\n#include <string>\n"
                      "int f() {\n    return 1;\n}\n";
  const char *G = "bool g(const std::string &s) {\n"
                  "  return std::any_of(s.begin(), s.end(), [](char c) { return c == '?'; });\n"
                  "}\n";
  auto A = analyze(std::string(Before) + G);
  auto B = analyze(std::string(After) + G);
  ASSERT_TRUE(find(A, "g") && find(B, "g"));
  EXPECT_EQ(find(A, "g")->Full, find(B, "g")->Full);
  // Another lambda is another specialization.
  std::string Other = G;
  Other.replace(Other.find("'?'"), 3, "'*'");
  EXPECT_NE(find(A, "g")->Full, find(analyze(std::string(Before) + Other), "g")->Full);
}

TEST(AnalysisTest, SiblingAnonymousUnionsGetDistinctKeys) {
  auto TU = analyze("struct S { union { int a; }; union { int b; }; };");
  std::set<std::string> Keys;
  for (const DeclRecord &R : TU.Decls)
    EXPECT_TRUE(Keys.insert(R.Key).second) << "duplicate key " << R.Key;
}

TEST(AnalysisTest, SignatureAndFullSplit) {
  auto A = analyze("int f(int x) { return x + 1; }");
  auto Body = analyze("int f(int x) { return x + 2; }");
  auto Sig = analyze("long f(int x) { return x + 1; }");
  EXPECT_EQ(find(A, "f")->Sig, find(Body, "f")->Sig);
  EXPECT_NE(find(A, "f")->Full, find(Body, "f")->Full);
  EXPECT_NE(find(A, "f")->Sig, find(Sig, "f")->Sig);
}

TEST(AnalysisTest, LocalNamesCountOnlyWithDebugInfo) {
  const char *Old = "int f(int a) { int b = a; return b; }";
  const char *New = "int f(int z) { int y = z; return y; }";
  EXPECT_EQ(find(analyze(Old), "f")->Full, find(analyze(New), "f")->Full);
  EXPECT_NE(find(analyze(Old, {"-std=c++20"}, true), "f")->Full,
            find(analyze(New, {"-std=c++20"}, true), "f")->Full);
}

TEST(AnalysisTest, SubclassesReachTheirBaseClassMethod) {
  // Casts, calls, temporaries, conditionals and case labels are hashed by
  // their base class's visitor method (VisitCastExpr, VisitCallExpr, ...).
  // Had one fallen to the printed form, which names the locals, renaming
  // them (L(n): every local's name) would change the hash.
  const char *Code = R"(
    struct B { virtual ~B(); };
    struct D : B {};
    struct S { S(int); int m() const; S operator+(const S &) const; };
    unsigned long long operator""_u(unsigned long long);
    int f(int L(a), B *L(b)) {
      long L(c) = (long)L(a) + static_cast<long>(L(a)) + long(L(a)) +
                  reinterpret_cast<long>(L(b)) + __builtin_bit_cast(int, L(a)) + 7_u;
      const int &L(r) = L(a);
      int &L(w) = const_cast<int &>(L(r));
      D *L(d) = dynamic_cast<D *>(L(b));
      S L(s) = S(L(a)) + S{L(a)};
      L(c) += L(a) ?: L(w);
      switch (L(a)) { case 1: return L(s).m(); default: break; }
      return L(d) ? L(w) : int(L(c));
    })";
  auto Before = analyze(Code, {"-std=c++20", "-DL(n)=n##_before"});
  auto After = analyze(Code, {"-std=c++20", "-DL(n)=n##_after"});
  EXPECT_EQ(find(Before, "f")->Full, find(After, "f")->Full);
}

TEST(AnalysisTest, ReferencesAreRecorded) {
  auto TU = analyze("int g(int v = 3); int f() { return g(); }");
  const DeclRecord *F = find(TU, "f");
  ASSERT_EQ(F->Refs.size(), 1u);
  EXPECT_EQ(F->Refs[0], find(TU, "g")->Key);
}

TEST(AnalysisTest, HashesAreDeterministicAcrossParses) {
  const char *Code = "template <class T> struct X { T t; int g() { return sizeof(T); } };"
                     "int h() { X<long> x; return x.g(); }";
  auto A = analyze(Code), B = analyze(Code);
  ASSERT_EQ(A.Decls.size(), B.Decls.size());
  for (size_t I = 0; I != A.Decls.size(); ++I) {
    EXPECT_EQ(A.Decls[I].Key, B.Decls[I].Key);
    EXPECT_EQ(A.Decls[I].Full, B.Decls[I].Full);
  }
}

/// The fingerprint of a unit that includes "h.h" (Header) and then holds Code.
Hash128 fingerprint(llvm::StringRef Header, llvm::StringRef Code, bool Debug = false) {
  std::unique_ptr<clang::ASTUnit> AST = clang::tooling::buildASTFromCodeWithArgs(
      ("#include \"h.h\"\n" + Code).str(), {"-std=c++20"}, "input.cpp", "clang-tool",
      std::make_shared<clang::PCHContainerOperations>(),
      clang::tooling::getClangStripDependencyFileAdjuster(), {{"h.h", Header.str()}});
  EXPECT_TRUE(AST);
  EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred());
  FingerprintOptions Opts;
  Opts.DebugInfo = Debug;
  return computeFingerprint(AST->getASTContext(), Opts).Value;
}

// A member function or member class that only a lookup of its name reaches
// counts for a unit when its code may look that name up, resolved (then the
// member is in the closure itself) or left to the instantiation (a dependent
// name): docs/hashing.md, "Optional members".
TEST(AnalysisTest, MembersOnlyALookupReachesCountWhereTheirNameIsLookedUp) {
  auto Header = [](llvm::StringRef Members) {
    return ("struct Foo { int x; int area() const { return x; } " + Members + " };\n" +
            "template <class T> int twice(const T &t) { return t.x * 2; }\n"
            "template <class T> int measure(const T &t) { return t.area(); }\n"
            "struct Base { virtual ~Base(); };\n"
            "struct Shape : Base { int side; };\n")
        .str();
  };
  const std::string Use = "int use(const Foo &f, Shape &s) { Shape c = s; return f.area() + twice(f) + c.side; }";
  const std::string Measure = "int use(const Foo &f) { return measure(f); }";
  const std::string Overload = "struct Tag {}; int area(Tag) const { return 1; }";
  const Hash128 Before = fingerprint(Header(""), Use);
  // Nothing looks `area` up but resolved code: the same fingerprint, while
  // the class itself changed (hotast diff reports it).
  EXPECT_EQ(Before, fingerprint(Header(Overload), Use));
  EXPECT_NE(find(analyze(Header("")), "Foo")->Full, find(analyze(Header(Overload)), "Foo")->Full);
  // measure<T> looks `area` up when instantiated: the overload counts.
  EXPECT_NE(fingerprint(Header(""), Measure), fingerprint(Header(Overload), Measure));
  // Virtual functions (the vtable), special members and operators always count.
  EXPECT_NE(fingerprint(Header("virtual int more() const { return 2; }"), Use), Before);
  EXPECT_NE(fingerprint(Header("Foo() = default; Foo(int) {}"), Use), Before);
  EXPECT_NE(fingerprint(Header("int operator*() const { return x; }"), Use), Before);
  // So does a name the compiler looks up by itself (a range-based for's).
  EXPECT_NE(fingerprint(Header("int *begin() const { return nullptr; }"), Use), Before);
  // With debug info every member is described.
  EXPECT_NE(fingerprint(Header(""), Use, /*Debug=*/true),
            fingerprint(Header(Overload), Use, /*Debug=*/true));
}

} // namespace
