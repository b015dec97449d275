"""Install size and cold start: the bare core install (.venv-core, `make test-core`) next to the full install
(.venv, every extra). Vale is not packaged by Debian and its PyPI package downloads its binary at first run
(no network here), so the full install is the comparison the issue allows.

    .venv/bin/python bench/bench_install.py            # 25 cold runs of each command per venv
    .venv/bin/python bench/bench_install.py --quick    # 3 runs

Measures the installed packages of each venv (site-packages, without pip, setuptools and wheel) and, in each
venv, three commands as fresh processes on the `brandrail init` starter policy and a one-line message:

- library: ``import brandrail; brandrail.check(message, brandrail.load_policy(...))``;
- CLI: ``brandrail check message.txt`` (what pip's console script runs);
- library with the policy parse cache off (``BRANDRAIL_NO_CACHE=1``: PyYAML parses the file every time).

The commands are interleaved run by run (so a change of machine load hits all of them alike), after one
warm-up each (OS file cache, bytecode, brandrail's parse cache — as after any first use). Each figure is the
median wall time with its spread and the median CPU time (user + system) of the process. The code under
test is this checkout's src/ (PYTHONPATH), whichever venv supplies the packages. Writes
bench/results/install.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "install.md"
SKIP = ("pip", "setuptools", "wheel", "_distutils_hack", "distutils-precedence.pth", "__pycache__")


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        raise SystemExit(f"{venv} has no site-packages; run `make install` and `make test-core` first")
    return found[0]


def size_mb(venv: Path) -> tuple[float, int]:
    """Installed packages of ``venv`` in MB (pip/setuptools/wheel excluded), and the number of distributions."""
    sp = site_packages(venv)
    total = 0
    for entry in sp.iterdir():
        if entry.name.startswith(SKIP) or entry.name.split("-")[0] in SKIP:
            continue
        if entry.is_file():
            total += entry.stat().st_size
        else:
            total += sum(f.stat().st_size for f in entry.rglob("*") if f.is_file() and not f.is_symlink())
    dists = len(list(sp.glob("*.dist-info")))
    return total / 1e6, dists


LIBRARY = (
    "import brandrail\n"
    "policy = brandrail.load_policy('brandrail.yaml')\n"
    "result = brandrail.check(open('message.txt', encoding='utf-8').read(), policy)\n"
    "assert result.findings\n"
)
#: What pip's generated console script runs.
CLI = "import sys\nfrom brandrail.cli import main\nsys.exit(main())\n"
MESSAGE = "Our cheap tent is the best in the world!\n"


def commands(py: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    return {
        "library": ([py, "-c", LIBRARY], {}),
        "cli": ([py, "-c", CLI, "check", "message.txt", "--no-source"], {}),
        "library, parse cache off": ([py, "-c", LIBRARY], {"BRANDRAIL_NO_CACHE": "1"}),
    }


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: the message has findings, as intended
        raise SystemExit(f"{cmd} exited {code}: {err.decode()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def fmt(walls: list[float], cpus: list[float]) -> str:
    ms = [w * 1000 for w in walls]
    return (
        f"{statistics.median(ms):.0f} ms (min {min(ms):.0f}, max {max(ms):.0f}; "
        f"CPU {statistics.median(cpus) * 1000:.0f} ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--core", type=Path, default=ROOT / ".venv-core", help="the bare core venv")
    parser.add_argument("--full", type=Path, default=ROOT / ".venv", help="the venv with every extra")
    parser.add_argument(
        "--baseline", type=Path, help="src/ of another checkout, measured in the same interleaved runs"
    )
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    venvs = {"core (`pip install brandrail`)": args.core, "full (`[all]`)": args.full}
    work = Path(tempfile.mkdtemp(prefix="brandrail-bench-install-"))
    starter = ROOT / "src" / "brandrail" / "policy" / "starter.yaml"
    (work / "brandrail.yaml").write_text(starter.read_text(encoding="utf-8"), encoding="utf-8")
    (work / "message.txt").write_text(MESSAGE, encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BRANDRAIL_NO_CACHE")}
    base["BRANDRAIL_CACHE_DIR"] = str(work / "cache")
    plan = []
    sizes = {}
    sources = {"": ROOT / "src"} | ({", baseline": args.baseline} if args.baseline else {})
    for suffix, src in sources.items():
        for venv_name, venv in venvs.items():
            name = venv_name + suffix
            sizes[name] = size_mb(venv)
            for label, (cmd, extra) in commands(str(venv / "bin" / "python")).items():
                plan.append((name, label, cmd, {**base, "PYTHONPATH": str(src), **extra}))
    for _, _, cmd, env in plan:  # warm-up: file cache, bytecode, parse cache
        run_once(cmd, work, env)
    load_before = os.getloadavg()[0]
    timings: dict[tuple[str, str], tuple[list[float], list[float]]] = {
        (n, lb): ([], []) for n, lb, _, _ in plan
    }
    for _ in range(runs):
        for name, label, cmd, env in plan:
            wall, cpu = run_once(cmd, work, env)
            timings[(name, label)][0].append(wall)
            timings[(name, label)][1].append(cpu)
    load_after = os.getloadavg()[0]
    for (name, label), (walls, cpus) in timings.items():
        print(f"{name} | {label}: {fmt(walls, cpus)}", flush=True)
    rows = []
    for name, (mb, dists) in sizes.items():
        cells = [fmt(*timings[(name, label)]) for label in ("library", "cli", "library, parse cache off")]
        rows.append(f"| {name} | {mb:,.0f} MB | {dists} | " + " | ".join(cells) + " |")
    text = (
        f"""# Install size and cold start

Command: `.venv/bin/python bench/bench_install.py` ({runs} runs of each command as a fresh process, interleaved,
after one warm-up each). Machine: {platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}; load average {load_before:.1f} at the start, {load_after:.1f} at the end. Installed
packages are measured in site-packages without pip, setuptools and wheel. Policy: the `brandrail init` starter;
message: "{MESSAGE.strip()}".

| install | installed packages | distributions | library: import + load policy + check, median (spread; CPU) | `brandrail check message.txt` | library, parse cache off |
|---|---|---|---|---|---|
"""
        + "\n".join(rows)
        + """

Targets: core ≤ 100 MB of installed packages, `import brandrail` + check of one message ≤ 250 ms cold. Vale is
not packaged by Debian, and its PyPI package only downloads a binary at first use (no network here), so it is
not measured side by side.
"""
    )
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
