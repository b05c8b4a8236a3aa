"""Tests of SIMULATED congresses: exact national totals, consistent truth, determinism."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from congresslab.cli.simulate import add_parser as add_simulate_parser
from congresslab.cli.simulate import run as run_simulate
from congresslab.sim import (
    congress_totals,
    plot_simulated,
    realism_report,
    simulate_congress,
    simulate_members,
)


@pytest.fixture(scope="module")
def sim2025():
    return simulate_congress(like=2025, seed=7)


def test_2025_national_totals_exact(sim2025):
    u = sim2025.units
    assert u["r1_faure"].sum() == 10279
    assert u["r1_mayer_rossignol"].sum() == 9834
    assert u["r1_vallaud"].sum() == 4240
    r1_voters = u[["r1_faure", "r1_mayer_rossignol", "r1_vallaud", "r1_blank_null"]].sum().sum()
    assert r1_voters == 24701
    assert u[[c for c in sim2025.origin if c != "r1_newcomer"]].sum().sum() == 39815
    assert u["r2_faure"].sum() == 12689
    assert u["r2_mayer_rossignol"].sum() == 12120
    assert u[["r2_faure", "r2_mayer_rossignol", "r2_blank_null"]].sum().sum() == 25164
    # published shares recovered from the derived round-1 votes
    shares = 100 * u[["r1_faure", "r1_mayer_rossignol", "r1_vallaud"]].sum() / 24353
    assert shares.round(2).tolist() == [42.21, 40.38, 17.41]


@pytest.mark.parametrize("seed", [0, 11])
def test_2023_national_totals_exact(seed):
    sim = simulate_congress(like=2023, seed=seed, dispersion=1.0)
    s = sim.units.sum(numeric_only=True)
    assert [s["r1_faure"], s["r1_mayer_rossignol"], s["r1_geoffroy"]] == [11277, 7001, 4666]
    assert s["r1_blank_null"] == 23179 - 22944
    assert [s["r2_faure"], s["r2_mayer_rossignol"]] == [12020, 11507]


def test_2018_round1_and_assumptions_recorded():
    sim = simulate_congress(like=2018, seed=2)
    s = sim.units.sum(numeric_only=True)
    voters = s[["r1_faure", "r1_le_foll", "r1_maurel", "r1_carvounas", "r1_blank_null"]].sum()
    assert voters == 37991
    assert sim.attrs["r2_options"] == ["faure"]
    assert not sim.attrs["r2_pinned"]
    assert any("2018" in a for a in sim.attrs["assumptions"])


def test_truth_sums_to_both_rounds(sim2025):
    t = sim2025.truth
    assert (t["count"] >= 0).all()
    u = sim2025.units.set_index("federation")
    by_o = t.pivot_table(index="federation", columns="origin", values="count", aggfunc="sum")
    by_d = t.pivot_table(index="federation", columns="destination", values="count", aggfunc="sum")
    pd.testing.assert_frame_equal(
        by_o.reindex(index=u.index, columns=sim2025.origin),
        u[sim2025.origin],
        check_names=False,
        check_dtype=False,
    )
    pd.testing.assert_frame_equal(
        by_d.reindex(index=u.index, columns=sim2025.destination),
        u[sim2025.destination],
        check_names=False,
        check_dtype=False,
    )
    # newcomers cannot leave, leavers come from round-1 abstainers only
    leave = t[t.destination == "r2_leaver"]
    assert leave.loc[leave.origin != "r1_abstention", "count"].sum() == 0
    tt = sim2025.true_transfer
    assert np.allclose(tt.sum(axis=1), 1)
    nat = sim2025.truth_matrix()
    assert np.allclose(nat.div(nat.sum(axis=1), axis=0), tt)


def test_units_marked_simulated(sim2025):
    assert sim2025.simulated and sim2025.attrs["simulated"]
    assert sim2025.units["SIMULATED"].all()
    assert len(sim2025.units) == 102 and sim2025.units["federation"].is_unique


def test_members_reproduce_published_facts(sim2025):
    m = pd.Series(sim2025.attrs["members"])
    assert m.sum() == 39815
    assert m.idxmax() == "75" and m.max() == 3181
    assert m[["10", "15", "68", "79", "58", "19"]].tolist() == [53, 53, 67, 91, 198, 236]
    assert (m <= 100).sum() == 17 and (m > 1000).sum() == 10


def test_same_seed_identical_files(tmp_path):
    digests = []
    for k in range(2):
        u, t = tmp_path / f"u{k}.csv", tmp_path / f"t{k}.csv"
        simulate_congress(like=2025, seed=3).to_csv(u, t)
        digests.append(hashlib.sha256(u.read_bytes() + t.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    other = tmp_path / "o.csv"
    simulate_congress(like=2025, seed=4).to_csv(other)
    assert other.read_bytes() != (tmp_path / "u0.csv").read_bytes()
    assert (tmp_path / "u0.csv").read_text().startswith("SIMULATED,federation,")
    assert (tmp_path / "t0.csv").read_text().startswith("SIMULATED,federation,origin")


def test_dispersion_controls_heterogeneity():
    def spread(d):
        u = simulate_congress(like=2025, seed=5, dispersion=d).units
        share = u["r1_faure"] / u[["r1_faure", "r1_mayer_rossignol", "r1_vallaud"]].sum(axis=1)
        return share[u[["r1_faure", "r1_mayer_rossignol", "r1_vallaud"]].sum(axis=1) > 300].std()

    assert spread(0.05) < spread(1.0)


def test_user_transfer_matrix_and_synthetic_units():
    prior = congress_totals(2025)
    assert prior.r2 is not None
    sim = simulate_congress(like=2025, seed=1, n_federations=40, turnover_sd=0)
    assert len(sim.units) == 40 and "r1_newcomer" not in sim.units
    assert sim.units["r2_faure"].sum() == 12689
    m = sim.true_transfer.copy()
    m.loc["r1_vallaud"] = [0.9, 0.05, 0.0, 0.05]
    sim2 = simulate_congress(like=2025, seed=1, transfer=m, turnover_sd=0, dispersion=0.1)
    assert sim2.true_transfer.loc["r1_vallaud", "r2_faure"] > 0.7
    with pytest.raises(ValueError, match="lacks origin"):
        simulate_congress(like=2025, transfer=m.drop(index="r1_vallaud"), turnover_sd=0)


def test_simulate_members_exact_total():
    rng = np.random.default_rng(0)
    n = simulate_members(["75", "a", "b", "c"], 5000, rng, pinned={"75": 3181})
    assert n.sum() == 5000 and n[0] == 3181


def test_realism_report_and_plot(sim2025):
    rep = realism_report(sim2025).set_index("statistic")
    assert rep.loc["federations won r2 faure", "published"] == 58
    won = rep.loc[
        ["federations won r2 faure", "federations won r2 mayer_rossignol", "federations tied r2"],
        "simulated",
    ].sum()
    assert won == 102
    ax = plot_simulated(sim2025)
    assert "SIMULATED" in ax.get_title()


def test_cli(tmp_path, capsys):
    out, truth = tmp_path / "units.csv", tmp_path / "truth.csv"
    code = run_simulate(
        [
            "--like",
            "2025",
            "--seed",
            "1",
            "--out",
            str(out),
            "--truth",
            str(truth),
            "--dispersion",
            "0.4",
        ]
    )
    assert code == 0
    assert "SIMULATED" in capsys.readouterr().out
    u = pd.read_csv(out, dtype={"federation": str})
    assert u["SIMULATED"].all() and u["r2_faure"].sum() == 12689
    ref = simulate_congress(like=2025, seed=1, dispersion=0.4).units
    assert u["r1_vallaud"].tolist() == ref["r1_vallaud"].tolist()
    import argparse

    parser = argparse.ArgumentParser(prog="congresslab")
    add_simulate_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["simulate", "--like", "2023", "--out", str(out)])
    assert args.func(args) == 0


# ------------------------------------------------------------- another party's vote (issue 21)
def test_lr_2022_like_congress_reproduces_both_rounds():
    lr = simulate_congress(like=2022, party="LR", seed=3)
    u = lr.units
    assert u[["r1_ciotti", "r1_retailleau", "r1_pradie"]].sum().tolist() == [28297, 22815, 14765]
    assert u[["r2_ciotti", "r2_retailleau"]].sum().tolist() == [33609, 28977]
    assert lr.attrs["party"] == "LR" and u["SIMULATED"].all()
    assert any("published turnout 69.7 %" in a for a in lr.attrs["assumptions"])
    # nothing PS-specific is pinned: no published PS member count in the federations
    assert lr.attrs["members"]["75"] != 3181
    assert np.isnan(realism_report(lr)["published"]).all()
    assert plot_simulated(lr).get_title().startswith("SIMULATED congress like LR 2022")


@pytest.mark.parametrize("like, party, message", [
    (2021, "LR", "round 2 is published as shares only"),
    (2014, "UDI", "round 1 is published as shares only"),
    (2022, "XX", "no two-round members' vote"),
])
def test_other_party_votes_without_counts_are_refused(like, party, message):
    with pytest.raises(ValueError, match=message):
        congress_totals(like, party)


def test_cli_simulates_lr(tmp_path, capsys):
    out = tmp_path / "lr.csv"
    assert run_simulate(["--like", "2022", "--party", "LR", "--seed", "2", "--out", str(out)]) == 0
    assert "like LR 2022" in capsys.readouterr().out
    assert pd.read_csv(out)["r2_ciotti"].sum() == 33609
