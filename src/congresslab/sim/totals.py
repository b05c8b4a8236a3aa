"""National totals that a SIMULATED congress reproduces exactly, and their assumptions.

Examples
--------
>>> congress_totals(2023).registered
43265
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from congresslab.data.fedtables import slugify_option
from congresslab.rounding import apportion
from congresslab.sim.anchors import registered_assumed

__all__ = ["CongressTotals", "congress_totals", "PS_YEARS", "simulable_votes"]

#: PS congresses whose published national totals close a SIMULATED congress (with the
#: assumptions that :func:`congress_totals` states).
PS_YEARS: tuple[int, ...] = (2018, 2023, 2025)


@dataclass(frozen=True)
class CongressTotals:
    """National totals a simulated congress must reproduce.

    Attributes
    ----------
    year : int or None
        The congress imitated (``None`` for user-given totals).
    registered : int
        Members registered for round 1.
    r1 : dict
        Round-1 counts: option slug -> votes, plus ``blank_null`` and ``abstention``.
    r2 : dict or None
        Round-2 counts (options, ``blank_null``, ``voters``) when they are known; then the
        simulated round-2 national totals equal them exactly. ``None``: round 2 unpinned.
    r2_options : list of str
        Round-2 option slugs (the finalists).
    labels : dict
        Option slug -> label used in French tables (candidate surname).
    assumptions : list of str
        What is assumed where the official record is silent.
    party : str
        The party whose vote is imitated (``"PS"``, ``"LR"``...).
    """

    year: int | None
    registered: int
    r1: dict[str, int]
    r2: dict[str, int] | None
    r2_options: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    party: str = "PS"


def _surname(candidate: str) -> str:
    parts = str(candidate).split()
    return " ".join(parts[1:]) if len(parts) > 1 else str(candidate)


def congress_totals(like: int, party: str = "PS") -> CongressTotals:
    """National totals of a real congress, with the assumptions needed to close them.

    Parameters
    ----------
    like : int
        Congress year: 2025, 2023 or 2018 for the PS; for another party, a two-round
        members' vote whose rounds are both published as counts (LR 2022).
        Read through :func:`congresslab.data.load.load_results` and
        :func:`congresslab.data.load.load_turnout` (official figures; the default version
        where sources disagree).
    party : str
        ``"PS"`` (default) or another party of the data (see ``cl.congresses(party=None)``).

    Returns
    -------
    CongressTotals

    Examples
    --------
    >>> t = congress_totals(2025)
    >>> list(t.r1.values())
    [10279, 9834, 4240, 348, 15114]
    >>> t.r2
    {'faure': 12689, 'mayer_rossignol': 12120, 'blank_null': 355, 'voters': 25164}
    >>> congress_totals(2022, party="LR").r2
    {'ciotti': 33609, 'retailleau': 28977, 'blank_null': 918, 'voters': 63504}
    """
    from congresslab.data.load import load_results, load_turnout

    if party != "PS":
        return _vote_totals(like, party)
    if like not in PS_YEARS:
        years = ", ".join(map(str, PS_YEARS[:-1])) + f" and {PS_YEARS[-1]}"
        raise ValueError(
            f"like={like!r}: only {years} have enough published totals; "
            "pass totals=CongressTotals(...) for other congresses"
        )
    res = load_results(like, status="official")
    turn = load_turnout(like, status="official").set_index("round")
    r1 = res[res["round"] == 1]
    r2 = res[res["round"] == 2]
    labels = {slugify_option(_surname(c)): _surname(c) for c in res["candidate"]}
    assumptions: list[str] = []

    def val(rnd: int, col: str) -> int | None:
        v = turn.loc[rnd, col] if rnd in turn.index else pd.NA
        return None if pd.isna(v) else int(v)

    r1_slugs = [slugify_option(_surname(c)) for c in r1["candidate"]]
    r2_slugs = [slugify_option(_surname(c)) for c in r2["candidate"]]
    voters1 = val(1, "voters")
    if voters1 is None:
        raise ValueError(f"no official round-1 voter count for {like}")
    registered = val(1, "registered")
    if registered is None:
        registered = registered_assumed(like)
        assumptions.append(
            f"registered members not published exactly for {like}: {registered} assumed"
        )
    if like == 2025:
        b2, v2 = val(2, "blank_null"), val(2, "voters")
        blank1 = round(voters1 * b2 / v2)
        assumptions.append(
            f"2025 round-1 blank/null not published: rate of round 2 assumed ({b2}/{v2}), "
            f"giving {blank1} blank/null and {voters1 - blank1} expressed"
        )
    elif like == 2018:
        prov = load_turnout(2018, 1, status="provisional").iloc[0]
        blank1 = round(voters1 * int(prov["blank_null"]) / int(prov["voters"]))
        assumptions.append(
            "2018 round-1 expressed not published: blank/null rate of the provisional count "
            f"assumed ({int(prov['blank_null'])}/{int(prov['voters'])}), giving {blank1}"
        )
    else:
        blank1 = voters1 - int(val(1, "expressed"))
    expressed1 = voters1 - blank1
    if r1["votes"].notna().all():
        votes1 = r1["votes"].astype(int).to_numpy()
        if int(votes1.sum()) != expressed1:
            raise ValueError(f"{like}: round-1 votes do not sum to expressed")
    else:
        votes1 = apportion(r1["share_pct"].astype(float), expressed1)
        assumptions.append(
            f"{like} round-1 votes derived from the official shares and {expressed1} expressed "
            "(largest remainder)"
        )
    r1_counts = dict(zip(r1_slugs, (int(v) for v in votes1), strict=True))
    r1_counts["blank_null"] = blank1
    r1_counts["abstention"] = registered - voters1
    r2_counts: dict[str, int] | None = None
    if len(r2_slugs) >= 2 and r2["votes"].notna().all():
        r2_counts = dict(zip(r2_slugs, (int(v) for v in r2["votes"]), strict=True))
        expressed2 = sum(r2_counts.values())
        voters2 = val(2, "voters")
        if voters2 is None:
            rate = blank1 / voters1
            voters2 = round(expressed2 / (1 - rate))
            assumptions.append(
                f"{like} round-2 voters not published: round-1 blank/null rate assumed, "
                f"giving {voters2} voters"
            )
        r2_counts["blank_null"] = voters2 - expressed2
        r2_counts["voters"] = voters2
    else:
        assumptions.append(f"{like} round 2 not pinned to official counts (none usable)")
    return CongressTotals(like, registered, r1_counts, r2_counts, r2_slugs, labels, assumptions)


def _vote_totals(year: int, party: str) -> CongressTotals:
    """Totals of another party's two-round members' vote, both rounds published as counts."""
    from congresslab.data.load import load_results, load_turnout

    try:
        res = load_results(year, party=party)
    except ValueError as err:  # an unknown party or year: say what like= needs, and why
        raise ValueError(f"like={year}, party={party!r}: no two-round members' vote in the "
                         f"data ({err})") from err
    r1, r2 = res[res["round"] == 1], res[res["round"] == 2]
    what = f"{party} {year}"
    if r1.empty or r2.empty:
        raise ValueError(f"like={year}, party={party!r}: no two-round members' vote in the data "
                         "(see congresslab.congresses(party=None))")
    for rnd, rows in ((1, r1), (2, r2)):
        if rows["votes"].isna().any():
            raise ValueError(f"{what} round {rnd} is published as shares only: a SIMULATED "
                             "congress needs the counts of both rounds")
    turn = load_turnout(year, 1, party=party, status="default")
    registered = turn["registered"].dropna()
    voters1 = turn["voters"].dropna()
    if registered.empty or voters1.empty:
        raise ValueError(f"{what} round 1: registered members and voters must be published")
    registered, voters1 = int(registered.iloc[0]), int(voters1.iloc[0])
    votes1 = r1["votes"].astype(int).to_numpy()
    slugs1 = [slugify_option(_surname(c)) for c in r1["candidate"]]
    slugs2 = [slugify_option(_surname(c)) for c in r2["candidate"]]
    labels = {slugify_option(_surname(c)): _surname(c) for c in res["candidate"]}
    blank1 = voters1 - int(votes1.sum())
    if blank1 < 0:
        raise ValueError(f"{what} round 1: the candidates' votes exceed the voters")
    assumptions = [f"{what}: round-1 blank/null = voters - candidates' votes = {blank1}"]
    r1_counts = dict(zip(slugs1, (int(v) for v in votes1), strict=True))
    r1_counts["blank_null"] = blank1
    r1_counts["abstention"] = registered - voters1
    r2_counts = dict(zip(slugs2, (int(v) for v in r2["votes"]), strict=True))
    expressed2 = sum(r2_counts.values())
    t2 = load_turnout(year, 2, party=party, status="default")
    pct = t2["participation_published_pct"].dropna()
    reg2 = t2["registered"].dropna()
    if not pct.empty:
        base = int(reg2.iloc[0]) if not reg2.empty else registered
        voters2 = max(expressed2, round(base * float(pct.iloc[0]) / 100))
        assumptions.append(f"{what} round-2 voters from the published turnout "
                           f"{float(pct.iloc[0]):g} % of {base}: {voters2}")
    else:
        voters2 = round(expressed2 / (1 - blank1 / voters1))
        assumptions.append(f"{what} round-2 voters not published: round-1 blank/null rate "
                           f"assumed, giving {voters2}")
    r2_counts["blank_null"] = voters2 - expressed2
    r2_counts["voters"] = voters2
    assumptions.append(f"{what}: federations are the PS's départements + FFE and their sizes "
                       "follow the shape published for the PS in 2025 (no federation sizes "
                       f"are published for {party})")
    return CongressTotals(year, registered, r1_counts, r2_counts, slugs2, labels, assumptions,
                          party)


def simulable_votes() -> list[tuple[str, int]]:
    """The (party, year) votes whose totals :func:`congress_totals` can close.

    The PS congresses of :data:`PS_YEARS`, then every other party's vote of
    ``congresses(party=None)`` whose two rounds are published as counts (each is tried, so
    the list follows the data). For error messages: it reads the results of every vote.

    Examples
    --------
    >>> simulable_votes()
    [('PS', 2018), ('PS', 2023), ('PS', 2025), ('LR', 2022)]
    """
    from congresslab.data.load import congresses

    votes = [("PS", year) for year in PS_YEARS]
    others = congresses(party=None)
    others = others[others["party"] != "PS"]
    for party, year in zip(others["party"], others["congress_year"], strict=True):
        try:
            _vote_totals(int(year), party)
        except ValueError:
            continue
        votes.append((party, int(year)))
    return votes
