"""The only place where congresslab's paths live.

Every path is derived from the project root ``ROOT``, found in this order:

1. ``CONGRESSLAB_ROOT``, when set (an explicit choice wins);
2. the congresslab checkout that holds the current working directory (a folder with
   ``data/raw/datapackage.json`` and a ``pyproject.toml`` naming ``congresslab``), so that
   a copy of the checkout (``cp -r``) uses its own data even when the installed package is
   the original's (an editable install points at the original ``src/``);
3. the checkout that holds this file (``src/congresslab/paths.py`` → three levels up).

Notebooks (run from ``notebooks/``) and commands run inside the checkout find the same
root as the package. When the root is not the package's own, :func:`root_note` says which
root is used and why: an :class:`~congresslab.errors.InputWarning` says it when the module
is imported, and the command line prints it on stderr for the commands that read data.

Outputs never replace an input and nothing is written under ``data/raw/``:
:func:`check_output` refuses such paths. Outputs that others may read while they are
rewritten are written through :func:`write_replacing`.

Examples
--------
>>> from congresslab import paths
>>> paths.RAW.name
'raw'
>>> paths.PROCESSED.relative_to(paths.ROOT).as_posix()
'data/processed'
"""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = [
    "ROOT",
    "ROOT_FOUND_BY",
    "PACKAGE_ROOT",
    "DATA",
    "RAW",
    "PROCESSED",
    "BENCHMARKS",
    "REPORTS",
    "FIGURES",
    "HTML",
    "NOTEBOOKS",
    "MANIFEST",
    "ASSUMPTIONS",
    "find_checkout",
    "root_note",
    "check_output",
    "write_replacing",
]

#: The checkout that holds the installed package's source (``src/congresslab`` → up 3).
PACKAGE_ROOT: Path = Path(__file__).resolve().parents[2]


def _is_checkout(folder: Path) -> bool:
    if not (folder / "data" / "raw" / "datapackage.json").is_file():
        return False
    try:
        with open(folder / "pyproject.toml", "rb") as handle:
            return tomllib.load(handle).get("project", {}).get("name") == "congresslab"
    except (OSError, tomllib.TOMLDecodeError):
        return False


def find_checkout(start: Path) -> Path | None:
    """The congresslab checkout holding ``start`` (``start`` or a parent), or ``None``.

    Examples
    --------
    >>> find_checkout(PACKAGE_ROOT / "notebooks") == PACKAGE_ROOT
    True
    >>> find_checkout(Path("/")) is None
    True
    """
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if _is_checkout(folder):
            return folder
    return None


def _find_root() -> tuple[Path, str]:
    env = os.environ.get("CONGRESSLAB_ROOT")
    if env:
        return Path(env), "the environment variable CONGRESSLAB_ROOT"
    try:
        here = find_checkout(Path.cwd())
    except OSError:  # the working directory was deleted
        here = None
    if here is not None:
        return here, "the current working directory"
    return PACKAGE_ROOT, "the location of the package"


ROOT, ROOT_FOUND_BY = _find_root()
DATA: Path = ROOT / "data"
RAW: Path = DATA / "raw"
PROCESSED: Path = DATA / "processed"
BENCHMARKS: Path = DATA / "benchmarks"
REPORTS: Path = ROOT / "reports"
FIGURES: Path = REPORTS / "figures"
HTML: Path = REPORTS / "html"
NOTEBOOKS: Path = ROOT / "notebooks"
MANIFEST: Path = RAW / "datapackage.json"
ASSUMPTIONS: Path = DATA / "assumptions"


def root_note() -> str | None:
    """Which root is used and why, when it is not the package's own; else ``None``.

    Examples
    --------
    >>> root_note() is None or "congresslab" in root_note()
    True
    """
    if Path(ROOT).resolve() == PACKAGE_ROOT:
        return None
    return (f"congresslab uses the data of {ROOT} (found from {ROOT_FOUND_BY}), not of "
            f"{PACKAGE_ROOT} where the package is installed")  # fmt: skip


def check_output(option: str, path: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """Refuse an output path under ``data/raw/``, naming one of the ``inputs``, that is a
    directory, or whose directory does not exist.

    Paths are compared resolved (``..``, ``.`` and symbolic links followed), so another
    spelling of the same file is caught. The raw folder of the package's own checkout is
    protected too when ``ROOT`` is another checkout.

    Parameters
    ----------
    option : str
        How the user named the output (``"--json"``, ``"--out"``...), for the message.
    path : str or Path
        The output.
    inputs : iterable of str or Path
        Files the command reads.

    Returns
    -------
    Path
        The resolved output path.

    Raises
    ------
    ValueError
        Naming the option and the path.

    Examples
    --------
    >>> check_output("--out", RAW / "national_results.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --out .../data/raw/national_results.csv: is under data/raw/, ...
    >>> check_output("--json", ".")
    Traceback (most recent call last):
    ...
    ValueError: --json .: is a directory
    """
    target = Path(path).resolve()
    for raw in {RAW.resolve(), (PACKAGE_ROOT / "data" / "raw").resolve()}:
        if target == raw or raw in target.parents:
            raise ValueError(
                f"{option} {path}: is under data/raw/, which holds the sourced files and "
                "is never written to; write the output elsewhere"
            )
    for source in inputs:
        if Path(source).resolve() == target:
            raise ValueError(
                f"{option} {path}: is the input file {source}; an output never replaces an "
                "input, give another file name"
            )
    if target.is_dir():
        raise ValueError(f"{option} {path}: is a directory")
    if not target.parent.is_dir():
        raise ValueError(f"{option} {path}: directory {Path(path).parent} does not exist")
    return target


def write_replacing(path: Path, write: Callable[[Path], object]) -> None:
    """Write ``path`` by calling ``write`` on a temporary file beside it, then renaming that
    file over ``path``.

    A reader (a notebook, a parallel test) sees the former file or the new one, never half
    of one. If ``write`` fails, ``path`` is left as it was and the temporary file removed.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "table.csv"
    >>> write_replacing(out, lambda tmp: tmp.write_text("a\\n1\\n"))
    >>> out.read_text()
    'a\\n1\\n'
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


if (_NOTE := root_note()) is not None:  # say it in Python too (notebooks, scripts)
    import warnings

    from congresslab.errors import InputWarning

    warnings.warn(_NOTE, InputWarning, stacklevel=2)
