"""Duncan–Davis (Fréchet) bounds of the transfer shares, per unit and aggregated.

In unit ``u`` with ``N_u`` voters, ``X_ur`` of origin ``r`` and ``T_uc`` of destination ``c``,
the number of voters going from ``r`` to ``c`` lies in
``[max(0, X_ur + T_uc - N_u), min(X_ur, T_uc)]`` whatever happened; dividing by ``X_ur`` gives
bounds on the share. Aggregate bounds are the vote-weighted sums of the unit bounds (the
aggregate count is a sum of unit counts, each within its bounds). These bounds are sharp and
certain: any estimate outside them contradicts the data.

The point estimate is the midpoint of the aggregate bounds, rows renormalised to sum to 1; the
interval is the bounds themselves.

Examples
--------
>>> import numpy as np
>>> lo, hi = unit_bounds(np.array([[60., 40.]]), np.array([[70., 30.]]))
>>> lo[0].round(3).tolist(), hi[0].round(3).tolist()
([[0.5, 0.0], [0.25, 0.0]], [[1.0, 0.5], [1.0, 0.75]])
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from congresslab.transfers.results import TransferResults
from congresslab.transfers.units import UnitTable, as_unit_table

__all__ = ["unit_bounds", "aggregate_bounds", "clip_to_bounds", "Bounds"]


def unit_bounds(X: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-unit share bounds, vectorised over units.

    Parameters
    ----------
    X : numpy.ndarray
        Origin counts ``(U, R)``.
    T : numpy.ndarray
        Destination counts ``(U, C)`` with ``T.sum(1) == X.sum(1)``.

    Returns
    -------
    lower, upper : numpy.ndarray
        Shares, shape ``(U, R, C)``. Where ``X_ur == 0`` the share is unidentified and the
        bounds are ``[0, 1]``.
    """
    X = np.asarray(X, float)
    T = np.asarray(T, float)
    N = X.sum(1)[:, None, None]
    Xr = X[:, :, None]
    Tc = T[:, None, :]
    lo_n = np.maximum(0.0, Xr + Tc - N)
    hi_n = np.minimum(Xr, Tc)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = np.where(Xr > 0, lo_n / Xr, 0.0)
        hi = np.where(Xr > 0, hi_n / Xr, 1.0)
    return np.clip(lo, 0, 1), np.clip(hi, 0, 1)


def aggregate_bounds(X: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Aggregate share bounds ``(R, C)``: vote-weighted sums of the unit bounds.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[100., 0.], [0., 100.]]); T = np.array([[80., 20.], [30., 70.]])
    >>> lo, hi = aggregate_bounds(X, T)
    >>> np.allclose(lo, hi), lo.round(2).tolist()
    (True, [[0.8, 0.2], [0.3, 0.7]])
    """
    X = np.asarray(X, float)
    lo, hi = unit_bounds(X, T)
    w = X[:, :, None]
    tot = X.sum(0)[:, None]
    return (w * lo).sum(0) / tot, (w * hi).sum(0) / tot


def clip_to_bounds(
    lower: np.ndarray, upper: np.ndarray, point: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """An interval ``[lower, upper]`` cut to the aggregate bounds ``[lo, hi]``.

    The bounds are certain (any value outside contradicts the data), so the part of an
    interval outside them is dropped: this never loses the truth. The point estimate (cut
    to the bounds too) stays inside the interval, so that an interval lying wholly outside
    the bounds does not shrink to a single bound. NaN (no estimate) stays NaN.

    Examples
    --------
    >>> lo, hi = np.array([0.4]), np.array([0.9])
    >>> clip_to_bounds(np.array([0.3]), np.array([0.95]), np.array([0.6]), lo, hi)
    (array([0.4]), array([0.9]))
    >>> clip_to_bounds(np.array([0.92]), np.array([0.97]), np.array([0.8]), lo, hi)
    (array([0.8]), array([0.9]))
    """
    p = np.clip(point, lo, hi)
    return np.minimum(np.clip(lower, lo, hi), p), np.maximum(np.clip(upper, lo, hi), p)


def _midpoint(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    mid = (lo + hi) / 2
    s = mid.sum(-1, keepdims=True)
    C = mid.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, mid / s, 1.0 / C)


class Bounds:
    """Deterministic Duncan–Davis bounds model.

    Parameters
    ----------
    table : UnitTable or DataFrame or (X, T)
        The unit table (a DataFrame needs ``unit``, ``origin``, ``destination`` options).
    **table_options
        Passed to :func:`~congresslab.transfers.units.as_unit_table`.

    Examples
    --------
    >>> import numpy as np
    >>> from congresslab.transfers import UnitTable
    >>> tab = UnitTable.from_arrays([[90, 10], [10, 90]], [[80, 20], [20, 80]])
    >>> res = Bounds(tab).fit()
    >>> res.conf_int()[["lower", "upper"]].round(2).to_numpy().tolist()
    [[0.7, 0.9], [0.1, 0.3], [0.1, 0.3], [0.7, 0.9]]
    """

    name = "bounds"

    def __init__(self, table: Any, **table_options: Any) -> None:
        self.table: UnitTable = as_unit_table(table, **table_options)

    def fit(self, alpha: float = 0.05) -> TransferResults:
        """Compute unit and aggregate bounds; point estimate = renormalised midpoint."""
        t0 = time.perf_counter()
        X, T = self.table.X, self.table.T
        ulo, uhi = unit_bounds(X, T)
        w = X[:, :, None]
        tot = X.sum(0)[:, None]
        lo = (w * ulo).sum(0) / tot
        hi = (w * uhi).sum(0) / tot
        est = _midpoint(lo, hi)
        width = hi - lo
        diag = {
            "mean_width": float(np.average(width, weights=np.broadcast_to(tot, width.shape))),
            "max_width": float(width.max()),
            "informative_cells": int((width < 0.5).sum()),
        }
        return TransferResults(
            method=self.name,
            table=self.table,
            params=est,
            lower=lo,
            upper=hi,
            alpha=alpha,
            interval_kind="bounds",
            seconds=time.perf_counter() - t0,
            diagnostics=diag,
            unit_params=_midpoint(ulo, uhi),
            unit_lower=ulo,
            unit_upper=uhi,
        )
