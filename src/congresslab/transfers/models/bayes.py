"""The Bayesian multinomial–Dirichlet model: the wrapper of the sampler in :mod:`.._md`.

:class:`MultinomialDirichlet` turns a :class:`~congresslab.transfers.units.UnitTable` into
integer counts, runs :func:`congresslab.transfers._md.fit_md` and returns a
:class:`~congresslab.transfers.results.TransferResults` with credible intervals and the
convergence diagnostics. Measured speed and accuracy: ``reports/benchmarks.md`` and
``reports/md_sampler.md``.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np

from congresslab.errors import ConvergenceError, ConvergenceWarning
from congresslab.rounding import largest_remainder
from congresslab.transfers.results import TransferResults
from congresslab.transfers.units import UnitTable, as_unit_table, structural_zeros

__all__ = ["MultinomialDirichlet", "integer_counts"]


def integer_counts(X: np.ndarray, T: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Integer versions of ``X`` and ``T`` with equal unit totals (largest-remainder rounding).

    Needed by the multinomial sampler when margins were rescaled. Returns the arrays and the
    largest absolute change of a count.

    Examples
    --------
    >>> X, T, d = integer_counts(np.array([[3.0, 2.0]]), np.array([[2.5, 2.5]]))
    >>> X.tolist(), T.tolist(), d
    ([[3, 2]], [[3, 2]], 0.5)
    """
    X = np.asarray(X, float)
    T = np.asarray(T, float)
    N = np.round(X.sum(1))
    Xi = (
        X
        if np.array_equal(X, np.round(X)) and np.array_equal(X.sum(1), N)
        else (largest_remainder(X, N))
    )
    Ti = (
        T
        if np.array_equal(T, np.round(T)) and np.array_equal(T.sum(1), N)
        else (largest_remainder(T, N))
    )
    change = float(max(np.abs(Xi - X).max(), np.abs(Ti - T).max()))
    return Xi.astype(np.int64), Ti.astype(np.int64), change


class MultinomialDirichlet:
    """Bayesian multinomial–Dirichlet model (Rosen, Jiang, King & Tanner 2001), by MCMC.

    Wraps :func:`congresslab.transfers._md.fit_md`; aggregate shares are the posterior means
    of the vote-weighted aggregate transfer shares, intervals are equal-tailed posterior
    intervals, unit-level means and 95 % intervals come from the sampler. The sampler needs
    integer counts: non-integer counts (rescaled margins) are rounded per unit by largest
    remainders, keeping unit totals (largest change in ``diagnostics``).

    Parameters
    ----------
    table : UnitTable or DataFrame or (X, T)
        Unit table.
    chains, draws, warmup, thin, seed, progress, lambda1, lambda2, max_extensions, collapse
        Passed to ``fit_md``; ``collapse`` adds the sampler's update of the Dirichlet
        parameters with unit shares integrated out (default: when the median unit has at
        most 64 voters, where it speeds mixing up); ``max_extensions`` continues
        non-converged chains with more draws (up to that many times; 0 = fixed-length run).
        ``lambda1``, ``lambda2`` are the shape and rate of the Gamma prior on the Dirichlet
        parameters. By default (``lambda2=None``) the rate is learned, with a Gamma(1, 1)
        hyperprior, so the data choose how strongly units are pooled; ``lambda2=0.5`` fixes
        PyEI's prior and ``lambda2=2`` eiPack's (see :mod:`congresslab.transfers._md`).
    rate_prior : tuple, optional
        Hyperprior of the learned rate, passed to ``fit_md`` (a Gamma's ``(shape, rate)`` or
        ``("grid", lo, hi, m)``); default Gamma(1, 1).
    on_nonconvergence : {"warn", "raise"}
        Non-convergence (R-hat or ESS criteria of the sampler) issues a
        :class:`ConvergenceWarning` (default) or raises :class:`ConvergenceError`.
    **table_options
        Passed to :func:`~congresslab.transfers.units.as_unit_table`.
    """

    name = "bayes"

    def __init__(
        self,
        table: Any,
        *,
        chains: int = 4,
        draws: int = 1000,
        warmup: int = 1000,
        thin: int = 1,
        seed: int | None = 0,
        progress: bool = True,
        lambda1: float = 4.0,
        lambda2: float | None = None,
        rate_prior: tuple[Any, ...] | None = None,
        max_extensions: int = 12,
        collapse: bool | None = None,
        on_nonconvergence: str = "warn",
        **table_options: Any,
    ) -> None:
        if on_nonconvergence not in ("warn", "raise"):
            raise ValueError(
                f"on_nonconvergence must be 'warn' or 'raise', got {on_nonconvergence!r}"
            )
        self.table: UnitTable = as_unit_table(table, **table_options)
        self.settings = {
            "chains": int(chains),
            "draws": int(draws),
            "warmup": int(warmup),
            "thin": int(thin),
            "seed": seed,
            "progress": bool(progress),
            "lambda1": float(lambda1),
            "lambda2": None if lambda2 is None else float(lambda2),
            "max_extensions": int(max_extensions),
            "collapse": None if collapse is None else bool(collapse),
        }
        if rate_prior is not None:  # the sampler's default hyperprior otherwise
            self.settings["rate_prior"] = tuple(rate_prior)
        self.on_nonconvergence = on_nonconvergence

    def fit(self, alpha: float = 0.05) -> TransferResults:
        """Run the sampler and summarise the draws."""
        from congresslab.transfers._md.driver import fit_md

        t0 = time.perf_counter()
        tab = self.table
        R, C = tab.shape
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            Xi, Ti, change = integer_counts(tab.X, tab.T)
            zeros = structural_zeros(tab.origin, tab.destination)
            # a destination nobody voted for, in any unit, received nobody: its cells are
            # structural zeros (the model alone would give it a small positive share)
            empty = Ti.sum(0) == 0
            if empty.any() and ((~(zeros | empty[None, :])).sum(1) >= 2).all():
                zeros = zeros | empty[None, :]
            fit = fit_md(Xi, Ti, structural_zeros=zeros, **self.settings)
        sampler_warned = False
        for w in caught:
            if issubclass(w.category, ConvergenceWarning) or "converge" in str(w.message).lower():
                sampler_warned = True
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        agg = np.asarray(fit.agg_draws, float)
        draws = agg.reshape(-1, R, C)
        params = draws.mean(0)
        params = params / params.sum(1, keepdims=True)
        lo, hi = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
        rhat = np.asarray(fit.rhat, float)
        ess = np.asarray(fit.ess_bulk, float)
        diag: dict[str, Any] = {
            "converged": bool(fit.converged),
            "rhat_max": float(np.nanmax(rhat)),
            "ess_bulk_min": float(np.nanmin(ess)),
            "sampler_seconds": float(fit.seconds),
            "rhat": rhat,
            "ess_bulk": ess,
            "settings": dict(fit.settings),
            "integer_rounding_max_change": change,
            "structural_zeros": [
                (tab.origin[i], tab.destination[j]) for i, j in zip(*np.nonzero(zeros), strict=True)
            ],
        }
        if not fit.converged:
            msg = (
                f"the multinomial-Dirichlet sampler did not converge (max R-hat "
                f"{diag['rhat_max']:.3f}, min bulk ESS {diag['ess_bulk_min']:.0f}); increase "
                f"draws/warmup (now {self.settings['draws']}/{self.settings['warmup']}), "
                "thinning or max_extensions, or check the diagnostics"
            )
            if self.on_nonconvergence == "raise":
                raise ConvergenceError(msg)
            if not sampler_warned:
                warnings.warn(msg, ConvergenceWarning, stacklevel=2)
        return TransferResults(
            method=self.name,
            table=tab,
            params=params,
            lower=lo,
            upper=hi,
            alpha=alpha,
            interval_kind="credible",
            seconds=time.perf_counter() - t0,
            diagnostics=diag,
            unit_params=np.asarray(fit.unit_mean, float),
            unit_lower=np.asarray(fit.unit_lo, float),
            unit_upper=np.asarray(fit.unit_hi, float),
            draws=draws,
            options=dict(self.settings, on_nonconvergence=self.on_nonconvergence),
        )
