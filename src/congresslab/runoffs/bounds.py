"""Bounds of a runoff's transfer cells: assuming nothing, or mostly loyal finalists' voters.

Both take the rounds over one closed electorate (``registered``) of a
:class:`~congresslab.runoffs.engine.Runoff`:

* :func:`duncan_davis_bounds` — the logical bounds of every cell, assuming nothing but a
  closed electorate;
* :func:`constrained_bounds` — the same bounds when the finalists' own voters are assumed
  mostly loyal (a linear program; without constraints it gives the Duncan–Davis bounds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from congresslab.errors import RunoffError
from congresslab.runoffs.engine import Runoff, _check_share, _number

__all__ = ["duncan_davis_bounds", "constrained_bounds"]


def _closed_table(runoff: Runoff, registered: float | None) -> tuple[pd.Series, pd.Series]:
    """Origin and destination counts over one closed electorate of ``registered``."""
    reg = runoff.registered if registered is None else registered
    if reg is None:
        raise RunoffError(f"{runoff.label}: registered members not known; pass registered= "
                          "(the electorate both rounds are taken over: an assumption)")
    reg = _number(reg, "registered")
    v1 = runoff.r1_expressed if runoff.r1_voters is None else float(runoff.r1_voters)
    v2 = runoff.r2_expressed if runoff.r2_voters is None else float(runoff.r2_voters)
    if reg < max(v1, v2) - 0.5:
        raise RunoffError(f"{runoff.label}: registered = {reg:,.0f} is below the "
                          f"{max(v1, v2):,.0f} who voted")
    origin = runoff.first.copy()
    origin["round-1 blank/null"] = v1 - runoff.first.sum()
    origin["round-1 non-voters"] = reg - v1
    dest = runoff.second.copy()
    dest["runoff blank/null"] = v2 - runoff.r2_expressed
    dest["runoff non-voters"] = reg - v2
    return origin[origin > 0.5], dest[dest > 0.5]


def _pooled_rows(runoff: Runoff) -> dict[str, list[str]]:
    groups = {e: [e] for e in runoff.eliminated}
    if len(runoff.eliminated) > 1:
        groups["eliminated (all)"] = runoff.eliminated
    return groups


def duncan_davis_bounds(runoff: Runoff, registered: float | None = None) -> pd.DataFrame:
    """Logical bounds (%) of every transfer cell, with no behavioural assumption.

    Origins: the round-1 candidates, round-1 blank/null and non-voters; destinations: the
    finalists, runoff blank/null and non-voters; both rounds over the same electorate
    (``registered``; default the runoff's figure). A cell from origin ``r`` to destination
    ``c`` holds between ``max(0, X_r + T_c − N)`` and ``min(X_r, T_c)`` voters (Duncan &
    Davis 1953; :func:`congresslab.transfers.unit_bounds`). With several eliminated
    candidates a pooled row ``eliminated (all)`` is added.

    Examples
    --------
    >>> r = Runoff.from_counts({"A": 60, "B": 25, "C": 15}, {"A": 90, "B": 10},
    ...                        registered=100)
    >>> b = duncan_davis_bounds(r).set_index(["origin", "destination"])
    >>> b.loc[("A", "A"), ["lower", "upper"]].tolist()
    [83.3, 100.0]
    """
    from congresslab.transfers import unit_bounds

    origin, dest = _closed_table(runoff, registered)
    groups = {o: [o] for o in origin.index}
    if len(runoff.eliminated) > 1:
        groups["eliminated (all)"] = runoff.eliminated
    rows = []  # each row (pooled or not) is bounded as one origin against everybody else
    for name, members in groups.items():
        x = origin[members].sum()
        rest = origin.sum() - x
        lo, hi = unit_bounds(np.array([[x, rest]]), dest.to_numpy()[None, :])
        for j, d in enumerate(dest.index):
            rows.append({"origin": name, "destination": d,
                         "lower": round(100 * float(lo[0, 0, j]), 1),
                         "upper": round(100 * float(hi[0, 0, j]), 1)})
    return pd.DataFrame(rows)


def constrained_bounds(runoff: Runoff, *, registered: float | None = None,
                       min_loyalty: float = 0.0, max_crossover: float = 1.0,
                       max_newcomers: float | None = None) -> pd.DataFrame:
    """Bounds (%) of each eliminated candidate's transfers when the finalists' voters are
    assumed mostly loyal.

    A linear program over the whole transfer table of a closed electorate (as in
    :func:`duncan_davis_bounds`), with the extra constraints that at least ``min_loyalty``
    of each finalist's round-1 voters voted for them again and at most ``max_crossover``
    for the other finalist, and (``max_newcomers``) that at most that many finalist votes
    came from round-1 blank/null voters and non-voters. With the defaults it reproduces
    the Duncan–Davis bounds.

    Returns
    -------
    pandas.DataFrame
        ``origin`` (each eliminated candidate, and ``eliminated (all)`` when there are
        several), ``destination`` (each finalist), ``lower``, ``upper`` (% of the origin's
        round-1 votes) and ``feasible`` (False, with NaN bounds, when no table satisfies
        the constraints).

    Examples
    --------
    >>> r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 52, "B": 48},
    ...                        registered=120)
    >>> constrained_bounds(r)[["lower", "upper"]].values.tolist()
    [[0.0, 100.0], [0.0, 100.0]]
    >>> b = constrained_bounds(r, min_loyalty=0.95, max_crossover=0.0)
    >>> b[["destination", "lower", "upper"]].values.tolist()
    [['A', 0.0, 46.2], ['B', 0.0, 73.8]]
    >>> b = constrained_bounds(r, min_loyalty=0.95, max_crossover=0.0, max_newcomers=0)
    >>> b[["destination", "lower", "upper"]].values.tolist()
    [['A', 35.0, 35.0], ['B', 65.0, 65.0]]
    """
    from scipy.optimize import linprog

    lo_share = _check_share(min_loyalty, "min_loyalty")
    cross = _check_share(max_crossover, "max_crossover")
    origin, dest = _closed_table(runoff, registered)
    R, C = len(origin), len(dest)
    oi = {o: i for i, o in enumerate(origin.index)}
    di = {d: j for j, d in enumerate(dest.index)}
    a_eq, b_eq = [], []
    for i in range(R):
        row = np.zeros(R * C)
        row[i * C:(i + 1) * C] = 1
        a_eq.append(row)
        b_eq.append(origin.iloc[i])
    for j in range(C - 1):  # the last column sum follows from the others
        col = np.zeros(R * C)
        col[j::C] = 1
        a_eq.append(col)
        b_eq.append(dest.iloc[j])
    a_ub, b_ub = [], []
    finalists = list(runoff.second.index)
    for f in finalists:
        if f not in oi:
            continue
        other = finalists[1 - finalists.index(f)]
        i, x = oi[f], float(origin[f])
        if lo_share > 0:
            row = np.zeros(R * C)
            row[i * C + di[f]] = -1
            a_ub.append(row)
            b_ub.append(-lo_share * x)
        if cross < 1:
            row = np.zeros(R * C)
            row[i * C + di[other]] = 1
            a_ub.append(row)
            b_ub.append(cross * x)
    if max_newcomers is not None:
        cap = _number(max_newcomers, "max_newcomers")
        row = np.zeros(R * C)
        for o in ("round-1 blank/null", "round-1 non-voters"):
            for f in finalists:
                if o in oi:
                    row[oi[o] * C + di[f]] = 1
        a_ub.append(row)
        b_ub.append(cap)
    kw = {"A_eq": np.array(a_eq), "b_eq": np.array(b_eq), "bounds": (0, None),
          "method": "highs"}
    if a_ub:
        kw.update(A_ub=np.array(a_ub), b_ub=np.array(b_ub))
    rows = []
    for name, members in _pooled_rows(runoff).items():
        total = float(origin[members].sum())
        for f in finalists:
            c = np.zeros(R * C)
            for m in members:
                c[oi[m] * C + di[f]] = 1
            res_lo = linprog(c, **kw)
            res_hi = linprog(-c, **kw)
            ok = res_lo.status == 0 and res_hi.status == 0
            rows.append({"origin": name, "destination": f,
                         "lower": round(100 * res_lo.fun / total, 1) if ok else float("nan"),
                         "upper": round(-100 * res_hi.fun / total, 1) if ok else float("nan"),
                         "feasible": bool(ok)})
    return pd.DataFrame(rows)
