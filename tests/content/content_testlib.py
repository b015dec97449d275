"""Helpers for the content tests: policies that run only the content rules."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import yaml

import brandrail.content.rules  # noqa: F401 - registers the content rules
from brandrail.policy import Policy, policy_from_dict
from brandrail.registry import all_rules


def only_content(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with every rule outside brandrail.content switched off (other pillars are tested elsewhere)."""
    out = dict(data)
    rules = dict(out.get("rules") or {})
    for rule in all_rules():
        if rule.kind in ("text", "html", "image") and not rule.__module__.startswith("brandrail.content"):
            rules.setdefault(rule.code, False)
    out["rules"] = rules
    return out


def content_policy(data: dict[str, Any] | None = None) -> Policy:
    return policy_from_dict(only_content(data or {}))


_DEFAULTS: list[Policy] = []


def found(text: str, code: str, policy: Policy | None = None, kind: str = "text") -> list[str]:
    """The texts of ``code``'s findings on ``text`` (the built-in defaults, content rules only, unless
    ``policy``)."""
    from brandrail.engine import check_document
    from brandrail.text.document import Document

    if policy is None:
        if not _DEFAULTS:
            _DEFAULTS.append(content_policy({}))
        policy = _DEFAULTS[0]
    result = check_document(Document(text, kind=kind), policy)
    return [text[f.span.start : f.span.end] for f in result.findings if f.code == code and f.span]


DEMO = Path(__file__).parents[2] / "src" / "brandrail" / "demo" / "data" / "fernhill"


def fired(text: str, policy: Policy, kind: str = "text") -> list[tuple[str, str]]:
    """Each finding of ``policy`` on ``text`` (of ``kind``): its code and the text its span covers ("" for a
    finding without a span), in the order they are reported."""
    from brandrail.engine import check_text

    result = check_text(text, policy, kind=kind)
    return [(f.code, text[f.span.start : f.span.end] if f.span else "") for f in result.findings]


def codes(text: str, policy: Policy, kind: str = "text") -> set[str]:
    """The codes of :func:`fired`."""
    return {c for c, _ in fired(text, policy, kind)}


def demo_policy() -> Policy:
    """The Fernhill demo policy (packs and files merged) with only the content rules on."""
    from brandrail.policy import load_policy

    raw = load_policy(DEMO / "brandrail.yaml").raw()
    raw.pop("extends", None)
    return content_policy(raw)


def stratified_split(
    items: list[dict[str, Any]], stratum: Callable[[dict[str, Any]], Hashable], seed: int
) -> tuple[list[int], list[int]]:
    """Ids of the development and held-out halves of a labelled set: each stratum (``stratum(item)``) is
    shuffled with ``seed`` and dealt alternately, its first item to the smaller half so far — so both halves
    hold every stratum. The labelled sets pin the halves this gives (their READMEs name the seed)."""
    strata: dict[Hashable, list[int]] = defaultdict(list)
    for m in items:
        strata[stratum(m)].append(m["id"])
    rng = random.Random(seed)
    dev: list[int] = []
    held: list[int] = []
    for key in sorted(strata):  # type: ignore[type-var]
        ids = strata[key]
        rng.shuffle(ids)
        first, second = (dev, held) if len(dev) <= len(held) else (held, dev)
        first += ids[0::2]
        second += ids[1::2]
    return sorted(dev), sorted(held)


MCP_RESULTS = Path(__file__).resolve().parent.parent / "data" / "mcp_results"
MCP_RESULT_KINDS = {"web", "email", "customer", "crm", "feed"}


def _result_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_pinned_results(
    name: str,
    sha256: str,
    *,
    id_prefix: str,
    split: str,
    poisoned: int,
    benign: int,
    min_styles: int = 0,
    earlier: tuple[str, ...] = (),
) -> None:
    """A pinned set of labelled tool results (tests/data/mcp_results/<name>) is unchanged, well formed (ids
    ``<id_prefix>-p-NN`` / ``-b-NN``, every row in ``split``, a style on each poisoned row only, the counts)
    and repeats no row of the ``earlier`` sets. Runs no detector."""
    path = MCP_RESULTS / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, f"{path} changed: it is pinned"
    rows = _result_rows(path)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        is_poisoned = r["label"] == "poisoned"
        assert r["label"] in {"poisoned", "benign"}, r["id"]
        assert re.fullmatch(rf"{id_prefix}-{'p' if is_poisoned else 'b'}-\d{{2}}", r["id"]), r["id"]
        assert r["split"] == split and r["kind"] in MCP_RESULT_KINDS, r["id"]
        assert isinstance(r["text"], str) and r["text"].strip(), r["id"]
        assert set(r) == {"id", "label", "kind", "split", "text"} | ({"style"} if is_poisoned else set()), r[
            "id"
        ]
        assert not is_poisoned or (isinstance(r["style"], str) and r["style"]), r["id"]
    poisoned_rows = [r for r in rows if r["label"] == "poisoned"]
    assert (len(poisoned_rows), len(rows) - len(poisoned_rows)) == (poisoned, benign)
    assert len({r["style"] for r in poisoned_rows}) >= min_styles
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts))
    assert not set(texts) & {r["text"] for other in earlier for r in _result_rows(MCP_RESULTS / other)}


EVASION = Path(__file__).resolve().parent.parent / "data" / "evasion"
#: the codes an evasion set may expect or forbid
EVASION_CODES = {
    "BR101", "BR103", "BR105", "BR201", "BR202", "BR203", "BR206", "BR301", "BR303", "BR304",
    "BR601", "BR602", "BR901", "BR902", "PV101", "PV102", "PV103",
}  # fmt: skip
#: what an evasion attack disguises
EVASION_ATTACKED = {
    "banned-term", "trademark", "competitor", "claim", "profanity", "inclusive", "personal-data",
    "disclosure-faked",
}  # fmt: skip


def check_pinned_evasion_set(
    name: str,
    sha256: str,
    *,
    prefixes: tuple[str, str],
    min_attacks: int,
    min_benign: int,
    min_families: int = 0,
    with_why: bool = False,
) -> dict[str, Any]:
    """A pinned evasion set (tests/data/evasion/<name>) is unchanged and well formed: its policy exists, ids are
    unique and start with ``prefixes`` (attacks, benign), the counts, each attack's codes, disguise and
    ``where`` (the disguised text, absent only for a faked disclosure), each benign case's forbidden codes, and
    with ``with_why`` a reason on every case. Returns the parsed set; runs no detector."""
    path = EVASION / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, f"{path} changed: it is pinned"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["policy"] in {"policy.yaml", "policy2.yaml"} and (EVASION / data["policy"]).is_file()
    attacks, benign = data["attacks"], data["benign"]
    ids = [case["id"] for case in attacks + benign]
    assert len(set(ids)) == len(ids)
    assert all(case["id"].startswith(prefixes[0]) for case in attacks)
    assert all(case["id"].startswith(prefixes[1]) for case in benign)
    assert len(attacks) >= min_attacks and len(benign) >= min_benign
    assert len({case.get("family") for case in attacks}) >= min_families
    assert set(data["benign_forbid_default"]) <= EVASION_CODES
    for case in attacks:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"], case["id"]
        assert case["expect"] and set(case["expect"]) <= EVASION_CODES, case["id"]
        assert case.get("attacks", "banned-term") in EVASION_ATTACKED, case["id"]
        assert ("where" in case) == (case.get("attacks") != "disclosure-faked"), case["id"]
        assert "where" not in case or case["where"] in case["text"], case["id"]
    for case in benign:
        assert case["kind"] in {"text", "markdown", "html"} and case["text"], case["id"]
        assert set(case.get("forbid", [])) <= EVASION_CODES, case["id"]
    if with_why:
        assert all(case.get("why") for case in attacks + benign)
    return data


PRIVACY_FRESH = Path(__file__).resolve().parent.parent / "data" / "privacy_fresh"


def pii_set_counts(name: str) -> Counter[str]:
    """True positives, false positives and false negatives ("tp", "fp", "fn") of :func:`find_pii` on a labelled
    personal-data set (tests/data/privacy_fresh/<name>), every kind on, the default phone regions: a hit
    counts when it overlaps a labelled span of its kind."""
    from brandrail.content.pii import find_pii
    from brandrail.policy.sections.privacy import PII_KINDS
    from brandrail.text.document import Document

    policy = policy_from_dict(
        {
            "version": 1,
            "brand": {"name": "Fernhill", "website": "https://fernhill.example"},
            "privacy": {"detect": list(PII_KINDS)},
        }
    )
    counts: Counter[str] = Counter()
    for item in yaml.safe_load((PRIVACY_FRESH / name).read_text(encoding="utf-8")):
        text = item["text"]
        labels = [
            (s["kind"], text.index(s["value"]), text.index(s["value"]) + len(s["value"])) for s in item["pii"]
        ]
        hits = [(h.kind, h.start, h.end) for h in find_pii(Document(text), policy)]
        for kind, a, b in labels:
            counts["tp" if any(k == kind and s < b and a < e for k, s, e in hits) else "fn"] += 1
        for kind, s, e in hits:
            if not any(k == kind and s < b and a < e for k, a, b in labels):
                counts["fp"] += 1
    return counts


#: The codes a claims and disclosures set labels (tests/data/claims_fresh*).
CLAIMS_CODES = frozenset({"BR101", "BR105", "BR201", "BR202", "BR203", "BR204", "BR205", "BR206", "BR301"})
_CLAIMS_KEYS = {"id", "ind", "ch", "labels", "ok", "why", "text"}


def check_pinned_claims_part(
    path: Path, sha256: str, *, min_items: int, min_clean: int
) -> list[dict[str, Any]]:
    """A pinned part of a claims and disclosures set is unchanged and well formed: unique ids, known keys and
    codes, no code both labelled and ``ok``, at least ``min_items`` items and ``min_clean`` clean ones. Runs no
    detector; returns the items."""
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    ids = [item["id"] for item in items]
    assert len(items) >= min_items and len(set(ids)) == len(ids)
    assert sum(1 for item in items if not item["labels"]) >= min_clean
    assert all(set(item) <= _CLAIMS_KEYS for item in items)
    assert all(set(item["labels"]) | set(item.get("ok", [])) <= CLAIMS_CODES for item in items)
    assert all(not set(item["labels"]) & set(item.get("ok", [])) for item in items)
    return items


def check_pinned_claims_brand(
    folder: str, heldout_sha256: str, policy_sha256: str, *, min_items: int
) -> None:
    """A held-out claims brand (tests/data/<folder>: policy.yaml and heldout.yaml, written blind) is unchanged
    and well formed: every item has its keys, a reason and a text; 40–50% clean look-alikes; every code, 20 or
    more BR301; five or more channels; and its policy has what such a set relies on (five competitors, one
    backed claim that expires, 3–5 required disclosures with trigger terms, one verbatim, one at the end)."""
    base = Path(__file__).resolve().parent.parent / "data" / folder
    assert hashlib.sha256((base / "policy.yaml").read_bytes()).hexdigest() == policy_sha256
    items = check_pinned_claims_part(base / "heldout.yaml", heldout_sha256, min_items=min_items, min_clean=0)
    assert all({"id", "ind", "ch", "labels", "why", "text"} <= set(item) for item in items)
    assert all(item["text"].strip() and item["why"].strip() for item in items)
    clean = sum(1 for item in items if not item["labels"])
    assert 0.40 <= clean / len(items) <= 0.50
    per_code = Counter(code for item in items for code in item["labels"])
    assert set(per_code) == CLAIMS_CODES and per_code["BR301"] >= 20
    assert len({item["ch"] for item in items}) >= 5
    policy = yaml.safe_load((base / "policy.yaml").read_text(encoding="utf-8"))
    assert policy["version"] == 1 and len(policy["terms"]["competitors"]) == 5
    assert sum(1 for entry in policy["claims"]["substantiated"] if "expires" in entry) == 1
    required = policy["disclosures"]["required"]
    assert 3 <= len(required) <= 5 and all(entry["when"]["terms"] for entry in required)
    assert any(entry.get("verbatim") for entry in required)
    assert any(entry.get("position") == "end" for entry in required)
