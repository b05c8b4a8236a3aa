"""Tests of the multinomial-Dirichlet R x C sampler (small problems, fast)."""

import warnings

import numpy as np
import pytest

from congresslab.transfers._md import densities, driver
from congresslab.transfers._md.driver import MDFit, fit_md, validate_counts
from congresslab.transfers.diagnostics import ConvergenceWarning


def _simulate(U=40, seed=0):
    """Known-truth R=2 x C=3 problem drawn from the model itself."""
    rng = np.random.default_rng(seed)
    alpha = np.array([[6.0, 2.0, 1.0], [1.0, 3.0, 5.0]])
    N = rng.integers(150, 400, size=U)
    share = rng.beta(2, 2, size=U)
    X = np.stack([np.round(N * share), N - np.round(N * share)], 1).astype(int)
    cells = np.zeros((U, 2, 3), dtype=int)
    for i in range(U):
        for r in range(2):
            cells[i, r] = rng.multinomial(X[i, r], rng.dirichlet(alpha[r]))
    T = cells.sum(1)
    truth = cells.sum(0) / cells.sum((0, 2))[:, None]
    return X, T, truth


@pytest.fixture(scope="module")
def sim_fit():
    X, T, truth = _simulate()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = fit_md(
            X, T, chains=2, draws=300, warmup=300, seed=3, progress=False, max_extensions=0
        )
    return X, T, truth, fit


def test_recovery_and_shapes(sim_fit):
    X, T, truth, fit = sim_fit
    assert isinstance(fit, MDFit)
    assert fit.agg_draws.shape == (2, 300, 2, 3)
    for a in (fit.unit_mean, fit.unit_lo, fit.unit_hi):
        assert a.shape == (X.shape[0], 2, 3)
    assert fit.rhat.shape == fit.ess_bulk.shape == fit.ess_tail.shape == (2, 3)
    assert fit.alpha_mean.shape == (2, 3)
    mean = fit.agg_draws.mean((0, 1))
    sd = fit.agg_draws.std((0, 1))
    # posterior mean within 4 posterior sd (+ 1 pp slack for short chains) of the truth
    assert np.all(np.abs(mean - truth) <= 4 * sd + 0.01), (mean, truth, sd)
    assert np.all(fit.unit_lo <= fit.unit_mean + 1e-9)
    assert np.all(fit.unit_mean <= fit.unit_hi + 1e-9)
    assert fit.seconds > 0 and fit.settings["draws"] == 300


def test_draw_rows_sum_to_one(sim_fit):
    fit = sim_fit[3]
    assert np.allclose(fit.agg_draws.sum(-1), 1.0, atol=1e-12)
    assert np.all(fit.agg_draws >= 0)
    assert np.allclose(fit.unit_mean.sum(-1), 1.0, atol=1e-9)


def test_seed_reproducible():
    X, T, _ = _simulate(U=12, seed=5)
    kw = dict(chains=2, draws=30, warmup=30, progress=False, check=False)
    a = fit_md(X, T, seed=11, **kw)
    b = fit_md(X, T, seed=11, **kw)
    c = fit_md(X, T, seed=12, **kw)
    for name in ("agg_draws", "unit_mean", "unit_lo", "unit_hi", "alpha_mean"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert not np.array_equal(a.agg_draws, c.agg_draws)


def test_convergence_warning_with_absurdly_few_draws():
    X, T, _ = _simulate(U=12, seed=6)
    with pytest.warns(ConvergenceWarning, match="R-hat"):
        fit = fit_md(X, T, chains=2, draws=8, warmup=2, progress=False)
    assert fit.converged is False


@pytest.mark.parametrize(
    ("X", "T", "match"),
    [
        ([[1, 2], [3, 4]], [[3, 0]], "shape mismatch"),
        ([[1, -2]], [[1, -2]], "negative"),
        ([[1, np.nan]], [[1, 1]], "NaN"),
        ([[0, 0], [1, 1]], [[0, 0], [2, 0]], "unit 0 has zero total"),
        ([[1, 2], [3, 4]], [[3, 0], [3, 3]], "unit 1: origin total 7 != destination total 6"),
        ([1, 2], [[3, 0]], "2-D"),
        ([[1.5, 2]], [[2, 1.5]], "non-integer"),
    ],
)
def test_bad_input(X, T, match):
    with pytest.raises(ValueError, match=match):
        validate_counts(X, T)
    with pytest.raises(ValueError, match=match):
        fit_md(X, T, progress=False)


def test_bad_settings():
    X, T, _ = _simulate(U=5)
    with pytest.raises(ValueError, match="draws"):
        fit_md(X, T, draws=0, progress=False)
    with pytest.raises(ValueError, match="lambda"):
        fit_md(X, T, lambda1=-1, progress=False)


def test_extensions_append_draws_and_can_be_disabled():
    X, T, _ = _simulate(U=10, seed=7)
    kw = dict(chains=2, draws=10, warmup=5, seed=2, progress=False)
    with pytest.warns(ConvergenceWarning):
        ext = fit_md(X, T, max_extensions=2, **kw)
    n = ext.settings["draws"]
    assert ext.settings["extensions"] == 2 and ext.settings["draws_requested"] == 10
    # each extension adds a quarter to a half of the stored draws: 10 -> 13..15 -> 17..23
    assert 17 <= n <= 23
    assert ext.agg_draws.shape == (2, n, 2, 3)
    assert ext.settings["iterations"] == 5 + n and ext.settings["thin"] == 1
    assert np.isfinite(ext.agg_draws).all()
    assert np.allclose(ext.agg_draws.sum(-1), 1.0)
    # the unit quantiles come from a sample of the draws of the whole run
    assert (ext.unit_lo <= ext.unit_mean + 1e-6).all()
    assert (ext.unit_mean <= ext.unit_hi + 1e-6).all()
    with pytest.warns(ConvergenceWarning):
        fixed = fit_md(X, T, max_extensions=0, **kw)
    assert fixed.settings["extensions"] == 0 and fixed.settings["draws"] == 10
    assert fixed.settings["iterations"] == 15
    # the first 10 draws are the fixed-length run's: extensions continue the same chains
    assert np.array_equal(ext.agg_draws[:, :10], fixed.agg_draws)


def test_extensions_stop_at_the_length_cap():
    X, T, _ = _simulate(U=10, seed=7)
    with pytest.warns(ConvergenceWarning, match="draws per chain after"):
        fit = fit_md(X, T, chains=2, draws=8, warmup=5, seed=2, progress=False,
                     max_extensions=50)
    assert fit.settings["draws"] <= driver._MAX_LENGTH_FACTOR * 8
    assert fit.settings["extensions"] < 50


@pytest.mark.parametrize(
    "with_zero, collapse, size",
    [(False, False, 300), (True, False, 300), (False, True, 12), (True, True, 12)],
    ids=["free", "structural_zero", "collapsed_small_units", "collapsed_structural_zero"],
)
def test_extra_moves_leave_the_posterior_unchanged(with_zero, collapse, size):
    """Ridge, global shift and collapsed moves target the same posterior as plain Gibbs.

    Plain data augmentation + the alpha step are textbook exact conditionals; the extra
    Metropolis moves (with their Jacobians), and the alpha update with beta integrated out
    (step 1b, run here on small units where it matters), must give the same posterior mean
    and spread of the aggregate shares, within Monte Carlo error -- also with a structural
    zero, which removes the 2 x 2 lines through it.
    """
    rng = np.random.default_rng(3)
    U, R, C = 25, 3, 3
    P = rng.dirichlet(np.ones(C), R)
    X = rng.integers(size // 10, size, size=(U, R))
    X[:6, 2] = 0  # units without voters in a row: their beta rows drop out of alpha's update
    cells = np.stack(
        [np.stack([rng.multinomial(X[u, r], rng.dirichlet(P[r] * 10)) for r in range(R)])
         for u in range(U)]
    )
    zeros = np.zeros((R, C), dtype=bool)
    if with_zero:
        zeros[2, 2] = True
        cells[:, 2, 0] += cells[:, 2, 2]
        cells[:, 2, 2] = 0
    T = cells.sum(1)
    kw = dict(chains=4, draws=1000, progress=False, max_extensions=0, seed=11,
              structural_zeros=zeros)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # judged below, not by R-hat
        fancy = fit_md(X, T, warmup=500, thin=2, collapse=collapse, **kw)
        plain = fit_md(X, T, warmup=1000, thin=10, ridge_moves=0, shift_moves=0,
                       collapse=False, **kw)  # fmt: skip
    assert fancy.settings["acceptance"]["shift"] > 0.1  # the moves did run
    assert fancy.settings["collapse"] is collapse
    for fit in (fancy, plain):
        assert (fit.agg_draws[:, :, zeros] == 0).all() and (fit.unit_hi[:, zeros] == 0).all()
        assert np.allclose(fit.agg_draws.sum(-1), 1.0)
    free = ~zeros
    stats = []
    for fit in (fancy, plain):
        d = fit.agg_draws.reshape(-1, R, C)
        stats.append((d.mean(0)[free], d.std(0)[free], fit.ess_bulk[free]))
    (m1, s1, e1), (m0, s0, e0) = stats
    z = (m1 - m0) / np.sqrt(s1**2 / e1 + s0**2 / e0)
    assert np.abs(z).max() < 4.0
    assert 0.8 < (s1 / s0).min() and (s1 / s0).max() < 1.25


@pytest.mark.parametrize(
    "zeros, match",
    [
        (np.zeros((3, 2), dtype=bool), "shape"),
        ([[True, True, False], [False, False, False]], "row 0 needs at least two free"),
        ([[False, False, True], [False, False, True]], "unit 0 has voters in destination 2"),
    ],
)
def test_bad_structural_zeros(zeros, match):
    X, T, _ = _simulate(U=5)
    with pytest.raises(ValueError, match=match):
        fit_md(X, T, structural_zeros=zeros, progress=False)


@pytest.mark.parametrize("lambda2, mean", [(0.5, 8.0), (2.0, 2.0)], ids=["pyei", "eipack"])
def test_prior_is_gamma_with_shape_and_rate(lambda2, mean):
    """With (almost) no data alpha keeps its prior, Gamma(shape lambda1, *rate* lambda2).

    Its mean is lambda1 / lambda2: 8 for PyEI's actual prior (rate 0.5), 2 for eiPack's
    (rate 2). A scale reading of lambda2 would give 2 and 8 instead.
    """
    fit = fit_md(np.array([[1, 1]]), np.array([[1, 1]]), chains=2, draws=4000, warmup=500,
                 progress=False, check=False, seed=1, lambda2=lambda2)
    np.testing.assert_allclose(fit.alpha_mean, mean, rtol=0.1)
    assert fit.settings["rate_mean"] == lambda2


def test_learned_rate_keeps_its_hyperprior_without_data():
    """Default: the rate is drawn from its Gamma(h1, h2) hyperprior given alpha; with
    (almost) no data its posterior is that hyperprior (mean h1 / h2), and the posterior mean
    of the rate is reported."""
    fit = fit_md(np.array([[1, 1]]), np.array([[1, 1]]), chains=2, draws=4000, warmup=500,
                 progress=False, check=False, seed=1, rate_prior=(6.0, 3.0))
    assert fit.settings["lambda2"] is None and fit.settings["rate_prior"] == [6.0, 3.0]
    assert fit.settings["rate_mean"] == pytest.approx(2.0, rel=0.1)


def test_learned_rate_follows_the_heterogeneity_of_the_units():
    """SIMULATED units: the more alike they are (larger Dirichlet concentration), the
    smaller the learned rate (larger alpha, stronger pooling)."""
    rates = []
    for conc in (3.0, 100.0):
        rng = np.random.default_rng(5)
        X = rng.multinomial(400, [0.5, 0.3, 0.2], size=80)
        P = np.array([[0.8, 0.1, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]])
        cells = np.stack([[rng.multinomial(X[i, r], rng.dirichlet(P[r] * conc))
                           for r in range(3)] for i in range(80)])
        fit = fit_md(X, cells.sum(1), chains=2, draws=300, warmup=300, progress=False,
                     check=False, seed=1)
        rates.append(fit.settings["rate_mean"])
    assert rates[0] > 3 * rates[1]


def test_bad_rate_prior():
    with pytest.raises(ValueError, match="rate_prior must be two positive"):
        fit_md(np.array([[1, 1]]), np.array([[1, 1]]), rate_prior=(0.0, 1.0), progress=False)


def test_grid_rate_keeps_its_hyperprior_without_data():
    """rate_prior=("grid", lo, hi, m): with (almost) no data the rate's posterior is the
    discrete log-uniform prior on the grid (here 1/4, 1/2, 1, 2, 4: mean 1.55)."""
    fit = fit_md(np.array([[1, 1]]), np.array([[1, 1]]), chains=2, draws=4000, warmup=500,
                 progress=False, check=False, seed=1, rate_prior=("grid", 0.25, 4.0, 5))
    assert fit.settings["rate_prior"] == ["grid", 0.25, 4.0, 5]
    assert fit.settings["rate_mean"] == pytest.approx(1.55, rel=0.1)


def test_grid_rate_draw_is_its_exact_conditional():
    """Step 0 with a grid: the frequencies of the drawn rates match
    p(g_j | alpha) ∝ g_j^(lambda1 R C) exp(-g_j sum alpha) (logic of the compiled code,
    run as Python)."""
    from congresslab.transfers._md.kernels import draw_rate

    grid = np.geomspace(0.25, 4.0, 5)
    prior_k = np.array([4.0, 1.0, 0.0, 0.0, np.log(0.25), np.log(4.0), 5.0])
    np.random.seed(3)  # noqa: NPY002 - the kernels use the legacy generator
    draws = []
    for _ in range(20000):
        draw_rate.py_func(prior_k, 4.0, 2, 2, 16.0)
        draws.append(prior_k[1])
    lw = 16 * np.log(grid) - 16.0 * grid
    p = np.exp(lw - lw.max())
    p /= p.sum()
    freq = [np.mean(np.isclose(draws, g)) for g in grid]
    np.testing.assert_allclose(freq, p, atol=0.015)


@pytest.mark.parametrize(
    "rate_prior",
    [("grid", 1.0, 1.0, 5), ("grid", 0.0, 1.0, 5), ("grid", 0.1, 1.0, 1), ("grid", 0.1, 1.0)],
)
def test_bad_grid_rate_prior(rate_prior):
    with pytest.raises(ValueError, match=r"rate_prior=\('grid'"):
        fit_md(np.array([[1, 1]]), np.array([[1, 1]]), rate_prior=rate_prior, progress=False)


@pytest.mark.parametrize("zero", [False, True])
def test_collapsed_log_density_derivatives(zero):
    """Step 1b's Newton search: gradient and Hessian of the Dirichlet-multinomial log
    density of log alpha against central finite differences."""
    rng = np.random.default_rng(4)
    C = 4
    nr = rng.integers(0, 9, size=(30, C)).astype(float)
    z = np.zeros(C)
    if zero:
        z[2] = 1.0
        nr[:, 2] = 0.0
    Nr = nr.sum(1)
    phi = rng.normal(0.5, 0.7, C)
    grad, P = np.empty(C), np.empty((C, C))
    densities._prec_dm(phi, nr, Nr, 4.0, 0.5, z, grad, P)
    f = lambda p: densities._lcp_dm(p, nr, Nr, 4.0, 0.5, z)  # noqa: E731
    h = 1e-5
    eye = np.eye(C)
    fd = np.array([(f(phi + h * e) - f(phi - h * e)) / (2 * h) for e in eye])
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-6)
    g = lambda p: densities._prec_dm(p, nr, Nr, 4.0, 0.5, z, grad, P) or grad.copy()  # noqa: E731
    fd2 = np.array([(g(phi + h * e) - g(phi - h * e)) / (2 * h) for e in eye])
    densities._prec_dm(phi, nr, Nr, 4.0, 0.5, z, grad, P)
    np.testing.assert_allclose(P, -fd2, rtol=1e-5, atol=1e-5)


def test_collapse_default_follows_unit_size():
    X, T, _ = _simulate(U=10, seed=7)
    kw = dict(chains=2, draws=10, warmup=5, progress=False, check=False, seed=1)
    small = np.median(X.sum(1)) <= driver.COLLAPSE_MAX_MEDIAN_UNIT
    assert fit_md(X, T, **kw).settings["collapse"] is bool(small)
    tiny_X = np.array([[3, 2], [1, 4], [2, 2], [4, 1]])
    tiny_T = np.array([[2, 3], [3, 2], [1, 3], [3, 2]])
    assert fit_md(tiny_X, tiny_T, **kw).settings["collapse"] is True
    big = fit_md(tiny_X * 100, tiny_T * 100, **kw)
    assert big.settings["collapse"] is False
    # without step 1b the draws are those of collapse=False (no extra random numbers)
    assert np.array_equal(big.agg_draws, fit_md(tiny_X * 100, tiny_T * 100, collapse=False,
                                                **kw).agg_draws)
