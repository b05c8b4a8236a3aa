"""MCMC convergence diagnostics: rank-normalised split R-hat, bulk and tail ESS.

Implements the diagnostics of Vehtari, Gelman, Simpson, Carpenter & Bürkner (2021),
"Rank-normalization, folding, and localization: An improved R-hat for assessing
convergence of MCMC", *Bayesian Analysis* 16(2), 667-718, vectorised over any number of
trailing parameter dimensions.

All functions take ``draws`` shaped ``(chains, draws, ...)`` and return an array shaped
like the trailing dimensions (a float for scalar parameters).

* :func:`rhat` -- max of the rank-normalised split R-hat and the rank-normalised folded
  split R-hat (their eq. 4-5 and section 4.2);
* :func:`ess_bulk` -- effective sample size of the rank-normalised split chains;
* :func:`ess_tail` -- min of the ESS of the indicators ``draw <= q05`` and
  ``draw <= q95`` on split chains.

The autocorrelation sum uses Geyer's initial monotone sequence, as in Stan and ArviZ.

Examples
--------
>>> import numpy as np
>>> from congresslab.transfers.diagnostics import rhat, ess_bulk, ess_tail
>>> x = np.random.default_rng(1).normal(size=(4, 500))
>>> bool(abs(rhat(x) - 1) < 0.01), bool(1500 < ess_bulk(x) < 2600)
(True, True)
"""

from __future__ import annotations

import numpy as np

from congresslab.errors import ConvergenceWarning

__all__ = ["ConvergenceWarning", "rhat", "ess_bulk", "ess_tail", "split_chains", "ess"]


def _as_draws(draws: np.ndarray) -> np.ndarray:
    a = np.asarray(draws, dtype=float)
    if a.ndim < 2:
        raise ValueError(f"draws must be shaped (chains, draws, ...), got shape {a.shape}")
    if a.shape[1] < 4:
        raise ValueError(f"need at least 4 draws per chain, got {a.shape[1]}")
    return a


def split_chains(draws: np.ndarray) -> np.ndarray:
    """Split every chain in two halves (dropping the middle draw of odd-length chains).

    Parameters
    ----------
    draws : ndarray, shape (chains, draws, ...)

    Returns
    -------
    ndarray, shape (2 * chains, draws // 2, ...)

    Examples
    --------
    >>> split_chains(np.arange(10.0).reshape(2, 5))
    array([[0., 1.],
           [5., 6.],
           [3., 4.],
           [8., 9.]])
    """
    a = np.asarray(draws, dtype=float)
    half = a.shape[1] // 2
    first = a[:, :half]
    second = a[:, a.shape[1] - half :]
    return np.concatenate([first, second], axis=0)


def _z_scale(a: np.ndarray) -> np.ndarray:
    """Rank-normalise over the pooled (chain, draw) axes: Phi^-1((r - 3/8) / (S + 1/4))."""
    # scipy imported here: importing congresslab.transfers (for ConvergenceWarning) stays light
    from scipy.special import ndtri
    from scipy.stats import rankdata

    m, n = a.shape[:2]
    flat = np.ascontiguousarray(a.reshape(m * n, -1).T)  # (parameters, pooled draws)
    # ranks by one sort per parameter (about 6x faster than rankdata, which is only used
    # for parameters with ties: average ranks)
    order = np.argsort(flat, axis=1)
    r = np.empty_like(flat)
    np.put_along_axis(r, order, np.broadcast_to(np.arange(1.0, m * n + 1), flat.shape), axis=1)
    tied = (np.diff(np.take_along_axis(flat, order, axis=1), axis=1) == 0).any(axis=1)
    if tied.any():
        r[tied] = rankdata(flat[tied], axis=1, method="average")
    z = ndtri((r.T - 0.375) / (m * n + 0.25))
    return z.reshape(a.shape)


def _rhat_basic(a: np.ndarray) -> np.ndarray:
    """Classic (non-split) potential scale reduction of chains ``a`` (m, n, ...)."""
    n = a.shape[1]
    chain_mean = a.mean(axis=1)
    chain_var = a.var(axis=1, ddof=1)
    b = n * chain_mean.var(axis=0, ddof=1)
    w = chain_var.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.sqrt(((n - 1) / n * w + b / n) / w)
    return out


def _constant(a: np.ndarray) -> np.ndarray:
    return (a.max(axis=(0, 1)) - a.min(axis=(0, 1))) < np.finfo(float).resolution


def ess(draws: np.ndarray) -> np.ndarray:
    """Effective sample size of ``draws`` (chains, draws, ...), no splitting or ranking.

    Uses the multi-chain autocorrelation estimate of Stan (BDA3 eq. 11.7-11.8) truncated
    with Geyer's initial monotone sequence.

    Examples
    --------
    >>> x = np.random.default_rng(0).normal(size=(2, 1000))
    >>> bool(1700 < ess(x) < 2300)
    True
    """
    a = _as_draws(draws)
    m, n = a.shape[:2]
    rest = a.shape[2:]
    a2 = a.reshape(m, n, -1)
    centered = a2 - a2.mean(axis=1, keepdims=True)
    # autocovariance by FFT along the draw axis (biased, divided by n)
    nfft = 1 << int(np.ceil(np.log2(2 * n)))
    f = np.fft.rfft(centered, n=nfft, axis=1)
    acov = np.fft.irfft(f * np.conj(f), n=nfft, axis=1)[:, :n] / n  # (m, n, P)
    chain_mean = a2.mean(axis=1)  # (m, P)
    mean_var = acov[:, 0].mean(axis=0) * n / (n - 1.0)  # W
    var_plus = mean_var * (n - 1.0) / n
    if m > 1:
        var_plus = var_plus + chain_mean.var(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = 1.0 - (mean_var[None, :] - acov.mean(axis=0)) / var_plus[None, :]  # (n, P)
    rho[0] = 1.0
    # Geyer: sums of adjacent pairs Gamma_k = rho_2k + rho_2k+1, truncated at the first
    # non-positive one, then made monotone non-increasing.
    k_max = (n - 1) // 2
    pairs = rho[0 : 2 * k_max : 2] + rho[1 : 2 * k_max : 2]  # (K, P)
    positive = np.cumprod(pairs > 0, axis=0).astype(bool)
    mono = np.minimum.accumulate(np.where(positive, pairs, np.inf), axis=0)
    mono = np.where(positive, mono, 0.0)
    tau = -1.0 + 2.0 * mono.sum(axis=0)
    # Stan's small improvement: add the next even-lag autocorrelation if positive
    n_pos = positive.sum(axis=0)
    idx = np.minimum(2 * n_pos, n - 1)
    nxt = np.take_along_axis(rho, idx[None, :], axis=0)[0]
    tau = tau + np.where((nxt > 0) & (2 * n_pos < n), nxt, 0.0)
    total = m * n
    tau = np.maximum(tau, 1.0 / np.log10(total))
    out = total / tau
    const = _constant(a2)
    out = np.where(const, float(total), out)
    out = np.where(np.isfinite(a2).all(axis=(0, 1)), out, np.nan)
    return _shape_out(out, rest)


def _shape_out(x: np.ndarray, rest: tuple[int, ...]) -> np.ndarray:
    x = np.asarray(x).reshape(rest)
    return x[()] if x.ndim == 0 else x


def rhat(draws: np.ndarray) -> np.ndarray:
    """Rank-normalised split R-hat (Vehtari et al. 2021), max of bulk and folded versions.

    Parameters
    ----------
    draws : ndarray, shape (chains, draws, ...)
        At least 4 draws per chain; a single chain is allowed (it is split in two).

    Returns
    -------
    float or ndarray, shape ``draws.shape[2:]``
        Values close to 1 (<= 1.01) indicate convergence. Constant parameters give 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ok = rng.normal(size=(4, 1000))
    >>> round(float(rhat(ok)), 2)
    1.0
    >>> shifted = ok + np.arange(4)[:, None]   # chains stuck at different means
    >>> bool(rhat(shifted) > 1.5)
    True
    """
    a = _as_draws(draws)
    rest = a.shape[2:]
    s = split_chains(a).reshape(2 * a.shape[0], a.shape[1] // 2, -1)
    r_bulk = _rhat_basic(_z_scale(s))
    folded = np.abs(s - np.median(s, axis=(0, 1), keepdims=True))
    r_tail = _rhat_basic(_z_scale(folded))
    out = np.fmax(r_bulk, r_tail)
    out = np.where(_constant(s), 1.0, out)
    out = np.where(np.isfinite(s).all(axis=(0, 1)), out, np.nan)
    return _shape_out(out, rest)


def ess_bulk(draws: np.ndarray) -> np.ndarray:
    """Bulk effective sample size: ESS of the rank-normalised split chains.

    Parameters
    ----------
    draws : ndarray, shape (chains, draws, ...)

    Returns
    -------
    float or ndarray, shape ``draws.shape[2:]``

    Examples
    --------
    AR(1) draws with coefficient 0.5 have ESS close to n (1 - 0.5) / (1 + 0.5) = n / 3:

    >>> rng = np.random.default_rng(2)
    >>> e = rng.normal(size=(4, 3000))
    >>> x = np.zeros_like(e)
    >>> for t in range(1, 3000):
    ...     x[:, t] = 0.5 * x[:, t - 1] + e[:, t]
    >>> bool(3200 < ess_bulk(x) < 4800)
    True
    """
    a = _as_draws(draws)
    s = split_chains(a)
    z = _z_scale(s)
    out = np.asarray(ess(z), dtype=float)
    const = _constant(s.reshape(s.shape[0], s.shape[1], -1)).reshape(out.shape)
    out = np.where(const, float(s.shape[0] * s.shape[1]), out)
    return out[()] if out.ndim == 0 else out


def ess_tail(draws: np.ndarray) -> np.ndarray:
    """Tail effective sample size: min ESS of the 5 % and 95 % quantile indicators.

    Parameters
    ----------
    draws : ndarray, shape (chains, draws, ...)

    Returns
    -------
    float or ndarray, shape ``draws.shape[2:]``

    Examples
    --------
    >>> x = np.random.default_rng(3).normal(size=(4, 1000))
    >>> bool(2500 < ess_tail(x) < 5500)
    True
    """
    a = _as_draws(draws)
    s = split_chains(a)
    q05 = np.quantile(s, 0.05, axis=(0, 1))
    q95 = np.quantile(s, 0.95, axis=(0, 1))
    e05 = np.asarray(ess((s <= q05).astype(float)))
    e95 = np.asarray(ess((s <= q95).astype(float)))
    out = np.fmin(e05, e95)
    return out[()] if out.ndim == 0 else out
