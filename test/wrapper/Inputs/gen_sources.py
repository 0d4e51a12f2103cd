"""Writes N C++ sources f0.cpp..f{N-1}.cpp, each with M small functions."""
import sys

count, functions = int(sys.argv[1]), int(sys.argv[2])
for i in range(count):
    with open(f"f{i}.cpp", "w") as out:
        for j in range(functions):
            out.write(f"int f{i}_{j}(int x) {{ return x * {j} + {i}; }}\n")
