"""Content checks on inputs built to be expensive or to hide something: 200 KB of one repeated unit each, every
rule on, this tree beside another (``--baseline-tree``), alternating fresh processes, medians.

    .venv/bin/python bench/bench_content_hostile.py --baseline-tree /tmp/base   # print a Markdown table
    .venv/bin/python bench/bench_content_hostile.py --scaling --quick           # HTML pages at 0.25/0.5/1 MB

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

#: HTML pages (``kind="html"``) of one repeated row, ``{i}`` the row's number: per-element or per-finding work
#: that scans the whole page, or a style rule tested against every element, shows as a cost that grows faster
#: than the page (``--scaling`` runs them at 0.25, 0.5 and 1 MB).
HTML_CASES: dict[str, str] = {
    "HTML: a term in bold ('<b>free</b> and ')": "<b>free</b> and ",
    "HTML: a style block per row, its rule through the row's id ('#x{i} span')": (
        "<style>.r{i}{display:flex;flex-direction:row-reverse} #x{i} span{order:1}</style>"
        '<div class="r{i}" id="x{i}"><span>ee</span><span>fr</span></div>\n'
    ),
    "HTML: a style block per row hiding a letter in a word": (
        '<style>.h{i}{display:none}</style><p>fr<span class="h{i}">q</span>ee</p>\n'
    ),
    "HTML: a style block per row with generated text": (
        '<style>.c{i}{color:#123} .c{i}::after{content:"x"}</style><p class="c{i}">free offer {i}</p>\n'
    ),
    "HTML: flex rows reordering a term": (
        '<div style="display:flex"><span style="order:2">ee</span><span style="order:1">fr</span></div>'
        "<p>free</p>\n"
    ),
    "HTML: hidden fields and zero-size SVGs inside words": (
        'Pure<input type="hidden">va Guaran<svg width="0" height="0"></svg>teed '
    ),
}
SCALING = (250_000, 500_000, 1_000_000)

POLICY = "terms:\n  banned:\n    - {term: free}\n    - {term: money back}\n    - {term: best seller}\n"

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from brandrail import loads_policy
from brandrail.engine import check_text
policy = loads_policy(sys.argv[2])
check_text("warm up free", policy)
out = {}
size = int(sys.argv[5])
def page(unit):
    rows, length, i = [], 0, 0
    while length < size:
        row = unit.replace("{i}", str(i))
        rows.append(row)
        length += len(row)
        i += 1
    return "<html><body>" + "".join(rows) + "</body></html>"
html = json.loads(sys.argv[4])
for name, unit in json.loads(sys.argv[3]).items():
    text = page(unit) if name in html else (unit * (size // len(unit) + 1))[:size]
    start = time.process_time()
    result = check_text(text, policy, kind="html" if name in html else "text")
    out[name] = [time.process_time() - start, len(result.findings)]
print(json.dumps(out))
"""


def run(tree: Path, cases: dict[str, str], size: int = SIZE) -> dict[str, list[float]]:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(tree / "src"),
            POLICY,
            json.dumps(cases),
            json.dumps(sorted(HTML_CASES)),
            str(size),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def scaling(trees: list[tuple[str, Path]], rounds: int) -> None:
    """The HTML cases at each size of :data:`SCALING`: CPU s (median), and the last size's over the first's
    (4.0 when linear)."""
    seen: dict[tuple[str, int], dict[str, list[list[float]]]] = {}
    for _ in range(rounds):
        for size in SCALING:
            for label, tree in trees:
                for name, got in run(tree, HTML_CASES, size).items():
                    seen.setdefault((label, size), {}).setdefault(name, []).append(got)
    sizes = " / ".join(f"{size / 1e6:g}" for size in SCALING)
    print("| HTML page | " + " | ".join(f"{label}: CPU s at {sizes} MB (ratio)" for label, _ in trees) + " |")
    print("|---" * (len(trees) + 1) + "|")
    for name in HTML_CASES:
        cells = []
        for label, _ in trees:
            cpu = [statistics.median(r[0] for r in seen[(label, size)][name]) for size in SCALING]
            cells.append(" / ".join(f"{c:.2f}" for c in cpu) + f" ({cpu[-1] / max(cpu[0], 1e-9):.1f}×)")
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-tree", type=Path, help="another checkout to run beside this one")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one round (make bench-quick)")
    parser.add_argument(
        "--scaling", action="store_true", help="the HTML cases at 0.25, 0.5 and 1 MB (growth, not the table)"
    )
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    trees = [("this tree", ROOT)] + ([("baseline", args.baseline_tree)] if args.baseline_tree else [])
    if args.scaling:
        scaling(trees, rounds)
        return
    cases = {**CASES, **HTML_CASES}
    seen: dict[str, dict[str, list[list[float]]]] = {label: {} for label, _ in trees}
    for _ in range(rounds):
        for label, tree in trees:
            for name, (cpu, findings) in run(tree, cases).items():
                seen[label].setdefault(name, []).append([cpu, findings])
    header = "| input (200 KB) | " + " | ".join(f"{label}: CPU s (findings)" for label, _ in trees) + " |"
    print(header)
    print("|---" * (len(trees) + 1) + "|")
    for name in cases:
        cells = []
        for label, _ in trees:
            runs = seen[label][name]
            cells.append(f"{statistics.median(r[0] for r in runs):.2f} ({int(runs[0][1]):,})")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
