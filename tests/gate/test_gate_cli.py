"""The gate's command line: decide, outcome, approvals, brandrail test, replay, reconcile; bad input → exit 2."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from gate_testlib import spend
from typer.testing import CliRunner

from brandrail.cli import app
from brandrail.gate.actions import action_json_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "gate"

POLICY = """
gate:
  content_checks: false
  budget: {campaign_daily_cap: "100"}
  approvals: {spend_over: "50"}
  principals:
    - {id: ana, roles: [reviewer]}
    - {id: ads-bot, roles: [agent, reviewer]}
"""


@pytest.fixture
def env(tmp_path: Path):
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    return tmp_path, str(policy), f"sqlite:///{tmp_path / 'gate.db'}"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def write_action(tmp_path: Path, data: dict, name: str = "a.json", keep_time: bool = False) -> str:
    """Write an action file; its ``time`` is set to now (the gate's clock decides) unless ``keep_time``."""
    path = tmp_path / name
    if "time" in data and not keep_time:
        data = {**data, "time": datetime.now(UTC).isoformat()}
    path.write_text(json.dumps(data))
    return str(path)


def test_decide_exit_codes_and_json(env):
    tmp, policy, db = env
    ok = run("gate", "decide", write_action(tmp, spend("40")), "--policy", policy, "--db", db, "-f", "json")
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["schema_version"] == 1 and data["outcome"] == "allow" and len(data["policy_version"]) == 64
    denied = run("gate", "decide", write_action(tmp, spend("70", id="b")), "--policy", policy, "--db", db)
    assert denied.exit_code == 1
    review = run("gate", "decide", write_action(tmp, spend("60")), "--policy", policy, "--db", db)
    assert review.exit_code == 1 and "SENT TO HUMAN REVIEW" in review.stdout and "AG701" in review.stdout
    malformed = run("gate", "decide", write_action(tmp, {"kind": "spend"}), "--policy", policy, "--db", db)
    assert malformed.exit_code == 1 and "AG001" in malformed.stdout
    stale = write_action(tmp, spend("1"), keep_time=True)  # 2026-05-04: far from the clock
    assert "AG003" in run("gate", "decide", stale, "--policy", policy, "--db", db).stdout
    stale = write_action(tmp, spend("1"), name="b.json", keep_time=True)
    trusted = run("gate", "decide", stale, "--policy", policy, "--db", db, "--trust-time")
    assert trusted.exit_code == 0, trusted.output


def test_decide_bad_input_exit_2(env):
    tmp, policy, db = env
    missing = run("gate", "decide", str(tmp / "nope.json"), "--policy", policy, "--db", db)
    assert missing.exit_code == 2 and "nope.json: no such file or directory" in missing.stderr
    latin = tmp / "latin.json"
    latin.write_bytes(b'{"kind": "caf\xe9"}')
    undecodable = run("gate", "decide", str(latin), "--policy", policy, "--db", db)
    assert (
        undecodable.exit_code == 2 and "latin.json:1:" in undecodable.stderr and "UTF-8" in undecodable.stderr
    )
    if Path("/dev/zero").exists():  # a device reports size 0: it is refused, not read forever
        for command in (("gate", "decide", "/dev/zero", "--db", db), ("test", "/dev/zero")):
            endless = run(*command, "--policy", policy)
            assert endless.exit_code == 2 and "is a device, not a regular file" in endless.stderr, command
    bad = tmp / "bad.json"
    bad.write_text('{"kind": ')
    broken = run("gate", "decide", str(bad), "--policy", policy, "--db", db)
    assert broken.exit_code == 2 and "bad.json:1:" in broken.stderr and "not valid JSON" in broken.stderr
    bad_policy = tmp / "p2.yaml"
    bad_policy.write_text("gate:\n  budgett: {}\n")
    wrong = run("gate", "decide", write_action(tmp, spend("1")), "--policy", str(bad_policy), "--db", db)
    assert wrong.exit_code == 2 and "p2.yaml:2" in wrong.stderr
    sarif = run(
        "gate", "decide", write_action(tmp, spend("1")), "--policy", policy, "--db", db, "-f", "sarif"
    )
    assert sarif.exit_code == 2


def test_approvals_on_a_terminal_show_the_agents_control_characters_as_escapes(env):
    # an agent's text must not rewrite a reviewer's terminal (an ANSI "erase line", a bidi override)
    tmp, policy, db = env
    # (a control character in the campaign is malformed, AG001; free text such as a description may hold one)
    action = spend("60", id="big-esc", campaign="spring-sale\u202e", description="spring\x1b[2Ksale\u202e")
    run("gate", "decide", write_action(tmp, action), "--policy", policy, "--db", db, "-f", "json")
    listed = run("approvals", "list", "--db", db, "--status", "pending")
    approval_id = listed.stdout.split()[0]
    shown = run("approvals", "show", approval_id, "--db", db)
    assert listed.exit_code == 0 and shown.exit_code == 0
    for out in (listed.stdout, shown.stdout):
        assert "\x1b" not in out and "\u202e" not in out
    assert "\\u202e" in shown.stdout  # written as an escape a person can read


def test_approvals_flow(env):
    tmp, policy, db = env
    action_file = write_action(tmp, spend("60", id="big-1"))
    first = run("gate", "decide", action_file, "--policy", policy, "--db", db, "-f", "json")
    approval_id = json.loads(first.stdout)["approval_id"]
    listed = run("approvals", "list", "--db", db, "--status", "pending")
    assert listed.exit_code == 0 and approval_id in listed.stdout
    shown = run("approvals", "show", approval_id, "--db", db, "-f", "json")
    assert json.loads(shown.stdout)["status"] == "pending"
    selfish = run(
        "approvals", "approve", approval_id, "--reviewer", "ads-bot", "--db", db, "--policy", policy
    )
    assert selfish.exit_code == 2 and "cannot approve" in selfish.stderr
    stranger = run("approvals", "approve", approval_id, "--reviewer", "eve", "--db", db, "--policy", policy)
    assert stranger.exit_code == 2 and "not a registered principal" in stranger.stderr
    good = run(
        "approvals", "approve", approval_id, "--reviewer", "ANA", "-m", "fine", "--db", db, "--policy", policy
    )
    assert good.exit_code == 0 and "approved by ana" in good.stdout
    again = run("gate", "decide", action_file, "--policy", policy, "--db", db, "-f", "json")
    assert json.loads(again.stdout)["outcome"] == "allow"
    unknown = run("approvals", "reject", "apr_x", "--reviewer", "ana", "--db", db, "--policy", policy)
    assert unknown.exit_code == 2 and "no approval request" in unknown.stderr
    assert run("approvals", "list", "--db", db, "--status", "weird").exit_code == 2


def test_outcome_and_reconcile(env):
    tmp, policy, db = env
    out = run("gate", "decide", write_action(tmp, spend("50")), "--policy", policy, "--db", db, "-f", "json")
    decision_id = json.loads(out.stdout)["decision_id"]
    assert (
        run("gate", "decide", write_action(tmp, spend("50.01")), "--policy", policy, "--db", db).exit_code
        == 1
    )
    released = run("gate", "outcome", decision_id, "--not-executed", "--policy", policy, "--db", db)
    assert released.exit_code == 0, released.output
    assert (
        run("gate", "decide", write_action(tmp, spend("50")), "--policy", policy, "--db", db).exit_code == 0
    )
    assert run("gate", "reconcile", "--db", db).exit_code == 0
    assert run("gate", "outcome", "nope", "--policy", policy, "--db", db).exit_code == 2


def test_replay_lists_changed_decisions(env):
    tmp, policy, db = env
    for amount in ("30", "30", "30"):
        run("gate", "decide", write_action(tmp, spend(amount)), "--policy", policy, "--db", db)
    same = run("gate", "replay", "--policy", policy, "--db", db)
    assert same.exit_code == 0 and "0 decision(s) would change" in same.stdout
    stricter = tmp / "strict.yaml"
    stricter.write_text(POLICY.replace('"100"', '"50"'))
    changed = run("gate", "replay", "--policy", str(stricter), "--db", db, "-f", "json")
    assert changed.exit_code == 1
    report = json.loads(changed.stdout)
    assert report["replayed"] == 3 and report["changed"] == 2  # 30 fits under 50; the next two do not
    assert all(c["old"]["outcome"] == "allow" and c["new"]["codes"] == ["AG102"] for c in report["changes"])


def test_brandrail_test_on_the_examples():
    result = run(
        "test", str(EXAMPLES / "cases.yaml"), "--policy", str(EXAMPLES / "policy.yaml"), "-f", "json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["passed"] and report["counts"]["cases"] >= 25
    assert "AG000" in report["unexercised_codes"] and "AG101" in report["exercised_codes"]


def test_brandrail_test_failing_case_and_bad_file(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text(
        "cases:\n  - name: wrong on purpose\n    action: {kind: spend, campaign: a, amount: '1'}\n"
        "    expect: {decision: deny, codes: [AG102]}\n"
    )
    policy = tmp_path / "p.yaml"
    policy.write_text("gate: {content_checks: false}\n")
    failed = run("test", str(cases), "--policy", str(policy))
    assert failed.exit_code == 1
    assert "FAIL  wrong on purpose: allow []" in failed.stdout and "missing code(s) AG102" in failed.stdout
    cases.write_text("cases:\n  - action: {kind: spend}\n    expect: {decision: maybe}\n")
    bad = run("test", str(cases), "--policy", str(policy))
    assert bad.exit_code == 2 and "case 1" in bad.stderr
    cases.write_text("cases: [\n")
    assert run("test", str(cases), "--policy", str(policy)).exit_code == 2


def test_brandrail_test_a_proposer_approving_its_own_action_is_refused_as_in_the_gate(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text("gate: {content_checks: false, approvals: {spend_over: '10'}}\n")
    cases = tmp_path / "cases.yaml"
    spend_case = "    action: {kind: spend, agent: ads-bot, campaign: a, amount: '50'}\n"
    cases.write_text(
        "cases:\n  - name: the agent approves itself\n    given: {approved_by: ADS-BOT}\n"
        + spend_case
        + "    expect: {decision: review}\n  - name: expects the self-approval to pass\n"
        "    given: {approved_by: ads-bot}\n" + spend_case + "    expect: {decision: allow}\n"
    )
    result = run("test", str(cases), "--policy", str(policy))
    assert result.exit_code == 1, result.output  # before: exit 2, the whole run stopped at the refusal
    assert "PASS  the agent approves itself: review" in result.stdout
    assert "the answer was refused: 'ads-bot' proposed this action and cannot approve it" in result.stdout
    for given in ("{approved_by: ''}", "{approved_by: [ana]}", "{approved_by: ana, rejected_by: bob}"):
        cases.write_text(f"cases:\n  - given: {given}\n" + spend_case + "    expect: {decision: allow}\n")
        bad = run("test", str(cases), "--policy", str(policy))
        assert bad.exit_code == 2 and "case 1" in bad.stderr and "Traceback" not in bad.output


def test_published_schema_is_current():
    published = json.loads((ROOT / "docs" / "gate-actions.schema.json").read_text())
    assert published == action_json_schema()


def test_consent_suppress_and_schema_commands(env):
    tmp, policy, db = env
    message = {
        "kind": "send_message",
        "id": "m-1",
        "agent": "crm-bot",
        "time": "2026-05-04T10:00:00+00:00",
        "channel": "email",
        "recipient": {"id": "c1", "email": "jo@example.com"},
        "content": "Hello",
    }
    decide = ("gate", "decide", write_action(tmp, message), "--policy", policy, "--db", db)
    assert "AG401" in run(*decide).stdout
    assert run("gate", "consent", "c1", "email", "--grant", "--db", db).exit_code == 0
    assert run(*decide[:2], write_action(tmp, {**message, "id": "m-2"}), *decide[3:]).exit_code == 0
    assert run("gate", "suppress", "JO@example.com", "--channel", "email", "--db", db).exit_code == 0
    third = run(*decide[:2], write_action(tmp, {**message, "id": "m-3"}), *decide[3:])
    assert third.exit_code == 1 and "AG402" in third.stdout
    assert run("gate", "consent", "c1", "fax", "--db", db).exit_code == 2
    schema = run("gate", "schema")
    assert schema.exit_code == 0 and json.loads(schema.stdout)["title"] == "brandrail gate action"


def test_read_only_commands_find_the_policys_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`approvals list/show` and `gate reconcile` read the store of the policy given or found, as their --db help
    says; they read only .brandrail/gate.db (and refused: no gate database) whatever the policy's store_url."""
    store = tmp_path / "elsewhere.db"
    policy = tmp_path / "brandrail.yaml"
    policy.write_text(POLICY.replace("gate:\n", f"gate:\n  store_url: sqlite:///{store}\n", 1))
    review = run("gate", "decide", write_action(tmp_path, spend("60")), "--policy", str(policy))
    assert review.exit_code == 1 and "AG701" in review.stdout and store.is_file()
    approval_id = json.loads(run("approvals", "list", "--policy", str(policy), "-f", "json").stdout)[
        "approvals"
    ][0]["id"]
    monkeypatch.chdir(tmp_path)  # found as the nearest brandrail.yaml, as every command finds it
    for args in (("approvals", "list"), ("approvals", "show", approval_id), ("gate", "reconcile")):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "no gate database" not in result.output
    assert approval_id in run("approvals", "list", "--status", "pending").stdout
    assert not (tmp_path / ".brandrail" / "gate.db").exists()
    other = tmp_path / "other.db"  # --db still wins
    missing = run("approvals", "list", "--db", f"sqlite:///{other}")
    assert missing.exit_code == 2 and "no gate database" in missing.stderr and not other.exists()
