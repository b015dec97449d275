"""How the third claims set was split into its development and held-out halves (see README.md).

The 230 messages were written and labelled in one list, numbered 1..230 in writing order, then split with
``random.Random(SEED)``: ``sample(ids, 115)`` are held out. ``python split.py --check`` confirms the
committed halves are exactly that split of one list (same seed, no message lost or moved).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SEED = 20261206
TOTAL = 230
HELD_OUT = 115

HEADER = """\
# Third claims set, {half}: one entry per message, labelled with the rule CODES (BR1xx terms, BR2xx claims,
# BR6xx inclusive) a compliance reviewer applying policy.yaml would flag, by the labelling rules of
# tests/data/claims/README.md. Written and labelled before brandrail was run on it; see README.md here.
# labels: codes that must fire ([] = clean); ok: codes that may also fire (genuine overlap, not scored).
# ind: fit (fitness, coaching), noot (nootropics, supplements), crypto (crypto, fintech), vouch (retail
# vouchers, gift cards), edu, travel, pet, home (home services), saas (B2B software), beauty.
# ch: the channel the copy was written for: email, sms, social, ad (an ad headline or line).
"""


def held_out_ids() -> set[int]:
    return set(random.Random(SEED).sample(range(1, TOTAL + 1), HELD_OUT))


def line(m: dict[str, Any]) -> str:
    ok = f", ok: [{', '.join(m['ok'])}]" if m.get("ok") else ""
    labels = ", ".join(m["labels"])
    text = json.dumps(m["text"], ensure_ascii=False)
    return f"- {{id: {m['id']}, ind: {m['ind']}, ch: {m['ch']}, labels: [{labels}]{ok}, text: {text}}}\n"


def write(messages: list[dict[str, Any]]) -> None:
    """Write dev.yaml and heldout.yaml from the whole numbered list."""
    held = held_out_ids()
    for name, half, keep in (
        ("dev.yaml", "development half", lambda i: i not in held),
        ("heldout.yaml", "held-out half", lambda i: i in held),
    ):
        body = "".join(line(m) for m in messages if keep(m["id"]))
        (HERE / name).write_text(HEADER.format(half=half) + body, encoding="utf-8")


def check() -> None:
    held = held_out_ids()
    dev = yaml.safe_load((HERE / "dev.yaml").read_text(encoding="utf-8"))
    out = yaml.safe_load((HERE / "heldout.yaml").read_text(encoding="utf-8"))
    assert {m["id"] for m in out} == held, "heldout.yaml is not the seeded sample"
    assert {m["id"] for m in dev} == set(range(1, TOTAL + 1)) - held, "dev.yaml is not the rest"
    print(f"ok: {len(dev)} development, {len(out)} held out, seed {SEED}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        check()
    else:  # python split.py SOURCE.yaml: the whole list, numbered 1..230
        write(yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8")))
