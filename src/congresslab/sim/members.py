"""Skewed federation sizes with pinned published counts and an exact total.

Sizes follow a piecewise log-linear quantile function anchored on the published 2025 facts
(:mod:`congresslab.sim.anchors`): so many federations with at most 100 members, so many
with more than 1,000, none below 35 and none but the largest above 2,000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from congresslab.rounding import apportion
from congresslab.sim.anchors import size_facts as published_size_facts

__all__ = ["simulate_members"]

_SIZE_MIN, _SIZE_MAX_BELOW_LARGEST = 35.0, 2000.0


def _size_quantile(u: np.ndarray, m: int, n_small: int, n_big: int, gamma: float) -> np.ndarray:
    """Piecewise log-linear quantile function of federation sizes."""
    a, b = n_small / m, (m - n_big) / m
    lo, hi = np.log(_SIZE_MIN), np.log(_SIZE_MAX_BELOW_LARGEST)
    out = np.empty_like(u)
    s = u < a
    out[s] = lo + (np.log(100) - lo) * (u[s] / a)
    mid = (u >= a) & (u < b)
    v = (u[mid] - a) / (b - a)
    out[mid] = np.log(101) + np.log(1000 / 101) * v**gamma
    t = u >= b
    out[t] = np.log(1000) + (hi - np.log(1000)) * ((u[t] - b) / (1 - b))
    return np.exp(out)


def simulate_members(
    codes: Sequence[str],
    total: int,
    rng: np.random.Generator,
    pinned: Mapping[str, int] | None = None,
    large: Sequence[str] = (),
    size_facts: tuple[int, int] | None = None,
) -> np.ndarray:
    """Draw skewed member counts for federations, with pinned values and an exact total.

    Parameters
    ----------
    codes : sequence of str
        Federation codes (or any unit names).
    total : int
        Exact total of members.
    rng : numpy.random.Generator
        Random source.
    pinned : mapping, optional
        Code -> published member count, kept as is.
    large : sequence of str
        Codes known to be among the largest: they receive the largest draws.
    size_facts : (int, int), optional
        Numbers of federations with at most 100 and with more than 1,000 members that the
        distribution reproduces; default: the published 2025 figures
        (:func:`congresslab.sim.anchors.size_facts`).

    Returns
    -------
    numpy.ndarray
        Integer member counts aligned with ``codes``.

    Examples
    --------
    >>> import numpy as np
    >>> n = simulate_members([f"u{i}" for i in range(50)], 20000, np.random.default_rng(0))
    >>> int(n.sum()), bool(n.min() > 0)
    (20000, True)
    """
    codes = list(codes)
    pinned = {k: int(v) for k, v in (pinned or {}).items() if k in codes}
    free = [c for c in codes if c not in pinned]
    m = len(free)
    if m == 0:
        raise ValueError("no federation left to draw")
    remaining = total - sum(pinned.values())
    if remaining < m:
        raise ValueError(f"total {total} too small for {len(codes)} federations")
    n_at_most_100, n_more_than_1000 = size_facts or published_size_facts()
    scale = 1.0
    full = len(codes) >= 90
    if full:
        n_small = max(0, n_at_most_100 - sum(v <= 100 for v in pinned.values()))
        n_big = max(0, n_more_than_1000 - sum(v > 1000 for v in pinned.values()))
    else:  # synthetic units: same shape, proportions of the 2025 facts
        n_small = round(m * n_at_most_100 / 102)
        n_big = max(1, round(m * n_more_than_1000 / 102))
    centres = (np.arange(m) + 0.5) / m

    def mean_total(g: float) -> float:
        return float(_size_quantile(centres, m, n_small, n_big, g).sum())

    lo_g, hi_g = 0.05, 20.0
    if not full or not (mean_total(hi_g) <= remaining <= mean_total(lo_g)):
        scale = remaining / mean_total(1.0)
        gamma = 1.0
    else:
        for _ in range(60):
            g = np.sqrt(lo_g * hi_g)
            if mean_total(g) > remaining:
                lo_g = g
            else:
                hi_g = g
        gamma = float(np.sqrt(lo_g * hi_g))
    u = (np.arange(m) + rng.uniform(size=m)) / m
    draws = np.sort(_size_quantile(u, m, n_small, n_big, gamma) * scale)
    order = [c for c in free if c in large]
    others = [c for c in free if c not in large]
    others = [others[i] for i in rng.permutation(len(others))]
    # largest draws to the known large federations, the rest at random
    assign = others + order
    sizes = dict(zip(assign, draws, strict=True))
    vals = np.array([sizes[c] for c in free])
    # exact total: adjust the middle-sized federations (100 < n <= 1000) proportionally
    ints = np.maximum(1, np.round(vals)).astype(np.int64)
    diff = remaining - int(ints.sum())
    mid = np.flatnonzero((ints > 110) & (ints < 990)) if full else np.arange(m)
    if mid.size == 0:
        mid = np.arange(m)
    ints[mid] += apportion(ints[mid], abs(diff)) * int(np.sign(diff))
    out = np.array([pinned[c] if c in pinned else 0 for c in codes], dtype=np.int64)
    free_idx = [codes.index(c) for c in free]
    out[free_idx] = ints
    return out
