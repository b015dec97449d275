"""Run every benchmark in bench/ (``make bench``): each ``bench_*.py`` as its own process.

Pass ``--quick`` for tiny sizes (a smoke run); results of full runs are recorded in bench/results/*.md and
assembled into BENCHMARKS.md.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    args = sys.argv[1:]
    only = [a for a in args if not a.startswith("-")]
    flags = [a for a in args if a.startswith("-")]
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if only and name not in only:
            continue
        print(f"== {script.name} {' '.join(flags)}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *flags])
        print(f"== {script.name}: exit {code} in {time.perf_counter() - started:.1f} s\n", flush=True)
        if code != 0:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
