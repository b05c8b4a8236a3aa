"""Rounding to integers with exact totals: largest remainders, raking and controlled rounding.

Used by the congress simulator (:mod:`congresslab.sim`) and by the Bayesian model, whose
multinomial sampler needs integer counts
(:func:`congresslab.transfers.models.bayes.integer_counts`).

Examples
--------
>>> largest_remainder([[0.2, 1.5, 1.3]], [3]).tolist()
[[0.0, 2.0, 1.0]]
>>> apportion([42.21, 40.38, 17.41], 100).tolist()
[42, 40, 18]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["largest_remainder", "apportion", "ipf", "controlled_round", "rake_round"]


def largest_remainder(a: Sequence[Sequence[float]] | np.ndarray,
                      totals: Sequence[float] | np.ndarray) -> np.ndarray:
    """Round each row of ``a`` to whole numbers summing to ``totals`` (largest remainders).

    Parameters
    ----------
    a : array of shape (n, k)
        Non-negative values already scaled so that each row sums to about its total.
    totals : array of shape (n,)
        Whole row totals.

    Returns
    -------
    numpy.ndarray
        Float array of whole numbers; ties go to the first column (stable order).
    """
    a = np.asarray(a, dtype=float)
    totals = np.asarray(totals, dtype=float)
    fl = np.floor(a)
    short = (totals - fl.sum(1)).astype(int)
    order = np.argsort(-(a - fl), axis=1, kind="stable")
    add = np.zeros_like(fl)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(a.shape[1])[None, :].repeat(len(a), 0), axis=1)
    add[ranks < short[:, None]] = 1
    return fl + add


def apportion(weights: Sequence[float] | np.ndarray, total: int) -> np.ndarray:
    """Share ``total`` between ``weights`` in whole numbers (largest remainders).

    Parameters
    ----------
    weights : sequence of float
        Non-negative weights, e.g. published shares in %.
    total : int
        Whole number to share out.

    Returns
    -------
    numpy.ndarray of int64
        Whole numbers summing to ``total``.
    """
    w = np.asarray(weights, dtype=float)
    return largest_remainder((w / w.sum() * total)[None, :], [total])[0].astype(np.int64)


def ipf(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """Iterative proportional fitting of ``seed`` to row and column totals."""
    x = seed.astype(float).copy()
    for _ in range(5000):
        rs = x.sum(axis=1)
        x *= np.divide(rows, rs, out=np.zeros_like(rs), where=rs > 0)[:, None]
        cs = x.sum(axis=0)
        x *= np.divide(cols, cs, out=np.zeros_like(cs), where=cs > 0)[None, :]
        if np.abs(x.sum(axis=1) - rows).max() < tol * max(1.0, rows.max()):
            break
    return x


def controlled_round(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Round a non-negative matrix to integers with exact integer row and column sums."""
    from scipy import optimize, sparse  # imported here: `congresslab --help` does not need it

    fl = np.floor(x + 1e-9)
    fl = np.minimum(fl, np.floor(x) + 1)
    fl[fl < 0] = 0
    fl = fl.astype(np.int64)
    r_def = rows - fl.sum(axis=1)
    c_def = cols - fl.sum(axis=0)
    if (r_def < 0).any() or (c_def < 0).any():
        # floor overshoot from inexact raking: fall back on a coarser floor
        fl = np.floor(x * (1 - 1e-7)).astype(np.int64)
        r_def = rows - fl.sum(axis=1)
        c_def = cols - fl.sum(axis=0)
    if r_def.sum() == 0:
        return fl
    nr, nc = x.shape
    frac = x - fl
    upper = (x > 0).astype(float).ravel()
    idx = np.arange(nr * nc)
    a_rows = sparse.csr_matrix((np.ones(nr * nc), (idx // nc, idx)), shape=(nr, nr * nc))
    a_cols = sparse.csr_matrix((np.ones(nr * nc), (idx % nc, idx)), shape=(nc, nr * nc))
    res = optimize.linprog(
        -frac.ravel(),
        A_eq=sparse.vstack([a_rows, a_cols]).tocsr(),
        b_eq=np.concatenate([r_def, c_def]).astype(float),
        bounds=np.column_stack([np.zeros(nr * nc), upper]),
        method="highs-ds",
    )
    if not res.success:
        raise RuntimeError(f"controlled rounding failed: {res.message}")
    return fl + np.round(res.x).astype(np.int64).reshape(nr, nc)


def rake_round(counts: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Rake integer ``counts`` to the totals, then round them back to integers."""
    seed = counts + 1e-3 * (counts.sum(axis=0, keepdims=True) > 0)
    seed = np.where(rows[:, None] > 0, seed, 0.0)
    x = ipf(seed, rows.astype(float), cols.astype(float))
    return controlled_round(x, rows.astype(np.int64), cols.astype(np.int64))
