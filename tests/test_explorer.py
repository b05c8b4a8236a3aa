"""The scenario explorer: grid = scenario functions, HTML offline, widgets wired."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from congresslab import explorer
from congresslab.explorer import (
    ScenarioModel,
    explorer_html,
    explorer_widget,
    precompute_grid,
    write_explorers,
)
from congresslab.scenarios import implied_split, national_table, scenario_table, tipping_point

SMALL = {"loyalty": [0.9, 0.95, 1.0], "crossover": [0.0, 0.04], "newcomers": [0.3, 0.5, 0.7],
         "blank": [0.0, 0.02]}


@pytest.fixture(scope="module")
def page_2025() -> str:
    return explorer_html(2025, grid=SMALL)


@pytest.fixture(scope="module")
def grids() -> dict:
    """The full default grids (10,560 scenarios for 2025): model and grid per year."""
    out = {}
    for year in (2023, 2025):
        model = ScenarioModel.from_source(year)
        out[year] = (model, precompute_grid(model))
    return out


@pytest.mark.parametrize("year", [2023, 2025])
def test_grid_equals_scenario_table_at_sampled_points(year, grids):
    model, grid = grids[year]
    exact_blank = {round(100 * b, 3): b for b in model.grid_values()["blank"]}
    rng = np.random.default_rng(year)
    infeasible = np.flatnonzero(~grid["feasible"].to_numpy())
    assert len(infeasible) > 10  # the default grids reach infeasible scenarios
    picked = np.concatenate([rng.choice(len(grid), size=30, replace=False),
                             rng.choice(infeasible, size=10, replace=False)])
    tables = {}  # national_table per blank/null rate (it reads the data files)
    for i in picked:
        row = grid.iloc[i]
        rate = exact_blank[row["blank"]] if model.blank_rate_applies else None
        if rate not in tables:
            tables[rate] = national_table(year, r1_blank_rate=rate)
        table = tables[rate]
        kw = {"loyalty": row["loyalty"] / 100, "crossover": row["crossover"] / 100}
        ref = scenario_table(table, loyalty=[kw["loyalty"]], crossover=[kw["crossover"]],
                             newcomers_to_leader=[row["newcomers"] / 100]).iloc[0]
        assert row["split"] == ref["third_to_leader_pct"]
        assert bool(row["feasible"]) == bool(ref["feasible"])
        tip = tipping_point(table, newcomers_to_leader=row["newcomers"] / 100, **kw)
        assert row["tipping"] == round(tip, 1)


@pytest.mark.parametrize("year", [2023, 2025])
def test_vectorised_grid_equals_the_per_point_path(year, grids):
    # precompute_grid evaluates each blank rate's scenarios at once (scenario_arrays);
    # ScenarioModel.evaluate goes one scenario at a time through implied_split and
    # tipping_point: both must give the same floats, before any rounding
    model, grid = grids[year]
    exact = {k: {round(100 * v, 3): v for v in vs} for k, vs in model.grid_values().items()}
    rng = np.random.default_rng(year + 1)
    rows = grid.iloc[rng.choice(len(grid), size=150, replace=False)]
    for blank, part in rows.groupby("blank"):
        shares = [[exact[k][v] for v in part[k]] for k in ("loyalty", "crossover", "newcomers")]
        many = model.evaluate_many(*shares, exact["blank"][blank])
        for i, point in enumerate(zip(*shares, strict=True)):
            one = model.evaluate(*point, exact["blank"][blank])
            for k in ("split", "tipping", "newcomers_count", "feasible"):
                assert many[k][i] == one[k], (point, k)
    # the per-point path for a whole grid: same frame, exactly
    per_point = ScenarioModel.from_source(year, split=lambda t, **kw: implied_split(t, **kw))
    wide = {"loyalty": [0.8, 0.9, 0.97, 1.0], "crossover": [0.0, 0.03, 0.1],
            "newcomers": [0.0, 0.25, 1.0], "blank": [0.0, 0.01, 0.04]}
    fast = precompute_grid(model, wide)
    assert (~fast["feasible"]).any() and fast["feasible"].any()
    pd.testing.assert_frame_equal(fast, precompute_grid(per_point, wide), check_exact=True)


@pytest.mark.parametrize("grid,match", [
    ({"loyalty": [0.0], "crossover": [0.0]}, "retention must be in"),
    ({"loyalty": [0.9], "newcomers": [0.5, 1.2]}, "retention must be in"),
    ({"loyalty": [-0.1, 0.9]}, "loyalty and crossover must be shares"),
])
def test_bad_grids_fail_like_the_per_point_path(grid, match):
    per_point = ScenarioModel.from_source(2025, split=lambda t, **kw: implied_split(t, **kw))
    for model in (ScenarioModel.from_source(2025), per_point):
        with pytest.raises(ValueError, match=match):
            precompute_grid(model, grid)


def test_grid_covers_the_sliders_and_skips_impossible_scenarios(grids):
    model, grid = grids[2025]
    values = model.grid_values()
    assert (grid["loyalty"] + grid["crossover"] <= 100 + 1e-9).all()
    assert grid["blank"].nunique() == len(values["blank"]) > 5  # an assumption in 2025
    assert len(grid) == len(values["blank"]) * len(values["newcomers"]) * sum(
        lo + cr <= 1 + 1e-12 for lo in values["loyalty"] for cr in values["crossover"])
    assert grids[2023][1]["blank"].nunique() == 1  # published in 2023
    # the blank/null rate moves the 2025 split (it sets round-1 expressed votes)
    base = grid[(grid.loyalty == 100) & (grid.crossover == 0) & (grid.newcomers == 50)]
    assert base["split"].nunique() > 1


def test_other_sources_plug_in_without_changes():
    # a table object: the blank rate is then fixed
    table = national_table(2025, r1_blank_rate=0.02)
    model = ScenarioModel.from_source(table)
    assert not model.blank_rate_applies
    g = precompute_grid(model, SMALL)
    assert g["blank"].unique().tolist() == [2.0]
    assert g.iloc[0]["split"] == round(implied_split(
        table, loyalty=0.9, crossover=0.0, newcomers_to_leader=0.3)["third_to_leader_pct"], 1)

    # another scenario function (e.g. a generalised one): the explorer shows what it returns
    def split(t, *, loyalty, crossover, newcomers_to_leader):
        return {"third_to_leader_pct": 100 * newcomers_to_leader, "feasible": True,
                "newcomers": 0.0}

    custom = ScenarioModel.from_source(lambda r1_blank_rate=None: table, split=split)
    g = precompute_grid(custom, SMALL)
    assert sorted(g["split"].unique()) == [30.0, 50.0, 70.0]
    with pytest.raises(TypeError, match="source"):
        ScenarioModel.from_source(True)


def test_html_fetches_nothing_from_the_network(page_2025):
    assert not re.search(r"""<script[^>]*\ssrc\s*=\s*["']?\s*(https?:)?//""", page_2025, re.I)
    assert not re.search(r"""<link[^>]*href\s*=\s*["']?\s*(https?:)?//""", page_2025, re.I)
    assert "window.vegaEmbed" in page_2025  # the JS is inlined instead
    assert page_2025.count("</script>") == page_2025.count("<script")


def test_html_has_the_stable_identifiers_and_the_grid(page_2025):
    for name in ("loyalty", "crossover", "newcomers", "blank"):
        assert re.search(rf'<input type="range" id="explorer-2025-{name}" '
                         rf'class="cl-explorer-slider" data-param="{name}"', page_2025)
        assert f'id="explorer-2025-{name}-value"' in page_2025
    for out in ("split", "tipping", "status"):
        assert f'id="explorer-2025-{out}" class="cl-explorer-{out}"' in page_2025
    # the default scenario is shown before any JavaScript runs
    split = implied_split(2025)["third_to_leader_pct"]
    assert f'class="cl-explorer-split">{split:.1f} %</output>' in page_2025
    config = re.search(r'<script type="application/json" class="cl-explorer-config">(.*?)'
                       r"</script>", page_2025, re.S).group(1)
    config = json.loads(config)
    rows = next(iter(config["spec"]["datasets"].values()))
    assert len(rows) == len(precompute_grid(2025, SMALL))
    assert {p["name"] for p in config["spec"]["params"]} == {"loyalty", "crossover",
                                                               "newcomers", "blank"}
    assert config["values"]["loyalty"] == [90.0, 95.0, 100.0]


def test_html_fragment_for_the_docs():
    frag = explorer_html(2023, full_html=False, include_js=False, grid=SMALL)
    assert frag.lstrip().startswith('<div class="cl-explorer" id="explorer-2023"')
    assert "window.vegaEmbed=" not in frag and "<html" not in frag
    assert 'id="explorer-2023-blank" class="cl-explorer-slider" data-param="blank" min="0" ' \
           'max="0"' in frag  # published in 2023: a single value
    assert explorer.vega_script().startswith("<script")


def test_write_explorers(tmp_path):
    written = write_explorers(tmp_path, years=[2023])
    assert [p.name for p in written] == ["explorer-2023.html"]
    assert "Hélène Geoffroy" in written[0].read_text(encoding="utf-8")


def test_widget_is_wired_to_the_scenario_functions():
    w = explorer_widget(2025)
    assert set(w.sliders) == {"loyalty", "crossover", "newcomers", "blank"}
    assert not w.sliders["blank"].disabled
    w.sliders["loyalty"].value = 92.0  # observers fire without a frontend
    w.sliders["newcomers"].value = 35.0
    expected = implied_split(2025, loyalty=0.92, newcomers_to_leader=0.35)
    assert w.last["split"] == pytest.approx(expected["third_to_leader_pct"])
    assert f"{expected['third_to_leader_pct']:.1f} %" in w.readout.value
    tip = tipping_point(2025, loyalty=0.92, newcomers_to_leader=0.35)
    assert f"{tip:.1f} %" in w.readout.value
    # the update callback, called directly, reads the blank/null rate too
    w.sliders["blank"].unobserve(w.update, names="value")
    w.sliders["blank"].value = 3.0
    r = w.update()
    table = national_table(2025, r1_blank_rate=0.03)
    assert r["split"] == pytest.approx(implied_split(
        table, loyalty=0.92, newcomers_to_leader=0.35)["third_to_leader_pct"])
    w.sliders["crossover"].value = 10.0  # 92 + 10 > 100
    assert w.last.get("impossible") and "impossible" in w.readout.value


def test_widget_for_a_congress_with_a_published_blank_rate():
    w = explorer_widget(2023)
    assert w.sliders["blank"].disabled
    assert "Hélène Geoffroy" in w.readout.value


def test_report_index_links_the_explorers(tmp_path):
    from congresslab.report import write_index

    (tmp_path / "explorer-2025.html").write_text("<html></html>")
    index = write_index([("01-data-tour", 1.0)], out_dir=tmp_path).read_text(encoding="utf-8")
    assert '<a href="explorer-2025.html">explorer-2025</a>' in index


def test_widget_shows_its_readout_where_widgets_cannot_render():
    bundle = explorer_widget(2023)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "9.7 %" in bundle["text/html"] and "explorer-2023.html" in bundle["text/html"]


def test_explorer_command_refuses_data_raw_and_unknown_years(tmp_path, capsys):
    from congresslab.cli import main

    assert main(["explorer", "--out", str(explorer.paths.RAW)]) == 2
    assert "data/raw" in capsys.readouterr().err
    assert not list(explorer.paths.RAW.glob("explorer-*.html"))
    assert main(["explorer", "2030", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no scenario explorer for 2030" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_explorer_command_makes_its_folder(tmp_path, capsys):
    from congresslab.cli import main

    assert main(["explorer", "2023", "--out", str(tmp_path / "html")]) == 0
    assert (tmp_path / "html" / "explorer-2023.html").is_file()
