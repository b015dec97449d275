"""The failure classes of the ninth round's held-out personal-data set (privacy_fresh/heldout7.yaml), fixed in
review rt-f9pii, one test per class, on cases written for them (not the set's rows nor fresh13's)."""

from __future__ import annotations

import pytest

from brandrail.content.pii import _scan_text
from brandrail.policy import Policy

POLICY = Policy.model_validate(
    {"privacy": {"detect": ["email", "phone", "national_id", "person_name", "postal_address"]}}
)


def _found(text: str) -> set[tuple[str, str]]:
    return {(h.kind, h.value) for h in _scan_text(text, POLICY)}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Could you phone me tomorrow on 087 552 1934 please", "087 552 1934"),  # Ireland, default regions
        ("Sie erreichen mich abends unter 0151 2274 9930.", "0151 2274 9930"),
        ("Tu peux m'appeler demain au 06 12 48 90 37 ?", "06 12 48 90 37"),
        ("Chiamami stasera al 393 482 1937", "393 482 1937"),
        ("Prosimy zadzwonić pod numer 601 223 874", "601 223 874"),
        ("my new number is 0824 118 3392 btw", "0824 118 3392"),
        ("Mi número es 654 33 21 09, gracias", "654 33 21 09"),
        ("Home landline 01 491 2277 after six", "01 491 2277"),
        ("Mrs. Oksana Lysenko, 067 233 9184", "067 233 9184"),  # a titled name and a comma
    ],
)
def test_a_local_number_after_a_calling_phrase_or_a_titled_name_is_read(text: str, value: str) -> None:
    assert ("phone", value) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Questions? Call us any time on 087 552 1934.",  # the brand's own line ("call us")
        "Rufen Sie uns gern unter 0151 2274 9930 an.",
        "Appelez-nous au 06 12 48 90 37.",
        "Llámanos al 654 33 21 09",
        "Please call our team on 0800 012 3344 for free.",  # a freephone prefix after a calling verb
        "NIT 8001974821 — Comercializadora Andina S.A.S.",  # a business's tax number
        "ΑΦΜ 800482917 — τιμολόγιο",
    ],
)
def test_the_brands_line_and_a_business_number_are_no_phone(text: str) -> None:
    assert not any(kind == "phone" for kind, _ in _found(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Refund approved, legal name Rosalind Achterberg-Moss.", "Rosalind Achterberg-Moss"),
        ("Payout form — IBAN on file, name Tobiah Greenshaw", "Tobiah Greenshaw"),
        ("Kontoinhaberin Wiebke Sonnleitner, bitte prüfen", "Wiebke Sonnleitner"),
        ("Kundin Henrike Abendroth hat angerufen.", "Henrike Abendroth"),
        ("Betaling ontvangen van Maarten Wijnhoven.", "Maarten Wijnhoven"),
        ("Hola, soy Itziar Goikoetxea y quiero cambiar la talla.", "Itziar Goikoetxea"),
        ("Reclamação da Sra. D. Filomena Carvalho", "Filomena Carvalho"),
        ("Παράδοση στην κα Αθηνά Μαυρίδου", "Αθηνά Μαυρίδου"),
        ("Kupac je g. Zvonimir Babić, Split", "Zvonimir Babić"),
        ("会员 张晓明 的订单已发货", "张晓明"),
        ("고객님 이수진, 주문이 완료되었습니다", "이수진"),
    ],
)
def test_names_after_colonless_labels_titles_and_role_nouns(text: str, value: str) -> None:
    assert any(kind == "person_name" and value in found for kind, found in _found(text))


@pytest.mark.parametrize(
    "text",
    [
        "customer Fernhill Outdoor Ltd, invoice attached",  # a company after a customer word
        "Kunde seit 2019, Bestellung offen.",
        "고객님 정보 확인 부탁드립니다",  # "customer information": a two-syllable noun, no name
        "会员 专享 折扣 开始",
        "Add 250 g. Fresh Basil to the pan.",  # a weight, not the Croatian title
    ],
)
def test_look_alikes_of_those_labels_are_no_names(text: str) -> None:
    assert not any(kind == "person_name" for kind, _ in _found(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Доставка: ул. Садовая 18, кв. 7, Санкт-Петербург", "ул. Садовая 18, кв. 7, Санкт-Петербург"),
        ("Адреса: вул. Городоцька 40, Львів", "вул. Городоцька 40, Львів"),
        ("Διεύθυνση: Λεωφόρος Κηφισίας 120, 11526 Αθήνα", "Λεωφόρος Κηφισίας 120, 11526 Αθήνα"),
        ("地址：广州市天河区天河路208号2栋1601室", "广州市天河区天河路208号2栋1601室"),
        ("住所：神奈川県横浜市中区山下町1-2-3", "神奈川県横浜市中区山下町1-2-3"),
        ("العنوان: 42 شارع الجمهورية، عابدين، القاهرة", "42 شارع الجمهورية، عابدين، القاهرة"),
        ("Nieuw adres: Herengracht 87-II, 1015 BE Amsterdam", "Herengracht 87-II, 1015 BE Amsterdam"),
    ],
)
def test_addresses_in_cyrillic_greek_chinese_japanese_and_arabic_script(text: str, value: str) -> None:
    assert ("postal_address", value) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "型号 A3 号码 12 号",  # "model", "number": no city, district or road
        "我们知道这条路很长",  # a road word without a number
        "北海道産のじゃがいも 3 個",  # a prefecture's character in a product
    ],
)
def test_script_look_alikes_are_no_addresses(text: str) -> None:
    assert not any(kind == "postal_address" for kind, _ in _found(text))
