"""Congress-level statistics over the whole history, with conflicting versions kept as ranges.

* :func:`effective_number` — the effective number of motions (Laakso & Taagepera 1979);
* :func:`version_summary` — per published version of a vote: number of options, leading
  share, margin over the second, effective number; only *complete* versions (shares
  adding up to 100 within a tolerance) get the statistics that need every option;
* :func:`vote_ranges` — per vote, each statistic as ``min`` / ``max`` over its complete
  versions (a single figure where the sources agree, a range where they do not) and the
  default version's value;
* :func:`leader_ranges` — per vote, the share of the candidate with the largest published
  share, as a range over every row giving it (complete versions or not: a sole candidate's
  share leaves blank votes out of 100);
* :func:`value_ranges` — the same for any column of any table (turnout, membership).

Examples
--------
>>> round(effective_number([50, 30, 20]), 2)
2.63
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["effective_number", "version_summary", "vote_ranges", "leader_ranges",
           "value_ranges"]

_OPTIONS = ("motion", "candidate", "merged motion", "text/motion")


def effective_number(shares: Iterable[float]) -> float:
    """Effective number of options, ``1 / Σ p²`` with ``p`` the shares normalised to 1.

    Raises
    ------
    ValueError
        If a share is negative or not finite, or all are zero.

    Examples
    --------
    >>> effective_number([25, 25, 25, 25])
    4.0
    >>> effective_number([100])
    1.0
    """
    p = np.asarray(list(shares), dtype=float)
    if p.size == 0 or not np.isfinite(p).all() or (p < 0).any() or p.sum() <= 0:
        raise ValueError(f"shares must be finite, non-negative and not all zero: {p.tolist()}")
    p = p / p.sum()
    return float(1 / (p ** 2).sum())


def version_summary(results: pd.DataFrame, *, tolerance: float = 2.0) -> pd.DataFrame:
    """Statistics of each published version of each vote.

    Parameters
    ----------
    results
        Rows as returned by ``load_results(..., status=None)`` (columns
        ``congress_year``, ``round``, ``vote_kind``, ``version``, ``is_default``,
        ``option_kind``, ``candidate``, ``share_pct``).
    tolerance
        A version is *complete* when its option shares add up to 100 within this many
        points (rounded shares; the data model flags sums off by more than the rounding).

    Returns
    -------
    pandas.DataFrame
        One row per version: ``options``, ``shares_sum``, ``complete``, ``leader``,
        ``leading_pct``, ``margin_pp`` (leader − second) and ``effective_number`` (NaN for
        incomplete versions, whose leader may be missing), ``is_default``.

    Examples
    --------
    >>> import congresslab as cl
    >>> v = version_summary(cl.load_results(2023, round=1, status=None))
    >>> [(int(r.options), r.leading_pct, r.margin_pp) for r in v.itertuples()]
    [(3, 49.15, 18.64)]
    """
    need = {"congress_year", "round", "vote_kind", "version", "option_kind", "share_pct"}
    if not need <= set(results.columns):
        raise ValueError(f"results lack columns {sorted(need - set(results.columns))}")
    rows = []
    opts = results[results["option_kind"].isin(_OPTIONS) & results["share_pct"].notna()]
    keys = ["congress_year", "round", "vote_kind", "version"]
    for key, g in opts.groupby(keys, sort=True):
        g = g.sort_values("share_pct", ascending=False)
        shares = g["share_pct"].astype(float).to_numpy()
        total = float(shares.sum())
        complete = abs(total - 100) <= tolerance and len(shares) >= 1
        rows.append({
            **dict(zip(keys, key, strict=True)), "options": len(shares),
            "shares_sum": round(total, 2), "complete": complete,
            "leader": g["candidate"].iloc[0] if complete else None,
            "leading_pct": float(shares[0]) if complete else np.nan,
            "margin_pp": round(float(shares[0] - shares[1]), 2) if complete and len(shares) > 1
            else np.nan,
            "effective_number": round(effective_number(shares), 2) if complete else np.nan,
            "is_default": bool(g["is_default"].iloc[0]) if "is_default" in g else False,
        })
    return pd.DataFrame(rows)


def vote_ranges(versions: pd.DataFrame,
                stats: Sequence[str] = ("options", "leading_pct", "margin_pp",
                                        "effective_number")) -> pd.DataFrame:
    """Each statistic as a range over a vote's complete versions.

    Returns
    -------
    pandas.DataFrame
        One row per vote (``congress_year``, ``round``, ``vote_kind``): ``<stat>_min``,
        ``<stat>_max`` over complete versions, ``<stat>_default`` (the default version's
        value, NaN if it is incomplete), ``versions`` and ``complete_versions``. Votes
        without a complete version keep NaN ranges: nothing is filled in.

    Examples
    --------
    >>> v = pd.DataFrame({"congress_year": [1990, 1990], "round": ["motions"] * 2,
    ...                   "vote_kind": ["members_motion"] * 2, "complete": [True, True],
    ...                   "is_default": [True, False], "leading_pct": [29.0, 28.9]})
    >>> r = vote_ranges(v, stats=["leading_pct"]).iloc[0]
    >>> float(r["leading_pct_min"]), float(r["leading_pct_max"]), int(r["versions"])
    (28.9, 29.0, 2)
    """
    keys = ["congress_year", "round", "vote_kind"]
    rows = []
    for key, g in versions.groupby(keys, sort=True):
        ok = g[g["complete"]]
        row = {**dict(zip(keys, key, strict=True)), "versions": len(g),
               "complete_versions": len(ok)}
        default = ok[ok["is_default"]]
        for s in stats:
            row[f"{s}_min"] = float(ok[s].min()) if len(ok) else np.nan
            row[f"{s}_max"] = float(ok[s].max()) if len(ok) else np.nan
            row[f"{s}_default"] = float(default[s].iloc[0]) if len(default) else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def leader_ranges(results: pd.DataFrame) -> pd.DataFrame:
    """The leading candidate's share per vote, as a range over every row that gives it.

    The leader is the candidate with the largest share in any row of the vote; the other
    candidates with a published share are counted in ``candidates``.

    Examples
    --------
    >>> rows = pd.DataFrame({"congress_year": [2015] * 3, "round": ["1"] * 3,
    ...                      "vote_kind": ["members_leadership"] * 3,
    ...                      "option_kind": ["candidate"] * 3, "candidate": ["A", "B", "A"],
    ...                      "share_pct": [70.0, 30.0, 69.9]})
    >>> leader_ranges(rows)[["leader", "leader_pct_min", "leader_pct_max", "candidates"]
    ...                     ].values.tolist()
    [['A', 69.9, 70.0, 2]]
    """
    keys = ["congress_year", "round", "vote_kind"]
    opts = results[results["option_kind"].isin(_OPTIONS) & results["share_pct"].notna()]
    rows = []
    for key, g in opts.groupby(keys, sort=True):
        shares = g["share_pct"].astype(float)
        leader = g.loc[shares.idxmax(), "candidate"]
        own = shares[g["candidate"] == leader]
        rows.append({**dict(zip(keys, key, strict=True)), "leader": leader,
                     "leader_pct_min": float(own.min()), "leader_pct_max": float(own.max()),
                     "figures": len(own), "candidates": int(g["candidate"].nunique())})
    return pd.DataFrame(rows)


def value_ranges(frame: pd.DataFrame, value: str, by: Sequence[str]) -> pd.DataFrame:
    """``min``, ``max`` and number of published figures of ``value`` per group.

    Examples
    --------
    >>> t = pd.DataFrame({"year": [2008, 2008, 2012], "voters": [128978, 130000, None]})
    >>> value_ranges(t, "voters", ["year"]).to_dict("records")
    [{'year': 2008, 'voters_min': 128978.0, 'voters_max': 130000.0, 'figures': 2}]
    """
    if value not in frame.columns:
        raise ValueError(f"no column {value!r} (columns: {list(frame.columns)})")
    known = frame[frame[value].notna()].copy()
    known[value] = known[value].astype(float)
    out = known.groupby(list(by), sort=True)[value].agg(["min", "max", "count"]).reset_index()
    return out.rename(columns={"min": f"{value}_min", "max": f"{value}_max",
                               "count": "figures"})
