"""The fp32 embedding engines side by side with this host's arithmetic ceiling (issue 16, item 6).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_engine_ceiling.py [--rounds 5]

Measures NumPy's sgemm peak on 2048x2048 matrices (1 and 2 threads, best of 5), then the fp32 engines on the
416 short messages of the tone corpus, interleaved (every variant once per round), medians: msgs/s by wall
clock and per CPU-second of this process. The model's products cost about 2 x 10.6 M multiply-adds per token
(the six layers' linear maps), so the sgemm peak bounds the msgs/s any fp32 engine can reach on this host.
Prints one JSON object; nothing is fitted on the texts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

#: multiply-adds per token of the six layers' linear maps (q, k, v, output: 4 x 384², feed-forward 2 x 384 x 1536)
MACS_PER_TOKEN = 6 * (4 * 384 * 384 + 2 * 384 * 1536)


def sgemm_peak(threads: int, size: int = 2048, repeats: int = 5) -> float:
    """GFLOP/s of NumPy's float32 matrix product on ``size`` square matrices, best of ``repeats``."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    a = rng.random((size, size), dtype=np.float32)
    b = rng.random((size, size), dtype=np.float32)
    with threadpool_limits(threads):
        a @ b
        best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import bench_voice

    from brandrail.voice.embed import get_numpy_embedder, get_torch_embedder

    texts = bench_voice._tone_corpus_texts()
    fp32 = get_numpy_embedder().encoder
    tokens = sum(len(t) for t in fp32.tokenize(texts))
    variants: dict[str, Callable[[], Any]] = {
        "numpy_fp32_2_workers": lambda: fp32.encode(texts, threads=2),
    }
    try:
        from brandrail.voice.encoder_onnx import OnnxMiniLMEncoder

        onnx = OnnxMiniLMEncoder()
        variants["onnxruntime_fp32_1_thread"] = lambda: onnx.encode(texts, threads=1)
        variants["onnxruntime_fp32_2_threads"] = lambda: onnx.encode(texts, threads=2)
    except ImportError:
        pass
    import torch

    model = get_torch_embedder().model

    def encode_st(threads: int) -> None:
        torch.set_num_threads(threads)
        model.encode(texts, batch_size=32)

    variants["sentence_transformers_1_thread"] = lambda: encode_st(1)
    variants["sentence_transformers_2_threads"] = lambda: encode_st(2)
    for fn in variants.values():  # warm up
        fn()
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    loads = []
    for _ in range(args.rounds):
        for name, fn in variants.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            runs[name].append((len(texts) / wall, len(texts) / cpu))
        loads.append(round(os.getloadavg()[0], 2))
    peaks = {threads: round(sgemm_peak(threads), 1) for threads in (1, 2)}
    flop_per_message = 2 * MACS_PER_TOKEN * tokens / len(texts)
    out = {
        "messages": len(texts),
        "tokens": tokens,
        "mflop_per_message": round(flop_per_message / 1e6),
        "sgemm_gflops": peaks,
        "ceiling_msgs_per_s": {t: round(p * 1e9 / flop_per_message) for t, p in peaks.items()},
        "engines": {
            name: {
                "msgs_per_s_wall": round(statistics.median(r[0] for r in rs)),
                "msgs_per_cpu_s": round(statistics.median(r[1] for r in rs)),
            }
            for name, rs in runs.items()
        },
        "load_after_each_round": loads,
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
