"""Chain verification: one streaming pass that finds and names every kind of tampering.

For each row (in ascending ``seq`` order) the pass recomputes the hash and works out the row's
*original* sequence number — its own ``seq`` when the hash matches, otherwise a nearby number for which
the hash matches (the row was moved: renumbered or swapped). Rows whose hash matches no sequence number
were edited. Original numbers that never appear are deleted entries; an original number that appears
twice, or an entry that the next entry's ``prev_hash`` skips over, is an inserted entry; rows standing at
another number than they were written with are reordered. A broken ``prev_hash`` link between two intact
entries means the earlier one was edited and its hash recomputed. Memory is constant apart from the
problems found (capped by ``max_problems``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from brandrail.ledger._canonical import GENESIS_HASH, entry_hash, hash_input_parts
from brandrail.ledger._entry import Problem, VerifyReport

if TYPE_CHECKING:
    from brandrail.ledger._checkpoint import Checkpoint

__all__ = ["verify_rows"]

# How far from its position a moved entry is searched for (first entry of a renumbered run only);
# open gaps (numbers not seen yet) are searched too.
_SEARCH = 16
# Stop the wider search after this many entries, so a wholesale-edited ledger still verifies quickly.
_MAX_SEARCHES = 2000
# Entries renumbered by up to this many places are found by a further search (only for entries whose
# hash and link both fail), which costs at most _WIDE_BUDGET hash computations per verification in all.
_WIDE = 65_536
_WIDE_BUDGET = 1_500_000


def _find_seq(
    fields: tuple[str, str, str, str, str, str], stored: str, candidates: list[int], seq: int
) -> int | None:
    """The sequence number among ``candidates`` with which ``fields`` hash to ``stored``, if any."""
    prefix, suffix = hash_input_parts(fields)
    try:
        head = hashlib.sha256(prefix.encode("utf-8", "surrogatepass"))
        tail = suffix.encode("utf-8", "surrogatepass")
    except UnicodeEncodeError:  # pragma: no cover - lone surrogates were refused at append
        return None
    for cand in candidates:
        if cand == seq or cand < 1:
            continue
        digest = head.copy()
        digest.update(b"%d" % cand)
        digest.update(tail)
        if digest.hexdigest() == stored:
            return cand
    return None


@dataclass(slots=True)
class _Row:
    seq: int
    stored: str
    computed: str
    orig: int
    status: str  # "ok" | "moved" | "edited"
    problem: int | None = None  # index into problems


class _Problems:
    def __init__(self, limit: int) -> None:
        self.items: list[Problem | None] = []
        self.limit = limit
        self.truncated = False

    def add(self, seq: int, kind: str, detail: str) -> int | None:
        if len(self.items) >= self.limit:
            self.truncated = True
            return None
        self.items.append(Problem(seq, kind, detail))
        return len(self.items) - 1

    def replace(self, index: int, problem: Problem) -> None:
        self.items[index] = problem

    def final(self) -> list[Problem]:
        return sorted((p for p in self.items if p is not None), key=lambda p: (p.seq, p.kind))


def _text(value: Any) -> str:
    """A stored value as text, for a row holding something other than text (see :func:`verify_rows`)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value if isinstance(value, str) else repr(value)


def _span(lo: int, hi: int) -> str:
    return f"{lo}" if lo == hi else f"{lo}..{hi}"


def _entries(lo: int, hi: int) -> str:
    return f"entry {lo}" if lo == hi else f"entries {lo}..{hi}"


def verify_rows(
    rows: Iterable[tuple[Any, ...]], *, checkpoint: Checkpoint | None = None, max_problems: int = 1000
) -> VerifyReport:
    """Verify rows ``(seq, id, time, kind, payload, policy_version, prev_hash, hash)`` in ascending seq."""
    problems = _Problems(max_problems)
    genesis = _Row(0, GENESIS_HASH, GENESIS_HASH, 0, "ok")
    prev = genesis
    pprev: _Row | None = None
    max_orig = 0
    gaps: list[list[int]] = []  # original numbers not (yet) seen: [lo, hi]
    run: list[int] | None = None  # moved run: [first seq, last seq, offset]
    searches = 0
    wide_budget = _WIDE_BUDGET
    count = 0
    head_pv: str | None = None
    cp_hash: str | None = None
    cp_seq = checkpoint.seq if checkpoint is not None else None

    def flush_run() -> None:
        nonlocal run
        if run is None:
            return
        first, last, offset = run
        what = "holds the entry" if first == last else "hold the entries"
        problems.add(
            first,
            "reordered",
            f"seq {_span(first, last)} {what} written as seq {_span(first + offset, last + offset)}",
        )
        run = None

    sha256 = hashlib.sha256
    enc = encode_basestring
    for seq, entry_id, time, kind, payload, policy_version, prev_hash, stored in rows:
        count += 1
        # Fast path, inlined: the hash of an untouched entry that links to the one before.
        try:
            computed = sha256(
                f'{{"id":{enc(entry_id)},"kind":{enc(kind)},"payload":{payload},'
                f'"policy_version":{enc(policy_version)},"prev_hash":{enc(prev_hash)},"seq":{seq:d},'
                f'"time":{enc(time)}}}'.encode()
            ).hexdigest()
        except (TypeError, ValueError, UnicodeEncodeError):
            computed = ""
        if computed == stored and prev_hash == prev.stored and seq == max_orig + 1 and run is None:
            max_orig = seq
            pprev, prev = prev, _Row(seq, stored, computed, seq, "ok")
            if seq == cp_seq:
                cp_hash = stored
            head_pv = policy_version
            continue

        # Slow path: work out what happened.
        seq = int(seq)
        fields = (entry_id, time, kind, payload, policy_version, prev_hash)
        if all(type(value) is str for value in fields):
            computed = entry_hash(seq, fields)
        else:
            # a value of another type (a SQLite blob or number where the ledger writes text): the entry is not
            # what was written, whatever its bytes say; its text form is searched for, never matched as is
            entry_id, time, kind = _text(entry_id), _text(time), _text(kind)
            payload, policy_version, prev_hash = _text(payload), _text(policy_version), _text(prev_hash)
            fields = (entry_id, time, kind, payload, policy_version, prev_hash)
            computed = ""
        stored = _text(stored)
        status = "ok"
        orig = seq
        if computed != stored:
            candidates = [prev.orig + 1, seq + 1, seq - 1]
            if searches < _MAX_SEARCHES:
                searches += 1
                candidates += [seq + d for d in range(2, _SEARCH + 1)]
                candidates += [seq - d for d in range(2, _SEARCH + 1)]
                # an entry moved far away may fill a gap left where it was written
                candidates += [n for lo, hi in gaps for n in range(lo, min(hi, lo + _SEARCH) + 1)][:256]
            found = _find_seq(fields, stored, candidates, seq)
            if found is None and wide_budget > 0 and prev_hash != prev.stored:
                # the first entry of a block renumbered after a large deletion or insertion (its link
                # to the entry before is broken too): search further out
                wide = [seq + s * d for d in range(_SEARCH + 1, _WIDE + 1) for s in (1, -1)]
                wide = wide[:wide_budget]
                wide_budget -= len(wide)
                found = _find_seq(fields, stored, wide, seq)
            status, orig = ("moved", found) if found is not None else ("edited", seq)
        row = _Row(seq, stored, computed, orig, status)

        # Moved entries: merge runs with the same offset into one problem.
        if status == "moved":
            offset = orig - seq
            if run is not None and run[1] == seq - 1 and run[2] == offset:
                run[1] = seq
            else:
                flush_run()
                run = [seq, seq, offset]
        else:
            flush_run()
        if status == "edited":
            row.problem = problems.add(
                seq,
                "edited",
                "the entry's fields do not match its hash (payload, kind, time, id, policy_version or "
                "prev_hash changed, or the hash itself)",
            )

        # Order of original numbers: gaps are deletions unless a later entry fills them (reordering).
        duplicate = False
        if orig == max_orig + 1:
            max_orig = orig
        elif orig > max_orig + 1:
            gaps.append([max_orig + 1, orig - 1])
            max_orig = orig
        else:
            for gap in gaps:
                if gap[0] <= orig <= gap[1]:
                    if gap[0] == gap[1]:
                        gaps.remove(gap)
                    elif orig == gap[0]:
                        gap[0] += 1
                    elif orig == gap[1]:
                        gap[1] -= 1
                    else:
                        gaps.append([orig + 1, gap[1]])
                        gap[1] = orig - 1
                    break
            else:
                duplicate = True

        # The link to the entry before.
        inserted_prev = False
        if prev_hash != prev.stored:
            if prev.status == "edited" and prev_hash == prev.computed and prev.problem is not None:
                problems.replace(
                    prev.problem,
                    Problem(
                        prev.seq,
                        "edited",
                        "the entry's stored hash was changed (its fields still hash to the value "
                        f"entry {seq} commits to)",
                    ),
                )
            elif pprev is not None and prev_hash == pprev.stored and prev.seq > 0 and prev.status != "moved":
                inserted_prev = True
                detail = f"no entry commits to it: entry {seq} links to entry {pprev.seq} before it"
                if prev.problem is not None:
                    problems.replace(prev.problem, Problem(prev.seq, "inserted", detail))
                else:
                    problems.add(prev.seq, "inserted", detail)
            elif status == "moved" or prev.status == "moved" or orig != prev.orig + 1:
                pass  # explained by the reordering or deletion reported elsewhere
            elif status == "edited" or prev.status == "edited":
                pass  # explained by the edit already reported
            elif prev.seq == 0:
                problems.add(seq, "broken_link", "the first entry does not start from the genesis hash")
            else:
                problems.add(
                    prev.seq,
                    "edited",
                    f"the entry was changed and its hash recomputed: entry {seq} commits to a different hash",
                )
        if duplicate and not inserted_prev:
            problems.add(seq, "inserted", f"a second entry claims sequence number {orig}")

        if seq == cp_seq:
            cp_hash = stored
        pprev, prev = prev, row
        head_pv = policy_version
    flush_run()
    for lo, hi in gaps:
        problems.add(lo, "deleted", f"{_entries(lo, hi)} missing")

    head_seq, head_hash = prev.seq, prev.stored
    if checkpoint is not None:
        if head_seq < checkpoint.seq:
            problems.add(
                head_seq + 1,
                "truncated",
                f"the checkpoint signed at {checkpoint.time} covers seq 1..{checkpoint.seq}; the ledger ends "
                f"at seq {head_seq}: {_entries(head_seq + 1, checkpoint.seq)} removed",
            )
        elif checkpoint.seq > 0 and cp_hash is None:
            pass  # the entry at the checkpoint's seq is missing: reported as deleted
        elif (cp_hash if checkpoint.seq > 0 else GENESIS_HASH) != checkpoint.head_hash:
            problems.add(
                checkpoint.seq,
                "rewritten",
                f"entry {checkpoint.seq} does not have the hash the checkpoint signed at {checkpoint.time} "
                f"({checkpoint.head_hash[:16]}…): the chain up to it was rewritten",
            )
    final = problems.final()
    return VerifyReport(
        ok=not final and not problems.truncated,
        count=count,
        problems=final,
        head_seq=head_seq,
        head_hash=head_hash,
        head_policy_version=head_pv,
        checkpoint=checkpoint,
        problems_truncated=problems.truncated,
    )
