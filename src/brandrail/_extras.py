"""Optional parts of brandrail and the extras that install them.

The core install (``pip install brandrail``) checks, fixes and scores text, Markdown and HTML. Everything
heavier is an extra; a command or function of an extra that is not installed raises
:class:`MissingExtraError` (exit code 2 on the command line) naming the extra to install, instead of an
``ImportError`` from deep inside.
"""

from __future__ import annotations

import importlib.util

from brandrail.errors import UsageError

__all__ = ["EXTRAS", "MissingExtraError", "require"]

#: What each extra is for, as the error message says it.
EXTRAS: dict[str, str] = {
    "images": "image checks (palette, image specs)",
    "voice": "the embedding voice model (BR502, voice learn/eval)",
    "audit": "fairness and goal audits",
    "gate": "the action gate, approvals and the ledger",
    "server": "the HTTP service",
    "proxy": "the OpenAI-compatible guard proxy and client wrapper",
    "mcp": "the MCP server and gateway",
    "lsp": "the language server",
    "spark": "audits on Spark",
}


class MissingExtraError(UsageError):
    """A feature needs an optional extra that is not installed."""

    code = "BRANDRAIL-EXTRA"

    def __init__(self, extra: str, missing: str) -> None:
        self.extra = extra
        self.missing = missing
        what = EXTRAS.get(extra, extra)
        super().__init__(
            f"{what} need the '{extra}' extra (the package '{missing}' is not installed)",
            hint=f"pip install 'brandrail[{extra}]'",
        )


_present: dict[str, bool] = {}


def require(extra: str, *modules: str) -> None:
    """Raise :class:`MissingExtraError` unless every top-level module in ``modules`` can be imported."""
    for module in modules:
        found = _present.get(module)
        if found is None:
            found = _present[module] = importlib.util.find_spec(module) is not None
        if not found:
            raise MissingExtraError(extra, module)
