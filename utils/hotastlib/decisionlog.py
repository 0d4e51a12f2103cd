"""The decision log (HOTAST_LOGFILE), read: its formats in one place.

hotast writes one record per decision and notes between them
(include/hotast/Wrapper/DecisionLog.h, lib/Wrapper/DecisionLog.cpp), as
text by default or, with HOTAST_LOG_FORMAT=json, as one JSON object a line:

    {"time": "2026-12-02T11:04:33", "pid": 4242, "event": "miss",
     "source": "a.cpp", "output": "a.o", "reason": "changed function f (a.h:3)",
     "notes": ["parsed twice: a hit was likely"], "remote": false,
     "message": "miss: changed function f (a.h:3) (parsed twice: a hit was likely)",
     "times": {"lookup": 2.7, "guess": 0.1, "compile": 1968.9, "fingerprint": 83.6,
               "code lines": 4.9, "snapshot": 35.5}}

("times", milliseconds by step, on a compile the linked Clang parsed, and
"snapshot" alone on another compiler's miss: docs/wrapper.md, "The
decision log".)

The text line of the same record:

    TIME [PID] SOURCE -> OUTPUT: MESSAGE

TIME is local time to the second, PID the process that wrote the record,
SOURCE and OUTPUT as the compile command spells them (they may hold
blanks). A decision's MESSAGE starts with its words (DECISIONS) and goes on
with why; any other MESSAGE is a note. A link hotast recorded is
`link OUTPUT: MESSAGE`, a command hotast did not take apart
`uncacheable (REASON): COMPILER`; the text reader skips both (JSON has
them: events "link" and "uncacheable" with an empty source). Scripts that
write the log themselves ask for JSON (ENV); the text reader is for logs
people kept.

    python3 utils/hotastlib/decisionlog.py LOG    # one JSON object per record
"""
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field

# The environment that makes hotast write the JSON this module reads best.
ENV = {"HOTAST_LOG_FORMAT": "json"}

DECISIONS = ("direct hit", "semantic hit", "miss", "not cached", "uncacheable",
             "fallback", "compile failed")

_DECISION = re.compile(r"^(\S+) \[(\d+)\] (.*?) -> (.*?): ((%s)\b.*)$" %
                       "|".join(re.escape(d) for d in DECISIONS))
_NOTE = re.compile(r"^(\S+) \[(\d+)\] (.*?) -> (.*?): (.*)$")


@dataclass
class Entry:
    time: str
    pid: int
    source: str
    output: str
    message: str
    decision: str  # one of DECISIONS, or "" for a note (or a link)
    event: str = ""  # JSON's event ("direct_hit", ..., "note", "link")
    reason: str = ""  # from JSON only: the text reader leaves these empty
    notes: list = field(default_factory=list)
    remote: bool = False
    times: dict = field(default_factory=dict)  # JSON only: milliseconds by step


def _from_json(line):
    o = json.loads(line)
    event = o["event"]
    words = event.replace("_", " ")
    return Entry(o["time"], o["pid"], o["source"], o["output"], o["message"],
                 words if words in DECISIONS else "", event, o["reason"], o["notes"],
                 o["remote"], o.get("times", {}))


def parse_line(line):
    """The Entry of one line, or None for a line of another shape."""
    line = line.rstrip("\n")
    if line.startswith("{"):
        try:
            return _from_json(line)
        except (ValueError, KeyError):
            return None
    m = _DECISION.match(line)
    if m:
        return Entry(m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5),
                     m.group(6), m.group(6).replace(" ", "_"))
    m = _NOTE.match(line)
    if m:
        return Entry(m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5), "",
                     "note")
    return None


def read(path, offset=0):
    """(entries, end offset) of the log from offset on; ([], offset) when
    there is no log yet."""
    if not os.path.exists(path):
        return [], offset
    with open(path, errors="replace") as f:
        f.seek(offset)
        text = f.read()
        end = f.tell()
    return [e for e in map(parse_line, text.splitlines()) if e], end


def decisions(entries):
    """{output: entry} of the last decision of each compile (notes, links
    and commands hotast did not take apart left out)."""
    return {e.output: e for e in entries if e.decision and e.source}


# What a decision cost the compile, from its words and notes (cost()).
COSTS = ("direct", "not parsed", "parsed", "compiled, a hit", "compiled", "parsed twice",
         "other")


def cost(entry):
    """What the compile behind a decision paid, as one of COSTS: no parse
    (a direct hit, or a semantic hit whose edit the code lines answered),
    a parse without code generation (a semantic hit parsed first), a
    compile that found a hit at the end of its parse (code generation paid,
    the backend skipped), a compile, or a parse then a compile (a miss
    parsed first)."""
    m = entry.message
    if entry.decision == "direct hit":
        return "direct"
    if entry.decision == "semantic hit":
        if "not parsed" in m:
            return "not parsed"
        return "parsed" if "parsed without code generation" in m else "compiled, a hit"
    if entry.decision == "miss":
        return "parsed twice" if "parsed twice" in m else "compiled"
    return "other"


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: decisionlog.py LOG")
    entries, _ = read(argv[1])
    for e in entries:
        print(json.dumps(asdict(e)))


if __name__ == "__main__":
    main(sys.argv)
