"""Text and HTML reports of goal audits and policy evaluations, with a "what to do" line per finding.

The HTML opens offline: plotly.js inline, or with ``plotlyjs="directory"`` loaded from ``plotly.min.js``
beside the page (written once per folder by :func:`brandrail.fairness.report.write_plotly_js`).
"""

from __future__ import annotations

import html
from typing import Any, Literal

from brandrail.goals.experiments import GoalsAudit, MetricEffect, VariantVerdict
from brandrail.goals.ope import PolicyValueReport
from brandrail.goals.stats import format_pvalue

__all__ = ["goals_html", "goals_text", "policy_value_html", "policy_value_text", "what_to_do"]

PlotlyJs = Literal["inline", "directory"]

_ADVICE = {
    "GL001": "Do not ship {variant}: it buys the proxy with the objective. Tune the AI on the objective (or a "
    "proxy validated against it) and re-test.",
    "GL002": "Do not ship {variant} on the proxy's evidence alone: run the test longer or on more units until "
    "the objective's interval excludes zero.",
    "GL003": "Do not ship {variant}: guardrail {metric} is harmed beyond its margin. Find what drives it "
    "(frequency, wording) and re-test.",
    "GL004": "Collect more units for {variant} before deciding: guardrail {metric} is not yet shown within "
    "its margin.",
    "GL005": "Stop using proxy {proxy} to pick variants: it ranks them unlike the objective. Validate a "
    "better proxy or optimise the objective directly.",
    "GL006": "Check {variant} in segment {segment}: it harms the objective there. Exclude the segment or fix "
    "the variant for it before a full rollout.",
    "GL010": "Do not deploy the candidate policy: it raises the proxy and lowers the goal. Retrain it on the "
    "goal reward.",
    "GL011": "Gather more logged data (or more exploration) before deploying the candidate: the goal effect "
    "is too uncertain.",
    "GL012": "Trust these estimates less: log with more exploration, or evaluate a candidate closer to the "
    "logging policy.",
    "GL013": "The log cannot say how never-logged actions perform: run a small randomised test of them first.",
    "GL014": "Raise the logging policy's minimum propensity (more exploration), or drop rounds logged "
    "without randomisation.",
    "GL015": "Do not rely on these estimates: log the propensities the logger really used, with exploration "
    "wherever the candidate acts, or test the candidate online.",
}


def what_to_do(finding: Any) -> str:
    """One sentence of advice for a goal finding, naming the variant, metric or segment from its evidence."""
    ev = finding.evidence
    seg = ev.get("segment")
    values = {
        "variant": repr(ev.get("variant", "this variant")),
        "metric": ev.get("metric", "this guardrail"),
        "proxy": ev.get("proxy", "this proxy"),
        "segment": f"{seg['column']}={seg['value']}" if isinstance(seg, dict) else "this segment",
    }
    return _ADVICE.get(finding.code, "").format(**values)


_CSS = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:1150px;margin:2rem auto;padding:0 1rem;color:#1b1f24}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "th,td{border:1px solid #d0d7de;padding:.25rem .55rem;"
    "text-align:left;font-size:14px}th{background:#f6f8fa}.ship{color:#1a7f37;font-weight:600}"
    ".do-not-ship,.error{color:#cf222e;font-weight:600}.needs-more-data,.warning{color:#9a6700;font-weight:600}"
    "code{background:#f6f8fa;padding:0 .2rem}"
)


def _fmt(e: MetricEffect) -> str:
    if e.rel is not None and e.rel_low is not None and e.rel_high is not None:
        return f"{e.rel:+.1%} [{e.rel_low:+.1%}, {e.rel_high:+.1%}]"
    return f"{e.diff:+.4g} [{e.ci_low:+.4g}, {e.ci_high:+.4g}]"


def _verdict_lines(v: VariantVerdict) -> list[str]:
    seg = f" [{v.segment[0]}={v.segment[1]}]" if v.segment else ""
    lines = [f"{v.variant}{seg}: {v.decision.upper()} — {v.reason} (n={v.n_treatment:,} vs {v.n_control:,})"]
    for e in v.effects:
        extra = f", guardrail {e.guardrail} (margin {e.margin:.4g})" if e.guardrail else ""
        cuped = (
            f", CUPED variance -{e.cuped_variance_reduction:.0%}"
            if e.cuped_variance_reduction is not None
            else ""
        )
        lines.append(
            f"    {e.role:<9} {e.metric:<22} {_fmt(e):<34} {e.direction}{extra} "
            f"(p {format_pvalue(e.p_value)}, {e.method}{cuped})"
        )
    return lines


def goals_text(audit: GoalsAudit) -> str:
    """A plain-text summary: verdict per variant, segment verdicts, rank correlations, findings."""
    out = [
        f"goal audit — control {audit.control!r}, units "
        + ", ".join(f"{k}={v:,}" for k, v in audit.units.items()),
        f"alpha {audit.alpha} ({audit.correction}: objective/proxies at level "
        f"{1 - audit.alpha_adjusted:.4g}; "
        f"guardrails non-inferiority at {1 - audit.alpha:.4g})",
        "",
    ]
    dropped = {k: n for k, n in audit.dropped_rows.items() if n}
    if dropped:
        out.append(
            "rows left out (value missing, NaN or infinite): "
            + ", ".join(f"{k} {n:,}" for k, n in dropped.items())
        )
    if audit.skipped_variants:
        out.append(
            "variants not compared (too few units; not counted in the correction): "
            + ", ".join(audit.skipped_variants)
        )
    if dropped or audit.skipped_variants:
        out.append("")
    for v in audit.verdicts:
        out += _verdict_lines(v)
    if audit.segment_verdicts:
        out += ["", "segments:"]
        for v in audit.segment_verdicts:
            out.append("  " + _verdict_lines(v)[0])
    if audit.rank_correlations:
        rc = ", ".join(
            f"{k}: {'n/a' if r is None else f'{r:+.2f}'}" for k, r in audit.rank_correlations.items()
        )
        out += ["", f"rank correlation of proxy lift vs objective lift: {rc}"]
    out += ["", *_findings_text(audit.findings)]
    out.append(f"policy {audit.policy_version[:12]} — {'PASSED' if audit.passed else 'FAILED'}")
    return "\n".join(out) + "\n"


def _findings_text(findings: Any) -> list[str]:
    if not findings:
        return ["no findings"]
    out = []
    for f in findings:
        out.append(f"{f.code} {f.severity.value}: {f.message}")
        advice = what_to_do(f)
        if advice:
            out.append(f"    what to do: {advice}")
    return out


def policy_value_text(report: PolicyValueReport) -> str:
    d = report.diagnostics
    out = [
        f"policy value — {d.n:,} logged rounds, {len(report.actions)} actions, "
        f"reward model {report.reward_model}, "
        f"bootstrap {report.bootstrap}",
        "",
    ]
    for rv in (report.proxy, report.goal):
        if rv is None:
            continue
        out.append(f"{rv.role} ({rv.column}): logging policy {rv.logging_value:.5g}")
        for name, e in rv.estimates.items():
            mark = "*" if name == rv.primary else " "
            lci = e.lift_boot_ci or e.lift_ci
            out.append(
                f"  {mark}{name:<8} value {e.value:.5g} [{e.ci[0]:.5g}, {e.ci[1]:.5g}]  "
                f"lift {e.lift:+.5g} [{lci[0]:+.5g}, {lci[1]:+.5g}]"
            )
    out += [
        "",
        f"weights: ESS {d.ess:,.0f} ({d.ess_fraction:.2%}), mean {d.mean_weight:.3f}, "
        f"max {d.max_weight:.4g}, "
        f"p99 {d.quantiles['p99']:.4g}, top-1% share {d.tail_share:.1%}",
        f"support: {len(d.unsupported_actions)} never-logged action(s) with "
        f"{d.unsupported_mass:.2%} of the mass; "
        f"{d.near_zero_count:,} propensities < {d.near_zero_threshold:g}",
        "",
        *_findings_text(report.findings),
        f"policy {report.policy_version[:12]} — {'PASSED' if report.passed else 'FAILED'}",
    ]
    return "\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------------------------------


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>\n"
    )


def _figs(figures: list[Any], plotlyjs: PlotlyJs = "inline") -> str:
    parts = []
    for i, fig in enumerate(figures):
        include: bool | str = i == 0 and (True if plotlyjs == "inline" else "directory")
        parts.append(fig.to_html(full_html=False, include_plotlyjs=include, config={"displaylogo": False}))
    return "".join(parts)


def _findings_html(findings: Any) -> str:
    if not findings:
        return "<p>No findings.</p>"
    rows = "".join(
        f"<tr><td>{f.code}</td><td class='{f.severity.value}'>{f.severity.value}</td>"
        f"<td>{html.escape(f.message)}</td><td>{html.escape(what_to_do(f))}</td></tr>"
        for f in findings
    )
    return f"<table><tr><th>code</th><th>severity</th><th>message</th><th>what to do</th></tr>{rows}</table>"


def _lift_figure(audit: GoalsAudit) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for v in audit.verdicts:
        xs, lo, hi, ys = [], [], [], []
        for e in v.effects:
            rel = e.rel is not None and e.rel_low is not None and e.rel_high is not None
            x = (e.rel if rel else e.diff) or 0.0
            xs.append(100 * x if rel else x)
            lo.append(100 * (x - (e.rel_low or 0.0)) if rel else x - e.ci_low)
            hi.append(100 * ((e.rel_high or 0.0) - x) if rel else e.ci_high - x)
            ys.append(f"{e.metric} ({e.role})")
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=f"{v.variant}: {v.decision}",
                error_x={"type": "data", "symmetric": False, "array": hi, "arrayminus": lo},
            )
        )
    fig.add_vline(x=0, line_dash="dot")
    fig.update_layout(
        title="Lift vs control with intervals (% relative lift)", xaxis_title="relative lift (%)", height=420
    )
    return fig


def _scatter_figure(audit: GoalsAudit) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    points = list(audit.verdicts) + list(audit.segment_verdicts)
    for proxy in audit.rank_correlations:
        xs, ys, labels = [], [], []
        for v in points:
            try:
                p = v.effect(proxy)
            except KeyError:
                continue
            o = v.objective
            if p.rel is None or o.rel is None:
                continue
            xs.append(100 * p.rel)
            ys.append(100 * o.rel)
            labels.append(v.variant + (f" [{v.segment[0]}={v.segment[1]}]" if v.segment else ""))
        rho = audit.rank_correlations[proxy]
        name = f"{proxy} (rho {rho:+.2f})" if rho is not None else proxy
        # the variant/segment names go in the hover text: printed beside the points they overlapped (the
        # same variant stands once per proxy) and ran off the plot's edge
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                text=labels,
                name=name,
                marker={"size": 9},
                hovertemplate="%{text}<br>proxy %{x:+.1f}%<br>objective %{y:+.1f}%<extra>"
                + proxy
                + "</extra>",
            )
        )
    fig.add_hline(y=0, line_dash="dot")
    fig.add_vline(x=0, line_dash="dot")
    fig.update_layout(
        title="Proxy lift vs objective lift across variants and segments",
        xaxis_title="proxy relative lift (%)",
        yaxis_title="objective relative lift (%)",
        height=480,
    )
    return fig


def _verdict_table(verdicts: Any) -> str:
    rows = []
    for v in verdicts:
        seg = html.escape(f"{v.segment[0]}={v.segment[1]}") if v.segment else "all"
        effects = "<br>".join(
            html.escape(f"{e.metric}: {_fmt(e)} {e.direction}" + (f" ({e.guardrail})" if e.guardrail else ""))
            for e in v.effects
        )
        rows.append(
            f"<tr><td>{html.escape(v.variant)}</td><td>{seg}</td><td class='{v.decision}'>{v.decision}</td>"
            f"<td>{html.escape(v.reason)}</td><td>{effects}</td></tr>"
        )
    return (
        "<table><tr><th>variant</th><th>segment</th><th>decision</th><th>reason</th><th>effects</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def goals_html(
    audit: GoalsAudit, title: str = "brandrail goal audit", *, plotlyjs: PlotlyJs = "inline"
) -> str:
    """HTML that opens offline: verdicts, lift chart, proxy-vs-goal scatter, findings with what to do."""
    body = (
        f"<p>Control <code>{html.escape(audit.control)}</code>; alpha {audit.alpha} ({audit.correction}); "
        f"policy <code>{audit.policy_version[:12]}</code>.</p>"
        "<p>Decision rule: ship only if the objective is significantly better and every guardrail is shown "
        "non-inferior; do-not-ship if the objective is significantly worse or a guardrail is breached; "
        "otherwise needs more data.</p>"
        + "".join(
            f"<p>{html.escape(k)}: {n:,} rows left out (value missing, NaN or infinite).</p>"
            for k, n in audit.dropped_rows.items()
            if n
        )
        + (
            "<p>Not compared (too few units; not counted in the correction): "
            f"{html.escape(', '.join(audit.skipped_variants))}.</p>"
            if audit.skipped_variants
            else ""
        )
        + "<h2>Verdicts</h2>"
        + _verdict_table(audit.verdicts)
        + "<h2>Findings</h2>"
        + _findings_html(audit.findings)
        + _figs([_lift_figure(audit), _scatter_figure(audit)], plotlyjs)
        + ("<h2>Segments</h2>" + _verdict_table(audit.segment_verdicts) if audit.segment_verdicts else "")
    )
    return _page(title, body)


def policy_value_html(
    report: PolicyValueReport, title: str = "brandrail policy value", *, plotlyjs: PlotlyJs = "inline"
) -> str:
    """A self-contained HTML report: proxy and goal lift per estimator, weight distribution, findings."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    rvs = [rv for rv in (report.proxy, report.goal) if rv is not None]
    fig = make_subplots(rows=1, cols=len(rvs), subplot_titles=[f"{rv.role}: {rv.column} lift" for rv in rvs])
    for i, rv in enumerate(rvs, start=1):
        names = list(rv.estimates)
        vals = [rv.estimates[k].lift for k in names]
        cis = [rv.estimates[k].lift_boot_ci or rv.estimates[k].lift_ci for k in names]
        fig.add_trace(
            go.Scatter(
                x=names,
                y=vals,
                mode="markers",
                name=rv.role,
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [c[1] - v for c, v in zip(cis, vals, strict=True)],
                    "arrayminus": [v - c[0] for c, v in zip(cis, vals, strict=True)],
                },
            ),
            row=1,
            col=i,
        )
        fig.add_hline(y=0, line_dash="dot", row=1, col=i)
    fig.update_layout(title="Candidate minus logging policy, per estimator (interval)", height=420)
    hist = report.diagnostics.histogram
    edges = hist.get("log10_weight_edges", [])
    counts = hist.get("counts", [])
    wfig = go.Figure(
        go.Bar(
            x=[10 ** ((edges[i] + edges[i + 1]) / 2) for i in range(len(counts))],
            y=counts,
            name="rounds",
        )
    )
    wfig.update_xaxes(type="log", title="importance weight pi/mu")
    wfig.update_layout(title="Importance weight distribution", yaxis_title="logged rounds", height=380)
    d = report.diagnostics
    table = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in [
            ("logged rounds", f"{d.n:,}"),
            ("effective sample size", f"{d.ess:,.0f} ({d.ess_fraction:.2%})"),
            ("mean / max weight", f"{d.mean_weight:.3f} / {d.max_weight:.4g}"),
            ("weight p99 / p99.9", f"{d.quantiles['p99']:.4g} / {d.quantiles['p99.9']:.4g}"),
            ("share of weight in top 1% of rounds", f"{d.tail_share:.1%}"),
            (
                "never-logged actions (mass)",
                f"{', '.join(d.unsupported_actions) or 'none'} ({d.unsupported_mass:.2%})",
            ),
            (f"propensities < {d.near_zero_threshold:g}", f"{d.near_zero_count:,}"),
        ]
    )
    values = "".join(
        f"<tr><td>{rv.role}</td><td>{html.escape(rv.column)}</td><td>{rv.logging_value:.5g}</td>"
        f"<td>{rv.main.value:.5g}</td><td>{rv.main.lift:+.5g} "
        f"[{rv.main.best_lift_ci[0]:+.5g}, {rv.main.best_lift_ci[1]:+.5g}]</td><td>{rv.primary}</td></tr>"
        for rv in rvs
    )
    body = (
        f"<p>Reward model: {html.escape(report.reward_model)}; bootstrap resamples: {report.bootstrap}; "
        f"policy <code>{report.policy_version[:12]}</code>.</p>"
        "<h2>Proxy and goal, side by side</h2><table><tr><th>reward</th><th>column</th>"
        "<th>logging policy</th>"
        f"<th>candidate</th><th>lift [interval]</th><th>estimator</th></tr>{values}</table>"
        "<h2>Findings</h2>"
        + _findings_html(report.findings)
        + "<h2>Diagnostics</h2><table>"
        + table
        + "</table>"
        + _figs([fig, wfig], plotlyjs)
    )
    return _page(title, body)
