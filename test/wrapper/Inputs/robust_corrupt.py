#!/usr/bin/env python3
"""Damages cache files the way a crash, a bad disk or a stray write would.

usage: robust_corrupt.py MODE PATH
  garbage PATH   replace the whole file with 8 KiB of garbage
  tail PATH      keep the first 4 KiB page (the SQLite header), garbage after
  flip PATH      flip every byte of the payload of each blob under PATH
                 (a cache's objects/ directory), keeping its 32-byte header
  truncate PATH  cut each blob under PATH to half its size
Prints how many files it damaged.
"""
import os
import sys

mode, path = sys.argv[1], sys.argv[2]
GARBAGE = bytes((i * 37 + 11) % 256 for i in range(8192))

def blobs(root):
    for d, _, names in os.walk(root):
        for n in names:
            if ".tmp." not in n:
                yield os.path.join(d, n)

if mode == "garbage":
    with open(path, "wb") as f:
        f.write(GARBAGE)
    print("damaged 1")
elif mode == "tail":
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        if size <= 4096:
            sys.exit(f"{path}: only {size} bytes")
        f.seek(4096)
        f.write((GARBAGE * (size // len(GARBAGE) + 1))[: size - 4096])
    print("damaged 1")
elif mode in ("flip", "truncate"):
    n = 0
    for p in blobs(path):
        with open(p, "r+b") as f:
            data = f.read()
            if mode == "flip":
                f.seek(32)
                f.write(bytes(b ^ 0xFF for b in data[32:]))
            else:
                f.truncate(len(data) // 2)
        n += 1
    print(f"damaged {n}")
else:
    sys.exit(f"unknown mode {mode}")
