"""Classes of miss heldout5 showed, tested on cases written for this file (not the set's rows): splits said
in other languages, currency codes compared exactly, orientation acronyms, special categories keyed inside
an object value, the accented Italian "età", Generation Alpha, children's product lines in the possessive,
protected keys in Vietnamese, Indonesian, Thai and Hebrew, and profiling phrases in capitalised Greek."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from brandrail.gate.audience import (
    minors_named,
    protected_attribute,
    protected_value,
    sensitive_value,
)
from brandrail.gate.personalisation import _SCRIPT_PROFILING, PROFILING_PHRASES
from brandrail.gate.splits import stated_split

CATS = ["health", "ethnicity", "religion", "sexual_orientation", "political", "union"]
ATTRS = ["age", "gender", "sex", "race", "ethnicity", "religion", "disability", "nationality"]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Abschlag 1 von 2, Gesamtbetrag 1.100,00", "240"),
        ("échéance 2 sur 2 — montant total 560", "250"),
        ("segunda cuota del alquiler (total 600,00)", "240"),
        ("gesplittet, um die Freigabe zu umgehen", "200"),
        ("fractionné pour rester sous le seuil", "200"),
        ("frazionato per evitare l'approvazione", "200"),
        ("dividido para não precisar de aprovação", "200"),
        ("termijn 2 van 3", "200"),
    ],
)
def test_a_split_said_in_another_language_is_read(text: str, amount: str) -> None:
    assert stated_split(text, Decimal(amount), Decimal("250")) is not None


@pytest.mark.parametrize(
    "text",
    [
        "Rate 7 von 12 für die Jahreslizenz",
        "Anzeige 2 von 3 der Serie",
        "acompte 1 sur 2 (total 240,00)",
        "coût divisé entre deux équipes, validation reçue le 3 mars",
        "Kampagne gesamt 9000, heute Flyer",
    ],
)
def test_schedules_creatives_and_small_wholes_are_no_split(text: str) -> None:
    assert stated_split(text, Decimal("200"), Decimal("250")) is None


@pytest.mark.parametrize("value", ["LGBTQIA+ walkers", "LGBTI+ network", "glbt readers", "LHBTI-Community"])
def test_orientation_acronyms_with_any_extension(value: str) -> None:
    assert (
        sensitive_value(value, CATS) is not None and sensitive_value(value, CATS)[0] == "sexual_orientation"
    )  # type: ignore[index]


def test_a_category_key_inside_an_object_value_is_read() -> None:
    assert sensitive_value({"where": {"ethnicity": ["x"]}}, CATS) == ("ethnicity", "ethnicity")
    assert sensitive_value({"where": {"region": ["Leeds"], "interest": "kayak"}}, CATS) is None


@pytest.mark.parametrize("value", ["Diwali lights shoppers", "keeps kosher", "halal diet", "Navratri events"])
def test_observances_and_religious_diets_name_religion(value: str) -> None:
    assert sensitive_value(value, CATS) == ("religion", sensitive_value(value, CATS)[1])  # type: ignore[index]


@pytest.mark.parametrize("value", ["Christmas market visitors", "Easter egg hunters", "vegan recipes"])
def test_mass_holidays_and_other_diets_do_not(value: str) -> None:
    assert sensitive_value(value, CATS) is None


def test_generation_alpha_and_possessive_product_lines() -> None:
    assert minors_named("Generation Alpha skaters", 18) is not None
    assert minors_named("gen-alpha viewers", 18) is not None
    assert minors_named("parents of Gen Alpha", 18) is None
    assert minors_named("kids' rain boots buyers", 18) is None
    assert minors_named("children\u2019s tents shoppers", 18) is None
    assert minors_named("kids' climbing club", 18) is not None


@pytest.mark.parametrize(
    ("key", "attr"),
    [("giới tính", "gender"), ("jenis_kelamin", "gender"), ("umur", "age"), ("אזרחות", "nationality"),
     ("ศาสนา", "religion"), ("quốc tịch", "nationality")],
)  # fmt: skip
def test_protected_keys_in_vietnamese_indonesian_thai_hebrew(key: str, attr: str) -> None:
    assert protected_attribute(key, ATTRS) == attr


def test_protected_groups_in_those_languages_and_a_plain_region() -> None:
    assert protected_value("wanita karier", ATTRS) is not None
    assert protected_value("קשישים", ATTRS) is not None
    assert protected_attribute("wilayah", ATTRS) is None


def test_the_accented_italian_eta_is_age_but_eta_days_is_not() -> None:
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from brandrail.gate.audience import age_bounds

    now = datetime(2027, 1, 1, tzinfo=UTC)
    assert age_bounds([SimpleNamespace(attribute="ETÀ_utente", op="lt", value=21)], now).reaches_under(18)
    assert not age_bounds([SimpleNamespace(attribute="eta_days", op="lt", value=3)], now).bounded


def test_the_hindi_age_word_is_read_with_its_vowel_sign_and_income_and_ayurveda_are_not_age() -> None:
    """The Hindi "आयु" (age) folds to "आय" (income) once its vowel sign is dropped: it is read as written."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from brandrail.gate.audience import age_bounds

    now = datetime(2027, 1, 1, tzinfo=UTC)
    for attribute in ("आयु", "ग्राहक_आयु", "आयु वर्ग"):
        assert age_bounds([SimpleNamespace(attribute=attribute, op="lt", value=16)], now).reaches_under(18)
    for attribute in ("आय", "मासिक आय", "आयुर्वेद"):
        assert not age_bounds([SimpleNamespace(attribute=attribute, op="lt", value=16)], now).bounded


@pytest.mark.parametrize(
    "text",
    ["ΜΕ ΒΑΣΗ ΤΙΣ ΠΡΟΤΙΜΗΣΕΙΣ ΣΑΣ", "Σύμφωνα με τις παραγγελίες σας", "Dựa trên sở thích của bạn",
     "לפי ההזמנות שלך", "แนะนำสำหรับคุณ"],
)  # fmt: skip
def test_profiling_phrases_in_greek_any_case_and_three_more_scripts(text: str) -> None:
    assert _SCRIPT_PROFILING.search(unicodedata.normalize("NFKC", text).lower()) is not None


def test_indonesian_profiling_phrases_are_listed() -> None:
    assert "berdasarkan pembelian anda" in PROFILING_PHRASES


@pytest.mark.parametrize(
    "text",
    [
        "Pesanan sudah dikirim. Pakai kode promo HEMAT untuk belanja berikutnya.",
        "Đơn hàng đã giao. Ưu đãi đặc biệt: mua ngay hôm nay!",
        "המשלוח יצא. קוד הנחה לקנייה הבאה: SUMMER",
        "จัดส่งแล้ว โปรโมชั่นพิเศษสำหรับเดือนนี้",
        "発送しました。クーポン配布中、今すぐ購入！",
    ],
)
def test_offers_in_indonesian_vietnamese_hebrew_thai_and_a_live_coupon(text: str) -> None:
    from brandrail import load_policy
    from brandrail.gate.rules import marketing_reason

    assert marketing_reason(load_policy("examples/gate/policy.yaml"), text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "Pesanan Anda akan tiba besok.",
        "Đơn hàng của bạn đang được chuẩn bị.",
        "ההנחה שלנו היא שהמשלוח יגיע מחר.",
        "พัสดุของคุณจะถึงพรุ่งนี้",
        "领取成功：优惠券已抵扣 15元，实付 85元。",
    ],
)
def test_service_mail_in_those_languages_and_an_applied_coupon_are_no_offer(text: str) -> None:
    from brandrail import load_policy
    from brandrail.gate.rules import marketing_reason

    assert marketing_reason(load_policy("examples/gate/policy.yaml"), text) is None


@pytest.mark.parametrize(
    ("text", "profiling"),
    [
        ("You have tracked 52 hikes with us this year, so here is a badge.", True),
        ("A cyclist who rode 300 miles last month deserves new gloves.", True),
        ("Thanks to your 4 bookings this season, you've reached Gold.", True),
        ("Ride 300 miles of quiet lanes with our route guide.", False),
        ("As someone who enjoys long walks, you'll like these socks.", False),
        ("Your 2 orders have shipped.", False),
    ],
)
def test_profiling_in_free_words(text: str, profiling: bool) -> None:
    from brandrail.gate.personalisation import _FREE_PROFILING

    assert (_FREE_PROFILING.search(text) is not None) is profiling
