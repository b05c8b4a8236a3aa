"""``congresslab report``: execute the notebooks and render them to HTML (or store outputs).

Also runs as ``python -m congresslab.report``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run", "main"]


def _arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("notebooks", nargs="+", type=Path)
    p.add_argument("--timeout", type=int, default=600, help="seconds per notebook (600)")
    p.add_argument("--store", action="store_true",
                   help="execute in place to store outputs for nbval (developers)")
    p.set_defaults(func=run)
    return p


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``report`` sub-command."""
    return _arguments(subparsers.add_parser(
        "report", help="execute notebooks and render them to reports/html/",
        description="Execute each notebook in a copy (figures go to reports/figures/), "
                    "render it to reports/html/ and write reports/html/index.html."))


def run(args: argparse.Namespace) -> int:
    """Render (or, with ``--store``, execute in place) the notebooks."""
    # the notebooks extra, before any notebook runs (cli.main says how to install it)
    import nbconvert  # noqa: F401
    import nbformat  # noqa: F401

    from congresslab import paths
    from congresslab.report import render_notebooks, store_outputs, write_index

    missing = [str(n) for n in args.notebooks if not Path(n).is_file()]
    if missing:
        raise ValueError(f"no such notebook: {', '.join(missing)}")
    if args.store:
        for notebook in args.notebooks:
            seconds = store_outputs(notebook, timeout=args.timeout)
            print(f"{notebook}: outputs stored ({seconds:.1f} s)")
        return 0
    timings = render_notebooks(args.notebooks, timeout=args.timeout)
    path = write_index(timings)
    total = sum(seconds for _, seconds in timings)
    print(f"{len(timings)} notebooks in {total:.1f} s; index: {path.relative_to(paths.ROOT)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m congresslab.report [--store] NOTEBOOK...``."""
    return run(_arguments(argparse.ArgumentParser(prog="python -m congresslab.report"))
               .parse_args(argv))
