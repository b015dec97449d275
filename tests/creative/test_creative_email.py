"""HTML e-mail rules: contrast (BR710, BR711) and structure (BR720-BR727)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandrail.creative import check_colour_pairs, parse_email
from brandrail.engine import check_text
from brandrail.findings import Finding
from brandrail.policy import Policy, policy_from_dict

FOOTER = (
    "<p>Fernhill Outdoor Ltd, 12 Quarry Lane, Kendal LA9 4XY</p>"
    '<a href="https://fernhill.example/unsubscribe">Unsubscribe</a>'
)
PREHEADER = '<div style="display:none">Forty-plus characters of preview text for the inbox list.</div>'


def make_policy(**creative: Any) -> Policy:
    return policy_from_dict(
        {
            "brand": {
                "website": "https://www.fernhill.example",
                "postal_address": "12 Quarry Lane, Kendal LA9 4XY",
            },
            "creative": creative,
        }
    )


def run(html: str, pol: Policy | None = None, only: str | None = None) -> list[Finding]:
    result = check_text(html, pol or make_policy(), kind="html", path="mail.html")
    return [f for f in result.findings if f.code.startswith("BR7") and (only is None or f.code == only)]


def wrap(body: str) -> str:
    return f"<html><body>{PREHEADER}{body}{FOOTER}</body></html>"


# -- contrast ----------------------------------------------------------------------------------------------


def test_clean_email_has_no_creative_findings() -> None:
    assert run(wrap("<p>Hello from the fells.</p>")) == []


def test_low_contrast_text_points_at_the_text() -> None:
    html = wrap('<p style="color:#777777">Grey text</p><p style="color:#767676">Darker grey</p>')
    (f,) = run(html, only="BR710")
    assert f.match == "Grey text"
    assert f.evidence["measured"] == pytest.approx(4.48, abs=0.01)
    assert (f.evidence["foreground"], f.evidence["background"]) == ("#777777", "#ffffff")
    assert f.span is not None and f.span.line == 1
    assert html[f.span.start : f.span.end] == "Grey text"


def test_colour_and_background_are_inherited() -> None:
    html = wrap(
        '<table bgcolor="#2f6b3b"><tr><td style="color:#34495e">'
        "<span>Slate on fern</span></td></tr></table>"
        '<div style="background:#111111 no-repeat"><font color="#222222">Dark on dark</font></div>'
    )
    found = {f.match: f for f in run(html, only="BR710")}
    assert set(found) == {"Slate on fern", "Dark on dark"}
    assert found["Slate on fern"].evidence["background"] == "#2f6b3b"
    assert found["Dark on dark"].evidence["background"] == "#111111"


def test_large_and_bold_text_use_the_lower_minimum() -> None:
    # #949494 on white is about 3.03:1: passes for large text only
    grey = "#949494"
    html = wrap(
        f'<p style="color:{grey};font-size:24px">Large</p>'
        f'<p style="color:{grey};font-size:14pt;font-weight:bold">Bold fourteen</p>'
        f'<h1 style="color:{grey}">Heading</h1>'
        f'<p style="color:{grey};font-size:18px">Small</p>'
        f'<p style="color:{grey};font-size:14pt">Not bold</p>'
    )
    assert sorted(str(f.match) for f in run(html, only="BR710")) == ["Not bold", "Small"]


def test_semi_transparent_colours_are_composited() -> None:
    # black at 40 % over white is 0.6 × 255 = 153 = #999999, contrast 2.85:1
    (f,) = run(wrap('<p style="color:rgba(0,0,0,0.4)">Faint</p>'), only="BR710")
    assert f.evidence["foreground"] == "#999999"


def test_hidden_text_and_links_default_colour() -> None:
    html = wrap(
        '<div style="display:none;color:#fff">hidden white</div>'
        '<div style="background-color:#0000aa"><a href="https://fernhill.example/?utm_source=a&utm_medium=b&utm_campaign=c">'
        "Blue link on blue</a></div>"
    )
    (f,) = run(html, only="BR710")
    assert f.match == "Blue link on blue"
    assert f.evidence["foreground"] == "#0000ee"


def test_policy_defaults_for_unset_colours() -> None:
    pol = make_policy(contrast={"default_color": "#333333", "default_background": "#3a3a3a"})
    assert [f.match for f in run(wrap("<p>Hi</p>"), pol, only="BR710")][:1] == ["Hi"]


def test_colour_pairs_from_the_policy() -> None:
    pol = make_policy(
        contrast={
            "pairs": [
                {"name": "white on fern", "foreground": "#ffffff", "background": "#2f6b3b"},
                {"name": "sand on white", "foreground": "#d8c7a1", "background": "#ffffff"},
                {
                    "name": "grey headline",
                    "foreground": "#949494",
                    "background": "#ffffff",
                    "large_text": True,
                },
            ]
        }
    )
    (f,) = check_colour_pairs(pol)
    assert f.code == "BR711" and f.evidence["pair"] == "sand on white"
    assert f.evidence["measured"] == pytest.approx(1.67, abs=0.01)
    assert [x.evidence["pair"] for x in run(wrap("<p>x</p>"), pol, only="BR711")] == ["sand on white"]


# -- structure ----------------------------------------------------------------------------------------------


def test_images_without_alt() -> None:
    html = wrap(
        '<img src="a.png"><img src="b.png" alt="">'
        '<a href="https://fernhill.example/?utm_source=a&utm_medium=b&utm_campaign=c"><img src="c.png" alt=""></a>'
        '<img src="pixel.gif" width="1" height="1">'
        '<a href="https://fernhill.example/?utm_source=a&utm_medium=b&utm_campaign=c"><img src="d.png" alt="Tents"></a>'
    )
    found = run(html, only="BR720")
    assert [f.evidence["src"] for f in found] == ["a.png", "c.png"]
    assert found[0].match == '<img src="a.png">'


def test_unsubscribe_link() -> None:
    body = "<html><body>" + PREHEADER + "<p>12 Quarry Lane, Kendal LA9 4XY</p>"
    assert [f.code for f in run(body + "<p>Reply STOP to stop.</p></body></html>", only="BR721")] == ["BR721"]
    assert run(body + '<a href="https://x.example/u?id=1">Opt out</a></body></html>', only="BR721") == []
    assert run(body + '<a href="*|UNSUB|*">here</a></body></html>', only="BR721") == []
    off = make_policy(email={"require_unsubscribe": False})
    assert run(body + "</body></html>", off, only="BR721") == []


def test_postal_address() -> None:
    base = "<html><body>" + PREHEADER + '<a href="https://fernhill.example/unsubscribe">Unsubscribe</a>'
    (f,) = run(base + "<p>Fernhill Outdoor</p></body></html>", only="BR722")
    assert "4xy" in f.evidence["missing_tokens"]
    # line breaks and different punctuation still match
    assert run(base + "<p>12 Quarry Lane<br>Kendal<br>LA9 4XY</p></body></html>", only="BR722") == []
    # hidden text does not count
    hidden = base + '<p style="display:none">12 Quarry Lane, Kendal LA9 4XY</p></body></html>'
    assert [f.code for f in run(hidden, only="BR722")] == ["BR722"]
    # without a configured address: heuristic
    plain = policy_from_dict({})
    assert (
        run(base + "<p>1600 Main Street, Springfield, IL 62701</p></body></html>", plain, only="BR722") == []
    )
    assert len(run(base + "<p>Thanks!</p></body></html>", plain, only="BR722")) == 1


def test_link_domains() -> None:
    pol = make_policy(email={"allowed_link_domains": ["*.fernhill-help.example"]})
    html = wrap(
        '<a href="https://shop.fernhill.example/x">ok sub</a>'
        '<a href="https://fernhill-help.example/faq">ok allowed</a>'
        '<a href="https://fernhil-deals.example/x">look-alike</a>'
        '<a href="mailto:help@fernhill.example">mail</a><a href="#top">top</a>'
    )
    found = run(html, pol, only="BR723")
    assert [f.evidence["host"] for f in found] == ["fernhil-deals.example"]
    assert found[0].match == '<a href="https://fernhil-deals.example/x">'
    # no allow-list: rule off
    assert run(html, only="BR723") == []


def test_utm_missing_and_inconsistent() -> None:
    pol = make_policy(email={"utm": {"values": {"utm_medium": "email"}}})
    q = "https://fernhill.example/{}?utm_source=news&utm_medium=email&utm_campaign={}"
    html = wrap(
        f'<a href="{q.format("a", "winter")}">a</a>'
        f'<a href="{q.format("b", "winter")}">b</a>'
        f'<a href="{q.format("c", "Winter")}">c</a>'
        '<a href="https://fernhill.example/d?utm_source=news&utm_medium=social&utm_campaign=winter">d</a>'
        '<a href="https://fernhill.example/e?utm_source=news">e</a>'
        '<a href="https://other.example/f">third party, not tracked</a>'
    )
    missing = run(html, pol, only="BR724")
    # the footer's unsubscribe link is exempt
    assert [f.evidence["missing"] for f in missing] == [["utm_medium", "utm_campaign"]]
    inconsistent = run(html, pol, only="BR725")
    got = sorted(
        (f.evidence["parameter"], f.evidence["measured"], f.evidence["source"]) for f in inconsistent
    )
    assert got == [("utm_campaign", "Winter", "majority"), ("utm_medium", "social", "policy")]


def test_preheader_length() -> None:
    def page(pre: str) -> str:
        return f"<html><body>{pre}<p>Body</p>{FOOTER}</body></html>"

    (short,) = run(
        page('<span class="preheader" style="display:none">Sale&zwnj;&nbsp;&zwnj;</span>'), only="BR726"
    )
    assert short.evidence["measured"] == 4 and short.match is not None and short.match.startswith("Sale")
    long_text = "x" * 131
    assert (
        run(page(f'<div style="display:none">{long_text}</div>'), only="BR726")[0].evidence["measured"] == 131
    )
    assert run(page(PREHEADER), only="BR726") == []
    (missing,) = run(page(""), only="BR726")
    assert missing.evidence["measured"] is None
    relaxed = make_policy(email={"require_preheader": False})
    assert run(page(""), relaxed, only="BR726") == []


def test_email_size() -> None:
    pol = make_policy(email={"max_bytes": 2000})
    big = wrap("<p>" + "é" * 1000 + "</p>")
    (f,) = run(big, pol, only="BR727")
    assert f.evidence["measured"] == len(big.encode("utf-8")) and f.evidence["measured"] > 2000


def test_parser_survives_malformed_markup() -> None:
    email = parse_email("<table><tr><td><p>one<td>two</table></div></span><p>three")
    assert [r.text for r in email.visible_runs] == ["one", "two", "three"]
    assert parse_email("").links == []


def test_nested_tables_keep_their_backgrounds() -> None:
    html = (
        '<table bgcolor="#000000"><tr><td><table style="background-color:#ffffff"><tr><td>inner</td></tr>'
        "<tr><td>second row</td></tr></table></td></tr></table>"
    )
    email = parse_email(html)
    assert {r.text: r.element.background for r in email.visible_runs} == {
        "inner": (255, 255, 255),
        "second row": (255, 255, 255),
    }


def test_rule_severity_can_be_changed_in_policy() -> None:
    pol = policy_from_dict({"rules": {"BR710": "info", "BR726": "off"}})
    found = run('<p style="color:#aaa">x</p>', pol)
    assert {f.code: f.severity.value for f in found}.get("BR710") == "info"
    assert "BR726" not in {f.code for f in found}


def test_demo_email_findings_point_at_the_right_lines() -> None:
    from brandrail.demo import data_path
    from brandrail.policy import load_policy

    pol = load_policy(data_path("fernhill", "creative", "creative.yaml"))
    path = data_path("fernhill", "creative", "winter-sale.html")
    text = path.read_text(encoding="utf-8")
    found = run(text, pol.for_channel("email"))
    lines = text.splitlines()
    contrast = [f for f in found if f.code == "BR710"]
    assert next(f.match for f in contrast) == "Offer ends Sunday 23:59. Members get free returns."
    for f in found:
        if f.span is not None:
            line = lines[f.span.line - 1]
            assert line[f.span.column - 1 :].startswith((f.match or "")[:10]), (f.code, line)
    # on the e-mail channel the missing address is reported by BR307, not BR722
    assert {"BR710", "BR711", "BR720", "BR723", "BR725", "BR726"} <= {f.code for f in found}
    assert "BR722" not in {f.code for f in found}


_PIECES = [*"<>/=\"' abpdivtrstyle:#0f;!-&", "<td>", "<p>", "</a>", "<img ", "<style>", "display:none"]


@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_parser_never_raises(html: str) -> None:
    email = parse_email(html)
    for run_ in email.runs:
        assert 0 <= run_.start <= run_.end <= len(html)


def test_importing_creative_does_not_load_numpy_or_pillow() -> None:
    import subprocess
    import sys

    code = (
        "import sys, brandrail.creative, brandrail.creative.rules; "
        "print(sorted(m for m in ('numpy', 'PIL', 'html5lib', 'cssselect2', 'tinycss2') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_style_blocks_with_simple_selectors_are_applied() -> None:
    html = wrap(
        "<style>"
        "/* brand styles */ .muted { color: #bbbbbb } p.note { color: #333333 }"
        " .dark td { background-color: #111111 } #hero { color: #fafafa !important }"
        " a:hover { color: #ffffff } td > span { color: #ffffff }"
        " @media (max-width: 600px) { .muted { color: #000000 } }"
        "</style>"
        '<p class="muted">Muted</p>'
        '<p class="muted note">Note wins by specificity</p>'
        '<p class="muted" style="color:#000">Inline wins</p>'
        '<table class="dark"><tr><td>Dark cell</td></tr></table>'
        '<table class="dark"><tr><td id="hero">Hero</td></tr></table>'
    )
    found = {f.match: f.evidence for f in run(html, only="BR710")}
    assert set(found) == {"Muted", "Dark cell"}
    assert found["Muted"]["foreground"] == "#bbbbbb"
    assert (found["Dark cell"]["foreground"], found["Dark cell"]["background"]) == ("#000000", "#111111")


def test_css_selector_matching() -> None:
    from brandrail.creative.css import StyleSheet

    sheet = StyleSheet()
    sheet.add(
        "h1, .a .b { color: red } div>p { color: blue } @import url(x.css); .c{} p:unknown-thing { color: red }"
    )
    assert sheet.selectors == 3  # h1, .a .b, div>p; the empty rule and the invalid selector list are dropped
    assert sheet.skipped == ["p:unknown-thing"]
    email = parse_email(
        '<style>.a .b { color: #010203 }</style><div class="a"><p><span class="b">x</span></p></div><span class="b">y</span>'
    )
    colours = {r.text: r.element.color for r in email.runs}
    assert colours == {"x": (1, 2, 3), "y": (0, 0, 0)}


def test_font_size_zero_hides_only_the_gaps() -> None:
    html = wrap(
        '<table><tr><td style="font-size:0;color:#eeeeee">'
        '<div style="display:inline-block;font-size:16px">Pale column</div>'
        '<div style="display:inline-block;font-size:16px;color:#000">Dark column</div>'
        "</td></tr></table>"
    )
    assert [f.match for f in run(html, only="BR710")] == ["Pale column"]


def test_preheader_spans_the_whole_hidden_block() -> None:
    html = (
        '<html><body><div style="display:none"><span>Fresh layers for cold fells,</span> '
        "and 20% off tents until Sunday night.&zwnj;&nbsp;&zwnj;</div><p>Body</p>" + FOOTER + "</body></html>"
    )
    email = parse_email(html)
    found = email.preheader()
    assert found is not None
    assert found[0] == "Fresh layers for cold fells, and 20% off tents until Sunday night."


def test_on_an_email_channel_unsubscribe_and_address_defer_to_the_disclosure_rules() -> None:
    html = "<html><body>" + PREHEADER + "<p>Hello</p></body></html>"
    data: dict[str, Any] = {
        "brand": {"postal_address": "12 Quarry Lane, Kendal LA9 4XY"},
        "channels": {"email": {"kind": "email"}, "web": {"kind": "web"}},
    }
    pol = policy_from_dict(data)

    def codes(channel: str | None, p: Policy = pol) -> set[str]:
        return {f.code for f in check_text(html, p, kind="html", channel=channel).findings}

    assert {"BR721", "BR722"} <= codes(None)
    assert not {"BR721", "BR722"} & codes("web")  # e-mail structure rules follow the channel (issue 14)
    on_email = codes("email")
    assert not {"BR721", "BR722"} & on_email
    assert {"BR306", "BR307"} <= on_email  # reported once, by the disclosure rules
    off = policy_from_dict({**data, "rules": {"BR306": "off", "BR307": "off"}})
    assert {"BR721", "BR722"} <= codes("email", off)


def test_unclosed_head_does_not_hide_the_body() -> None:
    email = parse_email('<html><head><title>t</title><body><p style="color:#999">Body text</p></body></html>')
    assert [r.text for r in email.visible_runs] == ["Body text"]


def test_style_sheet_is_indexed_and_capped() -> None:
    from brandrail.creative.css import MAX_RULES, StyleSheet

    sheet = StyleSheet()
    sheet.add("".join(f".c{i} {{ color: red }}" for i in range(MAX_RULES + 10)))
    assert sheet.selectors == MAX_RULES
    email = parse_email(
        "<style>#a { color: #010101 } .b { color: #020202 } p { color: #030303 }</style>"
        '<p id="a" class="b">one</p><p class="b">two</p><p>three</p><div>four</div>'
    )
    assert {r.text: r.element.color for r in email.runs} == {
        "one": (1, 1, 1),
        "two": (2, 2, 2),
        "three": (3, 3, 3),
        "four": (0, 0, 0),
    }


def test_deep_nesting_is_capped() -> None:
    from brandrail.creative.email import MAX_DEPTH

    depth = MAX_DEPTH * 3
    html = '<div style="color:#010101">' + "<div>" * depth + "deep" + "</div>" * depth + "</div><p>after</p>"
    email = parse_email(html)
    runs = {r.text: r.element for r in email.runs}
    assert runs["deep"].color == (1, 1, 1)
    assert runs["after"].color == (0, 0, 0)
    node, levels = runs["deep"], 0
    while node.parent is not None:
        node, levels = node.parent, levels + 1
    assert levels <= MAX_DEPTH


def test_rule_doc_examples_hold() -> None:
    """The Example sections of BR710, BR711, BR720, BR726 say what the rules do."""
    (f,) = run(wrap('<p style="color:#9db89f">Free returns</p>'), only="BR710")
    assert f"{f.evidence['measured']:.1f}" == "2.1"
    pol = make_policy(
        contrast={"pairs": [{"name": "sand on white", "foreground": "#d8c7a1", "background": "#ffffff"}]}
    )
    assert f"{check_colour_pairs(pol)[0].evidence['measured']:.1f}" == "1.7"
    html = wrap(
        '<a href="https://fernhill.example/sale?utm_source=a&utm_medium=b&utm_campaign=c"><img src="banner.png"></a>'
    )
    assert len(run(html, only="BR720")) == 1
    page = '<html><body><div style="display:none">Sale</div><p>Body</p>' + FOOTER + "</body></html>"
    assert run(page, only="BR726")[0].evidence["measured"] == 4


def test_text_over_background_images_is_not_judged() -> None:
    html = wrap(
        '<table><tr><td background="hero.jpg" bgcolor="#ffffff" style="color:#ffffff">Over the image</td></tr></table>'
        '<div style="background-image:linear-gradient(#000, #333)"><p style="color:#fff">Over a gradient</p>'
        '<p style="background-color:#ffffff;color:#eeeeee">Own colour again</p></div>'
        '<div style="background:url(x.png) #111111"><p style="color:#222">Shorthand image</p></div>'
    )
    assert [f.match for f in run(html, only="BR710")] == ["Own colour again"]


def test_self_closing_tag_does_not_close_its_namesake() -> None:
    email = parse_email('<div style="color:#0a0a0a"><div/><span>inside</span></div>')
    assert {r.text: r.element.color for r in email.runs} == {"inside": (10, 10, 10)}


# -- issue 14 item 15: ESP merge tags ---------------------------------------------------------------------------

_UNSUB_CASES = [
    '<a href="*|UNSUB|*">Click here</a>',
    '<a href="{{{unsubscribe}}}">Click here</a>',
    '<a href="<%asm_group_unsubscribe_raw_url%>">Click here</a>',
    "<p>{% unsubscribe %}</p>",
    "<p>{%unsubscribe 'Stop these'%}</p>",
    '<a href="{{ unsubscribe_link }}">Click here</a>',
    '<a href="{{unsubscribe_link_all}}">Click here</a>',
    "<p><unsubscribe>Click here</unsubscribe></p>",
    '<a href="${set_user_to_unsubscribed_url}">Click here</a>',
    '<a href="{{unsubscribeUrl}}">Click here</a>',
    '<a href="%%unsub_center_url%%">Click here</a>',
    '<a href="%UNSUBSCRIBELINK%">Click here</a>',
    '<a href="[[UNSUB_LINK_EN]]">Click here</a>',
]


@pytest.mark.parametrize("link", _UNSUB_CASES)
def test_esp_unsubscribe_merge_tags_count_as_the_link(link: str) -> None:
    html = "<html><body>" + PREHEADER + "<p>12 Quarry Lane, Kendal LA9 4XY</p>" + link + "</body></html>"
    assert run(html, only="BR721") == []


def test_merge_tag_in_hidden_text_or_a_lookalike_does_not_count() -> None:
    body = "<html><body>" + PREHEADER + "<p>12 Quarry Lane, Kendal LA9 4XY</p>"
    hidden = body + '<div style="display:none">{% unsubscribe %}</div></body></html>'
    assert [f.code for f in run(hidden, only="BR721")] == ["BR721"]
    other = body + '<a href="{{ view_in_browser }}">View online</a></body></html>'
    assert [f.code for f in run(other, only="BR721")] == ["BR721"]


_ADDRESS_CASES = [
    "*|HTML:LIST_ADDRESS_HTML|*",
    "*|LIST:ADDRESS|*",
    "{{ organization.address }}",
    "{{organization.full_address}}",
    "{{ site_settings.company_street_address_1 }}, {{ site_settings.company_city }}",
    "[Sender_Address], [Sender_City]",
    "%%Member_Busname%% %%Member_Addr%%",
    "%SENDER-INFO%",
]


@pytest.mark.parametrize("tag", _ADDRESS_CASES)
def test_esp_address_merge_tags_count_as_the_postal_address(tag: str) -> None:
    base = "<html><body>" + PREHEADER + '<a href="*|UNSUB|*">Unsubscribe</a>'
    assert run(base + f"<p>Fernhill Outdoor · {tag}</p></body></html>", only="BR722") == []
    # the same for the heuristic (no address configured)
    assert run(base + f"<p>{tag}</p></body></html>", policy_from_dict({}), only="BR722") == []


def test_merge_tags_are_policy_extensible_and_the_table_can_be_switched_off() -> None:
    base = "<html><body>" + PREHEADER
    html = base + '<a href="{{ my.optout }}">Leave</a><p>{{ my.footer_address }}</p></body></html>'
    assert {f.code for f in run(html)} >= {"BR721", "BR722"}
    pol = make_policy(
        email={"merge_tags": {"unsubscribe": ["{{my.optout}}"], "postal_address": ["{{my.footer_address}}"]}}
    )
    assert [f.code for f in run(html, pol) if f.code in {"BR721", "BR722"}] == []
    mailchimp = base + '<a href="*|UNSUB|*">Leave</a><p>*|LIST:ADDRESS|*</p></body></html>'
    off = make_policy(email={"merge_tags": {"builtin": False}})
    assert {f.code for f in run(mailchimp, off)} >= {"BR721", "BR722"}


def test_unsubscribe_merge_tag_links_need_no_utm() -> None:
    pol = make_policy(email={"allowed_link_domains": ["fernhill.example"]})
    html = wrap('<a href="https://fernhill.example/{{unsubscribeUrl}}">Leave this list</a>')
    assert run(html, pol, only="BR724") == []
    html = wrap('<a href="https://fernhill.example/{{productUrl}}">Leave this list</a>')
    assert [f.code for f in run(html, pol, only="BR724")] == ["BR724"]


# -- issue 14 item 11: parsed as a browser does ------------------------------------------------------------------


def colours_of(
    html: str, scheme: str = "light"
) -> dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """Visible text → (foreground, background) in ``scheme``."""
    email = parse_email(html)
    out = {}
    for r in email.runs:
        el = email.in_scheme(r.element, scheme)
        if r.text.strip() and not el.invisible:
            out[r.text.strip()] = (el.foreground, el.background)
    return out


def test_missing_head_and_body_end_tags_build_the_browser_tree() -> None:
    """Minified HTML5 omits </head> and <body>: the first flow content starts the body, as in a browser."""
    html = (
        "<!doctype html><html><head><meta charset=utf-8><title>Sale</title>"
        "<style>.c{color:#aaaaaa}</style>"
        '<div class="c">Pale body text</div><a href="https://elsewhere.example/x"><img src="a.png"></a>'
        "<p>12 Quarry Lane, Kendal LA9 4XY</p>"
    )
    email = parse_email(html)
    assert [r.text for r in email.visible_runs] == ["Pale body text", "12 Quarry Lane, Kendal LA9 4XY"]
    body = next(e for e in email.elements if e.tag == "body")
    assert (body.start, body.end) == (0, 0)  # implied by the parser, as a browser implies it
    assert len(email.links) == 1 and len(email.images) == 1
    pol = make_policy(email={"allowed_link_domains": ["fernhill.example"]})
    codes = {f.code for f in run(html, pol)}
    assert {"BR710", "BR720", "BR723"} <= codes  # contrast, alt and link checks see the body
    assert "BR722" not in codes  # the address is visible


def test_offsets_survive_entities_crlf_and_implied_elements() -> None:
    html = "<table>\r\n<tr><td style='color:#999'>caf&eacute; &amp; bar</td></tr>\r\n</table><p style=color:#aaa>two</p>"
    found = run(html, only="BR710")
    assert [html[f.span.start : f.span.end] for f in found if f.span] == ["caf&eacute; &amp; bar", "two"]


def test_misnested_and_foster_parented_markup_as_in_a_browser() -> None:
    # text inside <table> but outside cells is moved before the table (foster parenting)
    colours = colours_of(
        '<div style="color:#111111"><table bgcolor="#000000">stray<tr><td>cell</td></tr></table></div>'
    )
    assert colours["stray"] == ((17, 17, 17), (255, 255, 255))
    assert colours["cell"] == ((17, 17, 17), (0, 0, 0))
    # <b> across a <p> boundary is reconstructed in the next paragraph
    colours = colours_of('<p><b style="color:#222222">one<p>two</b></p>')
    assert colours["two"][0] == (34, 34, 34)


# -- issue 14 item 12: mso-hide ---------------------------------------------------------------------------------


def test_mso_hide_all_is_still_checked_for_other_clients() -> None:
    button = (
        '<table><tr><td bgcolor="#f5a623" style="mso-hide:all">'
        '<a href="https://fernhill.example/s" style="color:#ffffff;font-size:16px">Shop now</a></td></tr></table>'
    )
    (f,) = run(wrap(button), only="BR710")
    assert f.match == "Shop now" and f.evidence["measured"] < 2.5
    # display:none still hides
    assert run(wrap(button.replace("mso-hide:all", "display:none")), only="BR710") == []


# -- issue 14 item 13: the cascade -------------------------------------------------------------------------------


def test_link_pseudo_classes() -> None:
    html = (
        "<style>a:link { color: #bbbbbb } a:visited { color: #000000 } a:hover { color: #000000 }</style>"
        '<a href="https://x.example">Pale link</a>'
    )
    assert colours_of(html)["Pale link"][0] == (187, 187, 187)
    # without any rule: the user-agent link colour; a colour inherited from the parent does not apply
    assert colours_of('<p style="color:#eeeeee"><a href="x">ua</a></p>')["ua"][0] == (0, 0, 238)


def test_inherit_and_current_color() -> None:
    html = (
        '<div style="color:#cccccc"><a href="x" style="color:inherit">inherited link</a>'
        '<span style="color:currentColor">current</span>'
        '<p style="color:#ffffff;background-color:currentColor"><span style="color:#000">on white</span></p></div>'
    )
    colours = colours_of(html)
    assert colours["inherited link"][0] == (204, 204, 204)
    assert colours["current"][0] == (204, 204, 204)
    assert colours["on white"] == ((0, 0, 0), (255, 255, 255))


def test_important_beats_specificity_and_inline() -> None:
    html = (
        "<style>p { color: #dddddd !important } #x.y { color: #000000 } .z { color: #111111 !important }</style>"
        '<p id="x" class="y">important type rule</p>'
        '<p style="color:#000000">inline loses to important</p>'
        '<p class="z" style="color:#000000 !important">inline important wins</p>'
    )
    colours = colours_of(html)
    assert colours["important type rule"][0] == (221, 221, 221)
    assert colours["inline loses to important"][0] == (221, 221, 221)
    assert colours["inline important wins"][0] == (0, 0, 0)


def test_child_attribute_and_sibling_selectors() -> None:
    html = (
        '<style>td > span { color: #eeeeee } [data-role="cta"] { color: #dddddd } h2 + p { color: #cccccc }'
        " div span { color: #111111 } </style>"
        "<table><tr><td><span>child</span><div><span>grandchild</span></div></td></tr></table>"
        '<p data-role="cta">attribute</p><h2>Head</h2><p>after heading</p>'
    )
    colours = colours_of(html)
    assert colours["child"][0] == (238, 238, 238)
    assert colours["grandchild"][0] == (17, 17, 17)
    assert colours["attribute"][0] == (221, 221, 221)
    assert colours["after heading"][0] == (204, 204, 204)


def test_custom_properties() -> None:
    html = (
        "<style>:root { --muted: #c0c0c0; --bg: var(--missing, #000000) } .m { color: var(--muted) }"
        " .n { color: var(--nope, #aaaaaa) } .o { background: var(--bg) }</style>"
        '<p class="m">muted</p><p class="n">fallback</p><div class="o"><p class="m">on dark</p></div>'
        '<div style="--muted:#010101"><p class="m">overridden</p></div>'
    )
    colours = colours_of(html)
    assert colours["muted"][0] == (192, 192, 192)
    assert colours["fallback"][0] == (170, 170, 170)
    assert colours["on dark"] == ((192, 192, 192), (0, 0, 0))
    assert colours["overridden"][0] == (1, 1, 1)


def test_styles_placed_after_the_content_apply() -> None:
    html = '<p class="late">late style</p><style>.late { color: #e0e0e0 }</style>'
    assert colours_of(html)["late style"][0] == (224, 224, 224)


def test_font_shorthand_sets_size_and_weight() -> None:
    email = parse_email(
        '<p style="font: bold 24px/30px Arial, sans-serif; color:#949494">Large bold</p>'
        '<p style="font-weight:bold; font: 12px Arial">Reset weight</p>'
        '<p style="font: 14px">Invalid: no family</p>'
    )
    els = {r.text: r.element for r in email.runs}
    assert (els["Large bold"].font_px, els["Large bold"].bold) == (24.0, True)
    assert (els["Reset weight"].font_px, els["Reset weight"].bold) == (12.0, False)
    assert els["Invalid: no family"].font_px == 16.0
    # 24 px is large text: #949494 on white (3.0:1) passes the 3:1 minimum for large text
    assert (
        run(wrap('<p style="font: bold 24px/30px Arial; color:#949494">Large bold</p>'), only="BR710") == []
    )


def test_zero_size_clipped_blocks_are_hidden() -> None:
    for style in (
        "max-height:0;overflow:hidden",
        "height:0px;overflow:hidden",
        "width:0;max-width:0;overflow:hidden",
    ):
        html = wrap(f'<div style="{style};color:#f0f0f0">hidden block</div>')
        assert run(html, only="BR710") == [], style
    # zero height without clipping still shows its content
    assert len(run(wrap('<div style="height:0;color:#f0f0f0">overflowing</div>'), only="BR710")) == 1


def test_visibility_can_be_restored_by_a_descendant() -> None:
    html = '<div style="visibility:hidden">gone<p style="visibility:visible">back</p></div>'
    assert [r.text for r in parse_email(html).visible_runs] == ["back"]


def test_print_and_mobile_media_are_not_applied_screen_is() -> None:
    html = (
        "<style>@media print { .a { color: #eeeeee } } @media only screen and (max-width: 600px) { .b { color: #eeeeee } }"
        " @media screen { .c { color: #eeeeee } } @media screen and (min-width: 480px) { .d { color: #eeeeee } }</style>"
        '<p class="a">print</p><p class="b">mobile</p><p class="c">screen</p><p class="d">wide</p>'
        '<style media="print">.e { color: #eeeeee }</style><p class="e">print sheet</p>'
    )
    colours = colours_of(html)
    assert colours["print"][0] == colours["mobile"][0] == colours["print sheet"][0] == (0, 0, 0)
    assert colours["screen"][0] == colours["wide"][0] == (238, 238, 238)


def test_dark_mode_is_checked_as_a_second_scheme() -> None:
    html = wrap(
        "<style>@media (prefers-color-scheme: dark) {"
        " .body { background-color: #1e1e1e !important } .body p { color: #333333 !important }"
        " .body p.ok { color: #ffffff !important } }</style>"
        '<div class="body"><p>Dark-only failure</p><p class="ok">Fine in both</p></div>'
        '<p style="color:#aaaaaa">Fails in both</p>'
    )
    found = run(html, only="BR710")
    got = sorted((f.match, f.evidence["scheme"]) for f in found)
    assert got == [("Dark-only failure", "dark"), ("Fails in both", "light")]
    dark = next(f for f in found if f.evidence["scheme"] == "dark")
    assert "dark mode" in dark.message
    assert (dark.evidence["foreground"], dark.evidence["background"]) == ("#333333", "#1e1e1e")


def test_color_scheme_meta_switches_default_colours_in_dark_mode() -> None:
    html = (
        '<html><head><meta name="color-scheme" content="light dark"></head><body>'
        '<p>default text</p><p style="color:#222222">fixed dark grey</p></body></html>'
    )
    dark = colours_of(html, "dark")
    assert dark["default text"] == ((255, 255, 255), (18, 18, 18))
    assert dark["fixed dark grey"] == ((34, 34, 34), (18, 18, 18))
    assert colours_of(html)["default text"] == ((0, 0, 0), (255, 255, 255))


def test_transparent_text_is_invisible() -> None:
    assert parse_email('<p style="color:transparent">hidden preheader</p>').visible_runs == []


def test_deeply_nested_hostile_markup_is_bounded() -> None:
    html = "<div>" * 5_000 + "x" + "</div>" * 5_000
    email = parse_email(html)
    assert [r.text for r in email.runs] == ["x"]


def test_attributes_are_lower_cased_and_the_first_duplicate_wins() -> None:
    email = parse_email(
        '<P CLASS=a Class=b STYLE="color:#111111" data-X=1 hidden>x</P>'
        + "<p "
        + " ".join(f"a{i}=1" for i in range(3000))
        + ">y</p>"
    )
    p = email.elements[2]
    assert p.attrs == {"class": "a", "style": "color:#111111", "data-x": "1", "hidden": ""}
    assert len(email.elements[3].attrs) == 3000


def test_text_moved_out_of_a_table_keeps_its_offsets() -> None:
    html = '<table bgcolor="#000000"><tr><td>cell</td></tr>Pale &amp; stray<tr><td>x</td></tr></table>'
    email = parse_email(html)
    (stray,) = [r for r in email.runs if "stray" in r.text]
    assert html[stray.start : stray.end] == "Pale &amp; stray"


def test_style_sheets_inside_a_template_do_not_apply() -> None:
    html = "<template><style>p { color: #eeeeee }</style></template><p>normal</p>"
    assert colours_of(html)["normal"][0] == (0, 0, 0)


def test_partial_opacity_fades_text_and_background_over_the_backdrop() -> None:
    # black text at 50 % over white is seen as #808080 (3.95:1): fails 4.5:1
    (f,) = run(wrap('<p style="opacity:0.5">Faded footer note</p>'), only="BR710")
    assert (f.evidence["foreground"], f.evidence["background"]) == ("#808080", "#ffffff")
    # nested groups multiply; an opaque background inside the group fades too
    email = parse_email(
        '<div style="background:#000000"><div style="opacity:50%"><p style="opacity:0.5;background:#ffffff;'
        'color:#000000">x</p></div></div>'
    )
    el = email.runs[0].element
    assert el.opacity == 0.25
    assert el.seen_background == (64, 64, 64) and el.foreground == (0, 0, 0)


def test_root_color_scheme_in_a_style_sheet_opts_into_dark_defaults() -> None:
    html = "<style>:root { color-scheme: light dark }</style><p>plain</p>"
    assert colours_of(html, "dark")["plain"] == ((255, 255, 255), (18, 18, 18))
    assert parse_email("<p>plain</p>").dark is None  # no dark rules, no opt-in: one scheme


# -- what a reader sees: hiding, camouflage, schemes and screens ----------------------------------------------


@pytest.mark.parametrize(
    "style",
    [
        "height:1px;overflow:hidden",
        "max-width:1px;overflow:hidden",
        "line-height:0;overflow:hidden",
        "line-height:0.05;overflow:hidden",
        "position:absolute;left:-9999px",
        "position:relative;top:-2000px",
        "position:absolute;right:-700px",
        "position:absolute;clip:rect(0 0 0 0)",
        "position:absolute;clip:rect(1px,1px,1px,1px)",
        "margin:0 0 0 -9999px",
        "margin-top:-5000px",
        "text-indent:-9999px",
        "transform:scale(0)",
        "transform:scaleY(0)",
        "transform:matrix(0,0,0,0,0,0)",
        "transform:translateX(-9999px)",
        "clip-path:inset(50%)",
        "clip-path:circle(0)",
    ],
)
def test_more_ways_to_hide_a_block(style: str) -> None:
    email = parse_email(f'<div style="{style}">small print</div><p>body</p>')
    assert [r.text for r in email.visible_runs] == ["body"], style


@pytest.mark.parametrize(
    "html",
    [
        '<span style="height:0;overflow:hidden">shown</span>',  # height does not apply to an inline box
        '<span style="transform:scale(0)">shown</span>',  # nor a transform
        '<span style="text-indent:-9999px">shown</span>',
        '<table><tr><td style="height:1px;overflow:hidden">shown</td></tr></table>',  # a cell grows to fit
        '<div style="line-height:0;height:40px;overflow:hidden">shown</div>',  # the box has its own height
        '<div style="position:static;left:-9999px">shown</div>',  # offsets move positioned boxes only
        '<div style="clip:rect(0 0 0 0)">shown</div>',  # clip applies to absolute boxes only
        '<div style="margin-left:-20px;text-indent:-2em;transform:translateY(9999px)">shown</div>',
        '<div style="clip-path:inset(10%)">shown</div>',
        # a child's own line height gives the collapsed box room again
        '<div style="line-height:0;overflow:hidden"><p style="line-height:20px">shown</p></div>',
    ],
)
def test_what_only_looks_like_hiding_is_seen(html: str) -> None:
    email = parse_email(html)
    assert [r.text for r in email.seen_runs()] == ["shown"], html


def test_a_collapsed_line_height_hides_what_inherits_it() -> None:
    html = '<div style="line-height:0;overflow:hidden"><p>gone</p><span>gone</span></div><p>body</p>'
    assert [r.text for r in parse_email(html).visible_runs] == ["body"]


def test_a_closed_details_shows_only_its_summary() -> None:
    email = parse_email("<details><summary>Terms</summary>Fine print<p>more</p></details>")
    assert [r.text for r in email.visible_runs] == ["Terms"]
    opened = parse_email("<details open><summary>Terms</summary>Fine print</details>")
    assert [r.text for r in opened.visible_runs] == ["Terms", "Fine print"]


def test_camouflaged_text_is_not_seen() -> None:
    cases = {
        '<p style="color:#fafafa">x</p>': False,
        '<p style="color:#cccccc">x</p>': True,  # faint but legible (1.6:1)
        '<div style="background:#000"><p style="color:#111">x</p></div>': False,
        '<p style="color:rgba(0,0,0,0.04)">x</p>': False,
        '<div style="opacity:0.05"><p>x</p></div>': False,
        '<div style="background-image:linear-gradient(to right,#fff,#f8f8f8 60%)"><p style="color:#fff">x</p></div>': (
            False
        ),
        '<div style="background-image:linear-gradient(#000,#fff)"><p style="color:#fff">x</p></div>': True,
        '<div style="background:url(a.png) #fff"><p style="color:#fff">x</p></div>': True,  # unknown: seen
        '<div style="background-image:linear-gradient(currentColor,#fff)"><p style="color:#fff">x</p></div>': True,
        # an undefined variable makes the declaration invalid: no gradient, white on white
        '<div style="background-image:linear-gradient(var(--a),#fff)"><p style="color:#fff">x</p></div>': False,
    }
    for html, seen in cases.items():
        assert bool(parse_email(html).seen_runs()) is seen, html


def test_contexts_and_the_phone_screen() -> None:
    plain = parse_email("<p>x</p>")
    assert plain.contexts == ["light"] and plain.mobile is None
    html = (
        "<style>@media (max-width:600px){.d{display:none}} @media (prefers-color-scheme:dark){p{color:#111}}</style>"
        '<p class="d">desk</p><p>all</p>'
    )
    email = parse_email(html)
    assert email.contexts == ["light", "dark", "mobile"]
    assert [r.text for r in email.seen_runs("light")] == ["desk", "all"]
    assert [r.text for r in email.seen_runs("mobile")] == ["all"]
    # the e-mail does not opt into dark colours, so the canvas stays white and #111 on it is seen
    assert [r.text for r in email.seen_runs("dark")] == ["desk", "all"]
    opted = parse_email(html.replace("<style>", '<meta name="color-scheme" content="light dark"><style>'))
    assert [r.text for r in opted.seen_runs("dark")] == []  # #111 on the dark canvas (#121212)


def test_media_queries_are_read_for_a_phone_too() -> None:
    from brandrail.creative.css import media_schemes

    assert media_schemes("(max-width: 600px)") == {"mobile"}
    assert media_schemes("screen and (min-width: 601px)") == {"light", "dark"}
    assert media_schemes("(prefers-color-scheme: dark)") == {"dark"}
    assert media_schemes("(hover: none)") == {"mobile"}
    assert media_schemes("print") == set()
    assert media_schemes("") == {"light", "dark", "mobile"}


def test_unsubscribe_link_must_be_seen_br721() -> None:
    body = "<html><body>" + PREHEADER + "<p>12 Quarry Lane, Kendal LA9 4XY</p>{}</body></html>"
    link = '<a href="https://fernhill.example/unsubscribe">Unsubscribe</a>'
    assert run(body.format(link), only="BR721") == []
    for hidden in (
        f'<div style="display:none">{link}</div>',
        f'<div style="position:absolute;left:-9999px">{link}</div>',
        link.replace("<a ", '<a style="color:#ffffff" '),
        f"<!-- {link} -->",
    ):
        assert [f.code for f in run(body.format(hidden), only="BR721")] == ["BR721"], hidden
    decoy = '<a href="https://fernhill.example/shop"><span style="font-size:0">unsubscribe</span>Shop</a>'
    assert [f.code for f in run(body.format(decoy), only="BR721")] == ["BR721"]
    button = '<a href="https://fernhill.example/u?id=1" style="font-size:0"><img src="b.png" alt="Unsubscribe"></a>'
    assert run(body.format(button), only="BR721") == []


def test_footer_must_be_seen_on_a_phone_br721_br722() -> None:
    head = "<head><style>@media (max-width:600px){.foot{display:none !important}}</style></head>"
    html = f'<html>{head}<body>{PREHEADER}<p>Hello</p><div class="foot">{FOOTER}</div></body></html>'
    found = {f.code: f for f in run(html) if f.code in ("BR721", "BR722")}
    assert set(found) == {"BR721", "BR722"}
    assert found["BR721"].message == "the e-mail has no unsubscribe link on a phone"
    assert found["BR722"].evidence["context"] == "mobile"
    both = html.replace("</body>", f'<div class="phone">{FOOTER}</div></body>').replace(
        "</style>", ".phone{display:none} @media (max-width:600px){.phone{display:block !important}}</style>"
    )
    assert [f.code for f in run(both) if f.code in ("BR721", "BR722")] == []


def test_custom_properties_cannot_grow_exponentially() -> None:
    # each variable doubles the previous one: 2**40 characters unless substitution is capped
    chain = "".join(f"--v{i}:var(--v{i - 1},red) var(--v{i - 1},red);" for i in range(1, 41))
    email = parse_email(f"<p style='color:#123456'><span style='{chain}color:var(--v40)'>x</span></p>")
    (run_,) = email.runs
    assert run_.element.color == (0x12, 0x34, 0x56)  # invalid at computed-value time: inherited


def test_a_lone_surrogate_does_not_crash_the_size_rule() -> None:
    (f,) = run("<p>\ud800" + "x" * 200 + "</p>", make_policy(email={"max_bytes": 100}), only="BR727")
    assert f.evidence["measured"] == 210


@pytest.mark.parametrize(
    ("href", "host"),
    [
        ("https://evil.example\\@fernhill.example/", "evil.example"),  # a backslash ends the authority
        ("//evil.example/sale", "evil.example"),  # scheme-relative: https
        ("\\\\evil.example/sale", "evil.example"),
        ("https:evil.example/sale", "evil.example"),  # slashes may be missing ...
        ("https:/\\/evil.example", "evil.example"),  # ... or mixed
        ("ht\ntps://evil.example", "evil.example"),  # tabs and line breaks are dropped
        ("\x01 https://evil.example", "evil.example"),
        ("https://fernhill.example:443@evil.example", "evil.example"),  # the host follows the last @
        ("https://%65vil.example", "evil.example"),  # percent-encoded host
        ("https://fernhill.example.evil.example", "fernhill.example.evil.example"),
    ],
)
def test_link_hosts_are_read_as_a_browser_reads_them(href: str, host: str) -> None:
    pol = make_policy(email={"allowed_link_domains": ["fernhill.example"]})
    found = run(wrap(f'<a href="{href}">Shop</a>'), pol, only="BR723")
    assert [f.evidence["host"] for f in found] == [host]


@pytest.mark.parametrize(
    "href",
    [
        "https://shop.fernhill.example/x",
        "https://evil.example%2F@fernhill.example/",  # the part before @ is user info
        "https://fern\thill.example/",  # the tab is dropped
        "/relative/path",
        "*|ARCHIVE|*",
        "mailto:help@evil.example",
    ],
)
def test_links_a_browser_keeps_on_the_brand_or_does_not_open(href: str) -> None:
    pol = make_policy(email={"allowed_link_domains": ["fernhill.example"]})
    assert run(wrap(f'<a href="{href}">Shop</a>'), pol, only="BR723") == []


def test_an_image_map_area_is_a_link() -> None:
    pol = make_policy(email={"allowed_link_domains": ["fernhill.example"]})
    html = wrap(
        '<img src="m.png" alt="Map" usemap="#m"><map name="m"><area href="https://evil.example/" alt="x"></map>'
    )
    assert [f.evidence["host"] for f in run(html, pol, only="BR723")] == ["evil.example"]


@pytest.mark.parametrize(
    "href", ["", "#", "#unsubscribe", "javascript:void(0)", " JavaScript:x()", "about:blank", "data:,x"]
)
def test_an_unsubscribe_link_that_leads_nowhere_does_not_count(href: str) -> None:
    body = "<html><body>" + PREHEADER + "<p>12 Quarry Lane, Kendal LA9 4XY</p>{}</body></html>"
    assert [f.code for f in run(body.format(f'<a href="{href}">Unsubscribe</a>'), only="BR721")] == ["BR721"]
    for fine in ("mailto:leave@fernhill.example", "*|UNSUB|*", "https://fernhill.example/u?id=1"):
        assert run(body.format(f'<a href="{fine}">Unsubscribe</a>'), only="BR721") == [], fine
