"""The order in which a reader sees small groups of sibling pieces of text that CSS layout moves around.

A word can be put together only on screen: ``<span style="float:right">less</span><span
style="float:right">flaw</span>`` shows "flawless" (the first right float sits rightmost), and so do flex and
grid items placed by ``order``, ``grid-column``/``grid-area``, ``flex-direction: row-reverse`` or a
right-to-left row (``direction: rtl``, ``dir="rtl"``). :func:`reordered_groups` finds runs of sibling elements
that each hold text alone and gives the order they are shown in, where that differs from the order written;
:func:`brandrail.content.readings` reads their text in that order where it makes a term's word.

Styles come from the element's ``style`` attribute and from ``<style>`` blocks, whose rules are read only for
simple selectors: a tag, ``.class``, ``#id`` or one compound of them (``span.r``, ``em#x.y``), alone or in a
comma-separated group; for the items of a group also a position pseudo-class (``:first-child``,
``:last-child``, ``:nth-child(N)``) and one descendant or child combinator whose left side is matched against
the group's parent element (``.row .a``, ``.r > span:first-child``; an ancestor further up is not looked at).
Other combinators (``+``, ``~``, more than two compounds), attributes and other pseudo-classes are not read
(skipped); rules inside ``@media`` and other at-rule blocks are read as if they always applied. The
cascade is kept simple: rules apply in order of specificity, then of the source, and the ``style`` attribute
last (``!important`` is not weighed).

Bounded and linear: one scan of the HTML for text-only elements, groups of at most :data:`GROUP_MAX` siblings
(a longer run is not read), at most :data:`RULES_MAX` style rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "GROUP_MAX",
    "LAYOUT_HINT",
    "RULES_MAX",
    "Group",
    "Styles",
    "attributes",
    "declarations",
    "reordered_groups",
]

#: At most this many sibling pieces are read as one group; a longer run of siblings is not read.
GROUP_MAX = 64
#: At most this many selectors of the style sheets are read.
RULES_MAX = 2_000

#: A cheap test that a document may reorder text by layout (a float, an order, a grid, a right-to-left row).
LAYOUT_HINT = re.compile(r"(?i)\bfloat\s*:|(?<![\w-])order\s*:|grid|\brtl\b|row-reverse")

_COMMENT = re.compile(r"(?s)/\*.*?\*/")
#: The longest selector list and declaration block read (longer ones are skipped).
_SELECTORS_MAX = 400
_BODY_MAX = 2_000
_COMPOUND = re.compile(r"(?P<tag>[A-Za-z][A-Za-z0-9]*|\*)?(?P<rest>(?:[.#][A-Za-z_][\w-]*)*)")
_PART = re.compile(r"([.#])([A-Za-z_][\w-]*)")
_DECL = re.compile(r"(?<![A-Za-z-])(?P<name>[A-Za-z-]+)\s*:\s*(?P<value>[^;]*)")
_ATTR = re.compile(
    r"(?P<name>[A-Za-z_:][\w:.-]*)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?"
)
# an element that holds text alone ("<span style="order:2">less</span>")
_TEXT_ELEMENT = re.compile(
    r"<(?P<tag>[A-Za-z][A-Za-z0-9]*)(?P<attrs>\s[^<>]*)?>(?P<text>[^<>]*)</(?P=tag)\s*>", re.IGNORECASE
)
_OPEN_TAG = re.compile(r"<(?P<tag>[A-Za-z][A-Za-z0-9]*)(?P<attrs>\s[^<>]*)?>\s*$")
_INT = re.compile(r"^\s*(-?\d{1,4})\b")
_REPEAT = re.compile(r"(?i)repeat\(\s*(\d{1,3})\s*,([^()]*(?:\([^()]*\)[^()]*)*)\)")


def declarations(css: str) -> dict[str, str]:
    """The declarations of a block (``order: 2; float: right``): lower-case property → lower-case value,
    ``!important`` dropped; a later one wins."""
    out: dict[str, str] = {}
    for m in _DECL.finditer(css):
        out[m.group("name").lower()] = m.group("value").lower().replace("!important", "").strip()
    return out


def attributes(text: str) -> dict[str, str]:
    """The attributes of a start tag's attribute text (lower-case names; the first of a name wins)."""
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        name = m.group("name").lower()
        if name not in out:
            out[name] = m.group("dq") or m.group("sq") or m.group("bare") or ""
    return out


@dataclass(frozen=True)
class _Rule:
    tag: str | None
    ids: tuple[str, ...]
    classes: tuple[str, ...]
    specificity: tuple[int, int, int]
    seq: int
    decls: dict[str, str]
    #: for "P C" / "P > C": the compound P the element's parent must match (see :meth:`Styles.of`)
    parent: _Rule | None = None
    #: a position pseudo-class on the element: "first-child", "last-child" or "nth-child(N)"
    position: str | None = None


class Styles:
    """The simple-selector rules of a document's ``<style>`` blocks (see the module's notes), and the styles
    of an element from them and its ``style`` attribute (:meth:`of`)."""

    def __init__(self, html: str) -> None:
        self._by_key: dict[str, list[_Rule]] = {}
        seq = 0
        for css in _style_blocks(html):
            for selectors, body in _rules(_COMMENT.sub(" ", css)):
                if seq >= RULES_MAX:
                    return
                decls = declarations(body)
                if not decls:
                    continue
                for selector in selectors.split(","):
                    rule = _simple(selector.strip(), seq, decls)
                    seq += 1
                    if rule is None:
                        continue
                    key = (
                        f"#{rule.ids[0]}" if rule.ids else f".{rule.classes[0]}" if rule.classes else rule.tag
                    )
                    self._by_key.setdefault(key or "*", []).append(rule)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def of(
        self, tag: str, attrs: dict[str, str], context: tuple[str, dict[str, str], int, int] | None = None
    ) -> dict[str, str]:
        """The declarations that apply to an element ``tag`` with ``attrs``: matching rules by specificity and
        order, then its ``style`` attribute; a ``dir`` attribute sets ``direction``. With ``context`` (the
        parent's tag and attributes, the element's index among its ``count`` siblings) the rules whose
        selector names the parent ("P C", "P > C") or the element's position (":first-child",
        ":last-child", ":nth-child(N)") apply too; without it they never do."""
        tag = tag.lower()
        found: dict[str, str] = {}
        if "dir" in attrs and attrs["dir"].strip().lower() in {"rtl", "ltr"}:
            found["direction"] = attrs["dir"].strip().lower()
        if self._by_key:
            ids = attrs.get("id", "").split()[:1]
            classes = attrs.get("class", "").split()[:16]
            keys = [tag, "*", *(f"#{i}" for i in ids), *(f".{c}" for c in classes)]
            rules = [r for key in dict.fromkeys(keys) for r in self._by_key.get(key, ())]
            rules = [r for r in rules if _matches(r, tag, ids, classes) and _in_context(r, context)]
            for rule in sorted(rules, key=lambda r: (r.specificity, r.seq)):
                found.update(rule.decls)
        if "style" in attrs:
            found.update(declarations(attrs["style"]))
        return found


def _style_blocks(html: str) -> Iterator[str]:
    """The contents of the ``<style>`` elements of ``html``, in order (one pass: an unclosed one ends the
    search)."""
    low = html.lower()
    at = 0
    while (start := low.find("<style", at)) >= 0:
        if low[start + 6 : start + 7] not in {">", " ", "\t", "\n", "\r", "/"}:
            at = start + 6
            continue
        gt = low.find(">", start)
        end = low.find("</style", gt) if gt >= 0 else -1
        if end < 0:
            return
        yield html[gt + 1 : end]
        at = end + 7


def _rules(css: str) -> Iterator[tuple[str, str]]:
    """(selectors, declarations) of each rule of ``css`` without nested blocks, in order; the rules inside an
    at-rule block come out as if written at the top. Linear: each block is split once."""
    for chunk in css.split("}"):
        head, brace, body = chunk.rpartition("{")
        if not brace or len(body) > _BODY_MAX:
            continue
        selectors = head.rpartition("{")[2].rpartition(";")[2]
        if selectors.strip() and len(selectors) <= _SELECTORS_MAX:
            yield selectors, body


def _simple(selector: str, seq: int, decls: dict[str, str]) -> _Rule | None:
    """A rule for one simple selector (a tag, ``.class``, ``#id`` or a compound of them), else None; also for
    a compound with a position pseudo-class (``span:first-child``) and for two compounds joined by a
    descendant or child combinator (``.row .a``, ``.r > span:nth-child(2)``), which apply only where the
    element's parent and position are known (:meth:`Styles.of`)."""
    parent: _Rule | None = None
    outer = _NESTED.fullmatch(selector)
    if outer is not None:
        parent = _simple(outer.group("parent"), seq, decls)
        if parent is None or parent.position is not None:
            return None
        selector = outer.group("child")
    position = None
    pseudo = _POSITION.search(selector)
    if pseudo is not None:
        position = pseudo.group(1).replace(" ", "")
        selector = selector[: pseudo.start()]
    rule = _compound(selector, seq, decls)
    if rule is None or (parent is None and position is None):
        return rule
    a, b, c = rule.specificity
    pa, pb, pc = parent.specificity if parent is not None else (0, 0, 0)
    spec = (a + pa, b + pb + (position is not None), c + pc)
    return _Rule(rule.tag, rule.ids, rule.classes, spec, seq, decls, parent, position)


# "P C" or "P > C": two compounds and one combinator
_NESTED = re.compile(r"(?P<parent>[^\s>+~]+)\s*(?:>|\s)\s*(?P<child>[^\s>+~]+)")
_POSITION = re.compile(r":(first-child|last-child|nth-child\(\s*\d{1,3}\s*\))$")


def _in_context(rule: _Rule, context: tuple[str, dict[str, str], int, int] | None) -> bool:
    """Whether ``rule``'s parent compound and position pseudo-class hold in ``context`` (see
    :meth:`Styles.of`); a rule without either always does."""
    if rule.parent is None and rule.position is None:
        return True
    if context is None:
        return False
    parent_tag, parent_attrs, index, count = context
    if rule.parent is not None:
        ids = parent_attrs.get("id", "").split()[:1]
        classes = parent_attrs.get("class", "").split()[:16]
        if not _matches(rule.parent, parent_tag.lower(), ids, classes):
            return False
    if rule.position == "first-child":
        return index == 0
    if rule.position == "last-child":
        return index == count - 1
    if rule.position is not None:
        return index + 1 == int(rule.position[len("nth-child(") : -1])
    return True


def _compound(selector: str, seq: int, decls: dict[str, str]) -> _Rule | None:
    m = _COMPOUND.fullmatch(selector)
    if m is None or not selector:
        return None
    tag = m.group("tag")
    parts = _PART.findall(m.group("rest"))
    ids = tuple(name for kind, name in parts if kind == "#")
    classes = tuple(name for kind, name in parts if kind == ".")
    bare = None if tag in (None, "*") else tag.lower()
    spec = (len(ids), len(classes), 0 if bare is None else 1)
    return _Rule(bare, ids, classes, spec, seq, decls)


def _matches(rule: _Rule, tag: str, ids: list[str], classes: list[str]) -> bool:
    return (
        (rule.tag is None or rule.tag == tag)
        and all(i in ids for i in rule.ids)
        and all(c in classes for c in rule.classes)
    )


@dataclass(frozen=True)
class Group:
    """A run of sibling elements that each hold text alone: each one's text (start, end offsets in the HTML),
    and ``shown``, the indices of the pieces in the order a reader sees them (left to right)."""

    pieces: tuple[tuple[int, int], ...]
    shown: tuple[int, ...]


def reordered_groups(html: str) -> Iterator[Group]:
    """The groups of sibling text-only elements of ``html`` shown in another order than written: right floats
    (shown after the rest, the first rightmost), items of a flex row (``order``, ``row-reverse``, right to
    left) and of a grid row (``grid-column``, ``grid-column-start``, ``grid-area``, ``order``, right to left).
    Flex columns and one-column grids stack their items, so they make no word and are not read."""
    if not LAYOUT_HINT.search(html):
        return
    styles = Styles(html)
    run: list[re.Match[str]] = []
    end = -1
    for m in _TEXT_ELEMENT.finditer(html):
        if run and (m.start() != end and html[end : m.start()].strip()):
            yield from _group(html, styles, run)
            run = []
        run.append(m)
        end = m.end()
    if run:
        yield from _group(html, styles, run)


def _group(html: str, styles: Styles, run: list[re.Match[str]]) -> Iterator[Group]:
    if not 2 <= len(run) <= GROUP_MAX:
        return
    before = html.rfind("<", max(0, run[0].start() - 2000), run[0].start())
    parent_m = _OPEN_TAG.match(html, before, run[0].start()) if before >= 0 else None
    parent_attrs = attributes(parent_m.group("attrs") or "") if parent_m else {}
    parent = styles.of(parent_m.group("tag"), parent_attrs) if parent_m else {}
    # the parent is known only when the run starts right after its start tag: then the items' positions are too
    context = (parent_m.group("tag"), parent_attrs) if parent_m else None
    items = [
        styles.of(
            m.group("tag"),
            attributes(m.group("attrs") or ""),
            (*context, k, len(run)) if context is not None else None,
        )
        for k, m in enumerate(run)
    ]
    shown = _shown(parent, items)
    if shown is None or shown == list(range(len(run))):
        return
    yield Group(tuple((m.start("text"), m.end("text")) for m in run), tuple(shown))


def _shown(parent: dict[str, str], items: list[dict[str, str]]) -> list[int] | None:
    """The order the items are shown in, left to right, or None where they are not shown in one row."""
    display = parent.get("display", "")
    rtl = parent.get("direction") == "rtl"
    n = len(items)
    if display in {"flex", "inline-flex"}:
        direction = parent.get("flex-direction", "") or parent.get("flex-flow", "")
        if "column" in direction:
            return None
        shown = sorted(range(n), key=lambda k: (_int(items[k].get("order")) or 0, k))
        if ("row-reverse" in direction) != rtl:
            shown.reverse()
        return shown
    if display in {"grid", "inline-grid"}:
        areas = _areas(parent.get("grid-template-areas", ""))
        cells = [_grid_cell(item, areas) for item in items]
        if all(col is not None for _, col in cells):
            rows = {row or 1 for row, _ in cells}
            if len(rows) != 1:
                return None
            shown = sorted(range(n), key=lambda k: (cells[k][1] or 0, k))
        elif any(col is not None for _, col in cells):
            return None
        elif (
            "column" in parent.get("grid-auto-flow", "")
            or _tracks(parent.get("grid-template-columns", "")) >= n
        ):
            shown = sorted(range(n), key=lambda k: (_int(items[k].get("order")) or 0, k))
        else:
            return None  # one column: the items are stacked
        if rtl:
            shown.reverse()
        return shown
    floats = [item.get("float", "") for item in items]
    # "float: left/right" are physical sides; "inline-start/end" depend on the direction
    right = {"right", "inline-start" if rtl else "inline-end"}
    left = {"left", "inline-end" if rtl else "inline-start"}
    if not any(f in right or f in left for f in floats):
        return None
    shown = [k for k in range(n) if floats[k] in left]
    shown += [k for k in range(n) if floats[k] not in left and floats[k] not in right]
    shown += [k for k in reversed(range(n)) if floats[k] in right]
    return shown


def _int(value: str | None) -> int | None:
    m = _INT.match(value or "")
    return int(m.group(1)) if m else None


def _grid_cell(
    item: dict[str, str], areas: dict[str, tuple[int, int]] | None = None
) -> tuple[int | None, int | None]:
    """An item's explicit (row, column) start, each None where it is placed automatically; ``areas`` maps the
    parent's named areas (``grid-template-areas``) to their first cell, for ``grid-area: name``."""
    row = _int(item.get("grid-row-start")) or _int(item.get("grid-row", "").split("/")[0])
    col = _int(item.get("grid-column-start")) or _int(item.get("grid-column", "").split("/")[0])
    area = item.get("grid-area")
    if area and "/" in area:
        parts = area.split("/")
        row = row or _int(parts[0])
        col = col or _int(parts[1])
    elif area and areas and area.strip() in areas:
        named_row, named_col = areas[area.strip()]
        row, col = row or named_row, col or named_col
    return row, col


_AREA_ROW = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def _areas(template: str) -> dict[str, tuple[int, int]]:
    """The named areas of ``grid-template-areas`` (``"a b" "c d"``) and the first (row, column) of each."""
    out: dict[str, tuple[int, int]] = {}
    if not template or template == "none":
        return out
    for r, m in enumerate(_AREA_ROW.finditer(template), start=1):
        for c, name in enumerate((m.group(1) or m.group(2) or "").split(), start=1):
            if name != "." and name not in out:
                out[name] = (r, c)
    return out


def _tracks(template: str) -> int:
    """How many columns ``grid-template-columns`` defines (``repeat(n, …)`` counted)."""
    if not template or template == "none":
        return 0
    count = 0
    for m in _REPEAT.finditer(template):
        count += int(m.group(1)) * max(1, len(m.group(2).split()))
    rest = _REPEAT.sub(" ", template)
    rest = re.sub(r"\[[^\]]*\]", " ", rest)  # line names
    rest = re.sub(r"\([^()]*\)", "", rest)  # minmax(…), fit-content(…)
    return count + len(rest.split())
