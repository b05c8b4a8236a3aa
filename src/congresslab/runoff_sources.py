"""Published national figures of two-round votes, read from ``data/raw/`` with their lines.

The runoff notebooks need every figure with the raw row it comes from, and every version
where sources conflict. :func:`published_figures` reads ``history_results.csv`` (PS,
1971–2015) or ``other_parties_results.csv`` (other parties) through
:func:`congresslab.raw.read_raw` (checksum verified) and returns one row per published
figure with its ``line`` in the raw file; :func:`one_figure` picks a figure and refuses
silently resolving a conflict; :func:`share_versions` gives each source's version of a
round's shares; :func:`published_turnout` does the same for turnout rows.

Counts printed with a note (``44000 (approx.)``) are kept as ``NaN`` with the text in
``votes_text``: approximate figures are never used as exact ones.

Examples
--------
>>> f = published_figures("LR", 2022, "2")
>>> one_figure(f, "Eric Ciotti", "votes")
(33609.0, [14])
"""

from __future__ import annotations

import pandas as pd

from congresslab.raw import read_raw

__all__ = ["published_figures", "published_turnout", "one_figure", "share_versions"]


def _number(text: object) -> float:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return float("nan")
    try:
        return float(str(text).replace(" ", "").replace("\u202f", ""))
    except ValueError:
        return float("nan")  # "44000 (approx.)", "61 (rounded)": kept as text only


def published_figures(party: str, year: int, round: str) -> pd.DataFrame:
    """Every published figure of one round of one vote, one row per raw row.

    Parameters
    ----------
    party
        ``"PS"`` (read from ``history_results.csv``) or a party code of
        ``other_parties_results.csv`` (``"LR"``, ``"UMP"``, ``"UDI"``,
        ``"EELV / Pole ecologiste"``, ...).
    year
        Year of the vote.
    round
        Round as the raw file writes it (``"1"``, ``"2"``, ``"motions"``).

    Returns
    -------
    pandas.DataFrame
        ``candidate``, ``option_kind``, ``votes`` (float, NaN when absent or approximate),
        ``votes_text``, ``share_pct`` (float), ``share_text``, ``status``, ``source``,
        ``file``, ``line``.

    Raises
    ------
    ValueError
        If no row matches (naming the file and the filter).
    """
    if party == "PS":
        file = "history_results.csv"
        raw = read_raw(file)
        raw = raw[(raw["congress_year"] == str(year)) & (raw["round"] == str(round))]
        cand = raw["option_label"]
    else:
        file = "other_parties_results.csv"
        raw = read_raw(file)
        raw = raw[(raw["party"] == party) & (raw["year"] == str(year))
                  & (raw["round"] == str(round))]
        cand = raw["candidate"]
    if raw.empty:
        raise ValueError(f"data/raw/{file}: no rows for party {party!r}, year {year}, "
                         f"round {round!r}")
    return pd.DataFrame({
        "candidate": cand.str.strip(), "option_kind": raw["option_kind"],
        "votes": raw["votes"].map(_number), "votes_text": raw["votes"],
        "share_pct": raw["share_pct"].map(_number), "share_text": raw["share_pct"],
        "status": raw["status"], "source": raw["source"], "file": f"data/raw/{file}",
        "line": raw["_line"]}).reset_index(drop=True)


def published_turnout(party: str, year: int, round: str) -> pd.DataFrame:
    """Every published turnout row of one round (registered, voters, expressed), with lines.

    Examples
    --------
    >>> t = published_turnout("PS", 2008, "2")
    >>> t["voters"].tolist(), t["line"].tolist()
    ([137116.0], [14])
    """
    if party == "PS":
        file = "history_turnout.csv"
        raw = read_raw(file)
        raw = raw[(raw["congress_year"] == str(year)) & (raw["round"] == str(round))]
    else:
        file = "other_parties_turnout.csv"
        raw = read_raw(file)
        raw = raw[(raw["party"] == party) & (raw["year"] == str(year))
                  & (raw["round"] == str(round))]
    if raw.empty:
        raise ValueError(f"data/raw/{file}: no turnout rows for party {party!r}, year {year}, "
                         f"round {round!r}")
    out = pd.DataFrame({m: raw[m].map(_number) if m in raw else float("nan")
                        for m in ("registered", "voters", "expressed")})
    out["status"] = raw["status"].to_numpy()
    out["source"] = raw["source"].to_numpy()
    out["file"] = f"data/raw/{file}"
    out["line"] = raw["_line"].to_numpy().astype(int)
    return out.reset_index(drop=True)


def one_figure(figures: pd.DataFrame, candidate: str, column: str, *,
               status_startswith: str | None = "official") -> tuple[float, list[int]]:
    """The single value of ``column`` published for ``candidate``, with its raw lines.

    Rows whose status does not start with ``status_startswith`` (``None``: all rows) and
    rows without a value are ignored. Several *different* values are a conflict: the
    function refuses to choose and names them.

    Raises
    ------
    ValueError
        If no row has the value, or the rows disagree.

    Examples
    --------
    >>> f = published_figures("UMP", 2012, "1")
    >>> one_figure(f, "Jean-François Copé", "votes")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Jean-François Copé votes: sources disagree (86911, 87388) in ...
    """
    rows = figures[figures["candidate"] == candidate]
    if status_startswith is not None:
        rows = rows[rows["status"].str.lower().str.startswith(status_startswith)]
    rows = rows[rows[column].notna()]
    if rows.empty:
        raise ValueError(f"{candidate} {column}: no published value (status "
                         f"{status_startswith!r}) in {figures['file'].iloc[0]}")
    values = sorted(set(rows[column].round(6)))
    if len(values) > 1:
        shown = ", ".join(f"{v:g}" for v in values)
        raise ValueError(f"{candidate} {column}: sources disagree ({shown}) in "
                         f"{figures['file'].iloc[0]} lines {rows['line'].tolist()}; choose "
                         "with status_startswith= or pick a version")
    return float(values[0]), [int(x) for x in rows["line"]]


def share_versions(figures: pd.DataFrame, candidates: list[str]) -> pd.DataFrame:
    """Each source's version of the shares of ``candidates`` (sources giving all of them).

    Returns
    -------
    pandas.DataFrame
        One row per source: a column per candidate (%), ``sum``, ``status`` (of the first
        candidate's row), ``lines``.

    Examples
    --------
    >>> f = published_figures("PS", 2008, "1")
    >>> v = share_versions(f, ["Ségolène Royal", "Martine Aubry", "Benoît Hamon"])
    >>> v["Ségolène Royal"].tolist()
    [42.45, 43.1, 42.51]
    """
    rows = []
    for source, g in figures.groupby("source", sort=False):
        g = g[g["candidate"].isin(candidates) & g["share_pct"].notna()]
        if set(g["candidate"]) != set(candidates) or len(g) != len(candidates):
            continue
        shares = g.set_index("candidate")["share_pct"]
        rows.append({**{c: float(shares[c]) for c in candidates},
                     "sum": round(float(shares.sum()), 2), "status": g["status"].iloc[0],
                     "source": source, "lines": [int(x) for x in g["line"]]})
    return pd.DataFrame(rows)
