#!/usr/bin/env python3
"""Measure how much hotast's hashing costs next to Clang's parsing.

`hotast decls --time-scopes` runs one Clang syntax-only pass over a
translation unit and then times hotast's own work (declaration keys and AST
hashes: "analysis") from scratch, one after the other on that same parse, for
three scopes:

  main     the main file's declarations: what `hotast diff` and `hotast decls`
           hash by default;
  closure  the used-declaration closure: what the compiler wrapper's
           fingerprint hashes on every compile;
  all      every declaration, headers included: what --include-headers costs.

"parse" is the rest of the run (Clang without hotast's analyses). All figures
come from the same process, so their ratios do not depend much on the
machine, while the absolute milliseconds do.

This script measures analysis/parse for each scope over

  1. every .cc translation unit of Debian's googletest sources
     (/usr/src/googletest, package `googletest`) under googletest/src,
     googletest/test, googlemock/src and googlemock/test, the amalgamations
     (gtest-all.cc, gmock-all.cc, ...) included; TUs that do not compile are
     skipped and counted;
  2. generated C++ translation units of 1, 2.5, 5 and 10 MB, to show that the
     cost grows linearly with the size of the source (the analysis ms per MB
     must stay roughly flat).

Each TU is run --reps times, one at a time (timings are serial by default),
and the per-TU median of each figure is kept. The runs use a copy of the
hotast binaries taken at the start, so a rebuild meanwhile does not mix
builds. The target, checked per scope over the googletest TUs, is
sum(analysis) / sum(parse) <= 5 %.

It prints Markdown tables; --write-doc also puts them in docs/benchmarks.md
between the markers <!-- bench-hash:begin --> and <!-- bench-hash:end -->.

Examples:
  utils/bench-hash.py                    # full run, tables on stdout
  utils/bench-hash.py --reps 1 --sizes 1,2.5   # quick look
  utils/bench-hash.py --write-doc        # the run recorded in the docs
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hotastlib.common import log, machine  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_HOTAST = os.path.join(TOP, "build", "bin", "hotast")
DEFAULT_DOC = os.path.join(TOP, "docs", "benchmarks.md")
GTEST_SRC = "/usr/src/googletest"
GTEST_DIRS = ["googletest/src", "googletest/test",
              "googlemock/src", "googlemock/test"]
GTEST_INCLUDES = ["googletest/include", "googletest",
                  "googlemock/include", "googlemock"]
GTEST_FLAGS = ["-std=c++17", "-DGTEST_HAS_PTHREAD=1"]
# Per-TU flags, as googletest's own CMakeLists.txt passes them.
GTEST_EXTRA_FLAGS = {
    "googletest/test/googletest-death-test_ex_test.cc":
        ["-DGTEST_ENABLE_CATCH_EXCEPTIONS_=1"],
}
GEN_FLAGS = ["-std=c++17"]
BEGIN = "<!-- bench-hash:begin -->"
END = "<!-- bench-hash:end -->"
MB = 1024 * 1024

SCOPES = ["main", "closure", "all"]
# What each scope is, and who pays it.
SCOPE_USE = {
    "main": "`hotast diff`, `hotast decls` (default)",
    "closure": "compiler wrapper's fingerprint, every compile",
    "all": "`--include-headers`",
}
# --------------------------------------------------------------------------
# Packages and the hotast binary


def ensure_googletest(src):
    """Installs Debian's googletest package if its sources are missing."""
    if os.path.isdir(src):
        return
    line = "apt-get install -y googletest"
    if os.geteuid() != 0:
        log(f"{src} is missing: install the Debian package googletest "
            f"as root with:\n  {line}")
        sys.exit(1)
    log(f"{src} is missing; running: {line}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    subprocess.run(line.split(), env=env, check=True)
    if not os.path.isdir(src):
        log(f"{src} is still missing after installing googletest")
        sys.exit(1)


class Hotast:
    """Runs `hotast decls --time --time-scopes --json` on a private copy of the
    binaries.

    The copy of build/bin (hotast and the helpers next to it) is taken once,
    at the start, so that a rebuild during the run neither breaks it nor
    mixes two builds in the figures. If
    the binary is missing (being rebuilt), waits for it to come back.
    """

    WAIT_S = 30
    MAX_WAITS = 20

    def __init__(self, path):
        self.source = path
        for _ in range(self.MAX_WAITS):
            if os.access(path, os.X_OK):
                break
            log(f"{path} is missing (being rebuilt?); retrying in "
                f"{self.WAIT_S} s")
            time.sleep(self.WAIT_S)
        else:
            log(f"{path} did not come back; build it with utils/check.sh")
            sys.exit(1)
        time.sleep(1)  # let a linker that just finished close the file
        # hotast runs helpers that sit next to it (hotast-clang): copy them all.
        self.tmp = tempfile.mkdtemp(prefix="bench-hash-bin-")
        bindir = os.path.dirname(path)
        for name in os.listdir(bindir):
            f = os.path.join(bindir, name)
            if os.path.isfile(f) and os.access(f, os.X_OK):
                shutil.copy2(f, self.tmp)
        self.path = os.path.join(self.tmp, os.path.basename(path))
        self.built = datetime.datetime.fromtimestamp(
            os.stat(self.path).st_mtime).strftime("%Y-%m-%d %H:%M")

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_once(self, tu, flags, cwd):
        """Returns {"parse": ms, "ms": {scope: ms}, "decls": {scope: n}}
        from one run, or an error string."""
        proc = subprocess.run(
            [self.path, "decls", "--time", "--time-scopes", "--json", tu, "--"]
            + flags, cwd=cwd, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, errors="replace", check=False)
        if proc.returncode != 0:
            return first_error(proc.stderr, proc.returncode)
        # The times are the last line of stderr (`hotast decls --help`,
        # --json): parse is the run without any of hotast's analyses.
        try:
            times = json.loads(proc.stderr.splitlines()[-1])
        except (IndexError, ValueError):
            return "no times as JSON (a hotast older than `decls --json`?): " + \
                first_error(proc.stderr, proc.returncode)
        ms = {s["scope"]: s["ms"] for s in times.get("scopes", [])}
        decls = {s["scope"]: s["declarations"] for s in times.get("scopes", [])}
        if sorted(ms) != sorted(SCOPES):
            return f"unexpected scopes: {sorted(ms)}"
        return {"parse": times["parse_ms"], "ms": ms, "decls": decls}

    def measure(self, tu, flags, cwd, reps):
        """Median of each figure over reps runs, or an error string."""
        runs = []
        for _ in range(reps):
            r = self.run_once(tu, flags, cwd)
            if isinstance(r, str):
                return r
            runs.append(r)
        return median_run(runs)


def first_error(stderr, rc):
    for line in stderr.splitlines():
        if "error:" in line:
            return line.strip()
    lines = [l for l in stderr.splitlines() if l.strip()]
    return lines[-1].strip() if lines else f"exit status {rc}, no output"


def median_run(runs):
    """The per-figure median of the runs of one TU, with its ratios."""
    r = {
        "decls": runs[0]["decls"],
        "parse": statistics.median(x["parse"] for x in runs),
        "ms": {s: statistics.median(x["ms"][s] for x in runs)
               for s in SCOPES},
    }
    r["ratio"] = {s: ratio(r["ms"][s], r["parse"]) for s in SCOPES}
    return r


def ratio(analysis, parse):
    return 100.0 * analysis / parse if parse > 0 else float("inf")


def ratios_text(r):
    return ", ".join(f"{s} {r['ms'][s]:.0f} ms {r['ratio'][s]:.2f}%"
                     for s in SCOPES)


# --------------------------------------------------------------------------
# googletest


def googletest_tus(src):
    tus = []
    for d in GTEST_DIRS:
        for root, _dirs, files in os.walk(os.path.join(src, d)):
            tus += [os.path.relpath(os.path.join(root, f), src)
                    for f in files if f.endswith(".cc")]
    return sorted(tus)


def bench_googletest(hotast, args):
    flags = GTEST_FLAGS + ["-I" + os.path.join(args.src, i)
                           for i in GTEST_INCLUDES]
    tus = googletest_tus(args.src)
    if args.limit:
        tus = tus[:args.limit]
    results, failed = [], []

    def one(tu):
        return tu, hotast.measure(tu, flags + GTEST_EXTRA_FLAGS.get(tu, []),
                                  args.src, args.reps)

    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for n, (tu, r) in enumerate(pool.map(one, tus), 1):
            if isinstance(r, str):
                failed.append((tu, r))
                log(f"[{n}/{len(tus)}] {tu}: FAILED: {r}")
            else:
                r["tu"] = tu
                results.append(r)
                log(f"[{n}/{len(tus)}] {tu}: parse {r['parse']:.0f} ms; "
                    + ratios_text(r))
    return results, failed, flags


# --------------------------------------------------------------------------
# The generated translation units

GEN_HEADER = """\
// Generated by utils/bench-hash.py: a large, self-contained C++17 TU.
typedef unsigned long size_type;

namespace gen {
template <typename T> struct Identity { typedef T type; };
template <typename T, typename U> struct Pair { T first; U second; };
template <typename T> T maxOf(T a, T b) { return a < b ? b : a; }
int log2Floor(unsigned v);
}  // namespace gen

int gen::log2Floor(unsigned v) {
  int r = -1;
  while (v) { v >>= 1; ++r; }
  return r;
}
"""

STMTS = [
    "acc += helper{i}(k);",
    "acc ^= k * {c};",
    "acc -= clamp{i}(k, 0, {c});",
    "acc = gen::maxOf(acc, k + {c});",
    "if (acc > {c}0) acc /= 2; else acc += {c};",
    "acc += gen::log2Floor(unsigned(k + 1));",
    "acc = (acc << 1) | (k & 1);",
    "{{ int t = k; while (t > {c}) t -= {c}; acc += t; }}",
]


def gen_module(i, rng):
    """One namespace of varied, realistic C++ (about 5 KB)."""
    c = rng.randint(2, 97)
    prev = i - 1
    nfields = rng.randint(2, 6)
    fields = "\n".join(
        f"  {rng.choice(['int', 'long', 'double', 'unsigned', 'bool'])} "
        f"f{k}_ = {{}};" for k in range(nfields))
    body = "\n".join(
        "      " + rng.choice(STMTS).format(i=i, c=c)
        for n in range(rng.randint(3, 6)))
    shape_kind = rng.choice(["Circle", "Square", "Hexagon"])
    cross = (f"  r += mod_{prev}::compute{prev}({c % 7});\n"
             if i > 0 else "")
    return f"""
namespace gen {{
namespace mod_{i} {{

enum class Color{i} : int {{ Red = 0, Green = 1, Blue = {c}, Last = {c + 1} }};
enum Flags{i} {{ kNone{i} = 0, kRead{i} = 1 << 0, kWrite{i} = 1 << 1,
                kAll{i} = kRead{i} | kWrite{i} }};

struct Point{i} {{
  double x = 0.0;
  double y = 0.0;
  int tag = {c};
  Point{i}() = default;
  Point{i}(double a, double b) : x(a), y(b) {{}}
  double norm2() const {{ return x * x + y * y; }}
  Point{i} operator+(const Point{i} &o) const {{ return Point{i}(x + o.x, y + o.y); }}
  bool operator==(const Point{i} &o) const {{ return x == o.x && y == o.y; }}
  static Point{i} origin() {{ return Point{i}(); }}
}};

struct Record{i} {{
{fields}
  Flags{i} flags = kNone{i};
  Color{i} color = Color{i}::Green;
  bool has(Flags{i} f) const {{ return (flags & f) != 0; }}
}};

class Buffer{i} {{
public:
  explicit Buffer{i}(unsigned n) : size_(n), data_(new int[n]) {{
    for (unsigned k = 0; k < n; ++k)
      data_[k] = int(k * {c});
  }}
  ~Buffer{i}() {{ delete[] data_; }}
  Buffer{i}(const Buffer{i} &) = delete;
  Buffer{i} &operator=(const Buffer{i} &) = delete;
  int at(unsigned k) const {{ return k < size_ ? data_[k] : -1; }}
  unsigned size() const {{ return size_; }}
  long sum() const;

private:
  unsigned size_;
  int *data_;
}};

long Buffer{i}::sum() const {{
  long s = 0;
  for (unsigned k = 0; k < size_; ++k)
    s += data_[k];
  return s;
}}

class Shape{i} {{
public:
  virtual ~Shape{i}() = default;
  virtual double area() const = 0;
  virtual const char *name() const {{ return "shape{i}"; }}
}};

class {shape_kind}{i} final : public Shape{i} {{
public:
  explicit {shape_kind}{i}(double s) : side_(s) {{}}
  double area() const override {{ return side_ * side_ * {c}.0 / 4.0; }}
  const char *name() const override {{ return "{shape_kind.lower()}{i}"; }}

private:
  double side_;
}};

template <typename T, int N> struct Array{i} {{
  T items[N];
  constexpr int size() const {{ return N; }}
  T &operator[](int k) {{ return items[k]; }}
  const T &operator[](int k) const {{ return items[k]; }}
  template <typename F> void forEach(F f) {{
    for (int k = 0; k < N; ++k)
      f(items[k]);
  }}
}};

template <typename T> T clamp{i}(T v, T lo, T hi) {{
  return v < lo ? lo : (hi < v ? hi : v);
}}

template <> inline double clamp{i}<double>(double v, double lo, double hi) {{
  return v < lo ? lo : (hi < v ? hi : v * 1.0);
}}

template <typename T, typename U> auto mix{i}(T a, U b) -> decltype(a * b + a) {{
  return a * b + a;
}}

using PointPair{i} = gen::Pair<Point{i}, typename gen::Identity<int>::type>;

namespace {{
int helper{i}(int a) {{
  int r = 0;
  while (a > 0) {{
    r += a % 10;
    a /= 10;
  }}
  return r;
}}
}}  // namespace

static int counter{i} = {c};
static double scale{i}(double v) {{ return v * {c}.5; }}

int compute{i}(int n) {{
  int acc = 0;
  for (int k = 0; k < n; ++k) {{
    if (k % 2 == 0) {{
{body}
    }}
  }}
  acc += helper{i}(n);
  switch (acc & 3) {{
  case 0:
    return acc;
  case 1:
    return -acc;
  default:
    break;
  }}
  return acc + counter{i}++;
}}

double process{i}(const Point{i} &p, Color{i} c) {{
  Array{i}<double, 8> arr{{}};
  for (int k = 0; k < arr.size(); ++k)
    arr[k] = p.x * k + p.y;
  double total = 0;
  arr.forEach([&total](double v) {{ total += v; }});
  auto weight = [c](double v) {{ return c == Color{i}::Red ? v : v * 2; }};
  return weight(total) + scale{i}(p.norm2()) + mix{i}(p.x, 2) +
         clamp{i}(total, 0.0, {c}.0);
}}

int run{i}() {{
  Buffer{i} buf({c});
  Point{i} a(1.0, 2.0), b(3.0, {c}.0);
  Point{i} s = a + b;
  PointPair{i} pp{{s, {c}}};
  Record{i} rec;
  rec.flags = kAll{i};
  {shape_kind}{i} shape({c}.0);
  const Shape{i} &base = shape;
  int r = compute{i}(int(buf.size())) + pp.second;
  r += int(process{i}(s, Color{i}::Green)) + int(base.area());
  r += rec.has(kRead{i}) ? int(buf.sum() % {c}) : buf.at(2);
{cross}  auto sq = [](int v) {{ return v * v; }};
  return r + sq(clamp{i}(r, -{c}, {c}));
}}

}}  // namespace mod_{i}
}}  // namespace gen
"""


def generate_tu(path, size_bytes, seed):
    rng = random.Random(seed)
    parts = [GEN_HEADER]
    n = len(GEN_HEADER)
    i = 0
    while n < size_bytes:
        m = gen_module(i, rng)
        parts.append(m)
        n += len(m)
        i += 1
    calls = "".join(f"  r += gen::mod_{k}::run{k}();\n"
                    for k in range(0, i, max(1, i // 64)))
    parts.append(f"\nint main() {{\n  int r = 0;\n{calls}  return r & 1;\n}}\n")
    with open(path, "w") as f:
        f.write("".join(parts))
    return os.path.getsize(path)


def bench_generated(hotast, args):
    """Generates every size first, then runs the sizes in turn, --reps
    rounds, so that a change of machine load is spread over all sizes
    instead of skewing one of them."""
    tmp = tempfile.mkdtemp(prefix="bench-hash-")
    rows, failed = [], []
    try:
        files = []
        for mb in args.sizes:
            path = os.path.join(tmp, f"gen_{mb:g}mb.cc")
            size = generate_tu(path, int(mb * MB), args.seed)
            log(f"generated {path}: {size / MB:.2f} MB")
            files.append((path, size))
        runs = {path: [] for path, _ in files}
        for rep in range(args.reps):
            for path, _ in files:
                if isinstance(runs[path], str):
                    continue
                r = hotast.run_once(path, GEN_FLAGS, tmp)
                if isinstance(r, str):
                    runs[path] = r
                    continue
                runs[path].append(r)
                log(f"[round {rep + 1}/{args.reps}] {os.path.basename(path)}: "
                    f"parse {r['parse']:.0f} ms; "
                    + ratios_text(median_run([r])))
        for path, size in files:
            name = os.path.basename(path)
            if isinstance(runs[path], str):
                failed.append((name, runs[path]))
                log(f"{name}: FAILED: {runs[path]}")
                continue
            r = median_run(runs[path])
            r["name"] = name
            r["mb"] = size / MB
            rows.append(r)
    finally:
        if args.keep:
            log(f"kept the generated TUs in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return rows, failed


# --------------------------------------------------------------------------
# Report


def load_average():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "unknown"


def hotast_version():
    try:
        rev = subprocess.run(["git", "-C", TOP, "describe", "--always",
                              "--dirty"], capture_output=True, text=True,
                             check=False).stdout.strip()
    except OSError:
        rev = ""
    return rev or "unknown"


def fmt_ms(v):
    return f"{v:,.0f}"


def aggregate(results, scope):
    """sum(analysis) / sum(parse) of one scope over results, in %."""
    return ratio(sum(r["ms"][scope] for r in results),
                 sum(r["parse"] for r in results))


def growth(rows, scope):
    """analysis ms/MB of the largest generated TU over that of the smallest."""
    lo, hi = rows[0], rows[-1]
    if lo["ms"][scope] <= 0:
        return float("inf")
    return (hi["ms"][scope] / hi["mb"]) / (lo["ms"][scope] / lo["mb"])


def report(args, gt, gen, hotast):
    results, failed, flags = gt
    rows, gen_failed = gen
    out = []
    out.append(f"Run of {datetime.date.today()} on {machine()}, hotast "
               f"{hotast_version()} (binary built {hotast.built}), "
               f"`hotast decls --time --time-scopes --json`; "
               f"{args.reps} repetition(s) per TU (median kept), one TU at a "
               f"time{'' if args.jobs == 1 else f' (no: {args.jobs} at a time)'}; "
               f"load average at the start {args.load}, at the end "
               f"{load_average()}.")
    out.append("")

    if results is not None:
        out.append(f"### googletest ({args.src})")
        out.append("")
        out.append(f"{len(results)} translation units measured, "
                   f"{len(failed)} skipped because they do not compile. "
                   f"Flags: `{' '.join(flags).replace(args.src + '/', '')}`"
                   + "".join(f", plus `{' '.join(v)}` for `{k}`"
                             for k, v in GTEST_EXTRA_FLAGS.items())
                   + ".")
        out.append("")
        if results:
            sp = sum(r["parse"] for r in results)
            out.append(f"Analysis / parse per scope; sum(parse) = "
                       f"{fmt_ms(sp)} ms. The verdict is on the aggregate, "
                       f"against the target of ≤ {args.target:g}%.")
            out.append("")
            out.append("| scope | paid by | declarations (median per TU) "
                       "| sum(analysis) ms | aggregate | median per TU "
                       "| max per TU | ≤ " f"{args.target:g}% |")
            out.append("|---|---|---:|---:|---:|---:|---|---|")
            for sc in SCOPES:
                sa = sum(r["ms"][sc] for r in results)
                agg = aggregate(results, sc)
                worst = max(results, key=lambda r: r["ratio"][sc])
                med_decls = statistics.median(r["decls"][sc] for r in results)
                out.append(
                    f"| {sc} | {SCOPE_USE[sc]} | {med_decls:,.0f} "
                    f"| {fmt_ms(sa)} | **{agg:.2f}%** "
                    f"| {statistics.median(r['ratio'][sc] for r in results):.2f}% "
                    f"| {worst['ratio'][sc]:.2f}% (`{worst['tu']}`) "
                    f"| {'PASS' if agg <= args.target else 'MISS'} |")
            out.append("")
        if failed:
            out.append("Skipped (do not compile):")
            out.append("")
            for tu, err in failed:
                out.append(f"- `{tu}`: {err}")
            out.append("")
        out.append("<details><summary>Per translation unit, highest "
                   "closure ratio first</summary>")
        out.append("")
        out.append("| TU | declarations main / closure / all | parse ms "
                   "| main ms | closure ms | all ms | main % | closure % "
                   "| all % |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in sorted(results, key=lambda r: -r["ratio"]["closure"]):
            out.append(
                f"| `{r['tu']}` | "
                + " / ".join(f"{r['decls'][sc]:,}" for sc in SCOPES)
                + f" | {fmt_ms(r['parse'])} | "
                + " | ".join(fmt_ms(r["ms"][sc]) for sc in SCOPES) + " | "
                + " | ".join(f"{r['ratio'][sc]:.2f}%" for sc in SCOPES)
                + " |")
        out.append("")
        out.append("</details>")
        out.append("")

    if rows is not None:
        out.append("### Generated translation units")
        out.append("")
        out.append("Self-contained C++17 (namespaces, enums, structs with "
                   "fields and methods, class hierarchies, templates and "
                   "their uses, free and static functions with loops, calls "
                   "and arithmetic, lambdas), generated by the script with "
                   f"seed {args.seed}. Nearly all of their declarations "
                   "are in the main file, so main and all hash about the "
                   "same set.")
        out.append("")
        out.append("| size MB | declarations main / closure / all "
                   "| parse ms | main % | closure % | all % | parse ms/MB "
                   "| main ms/MB | closure ms/MB | all ms/MB |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            out.append(
                f"| {r['mb']:.2f} | "
                + " / ".join(f"{r['decls'][sc]:,}" for sc in SCOPES)
                + f" | {fmt_ms(r['parse'])} | "
                + " | ".join(f"{r['ratio'][sc]:.2f}%" for sc in SCOPES)
                + f" | {fmt_ms(r['parse'] / r['mb'])} | "
                + " | ".join(f"{r['ms'][sc] / r['mb']:,.1f}" for sc in SCOPES)
                + " |")
        out.append("")
        if len(rows) >= 2:
            lo, hi = rows[0], rows[-1]
            parts = []
            for sc in SCOPES:
                g = growth(rows, sc)
                parts.append(f"{sc} {g:.2f}× "
                             + ("flat" if g <= args.max_growth else "GROWING"))
            pgrowth = (hi["parse"] / hi["mb"]) / (lo["parse"] / lo["mb"])
            out.append(f"Linearity: analysis ms/MB at {hi['mb']:.1f} MB over "
                       f"its value at {lo['mb']:.1f} MB: {', '.join(parts)} "
                       f"(flat: ≤ {args.max_growth:g}×, linear scaling; "
                       "GROWING: super-linear, look for a quadratic step); "
                       f"parse ms/MB {pgrowth:.2f}×.")
            out.append("")
        for name, err in gen_failed:
            out.append(f"- `{name}` FAILED: {err}")
        if gen_failed:
            out.append("")
    return "\n".join(out)


DOC_INTRO = """\
# Benchmarks

{section}"""

# The text between "## Hashing cost next to parsing" and the begin marker.
DOC_SECTION = """\
## Hashing cost next to parsing

hotast hashes declarations (their keys and AST hashes: the *analysis*) during
a Clang syntax-only run. `hotast decls --time-scopes` parses a translation
unit once, then times the analysis of three scopes from scratch, one after
the other, on that same parse:

- *main*: the main file's declarations, what `hotast diff` and `hotast
  decls` hash by default;
- *closure*: the used-declaration closure, what the compiler wrapper's
  fingerprint hashes on every compile;
- *all*: every declaration, headers included, what `--include-headers`
  costs.

*Parse* is the rest of the run, without any of hotast's analyses
(preprocessing, parsing, semantic analysis). The target is analysis / parse
≤ 5 % over real code (googletest, per scope, on the aggregate), and analysis
time that grows linearly with the size of the source (generated TUs).

The figures below were measured on a machine with {machine}, with

    utils/bench-hash.py --write-doc

which reruns the measurement and rewrites the section between the markers.
Absolute milliseconds depend on the machine and the build; the figures that
matter are the ratios, each from one run of hotast in which analysis and
parse were timed side by side.

"""


def write_doc(path, section):
    block = f"{BEGIN}\n{section.rstrip()}\n{END}\n"
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
        b, e = text.find(BEGIN), text.find(END)
        if b >= 0 and e > b:
            text = text[:b] + block + text[e + len(END):].lstrip("\n")
        else:
            text = text.rstrip("\n") + "\n\n" + block
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        text = DOC_INTRO.format(
            section=DOC_SECTION.format(machine=machine())) + block
    with open(path, "w") as f:
        f.write(text)
    log(f"updated {path}")


# --------------------------------------------------------------------------


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] + " Runs `hotast decls --time "
        "--time-scopes` over Debian's googletest sources and over generated "
        "TUs of growing size, and prints the analysis/parse ratios of three "
        "scopes (main file, used-declaration closure, all declarations) as "
        "Markdown.",
        epilog="The target is, in each scope, an aggregate analysis/parse "
        "<= 5%% and an analysis ms/MB that stays flat from 1 to 10 MB.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--hotast", default=DEFAULT_HOTAST,
                   help="the hotast binary (default: %(default)s)")
    p.add_argument("--reps", type=int, default=3,
                   help="runs per TU; the median is kept (default: 3)")
    p.add_argument("--jobs", type=int, default=1,
                   help="TUs measured at once; keep 1 for meaningful "
                   "timings (default: 1)")
    p.add_argument("--sizes", default="1,2.5,5,10",
                   help="sizes in MB of the generated TUs "
                   "(default: %(default)s)")
    p.add_argument("--seed", type=int, default=1,
                   help="seed of the generator (default: 1)")
    p.add_argument("--src", default=GTEST_SRC,
                   help="googletest sources (default: %(default)s)")
    p.add_argument("--limit", type=int, default=0, metavar="N",
                   help="measure only the first N googletest TUs")
    p.add_argument("--no-googletest", action="store_true",
                   help="skip the googletest TUs")
    p.add_argument("--no-generated", action="store_true",
                   help="skip the generated TUs")
    p.add_argument("--keep", action="store_true",
                   help="keep the generated TUs (their directory is printed)")
    p.add_argument("--target", type=float, default=5.0,
                   help="target aggregate analysis/parse of each scope in "
                   "%% (default: 5)")
    p.add_argument("--max-growth", type=float, default=1.5,
                   help="largest acceptable growth of analysis ms/MB (each "
                   "scope) from the smallest to the largest generated TU "
                   "(default: 1.5)")
    p.add_argument("--check", action="store_true",
                   help="exit 1 if a TU fails or a target is missed in any "
                   "scope")
    p.add_argument("--write-doc", action="store_true",
                   help="also update the bench-hash section of "
                   "docs/benchmarks.md")
    p.add_argument("--doc", default=DEFAULT_DOC, help=argparse.SUPPRESS)
    args = p.parse_args()
    try:
        args.sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        p.error("--sizes takes numbers separated by commas, e.g. 1,2.5,5,10")
    if args.reps < 1 or args.jobs < 1:
        p.error("--reps and --jobs must be at least 1")
    args.src = os.path.abspath(args.src)
    return args


def main():
    args = parse_args()
    if not args.no_googletest:
        ensure_googletest(args.src)
    hotast = Hotast(os.path.abspath(args.hotast))
    args.load = load_average()
    try:
        if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
            log(f"warning: load average {args.load} on {os.cpu_count()} CPUs: "
                "other work competes with the runs; timings will be noisy")
    except OSError:
        pass
    if args.jobs > 1:
        log(f"warning: --jobs {args.jobs}: concurrent runs distort timings")
    try:
        gt = (None, [], [])
        if not args.no_googletest:
            gt = bench_googletest(hotast, args)
        gen = (None, [])
        if not args.no_generated:
            gen = bench_generated(hotast, args)
    finally:
        hotast.cleanup()
    text = report(args, gt, gen, hotast)
    print(text)
    if args.write_doc:
        write_doc(args.doc, text)
    if args.check:
        bad = bool(gt[1]) or bool(gen[1])
        if gt[0]:
            bad |= any(aggregate(gt[0], sc) > args.target for sc in SCOPES)
        rows = gen[0] or []
        if len(rows) >= 2:
            bad |= any(growth(rows, sc) > args.max_growth for sc in SCOPES)
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
