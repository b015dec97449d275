"""Help text conventions applied to every command: an example in each ``--help`` and clean metavars.

:func:`tidy` runs once on the Click command tree before a command line is parsed, so commands that other
modules register later get the same treatment. A command without an entry in :data:`EXAMPLES` gets an
example built from its required parameters; an entry here gives a real one.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EXAMPLES", "GROUP_EXAMPLES", "tidy"]

#: Example invocations per command path, shown under "Examples:" in its --help.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "init": ("brandrail init", "brandrail init configs/ --force"),
    "rules": ("brandrail rules", "brandrail rules BR101", "brandrail rules --format json"),
    "check": (
        "brandrail check message.txt",
        "brandrail check content/ --exclude 'drafts/**' --select claims --fail-on warning",
        "echo 'Hurry, cheap deal' | brandrail check - --channel sms",
        "brandrail check content/ --format sarif --out reports",
    ),
    "demo": ("brandrail demo --out demo-report",),
    "serve": (
        "brandrail serve --policy brandrail.yaml --port 8080",
        "brandrail serve -p brandrail.yaml --db postgresql://gate@db/brandrail --workers 2",
        "brandrail serve -p brandrail.yaml --host 0.0.0.0 --trusted-proxy 10.0.0.0/8",
    ),
    "proxy": ("brandrail proxy --policy brandrail.yaml --upstream https://api.openai.com/v1 --port 8787",),
    "fix": ("brandrail fix message.txt", "brandrail fix content/ --write"),
    "tone": ("brandrail tone message.txt", "brandrail tone message.txt --channel email --drivers"),
    "test": ("brandrail test cases.yaml --policy brandrail.yaml",),
    "lsp": ("brandrail lsp   # started by your editor; speaks LSP on standard input and output",),
    "policy validate": (
        "brandrail policy validate brandrail.yaml",
        "brandrail policy validate policies/*.yaml",
    ),
    "policy show": ("brandrail policy show brandrail.yaml --channel sms --format json",),
    "policy packs": ("brandrail policy packs",),
    "audit fairness": (
        "brandrail audit fairness decisions.parquet --policy brandrail.yaml --format html --out audit",
    ),
    "audit goals": ("brandrail audit goals experiment.csv --policy brandrail.yaml",),
    "audit policy-value": (
        "brandrail audit policy-value log.parquet --candidate candidate.csv --policy brandrail.yaml",
    ),
    "audit content": (
        "brandrail audit content sent.parquet -p brandrail.yaml --out audit-q3 --text body --id msg_id",
    ),
    "gate decide": ("brandrail gate decide action.json --policy brandrail.yaml",),
    "gate outcome": ("brandrail gate outcome DECISION_ID --executed",),
    "gate replay": ("brandrail gate replay --policy new-brandrail.yaml",),
    "gate reconcile": ("brandrail gate reconcile --db sqlite:///.brandrail/gate.db",),
    "gate consent": ("brandrail gate consent ada@example.com email --grant --source signup-form",),
    "gate gpc": (
        "brandrail gate gpc ada@example.com --source browser-header",
        "brandrail gate gpc ada@example.com --clear",
    ),
    "gate suppress": ("brandrail gate suppress ada@example.com --channel email --reason complaint",),
    "gate schema": ("brandrail gate schema > gate-actions.schema.json",),
    "approvals list": ("brandrail approvals list --status pending",),
    "approvals show": ("brandrail approvals show APPROVAL_ID",),
    "approvals approve": ("brandrail approvals approve APPROVAL_ID --reviewer ada --comment 'ok to send'",),
    "approvals reject": ("brandrail approvals reject APPROVAL_ID --reviewer ada --comment 'off-brand'",),
    "gate taint list": ("brandrail gate taint list --state live", "brandrail gate taint list --format json"),
    "gate taint lift": (
        "brandrail gate taint lift key:0123456789abcdef0123456789abcdef --seen tv:0123456789abcdef "
        "--reviewer ada --reason 'result reviewed: a false alarm'",
    ),
    "gate taint prune": ("brandrail gate taint prune --older-than 30d",),
    "ledger verify": (
        "brandrail ledger verify",
        "brandrail ledger verify --checkpoint cp.json --public-key keys/ledger_ed25519.pub.pem",
    ),
    "ledger export": ("brandrail ledger export --out ledger.jsonl",),
    "ledger checkpoint": ("brandrail ledger checkpoint --key keys/ledger_ed25519.pem --out cp.json",),
    "ledger keygen": ("brandrail ledger keygen --out keys/",),
    "ledger upgrade-lock-key": ("brandrail ledger upgrade-lock-key --db postgresql://gate@db/brandrail",),
    "voice learn": ("brandrail voice learn approved/ --out voice.yaml",),
    "voice eval": ("brandrail voice eval on-brand/ off-brand/",),
    "voice states": ("brandrail voice states customer-messages.tsv --channel support",),
    "privacy erase": (
        "brandrail privacy erase ada@example.com",
        "brandrail privacy erase c_1042 --forget-suppression",
    ),
    "keys create": ("brandrail keys create support-bot --role agent --expires 90d",),
    "keys list": ("brandrail keys list --db postgresql://gate@db/brandrail",),
    "keys revoke": ("brandrail keys revoke 3f9c2a71b0de",),
    "sessions list": ("brandrail sessions list --db postgresql://gate@db/brandrail",),
    "sessions end": (
        "brandrail sessions end --principal ana@fernhill --reason 'laptop stolen'",
        "brandrail sessions end --all",
    ),
    "mcp pin": (
        "brandrail mcp pin --gateway 'python shop_server.py' --pins shop.pins.yaml --check",
        "brandrail mcp pin --gateway https://tools.example/mcp --pins shop.pins.yaml --tool lookup_order",
    ),
}


#: Examples for command groups (the root is "").
GROUP_EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "brandrail init",
        "brandrail check content/",
        "brandrail fix content/ --write",
        "brandrail audit fairness decisions.parquet",
        "brandrail rules BR101",
    ),
    "mcp": (
        "brandrail mcp --policy brandrail.yaml",
        "brandrail mcp --policy brandrail.yaml --gateway 'python shop_server.py' --pins shop.pins.yaml",
        "brandrail mcp pin --gateway 'python shop_server.py' --pins shop.pins.yaml",
    ),
}


def _metavar(param: Any) -> str | None:
    desc = getattr(param, "type_descriptor", None)
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    name = (param.name or "value").upper().replace("_", "-")
    is_option = bool(getattr(param, "opts", None)) and param.opts[0].startswith("-")
    many = (
        param.nargs != 1 or bool(getattr(param, "multiple", False)) or bool(desc is not None and desc.is_list)
    )
    if desc is not None and desc.is_choice:
        choices = [str(getattr(c, "value", c)) for c in desc.choices or ()]
        return "[" + "|".join(choices) + "]"
    annotation = str(getattr(desc, "annotation", ""))
    if is_option:
        if "int" in annotation and "Path" not in annotation:
            return "N"
        if "float" in annotation:
            return "NUMBER"
        return name
    return name + ("..." if many and not is_option else "")


def _example(path: str, command: Any) -> str:
    lines = EXAMPLES.get(path)
    if lines is None:
        parts = ["brandrail", path]
        for param in command.params:
            if param.required:
                is_option = bool(getattr(param, "opts", None)) and param.opts[0].startswith("-")
                value = (param.name or "value").upper()
                parts += [param.opts[0], value] if is_option else [value]
        lines = (" ".join(parts),)
    # "\b" keeps Click from re-wrapping the paragraph
    return "\b\nExamples:\n" + "\n".join(f"  $ {line}" for line in lines)


def tidy(command: Any, path: str = "") -> None:
    """Give every command below ``command`` an example epilog and readable metavars (idempotent)."""
    commands = getattr(command, "commands", None)
    if commands is not None:
        for name, sub in commands.items():
            tidy(sub, f"{path} {name}".strip())
        if not getattr(command, "_brandrail_tidy", False):
            command._brandrail_tidy = True
            lines = GROUP_EXAMPLES.get(path) or tuple(
                line for name in list(commands)[:2] for line in EXAMPLES.get(f"{path} {name}".strip(), ())[:1]
            )
            if lines and not command.epilog:
                command.epilog = "\b\nExamples:\n" + "\n".join(f"  $ {line}" for line in lines)
            _tidy_params(command)  # a group that runs on its own (`brandrail mcp`) has options too
        return
    if getattr(command, "_brandrail_tidy", False):
        return
    command._brandrail_tidy = True
    _tidy_params(command)
    example = _example(path, command)
    command.epilog = f"{command.epilog}\n\n{example}" if command.epilog else example


def _tidy_params(command: Any) -> None:
    for param in command.params:
        if getattr(param, "metavar", None) is None:
            metavar = _metavar(param)
            if metavar is not None:
                param.metavar = metavar
        is_option = bool(getattr(param, "opts", None)) and param.opts[0].startswith("-")
        if not is_option and param.metavar is not None:
            shown = param.metavar if param.required else f"[{param.metavar}]"
            # the name says it all: no "<list[str]>" type after it, no braces in the usage line
            param.display_type_rich = lambda ctx=None, **kw: None
            param._usage_display_name = lambda shown=shown: shown
