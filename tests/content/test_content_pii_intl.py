"""National identifiers, phone numbers, names, dates of birth and bank details of Brazil, Mexico, Canada,
Italy, Poland, Sweden, Japan, South Africa, Nigeria, Singapore and Switzerland — and their look-alikes.

Values differ from those of tests/data/privacy_fresh (made valid with python-stdnum where it has a module)."""

from __future__ import annotations

import time

import pytest

from brandrail.content.pii import find_pii
from brandrail.policy import policy_from_dict
from brandrail.policy.sections.privacy import PII_KINDS
from brandrail.text.document import Document

EVERY = policy_from_dict({"version": 1, "privacy": {"detect": list(PII_KINDS)}})
REGIONS = ["BR", "MX", "CA", "IT", "PL", "SE", "JP", "ZA", "NG", "SG", "CH"]
WORLD = policy_from_dict({"version": 1, "privacy": {"detect": list(PII_KINDS), "phone_regions": REGIONS}})


def found(text: str, policy: object = EVERY) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in find_pii(Document(text), policy)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value", "module"),
    [
        ("CPF do titular: 663.923.321-54.", "663.923.321-54", "br.cpf"),
        ("Segue meu CPF 66392332154 para a nota.", "66392332154", "br.cpf"),
        ("CURP: PEGJ900215HJCRRN08", "PEGJ900215HJCRRN08", "mx.curp"),
        ("la curp de mi mamá es MOLA750830MNLRPL02", "MOLA750830MNLRPL02", "mx.curp"),
        ("Facturar al RFC PEGJ900215AB3 por favor.", "PEGJ900215AB3", "mx.rfc"),
        ("My SIN: 546 881 970.", "546 881 970", "ca.sin"),
        ("NAS 546-881-970 reçu par courriel.", "546-881-970", "ca.sin"),
        ("nr PESEL 72051836958 w formularzu", "72051836958", "pl.pesel"),
        ("Her ID number 8607145123083 is on file.", "8607145123083", "za.idnr"),
        ("NRIC S8783128J, please verify.", "S8783128J", "sg.nric"),
        ("Work pass FIN F5296303Q was sent.", "F5296303Q", "sg.nric"),
        ("Versichertennummer 756.9356.3272.90 im Formular.", "756.9356.3272.90", "ch.ssn"),
        ("AHV-Nr. 7569356327290 bitte prüfen.", "7569356327290", "ch.ssn"),
        ("個人番号 5181 7560 4803 を送ってしまいました。", "5181 7560 4803", "jp.in_"),
        ("my NIN is 70123456789, for the SIM.", "70123456789", "ng.nin"),
    ],
)
def test_national_ids_of_the_new_countries_are_found(text: str, value: str, module: str) -> None:
    hits = [h for h in find_pii(Document(text), EVERY) if h.kind == "national_id"]
    assert [h.value for h in hits] == [value]
    assert module in hits[0].detail


@pytest.mark.parametrize(
    "text",
    [
        "CPF 663.923.321-55 (typo).",  # wrong check digits
        "Protocolo 66392332154 registrado.",  # eleven bare digits without the word CPF
        "CNPJ 12.345.678/0001-95 da loja.",  # a company
        "RFC de la empresa: ABC190412K70.",  # a company's RFC (12 characters)
        "RFC PEGJ900215AB4 con error.",  # wrong check digit
        "Order 546 881 970 shipped.",  # nine Luhn-valid digits, no SIN word
        "PESEL 72051836950 (błąd).",  # wrong check digit
        "Order ID 8607145123084 is late.",  # thirteen digits failing the Luhn check
        "Entity UEN 201912345R, a company.",  # Singapore UEN, not an NRIC
        "Code S8783128K on the box.",  # wrong check letter
        "EAN 7569356327290 on the label.",  # thirteen digits starting 756 without the AHV word
        "伝票番号 5181 7560 4803 でお届けします。",  # twelve digits without the My Number word
        "Jumia order 70123456789 is on its way.",  # eleven digits without the NIN word
        "org.nr 556526-0188, Fernhill Sverige AB.",  # a Swedish company: not a personnummer
    ],
)
def test_lookalikes_of_the_new_ids_are_not_national_ids(text: str) -> None:
    assert [k for k, _ in found(text) if k == "national_id"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Linha gratuita 0800 891 2345, 24 horas.", None),
        ("フリーダイヤル 0120-987-654 まで。", None),
        ("Servizio clienti 0848 765 432.", None),
        ("Sharecall 0861 234 567 for stores.", None),
        ("Kundtjänst 0771-23 45 67, vardagar.", None),
        ("Ligue para (31) 98877-6655 hoje.", "(31) 98877-6655"),
        ("携帯 070-2345-6789 までご連絡ください。", "070-2345-6789"),
    ],
)
def test_a_service_number_of_any_hinted_country_is_no_personal_number(text: str, value: str | None) -> None:
    phones = [v for k, v in found(text, WORLD) if k == "phone"]
    assert phones == ([value] if value else [])


@pytest.mark.parametrize(
    "text",
    [
        "NIP sprzedawcy 521-301-72-28, faktura VAT.",
        "Numéro de facture no 2031-774512 joint.",
        "Waybill 2345678901 via our courier.",
        "Swish 123 789 45 61 (Fernhill AB).",
        "ご注文番号 090-4567-8901 を確認しました。",
    ],
)
def test_business_and_parcel_numbers_after_their_label_are_no_phone_numbers(text: str) -> None:
    assert [k for k, _ in found(text, WORLD) if k == "phone"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Data urodzenia 03.11.1979, klient stały.", "03.11.1979"),
        ("Född 1981-09-23, kund sedan 2020.", "1981-09-23"),
        ("Data de nascimento: 22/06/1993.", "22/06/1993"),
        ("生年月日：1979年11月3日", "1979年11月3日"),
        ("お客様の誕生日は1992年7月30日です。", "1992年7月30日"),
    ],
)
def test_dates_of_birth_in_more_languages_and_in_japanese_notation(text: str, value: str) -> None:
    assert ("date_of_birth", value) in found(text)


@pytest.mark.parametrize(
    "text", ["キャンペーンは2027年4月15日まで。", "Promocja do 15.04.2027.", "Leverans 2027-04-15."]
)
def test_dates_without_a_birth_word_are_not_dates_of_birth(text: str) -> None:
    assert [k for k, _ in found(text) if k == "date_of_birth"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("M. Tremblay a rappelé.", "M. Tremblay"),
        ("La dott.ssa Esposito è in ferie.", "dott.ssa Esposito"),
        ("Il sig. Romano ha pagato.", "sig. Romano"),
        ("Pani Katarzyna Zielińska zamówiła namiot.", "Pani Katarzyna Zielińska"),
        ("Chief Okafor has paid the balance.", "Chief Okafor"),
        ("Fru Svensson hämtar paketet.", "Fru Svensson"),
        ("Lic. Ramírez firmó la orden.", "Lic. Ramírez"),
        ("Sr. Cardoso ligou duas vezes.", "Sr. Cardoso"),
        ("高橋 健一様からのお問い合わせです。", "高橋 健一"),
        ("山本さんに電話してください。", "山本さん"),
        ("渡辺美咲宛に送付。", "渡辺美咲"),
    ],
)
def test_names_with_the_titles_and_scripts_of_the_new_countries(text: str, value: str) -> None:
    assert ("person_name", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ask the Chief Executive Officer.",
        "Fly Pan Am again.",
        "Ask our Sr. Sales Manager.",
        "Meet at Victoria Island, Lagos.",
        "Collect at Grace Square.",
        "山田駅から徒歩5分。",
        "原因を調査中です。",
        "林檎ジュース 300円。",
    ],
)
def test_roles_brands_places_and_words_are_no_names(text: str) -> None:
    assert [k for k, _ in found(text) if k == "person_name"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Escríbeme a pedro.diaz [arroba] hotmail.com", "pedro.diaz [arroba] hotmail.com"),
        ("scrivi a lucia chiocciola tiscali.it", "lucia chiocciola tiscali.it"),
        ("pisz: jan(małpa)onet.pl", "jan(małpa)onet.pl"),
        ("mail: anna arroba gmail punto com", "anna arroba gmail punto com"),
    ],
)
def test_addresses_written_with_another_languages_word_for_at(text: str, value: str) -> None:
    assert ("email", value) in found(text)


def test_an_at_word_without_an_address_is_none() -> None:
    assert [k for k, _ in found("La arroba se escribe @ y el punto, punto.") if k == "email"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Depósito na conta 45821-7, agência 0312-9.", "45821-7"),
        ("Depósito na conta 45821-7, obrigado.", "45821-7"),  # six digits in all
        ("Please refund to Zenith account 2034567891.", "2034567891"),
        ("Przelew na konto 12345678901234, dziękuję.", "12345678901234"),
        ("Our account team (12 people) replies within 24 hours.", None),
    ],
)
def test_account_numbers_right_after_a_word_for_an_account(text: str, value: str | None) -> None:
    accounts = [v for k, v in found(text, WORLD) if k == "bank_account"]
    if value is None:
        assert accounts == []
    else:
        assert value in accounts


def test_a_barcode_is_no_card_but_a_card_still_is() -> None:
    assert [k for k, _ in found("JAN 4575594709005 on the box.") if k == "card"] == []  # Luhn-valid too
    assert ("card", "4222222222222") in found("Old Visa 4222222222222 on file.")  # no valid EAN-13
    assert ("card", "4539 1488 0343 6467") in found("Card 4539 1488 0343 6467 please.")


@pytest.mark.parametrize(
    "text",
    ["Paszport nr EB4827163 do rezerwacji.", "お客様のパスポート番号 TR8392015", "旅券番号：MZ5521907"],
)
def test_passport_words_of_the_new_languages(text: str) -> None:
    assert [k for k, _ in found(text) if k == "passport"] == ["passport"]


@pytest.mark.parametrize(
    "unit",
    [
        "756.",
        "CPF 123.",
        "AAAA999999",
        "conta 1234-",
        "田中",
        "佐藤 ",
        " arroba ",
        "Pan Pan ",
        "生年月日 1985年",
        "S1234567",
        "account 0",
    ],
)
def test_a_megabyte_of_near_misses_is_scanned_in_linear_time(unit: str) -> None:
    """A megabyte made of the new recognisers' openings, never completed, is scanned in seconds (a
    backtracking pattern or a look-back from every candidate would take minutes)."""
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    started = time.thread_time()  # CPU time: a guard against backtracking, not a speed claim
    find_pii(Document(text), WORLD)
    assert time.thread_time() - started < 60


@pytest.mark.parametrize("prefix", ["", "İstanbul: "])  # a letter that lower-cases to two characters
def test_a_date_of_birth_is_found_once_after_its_word(prefix: str) -> None:
    from brandrail.content.pii_more import find_dates_of_birth

    text = prefix + "佐藤様の生年月日は1985年4月17日です。Data urodzenia 03.11.1979."
    assert [text[a:b] for a, b, _ in find_dates_of_birth(text)] == ["1985年4月17日", "03.11.1979"]


@pytest.mark.parametrize("number", ["6363 6878 7789 3281", "6062 8279 2174 2183", "5067 0967 9290 8102"])
def test_brazils_elo_and_hipercard_numbers_are_cards(number: str) -> None:
    assert ("card", number) in found(f"Cartão {number}, validade 10/29.")
    digits = number.replace(" ", "")
    broken = number[:-1] + str((int(digits[-1]) + 1) % 10)  # a wrong Luhn digit
    assert [k for k, _ in found(f"Cartão {broken}.") if k == "card"] == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("Zadzwoń: 601 987 654.", "601 987 654"), ("Llámame al 33 2345 6789.", "33 2345 6789")],
)
def test_a_mobile_written_without_a_leading_0_or_1_is_not_taken_for_a_service_number(
    text: str, value: str
) -> None:
    policy = policy_from_dict(
        {"version": 1, "privacy": {"detect": ["phone"], "phone_regions": ["US", "GB", "PL", "MX", "CH"]}}
    )
    assert ("phone", value) in found(text, policy)
