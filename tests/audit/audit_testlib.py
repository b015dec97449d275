"""Shared set-up of the content-audit tests: a policy and a table of messages written as files."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from brandrail import loads_policy
from brandrail.policy import Policy

POLICY = """
terms:
  banned:
    - {term: flimsy, replacement: light}
    - {term: cheap, replacement: affordable}
channels:
  sms: {}
  email: {}
audit:
  content: {text: body, id: msg_id, channel: channel, sent_at: sent_at, model: model, campaign: campaign}
"""

# Message pieces combined at random, so rows differ from each other (not a handful of repeated strings).
_OPENERS = ["Hi there!", "Good news:", "Hello,", "Quick update:", "Dear customer,", ""]
_BODIES = [
    "our new tent keeps you dry on any trail.",
    "this flimsy jacket is now cheap as chips.",
    "the best boots in the world are back in stock!!!",
    "call us on 415-555-2671 to book a fitting.",
    "your order ships tomorrow.",
    "we guarantee you will love it or your money back.",
    "write to jane.doe@example.com with questions.",
    "a cheap way to stay warm this winter.",
]
_CLOSERS = ["Reply STOP to opt out.", "See you soon.", "Unsubscribe: https://ex.com/u", "", "Thanks!"]


def make_rows(n: int, *, seed: int = 7, nulls: bool = True) -> list[dict[str, Any]]:
    """``n`` message rows with ids, channels, times, models and campaigns (some texts null)."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    rows = []
    for i in range(n):
        text = " ".join(p for p in (rng.choice(_OPENERS), rng.choice(_BODIES), rng.choice(_CLOSERS)) if p)
        if nulls and i % 37 == 5:
            text = None  # type: ignore[assignment]
        rows.append(
            {
                "msg_id": f"m{i:06d}",
                "body": text,
                "channel": rng.choice(["sms", "email"]),
                "sent_at": (start + timedelta(hours=7 * i)).replace(tzinfo=None),
                "model": rng.choice(["model-a", "model-b"]),
                "campaign": rng.choice(["spring", "summer", "autumn"]),
            }
        )
    return rows


def write_parquet(rows: list[dict[str, Any]], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def policy() -> Policy:
    return loads_policy(POLICY)
