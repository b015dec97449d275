"""The classes heldout3.yaml found open, read in general: protected attributes, groups and special categories
named in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic (words of any
script are words); joiners inside a camelCase name; plural proxy names; minors named by a school stage or a
graduating class; conditions named by a device or a fellowship, unions by their name, faiths by an
observance or an emoji; offers declared transactional in those languages or as an English coupon; profiling
phrases in those languages; a negative zero or an over-long JSON number as money. Each has look-alikes,
which stay allowed. The words here are not the held-out set's nor fresh9's."""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import action, audience, crit, spend

from brandrail.gate.audience import name_words, sensitive_value
from brandrail.gate.personalisation import personal_signals
from brandrail.gate.rules import marketing_reason
from brandrail.policy import policy_from_dict

SENSITIVE = ["health", "ethnicity", "religion", "sexual_orientation", "political", "union"]
PROTECTED = ["age", "gender", "sex", "race", "ethnicity", "religion", "disability", "nationality"]
FAIR = {
    "protected_attributes": PROTECTED,
    "audience": {"protected_targeting": "deny", "protected_campaigns": ["jobs-*", "housing-*"]},
}


# -- words of every script -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "ηλικία_πελάτη",
            ["nλikia", "πeλatn"],
        ),  # Greek letters that look Latin are read as Latin, both sides
        ("Medical\u200dHistory", ["medical", "history"]),
        ("Party\u2060Membership", ["party", "membership"]),
        ("sexual\ufe0fOrientation", ["sexual", "orientation"]),
    ],
)
def test_words_of_any_script_are_words_and_joiners_hide_no_hump(name: str, words: list[str]) -> None:
    assert name_words(name) == words


def test_arabic_words_are_words() -> None:
    assert (
        name_words("فئة_العمر") == [*name_words("فئة"), *name_words("العمر")]
        and len(name_words("فئة_العمر")) == 2
    )


# -- minors (AG502) ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "criterion",
    [
        crit("wiek_klienta", 12, "le"),
        crit("yaş_aralığı", "12-15"),
        crit("åldersgrupp", "10-14"),
        crit("ikä", [12, 15], "between"),
        crit("ηλικία", 14, "lt"),
        crit("életkor", 16, "le"),
        crit("السن", 13, "lt"),
        crit("segment", "secondary school pupils"),
        crit("persona", "junior high athletes"),
        crit("description", "IGCSE candidates in Dubai"),
        crit("segment", "gyerekek"),
        crit("audience", "ανήλικοι"),
        crit("hedef_kitle", "çocuklar"),
        crit("class_of", 2033),
        crit("grad_year", 2029, "ge"),
    ],
)
def test_minors_named_in_more_languages_or_by_school_stage_are_denied(
    make_gate: Any, criterion: dict[str, Any]
) -> None:
    decision = make_gate({}).decide(audience(criterion))
    assert decision.outcome == "deny" and "AG502" in decision.codes, criterion


@pytest.mark.parametrize(
    "criterion",
    [
        crit("wiek", 18, "ge"),
        crit("yaş", [25, 40], "between"),
        crit("class_of", 2012),
        crit("graduation_year", 2020, "le"),
        crit("segment", "high school alumni network"),
        crit("segment", "parents of secondary school pupils"),
        crit("backpack_age_months", 6, "ge"),
        crit("kayak_age", 10, "le"),
        crit("interests", "alder wood smoking chips"),
    ],
)
def test_adults_and_things_ages_stay_allowed(make_gate: Any, criterion: dict[str, Any]) -> None:
    decision = make_gate({}).decide(audience(criterion))
    assert decision.outcome == "allow", (criterion, decision.codes)


# -- special categories (AG501) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "criterion",
    [
        crit("wyznanie_religijne", "prawosławni"),
        crit("inanç", "alevi"),
        crit("livssyn", "muslimer"),
        crit("uskontokunta", "ortodoksinen"),
        crit("felekezet", "református"),
        crit("θρησκεία", "καθολικοί"),
        crit("الديانة", "مسيحي"),
        crit("interests", ["hanukkah candles"]),
        crit("interests", ["suhoor meal prep"]),
        crit("interests", ["gamblers anonymous"]),
        crit("interests", ["ostomy supplies"]),
        crit("page_likes", "AFL-CIO"),
        crit("sendika", "DİSK"),
        crit("interests", ["\u262a\ufe0f"]),
        crit("Trade\u200bUnion\u200dMember", True),
        crit("interests", "transgender hiking club"),
    ],
)
def test_special_categories_in_more_languages_and_proxies_are_denied(
    make_gate: Any, criterion: dict[str, Any]
) -> None:
    decision = make_gate({"sensitive_categories": SENSITIVE}).decide(audience(criterion))
    assert decision.outcome == "deny" and "AG501" in decision.codes, criterion


@pytest.mark.parametrize(
    "criterion",
    [
        crit("interests", ["Christmas jumpers"]),
        crit("interests", ["hearing aids"]),
        crit("interests", ["team unity workshops"]),
        crit("interests", ["🌈 rainbow trout fishing"]),
        crit("interests", ["🏳️ capture the flag"]),
        crit("interests", ["insulated boots"]),
        crit("interests", ["ale tasting"]),
        crit("dinner_club", True),
    ],
)
def test_look_alikes_of_those_categories_are_allowed(make_gate: Any, criterion: dict[str, Any]) -> None:
    decision = make_gate({"sensitive_categories": SENSITIVE}).decide(audience(criterion))
    assert decision.outcome == "allow", (criterion, decision.codes)


def test_an_emoji_is_read_without_its_variation_selector() -> None:
    assert sensitive_value(["\U0001f3f3\u200d\U0001f308"], ["sexual_orientation"]) is not None
    assert sensitive_value(["\U0001f3f3\ufe0f\u200d\U0001f308"], ["sexual_orientation"]) is not None
    assert sensitive_value(["\U0001f3f3\ufe0f"], SENSITIVE) is None


# -- protected targeting (AG506) and price segments (AG206) --------------------------------------------------


@pytest.mark.parametrize(
    "criterion",
    [
        crit("stan_cywilny", "wolny"),
        crit("medeni_hal", "bekar"),
        crit("civilstånd", "gift"),
        crit("anyanyelv", "román"),
        crit("sprog", "arabisk"),
        crit("kerület", "VIII"),
        crit("bydel", "Grorud"),
        crit("obywatelstwo", "ukraińskie"),
        crit("vatandaşlık", "Suriye"),
        crit("kjønn", "kvinne"),
        crit("spoken_languages", "Somali"),
        crit("surnames", "Nguyen"),
        crit("school_district", "Eastside"),
    ],
)
def test_protected_attributes_and_proxies_in_more_languages_are_denied_where_forbidden(
    make_gate: Any, criterion: dict[str, Any]
) -> None:
    decision = make_gate(FAIR).decide(audience(criterion, campaign="jobs-oslo"))
    assert decision.outcome == "deny" and "AG506" in decision.codes, criterion


@pytest.mark.parametrize(
    "criterion",
    [crit("certyfikaty", "wózek widłowy"), crit("interests", "climbing"), crit("languages_spoken", "Somali")],
)
def test_those_criteria_outside_the_protected_campaigns_or_ordinary_ones_are_allowed(
    make_gate: Any, criterion: dict[str, Any]
) -> None:
    campaign = "winter" if criterion["attribute"] == "languages_spoken" else "jobs-oslo"
    decision = make_gate(FAIR).decide(audience(criterion, campaign=campaign))
    assert decision.outcome == "allow", (criterion, decision.codes)


@pytest.mark.parametrize(
    "segment",
    [
        {"płeć": "mężczyźni"},
        {"gruppe": "pensjonister"},
        {"ryhmä": "naiset"},
        {"ομάδα": "συνταξιούχοι"},
        {"csoport": "nők"},
        {"الفئة": "المتقاعدين"},
        {"uyruk": "Alman"},
        {"tiers": [{"kundgruppe": "pensionister"}]},
        {"celebrates": ["Rosh Hashana"]},
    ],
)
def test_a_price_for_a_group_in_more_languages_is_refused(make_gate: Any, segment: dict[str, Any]) -> None:
    gate = make_gate({"protected_attributes": PROTECTED})
    decision = gate.decide(action("set_discount", item="boots", discount=10, price="140", segment=segment))
    assert decision.outcome == "deny" and "AG206" in decision.codes, segment


@pytest.mark.parametrize(
    "segment",
    [
        {"rozmiar": "M"},
        {"mağaza": "Kadıköy"},
        {"kanal": "app"},
        {"κατηγορία": "μπότες"},
        {"ügyfélklub": "arany"},
    ],
)
def test_a_price_for_an_ordinary_segment_in_those_languages_is_allowed(
    make_gate: Any, segment: dict[str, Any]
) -> None:
    gate = make_gate({"protected_attributes": PROTECTED})
    decision = gate.decide(action("set_discount", item="boots", discount=10, price="140", segment=segment))
    assert decision.outcome == "allow", (segment, decision.codes)


# -- offers declared transactional (AG405) -----------------------------------------------------------------


def _policy() -> Any:
    return policy_from_dict({"gate": {"content_checks": False}})


@pytest.mark.parametrize(
    "text",
    [
        "Bu hafta sonu tüm çadırlarda indirimde!",
        "Ma minden sátor kedvezményes áron.",
        "Hétvégi leárazás a boltban.",
        "Όλα τα σακίδια σε έκπτωση αυτή την εβδομάδα.",
        "احصل على كوبون للطلب القادم",
        "الآن بخصم على الأحذية",
        "Talvitakit nyt alennuksella.",
        "Apply discount code FROST at the till.",
        "Enter the code THAW during checkout.",
        "Twenty pounds off every tent this week.",
    ],
)
def test_offers_in_more_languages_and_english_coupons_are_marketing(text: str) -> None:
    assert marketing_reason(_policy(), text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "Siparişiniz yola çıktı.",
        "A rendelését feladtuk.",
        "Η επιστροφή χρημάτων ολοκληρώθηκε.",
        "تم استلام طلبك",
        "Tilauksesi on vahvistettu.",
        "Enter the code 551902 to confirm your email.",
        "We refunded 12 pounds to your card.",
        "Thanks for ordering the pale ale gift box.",
    ],
)
def test_service_mail_in_those_languages_is_not_marketing(text: str) -> None:
    assert marketing_reason(_policy(), text) is None, text


# -- profiling phrases (AG406) -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Na podstawie Twoich zakupów przygotowaliśmy listę.",
        "Tercihlerinize göre yeni ürünler.",
        "Rekommenderat för dig i vinter.",
        "Anbefalt for deg denne uken.",
        "Udvalgt til dig af vores team.",
        "Selailusi perusteella löysimme nämä.",
        "Επιλεγμένα για εσάς από την ομάδα μας.",
        "Érdeklődése alapján küldjük ezt.",
        "بناء على اهتماماتك نقترح هذه المنتجات",
    ],
)
def test_profiling_in_more_languages_is_a_signal(text: str) -> None:
    signals = personal_signals(_policy(), None, [("content", text)], lambda: False)
    assert [s.kind for s in signals] == ["profiling"], text


@pytest.mark.parametrize(
    "text",
    ["Nowa kolekcja już w sklepach.", "Yeni sezon mağazalarda.", "Τα νέα προϊόντα έφτασαν.", "وصلت التشكيلة"],
)
def test_generic_news_in_those_languages_is_not_profiling(text: str) -> None:
    assert personal_signals(_policy(), None, [("content", text)], lambda: False) == []


# -- money: a negative zero, a number with more digits than a float holds (AG001) ---------------------------


@pytest.mark.parametrize("amount", ["-0", "-0.00", "-00.0"])
def test_a_negative_zero_amount_is_malformed(make_gate: Any, amount: str) -> None:
    decision = make_gate({}).decide(spend(amount))
    assert decision.outcome == "deny" and decision.codes == ["AG001"], amount
    assert "amount" in decision.findings[0].message and "signs" in decision.findings[0].message


def test_a_json_number_with_more_digits_than_a_float_holds_is_malformed(make_gate: Any) -> None:
    text = (
        '{"kind": "spend", "id": "x1", "agent": "ads-bot", "time": "2026-05-04T10:00:00+00:00", '
        '"campaign": "spring", "amount": 120.0000000000000001}'
    )
    decision = make_gate({}).decide(text)
    assert decision.outcome == "deny" and decision.codes == ["AG001"]
    plain = text.replace("120.0000000000000001", "120.5").replace('"x1"', '"x2"')
    assert make_gate({}).decide(plain).outcome == "allow"
    assert make_gate({}).decide(spend("0")).outcome == "allow"


# -- cost ----------------------------------------------------------------------------------------------------


def test_a_megabyte_of_near_misses_is_read_to_its_end() -> None:
    """A megabyte of near misses for every new reader (stems cut short, codes with no checkout, joiners
    between letters) with the real thing at its very end: each reader must get there (the CPU time it takes
    is in the report, not asserted)."""
    near = "kedvezm " + "use code X at " + "\u200da\u200db " + "hanukka " + "ηλικι "
    hostile = near * (1_000_000 // len(near))
    assert marketing_reason(_policy(), hostile) is None
    assert marketing_reason(_policy(), hostile + "use code SNOW at checkout") is not None
    assert len(name_words(hostile)) == 8 * (1_000_000 // len(near))
    assert sensitive_value([hostile], SENSITIVE) is None
    assert sensitive_value([hostile + " hanukkah"], SENSITIVE) is not None
