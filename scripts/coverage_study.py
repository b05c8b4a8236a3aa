"""Coverage study of the transfer estimators on SIMULATED congresses.

For each scenario (congress imitated × heterogeneity) and each method of
:func:`congresslab.transfers.estimate`, simulate congresses with a known truth, estimate the
national transfer matrix and measure:

* ``mae_pp`` — mean absolute error over all cells of the aggregate transfer matrix (pp);
* ``coverage_pct`` — share of cells whose 95 % interval contains the true aggregate share;
* ``third_mae_pp``, ``third_coverage_pct``, ``third_halfwidth_pp`` — the same for the key
  cell, third-placed motion → winner (2025: Vallaud → Faure; 2023: Geoffroy → Faure).

Writes ``reports/coverage_study.md``, ``reports/coverage_study.csv`` (one row per fit) and
``reports/figures/coverage_study.png``. Progress on stderr.

Usage::

    .venv/bin/python scripts/coverage_study.py            # bounds, goodman, lp (about 6 min)
    .venv/bin/python scripts/coverage_study.py --quick    # smoke test (seconds)
    # the bayes variant, reports/coverage_study_bayes.md (about an hour on 2 cores)
    .venv/bin/python scripts/coverage_study.py --methods bayes --n-sims-slow 8 --tag bayes
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from tqdm import tqdm  # noqa: E402

from congresslab import paths  # noqa: E402
from congresslab.sim import (  # noqa: E402
    DEFAULT_DISPERSION,
    realism_over_seeds,
    simulate_congress,
)
from congresslab.transfers import estimate  # noqa: E402

SCENARIOS = [(2025, 0.3), (2025, 1.0), (2023, 0.3), (2023, 1.0)]
HETEROGENEITY = {0.3: "low", 1.0: "high"}


def key_cell(sim) -> tuple[str, str]:
    """Origin of the third-placed motion and destination of the runoff winner."""
    opts = sim.attrs["r1_options"]
    totals = sim.units[["r1_" + o for o in opts]].sum().sort_values(ascending=False)
    winner = sim.units[["r2_" + o for o in sim.attrs["r2_options"]]].sum().idxmax()
    return str(totals.index[2]), str(winner)


def one_fit(sim, method: str, seed: int, method_options: dict) -> dict:
    """Estimate once and score against the truth."""
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = estimate(
            sim.units,
            method,
            unit="federation",
            origin=sim.origin,
            destination=sim.destination,
            seed=seed,
            progress=False,
            **method_options,
        )
        ci = res.conf_int(alpha=0.05)
    secs = time.perf_counter() - t0
    truth = sim.true_transfer.stack().rename("truth")
    ci = ci.set_index(["origin", "destination"]).join(truth)
    err = (ci["estimate"] - ci["truth"]).abs()
    cover = (ci["lower"] - 1e-9 <= ci["truth"]) & (ci["truth"] <= ci["upper"] + 1e-9)
    o, d = key_cell(sim)
    k = ci.loc[(o, d)]
    return {
        "mae_pp": 100 * err.mean(),
        "coverage_pct": 100 * cover.mean(),
        "third_error_pp": 100 * (k["estimate"] - k["truth"]),
        "third_covered": float(k["lower"] - 1e-9 <= k["truth"] <= k["upper"] + 1e-9),
        "third_halfwidth_pp": 100 * (k["upper"] - k["lower"]) / 2,
        "third_truth": k["truth"],
        "seconds": secs,
        # MCMC fits only (bayes): did the sampler meet R-hat <= 1.01 and bulk ESS >= 400?
        "converged": float(res.diagnostics.get("converged", np.nan)),
    }


def run(
    n_sims: int,
    n_sims_slow: int,
    methods: Sequence[str],
    scenarios: Sequence[tuple[int, float]],
    lp_boot: int | None,
    lean_transfer: float = 1.0,
) -> pd.DataFrame:
    rows = []
    jobs = []
    for like, disp in scenarios:
        for method in methods:
            n = n_sims if method in ("bounds", "goodman") else n_sims_slow
            jobs += [(like, disp, method, s) for s in range(n)]
    opts = {"lp": {} if lp_boot is None else {"n_boot": lp_boot}}
    cache: dict[tuple[int, float, int], object] = {}
    for like, disp, method, s in tqdm(jobs, desc="coverage", file=sys.stderr, mininterval=2):
        key = (like, disp, s)
        if key not in cache:
            cache.clear()
            cache[key] = simulate_congress(
                like=like, seed=1000 + s, dispersion=disp, lean_transfer=lean_transfer
            )
        sim = cache[key]
        try:
            r = one_fit(sim, method, s, opts.get(method, {}))
        except Exception as err:  # noqa: BLE001 - record failures, do not stop the study
            r = {"error": f"{type(err).__name__}: {err}"}
        rows.append({"like": like, "dispersion": disp, "method": method, "seed": 1000 + s, **r})
    return pd.DataFrame(rows)


def summarise(fits: pd.DataFrame) -> pd.DataFrame:
    ok = fits[fits.get("error", pd.Series(np.nan, index=fits.index)).isna()]
    g = ok.groupby(["like", "dispersion", "method"], sort=True)
    out = g.agg(
        n_sims=("mae_pp", "size"),
        mae_pp=("mae_pp", "mean"),
        coverage_pct=("coverage_pct", "mean"),
        third_mae_pp=("third_error_pp", lambda x: np.abs(x).mean()),
        third_bias_pp=("third_error_pp", "mean"),
        third_coverage_pct=("third_covered", lambda x: 100 * x.mean()),
        third_halfwidth_pp=("third_halfwidth_pp", "mean"),
        sec_per_fit=("seconds", "mean"),
    ).reset_index()
    out.insert(2, "heterogeneity", out["dispersion"].map(HETEROGENEITY).fillna("custom"))
    if "converged" in ok and ok["converged"].notna().any():
        out["converged_pct"] = 100 * g["converged"].mean().to_numpy()  # same group order
    if "error" in fits:
        fails = fits[fits["error"].notna()].groupby(["like", "dispersion", "method"]).size()
        out["failures"] = [
            int(fails.get((r.like, r.dispersion, r.method), 0)) for r in out.itertuples()
        ]
    return out


def figure(summary: pd.DataFrame, path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    labels = [
        f"{r.like} {r.heterogeneity}"
        for r in summary.drop_duplicates(["like", "dispersion"]).itertuples()
    ]
    methods = list(dict.fromkeys(summary["method"]))
    x = np.arange(len(labels))
    w = 0.8 / max(len(methods), 1)
    for i, m in enumerate(methods):
        s = summary[summary["method"] == m]
        axes[0].bar(x + i * w, s["mae_pp"], w, label=m)
        axes[1].bar(x + i * w, s["coverage_pct"], w, label=m)
    axes[1].axhline(95, color="k", lw=0.8, ls="--")
    for ax, yl in zip(axes, ["aggregate MAE (pp)", "95 % interval coverage (%)"], strict=True):
        ax.set_xticks(x + 0.4 - w / 2, labels)
        ax.set_ylabel(yl)
    axes[0].legend()
    fig.suptitle("SIMULATED congresses: accuracy and interval coverage of transfer estimators")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_realism(n_seeds: int = 50) -> str:
    """Realism of SIMULATED congresses like 2025 vs the published facts, over seeds."""
    t0 = time.perf_counter()
    parts = [
        "# Realism of SIMULATED congresses like 2025",
        "",
        f"Mean and standard deviation over seeds 0-{n_seeds - 1} of `simulate_congress("
        "like=2025, seed=s, dispersion=d)`, against the published 2025 facts "
        "(`data/raw/federation_summaries.csv`, `federation_fragments.csv`, "
        "`national_turnout.csv`). Simulations have 102 federations (101 départements + FFE); "
        "the published federations-won counts (58 + 41 = 99) cover 99 federations.",
        "",
    ]
    for d in sorted({DEFAULT_DISPERSION, *HETEROGENEITY}):
        tab = realism_over_seeds(like=2025, seeds=range(n_seeds), dispersion=d)
        label = "default, calibrated" if d == DEFAULT_DISPERSION else HETEROGENEITY[d]
        parts += [f"## dispersion = {d} ({label})", "", "```"]
        parts += [tab.round(2).to_string(index=False), "```", ""]
    sizes = pd.concat(
        [
            pd.Series(simulate_congress(like=2025, seed=s).attrs["members"]).describe()
            for s in range(min(n_seeds, 20))
        ],
        axis=1,
    ).mean(axis=1)
    parts += [
        "## Member counts (mean over 20 seeds of each summary statistic)",
        "",
        "```",
        sizes.round(1).to_string(),
        "```",
        "",
        "Published: total 39,815; 17 federations with at most 100 members; 10 with more than "
        "1,000; Paris the largest (3,181); Aube 53, Cantal 53, Haut-Rhin 67, Deux-Sèvres 91, "
        "Nièvre 198, Corrèze 236. The simulation pins the named counts and draws the others "
        "from a quantile function anchored on the two threshold counts, so these facts hold "
        "by construction in every seed.",
        "",
        f"Runtime: {time.perf_counter() - t0:.0f} s.",
        "",
    ]
    text = "\n".join(parts)
    (paths.REPORTS / "simulation_realism.md").write_text(text)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="3 simulations, smoke test")
    p.add_argument("--n-sims", type=int, default=200, help="simulations for fast methods")
    p.add_argument("--n-sims-slow", type=int, default=40, help="simulations for lp/bayes")
    p.add_argument(
        "--methods",
        default="bounds,goodman,lp",
        help="comma-separated; add bayes for the (slow: about 1 min per fit) Bayesian variant",
    )
    p.add_argument(
        "--lp-boot", type=int, default=None, help="LP bootstrap size (default: engine's)"
    )
    p.add_argument(
        "--lean-transfer",
        type=float,
        default=1.0,
        help="carry-over of the round-1 lean to round-2 choices (0: no contextual effect)",
    )
    p.add_argument("--tag", default="", help="suffix of the output files (e.g. bayes)")
    p.add_argument(
        "--realism-only",
        action="store_true",
        help="only write reports/simulation_realism.md (50 seeds)",
    )
    args = p.parse_args(argv)
    if args.realism_only:
        print(write_realism(5 if args.quick else 50))
        return 0
    methods = [m for m in args.methods.split(",") if m]
    notes = []
    n_fast, n_slow, scen = args.n_sims, args.n_sims_slow, SCENARIOS
    if args.quick:
        n_fast, n_slow, scen = 3, 2, SCENARIOS[:2]
    t0 = time.perf_counter()
    fits = run(n_fast, n_slow, methods, scen, args.lp_boot, args.lean_transfer)
    summary = summarise(fits)
    elapsed = time.perf_counter() - t0
    suffix = "_quick" if args.quick else ""
    if args.lean_transfer != 1.0:
        suffix += f"_lean{args.lean_transfer:g}"
    if args.tag:
        suffix += f"_{args.tag}"
    paths.FIGURES.mkdir(parents=True, exist_ok=True)
    fits.to_csv(paths.REPORTS / f"coverage_study{suffix}.csv", index=False, lineterminator="\n")
    fig_path = paths.FIGURES / f"coverage_study{suffix}.png"
    figure(summary, fig_path)
    md = [
        "# Coverage of transfer estimators on SIMULATED congresses",
        "",
        "All numbers below come from **SIMULATED** congresses (`congresslab.sim`), whose "
        "national totals equal the official 2025 / 2023 results and whose federation-level "
        "truth is known. Heterogeneity: `dispersion` 0.3 (low) and 1.0 (high); the default "
        f"calibrated on the 2025 map is 0.6. Simulations: {n_fast} per scenario for "
        f"bounds/goodman, {n_slow} for "
        f"{'/'.join(m for m in methods if m in ('lp', 'bayes')) or 'lp/bayes (not run)'} "
        f"(lp bootstrap {args.lp_boot or 'engine default'}); "
        "engine defaults otherwise. Contextual effect `lean_transfer` = "
        f"{args.lean_transfer:g} (1: a federation leaning to a finalist in round 1 sends more "
        "of every origin to that finalist in round 2 — aggregation bias; 0: none).",
        "",
        "`mae_pp`: mean absolute error over all cells of the national transfer matrix "
        "(percentage points); `coverage_pct`: share of cells whose 95 % interval contains the "
        "truth; `third_*`: the third-placed motion → runoff winner cell (2025 Vallaud → Faure, "
        "2023 Geoffroy → Faure): mean absolute error, bias, interval coverage and mean "
        "half-width.",
        "",
        summary.round(2).to_markdown(index=False)
        if _has_tabulate()
        else "```\n" + summary.round(2).to_string(index=False) + "\n```",
        "",
        *[f"- {n}" for n in notes],
        f"- Runtime: {elapsed:.0f} s on the shared 2-core machine.",
        f"- Figure: `{fig_path.relative_to(paths.ROOT).as_posix()}`.",
        "",
    ]
    (paths.REPORTS / f"coverage_study{suffix}.md").write_text("\n".join(md))
    print(summary.round(2).to_string(index=False))
    print(f"elapsed {elapsed:.1f} s", file=sys.stderr)
    return 0


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
