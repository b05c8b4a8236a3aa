"""Import per-federation result tables (CSV or XLSX) as published by PS federations.

A federation table has one row per federation (name or département number) and the
columns *inscrits*, *votants*, *blancs et nuls* (or *blancs* and *nuls*), *exprimés* and one
column per motion or candidate. Tables circulate as French spreadsheets, so the reader
accepts decimal commas, thousands separated by spaces (also U+00A0 and U+202F), ``%`` signs,
UTF-8 or latin-1, ``;`` or ``,`` separators. Every problem is reported with the file, the
row (1-based, as a spreadsheet shows it) and the column. Files are only read, never written.

See ``data/raw/README.md`` for the expected layout and
``data/templates/federation_table_template.csv`` for a template.

Examples
--------
>>> import tempfile, pathlib
>>> text = ("Fédération;Inscrits;Votants;Blancs et nuls;Exprimés;Faure;Mayer-Rossignol\\n"
...         "Ain;1\\u202f000;600;10;590;300;290\\n"
...         "Aisne;500;300;0;300;100;200\\n")
>>> with tempfile.TemporaryDirectory() as d:
...     p = pathlib.Path(d) / "r2.csv"
...     _ = p.write_bytes(text.encode("utf-8"))
...     t = load_federation_table(p, year=2025, round=2)
>>> t.columns.tolist()[:5], t["federation"].tolist(), t["registered"].tolist()
(['federation', 'registered', 'voters', 'blank_null', 'expressed'], ['01', '02'], [1000, 500])
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from congresslab.data._parse import parse_cell, parse_column
from congresslab.data.federations import UnknownFederationError, canonical_code
from congresslab.data.tables import read_table
from congresslab.errors import FederationTableError, NumberError, TableReadError

__all__ = [
    "FederationTableError",
    "STANDARD_COLUMNS",
    "slugify_option",
    "parse_french_number",
    "load_federation_table",
    "compare_with_national",
    "merge_rounds",
]

#: Standard columns of an imported table, in order, before the option columns.
STANDARD_COLUMNS: tuple[str, ...] = ("registered", "voters", "blank_null", "expressed")

_HEADER_MAP: dict[str, str] = {
    "inscrits": "registered",
    "inscrit": "registered",
    "nombre d inscrits": "registered",
    "nb inscrits": "registered",
    "adherents inscrits": "registered",
    "registered": "registered",
    "votants": "voters",
    "votant": "voters",
    "nombre de votants": "voters",
    "nb votants": "voters",
    "voters": "voters",
    "blancs et nuls": "blank_null",
    "blancs nuls": "blank_null",
    "blancs ou nuls": "blank_null",
    "nuls et blancs": "blank_null",
    "bulletins blancs et nuls": "blank_null",
    "bn": "blank_null",
    "blank null": "blank_null",
    "blancs": "_blank",
    "blanc": "_blank",
    "bulletins blancs": "_blank",
    "nuls": "_null",
    "nul": "_null",
    "bulletins nuls": "_null",
    "exprimes": "expressed",
    "exprime": "expressed",
    "suffrages exprimes": "expressed",
    "votes exprimes": "expressed",
    "expressed": "expressed",
}
_FEDERATION_HEADERS = {
    "federation", "federations", "fede", "departement", "departements", "dept", "dep",
    "code", "numero", "n", "no", "nom", "territoire", "unit",
}  # fmt: skip
_TOTAL_ROWS = {"total", "total national", "totaux", "national", "ensemble", "france", "tous"}
_PERCENT_HEADER = re.compile(r"%|pourcent|pct|taux|participation|\bpart\b")


def _norm(text: object) -> str:
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9%]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def slugify_option(label: str) -> str:
    """Turn an option label into a column-name slug.

    Parameters
    ----------
    label : str
        Motion or candidate label.

    Returns
    -------
    str
        Lower case ASCII, runs of other characters replaced by ``_``.

    Examples
    --------
    >>> slugify_option("Mayer-Rossignol")
    'mayer_rossignol'
    >>> slugify_option("TO A « Le Cœur de la Gauche »")
    'to_a_le_coeur_de_la_gauche'
    """
    s = str(label).replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9]+", "_", s).strip("_")
    return s or "option"


def parse_french_number(value: object) -> float | None:
    """Parse a number written the French way.

    Accepts a decimal comma, thousands separated by spaces (also U+00A0, U+202F, U+2009),
    by apostrophes or by dots (``1.234``), and a trailing ``%``: the rules of
    :mod:`congresslab.data._parse`, for one cell on its own (in a table, the column
    settles an ambiguous cell such as ``1.234``).

    Parameters
    ----------
    value : object
        Cell content (str, int, float or None).

    Returns
    -------
    float or None
        ``None`` for an empty cell.

    Raises
    ------
    ValueError
        If the text is not a number.

    Examples
    --------
    >>> parse_french_number("12\\u202f020")
    12020.0
    >>> parse_french_number("42,21 %")
    42.21
    >>> parse_french_number("1.234")
    1234.0
    >>> parse_french_number("")
    """
    try:
        v = parse_cell(value, "number")
    except NumberError as err:
        raise ValueError(f"not a number: {value!r} ({err})") from None
    return None if v is None else float(v)


def _where(file: str, row: int | None = None, col: str | None = None) -> str:
    parts = [file]
    if row is not None:
        parts.append(f"row {row}")
    if col is not None:
        parts.append(f"column {col!r}")
    return ", ".join(parts)


_ROUNDS: tuple[int, ...] = (1, 2)  # 1 = motions, 2 = runoff


def _known_years() -> list[int]:
    """Congress years with both rounds in ``national_results.csv`` (:mod:`~congresslab.data.load`).

    Examples
    --------
    >>> _known_years()
    [2018, 2021, 2023, 2025]
    """
    from congresslab.data.load import load_results

    results = load_results(status=None)
    results = results[results["raw_file"] == "national_results.csv"]
    return sorted(int(y) for y in results["congress_year"].unique())


def _check_year_round(year: object, round: object) -> None:  # noqa: A002
    """Raise ``ValueError`` unless ``year`` is a known congress year and ``round`` 1 or 2.

    ``None`` (not given) is accepted for either.
    """
    if year is not None:
        years = _known_years()
        if year not in years:
            raise ValueError(f"year must be one of {years} (or None), not {year!r}")
    if round is not None and round not in _ROUNDS:
        raise ValueError(f"round must be one of {list(_ROUNDS)} (or None), not {round!r}")


def load_federation_table(
    path: str | Path,
    year: int | None = None,
    round: int | None = None,  # noqa: A002 - the congress round, as in load_results
    *,
    federation_col: str | None = None,
    option_cols: Sequence[str] | None = None,
    encoding: str | None = None,
    sheet: int | str = 0,
) -> pd.DataFrame:
    """Read a per-federation result table (CSV or XLSX) and check it.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (or ``.txt``) or ``.xlsx`` file. Lines starting with ``#`` are comments.
        Rows whose federation cell says ``Total`` are skipped.
    year, round : int, optional
        Congress year (2018, 2021, 2023, 2025: the years of ``data/processed/results.csv``)
        and round (1 or 2), stored in ``attrs``
        (used by :func:`compare_with_national` and :func:`merge_rounds`).
    federation_col : str, optional
        Header of the federation column (default: the column headed *Fédération*,
        *Département*, *Code*... or else the first column).
    option_cols : sequence of str, optional
        Headers of the motion/candidate columns (default: every column that is not a
        standard column, the federation column or a percentage column — header with ``%``,
        *pourcentage*, *taux*, *participation*).
    encoding : str, optional
        Force an encoding (default: UTF-8, else latin-1).
    sheet : int or str
        Sheet of an XLSX file.

    Returns
    -------
    pandas.DataFrame
        ``federation`` (canonical code), ``registered``, ``voters``, ``blank_null``,
        ``expressed`` (``Int64``; ``registered`` may be ``<NA>`` when absent), then one
        ``Int64`` column per option, labels as in the file. ``attrs`` holds ``source``,
        ``year``, ``round``, ``rows`` (spreadsheet row of each federation) and ``options``.

    Raises
    ------
    ValueError
        For a ``year`` that is not a known congress year or a ``round`` other than 1 or 2.
    FederationTableError
        Naming file, row and column: unknown federation (with a suggestion), duplicate
        federation, non-numeric, non-integer, empty or negative count, voters different from
        expressed + blank/null, expressed different from the sum of the options, voters above
        registered, missing federation or option column; naming file and row: a row with
        more values than the header has columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "t.csv"
    ...     _ = p.write_bytes("Fédération;Votants;Exprimés;A;B\\nAtlantide;10;10;5;5\\n".encode())
    ...     load_federation_table(p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    congresslab.errors.FederationTableError: t.csv, row 2, column 'Fédération': unknown ...
    """
    _check_year_round(year, round)
    path = Path(path)
    file = path.name
    if not path.exists():
        raise FederationTableError(f"{file}: file not found ({path})")
    try:
        table = read_table(path, encoding=encoding, sheet=sheet)
    except TableReadError as exc:
        rows_ = ", ".join(str(n) for n in exc.lines[:5])
        where = f", row{'s' if len(exc.lines) > 1 else ''} {rows_}" if exc.lines else ""
        raise FederationTableError(f"{file}{where}: {exc}") from None
    used = table.encoding
    header_row, header, body = table.header_line, table.header, table.rows
    # federation column
    norm = [_norm(h) for h in header]
    if federation_col is not None:
        if federation_col not in header:
            raise FederationTableError(
                f"{_where(file, header_row)}: no column {federation_col!r}; columns: {header}"
            )
        fed_idx = header.index(federation_col)
    else:
        cands = [i for i, h in enumerate(norm) if h in _FEDERATION_HEADERS]
        fed_idx = cands[0] if cands else 0
    # standard columns
    std_idx: dict[str, int] = {}
    for i, h in enumerate(norm):
        key = _HEADER_MAP.get(h)
        if key is None or i == fed_idx:
            continue
        if key in std_idx:
            raise FederationTableError(
                f"{_where(file, header_row, header[i])}: duplicate column for {key!r} "
                f"(also {header[std_idx[key]]!r})"
            )
        std_idx[key] = i
    if option_cols is not None:
        missing = [c for c in option_cols if c not in header]
        if missing:
            raise FederationTableError(
                f"{_where(file, header_row)}: option column(s) {missing} not found; "
                f"columns: {header}"
            )
        opt_idx = [header.index(c) for c in option_cols]
    else:
        opt_idx = [
            i
            for i, h in enumerate(norm)
            if i != fed_idx
            and i not in std_idx.values()
            and header[i] != ""
            and not _PERCENT_HEADER.search(h)
            and not _PERCENT_HEADER.search(header[i].lower())
        ]
    if not opt_idx:
        raise FederationTableError(f"{_where(file, header_row)}: no option (motion) column")
    seen_opts = [header[i] for i in opt_idx]
    dups = sorted({o for o in seen_opts if seen_opts.count(o) > 1})
    if dups:
        raise FederationTableError(f"{_where(file, header_row)}: duplicate option column(s) {dups}")

    # the rows of federations (total rows skipped), then every count column parsed at once,
    # so that the column settles an ambiguous cell such as 1.100 (congresslab.data._parse)
    fed_header = header[fed_idx]
    kept: list[tuple[int, list[Any]]] = []
    for row_no, cells in body:
        raw_fed = cells[fed_idx] if fed_idx < len(cells) else ""
        if str(raw_fed).strip() == "":
            raise FederationTableError(f"{_where(file, row_no, fed_header)}: empty federation")
        if _norm(raw_fed) not in _TOTAL_ROWS:
            kept.append((row_no, cells))
    counts: dict[int, list[int | None]] = {}
    for i in sorted({*std_idx.values(), *opt_idx}):
        try:
            counts[i] = parse_column([cells[i] for _, cells in kept], "count")  # type: ignore[misc]
        except NumberError as err:
            row_no = kept[err.index or 0][0]
            raise FederationTableError(f"{_where(file, row_no, header[i])}: {err}") from None

    def count(k: int, row_no: int, i: int, required: bool) -> int | None:
        v = counts[i][k]
        if v is None and required:
            raise FederationTableError(
                f"{_where(file, row_no, header[i])}: empty cell (write 0 if there were no votes)"
            )
        return v  # type: ignore[return-value]

    records: list[dict[str, Any]] = []
    row_of: dict[str, int] = {}
    for k, (row_no, cells) in enumerate(kept):
        raw_fed = cells[fed_idx]
        try:
            code = canonical_code(raw_fed)
        except UnknownFederationError as err:
            raise FederationTableError(f"{_where(file, row_no, fed_header)}: {err}") from None
        if code in row_of:
            raise FederationTableError(
                f"{_where(file, row_no, fed_header)}: duplicate federation {raw_fed!r} "
                f"({code}, already in row {row_of[code]}); a file holds one table: give "
                "provisional and official figures, or two rounds, in separate files"
            )
        row_of[code] = row_no
        rec: dict[str, Any] = {"federation": code}
        for key in ("registered", "voters", "blank_null", "expressed", "_blank", "_null"):
            rec[key] = count(k, row_no, std_idx[key], False) if key in std_idx else None
        opts = {header[i]: count(k, row_no, i, True) for i in opt_idx}
        # blank and null given separately
        if rec["blank_null"] is None and (rec["_blank"] is not None or rec["_null"] is not None):
            rec["blank_null"] = (rec["_blank"] or 0) + (rec["_null"] or 0)
        total_opts = sum(opts.values())
        if rec["expressed"] is None:
            rec["expressed"] = total_opts
        elif rec["expressed"] != total_opts:
            raise FederationTableError(
                f"{_where(file, row_no, header[std_idx['expressed']])}: expressed "
                f"({rec['expressed']}) differs from the sum of the options ({total_opts}: "
                + " + ".join(f"{k} {v}" for k, v in opts.items())
                + ")"
            )
        if rec["voters"] is None and rec["blank_null"] is not None:
            rec["voters"] = rec["expressed"] + rec["blank_null"]
        elif rec["voters"] is not None and rec["blank_null"] is None:
            rec["blank_null"] = rec["voters"] - rec["expressed"]
            if rec["blank_null"] < 0:
                raise FederationTableError(
                    f"{_where(file, row_no, header[std_idx['voters']])}: voters "
                    f"({rec['voters']}) below expressed ({rec['expressed']})"
                )
        elif rec["voters"] is None:
            rec["blank_null"] = 0
            rec["voters"] = rec["expressed"]
        if rec["voters"] != rec["expressed"] + rec["blank_null"]:
            col = header[std_idx["voters"]]
            raise FederationTableError(
                f"{_where(file, row_no, col)}: voters ({rec['voters']}) differ from expressed "
                f"+ blank/null ({rec['expressed']} + {rec['blank_null']} = "
                f"{rec['expressed'] + rec['blank_null']})"
            )
        if rec["registered"] is not None and rec["voters"] > rec["registered"]:
            raise FederationTableError(
                f"{_where(file, row_no, header[std_idx['voters']])}: voters ({rec['voters']}) "
                f"above registered ({rec['registered']})"
            )
        del rec["_blank"], rec["_null"]
        rec.update(opts)
        records.append(rec)
    if not records:
        raise FederationTableError(f"{file}: no federation row")
    out = pd.DataFrame(records)
    for c in out.columns[1:]:
        out[c] = out[c].astype("Int64")
    out.attrs.update(
        {
            "source": file,
            "encoding": used,
            "year": year,
            "round": round,
            "rows": dict(row_of),
            "options": seen_opts,
        }
    )
    return out


# ----------------------------------------------------------------------------- national
def _option_slugs(label: object) -> set[str]:
    s = str(label)
    words = s.split()
    out = {slugify_option(s)}
    if len(words) > 1:
        out.add(slugify_option(" ".join(words[1:])))
        out.add(slugify_option(words[-1]))
    return out


def compare_with_national(
    table: pd.DataFrame,
    year: int | None = None,
    round: int | None = None,  # noqa: A002
) -> pd.DataFrame:
    """Compare the sum over federations with the official national totals.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`load_federation_table`.
    year, round : int, optional
        Default: ``table.attrs["year"]`` and ``table.attrs["round"]``.

    Returns
    -------
    pandas.DataFrame
        One row per quantity (``registered``, ``voters``, ``blank_null``, ``expressed``, then
        each option): ``quantity, federations_sum, national, difference`` (sum − national),
        ``difference_pct`` (of national), for options ``federations_share_pct`` and
        ``national_share_pct`` (% of expressed), and ``n_federations``. ``national`` is
        ``<NA>`` where no official count is published (e.g. 2025 round-1 votes: compare the
        shares instead).

    Raises
    ------
    ValueError
        Without year and round, for a year that is not a known congress year, a round other
        than 1 or 2, or a congress round without official national figures.

    Warns
    -----
    UserWarning
        Naming the options of the table that match no official option (their ``national``
        columns are empty).

    Examples
    --------
    >>> t = pd.DataFrame({"federation": ["01", "02"], "registered": [None, None],
    ...                   "voters": [15000, 10164], "blank_null": [200, 155],
    ...                   "expressed": [14800, 10009], "Faure": [7500, 5189],
    ...                   "Mayer-Rossignol": [7300, 4820]}).astype({"registered": "Int64"})
    >>> rep = compare_with_national(t, 2025, 2)
    >>> rep.set_index("quantity")["difference"].tolist()
    [<NA>, 0, 0, 0, 0, 0]
    """
    from congresslab.data.load import load_results, load_turnout

    year = year if year is not None else table.attrs.get("year")
    round = round if round is not None else table.attrs.get("round")  # noqa: A001
    if year is None or round is None:
        raise ValueError("give year= and round= (or load the table with them)")
    _check_year_round(year, round)
    res = load_results(int(year), round=int(round), status="official")
    turn = load_turnout(int(year), round=int(round), status="official")
    if res.empty and turn.empty:
        raise ValueError(f"no official national figures for {year} round {round}")
    nat: dict[str, Any] = {}
    if len(turn):
        row = turn.iloc[0]
        for q in STANDARD_COLUMNS:
            nat[q] = row.get(q, pd.NA)
    options = [c for c in table.columns if c not in ("federation", *STANDARD_COLUMNS)]
    nat_share: dict[str, float] = {}
    for o in options:
        so = slugify_option(o)
        match = res[
            [
                bool(so in _option_slugs(c) | _option_slugs(lab))
                for c, lab in zip(res["candidate"], res["option_label"], strict=True)
            ]
        ]
        nat[o] = match["votes"].iloc[0] if len(match) == 1 else pd.NA
        nat_share[o] = match["share_pct"].iloc[0] if len(match) == 1 else np.nan
    expressed_sum = table["expressed"].sum() if "expressed" in table else np.nan
    rows = []
    for q in [*STANDARD_COLUMNS, *options]:
        s = table[q].sum(min_count=len(table)) if q in table else pd.NA
        s = pd.NA if pd.isna(s) else int(s)
        n = nat.get(q, pd.NA)
        n = pd.NA if pd.isna(n) else int(n)
        d = pd.NA if (s is pd.NA or n is pd.NA) else s - n
        pct = np.nan if d is pd.NA or not n else 100 * d / n
        rows.append(
            {
                "quantity": q,
                "federations_sum": s,
                "national": n,
                "difference": d,
                "difference_pct": np.nan if d is pd.NA or not n else float(np.round(pct, 3)),
                "federations_share_pct": (
                    float(np.round(100 * s / expressed_sum, 2))
                    if q in options and s is not pd.NA and expressed_sum
                    else np.nan
                ),
                "national_share_pct": nat_share.get(q, np.nan),
                "n_federations": len(table),
            }
        )
    out = pd.DataFrame(rows)
    for c in ("federations_sum", "national", "difference"):
        out[c] = out[c].astype("Int64")
    unmatched = [o for o in options if pd.isna(nat[o]) and pd.isna(nat_share[o])]
    if unmatched:
        src = table.attrs.get("source", "table")
        warnings.warn(
            f"{src}: no national figure for option(s) {unmatched} in {year} round {round} "
            f"(their national columns are empty); official options: "
            f"{res['option_label'].tolist()}",
            UserWarning,
            stacklevel=2,
        )
    return out


# ----------------------------------------------------------------------------- merge
def merge_rounds(r1: pd.DataFrame, r2: pd.DataFrame) -> pd.DataFrame:
    """Build the estimation engine's unit table from the two rounds' federation tables.

    Parameters
    ----------
    r1, r2 : pandas.DataFrame
        Outputs of :func:`load_federation_table` for round 1 and round 2; both need
        ``registered``.

    Returns
    -------
    pandas.DataFrame
        ``federation``; ``r1_<option slug>``..., ``r1_blank_null``, ``r1_abstention``
        (registered − voters); ``r2_...`` likewise. Where membership changed between rounds,
        the net change is added as ``r1_newcomer`` (registered in round 2 only) and
        ``r2_leaver`` (registered in round 1 only), so that each federation's ``r1_*`` and
        ``r2_*`` columns have the same sum; these columns appear only if some change is
        non-zero. Rows in ``r1`` order, ``int64`` counts.

    Raises
    ------
    ValueError
        Tables whose recorded ``attrs["round"]`` is not 1 (``r1``) and 2 (``r2``), or whose
        recorded ``attrs["year"]`` differ; federations present in one round only, missing
        ``registered``, or two options with the same slug.

    Examples
    --------
    >>> r1 = pd.DataFrame({"federation": ["01"], "registered": [100], "voters": [60],
    ...                    "blank_null": [2], "expressed": [58], "Faure": [30], "Vallaud": [28]})
    >>> r2 = pd.DataFrame({"federation": ["01"], "registered": [101], "voters": [65],
    ...                    "blank_null": [1], "expressed": [64], "Faure": [64]})
    >>> m = merge_rounds(r1, r2)
    >>> m.columns.tolist()[1:6]
    ['r1_faure', 'r1_vallaud', 'r1_blank_null', 'r1_abstention', 'r1_newcomer']
    >>> m.iloc[0, 6:].tolist()
    [64, 1, 36, 0]
    """
    for arg, t, expected in (("r1", r1, 1), ("r2", r2, 2)):
        rnd = t.attrs.get("round")
        if rnd is not None and rnd != expected:
            raise ValueError(
                f"merge_rounds: {arg} ({t.attrs.get('source', 'table')}) is a round-{rnd} "
                f"table; expected a round-{expected} table (call merge_rounds(round1, round2))"
            )
    y1, y2 = r1.attrs.get("year"), r2.attrs.get("year")
    if y1 is not None and y2 is not None and y1 != y2:
        raise ValueError(
            f"merge_rounds: r1 ({r1.attrs.get('source', 'table')}) is from {y1} but r2 "
            f"({r2.attrs.get('source', 'table')}) from {y2}; expected two rounds of the same "
            "congress"
        )
    f1, f2 = list(r1["federation"]), list(r2["federation"])
    only1 = [f for f in f1 if f not in set(f2)]
    only2 = [f for f in f2 if f not in set(f1)]
    if only1 or only2:
        raise ValueError(f"federations in round 1 only: {only1}; in round 2 only: {only2}")
    blocks = {}
    for name, t in (("r1", r1), ("r2", r2)):
        src = t.attrs.get("source", name)
        if "registered" not in t or t["registered"].isna().any():
            raise ValueError(f"{src}: 'registered' (inscrits) is needed to compute abstention")
        opts = [c for c in t.columns if c not in ("federation", *STANDARD_COLUMNS)]
        slugs = [slugify_option(o) for o in opts]
        if len(set(slugs)) < len(slugs) or {"blank_null", "abstention"} & set(slugs):
            raise ValueError(f"{src}: option labels {opts} give clashing column names {slugs}")
        b = pd.DataFrame({"federation": t["federation"].to_numpy()})
        for o, s in zip(opts, slugs, strict=True):
            b[f"{name}_{s}"] = t[o].to_numpy(dtype=np.int64)
        b[f"{name}_blank_null"] = t["blank_null"].to_numpy(dtype=np.int64)
        b[f"{name}_abstention"] = (t["registered"] - t["voters"]).to_numpy(dtype=np.int64)
        blocks[name] = b.set_index("federation")
    b1 = blocks["r1"]
    b2 = blocks["r2"].reindex(b1.index)
    change = b2.sum(axis=1) - b1.sum(axis=1)
    if (change != 0).any():
        b1["r1_newcomer"] = change.clip(lower=0)
        b2["r2_leaver"] = (-change).clip(lower=0)
    return pd.concat([b1, b2], axis=1).reset_index()
