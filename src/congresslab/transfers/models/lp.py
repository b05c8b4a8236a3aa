"""Linear-programming estimators of the lphom family (least absolute deviations).

Global model (lphom; Romero, Pavía, Martín & Romero 2020)
    Find one transfer matrix ``P`` (rows on the simplex) minimising the total absolute
    deviation between observed and fitted destination counts,
    ``sum_u sum_c |T_uc - sum_r X_ur P_rc|``. Solved as the dual linear program (``R * C``
    constraints, one bounded variable per unit and destination; ``P`` is read off its
    multipliers) with HiGHS' interior point (``scipy.optimize.linprog``) on sparse,
    vectorised matrices. The heterogeneity index
    ``HETe = 100 * sum|T - X P| / sum(T)`` (percent of votes the homogeneous model cannot
    place) is reported in the diagnostics.

Unit-level refinement (``unit_level=True``, default; the tslphom / nslphom idea of Pavía &
Romero 2024)
    Given a global matrix ``P``, find for every unit the count table ``n_u`` (``R × C``,
    ``n >= 0``) that reproduces the unit's margins exactly (row sums ``X_u``, column sums
    ``T_u``) and is closest in L1 to the homogeneous table ``X_ur P_rc``. That optimum is
    not unique; :func:`lp_unit_tables` returns the proportional one in closed form (an LP
    solver would return an arbitrary vertex). The new global matrix is the sum of the unit tables
    divided by the origin totals: it reproduces the aggregate destination totals exactly.
    Default ``iter_max=1`` (tslphom: one refinement step). With ``iter_max > 1`` (nslphom)
    the new matrix is fed back as the target and the step repeated until shares move less
    than ``tol``; as in nslphom the iterate whose unit tables are closest to homogeneity
    (smallest ``HET = 100 * sum|X_ur P_rc - n_urc| / (2 N)``) is kept. One step is the
    default because further iterations can drift away from the truth while HET keeps
    decreasing (seen on SIMULATED data with known truth, see ``reports/benchmarks.md``).
    Unit tables are exposed through :attr:`TransferResults.unit_transfer`.

Intervals are bootstrap percentile intervals: units are resampled with replacement
``n_boot`` times (seeded) and the whole estimator (global LP and refinement) refitted. A
replicate whose resample has no voter of an origin has no estimate for that row (NaN in
``draws``, left out of its interval; counted in ``diagnostics["bootstrap"]``). Intervals
are cut to the Duncan–Davis aggregate bounds, which are certain, keeping the point
estimate inside (:func:`~congresslab.transfers.models.bounds.clip_to_bounds`; the number
of interval ends moved is ``diagnostics["bootstrap"]["ends_cut_to_bounds"]``).

With a single unit, or fewer units than origins, the transfer matrix is not identified
(many matrices fit the data exactly) and resampling such units gives intervals far too
narrow (a single unit: width zero). There the intervals are the aggregate bounds
themselves, a :class:`UserWarning` says so, and ``diagnostics["too_few_units"]`` is true.

Examples
--------
Four units that share one transfer matrix, which the LP recovers exactly:

>>> import numpy as np
>>> from congresslab.transfers import UnitTable
>>> X = np.array([[120, 30], [60, 90], [10, 140], [80, 70]])
>>> T = X @ np.array([[0.9, 0.1], [0.4, 0.6]])
>>> res = LinearProgram(UnitTable.from_arrays(X, T), n_boot=0).fit()
>>> res.transfer.round(6).to_numpy().tolist()
[[0.9, 0.1], [0.4, 0.6]]
>>> res.diagnostics["HETe"] < 1e-6
True
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog
from tqdm import tqdm

from congresslab.transfers.models.bounds import aggregate_bounds, clip_to_bounds
from congresslab.transfers.results import TransferResults, percentile_interval
from congresslab.transfers.units import UnitTable, as_unit_table

__all__ = ["LinearProgram", "lphom", "lp_unit_tables", "heterogeneity_index"]

_T = TypeVar("_T")


def _progress(
    it: Iterable[_T], enabled: bool, desc: str, total: float | None = None
) -> Iterator[_T]:
    """tqdm on stderr, shown only when the loop lasts more than two seconds."""
    return iter(
        tqdm(
            it, total=total, desc=desc, file=sys.stderr, disable=not enabled, delay=2.0,
            leave=False,
        )
    )  # fmt: skip


def heterogeneity_index(X: np.ndarray, T: np.ndarray, P: np.ndarray) -> float:
    """``HETe = 100 * sum|T - X P| / sum(T)``: percent of votes a homogeneous ``P`` misplaces.

    Examples
    --------
    >>> import numpy as np
    >>> heterogeneity_index(np.array([[10., 0.]]), np.array([[5., 5.]]), np.eye(2))
    100.0
    """
    return float(100 * np.abs(T - X @ P).sum() / T.sum())


def lphom(X: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    """Global least-absolute-deviation transfer matrix (lphom), HiGHS on a sparse LP.

    Parameters
    ----------
    X : numpy.ndarray
        Origin counts ``(U, R)``.
    T : numpy.ndarray
        Destination counts ``(U, C)``.

    Returns
    -------
    P : numpy.ndarray
        ``(R, C)`` with rows on the simplex.
    info : dict
        ``HETe`` and the solver ``status``.
    """
    X = np.asarray(X, float)
    T = np.asarray(T, float)
    U, R = X.shape
    C = T.shape[1]
    scale = X.sum() / U  # condition the LP: counts in units of the mean unit size
    Xs, Ts = X / scale, T / scale
    RC, UC = R * C, U * C
    # Solved as its dual, which has R*C constraints instead of U*C (6-7x faster with HiGHS'
    # interior point at 2,000-20,000 units, same optimum):
    #   max  sum_uc T_uc d_uc - sum_r mu_r   s.t.  sum_u X_ur d_uc <= mu_r,  -1 <= d <= 1,
    # (min over rows of P on the simplex of sum_uc |T - XP| = max over |d| <= 1 of
    # d.(T - XP)); P_rc is the multiplier of constraint (r, c).
    u_idx, r_idx, c_idx = np.meshgrid(np.arange(U), np.arange(R), np.arange(C), indexing="ij")
    rows = (r_idx * C + c_idx).ravel()
    cols = (u_idx * C + c_idx).ravel()
    A_d = sp.csr_array((Xs[u_idx, r_idx].ravel(), (rows, cols)), shape=(RC, UC))
    A_mu = sp.csr_array((-np.ones(RC), (np.arange(RC), np.repeat(np.arange(R), C))), shape=(RC, R))
    A_ub = sp.hstack([A_d, A_mu], format="csr")
    cost = np.concatenate([-Ts.ravel(), np.ones(R)])
    bounds = np.column_stack(
        [np.r_[np.full(UC, -1.0), np.full(R, -np.inf)], np.r_[np.ones(UC), np.full(R, np.inf)]]
    )
    sol = linprog(cost, A_ub=A_ub, b_ub=np.zeros(RC), bounds=bounds, method="highs-ipm")
    if sol.status != 0:
        raise RuntimeError(f"lphom linear program failed: {sol.message}")
    P = np.clip(-sol.ineqlin.marginals.reshape(R, C), 0, None)
    s = P.sum(1, keepdims=True)
    # an origin with no voters (possible in a bootstrap resample) carries no information
    P = np.divide(P, s, out=np.full_like(P, 1.0 / C), where=s > 0)
    return P, {"HETe": heterogeneity_index(X, T, P), "status": int(sol.status)}


def lp_unit_tables(X: np.ndarray, T: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Unit count tables closest (L1) to ``X_ur P_rc`` that match every unit's margins.

    Solves ``min sum |n_urc - X_ur P_rc|`` subject to ``n >= 0``, ``sum_c n_urc = X_ur`` and
    ``sum_r n_urc = T_uc`` in closed form. The homogeneous table ``M = X_u P`` already has
    the right row sums; its column sums miss ``T_u`` by ``D_c = T_uc - sum_r M_urc``. Every
    feasible table differs from ``M`` by at least ``sum_c |D_c|``, and any table that only
    lowers the cells of the columns with ``D_c < 0`` and only raises those with ``D_c > 0``
    reaches that bound, so the optimum is not unique (an LP solver returns an arbitrary
    vertex, which changes with the solver and its version). This function returns the
    proportional optimum: each surplus column gives up the same fraction of every cell,
    and each row re-spreads what it gave up over the deficit columns in proportion to
    their deficits. It is unique, solver-independent and vectorised.

    Returns
    -------
    numpy.ndarray
        Counts ``(U, R, C)``.

    Examples
    --------
    >>> X = np.array([[60.0, 40.0]])
    >>> T = np.array([[50.0, 50.0]])
    >>> lp_unit_tables(X, T, np.array([[1.0, 0.0], [0.0, 1.0]]))[0].tolist()
    [[50.0, 10.0], [0.0, 40.0]]
    """
    X = np.asarray(X, float)
    T = np.asarray(T, float)
    M = X[:, :, None] * np.asarray(P, float)[None]  # (U, R, C), rows sum to X
    col = M.sum(1)
    D = T - col
    surplus = np.clip(-D, 0.0, None)
    deficit = np.clip(D, 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(col > 0, surplus / col, 0.0)  # share each surplus column gives up
        total = deficit.sum(1, keepdims=True)
        spread = np.where(total > 0, deficit / total, 0.0)
    dec = M * frac[:, None, :]
    inc = dec.sum(2)[:, :, None] * spread[:, None, :]
    return np.clip(M - dec + inc, 0.0, None)


def _refine(
    X: np.ndarray, T: np.ndarray, P0: np.ndarray, iter_max: int, tol: float
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """nslphom iterations from the global matrix ``P0``; keep the lowest-HET iterate."""
    tot = X.sum(0)[:, None]
    P = P0
    seq: list[tuple[float, np.ndarray, np.ndarray]] = []
    it = 0
    for it in range(1, iter_max + 1):  # noqa: B007
        n = lp_unit_tables(X, T, P)
        with np.errstate(divide="ignore", invalid="ignore"):
            P_new = np.where(tot > 0, n.sum(0) / tot, P0)  # absent origins keep P0
        P_new = P_new / P_new.sum(1, keepdims=True)
        # heterogeneity of the unit tables around the new global matrix (nslphom's HET)
        het = float(100 * 0.5 * np.abs(X[:, :, None] * P_new[None] - n).sum() / X.sum())
        seq.append((het, P_new, n))
        delta = float(np.abs(P_new - P).max())
        P = P_new
        if delta < tol:
            break
    best = int(np.argmin([s[0] for s in seq]))
    het, P_best, n_best = seq[best]
    return (
        P_best,
        n_best,
        {
            "iterations": it,
            "iteration_selected": best + 1,
            "HET_units": het,
            "HET_units_sequence": [round(s[0], 6) for s in seq],
        },
    )


class LinearProgram:
    """lphom-family estimator (global LP, optional unit-level refinement, bootstrap intervals).

    Parameters
    ----------
    table : UnitTable or DataFrame or (X, T)
        Unit table.
    unit_level : bool
        Refine with per-unit tables (nslphom idea); gives ``unit_transfer``. Default True.
    iter_max : int
        Maximum refinement iterations (1 = tslphom, default; nslphom uses 10).
    tol : float
        Stop refining when no share moves more than ``tol``.
    n_boot : int
        Bootstrap replicates for the intervals (0: no intervals).
    seed : int or None
        Bootstrap seed; the same seed gives the same numbers.
    progress : bool
        Progress bar on stderr for bootstraps lasting more than two seconds.
    **table_options
        Passed to :func:`~congresslab.transfers.units.as_unit_table`.
    """

    name = "lp"

    def __init__(
        self,
        table: Any,
        *,
        unit_level: bool = True,
        iter_max: int = 1,
        tol: float = 1e-5,
        n_boot: int = 100,
        seed: int | None = 0,
        progress: bool = True,
        **table_options: Any,
    ) -> None:
        self.table: UnitTable = as_unit_table(table, **table_options)
        self.unit_level = bool(unit_level)
        self.iter_max = int(iter_max)
        self.tol = float(tol)
        self.n_boot = int(n_boot)
        self.seed = seed
        self.progress = progress

    def _estimate(
        self, X: np.ndarray, T: np.ndarray, unit_level: bool
    ) -> tuple[np.ndarray, np.ndarray | None, dict[str, Any]]:
        P0, info = lphom(X, T)
        if not unit_level:
            return P0, None, info
        P, n, info2 = _refine(X, T, P0, self.iter_max, self.tol)
        info = {"HETe_global": info["HETe"], "HETe": heterogeneity_index(X, T, P), **info2}
        return P, n, info

    def fit(self, alpha: float = 0.05) -> TransferResults:
        """Solve the LP(s) and bootstrap; see the class documentation."""
        t0 = time.perf_counter()
        tab = self.table
        X, T = tab.X, tab.T
        U = tab.n_units
        P, n, info = self._estimate(X, T, self.unit_level)
        diag: dict[str, Any] = {"unit_level": self.unit_level, **info}
        unit_params = None
        if n is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                unit_params = np.where(X[:, :, None] > 0, n / X[:, :, None], P[None])
        draws = lo = hi = interval = None
        R = tab.shape[0]
        bounds = aggregate_bounds(X, T)
        too_few = U == 1 or U < R
        diag["too_few_units"] = too_few
        if too_few:
            warnings.warn(
                f"lp: {U} unit{'s' if U > 1 else ''} for {R} origins cannot identify the "
                "transfer matrix (many fit the data exactly) nor support bootstrap intervals; "
                "the intervals are the Duncan-Davis bounds, and the estimate is one "
                "matrix among those that fit",
                UserWarning,
                stacklevel=2,
            )
            if self.n_boot > 1:
                lo, hi = bounds
        elif self.n_boot > 1:
            rng = np.random.default_rng(self.seed)
            idx = [rng.integers(0, U, U) for _ in range(self.n_boot)]

            def refit(i: np.ndarray) -> np.ndarray:
                P_b = self._estimate(X[i], T[i], self.unit_level)[0]
                P_b[X[i].sum(0) == 0] = np.nan  # origin absent from the resample: no estimate
                return P_b

            # HiGHS releases the GIL: the replicates run in threads (resamples drawn first,
            # so the draws do not depend on the number of threads)
            with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                reps = _progress(pool.map(refit, idx), self.progress, "lp bootstrap", self.n_boot)
                draws = np.stack(list(reps))

            def interval(a: float, draws: np.ndarray = draws) -> tuple[np.ndarray, np.ndarray]:
                return clip_to_bounds(*percentile_interval(draws, a), P, *bounds)

            lo, hi = interval(alpha)
            raw_lo, raw_hi = percentile_interval(draws, alpha)
            diag["bootstrap"] = {
                "n_boot": self.n_boot,
                "seed": self.seed,
                "refit": "unit_level" if self.unit_level else "global",
                "replicates_without_origin": dict(
                    zip(tab.origin, np.isnan(draws[:, :, 0]).sum(0).tolist(), strict=True)
                ),
                "ends_cut_to_bounds": int((lo != raw_lo).sum() + (hi != raw_hi).sum()),
            }
        return TransferResults(
            method=self.name,
            table=tab,
            params=P,
            lower=lo,
            upper=hi,
            alpha=alpha,
            interval_kind="bootstrap" if draws is not None else (
                "bounds" if lo is not None else "none"),
            seconds=time.perf_counter() - t0,
            diagnostics=diag,
            unit_params=unit_params,
            draws=draws,
            interval_fn=interval,
            options={
                "unit_level": self.unit_level,
                "iter_max": self.iter_max,
                "tol": self.tol,
                "n_boot": self.n_boot,
                "seed": self.seed,
            },
        )
