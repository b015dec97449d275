"""FA verdict codes: what the fairness audit reports, each with its documentation."""

from __future__ import annotations

from brandrail.findings import Severity
from brandrail.registry import Rule, register

__all__ = [
    "AbsentFromStratum",
    "ConditionalDisparity",
    "DeliverySkew",
    "DemographicParityGap",
    "DisparateImpact",
    "EqualOpportunityGap",
    "EqualizedOddsGap",
    "MissingProtectedValues",
    "OutcomeDisparity",
    "ProxyFeature",
    "SuppressedGroups",
]


class _Verdict(Rule):
    kind = "verdict"


@register
class DisparateImpact(_Verdict):
    """A group gets the favourable outcome at less than four fifths of the rate of another.

    What it flags:
    A group whose rate of the favourable outcome, divided by the reference group's, is below
    `fairness.four_fifths` (0.8) with its whole confidence interval (widened to the false-coverage-rate
    level after Benjamini-Hochberg selection) below the threshold; or the reference itself, when its rate
    is below four fifths of other groups'. The favourable outcome is being selected, or for adverse
    decisions (`fairness.favourable: false`: surcharges, risk flags, declines) not being selected. The
    reference is the group named in `fairness.reference`, else the largest group. The finding names the
    group worse off.

    Why it matters:
    The four-fifths rule (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)) is the common first test of
    adverse impact; regulators and courts read a ratio below 0.8 as evidence of disparate impact.

    Example:
    Offers shown to 12% of women and 20% of men: ratio 0.60 < 0.80. A risk flag raised for 58% of one
    group and 33% of another (adverse): spared at 0.42 / 0.67 = 0.63 < 0.80.

    Use instead:
    Remove or reweigh the features driving the gap, add a parity constraint to the targeting model, or
    document the legitimate business necessity and the controls that explain it.
    """

    code = "FA001"
    name = "disparate-impact"
    default_severity = Severity.ERROR


@register
class DemographicParityGap(_Verdict):
    """The largest and smallest selection rates differ by more than the policy allows.

    What it flags:
    An attribute (or intersection) whose demographic-parity difference, max minus min selection rate over
    the reported groups, exceeds `fairness.max_dp_difference` and is significant.

    Why it matters:
    Demographic parity is the measure Fairlearn and most audit frameworks report first; a large absolute
    gap means some groups are far less likely to see an ad or receive an offer.

    Example:
    Selection rates 0.31 for 18-24 and 0.12 for 65+: difference 0.19 > 0.10.

    Use instead:
    Investigate which targeting features produce the gap (see FA007), and rebalance delivery.
    """

    code = "FA002"
    name = "demographic-parity-gap"
    default_severity = Severity.ERROR


@register
class EqualOpportunityGap(_Verdict):
    """The decision errs against one group more than another in the way that harms.

    What it flags:
    Two groups whose true-positive rates (favourable decisions) or false-positive rates (adverse
    decisions, `fairness.favourable: false`) differ by more than `fairness.max_eo_difference`, with the
    whole interval of the difference above it; needs `fairness.label`.

    Why it matters:
    Qualified people of one group miss an offer that equally qualified people of another group get; or
    people of one group who did nothing to earn it are flagged, surcharged or declined more often.

    Example:
    TPR 0.72 for men and 0.55 for women among customers who would convert; a risk flag on 42% of
    one group's non-reoffenders and 22% of another's.

    Use instead:
    Calibrate the targeting model per group or add an equal-opportunity constraint.
    """

    code = "FA003"
    name = "equal-opportunity-gap"
    default_severity = Severity.ERROR


@register
class EqualizedOddsGap(_Verdict):
    """True- or false-positive rates differ between groups by more than the policy allows.

    What it flags:
    An attribute whose equalized-odds difference, the larger of the TPR and FPR differences, exceeds
    `fairness.max_eo_difference` and is significant; needs `fairness.label`.

    Why it matters:
    The decision errs differently for different groups: some are over-targeted, others under-served.

    Example:
    FPR 0.30 for one age band and 0.12 for another.

    Use instead:
    Post-process thresholds per group (e.g. Fairlearn's ThresholdOptimizer) or retrain with a constraint.
    """

    code = "FA004"
    name = "equalized-odds-gap"
    default_severity = Severity.ERROR


@register
class OutcomeDisparity(_Verdict):
    """A group pays more, or gets a smaller discount, than the reference group.

    What it flags:
    A continuous outcome (price, discount, offer value) whose mean for a group differs from the reference
    mean by more than `fairness.outcome_tolerance` (relative), with the whole (Welch) interval of the ratio outside
    the tolerance band. `fairness.better_outcome` says which direction benefits the person (lower for a
    price, the default); the finding names the group worse off, which may be the reference. When either
    mean is zero or negative (a price change, a fee most people never pay), a ratio of means says nothing,
    and the difference decides instead, on the same scale: 1 + difference / |reference mean| (the group
    mean's magnitude when the reference mean is 0).

    Why it matters:
    Personalised pricing that charges a protected group more is unlawful in many places and a reputational
    risk everywhere.

    Example:
    Mean price 104.20 for one group and 96.10 for the reference: ratio 1.084.

    Use instead:
    Remove protected attributes and their proxies from the pricing model's inputs; cap personalised deviation.
    """

    code = "FA005"
    name = "outcome-disparity"
    default_severity = Severity.ERROR


@register
class DeliverySkew(_Verdict):
    """Too few ads reach their eligible audience in proportion.

    What it flags:
    For an attribute, the share of ads whose total variation distance between who saw the ad and its
    eligible audience is within `fairness.skew_tolerance`, when that share is below
    `fairness.min_share_within`. The finding names each ad out of tolerance and the group it under-shows
    most (its share of impressions vs its share of the eligible audience).

    Why it matters:
    Delivery optimisation can skew who sees housing, job or credit ads even when targeting is neutral; Meta's
    Variance Reduction System reports exactly this share for housing ads.

    Example:
    Only 62% of ads within a TVD of 0.10 for sex.

    Use instead:
    Enable variance reduction on the platform, cap per-group frequency, or widen the audience.
    """

    code = "FA006"
    name = "delivery-skew"
    default_severity = Severity.WARNING


@register
class ProxyFeature(_Verdict):
    """A targeting feature is strongly associated with a protected attribute.

    What it flags:
    A feature in `fairness.features` whose Cramér's V (or normalised mutual information) with a protected
    attribute reaches `fairness.proxy_threshold`.

    Why it matters:
    Removing a protected attribute does not help when another feature stands in for it: zip code for
    ethnicity, first name for sex.

    Example:
    zip3 vs ethnicity: Cramér's V 0.58.

    Use instead:
    Drop or coarsen the feature, or test the model's decisions with and without it.
    """

    code = "FA007"
    name = "proxy-feature"
    default_severity = Severity.WARNING


@register
class ConditionalDisparity(_Verdict):
    """A selection-rate or outcome disparity remains after conditioning on the control features.

    What it flags:
    A group whose Mantel-Haenszel pooled rate ratio to the reference, across strata of
    `fairness.controls`, is below `fairness.four_fifths` and significant; or whose mean outcome, directly
    standardised over those strata, differs from the reference by more than `fairness.outcome_tolerance`
    with a significant inverse-variance pooled difference (when a standardised mean is zero or negative,
    that pooled difference relative to the reference's standardised mean decides, as in FA005).

    Why it matters:
    Legitimate factors do not explain the gap: it persists between comparable people.

    Example:
    Within each region, women see the offer at 0.7 times the rate of men (pooled).

    Use instead:
    Find the feature that differs within strata, and remove or constrain it.
    """

    code = "FA008"
    name = "conditional-disparity"
    default_severity = Severity.ERROR


@register
class SuppressedGroups(_Verdict):
    """Some groups are too small to report.

    What it flags:
    Groups or intersections with fewer rows than `fairness.min_cell`; they are suppressed from the report
    and from the verdicts.

    Why it matters:
    Rates of tiny groups are statistically meaningless and can identify individuals.

    Example:
    3 intersections below 30 rows.

    Use instead:
    Collect more data, or merge small categories before the audit.
    """

    code = "FA009"
    name = "suppressed-groups"
    default_severity = Severity.INFO


@register
class MissingProtectedValues(_Verdict):
    """Rows have no value for a protected attribute.

    What it flags:
    Null values in a protected attribute, counted; reported as group `(missing)` or excluded per
    `fairness.nulls`.

    Why it matters:
    Missingness is rarely random: excluding such rows can hide a disparity.

    Example:
    1,204 rows (2.4%) with no ethnicity.

    Use instead:
    Keep `nulls: group` to see how the missing group is treated, and improve data collection.
    """

    code = "FA010"
    name = "missing-protected-values"
    default_severity = Severity.INFO


@register
class AbsentFromStratum(_Verdict):
    """A group has no rows in some strata of the control features.

    What it flags:
    Strata of `fairness.controls` in which a protected group does not occur; those strata are skipped
    for that group's conditional comparisons.

    Why it matters:
    Conditional parity is then measured on fewer strata than it seems.

    Example:
    No 65+ customers in region `campus`.

    Use instead:
    Coarsen the control features so every group occurs in every stratum.
    """

    code = "FA011"
    name = "absent-from-stratum"
    default_severity = Severity.INFO
