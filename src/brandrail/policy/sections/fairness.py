"""``fairness:`` section of the policy: how a decision log is mapped and which thresholds make a verdict.

Example::

    fairness:
      decision: shown              # binary: 1 = shown / offered / selected
      favourable: true             # false for adverse decisions (surcharge, exclusion, risk flag, decline)
      label: converted             # optional outcome label (enables TPR/FPR/precision)
      outcomes: [price]            # optional continuous outcomes (price paid, discount, offer value)
      better_outcome: {discount: higher}   # per outcome; default lower (a cost such as a price)
      protected: [sex, age_band, ethnicity]
      controls: [region]           # legitimate features: conditional parity within their strata
      features: [zip3, device]     # targeting features checked as proxies of protected attributes
      ad: ad_id                    # enables delivery skew
      eligible: eligible           # eligible-audience flag (defaults to every row of an ad)
      reference: largest           # or {sex: male}; most-favoured is an opt-in
      min_cell: 30
      nulls: group                 # or exclude
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from brandrail.policy.sections.base import NonEmptyStr, Section, StrList, new_dict, new_list

__all__ = ["FairnessSection"]


class FairnessSection(Section):
    """Column mapping and thresholds of the fairness audit (``brandrail audit fairness``)."""

    # -- column mapping ---------------------------------------------------------------------------------
    decision: NonEmptyStr = Field(default="decision", description="Binary decision column (0/1 or boolean).")
    favourable: bool = Field(
        default=True,
        description="Whether being selected (decision = 1) benefits the person (an offer shown). Set false "
        "for adverse decisions (a surcharge, exclusion, a fraud or risk flag, a credit decline): the "
        "disadvantaged group is then the one selected more, the four-fifths rule compares the rates of "
        "*not* being selected, and equal opportunity compares false-positive rates.",
    )
    label: str | None = Field(
        default=None, description="Optional binary outcome label (converted, qualified)."
    )
    outcomes: StrList = Field(
        default_factory=new_list,
        description="Continuous outcome columns (price paid, discount, offer value).",
    )
    better_outcome: dict[str, Literal["higher", "lower"]] = Field(
        default_factory=new_dict,
        description="Per outcome column, which direction benefits the person: `lower` (default; a cost "
        "such as a price paid) or `higher` (a discount, an offer value).",
    )
    protected: StrList = Field(default_factory=new_list, description="Protected-attribute columns.")
    controls: StrList = Field(
        default_factory=new_list,
        description="Legitimate control features: parity is also measured within strata.",
    )
    features: StrList = Field(
        default_factory=new_list, description="Targeting features checked as proxies of protected attributes."
    )
    ad: str | None = Field(default=None, description="Ad or campaign id column; enables delivery skew.")
    eligible: str | None = Field(
        default=None, description="Eligible-audience flag (0/1); without it every row of an ad is eligible."
    )

    # -- groups -------------------------------------------------------------------------------------------
    reference: str | dict[str, str] = Field(
        default="largest",
        description="Reference group: `largest` (the group with the most rows; `majority` is a synonym), "
        "a mapping attribute -> group value (intersections use the key 'a & b' and the value 'x & y'; "
        "attributes not named fall back to the largest group), or `most-favoured` (the group with the "
        "best rate; unstable with many small groups, so not the default).",
    )
    intersections: list[list[NonEmptyStr]] | None = Field(
        default=None,
        description="Attribute combinations to cross; default: all protected attributes together (when 2+).",
    )
    min_cell: int = Field(
        default=30, ge=0, description="Groups smaller than this are reported as suppressed."
    )
    nulls: Literal["group", "exclude"] = Field(
        default="group", description="Missing protected values: their own group `(missing)`, or excluded."
    )
    max_categories: int = Field(
        default=1000, ge=2, description="Most distinct values a mapped categorical column may have."
    )

    # -- thresholds ---------------------------------------------------------------------------------------
    four_fifths: float = Field(default=0.8, gt=0, le=1, description="Disparate-impact ratio threshold.")
    max_dp_difference: float = Field(
        default=0.1, ge=0, le=1, description="Largest demographic-parity difference."
    )
    max_eo_difference: float = Field(
        default=0.1, ge=0, le=1, description="Largest equal-opportunity / equalized-odds difference."
    )
    outcome_tolerance: float = Field(
        default=0.05, ge=0, description="Largest relative gap of a group's mean outcome to the reference."
    )
    skew_tolerance: float = Field(
        default=0.1, ge=0, le=1, description="Largest total variation distance shown-vs-eligible per ad."
    )
    min_ad_shown: int = Field(
        default=100, ge=1, description="Ads shown fewer times than this are not measured for delivery skew."
    )
    min_share_within: float = Field(
        default=0.9, ge=0, le=1, description="Smallest share of ads whose delivery skew is within tolerance."
    )
    proxy_metric: Literal["cramers_v", "nmi"] = "cramers_v"
    proxy_threshold: float = Field(default=0.3, ge=0, le=1, description="Association that flags a proxy.")
    alpha: float = Field(default=0.05, gt=0, lt=1, description="False-discovery rate (Benjamini-Hochberg).")
    confidence: float = Field(default=0.95, gt=0, lt=1, description="Confidence level of every interval.")
    require_significance: bool = Field(
        default=True,
        description="Verdicts rest on the interval: the BH-adjusted test is significant and the whole "
        "interval, widened to the false-coverage-rate level of the selected tests (Benjamini-Yekutieli "
        "2005), lies beyond the threshold. False: the point estimate alone decides (not recommended).",
    )
    bootstrap: int = Field(
        default=400, ge=0, le=100_000, description="Poisson-bootstrap replicates (medians)."
    )
    outcome_resolution: float = Field(
        default=0.01, gt=0, description="Outcome values are binned to this step for medians and histograms."
    )
    seed: int = 0

    @field_validator("reference")
    @classmethod
    def _reference(cls, value: str | dict[str, str]) -> str | dict[str, str]:
        if isinstance(value, str) and value not in ("largest", "majority", "most-favoured"):
            raise ValueError(
                "use `largest` (or its synonym `majority`), `most-favoured`, or a mapping "
                "attribute -> group value"
            )
        return value

    @model_validator(mode="after")
    def _columns(self) -> FairnessSection:
        for combo in self.intersections or []:
            unknown = [a for a in combo if a not in self.protected]
            if unknown:
                raise ValueError(f"intersections name {unknown} which are not in `protected`")
            if len(combo) < 2:
                raise ValueError("each intersection needs at least two attributes")
        stray = sorted(set(self.better_outcome) - set(self.outcomes))
        if stray:
            raise ValueError(f"better_outcome names {stray} which are not in `outcomes`")
        overlap = set(self.protected) & set(self.controls)
        if overlap:
            raise ValueError(f"{sorted(overlap)} cannot be both protected and control")
        return self
