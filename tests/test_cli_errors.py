"""Bad command-line input ends with a one-line message naming the culprit, never a traceback.

Each test runs ``congresslab.cli.main`` in-process (one through a subprocess) and checks the
exit code 2, the absence of a traceback and that the message names the offending option,
file or line. Nothing here writes under ``data/``: the raw folder is copied when needed.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from congresslab import cli, paths
from congresslab.cli import simulate

HEADER = "fed,a,b,x,y"
ROWS = ["f1,10,20,15,15", "f2,5,5,4,6", "f3,7,3,5,5", "f4,1,2,2,1", "f5,3,3,3,3"]
ESTIMATE = ["--unit", "fed", "--origin", "a,b", "--destination", "x,y", "--method", "bounds"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and stderr of ``congresslab ARGV``, argparse exits included."""
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse errors
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ----------------------------------------------------------- 1. unreadable / unwritable paths
def test_simulate_out_in_a_missing_directory(tmp_path, capsys):
    out = tmp_path / "missing" / "s.csv"
    code, err = run(["simulate", "--out", str(out)], capsys)
    assert code == 2 and "--out" in err and str(out) in err and "does not exist" in err
    assert len(err.strip().splitlines()) == 1


def test_simulate_out_is_a_directory(tmp_path, capsys):
    code, err = run(["simulate", "--out", str(tmp_path)], capsys)
    assert code == 2 and f"--out {tmp_path}: is a directory" in err


def test_simulate_truth_is_a_directory(tmp_path, capsys):
    code, err = run(["simulate", "--out", str(tmp_path / "u.csv"), "--truth", str(tmp_path)],
                    capsys)  # fmt: skip
    assert code == 2 and f"--truth {tmp_path}: is a directory" in err
    assert not (tmp_path / "u.csv").exists()  # checked before anything is written


def test_estimate_file_is_a_directory(tmp_path, capsys):
    code, err = run(["estimate", str(tmp_path), *ESTIMATE], capsys)
    assert code == 2 and str(tmp_path) in err and "Is a directory" in err


def test_os_errors_while_running_are_one_line_messages(tmp_path, capsys, monkeypatch):
    target = str(tmp_path / "s.csv")

    def refuse(args):
        raise PermissionError(13, "Permission denied", target)

    monkeypatch.setattr(simulate, "run", refuse)
    code, err = run(["simulate", "--out", target], capsys)
    assert code == 2
    assert err.strip() == f"congresslab simulate: error: {target}: Permission denied"


def test_no_traceback_from_the_installed_command(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "congresslab.cli", "simulate", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "--out" in proc.stderr


# ----------------------------------------------------------------- 2. numeric simulate options
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e9", "-0.5", "10.5"])
def test_simulate_dispersion_out_of_range(tmp_path, capsys, value):
    out = tmp_path / "u.csv"
    code, err = run(["simulate", f"--dispersion={value}", "--out", str(out)], capsys)
    assert code == 2 and "--dispersion" in err and "between 0 and 10" in err
    assert "pvals" not in err and "Warning" not in err and not out.exists()


@pytest.mark.parametrize(
    "option, value", [("--seed", "-1"), ("--n-federations", "1"), ("--n-federations", "99999")]
)
def test_simulate_other_numeric_options(tmp_path, capsys, option, value):
    code, err = run(["simulate", option, value, "--out", str(tmp_path / "u.csv")], capsys)
    assert code == 2 and f"{option} must be" in err and value in err


def test_simulate_accepts_the_largest_dispersion(tmp_path, capsys):
    out, truth = tmp_path / "u.csv", tmp_path / "t.csv"
    argv = ["simulate", "--dispersion", str(simulate.MAX_DISPERSION), "--out", str(out),
            "--truth", str(truth)]  # fmt: skip
    assert cli.main(argv) == 0
    assert "federation" in pd.read_csv(out).columns
    assert {"origin", "destination", "count"} <= set(pd.read_csv(truth).columns)


# ----------------------------------------------------------------------- 3. estimate --seed
@pytest.mark.parametrize("value", ["-1", "1.5", "x"])
def test_estimate_seed_is_checked_by_the_parser(tmp_path, capsys, value):
    csv = write_csv(tmp_path / "units.csv", [HEADER, *ROWS])
    code, err = run(["estimate", str(csv), *ESTIMATE, "--seed", value], capsys)
    assert code == 2 and "argument --seed" in err and "non-negative integer" in err
    assert "units.csv" not in err


# ------------------------------------------------------------------- 4. --truth same as --out
@pytest.mark.parametrize("spelling", ["same", "dot", "symlink"])
def test_simulate_truth_and_out_the_same_file(tmp_path, capsys, monkeypatch, spelling):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "u.csv"
    out.write_text("keep me\n")
    truth = {"same": str(out), "dot": "./u.csv", "symlink": str(tmp_path / "link.csv")}[spelling]
    if spelling == "symlink":
        (tmp_path / "link.csv").symlink_to(out)
    code, err = run(["simulate", "--out", str(out), "--truth", truth], capsys)
    assert code == 2 and "--truth" in err and "--out" in err and "same file" in err
    assert out.read_text() == "keep me\n"


# --------------------------------------------------------------- 5. corrupt datapackage.json
def test_corrupt_manifest_names_file_line_and_column(tmp_path, capsys, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)  # never touch data/raw itself
    manifest = raw / "datapackage.json"
    text = manifest.read_text(encoding="utf-8").replace('"name"', "name", 1)
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    monkeypatch.setattr(paths, "RAW", raw)
    monkeypatch.setattr(paths, "MANIFEST", manifest)
    monkeypatch.setattr(paths, "PROCESSED", tmp_path / "processed")
    code, err = run(["build-data"], capsys)
    assert code == 2 and str(manifest) in err
    assert f"line {expected.value.lineno}, column {expected.value.colno}" in err
    assert "Expecting property name" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "processed").exists()


def test_manifest_without_resources(tmp_path):
    from congresslab.data.raw import RawDataError, read_manifest

    manifest = tmp_path / "datapackage.json"
    manifest.write_text("[]", encoding="utf-8")
    with pytest.raises(RawDataError, match="datapackage.json.*resources"):
        read_manifest(manifest)


# ------------------------------------------------------------- 6. rows with a wrong field count
@pytest.mark.parametrize("line", [2, 3, 6])
def test_row_with_one_extra_field_gives_its_line(tmp_path, capsys, line):
    rows = list(ROWS)
    rows[line - 2] += ",9"
    csv = write_csv(tmp_path / "units.csv", [HEADER, *rows])
    code, err = run(["estimate", str(csv), *ESTIMATE], capsys)
    assert code == 2
    assert f"units.csv, line {line}: 6 fields where the header (line 1) has 5" in err
    assert "in unit" not in err and len(err.strip().splitlines()) == 1


def test_rows_with_missing_and_extra_fields(tmp_path, capsys):
    rows = list(ROWS)
    rows[1] = "f2,5,5"
    rows[3] += ",1"
    csv = write_csv(tmp_path / "units.csv", [HEADER, *rows])
    code, err = run(["estimate", str(csv), *ESTIMATE], capsys)
    assert code == 2 and "units.csv, lines 3, 5: 3 or 6 fields" in err


def test_extra_separator_in_a_semicolon_file(tmp_path, capsys):
    rows = [r.replace(",", ";") for r in ROWS]
    rows[2] += ";"
    csv = write_csv(tmp_path / "units.csv", [HEADER.replace(",", ";"), *rows])
    code, err = run(["estimate", str(csv), *ESTIMATE], capsys)
    assert code == 2 and "units.csv, line 4: 6 fields" in err and "';'" in err


def test_data_errors_give_file_lines_despite_blank_lines_and_quoted_newlines(tmp_path, capsys):
    # line 3 is blank, the unit on lines 5-6 has a newline in its quoted name
    lines = [HEADER, ROWS[0], "", ROWS[1], '"f 3', 'bis",7,3,5,5', "f4,1,-2,2,1"]
    csv = write_csv(tmp_path / "units.csv", lines)
    code, err = run(["estimate", str(csv), *ESTIMATE], capsys)
    assert code == 2 and "units.csv, line 7:" in err and "'f4'" in err and "negative" in err


def test_well_formed_file_still_reads(tmp_path, capsys):
    csv = write_csv(tmp_path / "units.csv", [HEADER, *ROWS, ""])
    assert cli.main(["estimate", str(csv), *ESTIMATE, "--json", "-", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["n_units"] == 5


@pytest.mark.parametrize("option", ["--out", "--truth"])
def test_simulate_refuses_a_spreadsheet_name_for_csv_text(tmp_path, capsys, option):
    argv = ["simulate", "--out", str(tmp_path / "u.csv")]
    argv += [option, str(tmp_path / "u.xlsx")] if option == "--truth" else []
    if option == "--out":
        argv = ["simulate", "--out", str(tmp_path / "u.xlsx")]
    code, err = run(argv, capsys)
    assert code == 2 and f"{option} " in err and "writes CSV text" in err
    assert not list(tmp_path.iterdir())


# ------------------------------------------------- 8. commands that need the notebooks extra
def block(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    """Make ``import MODULE`` fail as if it were not installed.

    The modules of the extra are imported for real first: a failed import of nbconvert would
    leave half of its submodules in ``sys.modules`` and break every later test that uses it.
    """
    for name in ("altair", "vl_convert", "nbformat", "nbconvert"):
        importlib.import_module(name)
    monkeypatch.setitem(sys.modules, module, None)


@pytest.mark.parametrize("module", ["altair", "vl_convert"])
def test_explorer_without_the_notebooks_extra(tmp_path, capsys, monkeypatch, module):
    block(monkeypatch, module)
    code, err = run(["explorer", "--out", str(tmp_path), "2025"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("congresslab explorer: error:") and f"'{module}'" in err
    assert "pip install 'congresslab[notebooks]'" in err
    assert not list(tmp_path.iterdir())  # nothing half-written


@pytest.mark.parametrize("module", ["nbformat", "nbconvert"])
def test_report_without_the_notebooks_extra(capsys, monkeypatch, module):
    block(monkeypatch, module)
    notebook = next(paths.NOTEBOOKS.glob("*.ipynb"))
    code, err = run(["report", str(notebook)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("congresslab report: error:") and f"'{module}'" in err
    assert "pip install 'congresslab[notebooks]'" in err


def test_other_missing_modules_still_give_a_traceback(capsys, monkeypatch):
    def broken(args):
        import congresslab_no_such_module  # noqa: F401  (a bug, not a missing extra)

    monkeypatch.setattr(cli.info, "run", broken)
    with pytest.raises(ModuleNotFoundError):
        cli.main(["info"])


# ------------------------------------------- 9. simulate --like a vote without enough totals
@pytest.mark.parametrize("argv, culprit", [
    (["--like", "2022"], "--like 2022"),
    (["--like", "2021", "--party", "LR"], "--party LR --like 2021"),
    (["--like", "2022", "--party", "XX"], "--party XX --like 2022"),
])
def test_simulate_like_without_totals_says_what_works(tmp_path, capsys, argv, culprit):
    out = tmp_path / "s.csv"
    code, err = run(["simulate", *argv, "--out", str(out)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"congresslab simulate: error: {culprit}: ")
    # what works, in command-line terms, read from the data
    assert "--like 2018, 2023 or 2025" in err and "--party LR --like 2022" in err
    assert "like=" not in err and "totals=" not in err and "CongressTotals" not in err
    assert not out.exists()


def test_python_api_keeps_its_python_advice():
    from congresslab.sim.congress import simulate_congress

    with pytest.raises(ValueError, match=r"pass totals=CongressTotals\(\.\.\.\)"):
        simulate_congress(like=2022)
