#!/usr/bin/env python3
"""Runs N compiles at once through hotast into one cache and checks each one.

usage: robust_concurrent.py HOTAST CLANG WORKDIR ROUND

WORKDIR/src holds the sources (written by round 1), WORKDIR/plain the objects
of a plain compile, WORKDIR/cache the cache; round R writes WORKDIR/out<R>.
Twelve different sources, plus one source compiled to four different outputs:
sixteen compiles, started together. Prints one line per failed check, then a
summary line that the test matches.
"""
import os
import subprocess
import sys
import threading

hotast, clang, work, round_ = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
src, plain, out = (os.path.join(work, d) for d in ("src", "plain", f"out{round_}"))
N_DIFFERENT, N_SAME = 12, 4
FLAGS = ["-std=c++17", "-O2", "-I", src]

HEADER = """#pragma once
#include <vector>
template <typename T> T total(const std::vector<T> &V) {
  T Sum{};
  for (const T &X : V) Sum += X;
  return Sum;
}
"""

def source(i):
    return f"""#include "common.h"
int value{i}(int N) {{
  std::vector<int> V;
  for (int I = 0; I < N; ++I) V.push_back(I * {i + 1});
  return total(V) + {i};
}}
"""

# (source, object name) for each of the 16 compiles.
jobs = [(f"s{i}.cpp", f"s{i}.o") for i in range(N_DIFFERENT)]
jobs += [("same.cpp", f"same{k}.o") for k in range(N_SAME)]

if round_ == 1:
    os.makedirs(src, exist_ok=True)
    os.makedirs(plain, exist_ok=True)
    with open(os.path.join(src, "common.h"), "w") as f:
        f.write(HEADER)
    for i in range(N_DIFFERENT):
        with open(os.path.join(src, f"s{i}.cpp"), "w") as f:
            f.write(source(i))
    with open(os.path.join(src, "same.cpp"), "w") as f:
        f.write(source(99))
    for s, o in jobs:
        subprocess.run([clang, "-c", os.path.join(src, s), "-o", os.path.join(plain, o)] + FLAGS,
                       check=True)
os.makedirs(out, exist_ok=True)

env = dict(os.environ, HOTAST_DIR=os.path.join(work, "cache"),
           HOTAST_LOGFILE=os.path.join(work, f"log{round_}"))
results = [None] * len(jobs)
start = threading.Barrier(len(jobs))

def run(k):
    s, o = jobs[k]
    start.wait()
    results[k] = subprocess.run(
        [hotast, clang, "-c", os.path.join(src, s), "-o", os.path.join(out, o)] + FLAGS,
        env=env, capture_output=True, text=True)

threads = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
for t in threads:
    t.start()
for t in threads:
    t.join()

failures = 0
for (s, o), r in zip(jobs, results):
    if r.returncode != 0 or r.stderr:
        failures += 1
        print(f"FAIL {s} -> {o}: status {r.returncode}, stderr: {r.stderr!r}")
    with open(os.path.join(plain, o), "rb") as a:
        expected = a.read()
    try:
        with open(os.path.join(out, o), "rb") as b:
            actual = b.read()
    except OSError as e:
        actual = None
        print(f"FAIL {o}: {e}")
    if actual != expected:
        failures += 1
        print(f"FAIL {o}: differs from the plain compile")
print(f"round {round_}: {len(jobs)} compiles, {failures} failures")
