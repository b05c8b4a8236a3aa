"""Per-federation fragments printed in the press: ``federation_fragments_more.csv`` → tidy rows.

The file keeps values as printed (``76 (38.00%)``, ``~680 votes``, ``43.3%``) and says the
vote in words (``2008 First Secretary round 2, 21 Nov 2008``). :func:`clean_fragments_more`
turns each row into one row per figure in the schema of ``federations.csv`` (a count and a
share printed together give two rows), with the canonical federation code, the base of
each share (``base``: ``expressed`` where the source says so, ``not stated`` here), the
printed text (``value_text``) and the raw file and line. Regional aggregates (``Occitanie
region (13 feds aggregated)``) are kept with ``scope="region"`` and no federation code.

:func:`both_rounds` finds, for a congress with two First Secretary rounds (2008), each
federation where both rounds are published, as counts or shares with their base.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from congresslab.federations import canonical_code
from congresslab.raw import RawDataError, parse_count, parse_share, read_raw

__all__ = ["clean_fragments_more", "parse_printed_value", "parse_vote", "base_of_unit",
           "mark_repeats", "both_rounds"]

_MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"], start=1)}
_VOTE = re.compile(
    r"^(?P<year>\d{4})\s+(?:(?P<to>TO vote)|(?P<motions>motions)(?:\s*\([^)]*\))?"
    r"|First Secretary (?:(?P<runoff>runoff)|round (?P<n>\d)),?)\s+"
    r"(?P<day>\d{1,2}) (?P<month>[A-Z][a-z]{2}) (?P<year2>\d{4})$")
_NUM = r"\d[\d\s\u00a0.,]*"
_VALUE = re.compile(
    rf"^(?P<tilde>~)?\s*(?P<num>{_NUM}?)\s*(?P<pct>%)?\s*(?P<votes>votes)?\s*"
    rf"(?:\((?:(?P<share>{_NUM}?)\s*%|(?P<note>[^)]*))\))?$")
_METRICS = {"inscrits": "registered", "votants": "voters", "exprimés": "expressed"}
_FED = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[0-9]{2,3}|2[AB])\)$")


def parse_vote(text: str) -> tuple[int, str, str]:
    """``"2008 First Secretary round 2, 21 Nov 2008"`` → ``(2008, "2", "2008-11-21")``.

    The 2018–2025 motion votes (``TO vote``) are round ``"1"``, their runoffs ``"2"``; the
    older motion votes are ``"motions"``, as in ``federations_2008.csv``.

    Examples
    --------
    >>> parse_vote("2023 TO vote 12 Jan 2023")
    (2023, '1', '2023-01-12')
    >>> parse_vote("2012 motions (Toulouse) 11 Oct 2012")
    (2012, 'motions', '2012-10-11')
    """
    match = _VOTE.match(text.strip())
    if not match or match.group("month") not in _MONTHS:
        raise ValueError(f"unknown vote {text!r}")
    year = int(match.group("year"))
    if match.group("to"):
        rnd = "1"
    elif match.group("motions"):
        rnd = "motions"
    elif match.group("runoff"):
        rnd = "2"
    else:
        rnd = match.group("n")
    date = (f"{match.group('year2')}-{_MONTHS[match.group('month')]:02d}-"
            f"{int(match.group('day')):02d}")
    return year, rnd, date


def parse_printed_value(text: str) -> dict[str, object]:
    """A value as printed → ``votes``, ``share``, ``approximate``, ``note``.

    Examples
    --------
    >>> parse_printed_value("76 (38.00%)")
    {'votes': 76, 'share': 38.0, 'approximate': False, 'note': None}
    >>> parse_printed_value("~680 votes")
    {'votes': 680, 'share': None, 'approximate': True, 'note': None}
    >>> parse_printed_value("37.78% (43 voix de retard)")["note"]
    '43 voix de retard'
    """
    match = _VALUE.match(str(text).strip())
    if not match or not match.group("num"):
        raise ValueError(f"not a count or share as printed: {text!r}")
    num = match.group("num").strip()
    votes = share = None
    if match.group("pct"):
        share = parse_share(num)
    else:
        votes = parse_count(num)
    if match.group("share"):
        share = parse_share(match.group("share"))
    return {"votes": votes, "share": share, "approximate": bool(match.group("tilde")),
            "note": match.group("note")}


def _federation(text: str) -> tuple[object, str, str]:
    """``"Nord (59)"`` → ``("59", "Nord", "federation")``; regions keep no code."""
    if "region" in text.lower() or "aggregated" in text.lower():
        return pd.NA, text, "region"
    match = _FED.match(text.strip())
    if match:
        return canonical_code(match.group("code")), match.group("name"), "federation"
    return canonical_code(text), text, "federation"


def clean_fragments_more(raw_dir: Path, name: str = "federation_fragments_more.csv"
                         ) -> pd.DataFrame:
    """Tidy rows of ``federation_fragments_more.csv`` in the ``federations.csv`` schema.

    Raises
    ------
    congresslab.raw.RawDataError
        Naming file, row and column for an unknown vote, federation or value, or a row
        repeated within the file.
    """
    file = str(raw_dir / name)
    raw = read_raw(name, raw_dir, verify=False)
    if raw.empty:
        raise RawDataError("no data rows", file=file)
    rows = []
    for r in raw.itertuples(index=False):
        line = int(r._0)
        try:
            year, rnd, date = parse_vote(r.round)
        except (ValueError, AttributeError) as err:
            raise RawDataError(str(err), file=file, row=line, column="round") from None
        try:
            code, federation, scope = _federation(str(r.federation))
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=line, column="federation") from None
        try:
            value = parse_printed_value(r.votes_or_share)
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=line,
                               column="votes_or_share") from None
        option = str(r.option).strip()
        common = {"congress_year": year, "round": rnd, "date": date, "federation_code": code,
                  "federation": federation, "approximate": value["approximate"],
                  "conflict": False, "status": pd.NA, "source_url": r.source_url,
                  "quote": r.quote, "base": pd.NA, "scope": scope,
                  "value_text": r.votes_or_share, "note": value["note"],
                  "raw_file": name, "raw_line": line}
        if option.lower() in _METRICS:
            if value["votes"] is None:
                raise RawDataError(f"{option} must be a count, not {r.votes_or_share!r}",
                                   file=file, row=line, column="votes_or_share")
            rows.append({**common, "metric": _METRICS[option.lower()], "option": pd.NA,
                         "candidate": pd.NA, "value": float(value["votes"]), "unit": "count"})
            continue
        candidate = re.sub(r"\s*\([A-F]\)$", "", option)
        if value["votes"] is not None:
            rows.append({**common, "metric": "votes", "option": option, "candidate": candidate,
                         "value": float(value["votes"]),
                         "unit": "votes_approx" if value["approximate"] else "votes"})
        if value["share"] is not None:
            rows.append({**common, "metric": "share", "option": option, "candidate": candidate,
                         "value": value["share"], "unit": "pct", "base": "not stated"})
    out = pd.DataFrame(rows)
    dup = out.duplicated(["congress_year", "round", "federation", "metric", "option", "value",
                          "source_url"])
    if dup.any():
        first = out.loc[dup].iloc[0]
        raise RawDataError("duplicate row", file=file, row=int(first["raw_line"]),
                           column="votes_or_share")
    return out


def mark_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``repeats``: ``"<file>:<line>"`` of an earlier file's row with the same figure.

    ``federation_fragments_more.csv`` repeats some figures of the other fragment files (a
    cross-check); a row repeats another when congress, round, federation, metric and value
    are equal and the other row comes from an earlier file. Loaders leave repeats out
    unless asked (``load_federations(..., repeats=True)``).

    Examples
    --------
    >>> f = pd.DataFrame({"congress_year": [2018, 2018], "round": ["1", "1"],
    ...                   "federation_code": ["69", "69"], "metric": ["votes", "votes"],
    ...                   "value": [335.0, 335.0], "raw_file": ["a.csv", "b.csv"],
    ...                   "raw_line": [5, 9]})
    >>> mark_repeats(f)["repeats"].tolist()
    [<NA>, 'a.csv:5']
    """
    first: dict[tuple, tuple[str, int]] = {}
    repeats = []
    for row in frame.itertuples(index=False):
        key = (row.congress_year, str(row.round), row.federation_code, row.metric,
               round(float(row.value), 6))
        seen = first.get(key) if pd.notna(row.federation_code) else None
        repeats.append(f"{seen[0]}:{seen[1]}" if seen and seen[0] != row.raw_file else pd.NA)
        if seen is None:
            first[key] = (row.raw_file, int(row.raw_line))
    return frame.assign(repeats=pd.Series(repeats, index=frame.index, dtype="string"))


_BASES = {"pct_expressed": "expressed", "pct_registered": "registered", "pct": "not stated",
          "pct_approx": "not stated"}


def base_of_unit(unit: object) -> object:
    """The base of a share from its unit (``pct_expressed`` → ``expressed``); NA for counts.

    Examples
    --------
    >>> base_of_unit("pct_expressed"), base_of_unit("pct"), base_of_unit("votes")
    ('expressed', 'not stated', <NA>)
    """
    return _BASES.get(str(unit), pd.NA)


def both_rounds(fragments: pd.DataFrame, year: int = 2008,
                rounds: tuple[str, str] = ("1", "2")) -> pd.DataFrame:
    """Figures of the federations where both rounds of ``year`` are published.

    Parameters
    ----------
    fragments
        The federations table (``congresslab.load_federations()``).
    year, rounds
        The congress and its two rounds (``"1"``, ``"2"``: the First Secretary rounds).

    Returns
    -------
    pandas.DataFrame
        Every candidate figure (``metric`` ``votes``, ``share`` or ``share_lower_bound``,
        with ``base``) and turnout figure of those rounds in the federations that have at
        least one candidate figure in each round, sorted by federation and round. Whether
        a federation's figures are enough for a transfer estimate is for the analysis to
        say: round 1 is often shares only, or one candidate only.

    Examples
    --------
    >>> from congresslab.load import load_federations
    >>> b = both_rounds(load_federations(2008))
    >>> sorted(b["federation"].unique())
    ['Bouches-du-Rhône', 'Nord', 'Seine-Maritime', 'Val-de-Marne']
    """
    frame = fragments[(fragments["congress_year"] == year)
                      & fragments["round"].astype(str).isin(rounds)
                      & fragments["federation_code"].notna()]
    figures = frame[frame["metric"].isin(["votes", "share", "share_lower_bound"])
                    & frame["candidate"].notna()]
    per_round = figures.groupby("federation_code")["round"].agg(lambda r: set(r.astype(str)))
    codes = per_round[per_round.map(lambda s: set(rounds) <= s)].index
    out = frame[frame["federation_code"].isin(codes)]
    names = out.groupby("federation_code")["federation"].first()
    out = out.assign(federation=out["federation_code"].map(names))
    return out.sort_values(["federation", "round", "metric"], kind="stable").reset_index(
        drop=True)
