"""How the gate reads an audience: attribute names, the values that name a special category, and the ages a
set of criteria reaches.

* **Names** are read in canonical form (:func:`~brandrail.gate.principal.canonical_id`: zero-width
  characters, look-alike letters and accents do not hide them) and split into words at separators and at
  camelCase humps, so "sexualOrientation", "ethnic_group" and "eth\\u200bnicity" are read as words.
* **Values** are read the same way and matched against :data:`SENSITIVE_VALUES`, terms that name a special
  category by themselves ("interests: diabetes", "segment: LGBTQ", "lookalike: Muslims"). The lists hold
  identities, conditions and affiliations, not words that are mostly something else ("black", "pride",
  "temple"), so a product colour or a store name is not read as one.
* **Ages**: the criteria of one audience hold together (AND), so their age bounds make one interval. An
  interval open at the bottom ("age < 30", "age ≤ 18") reaches children; "age ≥ 18" with "age < 30" does
  not. Birth years and dates of birth bound the age too ("birth_year > 2012"), and so do strings ("13-17",
  "under 18", "18+").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from brandrail.gate.parties import names_party_by_name
from brandrail.gate.principal import canonical_id

__all__ = [
    "MINOR_WORDS",
    "PROTECTED_SYNONYMS",
    "PROTECTED_VALUES",
    "PROXY_VALUES",
    "SENSITIVE_VALUES",
    "AgeBounds",
    "age_bounds",
    "matches_category",
    "minors_named",
    "modelled_criterion",
    "name_words",
    "protected_attribute",
    "protected_value",
    "proxy_value",
    "segment_attribute",
    "sensitive_attribute",
    "sensitive_value",
]

_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: Anything but a letter or digit of any script (and "+", as in "lgbtq+"): Greek, Arabic or Polish words
#: are words too ("ηλικία", "الجنسية", "płeć"), not separators.
#: The Indic scripts' vowel signs (Devanagari to Sinhala) are marks, not letters, to ``\w``: they stay in the
#: word ("लिंग", sex in Hindi, is one word, not two letters).
_NOT_WORD = re.compile(r"[^\w+\u0900-\u0dff]+|_+")
#: Characters that render as nothing between two letters: a joiner or a word joiner inside
#: "Health\u200dCondition" must not hide the camelCase hump it sits on.
_JOINERS = re.compile("[\u00ad\u034f\u115f\u1160\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                      "\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")  # fmt: skip


def name_words(name: str) -> list[str]:
    """The words of an attribute name or value: camelCase humps and any separator split it, after the
    canonical form (so zero-width characters, look-alike letters and accents change nothing)."""
    return list(_words(str(name)))


#: Kana, CJK ideographs and Hangul: scripts written without spaces between words.
_CJK_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
#: The Chinese, Japanese and Korean terms of this module's lists in canonical form (set at the end of the
#: module), found inside a longer run of those scripts: "宗教信仰" (religious belief) holds "宗教" and "信仰".
_CJK_INSIDE: re.Pattern[str] | None = None
_CJK_WHOLE: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)  # the category and value lists are read for every criterion of every audience
def _words(name: str) -> tuple[str, ...]:
    if not name.isascii():
        name = _JOINERS.sub("", name)
    words = tuple(w for w in _NOT_WORD.split(canonical_id(_HUMP.sub(" ", name))) if w)
    if _CJK_INSIDE is None or name.isascii() or _CJK_SCRIPT.search(name) is None:
        return words
    # a run that is not itself a term is read with the terms it holds after it, as words of their own
    inside = [t for w in words if w not in _CJK_WHOLE for t in _CJK_INSIDE.findall(w) if t != w]
    return (*words, *inside) if inside else words


def _folded(terms: Iterable[str]) -> tuple[str, ...]:
    """``terms`` as :func:`name_words` reads them (accents folded, look-alike letters as Latin, words joined by
    one space), so a list can be written in each language's own spelling ("płeć", "ηλικία", "køn")."""
    return tuple(" ".join(_words(term)) for term in terms)


def _extend(
    table: dict[str, tuple[str, ...]], more: dict[str, tuple[str, ...]], *, fold: bool = True
) -> None:
    """Add each key's terms of ``more`` (another language's, :func:`_folded` unless ``fold`` is false) to
    ``table``'s list for that key."""
    for key, terms in more.items():
        table[key] = table[key] + (_folded(terms) if fold else terms)


#: Values that name a special category on their own, per category of ``gate.sensitive_categories`` (a
#: category the policy leaves out is not looked for). Multi-word terms are matched as words in a row.
SENSITIVE_VALUES: dict[str, tuple[str, ...]] = {
    "health": (
        "diabetes", "diabetic", "cancer", "chemotherapy", "hiv", "hiv aids", "depression", "anxiety disorder",
        "bipolar", "schizophrenia", "mental illness", "mental health condition", "pregnancy", "pregnant",
        "ivf", "infertility", "fertility treatment", "miscarriage", "abortion", "disability", "disabled",
        "wheelchair user", "autism", "autistic", "adhd", "dementia", "alzheimers", "alzheimer s", "obesity",
        "eating disorder", "anorexia", "bulimia", "addiction", "alcoholism", "substance abuse", "rehab",
        "sexually transmitted", "herpes", "hepatitis", "epilepsy", "multiple sclerosis", "parkinsons", "parkinson s",
        "chronic illness", "terminal illness", "arthritis", "asthma", "erectile dysfunction", "menopause",
    ),
    "ethnicity": (
        "hispanic", "latino", "latina", "latinx", "african american", "caucasian", "asian american",
        "arab american", "ethnic minority", "ethnic minorities", "romani", "indigenous people", "indigenous peoples",
        "aboriginal", "first nations",
    ),
    "race": ("african american", "caucasian", "people of colour", "people of color", "bame", "bipoc"),
    "religion": (
        "muslim", "muslims", "islam", "islamic", "christians", "christianity", "evangelical", "catholic",
        "catholics", "protestant", "protestants", "mormon", "mormons", "jewish", "jews", "judaism", "hindu",
        "hindus", "hinduism", "sikh", "sikhs", "sikhism", "buddhist", "buddhists", "buddhism", "atheist",
        "atheists", "jehovah s witness", "jehovahs witnesses",
    ),
    "sexual_orientation": (
        "lgbt", "lgbtq", "lgbtqia", "lgbtq+", "gay", "gays", "lesbian", "lesbians", "bisexual", "queer",
        "homosexual", "same sex",
    ),
    "gender_identity": ("transgender", "non binary", "nonbinary", "genderqueer", "gender fluid"),
    "political": (
        "democrat", "democrats", "republican", "republicans", "labour voter", "labour voters", "tory voter",
        "tory voters", "conservative voters", "liberal voters", "green party", "trump supporters",
        "biden supporters", "far right", "far left", "socialist", "socialists", "communist", "communists",
    ),
    "union": ("union member", "union members", "trade unionist", "trade unionists"),
}  # fmt: skip

#: The same lists' terms in the other languages the gate reads (German, French, Spanish, Italian, Dutch,
#: Portuguese; accents are folded, so "jüdisch" is "judisch"), merged into :data:`SENSITIVE_VALUES`. Words that
#: are mostly something else are left out here too ("Krebs", a crab; "Christ", a surname; "salute").
_SENSITIVE_VALUES_OTHER: dict[str, tuple[str, ...]] = {
    "health": (
        "diabetiker", "diabetikerin", "diabetique", "diabetiques", "diabetico", "diabetica", "diabeticos",
        "schwanger", "schwangere", "schwangerschaft", "enceinte", "enceintes", "grossesse", "embarazada",
        "embarazadas", "embarazo", "incinta", "gravidanza", "zwanger", "zwangerschap", "gravida", "gravidas",
        "gravidez", "depressionen", "depressione", "depresion", "depressao", "demenz", "demence", "demencia",
        "demenza", "dementie", "behindert", "behinderte", "handicape", "handicapes", "discapacitado",
        "discapacitados", "disabile", "disabili", "gehandicapt", "gehandicapten", "deficiente fisico",
        "krebspatienten", "krebserkrankung", "cancro", "malati di cancro", "kanker", "kankerpatienten",
        "unfruchtbarkeit", "infertilite", "infertilidad", "infertilita", "onvruchtbaarheid",
        "suchtkranke", "alcoolisme", "alcoholismo", "alcolismo", "verslaving",
    ),
    "ethnicity": (
        "migrationshintergrund", "auslander", "einwanderer", "immigres", "immigrants", "inmigrantes",
        "immigrati", "immigranten", "imigrantes", "gitanos", "gitans", "roma und sinti", "latinos",
        "allochtonen", "minorites ethniques", "minorias etnicas", "minoranze etniche", "etnische minderheden",
    ),
    "race": ("personnes noires", "personas negras", "persone nere", "zwarte mensen", "pessoas negras"),
    "religion": (
        "muslimisch", "muslimische", "muslime", "musulman", "musulmans", "musulmane", "musulmanes",
        "musulmano", "musulmani", "moslim", "moslims", "islamitisch", "muculmano", "muculmanos",
        "katholisch", "katholische", "katholiken", "catholique", "catholiques", "catolico", "catolicos",
        "catolica", "catolicas", "cattolico", "cattolici", "cattolica", "katholiek", "katholieken",
        "evangelisch", "evangelische", "protestantisch", "protestante", "protestantes", "protestanti",
        "evangelikal", "evangelique", "evangeliques", "evangelico", "evangelicos", "evangelica", "evangelicas",
        "judisch", "judische", "juden", "juif", "juifs", "juive", "juives", "judio", "judios", "judia",
        "judias", "ebreo", "ebrei", "ebraico", "joods", "joodse", "joden", "judeu", "judeus", "judaica",
        "hindou", "hindous", "hinduistisch", "buddhistisch", "bouddhiste", "bouddhistes", "budista",
        "budistas", "buddista", "buddisti", "boeddhist", "boeddhisten", "atheistisch", "athee", "athees",
        "ateo", "ateos", "ateu", "ateus", "ateista", "atei", "cristianos", "cristiani", "cristaos",
        "chretiens", "christenen", "glaubige", "gelovigen",
        "zeugen jehovas", "temoins de jehovah", "testigos de jehova", "testimoni di geova",
    ),
    "sexual_orientation": (
        "schwul", "schwule", "lesbisch", "lesbische", "bisexuell", "homosexuell", "homosexuelle", "homosexuel",
        "homosexuels", "homosexuales", "omosessuale", "omosessuali", "homoseksueel", "homoseksuelen",
        "homossexual", "homossexuais", "gays et lesbiennes", "lesbiennes", "lesbianas",
        "lesbiche", "lesbiennes", "lesbicas",
    ),
    "gender_identity": ("transgeschlechtlich", "transgenre", "transgenero", "transgenere", "nicht binar"),
    "political": (
        "wahler der", "wahlerinnen der", "electeurs du", "votantes del", "votantes de", "elettori del",
        "kiezers van", "eleitores do", "sozialdemokraten", "socialistes", "socialistas", "socialisti",
        "socialisten", "kommunisten", "communistes", "comunistas", "comunisti", "communisten", "rechtsextreme",
        "linksextreme", "extreme droite", "extreme gauche", "extrema derecha", "extrema izquierda",
        "estrema destra", "estrema sinistra", "extreemrechts", "extreemlinks",
    ),
    "union": (
        "gewerkschaftsmitglied", "gewerkschaftsmitglieder", "gewerkschafter", "gewerkschaftlich organisiert",
        "syndique", "syndiques", "syndiquee", "syndiquees", "syndicaliste", "syndicalistes",
        "membres du syndicat", "sindicalista", "sindicalistas", "sindicalizado", "sindicalizados",
        "afiliados al sindicato", "miembros del sindicato", "sindacalista", "sindacalisti",
        "iscritti al sindacato", "iscritto al sindacato", "vakbondslid", "vakbondsleden", "sindicalizados",
        "membros do sindicato", "filiados ao sindicato",
    ),
}  # fmt: skip
_extend(SENSITIVE_VALUES, _SENSITIVE_VALUES_OTHER, fold=False)

#: The same lists' terms in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic,
#: written in their own spelling and read as :func:`name_words` reads them. Words that are mostly something
#: else are left out here too ("meleg", warm; "sünni"; "سنة", a year).
_SENSITIVE_VALUES_MORE: dict[str, tuple[str, ...]] = {
    "health": (
        "cukrzyca", "cukrzycy", "diyabet", "diyabetik", "diabetiker", "cukorbeteg", "cukorbetegek",
        "cukorbetegség", "διαβήτης", "διαβητικοί", "السكري", "مرضى السكري", "ciąża", "w ciąży", "hamile",
        "hamileler", "gravid", "gravida", "raskaana", "raskaus", "terhes", "terhesek", "έγκυος", "έγκυες",
        "حامل", "الحوامل", "depresja", "depresyon", "masennus", "depresszió", "κατάθλιψη", "الاكتئاب",
    ),
    "ethnicity": ("romowie", "romanlar", "romer", "romanit", "romák", "ρομά", "الغجر"),
    "religion": (
        "katolicy", "katolik", "katolickie", "katolicki", "muzułmanie", "muzułmanin", "żydzi", "prawosławni",
        "müslüman", "müslümanlar", "hristiyan", "hristiyanlar", "yahudi", "yahudiler", "alevi", "aleviler",
        "muslimer", "kristna", "kristne", "judar", "jøder", "katoliker", "katolikker", "muslimit",
        "kristityt", "juutalaiset", "katolilaiset", "muszlim", "muszlimok", "katolikus", "katolikusok",
        "református", "reformátusok", "zsidó", "zsidók", "keresztény", "keresztények", "μουσουλμάνοι",
        "μουσουλμάνος", "ορθόδοξος", "ορθόδοξοι", "καθολικοί", "εβραίοι", "مسلم", "مسلمين", "المسلمين",
        "مسيحي", "مسيحيين", "المسيحيين", "يهود", "اليهود", "شيعة", "الشيعة",
        # a religious observance names its observers ("Ramadan iftar recipes", "keeps Yom Kippur"); a holiday
        # most people keep whatever their faith is left out ("Christmas markets", "Easter egg hunts")
        "ramadan", "ramazan", "iftar", "suhoor", "sehri", "eid", "eid al fitr", "eid ul fitr", "eid al adha",
        "eid ul adha", "eid mubarak", "ramazan bayramı", "kurban bayramı", "رمضان", "عيد الفطر", "عيد الأضحى",
        "yom kippur", "rosh hashanah", "rosh hashana", "hanukkah", "chanukah", "shabbat", "passover seder",
        "vaisakhi", "navratri", "durga puja", "diwali", "deepavali", "vesak", "wesak", "purim", "sukkot",
        "lent fasting", "kosher", "halal", "jummah", "yom tov",
    ),
    "sexual_orientation": (
        "geje", "gejów", "lesbijki", "eşcinsel", "eşcinseller", "homosexuella", "homofile", "homoseksuelle",
        "homot", "homoszexuálisok", "ομοφυλόφιλοι", "مثليين", "المثليين", "lhbt", "lhbt+", "hbtq", "hbtq+",
        "hbtqi", "lhbtq",
    ),
    "gender_identity": ("transpłciowi", "trans bireyler", "transpersoner", "transsukupuoliset", "τρανς"),
    "political": ("wyborcy pis", "wyborcy po", "akp seçmenleri", "chp seçmenleri", "sverigedemokrater"),
    "union": (
        # unions named by their name: members of one are union members
        "unite the union", "teamsters", "afl cio", "ig metall", "ver di", "cfdt", "ccoo", "gmb union",
        "związkowcy", "sendika üyeleri", "sendikalı", "fackmedlemmar", "fagorganisert", "fagorganiserte",
        "ammattiliiton jäsenet", "szakszervezeti tagok", "συνδικαλιστές", "النقابيين",
    ),
}  # fmt: skip
#: Things only people with a condition use or follow: a device, a treatment, a fellowship. "Followers of
#: Alcoholics Anonymous" and "insulin pumps" select by health as much as "diabetes" does. Things bought for
#: others as often ("hearing aids", "wheelchairs") are left out.
_CONDITION_PROXIES = (
    "insulin", "insulin pump", "insulin pumps", "glucose monitor", "glucose monitors",
    "continuous glucose monitor", "continuous glucose monitors", "cgm sensors", "blood glucose", "dialysis",
    "chemo", "antidepressants", "antidepressant", "methadone", "alcoholics anonymous", "narcotics anonymous",
    "gamblers anonymous", "al anon", "colostomy", "ostomy",
)  # fmt: skip
_SENSITIVE_VALUES_MORE["health"] = _SENSITIVE_VALUES_MORE["health"] + _CONDITION_PROXIES
_extend(SENSITIVE_VALUES, _SENSITIVE_VALUES_MORE)

#: Emoji that stand for a special category when a criterion selects them ("interests: 🏳️‍🌈"): flags and
#: symbols of an identity or a faith. Read in the value as written, variation selectors dropped.
_SENSITIVE_SYMBOLS: dict[str, tuple[str, ...]] = {
    "sexual_orientation": ("\U0001f3f3\u200d\U0001f308",),  # rainbow flag
    "gender_identity": ("\U0001f3f3\u200d\u26a7", "\u26a7"),  # transgender flag and symbol
    # star and crescent, star of David, menorah, Orthodox cross, Kaaba, mosque, synagogue, place of worship
    "religion": ("\u262a", "\u2721", "\U0001f54e", "\u2626", "\U0001f54b", "\U0001f54c", "\U0001f54d",
                 "\U0001f6d0"),
}  # fmt: skip

#: A political party named by the word for party (any of the languages) next to a word a party is named
#: by: "Labour Party", "Partido Socialista", "Parti socialiste", "Partij van de Arbeid". A party of another
#: kind ("birthday party", "garden party", "Gartenparty") has no such word beside it.
_PARTY_WORDS = frozenset(
    ("party", "parties", "partei", "parteien", "parti", "partis", "partido", "partidos", "partito", "partiti",
     "partij", "partijen")
)  # fmt: skip
#: Words a party's name puts right before the word for party ("Conservative Party", "Sozialdemokratische
#: Partei", "People's Party") and words it puts after it ("Partido Socialista", "Parti socialiste", "Partij van
#: de Arbeid"). Words a celebration is named by are left out ("pirate party", "Independence Day party").
_PARTY_BEFORE = frozenset(
    (
        "labour", "labor", "conservative", "liberal", "democratic", "democrat", "republican", "socialist",
        "communist", "green", "national", "nationalist", "workers", "people", "peoples", "reform",
        "progressive", "libertarian", "tory", "unionist", "freedom", "brexit", "sozialdemokratische",
        "christlich", "demokratische", "kommunistische", "nationaldemokratische", "socialistische",
        "volks", "democratische",
    )
)  # fmt: skip
_PARTY_AFTER = frozenset(
    (
        "socialiste", "communiste", "republicains", "ecologiste", "socialista", "comunista", "obrero", "verde",
        "verdes", "popular", "democratico", "democratica", "democrata", "democrate", "arbeid", "vrijheid",
        "dieren", "linke", "trabalhadores", "nazionale", "national", "liberal", "liberale", "conservador",
        "conservateur", "conservatore",
    )
)  # fmt: skip


def _names_party(words: Sequence[str]) -> str | None:
    """The words naming a political party in ``words`` (the word for party, see :data:`_PARTY_WORDS`, with a
    party's name word beside it), else None."""
    for i, word in enumerate(words):
        if word not in _PARTY_WORDS:
            continue
        j = i - 2 if i >= 2 and words[i - 1] == "s" else i - 1  # "people's party"
        if j >= 0 and words[j] in _PARTY_BEFORE:
            return " ".join(words[j : i + 1])
        after = [k for k in range(i + 1, min(len(words), i + 4)) if words[k] in _PARTY_AFTER]
        if after:
            return " ".join(words[i : after[0] + 1])
    return None


#: The ``gate.sensitive_categories`` names (any of them) that switch on each list above.
_ENABLED_BY: dict[str, frozenset[str]] = {
    "health": frozenset(("health", "medical", "diagnosis", "pregnancy", "disability", "genetic")),
    "ethnicity": frozenset(("ethnicity", "ethnic", "race", "racial")),
    "race": frozenset(("race", "racial", "ethnicity", "ethnic")),
    "religion": frozenset(("religion", "religious", "faith")),
    "sexual_orientation": frozenset(("sexual_orientation", "sexuality")),
    # "LGBTQ" in the sexual_orientation list already names trans people: a policy that lists sexual
    # orientation reads gender identity too ("transgender", "non-binary", the transgender flag)
    "gender_identity": frozenset(("gender_identity", "sexual_orientation", "sexuality")),
    "political": frozenset(("political", "politics")),
    "union": frozenset(("union", "trade_union")),
}

#: Words for women or men, mothers or fathers, and the salutations and pronouns that give one's sex away
#: ("segment: ladies", "title in [Mrs, Ms, Miss]", "pronouns: she/her"). They name a group only as the whole
#: value (or with "only"): "Ladies night", "Miss Selfridge" and "Mother's Day" are events and shops. "Mr" is
#: left out ("Mr Porter").
_SEX_WORDS = (
    "lady", "ladies", "gentleman", "gentlemen", "girls", "boys", "mothers", "mums", "moms", "fathers", "dads",
    "wives", "husbands", "mrs", "ms", "miss", "she her", "he him",
)  # fmt: skip

#: Values that name a protected attribute on their own, per ``gate.protected_attributes`` name: a price or
#: discount for "women" or "seniors" is keyed on gender or age whatever the segment's key is called.
PROTECTED_VALUES: dict[str, tuple[str, ...]] = {
    "gender": ("women", "woman", "men", "female", "females", "male", "males", "non binary", "nonbinary"),
    "sex": ("women", "woman", "men", "female", "females", "male", "males"),
    "age": (
        "seniors", "senior citizens", "pensioners", "retirees", "over 60s", "over 65s", "over 50s",
        "under 25s", "under 30s", "teens", "teenagers", "millennials", "gen z", "boomers", "elderly",
    ),
    "race": SENSITIVE_VALUES["race"] + SENSITIVE_VALUES["ethnicity"],
    "ethnicity": SENSITIVE_VALUES["ethnicity"] + SENSITIVE_VALUES["race"],
    "religion": SENSITIVE_VALUES["religion"],
    "disability": ("disabled", "disability", "wheelchair user", "wheelchair users", "blind", "deaf"),
}  # fmt: skip

#: The same groups in the other languages the gate reads (accents folded: "retraités" is "retraites"),
#: merged into :data:`PROTECTED_VALUES`. Plurals only for women and men: a singular is mostly a product line
#: ("moda mujer", "Mode femme").
_PROTECTED_VALUES_OTHER: dict[str, tuple[str, ...]] = {
    "gender": ("frauen", "femmes", "mujeres", "donne", "vrouwen", "mulheres", "hommes", "hombres", "uomini",
               "mannen", "homens", "weiblich", "mannlich", "feminin", "masculin", "femenino", "masculino",
               "femminile", "maschile", "vrouwelijk", "mannelijk", "feminino"),
    "sex": ("frauen", "femmes", "mujeres", "donne", "vrouwen", "mulheres", "hommes", "hombres", "uomini",
            "mannen", "homens", "weiblich", "mannlich", "femenino", "masculino", "vrouwelijk", "mannelijk"),
    "age": (
        "rentner", "rentnerinnen", "senioren", "seniorinnen", "pensionare", "pensionisten", "ruhestandler",
        "retraites", "retraitees", "personnes agees", "troisieme age", "jubilados", "jubiladas", "pensionistas",
        "personas mayores", "adultos mayores", "tercera edad", "pensionati", "anziani", "terza eta",
        "gepensioneerden", "ouderen", "65 plussers", "65plussers", "50 plussers", "50plussers", "aposentados",
        "aposentadas", "reformados", "idosos", "terceira idade", "jugendliche", "teenager", "adolescents",
        "adolescentes", "adolescenti", "ados", "jongeren", "jovenes", "giovani", "jovens", "jeunes",
    ),
    "religion": _SENSITIVE_VALUES_OTHER["religion"],
    "disability": ("behinderte", "handicapes", "discapacitados", "disabili", "gehandicapten", "blinde",
                   "gehorlose", "sourds", "sordos", "sordi", "doven", "surdos", "aveugles", "ciegos", "ciechi"),
}  # fmt: skip
_extend(PROTECTED_VALUES, _PROTECTED_VALUES_OTHER, fold=False)

#: The same groups in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic (plurals
#: only for women and men, as above; "män" is left out: it folds to the English "man").
_PROTECTED_VALUES_MORE: dict[str, tuple[str, ...]] = {
    "gender": ("kobiety", "mężczyźni", "kadınlar", "erkekler", "kvinnor", "kvinner", "kvinder", "menn", "mænd",
               "naiset", "miehet", "nők", "férfiak", "γυναίκες", "άνδρες", "άντρες", "النساء", "نساء", "الرجال",
               "رجال"),
    "sex": ("kobiety", "mężczyźni", "kadınlar", "erkekler", "kvinnor", "kvinner", "kvinder", "menn", "mænd",
            "naiset", "miehet", "nők", "férfiak", "γυναίκες", "άνδρες", "άντρες", "النساء", "نساء", "الرجال", "رجال"),
    "age": (
        "emeryci", "emerytki", "seniorzy", "emekliler", "yaşlılar", "pensionärer", "pensjonister", "pensionister",
        "eläkeläiset", "ikäihmiset", "nyugdíjasok", "idősek", "συνταξιούχοι", "ηλικιωμένοι", "المتقاعدين",
        "المتقاعدون", "كبار السن", "nastolatki", "nastolatkowie", "młodzież", "ergenler", "gençler",
        "tonåringar", "tenåringer", "teenagere", "teinit", "tinédzserek", "kamaszok", "έφηβοι", "المراهقين",
        "مراهقين", "الشباب",
    ),
    "disability": ("niepełnosprawni", "engelliler", "funktionshindrade", "funksjonshemmede", "handicappede",
                   "vammaiset", "fogyatékosok", "ανάπηροι", "ذوي الإعاقة", "المعاقين"),
    "religion": _SENSITIVE_VALUES_MORE["religion"],
}  # fmt: skip
_extend(PROTECTED_VALUES, _PROTECTED_VALUES_MORE)
for _key in ("race", "ethnicity"):
    PROTECTED_VALUES[_key] = PROTECTED_VALUES[_key] + _SENSITIVE_VALUES_OTHER["ethnicity"]

#: What a number after "over"/"under" counts when it is not years: "over 50 items", "under 20 GBP".
_COUNTED = (
    "item", "order", "purchase", "visit", "day", "week", "month", "mile", "km", "point", "product", "time",
    "transaction", "pound", "dollar", "euro", "minute", "hour", "buy", "bought", "sold", "spen", "unit", "gbp",
    "usd", "eur", "click", "open", "view", "session", "review", "star", "follower", "employee", "staff",
)  # fmt: skip
#: An age group written with its number: "over 70s", "under-30", "aged 25-34", "65 year olds".
_AGE_GROUP = re.compile(
    r"\bage[sd]?[\s-]*\d{1,3}\b|\b\d{1,3}[\s-]*(?:year|yr)s?[\s-]*olds?\b"
    r"|\b(?:over|under|above|below)[\s-]*\d{1,3}(?:s\b|\+|\b)(?!\s*(?:%|[a-z]*(?:"
    + "|".join(_COUNTED)
    + r")))"
)

#: Terms that name a protected group only when they are a value's whole string (see :data:`_SEX_WORDS`).
WHOLE_VALUE_TERMS: dict[str, tuple[str, ...]] = {"gender": _SEX_WORDS, "sex": _SEX_WORDS}


#: Each term list's words, indexed by their first word (keyed by the list's id; the list is kept with it).
_INDEXES: dict[int, tuple[Sequence[str], dict[str, list[tuple[int, tuple[str, ...]]]]]] = {}


def _term_index(terms: Sequence[str]) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """``terms`` (a list of this module, built once) as ``first word -> [(position, words)]``."""
    held = _INDEXES.get(id(terms))
    if held is not None and held[0] is terms:
        return held[1]
    index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for order, term in enumerate(terms):
        want = _words(term)
        if want:
            index.setdefault(want[0], []).append((order, want))
    _INDEXES[id(terms)] = (terms, index)
    return index


def _first_term(words: Sequence[str], terms: Sequence[str], *, possessive: bool = True) -> str | None:
    """The first of ``terms`` (in their order) that stands in ``words`` as words in a row (see
    :func:`_contains`), else None: one look-up per word, whatever the length of the list."""
    index = _term_index(terms)
    best: int | None = None
    for i, word in enumerate(words):
        for order, want in index.get(word, ()):
            if best is not None and order >= best:
                continue
            n = len(want)
            if tuple(words[i : i + n]) == want and (possessive or tuple(words[i + n : i + n + 1]) != ("s",)):
                best = order
    return None if best is None else terms[best]


def _contains(words: Sequence[str], want: Sequence[str], *, possessive: bool = True) -> bool:
    """Whether ``want`` stands in ``words`` as words in a row (with ``possessive=False``, not when an "'s"
    follows: "men's shoes" is a product line, not men)."""
    n = len(want)
    return any(
        list(words[i : i + n]) == list(want) and (possessive or words[i + n : i + n + 1] != ["s"])
        for i in range(len(words) - n + 1)
    )


#: Other names of a special category's attribute, per list of :data:`SENSITIVE_VALUES` (on when the policy
#: lists the category): "userReligiousAffiliation", "party_affiliation", "trade_union_member".
SENSITIVE_ATTRIBUTE_WORDS: dict[str, tuple[str, ...]] = {
    "health": ("medical", "diagnosis", "diagnoses", "illness", "disease", "health condition", "disability"),
    "ethnicity": ("ethnic", "ethnic origin", "racial", "race"),
    "race": ("racial", "race"),
    "religion": ("religious", "religions", "faith", "denomination"),
    "sexual_orientation": ("sexuality", "sexual orientation", "sexual preference"),
    "gender_identity": ("gender identity",),
    "political": (
        "politics", "political", "party affiliation", "political party", "party member", "party membership",
        "party supporter", "voting intention", "vote intention",
    ),
    "union": ("trade union", "union member", "union membership", "union affiliation"),
}  # fmt: skip

#: The same in the other languages the gate reads, merged into :data:`SENSITIVE_ATTRIBUTE_WORDS`.
_SENSITIVE_ATTRIBUTE_WORDS_OTHER: dict[str, tuple[str, ...]] = {
    "health": (
        "gesundheit", "gesundheitszustand", "sante", "etat de sante", "salud", "estado de salud", "saude",
        "gezondheid", "stato di salute", "diagnostico", "diagnosi", "krankheit",
        "erkrankung", "maladie", "enfermedad", "malattia", "ziekte", "doenca", "behinderung",
        "discapacidad", "disabilita", "deficiencia", "beperking",
    ),
    "ethnicity": ("herkunft", "abstammung", "origine ethnique", "origen etnico", "origine etnica",
                  "etnische afkomst", "origem etnica"),
    "race": ("rasse", "raza", "razza", "hautfarbe"),
    "religion": ("konfession", "glaube", "glaubensrichtung", "confession", "confesion", "confessione",
                 "godsdienst", "geloof", "fe religiosa"),
    "sexual_orientation": (
        "sexuelle orientierung", "orientation sexuelle", "orientacion sexual", "orientamento sessuale",
        "seksuele orientatie", "seksuele voorkeur", "orientacao sexual", "sexualitat", "sexualite",
        "sexualidad", "sessualita", "seksualiteit", "sexualidade",
    ),
    "gender_identity": ("geschlechtsidentitat", "identite de genre", "identidad de genero",
                        "identita di genere", "genderidentiteit", "identidade de genero"),
    "political": ("wahlabsicht", "intention de vote", "intencion de voto", "intenzione di voto",
                  "stemintentie", "intencao de voto"),
    "union": ("syndicat", "syndical", "sindicato", "sindical", "sindacato", "sindacale"),
}  # fmt: skip
_extend(SENSITIVE_ATTRIBUTE_WORDS, _SENSITIVE_ATTRIBUTE_WORDS_OTHER, fold=False)

#: The same in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic, in their own
#: spelling (read as :func:`name_words` reads them).
_SENSITIVE_ATTRIBUTE_WORDS_MORE: dict[str, tuple[str, ...]] = {
    "health": (
        "zdrowie", "stan zdrowia", "choroba", "choroby", "niepełnosprawność", "sağlık", "sağlık durumu",
        "hastalık", "engellilik", "hälsa", "hälsotillstånd", "sjukdom", "funktionsnedsättning", "helse",
        "sykdom", "funksjonsnedsettelse", "helbred", "sygdom", "terveys", "terveydentila", "sairaus",
        "vammaisuus", "egészség", "egészségi állapot", "betegség", "fogyatékosság", "υγεία", "ασθένεια",
        "αναπηρία", "الصحة", "الحالة الصحية", "المرض", "الإعاقة",
    ),
    "ethnicity": ("pochodzenie etniczne", "etnik", "etnik köken", "etnisk", "etnicitet", "etnisk tilhørighet",
                  "etnisitet", "etninen tausta", "etnikai", "εθνοτική", "العرق", "الأصل العرقي"),
    "race": ("rasa", "ırk", "العرق"),
    "religion": (
        "wyznanie", "religia", "din", "inanç", "mezhep", "trossamfunn", "trossamfund", "trosretning",
        "trosuppfattning", "livssyn", "uskonto", "uskontokunta", "vallás", "felekezet", "θρήσκευμα",
        "θρησκεία", "الدين", "الديانة", "المذهب",
    ),
    "sexual_orientation": (
        "orientacja seksualna", "cinsel yönelim", "sexuell läggning", "seksuell legning", "seksuell orientering",
        "seksuel orientering", "seksuaalinen suuntautuminen", "szexuális irányultság",
        "σεξουαλικός προσανατολισμός", "التوجه الجنسي",
    ),
    "gender_identity": ("tożsamość płciowa", "cinsiyet kimliği", "könsidentitet", "kjønnsidentitet",
                        "kønsidentitet", "sukupuoli identiteetti", "nemi identitás", "ταυτότητα φύλου",
                        "الهوية الجنسية"),
    "political": ("poglądy polityczne", "partia", "siyasi görüş", "siyasi", "parti üyeliği", "puolue",
                  "κόμμα", "πολιτικές πεποιθήσεις", "حزب", "الانتماء السياسي"),
    "union": ("związek zawodowy", "związki zawodowe", "sendika", "fackförening", "fackförbund", "fagforening",
              "ammattiliitto", "szakszervezet", "συνδικάτο", "نقابة", "النقابة"),
}  # fmt: skip
_extend(SENSITIVE_ATTRIBUTE_WORDS, _SENSITIVE_ATTRIBUTE_WORDS_MORE)

#: Beginnings of compound words (German, Dutch) and inflected forms that name a category by themselves:
#: "Religionszugehörigkeit", "Gewerkschaftsmitglied", "Parteimitglied", "geloofsovertuiging".
_SENSITIVE_STEMS: dict[str, tuple[str, ...]] = {
    "health": ("gesundheits", "krankheits", "schwangerschaft", "zwangerschap", "gezondheids"),
    "ethnicity": ("ethni", "etnic", "etnisch"),
    "race": ("rassen", "hautfarb"),
    "religion": ("religi", "konfession", "glaubens", "geloofs", "godsdienst", "wyznan", "trossamf", "uskonto",
                 "felekezet"),
    "sexual_orientation": ("sexualit", "sessualit", "seksualit"),
    "gender_identity": (),
    "political": ("politi", "partei", "partij", "wahlverhalten", "stemgedrag", "polityczn", "poliittin"),
    "union": ("gewerkschaft", "vakbond", "sindacat", "sindicat", "fackforen", "fagforen", "ammattiliit",
              "szakszervezet"),
}  # fmt: skip


def sensitive_attribute(attribute: str, categories: Iterable[str]) -> str | None:
    """The special category (one of ``categories``) an attribute name names: by the category's own words
    (:func:`matches_category`), by another name of it (:data:`SENSITIVE_ATTRIBUTE_WORDS`), or by holding a
    term of :data:`SENSITIVE_VALUES` ("has_diabetes", "is_pregnant"). None when it names none."""
    listed = [str(c) for c in categories]
    found = matches_category(attribute, listed)
    if found is not None:
        return found
    words = name_words(attribute)
    for cat in listed:
        key = "_".join(name_words(cat))
        for enabled, aliases in SENSITIVE_ATTRIBUTE_WORDS.items():
            if key in _ENABLED_BY[enabled] and _first_term(words, aliases) is not None:
                return cat
        for enabled, terms in SENSITIVE_VALUES.items():
            if key in _ENABLED_BY[enabled] and _first_term(words, terms) is not None:
                return cat
        for enabled, stems in _SENSITIVE_STEMS.items():
            if key in _ENABLED_BY[enabled] and any(w.startswith(stems) for w in words if len(w) > 4):
                return cat
    return None


def matches_category(attribute: str, categories: Iterable[str]) -> str | None:
    """The first of ``categories`` whose words stand in a row in ``attribute``'s words, the last of them
    also in an English plural ("languages_spoken" holds "language", "excluded_postcodes" "postcode"), else
    None."""
    words = name_words(attribute)
    wanted = [(cat, name_words(cat)) for cat in categories]
    for cat, want in wanted:
        if want and _contains(words, want):
            return cat
    for cat, want in wanted:  # a name as written wins over another's plural
        if want and _contains_plural(words, want):
            return cat
    return None


def _contains_plural(words: Sequence[str], want: Sequence[str]) -> bool:
    """Whether ``want`` stands in ``words`` in a row with its last word in a plural ("s" or "es")."""
    n = len(want)
    last = want[-1]
    plurals = (last + "s", last + "es")
    return any(
        words[i + n - 1] in plurals and list(words[i : i + n - 1]) == list(want[:-1])
        for i in range(len(words) - n + 1)
    )


def modelled_criterion(attribute: str, value: Any, categories: Iterable[str]) -> tuple[str, str] | None:
    """``(where, category)`` when a criterion selects people by a model's output: its attribute's words, or
    the words of a string of its value, hold one of ``categories`` in a row (``lookalike_1pct``,
    ``audience: "Lookalike (US, 1%) - buyers"``); ``where`` is ``attribute`` or ``value``. Else None."""
    found = matches_category(attribute, categories)
    if found is not None:
        return "attribute", found
    for text in _strings(value):
        found = matches_category(text, categories)
        if found is not None:
            return "value", found
    return None


def _strings(value: Any) -> Iterable[str]:
    """Every string of ``value``: itself, the items of a list and the keys and values of an object, at any
    depth (``{"any": "diabetes"}`` names the category as much as ``"diabetes"`` does)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)


def sensitive_value(value: Any, categories: Iterable[str]) -> tuple[str, str] | None:
    """``(category, term)`` when a string of ``value`` names one of ``categories`` (see
    :data:`SENSITIVE_VALUES`), else None."""
    wanted = {"_".join(name_words(str(c))) for c in categories}
    lists = [(key, terms) for key, terms in SENSITIVE_VALUES.items() if wanted & _ENABLED_BY[key]]
    found = (
        _named(value, lists) or _symbol(value, wanted) or _acronym(value, wanted) or _keyed(value, categories)
    )
    if found is None and wanted & _ENABLED_BY["health"]:
        found = _condition(value)
    if found is not None or not wanted & _ENABLED_BY["political"]:
        return found
    for text in _strings(value):
        party = _names_party(name_words(text)) or names_party_by_name(text)
        if party is not None:
            return "political", party
    return None


#: The orientation acronyms and every extension of them ("LGBTQIA+", "LGBTQ2S+", "LGBTI", "GLBT", "LHBTI",
#: "HBTQI+"): read by their start, since new letters keep being added.
_ORIENTATION_ACRONYM = re.compile(r"(?:lgbt|glbt|lhbt|hbtq)[a-z0-9+]*")


def _acronym(value: Any, wanted: set[str]) -> tuple[str, str] | None:
    if not wanted & _ENABLED_BY["sexual_orientation"]:
        return None
    for text in _strings(value):
        for word in _words(text):
            if _ORIENTATION_ACRONYM.fullmatch(word):
                return "sexual_orientation", word
    return None


def _keyed(value: Any, categories: Iterable[str]) -> tuple[str, str] | None:
    """``(category, key)`` when a key of an object inside ``value``, at any depth, names a special category as
    an attribute would (``{"include": {"health": ["migraine"]}}`` selects by health as much as an attribute
    ``health`` does), else None."""
    for key in _keys(value):
        category = sensitive_attribute(key, categories)
        if category is not None:
            return category, key
    return None


def _keys(value: Any) -> Iterable[str]:
    """The keys of every object inside ``value`` (the action's size limits bound its depth)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _keys(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _keys(item)


#: Words that name a person's condition after the condition's own name: "Crohn's disease", "bipolar disorder",
#: "Tourette syndrome", "coeliac disease support".
_CONDITION_WORDS = frozenset(("disease", "diseases", "disorder", "disorders", "syndrome"))
#: Words before them that make the condition a plant's, an animal's or a crowd's ("plant disease control",
#: "Dutch elm disease", "foot and mouth disease", "public disorder", "imposter syndrome").
_NOT_A_PERSONS = frozenset(
    (
        "plant", "plants", "crop", "crops", "tree", "trees", "lawn", "garden", "rose", "roses", "tomato",
        "potato", "fruit", "vine", "leaf", "root", "fungal", "elm", "ash", "oak", "box", "boxwood", "dog", "dogs",
        "cat", "cats", "pet", "pets", "horse", "horses", "equine", "canine", "feline", "livestock", "cattle",
        "poultry", "bird", "birds", "fish", "bee", "bees", "mouth", "public", "civil", "social", "crowd",
        "imposter", "impostor", "stockholm", "china", "building", "the", "a", "of", "no", "any",
    )
)  # fmt: skip


def _condition(value: Any) -> tuple[str, str] | None:
    """``("health", words)`` when a string of ``value`` names a condition by its name and "disease",
    "disorder" or "syndrome" ("Crohn's disease", "post-traumatic stress disorder"), else None."""
    for text in _strings(value):
        words = _words(text)
        for i, word in enumerate(words):
            if word not in _CONDITION_WORDS or i == 0:
                continue
            j = i - 2 if words[i - 1] == "s" and i >= 2 else i - 1  # "Crohn's disease"
            if words[j] not in _NOT_A_PERSONS and not words[j].isdigit():
                return "health", " ".join(words[j : i + 1])
    return None


#: An age group written with its number in Chinese, Japanese, Korean, the Slavic languages, Romanian or Hindi
#: ("65歳以上", "60岁以上", "старше 65", "nad 65 let", "peste 65 de ani"), read lower-cased.
_AGE_GROUP_OTHER = re.compile(
    r"\d{1,3}\s*(?:歳|岁|才|세)|(?:старше|младше|старші|молодші)\s*\d{1,3}\b"
    r"|\b(?:peste|sub)\s*\d{1,3}\s*de\s+ani\b|\b(?:nad|pod)\s*\d{1,3}\s*(?:let|rokov)\b"
    r"|\d{1,3}\s*(?:\+\s*)?(?:лет|років|साल|वर्ष)"
)


def _symbol(value: Any, wanted: set[str]) -> tuple[str, str] | None:
    """``(category, symbol)`` for the first emoji of :data:`_SENSITIVE_SYMBOLS` a string of ``value`` holds."""
    for text in _strings(value):
        if text.isascii():
            continue
        plain = text.replace("\ufe0f", "").replace("\ufe0e", "")
        for category, symbols in _SENSITIVE_SYMBOLS.items():
            if wanted & _ENABLED_BY[category]:
                for symbol in symbols:
                    if symbol in plain:
                        return category, symbol
    return None


def protected_value(value: Any, attributes: Iterable[str]) -> tuple[str, str] | None:
    """``(attribute, term)`` when a string of ``value`` names one of the protected ``attributes`` (see
    :data:`PROTECTED_VALUES`, and :data:`WHOLE_VALUE_TERMS` when they are the whole string), else None."""
    wanted = {"_".join(name_words(str(a))) for a in attributes}
    found = _named(value, [(key, terms) for key, terms in PROTECTED_VALUES.items() if key in wanted])
    if found is not None:
        return found
    if "age" in wanted:
        for text in _strings(value):
            match = _AGE_GROUP.search(canonical_id(text))
            if match is None:
                match = _AGE_GROUP_OTHER.search(unicodedata.normalize("NFKC", text).lower())
            if match is not None:
                return "age", match.group(0)
    for text in _strings(value):
        words = name_words(text)
        if words[-1:] == ["only"]:
            words = words[:-1]
        for key, terms in WHOLE_VALUE_TERMS.items():
            if key in wanted:
                for term in terms:
                    if words == name_words(term):
                        return key, term
    return None


def _named(value: Any, lists: list[tuple[str, tuple[str, ...]]]) -> tuple[str, str] | None:
    if not lists:
        return None
    for text in _strings(value):
        words = _words(text)
        for category, terms in lists:
            term = _first_term(words, terms, possessive=False)
            if term is not None:
                return category, term
    return None


# -- ages -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgeBounds:
    """The ages an audience's criteria allow: ``low`` to ``high`` inclusive (None: unbounded), and whether
    any criterion bounds the age at all."""

    low: float | None = None
    high: float | None = None
    bounded: bool = False

    def reaches_under(self, minimum: int) -> bool:
        """Whether some age under ``minimum`` is in the interval (an empty interval reaches nobody)."""
        if not self.bounded:
            return False
        low = 0.0 if self.low is None else self.low
        if self.high is not None and self.high < low:
            return False
        return low < minimum

    def narrowed(self, low: float | None, high: float | None) -> AgeBounds:
        new_low = self.low if low is None else low if self.low is None else max(self.low, low)
        new_high = self.high if high is None else high if self.high is None else min(self.high, high)
        return AgeBounds(new_low, new_high, True)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNDER = re.compile(r"\b(?:under|below|less than|younger than|up to)\b|<", re.IGNORECASE)
_PLUS = re.compile(r"\d\s*\+|\b(?:and over|or over|and older|or older|plus)\b", re.IGNORECASE)
_AGE_WORDS = frozenset(("age", "ages", "aged", "agerange", "agegroup", "agebracket"))
#: Other languages' words for age that bound it in any audience (AG502): German, Spanish, Portuguese and
#: Dutch ("Alter", "edad", "idade", "leeftijd"; French "âge" folds to "age"). The Italian "età" folds to
#: "eta", the English "estimated time of arrival", so it is read only where protected targeting applies.
_AGE_WORDS_OTHER = frozenset(
    ("edad", "edades", "idade", "idades", "leeftijd", "lebensalter", "alter", "etario", "etaria", "etarios",
     "etarias")
)  # fmt: skip
#: Beginnings of German and Dutch compounds on age: "Altersgruppe", "Altersklasse", "leeftijdsgroep".
_AGE_STEMS: tuple[str, ...] = (
    "altersgrup", "altersklass", "altersstuf", "altersbereich", "altersspann", "alterskategor", "leeftijd",
    "lebensalter",
)  # fmt: skip
_BIRTH_WORDS = frozenset(("birth", "birthyear", "birthdate", "birthday", "dob", "yob", "born"))
#: Words for birth in the other languages, also inside a compound: "Geburtsjahr", "fecha_de_nacimiento",
#: "date_naissance", "anno_di_nascita", "geboortejaar", "data_nascimento", "Jahrgang".
_BIRTH_STEMS = ("birth", "geburt", "naissance", "nacimiento", "nascita", "nascimento", "geboorte", "jahrgang")


#: The same in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic ("alder" is
#: the Nordic age; an English alder tree is no audience attribute).
_AGE_WORDS_MORE = frozenset(
    _folded(("wiek", "yaş", "ålder", "alder", "ikä", "életkor", "ηλικία", "العمر", "السن", "الأعمار"))
)
_AGE_WORDS_OTHER = _AGE_WORDS_OTHER | _AGE_WORDS_MORE
_AGE_STEMS = (*_AGE_STEMS, *_folded(("åldersgrupp", "aldersgrupp", "aldersgruppe", "ikäryhm", "wiekow")))


#: Age words read as written, with their marks, because folding them makes another word: the Italian "età"
#: folds to "eta", also the English "estimated time of arrival" ("eta_days"); the Hindi "आयु" (age) loses its
#: vowel sign and becomes "आय" (income). As written they count as age in any audience ("Età", "età_cliente",
#: "आयु"); "आयुर्वेद" (Ayurveda) is another word.
_AGE_AS_WRITTEN = re.compile(r"(?<![^\W_])(?:et[àá]|आयु)(?![^\W_])")


def _age_as_written(attribute: str) -> bool:
    return (
        _AGE_AS_WRITTEN.search(unicodedata.normalize("NFC", _JOINERS.sub("", str(attribute))).lower())
        is not None
    )


def _age_word(word: str) -> bool:
    """Whether ``word`` names a person's age, in English or another language the gate reads."""
    return word in _AGE_WORDS or word in _AGE_WORDS_OTHER or word.startswith(_AGE_STEMS)


def _birth_words(words: Sequence[str]) -> bool:
    """Whether ``words`` (an attribute's) name a birth date or year, in English or another language."""
    joined = "".join(words)
    return (
        bool(set(words) & _BIRTH_WORDS)
        or any(stem in joined for stem in _BIRTH_STEMS)
        or joined in ("dateofbirth", "yearofbirth")
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        found = _NUMBER.findall(value)
        if len(found) == 1:
            return float(found[0])
    return None


def _age_interval(op: str, value: Any) -> tuple[float | None, float | None] | None:
    """The ages one criterion on an age allows, or None when it does not bound them."""
    if op == "in" and isinstance(value, (list, tuple)) and any(isinstance(v, str) for v in value):
        # each item may be a range of its own ("13-17", "18-24"): the criterion allows their union
        parts = [_age_interval("eq", v) for v in value]
        if any(part is None for part in parts) or not parts:
            numbers = [n for n in (_number(v) for v in value) if n is not None]
            return (min(numbers), max(numbers)) if numbers else None
        lows = [part[0] for part in parts if part is not None]
        highs = [part[1] for part in parts if part is not None]
        return (
            None if any(low is None for low in lows) else min(low for low in lows if low is not None),
            None if any(high is None for high in highs) else max(high for high in highs if high is not None),
        )
    if isinstance(value, str) and op in ("eq", "in", "between"):
        numbers = [float(n) for n in _NUMBER.findall(value)]
        if not numbers:
            return (None, None) if op == "between" else None
        if _UNDER.search(value):
            return None, max(numbers) - 1
        if _PLUS.search(value):
            return min(numbers), None
        return min(numbers), max(numbers)
    if op in ("eq",):
        n = _number(value)
        return None if n is None else (n, n)
    if op in ("in", "between") and isinstance(value, (list, tuple)):
        numbers = [n for n in (_number(v) for v in value) if n is not None]
        if not numbers:
            return (None, None) if op == "between" else None
        if op == "between" and len(value) == 2:
            return _number(value[0]), _number(value[1])
        return min(numbers), max(numbers)
    n = _number(value)
    if n is None:
        # a comparison the gate cannot read ("age < 'eighteen'", "between {min: 13, max: 30}") is taken to
        # reach every age rather than none: it may well reach children
        return (None, None) if op in ("lt", "le", "gt", "ge", "between") and value is not None else None
    if not n.is_integer() and op in ("gt", "ge"):
        # ages in whole years would round 17.5 up to 18, but a platform that counts exact ages lets a
        # 17-year-old of 17.6 through: a fractional lower bound is taken as it is
        return n, None
    return {
        "lt": (None, math.ceil(n) - 1),
        "le": (None, math.floor(n)),
        "gt": (math.floor(n) + 1, None),
        "ge": (math.ceil(n), None),
    }.get(op)


def _year(value: Any) -> float | None:
    if isinstance(value, str):
        m = re.match(r"\s*(\d{4})", value)
        return float(m.group(1)) if m else None
    return _number(value)


def _birth_interval(op: str, value: Any, year: int) -> tuple[float | None, float | None] | None:
    """The ages a criterion on a birth year or date of birth allows (someone born in year Y is Y's age or
    one less), or None when it does not bound them."""
    if op in ("in", "between") and isinstance(value, (list, tuple)):
        years = [y for y in (_year(v) for v in value) if y is not None]
        return (year - max(years) - 1, year - min(years)) if years else None
    y = _year(value)
    if y is None:
        return None
    return {
        "eq": (year - y - 1, year - y),
        "gt": (None, year - y - 1),
        "ge": (None, year - y),
        "lt": (year - y, None),
        "le": (year - y - 1, None),
    }.get(op)


#: Other languages' words for the default protected attributes (a German CRM's "Geschlecht" field is the
#: gender); each applies when the policy lists its attribute. Words that mostly mean something else in
#: English attribute names are left out ("genre", "alter", "origin").
PROTECTED_SYNONYMS: dict[str, tuple[str, ...]] = {
    "gender": ("geschlecht", "sexe", "sexo", "genero", "sesso", "geslacht"),
    "sex": ("geschlecht", "sexe", "sexo", "sesso", "geslacht"),
    "age": ("lebensalter", "alter", "edad", "edades", "eta", "idade", "idades", "leeftijd", "etario", "etaria"),
    "race": ("rasse", "raza", "razza"),
    "ethnicity": ("ethnie", "ethnizitat", "etnia", "etnicidad", "etnicita", "etniciteit", "herkunft"),
    "religion": ("religionszugehorigkeit", "konfession", "religiao", "religione", "religion", "religie",
                 "godsdienst", "confession", "confesion", "glaube", "geloof"),
    "disability": ("behinderung", "handicap", "discapacidad", "disabilita", "deficiencia"),
    "nationality": ("nationalitat", "staatsangehorigkeit", "nationalite", "nacionalidad", "nazionalita",
                    "nationaliteit"),
}  # fmt: skip


#: The same in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic, in their own
#: spelling ("nem", the Hungarian sex, is left out: it is also "not").
_PROTECTED_SYNONYMS_MORE: dict[str, tuple[str, ...]] = {
    "gender": ("płeć", "cinsiyet", "kön", "kjønn", "køn", "sukupuoli", "φύλο", "الجنس"),
    "sex": ("płeć", "cinsiyet", "kön", "kjønn", "køn", "sukupuoli", "φύλο", "الجنس"),
    "age": ("wiek", "yaş", "ålder", "alder", "ikä", "életkor", "ηλικία", "العمر", "السن"),
    "race": ("rasa", "ırk", "φυλή", "العرق"),
    "ethnicity": ("etniczność", "etnik", "etnisk", "etnicitet", "etnisitet", "etnisyys", "etnikai", "العرق"),
    "religion": ("wyznanie", "religia", "din", "inanç", "mezhep", "trossamfunn", "trossamfund", "trosretning",
                 "trosuppfattning", "uskonto", "uskontokunta", "vallás", "felekezet", "θρήσκευμα", "θρησκεία",
                 "الدين", "الديانة", "المذهب"),
    "disability": ("niepełnosprawność", "engellilik", "funktionsnedsättning", "funksjonsnedsettelse",
                   "vammaisuus", "fogyatékosság", "αναπηρία", "الإعاقة"),
    "nationality": ("narodowość", "obywatelstwo", "uyruk", "milliyet", "vatandaşlık", "nationalitet",
                    "nasjonalitet", "medborgarskap", "statsborgerskap", "statsborgerskab", "kansalaisuus",
                    "kansallisuus", "nemzetiség", "állampolgárság", "εθνικότητα", "υπηκοότητα", "الجنسية"),
}  # fmt: skip
_extend(PROTECTED_SYNONYMS, _PROTECTED_SYNONYMS_MORE)


def protected_attribute(attribute: str, attributes: Iterable[str]) -> str | None:
    """The protected attribute (one of ``attributes``) that the attribute name ``attribute`` names: by its
    words, by another language's word for it (:data:`PROTECTED_SYNONYMS`), or, for ``age``, a birth date
    or year, which bounds the age as well. None when it names none."""
    listed = [str(a) for a in attributes]
    found = matches_category(attribute, listed)
    if found is not None and not (name_words(found) == ["age"] and _thing_age(name_words(attribute))):
        return found
    sequence = name_words(attribute)
    words = set(sequence)
    for attr in listed:
        key = "_".join(name_words(attr))
        if key == "age" and _thing_age(sequence):
            continue  # "Konto_Alter", "edad_de_la_cuenta": a thing's age
        synonyms = PROTECTED_SYNONYMS.get(key, ())
        if words & set(synonyms):
            return attr
        if _first_term(sequence, [t for t in synonyms if " " in t], possessive=False) is not None:
            return attr  # "giới tính", "jenis kelamin", "độ tuổi": a name of two words
        if key == "age" and (_birth_words(sequence) or any(w.startswith(_AGE_STEMS) for w in sequence)):
            return attr
        # an attribute that names the group itself: "wheelchair_user", "is_female", "seniors_flag"
        if _first_term(sequence, PROTECTED_VALUES.get(key, ()), possessive=False) is not None:
            return attr
    return None


#: Words naming a thing (not a person) whose age an attribute may hold: "account_age_days", "listing age".
_THING_AGE_OWNERS = frozenset(
    (
        "account", "accounts", "tenure", "listing", "product", "item", "order", "orders", "device", "page",
        "cart", "session", "membership", "subscription", "card", "vehicle", "car", "home", "house", "property",
        "domain", "cookie", "data", "content", "post", "ad", "ads", "campaign", "inventory", "stock", "lead",
        "relationship", "loan", "policy", "contract", "mortgage", "building",
        # gear and goods a shop's audiences are about: "tent_age_years", "bike_age", "boiler_age"
        "tent", "tents", "bike", "bikes", "bicycle", "boiler", "boot", "boots", "shoe", "shoes", "jacket",
        "backpack", "bag", "bags", "mattress", "sofa", "furniture", "appliance", "battery", "tyre", "tyres",
        "tire", "tires", "roof", "boat", "kayak", "canoe", "phone", "laptop", "computer", "gear", "equipment",
        "kit", "stove", "helmet", "camera", "machine", "printer", "asset", "warranty", "firmware", "software",
        "app", "version", "release", "file", "document", "photo", "image", "record", "ticket", "invoice",
        "payment", "booking", "reservation", "review", "event", "garment", "wardrobe", "rope", "harness",
    )
)  # fmt: skip


#: The same things in the other languages the gate reads ("Konto_Alter", "edad_de_la_cuenta").
_THING_AGE_OWNERS_OTHER = frozenset(
    (
        "konto", "kundenkonto", "vertrag", "fahrzeug", "auto", "produkt", "artikel", "mitgliedschaft", "abo",
        "abonnement", "gerat", "haus", "immobilie", "cuenta", "conta", "compte", "conto", "rekening", "contrato",
        "contrat", "contratto", "contract", "vehiculo", "veiculo", "vehicule", "veicolo", "voertuig",
        "producto", "produto", "produit", "prodotto", "membresia", "adhesion", "iscrizione", "lidmaatschap",
        "suscripcion", "assinatura", "dispositivo", "appareil", "apparaat", "casa", "maison", "woning",
        "pedido", "commande", "ordine", "bestelling", "bestellung",
    )
)  # fmt: skip
#: Words that put the thing after its age: "edad de la cuenta", "âge du compte", "età del contratto".
_OF = frozenset(
    (
        "of",
        "the",
        "de",
        "del",
        "la",
        "el",
        "du",
        "des",
        "le",
        "da",
        "do",
        "della",
        "dello",
        "di",
        "van",
        "het",
        "der",
    )
)


def _thing_age(words: Sequence[str]) -> bool:
    """Whether every "age" in ``words`` (or another language's word for it) is a thing's age: the word
    before it names a thing (see :data:`_THING_AGE_OWNERS`), as in "account_age_days" and "Konto_Alter", or
    one after it past "of" words does, as in "edad_de_la_cuenta"."""
    owners = _THING_AGE_OWNERS | _THING_AGE_OWNERS_OTHER
    places = [i for i, w in enumerate(words) if w in _AGE_WORDS or _age_word(w)]

    def owned(i: int) -> bool:
        if i > 0 and words[i - 1] in owners:
            return True
        j = i + 1
        while j < len(words) and words[j] in _OF:
            j += 1
        return j > i + 1 and j < len(words) and words[j] in owners

    return bool(places) and all(owned(i) for i in places)


#: Attribute names of the year a class leaves school ("class_of", "graduating_class", "grad_year"): a pupil
#: leaves school at about 18, so a class of a year still to come is made of children ("class of 2030").
_CLASS_OF = (
    ("class", "of"), ("graduating", "class"), ("graduation", "year"), ("grad", "year"), ("graduation", "class"),
    ("year", "of", "graduation"), ("classof",), ("gradyear",), ("abschlussjahrgang",), ("abiturjahrgang",),
)  # fmt: skip
#: The age at which a class leaves school (the youngest reading: a university class is older).
_LEAVING_AGE = 18


def _class_of(words: Sequence[str]) -> bool:
    return any(_contains(words, pair) for pair in _CLASS_OF)


def age_bounds(criteria: Iterable[Any], now: datetime) -> AgeBounds:
    """The ages ``criteria`` (objects with ``attribute``, ``op``, ``value``; all must hold) allow."""
    bounds = AgeBounds()
    for crit in criteria:
        sequence = name_words(crit.attribute)
        joined = "".join(sequence)
        interval = None
        if _class_of(sequence):
            # a class leaving school in year Y was born about Y - 18: read as a birth year
            interval = _birth_interval(crit.op, crit.value, now.year + _LEAVING_AGE)
        elif _birth_words(sequence):
            interval = _birth_interval(crit.op, crit.value, now.year)
        elif (
            any(_age_word(w) for w in sequence) or joined in _AGE_WORDS or _age_as_written(crit.attribute)
        ) and not _thing_age(sequence):
            interval = _age_interval(crit.op, crit.value)
        if interval is not None:
            bounds = bounds.narrowed(*interval)
    return bounds


# -- minors named in a segment's name or description -----------------------------------------------------------

#: Words that name children or teenagers, in the languages the gate reads (English, German, French, Spanish,
#: Italian, Portuguese, Dutch), accents folded. Words that are mostly about young adults ("students",
#: "jeunes", "jongeren", "ragazzi", "juniors") are left out.
MINOR_WORDS = frozenset(
    (
        # English
        "minor", "minors", "child", "children", "kid", "kids", "teen", "teens", "teenager", "teenagers",
        "tween", "tweens", "preteen", "preteens", "pupil", "pupils", "schoolchildren", "schoolkids",
        "schoolboys", "schoolgirls", "underage", "adolescent", "adolescents", "youngsters", "juveniles",
        "graders", "middleschoolers", "highschoolers",
        # German
        "kinder", "kindern", "jugendliche", "jugendlichen", "minderjahrige", "minderjahrigen", "schuler",
        "schulerinnen", "schulkinder",
        # French
        "enfants", "ados", "adolescentes", "mineurs", "mineures", "ecoliers", "collegiens", "lyceens",
        # Spanish and Portuguese
        "ninos", "ninas", "menores", "escolares", "criancas", "adolescentes",
        # Italian
        "bambini", "bambine", "adolescenti", "minorenni", "ragazzini", "alunni", "scolari",
        # Dutch
        "kinderen", "tieners", "minderjarigen", "scholieren", "pubers",
    )
)  # fmt: skip
#: The same in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic ("barn" is
#: left out: it is also an English word).
_MINOR_WORDS_MORE = frozenset(
    _folded(
        (
            "dzieci", "nastolatki", "nastolatkowie", "nieletni", "uczniowie", "çocuklar", "çocuk", "ergenler",
            "ergen", "tonåringar", "tonåring", "barnen", "tenåringer", "børn", "teenagere", "lapset", "teinit",
            "teini", "alaikäiset", "gyerekek", "gyermekek", "tinédzserek", "kamaszok", "kiskorúak", "παιδιά",
            "έφηβοι", "ανήλικοι", "الأطفال", "أطفال", "المراهقين", "مراهقين", "القاصرين", "قاصرين",
        )
    )
)  # fmt: skip
MINOR_WORDS = MINOR_WORDS | _MINOR_WORDS_MORE
#: Terms of two words that name children: "school children", "school kids", "middle schoolers".
#: Generation Alpha (born 2010 on) is made of children until 2028 and mostly after.
_MINOR_PAIRS = (
    ("school", "children"), ("school", "kids"), ("middle", "schoolers"), ("high", "schoolers"), ("gen", "alpha"),
    ("generation", "alpha"),
)  # fmt: skip
#: School stages whose pupils are children (all or most under 18): followed by a word for those in it
#: (:data:`_STAGE_PEOPLE`), they name minors: "GCSE students", "high school sophomores", "sixth formers".
_SCHOOL_STAGES = (
    ("high", "school"), ("middle", "school"), ("junior", "high"), ("secondary", "school"), ("primary", "school"),
    ("elementary", "school"), ("grade", "school"), ("prep", "school"), ("gcse",), ("gcses",), ("igcse",),
    ("sixth", "form"), ("key", "stage"), ("ks3",), ("ks4",), ("sixth",), ("lower", "sixth"), ("upper", "sixth"),
)  # fmt: skip
_STAGE_PEOPLE = frozenset(
    (
        "student", "students", "pupil", "pupils", "kids", "children", "freshmen", "freshman", "sophomores",
        "sophomore", "juniors", "seniors", "graders", "learners", "candidates", "athletes", "players", "girls",
        "boys", "formers", "teens", "class", "classes", "age", "aged",
    )
)  # fmt: skip
#: Words for the adults around children: a segment that names them ("parents of teens", "kids' clothing
#: buyers (parents)", "Eltern von Kindern") is about those adults.
_CARER_WORDS = frozenset(
    (
        "parent", "parents", "parenting", "mum", "mums", "mom", "moms", "mother", "mothers", "dad", "dads",
        "father", "fathers", "families", "family", "grandparents", "guardians", "teachers", "educators",
        "eltern", "mutter", "vater", "familien", "familie", "lehrer", "lehrerinnen", "meres", "peres",
        "familles", "enseignants", "padres", "madres", "familias", "mamas", "papas", "profesores", "docentes",
        "genitori", "famiglie", "mamme", "insegnanti", "pais", "maes", "professores", "ouders", "gezinnen",
        "moeders", "vaders", "leraren",
    )
)  # fmt: skip
#: Things made for children: a child word before one of these names a product line ("kids' clothing",
#: "teen fashion", "Kinder Bueno"), and after one of these and a preposition too ("ropa de niños"); and
#: words after which a child word names no child ("minor league", "child-free", "kid-friendly").
_CHILD_PRODUCTS = frozenset(
    (
        "clothing", "clothes", "wear", "apparel", "fashion", "shoes", "footwear", "toys", "toy", "books",
        "book", "products", "product", "furniture", "bikes", "bedding", "room", "rooms", "menu", "meals",
        "meal", "party", "parties", "gear", "accessories", "costumes", "snacks", "vitamins", "brand", "brands",
        "section", "department", "range", "line", "collection", "size", "sizes", "bueno", "surprise", "joy",
        "chocolate", "ropa", "moda", "juguetes", "zapatos", "libros", "vetements", "jouets", "livres",
        "kleidung", "spielzeug", "bucher", "abbigliamento", "giocattoli", "roupa", "brinquedos", "kleding",
        "speelgoed", "s",
        # not children at all: "minor league fans", "child-free couples", "kid-friendly venues", "childproof"
        "league", "leagues", "free", "friendly", "proof", "safe",
    )
)  # fmt: skip
_PREPOSITIONS = frozenset(("for", "de", "para", "pour", "fur", "per", "voor", "da", "a"))
#: Words before a child word that leave the children out: "couples without children", "no kids".
_WITHOUT = frozenset(
    ("without", "no", "ohne", "keine", "sans", "sin", "senza", "zonder", "geen", "sem", "bez", "fara")
)
#: Words that make a number an age: "ages 10 to 14", "aged 15", "8-12 years", "de 8 a 12 años".
_AGE_CONTEXT = frozenset(
    (
        "age", "ages", "aged", "agegroup", "year", "years", "yrs", "yo", "olds", "edad", "edades", "idade",
        "idades", "leeftijd", "alter", "altersgruppe", "jahre", "jahren", "jahrige", "ans", "anos", "anni",
        "eta", "jaar", "jarigen",
    )
)  # fmt: skip
_COUNTED_AFTER = r"(?!\s*(?:%|[a-z]*(?:" + "|".join(_COUNTED) + r")))"
#: "8-12", "10 to 14", "de 8 a 12", "14-17", "von 10 bis 14", "entre 8 y 12"
_TEXT_RANGE = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*(?:-|to|a|al|bis|tot|y|e|et|und|and|through|hadi|hanggang|til|iki|kuni|lidz|do"
    r"|до|تا)\s*(\d{1,2})(?![\d.,%])" + _COUNTED_AFTER
)
#: "under-16s", "under 13", "unter 16", "moins de 16 ans", "menores de 16", "sotto i 14", "onder 16", "u16"
_TEXT_UNDER = re.compile(
    r"\b(?:under|below|younger than|less than|unter|moins de|menos de|menores de|sotto i|meno di|onder|"
    r"jonger dan)[\s-]*(\d{1,2})(?:s\b|\b)" + _COUNTED_AFTER + r"|\bu-?(1\d|2[01])s?\b"
)
#: "18+", "16 and over", "18 ans et plus", "mayores de 18", "ab 16", "over 18", "16 or older"
_TEXT_FROM = re.compile(
    r"(?<![\d.,])(\d{1,2})\s*\+|(\d{1,2})\s*(?:and over|or over|and older|or older|and up|plus|y mas|"
    r"und alter|et plus|e oltre|en ouder|ou mais)\b|\b(?:over|above|mayores de|maiores de|ab|uber|plus de|"
    r"oltre i|boven)[\s-]*(\d{1,2})\b" + _COUNTED_AFTER
)
#: "15 year olds", "15-year-old", "aged 15", "15 yo"
_TEXT_AGE = re.compile(
    r"\b(\d{1,2})[\s-]*(?:year|yr)s?[\s-]*olds?\b|\b(\d{1,2})\s*y/?o\b|\baged\s*(\d{1,2})\b"
)
#: A school year or grade ("Year 7 pupils", "grade 8", "Klasse 6"): the children in it are minors.
_SCHOOL_YEAR = re.compile(r"\b(?:year|grade|klasse|jahrgangsstufe|grado|classe)\s*-?\s*(\d{1,2})\b")
_SCHOOL_WORDS = frozenset(
    ("pupils", "students", "kids", "class", "classes", "school", "schuler", "alumnos", "eleves")
)


def _school_stage(words: Sequence[str]) -> str | None:
    """The first school stage of ``words`` followed by the people in it ("high school sophomores", "GCSE
    students"), or None."""
    for i in range(len(words)):
        for stage in _SCHOOL_STAGES:
            end = i + len(stage)
            if tuple(words[i:end]) == stage and end < len(words) and words[end] in _STAGE_PEOPLE:
                return " ".join(words[i : end + 1])
    return None


def _minor_word(words: Sequence[str]) -> str | None:
    """The first word (or pair) of ``words`` that names children, unless it names a product line for them."""
    stage = _school_stage(words)
    if stage is not None:
        return stage
    for i, word in enumerate(words):
        pair = next((p for p in _MINOR_PAIRS if tuple(words[i : i + 2]) == p), None)
        if word not in MINOR_WORDS and pair is None:
            continue
        end = i + (2 if pair is not None else 1)
        after = words[end : end + 1]
        if after and after[0] in _CHILD_PRODUCTS:
            continue  # "kids clothing", "kids' (s) shoes", "Kinder Bueno"
        before = words[max(0, i - 2) : i]
        if before and before[-1] in _WITHOUT:
            continue  # "couples without children", "no kids", "ohne Kinder": adults
        if before and (
            before[-1] in _CHILD_PRODUCTS
            or (before[-1] in _PREPOSITIONS and before[:1] and before[0] in _CHILD_PRODUCTS)
        ):
            continue  # "toys for kids", "ropa de niños"
        return " ".join(pair) if pair is not None else word
    return None


def _text_ages(text: str, context: bool) -> tuple[AgeBounds, str | None]:
    """The ages ``text`` bounds (all its bounds hold together) and the first bound's text. Ranges, lower
    bounds and single ages count only with ``context`` (an age word or a child word in the text): "top
    10-20 buyers" and "10+ purchases" are not ages; an upper bound with its number ("under-16s") is one."""
    bounds = AgeBounds()
    first: str | None = None
    for match in _TEXT_UNDER.finditer(text):
        n = int(match.group(1) or match.group(2))
        bounds, first = bounds.narrowed(None, n - 1), first or match.group(0)
    if context:
        for match in _TEXT_RANGE.finditer(text):
            low, high = sorted((int(match.group(1)), int(match.group(2))))
            bounds, first = bounds.narrowed(low, high), first or match.group(0)
        for match in _TEXT_FROM.finditer(text):
            n = int(next(g for g in match.groups() if g is not None))
            bounds, first = bounds.narrowed(n, None), first or match.group(0)
        for match in _TEXT_AGE.finditer(text):
            n = int(next(g for g in match.groups() if g is not None))
            bounds, first = bounds.narrowed(n, n), first or match.group(0)
    return bounds, first


#: A child word in the possessive ("kids' …", "children's …", "teen's …"): with a buyer word after it, the
#: segment names a product line and its buyers ("kids' camping gear shoppers"), not children ("kids' club
#: members" still names them).
_POSSESSIVE_CHILD = re.compile(
    r"\b(?:kids?|child(?:ren)?|teens?|teenagers?|girls?|boys?|bab(?:y|ies)|toddlers?|juniors?)(?:['\u2019]s?)(?!\w)",
    re.IGNORECASE,
)
_BUYER_WORDS = frozenset(("buyers", "buyer", "shoppers", "shopper", "purchasers", "purchaser", "customers"))


def minors_named(value: Any, minimum: int) -> str | None:
    """The words of a string of ``value`` (a segment's name or description: "kids 8-12", "under-16s",
    "ages 10 to 14", "Year 7 pupils", "niños de 8 a 12", "Jugendliche 14–17") that name people under
    ``minimum``, or None. Ages written in the text decide when there are any ("Teens fashion fans 18+" and
    "ages 18-24" do not reach minors); otherwise a word for children does, unless it names a product line
    for them ("kids' clothing") or the text is about the adults around them ("parents of teens")."""
    for raw in _strings(value):
        text = canonical_id(raw)
        words = _words(raw)
        if _CARER_WORDS.intersection(words):
            continue
        if _BUYER_WORDS.intersection(words) and _POSSESSIVE_CHILD.search(raw) is not None:
            continue  # "kids' hiking boots buyers", "children's rain jackets shoppers": a product line
        term = _minor_word(words)
        plain = [w.rstrip("s+") for w in words]
        context = (
            term is not None
            or any(w in _AGE_CONTEXT for w in words)
            or bool(set(plain) & {"minor", "teen", "kid", "child"})
        )
        ages, said = _text_ages(text, context)
        if ages.bounded:
            if ages.reaches_under(minimum):
                return said
            continue
        if term is not None:
            return term
        school = _SCHOOL_YEAR.search(text)
        if school is not None and _SCHOOL_WORDS.intersection(words):
            return school.group(0)
    return None


#: Attribute names of a school year or grade ("school_year", "yearGroup", "grade_level", "Klassenstufe",
#: "curso_escolar"): whoever is in one (1 to 13) is a child. "university year" or "graduation year" are not.
_SCHOOL_ATTRIBUTE_PAIRS = (
    ("school", "year"), ("school", "grade"), ("school", "class"), ("school", "level"), ("year", "group"),
    ("grade", "level"), ("curso", "escolar"), ("ano", "escolar"), ("annee", "scolaire"), ("anno", "scolastico"),
)  # fmt: skip
_SCHOOL_ATTRIBUTE_WORDS = frozenset(
    ("yeargroup", "gradelevel", "schoolyear", "schoolgrade", "klassenstufe", "jahrgangsstufe", "schulklasse",
     "schuljahr", "klasse", "leerjaar")
)  # fmt: skip
#: A school year's number in its value ("Year 10", "10", "grade 8", "7th", "Klasse 6"), not a calendar year.
_SCHOOL_YEAR_VALUE = re.compile(r"(?<![\d.])(1[0-3]|[1-9])(?:st|nd|rd|th|e|er|o|a)?(?![\d.])")


def school_year_attribute(attribute: str) -> bool:
    """Whether an attribute names a school year or grade ("school_year", "yearGroup", "grade_level")."""
    words = _words(attribute)
    if _SCHOOL_ATTRIBUTE_WORDS.intersection(words) or "".join(words) in _SCHOOL_ATTRIBUTE_WORDS:
        return True
    return any(_contains(words, pair) for pair in _SCHOOL_ATTRIBUTE_PAIRS)


def school_year_named(value: Any) -> str | None:
    """The first school year (1 to 13) a value of a school-year attribute names ("Year 10", 8, "7th"), or
    None: "2025/26" is a calendar school year and selects nobody by age."""
    for raw in _scalars(value):
        if _SCHOOL_YEAR_VALUE.search(canonical_id(raw)) is not None:
            return raw
    return None


def _scalars(value: Any) -> Iterable[str]:
    """Every string and number of ``value`` as text, at any depth (a list's items, an object's values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _scalars(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _scalars(item)


#: Attribute words of a segment: a named group of people whose name or description says who is in it.
_SEGMENT_WORDS = frozenset(
    (
        "segment", "segments", "audience", "audiences", "cohort", "cohorts", "group", "groups", "persona",
        "personas", "list", "lists", "tag", "tags", "label", "labels", "name", "description", "desc",
        "demographic", "demographics", "target", "targeting", "cluster", "population", "profile", "bucket",
        "lookalike", "custom", "zielgruppe", "segmento", "publico", "pubblico", "doelgroep", "cible",
        # Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic (and the Romance
        # and German "group")
        *_folded(
            (
                "grupo", "gruppo", "gruppe", "groupe", "grupa", "grupa docelowa", "segmentu", "grup", "kitle",
                "hedef kitle", "målgrupp", "målgruppe", "kundgrupp", "kundegruppe", "ryhmä", "kohderyhmä",
                "asiakasryhmä", "csoport", "célcsoport", "ομάδα", "κοινό", "τμήμα", "الفئة", "فئة", "الجمهور",
                "الشريحة",
            )
        ),
    )
)  # fmt: skip


def segment_attribute(attribute: str) -> bool:
    """Whether an attribute names a segment (its value is a group's name or description): "segment",
    "customAudience", "audience_name", "persona", "Zielgruppe"."""
    return bool(_SEGMENT_WORDS.intersection(_words(attribute)))


# -- Czech, Slovak, Romanian, Russian, Ukrainian, Chinese, Japanese, Korean and Hindi ------------------------------
#
# The same lists in nine more languages, in their own spelling and read as :func:`name_words` reads them
# (accents folded, look-alike letters as Latin). Chinese, Japanese and Korean write words without spaces:
# a term of :data:`_CJK_TERMS` inside a longer run ("宗教信仰", religious belief; "自民党支持者") is read as
# a word of its own too. Words that are mostly something else are left out ("strana", a side or page in
# Czech and Slovak; "आय", income, which "आयु", age, folds to once its vowel sign is dropped: "आयु" is read as
# written, :data:`_AGE_AS_WRITTEN`; "甘党", a sweet tooth, for the Japanese "party").

_SENSITIVE_ATTRIBUTE_WORDS_CJK_ETC: dict[str, tuple[str, ...]] = {
    "health": (
        "zdraví", "zdravotní stav", "zdravie", "zdravotný stav", "nemoc", "choroba", "postižení", "sănătate",
        "starea de sănătate", "boală", "boli", "dizabilitate", "здоровье", "состояние здоровья", "заболевание",
        "болезнь", "инвалидность", "здоров'я", "стан здоров'я", "хвороба", "інвалідність", "健康", "健康状態",
        "健康状况", "健康狀況", "病気", "病歴", "疾病", "疾患", "障害", "残疾", "殘疾", "건강", "질병", "장애",
        "स्वास्थ्य", "बीमारी", "विकलांगता",
    ),
    "ethnicity": ("etnický původ", "etnicita", "etnikum", "etnie", "origine etnică", "этническое происхождение",
                  "этническая принадлежность", "етнічне походження", "民族", "人種", "人种", "種族", "种族",
                  "민족", "인종"),
    "race": ("раса", "人種", "人种", "種族", "种族", "인종"),
    "religion": (
        "náboženství", "náboženstvo", "vyznání", "vierovyznanie", "religie", "confesiune", "credință",
        "религия", "вероисповедание", "конфессия", "релігія", "віросповідання", "宗教", "信仰", "宗派", "종교",
        "धर्म",
    ),
    "sexual_orientation": ("sexuální orientace", "sexuálna orientácia", "orientare sexuală",
                           "сексуальная ориентация", "сексуальна орієнтація", "性的指向", "性取向", "성적 지향",
                           "यौन अभिविन्यास"),
    "gender_identity": ("genderová identita", "identitate de gen", "гендерная идентичность", "性自認",
                        "性别认同"),
    "political": ("politická příslušnost", "partid", "partid politic", "партия", "политические взгляды",
                  "партія", "政党", "支持政党", "党派", "政治", "정당", "राजनीतिक दल"),
    "union": ("odbory", "odborová organizace", "odborová organizácia", "sindicat", "профсоюз", "профспілка",
              "労働組合", "組合員", "工会", "工會", "노동조합", "श्रमिक संघ"),
}  # fmt: skip

_SENSITIVE_VALUES_CJK_ETC: dict[str, tuple[str, ...]] = {
    "health": (
        "cukrovka", "diabetici", "diabetik", "těhotné", "těhotenství", "tehotné", "tehotenstvo", "diabet",
        "diabetici", "gravide", "sarcină", "însărcinate", "депрессия", "диабет", "диабетики", "беременные",
        "беременность", "вагітні", "вагітність", "цукровий діабет", "糖尿病", "妊婦", "妊娠", "妊娠中", "孕妇",
        "孕婦", "怀孕", "懷孕", "うつ病", "抑郁症", "がん患者", "癌症患者", "임신", "임산부", "당뇨병",
        "गर्भवती", "मधुमेह",
    ),
    "religion": (
        "katolíci", "katolické", "katolický", "katolícke", "evangelíci", "evangelické", "evangelický",
        "muslimové", "moslimové", "židé", "pravoslavní", "pravoslávni", "moslimovia", "židia", "ortodox",
        "ortodoxă", "ortodocși", "catolici", "romano catolici", "greco catolici", "neoprotestanți", "creștini",
        "musulmani", "evrei", "православные", "православный", "мусульмане", "католики", "иудеи", "евреи",
        "буддисты", "христиане", "протестанты", "православні", "мусульмани", "греко католики", "християни",
        "юдеї", "キリスト教", "イスラム教", "仏教", "ユダヤ教", "ヒンドゥー教", "創価学会", "カトリック",
        "プロテスタント", "ムスリム", "基督教", "伊斯兰教", "伊斯蘭教", "佛教", "天主教", "穆斯林", "犹太教",
        "猶太教", "기독교", "불교", "천주교", "이슬람교", "हिंदू", "मुस्लिम", "ईसाई", "सिख", "बौद्ध",
    ),
    "sexual_orientation": ("gayové", "lesby", "homosexuálové", "homosexuáli", "homosexuali", "лгбт", "геи",
                           "лесбиянки", "гомосексуалы", "геї", "同性恋", "同性戀", "同性愛", "同性愛者", "ゲイ",
                           "レズビアン", "동성애자", "समलैंगिक"),
    "gender_identity": ("transgender", "трансгендеры", "トランスジェンダー", "跨性别"),
    "union": ("odboráři", "členové odborů", "členovia odborov", "membri de sindicat", "sindicaliști",
              "члены профсоюза", "члени профспілки", "労働組合員", "工会会员", "工會會員", "노조원"),
}  # fmt: skip

#: Conditions named by a diagnosis the lists above did not hold, and publications and apps whose readers or
#: users are selected by their orientation ("PinkNews readers", "Grindr users").
_SENSITIVE_VALUES_NAMED: dict[str, tuple[str, ...]] = {
    "health": (
        "crohn", "crohns", "crohn s", "coeliac", "celiac", "colitis", "ibs", "irritable bowel", "ptsd", "ocd",
        "lupus", "fibromyalgia", "cystic fibrosis", "sickle cell", "endometriosis", "haemophilia", "hemophilia",
        "tourette", "tourettes", "tourette s", "hiv positive", "cancer survivors", "stroke survivors",
        "expectant mothers", "expectant mums", "expectant moms", "expecting mothers", "mums to be",
        "moms to be", "mothers to be", "mamas to be",
    ),
    "sexual_orientation": ("pinknews", "pink news", "grindr", "gaydar", "planetromeo", "autostraddle", "queerty",
                           "attitude magazine", "diva magazine"),
}  # fmt: skip

_PROTECTED_SYNONYMS_CJK_ETC: dict[str, tuple[str, ...]] = {
    "gender": ("pohlaví", "pohlavie", "пол", "стать", "性別", "性别", "성별", "लिंग"),
    "sex": ("pohlaví", "pohlavie", "пол", "стать", "性別", "性别", "성별", "लिंग"),
    "age": ("věk", "vek", "vârstă", "vârsta", "возраст", "вік", "年齢", "年龄", "年紀", "年纪", "나이", "연령",
            "उम्र"),
    "race": ("раса", "人種", "人种", "種族", "种族", "인종"),
    "ethnicity": ("etnicita", "etnikum", "etnie", "民族", "人種", "人种", "민족", "जाति"),
    "religion": _SENSITIVE_ATTRIBUTE_WORDS_CJK_ETC["religion"],
    "disability": ("postižení", "dizabilitate", "инвалидность", "інвалідність", "障害", "残疾", "殘疾", "장애",
                   "विकलांगता"),
    "nationality": ("národnost", "národnosť", "státní občanství", "štátne občianstvo", "občanství", "občianstvo",
                    "naționalitate", "cetățenie", "национальность", "гражданство", "національність",
                    "громадянство", "国籍", "國籍", "국적", "राष्ट्रीयता", "नागरिकता"),
}  # fmt: skip

_PROTECTED_VALUES_CJK_ETC: dict[str, tuple[str, ...]] = {
    "gender": ("ženy", "muži", "femei", "bărbați", "женщины", "мужчины", "жінки", "чоловіки", "女性", "男性",
               "여성", "남성", "महिलाएं", "पुरुष"),
    "sex": ("ženy", "muži", "femei", "bărbați", "женщины", "мужчины", "жінки", "чоловіки", "女性", "男性",
            "여성", "남성", "महिलाएं", "पुरुष"),
    "age": (
        "senioři", "seniori", "důchodci", "dôchodcovia", "pensionari", "vârstnici", "пенсионеры", "пожилые",
        "пенсіонери", "літні люди", "高齢者", "老人", "シニア", "老年人", "长者", "長者", "노인", "वरिष्ठ नागरिक",
        "बुजुर्ग", "mladiství", "adolescenți", "подростки", "підлітки", "青少年", "ティーン",
        # generations and stages of life named for an age ("digital natives" are the young, "silver surfers"
        # the old): a price or a protected campaign aimed at them is aimed at an age
        "digital natives", "silver surfers", "generation x", "gen x", "generation y", "gen y", "generation z",
        "generation alpha", "gen alpha", "recent graduates", "recent grads", "new graduates", "school leavers",
        "empty nesters",
    ),
    "disability": ("zdravotně postižení", "persoane cu dizabilități", "инвалиды", "люди с инвалидностью",
                   "障害者", "残疾人", "殘疾人", "장애인", "विकलांग"),
}  # fmt: skip

_AGE_WORDS_CJK_ETC = ("věk", "vek", "vârstă", "vârsta", "varsta", "возраст", "вік", "年齢", "年龄", "年紀", "年纪",
                      "나이", "연령", "उम्र")  # fmt: skip
_MINOR_WORDS_CJK_ETC = (
    "děti", "dětí", "deti", "detí", "mládež", "nezletilí", "žáci", "školáci", "žiaci", "copii", "copiii",
    "copiilor", "adolescenți", "minori", "elevi", "дети", "детей", "школьники", "подростки", "несовершеннолетние",
    "діти", "дітей", "школярі", "підлітки", "неповнолітні", "子供", "子ども", "こども", "児童", "儿童", "兒童",
    "未成年", "未成年者", "小学生", "中学生", "高校生", "青少年", "어린이", "아동", "청소년", "미성년자",
    "बच्चे", "बच्चों", "किशोर",
)  # fmt: skip
#: Words that make a number an age ("děti 6-12 let", "copii 8-12 ani", "дети 7-10 лет").
_AGE_CONTEXT_CJK_ETC = ("rokov", "лет", "года", "років", "роки", "साल", "वर्ष", "歳", "岁", "세")
_SEGMENT_WORDS_CJK_ETC = ("skupina", "cílová skupina", "cieľová skupina", "segmentul", "grup țintă", "группа",
                          "сегмент", "аудитория", "група", "аудиторія", "セグメント", "対象", "客群", "群体",
                          "分组", "세그먼트", "समूह")  # fmt: skip

#: Chinese, Japanese and Korean terms of the lists above (canonical form: a Japanese voiced mark is dropped
#: like an accent), read inside a longer run of those scripts.
_CJK_WHOLE = frozenset(
    canonical_id(term)
    for terms in (
        *_SENSITIVE_ATTRIBUTE_WORDS_CJK_ETC.values(),
        *_SENSITIVE_VALUES_CJK_ETC.values(),
        *_PROTECTED_SYNONYMS_CJK_ETC.values(),
        *_PROTECTED_VALUES_CJK_ETC.values(),
        _AGE_WORDS_CJK_ETC,
        _MINOR_WORDS_CJK_ETC,
        _SEGMENT_WORDS_CJK_ETC,
    )
    for term in terms
    if _CJK_SCRIPT.search(term) and " " not in term
)
_CJK_INSIDE = re.compile("|".join(re.escape(t) for t in sorted(_CJK_WHOLE, key=lambda t: (-len(t), t))))
_words.cache_clear()  # nothing was read inside a run before the terms were known

_extend(SENSITIVE_ATTRIBUTE_WORDS, _SENSITIVE_ATTRIBUTE_WORDS_CJK_ETC)
_extend(SENSITIVE_VALUES, _SENSITIVE_VALUES_CJK_ETC)
_extend(SENSITIVE_VALUES, _SENSITIVE_VALUES_NAMED)
_extend(PROTECTED_SYNONYMS, _PROTECTED_SYNONYMS_CJK_ETC)
_extend(PROTECTED_VALUES, _PROTECTED_VALUES_CJK_ETC)
PROTECTED_VALUES["religion"] = PROTECTED_VALUES["religion"] + _folded(_SENSITIVE_VALUES_CJK_ETC["religion"])
_AGE_WORDS_OTHER = _AGE_WORDS_OTHER | frozenset(_folded(_AGE_WORDS_CJK_ETC))
MINOR_WORDS = MINOR_WORDS | frozenset(_folded(_MINOR_WORDS_CJK_ETC))
_AGE_CONTEXT = _AGE_CONTEXT | frozenset(_folded(_AGE_CONTEXT_CJK_ETC))
_SEGMENT_WORDS = _SEGMENT_WORDS | frozenset(_folded(_SEGMENT_WORDS_CJK_ETC))
_SENSITIVE_STEMS["religion"] = (*_SENSITIVE_STEMS["religion"], "nabozens", "vierovyzn")

#: Values that name a family or marital status, which the proxies ``family status`` and ``marital status``
#: stand for (the Fair Housing Act's familial status): read where protected targeting applies (AG506), in a
#: criterion on any attribute ("household_type: adults only, no children", "segment: childless couples").
PROXY_VALUES: dict[str, tuple[str, ...]] = {
    "family status": (
        "no children", "no kids", "without children", "without kids", "childless", "child free", "childfree",
        "kid free", "adults only", "dinks", "dink", "double income no kids", "single parents", "single parent",
        "single mothers", "single mums", "single moms", "single fathers", "single dads", "families with children",
        "families with kids", "households with children", "households with kids", "ohne kinder", "sans enfants",
        "sin hijos", "senza figli", "zonder kinderen", "sem filhos", "bez dětí", "bez detí", "fără copii",
        "без детей", "без дітей",
    ),
    "marital status": (
        "married", "married couples", "unmarried", "divorced", "divorcees", "widowed", "widows", "widowers",
        "verheiratet", "ledig", "geschieden", "verwitwet", "celibataire", "casado",
        "casados", "soltero", "solteros", "divorciado", "sposati", "celibe", "nubile", "getrouwd",
        "ongehuwd", "ženatý", "vdaná", "căsătoriți", "женатые", "замужние", "холостые", "разведённые",
        "既婚", "未婚", "已婚", "离异",
    ),
}  # fmt: skip
PROXY_VALUES = {key: _folded(terms) for key, terms in PROXY_VALUES.items()}


def proxy_value(value: Any) -> tuple[str, str] | None:
    """``(proxy, term)`` when a string of ``value`` names a family or marital status (see
    :data:`PROXY_VALUES`; a criterion's ``true``/``false`` carries none), else None."""
    return _named(value, list(PROXY_VALUES.items()))


# -- Vietnamese, Indonesian and Malay, Thai and Hebrew --------------------------------------------------------------
#
# The same lists in four more languages, read as :func:`name_words` reads them (Vietnamese tones and Thai vowel
# signs fold away like accents: "tuổi" is "tuoi", "อายุ" is "อาย"). Thai writes no spaces between words, so its
# terms are read inside a longer run like the CJK ones; a Thai term shorter than three letters, or one that
# is mostly part of another word ("ชาย", male, in "ชายหาด", a beach), is read only as a word of its own.
# Short words that are mostly something else are left out ("nam", male and also south or Vietnam; "nữ"; the
# Hebrew "מין", sex and also kind).
_PROTECTED_SYNONYMS_SEA_HE: dict[str, tuple[str, ...]] = {
    "gender": ("giới tính", "jenis kelamin", "jantina", "เพศ", "מגדר"),
    "sex": ("giới tính", "jenis kelamin", "jantina", "เพศ", "מגדר"),
    "age": ("tuổi", "độ tuổi", "usia", "umur", "อายุ", "ช่วงอายุ", "גיל", "טווח גילאים"),
    "race": ("chủng tộc", "เชื้อชาติ", "גזע"),
    "ethnicity": ("dân tộc", "sắc tộc", "suku", "etnis", "suku bangsa", "ชาติพันธุ์", "מוצא עדתי"),
    "religion": ("tôn giáo", "agama", "ศาสนา", "דת"),
    "disability": ("khuyết tật", "disabilitas", "kecacatan", "ความพิการ", "מוגבלות"),
    "nationality": ("quốc tịch", "kewarganegaraan", "warganegara", "สัญชาติ", "לאום", "אזרחות"),
}  # fmt: skip
_PROTECTED_VALUES_SEA_HE: dict[str, tuple[str, ...]] = {
    "gender": ("phụ nữ", "đàn ông", "nam giới", "nữ giới", "wanita", "perempuan", "pria", "laki laki",
               "ผู้หญิง", "ผู้ชาย", "נשים", "גברים"),
    "sex": ("phụ nữ", "đàn ông", "nam giới", "nữ giới", "wanita", "perempuan", "pria", "laki laki",
            "ผู้หญิง", "ผู้ชาย", "נשים", "גברים"),
    "age": ("người cao tuổi", "người già", "lansia", "manula", "pensiunan", "ผู้สูงอายุ",
            "ผู้เกษียณ", "קשישים", "גמלאים", "פנסיונרים", "אזרחים ותיקים", "remaja", "thanh thiếu niên",
            "วัยรุ่น", "בני נוער"),
    "disability": ("người khuyết tật", "penyandang disabilitas", "difabel", "คนพิการ", "נכים",
                   "אנשים עם מוגבלות"),
}  # fmt: skip
_SENSITIVE_ATTRIBUTE_WORDS_SEA_HE: dict[str, tuple[str, ...]] = {
    "religion": ("tôn giáo", "agama", "ศาสนา", "דת"),
    "health": ("tình trạng sức khỏe", "kondisi kesehatan", "riwayat penyakit", "โรคประจำตัว", "מצב בריאותי"),
}
_SENSITIVE_VALUES_SEA_HE: dict[str, tuple[str, ...]] = {
    "religion": ("công giáo", "phật giáo", "tin lành", "hồi giáo", "muslim", "kristen", "katolik", "hindu",
                 "buddha", "ชาวพุทธ", "มุสลิม", "คริสเตียน", "מוסלמים", "נוצרים", "יהודים", "דתיים",
                 "חרדים"),
    "sexual_orientation": ("đồng tính", "gay", "lesbian", "เกย์", "הומואים", "לסביות", "להט\"ב", "להטב"),
    "health": ("tiểu đường", "diabetes", "hamil", "ibu hamil", "mang thai", "เบาหวาน", "ตั้งครรภ์", "סוכרת",
               "בהריון"),
}  # fmt: skip
_AGE_WORDS_SEA_HE = ("tuổi", "độ tuổi", "usia", "umur", "อายุ", "גיל")
_MINOR_WORDS_SEA_HE = ("trẻ em", "thiếu nhi", "thiếu niên", "học sinh", "anak anak", "anak", "remaja", "siswa",
                       "เด็ก", "นักเรียน", "ילדים", "בני נוער", "נוער", "תלמידים")  # fmt: skip
_AGE_CONTEXT_SEA_HE = ("tuổi", "tahun", "ปี", "שנים", "בני")
_SEGMENT_WORDS_SEA_HE = ("nhóm", "phân khúc", "đối tượng", "kelompok", "segmen", "grup", "target pasar",
                         "กลุ่ม", "กลุ่มเป้าหมาย", "קבוצה", "קהל יעד", "פלח")  # fmt: skip

_THAI_SCRIPT = re.compile("[\u0e00-\u0e7f]")
#: Thai terms read only as a word of their own (too short, or inside common words).
_THAI_WHOLE_ONLY = frozenset(canonical_id(t) for t in ("กลุ่ม", "เด็ก", "ปี", "ผู้ชาย"))
_CJK_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_CJK_WHOLE = _CJK_WHOLE | frozenset(
    canonical_id(term)
    for terms in (
        *_PROTECTED_SYNONYMS_SEA_HE.values(),
        *_PROTECTED_VALUES_SEA_HE.values(),
        *_SENSITIVE_ATTRIBUTE_WORDS_SEA_HE.values(),
        *_SENSITIVE_VALUES_SEA_HE.values(),
        _AGE_WORDS_SEA_HE,
        _MINOR_WORDS_SEA_HE,
        _SEGMENT_WORDS_SEA_HE,
    )
    for term in terms
    if _THAI_SCRIPT.search(term)
    and " " not in term
    and len(canonical_id(term)) >= 3
    and canonical_id(term) not in _THAI_WHOLE_ONLY
)
_CJK_INSIDE = re.compile("|".join(re.escape(t) for t in sorted(_CJK_WHOLE, key=lambda t: (-len(t), t))))
_words.cache_clear()

_extend(PROTECTED_SYNONYMS, _PROTECTED_SYNONYMS_SEA_HE)
_extend(PROTECTED_VALUES, _PROTECTED_VALUES_SEA_HE)
_extend(SENSITIVE_ATTRIBUTE_WORDS, _SENSITIVE_ATTRIBUTE_WORDS_SEA_HE)
_extend(SENSITIVE_VALUES, _SENSITIVE_VALUES_SEA_HE)
PROTECTED_VALUES["religion"] = PROTECTED_VALUES["religion"] + _folded(_SENSITIVE_VALUES_SEA_HE["religion"])
_AGE_WORDS_OTHER = _AGE_WORDS_OTHER | frozenset(_folded(_AGE_WORDS_SEA_HE))
MINOR_WORDS = MINOR_WORDS | frozenset(_folded(_MINOR_WORDS_SEA_HE))
_AGE_CONTEXT = _AGE_CONTEXT | frozenset(_folded(_AGE_CONTEXT_SEA_HE))
_SEGMENT_WORDS = _SEGMENT_WORDS | frozenset(_folded(_SEGMENT_WORDS_SEA_HE))


# -- Swahili, Tagalog, Bengali, Tamil, Persian, Urdu, Amharic, Georgian, Armenian, Icelandic, Lithuanian, Estonian,
# -- Latvian, Serbian, Bulgarian, Catalan and Welsh -------------------------------------------------------------
#
# The same lists in seventeen more languages, in their own spelling and read as :func:`name_words` reads them
# (accents folded, look-alike letters as Latin; the Bengali and Tamil vowel signs stay in the word). Words that
# are mostly something else in English or another language the gate reads are left out: the Welsh "plant"
# (children), the Estonian "lapsed" (children; "lapsed customers"), the Icelandic "börn" (children, which folds
# to "born"), the Catalan "homes" (men), the Estonian "keel" (language), the Catalan "salut" (health; a
# greeting), the Serbian "vera" (faith; a name), "rod" and "pol" (Serbian gender and sex; a fishing rod,
# a country code), "rasa" (Serbian race; Indonesian taste) and the Welsh "hil" (race). Plurals only for women and men, as above.
_PROTECTED_SYNONYMS_WIDER: dict[str, tuple[str, ...]] = {
    "gender": ("jinsia", "kasarian", "লিঙ্গ", "பாலினம்", "جنسیت", "جنس", "ጾታ", "სქესი", "սեռ", "kyn", "lytis",
               "sugu", "dzimums", "gènere", "sexe", "rhyw"),
    "sex": ("jinsia", "kasarian", "লিঙ্গ", "பாலினம்", "جنسیت", "جنس", "ጾታ", "სქესი", "սեռ", "kyn", "lytis",
            "sugu", "dzimums", "sexe", "rhyw"),
    "age": ("umri", "gulang", "বয়স", "வயது", "سن", "عمر", "ዕድሜ", "እድሜ", "ასაკი", "տարիք", "aldur",
            "amžius", "vanus", "vecums", "starost", "узраст", "старост", "възраст", "edat", "oedran"),
    "race": ("rangi ya ngozi", "lahi", "জাতি", "இனம்", "نژاد", "نسل", "ዘር", "რასა", "ռասա", "kynþáttur",
             "rasė", "rass", "rase", "раса", "raça"),
    "ethnicity": ("kabila", "etnisidad", "জাতিগত", "নৃগোষ্ঠী", "இனக்குழு", "قومیت", "قوم", "ብሔር", "ეთნიკური",
                  "ეთნოსი", "էթնիկ", "þjóðernishópur", "tautinė kilmė", "etniline", "etniskā", "etnička pripadnost",
                  "етничка припадност", "етнос", "етническа принадлежност", "ètnia", "ethnigrwydd"),
    "religion": ("dini", "imani", "relihiyon", "ধর্ম", "மதம்", "مذهب", "دین", "مذہب", "ሃይማኖት", "რელიგია",
                 "აღმსარებლობა", "կրոն", "trúarbrögð", "trú", "religija", "tikėjimas", "usk", "religioon",
                 "reliģija", "ticība", "veroispovest", "вероисповест", "вера", "религия", "вяра", "religió",
                 "crefydd"),
    "disability": ("ulemavu", "kapansanan", "প্রতিবন্ধিতা", "மாற்றுத்திறன்", "معلولیت", "معذوری", "አካል ጉዳት",
                   "შეზღუდული შესაძლებლობა", "հաշմանդամություն", "fötlun", "negalia", "puue", "invaliditāte",
                   "invaliditet", "инвалидитет", "увреждане", "discapacitat", "anabledd"),
    "nationality": ("uraia", "nasyonalidad", "pagkamamamayan", "জাতীয়তা", "নাগরিকত্ব", "தேசியம்", "குடியுரிமை",
                    "ملیت", "تابعیت", "شہریت", "ዜግነት", "ეროვნება", "მოქალაქეობა", "ազգություն",
                    "քաղաքացիություն", "þjóðerni", "ríkisfang", "pilietybė", "tautybė", "kodakondsus", "rahvus",
                    "pilsonība", "tautība", "nacionalnost", "državljanstvo", "националност", "држављанство",
                    "националност", "гражданство", "nacionalitat", "cenedligrwydd"),
}  # fmt: skip
_PROTECTED_VALUES_WIDER: dict[str, tuple[str, ...]] = {
    "gender": ("wanawake", "wanaume", "kababaihan", "kalalakihan", "mga babae", "mga lalaki", "মহিলারা",
               "নারীরা", "পুরুষরা", "பெண்கள்", "ஆண்கள்", "زنان", "مردان", "بانوان", "خواتین", "عورتیں", "ሴቶች",
               "ወንዶች", "ქალები", "მამაკაცები", "კაცები", "կանայք", "տղամարդիկ", "konur", "karlar", "moterys",
               "vyrai", "naised", "mehed", "sievietes", "vīrieši", "žene", "muškarci", "жене", "мушкарци", "жени",
               "мъже", "dones", "menywod", "dynion"),
    "sex": ("wanawake", "wanaume", "kababaihan", "kalalakihan", "mga babae", "mga lalaki", "মহিলারা",
            "নারীরা", "পুরুষরা", "பெண்கள்", "ஆண்கள்", "زنان", "مردان", "بانوان", "خواتین", "عورتیں", "ሴቶች",
            "ወንዶች", "ქალები", "მამაკაცები", "კაცები", "կանայք", "տղամարդիկ", "konur", "karlar", "moterys",
            "vyrai", "naised", "mehed", "sievietes", "vīrieši", "žene", "muškarci", "жене", "мушкарци", "жени",
            "мъже", "dones", "menywod", "dynion"),
    "age": ("wazee", "wastaafu", "mga nakatatanda", "nakatatanda", "mga retirado", "প্রবীণ", "অবসরপ্রাপ্ত",
            "முதியவர்கள்", "ஓய்வூதியர்கள்", "سالمندان", "بازنشستگان", "بزرگ شہری", "ሽማግሌዎች", "አረጋውያን",
            "ጡረተኞች", "პენსიონერები", "ხანდაზმულები", "թոշակառուներ", "տարեցներ",
            "eldri borgarar", "ellilífeyrisþegar", "pensininkai", "senjorai", "pensionärid", "eakad",
            "pensionāri", "seniori", "penzioneri", "пензионери", "пенсионери", "възрастни хора", "jubilats",
            "gent gran", "pensiynwyr", "pobl hŷn"),
    "disability": ("walemavu", "watu wenye ulemavu", "may kapansanan", "প্রতিবন্ধী", "மாற்றுத்திறனாளிகள்",
                   "معلولان", "معذور افراد", "አካል ጉዳተኞች", "შშმ პირები", "հաշմանդամներ", "fatlaðir",
                   "neįgalieji", "puudega inimesed", "invalīdi", "osobe sa invaliditetom", "хора с увреждания",
                   "persones amb discapacitat", "pobl anabl"),
}  # fmt: skip
_SENSITIVE_ATTRIBUTE_WORDS_WIDER: dict[str, tuple[str, ...]] = {
    "religion": _PROTECTED_SYNONYMS_WIDER["religion"],
    "health": ("afya", "hali ya afya", "kalusugan", "স্বাস্থ্য", "உடல்நலம்", "سلامت", "وضعیت سلامت", "صحت",
               "ጤና", "ჯანმრთელობა", "առողջություն", "heilsa", "heilsufar", "sveikata", "tervis", "veselība",
               "zdravlje", "здравље", "здраве", "estat de salut", "iechyd"),
}  # fmt: skip
_SENSITIVE_VALUES_WIDER: dict[str, tuple[str, ...]] = {
    "religion": ("waislamu", "wakristo", "wahindu", "wayahudi", "wakatoliki", "katoliko", "mga katoliko",
                 "kristiyano", "mga kristiyano", "mga muslim", "মুসলিম", "মুসলমান", "হিন্দু", "খ্রিস্টান", "বৌদ্ধ",
                 "முஸ்லிம்", "முஸ்லிம்கள்", "இந்து", "இந்துக்கள்", "கிறிஸ்தவர்", "கிறிஸ்தவர்கள்", "مسلمان",
                 "مسلمانان", "شیعه", "شیعیان", "سنی", "مسیحی", "مسیحیان", "یهودیان", "بهائی", "بهائیان", "ہندو",
                 "عیسائی", "سکھ", "شیعہ", "ሙስሊም", "ክርስቲያን", "ኦርቶዶክስ", "მუსლიმი", "მუსლიმები",
                 "მართლმადიდებელი", "ქრისტიანი", "ქრისტიანები", "քրիստոնյա", "քրիստոնյաներ", "մուսուլման",
                 "մուսուլմաններ", "múslimar", "kristnir", "kaþólikkar", "gyðingar", "musulmonai", "katalikai",
                 "žydai", "stačiatikiai", "moslemid", "luterlased", "õigeusklikud", "juudid", "musulmaņi",
                 "luterāņi", "katoļi", "ebreji", "pareizticīgie", "muslimani", "pravoslavni", "katolici",
                 "муслимани", "православни", "католици", "мюсюлмани", "евреи", "musulmans", "catòlics", "jueus",
                 "cristians", "mwslimiaid", "cristnogion", "iddewon"),
    "sexual_orientation": ("mashoga", "bakla", "همجنسگرایان", "samkynhneigðir", "gėjai", "geji", "gejevi",
                           "гејеви", "гейове", "lesbianes", "hoyw"),
    "health": ("wajawazito", "kisukari", "buntis", "باردار", "دیابت", "barnshafandi", "sykursýki", "nėščiosios",
               "diabetas", "rasedad", "diabeet", "grūtnieces", "diabēts", "trudnice", "dijabetes", "бременни",
               "диабет", "embarassades", "diabetis", "beichiog"),
}  # fmt: skip
_AGE_WORDS_WIDER = _PROTECTED_SYNONYMS_WIDER["age"]
_MINOR_WORDS_WIDER = ("watoto", "mtoto", "kabataan", "tinedyer", "শিশু", "শিশুরা", "কিশোর", "কিশোরী",
                      "குழந்தைகள்", "சிறுவர்கள்", "کودکان", "کودک", "نوجوانان", "بچے", "بچوں", "ልጆች", "ታዳጊዎች",
                      "ბავშვები", "მოზარდები", "երեխաներ", "դեռահասներ", "unglingar", "krakkar", "vaikai",
                      "paaugliai", "teismelised", "noorukid", "bērni", "pusaudži", "deca", "деца", "tinejdžeri",
                      "тинејџери", "тийнейджъри", "nens", "nenes", "infants", "adolescents")  # fmt: skip
_AGE_CONTEXT_WIDER = ("miaka", "taon", "taong", "gulang", "বছর", "வயது", "سال", "ساله", "ዓመት", "წლის", "տարեկան",
                      "ára", "metų", "metai", "aastat", "aastased", "gadi", "gadus", "gadu", "godina", "година",
                      "години", "anys", "oed", "mlwydd")  # fmt: skip
_SEGMENT_WORDS_WIDER = ("kundi", "hadhira", "pangkat", "গোষ্ঠী", "குழு", "گروه", "گروپ", "ቡድን", "ჯგუფი",
                        "խումբ", "hópur", "markhópur", "grupė", "auditorija", "rühm", "sihtrühm", "mērķauditorija",
                        "група", "сегмент", "аудитория", "grup", "públic", "grŵp", "cynulleidfa")  # fmt: skip

_extend(PROTECTED_SYNONYMS, _PROTECTED_SYNONYMS_WIDER)
_extend(PROTECTED_VALUES, _PROTECTED_VALUES_WIDER)
_extend(SENSITIVE_ATTRIBUTE_WORDS, _SENSITIVE_ATTRIBUTE_WORDS_WIDER)
_extend(SENSITIVE_VALUES, _SENSITIVE_VALUES_WIDER)
PROTECTED_VALUES["religion"] = PROTECTED_VALUES["religion"] + _folded(_SENSITIVE_VALUES_WIDER["religion"])
_AGE_WORDS_OTHER = _AGE_WORDS_OTHER | frozenset(_folded(_AGE_WORDS_WIDER))
MINOR_WORDS = MINOR_WORDS | frozenset(_folded(_MINOR_WORDS_WIDER))
_AGE_CONTEXT = _AGE_CONTEXT | frozenset(_folded(_AGE_CONTEXT_WIDER))
_SEGMENT_WORDS = _SEGMENT_WORDS | frozenset(_folded(_SEGMENT_WORDS_WIDER))
#: Words for the adults around children in those languages ("pares de nens", "foreldrar barna"): a segment
#: that names them is about those adults.
_CARER_WORDS = _CARER_WORDS | frozenset(
    _folded(
        ("wazazi", "magulang", "বাবা মা", "অভিভাবক", "பெற்றோர்", "والدین", "ወላጆች", "მშობლები", "ծնողներ",
         "foreldrar", "tėvai", "vanemad", "vecāki", "roditelji", "родитељи", "родители", "pares", "mares",
         "famílies", "rhieni", "teuluoedd")
    )
)  # fmt: skip
