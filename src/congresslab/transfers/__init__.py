"""Transfer estimation engine: ecological inference for R × C tables.

From per-unit counts of origin options (first round, rows) and destination options (second
round, columns), estimate the share of each origin going to each destination.

* :mod:`~congresslab.transfers.units` — :class:`UnitTable`, validation, margins policy;
* :mod:`~congresslab.transfers.models` — one module per model: Duncan–Davis bounds
  (:class:`Bounds`), Goodman regression (:class:`Goodman`), lphom-family linear programs
  (:class:`LinearProgram`), the Bayesian multinomial–Dirichlet model;
* :mod:`~congresslab.transfers.api` — :func:`estimate`, :func:`choose_method`;
* :mod:`~congresslab.transfers.results` — :class:`TransferResults`;
* :mod:`~congresslab.transfers.diagnostics` — R-hat and effective sample sizes;
* :mod:`~congresslab.transfers.plots` — heat map, Sankey, tomography.

Names are imported when first used.

Examples
--------
>>> import numpy as np
>>> from congresslab.transfers import estimate
>>> X = np.array([[100, 0], [50, 50], [20, 80]]); P = np.array([[0.9, 0.1], [0.2, 0.8]])
>>> estimate((X, X @ P), "goodman").transfer.round(6).to_numpy().tolist()
[[0.9, 0.1], [0.2, 0.8]]
"""

from congresslab._lazy import lazy_attributes

_WHERE = {
    "Bounds": "congresslab.transfers.models.bounds",
    "ConvergenceError": "congresslab.errors",
    "ConvergenceWarning": "congresslab.errors",
    "Goodman": "congresslab.transfers.models.goodman",
    "LinearProgram": "congresslab.transfers.models.lp",
    "MarginsError": "congresslab.errors",
    "MultinomialDirichlet": "congresslab.transfers.models.bayes",
    "TransferResults": "congresslab.transfers.results",
    "UnitTable": "congresslab.transfers.units",
    "UnitTableError": "congresslab.errors",
    "aggregate_bounds": "congresslab.transfers.models.bounds",
    "choose_method": "congresslab.transfers.api",
    "estimate": "congresslab.transfers.api",
    "unit_bounds": "congresslab.transfers.models.bounds",
}

__all__ = list(_WHERE)

__getattr__, __dir__ = lazy_attributes(__name__, _WHERE)
