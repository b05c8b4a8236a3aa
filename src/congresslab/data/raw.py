"""Raw data: the checksum manifest, readers, and parsers for French number formats.

The files in ``data/raw/`` are copies, byte for byte, of the sourced tables in
``shared/sources/``; ``data/raw/datapackage.json`` records each file's sha256, what it is
and what its columns mean. Readers in this module refuse to read a file whose checksum
no longer matches, and never write anything under ``data/raw/``.

Examples
--------
>>> parse_count("12 689")
12689
>>> parse_count("37.991")
37991
>>> parse_share("42,21 %")
42.21
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from congresslab import paths
from congresslab.data._parse import parse_cell
from congresslab.errors import ChecksumError, NumberError, RawDataError

__all__ = [
    "RawDataError",
    "ChecksumError",
    "parse_count",
    "parse_share",
    "sha256",
    "read_manifest",
    "verify_raw",
    "read_raw",
]

def parse_count(value: object) -> int | None:
    """Parse a vote or member count written the French or English way.

    The rules of :mod:`congresslab.data._parse` for one cell on its own: thousands
    separated by spaces (also no-break and narrow no-break spaces), apostrophes, or a dot
    followed by three digits. Empty cells give ``None``.

    Parameters
    ----------
    value
        The cell: a string such as ``"12 689"`` or ``"37.991"``, a number, or empty.

    Returns
    -------
    int or None

    Raises
    ------
    ValueError
        If the cell is not a whole number (``"12,5"``, ``"abc"``).

    Examples
    --------
    >>> parse_count("12\u202f689"), parse_count(24701), parse_count("")
    (12689, 24701, None)
    """
    try:
        v = parse_cell(value, "number")
    except NumberError:
        raise ValueError(f"not a whole number: {value!r}") from None
    if v is None:
        return None
    if not float(v).is_integer():
        raise ValueError(f"not a whole number: {value!r}")
    return int(v)


def parse_share(value: object) -> float | None:
    """Parse a percentage such as ``"42,21 %"`` or ``"42.21"`` into a float (42.21).

    Examples
    --------
    >>> parse_share("51,15%"), parse_share(86), parse_share(None)
    (51.15, 86.0, None)
    """
    try:
        v = parse_cell(value, "share")
    except NumberError:
        raise ValueError(f"not a percentage: {value!r}") from None
    return None if v is None else float(v)


def sha256(path: Path) -> str:
    """Return the hex sha256 digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(manifest: Path | None = None) -> dict:
    """Read ``data/raw/datapackage.json`` (a Frictionless-style data package).

    Raises
    ------
    RawDataError
        Naming the file (and the line and column of a JSON syntax error) when the manifest
        is not valid JSON or has no list of ``resources``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     bad = pathlib.Path(d) / "datapackage.json"
    ...     _ = bad.write_text('{"resources": [\\n  {path: 1}]}')
    ...     read_manifest(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    congresslab.errors.RawDataError: file ...datapackage.json: not valid JSON, line 2, column 4: ...
    """
    manifest = paths.MANIFEST if manifest is None else Path(manifest)
    with open(manifest, encoding="utf-8") as handle:
        try:
            package = json.load(handle)
        except json.JSONDecodeError as err:
            raise RawDataError(
                f"not valid JSON, line {err.lineno}, column {err.colno}: {err.msg}",
                file=str(manifest),
            ) from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise RawDataError("no list of 'resources' in the manifest", file=str(manifest))
    return package


def verify_raw(raw_dir: Path | None = None, manifest: Path | None = None) -> list[str]:
    """Check every raw file against the manifest; return the names checked.

    Raises
    ------
    ChecksumError
        Naming the file, when a listed file is missing or its sha256 changed, or when a
        data file in the folder is not in the manifest.
    """
    raw_dir = paths.RAW if raw_dir is None else Path(raw_dir)
    manifest = raw_dir / "datapackage.json" if manifest is None else Path(manifest)
    package = read_manifest(manifest)
    listed = {res["path"]: res for res in package["resources"]}
    for name, res in listed.items():
        path = raw_dir / name
        if not path.exists():
            raise ChecksumError("listed in the manifest but missing", file=str(path))
        actual = sha256(path)
        if actual != res["sha256"]:
            raise ChecksumError(
                f"sha256 is {actual[:12]}…, the manifest says {res['sha256'][:12]}…: the raw "
                "file was modified. Raw data is immutable: restore it (git checkout) or add a "
                "new file and record it in the manifest.",
                file=str(path),
            )
    for path in sorted(raw_dir.rglob("*.csv")):
        name = path.relative_to(raw_dir).as_posix()
        if name not in listed:
            raise ChecksumError("data file not recorded in the manifest", file=str(path))
    return sorted(listed)


def read_raw(name: str, raw_dir: Path | None = None, *, verify: bool = True) -> pd.DataFrame:
    """Read one raw CSV as strings, after checking its checksum.

    Every cell is kept as text (``dtype=str``) so that parsing, with its errors naming the
    row and column, happens in :mod:`congresslab.data.clean`. A column ``_line`` gives the line
    of each row in the file (the header is line 1).
    """
    raw_dir = paths.RAW if raw_dir is None else Path(raw_dir)
    path = raw_dir / name
    if verify:
        package = read_manifest(raw_dir / "datapackage.json")
        expected = {res["path"]: res["sha256"] for res in package["resources"]}
        if name not in expected:
            raise ChecksumError("not recorded in the manifest", file=str(path))
        if sha256(path) != expected[name]:
            raise ChecksumError(
                "sha256 differs from the manifest: the raw file was modified", file=str(path)
            )
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    frame.insert(0, "_line", range(2, len(frame) + 2))
    return frame
