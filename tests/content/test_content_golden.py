"""Golden-output test per rule code: tests/content/fixtures/<CODE>.yaml holds flagged and clean cases.

Each fixture names its ``code``, a ``policy`` (plain data) and ``cases``; a case gives the ``text`` (with
optional ``kind``, ``channel`` and ``meta``) and ``expect``: the exact list of ``[code, matched text]`` the
rule must report in order (``null`` as matched text for message-level findings). ``fixed`` (optional) is the
text after ``fix_text`` for that policy, and ``severity`` the expected severity of every finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from content_testlib import only_content

from brandrail.content.fix import fix_text
from brandrail.engine import check_document
from brandrail.policy import policy_from_dict
from brandrail.registry import Rule, all_rules
from brandrail.text.document import Document

FIXTURES = Path(__file__).parent / "fixtures"


def _cases() -> list[Any]:
    params = []
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            params.append(pytest.param(data["code"], data.get("policy") or {}, case, id=f"{path.stem}-{i}"))
    return params


@pytest.mark.parametrize(("code", "policy_data", "case"), _cases())
def test_golden(code: str, policy_data: dict[str, Any], case: dict[str, Any]) -> None:
    policy = policy_from_dict(only_content(policy_data))
    channel = case.get("channel")
    view = policy.for_channel(channel)
    doc = Document(case["text"], kind=case.get("kind", "text"), channel=channel, meta=case.get("meta") or {})
    result = check_document(doc, view)
    got = [[f.code, f.match] for f in result.findings if f.code == code]
    assert got == [list(e) for e in case["expect"]]
    if "severity" in case:
        assert {f.severity.value for f in result.findings if f.code == code} <= {case["severity"]}
    for finding in result.findings:
        if finding.code == code and finding.span is not None:
            assert doc.text[finding.span.start : finding.span.end] == finding.match
    if "fixed" in case:
        outcome = fix_text(
            case["text"], view, kind=case.get("kind", "text"), channel=channel, meta=case.get("meta")
        )
        assert outcome.text == case["fixed"]


def test_every_content_code_has_a_fixture() -> None:
    # a code other parts emit has no check of its own to run on a fixture (BR999: tests/core/test_check_budget.py)
    codes = {
        r.code
        for r in all_rules()
        if r.__module__.startswith("brandrail.content") and r.check is not Rule.check
    }
    have = {p.stem for p in FIXTURES.glob("*.yaml")}
    assert codes - have == set()
    for path in FIXTURES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        flagged = [c for c in data["cases"] if c["expect"]]
        clean = [c for c in data["cases"] if not c["expect"]]
        assert flagged and clean, f"{path.name} needs flagged and clean cases"
