"""A separate writer process for the ledger concurrency and crash tests.

python ledger_worker.py URL TABLE append N   append N entries, each with a counter update, one per transaction
python ledger_worker.py URL TABLE hold       append one entry, say so, and wait (uncommitted) to be killed
python ledger_worker.py URL TABLE loop       append until killed, printing each committed seq
"""

from __future__ import annotations

import os
import sys
import time

import sqlalchemy as sa

from brandrail.ledger import Ledger


def counter_table(table: str) -> sa.Table:
    return sa.Table(
        f"{table}_counter",
        sa.MetaData(),
        sa.Column("k", sa.String(10), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )


def main() -> None:
    url, table, mode = sys.argv[1:4]
    ledger = Ledger.from_url(url, table=table)
    counter = counter_table(table)
    pid = os.getpid()
    if mode == "append":
        for i in range(int(sys.argv[4])):
            with ledger.begin() as conn:
                conn.execute(counter.update().where(counter.c.k == "c").values(n=counter.c.n + 1))
                ledger.append(conn, kind="decision", payload={"pid": pid, "i": i}, policy_version="p")
    elif mode == "hold":
        with ledger.begin() as conn:
            conn.execute(counter.update().where(counter.c.k == "c").values(n=counter.c.n + 1))
            entry = ledger.append(
                conn, kind="decision", payload={"pid": pid, "held": True}, policy_version="p"
            )
            print(f"appended {entry.seq}", flush=True)
            time.sleep(120)
    elif mode == "loop":
        blob = "x" * 20_000
        i = 0
        while True:
            with ledger.begin() as conn:
                conn.execute(counter.update().where(counter.c.k == "c").values(n=counter.c.n + 1))
                entry = ledger.append(
                    conn, kind="decision", payload={"i": i, "blob": blob}, policy_version="p"
                )
            print(entry.seq, flush=True)
            i += 1
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
