"""Held-out voice set, round 5 (tests/data/voice/heldout_brands/): pinned before any model was run on it.

Three held-out brands (brand.yaml + test.yaml, the layout of tests/data/voice/brands/) and clean_plain.yaml,
126 clean messages for the plain-voice default targets. The files were written without reading the code and
committed with these sha256 values before brandrail was run on them, so that nobody tunes the data to the
model afterwards. These tests only parse YAML: they run no detector and load no model.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

HELDOUT_DIR = Path(__file__).parents[1] / "data" / "voice" / "heldout_brands"

#: sha256 of every data file, committed with the data before any run of brandrail on it.
PINNED = {
    "aldenholm/brand.yaml": "f2b01a24d3b6afc5fcd86e2d80cba2c165c54aeb43ff0ba014a7748a67eab50c",
    "aldenholm/test.yaml": "d0abbe361188ca9761a7a156837f5ed243663106d7cefec06d481c5e4e39f325",
    "cairnmoor/brand.yaml": "94ac7080f816a9d52a2375fbf6b6bbd67f68f361fc9be84614a7d78f59b492dc",
    "cairnmoor/test.yaml": "b4979b3ebe9785863f5b39d7da47d9778d3d8cf3d288f3c26bdbd3793b8bf532",
    "gloamlight/brand.yaml": "e37e29fc5494a21385480c0247835c5909e686622b1f2c2f2c7a7bd84e3ea70f",
    "gloamlight/test.yaml": "0c66371f02b5e54973816ea77d7fd96d348c9d87085a3dcd8cf86743a53507c6",
    "clean_plain.yaml": "d5daeb1176e4f916898768d1fb9e2b1af8637f902811457d7b06de8bfe0ee4d4",
}
BRANDS = sorted({name.split("/")[0] for name in PINNED if "/" in name})
TEST_KEYS = {"id", "label", "kind", "rule", "channel", "why", "text"}


def load(name: str) -> Any:
    return yaml.safe_load((HELDOUT_DIR / name).read_text(encoding="utf-8"))


def test_every_data_file_is_pinned() -> None:
    found = sorted(str(p.relative_to(HELDOUT_DIR)) for p in HELDOUT_DIR.rglob("*") if p.is_file())
    assert [f for f in found if f != "README.md"] == sorted(PINNED)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_file_is_frozen(name: str) -> None:
    digest = hashlib.sha256((HELDOUT_DIR / name).read_bytes()).hexdigest()
    assert digest == PINNED[name], f"heldout_brands/{name} changed after it was pinned"


@pytest.mark.parametrize("brand", BRANDS)
def test_brand_policy_has_the_agreed_shape(brand: str) -> None:
    voice = load(f"{brand}/brand.yaml")["voice"]
    assert len(voice["examples"]["on_brand"]) == 12 and len(voice["examples"]["off_brand"]) == 12
    never = voice["never"]
    assert 3 <= len(never) <= 5
    ids = [rule["id"] for rule in never]
    assert len(set(ids)) == len(ids)
    assert all(rule["rule"].strip() and len(rule["examples"]) == 2 for rule in never)
    assert voice["targets"], "a held-out brand sets tone targets for its register"


@pytest.mark.parametrize("brand", BRANDS)
def test_brand_test_set_has_the_agreed_shape(brand: str) -> None:
    voice = load(f"{brand}/brand.yaml")["voice"]
    rules = {rule["id"] for rule in voice["never"]}
    items: list[dict[str, str]] = load(f"{brand}/test.yaml")
    assert all(set(item) <= TEST_KEYS for item in items)
    ids = [item["id"] for item in items]
    assert len(ids) == 60 and len(set(ids)) == len(ids)
    kinds = Counter(item.get("kind", item["label"]) for item in items)
    assert kinds == {"on_brand": 30, "never": 15, "other": 15}
    assert all(item["label"] == "off_brand" for item in items if "kind" in item)
    never = [item for item in items if item.get("kind") == "never"]
    assert {item["rule"] for item in never} == rules, (
        "every never rule is broken by at least one test message"
    )
    assert not any("rule" in item for item in items if item.get("kind") != "never")
    assert len({item["channel"] for item in items}) >= 6
    texts = [item["text"] for item in items]
    assert len(set(texts)) == len(texts) and all(t.strip() for t in texts)
    training = {
        *voice["examples"]["on_brand"],
        *voice["examples"]["off_brand"],
        *(e for rule in voice["never"] for e in rule["examples"]),
    }
    assert not training & set(texts), "a test message is also a training example"


def test_clean_plain_set_has_the_agreed_shape() -> None:
    items: list[dict[str, str]] = load("clean_plain.yaml")
    assert len(items) >= 120
    assert all(set(item) <= {"id", "brand", "channel", "text", "note"} for item in items)
    assert all({"id", "brand", "channel", "text"} <= set(item) for item in items)
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids)
    texts = [item["text"] for item in items]
    assert len(set(texts)) == len(texts) and all(t.strip() for t in texts)
    assert len({item["brand"] for item in items}) >= 4
    channels = Counter(item["channel"] for item in items)
    assert len(channels) >= 6 and channels["sms"] >= 10 and channels["email_subject"] >= 10
