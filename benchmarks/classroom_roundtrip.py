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
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from congresslab import paths


def _run(argv: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, done.stdout


def round_trip(students: int, like: int, seed: int, method: str, work: Path) -> dict:
    """Run one class; return the timings (seconds) and the class table."""
    exe = str(Path(sys.executable).with_name("congresslab"))
    kit = work / f"kit-{like}"
    t_kit, _ = _run([exe, "classroom", "--students", str(students), "--like", str(like),
                     "--seed", str(seed), "--method", method, "--out", str(kit)], work)
    handout = (kit / "handout.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", handout, re.S).group(1)
    template = shlex.split(block.replace("\\\n", " "))
    results = kit / "results"
    results.mkdir()
    t_est = []
    for k in range(1, students + 1):
        sid = f"{k:0{max(2, len(str(students)))}d}"
        argv = [a.replace("student-01", f"student-{sid}") for a in template]
        argv = [exe, *argv[1:], "--quiet"]
        argv[argv.index("--json") + 1] = str(results / f"student-{sid}-result.json")
        t_est.append(_run(argv, kit)[0])
    t_grade, out = _run([exe, "grade", "--key", "key.csv", "--csv", "class.csv",
                         str(results)], kit)
    table = pd.read_csv(kit / "class.csv", dtype={"student": str})
    return {"like": like, "students": students, "method": method, "classroom_s": t_kit,
            "estimate_mean_s": sum(t_est) / len(t_est), "estimate_max_s": max(t_est),
            "estimate_total_s": sum(t_est), "grade_s": t_grade, "table": table}


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
    with tempfile.TemporaryDirectory() as tmp:
        for like in args.like:
            r = round_trip(args.students, like, args.seed, args.method, Path(tmp))
            runs.append(r)
            print(f"like {like}: classroom {r['classroom_s']:.1f} s for {args.students} "
                  f"students; estimate --method {args.method} {r['estimate_mean_s']:.1f} s "
                  f"per student (max {r['estimate_max_s']:.1f} s); grade {r['grade_s']:.1f} s;"
                  f" class mean error {r['table']['mae_pp'].mean():.1f} points, "
                  f"{int(r['table']['covered'].sum())} of {int(r['table']['asked'].sum())} "
                  "intervals contain the truth")
    lines = ["# Classroom round trip (SIMULATED congresses)", "",
             f"`python benchmarks/classroom_roundtrip.py --students {args.students}` on "
             f"{os.cpu_count()} cores; each step is the `congresslab` command in a "
             "subprocess (start-up included), the estimate command copied from the handout.",
             "", "| like | students | classroom (s) | estimate per student, mean / max (s) | "
             "grade (s) | class mean error (points) | intervals containing the truth |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        t = r["table"]
        lines.append(f"| {r['like']} | {r['students']} | {r['classroom_s']:.1f} | "
                     f"{r['estimate_mean_s']:.1f} / {r['estimate_max_s']:.1f} | "
                     f"{r['grade_s']:.1f} | {t['mae_pp'].mean():.1f} | "
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
