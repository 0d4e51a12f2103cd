"""Runs N compiles at once through hotast: each of COUNT generated sources in
two checkouts (DIR/A, DIR/B), A's with one local cache and B's with another,
both with the remote cache of CONF (a hotast.conf copied into each cache) and
base_dir DIR. Prints the number of objects that differ from clang's and the
compiles that failed."""
import concurrent.futures
import os
import shutil
import subprocess
import sys

hotast, clang, top, conf, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
jobs = []
for side in ("A", "B"):
    src = os.path.join(top, side)
    os.makedirs(src, exist_ok=True)
    cache = os.path.join(top, "cache" + side)
    os.makedirs(cache, exist_ok=True)
    shutil.copy(conf, os.path.join(cache, "hotast.conf"))
    with open(os.path.join(cache, "hotast.conf"), "a") as f:
        f.write(f"base_dir = {top}\n")
    for i in range(count):
        with open(os.path.join(src, f"s{i}.c"), "w") as f:
            f.write(f"static int table[] = {{ {', '.join(str(i * k) for k in range(50))} }};\n"
                    f"int f{i}(int k) {{ return table[k % 50] + {i}; }}\n")
        # Written well before the compiles: a file modified around a
        # compile's start gets a direct-mode stamp that never matches.
        past = os.path.getmtime(os.path.join(src, f"s{i}.c")) - 60
        os.utime(os.path.join(src, f"s{i}.c"), (past, past))
        jobs.append((src, cache, f"s{i}.c"))


def compile(job):
    src, cache, name = job
    env = dict(os.environ, HOTAST_DIR=cache, HOTAST_LOGFILE=os.path.join(top, "log"))
    obj = name[:-2] + ".o"
    r = subprocess.run([hotast, clang, "-O2", "-c", name, "-o", obj], cwd=src, env=env,
                       capture_output=True, timeout=300)
    ref = name[:-2] + ".ref.o"
    subprocess.run([clang, "-O2", "-c", name, "-o", ref], cwd=src, check=True, timeout=300)
    same = open(os.path.join(src, obj), "rb").read() == open(os.path.join(src, ref), "rb").read() \
        if r.returncode == 0 else False
    return r.returncode, same


with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
    results = list(pool.map(compile, jobs))
print(f"{len(results)} compiles, {sum(1 for rc, _ in results if rc)} failed, "
      f"{sum(1 for rc, same in results if rc == 0 and not same)} objects differ")
