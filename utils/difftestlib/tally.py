"""Per-TU classification of each step, and the figures difftest reports.

For one build through a cache (hotast or ccache), every compile ninja ran at a
step is one of:

  hit        the tool reused an object (hotast: direct or semantic hit;
             ccache: direct or preprocessed hit);
  recompile  anything else (a miss, or a compile the tool did not cache).

and, against the objects of that build and of the plain build:

  stale      the object differs from the plain build's object at this step,
             whatever the reason (a hit, a miss, ninja not rerunning a compile
             because a depfile missed a dependency, a compile that succeeded
             or failed where the plain one did not);
  wasted     a recompile whose object is byte-identical to the object the same
             build had before the step: the tool could have reused it;
  necessary  a recompile whose object changed.

precision = necessary / recompiles (100% when nothing was recompiled).
hit rate  = hits / compiles.
"""

import collections

HOTAST_HITS = ("direct hit", "semantic hit")
CCACHE_HITS = ("direct hit", "preprocessed hit")


class Figures:
    """Counts for one tool, one mutator (or all)."""

    def __init__(self):
        self.c = collections.Counter()

    def add_compile(self, decision, hits, changed, had_before):
        self.c["compiles"] += 1
        self.c["decision:" + decision] += 1
        if decision in hits:
            self.c["hits"] += 1
        else:
            self.c["recompiles"] += 1
            if had_before and not changed:
                self.c["wasted"] += 1

    def precision(self):
        r = self.c["recompiles"]
        return 100.0 if r == 0 else 100.0 * (r - self.c["wasted"]) / r

    def hit_rate(self):
        n = self.c["compiles"]
        return 0.0 if n == 0 else 100.0 * self.c["hits"] / n


class Tally:
    def __init__(self, tools):
        self.tools = tools  # e.g. ["hotast", "ccache"]
        self.by = collections.defaultdict(lambda: {t: Figures() for t in tools})
        self.edits = collections.Counter()
        self.broken = collections.Counter()
        self.changed = collections.Counter()  # compiles whose plain object changed
        self.ninja = collections.Counter()    # compiles ninja ran in the plain build
        self.stale = []                       # dicts: tool, step, mutator, object, decision
        self.seconds = collections.Counter()

    def step(self, mutator, rows):
        """rows: per object, {'plain_changed', tool: (decision, changed, had_before)}."""
        self.edits[mutator] += 1
        for row in rows:
            for key in (mutator, "all"):
                self.ninja[key] += 1
                self.changed[key] += bool(row["plain_changed"])
                for tool in self.tools:
                    if tool in row:
                        hits = HOTAST_HITS if tool == "hotast" else CCACHE_HITS
                        decision, changed, had_before = row[tool]
                        self.by[key][tool].add_compile(decision, hits, changed, had_before)

    def stale_count(self, tool="hotast"):
        return sum(1 for s in self.stale if s["tool"] == tool)

    def summary(self):
        out = {"edits": sum(self.edits.values()), "broken": sum(self.broken.values()),
               "seconds": dict(self.seconds), "mutators": {}}
        keys = sorted((set(self.by) | set(self.edits) | set(self.broken)) - {"all"}) + ["all"]
        for key in keys:
            m = {"edits": self.edits[key] if key != "all" else out["edits"],
                 "broken": self.broken[key] if key != "all" else out["broken"],
                 "compiles": self.ninja[key], "objects_changed": self.changed[key]}
            for tool in self.tools:
                f = self.by[key][tool]
                m[tool] = dict(f.c)
                m[tool]["precision"] = round(f.precision(), 1)
                m[tool]["hit_rate"] = round(f.hit_rate(), 1)
                m[tool]["stale"] = sum(1 for s in self.stale if s["tool"] == tool
                                       and (key == "all" or s["mutator"] == key))
            out["mutators"][key] = m
        return out

    def table(self):
        """The per-mutator breakdown as a Markdown table."""
        s = self.summary()
        tools = self.tools
        head = ["mutator", "edits", "broken", "compiles", "changed"]
        head += ["hotast D/S/R", "hotast wasted", "hotast precision", "hotast stale"]
        if "ccache" in tools:
            head += ["ccache hit/R", "ccache wasted", "ccache precision", "ccache stale"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for key, m in s["mutators"].items():
            h = m["hotast"]
            row = [("**all**" if key == "all" else key), m["edits"], m["broken"], m["compiles"],
                   m["objects_changed"],
                   "%d/%d/%d" % (h.get("decision:direct hit", 0), h.get("decision:semantic hit", 0),
                                 h.get("recompiles", 0)),
                   h.get("wasted", 0), "%.1f%%" % h["precision"], h["stale"]]
            if "ccache" in tools:
                c = m["ccache"]
                row += ["%d/%d" % (c.get("hits", 0), c.get("recompiles", 0)), c.get("wasted", 0),
                        "%.1f%%" % c["precision"], c["stale"]]
            lines.append("| " + " | ".join(str(x) for x in row) + " |")
        return "\n".join(lines)
