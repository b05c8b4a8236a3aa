"""TransferResults exports, summary, plots and the CLI."""

import json

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from congresslab import cli
from congresslab.cli.estimate import add_parser as add_estimate_parser
from congresslab.transfers import Bounds, LinearProgram, UnitTable, estimate
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


def main(argv: list[str]) -> int:
    """``congresslab estimate ARGV`` in-process (the verb may be omitted)."""
    return cli.main(argv if argv[:1] == ["estimate"] else ["estimate", *argv])


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
    df = pd.DataFrame([["a", 60, 40, 70, 30], ["b", 20, 80, 40, 60], ["c", 50, 50, 55, 45]],
                      columns=["fed", "A", "B", "x", "y"])
    r = estimate(df, "bounds", unit="fed", origin=["A", "B"], destination=["x", "y"])
    assert r.n_units == 3 and r.origin == ["A", "B"]


# ------------------------------------------------------------ review fixes (session 14)
def test_cli_line_number_of_a_bad_row(csv, capsys):
    df = pd.read_csv(csv)
    df.loc[4, "B"] = -3  # fifth data row = line 6 of the file (header is line 1)
    df.to_csv(csv, index=False)
    rc = main([str(csv), *ARGS, "--method", "bounds"])
    err = capsys.readouterr().err
    assert rc == 2 and ", line 6:" in err and "'B'" in err and "'f4'" in err


def test_cli_duplicate_units_give_their_lines(csv, capsys):
    df = pd.read_csv(csv)
    df.loc[7, "fed"] = "f2"
    df.to_csv(csv, index=False)
    rc = main([str(csv), *ARGS, "--method", "bounds"])
    assert rc == 2 and "line 9" in capsys.readouterr().err


def test_cli_margins_advice_uses_command_line_spelling(csv, capsys):
    df = pd.read_csv(csv)
    df.loc[0, "x"] += 5
    df.to_csv(csv, index=False)
    rc = main([str(csv), *ARGS, "--method", "bounds", "--margins", "error"])
    err = capsys.readouterr().err
    assert rc == 2 and "--margins entry_exit" in err and "margins='" not in err


@pytest.mark.parametrize("sep", [";", "\t"])
def test_cli_reads_semicolon_and_tab_separated_files(csv, capsys, sep):
    text = csv.read_text().replace(",", sep)
    csv.write_text(text)
    rc = main([str(csv), *ARGS, "--method", "bounds", "--json", "-"])
    assert rc == 0 and json.loads(capsys.readouterr().out)["n_units"] == 30


def test_cli_constrained_goodman(csv, capsys):
    rc = main([str(csv), *ARGS, "--method", "goodman", "--constrained", "--json", "-"])
    d = json.loads(capsys.readouterr().out)
    shares = np.array([list(v.values()) for v in d["transfer"].values()])
    assert rc == 0 and d["diagnostics"]["constrained"] is True
    assert shares.min() >= -1e-9 and shares.max() <= 1 + 1e-9
    rc = main([str(csv), *ARGS, "--method", "lp", "--constrained"])
    assert rc == 2 and "applies to --method goodman" in capsys.readouterr().err


def test_top_level_cli_survives_a_closed_pipe(csv):
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "congresslab.cli", "estimate", str(csv), *ARGS,
           "--method", "bounds", "--json", "-", "--quiet"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "Traceback" not in err and proc.returncode == 0


def test_cli_notes_use_command_line_spelling(tmp_path, capsys):
    path = write_small_2x2(tmp_path)
    rc = main([str(path), "--unit", "u", "--origin", "a,b", "--destination", "x,y",
               "--method", "bayes"])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 0 and "learned from the data" in out
    assert "--prior-rate 0.5 (PyEI) or --prior-rate 2 (eiPack)" in out
    assert "lambda2" not in out
    # the Python API keeps the Python spelling
    r = estimate(pd.read_csv(path), "bayes", unit="u", origin=["a", "b"],
                 destination=["x", "y"], progress=False)  # fmt: skip
    assert "Pass lambda2=0.5 (PyEI) or lambda2=2 (eiPack)" in str(r.summary())


def write_small_2x2(tmp_path):
    """Four units, two origins, two destinations: a bayes fit of well under a second."""
    path = tmp_path / "ok.csv"
    path.write_text("u,a,b,x,y\nu1,60,40,70,30\nu2,20,80,40,60\nu3,50,50,55,45\n"
                    "u4,30,70,45,55\n", encoding="utf-8")
    return path


class _ClosedPipe:
    """A stdout whose reader has gone (``| head`` done): every write raises."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:  # nothing pending until a write (tqdm flushes stdout)
        pass


def test_cli_json_file_is_written_even_if_stdout_closes(csv, tmp_path, monkeypatch):
    import io
    import sys

    out = tmp_path / "r.json"
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # main closes it on a broken pipe
    rc = main([str(csv), *ARGS, "--method", "lp", "--json", str(out)])
    assert rc == 0
    d = json.loads(out.read_text(encoding="utf-8"))  # complete: it parses
    assert REQUIRED <= set(d) and d["method"] == "lp" and d["n_units"] == 30


def test_simulated_data_are_labelled_everywhere():
    from congresslab.sim import simulate_congress

    sim = simulate_congress(like=2025, seed=3)
    r = estimate(sim.units, "lp", unit="federation", origin=sim.origin,
                 destination=sim.destination, progress=False, n_boot=5)  # fmt: skip
    assert r.simulated and r.table.simulated
    assert str(r.summary()).startswith("SIMULATED")
    assert "SIMULATED" in r.summary()._repr_html_()
    assert r.to_json(as_str=False)["simulated"] is True
    for fig in (plot_heatmap(r), plot_sankey(r)):
        assert fig.axes[0].get_title().startswith("SIMULATED")
    title = plot_heatmap(r, title_prefix="SIMULATED 2025-like").axes[0].get_title()
    assert title.count("SIMULATED") == 1
    real = table()
    assert not real.simulated and not Bounds(real).fit().to_json(as_str=False)["simulated"]
    assert UnitTable.from_arrays(real.X, real.T, simulated=True).subset([0, 1]).simulated


def test_simulated_flag_needs_every_row_true():
    df = pd.DataFrame({"SIMULATED": [True, False], "A": [5, 5], "B": [5, 0],
                       "x": [6, 4], "y": [4, 1]})  # fmt: skip
    assert not UnitTable.from_frame(df, origin=["A", "B"], destination=["x", "y"]).simulated
    df["SIMULATED"] = "True"  # as read back from a CSV written by another tool
    assert UnitTable.from_frame(df, origin=["A", "B"], destination=["x", "y"]).simulated


def _goodman_out_of_range():
    """Goodman on data with a strong contextual effect: shares outside [0, 1]."""
    rng = np.random.default_rng(5)
    X = rng.integers(50, 500, size=(40, 3))
    p = np.clip(0.1 + 1.5 * X[:, :1] / X.sum(1, keepdims=True), 0, 1)
    y = np.round(X.sum(1, keepdims=True) * p).astype(int)
    T = np.column_stack([y, X.sum(1, keepdims=True) - y])
    return estimate(UnitTable.from_arrays(X, T), "goodman")


def test_goodman_summary_flags_impossible_shares():
    r = _goodman_out_of_range()
    assert r.diagnostics["n_out_of_range"] > 0
    assert any("outside [0, 1]" in n for n in r.summary().notes())
    ok = estimate(table(), "goodman")
    assert ok.diagnostics["n_out_of_range"] == 0
    assert not any("outside [0, 1]" in n for n in ok.summary().notes())


def test_bounds_summary_has_no_level():
    s = str(Bounds(table()).fit().summary())
    assert "bounds (certain, no level)" in s and "rescaled so that each row sums to 1" in s


def test_sankey_negative_flows_warn_and_labels_match_blocks():
    r = _goodman_out_of_range()
    assert (r.counts.to_numpy() < 0).any()
    with pytest.warns(UserWarning, match="negative estimated flows"):
        fig = plot_sankey(r)
    drawn = np.clip(r.counts.to_numpy(), 0, None)
    labels = [t.get_text() for t in fig.axes[0].texts]
    for i, name in enumerate(r.origin):
        assert f"{name}\n{drawn[i].sum():,.0f}" in labels


def test_sankey_labels_do_not_overlap():
    tab = UnitTable.from_arrays([[500, 5, 6, 489]] * 3, [[400, 600]] * 3)
    fig = plot_sankey(LinearProgram(tab, n_boot=0, progress=False).fit())
    ys = sorted(t.get_position()[1] for t in fig.axes[0].texts if t.get_ha() == "right")
    assert min(np.diff(ys)) >= 0.075 - 1e-9


def test_results_of_simulated_data_say_so_everywhere(tmp_path):
    from congresslab.sim import simulate_congress

    sim = simulate_congress(like=2025, seed=4)
    assert sim.truth.attrs["SIMULATED"] and sim.true_transfer.attrs["SIMULATED"]
    res = estimate(sim.units, "bounds", unit="federation", origin=sim.origin,
                   destination=sim.destination)  # fmt: skip
    assert "SIMULATED" in repr(res) and res.transfer.attrs["SIMULATED"]
    for frame in (res.conf_int(), res.to_frame(), res.unit_transfer):
        assert frame.columns[0] == "SIMULATED" and frame["SIMULATED"].all()
    res.to_frame().to_csv(tmp_path / "r.csv", index=False)
    assert (tmp_path / "r.csv").read_text().startswith("SIMULATED,")
    real = estimate(sim.units.drop(columns="SIMULATED"), "bounds", unit="federation",
                    origin=sim.origin, destination=sim.destination)  # fmt: skip
    assert "SIMULATED" not in real.to_frame().columns and "SIMULATED" not in repr(real)
