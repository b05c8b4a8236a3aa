"""Several runoffs side by side: what each winner needed, and what arithmetic allows.

:func:`compare_runoffs` gives one row per vote: the margin, the eliminated candidates'
round-1 votes, the share of them the winner needed (and the loser would have needed) in a
reference scenario, the range of those shares over a grid of scenarios, and the bounds of
the eliminated voters → winner cell with no assumption and with loyal finalists' voters.

Examples
--------
>>> from congresslab.runoffs import Runoff
>>> r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 52, "B": 48}, label="toy",
...                        registered=120)
>>> row = compare_runoffs([r], loyalty=1.0).iloc[0]
>>> row["winner"], float(row["winner_needed_pct"]), float(row["loser_needed_pct"])
('A', 25.0, 75.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from congresslab.runoffs import (
    Runoff,
    constrained_bounds,
    duncan_davis_bounds,
    needed_summary,
    scenario_table,
)

__all__ = ["compare_runoffs"]


def _cell(frame: pd.DataFrame, origin: str, destination: str) -> tuple[float, float]:
    row = frame[(frame["origin"] == origin) & (frame["destination"] == destination)]
    return float(row["lower"].iloc[0]), float(row["upper"].iloc[0])


def compare_runoffs(runoffs: Iterable[Runoff], *, loyalty: float = 0.95,
                    newcomers_to_leader: float = 0.5,
                    grid_loyalty: Sequence[float] = (0.9, 0.95, 1.0),
                    grid_crossover: Sequence[float] = (0.0, 0.03),
                    grid_newcomers: Sequence[float] = (0.3, 0.5, 0.7),
                    min_loyalty: float = 0.9, max_crossover: float = 0.05) -> pd.DataFrame:
    """One row per runoff: needed shares, their range over scenarios, and bounds.

    Parameters
    ----------
    runoffs
        The votes (their ``registered`` is needed for the bounds; without it the bound
        columns are NaN).
    loyalty, newcomers_to_leader
        The reference scenario (no crossover; eliminated voters as loyal as the
        finalists').
    grid_loyalty, grid_crossover, grid_newcomers
        The grid of :func:`~congresslab.runoffs.scenario_table`; only feasible scenarios
        count in the ranges.
    min_loyalty, max_crossover
        Assumptions of the constrained bounds.

    Returns
    -------
    pandas.DataFrame
        ``vote``, ``winner``, ``loser``, ``margin``, ``eliminated_votes``,
        ``winner_got_pct``, ``winner_needed_pct``, ``loser_needed_pct`` (reference
        scenario), ``needed_min`` / ``needed_max`` (winner, feasible grid scenarios),
        ``feasible_scenarios``, ``dd_lower`` / ``dd_upper`` (eliminated → winner, no
        assumption) and ``loyal_lower`` / ``loyal_upper`` (with the loyalty assumptions),
        all in %.
    """
    rows = []
    for r in runoffs:
        d = needed_summary(r, loyalty=loyalty, newcomers_to_leader=newcomers_to_leader)
        grid = scenario_table(r, loyalty=grid_loyalty, crossover=grid_crossover,
                              newcomers_to_leader=grid_newcomers)
        ok = grid[grid["feasible"]]
        origin = "eliminated (all)" if len(r.eliminated) > 1 else r.eliminated[0]
        if r.registered is not None:
            dd = _cell(duncan_davis_bounds(r), origin, r.winner)
            lp = constrained_bounds(r, min_loyalty=min_loyalty, max_crossover=max_crossover)
            loyal = _cell(lp, origin, r.winner)
        else:
            dd = loyal = (float("nan"), float("nan"))
        rows.append({
            "vote": r.label, "winner": r.winner, "loser": r.loser, "margin": round(r.margin),
            "eliminated_votes": round(d["eliminated_votes"]),
            "winner_got_pct": round(d["winner_got_pct"], 1),
            "winner_needed_pct": round(d["winner_needed_pct"], 1),
            "loser_needed_pct": round(d["loser_needed_pct"], 1),
            "reference_feasible": d["feasible"],
            "needed_min": float(ok["winner_needed_pct"].min()) if len(ok) else float("nan"),
            "needed_max": float(ok["winner_needed_pct"].max()) if len(ok) else float("nan"),
            "feasible_scenarios": f"{len(ok)}/{len(grid)}",
            "dd_lower": dd[0], "dd_upper": dd[1],
            "loyal_lower": loyal[0], "loyal_upper": loyal[1],
        })
    return pd.DataFrame(rows)
