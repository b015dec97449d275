"""Issue 14 items 5, 9 and 10: personal-data classes (case ids, spaced digits, glued numbers), the new
recognisers with their validators, data spans that prose rules skip, SMS opt-out wordings and emoji counts."""

from __future__ import annotations

import pytest
from content_testlib import content_policy

from brandrail.content.common import data_spans
from brandrail.content.pii import find_pii
from brandrail.content.pii_more import eip55_valid, keccak256
from brandrail.engine import check_text
from brandrail.text.document import Document

POLICY = content_policy(
    {
        "channels": {
            "sms": {"kind": "sms", "max_caps_words": 0, "max_emoji": 2},
            "social": {"kind": "social", "max_caps_words": 0, "max_emoji": 2},
        },
        "privacy": {"phone_regions": ["GB", "US"]},
    }
)


def kinds(text: str, policy: object = POLICY) -> list[tuple[str, str]]:
    return [(h.kind, h.value) for h in find_pii(Document(text), policy)]  # type: ignore[arg-type]


def found(text: str, code: str, channel: str | None = None) -> list[str]:
    result = check_text(text, POLICY, channel=channel)
    return [text[f.span.start : f.span.end] if f.span else "" for f in result.findings if f.code == code]


# -- item 9: identifiers are not phone numbers, spaced digits are not cards, glued numbers are found -------


@pytest.mark.parametrize(
    "text",
    [
        "Your case id is PP-006-234-348-863.",
        "Ticket INC-0207-946-0958 is closed.",
        "SKU12345678901 is back in stock.",
        "Ref AB-020-7946-0958 noted.",
    ],
)
def test_identifiers_are_not_phone_numbers(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "phone"] == []


@pytest.mark.parametrize(
    "text", ["call09061701461 now", "CALL09061701461 to claim", "Tel:07911123456", "ring07911 123456 today"]
)
def test_numbers_glued_to_a_calling_word_are_phone_numbers(text: str) -> None:
    assert [k for k, _ in kinds(text)] == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "Pick 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 in the draw.",
        "Scores 41 11 11 11 11 11 11 11 tonight.",
        "Seats 4111-11-11-1111-1111 are free.",
    ],
)
def test_spaced_digits_are_not_card_numbers(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text", ["Card 4111 1111 1111 1111 on file", "Card 4111-1111-1111-1111", "Amex 3782 822463 10005"]
)
def test_cards_in_printed_groups_are_found(text: str) -> None:
    assert [k for k, _ in kinds(text)] == ["card"]


# -- item 10: new recognisers, validated -------------------------------------------------------------------


def test_keccak_matches_published_vectors() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert keccak256(b"abc").hex() == "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"


@pytest.mark.parametrize(
    "address",
    [  # the EIP-55 specification's test vectors
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ],
)
def test_eip55_vectors(address: str) -> None:
    assert eip55_valid(address)
    flipped = address[:-1] + (address[-1].swapcase() if address[-1].isalpha() else address[-1])
    broken = address[:3] + address[3].swapcase() + address[4:] if address[3].isalpha() else flipped
    assert not eip55_valid(broken)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Send to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq.", "crypto_wallet"),
        ("Send to 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy.", "crypto_wallet"),
        ("MAC 00-1A-2B-3C-4D-5E on the label.", "mac_address"),
        ("Passport number: 123456789.", "passport"),
        ("Driving licence no. 12345678 renewed.", "driving_licence"),
        ("Sort code 11-22-33 account 12345678.", "bank_account"),
        ("Acct no. 000123456789 closed.", "bank_account"),
    ],
)
def test_new_recognisers(text: str, kind: str) -> None:
    assert [k for k, _ in kinds(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Send to 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz.",  # Base58Check checksum broken
        "Send to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp.",  # Bech32 checksum broken
        "Colour #3C22FB, version 3.22.1, build 0a1b2c3d4e5f.",
        "Order 123456789 shipped; passports are not needed.",
        "Your 12345678 points expire; the account is fine.",
    ],
)
def test_new_recognisers_reject_lookalikes(text: str) -> None:
    assert kinds(text) == []


def test_person_names_are_opt_in() -> None:
    text = "Priya Shah asked about her order."
    assert kinds(text) == []
    opted = content_policy({"privacy": {"detect": ["person_name"]}})
    assert kinds(text, opted) == [("person_name", "Priya Shah")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a capitalised word before the first name used to take the first name with it
        ("Kontoinhaber Jonas Becker, bitte bestätigen.", "Jonas Becker"),
        ("Dear Customer Amara Okafor, your parcel is here.", "Amara Okafor"),
        ("Refund Approved Wanjiru Kamau", "Wanjiru Kamau"),
        # given names from West and East Africa, South and East Asia, Latin America
        ("Chinedu Okeke called about the invoice.", "Chinedu Okeke"),
        ("Ticket raised by Thabo Nkosi on Monday.", "Thabo Nkosi"),
        ("Delivered to Lakshmi Narayanan at the front desk.", "Lakshmi Narayanan"),
        ("Seoyeon Kim asked for a callback.", "Seoyeon Kim"),
        ("Please refund Ximena Castillo in full.", "Ximena Castillo"),
        ("Account holder: Minh Nguyen", "Minh Nguyen"),
    ],
)
def test_person_names_from_many_languages(text: str, name: str) -> None:
    opted = content_policy({"privacy": {"detect": ["person_name"]}})
    assert kinds(text, opted) == [("person_name", name)]


@pytest.mark.parametrize(
    "text",
    ["Try our Mai Tai Cocktail tonight.", "Weekend at Marina Bay Sands", "Fly to Saint Lucia Today"],
)
def test_given_names_that_are_also_places_or_words_are_left_out(text: str) -> None:
    opted = content_policy({"privacy": {"detect": ["person_name"]}})
    assert kinds(text, opted) == []


# -- item 5: data spans are not prose ------------------------------------------------------------------


def test_all_caps_skips_letters_inside_data() -> None:
    text = "Refund to GB82 WEST 1234 5698 7654 32 and licence MORGA753116SM9IJ."
    assert found(text, "BR406", channel="social") == []
    spans = data_spans(Document(text), POLICY.for_channel("social"))
    assert spans.overlapping(text.index("WEST"), text.index("WEST") + 4) == "iban"
    assert found("Refund to GB82 WEST 1234 5698 7654 32, HURRY.", "BR406", channel="social") == ["HURRY"]


# -- item 9: SMS opt-out wordings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tail",
    [
        "Unsubscribe with STOP.",
        "STOP to stop.",
        "Reply 'STOP' to cancel.",
        "To opt out, send stop to 81234.",
        "Opt out: STOP",
        "To unsubscribe text END to 81234.",
        "Text QUIT to quit.",
        "Respond with STOP to end messages.",
        "Send STOP to 81234 to opt out.",
        "Don't want these? Reply “stop”.",
        "To end these texts, reply stop.",
        "Reply with stop to leave the list.",
        "Unsubscribe: STOP",
        "Stop2stop",
        "txt STOP2 to 89070",
        "txtstop to 85555",
        "STOP to 87021",
        "Questions? 0800 123 4567. STOP txt",
        "stop txt to 87131",
    ],
)
def test_opt_out_wordings_are_accepted(tail: str) -> None:
    assert found(f"Fernhill: new boots are in. {tail}", "BR304", channel="sms") == [""] * 0


@pytest.mark.parametrize(
    "tail",
    [
        "Don't stop walking!",
        "Meet us at the bus stop.",
        "Offer ends Sunday.",
        "BIG SALE ENDS SOON",
        "Text us to stop by the store.",
        "Send us a photo before the end of May.",
        "The END of season sale is on.",
        "Our stop sms reminder went out.",
        "Bus stop 12345 is near the store.",
        "Please stop texting the store line.",
    ],
)
def test_stop_as_an_ordinary_word_is_not_an_opt_out(tail: str) -> None:
    assert len(found(f"Fernhill: new boots are in. {tail}", "BR304", channel="sms")) == 1


# -- item 9: one emoji finding per message -----------------------------------------------------------


def test_emoji_over_the_limit_is_one_finding_with_the_count() -> None:
    text = "Fernhill: 🎉 new 🎉 boots 🔥 are 🔥 in 🎉 now 👍. Reply STOP to opt out."
    result = check_text(text, POLICY, channel="sms")
    emoji = [f for f in result.findings if f.code == "BR407"]
    assert len(emoji) == 1
    assert emoji[0].evidence["measured"] == 6
    assert emoji[0].evidence["over"] == 4
    assert emoji[0].fix is not None and len(emoji[0].fix.edits) == 4


@pytest.mark.parametrize(
    ("address", "valid"),
    [  # BIP-350 test vectors, and the first one with its last character changed
        ("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297", True),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", True),
        ("BC1SW50QGDZ25J", True),
        ("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3298", False),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", False),  # v0 uses Bech32, not Bech32m
    ],
)
def test_bech32m_vectors(address: str, valid: bool) -> None:
    from brandrail.content.pii_more import bech32m_valid

    assert bech32m_valid(address) is valid


def test_context_identifiers_win_over_phone_numbers() -> None:
    assert kinds("Acct no. 4455667788 received the deposit.") == [("bank_account", "4455667788")]


def test_every_supported_national_id_has_a_recogniser_and_unknown_ones_are_errors() -> None:
    from brandrail.content.pii import NATIONAL_ID_PATTERNS
    from brandrail.errors import PolicyError
    from brandrail.policy import loads_policy
    from brandrail.policy.sections.privacy import SUPPORTED_NATIONAL_IDS, PrivacySection

    assert set(SUPPORTED_NATIONAL_IDS) == set(NATIONAL_ID_PATTERNS)
    assert set(PrivacySection().national_ids) <= set(SUPPORTED_NATIONAL_IDS)
    with pytest.raises(PolicyError) as err:
        loads_policy("version: 1\nprivacy:\n  national_ids: [us.ssn, ca.bn]\n", name="p.yaml")
    assert "p.yaml:3:" in str(err.value) and "ca.bn" in str(err.value)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Your National Insurance number is JM 12 34 56 C.", "JM 12 34 56 C"),
        ("NI no. AB123456D on the form", "AB123456D"),
        ("NINO:\nce 123456 a", "ce 123456 a"),
    ],
)
def test_uk_national_insurance_numbers_are_found_with_a_context_word(text: str, number: str) -> None:
    assert ("national_id", number) in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Product code AB123456C is back in stock.",  # no context word
        "NI number QQ123456C",  # QQ is HMRC's specimen prefix, never issued
        "NI number GB123456A",  # an unissued prefix pair
        "NI number DA123456A",  # D is never a first letter
        "NI number AO123456A",  # O is never a second letter
        "NI number AB123456E",  # the suffix is A-D
    ],
)
def test_invalid_or_unlabelled_national_insurance_numbers_are_not(text: str) -> None:
    assert not [k for k in kinds(text) if k[0] == "national_id"]


def test_opt_out_keyword_is_not_an_all_caps_word() -> None:
    assert found("Fernhill: new boots are in. Reply CANCEL to opt out.", "BR406", channel="sms") == []
    assert found("Fernhill: HUGE sale. Reply CANCEL to opt out.", "BR406", channel="sms") == ["HUGE"]


def test_a_context_word_counts_only_within_its_sentence_and_200_characters_back() -> None:
    number = "943 476 5919"  # a valid NHS number, which is reported only with a context word before it
    assert ("national_id", number) in kinds(f"Your NHS number is {number}.")
    assert ("national_id", number) not in kinds(f"Your NHS number is on file. Ref {number}.")
    filler = " ".join(["and then"] * 30)  # 269 characters, no sentence end
    assert ("national_id", number) not in kinds(f"Your NHS number {filler} {number}")


@pytest.mark.parametrize(
    "text",
    [
        "NHS number:\n943 476 5919",  # a label on the line above
        "Patient details\nNHS number:\n   943 476 5919\n",
        "NHS No. 943 476 5919",  # the dot of an abbreviation before the number
    ],
)
def test_a_label_line_or_an_abbreviation_keeps_the_context_word(text: str) -> None:
    assert ("national_id", "943 476 5919") in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "NHS number\n\nRef 943 476 5919",
        "See the NHS site.\n943 476 5919",
        "We use NHS data. Call 943 476 5919",
    ],
)
def test_a_real_sentence_or_line_end_still_ends_the_context(text: str) -> None:
    assert ("national_id", "943 476 5919") not in kinds(text)


def test_the_phone_budget_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    from brandrail.content import pii

    monkeypatch.setattr(pii, "PHONE_TRIES", 3)
    junk = " x ".join(["1234567 0000"] * 6)  # number-like sequences that are not valid numbers
    hits = [h for h in find_pii(Document(f"{junk} x 020 7946 0958"), POLICY) if h.kind == "phone"]  # type: ignore[arg-type]
    unvalidated = [h for h in hits if h.detail.startswith("not validated")]
    assert unvalidated, "with the budget spent, the rest is reported, not passed"
    assert all(h.value[0].isdigit() for h in unvalidated)
    assert hits[-1].value == "020 7946 0958"  # reported either way, never silently dropped
    # valid numbers do not spend the budget, and a short text never reaches it
    many = " ".join(["Call us on 020 7946 0958 today."] * 10)
    valid = [h for h in find_pii(Document(many), POLICY) if h.kind == "phone"]  # type: ignore[arg-type]
    assert len(valid) == 10 and all(h.detail.startswith("valid number") for h in valid)


def test_one_long_run_of_numbers_is_validated_up_to_the_budget_then_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from brandrail.content import pii

    monkeypatch.setattr(pii, "PHONE_TRIES", 5)
    text = "1234567890 " * 200
    hits = [h for h in find_pii(Document(text), POLICY) if h.kind == "phone"]  # type: ignore[arg-type]
    assert len(hits) == 1 and hits[0].detail.startswith("not validated") and hits[0].end == len(text.rstrip())


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Call Sam on 07911\u200b123456", "phone", "07911\u200b123456"),  # a zero-width space inside
        ("Call Sam on 0791\u00ad1 12\u20603456", "phone", "0791\u00ad1 12\u20603456"),  # soft hyphen, joiner
        ("Call Sam on \uff10\uff17\uff19\uff11\uff11 \uff11\uff12\uff13\uff14\uff15\uff16", "phone", None),
        ("Call Sam on \u0660\u0667\u0669\u0661\u0661 \u0661\u0662\u0663\u0664\u0665\u0666", "phone", None),
        ("Write to sam\u200b@example.com today", "email", "sam\u200b@example.com"),
        ("Write to \u0455am@example.com today", "email", "\u0455am@example.com"),  # a Cyrillic s
        ("Card 4111\u200b1111\u200b1111\u200b1111 on file", "card", "4111\u200b1111\u200b1111\u200b1111"),
    ],
)
def test_disguised_personal_data_is_found_at_its_original_characters(
    text: str, kind: str, value: str | None
) -> None:
    hits = [h for h in find_pii(Document(text), POLICY) if h.kind == kind]  # type: ignore[arg-type]
    assert len(hits) == 1
    hit = hits[0]
    assert text[hit.start : hit.end] == hit.value
    if value is not None:
        assert hit.value == value
    assert hit.end == len(text.split(" today", maxsplit=1)[0].split(" on file", maxsplit=1)[0])


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Write to jo [at] example [dot] com today", "jo [at] example [dot] com"),
        ("Write to jo(at)example(dot)co(dot)uk today", "jo(at)example(dot)co(dot)uk"),
        ("Write to Jo.Bloggs+news {AT} mail.example.org today", "Jo.Bloggs+news {AT} mail.example.org"),
        ("Write to jo <@> example.com today", "jo <@> example.com"),
        ("Write to jo @ example.com today", "jo @ example.com"),
        ("Write to olowoyey@ usc.edu today", "olowoyey@ usc.edu"),
        ("Write to jo (at) example dot com today", "jo (at) example dot com"),
        ("Write to jo [at] www.example.com today", "jo [at] www.example.com"),  # bracketed: no web address
    ],
)
def test_addresses_written_to_dodge_a_scraper_are_found_whole(text: str, address: str) -> None:
    assert kinds(text) == [("email", address)]
    result = check_text(text, content_policy({"privacy": {"redaction": "placeholder"}}))
    from brandrail.content.fix import apply_fixes

    fixed, _, _ = apply_fixes(text, result.findings)
    assert address not in fixed and "today" in fixed


@pytest.mark.parametrize(
    "text",
    [
        "Meet [at] noon. Tomorrow works too.",  # no domain
        "We are at (at) the store.",
        "Tag us @ fernhill on Instagram.",  # a handle, not an address
        "x (at) y and a @ b",
        "Reply to us at support [at] fernhill [dot] com",  # the policy's own domain is allowed
        "Write to jo at example dot com.",  # a plain "at" reads as prose: not taken for an address
        "Find us @ www.example.com today.",  # "at" a web address
        "Shop @ example.com/sale now.",  # a path: a web address
        "Shop @ EXAMPLE.COM/sale now.",
    ],
)
def test_brackets_and_spaced_at_signs_alone_are_no_address(text: str) -> None:
    policy = content_policy({"privacy": {"allow_domains": ["fernhill.com"]}})
    assert [k for k, _ in kinds(text, policy) if k == "email"] == []


def test_card_numbers_grouped_with_dots_are_found() -> None:
    assert kinds("Card 4111.1111.1111.1111 on file") == [("card", "4111.1111.1111.1111")]
    assert kinds("Version 4111.1111.1111.11111 shipped") == []  # not a card layout


@pytest.mark.parametrize(
    ("text", "found_ssn"),
    [
        ("SSN 536-22-8726", True),  # the printed form needs no context word
        ("My SSN is 536 22 8726.", True),
        ("social security: 536228726", True),
        ("Order 536228726 has shipped.", False),  # bare digits without an SSN context word
        ("Your passport number 533380006 is on file.", False),  # another ID's context word
        ("SSN 000-22-8726", False),  # never issued (area 000)
    ],
)
def test_us_social_security_numbers_spaced_or_unseparated_need_their_context_word(
    text: str, found_ssn: bool
) -> None:
    hits = [h for h in find_pii(Document(text), POLICY) if h.detail == "stdnum.us.ssn"]  # type: ignore[arg-type]
    assert bool(hits) is found_ssn, hits


@pytest.mark.parametrize(
    "address", ["jo@exämple.de", "josé@example.com", "пользователь@пример.рф", "李@例子.中国"]
)
def test_internationalised_addresses_are_addresses(address: str) -> None:
    assert kinds(f"Write to {address} today") == [("email", address)]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("We have your date of birth as 12/03/1985.", "12/03/1985"),
        ("DOB: 03/31/1985", "03/31/1985"),  # month first
        ("Born on 12 March 1985 in Leeds.", "12 March 1985"),
        ("born March 12th, 1985", "March 12th, 1985"),
        ("Date of birth: 1985-03-12", "1985-03-12"),
        ("Geburtsdatum 12.03.1985", "12.03.1985"),
        ("DOB 12.03.85", "12.03.85"),
    ],
)
def test_dates_of_birth_after_a_context_word(text: str, date: str) -> None:
    assert kinds(text) == [("date_of_birth", date)]


@pytest.mark.parametrize(
    "text",
    [
        "Your order of 12/03/2025 has shipped.",  # a date without a context word
        "Born in 1985, raised in Leeds.",  # a year alone
        "DOB 31/02/1990",  # no such day
        "DOB 12/03/2999",  # in the future
        "Born to run. The sale ends 12 March 2026.",  # the context word is in another sentence
        "Our shop was born on 3 May 2010 in Kendal.",  # a founding date, not a person's birthday
    ],
)
def test_other_dates_are_not_dates_of_birth(text: str) -> None:
    assert [k for k, _ in kinds(text) if k == "date_of_birth"] == []


def test_a_date_of_birth_is_masked_whole() -> None:
    policy = content_policy({"privacy": {"redaction": "mask"}})
    result = check_text("DOB 12/03/1985.", policy)
    from brandrail.content.fix import apply_fixes

    fixed, _, _ = apply_fixes("DOB 12/03/1985.", result.findings)
    assert fixed == "DOB ••/••/••••."


@pytest.mark.parametrize(
    "text",
    [
        "Fernhill was born on 1 April 1998 in a garage.",  # the brand's name
        "FERNHILL was born on 1 April 1998.",  # in any case
        "The Hillwalker Pack was born 12/03/2015.",  # a product
        "Peakdry™ was born on 2 June 2001.",  # a trademark
    ],
)
def test_the_brands_own_names_were_founded_not_born(text: str) -> None:
    policy = content_policy(
        {
            "brand": {
                "name": "Fernhill",
                "products": ["Hillwalker Pack"],
                "trademarks": [{"term": "Peakdry"}],
            }
        }
    )
    assert [k for k, _ in kinds(text, policy) if k == "date_of_birth"] == []


def test_a_person_named_like_part_of_the_brand_is_still_found() -> None:
    # "Fern" is no whole brand name: the date is a person's
    policy = content_policy({"brand": {"name": "Fernhill"}})
    assert kinds("Fern was born on 1 April 1998.", policy) == [("date_of_birth", "1 April 1998")]
