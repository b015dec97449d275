"""The fresh disclosures / inclusive-language set (tests/data/disclosures_fresh): frozen, well formed, split once."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent.parent / "data" / "disclosures_fresh"
#: Pinned when the set and its split were committed, before brandrail was run on any message of it.
MESSAGES_SHA256 = "76d62996f016ae9b2f014546e012a571e1efc042d1d4c03296a82230dec5a9ad"
HELDOUT_SHA256 = "e0001c24339dbc776629aec4904b014f3f085588ffed181bb446197345b1bdc0"
#: The second held-out part (heldout2.yaml) and its policy, pinned when they were committed, before brandrail
#: was run on any of their messages and before the German, French and Spanish BR301 / BR303 work began.
HELDOUT2_SHA256 = "21cfd2893aad14f095d22ed9c7401a69c82c7d1c024f16b2b7e9350a67e4f76c"
HELDOUT2_POLICY_SHA256 = "881a9b1537fa58c4e06fb2f771c92c19af489ed2241191a40354e96a6e2a30ab"
#: The third held-out part (heldout3.yaml, checked against heldout2.policy.yaml), written by a tester who had not
#: read the rules' code and pinned when it was committed, before brandrail was run on any of its messages.
HELDOUT3_SHA256 = "f602dfd548d9b8d923c138c566d8785aa58351359ce2fc150c43bfe330780ca8"
CODES = {"BR301", "BR302", "BR303", "BR304", "BR305", "BR306", "BR307", "BR308", "BR601", "BR602"}
GROUPS = {"email", "sms", "social", "influencer", "chat", "push", "web"}


def _load(name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    return items


def _split_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("disclosures_fresh_split", FOLDER / "split.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_set_and_its_held_out_half_are_frozen() -> None:
    assert hashlib.sha256((FOLDER / "messages.yaml").read_bytes()).hexdigest() == MESSAGES_SHA256
    assert hashlib.sha256((FOLDER / "heldout.yaml").read_bytes()).hexdigest() == HELDOUT_SHA256


def test_the_halves_are_the_seeded_split_of_the_set() -> None:
    split = _split_module()
    items = _load("messages.yaml")
    dev, held = split.split_ids(items)
    assert [m["id"] for m in _load("dev.yaml")] == dev
    assert [m["id"] for m in _load("heldout.yaml")] == held
    by_id = {m["id"]: m for m in items}
    assert [by_id[i] for i in held] == _load("heldout.yaml")
    assert [by_id[i] for i in dev] == _load("dev.yaml")
    assert not set(dev) & set(held)
    assert sorted(dev + held) == sorted(by_id)


def test_the_set_is_well_formed() -> None:
    items = _load("messages.yaml")
    assert len(items) >= 240
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    assert {m["group"] for m in items} == GROUPS
    assert {m["lang"] for m in items} == {"en", "de", "fr", "es"}
    for m in items:
        assert set(m["labels"]) <= CODES, m["id"]
        assert m.get("fmt") in (None, "html"), m["id"]
        assert m.get("scope") in (None, "notice"), m["id"]
        assert isinstance(m["text"], str) and m["text"], m["id"]


def test_the_second_held_out_part_is_frozen() -> None:
    assert hashlib.sha256((FOLDER / "heldout2.yaml").read_bytes()).hexdigest() == HELDOUT2_SHA256
    assert (
        hashlib.sha256((FOLDER / "heldout2.policy.yaml").read_bytes()).hexdigest() == HELDOUT2_POLICY_SHA256
    )


def test_the_second_held_out_part_is_well_formed_and_apart_from_the_set() -> None:
    items = _load("heldout2.yaml")
    assert len(items) >= 120
    ids = [m["id"] for m in items]
    assert len(set(ids)) == len(ids)
    assert not set(ids) & {m["id"] for m in _load("messages.yaml")}
    assert not {m["text"] for m in items} & {m["text"] for m in _load("messages.yaml")}
    for lang in ("en", "de", "fr", "es"):
        assert sum(m["lang"] == lang for m in items) >= 25, lang
    assert {m["group"] for m in items} <= GROUPS
    for m in items:
        assert set(m["labels"]) <= CODES, m["id"]
        assert m.get("scope") in (None, "notice"), m["id"]
        assert isinstance(m["text"], str) and m["text"], m["id"]


def test_the_third_held_out_part_is_frozen() -> None:
    assert hashlib.sha256((FOLDER / "heldout3.yaml").read_bytes()).hexdigest() == HELDOUT3_SHA256


def test_the_third_held_out_part_is_well_formed_balanced_and_apart_from_the_others() -> None:
    items = _load("heldout3.yaml")
    assert len(items) >= 120
    ids = [m["id"] for m in items]
    assert len(set(ids)) == len(ids)
    earlier = _load("messages.yaml") + _load("heldout2.yaml")
    assert not set(ids) & {m["id"] for m in earlier}
    assert not {m["text"] for m in items} & {m["text"] for m in earlier}
    for lang in ("en", "de", "fr", "es"):
        assert sum(m["lang"] == lang for m in items) >= 25, lang
    labelled = sum(bool(m["labels"]) for m in items)
    assert 0.4 <= labelled / len(items) <= 0.6
    for code in ("BR301", "BR303", "BR308"):
        assert sum(code in m["labels"] for m in items) >= 15, code
    assert {m["group"] for m in items} <= GROUPS
    for m in items:
        assert set(m["labels"]) <= CODES, m["id"]
        assert m.get("scope") in (None, "notice"), m["id"]
        assert isinstance(m["text"], str) and m["text"], m["id"]
