"""The docs name what the command line has: every command is in docs/cli.md's synopsis, every option is on a
page that names its command, and every YAML block in docs/*.md loads as what it says it is.

A YAML block is a policy unless an HTML comment on the line before its fence says otherwise:
``<!-- yaml: fragment -->`` (a part of a policy: its top-level keys must be policy sections),
``<!-- yaml: cases -->`` (a ``brandrail test`` cases file) or ``<!-- yaml: other (what) -->`` (not
brandrail's: a CI workflow, a pin file, ...).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from cli_testlib import leaf_commands

ROOT = Path(__file__).resolve().parents[2]
PAGES = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
_FENCE = re.compile(r"(?:<!-- yaml: ([a-z]+)[^>]*-->\n)?```yaml\n(.*?)```", re.S)


def _synopsis() -> str:
    text = PAGES["cli.md"]
    start = text.index("```\n") + 4
    return text[start : text.index("```", start)]


@pytest.mark.parametrize("path", [p for p, _ in leaf_commands()])
def test_every_command_is_in_the_cli_synopsis(path: str) -> None:
    *group, name = path.split()
    prefix = re.escape(" ".join(["brandrail", *group]))
    # `brandrail gate decide|outcome|…` names several at once
    pattern = rf"^{prefix} (?:[\w-]+\|)*{re.escape(name)}(?:\|[\w-]+)*(?=[ \n])"
    if not group:
        pattern = rf"^brandrail {re.escape(name)}(?=[ \n])"
    assert re.search(pattern, _synopsis(), re.M), f"docs/cli.md's synopsis does not list `brandrail {path}`"


@pytest.mark.parametrize("path", [p for p, _ in leaf_commands()])
def test_every_option_is_documented_where_its_command_is(path: str) -> None:
    command = dict(leaf_commands())[path]
    name = f"brandrail {path}"
    pages = [t for t in PAGES.values() if re.search(rf"{re.escape(name)}(?![\w-])", t)]
    assert pages, f"no page in docs/ names `{name}`"
    missing = []
    for param in command.params:
        opts = [o for o in (*param.opts, *param.secondary_opts) if o.startswith("-")]
        if opts and not any(re.search(rf"{re.escape(o)}(?![\w-])", t) for o in opts for t in pages):
            missing.append("/".join(opts))
    assert not missing, f"`{name}` options no page naming it mentions: {missing}"


def _yaml_blocks() -> list[tuple[str, str, str]]:
    blocks = []
    for page, text in PAGES.items():
        for m in _FENCE.finditer(text):
            line = text.count("\n", 0, m.start(2))
            blocks.append((f"{page}:{line}", m.group(1) or "policy", m.group(2)))
    return blocks


@pytest.mark.parametrize(("where", "kind", "source"), _yaml_blocks(), ids=[b[0] for b in _yaml_blocks()])
def test_docs_yaml_blocks_load(where: str, kind: str, source: str, tmp_path: Path) -> None:
    from brandrail.policy import load_policy
    from brandrail.policy.lazy import LAZY_SECTIONS
    from brandrail.policy.model import Policy

    assert kind in ("policy", "fragment", "cases", "other"), f"{where}: unknown marker yaml: {kind}"
    data = yaml.safe_load(source)
    if kind == "other":
        return
    assert isinstance(data, dict), f"{where}: not a mapping"
    if kind == "policy":
        file = tmp_path / "brandrail.yaml"
        file.write_text(source, encoding="utf-8")
        for extended in data.get("extends") or []:
            if str(extended).startswith(("./", "../", "/")) or str(extended).endswith((".yaml", ".yml")):
                (tmp_path / extended).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / extended).write_text("version: 1\n", encoding="utf-8")
        load_policy(file)  # raises PolicyError with file:line:col
    elif kind == "fragment":
        sections = {f.alias or n for n, f in Policy.model_fields.items()} | set(LAZY_SECTIONS)
        unknown = set(data) - sections
        assert not unknown, f"{where}: a fragment with keys that are no policy section: {sorted(unknown)}"
    else:
        from brandrail.gate.casefile import load_cases

        file = tmp_path / "cases.yaml"
        file.write_text(source, encoding="utf-8")
        assert load_cases(file)


def test_docs_have_yaml_blocks() -> None:
    kinds = [kind for _, kind, _ in _yaml_blocks()]
    assert kinds.count("policy") >= 10 and "cases" in kinds
