"""Tests of the federation-table importer (CSV/XLSX, French formats, clear errors)."""

import re

import pandas as pd
import pytest

from congresslab import paths
from congresslab.data.fedtables import (
    FederationTableError,
    compare_with_national,
    load_federation_table,
    merge_rounds,
    parse_french_number,
)
from congresslab.sim import simulate_congress

HEADER = "Fédération;Inscrits;Votants;Blancs et nuls;Exprimés;Faure;Mayer-Rossignol"
GOOD = ["Ain;1 000;600;10;590;300;290", "Aisne;500;300;0;300;100;200"]


def write(tmp_path, lines, name="fed.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return p


def nbsp_thousands(n: int) -> str:
    """French thousands grouping with a narrow no-break space."""
    return f"{n:,}".replace(",", "\u202f")


def test_good_table(tmp_path):
    t = load_federation_table(write(tmp_path, [HEADER, *GOOD]), year=2025, round=2)
    assert t["federation"].tolist() == ["01", "02"]
    assert t["registered"].tolist() == [1000, 500]
    assert t.columns.tolist()[-2:] == ["Faure", "Mayer-Rossignol"]
    assert t.attrs["rows"] == {"01": 2, "02": 3}


def test_french_formats_latin1_comma_separator_percent_columns(tmp_path):
    lines = [
        "# EXAMPLE: fictitious numbers",
        "DÉPARTEMENT,INSCRITS,VOTANTS,BLANCS,NULS,EXPRIMES,Faure,% Faure,Vallaud",
        '01,"1\u00a0200",700,5,5,690,"400","57,97 %",290',
        "Total,1200,700,5,5,690,400,,290",
    ]
    p = tmp_path / "latin.csv"
    p.write_bytes("\n".join(lines).replace("\u00a0", "\xa0").encode("latin-1"))
    t = load_federation_table(p)
    assert t.attrs["encoding"] == "latin-1"
    assert t.iloc[0].tolist() == ["01", 1200, 700, 10, 690, 400, 290]
    assert t.attrs["options"] == ["Faure", "Vallaud"]


@pytest.mark.parametrize(
    ("rows", "pattern"),
    [
        (["Atlantide;1000;600;10;590;300;290"], r"fed\.csv, row 2, column 'Fédération': unknown"),
        (["Gironed;1000;600;10;590;300;290"], r"row 2, column 'Fédération'.*did you mean Gironde"),
        (
            [*GOOD, "Fédération de l'Ain;10;6;0;6;3;3"],
            r"row 4, column 'Fédération': duplicate.*row 2",
        ),
        (["Ain;1000;600;10;590;3OO;290"], r"row 2, column 'Faure': '3OO' is not a number"),
        (["Ain;1000;600;10;590;-300;290"], r"row 2, column 'Faure': negative count"),
        (["Ain;1000;601;10;590;300;290"], r"row 2, column 'Votants': voters \(601\) differ"),
        (["Ain;1000;600;10;590;301;290"], r"row 2, column 'Exprimés': expressed \(590\) differs"),
        (["Ain;1000;600;10;590;;590"], r"row 2, column 'Faure': empty cell"),
        (["Ain;500;600;10;590;300;290"], r"row 2, column 'Votants'.*above registered"),
        (["Ain;1000;600;10;590;300,5;289,5"], r"row 2, column 'Faure'.*not a whole number"),
    ],
)
def test_bad_inputs_name_file_row_column(tmp_path, rows, pattern):
    p = write(tmp_path, [HEADER, *rows])
    with pytest.raises(FederationTableError, match=pattern):
        load_federation_table(p)


def test_row_numbers_count_comment_lines(tmp_path):
    p = write(tmp_path, ["# a comment", "", HEADER, GOOD[0], "Atlantide;1;1;0;1;1;0"])
    with pytest.raises(FederationTableError, match=r"row 5,"):
        load_federation_table(p)


def test_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.split(";"))
    ws.append(["Ain", 1000, 600, 10, 590, 300, 290])
    ws.append(["Paris", "2 000", 900, 0, 900, 450, "x"])
    p = tmp_path / "t.xlsx"
    wb.save(p)
    with pytest.raises(FederationTableError, match=r"t\.xlsx, row 3, column 'Mayer-Rossignol'"):
        load_federation_table(p)


def test_parse_french_number():
    assert parse_french_number("24\u00a0701") == 24701
    assert parse_french_number("42,21%") == pytest.approx(42.21)
    with pytest.raises(ValueError):
        parse_french_number("12 a")


def _write_french(table: pd.DataFrame, path):
    """Write a table the way a federation would: latin-1, ';', thousands with U+00A0."""
    out = table.copy()
    for c in out.columns[1:]:
        out[c] = [f"{v:,}".replace(",", "\xa0") for v in out[c]]
    exp = table["Exprimés"].clip(lower=1)
    out.insert(
        5,
        "% exprimés Faure",
        [
            f"{100 * f / e:.2f}".replace(".", ",") + " %"
            for f, e in zip(table["Faure"], exp, strict=True)
        ],
    )
    out.to_csv(path, sep=";", index=False, encoding="latin-1")


def test_simulated_congress_roundtrip_french_format(tmp_path):
    sim = simulate_congress(like=2025, seed=4)
    tabs = sim.to_federation_tables()
    for rnd, t in tabs.items():
        _write_french(t, tmp_path / f"r{rnd}.csv")
    raw = (tmp_path / "r1.csv").read_bytes()
    assert b"\xa0" in raw and b";" in raw
    r1 = load_federation_table(tmp_path / "r1.csv", year=2025, round=1)
    r2 = load_federation_table(tmp_path / "r2.csv", year=2025, round=2)
    assert r1.attrs["encoding"] == "latin-1"
    merged = merge_rounds(r1, r2)
    expected = sim.units.drop(columns="SIMULATED")
    pd.testing.assert_frame_equal(merged, expected, check_dtype=False)
    rep = compare_with_national(r2).set_index("quantity")
    assert rep.loc[["voters", "expressed", "Faure", "Mayer-Rossignol"], "difference"].eq(0).all()


def test_merge_rounds_mismatched_federations():
    r1 = pd.DataFrame(
        {
            "federation": ["01", "02"],
            "registered": [10, 10],
            "voters": [5, 5],
            "blank_null": [0, 0],
            "expressed": [5, 5],
            "A": [5, 5],
        }
    )
    r2 = r1.iloc[:1]
    with pytest.raises(ValueError, match=re.escape("round 1 only: ['02']")):
        merge_rounds(r1, r2)


def test_template_importable():
    t = load_federation_table(paths.DATA / "templates" / "federation_table_template.csv")
    assert len(t) == 2


def test_row_with_more_values_than_header(tmp_path):
    p = write(tmp_path, [HEADER, GOOD[0], "Aisne;500;300;0;300;100;200;7"])
    msg = r"fed\.csv, row 3: 8 fields where the header \(line 1\) has 7 \(extra value\(s\) \['7'\]"
    with pytest.raises(FederationTableError, match=msg):
        load_federation_table(p)


def test_trailing_empty_fields_accepted(tmp_path):
    t = load_federation_table(write(tmp_path, [HEADER, *(g + ";;" for g in GOOD)]))
    assert t["Faure"].tolist() == [300, 100]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"year": 2024, "round": 2}, r"year must be one of \[2018, 2021, 2023, 2025\].*2024"),
        ({"year": 2025, "round": 3}, r"round must be one of \[1, 2\].*3"),
    ],
)
def test_unknown_year_or_round(tmp_path, kwargs, pattern):
    p = write(tmp_path, [HEADER, *GOOD])
    with pytest.raises(ValueError, match=pattern):
        load_federation_table(p, **kwargs)
    t = load_federation_table(p)
    with pytest.raises(ValueError, match=pattern):
        compare_with_national(t, **kwargs)


def test_compare_with_national_warns_on_unmatched_option(tmp_path):
    lines = [HEADER.replace("Mayer-Rossignol", "Martin"), *GOOD]
    t = load_federation_table(write(tmp_path, lines), year=2025, round=2)
    msg = r"fed\.csv: no national figure for option\(s\) \['Martin'\]"
    with pytest.warns(UserWarning, match=msg):
        rep = compare_with_national(t).set_index("quantity")
    assert pd.isna(rep.loc["Martin", "national"]) and rep.loc["Faure", "national"] > 0


@pytest.mark.parametrize(
    ("order", "pattern"),
    [
        ((2, 1), r"r1 \(r2\.csv\) is a round-2 table; expected a round-1"),
        ((1, 1), r"r2 \(r1\.csv\) is a round-1 table; expected a round-2"),
    ],
)
def test_merge_rounds_checks_recorded_rounds(tmp_path, order, pattern):
    tabs = {
        rnd: load_federation_table(write(tmp_path, [HEADER, *GOOD], f"r{rnd}.csv"), 2025, rnd)
        for rnd in (1, 2)
    }
    with pytest.raises(ValueError, match=pattern):
        merge_rounds(tabs[order[0]], tabs[order[1]])


def test_merge_rounds_checks_same_year(tmp_path):
    r1 = load_federation_table(write(tmp_path, [HEADER, *GOOD], "a.csv"), year=2023, round=1)
    r2 = load_federation_table(write(tmp_path, [HEADER, *GOOD], "b.csv"), year=2025, round=2)
    with pytest.raises(ValueError, match=r"r1 \(a\.csv\) is from 2023 but r2 \(b\.csv\) from 2025"):
        merge_rounds(r1, r2)
