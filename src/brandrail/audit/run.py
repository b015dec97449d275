"""The content audit on one machine: batches checked by a process pool, written as Parquet parts, resumable.

Memory stays flat whatever the input: the source is streamed in batches, at most ``2 × workers`` batches are
in flight, and each worker writes its own parts. An interrupted run (Ctrl-C, a crash, a killed machine)
continues from the batches already marked complete when it is started again with the same arguments.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from brandrail.audit.parts import completed_batches, prepare_out, write_marker, write_parts
from brandrail.audit.source import Source, open_source
from brandrail.audit.worker import Mapping_, check_batch, policy_from_spec, policy_spec
from brandrail.errors import DataError, UsageError
from brandrail.policy import Policy

__all__ = ["RunInfo", "batch_digest", "default_workers", "resolve_mapping", "run_local", "validate_source"]

#: Bump when the layout of the output folder changes (a folder of another layout is not resumed).
LAYOUT_VERSION = 1

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class RunInfo:
    """What a run did: rows read, messages checked, findings, what was skipped and why, and how."""

    rows: int = 0
    messages: int = 0
    findings: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    resumed_batches: int = 0
    workers: int = 1
    engine: str = "local"


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_mapping(policy: Policy, overrides: Mapping[str, Any] | None = None) -> Mapping_:
    """The column mapping: the policy's ``audit.content`` with ``overrides`` (non-None values) on top."""
    section = policy.audit.content
    values: dict[str, Any] = {
        "text": section.text,
        "id": section.id,
        "channel": section.channel,
        "sent_at": section.sent_at,
        "model": section.model,
        "campaign": section.campaign,
        "kind": section.kind,
        "metadata": dict(section.metadata),
    }
    for key, value in (overrides or {}).items():
        if key not in values:
            raise UsageError(f"unknown column mapping key {key!r}", hint=f"keys: {', '.join(values)}")
        if value is not None:
            values[key] = value
    kind = values["kind"]
    metadata = tuple(sorted((str(col), str(key)) for col, key in dict(values["metadata"]).items()))
    return Mapping_(
        text=values["text"],
        id=values["id"],
        channel=values["channel"],
        sent_at=values["sent_at"],
        model=values["model"],
        campaign=values["campaign"],
        kind=kind,
        metadata=metadata,
    )


def validate_source(source: Source, mapping: Mapping_, policy: Policy) -> None:
    """Every mapped column exists; every channel value is a channel of the policy (else list them); the id
    column names one message per value (else list the values on most rows)."""
    fields = [
        ("text", mapping.text),
        ("id", mapping.id),
        ("channel", mapping.channel),
        ("sent_at", mapping.sent_at),
        ("model", mapping.model),
        ("campaign", mapping.campaign),
    ]
    fields += [(f"metadata.{key}", col) for col, key in mapping.metadata]
    for name, column in fields:
        if column is not None:
            source.require(column, f"audit.content.{name}")
    kind = source.non_text_type(mapping.text)
    if kind is not None:  # numbers or lists would be checked as their printed form, and pass
        raise DataError(
            f"column {mapping.text!r} (audit.content.text) holds {kind} values, not text, in {source.describe}",
            hint="map the column that holds each message's text (--text COLUMN)",
        )
    if mapping.id is not None:
        _require_unique_ids(source, mapping.id)
    if mapping.channel is not None:
        counts = source.value_counts(mapping.channel)
        unknown = {
            str(value): n
            for value, n in counts.items()
            if value is not None and str(value) not in policy.channels
        }
        if unknown:
            listed = ", ".join(
                f"{value!r} ({n:,} rows)" for value, n in sorted(unknown.items(), key=lambda kv: -kv[1])
            )
            known = ", ".join(sorted(policy.channels)) or "none"
            raise DataError(
                f"channel column {mapping.channel!r} has values that are not channels of the policy: {listed}",
                hint=f"the policy's channels are: {known}; add them under channels: or map the values first",
            )


def _require_unique_ids(source: Source, column: str) -> None:
    """Findings name their message by its id, and the rule rates and the what-if count messages by it: an
    id on several rows would merge those messages (a rule on 9 of 10 rows sharing one id read as 1 of 10)."""
    repeated, how_many = source.duplicates(column)
    if not how_many:
        return
    listed = ", ".join(f"{value!r} ({n:,} rows)" for value, n in repeated)
    more = f" and {how_many - len(repeated):,} more" if how_many > len(repeated) else ""
    raise DataError(
        f"id column {column!r} (audit.content.id) is not unique in {source.describe}: {how_many:,} "
        f"value{'s are' if how_many != 1 else ' is'} on more than one row: {listed}{more}",
        hint="map a column that is unique per message (--id COLUMN), or map none (no audit.content.id in "
        "the policy, no --id) to number the rows #0, #1, …",
    )


# -- worker process side ---------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(spec: dict[str, Any], mapping: Mapping_, out: str) -> None:
    _WORKER["mapping"] = mapping
    _WORKER["out"] = Path(out)
    try:
        _WORKER["policy"] = policy_from_spec(spec)
    except Exception as exc:  # raised again by the first task, so the parent sees the reason
        _WORKER["error"] = exc


def _work(index: int, batch: dict[str, list[Any]], offset: int) -> dict[str, Any]:
    if "error" in _WORKER:
        raise _WORKER["error"]
    output = check_batch(batch, _WORKER["mapping"], _WORKER["policy"], offset=offset)
    write_parts(_WORKER["out"], index, output.findings, output.messages)
    return {
        "rows": len(batch[_WORKER["mapping"].text]),
        "messages": len(output.messages["message_id"]),
        "findings": len(output.findings["message_id"]),
        "skipped": output.skipped,
    }


# -- driver -------------------------------------------------------------------------------------------------


def run_local(
    source: Source,
    policy: Policy,
    mapping: Mapping_,
    out: Path,
    *,
    workers: int | None = None,
    batch_size: int = 5000,
    fresh: bool = False,
    progress: Progress | None = None,
) -> RunInfo:
    """Audit ``source`` into ``out`` with ``workers`` processes (default: every core); resume when possible."""
    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    workers = workers or default_workers()
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    validate_source(source, mapping, policy)
    ordered = source.kind == "duckdb" or mapping.id is not None
    state = {
        "layout": LAYOUT_VERSION,
        "source": source.describe,
        "fingerprint": source.fingerprint(),
        "columns": {
            "text": mapping.text,
            "id": mapping.id,
            "channel": mapping.channel,
            "sent_at": mapping.sent_at,
            "model": mapping.model,
            "campaign": mapping.campaign,
            "kind": mapping.kind,
            "metadata": dict(mapping.metadata),
        },
        "policy_version": policy.version,
        "batch_size": batch_size,
    }
    resumed = prepare_out(out, state, fresh=fresh)
    if resumed and not ordered:
        raise UsageError(
            "cannot resume: a PostgreSQL source without a message id column has no stable order",
            hint="map audit.content.id (or --id COLUMN), or pass --fresh",
        )
    done = completed_batches(out) if resumed else {}
    total = source.count()
    info = RunInfo(workers=workers, resumed_batches=len(done))
    for marker in done.values():
        _add(info, marker)
    if progress:
        progress(info.rows, total)
    columns = mapping.columns()
    batches = source.batches(
        columns,
        batch_size,
        order_by=mapping.id if source.kind == "postgres" and mapping.id else None,
        timestamp=mapping.sent_at,
    )
    spec = policy_spec(policy)
    digests: dict[int, str] = {}

    def todo() -> Iterator[tuple[int, dict[str, list[Any]]]]:
        """The batches still to check; a batch done before must hold the same rows as then."""
        count = 0
        for index, batch in enumerate(batches):
            count = index + 1
            if index in done:
                _same_input(done[index], batch, index, mapping.text, batch_size)
                continue
            digests[index] = batch_digest(batch)
            yield index, batch
        gone = sorted(i for i in done if i >= count)
        if gone:  # the source now ends before batches that were done
            raise _changed(gone[0], batch_size, "is gone")

    def finish(index: int, result: dict[str, Any]) -> None:
        result = {**result, "digest": digests.pop(index)}
        write_marker(out, index, result)
        _add(info, result)
        if progress:
            progress(info.rows, total)

    try:
        if workers == 1:
            _init_worker(spec, mapping, str(out))
            for index, batch in todo():
                finish(index, _work(index, batch, index * batch_size))
        else:
            _run_pool(todo(), workers, spec, mapping, out, batch_size, finish)
    finally:
        # an interrupted or failed run ends the read now: a PostgreSQL cursor left to the garbage collector
        # stays "idle in transaction", holding its lock on the table (a DROP or ALTER waits behind it)
        batches.close()
    return info


def _run_pool(
    batches: Iterator[tuple[int, dict[str, list[Any]]]],
    workers: int,
    spec: dict[str, Any],
    mapping: Mapping_,
    out: Path,
    batch_size: int,
    finish: Callable[[int, dict[str, Any]], None],
) -> None:
    pending: dict[Future[dict[str, Any]], int] = {}
    limit = 2 * workers
    with ProcessPoolExecutor(
        max_workers=workers,
        # fork: no `if __name__ == "__main__"` needed in user scripts; workers never touch the parent's
        # DuckDB connection. Elsewhere (macOS, Windows) spawn.
        mp_context=get_context("fork" if "fork" in get_all_start_methods() else "spawn"),
        initializer=_init_worker,
        initargs=(spec, mapping, str(out)),
    ) as pool:
        try:
            for index, batch in batches:
                pending[pool.submit(_work, index, batch, index * batch_size)] = index
                if len(pending) >= limit:
                    _drain(pending, finish, FIRST_COMPLETED)
            _drain(pending, finish, None)
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _drain(
    pending: dict[Future[dict[str, Any]], int],
    finish: Callable[[int, dict[str, Any]], None],
    until: str | None,
) -> None:
    while pending:
        completed, _ = wait(list(pending), return_when=until or "ALL_COMPLETED")
        for future in sorted(completed, key=lambda f: pending[f]):
            index = pending.pop(future)
            finish(index, future.result())
        if until is not None:
            return


def batch_digest(batch: Mapping[str, Any]) -> str:
    """A hash of a batch's input rows (column names and every value, in order): a resumed run compares it with
    the digest the batch had when it was checked, so a table that changed in between is noticed."""
    digest = hashlib.sha256()
    for name in sorted(batch):
        digest.update(b"\x1e" + name.encode("utf-8", "surrogatepass"))
        for value in batch[name]:
            digest.update(b"\x1f" + type(value).__name__.encode() + b":")
            digest.update(repr(value).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _changed(index: int, batch_size: int, what: str) -> DataError:
    return DataError(
        f"the source changed since the earlier run in this folder: batch {index} (from row "
        f"{index * batch_size:,}) {what}, so resuming would check some messages twice and others never",
        hint="pass --fresh to audit the source as it is now",
    )


def _same_input(
    marker: Mapping[str, Any], batch: Mapping[str, Any], index: int, text: str, size: int
) -> None:
    """Raise when batch ``index`` is no longer the rows it was when it was checked (before a resume)."""
    recorded = marker.get("digest")  # absent in markers written before digests were kept
    if int(marker.get("rows", -1)) == len(batch[text]) and (
        recorded is None or recorded == batch_digest(batch)
    ):
        return
    raise _changed(index, size, "no longer holds the rows that were checked")


def _add(info: RunInfo, result: Mapping[str, Any]) -> None:
    info.rows += int(result.get("rows", 0))
    info.messages += int(result.get("messages", 0))
    info.findings += int(result.get("findings", 0))
    info.batches += 1
    for reason, n in dict(result.get("skipped", {})).items():
        info.skipped[reason] = info.skipped.get(reason, 0) + int(n)


def open_and_run(
    data: str | None,
    policy: Policy,
    out: Path,
    *,
    db: str | None = None,
    table: str | None = None,
    query: str | None = None,
    columns: Mapping[str, Any] | None = None,
    workers: int | None = None,
    batch_size: int = 5000,
    fresh: bool = False,
    progress: Progress | None = None,
) -> RunInfo:
    """Open the source and run the local engine (the library entry point's first half)."""
    source = open_source(data, db=db, table=table, query=query)
    try:
        return run_local(
            source,
            policy,
            resolve_mapping(policy, columns),
            out,
            workers=workers,
            batch_size=batch_size,
            fresh=fresh,
            progress=progress,
        )
    finally:
        source.close()
