"""National arithmetic: identities that any scenario must satisfy."""

from __future__ import annotations

import numpy as np
import pytest

from congresslab.scenarios import (
    implied_split,
    national_bounds,
    national_table,
    scenario_arrays,
    scenario_table,
    tipping_point,
)


@pytest.mark.parametrize("year", [2023, 2025])
@pytest.mark.parametrize("loyalty,crossover,newcomers", [(1.0, 0.0, 0.5), (0.9, 0.05, 0.3)])
def test_scenario_reproduces_runoff_totals(year, loyalty, crossover, newcomers):
    t = national_table(year)
    s = implied_split(t, loyalty=loyalty, crossover=crossover, newcomers_to_leader=newcomers)
    f1, m1 = t.first.iloc[0], t.first.iloc[1]
    leader = loyalty * f1 + crossover * m1 + newcomers * s["newcomers"] + s["third_to_leader"]
    runner = (loyalty * m1 + crossover * f1 + (1 - newcomers) * s["newcomers"]
              + s["third_to_runner_up"])
    assert leader == pytest.approx(t.second.iloc[0])
    assert runner == pytest.approx(t.second.iloc[1])
    assert leader + runner == pytest.approx(t.r2_expressed)


@pytest.mark.parametrize("year", [2023, 2025])
def test_tipping_point_is_a_tie(year):
    t = national_table(year)
    q = tipping_point(t, loyalty=0.95) / 100
    s = implied_split(t, loyalty=0.95)
    chose = s["third_to_leader"] + s["third_to_runner_up"]
    f1, m1 = t.first.iloc[0], t.first.iloc[1]
    leader = 0.95 * f1 + 0.5 * s["newcomers"] + (1 - q) * chose
    runner = 0.95 * m1 + 0.5 * s["newcomers"] + q * chose
    assert leader == pytest.approx(runner)
    # the winner got less than the tipping share of the third-placed votes
    assert s["third_to_runner_up_pct"] < 100 * q


def test_2025_assumption_stated_and_adjustable():
    default = national_table(2025)
    assert any("not published" in a for a in default.assumptions)
    other = national_table(2025, r1_blank_rate=0.03)
    assert other.r1_expressed == pytest.approx(24701 * 0.97)
    assert other.first.sum() == pytest.approx(other.r1_expressed)


def test_geoffroy_mostly_to_mayer_rossignol_under_loyalty():
    table = scenario_table(2023, loyalty=[1.0], crossover=[0.0])
    assert (table["third_to_runner_up_pct"] > 85).all()


def test_infeasible_scenarios_flagged():
    # very low loyalty leaves more runoff votes for the leader than the third motion had
    s = implied_split(2023, loyalty=0.5, crossover=0.0, retention=1.0, newcomers_to_leader=0.0)
    assert not s["feasible"]


def test_bounds_contain_every_feasible_scenario():
    bounds = national_bounds(2025).set_index(["origin", "destination"])
    lo, hi = bounds.loc[("Boris Vallaud", "Olivier Faure")]
    for row in scenario_table(2025).itertuples():
        share = row.third_to_leader / national_table(2025).first.iloc[2] * 100
        assert lo <= share <= hi


def test_bad_inputs():
    with pytest.raises(ValueError, match="two-candidate runoff"):
        national_table(2021)
    with pytest.raises(ValueError, match="loyalty"):
        implied_split(2025, loyalty=0.9, crossover=0.2)
    with pytest.raises(ValueError, match="registered"):
        national_bounds(2023)


def test_single_candidate_support_identity():
    from congresslab.scenarios import single_candidate_support

    table = single_candidate_support(2018, loyalty=[1.0, 0.9])
    for row in table.itertuples():  # own loyal voters + others' support = runoff share
        total = row.loyalty * row.round1_share + row.others_for_candidate_pct / 100 * (
            100 - row.round1_share)
        assert total == pytest.approx(row.runoff_share, abs=0.06)
    with pytest.raises(ValueError, match="single candidate"):
        single_candidate_support(2025)


def test_same_options_shift_is_difference_of_shares():
    from congresslab.scenarios import same_options_shift

    table = same_options_shift(2021)
    assert (table["runoff_share"] - table["round1_share"]).round(2).tolist() == table[
        "shift_pp"].tolist()
    with pytest.raises(ValueError, match="same options"):
        same_options_shift(2023)


@pytest.mark.parametrize("year", [2023, 2025])
def test_scenario_arrays_equal_implied_split_and_tipping_point(year):
    t = national_table(year, r1_blank_rate=0.02 if year == 2025 else None)
    rng = np.random.default_rng(year)
    lo = rng.uniform(0.7, 1.0, 200)
    cr = rng.uniform(0, 1, 200) * (1 - lo)
    nl = rng.uniform(0, 1, 200)
    a = scenario_arrays(t, loyalty=lo, crossover=cr, newcomers_to_leader=nl)
    assert a["feasible"].any() and not a["feasible"].all()
    assert (a["tipping_point"] >= 0).all() and (a["tipping_point"] <= 100).all()
    for i in range(200):
        kw = {"loyalty": float(lo[i]), "crossover": float(cr[i]),
              "newcomers_to_leader": float(nl[i])}
        s = implied_split(t, **kw)
        for k in ("newcomers", "third_to_leader", "third_to_runner_up", "third_to_leader_pct",
                  "third_to_runner_up_pct"):
            assert float(a[k][i]) == s[k], (i, k)  # the same floats, not just close
        assert bool(a["feasible"][i]) == s["feasible"]
        assert float(a["tipping_point"][i]) == tipping_point(t, **kw)


@pytest.mark.parametrize("kwargs", [
    {"loyalty": [0.9, 1.2]},
    {"loyalty": [0.9, 0.9], "crossover": [0.05, 0.15]},
    {"loyalty": [0.9, 0.0], "crossover": [0.0, 0.0]},  # retention 0
    {"newcomers_to_leader": [0.5, 1.1], "loyalty": [0.9, -0.1]},  # the first failure counts
    {"newcomers_to_leader": [1.1, 0.5], "loyalty": [0.9, -0.1]},
    {"retention": [0.5, float("nan")]},
])
def test_scenario_arrays_refuse_what_implied_split_refuses(kwargs):
    full = {"loyalty": 0.9, "crossover": 0.0, "newcomers_to_leader": 0.5, **kwargs}
    arrays = {k: np.broadcast_to(np.asarray(v, dtype=float), 2) for k, v in full.items()}
    t = national_table(2023)
    messages = []
    for i in range(2):
        try:
            implied_split(t, **{k: float(v[i]) for k, v in arrays.items()})
        except ValueError as err:
            messages.append(str(err))
    with pytest.raises(ValueError) as got:
        scenario_arrays(t, **full)
    assert str(got.value) == messages[0]
