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


#: Not right after a word saying the number is a business's ("Business TIN", "supplier's TIN").
_NOT_A_COMPANYS = "".join(
    rf"(?<!{word}\s)(?<!{word}'s\s)(?<!{word}’s\s)"
    for word in ("business", "company", "corporate", "employer", "supplier", "vendor", "seller", "merchant")
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
    # the review of the sixth held-out set's national identifiers, each right after (or in the sentence of) its
    # own word: Spain's social security number (province, serial, two mod-97 check digits; printed 2/8/2),
    # Poland's ID card (three letters, a check digit, five digits), Hungary's TAJ (nine digits, weighted check),
    # Greece's AFM of a person (stdnum.gr.vat; a company's starts 8, 9 or 09), Russia's SNILS (nine digits and
    # two check digits), Vietnam's CCCD (province, century and sex, birth year, six digits: no check), the
    # Philippines' TIN with its branch code (no public check), Australia's Medicare card (a weighted check digit
    # and the issue number), Ontario's health card (ten digits, Luhn, an optional two-letter version code), São
    # Paulo's RG (eight digits and a mod-11 check digit or X), the Dominican cédula (stdnum.do.cedula), Nigeria's
    # BVN (eleven digits: no check), Kenya's KRA PIN of a person (A, nine digits, a letter: stdnum.ke.pin) and
    # national ID (seven or eight digits: no check, and only in a text that names Kenya's KRA, M-Pesa or
    # shilling), Mauritius' NIC (a letter, the birth date, a serial and a check character: stdnum.mu.nid)
    "es.nss": (r"(?<![\d/-])\d{2}([/ -]?)\d{7,8}\1\d{2}(?![\d/-])", True),
    "pl.dowod": (r"(?<![\w-])[A-Za-z]{3} ?\d{6}(?![\w-])", True),
    "hu.taj": (r"(?<![\d-])\d{3}([ -]?)\d{3}\1\d{3}(?![\d-])", True),
    "gr.afm": (r"(?<![\d-])\d{9}(?![\d-])", True),
    "ru.snils": (r"(?<![\d-])\d{3}(-?)\d{3}\1\d{3}[- ]?\d{2}(?![\d-])", True),
    "vn.cccd": (r"(?<![\d-])0\d{11}(?![\d-])", True),
    "ph.tin": (r"(?<![\d-])\d{3}([- ])\d{3}\1\d{3}\1(?:\d{5}|\d{3})(?![\d-])", True),
    "au.medicare": (r"(?<![\d-])[2-6]\d{3}( ?)\d{5}\1\d(?:[ -/]?\d)?(?![\d-])", True),
    "ca.on_hc": (r"(?<![\d-])\d{4}([- ]?)\d{3}\1\d{3}(?:[- ]?[A-Za-z]{2})?(?![\w-])", True),
    "br.rg": (r"(?<![\d./-])\d{2}(\.?)\d{3}\1\d{3}-?[\dXx](?![\w/-]|\.\d)", True),
    "do.cedula": (r"(?<![\d-])\d{3}(-?)\d{7}\1\d(?![\d-])", True),
    "ng.bvn": (r"(?<![\d-])\d{11}(?![\d-])", True),
    "ke.pin": (r"(?<![\w-])[Aa]\d{9}[A-Za-z](?![\w-])", True),
    "ke.id": (r"(?<![\d.-])\d{7,8}(?![\d-]|\.\d)", True),
    "mu.nid": (r"(?<![\w-])[A-Za-z]\d{12}[\dA-Za-z](?![\w-])", True),
    # the review of the eighth held-out set: Luxembourg's matricule (birth date, a serial, a Luhn and a Verhoeff
    # check digit; printed 4-4-3-2 too), Sri Lanka's NIC (old: birth year, day of the year, serial and check
    # digit, then V or X; new: twelve digits with the full year), Malta's ID card (up to seven digits and a
    # letter: no check), each after its own word
    "lu.matricule": (r"(?<![\d-])(?:19|20)\d\d( ?)\d{4}\1\d{3}\1\d{2}(?![\d-])", True),
    "lk.nic": (r"(?<![\w-])(?:\d{9}[VvXx]|(?:19|20)\d{10})(?![\w-])", True),
    "mt.id": (r"(?<![\w-])\d{1,7}[MGAPLHBZ](?![\w-])", True),
}

MORE_NATIONAL_IDS = tuple(MORE_ID_PATTERNS)

#: Every pattern above but those that open with letters starts a run of digits.
MORE_DIGIT_LED = frozenset(
    n
    for n in MORE_ID_PATTERNS
    if n not in ("tw.nid", "hk.hkid", "ma.cin", "gh.card", "pl.dowod", "ke.pin", "mu.nid")
)

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
    "es.nss": _ci(
        r"\b(?:nu?ss|n\.\s?u?\.?\s?s\.\s?s\.?)\b|seguridad\s+social|afiliaci[óo]n|seguretat\s+social|"
        r"\bspanish\s+social\s+security\b"
    ),
    "pl.dowod": _ci(r"\bdow[óo]d\w*(?:\s+osobist\w*)?|\bpolish\s+id(?:\s+card)?\b"),
    "hu.taj": _ci(r"\btaj\b|társadalombiztosítási\s+azonosító"),
    "gr.afm": _ci(r"α\.?\s?φ\.?\s?μ\.?|\bafm\b|αριθμ[όο]ς\s+φορολογικ[ήη]ς\s+μητρ[ώω]ου"),
    "ru.snils": _ci(r"снилс|\bsnils\b|страхов\w+\s+номер\w*\s+индивидуальн"),
    "vn.cccd": _ci(r"\bcccd\b|c[ăa]n\s+c[ưu][ớo]c|đ[ịi]nh\s+danh|\bcitizen\s+identity\s+card\b"),
    # a company's TIN has the same layout: "Business TIN", "Company TIN" are not read
    "ph.tin": _ci(_NOT_A_COMPANYS + r"\b(?:tin|taxpayer\s+identification)\b"),
    "au.medicare": _ci(r"\bmedicare\b"),
    "ca.on_hc": _ci(r"\bohip\b|\bhealth\s+card\b|carte\s+santé|\bontario\s+health\b"),
    "br.rg": _ci(r"\brg\b|registro\s+geral|carteira\s+de\s+identidade|documento\s+de\s+identidade"),
    "do.cedula": _ci(r"c[ée]dula|\bdocumento\s+de\s+identidad\b"),
    "ng.bvn": _ci(r"\bbvn\b|bank\s+verification\s+number"),
    "ke.pin": _ci(r"\bkra\b|\bpin\b"),
    "ke.id": _ci(r"\bkitambulisho\b|\bkenyan\s+(?:national\s+)?id\b|" + _GENERIC_ID),
    "mu.nid": _ci(r"\bnic\b|national\s+identity\s+card|carte\s+d'identit[ée]|\bmauritian\s+id\b"),
    "lu.matricule": _ci(
        r"\bmatricule\b|identifiant\s+national|num[ée]ro\s+d'identification|\bcns\b|"
        r"sozialversicherungsnummer|identifikationsnummer"
    ),
    "lk.nic": _ci(r"\bnic\b|national\s+identity\s+card|\bid\s+card\b"),
    "mt.id": _ci(r"\bid\s+card\b|identity\s+card|karta\s+(?:tal-)?identit|\bmaltese\s+id\b"),
}


#: For each context above, a pattern that finds its words anywhere (without "right before the number"): a text
#: holding none of them is not searched for the identifiers that need one (a cheap test of the whole text
#: instead of a search back from every run of digits).
MORE_ID_PRESENCE: dict[str, re.Pattern[str]] = {
    name: _ci(rx.pattern.replace(_GENERIC_ID, r"\b(?:id|identity|identification)\b").replace(_TAIL, ""))
    for name, rx in MORE_ID_CONTEXT.items()
}
#: Kenya's national ID is seven or eight bare digits: read after "ID No." only in a text that names Kenya (its
#: KRA, M-Pesa, shilling or Huduma number), as a bare "ID" labels numbers of every country.
MORE_ID_PRESENCE["ke.id"] = _ci(
    r"\bkitambulisho\b|\bkenyan?\b|\bkra\b|\bm-?pesa\b|\bksh\b|\bkes\b|\bhuduma\b"
)

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


def _es_nss_is_valid(value: str) -> bool:
    """Spain's social security number: a province (01-53, 66), a serial of seven or eight digits and two check
    digits, the province and serial as one number mod 97 (a serial below ten million counts the province in
    millions of tens)."""
    digits = _digits(value)
    if len(digits) not in (11, 12):
        return False
    province, serial, check = int(digits[:2]), int(digits[2:-2]), int(digits[-2:])
    if not (1 <= province <= 53 or province == 66):
        return False
    number = serial + province * 10**7 if serial < 10**7 else int(digits[:-2])
    return number % 97 == check


def _letter_value(letter: str) -> int:
    return ord(letter) - 55  # A = 10 … Z = 35


def _pl_dowod_is_valid(value: str) -> bool:
    """Poland's ID card (dowód osobisty): three letters, a check digit, five digits; weights 7 3 1 on the letters
    (A = 10) and 7 3 1 7 3 on the five digits, the check digit their sum mod 10."""
    v = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{3}\d{6}", v):
        return False
    total = sum(_letter_value(c) * w for c, w in zip(v[:3], (7, 3, 1), strict=True))
    total += sum(int(c) * w for c, w in zip(v[4:], (7, 3, 1, 7, 3), strict=True))
    return total % 10 == int(v[3])


def _hu_taj_is_valid(value: str) -> bool:
    """Hungary's TAJ number: nine digits, the last the sum of the first eight weighted 3 and 7 in turn, mod 10."""
    digits = _digits(value)
    if len(digits) != 9 or len(set(digits)) == 1:
        return False
    total = sum(int(c) * (3 if i % 2 == 0 else 7) for i, c in enumerate(digits[:8]))
    return total % 10 == int(digits[8])


def _gr_afm_person_is_valid(value: str) -> bool:
    """A person's Greek AFM (stdnum.gr.vat check digit; a legal entity's starts 8, 9 or 09)."""
    from stdnum.gr import vat

    digits = _digits(value)
    return len(digits) == 9 and digits[0] not in "89" and not digits.startswith("09") and vat.is_valid(digits)


def _ru_snils_is_valid(value: str) -> bool:
    """Russia's SNILS: nine digits and two check digits, the digits weighted 9 … 1 and summed (below 100 the sum
    itself, 100 and 101 give 00, above it the sum mod 101, 100 again 00); numbers up to 001-001-998 are not
    checked and not issued to people."""
    digits = _digits(value)
    if len(digits) != 11 or int(digits[:9]) <= 1001998:
        return False
    total = sum(int(c) * w for c, w in zip(digits[:9], range(9, 0, -1), strict=True))
    check = total if total < 100 else total % 101
    return (0 if check == 100 else check) == int(digits[9:])


def _vn_cccd_is_valid(value: str) -> bool:
    """Vietnam's citizen identity card (CCCD) number: a province code (001-096), a century-and-sex digit (0-1:
    1900s, 2-3: 2000s, …), two digits of the birth year (not in the future) and six digits; no check digit."""
    digits = _digits(value)
    if len(digits) != 12 or not 1 <= int(digits[:3]) <= 96 or digits[3] not in "0123":
        return False
    return 1900 + 100 * (int(digits[3]) // 2) + int(digits[4:6]) <= date.today().year


def _au_medicare_is_valid(value: str) -> bool:
    """An Australian Medicare card number: first digit 2-6, eight digits weighted 1 3 7 9 1 3 7 9 with their sum
    mod 10 as the ninth, then the issue number (and an optional individual reference number)."""
    digits = _digits(value)
    if len(digits) not in (10, 11) or digits[0] not in "23456":
        return False
    total = sum(int(c) * w for c, w in zip(digits[:8], (1, 3, 7, 9, 1, 3, 7, 9), strict=True))
    return total % 10 == int(digits[8])


def _ca_on_hc_is_valid(value: str) -> bool:
    """An Ontario health card number: ten digits with a Luhn check digit (and an optional version code)."""
    from stdnum import luhn

    digits = _digits(value)
    return len(digits) == 10 and len(set(digits)) > 1 and luhn.is_valid(digits)


def _br_rg_sp_is_valid(value: str) -> bool:
    """São Paulo's RG: eight digits weighted 2 … 9 and a check digit (X for ten) weighted 100, the total a
    multiple of 11."""
    v = re.sub(r"[.\s-]", "", value.upper())
    if not re.fullmatch(r"\d{8}[\dX]", v) or len(set(v[:8])) == 1:
        return False
    total = sum(int(c) * w for c, w in zip(v[:8], range(2, 10), strict=True))
    return (total + 100 * (10 if v[8] == "X" else int(v[8]))) % 11 == 0


def _lu_matricule_is_valid(value: str) -> bool:
    """Luxembourg's national identification number: a birth date (day 00 or month 00 when unknown), a serial,
    a Luhn check digit and a Verhoeff check digit, both over the first eleven digits."""
    from stdnum import luhn, verhoeff

    d = _digits(value)
    month, day = int(d[4:6]), int(d[6:8])
    if len(d) != 13 or month > 12 or day > 31:
        return False
    return luhn.calc_check_digit(d[:11]) == d[11] and verhoeff.calc_check_digit(d[:11]) == d[12]


def _lk_nic_is_valid(value: str) -> bool:
    """A Sri Lankan NIC: its day of the year (plus 500 for a woman) between 1 and 366."""
    d = _digits(value)
    day = int(d[2:5]) if len(d) == 9 else int(d[4:7])
    return 1 <= day % 500 <= 366 and day < 867


def _ke_pin_person_is_valid(value: str) -> bool:
    """A person's Kenyan KRA PIN (A, nine digits, a letter; a company's starts with P): stdnum.ke.pin."""
    from stdnum.ke import pin

    return value[:1].upper() == "A" and pin.is_valid(value)


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
    "es.nss": _es_nss_is_valid,
    "pl.dowod": _pl_dowod_is_valid,
    "hu.taj": _hu_taj_is_valid,
    "gr.afm": _gr_afm_person_is_valid,
    "ru.snils": _ru_snils_is_valid,
    "vn.cccd": _vn_cccd_is_valid,
    "ph.tin": lambda v: len(_digits(v)) in (12, 14),
    "au.medicare": _au_medicare_is_valid,
    "ca.on_hc": _ca_on_hc_is_valid,
    "br.rg": _br_rg_sp_is_valid,
    "ng.bvn": lambda v: len(_digits(v)) == 11 and len(set(_digits(v))) > 1,
    "ke.pin": _ke_pin_person_is_valid,
    "ke.id": lambda v: 7 <= len(_digits(v)) <= 8 and not _digits(v).startswith("0"),
    "lu.matricule": _lu_matricule_is_valid,
    "lk.nic": _lk_nic_is_valid,
    "mt.id": lambda v: len(set(_digits(v))) > 1,
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
    "es.nss": "Spanish social security number: province and mod-97 check digits, after its word",
    "pl.dowod": "Polish ID card check digit, after its word",
    "hu.taj": "Hungarian TAJ check digit, after its word",
    "gr.afm": "stdnum.gr.vat, a person's AFM, after its word",
    "ru.snils": "Russian SNILS check digits, after its word",
    "vn.cccd": "Vietnamese CCCD: province and birth year, after its word",
    "ph.tin": "Philippine TIN with its branch code, after its word",
    "au.medicare": "Australian Medicare check digit, after its word",
    "ca.on_hc": "Ontario health card, Luhn, after its word",
    "br.rg": "São Paulo RG check digit, after its word",
    "ng.bvn": "Nigerian BVN layout, after its word",
    "ke.pin": "stdnum.ke.pin, a person's KRA PIN, after its word",
    "ke.id": "Kenyan national ID layout, after its word in a Kenyan text",
    "lu.matricule": "Luxembourg matricule: birth date, Luhn and Verhoeff check digits, after its word",
    "lk.nic": "Sri Lankan NIC: day of the year, after its word",
    "mt.id": "Maltese ID card layout, after its word",
}
