"""The builds difftest compares: plain, through hotast, through ccache.

All three configure one source tree with the same flags, and each builds in
the same folder, WORK/build: a build's tree is parked in WORK/build-KIND and
renamed to WORK/build while it configures or builds. So every path that can
reach an object (sources, and with -g the compilation directory) is the same
in the three builds. hotast and ccache get fresh cache folders and log files. A build runs `ninja -k 0 -jJOBS OBJECTS...` over
the selected object files only (linking is not what is tested), and reports
which objects ninja recompiled, which failed, and how long it took. The
decision behind each compile (direct hit, semantic hit, miss...) comes from the
launcher's log.
"""

import hashlib
import json
import os
import re
import shlex
import subprocess
import time
from contextlib import contextmanager

from hotastlib import decisionlog

CXX = "/usr/bin/clang++-19"
CC = "/usr/bin/clang-19"
CCACHE = "/usr/bin/ccache"

_BUILDING = re.compile(r"^\[\d+/\d+\] Building (?:CXX|C) object (\S+)$", re.M)
_FAILED = re.compile(r"^FAILED: (\S+)", re.M)
_CCACHE_LINE = re.compile(r"^\[\S+ (\d+)\s*\] (Object file|Result): (.*)$")
CCACHE_DECISIONS = {"direct_cache_hit": "direct hit", "preprocessed_cache_hit": "preprocessed hit",
                    "cache_miss": "miss", "compile_failed": "compile failed"}


class Build:
    def __init__(self, kind, work, hotast):
        self.kind = kind
        self.dir = os.path.join(work, "build")           # where it builds
        self.park = os.path.join(work, "build-" + kind)  # where it rests
        self.cache = os.path.join(work, "cache-" + kind)
        self.logfile = os.path.join(work, kind + ".log")
        self.launcher = {"plain": None, "hotast": hotast, "ccache": CCACHE}[kind]
        # hotast: what each compile of the last decisions() paid (decisionlog.cost)
        self.costs = {}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTAST_", "CCACHE_"))}
        env["LC_ALL"] = "C"
        if kind == "hotast":
            env.update(HOTAST_DIR=self.cache, HOTAST_LOGFILE=self.logfile, **decisionlog.ENV)
        elif kind == "ccache":
            env.update(CCACHE_DIR=self.cache, CCACHE_LOGFILE=self.logfile)
        self.env = env
        self._log_offset = 0
        self._hashes = {}  # path -> (stat key, digest)

    @contextmanager
    def active(self):
        """This build's tree at WORK/build for the duration."""
        os.rename(self.park, self.dir)
        try:
            yield
        finally:
            os.rename(self.dir, self.park)

    def configure(self, src, flags, cmake_args):
        cmd = ["cmake", "-S", src, "-B", self.dir, "-G", "Ninja",
               "-DCMAKE_BUILD_TYPE=", "-DCMAKE_CXX_FLAGS=" + flags, "-DCMAKE_C_FLAGS=" + flags,
               "-DCMAKE_CXX_COMPILER=" + CXX, "-DCMAKE_C_COMPILER=" + CC,
               "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"] + list(cmake_args)
        if self.launcher:
            cmd += ["-DCMAKE_CXX_COMPILER_LAUNCHER=" + self.launcher,
                    "-DCMAKE_C_COMPILER_LAUNCHER=" + self.launcher]
        os.makedirs(self.park)
        with self.active():
            p = subprocess.run(cmd, env=self.env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise RuntimeError("cmake failed in %s:\n%s" % (self.dir, p.stdout[-3000:]))

    def compile_commands(self):
        with open(os.path.join(self.park, "compile_commands.json")) as f:
            entries = json.load(f)
        out = {}
        for e in entries:
            obj = e.get("output")
            if not obj:
                obj = _output_of(e["command"])
            out[os.path.normpath(obj)] = e
        return out

    def build(self, objects, jobs):
        """Runs ninja over `objects`: (ok, seconds, recompiled, failed, output)."""
        with self.active():
            t0 = time.monotonic()
            p = subprocess.run(["ninja", "-C", self.dir, "-k", "0", "-j", str(jobs)]
                               + list(objects), env=self.env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            seconds = time.monotonic() - t0
        recompiled = {os.path.normpath(o) for o in _BUILDING.findall(p.stdout)}
        failed = {os.path.normpath(o) for o in _FAILED.findall(p.stdout)}
        return p.returncode == 0, seconds, recompiled, failed, p.stdout

    def plan(self, predict=False):
        """`hotast plan --json` (with --predict) of this build: (exit status, the
        objects it says are recompiled (relative), its document or its error
        text)."""
        with self.active():
            p = subprocess.run([self.launcher, "plan", "-p", self.dir, "--json"] +
                               (["--predict"] if predict else []), env=self.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=1800)
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            return p.returncode, set(), p.stdout + p.stderr
        planned = {self._relative(e["output"]) for e in doc.get("recompile", [])}
        return p.returncode, planned, doc

    def deps(self, objects):
        """{object: [files it read]} from ninja's deps log."""
        with self.active():
            p = subprocess.run(["ninja", "-C", self.dir, "-t", "deps"] + list(objects),
                               env=self.env, stdout=subprocess.PIPE, text=True, check=True)
        out, cur = {}, None
        for line in p.stdout.splitlines():
            if line and not line[0].isspace():
                cur = os.path.normpath(line.split(":")[0])
                out[cur] = []
            elif line.strip() and cur:
                out[cur].append(os.path.normpath(os.path.join(self.dir, line.strip())))
        return out

    def digest(self, obj):
        """SHA-256 of an object of this build, None when missing."""
        path = os.path.join(self.park, obj)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        key = (st.st_mtime_ns, st.st_size, st.st_ino)
        cached = self._hashes.get(path)
        if cached and cached[0] == key:
            return cached[1]
        with open(path, "rb") as f:
            d = hashlib.sha256(f.read()).hexdigest()
        self._hashes[path] = (key, d)
        return d

    def decisions(self):
        """{object: decision} logged since the last call (hotast and ccache)."""
        if not self.launcher or not os.path.exists(self.logfile):
            return {}
        if self.kind == "hotast":
            entries, self._log_offset = decisionlog.read(self.logfile, self._log_offset)
            last = decisionlog.decisions(entries)
            self.costs = {self._relative(out): decisionlog.cost(e) for out, e in last.items()}
            return {self._relative(out): e.decision for out, e in last.items()}
        with open(self.logfile, errors="replace") as f:
            f.seek(self._log_offset)
            text = f.read()
            self._log_offset = f.tell()
        out = {}
        current = {}
        for line in text.splitlines():
            m = _CCACHE_LINE.match(line)
            if not m:
                continue
            pid, what, value = m.groups()
            if what == "Object file":
                current[pid] = self._relative(value.strip())
            elif pid in current and value in CCACHE_DECISIONS:
                out[current.pop(pid)] = CCACHE_DECISIONS[value]
        return out

    def stats(self):
        if self.kind == "hotast":
            p = subprocess.run([self.launcher, "stats", "--json"], env=self.env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            try:
                return json.loads(p.stdout)
            except ValueError:
                return {}
        return {}

    def _relative(self, obj):
        if os.path.isabs(obj):
            obj = os.path.relpath(obj, self.dir)
        return os.path.normpath(obj)


_STATUS = re.compile(r"^\[\d+/\d+\] ")


def printed(output):
    """{object: what its compile printed} from ninja's output (ninja prints a
    command's output right after its status line)."""
    out, current = {}, None
    for line in output.splitlines():
        m = _BUILDING.match(line)
        if m:
            current = os.path.normpath(m.group(1))
            out[current] = ""
        elif _STATUS.match(line) or line.startswith("ninja: ") or line.startswith("FAILED: "):
            current = None
        elif current:
            out[current] += line + "\n"
    return out


def _output_of(command):
    words = shlex.split(command)
    return words[words.index("-o") + 1]
