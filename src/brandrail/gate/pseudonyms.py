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
    from brandrail.ledger import Ledger, LedgerEntry, PreparedEntry

__all__ = [
    "ENV_KEY",
    "PENDING_LINKS",
    "Contacts",
    "Erasure",
    "PseudonymKeys",
    "bind_links",
    "erase_customer",
    "ledger_table_sql",
    "link_entry",
    "lookup_values",
    "record_links",
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

    def claim_ref(self, text: str) -> str:
        """A keyed reference to an identity an action claims (``key_id:digest``), for comparing it with a
        reviewer's later without storing it: :meth:`claims` checks one under the key it names."""
        key_id, secret = self.keys[0]
        return f"{key_id}:{self._claim_digest(secret, text)}"

    def claims(self, ref: str, text: str) -> bool | None:
        """Whether ``ref`` (from :meth:`claim_ref`) refers to ``text``; None when its key is not loaded."""
        key_id, _, digest = ref.partition(":")
        secret = dict(self.keys).get(key_id)
        if secret is None:
            return None
        return hmac.compare_digest(self._claim_digest(secret, text), digest)

    @staticmethod
    def _claim_digest(secret: bytes, text: str) -> str:
        data = ("claim\x00" + text).encode("utf-8", "surrogatepass")
        return hmac.new(secret, data, hashlib.sha256).hexdigest()[:32]

    def tag(self, text: str) -> str:
        """A keyed, stable stand-in for a name or id that contains personal data (``h:…``)."""
        data = ("tag\x00" + text).encode("utf-8", "surrogatepass")
        return "h:" + hmac.new(self.keys[0][1], data, hashlib.sha256).hexdigest()[:32]


def lookup_values(keys: PseudonymKeys, identifiers: Sequence[str]) -> list[str]:
    """Every keyed hash of every identifier (for suppression lookups)."""
    return [value for ident in identifiers for value in keys.lookups(ident)]


def ledger_table_sql(ledger: Ledger) -> str:
    """The ledger's table, quoted (and schema-qualified) for plain SQL."""
    return f'"{ledger.schema}"."{ledger.table_name}"' if ledger.schema else f'"{ledger.table_name}"'


def record_links(
    conn: Connection, ledger: Ledger, links: Sequence[tuple[str, str, str]], *, adopted: bool = False
) -> None:
    """Append the ``link`` entry of links ``(lookup, pseudonym, binding)`` written together (their bindings
    share the prefix that names it; see :func:`brandrail.gate.bindings.new_link_bindings`)."""
    from brandrail.gate.bindings import link_digest, link_entry_id, link_payload

    if not links:
        return
    ledger.append(
        conn,
        kind="link",
        payload=link_payload([link_digest(b, lookup, p) for lookup, p, b in links], adopted=adopted),
        policy_version="",
        entry_id=link_entry_id(links[0][2]),
    )


def link_entry(ledger: Ledger, links: Sequence[tuple[str, str, str]]) -> PreparedEntry | None:
    """The ``link`` entry :func:`record_links` appends for ``links``, prepared (:meth:`Ledger.prepare`) for
    a caller that appends it together with its own entry (one statement: :meth:`Ledger.append`'s
    ``preceding``); None when there are no links."""
    from brandrail.gate.bindings import link_digest, link_entry_id, link_payload

    if not links:
        return None
    return ledger.prepare(
        kind="link",
        payload=link_payload([link_digest(b, lookup, p) for lookup, p, b in links]),
        policy_version="",
        entry_id=link_entry_id(links[0][2]),
    )


#: ``Connection.info`` key of the links a decision wrote whose ``link`` entry is still to be appended
PENDING_LINKS = "brandrail.gate.pending_links"


def bind_links(conn: Connection, ledger: Ledger, links: list[tuple[str, str, str]], *, defer: bool) -> None:
    """Record new links ``(lookup, pseudonym, binding)``: now, or (``defer``) when the transaction of
    :meth:`GateStore.transaction` ends. A decision defers: appending takes the ledger's lock (PostgreSQL),
    which a decision takes only after its window locks — taking it earlier, while another decision holds a
    window lock and waits for the ledger's, would deadlock."""
    if not links:
        return
    if defer:
        conn.info.setdefault(PENDING_LINKS, []).extend(links)
    else:
        record_links(conn, ledger, links)


def resolve_pseudonyms(
    conn: Connection,
    keys: PseudonymKeys,
    identifiers: Sequence[str],
    *,
    ledger: Ledger,
    create: bool = True,
    defer: bool = False,
) -> dict[str, str]:
    """The pseudonym of each identifier (created when new, unless ``create`` is False). A link that does
    not match its ``link`` entry in ``ledger`` (relinked, or written outside the gate) raises
    :class:`GateError`: whom the identifier belongs to is then not known (a decision denies). ``defer``:
    the new links' ``link`` entry is appended when the transaction of :meth:`GateStore.transaction` ends
    (see :func:`bind_links`), not now."""
    if not identifiers:
        return {}
    lookups = {ident: keys.lookups(ident) for ident in identifiers}
    found: dict[str, str] = {}
    for lookup, (linked, problem) in _checked_links(
        conn, ledger, [value for values in lookups.values() for value in values]
    ).items():
        if problem is not None:
            raise GateError(
                f"the link from a recipient identifier to its pseudonym {problem}: whom it belongs to is not "
                "known",
                hint="the gate's tables were changed outside the gate; run `brandrail ledger verify`",
            )
        found[lookup] = linked
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
    _link(conn, ledger, lookups, missing, out, defer=defer)
    return out


def _link(
    conn: Connection,
    ledger: Ledger,
    lookups: dict[str, list[str]],
    missing: list[tuple[str, str]],
    out: dict[str, str],
    *,
    defer: bool,
) -> None:
    """Insert the new links, recorded by one ``link`` entry (now, or deferred: :func:`bind_links`); where
    another writer linked the identifier first, take its pseudonym (bound by that writer's entry,
    committed before this insert returned)."""
    from brandrail.gate.bindings import new_link_bindings

    if not missing:
        return
    now = t.iso(datetime.now(UTC))
    lost: list[str] = []
    written: list[tuple[str, str, str]] = []
    for (lookup, pseudonym), binding in zip(missing, new_link_bindings(len(missing)), strict=True):
        inserted = execute(
            conn,
            "INSERT INTO gate_subjects (lookup, pseudonym, created_at, binding) VALUES (:l, :p, :t, :b) "
            "ON CONFLICT (lookup) DO NOTHING",
            {"l": lookup, "p": pseudonym, "t": now, "b": binding},
        ).rowcount
        ident = next(i for i, values in lookups.items() if values[0] == lookup)
        if inserted == 1:
            out[ident] = pseudonym
            written.append((lookup, pseudonym, binding))
        else:
            lost.append(lookup)
    bind_links(conn, ledger, written, defer=defer)
    if lost:  # a concurrent decision linked it first: use its pseudonym (checked, as any link read)
        for lookup, (pseudonym, problem) in _checked_links(conn, ledger, lost).items():
            if problem is not None:
                raise GateError(
                    f"the link from a recipient identifier to its pseudonym {problem}",
                    hint="the gate's tables were changed outside the gate; run `brandrail ledger verify`",
                )
            ident = next(i for i, values in lookups.items() if values[0] == lookup)
            out[ident] = pseudonym


def _checked_links(conn: Connection, ledger: Ledger, wanted: list[str]) -> dict[str, tuple[str, str | None]]:
    """The links of the keyed hashes ``wanted``, read with their ``link`` entries in one statement:
    lookup → (pseudonym, why the link is not one the gate recorded, or None)."""
    from brandrail.gate.bindings import LINK_ENTRY_SQL, link_problem
    from brandrail.ledger import LedgerEntry

    names = ", ".join(f":l{i}" for i in range(len(wanted)))
    rows = execute(
        conn,
        f"SELECT s.lookup, s.pseudonym, s.binding, {_LINK_COLUMNS} FROM gate_subjects s "
        f"LEFT JOIN {ledger_table_sql(ledger)} k ON k.id = {LINK_ENTRY_SQL} WHERE s.lookup IN ({names})",
        {f"l{i}": value for i, value in enumerate(wanted)},
    ).fetchall()
    out: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        entry = LedgerEntry(*row[3:11]) if row[4] is not None else None
        out[str(row[0])] = (str(row[1]), link_problem(str(row[0]), str(row[1]), row[2], entry))
    return out


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
    #: the identifiers' links that do not match their ``link`` entries (see
    #: :func:`brandrail.gate.bindings.link_problem`)
    link_problems: list[str] = field(default_factory=list)
    #: with ``gpc_channel``: each pseudonym's consent row on that channel (a remembered GPC signal) with its
    #: entries, read in the same statement
    gpc: dict[str, StateCheck] = field(default_factory=dict)


_ENTRY_COLUMNS = "e.seq, e.id, e.time, e.kind, e.payload, e.policy_version, e.prev_hash, e.hash"
#: the columns of a link's ``link`` entry (aliased ``k``)
_LINK_COLUMNS = _ENTRY_COLUMNS.replace("e.", "k.")
_NO_ENTRY = ", ".join(["NULL"] * 8)


def resolve_contacts(
    conn: Connection,
    keys: PseudonymKeys,
    identifiers: Sequence[str],
    channel: str,
    grants_from: Sequence[str] | None = None,
    *,
    ledger: Ledger,
    gpc_channel: str | None = None,
) -> Contacts:
    """One round trip for a send: each identifier's pseudonym (created when new), the consent records on
    ``channel`` under those pseudonyms — every withdrawal, and the grants of ``grants_from`` only when given
    — and the suppression records under any identifier's keyed hash. The same statement reads the ledger
    entries that bind those rows (see :mod:`brandrail.gate.bindings`): each link's ``link`` entry, each
    row's entry and whether the next version's exists, and the first version's entry of every keyed hash
    and channel — so rows and entries come from one snapshot. A link that does not match its entry is named
    in :attr:`Contacts.link_problems` and the grants under its pseudonym do not count. ``gpc_channel``:
    each pseudonym's consent row on that channel too (:attr:`Contacts.gpc`, a remembered GPC signal), with
    its entry — joined on the row's version, so read only when there is a row — and whether the next
    version's exists."""
    from brandrail.gate.bindings import (
        LINK_ENTRY_SQL,
        link_problem,
        new_link_bindings,
        state_entry_id,
        state_entry_sql,
    )
    from brandrail.ledger import LedgerEntry

    ledger_table = ledger_table_sql(ledger)
    lookups = {ident: keys.lookups(ident) for ident in identifiers}
    counted = None if grants_from is None else {v for ident in grants_from for v in lookups.get(ident, ())}
    wanted = [value for values in lookups.values() for value in values]
    names = ", ".join(f":l{i}" for i in range(len(wanted)))
    params: dict[str, object] = {f"l{i}": value for i, value in enumerate(wanted)}
    params["c"] = channel
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
    no_link = ", ".join(["NULL"] * 9)
    # a remembered GPC (``gpc_channel``): the consent row on that channel, its entry (``ge``) and whether the
    # next version's exists (``gn``)
    gpc_columns = gpc_join = no_gpc = ""
    if gpc_channel is not None:
        params["gc"] = gpc_channel
        gpc_columns = f", q.granted, q.seq, {_ENTRY_COLUMNS.replace('e.', 'ge.')}, gn.id"
        gpc_join = (
            " LEFT JOIN gate_consent q ON q.recipient = s.pseudonym AND q.channel = :gc "
            f"LEFT JOIN {ledger_table} ge ON ge.id = "
            + state_entry_sql("consent", "q.recipient", "q.channel", "q.seq")
            + f" LEFT JOIN {ledger_table} gn ON gn.id = "
            + state_entry_sql("consent", "s.pseudonym", "CAST(:gc AS VARCHAR)", "COALESCE(q.seq, 0) + 1")
        )
        no_gpc = ", " + ", ".join(["NULL"] * 11)
    tail = (
        f"UNION ALL SELECT 1, g.value, g.reason, g.suppressed, g.channel, g.seq, {suppression_entries[0]}, "
        f"{no_link}{no_gpc} FROM gate_suppression g {suppression_entries[1]} "
        f"WHERE g.value IN ({names}) AND g.channel IN (:c, '*') "
        f"UNION ALL SELECT 2, id, NULL, NULL, NULL, NULL, {_NO_ENTRY}, NULL, {no_link}{no_gpc} "
        f"FROM {ledger_table} WHERE id IN ({first_names})"
    )
    consent_columns = (
        f"0, s.lookup, s.pseudonym, c.granted, CAST(NULL AS VARCHAR), c.seq, {consent_entries[0]}, "
        f"s.binding, {_LINK_COLUMNS}{gpc_columns}"
    )
    consent_join = (
        f"LEFT JOIN gate_consent c ON c.recipient = s.pseudonym AND c.channel = :c {consent_entries[1]} "
        f"LEFT JOIN {ledger_table} k ON k.id = {LINK_ENTRY_SQL}{gpc_join}"
    )
    new_links: dict[str, tuple[str, str]] = {}  # lookup → (pseudonym, binding) this statement may insert
    if conn.dialect.name == "postgresql" and len(keys.keys) == 1:
        # one round trip on PostgreSQL: link new identifiers in the same statement (a data-modifying CTE;
        # an identifier another writer links concurrently is missing from the result and read again below)
        new_rows = ", ".join(
            f"(CAST(:l{i} AS VARCHAR), CAST(:q{i} AS VARCHAR), CAST(:b{i} AS VARCHAR))"
            for i in range(len(wanted))
        )
        for i, (value, binding) in enumerate(zip(wanted, new_link_bindings(len(wanted)), strict=True)):
            new_links[value] = ("p_" + secrets.token_hex(12), binding)
            params[f"q{i}"], params[f"b{i}"] = new_links[value]
        params["t"] = t.iso(datetime.now(UTC))
        sql = (
            f"WITH new (lookup, pseudonym, binding) AS (VALUES {new_rows}), "
            "ins AS (INSERT INTO gate_subjects (lookup, pseudonym, created_at, binding) "
            "SELECT lookup, pseudonym, CAST(:t AS VARCHAR), binding FROM new ON CONFLICT (lookup) DO NOTHING "
            "RETURNING lookup, pseudonym, binding), "
            f"subj AS (SELECT lookup, pseudonym, binding FROM gate_subjects WHERE lookup IN ({names}) "
            "UNION ALL SELECT lookup, pseudonym, binding FROM ins) "
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
    gpc: dict[str, StateCheck] = {}
    suppression: dict[tuple[str, str], StateCheck] = {}
    reasons: dict[tuple[str, str], str | None] = {}
    first_entries: set[str] = set()
    inserted: list[tuple[str, str, str]] = []
    link_problems: list[str] = []
    untrusted: set[str] = set()  # lookups whose link does not match the ledger
    # links this transaction wrote earlier (a second read in one decision): their entry is still to come
    pending = {(lk, ps, str(b)) for lk, ps, b in conn.info.get(PENDING_LINKS, [])}
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
        lookup, pseudonym, binding = str(lookup), str(text), row[15]
        found[lookup] = pseudonym
        consent[pseudonym] = (state, entry, row[14] is not None)
        if gpc_channel is not None:
            gpc_flag, gpc_seq = row[24], row[25]
            gpc_state = (
                None if gpc_flag is None else (bool(gpc_flag), None if gpc_seq is None else int(gpc_seq))
            )
            gpc_entry = LedgerEntry(*row[26:34]) if row[27] is not None else None
            gpc[pseudonym] = (gpc_state, gpc_entry, row[34] is not None)
        if new_links.get(lookup) == (pseudonym, binding):
            inserted.append((lookup, pseudonym, str(binding)))  # linked by this statement
        elif (lookup, pseudonym, str(binding)) not in pending:
            link_entry = LedgerEntry(*row[16:24]) if row[17] is not None else None
            problem = link_problem(lookup, pseudonym, binding, link_entry)
            if problem is not None:
                untrusted.add(lookup)
                link_problems.append(f"a link from an identifier to its pseudonym {problem}")
        if flag is not None and (
            not flag or (lookup not in untrusted and (counted is None or lookup in counted))
        ):
            granted.append(bool(flag))
    bind_links(conn, ledger, inserted, defer=True)
    active = sorted(where for where, (state, _, _) in suppression.items() if state is not None and state[0])
    suppressed = str(reasons[active[0]] or "") if active else None
    out: dict[str, str] = {}
    missing: list[tuple[str, str]] = []
    for ident, values in lookups.items():
        known = next((v for v in values if v in found), None)
        if known is not None:
            out[ident] = found[known]
            if values[0] not in found and known not in untrusted:  # never re-link a link not believed
                missing.append((values[0], found[known]))
        else:
            missing.append((values[0], "p_" + secrets.token_hex(12)))
    _link(conn, ledger, lookups, missing, out, defer=True)
    if gpc_channel is not None:
        # a pseudonym this call made up (a random token just linked) has no rows and no entries; one another
        # writer linked first is left out, so the caller reads it
        fresh = {pseudonym for _, pseudonym in missing} - set(found.values())
        for pseudonym in out.values():
            if pseudonym in fresh:
                gpc.setdefault(pseudonym, (None, None, False))
    if len(out) < len(lookups):  # pragma: no cover - defensive: every identifier has a pseudonym by now
        raise GateError("could not link a recipient identifier to its pseudonym")
    return Contacts(out, granted, suppressed, consent, suppression, first_entries, wanted, link_problems, gpc)


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
        links = consent = suppressed = bound = 0
        if pseudonyms:
            pnames = ", ".join(f":p{i}" for i in range(len(pseudonyms)))
            pparams = {f"p{i}": value for i, value in enumerate(pseudonyms)}
            bound = execute(
                conn,
                f"SELECT count(*) FROM gate_subjects WHERE pseudonym IN ({pnames}) AND binding IS NOT NULL",
                pparams,
            ).fetchone()[0]
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
            # how many links recorded by ``link`` entries went (``ledger verify`` counts them; none is named)
            payload={
                **result.to_dict(),
                "forget_suppression": forget_suppression,
                "bound_links_deleted": bound,
            },
            policy_version="",
        )
    return result
