"""``congresslab build-data``: rebuild ``data/processed/`` from ``data/raw/``."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``build-data`` sub-command."""
    p = subparsers.add_parser("build-data", help="rebuild data/processed/ from data/raw/")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Rebuild the processed tables and list them with their row counts."""
    from congresslab import paths
    from congresslab.data.clean import build_data
    from congresslab.data.coverage import write_coverage_report

    written = build_data()
    for name, path in written.items():
        with open(path, encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
        print(f"{name:<22} {rows:>4} rows  {path.relative_to(paths.ROOT)}")
    print(f"coverage report             {write_coverage_report().relative_to(paths.ROOT)}")
    return 0
