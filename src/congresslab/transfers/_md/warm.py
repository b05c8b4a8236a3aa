"""Compile the sampler into numba's on-disk cache: ``python -m congresslab.transfers._md.warm``.

The first ``bayes`` fit in a new environment (or after the sampler's source changed) compiles
the numba kernels, about 30-40 s of CPU; later processes load them from the cache in well under
a second. ``make venv`` runs this once so that tests, notebooks and the command line never pay
for the compilation (measured in ``reports/md_sampler.md``).

numba checks only the file of the cached function itself: the kernel in ``kernels.py`` would
not notice a change in ``densities.py``. ``--clear`` removes the sampler's cache files first;
the Makefile does so whenever a file of this package is newer than its stamp.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

__all__ = ["clear_cache", "warm"]


def clear_cache() -> int:
    """Delete numba's cache files of the sampler's modules; returns how many.

    The cache is next to the sources, or under ``NUMBA_CACHE_DIR`` when that is set.
    """
    from congresslab.transfers._md import kernels

    folder = Path(kernels.run_seeded._cache._cache_path)  # numba's own choice of folder
    n = 0
    for module in ("densities", "kernels"):
        for f in folder.glob(f"{module}.*.nb[ic]"):
            f.unlink()
            n += 1
    return n


def warm() -> float:
    """Run a tiny fit (compiling or loading the kernels); returns the seconds it took."""
    import numpy as np

    from congresslab.transfers._md.driver import fit_md

    t0 = time.perf_counter()
    X = np.array([[6, 4], [3, 7], [5, 5]])
    T = np.array([[5, 5], [4, 6], [5, 5]])
    fit_md(X, T, chains=1, draws=4, warmup=2, progress=False, check=False)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clear", action="store_true", help="delete the cache files first")
    args = ap.parse_args(argv)
    if args.clear:
        print(f"numba cache: {clear_cache()} file(s) removed")
    print(f"numba cache: sampler compiled or loaded in {warm():.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
