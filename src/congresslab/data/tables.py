"""The one table reader of congresslab: CSV (``,`` ``;`` or tab) or Excel ``.xlsx``.

Used by ``congresslab estimate`` and by
:func:`~congresslab.data.fedtables.load_federation_table`. What it accepts:

* CSV separated by commas, semicolons or tabs (the most frequent on the header line; a
  tie goes to the one that splits every line into as many fields as the header);
* UTF-8 with or without BOM, UTF-16 with BOM; otherwise Windows-1252 / latin-1, with an
  :class:`~congresslab.errors.InputWarning` saying which encoding was assumed;
* Excel workbooks (``.xlsx``, ``.xlsm``, or any file that is one), read with ``openpyxl``;
  an old ``.xls`` is refused with a message saying to save it as ``.xlsx`` or CSV;
* lines starting with ``#`` (comments) and blank lines are skipped; every row keeps its
  file line (spreadsheet row), so that messages name it.

What it refuses (:class:`~congresslab.errors.TableReadError`, with the lines): a record
with a different number of fields from the header (columns past the last header name are
accepted only when empty in every record, as spreadsheets export them), a record that
repeats the header (a second table in the same file), a column name given twice, an empty
file, a binary file.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     p = pathlib.Path(d) / "u.csv"
...     _ = p.write_bytes("# counts\\nfed;a;b\\n\\nf1;1 100;2\\n".encode("utf-8-sig"))
...     t = read_table(p)
>>> t.header, t.rows, t.separator, t.encoding
(['fed', 'a', 'b'], [(4, ['f1', '1 100', '2'])], ';', 'utf-8')
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from congresslab.errors import InputWarning, TableReadError

__all__ = ["Table", "read_table", "SEPARATORS"]

#: Field separators recognised in CSV files, in order of preference on a tie.
SEPARATORS: tuple[str, ...] = (";", "\t", ",")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


@dataclass
class Table:
    """A table as read from a file: header, rows as cells, and where each row was.

    Attributes
    ----------
    file : str
        The path as given.
    header : list of str
        Column names, stripped (trailing unnamed empty columns dropped).
    header_line : int
        File line (spreadsheet row) of the header.
    rows : list of (int, list)
        ``(line, cells)`` per record, as many cells as ``header``; CSV cells are text,
        Excel cells are what the workbook holds (text, numbers, ``""`` when empty).
    encoding : str
        ``utf-8``, ``utf-16``, ``cp1252``, ``latin-1``, or ``xlsx``.
    separator : str or None
        The CSV field separator (``None`` for Excel).
    """

    file: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[Any]]]
    encoding: str
    separator: str | None

    @property
    def lines(self) -> list[int]:
        """File line of each row."""
        return [line for line, _ in self.rows]

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame of ``object`` cells, columns named by the header.

        Examples
        --------
        >>> Table("t.csv", ["u", "a"], 1, [(2, ["f1", "3"])], "utf-8", ",").frame()
            u  a
        0  f1  3
        """
        return pd.DataFrame([cells for _, cells in self.rows], columns=self.header, dtype=object)


def _decode(data: bytes, file: str, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise TableReadError(f"cannot decode as {encoding}: {exc}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        where = exc.start
    # a Windows spreadsheet export: cp1252 (latin-1 where bytes 0x80-0x9F are absent)
    used = "cp1252" if any(0x80 <= b <= 0x9F for b in data) else "latin-1"
    try:
        text = data.decode(used)
    except UnicodeDecodeError:
        used, text = "latin-1", data.decode("latin-1")
    line = data[:where].count(b"\n") + 1
    warnings.warn(
        f"{file} is not UTF-8 (line {line}: byte 0x{data[where]:02x}); read as {used} "
        "(Western European). If letters look wrong, save the file as UTF-8",
        InputWarning,
        stacklevel=3,
    )
    return text, used


def _drop_comments(text: str) -> str:
    """Blank out ``#`` comment lines (outside quoted fields), keeping the line count."""
    out = []
    inside = False
    for line in text.splitlines(keepends=True):
        if not inside and line.lstrip().startswith("#"):
            out.append("\n")
            continue
        out.append(line)
        inside ^= line.count('"') % 2 == 1
    return "".join(out)


def _split(text: str, sep: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    records = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record or all(not f.strip() for f in record):
                continue
            records.append((line, record))
    except csv.Error as exc:
        raise TableReadError(f"cannot split into fields: {exc}", lines=[start]) from None
    return records


def _outside_quotes(line: str) -> str:
    return "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)


def _choose_separator(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    bare = _outside_quotes(first)
    counts = {sep: bare.count(sep) for sep in SEPARATORS if bare.count(sep)}
    if not counts:
        return ","
    ranked = sorted(counts, key=lambda s: (-counts[s], SEPARATORS.index(s)))
    best = [s for s in ranked if counts[s] == counts[ranked[0]]]
    for sep in best:
        records = _split(text, sep)
        if len({len(r) for _, r in records}) == 1:
            return sep
    return ranked[0]


def _read_csv(path: Path, data: bytes, encoding: str | None) -> tuple[list, str, str]:
    nul = data.find(b"\x00")
    if nul >= 0 and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise TableReadError(f"not a text file (a NUL byte at byte {nul}): give a CSV or an "
                             ".xlsx file")
    text, used = _decode(data, str(path), encoding)
    text = _drop_comments(text)
    sep = _choose_separator(text)
    return _split(text, sep), used, sep


def _read_xlsx(data: bytes, sheet: int | str) -> list[tuple[int, list[Any]]]:
    import openpyxl

    try:  # from the bytes: openpyxl judges a file by its name, a workbook may be misnamed
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException...
        raise TableReadError(
            f"looks like an Excel workbook but cannot be read as .xlsx ({exc}); save it "
            "again as .xlsx or CSV"
        ) from None
    try:
        try:
            ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
        except (IndexError, KeyError):
            raise TableReadError(f"no sheet {sheet!r}; sheets: {wb.sheetnames}") from None
        rows = []
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else v for v in row]
            if all(str(c).strip() == "" for c in cells):
                continue
            if isinstance(cells[0], str) and cells[0].lstrip().startswith("#"):
                continue
            rows.append((i, cells))
    finally:
        wb.close()
    width = max((len(c) for _, c in rows), default=0)
    return [(i, c + [""] * (width - len(c))) for i, c in rows]


def _check_shape(records: list[tuple[int, list[Any]]], sep: str | None) -> Table:
    (header_line, raw_header), body = records[0], records[1:]
    header = [str(h).strip() for h in raw_header]
    while header and header[-1] == "":
        header.pop()
    n, n_raw = len(header), len(raw_header)
    rectangular = len({len(r) for _, r in body}) <= 1
    bad: dict[int, int] = {}
    extra: list[Any] = []
    rows = []
    for line, rec in body:
        beyond = [f for f in rec[n:] if str(f).strip() != ""]
        if len(rec) < n or beyond or (len(rec) > n_raw and not rectangular):
            bad[line] = len(rec)
            extra = extra or beyond
        rows.append((line, list(rec[:n])))
    if bad:
        counts = sorted(set(bad.values()))
        shown = " or ".join(str(c) for c in counts)
        values = f"extra value(s) {[str(v) for v in extra[:5]]}" if extra else ""
        if sep is None:
            msg = f"values beyond the last named column of the header (row {header_line})"
            msg += f": {values}" if values else ""
        else:
            quote = f"a value containing '{sep}' must be quoted" if max(counts) > n else ""
            hint = "; ".join(h for h in (values, quote) if h)
            msg = (f"{shown} field{'s' if counts != [1] else ''} where the header (line "
                   f"{header_line}) has {n}" + (f" ({hint})" if hint else ""))  # fmt: skip
        raise TableReadError(msg, lines=list(bad))
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        if name and name in seen:
            raise TableReadError(
                f"column {name!r} appears twice in the header (columns {seen[name] + 1} and "
                f"{i + 1})", lines=[header_line],
            )  # fmt: skip
        seen[name] = i
    norm = [h.casefold() for h in header]
    for line, cells in rows:
        if [str(c).strip().casefold() for c in cells] == norm:
            raise TableReadError(
                f"repeats the header of line {header_line}: a second table in the same "
                "file? Give one table per file (e.g. provisional and official figures apart)",
                lines=[line],
            )
    return Table("", header, header_line, rows, "", sep)


def read_table(path: str | Path, *, encoding: str | None = None, sheet: int | str = 0) -> Table:
    """Read a CSV or Excel table; see the module documentation for what is accepted.

    Parameters
    ----------
    path : str or Path
        The file.
    encoding : str, optional
        Force a text encoding (CSV only; default: UTF-8, else cp1252/latin-1 with a warning).
    sheet : int or str
        Sheet of an Excel workbook (index or name).

    Returns
    -------
    Table

    Raises
    ------
    TableReadError
        Naming the lines concerned (``lines``): wrong number of fields, repeated header,
        duplicate column name, empty or binary file, unreadable workbook.
    OSError
        When the file cannot be opened (missing, a directory, no permission).

    Warns
    -----
    InputWarning
        When the file is not UTF-8 and was decoded as cp1252 or latin-1.
    """
    path = Path(path)
    data = path.read_bytes()
    if data.startswith(_OLE):
        raise TableReadError(
            "is an Excel 97-2003 workbook (.xls), which congresslab does not read: save it "
            "as .xlsx or CSV"
        )
    if path.suffix.lower() in (".xlsx", ".xlsm") or data.startswith(_ZIP):
        records, used, sep = _read_xlsx(data, sheet), "xlsx", None
    else:
        records, used, sep = _read_csv(path, data, encoding)
    if not records:
        raise TableReadError("the file is empty (no header line)")
    table = _check_shape(records, sep)
    table.file, table.encoding = str(path), used
    return table
