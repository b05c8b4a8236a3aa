"""National arithmetic for any two-round vote: eliminated candidates, two finalists, counts.

A :class:`Runoff` holds the national counts of round 1 (every candidate or motion) and of the
runoff (two finalists), with every assumption used to complete them listed in plain words.
It is built from explicit counts (:meth:`Runoff.from_counts`), from published shares and a
stated base (:meth:`Runoff.from_shares`), or from the project's tables
(:func:`runoff_table`). National totals do not identify where the eliminated candidates'
voters went; the functions below make every assumption an explicit argument:

* :func:`implied_split` — the split of the eliminated voters implied by the runoff totals
  under one scenario;
* :func:`scenario_table` — the same over a grid of scenarios;
* :func:`tipping_point` / :func:`needed_summary` — what share of the eliminated voters a
  finalist needed to draw level;
* :func:`scenario_arrays` — implied splits and tipping points of many scenarios at once.

The bounds of every cell, assuming nothing or loyal finalists' voters, are in
:mod:`congresslab.runoffs.bounds`.

The scenario model (shares of round-1 *expressed* voters):

* a share ``loyalty`` of each finalist's round-1 voters votes for the same finalist in the
  runoff, a share ``crossover`` for the other finalist, the rest for neither;
* a share ``retention`` of each eliminated candidate's voters votes for a finalist (one
  number, or one per eliminated candidate; default ``loyalty + crossover``);
* ``fixed_splits`` fixes how some eliminated candidates' finalist votes split (an
  *endorsement scenario*, e.g. ``{"Xavier Bertrand": {"Valérie Pécresse": 0.8}}``): it is an
  input, never a finding;
* every other runoff vote comes from a *newcomer* (did not express a vote in round 1), and a
  share ``newcomers_to_leader`` of them voted for the finalist placed first in round 1.
  The turnout drift between the rounds is absorbed here: when the returning voters alone
  exceed the runoff's expressed votes, newcomers are negative and the scenario infeasible.

The votes of the *free* eliminated candidates (those without a fixed split) for each
finalist are then what is left of the finalist's runoff total, and their split is implied.

Examples
--------
>>> r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 52, "B": 48}, label="toy")
>>> r.leader, r.runner_up, r.eliminated, r.winner, r.margin
('A', 'B', ['C'], 'A', 4.0)
>>> s = implied_split(r)
>>> s["free_to_leader"], s["free_to_runner_up"], s["feasible"]
(7.0, 13.0, True)
>>> round(tipping_point(r), 1)   # share of C's finalist votes B needed (B got 65 %)
75.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import product

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from congresslab.errors import RunoffError

__all__ = [
    "RunoffError",
    "Runoff",
    "runoff_table",
    "implied_split",
    "scenario_table",
    "tipping_point",
    "scenario_arrays",
    "needed_summary",
]


def _number(value: object, what: str) -> float:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise RunoffError(f"{what}: {value!r} is not a number") from None
    if not math.isfinite(out) or out < 0:
        raise RunoffError(f"{what}: {value!r} must be a finite non-negative number")
    return out


def _checked(values: Mapping[str, object], what: str) -> tuple[list[str], list[float]]:
    """Candidate names and counts of a mapping candidate → number, checked."""
    if not isinstance(values, Mapping | pd.Series) or len(values) == 0:
        raise RunoffError(f"{what}: a mapping candidate → number is required")
    names = [str(k) for k in values.keys()]
    if len(set(names)) != len(names):
        raise RunoffError(f"{what}: duplicate candidate names {names}")
    return names, [_number(v, f"{what}[{k!r}]") for k, v in values.items()]


def _series(values: Mapping[str, object], what: str) -> pd.Series:
    names, numbers = _checked(values, what)
    return pd.Series(numbers, index=names, dtype=float)


@dataclass(frozen=True)
class Runoff:
    """National counts of a two-round vote and the assumptions behind them.

    Attributes
    ----------
    label
        What vote this is (e.g. ``"PS 2008 (Reims)"``).
    first
        Round-1 expressed votes per candidate, in decreasing order.
    second
        Runoff votes of the two finalists, in their round-1 order (leader first).
    r1_expressed, r2_expressed
        Expressed votes of each round (``r2_expressed`` is the finalists' total).
    r1_voters, r2_voters, registered
        Turnout figures, ``None`` where not published.
    assumptions
        Plain-language list of every assumption used to complete the table.
    """

    label: str
    first: pd.Series
    second: pd.Series
    r1_expressed: float
    r2_expressed: float
    r1_voters: float | None = None
    r2_voters: float | None = None
    registered: float | None = None
    assumptions: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        # plain lists until the checks pass: pandas costs most of a Runoff's construction
        names1, votes1 = _checked(self.first, f"{self.label}: round 1")
        names2, votes2 = _checked(self.second, f"{self.label}: runoff")
        if len(names1) < 3:
            raise RunoffError(f"{self.label}: round 1 needs at least three candidates (two "
                              f"finalists and one eliminated), got {names1}")
        if len(names2) != 2:
            raise RunoffError(f"{self.label}: the runoff needs exactly two finalists, got "
                              f"{names2}")
        unknown = [c for c in names2 if c not in names1]
        if unknown:
            raise RunoffError(f"{self.label}: runoff candidate(s) {unknown} not among the "
                              f"round-1 candidates {names1}")
        # decreasing round-1 votes, ties in the given order (a stable sort); runoff alike
        order = sorted(range(len(votes1)), key=votes1.__getitem__, reverse=True)
        names1 = [names1[i] for i in order]
        first = pd.Series([votes1[i] for i in order], index=names1, dtype=float)
        runoff = dict(zip(names2, votes2, strict=True))
        names2 = [c for c in names1 if c in runoff]
        second = pd.Series([runoff[c] for c in names2], index=names2, dtype=float)
        e1 = _number(self.r1_expressed, f"{self.label}: r1_expressed")
        e2 = _number(self.r2_expressed, f"{self.label}: r2_expressed")
        if first.sum() > e1 * (1 + 1e-9) + 0.5:
            raise RunoffError(f"{self.label}: round-1 votes add up to {first.sum():,.0f}, more "
                              f"than the {e1:,.0f} expressed votes")
        if abs(second.sum() - e2) > 0.5:
            raise RunoffError(f"{self.label}: the finalists' runoff votes add up to "
                              f"{second.sum():,.0f}, not the {e2:,.0f} expressed votes")
        for name, voters, expressed in (("r1_voters", self.r1_voters, e1),
                                        ("r2_voters", self.r2_voters, e2)):
            if voters is not None and _number(voters, f"{self.label}: {name}") < expressed - 0.5:
                raise RunoffError(f"{self.label}: {name} = {voters:,.0f} is below the "
                                  f"{expressed:,.0f} expressed votes")
        if self.registered is not None:
            reg = _number(self.registered, f"{self.label}: registered")
            most = max(v for v in (e1, e2, self.r1_voters, self.r2_voters) if v is not None)
            if reg < most - 0.5:
                raise RunoffError(f"{self.label}: registered = {reg:,.0f} is below the "
                                  f"{most:,.0f} who voted")
        object.__setattr__(self, "first", first)
        object.__setattr__(self, "second", second)
        object.__setattr__(self, "r1_expressed", e1)
        object.__setattr__(self, "r2_expressed", e2)
        object.__setattr__(self, "assumptions", tuple(self.assumptions))

    # ----------------------------------------------------------------- constructors
    @classmethod
    def from_counts(cls, first: Mapping[str, float], second: Mapping[str, float], *,
                    label: str = "runoff", r1_expressed: float | None = None,
                    r1_voters: float | None = None, r2_voters: float | None = None,
                    registered: float | None = None,
                    assumptions: Iterable[str] = ()) -> Runoff:
        """A runoff from published counts of both rounds.

        Parameters
        ----------
        first, second
            Round-1 votes per candidate; runoff votes of the two finalists.
        label
            Name of the vote, used in messages and tables.
        r1_expressed
            Round-1 expressed votes; default the sum of ``first``.
        r1_voters, r2_voters, registered
            Turnout figures, if published.
        assumptions
            Assumptions already made in building the counts.

        Examples
        --------
        >>> Runoff.from_counts({"A": 5, "B": 4, "C": 1}, {"A": 6, "B": 4}).r1_expressed
        10.0
        """
        one = _series(first, f"{label}: round 1")
        two = _series(second, f"{label}: runoff")
        return cls(label, one, two, float(one.sum()) if r1_expressed is None else r1_expressed,
                   float(two.sum()), r1_voters, r2_voters, registered, tuple(assumptions))

    @classmethod
    def from_shares(cls, first_pct: Mapping[str, float], *, r1_expressed: float,
                    second: Mapping[str, float] | None = None,
                    second_pct: Mapping[str, float] | None = None,
                    r2_expressed: float | None = None, label: str = "runoff",
                    tolerance: float = 0.1, r1_voters: float | None = None,
                    r2_voters: float | None = None, registered: float | None = None,
                    assumptions: Iterable[str] = ()) -> Runoff:
        """A runoff whose round 1 (and perhaps runoff) is published as shares only.

        Counts are derived as share × base; the base is an input and the derivation is
        recorded in ``assumptions``. Shares must add up to 100 within ``tolerance``
        percentage points (a source whose shares do not add up is refused, not fixed).

        Parameters
        ----------
        first_pct
            Round-1 shares in % of expressed votes.
        r1_expressed
            The base of the round-1 shares.
        second, second_pct
            Runoff counts, or runoff shares in % (then ``r2_expressed`` is required): give
            exactly one.
        r2_expressed
            The base of the runoff shares.
        tolerance
            Allowed gap (percentage points) between the sum of shares and 100.

        Examples
        --------
        >>> r = Runoff.from_shares({"A": 50, "B": 30, "C": 20}, r1_expressed=1000,
        ...                        second={"A": 520, "B": 470})
        >>> r.first.tolist(), r.assumptions[0][:32]
        ([500.0, 300.0, 200.0], 'round-1 counts = published share')
        """
        notes = list(assumptions)
        e1 = _number(r1_expressed, f"{label}: r1_expressed")
        pct = _series(first_pct, f"{label}: round-1 shares")
        if abs(pct.sum() - 100) > tolerance:
            raise RunoffError(f"{label}: round-1 shares add up to {pct.sum():.2f}, not 100 "
                              f"(± {tolerance})")
        notes.append(f"round-1 counts = published shares × {e1:,.0f} expressed votes "
                     f"(shares sum to {pct.sum():.2f})")
        if (second is None) == (second_pct is None):
            raise RunoffError(f"{label}: give the runoff as counts (second=) or as shares "
                              "(second_pct=), exactly one")
        if second_pct is not None:
            if r2_expressed is None:
                raise RunoffError(f"{label}: the runoff has shares but no counts: pass "
                                  "r2_expressed= (the base of the shares, an assumption)")
            e2 = _number(r2_expressed, f"{label}: r2_expressed")
            spct = _series(second_pct, f"{label}: runoff shares")
            if abs(spct.sum() - 100) > tolerance:
                raise RunoffError(f"{label}: runoff shares add up to {spct.sum():.2f}, not "
                                  f"100 (± {tolerance})")
            second = (spct / spct.sum() * e2).to_dict()
            notes.append(f"runoff counts = published shares × {e2:,.0f} expressed votes")
        return cls(label, pct / 100 * e1, _series(second, f"{label}: runoff"), e1,
                   float(_series(second, label).sum()), r1_voters, r2_voters, registered,
                   tuple(notes))

    # ----------------------------------------------------------------- properties
    @property
    def leader(self) -> str:
        """The finalist placed higher in round 1."""
        return str(self.second.index[0])

    @property
    def runner_up(self) -> str:
        """The other finalist."""
        return str(self.second.index[1])

    @property
    def eliminated(self) -> list[str]:
        """Round-1 candidates who are not finalists, in round-1 order."""
        return [str(c) for c in self.first.index if c not in self.second.index]

    @property
    def winner(self) -> str:
        """The finalist with more runoff votes."""
        return str(self.second.idxmax())

    @property
    def loser(self) -> str:
        """The finalist with fewer runoff votes."""
        return self.runner_up if self.winner == self.leader else self.leader

    @property
    def margin(self) -> float:
        """Runoff votes of the winner minus the loser's."""
        return float(self.second.max() - self.second.min())


# --------------------------------------------------------------------- from the tables
def runoff_table(year: int, *, party: str = "PS", status: str = "default",
                 r1_blank_rate: float | None = None, **published: object) -> Runoff:
    """The runoff of one vote, from the project's processed tables.

    Parameters
    ----------
    year, party
        The vote (``party`` as in the processed tables, ``"PS"`` by default).
    status
        PS: the runoff's version (``"default"`` = official, ``"provisional"``); other
        parties: the normalised status of the figures used (``"default"`` = official or
        said official by a secondary source).
    r1_blank_rate
        PS 2023/2025 only: passed to :func:`congresslab.scenarios.national_table`.
    **published
        Other parties: passed to :func:`congresslab.runoffs.sources.party_runoff` (the
        bases of shares-only rounds, ``registered``, ...).

    Examples
    --------
    >>> r = runoff_table(2023)
    >>> r.winner, r.eliminated
    ('Olivier Faure', ['Hélène Geoffroy'])
    >>> runoff_table(2023, status="provisional").second.tolist()
    [12076.0, 11683.0]
    >>> runoff_table(2022, party="LR").eliminated
    ['Aurélien Pradié']
    """
    if party != "PS":
        from congresslab.runoffs.sources import party_runoff

        if status != "default":
            published["status"] = (status,)
        return party_runoff(party, year, **published)  # type: ignore[arg-type]
    from congresslab.scenarios import national_table

    table = national_table(year, r1_blank_rate=r1_blank_rate, runoff_status=status)
    runoff = table.to_runoff()
    if status != "default":
        runoff = replace(runoff, assumptions=runoff.assumptions + (f"runoff: the {status} "
                                                                   "count",))
    return runoff


# --------------------------------------------------------------------- scenarios
def _check_share(value: float, what: str) -> float:
    v = _number(value, what)
    if v > 1:
        raise RunoffError(f"{what} = {value!r} must be a share in [0, 1]")
    return v


def _scenario(runoff: Runoff, loyalty: float, crossover: float,
              retention: float | Mapping[str, float] | None, newcomers_to_leader: float,
              fixed_splits: Mapping[str, Mapping[str, float]] | None):
    """Validated scenario: per-eliminated retention and fixed split (share to leader)."""
    lo = _check_share(loyalty, "loyalty")
    cr = _check_share(crossover, "crossover")
    if lo + cr > 1 + 1e-12:
        raise RunoffError(f"loyalty + crossover = {lo + cr:g} must be ≤ 1")
    nl = _check_share(newcomers_to_leader, "newcomers_to_leader")
    elim = runoff.eliminated
    default = lo + cr
    if retention is None:
        ret = dict.fromkeys(elim, default)
    elif isinstance(retention, Mapping):
        bad = [k for k in retention if k not in elim]
        if bad:
            raise RunoffError(f"retention: {bad} not eliminated candidates of {runoff.label} "
                              f"(eliminated: {elim})")
        ret = {e: _check_share(retention.get(e, default), f"retention[{e!r}]") for e in elim}
    else:
        ret = dict.fromkeys(elim, _check_share(retention, "retention"))
    fixed: dict[str, float] = {}
    for cand, split in (fixed_splits or {}).items():
        if cand not in elim:
            raise RunoffError(f"fixed_splits: {cand!r} is not an eliminated candidate of "
                              f"{runoff.label} (eliminated: {elim})")
        if not isinstance(split, Mapping) or not split:
            raise RunoffError(f"fixed_splits[{cand!r}] must map finalist → share")
        bad = [f for f in split if f not in runoff.second.index]
        if bad:
            raise RunoffError(f"fixed_splits[{cand!r}]: {bad} not finalists "
                              f"({list(runoff.second.index)})")
        shares = {f: _check_share(v, f"fixed_splits[{cand!r}][{f!r}]") for f, v in split.items()}
        if len(shares) == 2 and abs(sum(shares.values()) - 1) > 1e-9:
            raise RunoffError(f"fixed_splits[{cand!r}]: shares add up to "
                              f"{sum(shares.values()):g}, not 1")
        fixed[cand] = (shares[runoff.leader] if runoff.leader in shares
                       else 1 - shares[runoff.runner_up])
    if elim and all(e in fixed for e in elim):
        raise RunoffError("fixed_splits fixes every eliminated candidate: leave at least one "
                          "free, whose split the runoff totals then imply")
    return lo, cr, ret, nl, fixed


def _bases(runoff: Runoff, loyalty: float = 1.0, crossover: float = 0.0,
           retention: float | Mapping[str, float] | None = None,
           newcomers_to_leader: float = 0.5,
           fixed_splits: Mapping[str, Mapping[str, float]] | None = None) -> dict:
    lo, cr, ret, nl, fixed = _scenario(runoff, loyalty, crossover, retention,
                                       newcomers_to_leader, fixed_splits)
    return {"loyalty": lo, "crossover": cr, "retention": ret, "newcomers_to_leader": nl,
            "fixed": fixed, "free": [e for e in ret if e not in fixed],
            **_arithmetic(runoff, lo, cr, ret, nl, fixed)}


def _ratio(num, den):
    """``num / den`` where ``den > 0``, NaN elsewhere (elementwise for arrays)."""
    if np.ndim(den) == 0:
        return num / den if den > 0 else float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _arithmetic(runoff: Runoff, lo, cr, ret: Mapping, nl, fixed: Mapping[str, float]) -> dict:
    """The scenario arithmetic of :func:`implied_split` and :func:`tipping_point` (votes).

    ``lo``, ``cr``, ``nl`` and the values of ``ret`` are numbers (one scenario) or numpy
    arrays of one shape (many scenarios: :func:`scenario_arrays`). The operations and their
    order are the same either way, so both give the same floats.
    """
    f1, m1 = (float(runoff.first[c]) for c in runoff.second.index)
    x = runoff.first
    returning = (lo + cr) * (f1 + m1) + sum(ret[e] * float(x[e]) for e in ret)
    newcomers = runoff.r2_expressed - returning
    fixed_leader = sum(ret[e] * float(x[e]) * s for e, s in fixed.items())
    fixed_runner = sum(ret[e] * float(x[e]) * (1 - s) for e, s in fixed.items())
    base_leader = lo * f1 + cr * m1 + nl * newcomers + fixed_leader
    base_runner = lo * m1 + cr * f1 + (1 - nl) * newcomers + fixed_runner
    to_leader = float(runoff.second.iloc[0]) - base_leader
    to_runner = float(runoff.second.iloc[1]) - base_runner
    chose = to_leader + to_runner
    return {"newcomers": newcomers, "base_leader": base_leader, "base_runner_up": base_runner,
            "free_voters": sum(ret[e] * float(x[e]) for e in ret if e not in fixed),
            "free_to_leader": to_leader, "free_to_runner_up": to_runner,
            "free_to_leader_pct": _ratio(100 * to_leader, chose),
            "feasible": (newcomers >= -1e-9) & (to_leader >= -1e-9) & (to_runner >= -1e-9),
            # a finalist's tipping point q: own + q·chose = other + (1 − q)·chose
            "leader_needed_pct": _ratio(100 * (base_runner - base_leader + chose), 2 * chose),
            "runner_up_needed_pct": _ratio(100 * (base_leader - base_runner + chose),
                                           2 * chose)}


def implied_split(runoff: Runoff, *, loyalty: float = 1.0, crossover: float = 0.0,
                  retention: float | Mapping[str, float] | None = None,
                  newcomers_to_leader: float = 0.5,
                  fixed_splits: Mapping[str, Mapping[str, float]] | None = None) -> dict:
    """The free eliminated voters' runoff split implied by the totals under one scenario.

    Parameters
    ----------
    runoff
        The vote.
    loyalty, crossover
        Shares of each finalist's round-1 voters voting for the same / the other finalist.
    retention
        Share of each eliminated candidate's voters voting for a finalist: a number, or a
        mapping per eliminated candidate; default ``loyalty + crossover``.
    newcomers_to_leader
        Share of the runoff's newcomers voting for the round-1 leader among the finalists.
    fixed_splits
        Assumed splits of some eliminated candidates (endorsement scenarios):
        ``{eliminated: {finalist: share}}``. At least one eliminated candidate stays free.

    Returns
    -------
    dict
        The scenario, ``newcomers`` (runoff votes not explained by returning round-1
        voters; negative means the turnout drift contradicts the scenario), ``free`` (the
        eliminated candidates whose split is implied), ``free_to_leader`` /
        ``free_to_runner_up`` (votes) and their shares in % of those voting for a finalist,
        and ``feasible``.

    Raises
    ------
    RunoffError
        For shares outside [0, 1], unknown candidate names, or no free candidate left.

    Examples
    --------
    >>> r = Runoff.from_counts({"A": 40, "B": 35, "C": 15, "D": 10}, {"A": 50, "B": 50})
    >>> s = implied_split(r, fixed_splits={"D": {"B": 0.8}})
    >>> s["free"], s["free_to_leader"], s["free_to_runner_up"]
    (['C'], 8.0, 7.0)
    """
    b = _bases(runoff, loyalty, crossover, retention, newcomers_to_leader, fixed_splits)
    share = b["free_to_leader_pct"]
    return {
        "loyalty": b["loyalty"], "crossover": b["crossover"],
        "retention": b["retention"], "newcomers_to_leader": b["newcomers_to_leader"],
        "fixed_splits": b["fixed"], "free": b["free"], "newcomers": b["newcomers"],
        "free_to_leader": b["free_to_leader"], "free_to_runner_up": b["free_to_runner_up"],
        "free_to_leader_pct": share, "free_to_runner_up_pct": 100 - share,
        "feasible": bool(b["feasible"]),
    }


def scenario_table(runoff: Runoff, *, loyalty: Iterable[float] = (0.9, 0.95, 1.0),
                   crossover: Iterable[float] = (0.0, 0.03),
                   newcomers_to_leader: Iterable[float] = (0.4, 0.5, 0.6),
                   retention: Iterable[float | None] = (None,),
                   fixed_splits: Mapping[str, Mapping[str, float]] | None = None
                   ) -> pd.DataFrame:
    """Implied splits over a grid of scenarios, one row per combination.

    Adds ``winner_needed_pct``: the share of the free eliminated finalist votes the winner
    needed to draw level in that scenario (see :func:`tipping_point`). Counts are rounded
    to whole votes and shares to 0.1 point.

    Examples
    --------
    >>> r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 52, "B": 48})
    >>> t = scenario_table(r, loyalty=[1.0], crossover=[0.0], newcomers_to_leader=[0.5])
    >>> t[["free_to_leader_pct", "winner_needed_pct", "feasible"]].values.tolist()
    [[35.0, 25.0, True]]
    """
    rows = []
    for lo, cr, nl, re in product(loyalty, crossover, newcomers_to_leader, retention):
        if lo + cr > 1:
            continue
        s = implied_split(runoff, loyalty=lo, crossover=cr, retention=re,
                          newcomers_to_leader=nl, fixed_splits=fixed_splits)
        s["retention"] = lo + cr if re is None else re
        s["winner_needed_pct"] = tipping_point(
            runoff, candidate=runoff.winner, loyalty=lo, crossover=cr, retention=re,
            newcomers_to_leader=nl, fixed_splits=fixed_splits)
        s.pop("fixed_splits")
        s.pop("free")
        rows.append(s)
    out = pd.DataFrame(rows)
    for col in ("newcomers", "free_to_leader", "free_to_runner_up"):
        out[col] = out[col].round().astype(int)
    for col in ("free_to_leader_pct", "free_to_runner_up_pct", "winner_needed_pct"):
        out[col] = out[col].round(1)
    return out


def tipping_point(runoff: Runoff, *, candidate: str | None = None, loyalty: float = 1.0,
                  crossover: float = 0.0, retention: float | Mapping[str, float] | None = None,
                  newcomers_to_leader: float = 0.5,
                  fixed_splits: Mapping[str, Mapping[str, float]] | None = None) -> float:
    """Share (%) of the free eliminated voters' finalist votes ``candidate`` needed for a tie.

    Everything else in the scenario (including the number of free eliminated voters who
    chose a finalist) is held fixed. Above 100: even all of them would not have sufficed;
    below 0: the candidate won without any of them. For the winner the share actually
    received exceeds this by ``100 × margin / (2 × free finalist votes)`` whatever the
    scenario.

    Parameters
    ----------
    candidate
        A finalist; default the loser.

    Examples
    --------
    >>> r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 52, "B": 48})
    >>> tipping_point(r), tipping_point(r, candidate="A")
    (75.0, 25.0)
    """
    candidate = runoff.loser if candidate is None else candidate
    if candidate not in runoff.second.index:
        raise RunoffError(f"candidate {candidate!r} is not a finalist of {runoff.label} "
                          f"({list(runoff.second.index)})")
    b = _bases(runoff, loyalty, crossover, retention, newcomers_to_leader, fixed_splits)
    return b["leader_needed_pct" if candidate == runoff.leader else "runner_up_needed_pct"]


def scenario_arrays(runoff: Runoff, *, loyalty: ArrayLike, crossover: ArrayLike,
                    newcomers_to_leader: ArrayLike, retention: ArrayLike | None = None
                    ) -> dict[str, np.ndarray]:
    """:func:`implied_split` and :func:`tipping_point` for many scenarios at once.

    The shares are broadcast together, one scenario per element, and go through the same
    arithmetic as one scenario (the same floats), with no per-scenario object. ``retention``
    is one share for all eliminated candidates (default ``loyalty + crossover``); no
    ``fixed_splits``. The first invalid scenario (C order) raises :func:`implied_split`'s error.

    Returns
    -------
    dict of numpy.ndarray
        ``newcomers``, ``free_to_leader``, ``free_to_runner_up``, ``free_to_leader_pct``,
        ``feasible``; ``leader_needed_pct`` / ``runner_up_needed_pct``: :func:`tipping_point`.

    Examples
    --------
    >>> r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 52, "B": 48})
    >>> a = scenario_arrays(r, loyalty=[1.0, 0.9], crossover=0.0, newcomers_to_leader=0.5)
    >>> a["free_to_leader_pct"].round(1).tolist(), a["runner_up_needed_pct"].tolist()
    ([35.0, 36.1], [75.0, 75.0])
    """
    lo, cr, nl, re = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (
        loyalty, crossover, newcomers_to_leader, 0.0 if retention is None else retention)))
    re = lo + cr if retention is None else re
    shares = (lo, cr, nl) if retention is None else (lo, cr, nl, re)
    ok = np.logical_and.reduce([np.isfinite(v) & (v >= 0) & (v <= 1) for v in shares]) & (
        lo + cr <= 1 + 1e-12)
    if not ok.all():  # exactly _scenario's checks: it raises its error for the first failure
        i = np.unravel_index(np.argmin(ok), ok.shape)
        _scenario(runoff, float(lo[i]), float(cr[i]),
                  None if retention is None else float(re[i]), float(nl[i]), None)
    a = _arithmetic(runoff, lo, cr, dict.fromkeys(runoff.eliminated, re), nl, {})
    return {k: np.asarray(a[k]) for k in ("newcomers", "free_to_leader", "free_to_runner_up",
                                          "free_to_leader_pct", "feasible",
                                          "leader_needed_pct", "runner_up_needed_pct")}


def needed_summary(runoff: Runoff, **scenario: object) -> dict:
    """What the winner needed from the eliminated voters, and what the loser would have.

    Parameters
    ----------
    runoff
        The vote.
    **scenario
        Passed to :func:`implied_split` (default: loyal finalists' voters, no crossover,
        the same retention for the eliminated voters, newcomers split evenly).

    Returns
    -------
    dict
        ``winner``, ``loser``, ``margin``, ``eliminated_votes`` (round 1),
        ``free_finalist_votes`` (free eliminated voters who chose a finalist, in this
        scenario), ``winner_got_pct`` (implied), ``winner_needed_pct``,
        ``loser_needed_pct``, ``votes_to_flip`` (the fewest voters who, moving from the
        winner to the loser, reverse the result: ⌊margin / 2⌋ + 1) and
        ``feasible``.

    Examples
    --------
    >>> r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 52, "B": 48})
    >>> d = needed_summary(r)
    >>> d["winner_got_pct"], d["winner_needed_pct"], d["loser_needed_pct"], d["votes_to_flip"]
    (35.0, 25.0, 75.0, 3)
    """
    s = implied_split(runoff, **scenario)  # type: ignore[arg-type]
    got = s["free_to_leader_pct"] if runoff.winner == runoff.leader else s[
        "free_to_runner_up_pct"]
    return {
        "vote": runoff.label, "winner": runoff.winner, "loser": runoff.loser,
        "margin": runoff.margin,
        "eliminated_votes": float(runoff.first[runoff.eliminated].sum()),
        "free_finalist_votes": s["free_to_leader"] + s["free_to_runner_up"],
        "winner_got_pct": got,
        "winner_needed_pct": tipping_point(runoff, candidate=runoff.winner, **scenario),
        "loser_needed_pct": tipping_point(runoff, candidate=runoff.loser, **scenario),
        "votes_to_flip": math.floor(runoff.margin / 2) + 1,
        "feasible": s["feasible"],
    }
