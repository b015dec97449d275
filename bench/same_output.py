"""Proof that a speed change changed no output: every tone score and every finding, this tree against another.

    python bench/same_output.py --compare-tree /tmp/base     # exit 0 when identical, 1 with the differences
    python bench/same_output.py --dump out.jsonl              # this tree's output, one JSON line per case

What is compared, each case in a fresh process per tree (the tree on PYTHONPATH):

- the whole tone profile (every value and model feature as the exact float ``repr``, counts, point of view,
  drivers with their spans, the explanations) of every text in tests/data/voice (the tone corpus with both
  raters' files, the customer states, the brands' messages), plain and with a brand's own words and jargon;
- every finding (``Finding.to_dict()``: code, span, match, evidence, fix) and the unrounded scores of:
  every golden fixture case under its policy (tests/content/fixtures, all codes, not only the fixture's);
  every labelled message of tests/data/*/ under that set's policy.yaml; every one of those texts and the tone
  corpus under the demo policy with every rule on (bench/bench_tone.py's 1 MB policy, with a conversation);
- the five 1 MB messages of ``bench_tone.py --speed`` (prose, emoji, shouting, spaced letters, leetspeak) and the
  first 100 KB of its ``--findings-heavy`` ones (policy terms, plain and disguised):
  their tone profile and findings under that policy.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT / "tests" / "data"
CONVO = [{"role": "customer", "text": "This is the third time I have asked. Ridiculous!"}]
#: A brand's own words and jargon (exercises the brand-phrase and extra-jargon paths of the profile).
BRAND_WORDS = {
    "urgency": (["act now", "#LastChance", "£5 off today"], ["no rush"]),
    "warmth": (["cheers", "lovely to hear"], ["per our records"]),
    "formality": (["kindly note"], ["ta"]),
    "excitement": (["wowza"], []),
    "humour": (["pun intended"], []),
}
JARGON = ["synergy", "deep dive", "best-in-class", "leverage"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value)  # exact: 0.1 + 0.2 is not 0.3
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return _jsonable(value.to_dict())
    return value


def _profile_dict(p: Any) -> dict[str, Any]:
    return _jsonable(
        {
            "values": p.values,
            "features": p.features,
            "counts": p.counts,
            "pov": p.pov,
            "words": p.words,
            "sentences": p.sentences,
            "model": p.model,
            "explain": p.explain,
            "drivers": {k: [d.to_dict() for d in v] for k, v in p.drivers.items()},
        }
    )


def _result_dict(r: Any) -> dict[str, Any]:
    return _jsonable({"scores": r.scores, "findings": r.findings, "suppressed": r.suppressed})


def _texts(value: Any) -> Iterator[dict[str, Any]]:
    """Every mapping with a ``text`` string in a parsed YAML document, depth first."""
    if isinstance(value, dict):
        if isinstance(value.get("text"), str):
            yield value
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


def _tone_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((DATA / "voice").rglob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh, delimiter="\t")):
                if row.get("text"):
                    out.append((f"{path.relative_to(DATA)}:{i}", row["text"]))
    for path in sorted((DATA / "voice").rglob("*.yaml")):
        import yaml

        for i, item in enumerate(_texts(yaml.safe_load(path.read_text(encoding="utf-8")))):
            out.append((f"{path.relative_to(DATA)}:{i}", item["text"]))
    return out


def _every_rule_policy(tmp: Path) -> Any:
    """bench_tone.py's ``every_rule_policy_file``, written out here: importing bench_tone would put this
    checkout's ``src`` first on ``sys.path``, and this runs under the other tree's."""
    from brandrail.policy import load_policy
    from brandrail.voice.tone import PLAIN_TARGETS

    demo = ROOT / "src" / "brandrail" / "demo" / "data" / "fernhill" / "brandrail.yaml"
    targets = {
        d: {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
        for d, (lo, hi) in PLAIN_TARGETS.items()
    }
    voice = {
        "similarity": {"enabled": False},
        "targets": targets,
        "subject_targets": targets,
        "context": {"upset": {"targets": {"warmth": {"min": 0.5}, "humour": {"max": 0.2}}}},
    }
    file = tmp / "brandrail.yaml"
    file.write_text(json.dumps({"extends": [str(demo)], "voice": voice}), encoding="utf-8")
    return load_policy(file)


def _big_texts() -> dict[str, str]:
    """The 1 MB messages of bench_tone.py --speed, and the first 100 KB of its --findings-heavy ones."""
    rows = []
    for name in ("dev", "dev2", "dev3"):
        with (DATA / "voice" / "tone_corpus" / f"{name}.tsv").open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh, delimiter="\t"))
    unit = " ".join(r["text"] for r in rows) + " 😀🎉 "
    return {
        "prose": (unit * (1_000_000 // len(unit) + 1))[:1_000_000],
        "emoji": ("😀🎉🔥✨" * 250_000)[:1_000_000],
        "shouty": ("HURRY!!! ONLY 3 LEFT — ENDS TONIGHT!!! 🔥🔥 " * 30_000)[:1_000_000],
        "spaced": ("L A S T  C H A N C E  o n l y  3  l e f t ! u r a star x x x " * 20_000)[:1_000_000],
        "leet": ("L4st ch4nce: 0nly 3 l3ft, 0ff3r 3nds t0night, act n0w! 150p W1A 4pm " * 16_000)[:1_000_000],
        # bench_tone.py --findings-heavy's messages made only of findings, their first 100 KB (10,000 to 16,700
        # findings each: every finding is in the dump)
        "terms_plain": ("cheap unbreakable " * 6_000)[:100_000],
        "terms_leet": ("ch3@p unbr3@k@bl3 " * 6_000)[:100_000],
        "terms_eq": ("c=h=e=a=p u=n=b=r=e=a=k=a=b=l=e " * 3_500)[:100_000],
    }


def dump(out: Path, big: bool) -> None:
    """Write this tree's output, one JSON line per case (``[case id, output]``)."""
    import yaml

    from brandrail.engine import check_document, check_text
    from brandrail.policy import load_policy, policy_from_dict
    from brandrail.text.document import Document
    from brandrail.voice.tone import profile_text

    sys.path.insert(0, str(ROOT / "tests" / "content"))
    from content_testlib import only_content

    with out.open("w", encoding="utf-8") as fh, tempfile.TemporaryDirectory() as tmp:

        def emit(case: str, value: Any) -> None:
            fh.write(json.dumps([case, value], ensure_ascii=False, sort_keys=True) + "\n")

        every = _every_rule_policy(Path(tmp))
        tone = _tone_texts()
        for case, text in tone:
            emit(f"tone:{case}", _profile_dict(profile_text(text)))
            emit(f"tone+brand:{case}", _profile_dict(profile_text(text, words=BRAND_WORDS, jargon=JARGON)))
        # golden fixtures, every code
        for path in sorted((ROOT / "tests" / "content" / "fixtures").glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            policy = policy_from_dict(only_content(data.get("policy") or {}))
            for i, c in enumerate(data["cases"]):
                channel = c.get("channel")
                doc = Document(
                    c["text"], kind=c.get("kind", "text"), channel=channel, meta=c.get("meta") or {}
                )
                emit(
                    f"fixture:{path.stem}:{i}", _result_dict(check_document(doc, policy.for_channel(channel)))
                )
        # labelled sets under their own policy, and every text under the every-rule policy
        texts: list[tuple[str, str, str | None, dict[str, Any]]] = []
        for set_dir in sorted(p for p in DATA.iterdir() if p.is_dir()):
            own = set_dir / "policy.yaml"
            policy = load_policy(own) if own.exists() else None
            for path in sorted(set_dir.glob("*.yaml")):
                if path.name == "policy.yaml":
                    continue
                for i, item in enumerate(_texts(yaml.safe_load(path.read_text(encoding="utf-8")))):
                    channel = item.get("ch", item.get("channel"))
                    channel = channel if isinstance(channel, str) else None
                    meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
                    case = f"{path.relative_to(DATA)}:{i}"
                    texts.append((case, item["text"], channel, meta))
                    if policy is not None:
                        try:
                            view = policy.for_channel(channel)
                        except Exception:  # a channel the set's policy does not know
                            view = policy
                        doc = Document(
                            item["text"], channel=channel if view is not policy else None, meta=meta
                        )
                        emit(f"set:{case}", _result_dict(check_document(doc, view)))
        for case, text in tone:
            texts.append((case, text, None, {}))
        for case, text, channel, meta in texts:
            try:
                every.for_channel(channel)
            except Exception:  # a channel the demo policy does not know
                channel = None
            try:
                with_meta = _result_dict(check_text(text, every, channel=channel, metadata=meta or None))
            except Exception as exc:  # metadata the demo policy refuses: the error is the output
                with_meta = {"error": f"{type(exc).__name__}: {exc}"}
            emit(f"every:{case}", _result_dict(check_text(text, every, channel=channel, conversation=CONVO)))
            emit(f"every-meta:{case}", with_meta)
        if big:
            for name, text in _big_texts().items():
                emit(f"1mb-tone:{name}", _profile_dict(profile_text(text)))
                emit(f"1mb-check:{name}", _result_dict(check_text(text, every, conversation=CONVO)))


def compare(other: Path, big: bool) -> int:
    trees = {"this": ROOT, "other": other}
    lines: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, tree in trees.items():
            out = Path(tmp) / f"{label}.jsonl"
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            cmd = [sys.executable, str(Path(__file__).resolve()), "--dump", str(out)]
            subprocess.run([*cmd, *(["--no-big"] if not big else [])], env=env, check=True)
            # one case a line: split at "\n" only (a case's JSON may hold U+2028, NEL... that splitlines splits at)
            lines[label] = out.read_text(encoding="utf-8").rstrip("\n").split("\n")
    digest = {k: hashlib.sha256("\n".join(v).encode()).hexdigest() for k, v in lines.items()}
    diffs = [
        (json.loads(a)[0], json.loads(b)[0])
        for a, b in zip(lines["this"], lines["other"], strict=False)
        if a != b
    ]
    print(
        json.dumps(
            {
                "cases": {k: len(v) for k, v in lines.items()},
                "sha256": digest,
                "identical": not diffs and len(lines["this"]) == len(lines["other"]),
                "differing_cases": [a for a, _b in diffs[:50]],
                "differing_count": len(diffs),
            },
            indent=1,
        )
    )
    return 0 if not diffs and len(lines["this"]) == len(lines["other"]) else 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--compare-tree", type=Path, metavar="TREE", help="another checkout to compare with")
    ap.add_argument("--dump", type=Path, metavar="FILE", help="write this tree's output (JSON lines)")
    ap.add_argument("--no-big", action="store_true", help="leave out the five 1 MB messages (faster)")
    args = ap.parse_args()
    if args.dump:
        sys.path.insert(0, os.environ.get("PYTHONPATH", str(ROOT / "src")).split(os.pathsep)[0])
        dump(args.dump, not args.no_big)
        return
    if args.compare_tree:
        sys.exit(compare(args.compare_tree, not args.no_big))
    ap.error("give --compare-tree TREE or --dump FILE")


if __name__ == "__main__":
    main()
