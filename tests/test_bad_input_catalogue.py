"""The catalogue of bad inputs of issue 17: each ends in a clear error or a warning.

Every case was accepted silently (or failed vaguely) before the one input layer
(:mod:`congresslab.data._parse`, :mod:`congresslab.data.tables`). A CLI case asserts exit
code 2, one line on stderr, no traceback, and that the message names the file and line,
the column or the option; an API case asserts the exception type and that the message
names the parameter. Then the parser and the reader are tested as units. Nothing here
writes under ``data/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from congresslab import cli, estimate, paths
from congresslab.data._parse import MAX_COUNT, parse_cell, parse_column
from congresslab.data.fedtables import load_federation_table
from congresslab.data.raw import parse_count, parse_share
from congresslab.data.tables import read_table
from congresslab.errors import (
    FederationTableError,
    InputWarning,
    NumberError,
    TableReadError,
    UnitTableError,
)
from congresslab.transfers.models.bounds import aggregate_bounds, clip_to_bounds

HEADER = "fed,a,b,x,y"
ROWS = ["f1,10,20,15,15", "f2,5,5,4,6", "f3,7,3,5,5", "f4,1,2,2,1", "f5,3,3,3,3", "f6,8,2,6,4"]
UNITS = ["--unit", "fed", "--origin", "a,b", "--destination", "x,y", "--quiet"]


def cli_run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``congresslab ARGV`` run in-process."""
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def one_error_line(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if not ln.startswith("warning:")]
    assert len(lines) == 1, err
    return lines[0]


# ================================================================ 1. the estimate command
@pytest.mark.parametrize(
    "rows, method, expected",
    [
        # a French thousands dot that estimate used to read as 1.1, settled by the column
        # ('2,5'-like evidence absent) -> refused when it can be either
        (["f1,\"1,000\",20,510,510"], "bounds",
         "cells.csv, line 2: origin column 'a', unit 'f1': '1,000' is ambiguous: 1000"),
        (["f2,1000000000000000000,5,4,1000000000000000001"], "bounds",
         "cells.csv, line 2: origin column 'a', unit 'f2': count above 1,000,000,000"),
        (["f2,99999999999999999999999,5,4,6"], "lp",
         "cells.csv, line 2: origin column 'a', unit 'f2': count above 1,000,000,000"),
        (["f2,119.5,5,4,6"], "bounds", "line 2: origin column 'a', unit 'f2': count that is not"),
        (["f2,119.5,5,4,6"], "goodman", "line 2: origin column 'a', unit 'f2': count that is not"),
        (["f2,119.5,5,4,6"], "lp", "line 2: origin column 'a', unit 'f2': count that is not"),
        (["f2,119.5,5,4,6"], "bayes", "line 2: origin column 'a', unit 'f2': count that is not"),
        (["F3,10,20,15,15", "F3 ,5,5,4,6"], "bounds",
         "cells.csv, line 3: duplicate unit id(s): 'F3' (ids are compared without surrounding"),
        ([",10,20,15,15"], "bounds", "cells.csv, line 2: unit column 'fed' has an empty unit id"),
        (["f2,NA,5,4,6"], "bounds", "line 2: origin column 'a', unit 'f2': 'NA' is not a number"),
    ],
)
def test_estimate_bad_cells(tmp_path, capsys, rows, method, expected):
    csv = write(tmp_path / "cells.csv", [HEADER, *rows, *ROWS[2:]])
    code, _, err = cli_run(["estimate", str(csv), *UNITS, "--method", method], capsys)
    assert code == 2
    assert expected in one_error_line(err)


def test_estimate_reads_a_thousands_column_as_thousands(tmp_path, capsys):
    # every cell of each column is ambiguous in the same way: thousands (was "Total 13")
    rows = ["f1,1.100,2.200,1.500,1.800", "f2,2.500,1.500,2.000,2.000",
            "f3,1.700,1.300,1.500,1.500"]
    csv = write(tmp_path / "thousands.csv", [HEADER, *rows])
    code, out, _ = cli_run(["estimate", str(csv), *UNITS, "--method", "bounds", "--json", "-"],
                           capsys)  # fmt: skip
    assert code == 0
    res = estimate(read_table(csv).frame(), "bounds", unit="fed", origin=["a", "b"],
                   destination=["x", "y"])  # fmt: skip
    assert res.table.X.sum() == 1100 + 2200 + 2500 + 1500 + 1700 + 1300
    assert json.loads(out)["n_units"] == 3


def test_estimate_na_is_a_unit_id(tmp_path):
    csv = write(tmp_path / "na.csv", [HEADER, "NA,10,20,15,15", *ROWS[1:]])
    res = estimate(read_table(csv).frame(), "bounds", unit="fed", origin=["a", "b"],
                   destination=["x", "y"])  # fmt: skip
    assert list(res.table.units)[0] == "NA"


@pytest.mark.parametrize("spelling", ["same", "dot", "symlink"])
def test_estimate_json_never_replaces_the_input(tmp_path, capsys, monkeypatch, spelling):
    monkeypatch.chdir(tmp_path)
    csv = write(tmp_path / "units.csv", [HEADER, *ROWS])
    before = csv.read_bytes()
    target = {"same": str(csv), "dot": "./units.csv", "symlink": "link.csv"}[spelling]
    if spelling == "symlink":
        (tmp_path / "link.csv").symlink_to(csv)
    code, _, err = cli_run(["estimate", str(csv), *UNITS, "--method", "bounds", "--json", target],
                           capsys)  # fmt: skip
    assert code == 2 and f"--json {target}: is the input file" in one_error_line(err)
    assert csv.read_bytes() == before


def test_estimate_json_never_under_data_raw(tmp_path, capsys):
    csv = write(tmp_path / "units.csv", [HEADER, *ROWS])
    target = paths.RAW / "estimate.json"
    code, _, err = cli_run(["estimate", str(csv), *UNITS, "--json", str(target)], capsys)
    assert code == 2 and f"--json {target}: is under data/raw/" in one_error_line(err)
    assert not target.exists()


@pytest.mark.parametrize("option", ["--out", "--truth"])
def test_simulate_never_writes_under_data_raw(tmp_path, capsys, option):
    before = {p: p.stat().st_mtime_ns for p in paths.RAW.iterdir()}
    raw_file = paths.RAW / "national_results.csv"
    spelled = str(paths.RAW / ".." / "raw" / "national_results.csv")
    argv = (["simulate", "--out", spelled] if option == "--out"
            else ["simulate", "--out", str(tmp_path / "u.csv"), "--truth", spelled])
    code, _, err = cli_run(argv, capsys)
    assert code == 2 and f"{option} {spelled}: is under data/raw/" in one_error_line(err)
    assert raw_file.exists() and {p: p.stat().st_mtime_ns for p in paths.RAW.iterdir()} == before
    assert not (tmp_path / "u.csv").exists()


def test_simulate_to_csv_refuses_data_raw():
    from congresslab.sim import simulate_congress

    sim = simulate_congress(like=2025, seed=0)
    with pytest.raises(ValueError, match=r"units_path .*national_results\.csv: is under data/raw"):
        sim.to_csv(paths.RAW / "national_results.csv")


@pytest.mark.parametrize("alpha, expected", [
    ("0.95", "--alpha 0.95 is the error level of the intervals (they are at level 1 - alpha = "
             "5 %); for 95 % intervals give --alpha 0.05"),
    ("0.6", "--alpha 0.6 is the error level"),
    ("-1", "alpha must be above 0 and at most 0.5"),
    ("nan", "alpha must be above 0 and at most 0.5"),
])  # fmt: skip
def test_estimate_alpha_is_the_error_level(tmp_path, capsys, alpha, expected):
    csv = write(tmp_path / "units.csv", [HEADER, *ROWS])
    code, _, err = cli_run(["estimate", str(csv), *UNITS, f"--alpha={alpha}"], capsys)
    assert code == 2 and expected in one_error_line(err)


def test_alpha_one_half_gives_50_percent_intervals(tmp_path, capsys):
    csv = write(tmp_path / "units.csv", [HEADER, *ROWS])
    code, out, _ = cli_run(["estimate", str(csv), *UNITS, "--method", "goodman", "--alpha",
                            "0.5", "--json", "-"], capsys)  # fmt: skip
    assert code == 0 and json.loads(out)["alpha"] == 0.5


def test_estimate_reads_xlsx(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    for row in [HEADER, *ROWS]:
        wb.active.append([c if c.startswith("f") or c in HEADER.split(",") else int(c)
                          for c in row.split(",")])  # fmt: skip
    for name in ("units.xlsx", "misnamed.csv"):
        wb.save(tmp_path / name)
        code, out, err = cli_run(["estimate", str(tmp_path / name), *UNITS, "--method", "bounds",
                                  "--json", "-"], capsys)  # fmt: skip
        assert code == 0 and "codec" not in err and json.loads(out)["n_units"] == 6
        if name == "misnamed.csv":
            assert "misnamed.csv is an Excel workbook" in err


def test_estimate_reads_latin1_and_says_so(tmp_path, capsys):
    csv = write(tmp_path / "latin.csv", ["féd;a;b;x;y", "Hérault;10;20;15;15",
                                         *(r.replace(",", ";") for r in ROWS[1:])], "latin-1")
    argv = ["estimate", str(csv), "--unit", "féd", "--origin", "a,b", "--destination", "x,y",
            "--method", "bounds", "--json", "-", "--quiet"]  # fmt: skip
    code, out, err = cli_run(argv, capsys)
    assert code == 0 and json.loads(out)["n_units"] == 6
    assert "warning: " in err and "latin.csv is not UTF-8 (line 1" in err and "latin-1" in err


def test_estimate_old_xls_is_named(tmp_path, capsys):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    code, _, err = cli_run(["estimate", str(xls), *UNITS], capsys)
    assert code == 2 and "old.xls: is an Excel 97-2003 workbook (.xls)" in one_error_line(err)


def test_estimate_two_blocks_in_one_file(tmp_path, capsys):
    csv = write(tmp_path / "blocks.csv", ["# provisional", HEADER, *ROWS, "# official", HEADER,
                                          *ROWS])  # fmt: skip
    code, _, err = cli_run(["estimate", str(csv), *UNITS], capsys)
    assert code == 2 and "blocks.csv, line 10: repeats the header of line 2" in one_error_line(err)


# ===================================================================== 2. lp's intervals
def _random_tables(seed: int, U: int, R: int, C: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(1, 60, size=(U, R, C)).astype(float)


@pytest.mark.parametrize("U, R", [(1, 2), (3, 5)])
def test_lp_with_too_few_units_gives_the_bounds_and_says_so(U, R):
    n = _random_tables(U + R, U, R, 2)  # the truth: one count table per unit
    X, T = n.sum(2), n.sum(1)
    with pytest.warns(UserWarning, match=rf"lp: {U} units? for {R} origins cannot identify"):
        res = estimate((X, T), "lp", seed=0, progress=False, n_boot=20)
    assert res.diagnostics["too_few_units"] is True and res.interval_kind == "bounds"
    lo, hi = aggregate_bounds(X, T)
    ci = res.conf_int()
    np.testing.assert_allclose(ci["lower"], lo.ravel())
    np.testing.assert_allclose(ci["upper"], hi.ravel())
    truth = n.sum(0) / X.sum(0)[:, None]
    assert ((ci["lower"] <= truth.ravel() + 1e-12) & (truth.ravel() <= ci["upper"] + 1e-12)).all()
    assert (ci["upper"] - ci["lower"] > 0).any()  # not the width-zero interval of before


def test_lp_intervals_are_cut_to_the_bounds():
    rng = np.random.default_rng(2)
    X = rng.integers(10, 100, (2, 2))
    T = np.column_stack([X.sum(1) * 0.6 // 1, X.sum(1) - X.sum(1) * 0.6 // 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # two units for two origins: no warning
        res = estimate((X, T), "lp", seed=0, progress=False)
    lo, hi = aggregate_bounds(X, T)
    assert res.diagnostics["too_few_units"] is False
    assert res.diagnostics["bootstrap"]["ends_cut_to_bounds"] > 0
    for a in (0.05, 0.2):  # at any level asked afterwards too
        ci = res.conf_int(a)
        assert (ci["lower"] >= lo.ravel() - 1e-12).all()
        assert (ci["upper"] <= hi.ravel() + 1e-12).all()
        assert (ci["lower"] <= ci["estimate"]).all() and (ci["estimate"] <= ci["upper"]).all()


def test_clip_to_bounds_keeps_the_estimate_and_nan():
    lo, hi = np.array([0.4, 0.0, 0.2]), np.array([0.9, 1.0, 0.6])
    a, b = clip_to_bounds(np.array([0.92, np.nan, 0.1]), np.array([0.99, np.nan, 0.3]),
                          np.array([0.8, 0.5, 0.25]), lo, hi)  # fmt: skip
    np.testing.assert_allclose(a, [0.8, np.nan, 0.2])
    np.testing.assert_allclose(b, [0.9, np.nan, 0.3])


# ============================================================ 3. estimate()'s arguments
FRAME = pd.DataFrame({"fed": ["f1", "f2", "f3", "f4"], "a": [10, 5, 7, 1], "b": [20, 5, 3, 2],
                      "x": [15, 4, 5, 2], "y": [15, 6, 5, 1]})  # fmt: skip
COLS = {"unit": "fed", "origin": ["a", "b"], "destination": ["x", "y"]}


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"seed": "abc"}, TypeError, r"seed must be a non-negative integer or None, got 'abc'"),
    ({"seed": -1}, ValueError, r"seed must be a non-negative integer or None, got -1"),
    ({"seed": 1.5}, TypeError, r"seed must be"),
    ({"alpha": -1}, ValueError, r"alpha must be above 0 and at most 0\.5"),
    ({"alpha": 2}, ValueError, r"alpha must be above 0 and at most 0\.5"),
    ({"alpha": 0.95}, ValueError, r"alpha=0\.95 is the error level.*give alpha=0\.05"),
    ({"alpha": "0.05"}, TypeError, r"alpha must be a number"),
    ({"prior_rate": 1.0}, TypeError,
     r"option lambda2= \(prior_rate=\) is not an option of method 'lp': it applies to "
     r"method 'bayes'"),
    ({"prior_rate": 1.0, "lambda2": 2.0}, TypeError, r"lambda2= or its alias prior_rate="),
])  # fmt: skip
def test_estimate_checks_its_arguments(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        estimate(FRAME, "lp", n_boot=0, progress=False, **COLS, **kwargs)


def test_conf_int_checks_alpha_too():
    res = estimate(FRAME, "bounds", **COLS)
    with pytest.raises(ValueError, match=r"alpha=0\.95 is the error level.*give alpha=0\.05"):
        res.conf_int(0.95)


def test_prior_rate_is_lambda2(monkeypatch):
    import congresslab.transfers.api as api

    seen = {}

    class Fake:  # the Bayesian model's options, without the sampler
        def __init__(self, table, lambda2=None, seed=0, progress=True):
            seen.update(lambda2=lambda2, seed=seed)

        def fit(self, alpha):
            return "fitted"

    real = api._model_class
    monkeypatch.setattr(api, "_model_class", lambda m: Fake if m == "bayes" else real(m))
    assert estimate(FRAME, "bayes", prior_rate=0.5, **COLS) == "fitted"
    assert seen["lambda2"] == 0.5


@pytest.mark.parametrize("frame, pattern", [
    (FRAME.assign(a=[10, 5, 7, 10**18]), r"'a', unit 'f4': count above 1,000,000,000"),
    (FRAME.assign(a=[10, 5, 7, 119.5]), r"'a', unit 'f4': count that is not a whole number"),
    (FRAME.assign(a=["10", "5", "7", "1,5"]), r"'a', unit 'f4': count that is not a whole"),
    (FRAME.assign(a=[10, 5, 7, True]), r"'a', unit 'f4': 'True' is not a number|True"),
    (FRAME.assign(fed=["F3", "F3 ", "f3", "f4"]), r"duplicate unit id\(s\): 'F3'"),
    (FRAME.assign(fed=["f1", "  ", "f3", "f4"]), r"unit column 'fed' has an empty unit id"),
    (FRAME.assign(fed=["f1", np.nan, "f3", "f4"]), r"empty unit id \(a unit named NA\?"),
])  # fmt: skip
def test_estimate_refuses_bad_frames(frame, pattern):
    with pytest.raises(UnitTableError, match=pattern):
        estimate(frame, "bounds", **COLS)


def test_bayes_refuses_fractional_expected_counts():
    from congresslab.transfers import UnitTable

    X = np.array([[10.0, 20.0], [5.0, 5.0], [7.0, 3.0]])
    P = np.array([[0.55, 0.45], [0.3, 0.7]])
    with pytest.raises(UnitTableError, match=r"pass whole=False"):
        UnitTable.from_arrays(X, X @ P)
    tab = UnitTable.from_arrays(X, X @ P, whole=False)
    with pytest.raises(UnitTableError, match=r"method 'bayes' needs whole counts"):
        estimate(tab, "bayes")


# ====================================================== 4. load_federation_table's cases
FED = "Fédération;Inscrits;Votants;Blancs et nuls;Exprimés;Faure;Mayer-Rossignol"


@pytest.mark.parametrize("lines, pattern", [
    (["# provisional", FED, "Ain;1000;600;10;590;300;290", "# official", FED,
      "Ain;1000;600;10;590;310;280"],
     r"blocks\.csv, row 5: repeats the header of line 2: a second table"),
    (["# provisional", FED, "Ain;1000;600;10;590;300;290", "# official",
      "Ain;1000;600;10;590;310;280"],
     r"blocks\.csv, row 5, column 'Fédération': duplicate federation 'Ain' \(01, already in "
     r"row 3\); a file holds one table"),
    ([FED, "Ain;1,000;600;10;590;300;290", "Aisne;500;300;0;300;100;200"],
     r"blocks\.csv, row 2, column 'Inscrits': '1,000' is ambiguous: 1000 .* or 1 "),
])  # fmt: skip
def test_federation_table_cases(tmp_path, lines, pattern):
    with pytest.raises(FederationTableError, match=pattern):
        load_federation_table(write(tmp_path / "blocks.csv", lines))


def test_federation_table_and_estimate_read_1100_alike(tmp_path):
    fed = load_federation_table(write(tmp_path / "f.csv", [
        FED, "Ain;1.100;600;10;590;300;290", "Aisne;2.500;300;0;300;100;200"]))  # fmt: skip
    assert fed["registered"].tolist() == [1100, 2500]
    units = write(tmp_path / "u.csv", ["fed;a;b;x;y", "f1;1.100;2.200;1.500;1.800",
                                       "f2;2.500;1.500;2.000;2.000"])  # fmt: skip
    frame = read_table(units).frame()
    res = estimate(frame, "bounds", unit="fed", origin=["a", "b"], destination=["x", "y"])
    assert res.table.X[:, 0].tolist() == [1100, 2500]


# ================================================================= 5. where ROOT is found
def _fake_checkout(folder: Path) -> Path:
    (folder / "data" / "raw").mkdir(parents=True)
    (folder / "data" / "raw" / "datapackage.json").write_text('{"resources": []}')
    (folder / "pyproject.toml").write_text('[project]\nname = "congresslab"\n')
    (folder / "notebooks").mkdir()
    return folder


def test_root_from_the_working_directory_is_said(tmp_path):
    copy = _fake_checkout(tmp_path / "copy")
    env = {k: v for k, v in os.environ.items() if k != "CONGRESSLAB_ROOT"}
    code = ("import warnings; warnings.simplefilter('always')\n"
            "from congresslab import paths; print(paths.ROOT)")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code], cwd=copy / "notebooks", env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.stdout.strip() == str(copy.resolve())
    assert f"congresslab uses the data of {copy.resolve()} (found from the current working " \
           "directory)" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "congresslab.cli", "info"], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.stderr.startswith(f"note: congresslab uses the data of {copy.resolve()}")


def test_root_is_the_package_outside_any_checkout(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "CONGRESSLAB_ROOT"}
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", "from congresslab import paths; print(paths.ROOT)"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.strip() == str(paths.PACKAGE_ROOT)


def test_find_checkout_needs_the_manifest_and_the_name(tmp_path):
    copy = _fake_checkout(tmp_path / "c")
    assert paths.find_checkout(copy / "notebooks") == copy.resolve()
    (copy / "pyproject.toml").write_text('[project]\nname = "other"\n')
    assert paths.find_checkout(copy) is None


# ========================================================== 6. the parser, as a unit
@pytest.mark.parametrize("cells, kind, expected", [
    (["1.100", "2.300", "850.000"], "number", [1100, 2300, 850000]),  # all ambiguous: thousands
    (["1,100", "2,5"], "number", [1.1, 2.5]),  # '2,5' settles ',' as decimal
    (["1.100", "2,5"], "number", [1100, 2.5]),  # decimal comma: the dot is thousands
    (["1.100", "1.234.567"], "number", [1100, 1234567]),
    (["1,100", "1,234,567"], "number", [1100, 1234567]),  # English thousands
    (["1.100", "1,234,567"], "number", [1.1, 1234567]),  # English: the dot is decimal
    (["1.100", "850"], "count", [1100, 850]),  # 1.1 is no count
    (["12 689", "1\u202f234", "24\u00a0701", "1'000"], "count", [12689, 1234, 24701, 1000]),
    (["1 234,5", "1.234,567", "1,234.5"], "number", [1234.5, 1234.567, 1234.5]),
    (["42,21 %", "1,234"], "share", [42.21, 1.234]),  # a percentage has no thousands
    (["", None, float("nan"), "-"], "count", [None, None, None, None]),
    ([3, 4.0, np.int64(5)], "count", [3, 4, 5]),
])  # fmt: skip
def test_parse_column(cells, kind, expected):
    assert parse_column(cells, kind) == expected


@pytest.mark.parametrize("cells, kind, index, pattern", [
    (["1,000", "850"], "count", 0, r"'1,000' is ambiguous: 1000 .* or 1 .*write 1000 or 1,0"),
    (["500", "1.100"], "number", 1, r"'1.100' is ambiguous: 1100 .* or 1\.1 "),
    (["1.100", "2.5", "1.234.567"], "number", 0, r"uses '\.' both ways"),
    (["10", "119.5"], "count", 1, r"count that is not a whole number: '119.5'"),
    (["1000000001"], "count", 0, r"count above 1,000,000,000"),
    ([2**70], "count", 0, r"count above 1,000,000,000"),
    (["-3"], "count", 0, r"negative count"),
    (["57 %"], "count", 0, r"percentage '57 %' in a count column"),
    (["12 a"], "number", 0, r"'12 a' is not a number"),
    (["1 2"], "number", 0, r"'1 2' is not a number"),  # groups of three only
    (["1.234.5"], "number", 0, r"separators mixed up"),
    ([True], "count", 0, r"True is not a number"),
])  # fmt: skip
def test_parse_column_refuses(cells, kind, index, pattern):
    with pytest.raises(NumberError, match=pattern) as info:
        parse_column(cells, kind)
    assert info.value.index == index


def test_ambiguous_error_carries_both_readings():
    with pytest.raises(NumberError) as info:
        parse_column(["1.100", "7"])
    assert info.value.readings == (1100, 1.1)


def test_one_cell_means_one_number_in_every_reader():
    assert parse_count("37.991") == parse_cell("37.991", "count") == 37991
    assert parse_share("42,21 %") == parse_cell("42,21 %") == 42.21
    from congresslab.data.fedtables import parse_french_number

    assert parse_french_number("1.234") == parse_cell("1.234") == 1234
    assert MAX_COUNT == 10**9


# ========================================================== 7. the reader, as a unit
def test_reader_bom_comments_blank_lines_and_line_numbers(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("\ufeff# a comment, with a comma\nfed;a\n\nf1;1\n# another\nf2;2\n".encode())
    t = read_table(p)
    assert t.header == ["fed", "a"] and t.header_line == 2 and t.encoding == "utf-8"
    assert t.rows == [(4, ["f1", "1"]), (6, ["f2", "2"])]


def test_reader_quoted_newline_and_hash_inside_quotes(tmp_path):
    p = write(tmp_path / "q.csv", ["fed,a", '"f 1', '# not a comment",3', "f2,4"])
    t = read_table(p)
    assert t.rows == [(2, ["f 1\n# not a comment", "3"]), (4, ["f2", "4"])]


@pytest.mark.parametrize("text, sep, row", [
    ("fed\ta\tb\nf\t1\t2\n", "\t", ["f", "1", "2"]),
    ("fed;a;b,c\nf;1;2,5\n", ";", ["f", "1", "2,5"]),  # the most frequent on the header
    ("fed,a;b\nf,1;2\n", ";", ["f,1", "2"]),  # a tie, both split alike: ';' (French)
    ("fed,a;b\nf;1;2,x\n", ",", ["f;1;2", "x"]),  # a tie: ',' splits every line alike
])  # fmt: skip
def test_reader_separators(tmp_path, text, sep, row):
    p = tmp_path / "s.csv"
    p.write_text(text)
    t = read_table(p)
    assert t.separator == sep and t.rows == [(2, row)]


def test_reader_latin1_and_cp1252_are_reported(tmp_path):
    p = write(tmp_path / "l.csv", ["féd;a", "Hérault;1"], "latin-1")
    with pytest.warns(InputWarning, match=r"l\.csv is not UTF-8 \(line 1: byte 0xe9\); read as "
                                          r"latin-1"):
        assert read_table(p).encoding == "latin-1"
    p = write(tmp_path / "w.csv", ["féd;a", "Cœur;1"], "cp1252")
    with pytest.warns(InputWarning, match="read as cp1252"):
        t = read_table(p)
    assert t.rows[0][1][0] == "Cœur"


def test_reader_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["# a note"], ["fed", "a", None], [], ["f1", 3, None], ["f2", "1 100", None]):
        ws.append(row)
    wb.save(tmp_path / "t.xlsx")
    t = read_table(tmp_path / "t.xlsx")
    assert t.encoding == "xlsx" and t.separator is None and t.header == ["fed", "a"]
    assert t.rows == [(4, ["f1", 3]), (5, ["f2", "1 100"])]
    ws.append(["f3", 4, "stray"])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(TableReadError, match=r"values beyond the last named column.*'stray'") as e:
        read_table(tmp_path / "t.xlsx")
    assert e.value.lines == [6]


@pytest.mark.parametrize("lines, expected_lines, pattern", [
    (["fed,a,b", "f1,1", "f2,1,2"], [2], r"2 fields where the header \(line 1\) has 3"),
    (["fed,a,b", "f1,1,2,3", "f2,1,2"], [2],
     r"4 fields where the header \(line 1\) has 3 \(extra value\(s\) \['3'\]; a value containing "
     r"',' must be quoted\)"),
    (["fed,a,b", "f1,1,2,", "f2,1,2"], [2], r"4 fields"),  # one stray separator
    (["fed,a,a", "f1,1,2"], [1], r"column 'a' appears twice in the header"),
    (["# only a comment"], [], r"the file is empty"),
])  # fmt: skip
def test_reader_ragged_and_odd_files(tmp_path, lines, expected_lines, pattern):
    with pytest.raises(TableReadError, match=pattern) as info:
        read_table(write(tmp_path / "r.csv", lines))
    assert info.value.lines == expected_lines


def test_reader_accepts_empty_columns_past_the_header(tmp_path):
    t = read_table(write(tmp_path / "e.csv", ["fed;a", "f1;1;;", "f2;2;;"]))
    assert t.rows == [(2, ["f1", "1"]), (3, ["f2", "2"])]


def test_reader_refuses_binary(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(b"fed,a\n\x00\x01")
    with pytest.raises(TableReadError, match=r"not a text file \(a NUL byte at byte 6\)"):
        read_table(p)


@pytest.mark.parametrize("last", ["TOTAL,34,35,35,34", "Ensemble,1,1,1,1", "sum,34,35,35,34"])
def test_estimate_refuses_a_total_row(tmp_path, capsys, last):
    csv = write(tmp_path / "units.csv", [HEADER, *ROWS, last])
    code, _, err = cli_run(["estimate", str(csv), *UNITS, "--method", "lp"], capsys)
    assert code == 2 and "line 8" in err and "total row" in one_error_line(err)
