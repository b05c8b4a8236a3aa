"""``congresslab simulate``: write a SIMULATED congress (unit table and truth) as CSV."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from congresslab.sim.defaults import DEFAULT_DISPERSION

__all__ = [
    "add_parser",
    "run",
    "check_simulate_args",
    "MAX_DISPERSION",
    "MAX_N_FEDERATIONS",
]

#: Largest ``--dispersion`` accepted. It is a standard deviation on the log-odds scale: at
#: 10 a one-sigma lean already multiplies a motion's odds by e^10 (about 22,000), so every
#: federation votes almost unanimously; from about 300 on, ``exp`` overflows and the
#: simulation fails. The calibrated default is 0.6.
MAX_DISPERSION: float = 10.0
#: Largest ``--n-federations`` accepted: the controlled rounding of the round-2 table grows
#: quickly with the number of units (from seconds at 2,000 units to minutes beyond), and
#: national totals of a few tens of thousands of members leave only a handful per unit.
MAX_N_FEDERATIONS: int = 2000


def check_simulate_args(args: argparse.Namespace) -> None:
    """Validate the options of ``congresslab simulate`` before anything is computed.

    Raises
    ------
    ValueError
        Naming the option: ``--dispersion`` not finite or outside ``[0, MAX_DISPERSION]``,
        ``--seed`` negative, ``--n-federations`` outside ``[2, MAX_N_FEDERATIONS]``, an
        output path that is a directory or in a missing directory, or ``--truth`` naming the
        same file as ``--out`` (it would overwrite the unit table), or an output under
        ``data/raw/``.

    Examples
    --------
    >>> ns = argparse.Namespace(dispersion=float("nan"), seed=0, n_federations=None,
    ...                         out="u.csv", truth=None)
    >>> check_simulate_args(ns)
    Traceback (most recent call last):
    ...
    ValueError: --dispersion must be a finite number between 0 and 10 (default 0.6), got nan
    """
    d = args.dispersion
    if not (math.isfinite(d) and 0 <= d <= MAX_DISPERSION):
        raise ValueError(
            f"--dispersion must be a finite number between 0 and {MAX_DISPERSION:g} "
            f"(default {DEFAULT_DISPERSION:g}), got {d:g}"
        )
    if args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {args.seed}")
    n = args.n_federations
    if n is not None and not 2 <= n <= MAX_N_FEDERATIONS:
        raise ValueError(f"--n-federations must be between 2 and {MAX_N_FEDERATIONS}, got {n}")
    from congresslab.paths import check_output  # never under data/raw/, never a directory

    for option, path in (("--out", args.out), ("--truth", args.truth)):
        if path is not None and Path(path).suffix.lower() not in (".csv", ".txt", ""):
            raise ValueError(f"{option} {path}: simulate writes CSV text; give a .csv file "
                             f"name, not {Path(path).suffix}")
    check_output("--out", args.out)
    if args.truth is not None:
        check_output("--truth", args.truth)
        if Path(args.out).resolve() == Path(args.truth).resolve():  # symlinks too
            raise ValueError(
                f"--truth {args.truth} is the same file as --out {args.out}: the truth table "
                "would overwrite the unit table; give two different files"
            )


def _no_totals(party: str, like: int, err: ValueError) -> str | None:
    """The command-line message when ``--like`` (and ``--party``) name no simulable vote.

    ``None`` when the vote is simulable (``err`` is about something else). The Python API's
    message advises ``totals=CongressTotals(...)``, which the command line cannot pass: say
    instead which options work, from :func:`congresslab.sim.totals.simulable_votes`.
    """
    from congresslab.sim.totals import simulable_votes

    votes = simulable_votes()
    if (party, like) in votes:
        return None
    options = f"--like {like}" if party == "PS" else f"--party {party} --like {like}"
    reason = str(err)
    if party == "PS":
        reason = f"no PS congress of {like} with enough published national totals"
    elif reason.startswith("like="):  # the Python spelling: say it without the arguments
        reason = f"no two-round members' vote of {party} in {like} in the data"
    ps = [str(year) for p, year in votes if p == "PS"]
    works = [f"--like {', '.join(ps[:-1])} or {ps[-1]} (PS)" if len(ps) > 1 else
             f"--like {ps[0]} (PS)"]
    works += [f"--party {p} --like {year}" for p, year in votes if p != "PS"]
    return f"{options}: {reason}; what works: {' or '.join(works)}"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``simulate`` sub-command to an :mod:`argparse` sub-parser collection.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(prog="congresslab")
    >>> sp = add_parser(p.add_subparsers(dest="command"))
    >>> p.parse_args(["simulate", "--out", "u.csv"]).like
    2025
    """
    p = subparsers.add_parser(
        "simulate",
        help="write a SIMULATED congress (unit table and truth) with known transfers",
        description="Simulate a two-round congress at federation level whose national "
        "totals equal a real one (PS 2018, 2023, 2025; LR 2022 with --party LR). Output "
        "files carry a SIMULATED first column.",
    )
    p.add_argument(
        "--like",
        type=int,
        default=2025,
        help="year of the vote whose official national totals are reproduced (default 2025; "
        "PS: 2018, 2023, 2025)",
    )
    p.add_argument("--party", default="PS",
                   help="party of that vote (default PS; LR for --like 2022)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same files)")
    p.add_argument("--out", required=True, help="unit table CSV to write")
    p.add_argument("--truth", default=None, help="long truth table CSV to write")
    p.add_argument(
        "--dispersion",
        type=float,
        default=DEFAULT_DISPERSION,
        help=f"federation heterogeneity (default {DEFAULT_DISPERSION}, calibrated on 2025)",
    )
    p.add_argument(
        "--n-federations",
        type=int,
        default=None,
        help="synthetic units instead of the 102 real federations",
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace | Sequence[str]) -> int:
    """Run the ``simulate`` sub-command (parsed namespace or argv list).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = str(pathlib.Path(d) / "units.csv")
    ...     run(["--like", "2025", "--seed", "1", "--out", out])
    SIMULATED congress like 2025 (seed 1): 102 federations written to units.csv
    0
    """
    if not isinstance(args, argparse.Namespace):
        parser = argparse.ArgumentParser(prog="congresslab")
        add_parser(parser.add_subparsers(dest="command"))
        args = parser.parse_args(["simulate", *args])
    check_simulate_args(args)
    from congresslab.sim.congress import simulate_congress

    try:
        sim = simulate_congress(
            like=args.like, party=args.party, seed=args.seed, dispersion=args.dispersion,
            n_federations=args.n_federations,
        )  # fmt: skip
    except ValueError as err:
        raise ValueError(_no_totals(args.party, args.like, err) or str(err)) from err
    sim.to_csv(args.out, args.truth)
    like = f"{args.party} {args.like}" if args.party != "PS" else str(args.like)
    msg = f"SIMULATED congress like {like} (seed {args.seed}): {len(sim.units)} federations"
    msg += f" written to {Path(args.out).name}"
    if args.truth:
        msg += f", truth to {Path(args.truth).name}"
    print(msg)
    return 0
