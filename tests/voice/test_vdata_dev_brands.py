"""Pins and shape checks for the BR502 development brands written by a second author (issue 16, item 3).

The files were committed with their sha256 here before any model was run on them: a change to a pinned
file fails this test, so the data cannot be edited quietly after a first measurement. The shape checks
hold the counts the brief asked for (12 + 12 examples, 30 / 15 / 15 dev messages, short on-brand copy).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

DEV_BRANDS = Path(__file__).resolve().parents[1] / "data" / "voice" / "dev_brands"

PINS: dict[str, dict[str, str]] = {
    "ternway": {
        "brand.yaml": "57c3d48fcd98ba112fbc47efe04ce57da11e2c212b13edb13576ed56c5619415",
        "dev.yaml": "fa5c6a398208f4a50e002bc380ccb5a096083f4bd70d05cbe3964f5c20b1dc02",
    },
    "aubertine": {
        "brand.yaml": "d3d3bb97c2d4aadff60e5629d0d3959b2e9724d4e7895a861508ea1f10e0ee91",
        "dev.yaml": "4dfc5a0f20e2d5fe0b793ddb47aa937c05a2e69638d48b138850c28047499417",
    },
    "larderly": {
        "brand.yaml": "d7273a94995e092cb5151b4f8949b19de987eaae54132ee9b117f6735fac0009",
        "dev.yaml": "3e3e0d4885277d2bbd96e494eab81eec10643b5456fb091dc2f25618dfca3f35",
    },
    "wrenfield": {
        "brand.yaml": "92c36fd570933734b0bb9a6480d316f8cd8a03534fff87760d379623fcde2c48",
        "dev.yaml": "40350421595b5a755ef5624f6e55edf5111bcb40a6fcae41ed79ab72fed9df1c",
    },
}


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize(("brand", "name"), [(b, n) for b, files in PINS.items() for n in files])
def test_file_is_pinned(brand: str, name: str) -> None:
    digest = hashlib.sha256((DEV_BRANDS / brand / name).read_bytes()).hexdigest()
    assert digest == PINS[brand][name], f"{brand}/{name} changed after it was pinned"


@pytest.mark.parametrize("brand", sorted(PINS))
def test_brand_examples_have_the_agreed_shape(brand: str) -> None:
    voice = _load(DEV_BRANDS / brand / "brand.yaml")["voice"]
    on, off = voice["examples"]["on_brand"], voice["examples"]["off_brand"]
    assert len(on) == 12 and len(off) == 12
    assert sum(_words(t) < 10 for t in on) >= 4, "need at least 4 on-brand examples under 10 words"
    rules = voice["never"]
    assert 3 <= len(rules) <= 4
    assert len({r["id"] for r in rules}) == len(rules)
    assert all(len(r["examples"]) == 2 for r in rules)
    texts = on + off + [e for r in rules for e in r["examples"]]
    assert len(set(texts)) == len(texts), "an example appears twice"


@pytest.mark.parametrize("brand", sorted(PINS))
def test_dev_messages_have_the_agreed_shape(brand: str) -> None:
    rule_ids = {r["id"] for r in _load(DEV_BRANDS / brand / "brand.yaml")["voice"]["never"]}
    messages = _load(DEV_BRANDS / brand / "dev.yaml")
    on = [m for m in messages if m["label"] == "on_brand"]
    never = [m for m in messages if m["label"] == "off_brand" and m.get("kind") == "never"]
    other = [m for m in messages if m["label"] == "off_brand" and m.get("kind") == "other"]
    assert (len(on), len(never), len(other)) == (30, 15, 15)
    assert len(messages) == 60
    assert sum(_words(m["text"]) < 12 for m in on) >= 10, "need at least 10 short on-brand messages"
    assert {m["rule"] for m in never} == rule_ids, "every rule needs breakers, and only the brand's rules"
    assert all("rule" not in m for m in on + other)
    texts = [m["text"] for m in messages]
    assert len(set(texts)) == len(texts), "a message appears twice"
    voice = _load(DEV_BRANDS / brand / "brand.yaml")["voice"]
    examples = set(voice["examples"]["on_brand"] + voice["examples"]["off_brand"])
    examples |= {e for r in voice["never"] for e in r["examples"]}
    assert not examples & set(texts), "a development message repeats a training example"


@pytest.mark.parametrize("brand", sorted(PINS))
def test_short_on_brand_messages_span_four_channels(brand: str) -> None:
    lines = (DEV_BRANDS / brand / "dev.yaml").read_text(encoding="utf-8").splitlines()
    channels = set()
    for line in lines:
        if line.startswith("- {label: on_brand"):
            entry = yaml.safe_load(line)[0]
            if _words(entry["text"]) < 12:
                assert "}  # " in line, f"no channel comment on: {line}"
                channels.add(line.rsplit("}  # ", 1)[1].strip())
    assert len(channels) >= 4, f"short on-brand messages in only {sorted(channels)}"
