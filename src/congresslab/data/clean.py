"""Raw → tidy: rebuild ``data/processed/`` from ``data/raw/``, with consistency checks.

:func:`build_data` reads every raw file (after checking its sha256 against the manifest),
parses French and English number formats, validates, derives what can be derived from
published figures (and says so in a ``*_method`` column), and writes deterministic tidy
CSV tables:

``results.csv``
    one row per (party, congress_year, round, vote_kind, version, candidate): votes,
    share_pct, how each was obtained (``published`` / ``derived``) and the source. The PS
    congresses 2018–2025 come from ``national_results.csv``; the PS congresses 1971–2015
    and the other parties' votes from the history files, cleaned by
    :mod:`congresslab.data.history` (whose docstring defines ``vote_kind``, the status
    vocabulary, versions and the default-version rule).
``turnout.csv``
    registered, voters, expressed, blank_null per party, congress, round and version.
``turnout_conflicts.csv``
    figures on which the sources disagree (2023, 2025), each alternative beside the value
    used, from ``turnout_alternatives.csv``.
``federations.csv``
    per-federation fragments (2008–2025) with a canonical federation code, the base of each
    share (``base``), the printed value and the raw file and line
    (``federation_fragments_more.csv`` through :mod:`congresslab.data.fedfragments`).
``federation_summaries.csv``
    published statistics over all federations.

A failed check raises :class:`~congresslab.data.raw.RawDataError` naming file, row and column;
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
from congresslab.data.fedfragments import base_of_unit, clean_fragments_more, mark_repeats
from congresslab.data.history import (
    RESULT_COLUMNS,
    TURNOUT_COLUMNS,
    attach_participation,
    clean_history_results,
    clean_history_turnout,
)
from congresslab.data.raw import RawDataError, parse_count, parse_share, read_raw, verify_raw

__all__ = ["build_data", "STATUSES", "SHARE_SUM_TOLERANCE"]

STATUSES = ("provisional", "official")
#: Shares of a round/status must add up to 100 within this many percentage points.
SHARE_SUM_TOLERANCE = 0.1

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
    out = out.assign(
        party="PS", vote_kind=out["round"].map({1: "members_motion", 2: "members_leadership"}),
        vote_name=pd.NA, version=[f"PS-{y}-{r}-{s}" for y, r, s in zip(
            out["congress_year"], out["round"], out["status"], strict=True)],
        is_default=out["status"] == "official", status_text=out["status"], conflict=False,
        conflict_note=pd.NA, approximate=False, superseded=False, shares_sum=pd.NA,
        shares_sum_ok=pd.NA, counts_shares_ok=pd.NA, votes_text=raw["votes"],
        share_text=out["_share_text"], quote=pd.NA, raw_file="national_results.csv",
        raw_line=out["_line"])
    for _key, group in out.groupby(["congress_year", "round", "status"]):
        if len(group) >= 2 and group["share_pct"].notna().all():
            out.loc[group.index, "shares_sum"] = round(float(group["share_pct"].sum()), 6)
            out.loc[group.index, "shares_sum_ok"] = True  # checked above: an error otherwise
        if len(group) >= 2 and group["votes_method"].eq("published").all():
            out.loc[group.index, "counts_shares_ok"] = True
    return out[RESULT_COLUMNS].sort_values(
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
    keys = {(c["congress_year"], c["round"], c["status"])
            for c in _read_alternatives(raw_dir).to_dict("records")}
    out["conflict"] = [
        (y, r, s) in keys for y, r, s in zip(out["congress_year"], out["round"], out["status"],
                                             strict=True)]
    out["note"] = raw["note"].astype("string")
    out["source"] = raw["source"].astype("string")
    out = out.assign(
        party="PS", vote_kind=out["round"].map({1: "members_motion", 2: "members_leadership"}),
        vote_name=pd.NA, members=pd.Series(pd.NA, index=out.index, dtype="Int64"),
        members_method=pd.NA, version=[f"PS-{y}-{r}-{s}" for y, r, s in zip(
            out["congress_year"], out["round"], out["status"], strict=True)],
        is_default=out["status"] == "official", status_text=out["status"],
        conflict_note=pd.NA, approximate=False, superseded=False, quote=pd.NA,
        raw_file="national_turnout.csv", raw_line=out["_line"])
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


def _read_alternatives(raw_dir: Path) -> pd.DataFrame:
    """``turnout_alternatives.csv``, each quote checked against the note it comes from."""
    name = "turnout_alternatives.csv"
    file = str(raw_dir / name)
    raw = read_raw(name, raw_dir, verify=False)
    out = pd.DataFrame({
        "congress_year": _parse_column(raw, "congress_year", parse_count, file),
        "round": _parse_column(raw, "round", parse_count, file),
        "status": raw["status"],
    })
    _check_choice(raw, "status", STATUSES, file)
    _check_choice(raw, "metric", ("registered", "voters", "expressed", "blank_null",
                                  "participation_pct"), file)
    _check_choice(raw, "approximate", ("true", "false"), file)
    sources: dict[str, pd.DataFrame] = {}
    for i, line in enumerate(raw["_line"]):
        origin = raw["from_file"].iloc[i]
        if origin not in sources:
            try:
                sources[origin] = read_raw(origin, raw_dir, verify=False)
            except OSError:
                raise RawDataError(f"no raw file {origin!r}", file=file, row=int(line),
                                   column="from_file") from None
        table = sources[origin]
        match = table[table["_line"] == parse_count(raw["from_line"].iloc[i])]
        key = (str(out["congress_year"].iloc[i]), str(out["round"].iloc[i]), out["status"].iloc[i])
        if match.empty or (str(match["congress_year"].iloc[0]), str(match["round"].iloc[0]),
                           match["status"].iloc[0]) != key:
            raise RawDataError(f"{origin} line {raw['from_line'].iloc[i]} is not congress "
                               f"{key[0]} round {key[1]} ({key[2]})", file=file,
                               row=int(line), column="from_line")
        note = match["note"].iloc[0] if len(match) and "note" in match else None
        if not isinstance(note, str) or str(raw["quote"].iloc[i]) not in note:
            raise RawDataError(f"quote not found in the note of {origin} line "
                               f"{raw['from_line'].iloc[i]}", file=file, row=int(line),
                               column="quote")
    out["metric"] = raw["metric"]
    out["alternative"] = [parse_share(a) if "," in str(a) else parse_count(a)
                          for a in raw["alternative"]]
    out["approximate"] = raw["approximate"] == "true"
    out["alternative_source"] = [  # the outlet, unless the quote already names it
        (q if any(w in q for w in s.split() if len(w) > 3) else f"{s}: {q}")
        + (" (approximate)" if a else "")
        for s, q, a in zip(raw["source"], raw["quote"], out["approximate"], strict=True)]
    out["evidence"] = [sources[f].loc[sources[f]["_line"] == parse_count(n), "note"].iloc[0]
                       for f, n in zip(raw["from_file"], raw["from_line"], strict=True)]
    out["raw_line"] = raw["_line"]
    return out


def _turnout_conflicts(turnout: pd.DataFrame, raw_dir: Path) -> pd.DataFrame:
    """Each alternative figure beside the value used (a count of ``turnout.csv`` or NA)."""
    alternatives = _read_alternatives(raw_dir)
    ps = turnout[turnout["raw_file"] == "national_turnout.csv"].set_index(
        ["congress_year", "round", "status"])
    used = []
    for row in alternatives.itertuples():
        key = (row.congress_year, str(row.round), row.status)
        value = ps.at[key, row.metric] if key in ps.index and row.metric in (
            "registered", "voters", "expressed", "blank_null") else pd.NA
        used.append(value)
    cols = ["congress_year", "round", "status", "metric"]
    frame = alternatives[cols].copy()
    frame["value_used"] = pd.Series(used, dtype="Int64")
    frame["alternative"] = alternatives["alternative"].astype(float)
    for col in ("alternative_source", "evidence", "approximate", "raw_line"):
        frame[col] = alternatives[col]
    frame.insert(len(frame.columns) - 1, "raw_file", "turnout_alternatives.csv")
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
        "base": [base_of_unit(u) for u in raw["unit"]],
        "scope": "federation",
        "value_text": raw["value"],
        "note": pd.NA,
        "raw_file": name,
        "raw_line": raw["_line"],
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


_ROUND_ORDER = {"motions": 0, "1": 1, "2": 2, "congress_final": 3}


def _combine(current: pd.DataFrame, others: list[pd.DataFrame]) -> pd.DataFrame:
    """The PS 2018–2025 table followed by the history and other-party tables, in one order:
    PS first then parties alphabetically, year, round (motions, 1, 2, congress_final),
    version; rows of the 2018–2025 table keep their order."""
    frame = pd.concat([current.astype({"round": str})] + others, ignore_index=True)
    party = frame["party"].map(lambda p: ("0" if p == "PS" else "1") + p)
    version = frame["version"].str.extract(r"-v(\d+)$")[0].fillna("0").astype(int)
    keys = pd.DataFrame({"party": party, "year": frame["congress_year"],
                         "round": frame["round"].map(_ROUND_ORDER), "kind": frame["vote_kind"],
                         "version": version, "pos": range(len(frame))})
    order = keys.sort_values(["party", "year", "round", "kind", "version", "pos"]).index
    return frame.loc[order].reset_index(drop=True)


def _write(frame: pd.DataFrame, path: Path) -> None:
    paths.write_replacing(path, lambda tmp: frame.to_csv(
        tmp, index=False, lineterminator="\n", float_format="%.10g"))


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
    congresslab.data.raw.ChecksumError
        When a raw file no longer matches its manifest checksum (the file is named).
    congresslab.data.raw.RawDataError
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
    results = _combine(results, [clean_history_results(raw_dir, n) for n in
                                 ("history_results.csv", "other_parties_results.csv")])
    turnout = turnout.assign(participation_published_pct=pd.NA,
                             participation_published_approximate=pd.NA)
    turnout = _combine(turnout[TURNOUT_COLUMNS], [
        attach_participation(clean_history_turnout(raw_dir, n), raw_dir) for n in
        ("history_turnout.csv", "other_parties_turnout.csv")])
    tables = {
        "results": results,
        "turnout": turnout,
        "turnout_conflicts": _turnout_conflicts(turnout, raw_dir),
        "federations": mark_repeats(pd.concat(
            [_clean_fragments(raw_dir, "federation_fragments.csv"),
             _clean_fragments(raw_dir, "federations_2008.csv"),
             clean_fragments_more(raw_dir)], ignore_index=True)),
        "federation_summaries": _clean_summaries(raw_dir),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in tables.items():
        path = out_dir / f"{name}.csv"
        _write(frame, path)
        written[name] = path
    return written
