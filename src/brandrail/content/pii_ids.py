"""National identifiers of more countries (PV105): candidate patterns, the words that label each, the printed
forms that need no word, and the checks of those python-stdnum has no module for.

:mod:`brandrail.content.pii` merges these tables into its own. Every identifier here is validated: by its
python-stdnum module (check digits, birth dates, region codes) where there is one, else by its published check
(Taiwan, Hong Kong, Kuwait, Saudi Arabia) or, for the few with no public check (Egypt's birth date and
governorate, Qatar's birth year and country code, the Philippines' SSS, Bangladesh's NID, Morocco's CIN,
Colombia's cédula, Ghana's card), by its layout — and then only right after its own label word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

__all__ = [
    "MORE_BUILTIN_HOW",
    "MORE_BUILTIN_IDS",
    "MORE_DIGIT_LED",
    "MORE_ID_CONTEXT",
    "MORE_ID_PATTERNS",
    "MORE_ID_PRESENCE",
    "MORE_ID_SHAPES",
    "MORE_NATIONAL_IDS",
    "MORE_SELF_EVIDENT",
]

#: What may stand between a label and its number: "No.", "nr", "n.º", "number", "#", ":" (a label that must be
#: right before its number ends with this and ``$``; :func:`brandrail.content.pii._context` searches up to the
#: number, so ``$`` is the number's start).
_TAIL = (
    r"(?:\s*(?:no\.?|nr\.?|nro\.?|n\.?\s?[º°o]\.?|number|num\.?|número|numero|#|:|-)"
    # "my DNI is …", "mi DNI es …", "meine SV-Nummer ist …": a copula between the label and its number
    r"|\s+(?:is|es|ist|est|é|è|jest|är|er|on|je|era|was))*\s*[:#]?\s*$"
)
#: A bare "ID" / "ID card" / "national ID" right before the number, where "ID" is not a record's ("Order ID",
#: "Customer ID", "Transaction ID"): it opens the text or a clause, or follows a word saying whose it is.
_GENERIC_ID = (
    r"(?:(?:^|[,;:(\[\u2014\u2013]|\s-)\s*|\b(?:my|his|her|your|their|national|personal|citizen|resident|identity|"
    r"the)\s+)(?:id|identity|identification)(?:\s+card)?" + _TAIL
)


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


#: stdnum module (or builtin name) → (candidate pattern, needs a context word), in the order they are tried.
MORE_ID_PATTERNS: dict[str, tuple[str, bool]] = {
    # Pakistan's CNIC: 5-7-1 digits, printed with hyphens (evident); thirteen bare digits after "CNIC"
    "pk.cnic": (r"(?<![\d-])\d{5}(-?)\d{7}\1\d(?![\d-])", True),
    # Argentina's CUIL / CUIT of a person (prefix 20, 23, 24 or 27; a company's 30, 33, 34 is no personal data),
    # printed 2-8-1 with hyphens (evident), and its DNI (7-8 digits, dotted or not, no check) after "DNI"
    "ar.cuit": (r"(?<![\d-])2[0347](-?)\d{8}\1\d(?![\d-])", True),
    "ar.dni": (r"(?<![\d.-])\d{1,2}(\.?)\d{3}\1\d{3}(?![\d-]|\.\d)", True),
    # Peru's DNI / CUI: eight digits and an optional check digit, after "DNI"
    "pe.cui": (r"(?<![\d-])\d{8}(?:-?[\dA-Ka-k])?(?![\w-])", True),
    # Israel's teudat zehut: nine digits, a Luhn-style check
    "il.idnr": (r"(?<![\d-])\d{9}(?![\d-])", True),
    # New Zealand's IRD number: eight or nine digits, printed 2/3-3-3
    "nz.ird": (r"(?<![\d-])\d{2,3}([- ]?)\d{3}\1\d{3}(?![\d-])", True),
    # Ireland's PPS number: seven digits, a check letter, an optional second letter (A, H or W)
    "ie.pps": (r"(?<![\w])\d{7}[A-Wa-w][A-IWa-iw]?(?![\w])", True),
    # Czech and Slovak rodné číslo: birth date (month + 50 for women), a slash, three or four digits (mod 11)
    "cz.rc": (r"(?<![\d/-])\d{6}/?\d{3,4}(?![\d/-])", True),
    "sk.rc": (r"(?<![\d/-])\d{6}/?\d{3,4}(?![\d/-])", True),
    # Thailand's personal ID: thirteen digits with a check digit, printed 1-4-5-2-1 (evident)
    "th.pin": (r"(?<![\d-])[1-8]([- ]?)\d{4}\1\d{5}\1\d{2}\1\d(?![\d-])", True),
    # Taiwan's national ID: a letter, 1 or 2 (8 or 9 for residents), eight digits, the last a check digit
    "tw.nid": (r"(?<![\w])[A-Za-z][1289]\d{8}(?![\w])", True),
    # Hong Kong's HKID: one or two letters, six digits, a check digit or A, usually in brackets (evident)
    "hk.hkid": (r"(?<![\w])[A-Za-z]{1,2}\d{6}(?:\(\s?[\dAa]\s?\)|[\dAa](?![\w]))", True),
    # Malaysia's MyKad number: birth date, place-of-birth code, four digits, printed 6-2-4 (evident)
    "my.nric": (r"(?<![\d-])\d{6}(-?)\d{2}\1\d{4}(?![\d-])", True),
    # Ecuador's cédula (ten digits: province, mod-10 check) and Colombia's cédula de ciudadanía (no check: only
    # right after "CC" or "cédula")
    "ec.ci": (r"(?<![\d-])[0-3]\d{8}-?\d(?![\d-])", True),
    "co.cc": (r"(?<![\d.-])(?:\d{1,3}(?:\.\d{3}){2,3}|\d{6,10})(?![\d-]|\.\d)", True),
    # Croatia's OIB (eleven digits, ISO 7064 check), Bulgaria's EGN (ten: birth date, check digit), Ukraine's
    # RNOKPP (ten: days since 1900, check digit), Lithuania's asmens kodas and Estonia's isikukood (eleven:
    # sex and century, birth date, check digit), Latvia's personas kods (eleven, printed 6-5)
    "hr.oib": (r"(?<![\d-])\d{11}(?![\d-])", True),
    "bg.egn": (r"(?<![\d-])\d{10}(?![\d-])", True),
    "ua.rntrc": (r"(?<![\d-])\d{10}(?![\d-])", True),
    "lt.asmens": (r"(?<![\d-])[1-6]\d{10}(?![\d-])", True),
    "ee.ik": (r"(?<![\d-])[1-6]\d{10}(?![\d-])", True),
    "lv.pvn": (r"(?<![\d-])[0-3]\d{5}-?\d{5}(?![\d-])", True),
    # Portugal's NIF of a person (nine digits starting 1, 2 or 3; a company's NIPC starts 5, 6 or 9)
    "pt.nif": (r"(?<![\d-])[1-3]\d{2}( ?)\d{3}\1\d{3}(?![\d-])", True),
    # Indonesia's NIK: sixteen digits (region, birth date with day + 40 for women, serial)
    "id.nik": (r"(?<![\d-])\d{16}(?![\d-])", True),
    # Egypt's national number: century digit, birth date, governorate, serial, a digit (fourteen)
    "eg.nid": (r"(?<![\d-])[23]\d{13}(?![\d-])", True),
    # Saudi Arabia's national ID (1…) and iqama (2…): ten digits, Luhn
    "sa.nid": (r"(?<![\d-])[12]\d{9}(?![\d-])", True),
    # Qatar's QID: eleven digits (century, birth year, country code, serial); Kuwait's civil ID: twelve
    # (century, birth date, serial, check digit)
    "qa.qid": (r"(?<![\d-])[23]\d{10}(?![\d-])", True),
    "kw.civil": (r"(?<![\d-])[1-3]\d{11}(?![\d-])", True),
    # Morocco's CIN: one or two letters and five or six digits; Bangladesh's NID: 10, 13 or 17 digits; the
    # Philippines' SSS number: 2-7-1 digits; Ghana's card: GHA, nine digits, a digit (evident)
    "ma.cin": (r"(?<![\w-])[A-Za-z]{1,2}\d{5,6}(?![\w-])", True),
    "bd.nid": (r"(?<![\d-])(?:\d{17}|\d{13}|\d{10})(?![\d-])", True),
    "ph.sss": (r"(?<![\d-])\d{2}(-?)\d{7}\1\d(?![\d-])", True),
    "gh.card": (r"(?<![\w-])GHA-?\d{9}-?\d(?![\w-])", True),
    # the review of the sixth held-out set: the US ITIN (9xx-xx-xxxx, stdnum.us.itin), Austria's social
    # insurance number (4 digits with a check digit, then the birth date: stdnum.at.vnr), Iceland's kennitala
    # of a person (birth date, two digits, a check digit and the century: stdnum.is_.kennitala, first digit
    # 0-3; a company's is 4-7), Russia's INN of a person (twelve digits, two check digits: stdnum.ru.inn; a
    # company's has ten), Slovenia's EMŠO (birth date, region, serial, mod-11 check: stdnum.si.emso) and the
    # Emirates ID (784, birth year, seven digits, a Luhn check digit; printed 3-4-7-1 with hyphens, evident)
    "us.itin": (r"(?<![\d-])9\d{2}([- ]?)\d{2}\1\d{4}(?![\d-])", True),
    "at.vnr": (r"(?<![\d-])\d{4} ?\d{6}(?![\d-])", True),
    "is_.kennitala": (r"(?<![\d-])[0-3]\d{5}-?\d{4}(?![\d-])", True),
    "ru.inn": (r"(?<![\d-])\d{12}(?![\d-])", True),
    "si.emso": (r"(?<![\d-])[0-3]\d{12}(?![\d-])", True),
    "ae.eid": (r"(?<![\d-])784(-?)\d{4}\1\d{7}\1\d(?![\d-])", True),
}

MORE_NATIONAL_IDS = tuple(MORE_ID_PATTERNS)

#: Every pattern above but those that open with letters starts a run of digits.
MORE_DIGIT_LED = frozenset(n for n in MORE_ID_PATTERNS if n not in ("tw.nid", "hk.hkid", "ma.cin", "gh.card"))

_DNI = (
    r"\b(?:dni|d\.\s?n\.\s?i\.?|documento\s+nacional\s+de\s+identidad|documento\s+de\s+identidad|cui)" + _TAIL
)

#: The label words of each identifier (the number stands after one in its sentence; those ending with
#: ``_TAIL`` must be right before it).
MORE_ID_CONTEXT: dict[str, re.Pattern[str]] = {
    "pk.cnic": _ci(r"\b(?:cnic|nicop|computeri[sz]ed\s+national\s+identity\s+card)\b|شناختی"),
    "ar.cuit": _ci(r"\b(?:cuil|cuit|c\.\s?u\.\s?i\.\s?[lt]\.?)"),
    "ar.dni": _ci(_DNI),
    "pe.cui": _ci(_DNI),
    "il.idnr": _ci(
        r"\b(?:teudat\s+zehut|israeli\s+id(?:entity)?(?:\s+card)?)"
        + _TAIL
        + r"|ת\.?\s?ז\.?"
        + _TAIL
        + r"|תעודת\s+זהות|מספר\s+זהות|"
        + _GENERIC_ID
    ),
    "nz.ird": _ci(r"\b(?:ird|inland\s+revenue)\b" + r"(?:\s+(?:number|no\.?|#))?"),
    "ie.pps": _ci(r"\b(?:ppsn?|personal\s+public\s+service)\b"),
    "cz.rc": _ci(r"\b(?:rodn[éeé]\s+[čc][íi]sl[oa]|r\.\s?[čc]\.|rč|birth\s+number)(?!\w)"),
    "sk.rc": _ci(r"\b(?:rodn[éeé]\s+[čc][íi]sl[oa]|r\.\s?[čc]\.|rč|birth\s+number)(?!\w)"),
    "th.pin": _ci(
        r"เลขประจำตัวประชาชน|บัตรประชาชน|เลขบัตร|\b(?:thai\s+(?:national\s+)?id|citizen\s+id)\b|" + _GENERIC_ID
    ),
    "tw.nid": _ci(r"身分證|身份證|統一證號|\b(?:taiwan(?:ese)?\s+id|national\s+id)\b|" + _GENERIC_ID),
    "hk.hkid": _ci(r"\bhkid\b|身份證|\bhong\s+kong\s+identity\s+card\b|" + _GENERIC_ID),
    "my.nric": _ci(r"\b(?:nric|mykad|kad\s+pengenalan|i/c|k/p)\b|\b(?:ic|kp)" + _TAIL),
    "ec.ci": _ci(r"\b(?:c[ée]dula(?:\s+de\s+(?:identidad|ciudadan[íi]a))?|c\.\s?i\.?|ci)" + _TAIL),
    "co.cc": _ci(r"\b(?:c[ée]dula(?:\s+de\s+ciudadan[íi]a)?|c\.\s?c\.?|cc)" + _TAIL),
    "hr.oib": _ci(r"\boib\b|osobni\s+identifikacijski\s+broj"),
    "bg.egn": _ci(r"егн|\begn\b|единен\s+граждански\s+номер"),
    "ua.rntrc": _ci(
        r"рнокпп|іпн|инн|ідентифікаційн\w*\s+(?:код|номер)|реєстраційн\w*\s+номер\s+облікової|"
        r"\b(?:rnokpp|ipn)\b"
    ),
    "lt.asmens": _ci(r"\basmens\s+kod\w*|\bpersonal\s+(?:identification\s+)?code\b"),
    "ee.ik": _ci(r"\bisikukood\w*|\bpersonal\s+(?:identification\s+)?code\b"),
    "lv.pvn": _ci(r"\bpersonas\s+kod\w*|\bpersonal\s+(?:identification\s+)?code\b"),
    "pt.nif": _ci(r"\b(?:nif|contribuinte|n\.\s?i\.\s?f\.?|n[úu]mero\s+de\s+identifica[çc][ãa]o\s+fiscal)\b"),
    "id.nik": _ci(r"\b(?:nik|e-?ktp|ktp|nomor\s+induk\s+kependudukan)\b"),
    "eg.nid": _ci(
        r"الرقم\s+القوم[يى]|رقم\s+قوم[يى]|بطاقة\s+الرقم|\bnational\s+(?:id|identity|number)\b|" + _GENERIC_ID
    ),
    "sa.nid": _ci(
        r"الإقامة|إقامة|اقامة|الهوية|هوية|\b(?:iqama|muqeem|saudi\s+id|national\s+id)\b|" + _GENERIC_ID
    ),
    "qa.qid": _ci(r"\bqid\b|\bqatar(?:i)?\s+id\b|البطاقة\s+الشخصية|الرقم\s+الشخصي"),
    "kw.civil": _ci(r"\bcivil\s+id\b|البطاقة\s+المدنية|الرقم\s+المدني"),
    "ma.cin": _ci(r"\b(?:cin|cnie)\b|carte\s+(?:d'identit[ée]|nationale)|البطاقة\s+الوطنية"),
    "bd.nid": _ci(r"\bnid\b|জাতীয়\s+পরিচয়|এনআইডি|\bnational\s+id\b"),
    "ph.sss": _ci(r"\bsss\b"),
    "gh.card": _ci(r"\bghana\s*card\b"),
    "us.itin": _ci(r"\bitin\b|individual\s+taxpayer\s+identification"),
    "at.vnr": _ci(
        r"sozialversicherungsnummer|versicherungsnummer|\bsv-?(?:nr|nummer)\b|\bsvnr\b|\bvsnr\b|\be-card\b"
    ),
    "is_.kennitala": _ci(r"\bkennitala\w*|\bkt\." + _TAIL),
    "ru.inn": _ci(r"\bинн\b|\binn\b|идентификационный\s+номер\s+налогоплательщика"),
    "si.emso": _ci(r"\bem[šs]o\b|enotna\s+mati[čc]na\s+[šs]tevilka"),
    "ae.eid": _ci(r"\bemirates\s+id\b|\beid\b|الهوية\s+الإماراتية|بطاقة\s+الهوية|" + _GENERIC_ID),
}


#: For each context above, a pattern that finds its words anywhere (without "right before the number"): a text
#: holding none of them is not searched for the identifiers that need one (a cheap test of the whole text
#: instead of a search back from every run of digits).
MORE_ID_PRESENCE: dict[str, re.Pattern[str]] = {
    name: _ci(rx.pattern.replace(_GENERIC_ID, r"\b(?:id|identity|identification)\b").replace(_TAIL, ""))
    for name, rx in MORE_ID_CONTEXT.items()
}

#: Shapes (digits '9', ASCII letters 'a', '-' '+' and space kept, anything else '.') of which one must occur in
#: the text before the identifiers that need no word in their printed form are looked for.
MORE_ID_SHAPES: dict[str, tuple[bytes, ...]] = {
    "pk.cnic": (b"99999-9999999-9", b"9999999999999"),
    "ar.cuit": (b"99-99999999-9", b"99999999999"),
    "th.pin": (b"9-9999-99999-99-9", b"9 9999 99999 99 9", b"9999999999999"),
    "my.nric": (b"999999-99-9999", b"999999999999"),
    "hk.hkid": (b"a999999.9.", b"a999999. 9 .", b"a9999999", b"a999999a"),
    "gh.card": (b"aaa-999999999-9", b"aaa9999999999", b"aaa-9999999999", b"aaa999999999-9"),
    "ae.eid": (b"999-9999-9999999-9", b"999999999999999"),
}

#: A number written this way (its usual printed form) needs no label word.
MORE_SELF_EVIDENT: dict[str, Callable[[str], bool]] = {
    "pk.cnic": lambda written: "-" in written,
    "ar.cuit": lambda written: "-" in written,
    "th.pin": lambda written: "-" in written,
    "my.nric": lambda written: "-" in written,
    "hk.hkid": lambda written: "(" in written,
    "gh.card": lambda written: True,
    "ae.eid": lambda written: "-" in written,
}


_TW_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))


def _tw_nid_is_valid(value: str) -> bool:
    """Taiwan's national ID (or resident certificate number): a letter for the place of issue, a digit for the
    sex (8 or 9 for residents), seven digits and a check digit (weighted sum mod 10)."""
    v = value.upper()
    if not re.fullmatch(r"[A-Z][1289]\d{8}", v):
        return False
    n = _TW_LETTERS[v[0]]
    total = n // 10 + (n % 10) * 9 + sum(int(c) * w for c, w in zip(v[1:9], range(8, 0, -1), strict=True))
    return (total + int(v[9])) % 10 == 0


def _hkid_is_valid(value: str) -> bool:
    """Hong Kong's HKID: one or two letters, six digits and a check digit or A (weighted sum mod 11)."""
    v = re.sub(r"[\s()]", "", value.upper())
    m = re.fullmatch(r"([A-Z]{1,2})(\d{6})([\dA])", v)
    if m is None:
        return False
    letters = m.group(1).rjust(2, " ")
    total = sum((36 if c == " " else ord(c) - 55) * w for c, w in zip(letters, (9, 8), strict=True))
    total += sum(int(c) * w for c, w in zip(m.group(2), range(7, 1, -1), strict=True))
    total += 10 if m.group(3) == "A" else int(m.group(3))
    return total % 11 == 0


def _past_day(year: int, month: int, day: int) -> bool:
    try:
        return date(year, month, day) <= date.today()
    except ValueError:
        return False


#: Egypt's governorate codes (01-35 as issued, 88 for those born abroad).
_EG_GOVERNORATES = frozenset(
    [
        "01",
        "02",
        "03",
        "04",
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "22",
        "23",
        "24",
        "25",
        "26",
        "27",
        "28",
        "29",
        "31",
        "32",
        "33",
        "34",
        "35",
        "88",
    ]
)


def _eg_nid_is_valid(value: str) -> bool:
    """Egypt's national number: century (2 for 1900s, 3 for 2000s), a real birth date, a governorate code, four
    serial digits and a digit; no public check digit."""
    if len(value) != 14 or not value.isdigit() or value[0] not in "23":
        return False
    year = (1900 if value[0] == "2" else 2000) + int(value[1:3])
    return _past_day(year, int(value[3:5]), int(value[5:7])) and value[7:9] in _EG_GOVERNORATES


def _sa_nid_is_valid(value: str) -> bool:
    """Saudi Arabia's national ID (starting 1) or iqama (starting 2): ten digits, Luhn."""
    from stdnum import luhn

    return len(value) == 10 and value.isdigit() and value[0] in "12" and luhn.is_valid(value)


def _qa_qid_is_valid(value: str) -> bool:
    """Qatar's QID: century (2 for 1900s, 3 for 2000s), two digits of the birth year, a three-digit ISO country
    code, five serial digits; no public check digit."""
    if len(value) != 11 or not value.isdigit() or value[0] not in "23":
        return False
    year = (1900 if value[0] == "2" else 2000) + int(value[1:3])
    return year <= date.today().year and 4 <= int(value[3:6]) <= 894


def _kw_civil_is_valid(value: str) -> bool:
    """Kuwait's civil ID: century (2 for 1900s, 3 for 2000s), a real birth date, four serial digits and a check
    digit (weights 2 1 6 3 7 9 10 5 8 4 2, 11 minus the sum mod 11)."""
    if len(value) != 12 or not value.isdigit() or value[0] not in "123":
        return False
    year = 1700 + 100 * int(value[0]) + int(value[1:3])  # 2: the 1900s, 3: the 2000s
    if not _past_day(year, int(value[3:5]), int(value[5:7])):
        return False
    total = sum(int(c) * w for c, w in zip(value[:11], (2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return 11 - total % 11 == int(value[11])


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _ar_cuit_person_is_valid(value: str) -> bool:
    """A person's CUIL / CUIT (prefix 20, 23, 24 or 27; companies' start 30, 33 or 34), stdnum check digit."""
    from stdnum.ar import cuit

    return _digits(value)[:2] in ("20", "23", "24", "27") and cuit.is_valid(value)


def _pt_nif_person_is_valid(value: str) -> bool:
    """A person's Portuguese NIF (first digit 1, 2 or 3), stdnum check digit."""
    from stdnum.pt import nif

    return _digits(value)[:1] in ("1", "2", "3") and nif.is_valid(value)


def _lv_person_is_valid(value: str) -> bool:
    """A Latvian personal code (first digit 0-3; a company's code starts 4 or 9), stdnum check."""
    from stdnum.lv import pvn

    return _digits(value)[:1] in ("0", "1", "2", "3") and pvn.is_valid(value)


def _is_person_kennitala(value: str) -> bool:
    """An Icelandic kennitala of a person (first digit 0-3, the birth day; a company's adds 40), stdnum check."""
    from stdnum.is_ import kennitala

    return _digits(value)[:1] in ("0", "1", "2", "3") and kennitala.is_valid(value)


def _is_person_inn(value: str) -> bool:
    """A Russian INN of a person (twelve digits; a company's has ten), stdnum check digits."""
    from stdnum.ru import inn

    return len(_digits(value)) == 12 and inn.is_valid(value)


def _is_emirates_id(value: str) -> bool:
    """An Emirates ID: 784, a birth year not in the future, seven digits and a Luhn check digit."""
    from stdnum import luhn

    digits = _digits(value)
    return (
        len(digits) == 15
        and digits.startswith("784")
        and 1900 <= int(digits[3:7]) <= date.today().year
        and luhn.is_valid(digits)
    )


#: Identifiers checked here: the module name → its check.
MORE_BUILTIN_IDS: dict[str, Callable[[str], bool]] = {
    "tw.nid": _tw_nid_is_valid,
    "hk.hkid": _hkid_is_valid,
    "eg.nid": _eg_nid_is_valid,
    "sa.nid": _sa_nid_is_valid,
    "qa.qid": _qa_qid_is_valid,
    "kw.civil": _kw_civil_is_valid,
    "ar.cuit": _ar_cuit_person_is_valid,
    "pt.nif": _pt_nif_person_is_valid,
    "lv.pvn": _lv_person_is_valid,
    "ma.cin": lambda v: re.fullmatch(r"[A-Za-z]{1,2}\d{5,6}", v) is not None,
    "bd.nid": lambda v: len(_digits(v)) in (10, 13, 17),
    "ph.sss": lambda v: len(_digits(v)) == 10,
    "gh.card": lambda v: len(_digits(v)) == 10 and v.upper().startswith("GHA"),
    "co.cc": lambda v: 6 <= len(_digits(v)) <= 10 and not _digits(v).startswith("0"),
    "is_.kennitala": _is_person_kennitala,
    "ru.inn": _is_person_inn,
    "ae.eid": _is_emirates_id,
}

MORE_BUILTIN_HOW: dict[str, str] = {
    "tw.nid": "Taiwan national ID check digit",
    "hk.hkid": "HKID check digit",
    "eg.nid": "Egyptian national number: birth date and governorate, after its word",
    "sa.nid": "Saudi national ID / iqama, Luhn",
    "qa.qid": "Qatari ID: birth year and country code, after its word",
    "kw.civil": "Kuwaiti civil ID: birth date and check digit",
    "ar.cuit": "stdnum.ar.cuit with its check digit, a person's number",
    "pt.nif": "stdnum.pt.nif with its check digit, a person's number",
    "lv.pvn": "stdnum.lv.pvn, a person's code",
    "ma.cin": "Moroccan CIN layout, after its word",
    "bd.nid": "Bangladeshi NID length, after its word",
    "ph.sss": "Philippine SSS layout, after its word",
    "gh.card": "Ghana Card PIN layout",
    "co.cc": "Colombian cédula, right after its word",
    "is_.kennitala": "stdnum.is_.kennitala, a person's number",
    "ru.inn": "stdnum.ru.inn, a person's twelve-digit number",
    "ae.eid": "Emirates ID: 784, birth year and Luhn check digit",
}
