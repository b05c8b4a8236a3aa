"""Run every transfer estimator on every benchmark set and write ``reports/benchmarks.md``.

Usage::

    python benchmarks/run_benchmarks.py [--methods bounds goodman lp bayes ...]
                                        [--sets eco_census1910 ...] [--quick] [--no-write]

Each method runs with its default settings (nothing is tuned to these data sets); the
truth is only used to score. ``--quick`` uses fewer bootstrap replicates and MCMC draws.
A timing section fits bounds, Goodman and the LP on a synthetic 2,000-unit 5 × 4 problem.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from datetime import UTC, datetime
from typing import Any

import numpy as np

from congresslab import paths
from congresslab.benchmarks import list_benchmarks, load_benchmark, score, synthetic
from congresslab.transfers import (
    Bounds,
    Goodman,
    LinearProgram,
    MultinomialDirichlet,
    UnitTable,
)


def _bayes(table: UnitTable, quick: bool, **options: Any) -> MultinomialDirichlet:
    """The Bayesian model with its defaults (shorter chains in ``--quick`` runs)."""
    n = 300 if quick else 1000
    return MultinomialDirichlet(table, draws=n, warmup=n, progress=False, **options)


#: label -> (factory(table, quick), description)
METHODS: dict[str, tuple[Any, str]] = {
    "bounds": (lambda t, q: Bounds(t), "Duncan–Davis bounds, midpoint"),
    "goodman": (lambda t, q: Goodman(t), "Goodman WLS (default)"),
    "goodman_ols": (lambda t, q: Goodman(t, weights="ols"), "Goodman OLS"),
    "goodman_simplex": (
        lambda t, q: Goodman(t, constrained=True, n_boot=50 if q else 200, progress=False),
        "Goodman WLS on the simplex (QP)",
    ),
    "lphom": (
        lambda t, q: LinearProgram(t, unit_level=False, n_boot=50 if q else 200, progress=False),
        "global LP (lphom)",
    ),
    "lp": (
        lambda t, q: LinearProgram(t, n_boot=50 if q else 200, progress=False),
        "LP + one unit-level refinement step (tslphom-like, default lp)",
    ),
    "lp_nslphom": (
        lambda t, q: LinearProgram(
            t, iter_max=10, n_boot=50 if q else 200, progress=False
        ),
        "LP + iterated refinement (nslphom-like, iter_max=10)",
    ),
    "bayes": (
        lambda t, q: _bayes(t, q),
        "multinomial–Dirichlet MCMC (default settings: Gamma(4, rate b) prior, b learned "
        "with a Gamma(1, 1) hyperprior)",
    ),
    "bayes_pyei_prior": (
        lambda t, q: _bayes(t, q, lambda2=0.5),
        "the same with the rate fixed at 0.5, PyEI's prior (prior sensitivity)",
    ),
    "bayes_eipack_prior": (
        lambda t, q: _bayes(t, q, lambda2=2.0),
        "the same with the rate fixed at 2, eiPack's prior (prior sensitivity)",
    ),
}

REFERENCES: dict[str, list[str]] = {
    "eco_census1910": [
        "eco ML: MAE 1.25 pp",
        "lphom nslphom: MAE 2.43 pp",
        "eiPack MD: MAE 2.58 pp",
        "Goodman: MAE 3.14 pp",
    ],
    "eipack_senc": [
        "PyEI MD: MAE 2.15 pp, unit wMAE 1.56 pp (211 s)",
        "lphom rslphom: MAE 2.67 pp",
    ],
}
NZ_REFERENCES = [
    "eiPack MD: mean EI 6.65 %, MAE 4.93 pp",
    "PyEI MD: mean EI 6.75 %, MAE 5.30 pp",
    "lphom nslphom: mean EI 10.25 %, MAE 7.31 pp",
    "Goodman: mean EI 14.73 %, MAE 10.56 pp",
]
NZ_BEST = {
    "nz2014_bay_of_plenty": 5.97,
    "nz2014_northcote": 6.77,
    "nz2014_tukituki": 6.78,
    "nz2014_te_tai_tonga": 5.36,
}


def fmt(x: float, nd: int = 2) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{x:.{nd}f}"


def run_set(name: str, methods: list[str], quick: bool) -> list[dict[str, Any]]:
    bench = load_benchmark(name)
    rows = []
    for m in methods:
        factory, _ = METHODS[m]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = factory(bench.table, quick).fit()
        s = score(res, bench)
        s["method"] = m
        s["warnings"] = len(caught)
        rows.append(s)
        print(
            f"  {name:22s} {m:16s} MAE {s['mae_pp']:6.2f} pp  EI {s['ei_pct']:6.2f} %  "
            f"{s['seconds']:7.2f} s",
            file=sys.stderr,
        )
    return rows


def table_md(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "| method | aggregate MAE (pp) | EI (%) | unit wMAE (pp) | 95 % coverage "
        "| max R-hat | min ESS | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['method']} | {fmt(r['mae_pp'])} | {fmt(r['ei_pct'])} | "
            f"{fmt(r['unit_wmae_pp'])} | {fmt(r['coverage'])} | {fmt(r['rhat_max'], 3)} | "
            f"{fmt(r['ess_min'], 0)} | {fmt(r['seconds'])} |"
        )
    return out


def simulated_accuracy(methods: list[str], quick: bool) -> list[str]:
    """Accuracy on SIMULATED sets (known truth), 5 × 4, three sizes/heterogeneities."""
    from congresslab.benchmarks import aggregate_mae, coverage, ei_index

    specs = [(60, 1, 50.0), (200, 2, 20.0), (200, 3, 100.0)]
    out = [
        "| method | "
        + " | ".join(f"MAE pp (U={u}, conc={c:g})" for u, _, c in specs)
        + " | mean EI (%) | mean coverage |",
        "|---|" + "---:|" * (len(specs) + 2),
    ]
    sims = [synthetic(U=u, seed=s, conc=c) for u, s, c in specs]
    for m in methods:
        factory, _ = METHODS[m]
        maes, eis, covs = [], [], []
        for tab, truth, _cells in sims:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = factory(tab, quick).fit()
            maes.append(aggregate_mae(res, truth))
            eis.append(ei_index(res, truth))
            ci = res.conf_int()
            covs.append(
                coverage(
                    ci["lower"].to_numpy().reshape(res.params.shape),
                    ci["upper"].to_numpy().reshape(res.params.shape),
                    truth,
                )
            )
        cov = float(np.mean(covs)) if not np.isnan(covs).any() else float("nan")
        out.append(
            f"| {m} | " + " | ".join(fmt(x) for x in maes) + f" | {fmt(float(np.mean(eis)))} | "
            f"{fmt(cov)} |"
        )
        print(f"  simulated {m}: {[round(x, 2) for x in maes]}", file=sys.stderr)
    return out


def timing() -> list[str]:
    tab = synthetic()[0]
    out = [
        "| method | seconds (best of 3) |",
        "|---|---:|",
    ]
    cases = [
        ("bounds", lambda: Bounds(tab).fit()),
        ("goodman (WLS, statsmodels CI)", lambda: Goodman(tab).fit()),
        (
            "goodman simplex QP, no bootstrap",
            lambda: Goodman(tab, constrained=True, n_boot=0).fit(),
        ),
        (
            "lp global (lphom), no bootstrap",
            lambda: LinearProgram(tab, unit_level=False, n_boot=0).fit(),
        ),
        ("lp + unit-level refinement, no bootstrap", lambda: LinearProgram(tab, n_boot=0).fit()),
        (
            "lp default (refinement + 100 bootstrap replicates)",
            lambda: LinearProgram(tab, progress=False).fit(),
        ),
    ]
    for label, f in cases:
        best = np.inf
        reps = 1 if "refinement" in label else 3
        for _ in range(reps):
            t0 = time.perf_counter()
            f()
            best = min(best, time.perf_counter() - t0)
        if reps == 1:
            label += " (1 run)"
        out.append(f"| {label} | {best:.3f} |")
        print(f"  timing {label}: {best:.3f} s", file=sys.stderr)
    return out


def compile_seconds() -> tuple[float, float]:
    """Wall and CPU seconds of a first tiny ``bayes`` fit in a new process with an empty numba
    cache, minus the same with the cache warm: the cold-start cost. The kernel has one
    signature for every data set, so this is the same for every set."""
    import os
    import subprocess
    import tempfile

    code = (
        "import time; c = time.process_time(); w = time.perf_counter()\n"
        "from congresslab.transfers._md.warm import warm; warm()\n"
        "print(time.perf_counter() - w, time.process_time() - c)"
    )
    out = []
    with tempfile.TemporaryDirectory() as empty:
        for env in ({**os.environ, "NUMBA_CACHE_DIR": empty}, dict(os.environ)):
            res = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                 capture_output=True, text=True)  # fmt: skip
            out.append([float(v) for v in res.stdout.split()[-2:]])
    return out[0][0] - out[1][0], out[0][1] - out[1][1]


#: SIMULATED sets of the speed table (``bayes_speed.load_set`` names): the generator above at
#: 100 and 800 units, heterogeneous units with a contextual effect, 2025-like congresses
SPEED_SIMULATED = ["sim100_s7", "sim800_s7", "sim_hetero100_s1", "sim_hetero100_s2",
                   "congress2025_s1", "congress2025_s2"]  # fmt: skip


def bayes_speed(sets: list[str], simulated: bool) -> list[str]:
    """``bayes`` with its defaults, per set: cold and warm seconds, draws, min bulk ESS per
    second (one run each; CPU seconds summed over threads, wall seconds as measured)."""
    from bayes_speed import run as speed_run

    cold_wall, cold_cpu = compile_seconds()
    print(f"  bayes cold start: +{cold_wall:.1f} s wall, +{cold_cpu:.1f} s CPU", file=sys.stderr)
    out = [
        f"Cold = warm + the compilation of a new process with an empty numba cache, measured "
        f"once: +{cold_wall:.1f} s wall, +{cold_cpu:.1f} s CPU (the kernel has one signature "
        "for every set; `make venv` compiles it once, so tests, notebooks and the command line "
        "run warm). ESS = min bulk ESS over the aggregate cells. Targets (issue 18): 2025-like "
        "congress ≤ 10 s, 100 × 5 × 4 ≤ 3 s, 800 × 5 × 4 ≤ 20 s, heterogeneous 100 × 5 × 4 "
        "≤ 10 s, NZ sets ≤ 10 s (warm).",
        "",
        "| set | units × R × C | cold s (wall) | warm s (wall) | warm s (CPU) | draws per chain "
        "| max R-hat | min bulk ESS | ESS per wall s | ESS per CPU s | converged | MAE pp "
        "| EI % |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|",
    ]
    names = list(sets) + (SPEED_SIMULATED if simulated else [])
    for name in names:
        r = speed_run(name, None, {})
        label = name if name in sets else f"SIMULATED {name}"
        out.append(
            f"| {label} | {r['size']} | {r['wall_s'] + cold_wall:.1f} | {r['wall_s']:.1f} "
            f"| {r['cpu_s']:.1f} | {r['draws']} | {r['rhat_max']:.3f} | {r['ess_min']:.0f} "
            f"| {r['ess_min'] / r['wall_s']:.1f} | {r['ess_per_cpu_s']:.1f} "
            f"| {'yes' if r['converged'] else 'no'} | {r['mae_pp']:.2f} | {r['ei_pct']:.2f} |"
        )
        print(f"  bayes speed {name}: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, "
              f"{r['draws']} draws", file=sys.stderr)  # fmt: skip
    return out


def prior_sensitivity() -> list[str]:
    """The section "Prior rate sensitivity on 2×2 tables": the summary of
    ``reports/prior_2x2.md`` (written by ``scripts/prior_2x2.py``, about 20 minutes, so it is
    not re-run here), copied so that regenerating this report keeps it."""
    src = paths.REPORTS / "prior_2x2.md"
    head = ["## Prior rate sensitivity on 2×2 tables", ""]
    if not src.exists():
        return head + ["Not measured yet: run `python scripts/prior_2x2.py`.", ""]
    text = src.read_text(encoding="utf-8")
    body: list[str] = []
    for title in ("## Summary over all sets", "## Choice of default"):
        start = text.find(title)
        end = text.find("\n## ", start + 1)
        if start >= 0:
            body += ([] if not body else ["", "Choice of default:"]) + text[
                start : end if end >= 0 else None
            ].splitlines()[1:]
    return head + [
        "Aggregate MAE (pp) of `bayes` on SIMULATED 2 × 2 sets (30-2,000 units, unit "
        "concentration 1-100, with and without a contextual effect) and on eco_census1910, "
        "per prior on the rate of the Gamma prior on the Dirichlet parameters; copied from "
        "[`prior_2x2.md`](prior_2x2.md) (per-set tables, method and the choice of default "
        "there; `python scripts/prior_2x2.py` reruns it).",
        *body,
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--methods", nargs="+", choices=list(METHODS), default=None)
    ap.add_argument("--sets", nargs="+", default=None)
    ap.add_argument("--quick", action="store_true", help="fewer bootstrap replicates / draws")
    ap.add_argument("--no-write", action="store_true", help="print only")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--no-simulated", action="store_true")
    args = ap.parse_args(argv)
    methods = args.methods or list(METHODS)
    sets = args.sets or list_benchmarks()
    unknown = set(sets) - set(list_benchmarks())
    if unknown:
        ap.error(f"unknown sets {sorted(unknown)}; available {list_benchmarks()}")

    lines = [
        "# Transfer-estimation benchmarks",
        "",
        f"Generated by `benchmarks/run_benchmarks.py{' --quick' if args.quick else ''}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC (Python {platform.python_version()}, "
        f"{platform.machine()}). Every method runs with its defaults; nothing is tuned to these "
        "sets (truth is only used to score).",
        "",
        "Metrics: aggregate MAE of the R × C shares (percentage points); EI = 100·Σ|x − x̂|/(2N) "
        "on aggregate counts (Pavía 2022); unit wMAE = vote-weighted MAE of unit shares "
        "(sets with unit truth, methods with unit estimates); coverage = share of true aggregate "
        "cells inside the 95 % interval (bounds: the bounds; goodman: statsmodels CI; "
        "lp / goodman_simplex: bootstrap; bayes: posterior).",
        "",
        "Methods: " + "; ".join(f"`{m}` = {METHODS[m][1]}" for m in methods) + ".",
        "",
    ]
    all_rows: dict[str, list[dict[str, Any]]] = {}
    for name in sets:
        rows = run_set(name, methods, args.quick)
        all_rows[name] = rows
        b = load_benchmark(name)
        R, C = b.table.shape
        lines += [f"## {name} ({b.table.n_units} units, {R} × {C})", ""]
        lines += table_md(rows)
        refs = REFERENCES.get(name, [])
        if name in NZ_BEST:
            refs = [f"best published EI for this set: {NZ_BEST[name]:.2f} %"]
        if refs:
            lines += ["", "Reference figures (published / brief): " + "; ".join(refs) + "."]
        lines.append("")
    nz = [n for n in sets if n.startswith("nz2014_")]
    if nz:
        lines += [f"## New Zealand 2014 mean over {len(nz)} sets", ""]
        lines += [
            "| method | mean EI (%) | mean MAE (pp) | mean coverage |",
            "|---|---:|---:|---:|",
        ]
        for i, m in enumerate(methods):
            ei = np.mean([all_rows[n][i]["ei_pct"] for n in nz])
            mae = np.mean([all_rows[n][i]["mae_pp"] for n in nz])
            cov = np.mean([all_rows[n][i]["coverage"] for n in nz])
            lines.append(f"| {m} | {fmt(ei)} | {fmt(mae)} | {fmt(cov)} |")
        lines += [
            "",
            "Reference figures (mean over the same 4 sets): " + "; ".join(NZ_REFERENCES) + ".",
        ]
        lines.append("")
    if not args.no_simulated:
        lines += [
            "## SIMULATED sets (known truth, 5 × 4)",
            "",
            "Unit transfer matrices drawn from Dirichlet(conc · P_r) around a global P "
            "(lower conc = more heterogeneity); 400 voters per unit; seeded. Not real data.",
            "",
        ]
        lines += simulated_accuracy(methods, args.quick)
        lines.append("")
    lines += prior_sensitivity()
    lines += [
        "## Notes",
        "",
        "* Intervals: only the bounds are guaranteed. Goodman, LP-bootstrap and posterior "
        "intervals reflect sampling variability under each model, not aggregation bias, and "
        "under-cover where the model's bias dominates (coverage columns above).",
        "* `bayes` rows give the sampler's max R-hat / min bulk ESS on the aggregate shares; "
        "runs above 1.01 / below 400 issue a `ConvergenceWarning` (more draws or thinning).",
        "* The measurements behind the sampler's design (prior, collapsed step, global moves): "
        "`reports/md_sampler.md`.",
        "* Reference figures come from the brief (published runs of eco, eiPack, PyEI, lphom); "
        "they were not re-run here. Our `goodman_ols` reproduces the quoted Goodman figures "
        "(census 3.14 pp; NZ mean 14.73 % / 10.56 pp), which checks the metrics.",
        "",
    ]
    if not args.no_timing:
        lines += ["## Timing: SIMULATED 2,000 units × 5 × 4", ""]
        lines += timing()
        lines.append("")
        if "bayes" in methods:
            lines += ["## Speed of `bayes` (defaults, one run per set)", ""]
            lines += bayes_speed(sets, not args.no_simulated)
            lines.append("")
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        paths.REPORTS.mkdir(parents=True, exist_ok=True)
        (paths.REPORTS / "benchmarks.md").write_text(text, encoding="utf-8")
        print(f"written {paths.REPORTS / 'benchmarks.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
