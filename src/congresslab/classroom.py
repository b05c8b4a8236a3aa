"""Classroom kit: one SIMULATED congress per student, the answer key, and grading.

``congresslab classroom --students N --like 2025 --seed S --out DIR`` writes

* ``DIR/student-01.csv`` … — one SIMULATED federation table per student
  (:func:`congresslab.simulate_congress`), each with its own seed derived from ``S`` and its
  own heterogeneity (``dispersion``); the first column of every file is ``SIMULATED``;
* ``DIR/key.csv`` — every student's true national transfer cells (SIMULATED), with the cells
  the exercise asks about flagged ``asked``;
* ``DIR/handout.md`` — a one-page exercise with the exact ``congresslab estimate`` command.

``congresslab grade --key DIR/key.csv --student 01 RESULT`` scores one result (the JSON that
``congresslab estimate --json`` writes, or a CSV with ``origin, destination`` and
``share``/``estimate``, ``lower``, ``upper`` columns): the error on the asked cells in
percentage points, whether the true value is inside the interval, and a short comment.
``congresslab grade --key DIR/key.csv DIR_OF_RESULTS`` grades every ``*student-NN*`` file of
a folder into a class table. From Python: :func:`make_classroom` and :func:`grade`.

The asked cells are the eliminated motions' voters (round-1 motions absent from the runoff)
going to each runoff candidate: Vallaud → Faure and Vallaud → Mayer-Rossignol for ``like
2025``, Geoffroy → … for 2023, Le Foll, Maurel and Carvounas → Faure for 2018.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     kit = make_classroom(2, like=2025, seed=7, out=pathlib.Path(d) / "kit")
...     print(sorted(p.name for p in kit.out.iterdir()))
...     print(kit.key.loc[kit.key.asked, ["student", "origin", "destination"]].values[:2])
['handout.md', 'key.csv', 'student-01.csv', 'student-02.csv']
[['01' 'r1_vallaud' 'r2_faure']
 ['01' 'r1_vallaud' 'r2_mayer_rossignol']]
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from congresslab import paths
from congresslab.errors import ClassroomError

__all__ = [
    "Classroom",
    "StudentGrade",
    "MAX_STUDENTS",
    "DISPERSION_RANGE",
    "make_classroom",
    "student_seed",
    "read_key",
    "read_result",
    "grade",
    "grade_class",
]

#: Largest class the command accepts (each student's table takes about 0.5 s to simulate).
MAX_STUDENTS: int = 500
#: Heterogeneity of the students' congresses: ``dispersion`` drawn uniformly in this range
#: (the default of :func:`~congresslab.simulate_congress`, 0.6, is calibrated on 2025).
DISPERSION_RANGE: tuple[float, float] = (0.3, 1.0)
KEY_COLUMNS = ["SIMULATED", "exercise", "student", "like", "seed", "dispersion", "n_units",
               "origin", "destination", "true_share", "true_count", "asked"]
_STUDENT_RE = re.compile(r"student-?(\d+)", re.I)


def student_seed(seed: int, student: int) -> tuple[int, float]:
    """Seed and heterogeneity of one student's SIMULATED congress.

    Derived from the class seed with :class:`numpy.random.SeedSequence` (child ``student -
    1``), so a student's congress does not depend on the size of the class. The
    heterogeneity follows a golden-ratio sequence over :data:`DISPERSION_RANGE` started by
    the class seed, so even a small class gets low, middle and high values.

    Examples
    --------
    >>> student_seed(7, 1) == student_seed(7, 1), student_seed(7, 1) != student_seed(7, 2)
    (True, True)
    """
    child = np.random.SeedSequence(seed, spawn_key=(student - 1,))
    rng = np.random.default_rng(child)
    sim_seed = int(rng.integers(0, 2**31 - 1))
    # golden-ratio sequence from the class seed: any class spans the range evenly
    start = float(np.random.default_rng(np.random.SeedSequence(seed)).uniform())
    u = (start + student * (math.sqrt(5) - 1) / 2) % 1.0
    lo, hi = DISPERSION_RANGE
    return sim_seed, round(lo + (hi - lo) * u, 2)


def _width(n: int) -> int:
    return max(2, len(str(n)))


def _asked(attrs: dict[str, Any]) -> list[tuple[str, str]]:
    eliminated = [o for o in attrs["r1_options"] if o not in attrs["r2_options"]]
    return [(f"r1_{o}", f"r2_{d}") for o in eliminated for d in attrs["r2_options"]]


@dataclass
class Classroom:
    """What :func:`make_classroom` wrote.

    Attributes
    ----------
    out : pathlib.Path
        The folder.
    students : list of str
        Student numbers (``"01"``, ``"02"``…).
    key : pandas.DataFrame
        The answer key (also ``out/key.csv``), SIMULATED.
    handout : pathlib.Path
        The exercise sheet.
    exercise : str
        Identifier of the kit, e.g. ``"like2025-seed7"``.
    """

    out: Path
    students: list[str]
    key: pd.DataFrame
    handout: Path
    exercise: str

    def student_file(self, student: str | int) -> Path:
        """The unit table of one student."""
        return self.out / f"student-{int(student):0{_width(len(self.students))}d}.csv"


def _check_out(out: Path, force: bool) -> None:
    raw = paths.RAW.resolve()
    target = out.resolve()
    if target == raw or raw in target.parents:
        raise ClassroomError(f"--out {out}: refusing to write into data/raw/ (sourced inputs "
                             "only); choose another folder")
    if target.exists() and not target.is_dir():
        raise ClassroomError(f"--out {out}: exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ClassroomError(f"--out {out}: directory exists and is not empty; use --force to "
                             "overwrite the kit's files in it")
    if not target.parent.is_dir():
        raise ClassroomError(f"--out {out}: parent directory {out.parent} does not exist")


def _like_totals(like: int) -> None:
    from congresslab.sim import congress_totals

    try:
        congress_totals(like)
    except ValueError as exc:
        raise ClassroomError(f"--like {like}: {exc}") from None


def make_classroom(students: int, like: int = 2025, seed: int = 0, out: str | Path = ".",
                   *, force: bool = False, method: str = "lp") -> Classroom:
    """Write one SIMULATED congress per student, the answer key and the handout.

    Parameters
    ----------
    students
        Number of students (1 to :data:`MAX_STUDENTS`).
    like
        Congress whose national totals the SIMULATED congresses reproduce (2018, 2023,
        2025: what :func:`~congresslab.simulate_congress` supports).
    seed
        Class seed; each student's seed and ``dispersion`` derive from it
        (:func:`student_seed`). Same arguments, identical files.
    out
        Folder to write (created). Never ``data/raw/``; an existing non-empty folder only
        with ``force=True``.
    force
        Write into an existing non-empty folder: the kit's files are replaced and the unit
        tables of a previous kit (``student-NN.csv``) removed; other files are kept.
    method
        Method the handout suggests (``lp`` is quick; ``bayes`` takes minutes at congress size).

    Returns
    -------
    Classroom

    Raises
    ------
    ValueError
        Naming the option: ``students`` < 1 or too many, negative ``seed``, unsupported
        ``like``, a forbidden or non-empty ``out``.
    """
    from congresslab.sim import simulate_congress
    from congresslab.transfers.api import METHODS

    out = Path(out)
    if isinstance(students, bool) or not isinstance(students, int | np.integer) \
            or not 1 <= students <= MAX_STUDENTS:
        raise ClassroomError(f"--students must be between 1 and {MAX_STUDENTS}, got {students}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ClassroomError(f"--seed must be a non-negative integer, got {seed}")
    if method not in METHODS:
        raise ClassroomError(f"--method must be one of {', '.join(METHODS)}, got {method}")
    _like_totals(like)
    _check_out(out, force)
    out.mkdir(exist_ok=True)
    for stale in out.glob("student-*.csv"):  # a previous kit's tables (with --force)
        if re.fullmatch(r"student-\d+\.csv", stale.name):
            stale.unlink()
    exercise = f"like{like}-seed{seed}"
    width = _width(students)
    rows = []
    ids = []
    sim = None
    for i in range(1, students + 1):
        sid = f"{i:0{width}d}"
        sim_seed, dispersion = student_seed(seed, i)
        sim = simulate_congress(like=like, seed=sim_seed, dispersion=dispersion)
        sim.to_csv(out / f"student-{sid}.csv")
        asked = set(_asked(sim.attrs))
        counts = sim.truth_matrix()
        for o in sim.origin:
            for d in sim.destination:
                rows.append({"SIMULATED": True, "exercise": exercise, "student": sid,
                             "like": like, "seed": sim_seed, "dispersion": dispersion,
                             "n_units": len(sim.units), "origin": o, "destination": d,
                             "true_share": round(float(sim.true_transfer.loc[o, d]), 6),
                             "true_count": int(counts.loc[o, d]), "asked": (o, d) in asked})
        ids.append(sid)
    key = pd.DataFrame(rows, columns=KEY_COLUMNS)
    key.to_csv(out / "key.csv", index=False, lineterminator="\n")
    handout = out / "handout.md"
    handout.write_text(_handout(sim.attrs, exercise, ids, method), encoding="utf-8")
    return Classroom(out, ids, key, handout, exercise)


def _handout(attrs: dict[str, Any], exercise: str, ids: list[str], method: str) -> str:
    labels = attrs["labels"]

    def name(col: str) -> str:
        slug = col.split("_", 1)[1]
        return labels.get(slug, slug.replace("_", " "))

    asked = _asked(attrs)
    eliminated = sorted({o for o, _ in asked}, key=[f"r1_{o}" for o in attrs["r1_options"]]
                        .index)
    questions = "\n".join(
        f"{k}. What share of the round-1 voters of **{name(o)}** (`{o}`) voted for "
        f"**{name(d)}** (`{d}`) in the runoff? Give your estimate and its interval in %."
        for k, (o, d) in enumerate(asked, 1))
    first = ids[0]
    cmd = (f"congresslab estimate student-{first}.csv --unit federation \\\n"
           f"    --origin {','.join(attrs['origin'])} \\\n"
           f"    --destination {','.join(attrs['destination'])} \\\n"
           f"    --method {method} --seed 0 --json student-{first}-result.json")
    names = [name(o) for o in eliminated]
    elim = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    numbers = ids[0] if len(ids) == 1 else f"{ids[0]} to {ids[-1]}"
    made = "\n".join(f"* {a}" for a in attrs.get("assumptions", [])) or "* none"
    return f"""# SIMULATED congress — exercise {exercise}

**Everything in this exercise is SIMULATED.** Each student receives a different SIMULATED
congress whose national totals equal the official ones of the {attrs['like']} Parti socialiste
congress, with made-up federation results. They are not real votes: real per-federation
tables of both rounds are not public.

## Your data

`student-NN.csv` (your number: {numbers}): one row per federation. The first
column says `SIMULATED`; `r1_*` columns are round-1 counts (motions, blank/null, abstention,
members who joined between rounds: `r1_newcomer`), `r2_*` columns the runoff (candidates,
blank/null, abstention, members who left: `r2_leaver`). Each row's `r1_*` and `r2_*` sum to
the same number of members.

## The question

{elim} did not reach the runoff. Where did their voters go?

{questions}

## What to run

Replace `{first}` with your number (one command, a few seconds with `--method lp`):

```bash
{cmd}
```

The table printed shows every origin → destination share with its interval; the file
`student-{first}-result.json` is what you hand in. Try also `--method bayes` (a few
minutes) or `--method goodman`, and compare.

## How the SIMULATED congresses were made

Federation sizes, turnout and each federation's own transfer matrix were drawn at random
(`congresslab simulate`), then adjusted so that the national totals are the official ones.
Assumptions where the official figures are incomplete:

{made}

## To discuss

* Which assumption does the method make about the federations? Is it plausible here?
* Is the interval wide or narrow? Would you bet that the truth is inside it?
* Ecological inference estimates the behaviour of groups of voters from totals: what can it
  *not* tell about individual voters?

Your teacher holds the truth of your SIMULATED congress and will grade the asked cells:
error in percentage points, and whether the truth lies inside your interval.
"""


# ----------------------------------------------------------------------------- grading
def read_key(path: str | Path) -> pd.DataFrame:
    """Read and check ``key.csv``.

    Raises
    ------
    ValueError
        Naming the file: missing, unreadable, or without the key's columns.
    """
    path = Path(path)
    if not path.is_file():
        raise ClassroomError(f"--key {path}: no such file"
                             + (" (a directory)" if path.is_dir() else ""))
    try:
        key = pd.read_csv(path, dtype={"student": str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ClassroomError(f"--key {path}: cannot read as CSV: "
                             f"{str(exc).splitlines()[0]}") from None
    missing = [c for c in KEY_COLUMNS if c not in key.columns]
    if missing:
        raise ClassroomError(f"--key {path}: not a classroom key (missing columns "
                             f"{', '.join(missing)})")
    key["asked"] = key["asked"].astype(str).str.lower().eq("true")
    return key


def _number(value: Any, where: str) -> float:
    if value is None:
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ClassroomError(f"{where}: not a number: {value!r}") from None


def _from_json(d: Any, label: str) -> dict[str, Any]:
    """The JSON of ``congresslab estimate --json`` (or ``TransferResults.to_json``) parsed."""
    if not isinstance(d, dict) or "transfer" not in d or not isinstance(d["transfer"], dict):
        raise ClassroomError(f"{label}: not the JSON of `congresslab estimate --json` (no "
                             "'transfer' table)")
    interval = d.get("interval") or {}
    rows = []
    for o, row in d["transfer"].items():
        if not isinstance(row, dict):
            raise ClassroomError(f"{label}: transfer[{o!r}] is not a table")
        for dest, share in row.items():
            lo, hi = (interval.get(o, {}) or {}).get(dest) or [None, None]
            where = f"{label}: {o} -> {dest}"
            rows.append({"origin": o, "destination": dest, "estimate": _number(share, where),
                         "lower": _number(lo, where), "upper": _number(hi, where)})
    cells = pd.DataFrame(rows, columns=["origin", "destination", "estimate", "lower", "upper"])
    return {"cells": cells, "origin": list(d.get("origin") or cells.origin.unique()),
            "destination": list(d.get("destination") or cells.destination.unique()),
            "n_units": d.get("n_units"), "simulated": d.get("simulated"),
            "method": d.get("method")}


def read_result(path: str | Path) -> dict[str, Any]:
    """Read a student's result: ``congresslab estimate --json`` output, or a CSV.

    Returns
    -------
    dict
        ``cells`` (DataFrame: origin, destination, estimate, lower, upper, as shares),
        ``origin``, ``destination``, ``n_units``, ``simulated``, ``method`` (``None`` where
        the file does not say).

    Raises
    ------
    ValueError
        Naming the file: missing, not JSON/CSV, or without the expected keys/columns.
    """
    path = Path(path)
    if not path.is_file():
        raise ClassroomError(f"result {path}: no such file")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        try:
            d = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ClassroomError(f"result {path}: not valid JSON (line {exc.lineno}: "
                                 f"{exc.msg})") from None
        return _from_json(d, f"result {path}")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ClassroomError(f"result {path}: cannot read as JSON or CSV: "
                             f"{str(exc).splitlines()[0]}") from None
    share = "share" if "share" in frame.columns else "estimate"
    need = ["origin", "destination", share]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ClassroomError(f"result {path}: CSV without column(s) {', '.join(missing)} "
                             "(expected origin, destination, share or estimate, lower, upper)")
    cells = pd.DataFrame({"origin": frame["origin"].astype(str),
                          "destination": frame["destination"].astype(str)})
    for col, src in (("estimate", share), ("lower", "lower"), ("upper", "upper")):
        values = pd.to_numeric(frame[src], errors="coerce") if src in frame.columns \
            else pd.Series(np.nan, index=frame.index)
        bad = values.isna() & frame.get(src, pd.Series(np.nan, index=frame.index)).notna()
        if bad.any():
            raise ClassroomError(f"result {path}, line {int(np.flatnonzero(bad)[0]) + 2}, "
                                 f"column {src}: not a number")
        cells[col] = values.astype(float)
    return {"cells": cells, "origin": list(dict.fromkeys(cells.origin)),
            "destination": list(dict.fromkeys(cells.destination)), "n_units": None,
            "simulated": bool(frame["SIMULATED"].all()) if "SIMULATED" in frame else None,
            "method": None}


@dataclass
class StudentGrade:
    """One student's grade.

    Attributes
    ----------
    student : str
    cells : pandas.DataFrame
        The asked cells: ``origin, destination, true_pct, estimate_pct, error_pp, lower_pct,
        upper_pct, width_pp, inside``.
    mae_pp : float
        Mean absolute error on the asked cells, in percentage points.
    covered : int
        Asked cells whose interval contains the true value.
    comment : str
    method : str or None
    """

    student: str
    cells: pd.DataFrame
    mae_pp: float
    covered: int
    comment: str
    method: str | None = None

    def __str__(self) -> str:
        title = f"SIMULATED exercise — student {self.student}"
        if self.method:
            title += f" (method {self.method})"
        table = self.cells.to_string(index=False, float_format=lambda v: f"{v:.1f}")
        return (f"{title}\n{table}\nmean absolute error {self.mae_pp:.1f} points; true value "
                f"inside the interval in {self.covered} of {len(self.cells)} cells\n"
                f"{self.comment}")


def _comment(mae: float, covered: int, n: int, width: float) -> str:
    """A short verdict on the asked cells.

    Examples
    --------
    >>> _comment(1.2, 2, 2, 10.0)[:60]
    'very close to the truth (error 1.2 points); every interval ('
    >>> _comment(14.0, 2, 2, 45.0)[:60]
    'far from the truth (error 14.0 points), but every interval ('
    """
    if not math.isfinite(mae):
        return "no estimate for the asked cells"
    if mae <= 2:
        quality = "very close to the truth"
    elif mae <= 5:
        quality = "close to the truth"
    elif mae <= 10:
        quality = "roughly right"
    else:
        quality = "far from the truth"
    quality += f" (error {mae:.1f} points)"
    if not math.isfinite(width):
        return f"{quality}; no interval given."
    wide = f"(mean width {width:.1f} points)"
    if covered == n:
        if mae > 10:
            return (f"{quality}, but every interval {wide} contains it: these data leave the "
                    "cells uncertain, and the intervals say so.")
        return f"{quality}; every interval {wide} contains it."
    if covered == 0:
        return (f"{quality}; no interval {wide} contains the truth: too confident; is the "
                "method's assumption plausible here?")
    return f"{quality}; {covered} of {n} intervals {wide} contain the truth."


def _student_id(key: pd.DataFrame, student: str | int, key_path: Any) -> str:
    ids = sorted(key["student"].unique(), key=int)
    try:
        number = int(str(student))
    except ValueError:
        number = -1
    match = [s for s in ids if int(s) == number]
    if not match:
        raise ClassroomError(f"--student {student}: not in the key {key_path} (students "
                             f"{ids[0]}–{ids[-1]})")
    return match[0]


def grade(key: str | Path | pd.DataFrame, result: str | Path | dict[str, Any],
          student: str | int | None = None) -> StudentGrade | pd.DataFrame:
    """Grade one student's result, or a folder of results (then: the class table).

    Parameters
    ----------
    key
        ``key.csv`` written by :func:`make_classroom` (path or DataFrame).
    result
        A result file (see :func:`read_result`), the dict of
        ``TransferResults.to_json(as_str=False)``, or a folder of result files named
        ``…student-NN…`` (then see :func:`grade_class`).
    student
        Student number (``"01"`` or ``1``); default: read from the result's file name.

    Returns
    -------
    StudentGrade, or pandas.DataFrame for a folder.

    Raises
    ------
    ValueError
        Naming the option or file: student not in the key, a result for another exercise
        (other origins/destinations, not SIMULATED, another number of units) or without the
        asked cells.
    """
    key_path = key if not isinstance(key, pd.DataFrame) else "(key)"
    key = read_key(key) if not isinstance(key, pd.DataFrame) else key
    if not isinstance(result, dict) and Path(result).is_dir():
        if student is not None:
            raise ClassroomError(f"--student {student}: give one result file, not the folder "
                                 f"{result}")
        return grade_class(key, result)
    label = "result" if isinstance(result, dict) else f"result {result}"
    if not isinstance(result, dict) and not Path(result).exists():
        raise ClassroomError(f"{label}: no such file or folder")
    if student is None:
        found = _STUDENT_RE.search(Path(str(result)).name) if not isinstance(result, dict) \
            else None
        if not found:
            raise ClassroomError(f"{label}: give --student (no student number in the file "
                                 "name)")
        student = found.group(1)
    sid = _student_id(key, student, key_path)
    if isinstance(result, dict):
        res = result if "cells" in result else _from_json(result, label)
    else:
        res = read_result(result)
    mine = key[key["student"] == sid]
    exercise = mine["exercise"].iloc[0]
    want_o = list(dict.fromkeys(mine["origin"]))
    want_d = list(dict.fromkeys(mine["destination"]))
    if set(res["origin"]) != set(want_o) or set(res["destination"]) != set(want_d):
        raise ClassroomError(
            f"{label}: a result for another exercise (origins {','.join(res['origin'])}; "
            f"exercise {exercise} has {','.join(want_o)} -> {','.join(want_d)})")
    if res.get("simulated") is False:
        raise ClassroomError(f"{label}: a result on data not marked SIMULATED, not from "
                             f"the exercise {exercise}")
    n_units = int(mine["n_units"].iloc[0])
    if res.get("n_units") is not None and int(res["n_units"]) != n_units:
        raise ClassroomError(f"{label}: {res['n_units']} units, but student {sid}'s table of "
                             f"exercise {exercise} has {n_units}")
    asked = mine[mine["asked"]]
    cells = asked.merge(res["cells"], on=["origin", "destination"], how="left")
    if cells["estimate"].isna().any():
        miss = cells.loc[cells["estimate"].isna()].iloc[0]
        raise ClassroomError(f"{label}: no estimate for the asked cell {miss.origin} -> "
                             f"{miss.destination}")
    out = pd.DataFrame({
        "origin": cells["origin"], "destination": cells["destination"],
        "true_pct": 100 * cells["true_share"], "estimate_pct": 100 * cells["estimate"],
    })
    out["error_pp"] = out["estimate_pct"] - out["true_pct"]
    out["lower_pct"] = 100 * cells["lower"]
    out["upper_pct"] = 100 * cells["upper"]
    out["width_pp"] = out["upper_pct"] - out["lower_pct"]
    width = float(out["width_pp"].mean()) if out["width_pp"].notna().all() else float("nan")
    tol = 1e-9
    out["inside"] = ((cells["lower"] - tol <= cells["true_share"])
                     & (cells["true_share"] <= cells["upper"] + tol)).astype(bool)
    mae = float(out["error_pp"].abs().mean())
    covered = int(out["inside"].sum())
    return StudentGrade(sid, out.reset_index(drop=True), mae, covered,
                        _comment(mae, covered, len(out), width), res.get("method"))


def grade_class(key: str | Path | pd.DataFrame, folder: str | Path) -> pd.DataFrame:
    """Grade every result file of a folder: one row per student of the key.

    Files are matched to students by ``student-NN`` in their name (``.json`` or ``.csv``;
    the students' own data files ``student-NN.csv`` are skipped). Students without a result
    get a row saying so; a result that cannot be graded (not an estimate result, another
    exercise, two results for one student) gets a row whose comment says why, and the rest
    of the class is still graded.

    Returns
    -------
    pandas.DataFrame
        ``SIMULATED, student, dispersion, result, method, mae_pp, max_error_pp,
        mean_width_pp, covered, asked, comment``.
    """
    key_path = key if not isinstance(key, pd.DataFrame) else "(key)"
    key = read_key(key) if not isinstance(key, pd.DataFrame) else key
    folder = Path(folder)
    if not folder.is_dir():
        raise ClassroomError(f"results folder {folder}: not a directory")
    found: dict[str, Path] = {}
    problems: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".json", ".csv") or re.fullmatch(
                r"student-\d+\.csv", path.name) or path.name == "key.csv":
            continue
        m = _STUDENT_RE.search(path.name)
        if not m:
            continue
        try:
            sid = _student_id(key, m.group(1), key_path)
        except ClassroomError:
            ids = sorted(key["student"].unique(), key=int)
            raise ClassroomError(f"result {path}: student {m.group(1)} is not in the key "
                                 f"{key_path} (students {ids[0]}–{ids[-1]})") from None
        if sid in found:
            problems[sid] = (f"not graded: two results ({found[sid].name}, {path.name}); "
                             "keep one")
        found[sid] = path
    if not found:
        raise ClassroomError(f"results folder {folder}: no result file named like "
                             "student-NN-result.json")
    rows = []
    for sid in sorted(key["student"].unique(), key=int):
        disp = float(key.loc[key.student == sid, "dispersion"].iloc[0])
        n_asked = int(key.loc[key.student == sid, "asked"].sum())
        if sid not in found:
            rows.append({"SIMULATED": True, "student": sid, "dispersion": disp, "result": "",
                         "method": "", "mae_pp": np.nan, "max_error_pp": np.nan,
                         "mean_width_pp": np.nan, "covered": np.nan, "asked": n_asked,
                         "comment": "no result"})
            continue
        blank = {"SIMULATED": True, "student": sid, "dispersion": disp,
                 "result": found[sid].name, "method": "", "mae_pp": np.nan,
                 "max_error_pp": np.nan, "mean_width_pp": np.nan, "covered": np.nan,
                 "asked": n_asked}
        if sid in problems:
            rows.append({**blank, "comment": problems[sid]})
            continue
        try:
            g = grade(key, found[sid], sid)
        except ClassroomError as err:
            rows.append({**blank, "comment": f"not graded: {err}"})
            continue
        rows.append({"SIMULATED": True, "student": sid, "dispersion": disp,
                     "result": found[sid].name, "method": g.method or "",
                     "mae_pp": round(g.mae_pp, 2),
                     "max_error_pp": round(float(g.cells["error_pp"].abs().max()), 2),
                     "mean_width_pp": round(float(g.cells["width_pp"].mean()), 2),
                     "covered": g.covered, "asked": n_asked, "comment": g.comment})
    return pd.DataFrame(rows)
