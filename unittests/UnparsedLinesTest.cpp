//===- UnparsedLinesTest.cpp - A first compile's free lines, raw-lexed ----===//

#include "hotast/Compile/LineWords.h"
#include "hotast/Compile/UnparsedLines.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace hotast;

namespace {

using Fixed = std::vector<std::optional<unsigned>>;
constexpr std::nullopt_t All = std::nullopt;

/// fixedLines over files given as (path, text).
Fixed fixed(std::vector<std::pair<std::string, std::string>> Files,
            std::vector<std::string> Args = {}) {
  std::vector<ReadFile> Read;
  for (const auto &[Path, Text] : Files)
    Read.push_back({Path, llvm::StringRef(Text.c_str(), Text.size())});
  return fixedLines(Read, Args);
}

TEST(MacroReachTest, BodiesAndPastesReachALine) {
  MacroReach M;
  M.define("TAKE", {"take", "__LINE__"});
  M.define("CHECK", {"TAKE"});
  M.define("TWICE", {"x"});
  // LOG(ERROR) pastes LOG_ERROR, which the body does not name; FLAG(x)
  // pastes FLAGS_x, and no such name reaches a line.
  M.define("LOG_ERROR", {"report", "__LINE__"});
  M.define("LOG", {"LOG_", "sev"}, {{Paste::Prefix, "LOG_"}});
  M.define("FLAG", {"FLAGS_", "x"}, {{Paste::Prefix, "FLAGS_"}});
  M.define("CAT", {"a", "b"}, {{Paste::Any, ""}});
  // INT_C(1) pastes 1L: a name that ends in L.
  M.define("INT_C", {"v", "L"}, {{Paste::Suffix, "L"}});
  llvm::StringSet<> R = M.reach();
  EXPECT_TRUE(R.contains("TAKE"));
  EXPECT_TRUE(R.contains("CHECK"));
  EXPECT_TRUE(R.contains("LOG"));
  EXPECT_TRUE(R.contains("CAT"));
  EXPECT_FALSE(R.contains("TWICE"));
  EXPECT_FALSE(R.contains("FLAG"));
  EXPECT_FALSE(R.contains("INT_C"));
  // A paste chain: its first operand, else its last, else anything.
  auto Kinds = [](std::vector<BodyToken> Body) {
    std::vector<std::string> Out;
    for (const Paste &P : pastesOf(Body))
      Out.push_back(P.K == Paste::Any ? "any" : (P.K == Paste::Prefix ? "^" : "$") + P.Affix);
    return Out;
  };
  BodyToken Param{"x", true, true, false}, Lit{"L", true, false, false}, Op{"", false, false, true};
  BodyToken Pre{"G_", true, false, false};
  EXPECT_EQ(Kinds({Pre, Op, Param, Op, Lit}), (std::vector<std::string>{"^G_"}));
  EXPECT_EQ(Kinds({Param, Op, Param, Op, Lit}), (std::vector<std::string>{"$L"}));
  EXPECT_EQ(Kinds({Param, Op, Param}), (std::vector<std::string>{"any"}));
}

TEST(LexRawTest, WhatExpandsInPlaceAndWhatProbes) {
  MacroReach M;
  std::vector<std::string> InPlace, Defined;
  std::string Text = "#define A(x, y) B(x) x ## y \\\n  D\n"
                     "// E\n\"F\" G /* H */\n#if I\n#undef J\n#endif\n";
  RawFacts F = lexRaw(
      Text, M, [&](llvm::StringRef W, size_t) { InPlace.push_back(W.str()); },
      [&](llvm::StringRef W) { Defined.push_back(W.str()); });
  // Directive names count as words too (a word too many costs a hit).
  EXPECT_EQ(InPlace, (std::vector<std::string>{"if", "I", "endif", "G"})); // G: at its span's end
  EXPECT_EQ(Defined, (std::vector<std::string>{"A"}));
  // A(x, y) pastes its arguments: any name.
  EXPECT_TRUE(M.reach().contains("A"));
  EXPECT_FALSE(F.ProbesQuoted);
  EXPECT_FALSE(F.CallsLineBuiltin);

  auto Probes = [](std::string T) {
    MacroReach Unused;
    return lexRaw(T, Unused, [](llvm::StringRef, size_t) {}).ProbesQuoted;
  };
  EXPECT_FALSE(Probes("#if __has_include(<any>)\n#endif\n"));
  EXPECT_TRUE(Probes("#if __has_include(\"opt.h\")\n#endif\n"));
  EXPECT_TRUE(Probes("#if __has_include_next(OPT_HEADER)\n#endif\n"));
  EXPECT_TRUE(Probes("#if __has_embed (\"data.bin\")\n#endif\n"));

  MacroReach Unused;
  EXPECT_TRUE(lexRaw("int l = __builtin_LINE();\n", Unused, [](llvm::StringRef, size_t) {})
                  .CallsLineBuiltin);
  EXPECT_FALSE(lexRaw("#if __has_builtin(__builtin_LINE)\n#endif\n", Unused,
                      [](llvm::StringRef, size_t) {})
                   .CallsLineBuiltin);
}

TEST(LexRawTest, SpansEndWithTheInvocationAroundAWord) {
  // Word -> line of its span's end.
  auto Spans = [](std::string Text) {
    MacroReach M;
    std::vector<std::pair<std::string, unsigned>> Out;
    lexRaw(Text, M, [&](llvm::StringRef W, size_t End) {
      Out.push_back({W.str(), unsigned(llvm::StringRef(Text).take_front(End - 1).count('\n') + 1)});
    });
    return Out;
  };
  using V = std::vector<std::pair<std::string, unsigned>>;
  // An invocation over three lines, a word in the arguments of another, a
  // chain of groups, a directive over two lines.
  EXPECT_EQ(Spans("CHECK(a,\n  b)\nint x;\n"),
            (V{{"CHECK", 2}, {"a", 2}, {"b", 2}, {"int", 3}, {"x", 3}}));
  EXPECT_EQ(Spans("WRAP({\n HERE;\n})\n"), (V{{"WRAP", 3}, {"HERE", 3}}));
  EXPECT_EQ(Spans("F(a)\n(b)\n"), (V{{"F", 2}, {"a", 2}, {"b", 2}}));
  EXPECT_EQ(Spans("#if A && \\\n B\n#endif\n"),
            (V{{"if", 2}, {"A", 2}, {"B", 2}, {"endif", 3}}));
}

TEST(UnparsedLinesTest, LinesMayMoveBelowTheLastTakingALine) {
  std::string Log = "#define HERE() where(__LINE__)\n";
  Fixed F = fixed({{"main.cpp", "#include \"log.h\"\nint f() {\n  return HERE(\n  );\n}\n"},
                   {"log.h", Log},
                   {"quiet.h", "inline int g() { return 7; }\n"},
                   {"/usr/include/x.h", "int y = __LINE__;\n"}});
  // The use's file up to the use's end; the definition's and a quiet one's
  // not at all; the installation's never moves.
  EXPECT_EQ(F, (Fixed{4u, 0u, 0u, All}));
  // A digit separator is no character literal that hides the line's rest.
  EXPECT_EQ(fixed({{"main.cpp", "\nint f() { return 1'000 + HERE(); }\n"}, {"log.h", Log}}),
            (Fixed{2u, 0u}));
  // A definition from the command line.
  EXPECT_EQ(fixed({{"main.cpp", "\nint f() { return HERE; }\n"}}, {"-DHERE=__LINE__"}),
            Fixed{2u});
  EXPECT_EQ(fixed({{"main.cpp", "int f() { return HERE; }\n"}}, {"-D", "HERE=7"}), Fixed{0u});
}

TEST(UnparsedLinesTest, LineBuiltinsAndQuotedProbesMakeEveryLineCount) {
  std::string Quiet = "inline int g() { return 7; }\n";
  // A project file that names a line builtin (a default argument).
  EXPECT_EQ(fixed({{"a.h", "int where(int l = __builtin_LINE());\n"}, {"b.h", Quiet}}),
            (Fixed{All, All}));
  // The installation's file that calls one; one that only tests for it.
  EXPECT_EQ(fixed({{"/usr/include/sl.h", "auto c(const void *p = __builtin_source_location());\n"},
                   {"b.h", Quiet}}),
            (Fixed{All, All}));
  EXPECT_EQ(fixed({{"/usr/include/v.h", "#if __has_builtin(__builtin_source_location)\n#endif\n"},
                   {"b.h", Quiet}}),
            (Fixed{All, 0u}));
  // A project file's quoted __has_include; an angled one.
  EXPECT_EQ(fixed({{"a.h", "#if __has_include(\"opt.h\")\n#endif\n"}, {"b.h", Quiet}}),
            (Fixed{All, All}));
  EXPECT_EQ(fixed({{"a.h", "#if __has_include(<any>)\n#endif\n"}, {"b.h", Quiet}}),
            (Fixed{0u, 0u}));
}

} // namespace
