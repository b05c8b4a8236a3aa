"""Goodman's ecological regression (statsmodels OLS/WLS), unconstrained or on the simplex.

For each destination ``c`` the destination share ``T_uc / N_u`` is regressed, without
intercept, on the origin shares ``X_ur / N_u`` across units; coefficient ``r`` estimates the
share of origin ``r`` going to ``c`` (constant-transfer assumption). Weights are the unit sizes
``N_u`` (``weights="wls"``, default) or uniform (``"ols"``).

Because each unit's origin shares and destination shares both sum to one, the unconstrained
coefficients of a row always sum to one, but they may fall outside ``[0, 1]``: they are kept
and flagged in ``diagnostics["out_of_range"]``.

``constrained=True`` minimises the same (weighted) sum of squares over all destinations at
once, subject to every row of shares lying on the simplex (``P >= 0``, rows sum to 1, and
``_entry -> _exit`` fixed at 0 under ``margins="entry_exit"``). This is one quadratic
program in ``R*C`` variables (objective ``tr(P'GP) - 2 tr(P'B)`` with ``G = x'Wx``,
``B = x'Wy``), solved exactly as a non-negative least-squares problem with the
row sums as heavily weighted equations (see :func:`simplex_least_squares`; SLSQP fallback).
Its intervals are bootstrap percentile intervals (units resampled, ``n_boot`` replicates, seeded).

Structural zeros (``_entry -> _exit``) in the unconstrained fit: the per-destination
estimates are moved to the closest point (in the metric of their statsmodels covariance,
destinations independent) where those cells are 0 and every row still sums to 1 --
restricted least squares, ``b - V A' (A V A')^-1 (A b - q)`` with covariance
``V - V A' (A V A')^-1 A V`` -- so the impossible cell is exactly 0 with a zero-width
interval instead of an estimated coefficient (see :func:`restrict_to_zeros`).

Examples
--------
>>> import numpy as np
>>> from congresslab.transfers import UnitTable
>>> P = np.array([[0.8, 0.2], [0.3, 0.7]])
>>> X = np.array([[100, 0], [50, 50], [20, 80], [70, 30]])
>>> tab = UnitTable.from_arrays(X, X @ P)
>>> Goodman(tab).fit().transfer.round(6).to_numpy().tolist()
[[0.8, 0.2], [0.3, 0.7]]
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy import stats
from scipy.optimize import minimize, nnls

from congresslab.transfers.results import TransferResults, percentile_interval
from congresslab.transfers.units import UnitTable, as_unit_table, structural_zeros

__all__ = ["Goodman", "simplex_least_squares", "project_rows_to_simplex", "restrict_to_zeros"]


def project_rows_to_simplex(P: np.ndarray) -> np.ndarray:
    """Euclidean projection of each row of ``P`` onto the probability simplex.

    Examples
    --------
    >>> project_rows_to_simplex(np.array([[1.2, -0.2], [0.5, 0.5]])).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    P = np.asarray(P, float)
    n = P.shape[1]
    u = -np.sort(-P, axis=1)
    css = np.cumsum(u, axis=1) - 1
    k = np.arange(1, n + 1)
    cond = u - css / k > 0
    rho = n - 1 - np.argmax(cond[:, ::-1], axis=1)
    theta = css[np.arange(P.shape[0]), rho] / (rho + 1)
    return np.maximum(P - theta[:, None], 0.0)


def simplex_least_squares(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray | None = None,
    *,
    penalty: float = 1e8,
    zeros: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Weighted least squares ``min sum_u w_u ||y_u - x_u P||^2`` with simplex rows.

    With ``G = x'Wx = V diag(l) V'`` and ``B = x'Wy`` the objective equals
    ``||diag(sqrt l) V' P - diag(1/sqrt l) V' B||^2`` up to a constant: a non-negative least
    squares problem in the ``R*C`` shares (``scipy.optimize.nnls``, exact active set), to
    which the row-sum equalities are added as heavily weighted rows (``penalty`` relative to
    ``trace(G)``); rows are finally renormalised. If NNLS fails, SLSQP is used.

    Parameters
    ----------
    x : numpy.ndarray
        Origin shares ``(U, R)``.
    y : numpy.ndarray
        Destination shares ``(U, C)``.
    w : numpy.ndarray, optional
        Unit weights ``(U,)``; default uniform.
    penalty : float
        Weight of the row-sum equations, relative to ``trace(G) / R``.
    zeros : numpy.ndarray of bool, optional
        ``(R, C)`` structural zeros, fixed at 0 (e.g. ``_entry -> _exit``).

    Returns
    -------
    P : numpy.ndarray
        ``(R, C)`` with rows on the simplex.
    info : dict
        ``solver`` used and its ``success``.

    Examples
    --------
    >>> x = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    >>> y = np.array([[1.1, -0.1], [0.3, 0.7], [0.7, 0.3]])
    >>> P, _ = simplex_least_squares(x, y)
    >>> bool((P >= 0).all()), P.sum(1).round(9).tolist()
    (True, [1.0, 1.0])
    """
    U, R = x.shape
    C = y.shape[1]
    free = np.ones(R * C, bool) if zeros is None else ~np.asarray(zeros, bool).ravel()
    w = np.ones(U) if w is None else np.asarray(w, float)
    w = w / w.sum()
    xw = x * w[:, None]
    G = xw.T @ x
    B = xw.T @ y
    lam, V = np.linalg.eigh(G)
    keep = lam > lam.max() * 1e-12
    sq = np.sqrt(lam[keep])
    L = sq[:, None] * V[:, keep].T  # (k, R): L'L = G
    rhs = (V[:, keep].T @ B) / sq[:, None]  # (k, C)
    big = np.sqrt(penalty * np.trace(G) / R)
    A = np.vstack([np.kron(L, np.eye(C)), big * np.kron(np.eye(R), np.ones((1, C)))])
    b = np.concatenate([rhs.ravel(), np.full(R, big)])
    try:
        p = np.zeros(R * C)
        p[free], _ = nnls(A[:, free], b, maxiter=50 * R * C)
        P = p.reshape(R, C)
        ok = bool(np.all(np.isfinite(P)) and np.allclose(P.sum(1), 1.0, atol=1e-4))
    except RuntimeError:
        ok = False
    if ok:
        return _project_free(P, free), {"solver": "nnls", "success": True}
    return _slsqp(G, B, R, C, free)


def _project_free(P: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Project each row's free cells onto the simplex; structural zeros stay 0."""
    if free.all():
        return project_rows_to_simplex(P)
    F = free.reshape(P.shape)
    out = np.zeros_like(P)
    for r in range(P.shape[0]):
        out[r, F[r]] = project_rows_to_simplex(P[r, F[r]][None, :])[0]
    return out


def _slsqp(
    G: np.ndarray, B: np.ndarray, R: int, C: int, free: np.ndarray
) -> tuple[np.ndarray, dict[str, Any]]:
    """Fallback: the same quadratic program with SLSQP and the exact gradient."""
    P0, *_ = np.linalg.lstsq(G, B, rcond=None)
    P0 = _project_free(P0, free)

    def fun(p: np.ndarray) -> tuple[float, np.ndarray]:
        Pm = p.reshape(R, C)
        GP = G @ Pm
        return float(np.sum(Pm * GP) - 2 * np.sum(Pm * B)), (2 * (GP - B)).ravel()

    A = np.kron(np.eye(R), np.ones((1, C)))
    cons = {"type": "eq", "fun": lambda p: A @ p - 1.0, "jac": lambda p: A}
    sol = minimize(
        fun,
        P0.ravel(),
        jac=True,
        method="SLSQP",
        bounds=[(0.0, 1.0) if f else (0.0, 0.0) for f in free],
        constraints=[cons],
        options={"ftol": 1e-13, "maxiter": 1000},
    )
    P = _project_free(sol.x.reshape(R, C), free)
    return P, {"solver": "slsqp", "success": bool(sol.success)}


def _zero_and_row_sum_constraints(zeros: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A vec(P) = q`` for ``P[zeros] = 0`` and rows summing to 1 (vec: column by column)."""
    R, C = zeros.shape
    rows_z, cols_z = np.nonzero(zeros)
    A = np.zeros((len(rows_z) + R, R * C))
    A[np.arange(len(rows_z)), cols_z * R + rows_z] = 1.0
    for r in range(R):
        A[len(rows_z) + r, r::R] = 1.0
    return A, np.r_[np.zeros(len(rows_z)), np.ones(R)]


def restrict_to_zeros(
    P: np.ndarray, covs: list[np.ndarray], zeros: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Restricted least squares: structural zeros at 0, rows summing to 1.

    Parameters
    ----------
    P : ndarray, shape (R, C)
        Unconstrained estimates, column ``c`` from its own regression.
    covs : list of C ndarrays, shape (R, R)
        Covariance of each column's estimates (destinations taken as independent).
    zeros : ndarray of bool, shape (R, C)
        Cells fixed at 0.

    Returns
    -------
    P_restricted : ndarray, shape (R, C)
        Estimates with ``P[zeros] == 0`` and rows summing to 1.
    se : ndarray, shape (R, C)
        Their standard errors (0 for the structural zeros).

    Examples
    --------
    >>> P = np.array([[0.7, 0.3], [0.8, 0.2]])
    >>> Q, se = restrict_to_zeros(P, [np.eye(2), np.eye(2)], np.array([[0, 0], [0, 1]], bool))
    >>> Q.round(3).tolist(), se.round(3).tolist()  # row 1 is now fully determined
    ([[0.7, 0.3], [1.0, 0.0]], [[0.707, 0.707], [0.0, 0.0]])
    """
    R, C = P.shape
    V = np.zeros((R * C, R * C))  # vec(P) column by column: index c * R + r
    for c, cov in enumerate(covs):
        V[c * R : (c + 1) * R, c * R : (c + 1) * R] = cov
    A, q = _zero_and_row_sum_constraints(zeros)
    b = P.T.ravel()
    VA = V @ A.T
    K = np.linalg.solve(A @ VA, np.eye(A.shape[0]))
    b_r = b - VA @ K @ (A @ b - q)
    V_r = V - VA @ K @ VA.T
    se = np.sqrt(np.clip(np.diag(V_r), 0.0, None))
    P_r, se = b_r.reshape(C, R).T.copy(), se.reshape(C, R).T.copy()
    P_r[zeros], se[zeros] = 0.0, 0.0
    return P_r, se


class Goodman:
    """Goodman ecological regression.

    Parameters
    ----------
    table : UnitTable or DataFrame or (X, T)
        Unit table.
    weights : {"wls", "ols"}
        Weight units by their size ``N_u`` (default) or equally.
    constrained : bool
        Restrict every row of shares to the simplex (quadratic program solved by NNLS).
    n_boot : int
        Bootstrap replicates for the intervals of the constrained fit (ignored otherwise).
    seed : int or None
        Seed of the bootstrap.
    progress : bool
        Show a progress bar (stderr) for long bootstraps.
    **table_options
        Passed to :func:`~congresslab.transfers.units.as_unit_table`.
    """

    name = "goodman"

    def __init__(
        self,
        table: Any,
        *,
        weights: str = "wls",
        constrained: bool = False,
        n_boot: int = 200,
        seed: int | None = 0,
        progress: bool = True,
        **table_options: Any,
    ) -> None:
        if weights not in ("wls", "ols"):
            raise ValueError(f"weights must be 'wls' or 'ols', got {weights!r}")
        self.table: UnitTable = as_unit_table(table, **table_options)
        self.weights = weights
        self.constrained = bool(constrained)
        self.n_boot = int(n_boot)
        self.seed = seed
        self.progress = progress

    def _design(self, tab: UnitTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        N = tab.totals
        x = tab.X / N[:, None]
        y = tab.T / N[:, None]
        w = N if self.weights == "wls" else np.ones_like(N)
        return x, y, w

    def fit(self, alpha: float = 0.05) -> TransferResults:
        """Fit the regression; see the class documentation."""
        t0 = time.perf_counter()
        tab = self.table
        x, y, w = self._design(tab)
        R, C = tab.shape
        if tab.n_units <= R:
            raise ValueError(
                f"goodman needs more units than origin categories: {tab.n_units} unit(s) for "
                f"{R} origins leave the regression without residual degrees of freedom; use "
                "'bounds' or 'lp'"
            )
        fits = [sm.WLS(y[:, c], x, weights=w).fit() for c in range(C)]
        P_ols = np.column_stack([f.params for f in fits])
        zeros = structural_zeros(tab.origin, tab.destination)

        def ols_interval(a: float) -> tuple[np.ndarray, np.ndarray]:
            ci = [np.asarray(f.conf_int(alpha=a)) for f in fits]
            return np.column_stack([c[:, 0] for c in ci]), np.column_stack([c[:, 1] for c in ci])

        P_fit, interval = P_ols, ols_interval
        if zeros.any() and not self.constrained:
            P_fit, se = restrict_to_zeros(P_ols, [f.cov_params() for f in fits], zeros)

            def interval(a: float) -> tuple[np.ndarray, np.ndarray]:
                half = stats.t.ppf(1 - a / 2, fits[0].df_resid) * se
                return P_fit - half, P_fit + half

        diag: dict[str, Any] = {
            "weights": self.weights,
            "constrained": self.constrained,
            # a destination with no votes in any unit has no variance: R² undefined (NaN)
            "r2": [float(f.rsquared) if f.centered_tss > 0 else float("nan") for f in fits],
            "condition_number": float(np.linalg.cond(x * np.sqrt(w)[:, None])),
        }
        oor = [
            (tab.origin[i], tab.destination[j], float(P_fit[i, j]))
            for i, j in zip(*np.nonzero((P_fit < 0) | (P_fit > 1)), strict=True)
        ]
        if not self.constrained:
            diag["structural_zeros"] = int(zeros.sum())
            diag["n_out_of_range"] = len(oor)
            diag["out_of_range"] = oor
            P, draws, kind, interval_fn = P_fit, None, "confidence", interval
            lo, hi = interval(alpha)
            options: dict[str, Any] = {"weights": self.weights, "constrained": False}
        else:
            P, info = simplex_least_squares(x, y, w, zeros=zeros)
            diag.update({"qp_" + k: v for k, v in info.items()})
            diag["n_out_of_range_unconstrained"] = len(oor)
            draws = self._bootstrap(x, y, w, zeros) if self.n_boot > 1 else None
            lo, hi = percentile_interval(draws, alpha) if draws is not None else (None, None)
            kind = "bootstrap" if draws is not None else "none"
            interval_fn = None
            options = {"weights": self.weights, "constrained": True, "n_boot": self.n_boot,
                       "seed": self.seed}
        return TransferResults(
            method=self.name, table=tab, params=P, lower=lo, upper=hi, alpha=alpha,
            interval_kind=kind, seconds=time.perf_counter() - t0, diagnostics=diag,
            interval_fn=interval_fn, draws=draws, options=options,
        )

    def _bootstrap(self, x: np.ndarray, y: np.ndarray, w: np.ndarray,
                   zeros: np.ndarray) -> np.ndarray:
        """Simplex fits on ``n_boot`` resamples of the units (an origin absent: NaN)."""
        from congresslab.transfers.models.lp import _progress

        tab = self.table
        rng = np.random.default_rng(self.seed)
        U, R, C = tab.n_units, len(tab.origin), len(tab.destination)
        draws = np.empty((self.n_boot, R, C))
        for b in _progress(range(self.n_boot), self.progress, "goodman bootstrap", self.n_boot):
            idx = rng.integers(0, U, U)
            draws[b], _ = simplex_least_squares(x[idx], y[idx], w[idx], zeros=zeros)
            draws[b][tab.X[idx].sum(0) == 0] = np.nan  # origin absent from the resample
        return draws
