"""Loaders for the tidy tables of ``data/processed/``.

Each loader reads a processed table (building ``data/processed/`` first if it is missing)
and filters it. Counts are nullable integers (``Int64``): a figure that was never
published stays ``<NA>``.

Examples
--------
>>> r = load_results(2025, round=2)
>>> print(r[["candidate", "votes", "share_pct"]].to_string(index=False))
              candidate  votes  share_pct
          Olivier Faure  12689      51.15
Nicolas Mayer-Rossignol  12120      48.85
>>> int(load_turnout(2025, round=2)["voters"].iloc[0])
25164
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from congresslab import paths
from congresslab.data.clean import STATUSES, build_data

__all__ = [
    "load_results",
    "load_turnout",
    "load_turnout_conflicts",
    "load_federations",
    "load_federation_summaries",
    "congresses",
    "compare_statuses",
]

_DTYPES = {
    "results": {"votes": "Int64", "share_pct": "Float64", "votes_method": "string",
                "share_method": "string", "note": "string"},
    "turnout": {m: "Int64" for m in ("registered", "voters", "expressed", "blank_null")},
    "turnout_conflicts": {"value_used": "Int64"},
    "federations": {"round": "string", "date": "string", "federation_code": "string",
                    "option": "string", "candidate": "string"},
    "federation_summaries": {"round": "Int64", "option": "string"},
}


def _read(name: str, processed: Path | None = None) -> pd.DataFrame:
    processed = paths.PROCESSED if processed is None else Path(processed)
    path = processed / f"{name}.csv"
    if not path.exists():
        build_data(out_dir=processed)
    return pd.read_csv(path, dtype=_DTYPES.get(name, {}))


def _filter(frame: pd.DataFrame, **criteria: object) -> pd.DataFrame:
    for column, value in criteria.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple | set) else [value]
        frame = frame[frame[column].isin(list(values))]
    return frame.reset_index(drop=True)


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES} or None, not {status!r}")


def load_results(year: int | None = None, round: int | None = None,
                 status: str | None = "official") -> pd.DataFrame:
    """National results per option (motion or candidate).

    Parameters
    ----------
    year, round
        Congress year (2018, 2021, 2023, 2025) and round (1 = motions, 2 = runoff);
        ``None`` keeps all.
    status
        ``"official"`` (default), ``"provisional"``, or ``None`` for both.

    Returns
    -------
    pandas.DataFrame
        Columns ``congress_year, congress_city, round, date, status, option_kind,
        option_label, candidate, votes, share_pct, votes_method, share_method, note,
        source``. ``votes_method`` is ``published`` or ``derived`` (share × published
        expressed votes) and ``<NA>`` where no count exists.

    Examples
    --------
    >>> load_results(2023, round=1)["votes"].tolist()
    [11277, 7001, 4666]
    """
    _check_status(status)
    return _filter(_read("results"), congress_year=year, round=round, status=status)


def load_turnout(year: int | None = None, round: int | None = None,
                 status: str | None = None) -> pd.DataFrame:
    """Registered members, voters, expressed and blank/null votes.

    ``*_method`` columns say whether each figure was ``published`` or ``derived``, and
    ``derivation`` gives the arithmetic of the derived ones; ``conflict`` is True where
    sources disagree (see :func:`load_turnout_conflicts`).

    Examples
    --------
    >>> t = load_turnout(2025, round=1)
    >>> int(t["registered"].iloc[0]), bool(t["conflict"].iloc[0])
    (39815, True)
    """
    _check_status(status)
    return _filter(_read("turnout"), congress_year=year, round=round, status=status)


def load_turnout_conflicts(year: int | None = None) -> pd.DataFrame:
    """Figures on which the sources disagree: the value used beside each alternative.

    Examples
    --------
    >>> load_turnout_conflicts(2025)[["metric", "value_used", "alternative"]].values.tolist()
    [['registered', 39815, 38815.0]]
    """
    return _filter(_read("turnout_conflicts"), congress_year=year)


def load_federations(year: int | None = None, metric: str | None = None,
                     federation: str | None = None) -> pd.DataFrame:
    """Per-federation fragments found in the press (sparse), with canonical codes.

    Parameters
    ----------
    year
        Congress year, including 2008 (Reims) whose rounds are ``motions``, ``1``, ``2``.
    metric
        E.g. ``"votes"``, ``"share"``, ``"members"``, ``"registered"``.
    federation
        Canonical federation code (``"75"``, ``"2A"``, ``"971"``, ``"FFE"``).

    Examples
    --------
    >>> m = load_federations(2025, metric="members")
    >>> m.set_index("federation")["value"].astype(int).to_dict()["Paris"]
    3181
    """
    return _filter(_read("federations"), congress_year=year, metric=metric,
                   federation_code=federation)


def load_federation_summaries(year: int | None = None) -> pd.DataFrame:
    """Published statistics over all federations (e.g. federations won in the 2025 runoff)."""
    return _filter(_read("federation_summaries"), congress_year=year)


def congresses() -> pd.DataFrame:
    """What is known: one row per congress, round and status, with what was published.

    Examples
    --------
    >>> c = congresses()
    >>> sorted(c["congress_year"].unique().tolist())
    [2018, 2021, 2023, 2025]
    """
    results = _read("results")
    turnout = _read("turnout").set_index(["congress_year", "round", "status"])
    rows = []
    for (year, rnd, status), group in results.groupby(["congress_year", "round", "status"]):
        method = group["votes_method"].fillna("none")
        t = turnout.loc[(year, rnd, status)] if (year, rnd, status) in turnout.index else None
        rows.append({
            "congress_year": year, "city": group["congress_city"].iloc[0], "round": rnd,
            "status": status, "options": len(group),
            "leader": group.sort_values("share_pct", ascending=False)["candidate"].iloc[0],
            "counts": "published" if (method == "published").all() else
                      "derived" if (method != "none").all() else "shares only",
            "voters": t["voters"] if t is not None else pd.NA,
            "expressed": t["expressed"] if t is not None else pd.NA,
        })
    out = pd.DataFrame(rows)
    for col in ("voters", "expressed"):
        out[col] = out[col].astype("Int64")
    return out.sort_values(["congress_year", "round", "status"],
                           ascending=[True, True, False]).reset_index(drop=True)


def compare_statuses(year: int, round: int) -> pd.DataFrame:
    """Provisional beside official results of one round, with the change between them.

    Returns one row per candidate: ``share_provisional``, ``share_official``,
    ``share_change`` (percentage points), and the same for ``votes`` where counts exist
    (``<NA>`` otherwise).

    Examples
    --------
    >>> c = compare_statuses(2023, 2)
    >>> c[["candidate", "votes_provisional", "votes_official", "votes_change"]].values.tolist()
    [['Olivier Faure', 12076, 12020, -56], ['Nicolas Mayer-Rossignol', 11683, 11507, -176]]
    """
    results = load_results(year, round=round, status=None)
    if results.empty:
        raise ValueError(f"no results for congress {year}, round {round}")
    wide = results.pivot(index="candidate", columns="status", values=["share_pct", "votes"])
    out = pd.DataFrame(index=wide.index)
    for status in STATUSES:
        present = status in wide["share_pct"]
        out[f"share_{status}"] = (wide["share_pct"][status] if present else
                                  pd.Series(pd.NA, index=wide.index)).astype("Float64")
        out[f"votes_{status}"] = (wide["votes"][status] if present else
                                  pd.Series(pd.NA, index=wide.index)).astype("Int64")
    out["share_change"] = (out["share_official"] - out["share_provisional"]).round(2)
    out["votes_change"] = out["votes_official"] - out["votes_provisional"]
    for col in ("votes_provisional", "votes_official", "votes_change"):
        out[col] = out[col].astype("Int64")
    order = results[results["status"] == results["status"].iloc[-1]]
    out = out.loc[order.sort_values("share_pct", ascending=False)["candidate"]]
    return out.reset_index()
