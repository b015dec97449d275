"""Postal addresses (PV114) per form and country, their look-alikes, the brand's own address, and the fixes
to earlier misses made with them (month names in dates of birth, the CLABE, romaji names).

Values differ from those of tests/data/privacy_addresses. The aggregate floors at the end are the figures
measured on that set (its README), not expectations per case."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from brandrail.content.pii import find_pii
from brandrail.content.pii_more import clabe_valid
from brandrail.engine import check_text
from brandrail.policy import policy_from_dict
from brandrail.policy.sections.privacy import DEFAULT_PII_KINDS, PII_KINDS
from brandrail.text.document import Document

BRAND_ADDRESS = "Fernhill Outdoor Ltd, 12 Quarry Lane, Kendal LA9 4XY, United Kingdom"
EVERY = policy_from_dict(
    {
        "version": 1,
        "brand": {"name": "Fernhill", "postal_address": BRAND_ADDRESS},
        "privacy": {"detect": list(PII_KINDS)},
    }
)


def found(text: str, policy: Any = EVERY, kind: str | None = "postal_address") -> list[tuple[str, str, str]]:
    return [(h.kind, h.value, h.detail) for h in find_pii(Document(text), policy) if kind in (None, h.kind)]


@pytest.mark.parametrize(
    ("text", "value", "form", "country"),
    [
        ("Ship to 220 Larkspur Drive, Dayton, OH 45402.", "220 Larkspur Drive, Dayton, OH 45402", "English", "US"),
        ("Moved: 3 Hollybank Close, Derby DE22 1AB.", "3 Hollybank Close, Derby DE22 1AB", "English", "GB"),
        ("Post to 11 Strand Road, Sutton, Dublin D13 W9X4", "11 Strand Road, Sutton, Dublin D13 W9X4", "English", "IE"),
        ("Send to 64 King St W, Hamilton ON L8P 1A4", "64 King St W, Hamilton ON L8P 1A4", "English", "CA"),
        ("Unit 2/9 Ocean Parade, Manly NSW 2095", "Unit 2/9 Ocean Parade, Manly NSW 2095", "English", "AU"),
        ("Anschrift: Rosenweg 18, 70173 Stuttgart", "Rosenweg 18, 70173 Stuttgart", "German", "DE"),
        ("Adresse: Wiedner Hauptstraße 32/5, 1040 Wien", "Wiedner Hauptstraße 32/5, 1040 Wien", "German", "AT"),
        ("Adresse : 15 avenue Foch, 54000 Nancy", "15 avenue Foch, 54000 Nancy", "French", "FR"),
        ("Dirección: Calle Toledo 41, 28005 Madrid", "Calle Toledo 41, 28005 Madrid", "Spanish", "ES"),
        ("Indirizzo: Via Manzoni 9, 20121 Milano", "Via Manzoni 9, 20121 Milano", "Italian", "IT"),
        ("Adres: Hoogstraat 7B, 3011 PN Rotterdam", "Hoogstraat 7B, 3011 PN Rotterdam", "Dutch", "NL"),
        ("Adres: ul. Polna 8/2, 00-625 Warszawa", "ul. Polna 8/2, 00-625 Warszawa", "Polish", "PL"),
        ("Adress: Kungsgatan 30, 111 35 Stockholm", "Kungsgatan 30, 111 35 Stockholm", "Swedish", "SE"),
        ("Endereço: Rua Haddock Lobo, 595, 01414-001 São Paulo", "Rua Haddock Lobo, 595, 01414-001 São Paulo",
         "Portuguese", "BR"),
        ("Domicilio: Av. Reforma 222, 06600 Ciudad de México", "Av. Reforma 222, 06600 Ciudad de México",
         "Spanish", "MX"),
        ("Ship to 1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002", "1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002",
         "Japanese", "JP"),
        ("Caixa Postal 301, 80010-970 Curitiba", "Caixa Postal 301, 80010-970 Curitiba", "post-office box", "BR"),
        ("Postbus 92, 3500 AB Utrecht", "Postbus 92, 3500 AB Utrecht", "post-office box", "NL"),
    ],
)  # fmt: skip
def test_each_form_is_found_with_its_form_and_postcode_country(
    text: str, value: str, form: str, country: str
) -> None:
    hits = found(text)
    assert [v for _, v, _ in hits] == [value]
    assert form in hits[0][2] and country in hits[0][2]


@pytest.mark.parametrize(
    "text",
    [
        # no postcode and no town: a word for a person's address in the sentence is needed, and suffices
        "Leave it with my neighbour at 7 Thornfield Court.",
        "Ship my order to 3 Main Street please.",
        "Bitte an Goethestraße 3 liefern.",
        "Livrer au 4 bis rue Pasteur, merci.",
        "Abito in Corso Buenos Aires 12.",
        "Send it to PO Box 58.",
    ],
)
def test_without_a_postcode_a_word_for_a_persons_address_suffices(text: str) -> None:
    assert len(found(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        # the brand's own address, whole or its street and number
        f"Questions? Write to {BRAND_ADDRESS}.",
        "Returns: 12 Quarry Lane, Kendal.",
        # stores, venues, a post office, a company's registered office
        "Our new Bath store is at 14 Milsom Street, Bath BA1 1DE.",
        "Venue: The Corn Exchange, 8 Market Hill, Cambridge CB2 3QB.",
        "Unsere Filiale in der Zeil 90, 60313 Frankfurt hat geöffnet.",
        "Notre boutique, 40 rue du Bac, 75007 Paris.",
        "Nuestra tienda en Calle Preciados 9, 28013 Madrid.",
        "Collect it from the post office at 3 High Street, Ambleside.",
        "Northwind Trading Ltd, 40 Harbour Road, Poole BH15 1AB",
        # streets without a number, postcodes alone, products, prices, rooms, times, card numbers
        "Turn right into Station Road after the bridge.",
        "I live on Maple Avenue, is there a shop near me?",
        "Do you deliver to LS6 2QT, PLZ 10115 or CEP 01310-100?",
        "The Model 12 Oak chair and the Park Lane 3 jacket, from £49.",
        "Workshop in Room 214, Building 3, at 10:30; Hall 2, Stand 14B.",
        "Order 4417 of 12 March ships in 2 days, 14 day returns.",
        "Card 5425 2334 3010 9903 and IBAN DE89 3704 0044 0532 0130 00.",
        "Route 66 road-trip kit and the Offspring 2 tent.",
        "Mai 2025, 1000 Stück verkauft.",
        "Booth 3-12 at Tokyo Big Sight from 10:00.",
        # names of products, episodes, rankings made of a street (found by probing after the set's measure)
        "Save 20% on 3 Peak Trail boots this weekend.",
        "Episode 4 Green Lane Stories is out.",
        "Gift cards from £10 to £500; 3 Main Street gift card designs.",
        "Die Bergweg 3 Kollektion ist da.",
        "Platz 1 im Test, Note 1,3.",
        "Im Jahr 2020, 10000 Kunden zufrieden.",
    ],
)
def test_look_alikes_are_not_addresses(text: str) -> None:
    assert found(text) == []


def test_a_word_for_the_customer_closer_than_the_store_keeps_the_address() -> None:
    assert found("The store will ship it to my address, 5 Beech Grove, York YO24 1AA.")


def test_the_brand_address_may_come_from_the_e_mail_footer_or_the_allow_list() -> None:
    for privacy in (
        {"allow": ["Fernhill, 7 Mill Yard, Kendal LA9 5AA"]},
        {},
    ):
        data: dict[str, Any] = {"version": 1, "privacy": privacy}
        if not privacy:
            data["disclosures"] = {"email": {"address": "Fernhill, 7 Mill Yard, Kendal LA9 5AA"}}
        policy = policy_from_dict(data)
        assert found("Write to us: 7 Mill Yard, Kendal.", policy) == []
        assert found("Write to me: 9 Mill Yard, Kendal.", policy) != []


def test_the_finding_carries_its_span_text_and_form() -> None:
    result = check_text("Please send it to 14 Rosewood Avenue, Leeds LS6 2QT today.", EVERY)
    [f] = [f for f in result.findings if f.code == "PV114"]
    assert f.match == "14 Rosewood Avenue, Leeds LS6 2QT"
    assert f.span is not None and (f.span.start, f.span.end) == (18, 51)
    assert f.evidence["kind"] == "postal_address"
    assert "number + street (English)" in f.evidence["validated_by"]
    assert "GB" in f.evidence["validated_by"]


def test_postal_addresses_are_on_by_default_and_can_be_turned_off() -> None:
    assert "postal_address" in DEFAULT_PII_KINDS
    text = "Ship to 14 Rosewood Avenue, Leeds LS6 2QT."
    assert any(f.code == "PV114" for f in check_text(text, policy_from_dict({"version": 1})).findings)
    off = policy_from_dict({"version": 1, "privacy": {"detect": ["email"]}})
    assert not any(f.code == "PV114" for f in check_text(text, off).findings)


def test_the_mask_hides_every_letter_and_digit() -> None:
    from brandrail.content.fix import fix_text

    out = fix_text("Ship to 14 Rosewood Avenue, Leeds LS6 2QT.", policy_from_dict({"version": 1})).text
    assert out == "Ship to •• •••••••• ••••••, ••••• ••• •••."


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Client né le 3 mars 1981, merci.", "3 mars 1981"),
        ("Fecha de nacimiento: 9 de junio de 1979.", "9 de junio de 1979"),
        ("Nata il 12 dicembre 1990 a Roma.", "12 dicembre 1990"),
        ("Geboren am 3. Oktober 1975 in Jena.", "3. Oktober 1975"),
        ("Geboren op 14 augustus 1993.", "14 augustus 1993"),
        ("Data de nascimento: 30 de outubro de 1968.", "30 de outubro de 1968"),
        ("Née le 1er avril 2001.", "1er avril 2001"),
    ],
)
def test_dates_of_birth_with_month_names_of_other_languages(text: str, value: str) -> None:
    assert found(text, kind="date_of_birth") == [
        ("date_of_birth", value, "date of birth after a context word")
    ]


def test_a_word_that_is_no_month_is_no_date_and_hides_none_after_it() -> None:
    assert [v for _, v, _ in found("born on 12 apples 2020, no: 3 March 1990", kind="date_of_birth")] == [
        "3 March 1990"
    ]
    assert found("Nacido el 12 de Mayo Street 1990", kind="date_of_birth") == []


def test_a_clabe_with_its_check_digit_next_to_the_word() -> None:
    assert clabe_valid("002180012345678906") and not clabe_valid("002180012345678907")
    assert [v for _, v, _ in found("CLABE 002180012345678906", kind="bank_account")] == ["002180012345678906"]
    assert found("CLABE 002180012345678907", kind="bank_account") == []  # wrong check digit
    assert found("Pedido 002180012345678906 enviado", kind="bank_account") == []  # no word


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Customer Tanaka Hiroshi called.", ["Tanaka Hiroshi"]),
        ("Please thank Yui Watanabe for the photos.", ["Yui Watanabe"]),
        ("New: the Honda Civic roof box and the Suzuki Jimny tent.", []),
        ("The Suzuki Swift is parked outside.", []),
    ],
)
def test_romaji_names_in_either_order(text: str, names: list[str]) -> None:
    assert [v for _, v, _ in found(text, kind="person_name")] == names


# -- house names, lower case, flats, ordinals, boxes in other languages, addresses over several lines --------
# (new sentences, none from tests/data/privacy_addresses/heldout2.yaml)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a house name and its street without a number: a house word with a postcode or a word for a person's
        # address; any capitalised name with both
        ("Please send it to Willow Cottage, School Lane, Much Hadham SG10 6AB.",
         "Willow Cottage, School Lane, Much Hadham SG10 6AB"),
        ("Ship to The Old Vicarage, Water Lane, Bampton please", "The Old Vicarage, Water Lane, Bampton"),
        ("Address: The Old Bakery, High Street, Burford OX18 4QA", "The Old Bakery, High Street, Burford OX18 4QA"),
        ("my address: the old school house, chapel road, wymondham", "the old school house, chapel road, wymondham"),
        ("Deliver to Ashgrove Farm, Kilcolgan, Co. Galway, H91 K2X3", "Ashgrove Farm, Kilcolgan, Co. Galway, H91 K2X3"),
        ("Lieferadresse: Villa Sonnenschein, Am Hang 3, 79874 Breitnau",
         "Villa Sonnenschein, Am Hang 3, 79874 Breitnau"),
        # chat typed in lower case: a postcode, or a word for a person's address and nothing after the number
        ("send to 45 kings road brighton bn1 2ha thx", "45 kings road brighton bn1 2ha"),
        ("can you ship it to 16 church lane, york yo1 7hh", "16 church lane, york yo1 7hh"),
        ("ship to 1200 n state st, chicago il 60610 pls", "1200 n state st, chicago il 60610"),
        ("my address is 58 elm drive", "58 elm drive"),
        ("mi dirección es calle serrano 41, 28001 madrid", "calle serrano 41, 28001 madrid"),
        ("envoyez au 3 rue des écoles 75005 paris merci", "3 rue des écoles 75005 paris"),
        ("bitte an kaiserstraße 44, 60329 frankfurt", "kaiserstraße 44, 60329 frankfurt"),
        ("graag naar dorpsstraat 3, 1234 ab amsterdam", "dorpsstraat 3, 1234 ab amsterdam"),
        ("po box 58, bath ba1 2aa", "po box 58, bath ba1 2aa"),
        # flats and units before the street, ordinal and numbered streets
        ("Flat 7, 3 Elm Grove, Bristol BS6 5LD", "Flat 7, 3 Elm Grove, Bristol BS6 5LD"),
        ("Apt 2R, 330 East 19th Street, New York, NY 10003", "Apt 2R, 330 East 19th Street, New York, NY 10003"),
        ("ship to 77 W 14th St, New York, NY 10011", "77 W 14th St, New York, NY 10011"),
        ("Send it to 9920 82 Avenue NW, Edmonton, AB T6E 1Z9", "9920 82 Avenue NW, Edmonton, AB T6E 1Z9"),
        # post-office boxes in other languages
        ("Postal: apartado de correos 45, 03080 alicante", "apartado de correos 45, 03080 alicante"),
        ("wyślij na skrytkę pocztową 12, 00-001 Warszawa", "skrytkę pocztową 12, 00-001 Warszawa"),
        ("Case postale 12, 1211 Genève 3", "Case postale 12, 1211 Genève 3"),
        # split across lines: the tail goes on while a later line holds the postcode
        ("Ship to:\nMark Lee\n9 Rowan Close\nLeeds\nLS6 4AB", "9 Rowan Close\nLeeds\nLS6 4AB"),
        ("Lieferung an:\nMüllerstraße 3\n80469 München", "Müllerstraße 3\n80469 München"),
        ("Please deliver to\nThe Coach House\nMill Road\nHolt\nNR25 6EQ", "The Coach House\nMill Road\nHolt\nNR25 6EQ"),
        ("mi direccion:\ncalle toledo 12, 1ºb\n28005 madrid", "calle toledo 12, 1ºb\n28005 madrid"),
    ],
)  # fmt: skip
def test_house_names_lower_case_flats_ordinals_boxes_and_lines(text: str, value: str) -> None:
    assert [v for _, v, _ in found(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        # lower-case prose with a street word next to a number
        "the road to recovery takes 12 weeks",
        "my 3 favourite high street brands are on sale",
        "i need 2 mountain road bikes for my kids",
        "ship it via royal mail 24 please",
        "my flat is a 10 minute walk from the station",
        "my 1 tb hard drive broke after 2 days",
        "we walked 5 miles down the old coast road, my legs hurt",
        "il corso di 10 lezioni parte lunedì, via email 2 giorni prima",
        "on my street there are 4 houses",
        "send me 3 of the road maps",
        "i live on the main road, 2 minutes from the shop",
        "ich habe 2 parkplatz 3 mal gebucht",
        "calle 13 en vivo, 5 canciones nuevas",
        # house names and streets without a number that locate no household, or a business's
        "The Crown, High Street, Marlow is our local pub",
        "my house, church street and the park are all in the photo",
        "i love my cottage, mill lane, the whole village",
        "Mill House Coffee, Station Road, Kendal: open 8 till 4",
        "Acme Widgets Ltd, Mill Lane, Kendal LA9 4XY",
        "Abbey Road, Penny Lane, Strawberry Fields: our 3 new prints",
        "The House, The Garden, The Lake: 3 parts of the story, out 12 May",
        # lines of a list
        "Best of 2024:\nAbbey Road\nPenny Lane\n12 tracks",
        "Ordered:\n2 x Trail Road Shoes\n1 x Avenue Bag\nTotal 99.00",
    ],
)
def test_lower_case_and_numberless_look_alikes_are_not_addresses(text: str) -> None:
    assert found(text) == []


def test_without_a_postcode_on_a_later_line_the_address_ends_with_its_line() -> None:
    assert [v for _, v, _ in found("Leave it with my neighbour at 7 Thornfield Court\nRegards\nJane")] == [
        "7 Thornfield Court"
    ]


def test_a_house_name_without_any_digit_is_a_finding() -> None:
    text = "Ship to The Old Vicarage, Water Lane, Bampton please"
    assert [f.match for f in check_text(text, EVERY).findings if f.code == "PV114"] == [
        "The Old Vicarage, Water Lane, Bampton"
    ]


@pytest.mark.parametrize(
    "unit",
    [
        "Rose Cottage, Mill Lane, ",
        "the old rectory, church street, ",
        "12 baker street ",
        "via roma 3 ",
        "Ship to:\n1 A\n",
        "Room 1 ",
        "St 12 Main x ",
        "Calle 5 ",
        "Hauptstraße ",
        "PO Box 1 ",
        "1-2-3 Ab ",
        "生年月日 1985年",
        "12 de ",
        "14a high st, ",
        "Karl Johans gate 1 ",
        "h.no 1-2-3/4, ",
    ],
)
def test_a_megabyte_of_near_misses_is_scanned_in_linear_time(unit: str) -> None:
    """A guard against a backtracking pattern (which would take minutes), not a speed claim: the bench
    measures speed (bench/bench_content.py)."""
    text = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    started = time.thread_time()  # CPU time: a guard against backtracking, not a speed claim
    find_pii(Document(text), EVERY)
    assert time.thread_time() - started < 60


# -- aggregate floors on the pinned set (tests/data/privacy_addresses/README.md: the figures measured) -------

SET = Path(__file__).resolve().parent.parent / "data" / "privacy_addresses"
#: (half, precision floor, recall floor) of postal_address, span by span; measured values in the README.
FLOORS = [("dev", 0.97, 0.95), ("heldout", 0.97, 0.97), ("heldout2", 0.97, 0.90), ("heldout3", 0.97, 0.95)]


@pytest.mark.parametrize(("half", "precision", "recall"), FLOORS)
def test_postal_address_precision_and_recall_on_the_pinned_set(
    half: str, precision: float, recall: float
) -> None:
    counts: Counter[str] = Counter()
    for item in yaml.safe_load((SET / f"{half}.yaml").read_text(encoding="utf-8")):
        text = item["text"]
        labels = [
            (text.index(s["value"]), text.index(s["value"]) + len(s["value"]))
            for s in item["pii"]
            if s["kind"] == "postal_address"
        ]
        hits = [(h.start, h.end) for h in find_pii(Document(text), EVERY) if h.kind == "postal_address"]
        counts["tp"] += sum(any(s < b and a < e for s, e in hits) for a, b in labels)
        counts["fn"] += sum(not any(s < b and a < e for s, e in hits) for a, b in labels)
        counts["fp"] += sum(not any(s < b and a < e for a, b in labels) for s, e in hits)
    assert counts["tp"] / (counts["tp"] + counts["fp"]) >= precision, counts
    assert counts["tp"] / (counts["tp"] + counts["fn"]) >= recall, counts


# -- rt-addr2: lower-case towns, weaker street words, colonias, delivery stations, dated streets ----------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("pls post it to 27 hazel road, ripon", "27 hazel road, ripon"),
        ("send it to 3 quarry lane, ilkley thanks", "3 quarry lane, ilkley"),
        ("my address is 11 juniper gardens", "11 juniper gardens"),
        ("ship to 40 canal bank, skipton", "40 canal bank, skipton"),
        ("i live at 6 weavers row", "6 weavers row"),
        ("deliver to 2 stable mews please", "2 stable mews"),
        ("Deliver to 9 Ferry Bank, Selby YO8 4AB", "9 Ferry Bank, Selby YO8 4AB"),
        ("Entrega: Calle Zaragoza 71, col. Las Flores, C.P. 64000 Monterrey, N.L.",
         "Calle Zaragoza 71, col. Las Flores, C.P. 64000 Monterrey, N.L."),
        ("mándalo a av. hidalgo 210, colonia la paz, c.p. 72160", "av. hidalgo 210, colonia la paz, c.p. 72160"),
        ("Veuillez écrire à C.P. 1180, succursale Desjardins, Montréal QC H5B 1B3",
         "C.P. 1180, succursale Desjardins, Montréal QC H5B 1B3"),
        ("Mail it to PO Box 62, Stn A, Toronto ON M5W 1A2", "PO Box 62, Stn A, Toronto ON M5W 1A2"),
        ("mi dirección es avenida 16 de septiembre 305, toluca", "avenida 16 de septiembre 305, toluca"),
        ("meu endereço: rua 7 de setembro 88, curitiba", "rua 7 de setembro 88, curitiba"),
        ("Deliver to Alan Price Briar Cottage, Moor Lane, Settle BD24 9AA",
         "Briar Cottage, Moor Lane, Settle BD24 9AA"),
    ],
)  # fmt: skip
def test_towns_weaker_street_words_districts_stations_and_dated_streets(text: str, value: str) -> None:
    assert [v for _, v, _ in found(text)] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "send me 3 abbey road",  # three copies of a record
        "order 4 Penny Lane prints before Friday for free shipping",
        "get me 2 electric avenue tickets",
        "the 8 lavender gardens we visited this spring",  # a weaker street word without a strong cue
        "my 3 favourite river bank walks",
        "The Meadow Bank 2 boot and 14 Meadow Bank walks",
        "please send 2 cups of rocky road, thanks",
        "Ship to Alan Price, Moor Lane, Settle BD24 9AA",  # a person's name and a street: no household
        "Celebra el 5 de mayo con 2 tacos al pastor",
    ],
)
def test_quantities_weaker_street_words_and_names_are_no_address(text: str) -> None:
    assert found(text) == []


def test_a_year_on_the_line_after_a_town_is_no_postcode() -> None:
    text = "Ship to 6 Elm Road, Derby\n1998 vintage wine included"
    assert [v for _, v, _ in found(text)] == ["6 Elm Road, Derby"]
    # a postcode before its town on the next line still is one
    assert [v for _, v, _ in found("Lieferadresse: Rosenweg 4\n70173 Stuttgart")] == [
        "Rosenweg 4\n70173 Stuttgart"
    ]


def test_no_address_in_the_second_set_of_benign_look_alikes() -> None:
    items = yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "data" / "privacy_addresses" / "benign2.yaml").read_text(
            encoding="utf-8"
        )
    )
    alarms = [(m["id"], v) for m in items for _, v, _ in found(m["text"])]
    assert alarms == []


# -- rt-fixaddr: street words of more countries, Indian addresses, a street without a street word ----------
# (cases written for these tests, not heldout3.yaml's strings; heldout3's misses named the causes)


@pytest.mark.parametrize(
    ("text", "value", "form"),
    [
        # Italian, Portuguese, Czech abbreviations of the street type
        ("Indirizzo: P.za Duomo 4, 20121 Milano", "P.za Duomo 4, 20121 Milano", "Italian"),
        ("spedire a v.le monza 140, 20127 milano", "v.le monza 140, 20127 milano", "Italian"),
        ("Indirizzo: C.so Vittorio Emanuele 18, 10123 Torino", "C.so Vittorio Emanuele 18, 10123 Torino",
         "Italian"),
        ("Endereço: R. Augusta 1508, 01304-001 São Paulo", "R. Augusta 1508, 01304-001 São Paulo", "Portuguese"),
        ("Adresa: nám. Míru 9, 120 00 Praha 2", "nám. Míru 9, 120 00 Praha 2", "Czech"),
        # French "pl.", "place", "bd" in either case
        ("Adresse: 8 pl. Bellecour, 69002 Lyon", "8 pl. Bellecour, 69002 Lyon", "French"),
        ("livrer au 5 place des vosges 75004 paris", "5 place des vosges 75004 paris", "French"),
        # German "-str" without its dot, in lower case
        ("bitte an goethestr 14, 60313 frankfurt", "goethestr 14, 60313 frankfurt", "German"),
        # Danish, Norwegian, Swedish, Finnish: compounds, a genitive name with its street word apart, a floor
        # and side, a staircase and flat, a district letter
        ("Adresse: Vesterbrogade 112, 3. tv., 1620 København V", "Vesterbrogade 112, 3. tv., 1620 København V",
         "Danish"),
        ("min adresse: østergade 7, 1100 københavn k", "østergade 7, 1100 københavn k", "Danish"),
        ("send til markveien 3, 0554 oslo", "markveien 3, 0554 oslo", "Norwegian"),
        ("Lever til Karl Johans gate 22, 0159 Oslo", "Karl Johans gate 22, 0159 Oslo", "Norwegian"),
        ("send til olav tryggvasons gate 9, 7011 trondheim", "olav tryggvasons gate 9, 7011 trondheim",
         "Norwegian"),
        ("Adress: Drottning Kristinas väg 12, 114 28 Stockholm", "Drottning Kristinas väg 12, 114 28 Stockholm",
         "Swedish"),
        ("Osoite: Aleksanterinkatu 15 B 20, 00100 Helsinki", "Aleksanterinkatu 15 B 20, 00100 Helsinki",
         "Finnish"),
        ("osoite: hämeenkatu 9, 33100 tampere", "hämeenkatu 9, 33100 tampere", "Finnish"),
        # lower-case English: "high", "main" before the street word, "pl", an Irish county, a NZ postcode
        ("my address is 4 high street, totnes tq9 5ns", "4 high street, totnes tq9 5ns", "English"),
        ("ship to 9 main st, kilkenny co kilkenny", "9 main st, kilkenny co kilkenny", "Ireland"),
        ("post it to 31 old road gort co galway thanks", "31 old road gort co galway", "Ireland"),
        ("my address is 12 kauri pl, hamilton 3204", "12 kauri pl, hamilton 3204", "English"),
        # India: a house number's label, cross and main roads, a 6-digit PIN
        ("Send to House No. 221, Sector 15, Gurgaon 122001", "House No. 221, Sector 15, Gurgaon 122001",
         "Indian"),
        ("Address: #34, 2nd Cross, 5th Main, Malleswaram, Bengaluru 560003",
         "#34, 2nd Cross, 5th Main, Malleswaram, Bengaluru 560003", "Indian"),
        ("address: d.no 8-3-45, vizag 530003", "d.no 8-3-45, vizag 530003", "Indian"),
        # a one-word street without a street word, with a town and a postcode of letters and digits
        ("Ship to 3 Millside, Lancaster LA1 1AA", "3 Millside, Lancaster LA1 1AA", "English"),
        ("Deliver to Flat 5, 22 Riverside, Cardiff CF10 5BZ", "Flat 5, 22 Riverside, Cardiff CF10 5BZ",
         "English"),
        # a weaker street with a lower-case town after its bare-digit postcode: a word for an address keeps it
        ("Lever til Storgata 5, 0155 oslo", "Storgata 5, 0155", "Swedish"),
        ("Lieferadresse: Hofring 5, 80331 münchen", "Hofring 5, 80331", "German"),
    ],
)  # fmt: skip
def test_street_words_of_more_countries_indian_addresses_and_bare_streets(
    text: str, value: str, form: str
) -> None:
    hits = found(text)
    assert [v for _, v, _ in hits] == [value]
    assert form in hits[0][2]


@pytest.mark.parametrize(
    "text",
    [
        # gates, ties, ordinals, floors in other senses
        "Boarding at gate 12, flight SK 4035 to Oslo at 14:05.",
        "boarding at the departures gate 12, 2060 gardermoen",
        "Meet at Terminal 2, Gate 14, Oslo 0150",
        "Final score: Tie 3, Rovers 2.",
        "the cup tie 3 weeks ago was a 2. th round match",
        "tie 3 knots, 20 mins",
        "the 5th Main event had 3 acts",
        "the 14th Cross Country race starts at 10:30",
        # products, counts, quantities, English words with a Nordic street ending
        "Our new Bowtie 3 pack, 2200 units sold",
        "Aggregate 12, 3000 samples measured",
        "Colgate 12, 100 ml",
        "SKU 4411 A 5, model 20",
        "3 pl 4 tins",
        "Win 2 Tickets, London SW1A 1AA",
        "sale: 12 Tents, Leeds LS1 4AP",
        "Ship 2 Quayside mugs, London EC1A 1BB",
        "The 12 Days, London SW1A 2AA show",
        "Chapter 12 Finale, London premiere",
        # initials, labels and prose next to a number
        "Order R. 45 of 2024, page 12",
        "Thanks R. Jones 12 times over",
        "plot no 5 of the film is great",
        "h.no 12 is the answer",
        "See 3 place settings for 12 guests",
        "3 high street brands, 20% off",
        "i need 2 main st coffees",
        "il nostro corso di 12 lezioni in p.za duomo 2 volte",
    ],
)
def test_gates_ties_ordinals_counts_and_initials_are_no_address(text: str) -> None:
    assert found(text) == []


# -- the faster forms of the patterns find what the slower ones did ------------------------------------------


def test_the_sentence_end_pattern_agrees_with_its_look_behind_first_form() -> None:
    """The sentence-end pattern puts its mark before its look-behinds (for speed); the form with the
    look-behinds first is the reference, on random strings of the characters that matter, whole and sliced."""
    import random
    import re

    from brandrail.content.pii_address import _SENTENCE_END

    reference = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\bNo)(?<!\bNr)[.!?](?=\s)|\n")
    rng = random.Random(16)
    alphabet = "aANoNrSt.!? \n\tZz1é_-"
    for _ in range(20_000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        i, j = sorted((rng.randint(0, len(s)), rng.randint(0, len(s))))
        assert [m.span() for m in _SENTENCE_END.finditer(s)] == [m.span() for m in reference.finditer(s)], s
        assert [m.span() for m in _SENTENCE_END.finditer(s, i, j)] == [
            m.span() for m in reference.finditer(s, i, j)
        ], (s, i, j)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Glenview House, Ballyvaughan, Co. Clare, V95 E2K7",
            ["Glenview House, Ballyvaughan, Co. Clare, V95 E2K7"],
        ),
        # the house word inside a word ("GreenHouse", "Tree-House") is no house name's end
        ("Glenview GreenHouse, Ballyvaughan, Co. Clare, V95 E2K7", []),
        ("Glenview Tree-House, Ballyvaughan, Co. Clare, V95 E2K7", []),
    ],
)
def test_a_house_word_before_a_comma_stands_alone(text: str, expected: list[str]) -> None:
    assert [v for _, v, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bezorgadres: Meir 34 bus 2, 2000 Antwerpen",  # a bare name and number: no head word before it
        "Lieferadresse: Am Rosenhang 7, 80331 München",
        "Skicka till Karl Johans gate 22, 0159 Oslo",
    ],
)
def test_numbers_after_words_that_open_no_head_are_still_read(text: str) -> None:
    assert len(found(text)) == 1, found(text)
