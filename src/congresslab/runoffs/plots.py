"""Figures of national arithmetic: what a finalist needed, and ranges that stay ranges.

* :func:`plot_needed` — per vote (or per version of a vote), the share of the eliminated
  voters the winner received in a scenario beside the share they needed;
* :func:`plot_ranges` — intervals (bounds, or the spread of conflicting published figures)
  drawn as intervals, with an optional point inside each;
* :func:`plot_year_ranges` — the same along a time axis (one interval per year).

Both draw scenarios or published figures, never estimates; titles say so.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"vote": ["a", "b"], "got": [60.0, 70.0], "needed": [55.0, 69.0]})
>>> fig = plot_needed(t, label="vote", got="got", needed="needed", title="toy")
>>> len(fig.axes[0].get_yticklabels())
2
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["plot_needed", "plot_ranges", "plot_year_ranges"]


def plot_needed(table: pd.DataFrame, *, label: str, got: str, needed: str, title: str,
                xlabel: str = "% of the eliminated voters who chose a finalist",
                ax: plt.Axes | None = None) -> plt.Figure:
    """Received (dot) and needed (bar) share of the eliminated voters, one row per line.

    Parameters
    ----------
    table
        One row per vote or version; ``label``, ``got`` and ``needed`` name its columns.
    title
        Figure title (say what is assumed).
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 0.5 * len(table) + 1.4))
    else:
        fig = ax.figure
    y = np.arange(len(table))[::-1]
    ax.barh(y, table[needed], color="#dddddd", edgecolor="black", height=0.5,
            label="needed for a tie")
    ax.plot(table[got], y, "o", color="black", label="received (scenario)")
    ax.set_yticks(y, table[label].astype(str))
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def plot_ranges(table: pd.DataFrame, *, label: str, lower: str, upper: str, title: str,
                point: str | Sequence[str] | None = None, point_label: str | None = None,
                xlabel: str = "%", xlim: tuple[float, float] = (0, 100),
                ax: plt.Axes | None = None) -> plt.Figure:
    """Horizontal intervals ``[lower, upper]`` per row, with optional point markers.

    ``point`` names one column or several (all drawn with the same marker, labelled once
    as ``point_label``, default the column name); NaN points are not drawn.

    A row whose two ends coincide is drawn as a short tick, so that a single published
    figure and a range of conflicting ones are told apart.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["x"], "lo": [0.0], "hi": [100.0], "p": [60.0]})
    >>> fig = plot_ranges(t, label="unit", lower="lo", upper="hi", point="p", title="t")
    >>> [float(x) for x in fig.axes[0].get_xlim()]
    [0.0, 100.0]
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 0.4 * len(table) + 1.4))
    else:
        fig = ax.figure
    y = np.arange(len(table))[::-1]
    ax.hlines(y, table[lower], table[upper], color="black", linewidth=3,
              label="range (bounds or conflicting figures)")
    ax.plot(table[lower], y, "|", color="black", markersize=10)
    ax.plot(table[upper], y, "|", color="black", markersize=10)
    columns = [point] if isinstance(point, str) else list(point or [])
    for k, col in enumerate(columns):
        ax.plot(table[col], y, "o", color="#e4007c",
                label=(point_label or col) if k == 0 else None)
    ax.set_yticks(y, table[label].astype(str))
    ax.set_xlim(*xlim)
    ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2,
              frameon=False)
    fig.tight_layout()
    return fig


def plot_year_ranges(table: pd.DataFrame, *, year: str, lower: str, upper: str,
                     point: str | None = None, label: str | None = None,
                     ax: plt.Axes | None = None, color: str = "black",
                     offset: float = 0.0) -> plt.Figure:
    """Vertical intervals ``[lower, upper]`` per year, with an optional point (the default
    version); a year where the figures agree shows as a horizontal dash. Rows with NaN ends
    are skipped: a missing figure stays missing.

    Examples
    --------
    >>> t = pd.DataFrame({"y": [1971, 1973], "lo": [33.0, 65.2], "hi": [34.0, 65.2]})
    >>> fig = plot_year_ranges(t, year="y", lower="lo", upper="hi", label="leading motion")
    >>> len(fig.axes[0].collections), len(fig.axes[0].lines)
    (1, 1)
    """
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.2))
    else:
        fig = ax.figure
    known = table[table[lower].notna() & table[upper].notna()]
    x = known[year].astype(float) + offset
    lo, hi = known[lower].astype(float), known[upper].astype(float)
    ax.vlines(x, lo, hi, color=color, linewidth=3)
    ends = pd.concat([pd.DataFrame({"x": x, "y": lo}), pd.DataFrame({"x": x, "y": hi})])
    ax.plot(ends["x"], ends["y"], "_", color=color, markersize=9, markeredgewidth=2.5,
            linestyle="none", label=label)
    if point is not None:
        pts = known[known[point].notna()]
        ranged = (pts[upper] - pts[lower]) > 1e-9
        ax.plot(pts[year][ranged].astype(float) + offset, pts[point][ranged], "o",
                color="white", markeredgecolor=color, markersize=4)
    ax.set_xlabel("year")
    if label:
        ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    return fig
