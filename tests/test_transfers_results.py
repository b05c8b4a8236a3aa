"""TransferResults exports, summary, plots and the CLI."""

import json

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from congresslab.transfers import Bounds, LinearProgram, UnitTable, estimate
from congresslab.transfers.cli import add_estimate_parser, main
from congresslab.transfers.plots import (
    plot_heatmap,
    plot_sankey,
    plot_tomography,
    sankey_geometry,
    tomography_segments,
)

matplotlib.use("Agg")

REQUIRED = {
    "method",
    "origin",
    "destination",
    "transfer",
    "interval",
    "n_units",
    "seconds",
    "diagnostics",
}


def table(seed=0, U=30, R=3, C=2):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(C), R)
    X = rng.integers(20, 300, size=(U, R))
    T = np.stack([sum(rng.multinomial(X[u, r], P[r]) for r in range(R)) for u in range(U)])
    return UnitTable.from_arrays(X, T, origin=["A", "B", "C"][:R], destination=["x", "y", "z"][:C])


@pytest.fixture(scope="module")
def res():
    return LinearProgram(table(), n_boot=20, progress=False).fit()


def test_transfer_and_counts(res):
    tr = res.transfer
    assert list(tr.index) == res.origin and list(tr.columns) == res.destination
    np.testing.assert_allclose(res.counts.sum(axis=1), res.table.X.sum(0))
    np.testing.assert_allclose(res.counts.to_numpy(), tr.to_numpy() * res.table.X.sum(0)[:, None])


def test_conf_int_and_frame(res):
    ci = res.conf_int()
    assert list(ci.columns) == ["origin", "destination", "estimate", "lower", "upper"]
    assert len(ci) == 3 * 2
    assert (ci["lower"] <= ci["upper"]).all()
    wide = res.conf_int(0.01)
    assert ((wide["upper"] - wide["lower"]) >= (ci["upper"] - ci["lower"]) - 1e-12).all()
    fr = res.to_frame()
    assert list(fr.columns) == ["origin", "destination", "share", "count", "lower", "upper"]
    assert fr["count"].sum() == pytest.approx(res.table.X.sum())


def test_unit_transfer(res):
    ut = res.unit_transfer
    assert set(["unit", "origin", "destination", "share", "lower", "upper"]) <= set(ut.columns)
    assert len(ut) == res.n_units * 3 * 2
    sums = ut.groupby(["unit", "origin"])["share"].sum()
    np.testing.assert_allclose(sums, 1.0, atol=1e-6)
    # unit counts reproduce the unit destination counts
    dest = ut.groupby(["unit", "destination"])["count"].sum().unstack()[res.destination]
    np.testing.assert_allclose(dest.to_numpy(), res.table.T, atol=1e-5)


def test_bounds_unit_transfer_intervals():
    r = Bounds(table()).fit()
    ut = r.unit_transfer
    assert (ut["lower"] <= ut["share"] + 1e-12).all() and (ut["share"] <= ut["upper"] + 1e-12).all()


def test_to_json(res):
    d = json.loads(res.to_json())
    assert REQUIRED <= set(d)
    assert d["method"] == "lp" and d["n_units"] == 30
    assert set(d["transfer"]) == set(res.origin)
    assert sum(d["transfer"]["A"].values()) == pytest.approx(1.0)
    lo, hi = d["interval"]["B"]["y"]
    assert 0 <= lo <= hi <= 1


def test_summary(res):
    s = res.summary()
    text = str(s)
    assert "Method" in text and "lp" in text and "Units" in text and "Margins" in text
    for name in res.origin + res.destination:
        assert name in text
    html = s._repr_html_()
    assert html.startswith("<div>") and "<table" in html
    # the notes give the method's assumption and warn that model intervals are optimistic
    assert "Notes:" in text and "least absolute deviations" in text
    assert "lower bound on the uncertainty" in text and "lower bound" in html
    b = Bounds(table(R=2, C=2)).fit().summary()
    assert b.notes() == [b.notes()[0]] and "no assumption" in str(b)


def test_plots_return_figures(res):
    f1 = plot_heatmap(res, title_prefix="SIMULATED")
    f2 = plot_sankey(res, title_prefix="SIMULATED")
    assert isinstance(f1, Figure) and isinstance(f2, Figure)
    assert f1.axes[0].get_title().startswith("SIMULATED")
    assert f2.axes[0].get_title().startswith("SIMULATED")
    r22 = Bounds(table(R=2, C=2)).fit()
    f3 = plot_tomography(r22, title_prefix="SIMULATED")
    assert isinstance(f3, Figure) and f3.axes[0].get_title().startswith("SIMULATED")
    with pytest.raises(ValueError, match="2 x 2"):
        plot_tomography(res)


def test_sankey_geometry_proportional():
    counts = np.array([[30.0, 10.0], [5.0, 55.0]])
    g = sankey_geometry(counts, gap=0.0)
    h = g["band_left"][..., 1] - g["band_left"][..., 0]
    np.testing.assert_allclose(h, counts / counts.sum())
    h2 = g["band_right"][..., 1] - g["band_right"][..., 0]
    np.testing.assert_allclose(h2, counts / counts.sum())


def test_tomography_segments_satisfy_unit_counts():
    tab = table(R=2, C=2)
    segs = tomography_segments(tab)
    for u in range(tab.n_units):
        for b1, b2 in segs[u]:
            assert 0 <= b1 <= 1 and 0 <= b2 <= 1
            assert tab.X[u, 0] * b1 + tab.X[u, 1] * b2 == pytest.approx(tab.T[u, 0])


# --------------------------------------------------------------------------- CLI
@pytest.fixture()
def csv(tmp_path):
    tab = table()
    df = pd.DataFrame(tab.X, columns=["A", "B", "C"]).assign(x=tab.T[:, 0], y=tab.T[:, 1])
    df.insert(0, "fed", [f"f{i}" for i in range(tab.n_units)])
    path = tmp_path / "units.csv"
    df.to_csv(path, index=False)
    return path


ARGS = ["--unit", "fed", "--origin", "A,B,C", "--destination", "x,y"]


def test_cli_table(csv, capsys):
    rc = main(["estimate", str(csv), *ARGS, "--method", "goodman"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "goodman" in out and "Shares" in out and "A" in out


def test_cli_json_stdout(csv, capsys):
    rc = main([str(csv), *ARGS, "--method", "bounds", "--json", "-"])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    assert REQUIRED <= set(d) and d["method"] == "bounds"


def test_cli_json_file(csv, tmp_path, capsys):
    out = tmp_path / "r.json"
    rc = main([str(csv), *ARGS, "--method", "lp", "--json", str(out), "--quiet"])
    assert rc == 0
    assert capsys.readouterr().out == ""
    assert REQUIRED <= set(json.loads(out.read_text()))


@pytest.mark.parametrize(
    "extra, match",
    [
        (["--origin", "A,Nope"], "Nope"),
        (["--alpha", "2"], "alpha"),
        (["--prior-rate", "2"], "applies to --method bayes"),
        (["--method", "bayes", "--prior-rate", "0"], "must be positive"),
    ],
)
def test_cli_bad_input(csv, capsys, extra, match):
    rc = main([str(csv), *ARGS, "--method", "bounds", *extra])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("error:") and match in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_prior_rate_reaches_the_sampler(csv, capsys):
    rc = main([str(csv), *ARGS, "--method", "bayes", "--prior-rate", "2"])
    captured = capsys.readouterr()
    assert rc == 0 and "Gamma(shape 4, rate 2)" in captured.out


def test_cli_missing_file(tmp_path, capsys):
    rc = main([str(tmp_path / "none.csv"), *ARGS])
    assert rc == 2 and "no such file" in capsys.readouterr().err


def test_add_estimate_parser_dispatch():
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    add_estimate_parser(sub)
    args = parser.parse_args(["estimate", "f.csv", *ARGS, "--seed", "4"])
    assert args.seed == 4 and args.destination == ["x", "y"] and callable(args.func)


def test_estimate_from_dataframe():
    df = pd.DataFrame(
        {
            "fed": ["a", "b", "c"],
            "A": [60, 20, 50],
            "B": [40, 80, 50],
            "x": [70, 40, 55],
            "y": [30, 60, 45],
        }
    )
    r = estimate(df, "bounds", unit="fed", origin=["A", "B"], destination=["x", "y"])
    assert r.n_units == 3 and r.origin == ["A", "B"]
