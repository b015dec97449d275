"""Property: however a reply is cut into chunks, sentence-by-sentence release never lets out text that fails an
error-level rule (banned terms, also split, spaced out or hidden with zero-width characters)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandrail.engine import check
from brandrail.gate import Gate
from brandrail.integrations.common import ReplyGuard
from brandrail.integrations.proxy import _StreamJudge

SENTENCES = [
    "Thanks for asking. ",
    "Our tents are good value. ",
    "Our cheap tents are here! ",
    "That tent is c h e a p. ",
    "Such ch\u200beap prices? ",
    "This one is rubbish.\n",
    "It ships today. ",
    "Cheaper than ever. ",
    "We reply within a day. ",
]


@st.composite
def chunked(draw: Any) -> list[str]:
    text = "".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6)))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=12)))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if text[a:b]]


def errors_in(text: str, policy: Any) -> list[str]:
    return [f.code for f in check(text, policy, "chat").errors if f.span is not None]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(chunks=chunked(), mode=st.sampled_from(["fallback", "fix", "reask"]))
def test_released_text_never_fails_an_error_rule(
    policy: Any, gate: Gate, chunks: list[str], mode: str
) -> None:
    guard = ReplyGuard(policy, gate, surface="test")  # the judge reads the policy; the gate is not written
    route = policy.integrations.routes["support"].model_copy(update={"on_violation": mode})
    judge = _StreamJudge(guard, route, [{"role": "customer", "text": "hello?"}])
    released = ""
    for i, chunk in enumerate(chunks):
        released += "".join(judge.feed(chunk, final=i == len(chunks) - 1))
    assert released == judge.released
    assert errors_in(released, policy) == []
    if not judge.stopped:  # nothing was held back: everything was clean (or fixed)
        assert mode == "fix" or released == "".join(chunks)
