"""Group commit: the concurrent decisions of one gate process written in one transaction.

When several threads of one process decide at once (the HTTP service's workers, an agent's thread pool),
each decision's transaction used to queue for the ledger's lock and then pay its own commit (a WAL flush
under ``durability: strict``) while holding it. :class:`GroupCommit` queues them instead: the first caller
to find no write in progress becomes the *leader*, takes every queued decision (up to ``max_batch``) and
runs them one after another in **one** transaction — one ledger lock, one commit, one flush for the batch —
then hands the lead to the first caller that queued meanwhile. No thread is started and nothing waits for a
timer: a caller alone writes at once (a batch of one), and batches form only while a write is under way.

Each decision still runs its own statements in order inside the batch: it claims its action id, reserves
its counters (a conditional update that sees the decisions before it in the batch), records its rows and
appends its ledger entry. A decision that is refused (a cap, consent, ...) is an ordinary ``deny`` and does
not touch the others. A decision that *raises* rolls the whole transaction back; the batch is then written
again without it, and its caller gets the error (the gate records it as a ``deny`` with the reason,
fail closed). A caller learns its decision only after the batch's commit returned: a decision that a caller
saw is in the ledger, and a crash before the commit loses the whole batch, which no caller saw.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Connection

__all__ = ["GroupCommit"]

T = TypeVar("T")

#: Default upper bound of decisions in one transaction (a batch holds the ledger lock for all of them).
DEFAULT_MAX_BATCH = 64


class _Job(Generic[T]):
    __slots__ = ("done", "error", "event", "fn", "lead", "result")

    def __init__(self, fn: Callable[[Connection], T]) -> None:
        self.fn = fn
        self.event = threading.Event()
        self.lead = False
        self.done = False
        self.result: T | None = None
        self.error: BaseException | None = None


class _JobFailedError(Exception):
    def __init__(self, index: int, error: BaseException) -> None:
        super().__init__(index)
        self.index = index
        self.error = error


class GroupCommit:
    """Run ``fn(conn)`` callables of concurrent threads in shared transactions (see the module docstring).

    ``transaction`` opens one writer transaction (commit on success, roll back on error) and yields its
    connection, with the writers' lock held (the batch is taken from the queue after that: what queued
    while the lock was awaited joins it). ``max_batch`` bounds the callables in one transaction. ``lone``
    (optional) opens the transaction of a leader that found no one else queued: its batch is taken at once
    and the transaction need not lock first (each callable takes the lock in its first statement) — a
    lone caller pays no round trip for the batching.
    """

    def __init__(
        self,
        transaction: Callable[[], AbstractContextManager[Connection]],
        *,
        max_batch: int = DEFAULT_MAX_BATCH,
        lone: Callable[[], AbstractContextManager[Connection]] | None = None,
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._transaction = transaction
        self._lone = lone
        self.max_batch = max_batch
        self._mutex = threading.Lock()
        self._queue: list[_Job[Any]] = []
        self._busy = False
        #: batches written and callables in them (for benchmarks and tests)
        self.batches = 0
        self.items = 0

    def run(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` inside a (possibly shared) writer transaction; return its result after the commit.

        Raises what ``fn`` raised (the others of its batch are written without it), or the error that
        made the batch's transaction fail (then nothing of the batch was written).
        """
        job: _Job[T] = _Job(fn)
        with self._mutex:
            self._queue.append(job)
            lead = not self._busy
            self._busy = True
        if not lead:
            job.event.wait()
            if not job.lead:
                return _outcome(job)
        try:
            self._write()
        finally:
            with self._mutex:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.event.set()
                else:
                    self._busy = False
        return _outcome(job)

    def _take(self) -> list[_Job[Any]]:
        """The batch: the queue's first ``max_batch`` jobs (the leader's own is the first)."""
        with self._mutex:
            batch = self._queue[: self.max_batch]
            del self._queue[: self.max_batch]
        return batch

    def _write(self) -> None:
        """Write a batch (leaving a result or an error on each of its jobs); retried without a job that raised.

        The batch is taken from the queue once the transaction is open (the writers' lock held): the
        decisions that queued while this process waited for another's batch join this one.
        """
        with self._mutex:
            alone = self._lone is not None and len(self._queue) == 1
        batch: list[_Job[Any]] | None = self._take() if alone else None
        pending: list[_Job[Any]] = list(batch or ())
        transaction = self._lone if alone and self._lone is not None else self._transaction
        try:
            while batch is None or pending:
                try:
                    results: list[Any] = []
                    with transaction() as conn:
                        if batch is None:
                            batch = self._take()
                            pending = list(batch)
                        for i, job in enumerate(pending):
                            try:
                                results.append(job.fn(conn))
                            except Exception as exc:
                                raise _JobFailedError(i, exc) from exc
                except _JobFailedError as failed:
                    _finish(pending.pop(failed.index), error=failed.error)
                    continue
                except Exception as exc:  # the transaction itself failed (connect, commit): nothing written
                    if batch is None:
                        batch = self._take()
                        pending = list(batch)
                    for job in pending:
                        _finish(job, error=exc)
                    return
                with self._mutex:
                    self.batches += 1
                    self.items += len(pending)
                for job, result in zip(pending, results, strict=True):
                    _finish(job, result=result)
                return
        finally:
            if batch is None:
                batch = self._take()
            for job in batch:  # interrupted (KeyboardInterrupt, SystemExit): nobody waits forever
                if not job.done:
                    _finish(job, error=RuntimeError("the batch was interrupted before its commit"))


def _finish(job: _Job[Any], *, result: Any = None, error: BaseException | None = None) -> None:
    job.result = result
    job.error = error
    job.done = True
    job.event.set()


def _outcome(job: _Job[T]) -> T:
    if job.error is not None:
        raise job.error
    return job.result  # type: ignore[return-value]
