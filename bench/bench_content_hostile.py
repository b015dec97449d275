"""Content checks on inputs built to be expensive or to hide something: 200 KB of one repeated unit each, every
rule on, this tree beside another (``--baseline-tree``), alternating fresh processes, medians.

    .venv/bin/python bench/bench_content_hostile.py --baseline-tree /tmp/base   # print a Markdown table

Each case repeats one unit (a disguise the content rules read through, or a shape a recogniser walks) to 200 KB,
so a cost that grows faster than the text, or per-hit work that explodes, shows as seconds. A case whose
every unit is a finding (a stretched banned word, a claim) costs what its findings cost: compare it with the
plain word. Nothing here is timed in the tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZE = 200_000

CASES: dict[str, str] = {
    "plain word, a banned term each time ('free ')": "free ",
    "stretched banned term ('freeee ')": "freeee ",
    "stretched letters, no term ('a' × 200,000)": "a",
    "currency signs for letters ('€a')": "€a",
    "underscore-spaced letters ('f_r_e_e_')": "f_r_e_e_",
    "hyphenated term of the policy ('money-back ')": "money-back ",
    "bracketed 'at' ('a [at] ')": "a [at] ",
    "spaced @ with a domain ('a@ b.c ')": "a@ b.c ",
    "dodged dots ('x (at) y (dot) ')": "x (at) y (dot) ",
    "date-of-birth words ('DOB ')": "DOB ",
    "dates of birth ('born on 1/1/1990 ')": "born on 1/1/1990 ",
    "weight-loss claims ('lose 1 kg ')": "lose 1 kg ",
    "earnings claims ('earn $1 a day ')": "earn $1 a day ",
    "a negation over a list ('not cure, ')": "not cure, ",
    "list items before a claim ('a, b or cure ')": "a, b or cure ",
    "superlatives with a scope ('the most x in the world ')": "the most x in the world ",
    "dot-separated digits ('4111.')": "4111.",
    "fancy-text letters, a term each time ('ᖴᖇᗴᗴ ')": "ᖴᖇᗴᗴ ",
    "fancy-text letters, no term ('ᗩᗷᑕᗪᗴᖴᘜᕼ ')": "ᗩᗷᑕᗪᗴᖴᘜᕼ ",
    "Polish words ('łatwy żółw ')": "łatwy żółw ",
    "template comments inside a word ('fr{# x #}ee ')": "fr{# x #}ee ",
    "camel case, no term ('AbcDef ')": "AbcDef ",
    "stretched letters in several runs ('aaabbbccc ')": "aaabbbccc ",
    # the recognisers of the sixth held-out round (rt-fix6pii)
    "number words ('one two three ')": "one two three ",
    "number words and digits ('4 one 5 ')": "4 one 5 ",
    "French tens ('quatre-vingt-')": "quatre-vingt-",
    "spaced dots after a spaced @ ('a @ b . c . ')": "a @ b . c . ",
    "character references ('&#64;&#46;')": "&#64;&#46;",
    "sign-offs ('Regards, Ab Cd ')": "Regards, Ab Cd ",
    'record name keys (\'{"name": "Ab Cd", \')': '{"name": "Ab Cd", ',
    # national identifiers after their words and names (rt-piiids)
    "dotted BSN after its word ('BSN 1234.56.789 ')": "BSN 1234.56.789 ",
    "SNILS-shaped runs ('СНИЛС 112-233-445 95 ')": "СНИЛС 112-233-445 95 ",
    "TIN with branch codes ('TIN 123-456-789-000 ')": "TIN 123-456-789-000 ",
    "Kenyan ID words ('KRA ID No. 23456789, ')": "KRA ID No. 23456789, ",
    "Medicare-shaped runs ('Medicare 2953 18477 1 ')": "Medicare 2953 18477 1 ",
    "initialisms before digits ('C.C. 1.020.456.789 ')": "C.C. 1.020.456.789 ",
    "Surname, Given after a label ('Name: O'Ab, Cd; ')": "Name: O'Ab, Cd; ",
}

POLICY = "terms:\n  banned:\n    - {term: free}\n    - {term: money back}\n    - {term: best seller}\n"

CHILD = f"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from brandrail import loads_policy
from brandrail.engine import check_text
policy = loads_policy(sys.argv[2])
check_text("warm up free", policy)
out = {{}}
for name, unit in json.loads(sys.argv[3]).items():
    text = (unit * ({SIZE} // len(unit) + 1))[:{SIZE}]
    start = time.process_time()
    result = check_text(text, policy)
    out[name] = [time.process_time() - start, len(result.findings)]
print(json.dumps(out))
"""


def run(tree: Path) -> dict[str, list[float]]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree / "src"), POLICY, json.dumps(CASES)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-tree", type=Path, help="another checkout to run beside this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one round (make bench-quick)")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    trees = [("this tree", ROOT)] + ([("baseline", args.baseline_tree)] if args.baseline_tree else [])
    seen: dict[str, dict[str, list[list[float]]]] = {label: {} for label, _ in trees}
    for _ in range(rounds):
        for label, tree in trees:
            for name, (cpu, findings) in run(tree).items():
                seen[label].setdefault(name, []).append([cpu, findings])
    header = "| input (200 KB) | " + " | ".join(f"{label}: CPU s (findings)" for label, _ in trees) + " |"
    print(header)
    print("|---" * (len(trees) + 1) + "|")
    for name in CASES:
        cells = []
        for label, _ in trees:
            runs = seen[label][name]
            cells.append(f"{statistics.median(r[0] for r in runs):.2f} ({int(runs[0][1]):,})")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
