#!/usr/bin/env python3
"""Every semantic edit of hotast diff's first slice, made in a header that
main.cpp includes and uses: the compile after the edit must miss, and its
object must be byte-identical to a plain clang compile of the new sources.

usage: semantic_through_header.py HOTAST CLANG WORKDIR

Each case compiles main.cpp with the old w.h through hotast (clang++-19,
compiled in-process), switches w.h to the new version, and compiles again.
It runs once without optimization and once with -O2, each in its own
directory (so its own translation unit) and all with one cache. One line per
case and level on stdout:

  ok CASE LEVEL: DECISION            the edit missed; objects as plain
  FAIL CASE LEVEL: WHAT              a hit, or an object unlike plain's

and a last line "N cases, M failed". The "plain objects differ/same" note
says whether the edit changes the object at all (a miss that produced the
same object is imprecise, not wrong).
"""
import filecmp
import os
import re
import subprocess
import sys

hotast, clang, work = sys.argv[1], sys.argv[2], sys.argv[3]
cache = os.path.join(work, "cache")
STD = ["-std=c++20"]
LEVELS = [("O0", ["-O0"]), ("O2", ["-O2"])]

# name: (old w.h, new w.h, main.cpp). main.cpp is the same before and after.
CASES = {
    "changed-operator": (
        "inline int f(int x) { return x + 1; }\n",
        "inline int f(int x) { return x - 1; }\n",
        "int use(int x) { return f(x); }\n"),
    "swapped-operands": (
        "inline int f(int a, int b) { return a - b; }\n",
        "inline int f(int a, int b) { return b - a; }\n",
        "int use(int a, int b) { return f(a, b); }\n"),
    "changed-literal": (
        "inline int f(int x) { return x * 16; }\n",
        "inline int f(int x) { return x * 17; }\n",
        "int use(int x) { return f(x); }\n"),
    "added-statement": (
        "inline void f(int *p) { *p = 1; }\n",
        "inline void f(int *p) { *p = 1; ++*p; }\n",
        "void use(int *p) { f(p); }\n"),
    "reordered-statements": (
        "inline void f(int *a, int *b) { *a = 1; *b = 2; }\n",
        "inline void f(int *a, int *b) { *b = 2; *a = 1; }\n",
        "void use(int *a, int *b) { f(a, b); }\n"),
    "changed-return-type": (
        "inline int f() { return 1; }\n",
        "inline long f() { return 1; }\n",
        "long use() { return f(); }\n"),
    "changed-return-type-declaration": (
        "int f();\n",
        "long f();\n",
        "long use() { return f(); }\n"),
    "added-parameter": (
        "inline int f(int x) { return x; }\n",
        "inline int f(int x, int y = 2) { return x + y; }\n",
        "int use() { return f(1); }\n"),
    "added-parameter-declaration": (
        "int f(int x);\n",
        "int f(int x, int y = 0);\n",
        "int use() { return f(1); }\n"),
    "changed-parameter-type": (
        "inline int f(int x) { return x > 0; }\n",
        "inline int f(unsigned x) { return x > 0; }\n",
        "int use() { return f(-1); }\n"),
    "changed-parameter-type-declaration": (
        "int f(int x);\n",
        "int f(unsigned x);\n",
        "int use() { return f(1); }\n"),
    "changed-default-argument": (
        "inline int f(int x = 1) { return x; }\n",
        "inline int f(int x = 2) { return x; }\n",
        "int use() { return f(); }\n"),
    "changed-default-argument-declaration": (
        "int f(int x = 1);\n",
        "int f(int x = 2);\n",
        "int use() { return f(); }\n"),
    "added-field": (
        "struct S { int a; };\n",
        "struct S { int a; int b; };\n",
        "unsigned long size() { return sizeof(S); }\nS make() { return S{}; }\n"),
    "removed-field": (
        "struct S { int a; int b; };\n",
        "struct S { int a; };\n",
        "unsigned long size() { return sizeof(S); }\nint get(S *s) { return s->a; }\n"),
    "reordered-fields": (
        "struct S { int a; int b; };\n",
        "struct S { int b; int a; };\n",
        "int get(S *s) { return s->b; }\n"),
    "changed-base-class": (
        "struct A { int x; };\nstruct B { long y; };\nstruct D : A { int z; };\n",
        "struct A { int x; };\nstruct B { long y; };\nstruct D : B { int z; };\n",
        "int get(D *d) { return d->z; }\nunsigned long size() { return sizeof(D); }\n"),
    "added-virtual-function": (
        "struct S {\n  int x;\n  int f() { return x; }\n};\n",
        "struct S {\n  int x;\n  int f() { return x; }\n  virtual int g() { return 0; }\n};\n",
        "int get(S *s) { return s->f(); }\n"),
    "changed-noexcept": (
        "int f(int x);\n",
        "int f(int x) noexcept;\n",
        "bool use() { return noexcept(f(1)); }\n"),
    "changed-noexcept-cleanup": (
        "int f(int x);\nstruct G { ~G(); };\n",
        "int f(int x) noexcept;\nstruct G { ~G(); };\n",
        "int use(int x) { G g; return f(x); }\n"),
    "added-nodiscard": (
        "inline int f(int x) { return x; }\n",
        "[[nodiscard]] inline int f(int x) { return x; }\n",
        "int use(int x) { return f(x); }\n"),
    "changed-aligned-attribute": (
        "struct __attribute__((aligned(8))) S { int x; };\n",
        "struct __attribute__((aligned(16))) S { int x; };\n",
        "unsigned long size() { return sizeof(S) + alignof(S); }\n"),
    "pragma-pack": (
        "struct S { char c; int i; };\n",
        "#pragma pack(push, 1)\nstruct S { char c; int i; };\n#pragma pack(pop)\n",
        "unsigned long size() { return sizeof(S); }\nint get(S *s) { return s->i; }\n"),
    "changed-constexpr-array-bound": (
        "constexpr int N = 4;\nstruct S { int a[N]; };\n",
        "constexpr int N = 8;\nstruct S { int a[N]; };\n",
        "unsigned long size() { return sizeof(S); }\n"),
    "changed-enum-value": (
        "enum E { A = 1, B = 2 };\n",
        "enum E { A = 1, B = 3 };\n",
        "int use() { return B; }\n"),
    "new-overload-wins": (
        "inline long f(long x) { return x; }\n",
        "inline long f(long x) { return x; }\ninline long f(int x) { return x + 1; }\n",
        "long use() { return f(1); }\n"),
    "new-overload-wins-declaration": (
        "long f(long x);\n",
        "long f(long x);\nlong f(int x);\n",
        "long use() { return f(1); }\n"),
    "new-explicit-specialization": (
        "template <class T> int size() { return sizeof(T); }\n",
        "template <class T> int size() { return sizeof(T); }\n"
        "template <> inline int size<char>() { return 100; }\n",
        "int use() { return size<char>(); }\n"),
    "new-class-specialization": (
        "template <class T> struct Traits { static constexpr int value = 1; };\n",
        "template <class T> struct Traits { static constexpr int value = 1; };\n"
        "template <> struct Traits<char> { static constexpr int value = 2; };\n",
        "int use() { return Traits<char>::value; }\n"),
    "changed-macro": (
        "#define LIMIT 10\ninline int f(int x) { return x < LIMIT ? x : LIMIT; }\n",
        "#define LIMIT 20\ninline int f(int x) { return x < LIMIT ? x : LIMIT; }\n",
        "int use(int x) { return f(x); }\n"),
    "changed-macro-used-in-main": (
        "#define LIMIT 10\n",
        "#define LIMIT 20\n",
        "int use() { return LIMIT; }\n"),
    "line-macro-moved": (
        "inline int f() { return __LINE__; }\n",
        "\n\ninline int f() { return __LINE__; }\n",
        "int use() { return f(); }\n"),
    "source-location-default-argument": (
        "#include <source_location>\n"
        "inline unsigned where(std::source_location l = std::source_location::current()) {\n"
        "  return l.line();\n}\n"
        "inline unsigned caller() { return where(); }\n",
        "#include <source_location>\n"
        "inline unsigned where(std::source_location l = std::source_location::current()) {\n"
        "  return l.line();\n}\n"
        "inline unsigned caller() {\n  return where();\n}\n",
        "unsigned use() { return caller(); }\n"),
    # Found by utils/difftest on googletest's typed tests: code a template
    # reaches only once instantiated (here through a template template
    # argument and a dependent member template) still reaches the object.
    "dependent-instantiation": (
        "template <class T> struct Fixture {};\n",
        "template <class T> struct Fixture { int f = 124; };\n",
        "struct FactoryBase { virtual void *create() = 0; virtual ~FactoryBase() {} };\n"
        "template <class T> struct Factory : FactoryBase {\n"
        "  void *create() override { return new T; }\n"
        "};\n"
        "template <template <class> class Tmpl> struct Sel {\n"
        "  template <class T> struct Bind { typedef Tmpl<T> type; };\n"
        "};\n"
        "template <class S, class T> struct Reg {\n"
        "  static bool add() {\n"
        "    FactoryBase *f = new Factory<typename S::template Bind<T>::type>;\n"
        "    return f != nullptr;\n"
        "  }\n"
        "};\n"
        "static bool x = Reg<Sel<Fixture>, int>::add();\n"
        "bool get() { return x; }\n"),
    # A destructor runs without being named: a member's, from the implicit
    # destructor of the class that holds it.
    "member-destructor-template": (
        "void g(int);\ntemplate <class T> struct V { ~V() { g(1); } };\n",
        "void g(int);\ntemplate <class T> struct V { ~V() { g(2); } };\n",
        "struct S { V<int> v; };\nvoid use() { S s; }\n"),
    "member-destructor": (
        "void g(int);\nstruct V { ~V() { g(1); } };\n",
        "void g(int);\nstruct V { ~V() { g(2); } };\n",
        "struct S { V v; };\nvoid use() { S s; }\n"),
}


def run(cmd, cwd, env=None):
    r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return r.returncode, r.stdout


def decision(log):
    """The decision of the last line of a log, without timestamp and unit."""
    with open(log) as f:
        lines = f.read().splitlines()
    if not lines:
        return "(no log line)"
    m = re.match(r".*? -> \S+: (.*)$", lines[-1])
    return m.group(1) if m else lines[-1]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


failed = total = 0
for name, (old, new, main) in CASES.items():
    for level, opt in LEVELS:
        total += 1
        d = os.path.join(work, f"{name}-{level}")
        os.makedirs(d)
        log = os.path.join(d, "log")
        env = dict(os.environ, HOTAST_DIR=cache, HOTAST_LOGFILE=log)
        flags = STD + opt + ["-c", "main.cpp"]
        write(os.path.join(d, "main.cpp"), '#include "w.h"\n' + main)
        problems = []

        def compile_both(version):
            st, out = run([hotast, "clang++-19"] + flags + ["-o", "main.o"], d, env)
            if st:
                problems.append(f"{version}: hotast failed ({st}): {out.strip()}")
            st, out = run([clang] + flags + ["-o", f"plain-{version}.o"], d)
            if st:
                problems.append(f"{version}: plain clang failed ({st}): {out.strip()}")
            same = (not st and os.path.exists(os.path.join(d, "main.o")) and
                    filecmp.cmp(os.path.join(d, "main.o"), os.path.join(d, f"plain-{version}.o"),
                                shallow=False))
            if not same:
                problems.append(f"{version}: object differs from plain")
            return decision(log)

        write(os.path.join(d, "w.h"), old)
        compile_both("old")
        write(os.path.join(d, "w.h"), new)
        what = compile_both("new")
        if not what.startswith("miss"):
            problems.insert(0, f"not a miss: {what}")
        changed = not filecmp.cmp(os.path.join(d, "plain-old.o"), os.path.join(d, "plain-new.o"),
                                  shallow=False)
        note = "plain objects differ" if changed else "plain objects same"
        if problems:
            failed += 1
            print(f"FAIL {name} {level}: {'; '.join(problems)} ({note})")
        else:
            print(f"ok {name} {level}: {what} ({note})")
print(f"{total} cases, {failed} failed")
sys.exit(1 if failed else 0)
