"""The failure classes of the fifth round's held-out personal-data set (privacy_fresh/heldout3.yaml), fixed in
review rt-fixpii: national identifiers of more countries after their own word (or in their printed form), dates
of birth after labels of more languages and in more notations, names after titles of more languages and scripts,
date- and identifier-shaped digit runs that are no phone numbers, spelled and quoted e-mail addresses, CBU / CCI
accounts, Tron wallets and card lengths. Valid numbers are made here with python-stdnum or the published check,
so no example is an answer copied from a set; each class has look-alikes that must stay quiet."""

from __future__ import annotations

import hashlib

import pytest
from content_testlib import pii_set_counts

from brandrail.content import pii_ids, pii_more
from brandrail.content.pii import _plain_forms, find_pii
from brandrail.policy import policy_from_dict
from brandrail.policy.sections.privacy import PII_KINDS, SUPPORTED_NATIONAL_IDS
from brandrail.text.document import Document

POLICY = policy_from_dict(
    {"version": 1, "brand": {"name": "Fernhill"}, "privacy": {"detect": list(PII_KINDS)}}
)


def kinds(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for hit in find_pii(Document(text), POLICY):
        found.setdefault(hit.kind, []).append(hit.value)
    return found


def _with_check(module: str, body: str) -> str:
    """``body`` with the one last digit that makes it valid for python-stdnum's ``module``."""
    from importlib import import_module

    valid = import_module(f"stdnum.{module}").is_valid
    return next(body + d for d in "0123456789" if valid(body + d))


# -- national identifiers ---------------------------------------------------------------------------------


def test_every_new_identifier_is_supported_and_has_its_words() -> None:
    for name in pii_ids.MORE_NATIONAL_IDS:
        assert name in SUPPORTED_NATIONAL_IDS
        assert name in pii_ids.MORE_ID_CONTEXT and "$" not in pii_ids.MORE_ID_PRESENCE[name].pattern


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (f"Mi OIB je {_with_check('hr.oib', '1234567890')}, hvala.", _with_check("hr.oib", "1234567890")),
        ("Клиент: ЕГН 8001010008, адрес по договор.", "8001010008"),
        (f"Isikukood {_with_check('ee.ik', '4910304421')} lisatud.", _with_check("ee.ik", "4910304421")),
        (f"asmens kodas {_with_check('lt.asmens', '3910304421')}", _with_check("lt.asmens", "3910304421")),
        ("Cliente com NIF 123456789 pediu fatura.", "123456789"),
        ("NIK 3201014501900003 sudah diverifikasi.", "3201014501900003"),
        ("Rodné číslo 855101/0006 zákazníka.", "855101/0006"),
        ("CUIL 20-12345678-6 del titular", "20-12345678-6"),
        ("Thai ID 1-1017-00203-45-0 checked", "1-1017-00203-45-0"),
    ],
)
def test_national_ids_after_their_word_or_in_their_printed_form(text: str, value: str) -> None:
    assert value in kinds(text).get("national_id", []), kinds(text)


def test_ids_made_valid_here_are_found_and_broken_ones_are_not() -> None:
    good = _with_check("hr.oib", "2345678901")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert kinds(f"OIB {good}").get("national_id") == [good]
    assert "national_id" not in kinds(f"OIB {bad}")


@pytest.mark.parametrize(
    "text",
    [
        "Factura B — CUIT 30-71234567-1 de la empresa.",  # a company's CUIT (prefix 30)
        "IČO 27082440, DIČ CZ27082440.",  # a company number and VAT number
        "Order ID 2398150645 shipped today.",  # a record's ID, not a person's
        "Our hotline 3015482761 is open.",  # ten digits with no word of an ID
        "NIPC 509847218 da empresa.",  # a Portuguese company's number
        "GST number 49-091-001 on the invoice.",  # an IRD-shaped company GST number
    ],
)
def test_look_alikes_of_national_ids_stay_quiet(text: str) -> None:
    assert "national_id" not in kinds(text), kinds(text)


def test_taiwan_hong_kong_and_kuwait_checks() -> None:
    assert pii_ids._tw_nid_is_valid("A123456789")  # the published example
    assert not pii_ids._tw_nid_is_valid("A123456788")
    assert pii_ids._hkid_is_valid("A123456(3)")
    assert not pii_ids._hkid_is_valid("A123456(4)")
    body = "29001011234"
    total = sum(int(c) * w for c, w in zip(body, (2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    if check < 10:
        assert pii_ids._kw_civil_is_valid(body + str(check))
    assert not pii_ids._kw_civil_is_valid("290013312345")  # no 31st of January... of month 13


# -- dates of birth ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Datum narození: 3. 11. 1979, platba kartou.", "3. 11. 1979"),
        ("Syntymäaika 4.7.1983", "4.7.1983"),
        ("Doğum tarihi: 2 Ocak 1990", "2 Ocak 1990"),
        ("Data nașterii 8 martie 1986", "8 martie 1986"),
        ("Дата рождения: 5 мая 1981 г.", "5 мая 1981"),
        ("Születési dátum: 1979. október 2.", "1979. október 2."),
        ("Fecha de nacimiento 4-XI-1977", "4-XI-1977"),
        ("생년월일 1985년 3월 9일", "1985년 3월 9일"),
        ("出生日期：1988.07.21", "1988.07.21"),
        ("তারিখ নয়, জন্ম তারিখ 01/02/1990", "01/02/1990"),
        ("Tanggal lahir: 17 Agustus 1989", "17 Agustus 1989"),
    ],
)
def test_dates_of_birth_in_more_languages(text: str, value: str) -> None:
    found = kinds(text).get("date_of_birth", [])
    assert any(value in f or f in value for f in found), (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Akce platí od 1. 3. 2027 do 31. 3. 2027.",  # campaign dates, no birth word
        "Rendelés dátuma: 2026. december 7.",  # an order date
        "A Fernhill nasceu a 3 de maio de 2009.",  # the brand's founding
        "Ediția a XII-a: 08-IX-2026.",  # an event's date in Roman numerals
    ],
)
def test_dates_without_a_birth_word_stay_quiet(text: str) -> None:
    assert "date_of_birth" not in kinds(text), kinds(text)


def test_vowel_signs_stay_with_their_letters() -> None:
    seen, _ = _plain_forms("জন্ম তারিখ and jose\u0301", None)
    assert seen == "জন্ম তারিখ and jose"


# -- names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dobrý den, paní Petra Svobodová volala.", "Petra Svobodová"),
        ("Поважна пані Ірина Бондаренко, дякуємо!", "Ірина Бондаренко"),
        ("Κυρία Μαρία Νικολάου, ευχαριστούμε.", "Μαρία Νικολάου"),
        ("Г-жа Елена Димитрова ще вземе пратката.", "Елена Димитрова"),
        ("Bapak Agus Salim sudah membayar.", "Agus Salim"),
        ("Ông Lê Văn Tám đã nhận hàng.", "Lê Văn Tám"),
        ("Engr. Paolo Reyes will pick it up.", "Paolo Reyes"),
        ("收件人：张伟先生", "张伟"),
        ("이서연 님, 주문이 완료되었습니다.", "이서연"),
        ("ส่งให้คุณสมศรี ใจงาม ที่บ้าน", "สมศรี"),
        ("Thanks, Joaquín Herrera", "Joaquín Herrera"),
    ],
)
def test_names_after_titles_of_more_languages(text: str, name: str) -> None:
    found = kinds(text).get("person_name", [])
    assert any(name in f or f in name for f in found), (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "Vuelos desde el Aeropuerto Internacional Jorge Chávez.",  # an airport named after a person
        "Estádio Mané Garrincha, portão 3.",
        "Tienda en la Avenida Carlos Pellegrini 1200.",
        "Sayın müşterimiz, siparişiniz yolda.",  # a title before a common noun
        "고객님, 주문이 완료되었습니다.",  # the honorific of a customer, no name
        "ขอบคุณ มากครับ สำหรับคำสั่งซื้อ",  # "thank you", not a title
        "Pan de muerto y pan dulce hoy.",  # bread
        "Sri Lanka and Bay Area shipping now.",
    ],
)
def test_look_alikes_of_names_stay_quiet(text: str) -> None:
    assert "person_name" not in kinds(text), kinds(text)


def test_a_place_named_after_a_person_inside_an_address_is_no_name() -> None:
    found = kinds("Giao tới 12 Ngõ 5 Lê Thánh Tông, Hai Bà Trưng, Hà Nội 100000.")
    assert "person_name" not in found, found


# -- phones, e-mail, accounts, wallets, cards -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Lote 15-03-2026, consumir antes del 31-05-2027.",
        "Sale ends 28-02-2027 at midnight.",
        "SSS no. 34-1234567-8 on file.",
        "Seller NTN 1234567-8",
    ],
)
def test_dates_and_check_digit_runs_are_no_phones(text: str) -> None:
    assert "phone" not in kinds(text), kinds(text)


def test_an_international_number_after_order_is_a_phone() -> None:
    assert kinds("Mobile on the order: +20 100 123 4567.").get("phone") == ["+20 100 123 4567"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("E-mail: eva.kralova zavináč post tečka sk", "eva.kralova zavináč post tečka sk"),
        ("Írjon: kiss.janos kukac freemail pont hu", "kiss.janos kukac freemail pont hu"),
        ('Reply to "ana.p"@correo.com.mx please', '"ana.p"@correo.com.mx'),
    ],
)
def test_spelled_and_quoted_e_mail_addresses(text: str, value: str) -> None:
    assert kinds(text).get("email") == [value]


def test_quoted_words_before_an_at_price_are_no_address() -> None:
    assert "email" not in kinds('"Hoodies"@ 40% off, "Caps" @ 25% off.')


def test_cbu_needs_its_word_and_valid_check_digits() -> None:
    from stdnum.ar import cbu

    bank = "0170001" + str(cbu.calc_check_digit("0170001"))
    account = "0000012345678"
    number = bank + account + str(cbu.calc_check_digit(account))
    assert cbu.is_valid(number)
    assert kinds(f"CBU para el reintegro: {number}").get("bank_account") == [number]
    assert "bank_account" not in kinds(f"Pedido {number}")
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert "bank_account" not in kinds(f"CBU {broken}")


def test_tron_addresses_by_their_checksum() -> None:
    alphabet = pii_more._BASE58
    payload = bytes([0x41]) + hashlib.sha256(b"round6 test").digest()[:20]
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    n, address = int.from_bytes(raw, "big"), ""
    while n:
        n, r = divmod(n, 58)
        address = alphabet[r] + address
    assert kinds(f"USDT to {address} please").get("crypto_wallet") == [address]
    broken = address[:-1] + ("2" if address[-1] != "2" else "3")
    assert "crypto_wallet" not in kinds(f"USDT to {broken} please")


def test_card_numbers_only_in_their_networks_lengths() -> None:
    from stdnum import luhn

    tracking15 = "36001234567890" + luhn.calc_check_digit("36001234567890")  # 15 digits starting 36
    visa17 = "4102938475610293" + luhn.calc_check_digit("4102938475610293")  # 17 digits starting 4
    diners14 = "3600123456789" + luhn.calc_check_digit("3600123456789")
    assert "card" not in kinds(f"Shipment {tracking15} and label {visa17}.")
    assert kinds(f"Diners card {diners14}").get("card") == [diners14]


# -- the sets ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "precision", "recall"), [("fresh6.yaml", 0.95, 0.95), ("heldout3.yaml", 0.97, 0.80)]
)
def test_the_round6_sets_do_not_fall_back(name: str, precision: float, recall: float) -> None:
    """Floors under the figures measured after the fixes (fresh6 0.97 / 0.99, heldout3 1.00 / 0.83 with the
    default phone regions; both are development data now)."""
    counts = pii_set_counts(name)
    assert counts["tp"] / (counts["tp"] + counts["fp"]) >= precision, counts
    assert counts["tp"] / (counts["tp"] + counts["fn"]) >= recall, counts


def test_thai_nouns_made_with_khun_are_no_names() -> None:
    assert "person_name" not in kinds("สินค้าคุณภาพ ดีมาก ส่งฟรี")  # "quality goods, very good"
