"""SIMULATED two-round PS congresses with a known truth, at federation level.

Per-federation tables of both rounds are not public, so transfer estimators can only be
checked on congresses whose truth is known. :func:`simulate_congress` builds one:

1. **Members.** Every federation of :data:`congresslab.federations.FEDERATIONS` (101
   départements + FFE by default) gets a skewed member count: a stratified draw from a
   piecewise log-linear quantile function anchored on the published 2025 facts (17
   federations with at most 100 members, 10 with more than 1,000, Paris the largest with
   3,181), the published counts pinned (Paris 3,181, Aube 53, Cantal 53, Haut-Rhin 67,
   Deux-Sèvres 91, Nièvre 198, Corrèze 236) and the total equal to the registered members of
   the chosen congress (39,815 in 2025).
2. **Round 1.** Each federation has a political lean (one normal deviate per motion, standard
   deviation ``dispersion``) and a turnout deviate. Counts are drawn (multinomial), then raked
   (iterative proportional fitting) and rounded with a controlled rounding so that the national
   totals equal the official ones **exactly** and every federation keeps its member count.
3. **Between rounds.** Each federation's membership changes by a net amount (``turnover_sd``):
   newcomers form the origin ``r1_newcomer``, leavers (taken from round-1 abstainers) the
   destination ``r2_leaver``. Only the net change is visible in real tables, so only a net
   change is simulated.
4. **Round 2.** Each federation has its own transfer matrix: the national prior matrix
   perturbed on the logit scale by the same lean (a federation leaning to Faure in round 1
   sends more of every origin to Faure in round 2, the lean is correlated between rounds), by
   its turnout deviate, and by independent noise (standard deviation ``dispersion``). Cells are
   drawn (multinomial) and, where the official round-2 counts are known (2023, 2025), raked
   and rounded so that the national round-2 totals are the official ones exactly while every
   truth row still sums to its round-1 count.

The truth cells therefore sum exactly to both rounds' unit counts. Every object carries the
word SIMULATED: a ``SIMULATED`` column, ``simulated=True``, and plot titles.

Assumptions (also in ``SimulatedCongress.attrs["assumptions"]``): 2025 round 1 publishes
only shares and voters, so its blank/null rate is taken equal to round 2's (355 / 25,164);
2023 registered members are not published exactly (Slate's 43,265 is used) nor are round-2
voters (blank/null rate of round 1 assumed); 2018 registered is the approximate electorate
of 102,000, the round-1 blank/null rate is the provisional count's (575 / 37,014), and the
single-candidate round 2 is not pinned to any official count.

Examples
--------
>>> from congresslab.simulate import simulate_congress
>>> sim = simulate_congress(like=2025, seed=1)
>>> sim.units[["r2_faure", "r2_mayer_rossignol"]].sum().tolist()
[12689, 12120]
>>> bool(sim.units["SIMULATED"].all()), sim.simulated
(True, True)
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from congresslab.federations import FEDERATIONS
from congresslab.fedtables import slugify_option

__all__ = [
    "CongressTotals",
    "SimulatedCongress",
    "DEFAULT_DISPERSION",
    "DEFAULT_SIZE_LEAN",
    "congress_totals",
    "simulate_members",
    "simulate_congress",
    "realism_report",
    "realism_over_seeds",
    "plot_simulated",
    "add_simulate_parser",
    "run_simulate",
    "check_simulate_args",
    "MAX_DISPERSION",
    "MAX_N_FEDERATIONS",
]

#: Default heterogeneity, calibrated (with :data:`DEFAULT_SIZE_LEAN`) so that a congress
#: simulated like 2025 gives Faure about 58 federations won and Mayer-Rossignol about 41 in
#: the runoff, as published: over seeds 0-49, 59.7 ± 5.0 and 41.4 ± 5.2 of 102 federations
#: (0.9 ties); see ``reports/simulation_realism.md``.
DEFAULT_DISPERSION: float = 0.6
#: Default size gradient of the winner's lean (see :func:`simulate_congress`), calibrated
#: jointly with :data:`DEFAULT_DISPERSION`.
DEFAULT_SIZE_LEAN: float = 0.12

_PUBLISHED_MEMBERS: dict[int, dict[str, int]] = {
    2025: {"75": 3181, "10": 53, "15": 53, "68": 67, "79": 91, "58": 198, "19": 236},
    2023: {"75": 2332},
}
_HOME = {"faure": "77", "mayer_rossignol": "76", "vallaud": "40", "geoffroy": "69",
         "le_foll": "72", "maurel": "95", "carvounas": "94"}  # fmt: skip
# Federations named by Libération (2025) among the ten with more than 1,000 members.
_LARGE = ["59", "62", "76", "93"]
# Published 2025 size facts used as anchors of the member distribution.
_N_AT_MOST_100 = 17
_N_MORE_THAN_1000 = 10
_SIZE_MIN, _SIZE_MAX_BELOW_LARGEST = 35.0, 2000.0
_REGISTERED_ASSUMED = {2023: 43265, 2018: 102000}


@dataclass(frozen=True)
class CongressTotals:
    """National totals a simulated congress must reproduce.

    Attributes
    ----------
    year : int or None
        The congress imitated (``None`` for user-given totals).
    registered : int
        Members registered for round 1.
    r1 : dict
        Round-1 counts: option slug -> votes, plus ``blank_null`` and ``abstention``.
    r2 : dict or None
        Round-2 counts (options, ``blank_null``, ``voters``) when they are known; then the
        simulated round-2 national totals equal them exactly. ``None``: round 2 unpinned.
    r2_options : list of str
        Round-2 option slugs (the finalists).
    labels : dict
        Option slug -> label used in French tables (candidate surname).
    assumptions : list of str
        What is assumed where the official record is silent.
    """

    year: int | None
    registered: int
    r1: dict[str, int]
    r2: dict[str, int] | None
    r2_options: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)


def _surname(candidate: str) -> str:
    parts = str(candidate).split()
    return " ".join(parts[1:]) if len(parts) > 1 else str(candidate)


def _largest_remainder(weights: Sequence[float], total: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * total
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:rest]] += 1
    return out


def congress_totals(like: int) -> CongressTotals:
    """National totals of a real congress, with the assumptions needed to close them.

    Parameters
    ----------
    like : {2025, 2023, 2018}
        Congress year. Read through :func:`congresslab.load.load_results` and
        :func:`congresslab.load.load_turnout` (official figures).

    Returns
    -------
    CongressTotals

    Examples
    --------
    >>> t = congress_totals(2025)
    >>> list(t.r1.values())
    [10279, 9834, 4240, 348, 15114]
    >>> t.r2
    {'faure': 12689, 'mayer_rossignol': 12120, 'blank_null': 355, 'voters': 25164}
    """
    from congresslab.load import load_results, load_turnout

    if like not in (2018, 2023, 2025):
        raise ValueError(
            f"like={like!r}: only 2018, 2023 and 2025 have enough published totals; "
            "pass totals=CongressTotals(...) for other congresses"
        )
    res = load_results(like, status="official")
    turn = load_turnout(like, status="official").set_index("round")
    r1 = res[res["round"] == 1]
    r2 = res[res["round"] == 2]
    labels = {slugify_option(_surname(c)): _surname(c) for c in res["candidate"]}
    assumptions: list[str] = []

    def val(rnd: int, col: str) -> int | None:
        v = turn.loc[rnd, col] if rnd in turn.index else pd.NA
        return None if pd.isna(v) else int(v)

    r1_slugs = [slugify_option(_surname(c)) for c in r1["candidate"]]
    r2_slugs = [slugify_option(_surname(c)) for c in r2["candidate"]]
    voters1 = val(1, "voters")
    if voters1 is None:
        raise ValueError(f"no official round-1 voter count for {like}")
    registered = val(1, "registered")
    if registered is None:
        registered = _REGISTERED_ASSUMED[like]
        assumptions.append(
            f"registered members not published exactly for {like}: {registered} assumed"
        )
    if like == 2025:
        b2, v2 = val(2, "blank_null"), val(2, "voters")
        blank1 = round(voters1 * b2 / v2)
        assumptions.append(
            f"2025 round-1 blank/null not published: rate of round 2 assumed ({b2}/{v2}), "
            f"giving {blank1} blank/null and {voters1 - blank1} expressed"
        )
    elif like == 2018:
        prov = load_turnout(2018, 1, status="provisional").iloc[0]
        blank1 = round(voters1 * int(prov["blank_null"]) / int(prov["voters"]))
        assumptions.append(
            "2018 round-1 expressed not published: blank/null rate of the provisional count "
            f"assumed ({int(prov['blank_null'])}/{int(prov['voters'])}), giving {blank1}"
        )
    else:
        blank1 = voters1 - int(val(1, "expressed"))
    expressed1 = voters1 - blank1
    if r1["votes"].notna().all():
        votes1 = r1["votes"].astype(int).to_numpy()
        if int(votes1.sum()) != expressed1:
            raise ValueError(f"{like}: round-1 votes do not sum to expressed")
    else:
        votes1 = _largest_remainder(r1["share_pct"].astype(float), expressed1)
        assumptions.append(
            f"{like} round-1 votes derived from the official shares and {expressed1} expressed "
            "(largest remainder)"
        )
    r1_counts = dict(zip(r1_slugs, (int(v) for v in votes1), strict=True))
    r1_counts["blank_null"] = blank1
    r1_counts["abstention"] = registered - voters1
    r2_counts: dict[str, int] | None = None
    if len(r2_slugs) >= 2 and r2["votes"].notna().all():
        r2_counts = dict(zip(r2_slugs, (int(v) for v in r2["votes"]), strict=True))
        expressed2 = sum(r2_counts.values())
        voters2 = val(2, "voters")
        if voters2 is None:
            rate = blank1 / voters1
            voters2 = round(expressed2 / (1 - rate))
            assumptions.append(
                f"{like} round-2 voters not published: round-1 blank/null rate assumed, "
                f"giving {voters2} voters"
            )
        r2_counts["blank_null"] = voters2 - expressed2
        r2_counts["voters"] = voters2
    else:
        assumptions.append(f"{like} round 2 not pinned to official counts (none usable)")
    return CongressTotals(like, registered, r1_counts, r2_counts, r2_slugs, labels, assumptions)


# ----------------------------------------------------------------------------- members
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
    scale = 1.0
    full = len(codes) >= 90
    if full:
        n_small = max(0, _N_AT_MOST_100 - sum(v <= 100 for v in pinned.values()))
        n_big = max(0, _N_MORE_THAN_1000 - sum(v > 1000 for v in pinned.values()))
    else:  # synthetic units: same shape, proportions of the 2025 facts
        n_small = round(m * _N_AT_MOST_100 / 102)
        n_big = max(1, round(m * _N_MORE_THAN_1000 / 102))
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
    ints[mid] += _largest_remainder(ints[mid], abs(diff)) * int(np.sign(diff))
    out = np.array([pinned[c] if c in pinned else 0 for c in codes], dtype=np.int64)
    free_idx = [codes.index(c) for c in free]
    out[free_idx] = ints
    return out


# ----------------------------------------------------------------------------- raking
def _ipf(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    x = seed.astype(float).copy()
    for _ in range(5000):
        rs = x.sum(axis=1)
        x *= np.divide(rows, rs, out=np.zeros_like(rs), where=rs > 0)[:, None]
        cs = x.sum(axis=0)
        x *= np.divide(cols, cs, out=np.zeros_like(cs), where=cs > 0)[None, :]
        if np.abs(x.sum(axis=1) - rows).max() < tol * max(1.0, rows.max()):
            break
    return x


def _controlled_round(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Round a non-negative matrix to integers with exact integer row and column sums."""
    fl = np.floor(x + 1e-9)
    fl = np.minimum(fl, np.floor(x) + 1)
    fl[fl < 0] = 0
    fl = fl.astype(np.int64)
    r_def = rows - fl.sum(axis=1)
    c_def = cols - fl.sum(axis=0)
    if (r_def < 0).any() or (c_def < 0).any():
        # floor overshoot from inexact raking: fall back on a coarser floor
        fl = np.floor(x * (1 - 1e-7)).astype(np.int64)
        r_def = rows - fl.sum(axis=1)
        c_def = cols - fl.sum(axis=0)
    if r_def.sum() == 0:
        return fl
    from scipy import optimize, sparse  # here: `congresslab --help` need not import scipy

    nr, nc = x.shape
    frac = x - fl
    upper = (x > 0).astype(float).ravel()
    idx = np.arange(nr * nc)
    a_rows = sparse.csr_matrix((np.ones(nr * nc), (idx // nc, idx)), shape=(nr, nr * nc))
    a_cols = sparse.csr_matrix((np.ones(nr * nc), (idx % nc, idx)), shape=(nc, nr * nc))
    res = optimize.linprog(
        -frac.ravel(),
        A_eq=sparse.vstack([a_rows, a_cols]).tocsr(),
        b_eq=np.concatenate([r_def, c_def]).astype(float),
        bounds=np.column_stack([np.zeros(nr * nc), upper]),
        method="highs-ds",
    )
    if not res.success:
        raise RuntimeError(f"controlled rounding failed: {res.message}")
    return fl + np.round(res.x).astype(np.int64).reshape(nr, nc)


def _rake_round(counts: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    seed = counts + 1e-3 * (counts.sum(axis=0, keepdims=True) > 0)
    seed = np.where(rows[:, None] > 0, seed, 0.0)
    x = _ipf(seed, rows.astype(float), cols.astype(float))
    return _controlled_round(x, rows.astype(np.int64), cols.astype(np.int64))


# ----------------------------------------------------------------------------- result
@dataclass
class SimulatedCongress:
    """A SIMULATED congress: unit table, per-federation truth and the true transfer matrix.

    Attributes
    ----------
    units : pandas.DataFrame
        One row per federation: ``federation`` (code), round-1 columns ``r1_<option>``,
        ``r1_blank_null``, ``r1_abstention`` (and ``r1_newcomer``), round-2 columns likewise
        (and ``r2_leaver``), and ``SIMULATED`` (always True). Each unit's ``r1_*`` and
        ``r2_*`` columns have the same sum.
    truth : pandas.DataFrame
        Long table ``federation, origin, destination, count`` (origins and destinations are
        the column names of ``units``).
    true_transfer : pandas.DataFrame
        National origin × destination shares (rows sum to 1).
    attrs : dict
        ``simulated`` (True), ``like``, ``seed``, ``dispersion``, ``assumptions``,
        ``labels`` (slug -> label), ``origin``, ``destination``, ``members``.
    simulated : bool
        Always True.
    """

    units: pd.DataFrame
    truth: pd.DataFrame
    true_transfer: pd.DataFrame
    attrs: dict[str, Any]
    simulated: bool = True

    @property
    def origin(self) -> list[str]:
        """Origin column names (``r1_*``)."""
        return list(self.attrs["origin"])

    @property
    def destination(self) -> list[str]:
        """Destination column names (``r2_*``)."""
        return list(self.attrs["destination"])

    def truth_matrix(self, federation: str | None = None) -> pd.DataFrame:
        """Counts origin × destination, national or for one federation.

        Examples
        --------
        >>> sim = simulate_congress(like=2025, seed=0)
        >>> int(sim.truth_matrix().to_numpy().sum()) == int(sim.units[sim.origin].sum().sum())
        True
        """
        t = self.truth if federation is None else self.truth[self.truth.federation == federation]
        m = t.pivot_table(index="origin", columns="destination", values="count", aggfunc="sum")
        return m.reindex(index=self.origin, columns=self.destination).fillna(0).astype(np.int64)

    def to_csv(self, units_path: str | Path, truth_path: str | Path | None = None) -> None:
        """Write the unit table (and optionally the truth) as CSV.

        Files are written under the names given. The word SIMULATED is the header of the
        first column of both files (value ``True`` on every row), so that no copy of the
        file can be mistaken for real federation results. Same seed -> identical bytes.

        Parameters
        ----------
        units_path : str or Path
            Destination of the unit table.
        truth_path : str or Path, optional
            Destination of the long truth table.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> sim = simulate_congress(like=2025, seed=0)
        >>> with tempfile.TemporaryDirectory() as d:
        ...     sim.to_csv(pathlib.Path(d) / "units.csv")
        ...     print(open(pathlib.Path(d) / "units.csv").readline()[:30])
        SIMULATED,federation,r1_faure,
        """
        cols = ["SIMULATED"] + [c for c in self.units.columns if c != "SIMULATED"]
        self.units[cols].to_csv(units_path, index=False, lineterminator="\n")
        if truth_path is not None:
            t = self.truth.copy()
            t.insert(0, "SIMULATED", True)
            t.to_csv(truth_path, index=False, lineterminator="\n")

    def to_federation_tables(self) -> dict[int, pd.DataFrame]:
        """The two rounds in the layout federations publish (French headers, names).

        Returns
        -------
        dict
            Round (1, 2) -> DataFrame with columns ``Fédération, Inscrits, Votants,
            Blancs et nuls, Exprimés`` and one column per option (candidate surname).

        Examples
        --------
        >>> sim = simulate_congress(like=2025, seed=0)
        >>> list(sim.to_federation_tables()[2].columns)[4:]
        ['Exprimés', 'Faure', 'Mayer-Rossignol']
        """
        names = dict(zip(FEDERATIONS["code"], FEDERATIONS["name"], strict=True))
        out = {}
        u = self.units
        for rnd in (1, 2):
            p = f"r{rnd}_"
            opts = self.attrs[f"r{rnd}_options"]
            expressed = u[[p + o for o in opts]].sum(axis=1)
            voters = expressed + u[p + "blank_null"]
            registered = voters + u[p + "abstention"]
            t = pd.DataFrame(
                {
                    "Fédération": [names.get(c, c) for c in u["federation"]],
                    "Inscrits": registered,
                    "Votants": voters,
                    "Blancs et nuls": u[p + "blank_null"],
                    "Exprimés": expressed,
                }
            )
            for o in opts:
                t[self.attrs["labels"].get(o, o)] = u[p + o]
            out[rnd] = t.reset_index(drop=True)
        return out


# ----------------------------------------------------------------------------- simulation
def _prior_transfer(
    r1_opts: list[str], r2_opts: list[str], newcomers: bool, like: int | None
) -> pd.DataFrame:
    dests = r2_opts + ["blank_null", "abstention"]
    origins = r1_opts + ["blank_null", "abstention"] + (["newcomer"] if newcomers else [])
    m = pd.DataFrame(0.0, index=origins, columns=dests)
    k = len(r2_opts)
    for o in origins:
        if o in r2_opts:
            m.loc[o, r2_opts] = 0.02 / max(k - 1, 1) if k > 1 else 0.0
            m.loc[o, o] = 0.93
            m.loc[o, ["blank_null", "abstention"]] = [0.005, 0.045]
        elif o in r1_opts and k == 1:
            m.loc[o, r2_opts] = 0.45
            m.loc[o, ["blank_null", "abstention"]] = [0.25, 0.30]
        elif o in r1_opts:
            m.loc[o, r2_opts] = 0.86 / k
            m.loc[o, ["blank_null", "abstention"]] = [0.04, 0.10]
        elif o == "blank_null":
            m.loc[o, r2_opts] = 0.4 / k
            m.loc[o, ["blank_null", "abstention"]] = [0.3, 0.3]
        elif o == "abstention":
            m.loc[o, r2_opts] = 0.16 / k if k > 1 else 0.05
            m.loc[o, ["blank_null", "abstention"]] = [0.005, 0.835]
        else:
            m.loc[o, r2_opts] = 0.6 / k
            m.loc[o, ["blank_null", "abstention"]] = [0.01, 0.39]
    if like == 2025:
        m.loc["vallaud", ["faure", "mayer_rossignol"]] = [0.47, 0.39]
    if like == 2023:
        m.loc["geoffroy", ["faure", "mayer_rossignol"]] = [0.30, 0.56]
    m = m.div(m.sum(axis=1), axis=0)
    return m


def _normalise_transfer(transfer: pd.DataFrame, prior: pd.DataFrame) -> pd.DataFrame:
    t = transfer.copy()
    t.index = [str(i).removeprefix("r1_") for i in t.index]
    t.columns = [str(c).removeprefix("r2_") for c in t.columns]
    missing_o = sorted(set(prior.index) - set(t.index))
    missing_d = sorted(set(prior.columns) - set(t.columns))
    if missing_o or missing_d:
        raise ValueError(
            f"transfer matrix lacks origin(s) {missing_o} / destination(s) {missing_d}; "
            f"expected origins {list(prior.index)} and destinations {list(prior.columns)}"
        )
    t = t.loc[prior.index, prior.columns].astype(float)
    if (t < 0).to_numpy().any() or (t.sum(axis=1) <= 0).any():
        raise ValueError("transfer matrix must be non-negative with positive row sums")
    return t.div(t.sum(axis=1), axis=0)


def simulate_congress(
    like: int | None = 2025,
    seed: int = 0,
    n_federations: int | None = None,
    dispersion: float = DEFAULT_DISPERSION,
    transfer: pd.DataFrame | None = None,
    *,
    totals: CongressTotals | None = None,
    turnout_sd: float = 0.35,
    turnover_sd: float = 0.02,
    lean_transfer: float = 1.0,
    size_lean: float = DEFAULT_SIZE_LEAN,
    home_lean: float = 0.8,
) -> SimulatedCongress:
    """Simulate a two-round congress at federation level with a known truth (SIMULATED).

    Parameters
    ----------
    like : {2025, 2023, 2018} or None
        Congress whose official national totals are reproduced exactly (round 1 always;
        round 2 when its official counts are known: 2023, 2025). ``None`` requires
        ``totals``.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives identical output.
    n_federations : int, optional
        ``None``: the canonical federations (101 départements + FFE). An integer gives that
        many synthetic units ``S001``, ``S002``... with the same skewed size distribution
        and the same national totals (used for power studies).
    dispersion : float
        Federation heterogeneity: standard deviation (log/logit scale) of each federation's
        political lean and of the federation-specific noise of its transfer matrix. 0 gives
        near-homogeneous federations. The default is calibrated on the 2025 runoff map.
    transfer : pandas.DataFrame, optional
        National prior transfer matrix, origins (round-1 options, ``blank_null``,
        ``abstention``, ``newcomer``) × destinations (round-2 options, ``blank_null``,
        ``abstention``), with or without ``r1_``/``r2_`` prefixes; rows are normalised. The
        realised matrix (``true_transfer``) differs slightly because national round-2 totals
        are imposed.
    totals : CongressTotals, optional
        User-given national totals (overrides ``like``).
    turnout_sd : float
        Standard deviation of federation turnout on the logit scale.
    turnover_sd : float
        Standard deviation of the net relative change of membership between rounds; 0
        removes the ``r1_newcomer`` and ``r2_leaver`` columns.
    lean_transfer : float
        How strongly the round-1 lean carries over to round-2 choices (correlation of the
        lean between rounds).
    size_lean : float
        Lean towards the first round-2 option (the winner: Faure in 2018, 2023, 2025) per
        standard deviation of *smaller* log membership. Faure won 58 of 99 federations in
        2025 with 51.15 % of the votes, so smaller federations leaned to him; with
        ``size_lean=0`` that map needs an unrealistically small ``dispersion``.
    home_lean : float
        Extra lean of each candidate's home federation (Faure: Seine-et-Marne,
        Mayer-Rossignol: Seine-Maritime, Vallaud: Landes, Geoffroy: Rhône, Le Foll: Sarthe,
        Maurel: Val-d'Oise, Carvounas: Val-de-Marne); canonical federations only.

    Returns
    -------
    SimulatedCongress

    Examples
    --------
    >>> sim = simulate_congress(like=2023, seed=3)
    >>> sim.units[["r1_faure", "r1_mayer_rossignol", "r1_geoffroy"]].sum().tolist()
    [11277, 7001, 4666]
    >>> sim.units[["r2_faure", "r2_mayer_rossignol"]].sum().tolist()
    [12020, 11507]
    >>> bool(sim.true_transfer.loc["r1_geoffroy", "r2_mayer_rossignol"] > 0.3)
    True
    """
    if totals is None:
        if like is None:
            raise ValueError("give like= (2018, 2023, 2025) or totals=")
        totals = congress_totals(like)
    if not all(math.isfinite(v) and v >= 0 for v in (dispersion, turnout_sd, turnover_sd)):
        raise ValueError("dispersion, turnout_sd and turnover_sd must be finite and non-negative")
    rng = np.random.default_rng(seed)
    year = totals.year
    # units and members
    if n_federations is None:
        feds = FEDERATIONS[FEDERATIONS["kind"] != "collectivity"]
        codes = feds["code"].tolist()
        pinned = _PUBLISHED_MEMBERS.get(year or 0, {})
        large = _LARGE
    else:
        if n_federations < 2:
            raise ValueError("n_federations must be at least 2")
        codes = [f"S{i:03d}" for i in range(1, n_federations + 1)]
        pinned, large = {}, []
    members = simulate_members(codes, totals.registered, rng, pinned, large)
    n = len(codes)

    # round 1
    r1_opts = [k for k in totals.r1 if k not in ("blank_null", "abstention")]
    r2_opts = list(totals.r2_options)
    cats1 = r1_opts + ["blank_null", "abstention"]
    targ1 = np.array([totals.r1[c] for c in cats1], dtype=np.int64)
    voters1 = targ1[:-1].sum()
    nat_share = targ1[: len(r1_opts)] / targ1[: len(r1_opts)].sum()
    lean = rng.normal(0.0, dispersion, size=(n, len(r1_opts)))
    if r2_opts and r2_opts[0] in r1_opts and size_lean:
        logm = np.log(members)
        z = (logm - logm.mean()) / (logm.std() or 1.0)
        lean[:, r1_opts.index(r2_opts[0])] -= size_lean * z
    if n_federations is None and home_lean:
        for j, o in enumerate(r1_opts):
            if _HOME.get(o) in codes:
                lean[codes.index(_HOME[o]), j] += home_lean
    lean -= lean.mean(axis=1, keepdims=True)
    tdev = rng.normal(0.0, turnout_sd, size=n)
    turnout = 1 / (1 + np.exp(-(np.log(voters1 / (totals.registered - voters1)) + tdev)))
    brate = targ1[-2] / voters1 * np.exp(rng.normal(0, 0.3, size=n))
    sh = nat_share[None, :] * np.exp(lean)
    sh /= sh.sum(axis=1, keepdims=True)
    p1 = np.column_stack(
        [turnout[:, None] * (1 - brate[:, None]) * sh, turnout * brate, 1 - turnout]
    )
    p1 = np.clip(p1, 1e-12, None)
    p1 /= p1.sum(axis=1, keepdims=True)
    draw1 = np.array([rng.multinomial(members[i], p1[i]) for i in range(n)])
    x1 = _rake_round(draw1, members, targ1)

    # turnover between rounds (net)
    newcomer = np.zeros(n, dtype=np.int64)
    leaver = np.zeros(n, dtype=np.int64)
    if turnover_sd > 0:
        delta = np.round(members * rng.normal(0.0, turnover_sd, size=n)).astype(np.int64)
        newcomer = np.maximum(delta, 0)
        leaver = np.minimum(np.maximum(-delta, 0), x1[:, -1])

    # round 2
    prior = _prior_transfer(r1_opts, r2_opts, turnover_sd > 0, year)
    if transfer is not None:
        prior = _normalise_transfer(transfer, prior)
    origins = list(prior.index)
    dests = list(prior.columns)
    n_o, n_d = len(origins), len(dests)
    counts_o = np.column_stack([x1, newcomer]) if turnover_sd > 0 else x1.copy()
    counts_o[:, cats1.index("abstention")] -= leaver
    # federation-specific transfer logits: prior + lean (correlated with round 1) + noise
    logp = np.log(np.clip(prior.to_numpy(), 1e-9, None))[None, :, :].repeat(n, axis=0)
    for j, d in enumerate(dests):
        if d in r1_opts:
            logp[:, :, j] += lean_transfer * lean[:, r1_opts.index(d)][:, None]
        if d == "abstention":
            logp[:, :, j] -= tdev[:, None]
    logp += rng.normal(0.0, dispersion, size=logp.shape)
    p2 = np.exp(logp - logp.max(axis=2, keepdims=True))
    p2 /= p2.sum(axis=2, keepdims=True)
    flat_counts = counts_o.reshape(-1)
    flat_p = p2.reshape(-1, n_d)
    draw2 = np.array([rng.multinomial(c, p) for c, p in zip(flat_counts, flat_p, strict=True)])
    if totals.r2 is not None:
        reg2 = int(members.sum() + newcomer.sum() - leaver.sum())
        targ2 = [totals.r2[d] for d in r2_opts] + [totals.r2["blank_null"]]
        targ2.append(reg2 - totals.r2["voters"])
        x2 = _rake_round(draw2, flat_counts, np.array(targ2, dtype=np.int64))
    else:
        x2 = draw2
    cube = x2.reshape(n, n_o, n_d)

    # assemble outputs
    o_cols = ["r1_" + o for o in origins]
    d_cols = ["r2_" + d for d in dests] + (["r2_leaver"] if turnover_sd > 0 else [])
    full = np.zeros((n, n_o, len(d_cols)), dtype=np.int64)
    full[:, :, :n_d] = cube
    if turnover_sd > 0:
        full[:, origins.index("abstention"), -1] = leaver
    units = pd.DataFrame({"federation": codes})
    units[o_cols] = full.sum(axis=2)
    units[d_cols] = full.sum(axis=1)
    units["SIMULATED"] = True
    fi, oi, di = np.meshgrid(np.arange(n), np.arange(n_o), np.arange(len(d_cols)), indexing="ij")
    truth = pd.DataFrame(
        {
            "federation": np.array(codes, dtype=object)[fi.ravel()],
            "origin": np.array(o_cols, dtype=object)[oi.ravel()],
            "destination": np.array(d_cols, dtype=object)[di.ravel()],
            "count": full.ravel(),
        }
    )
    nat = full.sum(axis=0).astype(float)
    true_transfer = pd.DataFrame(
        np.divide(nat, nat.sum(axis=1, keepdims=True), out=np.zeros_like(nat),
                  where=nat.sum(axis=1, keepdims=True) > 0),
        index=pd.Index(o_cols, name="origin"),
        columns=pd.Index(d_cols, name="destination"),
    )  # fmt: skip
    attrs = {
        "simulated": True,
        "like": year,
        "seed": seed,
        "dispersion": dispersion,
        "turnout_sd": turnout_sd,
        "turnover_sd": turnover_sd,
        "n_federations": n,
        "r1_options": r1_opts,
        "r2_options": r2_opts,
        "origin": o_cols,
        "destination": d_cols,
        "labels": dict(totals.labels),
        "assumptions": list(totals.assumptions),
        "r2_pinned": totals.r2 is not None,
        "members": dict(zip(codes, members.tolist(), strict=True)),
    }
    return SimulatedCongress(units, truth, true_transfer, attrs)


# ----------------------------------------------------------------------------- realism
def _published_facts() -> dict[str, float]:
    from congresslab.load import load_federation_summaries

    s = load_federation_summaries(2025)
    facts: dict[str, float] = {}
    for _, row in s.iterrows():
        key = row["statistic"] + (f" {row['option']}" if isinstance(row["option"], str) else "")
        facts[key] = float(row["value"])
    return facts


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
    facts = _published_facts()
    pub = {
        "total members": 39815.0,
        "federations with <= 100 members": facts.get("federations_with_at_most_100_members"),
        "federations with > 1000 members": facts.get("federations_with_more_than_1000_members"),
        "largest federation (members)": 3181.0,
        "largest federation is Paris": 1.0,
        "federations won r2 faure": facts.get("federations_won Olivier Faure"),
        "federations won r2 mayer_rossignol": facts.get("federations_won Nicolas Mayer-Rossignol"),
        "r2 turnout %": facts.get("turnout_pct"),
        "r1 turnout %": round(100 * 24701 / 39815, 2),
    }
    if sim.attrs.get("like") != 2025:
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
    ax.set_title(f"SIMULATED congress like {sim.attrs['like']} (seed {sim.attrs['seed']})")
    return ax


# ----------------------------------------------------------------------------- CLI
#: Largest ``--dispersion`` accepted. It is a standard deviation on the log-odds scale: at
#: 10 a one-sigma lean already multiplies a motion's odds by e^10 (about 22,000), so every
#: federation votes almost unanimously; from about 300 on, ``exp`` overflows and the
#: simulation fails. The calibrated default is 0.6.
MAX_DISPERSION: float = 10.0
#: Largest ``--n-federations`` accepted: the controlled rounding of the round-2 table grows
#: quickly with the number of units (2,000 units take about 15 s, 5,000 more than 2 min),
#: and national totals of a few tens of thousands of members leave only a handful per unit.
MAX_N_FEDERATIONS: int = 2000


def _check_output(option: str, path: str) -> None:
    """Refuse an output path that is a directory or whose directory does not exist.

    Raises
    ------
    ValueError
        Naming the option and the path.

    Examples
    --------
    >>> _check_output("--out", ".")
    Traceback (most recent call last):
    ...
    ValueError: --out .: is a directory
    """
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{option} {path}: is a directory")
    parent = target.parent
    if not parent.is_dir():
        raise ValueError(f"{option} {path}: directory {parent} does not exist")


def check_simulate_args(args: argparse.Namespace) -> None:
    """Validate the options of ``congresslab simulate`` before anything is computed.

    Raises
    ------
    ValueError
        Naming the option: ``--dispersion`` not finite or outside ``[0, MAX_DISPERSION]``,
        ``--seed`` negative, ``--n-federations`` outside ``[2, MAX_N_FEDERATIONS]``, an
        output path that is a directory or in a missing directory, or ``--truth`` naming the
        same file as ``--out`` (it would overwrite the unit table).

    Examples
    --------
    >>> ns = argparse.Namespace(dispersion=float("nan"), seed=0, n_federations=None,
    ...                         out="u.csv", truth=None)
    >>> check_simulate_args(ns)
    Traceback (most recent call last):
    ...
    ValueError: --dispersion must be a finite number between 0 and 10 (default 0.6), got nan
    """
    d = args.dispersion
    if not (math.isfinite(d) and 0 <= d <= MAX_DISPERSION):
        raise ValueError(
            f"--dispersion must be a finite number between 0 and {MAX_DISPERSION:g} "
            f"(default {DEFAULT_DISPERSION:g}), got {d:g}"
        )
    if args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {args.seed}")
    n = args.n_federations
    if n is not None and not 2 <= n <= MAX_N_FEDERATIONS:
        raise ValueError(f"--n-federations must be between 2 and {MAX_N_FEDERATIONS}, got {n}")
    _check_output("--out", args.out)
    if args.truth is not None:
        _check_output("--truth", args.truth)
        if Path(args.out).resolve() == Path(args.truth).resolve():  # symlinks too
            raise ValueError(
                f"--truth {args.truth} is the same file as --out {args.out}: the truth table "
                "would overwrite the unit table; give two different files"
            )


def add_simulate_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``simulate`` sub-command to an :mod:`argparse` sub-parser collection.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(prog="congresslab")
    >>> sp = add_simulate_parser(p.add_subparsers(dest="command"))
    >>> p.parse_args(["simulate", "--out", "u.csv"]).like
    2025
    """
    p = subparsers.add_parser(
        "simulate",
        help="write a SIMULATED congress (unit table and truth) with known transfers",
        description="Simulate a two-round PS congress at federation level whose national "
        "totals equal a real congress. Output files carry a SIMULATED first column.",
    )
    p.add_argument(
        "--like",
        type=int,
        default=2025,
        choices=[2018, 2023, 2025],
        help="congress whose official national totals are reproduced (default 2025)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same files)")
    p.add_argument("--out", required=True, help="unit table CSV to write")
    p.add_argument("--truth", default=None, help="long truth table CSV to write")
    p.add_argument(
        "--dispersion",
        type=float,
        default=DEFAULT_DISPERSION,
        help=f"federation heterogeneity (default {DEFAULT_DISPERSION}, calibrated on 2025)",
    )
    p.add_argument(
        "--n-federations",
        type=int,
        default=None,
        help="synthetic units instead of the 102 real federations",
    )
    p.set_defaults(func=run_simulate)
    return p


def run_simulate(args: argparse.Namespace | Sequence[str]) -> int:
    """Run the ``simulate`` sub-command (parsed namespace or argv list).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = str(pathlib.Path(d) / "units.csv")
    ...     run_simulate(["--like", "2025", "--seed", "1", "--out", out])
    SIMULATED congress like 2025 (seed 1): 102 federations written to units.csv
    0
    """
    if not isinstance(args, argparse.Namespace):
        parser = argparse.ArgumentParser(prog="congresslab")
        add_simulate_parser(parser.add_subparsers(dest="command"))
        args = parser.parse_args(["simulate", *args])
    check_simulate_args(args)
    sim = simulate_congress(
        like=args.like, seed=args.seed, dispersion=args.dispersion,
        n_federations=args.n_federations,
    )  # fmt: skip
    sim.to_csv(args.out, args.truth)
    msg = f"SIMULATED congress like {args.like} (seed {args.seed}): {len(sim.units)} federations"
    msg += f" written to {Path(args.out).name}"
    if args.truth:
        msg += f", truth to {Path(args.truth).name}"
    print(msg)
    return 0
