"""``brandrail demo``: run every capability on a bundled fictional brand and write one HTML report.

Each pillar contributes a module here with ``section(out_dir: Path) -> DemoSection``; :func:`run_demo`
runs them in order, writes ``index.html`` (linking any per-pillar reports) and returns the sections, whose
summary rows the CLI prints as a table.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DEMO_MODULES", "DemoSection", "data_path", "run_demo"]

#: Demo sections in the order they run; each module defines ``section(out_dir) -> DemoSection``.
DEMO_MODULES = (
    "brandrail.demo.content",
    "brandrail.demo.voice",
    "brandrail.demo.creative",
    "brandrail.demo.fairness",
    "brandrail.demo.goals",
    "brandrail.demo.gate",
    "brandrail.demo.integrations",
)


@dataclass
class DemoSection:
    """What one pillar's demo did: summary rows for the terminal, an HTML fragment, report files."""

    title: str
    summary: list[tuple[str, str]]
    html: str = ""
    reports: list[Path] = field(default_factory=list)


def data_path(*parts: str) -> Path:
    """A file of the bundled demo brand (policy, messages, logs)."""
    return Path(__file__).parent.joinpath("data", *parts)


def run_demo(out_dir: Path, progress: Callable[[str], None] | None = None) -> list[DemoSection]:
    """Run every available demo section, write ``out_dir/index.html`` and return the sections."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sections: list[DemoSection] = []
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        if progress is not None:
            progress(name.rsplit(".", 1)[-1])
        sections.append(module.section(out_dir))
    (out_dir / "index.html").write_text(_index(sections), encoding="utf-8")
    return sections


def _index(sections: list[DemoSection]) -> str:
    parts = []
    for s in sections:
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in s.summary)
        links = "".join(
            f'<li><a href="{html.escape(p.name if p.parent.name != "" else str(p))}">{html.escape(p.name)}</a></li>'
            for p in s.reports
        )
        parts.append(
            f"<section><h2>{html.escape(s.title)}</h2><table>{rows}</table>"
            + (f"<ul>{links}</ul>" if links else "")
            + s.html
            + "</section>"
        )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>brandrail demo — Fernhill Outdoor</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#1b1f24}"
        "table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}"
        "th{background:#f6f8fa}section{margin-bottom:2.5rem}</style></head><body>"
        "<h1>brandrail demo — Fernhill Outdoor</h1>"
        "<p>Every brandrail capability, run on a fictional outdoor-gear brand. Nothing here left this machine.</p>"
        + "".join(parts)
        + "</body></html>\n"
    )
