"""PS congresses since 1971 and other parties' member votes: raw rows → the tidy schema.

:func:`clean_history_results` and :func:`clean_history_turnout` read
``history_results.csv`` / ``history_turnout.csv`` (PS, 1971–2015) and
``other_parties_results.csv`` / ``other_parties_turnout.csv`` (LR, UMP, EELV, RN, UDI, ...)
and return rows in the schema of ``results.csv`` / ``turnout.csv`` (see
:mod:`congresslab.data.clean`), with these dimensions and flags:

``party``
    ``"PS"``, ``"LR"``, ``"UMP"``, ``"EELV"``, ``"EELV / Pole ecologiste"`` (the 2021 open
    primary), ``"Les Ecologistes"``, ``"RN"``, ``"UDI"``, ``"PCF"``, ``"Renaissance"``.
``vote_kind``
    ``members_motion`` (members' vote on motions or texts), ``members_leadership``
    (members elect the leader), ``members_nomination`` (members choose a presidential
    candidate: LR 2021), ``open_primary`` (registered supporters, not only members: the 2021
    ecologist primary), ``delegates`` and ``national_council`` — these two are NOT members'
    votes and are never mixed with them (a loader selects them only when asked).
``round``
    as the source numbers it: ``"motions"`` (PS members' motion vote), ``"1"``, ``"2"``,
    ``"congress_final"`` (PS delegates' final vote); notes such as ``"1 (members vote on
    motions)"`` are moved to ``vote_kind``.
``status``
    the free text of the source normalised to :data:`STATUS_RANK`'s vocabulary:
    ``official``, ``second_hand`` (said official by a secondary source: "official per
    Nouvelobs", "via Wikipedia infobox"), ``unknown``, ``provisional``, ``approximate``
    ("around 42 %", "environ"), ``claim`` (a camp's claim) and ``not_found`` (a figure
    searched for and not found). The original text is kept in ``status_text``;
    ``conflict`` is True where it says ``CONFLICT`` (``conflict_note`` quotes it);
    ``approximate`` is True where the status or the value says so (``44000 (approx.)``,
    ``~9%``): such counts are parsed but never presented as exact.
``version``
    rows published together: same party, year, round and vote kind, same source and same
    normalised status. Conflicting versions stay as several rows.
``is_default``
    one version per vote (party, year, round, vote kind), chosen by :func:`default_rank`:
    (1) official, then second-hand official, then unknown or provisional (one tier), then
    approximate (a version whose every row is approximate counts as such), claims, not
    found; (2) not marked superseded or "later revised"; (3) the
    most motions or candidates with a figure; (4) shares that add up to 100 within rounding
    (or cannot be summed); (5) the status in the order of :data:`STATUS_RANK` (unknown
    before provisional); (6) the most counts; (7) the latest date named in the ``date``
    column (a later decision or count); (8) the most decimals in the shares; (9) the first
    in the file. ``load_results`` returns the default version unless ``status=``
    asks for a status (every version with it) or ``None`` (every version).
``shares_sum`` / ``shares_sum_ok``
    the sum of the version's shares of motions or candidates, and whether it is 100 within
    the rounding of the published shares (at least ± :data:`SHARE_SUM_TOLERANCE`). A
    source whose shares do not add up is flagged, not fixed, and not an error; so is a
    version whose counts and shares disagree (``counts_shares_ok``).

The PS congresses 2018–2025 (``national_results.csv``, cleaned by :mod:`congresslab.data.clean`)
have one version per status, the official one being the default. In ``turnout.csv`` each
raw row is its own version and the default is chosen by the same rule, completeness
counting the published figures; turnout percentages printed without counts come from the
transcription ``turnout_percentages.csv`` (:func:`attach_participation`), never from
parsing free text.

Malformed cells (a count that is not a number, an unknown round or party) raise
:class:`~congresslab.errors.RawDataError` naming file, row and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from congresslab.data.raw import RawDataError, parse_count, parse_share, read_raw

__all__ = [
    "STATUS_RANK",
    "VOTE_KINDS",
    "MEMBER_VOTE_KINDS",
    "SHARE_SUM_TOLERANCE",
    "normalise_status",
    "parse_value",
    "default_rank",
    "clean_history_results",
    "clean_history_turnout",
    "attach_participation",
    "mark_versions",
]

#: Normalised statuses, best first: the order used to choose a vote's default version.
STATUS_RANK: tuple[str, ...] = ("official", "second_hand", "unknown", "provisional",
                                "approximate", "claim", "not_found")
#: Kinds of vote. Only the ``MEMBER_VOTE_KINDS`` are votes of the members.
VOTE_KINDS: tuple[str, ...] = ("members_motion", "members_leadership", "members_nomination",
                               "open_primary", "delegates", "national_council")
MEMBER_VOTE_KINDS: tuple[str, ...] = VOTE_KINDS[:4]
# tiers of the default rule: unknown and provisional versions compete on completeness first
_TIER = {"official": 0, "second_hand": 1, "unknown": 2, "provisional": 2, "approximate": 3,
         "claim": 4, "not_found": 5}
#: Least tolerance of the share-sum check (percentage points), as in :mod:`congresslab.data.clean`.
SHARE_SUM_TOLERANCE = 0.1

_OPTION_KINDS_IN_SUM = {"motion", "candidate", "merged motion", "text/motion", "list",
                        "candidate (uncontested)", "list (uncontested)"}
_SECOND_HAND = re.compile(r"\b(per|via|secondary|third-party|citing)\b", re.IGNORECASE)
_APPROX = re.compile(r"approx|around|environ|~|plus de|près de", re.IGNORECASE)
_NUMBER = r"-?\d[\d\s\u00a0\u202f.,']*"
_CELL = re.compile(rf"^\s*(?P<tilde>~)?\s*(?P<num>{_NUMBER})\s*(?P<pct>%)?\s*"
                   r"(?P<unit>votes|voix)?\s*(?:\((?P<paren>[^)]*)\))?\s*(?P<rest>.*?)\s*$")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PARTY_CODES = {"LR", "UMP", "EELV", "EELV / Pole ecologiste", "Les Ecologistes", "RN", "UDI",
                "PCF", "Renaissance"}


def normalise_status(text: object) -> dict[str, object]:
    """Normalise a free-text status of the history and other-party sources.

    Parameters
    ----------
    text
        The ``status`` cell, e.g. ``"official per Nouvelobs; CONFLICT with La Tribune"``.

    Returns
    -------
    dict
        ``status`` (one of :data:`STATUS_RANK`), ``conflict`` (bool), ``conflict_note``
        (the text from ``CONFLICT`` on, or ``None``), ``approximate`` (bool),
        ``superseded`` (bool) and ``not_members`` (``"delegates"``,
        ``"national_council"`` or ``None``, from ``NOT A MEMBERS' VOTE`` notes).

    Raises
    ------
    ValueError
        If the cell is empty.

    Examples
    --------
    >>> s = normalise_status("official per Nouvelobs; CONFLICT with La Tribune 42,51 %")
    >>> s["status"], s["conflict"], s["conflict_note"]
    ('second_hand', True, 'CONFLICT with La Tribune 42,51 %')
    >>> normalise_status("unknown ('around 42%')")["status"]
    'approximate'
    >>> normalise_status("NOT A MEMBERS' VOTE (conseil national); unknown (AFP)")["not_members"]
    'national_council'
    """
    if text is None or pd.isna(text) or not str(text).strip():
        raise ValueError("empty status")
    full = str(text).strip()
    low = full.lower()
    not_members = None
    rest = full
    if low.startswith("not a members' vote"):
        head, _, rest = full.partition(";")
        head_low = head.lower()
        not_members = ("national_council" if "conseil national" in head_low
                       or "national council" in head_low else "delegates")
        rest = rest.strip()
    elif "not members" in low:  # "NOTE national council, not members", "(delegates, not members)"
        not_members = ("national_council" if "conseil national" in low
                       or "national council" in low else "delegates")
    rest_low = rest.lower()
    if rest_low.startswith("not found"):
        status = "not_found"
    elif rest_low.startswith("claim"):
        status = "claim"
    elif rest_low.startswith("provisional"):
        status = "provisional"
    elif rest_low.startswith("official"):
        head = rest.split(";")[0]
        status = "second_hand" if _SECOND_HAND.search(head) else "official"
    elif _APPROX.search(rest.split(";")[0]):
        status = "approximate"
    else:
        status = "unknown"
    conflict_at = low.find("conflict")
    return {
        "status": status,
        "conflict": conflict_at >= 0,
        "conflict_note": full[conflict_at:] if conflict_at >= 0 else None,
        "approximate": status == "approximate" or "approx" in low,
        "superseded": "superseded" in low or "later revised" in low,
        "not_members": not_members,
    }


def parse_value(cell: object, *, kind: str) -> dict[str, object]:
    """Parse a value cell as printed: ``"44000 (approx.)"``, ``"61 (rounded)"``, ``"~9%"``.

    Parameters
    ----------
    cell
        The cell text (empty cells give ``value=None``).
    kind
        ``"count"`` (a whole number) or ``"share"`` (a percentage).

    Returns
    -------
    dict
        ``value`` (int, float or None), ``approximate`` (bool) and ``note`` (the annotation,
        or ``None``). A cell holding several figures (``"11.95 / 7.90"``) gives
        ``value=None`` and a note saying so.

    Raises
    ------
    ValueError
        If the cell is not a number with an optional ``~`` and a bracketed note.

    Examples
    --------
    >>> parse_value("44000 (approx.)", kind="count")
    {'value': 44000, 'approximate': True, 'note': 'approx.'}
    >>> parse_value("61 (rounded)", kind="share")["value"]
    61.0
    >>> parse_value("1054 (blank)", kind="count")
    {'value': 1054, 'approximate': False, 'note': 'blank'}
    """
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)) or not str(cell).strip():
        return {"value": None, "approximate": False, "note": None}
    text = str(cell).strip()
    if re.fullmatch(rf"{_NUMBER}\s*/\s*{_NUMBER}", text):
        return {"value": None, "approximate": False,
                "note": f"several figures in one cell: {text}"}
    match = _CELL.match(text)
    if match and match.group("num") and kind == "count" and match.group("pct"):
        return {"value": None, "approximate": bool(match.group("tilde")),
                "note": f"a share, not a count: {text}"}
    if not match or not match.group("num") or match.group("rest"):
        raise ValueError(f"not a {kind}: {text!r}")
    parser = parse_count if kind == "count" else parse_share
    value = parser(match.group("num").strip())
    note = match.group("paren")
    approximate = bool(match.group("tilde")) or bool(note and _APPROX.search(note))
    return {"value": value, "approximate": approximate, "note": note}


def _decimals(value: object) -> int:
    text = str(value).replace(",", ".")
    text = re.sub(r"\s*\(.*$", "", text).strip().rstrip("% ")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _latest_date(text: object) -> str:
    dates = ["-".join(m) for m in _DATE.findall(str(text))]
    return max(dates) if dates else ""


#: The columns :func:`default_rank` reads (those present are passed to it).
_RANK_COLUMNS = ("_completeness", "option_kind", "votes", "share_pct", "status", "date",
                 "share_text", "shares_sum_ok", "superseded", "approximate", "_order")


def default_rank(version: pd.DataFrame) -> tuple:
    """Sort key of a version (lower = preferred) under the default rule of this module.

    Examples
    --------
    >>> v = pd.DataFrame({"status": ["official"], "superseded": [False],
    ...                   "option_kind": ["candidate"],
    ...                   "votes": [1], "share_pct": [50.0], "date": ["2012-11-26"],
    ...                   "share_text": ["50.00"], "_order": [3]})
    >>> default_rank(v)
    (0, False, -1, False, 0, -1, '7987-88-73', -2, 3)
    """
    if "_completeness" in version:
        completeness, counts = int(version["_completeness"].sum()), 0
    else:
        options = version[version["option_kind"].isin(_OPTION_KINDS_IN_SUM)]
        completeness = int((options["votes"].notna() | options["share_pct"].notna()).sum())
        counts = int(options["votes"].notna().sum())
    best = min(STATUS_RANK.index(s) for s in version["status"])
    latest = max((_latest_date(d) for d in version["date"]), default="")
    # a later date sorts first: invert the digits
    inverted = latest.translate(str.maketrans("0123456789", "9876543210"))
    decimals = max((_decimals(s) for s in version["share_text"].dropna()), default=0)
    sums_off = bool(version["shares_sum_ok"].eq(False).any()) if "shares_sum_ok" in version \
        else False
    tier = _TIER[STATUS_RANK[best]]
    if "approximate" in version and bool(version["approximate"].all()):
        tier = max(tier, _TIER["approximate"])
    return (tier, bool(version["superseded"].any()), -completeness,
            sums_off, best, -counts, inverted, -decimals, int(version["_order"].min()))


def mark_versions(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Number the versions of each vote and mark the default one (``is_default``).

    ``frame`` needs ``version_key`` (rows with the same key form one version), the columns
    of ``keys`` (one vote), ``status``, ``superseded``, ``votes``, ``share_pct``, ``date``,
    ``share_text`` and ``_order``. Versions with no figure at all (only ``not_found`` rows)
    are never the default.
    """
    frame = frame.copy()
    labels = np.full(len(frame), "", dtype=object)
    default = np.zeros(len(frame), dtype=bool)
    has_figure = (frame["votes"].notna() | frame["share_pct"].notna()).to_numpy()
    version_keys = frame["version_key"].to_numpy()
    ranked_columns = frame[[c for c in _RANK_COLUMNS if c in frame]]  # cheaper row takes
    # positions, not labels: one assignment per column at the end instead of a .loc per version
    for vote, positions in frame.groupby(keys, sort=False).indices.items():
        prefix = "-".join(str(v) for v in (vote if isinstance(vote, tuple) else (vote,)))
        versions: dict = {}  # in order of first appearance, as groupby(sort=False)
        for pos in positions:
            if not pd.isna(version_keys[pos]):  # groupby leaves rows without a key out
                versions.setdefault(version_keys[pos], []).append(pos)
        ranked = []
        for n, rows in enumerate(versions.values(), start=1):
            labels[rows] = f"{prefix}-v{n}"
            if has_figure[rows].any():
                ranked.append((default_rank(ranked_columns.iloc[rows]), rows))
        if ranked:
            default[min(ranked, key=lambda r: r[0])[1]] = True
    frame["version"] = labels
    frame["is_default"] = default
    return frame.drop(columns=["version_key"])


def _round_and_kind(round_text: str, status: dict, file: str, line: int,
                    vote_name: str = "") -> tuple[str, str]:
    text = round_text.strip()
    low = text.lower()
    match = re.fullmatch(r"(motions|congress_final|\d)\s*(\((?P<note>[^)]*)\))?", text)
    if not match:
        raise RawDataError(f"unknown round {round_text!r}", file=file, row=line, column="round")
    rnd = match.group(1)
    if (status["not_members"] or "delegates" in low or "conseil national" in low
            or "not members" in low or rnd == "congress_final"):
        kind = ("national_council" if status["not_members"] == "national_council"
                or "conseil national" in low else "delegates")
    elif rnd == "motions" or "motions" in low or "base commune" in vote_name.lower():
        kind = "members_motion"
    elif "primaire" in vote_name.lower():
        kind = "open_primary"
    elif "candidat presidentielle" in vote_name.lower():
        kind = "members_nomination"
    else:
        kind = "members_leadership"
    return rnd, kind


def _parse_cells(raw: pd.DataFrame, column: str, kind: str, file: str) -> list[dict]:
    out = []
    for line, cell in zip(raw["_line"], raw[column], strict=True):
        try:
            out.append(parse_value(cell, kind=kind))
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=int(line), column=column) from None
    return out


def _statuses(raw: pd.DataFrame, file: str) -> list[dict]:
    out = []
    for line, cell in zip(raw["_line"], raw["status"], strict=True):
        try:
            out.append(normalise_status(cell))
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=int(line), column="status") from None
    return out


def _year(raw: pd.DataFrame, column: str, file: str) -> list[int]:
    years = []
    for line, cell in zip(raw["_line"], raw[column], strict=True):
        try:
            year = parse_count(cell)
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=int(line), column=column) from None
        if year is None or not 1900 <= year <= 2100:
            raise RawDataError(f"not a year: {cell!r}", file=file, row=int(line), column=column)
        years.append(year)
    return years


def _common(raw: pd.DataFrame, file: str, *, party_col: str | None, year_col: str,
            city_col: str | None, name_col: str | None) -> pd.DataFrame:
    """Columns shared by the results and turnout tables of both history sources."""
    statuses = _statuses(raw, file)
    if party_col is None:
        parties = ["PS"] * len(raw)
    else:
        parties = list(raw[party_col])
        for line, party in zip(raw["_line"], parties, strict=True):
            if party not in _PARTY_CODES:
                raise RawDataError(f"unknown party {party!r}; expected one of "
                                   f"{sorted(_PARTY_CODES)}", file=file, row=int(line),
                                   column=party_col)
    names = list(raw[name_col]) if name_col else [pd.NA] * len(raw)
    rounds, kinds = [], []
    for line, cell, status, name in zip(raw["_line"], raw["round"], statuses, names,
                                        strict=True):
        if not isinstance(cell, str):
            raise RawDataError("empty round", file=file, row=int(line), column="round")
        rnd, kind = _round_and_kind(cell, status, file, int(line),
                                    name if isinstance(name, str) else "")
        rounds.append(rnd)
        kinds.append(kind)
    return pd.DataFrame({
        "party": parties,
        "congress_year": _year(raw, year_col, file),
        "congress_city": raw[city_col] if city_col else pd.NA,
        "vote_name": names,
        "round": rounds,
        "vote_kind": kinds,
        "date": raw["date"],
        "status": [s["status"] for s in statuses],
        "status_text": raw["status"],
        "conflict": [s["conflict"] for s in statuses],
        "conflict_note": [s["conflict_note"] for s in statuses],
        "superseded": [s["superseded"] for s in statuses],
        "_status_approx": [s["approximate"] for s in statuses],
        "source": raw["source"],
        "quote": raw["quote"],
        "raw_file": Path(file).name,
        "raw_line": raw["_line"].astype(int),
        "_order": range(len(raw)),
    })


def _version_keys(out: pd.DataFrame, option_col: str) -> list[str]:
    """Rows of one source and status form a version; a repeated option opens a new one."""
    keys, seen = [], {}
    for row in out.itertuples():
        base = (row.party, row.congress_year, row.round, row.vote_kind, row.source, row.status)
        count = seen.setdefault(base, {})
        option = getattr(row, option_col)
        k = count.get(option, 0)
        count[option] = k + 1
        keys.append(repr(base + (k,)))
    return keys


def _share_checks(out: pd.DataFrame, by: str = "version") -> pd.DataFrame:
    """Per version: the shares' sum, whether it is 100 within rounding, counts vs shares."""
    out = out.copy()
    out["shares_sum"] = pd.Series(pd.NA, index=out.index, dtype="Float64")
    out["shares_sum_ok"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out["counts_shares_ok"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    for _, group in out.groupby(by, sort=False):
        options = group[group["option_kind"].isin(_OPTION_KINDS_IN_SUM)]
        shares = options["share_pct"]
        if len(options) >= 2 and shares.notna().all():
            total = round(float(shares.sum()), 6)
            tolerance = max(SHARE_SUM_TOLERANCE, sum(
                0.5 * 10 ** -_decimals(t) for t in options["share_text"]) + 1e-9)
            out.loc[group.index, "shares_sum"] = total
            out.loc[group.index, "shares_sum_ok"] = abs(total - 100) <= tolerance
        votes = options["votes"]
        if len(options) >= 2 and votes.notna().all() and shares.notna().any():
            base = float(votes.sum())
            ok = True
            for i in options.index[shares.notna()]:
                tolerance = 0.5 * 10 ** -_decimals(out.at[i, "share_text"]) + 1e-9
                ok &= abs(100 * float(out.at[i, "votes"]) / base
                          - float(out.at[i, "share_pct"])) <= tolerance
            out.loc[group.index, "counts_shares_ok"] = ok
    return out


RESULT_COLUMNS = [
    "congress_year", "congress_city", "round", "date", "status", "option_kind",
    "option_label", "candidate", "votes", "share_pct", "votes_method", "share_method", "note",
    "source", "party", "vote_kind", "vote_name", "version", "is_default", "status_text",
    "conflict", "conflict_note", "approximate", "superseded", "shares_sum", "shares_sum_ok",
    "counts_shares_ok", "votes_text", "share_text", "quote", "raw_file", "raw_line",
]


def _read_votes(raw_dir: Path, name: str) -> tuple[str, pd.DataFrame, bool, pd.DataFrame]:
    """Read a history or other-party file: its path, raw rows, whether it is the PS's, and
    the columns every such file shares (party, year, place, vote name, round, status)."""
    file = str(raw_dir / name)
    raw = read_raw(name, raw_dir, verify=False)
    if raw.empty:
        raise RawDataError("no data rows", file=file)
    ps = name.startswith("history")
    out = _common(raw, file, party_col=None if ps else "party",
                  year_col="congress_year" if ps else "year",
                  city_col="congress_city" if ps else None,
                  name_col=None if ps else "vote_name")
    return file, raw, ps, out


def clean_history_results(raw_dir: Path, name: str) -> pd.DataFrame:
    """Tidy rows of ``history_results.csv`` or ``other_parties_results.csv``.

    Parameters
    ----------
    raw_dir
        Folder of the raw files (checksums are verified by the caller).
    name
        ``"history_results.csv"`` (PS) or ``"other_parties_results.csv"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RESULT_COLUMNS`, one row per raw row, in file order within each vote.

    Raises
    ------
    congresslab.errors.RawDataError
        Naming file, row and column, for a malformed count or share, an unknown round or
        party, an empty status, or an empty file.
    """
    file, raw, ps, out = _read_votes(raw_dir, name)
    candidate_col = "first_signatory_or_candidate" if ps else "candidate"
    votes = _parse_cells(raw, "votes", "count", file)
    shares = _parse_cells(raw, "share_pct", "share", file)
    out["option_kind"] = raw["option_kind"].fillna("").str.strip()
    out["option_label"] = raw["option_label"] if ps else raw["candidate"]
    out["candidate"] = raw[candidate_col].str.strip()
    out["votes"] = pd.Series([v["value"] for v in votes], dtype="Int64")
    out["share_pct"] = pd.Series([s["value"] for s in shares], dtype="Float64")
    for line, v in zip(raw["_line"], out["votes"], strict=True):
        if pd.notna(v) and v < 0:
            raise RawDataError(f"negative count {v}", file=file, row=int(line),
                               column="votes")
    out["votes_method"] = pd.Series(["published" if pd.notna(v) else pd.NA
                                     for v in out["votes"]], dtype="string")
    out["share_method"] = pd.Series(["published" if pd.notna(v) else pd.NA
                                     for v in out["share_pct"]], dtype="string")
    notes = []
    for v, s in zip(votes, shares, strict=True):
        parts = [f"votes: {v['note']}" if v["note"] else "",
                 f"share: {s['note']}" if s["note"] else ""]
        notes.append("; ".join(p for p in parts if p) or pd.NA)
    out["note"] = pd.Series(notes, dtype="string")
    out["approximate"] = [a or v["approximate"] or s["approximate"] for a, v, s in zip(
        out["_status_approx"], votes, shares, strict=True)]
    out["votes_text"] = raw["votes"]
    out["share_text"] = raw["share_pct"]
    out["version_key"] = _version_keys(out, "candidate")
    out = _share_checks(out, by="version_key")
    out = mark_versions(out, ["party", "congress_year", "round", "vote_kind"])
    return out[RESULT_COLUMNS]


TURNOUT_METRICS = ["members", "registered", "voters", "expressed", "blank_null"]

TURNOUT_COLUMNS = [
    "congress_year", "congress_city", "round", "date", "status", "registered", "voters",
    "expressed", "blank_null", "registered_method", "voters_method", "expressed_method",
    "blank_null_method", "participation_pct", "derivation", "conflict", "note", "source",
    "party", "vote_kind", "vote_name", "members", "members_method", "version", "is_default",
    "status_text", "conflict_note", "approximate", "superseded", "quote", "raw_file",
    "raw_line", "participation_published_pct", "participation_published_approximate",
]


def clean_history_turnout(raw_dir: Path, name: str) -> pd.DataFrame:
    """Tidy rows of ``history_turnout.csv`` or ``other_parties_turnout.csv``.

    Each row is its own version (turnout figures come one source at a time); the default
    row of a vote follows the rule of this module, counting the published figures as its
    completeness. ``participation_pct`` = voters / registered where both are published;
    an approximate figure makes the row ``approximate``. Turnout percentages published
    without counts stay in ``quote`` / ``status_text``.

    Raises
    ------
    congresslab.errors.RawDataError
        Naming file, row and column, for a malformed count, an unknown round or party, an
        empty status, voters above registered or expressed above voters (exact figures).
    """
    file, raw, ps, out = _read_votes(raw_dir, name)
    approx = list(out["_status_approx"])
    notes: list[list[str]] = [[] for _ in range(len(out))]
    for metric in TURNOUT_METRICS:
        if metric not in raw:
            out[metric] = pd.Series(pd.NA, index=out.index, dtype="Int64")
            out[f"{metric}_method"] = pd.Series(pd.NA, index=out.index, dtype="string")
            continue
        cells = _parse_cells(raw, metric, "count", file)
        out[metric] = pd.Series([c["value"] for c in cells], dtype="Int64")
        out[f"{metric}_method"] = pd.Series(
            ["published" if pd.notna(v) else pd.NA for v in out[metric]], dtype="string")
        for i, c in enumerate(cells):
            approx[i] = approx[i] or c["approximate"]
            if c["note"]:
                notes[i].append(f"{metric}: {c['note']}")
    out["approximate"] = approx
    for i in range(len(out)):
        line = int(out.at[i, "raw_line"])
        reg, vot, exp = (out.at[i, m] for m in ("registered", "voters", "expressed"))
        if not approx[i] and pd.notna(reg) and pd.notna(vot) and vot > reg:
            raise RawDataError(f"voters {vot} exceed registered {reg}", file=file, row=line,
                               column="voters")
        if not approx[i] and pd.notna(vot) and pd.notna(exp) and exp > vot:
            raise RawDataError(f"expressed {exp} exceeds voters {vot}", file=file, row=line,
                               column="expressed")
    out["participation_pct"] = (100 * out["voters"].astype("Float64")
                                / out["registered"].astype("Float64")).round(2)
    out["derivation"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["note"] = pd.Series(["; ".join(n) or pd.NA for n in notes], dtype="string")
    out["_completeness"] = out[["registered", "voters", "expressed", "members"]].notna().sum(
        axis=1)
    out["votes"] = out["_completeness"].where(out["_completeness"] > 0).astype("Int64")
    out["share_pct"] = pd.Series(pd.NA, index=out.index, dtype="Float64")
    out["share_text"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["version_key"] = [repr(k) for k in out["_order"]]
    out = mark_versions(out, ["party", "congress_year", "round", "vote_kind"])
    out["participation_published_pct"] = pd.Series(pd.NA, index=out.index, dtype="Float64")
    out["participation_published_approximate"] = pd.Series(pd.NA, index=out.index,
                                                           dtype="boolean")
    return out[TURNOUT_COLUMNS]


def attach_participation(turnout: pd.DataFrame, raw_dir: Path,
                         name: str = "turnout_percentages.csv") -> pd.DataFrame:
    """Fill ``participation_published_pct`` from the transcribed percentages of ``name``.

    Each row names a raw turnout row (``from_file``, ``from_line``) and quotes it; the
    quote must be in that row's ``quote`` or ``status`` and contain the figure, else
    :class:`~congresslab.errors.RawDataError` names file, row and column.
    """
    file = str(raw_dir / name)
    raw = read_raw(name, raw_dir, verify=False)
    turnout = turnout.copy()
    sources: dict[str, pd.DataFrame] = {}
    for r in raw.itertuples(index=False):
        line = int(r._0)
        if r.from_file not in ("history_turnout.csv", "other_parties_turnout.csv"):
            raise RawDataError(f"not a turnout file: {r.from_file!r}", file=file, row=line,
                               column="from_file")
        table = sources.setdefault(r.from_file, read_raw(r.from_file, raw_dir, verify=False))
        try:
            target = parse_count(r.from_line)
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=line, column="from_line") from None
        match = table[table["_line"] == target]
        if match.empty:
            raise RawDataError(f"{r.from_file} has no line {r.from_line}", file=file,
                               row=line, column="from_line")
        texts = f"{match['quote'].iloc[0]} {match['status'].iloc[0]}"
        if not isinstance(r.quote, str) or r.quote not in texts:
            raise RawDataError(f"quote not found in {r.from_file} line {r.from_line}",
                               file=file, row=line, column="quote")
        if str(r.participation_pct) not in r.quote:
            raise RawDataError(f"{r.participation_pct!r} is not in the quote", file=file,
                               row=line, column="participation_pct")
        if r.approximate not in ("true", "false"):
            raise RawDataError(f"approximate must be true or false, not {r.approximate!r}",
                               file=file, row=line, column="approximate")
        try:
            value = parse_share(r.participation_pct)
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=line,
                               column="participation_pct") from None
        if value is None or not 0 <= value <= 100:
            raise RawDataError(f"not a percentage between 0 and 100: {r.participation_pct!r}",
                               file=file, row=line, column="participation_pct")
        at = (turnout["raw_file"] == r.from_file) & (turnout["raw_line"] == target)
        turnout.loc[at, "participation_published_pct"] = value
        turnout.loc[at, "participation_published_approximate"] = r.approximate == "true"
    return turnout
