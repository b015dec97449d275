"""The failure classes of the sixth round's held-out personal-data set (privacy_fresh/heldout4.yaml), fixed in
review rt-fix6pii: phone numbers written in words (or words and digits mixed), e-mail addresses with spaced
dots, HTML character references and more words for "@" and ".", order / parcel / tax labels of more languages
before phone-shaped numbers, dates of birth after short labels, record keys and abbreviated months, names after a
name label or a sign-off, and places named after a person. Every value is written here (phone numbers checked
with `phonenumbers`), none copied from a set; each class has look-alikes that must stay quiet."""

from __future__ import annotations

import phonenumbers
import pytest
from content_testlib import pii_set_counts

from brandrail.content.pii import find_pii, may_hold_wordy_pii
from brandrail.content.pii_spelled import may_hold_spelled_phone, spelled_numbers
from brandrail.policy import policy_from_dict
from brandrail.policy.sections.privacy import PII_KINDS
from brandrail.text.document import Document


def _policy(regions: list[str] | None = None) -> object:
    privacy: dict[str, object] = {"detect": list(PII_KINDS)}
    if regions:
        privacy["phone_regions"] = regions
    return policy_from_dict({"version": 1, "brand": {"name": "Fernhill"}, "privacy": privacy})


POLICY = _policy()


def kinds(text: str, policy: object = POLICY) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for hit in find_pii(Document(text), policy):  # type: ignore[arg-type]
        found.setdefault(hit.kind, []).append(hit.value)
    return found


# -- phone numbers in words --------------------------------------------------------------------------------

SPELLED = [
    # (region, digits a caller dials, how the message writes them)
    ("US", "3128859047", "three one two, eight eight five, nine oh four seven"),
    ("GB", "07700183452", "oh seven seven double oh, one eight three, four five two"),
    ("DE", "015112345678", "null eins fünf eins eins zwei drei vier fünf sechs sieben acht"),
    ("FR", "0698153277", "zéro six, quatre-vingt-dix-huit, quinze, trente-deux, soixante-dix-sept"),
    ("IT", "3204417789", "tre due zero quattro quattro uno sette sette otto nove"),
    ("ES", "654219880", "seis cinco cuatro, dos uno nueve, ocho ocho cero"),
    ("PL", "601234987", "sześć zero jeden, dwa trzy cztery, dziewięć osiem siedem"),
    ("US", "6467789012", "6 four 6 - 7 seven 8 - 9 zero 1 2"),
]


@pytest.mark.parametrize(("region", "digits", "written"), SPELLED)
def test_a_phone_number_in_words_is_read_as_its_digits(region: str, digits: str, written: str) -> None:
    assert phonenumbers.is_valid_number(phonenumbers.parse(digits, region)), "the example must be valid"
    assert [number for _, _, number in spelled_numbers(f"Call me on {written} tonight.")] == [digits]
    found = kinds(f"Call me on {written} tonight.", _policy([region]))
    assert found.get("phone") == [written]


@pytest.mark.parametrize(
    "text",
    [
        "Buy two, get one free: three days only at any of our forty stores.",
        "One, two, three, four, five, six, seven, eight, nine, ten - the countdown starts now!",
        "Ten, nine, eight, seven, six, five, four, three, two, one: happy new year!",
        "Nur null Prozent Zinsen, eins zwei drei und fertig in zwei Minuten.",
        "Trois, deux, un… moins quarante pour cent sur vingt modèles.",
        "We have one two-person tent, one four-person tent and one six-person tent left.",
    ],
)
def test_number_words_that_dial_nothing_stay_quiet(text: str) -> None:
    assert "phone" not in kinds(text, _policy(["US", "GB", "DE", "FR"]))


def test_a_number_in_words_of_another_region_is_configuration() -> None:
    written = "seis cinco cuatro, dos uno nueve, ocho ocho cero"  # a Spanish mobile
    assert "phone" not in kinds(f"Llámame al {written}.")  # default regions: US, GB
    assert kinds(f"Llámame al {written}.", _policy(["ES"])).get("phone") == [written]


def test_the_quick_test_of_the_gate_sees_a_number_in_words() -> None:
    assert may_hold_wordy_pii("call oh seven seven double oh, one eight three, four five two")
    assert not may_hold_spelled_phone("one size fits all, two colours, three pockets")


def test_a_megabyte_of_number_words_is_read_in_linear_time() -> None:
    """No timing is asserted: a run longer than any number is skipped, and every run is read once."""
    for text in ("one two three " * 80_000, "4 one 5 " * 130_000, "quatre-vingt-" * 80_000):
        assert list(spelled_numbers(text[:1_000_000])) == []
    many = "call oh seven seven double oh, one eight three, four five two. " * 3_000
    found = [h for h in find_pii(Document(many), POLICY) if h.kind == "phone"]  # type: ignore[arg-type]
    assert len(found) == 3_000  # each read, the first 2,000 validated and the rest reported (fail closed)


# -- e-mail addresses disguised ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("write to sam.ortiz @ gmx . de please", "sam.ortiz @ gmx . de"),
        ("mail: lena . voss @ posteo . de", "lena . voss @ posteo . de"),
        ("Kontakt: j&#46;ng&#64;example&#46;org", "j&#46;ng&#64;example&#46;org"),
        ("reply to ana&#x40;mail&#x2e;pt", "ana&#x40;mail&#x2e;pt"),
        ("jo&commat;example&period;com", "jo&commat;example&period;com"),
        ("mail naar bram apenstaartje kpn punt nl", "bram apenstaartje kpn punt nl"),
        ("skriv til ola krøllalfa online punkt no", "ola krøllalfa online punkt no"),
    ],
)
def test_a_disguised_address_is_found(text: str, address: str) -> None:
    assert kinds(text).get("email") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Meet the team @ booth 12 . See you there!",
        "call me @ home . Thanks",
        "Price &#163;49 &#8211; free delivery this week.",
        "AT&amp;T and &#64; signs in a template",
        "Find us @ www . example . com",
    ],
)
def test_look_alikes_of_disguised_addresses_stay_quiet(text: str) -> None:
    assert "email" not in kinds(text)


def test_a_plain_address_then_a_spaced_sentence_dot_keeps_its_domain() -> None:
    assert kinds("write to jo @ example.com . Next time").get("email") == ["jo @ example.com"]


# -- phone-shaped numbers after an order, parcel or tax label ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Sipariş numaranız 5327418896, kargoya verildi.",
        "Номер заказа 9161234567 — отслеживайте в приложении.",
        "ИНН продавца 7707083893, ОГРН 1027700132195",
        "Αριθμός παραγγελίας 6941234567 – θα λάβετε SMS.",
        "Numer zamówienia: 512 384 901, status: wysłane.",
        "Bestellnr. 0157-3319004 wurde versandt.",
        "Guía Estafeta 5512345678 entregada.",
        "Číslo objednávky 602 123 456 bylo odesláno.",
    ],
)
def test_an_order_or_tax_number_shaped_like_a_phone_is_no_phone(text: str) -> None:
    policy = _policy(["TR", "RU", "GR", "PL", "DE", "MX", "CZ"])
    assert "phone" not in kinds(text, policy)


def test_a_phone_number_beside_an_order_word_is_still_read() -> None:
    policy = _policy(["DE", "PL"])
    assert kinds("Ruf Anna an: 0172 3456789, wegen der Bestellung", policy).get("phone") == ["0172 3456789"]
    assert kinds("Zadzwoń: 512 384 901 w sprawie zamówienia", policy).get("phone") == ["512 384 901"]


# -- dates of birth ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Her birthday is Sept. 9, 1979, please add it.", "Sept. 9, 1979"),
        ("Fecha de nac.: 14-dic-1983", "14-dic-1983"),
        ("Data de nasc.: 02-out-1990", "02-out-1990"),
        ("Frau Weber, geb. 03.11.1958, Kundennummer folgt", "03.11.1958"),
        ("Kontakt\nGeb.: 21.05.1972", "21.05.1972"),
        ('{"id": 7, "birth_date": "1991-06-30"}', "1991-06-30"),
        ('{"fecha_nacimiento": "1977-01-09"}', "1977-01-09"),
        ('{"data_nascita": "08/02/1969"}', "08/02/1969"),
        ("Doğum günüm 7 Kasım 1985, indirim kodu istiyorum", "7 Kasım 1985"),
    ],
)
def test_a_date_of_birth_after_a_short_label_or_key_is_found(text: str, value: str) -> None:
    assert kinds(text).get("date_of_birth") == [value]


@pytest.mark.parametrize(
    "text",
    [
        "Neu: Roman, geb., 24,90 €, erschienen am 12.03.2024.",  # "gebunden" (hardcover), a release date
        '{"launch_date": "2024-03-01", "sku": "FH-2231"}',
        "Doğum günü indirimi 19 Mayıs 2024 tarihinde başladı.",  # a birthday sale
        "Maria Schmidt, geb. Müller, seit 12.03.1990 Kundin",  # maiden name; a customer since
        "Spring sale: Feb. 10, 2025 to Mar. 1, 2025.",
    ],
)
def test_dates_that_are_no_birth_dates_stay_quiet(text: str) -> None:
    assert "date_of_birth" not in kinds(text)


# -- names after a label or a sign-off ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('{"customer": {"full_name": "Thorsten Yilmaz", "tier": "gold"}}', "Thorsten Yilmaz"),
        ('{"nombre": "Ximena Arrieta"}', "Ximena Arrieta"),
        ('{"name": "Odile Brassart", "email": "o@example.org"}', "Odile Brassart"),
        ("Kontoinhaber: Detlef Rasmussen", "Detlef Rasmussen"),
        ("Refund to the account, titular: Rosário Quintela", "Rosário Quintela"),
        ("Bitte überweisen, lautend auf Hauke Lindemann.", "Hauke Lindemann"),
        ("Takk for hjelpen! Vennlig hilsen Sigrid Haugland", "Sigrid Haugland"),
        ("Kind regards,\nBarnaby Quist", "Barnaby Quist"),
        ("Ship to:\nGwendolyn Askew\n12 Mill Lane", "Gwendolyn Askew"),
    ],
)
def test_a_name_after_a_name_label_needs_no_listed_given_name(text: str, name: str) -> None:
    assert kinds(text).get("person_name") == [name]


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "Trail Runner", "color": "Slate"}',  # a product's name in a record without personal fields
        '{"name": "Slate Grey", "price": 120}',
        "Regards, The Fernhill Team",
        "Thanks Again",
        "Cheers, Rob",  # one word: no full name
        "Tickets for the Nelson Mandela Bay fun run",  # a place named after a person
        "Meet at the Samuel Beckett Bridge at noon",
    ],
)
def test_look_alikes_of_labelled_names_stay_quiet(text: str) -> None:
    assert "person_name" not in kinds(text)


# -- brands made of a title and a name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Kessler insoles now £24.99, were £29.99.",
        "Madame Rosier Gesichtsöl – jetzt 18,50 € statt 24 €.",
        "Mr Finch x Fernhill: the capsule drops on Friday.",
        "Frau Lindqvist Kekse: -25 % bis Sonntag.",
    ],
)
def test_a_title_and_a_surname_in_an_offer_are_a_brand(text: str) -> None:
    assert "person_name" not in kinds(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dear Mrs. Okafor, your refund of £40 is on its way.", "Mrs. Okafor"),
        ("Dr. Lindqvist will refund your £40 tomorrow.", "Dr. Lindqvist"),
        ("Frau Greta Lindqvist zahlte 30 € per Karte.", "Frau Greta Lindqvist"),  # a listed given name
        ("Mr. Okafor called about the delivery.", "Mr. Okafor"),
    ],
)
def test_a_titled_person_beside_an_amount_is_still_a_name(text: str, name: str) -> None:
    assert kinds(text).get("person_name") == [name]


# -- national identifiers of more countries ------------------------------------------------------------------


def _with_check(module: str, body: str) -> str:
    """``body`` with the one last digit that makes it valid for python-stdnum's ``module``."""
    from importlib import import_module

    valid = import_module(f"stdnum.{module}").is_valid
    return next(body + d for d in "0123456789" if valid(body + d))


def _luhn_completed(body: str) -> str:
    from stdnum import luhn

    return body + luhn.calc_check_digit(body)


def test_identifiers_of_more_countries_after_their_word() -> None:
    itin = _with_check("us.itin", "91270301")  # 912-70-301x
    itin = f"{itin[:3]}-{itin[3:5]}-{itin[5:]}"
    assert kinds(f"My ITIN is {itin}, thanks").get("national_id") == [itin]
    assert "national_id" not in kinds(f"Order {itin} shipped")
    vnr = next(f"{c}{d} 120385" for c in ("123", "234", "345") for d in "0123456789"
               if __import__("stdnum.at.vnr", fromlist=["x"]).is_valid(f"{c}{d}120385"))  # fmt: skip
    assert kinds(f"SV-Nummer: {vnr}").get("national_id") == [vnr]
    kt = next(
        f"050689-{s}{c}9"
        for s in range(20, 99)
        for c in "0123456789"
        if __import__("stdnum.is_.kennitala", fromlist=["x"]).is_valid(f"050689{s}{c}9")
    )
    assert kinds(f"Kennitala {kt}").get("national_id") == [kt]
    company_kt = "4" + kt[1:]  # a company's kennitala (first digit + 4) is no person's
    assert "national_id" not in kinds(f"Kennitala {company_kt}")
    from stdnum.ru import inn

    inn12 = "7708001234" + inn.calc_personal_check_digits("7708001234")
    assert kinds(f"ИНН {inn12}").get("national_id") == [inn12]
    assert "national_id" not in kinds("ИНН организации 7707083893")  # ten digits: a company's
    emso = _with_check("si.emso", "150398550012")
    assert kinds(f"EMŠO {emso}").get("national_id") == [emso]
    eid = _luhn_completed("78419851234567")
    printed = f"{eid[:3]}-{eid[3:7]}-{eid[7:14]}-{eid[14]}"
    assert kinds(f"Card on file: {printed}").get("national_id") == [printed]  # its printed form needs no word
    assert "national_id" not in kinds(f"Ref {eid[:14]}{(int(eid[14]) + 1) % 10}")


def test_a_copula_may_stand_between_a_label_and_its_number() -> None:
    assert kinds("Mi DNI es 45821736, gracias").get("national_id") == ["45821736"]
    assert "national_id" not in kinds("Mi pedido es 45821736")


# -- the sets ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "precision", "recall"), [("fresh9.yaml", 0.93, 0.78), ("heldout4.yaml", 0.93, 0.68)]
)
def test_the_round7_sets_do_not_fall_back(name: str, precision: float, recall: float) -> None:
    """Floors under the figures measured after the fixes with the default phone regions (fresh9 0.96 / 0.81,
    before them 0.67 / 0.31; heldout4 0.96 / 0.70, blind 0.92 / 0.63; both are development data now)."""
    counts = pii_set_counts(name)
    assert counts["tp"] / (counts["tp"] + counts["fp"]) >= precision, counts
    assert counts["tp"] / (counts["tp"] + counts["fn"]) >= recall, counts
