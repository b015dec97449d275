"""CLI figures: peak memory of `brandrail check` over many small files (streamed output), and the time of
the fast pre-commit hook (`.pre-commit-hooks.yaml`, id `brandrail`) on 100 changed files.

Run: .venv/bin/python bench/bench_cli.py [--quick] [--src PATH] [--sizes 2000,20000] [--formats json,sarif]
     [--repeats 3] [--no-hook]   (--src: the sources to measure, e.g. an older checkout's src/)
     .venv/bin/python bench/bench_cli.py --scale [--sizes 2000,20000] [--repeats 3]
     (--scale: `--jobs 1` against `--jobs 2` and `--jobs 2 --baseline`; files/s, the peak RSS of the whole
     process tree — the parent and its workers — sampled from /proc, and the load average: the machine is
     shared, compare ratios)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POLICY = """\
brand:
  name: Acme
  trademarks:
    - term: GORE-TEX
terms:
  banned:
    - {term: flimsy, replacement: lightweight}
    - {term: cheap, replacement: affordable, inflections: true}
channels:
  sms: {kind: sms, max_length: 160}
"""
TEXTS = (
    "Our flimsy tents are cheap this week.\n",
    "# Spring sale\n\nGet 20% off Gore-Tex jackets. Terms apply.\n",
    "Thanks for your order! It ships tomorrow.\n",
    "The best deal ever, guaranteed!!! Call 555-0100.\n",
)


def make_files(folder: Path, n: int) -> None:
    for i in range(n):
        sub = folder / f"d{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        suffix = ".md" if i % 2 else ".txt"
        (sub / f"m{i:05d}{suffix}").write_text(TEXTS[i % len(TEXTS)] * (1 + i % 3), encoding="utf-8")


def run(args: list[str], src: Path, cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB and exit code of one `brandrail` process."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from brandrail.cli import main; main()", *args],
            stdout=sink,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def run_tree(args: list[str], src: Path, cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) summed over the process and its children, sampled every 20 ms, exit."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    peak = 0
    with open(os.devnull, "w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from brandrail.cli import main; main()", *args],
            stdout=sink,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
        )
        while proc.poll() is None:
            pids = [proc.pid]
            try:
                children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
                pids += [int(c) for c in children]
            except OSError:
                pass
            total = 0
            for pid in pids:
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    pass
            peak = max(peak, total)
            time.sleep(0.02)
    return time.perf_counter() - start, peak / 1024, proc.returncode


def scale(sizes: list[int], repeats: int, src: Path) -> None:
    print(f"sources: {src}; cores {len(os.sched_getaffinity(0))}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
        for n in sizes:
            folder = root / f"files-{n}"
            folder.mkdir()
            make_files(folder, n)
            base = root / f"baseline-{n}.json"
            run(["check", str(folder), "--write-baseline", str(base), "--jobs", "1"], src, root)
            configs = {
                "--jobs 1": ["--jobs", "1"],
                "--jobs 2": ["--jobs", "2"],
                "--jobs 2 --baseline": ["--jobs", "2", "--baseline", str(base)],
                "--jobs 1 --baseline": ["--jobs", "1", "--baseline", str(base)],
            }
            first = None
            for label, extra in configs.items():
                runs = []
                loads = []
                for _ in range(repeats):
                    runs.append(run_tree(["check", str(folder), "--format", "json", *extra], src, root))
                    loads.append(os.getloadavg()[0])
                wall = statistics.median(r[0] for r in runs)
                first = first or wall
                print(
                    f"{n:>6} files {label:20}: wall median {wall:6.1f} s ({n / wall:5.0f} files/s, "
                    f"x{first / wall:.2f} vs --jobs 1), peak RSS tree {statistics.median(r[1] for r in runs):5.0f} "
                    f"MiB, exit {runs[0][2]}, load {min(loads):.1f}-{max(loads):.1f}"
                )


def main() -> None:
    quick = "--quick" in sys.argv
    if "--scale" in sys.argv:
        src_arg = Path(sys.argv[sys.argv.index("--src") + 1]) if "--src" in sys.argv else None
        sizes_arg = sys.argv[sys.argv.index("--sizes") + 1] if "--sizes" in sys.argv else "2000,20000"
        reps = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 3
        scale([int(x) for x in sizes_arg.split(",")], reps, src_arg or Path(__file__).parents[1] / "src")
        return
    src = (
        Path(sys.argv[sys.argv.index("--src") + 1])
        if "--src" in sys.argv
        else Path(__file__).parents[1] / "src"
    )

    def opt(name: str, default: str) -> str:
        return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

    repeats = int(opt("--repeats", "1" if quick else "3"))
    sizes = [int(x) for x in opt("--sizes", "200,2000" if quick else "2000,20000").split(",")]
    formats = opt("--formats", "json,sarif,text").split(",")
    print(f"sources: {src}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "brandrail.yaml").write_text(POLICY, encoding="utf-8")
        for n in sizes:
            folder = root / f"files-{n}"
            folder.mkdir()
            make_files(folder, n)
            for fmt in formats:
                runs = [run(["check", str(folder), "--format", fmt], src, root) for _ in range(repeats)]
                print(
                    f"{n:>6} files --format {fmt:5}: peak RSS median {statistics.median(r[1] for r in runs):6.0f} MiB, "
                    f"wall median {statistics.median(r[0] for r in runs):6.1f} s, exit {runs[0][2]}, "
                    f"load {os.getloadavg()[0]:.1f}"
                )
        if "--no-hook" in sys.argv:
            return
        hook = root / "hook"
        hook.mkdir()
        make_files(hook, 100)
        files = sorted(str(p) for p in hook.rglob("*.*"))
        entry = ["check", "--ignore", "voice", "--no-source"]
        runs = [run([*entry, *files], src, root) for _ in range(3 if quick else 7)]
        print(
            f"pre-commit hook `brandrail check --ignore voice --no-source` on 100 files: wall median "
            f"{statistics.median(r[0] for r in runs) * 1000:.0f} ms (min {min(r[0] for r in runs) * 1000:.0f}), "
            f"peak RSS {statistics.median(r[1] for r in runs):.0f} MiB, load {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
