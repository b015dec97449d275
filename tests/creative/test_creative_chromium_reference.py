"""brandrail's parser and cascade against an independent reference: headless Chromium's computed styles.

tests/creative/cascade/*.html are e-mail templates written for this test, each exercising constructs of issue 14
(missing </head>/<body>, mso-hide, a:link, inherit/currentColor, !important, child/attribute/sibling
selectors, custom properties, late styles, the font shorthand, zero-size and print/mobile blocks, dark mode,
quirks mode, colour syntaxes …). chromium.json holds what Chromium 156 computed for every non-blank text node
in both colour schemes (recorded by bench/creative_chromium.py --write; this test needs no browser).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from brandrail.creative import contrast_ratio, parse_email

CASCADE = Path(__file__).parent / "cascade"
REFERENCE: dict[str, dict[str, list[dict[str, Any]]]] = json.loads(
    (CASCADE / "chromium.json").read_text(encoding="utf-8")
)
TEMPLATES = sorted(name for name in REFERENCE if not name.startswith("_"))


def test_every_template_has_a_reference() -> None:
    assert sorted(p.name for p in CASCADE.glob("*.html")) == TEMPLATES
    assert sum(len(r) for name in TEMPLATES for r in REFERENCE[name].values()) >= 200


def _ours(html: str, scheme: str) -> dict[str, dict[str, Any]]:
    email = parse_email(html)
    out = {}
    for run in email.runs:
        text = " ".join(run.text.split())
        if text:
            el = email.in_scheme(run.element, scheme)
            out[text] = {
                "visible": not el.invisible,
                "fg": list(el.foreground),
                "bg": list(el.seen_background),
                "image": el.background_image,
                "font_px": el.font_px,
                "bold": el.bold,
            }
    return out


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_computed_styles_match_chromium(name: str, scheme: str) -> None:
    ours = _ours((CASCADE / name).read_text(encoding="utf-8"), scheme)
    for ref in REFERENCE[name][scheme]:
        got = ours.get(ref["text"])
        assert got is not None, f"{ref['text']!r} not found"
        assert got["visible"] == ref["visible"], ref["text"]
        if not ref["visible"]:
            continue
        assert got["image"] == ref["image"], ref["text"]
        if ref["image"]:
            continue
        for key in ("fg", "bg"):
            assert max(abs(a - b) for a, b in zip(got[key], ref[key], strict=True)) <= 1, (ref["text"], key)
        assert got["font_px"] == pytest.approx(ref["font_px"], abs=0.5), ref["text"]
        assert got["bold"] == ref["bold"], ref["text"]
        # the contrast verdict (4.5:1 or 3:1 for large text) is the browser's
        large = ref["font_px"] >= 24 or (ref["bold"] and ref["font_px"] >= 18.66)
        minimum = 3.0 if large else 4.5
        assert (contrast_ratio(tuple(got["fg"]), tuple(got["bg"])) >= minimum) == (
            contrast_ratio(tuple(ref["fg"]), tuple(ref["bg"])) >= minimum
        ), ref["text"]
