"""BR303 ai-label-missing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from brandrail.content.common import PhraseSet, meta_flag, on_channel
from brandrail.content.disclosures import negated_at, reader_contexts, seen_view
from brandrail.content.fastpolicy import channel_name
from brandrail.content.fixes import append_fix
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document

#: a label ending in a participle ("AI-generated", "KI-generierte") right before a noun describes that thing
#: ("our AI-generated playlists", "AI-generated photos"), unless the noun is the message itself or a
#: connective follows ("AI-generated reply:", "AI-generated and checked by our team")
_PARTICIPLE = re.compile(r"(?:ed|iert|ierte|ierter|iertes)$")
_NEXT_WORD = re.compile(r"[ \t]+([\w'’-]+)")
_LABEL_NOUNS = frozenset(
    (
        "content", "text", "copy", "message", "messages", "post", "posts", "reply", "replies", "response",
        "responses", "answer", "answers", "caption", "captions", "summary", "summaries", "email", "e-mail",
        "newsletter", "article", "draft", "description", "translation", "output", "chat", "and", "by", "with",
        "using", "in", "from", "for", "via", "or", "but", "partly", "partially",
        # German, French, Spanish (folded: no accents)
        "inhalt", "antwort", "beitrag", "nachricht", "und", "mit", "contenu", "reponse", "et", "par", "avec",
        "contenido", "mensaje", "respuesta", "y", "por", "con",
    )
)  # fmt: skip

#: a name in apposition between the introduction and what the agent is: "I'm Max, Kestrelmoor's virtual
#: assistant", "Ich bin Kiki, der digitale Assistent", "Soy Lola, tu asistente virtual"
_NAME = r"(?:[\w-]+\s*,\s+)?"
#: a chat agent saying what it is: "I'm a virtual assistant", "you're chatting with our automated assistant",
#: "this is Kestrelmoor's chatbot", "I'm a bot", "As an AI, …"
_SELF_DISCLOSURE = re.compile(
    r"\b(?:i['’]m|i\s+am|this\s+is|you['’]re|you\s+are)\s+"
    r"(?:(?:chatting|talking|speaking|texting|writing)\s+(?:with|to)\s+)?"
    + _NAME
    + r"(?:a|an|our|the|[\w-]+['’]s?)\s+(?:(?:friendly|helpful|automated|virtual|digital|ai-powered|online)\s+)*"
    r"(?:(?:virtual|automated|digital)\s+(?:assistant|agent|helper|barista)|(?:chat)?bot|automated\s+(?:system|service))\b"
    r"|(?:^|[.!?:]\s+)as\s+an?\s+(?:ai|(?:virtual|automated|digital|ai)\s+(?:assistant|agent)|(?:chat)?bot)\b",
    re.MULTILINE,
)
#: ... in German, French and Spanish (folded: no accents): "Ich bin ein KI-Assistent", "Sie chatten mit
#: unserem digitalen Assistenten", "Hier antwortet der Chatbot von …", "Als KI …"; "Je suis un assistant
#: virtuel", "Vous discutez avec notre assistant automatisé", "Ici le chatbot de …", "En tant qu'IA, …";
#: "Soy un asistente virtual", "Estás hablando con nuestro asistente automático", "Te escribe el chatbot de
#: …", "Como IA, …". A negation before it in its clause ("No soy un bot") denies it.
_DE_NOUN = (
    r"(?:(?:virtuell|digital|automatisch|ki-gestutzt)\w*\s+(?:assistent|helfer|agent|berater)\w*"
    r"|ki-(?:assistent|helfer|agent|berater|chatbot|bot)\w*|(?:chat)?bot|ki|kunstliche\s+intelligenz"
    r"|(?:ki-)?sprachmodell)"
)
_FR_NOUN = (
    r"(?:(?:assistante?|agente?|conseillere?)\s+(?:virtuel|virtuelle|automatique|automatisee?|numerique|ia"
    r"|d['’]ia|intelligente?|conversationnelle?)|agent\s+conversationnel|(?:chat)?bot"
    r"|robot(?:\s+conversationnel)?|ia|intelligence\s+artificielle)"
)
_ES_NOUN = (
    r"(?:(?:asistente|agente)\s+(?:virtual|automatic[oa]|digital|de\s+ia|de\s+inteligencia\s+artificial"
    r"|inteligente|conversacional)|(?:chat)?bot|robot|ia|inteligencia\s+artificial)"
)
_SELF_DISCLOSURE_OTHER = re.compile(
    r"(?<![\w'’])(?:ich\s+bin|hier\s+(?:ist|spricht|schreibt|antwortet|chattet)"
    r"|(?:sie|du)\s+(?:chatten|chattest|sprechen|sprichst|schreiben|schreibst)\s+(?:gerade\s+|hier\s+)?mit)"
    r"\s+"
    + _NAME
    + r"(?:(?:ein|eine|einem|einer|der|die|dem|den|unser|unsere|unserem|unserer|ihr|ihre|ihrem|dein|deinem"
    r"|[\w-]+s)\s+)?(?:(?:freundlich|hilfsbereit|virtuell|digital|automatisch)\w*\s+)*" + _DE_NOUN + r"(?!\w)"
    r"|(?:^|[.!?:]\s+)als\s+(?:(?:ein|eine)\s+)?" + _DE_NOUN + r"(?!\w)"
    r"|(?<![\w'’])(?:je\s+suis|je\s+ne\s+suis\s+qu['’]|ici|vous\s+(?:discutez|parlez|echangez|conversez)\s+avec"
    r"|tu\s+(?:discutes|parles|echanges)\s+avec)"
    r"\s*" + _NAME + r"(?:(?:un|une|le|la|notre|votre|ton|mon)\s+|l['’])?" + _FR_NOUN + r"(?!\w)"
    r"|(?:^|[.!?:]\s+)en\s+tant\s+qu(?:e\s+|['’])(?:(?:un|une)\s+)?" + _FR_NOUN + r"(?!\w)"
    r"|(?<![\w'’])(?:soy|aqui|(?:te|le|os|les)\s+(?:escribe|responde|atiende|habla)"
    r"|(?:estas|esta|estais|estan)\s+(?:hablando|chateando|conversando)\s+con"
    r"|(?:hablas|habla|chateas|chatea)\s+con)"
    r"\s+" + _NAME + r"(?:(?:un|una|el|la|nuestro|nuestra|tu|su)\s+)?" + _ES_NOUN + r"(?!\w)"
    r"|(?:^|[.!?:¡¿]\s*)como\s+(?:(?:un|una)\s+)?" + _ES_NOUN + r"(?!\w)",
    re.MULTILINE,
)


def _is_mention(doc: Document, norm_end: int, phrase: str) -> bool:
    """Whether the label at ``norm_end`` only describes something else ("our AI-generated playlists")."""
    if not _PARTICIPLE.search(phrase):
        return False
    m = _NEXT_WORD.match(doc.folded, norm_end)
    return m is not None and m.group(1) not in _LABEL_NOUNS


def _labelled(doc: Document, policy: Policy, key: str, labels: list[str]) -> bool:
    """A label written as it reads, not denied ("not AI-generated") and not a mere mention, or a chat agent
    saying it is a virtual assistant or a bot."""
    for start, end, phrase in sorted(PhraseSet.cached(policy, key, lambda: labels).shown(doc)):
        if not negated_at(doc, start) and not _is_mention(doc, end, phrase):
            return True
    for pattern in (_SELF_DISCLOSURE, _SELF_DISCLOSURE_OTHER):
        for m in pattern.finditer(doc.folded):
            start = m.start() + len(m.group()) - len(m.group().lstrip(".!?:¡¿ \t\n"))
            if (
                doc.reads_plainly(start, m.end())
                and not negated_at(doc, start)
                and _named(doc, start, m.end())
            ):
                return True
    return False


def _named(doc: Document, start: int, end: int) -> bool:
    """Whether a word before a comma in the self-description at ``start``-``end`` is a name, as written
    ("I'm Max, the shop's bot"), not a word such as "I'm sorry, our chatbot is down"; true without one."""
    comma = doc.folded.find(",", start, end)
    if comma < 0:
        return True
    words = doc.norm[start:comma].split()
    return bool(words) and words[-1][:1].isupper()


@register
class AiLabelMissing(Rule):
    """AI-generated text published without a label saying so.

    What it flags:
        When `disclosures.ai_label.required` is true, a message on one of `disclosures.ai_label.channels`
        (all when empty) that is AI-generated (metadata `ai_generated: true`, or any message unless it says
        `ai_generated: false` while `assume_generated` is true) and contains none of the `labels`
        ("AI-generated", "generated with AI", "AI assistant"..., and German, French and Spanish ones:
        "KI-generiert", "généré par IA", "generado con IA"), nor a chat agent's word that it is one ("I'm a
        virtual assistant", "you're chatting with our automated assistant", "I'm a bot"; "Ich bin ein
        KI-Assistent", "je suis un assistant virtuel", "soy un asistente virtual"). A label a negation
        denies ("this reply is not AI-generated") does not count, nor a mention that describes something
        else ("we never use AI-generated images", "try our AI-generated playlists"; "AI-generated reply:"
        and "AI-generated content" are labels).

    Why it matters:
        The EU AI Act, Article 50(4), requires deployers that publish AI-generated text to inform the public
        on matters of public interest, and Art. 50(2) requires machine-readable marking; many platforms and
        brand codes require a visible label for all synthetic copy.

    Example:
        With `disclosures: {ai_label: {required: true, channels: [social]}}`, a social post without a label
        is flagged.

    Use instead:
        Add the label; `brandrail fix` appends `disclosures.ai_label.text`.
    """

    code = "BR303"
    name = "ai-label-missing"
    default_severity = Severity.ERROR

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.disclosures.ai_label
        doc = subject
        if not settings.required or not on_channel(settings.channels, doc, policy):
            return
        flag = meta_flag(doc, "ai_generated")
        if flag is False or (flag is None and not settings.assume_generated):
            return
        labels = list(settings.labels)
        key = f"{self.code}:labels"
        if all(
            _labelled(seen_view(doc, policy, c), policy, key, labels) for c in reader_contexts(doc, policy)
        ):
            return
        yield self.finding(
            f"AI-generated message without a label such as {settings.text!r}",
            doc=doc,
            fix=append_fix(doc, settings.text),
            evidence={
                "ai_generated": "metadata" if flag else "assumed",
                "labels": list(settings.labels),
                "channel": channel_name(policy) or doc.channel,
            },
        )
