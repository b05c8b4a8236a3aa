"""Raw → tidy: rebuild ``data/processed/`` from ``data/raw/``, with consistency checks.

:func:`build_data` reads every raw file (after checking its sha256 against the manifest),
parses French and English number formats, validates, derives what can be derived from
published figures (and says so in a ``*_method`` column), and writes deterministic tidy
CSV tables:

``results.csv``
    one row per (congress_year, round, status, candidate): votes, share_pct, how each was
    obtained (``published`` / ``derived``) and the source.
``turnout.csv``
    registered, voters, expressed, blank_null per congress, round and status.
``turnout_conflicts.csv``
    figures on which the sources disagree, each alternative beside the value used.
``federations.csv``
    per-federation fragments (2008–2025) with a canonical federation code.
``federation_summaries.csv``
    published statistics over all federations.

A failed check raises :class:`~congresslab.errors.RawDataError` naming file, row and column;
nothing is silently fixed, and nothing is ever written under ``data/raw/``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from congresslab import paths
from congresslab.data.federations import canonical_code
from congresslab.data.raw import RawDataError, parse_count, parse_share, read_raw, verify_raw

__all__ = ["build_data", "TURNOUT_CONFLICTS", "STATUSES", "SHARE_SUM_TOLERANCE"]

STATUSES = ("provisional", "official")
#: Shares of a round/status must add up to 100 within this many percentage points.
SHARE_SUM_TOLERANCE = 0.1

#: Figures on which sources disagree, transcribed from the ``note`` column of
#: ``national_turnout.csv`` (a test checks each alternative figure appears in that note).
TURNOUT_CONFLICTS: list[dict[str, object]] = [
    {"congress_year": 2023, "round": 1, "status": "official", "metric": "registered",
     "value_used": None, "alternative": "41000",
     "alternative_source": "franceinfo 13 Jan 2023: « plus de 41 000 adhérents » (approximate)"},
    {"congress_year": 2023, "round": 1, "status": "official", "metric": "registered",
     "value_used": None, "alternative": "43 265",
     "alternative_source": "Slate: 43 265 inscrits"},
    {"congress_year": 2023, "round": 1, "status": "official", "metric": "voters",
     "value_used": 23179, "alternative": "23 185",
     "alternative_source": "Slate: 23 185 votants"},
    {"congress_year": 2023, "round": 1, "status": "official", "metric": "participation_pct",
     "value_used": None, "alternative": "54,8",
     "alternative_source": "Universalis: participation 54,8 % (franceinfo: environ 56 %)"},
    {"congress_year": 2025, "round": 1, "status": "official", "metric": "registered",
     "value_used": 39815, "alternative": "38 815",
     "alternative_source": "politiquemania forum post: 38 815 inscrits, 63,64 % participation"},
]

_OPTION_NAME = re.compile(r"^(?P<name>[^(]+?)\s*\((?P<detail>[^)]*)\)\s*$")
_COUNT_METRICS_SIGNED = {"members_change_since_2023"}


def _parse_column(frame: pd.DataFrame, column: str, parser: Callable[[object], object],
                  file: str) -> list:
    values = []
    for line, cell in zip(frame["_line"], frame[column], strict=True):
        try:
            values.append(parser(cell))
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=line, column=column) from None
    return values


def _check_choice(frame: pd.DataFrame, column: str, allowed: tuple[str, ...], file: str) -> None:
    for line, cell in zip(frame["_line"], frame[column], strict=True):
        if cell not in allowed:
            raise RawDataError(f"unknown value {cell!r}; expected one of {allowed}",
                               file=file, row=line, column=column)


def _check_non_negative(frame: pd.DataFrame, column: str, file: str,
                        skip: pd.Series | None = None) -> None:
    for i, (line, value) in enumerate(zip(frame["_line"], frame[column], strict=True)):
        if skip is not None and bool(skip.iloc[i]):
            continue
        if value is not None and not pd.isna(value) and value < 0:
            raise RawDataError(f"negative count {value}", file=file, row=line, column=column)


def _check_duplicates(frame: pd.DataFrame, keys: list[str], file: str) -> None:
    dup = frame.duplicated(keys, keep="first")
    if dup.any():
        first = frame.loc[dup].iloc[0]
        key = ", ".join(f"{k}={first[k]}" for k in keys)
        raise RawDataError(f"duplicate row ({key})", file=file, row=int(first["_line"]),
                           column=keys[-1])


def _decimals(text: object) -> int:
    text = str(text).replace(",", ".").rstrip("% ")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _int_or_na(values: list) -> pd.Series:
    return pd.Series(values, dtype="Int64")


def _read_national(raw_dir: Path, name: str) -> tuple[pd.DataFrame, str, pd.DataFrame]:
    """Read a national table; parse the columns both national tables share."""
    file = str(raw_dir / name)
    raw = read_raw(name, raw_dir, verify=False)
    _check_choice(raw, "status", STATUSES, file)
    out = pd.DataFrame({
        "congress_year": _parse_column(raw, "congress_year", parse_count, file),
        "congress_city": raw["congress_city"],
        "round": _parse_column(raw, "round", parse_count, file),
        "date": raw["date"],
        "status": raw["status"],
    })
    return raw, file, out


def _clean_results(raw_dir: Path, turnout: pd.DataFrame) -> pd.DataFrame:
    raw, file, out = _read_national(raw_dir, "national_results.csv")
    if out.empty:
        raise RawDataError("no data rows", file=file)
    out = out.assign(**{
        "option_kind": raw["option_kind"],
        "option_label": raw["option_label"],
        "candidate": raw["first_signatory_or_candidate"].str.strip(),
        "votes": _int_or_na(_parse_column(raw, "votes", parse_count, file)),
        "share_pct": pd.Series(_parse_column(raw, "share_pct", parse_share, file),
                               dtype="Float64"),
        "_line": raw["_line"],
        "_share_text": raw["share_pct"],
        "source": raw["source"],
    })
    _check_non_negative(out, "votes", file)
    _check_duplicates(out, ["congress_year", "round", "status", "candidate"], file)
    out["votes_method"] = pd.Series(
        ["published" if pd.notna(v) else pd.NA for v in out["votes"]], dtype="string")
    out["share_method"] = pd.Series(
        ["published" if pd.notna(v) else pd.NA for v in out["share_pct"]], dtype="string")
    out["note"] = pd.Series([pd.NA] * len(out), dtype="string")

    expressed = turnout.set_index(["congress_year", "round", "status"])["expressed"]
    for key, group in out.groupby(["congress_year", "round", "status"], sort=False):
        idx = group.index
        shares = group["share_pct"]
        if len(group) >= 2 and shares.notna().all():
            total = float(shares.sum())
            if abs(total - 100) > SHARE_SUM_TOLERANCE:
                raise RawDataError(
                    f"shares of {key[0]} round {key[1]} ({key[2]}) sum to {total:.2f}, not "
                    f"100 ± {SHARE_SUM_TOLERANCE}", file=file,
                    row=int(group["_line"].iloc[-1]), column="share_pct")
        if len(group) == 1:
            # a lone option with votes must hold every expressed vote: otherwise a row is
            # missing (the base of its share could not be the expressed votes either)
            votes = group["votes"].iloc[0]
            if pd.notna(votes) and key in expressed.index and pd.notna(expressed[key]) and (
                    int(votes) != int(expressed[key])):
                raise RawDataError(
                    f"{key[0]} round {key[1]} ({key[2]}) has a single option, with {votes} of "
                    f"{expressed[key]} expressed votes (national_turnout.csv): is an option's "
                    "row missing?", file=file, row=int(group["_line"].iloc[0]), column="votes")
            out.loc[idx, "note"] = ("single option: the base of the share (voters or expressed)"
                                    " is not stated")
        if group["votes"].notna().all() and len(group) >= 2:
            base = int(group["votes"].sum())
            if key in expressed.index and pd.notna(expressed[key]) and expressed[key] != base:
                raise RawDataError(
                    f"option votes sum to {base} but {key[0]} round {key[1]} ({key[2]}) "
                    f"expressed is {expressed[key]} in national_turnout.csv",
                    file=file, row=int(group["_line"].iloc[-1]), column="votes")
            for i in idx:
                computed = 100 * int(out.at[i, "votes"]) / base
                published = out.at[i, "share_pct"]
                tolerance = 0.5 * 10 ** -_decimals(out.at[i, "_share_text"]) + 1e-9
                if pd.notna(published) and abs(computed - published) > tolerance:
                    raise RawDataError(
                        f"{out.at[i, 'votes']} votes of {base} expressed is {computed:.3f} %, "
                        f"published share is {published}", file=file,
                        row=int(out.at[i, "_line"]), column="share_pct")
        elif group["votes"].isna().all() and key in expressed.index and pd.notna(expressed[key]):
            base = int(expressed[key])
            for i in idx:
                share = out.at[i, "share_pct"]
                spread = 0.5 * 10 ** -_decimals(out.at[i, "_share_text"]) * base / 100
                out.at[i, "votes"] = round(float(share) * base / 100)
                out.at[i, "votes_method"] = "derived"
                out.at[i, "note"] = (f"votes = share × {base} expressed / 100 (rounding of the "
                                     f"published share: ±{math.ceil(spread)} votes)")
    out = out.drop(columns=["_line", "_share_text"])
    cols = ["congress_year", "congress_city", "round", "date", "status", "option_kind",
            "option_label", "candidate", "votes", "share_pct", "votes_method", "share_method",
            "note", "source"]
    return out[cols].sort_values(
        ["congress_year", "round", "status", "share_pct"],
        ascending=[True, True, False, False], kind="stable").reset_index(drop=True)


def _clean_turnout(raw_dir: Path) -> pd.DataFrame:
    raw, file, out = _read_national(raw_dir, "national_turnout.csv")
    out["_line"] = raw["_line"]
    metrics = ["registered", "voters", "expressed", "blank_null"]
    for metric in metrics:
        out[metric] = _int_or_na(_parse_column(raw, metric, parse_count, file))
        _check_non_negative(out, metric, file)
        out[f"{metric}_method"] = pd.Series(
            ["published" if pd.notna(v) else pd.NA for v in out[metric]], dtype="string")
    _check_duplicates(out, ["congress_year", "round", "status"], file)
    for i in out.index:
        voters, expressed = out.at[i, "voters"], out.at[i, "expressed"]
        if pd.notna(voters) and pd.notna(expressed):
            if expressed > voters:
                raise RawDataError(f"expressed {expressed} exceeds voters {voters}", file=file,
                                   row=int(out.at[i, "_line"]), column="expressed")
            if pd.isna(out.at[i, "blank_null"]):
                out.at[i, "blank_null"] = voters - expressed
                out.at[i, "blank_null_method"] = "derived"
        if pd.notna(out.at[i, "registered"]) and pd.notna(voters) and voters > out.at[
                i, "registered"]:
            raise RawDataError(f"voters {voters} exceed registered {out.at[i, 'registered']}",
                               file=file, row=int(out.at[i, "_line"]), column="voters")
    out["participation_pct"] = (100 * out["voters"] / out["registered"]).round(2)
    out["derivation"] = pd.Series([pd.NA] * len(out), dtype="string")
    keys = {(c["congress_year"], c["round"], c["status"]) for c in TURNOUT_CONFLICTS}
    out["conflict"] = [
        (y, r, s) in keys for y, r, s in zip(out["congress_year"], out["round"], out["status"],
                                             strict=True)]
    out["note"] = raw["note"].astype("string")
    out["source"] = raw["source"].astype("string")
    return out.drop(columns=["_line"]).sort_values(
        ["congress_year", "round", "status"], ascending=[True, True, False],
        kind="stable").reset_index(drop=True)


def _fill_expressed_from_results(turnout: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Expressed = sum of the published option votes, where turnout does not publish it."""
    published = results[results["votes_method"] == "published"]
    sums = published.groupby(["congress_year", "round", "status"])["votes"].agg(["sum", "size"])
    options = results.groupby(["congress_year", "round", "status"]).size()
    turnout = turnout.copy()
    for i in turnout.index:
        key = (turnout.at[i, "congress_year"], turnout.at[i, "round"], turnout.at[i, "status"])
        if pd.isna(turnout.at[i, "expressed"]) and key in sums.index and sums.loc[
                key, "size"] == options.get(key, -1):
            turnout.at[i, "expressed"] = int(sums.loc[key, "sum"])
            turnout.at[i, "expressed_method"] = "derived"
            votes = published.loc[
                (published["congress_year"] == key[0]) & (published["round"] == key[1])
                & (published["status"] == key[2]), "votes"]
            turnout.at[i, "derivation"] = (
                "expressed = sum of the published option votes = "
                + " + ".join(f"{int(v):,}" for v in votes) + f" = {int(sums.loc[key, 'sum']):,}")
    return turnout


def _blank_null_derivations(turnout: pd.DataFrame) -> pd.DataFrame:
    """Say how each derived blank/null count was computed, in ``derivation``."""
    turnout = turnout.copy()
    for i in turnout.index[turnout["blank_null_method"] == "derived"]:
        v, e, b = (int(turnout.at[i, c]) for c in ("voters", "expressed", "blank_null"))
        text = f"blank_null = voters - expressed = {v:,} - {e:,} = {b:,}"
        old = turnout.at[i, "derivation"]
        turnout.at[i, "derivation"] = text if pd.isna(old) else f"{old}; {text}"
    return turnout


def _turnout_conflicts(turnout: pd.DataFrame, raw_dir: Path) -> pd.DataFrame:
    raw = read_raw("national_turnout.csv", raw_dir, verify=False)
    rows = []
    for conflict in TURNOUT_CONFLICTS:
        match = raw[(raw["congress_year"] == str(conflict["congress_year"]))
                    & (raw["round"] == str(conflict["round"]))
                    & (raw["status"] == conflict["status"])]
        note = match["note"].iloc[0] if len(match) else ""
        rows.append({**conflict, "evidence": note})
    frame = pd.DataFrame(rows)
    frame["value_used"] = frame["value_used"].astype("Int64")
    frame["alternative"] = [parse_share(a) if "," in str(a) else parse_count(a)
                            for a in frame["alternative"]]
    return frame


def _option_name(option: object) -> object:
    if option is None or pd.isna(option):
        return pd.NA
    match = _OPTION_NAME.match(str(option))
    return match.group("name") if match and not str(option).startswith("Motion") else option


def _clean_fragments(raw_dir: Path, name: str) -> pd.DataFrame:
    file = str(raw_dir / name)
    raw = read_raw(name, raw_dir, verify=False)
    codes = []
    for line, dept, federation in zip(raw["_line"], raw["dept_code"], raw["federation"],
                                      strict=True):
        try:
            codes.append(canonical_code(dept if isinstance(dept, str) else federation))
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=line, column="dept_code") from None
    values = []
    for line, cell in zip(raw["_line"], raw["value"], strict=True):
        try:
            values.append(parse_share(cell))
        except ValueError as err:
            raise RawDataError(str(err), file=file, row=line, column="value") from None
    status = raw["status"].fillna("")
    out = pd.DataFrame({
        "congress_year": _parse_column(raw, "congress_year", parse_count, file),
        "round": raw["round"].astype("string"),
        "date": raw["date"] if "date" in raw else pd.NA,
        "federation_code": codes,
        "federation": raw["federation"],
        "metric": raw["metric"],
        "option": raw["option"],
        "candidate": [_option_name(o) for o in raw["option"]],
        "value": values,
        "unit": raw["unit"],
        "approximate": raw["unit"].str.contains("approx") | status.str.contains("approx"),
        "conflict": status.str.contains("CONFLICT"),
        "status": raw["status"],
        "source_url": raw["source_url"],
        "quote": raw["quote"],
        "_line": raw["_line"],
    })
    counted = out["unit"].isin(["count", "votes", "count_approx", "votes_approx"])
    signed = out["metric"].isin(_COUNT_METRICS_SIGNED) | ~counted
    _check_non_negative(out, "value", file, skip=signed)
    _check_duplicates(out, ["congress_year", "round", "federation_code", "metric", "option",
                            "value", "source_url"], file)
    return out.drop(columns=["_line"])


def _clean_summaries(raw_dir: Path) -> pd.DataFrame:
    name = "federation_summaries.csv"
    file = str(raw_dir / name)
    raw = read_raw(name, raw_dir, verify=False)
    out = raw.drop(columns=["_line"]).copy()
    out["congress_year"] = _parse_column(raw, "congress_year", parse_count, file)
    out["round"] = _int_or_na(_parse_column(raw, "round", parse_count, file))
    out["value"] = _parse_column(raw, "value", parse_share, file)
    _check_non_negative(out.assign(_line=raw["_line"]), "value", file)
    return out


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")


def build_data(raw_dir: Path | None = None, out_dir: Path | None = None) -> dict[str, Path]:
    """Rebuild every processed table from the raw files.

    Parameters
    ----------
    raw_dir
        Folder of the raw files and their ``datapackage.json`` (default ``data/raw``).
    out_dir
        Where the tidy tables go (default ``data/processed``); created if needed.

    Returns
    -------
    dict
        Table name → path written.

    Raises
    ------
    congresslab.errors.ChecksumError
        When a raw file no longer matches its manifest checksum (the file is named).
    congresslab.errors.RawDataError
        When a value fails a check (file, row and column are named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = build_data(out_dir=pathlib.Path(tmp))
    ...     sorted(written)
    ['federation_summaries', 'federations', 'results', 'turnout', 'turnout_conflicts']
    """
    raw_dir = paths.RAW if raw_dir is None else Path(raw_dir)
    out_dir = paths.PROCESSED if out_dir is None else Path(out_dir)
    if out_dir.resolve() == raw_dir.resolve():
        raise ValueError("refusing to write processed tables into the raw data folder")
    verify_raw(raw_dir)
    turnout = _clean_turnout(raw_dir)
    results = _clean_results(raw_dir, turnout)
    turnout = _blank_null_derivations(_fill_expressed_from_results(turnout, results))
    tables = {
        "results": results,
        "turnout": turnout,
        "turnout_conflicts": _turnout_conflicts(turnout, raw_dir),
        "federations": pd.concat(
            [_clean_fragments(raw_dir, "federation_fragments.csv"),
             _clean_fragments(raw_dir, "federations_2008.csv")], ignore_index=True),
        "federation_summaries": _clean_summaries(raw_dir),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in tables.items():
        path = out_dir / f"{name}.csv"
        _write(frame, path)
        written[name] = path
    return written
