"""The gate's rules that need no state: bounds, audiences, quiet hours, consent signals, content, thresholds.

:func:`evaluate` turns (policy, action, now) into an :class:`Evaluation`: findings, the approval
thresholds that fired, the possibly modified action and the *plans* for the stateful checks (budget
reservations, window events, price moves, consent and suppression lookups), which
:mod:`brandrail.gate.gate` carries out inside the writer transaction.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeGuard
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from brandrail.findings import Finding, Severity
from brandrail.gate import codes as c
from brandrail.gate.actions import (
    Action,
    AudienceCriterion,
    Custom,
    LaunchCampaign,
    PostSocial,
    Recipient,
    ReplyCustomer,
    SendMessage,
    SetBudget,
    SetDiscount,
    SetPrice,
    Spend,
    TargetAudience,
)
from brandrail.gate.audience import (
    age_bounds,
    matches_category,
    minors_named,
    modelled_criterion,
    name_words,
    protected_attribute,
    protected_value,
    proxy_value,
    school_year_attribute,
    school_year_named,
    segment_attribute,
    sensitive_attribute,
    sensitive_value,
)
from brandrail.gate.consent import check_tcf
from brandrail.gate.identity import (
    canonical_name,
    normalise_email,
    normalise_phone,
    phone_time_zones,
    recipient_identifiers,
)
from brandrail.gate.splits import stated_split
from brandrail.policy import Policy
from brandrail.policy.sections.gate import AudiencePolicy, parse_duration
from brandrail.registry import Rule

if TYPE_CHECKING:
    from brandrail.text.conversation import Conversation

__all__ = [
    "AUDIENCE_WINDOW",
    "UNCAPPED",
    "AudiencePlan",
    "AudienceSendPlan",
    "AudienceTotalPlan",
    "BudgetLookup",
    "BudgetPlan",
    "ConsentPlan",
    "CounterPlan",
    "DiscountPlan",
    "Evaluation",
    "EventPlan",
    "PricePlan",
    "apply_edits",
    "cents",
    "discount_findings",
    "evaluate",
    "legacy_audience_keys",
    "marketing_reason",
    "next_allowed",
    "period_bucket",
    "undeclared_audience",
]

#: The placeholder in an event key that the writer transaction replaces with the subject's pseudonym.
SUBJECT = "\x00"


def cents(amount: Decimal) -> int:
    """Money to integer cents (amounts carry at most 2 decimals)."""
    return int((amount * 100).to_integral_value())


@dataclass(frozen=True)
class CounterPlan:
    """Reserve ``amount`` on counter ``key`` unless it would pass ``cap`` (cents, or a count when not
    ``money``)."""

    key: str
    amount: int
    cap: int
    code: type[Rule]
    label: str
    money: bool = True
    #: more evidence for the refusal's finding (what set the cap)
    evidence: dict[str, Any] | None = None


def period_bucket(period: str, now: datetime) -> str:
    """The counter bucket of ``now`` for a ``period``: the UTC day, ISO week, month, or ``total``."""
    utc = now.astimezone(UTC)
    if period == "day":
        return utc.date().isoformat()
    if period == "week":
        iso = utc.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if period == "month":
        return utc.strftime("%Y-%m")
    return "total"


#: A cap no counter reaches: the reservation only counts.
UNCAPPED = 10**15


@dataclass(frozen=True)
class AudiencePlan:
    """A target_audience for a campaign: its size adds to the campaign's declared audience (counter
    ``key``), and the approval threshold applies to the campaign's total."""

    key: str
    campaign: str
    size: int
    threshold: int | None


#: The rolling window of the audience declared per principal and per account (AG505): any 24 hours.
AUDIENCE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class AudienceTotalPlan:
    """A target_audience's size adds to what its principal (``scope`` agent) or the account (``scope``
    account) declared in the 24 hours around ``at`` (window events on ``key``, each weighing a declaration's
    size); past ``threshold`` a human decides (AG505). ``legacy``: the day counters of stores before schema
    9 (``<key>:<day>``) for the UTC days the window touches, counted as declared within it."""

    key: str
    scope: Literal["agent", "account"]
    size: int
    threshold: int
    setting: str
    at: datetime
    principal: str
    legacy: tuple[str, ...] = ()
    window: timedelta = AUDIENCE_WINDOW


def legacy_audience_keys(key: str, at: datetime, window: timedelta = AUDIENCE_WINDOW) -> tuple[str, ...]:
    """The day counters (``<key>:<YYYY-MM-DD>``) that the gate kept per UTC day before store schema 9, for
    every UTC day the window ``(at - window, at + window)`` touches: a declaration reserved on one of those
    days may lie within the window, so it counts (erring towards a human; such counters stop mattering two
    days after the upgrade). Released declarations were given back on them, as before."""
    first = (at - window).astimezone(UTC).date()
    last = (at + window).astimezone(UTC).date()
    days = []
    day = first
    while day <= last:
        days.append(f"{key}:{day.isoformat()}")
        day += timedelta(days=1)
    return tuple(days)


@dataclass(frozen=True)
class AudienceSendPlan:
    """A marketing send for a campaign when sends are bound to the declared audience: counted on ``sent``
    against the size on ``declared`` (times 1 + ``tolerance``)."""

    declared: str
    sent: str
    campaign: str
    tolerance: float
    over_declared: str
    undeclared: str


@dataclass(frozen=True)
class EventPlan:
    """Record one event at ``at`` on ``key`` unless ``cap`` events already fall within ``window``."""

    key: str
    at: datetime
    window: timedelta
    cap: int
    code: type[Rule]
    label: str
    #: the normalised identifier whose pseudonym replaces :data:`SUBJECT` in ``key`` (None: no subject)
    subject: str | None = None
    #: what the event weighs: 1 for a message (``cap`` counts events); a declaration's size for the audience
    #: declared in any 24 hours (AG505: ``cap`` bounds the window's sum)
    amount: int = 1
    #: more evidence for the refusal's finding (what set the cap)
    evidence: dict[str, Any] | None = None


@dataclass(frozen=True)
class BudgetPlan:
    """An allowed set_budget: campaign ``key`` (its stored form) gets ``amount`` cents per ``period``."""

    key: str
    campaign: str
    period: str
    amount: int


@dataclass(frozen=True)
class BudgetLookup:
    """A spend of ``amount`` cents on campaign ``key`` (its stored form) at ``now``: the budget the gate
    last allowed for the campaign, if any, caps it (see :mod:`brandrail.gate.budgets`)."""

    key: str
    campaign: str
    amount: int
    now: datetime
    required: bool


@dataclass(frozen=True)
class PricePlan:
    item: str
    price: int


@dataclass(frozen=True)
class DiscountPlan:
    """Check a discount against the item's price as the gate last set it (the agent's ``price`` is a claim):
    the discounted price against ``floor`` and, with ``cost``, the margin against ``min_margin``."""

    item: str
    name: str
    discount: Decimal
    claimed: Decimal | None
    cost: Decimal | None
    floor: Decimal | None
    min_margin: float | None


@dataclass(frozen=True)
class ConsentPlan:
    recipient: str
    channel: str
    contacts: tuple[str, ...]
    needs_opt_in: bool
    #: the identifiers whose grant counts (``gate.consent.grant_on: address``); None: every contact's
    grants_from: tuple[str, ...] | None = None


@dataclass
class Evaluation:
    action: Action
    findings: list[Finding] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)
    modified: Action | None = None
    counters: list[CounterPlan] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)
    price: PricePlan | None = None
    discount: DiscountPlan | None = None
    consent: ConsentPlan | None = None
    audience: AudiencePlan | None = None
    audience_send: AudienceSendPlan | None = None
    #: a target_audience: the rolling 24-hour totals its size adds to (AG505), read in the writer transaction
    audience_totals: list[AudienceTotalPlan] = field(default_factory=list)
    #: window events whose amounts are summed against their cap (AG505's totals, planned once read)
    weighted: list[EventPlan] = field(default_factory=list)
    #: an allowed set_budget writes the campaign's budget
    budget: BudgetPlan | None = None
    #: a spend: the campaign's budget (read from the store) caps it
    budget_lookup: BudgetLookup | None = None
    #: a personalised message (send or reply) whose recipient does not state gpc: true: the identifiers
    #: under which a remembered GPC signal is looked up (it applies when any has one)
    gpc_contacts: tuple[str, ...] = ()
    #: the AG406 of a message personalised by content whose recipient carries no signal: it counts when a
    #: remembered GPC is found
    gpc_personal: Finding | None = None
    #: a send whose recipient carries no signal, so only a remembered GPC could make its content matter:
    #: the content is read (this returns its AG406, or None when it is not personalised) only when the
    #: send's consent statement finds a GPC record (``gpc_contacts`` is set for the lookup)
    gpc_content: Callable[[], Finding | None] | None = None

    @property
    def denied(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def current(self) -> Action:
        return self.modified if self.modified is not None else self.action

    def modify(self, **changes: Any) -> None:
        self.modified = self.current.model_copy(update=changes)


# -- helpers ----------------------------------------------------------------------------------------------


def _hhmm(text: str) -> time:
    hour, minute = text.strip().split(":")
    return time(int(hour), int(minute))


def next_allowed(moment: datetime, window: str, zone: ZoneInfo) -> datetime | None:
    """None when ``moment`` falls in the local ``HH:MM-HH:MM`` window; otherwise the next local start time."""
    start_text, end_text = window.split("-")
    start, end = _hhmm(start_text), _hhmm(end_text)
    local = moment.astimezone(zone)
    now = local.time().replace(tzinfo=None)
    inside = (start <= now < end) if start <= end else (now >= start or now < end)
    if start == end or inside:
        return None
    day = local.date()
    candidate = datetime.combine(day, start, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(day + timedelta(days=1), start, tzinfo=zone)
    return candidate.astimezone(UTC)


def apply_edits(text: str, findings: list[Finding]) -> str:
    """Apply the fixes' edits (non-overlapping), last first so earlier offsets stay valid."""
    edits = sorted(
        {(e.start, e.end, e.replacement) for f in findings if f.fix is not None for e in f.fix.edits},
        key=lambda e: (e[0], e[1]),
        reverse=True,
    )
    last_start: int | None = None
    for start, end, replacement in edits:
        if last_start is not None and end > last_start:
            raise ValueError("overlapping fix edits")
        text = text[:start] + replacement + text[end:]
        last_start = start
    return text


# -- rules ------------------------------------------------------------------------------------------------


def _same(name: str) -> str:
    return name


#: Fields that name something the gate counts or looks up under its canonical form.
_NAME_FIELDS = ("agent", "campaign", "item", "conversation")


def _blank_names(ev: Evaluation, action: Action) -> bool:
    """AG001 for a name that is empty in canonical form — only spaces, zero-width or filler characters:
    every such campaign, item or recipient would be one nameless thing a reviewer cannot see. True when
    one was found (the action is malformed; nothing else is decided)."""
    fields: list[tuple[str, object]] = [(name, getattr(action, name, None)) for name in _NAME_FIELDS]
    recipient = getattr(action, "recipient", None)
    if recipient is not None:
        fields.append(("recipient.id", recipient.id))
    # "" is a field left empty (no campaign); " " or "\u200b" is a name that looks like one
    blank = [name for name, value in fields if isinstance(value, str) and value and not canonical_name(value)]
    for name in blank:
        ev.findings.append(
            c.MalformedAction.finding(
                f"{name}: empty once spaces, separators and invisible characters are removed; give a name a reader can see",
                evidence={"field": name},
            )
        )
    return bool(blank)


def evaluate(
    policy: Policy,
    action: Action,
    now: datetime,
    *,
    principal_id: str | None = None,
    name_key: Callable[[str], str] = _same,
    trust_time: bool = False,
) -> Evaluation:
    """Run every stateless rule on ``action``; the stateful ones are returned as plans.

    ``now`` is the gate's clock. ``principal_id`` is the verified caller (agent caps key on it; default:
    the action's claimed ``agent``, canonicalised). ``name_key`` maps a canonical campaign, item or agent
    name to the form stored in state keys (a keyed tag when the name holds personal data).
    ``trust_time`` (replay and tests only) keeps the action's own ``time`` for windows and quiet hours.
    """
    ev = Evaluation(action=action)
    gate = policy.gate
    if _blank_names(ev, action):
        return ev
    if not trust_time:
        skew = parse_duration(gate.time.max_skew)
        off = action.time - now
        if abs(off) > skew:
            ev.findings.append(
                c.ActionTimeUntrusted.finding(
                    f"the action's time {action.time.isoformat()} is "
                    f"{abs(off).total_seconds():.0f} s {'behind' if off < timedelta(0) else 'ahead of'} "
                    f"the gate's clock; at most {gate.time.max_skew} is accepted",
                    evidence={
                        "value": action.time.isoformat(),
                        "gate_time": now.isoformat(),
                        "skew_seconds": off.total_seconds(),
                        "threshold": gate.time.max_skew,
                    },
                )
            )
            return ev
    who = principal_id if principal_id is not None else canonical_name(action.agent)
    kind_name = action.name if isinstance(action, Custom) else action.kind
    if kind_name in gate.approvals.kinds or action.kind in gate.approvals.kinds:
        ev.review.append(
            c.ApprovalRequired.finding(
                f"the policy sends every {kind_name} action to review",
                evidence={"threshold": "approvals.kinds", "kind": kind_name},
            )
        )
    if isinstance(action, Spend):
        _spend(ev, policy, action, now, who, name_key)
    elif isinstance(action, SetBudget):
        _budget(ev, policy, action.amount, "set_budget", action.period)
        campaign = canonical_name(action.campaign)
        ev.budget = BudgetPlan(name_key(campaign), campaign, action.period, cents(action.amount))
        if gate.approvals.budget_over is not None and action.amount > gate.approvals.budget_over:
            ev.review.append(
                c.ApprovalRequired.finding(
                    f"budget {action.amount} is over the approval threshold {gate.approvals.budget_over}",
                    evidence={"threshold": "approvals.budget_over", "value": str(action.amount)},
                )
            )
    elif isinstance(action, LaunchCampaign):
        if action.budget is not None:
            _budget(ev, policy, action.budget, "launch_campaign", "total")
        if gate.approvals.new_campaign:
            ev.review.append(
                c.ApprovalRequired.finding(
                    f"launching campaign {action.campaign!r} needs a human (approvals.new_campaign)",
                    evidence={"threshold": "approvals.new_campaign", "campaign": action.campaign},
                )
            )
    elif isinstance(action, (SetPrice, SetDiscount)):
        _price(ev, policy, action, name_key)
    elif isinstance(action, TargetAudience):
        _audience(ev, policy, action, now, who, name_key)
    elif isinstance(action, SendMessage):
        _send(ev, policy, action, now, trust_time, name_key)
    elif isinstance(action, PostSocial):
        _content(ev, policy, action.content, action.platform, "content")
    elif isinstance(action, ReplyCustomer):
        _reply(ev, policy, action)
    elif isinstance(action, Custom):
        _custom(ev, policy, action)
    return ev


def _canonical_caps(policy: Policy) -> dict[str, Decimal]:
    from brandrail.content.fastpolicy import cache_of

    cache = cache_of(policy)
    found: dict[str, Decimal] | None = cache.get("gate:campaign_caps")
    if found is None:
        found = {canonical_name(k): v for k, v in policy.gate.budget.campaign_caps.items()}
        cache["gate:campaign_caps"] = found
    return found


def _spend(
    ev: Evaluation, policy: Policy, action: Spend, now: datetime, who: str, name_key: Callable[[str], str]
) -> None:
    budget = policy.gate.budget
    # compared exactly: "usd ", " USD" or "Eur" is not the code the caps count in (an executor may read it
    # as another currency, or reject it after the gate reserved the amount), so the gate refuses, not guesses
    if budget.currency is not None and action.currency != budget.currency.upper():
        ev.findings.append(
            c.SpendCurrencyMismatch.finding(
                f"spend in {action.currency!r}, but caps count in the account currency {budget.currency.upper()} "
                "(budget.currency; codes are compared exactly, three capital letters): write "
                f"{budget.currency.upper()!r}, or convert the amount first",
                evidence={"value": action.currency, "threshold": budget.currency.upper()},
            )
        )
        return
    campaign = canonical_name(action.campaign)
    amount = cents(action.amount)
    if budget.max_per_action is not None and action.amount > budget.max_per_action:
        ev.findings.append(
            c.SpendOverActionCap.finding(
                f"spend {action.amount} is over the per-action cap {budget.max_per_action}",
                evidence={"value": str(action.amount), "threshold": str(budget.max_per_action)},
            )
        )
    approvals = policy.gate.approvals
    if approvals.spend_over is not None and action.amount > approvals.spend_over:
        ev.review.append(
            c.ApprovalRequired.finding(
                f"spend {action.amount} is over the approval threshold {approvals.spend_over}",
                evidence={"threshold": "approvals.spend_over", "value": str(action.amount)},
            )
        )
    elif approvals.spend_over is not None:
        split = stated_split(action.description, action.amount, approvals.spend_over)
        if split is not None:
            ev.review.append(
                c.ApprovalRequired.finding(
                    f"spend {action.amount} is under the approval threshold {approvals.spend_over}, but its "
                    f"description says it is part of a larger spend: {split}",
                    evidence={
                        "threshold": "approvals.spend_over",
                        "value": str(action.amount),
                        "stated": split,
                    },
                )
            )
    ev.budget_lookup = BudgetLookup(name_key(campaign), campaign, amount, now, budget.require_campaign_budget)
    day = now.astimezone(UTC).date().isoformat()
    cap = _canonical_caps(policy).get(campaign, budget.campaign_daily_cap)
    if cap is not None:
        ev.counters.append(
            CounterPlan(
                f"spend:campaign:{name_key(campaign)}:{day}",
                amount,
                cents(cap),
                c.CampaignDailyBudgetExceeded,
                f"campaign {campaign!r} daily cap",
            )
        )
    if budget.daily_cap is not None:
        ev.counters.append(
            CounterPlan(
                f"spend:total:{day}",
                amount,
                cents(budget.daily_cap),
                c.AccountDailyBudgetExceeded,
                "account daily cap (every campaign and agent)",
            )
        )
    if budget.agent_cap is not None:
        bucket = period_bucket(budget.agent_period, now)
        ev.counters.append(
            CounterPlan(
                f"spend:agent:{name_key(who)}:{bucket}",
                amount,
                cents(budget.agent_cap),
                c.AgentBudgetExceeded,
                f"agent {who!r} {budget.agent_period} cap",
            )
        )


#: How many times a budget of the first period can be spent within the second, at most: 31 days in a month,
#: 6 (ISO) weeks that a 31-day month touches. A longer period fits once (it may all be spent in the shorter
#: one); no budget but a total one has a total.
_REPEATS: dict[tuple[str, str], int | None] = {
    ("day", "week"): 7,
    ("day", "month"): 31,
    ("week", "month"): 6,
    ("day", "total"): None,
    ("week", "total"): None,
    ("month", "total"): None,
}


def _budget(ev: Evaluation, policy: Policy, amount: Decimal, what: str, period: str) -> None:
    """AG104 when a budget of ``amount`` per ``period`` can spend more than ``max_budget`` in one
    ``max_budget_period`` (default day)."""
    budget = policy.gate.budget
    limit = budget.max_budget
    if limit is None:
        return
    per = budget.max_budget_period or "day"
    repeats = _REPEATS.get((period, per), 1)
    evidence = {"value": str(amount), "period": period, "threshold": str(limit), "threshold_period": per}
    if repeats is None:
        ev.findings.append(
            c.BudgetAboveMaximum.finding(
                f"{what} budget {amount} per {period} has no total, but max_budget {limit} is a total "
                "(max_budget_period: total): set a total budget",
                evidence={**evidence, "worst_case": None},
            )
        )
        return
    worst = amount * repeats
    if worst > limit:
        spelled = f"{amount}" if repeats == 1 else f"{amount} per {period}, up to {worst} a {per},"
        ev.findings.append(
            c.BudgetAboveMaximum.finding(
                f"{what} budget {spelled} is over the maximum {limit} per {per}",
                evidence={**evidence, "worst_case": str(worst)},
            )
        )


def _segment_keys(value: Any) -> list[str]:
    """Every object key of a price segment, at any depth."""
    keys: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            keys.append(str(key))
            keys.extend(_segment_keys(item))
    elif isinstance(value, (list, tuple)):
        for item in value:
            keys.extend(_segment_keys(item))
    return keys


def _price(
    ev: Evaluation, policy: Policy, action: SetPrice | SetDiscount, name_key: Callable[[str], str]
) -> None:
    gate = policy.gate
    bounds = gate.price
    item = canonical_name(action.item)
    item_bounds = next((v for k, v in bounds.items.items() if canonical_name(k) == item), {})
    attributes = [str(p) for p in gate.protected_attributes]
    # keyed by its words, another language's word ("Geschlecht") or the group's own name ("is_female"), at
    # any depth of the segment ({"rules": {"gender": "f"}}, {"groups": [{"audience": "women"}]})
    protected = [
        key for key in _segment_keys(action.segment) if protected_attribute(key, attributes) is not None
    ]
    if protected:
        ev.findings.append(
            c.PriceKeyedOnProtectedAttribute.finding(
                f"{action.kind} for a segment keyed on protected attribute(s) {', '.join(protected)}",
                evidence={"attributes": protected, "protected": attributes},
            )
        )
    else:
        for key, value in action.segment.items():
            named = protected_value(value, attributes)
            if named is not None:
                ev.findings.append(
                    c.PriceKeyedOnProtectedAttribute.finding(
                        f"{action.kind} for the segment {key} = {value!r}, which selects people by the "
                        f"protected attribute {named[0]!r} ({named[1]!r})",
                        evidence={"attributes": [key], "attribute": named[0], "term": named[1]},
                    )
                )
                break
        else:
            _price_special_category(ev, action, [str(s) for s in gate.sensitive_categories])
    if isinstance(action, SetDiscount):
        discount = action.discount
        if bounds.max_discount is not None and discount > bounds.max_discount:
            if gate.fixes.clamp_discount:
                ev.modify(discount=bounds.max_discount)
                discount = bounds.max_discount
                ev.findings.append(
                    c.DiscountAboveMaximum.finding(
                        f"discount {action.discount}% clamped to the maximum {bounds.max_discount}%",
                        evidence={"value": action.discount, "threshold": bounds.max_discount, "fixed": True},
                        severity=Severity.WARNING,
                    )
                )
            else:
                ev.findings.append(
                    c.DiscountAboveMaximum.finding(
                        f"discount {action.discount}% is over the maximum {bounds.max_discount}%",
                        evidence={"value": action.discount, "threshold": bounds.max_discount},
                    )
                )
        if gate.approvals.discount_change_over is not None and discount > gate.approvals.discount_change_over:
            ev.review.append(
                c.ApprovalRequired.finding(
                    f"discount {discount}% is over the approval threshold "
                    f"{gate.approvals.discount_change_over}%",
                    evidence={"threshold": "approvals.discount_change_over", "value": discount},
                )
            )
        floor = item_bounds.get("floor", bounds.floor)
        off = Decimal(str(discount))
        cost = _cost(ev, policy, action, item_bounds.get("cost"))
        if action.price is not None:
            ev.findings.extend(
                discount_findings(action.price, off, cost, floor, bounds.min_margin, action.item)
            )
        if floor is not None or (bounds.min_margin is not None and cost is not None):
            # the price the discount comes off is the one the gate last set, whatever the agent claims
            ev.discount = DiscountPlan(
                name_key(item), action.item, off, action.price, cost, floor, bounds.min_margin
            )
    else:
        price = action.price
        floor = item_bounds.get("floor", bounds.floor)
        ceiling = item_bounds.get("ceiling", bounds.ceiling)
        if floor is not None and price < floor:
            ev.findings.append(
                c.PriceBelowFloor.finding(
                    f"price {price} of {action.item} is below the floor {floor}",
                    evidence={"value": str(price), "threshold": str(floor)},
                )
            )
        if ceiling is not None and price > ceiling:
            ev.findings.append(
                c.PriceAboveCeiling.finding(
                    f"price {price} of {action.item} is above the ceiling {ceiling}",
                    evidence={"value": str(price), "threshold": str(ceiling)},
                )
            )
        ev.price = PricePlan(name_key(item), cents(price))
        cost = _cost(ev, policy, action, item_bounds.get("cost"))
        if bounds.min_margin is not None and cost is not None:
            found = _margin_finding(price, cost, bounds.min_margin)
            if found is not None:
                ev.findings.append(found)


def _price_special_category(ev: Evaluation, action: SetPrice | SetDiscount, categories: list[str]) -> None:
    """AG206 for a price segment that selects people by a special category of ``gate.sensitive_categories``
    (a key that names one, "health_condition", or a value, "pregnant", "expectant mothers", "diabetic
    customers", "LGBTQ shoppers"): a price by health, pregnancy, faith or orientation is as unlawful as one by
    sex or age."""
    if not categories:
        return
    for key in _segment_keys(action.segment):
        category = sensitive_attribute(key, categories)
        if category is not None:
            ev.findings.append(
                c.PriceKeyedOnProtectedAttribute.finding(
                    f"{action.kind} for a segment keyed on {key!r}, which names the special category {category!r}",
                    evidence={"attributes": [key], "category": category},
                )
            )
            return
    for key, value in action.segment.items():
        named = sensitive_value(value, categories)
        if named is not None:
            ev.findings.append(
                c.PriceKeyedOnProtectedAttribute.finding(
                    f"{action.kind} for the segment {key} = {value!r}, which selects people by the special "
                    f"category {named[0]!r} ({named[1]!r})",
                    evidence={"attributes": [key], "category": named[0], "term": named[1]},
                )
            )
            return


def _cost(
    ev: Evaluation, policy: Policy, action: SetPrice | SetDiscount, known: Decimal | None
) -> Decimal | None:
    """The item's unit cost for the margin check: the policy's (``gate.price.items.<item>.cost``), or the
    action's when higher (the agent's word can only make the check stricter). With ``min_margin`` set and
    no cost at all, AG207 holds the action for review or denies it (``gate.price.unknown_cost``)."""
    bounds = policy.gate.price
    claimed = action.cost
    cost = claimed if known is None else (known if claimed is None else max(known, claimed))
    if cost is None and bounds.min_margin is not None:
        found = c.CostUnknown.finding(
            f"no cost is known for {action.item} (none in gate.price.items and none in the action): its "
            f"margin cannot be checked against the minimum {bounds.min_margin:.1%}",
            evidence={"item": action.item, "threshold": bounds.min_margin, "value": None},
        )
        if bounds.unknown_cost == "deny":
            ev.findings.append(found)
        else:
            ev.review.append(found.with_severity(Severity.WARNING))
    return cost


def _margin_finding(effective: Decimal, cost: Decimal, min_margin: float, note: str = "") -> Finding | None:
    """AG203 when the margin ``(effective - cost) / effective`` is below ``min_margin``."""
    margin = float((effective - cost) / effective) if effective > 0 else float("-inf")
    if margin >= min_margin:
        return None
    return c.MarginBelowMinimum.finding(
        f"margin {margin:.1%} at price {effective:.2f} (cost {cost}){note} is below the minimum {min_margin:.1%}",
        evidence={
            "value": round(margin, 4) if margin != float("-inf") else None,
            "threshold": min_margin,
            "price": f"{effective:.2f}",
            "cost": str(cost),
        },
    )


def discount_findings(
    price: Decimal,
    discount: Decimal,
    cost: Decimal | None,
    floor: Decimal | None,
    min_margin: float | None,
    item: str,
    source: str = "",
) -> list[Finding]:
    """AG201 when ``price`` less ``discount`` % is below ``floor``; AG203 when its margin over ``cost`` is
    below ``min_margin``. ``source`` says where the price came from, for the message."""
    effective = price * (Decimal(1) - discount / 100)
    out: list[Finding] = []
    note = f" ({price} less {discount:g}%{source})"
    if floor is not None and effective < floor:
        out.append(
            c.PriceBelowFloor.finding(
                f"discounted price {effective:.2f} of {item}{note} is below the floor {floor}",
                evidence={
                    "value": f"{effective:.2f}",
                    "threshold": str(floor),
                    "price": str(price),
                    "discount": str(discount),
                },
            )
        )
    if min_margin is not None and cost is not None:
        found = _margin_finding(effective, cost, min_margin)
        if found is not None:
            out.append(found)
    return out


def _audience(
    ev: Evaluation,
    policy: Policy,
    action: TargetAudience,
    now: datetime,
    who: str,
    name_key: Callable[[str], str],
) -> None:
    gate = policy.gate
    _audience_totals(ev, policy, action.estimated_size, now, who, name_key)
    categories = [str(x) for x in gate.sensitive_categories]
    for crit in action.criteria:
        cat = sensitive_attribute(crit.attribute, categories)
        if cat is not None:
            ev.findings.append(
                c.SensitiveAudience.finding(
                    f"audience criterion on {crit.attribute!r} uses the special category {cat!r}",
                    evidence={"attribute": crit.attribute, "category": cat, "op": crit.op},
                )
            )
        selects = cat is None and crit.op not in ("ne", "not_in")  # excluding a group is not selecting it
        named = sensitive_value(crit.value, categories) if selects else None
        if named is not None:
            ev.findings.append(
                c.SensitiveAudience.finding(
                    f"audience criterion {crit.attribute} {crit.op} {crit.value!r} selects people by the "
                    f"special category {named[0]!r} ({named[1]!r})",
                    evidence={
                        "attribute": crit.attribute,
                        "category": named[0],
                        "term": named[1],
                        "op": crit.op,
                    },
                )
            )
        if _names_minors(crit.attribute, crit.op, crit.value):
            ev.findings.append(
                c.MinorsTargeted.finding(
                    f"audience criterion {crit.attribute} {crit.op} {crit.value!r} selects minors",
                    evidence={"attribute": crit.attribute, "op": crit.op, "value": crit.value},
                )
            )
        elif _selects_group(crit) and (
            segment_attribute(crit.attribute) or school_year_attribute(crit.attribute)
        ):
            said = minors_named(crit.value, gate.minimum_age)
            if said is None and school_year_attribute(crit.attribute):
                said = school_year_named(crit.value)
            if said is not None:
                ev.findings.append(
                    c.MinorsTargeted.finding(
                        f"audience criterion {crit.attribute} {crit.op} {crit.value!r} names a segment of "
                        f"people under {gate.minimum_age} ({said!r})",
                        evidence={
                            "attribute": crit.attribute,
                            "op": crit.op,
                            "value": crit.value,
                            "term": said,
                            "threshold": gate.minimum_age,
                        },
                    )
                )
    _protected_targeting(ev, policy, action, now)
    ages = age_bounds(action.criteria, now)
    if ages.reaches_under(gate.minimum_age):
        ages_text = f"{'0' if ages.low is None else f'{ages.low:g}'} to " + (
            "any age" if ages.high is None else f"{ages.high:g}"
        )
        ev.findings.append(
            c.MinorsTargeted.finding(
                f"the audience's age criteria allow ages {ages_text}, which reaches people under "
                f"{gate.minimum_age}" + (" (nothing bounds the age from below)" if ages.low is None else ""),
                evidence={
                    "criteria": [
                        {"attribute": cr.attribute, "op": cr.op, "value": cr.value} for cr in action.criteria
                    ],
                    "ages": [ages.low, ages.high],
                    "threshold": gate.minimum_age,
                },
            )
        )
    threshold = gate.approvals.audience_size_over
    if action.campaign is not None and action.campaign.strip():
        # the size adds to the campaign's declared audience, which binds its sends; the threshold applies
        # to the campaign's total, read in the writer transaction
        campaign = canonical_name(action.campaign)
        key = f"audience:declared:{name_key(campaign)}"
        ev.audience = AudiencePlan(key, campaign, action.estimated_size, threshold)
        ev.counters.append(
            CounterPlan(
                key,
                action.estimated_size,
                UNCAPPED,
                c.SendsBeyondDeclaredAudience,
                "declared audience",
                False,
            )
        )
        return
    if threshold is not None and action.estimated_size > threshold:
        ev.review.append(
            c.ApprovalRequired.finding(
                f"audience of {action.estimated_size} is over the approval threshold "
                f"{gate.approvals.audience_size_over}",
                evidence={"threshold": "approvals.audience_size_over", "value": action.estimated_size},
            )
        )


def _protected_targeting(ev: Evaluation, policy: Policy, action: TargetAudience, now: datetime) -> None:
    """AG506: criteria that select (or exclude) people by a protected attribute or a proxy of one, in a
    campaign where the policy forbids it."""
    setting = policy.gate.audience
    if setting.protected_targeting == "allow":
        return
    campaign = action.campaign
    # compared in canonical form, as campaigns are counted: "ｌｏａｎ-refi" and "loan\u2010refi" are loan-refi
    folded = canonical_name(campaign) if campaign is not None else None
    pattern = next(
        (
            p
            for p in setting.protected_campaigns
            if p == "*" or (folded is not None and fnmatch.fnmatchcase(folded, canonical_name(p)))
        ),
        None,
    )
    if pattern is None:
        return
    attributes = [str(a) for a in policy.gate.protected_attributes]
    # the most specific name first, so the evidence says "zip code" rather than "zip"
    proxies = sorted((str(a) for a in setting.proxy_attributes), key=lambda a: -len(name_words(a)))
    minimum = policy.gate.minimum_age
    for crit in action.criteria:
        protected = protected_attribute(crit.attribute, attributes)
        proxy = None if protected is not None else matches_category(crit.attribute, proxies)
        named = protected_value(crit.value, attributes) if protected is None and proxy is None else None
        if protected is None and proxy is None and named is None:
            # a family or marital status named by the value ("household_type: adults only, no children")
            stated = proxy_value(crit.value)
            if stated is not None:
                proxy = f"{stated[0]} ({stated[1]!r})"
        if protected is None and proxy is None and named is None:
            _modelled_targeting(ev, setting, crit, campaign, pattern)
            continue
        if protected is not None and _only_keeps_out_minors(crit, minimum, now):
            continue
        if protected is not None:
            why = f"the protected attribute {protected!r}"
        elif proxy is not None:
            why = f"{proxy!r}, a proxy of protected attributes"
        else:
            assert named is not None
            why = f"the protected attribute {named[0]!r} ({named[1]!r})"
        finding = c.ProtectedTargeting.finding(
            f"audience criterion {crit.attribute} {crit.op} {crit.value!r} in campaign "
            f"{campaign if campaign is not None else '(none)'} selects people by {why}; the policy "
            f"{'forbids' if setting.protected_targeting == 'deny' else 'reviews'} it "
            f"(gate.audience.protected_targeting, campaigns {pattern!r})",
            evidence={
                "attribute": crit.attribute,
                "op": crit.op,
                "value": crit.value,
                "protected": protected or (named[0] if named is not None else None),
                "proxy": proxy,
                "term": named[1] if named is not None else None,
                "campaign": campaign,
                "pattern": pattern,
                "threshold": f"gate.audience.protected_targeting: {setting.protected_targeting}",
            },
            severity=Severity.ERROR if setting.protected_targeting == "deny" else Severity.WARNING,
        )
        (ev.findings if setting.protected_targeting == "deny" else ev.review).append(finding)


def _modelled_targeting(
    ev: Evaluation, setting: AudiencePolicy, crit: AudienceCriterion, campaign: str | None, pattern: str
) -> None:
    """AG507: a criterion on a model's output (a lookalike audience, a propensity score) where protected
    targeting is forbidden or reviewed: the model may carry a protected attribute the criteria do not name."""
    if setting.modelled_targeting == "allow":
        return
    modelled = modelled_criterion(crit.attribute, crit.value, setting.modelled_attributes)
    if modelled is None:
        return
    where, word = modelled
    deny = setting.modelled_targeting == "deny"
    finding = c.ModelledTargeting.finding(
        f"audience criterion {crit.attribute} {crit.op} {crit.value!r} in campaign "
        f"{campaign if campaign is not None else '(none)'} selects people by a model's output ({word!r} in "
        f"its {where}), which may stand in for a protected attribute; the policy "
        f"{'forbids' if deny else 'reviews'} it (gate.audience.modelled_targeting, campaigns {pattern!r})",
        evidence={
            "attribute": crit.attribute,
            "op": crit.op,
            "value": crit.value,
            "modelled": word,
            "where": where,
            "campaign": campaign,
            "pattern": pattern,
            "threshold": f"gate.audience.modelled_targeting: {setting.modelled_targeting}",
        },
        severity=Severity.ERROR if deny else Severity.WARNING,
    )
    (ev.findings if deny else ev.review).append(finding)


def _only_keeps_out_minors(crit: AudienceCriterion, minimum: int, now: datetime) -> bool:
    """An age criterion (or a birth date's or year's) whose only effect is to keep people under ``minimum``
    out ("age >= 18", "birth_year <= 2008"): the law asks for it, so it is not targeting by age."""
    ages = age_bounds([crit], now)
    return ages.bounded and ages.high is None and ages.low is not None and ages.low <= minimum


def _audience_totals(
    ev: Evaluation, policy: Policy, size: int, now: datetime, who: str, name_key: Callable[[str], str]
) -> None:
    """The rolling 24-hour totals a declaration adds to (AG505): its principal's and the account's, when the
    policy bounds them. Every target_audience counts, with a campaign or without: the bound is on the
    audience declared, however it is split. Whether the total passes its bound is read in the writer
    transaction."""
    per_agent, per_account = policy.gate.audience.declared_totals(policy.gate.approvals.audience_size_over)
    at = now.astimezone(UTC)
    if per_agent is not None:
        key = f"audience:agent:{name_key(who)}"
        ev.audience_totals.append(
            AudienceTotalPlan(
                key,
                "agent",
                size,
                per_agent,
                "audience.declared_per_agent_per_day",
                at,
                who,
                legacy_audience_keys(key, at),
            )
        )
    if per_account is not None:
        key = "audience:total"
        ev.audience_totals.append(
            AudienceTotalPlan(
                key,
                "account",
                size,
                per_account,
                "audience.declared_per_day",
                at,
                who,
                legacy_audience_keys(key, at),
            )
        )


_MINOR_WORDS = frozenset(("minor", "minors", "child", "children", "kids", "kid", "teen", "teens", "underage"))
#: Words that make a child word about a parent ("has_kids", "parent_of_teen", "number_of_children").
_PARENT_WORDS = frozenset(
    ("has", "have", "with", "parent", "parents", "number", "num", "count", "of", "mum", "dad")
)


def _selects_group(crit: AudienceCriterion) -> bool:
    """Whether a criterion selects the people its value names (``eq``, ``in``…), not excludes them
    (``ne``, ``not_in``, ``eq false``) or only asks whether the field is there."""
    return crit.op not in ("ne", "not_in", "exists") and crit.value is not False and crit.value is not None


def _names_minors(attribute: str, op: str, value: Any) -> bool:
    """A criterion that selects minors by name ("is_minor", "kids", "teens"), unless it excludes them or is
    about their parents ("has_kids")."""
    words = set(name_words(attribute))
    if not _MINOR_WORDS & words or _PARENT_WORDS & words:
        return False
    return not (op == "eq" and value is False) and not (op == "ne" and value is True) and op != "not_in"


_BUY_WORDS = (
    "buy",
    "shop",
    "order",
    "cart",
    "basket",
    "grab",
    "get yours",
    "claim your",
    "try it free",
    "reserve",
)

#: Offers and calls to buy in the languages a shop most often writes besides English (CAN-SPAM's test reads
#: the message, whatever its language: "Jetzt 30 % Rabatt", "¡Ahorra un 30% hoy!"). Words that also serve
#: service mail are left out ("remise" is a handover, "Angebot" and "oferta" a quote, "profitez de" "enjoy").
_OFFER_TERMS = (
    # German
    "rabatt", "rabattcode", "gutschein", "gutscheincode", "sonderangebot", "jetzt kaufen", "jetzt bestellen",
    "jetzt shoppen", "nur heute", "ausverkauf", "schnappchen", "prozent sparen",
    # French
    "reduction", "code promo", "soldes", "offre speciale", "achetez maintenant", "commandez maintenant",
    "aujourd hui seulement", "bon de reduction", "promo exclusive",
    # Spanish
    "descuento", "codigo de descuento", "rebajas", "oferta especial", "ofertas especiales", "compra ahora",
    "compralo ya", "solo hoy", "ahorra", "cupon de descuento", "promocion",
    # Italian
    "sconto", "sconti", "saldi", "offerta speciale", "codice sconto", "acquista ora", "solo oggi",
    # Dutch
    "korting", "kortingscode", "aanbieding", "uitverkoop", "koop nu", "bestel nu", "alleen vandaag",
    # Portuguese
    "desconto", "promocao", "compre agora", "so hoje", "cupom de desconto",
    # Polish ("zniżka" and "dziś" are read with their accents folded)
    "rabatu", "rabatem", "znizka", "znizki", "znizke", "promocja", "promocji", "promocje", "wyprzedaz",
    "kod rabatowy", "kup teraz", "kupuj teraz", "zamow teraz", "zamow dzis", "tylko dzis", "okazja cenowa",
    # Czech
    "sleva", "slevy", "slevou", "slevu", "slevovy kod", "vyprodej", "kupte ted", "kupte hned", "objednejte ted",
    "jen dnes", "pouze dnes",
    # Swedish, Danish, Norwegian
    "rabattkod", "kop nu", "handla nu", "endast idag", "bara idag", "rabatkode", "kob nu", "køb nu",
    "udsalg", "kun i dag", "kjop na", "kjøp nå", "tilbudskode",
    # Swedish, Norwegian, Danish and Finnish, more forms
    "rabattkoden", "rabattkoder", "erbjudande", "erbjudanden", "extrapris", "rabatkoden", "tilbudet gjelder",
    "alennus", "alennuskoodi", "tarjous", "tarjoukset", "osta nyt", "vain tanaan",
    # Turkish, Hungarian, Greek and Arabic (inflected forms are read by _OFFER_STEMS)
    "indirim", "indirimli", "indirim kodu", "kupon kodu", "hemen al", "sadece bugun", "kampanyali",
    "kedvezmeny", "akcios", "kuponkod", "vasaroljon most", "csak ma", "learazas",
    "εκπτωση", "εκπτωσεις", "προσφορα", "προσφορες", "κουπονι", "αγοραστε τωρα", "μονο σημερα",
    "خصم", "تخفيض", "تخفيضات", "عرض خاص", "عروض خاصة", "كوبون", "اشتر الآن", "تسوق الآن",
    # Romanian and Slovak (accents folded: "reducere", "zľava" is "zlava")
    "reducere", "reduceri", "reducerea", "cod de reducere", "codul de reducere", "oferta speciala",
    "oferte speciale", "profita acum", "profitati acum", "cumpara acum", "cumparati acum", "comanda acum",
    "doar azi", "doar astazi", "promotie", "promotia", "lichidare de stoc",
    "zlava", "zlavy", "zlavou", "zlavu", "zlavovy kod", "vypredaj", "kupte teraz", "nakupte", "len dnes",
    "iba dnes", "akciova ponuka",
    # Indonesian and Malay
    "diskon", "diskaun", "potongan harga", "beli sekarang", "belanja sekarang", "pesan sekarang",
    "hanya hari ini", "kode promo", "kode voucher", "kode diskon", "harga spesial", "cuci gudang", "obral",
    "gratis ongkir", "jualan murah",
    # Vietnamese (tones folded: "giảm giá" is "giam gia")
    "giam gia", "khuyen mai", "uu dai", "ma giam gia", "mua ngay", "dat ngay", "chi hom nay", "xa kho",
    "phieu giam gia",
    # Swahili, Tagalog, Catalan and Welsh (inflected Baltic, Icelandic, South Slavic and Yoruba offers are read
    # by _OFFER_STEMS; the Catalan "descompte" alone also sits on receipts: with a percentage, a code, or plural)
    "punguzo", "nunua sasa", "nunua leo", "ofa maalum", "nusu bei", "leo tu", "kuponi", "diskwento", "bili na",
    "bumili na", "bumili ngayon", "ngayong araw lang", "rebaixes", "compra ara", "compreu ara", "nomes avui",
    "codi de descompte", "codi promocional", "descomptes", "gostyngiad", "prynwch nawr", "prynu nawr",
    "heddiw yn unig", "cynnig arbennig",
    # English calls to sign up or upgrade
    "upgrade now", "upgrade today", "subscribe now", "subscribe today", "limited time offer", "act now",
)  # fmt: skip

#: Offers in languages that build a word from its stem (Turkish, Hungarian, Finnish, Greek) or join a
#: preposition or article to it (Arabic): "kedvezménnyel", "kuponkódot", "indirimde", "alennuksella",
#: "εκπτώσεων", "بخصم". Read lower-cased with accents folded, from the start of a word (for Arabic, after at
#: most two joined letters).
_OFFER_STEMS = re.compile(
    r"(?<!\w)(?:indirim|kedvezm[eé]n|kuponk[oó]d|le[aá]raz[aá]s|alennu[ks]|alennuskoo?d|rabattkod|"
    r"εκπτωσ|κουπον)\w*"
    r"|(?<![^\W\u0628\u0648\u0644\u0641\u0643\u0627])(?:خصم|تخفيض|كوبون)"
)

#: Offers in Icelandic, Lithuanian, Estonian, Latvian, Serbian, Croatian and Slovenian, and Yoruba
#: ("afsláttur", "nuolaidos", "allahindlus", "atlaides", "popusta", "rasprodaja", "ẹdinwo") and their calls to
#: buy now, read like :data:`_OFFER_STEMS`; tried only when the text holds one of their words' beginnings
#: (:data:`_OFFER_STEMS_WIDER_LITERALS`, a few substring scans), so other text pays no extra pass.
_OFFER_STEMS_WIDER = re.compile(
    r"(?<!\w)(?:afsl(?:a|æ)tt|uts[aoö]l|nuolaid|ispardavim|allahindl|soodus(?:tus|kood|hind|mu)|atlaid"
    r"|izpardosan|popust|rasprodaj|edinwo)\w*"
    r"|(?<!\w)(?:kauptu\s+nuna|pirk(?:ite)?\s+dabar|tik\s+siandien|osta\s+kohe|ainult\s+tana"
    r"|perc(?:iet)?\s+tagad|tikai\s+sodien|kupi(?:te)?\s+(?:odmah|sada|sad)|samo\s+danas)(?!\w)"
)
_OFFER_STEMS_WIDER_LITERALS = (
    "afsl",
    "uts",
    "nuolaid",
    "ispardavim",
    "allahindl",
    "soodus",
    "atlaid",
    "izpardosan",
    "popust",
    "rasprodaj",
    "edinwo",
    "kauptu",
    "dabar",
    "siandien",
    "kohe",
    "tana",
    "tagad",
    "sodien",
    "odmah",
    "sada",
    "danas",
)


def _literal_gated(pattern: re.Pattern[str], literals: tuple[str, ...], text: str) -> re.Match[str] | None:
    """``pattern.search(text)`` when ``text`` holds one of ``literals`` (each match of ``pattern`` does), else
    None without running the pattern."""
    return pattern.search(text) if any(lit in text for lit in literals) else None


#: A coupon or voucher in English without the pricing words: "use code WINTER10 at checkout", "enter promo
#: code SNOW", "redeem voucher code AUTUMN5", "15 dollars off". A code to sign in with is none of these.
_COUPON = re.compile(
    r"\b(?:promo(?:tional)?|discount|coupon|voucher|offer)\s+codes?\b"
    r"|\b(?:use|enter|apply|redeem)\s+(?:the\s+)?code\s+\S+\s+(?:at|during|in)\s+(?:the\s+)?checkout\b"
    r"|\b\d+(?:[.,]\d{2})?\s+(?:pounds?|euros?|dollars?|quid|bucks|francs?|kronor|kroner|zlotys?)\s+off\b"
    r"|\b(?:five|ten|fifteen|twenty|twenty-five|fifty)\s+(?:pounds|euros|dollars|quid|bucks)\s+off\b",
    re.IGNORECASE,
)


def marketing_reason(policy: Policy, *texts: str | None) -> str | None:
    """Why a message's content makes it marketing (an offer, price claim, promotion or call to buy), or None.

    CAN-SPAM's primary-purpose test judges the content: a pricing claim of the content pillar
    (:func:`brandrail.content.claims.claim_hits`, kind ``pricing``: "free", "30% off", "was/now"…), a call
    to buy among the content pillar's calls to action, an offer in another language (:data:`_OFFER_TERMS`),
    or one of ``gate.marketing_terms``.
    """
    from brandrail.content.claims import claim_hits
    from brandrail.content.common import PhraseSet
    from brandrail.content.lexicons import CTA_PHRASES
    from brandrail.text.document import Document

    terms = PhraseSet.cached(
        policy,
        "gate:marketing",
        lambda: [
            *(p for p in CTA_PHRASES if any(w in p for w in _BUY_WORDS)),
            *_OFFER_TERMS,
            *policy.gate.marketing_terms,
        ],
    )
    for text in texts:
        if not text or not text.strip():
            continue
        doc = Document(text)
        for hit, _ok, _why in claim_hits(doc, policy, "pricing"):
            return f"it makes a price claim ({doc.text[hit.start : hit.end]!r})"
        found = terms.positions(doc) if terms else []
        if found:
            a, b, _phrase = min(found)
            start, end = doc.norm_to_original(a, b)
            return f"it promotes or calls to buy ({doc.text[start:end]!r})"
        minus = _MINUS_PERCENT.search(text)
        if minus is not None:
            return f"it makes a price claim ({minus.group(0).strip()!r})"
        coupon = _COUPON.search(text)
        if coupon is not None:
            return f"it offers a coupon or money off ({coupon.group(0)!r})"
        lowered = _fold_accents(text).lower()
        stem = _OFFER_STEMS.search(lowered) or _literal_gated(
            _OFFER_STEMS_WIDER, _OFFER_STEMS_WIDER_LITERALS, lowered
        )
        if stem is not None:
            return f"it promotes or calls to buy ({stem.group(0)!r})"
        folded = text if text.isascii() else unicodedata.normalize("NFKC", text)
        cjk = not folded.isascii() and _CJK_SCRIPT.search(folded) is not None
        offer = (_cjk_offer(folded) if cjk else None) or _percent_off(folded)
        if offer is None and not folded.isascii():
            low = folded.lower()
            offer = _OFFER_SCRIPTS.search(low)
            if offer is None and _OFFER_SCRIPTS_WIDER_SCRIPT.search(low) is not None:
                offer = _literal_gated(_OFFER_SCRIPTS_WIDER, _OFFER_SCRIPTS_WIDER_LITERALS, low)
        if offer is not None:
            return f"it promotes or calls to buy ({offer.group(0)!r})"
    return None


#: Offers and calls to buy in Japanese, Chinese and Korean, which write words without spaces between them
#: (so they are found as substrings, after NFKC folds full-width digits and "％"): a percentage or a tenth
#: off ("30%オフ", "20%割引", "八折", "30% 할인"), a sale, a coupon, "buy now", "today only", "limited time".
#: Words that also serve service mail are left out ("注文" an order, "价格" a price).
_CJK_OFFER = re.compile(
    r"\d{1,2}\s*%\s*(?:オフ|off|OFF|引き|割引|할인|折扣|优惠|優惠)"
    r"|[1-9一二三四五六七八九](?:\.\d)?\s*折(?![叠疊纸紙痕])"
    r"|セール|クーポン|お買い得|今すぐ購入|今すぐ買|今すぐ注文|期間限定|本日限定|数量限定|タイムセール"
    r"|促销|促銷|打折|特价|特價|立即购买|立即購買|马上抢购|限时|限時|秒杀|优惠券|優惠券"
    r"|특가|쿠폰|세일|지금\s*구매|한정\s*판매|오늘만"
)


#: A coupon already applied, as a receipt says it ("クーポン割引 500円 適用済み", "쿠폰 할인 2,000원이
#: 적용되었습니다", "优惠券已抵扣 20元"): the coupon word is then no offer (a percentage off or a sale still is).
_CJK_COUPON = frozenset(("クーポン", "쿠폰", "优惠券", "優惠券"))
_CJK_APPLIED = re.compile(
    r"適用|使用済|利用済|値引済|적용|사용\s*완료|已(?:使用|抵扣|抵用|应用|應用|扣除|减|減)"
)


def _cjk_offer(text: str) -> re.Match[str] | None:
    """The first offer of :data:`_CJK_OFFER` in ``text`` that is not a coupon the receipt says was applied
    (the word "applied" within 24 characters after it)."""
    for match in _CJK_OFFER.finditer(text):
        if match.group(0) in _CJK_COUPON and _CJK_APPLIED.search(text, match.end(), match.end() + 24):
            continue
        return match
    return None


#: Offers and calls to buy in Cyrillic (Russian, Ukrainian, Bulgarian, Serbian) and Devanagari (Hindi), read
#: lower-cased in their own script (the canonical form would read Cyrillic letters as Latin look-alikes): a
#: discount ("скидка 25%", "знижка", "30% की छूट", "30 प्रतिशत की छूट"), a sale, a promo code, "buy now".
#: "Акция" is also a share and "छूट" an exemption: they count only as written here.
_OFFER_SCRIPTS = re.compile(
    unicodedata.normalize(
        "NFKC",
        r"(?<!\w)(?:скидк|знижк|отстъпк|попуст|распродаж|розпродаж|промокод|купон)\w*"
        r"|(?<!\w)(?:купите|купуйте|купи|замовляйте|заказывайте)\s+(?:сейчас|зараз|сегодня|сьогодні)"
        r"|(?<!\w)(?:только|тільки)\s+(?:сегодня|сьогодні)|(?<!\w)спецпредложени\w*"
        r"|\d{1,2}\s*(?:%|प्रतिशत)\s*(?:तक\s*)?(?:की\s*)?छूट|डिस्काउंट|कूपन|ऑफ़र|ऑफर|अभी\s+खरीदें|सेल\s*[:：!]"
        # Hebrew ("הנחה" alone is also an assumption: with a percentage or a code only) and Thai
        r"|\d{1,2}\s*%\s*(?:של\s+)?[הל]?הנח[הות]|הנח[הות]\s+(?:של\s+)?(?:עד\s+)?\d{1,2}\s*%|קוד\s+(?:ה)?הנחה"
        r"|(?<![\u05d0-\u05ea])[בוהלמש]{0,2}(?:קופון|מבצע|מבצעים)(?![\u05d0-\u05ea])|קנו\s+עכשיו|(?:רק|בלעדי)\s+היום"
        r"|ส่วนลด|ลดราคา|ลด\s*\d{1,2}\s*%|โปรโมชั่น|คูปอง|ซื้อเลย|เฉพาะวันนี้|แฟลชเซล",
    )
)
#: The same in Bengali, Urdu, Tamil, Persian, Amharic, Georgian, Armenian, Bulgarian and Serbian Cyrillic, tried
#: only when the text holds a letter of one of their scripts (Bengali, Tamil, Arabic, Ethiopic, Georgian,
#: Armenian, Cyrillic).
_OFFER_SCRIPTS_WIDER_SCRIPT = re.compile(
    "[\u0980-\u09ff\u0b80-\u0bff\u0600-\u06ff\u1200-\u137f\u10a0-\u10ff\u0530-\u058f\u0400-\u04ff]"
)
_OFFER_SCRIPTS_WIDER = re.compile(
    unicodedata.normalize(
        "NFKC",
        # Bengali and Urdu ("ছাড়" and "رعایت" alone are also a release and a concession: with a percentage),
        # Tamil, Persian, Amharic, Georgian, Armenian, Bulgarian and Serbian in Cyrillic
        r"\d{1,2}\s*%\s*ছাড়|বিশেষ\s+ছাড়|ডিসকাউন্ট|এখনই\s+কিনুন|কুপন|অফার"
        r"|\d{1,2}\s*%\s*رعایت|رعایت\s+\d{1,2}\s*%|خصوصی\s+رعایت|ڈسکاؤنٹ|ابھی\s+خریدیں|کوپن"
        r"|தள்ளுபடி|இப்போதே\s+வாங்க|சலுகை|கூப்பன்"
        r"|تخفیف|حراج|(?:همین\s+)?(?:حالا|الان)\s+بخرید|فروش\s+ویژه"
        r"|ቅናሽ|አሁን\s+ይግዙ|ფასდაკლებ|იყიდ(?:ე|ეთ)\s+ახლავე|զեղչ|գն(?:եք|իր)\s+հիմա"
        r"|(?<!\w)(?:намалени|разпродажб|промоци|распродај)\w*|(?<!\w)(?:купете\s+сега|само\s+днес|купите\s+одмах"
        r"|само\s+данас)(?!\w)",
    )
)
#: Words one of which each offer of :data:`_OFFER_SCRIPTS_WIDER` holds (NFKC, lower-cased).
_OFFER_SCRIPTS_WIDER_LITERALS = tuple(
    unicodedata.normalize("NFKC", w)
    for w in ("ছাড়", "ডিসকাউন্ট", "কিনুন", "কুপন", "অফার", "رعایت", "ڈسکاؤنٹ", "خریدیں", "کوپن", "தள்ளுபடி",
              "வாங்க", "சலுகை", "கூப்பன்", "تخفیف", "حراج", "بخرید", "ویژه", "ቅናሽ", "ይግዙ", "ფასდაკლებ", "ახლავე",
              "զեղչ", "հիմա", "намалени", "разпродажб", "промоци", "распродај", "сега", "днес", "одмах", "данас")
)  # fmt: skip


def _fold_accents(text: str) -> str:
    """``text`` without combining marks, one character for one ("zniżki" is "znizki"; "ł" stays); one
    table lookup per character."""
    if text.isascii():
        return text
    return text.translate({ord(ch): unicodedata.normalize("NFD", ch)[0] for ch in set(text) if ord(ch) > 127})


#: A percentage off in the other languages of Europe ("20 % rabat", "25% zniżki", "30 % sleva", "20 % de
#: remise"), read with accents folded; a bare "rabat" is also a city and "remise" a handover.
_PERCENT_OFF = re.compile(
    r"%\s?(?:(?:de|di|van)\s)?"
    r"(?:rabat\w*|znizk\w*|slev\w*|alennus\w*|afslag|korting|sconto|descuento|desconto|reduction|remise"
    r"|descompte|i\sffwrdd)\b"
)
_DIGIT_BEFORE = re.compile(r"\d\s?$")
#: Kana, CJK ideographs and Hangul: a text without them is not read for :data:`_CJK_OFFER`.
_CJK_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _percent_off(text: str) -> re.Match[str] | None:
    """The first percentage off in ``text`` written in another European language (see :data:`_PERCENT_OFF`):
    anchored on "%" and read lower-cased with accents folded, then checked for its number."""
    folded = _fold_accents(text).lower()
    for match in _PERCENT_OFF.finditer(folded):
        if _DIGIT_BEFORE.search(folded, max(0, match.start() - 2), match.start()):
            return match
    return None


#: A percentage taken off, as shops in Europe write it: "-30 %", "–20%" (not "10-20%", a range).
_MINUS_PERCENT = re.compile(r"(?<![\w.,%-])[-\u2212\u2013]\s?\d{1,2}(?:[.,]\d)?\s?%(?!\w)")


def _recipient_zones(
    claimed: str | None, default: str, identifiers: tuple[str, ...]
) -> tuple[list[str], str | None]:
    """The time zones a send's local time is checked in, and why when not the claimed one.

    The recipient's ``timezone`` is the agent's claim; a phone number is evidence the gate can check. A
    claimed zone of the number's country is believed; one outside it, or none, gives way to every zone of
    that country (the send must fall in the allowed hours in each, as for a number whose area is unknown).
    Without a phone number the claim, or ``gate.default_timezone``, stands."""
    tel = next((i.removeprefix("tel:") for i in identifiers if i.startswith("tel:")), None)
    zones = phone_time_zones(tel) if tel else ()
    if not zones:
        return [claimed or default], None
    if claimed in zones:
        return [claimed], None
    if claimed:
        return list(zones), f"the claimed time zone {claimed!r} is not one of the phone number's country"
    return list(zones), None


def _next_allowed_everywhere(send_at: datetime, window: str, zones: list[ZoneInfo]) -> datetime | None:
    """None when ``send_at`` is inside ``window`` in every zone; else the first later time that is (the
    same time as :func:`next_allowed` for one zone). Raises ValueError when no time is (zones too far apart)."""
    moment = send_at
    for _ in range(2 * len(zones) + 2):
        moved = False
        for zone in zones:
            later = next_allowed(moment, window, zone)
            if later is not None:
                moment, moved = later, True
        if not moved:
            return None if moment == send_at else moment
    raise ValueError("no common allowed hours")


def _quiet_hours(
    ev: Evaluation,
    policy: Policy,
    action: SendMessage,
    allowed: str,
    send_at: datetime,
    identifiers: tuple[str, ...],
) -> datetime:
    """Check ``send_at`` against the allowed local hours; the time the send goes out (rescheduled with
    ``fixes.reschedule``), so that windows and caps are counted at it."""
    gate = policy.gate
    names, why = _recipient_zones(action.recipient.timezone, gate.default_timezone, identifiers)
    zones: list[ZoneInfo] = []
    for zone_name in names:
        try:
            zones.append(ZoneInfo(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            ev.findings.append(
                c.QuietHours.finding(
                    f"unknown time zone {zone_name!r} for the recipient: local time cannot be checked",
                    evidence={"timezone": zone_name},
                )
            )
            return send_at
    shown = names[0] if len(names) == 1 else f"{len(names)} time zones of the recipient's phone number"
    base: dict[str, Any] = {"timezone": names[0] if len(names) == 1 else names, "allowed": allowed}
    if why:
        base["claimed_timezone"] = action.recipient.timezone
        base["why"] = why
    try:
        later = _next_allowed_everywhere(send_at, allowed, zones)
    except ValueError:
        ev.findings.append(
            c.QuietHours.finding(
                f"{action.channel}: no time is inside {allowed} in all of the {shown}",
                evidence=base,
            )
        )
        return send_at
    if later is None:
        return send_at
    zone = zones[0]
    local = send_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    evidence = {**base, "local_time": local, "next_allowed": later.isoformat()}
    note = f" ({why})" if why else ""
    if gate.fixes.reschedule:
        ev.modify(send_at=later)
        ev.findings.append(
            c.QuietHours.finding(
                f"{action.channel} at {local} {zone.key} is outside {allowed} in the {shown}{note}; "
                f"rescheduled to {later.astimezone(zone).strftime('%Y-%m-%d %H:%M')} {zone.key}",
                evidence={**evidence, "fixed": True},
                severity=Severity.WARNING,
            )
        )
        return later
    ev.findings.append(
        c.QuietHours.finding(
            f"{action.channel} at {local} {zone.key} is outside the allowed hours {allowed} in the "
            f"{shown}{note}",
            evidence=evidence,
        )
    )
    return send_at


#: The identifier type a channel delivers to (``gate.consent.grant_on: address``).
_DELIVERED_TO = {"email": "email:", "sms": "tel:"}


def _delivery_identifiers(identifiers: tuple[str, ...], channel: str) -> tuple[str, ...]:
    """The identifiers a message on ``channel`` is delivered to: the e-mail addresses (with their mailboxes)
    for email, the phone numbers for sms; every identifier for other channels or when none is of that type
    (the executor resolves the id)."""
    prefix = _DELIVERED_TO.get(channel)
    found = tuple(i for i in identifiers if prefix is not None and i.startswith(prefix))
    return found or identifiers


def _send_time(ev: Evaluation, policy: Policy, action: SendMessage, now: datetime, trust: bool) -> datetime:
    """When the message goes out, on the gate's clock: ``send_at`` if in the future, else now. A ``send_at``
    beyond ``gate.time.max_send_ahead`` is denied (AG305) and the check goes on at now."""
    reference = action.time if trust else now
    if action.send_at is not None and action.send_at - reference > parse_duration(
        policy.gate.time.max_send_ahead
    ):
        ev.findings.append(
            c.SendAtTooFar.finding(
                f"send_at {action.send_at.isoformat()} is more than {policy.gate.time.max_send_ahead} after "
                f"{'the action time' if trust else 'the gate clock'} ({reference.isoformat()})",
                evidence={
                    "value": action.send_at.isoformat(),
                    "gate_time": reference.isoformat(),
                    "threshold": policy.gate.time.max_send_ahead,
                },
            )
        )
        return reference
    if trust:
        return action.send_at or action.time
    if action.send_at is None:
        return now
    skew = parse_duration(policy.gate.time.max_skew)
    if action.send_at >= now - skew:
        return max(action.send_at, now)
    evidence = {
        "value": action.send_at.isoformat(),
        "gate_time": now.isoformat(),
        "policy": policy.gate.time.past_send_at,
    }
    if policy.gate.time.past_send_at == "refuse":
        ev.findings.append(
            c.SendAtInPast.finding(
                f"send_at {action.send_at.isoformat()} is in the past (the gate's clock says "
                f"{now.isoformat()})",
                evidence=evidence,
            )
        )
    else:
        ev.modify(send_at=now)
        ev.findings.append(
            c.SendAtInPast.finding(
                f"send_at {action.send_at.isoformat()} is in the past; the message is sent now",
                evidence={**evidence, "fixed": True},
                severity=Severity.WARNING,
            )
        )
    return now


#: How the ledger stores a recipient's address (a pseudonym, a keyed tag, a masking placeholder or hash): a
#: replayed action carries these, and no message can be delivered to one.
_STORED_FORM = re.compile(r"p_[0-9a-f]{24}|h:[0-9a-f]{32}|hash:[0-9a-f]+|\[[a-z]+\]")


def _given(value: str | None) -> TypeGuard[str]:
    """A contact field the agent filled in (not empty, not the stored form of a replayed action)."""
    return value is not None and bool(value.strip()) and _STORED_FORM.fullmatch(value) is None


def _contact_fields(ev: Evaluation, recipient: Recipient, region: str) -> None:
    """AG001 for a recipient ``email`` that is not exactly one e-mail address, or a ``phone`` that is not a
    phone number: the message would go to an address whose consent and suppression records cannot be
    found. The value itself stays out of the finding (it may be personal data the masker does not know)."""
    if _given(recipient.email) and normalise_email(recipient.email) is None:
        ev.findings.append(
            c.MalformedAction.finding(
                "recipient.email: not exactly one e-mail address (one local@domain, optionally as "
                "'Name <local@domain>'; no lists, spaces or comments)",
                evidence={"field": "recipient.email"},
            )
        )
    if _given(recipient.phone) and normalise_phone(recipient.phone, region) is None:
        ev.findings.append(
            c.MalformedAction.finding(
                f"recipient.phone: not a phone number (give it in E.164, +country then the number; numbers "
                f"without +country are read in gate.privacy.phone_region {region})",
                evidence={"field": "recipient.phone", "phone_region": region},
            )
        )


def _personalised(
    ev: Evaluation,
    policy: Policy,
    action: SendMessage | ReplyCustomer,
    recipient: Recipient,
) -> bool:
    """Whether a message is personalised: a send's ``personalised: true``, or — when a send says false, or
    for a reply, which carries no flag — what its subject and content show, when the recipient carries a
    consent signal that would then apply (a TC string, or GPC the policy honours;
    :func:`brandrail.gate.personalisation.personal_signals`; AG406). With GPC honoured a signal may also be
    on record for a recipient that carries none (:func:`~brandrail.gate.consent.record_gpc`): the content
    is read then too, and a message it shows personalised looks the record up (``ev.gpc_contacts``); its
    AG406 is kept for that lookup (``ev.gpc_personal``) and counts only when a GPC is on record."""
    if isinstance(action, SendMessage) and action.personalised:
        return True
    carried = bool(
        recipient.tcf is not None
        or (recipient.gpc and policy.gate.consent.honour_gpc)
        or _unstated(policy, recipient)
    )
    remembered = policy.gate.consent.honour_gpc and recipient.gpc is not True
    if not (carried or remembered):
        return False
    if not carried and isinstance(action, SendMessage):
        # only a remembered GPC could apply: the send's consent statement looks it up, and the content is
        # read only when one is found (a reply has no consent statement: its content is read first)
        ev.gpc_content = lambda: _personalised_by_content(policy, action, recipient)
        _gpc_lookup(ev, policy, recipient)
        return False
    found = _personalised_by_content(policy, action, recipient)
    if found is None:
        return False
    if not carried:  # only a remembered GPC could apply: the gate looks it up
        ev.gpc_personal = found
        _gpc_lookup(ev, policy, recipient)
        return False
    ev.findings.append(found)
    return True


def _personalised_by_content(
    policy: Policy, action: SendMessage | ReplyCustomer, recipient: Recipient
) -> Finding | None:
    """AG406 (a warning) when the subject or content of a message not declared personalised shows that it
    is (:func:`brandrail.gate.personalisation.personal_signals`); None when it does not."""
    from brandrail.gate.personalisation import personal_signals

    subject = action.subject if isinstance(action, SendMessage) else None
    declared = isinstance(action, SendMessage) and action.marketing

    def is_marketing() -> bool:
        return declared or marketing_reason(policy, subject, action.content) is not None

    signals = personal_signals(
        policy, recipient, [("subject", subject), ("content", action.content)], is_marketing
    )
    if not signals:
        return None
    shown = "; ".join(s.describe() for s in signals[:3])
    what = (
        "the message is marked personalised: false"
        if isinstance(action, SendMessage)
        else "a reply carries no personalised flag"
    )
    return c.PersonalisedByContent.finding(
        f"{what}, but {shown}: it is treated as personalised and the recipient's consent signals "
        "(TCF, GPC) apply",
        evidence={
            "declared": False if isinstance(action, SendMessage) else None,
            "signals": [s.evidence() for s in signals[:10]],
        },
        severity=Severity.WARNING,
    )


def _gpc_lookup(ev: Evaluation, policy: Policy, recipient: Recipient) -> None:
    """Look a remembered GPC up for a personalised message's recipient (send or reply, one path)."""
    ev.gpc_contacts = recipient_identifiers(
        recipient.id, recipient.email, recipient.phone, policy.gate.privacy.phone_region
    )


def _unstated(policy: Policy, recipient: Recipient) -> list[str]:
    """The signals of ``gate.consent.require_signals`` the recipient leaves out (null is not false)."""
    given = {"gpc": recipient.gpc is not None, "tcf": recipient.tcf is not None}
    return [s for s in policy.gate.consent.require_signals if not given[s]]


def _consent_signals(ev: Evaluation, policy: Policy, recipient: Recipient, personalised: bool) -> None:
    """AG407 when a personalised message leaves out a signal the policy requires; AG404 and AG403 for one
    to a recipient with GPC or a TC string that does not allow it."""
    gate = policy.gate
    missing = _unstated(policy, recipient) if personalised else []
    if missing:
        found = c.ConsentSignalNotStated.finding(
            f"a personalised message must state the recipient's {' and '.join(missing)} signal "
            "(gate.consent.require_signals); leaving it out is not the same as no signal"
            + (" (gpc: false when the browser sent none)" if "gpc" in missing else ""),
            evidence={
                "missing": missing,
                "required": list(gate.consent.require_signals),
                "policy": gate.consent.missing_signal,
            },
        )
        if gate.consent.missing_signal == "deny":
            ev.findings.append(found)
        else:
            ev.review.append(found.with_severity(Severity.WARNING))
    if personalised and gate.consent.honour_gpc and recipient.gpc is not True:
        _gpc_lookup(ev, policy, recipient)
    if personalised and recipient.gpc and gate.consent.honour_gpc:
        ev.findings.append(
            c.GpcOptOut.finding(
                "personalised message to a person whose browser sent Global Privacy Control",
                evidence={"gpc": True},
            )
        )
    # a TC string stated empty ("none given"), blank or malformed is no consent: it is checked like any other
    if personalised and recipient.tcf is not None:
        check = check_tcf(recipient.tcf, list(gate.consent.tcf_purposes), gate.consent.tcf_vendor_id)
        if not check.ok:
            what = check.error or (
                f"missing purpose(s) {', '.join(map(str, check.missing_purposes))}"
                if check.missing_purposes
                else f"vendor {gate.consent.tcf_vendor_id} not allowed"
            )
            ev.findings.append(
                c.TcfConsentMissing.finding(
                    f"the TCF consent string does not allow a personalised message: {what}",
                    evidence={
                        "required_purposes": list(gate.consent.tcf_purposes),
                        "missing_purposes": list(check.missing_purposes),
                        "vendor_allowed": check.vendor_allowed,
                        "error": check.error,
                    },
                )
            )


def _send(
    ev: Evaluation,
    policy: Policy,
    action: SendMessage,
    now: datetime,
    trust: bool,
    name_key: Callable[[str], str],
) -> None:
    gate = policy.gate
    recipient = action.recipient
    # consent signals carried by the action; whether the send is personalised is read from it too
    personalised = _personalised(ev, policy, action, recipient)
    _consent_signals(ev, policy, recipient, personalised)
    _contact_fields(ev, recipient, gate.privacy.phone_region)
    identifiers = recipient_identifiers(
        recipient.id, recipient.email, recipient.phone, gate.privacy.phone_region
    )
    marketing = action.marketing
    if not marketing and action.channel in gate.consent.require_opt_in:
        reason = marketing_reason(policy, action.subject, action.content)
        if reason is not None:
            marketing = True
            ev.findings.append(
                c.MarketingByContent.finding(
                    f"the message is marked marketing: false, but {reason}: it is treated as marketing "
                    "(CAN-SPAM primary-purpose test) and needs opt-in consent",
                    evidence={"declared": False, "reason": reason},
                    severity=Severity.WARNING,
                )
            )
    if marketing and gate.approvals.audience_size_over is not None:
        _bind_to_audience(ev, policy, action.campaign, name_key)
    ev.consent = ConsentPlan(
        identifiers[0],
        action.channel,
        identifiers,
        marketing and action.channel in gate.consent.require_opt_in,
        _delivery_identifiers(identifiers, action.channel) if gate.consent.grant_on == "address" else None,
    )
    # quiet hours, on the gate's clock
    send_at = _send_time(ev, policy, action, now, trust)
    quiet = gate.quiet_hours.get(action.channel)
    if quiet is not None:
        send_at = _quiet_hours(ev, policy, action, quiet.allowed, send_at, identifiers)
    # content
    _content(ev, policy, action.content, action.channel, "content")
    if action.subject:
        _content(ev, policy, action.subject, action.channel, "subject", body=action.content)
    # frequency caps (every identifier of the recipient: id variants of one address share its cap) and
    # send rates, reserved in the store
    for cap in gate.frequency:
        if cap.channel in (action.channel, "*"):
            for ident in identifiers:
                ev.events.append(
                    EventPlan(
                        f"freq:{SUBJECT}:{cap.channel}",
                        send_at,
                        parse_duration(cap.window),
                        cap.max,
                        c.FrequencyCapExceeded,
                        f"{cap.max} {'messages' if cap.channel == '*' else cap.channel} per {cap.window}",
                        ident,
                    )
                )
    for rate in gate.send_rates:
        if rate.channel in (action.channel, "*"):
            ev.events.append(
                EventPlan(
                    f"rate:{rate.channel}",
                    send_at,
                    parse_duration(rate.window),
                    rate.max,
                    c.SendRateExceeded,
                    f"{rate.max} {'messages' if rate.channel == '*' else rate.channel} per {rate.window} "
                    "in total",
                )
            )


def undeclared_audience(policy: Policy, campaign: str | None, ev: Evaluation) -> None:
    """AG503 for a marketing send outside any declared audience, as ``gate.audience.undeclared`` says."""
    choice = policy.gate.audience.undeclared
    if choice == "allow":
        return
    what = f"campaign {campaign!r} has no declared audience" if campaign else "the send names no campaign"
    found = c.AudienceUndeclared.finding(
        f"{what}: with approvals.audience_size_over set, a marketing send counts against the audience "
        "declared for its campaign (target_audience) — declare it first",
        evidence={
            "campaign": campaign,
            "threshold": "approvals.audience_size_over",
            "policy": choice,
        },
    )
    if choice == "deny":
        ev.findings.append(found)
    else:
        ev.review.append(found.with_severity(Severity.WARNING))


def _bind_to_audience(
    ev: Evaluation, policy: Policy, campaign: str | None, name_key: Callable[[str], str]
) -> None:
    """A marketing send counts against its campaign's declared audience (read in the writer transaction);
    one with no campaign is outside every declared audience."""
    if campaign is None or not campaign.strip():
        undeclared_audience(policy, None, ev)
        return
    name = canonical_name(campaign)
    tag = name_key(name)
    audience = policy.gate.audience
    ev.audience_send = AudienceSendPlan(
        f"audience:declared:{tag}",
        f"audience:sent:{tag}",
        name,
        audience.tolerance,
        audience.over_declared,
        audience.undeclared,
    )


def _reply(ev: Evaluation, policy: Policy, action: ReplyCustomer) -> None:
    """A reply is checked as content, with the conversation before it in view when the caller gave it."""
    if action.turns is None and policy.gate.approvals.reply_without_turns:
        ev.review.append(
            c.ApprovalRequired.finding(
                "the reply comes without the conversation before it (turns), so it cannot be judged "
                "against the customer's state (approvals.reply_without_turns)",
                evidence={"threshold": "approvals.reply_without_turns", "conversation": action.conversation},
            )
        )
    if action.channel is not None and action.channel not in policy.channels:
        known = ", ".join(sorted(policy.channels)) or "none"
        ev.findings.append(
            c.MalformedAction.finding(
                f"channel: {action.channel!r} is not a channel of the policy (channels: {known})",
                evidence={"field": "channel", "value": action.channel, "known": sorted(policy.channels)},
            )
        )
        return
    if action.recipient is not None:
        # the reply goes to this address: "a@x.com, b@y.com" would reach a second person no one checked
        _contact_fields(ev, action.recipient, policy.gate.privacy.phone_region)
        # a reply has no personalised flag: a reply that is personalised by its content meets the consent
        # signals as a send does
        _consent_signals(ev, policy, action.recipient, _personalised(ev, policy, action, action.recipient))
    conversation = None
    if action.turns is not None:
        from brandrail.text.conversation import parse_conversation

        conversation = parse_conversation([t.model_dump() for t in action.turns], source="turns")
    _content(ev, policy, action.content, action.channel, "content", conversation)


def _content(
    ev: Evaluation,
    policy: Policy,
    text: str,
    channel: str | None,
    field_name: str,
    conversation: Conversation | None = None,
    body: str | None = None,
    replace: Callable[[str], None] | None = None,
) -> None:
    """Content findings on ``text`` (the action's ``field_name``); ``body``: ``text`` is a field of a message
    whose body this is (a subject line), so only the words of the field are judged (``check_field``).
    ``replace`` puts a fixed text in the action (default: the action's field ``field_name``)."""
    if not policy.gate.content_checks or not text.strip():
        return
    from brandrail.check_budget import check_field, check_text  # within the caller's check budget (BR999)

    view_channel = channel if channel in policy.channels else None

    def findings_in(candidate: str) -> list[Finding]:
        if body is not None:
            # a field of the message (its subject): its words, not the message's required parts
            return check_field(candidate, policy, field=field_name, body=body, channel=view_channel)
        checked = check_text(
            candidate, policy, channel=view_channel, path=field_name, conversation=conversation
        )
        return list(checked.findings)

    def errors_of(found: list[Finding]) -> list[Finding]:
        return [f for f in found if f.severity is Severity.ERROR]

    findings = findings_in(text)
    errors = errors_of(findings)
    if not errors:
        return
    fixable = all(f.fix is not None and f.fix.safe for f in errors)
    if fixable and policy.gate.fixes.content:
        fixes = [f for f in findings if f.fix is not None and f.fix.safe]
        try:
            fixed = apply_edits(text, fixes)
        except ValueError:
            fixed = None
        if fixed is not None and not errors_of(findings_in(fixed)):
            if replace is not None:
                replace(fixed)
            else:
                ev.modify(**{field_name: fixed})
            ev.findings.append(
                c.ContentViolation.finding(
                    f"{field_name}: {len(errors)} content finding(s) fixed automatically",
                    evidence={"codes": sorted({f.code for f in errors}), "field": field_name, "fixed": True},
                    severity=Severity.WARNING,
                )
            )
            ev.findings.extend(f.with_severity(Severity.WARNING) for f in errors)
            return
    ev.findings.append(
        c.ContentViolation.finding(
            f"{field_name}: {len(errors)} content error(s): "
            + "; ".join(f"{f.code} {f.message}" for f in errors[:5]),
            evidence={"codes": sorted({f.code for f in errors}), "field": field_name, "fixed": False},
        )
    )
    ev.findings.extend(errors)


def _custom(ev: Evaluation, policy: Policy, action: Custom) -> None:
    spec = policy.gate.custom_actions.get(action.name)
    if spec is None:
        known = sorted(policy.gate.custom_actions)
        ev.findings.append(
            c.CustomActionUnknown.finding(
                f"custom action {action.name!r} is not defined in gate.custom_actions",
                evidence={"name": action.name, "known": known},
            )
        )
        return
    if spec.schema_:
        from brandrail.gate.arguments import args_validator

        validator = args_validator(spec.schema_)
        problems = sorted(validator.iter_errors(action.args), key=lambda e: list(e.path))
        if problems:
            detail = "; ".join(
                f"args.{'.'.join(str(p) for p in e.path) or '(root)'}: {e.message}" for e in problems[:5]
            )
            ev.findings.append(
                c.CustomActionInvalid.finding(
                    f"custom action {action.name!r} does not match its schema: {detail}",
                    evidence={"name": action.name, "errors": [e.message for e in problems[:5]]},
                )
            )
        if problems:
            return
    _custom_content(ev, policy, action, spec.content, spec.channel)
    if spec.review:
        ev.review.append(
            c.ApprovalRequired.finding(
                f"the policy sends custom action {action.name!r} to review",
                evidence={"threshold": f"custom_actions.{action.name}.review"},
            )
        )


def _custom_content(
    ev: Evaluation, policy: Policy, action: Custom, paths: Sequence[str], channel: str | None
) -> None:
    """Check the ``args`` a custom action's policy lists under ``content`` (text a customer reads) like a
    message's content. A string, and each string of a list of strings, is checked on its own and a safe fix
    goes back into a copy of ``args``; the text of anything else there (an object of parts, a list of
    lists) and a list's strings run together (a tool may join ``["ch", "eap"]``) are checked as the tool
    may deliver them, and an error there denies (AG601)."""
    from brandrail.check_budget import delivered_errors  # within the caller's check budget (BR999)
    from brandrail.text.nested import texts_in, value_at

    view_channel = channel if channel in policy.channels else None
    for path in paths:
        found, value = value_at(action.args, path)
        if not found:
            continue  # the schema says whether it is required
        if isinstance(value, str):
            _content(ev, policy, value, channel, f"args.{path}", replace=_put_arg(ev, path, None))
            continue
        items = value if isinstance(value, list) and all(isinstance(v, str) for v in value) else []
        for index, text in enumerate(items):
            label = f"args.{path}[{index}]"
            _content(ev, policy, text, channel, label, replace=_put_arg(ev, path, index))
        if ev.denied:
            continue
        current = ev.current
        assert isinstance(current, Custom)
        value = value_at(current.args, path)[1]  # with the items' fixes
        if items and len(texts_in(value)) < 2:
            continue  # one string: checked above
        found_errors = delivered_errors(value, policy, channel=view_channel, path=f"args.{path}")
        if found_errors:
            ev.findings.append(
                c.ContentViolation.finding(
                    f"args.{path}: {len(found_errors)} content error(s) in its text as a tool may deliver it "
                    "(its parts together): " + "; ".join(f"{f.code} {f.message}" for f in found_errors[:5]),
                    evidence={
                        "codes": sorted({f.code for f in found_errors}),
                        "field": f"args.{path}",
                        "fixed": False,
                    },
                )
            )
            ev.findings.extend(found_errors)


def _put_arg(ev: Evaluation, path: str, index: int | None) -> Callable[[str], None]:
    """Puts a fixed text at ``path`` (item ``index`` of the list there) of the current action's ``args``."""

    def put(fixed: str) -> None:
        current = ev.current
        assert isinstance(current, Custom)
        ev.modify(args=_with_arg(current.args, path, index, fixed))

    return put


def _with_arg(args: Mapping[str, Any], path: str, index: int | None, text: str) -> dict[str, Any]:
    """A copy of ``args`` with the text at ``path`` (item ``index`` of a list there) replaced."""
    head, _, rest = path.partition(".")
    out = dict(args)
    if rest:
        out[head] = _with_arg(args[head], rest, index, text)
    elif index is None:
        out[head] = text
    else:
        items = list(args[head])
        items[index] = text
        out[head] = items
    return out
