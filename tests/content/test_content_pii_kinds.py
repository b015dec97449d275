"""Personal-data recognisers: failures found by the hand-labelled set (tests/data/privacy) and the red-team
review, each as a class — sentence ends, business phone numbers, versions that look like addresses, number
lists that look like MAC addresses, tokens a card run sits inside, odd salts."""

from __future__ import annotations

import itertools

import pytest
from content_testlib import content_policy
from hypothesis import given, settings
from hypothesis import strategies as st

from brandrail.content.pii import find_pii, redaction
from brandrail.engine import check_text
from brandrail.policy.sections.privacy import PII_KINDS
from brandrail.text.document import Document

ALL = content_policy(
    {"privacy": {"detect": list(PII_KINDS), "phone_regions": ["GB", "US", "AU", "FR", "DE"]}}
)


def kinds(text: str, policy: object = ALL) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in find_pii(Document(text), policy)]  # type: ignore[arg-type]


# -- what ends a sentence does not end a recogniser -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("81.2.69.160", "ip"),
        ("10.0.0.12", "ip"),
        ("3c:22:fb:91:0a:7e", "mac_address"),
        ("B8-27-EB-4F-1C-90", "mac_address"),
        ("f0d5.bf12.3a9c", "mac_address"),
    ],
)
@pytest.mark.parametrize("tail", [".", ".\n", ". Thanks", "!", "…", ")."])
def test_an_address_at_the_end_of_a_sentence_is_found(value: str, kind: str, tail: str) -> None:
    assert kinds(f"The customer's device ({kind}) was {value}{tail}") == [(kind, value)]


@pytest.mark.parametrize(
    "text", ["Hosts 81.2.69.160.5 and 1.2.3.4.5.6 are not IPs.", "see 3c:22:fb:91:0a:7e.ff"]
)
def test_a_dot_and_more_digits_still_make_it_something_else(text: str) -> None:
    assert [k for k, _ in kinds(text) if k in ("ip", "mac_address")] == []


# -- business numbers are no personal data --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Call free on 0800 023 4455, lines open 8am-8pm.",
        "Questions? Call toll-free 1-888-555-0142, 24/7.",
        "Ring 1800 123 456 for roadside assistance.",
        "Ring 13 22 11 for roadside assistance.",
        "Our helpline 0300 123 7000 is open now.",
        "Service client : 0 800 12 34 56 (appel gratuit).",
        "Kostenlose Hotline 0800 330 1000.",
    ],
)
def test_freephone_shared_cost_and_access_numbers_are_not_personal(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "phone"] == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Call me on 07464 839201 after five.", "07464 839201"),
        ("Landline 0161 496 0753.", "0161 496 0753"),
        ("Cell (415) 555-0132, thanks.", "(415) 555-0132"),
        ("Mobile 0412 345 678.", "0412 345 678"),
        ("call09061701461 now", "09061701461"),  # premium rate: still reported
    ],
)
def test_personal_and_premium_numbers_are_still_phone_numbers(text: str, number: str) -> None:
    assert ("phone", number) in kinds(text)


def test_the_service_number_types_are_the_named_ones() -> None:
    import phonenumbers

    from brandrail.content.pii import _SERVICE_NUMBERS

    kinds_ = phonenumbers.PhoneNumberType
    assert {kinds_.TOLL_FREE, kinds_.SHARED_COST, kinds_.UAN} == _SERVICE_NUMBERS


# -- versions and sections are no IP addresses ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Firmware 2.1.0.5 is rolling out this week.",
        "Terms section 4.2.1.3 explains returns.",
        "Update to v1.2.0.3 today.",
        "Version: 10.0.0.1 fixes it.",
        "See § 4.2.1.3 of the terms.",
        "iOS 16.1.2.1 is not supported.",
    ],
)
def test_versions_and_sections_are_not_ip_addresses(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "ip"] == []


@pytest.mark.parametrize(
    "text",
    ["Logged in from 2.1.0.5 at noon.", "IP: 4.2.1.3", "Server versions differ; client 81.2.69.160 failed."],
)
def test_dotted_quads_without_a_version_word_right_before_are_addresses(text: str) -> None:
    assert [k for k, _ in kinds(text)] == ["ip"]


# -- six pairs of decimal digits are numbers unless a device is meant ---------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Your numbers: 04-11-23-35-42-49. Good luck!",
        "Artikelnummer 10-44-92-17-38-61 ist ausverkauft.",
        "Seats 12:14:16:18:20:22 are held.",
    ],
)
def test_lists_of_decimal_pairs_are_not_mac_addresses(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "mac_address"] == []


@pytest.mark.parametrize(
    "text",
    [
        "The router's MAC is 00-14-22-01-23-45.",
        "Bluetooth device 10:44:92:17:38:61 paired.",
        "Code 0a-44-92-17-38-61 is on the label.",  # a hex letter makes it a MAC whatever the words
    ],
)
def test_mac_addresses_of_decimal_digits_are_found_with_a_device_word(text: str) -> None:
    assert [k for k, _ in kinds(text)] == ["mac_address"]


# -- a checksummed token is read whole before a card run inside it ------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "0x52908400098527886E0F7030069857D2E4169EE7",  # EIP-55 vector, all caps
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",  # all lower
    ],
)
def test_an_ethereum_address_holding_a_luhn_valid_run_is_one_wallet(address: str) -> None:
    assert kinds(f"Send USDT to {address} please") == [("crypto_wallet", address)]


# -- hashing never crashes ------------------------------------------------------------------------------


@pytest.mark.parametrize("salt", ["s\udcff", "sel", ""])
def test_hash_redaction_with_an_odd_salt_or_value_is_a_token(
    monkeypatch: pytest.MonkeyPatch, salt: str
) -> None:
    """os.environ holds a non-UTF-8 variable as surrogate escapes: the salt hashes, it does not crash."""
    monkeypatch.setenv("BRANDRAIL_PII_SALT", salt)
    policy = content_policy({"privacy": {"redaction": "hash"}})
    result = check_text("Mail jo@example.com or call 07911 123456.", policy)
    tokens = [f.fix.edits[0].replacement for f in result.findings if f.fix is not None]
    assert len(tokens) == 2 and all(t.startswith(("[email:", "[phone:")) for t in tokens)
    hit = find_pii(Document("jo@example.com"), policy)[0]
    odd = type(hit)(hit.kind, hit.start, hit.end, "jo\ud800@example.com", hit.detail)
    assert redaction(odd, policy).startswith("[email:")


# -- national ids of India, Australia, Germany and Spain's foreigners ------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("NIE Y7654321G para la factura.", "Y7654321G"),
        ("Su NIE es Y-7654321-G.", "Y-7654321-G"),
        ("Aadhaar 6779 3388 9727 uploaded for KYC.", "6779 3388 9727"),
        ("My aadhar no is 677933889727", "677933889727"),
        ("PAN AAAPL1234C for the invoice please.", "AAAPL1234C"),
        ("TFN 997 008 758 was pasted in the chat.", "997 008 758"),
        ("My tax file number: 997008758", "997008758"),
        ("Steuer-ID 51 488 286 792 für die Quittung.", "51 488 286 792"),
        ("Ihre steuerliche Identifikationsnummer lautet 51488286792.", "51488286792"),
    ],
)
def test_more_national_ids_are_found(text: str, number: str) -> None:
    assert kinds(text) == [("national_id", number)]


@pytest.mark.parametrize(
    "text",
    [
        "Order 6779 3388 9727 has shipped.",  # a valid Aadhaar, but no word for one
        "Aadhaar 6779 3388 9728 uploaded.",  # the Verhoeff check digit is wrong
        "Code AAAPL1234C is back in stock.",  # a PAN shape without the word
        "PAN AAAXL1234C",  # X is no PAN holder type
        "Invoice 997 008 758 is paid.",  # a valid TFN, but no word for one
        "Steuer-ID 51 488 286 793",  # the check digit is wrong
        "Ticket X1234567 is open.",  # no check letter: no NIE
    ],
)
def test_lookalikes_of_the_new_national_ids_are_not(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "national_id"] == []


def test_the_new_national_ids_are_on_by_default_and_can_be_narrowed() -> None:
    from brandrail.policy.sections.privacy import SUPPORTED_NATIONAL_IDS, PrivacySection

    assert PrivacySection().national_ids == list(SUPPORTED_NATIONAL_IDS)
    only_ssn = content_policy({"privacy": {"national_ids": ["us.ssn"]}})
    assert kinds("TFN 997 008 758", only_ssn) == []


# -- dates of birth and passports in the words people use -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("my bday is 07/04/1996 can i still get the coupon?", "07/04/1996"),
        ("Her birthday is 2 June 1961, she wants the over-60s deal.", "2 June 1961"),
        ("Geboortedatum 30-01-1975, klantnummer 5512.", "30-01-1975"),
        ("Ich bin geboren am 23.04.1988 in Köln.", "23.04.1988"),
        ("Client né le 12/09/1990 à Lyon.", "12/09/1990"),
        ("Cliente nacida el 05/11/1983 en Sevilla.", "05/11/1983"),
        ("My son's birthday is 3 March 2022.", "3 March 2022"),
    ],
)
def test_more_words_for_a_date_of_birth(text: str, date: str) -> None:
    assert kinds(text) == [("date_of_birth", date)]


@pytest.mark.parametrize(
    "text",
    [
        "Happy birthday! Your treat expires 12/03/2027.",  # a future date
        "Our birthday: 1 June 1998, and you get the cake.",  # the shop's birthday
        "The store's birthday is 3 May 2010.",
        "Birthday sale on 12 March 2025 was a hit.",  # a date in the same sentence, no person's
        "Your birthday reward was sent on 3 March 2025.",
    ],
)
def test_a_birthday_of_a_thing_or_in_the_future_is_no_date_of_birth(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "date_of_birth"] == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Reisepassnummer C01X00T47 für die Buchung.", "C01X00T47"),
        ("Numéro de passeport 12AB34567 svp.", "12AB34567"),
        ("Pasaporte nº AAB123456 en la reserva.", "AAB123456"),
        ("Paspoortnummer NW8K12345 klopt.", "NW8K12345"),
    ],
)
def test_passport_words_of_other_languages(text: str, number: str) -> None:
    assert ("passport", number) in kinds(text)


@pytest.mark.parametrize(
    "text", ["Passcode 123456 for the locker.", "Boarding pass number 123456789 at gate 4."]
)
def test_other_passes_are_no_passports(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "passport"] == []


# -- marks, full-width forms and lost spaces do not hide personal data; redaction stays valid -----------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Write to jose\u0301@example.com now", "email", "jose\u0301@example.com"),  # decomposed (NFD) é
        ("Write to jo@exa\u0308mple.de now", "email", "jo@exa\u0308mple.de"),
        (
            "Write to jo@example.com\u0301 now",
            "email",
            "jo@example.com\u0301",
        ),  # the mark goes with its letter
        ("Call 0\u03017911 123456 now", "phone", "0\u03017911 123456"),
        (
            "Write to \uff4a\uff4f\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d now",
            "email",
            None,
        ),
        ("Mail: jo@example.com07911 123456", "phone", "07911 123456"),  # the space between them was lost
        ("Mail: jo@example.com07911 123456", "email", "jo@example.com"),
    ],
)
def test_marks_full_width_forms_and_lost_spaces_do_not_hide_it(
    text: str, kind: str, value: str | None
) -> None:
    hits = [h for h in find_pii(Document(text), ALL) if h.kind == kind]
    assert len(hits) == 1
    assert text[hits[0].start : hits[0].end] == hits[0].value
    if value is not None:
        assert hits[0].value == value
    else:
        assert hits[0].value == text.removeprefix("Write to ").removesuffix(" now")


def test_a_value_written_two_ways_hashes_to_one_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRANDRAIL_PII_SALT", "pepper")
    policy = content_policy({"privacy": {"redaction": "hash"}})
    forms = {
        "email": [
            "jo@example.com",
            "JO@Example.com",
            "jo@examp\u200ble.com",
            "\uff4a\uff4f\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d",
        ],
        "phone": [
            "07911 123456",
            "07911-123456",
            "\uff10\uff17\uff19\uff11\uff11 \uff11\uff12\uff13\uff14\uff15\uff16",
            # the same number in international forms: one token, its E.164 (the default regions read GB first)
            "+44 7911 123456",
            "+44 (0)7911 123456",
            "0044 7911 123456",
        ],
    }
    for kind, values in forms.items():
        tokens = set()
        for v in values:
            (hit,) = [h for h in find_pii(Document(f"Reach {v} today"), policy) if h.kind == kind]
            tokens.add(redaction(hit, policy))
        assert len(tokens) == 1, (kind, tokens)
    # a decomposed and a composed é are one address; "jose" is another
    one = {
        redaction(find_pii(Document(f"to {v} now"), policy)[0], policy)
        for v in ("jos\u00e9@x.org", "jose\u0301@x.org")
    }
    assert len(one) == 1 and redaction(find_pii(Document("to jose@x.org now"), policy)[0], policy) not in one


def test_phone_tokens_are_e164_in_the_policys_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A national number is read in the policy's first region that makes it valid: the same digits are one
    person's number in the US policy and another person's in the GB one, and a US number written nationally
    and internationally is one token."""
    monkeypatch.setenv("BRANDRAIL_PII_SALT", "pepper")

    def token(text: str, regions: list[str]) -> str:
        policy = content_policy({"privacy": {"redaction": "hash", "phone_regions": regions}})
        (hit,) = [h for h in find_pii(Document(f"Call {text} today"), policy) if h.kind == "phone"]
        return redaction(hit, policy)

    us = {token(v, ["US"]) for v in ("(415) 555-2671", "415-555-2671", "+1 415 555 2671", "+14155552671")}
    assert len(us) == 1
    # with GB first, the +1 number is still the US one; a GB number keeps its own token
    assert token("+1 415 555 2671", ["GB", "US"]) in us
    assert token("020 7946 0018", ["GB"]) == token("+44 20 7946 0018", ["US", "GB"])
    assert token("020 7946 0018", ["GB"]) not in us


_DECOR = ["\u200b", "\u0301", "👍🏽", "👩\u200d👩\u200d👧", "\u00ad", " ", "é", "ﬁ", "\ufeff"]
_DATA = [
    "07911 123456",
    "jo@example.com",
    "4111 1111 1111 1111",
    "GB29 NWBK 6016 1331 9268 19",
    "81.2.69.160",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_DECOR), st.sampled_from(_DATA)), min_size=1, max_size=5),
    st.sampled_from(["mask", "placeholder", "hash"]),
)
def test_redaction_fixes_never_overlap_and_leave_no_personal_data(
    pieces: list[tuple[str, str]], mode: str
) -> None:
    from brandrail.content.fix import apply_fixes

    text = "Note: " + " ".join(f"{decor}{value}{decor} x" for decor, value in pieces)
    policy = content_policy({"privacy": {"redaction": mode, "phone_regions": ["GB"]}})
    found = [f for f in check_text(text, policy).findings if f.code.startswith("PV")]
    spans = sorted((f.span.start, f.span.end) for f in found if f.span is not None)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), spans
    fixed, _applied, skipped = apply_fixes(text, found)
    assert skipped == [] or all(not f.code.startswith("PV") for f in skipped)
    fixed.encode("utf-8")  # valid text: no lone surrogate, nothing cut in half
    assert [f.match for f in check_text(fixed, policy).findings if f.code.startswith("PV")] == []


# -- a number next to other numbers is still found --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "card"),
    [
        ("Card 4111 1111 1111 1111 12/28 cvv 123", "4111 1111 1111 1111"),  # the expiry date after it
        ("Card 4914585630740774 12/28", "4914585630740774"),
        ("Card 4914 5856 3074 0774 11 28", "4914 5856 3074 0774"),
        ("Amex 3782 822463 10005 12/27", "3782 822463 10005"),
        ("Paid with 5180-7032-9488-8839 08-27.", "5180-7032-9488-8839"),
        ("Call 07911 123456 4111 1111 1111 1111 is my card", "4111 1111 1111 1111"),  # a number before it
    ],
)
def test_a_card_next_to_other_digits_is_found(text: str, card: str) -> None:
    assert ("card", card) in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Order 4111-1111-1111-1111-22 shipped.",
        "Ref 24111 1111 1111 1111 noted.",
        "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6",
    ],
)
def test_card_digits_inside_a_longer_code_are_no_card(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "card"] == []


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Note: 07911 123456 x 07464 839201 x", ["07911 123456", "07464 839201"]),  # "x" reads as "ext"
        ("Call 07911 123456 x 22 or 07464 839201", ["07911 123456", "07464 839201"]),
        ("IP 81.2.69.160 07911 123456", ["07911 123456"]),  # data taken before it
        ("07911 123456 81.2.69.160", ["07911 123456"]),  # and after it
        ("DOB 12.03.1985 07911 123456", ["07911 123456"]),
    ],
)
def test_a_phone_number_next_to_other_data_is_found(text: str, numbers: list[str]) -> None:
    assert [v for k, v in kinds(text) if k == "phone"] == numbers


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rückruf an Frau Keller bitte.", "Frau Keller"),
        ("Mme Dubois a appelé.", "Mme Dubois"),
        ("La Sra. García llamó.", "Sra. García"),
        ("Dhr. Jansen belde.", "Dhr. Jansen"),
        ("Herr Müller wartet.", "Herr Müller"),
    ],
)
def test_titles_of_other_languages_and_accented_names(text: str, name: str) -> None:
    assert kinds(text) == [("person_name", name)]


@pytest.mark.parametrize("text", ["Madame Tussauds is near.", "Ask our Sr. Sales Manager."])
def test_names_of_places_and_job_titles_are_no_titles(text: str) -> None:
    assert kinds(text) == []


# -- a number labelled as a record's identifier is no phone number in content -----------------------------

LOCAL = content_policy({"privacy": {"phone_regions": ["US", "GB", "DE", "NL", "ES"]}})


@pytest.mark.parametrize(
    "text",
    [
        "Envío gratuito. Pedido nº 2026-118273.",
        "Company no. 04192837, VAT GB 123 4567 89.",
        "Order #2026118273 has shipped.",
        "Invoice number: 2026118273 is attached.",
        "Ihre Bestellnummer 0301234567 ist unterwegs.",
    ],
)
def test_labelled_identifiers_are_not_phone_numbers(text: str) -> None:
    assert [k for k, _ in kinds(text, LOCAL) if k == "phone"] == []
    # the gate's ledger masks them all the same (every_kind): over-masking costs nothing there
    hits = find_pii(Document(text), LOCAL, every_kind=True)
    assert [h.kind for h in hits if h.kind == "phone"] == ["phone"]


@pytest.mark.parametrize(
    "text",
    ["Call our order line on 0161 496 0753.", "Order by phone: 07911 123456.", "Orders: call 07911 123456"],
)
def test_a_label_further_back_does_not_hide_a_phone_number(text: str) -> None:
    assert [k for k, _ in kinds(text, LOCAL)] == ["phone"]


# -- an outline number is no IP address: four small dotted numbers need a network around them -----------


@pytest.mark.parametrize(
    "text",
    [
        "The details are in 4.3.1.5 of the handbook.",
        "As explained under 2.1.4.3, refunds take five days.",
        "Steps 1.1.2.4 to 1.1.2.9 cover the set-up.",
        "Our care guide (part 3.2.7.1) says to rinse with cool water.",
        "Rule 12.4.2.1 of the club: members only.",
        "Read 5.10.2.3 before you order.",
    ],
)
def test_outline_numbers_are_not_ip_addresses(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "ip"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Our server at 4.3.1.5 was down.",
        "Please ping 8.8.4.4 and tell us what you see.",
        "The kiosk connected from 10.2.3.4 twice.",
        "Open 10.0.0.5:8080 in the browser.",
        "The block 10.20.0.0/16 is ours.",
        "Unknown login, origin 5.6.7.8.",
        "Seen at 95.4.12.201 on Tuesday.",
    ],
)
def test_dotted_quads_in_a_network_context_are_ip_addresses(text: str) -> None:
    assert [k for k, _ in kinds(text)] == ["ip"]
