"""The failure classes of the seventh round's held-out personal-data set (privacy_fresh/heldout5.yaml), fixed in
review rt-f7pii: names after sign-offs and self-introductions of more languages, a bare "Name:" beside a personal
field, a middle initial, capitals after a document's name label, lower-case Dutch titles, Cyrillic names without a
title, romanised Korean names family name first, Arabic names after a label, Chinese names after a role noun;
brands made of people's names on offer; phone-shaped numbers after contract, customer and payment labels, after a
free-call word, in coordinates and after the slash of a company number; mobiles that another hinted country
reads as a service number; SSN-shaped codes; German passport numbers; the brand's shop and event addresses. Every
value is written here (phone numbers checked with `phonenumbers`), none copied from a set; each class has
look-alikes that must stay quiet or personal data that must still be found."""

from __future__ import annotations

import phonenumbers
import pytest
from content_testlib import pii_set_counts
from test_content_pii_round7 import _policy, kinds  # every kind on; what find_pii finds, by kind

# -- names ------------------------------------------------------------------------------------------------

NAMED = [
    # (text, the name found in it)
    ("Die Ware kam beschädigt an.\nFreundliche Grüße\nHelga Brandstätter", "Helga Brandstätter"),
    ("Děkuji za vyřízení. S pozdravem, Zdeněk Hrubý", "Zdeněk Hrubý"),
    ("Ačiū už pagalbą. Pagarbiai, Dovilė Jankauskaitė", "Dovilė Jankauskaitė"),
    ("Paldies! Ar cieņu, Aivars Ozoliņš", "Aivars Ozoliņš"),
    ("Bestu kveðjur, Einar Þórsson", "Einar Þórsson"),
    ("Köszönöm. Üdvözlettel, Bence Halmi", "Bence Halmi"),
    ("Bonjour, je m'appelle Odile Marchetti et ma commande est incomplète.", "Odile Marchetti"),
    ("Hola, me llamo Inés Navarro, el pedido llegó roto.", "Inés Navarro"),
    ("Hello, my name is Dorothea Quist and the zip broke.", "Dorothea Quist"),
    ("Name: Harriet V. Holloway\nEmail: hv.holloway@example.org", "Harriet V. Holloway"),
    ("Nome: Beatriz Sampaio | Telefone: 21 99876 5432", "Beatriz Sampaio"),
    ("Passenger name: OKONKWO CHIDINMA A", "OKONKWO CHIDINMA A"),
    ("Cardholder name: WENDELL P HARGROVE, exp 03/29", "WENDELL P HARGROVE"),
    ("Wilt u mevrouw Anouk Verbeek terugbellen?", "mevrouw Anouk Verbeek"),
    ("Graag een bevestiging aan dhr. Joris Mulder.", "dhr. Joris Mulder"),
    ("Hi, Jung Hae-won here, my order number is 5512.", "Jung Hae-won"),
    ("Please forward the receipt to Seo-yeon Kang today.", "Seo-yeon Kang"),
    ("Покупатель Ольга Смирнова оплатила заказ.", "Ольга Смирнова"),
    ("Дякую! Ірина Коваленко", "Ірина Коваленко"),
    ("اسم المستلم: سارة الحربي\nالمدينة: جدة", "سارة الحربي"),
    ("顾客陈静女士已确认收货。", "陈静"),
    ("Paul Harlow paid £40 for the jacket", "Paul Harlow"),
]


@pytest.mark.parametrize(("text", "name"), NAMED)
def test_a_name_of_these_classes_is_found(text: str, name: str) -> None:
    assert name in kinds(text).get("person_name", []), kinds(text)


NOT_NAMED = [
    "Name: Trail Runner GTX | Price: £120",  # a bare "Name:" beside no personal field: a product
    "Ship to: UNIT 4 HARBOUR ESTATE, PORTSMOUTH",  # capitals after an address label
    "Free Wi-fi in store. Oh Wi-fi is down again?",  # hyphenated syllables that are no Korean name
    "Площадь Ленина, вход с улицы.",  # a Cyrillic place named after a person: no listed given name
    "Calvin Klein and Ralph Lauren polos, now 30% off",  # brands made of people's names on offer
    "Parfum Jean Paul Gaultier, 79 € statt 95 €",
    "Neu: Dr. Beckmann Fleckenteufel, 3,49 €",  # a title and a surname and a product's words, with a price
]


@pytest.mark.parametrize("text", NOT_NAMED)
def test_a_look_alike_of_these_classes_is_no_name(text: str) -> None:
    assert "person_name" not in kinds(text), kinds(text)


# -- phone numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Vertragsnummer 01521234567 – Verlängerung bestätigt", "DE"),
        ("Klantnummer 0612345678, graag vermelden", "NL"),
        ("Kundennummer 0176 2345 6789", "DE"),
        ("Betala med OCR 0701234567 senast fredag", "SE"),
        ("Ring gratis på 020 12 34 56", "SE"),
        ("Appelez gratuitement le 06 12 34 56 78 ? Non : numéro vert 0 805 12 34 56", "FR"),
        ("Treffpunkt (52.5163, 13.3777) am Tor", "DE"),
        ("CNPJ 12.345.678/0001-95 — Fernhill Ltda.", "BR"),
    ],
)
def test_an_identifier_or_a_business_line_is_no_phone(text: str, region: str) -> None:
    found = kinds(text, _policy([region]))
    # the French example holds a personal mobile before the free-call word of a business number: only that
    if region == "FR":
        assert found.get("phone") == ["06 12 34 56 78"], found
        return
    assert "phone" not in found, found


def test_a_number_after_a_slash_with_no_label_is_still_a_phone() -> None:
    assert kinds("Tel. 0151/23456789", _policy(["DE"])).get("phone") == ["0151/23456789"]


def test_a_mobile_that_another_hinted_country_reads_as_a_service_number_is_reported() -> None:
    written = "087 312 4455"
    ie, nl = phonenumbers.parse(written, "IE"), phonenumbers.parse(written, "NL")
    # the example must be what the test says: an Irish mobile and a Dutch service number
    assert phonenumbers.number_type(
        ie
    ) == phonenumbers.PhoneNumberType.MOBILE and phonenumbers.is_valid_number(ie)
    assert phonenumbers.number_type(nl) in (3, 5, 9) and phonenumbers.is_valid_number(nl)
    assert kinds(f"my mobile is {written}", _policy(["NL", "IE"])).get("phone") == [written]
    # a number that is a service number in one hinted country and no mobile in any: still not reported
    freephone = "0800 123 4567"
    assert (
        phonenumbers.number_type(phonenumbers.parse(freephone, "GB"))
        == phonenumbers.PhoneNumberType.TOLL_FREE
    )
    assert "phone" not in kinds(f"call {freephone}", _policy(["GB", "IE"]))


# -- identifiers --------------------------------------------------------------------------------------------


def test_an_ssn_shaped_code_is_no_ssn_but_an_ssn_is() -> None:
    assert "national_id" not in kinds("Your verification code is 529-41-7730. It expires soon.")
    assert "national_id" not in kinds("Booking ref: 529-41-7730")
    assert kinds("SSN: 529-41-7730").get("national_id") == ["529-41-7730"]
    assert kinds("please update my record, 529-41-7730 is my number").get("national_id") == ["529-41-7730"]


def test_a_german_passport_number_with_letters_is_found_after_a_passport_word() -> None:
    assert kinds("Reisepass: CZ6X1PL7T").get("passport") == ["CZ6X1PL7T"]
    assert "passport" not in kinds("Gutscheincode CZ6X1PL7T")  # no passport word
    assert "passport" not in kinds("Reisepass-Hülle, Artikel KRFTWRKXY")  # fewer than two digits


# -- postal addresses ---------------------------------------------------------------------------------------


def test_the_brands_shop_and_event_addresses_are_not_reported() -> None:
    assert "postal_address" not in kinds("Åbent lørdag: Østergade 12, 1100 København K (butik)")
    assert "postal_address" not in kinds(
        "Join us on Friday at 88 Harbour Street, Whitby YO21 3PN for the launch!"
    )
    assert kinds("Please ship to Østergade 12, 1100 København K").get("postal_address")


# -- the sets -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "precision", "recall"), [("fresh11.yaml", 0.95, 0.8)])
def test_fresh11_floors(name: str, precision: float, recall: float) -> None:
    """Floors under the figures measured after the fixes with the default phone regions (see the set's README
    section); the misses left are phone numbers of countries outside the default regions."""
    counts = pii_set_counts(name)
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    assert tp / (tp + fp) >= precision and tp / (tp + fn) >= recall, counts


def test_a_number_right_after_chinese_text_is_read() -> None:
    assert kinds("请联系手机138 2647 9153，谢谢", _policy(["CN"])).get("phone") == ["138 2647 9153"]
    assert "phone" not in kinds(
        "订单号13826479153已发货", _policy(["CN"])
    )  # an order's number after its label
