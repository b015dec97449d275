"""Proxy detection: association between each targeting feature and each protected attribute.

For a feature the backend returns the contingency counts per (feature value, protected cell); they are
summed to one table per attribute, and Cramér's V and normalised mutual information are computed from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from brandrail.errors import DataError
from brandrail.fairness.result import ProxyReport
from brandrail.fairness.stats import cramers_v, normalized_mutual_info
from brandrail.policy.sections.fairness import FairnessSection

__all__ = ["build_proxies", "proxy_query"]


def proxy_query(table: Any, feature: str, keys: dict[str, Any], limit: int) -> Any:
    value = table[feature].cast("string").fill_null("(missing)").name("__feature")
    expr = table.group_by([value, *(v.name(k) for k, v in keys.items())]).aggregate(n=table.count())
    return expr.limit(limit)


def build_proxies(
    frame: Any, feature: str, attrs: Sequence[str], section: FairnessSection, limit: int
) -> list[ProxyReport]:
    categories = int(frame["__feature"].nunique())
    if categories > section.max_categories or len(frame) >= limit:
        raise DataError(
            f"column {feature!r} (fairness.features) has more than {section.max_categories} distinct values",
            hint="bin or coarsen it (e.g. zip code to its first 3 digits), or raise fairness.max_categories",
        )
    reports = []
    for attr in attrs:
        table = frame.pivot_table(index="__feature", columns=attr, values="n", aggfunc="sum", fill_value=0)
        arr = table.to_numpy(dtype=float)
        v = cramers_v(arr)
        nmi = normalized_mutual_info(arr)
        score = v if section.proxy_metric == "cramers_v" else nmi
        reports.append(
            ProxyReport(
                feature=feature,
                attribute=attr,
                categories=categories,
                cramers_v=v,
                nmi=nmi,
                flagged=score >= section.proxy_threshold,
            )
        )
    return reports
