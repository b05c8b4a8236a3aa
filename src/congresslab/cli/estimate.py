"""``congresslab estimate``: transfer estimation from a CSV or Excel file.

The file is read by :func:`congresslab.data.tables.read_table` (separator, encoding,
comments, Excel) and its counts by the package's number parser, as in every other reader.

Wire it into the top-level parser with :func:`add_parser`; the sub-command calls
:func:`run`::

    congresslab estimate units.csv --unit federation --origin a,b,c --destination x,y \\
        [--method auto|bounds|goodman|lp|bayes] [--margins POLICY] [--seed N] [--alpha A] \\
        [--constrained] [--prior-rate RATE] [--json OUT|-] [--quiet]

Bad input prints a one-line ``error: ...`` message on stderr (naming the file and line,
the column or the option) and exits with code 2; what was assumed (an encoding, a workbook
under another name, rescaled margins) is said in ``warning: ...`` lines. ``--json`` never
replaces the input file nor writes under ``data/raw/``.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="congresslab")
>>> sub = parser.add_subparsers(dest="command")
>>> p = add_parser(sub)
>>> args = parser.parse_args(["estimate", "f.csv", "--origin", "a,b", "--destination", "x,y"])
>>> args.method, args.origin, args.func is run
('auto', ['a', 'b'], True)
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from congresslab.errors import TableReadError, UnitTableError
from congresslab.transfers.options import MARGINS_POLICIES, METHODS

__all__ = ["add_parser", "run"]


def _names(s: str) -> list[str]:
    names = [x.strip() for x in s.split(",") if x.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected a comma-separated list of column names")
    return names


def _seed(s: str) -> int:
    """``--seed``: a non-negative integer (what :func:`numpy.random.default_rng` accepts).

    Examples
    --------
    >>> _seed("42")
    42
    >>> _seed("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a non-negative integer, got '-1'
    """
    try:
        value = int(s)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer, got {s!r}")
    return value


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``estimate`` sub-command to an ``argparse`` sub-parsers object.

    Sets ``func=run`` as the parser default, so the caller can dispatch with
    ``return args.func(args)``.
    """
    p = subparsers.add_parser(
        "estimate",
        help="estimate vote transfers between two rounds from a CSV of unit counts",
        description="Estimate origin -> destination transfer shares (ecological inference) "
        "from a CSV file with one row per unit.",
    )
    p.add_argument("file", type=Path,
                   help="CSV (, ; or tab; UTF-8 or latin-1) or .xlsx file, one row per unit")
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
    p.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    p.add_argument("--alpha", type=float, default=0.05,
                   help="error level: intervals at level 1 - alpha (default 0.05, 95 %%)")
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
    p.set_defaults(func=run)
    return p


def _error(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def _lines(numbers: Sequence[int]) -> str:
    """``", line 6"`` or ``", lines 2, 5, 11"`` (at most five shown).

    Examples
    --------
    >>> _lines([6]), _lines([2, 5, 11]), _lines(range(2, 10))
    (', line 6', ', lines 2, 5, 11', ', lines 2, 3, 4, 5, 6 and 3 more')
    >>> _lines([])
    ''
    """
    numbers = list(numbers)
    if not numbers:
        return ""
    shown = ", ".join(str(n) for n in numbers[:5])
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    return f", line{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _where(exc: Exception, lines: Sequence[int] | None = None) -> str:
    """``", line 6"`` for an error about data rows.

    ``lines`` gives the file line of each row (from the table reader); without it the
    header is line 1 and each row one line.

    Examples
    --------
    >>> _where(UnitTableError("bad", rows=[4])), _where(UnitTableError("bad", rows=[0, 3, 9]))
    (', line 6', ', lines 2, 5, 11')
    >>> _where(UnitTableError("bad", rows=[1]), lines=[2, 4, 5])
    ', line 4'
    >>> _where(ValueError("bad"))
    ''
    """
    rows = getattr(exc, "rows", [])
    if lines is not None and all(0 <= r < len(lines) for r in rows):
        return _lines([lines[r] for r in rows])
    return _lines([r + 2 for r in rows])


def _cli_spelling(msg: str) -> str:
    """Python option spellings in a message, as command-line options.

    Examples
    --------
    >>> _cli_spelling("choose margins='rescale' or margins='entry_exit'")
    'choose --margins rescale or --margins entry_exit'
    >>> _cli_spelling("alpha=0.95 is the error level")
    '--alpha 0.95 is the error level'
    >>> _cli_spelling("Pass lambda2=0.5 (PyEI) or lambda2=2 (eiPack).")
    'Pass --prior-rate 0.5 (PyEI) or --prior-rate 2 (eiPack).'
    >>> _cli_spelling("Use constrained=True (command line: --constrained) or another method.")
    'Use --constrained or another method.'
    """
    msg = re.sub(r"margins='(\w+)'", r"--margins \1", msg)
    msg = re.sub(r"\blambda2=", "--prior-rate ", msg)
    msg = re.sub(r"\bconstrained=True( \(command line: --constrained\))?", "--constrained", msg)
    return re.sub(r"\b(alpha|seed)=", r"--\1 ", msg)


def _cli_summary(res: Any) -> str:
    """The printed summary of ``res``, its notes in command-line spelling (:func:`_cli_spelling`).

    The notes are written for the Python API (``lambda2=0.5``); only they are respelled, not
    the table or the header.
    """
    summary = res.summary()
    text = str(summary)
    for note in summary.notes():
        text = text.replace(note, _cli_spelling(note))
    return text


def run(args: argparse.Namespace) -> int:
    """Run the ``estimate`` sub-command; returns the exit code."""
    from congresslab import paths
    from congresslab.data.tables import read_table
    from congresslab.transfers.api import check_arguments

    try:
        check_arguments(seed=args.seed, alpha=args.alpha)
    except (TypeError, ValueError) as exc:
        return _error(_cli_spelling(str(exc)))
    options = {}
    if args.prior_rate is not None:
        if args.method != "bayes":
            return _error(f"--prior-rate applies to --method bayes, not {args.method}")
        if not (args.prior_rate > 0 and math.isfinite(args.prior_rate)):
            return _error(f"--prior-rate must be positive and finite, got {args.prior_rate}")
        options["lambda2"] = args.prior_rate
    if args.constrained:
        if args.method != "goodman":
            return _error(f"--constrained applies to --method goodman, not {args.method}")
        options["constrained"] = True
    if args.json not in (None, "-"):
        try:
            paths.check_output("--json", args.json, inputs=[args.file])
        except ValueError as exc:
            return _error(str(exc))
    try:
        with warnings.catch_warnings(record=True) as read_warnings:
            warnings.simplefilter("always")
            table = read_table(args.file)
    except FileNotFoundError:
        return _error(f"no such file: {args.file}")
    except OSError as exc:  # a directory, no permission...
        return _error(f"cannot read {args.file}: {exc.strerror or exc}")
    except TableReadError as exc:
        return _error(f"{args.file}{_lines(exc.lines)}: {exc}")
    for w in read_warnings:
        print(f"warning: {w.message}", file=sys.stderr)
    if table.encoding == "xlsx" and args.file.suffix.lower() not in (".xlsx", ".xlsm"):
        print(f"warning: {args.file} is an Excel workbook: read its first sheet",
              file=sys.stderr)
    df, lines = table.frame(), table.lines
    from congresslab.transfers.api import estimate

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
        return _error(f"{args.file}{_where(exc, lines)}: {_cli_spelling(str(exc))}")
    for w in caught:
        print(f"warning: {_cli_spelling(str(w.message))}", file=sys.stderr)
    # the file first: a reader that closes stdout early (`| head`) cannot lose it
    if args.json is not None and not to_stdout:
        try:
            Path(args.json).write_text(res.to_json() + "\n", encoding="utf-8")
        except OSError as exc:
            return _error(f"cannot write {args.json}: {exc}")
    if to_stdout:
        print(res.to_json())
    elif not args.quiet:
        print(_cli_summary(res))
    return 0
