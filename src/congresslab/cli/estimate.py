"""``congresslab estimate``: transfer estimation from a CSV file.

Wire it into the top-level parser with :func:`add_parser`; the sub-command calls
:func:`run`::

    congresslab estimate units.csv --unit federation --origin a,b,c --destination x,y \\
        [--method auto|bounds|goodman|lp|bayes] [--margins POLICY] [--seed N] [--alpha A] \\
        [--constrained] [--prior-rate RATE] [--json OUT|-] [--quiet]

Bad input prints a one-line ``error: ...`` message on stderr and exits with code 2.

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
import csv
import io
import math
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

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
    p.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
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
    p.set_defaults(func=run)
    return p


def _error(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def _separator(header: str) -> str:
    """The field separator of a CSV file: ``,``, ``;`` (French spreadsheets) or a tab,
    whichever is most frequent on the header line (``,`` when there is none).

    Examples
    --------
    >>> _separator("fed;a;b,c"), _separator("fed\\ta\\tb"), _separator("fed")
    (';', '\\t', ',')
    """
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > 0 else ","


def _is_blank(record: list[str]) -> bool:
    """A line that :func:`pandas.read_csv` skips: empty or only white space."""
    return not record or (len(record) == 1 and not record[0].strip())


def _read_table(path: Path) -> tuple[pd.DataFrame, list[int] | None]:
    """Read a unit table; return it with the file line of each of its rows.

    Every record must have as many fields as the header: ``pandas.read_csv`` would
    otherwise either turn the first column into an index (one extra field on the first data
    row, which shifts every column and blames the wrong line and unit) or fill missing
    fields with NaN. Blank lines are skipped, as ``pandas`` does, and a quoted field may
    span lines: line numbers are those of the file (header = line 1 unless blank lines
    come first). The returned line list is ``None`` when it cannot be matched with the
    frame's rows.

    Raises
    ------
    TableReadError
        When records have a different number of fields from the header (their lines in
        ``lines``), or the file cannot be split into fields.
    OSError, UnicodeDecodeError
        When the file cannot be read as UTF-8 text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d) / "u.csv"
    ...     _ = f.write_text("fed,a,b\\n\\nf1,1,2\\nf2,3,4\\n")
    ...     df, lines = _read_table(f)
    ...     _ = f.write_text("fed,a,b\\nf1,1,2,9\\nf2,3,4\\n")
    ...     try:
    ...         _read_table(f)
    ...     except TableReadError as exc:
    ...         print(exc.lines, exc)
    [2] 4 fields where the header (line 1) has 3 (a value containing ',' must be quoted)
    >>> df["fed"].tolist(), lines  # the blank line 2 is skipped
    (['f1', 'f2'], [3, 4])
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    first = next((line for line in text.splitlines() if line.strip()), "")
    sep = _separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header_line, n_fields = 0, 0
    lines: list[int] = []
    bad: dict[int, int] = {}  # file line -> number of fields
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if _is_blank(record):
                continue
            if not header_line:
                header_line, n_fields = line, len(record)
                continue
            if len(record) != n_fields:
                bad[line] = len(record)
            lines.append(line)
    except csv.Error as exc:
        raise TableReadError(f"cannot split into fields: {exc}", lines=[start]) from None
    if bad:
        counts = sorted(set(bad.values()))
        shown = " or ".join(str(c) for c in counts)
        hint = f" (a value containing '{sep}' must be quoted)" if min(counts) > n_fields else ""
        raise TableReadError(
            f"{shown} field{'s' if counts != [1] else ''} where the header (line "
            f"{header_line}) has {n_fields}{hint}",
            lines=list(bad),
        )
    df = pd.read_csv(io.StringIO(text, newline=""), sep=sep)
    return df, (lines if len(lines) == len(df) else None)


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

    ``lines`` gives the file line of each row (from :func:`_read_table`); without it the
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
    """
    return re.sub(r"margins='(\w+)'", r"--margins \1", msg)


def run(args: argparse.Namespace) -> int:
    """Run the ``estimate`` sub-command; returns the exit code."""
    if not 0 < args.alpha < 1:
        return _error(f"--alpha must be between 0 and 1, got {args.alpha}")
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
    try:
        df, lines = _read_table(args.file)
    except FileNotFoundError:
        return _error(f"no such file: {args.file}")
    except OSError as exc:  # a directory, no permission...
        return _error(f"cannot read {args.file}: {exc.strerror or exc}")
    except TableReadError as exc:
        return _error(f"{args.file}{_lines(exc.lines)}: {exc}")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        return _error(f"cannot read {args.file} as CSV: {str(exc).splitlines()[0]}")
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
