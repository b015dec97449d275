"""``gate:`` section of the policy: what an agent may do, how often, how much, and when a human decides."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from brandrail.policy.sections.base import Section, StrList, default_of, new_dict, new_list

__all__ = [
    "AUTO_TOTAL_MULTIPLE",
    "ApprovalsPolicy",
    "AudiencePolicy",
    "BudgetPolicy",
    "ConsentPolicy",
    "CustomActionPolicy",
    "FixPolicy",
    "FrequencyCap",
    "GateSection",
    "LimitsPolicy",
    "MaskingPolicy",
    "PricePolicy",
    "PrincipalEntry",
    "PrivacyPolicy",
    "QuietHours",
    "SendRate",
    "TimePolicy",
    "parse_duration",
]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
#: The longest duration a policy may give (ten years): windows and horizons beyond it are typos.
_LONGEST = timedelta(days=3653)
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@lru_cache(maxsize=256)
def parse_duration(text: str) -> timedelta:
    """``"7d"``, ``"24h"``, ``"90m"``, ``"30s"``, ``"2w"`` → a timedelta."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"duration {text!r} must look like 30s, 90m, 24h, 7d or 2w")
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds > _LONGEST.total_seconds():
        raise ValueError(f"duration {text!r} is longer than {_LONGEST.days} days, the longest the gate takes")
    return timedelta(seconds=seconds)


def _check_duration(value: str) -> str:
    parse_duration(value)
    return value


class BudgetPolicy(Section):
    """Spend caps (amounts in the account currency; at most 2 decimals)."""

    max_per_action: Decimal | None = Field(default=None, ge=0, description="Largest single spend (AG101).")
    campaign_daily_cap: Decimal | None = Field(
        default=None, ge=0, description="Total spend per campaign per UTC day (AG102)."
    )
    campaign_caps: dict[str, Decimal] = Field(
        default_factory=new_dict, description="Per-campaign daily caps overriding campaign_daily_cap."
    )
    agent_cap: Decimal | None = Field(
        default=None, ge=0, description="Total spend per agent per period (AG103)."
    )
    agent_period: Literal["day", "week", "month"] = "day"
    daily_cap: Decimal | None = Field(
        default=None,
        ge=0,
        description="Total spend per UTC day across every campaign and agent (AG106): new campaign names or "
        "more agents do not add room.",
    )
    max_budget: Decimal | None = Field(
        default=None,
        ge=0,
        description="Most a budget set by set_budget or launch_campaign may let a campaign spend in one "
        "max_budget_period (AG104): a budget of a longer period counts whole, one of a shorter period "
        "counts as many times as it repeats in it.",
    )
    max_budget_period: Literal["day", "week", "month", "total"] | None = Field(
        default=None,
        description="The period max_budget is the most for; unset: day (the meaning max_budget always had). "
        "A day budget of 100 is 3100 a month, a week budget may be spent in one day, and a budget of any "
        "period but total has no total.",
    )
    require_campaign_budget: bool = Field(
        default=False,
        description="Deny a spend on a campaign that has no budget set by an allowed set_budget (AG108). "
        "Off: such a spend meets only the policy-wide caps, as before budgets were bound.",
    )
    currency: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{3}$",
        description="The account currency (ISO 4217, e.g. GBP): a spend in another currency is denied (AG105), "
        "since caps compare amounts in this one. Unset: the spend's currency is not checked.",
    )

    @model_validator(mode="after")
    def _period_needs_maximum(self) -> BudgetPolicy:
        """A max_budget_period without max_budget limits nothing: most likely max_budget was forgotten."""
        if self.max_budget_period is not None and self.max_budget is None:
            raise ValueError(
                "max_budget_period is set but max_budget is not: give the maximum budget for that period "
                "(max_budget), or remove max_budget_period"
            )
        return self


class PricePolicy(Section):
    """Price and discount bounds for set_price / set_discount."""

    floor: Decimal | None = Field(default=None, ge=0, description="Lowest price (AG201).")
    ceiling: Decimal | None = Field(default=None, ge=0, description="Highest price (AG202).")
    min_margin: float | None = Field(
        default=None, ge=0, lt=1, description="Lowest (price - cost) / price after discount (AG203)."
    )
    max_discount: float | None = Field(
        default=None, ge=0, le=100, description="Largest discount in % (AG204)."
    )
    max_change_per_day: float | None = Field(
        default=None, ge=0, description="Largest change vs. the day's opening price, in % (AG205)."
    )
    items: dict[str, dict[str, Decimal]] = Field(
        default_factory=new_dict,
        description="Per item: {item: {floor: .., ceiling: .., cost: ..}}. floor and ceiling override the "
        "section's; cost is the unit cost the margin (AG203) is computed on — an action's own cost can only "
        "raise it.",
    )
    unknown_cost: Literal["review", "deny"] = Field(
        default="review",
        description="With min_margin set, what happens to a set_price or set_discount whose item has no cost "
        "in items and whose action gives none, so its margin cannot be checked (AG207): a human decides "
        "(review) or it is denied.",
    )

    @field_validator("items")
    @classmethod
    def _item_bounds(cls, value: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, Decimal]]:
        """Only ``floor``, ``ceiling`` and ``cost``, never negative: a misspelt bound would otherwise never
        apply."""
        import difflib

        known = ["floor", "ceiling", "cost"]
        for item, bounds in value.items():
            for key, amount in bounds.items():
                if key not in known:
                    close = difflib.get_close_matches(key, known, n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    raise ValueError(
                        f"items.{item}: unknown bound {key!r}{hint}; an item takes floor, ceiling and cost"
                    )
                if amount < 0:
                    raise ValueError(f"items.{item}.{key}: {amount} is negative")
        return value


class FrequencyCap(Section):
    """At most ``max`` messages per recipient on ``channel`` in any rolling ``window``."""

    channel: Literal["email", "sms", "push", "*"] = "*"
    max: int = Field(ge=0)
    window: str = "7d"

    _v = field_validator("window")(_check_duration)


class SendRate(Section):
    """At most ``max`` messages on ``channel`` across all recipients in any rolling ``window`` (AG302)."""

    channel: Literal["email", "sms", "push", "*"] = "*"
    max: int = Field(ge=0)
    window: str = "1m"

    _v = field_validator("window")(_check_duration)


class QuietHours(Section):
    """Local hours in which a channel may deliver, in the recipient's time zone (AG303)."""

    allowed: str = Field(default="08:00-21:00", description="HH:MM-HH:MM, local time; may wrap midnight.")

    @field_validator("allowed")
    @classmethod
    def _window(cls, value: str) -> str:
        parts = value.split("-")
        if len(parts) != 2 or not all(_HHMM.match(p.strip()) for p in parts):
            raise ValueError(f"{value!r} must look like 08:00-21:00")
        return value


class ConsentPolicy(Section):
    """Consent and suppression (AG401-AG404)."""

    require_opt_in: StrList = Field(
        default_factory=lambda: ["email", "sms", "push"],
        description="Channels that need a granted consent record in the store before a send.",
    )
    tcf_purposes: list[int] = Field(
        default_factory=lambda: [1, 3, 4],
        description="IAB TCF v2 purposes a personalised action needs (1 store/access, 3-4 personalised ads).",
    )
    tcf_vendor_id: int | None = Field(default=None, ge=1, description="Our vendor id; checked when set.")
    honour_gpc: bool = True
    require_signals: list[Literal["gpc", "tcf"]] = Field(
        default_factory=new_list,
        description="Consent signals a personalised message must state for its recipient (AG407): `gpc` "
        "(true or false; leaving it out is not false) and `tcf` (a TC string, or an empty string when the "
        "recipient's browser gave none). Empty: nothing is required, as before.",
    )
    missing_signal: Literal["deny", "review"] = Field(
        default="deny",
        description="What happens to a personalised message that does not state a required signal (AG407).",
    )
    grant_on: Literal["any", "address"] = Field(
        default="any",
        description="Whose grant counts: `any` identifier of the recipient, or only the `address` the channel "
        "delivers to (its e-mail address or mailbox for email, its phone number for sms), so that an agent "
        "cannot pair a consenting customer id with another person's address. A withdrawal under any "
        "identifier wins either way.",
    )


class ApprovalsPolicy(Section):
    """When an action goes to a human (AG701) and how long an approval lives."""

    spend_over: Decimal | None = Field(default=None, ge=0)
    budget_over: Decimal | None = Field(default=None, ge=0)
    discount_change_over: float | None = Field(default=None, ge=0, description="Discount in % above which.")
    price_change_over: float | None = Field(default=None, ge=0, description="Change vs. opening price, in %.")
    audience_size_over: int | None = Field(default=None, ge=0)
    new_campaign: bool = False
    reply_without_turns: bool = Field(
        default=False,
        description="Send a reply_customer that comes without `turns` (the conversation before it) to "
        "review: without them the reply cannot be judged against the customer's state (voice.context).",
    )
    kinds: StrList = Field(
        default_factory=new_list, description="Action kinds (or custom names) always reviewed."
    )
    expires_after: str = "24h"

    _v = field_validator("expires_after")(_check_duration)


#: ``auto`` bounds the audience declared per day at this many times ``approvals.audience_size_over``.
AUTO_TOTAL_MULTIPLE = 10


def _declared_total_value(value: object) -> object:
    """One message for a bad bound (not one per member of the union). YAML reads a bare ``off`` as false:
    that is ``off`` too."""
    if value is False:
        return "off"
    if value in ("auto", "off") or (type(value) is int and value >= 0):
        return value
    raise ValueError("must be a number of people (0 or more), auto or off")


#: A bound on the audience declared per day: a count of people, ``auto`` or ``off``.
DeclaredTotal = Annotated[int | Literal["auto", "off"], BeforeValidator(_declared_total_value)]


#: Attributes that stand in for protected ones (redlining by postcode, names and language for ethnicity
#: or national origin): read where ``gate.audience.protected_targeting`` applies (AG506).
_DEFAULT_PROXIES = (
    "postcode", "postal code", "zip", "zip code", "zipcode", "first name", "last name", "surname",
    "given name", "family name", "language", "mother tongue", "country of birth", "birthplace",
    "citizenship", "marital status", "pregnancy", "maternity",
    # where someone lives, finer than a postcode: redlining by neighbourhood
    "census tract", "census block", "block group", "neighbourhood", "neighborhood", "postal district",
    "postal sector", "outcode",
    # national origin: papers and status
    "passport", "visa status", "immigration status", "residency status", "national origin",
    # sex: how someone is addressed
    "salutation", "honorific", "pronoun", "pronouns",
    # age: the year a stage of life was reached
    "graduation year", "year of graduation", "graduation date", "years since graduation",
    "life stage", "retirement", "retired",
    # family status (the Fair Housing Act's familial status)
    "family status", "familial status", "family situation", "household composition",
    # the same proxies in German, French, Spanish, Italian, Dutch and Portuguese
    "postleitzahl", "plz", "code postal", "codigo postal", "codice postale", "codigo de endereco",
    "vorname", "nachname", "familienname", "prenom", "nom de famille", "apellido", "apellidos", "cognome",
    "voornaam", "achternaam", "sobrenome", "sprache", "muttersprache", "langue", "langue maternelle",
    "idioma", "lengua", "lengua materna", "lingua", "lingua madre", "lingua materna", "taal", "moedertaal",
    "geburtsland", "geburtsort", "pays de naissance", "lieu de naissance", "pais de nacimiento",
    "lugar de nacimiento", "paese di nascita", "luogo di nascita", "geboorteland", "geboorteplaats",
    "pais de nascimento", "staatsburgerschaft", "citoyennete", "ciudadania", "cittadinanza", "burgerschap",
    "cidadania", "aufenthaltsstatus", "reisepass", "passeport", "pasaporte", "passaporto", "paspoort",
    "familienstand", "situation familiale", "etat civil", "situation matrimoniale", "estado civil",
    "stato civile", "burgerlijke staat", "gezinssituatie", "schwangerschaft", "grossesse", "embarazo",
    "gravidanza", "zwangerschap", "gravidez", "anrede", "civilite", "tratamiento",
    "ruhestand", "retraite", "jubilacion", "pensione", "pensioen", "aposentadoria", "lebensphase",
    # where someone lives, by the district's own name
    "district", "school district",
    # the same proxies in Polish, Turkish, Swedish, Norwegian, Danish, Finnish, Hungarian, Greek and Arabic
    # (matched as attribute names are read: accents folded, so "sivilstand" and "civilstånd" are words)
    "kod pocztowy", "dzielnica", "nazwisko", "imię", "język", "język ojczysty", "miejsce urodzenia",
    "stan cywilny", "paszport", "emerytura", "posta kodu", "mahalle", "semt", "soyadı", "ana dil",
    "doğum yeri", "medeni durum", "medeni hal", "pasaport", "emeklilik", "postnummer", "stadsdel", "bydel",
    "efternamn", "etternavn", "efternavn", "förnamn", "fornavn", "språk", "sprog", "modersmål", "morsmål",
    "födelseland", "fødeland", "fødested", "civilstånd", "civilstand", "sivilstand", "sivilstatus",
    "pensionering", "postinumero", "kaupunginosa", "sukunimi", "etunimi", "kieli", "äidinkieli",
    "syntymämaa", "syntymäpaikka", "siviilisääty", "passi", "eläke", "irányítószám", "kerület",
    "vezetéknév", "keresztnév", "nyelv", "anyanyelv", "születési hely", "családi állapot", "útlevél",
    "nyugdíj", "ταχυδρομικός κώδικας", "συνοικία", "επώνυμο", "γλώσσα", "μητρική γλώσσα", "τόπος γέννησης",
    "οικογενειακή κατάσταση", "διαβατήριο", "σύνταξη", "الرمز البريدي", "الحي", "اسم العائلة", "اللغة",
    "اللغة الأم", "مكان الميلاد", "الحالة الاجتماعية", "جواز السفر", "التقاعد",
    # pronouns and districts in the other languages read ("pronombres", "Pronomen"; a Paris arrondissement,
    # a Berlin Bezirk, a London borough), and children in the household (familial status)
    "pronombres", "pronoms", "pronomen", "pronomi", "pronomes", "voornaamwoorden", "pronume", "zájmena",
    "arrondissement", "arrondissements", "bezirk", "stadtteil", "kiez", "quartier", "barrio", "distrito",
    "bairro", "quartiere", "wijk", "borough", "has children", "has kids", "number of children",
    "children in household", "kids in household", "household type",
    # the same proxies in Czech, Slovak, Romanian, Russian, Ukrainian, Chinese, Japanese, Korean and Hindi
    "psč", "poštovní směrovací číslo", "příjmení", "priezvisko", "jméno", "rodinný stav", "jazyk",
    "mateřský jazyk", "materinský jazyk", "místo narození", "cod poștal", "nume de familie", "prenume",
    "stare civilă", "limba maternă", "locul nașterii", "cartier", "почтовый индекс", "фамилия", "имя",
    "семейное положение", "язык", "родной язык", "место рождения", "район", "поштовий індекс", "прізвище",
    "сімейний стан", "мова", "рідна мова", "邮政编码", "邮编", "郵便番号", "姓", "名字", "氏名", "婚姻状况",
    "婚姻狀況", "配偶者", "语言", "語言", "言語", "母语", "母語", "出生地", "우편번호", "성씨", "결혼 여부", "언어",
    "पिन कोड", "उपनाम", "वैवाहिक स्थिति", "भाषा", "मातृभाषा",
    # the same proxies in Swahili, Tagalog, Bengali, Tamil, Persian, Urdu, Amharic, Georgian, Armenian,
    # Icelandic, Lithuanian, Estonian, Latvian, Serbian, Bulgarian, Catalan and Welsh (the Estonian "keel",
    # language, is left out: it is an English word)
    "lugha", "lugha ya nyumbani", "lugha ya mama", "msimbo wa posta", "hali ya ndoa", "wika",
    "katutubong wika", "katayuang sibil", "ভাষা", "মাতৃভাষা", "পোস্ট কোড", "বৈবাহিক অবস্থা", "மொழி",
    "தாய்மொழி", "அஞ்சல் குறியீடு", "திருமண நிலை", "زبان", "زبان مادری", "کد پستی", "وضعیت تاهل", "مادری زبان",
    "پوسٹ کوڈ", "ازدواجی حیثیت", "ቋንቋ", "የአፍ መፍቻ ቋንቋ", "ენა", "მშობლიური ენა", "საფოსტო ინდექსი",
    "ოჯახური მდგომარეობა", "լեզու", "մայրենի լեզու", "փոստային ինդեքս", "ամուսնական կարգավիճակ", "tungumál",
    "móðurmál", "póstnúmer", "hjúskaparstaða", "kalba", "gimtoji kalba", "pašto kodas",
    "šeimyninė padėtis", "emakeel", "postiindeks", "perekonnaseis", "valoda", "dzimtā valoda",
    "pasta indekss", "ģimenes stāvoklis", "jezik", "maternji jezik", "poštanski broj", "bračni status",
    "bračno stanje", "језик", "матерњи језик", "поштански број", "брачно стање", "език", "майчин език",
    "пощенски код", "семейно положение", "llengua", "llengua materna", "codi postal", "estat civil",
    "iaith", "mamiaith", "cod post", "statws priodasol",
)  # fmt: skip


#: Attribute and value words of an audience chosen by a model rather than by a stated fact: a lookalike or
#: "similar" audience grown from a seed list, a propensity or likelihood score. A model trained on who
#: responded learns protected attributes on its own (AG507).
_DEFAULT_MODELLED = (
    "lookalike", "look alike", "lal", "similar audience", "similar audiences", "seed audience", "propensity",
    "likelihood", "predicted", "prediction", "model score", "ml score", "affinity score", "similar to",
    "similar users", "similar customers", "similar people",
)  # fmt: skip


class AudiencePolicy(Section):
    """How a campaign's sends are bound to the audience size it was declared (and approved) at, when
    approvals.audience_size_over is set (AG503, AG504), and how much audience a principal (or the account)
    may declare in any 24 hours, summed over campaigns, before a human decides (AG505)."""

    tolerance: float = Field(
        default=0.1,
        ge=0,
        le=10,
        description="How far a campaign's marketing sends may go past its declared audience size, as a "
        "fraction (0.1: 10% more sends than people declared).",
    )
    over_declared: Literal["deny", "review"] = Field(
        default="deny",
        description="A marketing send past the campaign's declared size and tolerance (AG504): denied, or "
        "held for a human (each such send).",
    )
    undeclared: Literal["deny", "review", "allow"] = Field(
        default="deny",
        description="A marketing send for a campaign no target_audience was allowed for, or with no campaign "
        "(AG503): denied, held for a human, or allowed unbound (the old behaviour, which lets an "
        "agent skip the audience approval).",
    )
    protected_targeting: Literal["allow", "review", "deny"] = Field(
        default="allow",
        description="A target_audience whose criteria select or exclude people by one of "
        "gate.protected_attributes (a criterion on the attribute, or a value that names such a group), or by "
        "one of `proxy_attributes`, in a campaign matching `protected_campaigns` (AG506): allowed (ordinary "
        "marketing may aim at an age or a gender), held for a human, or denied (credit, housing and job "
        "offers, where such targeting is unlawful discrimination).",
    )
    protected_campaigns: StrList = Field(
        default_factory=lambda: ["*"],
        description="Campaigns (shell patterns, case-insensitive, such as `loan-*`) where "
        "`protected_targeting` applies; a target_audience without a campaign matches only `*`.",
    )
    proxy_attributes: StrList = Field(
        default_factory=lambda: list(_DEFAULT_PROXIES),
        description="Attributes that stand in for a protected one where `protected_targeting` applies "
        "(postcodes and names stand in for ethnicity, language for national origin): a criterion on one "
        "counts as on a protected attribute. Matched by their words, as attribute names are.",
    )
    modelled_targeting: Literal["allow", "review", "deny"] = Field(
        default="review",
        description="Where `protected_targeting` applies (it is `review` or `deny`, and the campaign matches "
        "`protected_campaigns`): a target_audience criterion that selects people by a model's output — an "
        "attribute or value holding one of `modelled_attributes` (a lookalike audience, a propensity score) "
        "(AG507): held for a human (the default), denied (as ad platforms do for credit, housing and job "
        "ads) or allowed. Such a model learns protected attributes from who responded, so the criteria "
        "alone cannot show it is fair: audit the delivery for disparate impact.",
    )
    modelled_attributes: StrList = Field(
        default_factory=lambda: list(_DEFAULT_MODELLED),
        description="Words of an attribute or value that mark a criterion as a model's output (lookalike, "
        "propensity, predicted…), matched by their words as attribute names are: `lookalike_1pct`, "
        "`propensityScore`, a value `Lookalike (US, 1%) - buyers`.",
    )
    declared_per_agent_per_day: DeclaredTotal = Field(
        default="auto",
        description="Most people one principal may declare (the sum of its target_audience sizes, every "
        "campaign) in any 24 hours (a rolling window, not the calendar day) before a declaration is held "
        "for a human (AG505): a number, `auto` "
        f"({AUTO_TOTAL_MULTIPLE} times approvals.audience_size_over when that is set, else no bound) or "
        "`off`. Splitting one audience into many small campaigns then reaches review all the same.",
    )
    declared_per_day: DeclaredTotal = Field(
        default="off",
        description="The same bound for the whole account (every principal) in any 24 hours (AG505): a "
        "number, "
        f"`auto` ({AUTO_TOTAL_MULTIPLE} times approvals.audience_size_over when set) or `off`.",
    )

    def declared_totals(self, audience_size_over: int | None) -> tuple[int | None, int | None]:
        """The per-principal and account bounds in force: ``auto`` resolved against
        ``approvals.audience_size_over``, ``off`` as None."""
        return (
            _declared_total(self.declared_per_agent_per_day, audience_size_over),
            _declared_total(self.declared_per_day, audience_size_over),
        )


def _declared_total(value: int | str, audience_size_over: int | None) -> int | None:
    if isinstance(value, int):
        return value
    if value == "auto" and audience_size_over is not None:
        return AUTO_TOTAL_MULTIPLE * audience_size_over
    return None


class FixPolicy(Section):
    """What the gate may change itself (a ``modify`` decision) instead of denying."""

    content: bool = True
    reschedule: bool = True
    clamp_discount: bool = False


class MaskingPolicy(Section):
    """How personal data in actions is masked before it is written to the ledger."""

    mode: Literal["redact", "hash", "none"] = "redact"
    fields: StrList = Field(
        default_factory=lambda: ["recipient.email", "recipient.phone", "recipient.name"],
        description="Dotted paths of fields masked whole.",
    )
    content: bool = True
    salt: str = Field(default="", description="Salt for mode: hash.")


class TimePolicy(Section):
    """Whose clock decides (AG003, AG304): the gate's. An action's ``time`` is a claim, checked for skew."""

    max_skew: str = Field(
        default="5m",
        description="Largest difference between an action's `time` and the gate's clock before AG003 denies.",
    )
    past_send_at: Literal["now", "refuse"] = Field(
        default="now",
        description="A `send_at` earlier than now (beyond max_skew): `now` sends now (modify), `refuse` denies.",
    )
    max_send_ahead: str = Field(
        default="366d",
        description="Latest `send_at` after the gate's clock before AG305 denies the send.",
    )

    _v = field_validator("max_skew", "max_send_ahead")(_check_duration)


class LimitsPolicy(Section):
    """Size limits (AG004), checked before any costly rule runs. Lengths are in characters."""

    max_action_bytes: int = Field(
        default=262_144, ge=1024, description="Largest action (its JSON text, or the sum of its values)."
    )
    max_field_chars: int = Field(default=4096, ge=16, description="Longest string in any other field.")
    fields: dict[str, int] = Field(
        default_factory=lambda: {
            "content": 65_536,
            "subject": 998,
            "recipient.tcf": 8192,
            "turns.text": 65_536,
        },
        description="Per-field limits by dotted path without list indexes, e.g. content, args.note.",
    )
    max_items: int = Field(default=1000, ge=1, description="Most items in one list or object.")
    max_depth: int = Field(default=16, ge=2, description="Deepest nesting of lists and objects.")


class PrincipalEntry(Section):
    """A principal registered in the policy (reviewers, executors, the library's own identity)."""

    id: str = Field(min_length=1, max_length=200)
    roles: list[Literal["agent", "executor", "reviewer", "auditor", "admin"]] = Field(min_length=1)
    display: str | None = None


class PrivacyPolicy(Section):
    """Pseudonyms for customer identifiers (see docs/ledger.md, "Personal data and erasure")."""

    key_file: str = Field(
        default=".brandrail/pseudonym.key",
        description="HMAC key file (outside the ledger; one `id:hex` key a line, the first is current). "
        "The environment variable BRANDRAIL_PSEUDONYM_KEY overrides it.",
    )
    phone_region: str = Field(default="US", description="Region for phone numbers written without +country.")


class CustomActionPolicy(Section):
    """A ``custom`` action kind: its JSON Schema for ``args``; which of its ``args`` a customer reads."""

    schema_: dict[str, Any] = Field(default_factory=new_dict, alias="schema")
    review: bool = False
    #: dotted paths of ``args`` that hold text a customer reads (a string or a list of strings): checked
    #: like a message's content (banned terms, claims, personal data…), fixed or denied
    content: list[str] = Field(default_factory=new_list)
    #: the policy channel whose limits and overrides apply to that content (a key of ``channels:``)
    channel: str | None = None

    model_config = Section.model_config | {"populate_by_name": True}

    @field_validator("schema_")
    @classmethod
    def _valid_schema(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            import jsonschema  # type: ignore[import-untyped]
        except ImportError:  # checked again (fail closed) when an action uses it
            return value
        try:
            jsonschema.Draft202012Validator.check_schema(value)
        except jsonschema.SchemaError as exc:
            raise ValueError(f"not a valid JSON Schema: {exc.message}") from None
        return value

    @field_validator("content")
    @classmethod
    def _content_paths(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for path in value:
            if not path or any(not part.strip() or part != part.strip() for part in path.split(".")):
                raise ValueError(
                    f"{path!r} is not a dotted path of args (write a key of args, or key.subkey, "
                    "without spaces or empty parts)"
                )
        if len(set(value)) != len(value):
            raise ValueError("a path is listed twice")
        props = (info.data.get("schema_") or {}).get("properties")
        if isinstance(props, dict):
            for path in value:
                head = path.split(".", 1)[0]
                if head not in props:
                    raise ValueError(
                        f"content path {path!r}: args has no property {head!r} in the schema "
                        f"(properties: {', '.join(sorted(props)) or 'none'}); list it under the schema's "
                        "properties, or fix the path"
                    )
        return value


_DEFAULT_SENSITIVE = [
    "health",
    "medical",
    "diagnosis",
    "pregnancy",
    "disability",
    "ethnicity",
    "ethnic",
    "race",
    "racial",
    "religion",
    "religious",
    "faith",
    "sexual_orientation",
    "sexuality",
    "gender_identity",
    "political",
    "politics",
    "union",
    "trade_union",
    "genetic",
    "biometric",
]


class GateSection(Section):
    """Settings for the agent action gate (see docs/gate.md)."""

    store_url: str = Field(
        default="sqlite:///.brandrail/gate.db", description="State store and ledger database."
    )
    durability: Literal["strict", "fast"] = Field(
        default="strict",
        description=(
            "strict: every decision is on disk when decide() returns (SQLite synchronous=FULL; PostgreSQL "
            "the server's synchronous_commit, normally on). fast: SQLite synchronous=NORMAL and PostgreSQL "
            "synchronous_commit=off; a crash of the gate process still loses nothing, but a crash of the "
            "database server or machine can lose the last decisions returned (see docs/gate.md)."
        ),
    )
    store_timeout: str = Field(
        default="30s",
        description=(
            "How long one decision may wait for the store's write lock (SQLite's busy timeout), retries of a "
            "transaction that lost to another writer included (SQLite busy, PostgreSQL serialisation "
            "failure or deadlock; jittered backoff). Past it the action is denied (AG000) and the deny is "
            "recorded in a second transaction that gets as long again; a deny that cannot be recorded even "
            "then says so (AG006). A duration such as 30s or 0.5s."
        ),
    )
    budget: BudgetPolicy = Field(default_factory=default_of(BudgetPolicy))
    price: PricePolicy = Field(default_factory=default_of(PricePolicy))
    protected_attributes: StrList = Field(
        default_factory=lambda: [
            "age",
            "gender",
            "sex",
            "race",
            "ethnicity",
            "religion",
            "disability",
            "nationality",
        ],
        description="Attributes a price or discount may never be keyed on (AG206).",
    )
    frequency: list[FrequencyCap] = Field(default_factory=new_list)
    send_rates: list[SendRate] = Field(default_factory=new_list)
    quiet_hours: dict[str, QuietHours] = Field(
        default_factory=lambda: {"sms": QuietHours()}, description="Per channel: email, sms, push."
    )
    default_timezone: str = "UTC"
    consent: ConsentPolicy = Field(default_factory=default_of(ConsentPolicy))
    sensitive_categories: StrList = Field(default_factory=lambda: list(_DEFAULT_SENSITIVE))
    minimum_age: int = Field(default=18, ge=0)
    content_checks: bool = True
    approvals: ApprovalsPolicy = Field(default_factory=default_of(ApprovalsPolicy))
    audience: AudiencePolicy = Field(default_factory=default_of(AudiencePolicy))
    fixes: FixPolicy = Field(default_factory=default_of(FixPolicy))
    masking: MaskingPolicy = Field(default_factory=default_of(MaskingPolicy))
    custom_actions: dict[str, CustomActionPolicy] = Field(default_factory=new_dict)
    time: TimePolicy = Field(default_factory=default_of(TimePolicy))
    limits: LimitsPolicy = Field(default_factory=default_of(LimitsPolicy))
    identity: str = Field(
        default="library",
        min_length=1,
        description="The library's own principal when decide() gets none (roles from `principals`, "
        "else agent and executor).",
    )
    principals: list[PrincipalEntry] = Field(
        default_factory=new_list, description="Registered principals: reviewers, executors and their roles."
    )
    marketing_terms: StrList = Field(
        default_factory=lambda: [
            "sale",
            "promo code",
            "promotion",
            "coupon",
            "voucher",
            "special offer",
            "exclusive offer",
            "deal",
            "deals",
            "% off",
        ],
        description="Phrases that make a message marketing whatever its `marketing` flag (AG405), besides "
        "the content pillar's pricing claims and calls to buy.",
    )
    personalisation_terms: StrList = Field(
        default_factory=new_list,
        description="Phrases that make a message personalised whatever its `personalised` flag (AG406), "
        "besides the built-in ones (brandrail.gate.personalisation.PROFILING_PHRASES): content chosen from "
        "the recipient's behaviour or profile.",
    )
    privacy: PrivacyPolicy = Field(default_factory=default_of(PrivacyPolicy))

    @field_validator("store_timeout")
    @classmethod
    def _positive_timeout(cls, value: str) -> str:
        if parse_duration(value).total_seconds() <= 0:
            raise ValueError(f"store_timeout {value!r} must be longer than 0s")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London") from None
        return value
