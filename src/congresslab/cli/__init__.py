"""Command-line interface: ``congresslab build-data | info | estimate | simulate | classroom |
grade | explorer | report``.

One module per command; each adds its sub-parser (``add_parser``) and runs it (``run``).
Sub-commands import the heavy parts of the package (pandas, statsmodels, numba) only when
they run, so that ``congresslab --help`` answers at once.

Bad input ends with a one-line message on stderr and exit code 2, never a traceback;
``--traceback`` shows the traceback instead (to report a bug). So does a command run without
the optional modules it needs (``explorer`` and ``report`` need the ``notebooks`` extra): the
message names the module and how to install it.

Examples
--------
>>> build_parser().parse_args(["info"]).command
'info'
"""

from __future__ import annotations

import argparse
import sys
import traceback
import warnings
from collections.abc import Sequence

from congresslab import __version__
from congresslab.cli import (
    build_data,
    classroom,
    estimate,
    explorer,
    grade,
    info,
    report,
    simulate,
)
from congresslab.errors import os_message

__all__ = ["main", "build_parser", "missing_extra"]

_COMMANDS = (build_data, info, estimate, simulate, classroom, grade, explorer, report)
#: Commands that read the project's data: they say which root they use when it is not the
#: package's own (a copy of the checkout, CONGRESSLAB_ROOT).
_READ_DATA = ("build-data", "info", "simulate", "report")
#: Modules of the ``notebooks`` extra of pyproject.toml (and what they bring: nbformat,
#: nbclient, jupyter_client) that commands import when they run. Any other missing module
#: is a bug and keeps its traceback.
_NOTEBOOKS_EXTRA = frozenset({"altair", "vl_convert", "nbformat", "nbconvert", "nbclient",
                              "jupyter_client", "ipykernel", "ipywidgets"})


def missing_extra(module: str) -> str:
    """The message for a module of the ``notebooks`` extra that is not installed.

    Examples
    --------
    >>> missing_extra("altair")[:52]
    "needs the module 'altair', which is not installed: i"
    """
    return (f"needs the module '{module}', which is not installed: install the notebooks "
            "extra with pip install 'congresslab[notebooks]' (or make venv in a checkout)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``congresslab`` command."""
    parser = argparse.ArgumentParser(
        prog="congresslab",
        description="Sourced results of party congresses and vote-transfer estimation.")
    parser.add_argument("--version", action="version", version=f"congresslab {__version__}")
    parser.add_argument("--traceback", action="store_true",
                        help="show the full traceback of an error (to report a bug)")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in _COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 success, 2 bad input)."""
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings():  # paths warns on import: said here once, as a note
        warnings.simplefilter("ignore")
        from congresslab.paths import root_note
    if args.command in _READ_DATA:
        if note := root_note():
            print(f"note: {note}", file=sys.stderr)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except ModuleNotFoundError as err:  # a base install without the notebooks extra
        module = (err.name or "").partition(".")[0]
        if module not in _NOTEBOOKS_EXTRA:
            raise
        if args.traceback:
            traceback.print_exc()
        print(f"congresslab {args.command}: error: {missing_extra(module)}", file=sys.stderr)
        return 2
    except (ValueError, OSError, KeyError) as err:
        # OSError: a missing file, an output path that is a directory or in a missing
        # directory, no permission...
        if args.traceback:
            traceback.print_exc()
        if isinstance(err, KeyError) and err.args:
            message = err.args[0]
        elif isinstance(err, OSError):
            message = os_message(err)
        else:
            message = err
        print(f"congresslab {args.command}: error: {message}", file=sys.stderr)
        return 2
