"""Published figures the simulator is anchored on, read from ``data/`` (never typed here).

* member counts published for single federations (``load_federations(metric="members")``);
* counts of small and large federations (``load_federation_summaries``);
* federations named among the largest, and registered totals assumed where none was
  published (``data/raw/simulation_anchors.csv``, each row with its source and quote);
* each candidate's home federation, a modelling assumption
  (``data/assumptions/home_federations.csv``).

Examples
--------
>>> published_members(2025)["75"]
3181
>>> size_facts(), large_federations(2025)
((17, 10), ['59', '62', '76', '93'])
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from congresslab import paths
from congresslab.data.raw import read_raw

__all__ = [
    "published_members",
    "size_facts",
    "large_federations",
    "registered_assumed",
    "home_federations",
    "published_2025_facts",
]


@cache
def _anchors() -> pd.DataFrame:
    return read_raw("simulation_anchors.csv")


def published_members(year: int | None) -> dict[str, int]:
    """Federation code -> member count published for ``year`` (empty when none)."""
    return dict(_published_members(year))


@cache  # read once per process: every simulated congress needs it
def _published_members(year: int | None) -> tuple[tuple[str, int], ...]:
    from congresslab.data.load import load_federations

    if year is None:
        return ()
    m = load_federations(year, metric="members")
    m = m[m["federation_code"].notna() & m["value"].notna()]
    out: dict[str, int] = {}
    for code, value in zip(m["federation_code"], m["value"], strict=True):
        out.setdefault(str(code), int(float(value)))
    return tuple(out.items())


@cache  # read once per process: every simulated congress needs it
def size_facts(year: int = 2025) -> tuple[int, int]:
    """Published numbers of federations with at most 100 and with more than 1,000 members."""
    from congresslab.data.load import load_federation_summaries

    s = load_federation_summaries(year).set_index("statistic")["value"]
    return (int(s["federations_with_at_most_100_members"]),
            int(s["federations_with_more_than_1000_members"]))


def large_federations(year: int | None) -> list[str]:
    """Federations named by the press among those with more than 1,000 members."""
    a = _anchors()
    rows = a[(a["fact"] == "more_than_1000_members") & (a["congress_year"] == str(year))]
    return rows["federation"].tolist()


def registered_assumed(year: int) -> int:
    """Registered total used where none was published officially (``simulation_anchors``).

    Raises
    ------
    ValueError
        When ``data/raw/simulation_anchors.csv`` has no such row for ``year``.
    """
    a = _anchors()
    rows = a[(a["fact"] == "registered_members") & (a["congress_year"] == str(year))]
    if rows.empty:
        raise ValueError(f"no registered total published or assumed for {year} "
                         "(data/raw/simulation_anchors.csv)")
    return int(rows["value"].iloc[0])


@cache
def home_federations() -> dict[str, str]:
    """Option slug -> home federation code (a modelling assumption, not a sourced figure)."""
    h = pd.read_csv(paths.ASSUMPTIONS / "home_federations.csv", dtype=str)
    return dict(zip(h["option"], h["federation"], strict=True))


def published_2025_facts() -> dict[str, float]:
    """What a congress simulated like 2025 should reproduce: federation statistics and totals.

    Keys are those of :func:`congresslab.sim.realism_report`; values come from the processed
    tables (official 2025 figures and press summaries).
    """
    from congresslab.data.load import load_federation_summaries, load_turnout

    facts: dict[str, float] = {}
    for _, row in load_federation_summaries(2025).iterrows():
        key = row["statistic"] + (f" {row['option']}" if isinstance(row["option"], str) else "")
        facts[key] = float(row["value"])
    turnout = load_turnout(2025, 1, status="official").iloc[0]
    members = published_members(2025)
    return {
        "total members": float(turnout["registered"]),
        "federations with <= 100 members": facts.get("federations_with_at_most_100_members"),
        "federations with > 1000 members": facts.get("federations_with_more_than_1000_members"),
        "largest federation (members)": float(max(members.values())),
        "largest federation is Paris": float(max(members, key=members.get) == "75"),
        "federations won r2 faure": facts.get("federations_won Olivier Faure"),
        "federations won r2 mayer_rossignol": facts.get("federations_won Nicolas Mayer-Rossignol"),
        "r2 turnout %": facts.get("turnout_pct"),
        "r1 turnout %": round(100 * float(turnout["voters"]) / float(turnout["registered"]), 2),
    }
