"""SIMULATED two-round PS congresses with a known truth, at federation level.

Per-federation tables of both rounds are not public, so transfer estimators can only be
checked on congresses whose truth is known. :func:`simulate_congress` builds one:

1. **Members.** Every federation of :data:`congresslab.data.federations.FEDERATIONS` (101
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
>>> from congresslab.sim import simulate_congress
>>> sim = simulate_congress(like=2025, seed=1)
>>> sim.units[["r2_faure", "r2_mayer_rossignol"]].sum().tolist()
[12689, 12120]
>>> bool(sim.units["SIMULATED"].all()), sim.simulated
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from congresslab.data.federations import FEDERATIONS
from congresslab.rounding import rake_round
from congresslab.sim.anchors import home_federations, large_federations, published_members
from congresslab.sim.defaults import DEFAULT_DISPERSION, DEFAULT_SIZE_LEAN
from congresslab.sim.members import simulate_members
from congresslab.sim.totals import CongressTotals, congress_totals

__all__ = ["SimulatedCongress", "simulate_congress"]



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

        Raises
        ------
        ValueError
            For a path under ``data/raw/`` (never written to), or the same file twice.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> sim = simulate_congress(like=2025, seed=0)
        >>> with tempfile.TemporaryDirectory() as d:
        ...     sim.to_csv(pathlib.Path(d) / "units.csv")
        ...     print(open(pathlib.Path(d) / "units.csv").readline()[:30])
        SIMULATED,federation,r1_faure,
        """
        from congresslab.paths import check_output

        check_output("units_path", units_path)
        if truth_path is not None:
            check_output("truth_path", truth_path, inputs=[units_path])
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


def _prior_transfer(
    r1_opts: list[str], r2_opts: list[str], newcomers: bool, like: int | None,
    party: str = "PS",
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
    if party == "PS" and like == 2025:
        m.loc["vallaud", ["faure", "mayer_rossignol"]] = [0.47, 0.39]
    if party == "PS" and like == 2023:
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
    party: str = "PS",
) -> SimulatedCongress:
    """Simulate a two-round congress at federation level with a known truth (SIMULATED).

    Parameters
    ----------
    like : int or None
        Congress whose official national totals are reproduced exactly (round 1 always;
        round 2 when its official counts are known): 2025, 2023 or 2018 for the PS, or
        another party's two-round vote with ``party=`` (LR 2022). ``None`` requires
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
        Extra lean of each candidate's home federation, a modelling assumption read from
        ``data/assumptions/home_federations.csv``; canonical federations only.
    party : str
        Party of the vote imitated (``"PS"`` by default; ``"LR"`` for ``like=2022``). For
        another party nothing is pinned to PS facts (published member counts, largest
        federations, home federations), and ``attrs["party"]`` says which party it imitates.

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
    >>> lr = simulate_congress(like=2022, party="LR", seed=1)
    >>> lr.units[["r2_ciotti", "r2_retailleau"]].sum().tolist(), lr.attrs["party"]
    ([33609, 28977], 'LR')
    """
    if totals is None:
        if like is None:
            raise ValueError("give like= (2018, 2023, 2025) or totals=")
        totals = congress_totals(like, party)
    if not all(math.isfinite(v) and v >= 0 for v in (dispersion, turnout_sd, turnover_sd)):
        raise ValueError("dispersion, turnout_sd and turnover_sd must be finite and non-negative")
    rng = np.random.default_rng(seed)
    year = totals.year
    # units and members
    if n_federations is None:
        feds = FEDERATIONS[FEDERATIONS["kind"] != "collectivity"]
        codes = feds["code"].tolist()
        ps = totals.party == "PS"
        pinned = published_members(year) if ps else {}
        large = large_federations(year) if ps else []
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
    if n_federations is None and home_lean and totals.party == "PS":
        home = home_federations()
        for j, o in enumerate(r1_opts):
            if home.get(o) in codes:
                lean[codes.index(home[o]), j] += home_lean
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
    x1 = rake_round(draw1, members, targ1)

    # turnover between rounds (net)
    newcomer = np.zeros(n, dtype=np.int64)
    leaver = np.zeros(n, dtype=np.int64)
    if turnover_sd > 0:
        delta = np.round(members * rng.normal(0.0, turnover_sd, size=n)).astype(np.int64)
        newcomer = np.maximum(delta, 0)
        leaver = np.minimum(np.maximum(-delta, 0), x1[:, -1])

    # round 2
    prior = _prior_transfer(r1_opts, r2_opts, turnover_sd > 0, year, totals.party)
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
        x2 = rake_round(draw2, flat_counts, np.array(targ2, dtype=np.int64))
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
        "party": totals.party,
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
    for frame in (units, truth, true_transfer):
        frame.attrs["SIMULATED"] = True
    return SimulatedCongress(units, truth, true_transfer, attrs)
