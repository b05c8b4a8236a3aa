"""Unit tables for ecological inference: validated origin and destination counts per unit.

A *unit table* holds, for every unit (federation, polling place, county...), the counts of the
``R`` origin options (first round, rows of the transfer matrix) and of the ``C`` destination
options (second round, columns). Every estimator in :mod:`congresslab.transfers` takes a
:class:`UnitTable`; build it with :meth:`UnitTable.from_frame` or :meth:`UnitTable.from_arrays`.

Margins policy
--------------
Ecological inference assumes that in each unit the origin total equals the destination total.
When it does not (abstention, new members, leavers), ``margins=`` decides what to do:

``"error"``
    raise :class:`MarginsError` naming the units whose totals differ.
``"rescale"``
    scale the destination counts of each unit so that they sum to its origin total.
``"entry_exit"``
    add an ``_entry`` origin (new voters, where destinations exceed origins) and an ``_exit``
    destination (leavers, where origins exceed destinations) absorbing each unit's difference.
    They are only added when needed.
``"auto"`` (default)
    identical totals: nothing to do, silently. Otherwise, if the largest relative drift
    ``|sum(T_u) - sum(X_u)| / sum(X_u)`` is at most ``auto_tolerance`` (10 %), rescale and emit
    a :class:`UserWarning` giving the largest drift (and its unit) and the total drift; above
    that, raise :class:`MarginsError` advising ``margins="entry_exit"``.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"fed": ["a", "b"], "x1": [10, 30], "x2": [20, 10],
...                    "y1": [15, 25], "y2": [15, 15]})
>>> tab = UnitTable.from_frame(df, unit="fed", origin=["x1", "x2"], destination=["y1", "y2"])
>>> tab.n_units, tab.origin, tab.destination
(2, ['x1', 'x2'], ['y1', 'y2'])
>>> tab.totals.tolist()
[30.0, 40.0]
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from congresslab.data._parse import check_counts, parse_column
from congresslab.errors import MarginsError, NumberError, UnitTableError
from congresslab.transfers.options import MARGINS_POLICIES

__all__ = [
    "MARGINS_POLICIES",
    "UnitTableError",
    "MarginsError",
    "UnitTable",
    "as_unit_table",
    "structural_zeros",
]

ENTRY = "_entry"
EXIT = "_exit"


def structural_zeros(origin: Sequence[str], destination: Sequence[str]) -> np.ndarray:
    """Cells that cannot hold voters: ``_entry -> _exit`` (shape ``(R, C)``, bool).

    Under ``margins="entry_exit"`` each unit has new voters (``_entry``) or leavers
    (``_exit``), never both, so no voter goes from ``_entry`` to ``_exit``.

    Examples
    --------
    >>> structural_zeros(["a", "_entry"], ["x", "_exit"]).tolist()
    [[False, False], [False, True]]
    """
    z = np.zeros((len(origin), len(destination)), dtype=bool)
    if ENTRY in origin and EXIT in destination:
        z[list(origin).index(ENTRY), list(destination).index(EXIT)] = True
    return z


def _py(x: Any) -> Any:
    """numpy scalar -> Python scalar (for readable messages)."""
    return x.item() if isinstance(x, np.generic) else x


def _fmt_units(units: Sequence[Any], k: int = 5) -> str:
    shown = ", ".join(repr(_py(u)) for u in list(units)[:k])
    more = len(units) - k
    return shown + (f" and {more} more" if more > 0 else "")


def _check_block(values: pd.DataFrame, units: pd.Index, what: str, whole: bool) -> np.ndarray:
    """Validate a block of count columns and return it as a float array.

    Numeric columns are checked at once (:func:`~congresslab.data._parse.check_counts`);
    columns of text are parsed with the package's number parser
    (:func:`~congresslab.data._parse.parse_column`), so that ``"1 100"`` or ``"1.100"``
    mean here what they mean in every other reader.
    """
    out = np.empty(values.shape, dtype=float)
    for j, col in enumerate(values.columns):
        s = values[col]
        where = f"{what} column {col!r}"
        if pd.api.types.is_bool_dtype(s):
            raise UnitTableError(f"{where} holds True/False values, not counts")
        if pd.api.types.is_numeric_dtype(s):
            arr = s.to_numpy(dtype=float, na_value=np.nan)
            shown = None
        else:
            try:
                parsed = parse_column(list(s), "count", whole=whole)
            except NumberError as err:
                i = err.index or 0
                raise UnitTableError(f"{where}, unit {_py(units[i])!r}: {err}", rows=[i]) from None
            arr = np.array([np.nan if v is None else float(v) for v in parsed])
            shown = s
        bad = check_counts(arr, whole=whole)
        if bad is not None:
            i, problem = bad
            value = f": {s.iloc[i]!r}" if shown is not None else (
                "" if np.isnan(arr[i]) else f": {_py(s.iloc[i])!r}")
            raise UnitTableError(f"{where}, unit {_py(units[i])!r}: {problem}{value}", rows=[i])
        out[:, j] = arr
    return out


def _unit_ids(column: pd.Series, name: str) -> pd.Index:
    """Unit ids: text stripped of surrounding spaces, none empty (``NA`` is an id)."""
    ids = []
    for i, v in enumerate(column):
        if isinstance(v, str):
            v = v.strip()
        if v is None or v == "" or (not isinstance(v, str) and pd.isna(v)):
            hint = "" if isinstance(v, str) or v is None else (
                " (a unit named NA? pandas reads it as missing unless "
                "keep_default_na=False)")
            raise UnitTableError(f"unit column {name!r} has an empty unit id{hint}", rows=[i])
        ids.append(v)
    return pd.Index(ids, dtype=object if any(isinstance(v, str) for v in ids) else None)


_TOTAL_NAMES = {"total", "totaux", "total national", "ensemble", "national", "france"}


def _refuse_total_row(units: pd.Index, X: np.ndarray, T: np.ndarray) -> None:
    """Refuse a row that is the total of the others: it would count every vote twice.

    A row is a total when it is named like one (``Total``, ``TOTAL NATIONAL``, ``Ensemble``)
    or when, with at least three units, its counts equal the sums of all the other rows.

    Examples
    --------
    >>> X = np.array([[1, 2], [3, 4], [4, 6]]); units = pd.Index(["a", "b", "c"])
    >>> _refuse_total_row(units, X, X)
    Traceback (most recent call last):
    ...
    congresslab.errors.UnitTableError: unit 'c' holds the sums of the other units: a total row, which would count every vote twice; remove it
    """  # noqa: E501
    for i, u in enumerate(units):
        if isinstance(u, str) and u.strip().casefold() in _TOTAL_NAMES:
            raise UnitTableError(f"unit {u!r} is named like a total row, which would count "
                                 "every vote twice; remove it", rows=[i])
    if len(units) >= 3:
        rest_x, rest_t = X.sum(0) - X, T.sum(0) - T
        hit = np.flatnonzero((X == rest_x).all(1) & (T == rest_t).all(1) & (X.sum(1) > 0))
        if hit.size:
            i = int(hit[0])
            raise UnitTableError(f"unit {_py(units[i])!r} holds the sums of the other units: a "
                                 "total row, which would count every vote twice; remove it",
                                 rows=[i])


@dataclass(frozen=True)
class UnitTable:
    """Validated origin (``X``, units × R) and destination (``T``, units × C) counts.

    Build with :meth:`from_frame` or :meth:`from_arrays`; after construction the origin and
    destination totals of every unit are equal (the margins policy has been applied).

    Attributes
    ----------
    X : numpy.ndarray
        Origin counts, shape ``(U, R)``.
    T : numpy.ndarray
        Destination counts, shape ``(U, C)``; ``T.sum(1) == X.sum(1)``.
    units : pandas.Index
        Unit identifiers.
    origin, destination : list of str
        Names of the origin (row) and destination (column) options.
    margins : str
        Policy that was requested.
    margins_applied : str
        What was done: ``"none"`` (totals identical), ``"rescale"`` or ``"entry_exit"``.
    drift : dict
        ``max_pct`` (largest relative per-unit drift, %), ``worst_unit``, ``total_pct``
        (relative drift of the grand totals, %), ``n_units_differing``.
    simulated : bool
        The counts are SIMULATED (the frame had a ``SIMULATED`` column, as written by
        ``congresslab simulate``, or ``simulated=True`` was passed); results fitted on
        this table say SIMULATED in their summary, JSON and plot titles.
    """

    X: np.ndarray
    T: np.ndarray
    units: pd.Index
    origin: list[str]
    destination: list[str]
    margins: str = "auto"
    margins_applied: str = "none"
    drift: dict[str, Any] = field(default_factory=dict)
    simulated: bool = False

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        unit: str | None = None,
        origin: Sequence[str] | None = None,
        destination: Sequence[str] | None = None,
        margins: str = "auto",
        *,
        auto_tolerance: float = 0.10,
        simulated: bool | None = None,
        whole: bool = True,
    ) -> UnitTable:
        """Build a unit table from a DataFrame, one row per unit.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit.
        unit : str, optional
            Column holding unit identifiers (must be unique). Default: the index.
        origin, destination : sequence of str, optional
            Count columns of the origin (rows) and destination (columns) options. Default:
            the columns prefixed ``r:`` and ``c:`` (benchmark format), prefixes stripped.
        margins : {"auto", "error", "rescale", "entry_exit"}
            Margins policy (see the module documentation).
        auto_tolerance : float
            Largest relative per-unit drift that ``"auto"`` fixes by rescaling.
        simulated : bool, optional
            Mark the counts as SIMULATED. Default: True when ``df`` has a ``SIMULATED``
            column that is true in every row (the files of ``congresslab simulate``).
        whole : bool
            Counts must be whole numbers (default). ``False`` accepts fractional counts,
            such as the expected counts ``X @ P`` of a known matrix (``bayes`` still
            refuses them: its multinomial model counts voters).

        Returns
        -------
        UnitTable

        Raises
        ------
        UnitTableError
            Unknown column, column both origin and destination, fewer than two options,
            non-numeric, ambiguous (``1.100``), NaN, infinite, negative, fractional or
            too large (above :data:`~congresslab.data._parse.MAX_COUNT`) count, unit with
            zero total, empty unit id, duplicate unit ids (compared without surrounding
            spaces: ``'F3'`` and ``'F3 '`` are the same unit).
        MarginsError
            Totals differ and the policy forbids fixing them.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"unit": ["u1", "u2"], "r:a": [5, 5], "r:b": [5, 0],
        ...                    "c:x": [6, 4], "c:y": [4, 1]})
        >>> UnitTable.from_frame(df, unit="unit").origin
        ['a', 'b']
        >>> df2 = df.assign(**{"c:y": [4, -1]})
        >>> try:
        ...     UnitTable.from_frame(df2, unit="unit")
        ... except UnitTableError as exc:
        ...     print(exc)
        destination column 'c:y', unit 'u2': negative count: -1
        """
        if not isinstance(df, pd.DataFrame):
            raise UnitTableError(f"expected a pandas DataFrame, got {type(df).__name__}")
        cols = [str(c) for c in df.columns]
        df = df.copy()
        df.columns = cols
        if origin is None and destination is None:
            origin = [c for c in cols if c.startswith("r:")]
            destination = [c for c in cols if c.startswith("c:")]
            if not origin or not destination:
                raise UnitTableError(
                    "give origin= and destination= column names "
                    "(no 'r:'/'c:' prefixed columns found)"
                )
        elif origin is None or destination is None:
            raise UnitTableError("give both origin= and destination= column names")
        origin = [str(c) for c in ([origin] if isinstance(origin, str) else origin)]
        destination = [
            str(c) for c in ([destination] if isinstance(destination, str) else destination)
        ]
        for what, names in (("origin", origin), ("destination", destination)):
            unknown = [c for c in names if c not in cols]
            if unknown:
                raise UnitTableError(
                    f"unknown {what} column(s) {unknown!r}; available columns: {cols!r}"
                )
            dup = sorted({c for c in names if names.count(c) > 1})
            if dup:
                raise UnitTableError(f"{what} column(s) {dup!r} listed more than once")
            if len(names) < 2:
                raise UnitTableError(
                    f"need at least 2 {what} columns, got {len(names)}: {names!r}"
                )
        both = [c for c in origin if c in destination]
        if both:
            raise UnitTableError(f"column(s) {both!r} listed as both origin and destination")
        if unit is not None:
            if unit not in cols:
                raise UnitTableError(f"unknown unit column {unit!r}; available columns: {cols!r}")
            if unit in origin or unit in destination:
                raise UnitTableError(f"unit column {unit!r} is also listed as a count column")
            units = _unit_ids(df[unit], unit)
        else:
            units = pd.Index(df.index)
        X = _check_block(df[origin], units, "origin", whole)
        T = _check_block(df[destination], units, "destination", whole)
        _refuse_total_row(units, X, T)

        def strip(names: list[str], prefix: str) -> list[str]:
            if all(c.startswith(prefix) for c in names):
                return [c[len(prefix) :] for c in names]
            return names

        if simulated is None:
            flag = df["SIMULATED"] if "SIMULATED" in cols else None
            simulated = flag is not None and bool(flag.astype(str).str.lower().eq("true").all())
        return cls._build(
            X,
            T,
            units,
            strip(origin, "r:"),
            strip(destination, "c:"),
            margins,
            auto_tolerance,
            bool(simulated),
        )

    @classmethod
    def from_arrays(
        cls,
        X: Any,
        T: Any,
        units: Sequence[Any] | None = None,
        origin: Sequence[str] | None = None,
        destination: Sequence[str] | None = None,
        margins: str = "auto",
        *,
        auto_tolerance: float = 0.10,
        simulated: bool = False,
        whole: bool = True,
    ) -> UnitTable:
        """Build a unit table from two arrays of counts, ``X`` (U × R) and ``T`` (U × C).

        Same checks as :meth:`from_frame`; ``simulated=True`` marks the counts as SIMULATED,
        ``whole=False`` accepts fractional (expected) counts.

        Examples
        --------
        >>> tab = UnitTable.from_arrays([[5, 5], [8, 2]], [[6, 4], [7, 3]])
        >>> tab.origin, tab.destination, list(tab.units)
        (['o0', 'o1'], ['d0', 'd1'], [0, 1])
        """
        X = np.asarray(X)
        T = np.asarray(T)
        if X.ndim != 2 or T.ndim != 2:
            raise UnitTableError("X and T must be 2-D arrays (units × options)")
        if X.shape[0] != T.shape[0]:
            raise UnitTableError(f"X has {X.shape[0]} units but T has {T.shape[0]}")
        origin = list(origin) if origin is not None else [f"o{i}" for i in range(X.shape[1])]
        destination = (
            list(destination) if destination is not None else [f"d{j}" for j in range(T.shape[1])]
        )
        if len(origin) != X.shape[1] or len(destination) != T.shape[1]:
            raise UnitTableError("origin/destination names do not match the array widths")
        units = list(units) if units is not None else list(range(X.shape[0]))
        df = pd.DataFrame(X, columns=origin)
        for j, d in enumerate(destination):
            if d in df.columns:
                raise UnitTableError(f"column(s) [{d!r}] listed as both origin and destination")
            df[d] = T[:, j]
        df.insert(0, "__unit__", units)
        try:
            return cls.from_frame(df, "__unit__", origin, destination, margins,
                                  auto_tolerance=auto_tolerance, simulated=simulated,
                                  whole=whole)  # fmt: skip
        except UnitTableError as err:
            if whole and "not a whole number" in str(err):
                raise UnitTableError(
                    f"{err} (for expected counts such as X @ P, pass whole=False)", rows=err.rows
                ) from None
            raise

    @classmethod
    def _build(
        cls,
        X: np.ndarray,
        T: np.ndarray,
        units: pd.Index,
        origin: list[str],
        destination: list[str],
        margins: str,
        auto_tolerance: float,
        simulated: bool = False,
    ) -> UnitTable:
        if margins not in MARGINS_POLICIES:
            raise UnitTableError(
                f"unknown margins policy {margins!r}; choose one of {MARGINS_POLICIES}"
            )
        if len(units) == 0:
            raise UnitTableError("the table has no units")
        if units.has_duplicates:
            dup = units[units.duplicated()].unique().tolist()
            raise UnitTableError(
                f"duplicate unit id(s): {_fmt_units(dup)} (ids are compared without "
                "surrounding spaces)",
                rows=np.flatnonzero(units.duplicated()),
            )
        nx, nt = X.sum(1), T.sum(1)
        zero = np.flatnonzero((nx == 0) & (nt == 0))
        if zero.size:
            raise UnitTableError(
                f"unit(s) with zero total: {_fmt_units(units[zero].tolist())}", rows=zero
            )
        zero_x = np.flatnonzero(nx == 0)
        if zero_x.size and margins != "entry_exit":
            raise UnitTableError(
                f"unit(s) with zero origin total: {_fmt_units(units[zero_x].tolist())}",
                rows=zero_x,
            )
        for j, name in enumerate(origin):
            if X[:, j].sum() == 0:
                raise UnitTableError(f"origin column {name!r} is zero in every unit")

        diff = nt - nx
        # floating-point noise (e.g. T = X @ P) is not a margin difference: fix it silently
        noise = np.abs(diff) <= 1e-9 * np.maximum(nx, nt)
        if noise.any() and (diff[noise] != 0).any():
            fix = noise & (nt > 0)
            T = T.copy()
            T[fix] *= (nx[fix] / nt[fix])[:, None]
        diff = np.where(noise, 0.0, diff)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.abs(diff) / np.where(nx > 0, nx, np.nan)
        rel = np.nan_to_num(rel, nan=np.inf)
        differing = np.flatnonzero(diff != 0)
        worst = int(np.argmax(rel))
        drift = {
            "max_pct": float(100 * rel[worst]) if differing.size else 0.0,
            "worst_unit": _py(units[worst]) if differing.size else None,
            "total_pct": float(100 * abs(nt.sum() - nx.sum()) / nx.sum()),
            "n_units_differing": int(differing.size),
        }
        applied = "none"
        if differing.size:
            policy = margins
            if margins == "auto":
                if rel[worst] <= auto_tolerance:
                    warnings.warn(
                        f"origin and destination totals differ in {differing.size} of "
                        f"{len(units)} units (max drift {drift['max_pct']:.2f} % in unit "
                        f"{drift['worst_unit']!r}, total drift {drift['total_pct']:.2f} %); "
                        "destination counts rescaled to the origin totals (margins='rescale'). "
                        "Pass margins='entry_exit' to model entries and exits instead.",
                        UserWarning,
                        stacklevel=4,
                    )
                    policy = "rescale"
                else:
                    raise MarginsError(
                        f"origin and destination totals differ by up to {drift['max_pct']:.1f} % "
                        f"(unit {drift['worst_unit']!r}; total drift {drift['total_pct']:.2f} %), "
                        f"more than the {100 * auto_tolerance:g} % that margins='auto' rescales; "
                        "use margins='entry_exit' to add entry/exit options (or margins='rescale')"
                    )
            if policy == "error":
                raise MarginsError(
                    f"origin and destination totals differ in {differing.size} unit(s): "
                    f"{_fmt_units(units[differing].tolist())} (max drift {drift['max_pct']:.2f} % "
                    f"in unit {drift['worst_unit']!r}); choose margins='rescale' or "
                    "margins='entry_exit'"
                )
            if policy == "rescale":
                if zero_x.size:
                    raise UnitTableError(
                        f"cannot rescale unit(s) with zero origin total: "
                        f"{_fmt_units(units[zero_x].tolist())}"
                    )
                T = T * (nx / nt)[:, None]
                applied = "rescale"
            elif policy == "entry_exit":
                entry = np.clip(diff, 0, None)
                leave = np.clip(-diff, 0, None)
                if entry.any():
                    X = np.column_stack([X, entry])
                    origin = [*origin, ENTRY]
                if leave.any():
                    T = np.column_stack([T, leave])
                    destination = [*destination, EXIT]
                applied = "entry_exit"
        X = np.ascontiguousarray(X, dtype=float)
        T = np.ascontiguousarray(T, dtype=float)
        X.setflags(write=False)
        T.setflags(write=False)
        return cls(
            X, T, units, list(origin), list(destination), margins, applied, drift, simulated
        )

    # ------------------------------------------------------------------ properties
    @property
    def n_units(self) -> int:
        """Number of units ``U``."""
        return int(self.X.shape[0])

    @property
    def shape(self) -> tuple[int, int]:
        """``(R, C)``: numbers of origin and destination options."""
        return int(self.X.shape[1]), int(self.T.shape[1])

    @property
    def totals(self) -> np.ndarray:
        """Per-unit totals ``N_u`` (equal on both sides after the margins policy)."""
        return self.X.sum(1)

    @property
    def is_whole(self) -> bool:
        """Every count is a whole number (up to floating-point noise)."""
        return check_counts(self.X) is None and check_counts(self.T) is None

    @property
    def origin_totals(self) -> pd.Series:
        """Origin counts summed over units."""
        return pd.Series(self.X.sum(0), index=self.origin, name="origin_total")

    @property
    def destination_totals(self) -> pd.Series:
        """Destination counts summed over units."""
        return pd.Series(self.T.sum(0), index=self.destination, name="destination_total")

    def subset(self, idx: np.ndarray) -> UnitTable:
        """Table restricted to (or resampled on) the unit positions ``idx`` (ids made unique)."""
        idx = np.asarray(idx)
        return UnitTable(
            self.X[idx],
            self.T[idx],
            pd.RangeIndex(len(idx)),
            self.origin,
            self.destination,
            self.margins,
            self.margins_applied,
            self.drift,
            self.simulated,
        )

    def __repr__(self) -> str:
        r, c = self.shape
        return (
            f"UnitTable(n_units={self.n_units}, origin={self.origin}, "
            f"destination={self.destination}, margins={self.margins_applied!r}"
            + (", SIMULATED)" if self.simulated else ")")
        )


def as_unit_table(
    data: UnitTable | pd.DataFrame | tuple[Any, Any],
    *,
    unit: str | None = None,
    origin: Sequence[str] | None = None,
    destination: Sequence[str] | None = None,
    margins: str = "auto",
) -> UnitTable:
    """Coerce a :class:`UnitTable`, a DataFrame or an ``(X, T)`` pair to a :class:`UnitTable`.

    Examples
    --------
    >>> as_unit_table(([[1, 2], [3, 1]], [[2, 1], [2, 2]])).n_units
    2
    """
    if isinstance(data, UnitTable):
        return data
    if isinstance(data, pd.DataFrame):
        return UnitTable.from_frame(data, unit, origin, destination, margins)
    if isinstance(data, tuple) and len(data) == 2:
        return UnitTable.from_arrays(
            data[0], data[1], origin=origin, destination=destination, margins=margins
        )
    raise UnitTableError(
        f"expected a UnitTable, a DataFrame or an (X, T) pair, got {type(data).__name__}"
    )
