"""Small things every script of utils/ needs alike."""
import os
import platform
import sys


def log(*parts):
    """A progress line on stderr, at once (stdout holds the results)."""
    print(*parts, file=sys.stderr, flush=True)


def machine():
    """The machine a figure was measured on, for the record beside it."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%d CPUs (%s), %s" % (os.cpu_count(), model, platform.platform())


def die_with_parent():
    """Called in a child before it runs (preexec_fn): the process is killed
    when the script ends, however it ends."""
    import ctypes
    import signal
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
