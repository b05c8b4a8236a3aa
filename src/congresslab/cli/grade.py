"""``congresslab grade``: score students' results against the classroom key."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from congresslab.cli.classroom import fail
from congresslab.errors import ClassroomError

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``grade`` to an :mod:`argparse` sub-parser collection (``func=run``).

    Examples
    --------
    >>> p = argparse.ArgumentParser(prog="congresslab")
    >>> sp = add_parser(p.add_subparsers(dest="command"))
    >>> a = p.parse_args(["grade", "--key", "k.csv", "--student", "01", "r.json"])
    >>> a.student, a.func is run
    ('01', True)
    """
    p = subparsers.add_parser(
        "grade",
        help="grade a student's `congresslab estimate --json` result, or a folder of them",
        description="Score results against the classroom key: error on the asked cells in "
        "points, whether the truth is inside the interval, and a comment.")
    p.add_argument("--key", type=Path, required=True, help="key.csv of the classroom kit")
    p.add_argument("--student", default=None,
                   help="student number (default: from the result's file name)")
    p.add_argument("--csv", type=Path, default=None, metavar="OUT",
                   help="also write the grade (or class table) as CSV to OUT")
    p.add_argument("result", type=Path, help="result file (JSON or CSV) or folder of results")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run ``congresslab grade``; returns the exit code (2: bad input)."""
    import pandas as pd

    from congresslab.classroom import grade
    from congresslab.paths import check_output

    try:
        out = grade(args.key, args.result, args.student)
        if args.csv is not None:
            check_output("--csv", args.csv, inputs=[args.key, args.result])
            table = out if isinstance(out, pd.DataFrame) else out.cells.assign(
                SIMULATED=True, student=out.student, comment=out.comment)
            table.to_csv(args.csv, index=False, lineterminator="\n")
    except (ClassroomError, OSError) as err:
        return fail("grade", err)
    if isinstance(out, pd.DataFrame):
        with pd.option_context("display.width", 160, "display.max_colwidth", 80):
            print("SIMULATED exercise — class table")
            print(out.drop(columns="SIMULATED").to_string(index=False))
    else:
        print(out)
    return 0
