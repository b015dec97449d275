"""The `fairness:` policy section and the FA verdict codes."""

from __future__ import annotations

import pytest

from brandrail.errors import PolicyError
from brandrail.findings import Severity
from brandrail.policy import loads_policy
from brandrail.registry import all_rules, get_rule


def test_empty_section_validates_with_defaults():
    section = loads_policy("fairness: {}\n").fairness
    assert section.decision == "decision"
    assert section.min_cell == 30
    assert section.reference == "largest"
    assert section.nulls == "group"


def test_full_section_round_trips():
    policy = loads_policy(
        "fairness:\n"
        "  decision: shown\n"
        "  protected: [sex, age]\n"
        "  controls: region\n"
        "  reference: {sex: male}\n"
        "  intersections: [[sex, age]]\n"
        "  nulls: exclude\n"
    )
    assert policy.fairness.controls == ["region"]
    assert policy.fairness.reference == {"sex": "male"}


@pytest.mark.parametrize(
    ("yaml_text", "needle"),
    [
        ("fairness:\n  protectd: [sex]\n", "protectd"),
        ("fairness:\n  reference: biggest\n", "most-favoured"),
        ("fairness:\n  protected: [sex]\n  intersections: [[sex, age]]\n", "not in `protected`"),
        ("fairness:\n  protected: [sex]\n  controls: [sex]\n", "both protected and control"),
        ("fairness:\n  nulls: drop\n", "nulls"),
        ("fairness:\n  four_fifths: 1.5\n", "four_fifths"),
        ("fairness:\n  outcomes: [price]\n  better_outcome: {prise: lower}\n", "not in `outcomes`"),
        ("fairness:\n  outcomes: [price]\n  better_outcome: {price: cheaper}\n", "better_outcome"),
        ("fairness:\n  favourable: sometimes\n", "favourable"),
    ],
)
def test_bad_settings_are_policy_errors(yaml_text, needle):
    with pytest.raises(PolicyError) as err:
        loads_policy(yaml_text)
    assert needle in str(err.value)


def test_fa_codes_are_registered_verdicts_with_docs():
    codes = [r for r in all_rules(kind="verdict") if r.code.startswith("FA")]
    assert [r.code for r in codes] == [f"FA{i:03d}" for i in range(1, 12)]
    rule = get_rule("FA005")
    assert rule is not None and rule.name == "outcome-disparity"
    assert rule.default_severity is Severity.ERROR
    assert "Welch" in rule.doc.sections["What it flags"]


def test_policy_rules_override_severity():
    import fairness_helpers as h

    from brandrail.fairness import audit_fairness
    from brandrail.policy import policy_from_dict

    section = dict(h.FULL)
    policy = policy_from_dict({"fairness": section, "rules": {"FA007": {"severity": "error"}}})
    audit = audit_fairness(h.duck_table(h.small_log()), policy)
    fa007 = [f for f in audit.findings if f.code == "FA007"]
    assert fa007 and all(f.severity is Severity.ERROR for f in fa007)


def test_most_favoured_reference_follows_the_polarity():
    import fairness_helpers as h

    from brandrail.fairness import audit_fairness

    df = h.small_log()
    for favourable in (True, False):
        audit = audit_fairness(
            h.duck_table(df),
            h.policy(reference="most-favoured", favourable=favourable, features=[], ad=None, outcomes=[]),
        )
        sex = audit.grouping("sex")
        rates = {g.group: g.selection_rate.value for g in sex.groups if not g.suppressed}
        pick = max if favourable else min
        assert sex.reference == pick(rates, key=rates.__getitem__)
