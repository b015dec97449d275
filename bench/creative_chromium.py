"""Computed text and background colours of the cascade templates, from headless Chromium and from brandrail.

Run: .venv/bin/python bench/creative_chromium.py [--write]

Needs Playwright and a Chromium (Debian: ``apt-get install chromium``; or ``playwright install chromium``).
For every template in tests/creative/cascade/ and both colour schemes (``prefers-color-scheme`` emulated,
viewport 800 × 900 as brandrail assumes), every non-blank text node is recorded with its visibility, its
colour composited over its background, the background (semi-transparent layers composited down to the
canvas), whether a background image lies behind it, its font size and weight. ``--write`` stores the result
as tests/creative/cascade/chromium.json, the independent reference that tests/creative compares brandrail
against; without it the agreement is printed (and returned by :func:`agreement` for bench_creative.py).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASCADE = ROOT / "tests" / "creative" / "cascade"
REFERENCE = CASCADE / "chromium.json"

_JS = r"""
() => {
  // the canvas: dark only when the page opts into dark (meta or root color-scheme). Headless Chromium paints
  // its base background dark under emulated dark mode even for pages that do not opt in (where real
  // browsers show white), so a screenshot pixel is not used.
  const meta = document.querySelector('meta[name="color-scheme"]');
  const optsIn = (meta && meta.content.includes('dark'))
    || getComputedStyle(document.documentElement).colorScheme.includes('dark');
  const canvas = matchMedia('(prefers-color-scheme: dark)').matches && optsIn ? [18, 18, 18] : [255, 255, 255];
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (c, a, b) => c.map((v, i) => Math.round(a * v + (1 - a) * b[i]));
  const background = (el) => {
    const layers = [];
    let image = false;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') { image = true; break; }
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let base = canvas;
    let start = layers.length - 1;
    if (layers.length && layers[start][3] >= 1) { base = layers[start].slice(0, 3); start -= 1; }
    for (let i = start; i >= 0; i--) base = over(layers[i].slice(0, 3), layers[i][3], base);
    return [base, image];
  };
  const visible = (node, el) => {
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return false;
    const r = document.createRange();
    r.selectNodeContents(node);
    const rects = [...r.getClientRects()].filter((x) => x.width > 0 && x.height > 0);
    if (!rects.length) return false;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.overflow !== 'visible') {
        const b = e.getBoundingClientRect();
        if (b.width === 0 || b.height === 0) return false;
      }
    }
    return true;
  };
  const out = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.data.replace(/\s+/g, ' ').trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('head, script, style, title, template, noscript')) continue;
    const cs = getComputedStyle(el);
    // the letters are painted in -webkit-text-fill-color (computed as `color` when unset)
    const color = parse(cs.webkitTextFillColor || cs.color);
    let [bg, image] = background(el);
    let fg = color[3] >= 1 ? color.slice(0, 3) : over(color.slice(0, 3), color[3], bg);
    // group opacity: text and background faded over what lies behind the outermost translucent ancestor
    let alpha = 1, outer = null;
    for (let e = el; e; e = e.parentElement) {
      const o = parseFloat(getComputedStyle(e).opacity);
      if (o < 1) { alpha *= o; outer = e; }
    }
    if (alpha < 1 && alpha > 0) {
      const [behind] = outer.parentElement ? background(outer.parentElement) : [canvas];
      fg = over(fg, alpha, behind);
      bg = over(bg, alpha, behind);
    }
    out.push({
      text, visible: visible(n, el) && color[3] > 0, fg, bg, image,
      font_px: parseFloat(cs.fontSize), bold: parseInt(cs.fontWeight, 10) >= 700,
    });
  }
  return out;
}
"""


def chromium_reference() -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Records per template and colour scheme, computed by headless Chromium."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        for path in sorted(CASCADE.glob("*.html")):
            html = path.read_text(encoding="utf-8")
            out[path.name] = {}
            for scheme in ("light", "dark"):
                # a fresh page each time: set_content on a reused page carries state between documents
                page = browser.new_page(viewport={"width": 800, "height": 900})
                page.emulate_media(color_scheme=scheme, media="screen")
                page.set_content(html)
                out[path.name][scheme] = page.evaluate(_JS)
                page.close()
        out["_browser"] = {"version": [{"text": browser.version}]}
        browser.close()
    return out


def brandrail_records(html: str, scheme: str) -> list[dict[str, Any]]:
    """The same records, computed by brandrail's parser and cascade."""
    from brandrail.creative import parse_email

    email = parse_email(html)
    out = []
    for run in email.runs:
        text = " ".join(run.text.split())
        if not text:
            continue
        el = email.in_scheme(run.element, scheme)
        out.append(
            {
                "text": text,
                "visible": not el.invisible,
                "fg": list(el.foreground),
                "bg": list(el.seen_background),
                "image": el.background_image,
                "font_px": el.font_px,
                "bold": el.bold,
            }
        )
    return out


def compare(reference: dict[str, dict[str, list[dict[str, Any]]]]) -> tuple[int, int, list[str]]:
    """(text nodes compared, agreeing, descriptions of the disagreements).

    A node agrees when visibility matches and, for visible text not over an image, the colour and background
    match to within 1 per channel, the font size to 0.5 px, and the weight's bold / not bold.
    """
    total = agree = 0
    misses: list[str] = []
    for name, schemes in sorted(reference.items()):
        if name.startswith("_"):
            continue
        html = (CASCADE / name).read_text(encoding="utf-8")
        for scheme, records in schemes.items():
            ours = {r["text"]: r for r in brandrail_records(html, scheme)}
            for ref in records:
                total += 1
                got = ours.get(ref["text"])
                why = _difference(ref, got)
                if why is None:
                    agree += 1
                else:
                    misses.append(f"{name} [{scheme}] {ref['text']!r}: {why}")
    return total, agree, misses


def _difference(ref: dict[str, Any], got: dict[str, Any] | None) -> str | None:
    if got is None:
        return "not found by brandrail"
    if ref["visible"] != got["visible"]:
        return f"visible: chromium {ref['visible']}, brandrail {got['visible']}"
    if not ref["visible"]:
        return None
    if ref["image"] != got["image"]:
        return f"over an image: chromium {ref['image']}, brandrail {got['image']}"
    if ref["image"]:
        return None
    for key in ("fg", "bg"):
        if any(abs(a - b) > 1 for a, b in zip(ref[key], got[key], strict=True)):
            return f"{key}: chromium {ref[key]}, brandrail {got[key]}"
    if abs(ref["font_px"] - got["font_px"]) > 0.5:
        return f"font size: chromium {ref['font_px']}, brandrail {got['font_px']}"
    if ref["bold"] != got["bold"]:
        return f"bold: chromium {ref['bold']}, brandrail {got['bold']}"
    return None


def agreement() -> str:
    """Lines for bench/results/creative.md (from the stored reference)."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    total, agree, misses = compare(reference)
    version = reference.get("_browser", {}).get("version", [{"text": "?"}])[0]["text"]
    lines = [
        f"- {len(list(CASCADE.glob('*.html')))} templates × 2 colour schemes, {total} text nodes: brandrail agrees "
        f"with headless Chromium {version} on {agree} ({agree / max(1, total):.1%})"
    ]
    lines += [f"  - differs: {m}" for m in misses]
    return "\n".join(lines)


def main() -> int:
    if "--write" in sys.argv:
        REFERENCE.write_text(json.dumps(chromium_reference(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {REFERENCE}")
    print(agreement())
    return 0


if __name__ == "__main__":
    sys.exit(main())
