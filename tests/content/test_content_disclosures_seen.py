"""Disclosures must be seen (BR301-BR307): in HTML, text hidden by CSS, camouflaged, in alt text or in a
comment does not count, and each reader (light and dark scheme, desktop and phone) must see it."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.engine import check_text
from brandrail.findings import Finding

POLICY = content_policy(
    {
        "brand": {
            "name": "Fernhill",
            "website": "https://fernhill.example",
            "postal_address": "12 Quarry Lane, Kendal LA9 4XY",
        },
        "channels": {"email": {"kind": "email"}, "web": {"kind": "web"}},
        "disclosures": {
            "required": [{"id": "terms", "text": "T&Cs apply", "when": {"terms": ["offer"]}}],
            "ai_label": {"required": True, "assume_generated": True, "channels": ["web"]},
        },
    }
)
FOOTER = (
    '<p>T&amp;Cs apply. <a href="https://fernhill.example/unsubscribe">Unsubscribe</a>.'
    " Fernhill, 12 Quarry Lane, Kendal LA9 4XY</p>"
)


def findings(html: str, channel: str = "email", code: str | None = None) -> list[Finding]:
    result = check_text(html, POLICY, kind="html", path="mail.html", channel=channel)
    wanted = {"BR301", "BR306", "BR307"} if code is None else {code}
    return [f for f in result.findings if f.code in wanted]


def codes(html: str, channel: str = "email") -> set[str]:
    return {f.code for f in findings(html, channel)}


def page(footer: str, head: str = "", lead: str = "Our winter offer is here.") -> str:
    return f"<html><head>{head}</head><body><p>{lead}</p>{footer}</body></html>"


def mail(footer: str) -> str:
    """An e-mail that needs no terms (BR301 stays quiet)."""
    return page(footer, lead="New tents are in.")


def test_a_visible_footer_passes() -> None:
    assert codes(page(FOOTER)) == set()
    assert codes(page(FOOTER.replace("<p>", '<p style="color:#777777;font-size:11px">'))) == set()


INHERIT = "<style>a{color:inherit}</style>"  # links in the colour of the text around them
HIDDEN = {
    "display none": ('<div style="display:none">{}</div>', ""),
    "class in a style block": ('<div class="legal">{}</div>', "<style>.legal{display:none}</style>"),
    "!important beats the style attribute": (
        '<div class="legal" style="display:block">{}</div>',
        "<style>.legal{display:none !important}</style>",
    ),
    "hidden attribute": ("<div hidden>{}</div>", ""),
    "inherited visibility": ('<div style="visibility:hidden"><div>{}</div></div>', ""),
    "opacity 0": ('<div style="opacity:0">{}</div>', ""),
    "nearly transparent group": ('<div style="opacity:0.03">{}</div>', ""),
    "font size 0": ('<div style="font-size:0">{}</div>', ""),
    "font size 1px": ('<div style="font-size:1px">{}</div>', ""),
    "white on white": ('<div style="color:#ffffff">{}</div>', INHERIT),
    "near white": ('<div style="color:#f4f4f4">{}</div>', INHERIT),
    "transparent rgba": ('<div style="color:rgba(0,0,0,0.02)">{}</div>', INHERIT),
    "dark on dark bgcolor": (
        '<table bgcolor="#000000"><tr><td><font color="#0a0a0a">{}</font></td></tr></table>',
        INHERIT,
    ),
    "white on a white gradient": (
        '<div style="background-image:linear-gradient(#ffffff, #f6f6f6)"><div style="color:#fff">{}</div></div>',
        INHERIT,
    ),
    "zero max-height": ('<div style="max-height:0;overflow:hidden">{}</div>', ""),
    "1px box": ('<div style="width:1px;height:1px;overflow:hidden">{}</div>', ""),
    "line-height 0": ('<div style="line-height:0;overflow:hidden">{}</div>', ""),
    "screen-reader only": (
        '<div style="position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0,0,0,0)">{}</div>',
        "",
    ),
    "off screen": ('<div style="position:absolute;left:-9999px">{}</div>', ""),
    "negative margin": ('<div style="margin-left:-5000px">{}</div>', ""),
    "text-indent": ('<div style="text-indent:-9999px">{}</div>', ""),
    "scaled to nothing": ('<div style="transform:scale(0)">{}</div>', ""),
    "clip-path": ('<div style="clip-path:inset(50%)">{}</div>', ""),
    "closed details": ("<details><summary>Small print</summary>{}</details>", ""),
    "template": ("<template>{}</template>", ""),
    "noscript": ("<noscript>{}</noscript>", ""),
    "comment": ("<!-- {} -->", ""),
    "outlook-only conditional comment": ("<!--[if mso]>{}<![endif]-->", ""),
    "hidden on a phone": (
        '<div class="legal">{}</div>',
        "<style>@media screen and (max-width:600px){.legal{display:none !important}}</style>",
    ),
    "camouflaged in dark mode": (
        '<div class="legal">{}</div>',
        '<meta name="color-scheme" content="light dark">'
        "<style>@media (prefers-color-scheme: dark){.legal, .legal a{color:#121212 !important}}</style>",
    ),
}


@pytest.mark.parametrize("name", list(HIDDEN))
def test_a_footer_the_reader_does_not_see_does_not_count(name: str) -> None:
    wrapper, head = HIDDEN[name]
    assert codes(page(wrapper.format(FOOTER), head)) == {"BR301", "BR306", "BR307"}, name


def test_an_open_details_and_a_summary_are_seen() -> None:
    assert codes(page(f"<details open><summary>Small print</summary>{FOOTER}</details>")) == set()
    assert codes(page(f"<details><summary>{FOOTER}</summary>More</details>")) == set()


def test_inline_and_table_boxes_do_not_clip() -> None:
    # height and overflow do not apply to an inline box; a table cell grows to fit its content
    assert codes(page(f'<span style="height:0;overflow:hidden">{FOOTER}</span>')) == set()
    table = f'<table><tr><td style="height:1px;overflow:hidden">{FOOTER}</td></tr></table>'
    assert codes(page(table)) == set()
    assert codes(page(f'<span style="transform:scale(0)">{FOOTER}</span>')) == set()


def test_text_over_a_background_image_is_taken_as_seen() -> None:
    # the colour behind it is unknown: the contrast rule skips it and the disclosure counts
    html = page(
        f'<div style="background:url(hero.jpg) #ffffff"><div style="color:#ffffff">{FOOTER}</div></div>'
    )
    assert codes(html) == set()


def test_each_reader_must_see_it_but_not_the_same_copy() -> None:
    head = (
        "<style>.phone{display:none} @media (max-width:600px)"
        "{.desk{display:none !important} .phone{display:block !important}}</style>"
    )
    both = page(f'<div class="desk">{FOOTER}</div><div class="phone">{FOOTER}</div>', head)
    assert codes(both) == set()
    desk = findings(page(f'<div class="desk">{FOOTER}</div>', head))
    assert {f.code for f in desk} == {"BR301", "BR306", "BR307"}
    assert all(f.message.endswith("on a phone") and f.evidence["context"] == "mobile" for f in desk)
    phone = findings(page(f'<div class="phone">{FOOTER}</div>', head))
    assert {f.evidence["context"] for f in phone} == {"light"}


def test_a_hidden_disclosure_is_reported_as_hidden() -> None:
    (f,) = findings(page(f'<div style="display:none">{FOOTER}</div>'), code="BR301")
    assert f.evidence["hidden"] is True
    assert "not seen by the reader" in f.message
    (g,) = findings(page("<p>Shop now.</p>"), code="BR301")
    assert g.evidence["hidden"] is False and g.message.endswith("is missing")


def test_a_word_hidden_inside_the_disclosure_breaks_it() -> None:
    assert "BR301" in codes(page('<p>T&amp;Cs <span style="display:none">apply</span></p>'))
    # a hidden letter inside a word is not read: the reader sees "T&Cs apply"
    assert "BR301" not in codes(page('<p>T&amp;Cs a<span style="display:none">x</span>pply</p>'))


def test_alt_text_alone_is_not_a_disclosure() -> None:
    html = page('<img src="legal.png" alt="T&amp;Cs apply. Fernhill, 12 Quarry Lane, Kendal LA9 4XY">')
    assert {"BR301", "BR307"} <= codes(html)


def test_the_position_counts_in_what_is_seen() -> None:
    policy = content_policy(
        {
            "disclosures": {
                "required": [{"id": "ad", "text": "Advertisement", "position": "start", "within": 20}]
            }
        }
    )
    hidden_lead = '<div style="display:none">' + "x" * 200 + "</div><p>Advertisement. Tents on sale.</p>"
    assert not [f for f in check_text(hidden_lead, policy, kind="html").findings if f.code == "BR301"]


def test_unsubscribe_link_must_be_seen() -> None:
    address = "<p>Fernhill, 12 Quarry Lane, Kendal LA9 4XY</p>"
    link = '<a href="https://fernhill.example/unsubscribe">Unsubscribe</a>'
    assert codes(mail(f"<p>{link}</p>{address}")) == set()
    assert codes(mail(f'<p style="display:none">{link}</p>{address}')) == {"BR306"}
    assert codes(mail(f"<!-- {link} -->{address}")) == {"BR306"}
    white = link.replace("<a ", '<a style="color:#fff" ')
    assert codes(mail(f"<p>{white}</p>{address}")) == {"BR306"}
    # an image button with alt text is a link the reader sees
    button = '<a href="https://fernhill.example/u?id=1"><img src="b.png" alt="Unsubscribe"></a>'
    assert codes(mail(f"<p>{button}</p>{address}")) == set()
    # hidden words in a link's text do not make it an unsubscribe link
    shop = '<a href="https://fernhill.example/shop"><span style="display:none">unsubscribe</span>Shop</a>'
    assert codes(mail(f"<p>{shop}</p>{address}")) == {"BR306"}


def test_merge_tags_count_only_where_seen() -> None:
    address = "<p>Fernhill, 12 Quarry Lane, Kendal LA9 4XY</p>"
    assert codes(mail(f'<p><a href="*|UNSUB|*">Leave</a></p>{address}')) == set()
    assert codes(mail(f"<p>{{% unsubscribe %}}</p>{address}")) == set()
    assert codes(mail(f"<p><unsubscribe>Leave</unsubscribe></p>{address}")) == set()
    assert codes(mail(f"<!-- *|UNSUB|* -->{address}")) == {"BR306"}
    assert codes(mail(f'<p style="display:none">{{% unsubscribe %}}</p>{address}')) == {"BR306"}
    assert codes(mail(f'<p title="*|UNSUB|*">Hi</p>{address}')) == {"BR306"}
    assert (
        codes(mail('<p><a href="https://fernhill.example/unsubscribe">Unsubscribe</a> *|LIST:ADDRESS|*</p>'))
        == set()
    )
    hidden_tag = (
        '<p><a href="https://fernhill.example/unsubscribe">Unsubscribe</a></p><p hidden>*|LIST:ADDRESS|*</p>'
    )
    assert codes(mail(hidden_tag)) == {"BR307"}


def test_link_required_in_html_means_a_link() -> None:
    policy = content_policy(
        {
            "brand": {"postal_address": "12 Quarry Lane, Kendal LA9 4XY"},
            "channels": {"email": {"kind": "email"}},
            "disclosures": {"email": {"unsubscribe_link": True}},
        }
    )

    def br306(html: str) -> bool:
        found = check_text(
            page(html + "<p>12 Quarry Lane, Kendal LA9 4XY</p>"), policy, kind="html", channel="email"
        )
        return any(f.code == "BR306" for f in found.findings)

    assert br306("<p>To unsubscribe, reply to this e-mail.</p>")
    assert not br306('<p><a href="https://fernhill.example/u?t=1">Unsubscribe</a></p>')
    assert not br306("<p>Unsubscribe: fernhill.example/unsubscribe</p>")


def test_other_disclosures_must_be_seen() -> None:
    label = "This message was generated with AI."
    assert findings(page(f"<p>{label}</p>"), channel="web", code="BR303") == []
    ai = findings(page(f'<p style="font-size:0">{label}</p>'), channel="web", code="BR303")
    assert [f.code for f in ai] == ["BR303"]
    sponsored = content_policy({})
    html = '<p style="display:none">#ad</p><p>Sponsored by Fernhill: our tents.</p>'
    assert any(f.code == "BR302" for f in check_text(html, sponsored, kind="html").findings)
    assert not any(
        f.code == "BR302"
        for f in check_text(html.replace("display:none", ""), sponsored, kind="html").findings
    )


def test_plain_text_and_markdown_are_read_as_written() -> None:
    text = "Our winter offer. T&Cs apply. Unsubscribe: https://fernhill.example/unsubscribe 12 Quarry Lane, Kendal LA9 4XY"
    for kind in ("text", "markdown"):
        found = check_text(text, POLICY, kind=kind, channel="email")
        assert not [f for f in found.findings if f.code in ("BR301", "BR306", "BR307")], kind


def test_a_dead_link_is_no_unsubscribe_link() -> None:
    policy = content_policy(
        {
            "brand": {"postal_address": "12 Quarry Lane, Kendal LA9 4XY"},
            "channels": {"email": {"kind": "email"}},
            "disclosures": {"email": {"unsubscribe_link": True}},
        }
    )
    for href, flagged in (
        ("#", True),
        ("javascript:void(0)", True),
        ("https://fernhill.example/u?id=1", False),
    ):
        html = mail(f'<p><a href="{href}">Unsubscribe</a> 12 Quarry Lane, Kendal LA9 4XY</p>')
        found = check_text(html, policy, kind="html", channel="email").findings
        assert any(f.code == "BR306" for f in found) is flagged, href


@pytest.mark.parametrize(
    ("html", "flagged"),
    [
        ("<p>Walk to Bloody Foreland today</p>", False),
        ("<p>Walk to <b>Bloody</b> Foreland today</p>", False),  # inline markup: still the place name
        ('<p>Walk to bloody<span style="display:none"> Foreland</span> today</p>', True),
        ('<p>Walk to bloody<span style="font-size:0"> Foreland</span> today</p>', True),
        ('<p>Walk to bloody<span style="color:#fff"> Foreland</span> today</p>', True),  # white on white
    ],
)
def test_an_allow_phrase_counts_only_where_it_is_seen_whole(html: str, flagged: bool) -> None:
    # BR101's `allow` exempts a banned word inside a phrase; hidden text must not make up the phrase
    policy = content_policy({"terms": {"banned": [{"term": "bloody", "allow": ["Bloody Foreland"]}]}})
    codes = [f.code for f in check_text(page(html), policy, kind="html").findings]
    assert ("BR101" in codes) is flagged, codes
