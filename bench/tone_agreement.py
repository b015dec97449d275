"""Inter-rater agreement on the tone corpus: rater 1 (test.tsv, dev3.tsv) against rater 2 (*.rater2.tsv).

    python bench/tone_agreement.py            # markdown table, test and dev3 separately

Per dimension: Spearman's rho, quadratic-weighted Cohen's kappa, the share of exact agreement, the share
within one point, and the mean difference (rater 2 - rater 1). Rater 2 rated blind, by the rubric only
(tests/data/voice/tone_corpus/rater2.md). No tone measure is run here: the script only reads the ratings.
"""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

from scipy.stats import spearmanr

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "voice" / "tone_corpus"
RATED = ("formality", "urgency", "warmth", "excitement", "sentiment", "humour")
PARTS = ("test", "dev3")


def read(name: str) -> dict[str, dict[str, str]]:
    """The rows of ``tone_corpus/<name>.tsv`` by id."""
    with (CORPUS / f"{name}.tsv").open(encoding="utf-8", newline="") as fh:
        return {r["id"]: r for r in csv.DictReader(fh, delimiter="\t")}


def quadratic_kappa(a: list[int], b: list[int], levels: int = 5) -> float:
    """Cohen's kappa with quadratic weights for two raters' ratings on the scale 1..levels."""
    n = len(a)
    observed = [[0.0] * levels for _ in range(levels)]
    for x, y in zip(a, b, strict=True):
        observed[x - 1][y - 1] += 1.0 / n
    row = [sum(r) for r in observed]
    col = [sum(observed[i][j] for i in range(levels)) for j in range(levels)]
    disagree = expected = 0.0
    for i in range(levels):
        for j in range(levels):
            w = (i - j) ** 2 / (levels - 1) ** 2
            disagree += w * observed[i][j]
            expected += w * row[i] * col[j]
    return 1.0 - disagree / expected if expected else 1.0


def agreement(part: str) -> dict[str, dict[str, float]]:
    """Per dimension: spearman, kappa_q, exact, within1, mean_diff (rater 2 - rater 1) on one part."""
    one, two = read(part), read(f"{part}.rater2")
    if one.keys() != two.keys():
        raise SystemExit(f"{part}: the two raters' ids differ")
    ids = sorted(one)
    out: dict[str, dict[str, float]] = {}
    for dim in RATED:
        a = [int(one[i][dim]) for i in ids]
        b = [int(two[i][dim]) for i in ids]
        out[dim] = {
            "spearman": float(spearmanr(a, b).statistic),
            "kappa_q": quadratic_kappa(a, b),
            "exact": sum(x == y for x, y in zip(a, b, strict=True)) / len(ids),
            "within1": sum(abs(x - y) <= 1 for x, y in zip(a, b, strict=True)) / len(ids),
            "mean_diff": statistics.fmean(y - x for x, y in zip(a, b, strict=True)),
        }
    return out


def table() -> str:
    """The markdown table for every part in PARTS."""
    lines = [
        "| part | dimension | Spearman | weighted κ (quadratic) | exact | within 1 | mean diff (r2 − r1) |",
        "|---|---|---|---|---|---|---|",
    ]
    for part in PARTS:
        n = len(read(part))
        for dim, m in agreement(part).items():
            lines.append(
                f"| {part} ({n}) | {dim} | {m['spearman']:.3f} | {m['kappa_q']:.3f} | {m['exact']:.0%} "
                f"| {m['within1']:.0%} | {m['mean_diff']:+.2f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
