"""BR502's final fit is shrunk towards weights learned across brands (``_FINAL_PRIOR``), not towards 0."""

from __future__ import annotations

import numpy as np
import pytest

from brandrail.voice import model as vm


def _data(seed: int, signal: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.array([1] * 12 + [0] * 12)
    x = rng.normal(size=(24, 5))
    x[:, 0] += signal * (2 * y - 1)  # only the first feature separates the classes
    return x, y


def test_prior_has_one_non_negative_weight_per_feature() -> None:
    assert len(vm._FINAL_PRIOR) == len(vm.FEATURE_NAMES)
    assert all(w >= 0 for w in vm._FINAL_PRIOR)
    assert vm._FINAL_PRIOR_L2 > 0


def test_uninformative_examples_keep_the_prior_weights() -> None:
    # features that say nothing about the labels: towards 0 the weights vanish, towards the prior they stay
    x, y = _data(1, 0.0)
    prior = [0.5, 0.8, 0.2, 0.2, 0.3]
    to_zero = vm._Linear.fit(x, y, 1e4)
    to_prior = vm._Linear.fit(x, y, 1e4, prior=prior)
    assert np.abs(to_zero.weights).max() < 0.01
    assert to_prior.weights == pytest.approx(prior, abs=0.01)


def test_strong_evidence_moves_the_weights_away_from_the_prior() -> None:
    x, y = _data(2, 2.0)
    prior = [0.1, 0.8, 0.2, 0.2, 0.3]
    fitted = vm._Linear.fit(x, y, vm._FINAL_PRIOR_L2, prior=prior)
    assert fitted.weights[0] > prior[0] + 0.2  # the separating feature gains
    moved = np.abs(fitted.weights - np.asarray(prior))
    assert int(np.argmax(moved)) == 0  # and moves the most


def test_a_feature_the_examples_contradict_still_drops_out() -> None:
    x, y = _data(3, 0.0)
    x[:, 2] -= 3.0 * (2 * y - 1)  # feature 2 points the wrong way for this brand
    fitted = vm._Linear.fit(x, y, 3.0, non_negative=True, prior=[0.5, 0.8, 0.2, 0.2, 0.3])
    assert fitted.weights[2] == 0.0
    assert (fitted.weights >= 0).all()


def test_target_needs_one_value_per_column() -> None:
    x, y = _data(4, 1.0)
    with pytest.raises(ValueError, match="one value per column"):
        vm._fit_logistic(x, y, l2=1.0, target=np.zeros(3))
