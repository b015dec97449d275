"""Write dev.yaml and heldout.yaml from messages.yaml (one message a line) by the seeded stratified split.

python tests/data/disclosures_fresh/split.py           # (re)write the halves
python tests/data/disclosures_fresh/split.py --check   # confirm the halves are the split of the set
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).resolve().parent
#: The seed of the development / held-out split.
SPLIT_SEED = 20261207
HEADER = (
    "# {half} half of messages.yaml (see README.md): the lines of the messages the seeded split put here.\n"
)


def split_ids(items: list[dict[str, Any]], seed: int = SPLIT_SEED) -> tuple[list[int], list[int]]:
    """Ids of the development and held-out halves: each (group, labelled / clean) stratum is shuffled with
    ``seed`` and dealt alternately, the first of each stratum to the smaller half so far."""
    strata: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for m in items:
        strata[(m["group"], bool(m["labels"]))].append(m["id"])
    rng = random.Random(seed)
    dev: list[int] = []
    held: list[int] = []
    for key in sorted(strata):
        ids = strata[key]
        rng.shuffle(ids)
        first, second = (dev, held) if len(dev) <= len(held) else (held, dev)
        first += ids[0::2]
        second += ids[1::2]
    return sorted(dev), sorted(held)


def halves() -> dict[str, str]:
    lines = (FOLDER / "messages.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    entries = [line for line in lines if line.startswith("- {")]
    by_id = {yaml.safe_load(line)[0]["id"]: line for line in entries}
    dev, held = split_ids([yaml.safe_load(line)[0] for line in entries])
    return {
        "dev.yaml": HEADER.format(half="Development") + "".join(by_id[i] for i in dev),
        "heldout.yaml": HEADER.format(half="Held-out") + "".join(by_id[i] for i in held),
    }


def main() -> int:
    want = halves()
    if "--check" in sys.argv:
        bad = [n for n, text in want.items() if (FOLDER / n).read_text(encoding="utf-8") != text]
        print("halves differ: " + ", ".join(bad) if bad else "halves match the split")
        return 1 if bad else 0
    for name, text in want.items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
