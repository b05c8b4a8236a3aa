"""Command-line interface: ``congresslab build-data | info | estimate | simulate``.

Bad input ends with a one-line message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from congresslab import __version__, paths
from congresslab.clean import build_data
from congresslab.load import congresses, load_turnout_conflicts

__all__ = ["main", "build_parser"]


def _build_data(args: argparse.Namespace) -> int:
    from congresslab.coverage import write_coverage_report

    written = build_data()
    for name, path in written.items():
        rows = sum(1 for _ in open(path, encoding="utf-8")) - 1
        print(f"{name:<22} {rows:>4} rows  {path.relative_to(paths.ROOT)}")
    print(f"coverage report             {write_coverage_report().relative_to(paths.ROOT)}")
    return 0


def _info(args: argparse.Namespace) -> int:
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print("Congresses and elections in data/processed/ (every party; coverage: full, "
              "partial or missing, see reports/data_coverage.md):\n")
        print(congresses(party=None).to_string(index=False))
        print("\nFigures on which sources disagree:\n")
        conflicts = load_turnout_conflicts()
        print(conflicts[["congress_year", "round", "metric", "value_used", "alternative",
                         "alternative_source"]].to_string(index=False))
    return 0


def _os_message(err: OSError) -> str:
    """``"/tmp: Is a directory"``: the file first, then what went wrong.

    Examples
    --------
    >>> _os_message(IsADirectoryError(21, "Is a directory", "/tmp"))
    '/tmp: Is a directory'
    >>> _os_message(OSError("Cannot save file into a non-existent directory: '/nope'"))
    "Cannot save file into a non-existent directory: '/nope'"
    """
    if err.filename is not None and err.strerror:
        names = [str(err.filename)] + ([str(err.filename2)] if err.filename2 else [])
        return f"{' -> '.join(names)}: {err.strerror}"
    return str(err)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``congresslab`` command."""
    from congresslab.simulate import add_simulate_parser
    from congresslab.transfers.cli import add_estimate_parser

    parser = argparse.ArgumentParser(
        prog="congresslab",
        description="Sourced results of Parti socialiste congresses and vote-transfer "
                    "estimation.")
    parser.add_argument("--version", action="version", version=f"congresslab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build-data", help="rebuild data/processed/ from data/raw/")
    p.set_defaults(func=_build_data)
    p = sub.add_parser("info", help="what congresses, rounds and statuses exist")
    p.set_defaults(func=_info)
    add_estimate_parser(sub)
    add_simulate_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 success, 2 bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except (ValueError, OSError, KeyError) as err:
        # OSError: a missing file, an output path that is a directory or in a missing
        # directory, no permission...
        if isinstance(err, KeyError) and err.args:
            message = err.args[0]
        elif isinstance(err, OSError):
            message = _os_message(err)
        else:
            message = err
        print(f"congresslab {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
