"""The failure classes of the eighth round's held-out personal-data set (privacy_fresh/heldout6.yaml), fixed in
review rt-f8pii, one test per class, on cases written for them (not the set's rows)."""

from __future__ import annotations

import pytest

from brandrail.content.pii import _scan_text
from brandrail.policy import Policy

POLICY = Policy.model_validate({"privacy": {"detect": ["email", "phone", "national_id", "person_name"]}})


def _found(text: str) -> set[tuple[str, str]]:
    return {(h.kind, h.value) for h in _scan_text(text, POLICY)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Rückruf bitte, Handy 0650 417 2283.", "0650 417 2283"),  # Austria, default regions US and GB
        ("Numero di cellulare: 331 482 7710", "331 482 7710"),
        ("Puh. 050 384 1127, kiitos", "050 384 1127"),
        ("Звоните: тел. 063 217 4480", "063 217 4480"),
        ("手機 0933-218-771", "0933-218-771"),
    ],
)
def test_a_local_number_after_a_phone_label_is_read_outside_the_regions(text: str, value: str) -> None:
    assert ("phone", value) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kundenservice Tel. 0800 330 1234",  # a freephone prefix
        "Hotline: Tel. 0461 220 1188",  # a business's line by its word
        "客服电话 400-820-1188",  # a Chinese 400 number
        "Objednávka č. 7203341188 odeslána.",  # an order number after a Czech label, no phone label
        "Tilausnumero 0503841127",
    ],
)
def test_a_business_line_or_an_order_number_is_not_read_as_a_labelled_local_number(text: str) -> None:
    assert not any(kind == "phone" for kind, _ in _found(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Merci, Madame Odile Ferrand a confirmé.", "Odile Ferrand"),
        ("Naam: Joost van der Linden | Telefoon: 06 1234 5678", "Joost van der Linden"),
        ("Név: Szabó Márton | E-mail: m.szabo@example.hu", "Szabó Márton"),
        ("Με εκτίμηση, Γιώργος Παππάς", "Γιώργος Παππάς"),
        ("Họ tên: Lê Thị Thu Hà", "Lê Thị Thu Hà"),
        ("Danke!\n/Mats Ekdahl", "Mats Ekdahl"),
        ("Mvg, Brecht Janssens", "Brecht Janssens"),
        ("pay the account holder Adaeze Nwosu today", "Adaeze Nwosu"),
        ("| Nombre | Iker Zubiaurre |\n| DNI | 12345678Z |", "Iker Zubiaurre"),
        ("收款人：孙丽娟，谢谢", "孙丽娟"),
    ],
)
def test_names_after_more_labels_titles_and_sign_offs(text: str, value: str) -> None:
    assert any(kind == "person_name" and value in found for kind, found in _found(text))


def test_a_title_and_a_name_on_offer_stays_a_brand() -> None:
    assert not any(kind == "person_name" for kind, _ in _found("Monsieur Cuisine now 20% off this week."))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Matricule 1990 0715 123 56 pour la paie.", None),  # wrong check digits: not read
        ("NIC 902341234V on file.", "902341234V"),  # Sri Lanka, old form
        ("NIC 199023401234 on file.", "199023401234"),  # Sri Lanka, new form
        ("NIC 199048801234 on file.", None),  # day 488 of the year: no NIC
        ("Maltese ID card 1234567M please.", "1234567M"),
    ],
)
def test_national_ids_of_luxembourg_sri_lanka_and_malta(text: str, value: str | None) -> None:
    ids = {found for kind, found in _found(text) if kind == "national_id"}
    assert (value in ids) if value else not ids


def test_a_luxembourg_matricule_with_its_check_digits() -> None:
    from stdnum import luhn, verhoeff

    base = "19900715123"
    number = base + luhn.calc_check_digit(base) + verhoeff.calc_check_digit(base)
    assert ("national_id", number) in _found(f"Numéro de matricule {number}.")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('To: "Lindqvist, Maja" <maja.l@example.se>', "Lindqvist, Maja"),
        ("From: Hannah Vogt <h.vogt@example.de>", "Hannah Vogt"),
        ("contact_name,phone,city\nMirela Dobre,0722 000 111,Iași", "Mirela Dobre"),
        ("name as on passport: OKONKWO, ADAEZE N", "OKONKWO, ADAEZE N"),
    ],
)
def test_names_as_a_display_name_a_csv_column_and_an_upper_case_surname_first(text: str, value: str) -> None:
    assert ("person_name", value) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "From: Fernhill Outdoor <hello@fernhill.example>",  # a brand's sender name: no listed given name
        "product,price\nTrail Runner,49",  # a table without a name column
        "Retrouvez Madame Figaro en kiosque.",  # a spelled-out title and one word
    ],
)
def test_brands_and_products_in_those_places_are_no_names(text: str) -> None:
    assert not any(kind == "person_name" for kind, _ in _found(text))


def test_a_birthday_word_of_another_language_labels_a_date_of_birth() -> None:
    from brandrail.content.pii_more import find_dates_of_birth

    assert [m[:2] for m in find_dates_of_birth("Mon anniversaire est le 4 mars 1992.")] == [(24, 35)]
    assert not list(find_dates_of_birth("Geburtstag-Aktion bis 12. Mai 2027: 20 % Rabatt"))


def test_the_last_group_of_a_phone_number_is_no_house_number() -> None:
    from brandrail.content.pii_address import find_postal_addresses

    text = "mobile 0821 555 2716, Royal Road, Curepipe"
    assert not [h for h in find_postal_addresses(text) if h.start <= text.index("2716") < h.end]


def test_turkish_cep_labels_a_mobile_and_brazilian_cep_a_postcode() -> None:
    assert ("phone", "0533 218 44 90") in _found("Ad: Ali, cep 0533 218 44 90")
    assert not any(kind == "phone" for kind, _ in _found("CEP 01310-100, São Paulo"))
