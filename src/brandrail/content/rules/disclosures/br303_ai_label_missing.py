"""BR303 ai-label-missing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from brandrail.content.common import PhraseSet, meta_flag, on_channel
from brandrail.content.disclosures import negated_at, reader_contexts, seen_view
from brandrail.content.fastpolicy import cache_of, channel_name
from brandrail.content.fixes import append_fix
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.registry import Rule, register
from brandrail.text.document import Document
from brandrail.text.normalize import fold_term

#: a label ending in a participle ("AI-generated", "KI-generierte") right before a noun describes that thing
#: ("our AI-generated playlists", "AI-generated photos"), unless the noun is the message itself or a
#: connective follows ("AI-generated reply:", "AI-generated and checked by our team")
_PARTICIPLE = re.compile(
    r"(?:ed|(?:iert|(?:^|(?<=[\s-]))ge\w+t|erstellt|verfasst|erzeugt|geschrieben)(?:e|en|er|es|em)?)$"
)
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
#: "this is Kestrelmoor's chatbot", "I'm a bot", "As an AI, …", "I'm an AI helper", "a reply from the shop's
#: support bot". Up to two words may stand between the determiner and what it is ("I'm the Ollerby chatbot",
#: "our customer service bot"; :func:`_modifiers_ok`).
#: What it is must not head a longer noun ("I'm a chatbot developer", "I'm an AI researcher"); a bare "AI"
#: must end the phrase ("I'm an AI, so…", "I'm an AI trained on…"), not qualify a word after it.
_AGENT_NOUN = (
    r"(?:(?:(?:(?:virtual|automated|digital|ai|a\.i\.|ai-powered|ai-driven|ai-based)\s+)+"
    r"(?:assistant|agent|helper|barista|concierge|companion|advisor|adviser|guide|system|service|program|programme)"
    r"|(?:chat)?bot|automated\s+(?:system|service|program|programme)|computer\s+program(?:me)?"
    r"|(?:ai\s+|large\s+)?language\s+model|llm)(?![\w-])"
    r"(?!\s+(?:developer|engineer|designer|builder|researcher|expert|enthusiast|fan|team|company|startup|lead"
    r"|manager|specialist|consultant|trainer|ethicist|skeptic|sceptic|critic|nerd|geek|hobbyist|writer|journalist"
    r"|student|teacher|coach|advocate|course|project|policy|account|maker|vendor|platform)s?(?![\w-]))"
    r"|(?:ai|a\.i\.|artificial\s+intelligence)(?![\w-])(?=\s*(?:[^\w\s-]|$)|\s+(?:and|but|so|or|that|who|which"
    r"|here|built|made|trained|designed|created|developed|powered|run|from|by|at|for|of|on|in|with|to|too|not"
    r"|working|answering|helping|model|programme|program)(?![\w-])))"
)
#: words that may stand between the determiner and the agent noun
_MODIFIERS = frozenset(
    (
        "friendly", "helpful", "automated", "virtual", "digital", "ai-powered", "ai-driven", "online", "official",
        "resident", "in-house", "new", "little", "support", "service", "customer", "help", "shop", "store", "chat",
        "assistant", "ordering", "booking", "order", "helpdesk", "24/7", "own",
    )
)  # fmt: skip
_SELF_DISCLOSURE = re.compile(
    r"\b(?:i['’]m|i\s+am|this\s+is|you['’]re|you\s+are|(?:reply|answer|response|message|note)\s+(?:from|by))\s+"
    r"(?:(?:chatting|talking|speaking|texting|writing)\s+(?:with|to)\s+"
    r"|(?:not\s+)?(?:just|only|merely|simply)\s+|more\s+than\s+(?:just\s+)?)?"
    + _NAME
    + r"(?:a|an|our|the|[\w-]+['’]s?)\s+(?P<mods>(?:[\w/-]+\s+){0,2}?)"
    + _AGENT_NOUN
    + r"|(?:^|[.!?:]\s+)as\s+an?\s+(?:ai|(?:virtual|automated|digital|ai)\s+(?:assistant|agent)|(?:chat)?bot)\b"
    # an automated agent or reply heading its message: "Automated assistant here:", "Automated reply:"
    r"|(?:^|[.!?]\s+)(?:(?:an?|your|the|our)\s+)?(?:automated|automatic|virtual|digital|ai)\s+(?:assistant|agent"
    r"|helper|reply|response|answer|message|system|service)\s*(?::|here\b|-\s|–|—)",
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
    r"|robot(?:\s+conversationnel)?|ia|intelligence\s+artificielle"
    r"|(?:programme|logiciel|systeme|service|outil)\s+(?:automatique|automatise|informatique|d['’]ia|ia"
    r"|conversationnel|intelligent))"
)
_ES_NOUN = (
    r"(?:(?:asistente|agente)\s+(?:virtual|automatic[oa]|digital|de\s+ia|de\s+inteligencia\s+artificial"
    r"|inteligente|conversacional)|(?:chat)?bot|robot|ia|inteligencia\s+artificial"
    r"|(?:programa|sistema|servicio)\s+(?:automatic[oa]|automatizad[oa]|informatico|de\s+ia|conversacional))"
)
_SELF_DISCLOSURE_OTHER = re.compile(
    r"(?<![\w'’])(?:ich\s+bin(?:\s+(?:nicht\s+)?(?:nur|bloss|lediglich|einfach(?:\s+nur)?)|\s+mehr\s+als(?:\s+nur)?)?"
    r"|hier\s+(?:ist|spricht|schreibt|antwortet|chattet)"
    r"|(?:sie|du)\s+(?:chatten|chattest|sprechen|sprichst|schreiben|schreibst)\s+(?:gerade\s+|hier\s+)?mit)"
    r"\s+"
    + _NAME
    + r"(?:(?:ein|eine|einem|einer|der|die|dem|den|unser|unsere|unserem|unserer|ihr|ihre|ihrem|dein|deinem"
    r"|[\w-]+s)\s+)?(?:(?:freundlich|hilfsbereit|virtuell|digital|automatisch)\w*\s+)*" + _DE_NOUN + r"(?!\w)"
    r"|(?:^|[.!?:]\s+)als\s+(?:(?:ein|eine)\s+)?" + _DE_NOUN + r"(?!\w)"
    r"|(?<![\w'’])(?:je\s+suis(?:\s+(?:pas\s+)?(?:seulement|uniquement|juste|simplement)|\s+plus\s+qu['’])?"
    r"|je\s+ne\s+suis\s+(?:pas\s+(?:seulement|uniquement|juste|simplement)|pas\s+qu['’]|qu['’])|ici"
    r"|vous\s+(?:discutez|parlez|echangez|conversez)\s+avec"
    r"|tu\s+(?:discutes|parles|echanges)\s+avec)"
    r"\s*" + _NAME + r"(?:(?:un|une|le|la|notre|votre|ton|mon)\s+|l['’])?" + _FR_NOUN + r"(?!\w)"
    r"|(?:^|[.!?:]\s+)en\s+tant\s+qu(?:e\s+|['’])(?:(?:un|une)\s+)?" + _FR_NOUN + r"(?!\w)"
    r"|(?<![\w'’])(?:soy(?:\s+(?:solo|solamente|unicamente|simplemente)|\s+mas\s+que)?|aqui"
    r"|(?:te|le|os|les)\s+(?:escribe|responde|atiende|habla)"
    r"|(?:estas|esta|estais|estan)\s+(?:hablando|chateando|conversando)\s+con"
    r"|(?:hablas|habla|chateas|chatea)\s+con)"
    r"\s+" + _NAME + r"(?:(?:un|una|el|la|nuestro|nuestra|tu|su)\s+)?" + _ES_NOUN + r"(?!\w)"
    r"|(?:^|[.!?:¡¿]\s*)como\s+(?:(?:un|una)\s+)?" + _ES_NOUN + r"(?!\w)",
    re.MULTILINE,
)


#: an AI named as the author: "Written by our AI", "drafted with the help of our AI assistant", "Geschrieben
#: von unserer KI", "von unserer KI erstellt", "Rédigé par notre IA", "Escrito por nuestra IA" (folded: no
#: accents); not "made with our AI-powered roaster"
_AI_AUTHOR = (
    r"(?:(?:ai|a\.i\.|artificial\s+intelligence|generative\s+ai|llm)(?![\w-])(?!\s+(?!(?:and|or|but|so|to|in|on|at"
    r"|for|of|with|from|that|which|who|here|then|too|team|colleague)\b)[a-z])"
    r"|(?:(?:ai|language)\s+(?:model|tool|assistant|writer|system|chatbot|bot)|(?:virtual|digital|automated)\s+"
    r"assistant|chatbot|bot)(?![\w-]))"
)
_DE_AUTHOR = (
    r"(?:ki|kunstlichen\s+intelligenz|ki-(?:assistent|assistentin|chatbot|bot|modell|system)\w*|chatbot|bot"
    r"|sprachmodell)(?![\w-])"
)
_DE_WRITTEN = (
    r"(?:geschrieben|erstellt|generiert|verfasst|erzeugt|formuliert|ubersetzt|zusammengefasst|entworfen"
    r"|beantwortet|gemacht)"
)
_FR_AUTHOR = (
    r"(?:ia|intelligence\s+artificielle|assistant\s+(?:ia|d['’]ia|virtuel)|agent\s+conversationnel|chatbot|bot"
    r"|robot)(?![\w-])"
)
_ES_AUTHOR = r"(?:ia|inteligencia\s+artificial|asistente\s+(?:de\s+ia|virtual)|chatbot|bot|robot)(?![\w-])"
_AUTHORED = re.compile(
    r"(?<![\w'’])(?:written|drafted|generated|created|made|composed|produced|crafted|translated|summari[sz]ed"
    r"|prepared|put\s+together|answered|co-written|edited)\s+"
    r"(?:(?:partly|partially|in\s+part|entirely|fully|mostly|largely)\s+)?"
    r"(?:by|with|using|via|with\s+the\s+help\s+of)\s+(?:(?:our|an|a|the|my|its|their|[\w-]+['’]s)\s+)?"
    r"(?:(?:own|in-house)\s+)?"
    + _AI_AUTHOR
    + r"|(?<![\w'’])"
    + _DE_WRITTEN
    + r"\s+(?:von|mit|durch|mithilfe)\s+"
    r"(?:(?:unserer|unserem|unseren|einer|einem|der|dem|ihrer|ihrem|eurer|eurem)\s+)?"
    + _DE_AUTHOR
    + r"|(?<![\w'’])(?:von|mit|durch|mithilfe)\s+(?:(?:unserer|unserem|unseren|einer|einem|der|dem|ihrer|ihrem"
    r"|eurer|eurem)\s+)?" + _DE_AUTHOR + r"\s+(?:[\w-]+\s+){0,2}?" + _DE_WRITTEN + r"(?!\w)"
    r"|(?<![\w'’])(?:redigee?s?|ecrite?s?|generee?s?|creee?s?|produite?s?|concue?s?|traduite?s?|resumee?s?"
    r"|composee?s?|preparee?s?)\s+(?:par|(?:avec\s+|a\s+)?l['’]aide\s+(?:de\s+|d['’]|du\s+)|avec|grace\s+a\s+)\s*"
    r"(?:(?:notre|nos|une|un|la|le|votre|leur)\s+|l['’])?"
    + _FR_AUTHOR
    + r"|(?<![\w'’])(?:escrit|generad|cread|redactad|hech|producid|traducid|resumid|elaborad|preparad)[oa]s?\s+"
    r"(?:por|con|mediante|con\s+(?:la\s+)?ayuda\s+de)\s+(?:(?:nuestr[oa]s?|una?|la|el|tu|su)\s+)?"
    + _ES_AUTHOR
)

#: a label that names an agent ("AI assistant", "KI-Assistent", "assistant IA", "asistente de IA", "AI chatbot")
_AGENT_LABEL = re.compile(
    r"(?<![\w])(?:assistant|assistent\w*|asistente|chatbot|bot|agent|agente|helper|helfer)(?!\w)"
)
#: ... after a determiner: then it is the speaker only when introduced as such ("I'm Brightwater's AI
#: assistant", "you're chatting with our AI assistant", "a reply from our AI assistant", "Ich bin Ihr
#: KI-Assistent", "Je suis votre assistant IA", "Soy tu asistente de IA"); "Try our AI assistant in the app",
#: "Unser KI-Assistent in der App hilft", "Notre assistant IA dans l'application" name another thing
_DETERMINER = (
    r"(?:our|the|their|your|my|its|this|that|a|an|[\w-]+['’]s|unser\w*|der|die|das|den|dem|ein\w*|ihr\w*|dein\w*"
    r"|euer|eure\w*|notre|nos|votre|vos|le|la|l['’]|un|une|mon|ton|son|nuestr[oa]s?|el|una?|tu|su|mi|vuestr[oa]s?)"
)
_INTRODUCED = re.compile(
    r"(?:^|[^\w'’])(?:i['’]m|i\s+am|this\s+is|it['’]s|here['’]s|you['’]re|you\s+are|as"
    r"|(?:chatting|talking|speaking|texting)\s+(?:with|to)"
    r"|(?:written|drafted|generated|created|made|composed|produced|sent|answered|replied|prepared|translated"
    r"|summari[sz]ed|powered|brought\s+to\s+you|assisted|helped)\s+(?:\w+\s+)?(?:by|with|using|via|from)"
    r"|with\s+the\s+help\s+of|(?:reply|answer|response|message|note)\s+(?:from|by)|(?:comes|came)\s+from"
    r"|(?:kommt|stammt)\s+(?:von|vom)|(?:vient|provient)\s+(?:de|du)|(?:viene|proviene)\s+(?:de|del)"
    r"|ich\s+bin|hier\s+(?:ist|spricht|schreibt|antwortet|chattet)|als"
    r"|(?:sie|du)\s+(?:chatten|chattest|sprechen|sprichst|schreiben|schreibst)\s+(?:gerade\s+|hier\s+)?mit"
    r"|(?:antwort|nachricht)\s+(?:von|vom)|" + _DE_WRITTEN + r"\s+(?:von|mit|durch)|mithilfe|mit\s+hilfe"
    r"|je\s+suis|c['’]est|ici|vous\s+(?:discutez|parlez|echangez|conversez)\s+avec|tu\s+(?:discutes|parles)\s+avec"
    r"|en\s+tant\s+que?|(?:redige|ecrit|genere|cree|envoye|repondu|prepare|traduit)e?s?\s+(?:par|avec)"
    r"|(?:reponse|message)\s+(?:de|du)|avec\s+l['’]aide\s+d[eu']"
    r"|soy|aqui|(?:te|le|os|les)\s+(?:escribe|responde|atiende|habla)"
    r"|(?:estas|esta|estais|estan)\s+(?:hablando|chateando|conversando)\s+con|(?:hablas|chateas)\s+con|como"
    r"|(?:escrit|generad|cread|enviad|respondid|preparad|traducid|redactad)[oa]s?\s+(?:por|con)"
    r"|(?:respuesta|mensaje)\s+(?:de|del)"
    r"|con\s+(?:la\s+)?ayuda\s+de)"
    r"\s+(?:[\w-]+\s*,\s+)?" + _DETERMINER + r"\s*$"
)
_DETERMINED = re.compile(r"(?:^|[^\w'’])" + _DETERMINER + r"(?:\s+|(?<=['’]))$")
#: ... unless it signs the message or heads a line: "— Your AI assistant", "Your friendly AI assistant, Juno",
#: "Ihr KI-Assistent:" (the determiner opens its clause and the label ends a line or stands before a comma,
#: a colon or "here")
_SIGN_OFF_BEFORE = re.compile(
    r"^[\s\-–—~]*" + _DETERMINER + r"\s+(?:(?:friendly|helpful|freundliche\w*|fidele|amable)\s+)?$"
)
_SIGN_OFF_AFTER = re.compile(r"[ \t]*(?:$|\n|[,:–—]|here\b|hier\b|ici\b|aqui\b)")
#: a label in quotation marks, or after "like", is a word about something else: 'read like "AI-generated"
#: copy', "looks like AI-generated art"
_QUOTES_OPEN = "\"'“‘«„‚"
_QUOTES_CLOSE = "\"'”’»“‘"
_LIKE_BEFORE = re.compile(r"(?:^|[^\w'’])(?:like|unlike)\s+(?:an?\s+|some\s+)?$")
#: words after a negation that make it restrict, not deny: "no soy más que un bot", "not just a chatbot"
_RESTRICTS = re.compile(
    r"(?<![\w'’])(?:just|only|merely|simply|more\s+than|nur|bloss|lediglich|mehr\s+als|seulement|uniquement|juste"
    r"|simplement|plus\s+qu|pas\s+qu|solo|solamente|unicamente|simplemente|mas\s+que)(?![\w])"
)


#: the language a label is written in, by its AI word ("KI-Assistent", "généré par l'IA", "generado con IA")
_GERMAN_LABEL = re.compile(r"(?:^|[\s-])ki(?:$|[\s-])")
_ROMANCE_LABEL = re.compile(r"(?:^|[\s'’-])(?:ia|intelligence|inteligencia)(?:$|[\s-])")
#: German: a participle or adjective ("generiert", "gestützt", "erstellt") takes the endings of an adjective
#: before a noun; a noun in -ent/-ant (Assistent, Agent) is weak: -en, and -in/-innen for a woman
_DE_PARTICIPLE = re.compile(r"(?:iert|^ge\w+t|erstellt|verfasst|erzeugt)$")
_DE_WEAK_NOUN = re.compile(r"(?:ent|ant)$")
_DE_ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
#: French participles in -é and Spanish ones in -ado/-ido/-ito/-cho (and their -a forms) agree in gender and
#: number with what they describe
_FR_PARTICIPLE = re.compile(r"(?:é|ée)$")
_ES_PARTICIPLE = re.compile(r"(?:ad|id|it|ch)[oa]$")


def label_forms(label: str) -> list[str]:
    """``label`` and its inflected forms in German, French and Spanish, so a label matches as it is written
    in a sentence: "KI-generiert" → "KI-generierte", "KI-generierten", …; "KI-Assistent" → "KI-Assistenten",
    "KI-Assistentin"; "généré par l'IA" → "générée(s) par l'IA", "générés par l'IA"; "generado con IA" →
    "generada(s) con IA", "generados con IA". The language is told by the label's AI word ("KI"; "IA",
    "intelligence artificielle", "inteligencia artificial"); an English label is returned as it is."""
    low = label.lower()
    forms = [label]
    words = label.split(" ")
    if _GERMAN_LABEL.search(low):
        head, sep, last = words[-1].rpartition("-")
        stem = last.lower()
        if _DE_PARTICIPLE.search(stem):
            endings: tuple[str, ...] = _DE_ADJECTIVE_ENDINGS
        elif _DE_WEAK_NOUN.search(stem):
            endings = ("en", "in", "innen")
        else:
            endings = ()
        for ending in endings:
            forms.append(" ".join([*words[:-1], head + sep + last + ending]))
    elif _ROMANCE_LABEL.search(low):
        for k, word in enumerate(words):
            w = word.lower()
            if _FR_PARTICIPLE.search(w):
                base = word[:-1] if w.endswith("ée") else word
                variants = [base + "e", base + "s", base + "es", base]
            elif _ES_PARTICIPLE.search(w):
                variants = [word[:-1] + v for v in ("o", "a", "os", "as")]
            else:
                continue
            forms.extend(" ".join([*words[:k], v, *words[k + 1 :]]) for v in variants)
            break
    return list(dict.fromkeys(forms))


#: a label said of what a clause's subject is ("Our tasting notes are AI-generated", "Dieser Beitrag ist
#: KI-generiert"): the copula, an adverb of degree maybe, then the label
_COPULA_BEFORE = re.compile(
    r"(?:^|\s)(\S+)\s+(?:is|are|was|were|has\s+been|have\s+been|ist|sind|war|waren|wurde|wurden|est|sont|etait"
    r"|etaient|es|son|fue|fueron|esta|estan)\s+(?:(?:partly|partially|fully|entirely|all|mostly|largely|also"
    r"|teilweise|vollstandig|ganz|komplett|auch|en\s+partie|entierement|parcialmente|totalmente)\s+)?$"
)
#: ... whose subject is the message itself (a word of :data:`_LABEL_NOUNS`, "this", "it", "everything") when it
#: labels the message; "below"/"above"/"here" after the noun say where it stands
_MESSAGE_PRONOUNS = frozenset(
    ("this", "it", "everything", "all", "dies", "das", "alles", "es", "ceci", "cela", "tout", "esto", "todo")
)
_CONNECTIVES = frozenset(
    (
        "and",
        "by",
        "with",
        "using",
        "in",
        "from",
        "for",
        "via",
        "or",
        "but",
        "und",
        "mit",
        "et",
        "par",
        "avec",
        "y",
        "por",
        "con",
    )
)
_PLACE_AFTER = frozenset(("below", "above", "here", "unten", "oben", "hier", "ci-dessous", "abajo", "arriba"))


def _said_of_another_thing(folded: str, before: str) -> bool:
    """Whether the label after ``before`` (its clause so far) is said of a subject other than the message:
    "Our tasting notes are AI-generated" labels the tasting notes (as "our AI-generated tasting notes"
    does), "This reply is AI-generated" the message."""
    m = _COPULA_BEFORE.search(before)
    if m is None:
        return False
    words = before[: m.end(1)].split()
    while len(words) > 1 and words[-1] in _PLACE_AFTER:
        words.pop()
    head = words[-1].strip("\"'“”‘’«»(),")
    opening = [w.strip("\"'“”‘’«»(),") for w in words[:2]]
    if any(w in _LABEL_NOUNS and w not in _CONNECTIVES for w in opening) and "," in before:
        return False  # "This post, words and picture, is AI-generated": the message, with an apposition
    return (
        head not in _LABEL_NOUNS
        and head not in _MESSAGE_PRONOUNS
        and not head.endswith(tuple(n for n in _LABEL_NOUNS if len(n) >= 5))
    )


#: a part of a post that is not its text: a label right after it (its noun, then a colon, a copula or nothing:
#: "(Image: AI-generated)", "Photo: AI-generated", "(Bild: KI-generiert)", "(Image générée par IA)", "(Imagen
#: generada con IA)", "Illustration made with AI") labels that part only, and leaves AI-written text unlabelled
_PART_BEFORE = re.compile(
    r"(?:^|[^\w'’-])(?:image|images|photo|photos|picture|pictures|illustration|illustrations|visual|visuals|"
    r"artwork|graphic|graphics|thumbnail|video|videos|audio|voice|voice-over|voiceover|music|soundtrack|animation|"
    r"bild|bilder|foto|fotos|grafik|titelbild|visuel|visuels|dessin|imagen|imagenes|ilustracion|dibujo|musique|"
    r"musica)\s*(?::|-|–|—|is|are|was|were|ist|sind|wurde|est|es|fue)?\s*$"
)
#: ... unless the text is named with it: "Caption and photo generated with AI", "Bild und Text KI-generiert",
#: "Texte et photo générés par IA", "Texto e imagen generados con IA"
_TEXT_NOUNS = frozenset(
    ("text", "texts", "texte", "textes", "texto", "textos", "words", "caption", "captions", "copy", "post", "legende",
     "leyenda", "beitrag", "contenu", "contenido", "everything", "alles", "tout", "todo")
)  # fmt: skip


def _part_only(folded: str, norm_start: int) -> bool:
    """Whether the label at ``norm_start`` follows the name of a part that is not the text ("Image:")."""
    before = _clause_before(folded, norm_start)
    if _PART_BEFORE.search(folded, max(0, norm_start - 30), norm_start) is None:
        return False
    # the words of the label's own phrase: from the last bracket or line start before it
    head = folded[max(0, norm_start - 60) : norm_start]
    cut = max(head.rfind(c) for c in "(\n.!?")
    words = re.findall(r"[\w'’-]+", head[cut + 1 :] if cut >= 0 else head) + before.split()
    return not any(w.strip(",;") in _TEXT_NOUNS for w in words)


def _is_mention(doc: Document, norm_start: int, norm_end: int, phrase: str) -> bool:
    """Whether the label at ``norm_start``-``norm_end`` only describes or names something else: "our
    AI-generated playlists", 'read like "AI-generated" copy', "try our AI assistant in the app", "our tasting
    notes are AI-generated"."""
    folded = doc.folded
    if (
        norm_start > 0
        and folded[norm_start - 1] in _QUOTES_OPEN
        and norm_end < len(folded)
        and folded[norm_end] in _QUOTES_CLOSE
    ):
        return True
    before = _clause_before(folded, norm_start)
    if _LIKE_BEFORE.search(before) or _part_only(folded, norm_start):
        return True
    if (
        _AGENT_LABEL.search(fold_term(phrase))
        and _DETERMINED.search(before)
        and not _INTRODUCED.search(before)
        and not (_SIGN_OFF_BEFORE.match(before) and _SIGN_OFF_AFTER.match(folded, norm_end))
    ):
        return True
    if not _PARTICIPLE.search(fold_term(phrase)):
        return False
    if _said_of_another_thing(folded, before):
        return True
    m = _NEXT_WORD.match(folded, norm_end)
    return m is not None and m.group(1) not in _LABEL_NOUNS


def _clause_before(folded: str, norm_start: int) -> str:
    """The words of its clause before ``norm_start`` (up to 80 characters)."""
    before = folded[max(0, norm_start - 80) : norm_start]
    cut = max(before.rfind(c) for c in ".!?;:\n")
    return before[cut + 1 :] if cut >= 0 else before


def _labelled(doc: Document, policy: Policy, key: str, labels: Callable[[], list[str]]) -> bool:
    """A label written as it reads, not denied ("not AI-generated") and not a mere mention, an AI named as
    the author ("Written by our AI"), or a chat agent saying it is a virtual assistant or a bot ("I'm not
    just a chatbot" says so too)."""
    for start, end, phrase in sorted(PhraseSet.cached(policy, key, labels).shown(doc)):
        if not negated_at(doc, start) and not _is_mention(doc, start, end, phrase):
            return True
    for pattern in (_SELF_DISCLOSURE, _SELF_DISCLOSURE_OTHER, _AUTHORED):
        for m in pattern.finditer(doc.folded):
            start = m.start() + len(m.group()) - len(m.group().lstrip(".!?:¡¿ \t\n"))
            if (
                doc.reads_plainly(start, m.end())
                and not _REPORTED_QUESTION.search(doc.folded, max(0, start - 12), start)
                and (not negated_at(doc, start) or _RESTRICTS.search(m.group()) is not None)
                and _named(doc, start, m.end())
                and _modifiers_ok(doc, m)
                and not _part_only(doc.folded, start)
            ):
                return True
    return _hashtag_label(doc, policy, key, labels)


def _modifiers_ok(doc: Document, m: re.Match[str]) -> bool:
    """Whether the words between the determiner and what the agent is may stand there: any in the first
    person ("I'm the workshop chatbot"), otherwise modifiers (:data:`_MODIFIERS`: "a reply from our support
    bot") or a name as written, capitalised ("this is the Ollerby chatbot"; not "this is the best chatbot")."""
    mods = m.groupdict().get("mods")
    if not mods or _FIRST_PERSON.match(m.group()):
        return True
    at = m.start("mods")
    for word in re.finditer(r"[\w/-]+", mods):
        if word.group() not in _MODIFIERS and not doc.norm[at + word.start() : at + word.end()][:1].isupper():
            return False
    return True


_FIRST_PERSON = re.compile(r"i['’]m\s|i\s+am\s")
#: a self-description after "if" or "whether" is a question reported, not an answer: "You asked if I'm a
#: bot", "Wondering whether I'm a robot?", "si je suis un robot", "si soy un bot" ("ob ich ein Bot bin" has
#: no statement's word order to match)
_REPORTED_QUESTION = re.compile(r"(?:^|[^\w'’])(?:if|whether|si)\s+$")
#: a hashtag: its words are run together ("#AIgenerated", "#MadeWithAI", "#KIgeneriert", "#generadoconIA")
_HASHTAG = re.compile(r"(?<![\w#&])#([^\W_][\w-]*)")


def _hashtag_label(doc: Document, policy: Policy, key: str, labels: Callable[[], list[str]]) -> bool:
    """Whether a hashtag, as written, is one of ``labels`` with its spaces and hyphens left out ("#AIgenerated",
    "#MadeWithAI", "#ai_generated"); a longer tag ("#AIgeneratedArt", "#notAIgenerated") is another word."""
    if "#" not in doc.folded:
        return False
    cache = cache_of(policy)
    compact: frozenset[str] | None = cache.get(f"{key}:hashtags")
    if compact is None:
        compact = frozenset(fold_term(label).translate(_SQUEEZE) for label in labels()) - {""}
        cache[f"{key}:hashtags"] = compact
    longest = max(map(len, compact), default=0) * 2  # room for hyphens and underscores in the tag
    for m in _HASHTAG.finditer(doc.folded):
        body = m.group(1)
        if (
            len(body) <= longest
            and body.translate(_SQUEEZE) in compact
            and doc.reads_plainly(m.start(), m.end())
        ):
            return True
    return False


#: what a hashtag leaves out of a label: spaces, hyphens, underscores, apostrophes, dots ("ai-generated" ->
#: "aigenerated", "made with ai" -> "madewithai")
_SQUEEZE = str.maketrans(dict.fromkeys(" \t-_'’.", None))


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
        "KI-generiert", "généré par IA", "generado con IA"; also run together in a hashtag: "#AIgenerated",
        "#MadeWithAI", not "#AIgeneratedArt"), nor a chat agent's word that it is one ("I'm a virtual
        assistant", "you're chatting with our automated assistant", "I'm a bot", "I'm an AI helper", "I'm the
        Ollerby chatbot", "a reply from our support bot"; not "I'm an AI researcher" or "I'm a chatbot
        developer"; "Ich bin ein KI-Assistent", "je suis un assistant virtuel", "je suis un programme
        automatique", "soy un asistente virtual"). A label a negation
        denies ("this reply is not AI-generated") does not count, nor a mention that describes something
        else ("we never use AI-generated images", "try our AI-generated playlists", 'reads like
        "AI-generated" copy'; "AI-generated reply:" and "AI-generated content" are labels), nor another AI
        assistant the message names ("try our AI assistant in the app", "Unser KI-Assistent in der App",
        "Notre assistant IA dans l'application"; "I'm your AI assistant" and "you're chatting with our AI
        assistant" are labels). An AI named as the author is a label ("Written by our AI", "Geschrieben
        von unserer KI", "Rédigé par notre IA", "Escrito por nuestra IA"), and so is "I'm not just a
        chatbot" ("nicht nur ein Chatbot", "pas qu'un chatbot", "no solo un bot"): it says what it is, as
        does "Automated assistant here:". A label of a part that is not the text ("(Image: AI-generated)",
        "(Bild: KI-generiert)", "(Image générée par IA)", "(Imagen generada con IA)") leaves the message
        unlabelled, unless the text is named with it ("Caption and photo generated with AI"); an AI tool
        named as the maker of an attachment ("made by our AI card designer") is no author of the message.

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
        key = f"{self.code}:labels"

        def labels() -> list[str]:
            return [form for label in settings.labels for form in label_forms(label)]

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
