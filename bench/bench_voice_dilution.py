"""How much on-brand padding hides an off-brand message from BR502 (measured, not tuned).

An agent that writes one off-brand message and adds an on-brand one before or after it (or one of the policy's
own on-brand examples) gets one message. This prints, per brand, the share of off-brand messages that BR502
passes (probability >= 0.5): alone, with an unseen on-brand message appended or prepended, and with the
policy's first on-brand example appended; and the share of long on-brand messages (three unseen on-brand
messages joined) it flags. The development brands (tests/data/voice/dev_brands) and the frozen test brands
(tests/data/voice/brands) are read as they are; nothing here is fitted.

Run: HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_voice_dilution.py
Prints a Markdown table (copied into bench/results/voice.md).
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "voice"
sys.path.insert(0, str(ROOT / "src"))

from brandrail.policy import policy_from_dict  # noqa: E402
from brandrail.voice.model import VoiceModel, load_examples  # noqa: E402


def _brand(folder: Path) -> tuple[VoiceModel, tuple[str, ...], list[str], list[str]]:
    examples = load_examples(policy_from_dict(yaml.safe_load((folder / "brand.yaml").read_text("utf-8"))))
    name = "dev.yaml" if (folder / "dev.yaml").exists() else "test.yaml"
    items = yaml.safe_load((folder / name).read_text("utf-8"))
    on = [it["text"] for it in items if it["label"] == "on_brand"]
    off = [it["text"] for it in items if it["label"] == "off_brand"]
    return VoiceModel(examples), examples.on_brand, on, off


def _passed(model: VoiceModel, texts: list[str]) -> float:
    return float((model.probabilities(texts, model.embed(texts)) >= 0.5).mean())


def main() -> None:
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; threshold 0.5\n")
    print(
        "| set | brand | off-brand passed alone | + unseen on-brand after | + unseen on-brand before "
        "| + own on-brand example after | long on-brand flagged |"
    )
    print("|---|---|---|---|---|---|---|")
    totals: dict[str, list[list[float]]] = {}
    for kind, parent in (("development", DATA / "dev_brands"), ("frozen test", DATA / "brands")):
        for folder in sorted(p for p in parent.iterdir() if p.is_dir()):
            model, own, on, off = _brand(folder)
            after = [o + " " + on[k % len(on)] for k, o in enumerate(off)]
            before = [on[k % len(on)] + " " + o for k, o in enumerate(off)]
            example = [o + " " + own[0] for o in off]
            long_on = [" ".join(on[(k + i) % len(on)] for i in range(3)) for k in range(len(on))]
            row = [
                _passed(model, off),
                _passed(model, after),
                _passed(model, before),
                _passed(model, example),
                1 - _passed(model, long_on),
            ]
            totals.setdefault(kind, []).append(row)
            print(f"| {kind} | {folder.name} | " + " | ".join(f"{x:.0%}" for x in row) + " |", flush=True)
    for kind, rows in totals.items():
        mean = np.array(rows).mean(axis=0)
        print(f"| {kind} | **mean** | " + " | ".join(f"**{x:.0%}**" for x in mean) + " |")


if __name__ == "__main__":
    main()
