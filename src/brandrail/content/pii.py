"""Personal data in outgoing content (PV1xx): recognisers with validators, and redaction fixes.

Like Presidio's recognisers, each kind is a candidate pattern plus a validation hook, so that only real
identifiers fire: e-mail addresses (pattern), phone numbers (the ``phonenumbers`` matcher with the policy's
region hints, valid numbers only), payment cards (13-19 digits with a card-network prefix and a valid Luhn
check digit), IBANs (``stdnum.iban``: country format and mod-97 check), national identifiers (a pattern per
``stdnum`` module and its validator; identifiers that are bare digit runs also need a context word such as
"SSN" or "BSN" in the same sentence), and IP addresses (``ipaddress``); passports, driving licences, bank
accounts, crypto wallets, MAC addresses and (opt-in) person names come from :mod:`brandrail.content.pii_more`.

Shapes that look like personal data but are not are rejected as a class: a card number must be written as
one run or in the groups cards are printed in (4-4-4-4, 4-6-5...), so spaced single digits never join into
one, and thirteen digits with a valid EAN-13 check digit are a barcode; a digit run glued to letters by a hyphen or to a code ("PP-006-234-348-863", "SKU12345678") is an
identifier, not a phone number, while one glued to a calling word ("call09061701461", "tel:0207…") is a phone
number.

The whole original text is scanned (personal data in a link target goes out too); spans are original.
"""

from __future__ import annotations

import hashlib
import importlib
import ipaddress
import os
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar, overload
from urllib.parse import urlparse

from brandrail.content.common import Spans, memo, register_data_finder
from brandrail.content.fastpolicy import cache_of
from brandrail.content.pii_ids import (
    MORE_BUILTIN_HOW,
    MORE_BUILTIN_IDS,
    MORE_DIGIT_LED,
    MORE_ID_CONTEXT,
    MORE_ID_PATTERNS,
    MORE_ID_PRESENCE,
    MORE_ID_SHAPES,
    MORE_SELF_EVIDENT,
)
from brandrail.content.readings import likely_tld
from brandrail.findings import Edit, Finding, Fix, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.privacy import PII_KINDS, SUPPORTED_NATIONAL_IDS
from brandrail.registry import Rule
from brandrail.text.document import Document
from brandrail.text.reader import as_read
from brandrail.text.scan import (
    digit_run_starts,
    digit_runs,
    finditer_at,
    finditer_from,
    held_digits,
    leading_digits,
)

__all__ = [
    "NATIONAL_ID_PATTERNS",
    "PiiHit",
    "PiiRule",
    "find_pii",
    "may_hold_wordy_pii",
    "redaction",
    "redaction_fix",
]

_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
# internationalised addresses too (RFC 6531): letters of any script in the local part and the domain
# (a digit may follow the top-level domain, which holds none: "jo@example.com07911 123456" lost its space)
_DOMAIN = re.compile(r"[^\W_][\w-]*(?:\.[^\W_][\w-]*)*\.[^\W\d_]{2,24}(?![^\W\d]|[_-])")
_CARD = re.compile(r"(?<![\d-])(?:\d[ .-]?){12,18}\d(?![\d-])")
# an address written to dodge a scraper: "jo [at] example [dot] com", "jo(at)example.com", "jo @ example.com"
# (white space bounded: a long run of spaces is never walked from every position)
# the word for "@" and "." in other languages too ("maria [arroba] gmail.com", "jan małpa wp kropka pl"); those
# for "@" other than "at" are never ordinary words, so they need no brackets
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
# (Czech and Slovak "zavináč", Hungarian "kukac", Russian "собака", Ukrainian "равлик", Greek "παπάκι",
# Finnish "miuku", Hebrew "שטרודל", Norwegian "krøllalfa"; their dots "tečka", "bodka", "pont", "piste", "nokta",
# "точка", "τελεία", Dutch and Catalan "punt")
_AT_WORDS = (
    r"arroba|chiocciola|ma[łl]pa|arobase|klammeraffe|apenstaartje|snabel-?a|zavin[áa][čc]|kukac|sobaka|собака|"
    r"равлик|παπάκι|papaki|miuku|שטרודל|kr[øo]llalfa"
)
_DOT_WORDS = (
    r"dot|punto|ponto|point|punkt|punt|kropka|prick|te[čc]ka|bodka|pont|piste|nokta|točka|точка|крапка|τελεία"
)
# "at" written as a word in capitals ("maria.lopez AT inbox DOT example DOT net") counts when a domain follows
# (checked where it is used); "at" in small letters is the ordinary word
# (opening with one class of the three alternatives' first characters, so the engine skips to them in C; the
# plain form is r"{_OPEN}\s{0,3}(?:at|@|…)\s{0,3}{_CLOSE}|\s(?:…|(?-i:AT))\s|@", see test_pattern_rewrites)
_DODGED_AT = re.compile(
    rf"[\[({{<@\s](?:(?<={_OPEN})\s{{0,3}}(?:at|@|{_AT_WORDS})\s{{0,3}}{_CLOSE}|(?<=\s)(?:{_AT_WORDS}|(?-i:AT))\s|(?<=@))",
    re.IGNORECASE,
)
_DODGED_DOT = rf"(?:\s{{0,3}}{_OPEN}\s{{0,3}}(?:{_DOT_WORDS}|\.)\s{{0,3}}{_CLOSE}\s{{0,3}}|\s{{1,3}}(?:{_DOT_WORDS})\s{{1,3}}|\.)"
_DODGED_DOMAIN = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9-]{{0,62}}(?:{_DODGED_DOT}[A-Za-z0-9-]{{1,63}}){{0,8}}{_DODGED_DOT}[A-Za-z]{{2,24}}"
    r"(?![\w-])",
    re.IGNORECASE,
)
_DODGED_SEPARATOR = re.compile(_DODGED_DOT, re.IGNORECASE)
#: A domain whose dots are written with white space on both sides ("example . com", "mail . example . co . uk"),
#: tried after a dodged "at" where :data:`_DODGED_DOMAIN` reads less of it.
_SPACED_DOT = r"[ \t]{1,3}\.[ \t]{1,3}"
_SPACED_DOMAIN = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9-]{{0,62}}(?:{_SPACED_DOT}[A-Za-z0-9-]{{1,63}}){{0,8}}{_SPACED_DOT}[a-z]{{2,24}}(?![\w-])"
)
#: A word and a spaced plain dot right before a local part ("priya . " before "nair @ …"), not glued to a word.
_SPACED_LOCAL_BEFORE = re.compile(r"(?<![\w.@+-])[A-Za-z0-9][\w+-]{0,63}[ \t]{1,3}\.[ \t]{1,3}$")
# in capitals, or all in lower case and in one run as typed in chat ("my iban is ae0703…"; spaced groups in
# lower case would run on into the words after it), never mixed
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}|[a-z]{2}\d{2}[a-z0-9]{11,30})(?![A-Za-z0-9])"
)
# a dot that ends the sentence may follow ("… was 81.2.69.160."); a fifth number may not
_IPV4 = re.compile(r"(?<!\d)(?<!\d\.)(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)")
#: A word right before four dotted numbers that makes them a version or a section, not an address
#: ("firmware 2.1.0.5", "v1.2.0.3", "section 4.2.1.3", "§ 4.2.1.3").
_VERSION_BEFORE = re.compile(
    r"(?:\b(?:v|ver|version|versions|firmware|fw|build|release|rel|update|patch|os|ios|ipados|macos|android|"
    r"windows|section|sections|sec|clause|chapter|ch|para|paragraph|article|art|rule|step|table|figure|fig|"
    r"appendix|annex|item)\.?\s*[:#]?|§)\s*$",
    re.IGNORECASE,
)
#: Words of the network an IPv4 address stands in ("IP", "server", "host", "ping", "logged in from", "router",
#: in a few languages): without one near it, four small dotted numbers are as likely an outline number ("see
#: 4.3.1.5"); see :func:`_reads_as_ipv4`.
_NETWORK_WORDS = re.compile(
    r"\b(?:ips?|ipv4|ip-?address(?:es)?|addr|"
    r"servers?|servidor(?:es)?|serveur|hosts?|hostname|ping(?:ed|s)?|ports?|routers?|gateway|dns|proxy|"
    r"proxies|vpn|subnet|netmask|cidr|firewall|network|netzwerk|rede|réseau|lan|wan|wi-?fi|dhcp|nat|"
    r"tcp|udp|http|https|ftp|smtp|sessions?|sessão|sesión|log(?:ged)?[ -]?(?:in|on)|logins?|sign(?:ed)?[ -]?in|"
    r"connect(?:ed|ion|ions|ing)?|conex[aã]o|conexi[oó]n|access(?:ed)?|acesso|acceso|requests?|traffic|"
    r"devices?|ger[aä]t|visitors?|client|origin|geo-?ip|whois|blocklist|blacklist|allowlist|whitelist|"
    r"localhost|ssh|rdp|telnet|curl|nslookup|traceroute)\b",
    re.IGNORECASE,
)
#: "address" is a network word only when it names the numbers right after it ("address: 10.0.0.5", "Adresse
#: 10.1.2.3"): near them it is as often a postal address ("see 4.3.1.5; my address is 22 Harbour Street")
_ADDRESS_NAMES_IT = re.compile(
    r"\b(?:address(?:es)?|adresse[n]?|direcci[oó]n|endere[cç]o|indirizzo)\s*(?:[:=#]|is|was|ist|est|es|é|è)?"
    r"\s*$",
    re.IGNORECASE,
)
#: how far before and after four dotted numbers a network word is looked for (characters)
_NETWORK_REACH = 80
#: a port or a prefix length right after the numbers: "10.0.0.5:8080", "192.168.0.0/16"
_PORT_OR_PREFIX = re.compile(r"(?::\d{1,5}|/\d{1,2})(?!\d)")


def _reads_as_ipv4(text: str, start: int, end: int) -> bool:
    """Whether the valid dotted quad at ``text[start:end]`` reads as an IPv4 address, not an outline or section
    number ("see 4.3.1.5", "clause 2.1.4.3"): a port or prefix length after it, a network word
    (:data:`_NETWORK_WORDS`) within :data:`_NETWORK_REACH` characters, "address" right before it
    (:data:`_ADDRESS_NAMES_IT`), or a part of three digits (no outline
    numbers its sections in the hundreds: "81.2.69.160", "192.168.1.24"). The octets being ≤ 255 alone is not
    enough: "4.3.1.5" is a valid address."""
    if any(len(part) == 3 for part in text[start:end].split(".")):
        return True
    if _PORT_OR_PREFIX.match(text, end) is not None:
        return True
    if _ADDRESS_NAMES_IT.search(text, max(0, start - 24), start) is not None:
        return True
    lo, hi = max(0, start - _NETWORK_REACH), min(len(text), end + _NETWORK_REACH)
    return _NETWORK_WORDS.search(text, lo, hi) is not None


_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_PHONE_HINT = re.compile(r"\+?\(?\d[\d \t().-]{5,}\d")
_COLON = re.compile(":")
_DIGIT = re.compile(r"\d")
#: A decimal digit of another script or a full-width one ("０", "٣"): read as the ASCII digit it is.
# a digit of another script: the same as r"(?![0-9])\d", opening with a character class (the engine skips to
# non-ASCII characters in C instead of trying the look-ahead at every character)
# (digits of other scripts, and the digits Unicode gives as "other numbers": superscript and subscript digits
# "⁰⁷⁹¹¹", circled and negative circled digits "④①①①"; a digit read for each, one character for one)
_OTHER_DIGIT = re.compile(
    "[^\\x00-\\x7f](?<=[\\d\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u24ea"
    "\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792])"
)
#: Where a match of _PHONE_HINT can start.
_PHONE_START = re.compile(r"[+(\d](?<!\d\d)")  # a digit only where a run of digits starts
#: Candidates the phone matcher may reject in one text (each costs ~0.1-0.2 ms to parse and validate): with
#: the budget spent, the remaining number sequences are reported as phone numbers without validation
#: (fail closed), so that text made of numbers cannot buy seconds of CPU per megabyte.
PHONE_TRIES = 10_000
_UNVALIDATED = (
    f"not validated: the text's {PHONE_TRIES:,} phone-number candidates were spent on sequences that are not "
    "numbers; treated as a phone number (split the text to have it validated)"
)
#: The look-ups above are used only where what they look for is sparse: at most one per this many characters.
_SPARSE = 50
#: The digit-led patterns are tried at the runs of digits (from Python, one call per run) while there are at
#: most one per this many characters; denser (a table of numbers), each is tried everywhere in C instead.
_SPARSE_RUNS = 12
# a word glued in front of a digit run that makes it a phone number ("call0906…", "Tel07911…")
_CALL_WORDS = frozenset(
    [
        "call",
        "ring",
        "phone",
        "tel",
        "telephone",
        "mob",
        "mobile",
        "cell",
        "txt",
        "text",
        "sms",
        "fax",
        "dial",
        "whatsapp",
        "on",
        "at",
        "or",
        "ph",
        "no",
        "nr",
        "number",
    ]
)
#: ``phonenumbers.PhoneNumberType`` values of numbers that reach a business, never a person: freephone
#: (0800, 1-800, 1800), shared-cost (0845, 13 xx xx) and universal access numbers (0300). Premium-rate
#: numbers stay reported (a premium line in a message is worth a reviewer's look).
_SERVICE_NUMBERS = frozenset((3, 5, 9))  # TOLL_FREE, SHARED_COST, UAN
#: A label right before a number that makes it an order, a company or another record's identifier, not a
#: phone number — for content checks only: the gate's ledger masks such numbers all the same.
_ID_LABEL_BEFORE = re.compile(
    r"(?:伝票番号|注文番号|お問い合わせ番号)\s*[:：]?\s*$|"  # Japanese: no word boundary before a label
    r"\b(?:order|invoice|ref|reference|lot|batch|ticket|case|booking|tracking|confirmation|receipt|transaction|sku|"
    r"model|serial|article|company|registration|reg|vat|pedido|commande|bestellung|bestellnummer|bestelnummer|"
    r"factura|rechnung|r[ée]f[ée]rence|auftrag|artikel|artikelnummer|"
    # more languages: invoices, orders, parcels and waybills, and the tax or register numbers of a business
    r"facture|fattura|faktura|factuur|nota fiscal|folio|ordine|zam[óo]wienie|ordernummer|order(?:nummer|nr)|"
    r"waybill|consignment|shipment|parcel|gu[íi]a|rastreio|rastreamento|segnacollo|sendungsnummer|"
    r"sp[åa]rningsnummer|przesy[łl]ki|przesy[łl]ka|"
    # a postcode ("CEP 01310-100", "PLZ 10115"): a place, not a number to call
    r"cep|plz|zip|zip\s?code|post\s?code|postal\s+code|c[óo]digo\s+postal|kod\s+pocztowy|postnummer|"
    r"nip|regon|krs|cnpj|rfc|uen|uid|mwst|tva|iva|partita iva|p\.\s?iva|gst|hst|tps|tvh|bn|abn|acn|rc|"
    r"org\.?\s?nr|orgnr|organisationsnummer|momsreg\.?\s?nr|bankgiro|plusgiro|swish|inscri[çc][ãa]o estadual|"
    # a purchase order, a batch or lot, a timestamp, a company's Chilean RUT
    r"(?-i:PO)|purchase\s+order|batch|lot|epoch|timestamp|unix\s+time|rut|"
    # a business's register and tax numbers and payment references of more countries: Czech and Slovak IČO /
    # DIČ and variable symbol, Bulgarian EIK / BULSTAT, Ukrainian EDRPOU, Ecuadorian and Peruvian RUC, Pakistani
    # NTN / STRN, Estonian registry code, Hungarian tax number, Turkish tax number, Portuguese NIPC and Multibanco
    # entity and reference, Argentine CUIT, New Zealand NZBN, Irish CRO, Dutch KvK, French SIRET / SIREN, German
    # USt-IdNr and Steuernummer, Indonesian NPWP, Malaysian SSM
    r"i[čc]o?|di[čc]|i[čc]\s?dph|variabiln[íi]\s+symbol|eik|еик|bulstat|булстат|єдрпоу|edrpou|ruc|ntn|strn|"
    r"registrikood|ad[óo]sz[áa]m|vergi\s+(?:no|numaras[ıi])|vkn|nipc|entidade|refer[êe]ncia|referencia|cuit|"
    r"nzbn|cro|kvk|siret|siren|ust-?id(?:nr)?|steuernummer|npwp|ssm|"
    # an order, a parcel or a business's tax number in more languages: German and Dutch abbreviations, Turkish,
    # Russian and Ukrainian, Greek, Polish, Czech, Hungarian, Romanian, Hebrew, Arabic, Vietnamese, Korean and
    # Chinese words; a tracking or waybill word with the carrier's name after it ("Guía Estafeta 70…")
    r"bestell-?nr|bestelnr|auftragsnr|sendungsnr|sipari[şs]|sipari[şs]\s+numaran[ıi]z|kargo\s+takip|"
    r"заказ[ауе]?|замовлення|инн|огрн|огрнип|кпп|трек(?:-номер)?|накладн[аоы][яйе]|іпн\s+продавця|"
    r"παραγγελ[ίι]α[ςσ]?|zam[óo]wieni[ae]|objedn[áa]vk[ayu]|rendel[ée]s(?:i\s+sz[áa]m)?|comand[aăą]|"
    r"הזמנה|رقم\s+الطلب|الطلب|đơn\s+hàng|주문번호|订单号|訂單編號|运单号|"
    r"(?:gu[íi]a|waybill|tracking|awb|consignment)\s+(?:de\s+)?[^\W\d_][\w-]{1,20}|"
    # a contract, a customer account or an invoice as one word ("Vertrag Nr.", "Kundennummer", "Factuurnummer"),
    # a Nordic payment reference (OCR) or company number (CVR), a UK VAT registration with its country prefix
    r"vertrag(?:s-?nummer|s-?nr)?|contract(?:nummer|nr)?|contrato|contratto|umowa|kunden-?(?:nummer|nr)|"
    r"klant(?:nummer|nr)|kundnummer|kundenummer|customer\s+(?:id|number|no)|"
    r"factuurnummer|rechnungs-?(?:nummer|nr)|fakturanummer|fakturanr|ocr|cvr|"
    r"vat\s+reg(?:istration)?(?:\s+no\.?)?(?:\s+[A-Z]{2})?|"
    # orders, invoices and a business's numbers in more languages (Czech "č.", Nordic, Finnish, Portuguese,
    # Hungarian, Spanish "boleta"), a product's codes and a firmware version, M-Pesa's business numbers
    r"ordre(?:nummer|nr)?|bestillings?(?:nummer|nr)?|tilaus(?:numero|nro)?|laskunumero|encomenda|fatura|boleta|"
    r"rendel[ée]ssz[áa]m|sz[áa]mlasz[áa]m|y-tunnus|mva|ondernemingsnummer|(?-i:EIN)|upc|ean|gtin|isbn|"
    r"firmware|version|build|paybill|(?-i:Till)(?:\s+number)?|mobilepay\s+box|"
    # a business's tax number in Colombia, Guatemala and Bolivia (NIT) and in Greece (ΑΦΜ, "of the company"), a
    # Canadian business number, an Australian bank's branch code (BSB)
    r"nit|αφμ(?:\s+εταιρε[ίι]ας)?|business\s+(?:number|no)|bsb)"
    r"\.?(?:\s*(?:no\.?|nr\.?|nº|n°|n\.º?|č\.?|№|number|num\.?|numarası|номер|id|#|:))*"
    r"(?:\s+(?:sprzedawcy|nabywcy|продавца|покупателя|продавця|организации|de la empresa|da empresa|dell'azienda|till|de|do|da|del))?\s*[:#]?\s*$",
    re.IGNORECASE,
)
#: A code's or a record's label right before a number: what an identifier's printed shape alone ("482-73-9163",
#: an SSN's) cannot outweigh. An identifier's own word ("SSN 482-73-9163") is looked for as before.
_CODE_BEFORE = re.compile(
    r"\b(?:code|ref|reference|confirmation|booking|order|ticket|pin|otp|verification|tracking|invoice|voucher|"
    r"coupon|promo|serial|case|claim|reservation)(?:\s+(?:no\.?|number|#|code|id))?(?:\s+(?:is|was))?\s*[:#]?\s*$",
    re.IGNORECASE,
)
#: A word right before a number that says a call to it is free: a business's line, not a person's.
_FREE_CALL_BEFORE = re.compile(
    r"\b(?:toll[- ]?free|freephone|free\s+(?:call|phone|hotline|line)|call\s+(?:us\s+)?free|gratis|gratuit[oa]?|"
    r"gratuite?|num[ée]ro\s+vert|linea\s+verde|n[úu]mero\s+verde|kostenlos|kostenfrei|geb[üu]hrenfrei|"
    r"bezp[łl]atn\w*|darmow\w*|[üu]cretsiz|zdarma|ingyenes)\b[^\d\n]{0,20}$",
    re.IGNORECASE,
)
#: The same words right after a number ("Call 1-888-427-3916 toll-free", "1800 419 2736 (toll free)").
_FREE_CALL_AFTER = re.compile(
    r"[ \t]*[(\[]?[ \t]*(?:toll[- ]?free|freephone|free\s+(?:call|of\s+charge)|gratis|gratuit[oa]?|gratuite?|"
    r"num[ée]ro\s+vert|kostenlos|kostenfrei|geb[üu]hrenfrei|[üu]cretsiz|zdarma)\b",
    re.IGNORECASE,
)
#: A phone label right before a number, in the languages of many countries ("Handy", "Puhelin", "tālr.", "GSM",
#: "телефон", "κινητό", "טלפון", "الجوال", "手機", "연락처", "เบอร์โทร", "SĐT", "M-Pesa"): with one, a local number of a
#: country outside ``phone_regions`` is a phone number all the same (see :func:`_labelled_local_number`).
_PHONE_LABEL_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:tel|tél|tlf|phone|ph|telephone|t[ée]l[ée]phone|telefon[eo]?|tel[ée]fono|telefonu?|"
    r"mobile?|mobil(?:e|nummer|telefon|nr)?|mob|m[óo]vil|cel|celu|celular|cell|cellphone|cellulare|handy|"
    r"handynummer|natel|gsm|portable|fono|puh|puhelin|t[āa]lr|t[āa]lrunis|s[íi]mi|s[íi]minn|simu|ring|call|"
    r"whatsapp|wa|viber|momo|m-?pesa|hp|handphone|s[đd]t|[đd]i[ệe]n\s+tho[ạa]i|telem[óo]vel|kom[óo]rka|kom|"
    r"cep|tlf\.?\s*nr|telefoonnummer|telefoon|mobiel(?:e\s+nummer)?|bel\s+me\s+op|reach\s+me\s+on|"
    r"my\s+(?:line|number|cell|mobile)|телефон|тел|моб|мобильный|мобільний|τηλ|τηλέφωνο|κινητό|טלפון|נייד|"
    r"الجوال|الموبايل|هاتف|جوال|contact\s+(?:no|number))(?![^\W\d_])|"
    r"電話(?:番号)?|手機|手机|电话|聯絡電話|联系电话|携帯(?:電話)?|連絡先(?:は)?|연락처|휴대폰|전화(?:번호)?|เบอร์โทร|โทร)"
    r"(?:[ \t]*[.:：,|]|[ \t]+(?:no|nr|n[º°]|č|is|es|è|é|ist|er|on|at|op|au|al|na|number|nummer|numero|número)"
    r"(?![^\W\d_])\.?)*[ \t]*[:：]?[ \t]*$",
    re.IGNORECASE,
)
#: A request to call (a calling verb, up to four words, then its preposition: "call me back on", "give me a ring
#: at", "rufen Sie mich morgen unter", "joindre Karim au", "llámame al", "dzwonić pod numer", "sunați-mă la",
#: "nipigie kwa", "اتصل بي على", "зателефонуйте мені за номером"), a first person's number ("my new number is",
#: "mijn nummer is", "numărul meu este", "moje číslo je", "mero number"), a fixed line ("landline", "Festnetz")
#: or a mobile-money wallet ("bKash", "GCash") right before a number: read like a phone label. Not "call us on",
#: "rufen Sie uns … unter", "appelez-nous au": the brand's own line.
_CALL_PHRASE_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:call|ring|phone|text|txt|reach|contact|buzz|dial|message|flash|whatsapp|"
    r"(?:be\s+)?reached|rufen?|ruft|anrufen|erreichen|erreichbar|r[üu]ckruf|bel|bellen|belt|bereiken|joindre|"
    r"joignable|appeler|appelez|appelle[zr]?|rappeler|rappelez|contacter|contactez|llamar|ll[áa]mame|ll[áa]meme|"
    r"llama|marcar|ligar|ligue|liga|chiamare|chiamami|chiamatemi|sunați|sunati|"
    r"sun[ăa]|dzwoni[ćc]|zadzwo[ńn]|dzwo[ńn]|volejte|zavolejte|volat|zavolat|nipigie|"
    r"zadzwoni[ćc]|tupigie|piga|pigia|اتصل|اتصلوا|الاتصال|اتصال|зателефонуйте|телефонуйте|дзвоніть|звоните|позвоните|"
    r"звоніть|позвоніть)(?:-(?!nous|nos|noi)[^\W\d_]{1,5})?"
    # the words between: not "us", "uns", "nous"…: "call us on …" gives the brand's own line
    r"(?:[ \t]+(?!(?:us|uns|nous|ons|nos|noi|nas|n[áa]s|нам|нас|our|unsere?[nrm]?|notre|onze|nuestro)(?![\w.'’-]))"
    r"[^\W\d][\w.'’-]{0,20}){0,4}?[ \t]+"
    r"(?:on|at|to|via|unter|op|au|à|sur|al|en|para(?:[ \t]+o)?|pelo|no|la|pod(?:[ \t]+numer(?:em)?)?|na|kwa|"
    r"على|علي|за[ \t]+номером|по[ \t]+номеру|на[ \t]+номер)|"
    r"(?<![^\W\d_])(?:my|mijn|mein|meine|mon|ma|mi|meu|minha|mio|il\s+mio|moje|m[óo]j|mero|min|mitt|mit|minun)"
    r"(?:[ \t]+[^\W\d][\w'’-]{0,15})?[ \t]+(?:number|nummer|num[ée]ro|n[úu]mero|numer|[čc][íi]slo|broj|numara)"
    r"(?:[ \t]+(?:is|ist|est|es|[ée]|è|je|jest|er|[äa]r|on|ho|now|today))?|"
    r"(?<![^\W\d_])(?:num[ăa]rul\s+meu(?:\s+(?:este|e))?|landline|land\s+line|fixed\s+line|home\s+phone|"
    r"work\s+phone|festnetz|vaste\s+lijn|fixe|fijo|b-?kash|nagad|gcash|easypaisa|jazzcash|paytm|"
    r"t[ée]l[ée]phone\s+(?:du|de|del|do|da|of\s+the)\s+[^\W\d_]+|contacto\s+(?:do|da|del|de)\s+[^\W\d_]+))"
    r"(?![^\W\d_])[ \t]*[:：.,]?[ \t]*$",
    re.IGNORECASE,
)
#: Words near a number that make it a business's line ("Kundenservice", "Hotline", "客服电话", "고객센터").
_SERVICE_LINE_NEAR = re.compile(
    r"(?:service|hotline|helpline|help\s*desk|support|customer\s+care|kundendienst|kundenservice|servicio|"
    r"atendimento|assistenza|klantenservice|kundtj[äa]nst|kundeservice|asiakaspalvelu|infolinia|"
    r"m[üu][şs]teri\s+hizmetleri|[üu]gyf[ée]lszolg[áa]lat|call\s+cent(?:er|re)|客服|热线|熱線|고객센터|상담)",
    re.IGNORECASE,
)
#: A service prefix of some country, as written in that country (freephone, shared-cost and premium ranges:
#: 0800, 0180x, 0900, ten-digit 1800 / 1300 / 1900, 0120, 0570, Chinese 400, 800 of many countries, Korean 15xx
#: / 16xx / 18xx, Turkish 444 and 0850, Hungarian 06 80 / 06 40 / 06 90, Spanish 900-902): a number after a phone
#: label that starts so is taken for a business's line, whatever country it is from. Prefixes that are mobile
#: ranges elsewhere are left out (081x-087x are Thai, Indonesian and Nigerian mobiles; 090x Japanese and
#: Vietnamese ones; eleven-digit 13x / 18x / 19x Chinese ones).
_SERVICE_PREFIX = re.compile(
    r"(?:0800|0900|0180|0137|0120|0570|0990|0850|0680|0640|0690|1[389]00\d{6}$|400\d{7}$|800\d{4,7}$|"
    r"90[0-2]\d{6}$|1[568]\d\d\d{4}$|444\d{4}$)"
)
#: How many numbers a text may have read by :func:`_labelled_local_number`.
_LABELLED_TRIES = 200


def _labelled_local_number(text: str, start: int, end: int) -> bool:
    """Whether the candidate ``text[start:end]``, not valid in any region of ``phone_regions``, is a local phone
    number of another country: right after a phone label (:data:`_PHONE_LABEL_BEFORE`), seven to twelve digits
    written as a number is, no service prefix (:data:`_SERVICE_PREFIX`) and no word of a business's line near
    it. Every region's numbering plan accepts almost any digits somewhere, so the label is the evidence and
    no region is tried."""
    written = text[start:end]
    if written.lstrip().startswith("+"):
        return False  # an international number is read by the matcher, whatever the regions
    digits = _NON_DIGIT.sub("", written)
    if not 7 <= len(digits) <= 12 or _SERVICE_PREFIX.match(digits):
        return False
    if (
        _PHONE_LABEL_BEFORE.search(text, max(0, start - 40), start) is None
        and _CALL_PHRASE_BEFORE.search(text, max(0, start - 60), start) is None
        and _titled_name_before().search(text, max(0, start - 60), start) is None
    ):
        return False
    return _SERVICE_LINE_NEAR.search(text, max(0, start - 40), min(len(text), end + 30)) is None


@lru_cache(maxsize=1)
def _titled_name_before() -> re.Pattern[str]:
    """A titled name and a comma or a dash right before a number ("Mr. Usman Tariq, 0300 …", "sr. Diego
    Andrade, 099 …"): the number is that person's, read like one after a phone label. Built on first use
    from the person-name recogniser's titles (:mod:`brandrail.content.pii_more` is imported lazily)."""
    from brandrail.content import pii_more

    titles = f"(?:{pii_more._TITLE}|{pii_more._WEAK_TITLE}|[Ss]r\\.|[Ss]ra\\.)"
    return re.compile(rf"(?<!\w){titles}[ \t]+{pii_more._NAME_BODY}[ \t]*(?:,|[ \t][-–—])[ \t]*$")


#: A latitude and a longitude ("(38.8893, -77.0502)"): degrees with four or more decimals, a comma between.
_COORDINATES = re.compile(r"-?\d{1,3}\.\d{4,},[ \t]*-?\d{1,3}\.\d{4,}")
_GLUED_WORD = re.compile(r"([A-Za-z]+)[:.]?$")
#: A number that starts with a year and a month in groups ("2026-11-0777", "2024.07.0913"): a dated lot,
#: reference or record code, not a phone number (no numbering plan groups a number that way).
_DATED_CODE = re.compile(r"(?:19|20)\d\d([-./])(?:0[1-9]|1[0-2])\1\d")
#: Card networks' first digits: Visa, Mastercard, Amex, Diners, Discover, JCB, China UnionPay (62, sixteen to
#: nineteen digits), Maestro's own ranges (5018, 5020, 5038, 5893, 6304, 6759, 6761-6763; the rest of its
#: 50-69 range is other networks' or unissued), and Brazil's Elo and Hipercard (636368, 636297, 504175, 5067,
#: 509, 627780; 606282, 3841), which the others do not cover.
_CARD_PREFIX = re.compile(
    r"^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6(?:011|5|4[4-9]|2)|35|"
    r"5018|5020|5038|5893|6304|6759|676[1-3]|"
    r"636368|636297|504175|5067|509|627780|606282|3841)"
)

#: For each stdnum module, shapes (digits as '9', letters as 'a') of which one must occur before its
#: pattern is tried: a substring test on the message's shape instead of a regular-expression scan.
_ID_SHAPES: dict[str, tuple[bytes, ...]] = {
    "us.ssn": (b"999-99-9999", b"999 99 9999", b"999999999"),
    "gb.nhs": (b"999 999 9999", b"9999999999"),
    "nl.bsn": (b"999999999", b"9999.99.999", b"999.999.999"),
    "es.dni": (b"99999999a", b"99999999-a"),
    "it.codicefiscale": (b"aaaaaa99a99a999a", b"aaaa aa99 a99a 999a"),
    "fr.nir": (b"9 99 99 99 999 999 99", b"9 99 99 9a 999 999 99", b"9999999", b"99999a9"),
    "dk.cpr": (b"999999-9999",),
    "se.personnummer": (b"999999-9999", b"999999+9999"),
    "gb.nino": (b"aa999999a", b"aa 99 99 99 a", b"aa 999999 a"),
    "es.nie": (b"a9999999a", b"a-9999999-a", b"a9999999-a", b"a-9999999a"),
    "in.aadhaar": (b"9999 9999 9999", b"9999-9999-9999", b"999999999999"),
    "in.pan": (b"aaaaa9999a",),
    "au.tfn": (b"999 999 999", b"999 999 99", b"99999999"),
    "de.idnr": (b"99 999 999 999", b"99999999999"),
    "br.cpf": (b"999.999.999-99", b"99999999999", b"999999999-99"),
    "mx.curp": (b"aaaa999999aaaaaa",),
    "mx.rfc": (b"aaaa999999",),
    "ca.sin": (b"999 999 999", b"999-999-999", b"999999999"),
    "pl.pesel": (b"99999999999",),
    "za.idnr": (b"9999999999999", b"999999 9999 99 9"),
    "sg.nric": (b"a9999999a",),
    "ch.ssn": (b"999.9999.9999.99", b"9999999999999"),
    "jp.in_": (b"9999 9999 9999", b"9999-9999-9999", b"999999999999"),
    "ng.nin": (b"99999999999",),
    "fi.hetu": (b"999999-999", b"999999+999", b"999999a999"),
    "no.fodselsnummer": (b"99999999999", b"999999 99999"),
    "be.nn": (b"99.99.99-999.99", b"99999999999"),
    "tr.tckimlik": (b"99999999999",),
    "cl.rut": (b"99.999.999-", b"9.999.999-", b"9999999-", b"999999999"),
    "ro.cnp": (b"9999999999999",),
    "kr.rrn": (b"999999-9999999", b"9999999999999"),
    "cn.ric": (b"999999999999999999", b"99999999999999999a"),
    "gr.amka": (b"99999999999",),
}

#: stdnum module → (candidate pattern, needs a context word). Bare digit runs need context.
NATIONAL_ID_PATTERNS: dict[str, tuple[str, bool]] = {
    # 123-45-6789 on its own; spaced or unseparated only after a context word ("SSN 123 45 6789")
    "us.ssn": (r"(?<![\d-])\d{3}([- ]?)\d{2}\1\d{4}(?![\d-])", True),
    "gb.nhs": (r"(?<!\d)\d{3} ?\d{3} ?\d{4}(?!\d)", True),
    # the BSN: nine digits, also printed with dots (4-2-3 or 3-3-3) after its word
    "nl.bsn": (r"(?<![\d.])(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}\.\d{3}\.\d{3})(?!\d|[.-]\d)", True),
    "es.dni": (r"(?<![\w])\d{8}-?[A-Za-z](?![\w])", False),
    # the codice fiscale, also in groups of four ("bncg li92 m52f 205g")
    "it.codicefiscale": (
        r"(?<![\w])(?:[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z]|"
        r"[A-Za-z]{4} [A-Za-z]{2}\d{2} [A-Za-z]\d{2}[A-Za-z] \d{3}[A-Za-z])(?![\w])",
        False,
    ),
    "fr.nir": (r"(?<!\d)[12] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?!\d)", False),
    # Denmark's CPR number: its date is all that is checked (no check digit since 2007): after its word
    "dk.cpr": (r"(?<![\d-])\d{6}-\d{4}(?![\d-])", True),
    "se.personnummer": (r"(?<![\d-])(?:\d{2})?\d{6}[-+]\d{4}(?![\d-])", False),
    # two letters, six digits (in pairs or not), a final A-D: needs a context word, as product codes can look
    # the same
    "gb.nino": (r"(?<![\w])[A-Za-z]{2} ?(?:\d{2} ?\d{2} ?\d{2}|\d{6}) ?[A-Da-d](?![\w])", True),
    # Spain's foreigner id: X/Y/Z, seven digits, a check letter (the letter makes it evident)
    "es.nie": (r"(?<![\w])[XYZxyz]-?\d{7}-?[A-Za-z](?![\w])", False),
    # India's Aadhaar (12 digits, Verhoeff check, printed 4-4-4) and PAN (AAAAA9999A), Australia's tax file
    # number (8-9 digits) and Germany's tax id (11 digits, printed 2-3-3-3): each after its own word
    "in.aadhaar": (r"(?<![\d-])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\d-])", True),
    "in.pan": (r"(?<![\w])[A-Za-z]{5}\d{4}[A-Za-z](?![\w])", True),
    "au.tfn": (r"(?<![\d-])\d{3} ?\d{3} ?\d{2,3}(?![\d-])", True),
    "de.idnr": (r"(?<![\d-])[1-9]\d(?: ?\d{3}){3}(?![\d-])", True),
    # Brazil's CPF: printed 123.456.789-09 it is evident; eleven bare digits need the word "CPF"
    "br.cpf": (r"(?<![\d/-])(?<!\d\.)\d{3}(\.?)\d{3}\1\d{3}-?\d{2}(?![\d/-]|\.\d)", True),
    # Mexico's CURP (18 characters: name letters, birth date, sex, state, check digit) and a person's RFC (13:
    # four letters, birth date, homoclave with its check digit; a company's has three letters and is no
    # personal data): their layout and check digit make them evident
    "mx.curp": (r"(?<![\w])[A-Za-z]{4}\d{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9]\d(?![\w])", False),
    "mx.rfc": (r"(?<![\w&])[A-Za-z&]{4}\d{6}[A-Za-z0-9]{3}(?![\w])", False),
    # Canada's SIN (nine digits, Luhn), Poland's PESEL (eleven, birth date and check digit), South Africa's
    # ID number (thirteen: birth date, citizenship, Luhn), Japan's My Number (twelve, check digit), Nigeria's
    # NIN (eleven, no checksum): bare digits, each after its own word
    "ca.sin": (r"(?<![\d-])[1-79]\d{2}([- ]?)\d{3}\1\d{3}(?![\d-])", True),
    "pl.pesel": (r"(?<![\d-])\d{11}(?![\d-])", True),
    "za.idnr": (r"(?<![\d-])\d{6} ?\d{4} ?\d{2} ?\d(?![\d-])", True),
    # Singapore's NRIC / FIN: S, T, F, G or M, seven digits and a check letter (evident)
    "sg.nric": (r"(?<![\w])[STFGMstfgm]\d{7}[A-Za-z](?![\w])", False),
    # Switzerland's AHV / AVS number: 756, nine digits, an EAN-13 check digit; printed 756.1234.5678.97 it is
    # evident, thirteen bare digits (an EAN barcode's shape) need its word
    "ch.ssn": (r"(?<![\d.-])756(?:\.\d{4}\.\d{4}\.\d{2}|\d{10})(?![\d-]|\.\d)", True),
    "jp.in_": (r"(?<![\d-])\d{4}([ -]?)\d{4}\1\d{4}(?![\d-])", True),
    "ng.nin": (r"(?<![\d-])\d{11}(?![\d-])", True),
    # Finland's henkilötunnus: birth date, a century sign (-, +, A-F, U-Y), three digits, a check character
    # (mod 31); with a letter in it the shape is evident, all digits ("230695-4431") need its word
    "fi.hetu": (r"(?<![\w+-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w-])", True),
    # Norway's fødselsnummer (birth date, two check digits), Belgium's national register number (birth date,
    # mod-97; printed 85.07.30-033.28 it is evident), Turkey's T.C. kimlik no (two check digits), Greece's
    # AMKA (birth date, Luhn): eleven digits, each after its own word
    "no.fodselsnummer": (r"(?<![\d-])\d{6} ?\d{5}(?![\d-])", True),
    "be.nn": (r"(?<![\d.-])\d{2}(\.?)\d{2}\1\d{2}-?\d{3}\1\d{2}(?![\d-]|\.\d)", True),
    "tr.tckimlik": (r"(?<![\d-])[1-9]\d{10}(?![\d-])", True),
    "gr.amka": (r"(?<![\d-])\d{11}(?![\d-])", True),
    # Chile's RUT / RUN (a mod-11 check digit or K): printed 12.345.678-5 it is evident; a company's (50
    # million and up) is no personal data
    "cl.rut": (r"(?<![\d.-])\d{1,2}(\.?)\d{3}\1\d{3}-?[\dKk](?![\w-]|\.\d)", True),
    # Romania's CNP (thirteen: sex and century, birth date, county, check digit), Korea's resident
    # registration number (thirteen, printed 6-7, check digit), China's resident identity number (eighteen:
    # region, birth date, a mod-11 check digit or X): each after its own word
    "ro.cnp": (r"(?<![\d-])[1-9]\d{12}(?![\d-])", True),
    "kr.rrn": (r"(?<![\d-])\d{6}-?[1-8]\d{6}(?![\d-])", True),
    "cn.ric": (r"(?<![\d-])\d{17}[\dXx](?![\w-])", True),
}
#: The context words of an ID whose bare digits other IDs share (a passport number is no SSN).
_OWN_CONTEXT: dict[str, re.Pattern[str]] = {
    "us.ssn": re.compile(r"\b(?:ssn|social security)\b", re.IGNORECASE),
    "in.aadhaar": re.compile(r"\b(?:aadhaa?r|uidai|uid)\b", re.IGNORECASE),
    "in.pan": re.compile(r"\b(?:pan|permanent account number)\b", re.IGNORECASE),
    "au.tfn": re.compile(r"\b(?:tfn|tax file number)\b", re.IGNORECASE),
    "de.idnr": re.compile(
        r"\b(?:steuer-?id|(?:steuer-?|steuerliche\s+)?identifikationsnummer|idnr|tax\s+id(?:entification\s+number)?)\b",
        re.IGNORECASE,
    ),
    "br.cpf": re.compile(r"\bcpf\b", re.IGNORECASE),
    "ca.sin": re.compile(
        r"\b(?:sin|nas|social insurance(?: number)?|(?:num[ée]ro d.)?assurance sociale)\b", re.IGNORECASE
    ),
    "pl.pesel": re.compile(r"\bpesel\b", re.IGNORECASE),
    "za.idnr": re.compile(r"\b(?:id|identity)(?:\s*(?:no\.?|number|nr|#|document))?(?!\w)", re.IGNORECASE),
    "ch.ssn": re.compile(
        r"\b(?:ahv|avs|avh|oasi|ahv-?nummer|sozialversicherungsnummer|num[ée]ro avs|social security)\b",
        re.IGNORECASE,
    ),
    # Japanese has no spaces around words: no \b there
    "jp.in_": re.compile(r"マイナンバー|個人番号|\b(?:my ?number|individual number)\b", re.IGNORECASE),
    "ng.nin": re.compile(
        r"\b(?:nin|national identification number|national identity number)\b", re.IGNORECASE
    ),
    "dk.cpr": re.compile(r"\b(?:cpr|personnummer|personnr|civil registration number)", re.IGNORECASE),
    "fi.hetu": re.compile(
        r"\b(?:henkilötunnu\w*|hetu|sotu|personbeteckning|personal identity code|identity number|id number)\b",
        re.IGNORECASE,
    ),
    "no.fodselsnummer": re.compile(
        r"\b(?:f[øo]dselsnummer\w*|f\.?\s?nr|personnummer|national identity number|birth number)\b",
        re.IGNORECASE,
    ),
    "be.nn": re.compile(
        r"\b(?:rijksregister\w*|insz|niss|registre national|num[ée]ro national|"
        r"national (?:register|registry) number|national number)\b",
        re.IGNORECASE,
    ),
    "tr.tckimlik": re.compile(
        r"\b(?:kimlik|tckn|t\.\s?c\.|tc no|turkish id(?:entity)?(?: number)?)", re.IGNORECASE
    ),
    "gr.amka": re.compile(r"\b(?:amka|αμκα)\b", re.IGNORECASE),
    "cl.rut": re.compile(r"\b(?:rut|run|rol [úu]nico(?: tributario| nacional)?)\b", re.IGNORECASE),
    "ro.cnp": re.compile(r"\b(?:cnp|cod(?:ul)? numeric personal)\b", re.IGNORECASE),
    # Korean and Chinese have no spaces around words: no \b there
    "kr.rrn": re.compile(
        r"주민등록번호|주민번호|\b(?:rrn|resident registration(?: number| no\.?)?)\b", re.IGNORECASE
    ),
    "cn.ric": re.compile(
        r"身份证|身份證|公民身份|\b(?:id card|resident identity(?: card)?|identity card|ric|id number|identity number)\b",
        re.IGNORECASE,
    ),
}
#: A national ID written this way (its usual printed form) needs no context word.
_SELF_EVIDENT: dict[str, Callable[[str], bool]] = {
    "us.ssn": lambda written: "-" in written,
    "br.cpf": lambda written: "." in written and "-" in written,
    "ch.ssn": lambda written: "." in written,
    "be.nn": lambda written: "." in written and "-" in written,
    "cl.rut": lambda written: "." in written and "-" in written,
    "fi.hetu": lambda written: not written.replace("-", "").replace("+", "").isdigit(),
}
#: The national-ID patterns above whose every match starts a run of digits (tried only there).
_DIGIT_LED_IDS = frozenset(
    (
        "us.ssn",
        "gb.nhs",
        "nl.bsn",
        "es.dni",
        "fr.nir",
        "dk.cpr",
        "se.personnummer",
        "in.aadhaar",
        "au.tfn",
        "de.idnr",
        "br.cpf",
        "ca.sin",
        "pl.pesel",
        "za.idnr",
        "ch.ssn",
        "jp.in_",
        "ng.nin",
        "fi.hetu",
        "no.fodselsnummer",
        "be.nn",
        "tr.tckimlik",
        "cl.rut",
        "ro.cnp",
        "kr.rrn",
        "cn.ric",
        "gr.amka",
    )
)
NATIONAL_ID_PATTERNS.update(MORE_ID_PATTERNS)
_ID_SHAPES.update(MORE_ID_SHAPES)
_OWN_CONTEXT.update(MORE_ID_CONTEXT)
_SELF_EVIDENT.update(MORE_SELF_EVIDENT)
_DIGIT_LED_IDS = _DIGIT_LED_IDS | MORE_DIGIT_LED
_ID_CONTEXT = re.compile(
    r"\b(?:ssn|social security|national insurance|nino|ni(?: number| no\.?)?|nhs(?: number| no)?|bsn|"
    r"burgerservicenummer|dni|nie|"
    r"codice fiscale|nir|insee|cpr|personnummer|id number|identity number|passport)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[.!?\n]")


@dataclass(frozen=True, slots=True)
class PiiHit:
    kind: str  # one of brandrail.policy.sections.privacy.PII_KINDS
    start: int
    end: int
    value: str
    detail: str  # what validated it


# digits '9', ASCII letters 'a', '-', '+' and space kept, anything else '.': the shape of identifiers
_SHAPE = bytes(
    ord("9") if 48 <= i <= 57 else ord("a") if chr(i).isascii() and chr(i).isalpha() else i if i in (32, 43, 45)
    else ord(".")
    for i in range(256)
)  # fmt: skip
# digits as '9', '.' and ':' kept, anything else ' ': a cheap test for "digit.digit" and "x:x" shapes
_NUMERIC = bytes(
    ord("9") if 48 <= i <= 57 else i if i in (46, 58) else ord("h") if chr(i) in "abcdefABCDEF" else 32
    for i in range(256)
)
_SEPARATORS = re.compile(r"[\s().-]")
_NON_DIGIT = re.compile(r"\D")


def _normal(value: str) -> str:
    return _SEPARATORS.sub("", value).lower()


def _allowed(policy: Policy) -> tuple[frozenset[str], frozenset[str]]:
    cache = cache_of(policy)
    found: tuple[frozenset[str], frozenset[str]] | None = cache.get("pii:allow")
    if found is None:
        domains = {d.lower().lstrip("@") for d in policy.privacy.allow_domains}
        if policy.brand.website:
            host = urlparse(
                policy.brand.website if "//" in policy.brand.website else f"//{policy.brand.website}"
            ).hostname
            if host:
                domains.add(host.lower().removeprefix("www."))
        found = (frozenset(_normal(v) for v in policy.privacy.allow), frozenset(domains))
        cache["pii:allow"] = found
    return found


_Validator = tuple[str, re.Pattern[str], bool, Callable[[str], bool]]
#: What validated an identifier checked here rather than by python-stdnum (a finding's evidence).
_BUILTIN_HOW = {
    "gb.nino": "HMRC format",
    "sg.nric": "ICA check letter",
    "ng.nin": "eleven digits after its word",
    "mx.rfc": "stdnum.mx.rfc with its check digit",
    "cl.rut": "stdnum.cl.rut with its check digit, a person's number",
}


#: National insurance number prefixes HMRC never issues (besides the letters ruled out per position).
_NINO_UNUSED = frozenset(("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"))


def _nino_is_valid(value: str) -> bool:
    """A UK national insurance number by HMRC's format: two prefix letters (not D, F, I, Q, U or V; the second
    not O either; not an unissued pair such as GB or ZZ), six digits, a suffix A-D. (python-stdnum has no
    module for it.)"""
    flat = value.replace(" ", "").upper()
    if len(flat) != 9 or not (flat[:2].isalpha() and flat[2:8].isdigit() and flat[8] in "ABCD"):
        return False
    first, second = flat[0], flat[1]
    return first not in "DFIQUV" and second not in "DFIOQUV" and flat[:2] not in _NINO_UNUSED


#: Check letters of Singapore's NRIC / FIN by prefix group (S/T, F/G, M).
_NRIC_LETTERS = {"ST": "JZIHGFEDCBA", "FG": "XWUTRQPNMLK", "M": "KLJNPQRTUWX"}


def _nric_is_valid(value: str) -> bool:
    """A Singapore NRIC or FIN: prefix S/T (citizens, permanent residents), F/G/M (foreigners), seven digits,
    a check letter from the weighted digit sum (python-stdnum has no module for it)."""
    flat = value.upper()
    if len(flat) != 9 or flat[0] not in "STFGM" or not flat[1:8].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(flat[1:8], (2, 7, 6, 5, 4, 3, 2), strict=True))
    total += {"T": 4, "G": 4, "M": 3}.get(flat[0], 0)
    letters = next(v for k, v in _NRIC_LETTERS.items() if flat[0] in k)
    return flat[8] == letters[total % 11]


def _nin_is_valid(value: str) -> bool:
    """A Nigerian NIN: eleven digits, no checksum (found only after its own word)."""
    return len(value) == 11 and value.isdigit()


def _rfc_person_is_valid(value: str) -> bool:
    """A Mexican RFC of a person (13 characters) with a valid birth date and check digit; a company's RFC (12)
    is no personal data."""
    from stdnum.mx import rfc

    if len(value) != 13:
        return False
    try:
        rfc.validate(value, validate_check_digits=True)
    except Exception:
        return False
    return True


#: Identifiers checked here rather than by a python-stdnum module's ``is_valid``.
def _rut_person_is_valid(value: str) -> bool:
    """A person's Chilean RUT / RUN (``stdnum.cl.rut``'s check digit): below 50 million, where companies'
    numbers start."""
    from stdnum.cl import rut

    digits = _NON_DIGIT.sub("", value[:-1])
    return bool(digits) and int(digits) < 50_000_000 and rut.is_valid(value)


_BUILTIN_IDS: dict[str, Callable[[str], bool]] = {
    "gb.nino": _nino_is_valid,
    "sg.nric": _nric_is_valid,
    "ng.nin": _nin_is_valid,
    "mx.rfc": _rfc_person_is_valid,
    "cl.rut": _rut_person_is_valid,
}
_BUILTIN_IDS.update(MORE_BUILTIN_IDS)
_BUILTIN_HOW.update(MORE_BUILTIN_HOW)


def _validators(policy: Policy, every_kind: bool = False) -> list[_Validator]:
    """Per stdnum module of the policy (``every_kind``: every supported one): its candidate pattern and
    validator."""
    cache = cache_of(policy)
    key = "pii:ids:all" if every_kind else "pii:ids"
    found: list[_Validator] | None = cache.get(key)
    if found is None:
        validators: list[_Validator] = []
        for name in SUPPORTED_NATIONAL_IDS if every_kind else policy.privacy.national_ids:
            spec = NATIONAL_ID_PATTERNS.get(name)
            if spec is None:
                continue
            module = "in_" + name[2:] if name.startswith("in.") else name  # "in" is a Python keyword
            valid = _BUILTIN_IDS.get(name) or importlib.import_module(f"stdnum.{module}").is_valid
            validators.append((name, re.compile(spec[0]), spec[1], valid))
        found = validators
        cache[key] = found
    return found


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _context(text: str, start: int, words: re.Pattern[str] = _ID_CONTEXT) -> bool:
    """Whether a context word stands before ``start`` in its sentence, at most 200 characters back (a bound:
    searching back to the start of a long unpunctuated text for every candidate would cost its square)."""
    a = max(0, start - 200)
    for m in _SENTENCE.finditer(text, a, start):
        if _labels_what_follows(text, m.start(), start):
            continue
        a = m.end()
    return bool(words.search(text, a, start))


#: The dot of "No.", "Nr.", "Nro.", "Num." — a label's abbreviation, not a sentence end ("IRD no. is 53-…").
_ABBREVIATION_DOT = re.compile(r"(?<![^\W\d_])(?:[Nn]o|[Nn]r|[Nn]ro|[Nn]um|[Nn]º)\.$")


#: The dot inside an initialism ("C.C.", "ת.ז.", "N.S.S."): one letter, a dot, one more letter and a dot.
_INITIALISM_DOT = re.compile(r"(?<![^\W\d_])[^\W\d_]\.\s?[^\W\d_]\.")


def _labels_what_follows(text: str, end: int, limit: int) -> bool:
    """Whether the sentence end at ``end`` is not one: the dot of an abbreviation before a number ("NHS No.
    943 …") or the line break after a label ("NHS number:" on the line above the number)."""
    if text[end] == "\n":
        return text[max(0, end - 200) : end].rstrip(" \t").endswith(":")
    if text[end] == ".":
        rest = text[end + 1 : limit].lstrip(" \t")
        return (
            rest[:1].isdigit()
            or not rest
            or _INITIALISM_DOT.match(text, max(0, end - 1), limit) is not None
            or _ABBREVIATION_DOT.search(text, max(0, end - 6), end + 1) is not None
        )
    return False


def _iban_starts(runs: list[int]) -> list[int]:
    """Where an IBAN can start, given the starts of the runs of digits: two letters before one."""
    return [r - 2 for r in runs if r >= 2]


def _ipv6_starts(text: str) -> list[int]:
    """Where an IPv6 address can start: it holds a colon within its first five characters."""
    return sorted({c - k for c in (m.start() for m in _COLON.finditer(text)) for k in range(5) if c >= k})


#: Dashes and the minus sign between two digits, read as "-" (one character for one).
#: A space other than " " between two digits (no-break, figure, punctuation, thin, hair, narrow no-break,
#: medium mathematical, ideographic): a reader sees the groups of a number spaced as usual.
_DIGIT_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000](?<=\d.)(?=\d)")  # the space first
_DIGIT_DASH = re.compile(r"[\u2010-\u2015\u2212](?<=\d.)(?=\d)")  # (?<=\d)[…](?=\d), the dash first
#: A card number in four-digit groups joined by the same slash, backslash, bullet or middle dot each time
#: ("4111/1111/1111/1111", "5555·5555·5555·4444"): the marks read as hyphens (dates and fractions never hold
#: three groups of four digits).
_CARD_GROUP_MARK = re.compile(r"(?<![\d/\\])\d{4}([/\\•·∙‧・])\d{4}\1\d{4}\1\d{1,4}(?![\d/\\])")
_CARD_GROUP_MARK_SPLIT = re.compile(r"[/\\•·∙‧・]")
#: An ideographic full stop (also half-width) or a katakana middle dot between an address's characters and a
#: lower-case label ("ana_ruiz@post。net", "j.smith＠example・com"): read as the dot.
_ADDRESS_DOT = re.compile(r"[。｡・](?<=[A-Za-z0-9].)(?=[a-z]{2,24}\b)")
#: An inline (phrasing) element's start or end tag without digits or "@" in it: it shows nothing, so an
#: address or a number it stands in ("jane@<b>example</b>.com", "020 <em>7123</em> 4567") reads whole.
#: (A tag that holds an address or digits, such as a link's "mailto:", is kept: it is scanned as written.)
_PHRASING_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|big|cite|data|del|dfn|em|font|i|ins|mark|q|s|small|span|strike|strong|sub|sup|"
    r"time|u|var|wbr|[a-z][a-z0-9]*-[a-z0-9-]*)(?:\s[^<>@\d]{0,200})?/?>",
    re.IGNORECASE,
)
#: A run of digit groups in which the letter O stands among the digits ("O77OO 9OO123", "O2O 7946 OO18"):
#: groups of digits and O's joined by single spaces, dots or hyphens, with an O next to a digit.
# (?<![\w@])[0-9Oo]{2,6}…, its first character before the look-behind (the engine skips to it in C)
_LETTER_O_RUN = re.compile(r"[0-9Oo](?<![\w@].)[0-9Oo]{1,5}(?:[ .-][0-9Oo]{2,6}){1,4}(?![\w@])")


def _letter_o_is_zero(run: str) -> bool:
    """Whether the letter O reads as zero in the digit groups ``run``: it holds an O, five digits at least and
    nine digits and O's together, as long as a phone number (so "O2", "2oo" or "OOO 123" are never touched)."""
    digits = sum(c.isdigit() for c in run)
    letters = sum(c in "Oo" for c in run)
    return letters > 0 and digits >= 5 and digits + letters >= 9


def _scan(doc: Document, policy: Policy, every_kind: bool = False) -> list[PiiHit]:
    """The personal data of ``doc.text`` as a reader sees it: invisible characters inside a number or an
    address, look-alike letters and digits of other scripts (full-width "０７９１１") do not hide it. Spans and
    values are the original characters."""
    text = doc.text
    seen, read_index = as_read(text)
    index: Sequence[int] | None = read_index
    entity_ends: dict[int, int] = {}  # where a character reference a hit may end with ends in the text
    if "&" in seen and _CHAR_REFERENCE.search(seen):
        seen, index, entity_ends = _references_read(seen, index)
    if not seen.isascii():
        seen, index = _plain_forms(seen, read_index)
    if not seen.isascii() and _OTHER_DIGIT.search(seen):
        index = index if index is not None else range(len(seen))
        seen = _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), seen)  # one digit for one
    if doc.kind == "html" and "<" in seen and _PHRASING_TAG.search(seen):
        seen, index = _without_phrasing_tags(seen, index)
    if _CARD_GROUP_MARK.search(seen):
        index = index if index is not None else range(len(seen))
        seen = _CARD_GROUP_MARK.sub(lambda m: _CARD_GROUP_MARK_SPLIT.sub("-", m.group()), seen)
    if "@" in seen and not seen.isascii() and _ADDRESS_DOT.search(seen):
        index = index if index is not None else range(len(seen))
        seen = _ADDRESS_DOT.sub(".", seen)  # "post。net": an ideographic full stop or a kana middle dot
    if not seen.isascii() and _DIGIT_DASH.search(seen):
        index = index if index is not None else range(len(seen))
        seen = _DIGIT_DASH.sub("-", seen)  # "4111–1111–1111–1111": groups joined by dashes
    if not seen.isascii() and _DIGIT_SPACE.search(seen):
        index = index if index is not None else range(len(seen))
        seen = _DIGIT_SPACE.sub(
            " ", seen
        )  # "4111\u20091111…": thin, figure, punctuation spaces between groups
    if "O" in seen or "o" in seen:
        letter_o = list(_LETTER_O_RUN.finditer(seen))
        if letter_o:
            index = index if index is not None else range(len(seen))
            chars = list(seen)
            for m in letter_o:
                if _letter_o_is_zero(m.group()):
                    for i in range(m.start(), m.end()):
                        if chars[i] in "Oo":
                            chars[i] = "0"
            seen = "".join(chars)
    hits = _scan_text(seen, policy, every_kind)
    if index is None:
        return hits
    moved = []
    for h in hits:
        start, end = index[h.start], index[h.end - 1] + 1
        end = entity_ends.get(end - 1, end)  # "…&#64;gmx&#46;de&#41;": up to the reference's ";"
        while end < len(text) and unicodedata.category(text[end])[0] == "M":
            end += 1  # the marks on its last character go with it ("…@example.coḿ")
        moved.append(PiiHit(h.kind, start, end, text[start:end], h.detail))
    return moved


#: A numeric character reference of HTML or XML ("&#64;", "&#x40;") or a named one for a sign an address or a
#: number is written with ("&commat;", "&period;"): a browser shows the sign, and so does a reader of the text.
_CHAR_REFERENCE = re.compile(
    r"&(?:#(?:[xX](?P<hex>[0-9a-fA-F]{1,6})|(?P<dec>[0-9]{1,7}));?|(?P<named>commat|period|lowbar|plus|hyphen|dash|"
    r"num|nbsp|sol|lpar|rpar|colon);)"
)
_NAMED_SIGNS = {
    "commat": "@", "period": ".", "lowbar": "_", "plus": "+", "hyphen": "-", "dash": "-", "num": "#",
    "nbsp": " ", "sol": "/", "lpar": "(", "rpar": ")", "colon": ":",
}  # fmt: skip


def _without_phrasing_tags(seen: str, index: Sequence[int] | None) -> tuple[str, list[int]]:
    """``seen`` without the inline tags :data:`_PHRASING_TAG` finds between an address's or a number's
    characters (a letter, digit, "@", "." or a space on each side), and the map of the result to the text.
    Linear: one pass."""
    base = index if index is not None else range(len(seen))
    parts: list[str] = []
    mapped: list[int] = []
    last = 0
    for m in _PHRASING_TAG.finditer(seen):
        a, b = m.span()
        if not (a > 0 and b < len(seen) and _JOINS.match(seen[a - 1]) and _JOINS.match(seen[b])):
            continue
        parts.append(seen[last:a])
        mapped.extend(base[last:a])
        last = b
    if not parts:
        return seen, list(base)
    parts.append(seen[last:])
    mapped.extend(base[last:])
    return "".join(parts), mapped


_JOINS = re.compile(r"[\w@. <>]")


def _references_read(seen: str, index: Sequence[int] | None) -> tuple[str, list[int], dict[int, int]]:
    """``seen`` with each character reference (:data:`_CHAR_REFERENCE`) read as its character
    ("m&#46;weber&#64;gmx&#46;net" as "m.weber@gmx.net"), the map of the result to the text, and where each
    reference that became a character ends in the text (keyed by where it starts). Linear: one pass."""
    base = index if index is not None else range(len(seen))
    parts: list[str] = []
    mapped: list[int] = []
    ends: dict[int, int] = {}
    last = 0
    for m in _CHAR_REFERENCE.finditer(seen):
        if m.group("named"):
            char = _NAMED_SIGNS[m.group("named")]
        else:
            code = int(m.group("hex"), 16) if m.group("hex") else int(m.group("dec"))
            if not 0x20 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                continue  # no character a reader sees: left as written
            char = chr(code)
        parts.append(seen[last : m.start()])
        mapped.extend(base[last : m.start()])
        parts.append(char)
        mapped.append(base[m.start()])
        ends[base[m.start()]] = base[m.end() - 1] + 1
        last = m.end()
    parts.append(seen[last:])
    mapped.extend(base[last:])
    return "".join(parts), mapped, ends


#: Full-width forms (U+FF01-FF5E, typed by CJK input methods: "ｊｏ＠ｅｘａｍｐｌｅ．ｃｏｍ") as the ASCII they
#: stand for, and the ideographic space as a space: one character for one, so offsets stay.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20}
#: Characters that may be combining marks: neither word characters nor white space, beyond Latin-1 and
#: the spacing modifier letters (a mark is never a word character to Python's regular expressions).
_MAYBE_MARK = re.compile(r"[^\x00-\u02ff\w\s]")  # the range first: most characters are decided by it
#: Whether a text holds a full-width form at all (most do not: the translation is then skipped).
_ANY_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _plain_forms(seen: str, index: Sequence[int] | None) -> tuple[str, Sequence[int] | None]:
    """``seen`` with full-width forms as ASCII and combining marks dropped ("jose\u0301@…", an accent over a
    digit): a reader sees the address or the number through them. ``index`` maps the result to the text."""
    if _ANY_FULL_WIDTH.search(seen):
        narrow = seen.translate(_FULL_WIDTH)
        if narrow != seen and index is None:
            index = range(len(seen))  # the values are taken from the text, not from this view
        seen = narrow
    # the category of each distinct candidate once (a long text repeats its few emoji and symbols)
    marked = {c for c in set(_MAYBE_MARK.findall(seen)) if unicodedata.category(c)[0] == "M"}
    if not marked:
        return seen, index
    # a mark over a Latin letter, a digit, a sign or an invisible character is dropped; the vowel signs and
    # viramas of the scripts written with them, after a letter of that script (Bengali "জন্ম", Thai "คุณ",
    # Hebrew, Arabic), are part of their words and stay
    marks: list[int] = []
    kept_mark = -2  # where the last mark kept with its letter stands
    for m in _MAYBE_MARK.finditer(seen):
        if m.group() in marked:
            i = m.start()
            before = seen[i - 1] if i else ""
            if kept_mark == i - 1 or (before >= "\u0370" and unicodedata.category(before)[0] == "L"):
                kept_mark = i  # a vowel sign or a virama of a letter of another script: part of its word
            else:
                marks.append(i)
    if not marks:
        return seen, index
    # the runs between the marks, copied as slices (linear, at C speed: a megabyte with a few marks)
    text_parts: list[str] = []
    start = 0
    for mark in [*marks, len(seen)]:
        text_parts.append(seen[start:mark])
        start = mark + 1
    return "".join(text_parts), _Skipping(index if index is not None else range(len(seen)), marks)


class _Skipping(Sequence[int]):
    """``base`` without the items at the positions ``gone`` (ascending), read on demand: a megabyte with an
    emoji's variation selector here and there is not copied into a new index of a million numbers."""

    __slots__ = ("_base", "_len", "_shift")

    def __init__(self, base: Sequence[int], gone: list[int]) -> None:
        self._base = base
        # before the j-th gone position stand this many kept items
        self._shift = [g - j for j, g in enumerate(gone)]
        self._len = len(base) - len(gone)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[int]: ...

    def __getitem__(self, i: int | slice) -> int | Sequence[int]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        # kept item i stands after every gone position j with shift[j] <= i
        return self._base[i + bisect_right(self._shift, i)]


def _scan_text(text: str, policy: Policy, every_kind: bool = False) -> list[PiiHit]:
    settings = policy.privacy
    kinds = set(PII_KINDS if every_kind else settings.detect)
    allow, domains = _allowed(policy)
    hits: list[PiiHit] = []
    taken: Spans[str] = Spans()

    def add(kind: str, start: int, end: int, detail: str) -> None:
        value = text[start:end]
        if _normal(value) in allow or taken.overlapping(start, end) is not None:
            return
        taken.add(start, end, kind)
        hits.append(PiiHit(kind, start, end, value, detail))

    if "email" in kinds:
        # from each '@', walk left over the local part (a quoted one too) and match the domain on the right
        at = text.find("@")
        while at != -1:
            a = _local_part_start(text, at) if text[at - 1 : at] != '"' else _quoted_local_start(text, at - 1)
            dm = _DOMAIN.match(text, at + 1) if a is not None else None
            if a is not None and dm is not None and not _allowed_domain(dm.group(), domains):
                add("email", a, dm.end(), "address pattern")
            at = text.find("@", at + 1)
        _scan_dodged_emails(text, domains, add)
        _scan_spelled_emails(text, domains, add)
    if "phone" in kinds:
        _scan_spelled_phones(text, settings.phone_regions, add)
    # names are added after postal addresses: a street or a district named after a person ("Tạ Quang Bửu",
    # "Hai Bà Trưng") inside an address is part of the address, not somebody's name
    names: list[tuple[str, int, int, str]] = []
    if "person_name" in kinds:
        _scan_names(text, policy, lambda *person: names.append(person))
    digits = sum(map(text.count, "0123456789"))
    if digits < 4:
        if (digits or "," in text or "\n" in text) and "postal_address" in kinds:
            _scan_addresses(text, policy, add)  # a house name has no number ("Rose Cottage, Mill Lane, …")
        if digits >= 2 and "passport" in kinds:
            from brandrail.content import pii_more

            for start, end, detail in pii_more.find_passports(text):  # a German one: "C4J7RZ2LF"
                add("passport", start, end, detail)
        for person in names:
            add(*person)
        hits.sort(key=lambda h: h.start)
        return hits
    # the card, IBAN, IPv4 and most national-ID patterns can only match where a run of digits starts (or, for
    # an IBAN, two letters before one): each is tried there only, not at every character of a long text
    # None when digits stand throughout (tables of numbers): trying each pattern everywhere is then cheaper
    runs = digit_run_starts(text, limit=len(text) // _SPARSE_RUNS)
    all_runs: list[tuple[int, int]] = []  # (start, length) of every run of digits, once a pattern needs them

    long_runs: dict[int, list[int] | None] = {}
    longest: int | None = None

    def longest_run() -> int:
        nonlocal longest
        if longest is None:
            if not all_runs:
                all_runs.extend(zip(*digit_runs(text), strict=True))
            longest = max((n for _a, n in all_runs), default=0)
        return longest

    def digit_led(rx: re.Pattern[str], starts: list[int] | None = None) -> Iterator[re.Match[str]]:
        if starts is None and (need := leading_digits(rx)) >= 2:
            # a pattern that opens with N digits is tried where a run of N digits or more starts only
            if need not in long_runs:
                if not all_runs:
                    all_runs.extend(zip(*digit_runs(text), strict=True))
                wide = [a for a, n in all_runs if n >= need]
                long_runs[need] = wide if len(wide) <= len(text) // _SPARSE_RUNS else None
            positions = long_runs[need]
            if positions is not None:
                return finditer_at(rx, text, positions)
        if runs is None:
            return rx.finditer(text)
        return finditer_at(rx, text, runs if starts is None else starts)

    if "crypto_wallet" in kinds:
        # a wallet's checksum covers the whole token: it goes before cards, whose digit runs can sit inside
        # one ("0x5290840009852788…" holds a Luhn-valid run)
        from brandrail.content import pii_more

        for start, end, detail in pii_more.find_crypto_wallets(text):
            add("crypto_wallet", start, end, detail)
    if "card" in kinds and digits >= 13:
        for start, end in _cards(text, runs if runs is not None else digit_run_starts(text) or []):
            add("card", start, end, "card-network prefix and Luhn check digit")
    if "iban" in kinds and digits >= 8:
        from stdnum import iban

        for m in digit_led(_IBAN, _iban_starts(runs or [])):
            if iban.is_valid(m.group()):
                add("iban", m.start(), m.end(), "stdnum.iban (country format, mod-97)")
    if "national_id" in kinds and digits >= 4:  # a PAN holds four
        shape = text.encode("utf-8", "surrogatepass").translate(_SHAPE)
        seen_guards: dict[bytes, bool] = {}  # a shape several modules share is looked for once
        seen_words: dict[str, bool] = {}  # a context several modules share is looked for once
        for name, pattern, needs_context, valid in _validators(policy, every_kind):
            guards = _ID_SHAPES.get(name, (b"",))
            if not any(
                seen_guards[g] if g in seen_guards else seen_guards.setdefault(g, g in shape) for g in guards
            ):
                continue
            context = _OWN_CONTEXT.get(name, _ID_CONTEXT)
            # whether the text holds one of its label words at all: looked up at its first candidate that needs
            # one (once per pattern and text; a text without candidates is never searched for the words)
            worded: bool | None = None
            if name in _DIGIT_LED_IDS:
                candidates = digit_led(pattern)
            elif held_digits(pattern) > longest_run():
                continue  # every match holds a longer run of digits than the text has: none to find
            else:
                candidates = pattern.finditer(text)
            for idm in candidates:
                evident = name in _SELF_EVIDENT and _SELF_EVIDENT[name](idm.group())
                if evident and _CODE_BEFORE.search(text, max(0, idm.start() - 40), idm.start()):
                    continue  # "Your confirmation code is 482-73-9163": a code shaped like an identifier
                if needs_context and not evident:
                    if worded is None:
                        presence = MORE_ID_PRESENCE.get(name, context)
                        if presence.pattern not in seen_words:
                            seen_words[presence.pattern] = presence.search(text) is not None
                        worded = seen_words[presence.pattern]
                    if not worded:
                        if name not in _SELF_EVIDENT:
                            break  # no word of its own in the text: none of its bare numbers can be read
                        continue
                    if not _context(text, idm.start(), context):
                        continue
                try:
                    ok = valid(idm.group().replace(" ", ""))  # stdnum compacts dashes, not always spaces
                except Exception:
                    ok = False
                if ok:
                    how = f"{name} ({_BUILTIN_HOW[name]})" if name in _BUILTIN_HOW else f"stdnum.{name}"
                    add("national_id", idm.start(), idm.end(), how)
    if "ip" in kinds:
        shape = text.encode("utf-8", "surrogatepass").translate(_NUMERIC)
        if b"9.9" in shape:
            for m in digit_led(_IPV4):
                try:
                    ipaddress.IPv4Address(m.group())
                except ValueError:
                    continue
                if _VERSION_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                    continue
                if not _reads_as_ipv4(text, m.start(), m.end()):
                    continue
                add("ip", m.start(), m.end(), "IPv4 address")
        if b"::" in shape or b"9:9" in shape or b"h:h" in shape or b"9:h" in shape or b"h:9" in shape:
            colons = text.count(":")
            ipv6 = (
                _IPV6.finditer(text)
                if colons * _SPARSE > len(text)
                else finditer_at(_IPV6, text, _ipv6_starts(text))
            )
            for m in ipv6:
                try:
                    ipaddress.IPv6Address(m.group())
                except ValueError:
                    continue
                add("ip", m.start(), m.end(), "IPv6 address")
    # identifiers found with a context word or a checksum go before phone numbers, which would otherwise
    # claim an account or licence number that happens to be a dialable number
    _scan_more(text, kinds, digits, add, runs, _own_names(policy))
    if "postal_address" in kinds:  # before phone numbers, which would take a postcode ("05422-010")
        _scan_addresses(text, policy, add, runs)
    for person in names:
        add(*person)
    if "phone" in kinds and digits >= 7:
        import phonenumbers

        # the matcher is slow on long text: run it on a window around each run of digits
        tries = PHONE_TRIES
        labelled_tries = _LABELLED_TRIES
        done = 0  # where the previous candidate's window stopped being read
        hints = _PHONE_HINT.finditer(text) if runs is None else finditer_from(_PHONE_HINT, text, _PHONE_START)
        for cm in _outside(hints, taken, text):
            glued = _glued_to(text, cm.start())
            if (
                glued == "identifier"
                and cm.start() > 0
                and taken.overlapping(cm.start() - 1, cm.start()) == "email"
            ):
                glued = "word"  # glued to an address found before it ("…@example.com07911 …"): no code
            if glued == "identifier" or _DATED_CODE.match(text, cm.start()):
                continue
            label_at = _slashed_start(text, cm.start())
            if (
                not every_kind
                and text[cm.start()]
                != "+"  # "+20 100 …" is written to be dialled from abroad: no order number
                and (
                    _id_labelled(text, label_at, cm.group())
                    or _FREE_CALL_BEFORE.search(text, max(0, label_at - 40), label_at)
                    or _CODE_BEFORE.search(text, max(0, label_at - 40), label_at)
                    or _FREE_CALL_AFTER.match(text, cm.end())
                )
            ):
                continue  # "Order 2026-118273", "Company no. 04192837": an identifier, if a dialable one
            if "." in cm.group() and _in_coordinates(text, cm.start(), cm.end()):
                continue  # "(38.8893, -77.0502)": a place's latitude and longitude
            if _is_date(cm.group()):
                continue  # "gültig vom 01.12.2026", "31-01-2027": a date, dialable in some region
            if _CHECK_DIGIT_END.search(cm.group().rstrip()):
                continue  # "SSS no. 33-4821076-9": an identifier with its check digit
            if tries <= 0:  # fail closed: what is not validated is treated as a phone number
                add("phone", cm.start(), cm.end(), _UNVALIDATED)
                continue
            a = cm.start() if glued == "word" else max(0, cm.start() - 6, done)
            while a < cm.start() and taken.overlapping(a, cm.start()) is not None:
                a += 1  # not into data taken before it ("81.2.69.160 07911 …"): the matcher would read on
            b = min(len(text), cm.end() + 2)
            while b > cm.end() and taken.overlapping(cm.end(), b) is not None:
                b -= 1  # nor into data taken after it ("07911 123456 81.2.69.160")
            window = text[a:b]
            regions = (
                settings.phone_regions[:1] if window.lstrip().startswith("+") else settings.phone_regions
            )
            checked = cm.start()  # the window's sequence is validated up to here
            for region in regions:
                found = False
                matcher = phonenumbers.PhoneNumberMatcher(window, region.upper(), max_tries=tries)
                for pm in matcher:
                    if (
                        phonenumbers.number_type(pm.number) not in _SERVICE_NUMBERS
                        and not _service_elsewhere(pm.raw_string, region, regions)
                    ) or _mobile_elsewhere(
                        pm.raw_string, phonenumbers.number_type(pm.number), region, regions
                    ):
                        add("phone", a + pm.start, a + pm.end, f"valid number (+{pm.number.country_code})")
                    checked = max(checked, a + pm.end)
                    found = True
                tries = getattr(matcher, "_max_tries", 0)  # what is left of the budget (0 if unknown)
                if found or tries <= 0:
                    break
            if not found and labelled_tries > 0 and tries > 0:
                labelled_tries -= 1
                if _labelled_local_number(text, cm.start(), cm.end()):
                    add("phone", cm.start(), cm.end(), "number after a phone label")
                    checked = max(checked, cm.end())
            if tries <= 0:  # the budget ran out inside this sequence: its unvalidated rest, fail closed
                rest = _DIGIT.search(text, checked, cm.end())
                if rest is not None:
                    add("phone", rest.start(), cm.end(), _UNVALIDATED)
            # the next window starts after what this one read: reaching back into this number, the matcher
            # would read the next one as its extension ("07911 123456 x 07464 839201") and lose it
            done = max(checked, cm.end())
    hits.sort(key=lambda h: h.start)
    return hits


def _id_labelled(text: str, label_at: int, written: str) -> bool:
    """Whether an identifier's label (:data:`_ID_LABEL_BEFORE`) stands right before ``label_at``. A Brazilian
    "CEP" labels a postcode of eight digits; Turkish "cep" (mobile) a phone number of ten or eleven."""
    m = _ID_LABEL_BEFORE.search(text, max(0, label_at - 40), label_at)
    if m is None:
        return False
    return not (m.group().strip(" \t:#").lower() == "cep" and len(_NON_DIGIT.sub("", written)) > 8)


def _service_elsewhere(written: str, region: str, regions: Sequence[str]) -> bool:
    """Whether a number written without a country code, read as a personal number in ``region``, is a valid
    freephone, shared-cost or universal-access number in another of the policy's ``regions`` ("0800 123 456",
    "0120-123-456", "0848 123 456"): with several countries hinted, its service prefix says which it is. Only
    a number written with a leading 0 or 1 is looked at so: written without it ("512 345 678", "33 1234
    5678"), a mobile of one country may be a universal-access number of another."""
    if len(regions) < 2 or written.lstrip(" (").startswith("+") or written.lstrip(" (")[:1] not in "01":
        return False  # service numbers are dialled with a 0 or a 1 first; "512 345 678" is a Polish mobile
    return any(kind in _SERVICE_NUMBERS for kind in _other_readings(written, region, regions))


def _other_readings(written: str, region: str, regions: Sequence[str]) -> Iterator[int]:
    """The ``phonenumbers.PhoneNumberType`` of ``written`` in each of ``regions`` but ``region`` where it is a
    valid number."""
    import phonenumbers

    for other in regions:
        if other == region:
            continue
        try:
            number = phonenumbers.parse(written, other.upper())
        except phonenumbers.NumberParseException:
            continue
        kind = phonenumbers.number_type(number)
        if kind in _READINGS_LOOKED_AT and phonenumbers.is_valid_number(number):
            yield kind


def _mobile_elsewhere(written: str, number_type: int, region: str, regions: Sequence[str]) -> bool:
    """Whether a number read as a universal-access number (in ``region``, or in another of the policy's
    ``regions`` when ``region`` reads it as a personal number) is a mobile number of another hinted region,
    written without a country code, and a freephone or shared-cost number in none ("087 248 3916" is an Irish
    mobile and a Dutch universal-access number, "010-4827-3916" a Korean mobile and a Finnish one): some
    countries spread their universal-access ranges wide, and a mobile prefix says more. A freephone or a
    shared-cost reading ("0848 123 456", "0771-12 34 56") still makes it a business's line."""
    if len(regions) < 2 or written.lstrip(" (").startswith("+") or number_type in _TOLL_OR_SHARED:
        return False
    if number_type == _MOBILE:
        return False  # a personal reading already: _service_elsewhere decides
    mobile = False
    for kind in _other_readings(written, region, regions):
        if kind in _TOLL_OR_SHARED:
            return False
        mobile = mobile or kind == _MOBILE
    return mobile


_MOBILE = 1  # phonenumbers.PhoneNumberType.MOBILE
_TOLL_OR_SHARED = frozenset((3, 5))  # TOLL_FREE, SHARED_COST
_READINGS_LOOKED_AT = _SERVICE_NUMBERS | {_MOBILE}


def _slashed_start(text: str, start: int) -> int:
    """Where a number written with a slash inside starts, for a candidate after the slash ("50.646.282/0001-77",
    "0171/4829307"): the label before the whole number decides whether it is an identifier."""
    if start < 2 or text[start - 1] != "/" or not text[start - 2].isdigit():
        return start
    i = start - 1
    while i > 0 and i > start - 24 and (text[i - 1].isdigit() or text[i - 1] in "./-"):
        i -= 1
    return i


def _in_coordinates(text: str, start: int, end: int) -> bool:
    """Whether a candidate from ``start`` to ``end`` overlaps a latitude and longitude pair."""
    a = max(0, start - 20)
    return any(m.start() < end and start < m.end() for m in _COORDINATES.finditer(text, a, end + 24))


def _outside(hints: Iterator[re.Match[str]], taken: Spans[str], text: str) -> Iterator[re.Match[str]]:
    """The phone-number candidates in ``hints`` outside what other recognisers took: a candidate that runs
    over a taken span ("81.2.69.160 07911 123456", "DOB 12.03.1985 07911 123456") is looked at again in
    the gaps around it, so a number next to other data is not lost with it."""
    for cm in hints:
        if taken.overlapping(cm.start(), cm.end()) is None:
            yield cm
            continue
        gaps, cursor = [], cm.start()
        first = bisect_left(taken.starts, cm.start() - taken.longest)
        last = bisect_left(taken.starts, cm.end())
        for a, b in sorted(
            (a, b)
            for a, b in zip(taken.starts[first:last], taken.ends[first:last], strict=True)
            if b > cm.start()
        ):
            if a > cursor:
                gaps.append((cursor, a))
            cursor = max(cursor, b)
        gaps.append((cursor, cm.end()))
        for a, b in gaps:
            sub = _PHONE_HINT.search(text, a, b)
            while sub is not None:
                yield sub
                sub = _PHONE_HINT.search(text, sub.end(), b)


def _scan_more(
    text: str,
    kinds: Collection[str],
    digits: int,
    add: Callable[[str, int, int, str], None],
    runs: list[int] | None,
    own_names: re.Pattern[str] | None = None,
) -> None:
    """The recognisers of :mod:`brandrail.content.pii_more`, each behind a cheap test of the text;
    ``own_names``: the brand's names (:func:`_own_names`)."""
    from brandrail.content import pii_more

    shape = pii_more._shape(text)
    finders: list[tuple[str, bool, Callable[[str], Iterator[tuple[int, int, str]]]]] = [
        ("mac_address", True, pii_more.find_mac_addresses),
        ("bank_account", digits >= 5, lambda t: pii_more.find_bank_accounts(t, shape, runs)),
        ("passport", digits >= 2, pii_more.find_passports),  # a German number holds two or more
        ("date_of_birth", digits >= 4, lambda t: pii_more.find_dates_of_birth(t, own_names)),
        ("driving_licence", digits >= 6, lambda t: pii_more.find_driving_licences(t, shape)),
    ]
    for kind, worth_it, finder in finders:
        if worth_it and kind in kinds:
            for start, end, detail in finder(text):
                add(kind, start, end, detail)


def _own_names(policy: Policy) -> re.Pattern[str] | None:
    """The brand's own names — ``brand.name``, its products and trademarks — as one pattern (cached per
    policy): "Fernhill was born on 1 April 1998" dates a founding, not a person."""
    from brandrail.content import pii_more

    cache = cache_of(policy)
    key = "pii:own_names"
    if key not in cache:
        brand = policy.brand
        names = [brand.name, *brand.products, *(t.term for t in brand.trademarks)]
        cache[key] = pii_more.own_names_pattern(names)
    found: re.Pattern[str] | None = cache[key]
    return found


def _own_addresses(policy: Policy) -> frozenset[str]:
    """The street-and-number keys of the brand's own published addresses (cached per policy):
    ``brand.postal_address``, ``disclosures.email.address``, ``creative.email.postal_address`` and the
    addresses among ``privacy.allow``."""
    from brandrail.content import pii_address

    cache = cache_of(policy)
    keys: frozenset[str] | None = cache.get("pii:own_addresses")
    if keys is None:
        texts = [
            policy.brand.postal_address,
            policy.disclosures.email.address,
            policy.creative.email.postal_address,
            *policy.privacy.allow,
        ]
        keys = pii_address.street_keys(t for t in texts if t)
        cache["pii:own_addresses"] = keys
    return keys


def _scan_addresses(
    text: str, policy: Policy, add: Callable[[str, int, int, str], None], runs: list[int] | None = None
) -> None:
    """``runs``: :func:`digit_run_starts` of ``text`` if known (every one of them)."""
    from brandrail.content import pii_address

    own = _own_addresses(policy)
    for hit in pii_address.find_postal_addresses(text, runs=runs):
        if own and pii_address.street_key(hit.core) in own:
            continue  # the brand's own published address
        add("postal_address", hit.start, hit.end, hit.detail)


def _scan_names(text: str, policy: Policy, add: Callable[[str, int, int, str], None]) -> None:
    from brandrail.content import pii_more

    cache = cache_of(policy)
    names: frozenset[str] | None = cache.get("pii:names")
    if names is None:
        names = pii_more.first_names() | frozenset(n.lower() for n in policy.privacy.person_names)
        cache["pii:names"] = names
    for start, end, detail in pii_more.find_person_names(text, lambda w: w.lower() in names):
        add("person_name", start, end, detail)


def _allowed_domain(domain: str, domains: Collection[str]) -> bool:
    """Whether an address at ``domain`` is the brand's own (``domains`` or a subdomain of one)."""
    domain = domain.lower()
    return domain in domains or any(domain.endswith("." + d) for d in domains)


def _local_part_start(text: str, end: int) -> int | None:
    """Where the local part of an address that ends at ``end`` starts: walked left over its characters
    (letters of any script), starting with a letter or digit and not glued to another word; None if none."""
    a = end
    while a > 0 and (text[a - 1] in _LOCAL_CHARS or text[a - 1].isalnum()):
        a -= 1
    if a == end or not text[a].isalnum() or (a > 0 and (text[a - 1].isalnum() or text[a - 1] == "_")):
        return None
    return a


def _quoted_local_start(text: str, close: int) -> int | None:
    """Where a quoted local part ending with the quote at ``close`` starts (RFC 5321: '"vero.andrade"@…'): its
    opening quote, at most 64 characters back on the same line, not glued to a word before it."""
    a = text.rfind('"', max(0, close - 65), close)
    if (
        a < 0
        or a == close - 1
        or "\n" in text[a:close]
        or (a > 0 and (text[a - 1].isalnum() or text[a - 1] == "_"))
    ):
        return None
    return a


def _web_address(text: str, domain: re.Match[str]) -> bool:
    """Whether the domain after a spaced "@" is a web address: it starts with "www." or a path follows."""
    return domain.group()[:4].lower() == "www." or text.startswith("/", domain.end())


def _scan_dodged_emails(
    text: str, domains: Collection[str], add: Callable[[str, int, int, str], None]
) -> None:
    """Addresses written to dodge a scraper: an "at" in brackets ("jo [at] example [dot] com",
    "jo(at)example.com"), an "@" with white space beside it ("jo @ example.com") or another language's word
    for it ("maria[arroba]gmail.com", "jan małpa wp.pl"), between a local part and a domain whose dots may be
    written "[dot]", "(dot)" or " dot " (or "punto", "kropka"...)."""
    for m in _DODGED_AT.finditer(text):
        start, end = m.span()
        if m.group() == "@" and not (
            (start > 0 and text[start - 1].isspace()) or (end < len(text) and text[end].isspace())
        ):
            continue  # a plain address: found by the scan of '@'
        a = start
        for _ in range(3):  # the white space between the local part and the "at"
            if a > 0 and text[a - 1] in " \t":
                a -= 1
        local = _local_part_start(text, a)
        if local is None:
            continue
        b = end
        for _ in range(3):
            if b < len(text) and text[b] in " \t":
                b += 1
        dm = _DODGED_DOMAIN.match(text, b)
        spaced = _SPACED_DOMAIN.match(text, b)
        if spaced is not None and (dm is None or spaced.end() > dm.end()):
            # "jo @ example . com": the last label a top-level domain in small letters ("me @ home . Thanks" is
            # none), and a local part spaced the same way is read with it ("priya . nair @ proton . me")
            name = re.sub(_SPACED_DOT, ".", spaced.group())
            if (
                likely_tld(name.rsplit(".", 1)[-1])
                and name[:4].lower() != "www."  # "Find us @ www . example . com": a web address
                and not _allowed_domain(name, domains)
            ):
                for _ in range(4):  # a few words: never walked back over a long run of " . "
                    sm = _SPACED_LOCAL_BEFORE.search(text, max(0, local - 70), local)
                    if sm is None:
                        break
                    local = sm.start()
                add("email", local, spaced.end(), "address pattern, written to dodge a scraper")
                continue
        if dm is None:
            continue
        if m.group() == "@" and _web_address(text, dm):
            continue  # "Find us @ www.example.com", "Shop @ example.com/sale": "at" a web address
        if m.group() == "@" and b == end and not likely_tld(_DODGED_SEPARATOR.split(dm.group())[-1]):
            continue  # "Follow @anna.kowalska": a handle glued to its "@", with no top-level domain after it
        if not _allowed_domain(_DODGED_SEPARATOR.sub(".", dm.group()), domains):
            add("email", local, dm.end(), "address pattern, written to dodge a scraper")


#: A spelled-out " dot " as typed (the quick test before :data:`_SPELLED_EMAIL`: prose seldom holds one;
#: plain substring searches, far cheaper over a megabyte than a case-insensitive pattern).
_SPELLED_DOTS = (" dot ", " DOT ", " Dot ")
#: An address spelled out in words with a bare "at" ("kim dot jiwoo at naver dot com", "jo at gmx dot de"):
#: a local part (its dots perhaps spelled), "at", a domain whose dots are spelled. Bounded repetitions: a
#: long run of "a dot a dot …" is never walked from every word.
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.@+-])(?P<local>[A-Za-z0-9][\w+-]{0,63}(?:[ \t]+(?:dot|underscore)[ \t]+[A-Za-z0-9][\w+-]{0,63}){0,4})"
    r"[ \t]+at[ \t]+"
    r"(?P<domain>[A-Za-z0-9][A-Za-z0-9-]{0,62}(?:[ \t]+dot[ \t]+[A-Za-z0-9][A-Za-z0-9-]{0,62}){0,4}"
    r"[ \t]+dot[ \t]+(?P<tld>[A-Za-z]{2,24}))(?![\w-])",
    re.IGNORECASE,
)
#: A word for e-mail shortly before a spelled-out address whose local part is one word ("my email is jo at
#: gmx dot de"); without it, "look at example dot com" names a web site.
_EMAIL_WORD_BEFORE = re.compile(r"\b(?:e-?mail|mail|correo|courriel|posta|poczta|メール)\b", re.IGNORECASE)
_SPELLED_SEPARATOR = re.compile(r"[ \t]+(?:dot|underscore)[ \t]+", re.IGNORECASE)


def _scan_spelled_emails(
    text: str, domains: Collection[str], add: Callable[[str, int, int, str], None]
) -> None:
    """Addresses spelled out with a bare "at" and " dot " (:data:`_SPELLED_EMAIL`), whose last label is a
    likely top-level domain: with a spelled dot or underscore in the local part ("kim dot jiwoo at naver dot
    com"), or a word for e-mail within 40 characters before ("email: jo at gmx dot de"); the local part is
    no function word ("email me at noon dot …")."""
    found = [i for i in (text.find(d) for d in _SPELLED_DOTS) if i >= 0]
    if not found:
        return
    for m in _SPELLED_EMAIL.finditer(text, max(0, min(found) - 400)):
        if not likely_tld(m.group("tld")):
            continue
        local = m.group("local")
        spelled = _SPELLED_SEPARATOR.search(local) is not None
        if not spelled and (
            local.lower() in _FUNCTION_WORDS_EMAIL
            or _EMAIL_WORD_BEFORE.search(text, max(0, m.start() - 40), m.start()) is None
        ):
            continue
        domain = re.sub(r"[ \t]+dot[ \t]+", ".", m.group("domain"), flags=re.IGNORECASE)
        if not _allowed_domain(domain, domains):
            add("email", m.start(), m.end(), "address pattern, spelled out in words")


#: How many runs of number words a text's phone numbers in words are validated for; the rest are reported.
_SPELLED_TRIES = 2_000


def _scan_spelled_phones(
    text: str, regions: Sequence[str], add: Callable[[str, int, int, str], None]
) -> None:
    """Phone numbers written in words or in words and digits mixed ("oh seven eight one two, four five six, nine
    oh one", "null eins sieben zwei…", :mod:`brandrail.content.pii_spelled`): kept when the digits read are a
    valid number of one of ``regions`` that is no freephone or shared-cost line."""
    from brandrail.content.pii_spelled import spelled_numbers

    runs = list(spelled_numbers(text))
    if not runs:
        return
    import phonenumbers

    for tried, (start, end, number) in enumerate(runs):
        if tried >= _SPELLED_TRIES:  # fail closed: what is not validated is treated as a phone number
            add("phone", start, end, _UNVALIDATED)
            continue
        for region in regions:
            try:
                parsed = phonenumbers.parse(number, region.upper())
            except phonenumbers.NumberParseException:
                continue
            if (
                phonenumbers.is_valid_number(parsed)
                and phonenumbers.number_type(parsed) not in _SERVICE_NUMBERS
            ):
                add("phone", start, end, f"valid number (+{parsed.country_code}), written in words")
                break


#: Words that are no local part of an address spelled out with a bare "at" ("email me at …").
_FUNCTION_WORDS_EMAIL = frozenset(
    re.findall(r"\S+", "me us him her them you we i it is are was or and the a an")
)


#: A date written with dots, slashes or hyphens (a space after each allowed): day, month, a year of four digits
#: ("01.12.2026", "31-01-2027", "30. 4. 2027"), or the year first ("2026-12-01", "2026.12.01").
_DATE_SHAPE = re.compile(
    r"(?P<d>\d{1,2})(?P<s>[./-]) ?(?P<m>\d{1,2})(?P=s) ?(?:19|20)\d{2}|(?:19|20)\d{2}(?P<s2>[./-]) ?(?P<m2>\d{1,2})(?P=s2) ?(?P<d2>\d{1,2})"
)
#: A number that ends with a single check digit after a hyphen ("33-4821076-9", "4218833-7"): an identifier's
#: layout; no numbering plan ends a phone number with a group of one digit.
_CHECK_DIGIT_END = re.compile(r"\d{4,}-\d$")


def _is_date(written: str) -> bool:
    """Whether a phone number's candidate is a date (:data:`_DATE_SHAPE`, a real day and month)."""
    m = _DATE_SHAPE.fullmatch(written.strip())
    if m is None:
        return False
    day, month = (
        (int(m.group("d")), int(m.group("m"))) if m.group("d") else (int(m.group("d2")), int(m.group("m2")))
    )
    if m.group("d") and month > 12:
        day, month = month, day  # month first ("12-31-2026")
    return 1 <= day <= 31 and 1 <= month <= 12


def _cards(text: str, starts: list[int]) -> Iterator[tuple[int, int]]:
    """Card numbers starting at the runs of digits ``starts``: the longest run of digit groups from each
    start that is laid out as cards are printed and has a network prefix and a valid Luhn digit. Shorter
    runs are tried too, so that what follows a card ("4111 1111 1111 1111 12/28", an expiry date; "07911
    123456 4111 …", a number before it) neither hides it nor is taken with it."""
    taken_to = 0
    for p in starts:
        if p < taken_to or text[p] not in "23456" or (p > 0 and text[p - 1] == "-"):
            continue  # inside a card found, no network's first digit, or glued to a code by a hyphen
        m = _CARD.match(text, p)
        if m is None:
            continue
        written = m.group()
        e = len(written)
        while True:
            candidate = written[:e]
            number = _NON_DIGIT.sub("", candidate)
            if len(number) < 13:
                break
            if (
                (e == len(written) or written[e] != "-")  # not joined to more by a hyphen: a longer code
                and len(number) <= 19
                and _card_layout(candidate)
                and _CARD_PREFIX.match(number)
                and _network_length(number)
                and _luhn(number)
                and not (len(number) == 13 and _ean13(number))
            ):
                yield p, p + e
                taken_to = p + e
                break
            e = max(written.rfind(" ", 0, e), written.rfind(".", 0, e), written.rfind("-", 0, e))
            if e <= 0:  # the groups are single separators between digits: the digit before ends a group
                break


#: The lengths each network issues, by first digits (the longest prefix that applies wins): Visa 13, 16 or 19;
#: Mastercard 16; American Express 15; Diners Club 14 (36) or 14-16 (30, 38, 39); JCB, Discover and UnionPay
#: 16-19; Maestro 12-19; Elo and Hipercard 16 (a 15-digit number starting 36 or a 17-digit one starting 4 is
#: a tracking or order number, whatever its Luhn digit).
_NETWORK_LENGTHS: tuple[tuple[str, frozenset[int]], ...] = (
    ("5018", frozenset(range(12, 20))), ("5020", frozenset(range(12, 20))), ("5038", frozenset(range(12, 20))),
    ("5893", frozenset(range(12, 20))), ("6304", frozenset(range(12, 20))), ("6759", frozenset(range(12, 20))),
    ("6761", frozenset(range(12, 20))), ("6762", frozenset(range(12, 20))), ("6763", frozenset(range(12, 20))),
    ("4", frozenset((13, 16, 19))), ("34", frozenset((15,))), ("37", frozenset((15,))),
    ("36", frozenset((14, 16))), ("30", frozenset((14, 15, 16))), ("38", frozenset((14, 15, 16))),
    ("3841", frozenset((16, 19))), ("39", frozenset((14, 15, 16))), ("35", frozenset(range(16, 20))),
    ("6", frozenset(range(16, 20))), ("5", frozenset((16,))), ("2", frozenset((16,))),
)  # fmt: skip


def _network_length(number: str) -> bool:
    """Whether ``number``'s length is one its network issues (:data:`_NETWORK_LENGTHS`)."""
    best: tuple[str, frozenset[int]] | None = None
    for prefix, lengths in _NETWORK_LENGTHS:
        if number.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, lengths)
    return best is None or len(number) in best[1]


def _ean13(number: str) -> bool:
    """Whether thirteen digits carry a valid EAN-13 / JAN check digit: a barcode, not one of the 13-digit Visa
    numbers no longer issued (about one Luhn-valid barcode in ten would pass for one)."""
    total = sum((3 if i % 2 else 1) * (ord(c) - 48) for i, c in enumerate(number[:12]))
    return (10 - total % 10) % 10 == ord(number[12]) - 48


def _card_layout(written: str) -> bool:
    """Whether digits are grouped as card numbers are printed: one run, groups of four (the last may be
    shorter), or the 4-6-5 / 4-6-4 layouts of American Express and Diners Club."""
    groups = [len(g) for g in re.split(r"[ .-]", written)]
    if len(groups) == 1:
        return True
    if groups[:2] == [4, 6] and len(groups) == 3 and groups[2] in (4, 5):
        return True
    return all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4


#: A letter of a script written without spaces between words (kana, CJK ideographs, Thai).
_UNSPACED_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f]")


def _glued_to(text: str, start: int) -> str | None:
    """What a digit run at ``start`` is glued to: ``"word"`` (a calling word: "call0906…"), ``"identifier"``
    (letters or a code joined by a hyphen, or other letters: "PP-006-…", "SKU1234…"), or None."""
    if start == 0:
        return None
    before = text[start - 1]
    if before == "-" and start >= 2 and text[start - 2].isalnum():
        return "identifier"
    if not (before.isalpha() or before in ":."):
        return None
    if _UNSPACED_SCRIPT.match(before):
        return None  # "手机139 1742 8365": Chinese, Japanese and Thai put no space before a number
    m = _GLUED_WORD.search(text, max(0, start - 20), start)
    if m is None:
        return None if before in ":." else "identifier"
    return "word" if m.group(1).lower() in _CALL_WORDS else "identifier"


def may_hold_wordy_pii(text: str) -> bool:
    """A quick test for personal data written without four digits, an "@" or a ":": an address whose "at" is a
    word ("jo [at] example [dot] com", "maria arroba gmail punto com"), a person's name
    (:func:`brandrail.content.pii_more.may_hold_name`) or a postal address ("14 Birch Court", "Rose Cottage,
    Mill Lane, Ledbury"). False means :func:`find_pii` finds nothing of the kind."""
    from brandrail.content import pii_more

    if _DODGED_AT.search(text) is not None or pii_more.may_hold_name(text):
        return True
    from brandrail.content.pii_spelled import may_hold_spelled_phone

    if may_hold_spelled_phone(text):
        return True  # a phone number in words ("oh seven eight one two…")
    if _DIGIT.search(text) is None and "," not in text and "\n" not in text:
        return False  # an address holds a number, or a house name and a street after a comma or a new line
    from brandrail.content import pii_address  # an address may hold fewer than four digits ("ul. Długa 12/4")

    return next(pii_address.find_postal_addresses(text), None) is not None


def find_pii(doc: Document, policy: Policy, *, every_kind: bool = False) -> list[PiiHit]:
    """Every piece of personal data in ``doc`` (memoised per document and policy) of the kinds in
    ``privacy.detect`` and the national ids in ``privacy.national_ids`` — or, with ``every_kind``, of every
    kind and every supported national id (what the gate masks before it writes to its ledger: ``detect``
    decides what a content check reports, not what personal data may be stored)."""
    if every_kind:
        return memo(doc.origin, f"pii:all:{id(policy)}", lambda: _scan(doc, policy, True))
    return memo(doc.origin, f"pii:{id(policy)}", lambda: _scan(doc, policy))  # the text's: shared by views


@register_data_finder
def _pii_data(doc: Document, policy: Policy) -> Iterator[tuple[int, int, str]]:
    for hit in find_pii(doc, policy):
        yield hit.start, hit.end, hit.kind


def _mask(hit: PiiHit) -> str:
    if hit.kind == "email":
        local, _, domain = hit.value.replace("\uff20", "@", 1).partition("@")  # a full-width "＠" too
        return local[:1] + "•" * 3 + "@" + domain
    if hit.kind == "ip":
        return "•.•.•.•" if "." in hit.value else "•:•:•"
    if hit.kind in ("date_of_birth", "postal_address"):  # the year too; every part of an address
        return "".join("•" if c.isalnum() else c for c in hit.value)
    keep = 4
    out = []
    seen = 0
    total = sum(1 for c in hit.value if c.isalnum())
    for c in hit.value:
        if c.isalnum():
            seen += 1
            out.append(c if seen > total - keep else "•")
        else:
            out.append(c)
    return "".join(out)


def canonical_value(hit: PiiHit, phone_regions: Sequence[str] = ()) -> str:
    """The value a hash token is made of: as a reader sees it (compatibility forms such as full-width
    letters and digits folded, marks composed, invisible characters and look-alike letters read through,
    digits of other scripts as ASCII), so one value written two ways gives one token; then e-mail and IP
    addresses lower-cased, a phone number in E.164 (read in the first of ``phone_regions`` that makes it a
    valid number: "020 7946 0018" in GB and "+44 20 7946 0018" give one token), other numbers without
    separators and upper-cased."""
    value = as_read(unicodedata.normalize("NFKC", hit.value))[0]
    if not value.isascii():
        value = _OTHER_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), value)
        if hit.kind not in ("email", "person_name"):  # an accent over a digit is no part of a number
            value = "".join(c for c in value if unicodedata.category(c)[0] != "M")
    if hit.kind == "phone":
        e164 = _e164(value, phone_regions)
        if e164 is not None:
            return e164
    return value.lower() if hit.kind in ("email", "ip") else _SEPARATORS.sub("", value).upper()


def _e164(value: str, regions: Sequence[str]) -> str | None:
    import phonenumbers

    for region in (regions[:1] if value.lstrip().startswith("+") else regions) or ("ZZ",):
        try:
            number = phonenumbers.parse(value, region.upper())
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def redaction(hit: PiiHit, policy: Policy) -> str:
    settings = policy.privacy
    if settings.redaction == "placeholder":
        return settings.placeholder.replace("{kind}", hit.kind)
    if settings.redaction == "hash":
        salt = os.environ.get(settings.salt_env, "")
        canonical = canonical_value(hit, settings.phone_regions)
        # "surrogatepass": a salt from a non-UTF-8 environment (os.environ's surrogate escapes) or a value with
        # a lone surrogate is hashed, not an internal error
        digest = hashlib.sha256((salt + canonical).encode("utf-8", "surrogatepass")).hexdigest()[:12]
        return f"[{hit.kind}:{digest}]"
    return _mask(hit)


def redaction_fix(hit: PiiHit, policy: Policy) -> Fix:
    replacement = redaction(hit, policy)
    return Fix(f"redact ({policy.privacy.redaction})", (Edit(hit.start, hit.end, replacement),))


_LABELS = {
    "email": "e-mail address",
    "phone": "phone number",
    "card": "payment card number",
    "iban": "IBAN",
    "national_id": "national identifier",
    "ip": "IP address",
    "passport": "passport number",
    "driving_licence": "driving-licence number",
    "bank_account": "bank account number",
    "crypto_wallet": "crypto wallet address",
    "mac_address": "MAC address",
    "person_name": "person's name",
    "date_of_birth": "date of birth",
    "postal_address": "postal address",
}


class PiiRule(Rule):
    """Base of the PV101-PV114 rules: one kind of personal data each (not registered itself)."""

    pii_kind: ClassVar[str]
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        cache = cache_of(policy)
        detect: frozenset[str] | None = cache.get("pii:detect")
        if detect is None:
            detect = frozenset(policy.privacy.detect)
            cache["pii:detect"] = detect
        if self.pii_kind not in detect:
            return
        store = doc.__dict__
        by_kind: tuple[Policy, dict[str, list[PiiHit]]] | None = store.get("_brandrail_pii_by_kind")
        if by_kind is None or by_kind[0] is not policy:
            grouped: dict[str, list[PiiHit]] = {}
            for found in find_pii(doc, policy):
                grouped.setdefault(found.kind, []).append(found)
            by_kind = (policy, grouped)
            store["_brandrail_pii_by_kind"] = by_kind
        for hit in by_kind[1].get(self.pii_kind, ()):
            yield self.finding(
                f"{_LABELS[hit.kind]} in outgoing content; redact it",
                doc=doc,
                start=hit.start,
                end=hit.end,
                fix=redaction_fix(hit, policy),
                evidence={
                    "kind": hit.kind,
                    "validated_by": hit.detail,
                    "redaction": policy.privacy.redaction,
                },
            )
