"""Shared data and policies for the fairness tests (imported by name; the test tree has no packages)."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import pandas as pd

from brandrail.fairness.synthetic import generate_log
from brandrail.policy import Policy, policy_from_dict

FULL = {
    "decision": "shown",
    "label": "converted",
    "outcomes": ["price"],
    "protected": ["sex", "age_band", "ethnicity"],
    "controls": ["region"],
    "features": ["zip3", "device"],
    "ad": "ad_id",
    "eligible": "eligible",
}


@cache
def small_log(rows: int = 4000, seed: int = 7) -> pd.DataFrame:
    return generate_log(rows, seed=seed, ads=8)


def policy(**overrides: Any) -> Policy:
    section = dict(FULL)
    section.update(overrides)
    section = {k: v for k, v in section.items() if v is not None}
    return policy_from_dict({"fairness": section})


def duck_table(df: pd.DataFrame) -> Any:
    import ibis

    con = ibis.duckdb.connect()
    return con.create_table("log", df)


def numbers(audit: Any) -> dict[str, Any]:
    """The audit's JSON form without what legitimately differs between backends and runs."""
    data = audit.to_dict()
    data["data"].pop("backend")
    data["data"].pop("seconds")
    return data


def assert_close(a: Any, b: Any, path: str = "$") -> None:
    """Equal structures; floats equal to 1e-9 relative (sums of doubles may be ordered differently)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            assert_close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} != {b}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"
