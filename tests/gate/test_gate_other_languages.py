"""The classes heldout2.yaml found open, read in general: protected attributes, special categories and age
groups named in the other languages the gate reads; offers marked transactional in more languages; "since
you viewed" in other languages; control characters in names; bidi controls inside links; comparison
operators spelled gte/lte. Each has its look-alikes, which stay allowed."""

from __future__ import annotations

import time
from typing import Any

import pytest
from gate_testlib import action, audience, crit, send, spend

from brandrail.engine import check_text
from brandrail.gate.actions import parse_action
from brandrail.gate.personalisation import personal_signals
from brandrail.gate.rules import marketing_reason
from brandrail.policy import policy_from_dict

SENSITIVE = ["health", "ethnicity", "religion", "sexual_orientation", "political", "union"]
FAIR = {"audience": {"protected_targeting": "deny", "protected_campaigns": ["jobs-*", "housing-*"]}}


# -- operators ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [("gte", "ge"), ("lte", "le"), (">=", "ge"), ("<=", "le"), ("<", "lt"), ("!=", "ne"), ("nin", "not_in")],
)
def test_other_spellings_of_an_operator_are_read_as_the_canonical_one(written: str, read: str) -> None:
    parsed = parse_action(audience(crit("age", 18, written)))
    assert parsed.criteria[0].op == read  # type: ignore[union-attr]


def test_an_unknown_operator_is_still_malformed(make_gate: Any) -> None:
    decision = make_gate({}).decide(audience(crit("age", 18, "approx")))
    assert decision.outcome == "deny" and decision.codes == ["AG001"]
    decision = make_gate({}).decide(audience(crit("age", 18, "GTE")))  # exactly as written: case counts
    assert decision.codes == ["AG001"]


def test_gte_and_lte_are_judged_like_ge_and_le(make_gate: Any) -> None:
    gate = make_gate({})
    assert gate.decide(audience(crit("age", 21, "gte"))).outcome == "allow"
    minors = gate.decide(audience(crit("age", 16, "lte")))
    assert minors.outcome == "deny" and "AG502" in minors.codes
    born = gate.decide(audience(crit("Geburtsjahr", 2012, "gte")))
    assert born.outcome == "deny" and "AG502" in born.codes


# -- control characters in names ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["autumn\x00", "aut\x1bumn", "\x7fautumn", "autumn\x85", "autumn\t"])
def test_a_campaign_with_a_control_character_is_malformed(make_gate: Any, name: str) -> None:
    decision = make_gate({}).decide(spend("100", campaign=name))
    assert decision.outcome == "deny" and decision.codes == ["AG001"]
    reason = decision.findings[0].message
    assert "spend.campaign" in reason and "control character U+" in reason and "remove it" in reason


def test_control_characters_are_refused_in_items_recipients_and_audience_campaigns(make_gate: Any) -> None:
    gate = make_gate({})
    price = action("set_price", item="tent-2p\x00", price="99.00")
    assert gate.decide(price).codes == ["AG001"]
    assert gate.decide(send(recipient={"id": "c1\x00"})).codes == ["AG001"]
    assert gate.decide(audience(crit("interests", "ski"), campaign="\x00jobs-x")).codes == ["AG001"]
    assert gate.decide(spend("100", campaign="autumn 2")).outcome == "allow"  # a space is no control


# -- protected attributes and groups in other languages (AG506, AG206) ------------------------------------


@pytest.mark.parametrize(
    "criterion",
    [
        crit("Alter", [25, 35], "between"),
        crit("Altersgruppe", "25-34"),
        crit("leeftijdsgroep", "18-29"),
        crit("fecha_de_nacimiento", "1990-01-01", "lt"),
        crit("idioma", "es"),
        crit("Muttersprache", "tuerkisch"),
        crit("lingua_parlata", "arabo"),
        crit("estado_civil", "casado"),
        crit("Familienstand", "ledig"),
        crit("family_status", "no_children"),
        crit("situation_familiale", "celibataire"),
        crit("segmento", "jubilados"),
        crit("gruppe", "Rentner"),
        crit("publico", "mujeres"),
    ],
)
def test_a_protected_attribute_or_proxy_in_another_language_is_denied_where_forbidden(
    make_gate: Any, criterion: dict[str, Any]
) -> None:
    decision = make_gate(FAIR).decide(audience(criterion, campaign="housing-madrid"))
    assert decision.outcome == "deny" and "AG506" in decision.codes, criterion


@pytest.mark.parametrize(
    "criterion",
    [
        crit("skills", "forklift licence"),
        crit("membership_years", 2, "gte"),
        crit("interests", "Langlauf"),
        crit("interessen", "Familienzelt"),
        crit("berufserfahrung_jahre", 2, "ge"),
        crit("age", 18, "gte"),
        crit("Geburtsjahr", 2007, "lte"),  # born 2007 or earlier (in 2026): only keeps minors out
    ],
)
def test_ordinary_criteria_stay_allowed_where_protected_targeting_is_forbidden(
    make_gate: Any, criterion: dict[str, Any]
) -> None:
    decision = make_gate(FAIR).decide(audience(criterion, campaign="jobs-leeds"))
    assert decision.outcome == "allow", (criterion, decision.codes)


@pytest.mark.parametrize("group", ["Rentner", "retraités", "pensionati", "aposentados", "mujeres", "Frauen"])
def test_a_price_for_a_group_named_in_another_language_is_refused(make_gate: Any, group: str) -> None:
    decision = make_gate({}).decide(
        action("set_discount", item="boots", discount=10, price="140", segment={"gruppe": group})
    )
    assert decision.outcome == "deny" and "AG206" in decision.codes, group


@pytest.mark.parametrize("group", ["Stammkunden", "membres fidélité", "clientes fieles", "app subscribers"])
def test_a_price_for_a_loyalty_group_in_another_language_is_allowed(make_gate: Any, group: str) -> None:
    decision = make_gate({}).decide(
        action("set_discount", item="boots", discount=10, price="140", segment={"gruppe": group})
    )
    assert decision.outcome == "allow", (group, decision.codes)


# -- special categories in other languages (AG501) -------------------------------------------------------


@pytest.mark.parametrize(
    "criterion",
    [
        crit("Religionszugehörigkeit", "katholisch"),
        crit("confession_religieuse", "protestante"),
        crit("gemeinde", "muslimisch"),
        crit("intereses", "comunidad de judíos"),
        crit("Gewerkschaftsmitglied", True),
        crit("segmento", "iscritti al sindacato"),
        crit("page_likes", "Labour Party"),
        crit("followed_pages", "Partido Socialista Obrero"),
        crit("interesses", "Partij voor de Vrijheid"),
        crit("lebensphase", "schwanger"),
        crit("politische_einstellung", "links"),
        crit("orientacion_sexual", "gay"),
    ],
)
def test_a_special_category_in_another_language_is_denied(make_gate: Any, criterion: dict[str, Any]) -> None:
    decision = make_gate({"sensitive_categories": SENSITIVE}).decide(audience(criterion))
    assert decision.outcome == "deny" and "AG501" in decision.codes, criterion


@pytest.mark.parametrize(
    "criterion",
    [
        crit("interests", "birthday party supplies"),
        crit("interests", "Independence Day party"),
        crit("interests", "pirate party"),
        crit("interests", "Gartenparty"),
        crit("interests", "choral music"),
        crit("golf_handicap", 12, "le"),
        crit("syndicated_content_readers", True),
        crit("interessen", "schwarze Jacken"),
        crit("flights_to", "Rabat"),
    ],
)
def test_look_alikes_of_special_categories_are_allowed(make_gate: Any, criterion: dict[str, Any]) -> None:
    decision = make_gate({"sensitive_categories": SENSITIVE}).decide(audience(criterion))
    assert decision.outcome == "allow", (criterion, decision.codes)


# -- offers marked transactional (AG405) ---------------------------------------------------------------------


def _policy() -> Any:
    return policy_from_dict({"gate": {"content_checks": False}})


@pytest.mark.parametrize(
    "text",
    [
        "Kup teraz z rabatem 15% - tylko w ten weekend!",
        "Promocja: 25% zniżki na kurtki.",
        "Sleva 20 % na batohy, kupte hned.",
        "Köp nu: 30 % rabatt på jackor.",
        "Spar 20 % rabat på alle telte.",
        "今だけ全品20%オフ",
        "タイムセール開催中",
        "冬季促销，立即购买",
        "全场八折",
        "지금 구매하시면 30% 할인",
        "20 % de remise sur les tentes",
    ],
)
def test_an_offer_in_more_languages_is_marketing(text: str) -> None:
    assert marketing_reason(_policy(), text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "Twoje zamówienie zostało wysłane.",
        "Faktura za zamówienie, w tym 23% VAT.",
        "Vaše objednávka byla odeslána.",
        "Ditt lösenord har ändrats.",
        "ご注文の商品を発送しました。",
        "您的退款 200 元已处理。",
        "折叠椅已发货。",
        "주문하신 상품이 발송되었습니다.",
        "Your flight to Rabat is confirmed.",
        "La remise des clés aura lieu lundi.",
    ],
)
def test_service_mail_in_those_languages_is_not_marketing(text: str) -> None:
    assert marketing_reason(_policy(), text) is None, text


# -- "since you viewed" in other languages (AG406) -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Da Sie sich kürzlich unsere Wanderschuhe angesehen haben, hier ein Angebot.",
        "Weil du dir die Jacke angeschaut hast: 10 % für dich.",
        "Parce que vous avez consulté nos tentes, voici une sélection.",
        "Comme vous avez récemment regardé nos sacs, voici la suite.",
        "Ya que has visto nuestras botas, te las recordamos.",
        "Poiché hai guardato i nostri zaini, ecco un'offerta.",
        "Omdat je onlangs onze tenten hebt bekeken, een tip.",
        "Porque você viu nossas barracas, separamos estas.",
        "In base alla tua navigazione, ecco i prodotti.",
        "Basándonos en tus compras anteriores, te recomendamos esto.",
        "Empfehlungen für Sie aus unserem Sortiment.",
    ],
)
def test_profiling_in_other_languages_is_a_signal(text: str) -> None:
    signals = personal_signals(_policy(), None, [("content", text)], lambda: False)
    assert [s.kind for s in signals] == ["profiling"], text
    assert 0 <= signals[0].start < signals[0].end <= len(text) and signals[0].match


@pytest.mark.parametrize(
    "text",
    [
        "Comme vous avez vu dans notre dernier message, la boutique ferme lundi.",
        "Como viste en nuestro último correo, cerramos el lunes.",
        "Da Sie sich angemeldet haben, erhalten Sie diese Bestätigung.",
        "Votre colis a été remis au transporteur.",
        "Gracias por su compra; su pedido llegará el martes.",
    ],
)
def test_service_replies_in_other_languages_are_not_profiling(text: str) -> None:
    assert personal_signals(_policy(), None, [("content", text)], lambda: False) == []


def test_a_french_profiling_reply_meets_gpc(make_gate: Any) -> None:
    gate = make_gate({"consent": {"require_opt_in": []}})
    reply = action(
        "reply_customer",
        conversation="conv-1",
        recipient={"id": "c9", "gpc": True},
        content="Puisque vous avez consulté nos vestes, voici -15 % pour vous.",
    )
    decision = gate.decide(reply)
    assert decision.outcome == "deny" and decision.codes == ["AG404", "AG406"]


# -- bidi controls inside links (BR901) ----------------------------------------------------------------------


def _br901(text: str) -> list[Any]:
    policy = policy_from_dict({})
    return [f for f in check_text(text, policy).findings if f.code == "BR901"]


@pytest.mark.parametrize(
    "text",
    [
        "Track it: https://shop.example/drop\u202e/moc.elgoog//:sptth",
        "See https://fern\u2067lihn\u2069.example/p today",
        "Terms: https://shop.example/\u202dwinter\u202c/terms",
        "New: https://shop.example/boots\U000e0069\U000e0067 go",
    ],
)
def test_a_bidi_control_or_tag_character_inside_a_link_is_an_error(text: str) -> None:
    found = _br901(text)
    assert found and all(f.severity.name == "ERROR" for f in found), text
    assert found[0].fix is not None


@pytest.mark.parametrize(
    "text",
    [
        "Winter boots: https://shop.example/boots?size=42&colour=brown#fit",
        "מגפי החורף הגיעו: https://shop.example/boots",
        "Our sign reads \u2067مرحبا\u2069 — visit https://shop.example/stores",
    ],
)
def test_plain_links_and_proper_isolates_are_not_flagged(text: str) -> None:
    assert _br901(text) == []


@pytest.mark.parametrize(
    "hostile",
    [
        ("da Sie sich " + "x " * 4 + "%" * 3 + "１２％ ") * 40_000,  # near-misses of every new pattern
        "12 % " * 200_000,
        "平" * 330_000,
        ("https://x.example/\u202e" + "a" * 20 + " ") * 25_000,
    ],
)
def test_each_new_pass_stays_linear_on_a_hostile_megabyte(hostile: str) -> None:
    from brandrail.gate import personalisation, rules

    started = time.perf_counter()
    list(personalisation._since_you_viewed(hostile, "content"))
    rules._percent_off(hostile)
    rules._CJK_OFFER.search(hostile)
    assert time.perf_counter() - started < 10  # about 2 s on a loaded 2-core machine
    started = time.perf_counter()
    found = _br901(hostile)
    assert time.perf_counter() - started < 60  # the whole content check; the new pass is one scan of it
    assert len([f for f in found if f.evidence.get("in_prose") is False]) <= 101


@pytest.mark.parametrize(
    "attribute", ["Konto_Alter", "edad_de_la_cuenta", "age_of_the_account", "vertrag_alter"]
)
def test_a_things_age_in_another_language_is_not_a_persons(make_gate: Any, attribute: str) -> None:
    decision = make_gate(FAIR).decide(audience(crit(attribute, 2, "lt"), campaign="jobs-leeds"))
    assert decision.outcome == "allow", (attribute, decision.codes)


@pytest.mark.parametrize("attribute", ["Alter", "kunden_alter", "edad", "idade_cliente"])
def test_a_persons_age_in_another_language_bounds_the_age(make_gate: Any, attribute: str) -> None:
    decision = make_gate({}).decide(audience(crit(attribute, 16, "lt")))
    assert decision.outcome == "deny" and "AG502" in decision.codes, attribute
