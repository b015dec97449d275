"""A CPU budget for content checks that holds even when one regular expression runs for minutes.

The tool-result screen (:mod:`brandrail.gate.toolresults`) bounds its own patterns cooperatively: a deadline
in thread CPU seconds, checked every few positions it tries (:class:`brandrail.gate.prefilter.OverBudgetError`).
The content rules are many and varied, and a single ``re`` search cannot be interrupted from Python, so the
shells that take text from strangers (the HTTP service, the gate behind it, ``brandrail check --budget``) run
content checks here instead: in a small pool of worker processes, each check with a deadline in CPU seconds
of the worker (read from ``/proc``; wall seconds where there is no ``/proc``) and a wall-clock backstop. A
check past either is killed with its process, which is replaced; the caller gets a :class:`Result` that fails
with one BR999 finding (the budget, the time used, the rule that was running), never a pass.

``with checks_within(pool):`` makes :func:`check_text`, :func:`check_field` and :func:`delivered_errors` of this
module use ``pool`` in the current context (the gate's content checks, run from a service request); outside
one they call the engine directly, as before.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import math
import os
import threading
import time
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brandrail.findings import Finding, Result, Severity

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from brandrail.policy import Policy
    from brandrail.text.document import Kind

__all__ = [
    "CODE",
    "DEFAULT_CPU_SECONDS",
    "CheckPool",
    "ChecksBusyError",
    "OverBudget",
    "RequestBudget",
    "check_field",
    "check_text",
    "checks_within",
    "current_pool",
    "delivered_errors",
    "note_stage",
    "over_budget_finding",
    "over_budget_result",
]

#: The stable code of a content check stopped at its budget (docs/rules/BR999.md).
CODE = "BR999"
RULE = "check-over-budget"
#: CPU seconds one request's content checks may use by default (``brandrail serve --check-budget``).
DEFAULT_CPU_SECONDS = 5.0
#: The wall-clock backstop, as a multiple of the CPU budget, when none is given: a check waiting on a busy
#: machine may take longer than its CPU seconds, a check that waits on nothing at all may not hang forever.
WALL_FACTOR = 4.0
#: ... and never less than the CPU budget plus this many seconds (scheduling noise on a busy machine).
WALL_SLACK = 2.0
_STAGE_BYTES = 120
#: Seconds a check process may take to start, or to load and warm up a policy (not part of any budget).
SETUP_SECONDS = 120.0
#: Checked once when a process installs a policy, outside any budget, so that the patterns most texts need
#: (terms, claims, prices, personal data, links) are compiled before the first budgeted check.
_WARM_UP = (
    "Warm up: the best free offer, save 20% today, guaranteed results! Call +1 555 0100, mail ana@example.com, "
    "visit https://example.com/offer. Born 1/1/1990. Sponsored."
)
#: A check of more characters than this may not take the last free check process (see CheckPool._take):
#: any action's content (the gate's limit is 65,536 characters) or ordinary message is below it.
LARGE_CHARS = 65_536
#: How often (seconds) the CPU time of a running check is read.
_TICK = 0.02
log = logging.getLogger("brandrail.check_budget")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass(frozen=True, slots=True)
class OverBudget:
    """What ran out: the budget (CPU seconds; the wall backstop), what was used, and where it stood."""

    cpu_budget: float
    wall_budget: float
    cpu_seconds: float
    wall_seconds: float
    stage: str
    characters: int

    @property
    def limit(self) -> str:
        """``"cpu"`` or ``"wall"``: which of the two limits stopped the check."""
        return (
            "wall" if self.wall_seconds >= self.wall_budget and self.cpu_seconds < self.cpu_budget else "cpu"
        )

    def evidence(self) -> dict[str, Any]:
        return {
            "limit": self.limit,
            "budget_cpu_seconds": self.cpu_budget,
            "budget_wall_seconds": self.wall_budget,
            "cpu_seconds": round(self.cpu_seconds, 3),
            "wall_seconds": round(self.wall_seconds, 3),
            "stage": self.stage,
            "characters": self.characters,
        }


class ChecksBusyError(Exception):
    """Every check process stayed busy for longer than a request may wait for one (the service answers 503)."""

    def __init__(self, waited: float, processes: int) -> None:
        super().__init__(
            f"all {processes} content-check process(es) stayed busy for {waited:.1f} s; try again shortly"
        )
        self.waited = waited
        self.processes = processes


def over_budget_finding(over: OverBudget, place: str = "content") -> Finding:
    """The BR999 finding for a check of ``place`` stopped by its budget (an error: the text was not read)."""
    if over.limit == "cpu":
        spent = f"its {over.cpu_budget:g} CPU-second budget ({over.cpu_seconds:.2f} s used)"
    else:
        spent = f"its {over.wall_budget:g}-second wall-clock limit ({over.cpu_seconds:.2f} CPU s used)"
    return Finding(
        code=CODE,
        rule=RULE,
        severity=Severity.ERROR,
        message=(
            f"{place}: the content checks of {over.characters:,} characters ran out of {spent} "
            f"at {over.stage}; the text was not fully checked"
        ),
        evidence={"place": place, **over.evidence()},
    )


def over_budget_result(
    over: OverBudget, policy: Policy, *, path: str | None = None, channel: str | None = None
) -> Result:
    """A failing Result holding only the BR999 finding (severity as the policy grades BR999, never off)."""
    finding = over_budget_finding(over, path or "content")
    setting = policy.rules.get(CODE)
    if setting is not None and setting.severity is not None:
        finding = finding.with_severity(setting.severity)
    if finding.severity is not Severity.ERROR:  # a check that did not run never passes
        finding = finding.with_severity(Severity.ERROR)
    return Result.build([finding.with_path(path)], policy_version=policy.version, path=path, channel=channel)


# -- the stage a worker is at (read by the parent when it stops the worker) -------------------------------

_STAGE: list[Any] = [None]  # a worker process's shared stage bytes (:class:`_Stage`); None elsewhere


def note_stage(label: str) -> None:
    """Record what a check process is doing now (a rule code); a no-op outside a check process."""
    stage = _STAGE[0]
    if stage is not None:
        stage.value = label.encode("utf-8", "replace")[: _STAGE_BYTES - 1]


# -- the worker process ---------------------------------------------------------------------------------

_FUNCTIONS = ("check_text", "check_field", "check_many", "delivered_errors")


def _rebuild(state: tuple[dict[str, Any], Any, str | None]) -> Policy:
    from brandrail.policy.loader import policy_from_merged

    raw, positions, source = state
    return policy_from_merged(raw, positions, name=source or "<policy>")


def _serve(conn: _Duplex, stage: Any) -> None:  # pragma: no cover - runs in the worker process
    """The loop of a check process: say it is ready; then install a policy (and warm it up) when sent one,
    or run a named engine function with the installed policy, and answer each message."""
    from brandrail import engine

    _STAGE[0] = stage
    policy: Policy | None = None
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if message[0] == "policy":
                note_stage("installing the policy")
                policy = _rebuild(message[1])
                engine.check_text(_WARM_UP, policy)  # compile what the policy needs, outside any budget
                reply: tuple[str, Any] = ("ok", None)
            elif message[0] == "channel":
                note_stage(f"preparing channel {message[1]!r}")
                if policy is None:
                    raise ValueError("no policy installed")
                engine.check_text(_WARM_UP, policy, channel=message[1])  # the channel's view, compiled
                reply = ("ok", None)
            else:
                _, name, args, kwargs = message
                if name not in _FUNCTIONS or policy is None:
                    raise ValueError(f"unknown check function {name!r}, or no policy installed")
                note_stage(f"{name}, before the rules (reading the text)")
                reply = ("ok", getattr(engine, name)(args[0], policy, *args[1:], **kwargs))
        except Exception as exc:  # the parent re-raises it
            reply = ("error", exc)
        note_stage("answering")
        try:
            conn.send(reply)
        except Exception:
            conn.send(("error", RuntimeError(f"{type(reply[1]).__name__} could not be sent back")))


class _Stage:
    """A few bytes of shared memory (a mapped temporary file) where a worker writes its stage."""

    __slots__ = ("_map",)

    def __init__(self, fd: int) -> None:
        import mmap

        self._map = mmap.mmap(fd, _STAGE_BYTES)

    @property
    def value(self) -> bytes:
        return self._map[:].split(b"\0", 1)[0]

    @value.setter
    def value(self, data: bytes) -> None:
        data = data[: _STAGE_BYTES - 1]
        self._map[: len(data) + 1] = data + b"\0"


def main(argv: Sequence[str] | None = None) -> None:  # pragma: no cover - runs in the worker process
    """Entry point of a check process: ``python -m brandrail.check_budget READ_FD WRITE_FD STAGE_FD``."""
    import sys
    from multiprocessing.connection import Connection as _Connection

    read_fd, write_fd, stage_fd = (int(a) for a in (argv if argv is not None else sys.argv[1:]))
    import brandrail.content.rules  # noqa: F401  (registers the rules before the first check)

    with _Connection(read_fd, writable=False) as inbox, _Connection(write_fd, readable=False) as outbox:
        _serve(_Duplex(inbox, outbox), _Stage(stage_fd))


class _Duplex:
    """One object with ``recv``/``send`` over two one-way connections."""

    __slots__ = ("recv", "send")

    def __init__(self, inbox: Connection, outbox: Connection) -> None:
        self.recv = inbox.recv
        self.send = outbox.send


def _cpu_of(pid: int) -> float | None:
    """CPU seconds (user + system) process ``pid`` has used, from /proc; None without /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


class _Worker:
    """One check process (a fresh interpreter, not a fork: nothing of the caller's threads or main module)."""

    __slots__ = ("channels", "conn", "inbox", "pid", "policy_key", "process", "ready", "stage")

    def __init__(self) -> None:
        import subprocess
        import sys
        import tempfile
        from multiprocessing.connection import Connection as _Connection

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        with tempfile.TemporaryFile() as shared:
            shared.truncate(_STAGE_BYTES)
            stage_fd = shared.fileno()
            try:
                self.process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "brandrail.check_budget",
                        str(to_child_r),
                        str(from_child_w),
                        str(stage_fd),
                    ],
                    pass_fds=(to_child_r, from_child_w, stage_fd),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    env=_child_env(),
                )
            finally:
                os.close(to_child_r)
                os.close(from_child_w)
            self.stage = _Stage(stage_fd)
        self.pid = self.process.pid
        self.conn: Connection = _Connection(to_child_w, readable=False)
        self.inbox: Connection = _Connection(from_child_r, writable=False)
        self.policy_key: str | None = None
        self.channels: set[str] = set()  # channels whose view of the installed policy is compiled
        self.ready = False

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        for conn in (self.conn, self.inbox):
            with contextlib.suppress(Exception):
                conn.close()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=5)


def _child_env() -> dict[str, str]:
    """The caller's environment; when this brandrail is a source tree (not installed), with that tree
    first on PYTHONPATH so the check process imports the same code."""
    import brandrail

    env = dict(os.environ)
    here = Path(brandrail.__file__).resolve().parent.parent
    if here.name not in ("site-packages", "dist-packages"):
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(here), env.get("PYTHONPATH", "")) if p)
    return env


def _policy_state(policy: Policy) -> tuple[dict[str, Any], Any, str | None]:
    private = policy.__pydantic_private__ or {}
    return (private.get("_raw") or policy.raw(), private.get("_positions"), policy.source)


def _close_all(workers: list[_Worker]) -> None:
    for worker in workers:
        worker.kill()
    workers.clear()


class CheckPool:
    """Worker processes that run content checks within a budget of ``cpu_seconds`` (and ``wall_seconds``).

    ``processes`` checks run at once; a request that finds them all busy waits up to ``queue_seconds``
    (default: the wall budget) and then gets :class:`ChecksBusyError`. Processes start on first use and are
    ended by :meth:`close` (or when the pool is garbage collected).
    """

    def __init__(
        self,
        *,
        cpu_seconds: float = DEFAULT_CPU_SECONDS,
        wall_seconds: float | None = None,
        processes: int = 2,
        queue_seconds: float | None = None,
    ) -> None:
        if not (cpu_seconds > 0 and math.isfinite(cpu_seconds)):
            raise ValueError(f"cpu_seconds must be a positive number of seconds, not {cpu_seconds!r}")
        if wall_seconds is not None and not (wall_seconds > 0 and math.isfinite(wall_seconds)):
            raise ValueError(f"wall_seconds must be a positive number of seconds, not {wall_seconds!r}")
        if processes < 1:
            raise ValueError(f"processes must be at least 1, not {processes!r}")
        self.cpu_seconds = float(cpu_seconds)
        self.wall_seconds = (
            float(wall_seconds)
            if wall_seconds is not None
            else max(self.cpu_seconds * WALL_FACTOR, self.cpu_seconds + WALL_SLACK)
        )
        self.processes = processes
        self.queue_seconds = float(queue_seconds) if queue_seconds is not None else self.wall_seconds
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._cond = threading.Condition()
        self._started = 0
        self._closed = False
        self._prestart: str | None = None  # None: processes start on first use
        self._large = 0
        #: How many processes checks of more than LARGE_CHARS characters may hold at once.
        self.large_slots = max(processes - 1, 1)
        self.killed = 0  # checks stopped at their budget (for metrics and tests)
        self._finalizer = weakref.finalize(self, _close_all, self._all)

    # -- processes ----------------------------------------------------------------------------------------

    def readiness(self) -> str:
        """``"ok"`` once a process started by :meth:`prestart` has loaded the policy (or when the processes
        start on first use), ``"starting"`` before, ``"unavailable"`` when they could not be started."""
        if self._prestart is None or self._prestart == "ok":
            return "ok"
        with self._cond:
            if any(w.policy_key is not None for w in self._idle):
                self._prestart = "ok"
                return "ok"
        return self._prestart

    def prestart(self, policy: Policy) -> None:
        """Start every process and load ``policy`` in each, on a thread (returns at once); :meth:`readiness`
        says when the first is ready."""
        self._prestart = "starting"

        def start() -> None:
            taken: list[_Worker] = []
            try:
                for _ in range(self.processes):  # all start at once ...
                    taken.append(self._take())
                while taken:  # ... and each serves requests as soon as it has the policy
                    worker = taken.pop(0)
                    try:
                        self._prepare(worker, policy)
                    except BaseException:
                        self._drop(worker)
                        raise
                    self._give_back(worker)
            except Exception:  # the first request tries again, and says what went wrong
                log.exception("could not start the content-check processes")
                self._prestart = "unavailable"
            finally:
                for worker in taken:
                    self._give_back(worker)

        threading.Thread(target=start, name="brandrail-check-start", daemon=True).start()

    def _take(self, large: bool = False) -> _Worker:
        """An idle process (started if need be), waiting up to ``queue_seconds`` for one. A ``large`` check
        (over :data:`LARGE_CHARS`) may take only :attr:`large_slots` of the processes: one is always left for
        the others, so hostile megabytes cannot hold up ordinary messages."""
        waited_from = time.monotonic()
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError("the check pool is closed")
                lane_free = not large or self._large < self.large_slots
                if lane_free and self._idle:
                    self._large += large
                    return self._idle.pop()
                if lane_free and self._started < self.processes:
                    self._started += 1
                    self._large += large
                    break
                left = self.queue_seconds - (time.monotonic() - waited_from)
                if left <= 0:
                    raise ChecksBusyError(time.monotonic() - waited_from, self.processes)
                self._cond.wait(left)
        try:
            worker = _Worker()
        except BaseException:
            with self._cond:
                self._started -= 1
                self._large -= large
                self._cond.notify_all()
            raise
        with self._cond:
            self._all.append(worker)
        return worker

    def _release(self, large: bool) -> None:
        with self._cond:
            self._large -= large
            self._cond.notify_all()

    def _give_back(self, worker: _Worker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify_all()

    def _drop(self, worker: _Worker) -> None:
        """Kill ``worker`` and start its replacement now (it starts while the next request is on its way)."""
        worker.kill()
        with self._cond:
            if worker not in self._all:
                return
            self._all.remove(worker)
            self._started -= 1
            self._cond.notify_all()
            if self._closed:
                return
        try:
            fresh = _Worker()
        except Exception:  # the next request tries again
            log.exception("could not start a content-check process")
            return
        with self._cond:
            if self._closed or self._started >= self.processes:
                fresh.kill()
                return
            self._started += 1
            self._all.append(fresh)
            self._idle.append(fresh)
            self._cond.notify_all()

    def close(self) -> None:
        """End every check process (a check running now is stopped)."""
        with self._cond:
            self._closed = True
            self._idle.clear()
            self._cond.notify_all()
        self._finalizer()

    # -- running checks -----------------------------------------------------------------------------------

    def run(
        self,
        name: str,
        text: str,
        policy: Policy,
        *args: Any,
        characters: int | None = None,
        cpu_seconds: float | None = None,
        wall_seconds: float | None = None,
        wall_used: list[float] | None = None,
        **kwargs: Any,
    ) -> tuple[Any, float] | OverBudget:
        """``brandrail.engine.<name>(text, policy, *args, **kwargs)`` in a check process: its value and the
        CPU seconds it used, or :class:`OverBudget` when it ran past ``cpu_seconds`` or ``wall_seconds``
        (default: the pool's; the process is then killed and replaced). An exception the check raised (bad
        input) is raised here. ``wall_used`` (a list) is given the wall seconds the check itself took: not
        the wait for a free process, nor its start or the loading of the policy."""
        if name not in _FUNCTIONS:
            raise ValueError(f"unknown check function {name!r}")
        budget = self.cpu_seconds if cpu_seconds is None else cpu_seconds
        size = len(text) if characters is None else characters
        wall_limit = self.wall_seconds if wall_seconds is None else wall_seconds
        # what the request's earlier checks used (a RequestBudget passes what they left): the evidence tells
        # the request's budget and use, not this check's share
        spent_cpu = max(self.cpu_seconds - budget, 0.0)
        spent_wall = max(self.wall_seconds - wall_limit, 0.0)
        if budget <= 0 or wall_limit <= 0:
            return OverBudget(self.cpu_seconds, self.wall_seconds, spent_cpu, spent_wall, "not started", size)
        large = size > LARGE_CHARS
        worker = self._take(large)
        try:
            return self._run(
                worker,
                name,
                (text, *args),
                kwargs,
                policy,
                (budget, wall_limit),
                (spent_cpu, spent_wall),
                size,
                wall_used,
            )
        finally:
            self._release(large)

    def _run(
        self,
        worker: _Worker,
        name: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        policy: Policy,
        limits: tuple[float, float],
        spent: tuple[float, float],
        size: int,
        wall_used: list[float] | None = None,
    ) -> tuple[Any, float] | OverBudget:
        """Run one check in ``worker`` within ``limits`` (CPU and wall seconds left); ``spent`` is what the
        request's earlier checks used, added to an over-budget answer's figures."""
        budget, wall_limit = limits
        spent_cpu, spent_wall = spent
        try:
            self._prepare(worker, policy, kwargs.get("channel"))
        except BaseException:
            self._drop(worker)
            raise
        checked_from = time.monotonic()
        try:
            worker.conn.send(("check", name, args, kwargs))
        except Exception:
            self._drop(worker)
            raise
        answer = self._answer(worker, budget, wall_limit)
        if wall_used is not None:
            wall_used.append(time.monotonic() - checked_from)
        if isinstance(answer, OverBudget):
            self.killed += 1
            return OverBudget(
                self.cpu_seconds,
                self.wall_seconds,
                spent_cpu + answer.cpu_seconds,
                spent_wall + answer.wall_seconds,
                answer.stage,
                size,
            )
        self._give_back(worker)
        status, value, used = answer
        if status == "error":
            raise value
        return value, used

    def _prepare(self, worker: _Worker, policy: Policy, channel: Any = None) -> None:
        """Wait until ``worker`` has started, install ``policy`` in it unless it has it, and compile the view
        of ``channel`` (one of the policy's channels) unless it has: none of it is counted against a check's
        budget (a replacement process's first check on a channel costs what any other check costs), each
        step is bounded by :data:`SETUP_SECONDS` of wall time."""
        if not worker.ready:
            answer = self._answer(worker, None, SETUP_SECONDS)
            if isinstance(answer, OverBudget) or answer[0] != "ready":
                raise RuntimeError(f"a content-check process did not start within {SETUP_SECONDS:g} s")
            worker.ready = True
        key = policy.version
        if worker.policy_key != key:
            worker.policy_key = None
            worker.conn.send(("policy", _policy_state(policy)))
            answer = self._answer(worker, None, SETUP_SECONDS)
            if isinstance(answer, OverBudget):
                raise RuntimeError(
                    f"a content-check process did not load the policy within {SETUP_SECONDS:g} s"
                )
            if answer[0] == "error":
                raise answer[1]
            worker.policy_key = key
            worker.channels = set()
        if isinstance(channel, str) and channel in policy.channels and channel not in worker.channels:
            worker.conn.send(("channel", channel))
            answer = self._answer(worker, None, SETUP_SECONDS)
            if isinstance(answer, OverBudget):
                raise RuntimeError(
                    f"a content-check process did not prepare channel {channel!r} within {SETUP_SECONDS:g} s"
                )
            if answer[0] == "error":
                raise answer[1]
            worker.channels.add(channel)

    def _answer(
        self, worker: _Worker, cpu_budget: float | None, wall_limit: float
    ) -> tuple[str, Any, float] | OverBudget:
        """``worker``'s next answer (status, value, CPU seconds it took), or :class:`OverBudget` (the worker
        is then killed) once it has used ``cpu_budget`` CPU seconds (None: no CPU limit) or ``wall_limit``
        seconds. A worker that dies is a RuntimeError naming what it was doing."""
        started = time.monotonic()
        cpu_from = _cpu_of(worker.pid)
        while True:
            try:
                ready = worker.inbox.poll(_TICK)
            except (EOFError, OSError):
                ready = True
            cpu_now = _cpu_of(worker.pid)
            wall = time.monotonic() - started
            used = cpu_now - cpu_from if cpu_now is not None and cpu_from is not None else wall
            if ready:
                try:
                    status, value = worker.inbox.recv()
                except (EOFError, OSError) as exc:  # the process died (out of memory, killed)
                    stage = worker.stage.value.decode("utf-8", "replace")
                    self._drop(worker)
                    raise RuntimeError(
                        f"a content-check process ended during {stage or 'its start'}"
                    ) from exc
                return status, value, used
            if (cpu_budget is not None and used >= cpu_budget) or wall >= wall_limit:
                stage = worker.stage.value.decode("utf-8", "replace") or "its start"
                self._drop(worker)
                return OverBudget(cpu_budget or 0.0, wall_limit, used, wall, stage, 0)


# -- the functions the shells call --------------------------------------------------------------------------


class RequestBudget:
    """A pool and what is left of one request's budget: each check :meth:`run` runs gets the CPU seconds the
    checks before it left (none after one that ran out), and the wall seconds they left. Only the checks'
    own time counts (from handing the text over to the answer), not the wait for a free process or its start,
    nor the time between checks: the proxy waits on the model between the checks of one request."""

    __slots__ = ("left", "pool", "wall_left")

    def __init__(self, pool: CheckPool) -> None:
        self.pool = pool
        self.left = pool.cpu_seconds
        self.wall_left = pool.wall_seconds

    def run(self, name: str, text: Any, policy: Policy, **kwargs: Any) -> tuple[Any, float] | OverBudget:
        """:meth:`CheckPool.run` with what is left of the budget (CPU seconds and wall seconds)."""
        took: list[float] = []
        try:
            done = self.pool.run(
                name,
                text,
                policy,
                cpu_seconds=self.left,
                wall_seconds=self.wall_left,
                wall_used=took,
                **kwargs,
            )
        finally:
            self.wall_left = max(self.wall_left - sum(took), 0.0)
        self.left = 0.0 if isinstance(done, OverBudget) else max(self.left - done[1], 0.0)
        return done


_SPENDING: contextvars.ContextVar[RequestBudget | None] = contextvars.ContextVar(
    "brandrail_checks", default=None
)


def current_pool() -> CheckPool | None:
    """The pool the content checks of this context run in, or None (they run in this process)."""
    spending = _SPENDING.get()
    return spending.pool if spending is not None else None


@contextlib.contextmanager
def checks_within(pool: CheckPool | RequestBudget | None) -> Iterator[None]:
    """Within the block, this module's checks run in ``pool`` and share one budget (the pool's CPU seconds:
    each check gets what those before it left). A :class:`RequestBudget` carries one budget across several
    blocks (the checks of one proxied request, before and after it waits on the model). ``None``: in this
    process, unbounded."""
    token = _SPENDING.set(RequestBudget(pool) if isinstance(pool, CheckPool) else pool)
    try:
        yield
    finally:
        _SPENDING.reset(token)


def check_text(
    text: str,
    policy: Policy,
    *,
    channel: str | None = None,
    path: str | None = None,
    kind: Kind = "text",
    metadata: Mapping[str, Any] | None = None,
    conversation: Any = None,
) -> Result:
    """:func:`brandrail.engine.check_text` within the budget of :func:`checks_within`; past it, a failing
    Result with one BR999 finding."""
    spending = _SPENDING.get()
    kwargs: dict[str, Any] = {"channel": channel, "path": path, "kind": kind, "metadata": metadata}
    if conversation is not None:
        kwargs["conversation"] = conversation
    if spending is None:
        from brandrail import engine

        return engine.check_text(text, policy, **kwargs)
    done = spending.run("check_text", text, policy, **kwargs)
    if isinstance(done, OverBudget):
        return over_budget_result(done, policy, path=path, channel=channel)
    result: Result = done[0]
    return result


def check_field(
    text: str, policy: Policy, *, field: str, body: str = "", channel: str | None = None
) -> list[Finding]:
    """:func:`brandrail.engine.check_field` within the budget of :func:`checks_within` (past it: BR999)."""
    spending = _SPENDING.get()
    if spending is None:
        from brandrail import engine

        return engine.check_field(text, policy, field=field, body=body, channel=channel)
    size = len(text) + len(body)
    done = spending.run("check_field", text, policy, characters=size, field=field, body=body, channel=channel)
    if isinstance(done, OverBudget):
        return list(over_budget_result(done, policy, path=field, channel=channel).findings)
    found: list[Finding] = done[0]
    return found


def delivered_errors(
    value: Any, policy: Policy, *, channel: str | None = None, path: str | None = None
) -> list[Finding]:
    """:func:`brandrail.engine.delivered_errors` within the budget of :func:`checks_within` (past it: BR999)."""
    spending = _SPENDING.get()
    if spending is None:
        from brandrail import engine

        return engine.delivered_errors(value, policy, channel=channel, path=path)
    from brandrail.text.nested import texts_in

    size = sum(len(t) for t in texts_in(value))
    done = spending.run("delivered_errors", value, policy, characters=size, channel=channel, path=path)
    if isinstance(done, OverBudget):
        return list(over_budget_result(done, policy, path=path, channel=channel).findings)
    found: list[Finding] = done[0]
    return found


if __name__ == "__main__":  # pragma: no cover - a check process
    main()
