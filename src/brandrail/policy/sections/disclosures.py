"""``disclosures:`` — text a message must carry when something in it (or about it) calls for it (BR3xx)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from brandrail.policy.sections.base import (
    NonEmptyStr,
    RegexList,
    Section,
    StrList,
    default_of,
    new_dict,
    new_list,
)

__all__ = [
    "AiLabel",
    "Disclosure",
    "DisclosuresSection",
    "EmailFooter",
    "SmsRequirements",
    "SponsoredLabel",
    "Trigger",
]


#: Subjects that pose as a transactional notice (BR308), matched on the subject as a reader sees it:
#: lower-cased, accents removed ("expédiée" reads "expediee", "zurückgesetzt" "zuruckgesetzt"), white space
#: runs as one space. English, German, French and Spanish, read in every subject (the language is not
#: declared). A notice about an order opens the subject (or follows a colon or a dash): "Every order ships
#: free" is an offer, "Your order has shipped" a notice.
_LEAD = r"(?:^[¡¿\"'«„“]?|[:|–—-] )"
#: an order's number after the noun: "#48213", "Nr. 48213", "n° 48213", "n.o 48213"
_ID = r"(?: (?:#|nr\.? ?|no\.? ?|n° ?|n\.o ?|number |nummer )?\d[\w-]*)?"
_DEFAULT_NOTICES = [
    # English: an order shipped or confirmed, passive, active and bare ("Order shipped")
    _LEAD + r"(?:re: *)?(?:your )?(?:order|parcel|package|delivery|shipment|purchase)\b[^.!?]{0,30}"
    r"\b(?:(?:has|have|was|were|is)(?: now| just)? (?:shipped|been (?:shipped|dispatched|delivered|sent|confirmed"
    r"|cancell?ed|refunded)|dispatched|delivered|sent|confirmed|cancell?ed|refunded|out for delivery"
    r"|on (?:its|the) way))\b",
    _LEAD + r"(?:your )?(?:order|parcel|package|shipment)" + _ID + " "
    r"(?:shipped|dispatched|delivered|confirmed|cancell?ed|refunded)\b",
    r"\bwe(?:['’]ve| have)? (?:just )?(?:shipped|dispatched|sent|delivered|cancell?ed|refunded|received) your "
    r"(?:order|parcel|package|payment|refund)\b",
    r"\b(?:order|shipping|shipment|delivery|dispatch|payment) confirmation\b|\border (?:#|no\.? ?\d|number\b)"
    r"|\btracking (?:number|details)\b",
    r"^(?:your )?invoice\b|\binvoice (?:#|no\b|number|\d)|\binvoice\b[^.!?]{0,20}\b(?:attached|overdue)\b",
    r"^(?:your )?receipt\b|\breceipt (?:#|no\b|number|\d|for your (?:order|payment|purchase))",
    r"\bpayment (?:failed|declined|overdue|not received|unsuccessful|received|confirmed|reminder)\b"
    r"|\b(?:payment|card)\b[^.!?]{0,20}\b(?:was|has been|could not be|couldn['’]t be)"
    r" (?:declined|rejected|processed)\b",
    r"^(?:action required|urgent action required|final notice|final warning|last warning)\b",
    # an unpaid balance, and a subscription or membership about to end: "Overdue balance on your account",
    # "Past due: please settle your account", "Your membership will be cancelled"
    r"\b(?:overdue|outstanding|unpaid|past[- ]due) (?:balance|amount|payment|bill|invoice)s?\b|^past[- ]due\b"
    r"|\bsettle your (?:account|balance|bill)\b|\baccount (?:is )?(?:overdue|past[- ]due|in arrears)\b"
    r"|\b(?:subscription|membership|plan|contract)\b[^.!?]{0,20}\b(?:will be|has been|was|is being) "
    r"(?:\w+ )?(?:cancell?ed|terminated|suspended|closed|deactivated)\b",
    r"\baccount (?:will be |has been |was |is )?(?:closed|suspended|locked|deactivated|on hold)\b"
    r"|\b(?:unusual|suspicious) (?:sign[- ]in|login|log[- ]in|activity)\b|\bsecurity alert\b",
    r"\b(?:password (?:reset|change|changed|updated)|(?:reset|change) your password"
    r"|verify your (?:account|email(?: address)?|identity)|confirm your (?:email(?: address)?|account))\b"
    r"|\bpassword (?:was|has been|is)(?: successfully)? (?:reset|changed|updated)\b"
    r"|\bwe(?:['’]ve| have)? (?:reset|changed|updated) your password\b",
    # German: "Ihre Bestellung wurde versandt", "Bestellung versandt", "Versandbestätigung", "Rechnung Nr. …",
    # "Zahlung fehlgeschlagen", "Handlungsbedarf", "Ihr Konto wird gesperrt", "Ihr Passwort wurde zurückgesetzt"
    _LEAD + r"(?:ihre? |deine? |eure? )?(?:bestellung|lieferung|sendung|paket)\b(?:[^.!?]{0,30}"
    r"\b(?:wurde|wurden|ist|sind|wird)(?: (?:soeben|heute|gerade|erfolgreich|jetzt))?|" + _ID + r") "
    r"(?:versandt|versendet|verschickt|zugestellt|geliefert|storniert|bestatigt|erstattet|unterwegs"
    r"|auf dem weg)\b",
    r"\b(?:versand|bestell|auftrags|zahlungs|liefer|buchungs)bestatigung\b|\bsendungsnummer\b"
    r"|\bwir haben (?:ihre|deine|eure) (?:bestellung|lieferung|zahlung|sendung|paket)\b",
    r"^(?:ihre |deine |eure )?rechnung\b|\brechnung (?:#|nr\b|nummer|no\b|\d)"
    r"|\brechnung\b[^.!?]{0,25}\b(?:anbei|im anhang|angehangt|uberfallig)\b|\b(?:zahlungserinnerung|mahnung)\b",
    r"\bzahlung (?:fehlgeschlagen|abgelehnt|nicht erhalten|uberfallig|erhalten)\b|\bfehlgeschlagene zahlung\b"
    r"|\bzahlung\b[^.!?]{0,20}\b(?:ist|wurde) (?:fehlgeschlagen|abgelehnt|gescheitert|nicht erfolgreich)\b",
    r"^(?:handlung erforderlich|handlungsbedarf|aktion erforderlich|massnahme erforderlich|letzte mahnung)\b",
    r"\b(?:offener|offenen|uberfalliger|ausstehender) (?:betrag|rechnungsbetrag|saldo)\b|\bzahlungsruckstand\b"
    r"|\b(?:abo|abonnement|mitgliedschaft|vertrag)\b[^.!?]{0,20}\b(?:wird|wurde|ist) (?:\w+ )?(?:gekundigt"
    r"|beendet|storniert|gesperrt|deaktiviert|aufgelost)\b",
    r"\bkonto\b[^.!?]{0,20}\b(?:wird|wurde|ist) (?:\w+ )?(?:gesperrt|geschlossen|deaktiviert|gekundigt"
    r"|eingeschrankt|geloscht)\b|\bkonto (?:gesperrt|geschlossen|deaktiviert)\b"
    r"|\b(?:ungewohnliche|verdachtige) (?:anmeldung|aktivitat)\b|\bsicherheitswarnung\b",
    r"\b(?:passwort|kennwort) (?:zurucksetzen|andern|geandert|zuruckgesetzt|vergessen)\b"
    r"|\b(?:passwort|kennwort)\b[^.!?]{0,20}\b(?:wurde|ist) (?:\w+ )?(?:zuruckgesetzt|geandert|aktualisiert)\b"
    r"|\b(?:passwort|kennwort)-?zurucksetzung\b|\bsetzen sie (?:ihr|dein) (?:passwort|kennwort) zuruck\b"
    r"|\bbestatigen sie ihre (?:e-?mail(?:-adresse)?|anmeldung)\b"
    r"|\b(?:e-?mail-adresse|konto) (?:bestatigen|verifizieren)\b",
    # French: "Votre commande a été expédiée", "Commande expédiée", "Confirmation de commande", "Facture n° …",
    # "Échec du paiement", "Action requise", "Votre compte sera suspendu", "Réinitialisez votre mot de passe"
    _LEAD + r"(?:votre |ta |vos )?(?:commande|colis|livraison|expedition)\b(?:[^.!?]{0,30}"
    r"\b(?:a ete|ont ete|a bien ete|est|sont|vient d['’]etre)(?: bien)?|" + _ID + r") "
    r"(?:(?:expedie|envoye|livre|confirme|annule|rembourse)e?s?|en route|en chemin|en cours de livraison)\b",
    r"\bconfirmation de (?:votre )?(?:commande|livraison|paiement|l['’]expedition|expedition)\b"
    r"|\bavis d['’]expedition\b|\bnumero de suivi\b|\bcommande (?:n°|no\b|#|\d)"
    r"|\bnous avons (?:bien )?(?:expedie|envoye|recu|livre|annule) (?:votre|ta|vos) (?:commande|colis|paiement)\b",
    r"^(?:votre |ta )?facture\b|\bfacture (?:n°|no\b|n\.|#|\d)"
    r"|\bfacture\b[^.!?]{0,25}\b(?:jointe|ci-jointe|en piece jointe|impayee|en retard)\b",
    r"\bpaiement (?:refuse|echoue|rejete|en retard|non recu|recu|confirme)\b|\bechec (?:du|de) paiement\b"
    r"|\bpaiement\b[^.!?]{0,20}\b(?:a echoue|a ete refuse|a ete rejete|n['’]a pas abouti)\b|\brappel de paiement\b",
    r"^(?:action requise|action necessaire|intervention requise|dernier avis)\b",
    r"\b(?:solde|montant|facture|paiement)s? (?:impayee?s?|en souffrance)\b|\bretard de paiement\b"
    r"|\b(?:abonnement|adhesion|contrat)\b[^.!?]{0,20}\b(?:sera|a ete|est|va etre) (?:\w+ )?(?:resilie"
    r"|suspendu|annule|interrompu|desactive|supprime)e?s?\b",
    r"\bcompte\b[^.!?]{0,20}\b(?:sera|a ete|est|va etre) (?:\w+ )?(?:ferme|suspendu|bloque|desactive|supprime"
    r"|restreint)e?s?\b|\bcompte (?:suspendu|bloque|ferme|desactive)\b"
    r"|\b(?:connexion|activite) (?:inhabituelle|suspecte)\b|\balerte de securite\b",
    r"\breinitialis(?:er|ez|ation)\b[^.!?]{0,20}\bmot de passe\b|\bmot de passe (?:oublie|reinitialise|modifie)\b"
    r"|\bmot de passe\b[^.!?]{0,25}\b(?:a ete|est|a bien ete) (?:\w+ )?(?:reinitialise|modifie|change|mis a jour)\b"
    r"|\b(?:verifiez|confirmez|validez) (?:votre|ton|ta) (?:adresse (?:e-?mail|mail)|e-?mail|compte|identite)\b",
    # Spanish: "Tu pedido ha sido enviado", "Pedido enviado", "Confirmación de pedido", "Factura n.º …",
    # "Pago rechazado", "Acción requerida", "Tu cuenta será suspendida", "Restablecer contraseña"
    _LEAD + r"(?:tu |su |vuestro )?(?:pedido|paquete|envio|compra)\b(?:[^.!?]{0,30}"
    r"\b(?:ha sido|han sido|fue|fueron|se ha|se han|esta|estan|ya esta)(?: ya)?|" + _ID + r") "
    r"(?:(?:enviad|entregad|confirmad|cancelad|reembolsad|despachad|expedid)[oa]s?|en camino|en reparto"
    r"|de camino)\b",
    r"\bconfirmacion de (?:tu |su )?(?:pedido|compra|envio|pago)\b|\bnumero de seguimiento\b"
    r"|\bpedido (?:n\.o|no\b|#|\d)"
    r"|\bhemos (?:enviado|recibido|entregado|cancelado|despachado) (?:tu|su|vuestro) (?:pedido|paquete|pago|compra)\b",
    r"^(?:tu |su )?factura\b|\bfactura (?:n\.o|no\b|n°|#|\d)"
    r"|\bfactura\b[^.!?]{0,25}\b(?:adjunta|adjunto|pendiente|vencida)\b",
    r"\bpago (?:rechazado|fallido|denegado|vencido|no recibido|recibido|confirmado)\b"
    r"|\berror (?:en|de|con) (?:el|tu|su) pago\b|\bpago\b[^.!?]{0,20}\b(?:ha sido|fue) (?:rechazado|denegado)\b"
    r"|\bno (?:se ha podido|se pudo|pudimos) procesar (?:tu|su|el) pago\b|\brecordatorio de pago\b",
    r"^[¡¿]?(?:accion (?:requerida|necesaria)|se requiere (?:una )?accion|ultimo aviso)\b",
    r"\b(?:saldo|importe|pago|factura)s? (?:pendientes?|vencid[oa]s?|impagad[oa]s?)(?: de pago)?\b"
    r"|\b(?:suscripcion|membresia|abono|contrato)\b[^.!?]{0,20}\b(?:sera|ha sido|fue|va a ser) "
    r"(?:\w+ )?(?:cancelad|suspendid|cerrad|desactivad|anulad|rescindid)[oa]s?\b",
    r"\bcuenta\b[^.!?]{0,20}\b(?:sera|ha sido|fue|esta|va a ser) (?:\w+ )?(?:cerrad|suspendid|bloquead"
    r"|desactivad|eliminad|restringid)[oa]s?\b|\bcuenta (?:suspendida|bloqueada|cerrada|desactivada)\b"
    r"|\b(?:inicio de sesion|actividad) (?:inusual|sospechos[oa])\b|\balerta de seguridad\b",
    r"\brestablece(?:r|rla|la)?\b[^.!?]{0,20}\bcontrasena\b|\brestablecimiento de (?:la |tu |su )?contrasena\b"
    r"|\bcontrasena\b[^.!?]{0,20}\b(?:ha sido|fue|se ha) (?:\w+ )?(?:restablecid|cambiad|modificad|actualizad)[oa]\b"
    r"|\bcambi(?:a|ar|e) (?:tu |su )?contrasena\b"
    r"|\b(?:verifica|confirma|verifique|confirme) (?:tu|su) (?:cuenta|correo(?: electronico)?|email|identidad)\b",
]


class Trigger(Section):
    """When a disclosure is required. Any one condition that is set and holds triggers it."""

    always: bool = False
    terms: StrList = Field(
        default_factory=new_list, description="Phrases in the message (whole words, normalised)."
    )
    patterns: StrList = Field(
        default_factory=new_list, description="Regular expressions over the normalised, lower-cased text."
    )
    channels: StrList = Field(
        default_factory=new_list, description="Channel names or kinds (sms, email, ...)."
    )
    meta: dict[str, Any] = Field(
        default_factory=new_dict, description="Document metadata values, e.g. {sponsored: true}."
    )


class Disclosure(Section):
    """A conditional required text (BR301)."""

    id: NonEmptyStr
    text: NonEmptyStr = Field(description="The disclosure; `brandrail fix` appends (or prepends) it.")
    accept: StrList = Field(default_factory=new_list, description="Other wordings that also satisfy it.")
    when: Trigger = Field(default_factory=default_of(Trigger))
    position: Literal["anywhere", "start", "end"] = "anywhere"
    within: int = Field(default=100, gt=0, description="For start/end: how many characters from that edge.")
    verbatim: bool = Field(
        default=False,
        description="Accept only `text` and the `accept` wordings as written (inflections and look-alike letters "
        "aside), never the same wording said in other words: for a disclosure whose words are prescribed by law "
        "or a regulator.",
    )
    message: str | None = None


class SponsoredLabel(Section):
    """#ad / paid-partnership label near the start of sponsored posts (BR302; FTC 16 CFR 255)."""

    enabled: bool = True
    labels: StrList = Field(
        default_factory=lambda: [
            "#ad",
            "#sponsored",
            "#paidpartnership",
            "paid partnership",
            "ad:",
            "sponsored:",
            "for sponsoring",
            "advertisement",
            "#advert",
            # German, French, Spanish (the wordings their regulators and platforms use)
            "anzeige",
            "#anzeige",
            "werbung",
            "#werbung",
            "bezahlte partnerschaft",
            "gesponsert",
            "publicité",
            "#publicité",
            "#pub",
            "collaboration commerciale",
            "partenariat rémunéré",
            "#partenariat",
            "sponsorisé",
            "publicidad",
            "#publicidad",
            "#publi",
            "colaboración pagada",
            "colaboración remunerada",
            "patrocinado",
            "#patrocinado",
        ]
    )
    triggers: StrList = Field(
        default_factory=lambda: [
            "sponsored by", "in partnership with", "partnered with", "gifted", "#gifted", "use my code", "my discount code",
            "thanks to our partner", "affiliate link", "#partner",
        ]
    )  # fmt: skip
    within: int = Field(default=50, gt=0, description="The label must start within this many characters.")
    text: NonEmptyStr = "#ad"


class AiLabel(Section):
    """A label on AI-generated text where it is published (BR303; EU AI Act Art. 50)."""

    required: bool = Field(default=False, description="Require the label when the message is AI-generated.")
    channels: StrList = Field(
        default_factory=new_list, description="Channels (names or kinds) where it applies; all when empty."
    )
    assume_generated: bool = Field(
        default=True,
        description="Treat every checked message as AI-generated unless its metadata says `ai_generated: false`.",
    )
    labels: StrList = Field(
        default_factory=lambda: [
            "ai-generated",
            "generated by ai",
            "generated with ai",
            "written with ai",
            "created with ai",
            "made with ai",
            "with the help of ai",
            "written by ai",
            "ai-assisted",
            "ai assistant",
            "ai chatbot",
            "ai bot",
            "ai reply",
            "ai answer",
            # German, French, Spanish
            "ki-generiert",
            "ki-generierte",
            "ki-generierter",
            "ki-generiertes",
            "mit ki erstellt",
            "von ki erstellt",
            "ki-assistent",
            "généré par ia",
            "généré par l'ia",
            "généré avec l'ia",
            "générée par ia",
            "générée par l'ia",
            "générée avec l'ia",
            "assistant ia",
            "generado con ia",
            "generado por ia",
            "generada con ia",
            "generada por ia",
            "creado con ia",
            "creada con ia",
            "asistente de ia",
            # the same wordings as the English ones above, in German, French and Spanish
            "mit hilfe von ki",
            "mithilfe von ki",
            "mit ki geschrieben",
            "von ki geschrieben",
            "mit ki generiert",
            "von ki generiert",
            "ki-gestützt",
            "ki-antwort",
            "ki-chatbot",
            "avec l'aide de l'ia",
            "rédigé par l'ia",
            "rédigé avec l'ia",
            "rédigée par l'ia",
            "rédigée avec l'ia",
            "écrit par l'ia",
            "écrit avec l'ia",
            "créé avec l'ia",
            "créé par l'ia",
            "généré par l'intelligence artificielle",
            "générée par l'intelligence artificielle",
            "assistant d'ia",
            "réponse ia",
            "chatbot ia",
            "con ayuda de ia",
            "con ayuda de la ia",
            "con la ayuda de la ia",
            "escrito con ia",
            "escrito por ia",
            "escrita con ia",
            "escrita por ia",
            "creado por ia",
            "creada por ia",
            "generado con inteligencia artificial",
            "generado por inteligencia artificial",
            "generada con inteligencia artificial",
            "generada por inteligencia artificial",
            "creado con inteligencia artificial",
            "creada con inteligencia artificial",
            "respuesta de ia",
            "chatbot de ia",
        ]
    )
    text: NonEmptyStr = "This message was generated with AI."


class SmsRequirements(Section):
    """Opt-out text and sender identification in SMS (BR304, BR305; TCPA 47 CFR 64.1200)."""

    opt_out: bool = True
    opt_out_accept: StrList = Field(
        default_factory=lambda: [
            "reply stop",
            "text stop",
            "txt stop",
            "send stop",
            "stop to opt out",
            "stop to unsubscribe",
            "stop to end",
            "stop2end",
            "stop to cancel",
        ]
    )
    opt_out_patterns: bool = Field(
        default=True,
        description="Also accept any opt-out instruction built from a keyword (STOP, END, CANCEL, QUIT, "
        "UNSUBSCRIBE) and a verb or purpose, e.g. 'unsubscribe with STOP' (BR304).",
    )
    opt_out_links: bool = Field(
        default=False,
        description="Also accept an opt-out link ('opt out of texts at example.com/sms', 'to stop texts visit "
        "https://...'). Off by default: CTIA practice is a reply keyword such as STOP (BR304).",
    )
    opt_out_text: NonEmptyStr = "Reply STOP to opt out."
    sender: bool = True
    sender_names: StrList = Field(
        default_factory=new_list, description="Names that identify the sender; `brand.name` when empty."
    )


class EmailFooter(Section):
    """Unsubscribe and postal address in marketing e-mail (BR306, BR307; CAN-SPAM 15 U.S.C. 7704)."""

    unsubscribe: bool = True
    unsubscribe_accept: StrList = Field(
        default_factory=lambda: [
            "unsubscribe",
            "opt out",
            "opt-out",
            "manage preferences",
            "email preferences",
            "manage your preferences",
            "email settings",
            "stop receiving",
            "no longer receive",
            # German, French, Spanish
            "abmelden",
            "abbestellen",
            "austragen",
            "désabonner",
            "désabonnez-vous",
            "désabonnement",
            "désinscrire",
            "désinscrivez-vous",
            "désinscription",
            "darse de baja",
            "darte de baja",
            "date de baja",
            "cancelar suscripción",
            "anular suscripción",
            "cancelar tu suscripción",
            "cancelar la suscripción",
            "cancela tu suscripción",
            "anular tu suscripción",
            "anula tu suscripción",
            "cancele su suscripción",
        ]
    )
    unsubscribe_text: NonEmptyStr = "Unsubscribe: {website}/unsubscribe"
    unsubscribe_link: bool = Field(
        default=False,
        description="Require a link, not just the word: in plain text a URL on the unsubscribe line or one "
        "whose path says unsubscribe/opt-out/preferences (BR306).",
    )
    postal_address: bool = True
    address: str | None = Field(
        default=None, description="The postal address; `brand.postal_address` when unset."
    )
    address_parts: StrList = Field(
        default_factory=new_list,
        description="The parts of the address that must all appear (street, town, postcode...); by default "
        "the address's comma-separated parts, of which two suffice unless `address_all_parts` is set.",
    )
    address_all_parts: bool = Field(
        default=False, description="Require every part of the address, not just two (BR307)."
    )
    deceptive_subject_prefixes: StrList = Field(
        default_factory=lambda: [
            "re:",
            "fw:",
            "fwd:",  # English
            "aw:",
            "wg:",  # German (Antwort, Weitergeleitet)
            "tr:",
            "réf:",  # French (transféré)
            "antw:",
            "doorst:",  # Dutch
            "sv:",
            "vs:",
            "vl:",  # Swedish, Danish, Norwegian, Finnish
            "rif:",
            "inoltro:",  # Italian
            "res:",
            "enc:",  # Portuguese
            "rv:",  # Spanish (reenviado)
        ],
        description="Subject prefixes that fake a conversation (BR308).",
    )
    deceptive_subject_notices: RegexList = Field(
        default_factory=lambda: list(_DEFAULT_NOTICES),
        description="Regular expressions over the subject of a marketing e-mail as a reader sees it (lower-cased, "
        "accents removed, white space runs as one space) that make it pose as "
        "a transactional notice (an order shipped, an invoice, a failed payment, an account about to close, a "
        "password reset), in English, German, French and Spanish by default; a pattern written with accents is "
        "tried on the subject with its accents as well. Mail whose metadata says `marketing: false` may say so "
        "(BR308). An empty list turns this check off.",
    )
    marketing_by_default: bool = Field(
        default=True, description="Treat e-mail as marketing unless its metadata says `marketing: false`."
    )


class DisclosuresSection(Section):
    required: list[Disclosure] = Field(default_factory=new_list)
    sponsored: SponsoredLabel = Field(default_factory=default_of(SponsoredLabel))
    ai_label: AiLabel = Field(default_factory=default_of(AiLabel))
    sms: SmsRequirements = Field(default_factory=default_of(SmsRequirements))
    email: EmailFooter = Field(default_factory=default_of(EmailFooter))
