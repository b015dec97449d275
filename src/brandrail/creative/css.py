"""A small CSS reader for ``<style>`` blocks of HTML e-mails: simple selectors only.

Understood: type, class and id selectors and their compounds (``td``, ``.footer``, ``#main``, ``p.note``,
``*``), descendant combinators (``.footer a``) and selector lists (``h1, h2``). Rules are applied in order of
specificity, then source order, under the inline ``style`` attribute. Skipped, with the rest of their rule
intact: selectors with pseudo-classes, attribute selectors or ``>``/``+``/``~`` combinators, and every
at-rule block (``@media``, ``@font-face`` …). ``!important`` is not given priority. At most
:data:`MAX_RULES` rules are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

__all__ = ["MAX_RULES", "CssRule", "Matchable", "StyleSheet", "matching_declarations", "parse_css"]

_COMPOUND = re.compile(r"^(?P<tag>[a-zA-Z][a-zA-Z0-9-]*|\*)?(?P<rest>(?:[.#][A-Za-z_][\w-]*)*)$")
_PART = re.compile(r"([.#])([A-Za-z_][\w-]*)")


class Matchable(Protocol):
    """What a selector is matched against: an element with a tag, attributes and a parent."""

    @property
    def tag(self) -> str: ...

    @property
    def attrs(self) -> dict[str, str]: ...

    @property
    def parent(self) -> Matchable | None: ...


@dataclass(frozen=True)
class _Compound:
    tag: str | None
    classes: frozenset[str]
    ids: frozenset[str]

    def matches(self, el: Matchable) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.ids and el.attrs.get("id", "") not in self.ids:
            return False
        return not self.classes or self.classes <= set(el.attrs.get("class", "").split())


@dataclass(frozen=True)
class CssRule:
    """One selector (a chain of compounds, descendant-combined) with its declarations."""

    chain: tuple[_Compound, ...]
    declarations: dict[str, str]
    specificity: tuple[int, int, int]
    order: int

    def matches(self, el: Matchable) -> bool:
        if not self.chain[-1].matches(el):
            return False
        node = el.parent
        for compound in reversed(self.chain[:-1]):
            while node is not None and not compound.matches(node):
                node = node.parent
            if node is None:
                return False
            node = node.parent
        return True


def _strip_at_rules(css: str) -> str:
    """Remove ``@...{...}`` blocks (with nested braces) and ``@import ...;`` statements."""
    out: list[str] = []
    i = 0
    while i < len(css):
        at = css.find("@", i)
        if at == -1:
            out.append(css[i:])
            break
        out.append(css[i:at])
        brace = css.find("{", at)
        semi = css.find(";", at)
        if semi != -1 and (brace == -1 or semi < brace):
            i = semi + 1
            continue
        if brace == -1:
            break
        depth, j = 0, brace
        while j < len(css):
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        i = j + 1
    return "".join(out)


def _selector(text: str) -> tuple[tuple[_Compound, ...], tuple[int, int, int]] | None:
    parts = text.split()
    if not parts:
        return None
    chain = []
    ids = classes = tags = 0
    for part in parts:
        m = _COMPOUND.match(part)
        if not m or not part:
            return None
        tag = m.group("tag")
        found = _PART.findall(m.group("rest"))
        cls = frozenset(name for kind, name in found if kind == ".")
        idents = frozenset(name for kind, name in found if kind == "#")
        chain.append(_Compound(None if tag in (None, "*") else tag.lower(), cls, idents))
        ids += len(idents)
        classes += len(cls)
        tags += 1 if tag not in (None, "*") else 0
    return tuple(chain), (ids, classes, tags)


def parse_css(css: str, start_order: int = 0) -> list[CssRule]:
    """The simple-selector rules of a style sheet (see the module docstring for what is skipped)."""
    from brandrail.creative.email import parse_style

    css = re.sub(r"/\*.*?\*/", " ", css, flags=re.DOTALL)
    css = _strip_at_rules(css).replace("<!--", " ").replace("-->", " ")
    rules: list[CssRule] = []
    order = start_order
    for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = parse_style(m.group(2))
        if not declarations:
            continue
        for sel in m.group(1).split(","):
            parsed = _selector(sel.strip())
            if parsed is None:
                continue
            chain, specificity = parsed
            rules.append(CssRule(chain, declarations, specificity, order))
            order += 1
    return rules


#: At most this many selector rules are read from an e-mail's style blocks (the rest are ignored).
MAX_RULES = 5_000


class StyleSheet:
    """Rules indexed by the key of their last compound (id, a class, the tag, or any), so an element is only
    matched against rules that can apply to it.
    """

    def __init__(self) -> None:
        self.rules: list[CssRule] = []
        self._index: dict[tuple[str, str], list[CssRule]] = {}

    def __bool__(self) -> bool:
        return bool(self.rules)

    def add(self, css: str) -> None:
        room = MAX_RULES - len(self.rules)
        if room <= 0:
            return
        for rule in parse_css(css, len(self.rules))[:room]:
            self.rules.append(rule)
            last = rule.chain[-1]
            if last.ids:
                key = ("#", min(last.ids))
            elif last.classes:
                key = (".", min(last.classes))
            elif last.tag:
                key = ("t", last.tag)
            else:
                key = ("*", "")
            self._index.setdefault(key, []).append(rule)

    def candidates(self, el: Matchable) -> list[CssRule]:
        keys = [("*", ""), ("t", el.tag)]
        ident = el.attrs.get("id", "")
        if ident:
            keys.append(("#", ident))
        keys.extend((".", c) for c in el.attrs.get("class", "").split())
        out: list[CssRule] = []
        for key in keys:
            out.extend(self._index.get(key, ()))
        return out


def matching_declarations(sheet: StyleSheet, el: Matchable) -> dict[str, str]:
    """Declarations of every rule matching ``el``, later/more specific ones winning."""
    out: dict[str, str] = {}
    matched = {id(r): r for r in sheet.candidates(el) if r.matches(el)}
    for rule in sorted(matched.values(), key=lambda r: (r.specificity, r.order)):
        out.update(rule.declarations)
    return out
