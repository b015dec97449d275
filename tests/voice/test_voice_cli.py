"""CLI: brandrail tone, voice learn, voice eval (tone features only here; the embedding path is in test_voice_model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.policy import load_policy

runner = CliRunner()
DATA = Path(__file__).parents[1] / "data" / "voice" / "messages.yaml"
SETS = yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _write(folder: Path, texts: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        (folder / f"{i:03d}.txt").write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "brandrail.yaml"
    path.write_text(
        "voice:\n  targets:\n    urgency: {max: 0.3}\nchannels:\n  push:\n    voice:\n      targets:\n"
        "        urgency: {max: 0.2}\n        warmth: {min: 0.5}\n",
        encoding="utf-8",
    )
    return path


def test_tone_text_output(tmp_path: Path, policy_file: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("HURRY! Only 3 left — the sale ends tonight. Act now!!!\n", encoding="utf-8")
    res = runner.invoke(app, ["tone", str(msg), "--policy", str(policy_file)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0] == str(msg)
    urgency = next(line for line in lines if line.strip().startswith("urgency/pressure"))
    assert "target ≤ 0.3: OUTSIDE" in urgency and '"Only 3 left"' in urgency


def test_tone_json_with_channel(tmp_path: Path, policy_file: Path) -> None:
    msg = tmp_path / "m.md"
    msg.write_text("# Hello\n\nThanks for your order — **no rush** on the return.\n", encoding="utf-8")
    res = runner.invoke(app, ["tone", str(msg), "-p", str(policy_file), "-c", "push", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema_version"] == 1 and len(data["policy_version"]) == 64
    [item] = data["results"]
    assert item["channel"] == "push"
    assert set(item["profile"]["targets"]) == {"urgency", "warmth"}
    assert item["profile"]["targets"]["urgency"] == {"min": None, "max": 0.2, "within": True, "judged": True}
    thanks = item["profile"]["drivers"]["warmth"][0]
    assert thanks["text"] == "Thanks" and (thanks["line"], thanks["column"]) == (3, 1)
    assert msg.read_text(encoding="utf-8")[thanks["start"] : thanks["end"]] == "Thanks"


def test_tone_without_policy_uses_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.txt").write_text("We hope you enjoy the walk.", encoding="utf-8")
    res = runner.invoke(app, ["tone", "m.txt", "-f", "json", "--no-drivers"])
    assert res.exit_code == 0, res.output
    profile = json.loads(res.output)["results"][0]["profile"]
    assert "drivers" not in profile and profile["targets"] == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tone", "missing.txt"], "no such file"),
        (["tone", "m.txt", "-f", "yaml"], "--format must be text or json"),
        (["tone", "m.txt", "-c", "sms"], "unknown channel 'sms'"),
    ],
)
def test_tone_bad_input_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.txt").write_text("Hello.", encoding="utf-8")
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert message in res.output


def test_voice_learn_writes_a_loadable_policy(tmp_path: Path) -> None:
    on = _write(tmp_path / "on", [it["text"] for it in SETS["fernhill"]["on_brand"]])
    off = _write(tmp_path / "off", [it["text"] for it in SETS["fernhill"]["off_brand"]][:5])
    out = tmp_path / "voice.yaml"
    res = runner.invoke(
        app, ["voice", "learn", str(on), "--out", str(out), "--off", str(off), "--examples", "10"]
    )
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"wrote {out}:")
    policy = load_policy(out)
    assert "urgency" in policy.voice.targets and "formality" in policy.voice.targets
    assert len(policy.voice.examples.on_brand) == 10 and len(policy.voice.examples.off_brand) == 5
    again = runner.invoke(app, ["voice", "learn", str(on), "--out", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_voice_learn_bad_folder(tmp_path: Path) -> None:
    res = runner.invoke(app, ["voice", "learn", str(tmp_path / "nope"), "--out", str(tmp_path / "v.yaml")])
    assert res.exit_code == 2 and "not a folder" in res.output
    few = _write(tmp_path / "few", ["one", "two"])
    res = runner.invoke(app, ["voice", "learn", str(few), "--out", str(tmp_path / "v.yaml")])
    assert res.exit_code == 2 and "at least 5" in res.output


def test_voice_eval_tone_features_json(tmp_path: Path) -> None:
    on = _write(tmp_path / "on", [it["text"] for it in SETS["aldgate"]["on_brand"]])
    off = _write(tmp_path / "off", [it["text"] for it in SETS["aldgate"]["off_brand"]])
    res = runner.invoke(app, ["voice", "eval", str(on), str(off), "--features", "tone", "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema_version"] == 1 and data["n_on_brand"] == 40 and data["features"] == "tone"
    assert 0.0 <= data["accuracy"] <= 1.0 and data["auc"] > 0.85
    text = runner.invoke(app, ["voice", "eval", str(on), str(off), "--features", "tone"])
    assert text.exit_code == 0 and "ROC AUC" in text.output and "calibration:" in text.output


def test_voice_eval_bad_features(tmp_path: Path) -> None:
    on = _write(tmp_path / "on", ["a b c", "d e f"])
    res = runner.invoke(app, ["voice", "eval", str(on), str(on), "--features", "words"])
    assert res.exit_code == 2 and "--features must be" in res.output


BRANDS = Path(__file__).parents[1] / "data" / "voice" / "brands"


@pytest.mark.voice
@pytest.mark.slow
@pytest.mark.xdist_group("voice-model")
def test_voice_eval_shows_intervals_never_rules_and_warns_on_few_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path / "cache"))
    brand = yaml.safe_load((BRANDS / "northgate" / "brand.yaml").read_text(encoding="utf-8"))
    on = _write(tmp_path / "on", brand["voice"]["examples"]["on_brand"])
    off = _write(tmp_path / "off", brand["voice"]["examples"]["off_brand"])
    policy = tmp_path / "brandrail.yaml"
    policy.write_text(yaml.safe_dump({"version": 1, "voice": {"never": brand["voice"]["never"]}}), "utf-8")
    res = runner.invoke(app, ["voice", "eval", str(on), str(off), "-p", str(policy), "-f", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["never_rules"] == 5 and data["n_on_brand"] == 12 and data["folds"] == 5
    assert (data["engine"], data["precision"]) == ("numpy", "fp32")
    for key in ("auc", "accuracy", "brier", "on_brand_flagged", "off_brand_passed"):
        lo, hi = data["intervals"][key]
        assert 0.0 <= lo <= data[key] <= hi <= 1.0, (key, data[key], lo, hi)
    assert data["intervals"]["auc"][1] - data["intervals"]["auc"][0] > 0.1  # 24 messages: a wide interval
    assert any("only 12 examples" in w for w in data["warnings"])
    text = runner.invoke(app, ["voice", "eval", str(on), str(off), "-p", str(policy)])
    assert text.exit_code == 0
    assert "95% interval" in text.output and "5 never rules" in text.output
    assert "warning: only 12 examples of the smaller kind" in text.output


def test_voice_eval_needs_three_of_each(tmp_path: Path) -> None:
    on = _write(tmp_path / "on", ["a b c", "d e f"])
    res = runner.invoke(app, ["voice", "eval", str(on), str(on), "--features", "tone"])
    assert res.exit_code == 2 and "at least three on-brand and three off-brand" in res.output


def test_tone_text_output_cuts_a_long_driver_at_a_word(tmp_path: Path) -> None:
    msg = tmp_path / "m.txt"
    msg.write_text("Please be advised that the aforementioned documentation remains outstanding.\n", "utf-8")
    res = runner.invoke(app, ["tone", str(msg)])
    assert res.exit_code == 0, res.output
    line = next(line for line in res.output.splitlines() if "words per sentence" in line)
    shown = line.split("←", 1)[1].strip().strip('"')
    assert shown.endswith("…") and len(shown) <= 30
    assert msg.read_text("utf-8").startswith(shown[:-1].rstrip()) and shown[-2] != " "
    assert shown[:-1].split()[-1] in msg.read_text("utf-8").split()  # a whole word, not a piece of one
