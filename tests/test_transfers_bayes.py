"""The Bayesian wrapper, against the fit_md contract (a fake sampler) and the real one."""

import sys
import types
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest

from congresslab.transfers import (
    ConvergenceError,
    ConvergenceWarning,
    MultinomialDirichlet,
    UnitTable,
    api,
    choose_method,
    estimate,
)


@dataclass
class FakeFit:
    agg_draws: np.ndarray
    unit_mean: np.ndarray
    unit_lo: np.ndarray
    unit_hi: np.ndarray
    rhat: np.ndarray
    ess_bulk: np.ndarray
    converged: bool
    seconds: float = 0.01
    settings: dict = field(default_factory=dict)


def make_fake(converged=True, warn=False):
    calls = {}

    def fit_md(
        X,
        T,
        *,
        chains=4,
        draws=1000,
        warmup=1000,
        thin=1,
        seed=0,
        progress=True,
        lambda1=4.0,
        lambda2=0.5,
        max_extensions=5,
        structural_zeros=None,
        collapse=None,
    ):
        calls.update(chains=chains, draws=draws, seed=seed, max_extensions=max_extensions)
        U, R = X.shape
        C = T.shape[1]
        rng = np.random.default_rng(seed)
        base = np.full((R, C), 1.0 / C)
        d = rng.dirichlet(np.ones(C) * 200, size=(chains, draws, R))
        d = 0.5 * d + 0.5 * base
        um = np.broadcast_to(base, (U, R, C)).copy()
        if warn and not converged:
            warnings.warn("sampler: not converged", ConvergenceWarning, stacklevel=2)
        return FakeFit(
            d,
            um,
            um * 0.5,
            np.minimum(um * 1.5, 1),
            np.full((R, C), 1.2 if not converged else 1.001),
            np.full((R, C), 500.0),
            converged,
            settings={"chains": chains, "draws": draws, "rate_mean": 0.25},
        )

    return fit_md, calls


@pytest.fixture()
def fake(monkeypatch):
    def install(**kw):
        fit_md, calls = make_fake(**kw)
        mod = types.ModuleType("congresslab.transfers._md.driver")
        mod.fit_md = fit_md
        monkeypatch.setitem(sys.modules, "congresslab.transfers._md.driver", mod)
        return calls

    return install


def tab(U=10):
    rng = np.random.default_rng(0)
    X = rng.integers(10, 100, size=(U, 3))
    T = np.column_stack([X.sum(1) // 2, X.sum(1) - X.sum(1) // 2])
    return UnitTable.from_arrays(X, T)


def test_wrapper_summarises_draws(fake):
    calls = fake()
    res = MultinomialDirichlet(tab(), chains=2, draws=50, seed=7, max_extensions=0).fit()
    assert calls == {"chains": 2, "draws": 50, "seed": 7, "max_extensions": 0}
    assert res.method == "bayes" and res.interval_kind == "credible"
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)
    ci = res.conf_int()
    assert (ci["lower"] <= ci["estimate"]).all() and (ci["estimate"] <= ci["upper"]).all()
    assert res.draws.shape == (100, 3, 2)
    assert res.diagnostics["rhat_max"] == pytest.approx(1.001)
    assert res.unit_transfer is not None and res.unit_transfer["lower"].notna().all()
    # the summary names the prior actually used: a learned rate unless told otherwise
    text = " ".join(str(res.summary()).split())
    assert "Gamma(shape 4, rate b)" in text and "posterior mean b = 0.25" in text
    assert "parameter is 16.0" in text
    eipack = MultinomialDirichlet(tab(), chains=2, draws=50, lambda2=2, max_extensions=0).fit()
    assert "Gamma(shape 4, rate 2)" in str(eipack.summary())


def test_nonconvergence_warns_once(fake):
    fake(converged=False)
    with pytest.warns(ConvergenceWarning, match="draws") as rec:
        MultinomialDirichlet(tab(), chains=2, draws=20).fit()
    assert sum(issubclass(w.category, ConvergenceWarning) for w in rec) == 1


def test_nonconvergence_not_duplicated_when_sampler_warns(fake):
    fake(converged=False, warn=True)
    with pytest.warns(ConvergenceWarning) as rec:
        MultinomialDirichlet(tab(), chains=2, draws=20).fit()
    assert sum(issubclass(w.category, ConvergenceWarning) for w in rec) == 1


def test_nonconvergence_raise(fake):
    fake(converged=False)
    with pytest.raises(ConvergenceError, match="R-hat"):
        MultinomialDirichlet(tab(), chains=2, draws=20, on_nonconvergence="raise").fit()


def test_auto_rule(fake, monkeypatch):
    fake()
    assert choose_method(tab(10)) == "bayes"
    monkeypatch.setattr(api, "AUTO_BAYES_MAX_COST", 10)
    assert choose_method(tab(10)) == "lp"
    res = estimate(tab(10), n_boot=0)
    assert res.method == "lp" and res.diagnostics["auto_choice"] == "lp"


@pytest.mark.parametrize(
    ("U", "R", "C", "method"),
    [(3000, 2, 2, "bayes"), (620, 5, 4, "bayes"), (1000, 5, 4, "bayes"),
     (400, 6, 6, "lp"), (150, 10, 10, "lp")],
)  # fmt: skip
def test_auto_rule_weighs_cells_per_unit(U, R, C, method):
    # 3,000 x 2 x 2 and 150 x 10 x 10 have the same number of cells, but the second took
    # 500 s without converging (measured): auto's cost grows with (R * C) ** 2
    rng = np.random.default_rng(0)
    X = rng.integers(1, 50, size=(U, R))
    T = np.zeros((U, C), dtype=int)
    T[:, 0] = X.sum(1)
    assert choose_method(UnitTable.from_arrays(X, T)) == method


def test_real_sampler_small():
    rng = np.random.default_rng(1)
    P = np.array([[0.8, 0.2], [0.3, 0.7]])
    X = rng.integers(50, 200, size=(15, 2))
    T = np.stack([sum(rng.multinomial(X[u, r], P[r]) for r in range(2)) for u in range(15)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = MultinomialDirichlet(
            UnitTable.from_arrays(X, T), chains=2, draws=200, warmup=200, progress=False
        ).fit()
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)
    assert np.abs(res.params - P).max() < 0.15


def test_rescaled_margins_are_integerised_for_sampler(monkeypatch):
    seen = {}
    fit_md, _ = make_fake()

    def spy(X, T, **kw):
        seen["X"], seen["T"] = X, T
        return fit_md(X, T, **kw)

    mod = types.ModuleType("congresslab.transfers._md.driver")
    mod.fit_md = spy
    monkeypatch.setitem(sys.modules, "congresslab.transfers._md.driver", mod)
    X = np.array([[30, 20, 50], [10, 60, 30]])
    T = np.array([[52, 51], [49, 50]])  # 3 % and 1 % drift -> rescaled, non-integer
    with pytest.warns(UserWarning, match="drift"):
        t = UnitTable.from_arrays(X, T)
    assert not np.array_equal(t.T, np.round(t.T))
    res = MultinomialDirichlet(t, chains=2, draws=10).fit()
    assert seen["T"].dtype.kind == "i" and seen["X"].dtype.kind == "i"
    np.testing.assert_array_equal(seen["T"].sum(1), seen["X"].sum(1))
    assert np.abs(seen["T"] - t.T).max() < 1
    assert res.diagnostics["integer_rounding_max_change"] < 1


def _empty_destination_table(C_votes=2):
    rng = np.random.default_rng(3)
    X = rng.multinomial(150, [0.3, 0.3, 0.4], 20)
    p = [0.5, 0.5, 0.0] if C_votes == 2 else [1.0, 0.0, 0.0]
    T = np.stack([rng.multinomial(x.sum(), p) for x in X])
    return UnitTable.from_arrays(X, T)


def test_destination_without_votes_is_a_structural_zero():
    # nobody voted for d2 in any unit, so nobody went there: exactly 0, not the model's
    # small positive share
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = MultinomialDirichlet(
            _empty_destination_table(), chains=2, draws=100, warmup=100, progress=False
        ).fit()
    np.testing.assert_array_equal(res.params[:, 2], 0.0)
    np.testing.assert_array_equal(res.conf_int()["upper"].to_numpy()[2::3], 0.0)
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)
    assert res.diagnostics["structural_zeros"] == [("o0", "d2"), ("o1", "d2"), ("o2", "d2")]


def test_single_destination_with_votes_is_not_made_structural(monkeypatch):
    # every row needs two free cells: with one destination left the mask is not widened
    seen = {}
    fit_md, _ = make_fake()

    def spy(X, T, **kw):
        seen["zeros"] = kw["structural_zeros"]
        return fit_md(X, T, **kw)

    mod = types.ModuleType("congresslab.transfers._md.driver")
    mod.fit_md = spy
    monkeypatch.setitem(sys.modules, "congresslab.transfers._md.driver", mod)
    MultinomialDirichlet(_empty_destination_table(C_votes=1), chains=2, draws=10).fit()
    assert not seen["zeros"].any()


def test_rate_prior_reaches_the_sampler_and_the_summary():
    """The real sampler: a grid hyperprior on the rate is passed through, recorded and named."""
    res = MultinomialDirichlet(tab(), chains=2, draws=50, warmup=50, max_extensions=0,
                               progress=False, rate_prior=("grid", 0.1, 10.0, 9)).fit()
    assert res.diagnostics["settings"]["rate_prior"] == ["grid", 0.1, 10.0, 9]
    assert 0.1 <= res.diagnostics["settings"]["rate_mean"] <= 10.0
    assert "log-uniform on 9 rates from 0.1 to 10" in " ".join(str(res.summary()).split())
