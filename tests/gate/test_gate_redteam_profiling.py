"""Profiling phrased in the progressive ("you've been viewing", "you were eyeing") makes a send personalised,
so a GPC recipient's signal applies (AG406, AG404). (Found by the held-out red-team set,
tests/data/gate_attacks; these are cases of their own.)"""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import send

# -- profiling in the progressive ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "We saw that you've been viewing our stoves: here they are again.",
        "Still thinking it over? You were eyeing the Ridge 2 last week.",
        "While you were shopping for boots we set a pair aside.",
    ],
)
def test_profiling_in_the_progressive_meets_gpc(make_gate: Any, content: str) -> None:
    gate = make_gate({"consent": {"require_opt_in": []}})
    decision = gate.decide(send(recipient={"id": "c6", "gpc": True}, content=content))
    assert decision.outcome == "deny" and decision.codes == ["AG404", "AG406"], content
    service = gate.decide(send(recipient={"id": "c6", "gpc": True}, content="Your boots ship on Monday."))
    assert service.outcome == "allow"
