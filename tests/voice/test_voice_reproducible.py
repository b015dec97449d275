"""Issue 16, item 5: a message's voice score is the same alone, in any batch, in any order, in any process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from brandrail.policy import policy_from_dict

pytestmark = [pytest.mark.voice, pytest.mark.slow, pytest.mark.xdist_group("voice-model")]

BRAND = Path(__file__).parents[1] / "data" / "voice" / "brands" / "fizzwick"
ROOT = Path(__file__).parents[2]


def _texts() -> list[str]:
    return [it["text"] for it in yaml.safe_load((BRAND / "test.yaml").read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from brandrail.voice.model import VoiceModel, load_examples

    policy = policy_from_dict(yaml.safe_load((BRAND / "brand.yaml").read_text(encoding="utf-8")))
    return VoiceModel(load_examples(policy), cache_directory=tmp_path_factory.mktemp("voice-cache"))


def test_score_is_the_same_alone_in_batches_and_in_any_order(model) -> None:  # type: ignore[no-untyped-def]
    from brandrail.voice.embed import get_embedder

    embedder = get_embedder()
    texts = _texts()
    batch = model.probabilities(texts, embedder.embed(texts))
    alone = np.array([model.probabilities([t], embedder.embed([t]))[0] for t in texts])
    order = np.random.default_rng(7).permutation(len(texts))
    shuffled = np.empty(len(texts))
    shuffled[order] = model.probabilities(
        [texts[i] for i in order], embedder.embed([texts[i] for i in order])
    )
    chunks = np.concatenate(
        [
            model.probabilities(texts[k : k + 7], embedder.embed(texts[k : k + 7]))
            for k in range(0, len(texts), 7)
        ]
    )
    for other in (alone, shuffled, chunks):
        assert np.abs(other - batch).max() <= 1e-6
    assert len(set(batch.tolist())) > 30  # real, varied scores, not a constant


def test_embeddings_do_not_depend_on_thread_count_or_batch_company() -> None:
    from brandrail.voice.embed import get_numpy_embedder

    encoder = get_numpy_embedder().encoder
    texts = _texts()[:20]
    one = encoder.encode(texts, threads=1)
    two = encoder.encode(texts, threads=2)
    mixed = encoder.encode([*texts, "A much longer message " * 40, "x"], threads=2)[:20]
    assert np.array_equal(one, two) and np.array_equal(one, mixed)


def test_score_is_the_same_in_another_process(model) -> None:  # type: ignore[no-untyped-def]
    from brandrail.voice.embed import get_embedder

    texts = _texts()[::6]
    here = model.probabilities(texts, get_embedder().embed(texts))
    code = f"""
import json, sys, yaml
from pathlib import Path
from brandrail.policy import policy_from_dict
from brandrail.voice.embed import get_embedder
from brandrail.voice.model import VoiceModel, load_examples
brand = Path({str(BRAND)!r})
policy = policy_from_dict(yaml.safe_load((brand / "brand.yaml").read_text(encoding="utf-8")))
texts = json.loads(sys.stdin.read())
m = VoiceModel(load_examples(policy))
print(json.dumps([float(p) for p in m.probabilities(texts[::-1], get_embedder().embed(texts[::-1]))][::-1]))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BRANDRAIL_VOICE_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    there = np.array(json.loads(done.stdout.strip().splitlines()[-1]))
    assert np.abs(there - here).max() <= 1e-6


def test_batch_threads_follow_the_idle_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    from brandrail.voice import encoder

    monkeypatch.delenv("BRANDRAIL_VOICE_THREADS", raising=False)
    monkeypatch.setattr(encoder.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5, 6, 7})
    monkeypatch.setattr(encoder.os, "getloadavg", lambda: (12.0, 12.0, 12.0))
    assert encoder.default_threads() == 1  # a busy machine: no extra threads
    monkeypatch.setattr(encoder.os, "getloadavg", lambda: (5.2, 1.0, 1.0))
    assert encoder.default_threads() == 3
    monkeypatch.setattr(encoder.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert encoder.default_threads() == 4  # never more than 4
    monkeypatch.setenv("BRANDRAIL_VOICE_THREADS", "2")
    assert encoder.default_threads() == 2
