"""A self-contained HTML report: results per file with highlighted spans, filters by severity and code.

The page is the Jinja2 template ``templates/check.html.j2`` (autoescaped; no HTML is built in Python).
No network: styles and script are inline. Spans are cut from the original text so highlights line up
exactly with the findings. Each rule code links to its docs page; evidence reads as a sentence with the raw
data behind a toggle; an HTML e-mail is shown rendered, beside its source, in a sandboxed iframe (no
scripts, no forms, no remote content: a Content-Security-Policy allows only inline styles and data: images).
"""

from __future__ import annotations

import itertools
import json
import re
from functools import cache
from typing import Any

from brandrail.findings import Finding
from brandrail.report.model import CheckRun, tool_version
from brandrail.text.document import Document

__all__ = ["DOCS_URL", "MAX_SHOWN_CHARS", "evidence_sentence", "render_html"]

#: Longer files are shown truncated in the report (findings are all listed).
MAX_SHOWN_CHARS = 200_000
#: Where each rule's documentation lives (the same pages as docs/rules/).
DOCS_URL = "https://github.com/brandrail/brandrail/blob/main/docs/rules/{code}.md"
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_RULE_CODE = re.compile(r"^(BR|PV)\d{3}$")
_CSP = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:\">"
)
#: Evidence keys read as a measured value and as the limit it is compared with.
_MEASURED = (
    "measured",
    "value",
    "length",
    "count",
    "ratio",
    "contrast",
    "score",
    "chars",
    "segments",
    "size",
)
_LIMITS = ("limit", "threshold", "max", "maximum", "min", "minimum", "target", "allowed", "required_ratio")


@cache
def _template() -> Any:
    from importlib import resources

    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    source = (resources.files("brandrail.report") / "templates" / "check.html.j2").read_text(encoding="utf-8")
    return env.from_string(source)


def _segments(doc: Document, findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """The shown text cut at every span boundary; each piece says which findings cover it."""
    text = doc.text[:MAX_SHOWN_CHARS]
    spans = [f for f in findings if f.span is not None and f.span.start < len(text)]
    bounds = sorted(
        {
            0,
            len(text),
            *(f.span.start for f in spans if f.span),
            *(min(f.span.end, len(text)) for f in spans if f.span),
        }
    )
    out: list[dict[str, Any]] = []
    for a, b in itertools.pairwise(bounds):
        covering = [
            f for f in spans if f.span and f.span.start <= a and f.span.end >= b and f.span.end > f.span.start
        ]
        piece: dict[str, Any] = {"text": text[a:b], "mark": None}
        if covering:
            worst = max(covering, key=lambda f: f.severity.rank)
            piece["mark"] = {
                "severity": worst.severity.value,
                "codes": " ".join(sorted({f.code for f in covering})),
                "sevs": " ".join(sorted({f.severity.value for f in covering})),
                "title": "; ".join(f"{f.code}: {f.message}" for f in covering),
            }
        out.append(piece)
    if len(doc.text) > MAX_SHOWN_CHARS:
        out.append(
            {"text": f"\n… ({len(doc.text) - MAX_SHOWN_CHARS:,} more characters not shown)", "mark": None}
        )
    return out


def _human(key: str) -> str:
    return key.replace("_", " ").strip()


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, (list, tuple)):
        shown = ", ".join(_value(v) for v in value[:5])
        return shown + (f" and {len(value) - 5} more" if len(value) > 5 else "")
    if _is_bounds(value):
        return _bounds(value.get("min"), value.get("max"))
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) < 80 else text[:77] + "…"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_bounds(value: Any) -> bool:
    """A ``{min, max}`` target (either may be null)."""
    return isinstance(value, dict) and bool(value) and set(value) <= {"min", "max"}


def _bounds(low: Any, high: Any) -> str:
    """A range as words: "40–130", "at most 0.3", "at least 4.5" (a bound that is not a number is open)."""
    if _number(low) and _number(high):
        return f"{_value(low)}–{_value(high)}"
    if _number(high):
        return f"at most {_value(high)}"
    if _number(low):
        return f"at least {_value(low)}"
    return "any"


def evidence_sentence(f: Finding) -> str:
    """The evidence of ``f`` as one sentence a marketer reads ("Found “cheap” (banned term “cheap”)…")."""
    data = f.to_dict()["evidence"]
    assert isinstance(data, dict)
    data.pop("swatches", None)
    parts: list[str] = []
    measured = next((k for k in _MEASURED if isinstance(data.get(k), (int, float)) and k in data), None)
    limit = next((k for k in _LIMITS if _number(data.get(k)) or _is_bounds(data.get(k))), None)
    low = next((k for k in ("min", "minimum") if _number(data.get(k))), None)
    high = next((k for k in ("max", "maximum") if _number(data.get(k))), None)
    if measured is not None and limit is not None:
        label = "measured" if measured == "measured" else f"measured {_human(measured)}"
        value = _value(data.pop(measured))
        if low is not None and high is not None:  # both ends of a range: name the range, not one end
            parts.append(f"{label} {value}, allowed {_bounds(data.pop(low), data.pop(high))}")
        else:
            parts.append(f"{label} {value} against {_human(limit)} {_value(data.pop(limit))}")
    flags = [_human(k) for k, v in data.items() if v is True]
    rest = [
        f"{_human(k)} {_value(v)}"
        for k, v in data.items()
        if v is not None and not isinstance(v, bool) and v not in ("", [], {})
    ]
    parts.extend(rest[:4])
    if flags:
        parts.append("; ".join(flags))
    lead = f"Found {_value(f.match)}" if f.match else ""
    body = ", ".join(parts)
    if lead and body:
        sentence = f"{lead} ({body})."
    elif lead or body:
        sentence = f"{lead or body[0].upper() + body[1:]}."
    else:
        sentence = ""
    return sentence


def _swatches(f: Finding) -> list[dict[str, str]]:
    raw = f.evidence.get("swatches") if isinstance(f.evidence, dict) else None
    out: list[dict[str, str]] = []
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and isinstance(item.get("hex"), str) and _HEX.match(item["hex"]):
                out.append({"hex": item["hex"], "title": ", ".join(f"{k} {v}" for k, v in item.items())})
    return out


def _rendered(doc: Document | None) -> str | None:
    if doc is None or doc.kind != "html":
        return None
    return _CSP + doc.text[:MAX_SHOWN_CHARS]


def render_html(run: CheckRun) -> str:
    """The report as one HTML page."""
    files: list[dict[str, Any]] = []
    codes: set[str] = set()
    for i, (result, doc) in enumerate(run.results):
        rows = []
        for j, f in enumerate(result.findings):
            codes.add(f.code)
            raw = f.to_dict()["evidence"]
            rows.append(
                {
                    "code": f.code,
                    "rule": f.rule,
                    "docs": DOCS_URL.format(code=f.code) if _RULE_CODE.match(f.code) else None,
                    "severity": f.severity.value,
                    "message": f.message,
                    "where": f"{f.span.line}:{f.span.column}" if f.span else "",
                    "evidence": evidence_sentence(f),
                    "raw": json.dumps(raw, ensure_ascii=False, indent=1) if raw else None,
                    "swatches": _swatches(f),
                    "fix": f.fix.description if f.fix else None,
                    "anchor": f"f{i}-{j}",
                }
            )
        files.append(
            {
                "path": result.path or "<input>",
                "passed": result.passed,
                "counts": result.counts(),
                "scores": result.scores,
                "segments": _segments(doc, result.findings) if doc is not None else None,
                "rendered": _rendered(doc),
                "findings": rows,
                "suppressed": len(result.suppressed),
                "not_listed": sorted((result.extra.get("capped") or {}).items()) if result.extra else [],
            }
        )
    rendered: str = _template().render(
        files=files,
        codes=sorted(codes),
        summary=run.summary(),
        policy_version=run.policy_version,
        policy_source=run.policy_source,
        channel=run.channel,
        version=tool_version(),
    )
    return rendered
