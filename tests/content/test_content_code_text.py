"""What the reader sees is what is checked: text formatted as code and the other text markup holds.

Code spans, fenced and indented blocks, ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>`` and ``<tt>`` are shown to
the reader of an e-mail, a page or a chat reply like any other text, so a banned term, a claim, a
disclosure trigger or personal data there is found, its span pointing at the word in the original. The
policy's ``code_text.skipped_by`` lets rules skip code (the style rules by default); personal data and the
evasion rules always read it.
"""

from __future__ import annotations

from typing import Any

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text
from brandrail.errors import PolicyError
from brandrail.findings import Finding
from brandrail.policy import load_policy
from brandrail.text import Document

BASE: dict[str, Any] = {
    "terms": {
        "banned": [{"term": "flimsy", "replacement": "lightweight"}],
        "preferred": [{"term": "sign in", "instead_of": ["login"]}],
    },
    "disclosures": {
        "required": [{"id": "trade-in", "text": "Trade-in terms apply.", "when": {"terms": ["trade-in"]}}]
    },
    "channels": {
        "email": {"kind": "email", "max_caps_words": 0},
        "docs": {"kind": "web", "code_text": {"skipped_by": ["all"]}},
    },
}
POLICY = content_policy(BASE)


def run(text: str, kind: str, policy: Any = POLICY, channel: str | None = None) -> list[Finding]:
    return list(check_text(text, policy, kind=kind, channel=channel).findings)  # type: ignore[arg-type]


def found(text: str, kind: str, code: str, **kw: Any) -> list[str]:
    """The original text under each finding of ``code``."""
    return [text[f.span.start : f.span.end] for f in run(text, kind, **kw) if f.code == code and f.span]


# Each construct wraps a payload as code; {} is where the payload stands.
CONSTRUCTS = [
    ("markdown", "Our tents are `{}` and more.\n"),
    ("markdown", "Our tents are ``{}`` and more.\n"),
    ("markdown", "Intro line.\n\n```\n{}\n```\n\nEnd.\n"),
    ("markdown", "Intro line.\n\n~~~text\nsee: {}\n~~~\n"),
    ("markdown", "Intro line.\n\n    {}\n\nEnd.\n"),
    ("markdown", "- item\n\n  ```\n  {}\n  ```\n"),
    ("markdown", "> quoted `{}` here\n"),
    ("markdown", "Inline <code>{}</code> html.\n"),
    ("html", "<p>Our tents are <code>{}</code>.</p>"),
    ("html", "<pre>\n{}\n</pre>"),
    ("html", "<p>Press <kbd>{}</kbd> now</p>"),
    ("html", "<p>It said <samp>{}</samp></p>"),
    ("html", "<p>Old <tt>{}</tt> type</p>"),
    ("html", "<pre><code class='language-sh'>echo {}</code></pre>"),
]
PAYLOADS = [
    ("BR101", "flimsy"),
    ("BR202", "guaranteed results"),
    ("BR203", "cures eczema"),
    ("PV101", "wren.hale@mailbox.example"),
    ("PV103", "4111 1111 1111 1111"),
]


@pytest.mark.parametrize(("kind", "construct"), CONSTRUCTS)
@pytest.mark.parametrize(("code", "payload"), PAYLOADS)
def test_what_is_written_as_code_is_found_where_it_stands(
    kind: str, construct: str, code: str, payload: str
) -> None:
    text = construct.format(payload)
    findings = [f for f in run(text, kind) if f.code == code]
    assert findings, (code, text)
    start = text.index(payload)
    spans = [(f.span.start, f.span.end) for f in findings if f.span]
    assert any(a >= start and b <= start + len(payload) and text[a:b].strip() for a, b in spans), (
        spans,
        text,
    )
    # the span points into the payload, not at markup around it
    assert all(text[a:b] in payload for a, b in spans), [text[a:b] for a, b in spans]


@pytest.mark.parametrize(("kind", "construct"), CONSTRUCTS)
def test_opting_out_restores_skipping_code_but_never_for_personal_data(kind: str, construct: str) -> None:
    policy = content_policy({**BASE, "code_text": {"skipped_by": ["all"]}})
    for code, payload in PAYLOADS:
        text = construct.format(payload)
        hits = [f for f in run(text, kind, policy) if f.code == code]
        if code.startswith("PV"):
            assert hits, (code, text)  # personal data is found in all of the text
        else:
            assert not hits, (code, text)


def test_a_family_or_a_rule_opts_out_alone() -> None:
    text = "Our tents are `flimsy` and `guaranteed results`.\n"
    terms_only = content_policy({**BASE, "code_text": {"skipped_by": ["terms"]}})
    codes = {f.code for f in run(text, "markdown", terms_only)}
    assert "BR101" not in codes and "BR202" in codes
    one_rule = content_policy({**BASE, "code_text": {"skipped_by": ["BR202"]}})
    codes = {f.code for f in run(text, "markdown", one_rule)}
    assert "BR101" in codes and "BR202" not in codes


def test_a_channel_opts_out_for_itself() -> None:
    text = "Our tents are `flimsy`.\n"
    assert found(text, "markdown", "BR101", channel="email") == ["flimsy"]
    assert found(text, "markdown", "BR101", channel="docs") == []


def test_a_trigger_written_as_code_still_needs_its_disclosure() -> None:
    text = "Bring your old tent: `trade-in` now open.\n"
    assert [f.code for f in run(text, "markdown") if f.code == "BR301"] == ["BR301"]
    assert not [f for f in run(text + "\nTrade-in terms apply.\n", "markdown") if f.code == "BR301"]


def test_a_disclosure_written_as_code_is_seen() -> None:
    html = "<p>Our trade-in offer.</p><p><code>Trade-in terms apply.</code></p>"
    assert not [f for f in run(html, "html") if f.code == "BR301"]
    # with code skipped by the disclosure rules the trigger is still in the prose; the disclosure is not
    skipping = content_policy({**BASE, "code_text": {"skipped_by": ["disclosures"]}})
    assert [f.code for f in run(html, "html", skipping) if f.code == "BR301"] == ["BR301"]


def test_style_rules_skip_code_by_default() -> None:
    text = "Use code `SAVE20` and call `GET /tents` or `login()` to start. Please login today.\n"
    findings = run(text, "markdown", channel="email")
    assert not [f for f in findings if f.code == "BR406"]  # a promo code or a request is not shouting
    assert [text[f.span.start : f.span.end] for f in findings if f.code == "BR102" and f.span] == ["login"]
    assert [f.span.start for f in findings if f.code == "BR102" and f.span] == [text.rindex("login")]
    checked = content_policy({**BASE, "code_text": {"skipped_by": []}})
    findings = run(text, "markdown", checked, channel="email")
    assert [f.code for f in findings if f.code == "BR406"] == ["BR406"]
    assert len([f for f in findings if f.code == "BR102"]) == 2


def test_a_fix_never_rewrites_code() -> None:
    from brandrail.content.fix import fix_text

    text = "A flimsy tent.\n\n```\nflimsy --pitch\n```\n"
    outcome = fix_text(text, POLICY, kind="markdown")
    assert outcome.text == "A lightweight tent.\n\n```\nflimsy --pitch\n```\n"
    assert [f.code for f in outcome.remaining.findings if f.code == "BR101"] == ["BR101"]


def test_hidden_characters_in_code_are_found() -> None:
    text = "Run `fl\u200bimsy` now.\n"
    assert found(text, "markdown", "BR901") == ["\u200b"]
    assert found(text, "markdown", "BR101") == ["fl\u200bimsy"]


# -- other places markup holds text --------------------------------------------------------------------------

READ = [
    ("html", '<p><abbr title="{}">x</abbr></p>'),  # a tooltip
    ("html", '<p><a href="/x" aria-label="{}">Go</a></p>'),  # what a screen reader says
    ("html", '<input type="text" placeholder="{}">'),
    ("html", '<input type="submit" value="{}">'),
    ("html", '<input value="{}">'),
    ("html", "<html><head><title>{}</title></head><body><p>Hi</p></body></html>"),
    ("html", '<html><head><meta name="description" content="{}"></head><body>Hi</body></html>'),
    ("html", '<html><head><meta property="og:title" content="{}"></head><body>Hi</body></html>'),
    ("html", "<template><p>{}</p></template>"),
    ("html", "<textarea>{}</textarea>"),
    ("html", "<select><option>{}</option></select>"),
    ("html", "<button>{}</button>"),
    ("html", "<details><summary>More</summary><p>{}</p></details>"),
    ("html", "<svg><title>{}</title></svg>"),
    ("html", "<svg><desc>{}</desc></svg>"),
    ("html", "<math><mtext>{}</mtext></math>"),
    ("html", "<noscript>{}</noscript>"),
    ("markdown", 'See [our tents](https://x.example "{}").\n'),
    ("markdown", "See [our tents][t].\n\n[t]: https://x.example '{}'\n"),
    ("markdown", "See [our tents][t].\n\n[t]: https://x.example\n  ({})\n"),
    ("markdown", "A claim.[^1]\n\n[^1]: {}\n"),
    ("markdown", "---\nsubject: {}\nlayout: mail\n---\nHello.\n"),
    ("markdown", "---\ntitle: '{}'\n---\nHello.\n"),
    ("markdown", 'Hi <span title="{}">there</span>.\n'),
    ("markdown", "<div>\n<p>{}</p>\n</div>\n"),
]


@pytest.mark.parametrize(("kind", "construct"), READ)
@pytest.mark.parametrize(("code", "payload"), [("BR101", "flimsy"), ("BR202", "guaranteed results")])
def test_text_a_reader_is_shown_is_read(kind: str, construct: str, code: str, payload: str) -> None:
    text = construct.format(payload)
    hits = found(text, kind, code)
    assert hits, (code, text)
    start = text.index(payload)
    assert all(h in payload for h in hits), hits
    assert any(f.span and f.span.start >= start for f in run(text, kind) if f.code == code)


NOT_READ = [
    ("html", "<p>Hi</p><!-- {} -->"),
    ("html", '<input type="hidden" value="{}"><p>Hi</p>'),
    ("html", '<input type="checkbox" value="{}"><p>Hi</p>'),
    ("html", "<script>var s = '{}';</script><p>Hi</p>"),
    ("html", "<style>/* {} */</style><p>Hi</p>"),
    ("html", '<p data-note="{}">Hi</p>'),
    ("html", '<html><head><meta name="keywords" content="{}"></head><body>Hi</body></html>'),
    ("html", "<svg><metadata>{}</metadata></svg><p>Hi</p>"),
    ("markdown", "Hi <!-- {} --> there.\n"),
    ("markdown", "---\nlayout: {}\n---\nHello.\n"),
]


@pytest.mark.parametrize(("kind", "construct"), NOT_READ)
def test_text_no_reader_is_shown_is_not_read(kind: str, construct: str) -> None:
    text = construct.format("flimsy")
    assert found(text, kind, "BR101") == [], text
    doc = Document(text, kind=kind)  # type: ignore[arg-type]
    assert "flimsy" not in doc.folded


def test_a_title_never_splits_a_phrase() -> None:
    # a tooltip on a word is read as a block of its own, after the text: the phrase around it stays whole
    # ("treats" alone is no health claim, "treats eczema" is)
    html = (
        '<p>It <abbr title="x">treats</abbr> eczema.</p><p>It <span aria-label="y">treats</span> eczema</p>'
    )
    assert found(html, "html", "BR203") == ["treats</abbr> eczema", "treats</span> eczema"]
    md = 'It [treats](https://x.example "tip") eczema.\n'
    assert found(md, "markdown", "BR203") == ['treats](https://x.example "tip") eczema']


def test_a_reference_line_that_is_no_definition_is_prose() -> None:
    # "[a]: x guaranteed results" is no link reference definition (text follows the destination): it is a
    # paragraph the reader sees
    text = "[a]: x treats eczema\n"
    assert found(text, "markdown", "BR203") == ["treats eczema"]
    assert found("[a]: x 'treats eczema'\n", "markdown", "BR203") == ["treats eczema"]  # a title: a tooltip


def test_text_read_on_request_is_no_seen_disclosure() -> None:
    policy = content_policy(
        {
            "channels": {"web": {"kind": "web"}},
            "disclosures": {"ai_label": {"required": True, "assume_generated": True, "channels": ["web"]}},
        }
    )
    label = "This message was generated with AI."
    seen = f"Our new tents.\n\n{label}\n"
    tooltip = f'Our new [tents](https://x.example "{label}").\n'
    assert not [f for f in run(seen, "markdown", policy, channel="web") if f.code == "BR303"]
    assert [f.code for f in run(tooltip, "markdown", policy, channel="web") if f.code == "BR303"] == ["BR303"]
    html = f'<p>Our new tents.</p><p title="{label}">Hi</p><img src="a.png" alt="{label}">'
    assert [f.code for f in run(html, "html", policy, channel="web") if f.code == "BR303"] == ["BR303"]


def test_front_matter_is_read_but_a_disclosure_stands_in_the_message() -> None:
    policy = content_policy({"terms": {"banned": [{"term": "flimsy"}]}})
    body = "#ad Our new tents are in.\n"
    front = (
        "---\nsponsored: true\ntitle: A long title about our spring camping gear for the high fells\n---\n"
    )
    findings = run(front + body, "markdown", policy)
    assert not [
        f for f in findings if f.code == "BR302"
    ]  # the label opens the message: 'within' counts there
    only_in_title = "---\nsponsored: true\ntitle: '#ad Spring'\n---\nOur new tents are in.\n"
    assert [f.code for f in run(only_in_title, "markdown", policy) if f.code == "BR302"] == ["BR302"]
    assert found("---\nsubject: Flimsy deals\n---\nHi.\n", "markdown", "BR101", policy=policy) == ["Flimsy"]


def test_pieces_are_marked_code_and_aside() -> None:
    text = 'A `b` c [d](u "e") <kbd>f</kbd>\n\n```\ng\n```\n'
    doc = Document(text, kind="markdown")
    code = sorted(text[p.start : p.end].strip() for p in doc.pieces if p.code)
    aside = [text[p.start : p.end] for p in doc.pieces if p.aside]
    assert code == ["b", "f", "g"]
    assert aside == ["e"]
    assert doc.in_code(text.index("`b`") + 1, text.index("`b`") + 2)
    assert not doc.in_code(0, 1)


# -- the policy switch ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("inclusve", "did you mean 'inclusive'?"),
        ("PV101", "cannot skip code"),
        ("privacy", "cannot skip code"),
        ("BR901", "cannot skip code"),
        ("BR710", "does not read prose"),
    ],
)
def test_a_wrong_entry_is_an_error_at_its_place(tmp_path: Any, entry: str, message: str) -> None:
    path = tmp_path / "brandrail.yaml"
    path.write_text(f"code_text:\n  skipped_by: [terms, {entry}]\n", encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    issue = err.value.issues[0]
    assert issue.path == "code_text.skipped_by[1]"
    assert message in issue.message
    assert issue.location is not None and (issue.location.line, issue.location.column) == (2, 23)


def test_entries_are_read_in_any_case_and_the_default_is_style() -> None:
    from brandrail.policy.sections.code_text import STYLE_CODES, skips_code

    policy = content_policy({"code_text": {"skipped_by": ["br105"]}})
    assert policy.code_text.skipped_by == ["BR105"]
    default = content_policy({}).code_text
    assert default.skipped_by == ["style"]
    assert {
        c for c in ("BR101", "BR102", "BR202", "BR406", "BR601", "PV101", "BR901") if skips_code(default, c)
    } == {
        "BR102",
        "BR406",
    }
    assert {"BR102", "BR103", "BR104", "BR106", "BR406", "BR501", "BR502"} == STYLE_CODES
