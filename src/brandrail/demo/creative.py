"""Demo section: check Fernhill's creatives — two generated images and an HTML e-mail — and write the report.

The images are drawn deterministically at demo time (Pillow): an on-brand social post in the Fernhill
palette and an off-brand e-mail banner in magenta and cyan at the wrong size. The e-mail
(``data/fernhill/creative/winter-sale.html``) has contrast and structure problems on purpose.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from brandrail.demo import DemoSection, data_path

if TYPE_CHECKING:
    from PIL import Image as PILImage

__all__ = ["draw_off_brand_banner", "draw_on_brand_post", "section"]


def draw_on_brand_post(size: int = 1080) -> PILImage.Image:
    """A square social post in the Fernhill palette: fern sky, sand sun, slate fells, moss foreground."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), "#2f6b3b")
    draw = ImageDraw.Draw(img)
    u = size / 1080
    draw.ellipse((700 * u, 140 * u, 900 * u, 340 * u), fill="#d8c7a1")
    draw.polygon(
        [
            (0, 760 * u),
            (300 * u, 420 * u),
            (560 * u, 700 * u),
            (820 * u, 380 * u),
            (size, 720 * u),
            (size, size),
            (0, size),
        ],
        fill="#34495e",
    )
    draw.rectangle((0, 900 * u, size, size), fill="#7a9a3a")
    draw.rectangle((80 * u, 80 * u, 520 * u, 200 * u), fill="#ffffff")
    draw.rectangle((110 * u, 120 * u, 480 * u, 160 * u), fill="#c8552b")
    return img


def draw_off_brand_banner(width: int = 1400, height: int = 400) -> PILImage.Image:
    """A wide e-mail banner in a magenta-to-cyan gradient: off-palette and off-spec on purpose."""
    import numpy as np
    from PIL import Image

    t = np.linspace(0.0, 1.0, width)[None, :, None]
    magenta = np.array([220, 30, 190], dtype=float)[None, None, :]
    cyan = np.array([20, 210, 230], dtype=float)[None, None, :]
    row = (1 - t) * magenta + t * cyan
    arr = np.repeat(row, height, axis=0).astype(np.uint8)
    arr[height // 3 : 2 * height // 3, width // 10 : width // 3] = (47, 107, 59)  # a fern-green button
    return Image.fromarray(arr)


def section(out_dir: Path) -> DemoSection:
    from brandrail.creative import analyse_image
    from brandrail.engine import check_paths
    from brandrail.findings import Result
    from brandrail.policy import load_policy
    from brandrail.report import CheckRun
    from brandrail.report.html import render_html
    from brandrail.text.document import Document

    policy = load_policy(data_path("fernhill", "creative", "creative.yaml"))
    folder = out_dir / "creative"
    folder.mkdir(parents=True, exist_ok=True)
    post = folder / "social-autumn-post.png"
    banner = folder / "email-winter-banner.jpg"
    draw_on_brand_post().save(post, "PNG", optimize=True)
    draw_off_brand_banner().save(banner, "JPEG", quality=88)
    email = data_path("fernhill", "creative", "winter-sale.html")

    results: list[tuple[Result, Document | None]] = []
    for paths, channel in (([post], "social"), ([banner, email], "email")):
        results.extend(check_paths([str(p) for p in paths], policy, channel=channel))
    run = CheckRun(results, policy.version, "fernhill/creative/creative.yaml")
    report = out_dir / "creative-report.html"
    report.write_text(render_html(run), encoding="utf-8")

    cards = []
    for image, channel in ((post, "social"), (banner, "email")):
        analysis = analyse_image(image.name, image.read_bytes(), policy.for_channel(channel))
        swatches = "".join(
            f'<span title="{html.escape(c.hex)} {c.share:.0%} ΔE00 {c.delta_e:.1f} to {html.escape(c.nearest or "-")}" '
            f'style="display:inline-block;width:1.4em;height:1.4em;margin-right:.2em;border:1px solid #0003;'
            f'background:{html.escape(c.hex)}"></span>'
            for c in analysis.dominant
        )
        cards.append(
            f"<figure style='display:inline-block;margin:0 1rem 1rem 0;vertical-align:top'>"
            f"<img src='creative/{html.escape(image.name)}' alt='{html.escape(image.stem)}' style='max-height:160px'>"
            f"<figcaption>{html.escape(image.name)} ({channel}): off-palette {analysis.off_palette_share:.0%}"
            f"<br>dominant: {swatches}</figcaption></figure>"
        )
    rows = "".join(
        f"<tr><td>{html.escape(Path(r.path or '').name)}</td><td>{html.escape(r.channel or '-')}</td>"
        f"<td>{'passed' if r.passed else 'failed'}</td>"
        f"<td>{html.escape(', '.join(sorted({f.code for f in r.findings if f.code.startswith('BR7')})) or '-')}</td></tr>"
        for r, _ in results
    )
    fragment = (
        "".join(cards)
        + "<table><tr><th>creative</th><th>channel</th><th>verdict</th><th>BR7xx codes</th></tr>"
        + rows
        + "</table>"
    )
    creative_findings = [f for r, _ in results for f in r.findings if f.code.startswith("BR7")]
    contrast = [f for f in creative_findings if f.code == "BR710"]
    worst = min((float(f.evidence["measured"]) for f in contrast), default=None)
    post_result, banner_result = results[0][0], results[1][0]
    off = next((f for f in banner_result.findings if f.code == "BR701"), None)
    summary = [
        ("creatives checked", f"{len(results)} (2 images, 1 HTML e-mail)"),
        (
            "on-brand post",
            "passed"
            if post_result.passed and not post_result.findings
            else "findings: " + ", ".join(f.code for f in post_result.findings),
        ),
        (
            "off-brand banner",
            (f"{float(off.evidence['measured']):.0%} off-palette; " if off else "")
            + ", ".join(sorted({f.code for f in banner_result.findings})),
        ),
        (
            "e-mail contrast",
            f"{len(contrast)} low-contrast texts" + (f", worst {worst:.2f}:1" if worst else ""),
        ),
        (
            "creative findings",
            f"{len(creative_findings)} ({', '.join(sorted({f.code for f in creative_findings}))})",
        ),
    ]
    return DemoSection("Visual identity", summary, fragment, [report])
