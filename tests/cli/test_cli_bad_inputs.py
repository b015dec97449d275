"""Every command, every bad input: exit code 2, one clear message, never a traceback (issue 14, item 28).

The commands are found by walking the Typer app, so a command added later is walked too. For each
command, each file-like parameter is given each bad value in turn while the other parameters get valid
values (the bundled demo policies and data), so the bad value is what the command must refuse.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from brandrail.cli import app

# -- the commands ----------------------------------------------------------------------------------------


def leaf_commands() -> list[tuple[tuple[str, ...], Any]]:
    root = typer.main.get_command(app)
    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(cmd: Any, prefix: tuple[str, ...]) -> None:
        commands = getattr(cmd, "commands", None)
        if commands is None:
            found.append((prefix, cmd))
            return
        for name, sub in commands.items():
            walk(sub, (*prefix, name))

    walk(root, ())
    return found


COMMANDS = leaf_commands()
#: Parameters that read a file, folder or database; each gets every bad value in turn.
INPUT_PARAMS = {
    "paths",
    "data",
    "log",
    "candidate",
    "db",
    "folder",
    "folder_on",
    "folder_off",
    "cases_file",
    "action_file",
    "key",
    "public_key",
    "checkpoint",
    "jsonl",
    "file",
    "files",
    "policy",
    "policy_file",
}
OUTPUT_PARAMS = {"out", "write_baseline"}
#: Commands that only read the gate's database: a missing one is an error, not a new empty database.
READERS = {
    ("gate", "replay"),
    ("gate", "reconcile"),
    ("approvals", "list"),
    ("approvals", "show"),
    ("ledger", "verify"),
    ("ledger", "export"),
    ("ledger", "checkpoint"),
}
#: (command, parameter) pairs not walked: a server starts with any database, as it should.
NOT_WALKED = {(("serve",), "db")}


def _annotation(param: Any) -> Any:
    return param.type_descriptor.annotation


def _is_pathlike(param: Any) -> bool:
    return "Path" in str(_annotation(param)) or param.name in INPUT_PARAMS | OUTPUT_PARAMS


# -- inputs ----------------------------------------------------------------------------------------------


@dataclass
class Inputs:
    root: Path
    good: dict[str, Path]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Inputs:
    import numpy as np
    import pandas as pd
    import yaml

    from brandrail.demo import data_path
    from brandrail.demo.fairness import DEMO_POLICY
    from brandrail.demo.goals import campaign_data, targeting_log
    from brandrail.fairness.synthetic import generate_log

    root = tmp_path_factory.mktemp("bad-inputs")
    good: dict[str, Path] = {}
    (root / "fairness.yaml").write_text(yaml.safe_dump(DEMO_POLICY), encoding="utf-8")
    good["fairness_policy"] = root / "fairness.yaml"
    (root / "goals.yaml").write_text(
        data_path("goals", "goals.yaml")
        .read_text(encoding="utf-8")
        .replace("bootstrap: 500", "bootstrap: 20"),
        encoding="utf-8",
    )
    good["goals_policy"] = root / "goals.yaml"
    good["gate_policy"] = data_path("gate", "policy.yaml")
    (root / "content.yaml").write_text(
        "brand:\n  name: Acme\nterms:\n  banned:\n    - {term: flimsy, replacement: lightweight}\n"
        "channels:\n  sms: {kind: sms, max_length: 40}\n",
        encoding="utf-8",
    )
    good["content_policy"] = root / "content.yaml"
    log = generate_log(2000, seed=1, ads=4)
    log.to_csv(root / "fairness.csv", index=False)
    good["fairness_data"] = root / "fairness.csv"
    campaign_data(500, seed=1).to_csv(root / "campaign.csv", index=False)
    good["goals_data"] = root / "campaign.csv"
    frame, pi, env = targeting_log(1000, seed=1)
    frame.to_csv(root / "log.csv", index=False)
    good["log"] = root / "log.csv"
    pd.DataFrame(pi, columns=list(env.labels)).to_csv(root / "cand.csv", index=False)
    good["candidate"] = root / "cand.csv"
    (root / "msg.txt").write_text("Our tents are ready.\n", encoding="utf-8")
    good["text"] = root / "msg.txt"

    # the bad files
    (root / "empty.csv").write_bytes(b"")
    (root / "header-only.csv").write_text(",".join(log.columns) + "\n", encoding="utf-8")
    (root / "corrupt.csv").write_bytes(b"\x00\x01\x02PK\x03\x04garbage\xff\xfe" * 50)
    (root / "corrupt.parquet").write_bytes(b"PAR1" + os.urandom(256))
    (root / "latin1.txt").write_bytes("prix réduit\n".encode("latin-1"))
    (root / "a-folder").mkdir()
    (root / "not-yaml.yaml").write_text("key: [unclosed\n", encoding="utf-8")
    (root / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    sqlite3.connect(root / "corrupt.db").close()
    (root / "corrupt.db").write_bytes(b"SQLite format 3\x00" + os.urandom(4000))

    def variants(frame: pd.DataFrame, stem: str) -> None:
        numeric = frame.select_dtypes("number").columns
        nan = frame.copy()
        nan[numeric] = nan[numeric].astype(float)
        nan.loc[0, numeric] = np.nan
        nan.loc[1, numeric] = np.inf
        nan.to_csv(root / f"{stem}-nan.csv", index=False)
        null = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                null[column] = None
        null.to_csv(root / f"{stem}-all-null.csv", index=False)
        frame.head(1).to_csv(root / f"{stem}-one-row.csv", index=False)
        frame.iloc[:, :1].to_csv(root / f"{stem}-one-column.csv", index=False)

    variants(log, "fairness")
    variants(campaign_data(500, seed=1), "goals")
    variants(frame, "log")
    variants(pd.DataFrame(pi, columns=list(env.labels)), "cand")
    return Inputs(root, good)


def bad_values(inputs: Inputs, command: tuple[str, ...], param: str) -> Iterator[tuple[str, str]]:
    """(case name, value) pairs that ``param`` of ``command`` must refuse."""
    r = inputs.root
    if param in OUTPUT_PARAMS:
        yield "out under a file", str(inputs.good["text"] / "sub")
        return
    if param == "path" and command == ("init",):
        yield "existing file", str(inputs.good["text"])
        yield "under a file", str(inputs.good["text"] / "brandrail.yaml")
        return
    if param == "db":
        if command in READERS:
            yield "missing database", f"sqlite:///{r / ('no-such-dir-' + '-'.join(command)) / 'x.db'}"
        yield "corrupt database", f"sqlite:///{r / 'corrupt.db'}"
        yield "not a url", "not a database url"
        yield "unreachable server", "postgresql://nobody@127.0.0.1:1/none"
        return
    yield "missing", str(r / "does-not-exist.csv")
    yield "folder", str(r / "a-folder")
    if param not in ("paths", "policy", "policy_file", "policy_path", "file", "files", "jsonl"):
        yield "empty", str(r / "empty.csv")  # empty content, policies and ledger exports are valid
    yield "corrupt", str(r / "corrupt.csv")
    if param in ("policy", "policy_file", "policy_path", "file", "files"):
        yield "invalid yaml", str(r / "not-yaml.yaml")
        yield "not a mapping", str(r / "list.yaml")
        return
    if param in ("key", "public_key", "checkpoint", "jsonl", "cases_file", "action_file"):
        yield "not utf-8", str(r / "latin1.txt")
        return
    stem = {
        "data": "fairness" if command[-1] == "fairness" else "goals",
        "log": "log",
        "candidate": "cand",
    }.get(param)
    if stem is not None:
        yield "header only", str(r / "header-only.csv")
        yield "corrupt parquet", str(r / "corrupt.parquet")
        if (
            stem != "goals"
        ):  # the goals audit drops non-finite values per metric and reports the count (item 23)
            yield "NaN and inf", str(r / f"{stem}-nan.csv")
        yield "all null", str(r / f"{stem}-all-null.csv")
        yield "one row", str(r / f"{stem}-one-row.csv")
        yield "one column", str(r / f"{stem}-one-column.csv")


def good_value(inputs: Inputs, command: tuple[str, ...], param: Any) -> str | None:
    g, name = inputs.good, param.name
    if name in ("policy", "policy_file", "policy_path"):
        if command[:1] == ("audit",):
            return str(g["fairness_policy"] if command[-1] == "fairness" else g["goals_policy"])
        if command[:1] in (("gate",), ("test",), ("approvals",)):
            return str(g["gate_policy"])
        return str(g["content_policy"])
    if name == "data":
        return str(g["fairness_data"] if command[-1] == "fairness" else g["goals_data"])
    if name in ("log", "candidate"):
        return str(g[name])
    if name == "paths":
        return str(g["text"])
    if name == "db":
        return f"sqlite:///{inputs.root / 'fresh' / (('-'.join(command)) + '.db')}"
    if name in OUTPUT_PARAMS:
        return str(inputs.root / "out" / "-".join(command))
    if not param.required:
        return None
    if "Path" in str(_annotation(param)):
        return str(inputs.root / "does-not-exist")  # a required file we have no good value for
    return "x"


def build_args(inputs: Inputs, command: tuple[str, ...], cmd: Any, target: str, value: str) -> list[str]:
    args = list(command)
    for param in cmd.params:
        is_argument = not getattr(param, "opts", None) or not param.opts[0].startswith("-")
        chosen = value if param.name == target else good_value(inputs, command, param)
        if chosen is None:
            continue
        if is_argument:
            args.append(chosen)
        else:
            args += [param.opts[0], chosen]
    return args


# -- running one command in-process with a time limit ----------------------------------------------------


class Hung(BaseException):
    """Raised by the alarm; a BaseException so that the CLI's own error handling does not swallow it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hung


def invoke(args: list[str], timeout: int = 120) -> tuple[int, str]:
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        result = CliRunner().invoke(app, args, catch_exceptions=False)
    except Hung:
        pytest.fail(f"brandrail {' '.join(args)} did not finish in {timeout} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return result.exit_code, result.stdout + result.stderr


def cases() -> Iterator[Any]:
    for command, cmd in COMMANDS:
        if command == ("demo",):
            continue  # no inputs of its own but --out, covered below without running the whole demo
        targets = [p.name for p in cmd.params if _is_pathlike(p) and (command, p.name) not in NOT_WALKED]
        for target in targets:
            yield pytest.param(command, target, id=f"{' '.join(command)}:{target}")


# Bad inputs still accepted by commands of other parts of the project, each tracked in an issue. The walk
# reports them as an expected failure (xfail) while they are open, and fails on anything not listed here.
KNOWN_OPEN: dict[tuple[tuple[str, ...], str, str], str] = {}


@pytest.mark.parametrize(("command", "target"), list(cases()))
def test_every_bad_input_exits_2_without_traceback(
    inputs: Inputs, command: tuple[str, ...], target: str
) -> None:
    cmd = dict(COMMANDS)[command]
    failures: list[str] = []
    known: list[str] = []
    for case, value in bad_values(inputs, command, target):
        args = build_args(inputs, command, cmd, target, value)
        code, output = invoke(args)
        problems = []
        if code != 2:
            problems.append(f"exit {code}")
        if "Traceback" in output:
            problems.append("traceback")
        if "error" not in output.lower():
            problems.append("no error message")
        if problems:
            line = f"[{case}] brandrail {' '.join(args)} → {', '.join(problems)}\n    {output.strip()[-600:]}"
            (known if (command, target, case) in KNOWN_OPEN else failures).append(line)
    assert not failures, "\n".join(failures)
    if known:
        pytest.xfail("known open: " + "; ".join(known))


@pytest.mark.parametrize("command", [pytest.param(c, id=" ".join(c)) for c, _ in COMMANDS])
def test_wrong_types_and_unknown_options_exit_2(inputs: Inputs, command: tuple[str, ...]) -> None:
    cmd = dict(COMMANDS)[command]
    code, output = invoke([*command, "--no-such-option"])
    assert code == 2 and "No such option" in output and "Traceback" not in output
    for param in cmd.params:
        annotation = str(_annotation(param))
        if not getattr(param, "opts", None) or not param.opts[0].startswith("-"):
            continue
        if "int" in annotation:
            bad = ["abc", "1.5"]
        elif "float" in annotation:
            bad = ["abc", "nan", "inf"]
        else:
            continue
        for value in bad:
            args = build_args(inputs, command, cmd, "", "")
            args += [param.opts[0], value]
            code, output = invoke(args)
            assert code == 2, f"brandrail {' '.join(args)} → exit {code}:\n{output[-1500:]}"
            assert "Traceback" not in output


def test_every_command_is_walked() -> None:
    """The walk finds the commands (a sanity check on the introspection itself)."""
    names = {" ".join(c) for c, _ in COMMANDS}
    assert {"check", "fix", "init", "policy validate", "ledger verify", "audit fairness"} <= names
