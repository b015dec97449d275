"""Off-policy evaluation of a candidate targeting policy from a logged-decision table.

Given logged rounds ``(x_i, a_i, mu_i, r_i)`` — context, action taken, the logging policy's probability of
that action, reward — and a candidate ``pi(a | x)``, estimate the candidate's value
``E[sum_a pi(a|x) r(x, a)]`` on the proxy reward and the goal reward, side by side, each with the lift
over the logging policy.

Estimators (``w_i = pi(a_i | x_i) / mu_i``):

* IPS: ``mean(w r)`` (Horvitz & Thompson 1952);
* SNIPS: ``sum(w r) / sum(w)`` (Swaminathan & Joachims 2015);
* DM: ``mean(sum_a pi(a|x) q(x, a))`` with a cross-fitted scikit-learn reward model ``q``;
* DR: ``mean(DM_i + w_i (r_i - q(x_i, a_i)))`` (Dudik, Langford & Li 2011), unbiased when either the
  propensities or the reward model are right;
* DR-clip: DR with weights clipped at ``max_weight`` (bias traded for variance; Su et al. 2020);
* switch-DR: the model alone for rows whose weight exceeds ``max_weight``, DR for the others (Wang, Agarwal
  & Dudik 2017); with the model term summed over every action this is ``DM_i + w_i 1[w_i <= tau] (r_i - q_i)``.

Intervals: analytic (CLT on the per-row terms; delta method for SNIPS; the reward model is treated as fixed,
which cross-fitting justifies asymptotically, Chernozhukov et al. 2018) and a Poisson bootstrap, vectorised:
rows are assigned at random to at most 10,000 blocks, block sums are taken once, and each resample draws a
Poisson(1) weight per block — for sums of i.i.d. rows this is the ordinary Poisson bootstrap at block level.
The reward model is not refitted per resample.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from brandrail.errors import DataError, PolicyError, UsageError
from brandrail.findings import Finding, Result, Severity
from brandrail.goals import codes
from brandrail.goals.data import first_line
from brandrail.goals.stats import json_float
from brandrail.policy import Policy
from brandrail.registry import Rule
from brandrail.text.normalize import describe_spellings, same_label_spellings

__all__ = [
    "ESTIMATORS",
    "Estimate",
    "PolicyValueReport",
    "RewardValue",
    "WeightDiagnostics",
    "evaluate_policy",
]

SCHEMA_VERSION = 1
_r = json_float
ESTIMATORS = ("ips", "snips", "dm", "dr", "dr-clip", "switch-dr")
FloatArray = NDArray[np.float64]
MAX_BLOCKS = 10_000
#: Confidence of the mean importance weight's interval behind GL015: high, because rare large weights that a
#: sample happens to miss make the interval too narrow, and a true support gap is far outside it anyway.
WEIGHT_MEAN_CONFIDENCE = 0.999


@dataclass(frozen=True, slots=True)
class Estimate:
    """One estimator's value of the candidate and its lift over the logging policy, with intervals."""

    estimator: str
    value: float
    ci: tuple[float, float]
    lift: float
    lift_ci: tuple[float, float]
    boot_ci: tuple[float, float] | None = None
    lift_boot_ci: tuple[float, float] | None = None

    @property
    def best_lift_ci(self) -> tuple[float, float]:
        """The bootstrap interval of the lift when computed, else the analytic one."""
        return self.lift_boot_ci or self.lift_ci

    def to_dict(self) -> dict[str, Any]:
        def pair(p: tuple[float, float] | None) -> list[float | None] | None:
            return [_r(p[0]), _r(p[1])] if p else None

        return {
            "estimator": self.estimator,
            "value": _r(self.value),
            "ci": pair(self.ci),
            "bootstrap_ci": pair(self.boot_ci),
            "lift": _r(self.lift),
            "lift_ci": pair(self.lift_ci),
            "lift_bootstrap_ci": pair(self.lift_boot_ci),
        }


@dataclass(frozen=True, slots=True)
class RewardValue:
    """The candidate's estimated value on one reward (proxy or goal)."""

    role: str
    column: str
    logging_value: float
    estimates: dict[str, Estimate]
    primary: str

    @property
    def main(self) -> Estimate:
        return self.estimates[self.primary]

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "column": self.column,
            "logging_value": _r(self.logging_value),
            "primary": self.primary,
            "estimates": {k: v.to_dict() for k, v in self.estimates.items()},
        }


@dataclass(frozen=True, slots=True)
class WeightDiagnostics:
    """Importance-weight and support diagnostics."""

    n: int
    ess: float
    ess_fraction: float
    mean_weight: float
    max_weight: float
    quantiles: dict[str, float]
    tail_share: float
    near_zero_count: int
    min_propensity: float
    near_zero_threshold: float
    unsupported_actions: tuple[str, ...]
    unsupported_mass: float
    clipped_fraction: float
    histogram: dict[str, list[float]] = field(default_factory=dict)
    #: the mean weight expected with true propensities: 1 less the candidate's mass on never-logged actions
    expected_mean_weight: float = 1.0
    #: the interval of the mean weight (CLT, at WEIGHT_MEAN_CONFIDENCE)
    mean_weight_ci: tuple[float, float] = (1.0, 1.0)
    #: rounds logged with propensity 1 (no exploration) and, when the candidate's full distribution is known,
    #: its mean probability of the other actions on them (mass no logged round can speak for)
    deterministic_rows: int = 0
    deterministic_gap: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "ess": _r(self.ess, 2),
            "ess_fraction": _r(self.ess_fraction),
            "mean_weight": _r(self.mean_weight),
            "max_weight": _r(self.max_weight),
            "quantiles": {k: _r(v) for k, v in self.quantiles.items()},
            "tail_share": _r(self.tail_share),
            "near_zero_propensity": {
                "count": self.near_zero_count,
                "threshold": self.near_zero_threshold,
                "min_propensity": _r(self.min_propensity, 8),
            },
            "unsupported_actions": list(self.unsupported_actions),
            "unsupported_mass": _r(self.unsupported_mass),
            "clipped_fraction": _r(self.clipped_fraction),
            "histogram": {k: [float(x) for x in v] for k, v in self.histogram.items()},
            "weight_mean": {
                "value": _r(self.mean_weight),
                "ci": [_r(self.mean_weight_ci[0]), _r(self.mean_weight_ci[1])],
                "expected": _r(self.expected_mean_weight),
                "deterministic_rows": self.deterministic_rows,
                "deterministic_gap": _r(self.deterministic_gap)
                if self.deterministic_gap is not None
                else None,
            },
        }


@dataclass(frozen=True)
class PolicyValueReport:
    """The outcome of :func:`evaluate_policy`: proxy and goal values side by side, diagnostics, findings."""

    goal: RewardValue
    proxy: RewardValue | None
    diagnostics: WeightDiagnostics
    findings: tuple[Finding, ...]
    policy_version: str
    actions: tuple[str, ...]
    full_distribution: bool
    bootstrap: int
    reward_model: str
    alpha: float
    source: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def result(self) -> Result:
        return Result.build(
            list(self.findings), policy_version=self.policy_version, path=self.source, families=["goals"]
        )

    @property
    def passed(self) -> bool:
        return self.result.passed

    def to_dict(self) -> dict[str, Any]:
        result = self.result
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "policy-value",
            "policy_version": self.policy_version,
            "source": self.source,
            "passed": result.passed,
            "n": self.diagnostics.n,
            "actions": list(self.actions),
            "full_distribution": self.full_distribution,
            "reward_model": self.reward_model,
            "bootstrap": self.bootstrap,
            "alpha": self.alpha,
            "goal": self.goal.to_dict(),
            "proxy": self.proxy.to_dict() if self.proxy else None,
            "diagnostics": self.diagnostics.to_dict(),
            "scores": {k: round(v, 2) for k, v in result.scores.items()},
            "counts": result.counts(),
            "findings": [f.to_dict() for f in result.findings],
        }


# -- loading ----------------------------------------------------------------------------------------------

Candidate = Any  # str | ndarray | DataFrame | Callable[[DataFrame], ndarray]


def _load_log(log: Any, columns: list[str], table: str | None) -> dict[str, NDArray[Any]]:
    """The needed columns of the log as NumPy arrays (only these columns are read)."""
    import pandas as pd

    if isinstance(log, pd.DataFrame):
        return {c: log[c].to_numpy() for c in columns}
    if isinstance(log, dict):
        return {c: np.asarray(log[c]) for c in columns}
    from brandrail.goals.data import open_table

    tbl = open_table(log, table=table)
    try:
        arrow = tbl.select(*columns).to_pyarrow()
    except Exception as exc:
        raise DataError(
            f"cannot read the log: {first_line(exc)}",
            location=str(log),
            hint="check that the file is valid CSV or Parquet and the mapped columns hold numbers",
        ) from None
    return {c: arrow.column(c).to_numpy(zero_copy_only=False) for c in columns}


def _distinct_actions(log: Any, column: str, table: str | None) -> list[str]:
    """The action labels that occur in the log (read before the candidate's columns are chosen)."""
    import pandas as pd

    if isinstance(log, pd.DataFrame):
        values = pd.unique(log[column])
    elif isinstance(log, dict):
        values = np.unique(np.asarray(log[column]))
    else:
        from brandrail.goals.data import open_table

        try:
            frame = open_table(log, table=table).select(column).distinct().to_pyarrow()
        except Exception as exc:
            raise DataError(f"cannot read the log: {first_line(exc)}", location=str(log)) from None
        values = frame.column(column).to_pylist()
    return sorted(str(v) for v in values if v is not None)


def _columns_of(log: Any, table: str | None) -> list[str]:
    import pandas as pd

    if isinstance(log, pd.DataFrame):
        return [str(c) for c in log.columns]
    if isinstance(log, dict):
        return [str(c) for c in log]
    from brandrail.goals.data import open_table

    return list(open_table(log, table=table).columns)


def _check_probs(matrix: FloatArray, what: str) -> None:
    total = float(matrix.sum())
    if math.isfinite(total) and float(matrix.min()) >= -1e-9 and float(matrix.max()) <= 1 + 1e-9:
        bad = None
    else:
        bad = ~np.isfinite(matrix) | (matrix < -1e-9) | (matrix > 1 + 1e-9)
    if bad is not None and bad.any():
        row = int(np.argwhere(bad)[0][0])
        raise DataError(
            f"probabilities must lie in [0, 1]; row {row} has "
            f"{', '.join(f'{v:.6g}' for v in matrix[row].tolist()[:10])}",
            location=what,
            hint="give the candidate's probability of each action",
        )
    sums = matrix.sum(axis=1)
    off = np.abs(sums - 1) > 1e-4
    if off.any():
        row = int(np.argmax(off))
        raise DataError(
            f"each row's action probabilities must sum to 1; row {row} sums to {sums[row]:.6g}",
            location=what,
            hint="normalise the candidate's probabilities per row (or list every action)",
        )


def _numbers(values: NDArray[Any], column: str, role: str, where: str, hint: str) -> FloatArray:
    """A column as float64, or a DataError naming the column, the first row that is not a number and its value."""
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        pass
    import pandas as pd

    raw = pd.Series(values)
    coerced = pd.to_numeric(raw, errors="coerce")
    bad = np.flatnonzero((coerced.isna() & raw.notna()).to_numpy())
    row = int(bad[0]) if bad.size else 0
    raise DataError(
        f"column {column!r} ({role}) must hold numbers; {bad.size} rows do not (first at row {row}: "
        f"{raw.iloc[row]!r})",
        location=f"{where}: column {column}",
        hint=hint,
    )


def _finite(values: FloatArray, column: str, role: str, where: str, hint: str) -> None:
    """A DataError naming the column, the count and the first row of missing or infinite values."""
    bad = ~np.isfinite(values)
    if bad.any():
        idx = np.flatnonzero(bad)
        raise DataError(
            f"column {column!r} ({role}) has {idx.size} missing or non-finite values (first at row "
            f"{int(idx[0])}: {float(values[idx[0]])})",
            location=f"{where}: column {column}",
            hint=hint,
        )


def _map_candidate_columns(columns: list[str], mapping: str | Mapping[str, str] | None) -> list[str]:
    """Candidate-table column names as action labels, by a prefix or a {column: action} mapping."""
    if mapping is None:
        return columns
    if isinstance(mapping, str):
        out = []
        for c in columns:
            if not c.startswith(mapping) or c == mapping:
                raise DataError(
                    f"candidate table column {c!r} does not start with the prefix {mapping!r}",
                    location="candidate table",
                    hint="drop the column, or give --candidate-map COLUMN=ACTION for each column",
                )
            out.append(c[len(mapping) :])
        return out
    unknown = [c for c in mapping if c not in columns]
    if unknown:
        raise DataError(
            f"--candidate-map names column(s) {', '.join(unknown)} that the candidate table does not have "
            f"(columns: {', '.join(columns[:20])})",
            location="candidate table",
        )
    return [mapping.get(c, c) for c in columns]


def _stray_message(stray: list[str], allowed: list[str], explicit: bool) -> str:
    what = "the listed actions" if explicit else "actions in the log"
    return (
        f"candidate table column(s) {', '.join(repr(c) for c in stray[:10])} are not action labels "
        f"({what}: {', '.join(allowed[:20])})"
    )


def _stray_hint(stray: list[str], allowed: list[str]) -> str:
    prefix = stray[0]
    for c in stray[1:]:
        while not c.startswith(prefix):
            prefix = prefix[:-1]
    if prefix and all(c[len(prefix) :] in allowed for c in stray):
        return f"the columns look like {prefix!r} + action: pass --candidate-prefix {prefix}"
    return (
        "name the columns after the action labels, map them with --candidate-map COLUMN=ACTION, or list "
        "never-logged actions with --action"
    )


# -- reward model ----------------------------------------------------------------------------------------


def _make_model(kind: Any, seed: int) -> Any:
    if kind == "linear":
        from sklearn.linear_model import Ridge

        return Ridge(alpha=1.0)
    if kind == "gbm":
        from sklearn.ensemble import HistGradientBoostingRegressor

        return HistGradientBoostingRegressor(max_iter=100, random_state=seed)
    if hasattr(kind, "fit") and hasattr(kind, "predict"):
        from sklearn.base import clone

        return clone(kind)
    raise UsageError(f"unknown reward model {kind!r}; use 'linear', 'gbm' or a scikit-learn regressor")


def _cross_fit(
    features: FloatArray,
    *,
    action: NDArray[np.int64],
    rewards: list[FloatArray],
    pi: FloatArray,
    kind: Any,
    folds: int,
    seed: int,
    max_train: int = 500_000,
) -> list[tuple[FloatArray, FloatArray]]:
    """Cross-fitted per-action reward models; returns, per reward, (sum_a pi q(x, a), q(x, a_i)) per row.

    Rows are split at random into ``folds`` parts; for each part, one model per action (all rewards as a
    multi-output target) is fitted on the other parts' rows that took that action (at most ``max_train``
    of them) and predicts every action's reward for the held-out part.
    """
    n, k = pi.shape
    rng = np.random.default_rng(seed + 7)
    fold_of = np.empty(n, dtype=np.int8)
    perm = rng.permutation(n)
    bounds = np.linspace(0, n, folds + 1).astype(np.int64)
    for f in range(folds):
        fold_of[perm[bounds[f] : bounds[f + 1]]] = f
    order = np.argsort(action, kind="stable")
    starts = np.searchsorted(action[order], np.arange(k + 1))
    by_action = [order[starts[a] : starts[a + 1]] for a in range(k)]
    y_all = np.column_stack(rewards)
    linear = isinstance(kind, str) and kind == "linear"
    if linear:
        return _cross_fit_linear(
            features,
            action=action,
            y_all=y_all,
            pi=pi,
            fold_of=fold_of,
            by_action=by_action,
            rng=rng,
            folds=folds,
            max_train=max_train,
        )
    out = [(np.zeros(n), np.zeros(n)) for _ in rewards]
    for f in range(folds):
        test_idx = np.flatnonzero(fold_of == f)
        x_test = features[test_idx]
        x_rows = np.ascontiguousarray(x_test.T)
        a_test = action[test_idx]
        pi_test = pi[test_idx]
        vhats = [np.zeros(test_idx.size) for _ in rewards]
        qlogs = [np.zeros(test_idx.size) for _ in rewards]
        train_all = fold_of != f
        fallback = y_all[train_all].mean(axis=0) if train_all.any() else np.zeros(len(rewards))
        for a in range(k):
            idx = by_action[a]
            train_idx = idx[fold_of[idx] != f]
            if train_idx.size > max_train:
                train_idx = rng.choice(train_idx, max_train, replace=False)
            pred: FloatArray | list[FloatArray]
            if train_idx.size == 0:
                # never logged: the overall mean reward (pure extrapolation; see the support diagnostics)
                pred = np.broadcast_to(fallback, (test_idx.size, len(rewards)))
            elif features.shape[1] == 0:
                pred = np.broadcast_to(y_all[train_idx].mean(axis=0), (test_idx.size, len(rewards)))
            else:
                model = _make_model(kind, seed)
                y = y_all[train_idx]
                if linear:
                    # predict column by column on contiguous feature rows: much faster than a (n, d) @ (d, r)
                    # matmul with tiny d and r
                    model.fit(features[train_idx], y)
                    coef = np.asarray(model.coef_).reshape(len(rewards), -1)
                    intercept = np.asarray(model.intercept_).reshape(len(rewards))
                    cols = []
                    for j in range(len(rewards)):
                        col = np.full(test_idx.size, float(intercept[j]))
                        for dim in range(x_rows.shape[0]):
                            col += coef[j, dim] * x_rows[dim]
                        cols.append(col)
                    pred = cols
                else:
                    try:
                        model.fit(features[train_idx], y if len(rewards) > 1 else y[:, 0])
                        pred = np.asarray(model.predict(x_test), dtype=np.float64).reshape(test_idx.size, -1)
                    except ValueError:  # single-output estimator: one model per reward
                        cols = []
                        for j in range(len(rewards)):
                            m = _make_model(kind, seed)
                            m.fit(features[train_idx], y[:, j])
                            cols.append(np.asarray(m.predict(x_test), dtype=np.float64))
                        pred = np.column_stack(cols)
            hit = a_test == a
            p_a = np.ascontiguousarray(pi_test[:, a])
            for j in range(len(rewards)):
                col = pred[j] if isinstance(pred, list) else np.ascontiguousarray(pred[:, j])
                vhats[j] += p_a * col
                np.copyto(qlogs[j], col, where=hit)
        for j in range(len(rewards)):
            out[j][0][test_idx] = vhats[j]
            out[j][1][test_idx] = qlogs[j]
    return out


def _cross_fit_linear(
    features: FloatArray,
    *,
    action: NDArray[np.int64],
    y_all: FloatArray,
    pi: FloatArray,
    fold_of: NDArray[np.int8],
    by_action: list[NDArray[np.int64]],
    rng: np.random.Generator,
    folds: int,
    max_train: int,
    chunk: int = 65_536,
) -> list[tuple[FloatArray, FloatArray]]:
    """The linear (Ridge) reward model, vectorised and streamed.

    With ``q(x, a) = b_a + c_a . x``, the model term ``sum_a pi(a|x) q(x, a)`` is ``[1, x] . (pi(.|x) @ [b; c])``.
    Rows are processed in cache-sized chunks: one ``(chunk, K) @ (K, folds * r * (1 + d))`` product gives every
    fold's model term, and each row keeps the one of the fold it was held out from; ``q(x_i, a_i)`` gathers the
    logged action's coefficients from a small table. No (n, K) array is copied.
    """
    from sklearn.linear_model import Ridge

    n, k = pi.shape
    r = y_all.shape[1]
    d = features.shape[1]
    p = 1 + d
    table = np.zeros((folds, k, r, p))
    for f in range(folds):
        train_all = fold_of != f
        fallback = y_all[train_all].mean(axis=0) if train_all.any() else np.zeros(r)
        for a in range(k):
            idx = by_action[a]
            train_idx = idx[fold_of[idx] != f]
            if train_idx.size > max_train:
                train_idx = train_idx[rng.random(train_idx.size) < max_train / train_idx.size]
            if train_idx.size == 0:
                table[f, a, :, 0] = (
                    fallback  # never logged: extrapolate the mean (see the support diagnostics)
                )
            elif d == 0:
                table[f, a, :, 0] = y_all[train_idx].mean(axis=0)
            else:
                model = Ridge(alpha=1.0).fit(features[train_idx], y_all[train_idx])
                table[f, a, :, 0] = np.asarray(model.intercept_).reshape(r)
                table[f, a, :, 1:] = np.asarray(model.coef_).reshape(r, d)
    mixer = table.transpose(1, 0, 2, 3).reshape(k, folds * r * p)  # (K, folds*r*p)
    out = [(np.empty(n), np.empty(n)) for _ in range(r)]
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        m = stop - start
        xt = np.empty((m, p))
        xt[:, 0] = 1.0
        if d:
            xt[:, 1:] = features[start:stop]
        fo = fold_of[start:stop].astype(np.intp)
        mix = (pi[start:stop] @ mixer).reshape(m, folds, r, p)
        rows = np.arange(m)
        own = mix[rows, fo]  # (m, r, p): the model term coefficients of each row's own fold
        logged = table[fo, action[start:stop]]  # (m, r, p)
        for j in range(r):
            out[j][0][start:stop] = np.einsum("ip,ip->i", own[:, j, :], xt)
            out[j][1][start:stop] = np.einsum("ip,ip->i", logged[:, j, :], xt)
    return out


# -- intervals --------------------------------------------------------------------------------------------


def _mean_ci(terms: FloatArray, z: float) -> tuple[float, tuple[float, float]]:
    n = terms.size
    m = float(terms.mean())
    se = float(terms.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return m, (m - z * se, m + z * se)


def _z(alpha: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(1 - alpha / 2))


# -- main -------------------------------------------------------------------------------------------------


def evaluate_policy(
    log: Any,
    candidate: Candidate,
    policy: Policy,
    *,
    actions: list[str] | None = None,
    reward_model: Any = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    table: str | None = None,
    source: str | None = None,
    candidate_columns: str | Mapping[str, str] | None = None,
) -> PolicyValueReport:
    """Estimate a candidate policy's value on the proxy and goal rewards from a logged-decision table.

    ``log`` is a pandas DataFrame, a dict of arrays, a CSV/Parquet path, a database URL (with ``table``) or
    an Ibis table, with the columns named in ``policy.goals.ope`` (action, propensity, rewards, features).

    ``candidate`` is one of:

    * a column name of the log holding the candidate's probability of the *logged* action (IPS and SNIPS
      only), or a prefix ``P`` with one column ``P<action>`` per action (all estimators);
    * an array of shape ``(n,)`` (probability of the logged action) or ``(n, K)`` (columns in the order of
      ``actions``, default: sorted logged action labels);
    * a pandas DataFrame with one column per action label (row-aligned with the log, or joined on
      ``goals.ope.id_column``);
    * a scoring function ``f(features: DataFrame) -> (n, K) array`` of action probabilities.

    ``reward_model`` is ``"linear"`` (default from the policy), ``"gbm"`` or any scikit-learn regressor.

    ``candidate_columns`` maps a DataFrame candidate's columns to action labels: a prefix (``"p"`` reads
    ``p0``, ``p1``... as actions ``0``, ``1``...) or a mapping ``{column: action}``. A candidate column
    that is neither a logged action nor in ``actions`` is an error (never a silent never-logged action).
    """
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # a scikit-learn dependency

    # The products here are tall and thin ((n, K) @ (K, 8)); multi-threaded BLAS gains nothing on them and,
    # on a busy machine, loses an order of magnitude to thread contention.
    with threadpool_limits(limits=1, user_api="blas"):
        return _evaluate(
            log,
            candidate,
            policy,
            actions=actions,
            reward_model=reward_model,
            bootstrap=bootstrap,
            seed=seed,
            table=table,
            source=source,
            candidate_columns=candidate_columns,
        )


def _evaluate(
    log: Any,
    candidate: Candidate,
    policy: Policy,
    *,
    actions: list[str] | None = None,
    reward_model: Any = None,
    bootstrap: int | None = None,
    seed: int | None = None,
    table: str | None = None,
    source: str | None = None,
    candidate_columns: str | Mapping[str, str] | None = None,
) -> PolicyValueReport:
    import time

    import pandas as pd

    started = time.perf_counter()
    timings: dict[str, float] = {}
    goals = policy.goals
    ope = goals.ope
    goal_col = ope.goal_reward or (goals.objective.source if goals.objective else None)
    if goal_col is None:
        raise PolicyError(
            "no goal reward: set goals.ope.goal_reward or goals.objective",
            location="goals.ope.goal_reward",
            hint="name the column with the true objective per logged decision (e.g. net_revenue)",
        )
    proxy_col = ope.proxy_reward or (goals.proxies[0].source if goals.proxies else None)
    where = source or (str(log) if isinstance(log, str) or hasattr(log, "__fspath__") else "log")
    columns = _columns_of(log, table)
    from brandrail.goals.data import require_columns

    wanted = {
        ope.action_column: "action taken",
        ope.propensity_column: "logging propensity",
        goal_col: "goal reward",
    }
    if proxy_col:
        wanted[proxy_col] = "proxy reward"
    for f in ope.features:
        wanted[f] = "feature"
    cand_is_column = isinstance(candidate, str)
    cand_cols: list[str] = []
    left_out: list[str] = []  # prefix columns whose rest is not an action label
    if cand_is_column:
        if candidate in columns:
            cand_cols = [candidate]
        else:
            if ope.action_column not in columns:
                require_columns(columns, {ope.action_column: "action taken"}, where=where)
            known = set(actions or _distinct_actions(log, ope.action_column, table))
            # a prefix captures only columns whose rest is an action label: `p` takes p0..p4, not pscore
            cand_cols = [
                c
                for c in columns
                if c.startswith(candidate) and c != candidate and c[len(candidate) :] in known
            ]
            left_out = [
                c for c in columns if c.startswith(candidate) and c != candidate and c not in cand_cols
            ]
            if not cand_cols:
                near = [c for c in columns if c.startswith(candidate) and c != candidate]
                raise DataError(
                    f"no column of the log holds the candidate probabilities: neither {candidate!r} nor "
                    f"{candidate!r} followed by an action label (actions: {', '.join(sorted(known)[:20])})"
                    + (f"; columns with that prefix: {', '.join(near[:10])}" if near else ""),
                    location=f"{where}: --candidate column:{candidate}",
                    hint="name the candidate's probability column, or a prefix P with one column P<action> "
                    "per action label",
                )
    if ope.id_column and isinstance(candidate, pd.DataFrame) and ope.id_column in candidate.columns:
        wanted[ope.id_column] = "row key"
    require_columns(columns, wanted, where=where)

    reserved = {
        ope.action_column,
        ope.propensity_column,
        goal_col,
        *(c for c in [proxy_col] if c),
        *cand_cols,
    }
    if ope.id_column:
        reserved.add(ope.id_column)
    features = list(ope.features)
    load_cols = list(dict.fromkeys([*wanted, *cand_cols]))
    data = _load_log(
        log, [*load_cols, *[c for c in columns if c not in load_cols]] if not features else load_cols, table
    )
    if not features:
        features = [
            c for c in columns if c not in reserved and c in data and np.issubdtype(data[c].dtype, np.number)
        ]
        data = {k: v for k, v in data.items() if k in load_cols or k in features}
    timings["load"] = time.perf_counter() - started

    n = int(data[ope.action_column].shape[0])
    if n == 0:
        raise DataError("the log has no rows", location=where, hint="export the logged decisions first")
    prop = _numbers(
        data[ope.propensity_column],
        ope.propensity_column,
        "logging propensity",
        where,
        "propensities are the logging policy's probability of the action it took, numbers in (0, 1]",
    )
    bad = ~np.isfinite(prop) | (prop <= 0) | (prop > 1)
    if bad.any():
        idx = np.flatnonzero(bad)
        raise DataError(
            f"{idx.size} propensities outside (0, 1] in column {ope.propensity_column!r} "
            f"(first at row {int(idx[0])}: {float(prop[idx[0]]):.6g})",
            location=f"{where}: column {ope.propensity_column}",
            hint="propensities are the logging policy's probability of the action it took; "
            "drop rows logged without randomisation",
        )
    rewards: dict[str, FloatArray] = {}
    for role, col in (("goal", goal_col), ("proxy", proxy_col)):
        if col is None:
            continue
        r = _numbers(
            data[col],
            col,
            f"{role} reward",
            where,
            "map the reward to numbers before the evaluation (1/0 for yes/no, true/false)",
        )
        _finite(
            r, col, f"{role} reward", where, "fill missing rewards (0 for no conversion) or drop those rows"
        )
        if not r.any():
            raise DataError(
                f"{role} reward column {col!r} is zero for every logged round",
                location=f"{where}: column {col}",
                hint="map the reward to the column that holds the outcome; "
                "nothing can be estimated from all zeros",
            )
        rewards[role] = r

    # actions
    raw_actions = np.asarray(data[ope.action_column])
    missing_action = pd.isna(pd.Series(raw_actions)).to_numpy()
    if missing_action.any():
        idx = np.flatnonzero(missing_action)
        raise DataError(
            f"column {ope.action_column!r} (action taken) has {idx.size} missing values (first at row "
            f"{int(idx[0])})",
            location=f"{where}: column {ope.action_column}",
            hint="every logged round needs the action it took; drop rounds with no action",
        )
    if raw_actions.dtype.kind not in "iub":
        raw_actions = raw_actions.astype(str)
    logged_values, a_idx = np.unique(raw_actions, return_inverse=True)
    logged_labels = np.array([str(v) for v in logged_values.tolist()])
    spelled = same_label_spellings(logged_labels.tolist())
    if spelled:
        counts = np.bincount(a_idx, minlength=len(logged_labels))
        rows_of = dict(zip(logged_labels.tolist(), counts.tolist(), strict=True))
        spellings = describe_spellings(spelled, rows_of, "rows")
        raise DataError(
            f"column {ope.action_column!r} (action taken) spells {len(spelled)} action(s) in several ways that "
            f"differ only in case, spacing, width or look-alike letters: {spellings}; each spelling would be "
            "a separate action",
            location=f"{where}: column {ope.action_column}",
            hint="give each action one spelling in the log (and the candidate's columns)",
        )
    labels = list(actions) if actions else None

    pi_logged: FloatArray | None = None
    pi: FloatArray | None = None

    if cand_is_column and len(cand_cols) == 1 and cand_cols[0] == candidate:
        pi_logged = _numbers(
            data[candidate], candidate, "candidate probability", where, "give the candidate's probabilities"
        )
    elif cand_is_column:
        suffixes = [c[len(candidate) :] for c in cand_cols]
        labels = labels or sorted(set(suffixes) | set(logged_labels.tolist()))
        pi = np.zeros((n, len(labels)))
        for c, suf in zip(cand_cols, suffixes, strict=True):
            if suf in labels:
                pi[:, labels.index(suf)] = _numbers(
                    data[c], c, "candidate probability", where, "give the candidate's probabilities"
                )
    elif isinstance(candidate, pd.DataFrame):
        frame = candidate
        if ope.id_column and ope.id_column in frame.columns:
            keys = pd.Index(frame[ope.id_column])
            pos = keys.get_indexer(pd.Index(_load_log(log, [ope.id_column], table)[ope.id_column]))
            if (pos < 0).any():
                raise DataError(
                    f"candidate table has no row for {int((pos < 0).sum())} logged rounds "
                    f"(key column {ope.id_column!r})",
                    location="candidate table",
                    hint="give the candidate's probabilities for every logged round",
                )
            frame = frame.drop(columns=[ope.id_column]).iloc[pos].reset_index(drop=True)
        if len(frame) != n:
            raise DataError(
                f"candidate table has {len(frame)} rows, the log has {n}",
                location="candidate table",
                hint="align the rows with the log, or set goals.ope.id_column to a key column in both",
            )
        cols = _map_candidate_columns([str(c) for c in frame.columns], candidate_columns)
        logged_set = set(logged_labels.tolist())
        allowed = set(labels) if labels else logged_set
        stray = [c for c in cols if c not in allowed]
        if stray:
            raise DataError(
                _stray_message(stray, sorted(allowed), labels is not None),
                location="candidate table",
                hint=_stray_hint(stray, sorted(allowed)),
            )
        labels = labels or sorted(set(cols) | logged_set)
        pi = np.zeros((n, len(labels)))
        for c, orig in zip(cols, frame.columns, strict=True):
            probs = pd.to_numeric(frame[orig], errors="coerce").to_numpy(dtype=np.float64)
            pi[:, labels.index(c)] = probs
    elif callable(candidate) and not isinstance(candidate, np.ndarray):
        feats = pd.DataFrame({c: data[c] for c in features})
        out = np.asarray(candidate(feats), dtype=np.float64)
        labels = labels or logged_labels.tolist()
        if out.ndim == 1:
            pi_logged = out
        else:
            pi = out
    else:
        arr = np.asarray(candidate, dtype=np.float64)
        labels = labels or logged_labels.tolist()
        if arr.ndim == 1:
            pi_logged = arr
        else:
            pi = arr
    labels = labels or logged_labels.tolist()
    if pi is not None and (pi.shape[0] != n or pi.shape[1] != len(labels)):
        raise DataError(
            f"candidate probabilities have shape {pi.shape}; expected ({n}, {len(labels)}) for actions "
            f"{', '.join(labels[:10])}",
            location="candidate",
            hint="give one row per logged round and one column per action",
        )
    if pi_logged is not None and pi_logged.shape != (n,):
        raise DataError(
            f"candidate probabilities have shape {pi_logged.shape}; expected ({n},)", location="candidate"
        )
    unknown = sorted(set(logged_labels.tolist()) - set(labels))
    if unknown:
        raise DataError(
            f"logged action(s) {', '.join(unknown[:10])} are not among the candidate's actions",
            location=f"{where}: column {ope.action_column}",
            hint="list every action the logger can take",
        )
    label_pos = np.array([labels.index(x) for x in logged_labels.tolist()])
    a = label_pos[a_idx]
    if pi is not None:
        try:
            _check_probs(pi, "candidate")
        except DataError as exc:
            if not left_out:
                raise
            assert isinstance(candidate, str)
            names = ", ".join(c[len(candidate) :] for c in left_out[:10])
            raise DataError(
                f"{exc.message}; the prefix {candidate!r} left out column(s) {', '.join(left_out[:10])}, "
                "whose names do not end in a logged action",
                location=exc.location,
                hint=f"if the candidate takes actions the log never took, list them: --action {names} "
                "(with every logged action) or actions=[...] in Python",
            ) from None
        pi_logged = pi[np.arange(n), a]
    assert pi_logged is not None
    if pi is None:
        bad_c = ~np.isfinite(pi_logged) | (pi_logged < 0) | (pi_logged > 1)
        if bad_c.any():
            raise DataError(
                f"candidate probability column has {int(bad_c.sum())} values outside [0, 1]",
                location="candidate",
                hint="give the candidate's probability of the logged action",
            )
    timings["candidate"] = time.perf_counter() - started - sum(timings.values())

    # weights and diagnostics
    w = pi_logged / prop
    sum_w = float(w.sum())
    if sum_w <= 0:
        raise DataError(
            "the candidate gives probability 0 to the logged action in every round: its value cannot be "
            "estimated from this log",
            location="candidate",
            hint="check that the candidate's columns map to the right action labels",
        )
    sum_w2 = float((w * w).sum())
    ess = sum_w * sum_w / sum_w2 if sum_w2 > 0 else 0.0
    logged_counts = np.bincount(a, minlength=len(labels))
    unsupported_idx = [i for i in range(len(labels)) if logged_counts[i] == 0]
    unsupported_mass = float(pi[:, unsupported_idx].sum() / n) if pi is not None and unsupported_idx else 0.0
    unsupported = tuple(labels[i] for i in unsupported_idx if pi is not None and pi[:, i].any())
    # with true propensities E[w] = sum of the candidate's probability over the actions the logger can take in
    # that context, so the mean weight is 1 less the mass on never-logged actions (known) and less the mass
    # on actions the logger never takes in that context (not known: this is how it shows)
    mean_w = sum_w / n
    se_w = float(w.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    z_w = _z(1 - WEIGHT_MEAN_CONFIDENCE)
    deterministic = prop >= 1 - 1e-12
    det_rows = int(deterministic.sum())
    det_gap = float((1 - pi_logged[deterministic]).mean()) if det_rows and pi is not None else None
    kth = [min(n - 1, round(qq * (n - 1))) for qq in (0.5, 0.9, 0.99, 0.999)]
    q = np.partition(w, kth)[kth]
    top = max(1, n // 100)
    tail_share = float(np.partition(w, n - top)[n - top :].sum() / sum_w) if sum_w > 0 else 0.0
    positive = w[w > 0]
    hist_counts, hist_edges = (
        np.histogram(np.log10(positive), bins=40) if positive.size else (np.zeros(0), np.zeros(0))
    )
    diag = WeightDiagnostics(
        n=n,
        ess=ess,
        ess_fraction=ess / n,
        mean_weight=mean_w,
        max_weight=float(w.max()),
        quantiles={"p50": float(q[0]), "p90": float(q[1]), "p99": float(q[2]), "p99.9": float(q[3])},
        tail_share=tail_share,
        near_zero_count=int((prop < ope.min_propensity).sum()),
        min_propensity=float(prop.min()),
        near_zero_threshold=ope.min_propensity,
        unsupported_actions=unsupported,
        unsupported_mass=unsupported_mass,
        clipped_fraction=float((w > ope.max_weight).mean()),
        histogram={
            "log10_weight_edges": hist_edges.tolist(),
            "counts": hist_counts.tolist(),
            "zero_weights": [float(n - positive.size)],
        },
        expected_mean_weight=1.0 - unsupported_mass,
        mean_weight_ci=(mean_w - z_w * se_w, mean_w + z_w * se_w),
        deterministic_rows=det_rows,
        deterministic_gap=det_gap,
    )
    timings["weights"] = time.perf_counter() - started - sum(timings.values())

    # reward model
    model_kind = reward_model if reward_model is not None else ope.reward_model
    model_name = model_kind if isinstance(model_kind, str) else type(model_kind).__name__
    seed_v = ope.seed if seed is None else seed
    fitted: dict[str, tuple[FloatArray, FloatArray]] = {}
    if pi is not None:
        listed = bool(ope.features)
        hint_f = "fill or drop those rows" + (
            ", or remove the column from goals.ope.features"
            if listed
            else ", or list the context columns in goals.ope.features"
        )
        columns_x: list[FloatArray] = []
        for c in features:
            feature = _numbers(
                data[c], c, "feature", where, "encode the feature as numbers (one-hot a category)"
            )
            _finite(feature, c, "feature", where, hint_f)
            columns_x.append(feature)
        x = np.column_stack(columns_x) if features else np.zeros((n, 0))
        roles = list(rewards)
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                outs = _cross_fit(
                    x,
                    action=a,
                    rewards=[rewards[r] for r in roles],
                    pi=pi,
                    kind=model_kind,
                    folds=ope.folds,
                    seed=seed_v,
                )
        except (ValueError, FloatingPointError, np.linalg.LinAlgError) as exc:
            raise DataError(
                f"the reward model ({model_name}) could not be fitted: {first_line(exc)}",
                location=f"{where}: goals.ope.features",
                hint="scale the features (values this large overflow), or choose other features",
            ) from None
        if not all(np.isfinite(v).all() and np.isfinite(q).all() for v, q in outs):
            raise DataError(
                f"the reward model ({model_name}) predicts infinite or undefined rewards",
                location=f"{where}: goals.ope.features",
                hint="scale the features (values this large overflow), or choose other features",
            )
        fitted = dict(zip(roles, outs, strict=True))
    else:
        model_name = "none (candidate gives only the logged action's probability)"
    timings["reward_model"] = time.perf_counter() - started - sum(timings.values())

    # estimates
    z = _z(goals.alpha)
    b = ope.bootstrap if bootstrap is None else bootstrap
    rng = np.random.default_rng(seed_v)
    m = min(n, MAX_BLOCKS)
    block = rng.integers(0, m, n) if m < n else np.arange(n)
    poisson = rng.poisson(1.0, size=(b, m)).astype(np.float64) if b > 0 else np.zeros((0, m))
    w_clip = np.minimum(w, ope.max_weight)
    w_switch = np.where(w <= ope.max_weight, w, 0.0)

    def block_sums(v: FloatArray) -> FloatArray:
        return np.asarray(np.bincount(block, weights=v, minlength=m), dtype=np.float64)

    counts_b = poisson @ block_sums(np.ones(n)) if b else None
    w_b = poisson @ block_sums(w) if b else None

    def percentile(v: FloatArray) -> tuple[float, float]:
        v = v[np.isfinite(v)]
        lo, hi = np.quantile(v, [goals.alpha / 2, 1 - goals.alpha / 2])
        return (float(lo), float(hi))

    values: dict[str, RewardValue] = {}
    for role, r in rewards.items():
        base = float(r.mean())
        r_b = poisson @ block_sums(r) if b else None
        ests: dict[str, Estimate] = {}
        wr = w * r
        ips_v, ips_ci = _mean_ci(wr, z)
        _, ips_lci = _mean_ci(wr - r, z)
        snips_v = float(wr.sum() / sum_w) if sum_w > 0 else float("nan")
        infl = w * (r - snips_v) / (sum_w / n) if sum_w > 0 else np.zeros(n)
        se_s = float(infl.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
        se_sl = float((infl - (r - base)).std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
        boot: dict[str, tuple[FloatArray, FloatArray]] = {}
        if b:
            assert counts_b is not None and w_b is not None and r_b is not None
            wr_b = poisson @ block_sums(wr)
            log_b = r_b / counts_b
            boot["ips"] = (wr_b / counts_b, wr_b / counts_b - log_b)
            boot["snips"] = (wr_b / w_b, wr_b / w_b - log_b)
        ests["ips"] = Estimate("ips", ips_v, ips_ci, ips_v - base, ips_lci)
        ests["snips"] = Estimate(
            "snips",
            snips_v,
            (snips_v - z * se_s, snips_v + z * se_s),
            snips_v - base,
            (snips_v - base - z * se_sl, snips_v - base + z * se_sl),
        )
        if role in fitted:
            vhat, qlog = fitted[role]
            for name, terms in (
                ("dm", vhat),
                ("dr", vhat + w * (r - qlog)),
                ("dr-clip", vhat + w_clip * (r - qlog)),
                ("switch-dr", vhat + w_switch * (r - qlog)),
            ):
                v, ci = _mean_ci(terms, z)
                _, lci = _mean_ci(terms - r, z)
                ests[name] = Estimate(name, v, ci, v - base, lci)
                if b:
                    assert counts_b is not None and r_b is not None
                    t_b = (poisson @ block_sums(terms)) / counts_b
                    boot[name] = (t_b, t_b - r_b / counts_b)
        for name, (vb, lb) in boot.items():
            e = ests[name]
            ests[name] = Estimate(
                e.estimator, e.value, e.ci, e.lift, e.lift_ci, percentile(vb), percentile(lb)
            )
        primary = ope.estimator if ope.estimator in ests else "snips"
        values[role] = RewardValue(role, goal_col if role == "goal" else str(proxy_col), base, ests, primary)
    timings["estimates"] = time.perf_counter() - started - sum(timings.values())

    findings = _findings(policy, values, diag)
    findings = [f.with_path(source) if source else f for f in findings]
    return PolicyValueReport(
        goal=values["goal"],
        proxy=values.get("proxy"),
        diagnostics=diag,
        findings=tuple(findings),
        policy_version=policy.version,
        actions=tuple(labels),
        full_distribution=pi is not None,
        bootstrap=b,
        reward_model=model_name,
        alpha=goals.alpha,
        source=source,
        timings=timings,
    )


def _sev(rule: type[Rule], policy: Policy) -> Severity:
    return policy.goals.severity or rule.severity_for(policy)


def _findings(policy: Policy, values: dict[str, RewardValue], d: WeightDiagnostics) -> list[Finding]:
    ope = policy.goals.ope
    findings: list[Finding] = []
    goal = values["goal"]
    proxy = values.get("proxy")
    if proxy is not None:
        pe = proxy.main
        ge = goal.main
        plo, phi = pe.best_lift_ci
        glo, ghi = ge.best_lift_ci
        evidence = {
            "estimator": goal.primary,
            "proxy": {
                "column": proxy.column,
                "lift": _r(pe.lift),
                "lift_ci": [_r(plo), _r(phi)],
                "logging_value": _r(proxy.logging_value),
                "candidate_value": _r(pe.value),
            },
            "goal": {
                "column": goal.column,
                "lift": _r(ge.lift),
                "lift_ci": [_r(glo), _r(ghi)],
                "logging_value": _r(goal.logging_value),
                "candidate_value": _r(ge.value),
            },
        }
        # the goal's fall must be as sure as the proxy's rise: a negative point estimate whose interval reaches
        # past zero is "too wide to tell" (GL011), as GL001 needs a significant loss in an experiment
        if plo > 0 and ghi < 0:
            findings.append(
                codes.CandidateProxyUpGoalDown.finding(
                    f"candidate raises {proxy.column} by {pe.lift:+.4g} "
                    f"(interval {plo:+.4g} to {phi:+.4g}) while "
                    f"{goal.column} significantly falls by {ge.lift:+.4g} (interval {glo:+.4g} to {ghi:+.4g}) "
                    f"[{goal.primary}]",
                    evidence={**evidence, "goal_significant": True},
                    severity=_sev(codes.CandidateProxyUpGoalDown, policy),
                )
            )
        elif plo > 0 and glo <= 0:
            findings.append(
                codes.CandidateGoalUncertain.finding(
                    f"candidate raises {proxy.column} by {pe.lift:+.4g} "
                    f"(interval {plo:+.4g} to {phi:+.4g}) but "
                    f"the {goal.column} lift {ge.lift:+.4g} has interval {glo:+.4g} to {ghi:+.4g}, "
                    f"too wide to tell [{goal.primary}]",
                    evidence=evidence,
                    severity=_sev(codes.CandidateGoalUncertain, policy),
                )
            )
    if d.ess_fraction < ope.min_ess_fraction:
        findings.append(
            codes.LowEffectiveSampleSize.finding(
                f"effective sample size {d.ess:,.0f} is {d.ess_fraction:.2%} of {d.n:,} logged rounds "
                f"(minimum {ope.min_ess_fraction:.2%}); max weight {d.max_weight:.4g}",
                evidence={
                    "ess": _r(d.ess, 2),
                    "ess_fraction": _r(d.ess_fraction),
                    "threshold": ope.min_ess_fraction,
                    "max_weight": _r(d.max_weight),
                    "n": d.n,
                },
                severity=_sev(codes.LowEffectiveSampleSize, policy),
            )
        )
    gap_low = d.expected_mean_weight - d.mean_weight_ci[1]  # how far below the expected mean, at least
    gap_high = d.mean_weight_ci[0] - d.expected_mean_weight  # how far above it, at least
    if max(gap_low, gap_high) > ope.max_weight_mean_gap:
        below = gap_low > 0
        if below:
            why = (
                f"about {d.expected_mean_weight - d.mean_weight:.0%} of the candidate's probability falls on "
                "actions the logger never takes in those contexts, or the logged propensities are too high"
            )
        else:
            why = "the logged propensities are too low, or the candidate's columns are mapped to the wrong actions"
        det = ""
        if d.deterministic_rows:
            det = f"; {d.deterministic_rows:,} rounds were logged with propensity 1 (no exploration)"
            if d.deterministic_gap:
                det += f", where the candidate puts {d.deterministic_gap:.0%} on other actions"
        findings.append(
            codes.WeightMeanOffOne.finding(
                f"importance weights average {d.mean_weight:.4g} (interval {d.mean_weight_ci[0]:.4g} to "
                f"{d.mean_weight_ci[1]:.4g}) where {d.expected_mean_weight:.4g} is expected with true "
                f"propensities: {why}{det}; every estimate is biased and its interval can miss the truth",
                evidence={
                    "mean_weight": _r(d.mean_weight),
                    "ci": [_r(d.mean_weight_ci[0]), _r(d.mean_weight_ci[1])],
                    "expected": _r(d.expected_mean_weight),
                    "threshold": ope.max_weight_mean_gap,
                    "direction": "below" if below else "above",
                    "deterministic_rows": d.deterministic_rows,
                    "deterministic_gap": _r(d.deterministic_gap) if d.deterministic_gap is not None else None,
                    "n": d.n,
                },
                severity=_sev(codes.WeightMeanOffOne, policy),
            )
        )
    if d.unsupported_actions:
        findings.append(
            codes.UnsupportedCandidateActions.finding(
                f"candidate puts {d.unsupported_mass:.2%} of its probability on action(s) never logged: "
                f"{', '.join(d.unsupported_actions)}",
                evidence={"actions": list(d.unsupported_actions), "mass": _r(d.unsupported_mass)},
                severity=_sev(codes.UnsupportedCandidateActions, policy),
            )
        )
    if d.near_zero_count:
        findings.append(
            codes.NearZeroPropensity.finding(
                f"{d.near_zero_count:,} logged rounds ({d.near_zero_count / d.n:.2%}) have propensity below "
                f"{d.near_zero_threshold:g} (minimum {d.min_propensity:.3g})",
                evidence={
                    "count": d.near_zero_count,
                    "fraction": _r(d.near_zero_count / d.n),
                    "threshold": d.near_zero_threshold,
                    "min_propensity": _r(d.min_propensity, 8),
                },
                severity=_sev(codes.NearZeroPropensity, policy),
            )
        )
    return findings
