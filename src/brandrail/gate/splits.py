"""A spend whose own description says it is one part of a larger spend.

``approvals.spend_over`` holds a spend over the threshold for a human. An agent can pay one 480 invoice as
two spends of 240 and none is over it; the gate cannot tell such a pair from two honest spends by their
amounts, but it can read what the spend says about itself (the words a reviewer would stop at):

* a **part** of something ("part 2 of 3", "instalment 3/4", "tranche 1 of 2", "the second half of …",
  "the remaining 200 of a 450 booking") together with a **whole** over the threshold: a total stated
  ("480.00 total", "total: 690", "of the 460 sponsorship", "Outdoor booking 600.00") or, for "N of M"
  with M at most 4, the amount times M ("payment 3 of 12" is a schedule, not one spend cut up);
* a **split** said to be made to avoid the approval ("split in two to stay under the approval limit",
  "broken up to avoid sign-off", "so it doesn't need sign-off").

A part of a whole under the threshold ("part 1 of 2 (240.00 total)" with ``spend_over: 250``), a creative
numbered "2 of 3", or a campaign's budget named in the description ("the campaign's budget is 5000 in
total") is no split. The description is English, as the approval's reviewers read it; the check is one
pass of a few regular expressions over at most the description's length (``limits.max_text``).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = ["stated_split"]

#: A word for one part of a payment or booking.
_PART_WORD = r"(?:part|instal(?:l)?ments?|tranches?|halves|half|portions?|payments?|chunks?|pieces?|splits?)"
#: "part 2 of 3", "instalment 3/4", "tranche 1 of 2", "payment #2 of 4"
_PART_OF = re.compile(
    rf"\b{_PART_WORD}\s*#?\s*(\d{{1,2}})\s*(?:of|/|out\s+of)\s*(\d{{1,2}})\b", re.IGNORECASE
)
#: "the second half of", "the remaining 200 of", "first instalment of", "final tranche of"
_PART_NAMED = re.compile(
    rf"\b(?:first|second|third|fourth|final|last|remaining|other|next|1st|2nd|3rd|4th)\s+"
    rf"(?:(?:\d[\d,]*(?:\.\d{{1,2}})?|{_PART_WORD})\s+)?(?:of\b|{_PART_WORD}\b)",
    re.IGNORECASE,
)
_AMOUNT = r"(?:[£$€]\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?!\s*%)"
#: "480.00 total", "(900 total)", "total: 690", "totalling 600", "total of 600", "of the 460 …",
#: "of a 600 booking", "booking 600.00"
_WHOLE = re.compile(
    rf"{_AMOUNT}\s*(?:[A-Z]{{3}}\s*)?(?:in\s+)?total\b"
    rf"|\btotal(?:ling|ing|s)?\s*(?:of|is|was|:)?\s*{_AMOUNT}"
    rf"|\bof\s+(?:the|a|an|our|this)\s+{_AMOUNT}\b",
    re.IGNORECASE,
)
#: A number written after a word, as a booking or invoice states its amount ("booking 600.00"): only with
#: two decimals, so an invoice number ("invoice 4471") is not read as money.
_PRICED = re.compile(r"\b[a-z]+\s+(?:[£$€]\s*)?(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})\b", re.IGNORECASE)
#: A split made to keep under the approval: the act and its purpose, in one sentence.
_SPLIT_ACT = re.compile(
    r"\b(?:split(?:ting)?|broken\s+up|break(?:ing)?\s+(?:it\s+|this\s+)?up|divided|chopped|spread)\b",
    re.IGNORECASE,
)
_SPLIT_PURPOSE = re.compile(
    r"\bto\s+(?:avoid|dodge|skip|bypass|sidestep|escape|stay|keep|get|remain|come\s+in)\s+(?:under|below|beneath)?"
    r"\s*(?:the\s+|an?\s+)?(?:\w+\s+){0,2}?(?:approval|sign[\s-]?off|review|threshold|spend_over|limit|cap)"
    r"|\bso\s+(?:that\s+)?(?:it|they|we|this|each)\s+(?:doesn'?t|don'?t|does\s+not|do\s+not|won'?t|will\s+not)\s+"
    r"(?:need|require|trigger|go\s+to|hit)"
    r"|\b(?:without|avoid(?:ing)?|dodg(?:e|ing)|bypass(?:ing)?)\s+(?:the\s+|an?\s+)?(?:\w+\s+)?"
    r"(?:approval|sign[\s-]?off|review|reviewer|threshold)"
    r"|\bunder\s+(?:the\s+)?(?:approval|sign[\s-]?off|review|spend_over)",
    re.IGNORECASE,
)
# -- the same in German, French, Spanish, Italian, Dutch and Portuguese ----------------------------------------
# "Teil 2 von 3", "versement 2 sur 3", "cuota 1 de 2", "rata 2 di 3", "deel 1 van 2", "parcela 2 de 3"; a
# whole stated with its word ("gesamt 690,00", "total 720,00", "totale 660", "totaal 480", "de la réservation
# de 520,00", "do patrocínio de 690") in European money text (a decimal comma, a point or space between
# thousands); a split said to be made to keep under the approval ("aufgeteilt, damit keine Freigabe nötig ist",
# "scindé en deux pour éviter la validation", "dividido para no necesitar aprobación", "diviso per non superare
# la soglia", "opgesplitst om onder de goedkeuringsgrens te blijven").
_PART_WORD_EU = (
    r"(?:teil|teilzahlung|rate|tranche|zahlung|anteil|abschlag|partie|versement|paiement|[ée]ch[ée]ance|acompte"
    r"|parte|pago|cuota|plazo|rata|quota|pagamento|deel|termijn|betaling|parcela|presta[çc][ãa]o)"
)
_PART_OF_EU = re.compile(
    rf"\b{_PART_WORD_EU}\s*(?:n[°º.]?\s*|nr\.?\s*|#\s*)?(\d{{1,2}})\s*(?:von|sur|de|di|van|da|/|aus)\s*(\d{{1,2}})\b",
    re.IGNORECASE,
)
_PART_NAMED_EU = re.compile(
    r"\b(?:erste|zweite|dritte|letzte|restliche|verbleibende|premi[èe]re|deuxi[èe]me|seconde|derni[èe]re"
    r"|primera|segunda|tercera|[úu]ltima|restante|prima|seconda|terza|rimanente|eerste|tweede|derde|laatste"
    r"|resterende|primeira|terceira)\s+(?:h[äa]lfte|rate|tranche|teil|moiti[ée]|partie|mitad|cuota|parte"
    r"|met[àa]|rata|quota|helft|termijn|deel|metade|parcela)\b",
    re.IGNORECASE,
)
_EU_AMOUNT = (
    r"(?:[£$€]\s*|(?:EUR|CHF|GBP|USD)\s*)?(\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d+)(?:,(\d{1,2}))?(?![\d%])"
)
_WHOLE_EU = re.compile(
    r"\b(?:gesamt|insgesamt|gesamtsumme|gesamtbetrag|summe|total|totale|totaal|totaalbedrag|importe\s+total"
    r"|montant\s+total|valor\s+total|im\s+wert\s+von)\s*(?:von|de|di|van|:)?\s*"
    + _EU_AMOUNT
    + r"|\b(?:de|di|van|von|do|da|du|del|della|der|des)\s+(?:\w+[\s-]){1,3}?(?:de|di|van|von|über|ueber)\s+"
    + _EU_AMOUNT,
    re.IGNORECASE,
)
_SPLIT_ACT_EU = re.compile(
    r"\b(?:aufgeteilt|geteilt|gesplittet|gestückelt|aufgesplittet|scind[ée]e?s?|divis[ée]e?s?|fractionn[ée]e?s?"
    r"|d[ée]coup[ée]e?s?|dividid[oa]s?|fraccionad[oa]s?|partid[oa]s?|divis[oa]|suddivis[oa]|frazionat[oa]"
    r"|spezzat[oa]|opgesplitst|gesplitst|opgedeeld|verdeeld|repartid[oa]s?)\b",
    re.IGNORECASE,
)
_SPLIT_PURPOSE_EU = re.compile(
    r"\b(?:damit\s+kein\w*|ohne|um\s+(?:die|den|das)?|unter(?:halb)?|pour\s+(?:[ée]viter|ne\s+pas|rester)|sans"
    r"|sous|en\s+dessous|para\s+(?:no|n[ãa]o|evitar|quedar|ficar)|sin|sem|por\s+debajo|abaixo|per\s+(?:non"
    r"|evitare|restare|stare)|senza|sotto|om\s+(?:onder|de|het)|zonder|onder)\W+(?:\w+\W+){0,5}?"
    r"(?:freigabe|genehmigung|abnahme|schwelle|freigabegrenze|validation|approbation|visa|seuil|aprobaci[óo]n"
    r"|autorizaci[óo]n|umbral|approvazione|autorizzazione|soglia|goedkeuring\w*|drempel\w*|aprova[çc][ãa]o"
    r"|autoriza[çc][ãa]o|limiar)",
    re.IGNORECASE,
)
# -- a split said in more languages: the act and the purpose in any order -------------------------------------
# Swahili, Polish, Swedish, Norwegian and Danish, Indonesian and Malay, Turkish, Czech, Finnish, Catalan and
# Tagalog ("kugawanywa ili kuepuka idhini", "podzielone, żeby ominąć akceptację", "uppdelat för att slippa
# godkännande", "dipecah agar tidak perlu persetujuan", "onaydan kaçınmak için bölündü"); read lower-cased with
# accents folded (Turkish "ı" stays "ı"). Both must be there; an approval word alone ("persetujuan sudah
# diterima", approval received) or a split alone is none.
_SPLIT_ACT_MORE = re.compile(
    r"(?<!\w)(?:\w*gawany\w*|podziel\w*|dziel\w*|rozbit\w*|rozdziel\w*|uppdela\w*|uppdelad\w*|oppdelt|opdelt|delt\s+opp"
    r"|delat\s+upp|splitt\w*|dipecah|dibagi|dipisah|memecah|membagi|b[oö]l[uü]nd[uü]|b[oö]l[uü]nm[uü]s\w*"
    r"|b[oö]ld[uü]k|par[cç]alan\w*|rozdel\w*|jaettu|jaoimme|jaettiin|pilkottu|pilkoimme|dividit\w*|fraccionat\w*"
    r"|hinati|hinahati)(?!\w)"
)
_SPLIT_PURPOSE_MORE = re.compile(
    r"(?<!\w)(?:(?:kuepuka|kukwepa|isihitaji|kutohitaji|bila)\s+(?:\w+\s+){0,2}?(?:idhini|uidhinishaji|ruhusa)"
    r"|(?:uniknac|ominac|obejsc|nie\s+potrzebowac|nie\s+wymagac|nie\s+przekroczyc|bez)\s+(?:\w+\s+){0,2}?"
    r"(?:akceptacj|zatwierdzeni|zgod|progu|limitu)\w*"
    r"|(?:slippa|undvika|unnga|undga|utan|uten|uden|under)\s+(?:\w+\s+){0,2}?"
    r"(?:godkann\w*|godkjenn\w*|godkend\w*|attest\w*|grans\w*|grense\w*|graense\w*)"
    r"|(?:agar|supaya|biar)\s+tidak\s+(?:perlu|butuh|memerlukan)\s+(?:\w+\s+){0,1}?(?:persetujuan|approval|kelulusan)"
    r"|(?:untuk\s+)?(?:menghindari|mengelak|tanpa)\s+(?:\w+\s+){0,1}?(?:persetujuan|approval|kelulusan)"
    r"|onay\w*\s+(?:\w+\s+){0,2}?(?:kac[iı]nmak|almamak|gerekmemesi|gerekmesin|atlatmak|takilmamak|tak[iı]lmamak)"
    r"|onays[iı]z"
    r"|(?:aby|abychom|abyste)\s+(?:\w+\s+){0,3}?(?:schvaleni|schvalovani|schvalenim)|bez\s+schvaleni"
    r"|(?:valttaa|valttaaksemme|valttaaksemme|ilman|jottei|ettei)\s+(?:\w+\s+){0,3}?hyvaksyn\w*"
    r"|per\s+(?:evitar|no\s+necessitar|no\s+haver\s+de|no\s+passar)\s+(?:\w+\s+){0,2}?"
    r"(?:aprovacio|autoritzacio|validacio|llindar)"
    r"|para\s+(?:hindi|maiwasan)\s+(?:\w+\s+){0,3}?(?:pag-?apruba|apruba))"
)


def _fold(text: str) -> str:
    """``text`` lower-cased without combining marks, one character for one ("żeby" is "zeby")."""
    low = text.lower()
    if low.isascii():
        return low
    return low.translate({ord(ch): unicodedata.normalize("NFD", ch)[0] for ch in set(low) if ord(ch) > 127})


# -- a whole that is the amount times a count written beside it, in any language and digits -------------------
# "rata 2 z 3, łącznie 690 zł", "3回払いの2回目（合計690）", "قسط ۲ از ۳، جمع ۶۹۰", "1/3 of the 690 booking" for a
# spend of 230: a count of 2 to 4 parts and a number the amount times that count (to a cent a part), over the
# threshold. Read by the numbers alone, so the language of the words around them does not matter; a count
# over four is a schedule ("erä 4/12, yhteensä 2760"), and a whole that is no multiple of the amount by a
# count written there is none ("3 banners, 690 views" for 100).
_ANY_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?![\d])")


def _digits(text: str) -> str:
    """``text``'s digits of any script as ASCII digits ("۶۹۰" is "690")."""
    return text if text.isascii() else "".join(str(unicodedata.digit(ch)) for ch in text)


def _multiple_whole(text: str, amount: Decimal, threshold: Decimal) -> str | None:
    counts: set[int] = set()
    wholes: list[tuple[Decimal, str]] = []
    for match in _ANY_NUMBER.finditer(text):
        whole, cents = _digits(match.group(1)), match.group(2)
        plain = re.sub(r"[,.'\u00a0\u202f]", "", whole)
        if (
            cents is None
            and "," not in whole
            and "." not in whole
            and plain.isdigit()
            and 2 <= int(plain) <= 4
        ):
            counts.add(int(plain))
            continue
        value = _money(plain, _digits(cents) if cents else None)
        if value is not None and value > threshold and value > amount:
            wholes.append((value, match.group(0)))
    for count in sorted(counts):
        for value, said in wholes:
            if abs(value - amount * count) <= Decimal("0.01") * count:
                return (
                    f"it names {count} parts and a whole of {said!r}, {count} times its amount {amount}, over "
                    f"the approval threshold {threshold}"
                )
    return None


#: A calendar year is no amount ("the last of the 2026 stock"): a four-digit 19xx or 20xx without pence.
_YEAR = re.compile(r"(?:19|20)\d\d")


#: "N of M" implies a whole of M times the amount only for a few parts (halves to quarters): "payment 3 of 12"
#: is a schedule (a monthly retainer), not one spend cut up.
_IMPLIED_PARTS = 4


def _money(whole: str, cents: str | None) -> Decimal | None:
    if cents is None and _YEAR.fullmatch(whole):
        return None
    try:
        return Decimal(whole.replace(",", "") + ("." + cents if cents else ""))
    except InvalidOperation:
        return None


def _eu_money(whole: str, cents: str | None) -> Decimal | None:
    """European money text: "1.200,00", "690,00", "1 200" (a point or space between thousands)."""
    return _money(re.sub(r"[.\u00a0\u202f ]", "", whole), cents)


def stated_split(description: str | None, amount: Decimal, threshold: Decimal) -> str | None:
    """Why ``description`` says this spend of ``amount`` is a part of a spend over ``threshold`` (or split
    to keep under it), quoting its words; None when it says no such thing."""
    if not description:
        return None
    text = description[:4096]
    act = _SPLIT_ACT.search(text)
    if act is not None and _SPLIT_PURPOSE.search(text, act.end(), act.end() + 200) is not None:
        return f"it says it was split to keep under the approval ({text[act.start() :].strip()[:120]!r})"
    act = _SPLIT_ACT_EU.search(text)
    if act is not None and _SPLIT_PURPOSE_EU.search(text, act.end(), act.end() + 200) is not None:
        return f"it says it was split to keep under the approval ({text[act.start() :].strip()[:120]!r})"
    folded = _fold(text)
    act = _SPLIT_ACT_MORE.search(folded)
    purpose = _SPLIT_PURPOSE_MORE.search(folded) if act is not None else None
    if act is not None and purpose is not None:
        return f"it says it was split to keep under the approval ({text[min(act.start(), purpose.start()) :].strip()[:120]!r})"
    part = _PART_OF.search(text) or _PART_OF_EU.search(text)
    named = None if part is not None else _PART_NAMED.search(text) or _PART_NAMED_EU.search(text)
    if part is None and named is None:
        return _multiple_whole(text, amount, threshold)
    wholes = [_money(m.group(1) or m.group(3) or m.group(5), m.group(2) or m.group(4) or m.group(6))
              for m in _WHOLE.finditer(text)]  # fmt: skip
    wholes += [_money(m.group(1), m.group(2)) for m in _PRICED.finditer(text)]
    wholes += [
        _eu_money(m.group(1) or m.group(3), m.group(2) or m.group(4)) for m in _WHOLE_EU.finditer(text)
    ]
    stated = [w for w in wholes if w is not None and w > amount]
    said = (part or named).group(0)  # type: ignore[union-attr]
    if stated:
        whole = max(stated)
        if whole > threshold:
            return f"it says it is {said!r} of {whole}, over the approval threshold {threshold}"
        return None
    if part is not None:
        count = int(part.group(2))
        if 1 < count <= _IMPLIED_PARTS and int(part.group(1)) <= count and amount * count > threshold:
            return (
                f"it says it is {said!r}: {count} parts of {amount} are {amount * count}, over the approval "
                f"threshold {threshold}"
            )
    return _multiple_whole(text, amount, threshold)
