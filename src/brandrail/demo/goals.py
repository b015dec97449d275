"""Demo section: Fernhill's subject-line test (clickbait wins opens, loses revenue) and a click-optimised
targeting policy evaluated off-policy (raises clicks, lowers net revenue). Data come from seeded generators."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from brandrail.demo import DemoSection, data_path

__all__ = ["campaign_data", "section", "targeting_log"]

SUBJECT_LINES = {
    "control": "Spring on the fells: new Ridgeline tents are in",
    "clickbait": "You won't BELIEVE what's in your basket...",
    "benefit": "Free trail guide with every Ridgeline tent",
}


def campaign_data(n_per_variant: int = 20_000, seed: int = 2026) -> Any:
    """The subject-line test: a row per recipient (pandas DataFrame)."""
    from brandrail.goals.synthetic import VariantTruth, campaign

    return campaign(
        {
            "control": VariantTruth(0.22, 0.030, 0.020, 85.0, 0.003, 0.0004),
            "clickbait": VariantTruth(0.31, 0.041, 0.016, 85.0, 0.008, 0.0012, segment_conversion=(0.7, 1.1)),
            "benefit": VariantTruth(0.23, 0.034, 0.027, 85.0, 0.003, 0.0004),
        },
        n_per_variant,
        seed=seed,
    )


def targeting_log(n: int = 50_000, seed: int = 2026) -> tuple[Any, Any, Any]:
    """Logged offer decisions under uniform exploration, the candidate's per-row probabilities and the env."""
    import numpy as np
    import pandas as pd

    from brandrail.goals.synthetic import BanditEnv, demo_env

    env, logging, candidate = demo_env()
    d = env.sample(n, logging, seed=seed)
    frame = pd.DataFrame(
        {
            "x1": d["x1"],
            "x2": d["x2"],
            "segment": d["segment"],
            "action": np.array(env.labels)[d["action"]],
            "propensity": d["propensity"],
            "clicked": d["proxy"],
            "net_revenue": d["goal"],
        }
    )
    return frame, BanditEnv.rows(candidate, d["segment"]), env


def section(out_dir: Path) -> DemoSection:
    from brandrail.goals import audit_goals, evaluate_policy
    from brandrail.goals.report import goals_html, policy_value_html
    from brandrail.policy import load_policy

    policy = load_policy(data_path("goals", "goals.yaml"))
    audit = audit_goals(campaign_data(), policy, source="fernhill-subject-line-test")
    frame, pi, env = targeting_log()
    value = evaluate_policy(frame, pi, policy, actions=list(env.labels), source="fernhill-offer-log")
    out_dir.mkdir(parents=True, exist_ok=True)
    audit_path = out_dir / "goals-report.html"
    value_path = out_dir / "policy-value-report.html"
    from brandrail.fairness.report import write_plotly_js

    write_plotly_js(out_dir)  # one plotly.js per report folder, shared by every report in it
    audit_path.write_text(
        goals_html(audit, "Fernhill Outdoor — subject-line test", plotlyjs="directory"), encoding="utf-8"
    )
    value_path.write_text(
        policy_value_html(value, "Fernhill Outdoor — click-optimised offer policy", plotlyjs="directory"),
        encoding="utf-8",
    )
    cb = audit.verdict("clickbait")
    goal, proxy = value.goal.main, value.proxy.main if value.proxy else None
    summary = [
        ("subject-line test", ", ".join(f"{v.variant}: {v.decision}" for v in audit.verdicts)),
        (
            "clickbait",
            f"opens {cb.effect('opened').rel or 0:+.0%}, net revenue {cb.objective.rel or 0:+.0%}, "
            f"unsubscribes {cb.effect('unsubscribed').rel or 0:+.0%}",
        ),
        (
            "candidate offer policy (DR)",
            (f"click rate {100 * proxy.lift:+.1f} pp, " if proxy else "")
            + f"net revenue {goal.lift:+.2f} per decision",
        ),
        ("goal findings", ", ".join(sorted({f.code for f in (*audit.findings, *value.findings)})) or "none"),
    ]
    rows = "".join(
        f"<tr><td><code>{html.escape(v.variant)}</code></td><td>{html.escape(SUBJECT_LINES.get(v.variant, ''))}</td>"
        f"<td>{v.decision}</td><td>{html.escape(v.reason)}</td></tr>"
        for v in audit.verdicts
    )
    fragment = (
        "<table><tr><th>variant</th><th>subject line</th><th>decision</th><th>reason</th></tr>"
        + rows
        + "</table>"
    )
    return DemoSection("On goal: proxies vs real value", summary, fragment, [audit_path, value_path])
