"""``brandrail check --jobs N``: check files in worker processes, results in the order of a sequential run.

Files are sent to the workers in chunks of :data:`~brandrail.cli._check.BATCH` (rules that batch work, like
voice embeddings, still see a batch). At most two chunks per worker are in flight, and results are handed on
in file order as their chunk completes, so memory stays bounded in the number of files and the output is
byte for byte the one ``--jobs 1`` writes. Each worker loads and compiles the policy once (a forked worker
inherits the parent's loaded policy; a spawned one loads the same file and checks it has the same version).

Workers ignore Ctrl-C; the parent stops them and exits 130. A worker that dies (a crash, the OOM killer) is
an error (exit 2) naming the file: the chunk it was checking is checked again one file at a time in a fresh
worker to find the file; if that does not reproduce the crash, the chunk's files are named.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from brandrail.errors import InputError, Location
from brandrail.findings import Result
from brandrail.policy import Policy
from brandrail.text.document import Document, Kind

__all__ = ["SEQUENTIAL_BELOW", "ShownDocument", "check_files_parallel", "cpu_budget", "default_jobs"]

#: Fewer files than this are checked in the main process whatever ``--jobs`` says: starting workers
#: (about 0.45 s of CPU each to compile the policy and ship results, against about 1.3 ms per file;
#: bench/bench_cli.py --scale) costs more than it saves on small runs.
SEQUENTIAL_BELOW = 1000

_Chunk = list[tuple[str, str]]
# (result, (text, path, kind, channel) of the document when the writer shows it, else None)
_Out = tuple[list[tuple[Result, tuple[str, str | None, str, str | None] | None]], list[str]]

_PARENT_POLICY: Policy | None = None  # inherited by forked workers
_STATE: dict[str, Any] = {}


def cpu_budget() -> int:
    """The CPUs this process may use: its affinity mask, capped by a cgroup CPU quota (containers)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    quota = _cgroup_quota()
    if quota is not None:
        cores = min(cores, max(1, int(quota + 0.5)))
    return max(1, cores)


def _cgroup_quota() -> float | None:
    """CPUs allowed by the cgroup (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``), or None when unlimited."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text(encoding="ascii").split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        q = int(Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").read_text(encoding="ascii"))
        p = int(Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us").read_text(encoding="ascii"))
        return None if q <= 0 or p <= 0 else q / p
    except (OSError, ValueError):
        return None


def default_jobs() -> int:
    """``--jobs`` by default: the CPUs this process may use (:func:`cpu_budget`) minus the one-minute load
    average (other processes' runnable work), rounded, at least 1 — the voice encoder picks its threads the
    same way: on a busy machine extra workers only queue behind other work."""
    cores = cpu_budget()
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average on this platform
        idle = float(cores)
    return max(1, min(cores, round(idle)))


class ShownDocument(Document):
    """A checked document's text as the reports show it (source lines, the HTML page), not parsed again."""

    def __init__(self, text: str, *, path: str | None, kind: Kind, channel: str | None) -> None:
        self.text = text
        self.path = path
        self.kind = kind
        self.channel = channel
        self.meta = {}


def _init_worker(source: str | None, version: str, options: dict[str, Any], threads: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
    # a worker never writes the report: standard output goes nowhere (the inherited object is kept, never
    # flushed or collected here, so nothing the parent had buffered can be written twice)
    _STATE["_inherited_stdout"] = sys.stdout
    sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115
    os.environ.setdefault("BRANDRAIL_VOICE_THREADS", str(threads))
    policy = _PARENT_POLICY
    if policy is None or policy.version != version:
        from brandrail.cli.core import load

        if source is None:
            raise InputError("the policy has no file to load in a worker", hint="use --jobs 1")
        loaded = load(Path(source))
        assert isinstance(loaded, Policy)
        if loaded.version != version:
            raise InputError(
                "the policy file changed while the check was starting",
                location=Location(source),
                hint="run the check again",
            )
        policy = loaded
    _STATE.update(policy=policy, options=options)


def _check_chunk(chunk: _Chunk) -> _Out:
    from brandrail.cli._check import check_files

    options = dict(_STATE["options"])
    keep = options.pop("keep_text")
    empties: list[str] = []
    out: list[tuple[Result, tuple[str, str | None, str, str | None] | None]] = []
    for result, doc in check_files(chunk, _STATE["policy"], on_empty=empties.append, **options):
        shown = None
        if doc is not None and (keep == "always" or (keep == "findings" and result.findings)):
            shown = (doc.text, doc.path, doc.kind, doc.channel)
        out.append((result, shown))
    return out, empties


def _context() -> Any:
    """``fork`` where it is safe and cheap (Linux, one thread: nothing to deadlock), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1 and sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop the workers now (after Ctrl-C or an error): cancel what is queued, terminate what runs."""
    processes = dict(getattr(executor, "_processes", None) or {})
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes.values():
        if proc.is_alive():
            proc.terminate()
    for proc in processes.values():
        proc.join(timeout=5)


def _crash_error(chunks: Sequence[_Chunk], initargs: tuple[Any, ...]) -> InputError:
    """Find the file that crashes a worker by checking the files of ``chunks`` (every chunk that was in
    flight: a crash breaks the whole pool, so the first chunk in order to fail need not be the one that
    crashed it) one at a time in a fresh worker."""
    chunk = [item for part in chunks for item in part]
    executor = ProcessPoolExecutor(
        max_workers=1, mp_context=_context(), initializer=_init_worker, initargs=initargs
    )
    try:
        for item in chunk:
            try:
                sys.stdout.flush()
                executor.submit(_check_chunk, [item]).result()
            except BrokenProcessPool:
                return InputError(
                    "a worker process crashed while checking this file",
                    location=Location(item[0]),
                    hint="check it alone with --jobs 1 --debug and report the crash with the file",
                )
    finally:
        _stop(executor)
    names = ", ".join(path for path, _ in chunk[:5]) + (
        f" and {len(chunk) - 5} more" if len(chunk) > 5 else ""
    )
    return InputError(
        f"a worker process ended unexpectedly (out of memory?) while checking one of: {names}",
        location=Location(chunk[0][0]),
        hint="run again, or with --jobs 1",
    )


def check_files_parallel(
    items: Sequence[tuple[str, str]],
    policy: Policy,
    *,
    jobs: int,
    keep_text: str,
    on_empty: Callable[[str], None] | None = None,
    chunk_size: int | None = None,
    **options: Any,
) -> Iterator[tuple[Result, Document | None]]:
    """:func:`~brandrail.cli._check.check_files` over ``jobs`` worker processes, results in file order.

    ``keep_text`` says which results come back with their document's text: ``never``, ``findings`` (those
    with findings: the text report's source lines) or ``always`` (the HTML report)."""
    global _PARENT_POLICY  # noqa: PLW0603
    from brandrail.cli._check import BATCH

    size = chunk_size or BATCH
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    threads = max(1, default_threads_per_worker(jobs))
    initargs = (policy.source, policy.version, {**options, "keep_text": keep_text}, threads)
    _PARENT_POLICY = policy
    executor = ProcessPoolExecutor(
        max_workers=jobs, mp_context=_context(), initializer=_init_worker, initargs=initargs
    )
    pending: deque[tuple[_Chunk, Future[_Out]]] = deque()
    queued = iter(chunks)

    def submit(chunk: _Chunk) -> Future[_Out]:
        # a forked worker starts with a copy of the parent's buffers: nothing may be pending in them
        sys.stdout.flush()
        sys.stderr.flush()
        return executor.submit(_check_chunk, chunk)

    try:
        for chunk in queued:
            pending.append((chunk, submit(chunk)))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            chunk, future = pending.popleft()
            try:
                results, empties = future.result()
            except BrokenProcessPool:
                _stop(executor)
                raise _crash_error([chunk, *(c for c, _ in pending)], initargs) from None
            nxt = next(queued, None)
            if nxt is not None:
                pending.append((nxt, submit(nxt)))
            if on_empty is not None:
                for name in empties:
                    on_empty(name)
            for result, shown in results:
                doc = None
                if shown is not None:
                    text, path, kind, channel = shown
                    doc = ShownDocument(text, path=path, kind=kind, channel=channel)  # type: ignore[arg-type]
                yield result, doc
    except BaseException:
        _stop(executor)
        raise
    finally:
        _PARENT_POLICY = None
        executor.shutdown(wait=True, cancel_futures=True)


def default_threads_per_worker(jobs: int) -> int:
    """Voice-model threads per worker: the CPU budget shared among the workers."""
    return cpu_budget() // max(1, jobs)
