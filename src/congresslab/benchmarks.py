"""Benchmark datasets with known transfers, and accuracy metrics.

Each benchmark lives in ``paths.BENCHMARKS / <name>/``: ``units.csv`` (a ``unit`` column,
``r:<origin>`` and ``c:<destination>`` count columns), ``truth.csv`` (aggregate true counts:
``row, col, count``), optionally ``truth_units.csv`` (``unit, row, col, count``) and
``meta.json`` (source, citation, description).

Metrics (shares in percentage points, pp):

* :func:`aggregate_mae` — mean absolute error of the ``R × C`` aggregate shares, in pp;
* :func:`ei_index` — EI = ``100 * sum|x - x_hat| / (2 N)``, ``x`` the true aggregate cell
  counts and ``x_hat`` the estimated counts (Pavía 2022), in %;
* :func:`unit_wmae` — vote-weighted mean absolute error of the unit shares, in pp (cells
  weighted by their origin counts);
* :func:`coverage` — fraction of true aggregate shares inside the intervals.

Examples
--------
>>> "eipack_senc" in list_benchmarks()
True
>>> b = load_benchmark("eipack_senc")
>>> b.table.n_units, b.table.shape, b.truth_units is not None
(212, (3, 3), True)
>>> float(b.truth_shares.sum(axis=1).round(12).min())
1.0
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from congresslab import paths
from congresslab.transfers.results import TransferResults
from congresslab.transfers.units import UnitTable

__all__ = [
    "Benchmark",
    "list_benchmarks",
    "load_benchmark",
    "aggregate_mae",
    "ei_index",
    "unit_wmae",
    "coverage",
    "score",
    "synthetic",
]


@dataclass(frozen=True)
class Benchmark:
    """A benchmark dataset.

    Attributes
    ----------
    name : str
    table : UnitTable
        The unit counts (margins identical in every unit).
    truth : pandas.DataFrame
        True aggregate counts, origin × destination.
    truth_units : numpy.ndarray or None
        True unit counts ``(U, R, C)`` in the unit order of ``table``, if known.
    meta : dict
        Contents of ``meta.json``.
    """

    name: str
    table: UnitTable
    truth: pd.DataFrame
    truth_units: np.ndarray | None
    meta: dict[str, Any]

    @property
    def truth_shares(self) -> pd.DataFrame:
        """True aggregate transfer shares (rows sum to 1)."""
        return self.truth.div(self.truth.sum(axis=1), axis=0)


def list_benchmarks() -> list[str]:
    """Names of the benchmark datasets found in ``paths.BENCHMARKS``."""
    if not paths.BENCHMARKS.exists():
        return []
    return sorted(p.name for p in paths.BENCHMARKS.iterdir() if (p / "units.csv").exists())


def load_benchmark(name: str) -> Benchmark:
    """Load one benchmark dataset by name (see :func:`list_benchmarks`)."""
    d = paths.BENCHMARKS / name
    if not (d / "units.csv").exists():
        raise FileNotFoundError(
            f"no benchmark {name!r} in {paths.BENCHMARKS}; available: {list_benchmarks()}"
        )
    units = pd.read_csv(d / "units.csv", dtype={"unit": str})
    table = UnitTable.from_frame(units, unit="unit", margins="error")
    truth_long = pd.read_csv(d / "truth.csv")
    truth = (
        truth_long.pivot(index="row", columns="col", values="count")
        .reindex(index=table.origin, columns=table.destination)
        .astype(float)
    )
    if truth.isna().any().any():
        raise ValueError(f"benchmark {name!r}: truth.csv does not cover every origin × destination")
    truth.index.name, truth.columns.name = "origin", "destination"
    truth_units = None
    if (d / "truth_units.csv").exists():
        tu = pd.read_csv(d / "truth_units.csv", dtype={"unit": str})
        R, C = table.shape
        arr = np.zeros((table.n_units, R, C))
        ui = pd.Index(table.units).get_indexer(tu["unit"])
        ri = pd.Index(table.origin).get_indexer(tu["row"])
        ci = pd.Index(table.destination).get_indexer(tu["col"])
        if (ui < 0).any() or (ri < 0).any() or (ci < 0).any():
            raise ValueError(f"benchmark {name!r}: truth_units.csv names unknown units/options")
        np.add.at(arr, (ui, ri, ci), tu["count"].to_numpy(float))
        truth_units = arr
    meta_path = d / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return Benchmark(name, table, truth, truth_units, meta)


def _shares(x: Any) -> np.ndarray:
    if isinstance(x, TransferResults):
        return x.params
    return np.asarray(x, float)


def aggregate_mae(estimate: Any, truth_counts: Any) -> float:
    """Mean absolute error of aggregate shares, in percentage points.

    Examples
    --------
    >>> round(aggregate_mae([[0.5, 0.5], [0.2, 0.8]], [[60, 40], [20, 80]]), 9)
    5.0
    """
    t = np.asarray(truth_counts, float)
    ts = t / t.sum(1, keepdims=True)
    return float(100 * np.abs(_shares(estimate) - ts).mean())


def ei_index(estimate: Any, truth_counts: Any) -> float:
    """EI index (Pavía 2022): ``100 * sum|x - x_hat| / (2 N)``, in %.

    ``x_hat`` are the estimated counts (true origin totals × estimated shares).

    Examples
    --------
    >>> round(ei_index([[0.5, 0.5], [0.2, 0.8]], [[60, 40], [20, 80]]), 9)
    5.0
    """
    t = np.asarray(truth_counts, float)
    xhat = t.sum(1, keepdims=True) * _shares(estimate)
    return float(100 * np.abs(t - xhat).sum() / (2 * t.sum()))


def unit_wmae(unit_shares: np.ndarray | None, truth_units: np.ndarray | None) -> float:
    """Vote-weighted unit-level MAE of shares in pp (weights: unit origin counts).

    Returns NaN when either argument is None.

    Examples
    --------
    >>> import numpy as np
    >>> tu = np.array([[[8., 2.], [0., 0.]]])
    >>> round(unit_wmae(np.array([[[0.7, 0.3], [0.5, 0.5]]]), tu), 9)
    10.0
    """
    if unit_shares is None or truth_units is None:
        return float("nan")
    xr = truth_units.sum(2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        ts = np.where(xr > 0, truth_units / xr, 0.0)
    w = np.broadcast_to(xr, truth_units.shape)
    return float(100 * (w * np.abs(unit_shares - ts)).sum() / w.sum())


def coverage(lower: Any, upper: Any, truth_counts: Any) -> float:
    """Fraction of true aggregate shares within ``[lower, upper]`` (NaN if no interval).

    Examples
    --------
    >>> coverage([[0.5, 0.3], [0.0, 0.7]], [[0.7, 0.5], [0.3, 0.9]], [[60, 40], [20, 80]])
    1.0
    """
    lo = np.asarray(lower, float)
    hi = np.asarray(upper, float)
    if np.isnan(lo).all():
        return float("nan")
    t = np.asarray(truth_counts, float)
    ts = t / t.sum(1, keepdims=True)
    eps = 1e-9
    return float(((ts >= lo - eps) & (ts <= hi + eps)).mean())


def score(res: TransferResults, bench: Benchmark, alpha: float = 0.05) -> dict[str, float]:
    """All metrics of a fitted result against a benchmark's truth."""
    ci = res.conf_int(alpha)
    shape = res.params.shape
    d = res.diagnostics
    rhat = d.get("rhat_max", float("nan"))
    ess = d.get("ess_bulk_min", float("nan"))
    return {
        "mae_pp": aggregate_mae(res, bench.truth),
        "ei_pct": ei_index(res, bench.truth),
        "unit_wmae_pp": unit_wmae(res.unit_params, bench.truth_units),
        "coverage": coverage(
            ci["lower"].to_numpy().reshape(shape),
            ci["upper"].to_numpy().reshape(shape),
            bench.truth,
        ),
        "rhat_max": float(rhat),
        "ess_min": float(ess),
        "seconds": float(res.seconds),
    }


def synthetic(
    U: int = 2000, R: int = 5, C: int = 4, seed: int = 2026, size: int = 400, conc: float = 30.0
) -> tuple[UnitTable, np.ndarray, np.ndarray]:
    """A SIMULATED R × C problem: unit matrices Dirichlet around a global ``P``.

    Used by ``make benchmark`` and the prior and speed studies (``scripts/``, ``benchmarks/``).

    Returns the unit table, the true aggregate counts ``(R, C)`` and unit counts ``(U, R, C)``.
    """
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(C), R)
    X = np.stack([rng.multinomial(size, p) for p in rng.dirichlet(np.full(R, 2.0), U)])
    cells = np.zeros((U, R, C), dtype=int)
    for r in range(R):
        Pu = rng.dirichlet(P[r] * conc + 1e-3, U)
        cells[:, r] = np.stack([rng.multinomial(X[u, r], Pu[u]) for u in range(U)])
    return UnitTable.from_arrays(X, cells.sum(1)), cells.sum(0), cells
