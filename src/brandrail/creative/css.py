"""CSS of HTML e-mails, read with maintained libraries: tinycss2 (CSS Syntax Level 3 parser) and cssselect2
(Selectors Level 4 matcher).

:class:`StyleSheet` collects the rules of every ``<style>`` block (wherever it stands in the document) with
their selectors compiled by cssselect2 — every selector it supports: type, class, id, attribute, ``>``/``+``/``~``
combinators, ``:link``, ``:not()``, ``:nth-child()`` … (``:visited``, ``:hover`` and other states never match:
an e-mail is checked as first seen). Rules inside ``@media`` are kept with the colour schemes their query
matches (:func:`media_schemes`): a query is evaluated for a desktop screen :data:`VIEWPORT_WIDTH` px wide, so
print-only and mobile-only (``max-width: 600px``) rules are left out of the light and dark schemes, and
``prefers-color-scheme: dark`` rules apply to the dark scheme only. A third context, ``mobile``, is a phone
screen :data:`MOBILE_WIDTH` px wide in the light scheme: where an e-mail's rules differ on a phone
(:attr:`StyleSheet.viewport_specific`), what a phone reader sees is computed too. Rules in ``@supports``, ``@container`` (its
query not evaluated) and ``@layer`` blocks are kept, at any depth and inside ``@media``; other at-rules
(``@scope``, ``@font-face``, ``@keyframes``, ``@page``…) are skipped.
:func:`declarations` parses a declaration block (a rule's content or a ``style`` attribute) keeping
``!important``. At most :data:`MAX_RULES` selectors are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import cssselect2  # type: ignore[import-untyped]
import tinycss2  # type: ignore[import-untyped]
from cssselect2 import parser as _selectors
from cssselect2.compiler import CompiledSelector  # type: ignore[import-untyped]

__all__ = [
    "CONTEXTS",
    "MAX_RULES",
    "MOBILE_HEIGHT",
    "MOBILE_WIDTH",
    "SCHEMES",
    "VIEWPORT_WIDTH",
    "Decl",
    "StyleSheet",
    "declarations",
    "media_schemes",
]

#: At most this many selectors are read from an e-mail's style blocks (the rest are ignored).
MAX_RULES = 5_000
#: Media queries are evaluated for a desktop e-mail client this wide (CSS px) and this tall.
VIEWPORT_WIDTH = 800
VIEWPORT_HEIGHT = 900
#: ... and for a phone this wide and tall (an iPhone SE / 8 in portrait).
MOBILE_WIDTH = 375
MOBILE_HEIGHT = 667
#: The colour schemes an e-mail is checked in.
SCHEMES = ("light", "dark")
#: Where a style rule may apply: the desktop colour schemes and a phone in the light scheme.
CONTEXTS = ("light", "dark", "mobile")


@dataclass(frozen=True)
class Decl:
    """One declaration: lower-case property name, value as written (serialised), ``!important``."""

    name: str
    value: str
    important: bool


def declarations(css: str | list[Any]) -> list[Decl]:
    """The declarations of a block (``color: red; font: bold 14px Arial !important``), in source order.

    Malformed declarations are dropped, as browsers do; ``--custom`` property names keep their case.
    """
    nodes = tinycss2.parse_blocks_contents(css, skip_comments=True, skip_whitespace=True)
    out: list[Decl] = []
    for node in nodes:
        if node.type != "declaration":
            continue
        name = node.name if node.name.startswith("--") else node.lower_name
        value = tinycss2.serialize(node.value).strip()
        out.append(Decl(name, value, bool(node.important)))
    return out


_LENGTH = re.compile(r"^(-?\d*\.?\d+)(px|em|rem)?$")


def _px(text: str) -> float | None:
    m = _LENGTH.match(text.strip())
    if not m:
        return None
    value = float(m.group(1))
    return value * 16 if m.group(2) in ("em", "rem") else value


def _feature(name: str, value: str | None, sizes: dict[str, int]) -> frozenset[str] | bool:
    """A media feature on a screen of ``sizes``: True/False, or the set of colour schemes it holds in."""
    name = name.strip()
    value = value.strip() if value is not None else None
    if name == "prefers-color-scheme":
        if value in SCHEMES:
            return frozenset({value})
        return False
    for prefix in ("min-", "max-", ""):
        for dim in ("width", "height"):
            for device in ("", "device-"):
                if name == f"{prefix}{device}{dim}":
                    if value is None:
                        return True
                    px = _px(value)
                    if px is None:
                        return False
                    actual = sizes[dim]
                    return (
                        actual >= px
                        if prefix == "min-"
                        else actual <= px
                        if prefix == "max-"
                        else actual == px
                    )
    if name == "orientation":
        return value == ("landscape" if sizes["width"] > sizes["height"] else "portrait")
    if name in ("-webkit-min-device-pixel-ratio", "min-device-pixel-ratio", "min--moz-device-pixel-ratio"):
        try:
            return value is not None and float(value) <= 1
        except ValueError:
            return False
    if name in ("-webkit-max-device-pixel-ratio", "max-device-pixel-ratio"):
        try:
            return value is not None and float(value) >= 1
        except ValueError:
            return False
    if name in ("min-resolution", "max-resolution", "resolution"):
        m = re.match(r"^([\d.]+)(dppx|x|dpi)$", value or "")
        if not m:
            return False
        dppx = float(m.group(1)) / (96 if m.group(2) == "dpi" else 1)
        return dppx <= 1 if name == "min-resolution" else dppx >= 1 if name == "max-resolution" else dppx == 1
    phone = sizes["width"] < VIEWPORT_WIDTH
    if name == "hover":
        return value == "none" if phone else value in (None, "hover")
    if name == "pointer":
        return value in (None, "coarse" if phone else "fine")
    if name == "prefers-reduced-motion":
        return value == "no-preference"
    return name == "color"  # other features are unknown: they do not match, as in browsers


_RANGE = re.compile(r"^(width|height)\s*(<=|>=|<|>|=)\s*(\S+)$")


def _query(text: str, sizes: dict[str, int]) -> frozenset[str]:
    """The colour schemes in which one media query (no commas) matches on a screen of ``sizes``."""
    everything = frozenset(SCHEMES)
    q = text.strip().lower()
    negate = False
    if q.startswith("not "):
        negate, q = True, q[4:].strip()
    elif q.startswith("only "):
        q = q[5:].strip()
    result: frozenset[str] = everything
    outside = re.sub(r"\([^()]*\)", " ", q)
    words = [w for w in re.split(r"\s+", outside) if w and w != "and"]
    if words:
        if len(words) != 1 or words[0] not in ("all", "screen", "print"):
            return everything if negate else frozenset()  # unknown type or syntax: never matches
        if words[0] == "print":
            result = frozenset()
    for inner in re.findall(r"\(([^()]*)\)", q):
        rng = _RANGE.match(inner.strip())
        if rng:
            dim, op, raw = rng.groups()
            px = _px(raw)
            actual = sizes[dim]
            ok = (
                px is not None
                and {
                    "<": actual < (px or 0),
                    "<=": actual <= (px or 0),
                    ">": actual > (px or 0),
                    ">=": actual >= (px or 0),
                    "=": actual == px,
                }[op]
            )
            held: frozenset[str] | bool = ok
        else:
            name, _, value = inner.partition(":")
            held = _feature(name, value if _ else None, sizes)
        if held is False:
            result = frozenset()
        elif isinstance(held, frozenset):
            result = result & held
    return everything - result if negate else result


_DESKTOP = {"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT}
_PHONE = {"width": MOBILE_WIDTH, "height": MOBILE_HEIGHT}


def media_schemes(prelude: str) -> frozenset[str]:
    """The contexts (:data:`CONTEXTS`: ``light`` and ``dark`` on a desktop screen, ``mobile`` on a phone in
    the light scheme) in which a media query list matches; empty: never."""
    if not prelude.strip():
        return frozenset(CONTEXTS)
    out: frozenset[str] = frozenset()
    for part in _split_commas(prelude):
        out |= _query(part, _DESKTOP)
        if "light" in _query(part, _PHONE):
            out |= {"mobile"}
    return out


def _split_commas(text: str) -> list[str]:
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


#: Group at-rules whose rules are read as if written outside them: ``@supports`` (a mail client that renders
#: the rule supports what it tests), ``@container`` (a size query on an element's container, not evaluated:
#: its rules may apply) and ``@layer`` (a cascade layer; its rules apply, read in source order).
_KEPT_AT_RULES = frozenset({"supports", "container", "layer"})

#: The pseudo-elements whose ``content`` puts text before or after an element's own (a list item's
#: ``::marker`` shows before its text).
PSEUDO_ELEMENTS = ("before", "after", "marker")


def generated_text(value: str, attrs: dict[str, str]) -> str:
    """The text a ``content`` value generates: its strings (escapes decoded) and ``attr(name)`` values, in
    order; "" for ``none``, ``normal`` and what makes no text (``url()``, counters, quotes: a counter's
    number is not a word)."""
    out: list[str] = []
    for token in tinycss2.parse_component_value_list(value, skip_comments=True):
        if token.type == "string":
            out.append(token.value)
        elif token.type == "function" and token.lower_name == "attr":
            names = [t for t in token.arguments if t.type == "ident"]
            if names:
                out.append(attrs.get(names[0].lower_value, ""))
    return "".join(out)


@dataclass(frozen=True)
class RuleDecls:
    """The declarations of one style rule and the colour schemes it applies in."""

    decls: tuple[Decl, ...]
    schemes: frozenset[str]


def _ancestor_guard(tree: Any) -> tuple[str, str] | None:
    """An id (``("id", "row7")``) or else a class (``("class", "r")``) that an ancestor of every element the
    parsed selector ``tree`` matches must have: that of a compound left of a descendant or child combinator
    (``#row7 span``, ``.r > em``, ``.r em + b``: an ancestor of a sibling is an ancestor too). A compound left
    of ``+`` or ``~`` is a sibling (``.r + p span``: of an ancestor), not an ancestor. None when there is
    none."""
    found: tuple[str, str] | None = None
    node = tree
    while isinstance(node, _selectors.CombinedSelector):
        left = node.left
        compound = left.right if isinstance(left, _selectors.CombinedSelector) else left
        if node.combinator in (" ", ">") and isinstance(compound, _selectors.CompoundSelector):
            for simple in compound.simple_selectors:
                if isinstance(simple, _selectors.IDSelector):
                    return ("id", simple.ident)
                if isinstance(simple, _selectors.ClassSelector) and found is None:
                    found = ("class", simple.class_name)
        node = left
    return found


class _Matcher(cssselect2.Matcher):  # type: ignore[misc]
    """cssselect2's matcher, with the selectors that need an ancestor with some id or class (``#row7 span``,
    :func:`_ancestor_guard`) also indexed by it: cssselect2 indexes a selector by its rightmost compound only,
    so each ``span`` was tested against every ``#rowN span`` of a sheet, walking its ancestors each time
    (elements × rules). Here an element tests only those whose id or class one of its ancestors has. The
    selector's own test still decides, so what matches, and in what order, is cssselect2's."""

    def __init__(self) -> None:
        super().__init__()
        #: (bucket of the rightmost compound, as cssselect2 keys it) -> ancestor id/class -> entries
        self.guarded: dict[tuple[str, Any], dict[tuple[str, str], list[Any]]] = {}

    def add_guarded(self, selector: Any, payload: Any, guard: tuple[str, str] | None) -> None:
        """:meth:`add_selector`, the selector indexed by ``guard`` too when given."""
        if guard is None:
            self.add_selector(selector, payload)
            return
        self.order += 1
        if selector.never_matches:
            return
        entry = (selector.test, selector.specificity, self.order, selector.pseudo_element, payload)
        if selector.id is not None:
            bucket: tuple[str, Any] = ("id", selector.id)
        elif selector.class_name is not None:
            bucket = ("class", selector.class_name)
        elif selector.local_name is not None:
            bucket = ("tag", selector.lower_local_name)
        elif selector.namespace is not None:
            bucket = ("ns", selector.namespace)
        elif selector.requires_lang_attr:
            bucket = ("lang", None)
        else:
            bucket = ("other", None)
        self.guarded.setdefault(bucket, {}).setdefault(guard, []).append(entry)

    def match(self, element: Any) -> list[Any]:
        relevant: list[Any] = super().match(element)
        if not self.guarded:
            return relevant
        buckets: list[tuple[str, Any]] = [("class", c) for c in element.classes]
        if element.id is not None:
            buckets.append(("id", element.id))
        buckets.append(("tag", cssselect2.ascii_lower(element.local_name)))
        buckets.append(("ns", element.namespace_url))
        if "lang" in element.etree_element.attrib:
            buckets.append(("lang", None))
        buckets.append(("other", None))
        guards = [self.guarded[b] for b in buckets if b in self.guarded]
        if not guards:
            return relevant
        keys: set[tuple[str, str]] = set()
        for ancestor in element.ancestors:
            if ancestor.id is not None:
                keys.add(("id", ancestor.id))
            keys.update(("class", c) for c in ancestor.classes)
        added = False
        for by_guard in guards:
            for key in keys.intersection(by_guard):
                self.add_relevant_selectors(element, by_guard[key], relevant)
                added = True
        if added:
            relevant.sort()
        return relevant


class StyleSheet:
    """The rules of an e-mail's style blocks, in a cssselect2 matcher; see the module docstring."""

    def __init__(self) -> None:
        self.matcher = _Matcher()
        self.selectors = 0
        self.skipped: list[str] = []  # selectors cssselect2 cannot compile (kept for diagnostics)
        self.scheme_specific = False  # some rules apply in one colour scheme only
        self.viewport_specific = False  # some rules apply on a desktop screen or on a phone only
        #: some rule gives a ``::before`` or ``::after`` pseudo-element a ``content`` (text the reader sees)
        self.generates = False

    def __bool__(self) -> bool:
        return self.selectors > 0

    def add(self, css: str) -> None:
        """Add the rules of one ``<style>`` block."""
        rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        self._add_rules(rules, frozenset(CONTEXTS))

    def _add_rules(self, rules: list[Any], schemes: frozenset[str]) -> None:
        for rule in rules:
            if self.selectors >= MAX_RULES:
                return
            if rule.type == "qualified-rule":
                self._add_qualified(rule, schemes)
            elif rule.type == "at-rule" and rule.content is not None:
                keyword = rule.lower_at_keyword
                if keyword == "media":
                    inner = schemes & media_schemes(tinycss2.serialize(rule.prelude))
                    if inner:
                        if ("light" in inner) != ("dark" in inner):
                            self.scheme_specific = True
                        if ("light" in inner) != ("mobile" in inner):
                            self.viewport_specific = True
                        self._add_rules(tinycss2.parse_rule_list(rule.content, True, True), inner)
                elif keyword in _KEPT_AT_RULES:
                    self._add_rules(tinycss2.parse_rule_list(rule.content, True, True), schemes)

    def _add_qualified(self, rule: Any, schemes: frozenset[str]) -> None:
        decls = tuple(declarations(rule.content))
        if not decls:
            return
        payload = RuleDecls(decls, schemes)
        try:
            parsed = list(_selectors.parse(rule.prelude))
            compiled = [CompiledSelector(p) for p in parsed]
        except cssselect2.SelectorError:
            # one bad selector invalidates the whole list, as in browsers
            self.skipped.append(tinycss2.serialize(rule.prelude).strip())
            return
        if any(d.name == "content" for d in decls) and any(
            getattr(selector, "pseudo_element", None) in PSEUDO_ELEMENTS for selector in compiled
        ):
            self.generates = True
        for tree, selector in zip(parsed, compiled, strict=True):
            if self.selectors >= MAX_RULES:
                return
            self.matcher.add_guarded(selector, payload, _ancestor_guard(tree.parsed_tree))
            self.selectors += 1

    def match(self, wrapper: cssselect2.ElementWrapper) -> list[tuple[tuple[int, int, int], int, RuleDecls]]:
        """(specificity, source order, rule) of every rule matching the element, pseudo-elements left out."""
        return [
            (specificity, order, payload)
            for specificity, order, pseudo, payload in self.matcher.match(wrapper)
            if pseudo is None
        ]

    def match_pseudo(
        self, wrapper: cssselect2.ElementWrapper
    ) -> list[tuple[str, tuple[int, int, int], int, RuleDecls]]:
        """(pseudo-element, specificity, source order, rule) of every rule matching the element's ``::before``
        or ``::after`` (:data:`PSEUDO_ELEMENTS`)."""
        return [
            (pseudo, specificity, order, payload)
            for specificity, order, pseudo, payload in self.matcher.match(wrapper)
            if pseudo in PSEUDO_ELEMENTS
        ]
