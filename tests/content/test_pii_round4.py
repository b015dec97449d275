"""Fourth round of the personal-data recognisers (rt-addr4): the pin of its fresh cases
(tests/data/privacy_addresses/fresh5.yaml, written before the recognisers were changed) and a test per form
and per look-alike class that round added."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
FRESH5 = DATA / "privacy_addresses" / "fresh5.yaml"

#: Pinned in the commit that added the file, before any recogniser was changed for it.
FRESH5_SHA256 = "685d602b7d339b71156461340088cda3c47650d78c7851514a070e96e653be1a"


def test_fresh5_is_pinned_and_well_formed() -> None:
    assert hashlib.sha256(FRESH5.read_bytes()).hexdigest() == FRESH5_SHA256
    items: list[dict[str, Any]] = yaml.safe_load(FRESH5.read_text(encoding="utf-8"))
    assert [m["id"] for m in items] == list(range(1, len(items) + 1))
    for m in items:
        for span in m["pii"]:
            assert span["value"] in m["text"], m["id"]
    addresses = [m for m in items if any(s["kind"] == "postal_address" for s in m["pii"])]
    others = [m for m in items if m["pii"] and m not in addresses]
    clean = [m for m in items if not m["pii"] or all(s["kind"] == "person_name" for s in m["pii"])]
    assert len(addresses) >= 25 and len(others) >= 15 and len(clean) >= 35


# -- the recognisers: values differ from those of tests/data (IDs made valid with python-stdnum) -------------

import pytest  # noqa: E402

from brandrail.content.pii import find_pii  # noqa: E402
from brandrail.policy import policy_from_dict  # noqa: E402
from brandrail.policy.sections.privacy import PII_KINDS  # noqa: E402
from brandrail.text.document import Document  # noqa: E402

BRAND_ADDRESS = "Fernhill Outdoor Ltd, 12 Quarry Lane, Kendal LA9 4XY, United Kingdom"
EVERY = policy_from_dict(
    {
        "version": 1,
        "brand": {"name": "Fernhill", "postal_address": BRAND_ADDRESS},
        "privacy": {"detect": list(PII_KINDS)},
    }
)
#: Every region the address sets are written for, and Chile's: the phone matcher at its widest.
WORLD = policy_from_dict(
    {
        "version": 1,
        "privacy": {
            "detect": list(PII_KINDS),
            "phone_regions": ["US", "GB", "IE", "CA", "AU", "DE", "FR", "ES", "IT", "NL", "BE", "PL", "SE",
                              "JP", "BR", "MX", "PT", "IN", "CL", "KE"],
        },
    }
)  # fmt: skip


def found(text: str, policy: Any = EVERY, kind: str | None = None) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in find_pii(Document(text), policy) if kind in (None, h.kind)]


@pytest.mark.parametrize(
    ("text", "part"),
    [
        # Korean roads after the house number, a district after them
        ("Send it to 31 Eonju-ro 30-gil, Gangnam-gu, Seoul 06292 please", "31 Eonju-ro 30-gil"),
        ("ship to 7 teheran-ro gangnam-gu seoul 06141", "7 teheran-ro"),
        # Thai village number, Vietnamese street word
        ("deliver to 12/3 Moo 7, Chiang Mai 50200", "12/3 Moo 7"),
        ("Gửi đến 18 Đường Nguyễn Huệ, Quận 1, Hồ Chí Minh", "18 Đường Nguyễn Huệ"),
        # Colombia's grid
        ("mi dirección: Carrera 15 # 88-64, Bogotá", "Carrera 15 # 88-64"),
        ("mi direccion es kr 50 #12 sur-40 medellin", "kr 50 #12 sur-40"),
        # a street word after the name: Turkish, Latvian, Slovene, Estonian, Lithuanian
        ("Teslimat: İstiklal Cad. No: 120, 34430 Beyoğlu", "İstiklal Cad. No: 120"),
        ("Krišjāņa Barona iela 12, Rīga, LV-1011", "Krišjāņa Barona iela 12"),
        ("Dunajska cesta 5, 1000 Ljubljana", "Dunajska cesta 5"),
        ("Tartu mnt 10, 10115 Tallinn", "Tartu mnt 10"),
        ("Konstitucijos pr. 7, LT-09308 Vilnius", "Konstitucijos pr. 7"),
        # Hungary: the postcode and town first
        ("Cím: 1061 Budapest, Király utca 8.", "1061 Budapest, Király utca 8"),
        # Romanian, Russian and Ukrainian in Latin letters, Indonesian, Serbian street types
        ("Adresa: Str. Lipscani nr. 5, 030031 București", "Str. Lipscani nr. 5"),
        ("ship to ul. Arbat, d. 10, kv. 5, Moskva 119002", "ul. Arbat, d. 10"),
        ("my address: vul. Shevchenka 4, kv. 2, Lviv 79000", "vul. Shevchenka 4"),
        ("kirim ke Jl. Malioboro No. 52, Yogyakarta 55213", "Jl. Malioboro No. 52"),
        ("Bulevar despota Stefana 12, 11000 Beograd", "Bulevar despota Stefana 12"),
        ("Bulevar oslobođenja 10, 21000 Novi Sad", "Bulevar oslobođenja 10"),
        ("spedire a Frazione Pieve 3, 52010 Poppi (AR)", "Frazione Pieve 3"),
        # a villa or house and its numbered street
        ("Deliver to Villa 3, Street 9, Al Safa 1, Dubai", "Villa 3, Street 9"),
        ("ship to House 8, Street 12, I-8/2, Islamabad 44000", "House 8, Street 12"),
        # rural routes and bags, Finnish and Kenyan boxes
        ("send to RR 5, Site 2, Comp 8, Red Deer AB T4N 5E5", "RR 5"),
        ("post to RMB 3320, Beechworth VIC 3747", "RMB 3320"),
        ("Osoite: PL 200, 00101 Helsinki", "PL 200"),
        ("Kindly post it to P.O. Box 30123-00100, Nairobi.", "P.O. Box 30123-00100"),
        # Japanese district in lower case; "no" before a lower-case street and its town
        ("send to 2-4-1 marunouchi chiyoda-ku tokyo 100-0005", "2-4-1 marunouchi chiyoda-ku"),
        ("please send to no 5 broad street lagos, thanks", "5 broad street"),
    ],
)
def test_round4_address_forms_are_found(text: str, part: str) -> None:
    values = [v for _, v in found(text, kind="postal_address")]
    assert len(values) == 1 and part in values[0], values


@pytest.mark.parametrize(
    "text",
    [
        # a Korean road without a district or postcode; Thai and Colombian words without their shape
        "We printed 45 Teheran-ro tees for the launch.",
        "Buy 2 Moo 3 shirts and get one free.",
        "Moo 3 and Soi 71 are the new colourways.",
        "Table 3 # 11-26 lists the sizes.",
        "Watch Calle 13 live in Bogotá on Friday!",
        # a street word after a name without a postcode; "al." of a citation
        "Andrássy út 47 is on every postcard of the city.",
        "Jones et al. 2019, 1000 participants took part.",
        # a year, a town and a comma: no street after it
        "Since 1996 Budapest, Vienna and Prague have stocked our tents.",
        # box words that are product codes without a postcode
        "Our PL 312 tent weighs 1.2 kg.",
        "RR 3 ratings are in, RMB 1450 is the price in yuan.",
        # a numbered street without a house before it; a villa without a street
        "Street 14 Fashion Week starts Monday in Dubai.",
        "Villa 21 sleeps six; book it on our site.",
        # lower-case words in a street's name that are prose ("Avenue gift boxes"), "no 1" without an address word
        "Order 2 Fifth Avenue gift boxes before Dec 15 for free shipping.",
        "my no 1 high street brand, honestly.",
    ],
)
def test_round4_address_lookalikes_are_not_addresses(text: str) -> None:
    assert found(text, kind="postal_address") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Henkilötunnus 310779-482K tilaukseen", "310779-482K"),
        ("lapsen hetu on 120590-1007", "120590-1007"),
        ("Syntynyt 2001: 150601A123R", "150601A123R"),  # a century letter: evident
        ("Fødselsnummer 17038541293, takk", "17038541293"),
        ("Rijksregisternummer 79061234526", "79061234526"),
        ("Bij de bestelling: 01.02.03-004.38", "01.02.03-004.38"),  # printed with dots and dash: evident
        ("TC kimlik no 19876543238", "19876543238"),
        ("Boleta para 18.765.432-7, por favor", "18.765.432-7"),  # printed with dots and dash: evident
        ("mi RUT es 12345678-5", "12345678-5"),
        ("CNP 2790315123453", "2790315123453"),
        ("주민번호 790815-2123458", "790815-2123458"),
        ("身份证号码 320106198506123011", "320106198506123011"),
        ("AMKA: 05069000122", "05069000122"),
        ("CPR-nr. 010203-1234", "010203-1234"),
    ],
)
def test_round4_national_ids_are_found(text: str, value: str) -> None:
    assert ("national_id", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        # valid numbers without their word (bare digits, all-digit hetu, a CPR's date shape)
        "Order 120590-1007 shipped today.",
        "Ref 17038541293 on the parcel label.",
        "Tracking 2790315123453 updated.",
        "Parcel 320106198506123011 cleared customs.",
        "Policy 05069000122 renewed.",
        "Order 140385-2171 shipped.",
        # their word, a wrong check digit
        "TC kimlik no 19876543239",
        "mi RUT es 12345678-4",
        "CNP 2790315123454",
        "주민번호 790815-2123459",
        # a company's RUT (50 million and up): no person's
        "RUT de la empresa: 96.512.345-8, giro comercio.",
    ],
)
def test_round4_id_lookalikes_are_not_national_ids(text: str) -> None:
    assert [v for k, v in found(text) if k == "national_id"] == []


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("UnionPay 6225 8801 2345 6783 on file", "card", "6225 8801 2345 6783"),
        ("Maestro 6761 1234 5678 9012 348 declined", "card", "6761 1234 5678 9012 348"),
        ("Maestro 5893 1234 5678 9014", "card", "5893 1234 5678 9014"),
        ("refund to nl91abna0417164300 please", "iban", "nl91abna0417164300"),
        ("mail me: anna dot berg at web dot de", "email", "anna dot berg at web dot de"),
        ("my email is jo at gmx dot de", "email", "jo at gmx dot de"),
    ],
)
def test_round4_cards_ibans_and_spelled_emails_are_found(text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SKU 6225 8801 2345 6784 is out of stock.", "card"),  # Luhn fails
        ("refund to Nl91abna0417164300 please", "iban"),  # mixed case
        ("refund to nl91abna0417164301 please", "iban"),  # mod-97 fails
        ("Look at fernhill dot com slash sale for the deals.", "email"),  # a web site
        ("Check the sizes at fernhill dot shop before ordering.", "email"),
        ("Email me at noon dot thanks", "email"),  # a function word, no top-level domain
    ],
)
def test_round4_card_iban_and_email_lookalikes(text: str, kind: str) -> None:
    assert [v for k, v in found(text) if k == kind] == []


@pytest.mark.parametrize(
    "text",
    [
        "PO 4500123456 approved — invoice due 30 Dec.",
        "Epoch 4500123456 marks the cache rollover.",
        "Lot 2026-0815 expires soon; batch 441209-7733.",
        "RUT de la empresa: 76.086.428-5, giro comercio.",
        "Aktion gültig vom 01.12.2026 bis 24.12.2026.",
        "Order 45231-00100 shipped in two parcels.",
    ],
)
def test_round4_phone_lookalikes_with_every_region(text: str) -> None:
    assert [v for k, v in found(text, WORLD) if k == "phone"] == []


def test_a_title_and_a_name_do_not_run_across_a_line_break() -> None:
    text = "Ship to:\nUnit 4\n220 Harbor Dr\nSan Diego, CA 92101"
    kinds = found(text)
    assert [k for k, _ in kinds] == ["postal_address"], kinds
    assert ("person_name", "Dr Jane Smith") in found("Dr Jane Smith will call.")
