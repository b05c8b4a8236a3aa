"""Federations where both rounds of a runoff vote were published: real units, few and partial.

Press fragments (``load_federations``) rarely give a federation's two rounds completely:
round 1 is often shares only, sometimes of two candidates or of their sum, and figures
conflict. :func:`unit_versions` assembles, per federation, every version of the two rounds
the fragments allow (one row per combination of conflicting figures), saying how each
share was obtained; :func:`unit_transfer_bounds` gives, per version, the Duncan–Davis
bounds of one origin → one finalist and the value implied if the finalists' own voters were
loyal. Both work on shares of expressed votes and assume the same voters expressed a vote
in both rounds (the rounds' expressed totals are rarely both published); nothing is
smoothed or filled in beyond the arithmetic stated in the ``*_note`` columns.

Examples
--------
>>> import pandas as pd
>>> rows = [("1", "X", "share", "Hamon", 10.0), ("1", "X", "share", "Royal", 60.0),
...         ("2", "X", "votes", "Aubry", 400), ("2", "X", "votes", "Royal", 600)]
>>> frag = pd.DataFrame(rows, columns=["round", "federation", "metric", "candidate", "value"])
>>> frag["federation_code"] = "99"
>>> u = unit_versions(frag, candidates=["Royal", "Aubry", "Hamon"], finalists=["Aubry", "Royal"])
>>> u[["r1:Aubry", "r2:Aubry"]].values.tolist()
[[30.0, 40.0]]
>>> b = unit_transfer_bounds(u, origin="Hamon", destination="Aubry")
>>> b[["lower", "upper", "if_loyal"]].values.tolist()
[[0.0, 100.0, 100.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

import numpy as np
import pandas as pd

__all__ = ["unit_versions", "unit_transfer_bounds"]

_SUM_TOLERANCE = 0.15  # percentage points: rounding of three one-decimal shares


def _distinct(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        if all(abs(v - o) > 0.05 for o in out):
            out.append(v)
    return out


def _round1(rows: pd.DataFrame, candidates: Sequence[str]) -> list[tuple[dict, str]]:
    shares = rows[rows["metric"] == "share"]
    per: dict[str, list[float]] = {}
    for label, g in shares.groupby("candidate", sort=False):
        per[str(label)] = _distinct([float(v) for v in g["value"]])
    votes = rows[rows["metric"] == "votes"]
    if set(candidates) <= set(votes["candidate"].dropna()):
        counts = {c: float(votes[votes["candidate"] == c]["value"].iloc[0]) for c in candidates}
        total = sum(counts.values())
        per = {c: [100 * counts[c] / total] for c in candidates}
        base_note = "round 1 from counts"
    else:
        base_note = "round 1 from published shares"
    versions = []
    labels = list(per)
    for combo in product(*(per[k] for k in labels)):
        known = dict(zip(labels, combo, strict=True))
        notes = [base_note]
        singles = [c for c in candidates if c in known]
        groups = [k for k in known if "+" in k]
        missing = [c for c in candidates if c not in known
                   and not any(c in g.split("+") for g in groups)]
        if len(missing) == 1:
            known[missing[0]] = 100 - sum(known.values())
            notes.append(f"{missing[0]} derived as 100 − the others")
        elif len(missing) > 1:
            label = "+".join(missing)
            known[label] = 100 - sum(known.values())
            notes.append(f"only {', '.join(singles + groups)} published: {label} = 100 − that")
        total = sum(known.values())
        if abs(total - 100) > _SUM_TOLERANCE:
            notes.append(f"published shares sum to {total:.1f} (flagged): rescaled to 100 for "
                         "the arithmetic")
            known = {k: 100 * v / total for k, v in known.items()}
        versions.append((known, "; ".join(notes)))
    return versions


def _round2(rows: pd.DataFrame, finalists: Sequence[str]) -> list[tuple[dict, str]]:
    a, b = finalists
    out: list[tuple[dict, str]] = []
    votes = rows[rows["metric"] == "votes"]
    va = [float(v) for v in votes[votes["candidate"] == a]["value"]]
    vb = [float(v) for v in votes[votes["candidate"] == b]["value"]]
    for x, y in product(_distinct(va), _distinct(vb)):
        out.append(({a: 100 * x / (x + y), b: 100 * y / (x + y)},
                    f"runoff counts {a} {x:,.0f} / {b} {y:,.0f}"))
    shares = rows[rows["metric"] == "share"]
    for f, other in ((a, b), (b, a)):
        for v in _distinct([float(s) for s in shares[shares["candidate"] == f]["value"]]):
            out.append(({f: v, other: 100 - v}, f"runoff share {f} {v:g} % published"))
    kept: list[tuple[dict, str]] = []
    for shares_, note in out:  # the same split published twice is one version
        if all(abs(shares_[a] - k[a]) > 0.05 for k, _ in kept):
            kept.append((shares_, note))
    return kept


def unit_versions(fragments: pd.DataFrame, *, candidates: Sequence[str],
                  finalists: Sequence[str], first_round: str = "1",
                  runoff: str = "2") -> pd.DataFrame:
    """Every version of both rounds in the federations that published both.

    Parameters
    ----------
    fragments
        Per-federation fragments as returned by ``load_federations`` (columns ``round``,
        ``federation_code``, ``federation``, ``metric``, ``candidate``, ``value``).
    candidates
        Round-1 candidates; a fragment's candidate ``"A+B"`` is the sum of two.
    finalists
        The two runoff candidates.
    first_round, runoff
        The ``round`` labels of the two rounds.

    Returns
    -------
    pandas.DataFrame
        One row per federation and version: ``r1:<label>`` (% of expressed; labels may be
        sums such as ``Aubry+Hamon``), ``r2:<finalist>`` (% of the finalists' votes),
        ``r1_note``, ``r2_note``, ``source_flags`` (PARTIAL, rounded, APPROX, CONFLICT or
        typo where the fragments' statuses say so).

    Raises
    ------
    ValueError
        If ``finalists`` are not two of ``candidates`` or a column is missing.
    """
    need = {"round", "federation_code", "federation", "metric", "candidate", "value"}
    if not need <= set(fragments.columns):
        raise ValueError(f"fragments lack columns {sorted(need - set(fragments.columns))}")
    if len(finalists) != 2 or not set(finalists) <= set(candidates):
        raise ValueError(f"finalists {list(finalists)} must be two of {list(candidates)}")
    frag = fragments[fragments["metric"].isin(["share", "votes"])
                     & fragments["candidate"].notna()]
    rows = []
    for code, g in frag.groupby("federation_code", sort=True):
        one = g[g["round"].astype(str) == first_round]
        two = g[g["round"].astype(str) == runoff]
        if one.empty or two.empty:
            continue
        name = str(g["federation"].iloc[0])
        v1, v2 = _round1(one, candidates), _round2(two, finalists)
        status = " ".join(g["status"].fillna("").astype(str)) if "status" in g else ""
        flags = ", ".join(w for w in ("PARTIAL", "rounded", "APPROX", "CONFLICT", "typo")
                          if w.lower() in status.lower())
        for i, ((s1, n1), (s2, n2)) in enumerate(product(v1, v2), start=1):
            row = {"federation_code": code, "federation": name, "version": i}
            row.update({f"r1:{k}": round(v, 2) for k, v in s1.items()})
            row.update({f"r2:{k}": round(v, 2) for k, v in s2.items()})
            row.update({"r1_note": n1, "r2_note": n2, "source_flags": flags})
            rows.append(row)
    out = pd.DataFrame(rows)
    first = [c for c in out.columns if c.startswith("r1:")]
    second = [f"r2:{f}" for f in finalists]
    return out[["federation_code", "federation", "version", *first, *second,
                "r1_note", "r2_note", "source_flags"]]


def unit_transfer_bounds(units: pd.DataFrame, *, origin: str, destination: str
                         ) -> pd.DataFrame:
    """Duncan–Davis bounds (%) of ``origin`` → ``destination`` in each unit version.

    With shares ``x`` (origin, round 1) and ``t`` (destination, runoff) of the same
    expressed voters, the share of the origin's voters who went to the destination lies in
    ``[max(0, x + t − 100) / x, min(x, t) / x]``. ``if_loyal`` is the value implied when
    every round-1 voter of the two finalists voted for the same finalist again
    (destination's gain over its round-1 share, divided by ``x``; NaN if outside [0, 100]
    or if the origin is only known inside a sum).
    Where the origin's share is published only inside a sum (e.g. ``Aubry+Hamon``) the
    bounds are those of the sum, and ``origin_used`` says so.

    Returns
    -------
    pandas.DataFrame
        ``federation``, ``version``, ``origin_used``, ``origin_pct``, ``destination_pct``,
        ``lower``, ``upper``, ``if_loyal``.

    Raises
    ------
    ValueError
        If ``destination`` is not a runoff column of ``units``.
    """
    if f"r2:{destination}" not in units.columns:
        raise ValueError(f"destination {destination!r} is not a finalist of these units "
                         f"({[c[3:] for c in units.columns if c.startswith('r2:')]})")
    rows = []
    for rec in units.to_dict("records"):
        labels = [c[3:] for c in units.columns if c.startswith("r1:")
                  and pd.notna(rec[c]) and origin in c[3:].split("+")]
        if not labels:
            continue
        label = labels[0]
        x, t = float(rec[f"r1:{label}"]), float(rec[f"r2:{destination}"])
        lo = max(0.0, x + t - 100) / x if x > 0 else 0.0
        hi = min(x, t) / x if x > 0 else 1.0
        own = rec.get(f"r1:{destination}")
        loyal = ((t - float(own)) / x if label == origin and own is not None and pd.notna(own)
                 and x > 0 else np.nan)
        rows.append({"federation": rec["federation"], "version": rec["version"],
                     "origin_used": label, "origin_pct": round(x, 2),
                     "destination_pct": round(t, 2), "lower": round(100 * lo, 1),
                     "upper": round(100 * hi, 1),
                     "if_loyal": round(100 * loyal, 1) if 0 <= loyal <= 1 else np.nan})
    return pd.DataFrame(rows)
