"""Time the classroom round trip as a teacher runs it: classroom → estimate → grade.

Every step runs the installed ``congresslab`` command in a subprocess (start-up included),
with the ``congresslab estimate`` command copied from the handout. Prints the timings and
writes ``reports/classroom_roundtrip.md`` (the class table is SIMULATED).

Usage::

    .venv/bin/python benchmarks/classroom_roundtrip.py [--students 10] [--like 2025 ...]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from congresslab import paths


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], cwd: Path) -> tuple[float, str, float]:
    """Run a command; return wall seconds, its output and its CPU seconds."""
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, done.stdout, _cpu() - cpu


def round_trip(students: int, like: int, seed: int, method: str, work: Path) -> dict:
    """Run one class; return the timings (seconds) and the class table."""
    exe = str(Path(sys.executable).with_name("congresslab"))
    kit = work / f"kit-{like}"
    t_kit, _, c_kit = _run([exe, "classroom", "--students", str(students), "--like", str(like),
                     "--seed", str(seed), "--method", method, "--out", str(kit)], work)
    handout = (kit / "handout.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", handout, re.S).group(1)
    template = shlex.split(block.replace("\\\n", " "))
    results = kit / "results"
    results.mkdir()
    t_est, c_est = [], []
    for k in range(1, students + 1):
        sid = f"{k:0{max(2, len(str(students)))}d}"
        argv = [a.replace("student-01", f"student-{sid}") for a in template]
        argv = [exe, *argv[1:], "--quiet"]
        argv[argv.index("--json") + 1] = str(results / f"student-{sid}-result.json")
        wall, _, cpu = _run(argv, kit)
        t_est.append(wall)
        c_est.append(cpu)
    t_grade, _, c_grade = _run([exe, "grade", "--key", "key.csv", "--csv", "class.csv",
                         str(results)], kit)
    table = pd.read_csv(kit / "class.csv", dtype={"student": str})
    return {"like": like, "students": students, "method": method, "classroom_s": t_kit,
            "estimate_mean_s": sum(t_est) / len(t_est), "estimate_max_s": max(t_est),
            "estimate_total_s": sum(t_est), "grade_s": t_grade, "classroom_cpu": c_kit,
            "estimate_cpu": sum(c_est) / len(c_est), "grade_cpu": c_grade, "table": table}


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10)
    parser.add_argument("--like", type=int, nargs="+", default=[2018, 2023, 2025])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--method", default="lp")
    parser.add_argument("--out", type=Path, default=paths.REPORTS / "classroom_roundtrip.md")
    args = parser.parse_args(argv)
    runs = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        for like in args.like:
            r = round_trip(args.students, like, args.seed, args.method, Path(tmp))
            runs.append(r)
            print(f"like {like}: classroom {r['classroom_s']:.1f} s (CPU {r['classroom_cpu']:.1f}"
                  f" s) for {args.students} students; estimate --method {args.method} "
                  f"{r['estimate_mean_s']:.1f} s per student (CPU {r['estimate_cpu']:.1f} s, "
                  f"max wall {r['estimate_max_s']:.1f} s); grade {r['grade_s']:.1f} s (CPU "
                  f"{r['grade_cpu']:.1f} s);"
                  f" class mean error {r['table']['mae_pp'].mean():.1f} points, "
                  f"{int(r['table']['covered'].sum())} of {int(r['table']['asked'].sum())} "
                  "intervals contain the truth")
    lines = ["# Classroom round trip (SIMULATED congresses)", "",
             f"`python benchmarks/classroom_roundtrip.py --students {args.students}` on "
             f"{os.cpu_count()} cores (load average {load:.1f} at the start: wall times "
             "grow with the load, CPU times much less); each step is the `congresslab` "
             "command in a subprocess (start-up included, most of `grade`'s time), the "
             "estimate command copied from the handout. Times: wall (CPU) seconds.",
             "", "| like | students | classroom | estimate per student, mean (CPU) / max | "
             "grade (folder) | class mean error (points) | intervals containing the truth |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        t = r["table"]
        lines.append(f"| {r['like']} | {r['students']} | {r['classroom_s']:.1f} "
                     f"({r['classroom_cpu']:.1f}) | {r['estimate_mean_s']:.1f} "
                     f"({r['estimate_cpu']:.1f}) / {r['estimate_max_s']:.1f} | "
                     f"{r['grade_s']:.1f} ({r['grade_cpu']:.1f}) | {t['mae_pp'].mean():.1f} | "
                     f"{int(t['covered'].sum())} / {int(t['asked'].sum())} |")
    for r in runs:
        table = r["table"].drop(columns=["SIMULATED", "result"])
        lines += ["", f"## SIMULATED class like {r['like']} (method {r['method']})", "",
                  "```", table.to_string(index=False), "```"]
    args.out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
