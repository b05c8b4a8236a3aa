"""The one number parser of congresslab: French and English spellings, one rule everywhere.

Every entry point (``congresslab estimate``, :func:`congresslab.estimate` given a table of
text, :func:`~congresslab.data.fedtables.load_federation_table`, the raw-data cleaner) reads
numbers here, so that the same cell means the same number everywhere.

Spellings accepted (a sign and a trailing ``%`` are allowed):

* ``12689``; thousands grouped by spaces (also U+00A0, U+202F, U+2009) or apostrophes,
  groups of three: ``12 689``, ``1 234,5``;
* one separator that cannot be a thousands separator is a decimal point:
  ``42,21``, ``119.5``, ``0,500``, ``1234.567``;
* repeated separators, or two different ones, settle both: ``1.234.567`` and
  ``1.234,5`` (French), ``1,234,567`` and ``1,234.5`` (English);
* ``1E+18``.

**Ambiguous cells.** A single ``.`` or ``,`` after one to three digits (not a lone ``0``)
and before exactly three digits, such as ``1.100`` or ``1,000``, reads either way. The
column decides: the separator is a decimal point when another cell of the column uses it
so (``2.5``) or uses the other separator as thousands separator (``1,234,567``); it is a
thousands separator when another cell uses it so (``1.234.567``), uses the other separator
as decimal point (``2,5``), or when every non-empty cell of the column is ambiguous in the
same way. In a count column (counts are whole) a cell whose decimal reading is not whole
(``1.100`` → 1.1) can only be a thousands count, and settles the column. In a percentage
column (``kind="share"``) a single separator is always a decimal point. Anything else is
refused, with both readings. Counts must be whole, non-negative and at most
:data:`MAX_COUNT`.

Examples
--------
>>> parse_column(["1.100", "2.300", "850.000"], kind="count")
[1100, 2300, 850000]
>>> parse_column(["1.100", "2.5"])
[1.1, 2.5]
>>> parse_column(["1.100", "850"], kind="count")  # 1.1 is no count
[1100, 850]
>>> parse_column(["1,000", "850"], kind="count")
Traceback (most recent call last):
...
congresslab.errors.NumberError: '1,000' is ambiguous: 1000 (',' as thousands separator) or 1 (',' as decimal point), and the other cells of the column do not settle it; write 1000 or 1,0
>>> parse_cell("12\u202f689"), parse_cell("42,21 %"), parse_cell("")
(12689, 42.21, None)
"""  # noqa: E501

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from congresslab.errors import NumberError

__all__ = [
    "MAX_COUNT",
    "KINDS",
    "NumberError",
    "parse_cell",
    "parse_column",
    "check_counts",
    "count_problem",
]

#: Largest count accepted in one cell (a vote or member count of one unit).
MAX_COUNT: int = 10**9
#: What a column holds: counts (whole), shares (percentages) or any number.
KINDS: tuple[str, ...] = ("count", "share", "number")

_EMPTY = {"", "-", "–", "—"}
_SPACE = "[ \u00a0\u202f\u2009'’]"
_PLAIN = re.compile(r"\d+")
_SPACED = re.compile(rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:(?P<dec>[.,])(?P<frac>\d+))?")
_SINGLE = re.compile(r"(?P<lead>\d*)(?P<sep>[.,])(?P<frac>\d*)")
_GROUPED = re.compile(
    r"(?P<lead>\d{1,3})(?P<groups>(?P<s>[.,])\d{3}(?:(?P=s)\d{3})*)(?:(?P<dec>[.,])(?P<frac>\d+))?"
)
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")
_OTHER = {".": ",", ",": "."}


@dataclass
class _Cell:
    """One cell as text: its value when unambiguous, or its two readings."""

    value: int | float | None = None
    ambiguous: str | None = None  # the separator whose role is unknown
    readings: tuple[int, float] = (0, 0.0)  # (thousands, decimal) when ambiguous
    percent: bool = False
    evidence: dict[str, str] = field(default_factory=dict)  # separator -> "decimal"/"thousands"


def _number(sign: int, digits: str, frac: str = "") -> int | float:
    if frac.strip("0") == "":
        return sign * int(digits or "0")
    return sign * float(f"{digits or '0'}.{frac}")


def _scan(value: object) -> _Cell:
    """Classify one cell; raise :class:`NumberError` when it is not a number."""
    if value is None or value is np.ma.masked:
        return _Cell()
    if isinstance(value, bool | np.bool_):
        raise NumberError(f"{value!r} is not a number")
    if isinstance(value, int | np.integer):
        return _Cell(int(value))
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return _Cell()
        v = float(value)
        return _Cell(int(v) if v.is_integer() and abs(v) < 2**63 else v)
    if not isinstance(value, str):
        if str(value) in ("<NA>", "NaT"):
            return _Cell()
        raise NumberError(f"{value!r} is not a number")
    text = value.strip()
    if text in _EMPTY or text.lower() in ("nan", "n/a"):
        return _Cell()
    cell = _Cell()
    if text.endswith("%"):
        cell.percent = True
        text = text[:-1].rstrip()
    sign = 1
    if text[:1] in ("-", "+", "−"):
        sign = -1 if text[0] != "+" else 1
        text = text[1:].lstrip()
    if _PLAIN.fullmatch(text):
        cell.value = sign * int(text)
    elif m := _SPACED.fullmatch(text):
        digits = re.sub(_SPACE, "", text.split(m["dec"])[0] if m["dec"] else text)
        if m["dec"]:
            cell.evidence[m["dec"]] = "decimal"
        cell.value = _number(sign, digits, m["frac"] or "")
    elif (m := _SINGLE.fullmatch(text)) and (m["lead"] or m["frac"]):
        lead, sep, frac = m["lead"], m["sep"], m["frac"]
        if re.fullmatch(r"[1-9]\d{0,2}", lead) and len(frac) == 3:
            cell.ambiguous = sep
            cell.readings = (sign * int(lead + frac), sign * float(f"{lead}.{frac}"))
        else:
            cell.evidence[sep] = "decimal"
            cell.value = _number(sign, lead, frac)
    elif m := _GROUPED.fullmatch(text):
        sep = m["s"]
        if m["dec"] == sep:
            raise NumberError(f"{value!r} is not a number (separators mixed up)")
        cell.evidence[sep] = "thousands"
        if m["dec"]:
            cell.evidence[m["dec"]] = "decimal"
        cell.value = _number(sign, m["lead"] + m["groups"].replace(sep, ""), m["frac"] or "")
    elif _SCIENTIFIC.fullmatch(text):
        v = sign * float(text)
        cell.value = int(v) if v.is_integer() and abs(v) < 2**63 else v
    else:
        raise NumberError(f"{value!r} is not a number")
    return cell


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _role(cells: Sequence[_Cell], sep: str, kind: str) -> tuple[str | None, str]:
    """What ``sep`` is in a column: ``"thousands"``, ``"decimal"`` or ``None``, and why."""
    if kind == "share":
        return "decimal", "a percentage has no thousands"
    roles: dict[str, str] = {}
    for i, c in enumerate(cells):
        if c.evidence.get(sep):
            roles.setdefault(c.evidence[sep], f"cell {i}")
        other = c.evidence.get(_OTHER[sep])
        if other:
            opposite = "thousands" if other == "decimal" else "decimal"
            roles.setdefault(opposite, f"cell {i}")
    if len(roles) == 1:
        return next(iter(roles.items()))
    if len(roles) == 2:
        return None, "conflict"
    filled = [c for c in cells if c.value is not None or c.ambiguous]
    if filled and all(c.ambiguous == sep for c in filled):
        return "thousands", "every cell"
    if kind == "count":
        for i, c in enumerate(cells):
            if c.ambiguous == sep and not float(c.readings[1]).is_integer():
                return "thousands", f"cell {i}"
    return None, "unsettled"


def _resolve(cells: list[_Cell], kind: str, texts: Sequence[Any]) -> list[int | float | None]:
    out: list[int | float | None] = []
    roles = {sep: _role(cells, sep, kind) for sep in ".," if any(c.ambiguous == sep for c in cells)}
    for i, c in enumerate(cells):
        if c.ambiguous is None:
            out.append(c.value)
            continue
        role, why = roles[c.ambiguous]
        if role == "thousands":
            out.append(c.readings[0])
        elif role == "decimal":
            out.append(c.readings[1])
        else:
            sep = c.ambiguous
            t, d = c.readings
            lead, frac = str(texts[i]).strip().rstrip("%").strip().split(sep)
            plain = f"{lead}{sep}{frac.rstrip('0') or '0'}"
            reason = (
                f"the column uses '{sep}' both ways" if why == "conflict"
                else "the other cells of the column do not settle it"
            )
            raise NumberError(
                f"{texts[i]!r} is ambiguous: {t} ('{sep}' as thousands separator) or "
                f"{_fmt(d)} ('{sep}' as decimal point), and {reason}; write {abs(t)} or "
                f"{plain.lstrip('+-−')}",
                index=i, readings=(t, d),
            )  # fmt: skip
    return out


def _whole(arr: np.ndarray) -> np.ndarray:
    """Whole up to floating-point noise (``T = X @ P`` computed in floating point)."""
    return np.abs(arr - np.round(arr)) <= 1e-9 * np.maximum(1.0, np.abs(arr))


def count_problem(x: float, *, whole: bool = True) -> str | None:
    """Why ``x`` is not a valid count (``None`` when it is one): the one count rule.

    ``whole=False`` accepts fractional counts (expected counts such as ``X @ P``).

    Examples
    --------
    >>> count_problem(12), count_problem(119.5), count_problem(-1)
    (None, 'count that is not a whole number', 'negative count')
    >>> count_problem(10**18)
    'count above 1,000,000,000 (the largest accepted in one cell)'
    """
    if isinstance(x, float) and not math.isfinite(x):
        return "missing (NaN) count" if math.isnan(x) else "infinite count"
    if x < 0:
        return "negative count"
    if x > MAX_COUNT:
        return f"count above {MAX_COUNT:,} (the largest accepted in one cell)"
    if whole and not _whole(np.float64(x)):
        return "count that is not a whole number"
    return None


def check_counts(values: Any, *, whole: bool = True) -> tuple[int, str] | None:
    """First invalid count of a numeric array and why (``None`` when all are valid).

    The position is in the flattened array.

    Vectorised form of :func:`count_problem` for numeric columns (thousands of units).

    Examples
    --------
    >>> check_counts(np.array([3.0, 4.0])) is None
    True
    >>> check_counts(np.array([3.0, 119.5, -1.0]))
    (1, 'count that is not a whole number')
    """
    arr = np.asarray(values, dtype=float).ravel()
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(arr) | (arr < 0) | (arr > MAX_COUNT)
        if whole:
            bad |= ~_whole(arr)
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[0])
    return i, count_problem(float(arr[i]), whole=whole) or "not a count"


def _plain_ints(values: Sequence[Any]) -> list[int] | None:
    """The cells as ints when every one is text made of digits only, else ``None``."""
    try:
        texts = [v.strip() for v in values]
    except AttributeError:  # not all text
        return None
    if not texts or not all(map(str.isdecimal, texts)) or not all(t.isascii() for t in texts):
        return None
    return [int(t) for t in texts]


def parse_column(
    values: Sequence[Any], kind: str = "number", *, whole: bool = True
) -> list[int | float | None]:
    """Parse the cells of one column (``None`` for empty cells).

    Parameters
    ----------
    values : sequence
        Cells: text, numbers or ``None``.
    kind : {"count", "share", "number"}
        ``"count"``: whole, non-negative, at most :data:`MAX_COUNT`, no ``%``; ``"share"``:
        a single separator is a decimal point; ``"number"``: any number.
    whole : bool
        With ``kind="count"``: refuse fractional counts (the default; ``False`` accepts
        expected counts such as ``X @ P``).

    Returns
    -------
    list
        ``int`` for whole numbers, ``float`` otherwise, ``None`` for empty cells.

    Raises
    ------
    NumberError
        With ``index`` (position of the cell) and, for an ambiguous cell, its two
        ``readings``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    plain = _plain_ints(values)
    if plain is not None:  # the common case, fast: every cell is digits only
        too_big = [i for i, x in enumerate(plain) if x > MAX_COUNT]
        if kind == "count" and too_big:
            raise NumberError(f"{count_problem(plain[too_big[0]])}: {values[too_big[0]]!r}",
                              index=too_big[0])  # fmt: skip
        return list(plain)
    cells = []
    for i, v in enumerate(values):
        try:
            cells.append(_scan(v))
        except NumberError as err:
            raise NumberError(str(err), index=i) from None
    out = _resolve(cells, kind, values)
    if kind == "count":
        for i, (c, x) in enumerate(zip(cells, out, strict=True)):
            if x is None:
                continue
            if c.percent:
                raise NumberError(f"percentage {values[i]!r} in a count column", index=i)
            problem = count_problem(x, whole=whole)
            if problem:
                shown = repr(values[i]) if isinstance(values[i], str) else _fmt(x)
                raise NumberError(f"{problem}: {shown}", index=i)
    return out


def parse_cell(value: object, kind: str = "number") -> int | float | None:
    """Parse one cell on its own (a column of one cell); see :func:`parse_column`.

    Examples
    --------
    >>> parse_cell("37.991", "count"), parse_cell("1,234", "share"), parse_cell("-535")
    (37991, 1.234, -535)
    """
    return parse_column([value], kind)[0]
