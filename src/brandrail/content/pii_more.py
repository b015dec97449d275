"""More personal-data recognisers (PV107-PV113): passports, driving licences, bank accounts, crypto wallets,
MAC addresses, (opt-in) person names and dates of birth.

Each is a candidate pattern plus a validation step, as in :mod:`brandrail.content.pii`:

* passport numbers — 6-9 letters/digits with at least 5 digits, only after a context word ("passport",
  "passport no.") in the same sentence; there is no public checksum outside the MRZ;
* driving licences — the UK DVLA layout (16 characters whose date of birth part must be a real month and
  day) anywhere; other shapes (a letter and 6-12 digits, or 7-12 digits) only after a context word
  ("driving licence", "driver's license", "DL#");
* bank accounts — a UK sort code with its 8-digit account number; a US ABA routing number whose check digit
  is valid (``stdnum.us.rtn``) after the word "routing"; 8-17 digits after "account number", "acct" or "a/c";
* crypto wallets — Bitcoin addresses whose Base58Check or Bech32 checksum is valid (``stdnum.bitcoin``) or,
  for taproot (``bc1p…``) addresses, the Bech32m checksum of BIP-350 (:func:`bech32m_valid`), and
  Ethereum addresses (``0x`` + 40 hex digits) whose EIP-55 mixed-case checksum is valid (an all-lower or
  all-upper address carries no checksum and is accepted on its shape);
* MAC addresses — six hex pairs with one consistent separator (``:`` or ``-``) or three dotted groups of
  four, not all zeros nor all ``ff``;
* dates of birth — a date with a year (12/03/1985, 1985-03-12, 12 March 1985, March 12, 1985) that is a
  real day, no later than today, after a context word ("DOB", "date of birth", "born on") in the same
  sentence ("birthday", "bday", "geboren am", "geboortedatum", "né le", "nacido el" too): a date alone is
  no personal data;
* person names (``person_name``, opt-in: add it to ``privacy.detect``) — a first name from a packaged list of
  common given names, capitalised, followed by a capitalised surname, or after a title ("Mr", "Ms", "Dr") or a
  greeting with a surname. A first name alone ("Hi Sam,") is not flagged.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from brandrail.text.scan import finditer_at, finditer_from, grouped_by_first

__all__ = [
    "bech32m_valid",
    "eip55_valid",
    "find_bank_accounts",
    "find_crypto_wallets",
    "find_dates_of_birth",
    "find_driving_licences",
    "find_mac_addresses",
    "find_passports",
    "find_person_names",
    "first_names",
    "keccak256",
    "may_hold_name",
]

_Found = Iterator[tuple[int, int, str]]

# a sentence break, except after the abbreviations of "number" ("Passport no. 123…")
_SENTENCE = re.compile(r"(?<![Nn]o)(?<![Nn]r)(?<!Num)[.!?]\s|\n")


def _sentence_before(text: str, start: int, reach: int = 120) -> str:
    """The text of the sentence before ``start`` (at most ``reach`` characters back)."""
    a = max(0, start - reach)
    window = text[a:start]
    last = None
    for m in _SENTENCE.finditer(window):
        last = m
    return window[last.end() :] if last else window


# ASCII letters 'a', digits '9', '-' kept (sort codes "20-00-00"), anything else ' '
_ID_SHAPE = bytes(
    ord("9") if 48 <= i <= 57 else ord("a") if chr(i).isascii() and chr(i).isalpha() else i if i == 45 else 32
    for i in range(256)
)


def _shape(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").translate(_ID_SHAPE)


def _maybe_bitcoin(text: str) -> bool:
    """A cheap test: "bc1" (Bech32) or a "1"/"3" that starts a run of 26 letters and digits (Base58)."""
    if "bc1" in text or "BC1" in text:
        return True
    for lead in "13":
        i = text.find(lead)
        while i != -1:
            if (i == 0 or not text[i - 1].isalnum()) and text[i : i + 26].isalnum() and len(text) >= i + 26:
                return True
            i = text.find(lead, i + 1)
    return False


# -- passports -------------------------------------------------------------------------------------------

_PASSPORT_CONTEXT = re.compile(
    r"\b(?:pass\s?port(?:s)?\b(?:\s*(?:no\.?|number|num|#|id))?|(?:reise)?pass(?:nummer|nr\.?)|reisepass\w*|"
    r"passeport|pasaporte|paspoort\w*|passaporto|passaporte|paszport\w*|passnummer)|パスポート|旅券",
    re.IGNORECASE,
)
_PASSPORT = re.compile(r"(?<![\w-])[A-Z0-9]{6,9}(?![\w-])")
#: A German passport's number: nine characters of its issuing alphabet (no vowels, no B, D, Q, S), the first a
#: letter of its issuing range, at least two digits ("C4J7RZ2LF"); read, as every passport number, only after a
#: passport word.
_GERMAN_PASSPORT = re.compile(r"[CFGHJK](?=(?:\D*\d){2})[CFGHJKLMNPRTVWXYZ0-9]{8}")
#: Where a match of _PASSPORT can start (its first character class first, for the engine to skip to).
_PASSPORT_START = re.compile(r"[A-Z0-9](?<![\w-][A-Z0-9])[A-Z0-9]{5}")


def find_passports(text: str) -> _Found:
    lower = text.lower()
    if not (
        "pass" in lower
        or "pasa" in lower
        or "pasz" in lower
        or "paspo" in lower
        or "パスポート" in text
        or "旅券" in text
    ) or not _PASSPORT_CONTEXT.search(text):
        return
    for m in finditer_from(_PASSPORT, text, _PASSPORT_START):
        value = m.group()
        if sum(c.isdigit() for c in value) < 5 and not _GERMAN_PASSPORT.fullmatch(value):
            continue
        before = _sentence_before(text, m.start(), 60)
        if _PASSPORT_CONTEXT.search(before):
            yield m.start(), m.end(), "passport number after a context word"


# -- dates of birth --------------------------------------------------------------------------------------

#: Labels of a date of birth in more languages (Czech, Slovak, Croatian, Slovene, Romanian, Hungarian, Turkish,
#: Greek, Bulgarian, Russian, Ukrainian, Estonian, Latvian, Lithuanian, Finnish, Danish and Norwegian,
#: Indonesian and Malay, Tagalog, Vietnamese, Spanish abbreviations, Arabic, Hebrew, Bengali, Hindi, Thai,
#: Chinese, Korean).
_DOB_MORE_LABELS = (
    r"datum\s+narozen[íi]|d[áa]tum\s+narodenia|datum\s+ro[đd]enja|datum\s+rojstva|data\s+na[șşs]terii|"
    r"sz[üu]let[ée]si\s+(?:id[őo]|d[áa]tum(?:a)?|nap)|do[ğg]um\s+tarihi|ημερομηνία\s+γέννησης|ημ\.?\s*γέννησης|"
    r"дата\s+(?:на\s+)?ра[жз]дане|дата\s+рождения|дата\s+народження|s[üu]nniaeg|s[üu]nnikuup[äa]ev|"
    r"dzim[šs]anas\s+datums|gimimo\s+data|syntym[äa]aika|f[øo]dselsdato|tanggal\s+lahir|tgl\.?\s*lahir|"
    r"tarikh\s+lahir|petsa\s+ng\s+kapanganakan|ng[àa]y\s+sinh|fecha\s+de\s+nac\.?|f\.\s?(?:de\s+)?nac\.?|"
    # Portuguese and Italian abbreviations; the keys of a record (JSON, CSV, a form): "birth_date",
    # "fecha_nacimiento", "data_nascita", "date_of_birth", "dob" is above
    r"data\s+de\s+nasc\.?|dt\.?\s*nasc\.?|data\s+di\s+nasc\.?|"
    r"birth_date|date_of_birth|birthdate|fecha_(?:de_)?nacimiento|fec_nac|data_(?:di_|de_)?nascita|"
    r"data_(?:de_)?nascimento|geburts_?datum|date_(?:de_)?naissance|geboorte_?datum|data_urodzenia|"
    r"تاريخ\s+الميلاد|تاريخ\s+الولادة|תאריך\s+לידה|জন্ম\s*তারিখ|जन्म\s*तिथि|जन्म\s+की\s+तारीख|"
    r"วันเดือนปีเกิด|วันเกิด|出生日期|出生年月日|생년월일"
)
_DOB_WORDS = (
    r"d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|b-?day|birth\s*day|"
    r"geburtsdatum|geboren(?:\s+(?:am|op))?|geboortedatum|fecha\s+de\s+nacimiento|nacid[oa]\s+el|"
    r"date\s+de\s+naissance|n[ée]e?\s+le|data\s+di\s+nascita|nat[oa]\s+il|"
    # Portuguese, Polish, Swedish
    r"data\s+de\s+nascimento|nascid[oa]\s+em|data\s+urodzenia|urodzon[ya]|f[öo]delsedatum|f[öo]dd|"
    # more languages: the labels of _DOB_MORE_LABELS, and "born" / "birthday" words of people and things
    rf"{_DOB_MORE_LABELS}|"
    r"narozen[aáý]?|narodil[a]?\s+se|narodená|narodený|nar\.|rođen[a]?|rojen[a]?|n[ăa]scut[ăa]?|"
    r"sz[üu]letett|sz[üu]l\.|doğdu|γεννήθηκε|роден[а]?|родился|родилась|народився|народилася|народжен[аи]й?|"
    r"s[üu]ndinud|dzimis|dzimusi|gimęs|gimusi|syntynyt|f[øo]dt|lahir|ipinanganak|kaarawan|sinh\s+ng[àa]y|"
    r"nasceu\s+(?:em|a)|nascid[oa]\s+a|ur\.|נולד[הת]?|مواليد|ولد(?:ت)?\s+في|生日|생일|출생|"
    # German "geb." (born, also "gebunden", a hardcover) and Turkish "doğum günü" (birthday): the date must
    # follow them directly (:data:`_DIRECT_DATE`)
    r"geb\.|do[ğg]um\s+g[üu]n[üu]\w{0,3}|"
    # "birthday" in Dutch, German, French, Spanish, Italian, Portuguese, Nordic, Finnish and Polish: as
    # "birthday", only with the date right after it
    r"verjaardag|geburtstag|anniversaire|cumplea[ñn]os|compleanno|anivers[áa]rio|f[öo]delsedag|f[øo]dselsdag|"
    r"syntym[äa]p[äa]iv[äa]|urodziny"
)
# then Japanese, which puts no word boundary before a word
_DOB_CONTEXT = re.compile(rf"\b(?:{_DOB_WORDS})|生年月日|誕生日", re.IGNORECASE)
# the same words over lower-cased text, without the leading \b and as one flat alternation whose every
# branch opens with a letter: the engine then skips in C to the letters that can start one (a \b or a group
# around the branches keeps it trying the pattern at every character); the word start is checked by hand
# (its branches grouped by first letter: each position tries one branch per letter, not each of ~130)
_DOB_CONTEXT_LOW = re.compile(grouped_by_first(rf"{_DOB_WORDS}|生年月日|誕生日"))
# the context words that label a date as a date of birth (the others — "born", "birthday" — may be a thing's)
_DOB_LABEL = re.compile(
    r"d\.?o\.?b\b\.?|date\s+of\s+birth|birth\s*date|geburtsdatum|geboortedatum|fecha\s+de\s+nacimiento|"
    r"date\s+de\s+naissance|data\s+di\s+nascita|data\s+de\s+nascimento|data\s+urodzenia|f[öo]delsedatum|"
    rf"生年月日|{_DOB_MORE_LABELS}",
    re.IGNORECASE,
)
# "birthday" is also a sale, a treat, a reward: its date must follow it directly ("birthday: …", "my
# birthday is …", "bday on …")
_BIRTHDAY = re.compile(
    r"b-?day|birth\s*day|geb\.|do[ğg]um\s+g[üu]n[üu]\w{0,3}|verjaardag|geburtstag|anniversaire|cumplea[ñn]os|"
    r"compleanno|anivers[áa]rio|f[öo]delsedag|f[øo]dselsdag|syntym[äa]p[äa]iv[äa]|urodziny",
    re.IGNORECASE,
)
_BIRTHDAY_GAP = re.compile(
    r"(?:\s|[:=,-]|\bis\b|\bwas\b|\bon\b|\bthe\b|\bam\b|\bop\b|\bist\b|\best\b|\ble\b|\bes\b|\bel\b|\b[èé]\b|"
    r"\bil\b|\bär\b|\ber\b|\bto\b)*",
    re.IGNORECASE,
)
# what a marketing text says was "born" that is no person: its date of founding is no personal data
_BORN_THING = re.compile(
    r"\b(?:we|our|shop|store|company|brand|business|firm|idea|product|range|collection|label|blog|site|"
    r"app|club|bakery|caf[eé]|restaurant|studio|team|project|campaign|festival|tradition|recipe|band)\b",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Month names of the languages whose "born" words are read (French, Spanish, Italian, German and Austrian,
#: Dutch, Portuguese, Polish in the genitive, Swedish) that the English prefixes do not cover.
_LOCAL_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "janvier enero gennaio januar jänner jaenner januari janeiro stycznia",
            "février fevrier febrero febbraio februar feber februari fevereiro lutego",
            "mars marzo märz maerz maart março marco marca",
            "avril abril aprile april kwietnia",
            "mai mayo maggio mei maio maja maj",
            "juin junio giugno juni junho czerwca",
            "juillet julio luglio juli julho lipca",
            "août aout agosto augustus augusti sierpnia",
            "septembre septiembre setiembre settembre setembro września wrzesnia",
            "octobre octubre ottobre oktober outubro października pazdziernika",
            "novembre noviembre listopada",
            "décembre decembre diciembre dicembre dezember dezembro grudnia",
        ),
        start=1,
    )
    for name in names.split()
} | {
    name: number
    for number, names in enumerate(
        (
            # Czech, Slovak, Hungarian, Romanian, Turkish, Finnish, Lithuanian, Latvian, Estonian, Tagalog,
            # Indonesian and Malay, Croatian, Polish (nominative), Greek, Russian, Ukrainian, Bulgarian; nominative
            # and the genitive a date uses
            "leden ledna január januára január ianuarie ocak tammikuuta tammikuu sausio sausis janvāris janvārī "
            "jaanuar siječanj siječnja styczeń ιανουαρίου ιανουάριος января январь січня січень януари",
            "únor února február februára február februarie şubat şubat subat helmikuuta helmikuu vasario "
            "vasaris februāris februārī veebruar pebrero peb februari veljača veljače luty φεβρουαρίου "
            "φεβρουάριος февраля февраль лютого лютий февруари",
            "březen března marec marca március martie mart maaliskuuta maaliskuu kovo kovas marts märts marso "
            "maret mac ožujak ožujka marzec μαρτίου μάρτιος марта март березня березень",
            "duben dubna apríl apríla április aprilie nisan huhtikuuta huhtikuu balandžio balandis aprīlis "
            "aprīlī aprill abril travanj travnja kwiecień απριλίου απρίλιος апреля апрель квітня квітень април",
            "květen května máj mája május mayıs mayis toukokuuta toukokuu gegužės gegužė maijs maijā mayo "
            "svibanj svibnja μαΐου μάιος μαΐος мая май травня травень",
            "červen června jún júna június iunie haziran kesäkuuta kesäkuu birželio birželis jūnijs jūnijā "
            "juuni hunyo lipanj lipnja czerwiec ιουνίου ιούνιος июня июнь червня червень юни",
            "červenec července júl júla július iulie temmuz heinäkuuta heinäkuu liepos liepa jūlijs jūlijā "
            "juuli hulyo julai srpanj srpnja lipiec ιουλίου ιούλιος июля июль липня липень юли",
            "srpen srpna augusztus ağustos agustos elokuuta elokuu rugpjūčio rugpjūtis augusts augustā "
            "agustus ogos kolovoz kolovoza sierpień αυγούστου αύγουστος августа август серпня серпень",
            "září szeptember septembrie eylül eylul syyskuuta syyskuu rugsėjo rugsėjis septembris septembrī "
            "setyembre septembra rujan rujna wrzesień σεπτεμβρίου σεπτέμβριος сентября сентябрь вересня "
            "вересень септември",
            "říjen října október októbra octombrie ekim lokakuuta lokakuu spalio spalis oktobris oktobrī "
            "oktoober oktubre październik οκτωβρίου οκτώβριος октября октябрь жовтня жовтень октомври",
            "listopad listopadu novembra noiembrie kasım kasim marraskuuta marraskuu lapkričio lapkritis "
            "novembris novembrī nobyembre studeni studenoga studenog νοεμβρίου νοέμβριος ноября ноябрь "
            "листопада листопад ноември",
            "prosinec prosince decembra decembrie aralık aralik joulukuuta joulukuu gruodžio gruodis decembris "
            "decembrī detsember disyembre disember desember prosinac prosinca grudzień δεκεμβρίου δεκέμβριος "
            "декабря декабрь грудня грудень декември",
        ),
        start=1,
    )
    for name in names.split()
}
#: Abbreviated month names of Spanish, Portuguese, Italian, French, German and Dutch that the English prefixes
#: do not cover ("ago", "dez", "févr", "mrt"), as dates write them ("23-ago-1976", "05.Dez.1981").
_MONTH_ABBREVIATIONS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "ene gen janv",
            "fev fév févr febr",
            "mrt mär märz",
            "abr avr",
            "mai mag mei",
            "giu juin",
            "lug juil",
            "ago aoû",
            "set sett",
            "out ott okt",
            "noi",
            "dic dez déc",
        ),
        start=1,
    )
    for name in names.split()
}
#: A month's name: any word of letters, looked up by :func:`_month_number` (one character class instead of a
#: hundred alternatives tried at every position).
_MONTH = r"[^\W\d_]{3,12}\.?"


def _month_number(word: str) -> int | None:
    """The month a name stands for: a name of :data:`_LOCAL_MONTHS`, or an English name or abbreviation
    ("Mar", "March", "Sept")."""
    name = word.rstrip(".").lower()
    if name in _LOCAL_MONTHS:
        return _LOCAL_MONTHS[name]
    if name in _MONTH_ABBREVIATIONS:
        return _MONTH_ABBREVIATIONS[name]
    if name[:3] in _MONTHS and name.isascii() and name.isalpha():
        full = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"][_MONTHS.index(name[:3])]  # fmt: skip
        if full.startswith(name) or name == "sept":
            return _MONTHS.index(name[:3]) + 1
    return None


#: Before and after a date: no letter, digit or date separator of the same token — a CJK character may touch
#: it ("生年月日は1985年4月17日です": Japanese puts no space between words).
_NOT_DATE_BEFORE = r"(?<![0-9A-Za-zÀ-ÖØ-öø-ÿ_/.-])"
_NOT_DATE_AFTER = r"(?![0-9A-Za-zÀ-ÖØ-öø-ÿ_/])"
#: Months in Roman numerals ("30-VIII-1985", "12.IV.1990"), as Central and Eastern Europe and Spain write them.
_ROMAN_MONTHS = {
    r: i
    for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], start=1)
}
_DOB = re.compile(
    rf"{_NOT_DATE_BEFORE}(?:"
    # "12/05/1990", "12.5.1990" and, with a space after each dot, "12. 5. 1988" (Czech, Slovak, Croatian)
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?: (?=\d))?(?P<b>\d{1,2})(?P=sep)(?: (?=\d))?(?P<y1>\d{4}|\d{2})"
    # year first: "1990-02-28", "1990.02.14" (Korea, Hungary, China), "1990/02/14" (Japan), "1990. 02. 14."
    r"|(?P<y2>\d{4})(?P<sep2>[-./])(?: (?=\d))?(?P<m2>\d{1,2})(?P=sep2)(?: (?=\d))?(?P<d2>\d{1,2})(?:\.(?!\d))?"
    # Hungarian: "1984. március 6."
    rf"|(?P<y6>\d{{4}})\.?\s+(?P<mon6>{_MONTH})\s+(?P<d6>\d{{1,2}})\.?"
    # a Roman-numeral month: "30-VIII-1985", "12.IV.1990", "5 XI 1979"
    r"|(?P<d7>\d{1,2})(?P<sep7>[-./ ])(?P<r7>[IVXivx]{1,4})(?P=sep7)(?P<y7>\d{4})"
    # a month's name or abbreviation between hyphens, dots or slashes: "23-ago-1976", "05/Dez/1981"
    r"|(?P<d8>\d{1,2})(?P<sep8>[-./])(?P<mon8>[^\W\d_]{3,9})\.?(?P=sep8)(?P<y8>\d{4})"
    # "12 March 1985", "12. März 1985", "1er décembre 1990", "14 de marzo de 1990"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th|er|\.|º|°)?\s+(?:of\s+|de\s+)?(?P<mon3>{_MONTH}),?\s+(?:de\s+)?"
    r"(?P<y3>\d{4})"
    rf"|(?P<mon4>{_MONTH})\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})"
    r"|(?P<y5>\d{4})\s?[年년]\s?(?P<m5>\d{1,2})\s?[月월]\s?(?P<d5>\d{1,2})\s?[日일]"  # 1985年4月17日, 1985년 4월 17일
    rf"){_NOT_DATE_AFTER}",
    re.IGNORECASE,
)


#: A sentence end as :data:`_SENTENCE`, except the dot after a day's number ("geboren am 12. März 1979") or a
#: year's (Hungarian "1984. március 6.").
_DOB_SENTENCE = re.compile(
    r"(?<![Nn]o)(?<![Nn]r)(?<!Num)(?<!\b\d)(?<!\b\d\d)(?<!\b\d{4})"
    # nor the dot of an abbreviated month ("Feb. 29, 1992", "Sept. 9")
    r"(?<!\b(?i:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec))(?<!\b(?i:sept))[.!?]\s|\n"
)


def _names_a_month(m: re.Match[str]) -> bool:
    """Whether a date written with a word names a month in it ("12 March 1985"; "12 apples 2020" does not)."""
    word = m.group("mon3") or m.group("mon4") or m.group("mon6") or m.group("mon8")
    if m.group("r7") and m.group("r7").upper() not in _ROMAN_MONTHS:
        return False
    return word is None or _month_number(word) is not None


def _real_date(day: int, month: int, year: int, today: date) -> bool:
    try:
        return date(year, month, day) <= today and year >= today.year - 130
    except ValueError:
        return False


def _is_birth_date(m: re.Match[str], today: date) -> bool:
    """Whether the matched date is a real day, not in the future (two-digit years read as the past)."""
    if m.group("a"):
        y = int(m.group("y1"))
        if len(m.group("y1")) == 2:
            y += 1900 if 2000 + y > today.year else 2000
        a, b = int(m.group("a")), int(m.group("b"))
        return _real_date(a, b, y, today) or _real_date(b, a, y, today)  # day/month or month/day
    if m.group("y2"):
        return _real_date(int(m.group("d2")), int(m.group("m2")), int(m.group("y2")), today)
    if m.group("y5"):
        return _real_date(int(m.group("d5")), int(m.group("m5")), int(m.group("y5")), today)
    if m.group("r7"):
        month_number = _ROMAN_MONTHS.get(m.group("r7").upper())
        return month_number is not None and _real_date(
            int(m.group("d7")), month_number, int(m.group("y7")), today
        )
    mon = m.group("mon3") or m.group("mon4") or m.group("mon6") or m.group("mon8")
    day = m.group("d3") or m.group("d4") or m.group("d6") or m.group("d8")
    year = m.group("y3") or m.group("y4") or m.group("y6") or m.group("y8")
    month = _month_number(mon)
    return month is not None and _real_date(int(day), month, int(year), today)


def own_names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for the brand's own names (its name, products, trademarks) as whole words, any case: what
    such a name says "was born" is no person (:func:`find_dates_of_birth`). ``None`` when there is none."""
    words = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


#: Scripts written without spaces between words (Thai, CJK, Hangul): a label there needs no word boundary.
_SPACELESS = re.compile(r"[\u0e00-\u0e7f\u2e80-\u9fff\uac00-\ud7af]")


def find_dates_of_birth(text: str, own_names: re.Pattern[str] | None = None) -> _Found:
    """Dates of birth: a real past date with a year within 40 characters after a context word, in its
    sentence. "born" after a word for a business ("our shop was born on …") or one of the brand's
    ``own_names`` (:func:`own_names_pattern`) dates a founding, not a person."""
    low = text.lower()
    contexts: Iterator[re.Match[str]]
    if len(low) == len(text):  # the same offsets (a few letters lower-case to two characters)
        contexts = (
            m
            for m in _DOB_CONTEXT_LOW.finditer(low)
            if m.start() == 0 or not low[m.start() - 1].isalnum() or _SPACELESS.match(m.group())
        )
    else:
        contexts = _DOB_CONTEXT.finditer(text)
    today = date.today()
    for ctx in contexts:
        if not _DOB_LABEL.fullmatch(ctx.group()):  # "born", "birthday", "geboren": of a person or a thing
            before = _sentence_before(text, ctx.start(), 40)
            if _BORN_THING.search(before) or (own_names is not None and own_names.search(before)):
                continue  # "born on" of a shop or a brand ("our shop was born on 3 May 2010"), not of a person
        window_end = min(len(text), ctx.end() + 40)
        stop = _DOB_SENTENCE.search(text, ctx.end(), window_end)  # "12.03.1985", "12. März" hold none
        end = stop.start() if stop is not None else window_end
        m = next((d for d in _DOB.finditer(text, ctx.end(), end) if _names_a_month(d)), None)
        if (
            m is not None
            and _BIRTHDAY.fullmatch(ctx.group())
            and not _BIRTHDAY_GAP.fullmatch(text, ctx.end(), m.start())
        ):
            continue  # "Birthday sale on 12 March 2025": a birthday's date follows the word ("my bday is …")
        if m is not None and _is_birth_date(m, today):
            yield m.start(), m.end(), "date of birth after a context word"


# -- driving licences ------------------------------------------------------------------------------------

_DVLA = re.compile(r"(?<![\w-])[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}(?:\s?\d{2})?(?![\w-])")
_LICENCE_CONTEXT = re.compile(
    r"\b(?:driv(?:ing|er'?s|er’s|ers)\s+licen[cs]e|driver\s+licen[cs]e|licen[cs]e\s+(?:no\.?|number|#)|dl\s?#|dl\s+(?:no\.?|number))",
    re.IGNORECASE,
)
_LICENCE_OTHER = re.compile(r"(?<![\w-])(?:[A-Z]\d{6,12}|\d{7,12}|[A-Z]{2}\d{6,10})(?![\w-])")
#: A licence number in hyphen-joined groups: a letter or two and digits, eight to fourteen digits in all
#: ("N03-12-345678"); only after a licence word, like the others.
_LICENCE_GROUPED = re.compile(r"(?<![\w-])[A-Z]{1,2}\d{1,3}(?:-\d{2,8}){2,3}(?![\w-])")
#: Where a match of _LICENCE_OTHER can start: a letter or digit after no word character, then six digits
#: after at most one more letter or digit.
_LICENCE_START = re.compile(r"[A-Z\d](?<![\w-][A-Z\d])[A-Z\d]?\d{6}")


def _dvla_valid(value: str) -> bool:
    """The DVLA number's date-of-birth part: decade digit, month (+5 for women) and day must be real."""
    digits = value[5:11]
    month = int(digits[1:3])
    day = int(digits[3:5])
    if month > 50:
        month -= 50
    return 1 <= month <= 12 and 1 <= day <= 31


def find_driving_licences(text: str, shape: bytes | None = None) -> _Found:
    """``shape``: ``text`` with ASCII letters as ``a``, digits as ``9`` and ``-`` kept (computed when not
    given)."""
    if shape is None:
        shape = _shape(text)
    if b"a999999" in shape:
        for m in _DVLA.finditer(text):
            if _dvla_valid(m.group()):
                yield m.start(), m.end(), "UK DVLA licence layout with a valid date of birth"
    lower = text.lower()
    if not ("licen" in lower or "dl" in lower) or not _LICENCE_CONTEXT.search(text):
        return
    for m in finditer_from(_LICENCE_OTHER, text, _LICENCE_START):
        if _LICENCE_CONTEXT.search(_sentence_before(text, m.start(), 60)):
            yield m.start(), m.end(), "licence number after a context word"
    if "-" in text:  # grouped with hyphens ("N03-12-345678", the Philippines' LTO layout)
        for m in _LICENCE_GROUPED.finditer(text):
            if _LICENCE_CONTEXT.search(_sentence_before(text, m.start(), 60)):
                yield m.start(), m.end(), "licence number after a context word"


# -- bank accounts ---------------------------------------------------------------------------------------

_SORT_CODE_ACCOUNT = re.compile(
    r"(?<![\d-])\d{2}-\d{2}-\d{2}(?:\s*[,/]?\s*(?:(?:account|acct|a/c)\.?\s*(?:no\.?|number|#)?\s*:?\s*)?)(\d{8})(?!\d)",
    re.IGNORECASE,
)
_ROUTING = re.compile(r"(?<!\d)\d{9}(?!\d)")
_ROUTING_CONTEXT = re.compile(r"\b(?:routing|aba|rtn)\b", re.IGNORECASE)
#: Where a match of _ROUTING_CONTEXT can start (more is allowed: "aouting").
_ROUTING_START = re.compile(r"[ar](?:outing|ba|tn)", re.IGNORECASE)
_ACCOUNT = re.compile(r"(?<![\d-])\d(?:[ -]?\d){7,16}(?![\d-])")
_ACCOUNT_CONTEXT = re.compile(
    r"\b(?:(?:bank\s+)?account\s*(?:no\.?|number|num|#)|acct\.?\s*(?:no\.?|number|#)?|a/c\s*(?:no\.?|number)?|"
    r"account\s*:|bank\s+account)",
    re.IGNORECASE,
)


#: A word for a bank account (or a branch) right before a number, in the languages of the countries whose
#: bank details are written without an IBAN ("GTBank account 0123456789", "agência 1234-5, conta corrente
#: 67890-1", "numer konta", "口座番号"); ``_ACCOUNT_WORDS`` is the cheap test of the text that comes first.
_ACCOUNT_WORD_BEFORE = re.compile(
    r"(?:\b(?:account|conta(?:\s+corrente|\s+poupan[çc]a)?|ag[êe]ncia|cuenta(?:\s+bancaria)?|"
    r"conto(?:\s+corrente)?|konto|rachunek|rachunku|kontonummer|rekening(?:nummer)?|compte)|口座番号|口座)"
    r"\s*(?:no\.?|nr\.?|n[º°]|number|#)?\s*:?\s*$",
    re.IGNORECASE,
)
_ACCOUNT_WORDS = ("account", "conta", "agência", "agencia", "cuenta", "conto", "konto", "rachun", "rekening",
                  "compte", "口座")  # fmt: skip
#: A short account or branch number with its check digit after a hyphen, as Brazil's banks print them.
_ACCOUNT_WITH_CHECK = re.compile(r"(?<![\d-])\d{4,12}-[\dXx](?![\w-])")


#: Mexico's 18-digit interbank account number (bank, branch, account, check digit).
_CLABE = re.compile(r"(?<![\d-])\d{18}(?![\d-])")


#: Argentina's CBU / CVU: 22 digits (bank and branch with a check digit, account with a check digit).
_CBU = re.compile(r"(?<![\d-])\d{22}(?![\d-])")
#: Peru's CCI: 20 digits, printed 3-3-12-2 (bank, branch, account, check digits; the account group is
#: written shorter by some, so 10 to 12 digits are read after its word).
_CCI = re.compile(r"(?<![\d-])\d{3}(-?)\d{3}\1\d{10,12}\1\d{2}(?![\d-])")
_CCI_WORD = re.compile(
    r"\bcci\b|cuenta\s+interbancaria|c[óo]digo\s+(?:de\s+cuenta\s+)?interbancario", re.IGNORECASE
)
#: New Zealand's bank accounts: bank, branch, account and suffix, printed 2-4-7-2 or 2-4-7-3.
_NZ_ACCOUNT = re.compile(r"(?<![\d-])\d{2}-\d{4}-\d{7}-\d{2,3}(?![\d-])")


def clabe_valid(number: str) -> bool:
    """The CLABE check digit: weights 3, 7, 1 over the first 17 digits, each product mod 10, summed; the check
    digit is (10 - sum mod 10) mod 10 (Banco de México)."""
    if len(number) != 18 or not number.isdigit():
        return False
    total = sum(int(d) * (3, 7, 1)[i % 3] % 10 for i, d in enumerate(number[:17]))
    return (10 - total % 10) % 10 == int(number[17])


def find_bank_accounts(text: str, shape: bytes | None = None, runs: list[int] | None = None) -> _Found:
    """``shape`` as for :func:`find_driving_licences` (computed when not given); ``runs`` the starts of the
    runs of digits (:func:`~brandrail.text.scan.digit_run_starts`): every match of the three patterns below
    starts one, so given them each pattern is tried only there."""
    if shape is None:
        shape = _shape(text)

    def digit_led(rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
        return rx.finditer(text) if runs is None else finditer_at(rx, text, runs)

    if b"99-99-99" in shape:
        for m in digit_led(_SORT_CODE_ACCOUNT):
            yield m.start(), m.end(), "UK sort code with an 8-digit account number"
    lower = text.lower()
    if ("routing" in lower or "aba" in lower or "rtn" in lower) and next(
        finditer_from(_ROUTING_CONTEXT, text, _ROUTING_START), None
    ):
        from stdnum.us import rtn

        for m in digit_led(_ROUTING):
            if _ROUTING_CONTEXT.search(_sentence_before(text, m.start(), 60)) and rtn.is_valid(m.group()):
                yield m.start(), m.end(), "ABA routing number (stdnum.us.rtn check digit)"
    if ("account" in lower or "acct" in lower or "a/c" in lower) and _ACCOUNT_CONTEXT.search(text):
        for m in digit_led(_ACCOUNT):
            if _ACCOUNT_CONTEXT.search(_sentence_before(text, m.start(), 50)):
                yield m.start(), m.end(), "account number after a context word"
    if "clabe" in lower:
        for m in digit_led(_CLABE):
            a, b = max(0, m.start() - 60), min(len(text), m.end() + 60)
            if "clabe" in lower[a:b] and clabe_valid(m.group()):
                yield m.start(), m.end(), "Mexican CLABE with a valid check digit, next to the word CLABE"
    if "cbu" in lower or "cvu" in lower:
        from stdnum.ar import cbu

        for m in digit_led(_CBU):
            a, b = max(0, m.start() - 60), min(len(text), m.end() + 60)
            if ("cbu" in lower[a:b] or "cvu" in lower[a:b]) and cbu.is_valid(m.group()):
                yield m.start(), m.end(), "Argentine CBU / CVU with valid check digits (stdnum.ar.cbu)"
    if "cci" in lower or "interbancari" in lower:
        for m in digit_led(_CCI):
            if _CCI_WORD.search(_sentence_before(text, m.start(), 60)):
                yield m.start(), m.end(), "Peruvian interbank account (CCI) after its word"
    if b"99-9999-9999999-99" in shape:
        from stdnum.nz import bankaccount

        for m in digit_led(_NZ_ACCOUNT):
            if bankaccount.is_valid(m.group()):
                yield (
                    m.start(),
                    m.end(),
                    "New Zealand bank account (stdnum.nz.bankaccount: bank, branch, check)",
                )
    if any(word in lower for word in _ACCOUNT_WORDS):
        for rx in (_ACCOUNT, _ACCOUNT_WITH_CHECK):
            for m in digit_led(rx):
                if _ACCOUNT_WORD_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                    yield m.start(), m.end(), "account number right after a word for an account"


# -- crypto wallets --------------------------------------------------------------------------------------

_BTC = re.compile(
    r"(?<![\w])(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71}|BC1[02-9AC-HJ-NP-Z]{11,71})(?![\w])"
)
_ETH = re.compile(r"(?<![\w])0x[0-9a-fA-F]{40}(?![\w])")

_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B,
    0x0000000080000001, 0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088,
    0x0000000080008009, 0x000000008000000A, 0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
    0x8000000000008003, 0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]  # fmt: skip
_ROT = [
    [0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56], [27, 20, 39, 8, 14],
]  # fmt: skip
_MASK = (1 << 64) - 1


def _rol(x: int, n: int) -> int:
    return ((x << n) | (x >> (64 - n))) & _MASK if n else x


def _keccak_f(state: list[list[int]]) -> None:
    for rc in _RC:
        c = [state[x][0] ^ state[x][1] ^ state[x][2] ^ state[x][3] ^ state[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                state[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rol(state[x][y], _ROT[x][y])
        for x in range(5):
            for y in range(5):
                state[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
        state[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256's), for EIP-55 checksums.

    The standard library's ``hashlib.sha3_256`` pads differently and gives other digests, and no installed
    library offers Keccak; this is the reference permutation (FIPS 202 round constants and rotations).
    """
    rate = 136
    padded = bytearray(data)
    padded.append(0x01)
    while len(padded) % rate:
        padded.append(0)
    padded[-1] |= 0x80
    state = [[0] * 5 for _ in range(5)]
    for block in range(0, len(padded), rate):
        for i in range(rate // 8):
            lane = int.from_bytes(padded[block + 8 * i : block + 8 * i + 8], "little")
            state[i % 5][i // 5] ^= lane
        _keccak_f(state)
    return b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def eip55_valid(address: str) -> bool:
    """Whether ``0x…`` has a valid EIP-55 mixed-case checksum (True for all-lower / all-upper addresses)."""
    body = address[2:]
    if body == body.lower() or body == body.upper():
        return True
    digest = keccak256(body.lower().encode("ascii")).hex()
    for ch, nibble in zip(body, digest[:40], strict=True):
        if ch.isalpha() and ch.isupper() != (int(nibble, 16) >= 8):
            return False
    return True


_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32M_CONST = 0x2BC830A3


def _bech32_polymod(values: list[int]) -> int:
    generator = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            chk ^= generator[i] if ((top >> i) & 1) else 0
    return chk


def bech32m_valid(address: str) -> bool:
    """Whether ``address`` is a segwit v1+ address (``bc1p…``, taproot) with a valid Bech32m checksum
    (BIP-350); python-stdnum 2.2 checks only the Bech32 checksum of v0 addresses."""
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, _, data = address.rpartition("1")
    if hrp != "bc" or len(data) < 8 or data[0] == "q" or any(c not in _BECH32_CHARSET for c in data):
        return False
    values = [_BECH32_CHARSET.index(c) for c in data]
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    return _bech32_polymod(expanded + values) == _BECH32M_CONST


#: A Tron address: "T" and 33 more Base58 characters (a Base58Check of version byte 0x41 and 20 bytes).
_TRON = re.compile(r"(?<![\w])T[1-9A-HJ-NP-Za-km-z]{33}(?![\w])")
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check_version(value: str) -> int | None:
    """The version byte of a valid Base58Check string of 25 bytes (version, 20-byte payload, 4-byte double-SHA-256
    checksum), or None when it is not one."""
    import hashlib

    n = 0
    for c in value:
        i = _BASE58.find(c)
        if i < 0:
            return None
        n = n * 58 + i
    try:
        raw = n.to_bytes(25, "big")
    except OverflowError:
        return None
    body, check = raw[:21], raw[21:]
    if hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] != check:
        return None
    return body[0]


def find_crypto_wallets(text: str) -> _Found:
    if "0x" in text:
        for m in _ETH.finditer(text):
            value = m.group()
            body = value[2:]
            if len(set(body.lower())) < 6:  # 0x000…0 and other placeholders
                continue
            if eip55_valid(value):
                checked = body not in (body.lower(), body.upper())
                yield (
                    m.start(),
                    m.end(),
                    "Ethereum address (EIP-55 checksum)"
                    if checked
                    else "Ethereum address (no checksum case)",
                )
    if "T" in text:
        for m in _TRON.finditer(text):
            if base58check_version(m.group()) == 0x41:
                yield m.start(), m.end(), "Tron address (Base58Check checksum, version 0x41)"
    if not _maybe_bitcoin(text):
        return
    from stdnum import bitcoin

    for m in _BTC.finditer(text):
        value = m.group()
        if bitcoin.is_valid(value):
            kind = "Bech32" if value.lower().startswith("bc1") else "Base58Check"
            yield m.start(), m.end(), f"Bitcoin address ({kind} checksum, stdnum.bitcoin)"
        elif bech32m_valid(value):
            yield m.start(), m.end(), "Bitcoin address (Bech32m checksum, BIP-350)"


# -- MAC addresses ---------------------------------------------------------------------------------------

# a dot that ends the sentence may follow ("… is 3c:22:fb:91:0a:7e."), a dot and more hex may not
_MAC = re.compile(
    r"(?<![\w:-])(?<!\w\.)(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:-])(?!\.\w)"
)
#: Six pairs of decimal digits are as often a list of numbers ("04-11-23-35-42-49") or a code as a MAC
#: address (a real one is all decimal once in ~280): they need one of these words in the sentence before.
_MAC_CONTEXT = re.compile(
    r"\b(?:mac|hardware|device|bssid|wi-?fi|wlan|bluetooth|ethernet|router|adapter|nic|physical\s+address)\b",
    re.IGNORECASE,
)


_HEX_SHAPE = bytes(
    ord("h") if chr(i) in "0123456789abcdefABCDEF" else i if chr(i) in ":-." else ord(" ") for i in range(256)
)


def find_mac_addresses(text: str) -> _Found:
    shape = text.encode("utf-8", "surrogatepass").translate(_HEX_SHAPE)
    if (
        b"hh:hh:hh:hh:hh:hh" not in shape
        and b"hh-hh-hh-hh-hh-hh" not in shape
        and b"hhhh.hhhh.hhhh" not in shape
    ):
        return
    for m in _MAC.finditer(text):
        hexes = re.sub(r"[^0-9A-Fa-f]", "", m.group()).lower()
        if hexes in ("0" * 12, "f" * 12):
            continue
        if not any(c.isalpha() for c in hexes):
            if "." in m.group():
                continue  # 1234.5678.9012: a number with dots, not a MAC address
            if not _MAC_CONTEXT.search(_sentence_before(text, m.start(), 80)):
                continue  # 04-11-23-35-42-49: numbers, unless the sentence speaks of a device
        yield m.start(), m.end(), "MAC address (six hex octets, one separator)"


# -- person names (opt-in) -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The packaged list of common given names (lower case)."""
    raw = resources.files("brandrail.content").joinpath("data/first_names.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


_TITLE = (
    r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Dra|Prof|Frau|Herrn|Herr|Fru|Fröken|Mme|Mlle|Sra|Srta|Señor|Señora|Dhr|Mevr|Mevrouw|"
    r"Signor|Signora|Lic|Licda|Ing|Mnr|Mev|Mdm|"
    # Dutch titles are written in lower case inside a sentence ("mevrouw Lotte Peeters", "mevr. Femke Bakker")
    r"mevrouw|meneer|Meneer|mevr|dhr|"
    # more titles that are no ordinary words: engineer, attorney (Philippines), Czech and Slovak academic titles,
    # Romanian "Dl." / "Dna.", Danish and Norwegian "Hr.", Indonesian "Bpk." / "Sdr.", Hindi "Smt.", Croatian
    # "Gđa", Urdu "Janab" / "Begum", Malay "Encik" / "Puan"
    r"Eng|Engr|Atty|Mgr|Bc|MUDr|JUDr|PhDr|RNDr|MVDr|PaedDr|Dna|Dl|Dnei|Dlui|Hr|Bpk|Sdr|Sdri|Smt|Shri|Shrimati|"
    r"Gđa|Gđica|Gđe|Janab|Begum|Mohtarma|Encik|Puan)\.?"
    # Spanish and Portuguese "Sra. D." / "Sr. Dn." / "Sra. Dña." (a courtesy title and "Don"/"Doña" together),
    # lower-case "doña"; Greek "κ." / "κα" / "κος" (Mr, Mrs); Croatian, Serbian and Slovene "g." / "gđa" /
    # "gđica" / "gosp." in lower case (not "g." after a number: a weight)
    r"|(?:Sra|Sr|Srta)\.?[ \t]+(?:D|Dn|Dña|Dª)\.?(?=[ \t])|doña|dña\.|κ\.|κα|κος|(?<!\d[ \t])g\.|gđa|gđica|gosp\."
    # French titles written out ("Monsieur Thibault Marchetti", "Madame Sandrine Kowalczyk"); a brand made of one
    # ("Madame Tussauds", "Monsieur Cuisine") is told apart by :func:`_titled_brand`
    r"|(?:Monsieur|Madame|Mademoiselle)(?!\w)"
    # Romanian "D-na" / "D-l", Bulgarian and Russian "Г-н" / "Г-жа" / "Г-ца" / "Д-р", in either case
    r"|[Dd]-(?:na|l|ra)\b|[Гг]-(?:н|жа|ца)(?!\w)|[Дд]-р(?!\w)"
    # French "M." (Monsieur) only with its dot; Italian titles are written in lower case too
    r"|M\.|(?:[Dd]ott|[Ss]ig)(?:\.(?:ssa|ra|na))?\.?|[Aa]vv\.)"
)
#: French titles written out: with one word after them, a magazine or a brand as often as a person.
_SPELLED_TITLES = ("Monsieur", "Madame", "Mademoiselle")
#: Titles that are ordinary words too ("Pan" in Polish, "Chief" in Nigeria, "Dona" in Brazil): the word after
#: one must not be a role or a brand's ("Chief Executive", "Pan Am", "Sr. Sales Manager").
_WEAK_TITLE = (
    r"(?:Pan|Pani|Panią|Panem|Panu|Pana|Chief|Dona|Doña|Don|Dom|Madam|Alhaji|Alhaja|Sr\.?|"
    # Czech and Slovak, Croatian, Serbian and Slovene, Ukrainian, Russian and Bulgarian titles, written in lower
    # case inside a sentence ("paní Jana Nováková", "gospodine Horvat", "пан Андрій")
    r"[Pp]an|[Pp]aní|[Pp]ani|[Pp]án|[Pp]ana|[Pp]anu|[Pp]anem|[Pp]ane|[Ss]lečn[aoy]|[Gg]ospodin[ea]?|"
    r"[Gg]ospođ(?:a|o|e|u|ica|ice)|[Gg]ospod|[Gg]ospa|[Пп]ан[еау]?|[Пп]ані|[Гг]осподин[ае]?|[Гг]оспож[аоеу]|"
    r"[Гг]оспоѓ[аи]|"
    # Greek (the vocative too), Turkish, Vietnamese, Indonesian and Malay, Thai in Latin letters, Hindi, Urdu,
    # Finnish, Ghanaian
    r"Κύριε|Κύριος|Κυρία|Κυρίου|Κυρίας|Δεσποινίς|Sayın|Bayan|Ông|Bà|Anh|Chị|Cô|Chú|Bapak|Ibu|"
    r"Tuan|Cik|Datuk|Dato'|Haji|Hajah|Khun|Herra|Rouva|Maame)"
)
_NOT_NAMED_BY_TITLE = frozenset(
    re.findall(
        r"\S+",
        "executive officer editor inspector justice engineer financial operating technology marketing information "
        "of the am pacific asia american european african brand content revenue medical nursing sales manager "
        "director vice vp software developer analyst consultant partner associate designer product project program "
        "account data research scientist specialist lead staff customer support operations business creative art "
        "accountant architect counsel copywriter buyer",
    )
)
# capitalised, in Latin letters with their accents ("García", "Müller", "Zoë", "Wiśniewski", "Łukasz")
# and the letters of Latin Extended-B and Additional (Vietnamese "Nguyễn", "Trần"), Greek and Cyrillic
_EXT_RANGES = (*range(0x100, 0x250), *range(0x370, 0x400), *range(0x400, 0x530), *range(0x1E00, 0x1F00))
_EXT_UP = "".join(chr(c) for c in _EXT_RANGES if chr(c).isupper())
_EXT_LOW = "".join(chr(c) for c in _EXT_RANGES if chr(c).islower())
_UP, _LOW = f"A-ZÀ-ÖØ-Þ{_EXT_UP}", f"a-zß-öø-ÿ{_EXT_LOW}"
# with an Irish, Norman or Italian prefix ("O'Malley", "D'Arcy", "McAllister", "MacLeod")
_CAP = rf"(?:[{_UP}]['’](?=[{_UP}])|Ma?c(?=[{_UP}]))?[{_UP}][{_LOW}]+(?:[-'’][{_UP}][{_LOW}]+)?"
#: Words inside a full name that are not capitalised or are a single letter: Malay "bin" / "binti", Dutch "van
#: der", Romance "de" / "da" / "del", Arabic "al" / "el" / "ibn", Irish "Ó", "Ní", "Mac".
_PARTICLE = r"(?:bin|binti|bt|van|der|den|de|da|do|dos|das|del|della|di|du|la|le|von|zu|ben|ibn|al|el|Ó|Ní|Nic|Uí|Mac|Mc)"
_NAME_BODY = rf"{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_CAP}){{0,3}}"
_NAME_WITH_TITLE = re.compile(rf"(?<!\w){_TITLE}[ \t]+(?P<name>{_NAME_BODY})")
_NAME_WITH_WEAK_TITLE = re.compile(rf"(?<!\w){_WEAK_TITLE}[ \t]+(?P<name>{_NAME_BODY})")
#: the surname is read in a look-ahead, so a capitalised word before the first name ("Kontoinhaber Jonas
#: Becker", "Dear Customer Jonas Becker") does not swallow it
_FULL_NAME = re.compile(
    rf"(?<![\w])(?P<first>{_CAP})(?=\s+(?:(?:Ó|Ní|Nic|Uí|Mac|Mc|de|da|van|von|del|di|dos|el|al)\s+)?(?P<last>{_CAP})(?![\w]))"
)
#: capitalised words that follow a first name without being a surname ("Grace Period", "May Sale")
_NOT_SURNAMES = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "sale",
        "offer",
        "team",
        "store",
        "shop",
        "day",
        "week",
        "jacket",
        "boots",
        "tent",
        "pack",
        "period",
        "street",
        "road",
        "lane",
        "avenue",
        "way",
        "hall",
        "park",
        "hill",
        "collection",
        "range",
        "edition",
        "series",
        "plan",
        "card",
        "gift",
        "club",
        "care",
        "customer",
        "support",
        "service",
        "the",
        "and",
        # places named after a person ("Victoria Island", "Nelson Mandela Square")
        "island",
        "islands",
        "square",
        "station",
        "airport",
        "bridge",
        "beach",
        "bay",
        "city",
        "mall",
        "centre",
        "center",
        "market",
        "tower",
        "plaza",
        "place",
        "port",
        "river",
        "lake",
        "valley",
        "university",
        "college",
        "school",
        "hospital",
        "church",
        "museum",
        "stadium",
        "gardens",
        "garden",
        "court",
        "hotel",
        "house",
        "mountain",
        "terminal",
        "bridge",
    ]
)


#: A word after a full name that makes it a place named after a person ("Samuel Beckett Bridge", "Nelson
#: Mandela Bay", "José Martí airport").
_PLACE_AFTER = frozenset(
    re.findall(
        r"\S+",
        "island islands square station airport bridge beach bay city mall centre center market tower plaza place "
        "port river lake valley university college school hospital church museum stadium gardens garden hall "
        "park avenue street road boulevard drive memorial foundation institute theatre theater arena library "
        "aeropuerto aeroporto flughafen havalimanı aéroport estación estação bahnhof brücke puente ponte pont "
        "straße strasse platz avenida calle rua piazza via rue place gare",
    )
)
#: A label before a person's name that needs no list of given names: the key of a record ('"full_name":
#: "…"', '"nombre": "…"'), a form's label ("Titular: …", "Kontoinhaber: …", "Ship to:" and a new line), a
#: phrase naming whom a payment or a card is for ("lautend auf …", "in the name of …", "name on it is …") or
#: a sign-off ("Hilsen …", "Kind regards, …"). What follows must be two to four capitalised words, up to the
#: end of the value, line or clause.
_LABELS_CORE = (
    # a record's key (the generic "name" is read only in a record that holds personal data, see below)
    r"\"(?P<key>(?:full|first|last|customer|contact|client|recipient|holder|account_?holder|billing|shipping)_?name|"
    r"name|nombre(?:_completo)?|nome(?:_completo)?|nom(?:_complet)?|naam|navn|namn|nazwisko|imie_nazwisko|"
    r"titular|destinatario|destinat[áa]rio|empf[äa]nger|kontoinhaber)\"\s*:\s*\"|"
    # a form's label and a colon (a new line may follow it)
    r"(?<![\w-])(?:full\s+name|customer\s+name|account\s+holder|card\s*holder|titular(?:\s+da\s+conta)?|"
    r"kontoinhaber(?:in)?|inhaber(?:in)?|empf[äa]nger(?:in)?|destinatari[oa]|destinat[áa]ri[oa]|recipient|"
    r"nombre\s+completo|nome\s+completo|nom\s+complet|imi[ęe]\s+i\s+nazwisko|ship\s+to|deliver\s+to|"
    r"lieferadresse|adresse\s+de\s+livraison|direcci[óo]n\s+de\s+env[íi]o)\s*:[ \t]*\n?[ \t]*|"
    # a bare "Name:" (a product's too): read only before "Surname, Given" or beside a personal field, see below
    r"(?<![\w-])(?P<bare>name|nom|nombre|nome|naam|nazwisko|n[ée]v|cliente|kunde|klant)\s*:[ \t]*|"
    # the same as a Markdown table's cell ("| Name | Svenja Ulbricht |")
    r"\|[ \t]*(?P<cell>name|full\s+name|nom|nombre|nome|naam|navn|namn|n[ée]v)[ \t]*\|[ \t]*|"
    # a phrase naming whom a payment or a document is for, or a sign-off
    r"(?<![\w-])(?:lautend\s+auf|in\s+the\s+name\s+of|a\s+nombre\s+de|em\s+nome\s+de|au\s+nom\s+de|"
    r"intestat[oa]\s+a|name\s+on\s+(?:it|the\s+card|the\s+account)\s+is|"
    r"(?:kind\s+|best\s+|warm\s+)?regards|cheers|thanks|hilsen|vennlig\s+hilsen|med\s+vänlig\s+hälsning|"
    r"mvh|mfg|viele\s+grüße|liebe\s+grüße|beste\s+grüße|gr[üu][ßs]e|groeten|met\s+vriendelijke\s+groet|"
    r"saludos|cumprimentos|atenciosamente|cordialement|distinti\s+saluti|cordiali\s+saluti|pozdrawiam|"
    r"terveisin|venlig\s+hilsen|mvg|gruss|gruß)[ \t]*[,:]?[ \t]*\n?[ \t]*"
)
_LABELS_MORE = (
    # the name a document or a card is issued to ("Cardholder name:", "name as on passport:", "Passenger name:")
    r"(?<![\w-])(?P<doc>(?:card\s*holder|passenger|traveller|traveler|guest|holder)(?:'s)?\s+name|"
    r"name\s+(?:as\s+)?(?:on|in)\s+(?:the\s+|your\s+|my\s+)?(?:passport|card|id|document|ticket|booking))"
    r"\s*:[ \t]*\n?[ \t]*|"
    # sign-offs of more languages: German and Swiss, Dutch, Nordic, Baltic, Slavic, Hungarian, Turkish, Spanish,
    # Ukrainian and Russian ("Freundliche Grüsse", "Kveðja", "Ar cieņu", "S pozdravem", "З повагою")
    r"(?<![\w-])(?:(?:freundliche|herzliche|liebe|beste|viele|sch[öo]ne)\s+gr[üu](?:ß|ss)e|"
    r"mit\s+freundlichen\s+gr[üu](?:ß|ss)en|gr[üu]sse|groet|groetjes|hartelijke\s+groet(?:en)?|"
    r"vriendelijke\s+groet(?:en)?|h[äa]lsningar|v[äa]nliga\s+h[äa]lsningar|kve[ðd]ja|bestu\s+kve[ðd]jur|"
    r"yst[äa]v[äa]llisin\s+terveisin|ar\s+cie[ņn]u|pagarbiai|lugupidamisega|s\s+pozdravem|s\s+pozdravom|"
    r"srda[čc]an\s+pozdrav|lijep\s+pozdrav|lep\s+pozdrav|pozdrav|[üu]dv[öo]zlettel|sayg[ıi]lar[ıi]mla|"
    r"atentamente|un\s+saludo|bien\s+[àa]\s+vous|з\s+повагою|с\s+уважением|поздрави|"
    # Greek sign-offs ("Ευχαριστώ πολύ, …", "Με εκτίμηση, …")
    r"ευχαριστώ(?:\s+πολύ)?|με\s+εκτίμηση|φιλικά)[ \t]*[,:]?[ \t]*\n?[ \t]*|"
    # labels of a person's name in Hungarian ("Anyja neve:"), Greek (full name, beneficiary) and Vietnamese
    r"(?<![\w-])(?:neve|ονοματεπώνυμο|δικαιούχος|h[ọo]\s+(?:v[àa]\s+)?t[êe]n)\s*:[ \t]*|"
    # a signature after a slash on its own line ("/Ebba Lindahl")
    r"(?:^|(?<=\n)|(?<=[.!?] ))/[ \t]*(?=[A-Z])|"
    # a customer introducing themself ("my name is …", "je m'appelle …", "me llamo …", "меня зовут …")
    r"(?<![\w-])(?P<intro>my\s+name\s+is|je\s+m['’]appelle|je\s+suis|me\s+llamo|mi\s+nombre\s+es|mi\s+chiamo|"
    r"mein\s+name\s+ist|ich\s+hei(?:ß|ss)e|mijn\s+naam\s+is|jag\s+heter|jeg\s+hedder|jeg\s+heter|"
    r"meu\s+nome\s+[ée]|chamo-me|nazywam\s+si[ęe]|benim\s+ad[ıi]m|меня\s+зовут|мене\s+звати|"
    # a holder word without a colon ("account holder Tochukwu Eze please", "holder Olujimi Adebayo, born …")
    r"(?:account\s+|card\s*)?holder(?=[ \t]+[A-Z]))[ \t]*[,:]?[ \t]*"
)
#: Lower-case words of which every label of :data:`_LABELS_MORE` holds one: where to read them (a long text is
#: read in windows around these words, not scanned whole).
_LABELS_MORE_WORDS = (
    "name", "grüß", "grüss", "gruss", "grus", "groet", "lsning", "kveð", "kvedj", "terveisin", "cieņ", "cienu",
    "pagarbiai", "lugupidamisega", "pozdrav", "zlettel", "saygı", "saygi", "atentamente", "saludo", " vous",
    "повагою", "уважением", "поздрави", "appelle", "je suis", "llamo", "nombre es", "chiamo", "heiße",
    "heisse", "naam is", "heter", "hedder", "nome é", "nome e", "chamo-me", "nazywam", "adım", "adim", "зовут",
    "звати", "mvg", "gruß", "holder", "neve:", "neve :", "ευχαριστώ", "εκτίμηση", "φιλικά", "ονοματεπώνυμο", "δικαιούχος",
    "họ", "\n/", ". /", "! /",
)  # fmt: skip
_LABELLED_NAME = (
    rf"(?P<name>{_CAP}(?:[ \t]+[A-Z]\.)?(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_CAP}){{1,3}}|{_CAP},[ \t]+{_CAP}(?:[ \t]+{_CAP})?"
    # in capitals, as a document prints it ("KEVIN J HALLORAN"): read only after a document's name label
    r"|(?P<upper>[A-Z][A-Z'’-]+,?(?:[ \t]+[A-Z]\.?)?(?:[ \t]+[A-Z][A-Z'’-]+){1,3}(?:[ \t]+[A-Z]\.?)?))"
)
_AFTER_NAME = r"\"|[ \t]*(?:$|\n|[,;.!()|<]|\s[-—–]\s)|[ \t]+(?=\+?\(?\d[\d \t().-]{6,}\d)"
#: A label before a person's name that needs no list of given names: the key of a record ('"full_name":
#: "…"', '"nombre": "…"'), a form's label ("Titular: …", "Kontoinhaber: …", "Ship to:" and a new line), a
#: phrase naming whom a payment or a card is for ("lautend auf …", "in the name of …", "name on it is …") or
#: a sign-off ("Hilsen …", "Kind regards, …"). What follows must be two to four capitalised words, up to the
#: end of the value, line or clause.
_NAME_LABEL = re.compile(
    rf"(?i:{_LABELS_CORE}){_LABELLED_NAME}(?P<after>{_AFTER_NAME})",
    re.MULTILINE,
)
#: More labels (a document's name label, sign-offs of more languages, a self-introduction), read in windows
#: around :data:`_LABELS_MORE_WORDS`; after a self-introduction the sentence may go on ("my name is Tobias
#: Renwick and my parcel …").
_NAME_LABEL_MORE = re.compile(
    rf"(?i:{_LABELS_MORE}){_LABELLED_NAME}(?P<after>{_AFTER_NAME}|(?(intro)[ \t]+(?=[{_LOW}])|(?!)))",
    re.MULTILINE,
)


#: Labels read only where one of their words starts (a match there, not a search around it: these words are
#: common in marketing copy, "customer", "payment"): a name word without a colon ("legal name Ada Brandt",
#: "…, name Ada Brandt"), an account holder, a payee, a customer, an employee or a winner in more languages
#: ("Kontoinhaberin Ada Brandt", "Titulaire du compte : …", "Kundin …", "Viðskiptavinur: …"), a payment from a
#: person ("Virement reçu de …", "Betaling ontvangen van …") and "I am …" ("Hola, soy …"). After the name the
#: sentence may go on in lower case ("Kunde Øystein Bråthen ringte …").
_LABELS_AT = (
    # a person's name word without a colon ("legal name Ada Brandt", "…, name Ada Brandt", "naam Ada Brandt")
    r"(?:(?:legal|full|customer|client|registered)\s+name|(?:(?<=[,;|—–])|(?<=[,;|—–][ \t]))"
    r"(?:name|naam|nome|nombre|navn|namn)(?![ \t]*:)|"
    # an account holder, a payee or a beneficiary in more languages ("Kontoinhaberin Ada Brandt", "Titulaire du
    # compte : …", "rekeninghouder …"), a customer, an employee or a winner ("Kundin Ada Brandt", "kunde …",
    # "Viðskiptavinur: …", "prize winner …")
    r"kontoinhaber(?:in)?|inhaber(?:in)?|titulaire(?:\s+du\s+compte)?|rekeninghouder|kontohaver|"
    r"kontoinnehavare|titular\s+de\s+la\s+cuenta|intestatari[oa]|payee|beneficiary|beg[üu]nstigte[r]?|"
    r"b[ée]n[ée]ficiaire|beneficiari[oa]|kund(?:e|in|en)?|klant|asiakas|vi[ðd]skiptavinur|client[ea]?|klient(?:ka)?|"
    r"m[üu][şs]teri|πελάτ(?:ης|ισσα)|клиент|клієнт|customer|employee|mitarbeiter(?:in)?|medewerker|empleado|"
    r"employ[ée]e?|winner|gewinner(?:in)?|gagnante?|ganador(?:a)?|vincit(?:ore|rice)|"
    # a payment from a person ("Virement reçu de …", "Betaling ontvangen van …", "Überweisung von …")
    r"(?:payment|transfer|virement|[üu]berweisung|betaling|pago|pagamento|bonifico|przelew|gutschrift)"
    r"(?:[ \t]+[^\W\d_]{2,12}){0,2}?[ \t]+(?:from|von|van|de|da|od|di)|"
    # "I am …" in Spanish, Portuguese, German, Dutch, Polish, Czech ("Hola, soy Nerea Etxeberria")
    r"soy|sou|ich\s+bin|ik\s+ben|jestem|jsem)(?![^\W\d_])[ \t]*[,:]?[ \t]*"
)
#: Lower-case words of which every label of :data:`_LABELS_AT` starts with one (or holds one at the end of its
#: first word: "kontoinhaber", "gewinner").
_LABELS_AT_WORDS = (
    "legal name", "full name", "customer name", "client name", "registered name", "name", "naam", "nome",
    "nombre", "navn", "namn", "inhaber", "titulaire", "rekeninghouder", "kontohaver", "kontoinnehavare",
    "titular de la cuenta", "intestatari", "payee", "beneficiar", "begünstigt", "bénéficiaire", "kund", "klant",
    "asiakas", "skiptavinur", "client", "klient", "müşteri", "πελάτ", "клиент", "клієнт", "customer",
    "employee", "mitarbeiter", "medewerker", "empleado", "employé", "winner", "gagnant", "ganador", "vincit",
    "payment", "transfer", "virement", "überweisung", "betaling", "pago", "pagamento", "bonifico", "przelew",
    "gutschrift", "soy ", "sou ", "ich bin", "ik ben", "jestem", "jsem",
)  # fmt: skip
_NAME_LABEL_AT = re.compile(
    rf"(?i:{_LABELS_AT}){_LABELLED_NAME}(?P<after>{_AFTER_NAME}|[ \t]+(?=[{_LOW}]))",
    re.MULTILINE,
)


@lru_cache(maxsize=1)
def _labels_at_automaton() -> Any:
    """An Aho-Corasick automaton of :data:`_LABELS_AT_WORDS` (``pyahocorasick``)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for word in _LABELS_AT_WORDS:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _label_at_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_NAME_LABEL_AT` in ``text``, each tried once where a word of
    :data:`_LABELS_AT_WORDS` (or the word holding it) starts."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer ("İ"): offsets differ
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    starts = set()
    for last, word in _labels_at_automaton().iter(lower):  # one pass in C for every word
        i = j = last - len(word) + 1
        while j > 0 and j > i - 12 and lower[j - 1].isalpha():
            j -= 1  # to the start of the word that holds it ("kontoinhaber", "gewinner")
        starts.add(j)
    done = -1
    for j in sorted(starts):
        if j < done:
            continue
        m = _NAME_LABEL_AT.match(text, j)
        if m is not None:
            done = m.end()
            yield m


def _more_label_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_NAME_LABEL_MORE` in ``text``, looked for around its label words only."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer ("İ"): offsets differ, read it whole
        yield from _NAME_LABEL_MORE.finditer(text)
        return
    starts = []
    for word in _LABELS_MORE_WORDS:
        i = lower.find(word)
        while i != -1:
            starts.append(i)
            i = lower.find(word, i + 1)
    done = -1
    for i in sorted(starts):
        a = max(i - 30, done, 0)
        for m in _NAME_LABEL_MORE.finditer(text, a, min(len(text), i + 160)):
            if m.start() >= done:
                done = m.end()
                yield m


#: Fields of a record that hold personal data: with one of them, the record's generic "name" key is a person's.
_PERSONAL_FIELDS = re.compile(
    r"\"(?:e-?mail|phone|tel|mobile|dob|birth_?date|date_of_birth|address|customer|iban|ssn|passport|zip)\w*\"\s*:",
    re.IGNORECASE,
)
#: Labels of a form's personal fields: with one of them near, a bare "Name:" is a person's.
_PERSONAL_LABELS = re.compile(
    r"(?i:\b(?:phone|tel|telephone|t[ée]l[ée]phone|tel[ée]fono|telefone|telefon|mobile?|cell|celular|handy|"
    r"e-?mail|correo|courriel|ssn|dni|nie|nif|cpf|dob|date\s+of\s+birth|birth\s*date|fecha\s+de\s+nacimiento|"
    r"geburtsdatum|geboortedatum|address|direcci[óo]n|adresse|indirizzo|iban|passport|pasaporte|bsn|"
    r"telefoon|mobil|e-mail|sz[üu]let[ée]si\s+(?:id[őo]|d[áa]tum)|c[ée]dula|rut|curp|cpf|mob|ph|cel|whatsapp)"
    r"\s*[:：|])"
)
#: Words a labelled name is not made of ("Regards, The Fernhill Team", "Thanks Customer Service").
_NOT_IN_LABELLED_NAME = _NOT_SURNAMES | frozenset(
    re.findall(
        r"\S+",
        "all everyone again so much you team staff crew our your from in at for with "
        "ltd inc llc plc gmbh ag corp co sa sas srl spa bv nv ab oy as aps kft sro limited group holdings",
    )
)


def _labelled_names(text: str) -> _Found:
    """Names after a label of :data:`_NAME_LABEL`, whether or not their given name is listed."""
    fields: list[int] | None = None  # where the personal fields of records stand (looked for once)
    more = _more_label_matches(text)
    for m in itertools.chain(_NAME_LABEL.finditer(text), more, _label_at_matches(text)):
        groups = m.groupdict()
        words = m.group("name").replace(",", " ").split()
        if any(w.lower() in _NOT_IN_LABELLED_NAME for w in words):
            continue
        label = text[m.start() : m.start("name")].rstrip()
        if "," in m.group("name") and groups.get("upper") is None:
            # "Surname, Given" only after a form's label ("Account holder: Brandt, Henrike"), not a sign-off's
            # comma ("Thanks, Anna, Ben") or a record's key
            if groups.get("key") is not None or not label.endswith(":"):
                continue
        elif (groups.get("bare") is not None or groups.get("cell") is not None) and _PERSONAL_LABELS.search(
            text, max(0, m.start() - _RECORD_REACH), m.end() + _RECORD_REACH
        ) is None:
            # "Name: Trail Runner" names a product as readily as a person; a person's only beside a personal
            # field of the same form ("Name: … | Phone: …", "Nombre: … | DNI: …")
            continue
        if groups.get("upper") is not None and groups.get("doc") is None:
            continue  # capitals after another label are a heading or an address ("Ship to: FLAT 4")
        if groups.get("key") is not None and m.group("key").lower() == "name":
            # '"name": "Trail Runner"' names a product: a person's only beside a personal field of the same
            # record, within :data:`_RECORD_REACH` characters
            if fields is None:
                fields = [f.start() for f in _PERSONAL_FIELDS.finditer(text)]
            i = bisect_left(fields, m.start() - _RECORD_REACH)
            if i == len(fields) or fields[i] > m.end() + _RECORD_REACH:
                continue
        yield m.start("name"), m.end("name"), "name after a label for a person's name"


#: How far from a record's generic "name" key a personal field of the record may stand.
_RECORD_REACH = 300


#: Common Japanese family names in kanji (the most frequent, which cover about a third of the population).
_JA_SURNAMES = re.findall(
    r"\S+",
    "佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 林 斎藤 斉藤 清水 山崎 森 池田 "
    "橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 斉藤 福田 太田 西村 藤井 金子 "
    "岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 原 柴田 酒井 工藤 横山 宮崎 宮本 内田 高木 "
    "安藤 島田 谷口 大野 高田 丸山 今井 河野 藤本 村田 武田 上野 杉山 増田 小山 大塚 平野 菅原 久保 松井 千葉 岩崎 桜井 野口",
)
_JA_HONORIFIC = "様|さん|殿|氏|宛|くん|君|ちゃん|先生"
#: Characters that end a place or a business, not a given name ("山田駅", "田中店").
_JA_NOT_GIVEN = "駅店町市区県村線橋通屋社製園館港寺院道口側部課"
_JA_ONE_KANJI = frozenset(n for n in _JA_SURNAMES if len(n) == 1)  # 林, 森, 原: words too, named only with 様
_JA_HONORIFIC_RX = re.compile(_JA_HONORIFIC)
_JA_NAME = re.compile(
    rf"(?<![\u4e00-\u9fff々])(?P<sur>{'|'.join(sorted(set(_JA_SURNAMES), key=len, reverse=True))})"
    rf"(?:[ \u3000]?(?P<given>[\u4e00-\u9fff々]{{1,3}}?)(?=(?:{_JA_HONORIFIC})|[^\u4e00-\u9fff々]|$)"
    rf"|(?=(?:{_JA_HONORIFIC})))"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _japanese_names(text: str) -> _Found:
    """Japanese names in kanji: a common family name with a given name of one to three kanji ("田中 太郎",
    "鈴木花子宛"), or a family name with an honorific ("佐藤様", "田中さん")."""
    if _HAN.search(text) is None:
        return
    for m in _JA_NAME.finditer(text):
        given = m.group("given")
        if given is not None:
            if given[-1] in _JA_NOT_GIVEN or m.group("sur") in _JA_ONE_KANJI:
                continue
            yield m.start(), m.end(), "Japanese family name followed by a given name"
        else:
            honorific = _JA_HONORIFIC_RX.match(text, m.end())
            end = m.end() + (len(honorific.group()) if honorific else 0)
            yield m.start(), end, "Japanese family name with an honorific"


#: Common Japanese family names in romaji (Hepburn, long vowels unmarked), for names written in Latin letters in
#: either order ("Tanaka Hiroshi", "Hiroshi Tanaka"). Brand-famous ones (Honda, Toyota, Yamaha, Suzuki as a
#: car) are kept only where the other word reads as a Japanese given name.
_ROMAJI_SURNAMES = frozenset(
    re.findall(
        r"\S+",
        "sato suzuki takahashi tanaka ito watanabe yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi "
        "matsumoto inoue kimura hayashi saito shimizu yamazaki mori abe ikeda hashimoto yamashita ishikawa nakajima "
        "maeda fujita ogawa goto okada hasegawa murakami kondo ishii sakamoto endo aoki fujii nishimura fukuda ota "
        "miura fujiwara okamoto matsuda nakagawa nakano harada ono tamura takeuchi kaneko wada nakayama ishida ueda "
        "morita hara shibata sakai kudo yokoyama miyazaki miyamoto uchida takagi ando taniguchi ohno maruyama imai "
        "takada fujimoto takeda murata ueno sugiyama masuda sugawara hirano otsuka chiba kubo matsui iwasaki sakurai "
        "kinoshita noguchi matsuo nomura kikuchi sano onishi sugimoto arai",
    )
)
#: A word made of Japanese syllables in Hepburn romaji ("hiroshi", "yui", "kenta", "daisuke").
_ROMAJI_WORD = re.compile(r"(?:(?:[kgsztdnhbpmr]y?|[yw]|sh|ch|j|ts|f)?[aiueo]|n)+")
_TWO_CAPITALISED = re.compile(r"(?<![\w])([A-Z][a-z]{1,11})(?=\s([A-Z][a-z]{1,11})(?![\w]))")


def _romaji_names(text: str) -> _Found:
    """Japanese names in romaji, family name first or last: a common family name next to a word that reads as
    a Japanese given name ("Suzuki Kenta", "Yui Watanabe"), neither a word that follows names as a place or a
    product does ("Suzuki Jimny", "Honda Civic" fail the syllable test; "Ono Street" is a place)."""
    for m in _TWO_CAPITALISED.finditer(text):
        a, b = m.group(1).lower(), m.group(2).lower()
        if a in _ROMAJI_SURNAMES:
            given = b
        elif b in _ROMAJI_SURNAMES:
            given = a
        else:
            continue
        if given in _ROMAJI_SURNAMES or given in _NOT_SURNAMES or len(given) < 2:
            continue
        if _ROMAJI_WORD.fullmatch(given):
            yield m.start(), m.end(2), "Japanese family name and given name in romaji"


#: A word that names a place before the name it is named after, in the languages that put it first
#: ("Aeropuerto Jorge Chávez", "Estádio Mané Garrincha", "Piazza Giuseppe Garibaldi", "Lotnisko Chopina").
_PLACE_BEFORE = frozenset(
    re.findall(
        r"\S+",
        "aeropuerto aeroporto aéroport aeroport aerodrom flughafen lotnisko letiště letisko airport estadio estádio "
        "stadio stade stadion plaza praça piazza place platz plac náměstí námestie trg avenida avenue av. avda. "
        "calle rua via viale corso rue boulevard bd. straße strasse ulica ul. ulice puente ponte pont parque parco "
        "parc park hospital hospitale ospedale hôpital universidad universidade università université colegio "
        "colégio escuela escola scuola école liceo lycée teatro théâtre museo museu musée estación estação "
        "stazione gare terminal internacional international internazionale metro paseo passeig largo travessa "
        "fundación fundação instituto institut centro center centre monumento",
    )
)


_VI_TITLE = re.compile(r"(?:Ông|Bà|Anh|Chị|Cô|Chú)\b")


def _after_capitalised_word(text: str, start: int) -> bool:
    """Whether a capitalised word stands right before ``start`` (a space between them)."""
    words = text[max(0, start - 40) : start].split()
    return (
        bool(words) and text[start - 1 : start].isspace() and words[-1][:1].isupper() and words[-1].isalpha()
    )


def _after_place_word(text: str, start: int) -> bool:
    """Whether the words before ``start`` (up to three capitalised words back) open with a place word."""
    words = text[max(0, start - 80) : start].split()
    for word in reversed(words[-4:]):
        if word.lower() in _PLACE_BEFORE:
            return True
        if not word[:1].isupper():
            return False
    return False


def _fold(word: str) -> str:
    """``word`` in lower case without its accents ("Lucía" → "lucia", "João" → "joao"), as the list is written."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


#: Common Chinese family names (simplified and traditional) and the honorifics written after a name (a name is
#: labelled without them): "陳怡君小姐", "李静女士", "王小明先生".
_ZH_SURNAMES = [
    "王",
    "李",
    "张",
    "張",
    "刘",
    "劉",
    "陈",
    "陳",
    "杨",
    "楊",
    "黄",
    "黃",
    "赵",
    "趙",
    "吴",
    "吳",
    "周",
    "徐",
    "孙",
    "孫",
    "马",
    "馬",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "罗",
    "羅",
    "高",
    "郑",
    "鄭",
    "梁",
    "谢",
    "謝",
    "宋",
    "唐",
    "许",
    "許",
    "韩",
    "韓",
    "冯",
    "馮",
    "邓",
    "鄧",
    "曹",
    "彭",
    "曾",
    "肖",
    "蕭",
    "田",
    "董",
    "袁",
    "潘",
    "于",
    "蒋",
    "蔣",
    "蔡",
    "余",
    "杜",
    "叶",
    "葉",
    "程",
    "苏",
    "蘇",
    "魏",
    "吕",
    "呂",
    "丁",
    "任",
    "沈",
    "姚",
    "卢",
    "盧",
    "姜",
    "崔",
    "钟",
    "鍾",
    "谭",
    "譚",
    "陆",
    "陸",
    "汪",
    "范",
    "金",
    "石",
    "廖",
    "贾",
    "賈",
    "夏",
    "韦",
    "韋",
    "付",
    "方",
    "白",
    "邹",
    "鄒",
    "孟",
    "熊",
    "秦",
    "邱",
    "江",
    "尹",
    "薛",
    "闫",
    "段",
    "雷",
    "侯",
    "龙",
    "龍",
    "史",
    "陶",
    "黎",
    "贺",
    "賀",
    "顾",
    "顧",
    "毛",
    "郝",
    "龚",
    "龔",
    "邵",
    "万",
    "萬",
    "钱",
    "錢",
    "严",
    "嚴",
    "覃",
    "武",
    "戴",
    "莫",
    "孔",
    "向",
    "汤",
    "湯",
    "欧阳",
    "歐陽",
    "司马",
    "司馬",
    "诸葛",
    "諸葛",
    "上官",
]
_ZH_HONORIFIC = "先生|女士|小姐|太太|夫人|老师|老師|同学|同學|经理|經理|医生|醫生|教授|律师|律師"
#: Nouns for a customer or a member written right before a name ("客户王伟先生", "会员李娜女士").
_ZH_ROLE_BEFORE = (
    "客户",
    "客戶",
    "顾客",
    "顧客",
    "会员",
    "會員",
    "用户",
    "用戶",
    "收件人",
    "联系人",
    "聯絡人",
    "尊敬的",
)
_ZH_NAME = re.compile(
    rf"(?<![\u4e00-\u9fff])(?:{'|'.join(sorted(set(_ZH_SURNAMES), key=len, reverse=True))})"
    rf"[\u4e00-\u9fff]{{1,2}}(?=[ \u3000]?(?:{_ZH_HONORIFIC}))"
)
#: A form's label for a person's name ("收货人：刘晓燕", "持卡人张宇航", "开户名：周建平"): the name after it needs no
#: honorific, and ends where the Han characters do.
_ZH_NAME_LABELS = (
    "收货人",
    "收貨人",
    "持卡人",
    "开户名",
    "開戶名",
    "户名",
    "戶名",
    "姓名",
    "收款人",
    "联系人",
    "聯絡人",
)
_ZH_NAME_AFTER_LABEL = re.compile(
    rf"(?:{'|'.join(_ZH_NAME_LABELS)})[ \u3000]?[:：]?[ \u3000]?(?P<name>"
    rf"(?:{'|'.join(sorted(set(_ZH_SURNAMES), key=len, reverse=True))})[\u4e00-\u9fff]{{1,2}})(?![\u4e00-\u9fff])"
)
#: The same right after a role noun of :data:`_ZH_ROLE_BEFORE` (read only where one stands in the text).
_ZH_NAME_AFTER_ROLE = re.compile(
    rf"(?:{'|'.join(_ZH_ROLE_BEFORE)})(?P<name>(?:{'|'.join(sorted(set(_ZH_SURNAMES), key=len, reverse=True))})"
    rf"[\u4e00-\u9fff]{{1,2}}(?=(?:{_ZH_HONORIFIC})))"
)
#: The same between spaces after a role noun ("客户 王丽娟 的…", "會員 陳建宏 的手機"): the spaces end the name.
_ZH_NAME_SPACED_AFTER_ROLE = re.compile(
    rf"(?:{'|'.join(_ZH_ROLE_BEFORE)})[ \u3000](?P<name>(?:{'|'.join(sorted(set(_ZH_SURNAMES), key=len, reverse=True))})"
    rf"[\u4e00-\u9fff]{{1,2}})(?=[ \u3000,，。:：]|$)"
)
#: Common Korean family names and the honorifics after a name ("김민지 님", "박서준 고객님"); the nouns that take
#: the same honorific ("고객님", "회원님": customer, member) are no names.
_KO_SURNAMES = [
    "김",
    "이",
    "박",
    "최",
    "정",
    "강",
    "조",
    "윤",
    "장",
    "임",
    "한",
    "오",
    "서",
    "신",
    "권",
    "황",
    "안",
    "송",
    "류",
    "유",
    "전",
    "홍",
    "고",
    "문",
    "양",
    "손",
    "배",
    "백",
    "허",
    "남",
    "심",
    "노",
    "하",
    "곽",
    "성",
    "차",
    "주",
    "우",
    "구",
    "민",
    "진",
    "나",
    "지",
    "엄",
    "채",
    "원",
    "천",
    "방",
    "공",
    "현",
    "함",
    "변",
    "염",
    "여",
    "추",
    "도",
    "소",
    "석",
    "선",
    "설",
    "마",
    "길",
    "연",
    "위",
    "표",
    "명",
    "기",
    "반",
    "왕",
    "금",
    "옥",
    "육",
    "인",
    "맹",
    "제",
    "모",
    "탁",
    "국",
    "어",
    "은",
    "편",
    "용",
    "예",
    "경",
    "봉",
    "사",
    "부",
    "황보",
    "남궁",
    "제갈",
    "선우",
    "독고",
]
_KO_NOT_NAMES = frozenset(
    [
        "고객",
        "회원",
        "선생",
        "사장",
        "손님",
        "부장",
        "과장",
        "차장",
        "팀장",
        "기사",
        "대표",
        "원장",
        "교수",
        "여러분",
        "담당자",
        "관리자",
        "학생",
        "학부모",
    ]
)
_KO_NAME = re.compile(
    rf"(?<![\uac00-\ud7af])(?:{'|'.join(sorted(set(_KO_SURNAMES), key=len, reverse=True))})[\uac00-\ud7af]{{1,2}}"
    r"(?= ?(?:님|씨|고객님|회원님|선생님|귀하)(?:의|께서|께|은|는|이|을|에게)?(?![\uac00-\ud7af]))"
)
#: A Korean name right after a customer's or a member's noun and a space ("고객님 김지현,", "회원 박서연 님의"): a
#: family name and a given name of two syllables (a two-syllable word there is a noun: "고객님 정보 확인").
_KO_NAME_AFTER_ROLE = re.compile(
    rf"(?<![\uac00-\ud7af])(?:고객님?|회원님?|수령인|주문자|예금주)[ :]+(?P<name>"
    rf"(?:{'|'.join(sorted(set(_KO_SURNAMES), key=len, reverse=True))})[\uac00-\ud7af]{{2}})(?![\uac00-\ud7af])"
)
#: Thai "คุณ" (Khun) before a given name and a surname ("คุณวรรณา ศรีสุข", "ส่งให้คุณสมศรี ใจงาม"); not "ขอบคุณ"
#: (thank you), nor "คุณ" as "you" before a verb or in a noun ("คุณภาพ", quality): the words after it must be two,
#: the first none of the common ones.
_TH_NAME = re.compile(r"(?<!ขอบ)คุณ\s?(?P<given>[\u0e01-\u0e4e]{2,})\s(?P<sur>[\u0e01-\u0e4e]{2,})")
_TH_NOT_GIVEN = (
    # "customer", "can", "will", "get", "be", "have", "must", "also", "is", "not", "still", "ever", "should", "may"
    # (คุณ as "you"), and the nouns made with it: quality, value, properties, benefit, virtue, feature
    "ลูกค้า", "สามารถ", "จะ", "ได้", "เป็น", "มี", "ต้อง", "ก็", "คือ", "ไม่", "ยัง", "เคย", "ควร", "อาจ",
    "ภาพ", "ค่า", "สมบัติ", "ประโยชน์", "ธรรม", "ลักษณะ",
)  # fmt: skip


#: Common Korean family names in romanisation ("Kim", "Lee", "Park", "Choi"), for names written in Latin letters
#: family name first or last with a hyphenated two-syllable given name ("Park Ji-hoon", "Min-seo Choi").
_KO_ROMAN_SURNAMES = (
    "Kim|Lee|Yi|Rhee|Park|Pak|Bak|Choi|Choe|Jung|Jeong|Chung|Kang|Cho|Jo|Yoon|Yun|Jang|Chang|Lim|Im|Han|Oh|Seo|Suh|"
    "Shin|Sin|Kwon|Hwang|Ahn|An|Song|Yoo|Yu|Ryu|Hong|Jeon|Jun|Ko|Go|Moon|Mun|Yang|Son|Bae|Baek|Paik|Heo|Hur|Nam|"
    "Noh|Roh|Ha|Kwak|Sung|Seong|Cha|Joo|Ju|Woo|Koo|Gu|Min|Jin|Na|Chae|Won|Chun|Cheon|Bang|Gong|Hyun|Byun|Yeo|Choo"
)
#: A syllable of Korean in its usual romanisations ("ji", "hoon", "seo", "young", "kyung").
_KO_SYLLABLE = (
    r"(?:kk|tt|pp|ss|jj|ch|[gkndtrlmbpsjh])?(?:yae|yeo|wae|ae|ya|eo|ye|wa|oe|yo|wo|we|wi|yu|eu|ui|oo|ee|a|e|o|u|i)"
    r"(?:ng|k|n|t|l|m|p)?"
)
_KO_GIVEN = rf"[A-Z](?i:{_KO_SYLLABLE})-(?:{_KO_SYLLABLE})"
_KO_ROMAN_NAME = re.compile(
    rf"(?<![\w-])(?:(?:{_KO_ROMAN_SURNAMES})[ \t]+{_KO_GIVEN}|{_KO_GIVEN}[ \t]+(?:{_KO_ROMAN_SURNAMES}))(?![\w-])"
)
_NOT_KO_GIVEN = frozenset(("wi-fi", "hi-fi", "sci-fi", "yo-yo", "bo-ho", "ta-da", "ha-ha", "no-no", "so-so"))
#: Cyrillic letters; a capitalised Cyrillic word; the endings of East Slavic and Bulgarian family names
#: ("Иванов", "Петрова", "Шевченко", "Кузнецова", "Ковальчук", "Павлович", "Бондаренко", "Левицька").
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CYR_FULL = re.compile(
    r"(?<![\w-])(?P<first>[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+)(?=[ \t]+"
    r"(?P<last>[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+(?:-[А-ЯЁІЇЄҐ][а-яёіїєґ'’]+)?)(?![\w-]))"
)
_CYR_SURNAME_END = re.compile(
    r"(?:ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|ська|ський|цкий|цкая|цька|цький|енко|ук|юк|чук|ич|вич|"
    r"ович|евич|ко|як|ян|ишвили|швили|дзе|ой|ая)$"
)
#: Cyrillic letters in Latin, as the packaged given names are written ("Сергей" → "sergei", "Олена" → "olena").
_CYR_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye", "ж": "zh",
        "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "'": "", "’": "",
    }
)  # fmt: skip


def _cyrillic_given(word: str, is_first: Callable[[str], bool]) -> bool:
    """Whether a Cyrillic word is a packaged given name in one of its usual Latin spellings ("Дмитрий":
    dmitrii, dmitriy, dmitry; "Мария": mariia, mariya, maria; "Сергей": sergei, sergey)."""
    latin = word.lower().translate(_CYR_LATIN)
    forms = {latin, latin.replace("ii", "iy"), latin.replace("ii", "y"), latin.replace("iya", "ia"),
             latin.replace("iya", "ya"), latin.replace("ia", "ya"), latin.replace("ei", "ey")}  # fmt: skip
    if latin.endswith("i"):
        forms.add(latin[:-1] + "y")
    if word.lower().startswith("г"):
        forms.add("h" + latin[1:])  # Ukrainian "Г" is "h" ("Галина" → halyna)
    return any(is_first(form) for form in forms)


#: A label of a person's name in Arabic ("الاسم:", "الاسم الكامل:", "اسم العميل:") and two to four Arabic words
#: after it, up to the end of the field.
_AR_NAME = re.compile(
    r"(?:الاسم(?:\s+(?:الكامل|بالكامل))?|اسم\s+(?:العميل|الزبون|المستلم|المرسل|صاحب\s+الحساب))\s*[:：]\s*"
    r"(?P<name>[\u0621-\u064a]{2,}(?:[ \t]+[\u0621-\u064a]{2,}){1,3})(?=[ \t]*(?:$|\n|[،,;.|]))",
    re.MULTILINE,
)


def _korean_romanised(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`_KO_ROMAN_NAME`, looked for around each hyphen between two letters only (a long
    text is not scanned whole for the family names)."""
    done = 0
    i = text.find("-")
    while i != -1:
        if 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].islower() and i >= done:
            for m in _KO_ROMAN_NAME.finditer(text, max(i - 14, done), min(len(text), i + 24)):
                if m.start() <= i < m.end():
                    done = m.end()
                    yield m
                    break
        i = text.find("-", i + 1)


def _script_names(text: str, is_first: Callable[[str], bool]) -> _Found:
    """Names in Cyrillic (a packaged given name and a family name of a Slavic form), romanised Korean names
    (a common family name and a hyphenated given name of Korean syllables) and Arabic names after a label."""
    if "-" in text:
        for m in _korean_romanised(text):
            if any(w.lower() in _NOT_KO_GIVEN for w in m.group().split()):
                continue  # "Oh Wi-fi": a hyphenated word of syllables that is no given name
            yield m.start(), m.end(), "Korean family name and given name in Latin letters"
    if text.isascii():
        return
    if _CYRILLIC.search(text) is not None:
        for m in _CYR_FULL.finditer(text):
            if _CYR_SURNAME_END.search(m.group("last").lower()) and _cyrillic_given(
                m.group("first"), is_first
            ):
                yield (
                    m.start(),
                    m.end("last"),
                    "listed first name followed by a Slavic family name (Cyrillic)",
                )
    if "اسم" in text:
        for m in _AR_NAME.finditer(text):
            yield m.start("name"), m.end("name"), "name after a label for a person's name (Arabic)"


def _cjk_names(text: str) -> _Found:
    """Chinese names before an honorific, Korean names before one, Thai names after คุณ."""
    if _HAN.search(text) is not None:
        for m in _ZH_NAME.finditer(text):
            yield m.start(), m.end(), "Chinese family name and given name before an honorific"
        if any(role in text for role in _ZH_ROLE_BEFORE):
            for m in _ZH_NAME_AFTER_ROLE.finditer(text):
                yield m.start("name"), m.end("name"), "Chinese family name and given name before an honorific"
            for m in _ZH_NAME_SPACED_AFTER_ROLE.finditer(text):
                yield m.start("name"), m.end("name"), "Chinese family name and given name after a role noun"
        if any(label in text for label in _ZH_NAME_LABELS):
            for m in _ZH_NAME_AFTER_LABEL.finditer(text):
                yield m.start("name"), m.end("name"), "Chinese family name and given name after a name label"
    if _HANGUL.search(text) is not None:
        for m in _KO_NAME.finditer(text):
            if m.group() not in _KO_NOT_NAMES:
                yield m.start(), m.end(), "Korean family name and given name before an honorific"
        for m in _KO_NAME_AFTER_ROLE.finditer(text):
            if m.group("name") not in _KO_NOT_NAMES:
                yield m.start("name"), m.end("name"), "Korean family name and given name after a role noun"
    if "คุณ" in text:
        for m in _TH_NAME.finditer(text):
            if not m.group("given").startswith(_TH_NOT_GIVEN):
                yield m.start(), m.end(), "Thai title followed by a given name and a surname"


_HANGUL = re.compile(r"[\uac00-\ud7af]")


#: A price or a discount ("£149.00", "22,95 €", "-30 %", "USD 40"), or a collaboration's "x" right after a
#: name ("Mr Porter x Fernhill"): what a title and a surname without a given name are in an offer.
_OFFER = re.compile(
    r"[€$£¥₹]\s?\d|\d(?:[.,]\d{1,2})?\s?(?:€|%|eur\b|usd\b|gbp\b|chf\b|zł|kr\b|kč|lei\b)|"
    r"\b(?:eur|usd|gbp|chf)\s?\d",
    re.IGNORECASE,
)
_COLLAB = re.compile(r"(?:'s)?[ \t]+[x×][ \t]+[^\W\d_]")
#: A greeting right before a title ("Dear Mrs. Patel", "Liebe Frau Weber"): the one addressed is a person.
_GREETING_BEFORE = re.compile(
    r"\b(?:dear|hi|hello|hey|liebe[rs]?|sehr\s+geehrte[rs]?|hallo|cher|ch[èe]re|bonjour|estimad[oa]s?|hola|"
    r"caro|cara|gentile|prezado|prezada|beste|geachte)[ \t]*[,:]?[ \t]*$",
    re.IGNORECASE,
)
#: Words of a person's dealings between a name and an amount ("will refund your £40").
_PERSONAL_CLAUSE = re.compile(
    r"\b(?:you|your|his|her|their|my|refund\w*|paid|pays|owes?|ordered|account|booking|invoice|"
    r"ihre?|ihnen|sein(?:e|en)?|zahlte|bezahlt|votre|vous|son|sa|ses|su|sus|tu|sua|seu|jouw|uw|zijn|haar)\b",
    re.IGNORECASE,
)
#: Where the clause after a name ends: a sentence's end (not the dot of a price) or a new line.
_CLAUSE_END = re.compile(r"[.!?](?!\d)|\n")


def _titled_brand(text: str, m: re.Match[str], is_first: Callable[[str], bool]) -> bool:
    """Whether a title and a name are a brand or a product made of them ("Dr. Martens boots now £149",
    "Dr. Hauschka Rosencreme – 22,95 €", "Mrs. Meyer's … buy 2", "Mr Porter x Fernhill"): no given name
    (one word, or two whose first is no listed given name) and an offer's price or discount in the same
    clause, or a collaboration's "x" right after it. A person named with a title and a price nearby ("Dr.
    Smith will refund the £40") is missed so; with a given name ("Dr. Anna Smith") never."""
    words = m.group("name").split()
    # "Dr. Oetker Pizza Ristorante": a surname and the product's words after it; not "Dr. Anna Smith"
    if len(words) > 3 or (len(words) >= 2 and is_first(words[0])):
        return False
    if _COLLAB.match(text, m.end()):
        return True
    if _GREETING_BEFORE.search(text, max(0, m.start() - 20), m.start()):
        return False  # "Dear Mrs. Patel, your refund of £40…": a person addressed
    return _offered(text, m.end())


def _offered(text: str, end: int) -> bool:
    """Whether an offer's price or discount follows ``end`` (a name's end) in its clause, with no word of a
    person's dealings between them ("Dr. Smith will refund your £40", "Frau Weber hat Ihre 30 € erhalten")."""
    stop = _CLAUSE_END.search(text, end, end + 80)
    limit = stop.start() if stop else min(len(text), end + 80)
    offer = _OFFER.search(text, end, limit)
    return offer is not None and _PERSONAL_CLAUSE.search(text, end, offer.start()) is None


def _offered_brand(text: str, start: int, end: int) -> bool:
    """Whether a full name without a title is a brand made of a person's name in an offer ("Tommy Hilfiger,
    Ted Baker and Paul Smith shirts — up to 40% off", "le parfum Jean Paul Gaultier Le Male, 89 €"): an
    offer's price or discount later in its clause, no greeting before it and no word of a person's dealings
    in the clause ("Paul Smith paid £40", "Hi Anna Berg, 20% off for you" stay names)."""
    if _GREETING_BEFORE.search(text, max(0, start - 20), start):
        return False
    cut = max(0, start - 80)
    for stop in _CLAUSE_END.finditer(text, cut, start):
        cut = stop.end()
    return _offered(text, end) and _PERSONAL_CLAUSE.search(text, cut, start) is None


#: The word right after a name ("Bridge" in "Samuel Beckett Bridge").
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")


#: An e-mail header's display name before its address ('From: "Ellis, Harriet" <h.ellis@…>', "Reply-To: Ana
#: Souza <ana@…>"): "Surname, Given" always, a plain name only when its first word is a listed given name (a
#: brand's sender name, "Fernhill Outdoor <hello@…>", is none).
_DISPLAY_NAME = re.compile(
    rf"(?<![\w-])(?i:from|to|cc|bcc|reply-to|sender|von|an|de|para|van|aan)[ \t]*:[ \t]*\"?"
    rf"(?:(?P<comma>{_CAP},[ \t]+{_CAP})|(?P<plain>{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_CAP}){{1,3}}))"
    r"\"?[ \t]*<[^<>\s@]+@"
)
#: A CSV header's column of people's names ("full_name,city,signup", "name,email,phone").
_CSV_NAME_COLUMNS = frozenset(
    re.findall(
        r"\S+",
        "name full_name fullname full_name customer_name customer client_name contact_name contact "
        "recipient holder cardholder nombre nome naam navn namn nom imie_nazwisko",
    )
)
#: A name column's key between commas or at a line's end (a quick test before a text is read as a table).
_CSV_HEADER = re.compile(
    rf"(?:^|,)[ \t]*\"?(?i:{'|'.join(sorted(_CSV_NAME_COLUMNS, key=len, reverse=True))})\"?[ \t]*(?:,|$)",
    re.MULTILINE,
)
_CSV_VALUE = re.compile(
    rf"[ \t]*\"?(?P<name>{_CAP}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_CAP}){{1,3}})\"?[ \t]*"
)


def _csv_names(text: str) -> _Found:
    """Names in the name column of a CSV table: a header line of comma-separated keys, one of them a name's
    (:data:`_CSV_NAME_COLUMNS`) among at least one other, and the rows with as many fields after it."""
    pos = 0
    header: list[str] | None = None
    column = -1
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        fields = line.split(",")
        if header is not None and len(fields) == len(header):
            offset = start + sum(len(f) + 1 for f in fields[:column])
            m = _CSV_VALUE.fullmatch(fields[column])
            if m is not None and not any(w.lower() in _NOT_IN_LABELLED_NAME for w in m.group("name").split()):
                yield offset + m.start("name"), offset + m.end("name"), "name in a table's name column"
            continue
        keys = [f.strip().strip('"').lower() for f in fields]
        header, column = None, -1
        if len(keys) >= 2 and all(k and len(k) <= 30 and " " not in k for k in keys):
            names = [i for i, k in enumerate(keys) if k in _CSV_NAME_COLUMNS]
            if len(names) == 1:
                header, column = keys, names[0]


def may_hold_name(text: str) -> bool:
    """Whether :func:`find_person_names` can find a name in ``text``: a title before a capitalised word, two
    capitalised words, or a Japanese family name (a quick test: no list is looked up)."""
    return (
        _NAME_WITH_TITLE.search(text) is not None
        or _NAME_WITH_WEAK_TITLE.search(text) is not None
        or _NAME_LABEL.search(text) is not None
        or next(_more_label_matches(text), None) is not None
        or next(_label_at_matches(text), None) is not None
        or _FULL_NAME.search(text) is not None
        or ("," in text and "\n" in text and _CSV_HEADER.search(text) is not None)
        or (not text.isascii() and _JA_NAME.search(text) is not None)
        or ("-" in text and next(_korean_romanised(text), None) is not None)
        or (not text.isascii() and (_CYR_FULL.search(text) or _AR_NAME.search(text)) is not None)
        or (
            not text.isascii()
            and (
                _ZH_NAME.search(text)
                or _ZH_NAME_AFTER_LABEL.search(text)
                or _KO_NAME.search(text)
                or _KO_NAME_AFTER_ROLE.search(text)
                or _ZH_NAME_SPACED_AFTER_ROLE.search(text)
                or _TH_NAME.search(text)
            )
        )
        is not None
    )


def find_person_names(text: str, is_first: Callable[[str], bool] | None = None) -> _Found:
    names = first_names()
    listed = is_first or (lambda w: w.lower() in names)

    def check(word: str) -> bool:  # "Lucía", "João", "Seán": the list is written without accents
        return listed(word) or (not word.isascii() and listed(_fold(word)))

    named: set[int] = set()  # the offsets inside a name found after a title (a set: a test per candidate)
    for m in _NAME_WITH_TITLE.finditer(text):
        if _titled_brand(text, m, check):
            continue
        if m.group()[:1] == "M" and m.group().startswith(_SPELLED_TITLES) and " " not in m.group("name"):
            continue  # "Madame Figaro", "Monsieur Cuisine": a spelled-out title names a person with two words

        named.update(range(*m.span("name")))
        yield m.start(), m.end(), "title followed by a name"
    for start, end, detail in _labelled_names(text):
        if start not in named:
            named.update(range(start, end))
            yield start, end, detail
    if "@" in text and "<" in text:
        for m in _DISPLAY_NAME.finditer(text):
            group = "comma" if m.group("comma") is not None else "plain"
            if group == "plain" and not check(m.group(group).split()[0]):
                continue
            if m.start(group) not in named:
                named.update(range(*m.span(group)))
                yield m.start(group), m.end(group), "display name of an e-mail address"
    if "," in text and "\n" in text and _CSV_HEADER.search(text) is not None:
        for start, end, detail in _csv_names(text):
            if start not in named:
                named.update(range(start, end))
                yield start, end, detail
    for m in _NAME_WITH_WEAK_TITLE.finditer(text):
        if m.group("name").split()[0].lower() in _NOT_NAMED_BY_TITLE or m.start("name") in named:
            continue
        if _VI_TITLE.match(text, m.start()) and _after_capitalised_word(text, m.start()):
            continue  # "Hai Bà Trưng", "Bà Rịa": a Vietnamese title inside a place's name
        named.update(range(*m.span("name")))
        yield m.start(), m.end(), "title followed by a name"
    if not text.isascii():
        yield from _japanese_names(text)
        for start, end, detail in _cjk_names(text):
            if start not in named:
                named.update(range(start, end))
                yield start, end, detail
    for start, end, detail in _script_names(text, check):
        if start not in named:
            named.update(range(start, end))
            yield start, end, detail
    for start, end, detail in _romaji_names(text):
        if start not in named:
            named.update(range(start, end))
            yield start, end, detail
    for m in _FULL_NAME.finditer(text):
        first, last = m.group("first"), m.group("last")
        if not check(first) or last.lower() in _NOT_SURNAMES or check(last):
            continue
        if m.start() in named or _after_place_word(text, m.start()):
            continue  # "Aeropuerto Jorge Chávez", "Piazza Giuseppe Garibaldi": a place named after a person
        after = _NEXT_WORD.match(text, m.end("last"))
        if after is not None and after.group(1).lower() in _PLACE_AFTER:
            continue  # "Samuel Beckett Bridge", "Nelson Mandela Bay": a place named after a person
        if _OFFER.search(text, m.end("last"), m.end("last") + 80) and _offered_brand(
            text, m.start(), m.end("last")
        ):
            continue  # "Paul Smith shirts — up to 40% off": a brand made of a person's name, on offer
        # the first word of a sentence may be capitalised for another reason; the list decides
        yield m.start(), m.end("last"), "listed first name followed by a capitalised surname"
