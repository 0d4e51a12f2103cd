#!/usr/bin/env python3
"""usage: robust_cmp_objects.py BUILD_A BUILD_B

Compares the object files two builds of one project produced: the same set
of *.o (relative paths), byte-identical. Configure-time objects (compiler
identification, try_compile scratch) are left out. Prints
"N objects, all identical", or one line per difference."""
import os
import sys

def objects(root):
    found = {}
    for d, dirs, names in os.walk(root):
        rel = os.path.relpath(d, root)
        parts = rel.split(os.sep)
        if any(p == "CMakeScratch" or p.startswith("_CMake") or p[:1].isdigit() for p in parts):
            continue
        for n in names:
            if n.endswith(".o"):
                found[os.path.normpath(os.path.join(rel, n))] = os.path.join(d, n)
    return found

a, b = objects(sys.argv[1]), objects(sys.argv[2])
bad = 0
for rel in sorted(set(a) | set(b)):
    if rel not in a or rel not in b:
        print(f"DIFF {rel}: only in {'the first' if rel in a else 'the second'} build")
        bad += 1
        continue
    with open(a[rel], "rb") as fa, open(b[rel], "rb") as fb:
        if fa.read() != fb.read():
            print(f"DIFF {rel}: differs")
            bad += 1
if not bad:
    print(f"{len(a)} objects, all identical")
