"""Estimators: exact recovery, bounds validity, row sums, reproducibility."""

import warnings

import numpy as np
import pytest

from congresslab.benchmarks import list_benchmarks, load_benchmark
from congresslab.transfers import (
    Bounds,
    Goodman,
    LinearProgram,
    UnitTable,
    aggregate_bounds,
    estimate,
    unit_bounds,
)
from congresslab.transfers.models.goodman import project_rows_to_simplex, simplex_least_squares


def homogeneous(seed, U=40, R=4, C=3):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(C), R)
    X = rng.integers(10, 500, size=(U, R)).astype(float)
    return P, UnitTable.from_arrays(X, X @ P, margins="error", whole=False)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "model",
    [
        lambda t: Goodman(t),
        lambda t: Goodman(t, weights="ols"),
        lambda t: Goodman(t, constrained=True, n_boot=0),
        lambda t: LinearProgram(t, unit_level=False, n_boot=0),
        lambda t: LinearProgram(t, n_boot=0),
    ],
)
def test_homogeneous_units_recovered_exactly(seed, model):
    P, tab = homogeneous(seed)
    res = model(tab).fit()
    np.testing.assert_allclose(res.params, P, atol=1e-6)


def test_lp_unit_level_homogeneous_unit_tables():
    P, tab = homogeneous(3)
    res = LinearProgram(tab, n_boot=0).fit()
    ut = res.unit_params
    assert ut.shape == (tab.n_units, *P.shape)
    np.testing.assert_allclose(ut, np.broadcast_to(P, ut.shape), atol=1e-6)


def heterogeneous(seed, U=60, R=3, C=3):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(C), R)
    X = rng.integers(20, 400, size=(U, R))
    T = np.stack([sum(rng.multinomial(X[u, r], P[r]) for r in range(R)) for u in range(U)])
    return UnitTable.from_arrays(X, T)


@pytest.mark.parametrize(
    "method, opts",
    [
        ("bounds", {}),
        ("goodman", {}),
        ("goodman", {"constrained": True, "n_boot": 20}),
        ("lp", {"n_boot": 10}),
        ("lp", {"unit_level": False, "n_boot": 10}),
    ],
)
def test_rows_sum_to_one(method, opts):
    res = estimate(heterogeneous(5), method, **opts)
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0, atol=1e-9)
    if method != "goodman" or opts.get("constrained"):
        assert (res.params >= -1e-12).all()
    if res.unit_params is not None:
        np.testing.assert_allclose(res.unit_params.sum(-1), 1.0, atol=1e-6)


def test_lp_bootstrap_same_seed_same_numbers():
    tab = heterogeneous(7)
    a = LinearProgram(tab, n_boot=15, seed=3, progress=False).fit().conf_int()
    b = LinearProgram(tab, n_boot=15, seed=3, progress=False).fit().conf_int()
    c = LinearProgram(tab, n_boot=15, seed=4, progress=False).fit().conf_int()
    np.testing.assert_array_equal(a.to_numpy(), b.to_numpy())
    assert not np.array_equal(a["lower"].to_numpy(), c["lower"].to_numpy())
    assert (a["lower"] <= a["upper"]).all()


@pytest.mark.parametrize("constrained", [False, True])
def test_goodman_too_few_units(constrained):
    tab = UnitTable.from_arrays([[10, 20, 30], [5, 5, 5]], [[30, 30], [7, 8]])
    with pytest.raises(ValueError, match="2 unit\\(s\\) for 3 origins"):
        Goodman(tab, constrained=constrained).fit()


def test_goodman_flags_out_of_range():
    # two units, origin B goes entirely to y in one unit and x in the other: OLS overshoots
    X = np.array([[90, 10], [10, 90], [50, 50]])
    T = np.array([[10, 90], [95, 5], [40, 60]])
    res = Goodman(UnitTable.from_arrays(X, T)).fit()
    outside = ((res.params < 0) | (res.params > 1)).sum()
    assert outside > 0
    assert res.diagnostics["n_out_of_range"] == outside
    con = Goodman(UnitTable.from_arrays(X, T), constrained=True, n_boot=0).fit()
    assert (con.params >= 0).all() and (con.params <= 1).all()


def test_goodman_conf_int_alpha():
    res = Goodman(heterogeneous(2)).fit()
    w95 = (res.conf_int(0.05)["upper"] - res.conf_int(0.05)["lower"]).to_numpy()
    w80 = (res.conf_int(0.20)["upper"] - res.conf_int(0.20)["lower"]).to_numpy()
    assert (w80 < w95).all()


def test_projection_on_simplex():
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(50, 4))
    Pp = project_rows_to_simplex(Z)
    np.testing.assert_allclose(Pp.sum(1), 1)
    assert (Pp >= 0).all()


def test_bounds_exact_small_case():
    lo, hi = unit_bounds(np.array([[60.0, 40.0]]), np.array([[70.0, 30.0]]))
    # 60 of A among 100 voters, 70 went to x: at least 30 of A went to x
    assert lo[0, 0, 0] == pytest.approx(0.5) and hi[0, 0, 0] == pytest.approx(1.0)
    assert hi[0, 1, 1] == pytest.approx(0.75)


@pytest.mark.parametrize("name", list_benchmarks())
def test_bounds_contain_truth_on_benchmarks(name):
    b = load_benchmark(name)
    X, T = b.table.X, b.table.T
    lo, hi = aggregate_bounds(X, T)
    ts = b.truth_shares.to_numpy()
    assert ((lo - 1e-9 <= ts) & (ts <= hi + 1e-9)).all()
    res = Bounds(b.table).fit()
    assert (res.lower <= res.params + 1e-12).all() and (res.params <= res.upper + 1e-12).all()
    if b.truth_units is not None:
        ulo, uhi = unit_bounds(X, T)
        xr = b.truth_units.sum(2, keepdims=True)
        us = np.divide(b.truth_units, xr, out=np.zeros_like(b.truth_units), where=xr > 0)
        ok = (ulo - 1e-9 <= us) & (us <= uhi + 1e-9)
        assert ok[np.broadcast_to(xr > 0, ok.shape)].all()


def test_estimate_unknown_method():
    with pytest.raises(ValueError, match="unknown method"):
        estimate(heterogeneous(1), "magic")


def test_global_lp_recovers_truth_on_2000_units():
    # timings are measured by benchmarks/run_benchmarks.py, not asserted in unit tests
    rng = np.random.default_rng(0)
    U, R, C = 2000, 5, 4
    P = rng.dirichlet(np.ones(C), R)
    X = rng.integers(0, 200, size=(U, R)) + 1
    T = np.stack([sum(rng.multinomial(X[u, r], P[r]) for r in range(R)) for u in range(U)])
    tab = UnitTable.from_arrays(X, T)
    res = LinearProgram(tab, unit_level=False, n_boot=0).fit()
    assert np.abs(res.params - P).max() < 0.05


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lphom_dual_reaches_the_primal_optimum(seed):
    """lphom solves the dual LP; its P reaches the optimum of the primal LAD problem."""
    from scipy.optimize import linprog

    from congresslab.transfers.models.lp import lphom

    rng = np.random.default_rng(seed)
    U, R, C = 40, 4, 3
    X = rng.integers(0, 300, size=(U, R)).astype(float)
    X[:, 0] += 1
    T = np.stack([rng.multinomial(X[u].sum(), rng.dirichlet(np.ones(C))) for u in range(U)])
    P, _ = lphom(X, T)
    assert P.min() >= 0
    np.testing.assert_allclose(P.sum(1), 1.0)
    # primal: min sum e+ + e-  s.t.  X P + e+ - e- = T, rows of P on the simplex
    k, m = R * C, U * C
    A_p = np.zeros((m, k))
    for u in range(U):
        for c in range(C):
            A_p[u * C + c, c::C] = X[u]
    A = np.block(
        [[A_p, np.eye(m), -np.eye(m)], [np.kron(np.eye(R), np.ones((1, C))), np.zeros((R, 2 * m))]]
    )
    b = np.concatenate([T.ravel(), np.ones(R)])
    sol = linprog(np.r_[np.zeros(k), np.ones(2 * m)], A_eq=A, b_eq=b, method="highs")
    assert sol.status == 0
    assert np.abs(T - X @ P).sum() == pytest.approx(sol.fun, rel=1e-7)


def test_lp_bootstrap_is_independent_of_threads(monkeypatch):
    import congresslab.transfers.models.lp as lp_mod

    tab = heterogeneous(3)
    a = LinearProgram(tab, n_boot=20, progress=False).fit().conf_int()
    monkeypatch.setattr(lp_mod.os, "cpu_count", lambda: 1)
    b = LinearProgram(tab, n_boot=20, progress=False).fit().conf_int()
    np.testing.assert_array_equal(a[["lower", "upper"]], b[["lower", "upper"]])


def test_lp_handles_origin_absent_from_bootstrap_sample():
    # origin C only present in one unit: many bootstrap samples miss it
    X = np.array([[50, 50, 0]] * 8 + [[40, 40, 20]])
    T = np.array([[60, 40]] * 8 + [[50, 50]])
    tab = UnitTable.from_arrays(X, T)
    res = LinearProgram(tab, n_boot=30, progress=False).fit()
    assert np.isfinite(res.conf_int()[["lower", "upper"]].to_numpy()).all()
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)
    # replicates without origin C give no estimate for it (not an arbitrary LP vertex)
    missing = res.diagnostics["bootstrap"]["replicates_without_origin"]
    absent = np.isnan(res.draws[:, 2, 0])
    assert missing[tab.origin[2]] == absent.sum() > 0 and missing[tab.origin[0]] == 0
    assert not np.isnan(res.draws[absent][:, :2]).any()
    with warnings.catch_warnings():  # 8 identical units: statsmodels flags the rank
        warnings.simplefilter("ignore")
        gs = Goodman(tab, constrained=True, n_boot=30, progress=False).fit()
    assert np.isnan(gs.draws[:, 2]).any() and np.isfinite(gs.conf_int()["lower"]).all()


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_lp_unit_tables_are_l1_optimal_and_match_margins(seed):
    """The closed-form unit tables reach the LP optimum (checked against HiGHS)."""
    from scipy.optimize import linprog

    from congresslab.transfers.models.lp import lp_unit_tables

    rng = np.random.default_rng(seed)
    U, R, C = 6, 3, 4
    cells = rng.integers(0, 60, size=(U, R, C)).astype(float)
    cells[0, 1] = 0.0  # an empty origin row
    X, T = cells.sum(2), cells.sum(1)
    P = rng.dirichlet(np.ones(C), R)
    n = lp_unit_tables(X, T, P)
    assert n.min() >= 0
    np.testing.assert_allclose(n.sum(2), X, atol=1e-9)
    np.testing.assert_allclose(n.sum(1), T, atol=1e-9)
    target = X[:, :, None] * P[None]
    for u in range(U):
        # min sum d+ + d-  s.t.  n - d+ + d- = target, row sums X, column sums T
        k = R * C
        A_rows = np.kron(np.eye(R), np.ones((1, C)))
        A_cols = np.kron(np.ones((1, R)), np.eye(C))
        A = np.block(
            [
                [A_rows, np.zeros((R, 2 * k))],
                [A_cols, np.zeros((C, 2 * k))],
                [np.eye(k), -np.eye(k), np.eye(k)],
            ]
        )
        b = np.concatenate([X[u], T[u], target[u].ravel()])
        sol = linprog(np.r_[np.zeros(k), np.ones(2 * k)], A_eq=A, b_eq=b, method="highs")
        assert sol.status == 0
        ours = np.abs(n[u] - target[u]).sum()
        assert ours == pytest.approx(sol.fun, rel=1e-9, abs=1e-9)


def _entry_exit_table() -> UnitTable:
    rng = np.random.default_rng(5)
    X = rng.integers(50, 300, size=(30, 3)).astype(float)
    P = np.array([[0.7, 0.2, 0.1], [0.2, 0.7, 0.1], [0.3, 0.3, 0.4]])
    T = np.round(X @ P)
    T[:, 2] += X.sum(1) - T.sum(1)  # integer counts, same totals
    T[::2, 0] += 25  # newcomers in even units
    T[1::2, 1] -= 20  # leavers in odd units
    return UnitTable.from_arrays(X, T, margins="entry_exit")


def test_lp_entry_exit_structural_zero():
    """With entry/exit options no unit has both, so the refined LP puts nothing in entry→exit."""
    tab = _entry_exit_table()
    res = LinearProgram(tab, n_boot=0).fit()
    assert "_entry" in res.transfer.index and "_exit" in res.transfer.columns
    assert res.transfer.loc["_entry", "_exit"] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)


def test_bayes_entry_exit_structural_zero():
    """The sampler treats entry→exit as a structural zero: exactly 0 in every draw."""
    from congresslab.transfers.models.bayes import MultinomialDirichlet

    tab = _entry_exit_table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = MultinomialDirichlet(tab, chains=2, draws=100, warmup=100, max_extensions=0,
                                   progress=False).fit()
    assert res.transfer.loc["_entry", "_exit"] == 0.0
    ci = res.conf_int().set_index(["origin", "destination"])
    assert ci.loc[("_entry", "_exit"), "upper"] == 0.0
    assert res.transfer.loc["_entry"].drop("_exit").min() > 0.0
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)


def test_goodman_simplex_entry_exit_structural_zero():
    """The simplex-constrained Goodman QP keeps entry→exit at 0 (fit and bootstrap)."""
    tab = _entry_exit_table()
    res = Goodman(tab, constrained=True, n_boot=20, seed=1).fit()
    assert res.transfer.loc["_entry", "_exit"] == 0.0
    assert (res.draws[:, -1, -1] == 0.0).all()
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)
    assert (res.transfer.to_numpy() >= 0).all()


def test_simplex_fallback_respects_structural_zeros():
    from congresslab.transfers.models.goodman import _slsqp

    rng = np.random.default_rng(0)
    x = rng.dirichlet(np.ones(3), 40)
    P = np.array([[0.6, 0.3, 0.1], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5]])
    y = x @ P
    free = np.ones(9, bool)
    free[2] = False  # origin 0 -> destination 2 fixed at 0
    P_nnls, _ = simplex_least_squares(x, y, zeros=~free.reshape(3, 3))
    P_sl, _ = _slsqp(x.T @ x / 40, x.T @ y / 40, 3, 3, free)
    for Q in (P_nnls, P_sl):
        assert Q[0, 2] == 0.0
        np.testing.assert_allclose(Q.sum(1), 1.0)
    np.testing.assert_allclose(P_nnls, P_sl, atol=1e-4)


def test_goodman_unconstrained_entry_exit_structural_zero():
    """Unconstrained Goodman: entry→exit is exactly 0 with a zero-width interval, rows sum
    to 1, and the other cells keep finite intervals around their estimates."""
    tab = _entry_exit_table()
    res = Goodman(tab).fit()
    assert res.transfer.loc["_entry", "_exit"] == 0.0
    np.testing.assert_allclose(res.transfer.sum(axis=1), 1.0)
    ci = res.conf_int(0.1).set_index(["origin", "destination"])
    assert ci.loc[("_entry", "_exit"), ["lower", "upper"]].tolist() == [0.0, 0.0]
    free = ci.drop(("_entry", "_exit"))
    assert ((free["lower"] < free["estimate"]) & (free["estimate"] < free["upper"])).all()
    assert res.diagnostics["structural_zeros"] == 1


def test_restrict_to_zeros_is_the_constrained_least_squares_optimum():
    """With equal column covariances (X'WX)^-1 the restriction equals the stacked weighted
    least squares solved directly with the zero and row-sum constraints (KKT system)."""
    from congresslab.transfers.models.goodman import (
        _zero_and_row_sum_constraints,
        restrict_to_zeros,
    )

    rng = np.random.default_rng(8)
    U, R, C = 40, 3, 3
    x = rng.dirichlet(np.ones(R), U)
    y = rng.dirichlet(np.ones(C), U)
    w = rng.uniform(50, 500, U)
    G = x.T @ (w[:, None] * x)
    P = np.linalg.solve(G, x.T @ (w[:, None] * y))
    zeros = np.zeros((R, C), bool)
    zeros[2, 1] = zeros[0, 2] = True
    Q, se = restrict_to_zeros(P, [np.linalg.inv(G)] * C, zeros)
    # direct: minimise sum_c (y_c - x b_c)' W (y_c - x b_c) s.t. A vec(P) = q
    H = np.kron(np.eye(C), G)
    g = np.concatenate([x.T @ (w * y[:, c]) for c in range(C)])
    A, q = _zero_and_row_sum_constraints(zeros)
    kkt = np.block([[H, A.T], [A, np.zeros((len(q), len(q)))]])
    direct = np.linalg.solve(kkt, np.r_[g, q])[: R * C].reshape(C, R).T
    np.testing.assert_allclose(Q, direct, atol=1e-10)
    assert (Q[zeros] == 0).all() and (se[zeros] == 0).all() and (se[~zeros] > 0).all()
    np.testing.assert_allclose(Q.sum(1), 1.0)


def test_goodman_destination_without_votes_is_quiet():
    # a destination with no votes anywhere: R² is undefined (NaN), with no numpy warning
    rng = np.random.default_rng(0)
    X = rng.multinomial(200, [0.3, 0.3, 0.4], 30)
    T = np.stack([rng.multinomial(x.sum(), [0.5, 0.5, 0.0]) for x in X])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = Goodman(UnitTable.from_arrays(X, T)).fit()
    np.testing.assert_allclose(res.params[:, 2], 0.0, atol=1e-12)
    assert np.isnan(res.diagnostics["r2"][2]) and not np.isnan(res.diagnostics["r2"][0])
