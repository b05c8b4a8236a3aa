"""Figures of the published results, and a traceable way to save any figure.

:func:`save_figure` writes a PNG under ``reports/figures/`` with the code and data that
made it recorded in the PNG metadata and in ``reports/figures/index.csv``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from congresslab import __version__, paths
from congresslab.load import load_results, load_turnout

__all__ = ["save_figure", "plot_congress", "COLORS"]

#: One colour per candidate/first signatory, used by every figure.
COLORS = {
    "Olivier Faure": "#e4007c",
    "Nicolas Mayer-Rossignol": "#1f77b4",
    "Boris Vallaud": "#2ca02c",
    "Hélène Geoffroy": "#ff7f0e",
    "Stéphane Le Foll": "#9467bd",
    "Emmanuel Maurel": "#d62728",
    "Luc Carvounas": "#8c564b",
}


def save_figure(fig: plt.Figure, name: str, *, made_by: str, data: Sequence[str],
                folder: Path | None = None) -> Path:
    """Save a figure as PNG with its provenance.

    Parameters
    ----------
    fig
        The matplotlib figure.
    name
        File stem, e.g. ``"2025-results"`` (``.png`` is added).
    made_by
        The code that made it, e.g. ``"notebooks/01-data-tour.ipynb"`` or a function name.
    data
        The data files it shows, relative to the project root.
    folder
        Default ``reports/figures/``.

    Returns
    -------
    pathlib.Path
        The PNG written. Its metadata (``Source``, ``Description``) and a row of
        ``index.csv`` beside it record ``made_by`` and ``data``.
    """
    folder = paths.FIGURES if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    title = fig.axes[0].get_title() if fig.axes else ""
    fig.savefig(path, dpi=110, bbox_inches="tight", metadata={
        "Title": title or name, "Software": f"congresslab {__version__}",
        "Source": made_by, "Description": "data: " + "; ".join(data)})
    index = folder / "index.csv"
    rows = []
    if index.exists():
        with open(index, encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r["figure"] != path.name]
    rows.append({"figure": path.name, "title": title, "made_by": made_by,
                 "data": "; ".join(data)})
    with open(index, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["figure", "title", "made_by", "data"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["figure"]))
    return path


def plot_congress(year: int, *, ax: Sequence[plt.Axes] | None = None) -> plt.Figure:
    """Bar charts of both rounds of one congress, provisional beside official.

    Each bar is labelled with its published share (and count where known); derived counts
    are marked with ``*``.

    Examples
    --------
    >>> fig = plot_congress(2023)
    >>> [a.get_title() for a in fig.axes]
    ['Marseille 2023 — round 1 (motions)', 'Marseille 2023 — round 2 (runoff)']
    """
    results = load_results(year, status=None)
    rounds = sorted(results["round"].unique())
    if ax is None:
        fig, axes = plt.subplots(1, len(rounds), figsize=(5.2 * len(rounds), 3.6),
                                 squeeze=False)
        axes = list(axes[0])
    else:
        axes = list(ax)
        fig = axes[0].figure
    city = results["congress_city"].iloc[0]
    for axis, rnd in zip(axes, rounds, strict=True):
        sub = results[results["round"] == rnd]
        candidates = list(dict.fromkeys(
            sub.sort_values("share_pct", ascending=False)["candidate"]))
        statuses = [s for s in ("provisional", "official") if s in set(sub["status"])]
        width = 0.8 / len(statuses)
        for k, status in enumerate(statuses):
            part = sub[sub["status"] == status].set_index("candidate")
            for i, cand in enumerate(candidates):
                if cand not in part.index:
                    continue
                row = part.loc[cand]
                x = i + (k - (len(statuses) - 1) / 2) * width
                axis.bar(x, row["share_pct"], width * 0.95,
                         color=COLORS.get(cand, "grey"),
                         alpha=0.45 if status == "provisional" else 1.0,
                         hatch="//" if status == "provisional" else None,
                         edgecolor="black", linewidth=0.4)
                label = f"{row['share_pct']:.2f}".rstrip("0").rstrip(".") + " %"
                if pd.notna(row["votes"]):
                    star = "*" if row["votes_method"] == "derived" else ""
                    label += f"\n{int(row['votes']):,}{star}".replace(",", "\u202f")
                axis.text(x, row["share_pct"] + 1, label, ha="center", va="bottom",
                          fontsize=7)
        axis.set_xticks(range(len(candidates)))
        axis.set_xticklabels([c.replace(" ", "\n", 1) for c in candidates], fontsize=8)
        axis.set_ylim(0, 105)
        axis.set_ylabel("% of expressed votes")
        kind = "motions" if rnd == 1 else "runoff"
        axis.set_title(f"{city} {year} — round {rnd} ({kind})")
        turnout = load_turnout(year, round=rnd, status="official")
        if len(turnout) and pd.notna(turnout["voters"].iloc[0]):
            axis.annotate(f"{int(turnout['voters'].iloc[0]):,} voters (official)".replace(
                ",", "\u202f"), (0.99, 0.97), xycoords="axes fraction", ha="right",
                va="top", fontsize=7)
        if len(statuses) == 2:
            axis.annotate("hatched = provisional, solid = official", (0.01, 0.97),
                          xycoords="axes fraction", va="top", fontsize=7)
    fig.tight_layout()
    return fig
