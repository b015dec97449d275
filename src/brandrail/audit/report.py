"""Render a content audit: plain text for the terminal, and a self-contained HTML report with inline SVG charts
(no JavaScript, nothing fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from brandrail.audit.summary import ContentAudit, Rate

__all__ = ["render_html", "render_text"]

DOCS = "https://github.com/brandrail/brandrail/blob/main/docs/rules/"


def _pct(value: float) -> str:
    return f"{value:.2%}"


def _highlight(context: str | None) -> Markup:
    if not context:
        return Markup("")
    out = []
    rest = context
    while "[[" in rest and "]]" in rest.split("[[", 1)[1]:
        before, after = rest.split("[[", 1)
        inside, rest = after.split("]]", 1)
        out.append(escape(before) + Markup("<mark>") + escape(inside) + Markup("</mark>"))
    out.append(escape(rest))
    return Markup("").join(out)


def _bars(items: Sequence[dict[str, Any]], label_key: str) -> Markup:
    """Horizontal bars of each item's rate with its Wilson interval as a whisker."""
    rows = [i for i in items if isinstance(i.get("rate"), Rate)][:30]
    if not rows:
        return Markup("<p class='note'>No data.</p>")
    top = max([r["rate"].interval[1] for r in rows] + [1e-9])
    width, left, bar_h, gap = 720, 190, 16, 8
    height = len(rows) * (bar_h + gap) + 10
    parts = [f"<svg role='img' width='{width + 120}' height='{height}' viewBox='0 0 {width + 120} {height}'>"]
    for i, row in enumerate(rows):
        rate: Rate = row["rate"]
        y = 5 + i * (bar_h + gap)
        low, high = rate.interval
        scale = (width - left) / top
        label = str(row.get(label_key)) if row.get(label_key) is not None else "(none)"
        parts.append(f"<text x='{left - 8}' y='{y + 12}' text-anchor='end'>{escape(label[:28])}</text>")
        parts.append(
            f"<rect x='{left}' y='{y}' width='{rate.value * scale:.1f}' height='{bar_h}' fill='#5b7fd6' rx='2'/>"
        )
        parts.append(
            f"<line x1='{left + low * scale:.1f}' x2='{left + high * scale:.1f}' y1='{y + bar_h / 2}' "
            f"y2='{y + bar_h / 2}' stroke='#1d2330' stroke-width='1.5'/>"
        )
        parts.append(
            f"<text x='{left + high * scale + 6:.1f}' y='{y + 12}'>{_pct(rate.value)} of {rate.n:,}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _trend(weeks: Sequence[dict[str, Any]]) -> Markup:
    """The weekly violation rate as a line with its Wilson band."""
    if len(weeks) < 2:
        return _bars(weeks, "value")
    width, height, pad = 860, 220, 40
    top = max([w["rate"].interval[1] for w in weeks] + [1e-9])
    step = (width - 2 * pad) / (len(weeks) - 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return pad + i * step, height - pad - value / top * (height - 2 * pad)

    upper = [xy(i, w["rate"].interval[1]) for i, w in enumerate(weeks)]
    lower = [xy(i, w["rate"].interval[0]) for i, w in enumerate(weeks)]
    line = [xy(i, w["rate"].value) for i, w in enumerate(weeks)]
    band = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower[::-1])
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
    parts = [f"<svg role='img' width='{width}' height='{height}' viewBox='0 0 {width} {height}'>"]
    parts.append(f"<polygon points='{band}' fill='#c9d6f5'/>")
    parts.append(f"<polyline points='{path}' fill='none' stroke='#2c4fa8' stroke-width='2'/>")
    parts.append(f"<text x='{pad}' y='{pad - 12}'>violation rate (max {_pct(top)})</text>")
    for i, week in enumerate(weeks):
        if len(weeks) <= 12 or i % max(1, len(weeks) // 12) == 0:
            x, _ = xy(i, 0)
            parts.append(
                f"<text x='{x:.1f}' y='{height - 12}' text-anchor='middle'>{escape(week['value'])}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def render_html(audit: ContentAudit, *, title: str = "Content audit") -> str:
    """A self-contained HTML page."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("brandrail.audit", "templates"), autoescape=select_autoescape(["j2", "html"])
    )
    template = env.get_template("report.html.j2")
    return template.render(
        a=audit, title=title, pct=_pct, bars=_bars, trend=_trend, highlight=_highlight, docs=DOCS
    )


def render_text(audit: ContentAudit) -> str:
    """A terminal summary: the verdict, rates by family and rule, and the comparison or what-if."""
    lines = [
        f"content audit of {audit.source} (policy {audit.policy_version[:12]})",
        f"  {audit.messages:,} messages checked of {audit.rows:,} rows"
        + (
            "; skipped " + ", ".join(f"{reason} {n:,}" for reason, n in sorted(audit.skipped.items()))
            if audit.skipped
            else ""
        ),
        f"  violation rate {audit.failed} (messages with an error-level finding; 95% Wilson interval)",
    ]
    if audit.by_family:
        lines.append("  by family:")
        lines += [f"    {f['family']:<12} {f['rate']}" for f in audit.by_family]
    if audit.by_rule:
        lines.append("  by rule:")
        lines += [f"    {r['code']:<7} {r['rule']:<36} {r['rate']}" for r in audit.by_rule[:20]]
        if len(audit.by_rule) > 20:
            lines.append(f"    … {len(audit.by_rule) - 20} more rules in summary.json")
    if audit.comparison:
        lines.append(
            f"  compare {audit.comparison.dimension}: A={audit.comparison.a} {audit.comparison.rate_a}"
        )
        lines.append(
            f"  {' ' * len('compare ' + audit.comparison.dimension)}  B={audit.comparison.b} {audit.comparison.rate_b}"
        )
        lines.append(f"  → {audit.comparison.verdict}")
    if audit.whatif:
        w = audit.whatif
        lines.append(
            f"  what-if vs {w['baseline']} (policy {w['baseline_policy_version'][:12]}): "
            f"{w['newly_failing']:,} messages would now fail, {w['newly_passing']:,} would now pass "
            f"(of {w['messages_compared']:,} in both)"
        )
        lines += [
            f"    {r['code']:<7} +{r['messages_added']:,} / -{r['messages_removed']:,} messages"
            for r in w["rules"][:20]
        ]
    return "\n".join(lines) + "\n"
