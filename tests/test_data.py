"""The data layer: published figures, derived counts, conflicts kept, bad input refused."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import congresslab
from congresslab import paths
from congresslab.data.clean import build_data
from congresslab.data.raw import ChecksumError, RawDataError, parse_count, parse_share, sha256


def _by_candidate(frame: pd.DataFrame, column: str) -> dict:
    return frame.set_index("candidate")[column].to_dict()


def test_2025_runoff_official():
    r = congresslab.load_results(2025, round=2)
    assert _by_candidate(r, "votes") == {"Olivier Faure": 12689,
                                         "Nicolas Mayer-Rossignol": 12120}
    t = congresslab.load_turnout(2025, round=2).iloc[0]
    assert (t["voters"], t["expressed"], t["blank_null"]) == (25164, 24809, 355)
    assert t["blank_null_method"] == "derived"
    faure = r.set_index("candidate").loc["Olivier Faure"]
    assert faure["share_pct"] == 51.15
    assert round(100 * faure["votes"] / t["expressed"], 2) == 51.15


def test_first_round_shares():
    assert list(congresslab.load_results(2025, round=1)["share_pct"]) == [42.21, 40.38, 17.41]
    assert list(congresslab.load_results(2018, round=1)["share_pct"]) == [
        48.37, 26.45, 18.80, 6.38]
    assert list(congresslab.load_results(2021, round=2)["share_pct"]) == [73.49, 26.52]


def test_2023_counts_provisional_and_official():
    r1 = congresslab.load_results(2023, round=1)
    assert list(r1["votes"]) == [11277, 7001, 4666]
    assert round(100 * 11277 / congresslab.load_turnout(2023, 1)["expressed"].iloc[0], 2) == 49.15
    prov = congresslab.load_results(2023, round=2, status="provisional")
    off = congresslab.load_results(2023, round=2, status="official")
    assert list(prov["votes"]) == [12076, 11683]
    assert list(off["votes"]) == [12020, 11507]
    assert set(off["votes_method"]) == {"published"}


def test_derived_counts_are_labelled():
    r = congresslab.load_results(2018, round=1, status="provisional")
    assert set(r["votes_method"]) == {"derived"}
    assert r["note"].str.contains("36439 expressed").all()
    # derived from the published share and the published base
    assert int(r.loc[r["candidate"] == "Olivier Faure", "votes"].iloc[0]) == round(
        48.56 * 36439 / 100)
    # no base published → no count invented
    assert congresslab.load_results(2025, round=1)["votes"].isna().all()


def test_conflicts_visible_and_sourced():
    conflicts = congresslab.load_turnout_conflicts()
    pairs = {(r.congress_year, r.metric, r.alternative) for r in conflicts.itertuples()}
    assert (2023, "registered", 43265) in pairs and (2023, "registered", 41000) in pairs
    assert (2025, "registered", 38815) in pairs
    t = congresslab.load_turnout()
    assert t.loc[t["congress_year"] == 2025, "conflict"].iloc[0]
    raw = pd.read_csv(paths.RAW / "national_turnout.csv", dtype=str)
    alternatives = pd.read_csv(paths.RAW / "turnout_alternatives.csv", dtype=str)
    assert len(alternatives) == len(conflicts)
    for alt in alternatives.itertuples():  # every alternative figure is in the raw note
        note = raw.loc[(raw["congress_year"] == alt.congress_year)
                       & (raw["round"] == alt.round), "note"].iloc[0]
        assert alt.alternative in note and alt.quote in note


def test_federations_canonical_codes():
    f = congresslab.load_federations()
    assert f.loc[f["scope"] == "federation", "federation_code"].notna().all()
    assert f.loc[f["scope"] == "region", "federation_code"].isna().all()  # aggregates: no code
    assert set(f.loc[f["federation"] == "Guadeloupe", "federation_code"]) == {"971"}
    members = congresslab.load_federations(2025, metric="members")
    assert members.set_index("federation_code")["value"].to_dict()["75"] == 3181
    assert f["conflict"].sum() >= 10  # 2008 CONFLICT flags are kept


def test_info_lists_all_congresses():
    c = congresslab.congresses()
    assert {2018, 2021, 2023, 2025} < set(c["congress_year"])
    assert c["congress_year"].is_unique and set(c["party"]) == {"PS"}
    r = congresslab.rounds([2018, 2021, 2023, 2025])  # the per-round list of before
    assert set(r["status"]) == {"provisional", "official"} and len(r) == 14


def test_status_filter_validated():
    with pytest.raises(ValueError, match="status must be one of"):
        congresslab.load_results(2025, status="final")


@pytest.mark.parametrize("text,expected", [("12 689", 12689), ("12\u00a0689", 12689),
                                           ("12\u202f689", 12689), ("37.991", 37991),
                                           ("24701", 24701), ("", None)])
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text,expected", [("42,21 %", 42.21), ("42.21", 42.21),
                                           ("51,15%", 51.15), ("86", 86.0)])
def test_parse_share(text, expected):
    assert parse_share(text) == expected


# ---------------------------------------------------------------- bad input --------


def _raw_copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    return raw


def _edit(raw: Path, name: str, old: str, new: str, *, remanifest: bool = True) -> None:
    path = raw / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if remanifest:  # a deliberate new version of the raw file, recorded in its manifest
        manifest = json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))
        for res in manifest["resources"]:
            res["sha256"] = sha256(raw / res["path"])
        (raw / "datapackage.json").write_text(json.dumps(manifest), encoding="utf-8")


def _build(raw: Path, tmp_path: Path):
    return build_data(raw_dir=raw, out_dir=tmp_path / "out")


def test_checksum_change_refused(tmp_path):
    raw = _raw_copy(tmp_path)
    _edit(raw, "national_results.csv", "12689", "12699", remanifest=False)
    with pytest.raises(ChecksumError, match="national_results.csv"):
        _build(raw, tmp_path)


def test_unlisted_raw_file_refused(tmp_path):
    raw = _raw_copy(tmp_path)
    (raw / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match="extra.csv.*not recorded"):
        _build(raw, tmp_path)


def test_french_formats_parsed(tmp_path):
    raw = _raw_copy(tmp_path)
    _edit(raw, "national_results.csv", ",12689,51.15,", ',"12 689","51,15 %",')
    _build(raw, tmp_path)
    out = pd.read_csv(tmp_path / "out" / "results.csv")
    row = out[(out["congress_year"] == 2025) & (out["candidate"] == "Olivier Faure")
              & (out["status"] == "official") & (out["round"].astype(str) == "2")].iloc[0]
    assert (row["votes"], row["share_pct"]) == (12689, 51.15)


@pytest.mark.parametrize("name,old,new,pattern", [
    ("national_results.csv", ",12689,51.15,", ",-12689,51.15,",
     r"national_results.csv, row 34, column 'votes': negative count"),
    ("national_results.csv", ",12689,51.15,", ",12x689,51.15,",
     r"row 34, column 'votes': not a whole number"),
    ("national_results.csv", "51.15,official", "51.15,final",
     r"row 34, column 'status': unknown value 'final'"),
    ("national_results.csv", "12120,48.85", "12120,47.85",
     r"row 35, column 'share_pct': shares of 2025 round 2 \(official\) sum to 99.00"),
    ("national_results.csv", ",11277,49.15,", ",11277,49.20,",
     r"row 19, column 'share_pct': 11277 votes of 22944 expressed is 49.150 %"),
    ("national_turnout.csv", ",25164,24809,", ",25164,-24809,",
     r"national_turnout.csv, row 11, column 'expressed': negative count"),
    ("national_turnout.csv", ",23179,22944,", ",23179,22945,",
     r"row 21, column 'votes': option votes sum to 22944 but 2023 round 1"),
    ("federation_fragments.csv", "registered,,1842,", "registered,,-1842,",
     r"federation_fragments.csv, row 2, column 'value': negative count -1842"),
    ("federation_fragments.csv", "Inscrits: 1842\n", "Inscrits: 1842\n" + (
        "2018,1,Rhône,69,registered,,1842,count,official_federal,http://www.partisocialisterhone"
        ".fr/2018/03/17/cp-congres-federal-les-candidats-en-lice-pour-animer-la-federation/,"
        "Inscrits: 1842\n"), r"federation_fragments.csv, row 3, .*duplicate row"),
    ("federation_fragments.csv", "Rhône,69,voters", "Rhône,690,voters",
     r"federation_fragments.csv, row 3, column 'dept_code': .*690"),
    ("national_results.csv", "2018,Aubervilliers,1,2018-03-15,motion,\"TO 3",
     "2018,Aubervilliers,x,2018-03-15,motion,\"TO 3", r"row 2, column 'round': not a whole"),
])
def test_bad_values_name_file_row_column(tmp_path, name, old, new, pattern):
    raw = _raw_copy(tmp_path)
    _edit(raw, name, old, new)
    with pytest.raises(RawDataError, match=pattern):
        _build(raw, tmp_path)


def test_duplicate_result_row_refused(tmp_path):
    raw = _raw_copy(tmp_path)
    text = (raw / "national_results.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (raw / "national_results.csv").write_text("".join(text + [text[-1]]), encoding="utf-8")
    _edit(raw, "national_results.csv", "", "")
    with pytest.raises(RawDataError, match=r"row 36, column 'candidate': duplicate row"):
        _build(raw, tmp_path)


def test_build_is_deterministic_and_never_touches_raw(tmp_path):
    before = {p: sha256(p) for p in sorted(paths.RAW.rglob("*")) if p.is_file()}
    written = build_data(out_dir=tmp_path)
    assert before == {p: sha256(p) for p in sorted(paths.RAW.rglob("*")) if p.is_file()}
    for path in written.values():  # the committed tables are exactly what the build makes
        assert filecmp.cmp(path, paths.PROCESSED / path.name, shallow=False), path.name


def test_a_failed_write_leaves_the_former_table_whole(tmp_path, monkeypatch):
    from congresslab.data import clean

    path = tmp_path / "results.csv"
    clean._write(pd.DataFrame({"a": [1, 2]}), path)
    assert path.read_text(encoding="utf-8") == "a\n1\n2\n"

    def half_then_fail(self, target, **kw):  # a write that dies half-way (disk full, kill)
        Path(target).write_text("a\n", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        clean._write(pd.DataFrame({"a": [3, 4]}), path)
    assert path.read_text(encoding="utf-8") == "a\n1\n2\n"  # readers never see "a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]  # no temporary file left


def test_build_refuses_to_write_into_raw():
    with pytest.raises(ValueError, match="raw data folder"):
        build_data(out_dir=paths.RAW)


def _drop_lines(raw: Path, name: str, keep) -> None:
    lines = (raw / name).read_text(encoding="utf-8").splitlines(keepends=True)
    (raw / name).write_text("".join(x for i, x in enumerate(lines, 1) if keep(i, x)),
                            encoding="utf-8")
    _edit(raw, name, "", "")  # record the new version in the manifest


def test_missing_runoff_candidate_refused(tmp_path):
    # without Mayer-Rossignol's row, Faure's 12,689 would become a lone option
    raw = _raw_copy(tmp_path)
    _drop_lines(raw, "national_results.csv", lambda i, line: ",12120,48.85," not in line)
    with pytest.raises(RawDataError, match=r"row 34, column 'votes': 2025 round 2 \(official\) "
                       r"has a single option, with 12689 of 24809 expressed"):
        _build(raw, tmp_path)


def test_results_without_data_rows_refused(tmp_path):
    raw = _raw_copy(tmp_path)
    _drop_lines(raw, "national_results.csv", lambda i, line: i == 1)
    with pytest.raises(RawDataError, match=r"national_results.csv: no data rows"):
        _build(raw, tmp_path)


def test_derived_turnout_figures_say_how():
    t = congresslab.load_turnout(status=None)
    for _, row in t.iterrows():
        derived = [m for m in ("expressed", "blank_null") if row[f"{m}_method"] == "derived"]
        text = row["derivation"]
        assert bool(derived) == pd.notna(text), (row["congress_year"], row["round"])
        for metric in derived:  # the stated arithmetic gives the stored value
            part = next(p for p in text.split("; ") if p.startswith(metric))
            expr, value = part.split(" = ")[-2:]
            numbers = [int(n.replace(",", "")) for n in re.findall(r"[\d,]+", expr)]
            total = numbers[0] - sum(numbers[1:]) if " - " in expr else sum(numbers)
            assert total == int(value.replace(",", "")) == row[metric]
