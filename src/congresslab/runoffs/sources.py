"""Published national figures of two-round votes, every version, with their raw lines.

The runoff notebooks need every figure with the raw row it comes from, and every version
where sources conflict. :func:`published_figures` and :func:`published_turnout` are views
of :func:`congresslab.load_results` / :func:`congresslab.load_turnout` with
``status=None`` (every version), keeping the normalised ``status``, the ``approximate``
flag and the raw file and line of each figure; :func:`one_figure` and :func:`one_turnout`
pick one figure and refuse to resolve a conflict silently; :func:`share_versions` gives
each source's version of a round's shares; :func:`party_runoff` builds a
:class:`~congresslab.runoffs.Runoff` from a vote's official figures.

Approximate figures (``44000 (approx.)``) are flagged (``approximate``) and never picked
as exact ones.

Examples
--------
>>> f = published_figures("LR", 2022, 2)
>>> one_figure(f, "Eric Ciotti", "votes")
(33609.0, [14])
"""

from __future__ import annotations

import pandas as pd

from congresslab.data.load import load_results, load_turnout

__all__ = ["published_figures", "published_turnout", "one_figure", "one_turnout",
           "share_versions", "count_versions", "party_runoff"]


def published_figures(party: str, year: int, round: int | str) -> pd.DataFrame:
    """Every published figure of one round of one members' vote, one row per raw row.

    Parameters
    ----------
    party
        ``"PS"``, ``"LR"``, ``"UMP"``, ``"UDI"``, ``"EELV / Pole ecologiste"``, ...
    year
        Year of the vote.
    round
        ``1``, ``2`` or ``"motions"``.

    Returns
    -------
    pandas.DataFrame
        ``candidate``, ``option_kind``, ``votes`` (float, NaN when absent),
        ``votes_text``, ``share_pct`` (float), ``status`` (normalised), ``status_text``,
        ``approximate``, ``source``, ``file``, ``line``.

    Raises
    ------
    ValueError
        If no row matches.
    """
    raw = load_results(year, round=round, status=None, party=party)
    if raw.empty:
        raise ValueError(f"no results for party {party!r}, year {year}, round {round!r}")
    approx = raw["approximate"].fillna(False).astype(bool)
    votes = raw["votes"].astype("Float64").astype(float)
    return pd.DataFrame({
        "candidate": raw["candidate"].fillna(raw["option_label"]).astype(str).str.strip(),
        "option_kind": raw["option_kind"], "votes": votes,
        "votes_text": raw["votes_text"],
        "share_pct": raw["share_pct"].astype("Float64").astype(float),
        "share_text": raw["share_text"],
        "status": raw["status"], "status_text": raw["status_text"], "approximate": approx,
        "source": raw["source"], "file": "data/raw/" + raw["raw_file"].astype(str),
        "line": raw["raw_line"].astype(int)}).reset_index(drop=True)


def published_turnout(party: str, year: int, round: int | str) -> pd.DataFrame:
    """Every published turnout row of one round (registered, voters, expressed), with lines.

    Examples
    --------
    >>> t = published_turnout("PS", 2008, 2)
    >>> t["voters"].tolist(), t["line"].tolist()
    ([137116.0], [14])
    """
    raw = load_turnout(year, round=round, status=None, party=party)
    raw = raw[raw["raw_line"].notna()]
    if raw.empty:
        raise ValueError(f"no turnout rows for party {party!r}, year {year}, round {round!r}")
    out = pd.DataFrame({m: raw[m].astype("Float64").astype(float)
                        for m in ("registered", "voters", "expressed")})
    out["approximate"] = raw["approximate"].fillna(False).astype(bool).to_numpy()
    out["status"] = raw["status"].to_numpy()
    out["status_text"] = raw["status_text"].to_numpy()
    out["source"] = raw["source"].to_numpy()
    out["file"] = ("data/raw/" + raw["raw_file"].astype(str)).to_numpy()
    out["line"] = raw["raw_line"].astype(int).to_numpy()
    return out.reset_index(drop=True)


def one_figure(figures: pd.DataFrame, candidate: str, column: str, *,
               status: str | tuple[str, ...] | None = "official",
               approximate: bool = False) -> tuple[float, list[int]]:
    """The single value of ``column`` published for ``candidate``, with its raw lines.

    Rows of another normalised ``status`` (one, a tuple of several, or ``None`` for all
    rows), approximate rows (unless ``approximate=True``) and rows without a value are
    ignored. Several *different* values are a conflict: the
    function refuses to choose and names them.

    Raises
    ------
    ValueError
        If no row has the value, or the rows disagree.

    Examples
    --------
    >>> f = published_figures("UMP", 2012, 1)
    >>> one_figure(f, "Jean-François Copé", "votes")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Jean-François Copé votes: sources disagree (86911, 87388) in ...
    """
    rows = figures[figures["candidate"] == candidate]
    if not approximate:
        rows = rows[~rows["approximate"]]
    if status is not None:
        rows = rows[rows["status"].isin([status] if isinstance(status, str) else status)]
    rows = rows[rows[column].notna()]
    if rows.empty:
        raise ValueError(f"{candidate} {column}: no published value (status {status!r}) in "
                         f"{figures['file'].iloc[0]}")
    values = sorted(set(rows[column].round(6)))
    if len(values) > 1 and column == "share_pct":
        finest = _finest_if_rounded(rows)
        if finest is not None:
            return finest, [int(x) for x in rows["line"]]
    if len(values) > 1:
        shown = ", ".join(f"{v:g}" for v in values)
        raise ValueError(f"{candidate} {column}: sources disagree ({shown}) in "
                         f"{figures['file'].iloc[0]} lines {rows['line'].tolist()}; choose "
                         "with status= or pick a version")
    return float(values[0]), [int(x) for x in rows["line"]]


def share_versions(figures: pd.DataFrame, candidates: list[str], *,
                   approximate: bool = False) -> pd.DataFrame:
    """Each source's version of the shares of ``candidates`` (sources giving all of them).

    Approximate figures ("around 42 %") are left out unless ``approximate=True``.

    Returns
    -------
    pandas.DataFrame
        One row per source: a column per candidate (%), ``sum``, ``status`` (of the first
        candidate's row), ``lines``.

    Examples
    --------
    >>> f = published_figures("PS", 2008, 1)
    >>> v = share_versions(f, ["Ségolène Royal", "Martine Aubry", "Benoît Hamon"])
    >>> v["Ségolène Royal"].tolist()
    [42.45, 43.1, 42.51]
    """
    rows = []
    if not approximate:
        figures = figures[~figures["approximate"]]
    for source, g in figures.groupby("source", sort=False):
        g = g[g["candidate"].isin(candidates) & g["share_pct"].notna()]
        if set(g["candidate"]) != set(candidates) or len(g) != len(candidates):
            continue
        shares = g.set_index("candidate")["share_pct"]
        rows.append({**{c: float(shares[c]) for c in candidates},
                     "sum": round(float(shares.sum()), 2), "status": g["status"].iloc[0],
                     "source": source, "lines": [int(x) for x in g["line"]]})
    return pd.DataFrame(rows)


def count_versions(figures: pd.DataFrame, candidates: list[str]) -> pd.DataFrame:
    """Each published version of the counts of ``candidates`` (rows published together).

    Rows are grouped by source and status; a group giving a count for every candidate is
    a version. The margin is the first candidate's count minus the second's.

    Examples
    --------
    >>> f = published_figures("UMP", 2012, 1)
    >>> v = count_versions(f, ["Jean-François Copé", "François Fillon"])
    >>> v[["Jean-François Copé", "François Fillon", "margin"]].values.tolist()
    [[87388.0, 87290.0, 98.0], [87978.0, 88004.0, -26.0], [86911.0, 85959.0, 952.0]]
    """
    rows = []
    exact = figures[~figures["approximate"] & figures["votes"].notna()]
    for (source, status), g in exact.groupby(["source", "status"], sort=False):
        g = g[g["candidate"].isin(candidates)].drop_duplicates("candidate")
        if set(g["candidate"]) != set(candidates):
            continue
        votes = g.set_index("candidate")["votes"]
        key = tuple(float(votes[c]) for c in candidates)
        if any(r["key"] == key for r in rows):
            continue
        rows.append({"key": key, **{c: float(votes[c]) for c in candidates},
                     "margin": float(votes[candidates[0]] - votes[candidates[1]]),
                     "status": status, "status_text": g["status_text"].iloc[0],
                     "source": source, "lines": [int(x) for x in g["line"]]})
    return pd.DataFrame(rows).drop(columns="key") if rows else pd.DataFrame()


def _decimals(text: object) -> int:
    number = str(text).split("(")[0].strip().replace(",", ".")
    return len(number.split(".")[1]) if "." in number else 0


def _finest_if_rounded(rows: pd.DataFrame) -> float | None:
    """The most precise share if every other one is it rounded, else None."""
    text = rows["share_text"] if "share_text" in rows else rows["share_pct"].astype(str)
    decimals = [_decimals(t) for t in text]
    finest = float(rows["share_pct"].iloc[decimals.index(max(decimals))])
    for value, dec in zip(rows["share_pct"], decimals, strict=True):
        if abs(round(finest, dec) - float(value)) > 1e-9:
            return None
    return finest


def one_turnout(party: str, year: int, round: int | str, metric: str, *,
                pick: float | None = None) -> tuple[float, list[int]]:
    """One published turnout figure (``registered``, ``voters``, ``expressed``) and its lines.

    Where the sources disagree, ``pick`` must name one of the published values: the choice
    is then explicit in the caller, and checked against the raw rows. Approximate figures
    are left out.

    Raises
    ------
    ValueError
        If nothing is published, the sources disagree and ``pick`` is not given, or
        ``pick`` is not one of the published values.

    Examples
    --------
    >>> one_turnout("LR", 2022, 1, "registered", pick=91109)
    (91109.0, [2])
    """
    rows = published_turnout(party, year, round)
    rows = rows[rows[metric].notna() & ~rows["approximate"]]
    if rows.empty:
        raise ValueError(f"{party} {year} round {round}: no published {metric}")
    values = sorted(set(rows[metric]))
    if pick is not None:
        if float(pick) not in values:
            raise ValueError(f"{party} {year} round {round}: {metric} = {pick:g} is not "
                             f"published (published: {', '.join(f'{v:g}' for v in values)})")
        chosen = float(pick)
    elif len(values) > 1:
        raise ValueError(f"{party} {year} round {round}: sources disagree on {metric} "
                         f"({', '.join(f'{v:g}' for v in values)}): pass pick=")
    else:
        chosen = values[0]
    return chosen, [int(x) for x in rows[rows[metric] == chosen]["line"]]


def _round_votes(figures: pd.DataFrame, status: tuple[str, ...]) -> dict[str, float] | None:
    names = [c for c in dict.fromkeys(figures["candidate"]) if "(approx.)" not in c
             and not c.startswith("Votes ")
             and figures.loc[figures["candidate"] == c, "option_kind"].iloc[0] == "candidate"]
    try:
        return {c: one_figure(figures, c, "votes", status=status)[0] for c in names}
    except ValueError:
        return None


def _round_shares(figures: pd.DataFrame, status: tuple[str, ...]) -> dict[str, float]:
    names = [c for c in dict.fromkeys(figures["candidate"]) if "(approx.)" not in c
             and figures.loc[figures["candidate"] == c, "option_kind"].iloc[0] == "candidate"]
    return {c: one_figure(figures, c, "share_pct", status=status)[0] for c in names}


def party_runoff(party: str, year: int, *, r1_expressed: float | None = None,
                 r2_expressed: float | str | None = None, registered: float | None = None,
                 r1_voters: float | None = None, r2_voters: float | None = None,
                 status: tuple[str, ...] = ("official", "second_hand"),
                 assumptions: tuple[str, ...] = ()):
    """A :class:`~congresslab.runoffs.Runoff` from a vote's published official figures.

    Counts are used where every candidate of a round has one unambiguous count among the
    rows of the given normalised statuses (default: ``official`` and ``second_hand``, i.e.
    said official by a secondary source); otherwise the round's shares, times the base
    given as ``r1_expressed`` / ``r2_expressed`` (an assumption the caller states; refused
    if missing). ``r2_expressed="round 1"`` takes the runoff's expressed votes equal to
    round 1's (recorded as an assumption).

    Raises
    ------
    ValueError
        If a round has conflicting figures, or shares only and no base.

    Examples
    --------
    >>> r = party_runoff("EELV / Pole ecologiste", 2021)
    >>> r.winner, r.margin, r.eliminated[:2]
    ('Yannick Jadot', 2112.0, ['Delphine Batho', 'Eric Piolle'])
    """
    from congresslab.runoffs import Runoff

    label = f"{party} {year}"
    one, two = published_figures(party, year, 1), published_figures(party, year, 2)
    notes = list(assumptions)
    first = _round_votes(one, status)
    second = _round_votes(two, status)
    if isinstance(r2_expressed, str):
        if r2_expressed != "round 1" or first is None:
            raise ValueError(f"{label}: r2_expressed={r2_expressed!r}: only 'round 1' (with "
                             "round-1 counts) or a number is understood")
        r2_expressed = float(sum(first.values()))
        notes.append(f"runoff expressed votes not published: taken equal to round 1's "
                     f"({r2_expressed:,.0f})")
    if second is None:
        if r2_expressed is None:
            raise ValueError(f"{label}: the runoff has no unambiguous {'/'.join(status)} "
                             "counts: pass r2_expressed= (the base of its shares, an "
                             "assumption)")
        pct = _round_shares(two, status)
        second = {c: v / sum(pct.values()) * r2_expressed for c, v in pct.items()}
        notes.append(f"runoff counts = published shares × {r2_expressed:,.0f} assumed "
                     "expressed votes")
    if first is None:
        if r1_expressed is None:
            raise ValueError(f"{label}: round 1 has no unambiguous {'/'.join(status)} "
                             "counts: pass r1_expressed= (the base of its shares, an "
                             "assumption)")
        return Runoff.from_shares(_round_shares(one, status), r1_expressed=r1_expressed,
                                  second=second, label=label, r1_voters=r1_voters,
                                  r2_voters=r2_voters, registered=registered,
                                  assumptions=notes)
    return Runoff.from_counts(first, second, label=label, r1_expressed=r1_expressed,
                              r1_voters=r1_voters, r2_voters=r2_voters,
                              registered=registered, assumptions=notes)
