"""Install size and cold start: the bare core install (.venv-core, `make test-core`) next to the full install
(.venv, every extra). Vale is not packaged by Debian and its PyPI package downloads its binary at first run
(no network here), so the full install is the comparison the issue allows.

    .venv/bin/python bench/bench_install.py            # 15 cold runs each
    .venv/bin/python bench/bench_install.py --quick    # 3 runs

Measures the installed packages of each venv (site-packages, without pip, setuptools and wheel) and, for each,
`import brandrail` and `brandrail check` of one message, each as a fresh process (median and spread). Writes
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


def timed(cmd: list[str], cwd: Path, runs: int) -> list[float]:
    out = []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    subprocess.run(cmd, cwd=cwd, capture_output=True, check=False, env=env)  # warm the OS file cache
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, capture_output=True, check=False, env=env)
        out.append(time.perf_counter() - started)
    return out


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = 3 if args.quick else 15
    venvs = {"core (`pip install brandrail`)": ROOT / ".venv-core", "full (`[all]`)": ROOT / ".venv"}
    work = Path(tempfile.mkdtemp(prefix="brandrail-bench-install-"))
    (work / "brandrail.yaml").write_text(
        "terms: {banned: [{term: flimsy, replacement: light}]}\nchannels: {sms: {max_length: 160}}\n",
        encoding="utf-8",
    )
    (work / "message.txt").write_text("Our flimsy tent is the best in the world!\n", encoding="utf-8")
    rows = []
    load = os.getloadavg()[0]
    for name, venv in venvs.items():
        mb, dists = size_mb(venv)
        py = str(venv / "bin" / "python")
        imp = timed([py, "-c", "import brandrail"], work, runs)
        chk = timed([py, "-m", "brandrail", "check", "message.txt", "--no-source"], work, runs)
        rows.append((name, mb, dists, imp, chk))
        print(name, f"{mb:.0f} MB", dists, fmt(imp), fmt(chk), flush=True)
    text = (
        f"""# Install size and cold start

Command: `.venv/bin/python bench/bench_install.py` ({runs} cold runs of each command as a fresh process, after one
warm-up for the OS file cache). Machine: {platform.machine()}, {os.cpu_count()} cores, Python
{platform.python_version()}; load average {load:.1f} at the start. Installed packages are measured in site-packages without pip, setuptools and wheel.

| install | installed packages | distributions | `import brandrail` | `brandrail check` of one message |
|---|---|---|---|---|
"""
        + "\n".join(
            f"| {name} | {mb:,.0f} MB | {dists} | {fmt(imp)} | {fmt(chk)} |"
            for name, mb, dists, imp, chk in rows
        )
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
