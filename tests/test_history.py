"""Every PS congress since 1971 and other parties' votes: one schema, versions, flags, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import congresslab as cl
from congresslab import paths
from congresslab.data import clean
from congresslab.data.clean import build_data
from congresslab.data.coverage import coverage_markdown, vote_coverage, write_coverage_report
from congresslab.data.fedfragments import both_rounds, parse_printed_value, parse_vote
from congresslab.data.history import mark_versions, normalise_status, parse_value
from congresslab.data.raw import RawDataError, sha256

LEGACY = ["congress_year", "congress_city", "round", "date", "status", "option_kind",
          "option_label", "candidate", "votes", "share_pct", "votes_method", "share_method",
          "note", "source"]


# ------------------------------------------------------------------ the examples ------

def test_existing_call_unchanged():
    r = cl.load_results(2025, round=2)
    assert list(r.columns[:14]) == LEGACY
    assert r["round"].dtype == "int64" and list(r["round"]) == [2, 2]
    assert list(r["votes"]) == [12689, 12120] and set(r["status"]) == {"official"}
    assert set(r["party"]) == {"PS"} and r["is_default"].all()


def test_1990_motions_every_version():
    r = cl.load_results(1990, round="motions", status=None)
    assert r["version"].nunique() == 5 and len(r) == 12
    default = r[r["is_default"]]
    assert default["version"].nunique() == 1  # one version is the default
    assert default["share_pct"].tolist() == [28.94, 28.84, 24.26, 8.52, 7.2]
    assert not default["shares_sum_ok"].iloc[0]  # 97.76: flagged, not fixed
    assert set(r["vote_kind"]) == {"members_motion"}


def test_2008_runoff_and_round_one_versions():
    r = cl.load_results(2008, round=2)
    assert r[["candidate", "votes"]].values.tolist() == [["Martine Aubry", 67451],
                                                        ["Ségolène Royal", 67349]]
    assert set(r["status"]) == {"official"}
    everything = cl.load_results(2008, round=2, status=None)
    assert {67413, 67371} <= set(everything["votes"].dropna())  # provisional kept
    r1 = cl.load_results(2008, round=1, status=None)
    royal = set(r1.loc[r1["candidate"] == "Ségolène Royal", "share_pct"])
    assert {43.10, 42.51, 42.45, 42.0} <= royal  # the published versions, all visible
    default = cl.load_results(2008, round=1)
    assert default.set_index("candidate")["share_pct"].to_dict() == {
        "Ségolène Royal": 43.10, "Martine Aubry": 34.50, "Benoît Hamon": 22.40}
    assert set(default["status"]) == {"second_hand"} and default["conflict"].all()


def test_lr_2022_and_other_parties():
    r = cl.load_results(2022, round=1, party="LR")
    assert r["votes"].tolist() == [28297, 22815, 14765]
    assert not r["shares_sum_ok"].iloc[0] and r["shares_sum"].iloc[0] == pytest.approx(99.47)
    assert cl.load_results(2022, round=2, party="LR")["votes"].tolist() == [33609, 28977]
    t = cl.load_turnout(2022, round=1, party="LR", status="default")
    assert (int(t["registered"].iloc[0]), int(t["voters"].iloc[0])) == (91109, 66216)
    assert set(cl.load_results(2022, party=None)["party"]) >= {"LR", "EELV"}


def test_ump_2012_three_counts_visible():
    r = cl.load_results(2012, party="UMP", status=None)
    cope = set(r.loc[r["candidate"] == "Jean-François Copé", "votes"].dropna())
    assert {87388, 87978, 86911} <= cope
    official = cl.load_results(2012, party="UMP", status="official")
    assert official["version"].nunique() >= 2  # COCOE and CONARE, both official
    default = cl.load_results(2012, party="UMP")
    assert default["votes"].tolist() == [86911, 85959]  # the later decision (CONARE)


def test_turnout_and_results_name_the_same_votes():
    r = cl.load_results(status=None, party=None, vote_kind=None)
    t = cl.load_turnout(status=None, party=None, vote_kind=None)
    keys = ["party", "congress_year", "round", "vote_kind"]
    votes = set(map(tuple, r[keys].astype(str).values))
    assert set(map(tuple, t[keys].astype(str).values)) <= votes


def test_vote_kinds_never_mixed():
    assert cl.load_results(1994, round=1).empty  # delegates and national council only
    delegates = cl.load_results(1994, round=1, vote_kind="delegates")
    assert delegates["share_pct"].tolist() == [87.0]
    council = cl.load_results(1994, round=1, vote_kind="national_council")
    assert council["votes"].tolist() == [140, 64]
    both = cl.load_results(1994, round=1, vote_kind=None)
    assert set(both["vote_kind"]) == {"delegates", "national_council"}
    eelv = cl.load_results(2019, party="EELV", vote_kind=None)
    assert set(eelv.loc[eelv["round"] == 2, "vote_kind"]) == {"delegates"}
    assert set(cl.load_results(2019, party="EELV")["round"]) == {1}


def test_approximate_counts_flagged():
    r = cl.load_results(2021, round=2, party="LR", status=None)
    row = r[r["votes"] == 44000].iloc[0]
    assert row["approximate"] and row["status"] == "approximate"
    assert row["votes_text"] == "44000 (approx.)"
    assert not cl.load_results(2021, round=2, party="LR")["approximate"].any()
    t = cl.load_turnout(2022, round=2, party="LR")
    assert t.loc[t["registered"] == 91000, "approximate"].all()


@pytest.mark.parametrize("kwargs,pattern", [
    ({"status": "final"}, "status must be one of"),
    ({"vote_kind": "voters"}, "vote_kind must be"),
    ({"round": "final"}, "round must be"),
])
def test_loader_arguments_checked(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        cl.load_results(2008, **kwargs)


# ------------------------------------------------------------ the default rule -------

def _versions(**versions) -> pd.DataFrame:
    rows = []
    for key, spec in versions.items():
        status, shares, *rest = spec
        extra = rest[0] if rest else {}
        for i, share in enumerate(shares):
            rows.append({"party": "X", "congress_year": 2000, "round": "1",
                         "vote_kind": "members_leadership", "version_key": key,
                         "status": status, "superseded": extra.get("superseded", False),
                         "approximate": extra.get("approximate", False),
                         "votes": extra.get("votes", [None] * len(shares))[i],
                         "share_pct": share, "date": extra.get("date", "2000-01-01"),
                         "share_text": None if share is None else str(share),
                         "option_kind": "candidate", "_order": len(rows)})
    frame = pd.DataFrame(rows)
    frame["votes"] = frame["votes"].astype("Int64")
    frame["share_pct"] = frame["share_pct"].astype("Float64")
    marked = mark_versions(frame, ["party", "congress_year", "round", "vote_kind"])
    return marked.loc[marked["is_default"], "version"].unique().tolist()


def test_default_prefers_official_over_more_complete():
    assert _versions(a=("unknown", [50, 30, 20]), b=("official", [60, 40])) == [
        "X-2000-1-members_leadership-v2"]


def test_default_more_complete_then_counts_then_later_date():
    assert _versions(a=("unknown", [60, 40]), b=("provisional", [50, 30, 20]))[0].endswith("v2")
    assert _versions(a=("official", [60, 40]),
                     b=("official", [60, 40], {"votes": [6, 4]}))[0].endswith("v2")
    assert _versions(a=("official", [60, 40], {"date": "2000-01-02"}),
                     b=("official", [60, 40], {"date": "2000-01-01 (decision 2000-01-09)"})
                     )[0].endswith("v2")


def test_default_avoids_superseded_approximate_and_not_found():
    assert _versions(a=("official", [60, 40], {"superseded": True}),
                     b=("official", [61, 39]))[0].endswith("v2")
    assert _versions(a=("unknown", [60, 40], {"approximate": True}),
                     b=("provisional", [61, 39]))[0].endswith("v2")
    assert _versions(a=("not_found", [None]), b=("approximate", [55]))[0].endswith("v2")
    assert _versions(a=("not_found", [None])) == []  # nothing to return by default


def test_default_prefers_shares_that_add_up():
    r = cl.load_results(1985, round="motions", status=None)
    assert r.loc[r["shares_sum"] == 101.0, "is_default"].eq(False).all()  # 71.5 + 29.5
    assert cl.load_results(1985, round="motions")["share_pct"].tolist() == [71.49, 28.51]


# ------------------------------------------------------------- normalisation ---------

@pytest.mark.parametrize("text,status,conflict,approximate,kind", [
    ("official", "official", False, False, None),
    ("official per Nouvelobs; CONFLICT with La Tribune 34,70 %", "second_hand", True,
     False, None),
    ("official (counts via Wikipedia infobox; secondary)", "second_hand", False, False, None),
    ("unknown ('around 42%')", "approximate", False, True, None),
    ("provisional (92 % counted)", "provisional", False, False, None),
    ("claim by Fillon campaign; CONFLICT", "claim", True, False, None),
    ("not found: no figure for Mélenchon in source", "not_found", False, False, None),
    ("NOT A MEMBERS' VOTE (conseil national); unknown (AFP)", "unknown", False, False,
     "national_council"),
    ("NOT A MEMBERS' VOTE (delegates' final vote at congress); unknown", "unknown", False,
     False, "delegates"),
    ("official (rounded count)", "official", False, False, None),
    ("unknown; NOTE national council, not members", "unknown", False, False,
     "national_council"),
    ("official (delegates, not members)", "official", False, False, "delegates"),
])
def test_normalise_status(text, status, conflict, approximate, kind):
    s = normalise_status(text)
    assert (s["status"], s["conflict"], s["approximate"], s["not_members"]) == (
        status, conflict, approximate, kind)


@pytest.mark.parametrize("cell,kind,value,approximate", [
    ("28000 (approx.)", "count", 28000, True), ("61 (rounded)", "share", 61.0, False),
    ("25000 (approx., 'plus de')", "count", 25000, True), ("12 689", "count", 12689, False),
    ("0.2% blank", "count", None, False), ("11.95 / 7.90", "share", None, False),
    ("", "count", None, False),
])
def test_parse_value(cell, kind, value, approximate):
    parsed = parse_value(cell, kind=kind)
    assert (parsed["value"], parsed["approximate"]) == (value, approximate)


@pytest.mark.parametrize("cell", ["abc", "12 (x", "44000 approx", "1-2"])
def test_parse_value_refuses(cell):
    with pytest.raises(ValueError, match="not a count"):
        parse_value(cell, kind="count")


def test_printed_fragment_values():
    assert parse_printed_value("2388 (59%)") == {"votes": 2388, "share": 59.0,
                                                 "approximate": False, "note": None}
    assert parse_printed_value("~9%")["approximate"]
    assert parse_vote("2008 First Secretary round 1, 20 Nov 2008") == (2008, "1",
                                                                     "2008-11-20")
    with pytest.raises(ValueError, match="unknown vote"):
        parse_vote("2008 second ballot")


# ------------------------------------------------------------ bad raw input ----------

def _raw_copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    return raw


def _edit(raw: Path, name: str, old: str, new: str) -> None:
    path = raw / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    manifest = json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))
    for res in manifest["resources"]:
        res["sha256"] = sha256(raw / res["path"])
    (raw / "datapackage.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("name,old,new,pattern", [
    ("history_results.csv", ",2114,65.2,", ",2x14,65.2,",
     r"history_results.csv, row 16, column 'votes': not a count"),
    ("history_results.csv", ",2114,65.2,", ",2114,65.2%%,",
     r"history_results.csv, row 16, column 'share_pct': not a share"),
    ("history_results.csv", "1973,Grenoble,motions,", "1973,Grenoble,motionz,",
     r"history_results.csv, row 16, column 'round': unknown round 'motionz'"),
    ("history_results.csv", ",2114,65.2,unknown,", ",2114,65.2,,",
     r"history_results.csv, row 16, column 'status': empty status"),
    ("history_results.csv", ",2114,65.2,", ",-2114,65.2,",
     r"history_results.csv, row 16, column 'votes': negative count"),
    ("history_results.csv", "1973,Grenoble,motions,", "19x3,Grenoble,motions,",
     r"history_results.csv, row 16, column 'congress_year'"),
    ("other_parties_results.csv", "UDI,Election", "UDX,Election",
     r"other_parties_results.csv, row 139, column 'party': unknown party 'UDX'"),
    ("other_parties_results.csv", "28297,42.73", "28297,42.7.3",
     r"other_parties_results.csv, row 2, column 'share_pct': not a percentage"),
    ("other_parties_turnout.csv", ",28305,16622,", ",16622,28305,",
     r"other_parties_turnout.csv, row 52, column 'voters': voters 28305 exceed registered"),
    ("history_turnout.csv", ",118600,118600,75670,", ",118600,118600,75670x,",
     r"history_turnout.csv, row 4, column 'voters': not a count"),
    ("federation_fragments_more.csv", ",2023 TO vote 12 Jan 2023,", ",2023 TO vote 12 Jan,",
     r"federation_fragments_more.csv, row 2, column 'round'"),
    ("federation_fragments_more.csv", "Hérault (34)", "Hérault (340)",
     r"federation_fragments_more.csv, row 2, column 'federation'"),
    ("federation_fragments_more.csv", ",Mayer-Rossignol,71.23%", ",Mayer-Rossignol,71.23%%",
     r"federation_fragments_more.csv, row 2, column 'votes_or_share'"),
    ("federation_fragments_more.csv", ",inscrits,294", ",inscrits,29.4%",
     r"federation_fragments_more.csv, row 7, column 'votes_or_share': inscrits must be a count"),
    ("turnout_alternatives.csv", "Slate says 43 265 inscrits / 23 185 votants,national",
     "Slate says 43 266 inscrits / 23 185 votants,national",
     r"turnout_alternatives.csv, row 3, column 'quote': quote not found in the note"),
    ("turnout_alternatives.csv", "national_turnout.csv,10", "national_turnout.csv,9",
     r"turnout_alternatives.csv, row 6, column 'from_line': .* is not congress 2025"),
    ("turnout_alternatives.csv", "registered,38 815,false", "registered,38 815,maybe",
     r"turnout_alternatives.csv, row 6, column 'approximate'"),
    ("turnout_percentages.csv", "contre 72,14 % à Brest", "contre 72,15 % à Brest",
     r"turnout_percentages.csv, row 3, column 'quote': quote not found"),
    ("turnout_percentages.csv", "history_turnout.csv,3,\"72,14\"",
     "history_turnout.csv,3,\"72,15\"",
     r"turnout_percentages.csv, row 3, column 'participation_pct': '72,15' is not in"),
    ("turnout_percentages.csv", "history_turnout.csv,3,", "history_turnout.csv,99,",
     r"turnout_percentages.csv, row 3, column 'from_line': history_turnout.csv has no line"),
    ("turnout_percentages.csv", "history_turnout.csv,3,", "national_turnout.csv,3,",
     r"turnout_percentages.csv, row 3, column 'from_file': not a turnout file"),
])
def test_bad_history_input_names_file_row_column(tmp_path, name, old, new, pattern):
    raw = _raw_copy(tmp_path)
    _edit(raw, name, old, new)
    with pytest.raises(RawDataError, match=pattern):
        build_data(raw_dir=raw, out_dir=tmp_path / "out")


def test_shares_that_do_not_add_up_are_flagged_not_refused(tmp_path):
    raw = _raw_copy(tmp_path)
    _edit(raw, "other_parties_results.csv", "10040,53.49", "10040,63.49")
    build_data(raw_dir=raw, out_dir=tmp_path / "out")
    out = pd.read_csv(tmp_path / "out" / "results.csv", dtype={"round": str})
    udi = out[(out["party"] == "UDI") & (out["round"] == "2")]
    assert udi["shares_sum"].iloc[0] == pytest.approx(110.0)
    assert not udi["shares_sum_ok"].iloc[0] and not udi["counts_shares_ok"].iloc[0]


def test_turnout_conflicts_come_from_data_not_code():
    assert not hasattr(clean, "TURNOUT_CONFLICTS")
    conflicts = cl.load_turnout_conflicts()
    alternatives = pd.read_csv(paths.RAW / "turnout_alternatives.csv")
    assert len(conflicts) == len(alternatives)
    assert conflicts["raw_file"].eq("turnout_alternatives.csv").all()
    assert conflicts.set_index("metric").loc["voters", "value_used"] == 23179


# ------------------------------------------------------------ coverage, congresses ---

def test_congresses_one_row_per_congress():
    c = cl.congresses()
    assert c["congress_year"].is_unique and c["congress_year"].min() == 1971
    reims = c.set_index("congress_year").loc[2008]
    assert reims["voted"] == "motions; round 1; round 2" and reims["winner"] == "Martine Aubry"
    assert reims["coverage"] == "full" and reims["conflict_rows"] > 0
    assert pd.isna(c.set_index("congress_year").loc[1975, "winner"])  # leader not found
    assert set(c["coverage"]) <= {"full", "partial", "missing"}
    every = cl.congresses(party=None)
    assert {"LR", "UMP", "UDI", "RN", "EELV"} <= set(every["party"])
    assert len(every) > len(c)


def test_published_turnout_percentages():
    t = cl.load_turnout(1997, round="motions")
    assert sorted(t["participation_published_pct"].tolist()) == [72.14, 72.49]  # conflict
    lr = vote_coverage("LR").set_index(["congress_year", "round"])
    assert lr.loc[(2022, 2), "participation_pct"] in (69.75, 69.70)
    assert pd.isna(cl.load_turnout(2025, round=2)["participation_published_pct"]).all()


def test_vote_coverage_grades():
    v = vote_coverage("PS").set_index(["congress_year", "round", "vote_kind"])
    assert v.loc[(2023, 2, "members_leadership"), "coverage"] == "full"
    assert v.loc[(2018, 2, "members_leadership"), "coverage"] == "partial"  # 86 %, no base
    assert v.loc[(1981, "congress_final", "delegates"), "coverage"] == "missing"


def test_coverage_report(tmp_path):
    text = coverage_markdown()
    assert "# Data coverage" in text and "| UMP |" in text and "Reims" in text
    turnout = cl.load_turnout(status=None, party=None, vote_kind=None)
    assert f"{int(turnout['conflict'].sum())} turnout rows flagged CONFLICT" in text
    path = write_coverage_report(tmp_path / "cov.md")
    assert path.read_text(encoding="utf-8") == text
    with pytest.raises(ValueError, match="raw data folder"):
        write_coverage_report(paths.RAW / "cov.md")
    assert (paths.REPORTS / "data_coverage.md").read_text(encoding="utf-8") == text


def test_2008_federations_with_both_rounds():
    b = both_rounds(cl.load_federations(2008))
    assert sorted(b["federation_code"].unique()) == ["13", "59", "76", "94"]
    nord = b[(b["federation_code"] == "59") & (b["metric"] == "votes")]
    assert nord.set_index("candidate")["value"].to_dict() == {"Aubry": 5621, "Royal": 1174}
    shares = b[b["metric"] == "share"]
    assert shares["base"].notna().all()  # every share says its base (or 'not stated')
    more = cl.load_federations(2008, repeats=True)
    more = more[more["raw_file"] == "federation_fragments_more.csv"]
    assert {"Nord", "Moselle", "Bas-Rhin"} <= set(more["federation"])
    assert more["repeats"].notna().any()  # a cross-check of federations_2008.csv
    assert len(cl.load_federations(2008)) < len(cl.load_federations(2008, repeats=True))
    regions = cl.load_federations(scope="region")
    assert len(regions) and regions["federation_code"].isna().all()
    assert more.loc[more["value_text"] == "820 (56.75%)", "metric"].tolist() == ["votes",
                                                                               "share"]


def test_compare_statuses_refuses_several_versions_per_status():
    with pytest.raises(ValueError, match="several versions with the same status"):
        cl.compare_statuses(2008, 1)
    assert cl.compare_statuses(2023, 2)["votes_change"].tolist() == [-56, -176]


def test_rounds_lists_versions_of_old_votes():
    r = cl.rounds(2008)
    assert set(r["round"]) == {"motions", 1, 2}
    assert r.groupby("round")["is_default"].sum().to_dict() == {"motions": 1, 1: 1, 2: 1}
    assert len(r) == r["version"].nunique()


# ------------------------------------------- turnout figures from one version -------

def test_turnout_figures_come_from_one_version():
    votes = vote_coverage(None)
    turnout = cl.load_turnout(status=None, party=None, vote_kind=None).set_index("version")
    shown = votes[votes["turnout_version"].notna()]
    assert len(shown) > 20
    for _, row in shown.iterrows():
        used = turnout.loc[row["turnout_version"]]
        voters = used["voters"] if pd.notna(used["voters"]) else used["expressed"]
        for name, value in (("voters", voters), ("registered", used["registered"]),
                            ("participation_pct", used["participation_published_pct"])):
            assert (pd.isna(row[name]) and pd.isna(value)) or row[name] == value, (
                row["party"], row["congress_year"], row["round"], name)
        if pd.notna(row["voters"]) and pd.notna(row["registered"]):
            assert row["voters_exceed_registered"] == (row["voters"] > row["registered"])
    impossible = votes["voters"] > votes["registered"]
    assert not (impossible.fillna(False) & votes["coverage"].eq("full")).any()


def test_rn_2022_figures_not_mixed():
    rn = vote_coverage("RN").set_index(["congress_year", "round"]).loc[(2022, 1)]
    default = cl.load_turnout(2022, party="RN", status="default").iloc[0]
    assert rn["turnout_version"] == default["version"]
    assert rn["voters"] == default["voters"]
    assert pd.isna(rn["registered"]) or rn["voters"] <= rn["registered"]
    assert pd.isna(rn["participation_pct"]) or rn["participation_pct"] == pytest.approx(
        100 * rn["voters"] / rn["registered"], abs=1)
    conflicts = int(cl.load_turnout(2022, party="RN")["conflict"].sum())
    assert conflicts > 0 and rn["turnout_conflict_rows"] == conflicts
    row = cl.congresses(party="RN").set_index("congress_year").loc[2022]
    assert row["turnout_conflict_rows"] == conflicts
    assert pd.isna(row["registered"]) or row["voters"] <= row["registered"]


def test_voters_above_registered_is_flagged_not_full(monkeypatch):
    from congresslab.data import coverage

    assert vote_coverage("LR").set_index(["congress_year", "round"]).loc[
        (2022, 1), "coverage"] == "full"
    real = coverage.load_turnout

    def shrunk(*args, **kwargs):
        t = real(*args, **kwargs)
        pick = (t["party"] == "LR") & (t["congress_year"] == 2022) & (t["round"] == 1)
        t.loc[pick, "registered"] = t.loc[pick, "voters"] - 1
        return t

    monkeypatch.setattr(coverage, "load_turnout", shrunk)
    row = vote_coverage("LR").set_index(["congress_year", "round"]).loc[(2022, 1)]
    assert row["voters_exceed_registered"] and row["coverage"] == "partial"


# ------------------------------------------------ unknown party, year, round -------

@pytest.mark.parametrize("call,pattern", [
    (lambda: cl.congresses(party="XYZ"), r"party must be one of \[.*'PS'.*\] or None, not 'XYZ'"),
    (lambda: cl.congresses(party="ps"), r"not 'ps' \(did you mean 'PS'\?\)"),
    (lambda: cl.load_results(2022, round=1, party="lr"), r"did you mean 'LR'\?"),
    (lambda: cl.load_turnout(2022, party="Lr"), r"did you mean 'LR'\?"),
    (lambda: cl.vote_coverage("eelv"), r"did you mean 'EELV'\?"),
    (lambda: cl.load_results(2024),
     r"year 2024: no results or turnout of party 'PS'; its years are \[1971"),
    (lambda: cl.load_turnout([2023, 2024]), r"year 2024: no results"),
    (lambda: cl.rounds(2024), r"year 2024: no results"),
    (lambda: cl.load_results(2019, party="PS"), r"its years are .*2018, 2021"),
    (lambda: cl.load_results(2025, round=3), r"round '3': no results .* its rounds are \[1, 2\]"),
    (lambda: cl.load_turnout(2025, round="motions"), r"round 'motions': .* \[1, 2\]"),
])
def test_unknown_party_year_round_refused(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_valid_calls_still_accepted():
    assert len(cl.load_results([2018, 2021, 2023, 2025], round=2, status=None)) > 0
    assert len(cl.load_results(2022, round=1, party="LR")) == 3
    assert len(cl.load_results(party=None, status=None, vote_kind=None)) > 100
    assert len(cl.load_results(2008, round="motions")) > 0
    assert cl.load_turnout(2022, round=1, party=["LR", "RN"])["party"].nunique() == 2
