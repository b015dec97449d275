"""The ledger copy of an action masks every kind of personal data, whatever privacy.detect lists."""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action

from brandrail.gate.masking import TextMasker, mask_text
from brandrail.policy import policy_from_dict
from brandrail.policy.sections.gate import MaskingPolicy

#: One message per kind, with the value that must not reach the ledger (never a short
#: run of digits: the entry holds random hex ids, which match a four-digit run about once in 300 runs).
KINDS = [
    ("email", "write to jo [at] example [dot] com", "example"),
    ("email", "reach me: harriet(at)protonmail.com", "protonmail"),
    ("person_name", "Ship it to Mrs Eleanor Whitfield please", "Whitfield"),
    ("passport", "Passport number 533401879 is on file", "533401879"),
    ("date_of_birth", "DOB: 1985-06-12", "1985-06"),
    ("mac_address", "router 3c:22:fb:91:0a:7e drops out", "3c:22"),
    ("crypto_wallet", "pay 1BoatSLRHtKNngkdXEeobR76b53LETtpyT now", "1Boat"),
    ("bank_account", "sort code 20-45-77 account 63019844", "63019844"),
    ("national_id", "NI no. JG 10 37 59 A", "JG 10"),
    ("driving_licence", "Driving licence WHITF758214EL9AB", "WHITF"),
    ("card", "card 4914 5856 3074 0774", "4914 5856"),
    ("iban", "IBAN GB29 NWBK 6016 1331 9268 19", "NWBK"),
    ("ip", "seen from 81.2.69.160", "81.2.69"),
    # the recognisers of the fresh international review (tests/data/privacy_fresh)
    ("national_id", "CPF 663.923.321-54 do cliente", "663.923"),
    ("national_id", "CURP PEGJ900215HJCRRN08 en la factura", "PEGJ900215"),
    ("national_id", "NRIC S8783128J on file", "S8783128J"),
    ("national_id", "AHV 756.9356.3272.90 im Formular", "9356.3272"),
    ("national_id", "PESEL 72051836958 w formularzu", "72051836958"),
    ("national_id", "NAS 546 881 970 du client", "546 881 970"),
    ("national_id", "ID number 8607145123083 on file", "8607145123083"),
    ("person_name", "お届け先は高橋 健一様です", "健一"),
    ("person_name", "M. Tremblay a rappelé", "Tremblay"),
    ("person_name", "Pani Katarzyna Zielińska zamówiła", "Zieli"),
    ("email", "escribe a pedro arroba hotmail punto com", "hotmail"),
    ("bank_account", "Depósito na conta 45821-7, obrigado", "45821"),
    # the review of postal addresses (tests/data/privacy_addresses) and its neighbours
    ("postal_address", "Ship it to 14 Rosewood Avenue, Leeds LS6 2QT", "Rosewood"),
    ("postal_address", "Lieferadresse: Hauptstraße 12, 10115 Berlin", "Hauptstra"),
    ("postal_address", "Leave it at 14 Birch Court please", "Birch"),
    ("postal_address", "wyślij na ul. Długa 12/4 proszę", "Długa"),  # fewer than four digits, no name
    ("postal_address", "Ship to The Old Vicarage, Water Lane, Bampton please", "Vicarage"),  # no digit
    ("postal_address", "send to 45 kings road brighton bn1 2ha thx", "kings road"),  # lower case
    ("bank_account", "CLABE 002180012345678906 para el reembolso", "0021800123"),
    ("date_of_birth", "Client né le 2 février 1988", "février"),
    ("person_name", "Customer Tanaka Hiroshi called", "Hiroshi"),
]


@pytest.mark.parametrize(("kind", "text", "secret"), KINDS)
@pytest.mark.parametrize("detect", [None, ["email"], []])
def test_the_ledger_masks_every_kind_whatever_detect_lists(
    make_gate: Any, kind: str, text: str, secret: str, detect: list[str] | None
) -> None:
    privacy: dict[str, Any] = {} if detect is None else {"detect": detect, "national_ids": ["us.ssn"]}
    gate = make_gate({"consent": {"require_opt_in": []}}, privacy=privacy)
    decision = gate.decide(action("reply_customer", conversation="k1", content=text))
    assert decision.outcome == "allow"
    payload = list(gate.store.ledger.entries())[-1].payload
    assert secret not in str(payload), (kind, payload["action"]["content"])
    assert f"[{kind}]" in payload["action"]["content"]


def test_text_masker_scans_text_without_digits_or_at_signs() -> None:
    """Names and dodged addresses hold no digit and no "@": the masker's quick test must not skip them."""
    full = policy_from_dict({})
    masker = TextMasker(MaskingPolicy(), full)
    for text in ("Hi Mrs Eleanor Whitfield", "mail jo [at] example [dot] com", "Dear Dr Kapoor"):
        assert masker(text) == mask_text(text, MaskingPolicy(), full) != text


def test_hash_tokens_of_lone_surrogates_do_not_crash() -> None:
    """Python strings from JSON may hold lone surrogates; a hash token of one is a token, not a crash."""
    from brandrail.gate.masking import _token

    token = _token("jo\ud800@example.com", "email", MaskingPolicy(mode="hash", salt="s\udcff"))
    assert token.startswith("hash:") and len(token) == 21


@pytest.mark.parametrize(
    "text",
    [
        "Rückruf an Frau Keller bitte",
        "Sra. García llamó",
        "Mme Dubois a appelé",
        "Dear Dr Kapoor",
        "Priya Shah asked",
        "Hi Mrs Eleanor Whitfield",
        "Zoë O'Neill-Brown and Sam",
        "M. Tremblay a rappelé",
        "la dott.ssa Esposito",
        "Chief Okafor paid",
        "Łukasz Wiśniewski zamówił",
        "高橋 健一様",
        "佐藤さんへ",
    ],
)
def test_the_quick_test_lets_through_every_text_with_a_name(text: str) -> None:
    """Whatever the name recogniser finds, the masker's quick test must not skip."""
    from brandrail.content.pii_more import find_person_names
    from brandrail.gate.masking import _worth_masking

    if list(find_person_names(text)):
        assert _worth_masking(text)
    assert _worth_masking(text) or not list(find_person_names(text))


def test_hash_mode_links_one_recipient_written_two_ways() -> None:
    """Hash pseudonyms are made from the canonical form: an audit finds every action sent to one address or
    number, however the agent wrote it; two different numbers stay two pseudonyms."""
    from brandrail.gate.masking import mask_action

    full = policy_from_dict({"gate": {"privacy": {"phone_region": "GB"}}})
    masking = MaskingPolicy(mode="hash", salt="pepper", fields=["recipient.email", "recipient.phone"])

    def masked(email: str, phone: str, content: str) -> dict[str, Any]:
        data = {"recipient": {"email": email, "phone": phone}, "content": content}
        return mask_action(data, masking, full)

    a = masked("Jo@Example.com", "07911 123456", "call 07911 123456 or mail Jo@Example.com")
    b = masked("jo@example.com", "+44 7911 123456", "call +44 7911 123456 or mail jo@example.com")
    assert a["recipient"] == b["recipient"]
    assert a["content"] == b["content"] and "7911" not in a["content"]
    c = masked("jo@example.com", "07911 123457", "call 07911 123457")
    assert c["recipient"]["phone"] != a["recipient"]["phone"]
    # without a policy the fallback recognisers hash the same canonical forms
    fallback = {mask_text(t, masking) for t in ("ring +1 415 555 2671", "ring (415) 555-2671")}
    assert len(fallback) == 1
