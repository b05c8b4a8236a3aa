"""``congresslab explorer``: the kernel-free scenario explorer pages (``reports/html/``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``explorer`` sub-command."""
    p = subparsers.add_parser(
        "explorer", help="write the kernel-free scenario explorer pages",
        description="Write explorer-<year>.html (sliders over precomputed national scenarios, "
                    "its JavaScript inlined) for every two-round congress, or the years given.")
    p.add_argument("years", nargs="*", type=int, help="default: every two-round congress")
    p.add_argument("--out", type=Path, default=None, help="folder (default reports/html/)")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Check the folder and the years, then write the pages."""
    # the notebooks extra, before anything is written (cli.main says how to install it)
    import altair  # noqa: F401
    import vl_convert  # noqa: F401

    from congresslab import paths
    from congresslab.explorer import two_round_congresses, write_explorers

    out = paths.HTML if args.out is None else Path(args.out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out}: is a file, not a folder")
    # never under data/raw/; a missing folder is made (its parent must exist)
    paths.check_output("--out", out / "explorer.html" if out.is_dir() else out)
    known = two_round_congresses()
    unknown = [y for y in args.years if y not in known]
    if unknown:
        raise ValueError(f"no scenario explorer for {', '.join(map(str, unknown))}: the "
                         f"two-round congresses with a national table are {known}")
    for path in write_explorers(out, args.years or None):
        print(f"explorer: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0
