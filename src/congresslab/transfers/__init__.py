"""Transfer estimation engine: ecological inference for R × C tables.

From per-unit counts of origin options (first round, rows) and destination options (second
round, columns), estimate the share of each origin going to each destination.

* :mod:`~congresslab.transfers.data` — :class:`UnitTable`, validation, margins policy;
* :mod:`~congresslab.transfers.bounds` — Duncan–Davis bounds (:class:`Bounds`);
* :mod:`~congresslab.transfers.goodman` — Goodman regression (:class:`Goodman`);
* :mod:`~congresslab.transfers.lp` — lphom-family linear programs (:class:`LinearProgram`);
* :mod:`~congresslab.transfers.api` — :func:`estimate`, :class:`MultinomialDirichlet`;
* :mod:`~congresslab.transfers.results` — :class:`TransferResults`;
* :mod:`~congresslab.transfers.plots` — heat map, Sankey, tomography.

Examples
--------
>>> import numpy as np
>>> from congresslab.transfers import estimate
>>> X = np.array([[100, 0], [50, 50], [20, 80]]); P = np.array([[0.9, 0.1], [0.2, 0.8]])
>>> estimate((X, X @ P), "goodman").transfer.round(6).to_numpy().tolist()
[[0.9, 0.1], [0.2, 0.8]]
"""

from congresslab.transfers.api import (
    ConvergenceError,
    ConvergenceWarning,
    MultinomialDirichlet,
    choose_method,
    estimate,
)
from congresslab.transfers.bounds import Bounds, aggregate_bounds, unit_bounds
from congresslab.transfers.data import MarginsError, UnitTable, UnitTableError
from congresslab.transfers.results import TransferResults

__all__ = [
    "Bounds",
    "ConvergenceError",
    "ConvergenceWarning",
    "Goodman",
    "LinearProgram",
    "MarginsError",
    "MultinomialDirichlet",
    "TransferResults",
    "UnitTable",
    "UnitTableError",
    "aggregate_bounds",
    "choose_method",
    "estimate",
    "unit_bounds",
]

# imported on first use (PEP 562): Goodman needs statsmodels and the LP scipy.optimize, which
# `congresslab --help` or an `lp` run should not pay for
_LAZY = {
    "Goodman": "congresslab.transfers.goodman",
    "LinearProgram": "congresslab.transfers.lp",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
