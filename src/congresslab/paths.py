"""The only place where congresslab's paths live.

Every path is derived from the project root, found from this file's location
(``src/congresslab/paths.py`` → three levels up) or from the environment variable
``CONGRESSLAB_ROOT`` when the package is installed elsewhere. Nothing depends on the
current working directory, so notebooks and the CLI find the same files.

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
from pathlib import Path

__all__ = [
    "ROOT",
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
]

ROOT: Path = Path(os.environ.get("CONGRESSLAB_ROOT", Path(__file__).resolve().parents[2]))
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
