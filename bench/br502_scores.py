"""BR502's scores on every brand's messages, as exact bits: prove that a change leaves BR502 where it was.

    python bench/br502_scores.py --out /tmp/before.json     # on one tree
    python bench/br502_scores.py --out /tmp/after.json      # on another (or after a change)
    python bench/br502_scores.py --compare /tmp/before.json /tmp/after.json

Each brand's voice model (fitted on its 12 + 12 examples and never rules) scores its messages: the frozen
brands' ``test.yaml`` (tests/data/voice/brands), the development brands' ``dev.yaml`` (dev_brands) and the
fifth round's ``test.yaml`` (heldout_brands). Every probability is written as its float64 hex form, with a
sha256 per brand, so that "unchanged" means bit for bit. No figure (AUC, flag rate) is computed: this is a
check of identity, not a measurement, so it may run on frozen sets without tuning on them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
VOICE = ROOT / "tests" / "data" / "voice"
SETS = (("brands", "test.yaml"), ("dev_brands", "dev.yaml"), ("heldout_brands", "test.yaml"))


def scores() -> dict[str, Any]:
    from brandrail.policy import policy_from_dict
    from brandrail.voice import model as vm
    from brandrail.voice.embed import embed_cached

    out: dict[str, Any] = {}
    for folder_name, file_name in SETS:
        for folder in sorted(p for p in (VOICE / folder_name).iterdir() if (p / file_name).is_file()):
            policy = policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8")))
            items = yaml.safe_load((folder / file_name).read_text("utf-8"))
            texts = [it["text"] for it in items]
            emb = embed_cached(vm._as_meant(texts))
            probs = [
                float(p).hex() for p in vm.VoiceModel(vm.load_examples(policy)).probabilities(texts, emb)
            ]
            digest = hashlib.sha256("\n".join(probs).encode("ascii")).hexdigest()
            out[f"{folder_name}/{folder.name}"] = {"messages": len(probs), "sha256": digest, "scores": probs}
            print(f"{folder_name}/{folder.name}: {len(probs)} scores, sha256 {digest[:16]}", flush=True)
    return out


def compare(before: Path, after: Path) -> int:
    a = json.loads(before.read_text("utf-8"))
    b = json.loads(after.read_text("utf-8"))
    differ = 0
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            print(f"{key}: only in {'after' if key not in a else 'before'}")
            differ += 1
            continue
        changed = sum(x != y for x, y in zip(a[key]["scores"], b[key]["scores"], strict=True))
        print(f"{key}: {a[key]['messages']} scores, {changed} differ")
        differ += changed
    print("bit-identical" if differ == 0 else f"{differ} scores differ")
    return 0 if differ == 0 else 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, help="write the scores here (JSON)")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    out = scores()
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
