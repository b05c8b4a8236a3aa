"""Known cases for the rank-normalised R-hat and bulk/tail ESS."""

import numpy as np
import pytest

from congresslab.transfers.diagnostics import ess, ess_bulk, ess_tail, rhat, split_chains


def _ar1(rho: float, chains: int, n: int, seed: int, dims: tuple[int, ...] = ()) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.normal(size=(chains, n, *dims)) * np.sqrt(1 - rho**2)
    x = np.empty_like(e)
    x[:, 0] = rng.normal(size=(chains, *dims))
    for t in range(1, n):
        x[:, t] = rho * x[:, t - 1] + e[:, t]
    return x


def test_iid_normal_rhat_one_ess_n():
    x = np.random.default_rng(0).normal(size=(4, 2000, 3))
    assert np.all(np.abs(rhat(x) - 1) < 0.01)
    eb = ess_bulk(x)
    et = ess_tail(x)
    assert eb.shape == et.shape == (3,)
    assert np.all((eb > 0.85 * 8000) & (eb < 1.15 * 8000))
    assert np.all((et > 0.7 * 8000) & (et < 1.3 * 8000))


def test_different_means_rhat_large():
    x = np.random.default_rng(1).normal(size=(4, 1000)) + np.array([0, 0, 0, 3.0])[:, None]
    assert rhat(x) > 1.2
    assert ess_bulk(x) < 100


def test_different_scales_caught_by_folded_rhat():
    x = np.random.default_rng(2).normal(size=(4, 1000)) * np.array([1, 1, 1, 4.0])[:, None]
    assert rhat(x) > 1.1


@pytest.mark.parametrize("rho", [0.5, 0.9])
def test_ar1_ess(rho):
    x = _ar1(rho, 4, 5000, seed=3, dims=(2,))
    expected = 4 * 5000 * (1 - rho) / (1 + rho)
    for e in (ess(x), ess_bulk(x)):
        assert np.all(np.abs(e / expected - 1) < 0.2), (e, expected)


def test_constant_and_shapes():
    x = np.ones((2, 50, 2, 3))
    assert np.all(rhat(x) == 1.0)
    assert rhat(x).shape == (2, 3)
    assert split_chains(np.zeros((3, 11))).shape == (6, 5)
    with pytest.raises(ValueError, match="chains, draws"):
        rhat(np.zeros(10))
    with pytest.raises(ValueError, match="at least 4 draws"):
        ess_bulk(np.zeros((2, 3)))


def test_rank_normalisation_uses_average_ranks_for_ties():
    """The fast sort-based ranks equal scipy's average ranks, with and without ties."""
    from scipy.special import ndtri
    from scipy.stats import rankdata

    from congresslab.transfers.diagnostics import _z_scale

    rng = np.random.default_rng(4)
    x = np.stack([rng.normal(size=(4, 300)), rng.integers(0, 5, (4, 300)).astype(float)], -1)
    flat = x.reshape(-1, 2)
    expected = ndtri((rankdata(flat, axis=0) - 0.375) / (flat.shape[0] + 0.25))
    assert np.allclose(_z_scale(x).reshape(-1, 2), expected)
