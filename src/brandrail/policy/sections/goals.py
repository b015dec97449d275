"""``goals:`` section of the policy: the true objective, the proxies an AI optimises, guardrails.

Example::

    goals:
      objective: {name: net_revenue, kind: mean, pre_column: pre_revenue}
      proxies:
        - {name: opened, kind: proportion}
        - {name: clicked, kind: proportion}
      guardrails:
        - {name: unsubscribed, kind: proportion, higher_is_better: false, margin: 0.002}
        - {name: complained, kind: proportion, higher_is_better: false, margin: 0.001}
      experiment: {variant_column: variant, control: control, segments: [customer_type]}
      ope: {action_column: action, propensity_column: propensity, proxy_reward: clicked}
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from brandrail.policy.sections.base import NonEmptyStr, Section, SeverityField, StrList, default_of, new_list

__all__ = ["ExperimentSettings", "GoalMetric", "GoalsSection", "OpeSettings"]


class GoalMetric(Section):
    """One metric: the column it is computed from, how, and which direction is good."""

    name: NonEmptyStr
    column: str | None = Field(
        default=None, description="Column holding the per-unit outcome; defaults to `name`."
    )
    kind: Literal["mean", "proportion"] = Field(
        default="mean",
        description="`proportion` for 0/1 outcomes (Newcombe interval), `mean` otherwise (Welch).",
    )
    higher_is_better: bool = True
    margin: float = Field(
        default=0.0,
        ge=0,
        description="Non-inferiority margin (guardrails): the largest harm that is still acceptable.",
    )
    relative_margin: bool = Field(
        default=False,
        description="Read `margin` as a fraction of the control mean instead of an absolute value.",
    )
    pre_column: str | None = Field(
        default=None, description="Pre-period covariate column for CUPED variance reduction."
    )

    @property
    def source(self) -> str:
        """The data column of this metric."""
        return self.column or self.name


class ExperimentSettings(Section):
    """How per-unit or per-variant experiment data is laid out."""

    variant_column: NonEmptyStr = "variant"
    control: NonEmptyStr = "control"
    variants: StrList = Field(
        default_factory=new_list, description="Variants that must be present (an empty one is a data error)."
    )
    segments: StrList = Field(default_factory=new_list, description="Columns to break verdicts down by.")
    count_column: NonEmptyStr = Field(
        default="n", description="Units per row in per-variant aggregate input."
    )
    table: str | None = Field(default=None, description="Table name when DATA is a database URL.")


class OpeSettings(Section):
    """Off-policy evaluation of a candidate policy from a logged-decision table."""

    action_column: NonEmptyStr = "action"
    propensity_column: NonEmptyStr = "propensity"
    proxy_reward: str | None = Field(
        default=None, description="Proxy reward column; defaults to the first proxy."
    )
    goal_reward: str | None = Field(
        default=None, description="Goal reward column; defaults to the objective."
    )
    features: StrList = Field(
        default_factory=new_list,
        description="Context columns for the reward model; default: every other numeric column.",
    )
    id_column: str | None = Field(default=None, description="Key joining a candidate table to the log.")
    estimator: Literal["ips", "snips", "dm", "dr", "dr-clip", "switch-dr"] = Field(
        default="dr", description="Estimator whose interval drives the GL findings."
    )
    max_weight: float = Field(
        default=100.0, gt=0, description="Weight threshold of `dr-clip` and `switch-dr`."
    )
    min_propensity: float = Field(
        default=0.01, gt=0, le=1, description="Propensities below this are flagged."
    )
    min_ess_fraction: float = Field(
        default=0.01, gt=0, le=1, description="Flag when effective sample size / n falls below this."
    )
    max_weight_mean_gap: float = Field(
        default=0.05,
        gt=0,
        lt=1,
        description="Flag (GL015) when the mean importance weight is surely further than this from its "
        "expected value (1, less the candidate's mass on never-logged actions).",
    )
    bootstrap: int = Field(default=500, ge=0, description="Bootstrap resamples (0 turns the bootstrap off).")
    folds: int = Field(default=2, ge=2, le=20, description="Cross-fitting folds of the reward model.")
    reward_model: Literal["linear", "gbm"] = "linear"
    seed: int = 0


class GoalsSection(Section):
    """The true objective, the proxies an AI optimises, guardrails and how verdicts are reached."""

    objective: GoalMetric | None = Field(
        default=None, description="The true objective (net revenue, retention...)."
    )
    proxies: list[GoalMetric] = Field(
        default_factory=new_list, description="Metrics the AI is tuned on (opens, clicks)."
    )
    guardrails: list[GoalMetric] = Field(
        default_factory=new_list, description="Metrics that must not get worse by more than their margin."
    )
    alpha: float = Field(default=0.05, gt=0, lt=0.5, description="Two-sided significance level.")
    correction: Literal["bonferroni", "none"] = Field(
        default="bonferroni", description="Multiple-testing correction across treatment variants."
    )
    min_rank_correlation: float = Field(
        default=0.3,
        ge=-1,
        le=1,
        description="Flag (GL004) when proxy-vs-goal lift rank correlation is below this.",
    )
    min_units: int = Field(
        default=1, ge=1, description="Variants or segments with fewer units are reported as empty."
    )
    severity: SeverityField | None = Field(
        default=None, description="Override the severity of every GL finding."
    )
    experiment: ExperimentSettings = Field(default_factory=default_of(ExperimentSettings))
    ope: OpeSettings = Field(default_factory=default_of(OpeSettings))

    @model_validator(mode="after")
    def _unique_names(self) -> GoalsSection:
        names = [m.name for m in self.metrics()]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(
                f"metric name(s) used twice: {', '.join(dupes)}; give each metric a unique `name`"
            )
        return self

    def metrics(self) -> list[GoalMetric]:
        """Objective, proxies and guardrails, in that order."""
        return ([self.objective] if self.objective else []) + list(self.proxies) + list(self.guardrails)
