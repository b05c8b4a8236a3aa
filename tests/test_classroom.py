"""Classroom kit: SIMULATED tables per student, key, handout, grading, and bad input."""

from __future__ import annotations

import json
import re
import shlex

import pandas as pd
import pytest

from congresslab import paths
from congresslab.classroom import (
    StudentGrade,
    grade,
    grade_class,
    make_classroom,
    read_key,
    student_seed,
)
from congresslab.cli import main


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return make_classroom(2, like=2025, seed=3, out=tmp_path_factory.mktemp("c") / "kit")


def fake_result(key: pd.DataFrame, student: str, *, shift: float = 0.0, half: float = 0.02,
                **extra) -> dict:
    """A result in the layout of `congresslab estimate --json`, built from the truth."""
    mine = key[key.student == student]
    transfer: dict = {}
    interval: dict = {}
    for r in mine.itertuples():
        v = r.true_share + shift
        transfer.setdefault(r.origin, {})[r.destination] = v
        interval.setdefault(r.origin, {})[r.destination] = [v - half, v + half]
    out = {"method": "lp", "origin": list(dict.fromkeys(mine.origin)),
           "destination": list(dict.fromkeys(mine.destination)), "transfer": transfer,
           "interval": interval, "n_units": int(mine.n_units.iloc[0]), "simulated": True}
    out.update(extra)
    return out


def write_json(path, obj) -> str:
    path.write_text(json.dumps(obj), encoding="utf-8")
    return str(path)


def one_line_error(capsys, argv: list[str], *needles: str) -> str:
    rc = main(argv)
    err = capsys.readouterr().err.strip()
    assert rc == 2, err
    assert len(err.splitlines()) == 1, err
    for needle in needles:
        assert needle in err, err
    return err


# ----------------------------------------------------------------------------- the kit
def test_kit_files_say_simulated_and_differ(kit):
    names = sorted(p.name for p in kit.out.iterdir())
    assert names == ["handout.md", "key.csv", "student-01.csv", "student-02.csv"]
    a = pd.read_csv(kit.student_file(1))
    b = pd.read_csv(kit.student_file("02"))
    assert a.columns[0] == "SIMULATED" and a["SIMULATED"].all() and b["SIMULATED"].all()
    assert not a["r1_vallaud"].equals(b["r1_vallaud"])  # distinct seeds
    # national totals are the official ones for every student
    assert a["r2_faure"].sum() == b["r2_faure"].sum() == 12689
    key = read_key(kit.out / "key.csv")
    assert key.columns[0] == "SIMULATED" and key["SIMULATED"].all()
    assert key.groupby("student")["seed"].nunique().eq(1).all()
    assert key.groupby("student")["dispersion"].first().nunique() == 2  # heterogeneity varies
    asked = key[key.asked & (key.student == "01")]
    assert asked[["origin", "destination"]].values.tolist() == [
        ["r1_vallaud", "r2_faure"], ["r1_vallaud", "r2_mayer_rossignol"]]
    # the key is the truth of the table: true counts sum to the student's round-1 columns
    mine = key[key.student == "01"]
    sums = mine.groupby("origin")["true_count"].sum()
    assert (sums == a[sums.index].sum()).all()
    handout = kit.handout.read_text(encoding="utf-8")
    assert handout.startswith("# SIMULATED congress") and "SIMULATED" in handout
    assert "congresslab estimate student-01.csv" in handout


def test_same_seed_same_files(kit, tmp_path):
    again = make_classroom(2, like=2025, seed=3, out=tmp_path / "again")
    for name in ("student-01.csv", "key.csv", "handout.md"):
        assert (again.out / name).read_bytes() == (kit.out / name).read_bytes()
    # a student's congress does not depend on the class size
    three = make_classroom(3, like=2025, seed=3, out=tmp_path / "three")
    assert (three.out / "student-02.csv").read_bytes() == (kit.out / "student-02.csv").read_bytes()
    assert list(student_seed(3, 2)) == three.key.query("student == '02'")[
        ["seed", "dispersion"]].iloc[0].tolist()


def test_dispersion_spans_the_range_even_in_a_small_class():
    values = sorted(student_seed(11, i)[1] for i in range(1, 6))
    assert values[0] < 0.5 and values[-1] > 0.8


@pytest.mark.parametrize("like, asked", [
    (2018, [("r1_le_foll", "r2_faure"), ("r1_maurel", "r2_faure"),
            ("r1_carvounas", "r2_faure")]),
    (2023, [("r1_geoffroy", "r2_faure"), ("r1_geoffroy", "r2_mayer_rossignol")]),
])
def test_other_congresses(tmp_path, like, asked):
    kit = make_classroom(1, like=like, seed=0, out=tmp_path / "k")
    got = kit.key.loc[kit.key.asked, ["origin", "destination"]]
    assert [tuple(r) for r in got.values] == asked
    assert f"{like} Parti socialiste" in kit.handout.read_text(encoding="utf-8")
    g = grade(kit.key, fake_result(kit.key, "01"), "01")
    assert g.mae_pp == pytest.approx(0) and g.covered == len(asked)


# ----------------------------------------------------------------------------- grading
def test_grade_scores_error_and_coverage(kit):
    perfect = grade(kit.key, fake_result(kit.key, "01"), "01")
    assert isinstance(perfect, StudentGrade)
    assert perfect.mae_pp == pytest.approx(0, abs=1e-9) and perfect.covered == 2
    assert "very close" in perfect.comment
    off = grade(kit.key, fake_result(kit.key, "01", shift=0.06, half=0.01), 1)
    assert off.cells["error_pp"].tolist() == pytest.approx([6.0, 6.0])
    assert off.covered == 0 and not off.cells["inside"].any()
    assert "roughly right" in off.comment and "too confident" in off.comment
    far = grade(kit.key, fake_result(kit.key, "01", shift=-0.2, half=0.5), "01")
    assert far.mae_pp == pytest.approx(20) and far.covered == 2 and "far" in far.comment
    # the true values come from the key, student by student
    truth = kit.key.query("student == '02' and asked")["true_share"].tolist()
    g2 = grade(kit.key, fake_result(kit.key, "02"), "02")
    assert g2.cells["true_pct"].tolist() == pytest.approx([100 * t for t in truth])


def test_grade_reads_csv_results(kit, tmp_path):
    res = fake_result(kit.key, "02", shift=0.01)
    rows = [{"origin": o, "destination": d, "share": v, "count": 0.0,
             "lower": res["interval"][o][d][0], "upper": res["interval"][o][d][1]}
            for o, row in res["transfer"].items() for d, v in row.items()]
    path = tmp_path / "student-02-result.csv"
    pd.DataFrame(rows).to_csv(path, index=False)  # the layout of TransferResults.to_frame()
    g = grade(kit.out / "key.csv", path)  # student number from the file name
    assert g.student == "02" and g.mae_pp == pytest.approx(1.0)


def test_class_table(kit, tmp_path, capsys):
    folder = tmp_path / "results"
    folder.mkdir()
    write_json(folder / "student-02-result.json", fake_result(kit.key, "02", shift=0.03))
    (folder / "notes.txt").write_text("not a result")
    table = grade_class(kit.out / "key.csv", folder)
    assert table["student"].tolist() == ["01", "02"]
    assert table.loc[0, "comment"] == "no result"
    assert table.loc[1, "mae_pp"] == pytest.approx(3.0)
    assert table["SIMULATED"].all()
    out_csv = tmp_path / "class.csv"
    assert main(["grade", "--key", str(kit.out / "key.csv"), "--csv", str(out_csv),
                 str(folder)]) == 0
    out = capsys.readouterr().out
    assert "SIMULATED" in out and "no result" in out
    assert pd.read_csv(out_csv, dtype={"student": str})["student"].tolist() == ["01", "02"]


def test_round_trip_classroom_estimate_grade_from_the_handout(tmp_path, capsys, monkeypatch):
    kit_dir = tmp_path / "kit"
    assert main(["classroom", "--students", "2", "--like", "2025", "--seed", "5",
                 "--out", str(kit_dir)]) == 0
    assert "SIMULATED classroom" in capsys.readouterr().out
    handout = (kit_dir / "handout.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", handout, re.S).group(1)
    argv = shlex.split(block.replace("\\\n", " "))
    assert argv[:2] == ["congresslab", "estimate"] and "--method" in argv
    monkeypatch.chdir(kit_dir)  # the handout's command runs beside the student's file
    assert main([*argv[1:], "--quiet"]) == 0
    result = kit_dir / "student-01-result.json"
    assert json.loads(result.read_text())["simulated"] is True
    assert main(["grade", "--key", "key.csv", "--student", "01", str(result)]) == 0
    out = capsys.readouterr().out
    assert "student 01 (method lp)" in out and "r1_vallaud" in out
    g = grade(kit_dir / "key.csv", result, "01")
    est = json.loads(result.read_text())["transfer"]["r1_vallaud"]["r2_faure"]
    true = read_key(kit_dir / "key.csv").query(
        "student == '01' and origin == 'r1_vallaud' and destination == 'r2_faure'")
    assert g.cells.loc[0, "error_pp"] == pytest.approx(100 * (est - true.true_share.iloc[0]))
    assert g.mae_pp < 15  # lp on a SIMULATED congress is not wildly off
    assert main(["grade", "--key", "key.csv", "."]) == 0  # the kit folder as results folder
    assert "no result" in capsys.readouterr().out  # student 02 handed nothing in


# ----------------------------------------------------------------------------- bad input
def test_classroom_needs_at_least_one_student(capsys, tmp_path):
    one_line_error(capsys, ["classroom", "--students", "0", "--out", str(tmp_path / "k")],
                   "--students", "got 0")
    assert not (tmp_path / "k").exists()


def test_classroom_rejects_an_unsupported_like(capsys, tmp_path):
    one_line_error(capsys, ["classroom", "--students", "1", "--like", "2008", "--out",
                            str(tmp_path / "k")], "--like 2008")


def test_classroom_rejects_a_negative_seed(capsys, tmp_path):
    one_line_error(capsys, ["classroom", "--students", "1", "--seed", "-1", "--out",
                            str(tmp_path / "k")], "--seed")


def test_classroom_refuses_data_raw(capsys):
    target = paths.RAW / "classroom-kit"
    one_line_error(capsys, ["classroom", "--students", "1", "--out", str(target)],
                   "data/raw")
    one_line_error(capsys, ["classroom", "--students", "1", "--out", str(paths.RAW),
                            "--force"], "data/raw")
    assert not target.exists()


def test_classroom_refuses_a_non_empty_folder_without_force(capsys, tmp_path):
    (tmp_path / "old.txt").write_text("keep me")
    one_line_error(capsys, ["classroom", "--students", "1", "--out", str(tmp_path)],
                   str(tmp_path), "--force")
    (tmp_path / "student-07.csv").write_text("a previous kit's table")
    assert main(["classroom", "--students", "1", "--out", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "old.txt").read_text() == "keep me"
    assert (tmp_path / "student-01.csv").exists()
    assert not (tmp_path / "student-07.csv").exists()  # not in this kit's key


def test_classroom_refuses_a_file_as_out(capsys, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    one_line_error(capsys, ["classroom", "--students", "1", "--out", str(f)],
                   "not a directory")


def test_grade_missing_key(capsys, tmp_path):
    one_line_error(capsys, ["grade", "--key", str(tmp_path / "nokey.csv"), "--student", "01",
                            str(tmp_path / "r.json")], "--key", "nokey.csv")


def test_grade_key_that_is_not_a_key(capsys, kit):
    one_line_error(capsys, ["grade", "--key", str(kit.student_file(1)), "--student", "01",
                            "r.json"], "--key", "not a classroom key")


def test_grade_student_not_in_key(capsys, kit, tmp_path):
    r = write_json(tmp_path / "r.json", fake_result(kit.key, "01"))
    one_line_error(capsys, ["grade", "--key", str(kit.out / "key.csv"), "--student", "7", r],
                   "--student 7", "01–02")


def test_grade_result_for_another_exercise(capsys, kit, tmp_path):
    other = make_classroom(1, like=2023, seed=0, out=tmp_path / "k2023")
    r = write_json(tmp_path / "r.json", fake_result(other.key, "01"))
    one_line_error(capsys, ["grade", "--key", str(kit.out / "key.csv"), "--student", "01", r],
                   "r.json", "another exercise")


def test_grade_result_not_simulated_or_other_units(capsys, kit, tmp_path):
    key = str(kit.out / "key.csv")
    r = write_json(tmp_path / "r.json", fake_result(kit.key, "01", simulated=False))
    one_line_error(capsys, ["grade", "--key", key, "--student", "01", r], "SIMULATED")
    r = write_json(tmp_path / "r.json", fake_result(kit.key, "01", n_units=40))
    one_line_error(capsys, ["grade", "--key", key, "--student", "01", r], "40 units")


def test_grade_result_missing_or_broken(capsys, kit, tmp_path):
    key = str(kit.out / "key.csv")
    one_line_error(capsys, ["grade", "--key", key, "--student", "01",
                            str(tmp_path / "none.json")], "none.json", "no such file")
    bad = tmp_path / "bad.json"
    bad.write_text('{"transfer": ')
    one_line_error(capsys, ["grade", "--key", key, "--student", "01", str(bad)],
                   "bad.json", "not valid JSON")
    bad.write_text('{"method": "lp"}')
    one_line_error(capsys, ["grade", "--key", key, "--student", "01", str(bad)],
                   "bad.json", "transfer")
    res = fake_result(kit.key, "01")
    del res["transfer"]["r1_vallaud"]
    res["origin"].remove("r1_vallaud")
    r = write_json(tmp_path / "r.json", res)
    one_line_error(capsys, ["grade", "--key", key, "--student", "01", r], "another exercise")


def test_grade_needs_a_student_number(capsys, kit, tmp_path):
    r = write_json(tmp_path / "mine.json", fake_result(kit.key, "01"))
    one_line_error(capsys, ["grade", "--key", str(kit.out / "key.csv"), r],
                   "mine.json", "--student")


def test_grade_folder_problems(capsys, kit, tmp_path):
    key = str(kit.out / "key.csv")
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(capsys, ["grade", "--key", key, str(empty)], "empty", "no result file")
    write_json(empty / "student-01-result.json", fake_result(kit.key, "01"))
    write_json(empty / "student-1-lp.json", fake_result(kit.key, "01"))
    table = grade_class(kit.out / "key.csv", empty)  # the class is still graded
    row = table.set_index("student").loc["01"]
    assert row["comment"].startswith("not graded: two results") and pd.isna(row["mae_pp"])
    (empty / "student-02.json").write_text("{}")
    row = grade_class(kit.out / "key.csv", empty).set_index("student").loc["02"]
    assert row["comment"].startswith("not graded: result") and "transfer" in row["comment"]
    (empty / "student-02.json").unlink()
    one_line_error(capsys, ["grade", "--key", key, "--student", "01", str(empty)],
                   "--student 01", "one result file")
    (empty / "student-1-lp.json").unlink()
    write_json(empty / "student-09-result.json", fake_result(kit.key, "01"))
    one_line_error(capsys, ["grade", "--key", key, str(empty)], "student-09-result.json",
                   "student 09 is not in the key")


def test_readme_round_trip_word_for_word(tmp_path, monkeypatch, capsys):
    """The README's classroom commands, run as written (one student, a class of 2)."""
    import re
    import shlex
    import subprocess

    from congresslab import paths as p

    block = re.search(r"```bash\n(congresslab classroom.*?)```", (p.ROOT / "README.md").read_text(),
                      re.S).group(1)  # fmt: skip
    block = block.replace("--students 25", "--students 2")
    monkeypatch.chdir(tmp_path)
    for line in block.replace("\\\n", " ").splitlines():
        argv = shlex.split(line.split("#")[0])
        if argv[0] == "mkdir":
            subprocess.run(argv, check=True)
            continue
        assert argv[0] == "congresslab"
        assert main(argv[1:]) == 0, line
    assert "SIMULATED exercise" in capsys.readouterr().out


def test_grade_names_a_missing_result(kit, capsys):
    code = main(["grade", "--key", str(kit.out / "key.csv"), str(kit.out / "no-results")])
    assert code == 2 and "no such file or folder" in capsys.readouterr().err
