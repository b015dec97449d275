"""Delivery skew: for each ad, who saw it vs its eligible audience, per protected attribute.

The backend returns one row per (ad, protected cell) with the eligible count and the shown count; the
total variation distance TVD = 1/2 * sum_v |shown_v / shown - eligible_v / eligible| is computed per ad
and attribute. The share of ads with TVD within the tolerance is what Meta's Variance Reduction System
reports for housing, employment and credit ads.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from brandrail.fairness.result import AdSkew, SkewReport
from brandrail.policy.sections.fairness import FairnessSection

__all__ = ["build_skew", "skew_query"]


def skew_query(table: Any, keys: dict[str, Any], decision: Any, section: FairnessSection) -> Any:
    """Aggregate expression: per ad and protected cell, eligible and shown counts."""
    assert section.ad is not None
    ad = table[section.ad].cast("string").fill_null("(none)").name("__ad")
    if section.eligible:
        elig = table[section.eligible]
        elig = elig.cast("int32") if elig.type().is_boolean() else elig
        eligible = elig.sum().cast("int64")
    else:
        eligible = table.count()
    return table.group_by([ad, *(v.name(k) for k, v in keys.items())]).aggregate(
        eligible=eligible, shown=decision.sum().cast("int64")
    )


def build_skew(frame: pd.DataFrame, attrs: Sequence[str], section: FairnessSection) -> list[SkewReport]:
    reports = []
    for attr in attrs:
        per = frame.groupby(["__ad", attr], sort=True)[["eligible", "shown"]].sum()
        shown = per["shown"].unstack(fill_value=0)
        elig = per["eligible"].unstack(fill_value=0)
        ads = []
        for ad in shown.index:
            s = shown.loc[ad].to_numpy(dtype=float)
            e = elig.loc[ad].to_numpy(dtype=float)
            tvd = None
            under: tuple[str | None, float | None, float | None] = (None, None, None)
            if s.sum() >= max(section.min_ad_shown, section.min_cell, 1) and e.sum() > 0:
                gap = s / s.sum() - e / e.sum()
                tvd = float(0.5 * np.abs(gap).sum())
                # the group harmed most: under-shown when being shown is favourable, over-shown otherwise
                i = int(np.argmin(gap)) if section.favourable else int(np.argmax(gap))
                under = (str(shown.columns[i]), float(s[i] / s.sum()), float(e[i] / e.sum()))
            ads.append(
                AdSkew(
                    ad=str(ad),
                    shown=int(s.sum()),
                    eligible=int(e.sum()),
                    tvd=tvd,
                    under_shown=under[0],
                    under_shown_share=under[1],
                    under_shown_eligible_share=under[2],
                )
            )
        measured = [a.tvd for a in ads if a.tvd is not None]
        within = sum(1 for v in measured if v <= section.skew_tolerance + 1e-12)
        reports.append(
            SkewReport(
                attribute=attr,
                ads=len(ads),
                measured=len(measured),
                within=within,
                share_within=within / len(measured) if measured else None,
                tolerance=section.skew_tolerance,
                median_tvd=float(np.median(measured)) if measured else None,
                per_ad=ads,
            )
        )
    return reports
