"""Demo: the fairness audit of Fernhill Outdoor's offer-targeting and pricing log.

The log is generated from a fixed seed (:mod:`brandrail.fairness.synthetic`) with known injected effects: women
and customers aged 65+ are shown the member offer less often, ethnicity group B is quoted about 8% more for
the same gear, the targeting feature ``zip3`` stands in for ethnicity, and some ads are delivered skewed by sex.
"""

from __future__ import annotations

import html
from pathlib import Path

from brandrail.demo import DemoSection

__all__ = ["DEMO_POLICY", "section"]

DEMO_POLICY = {
    "brand": {"name": "Fernhill Outdoor"},
    "fairness": {
        "decision": "shown",
        "label": "converted",
        "outcomes": ["price"],
        "protected": ["sex", "age_band", "ethnicity"],
        "controls": ["region"],
        "features": ["zip3", "device"],
        "ad": "ad_id",
        "eligible": "eligible",
        "reference": {"sex": "male", "age_band": "35-49", "ethnicity": "A"},
        "intersections": [["sex", "age_band"]],
    },
}


def section(out_dir: Path) -> DemoSection:
    import ibis

    from brandrail.fairness import audit_fairness
    from brandrail.fairness.report import render_html, write_plotly_js
    from brandrail.fairness.synthetic import generate_log
    from brandrail.policy import policy_from_dict

    try:
        policy = policy_from_dict(DEMO_POLICY, name="fernhill-fairness")
    except Exception:  # the brand section may differ; the fairness section is what this demo needs
        policy = policy_from_dict({"fairness": DEMO_POLICY["fairness"]}, name="fernhill-fairness")
    log = generate_log(20_000, seed=2026, ads=24)
    con = ibis.duckdb.connect()
    audit = audit_fairness(con.create_table("fernhill_offers", log), policy)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / "fairness.html"
    write_plotly_js(out_dir)  # one plotly.js per report folder, shared by every report in it
    report.write_text(
        render_html(
            audit, title="Fernhill Outdoor — fairness audit of offers and prices", plotlyjs="directory"
        ),
        "utf-8",
    )

    counts = audit.result.counts()
    female = next(g for g in audit.grouping("sex").groups if g.group == "female")
    price = next(r for r in audit.outcomes if r.outcome == "price" and r.grouping == "ethnicity")
    b = next(g for g in price.groups if g.group == "B")
    proxy = max((p for p in audit.proxies if p.feature == "zip3"), key=lambda p: p.cramers_v)
    skew = next(s for s in audit.skew if s.attribute == "sex")
    codes = sorted({f.code for f in audit.findings})
    summary = [
        ("decision log", f"{audit.data.rows:,} offer decisions, {audit.data.queries} backend queries"),
        ("findings", f"{counts['error']} errors, {counts['warning']} warnings ({', '.join(codes)})"),
        (
            "offer shown to women vs men",
            f"{female.rate_ratio.value:.2f}x" if female.rate_ratio and female.rate_ratio.value else "—",
        ),
        (
            "price, ethnicity B vs A",
            f"{b.mean_ratio.value:.3f}x mean" if b.mean_ratio and b.mean_ratio.value else "—",
        ),
        ("proxy", f"{proxy.feature} ~ {proxy.attribute}: Cramér's V {proxy.cramers_v:.2f}"),
        ("ads delivered within TVD 0.1 (sex)", f"{skew.within} of {skew.measured}"),
    ]
    fragment = (
        "<p>Fairness audit of a seeded synthetic offer log with injected pricing bias (group B pays ~8% more), "
        "a proxy feature (zip3 ~ ethnicity) and skewed ad delivery. "
        f"<a href='{html.escape(report.name)}'>Full report</a>.</p>"
    )
    return DemoSection(title="Fairness audit", summary=summary, html=fragment, reports=[report])
