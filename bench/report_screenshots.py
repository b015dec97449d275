"""Screenshots of the HTML reports for docs/reports.md, rendered in headless Chromium from `brandrail demo`.

Run: .venv/bin/python bench/report_screenshots.py [--out docs/img] [--demo DIR]

Needs the full install (the demo's fairness and goals sections need the ``audit`` extra), Playwright for
Python and a Chromium (Debian: ``apt-get install chromium``; or set ``BRANDRAIL_CHROMIUM``). Writes:

- ``report-check-email.png``: the check report's entry for an HTML e-mail — its source with the findings
  marked, the e-mail rendered in its sandboxed iframe beside it, and the findings table below;
- ``report-fairness.png`` and ``report-goals.png``: the top of the fairness and goals audit reports
  (verdicts, "what to do" lines, the first charts).

Each page is shown 1280 px wide; the PNGs are reduced to a 256-colour palette (Pillow) to keep them small.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 1280
#: The demo message whose check-report entry is shown (an HTML e-mail with findings in it).
EMAIL = "email-02-eco-launch.html"
#: How much of the top of each audit report is shown (px).
AUDIT_HEIGHT = 1700


def chromium() -> str:
    for candidate in (os.environ.get("BRANDRAIL_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise SystemExit("no Chromium found: apt-get install chromium, or set BRANDRAIL_CHROMIUM")
    return found


def run_demo(out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "brandrail", "demo", "--out", str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


def save_png(data: bytes, path: Path, max_height: int | None = None) -> int:
    """Write ``data`` (a PNG), cut at ``max_height``, to ``path`` as a 256-colour palette PNG; returns its size."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    if max_height is not None and image.height > max_height:
        image = image.crop((0, 0, image.width, max_height))
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True
    )
    return path.stat().st_size


def shoot(demo: Path, out: Path) -> list[tuple[Path, int]]:
    from playwright.sync_api import sync_playwright

    written: list[tuple[Path, int]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000}, device_scale_factor=1)

        # the check report: the e-mail's entry below the sticky filter bar, its rendered iframe beside the
        # marked-up source, its findings below (the viewport is sized to hold exactly that)
        page.goto((demo / "content-report.html").as_uri())
        entry = page.locator("section.file").filter(has=page.locator("h2", has_text=EMAIL)).first
        entry.locator("iframe").scroll_into_view_if_needed()
        bar = page.locator("#filters").bounding_box()
        box = entry.bounding_box()
        assert bar is not None and box is not None
        page.set_viewport_size({"width": WIDTH, "height": round(bar["height"] + box["height"]) + 2})
        page.evaluate(
            "([name, bar]) => { const s = [...document.querySelectorAll('section.file')]"
            ".find(x => x.querySelector('h2').textContent.includes(name));"
            " window.scrollTo(0, s.getBoundingClientRect().top + window.scrollY - bar); }",
            [EMAIL, bar["height"]],
        )
        page.wait_for_timeout(300)  # the lazy iframe paints
        path = out / "report-check-email.png"
        written.append((path, save_png(page.screenshot(), path)))
        page.set_viewport_size({"width": WIDTH, "height": 1000})

        # the audits: the top of each report (plotly draws its charts from the shared plotly.min.js)
        for name, target in (
            ("fairness.html", "report-fairness.png"),
            ("goals-report.html", "report-goals.png"),
        ):
            page.goto((demo / name).as_uri())
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            path = out / target
            written.append((path, save_png(page.screenshot(full_page=True), path, max_height=AUDIT_HEIGHT)))
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder for the PNGs")
    parser.add_argument("--demo", type=Path, help="an existing `brandrail demo --out` folder to reuse")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="brandrail-screens-") as tmp:
        demo = args.demo or Path(tmp) / "demo"
        if args.demo is None:
            run_demo(demo)
        for path, size in shoot(demo, args.out):
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
