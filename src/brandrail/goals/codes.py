"""GL codes: goal-alignment verdicts of experiment audits and off-policy evaluation.

Each code is a verdict (``kind = "verdict"``): it is emitted by :func:`brandrail.goals.audit_goals` or
:func:`brandrail.goals.evaluate_policy`, never by ``brandrail check``.
"""

from __future__ import annotations

from brandrail.findings import Severity
from brandrail.registry import Rule, register

__all__ = [
    "CandidateGoalUncertain",
    "CandidateProxyUpGoalDown",
    "GuardrailBreached",
    "GuardrailInconclusive",
    "LowEffectiveSampleSize",
    "LowProxyGoalRankCorrelation",
    "NearZeroPropensity",
    "ProxyWinGoalFlat",
    "ProxyWinGoalLoss",
    "SegmentHarm",
    "UnsupportedCandidateActions",
    "WeightMeanOffOne",
]


class _Verdict(Rule):
    kind = "verdict"


@register
class ProxyWinGoalLoss(_Verdict):
    """A variant wins significantly on a proxy metric while the true objective gets significantly worse.

    What it flags:
    A treatment variant whose proxy (open rate, click-through) is significantly better than control while the
    objective named in `goals.objective` (net revenue, retention) is significantly worse.

    Why it matters:
    This is Goodhart's law in action: the AI optimised the measure, not the value. Shipping it trades real
    revenue or customer trust for a number on a dashboard.

    Example:
    The subject line "You won't BELIEVE this" lifts opens by 30% and lowers net revenue per recipient by 8%.

    Use instead:
    Decide on the objective and guardrails, not the proxy; retune the AI against the objective or a proxy
    that is validated to move with it.
    """

    code = "GL001"
    name = "proxy-win-goal-loss"
    default_severity = Severity.ERROR


@register
class ProxyWinGoalFlat(_Verdict):
    """A variant wins significantly on a proxy while the objective shows no significant improvement.

    What it flags:
    A treatment variant significantly better than control on a proxy metric while the objective's interval
    includes zero (flat, or too uncertain to tell).

    Why it matters:
    A proxy win without a goal win is not evidence of value; teams that ship on proxies alone accumulate
    changes that move clicks but not the business.

    Example:
    A new call-to-action raises click-through by 12% and net revenue by +0.4%, 95% interval -3% to +4%.

    Use instead:
    Run the experiment longer (or with CUPED) until the objective is measured precisely, or keep control.
    """

    code = "GL002"
    name = "proxy-win-goal-flat"
    default_severity = Severity.WARNING


@register
class GuardrailBreached(_Verdict):
    """A guardrail metric is significantly worse than control by more than its non-inferiority margin.

    What it flags:
    A guardrail (unsubscribe, complaint or refund rate) whose whole confidence interval of harm lies
    beyond the margin set in `goals.guardrails[].margin`.

    Why it matters:
    Guardrails protect customers and the brand from collateral damage that the objective does not see in the
    short run: unsubscribes shrink the audience for every future campaign.

    Example:
    Unsubscribe rate 0.9% vs 0.4% in control with a margin of 0.2 percentage points.

    Use instead:
    Do not ship the variant; change the message so that the guardrail holds.
    """

    code = "GL003"
    name = "guardrail-breached"
    default_severity = Severity.ERROR


@register
class GuardrailInconclusive(_Verdict):
    """A guardrail metric could not be shown non-inferior to control within its margin.

    What it flags:
    A guardrail whose one-sided non-inferiority test does not reject: the interval of harm reaches past the
    margin, so the data cannot rule out unacceptable harm.

    Why it matters:
    "Not significantly worse" is not "not worse": an underpowered test hides harm. Non-inferiority puts the
    burden of proof on the variant.

    Example:
    Complaint rate difference +0.05 pp with a 95% interval of -0.02 to +0.15 pp and a margin of 0.1 pp.

    Use instead:
    Collect more units, use a pre-period covariate (CUPED), or keep control.
    """

    code = "GL004"
    name = "guardrail-inconclusive"
    default_severity = Severity.WARNING


@register
class LowProxyGoalRankCorrelation(_Verdict):
    """Across variants and segments, proxy lift does not rank the same way as goal lift.

    What it flags:
    A Spearman rank correlation between proxy lift and objective lift, over every variant (and segment),
    below `goals.min_rank_correlation`.

    Why it matters:
    A proxy is only useful if moving it moves the goal. A low or negative correlation means optimising the
    proxy picks the wrong winners.

    Example:
    Five subject lines: the two with the best open rates have the worst revenue per recipient (rho = -0.6).

    Use instead:
    Stop tuning on this proxy; pick a proxy that tracks the objective across past experiments, or optimise the
    objective directly.
    """

    code = "GL005"
    name = "low-proxy-goal-rank-correlation"
    default_severity = Severity.WARNING


@register
class SegmentHarm(_Verdict):
    """A variant that is not worse overall significantly harms the objective in one segment.

    What it flags:
    A segment (for example new customers) in which a variant's objective is significantly worse than control,
    while the overall verdict does not show that loss.

    Why it matters:
    Averages hide who pays: "wins overall, hurts new customers" damages the customers a brand most
    needs to win.

    Example:
    Discount-led e-mail raises revenue from returning customers and lowers it for new customers by 6%.

    Use instead:
    Target the variant only at segments where it helps, or redesign it for the harmed segment.
    """

    code = "GL006"
    name = "segment-harm"
    default_severity = Severity.WARNING


@register
class CandidateProxyUpGoalDown(_Verdict):
    """A candidate targeting policy raises the proxy reward while its estimated goal value falls.

    What it flags:
    Off-policy evaluation shows the candidate significantly improves the proxy reward over the logging policy
    while its objective value is significantly lower than the logging policy's (the whole interval of the
    goal lift below zero; a lower estimate whose interval reaches past zero is GL011).

    Why it matters:
    A targeting model trained on clicks learns to reach people who click and do not buy. Deploying it would
    lower real value while dashboards improve.

    Example:
    Candidate click rate +4 pp (interval +3.5 to +4.6), net revenue per decision -0.8 (-1.1 to -0.5).

    Use instead:
    Train or select the policy on the goal reward, or constrain it with the goal as a guardrail.
    """

    code = "GL010"
    name = "candidate-proxy-up-goal-down"
    default_severity = Severity.ERROR


@register
class CandidateGoalUncertain(_Verdict):
    """A candidate policy raises the proxy reward but its goal value cannot be told apart from the logger's.

    What it flags:
    The candidate's proxy lift is significant while the interval of its goal lift includes zero, whichever
    side of zero the estimate lies on.

    Why it matters:
    Without evidence on the objective, the proxy improvement is no reason to deploy; the goal might fall.

    Example:
    Clicks +3 pp, net revenue lift +0.1 with an interval of -0.9 to +1.1.

    Use instead:
    Log more decisions with exploration, or run an online A/B test with the goal as the decision metric.
    """

    code = "GL011"
    name = "candidate-goal-uncertain"
    default_severity = Severity.WARNING


@register
class LowEffectiveSampleSize(_Verdict):
    """Importance weights are so uneven that the off-policy estimate rests on few logged decisions.

    What it flags:
    Effective sample size (sum of weights squared over sum of squared weights) below
    `goals.ope.min_ess_fraction` of the logged rounds.

    Why it matters:
    With few effective samples, IPS-type estimates are dominated by a handful of rows; their intervals are
    unreliable.

    Example:
    1,000,000 logged rounds and an effective sample size of 2,400.

    Use instead:
    Log with more exploration, evaluate a candidate closer to the logger, or use DR with a good reward
    model.
    """

    code = "GL012"
    name = "low-effective-sample-size"
    default_severity = Severity.WARNING


@register
class UnsupportedCandidateActions(_Verdict):
    """The candidate puts probability on actions the logging policy never took.

    What it flags:
    Actions with candidate probability mass that never appear in the log (support violations).

    Why it matters:
    No importance-weighted estimator can see the reward of an action that was never logged; estimates for
    those actions come only from the reward model's extrapolation.

    Example:
    The candidate sends offer "free-shipping" to 12% of customers; the logger never sent it.

    Use instead:
    Add the action to the logging policy with some exploration before evaluating candidates that use it.
    """

    code = "GL013"
    name = "unsupported-candidate-actions"
    default_severity = Severity.WARNING


@register
class NearZeroPropensity(_Verdict):
    """Logged propensities near zero make importance weights explode.

    What it flags:
    Logged rounds whose logging propensity is below `goals.ope.min_propensity`.

    Why it matters:
    A propensity of 0.001 gives a weight of up to 1000: one such row can swing the estimate; and propensities
    that small often mean the logger was nearly deterministic there.

    Example:
    3% of rounds logged with propensity below 0.01.

    Use instead:
    Keep a floor of exploration in the logging policy, or use clipped or doubly robust estimators.
    """

    code = "GL014"
    name = "near-zero-propensity"
    default_severity = Severity.WARNING


@register
class WeightMeanOffOne(_Verdict):
    """Importance weights do not average to one: the log does not cover the candidate, or its propensities are
    wrong.

    What it flags:
    A mean importance weight `mean(pi(a_i|x_i) / mu_i)` whose interval lies further from its expected value
    than `goals.ope.max_weight_mean_gap`. With true propensities the weights average to one, less the
    candidate's mass on never-logged actions (GL013). Below that, the candidate chooses actions that the
    logger never takes in those contexts (a deterministic logger, propensity 1, is the extreme case) or the
    logged propensities are too high; above it, the propensities are too low or the candidate's columns are
    mapped to the wrong actions.

    Why it matters:
    Every estimator then rests on rounds that cannot speak for the candidate: IPS is biased toward zero,
    SNIPS reports the value of the part of the candidate the logger happens to share, and DM and DR
    extrapolate the reward model into contexts where it never saw the action. Their intervals stay narrow
    and miss the truth.

    Example:
    The logger always sent new customers the welcome offer (propensity 1); the candidate sends half of them
    the discount. The weights average 0.75 (interval 0.74 to 0.76).

    Use instead:
    Log the propensities the logger actually used, with some exploration in every context the candidate
    acts in, or compare the candidate with an online A/B test.
    """

    code = "GL015"
    name = "weight-mean-off-one"
    default_severity = Severity.ERROR
