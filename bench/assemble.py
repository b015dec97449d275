"""Assemble BENCHMARKS.md from bench/results/*.md (``make benchmarks-md``).

Each results file is written by its benchmark's author after a run; this script only concatenates them, in
a fixed order, under one header with a table of contents, demoting their headings by one level.
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "core",
    "install",
    "content",
    "voice",
    "creative",
    "fairness",
    "goals",
    "audit",
    "gate",
    "ledger",
    "integrations",
    "server",
]

HEADER = """# Benchmarks

Every figure an issue names, measured by the scripts in `bench/` (`make bench` runs them all; each takes
`--quick` for a smoke run) and recorded here with the command, the data size and the machine. The machine is
the project's standard one: **2-core x86_64, 24 GiB RAM, Python 3.11.7**, and it is noisy: several figures
were taken while other jobs shared the two cores, so each section says the load, quotes medians and ratios,
and, where it matters, CPU time beside wall time. Targets that were missed are marked as such.

This file is assembled from `bench/results/*.md` by `python bench/assemble.py`.

"""


def main() -> None:
    parts = [HEADER]
    files = [HERE / "results" / f"{name}.md" for name in ORDER]
    files += sorted(p for p in (HERE / "results").glob("*.md") if p.stem not in ORDER)
    toc = []
    body = []
    for file in files:
        if not file.exists():
            continue
        text = file.read_text(encoding="utf-8").strip()
        text = re.sub(r"^(#+) ", lambda m: "#" + m.group(1) + " ", text, flags=re.MULTILINE)
        title = text.splitlines()[0].lstrip("# ").strip()
        anchor = re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")
        toc.append(f"- [{title}](#{anchor}) — `bench/results/{file.name}`")
        body.append(text)
    parts.append("\n".join(toc) + "\n\n")
    parts.append("\n\n".join(body) + "\n")
    (HERE.parent / "BENCHMARKS.md").write_text("".join(parts), encoding="utf-8")
    print(f"wrote BENCHMARKS.md from {len(body)} result files")


if __name__ == "__main__":
    main()
