"""Pins of three held-out sets written on 2026-12-07 (review rt-test4b) by a tester who had not read the
detectors' code, pinned before brandrail was run on any of them: the files' sha256 and their shape only.
No detector runs here; the sets are measured by bench/ scripts, once (see each folder's README.md)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from brandrail.policy.sections.privacy import PII_KINDS

DATA = Path(__file__).resolve().parent.parent / "data"
ADDRESSES = DATA / "privacy_addresses" / "heldout4.yaml"
FRESH = DATA / "privacy_fresh" / "heldout2.yaml"
MCP = DATA / "mcp_results" / "heldout2.jsonl"

#: Pinned in the commit that added the sets, before any run (README.md of each folder).
ADDRESSES_SHA256 = "740da6a92205722a0d826451b055ce5c5aecfeb4070218c1d4a57b34ff2619ba"
FRESH_SHA256 = "314cefa85be36faf1e6810f10250b423119dc0afc52c0b73e53d83ccee3cc97e"
MCP_SHA256 = "75dc9b32d076ffb0d1a905a3389017b6cf7e36c9ffb1fe1f8ff41056761d23ad"

LABEL_KINDS = {*PII_KINDS, "postal_address"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _yaml(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return items


def _check_labelled(items: list[dict[str, Any]]) -> None:
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    for m in items:
        assert isinstance(m["loc"], str) and len(m["loc"]) == 2, m["id"]
        assert isinstance(m["text"], str) and m["text"], m["id"]
        for span in m["pii"]:
            assert span["kind"] in LABEL_KINDS, (m["id"], span)
            assert span["value"] in m["text"], (m["id"], span)


def test_the_fourth_address_set_is_frozen_and_well_formed() -> None:
    assert _sha256(ADDRESSES) == ADDRESSES_SHA256
    items = _yaml(ADDRESSES)
    _check_labelled(items)
    with_address = [m for m in items if any(s["kind"] == "postal_address" for s in m["pii"])]
    without = [m for m in items if not m["pii"]]
    assert len(with_address) >= 60 and len(without) >= 35
    assert len({m["loc"] for m in with_address}) >= 25
    earlier = {
        m["text"]
        for name in ("messages.yaml", "heldout2.yaml", "heldout3.yaml", "benign2.yaml")
        for m in _yaml(ADDRESSES.parent / name)
    }
    assert not {m["text"] for m in items} & earlier


def test_the_second_fresh_personal_data_set_is_frozen_and_well_formed() -> None:
    assert _sha256(FRESH) == FRESH_SHA256
    items = _yaml(FRESH)
    _check_labelled(items)
    with_pd = [m for m in items if m["pii"]]
    assert len(with_pd) >= 100 and len(items) - len(with_pd) >= 30
    assert "postal_address" not in {s["kind"] for m in items for s in m["pii"]}
    earlier = {m["text"] for m in _yaml(FRESH.parent / "messages.yaml")}
    assert not {m["text"] for m in items} & earlier


def test_the_second_mcp_results_set_is_frozen_and_well_formed() -> None:
    assert _sha256(MCP) == MCP_SHA256
    rows = [json.loads(line) for line in MCP.read_text(encoding="utf-8").splitlines()]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r["label"] in {"poisoned", "benign"}, r["id"]
        assert r["split"] == "held_out", r["id"]
        assert r["kind"] in {"web", "email", "customer", "crm", "feed"}, r["id"]
        assert isinstance(r["text"], str) and r["text"], r["id"]
        assert ("style" in r) == (r["label"] == "poisoned"), r["id"]
    assert sum(r["label"] == "poisoned" for r in rows) >= 40
    assert sum(r["label"] == "benign" for r in rows) >= 40
    earlier = {
        json.loads(line)["text"]
        for name in ("poisoned.jsonl", "benign.jsonl")
        for line in (MCP.parent / name).read_text(encoding="utf-8").splitlines()
    }
    assert not {r["text"] for r in rows} & earlier
