"""Hierarchical multinomial-Dirichlet R x C ecological inference (Rosen et al. 2001).

Model (as in eiPack ``ei.MD.bayes`` and PyEI ``multinomial-dirichlet``, plus a hyperprior
on the rate), for units ``i = 1..U`` with origin counts ``X[i, r]`` (row totals ``N_i``)
and destination counts ``T[i, c]`` (same totals)::

    lambda2      ~ Gamma(shape=h1, rate=h2)      (h1 = h2 = 1; fixed if lambda2 is given)
    alpha[r, c]  ~ Gamma(shape=lambda1, rate=lambda2)            i.i.d.
    beta[i, r]   ~ Dirichlet(alpha[r])                           (simplex over columns)
    T[i]         ~ Multinomial(N_i, theta_i),  theta_ic = sum_r X_ir / N_i * beta_irc

Prior: the Gamma rate ``lambda2`` sets how alike the units are a priori (the concentration
``sum_c alpha[r, c]`` of a row has prior mean ``lambda1 C / lambda2``), and the two reference
tools differ on it, although both say "lambda1 = 4, lambda2 = 2". eiPack uses ``lambda2`` as
the rate (``(lambda1 - 1) log(alpha) - lambda2 alpha`` in its C code, and
``rgamma(n, lambda1, lambda2)`` for the starting values): mean 2. PyEI passes
``beta=1 / lmbda2`` to PyMC's Gamma, whose ``beta`` is also a rate: rate 0.5, mean 8 (its
comment says "chosen to match eiPack"). Neither fixed rate was right on every set: rate 0.5
was better on 5 of the 6 real benchmark sets, but worse on nz2014_northcote (8.19 % against
6.59 %) and on the most heterogeneous SIMULATED congresses. So by default the rate is
learned: ``lambda2 ~ Gamma(1, 1)``, updated by its exact conditional (step 0 below). Its
posterior has shape ``1 + lambda1 R C`` (17 for a 2 x 2 table, 81 for 5 x 4), so the
hyperprior weighs little against the ``R C`` Dirichlet parameters: the data choose how
strongly to pool. The three priors on the same sampler (``reports/benchmarks.md``, rows
``bayes``, ``bayes_pyei_prior`` and ``bayes_eipack_prior``), EI %:

=========================  ===============  ==========  ===========
set (EI %, vote-weighted)  learned default  rate 0.5    rate 2
=========================  ===============  ==========  ===========
eco_census1910             2.12             2.13        2.26
eipack_senc                2.11             2.15        2.31
nz2014_bay_of_plenty       4.57             6.12        7.82
nz2014_northcote           8.11             8.19        6.59
nz2014_te_tai_tonga        4.95             4.90        5.04
nz2014_tukituki            6.78             6.70        8.07
nz2014 mean of 4 sets      6.10             6.47        6.88
=========================  ===============  ==========  ===========

The learned rates are 0.2-0.4 on the four NZ sets (stronger pooling than PyEI's), so the
learned prior cannot reproduce eiPack's better northcote figure. On eight SIMULATED 5 x 4
sets of 40-200 units (``reports/prior_study.md``, concentrations 2-100) the learned rate
had the lowest EI on five; mean EI 6.22 % against 6.38 % (rate 0.5) and 6.50 % (rate 2).
It followed the heterogeneity: 0.10 at concentration 100, 6.7 at concentration 2. On
SIMULATED congresses with a contextual effect (``reports/coverage_study_bayes.md``,
8 per scenario) its MAE was 3.81 / 3.27 pp (2023-like / 2025-like, federations alike;
3.21 / 3.03 with rate 0.5) and 5.24 / 5.30 pp (federations differ; 6.30 / 6.18 with rate
0.5, 5.44 / 5.55 with rate 2), and its error on the third motion's transfer to the winner
fell from 14.8 / 24.1 pp (rate 0.5) to 6.9 / 11.6 pp where federations differ. The cost
is speed: the pooling is freer, so mixing is slower (te_tai_tonga 85 s against 61 s).
Pass ``lambda2=0.5`` for PyEI's prior and ``lambda2=2`` for eiPack's (fixed rates).

Sampler (no gradients; a numba-compiled kernel loops over units and cells; the chains run
in parallel threads, each block of each chain seeded from the fit's generator).
One iteration of every chain:

0. ``lambda2 | alpha ~ Gamma(h1 + lambda1 R C, h2 + sum_rc alpha[r, c])`` (exact
   conditional; skipped when the rate is fixed);
1. *data augmentation* -- every voter of column ``c`` in unit ``i`` is given an origin row:
   ``n[i, :, c] ~ Multinomial(T_ic, p_r ∝ X_ir beta_irc)`` (exact conditional);
1b. *collapsed alpha update* (``collapse``; by default when the median unit has at most
   64 voters) -- ``alpha[r] | n`` with ``beta`` integrated out: each unit contributes a
   Dirichlet-multinomial term, and the draw is an independence Metropolis step from the
   Laplace-t approximation of that density (as in step 4, but over every unit's counts:
   about 30 % more time per iteration). Followed by step 2, it is a partially collapsed
   Gibbs step for ``(alpha, beta) | n``. It matters when units are small: then
   ``beta | n`` is mostly prior, ``alpha | beta`` is much tighter than ``alpha``'s
   posterior, and steps 2 and 4 alone move the shared parameters slowly. Bulk ESS per
   iteration of the aggregate shares at fixed length (4 chains, 2,000 draws; min over
   cells): nz2014_te_tai_tonga (620 polling places, median 16 voters) 0.0041 -> 0.0215;
   its units merged by 3 (median 55 voters) 0.0046 -> 0.0140, by 4 (76) 0.0074 ->
   0.0098, by 6 (about 115) 0.0128 -> 0.0171, by 8 (159) 0.0215 -> 0.0221; no gain on the
   other benchmark sets (medians 250-14,000 voters) or SIMULATED 100 x 5 x 4 (400). Hence
   the threshold;
2. ``beta[i, r] | n, alpha ~ Dirichlet(alpha[r] + n[i, r, :])`` (exact conditional, gamma
   draws in log space so that tiny shapes do not underflow);
3. *within-unit ridge moves* (``ridge_moves`` per unit) -- Metropolis moves along the
   line of a random 2 x 2 sub-table (rows r, s; columns c, d) on which ``theta_i``, hence
   the likelihood, is constant, so only the Dirichlet prior enters the acceptance ratio.
   Proposals are uniform on the segment or a random walk on the logit of the position.
   They explore the directions the data do not identify, which data augmentation alone
   crosses in O(1/sqrt(N_i)) steps;
4. ``alpha | beta`` -- independence Metropolis from a multivariate Student-t (5 d.o.f.)
   centred on the Newton mode of ``log p(log alpha | beta)`` with its Laplace curvature
   (sufficient statistics ``sum_i log beta_irc``; acceptance about 0.8). Units with no
   voters in row ``r`` are left out of ``alpha_r``'s update: their ``beta[i, r]`` is not in
   the likelihood, so integrating it out is exact, and keeping it would only tie
   ``alpha_r`` to its own prior draws (measured on a SIMULATED 2025-like congress where
   57 of 102 federations have no newcomers: bulk ESS 15 -> 25 at fixed length);
5. *global moves* (``shift_moves``) -- all units move together along the same 2 x 2 line,
   by a common shift (or scaling) of the logit of their position on their segment, which
   keeps every ``theta_i`` fixed; ``alpha`` of the two rows is redrawn jointly from the
   Laplace-t proposal given the moved ``beta`` and the pair is accepted or rejected as
   one Metropolis-Hastings move (Jacobian of the position map included). This is what
   decorrelates ``alpha`` and ``beta``: with many units ``alpha | beta`` is tight and
   steps 1-4 alone need hundreds of iterations to move the aggregate along the
   ecological "ridge" (measured on eipack_senc: bulk ESS 7 of 4,000 draws without these
   moves, about 110-130 with them).

Only the scales of the global moves adapt, during warm-up (target acceptance 0.3).
Mixing remains slow on large problems (bulk ESS of the aggregate shares about 1-3 % of
the draws on 3 x 3 / 5 x 4 sets of 30-600 units), so by default the chains are extended
(draws appended) until ``max R-hat <= 1.01`` and ``min bulk ESS >= 400``, within a length
cap; the fit warns (:class:`~congresslab.transfers.diagnostics.ConvergenceWarning`) when
they are not met.

Structural zeros (cells that cannot hold voters, such as ``_entry -> _exit``) are exactly
0: each row's Dirichlet is over its free cells, the alpha of a zero cell only has its prior
(it is reported as NaN), and the 2 x 2 lines through a zero are never proposed.

The aggregate transfer shares reported are the vote-weighted shares
``sum_i X_ir beta_irc / sum_i X_ir`` (the latent-cell version ``sum_i n_irc / sum_i n_ir.``
estimated the benchmark truths equally well -- eipack_senc MAE 2.28 vs 2.29 pp -- but adds
multinomial noise and is not exactly consistent with the origin totals).

Convergence is judged with rank-normalised split R-hat and bulk/tail ESS (Vehtari et al.
2021, :mod:`congresslab.transfers.diagnostics`) on the aggregate shares.

References
----------
Rosen, O., Jiang, W., King, G. & Tanner, M. A. (2001). Bayesian and frequentist inference
for ecological inference: the R x C case. *Statistica Neerlandica* 55(2), 134-156.
Lau, O., Moore, R. T. & Kellermann, M. (2007). eiPack: R x C ecological inference and
higher-dimension data management. *R News* 7(2), 43-47.

Examples
--------
>>> import numpy as np
>>> from congresslab.transfers.bayes import fit_md
>>> X = np.array([[60, 40], [30, 70], [50, 50], [80, 20]])
>>> T = np.array([[55, 45], [40, 60], [50, 50], [65, 35]])
>>> fit = fit_md(X, T, chains=2, draws=50, warmup=50, progress=False, check=False)
>>> fit.agg_draws.shape, fit.unit_mean.shape
((2, 50, 2, 2), (4, 2, 2))
>>> bool(np.allclose(fit.agg_draws.sum(-1), 1.0))
True
"""

# numba-compiled kernels can only use the legacy np.random API (seeded once per fit).
# ruff: noqa: NPY002

from __future__ import annotations

import math
import os
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numba import njit
from tqdm import tqdm

from congresslab.transfers.diagnostics import ConvergenceWarning, ess_bulk, ess_tail, rhat

__all__ = ["MDFit", "fit_md", "ConvergenceWarning", "validate_counts"]

_NU = 5.0  # degrees of freedom of the Student-t proposal for log alpha
_PHI_MIN, _PHI_MAX = -12.0, 10.0  # box for the Newton search of the mode of log alpha
_TINY = 1e-300
# extensions stop at 64 x the requested number of draws: with the learned prior rate,
# SIMULATED 2025-like congresses (102 x 6 x 5) needed 25,000-50,500 draws per chain
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


# ------------------------------------------------------------------ compiled kernels
# Everything below runs inside numba; random numbers come from numba's own generator,
# seeded once per fit from ``seed`` (so the output is a deterministic function of it).


@njit(cache=True)
def _psi01(x):  # pragma: no cover - compiled
    """Digamma and trigamma of ``x > 0`` (recurrence to x >= 6, then asymptotic series).

    One function for both: the Newton steps for ``alpha`` need them together, and sharing
    the recurrence makes those steps about a third cheaper.
    """
    d = 0.0
    t = 0.0
    while x < 6.0:
        d -= 1.0 / x
        t += 1.0 / (x * x)
        x += 1.0
    f = 1.0 / (x * x)
    s = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
    dig = d + math.log(x) - 0.5 / x - s
    tri = t + 1.0 / x + 0.5 * f + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)))
    return dig, tri


@njit(cache=True)
def _lcp(phi, S, U, l1, l2, z):  # pragma: no cover - compiled
    """log p(phi = log alpha_r | beta) + const for one row; S = sum_i log beta_ir.

    Cells with ``z[c] > 0`` are structural zeros: outside the Dirichlet, their alpha only
    has its prior.
    """
    C = phi.shape[0]
    out = 0.0
    A = 0.0
    for c in range(C):
        a = math.exp(phi[c])
        out += l1 * phi[c] - l2 * a
        if z[c] == 0.0:
            A += a
            out += (a - 1.0) * S[c] - U * math.lgamma(a)
    return out + U * math.lgamma(A)


@njit(cache=True)
def _chol(P, L):  # pragma: no cover - compiled
    """Cholesky P = L L^T into L; returns False if P is not positive definite."""
    C = P.shape[0]
    for i in range(C):
        for j in range(i + 1):
            v = P[i, j]
            for k in range(j):
                v -= L[i, k] * L[j, k]
            if i == j:
                if not (v > 1e-10):
                    return False
                L[i, i] = math.sqrt(v)
            else:
                L[i, j] = v / L[j, j]
        for j in range(i + 1, C):
            L[i, j] = 0.0
    return True


@njit(cache=True)
def _prec(phi, S, U, l1, l2, z, grad, P):  # pragma: no cover - compiled
    """Gradient and minus Hessian of _lcp at phi."""
    C = phi.shape[0]
    A = 0.0
    for c in range(C):
        grad[c] = math.exp(phi[c])  # alpha, until overwritten by the gradient below
        if z[c] == 0.0:
            A += grad[c]
    dA, tA = _psi01(A)
    for c in range(C):
        for d in range(C):
            zero = z[c] != 0.0 or z[d] != 0.0
            P[c, d] = 0.0 if zero else -U * tA * grad[c] * grad[d]
    for c in range(C):
        a = grad[c]
        if z[c] != 0.0:  # structural zero: prior only
            grad[c] = l1 - l2 * a
            P[c, c] = l2 * a
            continue
        da, ta = _psi01(a)
        core = -l2 * a + a * S[c] + U * a * (dA - da)
        grad[c] = l1 + core
        P[c, c] -= core - U * a * a * ta


@njit(cache=True)
def _lcp_dm(phi, nr, Nr, l1, l2, z):  # pragma: no cover - compiled
    """log p(phi = log alpha_r | n) + const for one row, ``beta`` integrated out.

    ``nr[i, c]`` are the latent counts of the row in unit ``i`` and ``Nr[i]`` their sum:
    given them, each unit contributes a Dirichlet-multinomial term
    ``lgamma(A) - lgamma(A + N_ir) + sum_c lgamma(alpha_c + n_irc) - lgamma(alpha_c)``.
    """
    Un, C = nr.shape
    out = 0.0
    A = 0.0
    for c in range(C):
        a = math.exp(phi[c])
        out += l1 * phi[c] - l2 * a
        if z[c] == 0.0:
            A += a
    lg_a = np.empty(C)
    for c in range(C):
        lg_a[c] = math.lgamma(math.exp(phi[c])) if z[c] == 0.0 else 0.0
    lg_A = math.lgamma(A)
    for i in range(Un):
        if Nr[i] <= 0.0:
            continue
        out += lg_A - math.lgamma(A + Nr[i])
        for c in range(C):
            if z[c] == 0.0 and nr[i, c] > 0.0:
                out += math.lgamma(math.exp(phi[c]) + nr[i, c]) - lg_a[c]
    return out


@njit(cache=True)
def _prec_dm(phi, nr, Nr, l1, l2, z, grad, P):  # pragma: no cover - compiled
    """Gradient and minus Hessian of _lcp_dm at phi."""
    Un, C = nr.shape
    a = np.empty(C)
    A = 0.0
    for c in range(C):
        a[c] = math.exp(phi[c])
        if z[c] == 0.0:
            A += a[c]
    dA, tA = _psi01(A)
    d0 = np.empty(C)
    t0 = np.empty(C)
    for c in range(C):
        d0[c], t0[c] = _psi01(a[c])
    g_sum = np.zeros(C)  # sum_i psi(a_c + n_ic) - psi(a_c)
    h_sum = np.zeros(C)  # sum_i psi'(a_c + n_ic) - psi'(a_c)
    gA = 0.0  # sum_i psi(A) - psi(A + N_i)
    hA = 0.0  # sum_i psi'(A) - psi'(A + N_i)
    for i in range(Un):
        if Nr[i] <= 0.0:
            continue
        d1, t1 = _psi01(A + Nr[i])
        gA += dA - d1
        hA += tA - t1
        for c in range(C):
            if z[c] == 0.0 and nr[i, c] > 0.0:
                d2, t2 = _psi01(a[c] + nr[i, c])
                g_sum[c] += d2 - d0[c]
                h_sum[c] += t2 - t0[c]
    for c in range(C):
        for d in range(C):
            zero = z[c] != 0.0 or z[d] != 0.0
            P[c, d] = 0.0 if zero else -a[c] * a[d] * hA
    for c in range(C):
        if z[c] != 0.0:  # structural zero: prior only
            grad[c] = l1 - l2 * a[c]
            P[c, c] = l2 * a[c]
            continue
        core = -l2 * a[c] + a[c] * (gA + g_sum[c])
        grad[c] = l1 + core
        P[c, c] -= core + a[c] * a[c] * h_sum[c]


@njit(cache=True)
def _lp(phi, S, U, nr, Nr, l1, l2, z):  # pragma: no cover - compiled
    """_lcp_dm when latent counts are given (``nr`` has rows), else _lcp."""
    if nr.shape[0] > 0:
        return _lcp_dm(phi, nr, Nr, l1, l2, z)
    return _lcp(phi, S, U, l1, l2, z)


@njit(cache=True)
def _prec_any(phi, S, U, nr, Nr, l1, l2, z, grad, P):  # pragma: no cover - compiled
    """_prec_dm when latent counts are given (``nr`` has rows), else _prec."""
    if nr.shape[0] > 0:
        _prec_dm(phi, nr, Nr, l1, l2, z, grad, P)
    else:
        _prec(phi, S, U, l1, l2, z, grad, P)


@njit(cache=True)
def _laplace_row(S, U, nr, Nr, l1, l2, z, phi0, mode, L, work):  # pragma: no cover - compiled
    """Newton mode of _lcp (or of _lcp_dm if ``nr`` has rows; see :func:`_lp`) from phi0
    into ``mode``; Cholesky of -Hessian into ``L``.

    ``work`` is a scratch array of shape (C + 4, C). Newton steps are safeguarded by a
    backtracking line search until a full step is small (< 0.05 in every coordinate):
    from there the log density is close to quadratic, full steps are taken and the log
    density is no longer evaluated.
    """
    C = S.shape[0]
    P = work[:C]
    phi = work[C]
    grad = work[C + 1]
    step = work[C + 2]
    new = work[C + 3]
    for c in range(C):
        phi[c] = min(max(phi0[c], _PHI_MIN), _PHI_MAX)
    cur = _lp(phi, S, U, nr, Nr, l1, l2, z)
    v = cur
    fresh = False  # L is the Cholesky factor at the current phi
    local = False  # in the quadratic region: full Newton steps, no line search
    for _ in range(100):
        _prec_any(phi, S, U, nr, Nr, l1, l2, z, grad, P)
        fresh = _chol(P, L)
        if fresh:
            # solve P step = grad
            for i in range(C):
                v = grad[i]
                for k in range(i):
                    v -= L[i, k] * step[k]
                step[i] = v / L[i, i]
            for i in range(C - 1, -1, -1):
                v = step[i]
                for k in range(i + 1, C):
                    v -= L[k, i] * step[k]
                step[i] = v / L[i, i]
        else:
            for c in range(C):
                step[c] = 0.5 * grad[c] / (1.0 + abs(grad[c]))
        m = 0.0
        for c in range(C):
            m = max(m, abs(step[c]))
        if m > 2.0:
            for c in range(C):
                step[c] *= 2.0 / m
            m = 2.0
        if m < 1e-7:
            break
        t = 1.0
        found = False
        local = local or (fresh and m < 0.05)
        for _ls in range(50):
            for c in range(C):
                new[c] = min(max(phi[c] + t * step[c], _PHI_MIN), _PHI_MAX)
            if local:  # full step, no evaluation
                found = True
                break
            v = _lp(new, S, U, nr, Nr, l1, l2, z)
            if v >= cur - 1e-10 * (1.0 + abs(cur)):
                found = True
                break
            t *= 0.5
        if not found:
            break
        fresh = False
        moved = 0.0
        for c in range(C):
            moved = max(moved, abs(new[c] - phi[c]))
            phi[c] = new[c]
        if not local:
            cur = v
        if moved < 1e-9:
            break
    for c in range(C):
        mode[c] = phi[c]
    if fresh:  # converged without moving since the last factorisation
        return
    _prec_any(phi, S, U, nr, Nr, l1, l2, z, grad, P)
    if not _chol(P, L):
        for i in range(C):
            for j in range(C):
                L[i, j] = 0.0
            L[i, i] = math.sqrt(abs(P[i, i]) + 1.0)


@njit(cache=True)
def _t_logpdf(phi, mode, L):  # pragma: no cover - compiled
    """log density (+ const) of the t(_NU) proposal with precision L L^T."""
    C = phi.shape[0]
    q = 0.0
    logdet = 0.0
    for i in range(C):
        v = 0.0
        for j in range(i, C):
            v += L[j, i] * (phi[j] - mode[j])
        q += v * v
        logdet += math.log(L[i, i])
    return -0.5 * (_NU + C) * math.log1p(q / _NU) + logdet


@njit(cache=True)
def _t_draw(mode, L, out):  # pragma: no cover - compiled
    C = mode.shape[0]
    z = np.empty(C)
    for i in range(C):
        z[i] = np.random.standard_normal()
    w = math.sqrt(np.random.chisquare(_NU) / _NU)
    for i in range(C - 1, -1, -1):  # solve L^T y = z
        v = z[i]
        for k in range(i + 1, C):
            v -= L[k, i] * out[k]
        out[i] = v / L[i, i]
    for i in range(C):
        out[i] = mode[i] + out[i] / w


@njit(cache=True)
def _segment(b, i, r, s, c, d, xr, xs):  # pragma: no cover - compiled
    """Unit ``i``'s segment on the 2 x 2 line (rows r, s; columns c, d).

    On this line ``x_r beta_rc + x_s beta_sc`` and ``x_r beta_rd + x_s beta_sd`` (hence
    ``theta_i``) are constant. Returns the cells ``z = x * beta`` of the four corners and
    the signed distances ``lo < 0 < hi`` from the current point to the segment's ends; the
    current logit position on the segment is ``log(-lo / hi)``.
    """
    z0 = b[i, r, c] * xr
    z1 = b[i, r, d] * xr
    z2 = b[i, s, c] * xs
    z3 = b[i, s, d] * xs
    return z0, z1, z2, z3, -min(z0, z3), min(z1, z2)


@njit(cache=True)
def _segment_move(z0, z1, z2, z3, lo, hi, xr, xs, o1):  # pragma: no cover - compiled
    """Move to the point of odds ``o1 = p / (1 - p)`` on the segment of :func:`_segment`.

    ``p`` is the position on the segment (0 at ``lo``, 1 at ``hi``); the current point has
    odds ``-lo / hi``. Returns the new ``beta_rc, beta_rd, beta_sc, beta_sd`` and the
    Jacobian ``p1 q1 / (p0 q0)`` (q = 1 - p; 0 -> 1 is the move) of the logit-position
    map as two ratios ``p1 / p0`` and ``q1 / q0`` (their product can overflow near the
    ends of the segment): callers multiply ratios and take one logarithm, since
    logarithms dominate the cost of the global moves. Used by the ridge and the global
    shift moves.
    """
    length = hi - lo
    if o1 > 1.0:
        e = 1.0 / o1
        up = length / (1.0 + e)
        dn = length * e / (1.0 + e)
    else:
        up = length * o1 / (1.0 + o1)
        dn = length / (1.0 + o1)
    n0 = (z0 + lo + up) / xr
    n1 = (z1 - hi + dn) / xr
    return n0, n1, (z2 - hi + dn) / xs, (z3 + lo + up) / xs, up / -lo, dn / hi


@njit(cache=True)
def _acc_log(prod, logsum, ratio):  # pragma: no cover - compiled
    """Accumulate ``log(ratio)`` as a running product, flushed to ``logsum`` before it can
    overflow: ``logsum + log(prod)`` is the sum of the logs (one ``log`` per many terms)."""
    if 1e-50 < ratio < 1e50:
        prod *= ratio
        if not (1e-200 < prod < 1e200):
            logsum += math.log(prod)
            prod = 1.0
    else:
        logsum += math.log(ratio)
    return prod, logsum


@njit(cache=True, nogil=True)
def _run(
    n_iter,
    it0,
    warmup,
    base,
    j0,
    thin,
    X,
    x,
    T,
    Xrow,
    zm,
    beta,
    phi,
    mode,
    chol,
    scale,
    prior,
    ridge_moves,
    shift_moves,
    agg,
    unit_sum,
    alpha_sum,
    qbuf,
    keep_pos,
    acc,
    collapse,
):  # pragma: no cover - compiled
    """Run ``n_iter`` iterations (global index from ``it0``) of every chain in place.

    Draws are stored after iterations ``base + thin - 1, base + 2 thin - 1, ...`` at
    positions ``j0, j0 + 1, ...`` of ``agg``; scales adapt while ``it < warmup``.
    """
    K, U, R, C = beta.shape
    # units with no voters in row r leave beta[i, r] out of the likelihood: integrating it out
    # (exactly) removes it from alpha's conditional, so alpha_r only sees units with x_ir > 0
    Ur = np.zeros(R)
    for r in range(R):
        for i in range(U):
            if x[i, r] > 0.0:
                Ur[r] += 1.0
    n = np.zeros((U, R, C))
    p = np.empty(R)
    g = np.empty(C)
    S = np.empty((R, C))
    S2 = np.empty((R, C))
    prop = np.empty(C)
    mode2 = np.empty((2, C))
    props = np.empty((2, C))
    work = np.empty((C + 4, C))  # scratch for _laplace_row
    chol2 = np.empty((2, C, C))
    new4 = np.empty((U, 4))
    alpha = np.empty((R, C))
    no_n = np.empty((0, C))  # no latent counts: _laplace_row uses the sums of log beta
    no_N = np.empty(0)
    nr = np.empty((U, C))  # step 1b: one row's latent counts, and their unit sums
    Nr = np.empty(U)
    chol_dm = np.empty((C, C))
    for k in range(K):
        l1 = prior[k, 0]
        mode_dm = phi[k].copy()  # warm starts of step 1b's Newton searches
        for it in range(it0, it0 + n_iter):
            b = beta[k]
            v = 0.0
            for r in range(R):
                for c in range(C):
                    alpha[r, c] = math.exp(phi[k, r, c])
                    v += alpha[r, c]
            if prior[k, 2] > 0.0:
                # 0. the Gamma rate | alpha (conjugate): rate ~ Gamma(h1 + l1 R C,
                # h2 + sum alpha). Drawn first, so that the Laplace modes that steps 4-5
                # store always belong to the current rate
                prior[k, 1] = np.random.gamma(prior[k, 2] + l1 * R * C, 1.0) / (prior[k, 3] + v)
            l2 = prior[k, 1]
            # 1. latent cells n | beta
            for i in range(U):
                for c in range(C):
                    tot = 0.0
                    last = -1  # the last row that can take voters gets the remainder
                    for r in range(R):
                        p[r] = x[i, r] * b[i, r, c]
                        tot += p[r]
                        if p[r] > 0.0:
                            last = r
                    left = T[i, c]
                    for r in range(R):
                        if left == 0 or r > last:
                            n[i, r, c] = 0.0
                            continue
                        if r == last:
                            m = left
                        else:
                            pr = min(1.0, p[r] / tot)
                            m = np.random.binomial(left, pr) if pr > 0.0 else 0
                        n[i, r, c] = m
                        left -= m
                        tot -= p[r]
            # 1b. alpha | n with beta integrated out (small units; see the module notes)
            for r in range(R if collapse else 0):
                for i in range(U):
                    v = 0.0
                    for c in range(C):
                        nr[i, c] = n[i, r, c]
                        v += n[i, r, c]
                    Nr[i] = v
                _laplace_row(
                    S[r], 0.0, nr, Nr, l1, l2, zm[r], mode_dm[r], mode_dm[r], chol_dm, work
                )
                cur = _lcp_dm(phi[k, r], nr, Nr, l1, l2, zm[r])
                qcur = _t_logpdf(phi[k, r], mode_dm[r], chol_dm)
                _t_draw(mode_dm[r], chol_dm, prop)
                new = _lcp_dm(prop, nr, Nr, l1, l2, zm[r])
                qnew = _t_logpdf(prop, mode_dm[r], chol_dm)
                if math.log(np.random.random() + 1e-300) < new - cur + qcur - qnew:
                    for c in range(C):
                        phi[k, r, c] = prop[c]
                        alpha[r, c] = math.exp(prop[c])
            # 2. beta | n, alpha. Gamma draws in linear space when a shape is >= 1 (then
            # the normaliser is not tiny), else in log space: no underflow for tiny shapes
            for i in range(U):
                for r in range(R):
                    big = False
                    for c in range(C):
                        if zm[r, c] == 0.0 and alpha[r, c] + n[i, r, c] >= 1.0:
                            big = True
                            break
                    if big:
                        tot = 0.0
                        for c in range(C):
                            g[c] = 0.0
                            if zm[r, c] != 0.0:
                                continue
                            a = alpha[r, c] + n[i, r, c]
                            if a < 1.0:
                                g[c] = np.random.gamma(a + 1.0, 1.0)
                                g[c] *= math.exp(math.log(np.random.random() + 1e-300) / a)
                            else:
                                g[c] = np.random.gamma(a, 1.0)
                            tot += g[c]
                        for c in range(C):
                            b[i, r, c] = 0.0 if zm[r, c] != 0.0 else max(g[c] / tot, _TINY)
                        continue
                    gmax = -np.inf
                    for c in range(C):
                        if zm[r, c] != 0.0:
                            continue
                        a = alpha[r, c] + n[i, r, c]
                        if a < 1.0:
                            lgv = math.log(np.random.gamma(a + 1.0, 1.0))
                            lgv += math.log(np.random.random() + 1e-300) / a
                        else:
                            lgv = math.log(np.random.gamma(a, 1.0))
                        g[c] = lgv
                        gmax = max(gmax, lgv)
                    tot = 0.0
                    for c in range(C):
                        g[c] = 0.0 if zm[r, c] != 0.0 else math.exp(g[c] - gmax)
                        tot += g[c]
                    for c in range(C):
                        b[i, r, c] = 0.0 if zm[r, c] != 0.0 else max(g[c] / tot, _TINY)
            # 3. within-unit ridge moves
            if R > 1:
                for i in range(U):
                    for _m in range(ridge_moves):
                        r = np.random.randint(R)
                        s = (r + 1 + np.random.randint(R - 1)) % R
                        c = np.random.randint(C)
                        d = (c + 1 + np.random.randint(C - 1)) % C
                        if zm[r, c] + zm[r, d] + zm[s, c] + zm[s, d] != 0.0:
                            continue  # lines through a structural zero do not exist
                        xr = x[i, r]
                        xs = x[i, s]
                        if xr <= 0.0 or xs <= 0.0:
                            continue
                        z0, z1, z2, z3, lo, hi = _segment(b, i, r, s, c, d, xr, xs)
                        uniform = np.random.random() < 0.5
                        if uniform:
                            u = np.random.random()
                            if u <= 0.0:
                                continue
                            o1 = u / (1.0 - u)
                        else:
                            o1 = -lo / hi * math.exp(np.random.standard_normal())
                        n0, n1, n2, n3, ja, jb = _segment_move(z0, z1, z2, z3, lo, hi, xr, xs, o1)
                        if n0 <= 0.0 or n1 <= 0.0 or n2 <= 0.0 or n3 <= 0.0:
                            continue
                        # uniform proposals are symmetric in the position; logit random
                        # walk proposals need the Jacobian log(p1 q1) - log(p0 q0)
                        lr = 0.0 if uniform else math.log(ja) + math.log(jb)
                        lr += (alpha[r, c] - 1.0) * math.log(n0 / b[i, r, c])
                        lr += (alpha[r, d] - 1.0) * math.log(n1 / b[i, r, d])
                        lr += (alpha[s, c] - 1.0) * math.log(n2 / b[i, s, c])
                        lr += (alpha[s, d] - 1.0) * math.log(n3 / b[i, s, d])
                        if math.log(np.random.random() + 1e-300) < lr:
                            b[i, r, c] = n0
                            b[i, r, d] = n1
                            b[i, s, c] = n2
                            b[i, s, d] = n3
                            acc[0] += 1.0
            # 4. alpha | beta: independence Metropolis from the Laplace-t proposal
            for r in range(R):
                for c in range(C):
                    v = 0.0
                    if zm[r, c] != 0.0:
                        S[r, c] = 0.0
                        continue
                    for i in range(U):
                        if x[i, r] > 0.0:
                            v += math.log(b[i, r, c])
                    S[r, c] = v
            for r in range(R):
                _laplace_row(
                    S[r], Ur[r], no_n, no_N, l1, l2, zm[r], mode[k, r], mode[k, r],
                    chol[k, r], work,
                )
                cur = _lcp(phi[k, r], S[r], Ur[r], l1, l2, zm[r])
                qcur = _t_logpdf(phi[k, r], mode[k, r], chol[k, r])
                for _m in range(2):
                    _t_draw(mode[k, r], chol[k, r], prop)
                    new = _lcp(prop, S[r], Ur[r], l1, l2, zm[r])
                    qnew = _t_logpdf(prop, mode[k, r], chol[k, r])
                    if math.log(np.random.random() + 1e-300) < new - cur + qcur - qnew:
                        for c in range(C):
                            phi[k, r, c] = prop[c]
                        cur = new
                        qcur = qnew
                        acc[1] += 1.0
            # 5. global shift moves along one 2 x 2 line in every unit, alpha redrawn
            for _m in range(shift_moves if R > 1 else 0):
                r = np.random.randint(R)
                s = (r + 1 + np.random.randint(R - 1)) % R
                c = np.random.randint(C)
                d = (c + 1 + np.random.randint(C - 1)) % C
                if zm[r, c] + zm[r, d] + zm[s, c] + zm[s, d] != 0.0:
                    continue  # lines through a structural zero do not exist
                kind = np.random.randint(2)  # 0: shift logit positions, 1: scale them
                eps = np.random.standard_normal() * scale[k, kind]
                expeps = math.exp(eps)
                # sums of logs kept as (running product, flushed log-sum) pairs: one log per
                # many units instead of five per unit
                lj = 0.0
                pj = 1.0
                d0 = 0.0
                d1 = 0.0
                d2 = 0.0
                d3 = 0.0
                p0 = 1.0
                p1 = 1.0
                p2 = 1.0
                p3 = 1.0
                ok = True
                for i in range(U):
                    xr = x[i, r]
                    xs = x[i, s]
                    if xr <= 0.0 or xs <= 0.0:
                        new4[i, 0] = -1.0
                        continue
                    z0, z1, z2, z3, lo, hi = _segment(b, i, r, s, c, d, xr, xs)
                    if kind == 0:  # logit position + eps
                        o1 = -lo / hi * expeps
                    else:  # logit position * exp(eps)
                        o1 = math.exp(math.log(-lo / hi) * expeps)
                        lj += eps
                    # Jacobian of the logit map: p1 q1 / (p0 q0)
                    n0, n1, n2, n3, ja, jb = _segment_move(z0, z1, z2, z3, lo, hi, xr, xs, o1)
                    if n0 <= 0.0 or n1 <= 0.0 or n2 <= 0.0 or n3 <= 0.0 or ja <= 0.0 or jb <= 0.0:
                        ok = False
                        break
                    new4[i, 0] = n0
                    new4[i, 1] = n1
                    new4[i, 2] = n2
                    new4[i, 3] = n3
                    pj, lj = _acc_log(pj, lj, ja)
                    pj, lj = _acc_log(pj, lj, jb)
                    p0, d0 = _acc_log(p0, d0, n0 / b[i, r, c])
                    p1, d1 = _acc_log(p1, d1, n1 / b[i, r, d])
                    p2, d2 = _acc_log(p2, d2, n2 / b[i, s, c])
                    p3, d3 = _acc_log(p3, d3, n3 / b[i, s, d])
                if ok:
                    lj += math.log(pj)
                    d0 += math.log(p0)
                    d1 += math.log(p1)
                    d2 += math.log(p2)
                    d3 += math.log(p3)
                accepted = False
                if ok and math.isfinite(lj):
                    for rr in range(R):
                        for cc in range(C):
                            S2[rr, cc] = S[rr, cc]
                    S2[r, c] += d0
                    S2[r, d] += d1
                    S2[s, c] += d2
                    S2[s, d] += d3
                    lr = lj
                    for j in range(2):
                        row = r if j == 0 else s
                        _laplace_row(
                            S2[row], Ur[row], no_n, no_N, l1, l2, zm[row], mode[k, row],
                            mode2[j], chol2[j], work,
                        )
                    for j in range(2):
                        row = r if j == 0 else s
                        _t_draw(mode2[j], chol2[j], prop)
                        for cc in range(C):
                            props[j, cc] = prop[cc]
                        lr += _lcp(prop, S2[row], Ur[row], l1, l2, zm[row])
                        lr -= _lcp(phi[k, row], S[row], Ur[row], l1, l2, zm[row])
                        lr += _t_logpdf(phi[k, row], mode[k, row], chol[k, row])
                        lr -= _t_logpdf(prop, mode2[j], chol2[j])
                    if math.isfinite(lr) and math.log(np.random.random() + 1e-300) < lr:
                        accepted = True
                        acc[2] += 1.0
                        for i in range(U):
                            if new4[i, 0] < 0.0:
                                continue
                            b[i, r, c] = new4[i, 0]
                            b[i, r, d] = new4[i, 1]
                            b[i, s, c] = new4[i, 2]
                            b[i, s, d] = new4[i, 3]
                        for rr in range(R):
                            for cc in range(C):
                                S[rr, cc] = S2[rr, cc]
                        for j in range(2):
                            row = r if j == 0 else s
                            for cc in range(C):
                                phi[k, row, cc] = props[j, cc]
                                mode[k, row, cc] = mode2[j, cc]
                                for c2 in range(C):
                                    chol[k, row, cc, c2] = chol2[j, cc, c2]
                if it < warmup:
                    gain = 0.2 / math.sqrt(1.0 + it / 50.0)
                    scale[k, kind] *= math.exp(((1.0 if accepted else 0.0) - 0.3) * gain)
            # 6. store
            if it >= base and (it - base + 1) % thin == 0:
                j = j0 + (it - base + 1) // thin - 1
                for r in range(R):
                    for c in range(C):
                        v = 0.0
                        for i in range(U):
                            v += X[i, r] * b[i, r, c]
                            unit_sum[i, r, c] += b[i, r, c]
                        agg[k, j, r, c] = v / Xrow[r] if Xrow[r] > 0 else np.nan
                        alpha_sum[r, c] += math.exp(phi[k, r, c])
                acc[3] += l2
                q = keep_pos[j]
                if q >= 0:
                    for i in range(U):
                        for r in range(R):
                            for c in range(C):
                                qbuf[k, q, i, r, c] = b[i, r, c]


# ------------------------------------------------------------------------------ sampler


@njit(cache=True, nogil=True)
def _run_seeded(
    seed_value, n_iter, it0, warmup, base, j0, thin, X, x, T, Xrow, zm, beta, phi, mode,
    chol, scale, prior, ridge_moves, shift_moves, agg, unit_sum, alpha_sum, qbuf, keep_pos,
    acc, collapse,
):  # pragma: no cover - compiled
    """Seed this thread's generator, then run one block of one chain (see :func:`_run`).

    Each block of each chain is seeded from the caller's generator, so results depend only
    on ``seed`` and not on which thread ran which block.
    """
    np.random.seed(seed_value)
    _run(n_iter, it0, warmup, base, j0, thin, X, x, T, Xrow, zm, beta, phi, mode, chol,
         scale, prior, ridge_moves, shift_moves, agg, unit_sum, alpha_sum, qbuf, keep_pos, acc,
         collapse)


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
    rate_prior: tuple[float, float] = (1.0, 1.0),
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
        (mean 2). See the module notes for all three on the benchmarks.
    rate_prior : (float, float)
        Shape and rate of the Gamma hyperprior on ``lambda2`` when it is learned.
    ridge_moves : int, optional
        Within-unit 2 x 2 Metropolis moves per unit and iteration (default
        ``max(R, C) + 2``).
    shift_moves : int, optional
        Global moves (all units along one 2 x 2 line, with ``alpha`` redrawn) per
        iteration (default ``3 * R * C``: on the benchmark sets bulk ESS kept rising up
        to this number, at a cost of about one data-augmentation sweep).
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
        ``warmup + 64 * draws * thin`` iterations. On the benchmark sets te_tai_tonga
        (620 units, 5 x 4) takes 85 s; SIMULATED 2025-like congresses (102 federations,
        6 x 5, seeds 1, 2, 7) need 25,635-50,500 draws per chain (61-131 s). Two of the
        three did not converge within the former limits (32 times ``draws``, 10
        extensions), hence the defaults of 64 times and 12 extensions.
        The result is deterministic given ``seed``. Use 0 for a fixed-length run.
    structural_zeros : array_like of bool, shape (R, C), optional
        Cells that cannot hold voters (e.g. new members who left before the second
        round): their share is 0 in every unit and every draw, and each row's Dirichlet
        is over its other cells. Every row needs two free cells, and every unit's voters
        must be placeable: a destination with voters needs a free cell in a row that has
        voters, and vice versa.
    collapse : bool, optional
        Add step 1b, an update of ``alpha`` with ``beta`` integrated out (see the module
        notes). Default (None): when the median unit has at most
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
    h1, h2 = (float(v) for v in rate_prior)
    if lambda2 is None and not (h1 > 0 and h2 > 0):
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
    # (shape, rate, hyper-shape, hyper-rate) per chain; hyper-shape 0 = fixed rate
    prior = np.zeros((K, 4))
    prior[:, 0] = lambda1
    if lambda2 is None:
        prior[:, 1] = rng.gamma(h1, 1.0 / h2, size=K)
        prior[:, 2:] = h1, h2
    else:
        prior[:, 1] = lambda2
    phi = np.log(rng.gamma(lambda1, 1.0 / prior[:, 1, None, None], size=(K, R, C)))
    mode = np.zeros((K, R, C))
    chol = np.zeros((K, R, C, C))
    scale = np.full((K, 2), 0.5)

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
        _run_seeded(
            seed_value, m, done, int(warmup), base, j0, thin_k, Xf, x, Ti, Xrow, zm, beta[s],
            phi[s], mode[s], chol[s], scale[s], prior[s],
            int(ridge_moves), int(shift_moves), agg[s], unit_sums[k], alpha_sums[k], qbuf[s],
            keep, accs[k], bool(collapse),
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
        "rate_prior": None if lambda2 is not None else [h1, h2],
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
