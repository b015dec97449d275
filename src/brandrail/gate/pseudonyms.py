"""Pseudonyms: the only form of a customer the ledger and the gate's tables hold.

A normalised identifier (:mod:`brandrail.gate.identity`) is looked up by its keyed hash — HMAC-SHA256 under
a secret key kept *outside* the database (``gate.privacy.key_file`` or the environment variable
``BRANDRAIL_PSEUDONYM_KEY``) — in ``gate_subjects``, which maps it to a random pseudonym (``p_…``). Frequency
events, consent records, ledger entries and approval requests carry only the pseudonym; suppression records
carry the keyed hash (so a suppressed person stays suppressed after erasure).

Erasure (GDPR Art. 17, ``brandrail privacy erase``) deletes the ``gate_subjects`` rows of the customer's
identifiers and their consent records: the pseudonym in old ledger entries is then a random token nothing
ties back to the person — not even the key — while the hash chain is untouched.

Key rotation: the key file holds one ``id:hex`` key a line, the first one current. Add a new key as the
first line; identifiers hashed under an older key are still found and are re-linked under the current key
when next seen. Removing an old key cuts the links made under it (erasure of everyone not seen since).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

from brandrail.errors import GateError
from brandrail.gate.store import execute
from brandrail.gate.store import tables as t
from brandrail.policy.sections.gate import PrivacyPolicy

if TYPE_CHECKING:
    from brandrail.gate.store import GateStore
    from brandrail.ledger import LedgerEntry

__all__ = [
    "ENV_KEY",
    "Contacts",
    "Erasure",
    "PseudonymKeys",
    "erase_customer",
    "lookup_values",
    "resolve_contacts",
    "resolve_pseudonyms",
]

#: Environment variable holding the key(s): ``id:hex[,id:hex…]`` (first current) or one secret text.
ENV_KEY = "BRANDRAIL_PSEUDONYM_KEY"


@dataclass(frozen=True)
class PseudonymKeys:
    """The HMAC keys, current first."""

    keys: tuple[tuple[str, bytes], ...]
    source: str = "memory"

    def __post_init__(self) -> None:
        if not self.keys:
            raise GateError("no pseudonym key", hint=f"set {ENV_KEY} or gate.privacy.key_file")

    @classmethod
    def parse(cls, text: str, source: str) -> PseudonymKeys:
        keys: list[tuple[str, bytes]] = []
        for n, raw in enumerate(text.replace(",", "\n").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            key_id, sep, value = line.partition(":")
            if not sep:
                key_id, value = f"k{n}", line
            try:
                secret = bytes.fromhex(value.strip())
            except ValueError:
                secret = value.strip().encode()
            if len(secret) < 16:
                raise GateError(
                    f"pseudonym key {key_id!r} is shorter than 16 bytes",
                    location=f"{source}:{n}",
                    hint="use 32 random bytes in hex (brandrail privacy keygen)",
                )
            keys.append((key_id.strip(), secret))
        return cls(tuple(keys), source)

    @classmethod
    def load(cls, policy: PrivacyPolicy) -> PseudonymKeys:
        """From ``BRANDRAIL_PSEUDONYM_KEY`` or the key file (created with a fresh key, mode 0600, if absent)."""
        env = os.environ.get(ENV_KEY)
        if env:
            return cls.parse(env, ENV_KEY)
        path = Path(policy.key_file)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(f"k1:{secrets.token_hex(32)}\n")
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise GateError(f"cannot read the pseudonym key: {exc.strerror}", location=str(path)) from None
        return cls.parse(text, str(path))

    def lookups(self, identifier: str) -> list[str]:
        """The keyed hash of ``identifier`` under each key (current first)."""
        data = identifier.encode("utf-8", "surrogatepass")
        return [hmac.new(secret, data, hashlib.sha256).hexdigest()[:48] for _, secret in self.keys]

    def tag(self, text: str) -> str:
        """A keyed, stable stand-in for a name or id that contains personal data (``h:…``)."""
        data = ("tag\x00" + text).encode("utf-8", "surrogatepass")
        return "h:" + hmac.new(self.keys[0][1], data, hashlib.sha256).hexdigest()[:32]


def lookup_values(keys: PseudonymKeys, identifiers: Sequence[str]) -> list[str]:
    """Every keyed hash of every identifier (for suppression lookups)."""
    return [value for ident in identifiers for value in keys.lookups(ident)]


def resolve_pseudonyms(
    conn: Connection, keys: PseudonymKeys, identifiers: Sequence[str], *, create: bool = True
) -> dict[str, str]:
    """The pseudonym of each identifier (created when new, unless ``create`` is False)."""
    if not identifiers:
        return {}
    lookups = {ident: keys.lookups(ident) for ident in identifiers}
    wanted = [value for values in lookups.values() for value in values]
    names = ", ".join(f":l{i}" for i in range(len(wanted)))
    rows = execute(
        conn,
        f"SELECT lookup, pseudonym FROM gate_subjects WHERE lookup IN ({names})",
        {f"l{i}": value for i, value in enumerate(wanted)},
    ).fetchall()
    found = {str(r[0]): str(r[1]) for r in rows}
    out: dict[str, str] = {}
    missing: list[tuple[str, str]] = []
    for ident, values in lookups.items():
        pseudonym = next((found[v] for v in values if v in found), None)
        if pseudonym is not None:
            out[ident] = pseudonym
            if values[0] not in found and create:  # known under an older key only: re-link
                missing.append((values[0], pseudonym))
        elif create:
            missing.append((values[0], "p_" + secrets.token_hex(12)))
    _link(conn, lookups, missing, out)
    return out


def _link(
    conn: Connection, lookups: dict[str, list[str]], missing: list[tuple[str, str]], out: dict[str, str]
) -> None:
    """Insert the new links; where another writer linked the identifier first, take its pseudonym."""
    if not missing:
        return
    now = t.iso(datetime.now(UTC))
    lost: list[str] = []
    for lookup, pseudonym in missing:
        inserted = execute(
            conn,
            "INSERT INTO gate_subjects (lookup, pseudonym, created_at) VALUES (:l, :p, :t) "
            "ON CONFLICT (lookup) DO NOTHING",
            {"l": lookup, "p": pseudonym, "t": now},
        ).rowcount
        ident = next(i for i, values in lookups.items() if values[0] == lookup)
        if inserted == 1:
            out[ident] = pseudonym
        else:
            lost.append(lookup)
    if lost:  # a concurrent decision linked it first: use its pseudonym
        names = ", ".join(f":l{i}" for i in range(len(lost)))
        rows = execute(
            conn,
            f"SELECT lookup, pseudonym FROM gate_subjects WHERE lookup IN ({names})",
            {f"l{i}": value for i, value in enumerate(lost)},
        ).fetchall()
        for lookup, pseudonym in rows:
            ident = next(i for i, values in lookups.items() if values[0] == lookup)
            out[ident] = str(pseudonym)


#: A consent or suppression row as a send reads it (its flag and ``seq``; None when there is none), the
#: ledger entry of its ``seq`` and whether an entry of the next version exists.
StateCheck = tuple["tuple[bool, int | None] | None", "LedgerEntry | None", bool]


@dataclass(frozen=True)
class Contacts:
    """What :func:`resolve_contacts` read for a send."""

    #: each identifier's pseudonym
    pseudonyms: dict[str, str]
    #: the consent records that count (every withdrawal; the grants of ``grants_from``)
    granted: list[bool]
    #: the first suppression reason ("" when none was given), None when not suppressed
    suppressed: str | None
    #: each pseudonym the send's identifiers had, with its consent row on the channel and that row's entries
    consent: dict[str, StateCheck] = field(default_factory=dict)
    #: each suppression row of the identifiers' keyed hashes on the channel or ``*`` (forgotten ones too),
    #: by (keyed hash, channel), with its entries
    suppression: dict[tuple[str, str], StateCheck] = field(default_factory=dict)
    #: the ids of the first-version suppression entries that exist for the identifiers' keyed hashes
    first_entries: set[str] = field(default_factory=set)
    #: every keyed hash of every identifier (under every key)
    lookups: list[str] = field(default_factory=list)


_ENTRY_COLUMNS = "e.seq, e.id, e.time, e.kind, e.payload, e.policy_version, e.prev_hash, e.hash"
_NO_ENTRY = ", ".join(["NULL"] * 8)


def resolve_contacts(
    conn: Connection,
    keys: PseudonymKeys,
    identifiers: Sequence[str],
    channel: str,
    grants_from: Sequence[str] | None = None,
    *,
    ledger_table: str | None = None,
) -> Contacts:
    """One round trip for a send: each identifier's pseudonym (created when new), the consent records on
    ``channel`` under those pseudonyms — every withdrawal, and the grants of ``grants_from`` only when given
    — and the suppression records under any identifier's keyed hash. With ``ledger_table`` (the quoted
    name of the ledger's table) the same statement reads the ledger entries that bind those rows (see
    :mod:`brandrail.gate.bindings`): each row's entry and whether the next version's exists, and the first
    version's entry of every keyed hash and channel — so rows and entries come from one snapshot."""
    from brandrail.gate.bindings import state_entry_id, state_entry_sql
    from brandrail.ledger import LedgerEntry

    lookups = {ident: keys.lookups(ident) for ident in identifiers}
    counted = None if grants_from is None else {v for ident in grants_from for v in lookups.get(ident, ())}
    wanted = [value for values in lookups.values() for value in values]
    names = ", ".join(f":l{i}" for i in range(len(wanted)))
    params: dict[str, object] = {f"l{i}": value for i, value in enumerate(wanted)}
    params["c"] = channel
    if ledger_table is not None:
        firsts = [
            state_entry_id("suppression", value, ch, 1)
            for value in wanted
            for ch in dict.fromkeys((channel, "*"))
        ]
        params.update({f"f{i}": value for i, value in enumerate(firsts)})

        def entries(
            kind: str, key: str, next_key: str, channel_sql: str, next_channel: str, seq: str
        ) -> tuple[str, str]:
            """The columns and joins of a row's entry (``e``) and of its next version's (``n``)."""
            return (
                f"{_ENTRY_COLUMNS}, n.id",
                f"LEFT JOIN {ledger_table} e ON e.id = "
                + state_entry_sql(kind, key, channel_sql, seq)
                + f" LEFT JOIN {ledger_table} n ON n.id = "
                + state_entry_sql(kind, next_key, next_channel, f"COALESCE({seq}, 0) + 1"),
            )

        # a consent row's next version is keyed by the subject's pseudonym, so a missing row has one too
        consent_entries = entries(
            "consent", "c.recipient", "s.pseudonym", "c.channel", "CAST(:c AS VARCHAR)", "c.seq"
        )
        suppression_entries = entries("suppression", "g.value", "g.value", "g.channel", "g.channel", "g.seq")
        first_names = ", ".join(f":f{i}" for i in range(len(firsts)))
        tail_firsts = (
            f" UNION ALL SELECT 2, id, NULL, NULL, NULL, NULL, {_NO_ENTRY}, NULL FROM {ledger_table} "
            f"WHERE id IN ({first_names})"
        )
    else:
        consent_entries = suppression_entries = (f"{_NO_ENTRY}, NULL", "")
        tail_firsts = ""
    tail = (
        f"UNION ALL SELECT 1, g.value, g.reason, g.suppressed, g.channel, g.seq, {suppression_entries[0]} "
        f"FROM gate_suppression g {suppression_entries[1]} "
        f"WHERE g.value IN ({names}) AND g.channel IN (:c, '*'){tail_firsts}"
    )
    consent_columns = (
        f"0, s.lookup, s.pseudonym, c.granted, CAST(NULL AS VARCHAR), c.seq, {consent_entries[0]}"
    )
    consent_join = (
        f"LEFT JOIN gate_consent c ON c.recipient = s.pseudonym AND c.channel = :c {consent_entries[1]}"
    )
    if conn.dialect.name == "postgresql" and len(keys.keys) == 1:
        # one round trip on PostgreSQL: link new identifiers in the same statement (a data-modifying CTE;
        # an identifier another writer links concurrently is missing from the result and read again below)
        new_rows = ", ".join(f"(CAST(:l{i} AS VARCHAR), CAST(:q{i} AS VARCHAR))" for i in range(len(wanted)))
        params.update({f"q{i}": "p_" + secrets.token_hex(12) for i in range(len(wanted))})
        params["t"] = t.iso(datetime.now(UTC))
        sql = (
            f"WITH new (lookup, pseudonym) AS (VALUES {new_rows}), "
            "ins AS (INSERT INTO gate_subjects (lookup, pseudonym, created_at) "
            "SELECT lookup, pseudonym, CAST(:t AS VARCHAR) FROM new ON CONFLICT (lookup) DO NOTHING "
            "RETURNING lookup, pseudonym), "
            f"subj AS (SELECT lookup, pseudonym FROM gate_subjects WHERE lookup IN ({names}) "
            "UNION ALL SELECT lookup, pseudonym FROM ins) "
            f"SELECT {consent_columns} FROM subj s {consent_join} {tail}"
        )
    else:
        sql = (
            f"SELECT {consent_columns} FROM gate_subjects s {consent_join} WHERE s.lookup IN ({names}) {tail}"
        )
    rows = execute(conn, sql, params).fetchall()
    found: dict[str, str] = {}
    granted: list[bool] = []
    consent: dict[str, StateCheck] = {}
    suppression: dict[tuple[str, str], StateCheck] = {}
    reasons: dict[tuple[str, str], str | None] = {}
    first_entries: set[str] = set()
    for row in rows:
        kind, lookup, text, flag, row_channel, seq = row[:6]
        if int(kind) == 2:
            first_entries.add(str(lookup))
            continue
        entry = LedgerEntry(*row[6:14]) if row[7] is not None else None
        state = None if flag is None else (bool(flag), None if seq is None else int(seq))
        if int(kind) == 1:
            where = (str(lookup), str(row_channel))
            suppression[where] = (state, entry, row[14] is not None)
            reasons[where] = text
            continue
        found[str(lookup)] = str(text)
        consent[str(text)] = (state, entry, row[14] is not None)
        if flag is not None and (not flag or counted is None or str(lookup) in counted):
            granted.append(bool(flag))
    active = sorted(where for where, (state, _, _) in suppression.items() if state is not None and state[0])
    suppressed = str(reasons[active[0]] or "") if active else None
    out: dict[str, str] = {}
    missing: list[tuple[str, str]] = []
    for ident, values in lookups.items():
        pseudonym = next((found[v] for v in values if v in found), None)
        if pseudonym is not None:
            out[ident] = pseudonym
            if values[0] not in found:
                missing.append((values[0], pseudonym))
        else:
            missing.append((values[0], "p_" + secrets.token_hex(12)))
    _link(conn, lookups, missing, out)
    if len(out) < len(lookups):  # pragma: no cover - defensive: every identifier has a pseudonym by now
        raise GateError("could not link a recipient identifier to its pseudonym")
    return Contacts(out, granted, suppressed, consent, suppression, first_entries, wanted)


@dataclass(frozen=True)
class Erasure:
    """What :func:`erase_customer` removed."""

    identifier_type: str
    links: int
    consent_records: int
    suppression_records: int

    def to_dict(self) -> dict[str, object]:
        return {
            "schema_version": 1,
            "identifier_type": self.identifier_type,
            "links_deleted": self.links,
            "consent_records_deleted": self.consent_records,
            "suppression_records_deleted": self.suppression_records,
        }


def erase_customer(store: GateStore, customer: str, *, forget_suppression: bool = False) -> Erasure:
    """Honour an erasure request (GDPR Art. 17) for ``customer`` (an id, e-mail address or phone number).

    Deletes the links from the customer's identifier to its pseudonym (under every key) and the consent
    records kept under that pseudonym; with ``forget_suppression`` also lifts the suppression records (by
    default they stay, as keyed hashes: an erased person who opted out must not be contacted again). A
    lifted suppression stays as a row marked not suppressed, and the ledger keeps its entries (the keyed
    hash, no address): both are what shows that it was lifted by the gate rather than deleted. Ledger entries
    are not touched — the chain still verifies — and name only the pseudonym, which nothing ties back to
    the customer any more. The erasure itself is a ledger entry that names no one.
    """
    from brandrail.gate.identity import identifier_forms, normalise_identifier

    ident = normalise_identifier(customer, store.phone_region)
    keys = store.keys
    # the identifier and, for an e-mail address, its mailbox (where consent and suppression are kept too)
    lookups = [value for form in identifier_forms(ident) for value in keys.lookups(form)]
    names = ", ".join(f":l{i}" for i in range(len(lookups)))
    params = {f"l{i}": value for i, value in enumerate(lookups)}
    with store.transaction() as conn:
        pseudonyms = sorted(
            {
                str(r[0])
                for r in execute(
                    conn, f"SELECT pseudonym FROM gate_subjects WHERE lookup IN ({names})", params
                ).fetchall()
            }
        )
        links = consent = suppressed = 0
        if pseudonyms:
            pnames = ", ".join(f":p{i}" for i in range(len(pseudonyms)))
            pparams = {f"p{i}": value for i, value in enumerate(pseudonyms)}
            links = execute(
                conn, f"DELETE FROM gate_subjects WHERE pseudonym IN ({pnames})", pparams
            ).rowcount
            consent = execute(
                conn, f"DELETE FROM gate_consent WHERE recipient IN ({pnames})", pparams
            ).rowcount
        if forget_suppression:
            # no longer suppressed, each change a ledger entry: a row simply deleted would read as one
            # deleted behind the gate's back (and keep the person suppressed)
            rows = execute(
                conn,
                f"SELECT value, channel FROM gate_suppression WHERE value IN ({names}) AND suppressed "
                "ORDER BY value, channel",
                params,
            ).fetchall()
            now = t.iso(datetime.now(UTC))
            for value, channel in rows:
                store.write_state(
                    conn, "suppression", str(value), str(channel), False, {"reason": None, "added_at": now}
                )
            suppressed = len(rows)
        result = Erasure(ident.split(":", 1)[0], int(links), int(consent), int(suppressed))
        store.ledger.append(
            conn,
            kind="erasure",
            payload={**result.to_dict(), "forget_suppression": forget_suppression},
            policy_version="",
        )
    return result
