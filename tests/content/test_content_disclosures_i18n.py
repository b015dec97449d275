"""German, French and Spanish for BR301 (a trigger the sentence says is not offered) and BR303 (a chat agent
saying what it is; a label or self-description that is denied)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from content_testlib import content_policy

from bench_testlib import load_bench
from brandrail.engine import check_text

BASE: dict[str, Any] = {
    "brand": {"name": "Harrowgate Tea", "postal_address": "Harrowgate Tea Ltd, 3 Mill Lane, Leeds LS2 7AB"},
    "disclosures": {
        "ai_label": {"required": True, "channels": ["chat", "social"], "assume_generated": True},
        "required": [
            {
                "id": "finance",
                "text": "Credit subject to status.",
                "accept": ["credit subject to status"],
                "when": {
                    "terms": [
                        "Teekiste", "Ratenkauf", "Verlosung", "vente privée", "crédit gratuit", "loterie",
                        "concurso", "compra a plazos", "caja de té",
                    ]
                },
            }
        ],
    },
    "channels": {"social": {"kind": "social"}, "chat": {"kind": "chat"}},
}  # fmt: skip
POLICY = content_policy(BASE)


def codes(text: str, channel: str) -> list[str]:
    return [f.code for f in check_text(text, POLICY, channel=channel).findings]


@pytest.mark.parametrize(
    "post",
    [
        "Beim Ausverkauf gibt es leider keinen Ratenkauf.",
        "Wir veranstalten keine Verlosung mehr.",
        "Ohne Verlosung, einfach 5 % auf Oolong.",
        "Ratenkauf ist bei Musterpaketen nicht möglich.",
        "Den Ratenkauf bieten wir bei Geschenkgutscheinen nicht an.",
        "Eine Verlosung gibt es dieses Jahr nicht.",
        "Pas de crédit gratuit sur les coffrets soldés.",
        "Nous ne faisons plus de loterie à Noël.",
        "Nous ne proposons hélas pas le crédit gratuit sur les échantillons.",
        "Le crédit gratuit n'est pas proposé sur les cartes cadeaux.",
        "Sans loterie ni tirage : 5 % sur le oolong.",
        "Il n'y a pas de vente privée cette année.",
        "No hay concurso este año.",
        "No ofrecemos compra a plazos en las muestras.",
        "Ya no organizamos concursos en Navidad.",
        "La compra a plazos no está disponible en tarjetas regalo.",
        "Sin concurso ni letra pequeña: 5 % en oolong.",
        "Ningún concurso este mes, solo té.",
    ],
)
def test_a_trigger_that_is_not_offered_needs_no_disclosure_in_other_languages(post: str) -> None:
    assert "BR301" not in codes(post, "social")


@pytest.mark.parametrize(
    "post",
    [
        "Verpassen Sie nicht den Ratenkauf für Teekannen.",
        "Nicht verpassen: unsere Verlosung am Freitag!",
        "Kein Tee mehr im Schrank? Die Teekiste kommt jeden Monat.",
        "Vergessen Sie nicht die Verlosung.",
        "Ne manquez pas notre loterie de printemps !",
        "N'oubliez pas le crédit gratuit sur les théières.",
        "Pas encore inscrit ? La vente privée commence lundi.",
        "No te pierdas nuestro concurso de primavera.",
        "No olvides la compra a plazos para teteras, sin comisiones.",
        "¿Aún no tienes tu caja de té? Pídela hoy.",
        "Compra a plazos disponible, sin intereses.",
        "No ofrecemos compra a plazos en muestras, pero las teteras tienen compra a plazos.",
    ],
)
def test_a_trigger_that_is_offered_still_needs_it_in_other_languages(post: str) -> None:
    assert "BR301" in codes(post, "social")


@pytest.mark.parametrize(
    "reply",
    [
        "Ich bin ein virtueller Assistent; eine Kollegin bestätigt Ihre Erstattung.",
        "Ich bin der digitale Assistent von Harrowgate. Ihr Paket ist unterwegs.",
        "Du chattest mit unserem automatischen Assistenten. Dein Paket ist unterwegs.",
        "Hier schreibt der Chatbot von Harrowgate: Ihr Paket ist unterwegs.",
        "Als KI-Assistent kann ich keine Rückerstattung freigeben.",
        "Ich bin eine KI und gebe Ihre Frage weiter.",
        "Je suis une assistante virtuelle ; une collègue confirmera votre remboursement.",
        "Tu discutes avec notre agent virtuel. Ton colis est parti.",
        "Ici l'assistant automatique de Harrowgate : votre colis est parti.",
        "En tant qu'assistant virtuel, je ne peux pas valider un remboursement.",
        "Je suis un chatbot et je transmets votre demande.",
        "Soy una asistente virtual; una compañera confirmará tu reembolso.",
        "Hablas con nuestro agente automático. Tu paquete ya salió.",
        "Le responde el asistente virtual de Harrowgate: su paquete ya salió.",
        "Como asistente de inteligencia artificial, no puedo aprobar reembolsos.",
        "Soy un bot y paso tu pregunta al equipo.",
        "Antwort mit Hilfe von KI erstellt: Ihr Paket ist unterwegs.",
        "Réponse rédigée avec l'aide de l'IA : votre colis est parti.",
        "Respuesta escrita con ayuda de IA: tu paquete ya salió.",
        "Texto generado con inteligencia artificial: tu paquete ya salió.",
    ],
)
def test_a_chat_agent_that_says_what_it_is_is_labelled_in_other_languages(reply: str) -> None:
    assert "BR303" not in codes(reply, "chat")


@pytest.mark.parametrize(
    "reply",
    [
        "Ich bin kein virtueller Assistent, sondern Mia vom Teeladen.",
        "Nein, ich bin keine KI. Ihr Paket ist unterwegs.",
        "Diese Antwort ist nicht KI-generiert. Ihr Paket ist unterwegs.",
        "Je ne suis pas un assistant virtuel : c'est Léa de la boutique.",
        "Ce texte n'a pas été généré par l'IA. Votre colis est parti.",
        "No soy una asistente virtual, soy Ana de la tienda.",
        "Esta respuesta no fue generada por IA. Tu paquete ya salió.",
        "Tu paquete ya salió. ¿Te ayudo con algo más?",
        "Ihr Paket ist unterwegs. Kann ich sonst helfen?",
        "Votre colis est parti. Autre chose ?",
    ],
)
def test_a_denial_or_no_word_at_all_is_no_label_in_other_languages(reply: str) -> None:
    assert "BR303" in codes(reply, "chat")


@pytest.mark.parametrize(
    "reply",
    [
        "Hi, I'm Max, Harrowgate's virtual assistant. Your parcel left today.",
        "Hallo, ich bin Kiki, der digitale Assistent von Harrowgate.",
        "Hier ist Kiki, Ihr virtueller Assistent: Ihr Paket ist unterwegs.",
        "Bonjour, je suis Léa, l'assistante virtuelle de Harrowgate.",
        "Je ne suis qu'un assistant virtuel : une collègue vous rappellera.",
        "Hola, te atiende Lola, asistente virtual de Harrowgate.",
        "No, soy un bot: una persona revisará tu caso.",
        "As an AI, I can't taste tea, but the oolong is popular.",
    ],
)
def test_a_named_or_restricted_self_description_is_a_label(reply: str) -> None:
    assert "BR303" not in codes(reply, "chat")


@pytest.mark.parametrize(
    "reply",
    [
        "I'm sorry, our chatbot is down. Your parcel left today.",
        "Ich bin sicher, unser Chatbot hilft gern. Ihr Paket ist unterwegs.",
        "Vous parlez avec Léa de la boutique. Votre colis est parti.",
        "Hablas con Ana, de la tienda. Tu paquete ya salió.",
        "Unser Team ist wie ein Bot: schnell. Ihr Paket ist unterwegs.",
        "Nuestro equipo responde como un robot: rápido. Tu paquete ya salió.",
    ],
)
def test_no_self_description_in_other_words(reply: str) -> None:
    assert "BR303" in codes(reply, "chat")


@pytest.mark.parametrize(
    "post",
    [
        "Encore plus de loterie cet été !",
        "Ne manquez pas de tenter la loterie.",
        "Kein Wunder, dass alle bei der Verlosung mitmachen.",
        "Wir haben nicht nur Ratenkauf, sondern auch Rabatte.",
        "Sin duda, el mejor concurso del año.",
        "Participa sin compromiso en el concurso.",
        "Pas de panique, la loterie dure jusqu'à dimanche.",
        "Die Verlosung gibt es nicht nur heute, sondern die ganze Woche.",
    ],
)
def test_a_negation_that_denies_something_else_still_triggers(post: str) -> None:
    assert "BR301" in codes(post, "social")


# -- floors on the second held-out part, measured once before and once after these rules ---------------------


def _bench() -> ModuleType:
    return load_bench("bench_content_disclosures")


def test_the_second_held_out_part_stays_above_its_measured_floor() -> None:
    """tests/data/disclosures_fresh/README.md, "Measured on the second held-out part"; never read for tuning."""
    bench = _bench()
    items = bench.load("heldout2")
    got = bench.fired(items, bench.POLICIES["heldout2"])
    tp, fp, fn = bench.micro(bench.score(items, got, bench.CODES))
    assert tp / (tp + fp) >= 0.90  # measured 0.95 (0.62 before)
    assert tp / (tp + fn) >= 0.85  # measured 0.89 (0.89 before)
    other = [m for m in items if m["lang"] != "en"]
    tp, fp, fn = bench.micro(bench.score(other, got, ["BR301", "BR303"]))
    assert tp / (tp + fp) >= 0.90  # German, French, Spanish BR301 + BR303: measured 0.97 (0.46 before)
    assert tp / (tp + fn) >= 0.85  # measured 0.91 (0.91 before)
