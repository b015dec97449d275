"""Unit checks against independent references: SMS segment arithmetic, Luhn, policy sections and packs."""

from __future__ import annotations

import math

import pytest
from content_testlib import content_policy
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum import luhn

from brandrail.content.channel import GSM7_BASIC, GSM7_EXTENSION, emoji_clusters, sms_info
from brandrail.content.pii import _luhn
from brandrail.engine import check_text
from brandrail.errors import PolicyError
from brandrail.policy import builtin_packs, loads_policy, policy_from_dict


def _segments(units: int, single: int, multi: int) -> int:
    """Closed form when no escape/surrogate pair straddles a boundary."""
    if units == 0:
        return 0
    return 1 if units <= single else math.ceil(units / multi)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=700))
def test_gsm7_segments_match_the_closed_form(text: str) -> None:
    info = sms_info(text)
    assert info.encoding == "GSM-7" and info.units == len(text)
    assert info.segments == _segments(len(text), 160, 153)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcłżé€", min_size=1, max_size=400).filter(lambda t: any(c in "łż" for c in t)))
def test_ucs2_segments_match_the_closed_form(text: str) -> None:
    info = sms_info(text)
    assert info.encoding == "UCS-2" and info.units == len(text)
    assert info.segments == _segments(len(text), 70, 67)


def test_sms_boundaries() -> None:
    assert sms_info("a" * 160).segments == 1
    assert sms_info("a" * 161).segments == 2
    assert sms_info("a" * 306).segments == 2
    assert sms_info("a" * 307).segments == 3
    assert sms_info("€" * 80).units == 160 and sms_info("€" * 80).segments == 1  # extension: 2 septets each
    assert sms_info("€" * 81).segments == 2
    assert sms_info("a" * 152 + "€").segments == 1 and sms_info("a" * 152 + "€" * 5).segments == 2
    # an escape pair is never split: 152 septets + '€' (2) does not fit the first 153-septet segment
    assert sms_info("a" * 152 + "€" + "a" * 153).segments == 3
    assert sms_info("😀" * 35).units == 70 and sms_info("😀" * 35).segments == 1
    assert sms_info("😀" * 36).segments == 2
    assert sms_info("").segments == 0
    assert "€" in GSM7_EXTENSION and "ł" not in GSM7_BASIC


def test_emoji_sequences_count_once() -> None:
    assert len(emoji_clusters("👨‍👩‍👧 👍🏽 🇬🇧 ❤️ 1️⃣")) == 5
    assert emoji_clusters("© 2025 plain ™") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=2, max_size=19))
def test_luhn_agrees_with_stdnum(digits: str) -> None:
    assert _luhn(digits) == luhn.is_valid(digits)


def test_every_section_validates_empty_and_rejects_unknown_keys() -> None:
    policy = policy_from_dict({"terms": {}, "claims": {}, "disclosures": {}, "privacy": {}, "inclusive": {}})
    assert policy.claims.pricing.required and policy.privacy.redaction == "mask"
    with pytest.raises(PolicyError) as err:
        loads_policy("claims:\n  enviromental: {enabled: false}\n")
    assert "environmental" in str(err.value)
    with pytest.raises(PolicyError):
        loads_policy("terms:\n  consistency:\n    - [email]\n")
    with pytest.raises(PolicyError):
        loads_policy("channels:\n  sms: {max_segments: 0}\n")
    with pytest.raises(PolicyError):
        loads_policy("privacy:\n  detect: [email, dna]\n")


def test_packs_load_and_fire() -> None:
    assert {"ftc-endorsements", "can-spam", "tcpa-sms", "eu-ai-act-50", "green-claims"} <= set(
        builtin_packs()
    )
    policy = content_policy(
        {
            "extends": ["can-spam", "tcpa-sms", "eu-ai-act-50", "green-claims", "ftc-endorsements"],
            "brand": {"name": "Fernhill"},
            "channels": {"sms": {"kind": "sms"}, "email": {"kind": "email"}, "social": {"kind": "social"}},
        }
    )
    assert {f.code for f in check_text("Big news.", policy, channel="sms").findings} >= {"BR304", "BR305"}
    email = {f.code for f in check_text("Big news.", policy, channel="email").findings}
    assert {"BR306", "BR307"} <= email
    social = check_text(
        "Our eco-friendly jacket, gifted by a friend, kept me dry all week #ad", policy, channel="social"
    )
    codes = {f.code: f.severity.value for f in social.findings}
    assert codes.get("BR303") == "error" and codes.get("BR205") == "error" and codes.get("BR302") == "error"


def test_brand_settings_override_packs() -> None:
    policy = content_policy({"extends": ["eu-ai-act-50"], "disclosures": {"ai_label": {"required": False}}})
    assert not [f for f in check_text("Hello.", policy, channel=None).findings if f.code == "BR303"]


def test_fast_policy_accessors_agree_with_the_policy() -> None:
    from brandrail.content.fastpolicy import cache_of, channel_name, channel_of

    policy = content_policy({"channels": {"sms": {"kind": "sms", "max_emoji": 0}}})
    for view in (policy, policy.for_channel("sms")):
        assert cache_of(view) is view.cache()
        assert channel_name(view) == view.channel
        assert channel_of(view) == view.channel_policy


def test_demo_messages_show_every_content_family() -> None:
    from content_testlib import DEMO, demo_policy

    from brandrail.engine import check_document
    from brandrail.text.document import Document
    from brandrail.text.io import kind_of

    policy = demo_policy()
    families: set[str] = set()
    clean = 0
    for path in sorted((DEMO / "messages").iterdir()):
        channel = path.name.split("-")[0]
        doc = Document(path.read_text(encoding="utf-8"), kind=kind_of(path), channel=channel)  # type: ignore[arg-type]
        result = check_document(doc, policy.for_channel(channel))
        families |= {f.family for f in result.findings}
        clean += not result.findings
    assert families >= {"terms", "claims", "disclosures", "channel", "privacy", "inclusive", "evasion"}
    assert clean >= 3  # some messages are on-brand


def test_hash_redaction_is_salted_and_stable(monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from brandrail.content.fix import fix_text

    policy = content_policy({"privacy": {"redaction": "hash", "salt_env": "TEST_PII_SALT"}})
    monkeypatch.setenv("TEST_PII_SALT", "pepper")
    out = fix_text("Mail jane@example.org today.", policy).text
    expected = hashlib.sha256(b"pepperjane@example.org").hexdigest()[:12]
    assert out == f"Mail [email:{expected}] today."
    assert fix_text(out, policy).text == out
    monkeypatch.setenv("TEST_PII_SALT", "salt2")
    assert fix_text("Mail jane@example.org today.", policy).text != out


def test_disclosure_triggers_by_pattern_and_channel() -> None:
    policy = content_policy(
        {
            "channels": {"sms": {"kind": "sms"}},
            "disclosures": {
                "sms": {"opt_out": False, "sender": False},
                "required": [
                    {
                        "id": "apr",
                        "text": "Representative APR 29.9%.",
                        "when": {"patterns": [r"\bfinance\b|\bpay monthly\b"]},
                    },
                    {"id": "sms-id", "text": "From Fernhill.", "when": {"channels": ["sms"]}},
                ],
            },
        }
    )
    codes = [
        f.evidence["disclosure"]
        for f in check_text("Pay monthly on tents.", policy).findings
        if f.code == "BR301"
    ]
    assert codes == ["apr"]
    codes = [
        f.evidence["disclosure"]
        for f in check_text("Hello.", policy, channel="sms").findings
        if f.code == "BR301"
    ]
    assert codes == ["sms-id"]


def test_first_checks_from_many_threads_agree() -> None:
    from concurrent.futures import ThreadPoolExecutor

    data = {"terms": {"banned": [{"term": f"zorb{i}"} for i in range(300)] + [{"term": "cheap"}]}}
    texts = [f"Our cheap tent number {i}, zorb{i} and the best one." for i in range(40)]
    expected = [[f.code for f in check_text(t, content_policy(data)).findings] for t in texts]
    fresh = content_policy(data)
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: [f.code for f in check_text(t, fresh).findings], texts))
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 8)), max_size=12),
    st.integers(0, 70),
    st.integers(1, 10),
)
def test_spans_agree_with_brute_force(raw: list[tuple[int, int]], start: int, width: int) -> None:
    from brandrail.content.common import Spans

    spans = [(a, a + w, i) for i, (a, w) in enumerate(raw)]
    index = Spans(spans)
    end = start + width
    overlapping = [s for s in spans if s[0] < end and start < s[1]]
    got = index.overlapping(start, end)
    assert (got is None) == (not overlapping)
    if got is not None:
        assert got in [s[2] for s in overlapping]
    inside = [s for s in spans if start <= s[0] and s[1] <= end]
    got_inside = index.inside(start, end)
    assert (got_inside is None) == (not inside)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .!?\n", max_size=40), st.data())
def test_sentence_range_agrees_with_a_linear_scan(text: str, data: st.DataObject) -> None:
    import re

    from brandrail.content.common import sentence_range

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)|\n", text)]
    a = max([e for e in ends if e <= start], default=0)
    b = min([e for e in ends if e > end], default=len(text))
    assert sentence_range(text, start, end) == (a, b)


# an address as one regular expression (letters of any script, RFC 6531): the reference for the finder,
# which walks out from each '@' (a digit may follow the top-level domain, which holds none)
_EMAIL_REFERENCE = (
    r"(?<![\w.%+-])[^\W_][\w.%+-]*@[^\W_][\w-]*(?:\.[^\W_][\w-]*)*\.[^\W\d_]{2,24}(?![^\W\d]|[_-])"
)


_LOCAL_PIECES = st.lists(
    st.sampled_from(["jane", "doe", "x", "1", ".", "_", "+", "-", "%", "é", " "]), max_size=5
)
_DOMAIN_PIECES = st.lists(
    st.sampled_from(["mail", "example", ".", ".org", ".co", ".uk", "-", "1", "é", " "]), max_size=5
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LOCAL_PIECES, st.booleans(), _DOMAIN_PIECES), min_size=1, max_size=3))
@example([(["jane", ".", "doe"], True, ["mail", ".org"])])
@example([([" ", "jane"], True, ["mail", ".co", ".uk", " "])])
@example([([".", "jane"], True, ["mail", ".org"])])
@example([(["é", "jane"], True, ["mail", ".org"])])
@example([(["jane"], True, ["mail", ".org", "-", "1"])])
@example([(["x"], True, ["mail"]), (["jane"], True, ["example", ".co"])])
def test_email_finder_agrees_with_the_reference_pattern(
    chunks: list[tuple[list[str], bool, list[str]]],
) -> None:
    import re

    from brandrail.content.pii import find_pii
    from brandrail.text.document import Document

    text = "".join("".join(left) + ("@" if at else "") + "".join(right) for left, at, right in chunks)
    policy = content_policy({"privacy": {"detect": ["email"]}})
    got = [(h.start, h.end) for h in find_pii(Document(text), policy)]
    want = [(m.start(), m.end()) for m in re.finditer(_EMAIL_REFERENCE, text)]
    assert got == want, text


def test_message_length_counts_the_urls_a_channel_sends() -> None:
    policy = content_policy({"channels": {"sms": {"kind": "sms", "max_length": 40}}})
    url = "https://fernhill.example/winter-sale?utm_source=sms"
    text = f"Sale now: {url}"
    (f,) = [f for f in check_text(text, policy, kind="text", channel="sms").findings if f.code == "BR401"]
    assert f.evidence["measured"] == len(text)
    assert f.span is not None and text[f.span.start : f.span.end] == text[40:]
    # invisible characters are sent too
    padded = "Sale" + "\u200b" * 40 + " now"
    assert [
        f.code for f in check_text(padded, policy, kind="text", channel="sms").findings if f.code == "BR401"
    ]
    # Markdown counts its prose: a link's address is not shown
    md = f"Sale now: [winter tents]({url})"
    assert not [
        f for f in check_text(md, policy, kind="markdown", channel="sms").findings if f.code == "BR401"
    ]
