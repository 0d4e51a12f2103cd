"""CACHE_DIR: "stored_bytes=N cache_size=M", the store's size counter beside
what `hotast stats --json` measures on disk."""
import json
import sqlite3
import subprocess
import sys

cache, hotast = sys.argv[1], sys.argv[2]
row = sqlite3.connect(cache + "/hotast.db").execute(
    "SELECT value FROM counters WHERE name = 'stored_bytes'").fetchone()
stats = json.loads(subprocess.run([hotast, "stats", "--json"], check=True, capture_output=True,
                                  env={"HOTAST_DIR": cache}, text=True).stdout)
print("stored_bytes=%d cache_size=%d" % (row[0] if row else 0, stats["cache_size_bytes"]))
