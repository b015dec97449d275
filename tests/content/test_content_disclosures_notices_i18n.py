"""Subjects posing as transactional notices in German, French and Spanish (BR308), a mention of another AI
assistant and a label of authorship (BR303), "not just a chatbot" (an affirmation, not a denial) and
negation in English contractions and lists (BR301, BR302). The examples are written for these tests (a
different brand and wordings from tests/data/disclosures_fresh)."""

from __future__ import annotations

from typing import Any

import pytest
from content_testlib import content_policy

from brandrail.content.rules.disclosures.br308_deceptive_subject import _fake_notice
from brandrail.engine import check_text
from brandrail.policy import Policy

POLICY = content_policy(
    {
        "brand": {
            "name": "Brightwater Bikes",
            "postal_address": "Brightwater Bikes Ltd, 14 Quay Street, Cork",
        },
        "disclosures": {
            "ai_label": {"required": True, "channels": ["chat", "social"], "assume_generated": True},
            "required": [
                {
                    "id": "draw",
                    "text": "Draw rules: brightwater.example/draw",
                    "accept": ["draw rules"],
                    "when": {"terms": ["raffle", "sweepstakes", "tombola"]},
                }
            ],
        },
        "channels": {
            "email": {"kind": "email"},
            "social": {"kind": "social"},
            "chat": {"kind": "chat"},
            "sms": {"kind": "sms"},
        },
    }
)
FOOTER = "\n\nUnsubscribe: brightwater.example/u\n\nBrightwater Bikes Ltd, 14 Quay Street, Cork"
PROMO = "Helmets are 15% off this week only." + FOOTER


def codes(text: str, channel: str, policy: Policy = POLICY, **meta: Any) -> list[str]:
    return [f.code for f in check_text(text, policy, channel=channel, metadata=meta or None).findings]


# -- BR308: notices in four languages, passive, active and bare -----------------------------------------------

NOTICES = [
    # English: passive and active, and what the old patterns already read
    "Your password has been reset",
    "Your password was changed",
    "We've reset your password",
    "We have dispatched your order",
    "Your parcel is on its way",
    "Order #55120 dispatched",
    "Your order has been refunded",
    "Receipt for your purchase",
    "Security alert: new sign-in from Dublin",
    "Your card was declined",
    # German
    "Deine Bestellung ist unterwegs",
    "Bestellung #55120 verschickt",
    "Ihr Paket wurde heute zugestellt",
    "Versandbestätigung für Ihren Einkauf",
    "Wir haben Ihre Zahlung erhalten",
    "Rechnung Nr. 55120",
    "Ihre Rechnung vom März",
    "Zahlung fehlgeschlagen – bitte Karte prüfen",
    "Handlungsbedarf: Ihr Kundenkonto",
    "Dein Konto wird morgen gesperrt",
    "Dein Kennwort wurde geändert",
    "Passwort zurücksetzen",
    # French
    "Ta commande a bien été envoyée",
    "Colis livré",
    "Confirmation de votre commande",
    "Nous avons expédié votre colis",
    "Facture n° 55120",
    "Votre facture de mars",
    "Échec du paiement de votre abonnement",
    "Action requise : vérifiez votre compte",
    "Votre compte sera suspendu demain",
    "Votre mot de passe a été modifié",
    "Réinitialisation du mot de passe",
    # Spanish
    "Tu paquete está en camino",
    "Pedido n.º 55120 entregado",
    "Hemos enviado tu pedido",
    "Confirmación de compra",
    "Tu factura de marzo",
    "Factura #55120 adjunta",
    "Pago rechazado: actualiza tu tarjeta",
    "¡Acción requerida! Tu cuenta",
    "Tu cuenta ha sido bloqueada",
    "Tu contraseña fue cambiada",
    "Restablece tu contraseña",
]


@pytest.mark.parametrize("subject", NOTICES)
def test_a_marketing_subject_posing_as_a_notice_is_deceptive_in_four_languages(subject: str) -> None:
    assert "BR308" in codes(PROMO, "email", subject=subject)


@pytest.mark.parametrize("subject", NOTICES)
def test_the_same_subject_on_a_service_message_is_clean(subject: str) -> None:
    assert "BR308" not in codes(
        "Order 55120: details in your account.", "email", subject=subject, marketing=False
    )


@pytest.mark.parametrize(
    "subject",
    [
        # offers and news that name an order, an invoice, a payment or a password
        "Every order ships free this week",
        "Your next order ships free",
        "Jede Bestellung bis 14 Uhr wird heute versendet",
        "Jetzt auch auf Rechnung bestellen",
        "Deine Bestellung ist versandkostenfrei ab 40 €",
        "Rechnungskauf jetzt möglich",
        "Bezahlen per Rechnung: so einfach geht's",
        "Livraison offerte sur toute commande",
        "Commandez avant midi, expédié le jour même",
        "Facturation simplifiée pour les clubs",
        "Envío gratis en todos los pedidos",
        "Haz tu pedido antes del viernes",
        "Facturación sencilla para tu club",
        "Pago a plazos sin intereses",
        "Paiement en trois fois sans frais",
        "Zahlung per Rechnung oder Raten",
        "Neue Helme: sicher unterwegs",
        "Password managers for cyclists: our guide",
        "Reminder: the spring ride is on Sunday",
        "En route pour le printemps : -15 % sur les casques",
        "De camino al verano: 15 % en cascos",
    ],
)
def test_an_offer_naming_an_order_or_a_payment_is_not_a_notice(subject: str) -> None:
    assert "BR308" not in codes(PROMO, "email", subject=subject)


def test_a_policy_pattern_with_accents_still_matches() -> None:
    policy = content_policy(
        {
            "brand": {"postal_address": "Brightwater Bikes Ltd, 14 Quay Street, Cork"},
            "disclosures": {"email": {"deceptive_subject_notices": ["votre vélo est prêt"]}},
            "channels": {"email": {"kind": "email"}},
        }
    )
    assert _fake_notice("Votre vélo est prêt", policy) == "votre vélo est prêt"
    assert "BR308" in codes(PROMO, "email", policy, subject="Votre vélo est prêt")
    assert "BR308" not in codes(PROMO, "email", policy, subject="Votre commande a été expédiée")


# -- BR303: the speaker's own label, not a mention of another AI assistant --------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "You can also ask our AI assistant in the app about repairs. The shop opens at 9.",
        "Try Brightwater's AI assistant on the website for sizing. Anything else?",
        "The AI assistant in our app books services too. See you Saturday!",
        "Unser KI-Assistent in der App hilft auch bei Reparaturen. Der Laden öffnet um 9.",
        "Probieren Sie den KI-Assistenten auf unserer Website aus.",
        "Notre assistant IA dans l'application gère aussi les réparations. Ouverture à 9 h.",
        "Essayez l'assistant IA de notre site pour choisir votre taille.",
        "Nuestro asistente de IA en la web también reserva revisiones. Abrimos a las 9.",
        "Prueba el asistente de IA de la app para elegir tu talla.",
        # "AI-generated" quoted or compared: a word about something else
        'Some riders say our route maps look "AI-generated". New maps for Kerry below.',
        "Our catalogue photos are real, not like AI-generated stock. Spring range below.",
    ],
)
def test_a_mention_of_another_ai_assistant_is_no_label(reply: str) -> None:
    assert "BR303" in codes(reply, "chat", ai_generated=True)


@pytest.mark.parametrize(
    "reply",
    [
        "I'm Brightwater's AI assistant. The shop opens at 9.",
        "Hi, I'm Juno, your AI assistant: the shop opens at 9.",
        "You're chatting with our AI assistant. The shop opens at 9.",
        "AI assistant here: the shop opens at 9.",
        "The shop opens at 9.\n\n— Your AI assistant, Juno",
        "The shop opens at 9.\n\nYour friendly AI assistant",
        "Ich bin Ihr KI-Assistent. Der Laden öffnet um 9.",
        "Sie chatten mit unserem KI-Assistenten. Der Laden öffnet um 9.",
        "Je suis votre assistant IA. Ouverture à 9 h.",
        "Soy tu asistente de IA. Abrimos a las 9.",
        # an AI named as the author
        "Written by our AI and checked by Niamh: three chain-care tips.",
        "Drafted with the help of our AI. Three chain-care tips below.",
        "Geschrieben von unserer KI, geprüft von Jonas: drei Tipps zur Kettenpflege.",
        "Dieser Beitrag wurde von unserer KI verfasst. Drei Tipps zur Kettenpflege.",
        "Rédigé par notre IA, relu par Chloé : trois conseils d'entretien.",
        "Texte écrit avec l'aide de notre IA. Trois conseils d'entretien.",
        "Escrito por nuestra IA y revisado por Lucía: tres consejos para la cadena.",
        "Publicación redactada con nuestra IA. Tres consejos para la cadena.",
        # "not just a chatbot": an affirmation
        "I'm not just a chatbot, I can also change your booking.",
        "I am more than a bot: I can book your service too.",
        "Ich bin nicht nur ein Chatbot, ich buche auch Ihren Termin.",
        "Je ne suis pas qu'un chatbot : je peux aussi modifier votre réservation.",
        "Je ne suis pas seulement un chatbot, je réserve aussi.",
        "No soy solo un bot: también puedo cambiar tu reserva.",
        "No soy más que un asistente virtual, pero puedo ayudarte.",
    ],
)
def test_the_speaker_saying_what_it_is_is_a_label(reply: str) -> None:
    assert "BR303" not in codes(reply, "social", ai_generated=True)


@pytest.mark.parametrize(
    "reply",
    [
        "Not written by our AI: Niamh wrote these three chain-care tips.",
        "Nicht von unserer KI geschrieben, sondern von Jonas.",
        "Made with our AI-powered wheel truing stand: three tips.",
        "I'm not a chatbot, I'm Niamh from the workshop.",
        "Ich bin kein Chatbot, sondern Jonas aus der Werkstatt.",
        "No soy un bot, soy Lucía del taller.",
    ],
)
def test_a_denied_or_other_authorship_is_no_label(reply: str) -> None:
    assert "BR303" in codes(reply, "social", ai_generated=True)


# -- BR301 and BR302: negation in English contractions and lists -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Brightwater: this isn't a raffle, just 10% off helmets today.",
        "It's not a sweepstakes: every order gets a free bell.",
        "This is not a tombola, it is a straight discount.",
        "Ce n'est pas une tombola : -10 % sur tout.",
        "Esto no es una tombola: 10 % en cascos.",
    ],
)
def test_a_trigger_the_sentence_says_it_is_not_requires_nothing(text: str) -> None:
    assert "BR301" not in codes(text, "social")


@pytest.mark.parametrize(
    "text",
    [
        "Don't miss our raffle this Saturday!",
        "This isn't just a raffle: every ticket wins a bell.",
        "Enter the sweepstakes, it's not hard.",
    ],
)
def test_a_trigger_still_triggers_when_the_negation_is_about_something_else(text: str) -> None:
    assert "BR301" in codes(text, "social")


@pytest.mark.parametrize(
    "post",
    [
        "Not an ad, not gifted, not sponsored: I just love my Brightwater gravel bike.",
        "Neither gifted nor sponsored by anyone, I bought this bike myself.",
        "Not paid, gifted or sponsored by Brightwater: my honest review.",
        "This bike wasn't gifted, I saved for it all year.",
    ],
)
def test_a_denied_sponsorship_is_not_sponsored(post: str) -> None:
    assert "BR302" not in codes(post, "social", ai_generated=False)


@pytest.mark.parametrize(
    "post",
    [
        "Don't forget to use my code RIDE10 for 10% off at Brightwater!",
        "Not my usual style, but this jacket was gifted by Brightwater and I love it.",
        "No regrets: gifted by Brightwater and worn every day since.",
        "Love it, gifted or not.",
    ],
)
def test_a_sponsorship_next_to_another_negation_still_needs_a_label(post: str) -> None:
    assert "BR302" in codes(post, "social", ai_generated=False)
