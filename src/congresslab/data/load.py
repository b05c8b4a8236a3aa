"""Loaders for the tidy tables of ``data/processed/``.

Each loader reads a processed table (building ``data/processed/`` first if it is missing)
and filters it. Counts are nullable integers (``Int64``): a figure that was never
published stays ``<NA>``.

Every party and every PS congress since 1971 share one schema (see
:mod:`congresslab.data.history`): ``party="PS"`` is the default, ``vote_kind="members"`` keeps
the members' votes only (delegates' and national council votes are asked for by name), and
``status="default"`` returns one version of each vote by the documented rule
(``status=None``: every version). ``round`` is an integer for numbered rounds and the
source's word otherwise (``"motions"``, ``"congress_final"``).

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

import difflib
from pathlib import Path

import pandas as pd

from congresslab import paths
from congresslab.data.clean import STATUSES, build_data
from congresslab.data.history import MEMBER_VOTE_KINDS, STATUS_RANK, VOTE_KINDS

__all__ = [
    "load_results",
    "load_turnout",
    "load_turnout_conflicts",
    "load_federations",
    "load_federation_summaries",
    "congresses",
    "compare_statuses",
]

_FLAGS = {"shares_sum_ok": "boolean", "counts_shares_ok": "boolean"}
_DTYPES = {
    "results": {"votes": "Int64", "share_pct": "Float64", "votes_method": "string",
                "share_method": "string", "note": "string", "round": str, "vote_name": "string",
                "conflict_note": "string", "votes_text": "string", "share_text": "string",
                "quote": "string", "shares_sum": "Float64", **_FLAGS},
    "turnout": {**{m: "Int64" for m in ("registered", "voters", "expressed", "blank_null",
                                       "members")}, "round": str, "vote_name": "string",
                "conflict_note": "string", "quote": "string", "members_method": "string",
                "participation_published_pct": "Float64",
                "participation_published_approximate": "boolean"},
    "turnout_conflicts": {"value_used": "Int64"},
    "federations": {"round": "string", "date": "string", "federation_code": "string",
                    "option": "string", "candidate": "string", "base": "string",
                    "scope": "string", "value_text": "string", "note": "string",
                    "status": "string", "repeats": "string"},
    "federation_summaries": {"round": "Int64", "option": "string"},
}


def _read(name: str, processed: Path | None = None) -> pd.DataFrame:
    processed = paths.PROCESSED if processed is None else Path(processed)
    path = processed / f"{name}.csv"
    if not path.exists():
        build_data(out_dir=processed)
    return pd.read_csv(path, dtype=_DTYPES.get(name, {}))


def _values(value: object) -> list:
    return list(value) if isinstance(value, list | tuple | set) else [value]


def _filter(frame: pd.DataFrame, **criteria: object) -> pd.DataFrame:
    for column, value in criteria.items():
        if value is None:
            continue
        frame = frame[frame[column].isin(_values(value))]
    return frame.reset_index(drop=True)


def _check_status(status: object, allowed: tuple[str, ...] = STATUSES) -> None:
    for value in ([] if status is None else _values(status)):
        if value not in allowed:
            raise ValueError(f"status must be one of {allowed} or None, not {value!r}")


def _round_key(value: object) -> str:
    """``2``, ``"2"`` → ``"2"``; ``"motions"`` stays; anything else is refused."""
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isdigit() or text in ("motions", "congress_final")):
        raise ValueError(f"round must be a round number, 'motions' or 'congress_final', "
                         f"not {value!r}")
    return text


def _rounds_out(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbered rounds as ints (an int64 column when every round is numbered)."""
    rounds = [int(r) if str(r).isdigit() else r for r in frame["round"]]
    if all(isinstance(r, int) for r in rounds):
        frame["round"] = pd.Series(rounds, index=frame.index, dtype="int64")
    else:
        frame["round"] = pd.Series(rounds, index=frame.index, dtype=object)
    return frame


def _suggest(value: object, known: list) -> str:
    """`` (did you mean 'LR'?)`` for a value that differs from a known one by case or a typo."""
    text = str(value)
    same_case = [k for k in known if str(k).casefold() == text.casefold()]
    close = same_case or difflib.get_close_matches(text, [str(k) for k in known], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _votes_known() -> pd.DataFrame:
    """Party, year and round of every vote in the results or turnout tables."""
    cols = ["party", "congress_year", "round"]
    return pd.concat([_read("results")[cols], _read("turnout")[cols]]).drop_duplicates()


def _check_vote(party: object, year: object, rounds: list[str] | None) -> None:
    """Refuse a party, year or round that no vote of the data has (ValueError naming it).

    Parameters
    ----------
    party
        A party, a list of them, or None (every party).
    year
        A year, a list of them, or None (every year of ``party``).
    rounds
        Round keys (see :func:`_round_key`) or None.

    Raises
    ------
    ValueError
        ``party`` not in the data (listing the parties, suggesting the right case), ``year``
        without a vote of ``party`` (listing its years), or ``round`` not held in ``year``
        (listing its rounds).
    """
    votes = _votes_known()
    parties = sorted(votes["party"].dropna().unique())
    for value in ([] if party is None else _values(party)):
        if value not in parties:
            raise ValueError(f"party must be one of {parties} or None, not {value!r}"
                             f"{_suggest(value, parties)}")
    if party is not None:
        votes = votes[votes["party"].isin(_values(party))]
    who = "any party" if party is None else f"party {party!r}"
    years = sorted(int(y) for y in votes["congress_year"].unique())
    for value in ([] if year is None else _values(year)):
        if isinstance(value, bool) or value not in years:
            raise ValueError(f"year {value!r}: no results or turnout of {who}; its years are "
                             f"{years}")
    if year is not None:
        votes = votes[votes["congress_year"].isin(_values(year))]
    known = sorted({str(r) for r in votes["round"]},
                   key=lambda r: (0, int(r), "") if r.isdigit() else (1, 0, r))
    where = "" if year is None else f" in year {year!r}"
    for value in rounds or []:
        if value not in known:
            shown = [int(r) if r.isdigit() else r for r in known]
            raise ValueError(f"round {value!r}: no results or turnout of {who}{where}; its "
                             f"rounds are {shown}")


def _select(name: str, year: object, round: object, status: object, party: object,
            vote_kind: object) -> pd.DataFrame:
    _check_status(status, STATUS_RANK + ("default",))
    kinds = None
    if vote_kind is not None:
        kinds = []
        for kind in _values(vote_kind):
            if kind == "members":
                kinds.extend(MEMBER_VOTE_KINDS)
            elif kind in VOTE_KINDS:
                kinds.append(kind)
            else:
                raise ValueError(f"vote_kind must be 'members', one of {VOTE_KINDS} or None, "
                                 f"not {kind!r}")
    rounds = None if round is None else [_round_key(r) for r in _values(round)]
    _check_vote(party, year, rounds)
    frame = _read(name)
    if status == "default":
        frame = frame[frame["is_default"]]
        status = None
    frame = _filter(frame, party=party, congress_year=year, round=rounds, status=status,
                    vote_kind=kinds)
    return _rounds_out(frame)


def load_results(year: int | None = None, round: int | str | None = None,
                 status: str | None = "default", party: str | None = "PS",
                 vote_kind: str | None = "members") -> pd.DataFrame:
    """National results per option (motion or candidate), for any party and congress.

    Parameters
    ----------
    year, round
        Congress (or vote) year and round: ``1``, ``2`` or, for the PS congresses before
        2018, ``"motions"`` (the members' motion vote; in 2018–2025 it is round 1) and
        ``"congress_final"`` (delegates). ``None`` keeps all; lists are accepted.
    status
        ``"default"`` (one version per vote: the official one where there is one, see
        :mod:`congresslab.data.history` for the rule), a normalised status (``"official"``,
        ``"provisional"``, ``"second_hand"``, ``"unknown"``, ``"approximate"``,
        ``"claim"``, ``"not_found"``: every version with it), or ``None`` for every version.
    party
        ``"PS"`` (default), ``"LR"``, ``"UMP"``, ``"EELV"``, ... or ``None`` for all.
    vote_kind
        ``"members"`` (default: every members' vote), one of
        :data:`~congresslab.data.history.VOTE_KINDS` (e.g. ``"delegates"``), or ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns ``congress_year, congress_city, round, date, status, option_kind,
        option_label, candidate, votes, share_pct, votes_method, share_method, note,
        source``, then ``party, vote_kind, vote_name, version, is_default, status_text,
        conflict, conflict_note, approximate, superseded, shares_sum, shares_sum_ok,
        counts_shares_ok, votes_text, share_text, quote, raw_file, raw_line``.
        ``votes_method`` is ``published`` or ``derived`` (share × published expressed
        votes) and ``<NA>`` where no count exists.

    Raises
    ------
    ValueError
        For an unknown status or vote kind; for a ``party`` not in the data (listing the
        parties, and the right case: ``"lr"`` → ``"LR"``), a ``year`` without a vote of that
        party (listing its years) or a ``round`` that year did not hold (listing its
        rounds).

    Examples
    --------
    >>> load_results(2023, round=1)["votes"].tolist()
    [11277, 7001, 4666]
    >>> load_results(2008, round=2)[["candidate", "votes"]].values.tolist()
    [['Martine Aubry', 67451], ['Ségolène Royal', 67349]]
    >>> load_results(2022, round=1, party="LR")["votes"].tolist()
    [28297, 22815, 14765]
    """
    return _select("results", year, round, status, party, vote_kind)


def load_turnout(year: int | None = None, round: int | str | None = None,
                 status: str | None = None, party: str | None = "PS",
                 vote_kind: str | None = "members") -> pd.DataFrame:
    """Registered members, voters, expressed and blank/null votes.

    ``*_method`` columns say whether each figure was ``published`` or ``derived``, and
    ``derivation`` gives the arithmetic of the derived ones; ``conflict`` is True where
    sources disagree (see :func:`load_turnout_conflicts`). Arguments as in
    :func:`load_results`, except that ``status=None`` (every row) is the default;
    ``status="default"`` keeps one row per vote. ``approximate`` marks rows with an
    approximate figure (``91000 (approx.)``); ``members`` is the party membership where a
    source gives it apart from the electorate. An unknown party, a year without a vote of
    that party or a round that year did not hold raise ``ValueError`` (as in
    :func:`load_results`); a vote with no turnout row gives an empty table.

    Examples
    --------
    >>> t = load_turnout(2025, round=1)
    >>> int(t["registered"].iloc[0]), bool(t["conflict"].iloc[0])
    (39815, True)
    >>> t = load_turnout(2022, round=1, party="LR", status="default")
    >>> int(t["registered"].iloc[0]), int(t["voters"].iloc[0])
    (91109, 66216)
    """
    return _select("turnout", year, round, status, party, vote_kind)


def load_turnout_conflicts(year: int | None = None) -> pd.DataFrame:
    """Figures on which the sources disagree: the value used beside each alternative.

    Examples
    --------
    >>> load_turnout_conflicts(2025)[["metric", "value_used", "alternative"]].values.tolist()
    [['registered', 39815, 38815.0]]
    """
    return _filter(_read("turnout_conflicts"), congress_year=year)


def load_federations(year: int | None = None, metric: str | None = None,
                     federation: str | None = None, scope: str | None = "federation",
                     repeats: bool = False) -> pd.DataFrame:
    """Per-federation fragments found in the press (sparse), with canonical codes.

    Parameters
    ----------
    year
        Congress year, including 2008 (Reims: rounds ``motions``, ``1``, ``2``), 2012 and
        2015 (``motions``).
    metric
        E.g. ``"votes"``, ``"share"``, ``"members"``, ``"registered"``.
    federation
        Canonical federation code (``"75"``, ``"2A"``, ``"971"``, ``"FFE"``).
    scope
        ``"federation"`` (default) or ``"region"`` (regional aggregates printed by the
        press, without a federation code); ``None`` for both.
    repeats
        Keep the rows of ``federation_fragments_more.csv`` that repeat a figure of an
        earlier file (``repeats`` names it); left out by default.

    Each share says its base (``base``: ``expressed``, ``registered`` or ``not stated``);
    ``value_text`` is the value as printed, ``raw_file``/``raw_line`` its raw row.

    Examples
    --------
    >>> m = load_federations(2025, metric="members")
    >>> m.set_index("federation")["value"].astype(int).to_dict()["Paris"]
    3181
    """
    frame = _filter(_read("federations"), congress_year=year, metric=metric,
                    federation_code=federation, scope=scope)
    if not repeats:
        frame = frame[frame["repeats"].isna()].reset_index(drop=True)
    return frame


def load_federation_summaries(year: int | None = None) -> pd.DataFrame:
    """Published statistics over all federations (e.g. federations won in the 2025 runoff)."""
    return _filter(_read("federation_summaries"), congress_year=year)


def congresses(party: str | None = "PS") -> pd.DataFrame:
    """One row per congress (PS) or election (other parties); ``party=None`` for all.

    See :func:`congresslab.data.coverage.congresses` (year, place, dates, what was voted, the
    winner, turnout where known, coverage full / partial / missing); the per-round list
    that this function returned before the history was added is
    :func:`congresslab.data.coverage.rounds`. An unknown ``party`` raises ``ValueError``
    listing the parties (``"ps"`` → did you mean ``"PS"``?).

    Examples
    --------
    >>> c = congresses()
    >>> int(c["congress_year"].min()), int(c["congress_year"].max())
    (1971, 2025)
    """
    from congresslab.data.coverage import congresses as _congresses

    return _congresses(party)


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
    if results["version"].nunique() > results["status"].nunique():
        raise ValueError(f"congress {year} round {round} has several versions with the same "
                         "status: compare them with load_results(..., status=None) and its "
                         "'version' column")
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
