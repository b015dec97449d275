"""A person's postal address in outgoing content (PV114, kind ``postal_address``).

Rule-based, in the spirit of libpostal's street-type dictionaries but without its statistical parser (too big
to depend on) and unlike Presidio, which has no address recogniser outside NER. Every address holds a number,
so the recogniser starts from the text's runs of digits and looks only around them (linear time: a window of
:data:`_HEAD_REACH` characters before each number, a bounded extension after it):

* **number, then street** (English: "14 Rosewood Avenue", "77 W Elm St"; French: "12 rue des Lilas",
  "8 bis avenue Jean Jaurès"): a house number followed by capitalised words and a street word of the
  language ("Road", "Lane", "Crescent"…) or a French street type and its name;
* **street, then number** — a street-type word before the name (Italian "Via Roma 25", Spanish "Calle de
  Alcalá 120", "C/ Mayor 14", Portuguese "Rua das Flores, 123", Polish "ul. Długa 12/4", French-speaking
  Belgium and Switzerland "Rue du Rhône 14") or a street word at the end of a compound (German "Hauptstraße
  12", "Schillerstr. 28", "Mariahilfer Straße 88/2/14", Dutch "Kerkstraat 12", Swedish "Storgatan 14");
* **post-office boxes** ("PO Box 3391", "Postfach 10 04 52", "Postbus 318", "Apartado de Correos 221",
  "Caixa Postal 1024", "Skrytka pocztowa 112");
* **Japanese block addresses in romaji** ("3-12-5 Jingumae, Shibuya-ku", "Odori Nishi 5-11-2" next to a
  "-ku" / "-shi"; "1-2-3 umeda kita-ku" in lower case with its ward);
* **number, then a road or village** (Korean "45 Teheran-ro 12-gil" with a "-gu" after it or a postcode,
  Thai "99/45 Moo 3", Vietnamese "25 Ngõ 102 Trường Chinh");
* **Colombia's grid** ("Calle 93 # 11-26", "cra 43a #1 sur-100");
* **a street word after the name** (Turkish "Bağdat Cad. No: 214", Latvian "Brīvības iela 40", Slovene
  "Slovenska cesta 54", Hungarian "Andrássy út 47", Estonian "Narva mnt 25", Lithuanian "Gedimino pr. 9"):
  with a postcode after it, or a postcode and town before it ("1065 Budapest, Andrássy út 47");
* **a house or villa and its numbered street** ("Villa 21, Street 14", "House 42, Street 7");
* **a house name and its street without a number** ("Rose Cottage, Mill Lane, Little Snoring NR21 0AX",
  "The Old Vicarage, Church Street, Tetbury"), found from the street between commas or new lines rather than
  from a number: a house word ("Cottage", "Rectory", "Haus"…) with a postcode or a word for a person's
  address, any capitalised name with both; a house name and a postcode without a street ("Glenview House,
  Ballyvaughan, Co. Clare, V95 E2K7"); a house name before a numbered street joins its span;
* **lower case** (chat: "12 baker street london nw1 6xe", "calle mayor 5", "hauptstraße 12"): only street
  words that are seldom ordinary words, no function word, unit or prose adjective in the name, and a postcode
  after it (lower-case postcodes and towns are then read too) or a word for a person's address with nothing
  but punctuation or a flat after the number ("my address is 310 maple ave", not "my 2 mountain road bikes");
  street words that are ordinary words too ("gardens", "bank", "row", "mews", "crescent", "terrace"; "Bank"
  capitalised too) only with a postcode or a strong word for a person's address ("my address is 8 lavender
  gardens"); a lower-case town after a comma without a postcode when the message, a clause or a chat word
  ends it ("12 elm road, ashby"); streets named after a date ("calle 5 de mayo 14");
* **counted things**: a number right after a verb of buying, giving or listing ("send me 3 Abbey Road",
  "order 2 Fifth Avenue gift boxes") counts records or products: an English street after it needs a postcode
  or a strong word for a person's address;
* **over several lines** ("Ship to:\n14 Rowan Close\nLeeds\nLS6 4AB"): the tail goes on over up to three
  new lines when one of them holds the postcode; a label on the line before ("mi dirección:") is a cue;
* **weaker shapes only with a postcode after them**: a bare street name and number ("Meir 34 bus 2, 2000
  Antwerpen"), a German "Am Rosenhang 7", a short box ("BP 57", "Box 1023", "C.P. 88"), compounds whose
  street word is also an ordinary ending ("-ring", "-markt", "-gate", "-tie"), a Scandinavian street named in
  the genitive ("Karl Johans gate 22"), Portuguese "R. Augusta 1508", an Indian house number's label or
  cross road ("H.No. 12-2-417/5", "14th Cross"), and a one-word street without a street word ("12
  Quayside, Newcastle NE1 3DX": a postcode of letters and digits after its town); an Irish county after the
  town ("ennis co clare") counts as a postcode.

Without a postcode or a town after a comma, a street address also needs a word for a person's address in
its sentence ("my", "ship to", "Lieferadresse", "wohne"…): products and episodes are named after streets too
("3 Main Street gift cards", "Bergweg 3 Kollektion").

A postcode alone is never an address: it is supporting evidence (the finding says which country's shape it
has), and it extends the span with the flat or unit, a Mexican colonia ("col. Centro"), a Canadian delivery
station after a box ("succursale Place d'Armes", "Stn A"), the town and the state around it; a bare number
on the line after a town is a year ("London\n2012 Olympics"), and a person's name (a packaged given name and
the word after it) before a house name or a street without a number is left out of the span. Not reported: the
brand's own published address (``brand.postal_address``, ``disclosures.email.address``,
``creative.email.postal_address``, and addresses in ``privacy.allow``, compared on their street and
number), an address that a word for a business or a venue introduces in its sentence ("our Leeds store
opens at 22 Briggate", "venue:", "Filiale", "boutique", "tienda", "negozio", "winkel", "sklep", "butik",
"loja") unless a word for a person's address comes closer ("my address", "ship to", "Lieferadresse"), and a
street named without a house number ("turn left on Elm Street"), which does not locate one household.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["AddressHit", "find_postal_addresses", "street_key", "street_keys"]

#: How far before a number the street that it belongs to may start.
_HEAD_REACH = 70
#: How far the flat, town, state and postcode after the street may reach.
_TAIL_REACH = 110
#: Numbers looked at per text: one per this many characters at most (a table of numbers costs no more than
#: prose; an address past the budget in such a text is not found).
_SPARSE = 50

# with the capitals of Cyrillic (Ѐ-Я, Ґ) and Greek (Ά, Έ-Ώ, Α-Ω): streets and towns written in those scripts
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ\u0400-\u042fҐ\u0386\u0388-\u038f\u0391-\u03a9"
_CAP_WORD = rf"[{_UP}][\w'’-]*"
_LETTERS_WORD = rf"[{_UP}][^\W\d_]*(?:[-'’][^\W\d_]+)*"

# -- English and French: the number comes first ---------------------------------------------------------

_EN_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Court|Ct|Close|Cl|Crescent|Cres|Terrace|Tce|Terr|Way|"
    "Place|Pl|Boulevard|Blvd|Parade|Pde|Grove|Gr|Gardens|Gdns|Square|Sq|Row|Mews|Walk|Highway|Hwy|Circle|Cir|"
    "Trail|Trl|Parkway|Pkwy|Park|Hill|View|Rise|Green|Wharf|Quay|Esplanade|Broadway|Bend|Heights|Hts|Alley|"
    "Cove|Ridge|Vale|Wynd|Loop|Run|Path|Pike|Turnpike|Expressway|Causeway|Chase|Dale|Gate|Glen|Meadow|"
    "Meadows|Brae|Hollow|Point|Crossing|Yard|Fold|Mount|Bank"
)
_EN_TYPE_SET = frozenset(_EN_TYPES.split("|"))
#: The street words that are abbreviations ("St.", "Rd."): their dot is theirs, not the sentence's.
_EN_ABBREVIATIONS = frozenset(
    re.findall(r"\S+", "St Rd Ave Ln Dr Ct Cl Cres Tce Terr Pl Blvd Pde Gr Gdns Sq Hwy Cir Trl Pkwy Hts")
)
#: An ordinal street's name ("5th Ave", "West 73rd Street") and a numbered one ("104 Street NW").
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
_NUMBERED = r"\d{1,3}(?=\s+(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Way)\b)"
#: A house number and up to five capitalised words; :func:`_english_street` finds the street word among them.
_NUMBER_FIRST_EN = re.compile(
    rf"(?<![\w.,-])\d{{1,5}}[A-Za-z]?(?!\w)(?:-\d{{1,5}})?,?\s+"
    rf"(?P<words>(?:(?:The|[NSEW]\.?|{_CAP_WORD}|{_ORDINAL}|{_NUMBERED})\s+){{1,4}}[A-Z][a-z]{{1,11}}\.?)(?![\w'’-])"
)
_EN_WORD = re.compile(r"\S+")
_DIRECTION = re.compile(r"\s+(?:East|West|North|South|NE|NW|SE|SW|E|W|N|S|Est|Ouest|Nord|Sud)(?![\w'’-])")


def _english_street(text: str, p: int) -> int | None:
    """The end of "14 Rosewood Avenue" (an English street: its last street word after one or more words of
    its name, then a direction such as "East") starting at ``p``, or None."""
    m = _NUMBER_FIRST_EN.match(text, p)
    if m is None:
        return None
    words = list(_EN_WORD.finditer(text, m.start("words"), m.end("words")))
    for w in reversed(words[1:]):
        word = w.group().rstrip(".")
        if word in _EN_TYPE_SET:
            end = (
                w.start() + len(word) if word not in _EN_ABBREVIATIONS else w.end()
            )  # "Court." ends a sentence
            d = _DIRECTION.match(text, end)
            return d.end() if d is not None else end
    return None


_FR_TYPES = (
    r"rue|avenue|av\.|bd\.?|boulevard|chemin|ch\.|impasse|all[ée]e|place|pl\.|quai|route|rte|cours|passage|"
    r"square|faubourg|fbg|sentier|voie|mont[ée]e|cit[ée]|r[ée]sidence|hameau|lieu-dit|rang|c[ôo]te|ruelle"
)
_FR_PARTICLES = r"(?:d['’]\s?|de\s+|du\s+|des\s+|la\s+|le\s+|les\s+|l['’]\s?)"
_NUMBER_FIRST_FR = re.compile(
    rf"(?<![\w.,-])(?<!\d,)\d{{1,4}}(?:\s?(?:bis|ter|quater)|[A-C])?(?!\w),?\s+(?i:{_FR_TYPES})\s+"
    rf"{_FR_PARTICLES}{{0,2}}[{_UP}0-9][\w'’-]*"
    rf"(?:\s+(?:(?:d['’]|de|du|des|la|le|les|l['’]|sur|en|et|aux?)\s*)*{_CAP_WORD}){{0,4}}"
)

# -- Japanese block addresses in romaji ("3-12-5 Jingumae", "Odori Nishi 5-11-2") --------------------------

_CHOME = r"\d{1,2}-\d{1,3}(?:-\d{1,3})?(?![\w-])"
_ROMAJI_WORD = r"[A-Z][a-z]+(?:-[A-Za-z]+)?"
#: After a block number the district may be typed in lower case ("1-2-3 umeda kita-ku osaka"): a ward must
#: then stand in the words read (see :func:`_at`).
_NUMBER_FIRST_JP = re.compile(
    rf"(?<![\w.-]){_CHOME}\s+[A-Za-z][a-z]+(?:-[A-Za-z]+)?(?:\s+[A-Za-z][a-z]+(?:-[A-Za-z]+)?){{0,2}}"
)
_JP_WARD = re.compile(r"\b[A-Za-z][a-z]+-(?:ku|shi|cho|machi|gun|ken)\b")

# -- number first, then a Korean road ("45 Teheran-ro 12-gil", "23 banpo-daero"), a Thai village number ("99/45
# Moo 3") or a Vietnamese street word ("25 Ngõ 102 Trường Chinh", "36 Phố Hàng Bạc"): one pattern, one try per
# number -----------------------------------------------------------------------------------------------------
_NUMBER_FIRST_ASIA = re.compile(
    rf"(?<![\w.,/-])\d{{1,5}}[A-Za-z]?(?:[/-]\d{{1,4}})?,?[ \t]+(?:"
    r"(?P<kr>[A-Za-z][a-z]+-(?i:ro|daero|gil|daegil)(?:[ \t]+\d{1,3}(?:beon)?-?(?i:gil))?(?![\w-]))"
    r"|(?P<th>(?:Moo|moo|M\.)[ \t]?\d{1,2}(?!\w))"
    r"|(?P<vn>(?i:ngõ|ngách|hẻm|phố|đường|kiệt)[ \t]+(?:\d{1,4}[ \t]+)?"
    rf"[{_UP}][\w'’-]*(?:[ \t]+[{_UP}][\w'’-]*){{0,3}}))"
)
#: A Korean district or city after a road ("Gangnam-gu", "seocho-gu", "Suwon-si"): a road without a postcode
#: needs one.
_KR_WARD = re.compile(r"\b[A-Za-z][a-z]+-(?:gu|si|gun|dong)\b", re.IGNORECASE)

# -- chat typed in lower case ("12 baker street", "calle mayor 5", "hauptstraße 12") ----------------------
# Only street words that are seldom ordinary words next to a number ("walk", "park", "place", "court", "way",
# "corso", "largo", "cerrada" are left out); a lower-case address also needs a postcode after it, or a word
# for a person's address in its sentence and nothing but punctuation, a flat or a postcode after its number
# (see :func:`_low_supported`).

_LOW_WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?![\w'’-])"
_LOW_EN_TYPES = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|parkway|pkwy|"
    r"crescent|cres|terrace|tce|mews|gardens|gdns|bank|row|close|grove|court|place|pl|walk|green|rise|square"
)
#: Street words that are ordinary words too ("my 8 lavender gardens", "3 rows", "the river bank"): a street
#: with one of them (in lower case, or "Bank" capitalised) needs a postcode or a strong word for a person's
#: address ("my address is", "ship to", "deliver to", "I live at"; see :data:`_STRONG_PERSONAL`).
_WEAK_STREET_WORDS = frozenset(
    re.findall(
        r"\S+",
        "crescent cres terrace tce mews gardens gdns bank row close grove court place pl walk green rise square",
    )
)
#: Lower-case street words that are chat words too ("pl" for "please"): only with a postcode after them.
_LOW_POSTCODE_ONLY = frozenset(("pl",))
#: Adjectives of prose that name many streets ("high st", "main street", "old road"): a lower-case street's
#: name when they stand right before its street word (not "my 3 favourite high street brands").
_STREET_NAME_ADJECTIVES = frozenset(("high", "main", "old", "new"))
_NUMBER_FIRST_EN_LOW = re.compile(
    rf"(?<![\w.,-])\d{{1,5}}[A-Za-z]?(?!\w)(?:-\d{{1,5}})?,?[ \t]+"
    rf"(?P<words>(?:(?:{_ORDINAL}(?!\w)|\d{{1,3}}(?!\w)|{_LOW_WORD})[ \t]+){{1,3}}?)(?i:{_LOW_EN_TYPES})\.?"
    r"(?:[ \t]+(?i:e|w|n|s|ne|nw|se|sw|east|west|north|south))?(?![\w'’-])"
)
_LOW_FR_TYPES = (
    r"rue|avenue|av\.|bd\.?|boulevard|impasse|all[ée]e|chemin|quai|"
    # ordinary words too ("3 place", "2 cours"): only with a postcode or a strong word for a person's address
    r"place|pl\.|cours|route|rte|passage|square|voie|faubourg|fbg|esplanade"
)
_LOW_FR_WEAK = frozenset(("place", "pl", "cours", "route", "rte", "passage", "square", "voie"))
_NUMBER_FIRST_FR_LOW = re.compile(
    rf"(?<![\w.,-])(?<!\d,)\d{{1,4}}(?:\s?(?:bis|ter|quater)|[A-Ca-c])?(?!\w),?[ \t]+(?i:{_LOW_FR_TYPES})[ \t]+"
    rf"(?P<words>(?i:{_FR_PARTICLES}){{0,2}}{_LOW_WORD}"
    rf"(?:[ \t]+(?:(?i:d['’]|de|du|des|la|le|les|l['’]|sur|en|et|aux?)[ \t]*)*{_LOW_WORD}){{0,2}})"
)
_LOW_PREFIX_TYPES = (
    r"via|viale|piazza|piazzale|vicolo|calle|c/|avenida|avda\.?|av\.|avd\.|paseo|plaza|carrer|rua|travessa|"
    r"alameda|pra[çc]a|rue|avenue|boulevard|chemin|quai|impasse|all[ée]e|ul\.|ulica|al\.|aleja|os\.|pl\.|"
    r"p\.zza|p\.za|p\.le|v\.le|c\.so|l\.go|v\.lo|r\.|n[áa]m\.|tř\."
)
_LOW_SUFFIXES = (
    r"stra(?:ß|ss)e|str\.|gasse|weg|allee|straat|laan|gracht|steenweg|gatan|v[äa]gen|"
    r"str|katu|veien|vegen|vegur|st[íi]gur|str[æa]e?de|gr[äa]nd"
)
#: Lower-case compound endings that end ordinary words too ("brigade", "aggregate", "bowtie"): only with a
#: postcode after the number.
_LOW_WEAK_SUFFIXES = r"gade|vej|gata|gate|vei|veg|v[äa]g|tie|kuja|torg|plass|plads"
#: Function words: no part of a street's or a house's name typed in lower case.
_FUNCTION_WORDS = frozenset(
    re.findall(
        r"\S+",
        "a an the of on in at to by for from with and or but not no my our your his her their its this that these "
        "those is are was be it we you they i me us down up off along across past per each every all any some "
        "more most many few other than then via into onto over under",
    )
)
#: Words that are no part of a lower-case street's name: function words, adjectives of ordinary prose ("my
#: 3 favourite high street brands"), units of measure and time, chat.
_LOW_STOP = _FUNCTION_WORDS | frozenset(
    re.findall(
        r"\S+",
        "near next last first new old big small best top favourite favorite local main high busy quiet "
        "mile miles min mins minute minutes hour hours hr hrs day days week weeks month months year years km mi "
        "kg lb lbs gb tb mb cm mm ml x times percent pct usb hard test pack packs pcs pieces items units "
        "please pls plz thanks thx thank instead asap today tomorrow now svp stp merci grazie gracias danke bitte "
        "obrigado obrigada por favor per favore dank je aan naar en un una uno il lo gli le les der die das den "
        "dem ein eine einen",
    )
)
#: A lower-case street type's first word, for a quick look before the head's pattern.
_LOW_PREFIX_FIRST = frozenset(
    re.findall(
        r"\S+",
        "via viale piazza piazzale vicolo calle c/ avenida avda av avd paseo plaza carrer rua travessa alameda "
        "praça praca rue avenue boulevard chemin quai impasse allée allee ul ulica al aleja os pl "
        "p.zza p.za p.le v.le c.so l.go v.lo r nám nam tř",
    )
)
#: A street named after a date ("calle 5 de mayo", "rua 7 de setembro", "via 20 settembre").
_DATE_NAME = (
    r"\d{1,2}[ \t]+(?:de[ \t]+)?(?i:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|"
    r"octubre|noviembre|diciembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|"
    r"dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)"
)
_HEAD_PREFIX_LOW = re.compile(
    rf"(?<![\w.])(?P<type>(?i:{_LOW_PREFIX_TYPES}))(?:(?<=[/.])[ \t]*|[ \t]+)"
    rf"(?P<name>{_DATE_NAME}|(?:(?:{_LOW_WORD}\.?)[ \t]+){{0,3}}{_LOW_WORD})[ \t]*,?[ \t]*"
    r"(?:(?i:no|nr|n[º°o]|n[úu]m)\.?[ \t]*|#[ \t]*)?$"
)
_HEAD_COMPOUND_LOW = re.compile(
    rf"(?<![\w-])[^\W\d_][\w-]{{2,}}?(?P<suffix>(?i:{_LOW_SUFFIXES}))[ \t]*,?[ \t]*$"
)
_HEAD_WEAK_COMPOUND_LOW = re.compile(
    rf"(?<![\w-])[^\W\d_][\w-]{{2,}}?(?P<suffix>(?i:{_LOW_WEAK_SUFFIXES}))[ \t]*,?[ \t]*$"
)


def _plain_words(words: str, *, particles: bool = False) -> bool:
    """Whether every word of a lower-case street's name is a plausible name word (no function word, unit or
    chat word; with ``particles``, "de", "della", "van" may stand inside but not last)."""
    ws = [w.rstrip(".,").lower() for w in words.split()]
    if not ws:
        return False
    for i, w in enumerate(ws):
        if particles and w in _PARTICLE_SET and i < len(ws) - 1:
            continue
        if w in _LOW_STOP or (particles and w in _PARTICLE_SET):
            return False
    return True


def _street_name_low(words: str) -> bool:
    """Whether the words of a lower-case English street's name are plausible name words; "high", "main",
    "old", "new" too right before the street word ("14a high st", "18 main st")."""
    ws = words.split()
    if ws and ws[-1].lower() in _STREET_NAME_ADJECTIVES:
        return len(ws) == 1 or _plain_words(" ".join(ws[:-1]))
    return _plain_words(words)


def _plain_end(text: str, start: int, end: int) -> int | None:
    """The end of the words from ``start`` before the first that is no name word ("10 rue de la paix | svp"),
    or None when the first is one."""
    last = None
    for w in re.finditer(r"\S+", text[start:end]):
        t = w.group().lower()
        if t in _LOW_STOP and t not in _PARTICLE_SET:
            break
        if t not in _PARTICLE_SET:
            last = start + w.end()
    return last


# -- street, then number ----------------------------------------------------------------------------------

_PREFIX_TYPES = (
    # Italian, Spanish and Mexican, Portuguese and Brazilian, French (Belgium, Switzerland), Polish
    r"via|viale|corso|piazza|piazzale|largo|vicolo|contrada|calle|c/|avenida|avda\.?|av\.|avd\.|paseo|"
    r"plaza|pza\.|camino|carrer|carretera|ronda|traves[ií]a|rua|travessa|alameda|estrada|pra[çc]a|rodovia|"
    r"privada|calzada|blvd\.|bulevar|callej[óo]n|prolongaci[óo]n|circuito|cerrada|andador|retorno|"
    r"rue|avenue|boulevard|chemin|place|quai|route|impasse|all[ée]e|"
    r"ul\.|ulica|al\.|aleja|os\.|osiedle|pl\.|plac|"
    # abbreviations: Italian ("P.za", "V.le", "C.so"), Portuguese "R." (a weak one: see _WEAK_PREFIX_TYPES),
    # Czech ("nám.", "tř.")
    r"p\.zza|p\.za|p\.le|v\.le|c\.so|l\.go|v\.lo|r\.|n[áa]m\.|tř\.|n[áa]m[ěe]st[íi]|t[řr][íi]da|"
    # Romanian ("Str. Mihai Eminescu nr. 14", "Calea Victoriei 12", "Bd. Unirii 5"), Russian, Ukrainian and
    # Bulgarian in Latin letters ("vul. Khreshchatyk 22", "prospekt Mira 5"), Serbo-Croatian "Trg",
    # Indonesian and Malaysian ("Jl. Kemang Raya No. 8", "Jalan Ampang No. 45"), Thai "Soi", Italian hamlets
    # ("Frazione San Martino 14")
    r"str\.|strada|calea|aleea|bd\.|bdul\.?|vul\.|vulytsia|ulitsa|prospekt|prosp\.|bul\.|bulvar|trg|"
    r"jl\.|jln\.|jalan|lorong|soi|frazione|fraz\.|localit[àa]|"
    # the same in Cyrillic (Russian, Ukrainian, Bulgarian, Serbian: "ул. Тверская 12", "вул. Хрещатик 25",
    # "бул. Витоша 15", "Булевар краља Александра 73") and Greek ("Οδός Ερμού 25", "Λεωφόρος Μακαρίου 48")
    r"ул\.|улица|вул\.|вулиця|бул\.|булевар|бульвар|бульв\.|просп\.|проспект|пр-т|пер\.|переулок|провулок|"
    r"пл\.|площадь|площа|наб\.|набережная|οδός|οδ\.|λεωφόρος|λεωφ\.|πλατεία"
)
#: Street types that are also ordinary abbreviations ("R." is an initial too): only with a postcode after.
_WEAK_PREFIX_TYPES = frozenset(("r.",))
_PARTICLES = (
    r"de|del|della|delle|dei|degli|di|da|das|dos|do|du|des|la|las|los|le|les|el|y|e|i|d['’]|l['’]|van|der|"
    r"den|het|von|zu|al"
)
#: The particles as words ("de", "della", "van"): inside a lower-case street's name, never last.
_PARTICLE_SET = frozenset(re.findall(r"[^|]+", _PARTICLES.replace("['’]", "'"))) | {"d’", "l’"}
_NAME_TOKEN = rf"(?:{_PARTICLES}|{_CAP_WORD}\.?|[IVX]{{1,4}}|\d{{1,3}})"
#: A lower-case word of a street's name right after its type, as Slavic languages write them ("Bulevar
#: kralja Aleksandra 73", "Trg bana Jelačića 5", "Bulevar oslobođenja 45"): one, and no function word.
_LOW_NAME_WORD = r"[a-zß-öø-ÿāčćđēěģīķļņőřšūűžа-яёђјљњћџіїєґ]{4,}"
#: The label of a house number after a street's name ("No. 8", "nr. 14", "No: 214", Russian "d. 12").
_NUMBER_LABEL = r"(?:(?:No|NO|no|Nr|nr|N|n[º°o]|n[úu]m|num|d|dom)\.?\s*:?\s*|#\s*)"
_HEAD_PREFIX = re.compile(
    rf"(?<![\w.])(?P<type>(?i:{_PREFIX_TYPES}))(?:(?<=[/.])\s*|\s+)"
    rf"(?:(?P<low>{_LOW_NAME_WORD})\s*,?\s*{_NUMBER_LABEL}?$|(?:(?P<mid>{_LOW_NAME_WORD})\s+(?=[{_UP}]))?"
    rf"(?:{_NAME_TOKEN}\s+){{0,5}}(?:{_CAP_WORD}\.?|[IVX]{{1,4}}|\d{{1,3}})\s*,?\s*{_NUMBER_LABEL}?$)"
)
#: A street word standing apart after its name, in languages that write it so: Turkish ("Bağdat Cad. No:
#: 214", "Moda Sok. 3"), Latvian ("Brīvības iela 40"), Slovene and Croatian ("Slovenska cesta 54",
#: "Vukovarska ulica 12"), Hungarian ("Andrássy út 47", "Váci utca 18"), Estonian ("Narva mnt 25", "Pärnu
#: mnt"), Lithuanian ("Gedimino pr. 9", "Laisvės al. 53"). Weaker (these are ordinary words or abbreviations
#: too): only with a postcode after the number, or a postcode and town before the street ("1065 Budapest,
#: Andrássy út 47").
_SUFFIX_WORDS = (
    r"cad\.|caddesi|cd\.|sok\.|sokak|sokağı|sk\.|bulvarı|blv\.|iela|cesta|ulica|utca|u\.|út|útja|körút|krt\.|"
    r"tér|köz|fasor|rakpart|sétány|mnt|maantee|tn|tänav|pst|puiestee|g\.|gatvė|pr\.|prospektas|al\.|alėja"
)
_SUFFIX_WORD_LAST = frozenset(
    re.findall(
        r"\S+",
        "cad caddesi cd sok sokak sokağı sk bulvarı blv iela cesta ulica utca u út útja körút krt tér köz fasor "
        "rakpart sétány mnt maantee tn tänav pst puiestee g gatvė pr prospektas al alėja",
    )
)
_HEAD_SUFFIX_WORD = re.compile(
    rf"(?<![\w'’.-])(?:{_CAP_WORD}\s+){{1,3}}(?P<suffix>(?i:{_SUFFIX_WORDS}))(?<=\.|\w)\s*,?\s*{_NUMBER_LABEL}?$"
)
#: A postcode and its town before a street ("1065 Budapest, Andrássy út 47": Hungary writes them first).
_POSTCODE_TOWN_BEFORE = re.compile(
    rf"(?<![\w-])\d{{4}}[ \t]+{_LETTERS_WORD}(?:[ -]{_LETTERS_WORD})?[ \t]*,[ \t]*$"
)
#: Colombia's grid: a street type and its number, then "#" and the cross street's number and the house's
#: ("Calle 93 # 11-26", "cra 43a #1 sur-100", "Carrera 7 No. 71-21").
_CO_TYPES = frozenset(
    re.findall(
        r"\S+", "calle cl cll carrera cra kra kr cr avenida av ak ac diagonal dg transversal tv tr circular"
    )
)
_HEAD_CO = re.compile(
    r"(?<![\w.])(?i:calle|cl|cll|carrera|cra|kra|kr|cr|avenida|av|ak|ac|diagonal|dg|transversal|tv|tr|"
    r"circular)\.?[ \t]+$"
)
_CO_NUMBER = re.compile(
    r"\d{1,3}[A-Za-z]?(?:[ \t]+(?i:bis|sur|norte|este|oeste)(?!\w))?[ \t]*(?:#|(?i:no\.?|n[°º]))[ \t]*"
    r"\d{1,3}[A-Za-z]?(?:[ \t]*(?i:bis|sur|norte|este)(?!\w))?[ \t]*-[ \t]*\d{1,3}"
    r"(?:[ \t]+(?i:sur|norte|este|oeste)(?!\w))?(?![\w-])"
)
#: A house or villa and its numbered street ("Villa 21, Street 14", "House 42, Street 7", Gulf states and
#: Pakistan): the street's number is read as the address's number.
_HEAD_NUMBERED_STREET = re.compile(
    r"(?<![\w.])(?i:villa|house|plot|flat|apartment|apt|building|bldg)\.?[ \t]*(?:no\.?|#)?[ \t]*"
    r"\d{1,5}[A-Za-z]?[ \t]*,[ \t]*(?i:street|st|road|rd|lane|ln|avenue|ave|sikka)\.?[ \t]+$"
)
_NUMBERED_STREET_LAST = frozenset(("street", "st", "road", "rd", "lane", "ln", "avenue", "ave", "sikka"))
_NUMBERED_STREET_FIRST = frozenset(("villa", "house", "plot", "flat", "apartment", "apt", "building", "bldg"))
_STRONG_SUFFIXES = (
    r"stra(?:ß|ss)e|str\.|gasse|weg|allee|platz|straat|laan|gracht|plein|kade|singel|steenweg|dijk|dreef|"
    r"steeg|gatan|v[äa]gen|gr[äa]nd|torget|"
    # German "-str" without its dot; Norwegian, Danish, Icelandic, Finnish
    r"str|veien|vegen|str[æa]e?de|vegur|st[íi]gur|str[æa]ti|katu|kuja"
)
_WEAK_SUFFIXES = (
    r"ring|damm|ufer|markt|wal|kai|gata|v[äa]g|pfad|steig|graben|zeile|chaussee|promenade|backen|stigen|"
    r"all[ée]n|vej|gade|hof|berg|park|"
    # Norwegian, Danish, Icelandic, Finnish endings that end ordinary words too ("Colgate", "Bowtie")
    r"gate|vei|veg|plass|plads|torv|torg|braut|tie|v[äa]yl[äa]|polku|kaari|rinne|ranta|tori|aukio"
)
#: A word before a compound street's name: an adjective ("Mariahilfer Straße", "Linzer Gasse", "Lange
#: Voorhout") or a title ("Burgemeester de Withstraat", "Sankt-Anna-Platz").
_STREET_ADJECTIVE = (
    rf"(?:[{_UP}][\w-]*er|Alte|Neue|Hohe|Gro(?:ß|ss)e|Kleine|Obere|Untere|Lange|Korte|Oude|Nieuwe|Hoge|Grote|"
    r"Stora|Lilla|Norra|S[öo]dra|[ÖO]stra|V[äa]stra|Gamla|Nya|[ÖO]vre|Nedre|Burgemeester|Prins|Prinses|Koning|"
    r"Sint|Sankt|St\.|Van|Von|Graf|Kaiser|K[öo]nig|Dr\.|Doktor|Professor|Pastoor|Generaal)"
)
#: A compound ("Hauptstraße", "Kerkstraat") after up to two adjectives, or a street word standing alone after
#: one or two ("Mariahilfer Straße"; "Platz 1" alone is a ranking, not a street).
_COMPOUND_HEAD = (
    rf"(?<![\w-])(?:(?:{_STREET_ADJECTIVE}\s+(?:(?:de|van|der|den|von|la)\s+)*){{0,2}}[{_UP}][\w-]{{2,}}?"
    rf"|(?:{_STREET_ADJECTIVE}\s+(?:(?:de|van|der|den|von|la)\s+)*){{1,2}}(?=[{_UP}]))"
    rf"(?P<suffix>(?i:{{suffixes}}))\s*,?\s*$"
)
_HEAD_STRONG_COMPOUND = re.compile(_COMPOUND_HEAD.replace("{suffixes}", _STRONG_SUFFIXES))
_HEAD_WEAK_COMPOUND = re.compile(_COMPOUND_HEAD.replace("{suffixes}", _WEAK_SUFFIXES))
#: A Scandinavian street named in the genitive with its street word apart ("Karl Johans gate 22", "Drottning
#: Kristinas väg 12", "kong oscars gate 14"): up to three words of the name, the last in "-s". A weaker shape
#: ("departures gate 12"): only with a postcode after the number.
_GENITIVE_WORDS = r"gate|gata|vei|veien|veg|vegen|v[äa]g|v[äa]gen|vej|gade|all[ée]|plass|plads|torg|torv|str[æa]e?de|gr[äa]nd"
_GENITIVE_FIRST = frozenset(
    re.findall(
        r"\S+",
        "gate gata vei veien veg vegen väg vag vägen vagen vej gade allé alle plass plads torg torv stræde "
        "straede strade gränd grand",
    )
)
_HEAD_GENITIVE = re.compile(
    rf"(?<![\w.-])(?:[{_UP}][\w.'’-]*\s+){{0,2}}[{_UP}][\w'’-]*s\s+(?P<suffix>{_GENITIVE_WORDS})\s*,?\s*$"
)
_HEAD_GENITIVE_LOW = re.compile(
    rf"(?<![\w.-])(?P<name>(?:{_LOW_WORD}[ \t]+){{0,2}}[^\W\d_][\w'’-]*s)[ \t]+(?P<suffix>{_GENITIVE_WORDS})"
    r"[ \t]*,?[ \t]*$"
)
#: Function words of Danish, Norwegian and Swedish chat: no part of a lower-case street's name ("min adresse
#: er | kong oscars gate 14").
_NORDIC_STOP = frozenset(
    re.findall(
        r"\S+",
        "er är ar til till på pa i og och min mitt mine din ditt hos bor adresse adress adressen ved vid fra från "
        "med af av send sende skicka lever levere leverans",
    )
)
_HEAD_PREPOSITION = re.compile(
    rf"(?<![\w-])(?:Am|An der|An den|Im|In der|Auf der|Auf dem|Zum|Zur|Unter den|Hinter der|Vor dem)\s+"
    rf"[{_UP}][\w-]+\s*$"
)
_HEAD_JP = re.compile(rf"(?<![\w-]){_ROMAJI_WORD}(?:\s{_ROMAJI_WORD}){{0,2}}\s+$")
_HEAD_BOX = re.compile(
    r"(?<![\w])(?i:p\.?\s?o\.?\s?box|post\s+office\s+box|gpo\s+box|postfach|postbus|bo[îi]te\s+postale|"
    r"apartado\s+(?:de\s+correos|postal)|casella\s+postale|caixa\s+postal|case\s+postale|"
    r"skrytk[aięąo]\s+pocztow(?:a|ą|ej|ei)|postboks|"
    r"postilokero)\s*(?:No\.?\s*)?$"
)
#: Weaker box heads (ordinary abbreviations too): French "BP", Spanish "C.P.", North American rural routes
#: ("RR 3", "R.R. 1"), Australian roadside mail bags ("RMB 1450"), Finnish "PL" (postilokero): only with a
#: postcode after.
_HEAD_WEAK_BOX = re.compile(r"(?<![\w.])(?:BP|B\.P\.|Box|C\.P\.|CP|RR|R\.R\.|RMB|PL)\s*$")

_NUMBER = re.compile(
    # a staircase and a flat after the house number ("Mannerheimintie 22 A 5", "Storgatan 3 B 12")
    r"\d{1,5}(?:\s?[A-Za-z](?![\w]))?(?:(?<=\s[A-Z])\s\d{1,3}(?![\w.,:-]\w))?(?:\s?(?:bis|ter)(?!\w))?"
    r"(?:[/-]\d{1,4}[A-Za-z]?){0,3}(?:[ \t]-[ \t]\d{1,4}(?![\w.,]\w))?(?!\d)"
    # a Dutch floor after a hyphen ("Prinsengracht 412-III", "Kerkstraat 8-hs")
    r"(?:-(?:I{1,3}|IV|hs|huis|bg)(?![\w-]))?"
)
#: A box's number; in Kenya and Uganda with the post office's postcode after a hyphen ("45231-00100").
_BOX_NUMBER = re.compile(r"\d{1,6}(?:-\d{5}(?![\d-])|(?:\s\d{2,3}(?![\d-])){0,3}(?![\d-]))")
_CHOME_AT = re.compile(_CHOME)
#: Where a head may start: a letter, "#" or "C/" after no word character (the last eight before a number).
_WORD = re.compile(r"(?<![\w'’.-])(?:[Cc]/|[^\W\d_][\w'’.-]*)")
#: The first word of each head, lower-cased without its dot: a head is tried only where one stands.
_PREFIX_FIRST = frozenset(
    re.findall(
        r"\S+",
        "via viale corso piazza piazzale largo vicolo contrada calle c/ avenida avda av avd paseo plaza pza camino "
        "carrer carretera ronda travesía travesia rua travessa alameda estrada praça praca rodovia privada calzada "
        "blvd bulevar callejón callejon prolongación prolongacion circuito cerrada andador retorno rue avenue "
        "boulevard chemin place quai route impasse allée allee ul ulica al aleja os osiedle pl plac "
        "p.zza p.za p.le v.le c.so l.go v.lo r nám nam tř náměstí namesti třída trida "
        "str strada calea aleea bd bdul vul vulytsia ulitsa prospekt prosp bul bulvar trg jl jln jalan lorong soi "
        "frazione fraz località localita ул улица вул вулиця бул булевар бульвар бульв просп проспект пр-т пер "
        "переулок провулок пл площадь площа наб набережная οδός οδ λεωφόρος λεωφ πλατεία",
    )
)
_BOX_FIRST = frozenset(
    re.findall(
        r"\S+",
        "po p.o p post gpo postfach postbus boîte boite apartado casella caixa case skrytka skrytkę skrytki skrytce "
        "skrytką postboks postilokero",
    )
)
_WEAK_BOX_FIRST = frozenset(("BP", "B.P", "Box", "C.P", "CP", "RR", "R.R", "RMB", "PL"))
_PREPOSITION_FIRST = frozenset(("Am", "An", "Im", "In", "Auf", "Zum", "Zur", "Unter", "Hinter", "Vor"))
#: The endings of :data:`_STRONG_SUFFIXES` and :data:`_WEAK_SUFFIXES`, for a quick test of each word.
_SUFFIX_ENDINGS = tuple(
    re.findall(
        r"\S+",
        "straße strasse str gasse weg allee platz straat laan gracht plein kade singel steenweg dijk dreef steeg "
        "gatan vägen vagen gränd grand torget ring damm ufer markt wal kai gata väg vag pfad steig graben zeile "
        "chaussee promenade backen stigen allén allen vej gade hof berg park veien vegen stræde straede strade "
        "vegur stígur stigur stræti straeti katu kuja gate vei veg plass plads torv torg braut tie väylä vayla "
        "polku kaari rinne ranta tori aukio",
    )
)

# -- India: a house number's label ("H.No. 12-2-417/5", "Door No 8"), cross and main roads ("14th Cross") ---

_HEAD_HOUSE_NO = re.compile(
    r"(?<![\w.])(?i:h\.?[ \t]?no|house[ \t]+no|d\.?[ \t]?no|door[ \t]+no|plot[ \t]+no)\.?[ \t]*[:#]?[ \t]*$"
)
_HOUSE_NO_FIRST = frozenset(("h.no", "h", "house", "d.no", "d", "door", "plot"))
_HOUSE_NO_NUMBER = re.compile(r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?){0,4}(?![\w-])")
#: Bangalore's numbered cross and main roads, after a house number or alone ("#34, 2nd Cross, 5th Main",
#: "14th Cross Road"): a house or flat before them, or a postcode after (a weaker shape).
_CROSS_MAIN = (
    r"\d{1,3}(?:st|nd|rd|th)[ \t]+(?:Cross|Main|cross|main)(?:[ \t]+(?:Road|Rd|road|rd)\.?)?(?![\w'’-])"
)
_CROSS_STREET = re.compile(
    rf"(?<![\w.,-])(?:\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})*[ \t]*,[ \t]*)?{_CROSS_MAIN}(?:[ \t]*,[ \t]*{_CROSS_MAIN})?"
)

# -- a one-word street without a street word ("12 Quayside, Newcastle NE1 3DX") ------------------------------

#: A house number and one or two capitalised words before a comma and a town: only with a postcode of letters
#: and digits (or a state and digits) after the town, after a flat, a label or the start of a line, and
#: not a plural ("sale: 12 Tents, Leeds LS1 4AP").
_NUMBER_FIRST_BARE = re.compile(
    rf"(?<![\w.,-])\d{{1,5}}[A-Za-z]?(?!\w)[ \t]+(?P<name>[{_UP}][a-z]{{3,}}(?:[ \t]+[{_UP}][a-z]{{3,}})?)"
    rf"(?<!s)(?=[ \t]*,[ \t]*[{_UP}])"
)
_BARE_BEFORE = re.compile(r"(?:^|[:\n(,]|(?i:\bto|\bat|\bis))[ \t]*$")
_BARE_COUNTRIES = frozenset(("GB", "IE", "CA", "US", "AU"))

#: The first words of every head that :func:`_at` looks for before a number, lower-cased and as written: a
#: number with none of them before it (nor a compound's ending, a genitive's street word or a Japanese block)
#: is looked at no further.
_HEAD_FIRST_LOWER = (
    _HOUSE_NO_FIRST
    | _BOX_FIRST
    | _PREFIX_FIRST
    | _LOW_PREFIX_FIRST
    | _SUFFIX_WORD_LAST
    | _CO_TYPES
    | _NUMBERED_STREET_LAST
)
_HEAD_FIRST_CASED = _WEAK_BOX_FIRST | _PREPOSITION_FIRST

# -- what follows the street: flat or unit, town, state, postcode ------------------------------------------

_POSTCODES: tuple[tuple[str, str], ...] = (
    ("BR", r"CEP\s?\d{5}-?\d{3}(?!\d)|\d{5}-\d{3}(?!\d)"),
    ("JP", r"〒\s?\d{3}-?\d{4}(?!\d)|\d{3}-\d{4}(?!\d)"),
    ("PT", r"\d{4}-\d{3}(?!\d)"),
    ("PL", r"\d{2}-\d{3}(?!\d)"),
    ("CA", r"(?:(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s)?[A-Z]\d[A-Z]\s?\d[A-Z]\d(?!\w)"),
    ("GB", r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?!\w)"),
    ("IE", r"[AC-FHKNPRTV-Y]\d[\dW]\s?[0-9AC-FHKNPRTV-Y]{4}(?!\w)"),
    ("AU", r"(?:NSW|VIC|QLD|WA|SA|TAS|NT|ACT)\s\d{4}(?!\d)"),
    ("US", r"[A-Z]{2},?\s\d{5}(?:-\d{4})?(?![\d-])"),
    ("NL", r"\d{4}\s?[A-Z]{2}(?!\w)"),
    ("LT/LV", r"(?:LT|LV)-\d{4,5}(?!\d)"),
    ("MX", r"C\.\s?P\.\s?\d{5}(?!\d)"),
    ("SE/CZ/SK", r"\d{3}\s\d{2}(?!\d)"),
    ("DE/FR/ES/IT/MX/US", r"(?:D-|F-|I-|E-)?\d{5}(?:-\d{4})?(?!\d)"),
    ("AT/CH/BE/AU", r"(?:A-|CH-|B-)?\d{4}(?![\d-])"),
    ("IN/SG/CN/RU", r"\d{6}(?![\d-])"),
)
_POSTCODE = re.compile("|".join(f"(?P<pc{i}>{rx})" for i, (_, rx) in enumerate(_POSTCODES)))
#: Words that are no street's name before a number ("Mai 2025, 1000 Stück", "Room 12, 3000 guests").
_NOT_STREETS = re.compile(
    r"(?i)(?:jan|feb|m[äa]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz]|room|hall|stand|booth|level|floor|"
    r"order|size|gr[öo][ßs]e|model|version|page|step|year|jahr|anno|a[ñn]o)\w*\s+$"
)
#: What must follow a bare street name and number: a comma, a postcode and a town.
_GENERIC_TAIL = re.compile(
    rf"(?:\s+(?:bus|bte|bo[îi]te)\s+\d{{1,3}})?\s*,\s*(?:{'|'.join(rx for _, rx in _POSTCODES)})\s+{_LETTERS_WORD}"
)
_HEAD_GENERIC = re.compile(rf"(?<![\w'’-]){_LETTERS_WORD}(?:\s+{_LETTERS_WORD}){{0,2}}\s+$")
_UNIT = re.compile(
    r"(?i:apt|apartment|app|appt|unit|suite|ste|flat|floor|fl|top|stiege|t[üu]r|whg|wohnung|lgh|bte|bus|"
    r"bo[îi]te|int|interno|scala|piano|apto|ap|bloco|bl|casa|depto|dpto|piso|puerta|b[âa]t|b[âa]timent|esc|"
    r"escalera|m|lok|room|rm|kv|кв|sc|daire|site|comp)(?![^\W\d_])\.?:?\s*#?\s*[\w-]{1,5}(?![\w])"
    r"|et\.\s?\d{1,2}(?!\w)"
    r"|#\s?\d{1,5}[A-Za-z]?(?!\w)"
    r"|\d{1,2}\s?[º°ª](?:\s?(?:izda|dcha|izq|der|[A-Za-z])\.?(?![\w]))?"
    r"|bajo|\d{1,2}(?:er|e|ème)\s+[ée]tage|Co\.\s[A-Z][a-z]+"
    # a Danish floor and side ("2. th.", "st. tv.", "3. sal")
    r"|(?:\d{1,2}\.|st\.)[ \t]?(?:(?i:th|tv|mf)\.?|(?i:sal)\b)(?![\w])"
)
#: A word of a town or a state: capitalised, or an abbreviation of up to three letters with its dot ("Co.",
#: "Jal.", "N.L.").
_PLACE_WORD = (
    rf"\(?(?:(?:[{_UP}]\.){{2,3}}(?=[\s,]|$)|[{_UP}][^\W\d_]{{0,2}}\.(?=[\s,]|$)|{_LETTERS_WORD})\)?(?![\w])"
)
_PLACE = re.compile(
    rf"{_PLACE_WORD}(?:\s+(?:(?:de|del|do|da|im|in|am|an|der|la|le|sur|upon|on|di)\s+)?{_PLACE_WORD}){{0,3}}"
    r"(?:\s\d{1,2}(?![\w-]))?"
)
_SEP = re.compile(r"[ \t]*,[ \t]*(?:\n[ \t]*)?|[ \t]*\n[ \t]*|[ \t]+-[ \t]+|[ \t]+|[ \t]*/[ \t]*")
#: Postcodes typed in lower case ("nw1 6xe", "2611 ab", "tx 78731"): only after a lower-case street.
_POSTCODE_CI = re.compile(_POSTCODE.pattern, re.IGNORECASE)
#: Countries whose town follows the postcode ("80331 münchen"): a lower-case word is taken as the town there.
_TOWN_AFTER_POSTCODE = frozenset(
    ("BR", "JP", "PT", "PL", "NL", "MX", "SE/CZ/SK", "DE/FR/ES/IT/MX/US", "AT/CH/BE/AU")
)
_LOW_PLACE_WORD = re.compile(_LOW_WORD)
#: An Irish county after the town ("ennis co clare", "Kells, Co. Meath"), where no postcode is written: as
#: good as one. The 32 counties, in either case.
_IE_COUNTY = re.compile(
    r"(?i:co\.?|county)[ \t]+(?i:antrim|armagh|carlow|cavan|clare|cork|derry|donegal|down|dublin|fermanagh|"
    r"galway|kerry|kildare|kilkenny|laois|leitrim|limerick|longford|louth|mayo|meath|monaghan|offaly|roscommon|"
    r"sligo|tipperary|tyrone|waterford|westmeath|wexford|wicklow)(?![\w'’-])"
)
#: The "country" that an Irish county stands for (the evidence says "county of Ireland").
_COUNTY_IE = "IE county"
_COUNTED = re.compile(r"[ \t]+[a-zß-öø-ÿ]")
_LOW_PLACE_JOIN = re.compile(r"[ \t]+(?:(?:de|del|do|da|di|dos|das|la|le|sur|am|im|an|der)[ \t]+)?")
#: After a postcode on a new line: its end, a town, or a new line ("50968 Köln", "HX7 8AF").
_LINE_AFTER_POSTCODE = re.compile(rf"[ \t]*(?:$|\n|,?[ \t]*[{_UP}])")
_LINE_AFTER_POSTCODE_LOW = re.compile(r"[ \t]*(?:$|\n|,?[ \t]*[^\W\d_])")
#: Words of a message that a place-name chunk must not take ("Leeds LS6 2QT is my new address").
_NOT_PLACES = frozenset(
    re.findall(
        r"\S+",
        "i is it its and or but the to for from at by on in with please thanks thank my our your we you if so "
        "then when from until before after buzzer leave call ring",
    )
)

# -- context: whose address it is --------------------------------------------------------------------------

_BUSINESS = re.compile(
    r"\b(?:stores?|shops?|boutiques?|showrooms?|flagship|branch|outlet|pop-?up|warehouse|returns?\s+cent(?:er|re)|"
    r"head\s?office|headquarters|hq|venue|events?|meet-?up|clinic|expo|fair|exhibition|conference|festival|"
    r"post\s+office|depot|collection\s+point|pick-?up\s+point|locker|caf[ée]|restaurant|hotel|museum|gallery|"
    r"stadium|arena|theat(?:re|er)|cinema|salon|magasin|entrep[ôo]t|si[èe]ge|filiale|laden|gesch[äa]ft|"
    r"veranstaltungsort|veranstaltung|messe|tienda|sucursal|almac[ée]n|evento|feria|negozio|punto\s+vendita|"
    r"fiera|winkel|vestiging|filiaal|beurs|sklep|oddzia[łl]|butik|m[äa]ssa|loja|filial|armaz[ée]m|feira|"
    # a company's name or its registered office ("Fernhill Outdoor Ltd, 12 Quarry Lane", "Impressum:")
    # an invitation to a brand's place or event ("join us Saturday at …", "come see us at", "Besøk oss i")
    r"(?:join|meet|visit|see|find)\s+us|bes[øo]k\s+oss|bes[öo]k\s+oss|besuchen\s+sie\s+uns|besucht\s+uns|"
    r"visitez-nous|venez\s+nous\s+voir|vis[íi]tanos|ven\s+a\s+vernos|vieni\s+a\s+trovarci|kom\s+langs|"
    r"v[äa]lkommen\s+till|velkommen\s+til|"
    r"(?-i:Ltd|LTD|Limited|Inc|LLC|LLP|PLC|plc|Pty|GmbH|AG|KG|SARL|SAS|BV|B\.V\.|NV|N\.V\.|Srl|S\.r\.l\.|SpA|ApS|ASA|Oyj|Kft|Ltda|"
    r"S\.p\.A\.|S\.L\.|S\.A\.|A/S|Oy|AB)|impressum|registered\s+office|sitz|si[èe]ge\s+social|domicilio\s+social|sede\s+legale)(?![\w/])",
    re.IGNORECASE,
)
_PERSONAL = re.compile(
    r"\b(?:my|mine|me|mi|meu|minha|mon|mein|meine|address|adres|adresse|anschrift|direcci[óo]n|indirizzo|endere[çc]o|morada|domicilio|"
    r"adress|ship(?:ping)?|deliver(?:y)?|send|post\s+it|lives?|living|wohne|wohnhaft|habite|vivo|vive|"
    r"abito|residente|woon|woont|mieszkam|bor|moro|mora|customer|client|cliente|kunde|klant|recipient|"
    r"destinatario|empf[äa]nger|livr\w*|liefer\w*|env[ií]\w*|sped\w*|stuur|wys[łl]a\w*|skicka|m[aá]nd\w*|entreg\w*|"
    r"consegn\w*|bezorg\w*|zustell\w*|rechnungs\w*|rücksendung|retour|return\s+(?:label|from)|"
    r"leave\s+it|drop\s+(?:it\s+)?off|wy[śs]l\w*|dostaw\w*|mieszka\w*|wohnt|leverans\w*|skicka\w*|"
    # Norwegian and Danish "deliver to", Finnish "address", "delivery", Icelandic "address"
    r"lever(?:e|es)?\s+til|levering\w*|osoite\w*|toimitus\w*|heimilisfang\w*)\b",
    re.IGNORECASE,
)
#: A strong word for a person's address: what a street word that is also an ordinary word needs.
_STRONG_PERSONAL = re.compile(
    r"\b(?:address|adres|adresse|anschrift|direcci[óo]n|indirizzo|endere[çc]o|domicilio|lieferadresse|"
    r"(?:ship|deliver|post|send|mail|forward|return)(?:\s+(?:it|them|this|that|these|the\s+\w+|my\s+\w+))?\s+to|"
    r"i\s+live\s+at|lives?\s+at|living\s+at|moved\s+to|i(?:'|’)?m\s+at|we(?:'|’)?re\s+at|home\s+is)\b",
    re.IGNORECASE,
)
#: A verb of buying, giving or listing right before a number: the number counts things ("send me 3 Abbey
#: Road", "order 2 Fifth Avenue gift boxes", "my top 5 Oxford Street windows"), unless a postcode follows or a
#: strong word for a person's address stands in the sentence.
_QUANTITY_BEFORE = re.compile(
    r"(?i)\b(?:send|sending|sent|get|give|buy|bought|order|ordered|grab|win|won|want|need|take|bring|pick\s+up|"
    r"got|have|has|had|sold|sell|selling|stock|add|collect|gift|play|playing|spin|top|best|favourite|favorite)"
    r"(?:\s+(?:me|us|you|them|him|her|another|only|just|all|the|my|our|your|over|up\s+to))?\s+$"
)
#: A sentence's end: a new line, or ".", "!", "?" before a space but not after a capital letter, a
#: capitalised two-letter abbreviation, "No" or "Nr" ("Dr.", "No. 5"). The mark comes first and the
#: look-behinds after it (they look past it), which lets the engine scan for the marks.
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?<![A-Z].)(?<!\b[A-Z][a-z].)(?<!\bNo.)(?<!\bNr.)(?=\s))")


@dataclass(frozen=True, slots=True)
class AddressHit:
    start: int
    end: int
    core: str  # the street and number (or box and number): what the brand's own address is compared on
    detail: str  # the form and the postcode's country: a finding's evidence


def street_keys(texts: Iterable[str]) -> frozenset[str]:
    """The street-and-number keys of the addresses in ``texts`` (the brand's own published addresses)."""
    keys = set()
    for text in texts:
        for hit in find_postal_addresses(text, every_context=True):
            keys.add(street_key(hit.core))
    return frozenset(keys)


def street_key(core: str) -> str:
    """An address's street and number as compared with the brand's own: letters and digits, case-folded."""
    return "".join(c for c in core.casefold() if c.isalnum())


def _low_place(text: str, at: int, limit: int, after_postcode: bool, after_comma: bool = False) -> int | None:
    """The end of a lower-case town at ``at`` ("london", "rio de janeiro"): right after a postcode of a country
    that writes the town there, or the fewest words (up to three) that a postcode follows, or, with
    ``after_comma`` (a comma before it and no postcode in the address), the fewest words that the message's
    end, a punctuation mark or a word of chat follows ("12 elm road, ashby", "…, kettering thanks"); else
    None."""
    ends = []
    pos = at
    for _ in range(3):
        w = _LOW_PLACE_WORD.match(text, pos, limit)
        if w is None or w.group().lower() in _LOW_STOP or w.group().lower() in _NOT_PLACES:
            break
        ends.append(w.end())
        j = _LOW_PLACE_JOIN.match(text, w.end(), limit)
        if j is None:
            break
        pos = j.end()
    if not ends:
        return None
    if after_postcode:  # "80331 münchen", "rio de janeiro": one word, or two joined by "de"
        j = _LOW_PLACE_JOIN.match(text, ends[0], limit)
        town = ends[1] if len(ends) > 1 and j is not None and j.group().strip() else ends[0]
        district = _LOW_DISTRICT_LETTER.match(text, town, limit)  # "8000 aarhus c", "2100 københavn ø"
        return district.end() if district is not None else town
    for e in ends:
        sep = _SEP.match(text, e, limit)
        if (
            sep is not None
            and "\n" not in sep.group()
            and (
                _POSTCODE_CI.match(text, sep.end(), limit) is not None
                or _IE_COUNTY.match(text, sep.end(), limit) is not None
            )
        ):
            return e
    if after_comma:
        for e in ends:
            if _LOW_TOWN_END.match(text, e) is not None:
                return e
    return None


#: A Danish postal district's letter after a town ("aarhus c", "københavn ø"; not a kiss, "x"), at its end.
_LOW_DISTRICT_LETTER = re.compile(r"[ \t][a-wyzæøå](?=[ \t]*(?:$|[,.;:!?)\n]))")
#: What may follow a lower-case town that no postcode follows: the end, a punctuation mark, a word of chat.
_LOW_TOWN_END = re.compile(
    r"[ \t]*(?:$|[.,;:!?)\n]|(?i:please|pls|plz|thanks|thx|thank|ta|cheers|asog|asap|by|before|on|tomorrow|"
    r"today|tonight|and|or|but|then|x+)(?![\w'’-]))"
)
#: A Mexican colonia or a Canadian delivery station after the street or box ("col. Centro", "colonia roma
#: norte", "succursale Place d'Armes", "Station Main", "RPO Westdale"): one to four words, in either case.
_DISTRICT = re.compile(
    r"(?i:col\.|colonia|fracc\.|fraccionamiento)[ \t]*[^\W\d_][\w'’.-]*(?:[ \t]+[^\W\d_][\w'’.-]*){0,3}(?=[ \t]*(?:,|\n|$|C\.\s?P\.|c\.\s?p\.|\d))"
)
_STATION = re.compile(
    r"(?i:succursale|succ\.|station|stn\.?|rpo|csp|comptoir\s+postal)[ \t]+[^\W\d_][\w'’.-]*"
    r"(?:[ \t]+(?:d['’]|de[ \t]+|du[ \t]+|la[ \t]+)?[{_UP}][\w'’.-]*){0,2}(?=[ \t]*(?:,|\n|$|[A-Z]{2}\s))".replace(
        "{_UP}", _UP
    )
)


#: A town after the street joined by "in" and its equivalents ("Goethestraße 3 in München", "14 Elm Street in
#: Springfield", "12 rue des Lilas à Paris", "Calle Mayor 5 en Madrid", "Via Roma 25 a Milano", "Rua Augusta 40
#: em Lisboa"), perhaps with its postcode ("in 80331 München"), when the town ends a clause or a postcode
#: follows it: capitalised, no month, weekday or time word ("in March", "in Kürze"); read only right after
#: the street and number.
_IN_TOWN = re.compile(r"[ \t]+(?:in|à|en|a|em)[ \t]+")
_NOT_TOWN = frozenset(
    re.findall(
        r"\S+",
        "january february march april may june july august september october november december jan feb mar apr "
        "jun jul aug sep sept oct nov dec januar februar märz mai juni juli oktober dezember janvier février mars "
        "avril juin juillet août septembre octobre novembre décembre enero febrero marzo abril mayo junio julio "
        "agosto septiembre octubre noviembre diciembre gennaio febbraio maggio giugno luglio settembre ottobre "
        "dicembre monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch donnerstag "
        "freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles "
        "jueves viernes sábado domingo spring summer autumn fall winter frühling sommer herbst kürze ordnung "
        "zukunft person time",
    )
)
_TOWN_END = re.compile(r"[ \t]*(?:[.,;:!?)\n]|$)")


def _town_after_in(text: str, pos: int, limit: int) -> int | None:
    """The end of a town joined to the street ending at ``pos`` by "in" (:data:`_IN_TOWN`), or None."""
    m = _IN_TOWN.match(text, pos, limit)
    if m is None:
        return None
    at = m.end()
    pm = _POSTCODE.match(text, at, limit)
    if pm is not None:
        at = pm.end() + 1 if text[pm.end() : pm.end() + 1] == " " else pm.end()
    place = _PLACE.match(text, at, limit)
    if place is None:
        return None
    first = re.split(r"[\s'’-]", place.group())[0].strip("().")
    if not first[:1].isupper() or first.lower() in _NOT_PLACES or first.lower() in _NOT_TOWN:
        return None
    after = _SEP.match(text, place.end(), limit)
    if _TOWN_END.match(text, place.end()) is None and (
        after is None or _POSTCODE.match(text, after.end(), limit) is None
    ):
        return None
    return place.end()


def _tail(text: str, end: int, lower: bool = False, box: bool = False) -> tuple[int, str | None, bool]:
    """Where the flat, town, state and postcode after ``end`` stop, the country of the postcode found (if
    any), and whether a Japanese ward or city ("-ku", "-shi") is among them. The tail may go on over up to
    three new lines ("14 Meadow Bank\nHebden Bridge\nHX7 8AF") when a postcode stands on one of them;
    ``lower``: the street was typed in lower case, so are its postcode and town ("london nw1 6xe"), and a
    town after a comma counts without a postcode ("12 elm road, ashby"); ``box``: a post-office box, which a
    delivery station may follow ("C.P. 4521, succursale Place d'Armes")."""
    limit = min(len(text), end + _TAIL_REACH)
    pos = end
    country: str | None = None
    ward = False
    postcodes = _POSTCODE_CI if lower else _POSTCODE
    after_line = _LINE_AFTER_POSTCODE_LOW if lower else _LINE_AFTER_POSTCODE
    lines = 0
    first_line: tuple[int, str | None, bool] | None = None  # the tail before its first new line
    postcode_end = -1
    place_end = -1  # the end of the last town taken: a bare number on a new line after it is no postcode
    county_end = -1
    if not lower:
        town = _town_after_in(text, pos, limit)
        if town is not None:
            pos = place_end = town
    for _ in range(10):
        sep = _SEP.match(text, pos, limit)
        at = sep.end() if sep is not None else pos
        if at >= limit:
            break
        if sep is not None and "\n" in sep.group():
            lines += 1
            if lines > 3:
                break
            if first_line is None:
                first_line = (pos, country, ward)
        pm = postcodes.match(text, at, limit)
        if (
            pm is not None
            and country is None
            and (sep is not None or at == end)
            and (not lines or after_line.match(text, pm.end(), limit) is not None)
            and not (
                # "London\n2012 Olympics": a year after a town, not a postcode (these come before the town)
                pos == place_end and sep is not None and "\n" in sep.group() and pm.group().isdigit()
            )
        ):
            country = _POSTCODES[int((pm.lastgroup or "pc0")[2:])][0]
            pos = postcode_end = pm.end()
            continue
        county = _IE_COUNTY.match(text, at, limit) if sep is not None and country is None else None
        if county is not None:  # an Eircode may follow it
            pos = county_end = county.end()
            continue
        um = _UNIT.match(text, at, limit)
        if um is not None and sep is not None:
            pos = um.end()
            continue
        dm = (
            (_DISTRICT.match(text, at, limit) or (_STATION.match(text, at, limit) if box else None))
            if sep
            else None
        )
        if dm is not None:
            pos = dm.end()
            continue
        place = _PLACE.match(text, at, limit) if sep is not None else None
        if (
            place is not None
            and re.split(r"[\s'’]", place.group())[0].strip("().").lower() not in _NOT_PLACES
        ):
            ward = ward or _JP_WARD.search(place.group()) is not None
            pos = place_end = place.end()
            continue
        if lower and sep is not None:
            town = (
                _low_place(
                    text,
                    at,
                    limit,
                    pos == postcode_end and country in _TOWN_AFTER_POSTCODE,
                    after_comma=country is None and "," in sep.group() and "\n" not in sep.group(),
                )
                if (pos == postcode_end or country is None)
                else None
            )
            if town is not None:
                pos = place_end = town
                continue
        break
    if first_line is not None and first_line[1] == country:
        # no postcode on a later line: the address ends with its first line
        pos, country, ward = first_line
    if country is None and 0 <= county_end <= pos:
        country = _COUNTY_IE
    return pos, country, ward


_LEFT = re.compile(
    r"(?:(?<!\w)(?i:flat|apartment|apt|unit|suite|appartement|wohnung|lot)\.?\s+$|"
    # one to three of flat, apartment, building, staircase ("Flat 3b, ", "Bât. B, appt 34, ", "Scala C,
    # interno 7, "), then perhaps the building's name ("Flat 12, Kingfisher Court, ")
    r"(?<!\w)(?:(?i:flat|apartment|apt|appt|unit|suite|appartement|app|wohnung|whg|lot|b[âa]t|b[âa]timent|"
    r"scala|interno|int|escalera|esc|piso|bloco|bloque|stiege|stair)\.?\s*[\w-]{1,5}\s*,?\s*){1,3}"
    rf"(?:,?\s*{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})?\s*[,/]?\s*"
    # a French floor before the street, as after it ("3e étage, 12 rue des Lilas")
    r"|(?<![\w.])\d{1,2}(?:er|re|e|ème)\s+[ée]tage\s*,?\s*"
    r"|(?:〒\s?\d{3}-?\d{4}\s*,?\s*)?(?:[A-Z][a-z]+-(?:shi|ku|cho|machi|gun|ken)\s*,?\s*)+)$"
)


_BEFORE_SEPARATOR = re.compile(r"[ \t]*(?:,[ \t]*\n?|\n)[ \t]*$")


def _left(text: str, start: int) -> tuple[int, bool]:
    """Where an address that starts at ``start`` starts with its flat or unit ("Flat 3b, 22 …"), a Japanese
    city and ward before it, or a house name ("Haus Waldfrieden, Am Hang 3"), and whether a ward is there."""
    m = _LEFT.search(text, max(0, start - 60), start)
    pos, ward = (start, False) if m is None else (m.start(), _JP_WARD.search(m.group()) is not None)
    sep = _BEFORE_SEPARATOR.search(text, max(0, pos - 8), pos)
    if sep is not None:
        house = _house_before(text, sep.start(), text[pos : pos + 1].islower())
        if house is not None and house[1]:
            pos = house[0]
    return pos, ward


#: A town after a comma in what follows the street ("…, Malmö", "…, Clontarf, Dublin 3").
_TOWN = re.compile(rf",\s*\(?[{_UP}]")


def _sentence_around(text: str, start: int, end: int) -> str:
    """The text of the sentence around ``start``-``end`` (at most 100 characters before, 60 after); a label
    on the line before ("mi dirección:\n") belongs to it."""
    before = text[max(0, start - 100) : start]
    ends = list(_SENTENCE_END.finditer(before))
    while ends and ends[-1].group() == "\n" and before[: ends[-1].start()].rstrip(" \t").endswith(":"):
        ends.pop()
    cut = ends[-1].end() if ends else 0
    after = text[end : end + 60]
    stop = _SENTENCE_END.search(after)
    return before[cut:] + " " + (after[: stop.start()] if stop is not None else after)


def _strong_cue(text: str, start: int, end: int) -> bool:
    """Whether a strong word for a person's address ("my address is", "ship to", "I live at") stands in the
    sentence of an address."""
    return _STRONG_PERSONAL.search(_sentence_around(text, start, end)) is not None


def _quantity(text: str, p: int) -> bool:
    """Whether the number at ``p`` counts things ("send me 3 Abbey Road", "order 2 Fifth Avenue gift boxes")."""
    return _QUANTITY_BEFORE.search(text, max(0, p - 30), p) is not None


def _evidence(country: str | None) -> str:
    """What a finding's detail says of the postcode (or county) after an address."""
    if country is None:
        return ""
    return "; county of Ireland" if country == _COUNTY_IE else f"; postcode of {country} shape"


def _counted(text: str, end: int) -> bool:
    """Whether an address's tail ends in bare digits that a lower-case word follows: a count, not a postcode
    ("Aggregate 12, 3000 samples"); a weaker street shape is then no address unless a word for a person's
    address stands in its sentence ("Lieferadresse: Hofring 5, 80331 münchen")."""
    if not (text[end - 1 : end].isdigit() and _COUNTED.match(text, end) is not None):
        return False
    k = end - 1
    while k > 0 and text[k - 1].isdigit():
        k -= 1
    return text[k - 1 : k] != "-"  # "LV-1050 paldies": a postcode with its country's letters, no count


def _weak_street(core: str) -> bool:
    """Whether a street's last word (before a direction) is a street word that is an ordinary word too."""
    words = [w.rstrip(".").lower() for w in core.split()]
    while words and words[-1] in (
        "e",
        "w",
        "n",
        "s",
        "ne",
        "nw",
        "se",
        "sw",
        "east",
        "west",
        "north",
        "south",
    ):
        words.pop()
    return bool(words) and words[-1] in _WEAK_STREET_WORDS


def _cue(text: str, start: int, end: int) -> bool:
    """Whether a word for a person's address ("my", "address", "ship to", "Lieferadresse", "wohne", "vivo")
    stands in the sentence of an address that has neither a postcode nor a town after a comma."""
    return _PERSONAL.search(_sentence_around(text, start, end)) is not None


#: A word for a business's place in brackets right after an address ("Vesterbrogade 26, 1620 København V
#: (butik)", "C/ Gran Vía 28, 28013 Madrid (oficinas)"): the brand's shop or office, not a household.
_BUSINESS_AFTER = re.compile(
    r"[ \t]*[(（][ \t]*(?:butik|butikk|butiken|store|shop|boutique|showroom|flagship|outlet|warehouse|office|"
    r"tienda|oficinas?|negozio|ufficio|winkel|kantoor|sklep|biuro|loja|escrit[óo]rio|filiale?|gesch[äa]ft|laden|"
    r"b[üu]ro|magasin|bureaux?|kontor|myym[äa]l[äa]|toimisto|lager)[ \t]*[)）]",
    re.IGNORECASE,
)


def _business(text: str, start: int, end: int | None = None) -> bool:
    """Whether a word for a business or a venue introduces the address at ``start`` in its sentence, with
    no word for a person's address closer to it, or names one in brackets right after its ``end``."""
    if end is not None and _BUSINESS_AFTER.match(text, end) is not None:
        return True
    a = max(0, start - 100)
    window = text[a:start]
    cut = 0
    for m in _SENTENCE_END.finditer(window):
        cut = m.end()
    window = window[cut:]
    business = [m.end() for m in _BUSINESS.finditer(window)]
    if not business:
        return False
    personal = [m.end() for m in _PERSONAL.finditer(window)]
    return not personal or business[-1] > personal[-1]


_LANGUAGE_OF_SUFFIX = (
    (re.compile(r"(?i)stra(?:ß|ss)e|str\.|gasse|weg|allee|platz|ring|damm|ufer|markt|pfad|steig|graben|zeile|"
                r"chaussee|promenade|hof|berg"), "German"),
    (re.compile(r"(?i)straat|laan|gracht|plein|kade|singel|steenweg|dijk|dreef|steeg|wal|park"), "Dutch"),
    (re.compile(r"(?i)gatan|v[äa]gen|gr[äa]nd|torget|gata|v[äa]g|backen|stigen|all[ée]n"), "Swedish"),
    (re.compile(r"(?i)vej|gade|str[æa]e?de|plads|torv"), "Danish"),
    (re.compile(r"(?i)gate|vei|veien|veg|vegen|plass|torg"), "Norwegian"),
    (re.compile(r"(?i)gata|v[äa]g|v[äa]gen|gr[äa]nd|all[ée]"), "Swedish"),
    (re.compile(r"(?i)vegur|st[íi]gur|str[æa]ti|braut"), "Icelandic"),
    (re.compile(r"(?i)katu|kuja|tie|v[äa]yl[äa]|polku|kaari|rinne|ranta|tori|aukio"), "Finnish"),
)  # fmt: skip
_LANGUAGE_OF_TYPE = (
    (
        re.compile(
            r"(?i)via|viale|corso|piazza|piazzale|largo|vicolo|contrada|p\.zza|p\.za|p\.le|v\.le|c\.so|"
            r"l\.go|v\.lo"
        ),
        "Italian",
    ),
    (re.compile(r"(?i)rua|r\.|travessa|alameda|estrada|pra[çc]a|rodovia"), "Portuguese"),
    (re.compile(r"(?i)n[áa]m\.|tř\.|n[áa]m[ěe]st[íi]|t[řr][íi]da"), "Czech"),
    (re.compile(r"(?i)ul\.|ulica|al\.|aleja|os\.|osiedle|pl\.|plac"), "Polish"),
    (re.compile(r"(?i)rue|avenue|boulevard|chemin|place|quai|route|impasse|all[ée]e"), "French"),
)


def _language(table: tuple[tuple[re.Pattern[str], str], ...], word: str, default: str) -> str:
    for rx, language in table:
        if rx.fullmatch(word):
            return language
    return default


# -- a house name, its street without a number ("Rose Cottage, Mill Lane, Little Snoring NR21 0AX") ------

#: Words that make a name a house's ("Honeysuckle Cottage", "The Old Rectory", "Haus Waldfrieden").
_HOUSE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "cottage cottages house farm farmhouse lodge barn manor rectory vicarage parsonage granary forge grange "
        "croft villa chalet bungalow oast schoolhouse smithy steading haus mas maison casa cascina masseria "
        "quinta finca",
    )
)
#: The weaker street words that a lower-case street without a number may still end in ("…, lark crescent, …").
_NUMBERLESS_LOW_WEAK = frozenset(("crescent", "terrace", "mews"))
_NUMBERLESS_TYPES = "|".join(t for t in _EN_TYPES.split("|") if len(t) > 3 and t.isalpha())
_LOW_NUMBERLESS_TYPES = frozenset(
    t
    for t in _LOW_EN_TYPES.split("|")
    if len(t) > 3 and (t not in _WEAK_STREET_WORDS or t in _NUMBERLESS_LOW_WEAK)
)
#: A street without a number between separators (a comma or a new line): "…, Chapel Lane, …",
#: "\nLower Farm Lane\n", "…, chemin de la Garrigue, …".
_NUMBERLESS_STREET = re.compile(
    rf"[,\n](?:(?<=,)[ \t]*\n?)?[ \t]*(?P<street>(?:[^\W\d_][\w'’-]*[ \t]+){{1,3}}(?P<type>(?i:{_NUMBERLESS_TYPES}))"
    rf"|(?i:chemin|route|rue|impasse|all[ée]e|lieu-dit)[ \t]+(?i:{_FR_PARTICLES}){{0,2}}[^\W\d_][\w'’-]*"
    r"(?:[ \t]+[^\W\d_][\w'’-]*)?)(?=[ \t]*[,\n])"
)
#: A house word before a comma, for a house name with a town and a postcode but no street
#: ("Glenview House, Ballyvaughan, Co. Clare, V95 E2K7"). No word character or hyphen may stand before it:
#: :func:`_numberless` checks that by hand (a look-behind first would keep the engine from its fast scan for
#: the first letters; a match inside a word hides no other, as a word's letters follow its start).
_HOUSE_BEFORE_COMMA = re.compile(
    r"(?:Cottage|House|Farm|Farmhouse|Lodge|Barn|Manor|Rectory|Vicarage|Parsonage|Granary|Forge|"
    r"Grange|Croft|Villa|Chalet|Bungalow)(?=[ \t]*,)"
)
_HOUSE_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
#: Words that end a house name read leftwards ("deliver to | Rose Cottage", "my address is | the old rectory").
_NOT_HOUSE = (
    _FUNCTION_WORDS
    | _NOT_PLACES
    | frozenset(
        ("address", "adresse", "deliver", "ship", "send", "post", "property", "home", "lieferadresse", "is")
    )
)
_NAME_PARTICLES = frozenset(("des", "du", "de", "la", "le", "von", "am", "del", "della", "do", "da"))


def _house_before(text: str, pos: int, lower: bool) -> tuple[int, bool] | None:
    """The start of a house name that ends at ``pos`` (up to four words on its line, capitalised or, with
    ``lower``, in lower case; "the" may open it) and whether it holds a house word; None when there is none
    or it is a single word ("my cottage")."""
    a = max(0, pos - 60)
    window = text[a:pos]
    cut = max(window.rfind(c) for c in '\n:;.!?,("')
    words = list(_HOUSE_WORD.finditer(window, cut + 1))
    taken: list[re.Match[str]] = []
    for w in reversed(words):
        t = w.group().rstrip(".")
        low = t.lower()
        if len(taken) == 4:
            break
        if low == "the":
            if t == "The" or lower:
                taken.append(w)
            break
        if low in _NOT_HOUSE and low not in _HOUSE_WORDS:
            break
        if lower and not t.islower():
            break
        if not lower and not t[0].isupper() and not (taken and low in _NAME_PARTICLES):
            break
        taken.append(w)
    while taken and taken[-1].group().lower() in _NAME_PARTICLES:
        taken.pop()
    taken = _without_person(taken)
    if len(taken) < 2 or window[taken[0].end() :].strip():
        return None
    chunk = [w.group().rstrip(".").lower() for w in taken]
    if _BUSINESS.search(window[taken[-1].start() :]) is not None:
        return None  # "Acme Widgets Ltd, Mill Lane"
    return a + taken[-1].start(), any(w in _HOUSE_WORDS for w in chunk)


def _without_person(taken: list[re.Match[str]]) -> list[re.Match[str]]:
    """The words of a house name (read right to left) without a person's name before it: a given name and
    the word after it, when that word is no house or street word ("Jane Smith, Church Street", "Jane Smith
    Honeysuckle Cottage"; not "Rose Cottage", "Heather View")."""
    from brandrail.content.pii_more import first_names

    names = first_names()
    words = [w.group().rstrip(".").lower() for w in taken]  # right to left
    for i in range(len(words) - 1, 0, -1):  # from the leftmost word
        after = words[i - 1]
        if words[i] in names and after not in _HOUSE_WORDS and after.capitalize() not in _EN_TYPE_SET:
            return taken[: i - 1]
    return taken


def _numberless(text: str, every_context: bool) -> Iterator[tuple[int, int, int, str, str | None]]:
    """Addresses without a house number: a house name, then its street (and town, postcode) or its town and
    postcode. (start, end of the house name and street, end, form, postcode country)."""
    for m in _NUMBERLESS_STREET.finditer(text):
        street = m.group("street")
        words = street.split()
        if m.group("type") is None:  # French: "chemin de la Garrigue", the type in either case
            lower = street.islower()
            if not lower and not words[-1][0].isupper():
                continue
            if lower and not _plain_words(" ".join(words[1:]), particles=True):
                continue
        else:
            lower = street[0].islower()
            if lower and (
                not street.islower()
                or m.group("type").lower() not in _LOW_NUMBERLESS_TYPES
                or not _plain_words(" ".join(words[:-1]))
            ):
                continue
            if not lower and not all(w[0].isupper() for w in words):
                continue
        house = _house_before(text, m.start(), lower)
        if house is None:
            continue
        start, house_word = house
        end, country, _ = _tail(text, m.end("street"), lower)
        if not (house_word and (country or every_context or _cue(text, start, end))) and not (
            not lower and country and (every_context or _cue(text, start, end))
        ):
            continue
        yield start, m.end("street"), end, "house name + street", country
    for m in _HOUSE_BEFORE_COMMA.finditer(text):
        c = text[m.start() - 1 : m.start()]
        if c and (c.isalnum() or c in "_-"):  # as (?<![\w-]): "GreenHouse," holds no house name
            continue
        house = _house_before(text, m.end(), False)
        if house is None:
            continue
        end, country, _ = _tail(text, m.end())
        if country is not None:
            yield house[0], m.end(), end, "house name + town", country


_LOW_AFTER = re.compile(
    r"[ \t]*(?:$|[,.;:!?)\n]|(?i:apt|apartment|flat|unit|suite|apto|ap|piso|int|interno|whg|lgh|app|appt|please|pls|plz|"
    r"thanks|thx|asap)\b|#|"
    r"\d{1,2}\s?[º°ª])"
)


#: "no" or "No." right before a house number ("no 7 okpara avenue enugu", Nigeria, India, Malaysia).
_NO_BEFORE = re.compile(r"(?<![\w.])(?i:no|nº)\.?[ \t]*$")
#: One or two lower-case words of a town and the end of a clause after a street ("… avenue enugu, call when …").
_ONE_TOWN_WORD = re.compile(r"(?:[ \t]+[^\W\d_]{3,}){1,2}[ \t]*(?:$|[,.;:!?)\n])")


def _town_after_no(text: str, p: int, core_end: int) -> bool:
    """Whether a lower-case street whose number has "no" before it ends in one town word and a clause's end
    ("no 7 okpara avenue enugu, …"): the label makes the number a house's, not a count of things."""
    return (
        _NO_BEFORE.search(text, max(0, p - 5), p) is not None
        and _ONE_TOWN_WORD.match(text, core_end) is not None
    )


_HAN = "\u4e00-\u9fff"
#: A Chinese address: a city (市), a district or county, a road or street with its number (号), then the building,
#: the unit and the room ("北京市朝阳区建国路88号5号楼1203室", "上海市浦东新区世纪大道100号3号楼502室").
_ZH_ADDRESS = re.compile(
    rf"(?:[{_HAN}]{{1,6}}?(?:省|自治区))?[{_HAN}]{{1,6}}?市(?:[{_HAN}]{{1,6}}?(?:区|县|市|旗))?"
    rf"[{_HAN}]{{1,10}}?(?:路|街|大道|道|巷|弄|胡同)[0-9０-９]{{1,5}}号"
    rf"(?:[0-9０-９]{{1,4}}(?:号楼|号院|栋|幢|座|单元|层|楼|室|号))*"
)
#: A Japanese address in kanji: a prefecture (都, 道, 府, 県), a city, ward, town or village, the district and its
#: block numbers ("東京都渋谷区神宮前4-12-10", "大阪府大阪市北区梅田3-1-1", "…1丁目2番3号").
_JA_ADDRESS = re.compile(
    rf"[{_HAN}]{{1,3}}(?:都|道|府|県)[{_HAN}]{{1,6}}?(?:市|区|町|村|郡)(?:[{_HAN}]{{1,6}}?(?:市|区|町|村))?"
    rf"[{_HAN}\u3040-\u30ff]{{1,8}}?[0-9０-９]{{1,4}}(?:(?:[-－ー‐]|丁目|番地?|の)[0-9０-９]{{1,4}}){{1,3}}号?"
)
#: An Arabic street address: a house number, شارع ("street") and its name, then up to three parts after an Arabic
#: or Latin comma (district, town): "15 شارع التحرير، الدقي، الجيزة".
_AR_WORDS = r"[\u0621-\u064a]+(?:[ \t]+[\u0621-\u064a]+){0,2}"
_AR_ADDRESS = re.compile(
    rf"(?<![\d.,])\d{{1,5}}[ \t]+شارع[ \t]+{_AR_WORDS}(?:[ \t]*[،,][ \t]*{_AR_WORDS}){{0,3}}"
    rf"|شارع[ \t]+{_AR_WORDS}[ \t]*[،,]?[ \t]*(?:رقم[ \t]*)?\d{{1,5}}(?![\d.,]\d)"
    rf"(?:[ \t]*[،,][ \t]*{_AR_WORDS}){{0,3}}"
)


_SCRIPT_ADDRESSES = (
    (re.compile("号"), _ZH_ADDRESS, 30, "city + district + road + number (Chinese)"),
    (re.compile("[都道府県]"), _JA_ADDRESS, 3, "prefecture + city + district + block (Japanese)"),
    (re.compile("شارع"), _AR_ADDRESS, 7, "number + street (Arabic)"),
)


def _script_addresses(text: str) -> Iterator[tuple[int, int, str]]:
    """Addresses written in Chinese, Japanese or Arabic script, each found around a literal it must hold (号, a
    prefecture's character, شارع): only a bounded window around each of those is read (linear time)."""
    for anchor, rx, before, form in _SCRIPT_ADDRESSES:
        done = 0
        for a in anchor.finditer(text):
            if a.start() < done:
                continue
            m = rx.search(text, max(done, a.start() - before), min(len(text), a.end() + 60))
            if m is not None and m.start() <= a.start():
                done = m.end()
                yield m.start(), m.end(), form


def find_postal_addresses(
    text: str, *, every_context: bool = False, runs: list[int] | None = None
) -> Iterator[AddressHit]:
    """The postal addresses in ``text`` (see the module's documentation); ``every_context``: a business's too
    (used to read the brand's own address); ``runs``: the start of every run of digits in ``text``
    (:func:`~brandrail.text.scan.digit_run_starts`), when the caller has found them already."""
    from brandrail.text.scan import digit_run_starts

    hits: list[AddressHit] = []
    if "," in text or "\n" in text:
        for start, core_end, end, form, country in _numberless(text, every_context):
            left, _ = _left(text, start)
            if not every_context and _business(text, left, end):
                continue
            detail = f"postal address: {form}"
            detail += _evidence(country)
            hits.append(AddressHit(left, end, text[start:core_end], detail))
    if not text.isascii():
        for start, end, form in _script_addresses(text):
            if every_context or not _business(text, start, end):
                hits.append(AddressHit(start, end, text[start:end], f"postal address: {form}"))
    if runs is None:
        runs = digit_run_starts(text)
    budget = max(200, len(text) // _SPARSE)  # numbers past it (a table of numbers) are not looked at
    done = 0  # an address found covers the numbers inside it
    for p in (runs or [])[:budget]:
        if p < done:
            continue
        found = _at(text, p)
        if found is None:
            continue
        start, core_end, end, form, country, needs_postcode, ward_needed, ward, lower = found
        if needs_postcode and country is None:
            continue
        if start == p and _grouped_before(text, p):
            continue  # "cell 083 418 2736, address 18 …": the last group of a phone number, no house number
        left, left_ward = _left(text, start)
        if ward_needed and not (ward or left_ward):
            continue
        if not every_context and _business(text, left, end):
            done = end
            continue
        if not every_context and country is None and ("English" in form or (lower and "French" in form)):
            # a number that counts things ("send me 3 abbey road"), a street word that is an ordinary word
            # too ("my 8 lavender gardens", "14 Meadow Bank", "3 place du marché"): only with a strong word for
            # a person's address
            core = text[start:core_end]
            if "French" in form:
                kind = [
                    w for w in core.lower().split()[1:] if w not in ("bis", "ter", "quater", "a", "b", "c")
                ]
                weak = bool(kind) and kind[0].rstrip(".") in _LOW_FR_WEAK
            else:
                weak = _weak_street(core) if lower else core.rstrip(". ").endswith("Bank")
            if (weak or _quantity(text, p)) and not _strong_cue(text, left, end):
                continue
        if lower:
            # a lower-case street: a postcode, or a word for a person's address and nothing after the number
            # but punctuation or a flat ("my address is 310 maple ave"; not "my 3 abbey road vinyls")
            supported = (
                every_context
                or country is not None
                or (_LOW_AFTER.match(text, core_end) is not None and _cue(text, left, end))
                # "send to no 7 okpara avenue enugu": a town word after it, with a strong word for an address
                or (_town_after_no(text, p, core_end) and _strong_cue(text, left, end))
            )
            if not supported:
                continue
        else:
            supported = bool(
                every_context or country or ward or left_ward or _TOWN.search(text, core_end, end)
            )
            if not supported and not _cue(text, left, end):
                continue  # "3 Main Street gift cards", "Bergweg 3 Kollektion": a name, not an address
        detail = f"postal address: {form}"
        if lower:
            detail += " in lower case"
        detail += _evidence(country)
        done = end
        hits.append(AddressHit(left, end, text[start:core_end], detail))
    hits.sort(key=lambda h: (h.start, -h.end))
    last = -1
    for h in hits:
        if h.start >= last:
            last = h.end
            yield h


def _grouped_before(text: str, p: int) -> bool:
    """Whether the number at ``p`` is the last group of a longer spaced number ("083 418 2736", "5748 2716"):
    three digits or more in groups separated by single spaces right before it."""
    i, digits = p, 0
    while i >= 2 and text[i - 1] in " \t" and text[i - 2].isdigit():
        i -= 1
        while i >= 1 and text[i - 1].isdigit():
            i -= 1
            digits += 1
    return digits >= 3


def _at(text: str, p: int) -> tuple[int, int, int, str, str | None, bool, bool, bool, bool] | None:
    """The address whose number starts at ``p``: (start, end of its street and number, end, form, postcode
    country, whether it needs a postcode to count, whether it needs a Japanese ward, whether one follows,
    whether it was typed in lower case)."""
    window = max(0, p - _HEAD_REACH)
    en = _english_street(text, p)
    if en is not None:
        end, country, ward = _tail(text, en)
        return p, en, end, "number + street (English)", country, False, False, ward, False
    fr = _NUMBER_FIRST_FR.match(text, p)
    if fr is not None:
        end, country, ward = _tail(text, fr.end())
        return p, fr.end(), end, "number + street (French)", country, False, False, ward, False
    chome = _CHOME_AT.match(text, p)
    jp = _NUMBER_FIRST_JP.match(text, p)
    if jp is not None:
        end, country, ward = _tail(text, jp.end())
        ward = ward or _JP_WARD.search(jp.group()) is not None  # "1-2-3 umeda kita-ku osaka"
        return p, jp.end(), end, "block + district (Japanese, romaji)", country, False, True, ward, False
    asia = _NUMBER_FIRST_ASIA.match(text, p)
    if asia is not None:
        lower = asia.group().islower()
        end, country, ward = _tail(text, asia.end(), lower=lower)
        if asia.group("kr") is not None:
            district = _KR_WARD.search(text, asia.end(), max(asia.end(), end) + 1) is not None
            # a road without a district or a postcode after it ("12 Jong-ro") is a name, not an address
            return p, asia.end(), end, "number + road (Korean)", country, not district, False, ward, False
        form = "number + village (Thai)" if asia.group("th") is not None else "number + street (Vietnamese)"
        return p, asia.end(), end, form, country, False, False, ward, False
    en_low = _NUMBER_FIRST_EN_LOW.match(text, p)
    if (
        en_low is not None
        and _street_name_low(en_low.group("words"))
        and re.search(r"[^\W\d_]", en_low.group("words"))
        and (en_low.group().islower() or not _weak_street(en_low.group()))  # "C.P. 4521, succursale Place"
    ):
        end, country, ward = _tail(text, en_low.end(), lower=True)
        only_postcode = en_low.group().rstrip(".").split()[-1].lower() in _LOW_POSTCODE_ONLY
        return p, en_low.end(), end, "number + street (English)", country, only_postcode, False, ward, True
    fr_low = _NUMBER_FIRST_FR_LOW.match(text, p)
    if fr_low is not None:
        core = _plain_end(text, fr_low.start("words"), fr_low.end())
        if core is not None:
            end, country, ward = _tail(text, core, lower=True)
            return p, core, end, "number + street (French)", country, False, False, ward, True
    cross = _CROSS_STREET.match(text, p)
    if cross is not None:
        lower = cross.group().islower()
        end, country, ward = _tail(text, cross.end(), lower=lower)
        start = p - 1 if text[p - 1 : p] == "#" else p
        return (
            start,
            cross.end(),
            end,
            "number + cross or main road (Indian)",
            country,
            True,
            False,
            ward,
            lower,
        )
    bare = _NUMBER_FIRST_BARE.match(text, p)
    if (
        bare is not None
        and _BARE_BEFORE.search(text, max(0, p - 12), p) is not None
        and _NOT_STREETS.search(bare.group("name") + " ") is None
        and not _quantity(text, p)
    ):
        end, country, ward = _tail(text, bare.end())
        if country in _BARE_COUNTRIES:
            return p, bare.end(), end, "number + street name (English)", country, True, False, ward, False
    # every head below ends in a Latin letter or an abbreviation's dot (then spaces, a comma, "#"): a number
    # after anything else ("生年月日 1985", "+44 20", "12:30") is looked at no further
    k = p
    while k > window and text[k - 1] in " \t,#:":
        k -= 1
    c = text[k - 1] if k > 0 else ""
    latin_before = (c.isalpha() and (c < "\u0250" or "\u0370" <= c < "\u0530")) or c in "./º°"
    if not latin_before:
        return None
    words = list(_WORD.finditer(text, window, p))[-8:]
    firsts = [(w.start(), w.group().rstrip(".,")) for w in words]
    lowered = [w.lower() for _, w in firsts]  # once for every head below
    suffixed = [i for i, w in enumerate(lowered) if w.endswith(_SUFFIX_ENDINGS)]
    if (
        chome is None
        and not suffixed
        and not (lowered and lowered[-1] in _GENITIVE_FIRST)
        and _HEAD_FIRST_LOWER.isdisjoint(lowered)
        and _HEAD_FIRST_CASED.isdisjoint([w for _, w in firsts])
    ):
        # no head below has its first word here but the bare name's ("Meir 34 bus 2, 2000 Antwerpen"), which
        # needs a comma, a postcode and a town after the number: most numbers of prose stop here
        num = _NUMBER.match(text, p)
        if num is None or _GENERIC_TAIL.match(text, num.end()) is None:
            return None

    def head_of(rx: re.Pattern[str], starts: Iterable[int]) -> re.Match[str] | None:
        for a in starts:  # the leftmost start that reaches the number: as rx.search(text, window, p)
            m = rx.match(text, a, p)
            if m is not None:
                return m
        return None

    def starting(names: frozenset[str], lower: bool = True) -> list[int]:
        if lower:
            return [a for (a, _w), w in zip(firsts, lowered, strict=True) if w in names]
        return [a for a, w in firsts if w in names]

    last3 = [a for a, _ in firsts[-3:]]
    compound = [a for a, _ in firsts[max(0, suffixed[0] - 4) :]] if suffixed else []
    genitive = (
        [a for a, _ in firsts[max(0, len(firsts) - 4) : -1]]
        if lowered and lowered[-1] in _GENITIVE_FIRST
        else []
    )

    house_no = head_of(_HEAD_HOUSE_NO, starting(_HOUSE_NO_FIRST))
    if house_no is not None:
        num = _HOUSE_NO_NUMBER.match(text, p)
        if num is not None:
            lower = house_no.group().islower()
            end, country, ward = _tail(text, num.end(), lower=lower)
            return (
                house_no.start(),
                num.end(),
                end,
                "house number (Indian)",
                country,
                True,
                False,
                ward,
                lower,
            )
    box = head_of(_HEAD_BOX, starting(_BOX_FIRST))
    if box is not None:
        num = _BOX_NUMBER.match(text, p)
        if num is not None:
            lower = box.group().islower()
            end, country, ward = _tail(text, num.end(), lower=lower, box=True)
            return box.start(), num.end(), end, "post-office box", country, False, False, ward, lower
    weak_box = head_of(_HEAD_WEAK_BOX, starting(_WEAK_BOX_FIRST, lower=False))
    if weak_box is not None:
        num = _BOX_NUMBER.match(text, p)
        if num is not None:
            end, country, ward = _tail(text, num.end(), box=True)
            return weak_box.start(), num.end(), end, "post-office box", country, True, False, ward, False
    if lowered and lowered[-1] in _CO_TYPES:
        co_head = _HEAD_CO.search(text, max(0, p - 16), p)
        co = _CO_NUMBER.match(text, p) if co_head is not None else None
        if co_head is not None and co is not None:
            end, country, ward = _tail(text, co.end(), lower=co_head.group().islower())
            form = "street type + number + cross street and house (Colombian)"
            return co_head.start(), co.end(), end, form, country, False, False, ward, False
    if lowered and lowered[-1] in _NUMBERED_STREET_LAST:
        house_head = head_of(_HEAD_NUMBERED_STREET, starting(_NUMBERED_STREET_FIRST))
        house_num = _NUMBER.match(text, p) if house_head is not None else None
        if house_head is not None and house_num is not None:
            end, country, ward = _tail(text, house_num.end())
            form = "house + numbered street"
            return house_head.start(), house_num.end(), end, form, country, False, False, ward, False
    if chome is not None:
        head = head_of(_HEAD_JP, last3)
        if head is not None:
            end, country, ward = _tail(text, chome.end())
            return (
                head.start(),
                chome.end(),
                end,
                "district + block (Japanese, romaji)",
                country,
                False,
                True,
                ward,
                False,
            )
    num = _NUMBER.match(text, p)
    if num is None:
        return None
    suffix_at = next(
        (
            i
            for i in range(len(lowered) - 1, max(-1, len(lowered) - 4), -1)
            if lowered[i] in _SUFFIX_WORD_LAST
        ),
        None,
    )
    suffix_starts = [a for a, _ in firsts[max(0, suffix_at - 3) : suffix_at]] if suffix_at else []
    heads: tuple[tuple[re.Pattern[str], bool, list[int]], ...] = (
        (_HEAD_PREFIX, False, starting(_PREFIX_FIRST)),
        (_HEAD_SUFFIX_WORD, True, suffix_starts),
        (_HEAD_STRONG_COMPOUND, False, compound),
        (_HEAD_WEAK_COMPOUND, True, compound),
        (_HEAD_GENITIVE, True, genitive),
        (_HEAD_PREPOSITION, True, starting(_PREPOSITION_FIRST, lower=False)),
        (_HEAD_GENERIC, True, last3),
    )
    for rx, weak, starts in heads:
        head = head_of(rx, starts) if starts else None
        if head is None:
            continue
        if rx is _HEAD_PREPOSITION and _NOT_STREETS.search(head.group()):
            continue  # "Im Jahr 2020, 10000 Kunden"
        if rx is _HEAD_GENERIC and (
            _NOT_STREETS.search(head.group())
            or not any(c.islower() for c in head.group())
            or _GENERIC_TAIL.match(text, num.end()) is None
        ):
            continue  # a bare name and number: only as "Meir 34 bus 2, 2000 Antwerpen", not "RABO 4383 1549"
        if rx is _HEAD_PREFIX and head.group("type").lower() in _WEAK_PREFIX_TYPES:
            weak = True  # "R. Augusta 1508": "R." is an initial too
        if rx is _HEAD_PREFIX and (head.group("low") or head.group("mid") or "") in _LOW_STOP:
            continue  # "Calle near 5", "Avenue with Oak 3"
        if rx is _HEAD_PREFIX and head.group("low") is not None and head.group().islower():
            continue  # "calle serrano 41": typed in lower case, read below with its lower-case town
        if rx is _HEAD_PREFIX and head.group("low") is not None:
            weak = True  # a name that is one lower-case word ("Bulevar oslobođenja 45/3"): a postcode
        end, country, ward = _tail(text, num.end())
        start = head.start()
        if rx is _HEAD_SUFFIX_WORD and country is None:
            before = _POSTCODE_TOWN_BEFORE.search(text, max(0, start - 40), start)
            if before is not None:  # "1065 Budapest, Andrássy út 47"
                start, country = before.start(), "HU (postcode and town first)"
        if rx is _HEAD_PREFIX:
            form = (
                f"street type + name + number ({_language(_LANGUAGE_OF_TYPE, head.group('type'), 'Spanish')})"
            )
        elif rx is _HEAD_PREPOSITION:
            form = "street + number (German)"
        elif rx is _HEAD_GENERIC:
            form = "street name + number"
        elif rx is _HEAD_SUFFIX_WORD:
            form = "street name + street word + number"
        else:
            form = f"street + number ({_language(_LANGUAGE_OF_SUFFIX, head.group('suffix'), 'German')})"
        if weak and (country is None or (_counted(text, end) and not _cue(text, head.start(), end))):
            continue  # a weaker shape needs a postcode; a stronger head further on may still match
        return start, num.end(), end, form, country, weak, False, ward, False
    # the same in lower case ("calle mayor 5", "via garibaldi 14", "hauptstraße 12")
    low = head_of(_HEAD_PREFIX_LOW, starting(_LOW_PREFIX_FIRST))
    if low is not None and _plain_words(low.group("name"), particles=True):
        end, country, ward = _tail(text, num.end(), lower=True)
        kind = _language(_LANGUAGE_OF_TYPE, low.group("type"), "Spanish")
        # English "via" too ("ship via royal mail 24"), "r." an initial too: a postcode
        weak = low.group("type").lower() in _WEAK_PREFIX_TYPES or low.group("type").lower() == "via"
        return (
            low.start(),
            num.end(),
            end,
            f"street type + name + number ({kind})",
            country,
            weak,
            False,
            ward,
            True,
        )
    low = next(
        (
            m
            for m in (_HEAD_GENITIVE_LOW.match(text, a, p) for a in genitive)
            if m is not None
            and m.group().islower()
            and _plain_words(m.group("name"))
            and not _NORDIC_STOP.intersection(m.group("name").split())
        ),
        None,
    )
    if low is not None:
        end, country, ward = _tail(text, num.end(), lower=True)
        # English "gate" too ("the departures gate 12"): a one-word name needs a strong word for an address
        english = low.group("suffix") == "gate" and len(low.group("name").split()) == 1
        if (
            country is not None
            and not _counted(text, end)
            and not (english and not _strong_cue(text, p, end))
        ):
            form = f"street + number ({_language(_LANGUAGE_OF_SUFFIX, low.group('suffix'), 'Norwegian')})"
            return low.start(), num.end(), end, form, country, True, False, ward, True
    for rx, weak in ((_HEAD_COMPOUND_LOW, False), (_HEAD_WEAK_COMPOUND_LOW, True)):
        low = head_of(rx, compound)
        if low is not None and low.group().islower():
            end, country, ward = _tail(text, num.end(), lower=True)
            form = f"street + number ({_language(_LANGUAGE_OF_SUFFIX, low.group('suffix'), 'German')})"
            return low.start(), num.end(), end, form, country, weak, False, ward, True
    return None
