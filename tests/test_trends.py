"""History statistics: effective number, versions as ranges, nothing filled in."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import congresslab as cl
from congresslab.trends import (
    effective_number,
    leader_ranges,
    value_ranges,
    version_summary,
    vote_ranges,
)


def _rows(versions):
    """Result rows from {version: [(candidate, share), ...]} for one vote."""
    out = []
    for i, (version, shares) in enumerate(versions.items()):
        for cand, share in shares:
            out.append({"congress_year": 1990, "round": "motions",
                        "vote_kind": "members_motion", "version": version,
                        "is_default": i == 0, "option_kind": "motion",
                        "candidate": cand, "share_pct": share})
    return pd.DataFrame(out)


@pytest.mark.parametrize("shares,expected", [([50, 50], 2.0), ([100, 0], 1.0),
                                             ([40, 30, 20, 10], 1 / 0.3)])
def test_effective_number_values(shares, expected):
    assert effective_number(shares) == pytest.approx(expected)


def test_effective_number_is_scale_free_and_bounded_by_the_count():
    shares = [48.4, 30.2, 12.1, 9.3]
    assert effective_number(shares) == pytest.approx(effective_number([s / 100 for s in shares]))
    assert 1 <= effective_number(shares) <= len(shares)


@pytest.mark.parametrize("bad", [[], [-1, 50], [0, 0], [float("nan"), 50]])
def test_effective_number_bad_input(bad):
    with pytest.raises(ValueError, match="finite, non-negative"):
        effective_number(bad)


def test_conflicting_versions_become_a_range_and_partial_ones_are_left_out():
    frame = _rows({"v1": [("A", 40.0), ("B", 35.0), ("C", 25.0)],
                   "v2": [("A", 45.0), ("B", 30.0), ("C", 25.0)],
                   "v3": [("B", 30.0)]})  # partial: only B
    versions = version_summary(frame)
    assert versions["complete"].tolist() == [True, True, False]
    assert math.isnan(versions.loc[2, "leading_pct"])
    r = vote_ranges(versions).iloc[0]
    assert (r["leading_pct_min"], r["leading_pct_max"]) == (40.0, 45.0)
    assert (r["margin_pp_min"], r["margin_pp_max"]) == (5.0, 15.0)
    assert r["leading_pct_default"] == 40.0
    assert (r["versions"], r["complete_versions"]) == (3, 2)


def test_vote_without_complete_version_stays_missing():
    versions = version_summary(_rows({"v1": [("A", 40.0), ("B", 20.0)]}))
    r = vote_ranges(versions).iloc[0]
    assert math.isnan(r["leading_pct_min"]) and r["complete_versions"] == 0


def test_leader_ranges_use_the_leader_only():
    frame = _rows({"v1": [("A", 70.0)], "v2": [("B", 30.0)], "v3": [("A", 69.5)]})
    r = leader_ranges(frame).iloc[0]
    assert (r["leader"], r["leader_pct_min"], r["leader_pct_max"]) == ("A", 69.5, 70.0)
    assert r["candidates"] == 2


def test_value_ranges_and_bad_column():
    t = pd.DataFrame({"y": [2003, 2003, 2008], "voters": [74549, 99636, None]})
    out = value_ranges(t, "voters", ["y"])
    assert out.to_dict("records") == [{"y": 2003, "voters_min": 74549.0,
                                       "voters_max": 99636.0, "figures": 2}]
    with pytest.raises(ValueError, match="no column 'members'"):
        value_ranges(t, "members", ["y"])
    with pytest.raises(ValueError, match="lack columns"):
        version_summary(t)


def test_real_history_2008_round_1_is_a_range_of_the_three_versions():
    results = cl.load_results(2008, round=1, status=None)
    results = results[~results["approximate"].fillna(False).astype(bool)]
    r = leader_ranges(results).iloc[0]
    assert r["leader"] == "Ségolène Royal"
    assert (r["leader_pct_min"], r["leader_pct_max"]) == (42.45, 43.1)
