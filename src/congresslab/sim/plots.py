"""Plots of SIMULATED congresses (titles always start with SIMULATED)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from congresslab.sim.congress import SimulatedCongress

__all__ = ["plot_simulated"]


def plot_simulated(sim: SimulatedCongress, ax: Any = None) -> Any:
    """Plot round-2 margin of the first finalist against federation size (SIMULATED).

    Parameters
    ----------
    sim : SimulatedCongress
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Its title starts with ``SIMULATED``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from congresslab.sim import simulate_congress
    >>> ax = plot_simulated(simulate_congress(seed=0))
    >>> ax.get_title().startswith("SIMULATED")
    True
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    a, b = sim.attrs["r2_options"][:2] if len(sim.attrs["r2_options"]) > 1 else (None, None)
    u = sim.units
    size = pd.Series(sim.attrs["members"]).reindex(u["federation"]).to_numpy()
    if a is None:
        y = u["r2_" + sim.attrs["r2_options"][0]] / size
        ax.set_ylabel("round-2 votes / members")
    else:
        y = 100 * u["r2_" + a] / (u["r2_" + a] + u["r2_" + b]).clip(lower=1)
        ax.axhline(50, color="grey", lw=0.8)
        ax.set_ylabel(f"round-2 share {sim.attrs['labels'].get(a, a)} (% of expressed)")
    ax.scatter(size, y, s=12)
    ax.set_xscale("log")
    ax.set_xlabel("members (log scale)")
    like = f"{sim.attrs.get('party', 'PS')} {sim.attrs['like']}"
    ax.set_title(f"SIMULATED congress like {like} (seed {sim.attrs['seed']})")
    return ax
