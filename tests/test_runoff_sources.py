"""Published figures → runoffs: traceable to raw lines, conflicts refused, units assembled."""

from __future__ import annotations

import pandas as pd
import pytest

from congresslab import paths
from congresslab.data.raw import read_raw
from congresslab.runoffs import Runoff
from congresslab.runoffs.compare import compare_runoffs
from congresslab.runoffs.federations import unit_transfer_bounds, unit_versions
from congresslab.runoffs.sources import (
    count_versions,
    one_figure,
    one_turnout,
    party_runoff,
    published_figures,
    share_versions,
)


def test_every_figure_points_at_its_raw_line():
    figures = published_figures("LR", 2021, 1)
    raw = read_raw("other_parties_results.csv").set_index("_line")
    for row in figures.itertuples():
        assert row.file == "data/raw/other_parties_results.csv"
        assert raw.loc[row.line, "candidate"].strip().startswith(row.candidate)
        if pd.notna(row.share_pct):
            assert float(raw.loc[row.line, "share_pct"].split()[0]) == row.share_pct


def test_conflicting_counts_are_refused_and_versions_kept():
    ump = published_figures("UMP", 2012, 1)
    with pytest.raises(ValueError, match="sources disagree"):
        one_figure(ump, "François Fillon", "votes")
    versions = count_versions(ump, ["Jean-François Copé", "François Fillon"])
    assert len(versions) == 3 and (versions["margin"] < 0).sum() == 1
    assert set(versions["status"]) == {"official", "claim"}


def test_rounded_share_is_not_a_conflict_but_a_different_one_is():
    lr21 = published_figures("LR", 2021, 2)
    value, lines = one_figure(lr21, "Valérie Pécresse", "share_pct")
    assert value == 60.95 and len(lines) >= 2
    r1 = published_figures("LR", 2021, 1)  # Bertrand 22.36 official, 22.26 flagged typo
    assert one_figure(r1, "Xavier Bertrand", "share_pct")[0] == 22.36
    with pytest.raises(ValueError, match="sources disagree"):
        one_figure(r1, "Xavier Bertrand", "share_pct", status=None)


def test_approximate_figures_are_never_picked():
    lr21 = published_figures("LR", 2021, 2)
    assert lr21["approximate"].any()
    with pytest.raises(ValueError, match="no published value"):
        one_figure(lr21, "Eric Ciotti", "votes")
    assert one_figure(lr21, "Eric Ciotti", "votes", status=None, approximate=True)[0] == 44000


def test_share_versions_2008_three_exact_versions_sum_to_100():
    v = share_versions(published_figures("PS", 2008, 1),
                       ["Ségolène Royal", "Martine Aubry", "Benoît Hamon"])
    assert len(v) == 3
    assert (v["sum"] - 100).abs().max() <= 0.1


def test_one_turnout_pick_must_be_published():
    with pytest.raises(ValueError, match="pass pick="):
        one_turnout("LR", 2022, 1, "registered")
    with pytest.raises(ValueError, match="91111 is not published"):
        one_turnout("LR", 2022, 1, "registered", pick=91111)
    assert one_turnout("LR", 2022, 1, "registered", pick=90110)[0] == 90110


def test_party_runoff_needs_a_base_for_shares_only_rounds():
    with pytest.raises(ValueError, match="r2_expressed="):
        party_runoff("LR", 2021)
    with pytest.raises(ValueError, match="r1_expressed="):
        party_runoff("UDI", 2014)
    with pytest.raises(ValueError, match="only 'round 1'"):
        party_runoff("LR", 2021, r2_expressed="round 2")
    r = party_runoff("LR", 2021, r2_expressed="round 1")
    assert r.second.sum() == pytest.approx(r.first.sum())
    assert any("taken equal to round 1" in a for a in r.assumptions)
    assert r.eliminated == ["Michel Barnier", "Xavier Bertrand", "Philippe Juvin"]
    with pytest.raises(ValueError, match="no results"):
        party_runoff("LR", 1990)


def test_compare_runoffs_winner_needed_is_complement_and_bounds_ordered():
    votes = [party_runoff("EELV / Pole ecologiste", 2021, registered=122675),
             party_runoff("LR", 2022)]
    table = compare_runoffs(votes)
    assert (table["winner_needed_pct"] + table["loser_needed_pct"]).round(1).eq(100).all()
    assert (table["winner_got_pct"] > table["winner_needed_pct"]).all()  # the winner won
    assert table.loc[0, "dd_lower"] <= table.loc[0, "loyal_lower"]
    assert table.loc[0, "loyal_upper"] <= table.loc[0, "dd_upper"]
    assert pd.isna(table.loc[1, "dd_lower"])  # no registered figure given: no bounds


FRAG_COLUMNS = ["round", "federation_code", "federation", "metric", "candidate", "value",
                "status"]


def _frag(rows):
    return pd.DataFrame(rows, columns=FRAG_COLUMNS)


def test_unit_versions_derives_missing_share_and_keeps_conflicts():
    frag = _frag([
        ("1", "01", "Ain", "share", "Royal", 50.0, "press"),
        ("1", "01", "Ain", "share", "Hamon", 20.0, "press"),
        ("2", "01", "Ain", "votes", "Aubry", 450, "press"),
        ("2", "01", "Ain", "votes", "Royal", 550, "press"),
        ("2", "01", "Ain", "share", "Royal", 60.0, "blog;CONFLICT"),
        ("1", "02", "Aisne", "share", "Royal", 50.0, "press"),  # round 1 only: left out
    ])
    u = unit_versions(frag, candidates=["Royal", "Aubry", "Hamon"], finalists=["Aubry", "Royal"])
    assert u["federation"].tolist() == ["Ain", "Ain"]
    assert u["r1:Aubry"].tolist() == [30.0, 30.0]
    assert "derived as 100" in u["r1_note"].iloc[0]
    assert sorted(u["r2:Royal"].tolist()) == [55.0, 60.0]
    assert "CONFLICT" in u["source_flags"].iloc[0]
    b = unit_transfer_bounds(u, origin="Hamon", destination="Aubry")
    # x = 20, t = 45 (or 40): lower max(0, 20 + 45 − 100) = 0, upper min(20, 45) / 20 = 100 %
    assert b["lower"].tolist() == [0.0, 0.0] and b["upper"].tolist() == [100.0, 100.0]
    # loyal finalists: Aubry's gain (45 − 30) / 20 = 75 %; (40 − 30) / 20 = 50 %
    assert sorted(b["if_loyal"].tolist()) == [50.0, 75.0]


def test_unit_bounds_bind_when_the_origin_is_large():
    frag = _frag([
        ("1", "03", "Allier", "share", "Royal", 20.0, ""),
        ("1", "03", "Allier", "share", "Aubry", 20.0, ""),
        ("1", "03", "Allier", "share", "Hamon", 60.0, ""),
        ("2", "03", "Allier", "share", "Aubry", 70.0, ""),
    ])
    u = unit_versions(frag, candidates=["Royal", "Aubry", "Hamon"], finalists=["Aubry", "Royal"])
    b = unit_transfer_bounds(u, origin="Hamon", destination="Aubry").iloc[0]
    assert b["lower"] == pytest.approx(round(100 * (60 + 70 - 100) / 60, 1))
    assert b["upper"] == 100.0


def test_unit_shares_not_adding_up_are_flagged_and_sums_only_bound_the_sum():
    frag = _frag([
        ("1", "04", "X", "share", "Royal", 50.0, ""), ("1", "04", "X", "share", "Aubry", 30.0, ""),
        ("1", "04", "X", "share", "Hamon", 21.0, ""), ("2", "04", "X", "share", "Aubry", 40.0, ""),
        ("1", "05", "Y", "share", "Aubry+Hamon", 60.0, ""),
        ("2", "05", "Y", "share", "Aubry", 55.0, ""),
    ])
    u = unit_versions(frag, candidates=["Royal", "Aubry", "Hamon"], finalists=["Aubry", "Royal"])
    x = u[u["federation"] == "X"].iloc[0]
    assert "sum to 101.0 (flagged)" in x["r1_note"]
    assert x[["r1:Royal", "r1:Aubry", "r1:Hamon"]].sum() == pytest.approx(100, abs=0.02)
    b = unit_transfer_bounds(u, origin="Hamon", destination="Aubry").set_index("federation")
    assert b.loc["Y", "origin_used"] == "Aubry+Hamon" and pd.isna(b.loc["Y", "if_loyal"])


def test_unit_bad_input():
    frag = _frag([("1", "01", "Ain", "share", "Royal", 50.0, "")])
    with pytest.raises(ValueError, match="must be two of"):
        unit_versions(frag, candidates=["Royal", "Aubry"], finalists=["Aubry", "Hamon"])
    with pytest.raises(ValueError, match="lack columns"):
        unit_versions(frag.drop(columns="metric"), candidates=["Royal", "Aubry", "Hamon"],
                      finalists=["Aubry", "Royal"])
    units = pd.DataFrame({"federation": ["A"], "version": [1], "r1:Hamon": [10.0],
                          "r2:Aubry": [50.0], "r2:Royal": [50.0]})
    with pytest.raises(ValueError, match="'Delanoë' is not a finalist"):
        unit_transfer_bounds(units, origin="Hamon", destination="Delanoë")


def test_real_2008_units_are_the_four_federations_with_both_rounds():
    import congresslab as cl

    u = unit_versions(cl.load_federations(2008), candidates=["Royal", "Aubry", "Hamon"],
                      finalists=["Aubry", "Royal"])
    assert sorted(u["federation"].unique()) == ["Bouches-du-Rhône", "Nord", "Seine-Maritime",
                                                "Val-de-Marne"]
    assert (paths.RAW / "federations_2008.csv").exists()


def test_runoff_from_shares_of_a_real_version_matches_published_counts_scale():
    v = share_versions(published_figures("PS", 2008, 1),
                       ["Ségolène Royal", "Martine Aubry", "Benoît Hamon"]).iloc[0]
    r = Runoff.from_shares({c: v[c] for c in ["Ségolène Royal", "Martine Aubry",
                                              "Benoît Hamon"]},
                           r1_expressed=137741, second={"Martine Aubry": 67451,
                                                        "Ségolène Royal": 67349})
    assert r.first.sum() == pytest.approx(137741, rel=1e-3)
    assert r.winner == "Martine Aubry" and r.leader == "Ségolène Royal"
