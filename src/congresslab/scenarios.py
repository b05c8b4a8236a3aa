"""National arithmetic: what the published national totals allow us to say about transfers.

With national figures only, a transfer matrix is not identified: many matrices give the same
totals. This module makes the assumptions explicit and shows what follows from each:

* :func:`national_table` — first- and second-round national counts, with every assumption
  needed to complete them (e.g. the 2025 first-round blank/null rate) listed;
* :func:`national_bounds` — the logical (Fréchet/Duncan–Davis) bounds of each cell, which
  assume nothing and tell almost nothing;
* :func:`implied_split` / :func:`scenario_table` — the third-placed motion's split implied by
  the runoff totals under stated assumptions (loyalty of the finalists' voters, crossover,
  how the newcomers of the runoff voted);
* :func:`tipping_point` — the share of the third-placed motion's voters the runner-up needed.

These are the PS-specific callers of the generic engine :mod:`congresslab.runoffs`, which
handles any two-round vote (any set of eliminated candidates, endorsement splits as
scenario inputs, bounds under loyalty assumptions); :meth:`NationalTable.to_runoff`
converts.

The model of a scenario (all shares of first-round *expressed* voters):

* a share ``loyalty`` of each finalist's voters votes for the same finalist again, a share
  ``crossover`` for the other finalist, the rest does not vote for a finalist;
* a share ``retention`` of the third-placed motion's voters votes for one of the finalists;
* everyone else who expressed a vote in the runoff is a *newcomer* (did not express a vote
  in round 1: abstained, voted blank, or joined), and a share ``newcomers_to_leader`` of them
  voted for the first-round leader.

Then the third-placed motion's votes for each finalist are what is left of the finalist's
runoff total, and the implied split is their ratio. A scenario is *infeasible* when the
implied split falls outside [0, 1].

Examples
--------
>>> s = implied_split(2023, loyalty=1.0, retention=1.0)
>>> round(s["third_to_leader_pct"], 1), round(s["third_to_runner_up_pct"], 1)
(9.7, 90.3)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from congresslab import runoffs
from congresslab.data.load import load_results, load_turnout
from congresslab.runoffs import Runoff

__all__ = [
    "NationalTable",
    "national_table",
    "national_bounds",
    "implied_split",
    "scenario_table",
    "tipping_point",
    "scenario_arrays",
    "single_candidate_support",
    "same_options_shift",
]


@dataclass(frozen=True)
class NationalTable:
    """National counts of both rounds of one congress and the assumptions behind them.

    Attributes
    ----------
    year
        Congress year.
    first
        Round-1 expressed votes per motion (leader, runner-up, third, ...), in that order.
    second
        Runoff votes per candidate (leader of round 1 first).
    r1_voters, r1_expressed, r2_voters, r2_expressed
        Turnout figures (published or assumed, see ``assumptions``).
    registered
        Registered members (``None`` if not published).
    assumptions
        Plain-language list of every assumption used to complete the table.
    """

    year: int
    first: pd.Series
    second: pd.Series
    r1_voters: float
    r1_expressed: float
    r2_voters: float
    r2_expressed: float
    registered: float | None
    assumptions: list[str] = field(default_factory=list)

    @property
    def leader(self) -> str:
        """First-round leader (also a finalist)."""
        return str(self.first.index[0])

    @property
    def runner_up(self) -> str:
        """Second in round 1, the other finalist."""
        return str(self.first.index[1])

    @property
    def third(self) -> str:
        """Third-placed motion (eliminated)."""
        return str(self.first.index[2])

    def to_runoff(self) -> Runoff:
        """The same table as a generic :class:`~congresslab.runoffs.Runoff`.

        Examples
        --------
        >>> national_table(2023).to_runoff().eliminated
        ['Hélène Geoffroy']
        """
        return Runoff(f"PS {self.year}", self.first, self.second, self.r1_expressed,
                      self.r2_expressed, self.r1_voters, self.r2_voters, self.registered,
                      tuple(self.assumptions))


def _one(frame: pd.DataFrame, column: str) -> float | None:
    if frame.empty or pd.isna(frame[column].iloc[0]):
        return None
    return float(frame[column].iloc[0])


def national_table(year: int, *, r1_blank_rate: float | None = None,
                   runoff_status: str = "default") -> NationalTable:
    """National counts of both rounds, completed with explicit assumptions.

    Parameters
    ----------
    year
        2023 or 2025 (the congresses with a contested runoff and runoff counts).
    r1_blank_rate
        Share of round-1 voters who voted blank or null, used only where round-1 expressed
        votes are not published (2025). Default: the runoff's published rate
        (2025: 355 / 25,164 = 1.41 %).
    runoff_status
        Which version of the runoff: ``"default"`` (the official count) or a status of
        :func:`~congresslab.data.load.load_results`, e.g. ``"provisional"`` (2023: before the
        *commission de récolement*).

    Returns
    -------
    NationalTable

    Raises
    ------
    ValueError
        For a congress without two runoff candidates with published counts.

    Examples
    --------
    >>> t = national_table(2025)
    >>> t.leader, t.third, int(round(t.r1_expressed))
    ('Olivier Faure', 'Boris Vallaud', 24353)
    >>> t.assumptions[0][:46]
    'round-1 expressed votes are not published: 24,'
    """
    r1 = load_results(year, round=1)
    r2 = load_results(year, round=2, status=runoff_status)
    if len(r2) != 2 or r2["votes"].isna().any() or len(r1) < 3:
        raise ValueError(
            f"congress {year}: national transfer scenarios need a two-candidate runoff with "
            "published counts and at least three motions (available: 2023, 2025)")
    t1 = load_turnout(year, round=1, status="official")
    t2 = load_turnout(year, round=2,
                      status="official" if runoff_status == "default" else runoff_status)
    assumptions: list[str] = []
    r1_voters, r1_expressed = _one(t1, "voters"), _one(t1, "expressed")
    r2_expressed = float(r2["votes"].sum())
    r2_voters = _one(t2, "voters")
    if r2_voters is None:
        r2_voters = r2_expressed
        assumptions.append("runoff voters are not published: taken equal to expressed votes "
                           f"({r2_expressed:,.0f})")
    if r1_expressed is None:
        if r1_voters is None:
            raise ValueError(f"congress {year}: neither round-1 voters nor expressed published")
        rate = (r2_voters - r2_expressed) / r2_voters if r1_blank_rate is None else r1_blank_rate
        r1_expressed = r1_voters * (1 - rate)
        assumptions.append(
            f"round-1 expressed votes are not published: {r1_expressed:,.0f} assumed "
            f"({r1_voters:,.0f} voters × (1 − {100 * rate:.2f} % blank/null"
            f"{', the runoff rate' if r1_blank_rate is None else ''}))")
    if r1["votes"].notna().all() and r1["votes_method"].eq("published").all():
        first = r1.set_index("candidate")["votes"].astype(float)
    else:
        first = r1.set_index("candidate")["share_pct"].astype(float) / 100 * r1_expressed
        assumptions.append("round-1 counts = published shares × expressed votes (rounding of "
                           "the shares: ±0.005 pp)")
    first = first.sort_values(ascending=False)
    second = r2.set_index("candidate")["votes"].astype(float)
    missing = set(second.index) - set(first.index[:2])
    if missing:
        raise ValueError(f"congress {year}: runoff candidates {missing} are not the first two "
                         "motions' first signatories")
    second = second.loc[list(first.index[:2])]
    registered = _one(t1, "registered")
    return NationalTable(year, first, second, r1_voters or r1_expressed, r1_expressed,
                         r2_voters, r2_expressed, registered, assumptions)


_BAD_SHARES = "loyalty and crossover must be shares with loyalty + crossover ≤ 1"
_BAD_RETENTION = "retention must be in (0, 1] and newcomers_to_leader in [0, 1]"


def implied_split(year: int | NationalTable, *, loyalty: float = 1.0, crossover: float = 0.0,
                  retention: float | None = None, newcomers_to_leader: float = 0.5) -> dict:
    """The third-placed motion's runoff split implied by the totals under one scenario.

    Parameters
    ----------
    year
        Congress year, or a :class:`NationalTable` (to change its assumptions).
    loyalty
        Share of each finalist's round-1 voters voting for the same finalist in the runoff.
    crossover
        Share of each finalist's round-1 voters voting for the other finalist.
    retention
        Share of the third-placed motion's voters voting for a finalist; default
        ``loyalty + crossover`` (the same turnout behaviour as the finalists' voters).
    newcomers_to_leader
        Share of the runoff's newcomers voting for the round-1 leader.

    Returns
    -------
    dict
        The assumptions, ``newcomers`` (runoff votes not explained by returning round-1
        voters), ``third_to_leader`` / ``third_to_runner_up`` (votes) and their shares in %
        of the third-placed voters who chose a finalist, and ``feasible``.

    Examples
    --------
    >>> s = implied_split(2025)
    >>> round(s["third_to_leader_pct"], 1), s["feasible"]
    (51.5, True)
    """
    table = year if isinstance(year, NationalTable) else national_table(year)
    if not (0 <= loyalty <= 1 and 0 <= crossover <= 1 and loyalty + crossover <= 1):
        raise ValueError(_BAD_SHARES)
    retention = loyalty + crossover if retention is None else retention
    if not (0 < retention <= 1 and 0 <= newcomers_to_leader <= 1):
        raise ValueError(_BAD_RETENTION)
    # the third-placed motion and any smaller ones are the generic engine's free group
    s = runoffs.implied_split(table.to_runoff(), loyalty=loyalty, crossover=crossover,
                              retention=retention, newcomers_to_leader=newcomers_to_leader)
    return {
        "loyalty": loyalty, "crossover": crossover, "retention": retention,
        "newcomers_to_leader": newcomers_to_leader, "newcomers": s["newcomers"],
        "third_to_leader": s["free_to_leader"], "third_to_runner_up": s["free_to_runner_up"],
        "third_to_leader_pct": s["free_to_leader_pct"],
        "third_to_runner_up_pct": s["free_to_runner_up_pct"], "feasible": s["feasible"],
    }


def scenario_table(year: int | NationalTable, *,
                   loyalty: Iterable[float] = (0.9, 0.95, 1.0),
                   crossover: Iterable[float] = (0.0, 0.03),
                   newcomers_to_leader: Iterable[float] = (0.4, 0.5, 0.6),
                   retention: Iterable[float | None] = (None,)) -> pd.DataFrame:
    """Implied splits over a grid of scenarios, one row per combination (rounded).

    Examples
    --------
    >>> t = scenario_table(2025, loyalty=[1.0], crossover=[0.0], newcomers_to_leader=[0, 1])
    >>> t[["newcomers_to_leader", "third_to_leader_pct"]].values.tolist()
    [[0.0, 56.8], [1.0, 46.1]]
    """
    table = year if isinstance(year, NationalTable) else national_table(year)
    rows = [implied_split(table, loyalty=lo, crossover=cr, retention=re,
                          newcomers_to_leader=nl)
            for lo, cr, nl, re in product(loyalty, crossover, newcomers_to_leader, retention)
            if lo + cr <= 1]
    out = pd.DataFrame(rows)
    for col in ("newcomers", "third_to_leader", "third_to_runner_up"):
        out[col] = out[col].round().astype(int)
    for col in ("third_to_leader_pct", "third_to_runner_up_pct"):
        out[col] = out[col].round(1)
    return out


def tipping_point(year: int | NationalTable, *, loyalty: float = 1.0, crossover: float = 0.0,
                  retention: float | None = None, newcomers_to_leader: float = 0.5) -> float:
    """Share (%) of the third-placed voters who chose a finalist that the runner-up needed.

    Holding the scenario and the runoff's expressed total fixed, the runner-up wins the
    runoff when more than this share of the third-placed motion's finalist votes go to them.

    Examples
    --------
    >>> round(tipping_point(2025), 1)
    55.3
    """
    table = year if isinstance(year, NationalTable) else national_table(year)
    implied_split(table, loyalty=loyalty, crossover=crossover, retention=retention,
                  newcomers_to_leader=newcomers_to_leader)  # the checks
    q = runoffs.tipping_point(table.to_runoff(), candidate=table.runner_up, loyalty=loyalty,
                              crossover=crossover, retention=retention,
                              newcomers_to_leader=newcomers_to_leader)
    return float(np.clip(q, 0, 100))


def scenario_arrays(year: int | NationalTable, *, loyalty: ArrayLike, crossover: ArrayLike,
                    newcomers_to_leader: ArrayLike, retention: ArrayLike | None = None
                    ) -> dict[str, np.ndarray]:
    """:func:`implied_split` and :func:`tipping_point` for many scenarios at once.

    The shares are broadcast together, one scenario per element, and evaluated by the
    engine's :func:`~congresslab.runoffs.scenario_arrays`: the same floats as one scenario at
    a time, without building anything per scenario. The checks are :func:`implied_split`'s,
    elementwise: the first invalid scenario (in C order) raises its ``ValueError``.

    Returns
    -------
    dict of numpy.ndarray
        ``newcomers``, ``third_to_leader``, ``third_to_runner_up``, their shares
        ``third_to_leader_pct`` / ``third_to_runner_up_pct`` and ``feasible``, as in
        :func:`implied_split`; ``tipping_point`` as :func:`tipping_point` returns it.

    Examples
    --------
    >>> a = scenario_arrays(2025, loyalty=[1.0, 0.95], crossover=0, newcomers_to_leader=0.5)
    >>> a["third_to_leader_pct"].round(1).tolist(), a["tipping_point"].round(1).tolist()
    ([51.5, 51.8], [55.3, 55.3])
    """
    table = year if isinstance(year, NationalTable) else national_table(year)
    lo, cr, nl, re = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (
        loyalty, crossover, newcomers_to_leader, 0.0 if retention is None else retention)))
    re = lo + cr if retention is None else re
    bad_shares = ~((0 <= lo) & (lo <= 1) & (0 <= cr) & (cr <= 1) & (lo + cr <= 1))
    bad = bad_shares | ~((0 < re) & (re <= 1) & (0 <= nl) & (nl <= 1))
    if bad.any():
        first = np.unravel_index(np.argmax(bad), bad.shape)
        raise ValueError(_BAD_SHARES if bad_shares[first] else _BAD_RETENTION)
    runoff = table.to_runoff()
    a = runoffs.scenario_arrays(runoff, loyalty=lo, crossover=cr, retention=re,
                                newcomers_to_leader=nl)
    # tipping_point: the engine's, for the runner-up, clipped to [0, 100]
    needed = a["leader_needed_pct" if table.runner_up == runoff.leader
               else "runner_up_needed_pct"]
    return {"newcomers": a["newcomers"], "third_to_leader": a["free_to_leader"],
            "third_to_runner_up": a["free_to_runner_up"],
            "third_to_leader_pct": a["free_to_leader_pct"],
            "third_to_runner_up_pct": 100 - a["free_to_leader_pct"],
            "feasible": a["feasible"], "tipping_point": np.clip(needed, 0, 100)}


def national_bounds(year: int | NationalTable, registered: float | None = None) -> pd.DataFrame:
    """Logical bounds of every national transfer cell, with no behavioural assumption.

    Origins are the round-1 motions, round-1 blank/null and round-1 non-voters; destinations
    the runoff candidates, runoff blank/null and runoff non-voters; both rounds are taken
    over the same electorate (``registered``; default the published round-1 figure). The
    bounds are those of a single unit (Duncan & Davis 1953), computed by the engine's
    :class:`~congresslab.transfers.Bounds`.

    Examples
    --------
    >>> b = national_bounds(2025)
    >>> row = b[(b.origin == "Boris Vallaud") & (b.destination == "Olivier Faure")].iloc[0]
    >>> float(row.lower), float(row.upper)
    (0.0, 100.0)
    """
    from congresslab.transfers import UnitTable, estimate

    table = year if isinstance(year, NationalTable) else national_table(year)
    registered = table.registered if registered is None else registered
    if registered is None:
        raise ValueError(f"congress {table.year}: registered members not published; pass "
                         "registered= (see load_turnout_conflicts for the candidates)")
    origin = dict(table.first)
    origin["round-1 blank/null"] = table.r1_voters - table.r1_expressed
    origin["round-1 non-voters"] = registered - table.r1_voters
    destination = dict(table.second)
    destination["runoff blank/null"] = table.r2_voters - table.r2_expressed
    destination["runoff non-voters"] = registered - table.r2_voters
    frame = pd.DataFrame([{**{f"o:{k}": v for k, v in origin.items()},
                           **{f"d:{k}": v for k, v in destination.items()}}])
    ocols = [f"o:{k}" for k in origin]
    dcols = [f"d:{k}" for k in destination]
    # derived round-1 counts (published share x base) are not whole: say so to the table
    units = UnitTable.from_frame(frame, origin=ocols, destination=dcols, margins="rescale",
                                 whole=False)
    res = estimate(units, method="bounds", progress=False)
    ci = res.conf_int()
    out = pd.DataFrame({
        "origin": ci["origin"].str[2:], "destination": ci["destination"].str[2:],
        "lower": (100 * ci["lower"]).round(1), "upper": (100 * ci["upper"]).round(1)})
    return out.reset_index(drop=True)


def single_candidate_support(year: int = 2018, *, loyalty: Iterable[float] = (1.0, 0.95, 0.9)
                             ) -> pd.DataFrame:
    """What a single-candidate runoff says about the other motions' voters.

    With one candidate the only choices are that candidate, blank/null or staying home, so
    nothing is learned about preferences *between* candidates. If the runoff share is taken
    over the same voters as round 1 (an assumption: no runoff turnout was published) and a
    share ``loyalty`` of the candidate's own round-1 voters voted for them again, the other
    motions' voters must have supplied the rest.

    Returns
    -------
    pandas.DataFrame
        One row per loyalty: ``others_for_candidate_pct``, the share of the other motions'
        round-1 voters who voted for the sole candidate (infeasible if above 100).

    Examples
    --------
    >>> single_candidate_support(2018)["others_for_candidate_pct"].tolist()
    [72.9, 77.6, 82.3]
    """
    r1 = load_results(year, round=1)
    r2 = load_results(year, round=2)
    if len(r2) != 1:
        raise ValueError(f"congress {year}: the runoff did not have a single candidate")
    candidate = r2["candidate"].iloc[0]
    own = float(r1.set_index("candidate").loc[candidate, "share_pct"])
    runoff = float(r2["share_pct"].iloc[0])
    rows = []
    for lo in loyalty:
        others = 100 * (runoff - lo * own) / (100 - own)
        rows.append({"candidate": candidate, "round1_share": own, "runoff_share": runoff,
                     "loyalty": lo, "others_for_candidate_pct": round(others, 1),
                     "feasible": 0 <= others <= 100})
    return pd.DataFrame(rows)


def same_options_shift(year: int = 2021) -> pd.DataFrame:
    """Net shift between two rounds with the same two options (2021: Faure vs Geoffroy).

    With the same electorate in both rounds, the net shift in share is the least possible
    share of voters who changed sides (gross switching could be larger in both directions).

    Examples
    --------
    >>> same_options_shift(2021)[["candidate", "shift_pp"]].values.tolist()
    [['Olivier Faure', 1.47], ['Hélène Geoffroy', -1.46]]
    """
    r1 = load_results(year, round=1).set_index("candidate")["share_pct"]
    r2 = load_results(year, round=2).set_index("candidate")["share_pct"]
    if set(r1.index) != set(r2.index):
        raise ValueError(f"congress {year}: the two rounds do not have the same options")
    out = pd.DataFrame({"candidate": r1.index, "round1_share": r1.values,
                        "runoff_share": r2.loc[r1.index].values})
    out["shift_pp"] = (out["runoff_share"] - out["round1_share"]).astype(float).round(2)
    out["round1_share"] = out["round1_share"].astype(float)
    out["runoff_share"] = out["runoff_share"].astype(float)
    return out
