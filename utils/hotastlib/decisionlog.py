"""The decision log (HOTAST_LOGFILE), read: its format in one place.

hotast appends one line per decision, and notes between them:

    TIME [PID] SOURCE -> OUTPUT: MESSAGE

TIME is local time to the second (2026-12-02T11:04:33), PID the process
that wrote the line, SOURCE and OUTPUT as the compile command spells them
(they may hold blanks). A line that ends a compile has a MESSAGE that starts
with its decision (DECISIONS) and goes on with why, e.g. "miss: changed
function f (a.h:3)"; any other MESSAGE is a note ("no direct-mode entry:
...", "cannot record the outcome: ..."). Lines of other shapes (none today)
are skipped. hotast writes the lines in lib/Wrapper/Config.cpp (logLine) and
lib/Wrapper/CompileJob.h (what: "SOURCE -> OUTPUT").

    python3 utils/hotastlib/decisionlog.py LOG    # one JSON object per line
"""
import json
import os
import re
import sys
from dataclasses import asdict, dataclass

DECISIONS = ("direct hit", "semantic hit", "miss", "not cached", "fallback",
             "compile failed")

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
    decision: str  # one of DECISIONS, or "" for a note


def parse_line(line):
    """The Entry of one line, or None for a line of another shape."""
    line = line.rstrip("\n")
    m = _DECISION.match(line)
    if m:
        return Entry(m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5),
                     m.group(6))
    m = _NOTE.match(line)
    if m:
        return Entry(m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5), "")
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
    """{output: entry} of the last decision of each output (notes left out)."""
    return {e.output: e for e in entries if e.decision}


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: decisionlog.py LOG")
    entries, _ = read(argv[1])
    for e in entries:
        print(json.dumps(asdict(e)))


if __name__ == "__main__":
    main(sys.argv)
