"""Goal alignment: is the AI optimising real value, or a proxy at its expense?

* :func:`audit_goals` — experiment and campaign verdicts (effects with intervals, guardrails as
  non-inferiority tests, ship / do-not-ship / needs-more-data, Goodhart findings, segment breakdown).
* :func:`evaluate_policy` — off-policy evaluation of a candidate targeting policy from logged decisions
  (IPS, SNIPS, DM, DR, clipped DR; bootstrap and analytic intervals; weight diagnostics).
"""

from brandrail._extras import require as _require

_require("audit", "numpy", "scipy", "pandas", "ibis", "plotly", "sklearn")

from brandrail.goals.experiments import GoalsAudit, MetricEffect, VariantVerdict, audit_goals
from brandrail.goals.ope import Estimate, PolicyValueReport, RewardValue, WeightDiagnostics, evaluate_policy

__all__ = [
    "Estimate",
    "GoalsAudit",
    "MetricEffect",
    "PolicyValueReport",
    "RewardValue",
    "VariantVerdict",
    "WeightDiagnostics",
    "audit_goals",
    "evaluate_policy",
]
