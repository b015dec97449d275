"""The pillar sections (creative, fairness, goals, gate, audit, integrations) are built on demand: a plain
check never builds them, yet validation, errors, the dump and the version are as if they were fields."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from brandrail.errors import PolicyError
from brandrail.policy import Policy, load_policy, loads_policy, policy_from_dict
from brandrail.policy.lazy import LAZY_SECTIONS, render_defaults, section_class
from brandrail.policy.model import SECTION_ORDER

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = ROOT / "src" / "brandrail" / "policy" / "lazy_defaults.json"


def full_version(policy: Policy) -> str:
    """The version computed the slow way: every section built and dumped (the reference)."""
    data = policy.model_dump(mode="json", by_alias=True)
    assert set(LAZY_SECTIONS) <= set(data)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_the_stored_defaults_match_the_models() -> None:
    assert DEFAULTS.read_text(encoding="utf-8") == render_defaults(), (
        "src/brandrail/policy/lazy_defaults.json is stale: run `python -m brandrail.policy.lazy`"
    )


POLICIES = [
    "brand: {name: Acme}\n",
    "gate:\n  budget: {max_per_action: '500', campaign_daily_cap: '1000'}\n",
    "fairness:\n  protected: [age_band]\ncreative:\n  contrast: {min_ratio: 5}\n",
    "goals:\n  objective: {name: net_revenue, kind: mean}\n"
    "channels:\n  email:\n    kind: email\n    creative:\n      contrast: {min_ratio: 7}\n",
]


@pytest.mark.parametrize("text", POLICIES)
def test_version_is_the_hash_of_the_whole_policy(text: str) -> None:
    try:
        policy = loads_policy(text)
    except PolicyError as exc:  # keep the examples valid: a typo here would test nothing
        pytest.fail(str(exc))
    lazy_version = policy.version  # computed before any lazy section is built
    built = policy.__pydantic_private__["_pillars"]  # type: ignore[index]
    assert set(built) == {
        name for name in LAZY_SECTIONS if f"\n{name}:" in f"\n{text}"
    }  # top-level keys only
    assert lazy_version == full_version(loads_policy(text))
    for name in policy.channels:
        view = policy.for_channel(name)
        assert view.version == lazy_version


def test_a_policy_builds_the_sections_it_has_and_the_others_when_read() -> None:
    policy = loads_policy("gate:\n  budget: {max_per_action: '5'}\n")
    built = policy.__pydantic_private__["_pillars"]  # type: ignore[index]
    assert set(built) == {"gate"}
    assert str(policy.gate.budget.max_per_action) == "5"
    assert policy.fairness == section_class("fairness")()
    assert set(built) == {"gate", "fairness"}
    assert policy.fairness is policy.fairness  # built once


def test_the_dump_lists_every_section_in_file_order() -> None:
    dump = policy_from_dict({"brand": {"name": "Acme"}}).model_dump(by_alias=True)
    assert list(dump) == [k for k in SECTION_ORDER if k in dump]
    assert set(LAZY_SECTIONS) <= set(dump)
    assert json.loads(policy_from_dict({}).model_dump_json())["gate"] == section_class("gate")().model_dump(
        mode="json"
    )
    for (
        name
    ) in LAZY_SECTIONS:  # a section not built dumps its stored defaults: the same keys in the same order
        unbuilt = json.dumps(policy_from_dict({}).model_dump(mode="json", by_alias=True)[name])
        assert unbuilt == json.dumps(section_class(name)().model_dump(mode="json", by_alias=True))
    only = policy_from_dict({}).model_dump(include={"gate", "brand"})
    assert set(only) == {"gate", "brand"}
    assert "gate" not in policy_from_dict({}).model_dump(exclude={"gate"})
    assert set(policy_from_dict({"gate": {}}).model_dump(exclude_unset=True)) >= {"gate"}
    read = policy_from_dict({"gate": {}})
    assert read.fairness is not None  # built by reading it, yet never set by the data
    assert "fairness" not in read.model_dump(exclude_unset=True)
    assert "gate" not in read.model_dump(exclude_defaults=True)
    assert "gate" in policy_from_dict({"gate": {"minimum_age": 21}}).model_dump(exclude_defaults=True)


def test_errors_in_lazy_and_other_sections_come_together_in_section_order(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "brand: {name: [3]}\nterms:\n  baned: []\ngate:\n  budgetz: {}\nfairness:\n  protected: {a: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    issues = info.value.issues
    assert [i.path for i in issues] == ["brand.name", "terms.baned", "fairness.protected", "gate.budgetz"]
    assert [str(i.location) for i in issues][3] == f"{path}:5:3"
    assert issues[3].hint == "did you mean 'budget'?"


def test_an_unknown_top_level_key_suggests_a_lazy_section() -> None:
    with pytest.raises(PolicyError) as info:
        loads_policy("fairnes: {}\n")
    assert info.value.issues[0].hint == "did you mean 'fairness'?"


def test_the_model_validates_lazy_sections_too() -> None:
    with pytest.raises(Exception) as info:
        Policy.model_validate({"gate": {"nope": 1}})
    assert "gate.nope" in str(info.value).replace("\n", ".")
    assert Policy.model_validate({"gate": {}}).gate == section_class("gate")()


def test_a_plain_check_builds_no_lazy_section_and_no_tone_profile(tmp_path: Path) -> None:
    (tmp_path / "brandrail.yaml").write_text(
        "terms:\n  banned:\n    - term: cheap\n      replacement: affordable\n", encoding="utf-8"
    )
    modules = sorted({m for m, _ in LAZY_SECTIONS.values()} | {"brandrail.voice.tone"})
    probe = (
        "import sys, brandrail\n"
        "result = brandrail.check('Our cheap tent.', brandrail.load_policy('brandrail.yaml'))\n"
        "assert result.findings and result.policy_version\n"
        f"print([m for m in {modules!r} if m in sys.modules])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
