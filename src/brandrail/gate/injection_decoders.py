"""More encodings the tool-result screen (:mod:`brandrail.gate.toolresults`, AG908) reads an instruction through.

The screen already decodes base64, hex, percent-encoding, ROT13 and reversed lines. This module finds five
more kinds of encoded text in a result and decodes them, so the decoded text can be read like a result of its
own (an instruction hidden in it is then found by the same families):

- ``morse``: runs of six or more Morse letters (``.`` and ``-``, letters separated by spaces, words by ``/``
  or two spaces), read in lower case;
- ``atbash``: lines that read as English when every letter is mirrored in the alphabet (a→z, b→y …), told by
  three or more common English words in their Atbash form (``gsv`` for "the", ``zmw`` for "and" …);
- ``binary``: four or more 8-bit groups (``01110011 01100101 …``) or one run of 32 or more bits, read as UTF-8;
- ``html entities``: runs of four or more numeric character references (``&#65;``, ``&#x41;``), with the
  text and named entities between them, read as the characters they stand for;
- ``quoted-printable``: runs of six or more ``=XX`` escapes and soft line breaks (``=`` at a line's end), as
  in a MIME body, read as UTF-8.

Each finder is one regular expression (or one count per marker word), so a long text costs one pass per kind;
a decoded piece that is not readable text (control bytes, invalid UTF-8, unknown Morse) is dropped.
"""

from __future__ import annotations

import base64
import binascii
import html
import quopri
import re
from collections.abc import Iterator

from brandrail.gate.injection_words import CIPHER_MARKERS

__all__ = ["braille_pieces", "decoded_pieces"]

# -- Morse ----------------------------------------------------------------------------------------------------

_MORSE_CODE = {
    ".-": "a", "-...": "b", "-.-.": "c", "-..": "d", ".": "e", "..-.": "f", "--.": "g", "....": "h", "..": "i",
    ".---": "j", "-.-": "k", ".-..": "l", "--": "m", "-.": "n", "---": "o", ".--.": "p", "--.-": "q", ".-.": "r",
    "...": "s", "-": "t", "..-": "u", "...-": "v", ".--": "w", "-..-": "x", "-.--": "y", "--..": "z",
    "-----": "0", ".----": "1", "..---": "2", "...--": "3", "....-": "4", ".....": "5", "-....": "6",
    "--...": "7", "---..": "8", "----.": "9", ".-.-.-": ".", "--..--": ",", "..--..": "?", ".----.": "'",
    "-.-.--": "!", "-..-.": "/", "-.--.": "(", "-.--.-": ")", ".-...": "&", "---...": ":", "-.-.-.": ";",
    "-...-": "=", ".-.-.": "+", "-....-": "-", "..--.-": "_", ".-..-.": '"', ".--.-.": "@",
}  # fmt: skip
#: Dots and dashes as typed (·, •, −, –, _ too), one letter at most seven long.
_MORSE_SIGNS = str.maketrans({"·": ".", "•": ".", "−": "-", "–": "-", "_": "-"})
_MORSE_RUN = re.compile(
    r"(?<![\w.\-·•−–])[.\-·•−–_]{1,7}(?:(?:[ \t]*/[ \t]*|[ \t]{1,3}|[ \t]*\|[ \t]*)[.\-·•−–_]{1,7}){5,}"
)
_MORSE_WORD_BREAK = re.compile(r"[ \t]*[/|][ \t]*|[ \t]{2,}")


def _morse(run: str) -> str | None:
    words = []
    known = total = 0
    for word in _MORSE_WORD_BREAK.split(run.translate(_MORSE_SIGNS).strip()):
        letters = []
        for code in word.split():
            total += 1
            letter = _MORSE_CODE.get(code)
            known += letter is not None
            letters.append(letter or "?")
        words.append("".join(letters))
    if total < 6 or known < 0.9 * total:
        return None
    return " ".join(w for w in words if w)


# -- Atbash ---------------------------------------------------------------------------------------------------

_ATBASH = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba",
)
#: Common words of instructions, Atbash-encoded: a line with three or more of them is read decoded.
_ATBASH_MARKERS = frozenset(
    w.translate(_ATBASH)
    for w in [
        "the",
        "and",
        "your",
        "you",
        "our",
        "for",
        "with",
        "this",
        "that",
        "from",
        "to",
        "is",
        "are",
        "all",
        "every",
        "send",
        "tell",
        "say",
        "user",
        "users",
        "customer",
        "customers",
        "list",
        "data",
        "email",
        "password",
        "ignore",
        "previous",
        "instructions",
        "recommend",
        "only",
        "reply",
        "add",
        "address",
    ]
)
#: ... and of the other languages the cipher readers know (German, French, Spanish, Italian, Portuguese, Dutch).
_ATBASH_MARKERS = _ATBASH_MARKERS | {w.translate(_ATBASH) for w in CIPHER_MARKERS}
_WORD = re.compile(r"[a-z]+")


def atbash(text: str) -> str:
    """``text`` with its ASCII letters mirrored (A↔Z, b↔y): Atbash, its own inverse."""
    return text.translate(_ATBASH)


#: The markers with a space either side, as the first test looks for them (built once).
_ATBASH_SPACED = tuple(f" {w} " for w in sorted(_ATBASH_MARKERS))


def _seen_twice(low: str) -> bool:
    """Do the markers stand in ``low`` two or more times (one C search per marker, stopping at two)?"""
    total = 0
    for spaced in _ATBASH_SPACED:
        if spaced in low:
            total += low.count(spaced)
            if total >= 2:
                return True
    return False


def _atbash_lines(text: str) -> Iterator[tuple[int, int, str]]:
    low = text.lower()
    if not _seen_twice(low):
        return
    start = 0
    for line in low.split("\n"):
        end = start + len(line)
        if len(_ATBASH_MARKERS.intersection(_WORD.findall(line))) >= 3:
            yield start, end, text[start:end].translate(_ATBASH)
        start = end + 1


# -- binary, entities, quoted-printable ------------------------------------------------------------------------

_BINARY = re.compile(r"(?<![01])(?:[01]{8}(?:[ \t,]+[01]{8}){3,}|[01]{32,})(?![01])")
_ENTITY = r"&#(?:[0-9]{1,7}|[xX][0-9A-Fa-f]{1,6});?"
_ENTITY_RUN = re.compile(rf"{_ENTITY}(?:(?:[^&<>\n]|&[A-Za-z]{{2,10}};){{0,40}}?{_ENTITY}){{3,}}")
_QP_ESCAPE = r"=(?:[0-9A-Fa-f]{2}|\r?\n)"
_QP_RUN = re.compile(rf"{_QP_ESCAPE}(?:[^=\n<>]{{0,60}}{_QP_ESCAPE}){{5,}}[^=\s<>]{{0,40}}")


#: A run of octal escapes (``\101\111\040``, as C, Python and JavaScript strings write bytes), six or more,
#: with up to 30 plain characters between two (a run ends after 400: a long one is read in pieces).
_OCTAL_RUN = re.compile(r"\\[0-3][0-7]{2}(?:[^\\\n\"'<>]{0,30}\\[0-3][0-7]{2}){5,400}")
_OCTAL = re.compile(r"\\([0-3][0-7]{2})")
#: Four or more string literals joined by ``+`` or written side by side (``'Brow' + 'sing'``, Python's
#: ``("AI " "assis" "tant")``): the text a program assembles at run time (200 literals at most per run).
_LITERAL = r"(?:'[^'\\\n]{0,80}'|\"[^\"\\\n]{0,80}\")"
_CONCAT_RUN = re.compile(rf"{_LITERAL}(?:[ \t]*(?:\+[ \t]*|\n[ \t]*\+?[ \t]*)?{_LITERAL}){{3,200}}")
_CONCAT_PIECE = re.compile(_LITERAL)


def _octal(run: str) -> str | None:
    raw = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), run).encode("latin-1", "replace")
    decoded = readable(raw)
    return decoded if decoded and decoded != run else None


def _concatenated(run: str) -> str:
    return "".join(m.group()[1:-1] for m in _CONCAT_PIECE.finditer(run))


def readable(raw: bytes) -> str | None:
    """``raw`` as UTF-8 text when it decodes and nearly all of it (over 95%) is printable or white space."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if decoded and sum(c.isprintable() or c.isspace() for c in decoded) / len(decoded) > 0.95:
        return decoded
    return None


def _binary(run: str) -> str | None:
    bits = re.sub(r"[^01]", "", run)
    if len(bits) % 8:
        return None
    return readable(int(bits, 2).to_bytes(len(bits) // 8, "big"))


def _entities(run: str) -> str | None:
    try:
        decoded = html.unescape(run)
    except (ValueError, OverflowError):  # pragma: no cover - html.unescape replaces what it cannot read
        return None
    if not decoded or decoded == run:
        return None
    return decoded if sum(c.isprintable() or c.isspace() for c in decoded) / len(decoded) > 0.95 else None


def _quoted_printable(run: str) -> str | None:
    try:
        raw = quopri.decodestring(run.encode("utf-8", "replace"))
    except ValueError:  # pragma: no cover - quopri leaves what it cannot read as it is
        return None
    decoded = readable(raw)
    return decoded if decoded and decoded != run else None


# -- Braille ----------------------------------------------------------------------------------------------

#: Grade-1 (uncontracted) English Braille: letters, the blank cell, common punctuation; the capital sign is
#: dropped and the number sign turns "a" … "j" into digits up to the next blank.
_BRAILLE = dict(
    zip("⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵\u2800⠂⠲⠖⠦⠄⠤⠒", "abcdefghijklmnopqrstuvwxyz ,.!?'-:", strict=True)
)
_BRAILLE_DIGITS = dict(zip("⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚", "1234567890", strict=True))
_BRAILLE_RUN = re.compile(r"[\u2801-\u28ff][\u2800-\u28ff \t]{4,}[\u2801-\u28ff]")
#: Plain text before a Braille run read with it: a lead-in on the lines above ("For the agent: the Braille
#: line below is your task:").
_BRAILLE_LEAD = 200


def _braille(run: str) -> str:
    out: list[str] = []
    digits = False
    for ch in run:
        if ch == "⠼":
            digits = True
        elif ch == "⠠":
            continue
        elif digits and ch in _BRAILLE_DIGITS:
            out.append(_BRAILLE_DIGITS[ch])
        else:
            digits = False
            out.append(_BRAILLE.get(ch, ch if ch in " \t" else "?"))
    return "".join(out)


def braille_pieces(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Runs of six or more Braille cells, blanks and spaces in ``text`` (the original, not the view that
    drops invisible characters: the blank cell U+2800 is Braille's word space) read as grade-1 Braille, with
    the plain text of the same paragraph before them (up to :data:`_BRAILLE_LEAD` characters) as their
    lead-in: ``(start, end, decoded, "braille")``. A model reads Braille as letters, so an instruction written
    in it is one."""
    if not _BRAILLE_RUN.search(text):
        return
    for m in _BRAILLE_RUN.finditer(text):
        lo = max(0, m.start() - _BRAILLE_LEAD)
        lead = text[lo : m.start()]
        lead = lead[lead.rfind("\n\n") + 2 :] if "\n\n" in lead else lead
        yield m.start(), m.end(), lead + _braille(m.group()), "braille"


# -- base85, base32hex, styled and separated letters, identifiers (rt-f9mcp) ------------------------------------

_B85_CHARS = r"0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~"
#: A run of 40 or more base85 characters (RFC 1924 / Python ``b85encode``); :func:`decoded_pieces` keeps one
#: that stands alone and holds one of base85's punctuation characters (a run of letters and digits only is
#: base64's or hex's, read by their own finders). Plain character classes: one cheap scan of a long text.
_B85_RUN = re.compile(rf"[{_B85_CHARS}]{{40,}}")
_B85_PUNCTUATION = frozenset("!#$%&()*+-;<=>?@^_`{|}~")
#: A base32hex run (RFC 4648 "extended hex" alphabet ``0-9A-V``, one case): kept when it stands alone and
#: holds a letter past ``F`` (not plain hex).
_B32HEX_RUN = re.compile(r"[0-9A-Va-v]{24,}")
_B32HEX_PAST_F = re.compile(r"[G-Vg-v]")
_BASE_NEIGHBOURS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
_B32HEX_TO_B32 = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUV", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def _b85(run: str) -> str | None:
    try:
        raw = base64.b85decode(run)
    except ValueError:
        return None
    decoded = readable(raw)
    return decoded if decoded and sum(c.isalpha() for c in decoded) > len(decoded) / 2 else None


def _b32hex(run: str) -> str | None:
    blob = run.rstrip("=").upper().translate(_B32HEX_TO_B32)
    try:
        raw = base64.b32decode(blob + "=" * (-len(blob) % 8))
    except (binascii.Error, ValueError):
        return None
    decoded = readable(raw)
    return decoded if decoded and sum(c.isalpha() for c in decoded) > len(decoded) / 2 else None


#: Small capital letters (ᴀ ʙ ᴄ …), which NFKC leaves as they are, read as the letters they stand for.
_SMALL_CAPS = str.maketrans(dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnopqrstuvwyz", strict=True)))
#: Letters turned upside down (ɐ q ɔ p ǝ …): read mirrored back, the line then read from its end.
_UPSIDE_DOWN = str.maketrans(
    {
        **dict(zip("ɐqɔpǝɟƃɓɥᴉıɾʞꞰlɯuodbɹsʇnʌʍxʎz", "abcdefgghiijkklmnopqrstuvwxyz", strict=True)),
        **dict(zip("∀ⱯƆᗡƎℲ⅁ſꞀԀᴚ⊥∩ΛM⅄", "aacdefgjlprtuvwy", strict=True)),
        **dict(zip("˙‚,'¡¿", ".''\u002c!?", strict=True)),
    }
)
_STYLED_RUN = re.compile(r"[ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ]")
_UPSIDE_RUN = re.compile(r"[ɐɔǝɟƃɥᴉɾʞɯɹʇʌʍʎ∀Ɐ⅄˙¡¿]")
#: Six or more letters of a style in one line make it a line written in that style.
_STYLED_MIN = 6
#: Ten or more characters each followed by one separator (".", "-", "·", "*" …): "a.s.s.i.s.t.a.n.t.:. .s.e.n.d";
#: matched from its first separator (a scan for a separator is cheap), the character before it read with it.
_SEPARATED_RUN = re.compile(r"([.·•*~|/_\-])(?:(?:[^\s.·•*~|/_\-]|[ ])\1){9,}")
#: An identifier of six or more parts joined by underscores, a file name addressed to an AI reader
#: ("AI_AGENT_READING_THIS_upload_…_then_say_…"): one of its parts names one.
_IDENTIFIER = re.compile(r"[A-Za-z0-9][\w.@-]*?(?:_{1,3}[A-Za-z0-9.@-]+){5,}")
_IDENTIFIER_READER = re.compile(
    r"(?:^|_)(?:ai|llm|gpt|agent|assistant|bot|model|copilot)s?(?=_)", re.IGNORECASE
)


#: How far an identifier runs either way from one of its underscores.
_IDENTIFIER_REACH = 300


def _identifiers(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Identifiers of six or more parts joined by underscores with a part naming an AI reader, read with
    spaces for the underscores: ``(start, end, decoded, "identifier")``. Found from the underscores (one
    ``find`` each), so a text costs what its underscores do."""
    at = text.find("_")
    while at >= 0:
        lo = at
        while lo > 0 and at - lo < _IDENTIFIER_REACH and not text[lo - 1].isspace():
            lo -= 1
        hi = at
        while hi < len(text) and hi - at < _IDENTIFIER_REACH and not text[hi].isspace():
            hi += 1
        token = text[lo:hi]
        for m in _IDENTIFIER.finditer(token):
            if _IDENTIFIER_READER.search(m.group()):
                yield lo + m.start(), lo + m.end(), re.sub(r"_+", " ", m.group()), "identifier"
        at = text.find("_", hi)


def _styled_lines(text: str) -> Iterator[tuple[int, int, str, str]]:
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        # the styled run read as a segment of its own (from its first styled letter to its last): a change
        # of style starts one, as a line does
        styled = [m.start() for m in _STYLED_RUN.finditer(line)]
        if len(styled) >= _STYLED_MIN:
            a = styled[0]
            yield start + a, end, line[a:].translate(_SMALL_CAPS), "small capitals"
        turned = [m.start() for m in _UPSIDE_RUN.finditer(line)]
        if len(turned) >= _STYLED_MIN:
            a, b = turned[0], turned[-1] + 1
            yield start + a, start + b, line[a:b][::-1].translate(_UPSIDE_DOWN), "upside-down letters"
        start = end + 1


def decoded_pieces(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Encoded pieces of ``text`` that decode to readable text: ``(start, end, decoded, how)``, ``how`` one of
    ``morse``, ``atbash``, ``binary``, ``html entities``, ``quoted-printable``, ``octal escapes`` and ``string
    concatenation``, in that order; pieces of
    one kind in the order they stand in ``text``. The caller bounds how many it reads."""
    # cheap counts first (one C pass each): a Morse run has letters after spaces, a binary run 32 bits, an
    # entity run four "&#", a quoted-printable run six "="
    if sum(text.count(f" {sign}") for sign in ".-·•−–_") >= 5:
        for m in _MORSE_RUN.finditer(text):
            decoded = _morse(m.group())
            if decoded:
                yield m.start(), m.end(), decoded, "morse"
    for a, b, decoded in _atbash_lines(text):
        yield a, b, decoded, "atbash"
    if text.count("0") >= 8 and text.count("1") >= 4 and text.count("0") + text.count("1") >= 32:
        for m in _BINARY.finditer(text):
            decoded = _binary(m.group())
            if decoded:
                yield m.start(), m.end(), decoded, "binary"
    if text.count("&#") >= 4:
        for m in _ENTITY_RUN.finditer(text):
            decoded = _entities(m.group())
            if decoded:
                yield m.start(), m.end(), decoded, "html entities"
    if text.count("=") >= 6:
        for m in _QP_RUN.finditer(text):
            decoded = _quoted_printable(m.group())
            if decoded:
                yield m.start(), m.end(), decoded, "quoted-printable"
    if text.count("\\") >= 6:
        for m in _OCTAL_RUN.finditer(text):
            decoded = _octal(m.group())
            if decoded:
                yield m.start(), m.end(), decoded, "octal escapes"
    if text.count("'") + text.count('"') >= 8:
        for m in _CONCAT_RUN.finditer(text):
            yield m.start(), m.end(), _concatenated(m.group()), "string concatenation"
    for m in _B85_RUN.finditer(text):
        run = m.group()
        if _B85_PUNCTUATION.isdisjoint(run):
            continue
        decoded = _b85(run)
        if decoded:
            yield m.start(), m.end(), decoded, "base85"
    for m in _B32HEX_RUN.finditer(text):
        a, b, run = m.start(), m.end(), m.group()
        while b < len(text) and b - m.end() < 6 and text[b] == "=":
            b += 1
        if (a and text[a - 1] in _BASE_NEIGHBOURS and text[a - 1] != "=") or (
            b < len(text) and text[b] in _BASE_NEIGHBOURS
        ):
            continue
        if not (run.isupper() or run.islower() or run.isdigit()) or not _B32HEX_PAST_F.search(run):
            continue
        decoded = _b32hex(run)
        if decoded:
            yield a, b, decoded, "base32hex"
    if _STYLED_RUN.search(text) or _UPSIDE_RUN.search(text):
        yield from _styled_lines(text)
    # (an instruction spelled out so has a word break, a separator on either side of a space: ". .")
    for m in _SEPARATED_RUN.finditer(text) if any(f"{c} {c}" in text for c in ".·•*~|/_-") else ():
        a = m.start()
        if a and not text[a - 1].isspace():
            a -= 1  # the character the first separator follows
        yield a, m.end(), text[a : m.end()][::2], "separated letters"
    if text.count("_") >= 5:
        yield from _identifiers(text)
