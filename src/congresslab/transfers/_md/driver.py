"""Driver of the multinomial-Dirichlet sampler: :func:`fit_md` and its result :class:`MDFit`.

Validates the counts, sets up the chains' state, runs the compiled steps
(:mod:`congresslab.transfers._md.kernels`) in parallel threads by blocks, extends the chains
until the convergence criteria hold, and summarises the draws. The model and the steps are
described in :mod:`congresslab.transfers._md`; measured numbers are in ``reports/``.

Examples
--------
>>> import numpy as np
>>> X = np.array([[60, 40], [30, 70], [50, 50], [80, 20]])
>>> T = np.array([[55, 45], [40, 60], [50, 50], [65, 35]])
>>> fit = fit_md(X, T, chains=2, draws=50, warmup=50, progress=False, check=False)
>>> fit.agg_draws.shape, fit.unit_mean.shape
((2, 50, 2, 2), (4, 2, 2))
>>> bool(np.allclose(fit.agg_draws.sum(-1), 1.0))
True
"""

from __future__ import annotations

import os
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm import tqdm

from congresslab.transfers._md.densities import _TINY
from congresslab.transfers._md.kernels import RIDGE_MIX, run_seeded
from congresslab.transfers.diagnostics import ConvergenceWarning, ess_bulk, ess_tail, rhat

__all__ = ["COLLAPSE_MAX_MEDIAN_UNIT", "MDFit", "fit_md", "ConvergenceWarning", "validate_counts"]

# extensions stop at 64 x the requested number of draws: SIMULATED 2025-like congresses needed
# tens of thousands of draws per chain with the learned prior rate (reports/md_sampler.md)
_MAX_LENGTH_FACTOR = 64
_MAX_STEP = 0.5  # an extension adds at most half the stored draws
_RHAT_SCALE = 0.01  # R-hat - 1 is assumed to shrink like 1 / draws towards this
#: ``fit_md(collapse=None)`` adds step 1b when the median unit has at most this many voters
COLLAPSE_MAX_MEDIAN_UNIT = 64


@dataclass(frozen=True)
class MDFit:
    """Result of :func:`fit_md`.

    Attributes
    ----------
    agg_draws : ndarray, shape (chains, settings["draws"], R, C)
        Posterior draws of the aggregate transfer shares
        ``sum_i X_ir beta_irc / sum_i X_ir`` (each row sums to 1).
    unit_mean, unit_lo, unit_hi : ndarray, shape (U, R, C)
        Posterior mean and 2.5 % / 97.5 % quantiles of the unit-level shares ``beta_irc``.
        The quantiles are computed from at most ``settings["unit_quantile_draws"]`` draws
        (evenly spread, or after extensions a uniform random sample of the retained ones;
        memory bound); the mean uses all of them.
    rhat, ess_bulk, ess_tail : ndarray, shape (R, C)
        Rank-normalised split R-hat, bulk ESS and tail ESS of ``agg_draws``.
    converged : bool
        ``max(rhat) <= 1.01`` and ``min(ess_bulk) >= 400``.
    seconds : float
        Wall-clock time of the fit.
    settings : dict
        The arguments used, plus acceptance rates of the Metropolis moves.
    alpha_mean : ndarray, shape (R, C)
        Posterior mean of the Dirichlet parameters ``alpha`` (NaN for structural zeros).
    """

    agg_draws: np.ndarray
    unit_mean: np.ndarray
    unit_lo: np.ndarray
    unit_hi: np.ndarray
    rhat: np.ndarray
    ess_bulk: np.ndarray
    ess_tail: np.ndarray
    converged: bool
    seconds: float
    settings: dict = field(default_factory=dict)
    alpha_mean: np.ndarray | None = None

    @property
    def agg_mean(self) -> np.ndarray:
        """Posterior mean of the aggregate shares, shape (R, C)."""
        return self.agg_draws.mean(axis=(0, 1))


# --------------------------------------------------------------------------- validation


def validate_counts(X: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check origin/destination count tables and return them as int64 arrays.

    Parameters
    ----------
    X : array_like, shape (U, R)
        Origin (row) counts per unit.
    T : array_like, shape (U, C)
        Destination (column) counts per unit, with the same per-unit totals as ``X``.

    Returns
    -------
    X, T : ndarray of int64

    Raises
    ------
    ValueError
        On wrong dimensions, different numbers of units, NaN, infinite, negative or
        non-integer counts, units with zero total, or unequal row/column totals
        (the message names the first offending unit index).

    Examples
    --------
    >>> validate_counts([[1, 2]], [[2, 1]])[0]
    array([[1, 2]])
    >>> validate_counts([[1, 2]], [[2, 2]])
    Traceback (most recent call last):
    ...
    ValueError: unit 0: origin total 3 != destination total 4
    """
    Xa = np.asarray(X, dtype=float)
    Ta = np.asarray(T, dtype=float)
    if Xa.ndim != 2 or Ta.ndim != 2:
        raise ValueError(f"X and T must be 2-D (units x categories), got {Xa.shape} and {Ta.shape}")
    if Xa.shape[0] != Ta.shape[0]:
        raise ValueError(f"shape mismatch: X has {Xa.shape[0]} units, T has {Ta.shape[0]}")
    if Xa.shape[0] < 1 or Xa.shape[1] < 1:
        raise ValueError(f"X needs at least one unit and one row, got shape {Xa.shape}")
    if Ta.shape[1] < 2:
        raise ValueError(f"T needs at least two destination columns, got shape {Ta.shape}")
    for name, a in (("X", Xa), ("T", Ta)):
        bad = ~np.isfinite(a)
        if bad.any():
            i = int(np.argwhere(bad)[0, 0])
            raise ValueError(f"{name} has NaN or infinite counts (first at unit {i})")
        if (a < 0).any():
            i = int(np.argwhere(a < 0)[0, 0])
            raise ValueError(f"{name} has negative counts (first at unit {i})")
        if (a != np.round(a)).any():
            i = int(np.argwhere(a != np.round(a))[0, 0])
            raise ValueError(f"{name} has non-integer counts (first at unit {i})")
    nx = Xa.sum(1)
    nt = Ta.sum(1)
    zero = np.flatnonzero(nx == 0)
    if zero.size:
        raise ValueError(f"unit {zero[0]} has zero total (drop empty units)")
    empty_rows = np.flatnonzero(Xa.sum(0) == 0)
    if empty_rows.size:
        raise ValueError(f"origin row {empty_rows[0]} has zero total over all units (drop it)")
    diff = np.flatnonzero(nx != nt)
    if diff.size:
        i = int(diff[0])
        raise ValueError(f"unit {i}: origin total {nx[i]:.0f} != destination total {nt[i]:.0f}")
    return Xa.astype(np.int64), Ta.astype(np.int64)


def _zero_mask(mask: np.ndarray | None, X: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Validate a structural-zero mask; return it as a float (R, C) array (1 = zero)."""
    R, C = X.shape[1], T.shape[1]
    if mask is None:
        return np.zeros((R, C))
    z = np.asarray(mask, dtype=bool)
    if z.shape != (R, C):
        raise ValueError(f"structural_zeros must have shape (R, C) = {(R, C)}, got {z.shape}")
    free = (~z).sum(1)
    if (free < 2).any():
        r = int(np.flatnonzero(free < 2)[0])
        raise ValueError(f"structural_zeros: origin row {r} needs at least two free cells")
    # a destination with voters needs a free cell in a row with voters, and vice versa
    col_ok = (X > 0).astype(int) @ (~z).astype(int) > 0  # (U, C)
    row_ok = (T > 0).astype(int) @ (~z).T.astype(int) > 0  # (U, R)
    for ok, data, side in ((col_ok, T, "destination"), (row_ok, X, "origin")):
        bad = np.argwhere((data > 0) & ~ok)
        if bad.size:
            i, j = (int(v) for v in bad[0])
            raise ValueError(
                f"structural_zeros: unit {i} has voters in {side} {j} but no free cell "
                "can hold them"
            )
    return z.astype(float)



def _diagnose(agg, R, C, check, zm, funcs=(rhat, ess_bulk)):
    """``funcs`` (by default R-hat and bulk ESS, what the extensions need) per cell.

    NaN for structural zeros (constant 0), or everywhere when unchecked or too short.
    """
    if not check or agg.shape[1] < 4:
        return tuple(np.full((R, C), np.nan) for _ in funcs)
    out = []
    for f in funcs:
        v = np.asarray(f(agg), dtype=float).reshape(R, C)
        v[zm > 0] = np.nan
        out.append(v)
    return tuple(out)


def _converged(rh, eb, zm):
    free = zm == 0
    rh, eb = rh[free], eb[free]
    return bool(np.all(np.isfinite(rh)) and rh.max() <= 1.01 and eb.min() >= 400)


def _rate_grid(rate_prior: Any) -> tuple[float, float, int] | None:
    """``(lo, hi, m)`` of a ``("grid", lo, hi, m)`` hyperprior, None for a Gamma one."""
    if not (isinstance(rate_prior, tuple | list) and rate_prior and rate_prior[0] == "grid"):
        return None
    if len(rate_prior) != 4:
        raise ValueError(f"rate_prior=('grid', lo, hi, m) needs 4 items, got {rate_prior!r}")
    lo, hi, m = float(rate_prior[1]), float(rate_prior[2]), rate_prior[3]
    if not (0 < lo < hi and int(m) == m and m >= 2):
        raise ValueError(
            f"rate_prior=('grid', lo, hi, m) needs 0 < lo < hi and an integer m >= 2, "
            f"got {rate_prior!r}"
        )
    return lo, hi, int(m)


def fit_md(
    X: np.ndarray,
    T: np.ndarray,
    *,
    chains: int = 4,
    draws: int = 1000,
    warmup: int = 1000,
    thin: int = 1,
    seed: int | None = 0,
    progress: bool = True,
    lambda1: float = 4.0,
    lambda2: float | None = None,
    rate_prior: tuple[float, float] | tuple[str, float, float, int] = (1.0, 1.0),
    ridge_moves: int | None = None,
    shift_moves: int | None = None,
    unit_quantile_draws: int = 1000,
    check: bool = True,
    max_extensions: int = 12,
    structural_zeros: np.ndarray | None = None,
    collapse: bool | None = None,
) -> MDFit:
    """Fit the hierarchical multinomial-Dirichlet R x C model by MCMC.

    Parameters
    ----------
    X : array_like of int, shape (U, R)
        Origin (row) counts per unit.
    T : array_like of int, shape (U, C)
        Destination (column) counts per unit; ``T[i].sum() == X[i].sum()``.
    chains : int
        Number of chains, run in parallel threads (as many as there are cores).
    draws : int
        Retained draws per chain (after thinning).
    warmup : int
        Warm-up iterations per chain (discarded; proposal scales adapt only here).
    thin : int
        Keep one iteration in ``thin``; the sampler runs ``warmup + draws * thin``
        iterations.
    seed : int or None
        Seed of :func:`numpy.random.default_rng`; the same seed gives bit-identical output.
    progress : bool
        Show a tqdm progress bar on stderr.
    lambda1 : float
        Shape of the Gamma prior on every ``alpha[r, c]`` (4, as in eiPack and PyEI).
    lambda2 : float, optional
        Rate of that prior. By default (None) it is learned, with the hyperprior
        ``Gamma(rate_prior[0], rate_prior[1])``; its posterior mean is
        ``settings["rate_mean"]``. A number fixes it: 0.5 is the prior PyEI's
        ``multinomial-dirichlet`` actually uses (mean 8), 2 is eiPack's ``ei.MD.bayes``
        (mean 2). ``reports/benchmarks.md`` compares the three.
    rate_prior : (float, float) or ("grid", float, float, int)
        Hyperprior on ``lambda2`` when it is learned: shape and rate of a Gamma, or
        ``("grid", lo, hi, m)``, a discrete log-uniform prior on ``m`` log-spaced rates from
        ``lo`` to ``hi`` (the rate is then drawn from its exact conditional over the grid,
        which averages the fixed-rate models by their marginal likelihood).
    ridge_moves : int, optional
        Within-unit 2 x 2 Metropolis moves per unit and iteration (default
        ``max(R, C) + 2``).
    shift_moves : int, optional
        Global moves (all units along one 2 x 2 line, with ``alpha`` redrawn) per
        iteration (default ``3 * R * C``, at a cost of about one data-augmentation sweep;
        ``reports/md_sampler.md``).
    unit_quantile_draws : int
        Maximum number of pooled draws kept to compute ``unit_lo`` / ``unit_hi``.
    check : bool
        Compute diagnostics and warn (:class:`ConvergenceWarning`) if not converged. With
        ``check=False`` the diagnostics are NaN and ``converged`` is False (for quick
        exploratory runs).
    max_extensions : int
        If the diagnostics fail after ``warmup + draws * thin`` iterations, continue the
        same chains up to this many times, appending draws: as many as the measured bulk
        ESS and R-hat ask for (10 % margin, from a quarter to a half more draws: short
        runs underestimate the ESS rate), so ``agg_draws`` can end with more than
        ``draws`` draws per chain (``settings["draws"]``). Extensions stop at 64 times
        ``draws`` (and ``max_extensions`` steps), so a run costs at most about
        ``warmup + 64 * draws * thin`` iterations (lengths measured on the benchmark and
        SIMULATED sets: ``reports/md_sampler.md``).
        The result is deterministic given ``seed``. Use 0 for a fixed-length run.
    structural_zeros : array_like of bool, shape (R, C), optional
        Cells that cannot hold voters (e.g. new members who left before the second
        round): their share is 0 in every unit and every draw, and each row's Dirichlet
        is over its other cells. Every row needs two free cells, and every unit's voters
        must be placeable: a destination with voters needs a free cell in a row that has
        voters, and vice versa.
    collapse : bool, optional
        Add step 1b, an update of ``alpha`` with ``beta`` integrated out (see
        :mod:`congresslab.transfers._md`). Default (None): when the median unit has at most
        ``COLLAPSE_MAX_MEDIAN_UNIT`` (64) voters, where it pays for its cost.

    Returns
    -------
    MDFit

    Raises
    ------
    ValueError
        For invalid counts (see :func:`validate_counts`), invalid settings or structural
        zeros that leave a unit's voters nowhere to go.

    Examples
    --------
    >>> X = np.array([[30, 10], [10, 30], [20, 20]])
    >>> T = np.array([[25, 15], [15, 25], [20, 20]])
    >>> fit = fit_md(X, T, chains=2, draws=20, warmup=20, seed=1, progress=False,
    ...              check=False)
    >>> fit.unit_lo.shape == fit.unit_hi.shape == (3, 2, 2)
    True
    >>> again = fit_md(X, T, chains=2, draws=20, warmup=20, seed=1, progress=False,
    ...                check=False)
    >>> bool(np.array_equal(fit.agg_draws, again.agg_draws))
    True
    """
    t_start = time.perf_counter()
    X, T = validate_counts(X, T)
    for name, v in (("chains", chains), ("draws", draws), ("thin", thin)):
        if int(v) != v or v < 1:
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    if int(warmup) != warmup or warmup < 0:
        raise ValueError(f"warmup must be a non-negative integer, got {warmup!r}")
    if not lambda1 > 0 or (lambda2 is not None and not lambda2 > 0):
        raise ValueError(f"lambda1 and lambda2 must be positive, got {lambda1}, {lambda2}")
    grid = _rate_grid(rate_prior) if lambda2 is None else None
    h1, h2 = (0.0, 0.0) if grid is not None else (float(v) for v in rate_prior)
    if lambda2 is None and grid is None and not (h1 > 0 and h2 > 0):
        raise ValueError(f"rate_prior must be two positive numbers, got {rate_prior!r}")
    U, R = X.shape
    C = T.shape[1]
    K = int(chains)
    if ridge_moves is None:
        ridge_moves = max(R, C) + 2
    if shift_moves is None:
        shift_moves = 3 * R * C
    if R < 2:
        ridge_moves, shift_moves = 0, 0
    zm = _zero_mask(structural_zeros, X, T)
    rng = np.random.default_rng(seed)
    if collapse is None:
        collapse = bool(np.median(X.sum(1)) <= COLLAPSE_MAX_MEDIAN_UNIT)

    N = X.sum(1)
    x = X / N[:, None]  # (U, R) origin proportions
    Xrow = X.sum(0).astype(float)  # (R,)

    # initial state: every row near the unit's column shares, random across chains;
    # alpha from its prior
    g = rng.standard_gamma(np.broadcast_to((T + 1.0)[None, :, None, :], (K, U, R, C)))
    beta = np.where(zm > 0, 0.0, np.maximum(g, _TINY))
    beta /= beta.sum(-1, keepdims=True)
    # (shape, rate, hyper-shape, hyper-rate, log lo, log hi, m) per chain; hyper-shape 0 and
    # m = 0: fixed rate
    prior = np.zeros((K, 7))
    prior[:, 0] = lambda1
    if grid is not None:
        prior[:, 4:] = np.log(grid[0]), np.log(grid[1]), grid[2]
        prior[:, 1] = np.exp(rng.uniform(prior[0, 4], prior[0, 5], size=K))
    elif lambda2 is None:
        prior[:, 1] = rng.gamma(h1, 1.0 / h2, size=K)
        prior[:, 2:4] = h1, h2
    else:
        prior[:, 1] = lambda2
    phi = np.log(rng.gamma(lambda1, 1.0 / prior[:, 1, None, None], size=(K, R, C)))
    mode = np.zeros((K, R, C))
    chol = np.zeros((K, R, C, C))
    scale = np.full((K, 2), 0.5)
    mix = np.array(RIDGE_MIX[bool(collapse)])

    total = int(warmup) + int(draws) * int(thin)
    agg = np.empty((K, int(draws), R, C))
    unit_sums = np.zeros((K, U, R, C))  # one accumulator per chain: chains run in threads
    alpha_sums = np.zeros((K, R, C))
    per_chain_q = max(1, -(-int(unit_quantile_draws) // K))
    keep_idx = np.unique(np.linspace(0, draws - 1, min(draws, per_chain_q)).round().astype(int))
    keep_pos = np.full(int(draws), -1, dtype=np.int64)
    keep_pos[keep_idx] = np.arange(keep_idx.size)
    qbuf = np.empty((K, keep_idx.size, U, R, C), dtype=np.float32)
    accs = np.zeros((K, 4))

    Xf = X.astype(float)
    Ti = np.ascontiguousarray(T, dtype=np.int64)
    pool = ThreadPoolExecutor(max_workers=max(1, min(K, os.cpu_count() or 1)))

    def one_chain(k, seed_value, m, base, j0, thin_k, keep):
        s = slice(k, k + 1)
        run_seeded(
            seed_value, m, done, int(warmup), base, j0, thin_k, Xf, x, Ti, Xrow, zm, beta[s],
            phi[s], mode[s], chol[s], scale[s], prior[s],
            int(ridge_moves), int(shift_moves), agg[s], unit_sums[k], alpha_sums[k], qbuf[s],
            keep, accs[k], bool(collapse), mix,
        )  # fmt: skip

    def sample(n_iter, base, j0, thin_k, keep, bar):
        nonlocal done
        block = max(1, min(100, n_iter // 20 if n_iter >= 20 else n_iter))
        end = done + n_iter
        while done < end:
            m = min(block, end - done)
            seeds = rng.integers(0, 2**31 - 1, size=K)
            jobs = [pool.submit(one_chain, k, int(seeds[k]), m, base, j0, thin_k, keep)
                    for k in range(K)]
            for job in jobs:
                job.result()
            done += m
            bar.update(m)

    done = 0
    with tqdm(total=total, disable=not progress, file=sys.stderr, desc="MD sampler") as bar:
        sample(total, int(warmup), 0, int(thin), keep_pos, bar)
    n_stored = int(draws)
    rh, eb = _diagnose(agg, R, C, check, zm)
    extensions = 0
    max_stored = _MAX_LENGTH_FACTOR * int(draws)
    slots = qbuf.shape[1]
    while (
        check
        and extensions < max_extensions
        and n_stored < max_stored
        and draws >= 8
        and not _converged(rh, eb, zm)
    ):
        # extension: continue the same chains and append draws. Bulk ESS grows and
        # R-hat - 1 shrinks about linearly with the number of draws, so ask for what the
        # bulk ESS and R-hat still lack (10 % margin, at least a quarter more draws), at
        # most half as many again: short runs underestimate the ESS rate, and a smaller
        # step overshoots less (measured: a doubling rule ended 30-100 % past the length
        # at which the criteria first held), within the length cap
        need = 1.1 * max(400.0 / max(np.nanmin(eb), 1.0), (np.nanmax(rh) - 1.0) / _RHAT_SCALE)
        n_new = int(np.ceil(n_stored * min(max(need - 1.0, 0.25), _MAX_STEP)))
        n_new = min(n_new, max_stored - n_stored)
        agg = np.concatenate([agg, np.empty((K, n_new, R, C))], axis=1)
        # the draws kept for the unit quantiles stay a uniform sample of all draws
        # (reservoir sampling: draw j replaces a random slot with probability slots / (j+1))
        keep2 = np.full(n_stored + n_new, -1, dtype=np.int64)
        j = np.arange(n_stored, n_stored + n_new)
        slot = np.floor(rng.random(n_new) * (j + 1)).astype(np.int64)
        keep2[j] = np.where(slot < slots, slot, -1)
        with tqdm(
            total=n_new * int(thin),
            disable=not progress,
            file=sys.stderr,
            desc=f"MD sampler (extension {extensions + 1}: {n_new} more draws per chain)",
        ) as bar:
            sample(n_new * int(thin), done, n_stored, int(thin), keep2, bar)
        n_stored += n_new
        extensions += 1
        rh, eb = _diagnose(agg, R, C, check, zm)
    pool.shutdown()
    (et,) = _diagnose(agg, R, C, check, zm, (ess_tail,))
    total = done
    unit_sum, alpha_sum, acc = unit_sums.sum(0), alpha_sums.sum(0), accs.sum(0)

    n_kept = K * n_stored
    pooled = qbuf.reshape(-1, U, R, C)
    unit_lo, unit_hi = np.quantile(pooled, [0.025, 0.975], axis=0).astype(float)
    settings = {
        "chains": K,
        "draws": int(n_stored),
        "draws_requested": int(draws),
        "warmup": int(warmup),
        "thin": int(thin),
        "extensions": int(extensions),
        "iterations": int(total),
        "seed": seed,
        "lambda1": float(lambda1),
        "lambda2": None if lambda2 is None else float(lambda2),
        "rate_prior": None if lambda2 is not None else list(rate_prior),
        "rate_mean": float(acc[3] / n_kept),
        "ridge_moves": int(ridge_moves),
        "shift_moves": int(shift_moves),
        "collapse": bool(collapse),
        "unit_quantile_draws": int(pooled.shape[0]),
        "acceptance": {
            "ridge": float(acc[0] / max(1, K * total * U * ridge_moves)),
            "alpha": float(acc[1] / max(1, K * total * R * 2)),
            "shift": float(acc[2] / max(1, K * total * shift_moves)),
        },
        "shift_scale": scale.tolist(),
        "aggregate": "sum_i X_ir beta_irc / sum_i X_ir",
    }
    if check and draws < 4:
        warnings.warn(
            f"MD sampler: {draws} draws per chain are too few to compute R-hat and ESS"
            " (need >= 4; use draws >= 1000).",
            ConvergenceWarning,
            stacklevel=2,
        )
    converged = _converged(rh, eb, zm)
    if check and draws >= 4 and not converged:
        warnings.warn(
            f"MD sampler not converged: max R-hat {np.nanmax(rh):.3f} (need <= 1.01),"
            f" min bulk ESS {np.nanmin(eb):.0f} (need >= 400) over the aggregate shares."
            f" ({n_stored} draws per chain after {extensions} extension(s).) Run longer: more"
            " draws, larger thin or max_extensions; bulk ESS grows about linearly with"
            " draws * thin.",
            ConvergenceWarning,
            stacklevel=2,
        )
    alpha_mean = alpha_sum / n_kept
    alpha_mean[zm > 0] = np.nan  # prior draws only: not a parameter of the model
    return MDFit(
        agg_draws=agg,
        unit_mean=unit_sum / n_kept,
        unit_lo=unit_lo,
        unit_hi=unit_hi,
        rhat=rh,
        ess_bulk=eb,
        ess_tail=et,
        converged=converged,
        seconds=time.perf_counter() - t_start,
        settings=settings,
        alpha_mean=alpha_mean,
    )
