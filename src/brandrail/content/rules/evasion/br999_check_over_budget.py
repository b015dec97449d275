"""BR999 check-over-budget (emitted by :mod:`brandrail.check_budget`, not by a rule of its own)."""

from __future__ import annotations

from brandrail.findings import Severity
from brandrail.registry import Rule, register


@register
class CheckOverBudget(Rule):
    """The content checks of a message ran out of their CPU budget and were stopped; the text was not checked.

    What it flags:
        A message whose checks used more CPU seconds than the budget allows (`brandrail serve
        --check-budget`, default 5; `brandrail check --budget`), or more wall seconds than the backstop
        (`--check-wall`, default 4 × the budget). The worker process running them is killed and replaced.
        The finding's evidence names the limit that stopped it (`cpu` or `wall`), the budget, the CPU and
        wall seconds used, the stage it was at (the rule running, such as `BR101 banned-term`, or `not
        started` when earlier messages of the request had spent the budget) and the text's length. An error,
        whatever the policy says: a message that was not read never passes, and the gate denies an action
        whose content it is (AG601).

    Why it matters:
        Text built to be expensive (a megabyte of leetspeak, personal-data look-alikes, spaced letters) could
        hold a check, and the service's worker, for many seconds; a few such requests at once would make the
        service a denial-of-service target, and a check that gave up silently would read as a pass.

    Example:
        1,000,000 characters of "fr33 " sent to `POST /v1/check`: after 5 CPU seconds the answer is
        `passed: false` with "content: the content checks of 1,000,000 characters ran out of its 5 CPU-second
        budget (5.01 s used) at BR101 banned-term; the text was not fully checked".

    Use instead:
        Send shorter messages (split a long page), or raise the budget for trusted callers
        (`brandrail serve --check-budget 20`). The code cannot be re-graded or switched off under `rules:`.
    """

    code = "BR999"
    name = "check-over-budget"
    default_severity = Severity.ERROR
    since = "0.1.0"
