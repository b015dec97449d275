"""voice learn (robust ranges) and voice eval with tone features only (no torch needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from brandrail.errors import InputError
from brandrail.policy import loads_policy
from brandrail.voice.learn import learn_voice
from brandrail.voice.model import evaluate
from brandrail.voice.tone import profile_text

DATA = Path(__file__).parents[1] / "data" / "voice" / "messages.yaml"
SETS = yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _texts(brand: str, label: str) -> list[str]:
    return [it["text"] for it in SETS[brand][label]]


def test_learned_ranges_are_widened_percentiles() -> None:
    messages = _texts("fernhill", "on_brand")
    section = learn_voice(messages)
    values = np.array([profile_text(m).values["warmth"] for m in messages])
    p5, q1, q3, p95 = np.percentile(values, [5, 25, 75, 95])
    target = section["targets"]["warmth"]
    assert target.get("min", 0.0) == pytest.approx(max(0.0, p5 - 0.25 * (q3 - q1)), abs=0.006)
    assert target.get("max", 1.0) == pytest.approx(min(1.0, p95 + 0.25 * (q3 - q1)), abs=0.006)


def test_learned_targets_accept_the_brand_and_reject_the_other_voice() -> None:
    section = learn_voice(_texts("aldgate", "on_brand"))
    policy = loads_policy(yaml.safe_dump({"voice": {"targets": section["targets"]}}))
    from brandrail.engine import check_text

    def flagged(texts: list[str]) -> float:
        return float(np.mean([any(f.code == "BR501" for f in check_text(t, policy).findings) for t in texts]))

    assert flagged(_texts("aldgate", "on_brand")) <= 0.2
    assert flagged(_texts("aldgate", "off_brand")) >= 0.8


def test_one_outlier_does_not_move_the_range_much() -> None:
    messages = _texts("aldgate", "on_brand")
    base = learn_voice(messages)["targets"]["urgency"]["max"]
    with_outlier = learn_voice([*messages, "HURRY! Last chance! Ends tonight! Act now!"])["targets"][
        "urgency"
    ]["max"]
    assert with_outlier - base < 0.1


def test_learn_needs_enough_messages() -> None:
    with pytest.raises(InputError, match="at least 5"):
        learn_voice(["one", "two"])


@pytest.mark.parametrize("brand", ["fernhill", "aldgate"])
def test_tone_only_evaluation(brand: str) -> None:
    report = evaluate(_texts(brand, "on_brand"), _texts(brand, "off_brand"), use="tone")
    assert report["features"] == "tone" and report["folds"] == 5
    assert report["auc"] > 0.85, report
    rows = report["calibration"]
    assert sum(r["count"] for r in rows) == 80
    assert all(
        r["mean_predicted"] is None or float(r["bin"][:3]) <= r["mean_predicted"] <= float(r["bin"][-3:])
        for r in rows
    )


def test_learned_policy_shows_how_to_add_never_rules() -> None:
    from brandrail.voice.learn import policy_yaml

    messages = _texts("fernhill", "on_brand")
    text = policy_yaml(learn_voice(messages), source="approved/", count=len(messages))
    assert "#   never:" in text
    # the commented template, uncommented, is a valid policy
    template = "\n".join(
        line[3:] for line in text.splitlines() if line.startswith("#   ") or line.startswith("#     ")
    )
    policy = loads_policy("version: 1\nvoice:\n" + "\n".join("  " + ln for ln in template.splitlines()))
    assert policy.voice.never_ids() == ["cure"]
