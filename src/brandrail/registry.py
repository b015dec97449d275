"""The rule registry: every finding code brandrail can emit, each a documented class under a stable code.

A rule *type* is code (a :class:`Rule` subclass, one per file); a brand's rule *instances* are data in its
policy. Rules register with :func:`register`; a duplicate code or a docstring without the four parts
(What it flags / Why it matters / Example / Use instead) fails at import.

Three kinds of rule exist:

* ``text`` rules check a :class:`~brandrail.text.Document` (plain text, Markdown or HTML prose);
* ``html`` rules check the markup of an HTML file (e-mail structure) and ``image`` rules check an image;
* ``verdict`` codes are emitted by audits and the gate (FA, GL, AG); they have docs but no ``check``.

Pillars register their rules when imported; :func:`load_all` imports every pillar's rule modules by name,
so the core needs no static import of a pillar.
"""

from __future__ import annotations

import importlib
import re
import textwrap
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from brandrail._extras import MissingExtraError
from brandrail.errors import RuleError
from brandrail.findings import Edit, Finding, Fix, Severity

if TYPE_CHECKING:
    from brandrail.policy import Policy
    from brandrail.text import Document

__all__ = [
    "CONTENT_RULE_MODULES",
    "DOC_SECTIONS",
    "KIND_MODULES",
    "RULE_MODULES",
    "VERDICT_MODULES",
    "Rule",
    "RuleDoc",
    "all_rules",
    "get_rule",
    "load_all",
    "register",
    "suggest_code",
]

#: Modules whose rules check content (text, html, image); imported by ``check``.
CONTENT_RULE_MODULES: tuple[str, ...] = (
    "brandrail.content.rules",
    "brandrail.voice.rules",
    "brandrail.creative.rules",
)
#: Modules that register verdict codes (audits, gate); imported only when every code is wanted.
VERDICT_MODULES: tuple[str, ...] = (
    "brandrail.fairness.codes",
    "brandrail.goals.codes",
    "brandrail.gate.codes",
)
RULE_MODULES: tuple[str, ...] = CONTENT_RULE_MODULES + VERDICT_MODULES
#: The modules that register the rules of each content kind: a check of plain text does not import the
#: creative rules (and their e-mail and CSS parsers). tests/core checks this table against the registry.
KIND_MODULES: dict[str, tuple[str, ...]] = {
    "text": ("brandrail.content.rules", "brandrail.voice.rules"),
    "html": ("brandrail.creative.rules",),
    "image": ("brandrail.creative.rules",),
}

DOC_SECTIONS = ("What it flags", "Why it matters", "Example", "Use instead")
_CODE = re.compile(r"^(BR[1-9]\d\d|PV[12]\d\d|FA\d{3}|GL\d{3}|AG\d{3})$")

Status = Literal["stable", "preview", "deprecated"]
Kind = Literal["text", "html", "image", "verdict"]

_REGISTRY: dict[str, type[Rule]] = {}


class RuleDoc:
    """A rule docstring split into its four parts."""

    def __init__(self, summary: str, sections: dict[str, str]) -> None:
        self.summary = summary
        self.sections = sections

    @classmethod
    def parse(cls, code: str, doc: str | None) -> RuleDoc:
        import inspect

        text = inspect.cleandoc(doc or "")
        if not text:
            raise RuleError(
                f"rule {code} has no docstring", hint=f"write the parts: {', '.join(DOC_SECTIONS)}"
            )
        lines = text.splitlines()
        summary_lines: list[str] = []
        sections: dict[str, list[str]] = {}
        current: str | None = None
        for line in lines:
            stripped = line.strip().rstrip(":")
            if stripped in DOC_SECTIONS and line.strip().endswith(":"):
                current = stripped
                sections[current] = []
            elif current is None:
                summary_lines.append(line)
            else:
                sections[current].append(line)
        missing = [s for s in DOC_SECTIONS if s not in sections or not "\n".join(sections[s]).strip()]
        if missing:
            raise RuleError(
                f"rule {code}'s docstring lacks the section(s): {', '.join(missing)}",
                hint="each section is a line 'Name:' followed by its text",
            )
        order = [s for s in sections if s in DOC_SECTIONS]
        if order != list(DOC_SECTIONS):
            raise RuleError(
                f"rule {code}'s docstring sections must come in the order: {', '.join(DOC_SECTIONS)}"
            )
        return cls(
            " ".join(s.strip() for s in summary_lines).strip(),
            {k: textwrap.dedent("\n".join(v)).strip() for k, v in sections.items()},
        )


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.ERROR
    status: ClassVar[Status] = "stable"
    since: ClassVar[str] = "0.1.0"
    kind: ClassVar[Kind] = "text"
    doc: ClassVar[RuleDoc]

    def check(self, subject: Any, policy: Policy) -> Iterable[Finding]:
        """Yield findings for ``subject`` under ``policy``. Verdict codes do not implement this."""
        raise NotImplementedError(f"{self.code} is a verdict code and is not run by `check`")

    # -- helpers for subclasses ---------------------------------------------------------------------------

    @classmethod
    def severity_for(cls, policy: Policy) -> Severity:
        setting = policy.rules.get(cls.code)
        if setting is not None and setting.severity is not None:
            return setting.severity
        return cls.default_severity

    @classmethod
    def finding(
        cls,
        message: str,
        *,
        doc: Document | None = None,
        start: int | None = None,
        end: int | None = None,
        evidence: dict[str, Any] | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of this rule; with ``doc`` and offsets, the span and matched text are filled in."""
        span = None
        match = None
        if doc is not None and start is not None and end is not None:
            span = doc.span(start, end)
            match = doc.text[start:end]
            if match and "reads_as" not in (evidence or {}):
                reads_as = _read_through(doc, start, end)
                if reads_as is not None:
                    evidence = {**(evidence or {}), "reads_as": reads_as}
        return Finding(
            code=cls.code,
            rule=cls.name,
            severity=severity or cls.default_severity,
            message=message,
            span=span,
            match=match,
            evidence=evidence or {},
            fix=fix,
            path=doc.path if doc is not None else None,
        )

    @staticmethod
    def replace_fix(description: str, start: int, end: int, replacement: str, *, safe: bool = True) -> Fix:
        return Fix(description, (Edit(start, end, replacement),), safe)


#: characters of a disguise a match may hold: markup, emphasis marks, a line break; non-ASCII is checked apart
_DISGUISE_MARKS = frozenset("<>&*~\n")
#: punctuation at either end of a reading; the end's run is tried only where a run starts (the look-behind), so
#: a long run of symbols inside the text costs one pass, not one pass per character of it
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|(?<![\W_])[\W_]+$")


#: The runs of these characters that hold a letter are the words leetspeak is read in (a word of two letters
#: or more has each leet symbol read as its letter: "l3ft" → "left", "FR33!" → "FREEi").
_LEET_CHARS = "A-Za-z0-9@$!"


@lru_cache(maxsize=1)
def _leet_reading() -> tuple[re.Pattern[str], dict[int, str]]:
    """A pattern that finds, whole, each run of :data:`_LEET_CHARS` that holds a leet symbol (the only runs
    reading changes), and the table that reads the symbols."""
    from brandrail.text.normalize import LEET

    symbols = "".join(re.escape(c) for c in sorted(LEET))
    run = f"[{_LEET_CHARS}]"
    return re.compile(f"(?<!{run}){run}*[{symbols}]{run}*"), str.maketrans(LEET)


def _unleet_words(text: str) -> str:
    """``text`` with each word of two letters or more that holds leet symbols read as letters. Only the runs
    that hold a symbol are visited (not every word of a long text)."""
    rx, table = _leet_reading()
    pieces: list[str] = []
    cursor = 0
    for m in rx.finditer(text):
        word = m.group()
        if sum(c.isalpha() for c in word) < 2:
            continue
        pieces.append(text[cursor : m.start()])
        pieces.append(word.translate(table))
        cursor = m.end()
    if not pieces:
        return text
    pieces.append(text[cursor:])
    return "".join(pieces)


def _read_through(doc: Document, start: int, end: int) -> str | None:
    """How ``doc.text[start:end]`` reads once its disguises are undone (look-alike or styled letters, hidden
    characters, tags, emphasis marks, a bidi override before it…), when that differs from what is written other
    than in case; None when it reads as written. A finding's evidence shows both (``match`` and ``reads_as``)."""
    text = doc.text
    written = text[start:end]
    reordered = bool(doc.__dict__.get("_reordered"))
    if not any(c.isalnum() or (not c.isascii() and unicodedata.category(c) == "So") for c in written):
        return None  # no letter (nor a symbol standing for one, "⒡", "🆓"): a hidden character, say
    leet = any(c.isdigit() or c in "@$!" for c in written) and any(c.isalpha() for c in written)
    if not reordered and written.isascii() and not _DISGUISE_MARKS.intersection(written) and not leet:
        return None  # written as it reads (no markup, no leetspeak)
    from brandrail.text.document import Document as _Document

    lo = start
    if reordered:  # a right-to-left override before the match on its line reorders it
        line = text.rfind("\n", 0, start) + 1
        rlo = text.rfind("\u202e", line, start)
        if rlo >= 0 and "\u202c" not in text[rlo:start]:
            lo = rlo
    # the whole token: a closing emphasis mark or tag after the match belongs to its reading ("mira**cle**")
    hi = end
    while hi < len(text) and hi - end < 40 and not text[hi].isspace():
        hi += 1
    while lo > 0 and start - lo < 40 and not text[lo - 1].isspace():
        lo -= 1
    kind = doc.kind if doc.kind in ("text", "markdown", "html") else "text"
    origin = doc.origin if lo == 0 and hi == len(text) else None
    if origin is not None and type(origin) is _Document and origin.kind == kind:
        norm = origin.norm  # the whole text (a finding on all of it): read once already, not read again
    else:
        norm = _Document(text[lo:hi], kind=kind).norm
    reads = " ".join(norm.split())
    reads = _EDGE_PUNCTUATION.sub("", reads)
    reads = _unleet_words(reads)  # leetspeak the term matcher undid at a word's edge
    return None if reads.lower() == written.lower() or not reads else reads


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add ``cls`` to the registry under its code (duplicates fail at import)."""
    code = getattr(cls, "code", None)
    if not isinstance(code, str) or not _CODE.match(code):
        raise RuleError(
            f"{cls.__qualname__} has an invalid code {code!r}", hint="codes look like BR101, PV101, FA001"
        )
    if not getattr(cls, "name", None) or not re.match(r"^[a-z][a-z0-9-]*$", cls.name):
        raise RuleError(f"rule {code} needs a kebab-case `name` that names what it flags")
    existing = _REGISTRY.get(code)
    if existing is not None and existing.__qualname__ != cls.__qualname__:
        raise RuleError(f"duplicate rule code {code}: {existing.__qualname__} and {cls.__qualname__}")
    if existing is not None and existing.__module__ != cls.__module__:
        raise RuleError(f"duplicate rule code {code} in {existing.__module__} and {cls.__module__}")
    cls.doc = RuleDoc.parse(code, cls.__doc__)
    _REGISTRY[code] = cls
    return cls


_loaded: set[str] = set()


def load_all(modules: tuple[str, ...] = RULE_MODULES) -> None:
    """Import the pillars' rule modules (those whose extra is installed) so that their codes are registered."""
    for name in modules:
        if name in _loaded:
            continue
        try:
            importlib.import_module(name)
        except MissingExtraError:
            pass  # a pillar whose extra is not installed registers no rules
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
        _loaded.add(name)


def all_rules(kind: Kind | None = None) -> list[type[Rule]]:
    """Every registered rule, sorted by code; only those of ``kind`` when given.

    Content kinds (text, html, image) load only the modules of that kind (:data:`KIND_MODULES`), so
    ``check`` starts fast.
    """
    load_all(RULE_MODULES if kind is None or kind not in KIND_MODULES else KIND_MODULES[kind])
    rules = sorted(_REGISTRY.values(), key=lambda r: r.code)
    return [r for r in rules if kind is None or r.kind == kind]


def get_rule(code: str) -> type[Rule] | None:
    """The rule registered under ``code`` (case-insensitive), or None."""
    code = code.upper()
    load_all(CONTENT_RULE_MODULES)
    if code not in _REGISTRY:
        load_all()
    return _REGISTRY.get(code)


def suggest_code(code: str) -> str | None:
    """The registered code nearest to a mistyped one ("BR1O1" → "BR101"), or None."""
    import difflib

    load_all()
    upper = code.strip().upper()
    # letters typed for digits in the number part: BR1O1 -> BR101, PVIO2 -> PV102
    wanted = upper[:2] + upper[2:].translate(str.maketrans("OIL", "011"))
    if wanted in _REGISTRY:
        return wanted
    close = difflib.get_close_matches(wanted, sorted(_REGISTRY), n=1, cutoff=0.6)
    return close[0] if close else None
