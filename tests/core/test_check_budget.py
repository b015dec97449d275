"""brandrail.check_budget: content checks in worker processes, stopped at their CPU budget (BR999)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from brandrail import loads_policy
from brandrail.check_budget import (
    CheckPool,
    ChecksBusyError,
    OverBudget,
    RequestBudget,
    check_text,
    checks_within,
    current_pool,
    over_budget_result,
)
from brandrail.engine import check_text as engine_check_text
from brandrail.errors import PolicyError, UsageError

POLICY = "terms: {banned: [{term: flimsy, replacement: light}, {term: free}]}\n"
#: 200,000 characters of leetspeak: about 2.3 CPU seconds to check on a quiet machine.
HOSTILE = "fr33 " * 40_000


@pytest.fixture
def pool() -> Iterator[CheckPool]:
    made = CheckPool(cpu_seconds=0.5, processes=1)
    yield made
    made.close()


def test_a_check_in_budget_is_the_engines_result(pool: CheckPool) -> None:
    policy = loads_policy(POLICY)
    text = "A flimsy tent, free with every order."
    done = pool.run("check_text", text, policy, path="a.txt")
    assert not isinstance(done, OverBudget)
    result, used = done
    assert result.to_dict() == engine_check_text(text, policy, path="a.txt").to_dict()
    assert 0.0 <= used < 0.5


def test_a_check_past_its_budget_is_stopped_and_the_process_replaced(pool: CheckPool) -> None:
    policy = loads_policy(POLICY)
    done = pool.run("check_text", HOSTILE, policy)
    assert isinstance(done, OverBudget)
    assert done.characters == len(HOSTILE) and done.stage
    assert done.cpu_seconds >= 0.5 or done.wall_seconds >= pool.wall_seconds
    assert pool.killed == 1
    again = pool.run("check_text", "A flimsy tent.", policy)
    assert not isinstance(again, OverBudget)
    assert [f.code for f in again[0].findings] == ["BR101"]


def test_the_result_past_the_budget_fails_whatever_the_policy() -> None:
    policy = loads_policy(POLICY)
    over = OverBudget(5.0, 20.0, 5.01, 6.0, "BR101 banned-term", 1_000_000)
    result = over_budget_result(over, policy, path="big.txt", channel=None)
    assert result.passed is False
    (finding,) = result.findings
    assert finding.code == "BR999" and finding.path == "big.txt"
    assert finding.evidence["limit"] == "cpu" and finding.evidence["stage"] == "BR101 banned-term"
    assert "5 CPU-second budget" in finding.message and "at BR101 banned-term" in finding.message


def test_the_policy_cannot_switch_br999_off() -> None:
    with pytest.raises(PolicyError) as caught:
        loads_policy("rules:\n  BR999: off\n")
    assert any(issue.path == "rules.BR999" for issue in caught.value.issues)


def test_a_new_policy_version_is_loaded_in_the_process(pool: CheckPool) -> None:
    first = loads_policy("terms: {banned: [{term: flimsy}]}\n")
    second = loads_policy("terms: {banned: [{term: sturdy}]}\n")
    text = "A flimsy tent, a sturdy pole."
    for policy in (first, second, first):
        done = pool.run("check_text", text, policy)
        assert not isinstance(done, OverBudget)
        assert [f.match for f in done[0].findings] == [
            f.match for f in engine_check_text(text, policy).findings
        ]


def test_bad_input_raises_the_engines_error(pool: CheckPool) -> None:
    with pytest.raises(UsageError, match="unknown channel 'sms'"):
        pool.run("check_text", "hello", loads_policy(POLICY), channel="sms")
    with pytest.raises(ValueError, match="unknown check function"):
        pool.run("load_policy", "x", loads_policy(POLICY))


def test_a_request_budget_is_shared_by_its_checks(pool: CheckPool) -> None:
    policy = loads_policy(POLICY)
    budget = RequestBudget(pool)
    assert isinstance(budget.run("check_text", HOSTILE, policy), OverBudget)
    after = budget.run("check_text", "A light tent.", policy)
    assert isinstance(after, OverBudget) and after.stage == "not started"
    assert after.limit == "cpu" or after.wall_seconds >= pool.wall_seconds


def test_checks_within_uses_the_pool_only_inside(pool: CheckPool) -> None:
    policy = loads_policy(POLICY)
    assert current_pool() is None
    assert check_text(HOSTILE[:100], policy).passed is False  # in this process: BR101, no pool
    with checks_within(pool):
        assert current_pool() is pool
        result = check_text(HOSTILE, policy, path="content")
        assert [f.code for f in result.findings] == ["BR999"]
    assert current_pool() is None
    assert pool.killed == 1


def test_a_request_that_finds_every_process_busy_is_refused() -> None:
    busy = CheckPool(cpu_seconds=3.0, processes=1, queue_seconds=0.2)
    policy = loads_policy(POLICY)
    try:
        assert not isinstance(busy.run("check_text", "warm", policy), OverBudget)  # started and loaded
        hostile = threading.Thread(target=busy.run, args=("check_text", HOSTILE, policy))
        hostile.start()
        deadline = time.monotonic() + 30
        while busy._idle and time.monotonic() < deadline:  # until the hostile check holds the process
            time.sleep(0.005)
        with pytest.raises(ChecksBusyError, match="all 1 content-check process"):
            busy.run("check_text", "A light tent.", policy)
        hostile.join(60)
    finally:
        busy.close()


@pytest.mark.parametrize("kwargs", [{"cpu_seconds": 0}, {"cpu_seconds": float("inf")}, {"processes": 0}])
def test_a_bad_pool_setting_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        CheckPool(**kwargs)  # type: ignore[arg-type]


def test_large_checks_leave_a_process_for_ordinary_messages() -> None:
    pool = CheckPool(cpu_seconds=1.5, processes=2, queue_seconds=0.3)
    policy = loads_policy(POLICY)
    try:
        pool.prestart(policy)
        deadline = time.monotonic() + 60
        while not (len(pool._idle) == 2 and all(w.policy_key for w in pool._idle)):
            assert time.monotonic() < deadline, "the processes did not start"
            time.sleep(0.01)
        hostile = threading.Thread(target=pool.run, args=("check_text", HOSTILE, policy))
        hostile.start()
        while pool._large == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert pool.large_slots == 1
        with pytest.raises(ChecksBusyError):  # a second megabyte waits for the first, then is turned away
            pool.run("check_text", HOSTILE, policy)
        ordinary = pool.run("check_text", "A flimsy tent.", policy)  # the process left for the others
        assert not isinstance(ordinary, OverBudget) and [f.code for f in ordinary[0].findings] == ["BR101"]
        hostile.join(60)
    finally:
        pool.close()


def test_a_channels_view_is_compiled_before_the_checks_budget_starts(pool: CheckPool) -> None:
    """A channel's view of the policy is compiled when a process first checks on that channel, outside the
    check's budget (a replacement process's first check on a channel must not pay it); an unknown channel
    is not prepared and is the engine's usage error."""
    policy = loads_policy(POLICY + "channels: {push: {max_length: 20}}\n")
    done = pool.run("check_text", "A flimsy tent for the fells", policy, channel="push")
    assert not isinstance(done, OverBudget)
    assert [f.code for f in done[0].findings] == [
        f.code for f in engine_check_text("A flimsy tent for the fells", policy, channel="push").findings
    ]
    (worker,) = pool._idle
    assert worker.channels == {"push"}
    with pytest.raises(UsageError):
        pool.run("check_text", "A tent", policy, channel="pushh")
    (worker,) = pool._idle
    assert worker.channels == {"push"}
    pool.run("check_text", "A tent", loads_policy(POLICY), channel=None)
    assert pool._idle[0].channels == set()  # a new policy: no channel view compiled yet
