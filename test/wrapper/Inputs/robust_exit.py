#!/usr/bin/env python3
"""usage: robust_exit.py STDERR_FILE COMMAND ARGS...

Runs COMMAND, writes its stderr to STDERR_FILE, passes its stdout through,
and prints "exit N" (N its exit status; -S when a signal S killed it), so a
test can compare exact statuses and diagnostics. Always exits 0.
"""
import subprocess
import sys

with open(sys.argv[1], "wb") as err:
    r = subprocess.run(sys.argv[2:], stderr=err, stdout=subprocess.PIPE)
sys.stdout.buffer.write(r.stdout)
print(f"exit {r.returncode}")
