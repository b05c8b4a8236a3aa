"""One entry point, :func:`estimate`, and the rule of ``method="auto"``.

``estimate(data, method=...)`` builds the :class:`~congresslab.transfers.units.UnitTable`
(validation and margins policy), fits the requested model and returns a
:class:`~congresslab.transfers.results.TransferResults`.

Methods
-------
``"bounds"``  Duncan–Davis bounds (:class:`~congresslab.transfers.models.bounds.Bounds`).
``"goodman"`` Goodman regression (:class:`~congresslab.transfers.models.goodman.Goodman`).
``"lp"``      lphom-family LP (:class:`~congresslab.transfers.models.lp.LinearProgram`).
``"bayes"``   multinomial–Dirichlet MCMC
              (:class:`~congresslab.transfers.models.bayes.MultinomialDirichlet`).
``"auto"``    see :func:`choose_method`.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"fed": ["a", "b", "c"], "A": [60, 20, 50], "B": [40, 80, 50],
...                    "x": [70, 40, 55], "y": [30, 60, 45]})
>>> res = estimate(df, "goodman", unit="fed", origin=["A", "B"], destination=["x", "y"])
>>> res.method, res.transfer.shape
('goodman', (2, 2))
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Sequence
from typing import Any

from congresslab.errors import ConvergenceError, ConvergenceWarning, UnitTableError
from congresslab.transfers.options import METHODS, check_alpha
from congresslab.transfers.results import TransferResults
from congresslab.transfers.units import UnitTable, as_unit_table

__all__ = [
    "METHODS",
    "AUTO_BAYES_MAX_COST",
    "ConvergenceError",
    "ConvergenceWarning",
    "OPTION_ALIASES",
    "check_arguments",
    "choose_method",
    "estimate",
]


#: ``auto`` uses the Bayesian model when ``n_units * (R * C) ** 2`` is at most this; beyond,
#: the LP estimator. The sampler's run time to convergence grows about linearly with the
#: number of units and with the square of the number of cells per unit (more cells: more
#: work per iteration and slower mixing). Its measured run times (``reports/benchmarks.md``,
#: speed table; ``reports/bayes_before_after.md``) put the cap at up to about a quarter of an
#: hour of wall time on a 2-core machine for the slowest kind of table measured (SIMULATED
#: 2025-like congresses, about 0.002 s per unit of this cost), and seconds to a few minutes
#: on every benchmark set (every New Zealand 5 × 4 electorate, up to 1,000 polling places,
#: stays with ``bayes``).
AUTO_BAYES_MAX_COST: int = 400_000


def choose_method(table: UnitTable) -> str:
    """The method ``"auto"`` uses for ``table`` (never looks at any truth).

    Rule: the Bayesian multinomial–Dirichlet model when the problem is small enough to sample in
    minutes (``n_units * (R * C) ** 2 <=`` :data:`AUTO_BAYES_MAX_COST`; see there for where the
    run times are measured); otherwise the LP estimator with one unit-level refinement step
    (tslphom-like), fast at any size.

    Evidence (``reports/benchmarks.md``):

    - The multinomial–Dirichlet model has the lowest aggregate MAE on senc, on the 1910
      census, on three of the four New Zealand 5 × 4 sets, and the lowest mean EI over the
      four. On te_tai_tonga (620 units) Goodman is slightly better.
    - This agrees with the published comparisons of Pavía 2022, where eiPack/PyEI MD beat
      lphom and Goodman on these sets.
    - Among the fast methods, the refined LP has the lowest mean EI on the New Zealand sets. Its
      output is always valid: shares in [0, 1], aggregate destination totals reproduced.

    Examples
    --------
    >>> from congresslab.transfers import UnitTable
    >>> tab = UnitTable.from_arrays([[5, 5], [8, 2]], [[6, 4], [7, 3]])
    >>> choose_method(tab) in ("bayes", "lp")
    True
    """
    R, C = table.shape
    if table.n_units * (R * C) ** 2 <= AUTO_BAYES_MAX_COST:
        return "bayes"
    return "lp"


#: Other names accepted for an option of :func:`estimate` (the command line's names).
OPTION_ALIASES: dict[str, str] = {"prior_rate": "lambda2"}


def check_arguments(*, seed: Any = 0, alpha: Any = 0.05) -> None:
    """Check ``seed`` and ``alpha`` as :func:`estimate` takes them.

    Raises
    ------
    TypeError
        ``seed`` not an integer or None, ``alpha`` not a number; naming the parameter.
    ValueError
        ``seed`` negative; ``alpha`` not in ``(0, 0.5]``: it is the error level, so
        ``alpha=0.95`` would give 5 % intervals (the message suggests 0.05; see
        :func:`~congresslab.transfers.options.check_alpha`).

    Examples
    --------
    >>> check_arguments(seed=1, alpha=0.1)
    >>> check_arguments(seed=-1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative integer or None, got -1
    """
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"seed must be a non-negative integer or None, got {seed!r}")
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer or None, got {seed}")
    check_alpha(alpha)


def _options_for(cls: type, chosen: str, options: dict[str, Any]) -> dict[str, Any]:
    """Options renamed from their aliases, each checked against the model's parameters."""
    options = dict(options)
    for alias, name in OPTION_ALIASES.items():
        if alias in options:
            if name in options:
                raise TypeError(f"give {name}= or its alias {alias}=, not both")
            options[name] = options.pop(alias)
    accepted = set(inspect.signature(cls.__init__).parameters) - {"self", "table"}
    for name in options:
        if name not in accepted:
            owners = [m for m in _MODEL_NAMES
                      if name in inspect.signature(_model_class(m).__init__).parameters]
            spelled = next((a for a, n in OPTION_ALIASES.items() if n == name), None)
            shown = f"{name}=" + (f" ({spelled}=)" if spelled else "")
            where = f"it applies to method {' or '.join(map(repr, owners))}" if owners else (
                "no method takes it")
            raise TypeError(
                f"option {shown} is not an option of method {chosen!r}: {where}; the options "
                f"of {chosen!r} are {sorted(accepted - {'table_options'})}"
            )
    return options


_MODEL_NAMES: tuple[str, ...] = ("bounds", "goodman", "lp", "bayes")


def _model_class(method: str) -> type:
    """The model class of ``method``, imported when first needed.

    Goodman needs statsmodels, the LP scipy.optimize and the sampler numba: a command that
    uses one of them (or none, such as ``--help``) should not pay for importing the others.
    """
    if method == "bounds":
        from congresslab.transfers.models.bounds import Bounds

        return Bounds
    if method == "goodman":
        from congresslab.transfers.models.goodman import Goodman

        return Goodman
    if method == "lp":
        from congresslab.transfers.models.lp import LinearProgram

        return LinearProgram
    from congresslab.transfers.models.bayes import MultinomialDirichlet

    return MultinomialDirichlet


def estimate(
    data: Any,
    method: str = "auto",
    *,
    unit: str | None = None,
    origin: Sequence[str] | None = None,
    destination: Sequence[str] | None = None,
    margins: str = "auto",
    seed: int | None = 0,
    alpha: float = 0.05,
    progress: bool = True,
    **options: Any,
) -> TransferResults:
    """Estimate origin → destination transfer shares.

    Parameters
    ----------
    data : UnitTable or pandas.DataFrame or (X, T)
        Unit counts (see :class:`~congresslab.transfers.units.UnitTable`).
    method : {"auto", "bounds", "goodman", "lp", "bayes"}
        Estimator; ``"auto"`` follows :func:`choose_method`.
    unit, origin, destination : optional
        Column names when ``data`` is a DataFrame.
    margins : {"auto", "error", "rescale", "entry_exit"}
        Margins policy (see :mod:`congresslab.transfers.units`).
    seed : int or None
        Seed of every random step (bootstrap, MCMC): a non-negative integer.
    alpha : float
        Error level, in ``(0, 0.5]``: intervals at level ``1 - alpha`` (0.05: 95 %).
    progress : bool
        Progress bars on stderr for long computations.
    **options
        Passed to the model class (e.g. ``n_boot=``, ``constrained=``, ``draws=``);
        ``prior_rate=`` (the command line's ``--prior-rate``) is accepted for ``lambda2=``.

    Raises
    ------
    TypeError, ValueError
        Naming the parameter: ``seed`` or ``alpha`` invalid (see :func:`check_arguments`),
        an option the chosen method does not take.
    UnitTableError
        Invalid table (see :class:`~congresslab.transfers.units.UnitTable`), or
        fractional counts given to ``bayes`` (its multinomial model counts voters).

    Returns
    -------
    TransferResults

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[100, 0], [50, 50], [20, 80]]); P = np.array([[0.9, 0.1], [0.2, 0.8]])
    >>> res = estimate((X, X @ P), "lp", n_boot=0)
    >>> res.transfer.round(6).to_numpy().tolist()
    [[0.9, 0.1], [0.2, 0.8]]
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {METHODS}")
    check_arguments(seed=seed, alpha=alpha)
    table = as_unit_table(data, unit=unit, origin=origin, destination=destination, margins=margins)
    chosen = choose_method(table) if method == "auto" else method
    cls = _model_class(chosen)
    kwargs = _options_for(cls, chosen, options)
    if chosen == "bayes" and table.margins_applied != "rescale" and not table.is_whole:
        raise UnitTableError(
            "method 'bayes' needs whole counts (its multinomial model counts voters) and "
            "this table has fractional ones; round them yourself or use another method"
        )
    if chosen != "bounds":
        kwargs.setdefault("seed", seed)
        kwargs.setdefault("progress", progress)
    res = cls(table, **kwargs).fit(alpha=alpha)
    if method == "auto":
        res.diagnostics["auto_choice"] = chosen
    return res
