"""How realistic is a SIMULATED congress? Its statistics beside the published 2025 facts.

Examples
--------
>>> from congresslab.sim import simulate_congress
>>> rep = realism_report(simulate_congress(like=2025, seed=0)).set_index("statistic")
>>> rep.loc["total members", ["published", "simulated"]].tolist()
[39815.0, 39815.0]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from congresslab.sim.anchors import published_2025_facts
from congresslab.sim.congress import SimulatedCongress, simulate_congress
from congresslab.sim.defaults import DEFAULT_DISPERSION

__all__ = ["realism_report", "realism_over_seeds"]


def _sim_stats(sim: SimulatedCongress) -> dict[str, float]:
    u = sim.units
    m = pd.Series(sim.attrs["members"])
    opts = sim.attrs["r2_options"]
    stats: dict[str, float] = {
        "federations": float(len(u)),
        "total members": float(m.sum()),
        "federations with <= 100 members": float((m <= 100).sum()),
        "federations with > 1000 members": float((m > 1000).sum()),
        "largest federation (members)": float(m.max()),
        "largest federation is Paris": float(m.idxmax() == "75"),
    }
    r2 = u[["r2_" + o for o in opts]].to_numpy()
    top = r2.max(axis=1)
    winner = np.where((r2 == top[:, None]).sum(axis=1) > 1, -1, r2.argmax(axis=1))
    for j, o in enumerate(opts):
        stats[f"federations won r2 {o}"] = float((winner == j).sum())
    stats["federations tied r2"] = float((winner == -1).sum())
    reg2 = u[[c for c in u.columns if c.startswith("r2_") and c != "r2_leaver"]].sum().sum()
    v2 = u[["r2_" + o for o in opts] + ["r2_blank_null"]].sum().sum()
    stats["r2 turnout %"] = float(100 * v2 / reg2)
    v1 = u[[c for c in sim.origin if c not in ("r1_abstention", "r1_newcomer")]].sum().sum()
    stats["r1 turnout %"] = float(100 * v1 / m.sum())
    return stats


def realism_report(sim: SimulatedCongress) -> pd.DataFrame:
    """Compare a SIMULATED congress with the published 2025 facts.

    Parameters
    ----------
    sim : SimulatedCongress

    Returns
    -------
    pandas.DataFrame
        Columns ``statistic, published, simulated``; ``published`` is NaN where nothing is
        published. Federations-won figures are published for the 2025 runoff (Faure 58,
        Mayer-Rossignol 41 of 99 federations counted by Le Figaro).

    Examples
    --------
    >>> rep = realism_report(simulate_congress(like=2025, seed=0))
    >>> rep.set_index("statistic").loc["total members", ["published", "simulated"]].tolist()
    [39815.0, 39815.0]
    """
    pub = published_2025_facts()
    if sim.attrs.get("like") != 2025 or sim.attrs.get("party", "PS") != "PS":
        pub = {k: np.nan for k in pub}
    stats = _sim_stats(sim)
    rows = [
        {"statistic": k, "published": pub.get(k, np.nan), "simulated": v} for k, v in stats.items()
    ]
    out = pd.DataFrame(rows)
    out["published"] = out["published"].astype(float)
    return out


def realism_over_seeds(
    like: int = 2025,
    seeds: Iterable[int] = range(50),
    dispersion: float = DEFAULT_DISPERSION,
    **kwargs: Any,
) -> pd.DataFrame:
    """Mean and standard deviation of the realism statistics over many seeds.

    Parameters
    ----------
    like : int
        Congress imitated.
    seeds : iterable of int
        Seeds to simulate.
    dispersion : float
        Heterogeneity.
    **kwargs
        Passed to :func:`simulate_congress`.

    Returns
    -------
    pandas.DataFrame
        ``statistic, published, mean, sd, n_seeds``.

    Examples
    --------
    >>> tab = realism_over_seeds(seeds=range(2)).set_index("statistic")
    >>> float(tab.loc["total members", "sd"])
    0.0
    """
    reps = [
        realism_report(simulate_congress(like=like, seed=s, dispersion=dispersion, **kwargs))
        for s in seeds
    ]
    allr = pd.concat(reps)
    g = allr.groupby("statistic", sort=False)["simulated"]
    out = pd.DataFrame(
        {
            "published": allr.groupby("statistic", sort=False)["published"].first(),
            "mean": g.mean(),
            "sd": g.std(ddof=1).fillna(0.0),
            "n_seeds": g.size(),
        }
    ).reset_index()
    return out
