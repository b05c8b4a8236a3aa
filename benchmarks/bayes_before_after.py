"""Bayes before/after table (issue 18): the same sets fitted by two versions of congresslab.

Runs against whichever ``congresslab`` the Python running it imports, so one script measures a
clean clone of any commit (run it with that clone's ``.venv/bin/python``)::

    # once, with a recent congresslab (needs simulate_congress and benchmarks.synthetic):
    python benchmarks/bayes_before_after.py prepare --sets-dir DIR
    # per version (one fit at a time; a CSV row per set as soon as it finishes):
    /path/to/clone/.venv/bin/python benchmarks/bayes_before_after.py run --label after \\
        --sets-dir DIR --csv reports/bayes_before_after.csv
    # the Markdown table (latest row per label and set), between markers in --md:
    python benchmarks/bayes_before_after.py table --csv reports/bayes_before_after.csv \\
        --md reports/bayes_before_after.md

Every fit is ``estimate(table, "bayes", seed=0, progress=False)`` with the version's defaults
(chains extended until R-hat <= 1.01 and bulk ESS >= 400). CPU seconds are
``time.process_time()`` (all threads of the process); wall seconds ``time.perf_counter()``;
the 1-minute load average is recorded before and after each fit (the machine is shared).
The per-set seconds are warm: the process first runs a tiny fit so the sampler is compiled or
loaded from numba's cache. ``cold`` rows time, in a new process with ``NUMBA_CACHE_DIR`` set to
an empty folder, the import and a first fit on a 4-unit 2 × 2 set; ``warm_2x2`` rows the same
in a second new process once that cache exists.

SIMULATED sets (``sim*``, ``congress2025*``) are generated once by ``prepare`` (with the
generators of ``benchmarks/bayes_speed.py``) into ``.npz`` files, so that every version fits
the same arrays; the CSV records a hash of the arrays each version fitted (``data_sha``).
Coverage is the share of true aggregate shares inside the 95 % intervals of
``res.conf_int(0.05)`` (``congresslab.benchmarks.coverage``, as ``benchmarks.score`` does).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

SETS_DIR = Path(tempfile.gettempdir()) / "congresslab_bayes_before_after_SIMULATED"
SIMULATED = ["sim100_s7", "sim800_s7", "sim_hetero100_s1", "sim_hetero100_s2", "congress2025_s1"]
# 4 units, 2 × 2: the cold/warm start fit (arrays typed here, not data)
TINY_X = [[60, 40], [30, 70], [80, 20], [50, 50]]
TINY_T = [[55, 45], [40, 60], [70, 30], [45, 55]]
FIELDS = ["label", "commit", "date_utc", "set", "size", "simulated", "data_sha", "cpu_s",
          "wall_s", "import_cpu_s", "import_wall_s", "chains", "draws_per_chain", "extensions",
          "iterations", "rhat_max", "ess_bulk_min", "ess_per_cpu_s", "ess_per_wall_s",
          "converged", "warnings", "ei_pct", "mae_pp", "coverage95", "load1_before",
          "load1_after", "python", "numba", "numpy"]  # fmt: skip


# --------------------------------------------------------------------------- sets


def prepare(sets_dir: Path, names: list[str]) -> None:
    """Write each SIMULATED set to ``sets_dir/<name>.npz`` (X, T, truth, origin, destination)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bayes_speed  # main's generators (needs congresslab.benchmarks.synthetic)

    sets_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        table, truth = bayes_speed.load_set(name)
        path = sets_dir / f"{name}.npz"
        np.savez(path, X=np.asarray(table.X, float), T=np.asarray(table.T, float),
                 truth=np.asarray(truth, float), origin=np.asarray(table.origin, str),
                 destination=np.asarray(table.destination, str))  # fmt: skip
        print(f"{path}: {table.n_units} units, {table.shape}, sha {_sha(table)}")


def _sha(table: Any) -> str:
    h = hashlib.sha256()
    for a in (table.X, table.T):
        h.update(np.ascontiguousarray(np.asarray(a, float)).tobytes())
    h.update("|".join(map(str, [*table.origin, "->", *table.destination])).encode())
    return h.hexdigest()[:12]


def load_set(name: str, sets_dir: Path) -> tuple[Any, Any]:
    """``(table, truth)``: truth is the benchmark object (real sets) or aggregate counts."""
    from congresslab.benchmarks import list_benchmarks, load_benchmark
    from congresslab.transfers import UnitTable

    if name in list_benchmarks():
        b = load_benchmark(name)
        return b.table, b
    path = sets_dir / f"{name}.npz"
    if not path.exists():
        raise SystemExit(f"{path} missing: run `prepare --sets-dir {sets_dir}` with a recent "
                         "congresslab first (it writes the SIMULATED sets)")  # fmt: skip
    z = np.load(path)
    table = UnitTable.from_arrays(z["X"], z["T"], origin=[str(s) for s in z["origin"]],
                                  destination=[str(s) for s in z["destination"]],
                                  simulated=True)  # fmt: skip
    return table, z["truth"]


def score(res: Any, truth: Any) -> tuple[float, float, float]:
    """EI %, MAE pp and 95 % coverage of the true aggregate shares (both versions' API)."""
    from congresslab import benchmarks as bm

    if hasattr(truth, "table"):  # a Benchmark: its own score (same metrics)
        s = bm.score(res, truth, alpha=0.05)
        return s["ei_pct"], s["mae_pp"], s["coverage"]
    ci = res.conf_int(0.05)
    shape = res.params.shape
    cov = bm.coverage(ci["lower"].to_numpy().reshape(shape),
                      ci["upper"].to_numpy().reshape(shape), truth)  # fmt: skip
    return bm.ei_index(res, truth), bm.aggregate_mae(res, truth), cov


# --------------------------------------------------------------------------- runs


def _versions() -> dict[str, str]:
    import numba

    import congresslab

    root = Path(congresslab.__file__).resolve().parents[2]
    git = ["git", "-C", str(root)]
    try:
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run([*git, "status", "--porcelain", "src"], capture_output=True,
                               text=True, check=True).stdout.strip()  # fmt: skip
        commit += "+dirty" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = f"unknown ({root})"
    return {"commit": commit, "python": platform.python_version(), "numba": numba.__version__,
            "numpy": np.__version__}  # fmt: skip


def fit(table: Any) -> tuple[Any, float, float, int]:
    """One default Bayesian fit, seed 0: ``(result, cpu s, wall s, warnings raised)``."""
    from congresslab.transfers import estimate

    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c0, w0 = time.process_time(), time.perf_counter()
        res = estimate(table, "bayes", seed=0, progress=False)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    return res, cpu, wall, len(caught)


def row(label: str, name: str, table: Any, truth: Any, v: dict[str, str]) -> dict[str, Any]:
    load0 = os.getloadavg()[0]
    res, cpu, wall, n_warn = fit(table)
    load1 = os.getloadavg()[0]
    d = res.diagnostics
    st = d["settings"]
    ei, mae, cov = score(res, truth)
    ess = float(d["ess_bulk_min"])
    R, C = table.shape
    return {
        "label": label, "commit": v["commit"], "set": name, "size": f"{table.n_units}x{R}x{C}",
        "simulated": not hasattr(truth, "table"), "data_sha": _sha(table), "cpu_s": cpu,
        "wall_s": wall, "chains": st["chains"], "draws_per_chain": st["draws"],
        "extensions": st.get("extensions", ""), "iterations": st.get("iterations", ""),
        "rhat_max": d["rhat_max"], "ess_bulk_min": ess, "ess_per_cpu_s": ess / cpu,
        "ess_per_wall_s": ess / wall, "converged": bool(d["converged"]), "warnings": n_warn,
        "ei_pct": ei, "mae_pp": mae, "coverage95": cov, "load1_before": load0,
        "load1_after": load1,
    }  # fmt: skip


def probe() -> None:
    """In a new process: import seconds and the first tiny fit (prints JSON)."""
    c0, w0 = time.process_time(), time.perf_counter()
    from congresslab.transfers import UnitTable, estimate

    c1, w1 = time.process_time(), time.perf_counter()
    table = UnitTable.from_arrays(np.array(TINY_X), np.array(TINY_T), simulated=True)
    res = estimate(table, "bayes", seed=0, progress=False)
    c2, w2 = time.process_time(), time.perf_counter()
    d = res.diagnostics
    print(json.dumps({"import_cpu_s": c1 - c0, "import_wall_s": w1 - w0, "cpu_s": c2 - c1,
                      "wall_s": w2 - w1, "draws_per_chain": d["settings"]["draws"],
                      "chains": d["settings"]["chains"], "rhat_max": d["rhat_max"],
                      "ess_bulk_min": d["ess_bulk_min"],
                      "converged": bool(d["converged"])}))  # fmt: skip


def start_rows(label: str, v: dict[str, str]) -> list[dict[str, Any]]:
    """``cold`` (empty NUMBA_CACHE_DIR) and ``warm_2x2`` (same folder, second process)."""
    out = []
    with tempfile.TemporaryDirectory(prefix="numba_cold_") as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONWARNINGS="ignore")
        for name in ("cold", "warm_2x2"):
            load0 = os.getloadavg()[0]
            p = subprocess.run([sys.executable, __file__, "_probe"], env=env, capture_output=True,
                               text=True, check=True)  # fmt: skip
            r = json.loads(p.stdout.strip().splitlines()[-1])
            ess = float(r["ess_bulk_min"])
            out.append({"label": label, "commit": v["commit"], "set": name, "size": "4x2x2",
                        "simulated": True, **r, "ess_per_cpu_s": ess / r["cpu_s"],
                        "ess_per_wall_s": ess / r["wall_s"], "load1_before": load0,
                        "load1_after": os.getloadavg()[0]})  # fmt: skip
            print(
                f"{name}: import {r['import_cpu_s']:.2f} CPU s / {r['import_wall_s']:.2f} s, "
                f"fit {r['cpu_s']:.2f} CPU s / {r['wall_s']:.2f} s",
                flush=True,
            )
    return out


def append(path: Path, r: dict[str, Any], v: dict[str, str], date: str) -> None:
    new = not path.exists()
    with path.open("a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        if new:
            w.writeheader()
        rec = {**v, "date_utc": date, **r}
        w.writerow({k: (f"{x:.6g}" if isinstance(x, float) else x) for k, x in rec.items()})


def run(label: str, csv_path: Path, sets_dir: Path, names: list[str] | None, start: bool) -> None:
    from congresslab.benchmarks import list_benchmarks
    from congresslab.transfers import UnitTable, estimate

    names = names or SIMULATED[:4] + list_benchmarks() + SIMULATED[4:]
    v = _versions()
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    print(f"{label}: congresslab {v['commit']}, numba {v['numba']}, numpy {v['numpy']}",
          flush=True)  # fmt: skip
    if start:
        for r in start_rows(label, v):
            append(csv_path, r, v, date)
    # warm-up: compile or load the kernels before any timed fit
    tiny = UnitTable.from_arrays(np.array(TINY_X), np.array(TINY_T), simulated=True)
    estimate(tiny, "bayes", seed=0, progress=False)
    for name in names:
        table, truth = load_set(name, sets_dir)
        r = row(label, name, table, truth, v)
        append(csv_path, r, v, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"))
        print(
            f"{name} {r['size']}: {r['cpu_s']:.1f} CPU s, {r['wall_s']:.1f} s, "
            f"{r['draws_per_chain']} draws/chain, ESS {r['ess_bulk_min']:.0f}, "
            f"EI {r['ei_pct']:.2f} %, MAE {r['mae_pp']:.2f} pp, cov {r['coverage95']:.2f}, "
            f"load {r['load1_before']:.2f}->{r['load1_after']:.2f}",
            flush=True,
        )


# --------------------------------------------------------------------------- table


def _f(x: str, fmt: str) -> str:
    try:
        return format(float(x), fmt)
    except ValueError:
        return x or "–"


def _per_iter(r: dict[str, str]) -> str:
    """CPU milliseconds per iteration of one chain (warm-up and draws; all chains together)."""
    try:
        return f"{1000 * float(r['cpu_s']) / float(r['iterations']):.2f}"
    except (KeyError, ValueError, ZeroDivisionError):
        return "–"


def table(csv_path: Path) -> str:
    """Markdown: a start table and a per-set table (latest row per label and set)."""
    with csv_path.open() as f:
        rows = list(csv.DictReader(f))
    latest: dict[tuple[str, str], dict[str, str]] = {}
    labels: list[str] = []
    for r in rows:
        latest[r["label"], r["set"]] = r
        labels += [r["label"]] if r["label"] not in labels else []
    out = ["| start (4 × 2 × 2) | version | commit | import CPU s | import wall s | fit CPU s "
           "| fit wall s | load 1-min |", "|---|---|---|---:|---:|---:|---:|---|"]  # fmt: skip
    for name in ("cold", "warm_2x2"):
        for lab in labels:
            r = latest.get((lab, name))
            if r:
                out.append(
                    f"| {name} | {lab} | {r['commit']} | {_f(r['import_cpu_s'], '.2f')} "
                    f"| {_f(r['import_wall_s'], '.2f')} | {_f(r['cpu_s'], '.2f')} "
                    f"| {_f(r['wall_s'], '.2f')} "
                    f"| {_f(r['load1_before'], '.1f')}–{_f(r['load1_after'], '.1f')} |"
                )
    out += ["", "| set | size | version | warm CPU s | warm wall s | draws/chain | CPU ms/iter. "
            "| max R-hat | min bulk ESS | ESS/CPU s | ESS/wall s | EI % | MAE pp | 95 % cov. "
            "| load 1-min |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    sets = [s for s in dict.fromkeys(r["set"] for r in rows) if s not in ("cold", "warm_2x2")]
    for name in sets:
        shas = {latest[lab, name]["data_sha"] for lab in labels if (lab, name) in latest}
        for lab in labels:
            r = latest.get((lab, name))
            if not r:
                continue
            mark = " (SIMULATED)" if r["simulated"] == "True" else ""
            mark += "" if r["converged"] == "True" else " **not converged**"
            mark += " **data differ**" if len(shas) > 1 else ""
            out.append(
                f"| {name}{mark} | {r['size'].replace('x', ' × ')} | {lab} "
                f"| {_f(r['cpu_s'], '.1f')} | {_f(r['wall_s'], '.1f')} "
                f"| {r['draws_per_chain']} | {_per_iter(r)} | {_f(r['rhat_max'], '.3f')} "
                f"| {_f(r['ess_bulk_min'], '.0f')} | {_f(r['ess_per_cpu_s'], '.1f')} "
                f"| {_f(r['ess_per_wall_s'], '.1f')} | {_f(r['ei_pct'], '.2f')} "
                f"| {_f(r['mae_pp'], '.2f')} | {_f(r['coverage95'], '.2f')} "
                f"| {_f(r['load1_before'], '.1f')}–{_f(r['load1_after'], '.1f')} |"
            )
    out += ["", *targets(latest, labels)]
    versions = "; ".join(f"{lab} = {latest[lab, s]['commit']}" for lab in labels
                         for s in [next(s for (la, s) in latest if la == lab)])  # fmt: skip
    return "\n".join([f"Versions: {versions}.", "", *out])


# issue 18's targets: (name, sets, what, limit); seconds are checked on CPU s (wall shown too)
TARGETS = [
    ("cold start (import + first fit, empty cache)", ["cold"], "start", 3.0),
    ("SIMULATED congress", ["congress2025_s1"], "seconds", 10.0),
    ("SIMULATED 100 × 5 × 4", ["sim100_s7"], "seconds", 3.0),
    ("SIMULATED 800 × 5 × 4", ["sim800_s7"], "seconds", 20.0),
    ("SIMULATED heterogeneous 100 × 5 × 4", ["sim_hetero100_s1", "sim_hetero100_s2"],
     "seconds", 10.0),
    ("each NZ set", ["nz2014_*"], "seconds", 10.0),
    ("NZ mean EI %", ["nz2014_*"], "mean_ei", 6.10),
    ("eipack_senc MAE pp", ["eipack_senc"], "mae", 2.08),
    ("eco_census1910 MAE pp", ["eco_census1910"], "mae", 2.56),
]  # fmt: skip


def targets(latest: dict[tuple[str, str], dict[str, str]], labels: list[str]) -> list[str]:
    """Markdown rows: each target of issue 18, per version, with met / not met."""
    out = ["| target | limit | " + " | ".join(labels) + " |",
           "|---|---:|" + "---|" * len(labels)]  # fmt: skip
    for title, sets, what, limit in TARGETS:
        cells = []
        for lab in labels:
            rows = [r for (la, s), r in latest.items() if la == lab and any(
                s == p or (p.endswith("*") and s.startswith(p[:-1])) for p in sets)]  # fmt: skip
            if not rows:
                cells.append("–")
                continue
            if what in ("mean_ei", "mae"):  # compared at the target's precision (2 decimals)
                col = "ei_pct" if what == "mean_ei" else "mae_pp"
                v = float(np.mean([float(r[col]) for r in rows]))
                n = f", mean of {len(rows)}" if what == "mean_ei" else ""
                ok = round(v, 2) <= limit
                cells.append(f"{v:.3f}{n} ({'met' if ok else 'not met'})")
            else:
                key = ("import_cpu_s", "import_wall_s") if what == "start" else None
                cpu = [float(r["cpu_s"]) + (float(r[key[0]]) if key else 0) for r in rows]
                wall = [float(r["wall_s"]) + (float(r[key[1]]) if key else 0) for r in rows]
                ok = max(cpu) <= limit
                cells.append(f"{min(cpu):.1f}–{max(cpu):.1f} CPU s ({min(wall):.1f}–"
                             f"{max(wall):.1f} wall; {'met' if ok else 'not met'})"
                             if len(rows) > 1 else f"{cpu[0]:.1f} CPU s ({wall[0]:.1f} wall; "
                             f"{'met' if ok else 'not met'})")  # fmt: skip
        unit = what in ("seconds", "start")
        shown = f"{limit:.0f} s" if unit else f"{limit:.2f}"
        out.append(f"| {title} | ≤ {shown} | " + " | ".join(cells) + " |")
    return out


def write_md(md: Path, text: str) -> None:
    start, end = "<!-- table:start -->", "<!-- table:end -->"
    old = md.read_text() if md.exists() else f"{start}\n{end}\n"
    if start not in old or end not in old:
        raise SystemExit(f"{md}: markers {start} and {end} not found")
    head, rest = old.split(start, 1)
    md.write_text(f"{head}{start}\n{text}\n{end}{rest.split(end, 1)[1]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare", help="write the SIMULATED sets (.npz) once")
    p.add_argument("--sets-dir", type=Path, default=SETS_DIR)
    p.add_argument("--sets", nargs="+", default=SIMULATED)
    p = sub.add_parser("run", help="fit every set with the importable congresslab")
    p.add_argument("--label", required=True, help="version name in the table, e.g. before")
    p.add_argument("--csv", type=Path, default=Path("reports/bayes_before_after.csv"))
    p.add_argument("--sets-dir", type=Path, default=SETS_DIR)
    p.add_argument(
        "--sets",
        nargs="+",
        help="default: the SIMULATED sets and every "
        "congresslab.benchmarks.list_benchmarks() set, the congress last",
    )
    p.add_argument("--no-start", action="store_true", help="skip the cold/warm start rows")
    p = sub.add_parser("table", help="print the Markdown table (and put it into --md)")
    p.add_argument("--csv", type=Path, default=Path("reports/bayes_before_after.csv"))
    p.add_argument("--md", type=Path)
    sub.add_parser("_probe")
    args = ap.parse_args(argv)
    if args.cmd == "prepare":
        prepare(args.sets_dir, args.sets)
    elif args.cmd == "run":
        run(args.label, args.csv, args.sets_dir, args.sets, not args.no_start)
    elif args.cmd == "table":
        text = table(args.csv)
        print(text)
        if args.md:
            write_md(args.md, text)
    else:
        probe()
    return 0


if __name__ == "__main__":
    sys.exit(main())
