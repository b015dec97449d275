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
    "import time; print(time.time())\n"  # when the result is there (the parent reads it: time to result)
)
#: What pip's generated console script runs.
CLI = "import sys\nfrom brandrail.cli import main\nsys.exit(main())\n"
MESSAGE = "Our cheap tent is the best in the world!\n"
#: Where the time goes, measured by hand (kept here so that a re-run keeps it; update it with the code).
NOTES = """
## Where the start-up time goes

In-process split of the library command (`time.process_time` and `-X importtime`, at load average 0.3–1):
interpreter ~12 ms; importing pydantic and pydantic-core ~45 ms (with their own imports: `typing_extensions`,
`annotated_types`, and `importlib.metadata` with the `email` package for pydantic's plugin discovery); building
the content sections' policy models ~40 ms; the rest of importing brandrail and loading the policy ~20 ms;
importing the 47 text rules ~30 ms (compiling their regular expressions is ~10 ms of it); the first check ~6 ms.

What changed for issue 12 (the "baseline" rows, when present, are the previous commit measured in the same
interleaved runs): `import brandrail` imports nothing until a name is used; the console-script entry point
imports only the command modules `check` and `fix` need; the policy models' default factories are plain
functions (pydantic inspects each factory's signature, which is slow for `list`, `dict` and model classes:
building the models costs ~20% less CPU); PyYAML is imported only when a policy is parsed, not on a parse
cache hit; `importlib.resources` and `difflib` only when used; a plain-text check no longer imports the HTML
and image rules (with the e-mail and CSS parsers); the command line calls `gc.freeze()` once its command has
finished, so the interpreter's last garbage collections skip every object: a full collection walks
pydantic-core's validators and takes 15–25 ms here, and the library's fresh-process figure still pays them
(a library cannot freeze its host's garbage collector; a long-running host pays them once, at its exit).
Then the pillar sections: `creative`, `fairness`, `goals`, `gate`, `audit` and `integrations` (about half of
the policy's models, ~35 ms to build) are built only when the policy file has them or code reads them; the
version takes a missing section's defaults from `brandrail/policy/lazy_defaults.json` (checked against the
models by a test), and the tone profile (word lists and patterns, ~5 ms) is imported only when a tone target
is set.

Not done, and the next levers: the CLI: Typer 0.29 builds a pydantic TypeAdapter for each of `check`'s
parameters on every run (about a quarter of the CLI's own time in a profile), and Typer and Rich themselves
take ~30 ms to import; pydantic's plugin discovery (`importlib.metadata` over every installed distribution,
3–9 ms) can only be switched off by the host (`PYDANTIC_DISABLE_PLUGINS`).
"""


def commands(py: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    return {
        "library": ([py, "-c", LIBRARY], {}),
        "cli": ([py, "-c", CLI, "check", "message.txt", "--no-source"], {}),
        "library, parse cache off": ([py, "-c", LIBRARY], {"BRANDRAIL_NO_CACHE": "1"}),
        "python -c pass": ([py, "-c", "pass"], {}),
    }


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float | None]:
    """Wall and CPU (user + system) seconds of one fresh process, and the seconds from its start to the
    result when it prints the time of its result (the library command does)."""
    epoch = time.time()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()  # a few lines each: reading one pipe after the other cannot block
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # not proc.wait(): wait4 also gives the CPU time
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: the message has findings, as intended
        raise SystemExit(f"{cmd} exited {code}: {err.decode()[-500:]}")
    try:
        to_result: float | None = float(out.decode().strip().splitlines()[-1]) - epoch
    except (ValueError, IndexError):
        to_result = None
    return wall, usage.ru_utime + usage.ru_stime, to_result


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
    to_result: dict[str, list[float]] = {n: [] for n, _, _, _ in plan}
    for _ in range(runs):
        for name, label, cmd, env in plan:
            wall, cpu, result_after = run_once(cmd, work, env)
            timings[(name, label)][0].append(wall)
            timings[(name, label)][1].append(cpu)
            if label == "library" and result_after is not None:
                to_result[name].append(result_after)
    load_after = os.getloadavg()[0]
    for (name, label), (walls, cpus) in timings.items():
        print(f"{name} | {label}: {fmt(walls, cpus)}", flush=True)
    rows = []
    labels = ("library", "cli", "library, parse cache off", "python -c pass")
    for name, (mb, dists) in sizes.items():
        cells = [fmt(*timings[(name, label)]) for label in labels]
        ms = [t * 1000 for t in to_result[name]]
        cells.insert(1, f"{statistics.median(ms):.0f} ms (min {min(ms):.0f})" if ms else "—")
        rows.append(f"| {name} | {mb:,.0f} MB | {dists} | " + " | ".join(cells) + " |")
    core = next(iter(venvs))
    core_ms = statistics.median(timings[(core, "library")][0]) * 1000
    core_cpu = statistics.median(timings[(core, "library")][1]) * 1000
    core_mb = sizes[core][0]
    verdict = (
        f"Targets (core install): ≤ 100 MB of installed packages — **{'met' if core_mb <= 100 else 'not met'}** "
        f"({core_mb:,.0f} MB); `import brandrail` + check of one message ≤ 250 ms cold — "
        f"**{'met' if core_ms <= 250 else 'not met'}** at this load (median {core_ms:.0f} ms wall for the whole "
        f"process, {core_cpu:.0f} ms CPU; the result itself is there after "
        f"{statistics.median(to_result[core]) * 1000:.0f} ms: the rest is the interpreter shutting down, whose "
        "last garbage collections walk pydantic-core's validators)."
    )
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = (
        f"""# Install size and cold start

Command: `.venv/bin/python bench/bench_install.py{" --baseline " + str(args.baseline) if args.baseline else ""}` ({runs} runs of
each command as a fresh process, interleaved, after one warm-up each), {when}. Machine: {platform.machine()},
{os.cpu_count()} cores, Python {platform.python_version()}; load average {load_before:.1f} at the start,
{load_after:.1f} at the end (wall times include waiting for a core; CPU is the process's own time). Installed
packages are measured in site-packages without pip, setuptools and wheel. Policy: the `brandrail init` starter;
message: "{MESSAGE.strip()}".

| install | installed packages | distributions | library: import + load policy + check, median (spread; CPU) | library: from process start to the result (no interpreter shutdown) | `brandrail check message.txt` | library, parse cache off | `python -c pass` |
|---|---|---|---|---|---|---|---|
"""
        + "\n".join(rows)
        + f"""

{verdict} Vale is not packaged by Debian, and its PyPI package only downloads a binary at first use (no
network here), so it is not measured side by side.
"""
        + NOTES
    )
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
