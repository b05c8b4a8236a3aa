"""``congresslab classroom``: a SIMULATED congress per student, the answer key and a handout."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from congresslab.errors import ClassroomError

__all__ = ["add_parser", "run", "nonneg_int", "fail"]


def nonneg_int(text: str) -> int:
    """``--students``, ``--like``, ``--seed``: an integer (checked by the kit)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``classroom`` to an :mod:`argparse` sub-parser collection (``func=run``).

    Examples
    --------
    >>> p = argparse.ArgumentParser(prog="congresslab")
    >>> sp = add_parser(p.add_subparsers(dest="command"))
    >>> a = p.parse_args(["classroom", "--students", "3", "--out", "kit"])
    >>> a.like, a.seed, a.func is run
    (2025, 0, True)
    """
    p = subparsers.add_parser(
        "classroom",
        help="write a SIMULATED congress per student, the answer key and a handout",
        description="Classroom kit: DIR/student-NN.csv (one SIMULATED federation table per "
        "student, distinct seeds and heterogeneity), DIR/key.csv (the true transfers) and "
        "DIR/handout.md (the exercise).")
    p.add_argument("--students", type=nonneg_int, required=True, help="number of students")
    p.add_argument("--like", type=nonneg_int, default=2025,
                   help="congress whose official totals are reproduced: 2018, 2023 or 2025 "
                   "(default 2025)")
    p.add_argument("--seed", type=nonneg_int, default=0, help="class seed (default 0)")
    p.add_argument("--out", type=Path, required=True, help="folder to write")
    p.add_argument("--method", default="lp",
                   help="method the handout suggests (default lp: a few seconds)")
    p.add_argument("--force", action="store_true",
                   help="write into an existing non-empty folder")
    p.set_defaults(func=run)
    return p


def fail(command: str, err: Exception) -> int:
    print(f"congresslab {command}: error: {err}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Run ``congresslab classroom``; returns the exit code (2: bad input)."""
    start = time.perf_counter()
    try:
        from congresslab.classroom import make_classroom

        kit = make_classroom(args.students, like=args.like, seed=args.seed, out=args.out,
                             force=args.force, method=args.method)
    except (ClassroomError, OSError) as err:
        return fail("classroom", err)
    print(f"SIMULATED classroom {kit.exercise}: {len(kit.students)} student tables, key.csv and "
          f"handout.md written to {args.out} ({time.perf_counter() - start:.1f} s)")
    print(f"grade with: congresslab grade --key {args.out / 'key.csv'} RESULTS_FOLDER")
    return 0
