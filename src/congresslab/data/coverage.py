"""What the data cover: one row per vote, per congress, and the coverage report.

:func:`vote_coverage` gives one row per vote (party, year, round, kind of vote) with its
default version's leader, turnout where known, the number of versions, of rows flagged
CONFLICT and of versions whose shares do not add up, and a coverage grade:

``full``
    the default version gives every motion or candidate a figure, its shares add up to 100
    within rounding (or it publishes a count for each of at least two options), and the
    number of voters (or of expressed votes) is known and does not exceed the number
    registered of the same turnout version;
``partial``
    some figures exist but not all of the above (a lone candidate's share, shares that do
    not add up, a missing option, no turnout);
``missing``
    no figure at all (only rows recording a figure searched for and not found).

:func:`congresses` groups the votes of one congress (PS) or one election (other parties);
:func:`rounds` is the per-round and per-version list that ``congresses()`` returned before
the history was added; :func:`write_coverage_report` writes ``reports/data_coverage.md``
(run by ``congresslab build-data``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from congresslab import paths
from congresslab.data.history import MEMBER_VOTE_KINDS, STATUS_RANK
from congresslab.data.load import load_results, load_turnout

__all__ = ["vote_coverage", "congresses", "rounds", "coverage_markdown",
           "write_coverage_report"]

_IN_SUM = {"motion", "candidate", "merged motion", "text/motion", "list",
           "candidate (uncontested)", "list (uncontested)"}
_VOTE = ["party", "congress_year", "round", "vote_kind"]
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_ROUND_ORDER = {"motions": 0, 1: 1, 2: 2, "congress_final": 3}


def _turnout_version(rows: pd.DataFrame) -> pd.Series | None:
    """The one turnout row whose figures a vote's row shows, or None.

    The default version where it gives the number of voters (or of expressed votes), else
    the best version that does (not approximate first, then by :data:`STATUS_RANK`), else
    the default version, else None. Voters, registered and participation are all taken from
    this one row, never mixed across versions.
    """
    if rows.empty:
        return None
    order = rows.assign(
        _n=rows["voters"].isna() & rows["expressed"].isna(),
        _d=~rows["is_default"].astype(bool), _a=rows["approximate"].astype(bool),
        _s=rows["status"].map(lambda s: STATUS_RANK.index(s) if s in STATUS_RANK else 0))
    best = order.sort_values(["_n", "_d", "_a", "_s"], kind="stable").iloc[0]
    return rows.loc[best.name]


def _figure(row: pd.Series | None, metric: str) -> object:
    if row is None or pd.isna(row[metric]):
        return pd.NA
    return float(row[metric]) if metric == "participation_published_pct" else int(row[metric])


def vote_coverage(party: str | None = None) -> pd.DataFrame:
    """One row per vote (party, year, round, kind of vote) with what is known about it.

    Parameters
    ----------
    party
        ``"PS"``, ``"LR"``, ... or ``None`` (default) for every party.

    Returns
    -------
    pandas.DataFrame
        ``party, congress_year, place, round, vote_kind, date, options, leader,
        leader_share, counts, versions, conflict_rows, shares_flagged, shares_sum,
        turnout_conflict_rows, voters, registered, participation_pct, turnout_approximate,
        turnout_version, voters_exceed_registered, complete, coverage``.
        ``conflict_rows`` counts the result rows flagged CONFLICT and
        ``turnout_conflict_rows`` the turnout rows flagged CONFLICT (kept apart).
        ``voters``, ``registered`` and ``participation_pct`` all come from ONE turnout
        version, named by ``turnout_version``: the default one where it gives the number of
        voters (or of expressed votes), else the best version that does (see
        ``_turnout_version``); a figure that version lacks stays ``<NA>`` rather than being
        taken from another version. ``participation_pct`` is that version's turnout
        percentage as published (``turnout_percentages.csv``), not computed.
        ``voters_exceed_registered`` flags a version whose voters exceed its registered
        (such a vote is never ``full``). ``complete`` is
        True when every option of the default version has a figure and its shares add up
        (or every option has a count), and no source records an option's figure as not
        found. ``counts`` is ``published``
        when the default version has a count for every option, ``some`` or ``none``;
        ``shares_flagged`` counts the versions whose shares do not add up to 100 within
        rounding; ``voters`` falls back to expressed votes where voters are not published.

    Examples
    --------
    >>> v = vote_coverage("LR").set_index(["congress_year", "round"])
    >>> v.loc[(2022, 1), "leader"], int(v.loc[(2022, 1), "voters"]), v.loc[(2022, 1), "coverage"]
    ('Eric Ciotti', 66216, 'full')
    >>> v.loc[(2022, 2), "coverage"]  # counts, but no number of voters for the runoff
    'partial'
    """
    results = load_results(status=None, party=party, vote_kind=None)
    turnout = load_turnout(status=None, party=party, vote_kind=None)
    rows = []
    for key, group in results.groupby(_VOTE, sort=False):
        default = group[group["is_default"]]
        options = default[default["option_kind"].isin(_IN_SUM)]
        figured = options["votes"].notna() | options["share_pct"].notna()
        t = turnout[(turnout["party"] == key[0]) & (turnout["congress_year"] == key[1])
                    & (turnout["round"].astype(str) == str(key[2]))
                    & (turnout["vote_kind"] == key[3])]
        used = _turnout_version(t)
        voters = _figure(used, "voters")
        if pd.isna(voters):
            voters = _figure(used, "expressed")
        registered = _figure(used, "registered")
        participation = _figure(used, "participation_published_pct")
        approximate = used is not None and (bool(used["approximate"]) or (
            pd.notna(participation) and bool(used["participation_published_approximate"])))
        exceeds = bool(pd.notna(voters) and pd.notna(registered) and voters > registered)
        ranked = options.assign(_k=options["share_pct"].fillna(-1),
                                _v=options["votes"].fillna(-1)).sort_values(
            ["_k", "_v"], ascending=False)
        leader = ranked.iloc[0] if len(ranked) and figured.any() else None
        sums_ok = default["shares_sum_ok"].dropna()
        complete = bool(figured.all() and len(options) >= 1
                        and not group["status"].eq("not_found").any() and (
            (len(sums_ok) and bool(sums_ok.iloc[0]))
            or (len(options) >= 2 and options["votes"].notna().all())))
        if default.empty or not figured.any():
            coverage = "missing"
        elif complete and pd.notna(voters) and not exceeds:
            coverage = "full"
        else:
            coverage = "partial"
        flags = group.drop_duplicates("version")["shares_sum_ok"]
        place = group["congress_city"].dropna()
        names = group["vote_name"].dropna()
        rows.append({
            "party": key[0], "congress_year": key[1],
            "place": place.iloc[0] if len(place) else (names.iloc[0] if len(names) else pd.NA),
            "round": key[2], "vote_kind": key[3],
            "date": default["date"].iloc[0] if len(default) else group["date"].iloc[0],
            "options": int(len(options)),
            "leader": leader["candidate"] if leader is not None else pd.NA,
            "leader_share": leader["share_pct"] if leader is not None else pd.NA,
            "counts": ("published" if len(options) and options["votes"].notna().all()
                       else "some" if options["votes"].notna().any() else "none"),
            "versions": int(group["version"].nunique()),
            "conflict_rows": int(group["conflict"].sum()),
            "shares_flagged": int(flags.eq(False).sum()),
            "shares_sum": default["shares_sum"].iloc[0] if len(default) else pd.NA,
            "turnout_conflict_rows": int(t["conflict"].astype(bool).sum()),
            "voters": voters, "registered": registered,
            "participation_pct": participation,
            "turnout_approximate": approximate,
            "turnout_version": used["version"] if used is not None else pd.NA,
            "voters_exceed_registered": exceeds,
            "complete": complete,
            "coverage": coverage,
        })
    out = pd.DataFrame(rows)
    for col in ("voters", "registered"):
        out[col] = out[col].astype("Int64")
    out["leader_share"] = out["leader_share"].astype("Float64")
    out["participation_pct"] = out["participation_pct"].astype("Float64")
    out["shares_sum"] = out["shares_sum"].astype("Float64")
    order = out.assign(_p=out["party"].ne("PS"), _r=out["round"].map(_ROUND_ORDER))
    return out.loc[order.sort_values(["_p", "party", "congress_year", "_r", "vote_kind"]).index
                   ].reset_index(drop=True)


def _label(round_: object, kind: str) -> str:
    if round_ == "motions" or (kind == "members_motion"):
        text = "motions"
    elif round_ == "congress_final":
        text = "final"
    else:
        text = f"round {round_}"
    return text if kind in MEMBER_VOTE_KINDS else f"{text} ({kind.replace('_', ' ')})"


def congresses(party: str | None = "PS") -> pd.DataFrame:
    """One row per congress (PS) or per election (other parties): what was voted, by whom.

    Parameters
    ----------
    party
        ``"PS"`` (default), another party, or ``None`` for every vote of every party.

    Returns
    -------
    pandas.DataFrame
        ``party, congress_year, place, dates, voted, leader, winner, non_members_vote_leader,
        voters, registered, participation_pct, coverage, conflict_rows, turnout_conflict_rows,
        shares_flagged``. ``voted`` lists the votes (members' motion vote, rounds, and
        delegates' or national council votes, said so); ``leader`` is the option with the
        largest published figure in the last members' vote with a figure (the leading motion's
        first signatory where only motions were voted); ``winner`` repeats it only where it is
        certain (the vote's figures are complete, or the leader has more than 50 %), else
        ``<NA>`` (e.g. 1975, where the leading motion's figure was not found);
        ``non_members_vote_leader`` is the leader of the last delegates' or national council
        vote; ``voters``, ``registered`` and ``participation_pct`` are those of the first
        members' vote where known, all from one turnout version (see :func:`vote_coverage`);
        ``conflict_rows`` sums the result rows flagged CONFLICT and ``turnout_conflict_rows``
        the turnout rows flagged CONFLICT; ``coverage`` is ``full`` when every members' vote is
        full, ``missing`` when none has a figure, else ``partial`` (see :func:`vote_coverage`).

    Examples
    --------
    >>> c = congresses().set_index("congress_year")
    >>> c.loc[2008, ["voted", "winner"]].tolist()
    ['motions; round 1; round 2', 'Martine Aubry']
    >>> len(congresses()) >= 20
    True
    """
    votes = vote_coverage(party)
    rows = []
    key_cols = ["party", "congress_year", "place"]
    for key, group in votes.groupby(key_cols, sort=False, dropna=False):
        members = group[group["vote_kind"].isin(MEMBER_VOTE_KINDS)]
        known = members[members["leader"].notna()]
        others = group[~group["vote_kind"].isin(MEMBER_VOTE_KINDS) & group["leader"].notna()]
        last = known.iloc[-1] if len(known) else None
        certain = last is not None and (
            last["coverage"] == "full" or bool(last["complete"])
            or (pd.notna(last["leader_share"]) and last["leader_share"] > 50))
        dates = sorted(m.group(0) for m in (_DATE.match(str(d)) for d in group["date"].dropna())
                       if m)
        first = members.iloc[0] if len(members) else None
        grades = set(members["coverage"])
        rows.append({
            "party": key[0], "congress_year": key[1], "place": key[2],
            "dates": f"{dates[0]} – {dates[-1]}" if dates and dates[0] != dates[-1]
            else (dates[0] if dates else pd.NA),
            "voted": "; ".join(_label(r, k) for r, k in zip(group["round"], group["vote_kind"],
                                                            strict=True)),
            "leader": last["leader"] if last is not None else pd.NA,
            "winner": last["leader"] if certain else pd.NA,
            "non_members_vote_leader": others["leader"].iloc[-1] if len(others) else pd.NA,
            "voters": first["voters"] if first is not None else pd.NA,
            "registered": first["registered"] if first is not None else pd.NA,
            "participation_pct": first["participation_pct"] if first is not None else pd.NA,
            "coverage": ("full" if grades == {"full"} else "missing"
                         if grades <= {"missing"} else "partial"),
            "conflict_rows": int(group["conflict_rows"].sum()),
            "turnout_conflict_rows": int(group["turnout_conflict_rows"].sum()),
            "shares_flagged": int(group["shares_flagged"].sum()),
        })
    out = pd.DataFrame(rows)
    for col in ("voters", "registered"):
        out[col] = out[col].astype("Int64")
    out["participation_pct"] = out["participation_pct"].astype("Float64")
    return out


def rounds(year: int | list | None = None, party: str | None = "PS") -> pd.DataFrame:
    """One row per members' vote round and version: options, leader, counts, turnout.

    This is the table ``congresses()`` returned before the history was added (one row per
    congress, round and status for 2018–2025, where each status is one version); older
    votes have one row per version.

    Examples
    --------
    >>> r = rounds(2023)
    >>> r[["round", "status", "counts", "expressed"]].values.tolist()
    [[1, 'official', 'published', 22944], [2, 'provisional', 'published', 23759], \
[2, 'official', 'published', 23527]]
    """
    results = load_results(year, status=None, party=party)
    turnout = load_turnout(year, status=None, party=party)
    rows = []
    for (y, rnd, version), group in results.groupby(["congress_year", "round", "version"],
                                                    sort=False):
        status = group["status"].iloc[0]
        method = group["votes_method"].fillna("none")
        t = turnout[(turnout["congress_year"] == y) & (turnout["round"] == rnd)
                    & (turnout["status"] == status)]
        t = t.iloc[0] if len(t) == 1 else None
        rows.append({
            "congress_year": y, "city": group["congress_city"].iloc[0], "round": rnd,
            "status": status, "options": len(group),
            "leader": group.sort_values("share_pct", ascending=False)["candidate"].iloc[0],
            "counts": "published" if (method == "published").all() else
                      "derived" if (method != "none").all() else "shares only",
            "voters": t["voters"] if t is not None else pd.NA,
            "expressed": t["expressed"] if t is not None else pd.NA,
            "party": group["party"].iloc[0], "vote_kind": group["vote_kind"].iloc[0],
            "version": version, "is_default": bool(group["is_default"].iloc[0]),
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    for col in ("voters", "expressed"):
        out[col] = out[col].astype("Int64")
    order = out.assign(_r=out["round"].map(lambda r: _ROUND_ORDER.get(r, 9)),
                       _s=out["status"].map(lambda s: -STATUS_RANK.index(s)))
    return out.loc[order.sort_values(["party", "congress_year", "_r", "_s", "version"]).index
                   ].reset_index(drop=True)


def _md_table(frame: pd.DataFrame) -> str:
    cells = frame.astype(object).where(frame.notna(), "")
    lines = ["| " + " | ".join(map(str, frame.columns)) + " |",
             "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v).replace("|", "/") for v in row) + " |"
              for row in cells.itertuples(index=False)]
    return "\n".join(lines)


def coverage_markdown() -> str:
    """The coverage report as Markdown (generated; every figure from ``data/processed``)."""
    votes = vote_coverage(None)
    congress = congresses(None)
    results = load_results(status=None, party=None, vote_kind=None)
    flagged = results[results["shares_sum_ok"].eq(False)].drop_duplicates("version")
    parts = [
        "# Data coverage",
        "",
        "Generated by `congresslab build-data` (`congresslab.data.coverage.write_coverage_report`)"
        " from `data/processed/`; do not edit by hand. Grades (see `congresslab.data.coverage`):"
        " **full** = every option of the default version has a figure, its shares add up (or"
        " every option has a count) and the number of voters is known and does not exceed the"
        " number registered; voters, registered and participation come from one turnout"
        " version (`turnout_version`); **partial** = some"
        " figures; **missing** = none. Votes by delegates or a national council are listed"
        " but are not members' votes.",
        "",
        "## Summary",
        "",
        _md_table(votes.groupby(["party", "coverage"]).size().unstack(fill_value=0)
                  .reset_index()),
        "",
        f"{len(votes)} votes in {len(congress)} congresses or elections; "
        f"{int(results['conflict'].sum())} result rows and "
        f"{int(votes['turnout_conflict_rows'].sum())} turnout rows flagged CONFLICT; "
        f"{len(flagged)} published versions whose shares do not add up to 100 within rounding.",
        "",
        "## Per congress or election",
        "",
        _md_table(congress),
        "",
        "## Per vote",
        "",
        _md_table(votes.drop(columns=["date"])),
        "",
        "## Versions whose shares do not add up (flagged, not fixed)",
        "",
        _md_table(flagged[["party", "congress_year", "round", "vote_kind", "version",
                           "status", "shares_sum", "source"]].assign(
            source=flagged["source"].str.slice(0, 70))),
        "",
    ]
    return "\n".join(parts)


def write_coverage_report(path: Path | None = None) -> Path:
    """Write the coverage report (default ``reports/data_coverage.md``); return its path."""
    path = paths.REPORTS / "data_coverage.md" if path is None else Path(path)
    if paths.RAW.resolve() in path.resolve().parents:
        raise ValueError(f"refusing to write into the raw data folder: {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(coverage_markdown(), encoding="utf-8")
    return path
