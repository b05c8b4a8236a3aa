"""``congresslab info``: what congresses, rounds and statuses exist, and the conflicts."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``info`` sub-command."""
    p = subparsers.add_parser("info", help="what congresses, rounds and statuses exist")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Print the congresses and the figures on which sources disagree."""
    import pandas as pd

    from congresslab.data.load import congresses, load_turnout_conflicts

    with pd.option_context("display.width", 120, "display.max_columns", 20):
        print("Congresses and elections in data/processed/ (every party; coverage: full, "
              "partial or missing, see reports/data_coverage.md):\n")
        print(congresses(party=None).to_string(index=False))
        print("\nFigures on which sources disagree:\n")
        conflicts = load_turnout_conflicts()
        print(conflicts[["congress_year", "round", "metric", "value_used", "alternative",
                         "alternative_source"]].to_string(index=False))
    return 0
