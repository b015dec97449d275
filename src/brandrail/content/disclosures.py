"""Shared logic of the disclosure rules (BR3xx): triggers and where a disclosure stands."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import replace
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from brandrail.content.common import PhraseSet, meta_field, on_channel, prose_offset, register_data_finder
from brandrail.content.fastpolicy import cache_of, channel_name
from brandrail.policy import Policy
from brandrail.policy.sections.disclosures import Trigger
from brandrail.text.document import Document
from brandrail.text.extract import Piece

if TYPE_CHECKING:
    from brandrail.creative.email import Element, Email

__all__ = [
    "HIDDEN_SEAMS",
    "accept_forms",
    "dead_link_spans",
    "find_phrase",
    "find_unnegated_phrase",
    "generated_points",
    "hidden_seams",
    "merge_tag_in",
    "negated_at",
    "offer_denied",
    "opt_out_instruction",
    "reader_contexts",
    "seen_everywhere",
    "seen_links",
    "seen_text",
    "seen_view",
    "trigger_reason",
]


def _email(doc: Document, policy: Policy) -> Email:
    from brandrail.creative.email import email_of_document

    contrast = policy.creative.contrast
    return email_of_document(doc, contrast.default_color, contrast.default_background)


def reader_contexts(doc: Document, policy: Policy) -> list[str]:
    """Where readers see ``doc``: for HTML ``light``, and ``dark`` and ``mobile`` when its style sheets style
    the dark colour scheme or a phone screen differently (see :attr:`brandrail.creative.email.Email.contexts`);
    ``light`` alone for other kinds. A disclosure must be seen in each."""
    return _email(doc, policy).contexts if doc.kind == "html" else ["light"]


#: The attribute of a seen view (:func:`seen_view`) that holds its :func:`hidden_seams`.
HIDDEN_SEAMS = "_brandrail_seams"


def seen_view(doc: Document, policy: Policy, context: str = "light", *, generated: bool = False) -> Document:
    """``doc`` as a reader in ``context`` (:func:`reader_contexts`) sees it, for the rules that look for
    something the reader must be shown.

    Plain text is returned as it is, and Markdown without the text a reader gets only on request (alt text of
    inline HTML, a link's or an attribute's title: :attr:`Piece.aside`). Of an HTML document only the prose of
    text that is seen
    is kept: text hidden by CSS (``display:none`` from any style sheet, ``visibility``, zero or 1 px boxes that
    clip, off-screen positioning, ``text-indent``, clipping, a closed ``<details>``), text under 2 px,
    transparent text and text (nearly) the colour of its background are left out, as are alt text, comments
    and ``<template>``/``<noscript>`` content (see :mod:`brandrail.creative.email`). The view's offsets are
    the original's. A disclosure must be seen; a banned word is found anywhere, so other rules read ``doc``.

    Seen text on either side of a hidden block element that makes no box (``display:none``) is on one line
    when it is in one block (``fla<div style="display:none">q</div>wless`` reads "flawless"); a block that
    keeps its box (``visibility:hidden``, a zero height) starts a line (see
    :meth:`brandrail.creative.email.Email.same_line`).

    With ``generated``, the text the style sheets add with ``::before``/``::after`` ``content`` is in the view
    too, where it is shown (zero-width at the element's start or the end of its text): what a reader sees,
    for the word rules (a banned word or a claim spelled across it, or written in it, is found). Without it
    (the default, for disclosures, labels, qualifiers and negations), generated text is not there: a
    disclosure must be written in the message — generated text is not selectable, not in the text part,
    dropped by clients that strip style sheets and read by screen readers unevenly.
    """
    if doc.kind != "html":
        if doc.kind == "markdown" and any(p.aside for p in doc.pieces):
            view: Document | None = doc.__dict__.get("_brandrail_shown")
            if view is None:
                view = doc.__dict__["_brandrail_shown"] = doc.with_prose(
                    [p for p in doc.pieces if not p.aside]
                )
            return view
        return doc
    contrast = policy.creative.contrast
    email = _email(doc, policy)
    generated = generated and bool(email.generated)
    key = (contrast.default_color, contrast.default_background, context, generated)
    cache: dict[tuple[str, str, str, bool], Document] = doc.__dict__.setdefault("_brandrail_seen", {})
    view = cache.get(key)
    if view is None:
        spans = _merged((r.start, r.end) for r in email.seen_runs(context))
        within = _within(list(doc.pieces), spans)
        if not generated:
            # a ruby annotation (<rt>) is seen, but as an aside above the base text, like a tooltip: it never
            # counts as a disclosure (docs/content.md, "What is read")
            within = [p for p in within if not p.aside]
        pieces = _rejoined(doc, email, within, context)
        if generated:
            pieces = _with_generated(email, pieces, context)
        view = cache[key] = doc.with_prose(pieces)
        # where hidden words stood between seen words of a line: a phrase read across them is not the phrase
        # the message says (its text part and a reader without the style sheet read the hidden words too), so
        # a disclosure, label or qualifier there does not count (PhraseSet.shown); hidden letters inside a
        # word ("a<span style="display:none">x</span>pply") leave the word a reader sees
        text = doc.text
        view.__dict__[HIDDEN_SEAMS] = [
            (b, a)
            for b, a in hidden_seams(doc, view)
            if text[b - 1 : b].isspace() or text[a : a + 1].isspace()
        ]
    return view


def _rejoined(doc: Document, email: Email, pieces: list[Piece], context: str) -> list[Piece]:
    """``pieces`` (the seen parts of ``doc``'s) joined to the piece before them as a reader sees them: a piece
    is joined to the seen piece before it when no line break stands between them in ``doc`` (the hidden
    pieces between were all joined: "fla<span style="display:none">q</span>wless"; a ``<br>`` or a block
    before the hidden text is a break), or when a reader sees the two on one line because the blocks between
    make no box (:meth:`Email.same_line`: "fla<div style="display:none">q</div>wless")."""
    every = doc.pieces
    starts = [p.start for p in every]
    out: list[Piece] = []
    for piece in pieces:
        if out and not piece.aside and not out[-1].aside:
            before = out[-1]
            k = bisect_left(starts, before.end)
            chained = piece.joined
            while chained and k < len(every) and every[k].start < piece.start:
                chained = every[k].joined
                k += 1
            if not chained and email.same_line(before.end, piece.start, context):
                chained = True
            if chained != piece.joined:
                piece = replace(piece, joined=chained)
        out.append(piece)
    return out


def _with_generated(email: Email, pieces: list[Piece], context: str) -> list[Piece]:
    """``pieces`` with the generated text a reader in ``context`` sees (:meth:`Email.seen_generated`) put in
    where it is shown, as zero-width pieces: ``::before`` text on the line of the element's first text (joined
    to what precedes it when the element is inline), ``::after`` text on the line of its last text."""
    made = email.seen_generated(context)
    if not made:
        return pieces
    keyed: list[tuple[int, int, Piece]] = [(p.start, 1, p) for p in pieces]
    follows: set[int] = set()
    owners: dict[int, Element] = {}
    for g in made:
        el = g.element
        has_text = el.runs_to > el.runs_from
        if g.where == "before":
            joined = email.in_scheme(el, context).inline
            if has_text and email.runs[el.runs_from].element is el:
                follows.add(email.runs[el.runs_from].start)
        else:
            joined = has_text or email.in_scheme(el, context).inline
        made_piece = Piece(g.at, g.at, g.text, joined)
        owners[id(made_piece)] = el
        keyed.append((g.at, 0, made_piece))
    keyed.sort(key=lambda item: (item[0], item[1]))
    out: list[Piece] = []
    owner: Element | None = None
    for _, order, piece in keyed:
        # text right after generated text: on its line when only inline elements stand between
        if (
            order == 1
            and owner is not None
            and not piece.joined
            and (piece.start in follows or email.same_line(out[-1].end, piece.start, context, owner=owner))
        ):
            piece = replace(piece, joined=True)
        owner = owners.get(id(piece))
        out.append(piece)
    return out


def generated_points(doc: Document, policy: Policy, context: str = "light") -> list[tuple[int, str]]:
    """(offset, text) of the text generated by the style sheets (:func:`seen_view` with ``generated``) that a
    reader in ``context`` sees; [] for other kinds or none."""
    if doc.kind != "html":
        return []
    return [(g.at, g.text) for g in _email(doc, policy).seen_generated(context)]


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _within(pieces: list[Piece], spans: list[tuple[int, int]]) -> list[Piece]:
    """The parts of ``pieces`` inside ``spans`` (sorted, disjoint). A piece whose text is not written as is
    (a character reference) is kept only when a span holds it whole."""
    starts = [s for s, _ in spans]
    out: list[Piece] = []
    for piece in pieces:
        k = max(bisect_right(starts, piece.start) - 1, 0)
        exact = len(piece.text) == piece.end - piece.start
        while k < len(spans) and spans[k][0] < piece.end:
            a, b = max(spans[k][0], piece.start), min(spans[k][1], piece.end)
            k += 1
            if a >= b:
                continue
            if (a, b) == (piece.start, piece.end):
                out.append(piece)
            elif exact:
                text = piece.text[a - piece.start : b - piece.start]
                out.append(
                    replace(piece, start=a, end=b, text=text, joined=piece.joined and a == piece.start)
                )
    return out


def hidden_seams(doc: Document, view: Document) -> list[tuple[int, int]]:
    """Where ``view`` (a :func:`seen_view` of ``doc``) joins two runs of prose that hidden text stood between
    inside one line of words: (end of the seen text before, start of the seen text after), original offsets,
    in order. ``fla<span style="display:none">q</span>wless`` has one seam, at the hidden ``q``: a reader sees
    "flawless", which the whole prose does not spell. A hidden block between two blocks is no seam."""
    pieces = view.pieces
    if len(pieces) < 2:
        return []
    starts = [p.start for p in doc.pieces]
    seams: list[tuple[int, int]] = []
    for before, after in pairwise(pieces):
        if not after.joined or after.aside or after.start <= before.end:
            continue
        k = bisect_right(starts, before.end - 1)  # the first piece of doc starting at or after before.end
        while k < len(starts) and doc.pieces[k].start < after.start:
            if doc.pieces[k].end > before.end and doc.pieces[k].text.strip():
                seams.append((before.end, after.start))
                break
            k += 1
    return seams


def seen_everywhere(
    doc: Document, policy: Policy, find: Callable[[Document], Iterable[tuple[int, int]]]
) -> set[tuple[int, int]]:
    """The spans (original offsets) that ``find`` (norm start and end in a document) finds in the seen view
    of every reader context of ``doc`` (:func:`reader_contexts`, :func:`seen_view`): what every reader sees
    whole, for a phrase that excuses or qualifies something only where it is shown."""
    seen: set[tuple[int, int]] | None = None
    for context in reader_contexts(doc, policy):
        view = seen_view(doc, policy, context)
        here = {view.norm_to_original(a, b) for a, b in find(view)}
        seen = here if seen is None else seen & here
    return seen or set()


def seen_text(doc: Document, policy: Policy, context: str = "light") -> str:
    """The text a reader in ``context`` sees, URLs written out in it included: of HTML the seen text runs
    (see :func:`seen_view`), of other kinds the text as written."""
    return _email(doc, policy).seen_text(context) if doc.kind == "html" else doc.text


def seen_links(doc: Document, policy: Policy, context: str = "light") -> list[tuple[str, str]]:
    """(address, what the reader sees of it) of each link in an HTML document that a reader in ``context``
    sees and that leads somewhere (not ``#``, ``javascript:``…); [] for other kinds."""
    if doc.kind != "html":
        return []
    email = _email(doc, policy)
    out = []
    for link in email.links:
        name = email.seen_name(link, context)
        if name and not link.dead:
            out.append((link.href, name))
    return out


def dead_link_spans(doc: Document, policy: Policy) -> list[tuple[int, int]]:
    """The spans (original offsets) of the text of each link in an HTML document that leads nowhere
    (``href="#"``, ``href=""``, ``javascript:``…: :attr:`Link.dead`); [] for other kinds. Words there ("Unsubscribe")
    name a way out the reader cannot take."""
    if doc.kind != "html":
        return []
    email = _email(doc, policy)
    spans = []
    for link in email.links:
        if link.dead:
            runs = email.runs[link.element.runs_from : link.element.runs_to]
            if runs:
                spans.append((runs[0].start, runs[-1].end))
    return sorted(spans)


def find_phrase(
    doc: Document, policy: Policy, key: str, phrases: list[str], *, shown: bool = False
) -> tuple[int, int, str] | None:
    """The first occurrence (norm offsets and phrase) of any of ``phrases``, compiled once per policy; with
    ``shown``, only one written as it reads (a disclosure or label: :meth:`PhraseSet.shown`)."""
    phrase_set = PhraseSet.cached(policy, key, lambda: phrases)
    found = phrase_set.shown(doc) if shown else phrase_set.positions(doc)
    return min(found) if found else None


#: a negation up to three words before a phrase in its clause: "this is not an ad", "no need to reply STOP",
#: "this reply isn't AI-generated", "you can't unsubscribe from…", "neither gifted nor sponsored"; German,
#: French and Spanish ones too
_NEGATION_WORDS = (
    r"not|no|never|neither|nor|without|\w+n['’]t|cannot|nicht|kein|keine|keinen|weder|pas|jamais|sans|ni|sin"
    r"|nunca"
)
_NEGATION_BEFORE = re.compile(rf"(?:^|[^\w'’])(?:{_NEGATION_WORDS})(?:[\s\-]+[\w'’]+){{0,3}}[\s\-]+$")
#: ... right before it, one word at most between ("not gifted", "wasn't actually gifted"): "don't forget to
#: use my code" does not deny the code
_NEGATION_RIGHT_BEFORE = re.compile(rf"(?:^|[^\w'’])(?:{_NEGATION_WORDS})(?:[\s\-]+[\w'’]+)?[\s\-]+$")
_CLAUSE_END = re.compile(r"[.!?;:,\n|·•]")
#: a word that makes a negation restrict rather than deny: "not just a chatbot", "nicht nur ein Chatbot",
#: "pas seulement un chatbot", "pas qu'un chatbot", "no solo un bot", "no soy más que un bot" say what it is
_RESTRICTIVE = re.compile(
    r"(?<![\w'’])(?:just|only|merely|simply|nur|bloss|lediglich|seulement|uniquement|juste|simplement|solo|"
    r"solamente|unicamente|simplemente)(?![\w'’])|(?<![\w'’])(?:pas|plus|mas)\s+qu(?:e\s|['’])"
)
#: a list a negation opens, its items set off by commas and closed with a conjunction: "not paid, gifted or
#: sponsored", "no raffle, sweepstakes or draw"; the start of the item's clause (empty, or the conjunction
#: and the item before it: "gifted or " before "sponsored")...
_LIST_ITEM_START = re.compile(
    r"^\s*(?:(?:[\w'’-]+\s+){0,3}?(?:or|nor|and|oder|noch|und|ou|et|ni|o|u|y)\s+)?$"
)
_LIST_JOIN = re.compile(r"\s*(?:or|nor|and|oder|noch|und|ou|et|ni|o|u|y)\s")
#: ... an earlier short item, and the first one, which opens with the negation
_LIST_ITEM = re.compile(r"^\s*[\w'’-]+(?:[\s-]+[\w'’-]+){0,3}\s*$")
_LIST_NEGATION = re.compile(rf"^\s*(?:{_NEGATION_WORDS})(?![\w'’])")


def negated_at(doc: Document, norm_start: int, norm_end: int | None = None, *, close: bool = False) -> bool:
    """Whether the phrase at ``norm_start`` of ``doc`` is denied by a negation up to three words before it
    in its clause ("This is not an ad", "no need to reply STOP", "isn't AI-generated", "neither gifted nor
    sponsored"), or by one opening a list it is an item of ("not paid, gifted or sponsored": the list must be
    closed with a conjunction, before the item or, given ``norm_end``, after it). A negation that restricts
    ("not just a chatbot", "nicht nur", "pas seulement", "no solo") affirms rather than denies. With
    ``close``, the negation must stand right before the phrase, one word at most between ("not gifted",
    "wasn't actually gifted"; not "don't forget to use my code")."""
    before = doc.folded[max(0, norm_start - 120) : norm_start]
    ends = list(_CLAUSE_END.finditer(before))
    clause = before[ends[-1].end() :] if ends else before
    m = (_NEGATION_RIGHT_BEFORE if close else _NEGATION_BEFORE).search(" " + clause)
    if m is not None:
        return _RESTRICTIVE.search(m.group()) is None
    if not ends or ends[-1].group() != "," or not _LIST_ITEM_START.match(clause):
        return False
    joined = bool(clause.strip()) or (
        norm_end is not None and _LIST_JOIN.match(doc.folded, norm_end, norm_end + 8) is not None
    )
    k = len(ends) - 1
    for _ in range(4):  # up to four earlier items
        item_start = ends[k - 1].end() if k > 0 else 0
        item = before[item_start : ends[k].start()]
        if not _LIST_ITEM.match(item):
            return False
        if _LIST_NEGATION.match(item):
            return joined and _RESTRICTIVE.search(item) is None
        joined = joined or bool(_LIST_JOIN.match(item))
        if k == 0 or ends[k - 1].group() != ",":
            return False
        k -= 1
    return False


#: a denial of the offer right before a trigger term in its clause: "we don't offer interest-free credit",
#: "we no longer run a prize draw", "no interest-free credit on sale items"; not "don't miss …" (only verbs
#: of offering are denials); and what the thing is said not to be: "this isn't a prize draw", "it's not a
#: raffle", "not a sweepstakes" (not "this isn't just a prize draw"); "there won't be a prize draw", "we won't
#: be holding a giveaway", "no more prize draws"
_DENIED_BEFORE = re.compile(
    r"(?:^|[^\w'’])(?:(?:is|are|was|were)\s+not|['’](?:s|re)\s+not|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|not)"
    r"\s+(?:really\s+|actually\s+)?(?:an?\s+|the\s+|any\s+|your\s+|our\s+)?$"
    r"|(?:(?:^|[^\w'’])(?:not|never|no\s+longer|\w+n['’]t|cannot)\s+(?:currently\s+|yet\s+|ever\s+)?(?:be\s+)?"
    r"(?:offer|offers|offering|offered|provide|provides|providing|sell|sells|selling|run|runs|running|have|has|"
    r"do|does|include|includes|including|accept|accepts|support|supports|hold|holds|holding|host|hosts|hosting|"
    # giving figures or terms: "we never quote payback times", "we don't give payback estimates before a survey"
    r"quote|quotes|quoting|give|gives|giving|publish|publishes|publishing|"
    r"organi[sz]e|organi[sz]es|organi[sz]ing)\s+(?:any\s+|an?\s+|the\s+)?"
    r"|(?:^|[^\w'’])(?:no|without)\s+(?:more\s+)?(?:an?\s+|any\s+)?"
    # "there won't be a prize draw", "there isn't any pay monthly option", "there will no longer be a …"
    r"|(?:^|[^\w'’])there(?:\s+(?:is|are|was|were|will|would)\s+not|['’]s\s+not|['’]re\s+not|\s+\w+n['’]t"
    r"|\s+will\s+no\s+longer|['’]ll\s+not)\s+(?:be\s+)?(?:an?\s+|any\s+|another\s+|the\s+)?)$"
)
#: ... or after it, up to five words on (no conjunction between: not "… as cash is no longer accepted"):
#: "interest-free credit is not available", "pay monthly isn't offered on gift cards", "pay monthly on
#: grinders is no longer available / has been discontinued / was withdrawn"; not "is no longer available
#: only in store", "isn't just available on…" or "is not excluded"
_DENIED_AFTER = re.compile(
    r"(?:\s+(?!(?:as|because|since|while|when|whereas|if|and|but|or|so|though|although|until|unless|where|which"
    r"|that|is|are|was|were|has|have|will|not|no)\b)[\w-]+){0,5}?"
    r"\s+(?:is|are|was|were|has\s+been|have\s+been|will\s+be)"
    r"(?:(?:\s+not|n['’]t|\s+no\s+longer)(?:\s+(?!not\b|only\b|just\b)\w+)?\s+"
    r"(?:available|offered|included|possible|an\s+option|on\s+offer|running|happening|going\s+ahead)"
    r"|(?:\s+(?!not\b|no\b|never\b)\w+)?\s+"
    r"(?:unavailable|discontinued|excluded|withdrawn|suspended|cancell?ed|scrapped|over|ended))\b"
    r"(?!\s+(?:only|just|exclusively|solely)\b)"
)


#: German, French and Spanish denials right before a trigger term (on the folded text: no accents): a word
#: for "no"/"without" ("kein Gewinnspiel", "ohne Verlosung", "pas de jeu-concours" (not "plus de", which is
#: as often "more"), "sans loterie", "aucun",
#: "sin sorteo", "ni", "ningún", "no hay sorteo"), or a verb of offering that a negation denies ("bieten wir
#: nicht die …", "nous ne proposons (hélas) pas le …", "il n'y a pas de …", "no ofrecemos …", "ya no
#: organizamos …"); not "verpassen Sie nicht …", "ne manquez pas …", "no te pierdas …" (other verbs)
_DENIED_BEFORE_OTHER = re.compile(
    r"(?:^|[^\w'’])(?:"
    r"(?:kein|keine|keinen|keiner|keines|keinerlei|ohne)\s+(?:(?:weitere[nrs]?|mehr)\s+)?"
    r"(?:(?:ein|eine|einen|den|die|das)\s+)?"
    r"|(?:bieten|bietet|gibt\s+es|haben|hat|verkaufen|verkauft|veranstalten|veranstaltet|fuhren|machen)\s+"
    r"(?:(?:wir|es|ihr|sie)\s+)?(?:[\w-]+\s+){0,2}?(?:nicht|nie|niemals)\s+(?:mehr\s+)?"
    r"(?:(?:den|die|das|einen|eine|ein)\s+)?"
    r"|(?:pas|jamais|point)\s+(?:de\s+|d['’]|du\s+|des\s+)"
    r"|(?:n['’]est|n['’]etait|ne\s+sont)\s+pas\s+(?:vraiment\s+)?(?:(?:un|une|le|la|les)\s+|l['’])?"
    r"|no\s+(?:es|son|era|eran)\s+(?:realmente\s+)?(?:(?:un|una|el|la|los|las)\s+)?"
    r"|(?:sans|ni|aucun|aucune)\s+(?:(?:le|la|les|de|du|des)\s+|l['’]|d['’])?"
    r"|n(?:e\s+|['’])(?:(?:propos|offr|organis|vend|accept|inclu|lanc|fais)\w*|a|ont|avons|fait|font|y\s+a)"
    r"\s+(?:[\w-]+\s+)?(?:pas|plus|jamais|point)\s+(?:[\w-]+\s+)?"
    r"(?:(?:le|la|les|un|une|de|du|des)\s+|l['’]|d['’])?"
    r"|(?:sin|ni|ningun|ninguna|ninguno)\s+(?:(?:el|la|los|las|un|una)\s+)?"
    r"|no\s+hay\s+(?:(?:mas|un|una|el|la|ningun|ninguna)\s+)?"
    r"|no\s+(?:(?:lo|la|los|las|se|nos)\s+)?"
    r"(?:(?:ofrec|organiz|vend|acept|inclu|lanz|realiz|proporcion|ten|hac)\w*|tiene|tienen|da|dan|damos)"
    r"\s+(?:(?:mas|ya|nunca|actualmente|todavia)\s+)?(?:(?:el|la|los|las|un|una|ningun|ninguna)\s+)?"
    # a quantifier or phrase that says there is none: "nada de sorteos", "fini les jeux-concours", "Schluss
    # mit Gewinnspielen"
    r"|nada\s+de\s+|fini(?:e|s|es)?\s+(?:(?:les|le|la)\s+|l['’])|schluss\s+mit\s+(?:(?:dem|der|den)\s+)?"
    r")$"
)
#: ... or after it: "Ratenzahlung ist für Gutscheine nicht verfügbar", "eine Verlosung gibt es dieses Jahr
#: nicht", "den Ratenkauf bieten wir … nicht an", "n'est pas disponible/proposé", "no está disponible",
#: "no es posible"; not "gibt es nicht nur heute" (there is one)
_DENIED_AFTER_OTHER = re.compile(
    r"\s+(?:"
    r"(?:ist|sind)(?:\s+[\w-]+){0,4}?\s+(?:nicht|nie)(?:\s+mehr)?\s+"
    r"(?:verfugbar|moglich|erhaltlich|enthalten|vorgesehen|gultig|im\s+angebot)"
    r"|(?:gibt\s+es|bieten\s+wir|haben\s+wir|verkaufen\s+wir|veranstalten\s+wir|fuhren\s+wir)"
    r"(?:\s+[\w-]+){0,4}?\s+(?:nicht|nie|niemals)(?:\s+mehr)?(?!\s+nur)(?:\s+an)?\s*(?:[.!?;,]|$)"
    r"|(?:n['’]est|ne\s+sont|n['’]existe)\s+(?:pas|plus)\s+(?:[\w-]+\s+)?"
    r"(?:disponibles?|proposee?s?|possibles?|inclus|incluses?|offerte?s?|valables?)"
    r"|(?:ya\s+)?no\s+(?:(?:esta|estan|es|son)\s+(?:[\w-]+\s+)?"
    r"(?:disponibles?|posibles?|incluid[oa]s?|ofrecid[oa]s?|valid[oa]s?)|se\s+ofrecen?)"
    # a predicate that itself denies it, a few words on (not after a negation: "ist nicht ausgeschlossen"):
    # "ist bei Abos leider ausgeschlossen", "wurde eingestellt", "entfällt bei Gutscheinen", "est exclu des
    # soldes", "a été supprimé", "queda excluida", "ha sido cancelado"
    r"|(?:ist|sind|wird|werden|wurde|wurden|bleibt|bleiben)(?:\s+(?!(?:nicht|nie|kein\w*)(?!\w))[\w-]+){0,4}?\s+"
    r"(?:ausgeschlossen|eingestellt|abgeschafft|gestrichen|abgesagt|ausgesetzt|beendet|vorbei|unmoglich)"
    r"|(?:[\w-]+\s+){0,3}?(?:entfallt|entfallen|fallt\s+weg|fallen\s+weg)"
    r"|(?:est|sont|a\s+ete|ont\s+ete|sera|seront)(?:\s+(?!(?:pas|plus|jamais)(?!\w))[\w'’-]+){0,3}?\s+"
    r"(?:exclue?s?|indisponibles?|supprimee?s?|annulee?s?|suspendue?s?|terminee?s?|arretee?s?)"
    r"|(?:esta|estan|queda|quedan|ha\s+sido|han\s+sido|fue|fueron|sera|seran)"
    r"(?:\s+(?!(?:no|nunca)(?!\w))[\w-]+){0,3}?\s+"
    r"(?:excluid[oa]s?|suspendid[oa]s?|cancelad[oa]s?|eliminad[oa]s?|descontinuad[oa]s?|no\s+disponibles?)"
    r")(?!\w)"
)


#: what a trigger term's complement may be before the denial's verb, when it is longer than five words: a
#: preposition, then up to twelve words that are a list of things ("interest-free credit on our new winter
#: range of bikes and helmets is not available", "Ratenzahlung für Gutscheine, Geschenkboxen und reduzierte
#: Artikel ist nicht möglich"); not a new clause (", and delivery …", "because …", a verb of its own)
_COMPLEMENT = (
    r"\s+(?:on|for|with|in|at|across|from|of|to|fur|auf|bei|mit|im|zu|zum|zur|pour|sur|avec|dans|en|de|des|du"
    r"|para|con|sobre|del)"
    r"(?:(?:\s+|\s*,\s*(?!(?:and|or|und|oder|et|ou|y|o)\b))"
    r"(?!(?:as|because|since|while|when|whereas|if|but|so|though|although|until|unless|where|which|that|who"
    r"|is|are|was|were|has|have|had|will|would|can|not|no|weil|denn|aber|wenn|dass|ist|sind|wird|nicht|kein\w*"
    r"|car|mais|quand|que|qui|est|sont|pas|porque|pero|cuando|es|esta|son)\b)[\w'’-]+){1,12}?"
)
_DENIED_AFTER_FAR = re.compile(_COMPLEMENT + "(?:" + _DENIED_AFTER.pattern + ")")
_DENIED_AFTER_OTHER_FAR = re.compile(_COMPLEMENT + "(?:" + _DENIED_AFTER_OTHER.pattern + ")")


#: a draw or an offer that is over needs no disclosure: "Giveaway closed!", "The prize draw has now closed", "Das
#: Gewinnspiel ist vorbei", "Le jeu-concours est terminé", "¡Sorteo finalizado!" (folded: no accents); not "closes
#: on Sunday" or "is closed to entries from outside the UK"
_OVER_AFTER = re.compile(
    # a short "of …" between: "El sorteo de noviembre ya terminó", "the giveaway of the summer is over"
    r"(?:\s+(?:de|del|of|du|des|vom|von)(?:\s+[\w'’-]+){1,2}?)?"
    r"\s+(?:(?:(?:is|has|was|are|have|ist|sind|wurde|war|est|a\s+ete|es|esta|ha|fue)\s+)"
    r"(?:(?:now|been|officially|jetzt|nun|offiziell|maintenant|officiellement|ya|oficialmente)\s+){0,2}over"
    # "over" with no verb before it ends its clause ("Giveaway over!"); otherwise it is a preposition: "spread
    # the cost over five years"
    r"|(?:(?:now|officially)\s+){0,2}over(?=\s*(?:[.!?,;:)\n]|$))"
    r"|(?:(?:is|has|was|are|have|ist|sind|wurde|war|est|a\s+ete|es|esta|ha|fue)\s+)?"
    r"(?:(?:now|been|officially|jetzt|nun|offiziell|maintenant|officiellement|ya|oficialmente)\s+){0,2}"
    r"(?:closed|ended|finished|completed?|beendet|vorbei|abgeschlossen|geschlossen|zu\s+ende|terminee?s?"
    r"|clos|close|cloturee?|finie?|finalizad[oa]|cerrad[oa]|terminad[oa]|concluid[oa]"
    # a Spanish preterite: "ya terminó", "acabó", "se cerró" (folded)
    r"|termino|acabo|finalizo|cerro|concluyo))(?![\w-])"
    r"(?!\s+(?:to|for|on|until|till|\d))"
)
#: ... and so does its winner's announcement: "the giveaway winner is @sam", "Ya tenemos ganadora del sorteo",
#: "Voici le gagnant du jeu-concours", "Hier ist die Gewinnerin der Verlosung"; not "the winner will be drawn"
_WINNER_AFTER = re.compile(
    r"\s+winners?\s+(?:is|are)\b|\s+winners?\s*:"
    # "our prize draw winners have been announced", "the giveaway winner was drawn on Friday"
    r"|\s+winners?\s+(?:(?:has|have)\s+(?:now\s+)?been|was|were)\s+(?:announced|drawn|picked|chosen|selected|"
    r"contacted|notified|revealed)\b"
)
_WINNER_BEFORE = re.compile(
    r"(?:^|\s)(?:tenemos|ya\s+hay|ya\s+conocemos|voici|hier\s+(?:ist|sind)|announcing|meet|congratulations\s+to"
    r"|congrats\s+to|well\s+done\s+to|hats\s+off\s+to|a\s+big\s+thank\s+you\s+to)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:winners?|gewinner\w*|gagnante?s?|ganador(?:a|es|as)?)\s+"
    r"(?:of\s+(?:the\s+|our\s+)?|des\s+|der\s+|unseres\s+|unserer\s+|du\s+|de\s+(?:la\s+|notre\s+)?|del\s+"
    r"|de\s+nuestro\s+)?"
    # whose draw: "the winners of last month's prize draw", "of our summer giveaway", "of our October prize
    # draw", "of the Boxing Day giveaway" (up to three words naming it)
    r"(?:(?:last|this|previous)\s+(?:week|month|year|summer|winter|spring|autumn)['’]s\s+|"
    r"(?:[\w'’-]+\s+){1,3})?$"
)
#: "the winners of the Boxing Day prize draw have been told", "the winner of our giveaway was picked": the
#: winners named before the trigger, a past verb after it (not "winners of the March giveaway will be announced")
_WINNERS_OF_BEFORE = re.compile(
    r"(?:^|\s)winners?\s+of\s+(?:the\s+|our\s+|this\s+|last\s+)?(?:[\w'’-]+\s+){0,3}$"
)
_PAST_AFTER = re.compile(
    r"\s+(?:(?:has|have)\s+(?:now\s+|already\s+|all\s+)?been|was|were|are\s+(?:now\s+)?(?:sleeping|enjoying))\b"
)
#: a winner drawn later in the sentence: "Thanks to everyone who entered our spring giveaway: the winner was
#: picked on Monday"
_WINNER_LATER = re.compile(
    r"[^.!?\n]{0,60}?\b(?:the\s+|our\s+)?winners?\s+(?:(?:has|have)\s+(?:now\s+)?been|was|were)\s+"
    r"(?:announced|drawn|picked|chosen|selected|contacted|notified|revealed|told)\b"
)


#: a trigger asked about and refused in the answer: "Pay monthly? Not with us.", "Spread the cost? We don't
#: offer that.", "Pay monthly? No: …" (not "Pay monthly? No problem." or "… No doubt.")
_ASKED = re.compile(r"[^.!?\n]{0,80}?\?")
_REFUSING_ANSWER = re.compile(
    r"\s*(?:no|nope|not|sorry,?\s+no|(?:we|i)\s+(?:don['’]t|do\s+not|never|no\s+longer)\s+"
    r"(?:do|offer|provide|give|sell|run)|not\s+(?:with|from|at)\s+us)\b"
    r"(?!\s+(?:problem|problems|worries|doubt|question|contest|wonder|only|just|fuss|catch|hassle)\b)"
)
#: a denial for one thing that offers it for another in the same sentence: "Pay monthly isn't offered on
#: spares, but on new boilers most customers choose it", "We don't offer it on servicing, but for installs …"
_OFFERED_ELSEWHERE = re.compile(
    r"[^.!?\n]{0,160}?\b(?:but|whereas|while|however)\s*,?\s+(?:for|on|with|in|at)\s"
)


def offer_denied(doc: Document, norm_start: int, norm_end: int) -> bool:
    """Whether the sentence says the thing named at ``norm_start``-``norm_end`` is not offered (see
    :func:`_offer_denied`), and does not go on to offer it for something else ("… isn't offered on
    spares, but on new boilers most customers choose it"): a trigger term used so requires no
    disclosure."""
    if not _offer_denied(doc, norm_start, norm_end):
        return False
    return _OFFERED_ELSEWHERE.match(doc.folded, norm_end, norm_end + 200) is None


def _offer_denied(doc: Document, norm_start: int, norm_end: int) -> bool:
    """Whether the sentence says the thing named at ``norm_start``-``norm_end`` is not offered ("We don't
    offer interest-free credit on sale items", "Interest-free credit is not available", "this isn't a prize
    draw"; in German, French
    and Spanish "kein Gewinnspiel", "Ratenzahlung ist nicht verfügbar", "nous ne proposons pas le …", "pas de
    jeu-concours", "no hay sorteo", "no ofrecemos …"): a trigger term used so requires no disclosure."""
    before = doc.folded[max(0, norm_start - 60) : norm_start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    if (
        _DENIED_BEFORE.search(" " + before)
        or _DENIED_BEFORE_OTHER.search(" " + before)
        or _WINNER_BEFORE.search(" " + before)
    ):
        return True
    if (
        _WINNERS_OF_BEFORE.search(" " + before)
        and _PAST_AFTER.match(doc.folded, norm_end, norm_end + 40) is not None
    ):
        return True
    folded = doc.folded
    asked = _ASKED.match(folded, norm_end, norm_end + 82)
    if asked is not None and _REFUSING_ANSWER.match(folded, asked.end(), asked.end() + 40) is not None:
        return True
    return (
        _OVER_AFTER.match(folded, norm_end, norm_end + 60) is not None
        or _WINNER_AFTER.match(folded, norm_end, norm_end + 30) is not None
        or _WINNER_LATER.match(folded, norm_end, norm_end + 120) is not None
        or _DENIED_AFTER.match(folded, norm_end, norm_end + 60) is not None
        or _DENIED_AFTER_OTHER.match(folded, norm_end, norm_end + 80) is not None
        or _DENIED_AFTER_FAR.match(folded, norm_end, norm_end + 160) is not None
        or _DENIED_AFTER_OTHER_FAR.match(folded, norm_end, norm_end + 160) is not None
    )


#: the copulas a headline wording leaves out and a sentence puts in: "No purchase necessary" is "No purchase
#: is necessary" or "No purchase was necessary" in a sentence, "Credit subject to status" "Credit is subject
#: to status"
_COPULAS = ("is", "was", "are", "were")


def accept_forms(phrases: Iterable[str]) -> list[str]:
    """``phrases`` (accepted wordings of a disclosure) and, for each of three to eight words with no copula
    of its own, the sentence forms with a copula after its first or second word ("No purchase necessary" →
    "No purchase is necessary", "No purchase was necessary"; "Credit subject to status" → "Credit is
    subject to status"): the reader is told the same thing. Forms that read as nonsense ("No is purchase
    necessary") match nothing a writer writes."""
    out: list[str] = []
    for phrase in phrases:
        out.append(phrase)
        words = phrase.split()
        if not 3 <= len(words) <= 8 or any(w.lower() in _COPULAS for w in words):
            continue
        for k in (1, 2):
            out.extend(" ".join([*words[:k], copula, *words[k:]]) for copula in _COPULAS)
    return list(dict.fromkeys(out))


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start``-``end`` lies within one of ``spans`` (sorted by start and disjoint, as links are)."""
    k = bisect_right(spans, (start, float("inf"))) - 1
    return k >= 0 and spans[k][1] >= end


def find_unnegated_phrase(
    doc: Document,
    policy: Policy,
    key: str,
    phrases: list[str],
    *,
    shown: bool = False,
    outside: list[tuple[int, int]] | None = None,
    close: bool = False,
) -> tuple[int, int, str] | None:
    """As :func:`find_phrase` (``shown``: only occurrences written as they read), skipping occurrences a
    negation denies (:func:`negated_at`): a disclosure or label that says it is not one does not count.
    Occurrences inside one of the ``outside`` spans (original offsets, sorted by start and disjoint) are
    skipped too. ``close``: only a negation right before an occurrence denies it (:func:`negated_at`)."""
    phrase_set = PhraseSet.cached(policy, key, lambda: phrases)
    found = phrase_set.shown(doc) if shown else phrase_set.positions(doc)
    for hit in sorted(found):
        if negated_at(doc, hit[0], hit[1], close=close):
            continue
        if outside and _inside(outside, *doc.norm_to_original(hit[0], hit[1])):
            continue
        return hit
    return None


# The CTIA opt-out keywords; in capitals (or quoted) they are an instruction, not the verb "stop"
_KEYWORD_UPPER = re.compile(
    r"(?<![\w'’])(?:STOP|STOPP|STOPALL|END|CANCEL|QUIT|UNSUBSCRIBE|UNSUB|OPTOUT|OPT-OUT|OPT OUT|STOP2[A-Z]*|BAJA)"
    r"(?![\w])"
)
#: wordings that are an instruction on their own: "stop2stop", "txtstop", "STOP txt", "stop sms 0871…"
_SELF_EVIDENT = re.compile(
    r"(?<![\w])(?:stop2(?:stop|end|quit|opt\w*)|(?:txt|text|reply|send|sms)stop)\b"
    r"|(?<![\w])stop\s+(?:txt|text|sms|msg)\s*(?:to|au|al|an|:)?\s*\d{4,}"
)
_SELF_EVIDENT_UPPER = re.compile(r"(?<![\w])STOP2?\s+(?:txt|text|sms|msg|TXT|TEXT|SMS|MSG)\b")
_KEYWORD_QUOTED = re.compile(
    r"[\"'“‘«](?:stop|stopp|end|cancel|quit|unsubscribe|optout|baja)\s?[\"'”’»]", re.IGNORECASE
)
_KEYWORD_LOWER = re.compile(r"(?<![\w])(?:stop|end|cancel|quit|unsubscribe)(?![\w])")
_QUOTES = ("'", '"', "“", "‘")
_SEND_WORDS = (
    "reply", "text", "txt", "send", "sms", "respond",
    "antwort", "send", "repond", "envoy", "envoi", "respond", "envia", "contesta",
)  # fmt: skip
#: sending verbs; German, French and Spanish ones too ("Antworte STOP", "Répondez STOP", "Envía BAJA")
_VERBS = (
    r"reply|replying|text|texting|txt|send|sending|sms|respond|message|msg|type|enter|unsubscribe|unsub|"
    r"opt[- ]?out|cancel|end|stop|quit|"
    r"antworte|antworten|antwortet|sende|senden|schicke|schicken|abmelden|abmeldung|"
    r"repondez|reponds|repondre|envoyez|envoie|envoyer|"
    r"responde|responda|responder|envia|envie|enviar|contesta|manda"
)
#: a sending verb earlier in the keyword's sentence (for a keyword in capitals or quoted)
_VERB_BEFORE = re.compile(rf"\b(?:{_VERBS})\b[^.!?\n]{{0,30}}$", re.IGNORECASE)
#: a sending verb right before a lower-case keyword ("reply stop", "text with stop", "send the word stop")
_VERB_RIGHT_BEFORE = re.compile(
    r"\b(?:reply|text|txt|send|sms|respond|antworte|antworten|sende|repondez|reponds|envoyez|envoie|responde|"
    r"envia|contesta)\s+(?:with\s+|the word\s+)?$",
    re.IGNORECASE,
)
_PURPOSE_AFTER = re.compile(
    r"[^.!?\n]{0,25}?(?:\b(?:to|2|an|au|al|pour|para|zum|zur|um)\b|=|:)\s*(?:opt[- ]?out|optout|stop|end|cancel|"
    r"quit|unsubscribe|unsub|leave|be removed|remove yourself|no longer receive|abmelden|abbestellen|"
    r"abmeldung|austragen|ne plus recevoir|desabonner|desinscrire|darte de baja|dar(?:se|te) de baja|"
    r"no recibir|salir|cancelar|\d{4,6}\b)",
    re.IGNORECASE,
)
_PURPOSE_BEFORE = re.compile(
    r"\b(?:opt[- ]?out|unsubscribe|to stop|to end|abmelden|abbestellen|desabonnement|desinscription|baja)"
    r"\s*[:=-]\s*$",
    re.IGNORECASE,
)


def opt_out_instruction(doc: Document) -> tuple[int, int] | None:
    """Norm offsets of an SMS opt-out keyword given as an instruction, or None.

    A keyword (STOP, END, CANCEL, QUIT, UNSUBSCRIBE) counts when it is in capitals or quoted and a sending
    verb stands before it in its sentence ("Reply STOP", "unsubscribe with STOP", "send 'stop' to 81234"),
    or a purpose follows it ("STOP to opt out", "STOP to 81234 to end"), or it follows "Opt out:"; a
    lower-case keyword counts only right after the verb ("reply stop", "text the word stop").
    """
    folded = doc.folded
    has_stop = "stop" in folded
    if not (
        has_stop
        or "baja" in folded
        or "end" in folded
        or "cancel" in folded
        or "quit" in folded
        or "unsub" in folded
        or "opt" in folded
    ):
        return None
    text = doc.norm
    if has_stop:
        evident = _SELF_EVIDENT.search(folded) or _SELF_EVIDENT_UPPER.search(text)
        if evident:
            return evident.span()
    candidates = list(_KEYWORD_UPPER.finditer(text))
    if any(q in text for q in _QUOTES):
        candidates += _KEYWORD_QUOTED.finditer(text)
    for m in candidates:
        before = text[max(0, m.start() - 40) : m.start()]
        if _VERB_BEFORE.search(before) or _PURPOSE_BEFORE.search(before):
            return m.span()
        if _PURPOSE_AFTER.match(text, m.end(), m.end() + 60):
            return m.span()
    if any(w in folded for w in _SEND_WORDS):
        for m in _KEYWORD_LOWER.finditer(folded):
            if _VERB_RIGHT_BEFORE.search(folded, max(0, m.start() - 30), m.start()):
                return m.span()
    return None


@register_data_finder
def _opt_out_keyword(doc: Document, policy: Policy) -> list[tuple[int, int, str]]:
    """The opt-out instruction's keyword ("Reply CANCEL") is a command word, not shouting (BR406)."""
    found = opt_out_instruction(doc)
    if found is None:
        return []
    start, end = doc.norm_to_original(*found)
    return [(start, end, "opt_out_keyword")]


def trigger_reason(doc: Document, policy: Policy, key: str, when: Trigger) -> str | None:
    """Why ``when`` holds for ``doc`` (a short text for the evidence), or None when it does not."""
    if when.always:
        return "always"
    if when.channels and on_channel(when.channels, doc, policy) and (channel_name(policy) or doc.channel):
        return f"channel {(channel_name(policy) or doc.channel)!r}"
    for name, expected in when.meta.items():
        got = meta_field(doc, name)
        want = str(expected).lower() if not isinstance(expected, str) else expected.lower()
        if got is not None and got.value.strip().lower() == want:
            return f"metadata {name}={expected}"
    if when.terms:
        phrase_set = PhraseSet.cached(policy, f"{key}:terms", lambda: list(when.terms))
        for start, end, term in sorted(phrase_set.positions(doc)):
            if not offer_denied(doc, start, end) and not _names_something_else(doc, start, end, term):
                return f"mentions {term!r}"
    if when.patterns:
        cache = cache_of(policy)
        compiled: list[re.Pattern[str]] | None = cache.get(f"{key}:patterns")
        if compiled is None:
            compiled = [re.compile(p) for p in when.patterns]
            cache[f"{key}:patterns"] = compiled
        for pattern in compiled:
            m = pattern.search(doc.folded)
            if m:
                return f"matches {pattern.pattern!r}"
    return None


#: the last word of a capitalised name of a public scheme or body: "the Enterprise Finance Guarantee", "the
#: Green Savings Fund", "the Pay Monthly Programme Board"
_SCHEME_HEADS = frozenset(
    {
        "guarantee", "scheme", "schemes", "fund", "funds", "programme", "program", "initiative", "grant", "grants",
        "act", "agency", "authority", "bank", "board", "council", "service", "trust", "partnership", "ombudsman",
    }
)  # fmt: skip
_CAPITALISED_RUN_AFTER = re.compile(r"(?:[ \t]+[A-Z][\w'’&-]*)+")
_CAPITALISED_WORD_BEFORE = re.compile(r"[A-Z][\w'’&-]*[ \t]+$")
#: a trigger word that is the first half of a bank product's name: "your savings account", "a finance account"
_ACCOUNT_AFTER = re.compile(r"[ \t]+accounts?\b")


def _names_something_else(doc: Document, norm_start: int, norm_end: int, term: str) -> bool:
    """Whether the trigger ``term`` found at ``norm_start``-``norm_end`` is a word of something else's name,
    not the brand's offer: a word of a public scheme's capitalised name in running text ("a loan under the
    Enterprise Finance Guarantee"; the policy's term is in lower case, a capitalised word stands before it and
    the name ends in a scheme's head word, "Guarantee", "Scheme", "Fund"...), or a one-word trigger that names a
    bank account ("money in your savings account")."""
    start, end = doc.norm_to_original(norm_start, norm_end)
    text = doc.text
    if " " not in term and _ACCOUNT_AFTER.match(text, end) is not None:
        return True
    word = text[start:end]
    if term != term.lower() or not word[:1].isupper() or word.isupper():
        return False
    if _CAPITALISED_WORD_BEFORE.search(text, max(0, start - 40), start) is None:
        return False
    run = _CAPITALISED_RUN_AFTER.match(text, end)
    if run is None:
        return False
    return run.group().split()[-1].lower() in _SCHEME_HEADS


def starts_within(doc: Document, norm_start: int, within: int) -> bool:
    return prose_offset(doc, norm_start) <= within


def ends_within(doc: Document, norm_end: int, within: int) -> bool:
    visible_end = len(doc.prose.rstrip())
    index = doc._norm_index
    p = norm_end if index is None else (index[norm_end - 1] + 1 if norm_end > 0 else 0)
    return visible_end - p <= within


def merge_tag_in(
    doc: Document, policy: Policy, purpose: Literal["unsubscribe", "postal_address"], context: str = "light"
) -> str | None:
    """The ESP merge tag in ``doc``'s source that stands for ``purpose`` (``*|UNSUB|*``, ``{{{unsubscribe}}}``,
    ``*|HTML:LIST_ADDRESS_HTML|*``…), or None. The table and the policy's own tags are
    ``creative.email.merge_tags`` (docs/creative.md): a template is checked before the ESP fills them in.
    In HTML the tag counts where the reader will see what the ESP puts there: in seen text, in the address of
    a seen link, or as a seen element (``<unsubscribe>``); not in a comment, an attribute or hidden text."""
    from brandrail.creative.merge_tags import element_tags, find_merge_tag, merge_tags_for

    settings = policy.creative.email.merge_tags
    extra = list(settings.unsubscribe if purpose == "unsubscribe" else settings.postal_address)
    tags = merge_tags_for(purpose, extra, builtin=settings.builtin)
    if doc.kind != "html":
        return find_merge_tag(tags, [doc.text])
    email = _email(doc, policy)
    texts = [seen_view(doc, policy, context).prose, *(href for href, _ in seen_links(doc, policy, context))]
    return find_merge_tag(tags, texts, email.seen_tags(element_tags(tags), context))
