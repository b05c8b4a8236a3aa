"""``congresslab estimate``: transfer estimation from a CSV file.

Wire it into the top-level parser with :func:`add_estimate_parser`; the sub-command calls
:func:`run_estimate`. :func:`main` runs it stand-alone (used by the tests)::

    congresslab estimate units.csv --unit federation --origin a,b,c --destination x,y \\
        [--method auto|bounds|goodman|lp|bayes] [--margins POLICY] [--seed N] [--alpha A] \\
        [--constrained] [--prior-rate RATE] [--json OUT|-] [--quiet]

Bad input prints a one-line ``error: ...`` message on stderr and exits with code 2.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="congresslab")
>>> sub = parser.add_subparsers(dest="command")
>>> p = add_estimate_parser(sub)
>>> args = parser.parse_args(["estimate", "f.csv", "--origin", "a,b", "--destination", "x,y"])
>>> args.method, args.origin, args.func is run_estimate
('auto', ['a', 'b'], True)
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from congresslab.transfers.api import METHODS, estimate
from congresslab.transfers.data import MARGINS_POLICIES, UnitTableError

__all__ = ["add_estimate_parser", "run_estimate", "main"]


def _names(s: str) -> list[str]:
    names = [x.strip() for x in s.split(",") if x.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected a comma-separated list of column names")
    return names


def add_estimate_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``estimate`` sub-command to an ``argparse`` sub-parsers object.

    Sets ``func=run_estimate`` as the parser default, so the caller can dispatch with
    ``return args.func(args)``.
    """
    p = subparsers.add_parser(
        "estimate",
        help="estimate vote transfers between two rounds from a CSV of unit counts",
        description="Estimate origin -> destination transfer shares (ecological inference) "
        "from a CSV file with one row per unit.",
    )
    p.add_argument("file", type=Path, help="CSV file, one row per unit")
    p.add_argument("--unit", default=None, help="column with unit ids (default: row number)")
    p.add_argument("--origin", type=_names, required=True, help="origin columns, comma-separated")
    p.add_argument(
        "--destination", type=_names, required=True, help="destination columns, comma-separated"
    )
    p.add_argument("--method", choices=METHODS, default="auto", help="estimator (default auto)")
    p.add_argument(
        "--margins",
        choices=MARGINS_POLICIES,
        default="auto",
        help="policy when origin and destination totals differ (default auto)",
    )
    p.add_argument(
        "--constrained",
        action="store_true",
        help="goodman only: fit on the simplex (shares in [0, 1], rows summing to 1)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--alpha", type=float, default=0.05, help="interval level 1-alpha (0.05)")
    p.add_argument(
        "--prior-rate",
        type=float,
        default=None,
        metavar="RATE",
        help="bayes only: fix the rate of the Gamma(4, RATE) prior on the Dirichlet "
        "parameters (default: learned from the data; 0.5 is PyEI's prior, 2 eiPack's)",
    )
    p.add_argument(
        "--json",
        metavar="OUT",
        default=None,
        help="write the results as JSON to OUT ('-' for stdout)",
    )
    p.add_argument("--quiet", action="store_true", help="no table, no progress bars")
    p.set_defaults(func=run_estimate)
    return p


def _error(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def _separator(path: Path) -> str:
    """The field separator of a CSV file: ``,``, ``;`` (French spreadsheets) or a tab,
    whichever is most frequent on the header line (``,`` when the file cannot be read: the
    reader then reports the problem)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline()
    except OSError:
        return ","
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else ","


def _where(exc: Exception) -> str:
    """``", line 6"`` for an error about data rows (header = line 1, one line per row).

    Examples
    --------
    >>> _where(UnitTableError("bad", rows=[4])), _where(UnitTableError("bad", rows=[0, 3, 9]))
    (', line 6', ', lines 2, 5, 11')
    >>> _where(ValueError("bad"))
    ''
    """
    rows = getattr(exc, "rows", [])
    if not rows:
        return ""
    shown = ", ".join(str(r + 2) for r in rows[:5])
    more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
    return f", line{'s' if len(rows) > 1 else ''} {shown}{more}"


def _cli_spelling(msg: str) -> str:
    """Python option spellings in a message, as command-line options.

    Examples
    --------
    >>> _cli_spelling("choose margins='rescale' or margins='entry_exit'")
    'choose --margins rescale or --margins entry_exit'
    """
    return re.sub(r"margins='(\w+)'", r"--margins \1", msg)


def run_estimate(args: argparse.Namespace) -> int:
    """Run the ``estimate`` sub-command; returns the exit code."""
    if not 0 < args.alpha < 1:
        return _error(f"--alpha must be between 0 and 1, got {args.alpha}")
    options = {}
    if args.prior_rate is not None:
        if args.method != "bayes":
            return _error(f"--prior-rate applies to --method bayes, not {args.method}")
        if not args.prior_rate > 0:
            return _error(f"--prior-rate must be positive, got {args.prior_rate}")
        options["lambda2"] = args.prior_rate
    if args.constrained:
        if args.method != "goodman":
            return _error(f"--constrained applies to --method goodman, not {args.method}")
        options["constrained"] = True
    try:
        df = pd.read_csv(args.file, sep=_separator(args.file))
    except FileNotFoundError:
        return _error(f"no such file: {args.file}")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return _error(f"cannot read {args.file} as CSV: {str(exc).splitlines()[0]}")
    to_stdout = args.json == "-"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = estimate(
                df,
                args.method,
                unit=args.unit,
                origin=args.origin,
                destination=args.destination,
                margins=args.margins,
                seed=args.seed,
                alpha=args.alpha,
                progress=not args.quiet,
                **options,
            )
    except (UnitTableError, ValueError, ImportError) as exc:
        return _error(f"{args.file}{_where(exc)}: {_cli_spelling(str(exc))}")
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    if not args.quiet and not to_stdout:
        print(res.summary())
    if args.json is not None:
        text = res.to_json()
        if to_stdout:
            print(text)
        else:
            try:
                Path(args.json).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                return _error(f"cannot write {args.json}: {exc}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Stand-alone entry point: ``main(["estimate", "file.csv", ...])`` or without the verb."""
    parser = argparse.ArgumentParser(prog="congresslab")
    sub = parser.add_subparsers(dest="command", required=True)
    add_estimate_parser(sub)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] != "estimate":
        argv = ["estimate", *argv]
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
