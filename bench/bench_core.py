"""Core figures: policy load time with 5,000 terms; `brandrail check` start-up time to first output.

Run: .venv/bin/python bench/bench_core.py [--quick]
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPEATS = 15


def make_policy(n_terms: int, folder: Path) -> Path:
    words = [f"term{i:05d}" for i in range(n_terms)]
    data = {
        "version": 1,
        "brand": {"name": "Bench", "trademarks": [{"term": f"Mark{i}"} for i in range(50)]},
        "terms": {
            "banned": [
                {"term": w, "replacement": [f"alt{i}"], "inflections": i % 3 == 0}
                for i, w in enumerate(words)
            ]
        },
        "channels": {"sms": {"kind": "sms", "max_length": 306}, "email": {"kind": "email"}},
    }
    path = folder / f"policy-{n_terms}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def time_policy_load(path: Path, repeats: int, *, cached: bool) -> list[float]:
    """Wall time of load_policy (read, parse with positions, merge, validate, version hash), fresh process each.

    ``cached=False`` turns the parse cache off (every load parses the YAML); ``cached=True`` measures loads of
    an unchanged file after the first (the cache entry exists).
    """
    env = dict(os.environ)
    cache = tempfile.mkdtemp(prefix="brandrail-bench-cache-")
    env["BRANDRAIL_CACHE_DIR"] = cache
    if not cached:
        env["BRANDRAIL_NO_CACHE"] = "1"
    else:
        env.pop("BRANDRAIL_NO_CACHE", None)
    code = (
        "import time,sys; t=time.perf_counter(); from brandrail.policy import load_policy; "
        "t1=time.perf_counter(); p=load_policy(sys.argv[1]); p.version; t2=time.perf_counter(); "
        "print(t2-t1)"
    )
    samples = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True, env=env
        )
        samples.append(float(out.stdout.strip()))
    if cached:
        samples = samples[1:]  # the first load wrote the cache entry
    return samples


def time_startup(policy: Path, message: Path, repeats: int) -> list[float]:
    """Wall time from process start to the end of `brandrail check` output for one small file."""
    exe = Path(sys.executable).parent / "brandrail"
    samples = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(
            [str(exe), "check", str(message), "--policy", str(policy)], capture_output=True, check=False
        )
        samples.append(time.perf_counter() - t)
    return samples


def main() -> None:
    quick = "--quick" in sys.argv
    repeats = 3 if quick else REPEATS
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = []
        for n in (500, 5000) if quick else (500, 5000, 20000):
            path = make_policy(n, folder)
            for cached in (False, True):
                samples = time_policy_load(path, repeats + (1 if cached else 0), cached=cached)
                rows.append(
                    (n, cached, path.stat().st_size, statistics.median(samples), min(samples), max(samples))
                )
        small = make_policy(50, folder)
        message = folder / "message.txt"
        message.write_text(
            "Our term00003 tent is light, warm and easy to pitch. See you on the fell!\n", encoding="utf-8"
        )
        startup = time_startup(small, message, repeats)
        bare = []
        for _ in range(repeats):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - t)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("policy load (fresh process, load_policy + version; median/min/max of", repeats, "runs)")
    for n, cached, size, med, lo, hi in rows:
        label = "parse cache hit " if cached else "cold (no cache) "
        print(
            f"  {n:>6} terms ({size / 1024:,.0f} KiB), {label}: median {med * 1000:.1f} ms"
            f"  (min {lo * 1000:.1f}, max {hi * 1000:.1f})"
        )
    print(
        f"brandrail check, one small file, process start to exit: median {statistics.median(startup) * 1000:.0f} ms "
        f"(min {min(startup) * 1000:.0f}); bare `python -c pass`: {statistics.median(bare) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
