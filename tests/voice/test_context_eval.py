"""`brandrail voice states`: how well the customer's state is read from a brand's own labelled messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.text.conversation import parse_conversation
from brandrail.voice.context import LabelledMessage, customer_state, evaluate_states, wilson_interval

runner = CliRunner()

ROWS = [
    ("This is the third time I've asked. Ridiculous.", 1, 0),
    ("I'm still waiting for my refund, it's unacceptable.", 1, 0),
    ("My husband passed away and the account is in his name.", 0, 1),
    ("Can I change my delivery address?", 0, 0),
    ("What are your opening hours?", 0, 0),
    ("Thanks, that worked.", 0, 0),
]


def test_wilson_interval_matches_the_closed_form() -> None:
    # reference values from the formula (Wilson 1927), as statsmodels' proportion_confint(method="wilson")
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_evaluate_states_counts_what_customer_state_reads() -> None:
    messages = [LabelledMessage(t, bool(u), bool(loss)) for t, u, loss in ROWS]
    report = evaluate_states(messages)
    read = [customer_state(parse_conversation([{"role": "customer", "text": t}])).states for t, _, _ in ROWS]
    for state in ("upset", "loss"):
        figures = report["states"][state]
        truth = [m.has(state) for m in messages]
        assert figures["found"] == sum(state in r and t for r, t in zip(read, truth, strict=True))
        assert figures["of"] == sum(truth)
        assert figures["ordinary"] == 3
        assert "by_threshold" not in figures  # the core tier has no learned reading
    assert report["states"]["upset"]["found"] == 2 and report["states"]["loss"]["found"] == 1


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_cli_reads_tsv_csv_and_jsonl(tmp_path: Path) -> None:
    tsv = "id\ttext\tupset\tloss\n" + "".join(f"m{i}\t{t}\t{u}\t{lo}\n" for i, (t, u, lo) in enumerate(ROWS))
    csv_text = "text,upset,loss\n" + "".join(f'"{t}",{u},{lo}\n' for t, u, lo in ROWS)
    jsonl = "".join(json.dumps({"text": t, "upset": u, "loss": bool(lo)}) + "\n" for t, u, lo in ROWS)
    outputs = []
    for name, text in (("a.tsv", tsv), ("a.csv", csv_text), ("a.jsonl", jsonl)):
        res = runner.invoke(app, ["voice", "states", str(_write(tmp_path, name, text)), "--format", "json"])
        assert res.exit_code == 0, res.output
        data = json.loads(res.output)
        assert data["schema_version"] == 1 and data["messages"] == len(ROWS)
        outputs.append(data["states"])
    assert outputs[0] == outputs[1] == outputs[2]
    text_out = runner.invoke(app, ["voice", "states", str(tmp_path / "a.tsv")])
    assert text_out.exit_code == 0 and "upset" in text_out.output and "found 2 of 2" in text_out.output
    assert "only 2 messages labelled upset" in text_out.output  # the warning for thin data


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.tsv", "text\tupset\nhello\t1\n", ":1:1: the header has no loss column"),
        ("a.tsv", "text\tupset\tloss\nhello\tmaybe\t0\n", ":2: upset must be 0 or 1, not 'maybe'"),
        ("a.tsv", "text\tupset\tloss\n\t1\t0\n", ":2:1: text is empty"),
        ("a.tsv", "", "the file is empty"),
        ("a.tsv", "text\tupset\tloss\n", "no labelled messages"),
        ("a.jsonl", '{"text": "hi", "upset": 1, "loss": 0}\n{"text": "x", "upset": 1\n', ":2:"),
        ("a.jsonl", '{"text": "hi", "upset": 1}\n', ":1:1: a line needs text, upset and loss"),
        ("a.tsv", b"text\tupset\tloss\ncaf\xe9\t1\t0\n", "is not valid UTF-8"),
    ],
)
def test_cli_bad_labelled_files_exit_2_with_a_position(
    tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    path = _write(tmp_path, name, content)
    res = runner.invoke(app, ["voice", "states", str(path)])
    assert res.exit_code == 2, res.output
    assert expected in res.output and str(path) in res.output
    assert "Traceback" not in res.output


@pytest.mark.voice
def test_the_embedding_tier_reports_the_trade_off_by_threshold(tmp_path: Path) -> None:
    tsv = "text\tupset\tloss\n" + "".join(f"{t}\t{u}\t{lo}\n" for t, u, lo in ROWS)
    policy = _write(
        tmp_path, "p.yaml", "voice:\n  tone_model: embedding\n  context:\n    upset: {threshold: 0.7}\n"
    )
    res = runner.invoke(
        app, ["voice", "states", str(_write(tmp_path, "a.tsv", tsv)), "-p", str(policy), "-f", "json"]
    )
    assert res.exit_code == 0, res.output
    upset = json.loads(res.output)["states"]["upset"]
    assert upset["threshold"] == 0.7 and set(upset["by_threshold"]) == {
        "0.3",
        "0.4",
        "0.5",
        "0.6",
        "0.7",
        "0.8",
        "0.9",
    }
    assert upset["by_threshold"]["0.7"]["found"] == upset["found"]
    found = [upset["by_threshold"][t]["found"] for t in sorted(upset["by_threshold"])]
    assert found == sorted(found, reverse=True)  # a higher threshold never finds more
