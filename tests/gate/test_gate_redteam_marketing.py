"""`marketing: false` is a claim whatever the message's language: an offer in German, French, Spanish,
Italian, Dutch or Portuguese, a "-30 %" off, or a call to upgrade makes a send marketing (AG405), and the
consent rules then apply. Service mail in those languages stays transactional. (Found by a probe written
after the held-out red-team run, tests/data/gate_attacks; these are cases of their own.)"""

from __future__ import annotations

from typing import Any

import pytest
from gate_testlib import send

from brandrail.gate.rules import marketing_reason
from brandrail.policy import policy_from_dict


@pytest.mark.parametrize(
    "content",
    [
        "Il tuo ordine è stato spedito. Usa il codice sconto ESTATE per il 20%.",
        "Je bestelling is verzonden. Alleen vandaag 25% korting op tenten!",
        "A sua encomenda foi enviada. Compre agora com desconto de 15%.",
        "Ihre Bestellung ist unterwegs. Ihr Gutschein über 10 € wartet.",
        "Votre commande est partie. Ce week-end : -25 % sur les sacs.",
        "Your order has shipped. Upgrade today and every delivery is free.",
    ],
)
def test_an_offer_in_another_language_makes_a_transactional_send_marketing(
    make_gate: Any, content: str
) -> None:
    gate = make_gate({"consent": {"require_opt_in": ["email"]}})
    decision = gate.decide(
        send(recipient={"id": "c8", "email": "lu@example.com"}, content=content, marketing=False)
    )
    assert decision.outcome == "deny" and "AG405" in decision.codes and "AG401" in decision.codes, content


@pytest.mark.parametrize(
    "content",
    [
        "Il tuo ordine è stato spedito e arriverà giovedì.",
        "Je bestelling is verzonden. Volg je pakket via de link.",
        "Votre colis : remise en main propre demain entre 9 h et 12 h.",
        "Ihr Angebot Nr. 4471 liegt bei. Die Lieferung erfolgt am Montag.",
        "Your storage is 95% full; your battery is at 10-20%.",
    ],
)
def test_service_mail_in_other_languages_stays_transactional(make_gate: Any, content: str) -> None:
    gate = make_gate({"consent": {"require_opt_in": ["email"]}})
    decision = gate.decide(
        send(recipient={"id": "c8", "email": "lu@example.com"}, content=content, marketing=False)
    )
    assert decision.outcome == "allow", (content, decision.codes)
    assert marketing_reason(policy_from_dict({}), content) is None
