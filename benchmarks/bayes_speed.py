"""Speed of the Bayesian sampler: CPU seconds, draws and bulk ESS per set (issue 18).

Usage::

    python benchmarks/bayes_speed.py [--sets senc te_tai_tonga congress2025_s1 ...]
                                     [--fixed WARMUP DRAWS] [--option key=value ...]

Default: each set is fitted with ``estimate(method="bayes")``'s defaults (chains extended until
R-hat <= 1.01 and bulk ESS >= 400). ``--fixed`` runs a fixed length instead (no extensions),
to compare samplers by ESS per draw and per CPU second. CPU seconds are
``time.process_time()`` (all threads): on a shared machine they are steadier than wall-clock
seconds, which are printed too. Sets named ``sim_*`` and ``congress*`` are SIMULATED.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
import warnings
from typing import Any

import numpy as np

from congresslab.benchmarks import (
    aggregate_mae,
    ei_index,
    list_benchmarks,
    load_benchmark,
    synthetic,
)
from congresslab.transfers import UnitTable, estimate


def heterogeneous(U: int, seed: int, R: int = 5, C: int = 4):
    """SIMULATED heterogeneous R × C units: per-unit concentration 2-30 (log-uniform), unit
    sizes 100-2,000 voters, and a contextual effect (a unit's transfer shares move with its own
    origin composition: the larger an origin's share in the unit, the more its voters go to the
    destination paired with it)."""
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(C), R)
    sizes = np.exp(rng.uniform(np.log(100), np.log(2000), U)).astype(int)
    comp = rng.dirichlet(np.full(R, 1.5), U)
    X = np.stack([rng.multinomial(n, p) for n, p in zip(sizes, comp, strict=True)])
    conc = np.exp(rng.uniform(np.log(2.0), np.log(30.0), U))
    cells = np.zeros((U, R, C), dtype=int)
    for i in range(U):
        share = X[i] / X[i].sum()
        for r in range(R):
            logit = np.log(P[r] + 1e-3)
            logit[r % C] += 2.0 * (share[r] - 1.0 / R)  # contextual effect
            p = np.exp(logit) / np.exp(logit).sum()
            cells[i, r] = rng.multinomial(X[i, r], rng.dirichlet(p * conc[i] + 1e-3))
    return UnitTable.from_arrays(X, cells.sum(1)), cells.sum(0)


def congress(seed: int):
    """A SIMULATED 2025-like congress (102 federations, 6 × 5), as in notebooks 02 and 08."""
    import congresslab as cl

    sim = cl.simulate_congress(like=2025, seed=seed)
    table = UnitTable.from_frame(sim.units, unit="federation", origin=sim.origin,
                                 destination=sim.destination)  # fmt: skip
    counts = sim.truth.pivot_table(index="origin", columns="destination", values="count",
                                   aggfunc="sum")  # fmt: skip
    truth = counts.loc[sim.origin, sim.destination].to_numpy(float)
    return table, truth


def load_set(name: str) -> tuple[UnitTable, Any]:
    """``(table, truth)``; truth is aggregate counts (R, C) or the benchmark object."""
    if name in list_benchmarks():
        b = load_benchmark(name)
        return b.table, b
    kind, _, rest = name.partition("_")
    if kind == "congress2025":
        return congress(int(rest.lstrip("s")))
    if name.startswith("sim_hetero"):  # sim_hetero100_s1
        U, seed = name.removeprefix("sim_hetero").split("_s")
        return heterogeneous(int(U), int(seed))
    if name.startswith("sim"):  # sim100_s7
        U, seed = name.removeprefix("sim").split("_s")
        return synthetic(U=int(U), seed=int(seed))[:2]
    raise SystemExit(f"unknown set {name!r}")


def score(res, truth) -> tuple[float, float]:
    if hasattr(truth, "table"):
        from congresslab.benchmarks import score as bench_score

        s = bench_score(res, truth)
        return s["mae_pp"], s["ei_pct"]
    return aggregate_mae(res, truth), ei_index(res, truth)


def run(name: str, fixed: tuple[int, int] | None, options: dict[str, Any]) -> dict[str, Any]:
    table, truth = load_set(name)
    kw = dict(options)
    if fixed:
        kw.update(warmup=fixed[0], draws=fixed[1], max_extensions=0)
    # options of the sampler that the model class does not take (ridge_moves, shift_moves, ...)
    from congresslab.transfers._md import driver

    sampler_only = {k: kw.pop(k) for k in list(kw) if k in SAMPLER_ONLY}
    fit_md = driver.fit_md
    driver.fit_md = functools.partial(fit_md, **sampler_only)
    c0, w0 = time.process_time(), time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = estimate(table, "bayes", seed=kw.pop("seed", 0), progress=False, **kw)
    finally:
        driver.fit_md = fit_md
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    d = res.diagnostics
    st = d["settings"]
    ess = d["ess_bulk_min"]
    mae, ei = score(res, truth)
    U = table.n_units
    R, C = table.shape
    return {
        "set": name, "size": f"{U}×{R}×{C}", "cpu_s": cpu, "wall_s": wall,
        "draws": st["draws"], "iterations": st["iterations"], "chains": st["chains"],
        "rhat_max": d["rhat_max"], "ess_min": ess,
        "ess_per_draw": ess / (st["draws"] * st["chains"]),
        "ess_per_cpu_s": ess / cpu, "converged": d["converged"], "mae_pp": mae, "ei_pct": ei,
        "rate": st.get("rate_mean"),
    }  # fmt: skip


SAMPLER_ONLY = ("ridge_moves", "shift_moves", "rate_prior", "unit_quantile_draws")
DEFAULT_SETS = ["eipack_senc", "nz2014_northcote", "nz2014_te_tai_tonga", "sim100_s7",
                "sim_hetero100_s1", "congress2025_s1"]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=DEFAULT_SETS)
    ap.add_argument("--fixed", nargs=2, type=int, metavar=("WARMUP", "DRAWS"))
    ap.add_argument("--option", nargs="*", default=[], help="key=value passed to the model")
    args = ap.parse_args(argv)
    options: dict[str, Any] = {}
    for kv in args.option:
        k, v = kv.split("=", 1)
        options[k] = None if v == "None" else (v == "True" if v in ("True", "False") else
                                               (float(v) if "." in v else int(v)))  # fmt: skip
    print("| set | size | CPU s | wall s | draws/chain | max R-hat | min bulk ESS | ESS/draw "
          "| min ESS per CPU s | MAE pp | EI % | rate |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.sets:
        r = run(name, tuple(args.fixed) if args.fixed else None, options)
        print(f"| {r['set']} | {r['size']} | {r['cpu_s']:.1f} | {r['wall_s']:.1f} | {r['draws']} "
              f"| {r['rhat_max']:.3f} | {r['ess_min']:.0f} | {r['ess_per_draw']:.4f} "
              f"| {r['ess_per_cpu_s']:.1f} | {r['mae_pp']:.2f} | {r['ei_pct']:.2f} "
              f"| {r['rate']:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
