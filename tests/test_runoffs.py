"""The generic runoff engine: identities every scenario must satisfy, and refused inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from congresslab import scenarios
from congresslab.runoffs import (
    Runoff,
    RunoffError,
    constrained_bounds,
    duncan_davis_bounds,
    implied_split,
    needed_summary,
    scenario_arrays,
    scenario_table,
    tipping_point,
)

# an LR-2021-like shape (made-up round numbers, not the real counts): three eliminated
FIRST = {"P": 280, "C": 290, "B": 270, "X": 250, "J": 40}
SECOND = {"P": 700, "C": 420}


def toy(registered: float | None = 1400) -> Runoff:
    return Runoff.from_counts(FIRST, SECOND, label="toy", r1_voters=1150, r2_voters=1140,
                              registered=registered)


def test_structure_and_order():
    r = toy()
    assert list(r.first.index) == ["C", "P", "B", "X", "J"]
    assert (r.leader, r.runner_up) == ("C", "P")
    assert r.eliminated == ["B", "X", "J"]
    assert (r.winner, r.loser, r.margin) == ("P", "C", 280.0)


def _pandas_order(first: dict, second: dict) -> tuple[pd.Series, pd.Series]:
    """The order a Runoff gives its counts, written with pandas' own stable sort."""
    one = pd.Series({str(k): float(v) for k, v in first.items()}, dtype=float)
    one = one.sort_values(ascending=False, kind="stable")
    two = pd.Series({str(k): float(v) for k, v in second.items()}, dtype=float)
    return one, two.loc[[c for c in one.index if c in two.index]]


@pytest.mark.parametrize("first,second", [
    (FIRST, SECOND),
    ({"A": 10, "B": 30, 3: 10, "D": 30.0, "E": 0}, {"D": 40, "B": 35}),  # ties, a number key
    ({"Z": 5, "Y": 5, "X": 5}, {"X": 8, "Z": 7}),
])
def test_round_one_order_is_pandas_stable_decreasing_sort(first, second):
    expected = _pandas_order(first, second)
    for r in (Runoff.from_counts(first, second),
              Runoff("direct", first, second, sum(first.values()), sum(second.values())),
              Runoff("series", pd.Series(first), pd.Series(second), sum(first.values()),
                     sum(second.values()))):
        for got, want in zip((r.first, r.second), expected, strict=True):
            pd.testing.assert_series_equal(got, want, check_exact=True)
            assert got.index.dtype == want.index.dtype and got.dtype == want.dtype
    for year in (2023, 2025):
        t = scenarios.national_table(year)
        r = t.to_runoff()
        for got, want in zip((r.first, r.second), _pandas_order(dict(t.first), dict(t.second)),
                             strict=True):
            pd.testing.assert_series_equal(got, want, check_exact=True)


@pytest.mark.parametrize("loyalty,crossover,newcomers", [(1.0, 0.0, 0.5), (0.9, 0.05, 0.2)])
@pytest.mark.parametrize("fixed", [None, {"X": {"P": 0.8}}, {"X": {"C": 0.1}, "J": {"P": 0.5}}])
def test_scenario_reproduces_runoff_totals(loyalty, crossover, newcomers, fixed):
    r = toy()
    s = implied_split(r, loyalty=loyalty, crossover=crossover, newcomers_to_leader=newcomers,
                      fixed_splits=fixed)
    ret = loyalty + crossover
    fixed_leader = sum(ret * FIRST[e] * (split.get("C", 1 - split.get("P", 0)))
                       for e, split in (fixed or {}).items())
    fixed_total = sum(ret * FIRST[e] for e in (fixed or {}))
    leader = (loyalty * FIRST["C"] + crossover * FIRST["P"] + newcomers * s["newcomers"]
              + fixed_leader + s["free_to_leader"])
    runner = (loyalty * FIRST["P"] + crossover * FIRST["C"] + (1 - newcomers) * s["newcomers"]
              + fixed_total - fixed_leader + s["free_to_runner_up"])
    assert leader == pytest.approx(SECOND["C"])
    assert runner == pytest.approx(SECOND["P"])
    free = [e for e in r.eliminated if e not in (fixed or {})]
    assert s["free"] == free
    assert s["free_to_leader"] + s["free_to_runner_up"] == pytest.approx(
        ret * sum(FIRST[e] for e in free))


def test_endorsement_moves_the_implied_split_of_the_others():
    r = toy()
    base = implied_split(r)["free_to_runner_up_pct"]
    # if X's voters went mostly to P, the other eliminated voters needed to give P less
    endorsed = implied_split(r, fixed_splits={"X": {"P": 0.9}})["free_to_runner_up_pct"]
    assert endorsed < base


@pytest.mark.parametrize("candidate", ["C", "P"])
@pytest.mark.parametrize("scenario", [{}, {"loyalty": 0.9, "newcomers_to_leader": 0.3},
                                      {"fixed_splits": {"B": {"C": 0.7}}}])
def test_tipping_point_is_a_tie(candidate, scenario):
    r = toy()
    q = tipping_point(r, candidate=candidate, **scenario) / 100
    s = implied_split(r, **scenario)
    chose = s["free_to_leader"] + s["free_to_runner_up"]
    got_c = (s["free_to_leader"] if candidate == r.leader else s["free_to_runner_up"])
    other = r.runner_up if candidate == r.leader else r.leader
    # moving the free voters so that `candidate` gets exactly q of them ties the runoff
    shift = q * chose - got_c
    assert r.second[candidate] + shift == pytest.approx(r.second[other] - shift)
    # tipping points of the two finalists are complementary
    other_q = tipping_point(r, candidate=other, **scenario) / 100
    assert q + other_q == pytest.approx(1)


def test_needed_summary_gap_is_the_margin():
    d = needed_summary(toy(), loyalty=0.95)
    gap = (d["winner_got_pct"] - d["winner_needed_pct"]) / 100 * d["free_finalist_votes"]
    assert gap == pytest.approx(d["margin"] / 2)
    assert d["votes_to_flip"] == 141


def test_negative_newcomers_infeasible():
    # more returning voters than the runoff's expressed votes: the drift contradicts loyalty 1
    r = Runoff.from_counts({"A": 50, "B": 40, "C": 30}, {"A": 55, "B": 50})
    s = implied_split(r)
    assert s["newcomers"] == pytest.approx(-15) and not s["feasible"]
    assert implied_split(r, loyalty=0.85)["feasible"]


def test_from_shares_derives_and_records():
    r = Runoff.from_shares({"A": 43.1, "B": 34.5, "C": 22.4}, r1_expressed=1000,
                           second_pct={"A": 49.96, "B": 50.04}, r2_expressed=980)
    assert r.first["A"] == pytest.approx(431)
    assert r.second.sum() == pytest.approx(980)
    assert r.winner == "B"
    assert len(r.assumptions) == 2 and "980" in r.assumptions[1]


def test_scenario_table_grid_and_feasibility():
    t = scenario_table(toy(), loyalty=[0.8, 0.9, 1.0], crossover=[0.0, 0.2],
                       newcomers_to_leader=[0.5])
    assert len(t) == 4  # loyalty + crossover > 1 is skipped
    # loyalty + crossover = 1 returns 1,130 voters for 1,120 runoff votes: newcomers < 0
    assert t["feasible"].tolist() == [True, False, True, False]
    assert set(t.columns) >= {"free_to_leader_pct", "winner_needed_pct", "feasible"}
    assert t["feasible"].dtype == bool


def test_bounds_contain_every_feasible_scenario():
    r = toy()
    dd = duncan_davis_bounds(r).set_index(["origin", "destination"])
    pooled = sum(FIRST[e] for e in r.eliminated)
    for row in scenario_table(r).itertuples():
        if not row.feasible:
            continue
        share = 100 * row.free_to_runner_up / pooled
        lo, hi = dd.loc[("eliminated (all)", "P"), ["lower", "upper"]]
        assert lo - 0.05 <= share <= hi + 0.05


def test_constrained_bounds_unconstrained_equal_duncan_davis():
    r = toy()
    dd = duncan_davis_bounds(r).set_index(["origin", "destination"])
    lp = constrained_bounds(r).set_index(["origin", "destination"])
    for key, row in lp.iterrows():
        assert row["lower"] == pytest.approx(dd.loc[key, "lower"], abs=0.05)
        assert row["upper"] == pytest.approx(dd.loc[key, "upper"], abs=0.05)


def test_constrained_bounds_narrow_with_loyalty_and_contain_the_scenario():
    r = toy()
    wide = constrained_bounds(r).set_index(["origin", "destination"])
    narrow = constrained_bounds(r, min_loyalty=0.9, max_crossover=0.05).set_index(
        ["origin", "destination"])
    key = ("eliminated (all)", "P")
    assert narrow.loc[key, "upper"] - narrow.loc[key, "lower"] < (
        wide.loc[key, "upper"] - wide.loc[key, "lower"])
    s = implied_split(r, loyalty=0.95, crossover=0.0)
    assert s["feasible"]
    share = 100 * s["free_to_runner_up"] / sum(FIRST[e] for e in r.eliminated)
    assert narrow.loc[key, "lower"] - 0.05 <= share <= narrow.loc[key, "upper"] + 0.05


def test_constrained_bounds_infeasible_flagged():
    # finalist A got fewer runoff votes than a 95 % loyalty of its round-1 voters allows
    r = Runoff.from_counts({"A": 50, "B": 30, "C": 20}, {"A": 40, "B": 60}, registered=100)
    b = constrained_bounds(r, min_loyalty=0.95)
    assert not b["feasible"].any() and b["lower"].isna().all()


def test_ps_callers_agree_with_the_generic_engine():
    for year in (2023, 2025):
        table = scenarios.national_table(year)
        old = scenarios.implied_split(table, loyalty=0.95, newcomers_to_leader=0.4)
        new = implied_split(table.to_runoff(), loyalty=0.95, newcomers_to_leader=0.4)
        assert old["third_to_leader"] == pytest.approx(new["free_to_leader"])
        assert scenarios.tipping_point(table) == pytest.approx(
            tipping_point(table.to_runoff(), candidate=table.runner_up))


@pytest.mark.parametrize("kwargs,match", [
    ({"fixed_splits": {"Z": {"P": 0.5}}}, "'Z' is not an eliminated candidate"),
    ({"fixed_splits": {"P": {"C": 0.5}}}, "'P' is not an eliminated candidate"),
    ({"fixed_splits": {"X": {"Q": 0.5}}}, r"\['Q'\] not finalists"),
    ({"fixed_splits": {"X": {"P": 0.7, "C": 0.7}}}, "add up to 1.4, not 1"),
    ({"fixed_splits": {"X": {"P": 1.5}}}, r"must be a share in \[0, 1\]"),
    ({"fixed_splits": {e: {"P": 0.5} for e in "BXJ"}}, "leave at least one free"),
    ({"retention": {"Q": 0.9}}, r"\['Q'\] not eliminated"),
    ({"loyalty": 0.9, "crossover": 0.2}, "loyalty \\+ crossover"),
    ({"newcomers_to_leader": -0.1}, "non-negative"),
    ({"loyalty": float("nan")}, "finite"),
])
def test_bad_scenarios(kwargs, match):
    with pytest.raises(RunoffError, match=match):
        implied_split(toy(), **kwargs)


def _same(x: float, y: float) -> bool:
    return x == y or (np.isnan(x) and np.isnan(y))


@pytest.mark.parametrize("retention", [None, 0.85])
def test_scenario_arrays_equal_the_one_scenario_functions(retention):
    # three eliminated candidates; random shares, many of them infeasible (newcomers < 0)
    r = toy()
    rng = np.random.default_rng(7)
    lo = rng.uniform(0.5, 1.0, 300)
    cr = rng.uniform(0, 1, 300) * (1 - lo)
    nl = rng.uniform(0, 1, 300)
    a = scenario_arrays(r, loyalty=lo, crossover=cr, newcomers_to_leader=nl,
                        retention=retention)
    assert a["feasible"].any() and not a["feasible"].all()
    for i in range(300):
        kw = {"loyalty": float(lo[i]), "crossover": float(cr[i]), "retention": retention,
              "newcomers_to_leader": float(nl[i])}
        s = implied_split(r, **kw)
        for k in ("newcomers", "free_to_leader", "free_to_runner_up", "free_to_leader_pct"):
            assert _same(float(a[k][i]), s[k]), (i, k)  # the same floats, not just close
        assert bool(a["feasible"][i]) == s["feasible"]
        for who in ("leader", "runner_up"):
            q = tipping_point(r, candidate=getattr(r, who), **kw)
            assert _same(float(a[f"{who}_needed_pct"][i]), q)
    # broadcasting: a grid of 2 loyalties x 3 newcomer shares
    g = scenario_arrays(r, loyalty=[[0.9], [1.0]], crossover=0.0,
                        newcomers_to_leader=[0.2, 0.5, 0.8])
    assert g["free_to_leader_pct"].shape == (2, 3)
    assert g["free_to_leader_pct"][1, 1] == implied_split(r)["free_to_leader_pct"]


def test_scenario_arrays_with_nobody_choosing_a_finalist():
    # no eliminated voter chose a finalist (retention 0): the split is undefined
    r = Runoff.from_counts({"A": 45, "B": 35, "C": 20}, {"A": 45, "B": 35})
    a = scenario_arrays(r, loyalty=1.0, crossover=0.0, newcomers_to_leader=0.5,
                        retention=[0.0, 0.5])
    assert np.isnan(a["free_to_leader_pct"][0]) and np.isnan(a["runner_up_needed_pct"][0])
    assert np.isnan(implied_split(r, retention=0.0)["free_to_leader_pct"])
    assert np.isfinite(a["free_to_leader_pct"][1])


@pytest.mark.parametrize("kwargs", [
    {"loyalty": [0.9, 1.5, -1.0]},
    {"loyalty": [0.9, 0.9], "crossover": [0.0, 0.2]},
    {"newcomers_to_leader": [0.5, -0.1]},
    {"loyalty": [1.0, float("nan")]},
    {"retention": [0.9, 2.0]},
])
def test_scenario_arrays_refuse_what_implied_split_refuses(kwargs):
    full = {"loyalty": 0.9, "crossover": 0.0, "newcomers_to_leader": 0.5, **kwargs}
    n = max(len(v) for v in kwargs.values())
    arrays = {k: np.broadcast_to(np.asarray(v, dtype=float), n) for k, v in full.items()}
    first_bad = None
    for i in range(n):  # the first scenario implied_split refuses, and its message
        try:
            implied_split(toy(), **{k: float(v[i]) for k, v in arrays.items()})
        except RunoffError as err:
            first_bad = str(err)
            break
    assert first_bad is not None
    with pytest.raises(RunoffError) as got:
        scenario_arrays(toy(), **full)
    assert str(got.value) == first_bad


def test_bad_candidate_for_tipping_point():
    with pytest.raises(RunoffError, match="'B' is not a finalist"):
        tipping_point(toy(), candidate="B")


@pytest.mark.parametrize("first,second,match", [
    ({"A": 5, "B": 4}, {"A": 6, "B": 3}, "at least three candidates"),
    ({"A": 5, "B": 4, "C": 1}, {"A": 6}, "exactly two finalists"),
    ({"A": 5, "B": 4, "C": 1}, {"A": 6, "D": 4}, r"\['D'\] not among the round-1"),
    ({"A": 5, "B": -4, "C": 1}, {"A": 6, "B": 4}, "non-negative"),
    ({"A": 5, "B": "many", "C": 1}, {"A": 6, "B": 4}, "not a number"),
    ({}, {"A": 6, "B": 4}, "mapping candidate"),
])
def test_bad_tables(first, second, match):
    with pytest.raises(RunoffError, match=match):
        Runoff.from_counts(first, second)


def test_bad_turnout_and_bases():
    with pytest.raises(RunoffError, match="more than the 9 expressed"):
        Runoff.from_counts({"A": 5, "B": 4, "C": 1}, {"A": 6, "B": 4}, r1_expressed=9)
    with pytest.raises(RunoffError, match="r2_voters = 9 is below"):
        Runoff.from_counts({"A": 5, "B": 4, "C": 1}, {"A": 6, "B": 4}, r2_voters=9)
    with pytest.raises(RunoffError, match="registered = 9 is below"):
        Runoff.from_counts({"A": 5, "B": 4, "C": 1}, {"A": 6, "B": 4}, registered=9)
    with pytest.raises(RunoffError, match="shares add up to 101.00, not 100"):
        Runoff.from_shares({"A": 50, "B": 30, "C": 21}, r1_expressed=100,
                           second={"A": 60, "B": 40})
    with pytest.raises(RunoffError, match="shares but no counts"):
        Runoff.from_shares({"A": 50, "B": 30, "C": 20}, r1_expressed=100,
                           second_pct={"A": 60, "B": 40})
    with pytest.raises(RunoffError, match="exactly one"):
        Runoff.from_shares({"A": 50, "B": 30, "C": 20}, r1_expressed=100)
    with pytest.raises(RunoffError, match="registered members not known"):
        duncan_davis_bounds(toy(registered=None))
    with pytest.raises(RunoffError, match="min_loyalty"):
        constrained_bounds(toy(), min_loyalty=2)


def test_duncan_davis_single_cell_formula():
    r = toy()
    dd = duncan_davis_bounds(r).set_index(["origin", "destination"])
    n = 1400
    x, t = FIRST["B"], SECOND["P"]
    assert dd.loc[("B", "P"), "lower"] == pytest.approx(
        round(100 * max(0, x + t - n) / x, 1))
    assert dd.loc[("B", "P"), "upper"] == pytest.approx(round(100 * min(x, t) / x, 1))
    assert np.isclose(dd.loc[("round-1 non-voters", "runoff non-voters"), "upper"],
                      100 * min(1400 - 1150, 1400 - 1140) / (1400 - 1150), atol=0.05)


def test_max_newcomers_narrows_and_zero_newcomers_pins_the_closed_case():
    r = toy()
    free = constrained_bounds(r, min_loyalty=0.9, max_crossover=0.05).set_index(
        ["origin", "destination"])
    capped = constrained_bounds(r, min_loyalty=0.9, max_crossover=0.05,
                                max_newcomers=0).set_index(["origin", "destination"])
    key = ("eliminated (all)", "P")
    assert capped.loc[key, "lower"] >= free.loc[key, "lower"]
    assert capped.loc[key, "upper"] <= free.loc[key, "upper"]
    assert capped.loc[key, "lower"] > free.loc[key, "lower"]
    with pytest.raises(RunoffError, match="max_newcomers"):
        constrained_bounds(r, max_newcomers=-1)


def test_runoff_table_versions_and_parties():
    from congresslab.runoffs import runoff_table

    official, provisional = runoff_table(2023), runoff_table(2023, status="provisional")
    assert (official.margin, provisional.margin) == (513.0, 393.0)
    assert any("provisional" in a for a in provisional.assumptions)
    # with newcomers split evenly the tipping point depends on round 1 only; the implied
    # split moves with the count, and so does the tipping point once newcomers lean
    assert tipping_point(official) == pytest.approx(tipping_point(provisional))
    assert implied_split(official)["free_to_leader"] != implied_split(provisional)[
        "free_to_leader"]
    assert tipping_point(official, newcomers_to_leader=0.7) != pytest.approx(
        tipping_point(provisional, newcomers_to_leader=0.7))
    lr = runoff_table(2022, party="LR")
    assert (lr.winner, lr.eliminated) == ("Eric Ciotti", ["Aurélien Pradié"])
    with pytest.raises(ValueError, match="status"):
        runoff_table(2023, status="rumour")
    with pytest.raises(ValueError, match="r2_expressed="):
        runoff_table(2021, party="LR")
