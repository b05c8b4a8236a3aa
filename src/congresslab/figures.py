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
from congresslab.data.load import load_results, load_turnout

try:  # POSIX: lock the figure index while it is rewritten
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock
    fcntl = None

__all__ = ["save_figure", "plot_congress", "plot_participation", "plot_scenarios", "COLORS"]

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
    _record(folder / "index.csv", {"figure": path.name, "title": title, "made_by": made_by,
                                   "data": "; ".join(data)})
    return path


def _record(index: Path, row: dict[str, str]) -> None:
    """Replace ``row["figure"]``'s line of ``index``, under a lock and by an atomic rename:
    notebooks run in parallel (``make test``) must not lose each other's lines."""
    with open(index.with_name(".index.lock"), "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        rows = []
        if index.exists():
            with open(index, encoding="utf-8", newline="") as handle:
                rows = [r for r in csv.DictReader(handle) if r["figure"] != row["figure"]]
        rows.append(row)

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, ["figure", "title", "made_by", "data"],
                                        lineterminator="\n")
                writer.writeheader()
                writer.writerows(sorted(rows, key=lambda r: r["figure"]))

        paths.write_replacing(index, write)


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
        base_unknown = sub["note"].fillna("").str.contains("base of the share").any()
        axis.set_ylabel("% (base not stated)" if base_unknown else "% of expressed votes")
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


def plot_scenarios(year: int, *, loyalty: Sequence[float] | None = None,
                   newcomers_to_leader: Sequence[float] = (0.3, 0.5, 0.7),
                   ax: plt.Axes | None = None) -> plt.Figure:
    """Implied split of the third-placed motion against the finalists' loyalty.

    One line per assumption on the runoff's newcomers; the dashed line is the tipping point
    (the runner-up needed more than this share). Scenarios, not estimates.

    Examples
    --------
    >>> fig = plot_scenarios(2025)
    >>> fig.axes[0].get_title()
    'Nancy 2025: Boris Vallaud voters → Olivier Faure, implied by national totals'
    """
    import numpy as np

    from congresslab.scenarios import implied_split, national_table, tipping_point

    table = national_table(year)
    grid = np.linspace(0.85, 1.0, 31) if loyalty is None else np.asarray(loyalty)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 4))
    else:
        fig = ax.figure
    styles = [(0, (1, 1.5)), (0, (6, 2)), "-", (0, (6, 2, 1, 2))]  # told apart without colour
    for k, share in enumerate(newcomers_to_leader):
        y = [implied_split(table, loyalty=lo, newcomers_to_leader=share)["third_to_leader_pct"]
             for lo in grid]
        ax.plot(100 * grid, y, label=f"newcomers {100 * share:.0f} % for {table.leader}",
                color=COLORS.get(table.leader, "black"), linestyle=styles[k % len(styles)],
                linewidth=1.8)
    tip = [100 - tipping_point(table, loyalty=lo) for lo in grid]
    ax.plot(100 * grid, tip, "k--",
            label=f"tipping point (newcomers 50/50): below it {table.runner_up} wins")
    ax.set_xlabel("loyalty of both finalists' round-1 voters (%)")
    ax.set_ylabel(f"{table.third} voters → {table.leader} (%)")
    ax.set_ylim(0, 100)
    city = load_results(year, round=1)["congress_city"].iloc[0]
    ax.set_title(f"{city} {year}: {table.third} voters → {table.leader}, implied by national "
                 "totals", fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    ax.annotate("scenarios under stated assumptions, not estimates", (0.99, 0.98),
                xycoords="axes fraction", ha="right", va="top", fontsize=7)
    fig.tight_layout()
    return fig


def plot_participation(ax: plt.Axes | None = None, since: int = 2018) -> plt.Figure:
    """Voters per congress and round (official where published, else provisional).

    Registered members are drawn as an outline where published; missing figures are said
    so on the chart rather than left blank.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    since : int
        First congress year shown (the PS members' votes of 2018 onwards by default; the
        history since 1971 is in notebook 09).

    Examples
    --------
    >>> fig = plot_participation()
    >>> len([p for p in fig.axes[0].patches if p.get_height() > 0]) >= 5
    True
    """
    turnout = load_turnout()
    turnout = turnout[turnout["congress_year"] >= since]
    turnout = turnout.sort_values("status", key=lambda s: s.eq("official")).drop_duplicates(
        ["congress_year", "round"], keep="last").sort_values(["congress_year", "round"])
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 3.8))
    else:
        fig = ax.figure
    labels = []
    for i, row in enumerate(turnout.itertuples()):
        labels.append(f"{row.congress_year}\nround {row.round}")
        if pd.notna(row.registered):
            ax.bar(i, row.registered, 0.7, fill=False, edgecolor="grey", linestyle=":")
        if pd.notna(row.voters):
            ax.bar(i, row.voters, 0.7, color="#555555" if row.status == "official" else "#bbbbbb")
            text = f"{int(row.voters):,}".replace(",", "\u202f")
            if pd.notna(row.participation_pct):
                text += f"\n{row.participation_pct:.1f} %"
            ax.text(i, row.voters + 500, text, ha="center", va="bottom", fontsize=7)
        else:
            ax.text(i, 1000, "voters\nnot\npublished", ha="center", fontsize=7)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_ylabel("members")
    ax.set_title("Voters in each round (official; light grey = provisional only); "
                 "dotted = registered", fontsize=9)
    fig.tight_layout()
    return fig
