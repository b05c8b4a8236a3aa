"""Figures of transfer estimates (matplotlib; functions return the Figure, never show it).

* :func:`plot_heatmap` — shares as a heat map, each cell annotated with its interval;
* :func:`plot_sankey` — flow diagram, bands proportional to transferred votes;
* :func:`plot_tomography` — 2 × 2 tomography: in every unit the line of ``(β1, β2)`` pairs
  consistent with its counts (``β1``, ``β2``: shares of origins 1 and 2 going to
  destination 1).

Every function takes ``title_prefix`` prepended to the title; results fitted on SIMULATED
data (:attr:`TransferResults.simulated`) get the prefix ``SIMULATED`` whatever is passed. The
data drawn are available from the helpers (:func:`sankey_geometry`,
:func:`tomography_segments`) so they can be tested without images.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from congresslab.transfers import UnitTable, Bounds
>>> tab = UnitTable.from_arrays([[60, 40], [20, 80], [50, 50]], [[70, 30], [40, 60], [55, 45]])
>>> fig = plot_heatmap(Bounds(tab).fit(), title_prefix="SIMULATED")
>>> fig.axes[0].get_title().startswith("SIMULATED")
True
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path

from congresslab.transfers.results import TransferResults
from congresslab.transfers.units import UnitTable

__all__ = [
    "plot_heatmap",
    "plot_sankey",
    "plot_tomography",
    "sankey_geometry",
    "tomography_segments",
]


def _title(prefix: str | None, title: str, simulated: bool = False) -> str:
    if simulated and "SIMULATED" not in f"{prefix} {title}":
        prefix = f"SIMULATED {prefix}" if prefix else "SIMULATED"
    return f"{prefix} {title}" if prefix else title


def _spread(centers: np.ndarray, min_gap: float) -> np.ndarray:
    """Label positions near ``centers`` (listed top to bottom) at least ``min_gap`` apart.

    Examples
    --------
    >>> _spread(np.array([0.9, 0.89, 0.2]), 0.05).round(3).tolist()
    [0.92, 0.87, 0.2]
    """
    y = np.asarray(centers, float).copy()
    for _ in range(len(y)):  # push apart overlapping neighbours, around their mean
        moved = False
        for k in range(len(y) - 1):
            if y[k] - y[k + 1] < min_gap - 1e-12:
                mid = (y[k] + y[k + 1]) / 2
                y[k], y[k + 1] = mid + min_gap / 2, mid - min_gap / 2
                moved = True
        if not moved:
            break
    return y


def _new_axes(ax: Any, figsize: tuple[float, float]) -> tuple[Figure, Any]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def plot_heatmap(
    res: TransferResults,
    *,
    ax: Any = None,
    title: str | None = None,
    title_prefix: str | None = None,
    alpha: float | None = None,
    cmap: str = "Blues",
) -> Figure:
    """Heat map of the shares (%), cells annotated with estimate and interval.

    Parameters
    ----------
    res : TransferResults
    ax : matplotlib Axes, optional
        Draw there; default: a new Figure.
    title, title_prefix : str, optional
        Title (default names the method) and a prefix such as ``"SIMULATED"``.
    alpha : float, optional
        Interval level passed to :meth:`TransferResults.conf_int`.
    """
    R, C = res.params.shape
    fig, ax = _new_axes(ax, (1.6 + 1.5 * C, 1.2 + 0.8 * R))
    ci = res.conf_int(alpha)
    lo = ci["lower"].to_numpy().reshape(R, C)
    hi = ci["upper"].to_numpy().reshape(R, C)
    im = ax.imshow(100 * res.params, cmap=cmap, vmin=0, vmax=100, aspect="auto")
    for i in range(R):
        for j in range(C):
            v = res.params[i, j]
            txt = f"{100 * v:.1f}"
            if np.isfinite(lo[i, j]) and np.isfinite(hi[i, j]):
                txt += f"\n[{100 * lo[i, j]:.1f}, {100 * hi[i, j]:.1f}]"
            ax.text(
                j,
                i,
                txt,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if v > 0.6 else "black",
            )
    ax.set_xticks(range(C), res.destination, rotation=30, ha="right")
    ax.set_yticks(range(R), res.origin)
    ax.set_xlabel("destination")
    ax.set_ylabel("origin")
    fig.colorbar(im, ax=ax, label="share of origin (%)")
    ax.set_title(
        _title(title_prefix, title or f"Transfer shares (%) — {res.method}", res.simulated)
    )
    return fig


def sankey_geometry(counts: np.ndarray, gap: float = 0.02) -> dict[str, np.ndarray]:
    """Vertical extents of the Sankey blocks and bands, in units of the total.

    Returns
    -------
    dict
        ``left`` (R, 2) and ``right`` (C, 2) block extents ``[bottom, top]``;
        ``band_left`` and ``band_right`` (R, C, 2) extents of each band at both ends. Band
        heights equal ``counts / counts.sum()``.

    Examples
    --------
    >>> g = sankey_geometry(np.array([[30., 10.], [0., 60.]]), gap=0.0)
    >>> g["left"].tolist(), g["right"].tolist()
    ([[0.6, 1.0], [0.0, 0.6]], [[0.7, 1.0], [0.0, 0.7]])
    """
    counts = np.clip(np.asarray(counts, float), 0, None)
    tot = counts.sum()
    f = counts / tot
    R, C = f.shape

    def stack(sizes: np.ndarray) -> np.ndarray:
        # first item on top
        n = len(sizes)
        span = 1.0 + gap * (n - 1)
        tops = span - np.concatenate([[0.0], np.cumsum(sizes[:-1] + gap)])
        return np.column_stack([tops - sizes, tops]) / span

    left = stack(f.sum(1))
    right = stack(f.sum(0))
    span_l = 1.0 + gap * (R - 1)
    span_r = 1.0 + gap * (C - 1)
    # each origin's block is cut into its destinations from the top, and each destination's
    # block into its origins: band = [top - heights so far incl. this one, top - before it]
    h_l = f / span_l
    below_l = left[:, 1][:, None] - np.cumsum(h_l, axis=1)
    band_left = np.stack([below_l, below_l + h_l], axis=-1)
    h_r = f / span_r
    below_r = right[:, 1][None, :] - np.cumsum(h_r, axis=0)
    band_right = np.stack([below_r, below_r + h_r], axis=-1)
    return {"left": left, "right": right, "band_left": band_left, "band_right": band_right}


def plot_sankey(
    res: TransferResults,
    *,
    ax: Any = None,
    title: str | None = None,
    title_prefix: str | None = None,
    min_share: float = 0.002,
) -> Figure:
    """Flow diagram: origins left, destinations right, bands proportional to votes.

    Bands thinner than ``min_share`` of the total are not drawn. Negative estimated flows
    (unconstrained Goodman) cannot be drawn: they are left out, block sizes and labels then
    give the drawn (non-negative) flows, and a warning says how many votes were left out.
    """
    counts = res.counts.to_numpy()
    neg = counts < 0
    if neg.any():
        warnings.warn(
            f"plot_sankey: {int(neg.sum())} negative estimated flows ({-counts[neg].sum():,.0f}"
            " votes) are not drawn; block sizes and labels give the non-negative flows only",
            stacklevel=2,
        )
        counts = np.clip(counts, 0, None)
    R, C = counts.shape
    g = sankey_geometry(counts)
    fig, ax = _new_axes(ax, (8, 5))
    colors = [f"C{i % 10}" for i in range(R)]
    w = 0.06
    x0, x1 = 0.0, 1.0
    tot = counts.sum()
    gap = 0.075  # two lines of 8-pt text on a 5-inch-high axis, in data units
    ys = _spread(g["left"].mean(1), gap)
    for i in range(R):
        b, t = g["left"][i]
        ax.add_patch(Rectangle((x0 - w, b), w, t - b, color=colors[i]))
        ax.text(
            x0 - w - 0.01,
            ys[i],
            f"{res.origin[i]}\n{counts[i].sum():,.0f}",
            ha="right",
            va="center",
            fontsize=8,
        )
    ys = _spread(g["right"].mean(1), gap)
    for j in range(C):
        b, t = g["right"][j]
        ax.add_patch(Rectangle((x1, b), w, t - b, color="0.5"))
        ax.text(
            x1 + w + 0.01,
            ys[j],
            f"{res.destination[j]}\n{counts[:, j].sum():,.0f}",
            ha="left",
            va="center",
            fontsize=8,
        )
    xm = (x0 + x1) / 2
    for i in range(R):
        for j in range(C):
            if counts[i, j] / tot < min_share:
                continue
            lb, lt = g["band_left"][i, j]
            rb, rt = g["band_right"][i, j]
            verts = [
                (x0, lt),
                (xm, lt),
                (xm, rt),
                (x1, rt),
                (x1, rb),
                (xm, rb),
                (xm, lb),
                (x0, lb),
                (x0, lt),
            ]
            codes = [
                Path.MOVETO,
                Path.CURVE4,
                Path.CURVE4,
                Path.CURVE4,
                Path.LINETO,
                Path.CURVE4,
                Path.CURVE4,
                Path.CURVE4,
                Path.CLOSEPOLY,
            ]
            ax.add_patch(PathPatch(Path(verts, codes), facecolor=colors[i], alpha=0.45, lw=0))
    ax.set_xlim(-0.35, 1.35)
    ax.set_ylim(-0.02, 1.02)
    ax.axis("off")
    ax.set_title(_title(title_prefix, title or f"Vote transfers — {res.method}", res.simulated))
    return fig


def tomography_segments(table: UnitTable) -> np.ndarray:
    """Segments ``[(β1_a, β2_a), (β1_b, β2_b)]`` per unit of a 2 × 2 table, shape (U, 2, 2).

    In unit ``u``, ``T_u1 = X_u1 β1 + X_u2 β2``: the feasible ``(β1, β2)`` lie on that line
    within the unit square. Units with a zero origin count give a horizontal or vertical
    segment.

    Examples
    --------
    >>> tab = UnitTable.from_arrays([[50, 50]], [[60, 40]])
    >>> tomography_segments(tab).round(2).tolist()
    [[[0.2, 1.0], [1.0, 0.2]]]
    """
    if table.shape != (2, 2):
        raise ValueError(f"tomography needs a 2 x 2 table, got {table.shape}")
    x1, x2 = table.X[:, 0], table.X[:, 1]
    t = table.T[:, 0]
    segs = np.empty((table.n_units, 2, 2))
    for u in range(table.n_units):
        if x1[u] == 0:
            b2 = t[u] / x2[u]
            segs[u] = [[0.0, b2], [1.0, b2]]
        elif x2[u] == 0:
            b1 = t[u] / x1[u]
            segs[u] = [[b1, 0.0], [b1, 1.0]]
        else:
            # β1 range where β2 = (t - x1 β1)/x2 in [0, 1]
            lo = max(0.0, (t[u] - x2[u]) / x1[u])
            hi = min(1.0, t[u] / x1[u])
            segs[u] = [
                [lo, (t[u] - x1[u] * lo) / x2[u]],
                [hi, (t[u] - x1[u] * hi) / x2[u]],
            ]
    return np.clip(segs, 0.0, 1.0)


def plot_tomography(
    data: TransferResults | UnitTable,
    *,
    ax: Any = None,
    title: str | None = None,
    title_prefix: str | None = None,
    max_lines: int = 2000,
    seed: int = 0,
) -> Figure:
    """Tomography plot of a 2 × 2 problem; the estimate is marked when ``data`` is a result.

    At most ``max_lines`` units (a seeded random subset) are drawn.
    """
    res = data if isinstance(data, TransferResults) else None
    table = res.table if res is not None else data
    segs = tomography_segments(table)
    if len(segs) > max_lines:
        keep = np.random.default_rng(seed).choice(len(segs), max_lines, replace=False)
        segs = segs[np.sort(keep)]
    fig, ax = _new_axes(ax, (5.5, 5.5))
    ax.add_collection(LineCollection(segs, colors="0.3", linewidths=0.5, alpha=0.3))
    if res is not None:
        b1, b2 = res.params[0, 0], res.params[1, 0]
        ax.plot([b1], [b2], "o", color="C3", label=f"{res.method} estimate")
        ci = res.conf_int()
        lo = ci["lower"].to_numpy().reshape(2, 2)
        hi = ci["upper"].to_numpy().reshape(2, 2)
        if np.isfinite(lo[[0, 1], 0]).all():
            ax.add_patch(
                Rectangle(
                    (lo[0, 0], lo[1, 0]),
                    hi[0, 0] - lo[0, 0],
                    hi[1, 0] - lo[1, 0],
                    fill=False,
                    ec="C3",
                    lw=1,
                )
            )
        ax.legend(loc="upper right", fontsize=8)
    o, d = table.origin, table.destination
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(f"β1: share of {o[0]} → {d[0]}")
    ax.set_ylabel(f"β2: share of {o[1]} → {d[0]}")
    ax.set_title(_title(title_prefix, title or "Tomography plot", table.simulated))
    return fig
