"""Prints `ninja -t deps` of a build directory in a form two builds can be
compared in: one block per object, sorted, without the recorded mtimes."""
import re
import subprocess
import sys

out = subprocess.run(["ninja", "-C", sys.argv[1], "-t", "deps"], check=True,
                     capture_output=True, text=True, timeout=60).stdout
blocks = [re.sub(r"deps mtime \d+ ", "", b.strip()) for b in out.split("\n\n") if b.strip()]
print("\n\n".join(sorted(blocks)))
