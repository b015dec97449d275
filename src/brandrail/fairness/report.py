"""HTML and text reports of a fairness audit: Plotly charts, a "what to do" line per finding, a glossary.

The HTML opens offline: plotly.js is inlined (one file on stdout), or with ``plotlyjs="directory"`` the page
loads ``plotly.min.js`` from its own folder, which :func:`write_plotly_js` writes once per report folder.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Literal

from brandrail.fairness.result import FairnessAudit, GroupingReport
from brandrail.findings import Finding

__all__ = ["PLOTLY_JS", "render_html", "render_text", "what_to_do", "write_plotly_js"]

#: File name of the shared plotly.js bundle in a report folder.
PLOTLY_JS = "plotly.min.js"

PlotlyJs = Literal["inline", "directory"]


def write_plotly_js(folder: Path) -> Path:
    """Write plotly.js into ``folder`` once (kept when it is already there with the same size)."""
    import os
    import tempfile

    from plotly.offline import get_plotlyjs

    bundle = get_plotlyjs().encode("utf-8")
    target = folder / PLOTLY_JS
    if target.is_file() and target.stat().st_size == len(bundle):
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{PLOTLY_JS}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(bundle)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _what(f: Finding) -> str:
    ev = f.evidence
    worse = ev.get("worse_off")
    adverse = ev.get("favourable") is False
    if f.code == "FA001" or (f.code == "FA008" and "outcome" not in ev):
        more = "more often" if adverse else "less often"
        base = (
            f"Find out why {worse!r} gets this decision {more}: compare the targeting features across groups "
            "(FA007 lists proxies). If a legitimate factor explains it, add it to fairness.controls and "
            "check FA008; otherwise remove or reweigh the feature, or add a parity constraint to the model."
        )
        return (
            base
            if f.code == "FA001"
            else (
                f"The gap for {worse!r} remains between comparable people: find the feature that differs within "
                "strata and remove or constrain it."
            )
        )
    if f.code == "FA002":
        return (
            f"Rebalance who gets the decision: look at which targeting rules exclude or favour {worse!r}, then "
            "re-run the audit; a parity constraint or group-aware thresholds close the gap."
        )
    if f.code in ("FA003", "FA004"):
        rate = (
            "false-positive"
            if (ev.get("metric") == "fpr" or ev.get("component") == "fpr")
            else "true-positive"
        )
        return (
            f"The model errs differently for {worse!r} ({rate} rate): recalibrate per group or post-process "
            "thresholds (e.g. Fairlearn's ThresholdOptimizer), and check the label is measured the same way "
            "for every group."
        )
    if f.code in {"FA005", "FA008"}:
        return (
            f"Review how {ev.get('outcome', 'the outcome')} is set for {worse!r}: remove protected attributes "
            "and their proxies from the pricing inputs, or cap personalised deviation from the list price."
        )
    if f.code == "FA006":
        ads = [a["ad"] for a in ev.get("out_of_tolerance", [])][:5]
        groups = sorted({a["worse_off"] for a in ev.get("out_of_tolerance", []) if a.get("worse_off")})
        return (
            f"Check the delivery settings of {', '.join(ads) or 'the skewed ads'}: widen the audience, cap "
            f"per-group frequency or enable the platform's variance reduction so {', '.join(groups)} "
            "see them in proportion."
        )
    if f.code == "FA007":
        return (
            f"Drop or coarsen {ev.get('feature')!r}, or audit the decisions with and without it to see how "
            f"much of the gap for {ev.get('attribute')!r} it carries."
        )
    if f.code == "FA009":
        return "Collect more rows or merge small categories; suppressed groups are not audited."
    if f.code == "FA010":
        return "Improve data collection for this attribute; missing values are rarely random."
    if f.code == "FA011":
        return "Coarsen the control features so every group occurs in every stratum."
    return ""


def what_to_do(finding: Finding) -> str:
    """One sentence of advice for a fairness finding, naming the group and ads from its evidence."""
    return _what(finding)


_GLOSSARY = (
    "<details><summary><strong>How to read this report</strong></summary><dl>"
    "<dt>selection rate</dt><dd>The share of a group that got the decision (for example, saw the offer).</dd>"
    "<dt>favourable / adverse decision</dt><dd>A favourable decision benefits the person (an offer); an "
    "adverse one harms them (a surcharge, a risk flag). For adverse decisions the group selected "
    "<em>more</em> is the one worse off.</dd>"
    "<dt>reference group</dt><dd>The group others are compared with: named in the policy, else the largest "
    "group.</dd>"
    "<dt>impact ratio, four-fifths rule</dt><dd>A group's rate of the favourable outcome divided by the "
    "reference's. Below 0.8 is the common first sign of disparate impact (US EEOC guidelines).</dd>"
    "<dt>confidence interval [low, high]</dt><dd>The range the true value lies in with the stated "
    "confidence. A verdict fires only when the whole interval is past the threshold, so a small group's "
    "noisy rate does not raise an error.</dd>"
    "<dt>q (q-value)</dt><dd>A p-value adjusted for the many comparisons in one audit (Benjamini-Hochberg): "
    "the expected share of false alarms among results at least this strong. Below 0.05 counts as "
    "significant.</dd>"
    "<dt>TPR / FPR</dt><dd>True-positive rate: among people with the positive label (who would convert, or "
    "who did reoffend), the share selected. False-positive rate: among people without it, the share "
    "selected anyway.</dd>"
    "<dt>equal opportunity</dt><dd>Equal TPR across groups for favourable decisions (qualified people are "
    "selected alike); equal FPR for adverse ones (people who did nothing are flagged alike).</dd>"
    "<dt>equalized odds (EOdds)</dt><dd>Both TPR and FPR equal across groups; the difference reported is "
    "the larger of the two gaps.</dd>"
    "<dt>demographic parity difference</dt><dd>Highest minus lowest selection rate across groups.</dd>"
    "<dt>Mantel-Haenszel ratio</dt><dd>The rate ratio within strata of the control features, pooled: "
    "the gap between comparable people.</dd>"
    "<dt>TVD (total variation distance)</dt><dd>How far who saw an ad is from who was eligible for it: 0 "
    "means in proportion, 1 means completely different.</dd>"
    "<dt>Cramér's V</dt><dd>Association between a targeting feature and a protected attribute, 0 (none) "
    "to 1 (the feature reveals the attribute).</dd>"
    "</dl></details>"
)

_CSS = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:1150px;margin:2rem auto;padding:0 1rem;color:#1b1f24}"
    "table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;"
    "text-align:left;vertical-align:top}th{background:#f6f8fa}.error{color:#b42318}.warning{color:#9a6700}"
    ".info{color:#57606a}h2{margin-top:2.2rem}code{background:#f6f8fa;padding:0 .2rem}"
)


def _esc(value: Any) -> str:
    return html.escape(str(value))


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _figure_html(fig: Any, first: list[bool], plotlyjs: PlotlyJs = "inline") -> str:
    include: bool | str = first[0] and (True if plotlyjs == "inline" else "directory")
    first[0] = False
    out: str = fig.to_html(full_html=False, include_plotlyjs=include, config={"displaylogo": False})
    return out


def _rates_figure(g: GroupingReport) -> Any:
    import plotly.graph_objects as go

    live = [x for x in g.groups if not x.suppressed and x.selection_rate is not None]
    names = [x.group for x in live]
    rates = [x.selection_rate.value for x in live if x.selection_rate]
    plus = [x.selection_rate.high - x.selection_rate.value for x in live if x.selection_rate]  # type: ignore[operator]
    minus = [x.selection_rate.value - x.selection_rate.low for x in live if x.selection_rate]  # type: ignore[operator]
    colors = ["#0969da" if x.group != g.reference else "#57606a" for x in live]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=rates,
            marker_color=colors,
            error_y={"type": "data", "array": plus, "arrayminus": minus},
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    )
    ref = next((x for x in live if x.group == g.reference), None)
    if ref is not None and ref.selection_rate is not None and ref.selection_rate.value is not None:
        fig.add_hline(y=ref.selection_rate.value * 0.8, line_dash="dot", annotation_text="4/5 of reference")
    fig.update_layout(
        title=f"Selection rate by {g.name} (95% Wilson intervals; grey = reference)",
        yaxis_title="selection rate",
        height=360,
        margin={"t": 50, "b": 40},
    )
    return fig


def _heatmap(g: GroupingReport) -> Any:
    import plotly.graph_objects as go

    first = g.attributes[0]
    rest = g.attributes[1:]
    xs = sorted({x.values[first] for x in g.groups})
    ys = sorted({" & ".join(x.values[a] for a in rest) for x in g.groups})
    z: list[list[float | None]] = [[None] * len(xs) for _ in ys]
    text: list[list[str]] = [[""] * len(xs) for _ in ys]
    for x in g.groups:
        i = ys.index(" & ".join(x.values[a] for a in rest))
        j = xs.index(x.values[first])
        z[i][j] = x.selection_rate.value if x.selection_rate else None
        text[i][j] = f"n={x.n}" + (" (suppressed)" if x.suppressed else "")
    fig = go.Figure(
        go.Heatmap(
            x=xs,
            y=ys,
            z=z,
            text=text,
            colorscale="RdBu",
            hovertemplate="%{x} / %{y}: %{z:.3f} %{text}<extra></extra>",
            colorbar={"title": "rate"},
        )
    )
    fig.update_layout(
        title=f"Selection rate by intersection {g.name} (blank = suppressed)",
        xaxis_title=first,
        yaxis_title=" & ".join(rest),
        height=max(360, 22 * len(ys) + 120),
    )
    return fig


def _skew_figure(audit: FairnessAudit) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for s in audit.skew:
        fig.add_trace(
            go.Histogram(x=[a.tvd for a in s.per_ad if a.tvd is not None], name=s.attribute, nbinsx=20)
        )
    if audit.skew:
        fig.add_vline(x=audit.skew[0].tolerance, line_dash="dot", annotation_text="tolerance")
    fig.update_layout(
        barmode="overlay",
        title="Delivery skew per ad: total variation distance, shown vs eligible audience",
        xaxis_title="TVD",
        yaxis_title="ads",
        height=360,
    )
    fig.update_traces(opacity=0.65)
    return fig


def _outcome_figure(audit: FairnessAudit, outcome: str, grouping: str) -> Any:
    import plotly.graph_objects as go

    rep = next(r for r in audit.outcomes if r.outcome == outcome and r.grouping == grouping)
    live = [g for g in rep.groups if g.quartiles is not None]
    fig = go.Figure(
        go.Box(
            x=[g.group for g in live],
            q1=[g.quartiles[1] for g in live if g.quartiles],
            median=[g.quartiles[2] for g in live if g.quartiles],
            q3=[g.quartiles[3] for g in live if g.quartiles],
            lowerfence=[g.quartiles[0] for g in live if g.quartiles],
            upperfence=[g.quartiles[4] for g in live if g.quartiles],
            mean=[g.mean for g in live],
            name=outcome,
            boxmean=True,
        )
    )
    fig.update_layout(
        title=f"{outcome} by {grouping} (min, quartiles, max; dashed = mean)", yaxis_title=outcome, height=360
    )
    return fig


def _proxy_figure(audit: FairnessAudit) -> Any:
    import plotly.graph_objects as go

    features = sorted({p.feature for p in audit.proxies})
    attrs = sorted({p.attribute for p in audit.proxies})
    z = [
        [next(p.cramers_v for p in audit.proxies if p.feature == f and p.attribute == a) for a in attrs]
        for f in features
    ]
    fig = go.Figure(
        go.Heatmap(x=attrs, y=features, z=z, zmin=0, zmax=1, colorscale="Reds", texttemplate="%{z:.2f}")
    )
    fig.update_layout(
        title="Proxy detection: Cramér's V, targeting feature x protected attribute", height=320
    )
    return fig


def _findings_table(audit: FairnessAudit) -> str:
    if not audit.findings:
        return "<p>No findings.</p>"
    rows = "".join(
        f"<tr><td class='{f.severity.value}'>{_esc(f.severity.value)}</td><td><code>{_esc(f.code)}</code></td>"
        f"<td>{_esc(f.rule)}</td><td>{_esc(f.message)}</td><td>{_esc(_what(f))}</td></tr>"
        for f in sorted(audit.findings, key=lambda f: (-f.severity.rank, f.code, f.message))
    )
    return (
        "<table><tr><th>severity</th><th>code</th><th>rule</th><th>message</th><th>what to do</th></tr>"
        f"{rows}</table>"
    )


def _group_table(g: GroupingReport) -> str:
    head = (
        "<tr><th>group</th><th>n</th><th>selection rate [95% CI]</th><th>ratio to reference [CI]</th>"
        "<th>impact ratio [CI]</th><th>q</th>"
    )
    has_label = any(x.tpr is not None for x in g.groups)
    if has_label:
        head += "<th>TPR</th><th>FPR</th><th>precision</th>"
    rows = []
    for x in g.groups:
        if x.suppressed:
            rows.append(
                f"<tr><td>{_esc(x.group)}</td><td>&lt; min cell</td><td colspan='4'>suppressed</td></tr>"
            )
            continue
        sr = x.selection_rate
        rr = x.rate_ratio
        ir = x.impact_ratio
        cells = [
            _esc(x.group) + (" (reference)" if x.group == g.reference else ""),
            str(x.n),
            f"{_fmt(sr.value)} [{_fmt(sr.low)}, {_fmt(sr.high)}]" if sr else "—",
            f"{_fmt(rr.value)} [{_fmt(rr.low)}, {_fmt(rr.high)}]" if rr else "—",
            f"{_fmt(ir.value)} [{_fmt(ir.low)}, {_fmt(ir.high)}]" if ir else "—",
            _fmt(x.q_value, 4),
        ]
        if has_label:
            cells += [_fmt(x.tpr.value if x.tpr else None), _fmt(x.fpr.value if x.fpr else None)]
            cells += [_fmt(x.precision.value if x.precision else None)]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    summary = (
        f"<p>Demographic parity difference {_fmt(g.demographic_parity_difference)}, ratio "
        f"{_fmt(g.demographic_parity_ratio)}"
        + (
            f"; equal opportunity difference {_fmt(g.equal_opportunity_difference)}; equalized odds difference "
            f"{_fmt(g.equalized_odds_difference)}"
            if has_label
            else ""
        )
        + ".</p>"
    )
    note = (
        "<p>Impact ratio: the group's rate of the favourable outcome (being selected, or for an adverse "
        "decision being spared it) divided by the reference's; below 0.8 fails the four-fifths rule.</p>"
    )
    return summary + note + f"<table>{head}</tr>{''.join(rows)}</table>"


def render_html(audit: FairnessAudit, title: str = "Fairness audit", *, plotlyjs: PlotlyJs = "inline") -> str:
    """The full report as one HTML document that opens offline: plotly.js inline, or with
    ``plotlyjs="directory"`` loaded from ``plotly.min.js`` beside the page (see :func:`write_plotly_js`)."""
    first = [True]
    favourable = audit.settings.get("favourable", True)
    decision = audit.settings.get("decision", "decision")
    levels = audit.verdict_levels
    parts = [
        f"<h1>{_esc(title)}</h1>",
        f"<p>{audit.data.rows:,} rows ({audit.data.rows_used:,} audited, {audit.data.excluded:,} excluded) on "
        f"<code>{_esc(audit.data.backend)}</code> in {audit.data.seconds:.2f} s, {audit.data.queries} aggregate "
        f"queries. Policy <code>{_esc(audit.policy_version[:12])}</code>. "
        f"<strong>{'PASSED' if audit.passed else 'FAILED'}</strong>.</p>",
        f"<p>The decision <code>{_esc(decision)}</code> is "
        + (
            "<strong>favourable</strong> (being selected benefits the person)."
            if favourable
            else "<strong>adverse</strong> (being selected harms the person): the group selected more is "
            "the one worse off, and equal opportunity compares false-positive rates."
        )
        + (
            f" Verdicts rest on intervals at {levels['confidence']:.2%} confidence "
            f"({levels['significant']} of {levels['tests']} comparisons significant after correction).</p>"
            if levels.get("rests_on") == "interval"
            else " Verdicts rest on point estimates (fairness.require_significance is off).</p>"
        ),
        _GLOSSARY,
        "".join(
            f"<p>{_esc(name)}: {count:,} rows with no value were left out of its comparisons.</p>"
            for name, count in audit.data.outcome_nulls.items()
            if count
        ),
        "<h2>Findings</h2>",
        _findings_table(audit),
        "<h2>Selection rates</h2>",
    ]
    for g in audit.groupings:
        if len(g.attributes) == 1:
            parts.append(f"<h3>{_esc(g.name)}</h3>")
            parts.append(_figure_html(_rates_figure(g), first, plotlyjs))
            parts.append(_group_table(g))
    inter = [g for g in audit.groupings if len(g.attributes) > 1]
    if inter:
        parts.append("<h2>Intersections</h2>")
        for g in inter:
            parts.append(_figure_html(_heatmap(g), first, plotlyjs))
            if g.suppressed:
                parts.append(
                    f"<p>{len(g.suppressed)} intersections suppressed (fewer rows than the minimum cell).</p>"
                )
    if audit.outcomes:
        parts.append("<h2>Prices and other continuous outcomes</h2>")
        for rep in audit.outcomes:
            if " & " in rep.grouping:
                continue
            parts.append(_figure_html(_outcome_figure(audit, rep.outcome, rep.grouping), first, plotlyjs))
            rows = "".join(
                f"<tr><td>{_esc(x.group)}</td><td>{x.n}</td><td>{_fmt(x.mean, 2)}</td>"
                f"<td>{_fmt(x.median.value if x.median else None, 2)}</td>"
                f"<td>{_fmt(x.mean_ratio.value if x.mean_ratio else None)} "
                f"[{_fmt(x.mean_ratio.low if x.mean_ratio else None)}, "
                f"{_fmt(x.mean_ratio.high if x.mean_ratio else None)}]</td>"
                f"<td>{_fmt(x.median_ratio.value if x.median_ratio else None)}</td><td>{_fmt(x.q_value, 4)}</td></tr>"
                for x in rep.groups
            )
            parts.append(
                "<table><tr><th>group</th><th>n</th><th>mean</th><th>median</th><th>mean ratio [CI]</th>"
                f"<th>median ratio</th><th>q (Welch)</th></tr>{rows}</table>"
            )
    if audit.conditional:
        parts.append("<h2>Conditional parity (within strata of the controls)</h2>")
        for c in audit.conditional:
            rows = "".join(
                f"<tr><td>{_esc(p.group)}</td><td>{_fmt(p.rate_ratio.value)} [{_fmt(p.rate_ratio.low)}, "
                f"{_fmt(p.rate_ratio.high)}]</td><td>{p.strata_used}</td><td>{_fmt(p.q_value, 4)}</td></tr>"
                for p in c.pooled
            )
            parts.append(
                f"<h3>{_esc(c.attribute)} | {_esc(', '.join(c.controls))}</h3><p>Reference {_esc(c.reference)}; "
                f"size-weighted DP difference {_fmt(c.weighted_dp_difference)}, worst stratum "
                f"{_fmt(c.max_dp_difference)}.</p><table><tr><th>group</th><th>Mantel-Haenszel rate ratio [CI]</th>"
                f"<th>strata</th><th>q</th></tr>{rows}</table>"
            )
            if c.outcomes:
                orows = "".join(
                    f"<tr><td>{_esc(o.outcome)}</td><td>{_esc(o.group)}</td><td>{_fmt(o.standardized_ratio.value)} "
                    f"[{_fmt(o.standardized_ratio.low)}, {_fmt(o.standardized_ratio.high)}]</td>"
                    f"<td>{_fmt(o.pooled_difference.value, 2)} [{_fmt(o.pooled_difference.low, 2)}, "
                    f"{_fmt(o.pooled_difference.high, 2)}]</td><td>{o.strata_used}</td><td>{_fmt(o.q_value, 4)}</td></tr>"
                    for o in c.outcomes
                )
                parts.append(
                    "<table><tr><th>outcome</th><th>group</th><th>standardised ratio [CI]</th>"
                    f"<th>pooled difference [CI]</th><th>strata</th><th>q</th></tr>{orows}</table>"
                )
    if audit.skew:
        parts.append("<h2>Delivery skew</h2>")
        parts.append(_figure_html(_skew_figure(audit), first, plotlyjs))
        rows = "".join(
            f"<tr><td>{_esc(s.attribute)}</td><td>{s.measured} of {s.ads}</td><td>{_fmt(s.share_within)}</td>"
            f"<td>{_fmt(s.median_tvd)}</td></tr>"
            for s in audit.skew
        )
        parts.append(
            "<table><tr><th>attribute</th><th>ads measured</th><th>share within tolerance</th><th>median TVD</th>"
            f"</tr>{rows}</table>"
        )
    if audit.proxies:
        parts.append("<h2>Proxy features</h2>")
        parts.append(_figure_html(_proxy_figure(audit), first, plotlyjs))
    body = "".join(parts)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_esc(title)}</title>"
        f"<style>{_CSS}</style></head><body>{body}</body></html>\n"
    )


def render_text(audit: FairnessAudit) -> str:
    """A plain-text summary: data, per-attribute parity, findings."""
    lines = [
        f"fairness audit: {audit.data.rows:,} rows ({audit.data.excluded:,} excluded) on {audit.data.backend}, "
        f"{audit.data.queries} queries, {audit.data.seconds:.2f} s; policy {audit.policy_version[:12]}",
    ]
    for g in audit.groupings:
        line = (
            f"  {g.name}: reference {g.reference}; DP difference {_fmt(g.demographic_parity_difference)}, "
            f"ratio {_fmt(g.demographic_parity_ratio)}"
        )
        if g.equalized_odds_difference is not None:
            line += f"; EO difference {_fmt(g.equal_opportunity_difference)}, EOdds {_fmt(g.equalized_odds_difference)}"
        if g.suppressed:
            line += f"; {len(g.suppressed)} suppressed"
        lines.append(line)
    for name, count in audit.data.outcome_nulls.items():
        if count:
            lines.append(f"  {name}: {count:,} rows with no value left out of the outcome comparisons")
    for s in audit.skew:
        lines.append(
            f"  delivery skew {s.attribute}: {_fmt(s.share_within)} of {s.measured} ads within {s.tolerance}"
        )
    for p in audit.proxies:
        if p.flagged:
            lines.append(f"  proxy {p.feature} ~ {p.attribute}: V={p.cramers_v:.2f} NMI={p.nmi:.2f}")
    lines.append("")
    for f in sorted(audit.findings, key=lambda f: (-f.severity.rank, f.code, f.message)):
        lines.append(f"{f.severity.value:<7} {f.code} {f.message}")
        advice = _what(f)
        if advice and f.severity.value != "info":
            lines.append(f"        what to do: {advice}")
    counts = audit.result.counts()
    lines.append("")
    lines.append(
        f"{'PASSED' if audit.passed else 'FAILED'}: {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} info"
    )
    return "\n".join(lines) + "\n"
