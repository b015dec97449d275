"""Fairness audit of targeting, delivery and pricing decisions, computed as Ibis expressions on any backend.

Use :func:`audit_fairness`; the result is a :class:`FairnessAudit` with FA findings, metrics and
``to_dict()``. See docs/fairness.md.
"""

from brandrail._extras import require as _require

_require("audit", "numpy", "scipy", "pandas", "ibis", "plotly")

from brandrail.fairness.audit import audit_fairness
from brandrail.fairness.result import FairnessAudit

__all__ = ["FairnessAudit", "audit_fairness"]
