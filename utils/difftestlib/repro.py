"""A failure's minimized reproducer.

A stale object is reproduced outside the build: the TU's project files (what
its depfile lists under the source root) in each state that matters, compiled
in order through hotast with a fresh cache, then the last state with plain
clang, and the two objects compared. The states tried, in order:

  0. for a stale miss, the current state alone;
  1. the state before the step and after it;
  2. the state the served object was compiled from, and the current one;
  3. every state hotast compiled the TU in, from the start.

With two states, the difference between them is reduced hunk by hunk while the
stale object still reproduces (min.diff). The folder holds the files
(tree/ = first state, states/NN/ = files changed in later states), the edit,
and reproduce.sh, which exits 1 when the stale object reproduces.
"""

import difflib
import os
import shlex
import shutil
import subprocess
import tempfile
import time


class History:
    """Every file's content at the end of every step (step 0: the copy)."""

    def __init__(self, src_root):
        self.root = src_root
        self.edits = []  # (step, relpath, before, after)

    def record(self, step, rel, before, after):
        self.edits.append((step, rel, before, after))

    def text(self, rel, step):
        latest, first = None, None
        for s, r, before, after in self.edits:
            if r != rel:
                continue
            if first is None:
                first = before
            if s <= step:
                latest = after
        if latest is not None:
            return latest
        if first is not None:
            return first
        with open(os.path.join(self.root, rel), errors="surrogateescape") as f:
            return f.read()

    def state(self, rels, step):
        return {r: self.text(r, step) for r in rels}


def unified(rel, before, after):
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        "a/" + rel, "b/" + rel))


class Reproducer:
    def __init__(self, hotast, src_root, build_dir, entry, obj, deps, budget=300):
        self.hotast, self.src_root, self.build_dir = hotast, src_root, build_dir
        self.obj = obj
        self.words = _ninja_words(entry, obj)
        self.rels = sorted(os.path.relpath(d, src_root) for d in deps
                           if d.startswith(src_root + os.sep))
        self.deadline = time.monotonic() + budget

    def replay(self, states):
        """Compiles the states in order through hotast, the last with clang;
        True when the objects differ, None when a compile failed."""
        tmp = tempfile.mkdtemp(prefix="difftest-replay-")
        try:
            src, build = os.path.join(tmp, "src"), os.path.join(tmp, "build")
            words = [w.replace(self.src_root, src).replace(self.build_dir, build)
                     for w in self.words]
            os.makedirs(os.path.join(build, os.path.dirname(self.obj)), exist_ok=True)
            env = {k: v for k, v in os.environ.items() if not k.startswith("HOTAST_")}
            env.update(HOTAST_DIR=os.path.join(tmp, "cache"), LC_ALL="C")
            for files in states:
                _write(src, files)
                if subprocess.run([self.hotast] + words, cwd=build, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode:
                    return None
            hot = os.path.join(tmp, "hotast.o")
            shutil.copyfile(os.path.join(build, self.obj), hot)
            if subprocess.run(words, cwd=build, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode:
                return None
            with open(hot, "rb") as a, open(os.path.join(build, self.obj), "rb") as b:
                return a.read() != b.read()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def find(self, history, step, origin_step, compiled_steps, alone=False):
        """The first sequence of states (lists of step numbers) that reproduces;
        alone: try the current state compiled alone first (a stale miss)."""
        candidates = ([[step]] if alone else []) + [[step - 1, step]]
        if origin_step is not None and origin_step != step - 1:
            candidates.append([origin_step, step])
        candidates.append(sorted(set(compiled_steps) | {0}) + [step])
        for seq in candidates:
            if time.monotonic() > self.deadline:
                break
            states = [history.state(self.rels, s) for s in seq]
            if self.replay(states):
                return seq, states
        return None, None

    def minimize(self, first, last):
        """Drops hunks of first->last while the stale object reproduces."""
        hunks = []
        for rel in self.rels:
            a, b = first[rel].splitlines(True), last[rel].splitlines(True)
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False) \
                    .get_opcodes():
                if tag != "equal":
                    hunks.append((rel, i1, i2, tuple(b[j1:j2])))
        kept = list(hunks)
        for h in hunks:
            if time.monotonic() > self.deadline or len(kept) <= 1:
                break
            trial = [k for k in kept if k != h]
            if self.replay([first, _apply(first, trial)]):
                kept = trial
        return _apply(first, kept)

    def write(self, folder, seq, states, header, edit_diff, minimized):
        os.makedirs(folder, exist_ok=True)
        _write(os.path.join(folder, "tree"), states[0])
        for i, files in enumerate(states[1:], 1):
            changed = {r: t for r, t in files.items() if t != states[i - 1].get(r)}
            _write(os.path.join(folder, "states", "%02d" % i), changed)
        with open(os.path.join(folder, "edit.diff"), "w") as f:
            f.write(edit_diff)
        if minimized is not None:
            with open(os.path.join(folder, "min.diff"), "w") as f:
                f.write("".join(unified(r, states[0][r], minimized[r]) for r in self.rels
                                if states[0][r] != minimized[r]))
        with open(os.path.join(folder, "README.txt"), "w") as f:
            f.write(header + "\nStates (difftest steps): %s\n" % seq)
        script = os.path.join(folder, "reproduce.sh")
        with open(script, "w") as f:
            f.write(_script(self.words, self.src_root, self.build_dir, self.obj, self.hotast,
                            header, len(states)))
        os.chmod(script, 0o755)


def _ninja_words(entry, obj):
    """The compile command as ninja runs it (CMake's rule adds the depfile flags)."""
    words = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    i = words.index("-o")
    return words[:i] + ["-MD", "-MT", obj, "-MF", obj + ".d"] + words[i:]


def _write(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", errors="surrogateescape") as f:
            f.write(text)


def _apply(first, hunks):
    """first with the given hunks (rel, i1, i2, new lines) applied."""
    out = dict(first)
    for rel in {h[0] for h in hunks}:
        lines = first[rel].splitlines(True)
        for _, i1, i2, new in sorted((h for h in hunks if h[0] == rel), key=lambda h: -h[1]):
            lines[i1:i2] = list(new)
        out[rel] = "".join(lines)
    return out


def _script(words, src_root, build_dir, obj, hotast, header, nstates):
    def q(word):
        s = word.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
        return '"' + s.replace(src_root, "$w/src").replace(build_dir, "$w/build") + '"'
    cmd = " ".join(q(w) for w in words)
    comment = "".join("# " + line + "\n" for line in header.splitlines())
    return """#!/bin/sh
{comment}#
# Compiles the {n} states (tree/, then each states/NN/ over it) through hotast
# with a fresh cache, the last also with plain clang, and compares the objects.
# Usage: sh reproduce.sh [HOTAST]. Exit status 1: the stale object reproduced.
here=$(cd "$(dirname "$0")" && pwd)
hotast=${{1:-{hotast}}}
w=$(mktemp -d /tmp/difftest-repro.XXXXXX)
mkdir -p "$w/src" "$w/build/{objdir}"
cd "$w/build" || exit 2
for s in "$here/tree" "$here"/states/*; do
  [ -d "$s" ] && cp -R "$s/." "$w/src/"
  HOTAST_DIR="$w/cache" HOTAST_LOGFILE="$w/hotast.log" "$hotast" {cmd} || exit 2
done
cp "{obj}" "$w/hotast.o"
{cmd} || exit 2
if cmp -s "{obj}" "$w/hotast.o"; then
  echo "not reproduced: hotast's object equals clang's ($w)"
  exit 0
fi
echo "stale object reproduced: $w/hotast.o differs from clang's $w/build/{obj}"
cat "$w/hotast.log"
exit 1
""".format(comment=comment, n=nstates, hotast=hotast, objdir=os.path.dirname(obj), cmd=cmd,
           obj=obj)
