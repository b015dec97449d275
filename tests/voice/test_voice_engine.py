"""Issue 16, item 6: a voice check loads no torch, sentence-transformers or scikit-learn (a cold start in well
under a second of CPU; the timing itself is in bench/results/voice.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.voice, pytest.mark.slow, pytest.mark.xdist_group("voice-model")]

ROOT = Path(__file__).parents[2]
BRAND = ROOT / "tests" / "data" / "voice" / "brands" / "fizzwick" / "brand.yaml"


def test_check_with_voice_examples_imports_no_torch(tmp_path: Path) -> None:
    (tmp_path / "brandrail.yaml").write_text("version: 1\n" + BRAND.read_text(encoding="utf-8"), "utf-8")
    (tmp_path / "m.txt").write_text("Fizzwick flushes the toxins out and boosts your immunity.\n", "utf-8")
    code = (
        "import json, sys\n"
        "from brandrail.cli import main\n"
        "sys.argv = ['brandrail', 'check', 'm.txt', '-f', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ['torch', 'sentence_transformers', 'transformers', 'sklearn']\n"
        "print('\\nMODULES ' + json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "BRANDRAIL_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    out, _, tail = done.stdout.rpartition("\nMODULES ")
    assert json.loads(tail) == [], done.stderr[-2000:]
    findings = [f for r in json.loads(out)["results"] for f in r["findings"] if f["code"] == "BR502"]
    assert findings and findings[0]["evidence"]["model"]["engine"] == "numpy"
    assert findings[0]["evidence"]["nearest_never_rule"]["id"] == "health"
