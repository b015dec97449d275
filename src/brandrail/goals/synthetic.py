"""Seeded synthetic data with known truth: campaigns with injected effects, bandits with closed-form values.

Used by the tests (to compare estimates with the truth), the benchmarks and the demo.

Bandit environment: contexts ``x1, x2 ~ N(0, 1)`` independent, segment ``s = sign(x1)`` in {-1, +1}. A
policy is a pair of action distributions, one per segment (shape ``(2, K)``: row 0 for ``s = -1``, row 1
for ``s = +1``). The goal reward of action ``a`` is ``b[a] + g[a] * s + h[a] * x1 + noise`` and the proxy
reward is Bernoulli with probability ``p[s, a]``. Because ``E[x1 | s] = s * sqrt(2 / pi)``, every policy's
value is known in closed form::

    V_goal(pi)  = sum_s 1/2 sum_a pi[s, a] (b[a] + g[a] s + h[a] s sqrt(2/pi))
    V_proxy(pi) = sum_s 1/2 sum_a pi[s, a] p[s, a]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["BanditEnv", "VariantTruth", "campaign", "demo_env"]

FloatArray = NDArray[np.float64]

_EX1 = math.sqrt(2 / math.pi)


@dataclass(frozen=True)
class BanditEnv:
    """A contextual bandit whose policy values are known in closed form (see the module docstring)."""

    b: FloatArray
    g: FloatArray
    h: FloatArray
    p: FloatArray  # (2, K) click probabilities per segment
    noise: float = 1.0
    actions: tuple[str, ...] = ()

    @property
    def n_actions(self) -> int:
        return int(self.b.shape[0])

    @property
    def labels(self) -> tuple[str, ...]:
        return self.actions or tuple(f"a{i}" for i in range(self.n_actions))

    def goal_value(self, pi: FloatArray) -> float:
        s = np.array([-1.0, 1.0])
        q = self.b[None, :] + self.g[None, :] * s[:, None] + self.h[None, :] * s[:, None] * _EX1
        return float(0.5 * (pi * q).sum())

    def proxy_value(self, pi: FloatArray) -> float:
        return float(0.5 * (pi * self.p).sum())

    def goal_mean(self, x1: FloatArray, seg: NDArray[np.int64]) -> FloatArray:
        """E[goal reward | x, a] for every row and action, shape (n, K)."""
        s = (2 * seg - 1).astype(float)
        out: FloatArray = self.b[None, :] + self.g[None, :] * s[:, None] + self.h[None, :] * x1[:, None]
        return out

    def sample(
        self, n: int, logging: FloatArray, seed: int = 0, *, dtype: Any = np.float64
    ) -> dict[str, Any]:
        """``n`` logged rounds under the logging policy: features, action index, propensity, rewards."""
        rng = np.random.default_rng(seed)
        x1 = rng.standard_normal(n)
        x2 = rng.standard_normal(n)
        seg = (x1 > 0).astype(np.int64)
        cdf = np.cumsum(logging, axis=1)
        cdf[:, -1] = 1.0
        u = rng.random(n)
        action = np.empty(n, dtype=np.int64)
        for s in (0, 1):
            rows = seg == s
            action[rows] = np.searchsorted(cdf[s], u[rows], side="right")
        action = np.minimum(action, self.n_actions - 1)
        propensity = logging[seg, action]
        goal = self.b[action] + self.g[action] * (2 * seg - 1) + self.h[action] * x1
        goal = goal + self.noise * rng.standard_normal(n)
        proxy = (rng.random(n) < self.p[seg, action]).astype(np.float64)
        return {
            "x1": x1.astype(dtype),
            "x2": x2.astype(dtype),
            "segment": seg.astype(dtype),
            "action": action,
            "propensity": propensity,
            "proxy": proxy.astype(dtype),
            "goal": goal.astype(dtype),
        }

    @staticmethod
    def rows(pi: FloatArray, segment: NDArray[Any]) -> FloatArray:
        """Per-row action probabilities (n, K) of a per-segment policy."""
        return np.asarray(pi[np.asarray(segment).astype(np.int64)], dtype=np.float64)


def random_env(n_actions: int, seed: int = 0, noise: float = 1.0) -> BanditEnv:
    rng = np.random.default_rng(seed)
    return BanditEnv(
        b=rng.uniform(0, 2, n_actions),
        g=rng.uniform(-1, 1, n_actions),
        h=rng.uniform(-1, 1, n_actions),
        p=rng.uniform(0.02, 0.3, (2, n_actions)),
        noise=noise,
    )


def demo_env() -> tuple[BanditEnv, FloatArray, FloatArray]:
    """Fernhill Outdoor's offer targeting: an environment, the logging policy and a click-optimised candidate.

    Net revenue per decision (goal) and click (proxy). "flash-clearance" and "mystery-box" draw clicks from
    people who rarely buy (and return what they buy); the candidate targets them heavily.
    """
    actions = (
        "tent-guide",
        "boot-fitting",
        "trail-newsletter",
        "loyalty-points",
        "free-shipping",
        "bundle-offer",
        "flash-clearance",
        "mystery-box",
        "gift-card",
        "no-offer",
    )
    b = np.array([3.0, 2.6, 1.4, 2.2, 2.4, 2.8, 0.2, -0.6, 1.8, 1.0])
    g = np.array([0.4, 0.2, 0.1, 0.5, -0.2, 0.3, 0.0, -0.2, 0.1, 0.0])
    h = np.array([0.5, 0.3, 0.1, 0.4, 0.2, 0.4, 0.1, 0.0, 0.2, 0.0])
    p = np.array(
        [
            [0.05, 0.04, 0.03, 0.05, 0.08, 0.06, 0.22, 0.25, 0.05, 0.01],
            [0.06, 0.05, 0.03, 0.06, 0.09, 0.07, 0.20, 0.24, 0.06, 0.01],
        ]
    )
    env = BanditEnv(b, g, h, p, noise=4.0, actions=actions)
    logging = np.full((2, 10), 0.1)
    candidate = np.array(
        [
            [0.05, 0.03, 0.02, 0.05, 0.05, 0.05, 0.35, 0.35, 0.03, 0.02],
            [0.06, 0.03, 0.02, 0.05, 0.06, 0.06, 0.32, 0.32, 0.06, 0.02],
        ]
    )
    return env, logging, candidate


@dataclass(frozen=True)
class VariantTruth:
    """True rates of one campaign variant (per segment multipliers on conversion)."""

    open_rate: float
    click_rate: float
    conversion: float
    order_value: float
    unsubscribe: float
    complaint: float = 0.0005
    segment_conversion: tuple[float, float] = (1.0, 1.0)  # multipliers for (new, returning)

    def revenue_mean(self, segment_share_new: float = 0.5) -> float:
        """E[net revenue per recipient] (latent customer value has mean 1)."""
        m = (
            segment_share_new * self.segment_conversion[0]
            + (1 - segment_share_new) * self.segment_conversion[1]
        )
        return self.conversion * m * self.order_value


def campaign(
    variants: dict[str, VariantTruth], n_per_variant: int, seed: int = 0, share_new: float = 0.5
) -> Any:
    """A per-recipient campaign table (pandas): variant, customer_type, opened, clicked, unsubscribed,
    complained, net_revenue and pre_revenue (pre-period revenue, correlated with net revenue)."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    frames = []
    for name, t in variants.items():
        n = n_per_variant
        new = rng.random(n) < share_new
        value = rng.gamma(2.0, 0.5, n)  # latent customer value, mean 1
        conv_p = t.conversion * np.where(new, t.segment_conversion[0], t.segment_conversion[1])
        converted = rng.random(n) < np.clip(conv_p, 0, 1)
        revenue = converted * t.order_value * value
        pre = value * 20 + rng.normal(0, 5, n)
        frames.append(
            pd.DataFrame(
                {
                    "variant": name,
                    "customer_type": np.where(new, "new", "returning"),
                    "opened": (rng.random(n) < t.open_rate).astype(np.int8),
                    "clicked": (rng.random(n) < t.click_rate).astype(np.int8),
                    "unsubscribed": (rng.random(n) < t.unsubscribe).astype(np.int8),
                    "complained": (rng.random(n) < t.complaint).astype(np.int8),
                    "net_revenue": revenue,
                    "pre_revenue": pre,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
