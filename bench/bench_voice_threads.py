"""How the NumPy engine's batch scales from 1 to 2 worker threads, with its layout against the layout before
(issue 16 item 6). Prints JSON; writes nothing.

    PYTHONPATH=src .venv/bin/python bench/bench_voice_threads.py [--precision int8|fp32] [--rounds 7]

The layout before: int8 blocks of at most 128 rows, 32-row GELU chunks, units cut at 1,024 tokens whatever
the thread count. Both layouts give the same bits (tests/voice/test_encoder_engine.py); they differ in how
many NumPy and torch calls take and drop the GIL, and in how evenly the units fall to the threads.

Each round runs every (layout, threads) variant once on the 416 tone-corpus messages, interleaved; medians
over the rounds of: messages a second (wall), messages per CPU-second of the process, cores kept busy (CPU /
wall) and voluntary context switches per pass (``getrusage``: every thread, ended ones included; with two
threads mostly waits for the GIL or for the other thread at the end). On a busy machine the wall figures
measure the other processes as much as this one: read the load average printed per round.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--precision", choices=("int8", "fp32"), default="int8")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    from bench_voice import _tone_corpus_texts  # type: ignore[import-not-found]

    from brandrail.voice.encoder import MiniLMEncoder

    texts = _tone_corpus_texts()
    layouts: dict[str, Any] = {"before": MiniLMEncoder(precision=args.precision)}
    layouts["now"] = MiniLMEncoder(precision=args.precision)
    before = layouts["before"]
    if args.precision == "int8":
        before._max_rows = 128
    before._gelu_rows, before._balance_units = 32, False
    variants = [(name, threads) for name in layouts for threads in (1, 2)]
    for name, threads in variants:
        layouts[name].pooled(texts, threads=threads)  # warm-up: scratch buffers, torch's first call
    rows: dict[tuple[str, int], dict[str, list[float]]] = {
        v: {"wall": [], "cpu": [], "busy": [], "switches": []} for v in variants
    }
    loads = []
    for _ in range(args.rounds):
        for name, threads in variants:
            switches = resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw
            t0, c0 = time.perf_counter(), time.process_time()
            layouts[name].pooled(texts, threads=threads)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            r = rows[(name, threads)]
            r["wall"].append(len(texts) / wall)
            r["cpu"].append(len(texts) / cpu)
            r["busy"].append(cpu / wall)
            r["switches"].append(resource.getrusage(resource.RUSAGE_SELF).ru_nvcsw - switches)
        loads.append(round(os.getloadavg()[0], 2))
        print(f"  round {len(loads)}, load {loads[-1]}", file=sys.stderr, flush=True)
    out: dict[str, Any] = {
        "precision": args.precision,
        "messages": len(texts),
        "rounds": args.rounds,
        "load_1min_per_round": loads,
    }
    for name, threads in variants:
        r = rows[(name, threads)]
        out[f"{name}_{threads}_thread{'s' if threads > 1 else ''}"] = {
            "msgs_per_second_wall_median": round(statistics.median(r["wall"]), 1),
            "msgs_per_second_wall_best": round(max(r["wall"]), 1),
            "msgs_per_cpu_second_median": round(statistics.median(r["cpu"]), 1),
            "cores_busy_median": round(statistics.median(r["busy"]), 2),
            "voluntary_switches_per_pass_median": statistics.median(r["switches"]),
        }
    for name in layouts:
        one, two = rows[(name, 1)]["wall"], rows[(name, 2)]["wall"]
        out[f"{name}_speedup_2_over_1_thread_median"] = round(
            statistics.median(b / a for a, b in zip(one, two, strict=True)), 2
        )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
